//! The weeks before the operation: check-ins before surgery, the baseline
//! they make, a postponed operation, and files that carry those days. Real
//! SQLite files in temporary folders and the real binary.

mod common;

use common::*;
use recovery_tracker::model::PatientId;
use recovery_tracker::store::Store;
use serde_json::Value;

/// 14 days after [`TODAY`].
const SURGERY: &str = "2026-12-09";

/// A database with one patient whose operation is 14 days ahead; typed
/// baseline back pain 7, leg pain 6, walking 10 minutes.
fn patient_before_surgery(dir: &tempfile::TempDir) -> (String, PatientId) {
    let path = file_in(dir, "before.db");
    let mut store = Store::open(&path).expect("a new database");
    let details = recovery_tracker::model::PatientDetails {
        surgery_date: day(SURGERY),
        ..details("Ruth Okafor")
    };
    let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
    let id = store
        .create_patient(&details, Some(&baseline()), now)
        .expect("a patient may be set up before the operation");
    (path_str(&path).to_owned(), id)
}

fn status_json(db: &str, on: &str) -> Value {
    let out = run_ok(&[
        "status",
        "--db",
        db,
        "--patient",
        "1",
        "--format",
        "json",
        "--on",
        on,
    ]);
    serde_json::from_str(&out).expect("status prints JSON")
}

fn metric<'a>(status: &'a Value, key: &str) -> &'a Value {
    status["metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["metric"] == key)
        .unwrap_or_else(|| panic!("no {key} in {status}"))
}

/// Six check-ins on the six days before surgery: back pain 8, 9, 8, 9, 8,
/// 9 (average 8.5), leg pain 5, walking 6 minutes.
fn six_days_before_surgery() -> String {
    let mut csv = String::from(
        "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note\n",
    );
    for (n, back) in [8, 9, 8, 9, 8, 9].iter().enumerate() {
        csv.push_str(&format!("1,2026-12-0{},{back},5,6,15,4,0,,\n", n + 3));
    }
    csv
}

#[test]
fn before_surgery_the_days_are_checked_in_and_then_become_the_baseline() {
    let dir = temp_dir();
    let (db, id) = patient_before_surgery(&dir);

    // Today, 14 days before the operation, the patient checks in.
    let mut store = Store::open(std::path::Path::new(&db)).expect("open");
    let outcome = recovery_tracker::session::apply(
        &mut store,
        recovery_tracker::session::Edit::SaveCheckIn(id, check_in(TODAY, 7)),
        today(),
        today().and_hms_opt(19, 0, 0).expect("time").and_utc(),
    );
    assert_eq!(outcome.error, None, "a check-in before surgery is saved");
    drop(store);

    let status = status_json(&db, TODAY);
    assert_eq!(status["phase"], "before surgery");
    assert_eq!(status["days_to_surgery"], 14);
    assert_eq!(metric(&status, "back_pain")["verdict"], "before_surgery");
    let text = run_ok(&["status", "--db", &db, "--patient", "1"]);
    assert!(text.contains("surgery in 14 days"), "{text}");

    // Six more check-ins on the days just before the operation, imported
    // after it; the one 14 days before is in the window too.
    let csv = file_in(&dir, "before.csv");
    std::fs::write(&csv, six_days_before_surgery()).expect("write");
    let out = run_at_ok("2026-12-11", &["import", "--db", &db, path_str(&csv)]);
    assert!(out.contains("6 check-ins"), "{out}");

    let after = status_json(&db, "2026-12-11");
    assert_eq!(after["phase"], "after surgery");
    assert_eq!(after["days_to_surgery"], Value::Null);
    assert_eq!(after["days_since_surgery"], 2);
    // Back pain: (7 + 8 + 9 + 8 + 9 + 8 + 9) / 7 = 8.29 over seven check-ins.
    for (key, value, count) in [
        ("back_pain", 58.0 / 7.0, 7),
        ("leg_pain", (2.0 + 6.0 * 5.0) / 7.0, 7),
        ("walking_minutes", (30.0 + 6.0 * 6.0) / 7.0, 7),
    ] {
        let m = metric(&after, key);
        assert_eq!(
            m["baseline_origin"]["source"], "pre_operative_average",
            "{key}: {m}"
        );
        assert_eq!(m["baseline_origin"]["check_ins"], count, "{key}");
        let baseline = m["baseline"].as_f64().expect("a number");
        assert!(
            (baseline - value).abs() < 1e-9,
            "{key}: {baseline} vs {value}"
        );
    }
    // The ODI is not part of the check-in: the total typed at setup.
    assert_eq!(
        metric(&after, "odi")["baseline_origin"]["source"],
        "entered"
    );
    let text = run_at_ok("2026-12-11", &["status", "--db", &db, "--patient", "1"]);
    assert!(
        text.contains("(baseline 8.3: the average of 7 check-ins before surgery)"),
        "{text}"
    );

    // The expected course of this patient starts from those days.
    let expected: Value = serde_json::from_str(&run_ok(&[
        "expected",
        "--db",
        &db,
        "--patient",
        "1",
        "--days",
        "0,90",
        "--format",
        "json",
    ]))
    .expect("JSON");
    let back_day_0 = expected
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["metric"] == "back_pain" && r["day"] == 0)
        .expect("back pain on day 0");
    assert_eq!(back_day_0["median"], 8.3, "{back_day_0}");
    assert_eq!(
        back_day_0["baseline_origin"]["source"],
        "pre_operative_average"
    );
}

