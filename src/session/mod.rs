//! Every change a person can make to the data, as a value: an [`Edit`].
//! [`apply`] writes one edit to the store in one transaction and returns
//! one [`Outcome`]: a confirmation in plain words and the edit that undoes
//! it, or an error tagged with the form and field it belongs to. The window
//! shows outcomes; this layer knows nothing of egui, so it is tested
//! without one.

#[cfg(test)]
mod tests;

use crate::model::{
    Baseline, CheckIn, CustomMilestone, ExerciseLog, FlagReview, MilestoneRecord, OdiEntry,
    PatientDetails, PatientId, PsfsActivity, PsfsRating, UseMode, VisitNote,
};
use crate::store::{PlanChange, SaveOutcome, Store, StoreError};
use crate::words::{long_date, plural};
use chrono::{DateTime, NaiveDate, Utc};

/// One exercise's log for a day, with the name people know it by.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseEntry {
    pub key: String,
    pub name: String,
    /// `None` removes the day's log of this exercise.
    pub log: Option<ExerciseLog>,
}

/// A change to the data, as a person makes it.
#[derive(Debug, Clone, PartialEq, strum::EnumDiscriminants)]
#[strum_discriminants(name(EditKind), derive(Hash))]
pub enum Edit {
    SaveCheckIn(PatientId, CheckIn),
    DeleteCheckIn(PatientId, NaiveDate),
    /// Puts back a check-in that was deleted or changed (undo).
    RestoreCheckIn(PatientId, CheckIn),
    SaveOdi(PatientId, OdiEntry),
    DeleteOdi(PatientId, NaiveDate),
    /// Reached, not reached, or a custom milestone put back; the label is
    /// what the confirmation calls it.
    SaveMilestone {
        patient: PatientId,
        record: MilestoneRecord,
        label: String,
    },
    AddMilestone(PatientId, CustomMilestone),
    DeleteMilestone(PatientId, String),
    /// A day's sessions of one or more exercises, in one transaction, so
    /// "I did all of today's exercises" is undone as one action.
    SetExerciseLogs {
        patient: PatientId,
        day: NaiveDate,
        entries: Vec<ExerciseEntry>,
    },
    ChangePlan(PatientId, PlanChange),
    CreatePatient(PatientDetails, Option<Baseline>),
    /// Corrects a patient's details and baseline.
    UpdatePatient {
        patient: PatientId,
        details: PatientDetails,
        baseline: Option<Baseline>,
    },
    SetArchived(PatientId, bool),
    ReviewFlag(PatientId, FlagReview),
    AddVisitNote(PatientId, VisitNote),
    DeleteVisitNote(PatientId, i64),
    /// Who the file is for; `None` forgets the choice (undo of a first one).
    SetUseMode(Option<UseMode>),
    /// The PSFS activities as they are to be, and the ratings of one day
    /// (replacing that day's); undone by the activities and day before.
    SavePsfs {
        patient: PatientId,
        activities: Vec<PsfsActivity>,
        day: NaiveDate,
        ratings: Vec<PsfsRating>,
    },
}

/// The form an edit comes from, where its error is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    CheckIn,
    Odi,
    Psfs,
    Milestones,
    Exercises,
    Patient,
    PatientList,
    Review,
    Settings,
}

/// Why an edit was not made, and where to say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    pub form: Form,
    /// The field at fault, when one is (`back_pain`, `name`).
    pub field: Option<&'static str>,
    /// A whole sentence for the person.
    pub message: String,
    /// For a wrong value: what is wrong with it, without the field's name
    /// ("is more than a year from today"), for a form to put beside the
    /// field under its own label.
    pub problem: Option<String>,
}

/// What became of an edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub kind: EditKind,
    pub form: Form,
    /// A confirmation in plain words; `None` for edits that need none.
    pub message: Option<String>,
    /// The edit that puts things back as they were.
    pub undo: Option<Edit>,
    pub error: Option<EditError>,
    /// The patient an edit created.
    pub created: Option<PatientId>,
}

