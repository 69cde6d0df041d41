//! Every day's check-in, newest first. A row opens that day in the
//! check-in form; delete asks first and can be undone from the toast.

use crate::model::{PatientId, Urgency};
use crate::session::Edit;
use crate::ui::{AppView, Command, theme, widgets};
use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

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
                "{count} check-ins over {since} days since surgery. Choose Edit to change a day."
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
        let row_height = 40.0;
        let patient = &data.patient;
        // Wide enough for every column at the default size; at larger text
        // sizes the table scrolls sideways instead of clipping.
        egui::ScrollArea::horizontal().show(ui, |ui| {
            ui.spacing_mut().item_spacing.x = 4.0;
            TableBuilder::new(ui)
                .striped(true)
                .resizable(false)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(160.0))
                .column(Column::exact(56.0))
                .columns(Column::exact(52.0), 2)
                .columns(Column::exact(82.0), 2)
                .column(Column::exact(56.0))
                .column(Column::exact(76.0))
                .column(Column::exact(100.0))
                .column(Column::exact(160.0))
                .column(Column::remainder().at_least(120.0).clip(true))
                .header(row_height, |mut header| {
                    for title in [
                        "Day", "Week", "Back", "Leg", "Walking", "Sitting", "Sleep", "Opioids",
                        "Warnings", "", "Note",
                    ] {
                        header.col(|ui| {
                            ui.label(RichText::new(title).strong());
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, count, |mut row| {
                        // Newest first.
                        let Some(c) = data.check_ins.get(count - 1 - row.index()) else {
                            return;
                        };
                        self.row(&mut row, app, patient, c, colors);
                    });
                });
        });

        self.confirm_dialog(ui, app);
    }

    /// One day's row: the values, the warning signs, Edit and Delete.
    fn row(
        &mut self,
        row: &mut egui_extras::TableRow<'_, '_>,
        app: &mut AppView<'_>,
        patient: &crate::model::Patient,
        c: &crate::model::CheckIn,
        colors: theme::Palette,
    ) {
        row.col(|ui| {
            ui.label(c.day.format("%a %-d %b %Y").to_string());
        });
        row.col(|ui| {
            ui.label(patient.week_since_surgery(c.day).to_string());
        });
        for value in [c.back_pain, c.leg_pain] {
            row.col(|ui| {
                ui.label(value.to_string());
            });
        }
        for minutes in [c.walking_minutes, c.sitting_minutes] {
            row.col(|ui| {
                ui.label(format!("{minutes} min"));
            });
        }
        row.col(|ui| {
            ui.label(c.sleep_quality.to_string());
        });
        row.col(|ui| {
            ui.label(c.opioid_doses.to_string());
        });
        row.col(|ui| match c.warning_symptoms.urgency() {
            None => {
                ui.label("none");
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
        });
        row.col(|ui| {
            let day = c.day.format("%-d %B %Y");
            let edit = ui.button("Edit");
            edit.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Edit {day}"))
            });
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
        });
        row.col(|ui| {
            let first_line = c.note.lines().next().unwrap_or_default();
            let label = ui.add(egui::Label::new(first_line).truncate());
            if !c.note.is_empty() {
                label.on_hover_text(c.note.as_str());
            }
        });
    }

    fn confirm_dialog(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some((patient, day)) = self.confirm_delete else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("confirm-delete")).show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            ui.label(RichText::new("Delete this check-in?").text_style(theme::title_style()).strong());
            ui.label(format!(
                "The check-in of {} will be removed. You can undo this for a few seconds afterwards.",
                widgets::long_date(day)
            ));
            ui.add_space(theme::GAP_M);
            ui.horizontal(|ui| {
                let colors = theme::palette(ui.visuals());
                let delete = egui::Button::new(RichText::new("Delete check-in").color(colors.on_urgent))
                    .fill(colors.urgent);
                if ui.add(delete).clicked() {
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
    }
}
