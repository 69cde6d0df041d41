//! Damaged import files: each is refused with a message naming where, and
//! nothing changes. Property tests feed the parsers arbitrary bytes and
//! mutated valid files: they never panic.

mod common;

use common::*;
use proptest::prelude::*;
use recovery_tracker::exchange::{csv as csv_file, json as json_file};
use recovery_tracker::model::{NerveSymptoms, PatientId, Side, Weakness};
use recovery_tracker::protocol::Protocol;
use recovery_tracker::store::Store;

const HEADER: &str = "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note";

/// A database with one patient (surgery 2026-10-01) and one check-in.
fn target(dir: &tempfile::TempDir) -> (Store, std::path::PathBuf) {
    let path = file_in(dir, "target.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-10-05", 5))
        .expect("seed");
    (store, path)
}

fn refused(bytes: &[u8], must_mention: &[&str]) {
    let dir = temp_dir();
    let (mut store, _) = target(&dir);
    let before = json_file::Document::from_store(&store, None).expect("export");
    let err = csv_file::import_check_ins(&mut store, bytes, today()).expect_err("refused");
    let message = err.to_string();
    for needle in must_mention {
        assert!(message.contains(needle), "{needle:?} not in {message:?}");
    }
    assert!(!message.contains('\n'), "one line: {message}");
    assert_eq!(
        json_file::Document::from_store(&store, None).expect("export"),
        before
    );
}

#[test]
fn a_truncated_row_is_named() {
    refused(
        format!("{HEADER}\n1,2026-10-06,3,2,10,10,5,0,,\n1,2026-10-07,3,2").as_bytes(),
        &["line 3", "columns"],
    );
}

#[test]
fn wrong_types_are_named_by_field() {
    refused(
        format!("{HEADER}\n1,2026-10-06,three,2,10,10,5,0,,\n").as_bytes(),
        &["line 2", "back_pain", "three"],
    );
    refused(
        format!("{HEADER}\n1,2026-10-06,3,2,10.5,10,5,0,,\n").as_bytes(),
        &["line 2", "walking_minutes"],
    );
    refused(
        format!("{HEADER}\nx,2026-10-06,3,2,10,10,5,0,,\n").as_bytes(),
        &["line 2", "patient_id"],
    );
    refused(
        format!("{HEADER}\n1,06/10/2026,3,2,10,10,5,0,,\n").as_bytes(),
        &["line 2", "day", "YYYY-MM-DD"],
    );
}

#[test]
fn invalid_utf8_is_named() {
    let mut bytes = format!("{HEADER}\n1,2026-10-06,3,2,10,10,5,0,,caf").into_bytes();
    bytes.extend_from_slice(&[0xE9, 0xFF, b'\n']);
    refused(&bytes, &["line 2", "UTF-8"]);
}

#[test]
fn a_wrong_column_order_is_refused() {
    let swapped = HEADER.replacen("back_pain,leg_pain", "leg_pain,back_pain", 1);
    refused(
        format!("{swapped}\n1,2026-10-06,3,2,10,10,5,0,,\n").as_bytes(),
        &["line 1", "columns must be exactly"],
    );
}

#[test]
fn an_empty_file_and_a_header_only_file() {
    refused(b"", &["empty"]);
    let dir = temp_dir();
    let (mut store, _) = target(&dir);
    let summary = csv_file::import_check_ins(&mut store, format!("{HEADER}\n").as_bytes(), today())
        .expect("nothing to add");
    assert_eq!(summary.check_ins, 0);
}

#[test]
fn a_hundred_megabyte_field_is_refused_by_name() {
    let mut text = format!("{HEADER}\n1,2026-10-06,3,2,10,10,5,0,,\"");
    text.push_str(&"a".repeat(100 * 1024 * 1024));
    text.push_str("\"\n");
    refused(text.as_bytes(), &["line 2", "note", "too long"]);
}

