//! The form for a patient's details and how they were before surgery:
//! one home for its fields, checks and errors, used to set a patient up
//! (Setup) and to correct them later (About).

use crate::model::{
    Approach, Baseline, MAX_MINUTES, Patient, PatientChange, PatientDetails, Procedure,
};
use crate::session::Outcome;
use crate::ui::theme;
use crate::ui::widgets::{self, ScorePicker};
use chrono::NaiveDate;
use egui::Ui;
use strum::VariantArray;

pub(crate) struct PatientForm {
    name: String,
    has_birth_date: bool,
    date_of_birth: NaiveDate,
    surgery_date: NaiveDate,
    procedure: Procedure,
    approach: Approach,
    levels: String,
    surgeon: String,
    clinic: String,
    team_phone: String,
    knows_discharge: bool,
    discharged_on: NaiveDate,
    knows_baseline: bool,
    back_pain: Option<u8>,
    leg_pain: Option<u8>,
    walking_minutes: u16,
    sitting_minutes: u16,
    /// As typed: empty until the person enters a number.
    odi: String,
    /// Optional: not asked unless the patient had them.
    numbness: Option<u8>,
    tingling: Option<u8>,
    /// A clinician keeps these values over the average of the check-ins
    /// before surgery, and says why.
    clinician_choice: bool,
    clinician_reason: String,
    pub(crate) error: Option<FieldError>,
}

/// What is wrong, shown under the field it concerns; `scroll` brings that
/// field into view once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldError {
    field: &'static str,
    message: String,
    scroll: bool,
}

/// The form's fields by the names validation uses, with the words a person
/// sees.
const FIELD_LABELS: [(&str, &str); 16] = [
    ("name", "Name"),
    ("date_of_birth", "Date of birth"),
    ("surgery_date", "Surgery date"),
    ("levels", "Fused levels"),
    ("surgeon", "Surgeon"),
    ("clinic", "Clinic"),
    ("team_phone", "The surgical team's phone"),
    ("procedure", "Procedure"),
    ("approach", "Approach"),
    ("baseline", "Before surgery"),
    ("discharged_on", "Day you went home"),
    ("back_pain", "Back pain before surgery"),
    ("leg_pain", "Leg pain before surgery"),
    ("odi", "ODI before surgery"),
    ("clinician_reason", "The reason for these values"),
    ("patient", "The patient"),
];

pub(crate) fn field_label(field: &str) -> &'static str {
    FIELD_LABELS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("This field", |(_, label)| label)
}

