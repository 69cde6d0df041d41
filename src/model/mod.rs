//! Plain domain types and their validation. No I/O here: the store, the
//! importers and the GUI all validate through these functions, so a person
//! gets the same message whichever way a bad value arrives.

mod body_map;
mod metric;
mod nerves;
mod program;
pub mod psfs;
mod symptoms;

pub use body_map::{BodyMap, BodySide, MapSymptom, Mark, Region, View, place_words};
pub use metric::{MetricKey, MetricSource};
pub use nerves::{NerveSymptoms, Side, Weakness};
pub use program::{
    CUSTOM_PREFIX, CustomMilestone, Dose, ExerciseLog, FlagReview, MilestoneRecord, PlanItem,
    VisitNote,
};
pub use psfs::{PsfsActivity, PsfsRating};
pub use strum::VariantArray;
pub use symptoms::{Urgency, WarningSymptom, WarningSymptoms};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Upper bound for walking and sitting tolerance: a whole day.
pub const MAX_MINUTES: u16 = 1440;
/// More doses than this in a day is a typing error, not a dose count.
pub const MAX_OPIOID_DOSES: u8 = 50;
pub const MAX_NOTE_CHARS: usize = 5000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_SHORT_TEXT_CHARS: usize = 100;
/// How far before the operation a check-in or an ODI total may be
/// recorded: the weeks of deciding and waiting, up to a year.
pub const MAX_DAYS_BEFORE_SURGERY: u64 = 366;
/// The days before surgery whose check-ins make the patient's baseline,
/// and the fewest check-ins in them that do.
pub const PRE_OPERATIVE_BASELINE_DAYS: u64 = 14;
pub const MIN_PRE_OPERATIVE_CHECK_INS: usize = 5;
/// Longest reason a clinician gives for choosing a baseline, in characters
/// (it is also written, with the values, to the change log).
pub const MAX_REASON_CHARS: usize = 200;
/// Oldest plausible surgery or birth date; earlier dates are typing errors.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// The dates a person can write as YYYY-MM-DD: four-digit years.
const FIRST_WRITABLE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
const LAST_WRITABLE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("valid constant date"),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PatientId(pub i64);

impl fmt::Display for PatientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A value a person entered that cannot be stored, with the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

fn check_range<T: PartialOrd + fmt::Display + Copy>(
    field: &'static str,
    value: T,
    min: T,
    max: T,
) -> Result<(), ValidationError> {
    if value < min || value > max {
        return Err(ValidationError::new(
            field,
            format!("must be between {min} and {max} (got {value})"),
        ));
    }
    Ok(())
}

fn check_text(field: &'static str, text: &str, max_chars: usize) -> Result<(), ValidationError> {
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(ValidationError::new(
            field,
            format!("is too long ({chars} characters; at most {max_chars})"),
        ));
    }
    Ok(())
}

/// The codes stored in the database and in exports are the `snake_case`
/// names (`llif_xlif`), derived once by strum and serde alike.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Procedure {
    Tlif,
    Plif,
    Alif,
    LlifXlif,
    Posterolateral,
    Other,
}