#[test]
fn a_json_document_with_invalid_utf8_or_a_huge_note_is_refused() {
    let protocol = Protocol::embedded().expect("protocol");
    let err = json_file::Document::parse(
        b"{\"format\": \"recovery-tracker\xFF\"}",
        today(),
        &protocol,
    )
    .expect_err("bad UTF-8");
    assert!(err.to_string().contains("UTF-8"), "{err}");
    let dir = temp_dir();
    let (store, _) = target(&dir);
    let mut doc =
        serde_json::to_value(json_file::Document::from_store(&store, None).expect("export"))
            .expect("value");
    doc["patients"][0]["check_ins"][0]["note"] = "n".repeat(6000).into();
    let err = json_file::Document::parse(doc.to_string().as_bytes(), today(), &protocol)
        .expect_err("too long");
    assert!(err.to_string().contains("note"), "{err}");
}

fn valid_csv() -> String {
    format!(
        "{HEADER}\n1,2026-10-06,3,2,10,10,5,0,,\n1,2026-10-07,4,2,15,10,6,1,fever;fall,\"a note, with comma\"\n1,2026-10-08,2,1,20,25,7,0,,\n"
    )
}

fn mutate(base: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for &(position, kind, value) in edits {
        if bytes.is_empty() {
            bytes.push(value);
            continue;
        }
        let at = position % bytes.len();
        match kind % 3 {
            0 => bytes[at] = value,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, value),
        }
    }
    bytes
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn the_csv_importer_never_panics(
        arbitrary in proptest::collection::vec(any::<u8>(), 0..400),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8),
        pick_arbitrary in any::<bool>(),
    ) {
        thread_local! {
            static STORE: std::cell::RefCell<Option<(tempfile::TempDir, Store)>> = const { std::cell::RefCell::new(None) };
        }
        let bytes = if pick_arbitrary { arbitrary } else { mutate(valid_csv().as_bytes(), &edits) };
        STORE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (_, store) = cell.get_or_insert_with(|| {
                let dir = temp_dir();
                let (store, _) = target(&dir);
                (dir, store)
            });
            let before = store.counts().expect("counts");
            match csv_file::import_check_ins(store, bytes.as_slice(), today()) {
                Ok(summary) => {
                    let after = store.counts().expect("counts");
                    prop_assert_eq!(after.check_ins, before.check_ins + summary.check_ins as u64);
                }
                Err(_) => prop_assert_eq!(store.counts().expect("counts"), before),
            }
            Ok(())
        })?;
    }

    #[test]
    fn the_json_parser_never_panics(
        arbitrary in proptest::collection::vec(any::<u8>(), 0..400),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..8),
        pick_arbitrary in any::<bool>(),
    ) {
        thread_local! {
            static VALID: (Vec<u8>, Protocol) = {
                let dir = temp_dir();
                let path = file_in(&dir, "demo.db");
                let mut store = Store::open(&path).expect("open");
                let protocol = Protocol::embedded().expect("protocol");
                let records = recovery_tracker::demo::generate(
                    &protocol,
                    recovery_tracker::demo::DemoOptions { patients: 1, days: 40, seed: 3 },
                    today(),
                    chrono::Utc::now(),
                );
                store.insert_patient_records(&records, today()).expect("demo");
                let mut bytes = Vec::new();
                json_file::export(&store, None, &mut bytes).expect("export");
                (bytes, protocol)
            };
        }
        VALID.with(|(valid, protocol)| {
            let bytes = if pick_arbitrary { arbitrary.clone() } else { mutate(valid, &edits) };
            // Any answer will do, as long as it is not a panic.
            json_file::Document::parse(&bytes, today(), protocol).ok();
        });
    }
}

/// A live store, the folder it is in, a good backup's bytes, the protocol.
type RestoreWorld = (tempfile::TempDir, Store, Vec<u8>, Protocol);

