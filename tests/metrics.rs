//! Every path that shows a metric's value (the status and its verdict, the
//! review's weekly and period summaries, the chart series of the window and
//! the PDF, the PDF's summary sentences) reads it from one mapping, so for
//! a fixed check-in they all show the same number.

mod common;

use chrono::Days;
use common::{baseline, day, details, today};
use recovery_tracker::analysis::chart::chart_series;
use recovery_tracker::analysis::patient_status;
use recovery_tracker::analysis::review::{period_summary, weekly_summaries};
use recovery_tracker::model::{
    CheckIn, MetricKey, NerveSymptoms, OdiEntry, Patient, PatientId, PatientRecord, VariantArray,
    WarningSymptoms,
};
use recovery_tracker::protocol::Protocol;

/// The same check-in every day for three weeks, and one ODI total.
fn record() -> PatientRecord {
    let first = day("2026-11-04");
    let mut record = PatientRecord::empty(Patient {
        id: PatientId(1),
        details: details("Fixed Values"),
        archived: false,
        created_at: chrono::DateTime::UNIX_EPOCH,
        first_used_on: None,
    });
    record.baseline = Some(baseline());
    record.check_ins = (0..21)
        .map(|i| CheckIn {
            day: first + Days::new(i),
            back_pain: 3,
            leg_pain: 7,
            walking_minutes: 25,
            sitting_minutes: 40,
            sleep_quality: 6,
            opioid_doses: 0,
            warning_symptoms: WarningSymptoms::default(),
            note: String::new(),
            nerves: Some(NerveSymptoms {
                numbness: 4,
                tingling: 2,
                ..NerveSymptoms::NONE
            }),
            body_map: Default::default(),
        })
        .collect();
    record.odi_entries = vec![OdiEntry {
        day: day("2026-11-20"),
        total: 38,
    }];
    record
}

fn expected(key: MetricKey) -> f64 {
    match key {
        MetricKey::BackPain => 3.0,
        MetricKey::LegPain => 7.0,
        MetricKey::Odi => 38.0,
        MetricKey::WalkingMinutes => 25.0,
        MetricKey::Numbness => 4.0,
        MetricKey::Tingling => 2.0,
    }
}

#[test]
fn each_metric_has_the_same_value_on_every_path() {
    let protocol = Protocol::embedded().expect("protocol");
    let record = record();
    let on = day("2026-11-24");
    let patient = &record.patient;
    let status = patient_status(
        &protocol,
        patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        on,
    );
    let weeks = weekly_summaries(&protocol, &record, day("2026-11-05"), on);
    let period = period_summary(&protocol, &record, day("2026-11-10"), on);
    let pdf_lines = recovery_tracker::report::summary_lines(&protocol, &record, on);
    let (first, last) = (
        patient.days_since_surgery(day("2026-11-04")),
        patient.days_since_surgery(today()),
    );
    for &key in MetricKey::VARIANTS {
        let value = expected(key);
        let from_status = status.metric(key).and_then(|m| m.recent).map(|r| r.average);
        assert_eq!(from_status, Some(value), "status, {key:?}");

        let series = chart_series(&protocol, &record, &[], key, first, last).expect("series");
        assert!(!series.values.is_empty(), "chart, {key:?}");
        assert!(
            series.values.iter().all(|(_, v)| *v == value),
            "chart, {key:?}: {:?}",
            series.values
        );
        assert!(
            series.average.iter().all(|(_, v)| *v == value),
            "chart average, {key:?}"
        );

        let label = &protocol.metric(key).expect("metric").label;
        let line = pdf_lines
            .iter()
            .find(|l| l.starts_with(label.as_str()))
            .expect("a PDF line per metric");
        assert!(
            line.starts_with(&format!("{label}: {value:.1}")),
            "PDF summary, {key:?}: {line}"
        );

        // The review's summaries hold the daily metrics (the ODI is a
        // total of its own, not a weekly average).
        let (week, whole) = match key {
            MetricKey::BackPain => (weeks[1].back_pain, period.back_pain),
            MetricKey::LegPain => (weeks[1].leg_pain, period.leg_pain),
            MetricKey::WalkingMinutes => (weeks[1].walking_minutes, period.walking_minutes),
            // The ODI is a total of its own; the weekly table does not
            // carry the optional nerve scores.
            MetricKey::Odi | MetricKey::Numbness | MetricKey::Tingling => continue,
        };
        assert_eq!(week, Some(value), "weekly summary, {key:?}");
        assert_eq!(whole, Some(value), "period summary, {key:?}");
    }
}
