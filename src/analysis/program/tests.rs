use super::*;
use crate::model::{Approach, CustomMilestone, ExerciseLog, PatientDetails, PatientId, Procedure};
use chrono::DateTime;

fn day(s: &str) -> NaiveDate {
    crate::model::parse_day(s).expect("test date")
}

fn protocol() -> Protocol {
    Protocol::embedded().expect("embedded protocol")
}

fn patient() -> Patient {
    Patient {
        id: PatientId(1),
        details: PatientDetails {
            name: "P".into(),
            date_of_birth: None,
            surgery_date: day("2026-01-01"),
            procedure: Procedure::Tlif,
            approach: Approach::MinimallyInvasive,
            levels: "L4–L5".into(),
            surgeon: None,
            clinic: None,
            team_phone: None,
            discharged_on: None,
        },
        archived: false,
        created_at: DateTime::UNIX_EPOCH,
        first_used_on: None,
    }
}

/// A record of `patient()` with a plan, logs and milestones.
fn record(
    plan: &[PlanItem],
    logs: &[ExerciseLog],
    milestones: Vec<MilestoneRecord>,
) -> PatientRecord {
    PatientRecord {
        plan: plan.to_vec(),
        exercise_logs: logs.to_vec(),
        milestones,
        ..PatientRecord::empty(patient())
    }
}

#[test]
fn milestone_windows_include_their_first_and_last_day() {
    let window = [14, 42];
    assert_eq!(
        milestone_state(window, Some(13), 50, 0),
        MilestoneState::Early
    );
    assert_eq!(
        milestone_state(window, Some(14), 50, 0),
        MilestoneState::InWindow
    );
    assert_eq!(
        milestone_state(window, Some(42), 50, 0),
        MilestoneState::InWindow
    );
    assert_eq!(
        milestone_state(window, Some(43), 50, 0),
        MilestoneState::Late
    );
    assert_eq!(
        milestone_state(window, None, 13, 0),
        MilestoneState::Upcoming
    );
    assert_eq!(milestone_state(window, None, 14, 0), MilestoneState::DueNow);
    assert_eq!(milestone_state(window, None, 42, 0), MilestoneState::DueNow);
    assert_eq!(
        milestone_state(window, None, 43, 0),
        MilestoneState::NotYetLate
    );
}

#[test]
fn statuses_cover_protocol_and_custom_milestones_in_window_order() {
    let p = protocol();
    let records = vec![
        MilestoneRecord {
            key: "drive".into(),
            custom: None,
            achieved_on: Some(day("2026-03-01")),
        },
        MilestoneRecord {
            key: "custom-1".into(),
            custom: Some(CustomMilestone {
                label: "Walk the dog".into(),
                window_from: 20,
                window_to: 30,
            }),
            achieved_on: None,
        },
    ];
    let statuses = milestone_statuses(&p, &record(&[], &[], records), day("2026-03-10"));
    assert_eq!(statuses.len(), p.milestones.len() + 1);
    assert!(
        statuses
            .windows(2)
            .all(|w| w[0].window[0] <= w[1].window[0])
    );
    let drive = statuses.iter().find(|s| s.key == "drive").expect("drive");
    // Day 59 against the MIS window 14–42.
    assert_eq!(drive.state, MilestoneState::Late);
    let dog = statuses
        .iter()
        .find(|s| s.key == "custom-1")
        .expect("custom");
    assert!(dog.custom);
    assert_eq!(dog.state, MilestoneState::NotYetLate);
}

fn item(key: &str, times: u8, start: &str, end: Option<&str>) -> PlanItem {
    PlanItem {
        id: None,
        exercise_key: key.into(),
        name: key.into(),
        instructions: String::new(),
        dose: Dose {
            sets: 1,
            reps: Some(10),
            times_per_day: times,
            ..Dose::default()
        },
        start_day: day(start),
        end_day: end.map(day),
    }
}

fn log(on: &str, key: &str, sessions: u8) -> ExerciseLog {
    ExerciseLog {
        day: day(on),
        exercise_key: key.into(),
        sessions,
        pain: None,
    }
}

/// Set up on day 10: what happened before is asked about, never called
/// late, and no exercise before it counts as missed.
#[test]
fn nothing_before_the_tracking_start_is_judged() {
    assert_eq!(milestone_state([0, 3], None, 10, 10), MilestoneState::Ask);
    assert_eq!(
        milestone_state([0, 3], Some(2), 10, 10),
        MilestoneState::InWindow
    );
    assert_eq!(
        milestone_state([5, 14], None, 20, 10),
        MilestoneState::NotYetLate
    );
    assert!(!MilestoneState::Ask.later_than_usual());

    let p = protocol();
    let mut late_start = record(&[], &[], Vec::new());
    late_start.patient.first_used_on = Some(day("2026-01-11"));
    let statuses = milestone_statuses(&p, &late_start, day("2026-01-11"));
    let first_walk = statuses
        .iter()
        .find(|s| s.key == "first_walk")
        .expect("first walk");
    assert_eq!(first_walk.state, MilestoneState::Ask);
    assert!(statuses.iter().all(|s| !s.state.later_than_usual()));

    let before = adherence(&p, &late_start, day("2026-01-01"), day("2026-01-10"));
    assert_eq!(
        before.percent(),
        None,
        "the days in hospital are not counted"
    );
    let after = adherence(&p, &late_start, day("2026-01-01"), day("2026-01-11"));
    assert!(after.prescribed_sessions > 0);
}

