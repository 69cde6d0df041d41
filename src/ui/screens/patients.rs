//! A physiotherapist's list of patients, the ones needing attention first:
//! weeks since surgery, last check-in, how they are doing, open flags.

use super::ReceivesOutcome;
use crate::analysis::Verdict;
use crate::analysis::review::OverviewRow;
use crate::session::{Edit, Outcome};
use crate::ui::{AppView, Command, Screen, theme, widgets};
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

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
        ui.horizontal(|ui| {
            ui.heading("Patients");
            ui.add_space(theme::GAP_L);
            let label = ui.label("Find:");
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("Name")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut self.show_archived, "Show archived");
            if ui.button("Add patient").clicked() {
                app.push(Command::Show(Screen::Setup));
            }
        });
        widgets::hint(
            ui,
            "Sorted by need for attention: warning symptoms, pain rising, missed days and being behind come first.",
        );
        let needle = self.search.trim().to_lowercase();
        let rows: Vec<&OverviewRow> = app
            .overview
            .iter()
            .filter(|r| self.show_archived || !r.archived)
            .filter(|r| needle.is_empty() || r.name.to_lowercase().contains(&needle))
            .collect();
        if rows.is_empty() {
            ui.label("No patients match.");
            return;
        }
        let colors = theme::palette(ui.visuals());
        egui::ScrollArea::horizontal().show(ui, |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(200.0))
                .column(Column::exact(56.0))
                .column(Column::exact(150.0))
                .column(Column::exact(100.0))
                .column(Column::remainder().at_least(200.0).clip(true))
                .column(Column::exact(205.0))
                .header(40.0, |mut header| {
                    for title in ["Patient", "Week", "Last check-in", "Pain", "Open flags", ""] {
                        header.col(|ui| {
                            ui.label(RichText::new(title).strong());
                        });
                    }
                })
                .body(|body| {
                    body.rows(44.0, rows.len(), |mut row| {
                        let Some(r) = rows.get(row.index()) else {
                            return;
                        };
                        patient_row(&mut row, app, r, colors);
                    });
                });
        });
    }
}

/// One patient's row: name, week, last check-in, verdict, open flags, and
/// Review and Archive.
fn patient_row(
    row: &mut egui_extras::TableRow<'_, '_>,
    app: &mut AppView<'_>,
    r: &OverviewRow,
    colors: theme::Palette,
) {
    let today = app.today;
    row.col(|ui| {
        let name = if r.archived {
            format!("{} (archived)", r.name)
        } else {
            r.name.clone()
        };
        ui.label(RichText::new(name).strong());
    });
    row.col(|ui| {
        ui.label(r.week.to_string());
    });
    row.col(|ui| {
        let text = match r.last_check_in {
            Some(d) if d == today => "today".to_owned(),
            Some(d) => {
                let ago = (today - d).num_days();
                format!("{} ({ago} d ago)", crate::words::short_date(d))
            }
            None => "never".to_owned(),
        };
        ui.label(text);
    });
    row.col(|ui| {
        let (text, color) = match r.verdict {
            Verdict::Behind => ("behind", colors.caution),
            Verdict::OnTrack => ("on track", colors.accent),
            Verdict::Ahead => ("ahead", colors.good),
            _ => ("too few check-ins", colors.muted_text),
        };
        ui.label(RichText::new(text).color(color).strong());
    });
    row.col(|ui| {
        if r.open_flags.is_empty() {
            ui.label(RichText::new("none").color(colors.muted_text));
        } else {
            let first = &r.open_flags[0];
            // Titles only, most urgent first: readable at a glance;
            // the reasons are on hover and on the Review screen.
            let mut titles: Vec<&str> = Vec::new();
            for f in &r.open_flags {
                if !titles.contains(&f.kind.title()) {
                    titles.push(f.kind.title());
                }
            }
            let text = titles.join(" · ");
            let all: Vec<String> = r
                .open_flags
                .iter()
                .map(|f| format!("{}: {}", f.kind.title(), f.reason))
                .collect();
            let color = if first.kind == crate::analysis::review::FlagKind::WarningSymptom {
                colors.urgent
            } else {
                colors.caution
            };
            ui.add(egui::Label::new(RichText::new(text).color(color)).truncate())
                .on_hover_text(all.join("\n"));
        }
    });
    row.col(|ui| {
        let open = ui.button("Review");
        open.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Review {}", r.name))
        });
        if open.clicked() {
            app.push(Command::SelectPatient(r.id));
            app.push(Command::Show(Screen::Review));
        }
        let archive = ui.button(if r.archived { "Unarchive" } else { "Archive" });
        archive.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!(
                    "{} {}",
                    if r.archived { "Unarchive" } else { "Archive" },
                    r.name
                ),
            )
        });
        if archive.clicked() {
            app.edit(Edit::SetArchived(r.id, !r.archived));
        }
    });
}
