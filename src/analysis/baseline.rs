//! Where each metric's expected course starts: the patient's own days
//! before surgery where there are enough of them, else the values typed at
//! setup, else (in [`super::Trajectory`]) the cohort's typical starting
//! point. A clinician can keep the typed values over the days, with a
//! reason.
//!
//! One remembered number ("how bad was your back pain before surgery?")
//! is a weaker starting point than the average of the days themselves, so
//! the days win when there are at least [`MIN_PRE_OPERATIVE_CHECK_INS`] in
//! the [`PRE_OPERATIVE_DAYS`] before the operation.

use crate::model::{Baseline, CheckIn, MetricKey, MetricSource, OdiEntry, Patient};

/// The days before surgery in which an ODI total is the patient's own
/// starting point.
pub const PRE_OPERATIVE_ODI_DAYS: u64 = 91;
pub use crate::model::{
    MIN_PRE_OPERATIVE_CHECK_INS, PRE_OPERATIVE_BASELINE_DAYS as PRE_OPERATIVE_DAYS,
};
use chrono::Days;
use serde::Serialize;

/// Where the starting value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum BaselineOrigin {
    /// The average of the patient's check-ins in the two weeks before
    /// surgery.
    PreOperativeAverage { check_ins: usize },
    /// Typed values a clinician chose over the days before surgery, with
    /// a reason (kept in [`Baseline::clinician_reason`]).
    Clinician,
    /// The latest ODI total recorded in the three months before surgery.
    PreOperativeTotal,
    /// The values typed at setup.
    Entered,
    /// No value recorded: the cohort's typical starting point is used.
    Cohort,
}

impl BaselineOrigin {
    /// The word in a CSV column.
    pub fn code(self) -> &'static str {
        match self {
            BaselineOrigin::PreOperativeAverage { .. } => "pre_operative_average",
            BaselineOrigin::PreOperativeTotal => "pre_operative_total",
            BaselineOrigin::Clinician => "clinician",
            BaselineOrigin::Entered => "entered",
            BaselineOrigin::Cohort => "cohort",
        }
    }

    /// "the average of 11 check-ins before surgery", for "baseline: …".
    pub fn words(self) -> String {
        match self {
            BaselineOrigin::PreOperativeAverage { check_ins } => format!(
                "the average of {} before surgery",
                crate::words::plural(check_ins as i64, "check-in", "check-ins")
            ),
            BaselineOrigin::PreOperativeTotal => "the total recorded before surgery".to_owned(),
            BaselineOrigin::Clinician => "chosen by the clinician".to_owned(),
            BaselineOrigin::Entered => "as entered at setup".to_owned(),
            BaselineOrigin::Cohort => "typical for this operation (none recorded)".to_owned(),
        }
    }
}

/// A patient's own starting value for one metric and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OwnBaseline {
    pub value: f64,
    pub origin: BaselineOrigin,
}

impl OwnBaseline {
    /// A value typed by a person (at setup, or given to `expected`).
    pub fn entered(value: f64) -> Self {
        Self {
            value,
            origin: BaselineOrigin::Entered,
        }
    }
}

/// The patient's own starting value for `key`; `None` when neither the
/// days before surgery nor the typed baseline give one (the trajectory then
/// starts from the cohort's). `check_ins` is sorted by day.
pub fn own_baseline(
    key: MetricKey,
    patient: &Patient,
    baseline: Option<&Baseline>,
    check_ins: &[CheckIn],
    odi_entries: &[OdiEntry],
) -> Option<OwnBaseline> {
    let typed = baseline.and_then(|b| Some((key.of_baseline(b)?, b)));
    if let Some((value, b)) = typed
        && b.clinician_reason.is_some()
    {
        return Some(OwnBaseline {
            value,
            origin: BaselineOrigin::Clinician,
        });
    }
    let own_days = match key.source() {
        MetricSource::CheckIn => pre_operative_average(key, patient, check_ins),
        MetricSource::OdiTotal => pre_operative_total(patient, odi_entries),
    };
    own_days.or(typed.map(|(value, _)| OwnBaseline {
        value,
        origin: BaselineOrigin::Entered,
    }))
}

/// The latest ODI total of the [`PRE_OPERATIVE_ODI_DAYS`] before surgery:
/// the questionnaire answered at the before-surgery check-up.
fn pre_operative_total(patient: &Patient, odi_entries: &[OdiEntry]) -> Option<OwnBaseline> {
    let surgery = patient.details.surgery_date;
    let first = surgery.checked_sub_days(Days::new(PRE_OPERATIVE_ODI_DAYS))?;
    let end = odi_entries.partition_point(|e| e.day < surgery);
    let latest = end.checked_sub(1).and_then(|i| odi_entries.get(i))?;
    (latest.day >= first).then(|| OwnBaseline {
        value: f64::from(latest.total),
        origin: BaselineOrigin::PreOperativeTotal,
    })
}

