//! A patient who starts using the app on day 10 after surgery: nothing
//! before that day is judged. No milestone whose usual window ended before
//! day 10 is "later than usual" (it is asked about), no missed-day flag or
//! exercise week starts before day 10, and `status --format json` says the
//! same as the window's analysis.

mod common;

use common::*;
use recovery_tracker::analysis::program::{MilestoneState, program_summary};
use recovery_tracker::analysis::review::{FlagKind, flags, weekly_summaries};
use recovery_tracker::protocol::Protocol;
use recovery_tracker::store::Store;

/// Surgery on 1 October, set up on the 11th (day 10), checked in every
/// day from then to today (25 November) but for a week in November.
fn late_starter(path: &std::path::Path) -> recovery_tracker::model::PatientId {
    let mut store = Store::open(path).expect("open");
    let set_up = day("2026-10-11")
        .and_hms_opt(10, 0, 0)
        .expect("time")
        .and_utc();
    let id = store
        .create_patient(&details("Day Ten"), Some(&baseline()), set_up)
        .expect("create");
    for d in day("2026-10-11").iter_days().take_while(|d| *d <= today()) {
        if d < day("2026-11-02") || d > day("2026-11-08") {
            store
                .save_check_in(id, &check_in(&d.to_string(), 4))
                .expect("check in");
        }
    }
    id
}

#[test]
fn nothing_before_the_first_day_of_use_is_judged() {
    let dir = temp_dir();
    let path = file_in(&dir, "late.db");
    let id = late_starter(&path);
    let store = Store::open_read_only(&path).expect("read");
    let record = store.patient_record(id).expect("record");
    assert_eq!(record.tracking_start(), day("2026-10-11"));
    let protocol = Protocol::embedded().expect("protocol");
    let surgery = record.patient.details.surgery_date;

    let summary = program_summary(&protocol, &record, day("2026-10-11"));
    for m in &summary.milestones {
        if i64::from(m.window[1]) < 10 {
            assert_eq!(m.state, MilestoneState::Ask, "{}", m.label);
        }
    }
    assert_eq!(summary.milestones_later_than_usual, 0);

    let found = flags(&protocol, &record, surgery, today());
    let missed: Vec<_> = found
        .iter()
        .filter(|f| f.kind == FlagKind::MissedDays)
        .collect();
    assert_eq!(missed.len(), 1, "only the week in November: {missed:?}");
    assert!(missed[0].reason.contains("2 Nov"), "{}", missed[0].reason);

    let weeks = weekly_summaries(&protocol, &record, surgery, today());
    let first = weeks.first().expect("weeks");
    assert_eq!(first.week, 1, "no week 0 row: the patient was in hospital");
    assert!(
        weeks.iter().all(|w| w.adherence.prescribed_sessions > 0),
        "no week of 0 % before the app was used"
    );

    // The command line agrees with the window's analysis.
    let json = run_ok(&[
        "status",
        "--db",
        path_str(&path),
        "--patient",
        &id.0.to_string(),
        "--on",
        "2026-10-11",
        "--format",
        "json",
    ]);
    let status: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        status["program"]["milestones_later_than_usual"],
        serde_json::json!(0)
    );
    let states: Vec<&str> = status["program"]["milestones"]
        .as_array()
        .expect("milestones")
        .iter()
        .filter_map(|m| m["state"].as_str())
        .collect();
    let window_states: Vec<String> = summary
        .milestones
        .iter()
        .map(|m| {
            serde_json::to_value(m.state)
                .expect("state")
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(states, window_states);
    assert!(states.contains(&"ask"));
}