#[test]
fn a_clinicians_choice_keeps_the_typed_values_over_the_days_before_surgery() {
    let dir = temp_dir();
    let (db, _) = patient_before_surgery(&dir);
    let csv = file_in(&dir, "before.csv");
    std::fs::write(&csv, six_days_before_surgery()).expect("write");
    run_at_ok("2026-12-11", &["import", "--db", &db, path_str(&csv)]);
    let days = status_json(&db, "2026-12-11");
    assert_eq!(
        metric(&days, "back_pain")["baseline_origin"]["source"],
        "pre_operative_average"
    );
    // A clinician keeps the typed values, with a reason: the days no
    // longer count, and the reason is shown.
    run_ok(&[
        "patient",
        "set",
        "--db",
        &db,
        "--patient",
        "1",
        "--baseline-reason",
        "a fall the week before surgery",
    ]);
    let chosen = status_json(&db, "2026-12-11");
    let back = metric(&chosen, "back_pain");
    assert_eq!(back["baseline_origin"]["source"], "clinician");
    assert_eq!(back["baseline"], 7.0);
    let shown = run_ok(&["patient", "show", "--db", &db, "--patient", "1"]);
    assert!(shown.contains("a fall the week before surgery"), "{shown}");
    // "" lets the days count again.
    run_ok(&[
        "patient",
        "set",
        "--db",
        &db,
        "--patient",
        "1",
        "--baseline-reason",
        "",
    ]);
    let again = status_json(&db, "2026-12-11");
    assert_eq!(
        metric(&again, "back_pain")["baseline_origin"]["source"],
        "pre_operative_average"
    );
}

#[test]
fn four_days_before_surgery_are_too_few_and_the_typed_baseline_counts() {
    let dir = temp_dir();
    let (db, _) = patient_before_surgery(&dir);
    let csv = file_in(&dir, "four.csv");
    let four: String = six_days_before_surgery()
        .lines()
        .take(5)
        .fold(String::new(), |a, l| a + l + "\n");
    std::fs::write(&csv, four).expect("write");
    run_at_ok("2026-12-11", &["import", "--db", &db, path_str(&csv)]);
    let status = status_json(&db, "2026-12-11");
    let back = metric(&status, "back_pain");
    assert_eq!(back["baseline_origin"]["source"], "entered");
    assert_eq!(back["baseline"], 7.0);
}

