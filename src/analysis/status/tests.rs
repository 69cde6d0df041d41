use super::*;
use crate::analysis::OwnBaseline;
use crate::model::{Approach, PatientDetails, PatientId, Procedure, WarningSymptoms};
use chrono::DateTime;

fn day(s: &str) -> NaiveDate {
    crate::model::parse_day(s).expect("test date")
}

fn protocol() -> Protocol {
    Protocol::embedded().expect("embedded protocol")
}

fn patient(approach: Approach) -> Patient {
    Patient {
        id: PatientId(1),
        details: PatientDetails {
            name: "P".into(),
            date_of_birth: None,
            surgery_date: day("2026-01-01"),
            procedure: Procedure::Tlif,
            approach,
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

fn baseline() -> Baseline {
    Baseline {
        back_pain: 7,
        leg_pain: 6,
        walking_minutes: 20,
        sitting_minutes: 20,
        odi: Some(45),
        numbness: None,
        tingling: None,
        clinician_reason: None,
    }
}

fn check_in(on: NaiveDate, back: u8, leg: u8) -> CheckIn {
    CheckIn {
        day: on,
        back_pain: back,
        leg_pain: leg,
        walking_minutes: 30,
        sitting_minutes: 30,
        sleep_quality: 6,
        opioid_doses: 0,
        warning_symptoms: WarningSymptoms::default(),
        note: String::new(),
        nerves: None,
        body_map: Default::default(),
    }
}

/// Check-ins on each of the `days` days ending on `last`.
fn daily(last: NaiveDate, days: u64, back: u8, leg: u8) -> Vec<CheckIn> {
    (0..days)
        .rev()
        .map(|back_days| check_in(last - Days::new(back_days), back, leg))
        .collect()
}

#[test]
fn exactly_on_a_band_edge_is_on_track() {
    let band = ExpectedPoint {
        day: 42.0,
        median: 3.0,
        low: 2.0,
        high: 4.0,
    };
    assert_eq!(verdict(Better::Lower, 4.0, &band), Verdict::OnTrack);
    assert_eq!(verdict(Better::Lower, 2.0, &band), Verdict::OnTrack);
    assert_eq!(verdict(Better::Lower, 4.01, &band), Verdict::Behind);
    assert_eq!(verdict(Better::Lower, 1.99, &band), Verdict::Ahead);
    assert_eq!(verdict(Better::Higher, 4.01, &band), Verdict::Ahead);
    assert_eq!(verdict(Better::Higher, 1.99, &band), Verdict::Behind);
}

#[test]
fn no_check_ins_yet_is_not_enough_data() {
    let p = protocol();
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &[],
        &[],
        day("2026-02-12"),
    );
    assert_eq!(status.days_since_surgery, 42);
    assert_eq!(status.week, 6);
    let back = status.metric(MetricKey::BackPain).expect("back pain");
    assert_eq!(back.verdict, Verdict::NotEnoughData);
    assert!(back.expected.is_some(), "the expected range is still known");
    assert_eq!(back.mcid_reached, None);
}

#[test]
fn missed_days_leave_too_few_values_for_a_verdict() {
    let p = protocol();
    let on = day("2026-02-12");
    let two = vec![check_in(on - Days::new(5), 3, 1), check_in(on, 3, 1)];
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &two,
        &[],
        on,
    );
    let back = status.metric(MetricKey::BackPain).expect("back pain");
    assert_eq!(back.recent.map(|r| r.count), Some(2));
    assert_eq!(back.verdict, Verdict::NotEnoughData);

    let mut three = two.clone();
    three.insert(1, check_in(on - Days::new(3), 3, 1));
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &three,
        &[],
        on,
    );
    assert_ne!(
        status.metric(MetricKey::BackPain).map(|m| m.verdict),
        Some(Verdict::NotEnoughData)
    );
}

#[test]
fn verdicts_follow_the_band_at_the_window_day() {
    let p = protocol();
    let on = day("2026-04-01"); // day 90
    let patient = patient(Approach::MinimallyInvasive);
    let band = Trajectory::new(
        &p,
        MetricKey::BackPain,
        Approach::MinimallyInvasive,
        Some(OwnBaseline::entered(7.0)),
    )
    .expect("trajectory")
    .at(87.0);
    assert!(band.low < band.median && band.median < band.high);

    let verdict_for = |back: u8| {
        let check_ins = daily(on, 7, back, 1);
        patient_status(&p, &patient, Some(&baseline()), &check_ins, &[], on)
            .metric(MetricKey::BackPain)
            .map(|m| m.verdict)
    };
    assert_eq!(
        verdict_for(band.median.round() as u8),
        Some(Verdict::OnTrack)
    );
    assert_eq!(verdict_for(9), Some(Verdict::Behind));
    assert_eq!(verdict_for(0), Some(Verdict::Ahead));
}

