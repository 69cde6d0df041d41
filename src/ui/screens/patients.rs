//! A physiotherapist's list of patients, the ones needing attention first:
//! weeks since surgery, last check-in, how they are doing, open flags.

use super::ReceivesOutcome;
use crate::analysis::Verdict;
use crate::analysis::check_ups::CheckUpState;
use crate::analysis::review::{FlagKind, OverviewRow};
use crate::session::{Edit, Outcome};
use crate::ui::{AppView, Command, Screen, theme, widgets};
use egui::{RichText, Ui};

#[derive(Default)]
pub struct PatientsScreen {
    search: String,
    show_archived: bool,
}

impl ReceivesOutcome for PatientsScreen {
    /// Archiving says its result in the toast; the list has no error line.
    fn receive(&mut self, _outcome: &Outcome) {}
}

impl PatientsScreen {
    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Patients");
            ui.add_space(theme::GAP_M);
            let label = ui.label("Find:");
            let find = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text("Name")
                        .desired_width(ui.available_width().clamp(120.0, 220.0)),
                )
                .labelled_by(label.id);
            app.first_control(find.id);
            ui.checkbox(&mut self.show_archived, "Show archived");
            if ui.button("Add patient").clicked() {
                app.push(Command::Show(Screen::Setup));
            }
        });
        widgets::hint(
            ui,
            "Most urgent first: an emergency sign, then a same-day sign, then what to discuss at the visit, then notes; among equals, who has waited longest.",
        );
        let needle = self.search.trim().to_lowercase();
        let rows: Vec<&OverviewRow> = app
            .overview
            .iter()
            .filter(|r| self.show_archived || !r.archived)
            .filter(|r| needle.is_empty() || r.name.to_lowercase().contains(&needle))
            .collect();
        if rows.is_empty() {
            if app.overview_reading {
                // No spinner: it would repaint every frame; the reading
                // asks for one repaint when it is done.
                ui.label(format!(
                    "Reading {}…",
                    crate::words::plural(
                        i64::try_from(app.patients.len()).unwrap_or(i64::MAX),
                        "patient",
                        "patients"
                    )
                ));
            } else {
                ui.label("No patients match.");
            }
            return;
        }
        let colors = theme::palette(ui.visuals());
        // Wide: one line a patient, in columns. Narrow: a card of four
        // lines. Only the rows in view are laid out.
        let wide = ui.available_width() >= theme::CARDS_BELOW;
        let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        // A horizontal line is at least as tall as a button.
        let row = ui.spacing().interact_size.y.max(line) + ui.spacing().item_spacing.y;
        let row_height = if wide {
            row + 12.0
        } else {
            3.0 * row + line + 12.0
        };
        if wide {
            ui.horizontal(|ui| {
                ui.add_space(6.0);
                for (width, title) in COLUMNS {
                    cell(ui, width, |ui| {
                        ui.label(RichText::new(title).strong());
                    });
                }
                ui.label(RichText::new("Open flags").strong());
            });
        }
        let mut area = egui::ScrollArea::vertical()
            .id_salt("page-patients")
            .auto_shrink([false, false]);
        if app.page.fresh {
            area = area.vertical_scroll_offset(0.0);
        }
        area.show_rows(ui, row_height, rows.len(), |ui, range| {
            for index in range {
                let Some(r) = rows.get(index) else { continue };
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
                patient_row(&mut row, app, r, colors, wide);
            }
        });
    }
}

/// The wide list's columns before the flags: width and title.
const COLUMNS: [(f32, &str); 5] = [
    (200.0, "Patient"),
    (56.0, "Week"),
    (150.0, "Last check-in"),
    (110.0, "Pain"),
    (210.0, ""),
];

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

