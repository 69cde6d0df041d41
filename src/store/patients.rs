use super::{Result, Store, StoreError};
use crate::model::{
    Approach, Baseline, Patient, PatientChange, PatientDetails, PatientId, PatientRecord,
    Procedure, ValidationError,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

const PATIENT_COLUMNS: &str = "id, name, date_of_birth, surgery_date, procedure, approach, levels, \
                               surgeon, clinic, archived, created_at, team_phone, discharged_on, \
                               first_used_on";

fn bad_column(index: usize, what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        index,
        rusqlite::types::Type::Text,
        format!("{what} \"{value}\" is not known to this version").into(),
    )
}

pub(super) fn patient_from_row(row: &Row<'_>) -> rusqlite::Result<Patient> {
    let procedure: String = row.get(4)?;
    let approach: String = row.get(5)?;
    let created_at: String = row.get(10)?;
    Ok(Patient {
        id: PatientId(row.get(0)?),
        details: PatientDetails {
            name: row.get(1)?,
            date_of_birth: row.get(2)?,
            surgery_date: row.get(3)?,
            procedure: procedure
                .parse::<Procedure>()
                .ok()
                .ok_or_else(|| bad_column(4, "procedure", &procedure))?,
            approach: approach
                .parse::<Approach>()
                .ok()
                .ok_or_else(|| bad_column(5, "approach", &approach))?,
            levels: row.get(6)?,
            surgeon: row.get(7)?,
            clinic: row.get(8)?,
            team_phone: row.get(11)?,
            discharged_on: row.get(12)?,
        },
        archived: row.get(9)?,
        created_at: DateTime::parse_from_rfc3339(&created_at)
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .ok_or_else(|| bad_column(10, "timestamp", &created_at))?,
        first_used_on: row.get(13)?,
    })
}

pub(super) const BASELINE_COLUMNS: &str = "back_pain, leg_pain, walking_minutes, sitting_minutes, odi, \
     numbness, tingling, clinician_reason";

pub(super) fn baseline_from_row(row: &Row<'_>) -> rusqlite::Result<Baseline> {
    Ok(Baseline {
        back_pain: row.get(0)?,
        leg_pain: row.get(1)?,
        walking_minutes: row.get(2)?,
        sitting_minutes: row.get(3)?,
        odi: row.get(4)?,
        numbness: row.get(5)?,
        tingling: row.get(6)?,
        clinician_reason: row.get(7)?,
    })
}

fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Optional text as stored: trimmed, and absent when empty.
fn stored_text(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|s| !s.is_empty())
}

fn insert_patient(
    tx: &Transaction<'_>,
    id: Option<PatientId>,
    p: &PatientDetails,
    archived: bool,
    created_at: DateTime<Utc>,
    first_used_on: Option<NaiveDate>,
) -> Result<PatientId> {
    tx.execute(
        "INSERT INTO patient (id, name, date_of_birth, surgery_date, procedure, approach, levels, \
         surgeon, clinic, archived, created_at, team_phone, discharged_on, first_used_on) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            id.map(|id| id.0),
            p.name.trim(),
            p.date_of_birth,
            p.surgery_date,
            p.procedure.code(),
            p.approach.code(),
            p.levels.trim(),
            stored_text(p.surgeon.as_deref()),
            stored_text(p.clinic.as_deref()),
            archived,
            timestamp(created_at),
            stored_text(p.team_phone.as_deref()),
            p.discharged_on,
            first_used_on,
        ],
    )?;
    Ok(PatientId(tx.last_insert_rowid()))
}

