//! Every day's check-in, newest first. A row opens that day in the
//! check-in form; delete asks first and can be undone from the toast.

use crate::model::{PatientId, Urgency};
use crate::session::Edit;
use crate::ui::{AppView, Command, theme, widgets};
use chrono::NaiveDate;
use egui::{RichText, Ui};

#[derive(Default)]
pub struct HistoryScreen {
    confirm_delete: Option<(PatientId, NaiveDate)>,
}

impl HistoryScreen {
    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(data) = app.current else { return };
        ui.heading("History");
        let count = data.check_ins.len();
        let since = (data.patient.days_since_surgery(app.today) + 1).max(0);
        widgets::hint(
            ui,
            &format!(
                "{} over {} since surgery. Choose Edit to change a day.",
                crate::words::plural(count as i64, "check-in", "check-ins"),
                crate::words::plural(since, "day", "days")
            ),
        );
        ui.add_space(theme::GAP_S);
        if count == 0 {
            ui.label("No check-ins yet. Your first one is on the Today screen.");
            if ui.button("Go to Today").clicked() {
                app.push(Command::Show(super::Screen::Today));
            }
            return;
        }

        let colors = theme::palette(ui.visuals());
        let patient = &data.patient;
        // Wide: one line a day, in columns. Narrow (a small window or
        // large text): each day a small card of four lines. Either way a
        // fixed height per day, so only the days in view are laid out.
        let wide = ui.available_width() >= theme::CARDS_BELOW;
        let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        let row_height = if wide { line + 18.0 } else { 4.0 * line + 22.0 };
        if wide {
            header_row(ui);
        }
        let mut area = egui::ScrollArea::vertical()
            .id_salt("page-history")
            .auto_shrink([false, false]);
        if app.page.fresh {
            area = area.vertical_scroll_offset(0.0);
        }
        area.show_rows(ui, row_height, count, |ui, rows| {
            for index in rows {
                // Newest first.
                let Some(c) = data.check_ins.get(count - 1 - index) else {
                    continue;
                };
                let (rect, _) = ui.allocate_exact_size(
                    egui::vec2(ui.available_width(), row_height),
                    egui::Sense::hover(),
                );
                if index % 2 == 1 {
                    ui.painter()
                        .rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
                }
                let mut row = ui.new_child(
                    egui::UiBuilder::new()
                        .max_rect(rect.shrink2(egui::vec2(6.0, 6.0)))
                        .layout(egui::Layout::top_down(egui::Align::Min)),
                );
                self.day(&mut row, app, patient, c, colors, wide);
            }
        });