#[test]
fn a_missing_baseline_falls_back_to_the_cohort_and_says_so() {
    let p = protocol();
    let on = day("2026-02-12");
    let check_ins = daily(on, 7, 3, 2);
    let status = patient_status(&p, &patient(Approach::Open), None, &check_ins, &[], on);
    let back = status.metric(MetricKey::BackPain).expect("back pain");
    assert_eq!(back.baseline_origin, Some(BaselineOrigin::Cohort));
    assert_eq!(back.baseline, Some(6.4));
    let walking = status.metric(MetricKey::WalkingMinutes).expect("walking");
    assert_eq!(
        walking.verdict,
        Verdict::NoExpectation,
        "no published walking baseline"
    );
    assert_eq!(walking.baseline, None);

    let own = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &check_ins,
        &[],
        on,
    );
    let back = own.metric(MetricKey::BackPain).expect("back pain");
    assert_eq!(
        (back.baseline, back.baseline_origin),
        (Some(7.0), Some(BaselineOrigin::Entered))
    );
}

#[test]
fn week_over_week_change_and_meaningful_improvement() {
    let p = protocol();
    let on = day("2026-03-01");
    let mut check_ins = daily(on - Days::new(7), 7, 5, 3);
    check_ins.extend(daily(on, 7, 4, 2));
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &check_ins,
        &[],
        on,
    );
    let back = status.metric(MetricKey::BackPain).expect("back pain");
    assert_eq!(back.change_from_previous(), Some(-1.0));
    // 7 → 4 is a gain of 3 ≥ 1.8.
    assert_eq!(back.mcid_reached, Some(true));
    let leg = status.metric(MetricKey::LegPain).expect("leg pain");
    // 6 → 2 is 4 ≥ 2.4.
    assert_eq!(leg.mcid_reached, Some(true));

    let small = daily(on, 7, 6, 5);
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &small,
        &[],
        on,
    );
    assert_eq!(
        status
            .metric(MetricKey::BackPain)
            .and_then(|m| m.mcid_reached),
        Some(false)
    );
}

#[test]
fn odi_uses_the_latest_total_and_the_relative_threshold() {
    let p = protocol();
    let on = day("2026-04-15");
    let entries = [
        OdiEntry {
            day: day("2026-02-12"),
            total: 40,
        },
        OdiEntry {
            day: day("2026-04-01"),
            total: 31,
        },
    ];
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &[],
        &entries,
        on,
    );
    let odi = status.metric(MetricKey::Odi).expect("odi");
    assert_eq!(odi.recent.map(|r| r.average), Some(31.0));
    assert_eq!(odi.change_from_previous(), Some(-9.0));
    // 45 → 31 is 14 points ≥ 12.8.
    assert_eq!(odi.mcid_reached, Some(true));
    assert_ne!(odi.verdict, Verdict::NotEnoughData);
}

#[test]
fn the_early_watch_speaks_only_between_six_and_twelve_weeks() {
    let p = protocol();
    let at = |on: &str, back: u8| {
        let on = day(on);
        patient_status(
            &p,
            &patient(Approach::Open),
            Some(&baseline()),
            &daily(on, 7, back, 1),
            &[],
            on,
        )
        .watch
    };
    assert!(at("2026-02-01", 5).is_empty(), "week 4 is too early");
    let watch = at("2026-02-19", 3);
    assert_eq!(watch.len(), 1);
    assert!(watch[0].contains("back pain") && watch[0].contains("worth discussing"));
    assert!(at("2026-02-19", 2).is_empty(), "2.0 is not above 2.25");
    assert!(at("2026-05-01", 5).is_empty(), "week 17 is past the window");
}

#[test]
fn before_surgery_there_is_no_verdict() {
    let p = protocol();
    let status = patient_status(
        &p,
        &patient(Approach::Open),
        Some(&baseline()),
        &[],
        &[],
        day("2025-12-20"),
    );
    assert!(status.days_since_surgery < 0);
    assert!(
        status
            .metrics
            .iter()
            .all(|m| m.verdict == Verdict::BeforeSurgery)
    );
}
