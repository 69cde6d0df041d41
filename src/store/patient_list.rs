//! What a patient list reads: every patient's record trimmed to what the
//! list's rules need.
//!
//! Each table is read by one statement that walks the patients in id
//! order and seeks each one's rows by primary key, and the rows are dealt
//! out to the patients in Rust. A clinic of 5,000 patients is then seven
//! statements, not seven lookups per patient: at that size the cost of
//! starting a statement 35,000 times was most of the list's time.

use super::check_ins::{CHECK_IN_COLUMNS, check_in_from_row};
use super::odi::{ODI_COLUMNS, odi_from_row};
use super::patients::{BASELINE_COLUMNS, baseline_from_row};
use super::program::{
    EXERCISE_LOG_COLUMNS, PLAN_ITEM_COLUMNS, exercise_log_from_row, plan_item_from_row,
};
use super::visits::{FLAG_REVIEW_COLUMNS, flag_review_from_row};
use super::{Result, Store, StoreError};
use crate::model::{Patient, PatientRecord};
use chrono::NaiveDate;
use rusqlite::{Row, params};

/// From this many patients the patient list's records are read on two
/// connections at once (below it, a second connection costs more than it
/// saves).
const READ_IN_TWO_FROM: usize = 200;

/// `columns` (a comma-separated list) each prefixed with `alias.`, and how
/// many there are.
fn qualified(alias: &str, columns: &str) -> (String, usize) {
    let names: Vec<String> = columns
        .split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect();
    (names.join(", "), names.len())
}

/// The rows of one statement dealt out to `patients` (sorted by id). The
/// statement returns its rows in patient-id order, each row's patient id
/// in column `id_column`; rows of patients not in `patients` are skipped.
fn dealt<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
    id_column: usize,
    patients: &[Patient],
    map: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<Vec<T>>> {
    let mut out: Vec<Vec<T>> = patients.iter().map(|_| Vec::new()).collect();
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut at = 0;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(id_column)?;
        while at < patients.len() && patients[at].id.0 < id {
            at += 1;
        }
        if let Some(slot) = out.get_mut(at)
            && patients[at].id.0 == id
        {
            slot.push(map(row)?);
        }
    }
    Ok(out)
}

/// The page cache of a connection of the list's own, in kilobytes: the
/// list reads each page about once, and SQLite's default (2 MB) would only
/// add to the window's peak memory.
pub const LIST_PAGE_CACHE_KIB: u32 = 512;

/// Patients read together, then handed on and dropped: enough that a
/// statement per table stays cheap, few enough that a clinic's records are
/// never all in memory at once.
const CHUNK: usize = 100;

impl Store {
    /// Every patient's record trimmed to what a patient list needs, as in
    /// [`Store::map_recent_records`].
    pub fn recent_records(
        &self,
        check_ins_from: NaiveDate,
        exercise_logs_from: NaiveDate,
    ) -> Result<Vec<(PatientRecord, Option<NaiveDate>)>> {
        self.map_recent_records(check_ins_from, exercise_logs_from, |record, last| {
            (record, last)
        })
    }

    /// `each` of every patient's record trimmed to what a patient list
    /// needs, in patient-id order: the baseline, the plan, the ODI totals,
    /// the flag reviews, the check-ins of the two weeks before surgery (the
    /// baseline), the check-ins from `check_ins_from` on and the exercise
    /// logs from `exercise_logs_from` on (the check-ins without their notes,
    /// which no rule reads); with each, the day of the
    /// patient's last check-in ever. A patient whose first check-in lies
    /// before the day they were set up has that day as `first_used_on`, so
    /// that the record's `first_used` is the whole record's.
    ///
    /// The records are read [`CHUNK`] patients at a time and dropped once
    /// `each` has seen them. A clinic's many patients are read in two
    /// halves at once, the second on a read-only connection of its own on
    /// another thread (there are two cores, and `each` runs on both).
    pub fn map_recent_records<R: Send>(
        &self,
        check_ins_from: NaiveDate,
        exercise_logs_from: NaiveDate,
        each: impl Fn(PatientRecord, Option<NaiveDate>) -> R + Sync,
    ) -> Result<Vec<R>> {
        let mut patients = self.patients()?;
        let each = &each;
        let read_all = |store: &Store, patients: Vec<Patient>| -> Result<Vec<R>> {
            // One read transaction: every chunk as of the same moment.
            let _read = store.conn.unchecked_transaction()?;
            let mut out = Vec::with_capacity(patients.len());
            let mut patients = patients.into_iter().peekable();
            while patients.peek().is_some() {
                let chunk: Vec<Patient> = patients.by_ref().take(CHUNK).collect();
                out.extend(
                    store
                        .recent_records_of(chunk, check_ins_from, exercise_logs_from)?
                        .into_iter()
                        .map(|(record, last)| each(record, last)),
                );
            }
            Ok(out)
        };
        if patients.len() < READ_IN_TWO_FROM {
            return read_all(self, patients);
        }
        let Ok(helper) = self.second_reader() else {
            return read_all(self, patients);
        };
        helper.limit_page_cache(LIST_PAGE_CACHE_KIB)?;
        let second_half = patients.split_off(patients.len() / 2);
        std::thread::scope(|scope| {
            let other = scope.spawn(move || read_all(&helper, second_half));
            let mut out = read_all(self, patients)?;
            let rest = other.join().map_err(|_panic| StoreError::Open {
                path: self.path.clone(),
                what: "reading the second half of the patients failed".to_owned(),
                source: None,
            })??;
            out.extend(rest);
            Ok(out)
        })
    }