/// One patient: name, week, last check-in, verdict, Review and Archive,
/// open flags.
fn patient_row(
    ui: &mut Ui,
    app: &mut AppView<'_>,
    r: &OverviewRow,
    colors: theme::Palette,
    wide: bool,
) {
    let today = app.today;
    let name = if r.archived {
        format!("{} (archived)", r.name)
    } else {
        r.name.clone()
    };
    let last = match r.last_check_in {
        Some(d) if d == today => "today".to_owned(),
        Some(d) => {
            let ago = (today - d).num_days();
            format!("{} ({ago} d ago)", crate::words::short_date(d))
        }
        None => "never".to_owned(),
    };
    let (verdict, verdict_color) = match r.verdict {
        Verdict::Behind => ("behind", colors.caution),
        Verdict::OnTrack => ("on track", colors.accent),
        Verdict::Ahead => ("ahead", colors.good),
        Verdict::BeforeSurgery => ("before surgery", colors.muted_text),
        _ => ("too few check-ins", colors.muted_text),
    };
    let week = if r.week < 0 {
        "before".to_owned()
    } else {
        r.week.to_string()
    };
    if wide {
        ui.horizontal(|ui| {
            cell(ui, COLUMNS[0].0, |ui| {
                ui.add(egui::Label::new(RichText::new(&name).strong()).truncate());
            });
            cell(ui, COLUMNS[1].0, |ui| {
                ui.label(&week);
            });
            cell(ui, COLUMNS[2].0, |ui| {
                ui.label(&last);
            });
            cell(ui, COLUMNS[3].0, |ui| {
                ui.label(RichText::new(verdict).color(verdict_color).strong());
            });
            cell(ui, COLUMNS[4].0, |ui| buttons(ui, app, r));
            flags(ui, r, colors);
        });
    } else {
        ui.horizontal(|ui| {
            ui.add(
                egui::Label::new(RichText::new(format!("{name} · week {week}")).strong())
                    .truncate(),
            );
        });
        ui.horizontal(|ui| {
            ui.label(format!("Last check-in {last} ·"));
            ui.label(RichText::new(verdict).color(verdict_color).strong());
        });
        ui.horizontal(|ui| buttons(ui, app, r));
        flags(ui, r, colors);
    }
}

/// Review and Archive (or Unarchive).
fn buttons(ui: &mut Ui, app: &mut AppView<'_>, r: &OverviewRow) {
    let open = ui.button("Review");
    open.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Review {}", r.name))
    });
    if open.clicked() {
        app.push(Command::SelectPatient(r.id));
        app.push(Command::Show(Screen::Review));
    }
    let word = if r.archived { "Unarchive" } else { "Archive" };
    let archive = ui.button(word);
    archive.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{word} {}", r.name))
    });
    if archive.clicked() {
        app.edit(Edit::SetArchived(r.id, !r.archived));
    }
}

/// The most urgent open flag's tier (sign, word, colour), then the open
/// flags' titles, most urgent first, shortened to the room left; their
/// reasons on hover (and on the Review screen).
fn flags(ui: &mut Ui, r: &OverviewRow, colors: theme::Palette) {
    let check_up = r.check_up.as_ref().map(|c| {
        let when = match c.state {
            CheckUpState::Due => "due",
            _ => "overdue",
        };
        format!("{} {when}", c.name())
    });
    let Some(top) = r.top_tier() else {
        let text = check_up.unwrap_or_else(|| "no open flags".to_owned());
        ui.label(RichText::new(text).color(colors.muted_text));
        return;
    };
    let mut titles: Vec<&str> = Vec::new();
    for f in &r.open_flags {
        // The check-up's own words say it better, once.
        let said = check_up.is_some() && f.kind == FlagKind::CheckUpMissing;
        if !said && !titles.contains(&f.kind.title()) {
            titles.push(f.kind.title());
        }
    }
    if let Some(check_up) = &check_up {
        titles.push(check_up);
    }
    let all: Vec<String> = r
        .open_flags
        .iter()
        .map(|f| format!("{} · {}: {}", f.tier.words(), f.kind.title(), f.reason))
        .collect();
    // One line, "● Discuss: Missed check-ins · Pain rising", shortened to
    // the room left: a wrapped second line would run out of the row.
    ui.horizontal(|ui| {
        let text = format!(
            "{} {}: {}",
            top.sign(),
            top.short_words(),
            titles.join(" · ")
        );
        ui.add(
            egui::Label::new(
                RichText::new(text)
                    .strong()
                    .color(widgets::tier_color(ui, top)),
            )
            .truncate(),
        )
        .on_hover_text(all.join("\n"));
    });
}