impl Procedure {
    /// The code stored in the database and in exports.
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            Procedure::Tlif => "TLIF (transforaminal interbody fusion)",
            Procedure::Plif => "PLIF (posterior interbody fusion)",
            Procedure::Alif => "ALIF (anterior interbody fusion)",
            Procedure::LlifXlif => "LLIF / XLIF (lateral interbody fusion)",
            Procedure::Posterolateral => "Posterolateral fusion",
            Procedure::Other => "Other fusion",
        }
    }

    pub fn short_label(self) -> &'static str {
        match self {
            Procedure::Tlif => "TLIF",
            Procedure::Plif => "PLIF",
            Procedure::Alif => "ALIF",
            Procedure::LlifXlif => "LLIF/XLIF",
            Procedure::Posterolateral => "Posterolateral",
            Procedure::Other => "Other",
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Approach {
    /// Open posterior surgery
    Open,
    /// Minimally invasive posterior surgery
    #[serde(rename = "mis")]
    #[strum(serialize = "mis")]
    #[value(name = "mis")]
    MinimallyInvasive,
    /// From the side, through or beside the psoas muscle (LLIF, XLIF, OLIF)
    Lateral,
    /// From the front, through the belly (ALIF)
    Anterior,
    /// The patient does not know yet (the discharge letter says)
    #[value(alias = "not_sure")]
    NotSure,
}

impl Approach {
    /// The code stored in the database and in exports.
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            Approach::Open => "Open, from the back",
            Approach::MinimallyInvasive => "Minimally invasive, from the back",
            Approach::Lateral => "From the side (lateral)",
            Approach::Anterior => "From the front (anterior)",
            Approach::NotSure => "Not sure",
        }
    }

    /// A word or two for lists and headers.
    pub fn short_label(self) -> &'static str {
        match self {
            Approach::Open => "Open",
            Approach::MinimallyInvasive => "Minimally invasive",
            Approach::Lateral => "Lateral",
            Approach::Anterior => "Anterior",
            Approach::NotSure => "Approach not known",
        }
    }

    /// The published cohort this patient's recovery is compared with.
    /// Someone who is not sure is compared with open surgery from the back:
    /// the most common fusion, and the slower of the two posterior courses,
    /// so nobody is told they are behind because of a guess.
    pub fn cohort(self) -> Cohort {
        match self {
            Approach::Open | Approach::NotSure => Cohort::Open,
            Approach::MinimallyInvasive => Cohort::Mis,
            Approach::Lateral => Cohort::Lateral,
            Approach::Anterior => Cohort::Anterior,
        }
    }

    /// Which people this recovery is compared with, in one sentence.
    pub fn comparison(self) -> String {
        let words = self.cohort().words();
        match self {
            Approach::NotSure => format!(
                "The approach is not known yet, so this recovery is compared with {words}, \
                 the most common fusion. Set the approach in the operation details when it is known: \
                 the expected course may change."
            ),
            _ => format!("This recovery is compared with people who had {words}."),
        }
    }

    /// The approach a procedure always has, where it decides it (an ALIF is
    /// always from the front); `None` where the patient must say.
    pub fn implied_by(procedure: Procedure) -> Option<Self> {
        match procedure {
            Procedure::Alif => Some(Approach::Anterior),
            Procedure::LlifXlif => Some(Approach::Lateral),
            Procedure::Tlif | Procedure::Plif | Procedure::Posterolateral | Procedure::Other => {
                None
            }
        }
    }
}

/// The groups of published outcome data, one per surgical approach: what
/// the protocol's curves, starting points and milestone windows are keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    Open,
    Mis,
    Lateral,
    Anterior,
}

impl Cohort {
    /// How the cohort is named in sentences ("compared with … surgery").
    pub fn words(self) -> &'static str {
        match self {
            Cohort::Open => "open surgery from the back",
            Cohort::Mis => "minimally invasive surgery from the back",
            Cohort::Lateral => "lateral fusion from the side",
            Cohort::Anterior => "anterior fusion from the front",
        }
    }
}

/// Who a database is for: one person's own recovery (a patient at home)
/// or a clinic's patients (a physiotherapist). It decides which screens
/// exist; the data is the same.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
    strum::EnumString,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum UseMode {
    /// One patient, at home: no patient list, no review.
    #[default]
    Own,
    /// Many patients: the patient list is home; review, visit notes, plans.
    Clinic,
}

impl UseMode {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            UseMode::Own => "This is my own recovery",
            UseMode::Clinic => "I am a physiotherapist or a clinic",
        }
    }

    /// What a file holds decides until a person chooses: one patient (or
    /// none) is someone's own recovery, more is a clinic.
    pub fn fitting(patients: u64) -> Self {
        if patients <= 1 {
            UseMode::Own
        } else {
            UseMode::Clinic
        }
    }
}

/// A patient and their operation, as entered at setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientDetails {
    pub name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub surgery_date: NaiveDate,
    pub procedure: Procedure,
    pub approach: Approach,
    /// Fused levels as the surgeon wrote them, e.g. "L4–L5".
    pub levels: String,
    pub surgeon: Option<String>,
    pub clinic: Option<String>,
    /// The surgical team's phone number: what the warning banner shows
    /// first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_phone: Option<String>,
    /// The day the patient went home from hospital, when known: nothing
    /// before it counts as a missed check-in or exercise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharged_on: Option<NaiveDate>,
}

