//! `patient show` and `patient set`: a patient's details and baseline, and
//! corrections of them through the same edit as the window (logged, with
//! every check and its field named).

use super::AppContext;
use anyhow::{Context, Result, bail};
use recovery_tracker::model::{Approach, Baseline, PatientId, PatientRecord, Procedure, parse_day};
use recovery_tracker::session::{self, Edit};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct PatientCommand {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Print a patient's details, baseline and change log
    Show(Show),
    /// Correct a patient's details or baseline (each change is logged)
    Set(Set),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct Show {
    #[arg(long, value_name = "ID")]
    patient: i64,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Only the options given change; an empty text ("") clears an optional one.
#[derive(Debug, clap::Args)]
struct Set {
    #[arg(long, value_name = "ID")]
    patient: i64,
    #[arg(long)]
    name: Option<String>,
    /// YYYY-MM-DD, or "" to clear
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = optional_day)]
    date_of_birth: Option<Clearable>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    surgery_date: Option<chrono::NaiveDate>,
    #[arg(long, value_enum)]
    procedure: Option<Procedure>,
    #[arg(long, value_enum)]
    approach: Option<Approach>,
    #[arg(long)]
    levels: Option<String>,
    #[arg(long)]
    surgeon: Option<String>,
    #[arg(long)]
    clinic: Option<String>,
    /// The surgical team's phone number, or "" to clear
    #[arg(long, value_name = "PHONE")]
    team_phone: Option<String>,
    /// The day the patient went home from hospital, or "" to clear
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = optional_day)]
    discharged: Option<Clearable>,
    /// Back pain before surgery, 0–10
    #[arg(long, value_name = "0-10")]
    back_pain: Option<u8>,
    /// Leg pain before surgery, 0–10
    #[arg(long, value_name = "0-10")]
    leg_pain: Option<u8>,
    /// Minutes of walking at one time before surgery
    #[arg(long, value_name = "MINUTES")]
    walking: Option<u16>,
    /// Minutes of sitting at one time before surgery
    #[arg(long, value_name = "MINUTES")]
    sitting: Option<u16>,
    /// ODI total before surgery, 0–100
    #[arg(long, value_name = "0-100")]
    odi: Option<u8>,
    /// Leg numbness before surgery, 0–10
    #[arg(long, value_name = "0-10")]
    numbness: Option<u8>,
    /// Leg tingling before surgery, 0–10
    #[arg(long, value_name = "0-10")]
    tingling: Option<u8>,
    /// Keep the baseline's values over the average of the check-ins before
    /// surgery, for this reason ("" to let the days count again)
    #[arg(long, value_name = "TEXT")]
    baseline_reason: Option<String>,
}

/// A date option that "" clears.
#[derive(Debug, Clone, Copy)]
struct Clearable(Option<chrono::NaiveDate>);

fn optional_day(text: &str) -> Result<Clearable, String> {
    if text.trim().is_empty() {
        Ok(Clearable(None))
    } else {
        parse_day(text).map(|d| Clearable(Some(d)))
    }
}

/// The option that sets a field.
fn option_of(field: &str) -> String {
    match field {
        "discharged_on" => "discharged".to_owned(),
        "walking_minutes" => "walking".to_owned(),
        "sitting_minutes" => "sitting".to_owned(),
        "clinician_reason" => "baseline-reason".to_owned(),
        other => other.replace('_', "-"),
    }
}

/// Text as given, with "" meaning "none".
fn optional_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl PatientCommand {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        match &self.action {
            Action::Show(show) => show.run(context),
            Action::Set(set) => set.run(context),
        }
    }
}

