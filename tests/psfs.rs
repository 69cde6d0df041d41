//! The Patient-Specific Functional Scale through the store, the real binary
//! and its files: CSV, JSON (lossless), FHIR and the merge. Real SQLite
//! files in temporary folders.

mod common;

use common::*;
use recovery_tracker::model::{PatientId, PsfsActivity, PsfsRating};
use recovery_tracker::store::Store;
use serde_json::Value;

fn activity(name: &str, added: &str, retired: Option<&str>) -> PsfsActivity {
    PsfsActivity {
        name: name.to_owned(),
        added_on: day(added),
        retired_on: retired.map(day),
    }
}

fn rating(on: &str, name: &str, score: u8) -> PsfsRating {
    PsfsRating {
        day: day(on),
        activity: name.to_owned(),
        score,
    }
}

/// A patient (surgery 2026-10-01) who named three activities on 15 Oct and
/// rated them, retired one on 12 Nov, named another in its place, and rated
/// again.
fn patient_with_psfs(dir: &tempfile::TempDir) -> (String, PatientId) {
    let path = file_in(dir, "psfs.db");
    let (mut store, id) = store_with_patient(&path);
    let mut activities = vec![
        activity("Put on socks", "2026-10-15", None),
        activity("Sit through a film", "2026-10-15", None),
        activity("Walk to the shops", "2026-10-15", None),
    ];
    store
        .save_psfs(
            id,
            &activities,
            (day("2026-10-15"), today()),
            &[
                rating("2026-10-15", "Put on socks", 2),
                rating("2026-10-15", "Sit through a film", 3),
                rating("2026-10-15", "Walk to the shops", 4),
            ],
        )
        .expect("the first answer");
    activities[1].retired_on = Some(day("2026-11-12"));
    activities.push(activity("Get in and out of the car", "2026-11-12", None));
    store
        .save_psfs(
            id,
            &activities,
            (day("2026-11-12"), today()),
            &[
                rating("2026-11-12", "Put on socks", 6),
                rating("2026-11-12", "Walk to the shops", 7),
                rating("2026-11-12", "Get in and out of the car", 5),
            ],
        )
        .expect("the second answer");
    (path_str(&path).to_owned(), id)
}

/// Patient 1's FHIR bundle, written to a file of `dir` and read back.
fn fhir_bundle(dir: &tempfile::TempDir, db: &str) -> (std::path::PathBuf, Value) {
    let bundle = file_in(dir, "b.json");
    run_ok(&[
        "export",
        "--db",
        db,
        "--format",
        "fhir",
        "--patient",
        "1",
        "-o",
        path_str(&bundle),
    ]);
    let text = std::fs::read_to_string(&bundle).expect("read");
    (bundle, serde_json::from_str(&text).expect("JSON"))
}

#[test]
fn the_psfs_is_a_csv_table_of_its_own_with_each_days_score() {
    let dir = temp_dir();
    let (db, _) = patient_with_psfs(&dir);
    let csv = run_ok(&["export", "--db", &db, "--format", "csv", "--table", "psfs"]);
    assert_eq!(
        csv,
        "patient_id,day,activity,rating,day_score\n\
         1,2026-10-15,Put on socks,2,3.0\n\
         1,2026-10-15,Sit through a film,3,3.0\n\
         1,2026-10-15,Walk to the shops,4,3.0\n\
         1,2026-11-12,Get in and out of the car,5,6.0\n\
         1,2026-11-12,Put on socks,6,6.0\n\
         1,2026-11-12,Walk to the shops,7,6.0\n"
    );
    let check = run_ok(&["check", "--db", &db]);
    assert!(check.contains("PSFS ratings: 6"), "{check}");
}

#[test]
fn json_carries_the_psfs_losslessly_and_round_trips_byte_identical() {
    let dir = temp_dir();
    let (db, _) = patient_with_psfs(&dir);
    let json = file_in(&dir, "a.json");
    run_ok(&[
        "export",
        "--db",
        &db,
        "--format",
        "json",
        "-o",
        path_str(&json),
    ]);
    let text = std::fs::read_to_string(&json).expect("read");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let p = &doc["patients"][0];
    assert_eq!(p["psfs_activities"].as_array().map(Vec::len), Some(4));
    assert_eq!(p["psfs_activities"][1]["retired_on"], "2026-11-12");
    assert_eq!(p["psfs_ratings"].as_array().map(Vec::len), Some(6));

    let copy = file_in(&dir, "copy.db");
    run_ok(&["import", "--db", path_str(&copy), path_str(&json)]);
    let again = run_ok(&["export", "--db", path_str(&copy), "--format", "json"]);
    assert_eq!(again, text, "export → import → export is byte-identical");
}

