//! The real binary on temporary databases: demo, check, export, import, and
//! imports that must fail without changing anything.

mod common;

use common::*;

fn demo_db(dir: &tempfile::TempDir) -> String {
    let db = file_in(dir, "d.db");
    let db = path_str(&db).to_owned();
    run_ok(&[
        "demo",
        "--db",
        &db,
        "--patients",
        "3",
        "--days",
        "120",
        "--seed",
        "7",
    ]);
    db
}

fn count_line(check_output: &str, what: &str) -> u64 {
    check_output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{what}: ")))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no \"{what}\" line in:\n{check_output}"))
}

#[test]
fn demo_then_check_prints_the_counts() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let out = run_ok(&["check", "--db", &db]);
    assert!(out.contains("integrity: ok"), "{out}");
    for table in ["ODI totals", "milestones", "plan items", "exercise logs"] {
        assert!(count_line(&out, table) > 0, "{table}: {out}");
    }
    let latest = recovery_tracker::store::latest_schema_version();
    assert!(out.contains(&format!("schema version: {latest} ")), "{out}");
    assert_eq!(count_line(&out, "patients"), 3);
    let check_ins = count_line(&out, "check-ins");
    assert!((320..=360).contains(&check_ins), "{check_ins} check-ins");
}

#[test]
fn the_same_seed_gives_the_same_demo() {
    let dir = temp_dir();
    let a = demo_db(&dir);
    let b = file_in(&dir, "b.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&b),
        "--patients",
        "3",
        "--days",
        "120",
        "--seed",
        "7",
    ]);
    let export = |db: &str| run_ok(&["export", "--db", db, "--format", "json"]);
    assert_eq!(export(&a), export(path_str(&b)));
}

#[test]
fn demo_refuses_a_database_that_has_patients() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let output = run(&["demo", "--db", &db]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("already holds 3 patient"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn json_export_import_export_is_byte_identical() {
    let dir = temp_dir();
    let original = demo_db(&dir);
    let copy = file_in(&dir, "copy.db");
    let copy = path_str(&copy);
    let json = file_in(&dir, "a.json");
    run_ok(&[
        "export",
        "--db",
        &original,
        "--format",
        "json",
        "-o",
        path_str(&json),
    ]);
    let imported = run_ok(&["import", "--db", copy, path_str(&json)]);
    assert!(imported.contains("imported 3 patients"), "{imported}");

    for format in ["json", "csv"] {
        let a = run_ok(&["export", "--db", &original, "--format", format]);
        let b = run_ok(&["export", "--db", copy, "--format", format]);
        assert!(a.len() > 1000, "{format} export is not empty");
        assert_eq!(a, b, "{format} exports differ");
    }
    for table in ["odi-totals", "milestones", "plan", "exercise-logs"] {
        let a = run_ok(&[
            "export", "--db", &original, "--format", "csv", "--table", table,
        ]);
        let b = run_ok(&["export", "--db", copy, "--format", "csv", "--table", table]);
        assert!(a.lines().count() > 1, "{table} has rows");
        assert!(
            a.lines()
                .next()
                .is_some_and(|h| h.starts_with("patient_id,")),
            "{table} header"
        );
        assert_eq!(a, b, "{table} exports differ");
    }
    let one = run_ok(&["export", "--db", copy, "--format", "csv", "--patient", "2"]);
    assert!(
        one.lines().skip(1).all(|l| l.starts_with("2,")),
        "only patient 2"
    );
}

#[test]
fn the_csv_header_is_exactly_the_documented_columns() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let csv = run_ok(&["export", "--db", &db, "--format", "csv"]);
    assert_eq!(
        csv.lines().next(),
        Some(
            "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note,numbness,tingling,weakness,weakness_side"
        )
    );
}

#[test]
fn csv_import_adds_days_to_existing_patients() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let before = count_line(&run_ok(&["check", "--db", &db]), "check-ins");
    // Demo patients had surgery 120 days before TODAY; these days are new.
    let csv = file_in(&dir, "new.csv");
    std::fs::write(
        &csv,
        "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note\n\
         1,2026-07-28,6,5,5,10,3,4,fever;fall,\"Day of surgery, long \"\"day\"\"\"\n",
    )
    .expect("write");
    let out = run_ok(&["import", "--db", &db, path_str(&csv)]);
    assert!(out.contains("1 check-in"), "{out}");
    let after = count_line(&run_ok(&["check", "--db", &db]), "check-ins");
    assert_eq!(after, before + 1);
    let export = run_ok(&["export", "--db", &db, "--format", "csv", "--patient", "1"]);
    assert!(
        export
            .contains("1,2026-07-28,6,5,5,10,3,4,fever;fall,\"Day of surgery, long \"\"day\"\"\""),
        "{export}"
    );
}