impl Show {
    fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let store = context.open_store_to_read()?;
        let record = store
            .patient_record(PatientId(self.patient))
            .with_context(|| format!("reading patient {}", self.patient))?;
        match self.format {
            Format::Json => {
                #[derive(serde::Serialize)]
                struct Details<'a> {
                    patient: &'a recovery_tracker::model::Patient,
                    baseline: Option<&'a Baseline>,
                    tracking_start: chrono::NaiveDate,
                    changes: &'a [recovery_tracker::model::PatientChange],
                }
                let details = Details {
                    patient: &record.patient,
                    baseline: record.baseline.as_ref(),
                    tracking_start: record.tracking_start(),
                    changes: &record.changes,
                };
                say!("{}", serde_json::to_string_pretty(&details)?)?;
            }
            Format::Text => print_text(&record)?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn print_text(record: &PatientRecord) -> Result<()> {
    let p = &record.patient;
    let d = &p.details;
    let none = || "-".to_owned();
    say!("patient {}: {}", p.id.0, d.name)?;
    say!(
        "date of birth: {}",
        d.date_of_birth.map_or_else(none, |b| b.to_string())
    )?;
    say!(
        "surgery: {} · {} · {} · levels {}",
        d.surgery_date,
        d.procedure.label(),
        d.approach.label(),
        d.levels
    )?;
    say!("surgeon: {}", d.surgeon.clone().unwrap_or_else(none))?;
    say!("clinic: {}", d.clinic.clone().unwrap_or_else(none))?;
    say!(
        "surgical team's phone: {}",
        d.team_phone.clone().unwrap_or_else(none)
    )?;
    say!(
        "went home: {}",
        d.discharged_on.map_or_else(none, |h| h.to_string())
    )?;
    say!("counted from: {}", record.tracking_start())?;
    match &record.baseline {
        Some(b) => say!(
            "before surgery: back pain {}, leg pain {}, walking {} min, sitting {} min, ODI {}, numbness {}, tingling {}",
            b.back_pain,
            b.leg_pain,
            b.walking_minutes,
            b.sitting_minutes,
            b.odi.map_or_else(none, |o| o.to_string()),
            b.numbness.map_or_else(none, |o| o.to_string()),
            b.tingling.map_or_else(none, |o| o.to_string())
        )?,
        None => say!("before surgery: not known (typical values are used)")?,
    }
    if let Some(reason) = record
        .baseline
        .as_ref()
        .and_then(|b| b.clinician_reason.as_deref())
    {
        say!("baseline chosen by the clinician over the days before surgery: {reason}")?;
    }
    for c in &record.changes {
        say!(
            "changed {}: {} {} -> {}",
            c.changed_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            c.field,
            c.before.clone().unwrap_or_else(none),
            c.after.clone().unwrap_or_else(none)
        )?;
    }
    Ok(())
}

impl Set {
    fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let mut store = context.open_store()?;
        let id = PatientId(self.patient);
        let record = store
            .patient_record(id)
            .with_context(|| format!("reading patient {}", self.patient))?;
        let mut details = record.patient.details.clone();
        if let Some(name) = &self.name {
            details.name.clone_from(name);
        }
        if let Some(Clearable(born)) = self.date_of_birth {
            details.date_of_birth = born;
        }
        if let Some(day) = self.surgery_date {
            details.surgery_date = day;
        }
        if let Some(procedure) = self.procedure {
            details.procedure = procedure;
        }
        if let Some(approach) = self.approach {
            details.approach = approach;
        }
        if let Some(levels) = &self.levels {
            details.levels = levels.trim().to_owned();
        }
        for (given, field) in [
            (&self.surgeon, &mut details.surgeon),
            (&self.clinic, &mut details.clinic),
            (&self.team_phone, &mut details.team_phone),
        ] {
            if let Some(text) = given {
                *field = optional_text(text);
            }
        }
        if let Some(Clearable(home)) = self.discharged {
            details.discharged_on = home;
        }
        let baseline = self.baseline(record.baseline)?;
        let outcome = session::apply(
            &mut store,
            Edit::UpdatePatient {
                patient: id,
                details,
                baseline,
            },
            context.clock.today(),
            context.clock.now(),
        );
        if let Some(error) = outcome.error {
            match (error.field, error.problem) {
                (Some(field), Some(problem)) => {
                    bail!("nothing changed: --{} {problem}", option_of(field))
                }
                _ => bail!("{}", error.message),
            }
        }
        let after = store.patient_changes(id)?;
        let new = after.len().saturating_sub(record.changes.len());
        if new == 0 {
            say!("nothing changed")?;
        }
        for c in after.iter().skip(record.changes.len()) {
            say!(
                "{}: {} -> {}",
                c.field,
                c.before.as_deref().unwrap_or("-"),
                c.after.as_deref().unwrap_or("-")
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }

    /// The stored baseline with the values given; a baseline that was not
    /// known needs both pains, walking and sitting to start one.
    fn baseline(&self, stored: Option<Baseline>) -> Result<Option<Baseline>> {
        let given = self.back_pain.is_some()
            || self.leg_pain.is_some()
            || self.walking.is_some()
            || self.sitting.is_some()
            || self.odi.is_some()
            || self.numbness.is_some()
            || self.tingling.is_some()
            || self.baseline_reason.is_some();
        if !given {
            return Ok(stored);
        }
        let mut b = match stored {
            Some(b) => b,
            // A new baseline needs its four daily values: none is invented.
            None => match (self.back_pain, self.leg_pain, self.walking, self.sitting) {
                (Some(back_pain), Some(leg_pain), Some(walking_minutes), Some(sitting_minutes)) => {
                    Baseline {
                        back_pain,
                        leg_pain,
                        walking_minutes,
                        sitting_minutes,
                        odi: None,
                        numbness: None,
                        tingling: None,
                        clinician_reason: None,
                    }
                }
                _ => bail!(
                    "no baseline is stored for this patient: give --back-pain, --leg-pain, --walking and \
                     --sitting to start one"
                ),
            },
        };
        b.back_pain = self.back_pain.unwrap_or(b.back_pain);
        b.leg_pain = self.leg_pain.unwrap_or(b.leg_pain);
        b.walking_minutes = self.walking.unwrap_or(b.walking_minutes);
        b.sitting_minutes = self.sitting.unwrap_or(b.sitting_minutes);
        if self.odi.is_some() {
            b.odi = self.odi;
        }
        if self.numbness.is_some() {
            b.numbness = self.numbness;
        }
        if self.tingling.is_some() {
            b.tingling = self.tingling;
        }
        if let Some(reason) = &self.baseline_reason {
            b.clinician_reason = optional_text(reason);
        }
        Ok(Some(b))
    }
}