/// Longest phone number, in characters (with spaces and signs).
pub const MAX_PHONE_CHARS: usize = 40;

/// A phone number as people write it: digits with spaces, dots, dashes,
/// brackets, a leading + and an extension ("ext 12").
fn check_phone(phone: &str) -> Result<(), ValidationError> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().extEXT/".contains(c);
    if phone.chars().count() > MAX_PHONE_CHARS || digits < 3 || !phone.chars().all(allowed) {
        return Err(ValidationError::new(
            "team_phone",
            format!(
                "should be a phone number (digits, spaces, + - ( ) and at most {MAX_PHONE_CHARS} characters)"
            ),
        ));
    }
    Ok(())
}

impl PatientDetails {
    pub fn validate(&self, today: NaiveDate) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "is required"));
        }
        check_text("name", &self.name, MAX_NAME_CHARS)?;
        check_text("levels", &self.levels, MAX_SHORT_TEXT_CHARS)?;
        for (field, text) in [("surgeon", &self.surgeon), ("clinic", &self.clinic)] {
            if let Some(text) = text {
                check_text(field, text, MAX_SHORT_TEXT_CHARS)?;
            }
        }
        if self.surgery_date < EARLIEST_DATE {
            return Err(ValidationError::new(
                "surgery_date",
                format!("{} is too far in the past", self.surgery_date),
            ));
        }
        // A patient may be set up a few weeks before the operation.
        if self.surgery_date > today + chrono::Days::new(366) {
            return Err(ValidationError::new(
                "surgery_date",
                format!("{} is more than a year from today", self.surgery_date),
            ));
        }
        if let Some(phone) = &self.team_phone {
            check_phone(phone.trim())?;
        }
        if let Some(home) = self.discharged_on {
            if home < self.surgery_date {
                return Err(ValidationError::new(
                    "discharged_on",
                    "cannot be before the surgery date",
                ));
            }
            if home > today || (home - self.surgery_date).num_days() > 365 {
                return Err(ValidationError::new(
                    "discharged_on",
                    format!("{home} is not a possible day of going home"),
                ));
            }
        }
        if let Some(born) = self.date_of_birth {
            if born < EARLIEST_DATE || born > today {
                return Err(ValidationError::new(
                    "date_of_birth",
                    format!("{born} is not a possible date of birth"),
                ));
            }
            if born >= self.surgery_date {
                return Err(ValidationError::new(
                    "date_of_birth",
                    "must be before the surgery date",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    pub id: PatientId,
    pub details: PatientDetails,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    /// The first day the patient used the app (the day they were set up;
    /// for an import, their first check-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_used_on: Option<NaiveDate>,
}

impl Patient {
    /// Days until the operation on `day`; `None` on and after its day.
    pub fn days_to_surgery(&self, day: NaiveDate) -> Option<i64> {
        let days = -self.days_since_surgery(day);
        (days > 0).then_some(days)
    }

    /// Days since surgery on `day`; negative before the operation.
    pub fn days_since_surgery(&self, day: NaiveDate) -> i64 {
        (day - self.details.surgery_date).num_days()
    }

    /// "Week N" as people count it: the day of surgery is in week 0.
    pub fn week_since_surgery(&self, day: NaiveDate) -> i64 {
        self.days_since_surgery(day).div_euclid(7)
    }
}

/// How the patient was before surgery: the starting point their expected
/// recovery is drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub back_pain: u8,
    pub leg_pain: u8,
    pub walking_minutes: u16,
    pub sitting_minutes: u16,
    /// Oswestry Disability Index total (0–100); the questionnaire itself is
    /// licensed, so only the total is recorded.
    pub odi: Option<u8>,
    /// Leg numbness and tingling 0–10 before surgery, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbness: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tingling: Option<u8>,
    /// Set when a clinician chose these values over the average of the
    /// check-ins before surgery, and why ("pain flared the week before
    /// the operation after a fall").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinician_reason: Option<String>,
}

impl Baseline {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(reason) = &self.clinician_reason {
            if reason.trim().is_empty() {
                return Err(ValidationError::new(
                    "clinician_reason",
                    "should say why these values are used instead of the days before surgery",
                ));
            }
            check_text("clinician_reason", reason, MAX_REASON_CHARS)?;
            if reason.chars().any(char::is_control) {
                return Err(ValidationError::new(
                    "clinician_reason",
                    "should be one line of text",
                ));
            }
        }
        check_range("back_pain", self.back_pain, 0, 10)?;
        check_range("leg_pain", self.leg_pain, 0, 10)?;
        check_range("walking_minutes", self.walking_minutes, 0, MAX_MINUTES)?;
        check_range("sitting_minutes", self.sitting_minutes, 0, MAX_MINUTES)?;
        if let Some(odi) = self.odi {
            check_range("odi", odi, 0, 100)?;
        }
        if let Some(numbness) = self.numbness {
            check_range("numbness", numbness, 0, 10)?;
        }
        if let Some(tingling) = self.tingling {
            check_range("tingling", tingling, 0, 10)?;
        }
        Ok(())
    }
}

/// One day's check-in. It belongs to a patient, who is named separately
/// wherever a check-in is stored or exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    pub day: NaiveDate,
    pub back_pain: u8,
    pub leg_pain: u8,
    pub walking_minutes: u16,
    pub sitting_minutes: u16,
    pub sleep_quality: u8,
    pub opioid_doses: u8,
    pub warning_symptoms: WarningSymptoms,
    pub note: String,
    /// Numbness, tingling and weakness; none when the day's check-in did
    /// not ask or the patient skipped them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nerves: Option<NerveSymptoms>,
    /// Where pain, numbness and tingling are; empty when not marked.
    #[serde(default, skip_serializing_if = "BodyMap::is_empty")]
    pub body_map: BodyMap,
}