/// Every field of the details and baseline that differs, as (field,
/// before, after) in the words a person reads.
fn differences(
    before: &PatientDetails,
    after: &PatientDetails,
    baseline_before: Option<&Baseline>,
    baseline_after: Option<&Baseline>,
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    let text = |s: &Option<String>| stored_text(s.as_deref()).map(str::to_owned);
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let mut fields = vec![
        (
            "name",
            Some(before.name.trim().to_owned()),
            Some(after.name.trim().to_owned()),
        ),
        (
            "date_of_birth",
            day(before.date_of_birth),
            day(after.date_of_birth),
        ),
        (
            "surgery_date",
            day(Some(before.surgery_date)),
            day(Some(after.surgery_date)),
        ),
        (
            "procedure",
            Some(before.procedure.code().to_owned()),
            Some(after.procedure.code().to_owned()),
        ),
        (
            "approach",
            Some(before.approach.code().to_owned()),
            Some(after.approach.code().to_owned()),
        ),
        (
            "levels",
            Some(before.levels.trim().to_owned()),
            Some(after.levels.trim().to_owned()),
        ),
        ("surgeon", text(&before.surgeon), text(&after.surgeon)),
        ("clinic", text(&before.clinic), text(&after.clinic)),
        (
            "team_phone",
            text(&before.team_phone),
            text(&after.team_phone),
        ),
        (
            "discharged_on",
            day(before.discharged_on),
            day(after.discharged_on),
        ),
    ];
    let baseline = |b: Option<&Baseline>| {
        b.map(|b| {
            let nerve =
                |word: &str, v: Option<u8>| v.map_or_else(String::new, |v| format!(", {word} {v}"));
            let chosen = b
                .clinician_reason
                .as_deref()
                .map_or_else(String::new, |r| format!("; chosen by the clinician: {r}"));
            format!(
                "back {}, leg {}, walking {} min, sitting {} min, ODI {}{}{}{chosen}",
                b.back_pain,
                b.leg_pain,
                b.walking_minutes,
                b.sitting_minutes,
                b.odi
                    .map_or_else(|| "not known".to_owned(), |o| o.to_string()),
                nerve("numbness", b.numbness),
                nerve("tingling", b.tingling)
            )
        })
    };
    fields.push((
        "baseline",
        baseline(baseline_before),
        baseline(baseline_after),
    ));
    fields.retain(|(_, b, a)| b != a);
    fields
}

fn insert_change(tx: &Transaction<'_>, id: PatientId, change: &PatientChange) -> Result<()> {
    tx.execute(
        "INSERT INTO patient_change (patient_id, changed_at, field, before, after) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id.0,
            timestamp(change.changed_at),
            change.field,
            change.before,
            change.after
        ],
    )?;
    Ok(())
}

fn upsert_baseline(tx: &Transaction<'_>, id: PatientId, b: &Baseline) -> Result<()> {
    b.validate()?;
    tx.execute(
        "INSERT INTO baseline (patient_id, back_pain, leg_pain, walking_minutes, sitting_minutes, odi, \
         numbness, tingling, clinician_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (patient_id) DO UPDATE SET back_pain = excluded.back_pain, \
         leg_pain = excluded.leg_pain, walking_minutes = excluded.walking_minutes, \
         sitting_minutes = excluded.sitting_minutes, odi = excluded.odi, \
         numbness = excluded.numbness, tingling = excluded.tingling, \
         clinician_reason = excluded.clinician_reason",
        params![
            id.0,
            b.back_pain,
            b.leg_pain,
            b.walking_minutes,
            b.sitting_minutes,
            b.odi,
            b.numbness,
            b.tingling,
            stored_text(b.clinician_reason.as_deref())
        ],
    )?;
    Ok(())
}

/// What an import does with one patient of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportAction {
    /// A new patient, with everything in the record.
    New(PatientRecord),
    /// Rows to add to an existing patient (only rows not already there).
    AddTo(PatientId, PatientRecord),
}

