use super::{Result, Store, StoreError};
use crate::model::{BodyMap, CheckIn, NerveSymptoms, PatientId, Side, WarningSymptoms, Weakness};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

/// The columns `check_in_from_row` reads, in its order.
pub(super) const CHECK_IN_COLUMNS: &str = "day, back_pain, leg_pain, walking_minutes, \
     sitting_minutes, sleep_quality, opioid_doses, warning_symptoms, note, numbness, tingling, \
     weakness, weakness_side, body_map";

const INSERT_CHECK_IN: &str = "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, \
     walking_minutes, sitting_minutes, sleep_quality, opioid_doses, warning_symptoms, note, \
     numbness, tingling, weakness, weakness_side, body_map) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

pub(super) fn check_in_from_row(row: &Row<'_>) -> rusqlite::Result<CheckIn> {
    let bits: u16 = row.get(7)?;
    Ok(CheckIn {
        day: super::day_at(row, 0)?,
        back_pain: row.get(1)?,
        leg_pain: row.get(2)?,
        walking_minutes: row.get(3)?,
        sitting_minutes: row.get(4)?,
        sleep_quality: row.get(5)?,
        opioid_doses: row.get(6)?,
        warning_symptoms: WarningSymptoms::from_bits(bits)
            .ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(7, i64::from(bits)))?,
        note: row.get(8)?,
        nerves: nerves_from_row(row)?,
        body_map: match text_at(row, 13)? {
            Some(code) => BodyMap::from_code(code).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    13,
                    rusqlite::types::Type::Text,
                    e.to_string().into(),
                )
            })?,
            None => BodyMap::default(),
        },
    })
}

/// The text in column `index`, borrowed from the row (no copy), or `None`
/// for NULL.
fn text_at<'row>(row: &'row Row<'_>, index: usize) -> rusqlite::Result<Option<&'row str>> {
    row.get_ref(index)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
    })
}

/// Columns 9–12: numbness, tingling, weakness, weakness side.
fn nerves_from_row(row: &Row<'_>) -> rusqlite::Result<Option<NerveSymptoms>> {
    let (Some(numbness), Some(tingling), Some(weakness)) = (
        row.get::<_, Option<u8>>(9)?,
        row.get::<_, Option<u8>>(10)?,
        text_at(row, 11)?,
    ) else {
        return Ok(None);
    };
    let unknown = |column: usize, text: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("unknown value {text:?}").into(),
        )
    };
    let weakness = weakness
        .parse::<Weakness>()
        .map_err(|_unknown| unknown(11, weakness))?;
    let weakness_side = match text_at(row, 12)? {
        Some(side) => Some(side.parse::<Side>().map_err(|_unknown| unknown(12, side))?),
        None => None,
    };
    Ok(Some(NerveSymptoms {
        numbness,
        tingling,
        weakness,
        weakness_side,
    }))
}

/// Whether a save created a new day or replaced an existing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Created,
    /// The day existed; this is what it held before.
    Updated {
        previous: CheckIn,
    },
}

/// A batch insert that stopped at one row; nothing of the batch was stored.
#[derive(Debug, thiserror::Error)]
#[error("row {index}: {error}")]
pub struct BatchError {
    /// Position of the refused row in the batch.
    pub index: usize,
    pub error: StoreError,
}

pub(super) fn insert_all(
    tx: &Transaction<'_>,
    patient: PatientId,
    check_ins: &[CheckIn],
) -> Result<()> {
    let mut stmt = tx.prepare_cached(INSERT_CHECK_IN)?;
    for c in check_ins {
        insert_one(&mut stmt, patient, c)?;
    }
    Ok(())
}

fn insert_one(
    stmt: &mut rusqlite::CachedStatement<'_>,
    patient: PatientId,
    c: &CheckIn,
) -> Result<()> {
    stmt.execute(params![
        patient.0,
        c.day,
        c.back_pain,
        c.leg_pain,
        c.walking_minutes,
        c.sitting_minutes,
        c.sleep_quality,
        c.opioid_doses,
        c.warning_symptoms.bits(),
        c.note,
        c.nerves.map(|n| n.numbness),
        c.nerves.map(|n| n.tingling),
        c.nerves.map(|n| n.weakness.code()),
        c.nerves.and_then(|n| n.weakness_side).map(Side::code),
        c.body_map.to_code(),
    ])?;
    Ok(())
}

fn select_one(
    tx: &rusqlite::Connection,
    patient: PatientId,
    day: NaiveDate,
) -> Result<Option<CheckIn>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {CHECK_IN_COLUMNS} FROM check_in WHERE patient_id = ?1 AND day = ?2"
    ))?;
    Ok(stmt
        .query_row(params![patient.0, day], check_in_from_row)
        .optional()?)
}

