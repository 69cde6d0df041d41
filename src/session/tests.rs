//! The edit layer on a real `SQLite` file, without a window.

use super::*;
use crate::model::{Approach, Procedure, WarningSymptoms, parse_day};

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    patient: PatientId,
}

fn day(s: &str) -> NaiveDate {
    parse_day(s).unwrap_or_default()
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

fn today() -> NaiveDate {
    day("2026-11-20")
}

fn details() -> PatientDetails {
    PatientDetails {
        name: "Margaret Ellis".to_owned(),
        date_of_birth: None,
        surgery_date: day("2026-11-01"),
        procedure: Procedure::Tlif,
        approach: Approach::MinimallyInvasive,
        levels: "L4–L5".to_owned(),
        surgeon: None,
        clinic: None,
        team_phone: None,
        discharged_on: None,
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("d.db")).expect("open");
    let outcome = apply(
        &mut store,
        Edit::CreatePatient(details(), None),
        today(),
        now(),
    );
    let patient = outcome.created.expect("patient created");
    Fixture {
        _dir: dir,
        store,
        patient,
    }
}

fn check_in(on: &str, back_pain: u8) -> CheckIn {
    CheckIn {
        day: day(on),
        back_pain,
        leg_pain: 2,
        walking_minutes: 20,
        sitting_minutes: 30,
        sleep_quality: 6,
        opioid_doses: 0,
        warning_symptoms: WarningSymptoms::default(),
        note: String::new(),
        nerves: None,
        body_map: Default::default(),
    }
}

#[test]
fn a_save_says_so_and_its_undo_removes_it() {
    let Fixture {
        _dir,
        mut store,
        patient,
    } = fixture();
    let saved = apply(
        &mut store,
        Edit::SaveCheckIn(patient, check_in("2026-11-20", 4)),
        today(),
        now(),
    );
    assert!(saved.succeeded());
    assert_eq!(saved.form, Form::CheckIn);
    assert_eq!(saved.message.as_deref(), Some("✔ Saved: today's check-in."));
    assert_eq!(store.check_ins(patient).expect("read").len(), 1);
    let undo = saved.undo.expect("undo");
    assert_eq!(undo, Edit::DeleteCheckIn(patient, day("2026-11-20")));
    assert!(apply(&mut store, undo, today(), now()).succeeded());
    assert!(store.check_ins(patient).expect("read").is_empty());
}

#[test]
fn changing_a_day_then_undoing_puts_the_old_values_back() {
    let Fixture {
        _dir,
        mut store,
        patient,
    } = fixture();
    apply(
        &mut store,
        Edit::SaveCheckIn(patient, check_in("2026-11-19", 4)),
        today(),
        now(),
    );
    let changed = apply(
        &mut store,
        Edit::SaveCheckIn(patient, check_in("2026-11-19", 8)),
        today(),
        now(),
    );
    assert_eq!(
        changed.message.as_deref(),
        Some("✔ Changes saved: the check-in of Thursday 19 November 2026.")
    );
    apply(&mut store, changed.undo.expect("undo"), today(), now());
    let stored = store.check_ins(patient).expect("read");
    assert_eq!(stored, vec![check_in("2026-11-19", 4)]);
}

#[test]
fn a_delete_is_undone_by_its_inverse_edit() {
    let Fixture {
        _dir,
        mut store,
        patient,
    } = fixture();
    let original = check_in("2026-11-18", 5);
    apply(
        &mut store,
        Edit::SaveCheckIn(patient, original.clone()),
        today(),
        now(),
    );
    let deleted = apply(
        &mut store,
        Edit::DeleteCheckIn(patient, original.day),
        today(),
        now(),
    );
    assert_eq!(
        deleted.undo,
        Some(Edit::RestoreCheckIn(patient, original.clone()))
    );
    assert!(store.check_ins(patient).expect("read").is_empty());
    let restored = apply(&mut store, deleted.undo.expect("undo"), today(), now());
    assert!(restored.succeeded());
    assert_eq!(store.check_ins(patient).expect("read"), vec![original]);
    // Deleting what is not there is quietly nothing.
    let nothing = apply(
        &mut store,
        Edit::DeleteCheckIn(patient, day("2026-11-02")),
        today(),
        now(),
    );
    assert!(nothing.succeeded() && nothing.message.is_none() && nothing.undo.is_none());
}

#[test]
fn an_invalid_value_is_an_error_on_its_form_and_field_and_stores_nothing() {
    let Fixture {
        _dir,
        mut store,
        patient,
    } = fixture();
    let outcome = apply(
        &mut store,
        Edit::SaveCheckIn(patient, check_in("2026-11-20", 11)),
        today(),
        now(),
    );
    let error = outcome.error.expect("refused");
    assert_eq!(error.form, Form::CheckIn);
    assert_eq!(error.field, Some("back_pain"));
    assert!(
        error.message.starts_with("Not saved: ") && error.message.ends_with("still here."),
        "{}",
        error.message
    );
    assert!(outcome.undo.is_none() && outcome.message.is_none());
    assert!(store.check_ins(patient).expect("read").is_empty());

    let setup = apply(
        &mut store,
        Edit::CreatePatient(
            PatientDetails {
                name: "  ".to_owned(),
                ..details()
            },
            None,
        ),
        today(),
        now(),
    );
    let error = setup.error.expect("refused");
    assert_eq!((error.form, error.field), (Form::Patient, Some("name")));
    assert!(setup.created.is_none());
}

#[test]
fn an_unknown_patient_is_an_error_not_a_silent_success() {
    let Fixture {
        _dir, mut store, ..
    } = fixture();
    let outcome = apply(
        &mut store,
        Edit::SaveOdi(
            PatientId(999),
            OdiEntry {
                day: today(),
                total: 30,
            },
        ),
        today(),
        now(),
    );
    assert_eq!(outcome.error.map(|e| e.form), Some(Form::Odi));
}

#[test]
fn all_of_todays_exercises_are_one_edit_and_one_undo() {
    let Fixture {
        _dir,
        mut store,
        patient,
    } = fixture();
    let entry = |key: &str, sessions: u8| ExerciseEntry {
        key: key.to_owned(),
        name: key.to_owned(),
        log: Some(ExerciseLog {
            day: today(),
            exercise_key: key.to_owned(),
            sessions,
            pain: None,
        }),
    };
    // One exercise already had a session before "I did all".
    apply(
        &mut store,
        Edit::SetExerciseLogs {
            patient,
            day: today(),
            entries: vec![entry("walking", 1)],
        },
        today(),
        now(),
    );
    let before = store.exercise_logs(patient).expect("read");
    let all = apply(
        &mut store,
        Edit::SetExerciseLogs {
            patient,
            day: today(),
            entries: vec![entry("walking", 3), entry("ankle_pumps", 3)],
        },
        today(),
        now(),
    );
    assert_eq!(
        all.message.as_deref(),
        Some("✔ Logged 5 sessions of 2 exercises.")
    );
    assert_eq!(store.exercise_logs(patient).expect("read").len(), 2);
    apply(&mut store, all.undo.expect("undo"), today(), now());
    assert_eq!(store.exercise_logs(patient).expect("read"), before);
}

#[test]
fn correcting_the_surgery_date_is_undone_by_its_inverse() {
    let Fixture {
        _dir,
        mut store,
        patient,
    } = fixture();
    let corrected = PatientDetails {
        surgery_date: day("2026-10-28"),
        ..details()
    };
    let outcome = apply(
        &mut store,
        Edit::UpdatePatient {
            patient,
            details: corrected.clone(),
            baseline: None,
        },
        today(),
        now(),
    );
    assert!(outcome.succeeded());
    let stored = store.patient(patient).expect("read").expect("patient");
    assert_eq!(stored.details, corrected);
    apply(&mut store, outcome.undo.expect("undo"), today(), now());
    let stored = store.patient(patient).expect("read").expect("patient");
    assert_eq!(stored.details, details());
}