fn patient_exists(tx: &Transaction<'_>, id: PatientId) -> Result<bool> {
    Ok(tx
        .query_row("SELECT 1 FROM patient WHERE id = ?1", [id.0], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// Creates a patient (and their baseline, if known) in one transaction.
    pub fn create_patient(
        &mut self,
        details: &PatientDetails,
        baseline: Option<&Baseline>,
        now: DateTime<Utc>,
    ) -> Result<PatientId> {
        details.validate(now.date_naive())?;
        self.write(|tx| {
            // The local day: "the first day the app was used" is the
            // person's day, not Greenwich's.
            let first_used = now.with_timezone(&chrono::Local).date_naive();
            let id = insert_patient(tx, None, details, false, now, Some(first_used))?;
            if let Some(b) = baseline {
                upsert_baseline(tx, id, b)?;
            }
            Ok(id)
        })
    }

    /// Corrects a patient's details and baseline; every field that
    /// changed is written to the patient's change log, stamped `now`.
    pub fn update_patient(
        &mut self,
        id: PatientId,
        details: &PatientDetails,
        baseline: Option<&Baseline>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<()> {
        details.validate(today)?;
        if let Some(b) = baseline {
            b.validate()?;
        }
        let before = self.patient(id)?.ok_or(StoreError::UnknownPatient(id))?;
        let baseline_before = self.baseline(id)?;
        // A postponed operation keeps every check-in and ODI total: the days
        // before the new date are simply before surgery. Exercises and
        // milestones belong after it.
        if details.surgery_date > before.details.surgery_date
            && let Some(first) = self.first_post_operative_entry(id)?
            && first < details.surgery_date
        {
            return Err(ValidationError::new(
                "surgery_date",
                format!(
                    "cannot be after {first}, the first day with an exercise or milestone \
                     recorded after the operation"
                ),
            )
            .into());
        }
        if details.surgery_date != before.details.surgery_date
            && let Some(first) = self.first_dated_entry(id)?
            && let Some(earliest) = details
                .surgery_date
                .checked_sub_days(chrono::Days::new(crate::model::MAX_DAYS_BEFORE_SURGERY))
            && first < earliest
        {
            return Err(ValidationError::new(
                "surgery_date",
                format!(
                    "cannot be more than a year after {first}, the first day with a check-in, \
                     ODI total or PSFS answer"
                ),
            )
            .into());
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE patient SET name = ?2, date_of_birth = ?3, surgery_date = ?4, procedure = ?5, \
                 approach = ?6, levels = ?7, surgeon = ?8, clinic = ?9, team_phone = ?10, \
                 discharged_on = ?11 WHERE id = ?1",
                params![
                    id.0,
                    details.name.trim(),
                    details.date_of_birth,
                    details.surgery_date,
                    details.procedure.code(),
                    details.approach.code(),
                    details.levels.trim(),
                    stored_text(details.surgeon.as_deref()),
                    stored_text(details.clinic.as_deref()),
                    stored_text(details.team_phone.as_deref()),
                    details.discharged_on,
                ],
            )?;
            match baseline {
                Some(b) => upsert_baseline(tx, id, b)?,
                None => {
                    tx.execute("DELETE FROM baseline WHERE patient_id = ?1", [id.0])?;
                }
            }
            for (field, was, is) in
                differences(&before.details, details, baseline_before.as_ref(), baseline)
            {
                insert_change(
                    tx,
                    id,
                    &PatientChange {
                        changed_at: now,
                        field: field.to_owned(),
                        before: was,
                        after: is,
                    },
                )?;
            }
            Ok(())
        })
    }

    /// The first day anything dated is recorded for a patient: a check-in,
    /// an ODI total, an exercise log or a reached milestone.
    /// The first day of a check-in, ODI total or PSFS answer or activity:
    /// these may lie before the operation.
    fn first_dated_entry(&self, id: PatientId) -> Result<Option<NaiveDate>> {
        Ok(self.conn.query_row(
            "SELECT min(day) FROM (\
               SELECT min(day) AS day FROM check_in WHERE patient_id = ?1 \
               UNION ALL SELECT min(day) FROM odi_entry WHERE patient_id = ?1 \
               UNION ALL SELECT min(day) FROM psfs_rating WHERE patient_id = ?1 \
               UNION ALL SELECT min(added_on) FROM psfs_activity WHERE patient_id = ?1)",
            [id.0],
            |r| r.get(0),
        )?)
    }

    /// The first day of an exercise or a milestone: these belong after the
    /// operation.
    fn first_post_operative_entry(&self, id: PatientId) -> Result<Option<NaiveDate>> {
        Ok(self.conn.query_row(
            "SELECT min(day) FROM (\
               SELECT min(day) AS day FROM exercise_log WHERE patient_id = ?1 \
               UNION ALL SELECT min(achieved_on) FROM milestone WHERE patient_id = ?1)",
            [id.0],
            |r| r.get(0),
        )?)
    }

    /// The corrections of a patient's details, oldest first.
    pub fn patient_changes(&self, id: PatientId) -> Result<Vec<PatientChange>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT changed_at, field, before, after FROM patient_change \
             WHERE patient_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id.0], |r| {
            let at: String = r.get(0)?;
            Ok(PatientChange {
                changed_at: DateTime::parse_from_rfc3339(&at)
                    .map(|t| t.with_timezone(&Utc))
                    .ok()
                    .ok_or_else(|| bad_column(0, "timestamp", &at))?,
                field: r.get(1)?,
                before: r.get(2)?,
                after: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Archives a patient (kept, but out of the daily lists) or brings them back.
    pub fn set_archived(&mut self, id: PatientId, archived: bool) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE patient SET archived = ?2 WHERE id = ?1",
                params![id.0, archived],
            )?;
            if changed == 0 {
                return Err(StoreError::UnknownPatient(id));
            }
            Ok(())
        })
    }

    /// All patients, archived ones included, by id.
    pub fn patients(&self) -> Result<Vec<Patient>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PATIENT_COLUMNS} FROM patient ORDER BY id"
        ))?;
        let rows = stmt.query_map([], patient_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn patient(&self, id: PatientId) -> Result<Option<Patient>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PATIENT_COLUMNS} FROM patient WHERE id = ?1"
        ))?;
        Ok(stmt.query_row([id.0], patient_from_row).optional()?)
    }

    pub fn baseline(&self, id: PatientId) -> Result<Option<Baseline>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {BASELINE_COLUMNS} FROM baseline WHERE patient_id = ?1"
        ))?;
        Ok(stmt.query_row([id.0], baseline_from_row).optional()?)
    }

    /// Everything recorded about one patient.
    pub fn patient_record(&self, id: PatientId) -> Result<PatientRecord> {
        let patient = self.patient(id)?.ok_or(StoreError::UnknownPatient(id))?;
        Ok(PatientRecord {
            baseline: self.baseline(id)?,
            check_ins: self.check_ins(id)?,
            odi_entries: self.odi_entries(id)?,
            milestones: self.milestones(id)?,
            plan: self.plan(id)?,
            exercise_logs: self.exercise_logs(id)?,
            visit_notes: self.visit_notes(id)?,
            flag_reviews: self.flag_reviews(id)?,
            changes: self.patient_changes(id)?,
            psfs_activities: self.psfs_activities(id)?,
            psfs_ratings: self.psfs_ratings(id)?,
            patient,
        })
    }

    /// The records of one patient or of all, for an export: the file must
    /// pass SQLite's quick check first (a damaged page would otherwise read
    /// as a missing row), and everything is read in one read transaction,
    /// so the export is one consistent moment even beside a running app.
    pub fn checked_records(&self, patient: Option<PatientId>) -> Result<Vec<PatientRecord>> {
        let problems = self.quick_check()?;
        if !problems.is_empty() {
            return Err(super::open::damaged(&self.path, &problems));
        }
        let snapshot = self.conn.unchecked_transaction()?;
        let ids = match patient {
            Some(id) => vec![id],
            None => self.patients()?.into_iter().map(|p| p.id).collect(),
        };
        let records = ids
            .into_iter()
            .map(|id| self.patient_record(id))
            .collect::<Result<Vec<_>>>()?;
        snapshot.commit()?;
        Ok(records)
    }

    /// Stores whole patient records in one transaction, keeping each
    /// patient's id where it is free and giving a new one where it is taken.
    /// Returns the id each record was stored under, in order.
    pub fn insert_patient_records(
        &mut self,
        records: &[PatientRecord],
        today: NaiveDate,
    ) -> Result<Vec<PatientId>> {
        let actions: Vec<ImportAction> = records.iter().cloned().map(ImportAction::New).collect();
        self.apply_import(&actions, today)
    }

    /// Stores new patients and adds rows to existing ones, all in one
    /// transaction. Returns the id each action went to, in order.
    pub fn apply_import(
        &mut self,
        actions: &[ImportAction],
        today: NaiveDate,
    ) -> Result<Vec<PatientId>> {
        for action in actions {
            let record = match action {
                ImportAction::New(r) => {
                    r.patient.details.validate(today)?;
                    if let Some(b) = &r.baseline {
                        b.validate()?;
                    }
                    crate::model::psfs::check_record(&r.psfs_activities, &r.psfs_ratings)?;
                    r
                }
                ImportAction::AddTo(id, r) => {
                    // Rows merged into a patient must fit that patient's
                    // operation, not the one in the document.
                    let target = self.patient(*id)?.ok_or(StoreError::UnknownPatient(*id))?;
                    r.check_days_for(&target, today)?;
                    // And the PSFS as it will be, with what is there.
                    let mut activities = self.psfs_activities(*id)?;
                    activities.extend(r.psfs_activities.iter().cloned());
                    let mut ratings = self.psfs_ratings(*id)?;
                    ratings.extend(r.psfs_ratings.iter().cloned());
                    crate::model::psfs::check_record(&activities, &ratings).map_err(|e| {
                        ValidationError::new(
                            e.field,
                            format!("with what patient {id} has here, {}", e.message),
                        )
                    })?;
                    r
                }
            };
            for c in &record.check_ins {
                c.validate()?;
            }
            for e in &record.odi_entries {
                e.validate()?;
            }
        }
        self.write(|tx| {
            let mut ids = Vec::with_capacity(actions.len());
            for action in actions {
                let (id, record) = match action {
                    ImportAction::New(record) => {
                        let p = &record.patient;
                        let wanted = (!patient_exists(tx, p.id)?).then_some(p.id);
                        let first_used = p
                            .first_used_on
                            .or_else(|| record.check_ins.first().map(|c| c.day));
                        let id = insert_patient(
                            tx,
                            wanted,
                            &p.details,
                            p.archived,
                            p.created_at,
                            first_used,
                        )?;
                        if let Some(b) = &record.baseline {
                            upsert_baseline(tx, id, b)?;
                        }
                        (id, record)
                    }
                    ImportAction::AddTo(id, record) => {
                        if !patient_exists(tx, *id)? {
                            return Err(StoreError::UnknownPatient(*id));
                        }
                        (*id, record)
                    }
                };
                super::check_ins::insert_all(tx, id, &record.check_ins)?;
                super::odi::insert_all(tx, id, &record.odi_entries)?;
                super::psfs::insert_all(tx, id, &record.psfs_activities, &record.psfs_ratings)?;
                for m in &record.milestones {
                    super::program::upsert_milestone(tx, id, m)?;
                }
                for item in &record.plan {
                    super::program::insert_plan_item(tx, id, item)?;
                }
                for log in &record.exercise_logs {
                    super::program::upsert_exercise_log(tx, id, log)?;
                }
                for note in &record.visit_notes {
                    super::visits::insert_note(tx, id, note)?;
                }
                for review in &record.flag_reviews {
                    super::visits::upsert_review(tx, id, review)?;
                }
                for change in &record.changes {
                    insert_change(tx, id, change)?;
                }
                ids.push(id);
            }
            Ok(ids)
        })
    }
}