    /// The trimmed records of the given patients (sorted by id), on this
    /// connection.
    fn recent_records_of(
        &self,
        patients: Vec<Patient>,
        since: NaiveDate,
        exercise_logs_from: NaiveDate,
    ) -> Result<Vec<(PatientRecord, Option<NaiveDate>)>> {
        let (Some(first), Some(last)) = (patients.first(), patients.last()) else {
            return Ok(Vec::new());
        };
        let (lo, hi) = (first.id.0, last.id.0);
        let conn = &self.conn;
        let (check_in_columns, check_in_count) = qualified("c", CHECK_IN_COLUMNS);
        // No rule reads a check-in's note: the list's check-ins come without
        // it. (The body map is read: saddle numbness marked on it is an
        // emergency.)
        let check_in_columns = check_in_columns.replace("c.note", "'' AS note");
        let (log_columns, log_count) = qualified("e", EXERCISE_LOG_COLUMNS);
        // CROSS JOIN keeps the patients as the outer loop, so each
        // patient's rows are found by a primary-key range (SQLite would
        // otherwise scan the whole table for the day).
        // The days before surgery that make the baseline the verdicts
        // start from (all before `since`), then the recent days.
        let check_ins = |condition: &str, params: &[&dyn rusqlite::ToSql]| {
            dealt(
                conn,
                &format!(
                    "SELECT {check_in_columns}, c.patient_id FROM patient p CROSS JOIN check_in c \
                     ON c.patient_id = p.id AND {condition} \
                     WHERE p.id BETWEEN ?1 AND ?2 ORDER BY p.id, c.day"
                ),
                params,
                check_in_count,
                &patients,
                check_in_from_row,
            )
        };
        let before_surgery = check_ins(
            "c.day >= date(p.surgery_date, ?3) AND c.day < p.surgery_date AND c.day < ?4",
            params![
                lo,
                hi,
                format!("-{} days", crate::model::PRE_OPERATIVE_BASELINE_DAYS),
                since
            ],
        )?;
        let recent = check_ins("c.day >= ?3", params![lo, hi, since])?;
        let logs = dealt(
            conn,
            &format!(
                "SELECT {log_columns}, e.patient_id FROM patient p CROSS JOIN exercise_log e \
                 ON e.patient_id = p.id AND e.day >= ?3 \
                 WHERE p.id BETWEEN ?1 AND ?2 ORDER BY p.id, e.day, e.exercise_key"
            ),
            params![lo, hi, exercise_logs_from],
            log_count,
            &patients,
            exercise_log_from_row,
        )?;
        let WholeRows {
            baselines,
            odi,
            plans,
            reviews,
        } = whole_rows_of(conn, &patients)?;
        let last_days = last_days_of(conn, &patients, &recent)?;
        let first_days = first_days_of(conn, &patients)?;

        // Every part has one entry per patient, in the patients' order.
        let parts = last_days
            .into_iter()
            .zip(before_surgery)
            .zip(recent)
            .zip(logs)
            .zip(baselines)
            .zip(odi)
            .zip(plans)
            .zip(reviews)
            .zip(first_days);
        let records = patients
            .into_iter()
            .zip(parts)
            .map(|(mut patient, (parts, first_day))| {
                let set_up = patient
                    .first_used_on
                    .unwrap_or_else(|| patient.created_at.date_naive());
                if let Some(first) = first_day
                    && first < set_up
                {
                    patient.first_used_on = Some(first);
                }
                let (
                    ((((((last_day, mut check_ins), recent), logs), baseline), odi), plan),
                    reviews,
                ) = parts;
                check_ins.extend(recent);
                let record = PatientRecord {
                    baseline,
                    check_ins,
                    odi_entries: odi,
                    milestones: Vec::new(),
                    plan,
                    exercise_logs: logs,
                    visit_notes: Vec::new(),
                    flag_reviews: reviews,
                    changes: Vec::new(),
                    // The list neither shows nor judges the PSFS.
                    psfs_activities: Vec::new(),
                    psfs_ratings: Vec::new(),
                    patient,
                };
                (record, last_day)
            })
            .collect();
        Ok(records)
    }
}

