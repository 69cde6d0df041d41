//! The expected course of one metric for one patient.
//!
//! Method: the protocol's cohort curve for the patient's approach is turned
//! into a ratio of the cohort's own pre-operative value, and that ratio is
//! applied to the patient's baseline (or, without one, the cohort's). Values
//! between the published time points are interpolated linearly in
//! ln(1 + days): recovery changes fast in the first weeks and levels off
//! later, which a straight line in days would miss. The band is the median ±
//! z × the cohort's standard deviation of change, scaled the same way, so it
//! is zero-width before surgery and widens as outcomes diverge.

use super::baseline::{BaselineOrigin, OwnBaseline};
use crate::model::Approach;
use crate::model::MetricKey;
use crate::protocol::{Curve, Metric, Protocol};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExpectedPoint {
    pub day: f64,
    pub median: f64,
    pub low: f64,
    pub high: f64,
}

impl ExpectedPoint {
    /// Whether `value` lies in the band, edges included.
    pub fn contains(&self, value: f64) -> bool {
        (self.low..=self.high).contains(&value)
    }
}

fn log_time(day: f64) -> f64 {
    day.max(0.0).ln_1p()
}

/// Piecewise-linear interpolation in ln(1 + day) through `(day, value)`
/// points sorted by day; flat before the first and after the last point.
/// Between two points it never leaves the interval they span, so it is
/// monotone wherever the points are.
pub fn interpolate(points: &[(f64, f64)], day: f64) -> f64 {
    let Some(&(first_day, first_value)) = points.first() else {
        return 0.0;
    };
    if day <= first_day {
        return first_value;
    }
    for pair in points.windows(2) {
        let ((d0, v0), (d1, v1)) = (pair[0], pair[1]);
        if day <= d1 {
            let (x0, x1, x) = (log_time(d0), log_time(d1), log_time(day));
            let t = if x1 > x0 { (x - x0) / (x1 - x0) } else { 1.0 };
            return v0 + t * (v1 - v0);
        }
    }
    points.last().map_or(first_value, |&(_, v)| v)
}

/// A patient's expected course for one metric.
#[derive(Debug, Clone)]
pub struct Trajectory<'p> {
    pub metric: &'p Metric,
    pub curve: &'p Curve,
    pub baseline: f64,
    pub origin: BaselineOrigin,
    z: f64,
    ratio_points: Vec<(f64, f64)>,
    spread_points: Vec<(f64, f64)>,
}

impl<'p> Trajectory<'p> {
    /// `None` when the metric has no baseline, neither the patient's nor a
    /// published cohort value to fall back on.
    pub fn new(
        protocol: &'p Protocol,
        key: MetricKey,
        approach: Approach,
        own: Option<OwnBaseline>,
    ) -> Option<Self> {
        let metric = protocol.metric(key)?;
        let curve = metric.curve(approach)?;
        let (baseline, origin) = match own {
            Some(own) => (own.value, own.origin),
            None => (
                metric.cohort_baseline_for(approach)?,
                BaselineOrigin::Cohort,
            ),
        };
        let start = curve.start();
        let ratio_points = curve
            .points
            .iter()
            .map(|p| (f64::from(p.day), p.value / start))
            .collect();
        let spread_points = std::iter::once((0.0, 0.0))
            .chain(
                metric
                    .spread
                    .iter()
                    .filter(|s| s.day > 0)
                    .map(|s| (f64::from(s.day), s.sd / start)),
            )
            .collect();
        Some(Self {
            metric,
            curve,
            baseline,
            origin,
            z: protocol.band.z,
            ratio_points,
            spread_points,
        })
    }

    /// The expected median and band on a day since surgery.
    pub fn at(&self, day: f64) -> ExpectedPoint {
        let clamp = |v: f64| v.clamp(self.metric.min, self.metric.max);
        let median = self.baseline * interpolate(&self.ratio_points, day);
        let half_width = self.z * self.baseline * interpolate(&self.spread_points, day);
        ExpectedPoint {
            day,
            median: clamp(median),
            low: clamp(median - half_width),
            high: clamp(median + half_width),
        }
    }

    /// One point per day from 0 to `last_day`, for charts.
    pub fn daily(&self, last_day: u32) -> Vec<ExpectedPoint> {
        (0..=last_day).map(|d| self.at(f64::from(d))).collect()
    }
}

/// One metric's expected course at chosen days, owned (no borrow of the
/// protocol), for a screen's cache or a printout.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseRow {
    pub metric: MetricKey,
    pub label: String,
    pub baseline: f64,
    pub origin: BaselineOrigin,
    /// (day since surgery, expected median and band).
    pub points: Vec<(u32, ExpectedPoint)>,
}

/// The expected course of every metric that has a starting point (`start`,
/// else the cohort's) at `days` since surgery, in the protocol's order.
pub fn expected_course(
    protocol: &Protocol,
    approach: Approach,
    start: impl Fn(MetricKey) -> Option<OwnBaseline>,
    days: &[u32],
) -> Vec<CourseRow> {
    protocol
        .metrics
        .iter()
        .filter_map(|metric| {
            let t = Trajectory::new(protocol, metric.key, approach, start(metric.key))?;
            Some(CourseRow {
                metric: metric.key,
                label: metric.label.clone(),
                baseline: t.baseline,
                origin: t.origin,
                points: days.iter().map(|&d| (d, t.at(f64::from(d)))).collect(),
            })
        })
        .collect()
}

/// A patient's expected course from their own starting points.
pub fn patient_course(
    protocol: &Protocol,
    record: &crate::model::PatientRecord,
    days: &[u32],
) -> Vec<CourseRow> {
    let start = |key| {
        super::baseline::own_baseline(
            key,
            &record.patient,
            record.baseline.as_ref(),
            &record.check_ins,
            &record.odi_entries,
        )
    };
    expected_course(protocol, record.patient.details.approach, start, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_hits_the_points_and_stays_between_them() {
        let points = [(0.0, 6.9), (7.0, 4.8), (30.0, 3.7), (90.0, 2.6)];
        for (day, value) in points {
            assert!((interpolate(&points, day) - value).abs() < 1e-12);
        }
        let mut previous = f64::INFINITY;
        for day in 0..=90 {
            let v = interpolate(&points, f64::from(day));
            assert!(v <= previous + 1e-12, "not monotone at day {day}");
            previous = v;
        }
        assert_eq!(
            interpolate(&points, 400.0),
            2.6,
            "flat after the last point"
        );
        assert_eq!(interpolate(&points, -3.0), 6.9, "flat before surgery");
    }

    #[test]
    fn log_time_puts_most_change_early() {
        let points = [(0.0, 10.0), (100.0, 0.0)];
        // Halfway in log-time is about day 9, not day 50.
        let day_9 = interpolate(&points, 9.0);
        assert!((day_9 - 5.0).abs() < 0.1, "{day_9}");
        assert!(interpolate(&points, 50.0) < 2.0);
    }
}