impl CheckIn {
    /// The day's warning signs: those ticked, and saddle numbness when the
    /// body map marks it, an emergency even where its box was left unticked
    /// (a file imported from elsewhere, an untick by mistake).
    pub fn warnings(&self) -> WarningSymptoms {
        let mut warnings = self.warning_symptoms;
        if self.body_map.contains(Mark::SADDLE_NUMBNESS) {
            warnings.set(WarningSymptom::SaddleNumbness, true);
        }
        warnings
    }

    /// Ranges only; see [`CheckIn::validate_for`] for dates.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_range("back_pain", self.back_pain, 0, 10)?;
        check_range("leg_pain", self.leg_pain, 0, 10)?;
        check_range("walking_minutes", self.walking_minutes, 0, MAX_MINUTES)?;
        check_range("sitting_minutes", self.sitting_minutes, 0, MAX_MINUTES)?;
        check_range("sleep_quality", self.sleep_quality, 0, 10)?;
        check_range("opioid_doses", self.opioid_doses, 0, MAX_OPIOID_DOSES)?;
        check_text("note", &self.note, MAX_NOTE_CHARS)?;
        if let Some(nerves) = &self.nerves {
            nerves.validate()?;
        }
        self.body_map.validate()
    }

    /// Ranges, and a day between a year before the patient's surgery and
    /// today: the days before the operation are the patient's own
    /// baseline.
    pub fn validate_for(&self, patient: &Patient, today: NaiveDate) -> Result<(), ValidationError> {
        self.validate()?;
        check_not_long_before_surgery(self.day, patient.details.surgery_date)?;
        if self.day > today {
            return Err(ValidationError::new(
                "day",
                format!("{} is in the future", self.day),
            ));
        }
        Ok(())
    }
}

/// An Oswestry Disability Index total recorded on a day. The questionnaire
/// is licensed, so the app records only the total (0–100, higher is worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdiEntry {
    pub day: NaiveDate,
    pub total: u8,
}

impl OdiEntry {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_range("odi", self.total, 0, 100)
    }

    pub fn validate_for(&self, patient: &Patient, today: NaiveDate) -> Result<(), ValidationError> {
        self.validate()?;
        if self.day > today {
            return Err(ValidationError::new(
                "day",
                format!("{} is in the future", self.day),
            ));
        }
        check_not_long_before_surgery(self.day, patient.details.surgery_date)
    }
}