/// The average of `key` over the check-ins of the days before surgery,
/// when there are enough of them.
fn pre_operative_average(
    key: MetricKey,
    patient: &Patient,
    check_ins: &[CheckIn],
) -> Option<OwnBaseline> {
    let surgery = patient.details.surgery_date;
    let first = surgery.checked_sub_days(Days::new(PRE_OPERATIVE_DAYS))?;
    let start = check_ins.partition_point(|c| c.day < first);
    let (sum, count) = check_ins[start..]
        .iter()
        .take_while(|c| c.day < surgery)
        .filter_map(|c| key.of_check_in(c))
        .fold((0.0, 0_usize), |(sum, n), v| (sum + v, n + 1));
    (count >= MIN_PRE_OPERATIVE_CHECK_INS).then(|| OwnBaseline {
        value: sum / count as f64,
        origin: BaselineOrigin::PreOperativeAverage { check_ins: count },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NerveSymptoms, WarningSymptoms};
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    fn patient() -> Patient {
        crate::model::test_patient("2026-03-15", "2026-02-01")
    }

    fn check_in(on: &str, back_pain: u8) -> CheckIn {
        CheckIn {
            day: day(on),
            back_pain,
            leg_pain: 6,
            walking_minutes: 10,
            sitting_minutes: 20,
            sleep_quality: 5,
            opioid_doses: 0,
            warning_symptoms: WarningSymptoms::default(),
            note: String::new(),
            nerves: None,
            body_map: Default::default(),
        }
    }

    fn typed() -> Baseline {
        Baseline {
            back_pain: 4,
            leg_pain: 5,
            walking_minutes: 30,
            sitting_minutes: 30,
            ..Baseline::default()
        }
    }

    #[test]
    fn five_check_ins_in_the_two_weeks_before_surgery_are_the_baseline() {
        let p = patient();
        // Day 15 before surgery is outside the two weeks; the day of
        // surgery is not before it.
        let days = [
            ("2026-02-28", 1),
            ("2026-03-01", 8),
            ("2026-03-04", 7),
            ("2026-03-08", 8),
            ("2026-03-10", 7),
            ("2026-03-14", 8),
            ("2026-03-15", 1),
        ];
        let check_ins: Vec<_> = days.iter().map(|(d, v)| check_in(d, *v)).collect();
        let own = own_baseline(MetricKey::BackPain, &p, Some(&typed()), &check_ins, &[]);
        assert_eq!(
            own,
            Some(OwnBaseline {
                value: 7.6,
                origin: BaselineOrigin::PreOperativeAverage { check_ins: 5 }
            })
        );
        // Four are too few: the typed value counts.
        let own = own_baseline(
            MetricKey::BackPain,
            &p,
            Some(&typed()),
            &check_ins[..5],
            &[],
        );
        assert_eq!(
            own,
            Some(OwnBaseline {
                value: 4.0,
                origin: BaselineOrigin::Entered
            })
        );
        // Nothing typed and too few days: the cohort's (None here).
        assert_eq!(
            own_baseline(MetricKey::BackPain, &p, None, &check_ins[..5], &[]),
            None
        );
    }

    #[test]
    fn a_metric_counts_only_the_days_that_answered_it() {
        let p = patient();
        let mut check_ins: Vec<_> = (1..=6)
            .map(|d| check_in(&format!("2026-03-{:02}", 8 + d), 7))
            .collect();
        for c in check_ins.iter_mut().take(4) {
            c.nerves = Some(NerveSymptoms {
                numbness: 6,
                ..NerveSymptoms::default()
            });
        }
        assert_eq!(
            own_baseline(MetricKey::Numbness, &p, None, &check_ins, &[]),
            None,
            "four answers of numbness are too few"
        );
        check_ins[4].nerves = check_ins[0].nerves;
        assert_eq!(
            own_baseline(MetricKey::Numbness, &p, None, &check_ins, &[]).map(|b| b.origin),
            Some(BaselineOrigin::PreOperativeAverage { check_ins: 5 })
        );
    }

    #[test]
    fn a_clinicians_choice_wins_over_the_days() {
        let p = patient();
        let check_ins: Vec<_> = (1..=10)
            .map(|d| check_in(&format!("2026-03-{:02}", 4 + d), 9))
            .collect();
        let chosen = Baseline {
            clinician_reason: Some("a fall the week before surgery".into()),
            ..typed()
        };
        assert_eq!(
            own_baseline(MetricKey::BackPain, &p, Some(&chosen), &check_ins, &[]),
            Some(OwnBaseline {
                value: 4.0,
                origin: BaselineOrigin::Clinician
            })
        );
        // ODI is not in the check-in: the typed total, or nothing.
        assert_eq!(
            own_baseline(MetricKey::Odi, &p, Some(&typed()), &check_ins, &[]),
            None
        );
    }

    #[test]
    fn an_odi_total_in_the_three_months_before_surgery_is_the_odi_baseline() {
        let p = patient();
        let odi = |on: &str, total| crate::model::OdiEntry {
            day: day(on),
            total,
        };
        let typed = Baseline {
            odi: Some(44),
            ..typed()
        };
        // Surgery 2026-03-15: 91 days before is 2025-12-14.
        let entries = [
            odi("2025-12-01", 60),
            odi("2026-02-20", 52),
            odi("2026-04-20", 30),
        ];
        assert_eq!(
            own_baseline(MetricKey::Odi, &p, Some(&typed), &[], &entries),
            Some(OwnBaseline {
                value: 52.0,
                origin: BaselineOrigin::PreOperativeTotal
            }),
            "the latest before surgery, not the one after"
        );
        assert_eq!(
            own_baseline(MetricKey::Odi, &p, Some(&typed), &[], &entries[..1]),
            Some(OwnBaseline::entered(44.0)),
            "a total more than three months before surgery is too old"
        );
    }
}
