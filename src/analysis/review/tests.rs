use super::*;
use crate::model::{
    Approach, Baseline, Patient, PatientDetails, PatientId, Procedure, WarningSymptom,
    WarningSymptoms,
};
use chrono::DateTime;

fn day(s: &str) -> NaiveDate {
    crate::model::parse_day(s).expect("test date")
}

fn protocol() -> Protocol {
    Protocol::embedded().expect("embedded protocol")
}

fn record(check_ins: Vec<CheckIn>) -> PatientRecord {
    PatientRecord {
        patient: Patient {
            id: PatientId(1),
            details: PatientDetails {
                name: "P".into(),
                date_of_birth: None,
                surgery_date: day("2026-01-01"),
                procedure: Procedure::Tlif,
                approach: Approach::Open,
                levels: "L4–L5".into(),
                surgeon: None,
                clinic: None,
                team_phone: None,
                discharged_on: None,
            },
            archived: false,
            created_at: DateTime::UNIX_EPOCH,
            first_used_on: None,
        },
        baseline: Some(Baseline {
            back_pain: 7,
            leg_pain: 6,
            walking_minutes: 20,
            sitting_minutes: 20,
            odi: Some(45),
            numbness: None,
            tingling: None,
            clinician_reason: None,
        }),
        check_ins,
        odi_entries: Vec::new(),
        milestones: Vec::new(),
        plan: Vec::new(),
        exercise_logs: Vec::new(),
        visit_notes: Vec::new(),
        flag_reviews: Vec::new(),
        changes: Vec::new(),
        psfs_activities: Vec::new(),
        psfs_ratings: Vec::new(),
    }
}

fn c(on: NaiveDate, back: u8, leg: u8) -> CheckIn {
    CheckIn {
        day: on,
        back_pain: back,
        leg_pain: leg,
        walking_minutes: 30,
        sitting_minutes: 30,
        sleep_quality: 6,
        opioid_doses: 1,
        warning_symptoms: WarningSymptoms::default(),
        note: String::new(),
        nerves: None,
        body_map: Default::default(),
    }
}

/// Daily check-ins over `first..=last` except the days in `skip`.
fn daily(first: &str, last: &str, skip: &[&str], back: u8) -> Vec<CheckIn> {
    let skip: Vec<NaiveDate> = skip.iter().map(|s| day(s)).collect();
    day(first)
        .iter_days()
        .take_while(|d| *d <= day(last))
        .filter(|d| !skip.contains(d))
        .map(|d| c(d, back, 1))
        .collect()
}

fn kinds(flags: &[Flag], kind: FlagKind) -> Vec<&Flag> {
    flags.iter().filter(|f| f.kind == kind).collect()
}

#[test]
fn two_missed_days_are_no_flag_three_are() {
    let p = protocol();
    let two = record(daily(
        "2026-02-01",
        "2026-02-20",
        &["2026-02-10", "2026-02-11"],
        3,
    ));
    assert!(
        kinds(
            &flags(&p, &two, day("2026-02-01"), day("2026-02-20")),
            FlagKind::MissedDays
        )
        .is_empty()
    );
    let three = record(daily(
        "2026-02-01",
        "2026-02-20",
        &["2026-02-10", "2026-02-11", "2026-02-12"],
        3,
    ));
    let f = flags(&p, &three, day("2026-02-01"), day("2026-02-20"));
    let missed = kinds(&f, FlagKind::MissedDays);
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].reason, "No check-in for 3 days (10 Feb–12 Feb)");
    // A gap that runs up to the last day counts too.
    let ongoing = record(daily("2026-02-01", "2026-02-17", &[], 3));
    let f = flags(&p, &ongoing, day("2026-02-01"), day("2026-02-20"));
    assert!(
        kinds(&f, FlagKind::MissedDays)[0]
            .reason
            .ends_with("up to now)")
    );
}

#[test]
fn a_rise_of_two_points_is_a_flag_and_of_less_is_not() {
    let p = protocol();
    let mut days = daily("2026-02-01", "2026-02-17", &[], 3);
    days.extend([
        c(day("2026-02-18"), 5, 1),
        c(day("2026-02-19"), 5, 1),
        c(day("2026-02-20"), 5, 1),
    ]);
    let f = flags(
        &p,
        &record(days.clone()),
        day("2026-02-10"),
        day("2026-02-20"),
    );
    let rises = kinds(&f, FlagKind::PainRise);
    assert_eq!(rises.len(), 1, "one flag for one rise: {rises:?}");
    assert!(
        rises[0].reason.starts_with("Back pain up 2.0 points"),
        "{}",
        rises[0].reason
    );

    for d in days.iter_mut().filter(|d| d.back_pain == 5) {
        d.back_pain = 4;
    }
    let f = flags(&p, &record(days), day("2026-02-10"), day("2026-02-20"));
    assert!(
        kinds(&f, FlagKind::PainRise).is_empty(),
        "a rise of 1.0 is not flagged"
    );
}

