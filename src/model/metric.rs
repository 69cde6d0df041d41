//! The measures charted against the expected recovery, and the one place
//! that says where each one's value comes from. Every path that needs a
//! metric's value (status, review flags, the window's charts, the PDF)
//! asks [`MetricKey::of_check_in`], [`MetricKey::of_baseline`] or
//! [`MetricKey::values`]; the matches below have no catch-all arm, so a new
//! metric fails to compile until each of them says where its value is.

use super::{Baseline, CheckIn, OdiEntry};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MetricKey {
    BackPain,
    LegPain,
    Odi,
    WalkingMinutes,
    /// Leg numbness 0–10, from the optional nerve questions.
    Numbness,
    /// Leg tingling ("pins and needles") 0–10.
    Tingling,
}

/// Where a metric's values are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricSource {
    /// One value per daily check-in.
    CheckIn,
    /// A total typed from the paper questionnaire now and then.
    OdiTotal,
}

impl MetricKey {
    /// The name used in files and flag keys (`back_pain`).
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn source(self) -> MetricSource {
        match self {
            MetricKey::BackPain
            | MetricKey::LegPain
            | MetricKey::WalkingMinutes
            | MetricKey::Numbness
            | MetricKey::Tingling => MetricSource::CheckIn,
            MetricKey::Odi => MetricSource::OdiTotal,
        }
    }

    /// A value as people read it: pain and nerve scores to one decimal,
    /// the ODI whole, walking in whole minutes ("12 min").
    pub fn value_words(self, value: f64) -> String {
        match self {
            MetricKey::BackPain
            | MetricKey::LegPain
            | MetricKey::Numbness
            | MetricKey::Tingling => {
                format!("{value:.1}")
            }
            MetricKey::Odi => format!("{value:.0}"),
            MetricKey::WalkingMinutes => format!("{value:.0} min"),
        }
    }

    /// The metric's value in a daily check-in; `None` for a metric that is
    /// not part of the check-in.
    pub fn of_check_in(self, c: &CheckIn) -> Option<f64> {
        match self {
            MetricKey::BackPain => Some(f64::from(c.back_pain)),
            MetricKey::LegPain => Some(f64::from(c.leg_pain)),
            MetricKey::WalkingMinutes => Some(f64::from(c.walking_minutes)),
            MetricKey::Numbness => c.nerves.map(|n| f64::from(n.numbness)),
            MetricKey::Tingling => c.nerves.map(|n| f64::from(n.tingling)),
            MetricKey::Odi => None,
        }
    }

    /// The patient's value before surgery, where one was recorded.
    pub fn of_baseline(self, b: &Baseline) -> Option<f64> {
        match self {
            MetricKey::BackPain => Some(f64::from(b.back_pain)),
            MetricKey::LegPain => Some(f64::from(b.leg_pain)),
            MetricKey::WalkingMinutes => Some(f64::from(b.walking_minutes)),
            MetricKey::Odi => b.odi.map(f64::from),
            MetricKey::Numbness => b.numbness.map(f64::from),
            MetricKey::Tingling => b.tingling.map(f64::from),
        }
    }

    /// Every recorded value, oldest first, from whichever rows hold this
    /// metric. Both slices must be sorted by day (as the store returns them).
    pub fn values<'a>(
        self,
        check_ins: &'a [CheckIn],
        odi_entries: &'a [OdiEntry],
    ) -> Box<dyn Iterator<Item = (NaiveDate, f64)> + 'a> {
        match self.source() {
            MetricSource::CheckIn => Box::new(
                check_ins
                    .iter()
                    .filter_map(move |c| Some((c.day, self.of_check_in(c)?))),
            ),
            MetricSource::OdiTotal => {
                Box::new(odi_entries.iter().map(|e| (e.day, f64::from(e.total))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WarningSymptoms;
    use strum::VariantArray;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn each_metric_reads_its_own_field() {
        let check_in = CheckIn {
            day: day(2),
            back_pain: 3,
            leg_pain: 7,
            walking_minutes: 25,
            sitting_minutes: 40,
            sleep_quality: 6,
            opioid_doses: 1,
            warning_symptoms: WarningSymptoms::default(),
            note: String::new(),
            nerves: Some(crate::model::NerveSymptoms {
                numbness: 5,
                tingling: 2,
                ..crate::model::NerveSymptoms::NONE
            }),
            body_map: Default::default(),
        };
        let odi = [OdiEntry {
            day: day(1),
            total: 38,
        }];
        let expected = [
            (MetricKey::BackPain, (day(2), 3.0)),
            (MetricKey::LegPain, (day(2), 7.0)),
            (MetricKey::Odi, (day(1), 38.0)),
            (MetricKey::WalkingMinutes, (day(2), 25.0)),
            (MetricKey::Numbness, (day(2), 5.0)),
            (MetricKey::Tingling, (day(2), 2.0)),
        ];
        for (key, value) in expected {
            let values: Vec<_> = key.values(std::slice::from_ref(&check_in), &odi).collect();
            assert_eq!(values, vec![value], "{key:?}");
        }
        assert_eq!(MetricKey::VARIANTS.len(), expected.len());
        assert_eq!(MetricKey::WalkingMinutes.code(), "walking_minutes");
    }
}
