//! What a metric's chart shows, computed once for every place that draws
//! one (the window's Progress and Review charts, the PDF report): the
//! recorded values, their 7-day average, the expected band and typical
//! course, the meaningful-improvement line and the reached milestones. The
//! renderers only map these numbers to pixels, so they cannot disagree.

use super::series::rolling_average;
use super::status::MIN_ENTRIES;
use super::trajectory::Trajectory;
use crate::model::{MetricKey, MetricSource, PatientRecord};
use crate::protocol::{Better, Protocol};
use chrono::NaiveDate;

/// The expected range on one day since surgery.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    pub day: i64,
    pub low: f64,
    pub median: f64,
    pub high: f64,
}

/// One metric's chart over `first_day..=last_day` (days since surgery).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    pub key: MetricKey,
    pub label: String,
    pub unit: String,
    pub better: Better,
    /// Each recorded value in the range, as (day since surgery, value).
    pub values: Vec<(i64, f64)>,
    /// The 7-day average on each day with a value whose week holds at least
    /// [`MIN_ENTRIES`] values; empty for a metric not recorded daily.
    pub average: Vec<(i64, f64)>,
    /// Sampled daily while the band changes fast (to week 8), then weekly,
    /// and always on the first and last day; empty without an expected course.
    pub band: Vec<BandPoint>,
    /// The value that counts as a meaningful improvement from baseline.
    pub mcid_line: Option<f64>,
    /// Milestones reached in the range: (day since surgery, label).
    pub milestones: Vec<(i64, String)>,
    pub first_day: i64,
    pub last_day: i64,
    /// The top of the value axis: the scale's end for pain, else a round
    /// number above every value and the band.
    pub y_max: f64,
}

/// Days at which the band is sampled: daily to day 56, then weekly, plus
/// the first and last day, so a two-year band is ~150 points, not 730.
fn band_days(first_day: i64, last_day: i64) -> Vec<i64> {
    let mut days: Vec<i64> = (first_day..=last_day)
        .filter(|d| *d == first_day || *d <= 56 || d % 7 == 0)
        .collect();
    if days.last() != Some(&last_day) {
        days.push(last_day);
    }
    days
}

/// The chart of `key` for `record` over `first_day..=last_day` days since
/// surgery; `None` if the protocol has no such metric. `reached` lists the
/// milestones the patient reached, as (date, label).
pub fn chart_series(
    protocol: &Protocol,
    record: &PatientRecord,
    reached: &[(NaiveDate, String)],
    key: MetricKey,
    first_day: i64,
    last_day: i64,
) -> Option<ChartSeries> {
    let metric = protocol.metric(key)?;
    let patient = &record.patient;
    let in_range = |day: i64| (first_day..=last_day).contains(&day);
    let all: Vec<(i64, f64)> = key
        .values(&record.check_ins, &record.odi_entries)
        .map(|(day, v)| (patient.days_since_surgery(day), v))
        .collect();
    let average = match key.source() {
        // Averaged over every value, so the first days of a range still
        // count the week before them.
        MetricSource::CheckIn => rolling_average(&all, 7, MIN_ENTRIES)
            .into_iter()
            .filter(|(d, _)| in_range(*d))
            .collect(),
        MetricSource::OdiTotal => Vec::new(),
    };
    let values: Vec<(i64, f64)> = all.into_iter().filter(|(d, _)| in_range(*d)).collect();
    let own = super::own_baseline(
        key,
        patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
    );
    let trajectory = Trajectory::new(protocol, key, patient.details.approach, own);
    let band: Vec<BandPoint> = trajectory.as_ref().map_or_else(Vec::new, |t| {
        band_days(first_day.max(0), last_day)
            .into_iter()
            .map(|day| {
                let p = t.at(day as f64);
                BandPoint {
                    day,
                    low: p.low,
                    median: p.median,
                    high: p.high,
                }
            })
            .collect()
    });
    let mcid_line = match (metric.mcid_for(patient.details.approach), &trajectory) {
        (Some(mcid), Some(t)) => {
            let by_points = t.baseline - mcid.points;
            let by_fraction = mcid.fraction.map(|f| t.baseline * (1.0 - f));
            // Either criterion counts, so the line is at the easier one.
            Some(match metric.better {
                Better::Lower => by_fraction.map_or(by_points, |f| f.max(by_points)),
                Better::Higher => t.baseline + mcid.points,
            })
        }
        _ => None,
    };
    let milestones = reached
        .iter()
        .map(|(day, label)| (patient.days_since_surgery(*day), label.clone()))
        .filter(|(d, _)| in_range(*d))
        .collect();
    let highest = values
        .iter()
        .map(|(_, v)| *v)
        .chain(band.iter().map(|b| b.high))
        .fold(0.0, f64::max);
    Some(ChartSeries {
        key,
        label: metric.label.clone(),
        unit: metric.unit.clone(),
        better: metric.better,
        y_max: y_max(key, highest),
        values,
        average,
        band,
        mcid_line,
        milestones,
        first_day,
        last_day,
    })
}

impl ChartSeries {
    /// The value axis's title: "Back pain, points (0–10)".
    pub fn axis_title(&self) -> String {
        format!("{}, {}", self.label, self.unit)
    }
}

fn y_max(key: MetricKey, highest: f64) -> f64 {
    let round_up = |v: f64, step: f64| (v / step).ceil() * step;
    match key {
        MetricKey::BackPain | MetricKey::LegPain | MetricKey::Numbness | MetricKey::Tingling => {
            10.0
        }
        MetricKey::Odi => round_up(highest * 1.1, 10.0).clamp(30.0, 100.0),
        MetricKey::WalkingMinutes => round_up(highest * 1.1, 20.0).max(40.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_daily_then_weekly_and_ends_on_the_last_day() {
        let days = band_days(0, 100);
        assert_eq!(&days[..3], &[0, 1, 2]);
        assert!(days.contains(&56) && !days.contains(&57) && days.contains(&63));
        assert_eq!(days.last(), Some(&100));
        assert_eq!(band_days(700, 728), vec![700, 707, 714, 721, 728]);
        assert_eq!(band_days(701, 703), vec![701, 703]);
    }

    #[test]
    fn axes_end_on_round_numbers_above_the_data() {
        assert_eq!(y_max(MetricKey::BackPain, 3.0), 10.0);
        assert_eq!(y_max(MetricKey::WalkingMinutes, 95.0), 120.0);
        assert_eq!(y_max(MetricKey::WalkingMinutes, 5.0), 40.0);
        assert_eq!(y_max(MetricKey::Odi, 95.0), 100.0);
        assert_eq!(y_max(MetricKey::Odi, 12.0), 30.0);
    }
}