#[test]
fn every_warning_symptom_day_is_flagged_first() {
    let p = protocol();
    let mut days = daily(
        "2026-02-01",
        "2026-02-20",
        &["2026-02-10", "2026-02-11", "2026-02-12"],
        3,
    );
    days[5].warning_symptoms.set(WarningSymptom::Fever, true);
    let f = flags(&p, &record(days), day("2026-02-01"), day("2026-02-20"));
    assert_eq!(
        f[0].kind,
        FlagKind::WarningSymptom,
        "the most urgent comes first"
    );
    assert!(f[0].reason.contains("Fever"));
}

#[test]
fn saddle_numbness_on_the_map_is_an_emergency_flag_even_unticked() {
    let p = protocol();
    let mut days = daily("2026-02-01", "2026-02-20", &[], 3);
    days[5].body_map.set(
        crate::model::Mark {
            side: crate::model::BodySide::Middle,
            region: crate::model::Region::Saddle,
            symptom: crate::model::MapSymptom::Numbness,
        },
        true,
    );
    assert!(
        days[5].warning_symptoms.is_empty(),
        "the box was left unticked"
    );
    let f = flags(&p, &record(days), day("2026-02-01"), day("2026-02-20"));
    assert_eq!(
        (f[0].kind, f[0].tier),
        (FlagKind::WarningSymptom, Tier::Emergency)
    );
    assert!(f[0].reason.contains("saddle"), "{}", f[0].reason);
}

#[test]
fn behind_for_one_week_is_no_flag_two_weeks_are() {
    let p = protocol();
    // Weeks 8 and 9 (days 56–69) at back pain 9: far behind.
    let mut days = daily("2026-02-12", "2026-02-25", &[], 2);
    days.extend(daily("2026-02-26", "2026-03-04", &[], 9));
    let one = flags(
        &p,
        &record(days.clone()),
        day("2026-02-12"),
        day("2026-03-04"),
    );
    assert!(kinds(&one, FlagKind::BehindTwoWeeks).is_empty());
    days.extend(daily("2026-03-05", "2026-03-11", &[], 9));
    let two = flags(&p, &record(days), day("2026-02-12"), day("2026-03-11"));
    let behind = kinds(&two, FlagKind::BehindTwoWeeks);
    assert!(
        behind
            .iter()
            .any(|f| f.reason.starts_with("Back pain behind")),
        "{behind:?}"
    );
}

#[test]
fn weekly_summary_numbers_of_a_hand_made_week() {
    let p = protocol();
    // Week 5 after surgery on 2026-01-01 is 2026-02-05 to 2026-02-11.
    let mut days = vec![
        c(day("2026-02-05"), 4, 2),
        c(day("2026-02-06"), 5, 3),
        c(day("2026-02-08"), 3, 1),
    ];
    days[1].opioid_doses = 3;
    days[2].warning_symptoms.set(WarningSymptom::Fall, true);
    let weeks = weekly_summaries(&p, &record(days), day("2026-02-05"), day("2026-02-11"));
    assert_eq!(weeks.len(), 1);
    let w = &weeks[0];
    assert_eq!(w.week, 5);
    assert_eq!(w.check_ins, 3);
    assert_eq!(w.back_pain, Some(4.0));
    assert_eq!(w.leg_pain, Some(2.0));
    assert_eq!(w.opioid_doses, 1 + 3 + 1);
    assert_eq!(w.warning_days, 1);
    assert!(w.adherence.prescribed_sessions > 0);
    assert_eq!(w.adherence.done_sessions, 0);
}

#[test]
fn a_period_is_compared_with_the_one_before() {
    let p = protocol();
    let mut days = daily("2026-02-01", "2026-02-14", &[], 5);
    days.extend(daily("2026-02-15", "2026-02-28", &[], 3));
    let (now, before) =
        compare_with_previous(&p, &record(days), day("2026-02-15"), day("2026-02-28"));
    assert_eq!((now.back_pain, before.back_pain), (Some(3.0), Some(5.0)));
    assert_eq!(
        (before.first_day, before.last_day),
        (day("2026-02-01"), day("2026-02-14"))
    );
}

