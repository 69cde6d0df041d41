//! The JSON document: everything the app holds about a set of patients,
//! written in a fixed order so that export → import → export gives the
//! same bytes.

use super::{ExchangeError, ImportSummary};
use crate::analysis::program::prescribed_on;
use crate::model::{PatientId, PatientRecord};
use crate::protocol::Protocol;
use crate::store::Store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::{Read, Write};

pub const FORMAT_NAME: &str = "recovery-tracker";
/// Raised whenever a field is added or changes meaning. Version 2 added
/// `odi_entries`, version 3 `milestones`, `plan` and `exercise_logs`; older
/// documents are read as having none. Version 4 added `visit_notes` and
/// `flag_reviews`; version 5 the approaches `lateral`, `anterior` and
/// `not_sure` (an older app refuses the document instead of the value);
/// version 6 check-ins up to a year before surgery, the baseline's
/// `clinician_reason`, and `psfs_activities` and `psfs_ratings`.
pub const FORMAT_VERSION: u32 = 6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub patients: Vec<PatientRecord>,
}

impl Document {
    pub fn from_store(store: &Store, patient: Option<PatientId>) -> Result<Self, ExchangeError> {
        let ids = match patient {
            Some(id) => vec![id],
            None => store.patients()?.into_iter().map(|p| p.id).collect(),
        };
        let patients = ids
            .into_iter()
            .map(|id| store.patient_record(id))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            patients,
        })
    }

    /// Parses and checks a document; nothing is stored.
    pub fn parse(
        bytes: &[u8],
        today: NaiveDate,
        protocol: &Protocol,
    ) -> Result<Self, ExchangeError> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            ExchangeError::Document(format!(
                "the file is not UTF-8 text (first bad byte at offset {})",
                e.valid_up_to()
            ))
        })?;
        if text.trim().is_empty() {
            return Err(ExchangeError::Document("the file is empty".to_owned()));
        }
        // The format name is checked before the rest, so that a wrong file
        // gets "not a recovery-tracker document" rather than a field error.
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
            version: Option<u32>,
        }
        let header: Header = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        if header.format.as_deref() != Some(FORMAT_NAME) {
            return Err(ExchangeError::Document(
                "this is not a recovery-tracker JSON document (no \"format\": \"recovery-tracker\")"
                    .to_owned(),
            ));
        }
        match header.version {
            Some(v) if v > FORMAT_VERSION => {
                return Err(ExchangeError::Document(format!(
                    "the document is version {v}, newer than this app reads ({FORMAT_VERSION}): update the app"
                )));
            }
            _ => {}
        }
        // The path names the field that is wrong ("patients[0].plan[2].dose.sets").
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let document: Document =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                let path = e.path().to_string();
                match json_error(&e.into_inner()) {
                    ExchangeError::Line { line, message } => ExchangeError::Field {
                        line,
                        field: path,
                        message,
                    },
                    other => other,
                }
            })?;
        document.check(today, protocol)?;
        Ok(document)
    }

    /// Checks every record as an import would; used for documents made from
    /// other formats too.
    pub fn check(&self, today: NaiveDate, protocol: &Protocol) -> Result<(), ExchangeError> {
        let mut ids = HashSet::new();
        for record in &self.patients {
            if !ids.insert(record.patient.id) {
                return Err(ExchangeError::Document(format!(
                    "patient {} appears twice in the document",
                    record.patient.id
                )));
            }
            check_record(record, today)?;
            check_program(record, today, protocol)?;
        }
        Ok(())
    }

    pub fn write(&self, mut out: impl Write) -> Result<(), ExchangeError> {
        serde_json::to_writer_pretty(&mut out, self).map_err(ExchangeError::Json)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

/// The patient, the baseline, check-ins and ODI totals: each valid, no day
/// twice.
fn check_record(record: &PatientRecord, today: NaiveDate) -> Result<(), ExchangeError> {
    let p = &record.patient;
    let at = |what: String, e: crate::model::ValidationError| {
        let what = if what.is_empty() {
            what
        } else {
            format!(" {what}")
        };
        ExchangeError::Document(format!(
            "patient {}{what}, {}: {}",
            p.id, e.field, e.message
        ))
    };
    p.details
        .validate(today)
        .map_err(|e| at(String::new(), e))?;
    if let Some(b) = &record.baseline {
        b.validate().map_err(|e| at("baseline".into(), e))?;
    }
    let mut days = HashSet::new();
    for c in &record.check_ins {
        c.validate_for(p, today)
            .map_err(|e| at(format!("check-in {}", c.day), e))?;
        if !days.insert(c.day) {
            return Err(ExchangeError::Document(format!(
                "patient {} has two check-ins on {}",
                p.id, c.day
            )));
        }
    }
    let mut odi_days = HashSet::new();
    for e in &record.odi_entries {
        e.validate_for(p, today)
            .map_err(|err| at(format!("ODI entry {}", e.day), err))?;
        if !odi_days.insert(e.day) {
            return Err(ExchangeError::Document(format!(
                "patient {} has two ODI totals on {}",
                p.id, e.day
            )));
        }
    }
    Ok(())
}

/// Milestones, the plan, exercise logs, visit notes and flag reviews.
fn check_program(
    record: &PatientRecord,
    today: NaiveDate,
    protocol: &Protocol,
) -> Result<(), ExchangeError> {
    let p = &record.patient;
    let at = |what: String, e: crate::model::ValidationError| {
        let what = if what.is_empty() {
            what
        } else {
            format!(" {what}")
        };
        ExchangeError::Document(format!(
            "patient {}{what}, {}: {}",
            p.id, e.field, e.message
        ))
    };
    let mut milestone_keys = HashSet::new();
    crate::model::psfs::check_record(&record.psfs_activities, &record.psfs_ratings)
        .map_err(|err| at("PSFS".into(), err))?;
    // Every dated row against the operation, the PSFS's among them (the
    // rows above were checked one by one, with their names).
    record
        .check_days_for(p, today)
        .map_err(|err| at("PSFS".into(), err))?;
    for log in &record.exercise_logs {
        log.validate_for(p.details.surgery_date, today)
            .map_err(|err| {
                at(
                    format!("exercise log {} {}", log.day, log.exercise_key),
                    err,
                )
            })?;
    }
    for m in &record.milestones {
        m.validate_for(p.details.surgery_date, today)
            .map_err(|err| at(format!("milestone {}", m.key), err))?;
        if m.custom.is_none() && protocol.milestone(&m.key).is_none() {
            return Err(ExchangeError::Document(format!(
                "patient {} has an unknown milestone \"{}\"",
                p.id, m.key
            )));
        }
        if !milestone_keys.insert(m.key.as_str()) {
            return Err(ExchangeError::Document(format!(
                "patient {} has the milestone {} twice",
                p.id, m.key
            )));
        }
    }
    for item in &record.plan {
        item.validate().map_err(|err| {
            at(
                format!("plan item {} from {}", item.exercise_key, item.start_day),
                err,
            )
        })?;
    }
    for note in &record.visit_notes {
        note.validate()
            .map_err(|err| at(format!("visit note {}", note.day), err))?;
    }
    for review in &record.flag_reviews {
        review
            .validate()
            .map_err(|err| at(format!("flag review {}", review.flag_key), err))?;
    }
    let mut log_keys = HashSet::new();
    for log in &record.exercise_logs {
        log.validate().map_err(|err| {
            at(
                format!("exercise log {} {}", log.day, log.exercise_key),
                err,
            )
        })?;
        if !log_keys.insert((log.day, log.exercise_key.as_str())) {
            return Err(ExchangeError::Document(format!(
                "patient {} logs {} twice on {}",
                p.id, log.exercise_key, log.day
            )));
        }
        let prescribed = prescribed_on(protocol, p, &record.plan, log.day);
        if !prescribed
            .iter()
            .any(|e| e.exercise_key == log.exercise_key)
        {
            return Err(ExchangeError::Document(format!(
                "patient {}: {} was not prescribed on {}, so it cannot be logged",
                p.id, log.exercise_key, log.day
            )));
        }
    }
    Ok(())
}

fn json_error(e: &serde_json::Error) -> ExchangeError {
    if e.is_eof() {
        return ExchangeError::Document(format!(
            "the file ends too early (line {}): is it truncated?",
            e.line()
        ));
    }
    // serde_json appends " at line L column C"; the line is given separately.
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    ExchangeError::Line {
        line: e.line() as u64,
        message: format!("column {}: {message}", e.column()),
    }
}

pub fn export(
    store: &Store,
    patient: Option<PatientId>,
    out: impl Write,
) -> Result<(), ExchangeError> {
    Document::from_store(store, patient)?.write(out)
}

/// Imports a whole document as new patients, in one transaction.
pub fn import(
    store: &mut Store,
    mut input: impl Read,
    today: NaiveDate,
    protocol: &Protocol,
) -> Result<ImportSummary, ExchangeError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let document = Document::parse(&bytes, today, protocol)?;
    let ids = store.insert_patient_records(&document.patients, today)?;
    Ok(ImportSummary {
        patients: ids.len(),
        check_ins: document.patients.iter().map(|r| r.check_ins.len()).sum(),
        renumbered: document
            .patients
            .iter()
            .zip(&ids)
            .filter(|(r, id)| r.patient.id != **id)
            .map(|(r, id)| (r.patient.id, *id))
            .collect(),
    })
}
