//! Milestones, the exercise plan with its history, and exercise logs.

use super::{Result, Store, StoreError};
use crate::model::{
    CUSTOM_PREFIX, CustomMilestone, Dose, ExerciseLog, MilestoneRecord, PatientId, PlanItem,
};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

fn milestone_from_row(row: &Row<'_>) -> rusqlite::Result<MilestoneRecord> {
    let label: Option<String> = row.get(1)?;
    let window_from: Option<u16> = row.get(2)?;
    let window_to: Option<u16> = row.get(3)?;
    Ok(MilestoneRecord {
        key: row.get(0)?,
        custom: match (label, window_from, window_to) {
            (Some(label), Some(window_from), Some(window_to)) => Some(CustomMilestone {
                label,
                window_from,
                window_to,
            }),
            _ => None,
        },
        achieved_on: row.get(4)?,
    })
}

pub(super) const PLAN_ITEM_COLUMNS: &str = "id, exercise_key, name, instructions, sets, reps, hold_seconds, \
     minutes, times_per_day, start_day, end_day";

pub(super) const EXERCISE_LOG_COLUMNS: &str = "day, exercise_key, sessions, pain";

pub(super) fn exercise_log_from_row(r: &Row<'_>) -> rusqlite::Result<ExerciseLog> {
    Ok(ExerciseLog {
        day: super::day_at(r, 0)?,
        exercise_key: r.get(1)?,
        sessions: r.get(2)?,
        pain: r.get(3)?,
    })
}

pub(super) fn plan_item_from_row(row: &Row<'_>) -> rusqlite::Result<PlanItem> {
    Ok(PlanItem {
        id: Some(row.get(0)?),
        exercise_key: row.get(1)?,
        name: row.get(2)?,
        instructions: row.get(3)?,
        dose: Dose {
            sets: row.get(4)?,
            reps: row.get(5)?,
            hold_seconds: row.get(6)?,
            minutes: row.get(7)?,
            times_per_day: row.get(8)?,
        },
        start_day: row.get(9)?,
        end_day: row.get(10)?,
    })
}

pub(super) fn upsert_milestone(
    tx: &Transaction<'_>,
    patient: PatientId,
    m: &MilestoneRecord,
) -> Result<()> {
    m.validate()?;
    tx.execute(
        "INSERT INTO milestone (patient_id, key, label, window_from, window_to, achieved_on) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (patient_id, key) DO UPDATE SET \
         label = excluded.label, window_from = excluded.window_from, \
         window_to = excluded.window_to, achieved_on = excluded.achieved_on",
        params![
            patient.0,
            m.key,
            m.custom.as_ref().map(|c| c.label.trim()),
            m.custom.as_ref().map(|c| c.window_from),
            m.custom.as_ref().map(|c| c.window_to),
            m.achieved_on,
        ],
    )?;
    Ok(())
}

pub(super) fn insert_plan_item(
    tx: &Transaction<'_>,
    patient: PatientId,
    item: &PlanItem,
) -> Result<i64> {
    item.validate()?;
    tx.prepare_cached(
        "INSERT INTO plan_item (patient_id, exercise_key, name, instructions, sets, reps, \
         hold_seconds, minutes, times_per_day, start_day, end_day) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        patient.0,
        item.exercise_key,
        item.name.trim(),
        item.instructions,
        item.dose.sets,
        item.dose.reps,
        item.dose.hold_seconds,
        item.dose.minutes,
        item.dose.times_per_day,
        item.start_day,
        item.end_day,
    ])?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn upsert_exercise_log(
    tx: &Transaction<'_>,
    patient: PatientId,
    log: &ExerciseLog,
) -> Result<()> {
    log.validate()?;
    tx.prepare_cached(
        "INSERT INTO exercise_log (patient_id, day, exercise_key, sessions, pain) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (patient_id, day, exercise_key) \
         DO UPDATE SET sessions = excluded.sessions, pain = excluded.pain",
    )?
    .execute(params![
        patient.0,
        log.day,
        log.exercise_key,
        log.sessions,
        log.pain
    ])?;
    Ok(())
}