/// An emergency sign sorts above a same-day one, which sorts above an
/// early watch (a quiet note, in the clinician's words); a patient with
/// nothing flagged carries no flag.
#[test]
fn the_patient_list_sorts_by_tier() {
    let p = protocol();
    let today = day("2026-02-19"); // day 49: inside the 6–12 week watch
    let with_sign = |id: i64, name: &str, sign: Option<WarningSymptom>, back: u8| {
        let mut r = record(daily("2026-01-02", "2026-02-19", &[], back));
        r.patient.id = PatientId(id);
        r.patient.details.name = name.into();
        // Every prescribed session done: no exercise note.
        for c in &r.check_ins {
            for e in super::super::program::prescribed_on(&p, &r.patient, &[], c.day) {
                r.exercise_logs.push(crate::model::ExerciseLog {
                    day: c.day,
                    exercise_key: e.exercise_key,
                    sessions: e.dose.times_per_day,
                    pain: None,
                });
            }
        }
        if let (Some(sign), Some(last)) = (sign, r.check_ins.last_mut()) {
            last.warning_symptoms.set(sign, true);
        }
        let last = r.check_ins.last().map(|c| c.day);
        (r, last)
    };
    let records = vec![
        with_sign(1, "A watch", None, 4),
        with_sign(2, "B nothing", None, 1),
        with_sign(3, "C fever", Some(WarningSymptom::Fever), 1),
        with_sign(4, "D saddle", Some(WarningSymptom::SaddleNumbness), 1),
    ];
    let rows = overview_rows(&p, &records, today);
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["D saddle", "C fever", "A watch", "B nothing"]);
    let tiers: Vec<Option<Tier>> = rows.iter().map(OverviewRow::top_tier).collect();
    assert_eq!(
        tiers,
        [
            Some(Tier::Emergency),
            Some(Tier::SameDay),
            Some(Tier::Note),
            None
        ]
    );
    let watch = &rows[2].open_flags[0];
    assert_eq!(watch.kind, FlagKind::EarlyWatch);
    assert!(
        watch
            .reason
            .starts_with("back pain 7-day average 4.0 at week 7, above 2.25"),
        "{}",
        watch.reason
    );
    assert!(!watch.reason.contains("Your"), "not the patient's words");
}

/// The patient list reads only [`OVERVIEW_HISTORY_DAYS`] of check-ins (and
/// the days before surgery): the rule that looks furthest back, "behind two
/// weeks in a row", must still see the whole of the week before the first
/// week that ends in the flagged two weeks, whatever the weekday of the
/// operation. That week here has just enough check-ins for a verdict, one
/// of them on its first day.
#[test]
fn the_lists_trimmed_history_gives_each_patient_the_same_row_as_the_whole_record() {
    let p = protocol();
    let today = day("2026-03-20");
    let reads = overview_reads(today);
    for offset in 0..7 {
        let mut whole = record(Vec::new());
        let surgery = day("2026-01-01") + Days::new(offset);
        whole.patient.details.surgery_date = surgery;
        let from = today - Days::new(OVERVIEW_DAYS - 1);
        let first_week = whole.patient.week_since_surgery(from);
        let sparse = week_start(&whole, first_week - 1).expect("a week");
        let sparse_days = [sparse, sparse + Days::new(3), sparse + Days::new(5)];
        whole.check_ins = (surgery + Days::new(1))
            .iter_days()
            .take_while(|d| *d <= today)
            .filter(|d| *d < sparse || *d > sparse + Days::new(6) || sparse_days.contains(d))
            .map(|d| c(d, 10, 9))
            .collect();
        let mut trimmed = whole.clone();
        trimmed.check_ins.retain(|c| c.day >= reads.check_ins_from);
        let last = whole.check_ins.last().map(|c| c.day);
        let row = overview(&p, &whole, today, last);
        assert!(
            row.open_flags
                .iter()
                .any(|f| f.kind == FlagKind::BehindTwoWeeks
                    && f.key.ends_with(&format!(":{first_week}"))),
            "surgery on {surgery}: the first flagged week is behind after the sparse one: {:?}",
            row.open_flags
        );
        assert_eq!(
            overview(&p, &trimmed, today, last),
            row,
            "surgery on {surgery}"
        );
    }
}