impl PatientForm {
    pub(crate) fn new(today: NaiveDate) -> Self {
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
            team_phone: String::new(),
            knows_discharge: false,
            discharged_on: today,
            knows_baseline: true,
            back_pain: None,
            leg_pain: None,
            walking_minutes: 10,
            sitting_minutes: 20,
            odi: String::new(),
            numbness: None,
            tingling: None,
            clinician_choice: false,
            clinician_reason: String::new(),
            error: None,
        }
    }

    /// The form filled in with what is stored, to correct it.
    pub(crate) fn of(patient: &Patient, baseline: Option<&Baseline>, today: NaiveDate) -> Self {
        let d = &patient.details;
        let empty = Self::new(today);
        Self {
            name: d.name.clone(),
            has_birth_date: d.date_of_birth.is_some(),
            date_of_birth: d.date_of_birth.unwrap_or(empty.date_of_birth),
            surgery_date: d.surgery_date,
            procedure: d.procedure,
            approach: d.approach,
            levels: d.levels.clone(),
            surgeon: d.surgeon.clone().unwrap_or_default(),
            clinic: d.clinic.clone().unwrap_or_default(),
            team_phone: d.team_phone.clone().unwrap_or_default(),
            knows_discharge: d.discharged_on.is_some(),
            discharged_on: d.discharged_on.unwrap_or(d.surgery_date),
            knows_baseline: baseline.is_some(),
            clinician_choice: baseline.is_some_and(|b| b.clinician_reason.is_some()),
            clinician_reason: baseline
                .and_then(|b| b.clinician_reason.clone())
                .unwrap_or_default(),
            back_pain: baseline.map(|b| b.back_pain),
            leg_pain: baseline.map(|b| b.leg_pain),
            walking_minutes: baseline.map_or(empty.walking_minutes, |b| b.walking_minutes),
            sitting_minutes: baseline.map_or(empty.sitting_minutes, |b| b.sitting_minutes),
            odi: baseline
                .and_then(|b| b.odi)
                .map(|o| o.to_string())
                .unwrap_or_default(),
            numbness: baseline.and_then(|b| b.numbness),
            tingling: baseline.and_then(|b| b.tingling),
            error: None,
        }
    }

    /// An edit's failure, under the field it names.
    pub(crate) fn receive(&mut self, outcome: &Outcome) {
        self.error = outcome.error.as_ref().map(|e| match (e.field, &e.problem) {
            (Some(field), Some(problem)) => FieldError {
                field,
                message: format!("{} {problem}.", field_label(field)),
                scroll: true,
            },
            _ => FieldError {
                field: "patient",
                message: e.message.clone(),
                scroll: true,
            },
        });
    }

    /// The two cards: the patient and the operation, then before surgery.
    /// `clinic`: the form is filled in by a clinician, who may keep the
    /// typed baseline over the days before surgery.
    pub(crate) fn ui(&mut self, ui: &mut Ui, today: NaiveDate, clinic: bool) {
        self.clear_fixed_error(today);
        self.patient_card(ui, today);
        ui.add_space(theme::GAP_M);
        self.baseline_card(ui, clinic);
    }

    /// Beside the save button: what is wrong, or where to look.
    pub(crate) fn error_summary(&self, ui: &mut Ui) {
        if let Some(error) = &self.error {
            if error.field == "patient" {
                widgets::error_line(ui, &error.message);
            } else {
                widgets::error_line(
                    ui,
                    &format!("Please check {} above.", field_label(error.field)),
                );
            }
        }
    }

    /// The details and baseline, when every field is right; otherwise the
    /// first problem is shown under its field and `None` returned.
    pub(crate) fn checked(
        &mut self,
        today: NaiveDate,
    ) -> Option<(PatientDetails, Option<Baseline>)> {
        match self.problem(today) {
            Ok(values) => {
                self.error = None;
                Some(values)
            }
            Err((field, message)) => {
                self.error = Some(FieldError {
                    field,
                    message,
                    scroll: true,
                });
                None
            }
        }
    }

    fn text_row(
        ui: &mut Ui,
        label: &str,
        value: &mut String,
        hint: &str,
    ) -> Option<egui::Response> {
        form_row(ui, label, |ui, label| {
            let width = ui.available_width().min(360.0);
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(hint)
                    .desired_width(width),
            )
            .labelled_by(label.id)
        })
    }

    fn patient_card(&mut self, ui: &mut Ui, today: NaiveDate) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "The patient and the operation");
            let name = Self::text_row(ui, "Name", &mut self.name, "First and last name");
            show_error(ui, &mut self.error, "name", name.as_ref());
            let born = form_row(ui, "Date of birth", |ui, _| {
                ui.checkbox(&mut self.has_birth_date, "Add date of birth");
                if self.has_birth_date {
                    widgets::date_field(ui, "birth-date", "Date of birth", &mut self.date_of_birth);
                }
            });
            show_error(ui, &mut self.error, "date_of_birth", born.as_ref());
            let surgery = form_row(ui, "Surgery date", |ui, _| {
                widgets::date_field(ui, "surgery-date", "Surgery date", &mut self.surgery_date);
                if self.surgery_date > today {
                    widgets::hint(ui, "In the future: fine if you are setting up before the operation.");
                }
            });
            show_error(ui, &mut self.error, "surgery_date", surgery.as_ref());
            form_row(ui, "Procedure", |ui, label| {
                let width = (ui.available_width() - 30.0).clamp(160.0, 380.0);
                egui::ComboBox::from_id_salt("procedure")
                    .width(width)
                    .truncate()
                    .selected_text(self.procedure.label())
                    .show_ui(ui, |ui| {
                        for &p in Procedure::VARIANTS {
                            let choice = ui.selectable_value(&mut self.procedure, p, p.label());
                            // An ALIF is always from the front, an LLIF/XLIF
                            // from the side: choosing one answers the next row.
                            if choice.clicked()
                                && let Some(implied) = Approach::implied_by(p)
                            {
                                self.approach = implied;
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            form_row(ui, "Approach", |ui, _| {
                ui.vertical(|ui| {
                    for &a in Approach::VARIANTS {
                        ui.radio_value(&mut self.approach, a, a.label());
                    }
                })
                .response
            });
            let levels = Self::text_row(ui, "Fused levels", &mut self.levels, "For example L4–L5");
            show_error(ui, &mut self.error, "levels", levels.as_ref());
            let surgeon = Self::text_row(ui, "Surgeon (optional)", &mut self.surgeon, "");
            show_error(ui, &mut self.error, "surgeon", surgeon.as_ref());
            let clinic = Self::text_row(ui, "Clinic (optional)", &mut self.clinic, "");
            show_error(ui, &mut self.error, "clinic", clinic.as_ref());
            let phone = Self::text_row(
                ui,
                "Surgical team's phone",
                &mut self.team_phone,
                "Optional: for example 020 7946 0142",
            );
            show_error(ui, &mut self.error, "team_phone", phone.as_ref());
            let home = form_row(ui, "Went home from hospital", |ui, _| {
                ui.checkbox(&mut self.knows_discharge, "I know the day");
                if self.knows_discharge {
                    widgets::date_field(ui, "discharge-date", "Went home from hospital", &mut self.discharged_on);
                }
            });
            show_error(ui, &mut self.error, "discharged_on", home.as_ref());
            widgets::hint(
                ui,
                "Not sure of the procedure or approach? Your discharge letter says. Until you know, choose Other and Not sure: your recovery is then compared with open surgery from the back, the most common.",
            );
        });
    }

    fn baseline_card(&mut self, ui: &mut Ui, clinic: bool) {
        theme::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            widgets::section_title(ui, "Before the operation");
            widgets::hint(
                ui,
                "How things were in the weeks before surgery. Your expected recovery starts from here. \
                 Check-ins on 5 or more of the 14 days before surgery take its place: the days \
                 themselves say more than one remembered number.",
            );
            ui.checkbox(&mut self.knows_baseline, "I can say how I was before surgery");
            if !self.knows_baseline {
                widgets::hint(ui, "The app will use typical values for your operation instead.");
                return;
            }
            widgets::section_title(ui, "Back pain before surgery");
            let back = ui.add(ScorePicker::new("Back pain before surgery", &mut self.back_pain));
            show_error(ui, &mut self.error, "back_pain", Some(&back));
            widgets::section_title(ui, "Leg pain before surgery");
            let leg = ui.add(ScorePicker::new("Leg pain before surgery", &mut self.leg_pain));
            show_error(ui, &mut self.error, "leg_pain", Some(&leg));
            widgets::hint(ui, "How long could you walk at one time?");
            widgets::minutes_field(ui, "Walking before surgery", &mut self.walking_minutes, MAX_MINUTES);
            widgets::hint(ui, "How long could you sit at one time?");
            widgets::minutes_field(ui, "Sitting before surgery", &mut self.sitting_minutes, MAX_MINUTES);
            widgets::hint(
                ui,
                "Walking and sitting start at 10 and 20 minutes: set them to how you were.",
            );
            ui.add_space(theme::GAP_S);
            widgets::section_title(ui, "Oswestry Disability Index (optional)");
            widgets::hint(
                ui,
                "A 0–100 score from a ten-question form about daily activities (higher means \
                 more limited). Leave it empty unless your clinic gave you the number.",
            );
            let odi = form_row(ui, "ODI before surgery", |ui, label| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.odi)
                        .hint_text("0–100")
                        .desired_width(90.0),
                )
                .labelled_by(label.id)
            });
            show_error(ui, &mut self.error, "odi", odi.as_ref());
            ui.add_space(theme::GAP_S);
            widgets::section_title(ui, "Numbness and tingling in the leg (optional)");
            widgets::hint(
                ui,
                "Only if you had them before surgery: their expected course starts from these.",
            );
            ui.add(
                ScorePicker::new("Leg numbness before surgery", &mut self.numbness)
                    .anchors("No numbness", "Completely numb"),
            );
            ui.add(
                ScorePicker::new("Leg tingling before surgery", &mut self.tingling)
                    .anchors("No tingling", "Worst imaginable"),
            );
            if clinic || self.clinician_choice {
                ui.add_space(theme::GAP_S);
                ui.checkbox(
                    &mut self.clinician_choice,
                    "Use these values even where there are check-ins before surgery",
                );
                if self.clinician_choice {
                    let reason = Self::text_row(
                        ui,
                        "Why",
                        &mut self.clinician_reason,
                        "For example: a fall the week before surgery",
                    );
                    show_error(ui, &mut self.error, "clinician_reason", reason.as_ref());
                }
            }
        });
    }

    /// The first thing that stops the patient being saved: which field,
    /// and what to do, in words.
    fn problem(
        &self,
        today: NaiveDate,
    ) -> Result<(PatientDetails, Option<Baseline>), (&'static str, String)> {
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
            team_phone: optional(&self.team_phone),
            discharged_on: self.knows_discharge.then_some(self.discharged_on),
        };
        details
            .validate(today)
            .map_err(|e| (e.field, format!("{} {}.", field_label(e.field), e.message)))?;
        if !self.knows_baseline {
            return Ok((details, None));
        }
        let choose = |field: &'static str| {
            (
                field,
                "Please choose a number, or untick \"I can say how I was before surgery\"."
                    .to_owned(),
            )
        };
        let back_pain = self.back_pain.ok_or_else(|| choose("back_pain"))?;
        let leg_pain = self.leg_pain.ok_or_else(|| choose("leg_pain"))?;
        let odi = match self.odi.trim() {
            "" => None,
            text => Some(
                text.parse::<u8>()
                    .ok()
                    .filter(|odi| *odi <= 100)
                    .ok_or(("odi", "The ODI is a whole number from 0 to 100; leave it empty if you do not know it.".to_owned()))?,
            ),
        };
        let baseline = Baseline {
            back_pain,
            leg_pain,
            walking_minutes: self.walking_minutes,
            sitting_minutes: self.sitting_minutes,
            odi,
            numbness: self.numbness,
            tingling: self.tingling,
            clinician_reason: self
                .clinician_choice
                .then(|| self.clinician_reason.trim().to_owned()),
        };
        baseline
            .validate()
            .map_err(|e| (e.field, format!("{} {}.", field_label(e.field), e.message)))?;
        Ok((details, Some(baseline)))
    }

    /// An error about a field goes as soon as that field is right.
    fn clear_fixed_error(&mut self, today: NaiveDate) {
        let Some(error) = &self.error else { return };
        if error.field == "patient" {
            return;
        }
        match self.problem(today) {
            Err((field, _)) if field == error.field => {}
            _ => self.error = None,
        }
    }
}

