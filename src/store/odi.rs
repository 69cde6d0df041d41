use super::{Result, Store};
use crate::model::{OdiEntry, PatientId};
use chrono::NaiveDate;
use rusqlite::{Row, Transaction, params};

pub(super) const ODI_COLUMNS: &str = "day, total";

pub(super) fn odi_from_row(r: &Row<'_>) -> rusqlite::Result<OdiEntry> {
    Ok(OdiEntry {
        day: r.get(0)?,
        total: r.get(1)?,
    })
}

pub(super) fn insert_all(
    tx: &Transaction<'_>,
    patient: PatientId,
    entries: &[OdiEntry],
) -> Result<()> {
    let mut stmt =
        tx.prepare_cached("INSERT INTO odi_entry (patient_id, day, total) VALUES (?1, ?2, ?3)")?;
    for e in entries {
        stmt.execute(params![patient.0, e.day, e.total])?;
    }
    Ok(())
}

impl Store {
    /// Records an ODI total, replacing one already recorded that day.
    pub fn save_odi_entry(&mut self, patient: PatientId, entry: &OdiEntry) -> Result<()> {
        entry.validate()?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO odi_entry (patient_id, day, total) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (patient_id, day) DO UPDATE SET total = excluded.total",
                params![patient.0, entry.day, entry.total],
            )?;
            Ok(())
        })
    }

    /// Deletes the ODI total of a day and returns it, so it can be undone.
    pub fn delete_odi_entry(
        &mut self,
        patient: PatientId,
        day: NaiveDate,
    ) -> Result<Option<OdiEntry>> {
        self.write(|tx| {
            let total: Option<u8> = tx
                .query_row(
                    "DELETE FROM odi_entry WHERE patient_id = ?1 AND day = ?2 RETURNING total",
                    params![patient.0, day],
                    |r| r.get(0),
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    other => Err(other),
                })?;
            Ok(total.map(|total| OdiEntry { day, total }))
        })
    }

    /// One patient's ODI totals, oldest first.
    pub fn odi_entries(&self, patient: PatientId) -> Result<Vec<OdiEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ODI_COLUMNS} FROM odi_entry WHERE patient_id = ?1 ORDER BY day"
        ))?;
        let rows = stmt.query_map([patient.0], odi_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
