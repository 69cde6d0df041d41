//! Visit notes and flag reviews.

use super::{Result, Store};
use crate::model::{FlagReview, PatientId, VisitNote};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

pub(super) fn insert_note(
    tx: &Transaction<'_>,
    patient: PatientId,
    note: &VisitNote,
) -> Result<i64> {
    note.validate()?;
    tx.prepare_cached(
        "INSERT INTO visit_note (patient_id, day, author, text) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        patient.0,
        note.day,
        note.author.trim(),
        note.text.trim()
    ])?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn upsert_review(
    tx: &Transaction<'_>,
    patient: PatientId,
    review: &FlagReview,
) -> Result<()> {
    review.validate()?;
    tx.prepare_cached(
        "INSERT INTO flag_review (patient_id, flag_key, reviewed_by, reviewed_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (patient_id, flag_key) DO UPDATE SET reviewed_by = excluded.reviewed_by, \
         reviewed_at = excluded.reviewed_at",
    )?
    .execute(params![
        patient.0,
        review.flag_key,
        review.reviewed_by.trim(),
        review.reviewed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ])?;
    Ok(())
}

pub(super) const FLAG_REVIEW_COLUMNS: &str = "flag_key, reviewed_by, reviewed_at";

pub(super) fn flag_review_from_row(r: &Row<'_>) -> rusqlite::Result<FlagReview> {
    let at: String = r.get(2)?;
    Ok(FlagReview {
        flag_key: r.get(0)?,
        reviewed_by: r.get(1)?,
        reviewed_at: DateTime::parse_from_rfc3339(&at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into())
            })?,
    })
}

impl Store {
    /// A patient's visit notes, oldest first.
    pub fn visit_notes(&self, patient: PatientId) -> Result<Vec<VisitNote>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, day, author, text FROM visit_note WHERE patient_id = ?1 ORDER BY day, id",
        )?;
        let rows = stmt.query_map([patient.0], |r| {
            Ok(VisitNote {
                id: Some(r.get(0)?),
                day: r.get(1)?,
                author: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn add_visit_note(&mut self, patient: PatientId, note: &VisitNote) -> Result<i64> {
        self.write(|tx| insert_note(tx, patient, note))
    }

    /// Deletes a note and returns it, so it can be undone.
    pub fn delete_visit_note(&mut self, patient: PatientId, id: i64) -> Result<Option<VisitNote>> {
        self.write(|tx| {
            let note = tx
                .query_row(
                    "SELECT id, day, author, text FROM visit_note WHERE id = ?1 AND patient_id = ?2",
                    params![id, patient.0],
                    |r| {
                        Ok(VisitNote {
                            id: None,
                            day: r.get(1)?,
                            author: r.get(2)?,
                            text: r.get(3)?,
                        })
                    },
                )
                .optional()?;
            tx.execute("DELETE FROM visit_note WHERE id = ?1 AND patient_id = ?2", params![id, patient.0])?;
            Ok(note)
        })
    }

    pub fn flag_reviews(&self, patient: PatientId) -> Result<Vec<FlagReview>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {FLAG_REVIEW_COLUMNS} FROM flag_review WHERE patient_id = ?1 ORDER BY flag_key"
        ))?;
        let rows = stmt.query_map([patient.0], flag_review_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn review_flag(&mut self, patient: PatientId, review: &FlagReview) -> Result<()> {
        self.write(|tx| upsert_review(tx, patient, review))
    }
}
