//! First run and "Add patient": who the patient is, their operation, and
//! how they were before it (the start of their expected recovery).

use super::ReceivesOutcome;
use crate::model::{Approach, Baseline, MAX_MINUTES, PatientDetails, Procedure};
use crate::session::{Edit, Outcome};
use crate::ui::widgets::{self, ScorePicker};
use crate::ui::{AppView, Command, Screen, theme};
use chrono::NaiveDate;
use egui::{RichText, Ui};
use strum::VariantArray;

pub struct SetupScreen {
    name: String,
    has_birth_date: bool,
    date_of_birth: NaiveDate,
    surgery_date: NaiveDate,
    procedure: Procedure,
    approach: Approach,
    levels: String,
    surgeon: String,
    clinic: String,
    knows_baseline: bool,
    back_pain: Option<u8>,
    leg_pain: Option<u8>,
    walking_minutes: u16,
    sitting_minutes: u16,
    has_odi: bool,
    odi: u8,
    error: Option<String>,
}

impl ReceivesOutcome for SetupScreen {
    fn receive(&mut self, outcome: &Outcome) {
        self.error = outcome.error.as_ref().map(|e| e.message.clone());
    }
}

impl SetupScreen {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            name: String::new(),
            has_birth_date: false,
            date_of_birth: NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or(today),
            surgery_date: today,
            procedure: Procedure::Tlif,
            approach: Approach::Open,
            levels: String::new(),
            surgeon: String::new(),
            clinic: String::new(),
            knows_baseline: true,
            back_pain: None,
            leg_pain: None,
            walking_minutes: 10,
            sitting_minutes: 20,
            has_odi: false,
            odi: 40,
            error: None,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, app: &mut AppView<'_>) {
        let first_run = app.patients.is_empty();
        widgets::page(ui, app.page, "setup", |ui| {
            ui.set_max_width(ui.available_width().min(900.0));
            if first_run {
                ui.heading("Welcome to Recovery Tracker");
                ui.label(
                    "A minute a day to follow your recovery after lumbar spinal fusion: \
                         pain, walking, sitting, sleep and medicine, charted against how people \
                         who had the same operation usually recover.",
                );
                ui.label(
                    RichText::new("Your data stays on this computer. Nothing is sent anywhere.")
                        .strong(),
                );
                ui.add_space(theme::GAP_S);
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Explore with demo data").clicked() {
                        app.push(Command::ExploreDemo);
                    }
                    widgets::hint(ui, "See the app with made-up patients first.");
                });
                ui.add_space(theme::GAP_M);
            } else {
                ui.heading("Add a patient");
            }
            self.patient_card(ui, app.today);
            ui.add_space(theme::GAP_M);
            self.baseline_card(ui);
            ui.add_space(theme::GAP_M);
            ui.horizontal_wrapped(|ui| {
                let colors = theme::palette(ui.visuals());
                let create = egui::Button::new(
                    RichText::new("Create patient")
                        .size(20.0)
                        .strong()
                        .color(colors.on_accent),
                )
                .fill(colors.accent)
                .min_size(egui::vec2(200.0, 48.0));
                if ui.add(create).clicked() {
                    self.submit(app);
                }
                if !first_run && ui.button("Cancel").clicked() {
                    app.push(Command::Show(Screen::Today));
                }
                if let Some(error) = &self.error {
                    widgets::error_line(ui, error);
                }
            });
            ui.add_space(theme::GAP_L);
        });
    }

    fn text_row(ui: &mut Ui, label: &str, value: &mut String, hint: &str) {
        form_row(ui, label, |ui, label| {
            let width = ui.available_width().min(360.0);
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(width),
            )
            .labelled_by(label.id);
        });
    }

    fn patient_card(&mut self, ui: &mut Ui, today: NaiveDate) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "The patient and the operation");
            Self::text_row(ui, "Name", &mut self.name, "First and last name");
            form_row(ui, "Date of birth", |ui, _| {
                ui.checkbox(&mut self.has_birth_date, "Add date of birth");
                if self.has_birth_date {
                    widgets::date_field(ui, "birth-date", "Date of birth", &mut self.date_of_birth);
                }
            });
            form_row(ui, "Surgery date", |ui, _| {
                widgets::date_field(ui, "surgery-date", "Surgery date", &mut self.surgery_date);
                if self.surgery_date > today {
                    widgets::hint(ui, "In the future: fine if you are setting up before the operation.");
                }
            });
            form_row(ui, "Procedure", |ui, label| {
                let width = (ui.available_width() - 30.0).clamp(160.0, 380.0);
                egui::ComboBox::from_id_salt("procedure")
                    .width(width)
                    .truncate()
                    .selected_text(self.procedure.label())
                    .show_ui(ui, |ui| {
                        for &p in Procedure::VARIANTS {
                            ui.selectable_value(&mut self.procedure, p, p.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            form_row(ui, "Approach", |ui, _| {
                for &a in Approach::VARIANTS {
                    ui.radio_value(&mut self.approach, a, a.label());
                }
            });
            Self::text_row(ui, "Fused levels", &mut self.levels, "For example L4–L5");
            Self::text_row(ui, "Surgeon (optional)", &mut self.surgeon, "");
            Self::text_row(ui, "Clinic (optional)", &mut self.clinic, "");
            widgets::hint(
                ui,
                "Not sure of the procedure or approach? Your discharge letter says; choose Other until you know.",
            );
        });
    }

    fn baseline_card(&mut self, ui: &mut Ui) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Before the operation");
            widgets::hint(
                ui,
                "How things were in the weeks before surgery. Your expected recovery starts from here.",
            );
            ui.checkbox(&mut self.knows_baseline, "I can say how I was before surgery");
            if !self.knows_baseline {
                widgets::hint(ui, "The app will use typical values for your operation instead.");
                return;
            }
            widgets::section_title(ui, "Back pain before surgery");
            ui.add(ScorePicker::new("Back pain before surgery", &mut self.back_pain));
            widgets::section_title(ui, "Leg pain before surgery");
            ui.add(ScorePicker::new("Leg pain before surgery", &mut self.leg_pain));
            widgets::hint(ui, "How long could you walk at one time?");
            widgets::minutes_field(ui, "Walking before surgery", &mut self.walking_minutes, MAX_MINUTES);
            widgets::hint(ui, "How long could you sit at one time?");
            widgets::minutes_field(ui, "Sitting before surgery", &mut self.sitting_minutes, MAX_MINUTES);
            ui.horizontal_wrapped(|ui| {
                ui.checkbox(&mut self.has_odi, "Oswestry Disability Index (ODI) total, if you know it");
                if self.has_odi {
                    let response = ui.add(egui::DragValue::new(&mut self.odi).range(0..=100));
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "ODI before surgery")
                    });
                }
            });
        });
    }

    fn submit(&mut self, app: &mut AppView<'_>) {
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let details = PatientDetails {
            name: self.name.trim().to_owned(),
            date_of_birth: self.has_birth_date.then_some(self.date_of_birth),
            surgery_date: self.surgery_date,
            procedure: self.procedure,
            approach: self.approach,
            levels: self.levels.trim().to_owned(),
            surgeon: optional(&self.surgeon),
            clinic: optional(&self.clinic),
        };
        if let Err(e) = details.validate(app.today) {
            self.error = Some(format!(
                "Please check {}: {}.",
                e.field.replace('_', " "),
                e.message
            ));
            return;
        }
        let baseline = if self.knows_baseline {
            let (Some(back_pain), Some(leg_pain)) = (self.back_pain, self.leg_pain) else {
                self.error = Some(
                    "Please choose your back and leg pain before surgery, or untick \"I can say how I was before surgery\"."
                        .to_owned(),
                );
                return;
            };
            Some(Baseline {
                back_pain,
                leg_pain,
                walking_minutes: self.walking_minutes,
                sitting_minutes: self.sitting_minutes,
                odi: self.has_odi.then_some(self.odi),
            })
        } else {
            None
        };
        self.error = None;
        app.edit(Edit::CreatePatient(details, baseline));
    }
}

/// A form field with its label: the label in a column of its own when the
/// form is wide, above the field when it is narrow. Both wrap.
fn form_row(ui: &mut Ui, label: &str, add: impl FnOnce(&mut Ui, &egui::Response)) {
    if ui.available_width() >= 560.0 {
        ui.horizontal_wrapped(|ui| {
            let label = ui.add_sized([200.0, 36.0], egui::Label::new(label));
            add(ui, &label);
        });
    } else {
        let label = ui.label(label);
        ui.horizontal_wrapped(|ui| add(ui, &label));
    }
}