/// A day at most [`MAX_DAYS_BEFORE_SURGERY`] before the operation, and not
/// after today: the days a check-in, an ODI total or a PSFS answer may have.
pub(crate) fn check_day_for(
    field: &'static str,
    day: NaiveDate,
    patient: &Patient,
    today: NaiveDate,
) -> Result<(), ValidationError> {
    if day > today {
        return Err(ValidationError::new(
            field,
            format!("{day} is in the future"),
        ));
    }
    check_not_long_before_surgery(day, patient.details.surgery_date)
        .map_err(|e| ValidationError::new(field, e.message))
}

/// A day at most [`MAX_DAYS_BEFORE_SURGERY`] before the operation.
fn check_not_long_before_surgery(
    day: NaiveDate,
    surgery: NaiveDate,
) -> Result<(), ValidationError> {
    let earliest = surgery
        .checked_sub_days(chrono::Days::new(MAX_DAYS_BEFORE_SURGERY))
        .unwrap_or(NaiveDate::MIN);
    if day < earliest {
        return Err(ValidationError::new(
            "day",
            format!("{day} is more than a year before the surgery on {surgery}"),
        ));
    }
    Ok(())
}

/// A patient with everything recorded about them: the unit of the JSON
/// document and of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientRecord {
    pub patient: Patient,
    pub baseline: Option<Baseline>,
    /// Ordered by day.
    pub check_ins: Vec<CheckIn>,
    /// Ordered by day.
    #[serde(default)]
    pub odi_entries: Vec<OdiEntry>,
    /// Ordered by key.
    #[serde(default)]
    pub milestones: Vec<MilestoneRecord>,
    /// The exercise plan with its history, ordered by start day.
    #[serde(default)]
    pub plan: Vec<PlanItem>,
    /// Ordered by day, then exercise.
    #[serde(default)]
    pub exercise_logs: Vec<ExerciseLog>,
    /// Ordered by day.
    #[serde(default)]
    pub visit_notes: Vec<VisitNote>,
    /// Ordered by flag key.
    #[serde(default)]
    pub flag_reviews: Vec<FlagReview>,
    /// Corrections of the patient's details, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<PatientChange>,
    /// The PSFS activities, in the order they were added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub psfs_activities: Vec<PsfsActivity>,
    /// PSFS ratings, ordered by day, then activity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub psfs_ratings: Vec<PsfsRating>,
}