/// Per patient, in the patients' order, the rows a list reads whole (they
/// are few): the baseline, the ODI totals, the plan and the flag reviews.
#[derive(Default)]
struct WholeRows {
    baselines: Vec<Option<crate::model::Baseline>>,
    odi: Vec<Vec<crate::model::OdiEntry>>,
    plans: Vec<Vec<crate::model::PlanItem>>,
    reviews: Vec<Vec<crate::model::FlagReview>>,
}

fn whole_rows_of(conn: &rusqlite::Connection, patients: &[Patient]) -> Result<WholeRows> {
    let (Some(first), Some(last)) = (patients.first(), patients.last()) else {
        return Ok(Default::default());
    };
    let range = params![first.id.0, last.id.0];
    let of_table = |table: &str, columns: &str, order: &str| {
        (
            format!(
                "SELECT {columns}, patient_id FROM {table} \
                 WHERE patient_id BETWEEN ?1 AND ?2 ORDER BY patient_id, {order}"
            ),
            columns.split(',').count(),
        )
    };
    let (sql, count) = of_table("baseline", BASELINE_COLUMNS, "patient_id");
    let baselines = dealt(conn, &sql, range, count, patients, baseline_from_row)?
        .into_iter()
        .map(|b| b.into_iter().next())
        .collect();
    let (sql, count) = of_table("odi_entry", ODI_COLUMNS, "day");
    let odi = dealt(conn, &sql, range, count, patients, odi_from_row)?;
    let (sql, count) = of_table("plan_item", PLAN_ITEM_COLUMNS, "start_day, id");
    let plans = dealt(conn, &sql, range, count, patients, plan_item_from_row)?;
    let (sql, count) = of_table("flag_review", FLAG_REVIEW_COLUMNS, "flag_key");
    let reviews = dealt(conn, &sql, range, count, patients, flag_review_from_row)?;
    Ok(WholeRows {
        baselines,
        odi,
        plans,
        reviews,
    })
}

/// Each patient's last check-in ever: the last recent one; only a patient
/// with none lately is looked up on the key.
fn last_days_of(
    conn: &rusqlite::Connection,
    patients: &[Patient],
    recent: &[Vec<crate::model::CheckIn>],
) -> Result<Vec<Option<NaiveDate>>> {
    let mut last_ever =
        conn.prepare_cached("SELECT max(day) FROM check_in WHERE patient_id = ?1")?;
    patients
        .iter()
        .zip(recent)
        .map(|(patient, recent)| match recent.last() {
            Some(c) => Ok(Some(c.day)),
            None => Ok(last_ever.query_row([patient.id.0], |r| r.get::<_, Option<NaiveDate>>(0))?),
        })
        .collect()
}

/// Each patient's first check-in day ever, if any. The app began for a
/// patient on the first day they filled in, if that was before they were
/// set up (`PatientRecord::first_used`); a trimmed record no longer holds
/// that day, so it is read apart.
fn first_days_of(
    conn: &rusqlite::Connection,
    patients: &[Patient],
) -> Result<Vec<Option<NaiveDate>>> {
    let (Some(first), Some(last)) = (patients.first(), patients.last()) else {
        return Ok(Vec::new());
    };
    let days = dealt(
        conn,
        "SELECT (SELECT min(c.day) FROM check_in c WHERE c.patient_id = p.id), p.id \
         FROM patient p WHERE p.id BETWEEN ?1 AND ?2 ORDER BY p.id",
        params![first.id.0, last.id.0],
        1,
        patients,
        |r| r.get::<_, Option<NaiveDate>>(0),
    )?;
    Ok(days
        .into_iter()
        .map(|day| day.into_iter().flatten().next())
        .collect())
}
