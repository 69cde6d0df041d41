use super::{Result, Store};
use crate::model::{PatientId, PsfsActivity, PsfsRating, psfs};
use chrono::NaiveDate;
use rusqlite::{Transaction, params};

/// The activities and ratings of an imported record, as they are.
pub(super) fn insert_all(
    tx: &Transaction<'_>,
    patient: PatientId,
    activities: &[PsfsActivity],
    ratings: &[PsfsRating],
) -> Result<()> {
    let mut add = tx.prepare_cached(
        "INSERT INTO psfs_activity (patient_id, name, added_on, retired_on) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for a in activities {
        add.execute(params![patient.0, a.name.trim(), a.added_on, a.retired_on])?;
    }
    insert_ratings(tx, patient, activities, ratings)
}

/// Ratings under the stored spelling of their activity's name.
fn insert_ratings(
    tx: &Transaction<'_>,
    patient: PatientId,
    activities: &[PsfsActivity],
    ratings: &[PsfsRating],
) -> Result<()> {
    let mut rate = tx.prepare_cached(
        "INSERT INTO psfs_rating (patient_id, day, activity, score) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (patient_id, day, activity) DO UPDATE SET score = excluded.score",
    )?;
    for r in ratings {
        let name = activities
            .iter()
            .find(|a| a.is_named(&r.activity))
            .map_or(r.activity.trim(), |a| a.name.trim());
        rate.execute(params![patient.0, r.day, name, r.score])?;
    }
    Ok(())
}

impl Store {
    /// A patient's PSFS activities, in the order they were added.
    pub fn psfs_activities(&self, patient: PatientId) -> Result<Vec<PsfsActivity>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, added_on, retired_on FROM psfs_activity WHERE patient_id = ?1 \
             ORDER BY added_on, name",
        )?;
        let rows = stmt.query_map([patient.0], |r| {
            Ok(PsfsActivity {
                name: r.get(0)?,
                added_on: r.get(1)?,
                retired_on: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A patient's PSFS ratings, by day, then activity.
    pub fn psfs_ratings(&self, patient: PatientId) -> Result<Vec<PsfsRating>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT day, activity, score FROM psfs_rating WHERE patient_id = ?1 \
             ORDER BY day, activity",
        )?;
        let rows = stmt.query_map([patient.0], |r| {
            Ok(PsfsRating {
                day: r.get(0)?,
                activity: r.get(1)?,
                score: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Makes the PSFS of a patient what `activities` and `ratings` say,
    /// in one transaction: the activities as given (added, retired; one
    /// left out is removed, which only an activity rated on `day` alone
    /// may be: the undo of its adding), and the ratings of `day` replaced
    /// by those given. Checked as a whole first, so a bad answer changes
    /// nothing.
    pub fn save_psfs(
        &mut self,
        patient: PatientId,
        activities: &[PsfsActivity],
        (day, today): (NaiveDate, NaiveDate),
        ratings: &[PsfsRating],
    ) -> Result<()> {
        let who = self
            .patient(patient)?
            .ok_or(super::StoreError::UnknownPatient(patient))?;
        for a in activities {
            a.validate_for(&who, today)?;
        }
        for r in ratings {
            r.validate_for(&who, today)?;
        }
        let mut all = self.psfs_ratings(patient)?;
        all.retain(|r| r.day != day);
        all.extend(ratings.iter().cloned());
        all.sort_by(|a, b| (a.day, &a.activity).cmp(&(b.day, &b.activity)));
        let gone: Vec<PsfsActivity> = self
            .psfs_activities(patient)?
            .into_iter()
            .filter(|stored| !activities.iter().any(|a| a.is_named(&stored.name)))
            .collect();
        if let Some(rated) = gone
            .iter()
            .find(|g| all.iter().any(|r| g.is_named(&r.activity)))
        {
            return Err(crate::model::ValidationError::new(
                "activity",
                format!(
                    "\"{}\" has ratings on other days: retire it instead",
                    rated.name
                ),
            )
            .into());
        }
        psfs::check_record(activities, &all)?;
        self.write(|tx| {
            // Ratings first, then activities: a rating refers to its
            // activity by name.
            tx.execute(
                "DELETE FROM psfs_rating WHERE patient_id = ?1 AND day = ?2",
                params![patient.0, day],
            )?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO psfs_activity (patient_id, name, added_on, retired_on) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (patient_id, name) DO UPDATE SET \
                 added_on = excluded.added_on, retired_on = excluded.retired_on",
            )?;
            for a in activities {
                upsert.execute(params![patient.0, a.name.trim(), a.added_on, a.retired_on])?;
            }
            for g in &gone {
                tx.execute(
                    "DELETE FROM psfs_activity WHERE patient_id = ?1 AND name = ?2",
                    params![patient.0, g.name],
                )?;
            }
            insert_ratings(tx, patient, activities, ratings)
        })
    }
}
