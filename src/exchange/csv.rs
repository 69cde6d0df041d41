//! Check-ins as CSV, one row per patient and day, in the column order
//! [`CHECK_IN_COLUMNS`]. Import adds days to patients that already exist.

use super::{ExchangeError, ImportSummary};
use crate::model::{
    CheckIn, NerveSymptoms, Patient, PatientId, PatientRecord, Side, WarningSymptoms, Weakness,
    parse_day,
};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

/// The check-in table's columns. Version 2 appended the four nerve
/// columns (empty on a day they were not answered); a file with only the
/// first ten (version 1) still imports, with no nerve symptoms.
pub const CHECK_IN_COLUMNS: [&str; 14] = [
    "patient_id",
    "day",
    "back_pain",
    "leg_pain",
    "walking_minutes",
    "sitting_minutes",
    "sleep_quality",
    "opioid_doses",
    "warning_symptoms",
    "note",
    "numbness",
    "tingling",
    "weakness",
    "weakness_side",
];

/// How many of [`CHECK_IN_COLUMNS`] a version-1 file has.
const VERSION_1_COLUMNS: usize = 10;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell a spreadsheet will show as text: one that would start a
/// formula gets a leading `'` (the OWASP rule), and so does one that
/// already starts with `'` before such a character, so that
/// [`from_cell`] gives back exactly the original.
pub fn to_cell(text: &str) -> String {
    if text.trim_start_matches('\'').starts_with(FORMULA_START) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The text a cell written by [`to_cell`] stands for.
pub fn from_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

fn check_in_row(id: PatientId, c: &CheckIn) -> [String; 14] {
    let nerves = c.nerves;
    [
        id.to_string(),
        c.day.to_string(),
        c.back_pain.to_string(),
        c.leg_pain.to_string(),
        c.walking_minutes.to_string(),
        c.sitting_minutes.to_string(),
        c.sleep_quality.to_string(),
        c.opioid_doses.to_string(),
        c.warning_symptoms.to_codes(),
        to_cell(&c.note),
        nerves.map_or_else(String::new, |n| n.numbness.to_string()),
        nerves.map_or_else(String::new, |n| n.tingling.to_string()),
        nerves.map_or_else(String::new, |n| n.weakness.code().to_owned()),
        nerves
            .and_then(|n| n.weakness_side)
            .map_or_else(String::new, |side| side.code().to_owned()),
    ]
}

/// The tables a CSV export can hold, one per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Table {
    /// One row per patient and day
    #[default]
    CheckIns,
    OdiTotals,
    Milestones,
    Plan,
    ExerciseLogs,
    /// One row per place and symptom marked on a day's body map
    SymptomMap,
    /// One row per PSFS activity rated on a day, with the day's score
    Psfs,
}

impl Table {
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::CheckIns => &CHECK_IN_COLUMNS,
            Table::OdiTotals => &["patient_id", "day", "total"],
            Table::Milestones => &[
                "patient_id",
                "key",
                "label",
                "window_from",
                "window_to",
                "achieved_on",
            ],
            Table::Plan => &[
                "patient_id",
                "exercise_key",
                "name",
                "instructions",
                "sets",
                "reps",
                "hold_seconds",
                "minutes",
                "times_per_day",
                "start_day",
                "end_day",
            ],
            Table::ExerciseLogs => &["patient_id", "day", "exercise_key", "sessions", "pain"],
            Table::SymptomMap => &["patient_id", "day", "side", "region", "symptom"],
            Table::Psfs => &["patient_id", "day", "activity", "rating", "day_score"],
        }
    }
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// Writes one table of the given patients, in their order and the store's
/// order of rows.
pub fn write_table(
    table: Table,
    records: &[PatientRecord],
    out: impl Write,
) -> Result<(), ExchangeError> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(table.columns()).map_err(csv_io)?;
    for record in records {
        for row in table_rows(table, record) {
            writer.write_record(&row).map_err(csv_io)?;
        }
    }
    writer.flush()?;
    Ok(())
}