impl Store {
    /// Saves a day's check-in, replacing the one already stored for that day.
    pub fn save_check_in(&mut self, patient: PatientId, check_in: &CheckIn) -> Result<SaveOutcome> {
        check_in.validate()?;
        self.write(|tx| {
            let previous = select_one(tx, patient, check_in.day)?;
            if previous.is_some() {
                tx.execute(
                    "DELETE FROM check_in WHERE patient_id = ?1 AND day = ?2",
                    params![patient.0, check_in.day],
                )?;
            }
            let mut stmt = tx.prepare_cached(INSERT_CHECK_IN)?;
            insert_one(&mut stmt, patient, check_in).map_err(|e| match e {
                StoreError::Constraint(_) if !patient_known(tx, patient) => {
                    StoreError::UnknownPatient(patient)
                }
                other => other,
            })?;
            Ok(match previous {
                Some(previous) => SaveOutcome::Updated { previous },
                None => SaveOutcome::Created,
            })
        })
    }

    /// Deletes a day's check-in and returns what it held, so it can be undone.
    pub fn delete_check_in(
        &mut self,
        patient: PatientId,
        day: NaiveDate,
    ) -> Result<Option<CheckIn>> {
        self.write(|tx| {
            let previous = select_one(tx, patient, day)?;
            tx.execute(
                "DELETE FROM check_in WHERE patient_id = ?1 AND day = ?2",
                params![patient.0, day],
            )?;
            Ok(previous)
        })
    }

    /// Adds check-ins in one transaction while `fill` hands them to the
    /// batch, as they arrive (an import adds rows while it is still
    /// reading the file). Commits only when `fill` returns `Ok`; any error
    /// keeps nothing. Returns `fill`'s value and how many were added.
    pub fn add_check_ins<T, E: From<StoreError>>(
        &mut self,
        fill: impl FnOnce(&mut CheckInBatch<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<(T, usize), E> {
        if self.read_only_reason().is_some() {
            return Err(StoreError::ReadOnly.into());
        }
        let (value, added) = {
            let tx = self.conn.transaction().map_err(StoreError::from)?;
            let mut batch = CheckInBatch { tx, added: 0 };
            let value = fill(&mut batch)?;
            let CheckInBatch { tx, added } = batch;
            super::open::count_write(&tx)?;
            tx.commit().map_err(StoreError::from)?;
            (value, added)
        };
        self.wrote();
        Ok((value, added))
    }

    /// Adds new check-ins in one transaction. A day already stored, or an
    /// unknown patient, stops the batch and stores none of it.
    pub fn insert_check_ins(&mut self, rows: &[(PatientId, CheckIn)]) -> Result<usize, BatchError> {
        for (index, (_, c)) in rows.iter().enumerate() {
            c.validate().map_err(|e| BatchError {
                index,
                error: e.into(),
            })?;
        }
        let whole = |error: StoreError| BatchError { index: 0, error };
        if self.read_only_reason().is_some() {
            return Err(whole(StoreError::ReadOnly));
        }
        let tx = self.conn.transaction().map_err(|e| whole(e.into()))?;
        {
            let mut stmt = tx
                .prepare_cached(INSERT_CHECK_IN)
                .map_err(|e| whole(e.into()))?;
            for (index, (patient, c)) in rows.iter().enumerate() {
                insert_one(&mut stmt, *patient, c).map_err(|error| BatchError {
                    index,
                    error: match error {
                        StoreError::Constraint(_) if !patient_known(&tx, *patient) => {
                            StoreError::UnknownPatient(*patient)
                        }
                        other => other,
                    },
                })?;
            }
        }
        super::open::count_write(&tx).map_err(whole)?;
        tx.commit().map_err(|e| whole(e.into()))?;
        self.wrote();
        Ok(rows.len())
    }

    /// One patient's check-ins, oldest first.
    pub fn check_ins(&self, patient: PatientId) -> Result<Vec<CheckIn>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CHECK_IN_COLUMNS} FROM check_in WHERE patient_id = ?1 ORDER BY day"
        ))?;
        let rows = stmt.query_map([patient.0], check_in_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn check_in(&self, patient: PatientId, day: NaiveDate) -> Result<Option<CheckIn>> {
        select_one(&self.conn, patient, day)
    }
}

fn patient_known(conn: &rusqlite::Connection, patient: PatientId) -> bool {
    conn.query_row("SELECT 1 FROM patient WHERE id = ?1", [patient.0], |_| {
        Ok(())
    })
    .optional()
    .ok()
    .flatten()
    .is_some()
}

/// Check-ins being added in one open transaction (see
/// [`Store::add_check_ins`]).
pub struct CheckInBatch<'c> {
    tx: Transaction<'c>,
    added: usize,
}

impl CheckInBatch<'_> {
    /// Adds one check-in. A day the patient already has, or an unknown
    /// patient, is an error (and the caller's error keeps nothing).
    pub fn add(&mut self, patient: PatientId, check_in: &CheckIn) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(INSERT_CHECK_IN)?;
        insert_one(&mut stmt, patient, check_in).map_err(|error| match error {
            StoreError::Constraint(_) if !patient_known(&self.tx, patient) => {
                StoreError::UnknownPatient(patient)
            }
            other => other,
        })?;
        self.added += 1;
        Ok(())
    }

    /// The days a patient has a check-in on (stored, or added in this batch).
    pub fn days_of(&self, patient: PatientId) -> Result<std::collections::HashSet<NaiveDate>> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT day FROM check_in WHERE patient_id = ?1")?;
        let days = stmt.query_map([patient.0], |r| r.get(0))?;
        Ok(days.collect::<rusqlite::Result<_>>()?)
    }
}