/// Under the field `field`: its error, if it has one; the first time, the
/// field is scrolled into view and given the keyboard focus.
fn show_error(
    ui: &mut Ui,
    error: &mut Option<FieldError>,
    field: &str,
    response: Option<&egui::Response>,
) {
    let Some(error) = error.as_mut().filter(|e| e.field == field) else {
        return;
    };
    let line = widgets::error_line(ui, &error.message);
    if std::mem::take(&mut error.scroll) {
        line.scroll_to_me(Some(egui::Align::Center));
        if let Some(response) = response {
            response.request_focus();
        }
    }
}

/// A form field with its label: the label in a column of its own when the
/// form is wide, above the field when it is narrow. Both wrap.
fn form_row<R>(
    ui: &mut Ui,
    label: &str,
    add: impl FnOnce(&mut Ui, &egui::Response) -> R,
) -> Option<egui::Response>
where
    R: IntoResponse,
{
    if ui.available_width() >= 560.0 {
        ui.horizontal_wrapped(|ui| {
            let label = ui.add_sized([220.0, 36.0], egui::Label::new(label));
            add(ui, &label).into_response()
        })
        .inner
    } else {
        let label = ui.label(label);
        ui.horizontal_wrapped(|ui| add(ui, &label).into_response())
            .inner
    }
}

/// What a form row's field gives back: its response, when it has one to
/// focus.
trait IntoResponse {
    fn into_response(self) -> Option<egui::Response>;
}

impl IntoResponse for () {
    fn into_response(self) -> Option<egui::Response> {
        None
    }
}

impl IntoResponse for egui::Response {
    fn into_response(self) -> Option<egui::Response> {
        Some(self)
    }
}

/// Every correction, newest first.
pub(crate) fn change_log(ui: &mut Ui, changes: &[PatientChange]) {
    theme::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        widgets::section_title(ui, "Changes");
        if changes.is_empty() {
            widgets::hint(
                ui,
                "Nothing has been corrected since the patient was set up.",
            );
            return;
        }
        for change in changes.iter().rev() {
            let when = change.changed_at.with_timezone(&chrono::Local);
            let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_owned());
            ui.label(format!(
                "{} {}: {} {} → {}",
                crate::words::date(when.date_naive()),
                when.format("%H:%M"),
                field_label(&change.field),
                value(&change.before),
                value(&change.after)
            ));
        }
    });
}