fn table_rows(table: Table, record: &PatientRecord) -> Vec<Vec<String>> {
    let id = record.patient.id;
    match table {
        Table::Psfs => crate::model::psfs::answers(&record.psfs_ratings)
            .iter()
            .flat_map(|answer| {
                let score = format!("{:.1}", answer.score());
                answer.ratings.iter().map(move |r| {
                    vec![
                        id.to_string(),
                        r.day.to_string(),
                        to_cell(&r.activity),
                        r.score.to_string(),
                        score.clone(),
                    ]
                })
            })
            .collect(),
        Table::SymptomMap => record
            .check_ins
            .iter()
            .flat_map(|c| {
                c.body_map.marks().map(move |m| {
                    vec![
                        id.to_string(),
                        c.day.to_string(),
                        m.side.code().to_owned(),
                        m.region.code().to_owned(),
                        m.symptom.code().to_owned(),
                    ]
                })
            })
            .collect(),
        Table::CheckIns => record
            .check_ins
            .iter()
            .map(|c| check_in_row(id, c).to_vec())
            .collect(),
        Table::OdiTotals => record
            .odi_entries
            .iter()
            .map(|e| vec![id.to_string(), e.day.to_string(), e.total.to_string()])
            .collect(),
        Table::Milestones => record
            .milestones
            .iter()
            .map(|m| {
                vec![
                    id.to_string(),
                    to_cell(&m.key),
                    optional(m.custom.as_ref().map(|c| to_cell(&c.label))),
                    optional(m.custom.as_ref().map(|c| c.window_from)),
                    optional(m.custom.as_ref().map(|c| c.window_to)),
                    optional(m.achieved_on),
                ]
            })
            .collect(),
        Table::Plan => record
            .plan
            .iter()
            .map(|i| {
                vec![
                    id.to_string(),
                    to_cell(&i.exercise_key),
                    to_cell(&i.name),
                    to_cell(&i.instructions),
                    i.dose.sets.to_string(),
                    optional(i.dose.reps),
                    optional(i.dose.hold_seconds),
                    optional(i.dose.minutes),
                    i.dose.times_per_day.to_string(),
                    i.start_day.to_string(),
                    optional(i.end_day),
                ]
            })
            .collect(),
        Table::ExerciseLogs => record
            .exercise_logs
            .iter()
            .map(|l| {
                vec![
                    id.to_string(),
                    l.day.to_string(),
                    to_cell(&l.exercise_key),
                    l.sessions.to_string(),
                    optional(l.pain),
                ]
            })
            .collect(),
    }
}

fn csv_io(error: csv::Error) -> ExchangeError {
    ExchangeError::Csv(error)
}

/// Turns a reader error into a message that names the line.
fn csv_read_error(error: &csv::Error) -> ExchangeError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8 text (save the file as UTF-8)",
            err.field() + 1
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} columns; expected {expected_len}"),
        csv::ErrorKind::Io(e) => {
            if let Some(message) = super::input::guard_message(e) {
                return ExchangeError::Document(message);
            }
            format!("cannot be read: {e}")
        }
        _ => error.to_string(),
    };
    ExchangeError::Line { line, message }
}

fn field_error(line: u64, field: &str, message: impl Into<String>) -> ExchangeError {
    ExchangeError::Field {
        line,
        field: field.to_owned(),
        message: message.into(),
    }
}

fn parse_number<T: std::str::FromStr>(
    line: u64,
    field: &str,
    text: &str,
) -> Result<T, ExchangeError> {
    text.trim().parse().ok().ok_or_else(|| {
        field_error(
            line,
            field,
            format!(
                "\"{}\" is not a whole number in range",
                crate::words::excerpt(text, 40)
            ),
        )
    })
}