#[test]
fn a_postponed_operation_keeps_every_check_in_and_counts_the_days_again() {
    let dir = temp_dir();
    let path = file_in(&dir, "moved.db");
    let (mut store, id) = store_with_patient(&path);
    // Surgery 2026-10-01; check-ins on 1–10 October.
    for d in 1..=10 {
        store
            .save_check_in(id, &check_in(&format!("2026-10-{d:02}"), 3 + (d % 4) as u8))
            .expect("a check-in");
    }
    let before = store.check_ins(id).expect("rows");
    drop(store);
    let db = path_str(&path);
    let csv_before = run_ok(&["export", "--db", db, "--format", "csv"]);
    assert_eq!(status_json(db, "2026-10-10")["days_since_surgery"], 9);

    // The operation is postponed to 8 October.
    let out = run_ok(&[
        "patient",
        "set",
        "--db",
        db,
        "--patient",
        "1",
        "--surgery-date",
        "2026-10-08",
    ]);
    assert!(
        out.contains("surgery_date: 2026-10-01 -> 2026-10-08"),
        "{out}"
    );

    let store = Store::open(&path).expect("open");
    assert_eq!(store.check_ins(id).expect("rows"), before, "every row kept");
    drop(store);
    assert_eq!(
        run_ok(&["export", "--db", db, "--format", "csv"]),
        csv_before,
        "the exported rows are the same"
    );
    let status = status_json(db, "2026-10-10");
    assert_eq!(
        status["days_since_surgery"], 2,
        "day numbers follow the new date"
    );
    // 1–7 October are now the seven days before surgery: the baseline.
    let back = metric(&status, "back_pain");
    assert_eq!(
        back["baseline_origin"],
        serde_json::json!({"source": "pre_operative_average", "check_ins": 7})
    );
    // And moved back, nothing is lost either.
    run_ok(&[
        "patient",
        "set",
        "--db",
        db,
        "--patient",
        "1",
        "--surgery-date",
        "2026-10-01",
    ]);
    assert_eq!(
        run_ok(&["export", "--db", db, "--format", "csv"]),
        csv_before
    );
}

#[test]
fn files_with_days_before_surgery_import_and_json_round_trips_byte_identical() {
    let dir = temp_dir();
    let (db, _) = patient_before_surgery(&dir);
    let csv = file_in(&dir, "before.csv");
    std::fs::write(&csv, six_days_before_surgery()).expect("write");
    run_at_ok("2026-12-20", &["import", "--db", &db, path_str(&csv)]);

    let json = file_in(&dir, "a.recovery.json");
    run_at_ok(
        "2026-12-20",
        &[
            "export",
            "--db",
            &db,
            "--format",
            "json",
            "-o",
            path_str(&json),
        ],
    );
    let text = std::fs::read_to_string(&json).expect("read");
    assert!(
        text.contains("\"day\": \"2026-12-03\""),
        "a day before surgery is in the file"
    );

    let copy = file_in(&dir, "copy.db");
    let copy = path_str(&copy);
    let out = run_at_ok("2026-12-20", &["import", "--db", copy, path_str(&json)]);
    assert!(out.contains("imported 1 patient"), "{out}");
    for format in ["json", "csv"] {
        let a = run_at_ok("2026-12-20", &["export", "--db", &db, "--format", format]);
        let b = run_at_ok("2026-12-20", &["export", "--db", copy, "--format", format]);
        assert_eq!(a, b, "{format} exports differ");
    }
    let a = run_at_ok("2026-12-20", &["export", "--db", copy, "--format", "json"]);
    assert_eq!(a, text, "export → import → export is byte-identical");
}

#[test]
fn the_patient_list_judges_from_the_same_days_before_surgery_as_progress() {
    use recovery_tracker::analysis::review::{overview_reads, overview_rows};
    use recovery_tracker::analysis::{Verdict, patient_status};
    let dir = temp_dir();
    let path = file_in(&dir, "list.db");
    let (mut store, id) = store_with_patient(&path);
    // Typed back pain 7 before surgery (2026-10-01), but the ten days
    // before it say 2; the last week after it says 4: behind against the
    // days, not against the remembered 7.
    for d in 21..=30 {
        store
            .save_check_in(id, &check_in(&format!("2026-09-{d}"), 2))
            .expect("a day before surgery");
    }
    for d in 19..=25 {
        store
            .save_check_in(id, &check_in(&format!("2026-11-{d}"), 4))
            .expect("a recent day");
    }
    // A day neither before surgery nor recent: the list need not read it.
    store
        .save_check_in(id, &check_in("2026-10-15", 3))
        .expect("a day between");
    let protocol = recovery_tracker::protocol::Protocol::embedded().expect("protocol");
    let record = store.patient_record(id).expect("record");
    let status = patient_status(
        &protocol,
        &record.patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        today(),
    );
    let back = status
        .metric(recovery_tracker::model::MetricKey::BackPain)
        .expect("back pain");
    assert_eq!(back.verdict, Verdict::Behind, "{back:?}");

    let reads = overview_reads(today());
    let records = store
        .recent_records(reads.check_ins_from, reads.exercise_logs_from)
        .expect("the list's records");
    let rows = overview_rows(&protocol, &records, today());
    assert_eq!(
        rows[0].verdict,
        Verdict::Behind,
        "the list agrees with Progress"
    );
    // It read the days before surgery and the recent ones, nothing between.
    let days: Vec<_> = records[0].0.check_ins.iter().map(|c| c.day).collect();
    assert_eq!(days.len(), 17, "{days:?}");
    assert!(!days.contains(&day("2026-10-15")), "{days:?}");
    assert!(days.windows(2).all(|w| w[0] < w[1]), "in order: {days:?}");
}