#[test]
fn without_an_own_plan_the_protocol_phase_is_prescribed() {
    let p = protocol();
    let early = prescribed_on(&p, &patient(), &[], day("2026-01-10"));
    assert!(early.iter().any(|e| e.exercise_key == "ankle_pumps"));
    let later = prescribed_on(&p, &patient(), &[], day("2026-03-01"));
    assert!(later.iter().any(|e| e.exercise_key == "bridge"));
    assert!(
        prescribed_on(&p, &patient(), &[], day("2025-12-31")).is_empty(),
        "nothing before surgery"
    );
}

#[test]
fn changing_a_dose_today_does_not_change_last_weeks_adherence() {
    let p = protocol();
    let plan_before = vec![item("bridge", 2, "2026-02-01", None)];
    let logs = vec![
        log("2026-02-02", "bridge", 2),
        log("2026-02-03", "bridge", 1),
        log("2026-02-04", "bridge", 3),
    ];
    let week = |plan: &[PlanItem]| {
        adherence(
            &p,
            &record(plan, &logs, Vec::new()),
            day("2026-02-02"),
            day("2026-02-08"),
        )
    };
    let before = week(&plan_before);
    assert_eq!(before.prescribed_sessions, 14);
    // 2 + 1 + 2 (the third session on the 4th does not count twice).
    assert_eq!(before.done_sessions, 5);

    // On the 10th the physiotherapist raises it to 3 a day.
    let plan_after = vec![
        item("bridge", 2, "2026-02-01", Some("2026-02-10")),
        item("bridge", 3, "2026-02-10", None),
    ];
    assert_eq!(week(&plan_after), before);
    let next_week = adherence(
        &p,
        &record(&plan_after, &logs, Vec::new()),
        day("2026-02-10"),
        day("2026-02-16"),
    );
    assert_eq!(next_week.prescribed_sessions, 21);
    assert_eq!(next_week.done_sessions, 0);
}

#[test]
fn missed_days_and_unprescribed_exercises_count_as_expected() {
    let p = protocol();
    let plan = vec![
        item("walk", 3, "2026-02-01", None),
        item("bridge", 1, "2026-02-01", None),
    ];
    let logs = vec![
        log("2026-02-02", "walk", 3),
        log("2026-02-02", "bridge", 1),
        // Not prescribed: ignored.
        log("2026-02-02", "bird_dog", 2),
        log("2026-02-05", "walk", 1),
    ];
    let a = adherence(
        &p,
        &record(&plan, &logs, Vec::new()),
        day("2026-02-02"),
        day("2026-02-08"),
    );
    assert_eq!(a.prescribed_sessions, 7 * 4);
    assert_eq!(a.done_sessions, 5);
    assert_eq!(a.percent().map(|v| v.round()), Some(18.0));
    let nothing = adherence(
        &p,
        &record(&plan, &[], Vec::new()),
        day("2025-12-01"),
        day("2025-12-07"),
    );
    assert_eq!(nothing.percent(), None, "nothing prescribed before surgery");
}

#[test]
fn the_first_edit_starts_from_the_current_phase() {
    let p = protocol();
    let items = plan_from_protocol(&p, &patient(), day("2026-01-20"));
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i.start_day == day("2026-01-20") && i.end_day.is_none())
    );
    // Before the own plan starts, the protocol still decides.
    let before = prescribed_on(&p, &patient(), &items, day("2026-01-19"));
    assert_eq!(before.len(), items.len());
    assert!(before.iter().all(|e| e.plan_item.is_none()));
}

#[test]
fn a_window_borrowed_from_another_approach_says_it_is_an_assumption() {
    let p = protocol();
    let mut lateral = record(&[], &[], Vec::new());
    lateral.patient.details.approach = Approach::Lateral;
    let statuses = milestone_statuses(&p, &lateral, day("2026-03-10"));
    let source = |key: &str| {
        statuses
            .iter()
            .find(|s| s.key == key)
            .and_then(|s| s.source.clone())
            .expect("a protocol milestone")
    };
    // "home" has a lateral window of its own; "drive" borrows the MIS one.
    assert!(!source("home").contains("is an assumption"));
    assert!(
        source("drive").starts_with("The window for lateral fusion from the side is an assumption")
    );
    let mis = milestone_statuses(&p, &record(&[], &[], Vec::new()), day("2026-03-10"));
    assert!(mis.iter().all(|s| {
        !s.source
            .as_deref()
            .unwrap_or("")
            .starts_with("The window for")
    }));
}
