//! Text size, theme, and where the data is kept.

use super::ReceivesOutcome;
use crate::model::UseMode;
use crate::session::{Edit, Outcome};
use crate::ui::file_dialog::{Chosen, FileRequest, PendingChoice};
use crate::ui::theme::{self, ThemeChoice};
use crate::ui::{AppView, Command, PrefChange, widgets};
use egui::{RichText, Ui};
use strum::VariantArray;

/// The reminder's time when it is first turned on: after the day's walking
/// and before tiredness, when most people can sum up their day.
const DEFAULT_REMINDER: chrono::NaiveTime = match chrono::NaiveTime::from_hms_opt(19, 30, 0) {
    Some(t) => t,
    None => chrono::NaiveTime::MIN,
};

#[derive(Default)]
pub struct SettingsScreen {
    confirm_restore: Option<(std::path::PathBuf, String)>,
    import_path: String,
    /// The computer's file dialog for the import, while it is open.
    choosing_import: Option<PendingChoice>,
    /// Why the computer's file dialog did not open, once it did not.
    no_dialog: Option<String>,
    /// Why the last change of who uses the app was not made.
    error: Option<String>,
    /// The clinic's server as typed, the token as typed (never shown
    /// once saved), and the patient number to get from the server.
    clinic_url: Option<String>,
    clinic_token: String,
    clinic_patient: String,
    /// "Send everything again" asks first: the patient's name.
    confirm_send_all: Option<String>,
}

impl ReceivesOutcome for SettingsScreen {
    fn receive(&mut self, outcome: &Outcome) {
        self.error = outcome.error.as_ref().map(|e| e.message.clone());
    }
}

