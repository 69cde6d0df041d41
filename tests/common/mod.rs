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
        clinician_reason: None,
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
        body_map: Default::default(),
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

/// Runs the binary on another day and insists it succeeded.
pub fn run_at_ok(today: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_recovery-tracker"))
        .args(args)
        .args(["--today", today])
        .env_remove("RECOVERY_TRACKER_DB")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{args:?} on {today} failed: {}",
        stderr(&output)
    );
    stdout(&output)
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

/// `clinic.db` in `dir`, made by `recovery-tracker demo` with that many
/// patients, each that many days after surgery.
pub fn demo_clinic(dir: &tempfile::TempDir, patients: &str, days: &str) -> PathBuf {
    let path = file_in(dir, "clinic.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        patients,
        "--days",
        days,
    ]);
    path
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

/// A database as version 9 of the app left it (before the patient table
/// was rebuilt for four approaches): a TLIF, an ALIF recorded as open and
/// an LLIF recorded as minimally invasive, four check-ins, one milestone.
#[allow(dead_code)]
pub fn version_9_database(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("raw");
    for number in 1..=9 {
        let file = std::fs::read_dir("migrations")
            .expect("migrations")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{number:04}_")))
            })
            .expect("migration file");
        conn.execute_batch(&std::fs::read_to_string(file).expect("sql"))
            .expect("old schema");
    }
    conn.pragma_update(None, "user_version", 9)
        .expect("version");
    conn.pragma_update(
        None,
        "application_id",
        recovery_tracker::store::APPLICATION_ID,
    )
    .expect("id");
    conn.execute_batch(
        "INSERT INTO patient (id, name, surgery_date, procedure, approach, levels, created_at) VALUES
           (1, 'Tess', '2026-01-01', 'tlif', 'mis', 'L4–L5', '2026-01-01T00:00:00Z'),
           (2, 'Alma', '2026-01-01', 'alif', 'open', 'L5–S1', '2026-01-01T00:00:00Z'),
           (3, 'Lars', '2026-01-01', 'llif_xlif', 'mis', 'L3–L4', '2026-01-01T00:00:00Z');
         INSERT INTO baseline (patient_id, back_pain, leg_pain, walking_minutes, sitting_minutes)
           VALUES (1, 7, 6, 10, 20), (2, 8, 5, 5, 15), (3, 6, 7, 15, 30);
         INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes,
                               sitting_minutes, sleep_quality, opioid_doses)
           VALUES (1, '2026-01-05', 5, 4, 10, 20, 6, 1), (2, '2026-01-05', 6, 4, 5, 10, 5, 2),
                  (2, '2026-01-06', 5, 3, 8, 15, 6, 1), (3, '2026-01-05', 4, 5, 12, 20, 7, 0);
         INSERT INTO milestone (patient_id, key, achieved_on) VALUES (2, 'home', '2026-01-04');",
    )
    .expect("old rows");
}

/// A small demo file, and a copy of it with the last page whose damage
/// `SQLite`'s check finds overwritten: rows, far from the schema and the
/// identity row that a copy touches. Returns (pristine, damaged) bytes.
#[allow(dead_code)]
pub fn demo_with_a_damaged_page() -> (Vec<u8>, Vec<u8>) {
    let dir = temp_dir();
    let pristine = file_in(&dir, "pristine.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&pristine),
        "--patients",
        "3",
        "--days",
        "60",
    ]);
    let bytes = std::fs::read(&pristine).expect("read");
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    for page in (3..=bytes.len() / page_size).rev() {
        let work = temp_dir();
        let db = file_in(&work, "d.db");
        let mut damaged = bytes.clone();
        damaged[(page - 1) * page_size..page * page_size].fill(0xA5);
        std::fs::write(&db, &damaged).expect("write");
        if !run(&["check", "--db", path_str(&db)]).status.success() {
            return (bytes, damaged);
        }
    }
    panic!("no page whose damage the check finds");
}
