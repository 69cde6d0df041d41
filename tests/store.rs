//! The store on real `SQLite` files: round trips, constraints, refusals.

mod common;

use common::*;
use recovery_tracker::model::{PatientId, WarningSymptom};
use recovery_tracker::store::{SaveOutcome, Store, StoreError, latest_schema_version};

#[test]
fn a_check_in_round_trips_and_survives_reopening() {
    let dir = temp_dir();
    let path = file_in(&dir, "rt.db");
    let (mut store, id) = store_with_patient(&path);
    let mut c = check_in("2026-11-20", 4);
    c.warning_symptoms.set(WarningSymptom::Fever, true);
    c.note = "Walked to the café ☕ — twice".to_owned();
    assert_eq!(
        store.save_check_in(id, &c).expect("save"),
        SaveOutcome::Created
    );
    drop(store);

    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.check_ins(id).expect("read"), vec![c.clone()]);
    let record = store.patient_record(id).expect("record");
    assert_eq!(record.patient.details, details("Ada Lovelace"));
    assert_eq!(record.baseline, Some(baseline()));
    assert_eq!(store.counts().expect("counts").check_ins, 1);
    assert!(store.integrity_problems().expect("check").is_empty());
}

#[test]
fn saving_a_day_again_updates_it_and_bumps_the_data_version() {
    let dir = temp_dir();
    let (mut store, id) = store_with_patient(&file_in(&dir, "u.db"));
    let first = check_in("2026-11-20", 4);
    let version = store.data_version();
    store.save_check_in(id, &first).expect("save");
    assert!(store.data_version() > version);
    let second = check_in("2026-11-20", 2);
    assert_eq!(
        store.save_check_in(id, &second).expect("update"),
        SaveOutcome::Updated { previous: first }
    );
    assert_eq!(store.check_ins(id).expect("read"), vec![second]);
}

#[test]
fn delete_returns_what_it_removed() {
    let dir = temp_dir();
    let (mut store, id) = store_with_patient(&file_in(&dir, "d.db"));
    let c = check_in("2026-11-21", 5);
    store.save_check_in(id, &c).expect("save");
    assert_eq!(
        store.delete_check_in(id, c.day).expect("delete"),
        Some(c.clone())
    );
    assert_eq!(store.delete_check_in(id, c.day).expect("again"), None);
    assert!(store.check_ins(id).expect("read").is_empty());
}

#[test]
fn the_model_refuses_out_of_range_values_before_sql() {
    let dir = temp_dir();
    let (mut store, id) = store_with_patient(&file_in(&dir, "v.db"));
    let err = store
        .save_check_in(id, &check_in("2026-11-20", 11))
        .expect_err("11 is out of range");
    assert!(
        matches!(&err, StoreError::Invalid(e) if e.field == "back_pain"),
        "{err}"
    );
}

#[test]
fn check_constraints_refuse_a_raw_insert_of_back_pain_11() {
    let dir = temp_dir();
    let path = file_in(&dir, "c.db");
    let (store, id) = store_with_patient(&path);
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("raw connection");
    let insert = |back_pain: &dyn rusqlite::ToSql| {
        conn.execute(
            "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, \
             sitting_minutes, sleep_quality, opioid_doses) VALUES (?1, '2026-11-20', ?2, 1, 10, 10, 5, 0)",
            rusqlite::params![id.0, back_pain],
        )
    };
    let err = insert(&11).expect_err("CHECK refuses 11");
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ConstraintViolation)
    );
    // STRICT refuses a fraction and a text, which a CHECK alone would not.
    assert!(insert(&3.5).is_err());
    assert!(insert(&"seven").is_err());
    let bad_day = conn.execute(
        "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, \
         sitting_minutes, sleep_quality, opioid_doses) VALUES (?1, '2026-13-40', 1, 1, 10, 10, 5, 0)",
        [id.0],
    );
    assert!(bad_day.is_err(), "an impossible date is refused");
    let count: i64 = conn
        .query_row("SELECT count(*) FROM check_in", [], |r| r.get(0))
        .expect("count");
    assert_eq!(count, 0);
    assert!(insert(&3).is_ok(), "a valid row is accepted");
}