/// What a physiotherapist can do to a plan. Every change keeps history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChange {
    /// Start an exercise on a day.
    Add(PlanItem),
    /// From `day` on, a new dose: the old item ends the day before.
    ChangeDose {
        item: i64,
        dose: Dose,
        day: NaiveDate,
    },
    /// Stop an exercise from `day` on.
    End { item: i64, day: NaiveDate },
    /// Replace the automatic phase plan with explicit items from their start
    /// day on (the first edit of a patient's plan).
    Adopt(Vec<PlanItem>),
}

impl Store {
    pub fn milestones(&self, patient: PatientId) -> Result<Vec<MilestoneRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, label, window_from, window_to, achieved_on FROM milestone \
             WHERE patient_id = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([patient.0], milestone_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a milestone as given (reached, un-reached, or a custom one)
    /// and returns what it was before, for undo.
    pub fn save_milestone(
        &mut self,
        patient: PatientId,
        milestone: &MilestoneRecord,
    ) -> Result<Option<MilestoneRecord>> {
        milestone.validate()?;
        self.write(|tx| {
            let previous = tx
                .query_row(
                    "SELECT key, label, window_from, window_to, achieved_on FROM milestone \
                     WHERE patient_id = ?1 AND key = ?2",
                    params![patient.0, milestone.key],
                    milestone_from_row,
                )
                .optional()?;
            let is_protocol_milestone = milestone.custom.is_none();
            if is_protocol_milestone && milestone.achieved_on.is_none() {
                // A protocol milestone that is not reached needs no row.
                tx.execute(
                    "DELETE FROM milestone WHERE patient_id = ?1 AND key = ?2",
                    params![patient.0, milestone.key],
                )?;
            } else {
                upsert_milestone(tx, patient, milestone)?;
            }
            Ok(previous)
        })
    }

    /// Adds a custom milestone and returns its key.
    pub fn add_custom_milestone(
        &mut self,
        patient: PatientId,
        custom: CustomMilestone,
    ) -> Result<String> {
        self.write(|tx| {
            let used: i64 = tx.query_row(
                "SELECT count(*) FROM milestone WHERE patient_id = ?1 AND key LIKE 'custom-%'",
                [patient.0],
                |r| r.get(0),
            )?;
            let mut n = used + 1;
            let key = loop {
                let key = format!("{CUSTOM_PREFIX}{n}");
                let taken = tx
                    .query_row(
                        "SELECT 1 FROM milestone WHERE patient_id = ?1 AND key = ?2",
                        params![patient.0, key],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                if !taken {
                    break key;
                }
                n += 1;
            };
            upsert_milestone(
                tx,
                patient,
                &MilestoneRecord {
                    key: key.clone(),
                    custom: Some(custom),
                    achieved_on: None,
                },
            )?;
            Ok(key)
        })
    }

    /// Removes a custom milestone and returns it, for undo.
    pub fn delete_milestone(
        &mut self,
        patient: PatientId,
        key: &str,
    ) -> Result<Option<MilestoneRecord>> {
        self.write(|tx| {
            let previous = tx
                .query_row(
                    "SELECT key, label, window_from, window_to, achieved_on FROM milestone \
                     WHERE patient_id = ?1 AND key = ?2",
                    params![patient.0, key],
                    milestone_from_row,
                )
                .optional()?;
            tx.execute(
                "DELETE FROM milestone WHERE patient_id = ?1 AND key = ?2",
                params![patient.0, key],
            )?;
            Ok(previous)
        })
    }

    /// The whole plan with its history, oldest first.
    pub fn plan(&self, patient: PatientId) -> Result<Vec<PlanItem>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PLAN_ITEM_COLUMNS} FROM plan_item WHERE patient_id = ?1 ORDER BY start_day, id"
        ))?;
        let rows = stmt.query_map([patient.0], plan_item_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn change_plan(&mut self, patient: PatientId, change: &PlanChange) -> Result<()> {
        self.write(|tx| {
            let item_of = |id: i64| -> Result<PlanItem> {
                tx.query_row(
                    &format!(
                        "SELECT {PLAN_ITEM_COLUMNS} FROM plan_item WHERE id = ?1 AND patient_id = ?2"
                    ),
                    params![id, patient.0],
                    plan_item_from_row,
                )
                .optional()?
                .ok_or(StoreError::UnknownPlanItem(id))
            };
            match change {
                PlanChange::Add(item) => {
                    insert_plan_item(tx, patient, item)?;
                }
                PlanChange::Adopt(items) => {
                    for item in items {
                        insert_plan_item(tx, patient, item)?;
                    }
                }
                PlanChange::End { item, day } => {
                    let old = item_of(*item)?;
                    end_item(tx, &old, *day)?;
                }
                PlanChange::ChangeDose { item, dose, day } => {
                    let old = item_of(*item)?;
                    end_item(tx, &old, *day)?;
                    insert_plan_item(
                        tx,
                        patient,
                        &PlanItem {
                            id: None,
                            dose: *dose,
                            start_day: *day,
                            end_day: None,
                            ..old
                        },
                    )?;
                }
            }
            Ok(())
        })
    }

    pub fn exercise_logs(&self, patient: PatientId) -> Result<Vec<ExerciseLog>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EXERCISE_LOG_COLUMNS} FROM exercise_log WHERE patient_id = ?1 \
             ORDER BY day, exercise_key"
        ))?;
        let rows = stmt.query_map([patient.0], exercise_log_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets a day's sessions of several exercises in one transaction
    /// (`None` removes that exercise's log) and returns what each was, in
    /// the same order, for undo.
    pub fn set_exercise_logs(
        &mut self,
        patient: PatientId,
        day: NaiveDate,
        logs: &[(String, Option<ExerciseLog>)],
    ) -> Result<Vec<Option<ExerciseLog>>> {
        for log in logs.iter().filter_map(|(_, l)| l.as_ref()) {
            log.validate()?;
        }
        self.write(|tx| {
            let mut previous = Vec::with_capacity(logs.len());
            for (exercise_key, log) in logs {
                previous.push(
                    tx.query_row(
                        "SELECT day, exercise_key, sessions, pain FROM exercise_log \
                         WHERE patient_id = ?1 AND day = ?2 AND exercise_key = ?3",
                        params![patient.0, day, exercise_key],
                        |r| {
                            Ok(ExerciseLog {
                                day: r.get(0)?,
                                exercise_key: r.get(1)?,
                                sessions: r.get(2)?,
                                pain: r.get(3)?,
                            })
                        },
                    )
                    .optional()?,
                );
                match log {
                    Some(log) => upsert_exercise_log(tx, patient, log)?,
                    None => {
                        tx.execute(
                            "DELETE FROM exercise_log WHERE patient_id = ?1 AND day = ?2 AND exercise_key = ?3",
                            params![patient.0, day, exercise_key],
                        )?;
                    }
                }
            }
            Ok(previous)
        })
    }
}

/// Ends an item from `day` on; an item that starts that day is removed.
fn end_item(tx: &Transaction<'_>, item: &PlanItem, day: NaiveDate) -> Result<()> {
    let Some(id) = item.id else { return Ok(()) };
    if day <= item.start_day {
        tx.execute("DELETE FROM plan_item WHERE id = ?1", [id])?;
    } else if item.end_day.is_none_or(|end| day < end) {
        tx.execute(
            "UPDATE plan_item SET end_day = ?2 WHERE id = ?1",
            params![id, day],
        )?;
    }
    Ok(())
}
