//! Damaged import files: each is refused with a message naming where, and
//! nothing changes. Property tests feed the parsers arbitrary bytes and
//! mutated valid files: they never panic.

mod common;

use common::*;
use proptest::prelude::*;
use recovery_tracker::exchange::{csv as csv_file, json as json_file};
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