fn parse_row(line: u64, row: &csv::StringRecord) -> Result<(PatientId, CheckIn), ExchangeError> {
    let get = |i: usize| row.get(i).unwrap_or_default();
    let patient = PatientId(parse_number(line, CHECK_IN_COLUMNS[0], get(0))?);
    let day = parse_day(get(1)).map_err(|m| field_error(line, CHECK_IN_COLUMNS[1], m))?;
    let check_in = CheckIn {
        day,
        back_pain: parse_number(line, CHECK_IN_COLUMNS[2], get(2))?,
        leg_pain: parse_number(line, CHECK_IN_COLUMNS[3], get(3))?,
        walking_minutes: parse_number(line, CHECK_IN_COLUMNS[4], get(4))?,
        sitting_minutes: parse_number(line, CHECK_IN_COLUMNS[5], get(5))?,
        sleep_quality: parse_number(line, CHECK_IN_COLUMNS[6], get(6))?,
        opioid_doses: parse_number(line, CHECK_IN_COLUMNS[7], get(7))?,
        warning_symptoms: WarningSymptoms::from_codes(get(8))
            .map_err(|m| field_error(line, CHECK_IN_COLUMNS[8], m))?,
        note: from_cell(get(9)).to_owned(),
        nerves: if row.len() > VERSION_1_COLUMNS {
            parse_nerves(line, &get)?
        } else {
            None
        },
        // The map is a table of its own (`--table symptom-map`).
        body_map: crate::model::BodyMap::default(),
    };
    Ok((patient, check_in))
}

/// Columns 10–13: all empty (not answered), or numbness, tingling,
/// weakness and, with weakness, its side. Ranges are checked with the rest
/// of the check-in.
fn parse_nerves<'a>(
    line: u64,
    get: &impl Fn(usize) -> &'a str,
) -> Result<Option<NerveSymptoms>, ExchangeError> {
    let cells: Vec<&str> = (10..14).map(|i| get(i).trim()).collect();
    if cells.iter().all(|c| c.is_empty()) {
        return Ok(None);
    }
    let weakness = cells[2].parse::<Weakness>().map_err(|_unknown| {
        field_error(
            line,
            CHECK_IN_COLUMNS[12],
            format!(
                "\"{}\" is not one of none, mild, moderate, severe",
                crate::words::excerpt(cells[2], 20)
            ),
        )
    })?;
    let weakness_side = match cells[3] {
        "" => None,
        code => Some(code.parse::<Side>().map_err(|_unknown| {
            field_error(
                line,
                CHECK_IN_COLUMNS[13],
                format!(
                    "\"{}\" is not one of left, right, both",
                    crate::words::excerpt(code, 20)
                ),
            )
        })?),
    };
    Ok(Some(NerveSymptoms {
        numbness: parse_number(line, CHECK_IN_COLUMNS[10], cells[0])?,
        tingling: parse_number(line, CHECK_IN_COLUMNS[11], cells[1])?,
        weakness,
        weakness_side,
    }))
}

/// Adds the check-ins of a CSV file to patients already in the store, in
/// one transaction; one bad row keeps nothing.
pub fn import_check_ins(
    store: &mut Store,
    input: impl Read + Send,
    today: NaiveDate,
) -> Result<ImportSummary, ExchangeError> {
    import_check_ins_then(store, input, today, || Ok(()))
}

/// How many checked rows travel together from the reading thread.
const ROWS_PER_CHUNK: usize = 4096;

/// A checked row and the line it came from.
type Checked = (u64, PatientId, CheckIn);