#[test]
fn a_check_in_for_an_unknown_patient_is_refused() {
    let dir = temp_dir();
    let (mut store, _) = store_with_patient(&file_in(&dir, "n.db"));
    let err = store
        .save_check_in(PatientId(99), &check_in("2026-11-20", 3))
        .expect_err("no patient 99");
    assert!(
        matches!(err, StoreError::UnknownPatient(PatientId(99))),
        "{err}"
    );
}

#[test]
fn a_batch_with_one_duplicate_day_stores_nothing() {
    let dir = temp_dir();
    let (mut store, id) = store_with_patient(&file_in(&dir, "b.db"));
    store
        .save_check_in(id, &check_in("2026-11-02", 3))
        .expect("save");
    let rows = vec![
        (id, check_in("2026-11-01", 3)),
        (id, check_in("2026-11-02", 3)),
        (id, check_in("2026-11-03", 3)),
    ];
    let err = store.insert_check_ins(&rows).expect_err("duplicate day");
    assert_eq!(err.index, 1);
    assert_eq!(store.check_ins(id).expect("read").len(), 1);
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = temp_dir();
    let path = file_in(&dir, "new.db");
    drop(store_with_patient(&path));
    let conn = rusqlite::Connection::open(&path).expect("raw");
    conn.pragma_update(None, "user_version", 99)
        .expect("set version");
    drop(conn);
    let before = std::fs::read(&path).expect("read file");
    let err = Store::open(&path).err().expect("refused");
    let message = err.to_string();
    assert!(message.contains("newer version"), "{message}");
    assert!(message.contains("99") && message.contains(&latest_schema_version().to_string()));
    assert_eq!(std::fs::read(&path).expect("read again"), before);
}

#[test]
fn files_that_are_not_ours_are_refused_untouched() {
    let dir = temp_dir();
    let garbage = file_in(&dir, "notes.db");
    std::fs::write(
        &garbage,
        b"these are my shopping notes, not a database at all",
    )
    .expect("write");
    let err = Store::open(&garbage).err().expect("refused");
    assert!(
        err.to_string().contains("not a recovery-tracker database"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&garbage).expect("read"),
        b"these are my shopping notes, not a database at all"
    );

    let foreign = file_in(&dir, "other-app.db");
    let conn = rusqlite::Connection::open(&foreign).expect("raw");
    conn.execute("CREATE TABLE contacts (name TEXT)", [])
        .expect("create");
    drop(conn);
    let err = Store::open(&foreign).err().expect("refused");
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err}");
}

#[test]
fn opening_creates_a_missing_folder() {
    let dir = temp_dir();
    let nested = dir.path().join("a").join("b").join("r.db");
    let store = Store::open(&nested).expect("folder created");
    assert_eq!(
        store.schema_version().expect("version"),
        latest_schema_version()
    );
    assert!(nested.exists());
}

#[test]
fn the_pragmas_promise_durability() {
    let dir = temp_dir();
    let path = file_in(&dir, "p.db");
    let (store, _) = store_with_patient(&path);
    // The store's own connection: synchronous is a per-connection setting.
    let settings = store.settings().expect("settings");
    assert_eq!(settings.journal_mode, "wal");
    assert_eq!(settings.synchronous, 2, "synchronous = FULL");
    assert!(settings.foreign_keys);
}