        self.confirm_dialog(ui, app);
    }

    /// One day: the values, the warning signs, Edit and Delete.
    fn day(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        patient: &crate::model::Patient,
        c: &crate::model::CheckIn,
        colors: theme::Palette,
        wide: bool,
    ) {
        let date = crate::words::weekday_date(c.day);
        let week = patient.week_since_surgery(c.day);
        if wide {
            ui.horizontal(|ui| {
                let cells = [
                    (150.0, date),
                    (50.0, week.to_string()),
                    (50.0, c.back_pain.to_string()),
                    (50.0, c.leg_pain.to_string()),
                    (80.0, format!("{} min", c.walking_minutes)),
                    (80.0, format!("{} min", c.sitting_minutes)),
                    (50.0, c.sleep_quality.to_string()),
                    (60.0, c.opioid_doses.to_string()),
                ];
                for (width, text) in cells {
                    cell(ui, width, |ui| {
                        ui.label(text);
                    });
                }
                cell(ui, 90.0, |ui| warnings(ui, c, colors));
                self.buttons(ui, app, patient, c);
                note(ui, c);
            });
        } else {
            ui.horizontal(|ui| {
                ui.label(RichText::new(date).strong());
                ui.label(format!("· week {week}"));
            });
            ui.label(format!(
                "Back {} · Leg {} · Sleep {}",
                c.back_pain, c.leg_pain, c.sleep_quality
            ));
            ui.label(format!(
                "Walk {} min · Sit {} min · Opioids {}",
                c.walking_minutes, c.sitting_minutes, c.opioid_doses
            ));
            ui.horizontal(|ui| {
                self.buttons(ui, app, patient, c);
                warnings(ui, c, colors);
                note(ui, c);
            });
        }
    }

    fn buttons(
        &mut self,
        ui: &mut Ui,
        app: &mut AppView<'_>,
        patient: &crate::model::Patient,
        c: &crate::model::CheckIn,
    ) {
        let day = crate::words::long_date(c.day);
        let edit = ui.button("Edit");
        edit.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Edit {day}"))
        });
        app.first_control(edit.id);
        if edit.clicked() {
            app.push(Command::EditDay(c.day));
        }
        let delete = ui.button("Delete");
        delete.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Delete {day}"))
        });
        if delete.clicked() {
            self.confirm_delete = Some((patient.id, c.day));
        }
    }

    fn confirm_dialog(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some((patient, day)) = self.confirm_delete else {
            return;
        };
        let dialog = egui::Id::unique("confirm-delete");
        let modal = egui::Modal::new(dialog).show(ui.ctx(), |ui| {
            ui.set_max_width(widgets::dialog_width(ui.ctx(), 460.0));
            ui.label(RichText::new("Delete this check-in?").text_style(theme::title_style()).strong());
            ui.label(format!(
                "The check-in of {} will be removed. You can undo this for a few seconds afterwards.",
                crate::words::long_date(day)
            ));
            ui.add_space(theme::GAP_M);
            ui.horizontal(|ui| {
                let colors = theme::palette(ui.visuals());
                let delete = egui::Button::new(RichText::new("Delete check-in").color(colors.on_urgent))
                    .fill(colors.urgent);
                let delete = ui.add(delete);
                widgets::focus_on_open(ui, dialog, &delete);
                if delete.clicked() {
                    app.edit(Edit::DeleteCheckIn(patient, day));
                    self.confirm_delete = None;
                }
                if ui.button("Keep it").clicked() {
                    self.confirm_delete = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_delete = None;
        }
        if self.confirm_delete.is_none() {
            widgets::dialog_closed(ui.ctx(), dialog);
        }
    }
}

/// The column titles of the wide list.
fn header_row(ui: &mut Ui) {
    ui.horizontal(|ui| {
        ui.add_space(6.0);
        for (width, title) in [
            (150.0, "Day"),
            (50.0, "Week"),
            (50.0, "Back"),
            (50.0, "Leg"),
            (80.0, "Walking"),
            (80.0, "Sitting"),
            (50.0, "Sleep"),
            (60.0, "Opioids"),
            (90.0, "Warnings"),
        ] {
            cell(ui, width, |ui| {
                ui.label(RichText::new(title).strong());
            });
        }
    });
}

/// A column of a fixed width in a row.
fn cell(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ui.available_height()),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_width(width);
            add(ui);
        },
    );
}

fn warnings(ui: &mut Ui, c: &crate::model::CheckIn, colors: theme::Palette) {
    match c.warning_symptoms.urgency() {
        None => {
            ui.label(RichText::new("no warnings").color(colors.muted_text));
        }
        Some(urgency) => {
            let n = c.warning_symptoms.iter().count();
            let text = match urgency {
                Urgency::Emergency => format!("⚠ {n} urgent"),
                Urgency::SameDay => format!("⚠ {n}"),
            };
            let details: Vec<&str> = c.warning_symptoms.iter().map(|s| s.label()).collect();
            ui.label(RichText::new(text).color(colors.urgent).strong())
                .on_hover_text(details.join("\n"));
        }
    }
}

/// The note's first line, shortened to the room left; all of it on hover.
fn note(ui: &mut Ui, c: &crate::model::CheckIn) {
    let first_line = c.note.lines().next().unwrap_or_default();
    let label = ui.add(egui::Label::new(first_line).truncate());
    if !c.note.is_empty() {
        label.on_hover_text(c.note.as_str());
    }
}