impl Outcome {
    fn failed(
        kind: EditKind,
        form: Form,
        (not_done, kept): (&str, &str),
        error: &StoreError,
    ) -> Self {
        let (field, problem) = match error {
            StoreError::Invalid(v) => (Some(v.field), Some(v.message.clone())),
            _ => (None, None),
        };
        Self {
            kind,
            form,
            message: None,
            undo: None,
            error: Some(EditError {
                form,
                field,
                message: format!("{not_done}: {error}.{kept}"),
                problem,
            }),
            created: None,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

impl Edit {
    /// The form whose error line shows this edit's failure.
    pub fn form(&self) -> Form {
        match self {
            Edit::SaveCheckIn(..) | Edit::DeleteCheckIn(..) | Edit::RestoreCheckIn(..) => {
                Form::CheckIn
            }
            Edit::SaveOdi(..) | Edit::DeleteOdi(..) => Form::Odi,
            Edit::SavePsfs { .. } => Form::Psfs,
            Edit::SaveMilestone { .. } | Edit::AddMilestone(..) | Edit::DeleteMilestone(..) => {
                Form::Milestones
            }
            Edit::SetExerciseLogs { .. } | Edit::ChangePlan(..) => Form::Exercises,
            Edit::CreatePatient(..) | Edit::UpdatePatient { .. } => Form::Patient,
            Edit::SetArchived(..) => Form::PatientList,
            Edit::SetUseMode(..) => Form::Settings,
            Edit::ReviewFlag(..) | Edit::AddVisitNote(..) | Edit::DeleteVisitNote(..) => {
                Form::Review
            }
        }
    }

    /// How a failure starts ("Not saved") and what it adds about the input
    /// the person typed.
    fn failure_words(&self) -> (&'static str, &'static str) {
        match self {
            Edit::SaveCheckIn(..) => ("Not saved", " Your entries are still here."),
            Edit::AddVisitNote(..) => ("Not saved", " The note is still there."),
            Edit::RestoreCheckIn(..) => ("Could not restore", ""),
            Edit::DeleteCheckIn(..)
            | Edit::DeleteOdi(..)
            | Edit::DeleteMilestone(..)
            | Edit::DeleteVisitNote(..) => ("Not deleted", ""),
            Edit::AddMilestone(..) => ("Not added", ""),
            Edit::ChangePlan(..) => ("The plan was not changed", ""),
            Edit::SetArchived(..) | Edit::SetUseMode(..) => ("Not changed", ""),
            Edit::SaveOdi(..)
            | Edit::SavePsfs { .. }
            | Edit::SaveMilestone { .. }
            | Edit::SetExerciseLogs { .. }
            | Edit::CreatePatient(..)
            | Edit::UpdatePatient { .. }
            | Edit::ReviewFlag(..) => ("Not saved", ""),
        }
    }
}

fn the_check_in_of(day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        "today's check-in".to_owned()
    } else {
        format!("the check-in of {}", long_date(day))
    }
}

/// Applies `edit` to `store` in one transaction. `today` words the
/// confirmation; `now` stamps what is created.
pub fn apply(store: &mut Store, edit: Edit, today: NaiveDate, now: DateTime<Utc>) -> Outcome {
    let form = edit.form();
    let kind = EditKind::from(&edit);
    let words = edit.failure_words();
    let outcome = match edit {
        Edit::SaveCheckIn(patient, check_in) => save_check_in(store, patient, &check_in, today),
        Edit::DeleteCheckIn(patient, day) => delete_check_in(store, patient, day),
        Edit::RestoreCheckIn(patient, check_in) => restore_check_in(store, patient, &check_in),
        Edit::SaveOdi(patient, entry) => save_odi(store, patient, entry),
        Edit::SavePsfs {
            patient,
            activities,
            day,
            ratings,
        } => save_psfs(store, patient, &activities, (day, today), &ratings),
        Edit::DeleteOdi(patient, day) => delete_odi(store, patient, day),
        Edit::SaveMilestone {
            patient,
            record,
            label,
        } => save_milestone(store, patient, record, label),
        Edit::AddMilestone(patient, custom) => add_milestone(store, patient, custom),
        Edit::DeleteMilestone(patient, key) => delete_milestone(store, patient, key),
        Edit::SetExerciseLogs {
            patient,
            day,
            entries,
        } => set_exercise_logs(store, patient, day, entries),
        Edit::ChangePlan(patient, change) => store.change_plan(patient, &change).map(|()| {
            Done::new(
                "✔ Plan changed from today; earlier days keep their plan.",
                None,
            )
        }),
        Edit::CreatePatient(details, baseline) => store
            .create_patient(&details, baseline.as_ref(), now)
            .map(|id| Done {
                created: Some(id),
                ..Done::new(format!("Welcome, {}.", details.name.trim()), None)
            }),
        Edit::UpdatePatient {
            patient,
            details,
            baseline,
        } => update_patient(store, patient, &details, baseline.as_ref(), today, now),
        Edit::SetArchived(patient, archived) => set_archived(store, patient, archived),
        Edit::SetUseMode(mode) => set_use_mode(store, mode),
        Edit::ReviewFlag(patient, review) => {
            store.review_flag(patient, &review).map(|()| Done::quiet())
        }
        Edit::AddVisitNote(patient, note) => store
            .add_visit_note(patient, &note)
            .map(|id| Done::new("✔ Note saved.", Some(Edit::DeleteVisitNote(patient, id)))),
        Edit::DeleteVisitNote(patient, id) => {
            store
                .delete_visit_note(patient, id)
                .map(|deleted| match deleted {
                    Some(note) => Done::new(
                        format!("Deleted the note of {}.", long_date(note.day)),
                        Some(Edit::AddVisitNote(patient, note)),
                    ),
                    None => Done::quiet(),
                })
        }
    };
    match outcome {
        Ok(done) => Outcome {
            kind,
            form,
            message: done.message,
            undo: done.undo,
            error: None,
            created: done.created,
        },
        Err(error) => Outcome::failed(kind, form, words, &error),
    }
}

/// What a successful edit reports.
struct Done {
    message: Option<String>,
    undo: Option<Edit>,
    created: Option<PatientId>,
}

impl Done {
    fn new(message: impl Into<String>, undo: Option<Edit>) -> Self {
        Self {
            message: Some(message.into()),
            undo,
            created: None,
        }
    }

    fn quiet() -> Self {
        Self {
            message: None,
            undo: None,
            created: None,
        }
    }
}

type Applied = Result<Done, StoreError>;

fn save_check_in(
    store: &mut Store,
    patient: PatientId,
    check_in: &CheckIn,
    today: NaiveDate,
) -> Applied {
    let day = check_in.day;
    Ok(match store.save_check_in(patient, check_in)? {
        SaveOutcome::Created => Done::new(
            format!("✔ Saved: {}.", the_check_in_of(day, today)),
            Some(Edit::DeleteCheckIn(patient, day)),
        ),
        SaveOutcome::Updated { previous } => Done::new(
            format!("✔ Changes saved: {}.", the_check_in_of(day, today)),
            Some(Edit::RestoreCheckIn(patient, previous)),
        ),
    })
}

fn delete_check_in(store: &mut Store, patient: PatientId, day: NaiveDate) -> Applied {
    Ok(match store.delete_check_in(patient, day)? {
        Some(deleted) => Done::new(
            format!("Deleted the check-in of {}.", long_date(day)),
            Some(Edit::RestoreCheckIn(patient, deleted)),
        ),
        None => Done::quiet(),
    })
}

fn restore_check_in(store: &mut Store, patient: PatientId, check_in: &CheckIn) -> Applied {
    let day = check_in.day;
    let undo = match store.save_check_in(patient, check_in)? {
        SaveOutcome::Created => Edit::DeleteCheckIn(patient, day),
        SaveOutcome::Updated { previous } => Edit::RestoreCheckIn(patient, previous),
    };
    Ok(Done::new(
        format!("Restored the check-in of {}.", long_date(day)),
        Some(undo),
    ))
}

fn save_odi(store: &mut Store, patient: PatientId, entry: OdiEntry) -> Applied {
    store.save_odi_entry(patient, &entry)?;
    Ok(Done::new(
        format!("✔ Saved: ODI {} on {}.", entry.total, long_date(entry.day)),
        Some(Edit::DeleteOdi(patient, entry.day)),
    ))
}

fn save_psfs(
    store: &mut Store,
    patient: PatientId,
    activities: &[PsfsActivity],
    (day, today): (NaiveDate, NaiveDate),
    ratings: &[PsfsRating],
) -> Applied {
    let before_activities = store.psfs_activities(patient)?;
    let before_ratings: Vec<PsfsRating> = store
        .psfs_ratings(patient)?
        .into_iter()
        .filter(|r| r.day == day)
        .collect();
    store.save_psfs(patient, activities, (day, today), ratings)?;
    let message = if ratings.is_empty() {
        "✔ Saved: the activities.".to_owned()
    } else {
        let answer = crate::model::psfs::answers(ratings);
        let score = answer
            .first()
            .map_or(0.0, crate::model::psfs::PsfsAnswer::score);
        format!(
            "✔ Saved: PSFS {score:.1} on {} ({}).",
            long_date(day),
            crate::words::plural(ratings.len() as i64, "activity", "activities")
        )
    };
    Ok(Done::new(
        message,
        Some(Edit::SavePsfs {
            patient,
            activities: before_activities,
            day,
            ratings: before_ratings,
        }),
    ))
}

fn delete_odi(store: &mut Store, patient: PatientId, day: NaiveDate) -> Applied {
    Ok(match store.delete_odi_entry(patient, day)? {
        Some(deleted) => Done::new(
            format!("Deleted the ODI total of {}.", long_date(day)),
            Some(Edit::SaveOdi(patient, deleted)),
        ),
        None => Done::quiet(),
    })
}

fn save_milestone(
    store: &mut Store,
    patient: PatientId,
    record: MilestoneRecord,
    label: String,
) -> Applied {
    let previous = store.save_milestone(patient, &record)?;
    let text = match record.achieved_on {
        Some(day) => format!("✔ {label}: reached on {}.", long_date(day)),
        None => format!("{label}: marked as not reached."),
    };
    let undo = previous.unwrap_or(MilestoneRecord {
        achieved_on: None,
        ..record
    });
    Ok(Done::new(
        text,
        Some(Edit::SaveMilestone {
            patient,
            record: undo,
            label,
        }),
    ))
}

fn add_milestone(store: &mut Store, patient: PatientId, custom: CustomMilestone) -> Applied {
    let label = custom.label.trim().to_owned();
    let key = store.add_custom_milestone(patient, custom)?;
    Ok(Done::new(
        format!("Added the milestone \"{label}\"."),
        Some(Edit::DeleteMilestone(patient, key)),
    ))
}

fn delete_milestone(store: &mut Store, patient: PatientId, key: String) -> Applied {
    let Some(removed) = store.delete_milestone(patient, &key)? else {
        return Ok(Done::quiet());
    };
    let label = removed.custom.as_ref().map_or(key, |c| c.label.clone());
    Ok(Done::new(
        format!("Removed the milestone \"{label}\"."),
        Some(Edit::SaveMilestone {
            patient,
            record: removed,
            label,
        }),
    ))
}

fn set_exercise_logs(
    store: &mut Store,
    patient: PatientId,
    day: NaiveDate,
    entries: Vec<ExerciseEntry>,
) -> Applied {
    let logs: Vec<(String, Option<ExerciseLog>)> = entries
        .iter()
        .map(|e| (e.key.clone(), e.log.clone()))
        .collect();
    let previous = store.set_exercise_logs(patient, day, &logs)?;
    let text = match entries.as_slice() {
        [one] => match &one.log {
            Some(l) => format!(
                "✔ {}: {} done today.",
                one.name,
                plural(l.sessions, "session", "sessions")
            ),
            None => format!("{}: no sessions today.", one.name),
        },
        many => {
            let count =
                |log: &Option<ExerciseLog>| log.as_ref().map_or(0, |l| i64::from(l.sessions));
            let sessions: i64 = many
                .iter()
                .zip(&previous)
                .map(|(e, before)| count(&e.log) - count(before))
                .sum();
            format!(
                "✔ Logged {} of {}.",
                plural(sessions, "session", "sessions"),
                plural(many.len() as i64, "exercise", "exercises")
            )
        }
    };
    let undo = entries
        .into_iter()
        .zip(previous)
        .map(|(e, log)| ExerciseEntry { log, ..e })
        .collect();
    Ok(Done::new(
        text,
        Some(Edit::SetExerciseLogs {
            patient,
            day,
            entries: undo,
        }),
    ))
}

fn update_patient(
    store: &mut Store,
    patient: PatientId,
    details: &PatientDetails,
    baseline: Option<&Baseline>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Applied {
    let before = store
        .patient(patient)?
        .ok_or(StoreError::UnknownPatient(patient))?;
    let before_baseline = store.baseline(patient)?;
    store.update_patient(patient, details, baseline, today, now)?;
    Ok(Done::new(
        "✔ Details saved; the expected recovery follows the new values.",
        Some(Edit::UpdatePatient {
            patient,
            details: before.details,
            baseline: before_baseline,
        }),
    ))
}

fn set_use_mode(store: &mut Store, mode: Option<UseMode>) -> Applied {
    let before = store.chosen_use_mode()?;
    store.set_use_mode(mode)?;
    let message = match mode.unwrap_or(store.use_mode()?) {
        UseMode::Own => "The app now shows one person's own recovery.",
        UseMode::Clinic => "The app now shows a clinic's patients.",
    };
    Ok(Done::new(message, Some(Edit::SetUseMode(before))))
}

fn set_archived(store: &mut Store, patient: PatientId, archived: bool) -> Applied {
    store.set_archived(patient, archived)?;
    Ok(if archived {
        Done::new(
            "Archived: the patient is kept, but out of the daily lists.",
            Some(Edit::SetArchived(patient, false)),
        )
    } else {
        Done::new(
            "The patient is back in the lists.",
            Some(Edit::SetArchived(patient, true)),
        )
    })
}