/// Version 10 rebuilds the patient table (its CHECK could not be changed in
/// place). Every check-in, baseline and milestone refers to that table with
/// ON DELETE CASCADE: run with foreign keys on, dropping the old table would
/// delete them all.
#[test]
fn the_approach_migration_keeps_every_row_and_corrects_alif_and_llif() {
    let dir = temp_dir();
    let path = file_in(&dir, "v9.db");
    version_9_database(&path);
    let store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("v"), latest_schema_version());
    let counts = store.counts().expect("counts");
    assert_eq!(
        (counts.patients, counts.check_ins),
        (3, 4),
        "nothing deleted"
    );
    let approach = |id| {
        store
            .patient(PatientId(id))
            .expect("read")
            .expect("there")
            .details
            .approach
    };
    use recovery_tracker::model::Approach;
    assert_eq!(
        approach(1),
        Approach::MinimallyInvasive,
        "a TLIF is left alone"
    );
    assert_eq!(approach(2), Approach::Anterior);
    assert_eq!(approach(3), Approach::Lateral);
    for id in 1..=3 {
        let record = store.patient_record(PatientId(id)).expect("record");
        assert!(
            record.baseline.is_some(),
            "patient {id} keeps their baseline"
        );
    }
    assert_eq!(
        store
            .patient_record(PatientId(2))
            .expect("record")
            .milestones
            .len(),
        1
    );
    let changes = store.patient_changes(PatientId(2)).expect("changes");
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (
            changes[0].field.as_str(),
            changes[0].before.as_deref(),
            changes[0].after.as_deref()
        ),
        ("approach", Some("open"), Some("anterior"))
    );
    assert!(store.patient_changes(PatientId(1)).expect("c").is_empty());
    assert!(store.settings().expect("settings").foreign_keys);
    assert!(store.integrity_problems().expect("check").is_empty());
}

/// A backup made by an older version is migrated as it is restored: with
/// foreign keys on, the patient table's rebuild would empty it.
#[test]
fn restoring_an_older_backup_migrates_it_without_losing_a_row() {
    let dir = temp_dir();
    let old = file_in(&dir, "old-backup.db");
    version_9_database(&old);
    let (mut store, _) = store_with_patient(&file_in(&dir, "live.db"));
    store
        .restore_from(&old, chrono::Utc::now())
        .expect("restores");
    let counts = store.counts().expect("counts");
    assert_eq!(
        (counts.patients, counts.check_ins, counts.milestones),
        (3, 4, 1)
    );
    assert!(store.integrity_problems().expect("check").is_empty());
}

#[test]
fn a_store_that_refuses_writes_writes_nothing() {
    let dir = temp_dir();
    let path = file_in(&dir, "r.db");
    let (mut store, id) = store_with_patient(&path);
    store.refuse_writes("damage was found".to_owned());
    assert!(matches!(
        store.save_check_in(id, &check_in("2026-11-20", 4)),
        Err(StoreError::ReadOnly)
    ));
    assert!(
        store
            .insert_check_ins(&[(id, check_in("2026-11-21", 4))])
            .is_err()
    );
    assert_eq!(store.read_only_reason(), Some("damage was found"));
    assert_eq!(store.counts().expect("counts").check_ins, 0);
}

/// A clinic's list reads its patients in two halves on two connections:
/// every patient once, in order, each with the same days as a read of that
/// patient alone (less the notes no rule reads).
#[test]
fn the_patient_list_of_a_large_clinic_reads_every_patient_once_in_order() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "240", "40");
    let store = Store::open_read_only(&path).expect("read");
    let since = today() - chrono::Days::new(35);
    let records = store.recent_records(since, since).expect("records");
    let ids: Vec<i64> = records.iter().map(|(r, _)| r.patient.id.0).collect();
    assert_eq!(ids, (1..=240).collect::<Vec<i64>>(), "each once, in order");
    for (record, last) in &records {
        let all = store.check_ins(record.patient.id).expect("check-ins");
        let recent: Vec<_> = all
            .iter()
            .filter(|c| c.day >= since)
            .map(|c| recovery_tracker::model::CheckIn {
                note: String::new(),
                ..c.clone()
            })
            .collect();
        assert!(
            record.check_ins.iter().all(|c| c.note.is_empty()),
            "no notes"
        );
        let first_recent = record
            .check_ins
            .iter()
            .position(|c| c.day >= since)
            .unwrap_or(0);
        assert_eq!(
            record.check_ins[first_recent..],
            recent[..],
            "{}",
            record.patient.id
        );
        assert_eq!(*last, all.last().map(|c| c.day));
    }
}