/// One correction of a patient's details: which field, from what to what,
/// when. Values are as shown to a person ("2026-10-01", "mis").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientChange {
    pub changed_at: DateTime<Utc>,
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl PatientRecord {
    /// A patient with nothing recorded yet.
    pub fn empty(patient: Patient) -> Self {
        Self {
            patient,
            baseline: None,
            check_ins: Vec::new(),
            odi_entries: Vec::new(),
            milestones: Vec::new(),
            plan: Vec::new(),
            exercise_logs: Vec::new(),
            visit_notes: Vec::new(),
            flag_reviews: Vec::new(),
            changes: Vec::new(),
            psfs_activities: Vec::new(),
            psfs_ratings: Vec::new(),
        }
    }

    /// The first day that counts: the later of going home from hospital
    /// (when known) and the first day the patient used the app (the day
    /// they were set up, or the day they were added when that is not
    /// recorded), brought earlier by any check-in filled in for a day
    /// before it. Days before it are never missed days, exercise weeks or
    /// late milestones: the app did not exist for them.
    pub fn tracking_start(&self) -> NaiveDate {
        let details = &self.patient.details;
        let home = details.discharged_on.unwrap_or(details.surgery_date);
        self.first_used().max(home)
    }

    /// The first day the app was there for the patient: the day they were
    /// set up (or added, when that is not recorded), brought earlier by any
    /// check-in filled in for a day before it. May lie before surgery.
    pub fn first_used(&self) -> NaiveDate {
        let set_up = self
            .patient
            .first_used_on
            .unwrap_or_else(|| self.patient.created_at.date_naive());
        self.check_ins.first().map_or(set_up, |c| c.day.min(set_up))
    }

    /// Every dated row's day against `patient`'s operation and today:
    /// check-ins and ODI totals up to a year before surgery, milestones and
    /// exercise logs after it, nothing in the future. The one rule for a
    /// document's own patient and for the patient a document merges into.
    pub fn check_days_for(
        &self,
        patient: &Patient,
        today: NaiveDate,
    ) -> Result<(), ValidationError> {
        let surgery = patient.details.surgery_date;
        for c in &self.check_ins {
            c.validate_for(patient, today)?;
        }
        for e in &self.odi_entries {
            e.validate_for(patient, today)?;
        }
        for m in &self.milestones {
            m.validate_for(surgery, today)?;
        }
        for log in &self.exercise_logs {
            log.validate_for(surgery, today)?;
        }
        for a in &self.psfs_activities {
            a.validate_for(patient, today)?;
        }
        for r in &self.psfs_ratings {
            r.validate_for(patient, today)?;
        }
        Ok(())
    }

    /// The record with only the dated rows of `from..=to`; the patient,
    /// baseline, milestones and plan are kept whole.
    pub fn within(&self, from: NaiveDate, to: NaiveDate) -> Self {
        let inside = |d: NaiveDate| d >= from && d <= to;
        Self {
            patient: self.patient.clone(),
            baseline: self.baseline.clone(),
            check_ins: self
                .check_ins
                .iter()
                .filter(|c| inside(c.day))
                .cloned()
                .collect(),
            odi_entries: self
                .odi_entries
                .iter()
                .filter(|e| inside(e.day))
                .copied()
                .collect(),
            milestones: self.milestones.clone(),
            plan: self.plan.clone(),
            exercise_logs: self
                .exercise_logs
                .iter()
                .filter(|l| inside(l.day))
                .cloned()
                .collect(),
            visit_notes: self
                .visit_notes
                .iter()
                .filter(|n| inside(n.day))
                .cloned()
                .collect(),
            flag_reviews: self.flag_reviews.clone(),
            changes: self.changes.clone(),
            psfs_activities: self.psfs_activities.clone(),
            psfs_ratings: self
                .psfs_ratings
                .iter()
                .filter(|r| inside(r.day))
                .cloned()
                .collect(),
        }
    }
}

/// Parses a calendar date written as YYYY-MM-DD, the only form the app writes.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    // chrono's reason ("input contains invalid characters") says less than
    // the expected form does.
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .ok_or_else(|| format!("\"{text}\" is not a date in the form YYYY-MM-DD"))?;
    // chrono also reads years like -262143 and +12345, at whose edges date
    // arithmetic overflows: the form has four-digit years.
    if day < FIRST_WRITABLE_DATE || day > LAST_WRITABLE_DATE {
        return Err(format!("\"{text}\" is outside the years 1 to 9999"));
    }
    Ok(day)
}

