//! Helpers shared by the integration tests: temporary databases and runs
//! of the real binary.
#![allow(dead_code)]

use chrono::NaiveDate;
use recovery_tracker::model::{
    Approach, Baseline, CheckIn, PatientDetails, PatientId, Procedure, WarningSymptoms,
};
use recovery_tracker::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixed "today" of every test, so results never depend on the date.
pub const TODAY: &str = "2026-11-25";

pub fn today() -> NaiveDate {
    day(TODAY)
}

pub fn day(text: &str) -> NaiveDate {
    recovery_tracker::model::parse_day(text).expect("test dates are valid")
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

pub fn details(name: &str) -> PatientDetails {
    PatientDetails {
        name: name.to_owned(),
        date_of_birth: Some(day("1958-04-02")),
        surgery_date: day("2026-10-01"),
        procedure: Procedure::Tlif,
        approach: Approach::MinimallyInvasive,
        levels: "L4–L5".to_owned(),
        surgeon: None,
        clinic: Some("Riverside".to_owned()),
        team_phone: None,
        discharged_on: None,
    }
}

pub fn baseline() -> Baseline {
    Baseline {
        back_pain: 7,
        leg_pain: 6,
        walking_minutes: 10,
        sitting_minutes: 20,
        odi: Some(44),
        numbness: None,
        tingling: None,
    }
}

pub fn check_in(on: &str, back_pain: u8) -> CheckIn {
    CheckIn {
        day: day(on),
        back_pain,
        leg_pain: 2,
        walking_minutes: 30,
        sitting_minutes: 40,
        sleep_quality: 6,
        opioid_doses: 0,
        warning_symptoms: WarningSymptoms::default(),
        note: String::new(),
        nerves: None,
    }
}

/// A store with one patient (surgery 2026-10-01), returned with its id.
pub fn store_with_patient(path: &Path) -> (Store, PatientId) {
    let mut store = Store::open(path).expect("open a new database");
    let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
    let id = store
        .create_patient(&details("Ada Lovelace"), Some(&baseline()), now)
        .expect("create a patient");
    (store, id)
}

/// Runs the built binary with a fixed today.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_recovery-tracker"))
        .args(args)
        .args(["--today", TODAY])
        .env_remove("RECOVERY_TRACKER_DB")
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the binary and insists it succeeded.
pub fn run_ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        stderr(&output)
    );
    stdout(&output)
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

pub fn file_in(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// The store as the window finds it on a later start of the day: today's
/// backups made, so the window starts no background backup and its frames
/// do not depend on when a copy finishes.
#[allow(dead_code)]
pub fn store_for_window(path: &Path) -> Store {
    let store = Store::open(path).expect("open");
    store.daily_backup(today()).expect("today's backups");
    store
}