impl SettingsScreen {
    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        ui.heading("Settings");
        ui.add_space(theme::GAP_S);
        widgets::page(ui, app.page, "settings", |ui| {
            type Card = fn(&mut SettingsScreen, &mut Ui, &mut AppView<'_>);
            // The reminder is a patient's own: a clinic's file has none.
            let reminder: &[Card] = match app.use_mode {
                UseMode::Own => &[Self::reminder_card],
                UseMode::Clinic => &[],
            };
            let cards: Vec<Card> = [Self::text_size_card as Card, Self::colours_card]
                .into_iter()
                .chain(reminder.iter().copied())
                .chain([
                    Self::use_card as Card,
                    Self::data_card,
                    Self::clinic_card,
                    Self::import_card,
                    Self::backups_card,
                    Self::demo_card,
                ])
                .collect();
            for (i, card) in cards.into_iter().enumerate() {
                if i > 0 {
                    ui.add_space(theme::GAP_M);
                }
                theme::card(ui).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    card(self, ui, app);
                });
            }
        });
        self.confirm_dialog(ui, app);
        self.confirm_send_all_dialog(ui, app);
    }

    /// The text size: buttons and a slider, applied when let go.
    fn text_size_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let label = widgets::section_title(ui, "Text size");
        widgets::hint(ui, "Makes everything in the window bigger or smaller.");
        let mut percent = (app.prefs.text_scale * 100.0).round();
        ui.horizontal_wrapped(|ui| {
            let smaller = ui.button("Smaller");
            app.first_control(smaller.id);
            let slider = ui
                .add(
                    egui::Slider::new(&mut percent, 100.0..=200.0)
                        .step_by(10.0)
                        .fixed_decimals(0)
                        .suffix(" %"),
                )
                .labelled_by(label.id);
            let bigger = ui.button("Bigger");
            if smaller.clicked() {
                percent -= 10.0;
            }
            if bigger.clicked() {
                percent += 10.0;
            }
            // Apply when the slider is let go, so the window does not
            // rescale under the pointer mid-drag.
            let changed = smaller.clicked()
                || bigger.clicked()
                || (slider.changed() && !slider.dragged())
                || slider.drag_stopped();
            if changed {
                app.push(Command::Pref(PrefChange::TextScale(percent / 100.0)));
            }
        });
    }

    /// Who uses the app: one person's own recovery, or a clinic.
    fn use_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Who uses this app");
        widgets::hint(
            ui,
            "For your own recovery the app shows your screens only; a clinic also gets \
             the patient list, reviews and visit notes. Nothing is deleted either way.",
        );
        ui.horizontal_wrapped(|ui| {
            for &mode in UseMode::VARIANTS {
                if ui.radio(app.use_mode == mode, mode.label()).clicked() && app.use_mode != mode {
                    app.edit(Edit::SetUseMode(Some(mode)));
                }
            }
        });
        if let Some(error) = &self.error {
            widgets::error_line(ui, error);
        }
    }

    /// Light, dark, or as the computer is set.
    fn colours_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Colours");
        ui.horizontal(|ui| {
            for &choice in ThemeChoice::VARIANTS {
                if ui
                    .radio(app.prefs.theme == choice, choice.label())
                    .clicked()
                {
                    app.push(Command::Pref(PrefChange::Theme(choice)));
                }
            }
        });
    }

    /// The daily reminder: off until the person turns it on.
    fn reminder_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        use chrono::{NaiveTime, Timelike};
        widgets::section_title(ui, "Daily reminder");
        widgets::hint(
            ui,
            "A notification from this computer at the time you choose, if today's check-in is still missing, while the app is open and you are not using it (also when minimised). Clicking it opens Today.",
        );
        let current = app.prefs.reminder;
        let mut on = current.is_some();
        let chosen = current.unwrap_or(DEFAULT_REMINDER);
        let (mut hour, mut minute) = (chosen.hour(), chosen.minute());
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut on, "Remind me at");
            ui.add_enabled_ui(on, |ui| {
                egui::ComboBox::from_id_salt("reminder-hour")
                    .selected_text(format!("{hour:02}"))
                    .width(64.0)
                    .show_ui(ui, |ui| {
                        for h in 0..24 {
                            ui.selectable_value(&mut hour, h, format!("{h:02}"));
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, on, "Reminder hour")
                    });
                ui.label(":");
                egui::ComboBox::from_id_salt("reminder-minute")
                    .selected_text(format!("{minute:02}"))
                    .width(64.0)
                    .show_ui(ui, |ui| {
                        for m in (0..60).step_by(5) {
                            ui.selectable_value(&mut minute, m, format!("{m:02}"));
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, on, "Reminder minutes")
                    });
            });
        });
        let wanted = on
            .then(|| NaiveTime::from_hms_opt(hour, minute, 0))
            .flatten();
        if wanted != current {
            app.push(Command::Pref(PrefChange::Reminder(wanted)));
        }
    }

    /// Where the data lives.
    fn data_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Your data");
        ui.label(
            "Everything is stored in one file on this computer. Nothing leaves it unless you export it or send it to your clinic.",
        );
        // A long path wraps anywhere rather than running off the card.
        ui.add(
            egui::Label::new(RichText::new(app.db_path.display().to_string()).monospace())
                .wrap_mode(egui::TextWrapMode::Wrap),
        );
        if app.exploring_demo {
            widgets::hint(ui, "This is the demo file, kept apart from your own data.");
        }
    }

    /// The clinic's FHIR server: set it, send the patient there, and (for
    /// a clinic) get a patient from it into the import preview.
    fn clinic_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Clinic server");
        widgets::hint(
            ui,
            "Your clinic's FHIR server, if it has one. Nothing is sent until you press Send, and then only to this address: the patient's details, check-ins, scores, exercises and notes.",
        );
        let url = self
            .clinic_url
            .get_or_insert_with(|| app.clinic_server.unwrap_or_default().to_owned());
        egui::Grid::new("clinic-server")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Address");
                let width = (ui.available_width() - 16.0).clamp(160.0, 420.0);
                ui.add(
                    egui::TextEdit::singleline(url)
                        .hint_text("https://fhir.clinic.example/r4")
                        .desired_width(width),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Token");
                ui.add(
                    egui::TextEdit::singleline(&mut self.clinic_token)
                        .password(true)
                        .hint_text("if the clinic gave you one")
                        .desired_width(width),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
        widgets::hint(
            ui,
            "The token is kept beside your data, readable by you alone, and never exported. Leave the box empty to keep the one saved.",
        );
        if ui.button("Save clinic server").clicked() {
            app.push(Command::SaveClinicServer {
                url: url.clone(),
                token: std::mem::take(&mut self.clinic_token),
            });
        }
        let Some(server) = app.clinic_server else {
            return;
        };
        ui.add_space(theme::GAP_S);
        if let Some(status) = app.sync_status {
            widgets::hint(ui, status);
        }
        let idle = app.sync_status.is_none();
        if let Some(current) = app.current {
            let name = current.patient.details.name.clone();
            let (send, again) = ui
                .horizontal_wrapped(|ui| {
                    (
                        ui.add_enabled(
                            idle,
                            egui::Button::new(format!("Send {name} to the clinic")),
                        ),
                        ui.add_enabled(idle, egui::Button::new("Send everything again…")),
                    )
                })
                .inner;
            if send.clicked() {
                app.push(Command::SendToClinic { everything: false });
            }
            if again.clicked() {
                self.confirm_send_all = Some(name);
            }
        }
        if app.use_mode == UseMode::Clinic {
            self.find_on_clinic(ui, app, server, idle);
        }
    }

    /// A clinic's search of its server: a number is got at once, a name
    /// lists the patients it matches, each got with a press.
    fn find_on_clinic(&mut self, ui: &mut Ui, app: &mut AppView<'_>, server: &str, idle: bool) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Name or number on the server");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.clinic_patient).desired_width(200.0))
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let find = ui.add_enabled(idle, egui::Button::new("Find on clinic server"));
            if (find.clicked() || enter) && idle {
                let text = self.clinic_patient.trim().to_owned();
                app.push(
                    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
                        Command::GetFromClinic(text)
                    } else {
                        Command::FindOnClinic(text)
                    },
                );
            }
        });
        widgets::hint(
            ui,
            &format!(
                "Reads the patient from {server} and shows what importing them would change before anything is."
            ),
        );
        if let Some((search, matches)) = app.clinic_matches {
            if matches.is_empty() {
                widgets::hint(
                    ui,
                    &format!("No patient sent by Recovery Tracker matches \"{search}\"."),
                );
            }
            for found in matches {
                let born = found
                    .born
                    .as_deref()
                    .map_or_else(String::new, |b| format!(", born {b}"));
                let label = format!("Get {} (number {}{born})", found.name, found.identifier);
                if ui.add_enabled(idle, egui::Button::new(label)).clicked() {
                    app.push(Command::GetFromClinic(found.identifier.clone()));
                }
            }
        }
    }

    /// Importing a file from another computer: preview first.
    fn import_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Import from another computer");
        widgets::hint(
            ui,
            "A JSON or FHIR file exported by Recovery Tracker. A patient who is already here (same name and surgery date) gets only what is missing; days that differ are listed and kept as they are here.",
        );
        if let Some(answer) = self.choosing_import.as_ref().and_then(PendingChoice::poll) {
            self.choosing_import = None;
            match answer {
                Chosen::File(path) => {
                    self.import_path = path.display().to_string();
                    app.push(Command::PreviewImport(path));
                }
                Chosen::Cancelled => {}
                Chosen::NoDialog(why) => self.no_dialog = Some(why),
            }
        }
        ui.horizontal_wrapped(|ui| {
            let choose = ui.add_enabled(
                self.choosing_import.is_none(),
                egui::Button::new("Choose a file…"),
            );
            if choose.clicked() {
                self.choosing_import = Some(PendingChoice::start(
                    app.file_chooser,
                    ui.ctx(),
                    FileRequest {
                        title: "Import from another computer".to_owned(),
                        save: false,
                        folder: app.export_folder.to_path_buf(),
                        file_name: String::new(),
                        filter: (
                            "Recovery Tracker export (JSON, FHIR)".to_owned(),
                            vec!["json".to_owned()],
                        ),
                    },
                ));
            }
        });
        if let Some(why) = &self.no_dialog {
            widgets::hint(ui, why);
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Or type its path:");
            let width = (ui.available_width() - 60.0).clamp(160.0, 480.0);
            ui.add(egui::TextEdit::singleline(&mut self.import_path).desired_width(width))
                .labelled_by(label.id);
            if ui.button("Preview import").clicked() {
                app.push(Command::PreviewImport(std::path::PathBuf::from(
                    self.import_path.trim(),
                )));
            }
        });
    }

    /// Backups: make one now, or restore one after a confirmation.
    fn backups_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Backups");
        widgets::hint(
            ui,
            "A copy is made every day the app is opened (in the background, a moment after it opens), every week, and before every import, update and restore. The last 7 daily and 4 weekly copies are kept.",
        );
        if let Some(problem) = app.backup_problem {
            widgets::error_line(
                ui,
                &format!(
                    "Today's automatic backup could not be made: {problem}. It is tried again the next time the app opens; Back up now tries at once."
                ),
            );
        }
        if ui.button("Back up now").clicked() {
            app.push(Command::BackupNow);
        }
        if app.backups.is_empty() {
            ui.label("No backups yet.");
        }
        for b in app.backups.iter().take(20) {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(b.when()).strong());
                ui.label(b.kind.words());
                let restore =
                    ui.add_enabled(app.read_only.is_none(), egui::Button::new("Restore…"));
                restore.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Restore the backup of {}", b.when()),
                    )
                });
                if restore.clicked() {
                    self.confirm_restore = Some((b.path.clone(), b.label()));
                }
            });
        }
    }

    /// Demo data, in its own file.
    fn demo_card(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        widgets::section_title(ui, "Demo");
        widgets::hint(
            ui,
            "See the app filled with made-up patients. Your own data is not touched.",
        );
        if app.exploring_demo {
            if ui.button("Back to my own data").clicked() {
                app.push(Command::LeaveDemo);
            }
        } else if ui.button("Explore with demo data").clicked() {
            app.push(Command::ExploreDemo);
        }
    }

    /// Sending everything again replaces what the server holds, changes
    /// made there included: it is asked first.
    fn confirm_send_all_dialog(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some(name) = self.confirm_send_all.clone() else {
            return;
        };
        let dialog = egui::Id::unique("confirm-send-all");
        let modal = egui::Modal::new(dialog).show(ui.ctx(), |ui| {
            ui.set_max_width(widgets::dialog_width(ui.ctx(), 520.0));
            ui.label(
                RichText::new(format!("Send everything of {name} again?"))
                    .text_style(theme::title_style())
                    .strong(),
            );
            ui.label(format!(
                "Whatever the clinic's server holds for {name} is replaced by this record, changes made there included. Use it when the server lost something, or refused a send as another installation's patient."
            ));
            ui.add_space(theme::GAP_M);
            ui.horizontal_wrapped(|ui| {
                let colors = theme::palette(ui.visuals());
                let send = egui::Button::new(RichText::new("Send everything").color(colors.on_urgent))
                    .fill(colors.urgent);
                let send = ui.add(send);
                widgets::focus_on_open(ui, dialog, &send);
                if send.clicked() {
                    app.push(Command::SendToClinic { everything: true });
                    self.confirm_send_all = None;
                }
                if ui.button("Cancel").clicked() {
                    self.confirm_send_all = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_send_all = None;
        }
        if self.confirm_send_all.is_none() {
            widgets::dialog_closed(ui.ctx(), dialog);
        }
    }

    fn confirm_dialog(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let Some((path, name)) = self.confirm_restore.clone() else {
            return;
        };
        let dialog = egui::Id::unique("confirm-restore");
        let modal = egui::Modal::new(dialog).show(ui.ctx(), |ui| {
            ui.set_max_width(widgets::dialog_width(ui.ctx(), 520.0));
            ui.label(RichText::new("Restore this backup?").text_style(theme::title_style()).strong());
            ui.label(format!(
                "Everything in the app will be replaced by the backup of {name}. What is there now is backed up first, so it can be restored again."
            ));
            ui.add_space(theme::GAP_M);
            ui.horizontal(|ui| {
                let colors = theme::palette(ui.visuals());
                let restore = egui::Button::new(RichText::new("Restore backup").color(colors.on_urgent)).fill(colors.urgent);
                let restore = ui.add(restore);
                widgets::focus_on_open(ui, dialog, &restore);
                if restore.clicked() {
                    app.push(Command::RestoreBackup(path.clone()));
                    self.confirm_restore = None;
                }
                if ui.button("Cancel").clicked() {
                    self.confirm_restore = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm_restore = None;
        }
        if self.confirm_restore.is_none() {
            widgets::dialog_closed(ui.ctx(), dialog);
        }
    }
}