/// A valid FHIR bundle of a demo patient, as a JSON value.
fn valid_bundle() -> serde_json::Value {
    let protocol = Protocol::embedded().expect("protocol");
    let records = recovery_tracker::demo::generate(
        &protocol,
        recovery_tracker::demo::DemoOptions {
            patients: 1,
            days: 8,
            seed: 5,
        },
        today(),
        chrono::Utc::now(),
    );
    recovery_tracker::exchange::fhir::export(
        &records[0],
        recovery_tracker::exchange::fhir::BundleKind::Collection,
        chrono::Utc::now(),
    )
}

/// Every leaf of a JSON value, by its path of keys and indexes.
fn leaves(value: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at_path<'a>(
    value: &'a mut serde_json::Value,
    path: &[String],
) -> Option<&'a mut serde_json::Value> {
    path.iter().try_fold(value, |v, key| match v {
        serde_json::Value::Object(map) => map.get_mut(key),
        serde_json::Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// Values that break assumptions: multi-byte text where dates are
/// expected, numbers out of range, wrong types.
fn nasty(choice: u8, text: &str) -> serde_json::Value {
    match choice % 9 {
        0 => serde_json::json!(text),
        1 => serde_json::json!(format!("2026-1{text}-03T")),
        2 => serde_json::json!(1000),
        3 => serde_json::json!(-1),
        4 => serde_json::Value::Null,
        5 => serde_json::json!(true),
        6 => serde_json::json!(["x"]),
        7 => serde_json::json!({ "k": text }),
        _ => serde_json::json!(1.5),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn the_fhir_importer_never_panics(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), "\\PC{0,6}"), 1..5),
        duplicate in proptest::option::of(any::<usize>()),
        bytes_edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..4),
    ) {
        thread_local! {
            static VALID: (serde_json::Value, Vec<Vec<String>>, Protocol) = {
                let bundle = valid_bundle();
                let mut paths = Vec::new();
                leaves(&bundle, &mut Vec::new(), &mut paths);
                (bundle, paths, Protocol::embedded().expect("protocol"))
            };
        }
        VALID.with(|(valid, paths, protocol)| {
            let mut bundle = valid.clone();
            for (at, choice, text) in &edits {
                if let Some(path) = paths.get(at % paths.len().max(1))
                    && let Some(slot) = at_path(&mut bundle, path)
                {
                    *slot = nasty(*choice, text);
                }
            }
            if let Some(i) = duplicate
                && let Some(entries) = bundle.get_mut("entry").and_then(|e| e.as_array_mut())
                && !entries.is_empty()
            {
                let copy = entries[i % entries.len()].clone();
                entries.push(copy);
            }
            let text = serde_json::to_vec(&bundle).unwrap_or_default();
            let bytes = mutate(&text, &bytes_edits);
            // Any answer will do, as long as it is not a panic.
            recovery_tracker::exchange::read_document(&bytes, today(), protocol).ok();
        });
    }

    #[test]
    fn a_restore_of_any_file_never_panics_and_keeps_the_store_whole(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6),
        arbitrary in proptest::collection::vec(any::<u8>(), 0..600),
        pick_arbitrary in any::<bool>(),
    ) {
        thread_local! {
            static WORLD: std::cell::RefCell<Option<RestoreWorld>> =
                const { std::cell::RefCell::new(None) };
        }
        WORLD.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (dir, store, backup, protocol) = cell.get_or_insert_with(|| {
                let dir = temp_dir();
                let (store, _) = target(&dir);
                let source = file_in(&dir, "source.db");
                store.backup_to(&source).expect("backup");
                let backup = std::fs::read(&source).expect("read");
                (dir, store, backup, Protocol::embedded().expect("protocol"))
            });
            let bytes = if pick_arbitrary {
                arbitrary
            } else {
                // Changes inside the first pages, where the header, the
                // schema and the rows are.
                let edits: Vec<_> = edits.iter().map(|&(at, k, v)| (at % 8192, k, v)).collect();
                mutate(backup, &edits)
            };
            let candidate = dir.path().join("candidate.db");
            std::fs::write(&candidate, &bytes).expect("write");
            let result = recovery_tracker::exchange::restore(
                store,
                &candidate,
                protocol,
                today(),
                chrono::Utc::now(),
            );
            for suffix in ["", "-wal", "-shm", "-journal"] {
                std::fs::remove_file(format!("{}{suffix}", candidate.display())).ok();
            }
            // Whatever happened, the live store is whole.
            prop_assert!(store.integrity_problems().expect("check").is_empty());
            if result.is_ok() {
                // Only a valid backup can have been restored: put the
                // original back for the next case.
                std::fs::write(&candidate, &backup[..]).expect("write");
                recovery_tracker::exchange::restore(store, &candidate, protocol, today(), chrono::Utc::now())
                    .expect("the original restores");
            }
            Ok(())
        })?;
    }
}