#[test]
fn fhir_carries_the_ratings_and_the_activities_come_back_from_them() {
    let dir = temp_dir();
    let (db, id) = patient_with_psfs(&dir);
    let (bundle, b) = fhir_bundle(&dir, &db);
    let responses: Vec<&Value> = b["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "QuestionnaireResponse")
        .collect();
    assert_eq!(responses.len(), 2, "one per day");
    assert_eq!(responses[0]["item"].as_array().map(Vec::len), Some(3));
    let scores: Vec<f64> = b["entry"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["code"]["coding"][0]["code"] == "psfs-score")
        .filter_map(|r| r["valueQuantity"]["value"].as_f64())
        .collect();
    assert_eq!(scores, [3.0, 6.0]);

    let copy = file_in(&dir, "copy.db");
    run_ok(&["import", "--db", path_str(&copy), path_str(&bundle)]);
    let original = Store::open_read_only(std::path::Path::new(&db)).expect("open");
    let back = Store::open_read_only(&copy).expect("open");
    assert_eq!(
        back.psfs_ratings(PatientId(1)).expect("ratings"),
        original.psfs_ratings(id).expect("ratings")
    );
    // Asked from the first rating; the one left out of the second answer
    // is no longer asked from that day.
    assert_eq!(
        back.psfs_activities(PatientId(1)).expect("activities"),
        original.psfs_activities(id).expect("activities")
    );
}

#[test]
fn a_document_with_a_broken_psfs_changes_nothing() {
    let dir = temp_dir();
    let (db, _) = patient_with_psfs(&dir);
    let text = run_ok(&["export", "--db", &db, "--format", "json"]);
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let target = file_in(&dir, "target.db");
    let target = path_str(&target);
    type Spoil = fn(&mut Value);
    let cases: [(Spoil, &str); 6] = [
        (
            |p| p["psfs_activities"][0]["retired_on"] = "2026-10-15".into(),
            "never asked",
        ),
        (
            |p| p["psfs_activities"][0]["name"] = "\u{200B} ".into(),
            "needs a name",
        ),
        (
            |p| p["psfs_ratings"][0]["activity"] = "Swim".into(),
            "\"Swim\" is rated but not one of the activities",
        ),
        (|p| p["psfs_ratings"][0]["score"] = 11.into(), "score"),
        (
            |p| p["psfs_ratings"][1]["day"] = "2026-11-20".into(),
            "when it was not asked",
        ),
        (
            |p| {
                let extra: Vec<Value> = (1..=3)
                    .map(|n| {
                        serde_json::json!({"name": format!("Extra {n}"), "added_on": "2026-11-12"})
                    })
                    .collect();
                p["psfs_activities"]
                    .as_array_mut()
                    .expect("activities")
                    .extend(extra);
            },
            "at most 5",
        ),
    ];
    for (spoil, words) in cases {
        let mut bad = doc.clone();
        spoil(&mut bad["patients"][0]);
        let file = file_in(&dir, "bad.json");
        std::fs::write(&file, serde_json::to_string_pretty(&bad).expect("JSON")).expect("write");
        let refused = run(&["import", "--db", target, path_str(&file)]);
        assert!(!refused.status.success(), "{words}: accepted");
        let message = stderr(&refused);
        assert!(message.contains(words), "{words}: {message}");
        assert!(
            !std::path::Path::new(target).exists()
                || run_ok(&["check", "--db", target]).contains("patients: 0"),
            "nothing imported"
        );
    }
}

#[test]
fn a_later_answer_merges_into_the_same_patient_and_a_different_rating_is_a_conflict() {
    let dir = temp_dir();
    let (db, _) = patient_with_psfs(&dir);
    let text = run_ok(&["export", "--db", &db, "--format", "json"]);
    let mut doc: Value = serde_json::from_str(&text).expect("JSON");
    let p = &mut doc["patients"][0];
    let ratings = p["psfs_ratings"].as_array_mut().expect("ratings");
    // The clinic's copy: a day's rating differs, and a third answer.
    ratings[0]["score"] = 3.into();
    for (name, score) in [
        ("Get in and out of the car", 7),
        ("Put on socks", 8),
        ("Walk to the shops", 8),
    ] {
        ratings.push(serde_json::json!({"day": "2026-11-24", "activity": name, "score": score}));
    }
    let file = file_in(&dir, "clinic.json");
    std::fs::write(&file, serde_json::to_string_pretty(&doc).expect("JSON")).expect("write");
    let preview = run_ok(&["import", "--db", &db, path_str(&file), "--dry-run"]);
    assert!(preview.contains("3 PSFS ratings"), "{preview}");
    assert!(preview.contains("1 conflict"), "{preview}");
    assert!(
        preview.contains("PSFS rating of \"Put on socks\""),
        "the conflict is named: {preview}"
    );
    run_ok(&["import", "--db", &db, path_str(&file)]);
    let csv = run_ok(&["export", "--db", &db, "--format", "csv", "--table", "psfs"]);
    assert!(
        csv.contains("1,2026-10-15,Put on socks,2,3.0"),
        "kept as it is here: {csv}"
    );
    assert!(
        csv.contains("1,2026-11-24,Put on socks,8,7.7"),
        "the new day added: {csv}"
    );
}

#[test]
fn psfs_days_fit_the_operation_when_saved_and_when_it_is_postponed() {
    let dir = temp_dir();
    let (db, id) = patient_with_psfs(&dir);
    let mut store = Store::open(std::path::Path::new(&db)).expect("open");
    let activities = store.psfs_activities(id).expect("activities");
    // A rating in the future, or more than a year before the operation
    // (2026-10-01), is refused and nothing changes.
    for (on, words) in [
        ("2026-12-01", "in the future"),
        ("2025-09-01", "more than a year before the surgery"),
    ] {
        let mut old = activities.clone();
        for a in &mut old {
            a.added_on = day(on).min(a.added_on);
        }
        let err = store
            .save_psfs(
                id,
                &old,
                (day(on), today()),
                &[rating(on, "Put on socks", 5)],
            )
            .expect_err(words);
        assert!(err.to_string().contains(words), "{on}: {err}");
    }
    assert_eq!(store.psfs_ratings(id).expect("ratings").len(), 6);
    drop(store);
    // The operation cannot move so far that a PSFS answer (15 Oct 2026)
    // would lie more than a year before it: a backup of the file would
    // not restore, nor its export import.
    let refused = run(&[
        "patient",
        "set",
        "--db",
        &db,
        "--patient",
        "1",
        "--surgery-date",
        "2027-10-20",
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("the first day with a check-in, ODI total or PSFS answer"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_fhir_answer_names_its_activity_however_it_is_written() {
    let dir = temp_dir();
    let (db, id) = patient_with_psfs(&dir);
    let (bundle, mut b) = fhir_bundle(&dir, &db);
    // The last answer names "Put on socks" in capitals, with a space after.
    let last = b["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .rev()
        .find(|e| e["resource"]["resourceType"] == "QuestionnaireResponse")
        .expect("a response");
    let item = last["resource"]["item"]
        .as_array_mut()
        .expect("items")
        .iter_mut()
        .find(|i| i["text"] == "Put on socks")
        .expect("the item");
    item["text"] = "PUT ON SOCKS ".into();
    std::fs::write(&bundle, serde_json::to_string(&b).expect("JSON")).expect("write");
    let copy = file_in(&dir, "copy.db");
    run_ok(&["import", "--db", path_str(&copy), path_str(&bundle)]);
    let back = Store::open_read_only(&copy).expect("open");
    let original = Store::open_read_only(std::path::Path::new(&db)).expect("open");
    assert_eq!(
        back.psfs_activities(PatientId(1)).expect("activities"),
        original.psfs_activities(id).expect("activities"),
        "still asked on the last answer, under its first spelling"
    );
}

#[test]
fn a_fhir_answer_without_ratings_is_refused_not_dropped() {
    let dir = temp_dir();
    let (db, _) = patient_with_psfs(&dir);
    let (bundle, mut b) = fhir_bundle(&dir, &db);
    let response = b["entry"]
        .as_array_mut()
        .expect("entries")
        .iter_mut()
        .find(|e| e["resource"]["resourceType"] == "QuestionnaireResponse")
        .expect("a response");
    response["resource"]["item"] = serde_json::json!([]);
    std::fs::write(&bundle, serde_json::to_string(&b).expect("JSON")).expect("write");
    let copy = file_in(&dir, "copy.db");
    let refused = run(&["import", "--db", path_str(&copy), path_str(&bundle)]);
    assert!(!refused.status.success(), "{}", stdout(&refused));
    assert!(
        stderr(&refused).contains("no items"),
        "{}",
        stderr(&refused)
    );
}