/// [`import_check_ins`], with `before_commit` run once every row is in and
/// checked, just before the commit (the import backs the file up there:
/// a separate connection still sees the file as it was). The file is read
/// and checked on a second thread while the rows already checked are
/// inserted, so parsing and storing share the two halves of the work; the
/// transaction is committed only after the last row, so a bad row, on any
/// line, keeps nothing. The first error in the file's order is the one
/// reported.
pub fn import_check_ins_then(
    store: &mut Store,
    input: impl Read + Send,
    today: NaiveDate,
    before_commit: impl FnOnce() -> Result<(), ExchangeError>,
) -> Result<ImportSummary, ExchangeError> {
    let patients: HashMap<PatientId, Patient> =
        store.patients()?.into_iter().map(|p| (p.id, p)).collect();
    let (sender, chunks) = std::sync::mpsc::sync_channel::<Vec<Checked>>(8);
    let ((), added) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| read_check_ins(input, &patients, today, sender));
        let stored = store.add_check_ins(move |batch| {
            let mut stored_days: HashMap<PatientId, HashSet<NaiveDate>> = HashMap::new();
            for chunk in chunks {
                for (line, patient, check_in) in chunk {
                    let days = match stored_days.entry(patient) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(batch.days_of(patient)?)
                        }
                    };
                    if days.contains(&check_in.day) {
                        return Err(field_error(
                            line,
                            "day",
                            format!(
                                "patient {patient} already has a check-in on {}",
                                check_in.day
                            ),
                        ));
                    }
                    batch
                        .add(patient, &check_in)
                        .map_err(|e| ExchangeError::Line {
                            line,
                            message: e.to_string(),
                        })?;
                }
            }
            // The reader's error, if it stopped early: later in the file
            // than every row stored above.
            reading.join().map_err(|_panic| {
                ExchangeError::Document("reading the file failed".to_owned())
            })??;
            before_commit()
        });
        // After an error above the reader, if it waits on a full channel,
        // is let go: the receiver went with the closure.
        stored
    })?;
    Ok(ImportSummary {
        patients: 0,
        check_ins: added,
        renumbered: Vec::new(),
    })
}

/// Reads and checks the rows of a check-in CSV, sending them on in chunks;
/// stops at the first bad row (its error is the result) or when nobody
/// listens any more.
fn read_check_ins(
    input: impl Read,
    patients: &HashMap<PatientId, Patient>,
    today: NaiveDate,
    sender: std::sync::mpsc::SyncSender<Vec<Checked>>,
) -> Result<(), ExchangeError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(super::input::CsvGuard::new(input));
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(ExchangeError::Document(format!(
                "the file is empty: expected a header line \"{}\"",
                CHECK_IN_COLUMNS.join(",")
            )));
        }
        Some(row) => row.map_err(|e| csv_read_error(&e))?,
    };
    let found: Vec<&str> = header.iter().map(str::trim).collect();
    if found != CHECK_IN_COLUMNS && found != CHECK_IN_COLUMNS[..VERSION_1_COLUMNS] {
        return Err(ExchangeError::Line {
            line: 1,
            message: format!(
                "the columns must be exactly \"{}\" (or the first ten of them, as before nerve symptoms were added; found \"{}\")",
                CHECK_IN_COLUMNS.join(","),
                found.join(",")
            ),
        });
    }
    let mut seen: HashMap<(PatientId, NaiveDate), u64> = HashMap::new();
    let mut chunk = Vec::with_capacity(ROWS_PER_CHUNK);
    let read_all = || -> Result<(), ExchangeError> {
        for record in records {
            let record = record.map_err(|e| csv_read_error(&e))?;
            let line = record.position().map_or(0, csv::Position::line);
            let (patient_id, check_in) = parse_row(line, &record)?;
            let patient = patients.get(&patient_id).ok_or_else(|| {
                field_error(
                    line,
                    "patient_id",
                    format!("there is no patient {patient_id} in this database"),
                )
            })?;
            check_in
                .validate_for(patient, today)
                .map_err(|e| field_error(line, e.field, e.message))?;
            if let Some(first) = seen.insert((patient_id, check_in.day), line) {
                return Err(field_error(
                    line,
                    "day",
                    format!(
                        "{} for patient {patient_id} is also on line {first}",
                        check_in.day
                    ),
                ));
            }
            chunk.push((line, patient_id, check_in));
            if chunk.len() == ROWS_PER_CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(ROWS_PER_CHUNK));
                if sender.send(full).is_err() {
                    // The storing side stopped at an error of its own.
                    return Ok(());
                }
            }
        }
        Ok(())
    };
    let read = read_all();
    // The rows before a bad one go on too: one of them may be a day already
    // stored, an error earlier in the file than this one.
    if !chunk.is_empty() {
        sender.send(chunk).ok();
    }
    // Hung up: the storing side's loop ends with the last chunk.
    drop(sender);
    read
}