/// The check-in columns since nerve symptoms were added.
const HEADER_WITH_NERVES: &str = "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note,numbness,tingling,weakness,weakness_side";

fn exported_check_ins(store: &Store) -> String {
    let records = vec![store.patient_record(PatientId(1)).expect("record")];
    let mut out = Vec::new();
    csv_file::write_table(csv_file::Table::CheckIns, &records, &mut out).expect("export");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn a_csv_with_nerve_columns_round_trips_byte_identically() {
    let dir = temp_dir();
    let path = file_in(&dir, "nerves.db");
    let (mut store, _) = store_with_patient(&path);
    let csv = format!(
        "{HEADER_WITH_NERVES}\n\
         1,2026-10-06,3,2,10,10,5,0,,,,,,\n\
         1,2026-10-07,4,2,15,10,6,1,fever;leg_weakness,\"a note, with comma\",6,3,moderate,left\n\
         1,2026-10-08,2,1,20,25,7,0,,,0,0,none,\n\
         1,2026-10-09,2,1,20,25,7,0,,,4,0,severe,both\n"
    );
    let summary = csv_file::import_check_ins(&mut store, csv.as_bytes(), today()).expect("import");
    assert_eq!(summary.check_ins, 4);
    let stored = store
        .check_in(PatientId(1), day("2026-10-07"))
        .expect("read");
    assert_eq!(
        stored.and_then(|c| c.nerves),
        Some(NerveSymptoms {
            numbness: 6,
            tingling: 3,
            weakness: Weakness::Moderate,
            weakness_side: Some(Side::Left),
        })
    );
    assert_eq!(exported_check_ins(&store), csv, "byte-identical");
}

#[test]
fn a_csv_with_the_old_ten_columns_imports_as_before() {
    let dir = temp_dir();
    let path = file_in(&dir, "old.db");
    let (mut store, _) = store_with_patient(&path);
    csv_file::import_check_ins(&mut store, valid_csv().as_bytes(), today()).expect("import");
    let days = store.check_ins(PatientId(1)).expect("read");
    assert_eq!(days.len(), 3);
    assert!(days.iter().all(|c| c.nerves.is_none()), "nothing invented");
    // Exported again, each row gains four empty nerve cells, nothing else.
    let expected: String = valid_csv()
        .lines()
        .skip(1)
        .map(|line| format!("{line},,,,\n"))
        .collect();
    assert_eq!(
        exported_check_ins(&store),
        format!("{HEADER_WITH_NERVES}\n{expected}")
    );
}

#[test]
fn bad_nerve_values_are_refused_naming_line_and_field() {
    refused(
        format!("{HEADER_WITH_NERVES}\n1,2026-10-06,3,2,10,10,5,0,,,0,0,none,\n1,2026-10-07,3,2,10,10,5,0,,,11,0,none,\n").as_bytes(),
        &["line 3", "numbness"],
    );
    refused(
        format!("{HEADER_WITH_NERVES}\n1,2026-10-06,3,2,10,10,5,0,,,2,1,wobbly,\n").as_bytes(),
        &["line 2", "weakness", "wobbly"],
    );
    refused(
        format!("{HEADER_WITH_NERVES}\n1,2026-10-06,3,2,10,10,5,0,,,2,1,mild,\n").as_bytes(),
        &["line 2", "weakness_side"],
    );
    refused(
        format!("{HEADER_WITH_NERVES}\n1,2026-10-06,3,2,10,10,5,0,,,2,,none,\n").as_bytes(),
        &["line 2", "tingling"],
    );
    refused(
        format!("{HEADER_WITH_NERVES}\n1,2026-10-06,3,2,10,10,5,0,,\n").as_bytes(),
        &["line 2", "columns"],
    );
}

/// A CSV's checked rows go into the transaction while the rest of the file
/// is still being read: a bad row far into the file (after thousands of
/// rows were already inserted) still keeps nothing, through the real
/// binary, and makes no backup.
#[test]
fn a_bad_row_after_thousands_of_stored_rows_keeps_nothing_and_makes_no_backup() {
    let dir = temp_dir();
    let path = file_in(&dir, "long.db");
    let mut store = Store::open(&path).expect("open");
    let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
    let long_ago = recovery_tracker::model::PatientDetails {
        surgery_date: day("2008-01-01"),
        ..details("Long Ago")
    };
    let patient = store
        .create_patient(&long_ago, Some(&baseline()), now)
        .expect("patient");
    store
        .save_check_in(patient, &check_in("2026-11-20", 5))
        .expect("one stored day");
    drop(store);
    let backups = || recovery_tracker::store::backup::list(&path).len();
    // The real binary importing `csv` as a file.
    let import = |csv: &str| {
        let file = file_in(&dir, "rows.csv");
        std::fs::write(&file, csv).expect("csv");
        run(&[
            "--today",
            "2026-11-25",
            "import",
            "--db",
            path_str(&path),
            path_str(&file),
        ])
    };
    let before = backups();

    // 6,000 good days, then one of three bad endings.
    let mut good = format!("{HEADER}\n");
    let mut day = day("2008-01-01");
    for _ in 0..6000 {
        good.push_str(&format!("{},{day},3,2,10,10,5,0,,\n", patient.0));
        day = day.succ_opt().expect("a day");
    }
    for (ending, words) in [
        (
            "1,2026-11-20,3,2,10,10,5,0,,\n",
            "already has a check-in on 2026-11-20",
        ),
        ("1,2008-01-05,3,2,10,10,5,0,,\n", "is also on line 6"),
        ("1,2026-11-21,11,2,10,10,5,0,,\n", "back_pain"),
    ] {
        let out = import(&format!("{good}{ending}"));
        assert!(!out.status.success(), "{ending} was refused");
        let said = stderr(&out);
        assert!(said.contains("line 6002") && said.contains(words), "{said}");
        let store = Store::open_read_only(&path).expect("read");
        assert_eq!(
            store.check_ins(patient).expect("rows").len(),
            1,
            "nothing kept"
        );
        drop(store);
        assert_eq!(backups(), before, "no backup for a refused file");
    }
    // The same rows without the bad one: all stored, one backup first.
    let out = import(&good);
    assert!(out.status.success(), "{}", stderr(&out));
    let store = Store::open_read_only(&path).expect("read");
    assert_eq!(store.check_ins(patient).expect("rows").len(), 6001);
    assert_eq!(backups(), before + 1, "one backup before the import");
}

/// The first error in the file's order is the one told, though the rows
/// are read on one thread and stored on another: a day already stored on
/// line 2 comes before a word where a number belongs on line 3.
#[test]
fn the_first_error_in_the_file_is_the_one_told() {
    refused(
        format!("{HEADER}\n1,2026-10-05,3,2,10,10,5,0,,\n1,2026-10-07,three,2,10,10,5,0,,\n")
            .as_bytes(),
        &["line 2", "already has a check-in on 2026-10-05"],
    );
    refused(
        format!("{HEADER}\n1,2026-10-06,3,2,10,10,5,0,,\n1,2026-10-06,4,2,10,10,5,0,,\n1,2026-10-05,3,2,10,10,5,0,,\n")
            .as_bytes(),
        &["line 3", "also on line 2"],
    );
}