/// A patient for the analyses' unit tests: open TLIF at L4-L5, with the
/// operation on `surgery` and added on `created` (both YYYY-MM-DD).
#[cfg(test)]
pub(crate) fn test_patient(surgery: &str, created: &str) -> Patient {
    let day = |s: &str| parse_day(s).expect("a test date");
    Patient {
        id: PatientId(1),
        details: PatientDetails {
            name: "A".into(),
            date_of_birth: None,
            surgery_date: day(surgery),
            procedure: Procedure::Tlif,
            approach: Approach::Open,
            levels: "L4-L5".into(),
            surgeon: None,
            clinic: None,
            team_phone: None,
            discharged_on: None,
        },
        archived: false,
        created_at: day(created).and_hms_opt(9, 0, 0).expect("a time").and_utc(),
        first_used_on: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    fn day(s: &str) -> NaiveDate {
        parse_day(s).expect("test date")
    }

    fn check_in() -> CheckIn {
        CheckIn {
            day: day("2026-03-10"),
            back_pain: 4,
            leg_pain: 2,
            walking_minutes: 20,
            sitting_minutes: 30,
            sleep_quality: 6,
            opioid_doses: 1,
            warning_symptoms: WarningSymptoms::default(),
            note: String::new(),
            nerves: None,
            body_map: Default::default(),
        }
    }

    fn patient() -> Patient {
        Patient {
            id: PatientId(1),
            details: PatientDetails {
                name: "A".into(),
                date_of_birth: None,
                surgery_date: day("2026-03-01"),
                procedure: Procedure::Tlif,
                approach: Approach::Open,
                levels: "L4–L5".into(),
                surgeon: None,
                clinic: None,
                team_phone: None,
                discharged_on: None,
            },
            archived: false,
            created_at: DateTime::UNIX_EPOCH,
            first_used_on: None,
        }
    }

    #[test]
    fn ranges_are_inclusive_at_both_ends() {
        let mut c = check_in();
        c.back_pain = 10;
        c.leg_pain = 0;
        c.walking_minutes = MAX_MINUTES;
        assert_eq!(c.validate(), Ok(()));
        c.back_pain = 11;
        let err = c.validate().expect_err("11 is out of range");
        assert_eq!(err.field, "back_pain");
        assert!(err.message.contains("got 11"), "{err}");
    }

    #[test]
    fn each_field_is_named_in_its_error() {
        type Spoil = fn(&mut CheckIn);
        let cases: [(&str, Spoil); 5] = [
            ("leg_pain", |c| c.leg_pain = 12),
            ("walking_minutes", |c| c.walking_minutes = MAX_MINUTES + 1),
            ("sitting_minutes", |c| c.sitting_minutes = 5000),
            ("sleep_quality", |c| c.sleep_quality = 11),
            ("opioid_doses", |c| c.opioid_doses = MAX_OPIOID_DOSES + 1),
        ];
        for (field, spoil) in cases {
            let mut c = check_in();
            spoil(&mut c);
            assert_eq!(c.validate().map_err(|e| e.field), Err(field));
        }
    }

    #[test]
    fn a_day_must_lie_between_a_year_before_surgery_and_today() {
        let p = patient();
        let today = day("2026-03-20");
        let mut c = check_in();
        c.day = p.details.surgery_date;
        assert_eq!(c.validate_for(&p, today), Ok(()));
        // The days before the operation are the patient's own baseline.
        c.day = day("2026-02-28");
        assert_eq!(c.validate_for(&p, today), Ok(()));
        c.day = day("2025-02-28");
        assert_eq!(c.validate_for(&p, today), Ok(()));
        c.day = day("2025-02-27");
        let err = c.validate_for(&p, today).expect_err("over a year before");
        assert_eq!(err.field, "day");
        assert!(err.message.contains("more than a year before"), "{err}");
        c.day = day("2026-03-21");
        let err = c.validate_for(&p, today).expect_err("future");
        assert!(err.message.contains("future"));
    }

    #[test]
    fn patient_details_need_a_name_and_a_sane_birth_date() {
        let today = day("2026-03-20");
        let mut d = patient().details;
        assert_eq!(d.validate(today), Ok(()));
        d.name = "  ".into();
        assert_eq!(d.validate(today).map_err(|e| e.field), Err("name"));
        d.name = "B".into();
        d.date_of_birth = Some(day("2026-03-05"));
        assert_eq!(d.validate(today).map_err(|e| e.field), Err("date_of_birth"));
    }

    #[test]
    fn weeks_since_surgery_start_at_zero() {
        let p = patient();
        assert_eq!(p.week_since_surgery(day("2026-03-01")), 0);
        assert_eq!(p.week_since_surgery(day("2026-03-07")), 0);
        assert_eq!(p.week_since_surgery(day("2026-03-08")), 1);
        assert_eq!(p.week_since_surgery(day("2026-02-28")), -1);
    }

    #[test]
    fn codes_round_trip() {
        for &p in Procedure::VARIANTS {
            assert_eq!(p.code().parse(), Ok(p));
        }
        for &a in Approach::VARIANTS {
            assert_eq!(a.code().parse(), Ok(a));
        }
        assert!("nope".parse::<Procedure>().is_err());
        assert_eq!(Approach::MinimallyInvasive.code(), "mis");
        assert_eq!(Procedure::LlifXlif.code(), "llif_xlif");
    }
}