const HEADER: &str = "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note";

/// Imports `body` (after the header) into a fresh demo database and checks
/// that it fails, names what it must, and leaves the counts alone.
fn assert_import_refused(body: &str, must_mention: &[&str]) {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let before = run_ok(&["check", "--db", &db]);
    let csv = file_in(&dir, "bad.csv");
    std::fs::write(&csv, format!("{HEADER}\n{body}")).expect("write");
    let output = run(&["import", "--db", &db, path_str(&csv)]);
    let message = stderr(&output);
    assert!(!output.status.success(), "import should fail: {message}");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    for needle in must_mention {
        assert!(message.contains(needle), "\"{needle}\" not in: {message}");
    }
    assert!(message.contains("nothing changed"), "{message}");
    assert_eq!(
        run_ok(&["check", "--db", &db]),
        before,
        "the database changed"
    );
}

/// Three valid new rows (lines 2–4) before the line under test.
const GOOD_ROWS: &str =
    "1,2026-07-28,6,5,5,10,3,4,,\n2,2026-07-28,6,5,5,10,3,4,,\n3,2026-07-28,6,5,5,10,3,4,,\n";

#[test]
fn back_pain_11_on_line_5_is_named_and_nothing_changes() {
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-07-27,11,5,5,10,3,4,,\n"),
        &["line 5", "back_pain", "11"],
    );
}

