//! Importing a file from another computer in the window: read and plan it
//! first, show what would change, then apply it only when the person says.

use crate::exchange::merge::{self, PatientPlan};
use crate::protocol::Protocol;
use crate::store::Store;
use crate::ui::{Command, theme, widgets};
use crate::words::plural;
use chrono::{DateTime, NaiveDate, Utc};
use egui::RichText;
use std::path::Path;

/// A file read and planned, shown before anything is written.
pub struct ImportPreview {
    /// What is imported (a file's name, or a patient on the clinic's
    /// server), for the dialog's title.
    file_name: String,
    pub lines: Vec<String>,
    plans: Vec<PatientPlan>,
}

impl ImportPreview {
    /// Reads and checks a JSON or FHIR file and plans its import; writes
    /// nothing.
    pub(crate) fn read(
        store: &Store,
        protocol: &Protocol,
        path: &Path,
        today: NaiveDate,
    ) -> Result<Self, String> {
        let bytes = crate::exchange::input::read_document_bytes(path).map_err(|e| e.to_string())?;
        let document =
            crate::exchange::read_document(&bytes, today, protocol).map_err(|e| e.to_string())?;
        let plans = merge::plan(
            store,
            &document,
            merge::Matching::ByNameAndSurgery,
            merge::Source::File,
        )
        .map_err(|e| e.to_string())?;
        Ok(Self {
            file_name: path.file_name().map_or_else(
                || path.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            ),
            lines: plans.iter().flat_map(PatientPlan::describe).collect(),
            plans,
        })
    }

    /// Plans the merge of a patient read from the clinic's server; writes
    /// nothing.
    pub(crate) fn from_server(
        store: &Store,
        document: &crate::exchange::json::Document,
        server: &str,
        identifier: &str,
    ) -> Result<Self, String> {
        let plans = merge::plan(
            store,
            document,
            merge::Matching::ByNameAndSurgery,
            merge::Source::Server,
        )
        .map_err(|e| e.to_string())?;
        Ok(Self {
            file_name: format!("patient {identifier} from {server}"),
            lines: plans.iter().flat_map(PatientPlan::describe).collect(),
            plans,
        })
    }

    /// The preview as a dialog over the window, wherever the file came from
    /// (Settings, a double-click, the command line): what would change,
    /// then "Import now" or "Cancel import".
    pub(crate) fn dialog(
        &self,
        ctx: &egui::Context,
        read_only: Option<&str>,
        commands: &mut Vec<Command>,
    ) {
        let dialog = egui::Id::unique("import-preview");
        let modal = egui::Modal::new(dialog).show(ctx, |ui| {
            ui.set_max_width(widgets::dialog_width(ui.ctx(), 640.0));
            // Everything but the buttons scrolls, so that they stay in a
            // small window at a large text size (they and the dialog's
            // frame take about 130 points).
            let window = ui.ctx().content_rect().height();
            egui::ScrollArea::vertical()
                .max_height((window - 130.0).max(48.0))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(format!("Import {}?", self.file_name))
                            .text_style(theme::title_style())
                            .strong(),
                    );
                    widgets::hint(
                        ui,
                        "Nothing has changed yet. A backup is made before anything is imported.",
                    );
                    ui.add_space(theme::GAP_S);
                    for line in &self.lines {
                        ui.label(line);
                    }
                    if let Some(reason) = read_only {
                        widgets::error_line(ui, &format!("Nothing can be imported: {reason}"));
                    }
                });
            ui.add_space(theme::GAP_M);
            ui.horizontal_wrapped(|ui| {
                let import = ui.add_enabled(read_only.is_none(), egui::Button::new("Import now"));
                widgets::focus_on_open(ui, dialog, &import);
                if import.clicked() {
                    commands.push(Command::ApplyImport);
                }
                if ui.button("Cancel import").clicked() {
                    commands.push(Command::CancelImport);
                }
            });
        });
        if modal.should_close() {
            commands.push(Command::CancelImport);
        }
        if commands
            .iter()
            .any(|c| matches!(c, Command::ApplyImport | Command::CancelImport))
        {
            widgets::dialog_closed(ctx, dialog);
        }
    }

    /// Backs the database up, then applies the plan in one transaction.
    /// Returns the sentence to show.
    pub(crate) fn apply(self, store: &mut Store, today: NaiveDate, now: DateTime<Utc>) -> String {
        let result = crate::exchange::write_with_backup(store, now, |store| {
            merge::apply(store, &self.plans, today)
        });
        match result {
            Ok((ids, backup)) => format!(
                "✔ Imported {}.{}",
                plural(ids.len() as i64, "patient", "patients"),
                if backup.is_some() {
                    " A backup was made first."
                } else {
                    ""
                }
            ),
            Err(e) => format!("Not imported: {e}. Nothing changed."),
        }
    }
}