/// The list reads only each patient's recent rows (and computes in two
/// halves from 200 patients): every row, flag and verdict it shows is the
/// same as the one computed from the patient's whole record.
#[test]
fn the_patient_list_from_recent_rows_equals_the_list_from_whole_records() {
    use recovery_tracker::analysis::review::{FlagKind, overview_reads, overview_rows};
    let dir = temp_dir();
    let path = demo_clinic(&dir, "240", "400");
    // Saddle numbness marked on the body map with its box unticked (as a
    // file from elsewhere may have it): an emergency all the same.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let marked = conn
        .execute(
            "UPDATE check_in SET body_map = 'middle.saddle.numbness', warning_symptoms = 0 \
             WHERE patient_id = 5 AND day = ?1",
            [today().to_string()],
        )
        .expect("marked");
    assert_eq!(marked, 1);
    drop(conn);
    let store = Store::open_read_only(&path).expect("read");
    let protocol = recovery_tracker::protocol::Protocol::embedded().expect("protocol");
    let reads = overview_reads(today());
    let recent = store
        .recent_records(reads.check_ins_from, reads.exercise_logs_from)
        .expect("recent records");
    let whole: Vec<_> = store
        .patients()
        .expect("patients")
        .iter()
        .map(|p| {
            let record = store.patient_record(p.id).expect("record");
            let last = record.check_ins.last().map(|c| c.day);
            (record, last)
        })
        .collect();
    let from_recent = overview_rows(&protocol, &recent, today());
    let from_whole = overview_rows(&protocol, &whole, today());
    // The comparison means something only if the rules found things.
    let kinds: std::collections::BTreeSet<String> = from_whole
        .iter()
        .flat_map(|r| &r.open_flags)
        .map(|f| format!("{:?}", f.kind))
        .collect();
    for kind in [
        FlagKind::LowAdherence,
        FlagKind::MissedDays,
        FlagKind::WarningSymptom,
    ] {
        assert!(kinds.contains(&format!("{kind:?}")), "{kinds:?}");
    }
    assert_eq!(from_recent.len(), 240);
    for (a, b) in from_recent.iter().zip(&from_whole) {
        assert_eq!(a, b);
    }
}

/// A patient set up after the first day they filled in (older days added
/// later): the list, reading only recent days, still knows when the app
/// began for them, so a recent gap is a missed-days flag in the list as in
/// the whole record.
#[test]
fn the_patient_list_knows_a_first_check_in_before_the_set_up_day() {
    use recovery_tracker::analysis::review::{FlagKind, overview_reads, overview_rows};
    let dir = temp_dir();
    let path = file_in(&dir, "set-up-late.db");
    // Set up today; surgery on 1 Oct.
    let (mut store, id) = store_with_patient(&path);
    let days = |from: &str, to: &str| {
        let (from, to) = (day(from), day(to));
        from.iter_days()
            .take_while(move |d| *d <= to)
            .map(|d| (id, check_in(&d.to_string(), 4)))
            .collect::<Vec<_>>()
    };
    let mut filled = days("2026-10-02", "2026-10-26");
    filled.extend(days("2026-11-20", "2026-11-25"));
    store.insert_check_ins(&filled).expect("stored");
    let protocol = recovery_tracker::protocol::Protocol::embedded().expect("protocol");
    let reads = overview_reads(today());
    let recent = store
        .recent_records(reads.check_ins_from, reads.exercise_logs_from)
        .expect("recent records");
    let record = store.patient_record(id).expect("record");
    let last = record.check_ins.last().map(|c| c.day);
    let whole = overview_rows(&protocol, &[(record, last)], today());
    assert!(
        whole[0]
            .open_flags
            .iter()
            .any(|f| f.kind == FlagKind::MissedDays),
        "12 to 19 Nov are missed: {:?}",
        whole[0].open_flags
    );
    assert_eq!(overview_rows(&protocol, &recent, today()), whole);
}

/// A second connection (the list's other half, the import's backup) is
/// refused when another database has been moved into the file's place
/// since it was opened: the two are never mixed.
#[test]
fn a_second_reader_refuses_another_database_moved_into_place() {
    let dir = temp_dir();
    let path = file_in(&dir, "mine.db");
    let (store, _) = store_with_patient(&path);
    assert!(store.second_reader().is_ok(), "the same file");
    let other = file_in(&dir, "other.db");
    drop(store_with_patient(&other));
    std::fs::rename(&other, &path).expect("moved into place");
    let refused = store.second_reader().err().expect("refused");
    assert!(
        refused.to_string().contains("no longer the database open"),
        "{refused}"
    );
}