#[test]
fn bad_csv_rows_are_named_by_line_and_field() {
    assert_import_refused(
        &format!("{GOOD_ROWS}9,2026-07-27,1,5,5,10,3,4,,\n"),
        &["line 5", "patient_id", "no patient 9"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-02-30,1,5,5,10,3,4,,\n"),
        &["line 5", "day", "2026-02-30"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-07-28,1,5,5,10,3,4,,\n"),
        &["line 5", "day", "also on line 2"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-08-01,1,5,5,10,3,4,,\n"),
        &["line 5", "day", "already has a check-in"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-07-27,-1,5,5,10,3,4,,\n"),
        &["line 5", "back_pain", "-1"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-07-27,1,5,5,10,3,4,dizzy,\n"),
        &["line 5", "warning_symptoms", "dizzy"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-07-27,1,5,5\n"),
        &["line 5", "columns"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2026-12-01,1,5,5,10,3,4,,\n"),
        &["line 5", "day", "future"],
    );
    assert_import_refused(
        &format!("{GOOD_ROWS}1,2025-07-01,1,5,5,10,3,4,,\n"),
        &["line 5", "day", "more than a year before the surgery"],
    );
}

#[test]
fn a_csv_with_the_wrong_columns_or_nothing_in_it_is_refused() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let wrong = file_in(&dir, "wrong.csv");
    std::fs::write(&wrong, "day,patient_id,back_pain\n2026-07-27,1,3\n").expect("write");
    let output = run(&["import", "--db", &db, path_str(&wrong)]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("line 1"), "{}", stderr(&output));
    let empty = file_in(&dir, "empty.csv");
    std::fs::write(&empty, "").expect("write");
    let output = run(&["import", "--db", &db, path_str(&empty)]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("empty"), "{}", stderr(&output));
}

#[test]
fn a_damaged_json_document_changes_nothing() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let good = run_ok(&["export", "--db", &db, "--format", "json"]);
    let target = file_in(&dir, "target.db");
    let target = path_str(&target);
    drop(
        recovery_tracker::store::Store::open(std::path::Path::new(target))
            .expect("an empty database"),
    );
    let cases: Vec<(String, &str)> = vec![
        (good[..good.len() / 2].to_owned(), "truncated"),
        (
            good.replacen("\"back_pain\": 6", "\"back_pain\": 11", 1),
            "back_pain",
        ),
        (
            good.replacen("\"recovery-tracker\"", "\"something-else\"", 1),
            "not a recovery-tracker",
        ),
        ("{}".to_owned(), "not a recovery-tracker"),
    ];
    for (text, needle) in cases {
        let file = file_in(&dir, "bad.json");
        std::fs::write(&file, &text).expect("write");
        let output = run(&["import", "--db", target, path_str(&file)]);
        assert!(!output.status.success());
        assert!(
            stderr(&output).contains(needle),
            "{needle}: {}",
            stderr(&output)
        );
        assert!(run_ok(&["check", "--db", target]).contains("patients: 0"));
    }
}

#[test]
fn check_fails_on_a_missing_or_foreign_file() {
    let dir = temp_dir();
    let missing = file_in(&dir, "nope.db");
    let output = run(&["check", "--db", path_str(&missing)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).starts_with("error: there is no database"),
        "{}",
        stderr(&output)
    );
    let foreign = file_in(&dir, "foreign.db");
    std::fs::write(&foreign, vec![7u8; 4096]).expect("write");
    let output = run(&["check", "--db", path_str(&foreign)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a recovery-tracker database"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn expected_prints_four_rows_per_metric_traceable_to_the_protocol() {
    let out = run_ok(&[
        "expected",
        "--approach",
        "mis",
        "--back",
        "7",
        "--leg",
        "6",
        "--odi",
        "45",
        "--days",
        "0,42,90,365",
    ]);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    for metric in ["back_pain", "leg_pain", "odi"] {
        let mine: Vec<_> = rows.iter().filter(|r| r[0] == metric).collect();
        assert_eq!(mine.len(), 4, "{metric}: {out}");
        // Day 0 is the patient's own starting point, with no spread.
        assert_eq!(mine[0][1..5], ["0", mine[0][2], mine[0][2], mine[0][2]]);
    }
    let back_at = |day: &str| -> f64 {
        rows.iter()
            .find(|r| r[0] == "back_pain" && r[1] == day)
            .and_then(|r| r[2].parse().ok())
            .expect("a back pain row")
    };
    assert_eq!(back_at("0"), 7.0);
    // The MIS series: 2.6 at 91 days of 6.9 before surgery, scaled to 7.
    assert!(
        (back_at("90") - 7.0 * 2.6 / 6.9).abs() < 0.1,
        "{}",
        back_at("90")
    );
    assert!(back_at("42") < back_at("0") && back_at("365") < back_at("42"));
    assert!(
        !out.contains("walking"),
        "no walking rows without --walking"
    );

    let json = run_ok(&[
        "expected",
        "--approach",
        "open",
        "--back",
        "7",
        "--leg",
        "6",
        "--walking",
        "20",
        "--days",
        "0,56",
        "--format",
        "json",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let rows = parsed.as_array().expect("an array");
    assert_eq!(
        rows.len(),
        8,
        "back, leg, ODI (cohort start) and walking at 2 days"
    );
    let odi = rows.iter().find(|r| r["metric"] == "odi").expect("odi row");
    assert_eq!(odi["baseline_origin"]["source"], "cohort");
}

#[test]
fn status_prints_a_verdict_per_metric_and_json_parses() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let text = run_ok(&["status", "--db", &db, "--patient", "1"]);
    for label in [
        "Back pain:",
        "Leg pain:",
        "Disability (ODI):",
        "Walking:",
        "Leg numbness:",
        "Leg tingling:",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in {text}"));
        assert!(
            ["on track", "ahead of", "behind the", "not enough"]
                .iter()
                .any(|v| line.contains(v)),
            "{line}"
        );
    }
    assert!(text.contains("day 120 since surgery"), "{text}");
    let milestones = text
        .lines()
        .find(|l| l.starts_with("milestones: "))
        .unwrap_or_else(|| panic!("no milestones line in {text}"));
    assert!(
        milestones.contains(" of 15 reached, ") && milestones.ends_with(" later than usual"),
        "{milestones}"
    );
    let adherence = text
        .lines()
        .find(|l| l.starts_with("adherence this week: "))
        .unwrap_or_else(|| panic!("no adherence line in {text}"));
    assert!(adherence.contains('%'), "{adherence}");
    let json = run_ok(&[
        "status",
        "--db",
        &db,
        "--patient",
        "2",
        "--format",
        "json",
        "--on",
        "2026-10-01",
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed["days_since_surgery"], 65);
    let metrics = parsed["metrics"].as_array().expect("metrics");
    assert_eq!(metrics.len(), 6);
    assert!(metrics.iter().all(|m| m["verdict"].is_string()));
    assert!(
        metrics
            .iter()
            .any(|m| m["metric"] == "numbness" && m["verdict"].is_string()),
        "a numbness verdict: {json}"
    );
    assert!(parsed["program"]["milestones_reached"].is_u64());
    assert!(parsed["program"]["adherence_this_week"]["prescribed_sessions"].as_u64() > Some(0));

    let missing = run(&["status", "--db", &db, "--patient", "99"]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("no patient with id 99"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn bad_milestones_plans_and_exercise_logs_in_json_change_nothing() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    let good = run_ok(&["export", "--db", &db, "--format", "json", "--patient", "2"]);
    let doc: serde_json::Value = serde_json::from_str(&good).expect("json");
    let target = file_in(&dir, "target.db");
    let target = path_str(&target);
    drop(
        recovery_tracker::store::Store::open(std::path::Path::new(target))
            .expect("an empty database"),
    );

    let spoil = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut d = doc.clone();
        f(&mut d["patients"][0]);
        serde_json::to_string_pretty(&d).expect("json")
    };
    let cases: Vec<(String, &str)> = vec![
        (
            spoil(&|p| p["milestones"][0]["achieved_on"] = "2020-01-01".into()),
            "before the surgery",
        ),
        (
            spoil(&|p| p["milestones"][0]["achieved_on"] = "2027-06-01".into()),
            "in the future",
        ),
        (
            spoil(&|p| p["exercise_logs"][0]["exercise_key"] = "bird_dog".into()),
            "was not prescribed",
        ),
        (
            spoil(&|p| {
                p["plan"] = serde_json::json!([{
                    "exercise_key": "walk", "name": "Walking", "instructions": "",
                    "dose": {"sets": -1, "reps": null, "hold_seconds": null, "minutes": 10, "times_per_day": 1},
                    "start_day": "2026-08-01", "end_day": null
                }]);
            }),
            "sets",
        ),
    ];
    for (text, needle) in cases {
        let file = file_in(&dir, "bad.json");
        std::fs::write(&file, &text).expect("write");
        let output = run(&["import", "--db", target, path_str(&file)]);
        assert!(!output.status.success(), "{needle}");
        assert!(
            stderr(&output).contains(needle),
            "{needle}: {}",
            stderr(&output)
        );
        assert!(run_ok(&["check", "--db", target]).contains("patients: 0"));
    }
    let file = file_in(&dir, "good.json");
    std::fs::write(&file, &good).expect("write");
    run_ok(&["import", "--db", target, path_str(&file)]);
    assert_eq!(
        run_ok(&["export", "--db", target, "--format", "json"]),
        good
    );
}

#[test]
fn a_json_document_merges_into_the_same_patient_with_conflicts_reported() {
    let dir = temp_dir();
    let a = demo_db(&dir);
    let b = file_in(&dir, "physio.db");
    let b = path_str(&b);
    let all = file_in(&dir, "all.json");
    run_ok(&[
        "export",
        "--db",
        &a,
        "--format",
        "json",
        "-o",
        path_str(&all),
    ]);
    run_ok(&["import", "--db", b, path_str(&all)]);

    // The patient's own file has moved on: one day changed, one day added.
    let one = run_ok(&["export", "--db", &a, "--format", "json", "--patient", "1"]);
    let mut doc: serde_json::Value = serde_json::from_str(&one).expect("json");
    let check_ins = doc["patients"][0]["check_ins"]
        .as_array_mut()
        .expect("check-ins");
    let changed_day = check_ins[3]["day"].as_str().expect("day").to_owned();
    let old = check_ins[3]["back_pain"].as_u64().expect("pain");
    check_ins[3]["back_pain"] = ((old + 3) % 11).into();
    let mut added = check_ins[0].clone();
    added["day"] = "2026-07-28".into(); // the day of surgery, never in the demo
    check_ins.insert(0, added);
    let newer = file_in(&dir, "newer.json");
    std::fs::write(&newer, serde_json::to_string_pretty(&doc).expect("json")).expect("write");

    let before = run_ok(&["export", "--db", b, "--format", "json"]);
    let preview = run_ok(&["import", "--db", b, path_str(&newer), "--dry-run"]);
    assert!(
        preview.contains("merged into patient 1: adds 1 check-in, 0 ODI totals"),
        "{preview}"
    );
    assert!(
        preview.contains("1 conflict (kept as they are here)"),
        "{preview}"
    );
    assert!(
        preview.contains(&format!(
            "conflict: check-in on {changed_day}: back pain {old} here, {} in the file",
            (old + 3) % 11
        )),
        "{preview}"
    );
    assert!(preview.contains("dry run: nothing was changed"));
    assert_eq!(
        run_ok(&["export", "--db", b, "--format", "json"]),
        before,
        "--dry-run changes nothing"
    );

    let done = run_ok(&["import", "--db", b, path_str(&newer)]);
    assert!(
        done.contains("imported 1 patient\n") || done.ends_with("imported 1 patient"),
        "{done}"
    );
    let csv = run_ok(&["export", "--db", b, "--format", "csv", "--patient", "1"]);
    assert!(csv.contains("\n1,2026-07-28,"), "the new day is added");
    assert!(
        csv.contains(&format!("\n1,{changed_day},{old},")),
        "the conflicting day is kept as it was"
    );
    assert!(
        run_ok(&["check", "--db", b]).contains("patients: 3"),
        "no duplicate patient"
    );

    // Forced new, the same document makes a fourth patient.
    run_ok(&["import", "--db", b, path_str(&newer), "--as-new"]);
    assert!(run_ok(&["check", "--db", b]).contains("patients: 4"));

    let wrong = run(&["import", "--db", b, path_str(&all), "--merge-into", "1"]);
    assert!(!wrong.status.success());
    assert!(
        stderr(&wrong).contains("needs a document with one patient"),
        "{}",
        stderr(&wrong)
    );
}

/// `patient set` corrects through the same edit as the window: bad values
/// are refused naming the option, nothing changes; a correction is logged,
/// shown, exported and survives a JSON round trip byte for byte.
#[test]
fn patient_set_corrects_logs_and_round_trips() {
    let dir = temp_dir();
    let db = file_in(&dir, "patient.db");
    let db = path_str(&db);
    run_ok(&["demo", "--db", db, "--patients", "2", "--days", "30"]);
    let before = run_ok(&["export", "--db", db, "--format", "json"]);

    let bad_date = run(&[
        "patient",
        "set",
        "--db",
        db,
        "--patient",
        "1",
        "--surgery-date",
        "2026-13-01",
    ]);
    assert!(!bad_date.status.success());
    assert!(
        stderr(&bad_date).contains("--surgery-date"),
        "{}",
        stderr(&bad_date)
    );
    let bad_phone = run(&[
        "patient",
        "set",
        "--db",
        db,
        "--patient",
        "1",
        "--team-phone",
        "call me",
    ]);
    assert!(!bad_phone.status.success());
    assert!(
        stderr(&bad_phone).contains("--team-phone should be a phone number"),
        "{}",
        stderr(&bad_phone)
    );
    let too_late = run(&[
        "patient",
        "set",
        "--db",
        db,
        "--patient",
        "1",
        "--surgery-date",
        "2026-11-20",
    ]);
    assert!(
        !too_late.status.success(),
        "check-ins would fall before the operation"
    );
    assert_eq!(
        run_ok(&["export", "--db", db, "--format", "json"]),
        before,
        "nothing changed"
    );

    let said = run_ok(&[
        "patient",
        "set",
        "--db",
        db,
        "--patient",
        "1",
        "--surgery-date",
        "2026-10-20",
        "--discharged",
        "2026-10-23",
        "--team-phone",
        "020 7946 0142",
    ]);
    assert!(
        said.contains("surgery_date: 2026-10-26 -> 2026-10-20"),
        "{said}"
    );
    let shown = run_ok(&[
        "patient",
        "show",
        "--db",
        db,
        "--patient",
        "1",
        "--format",
        "json",
    ]);
    let shown: serde_json::Value = serde_json::from_str(&shown).expect("json");
    assert_eq!(shown["tracking_start"], "2026-10-27");
    assert_eq!(shown["changes"].as_array().map(Vec::len), Some(2));

    let exported = run_ok(&["export", "--db", db, "--format", "json"]);
    assert!(exported.contains("\"changes\""));
    let file = file_in(&dir, "patient.json");
    std::fs::write(&file, &exported).expect("write");
    let copy = file_in(&dir, "copy.db");
    run_ok(&["import", "--db", path_str(&copy), path_str(&file)]);
    assert_eq!(
        run_ok(&["export", "--db", path_str(&copy), "--format", "json"]),
        exported
    );
}

#[test]
fn numbness_is_expected_to_recover_less_than_leg_pain() {
    let json = run_ok(&[
        "expected",
        "--approach",
        "mis",
        "--back",
        "7",
        "--leg",
        "6",
        "--odi",
        "55",
        "--numbness",
        "6",
        "--days",
        "0,42,90,365",
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let at = |metric: &str, day: u64| {
        rows.as_array()
            .expect("rows")
            .iter()
            .find(|r| r["metric"] == metric && r["day"] == day)
            .and_then(|r| r["median"].as_f64())
            .unwrap_or_else(|| panic!("no {metric} at day {day}: {json}"))
    };
    let numbness_kept = at("numbness", 365) / at("numbness", 0);
    let leg_kept = at("leg_pain", 365) / at("leg_pain", 0);
    assert!(
        numbness_kept > leg_kept,
        "numbness keeps {numbness_kept:.2} of its start, leg pain {leg_kept:.2}"
    );
    assert!((at("numbness", 365) - 2.2).abs() < 0.05, "6 × 1.26 / 3.49");
    // Without a value before surgery there is no numbness expectation.
    let without = run_ok(&[
        "expected",
        "--approach",
        "mis",
        "--back",
        "7",
        "--leg",
        "6",
        "--days",
        "0,365",
    ]);
    assert!(!without.contains("numbness"), "{without}");
}

#[test]
fn numbness_before_surgery_is_corrected_and_logged() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    run_ok(&[
        "patient",
        "set",
        "--db",
        &db,
        "--patient",
        "2",
        "--numbness",
        "8",
    ]);
    let shown = run_ok(&["patient", "show", "--db", &db, "--patient", "2"]);
    assert!(shown.contains("numbness 8"), "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("changed ") && l.contains("numbness 8")),
        "the change is logged: {shown}"
    );
    let refused = run(&[
        "patient",
        "set",
        "--db",
        &db,
        "--patient",
        "2",
        "--numbness",
        "11",
    ]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("numbness"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn expected_knows_four_approaches_and_not_sure_is_open_surgery() {
    let expected = |approach: &str| {
        run_ok(&[
            "expected",
            "--approach",
            approach,
            "--back",
            "7",
            "--leg",
            "6",
            "--days",
            "0,7,90,365",
        ])
    };
    let all: Vec<String> = ["open", "mis", "lateral", "anterior"]
        .into_iter()
        .map(expected)
        .collect();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b, "each approach has its own expected course");
        }
    }
    assert_eq!(expected("not-sure"), all[0]);
    assert_eq!(expected("not_sure"), all[0], "the stored code works too");
    // Without an ODI before surgery the lateral cohort's own start is used
    // (59 in its source).
    let odi = run_ok(&[
        "expected",
        "--approach",
        "lateral",
        "--back",
        "7",
        "--leg",
        "6",
        "--days",
        "0",
    ]);
    assert!(odi.contains("odi,0,59.0"), "{odi}");
}

/// A protocol file of format 1 (before nerve metrics and lateral or
/// anterior data) still loads: lateral patients get the minimally invasive
/// figures, anterior ones the open figures, and numbness has no expectation.
#[test]
fn a_format_1_protocol_file_still_works_for_every_approach() {
    let dir = temp_dir();
    let db = file_in(&dir, "d.db");
    let db = path_str(&db);
    run_ok(&["demo", "--db", db, "--patients", "8", "--days", "60"]);
    let old = "tests/fixtures/protocol-format-1.toml";
    for id in ["1", "4", "7"] {
        let status = run_ok(&["--protocol", old, "status", "--db", db, "--patient", id]);
        assert!(status.contains("Back pain:"), "{status}");
        assert!(!status.contains("Leg numbness:"), "{status}");
    }
    let expected = |approach: &str| {
        run_ok(&[
            "--protocol",
            old,
            "expected",
            "--approach",
            approach,
            "--back",
            "7",
            "--leg",
            "6",
            "--days",
            "0,42,365",
        ])
    };
    assert_eq!(expected("lateral"), expected("mis"));
    assert_eq!(expected("anterior"), expected("open"));
    let pdf = file_in(&dir, "r.pdf");
    run_ok(&[
        "--protocol",
        old,
        "report",
        "--db",
        db,
        "--patient",
        "4",
        "-o",
        path_str(&pdf),
    ]);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));
}

/// The body map leaves as its own CSV table, and the JSON and FHIR
/// exports carry it (their round trips are checked with the demo data).
#[test]
fn the_symptom_map_is_a_csv_table_of_its_own() {
    let dir = temp_dir();
    let db = file_in(&dir, "d.db");
    let db = path_str(&db);
    run_ok(&["demo", "--db", db, "--patients", "4", "--days", "30"]);
    let csv = run_ok(&[
        "export",
        "--db",
        db,
        "--format",
        "csv",
        "--table",
        "symptom-map",
        "--patient",
        "4",
        "-o",
        "-",
    ]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("patient_id,day,side,region,symptom"));
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.iter()
            .any(|r| r.ends_with(",left,front_of_thigh,numbness")),
        "the lateral patient's thigh numbness: {rows:?}"
    );
    assert!(rows.iter().all(|r| r.starts_with("4,")));
    let fhir = run_ok(&[
        "export",
        "--db",
        db,
        "--format",
        "fhir",
        "--patient",
        "4",
        "-o",
        "-",
    ]);
    assert!(fhir.contains("\"symptom-map\"") && fhir.contains("left.front_of_thigh"));
}

/// For every approach, numbness keeps a larger share of its starting score
/// at a year than leg pain does, as every cohort that measured both found.
#[test]
fn numbness_recovers_less_than_leg_pain_after_every_approach() {
    for approach in ["open", "mis", "lateral", "anterior"] {
        let json = run_ok(&[
            "expected",
            "--approach",
            approach,
            "--back",
            "7",
            "--leg",
            "10",
            "--odi",
            "55",
            "--numbness",
            "10",
            "--days",
            "0,42,90,365",
            "--format",
            "json",
        ]);
        let rows: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let at_year = |metric: &str| {
            rows.as_array()
                .expect("rows")
                .iter()
                .find(|r| r["metric"] == metric && r["day"] == 365)
                .and_then(|r| r["median"].as_f64())
                .expect("a value at day 365")
        };
        assert!(
            at_year("numbness") > at_year("leg_pain"),
            "{approach}: numbness {} should keep more than leg pain {} (both from 10)",
            at_year("numbness"),
            at_year("leg_pain")
        );
    }
}

#[test]
fn a_date_at_the_edge_of_the_calendar_is_refused_not_a_crash() {
    let dir = temp_dir();
    let db = demo_db(&dir);
    for args in [
        vec![
            "status",
            "--db",
            &db,
            "--patient",
            "1",
            "--on=-262143-01-01",
        ],
        vec![
            "report",
            "--db",
            &db,
            "--patient",
            "1",
            "--to=-262143-01-02",
            "-o",
            "-",
        ],
        vec!["status", "--db", &db, "--patient", "1", "--on=+12345-01-01"],
    ] {
        let output = run(&args);
        assert_ne!(output.status.code(), Some(101), "{args:?} panicked");
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains("is outside the years 1 to 9999"),
            "{args:?}: {message}"
        );
    }
}

/// The manual pages and completions a package installs come from the same
/// clap definitions, offer no hidden test command, and bash's can complete
/// a command's options (`clap_complete` misspells a hyphenated program's
/// subcommands, mended in `package-files`).
#[test]
fn package_files_write_man_pages_and_completions_without_hidden_commands() {
    let dir = temp_dir();
    let out = dir.path().join("package");
    run_ok(&["package-files", "--out", path_str(&out)]);
    let man = std::fs::read_to_string(out.join("man/recovery-tracker.1")).expect("the page");
    assert!(man.contains("import preview"), "FILE is described");
    for command in ["gui", "export", "import", "status", "patient-set", "backup"] {
        assert!(
            out.join(format!("man/recovery-tracker-{command}.1"))
                .is_file(),
            "{command}'s page"
        );
    }
    assert!(!out.join("man/recovery-tracker-stress-save.1").exists());
    for file in [
        "recovery-tracker.bash",
        "_recovery-tracker",
        "recovery-tracker.fish",
    ] {
        let script = std::fs::read_to_string(out.join("completions").join(file)).expect(file);
        for hidden in ["stress-save", "package-files", "--today", "--now"] {
            assert!(!script.contains(hidden), "{file} offers {hidden}");
        }
        assert!(script.contains("expected"), "{file} offers the commands");
    }
    let bash =
        std::fs::read_to_string(out.join("completions/recovery-tracker.bash")).expect("bash");
    assert!(
        !bash.contains("recovery__subcmd__tracker"),
        "one spelling of the commands"
    );
    assert!(
        bash.contains("recovery__tracker__subcmd__export)"),
        "export's options complete"
    );
}

/// The crash-test writer never replaces a real day: it writes only after
/// the patient's last check-in.
#[test]
fn stress_save_refuses_to_write_over_existing_days() {
    let dir = temp_dir();
    let path = file_in(&dir, "mine.db");
    let (mut store, patient) = store_with_patient(&path);
    store
        .save_check_in(patient, &check_in("2026-11-20", 4))
        .expect("a real day");
    drop(store);
    let out = run(&[
        "stress-save",
        "--db",
        path_str(&path),
        "--patient",
        &patient.0.to_string(),
        "--start",
        "2026-11-01",
        "--count",
        "3",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("never replaces"), "{}", stderr(&out));
    let kept = recovery_tracker::store::Store::open_read_only(&path)
        .expect("read")
        .check_ins(patient)
        .expect("check-ins");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].back_pain, 4);
}