/// The JSON document of patient 1 of `db`, as exported on `today`.
fn document(db: &str, today: &str) -> Value {
    let text = run_at_ok(
        today,
        &["export", "--db", db, "--format", "json", "--patient", "1"],
    );
    serde_json::from_str(&text).expect("JSON")
}

fn write_json(dir: &tempfile::TempDir, name: &str, doc: &Value) -> String {
    let path = file_in(dir, name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).expect("JSON")).expect("write");
    path_str(&path).to_owned()
}

#[test]
fn rows_merged_into_a_patient_must_fit_that_patients_operation() {
    let dir = temp_dir();
    let path = file_in(&dir, "target.db");
    let (store, _) = store_with_patient(&path); // surgery 2026-10-01
    drop(store);
    let db = path_str(&path);
    // The same patient in another file, whose operation was recorded a
    // year and a half earlier, with a check-in and a milestone then.
    let mut doc = document(db, TODAY);
    let p = &mut doc["patients"][0];
    p["patient"]["details"]["surgery_date"] = "2025-04-01".into();
    p["check_ins"] = serde_json::json!([{
        "day": "2025-04-20", "back_pain": 5, "leg_pain": 4, "walking_minutes": 10,
        "sitting_minutes": 20, "sleep_quality": 5, "opioid_doses": 0,
        "warning_symptoms": [], "note": ""
    }]);
    let file = write_json(&dir, "other.json", &doc);
    let before = run_ok(&["export", "--db", db, "--format", "json"]);
    let refused = run(&["import", "--db", db, &file, "--merge-into", "1"]);
    assert!(!refused.status.success(), "{}", stdout(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("more than a year before the surgery on 2026-10-01"),
        "{message}"
    );
    assert_eq!(run_ok(&["export", "--db", db, "--format", "json"]), before);

    let mut doc = document(db, TODAY);
    let p = &mut doc["patients"][0];
    p["patient"]["details"]["surgery_date"] = "2026-09-01".into();
    p["milestones"] = serde_json::json!([{"key": "first_walk", "achieved_on": "2026-09-02"}]);
    let file = write_json(&dir, "milestone.json", &doc);
    let message = stderr(&run(&["import", "--db", db, &file, "--merge-into", "1"]));
    assert!(
        message.contains("before the surgery on 2026-10-01"),
        "{message}"
    );
    assert_eq!(run_ok(&["export", "--db", db, "--format", "json"]), before);
}

#[test]
fn exercise_logs_in_a_document_lie_between_surgery_and_today() {
    let dir = temp_dir();
    let path = file_in(&dir, "logs.db");
    let (store, _) = store_with_patient(&path);
    drop(store);
    let mut doc = document(path_str(&path), TODAY);
    for (day, words) in [
        ("2026-11-30", "in the future"),
        ("2026-09-20", "before the surgery"),
    ] {
        doc["patients"][0]["exercise_logs"] =
            serde_json::json!([{"day": day, "exercise_key": "walk", "sessions": 1}]);
        let file = write_json(&dir, "logs.json", &doc);
        let copy = file_in(&dir, &format!("copy-{day}.db"));
        let message = stderr(&run(&["import", "--db", path_str(&copy), &file]));
        assert!(message.contains(words), "{day}: {message}");
    }
}

#[test]
fn a_clinicians_reason_is_one_line_of_at_most_200_characters_and_can_be_cleared() {
    let dir = temp_dir();
    let path = file_in(&dir, "reason.db");
    let (store, _) = store_with_patient(&path);
    drop(store);
    let db = path_str(&path);
    let set = |reason: &str| {
        run(&[
            "patient",
            "set",
            "--db",
            db,
            "--patient",
            "1",
            "--baseline-reason",
            reason,
        ])
    };
    let long = "y".repeat(201);
    let message = stderr(&set(&long));
    assert!(message.contains("at most 200"), "{message}");
    assert!(stderr(&set("two\nlines")).contains("one line"));
    let longest = "z".repeat(200);
    assert!(set(&longest).status.success(), "200 characters are kept");
    let shown = run_ok(&["patient", "show", "--db", db, "--patient", "1"]);
    assert!(shown.contains(&longest), "{shown}");
    assert!(set("").status.success(), "and cleared");
    let shown = run_ok(&["patient", "show", "--db", db, "--patient", "1"]);
    assert!(
        !shown.contains("baseline chosen by the clinician over the days"),
        "{shown}"
    );
}

#[test]
fn a_new_baseline_from_the_command_line_needs_walking_and_sitting_too() {
    let dir = temp_dir();
    let (db, _) = patient_before_surgery(&dir);
    // Forget the baseline, then start one with the pains only.
    let path = std::path::Path::new(&db);
    let mut store = Store::open(path).expect("open");
    let record = store.patient_record(PatientId(1)).expect("record");
    store
        .update_patient(
            PatientId(1),
            &record.patient.details,
            None,
            today(),
            today().and_hms_opt(9, 0, 0).expect("time").and_utc(),
        )
        .expect("no baseline");
    drop(store);
    let refused = run(&[
        "patient",
        "set",
        "--db",
        &db,
        "--patient",
        "1",
        "--back-pain",
        "9",
        "--leg-pain",
        "9",
        "--baseline-reason",
        "pain diary unreliable",
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--walking and --sitting"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn before_surgery_nothing_is_an_improvement_yet_and_warning_signs_are_flagged() {
    use recovery_tracker::analysis::review::{FlagKind, Tier, flags};
    let dir = temp_dir();
    let (db, id) = patient_before_surgery(&dir);
    // Typed back pain 7; the days before surgery say 2: no "meaningful
    // improvement" can be claimed before the operation.
    let csv = file_in(&dir, "low.csv");
    let mut rows = String::from(
        "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note\n",
    );
    for d in 21..=25 {
        let warning = if d == 24 { "saddle_numbness" } else { "" };
        rows.push_str(&format!("1,2026-11-{d},2,2,30,30,5,0,{warning},\n"));
    }
    std::fs::write(&csv, rows).expect("write");
    run_ok(&["import", "--db", &db, path_str(&csv)]);
    let status = status_json(&db, TODAY);
    assert_eq!(
        metric(&status, "back_pain")["mcid_reached"],
        Value::Null,
        "{status}"
    );

    let store = Store::open_read_only(std::path::Path::new(&db)).expect("open");
    let record = store.patient_record(id).expect("record");
    let protocol = recovery_tracker::protocol::Protocol::embedded().expect("protocol");
    let found = flags(&protocol, &record, day("2026-11-20"), today());
    let emergency: Vec<_> = found
        .iter()
        .filter(|f| f.kind == FlagKind::WarningSymptom)
        .collect();
    assert_eq!(emergency.len(), 1, "{found:?}");
    assert_eq!(emergency[0].tier, Tier::Emergency);
    assert_eq!(emergency[0].day, day("2026-11-24"));
}

#[test]
fn after_surgery_the_odi_is_judged_on_a_total_after_it() {
    let dir = temp_dir();
    let path = file_in(&dir, "odi.db");
    let (mut store, id) = store_with_patient(&path); // surgery 2026-10-01, typed ODI 44
    store
        .save_odi_entry(
            id,
            &recovery_tracker::model::OdiEntry {
                day: day("2026-09-28"),
                total: 52,
            },
        )
        .expect("an ODI total before surgery");
    drop(store);
    let db = path_str(&path);
    let status = status_json(db, "2026-10-20");
    let odi = metric(&status, "odi");
    assert_eq!(odi["recent"], Value::Null, "no total since surgery: {odi}");
    assert_eq!(
        odi["baseline"], 52.0,
        "the total before surgery is the start"
    );
    assert_eq!(odi["baseline_origin"]["source"], "pre_operative_total");
}
