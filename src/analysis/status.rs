//! Where a patient stands on a day: recent averages against the expected
//! band, the change from last week, meaningful improvement since surgery,
//! and the early-recovery watch.

use super::baseline::{BaselineOrigin, own_baseline};
use super::trajectory::{ExpectedPoint, Trajectory};
use crate::model::MetricKey;
use crate::model::{Baseline, CheckIn, OdiEntry, Patient};
use crate::protocol::{Better, Protocol};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use strum::VariantArray;

/// Days in the "recent" window, and the fewest check-ins in it that make an
/// average worth a verdict.
pub const WINDOW_DAYS: u64 = 7;
pub const MIN_ENTRIES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ahead,
    OnTrack,
    Behind,
    /// Fewer than [`MIN_ENTRIES`] values in the window.
    NotEnoughData,
    /// No expected curve for this metric and patient.
    NoExpectation,
    BeforeSurgery,
}

impl Verdict {
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Ahead => "ahead of the usual recovery",
            Verdict::OnTrack => "on track",
            Verdict::Behind => "behind the usual recovery",
            Verdict::NotEnoughData => "not enough check-ins this week to tell",
            Verdict::NoExpectation => "no expected range for this measure",
            Verdict::BeforeSurgery => "before surgery",
        }
    }
}

/// An average over a span of days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub average: f64,
    pub count: usize,
    /// The mean day since surgery of the values, where the band is read.
    pub mean_day: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricStatus {
    pub metric: MetricKey,
    pub label: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_origin: Option<BaselineOrigin>,
    /// The last 7 days (for ODI: the latest entry).
    pub recent: Option<Summary>,
    /// The 7 days before those (for ODI: the entry before the latest).
    pub previous: Option<Summary>,
    pub expected: Option<ExpectedPoint>,
    pub verdict: Verdict,
    /// Improved by at least the meaningful change since before surgery;
    /// `None` where there is no threshold or no recent value.
    pub mcid_reached: Option<bool>,
}

impl MetricStatus {
    /// This week minus last week, in the metric's units.
    pub fn change_from_previous(&self) -> Option<f64> {
        Some(self.recent?.average - self.previous?.average)
    }
}

/// Before or after the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Phase {
    #[serde(rename = "before surgery")]
    BeforeSurgery,
    #[serde(rename = "after surgery")]
    AfterSurgery,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientStatus {
    pub on: NaiveDate,
    pub phase: Phase,
    /// Days until the operation, before it.
    pub days_to_surgery: Option<i64>,
    pub days_since_surgery: i64,
    pub week: i64,
    pub metrics: Vec<MetricStatus>,
    /// Plain sentences to the patient, each "worth discussing", never a
    /// diagnosis.
    pub watch: Vec<String>,
    /// The same signs, each in numbers for a clinician.
    #[serde(skip)]
    pub watch_signs: Vec<WatchSign>,
}

/// Pain above the early-watch threshold at 6–12 weeks.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchSign {
    pub metric: MetricKey,
    /// "back pain"
    pub name: &'static str,
    pub average: f64,
    pub limit: f64,
    pub week: i64,
}

impl WatchSign {
    /// One line for a clinician: the numbers, the threshold and what it
    /// predicted in its cohort (the protocol's source says which).
    pub fn for_clinician(&self) -> String {
        format!(
            "{} 7-day average {:.1} at week {}, above {}: the level that at 6–12 weeks predicted \
             missing a meaningful one-year ODI improvement",
            self.name, self.average, self.week, self.limit
        )
    }

    /// The sentence for the patient.
    fn for_patient(&self, from_week: u32, to_week: u32) -> String {
        format!(
            "Your {} this week ({:.1}) is above {} at {from_week}–{to_week} weeks after surgery. \
             People in this situation often still improve, but it is worth discussing with \
             your physiotherapist or surgeon.",
            self.name, self.average, self.limit
        )
    }
}

impl PatientStatus {
    pub fn metric(&self, key: MetricKey) -> Option<&MetricStatus> {
        self.metrics.iter().find(|m| m.metric == key)
    }

    /// Where each expected course starts, in one sentence, the metrics
    /// of one origin together: "Starting points: back pain 8.3, walking 9
    /// (the average of 7 check-ins before surgery); disability (ODI) 44 (as
    /// entered at setup)." `reason` is the clinician's, where they chose.
    pub fn baseline_sentence(&self, reason: Option<&str>) -> String {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for m in &self.metrics {
            let (Some(value), Some(origin)) = (m.baseline, m.baseline_origin) else {
                continue;
            };
            let value = if value.fract() == 0.0 {
                format!("{value:.0}")
            } else {
                format!("{value:.1}")
            };
            let why = match (origin, reason) {
                (BaselineOrigin::Clinician, Some(reason)) => {
                    format!("{}: {reason}", origin.words())
                }
                _ => origin.words(),
            };
            let mut label = m.label.chars();
            let label = label
                .next()
                .map(|first| first.to_lowercase().chain(label).collect::<String>())
                .unwrap_or_default();
            let item = format!("{label} {value}");
            match groups.iter_mut().find(|(w, _)| *w == why) {
                Some((_, items)) => items.push(item),
                None => groups.push((why, vec![item])),
            }
        }
        let groups: Vec<String> = groups
            .into_iter()
            .map(|(why, items)| format!("{} ({why})", items.join(", ")))
            .collect();
        format!("Starting points: {}.", groups.join("; "))
    }
}

fn summarise(values: impl Iterator<Item = (f64, f64)>) -> Option<Summary> {
    let (mut sum, mut day_sum, mut count) = (0.0, 0.0, 0usize);
    for (day, value) in values {
        sum += value;
        day_sum += day;
        count += 1;
    }
    (count > 0).then(|| Summary {
        average: sum / count as f64,
        count,
        mean_day: day_sum / count as f64,
    })
}

/// The values of check-ins in `first..=last`, as (day since surgery, value).
fn window<'a>(
    patient: &'a Patient,
    check_ins: &'a [CheckIn],
    key: MetricKey,
    first: NaiveDate,
    last: NaiveDate,
) -> impl Iterator<Item = (f64, f64)> + 'a {
    let start = check_ins.partition_point(|c| c.day < first);
    check_ins[start..]
        .iter()
        .take_while(move |c| c.day <= last)
        .filter_map(move |c| {
            Some((
                patient.days_since_surgery(c.day) as f64,
                key.of_check_in(c)?,
            ))
        })
}

pub fn verdict(better: Better, value: f64, expected: &ExpectedPoint) -> Verdict {
    if expected.contains(value) {
        return Verdict::OnTrack;
    }
    let below = value < expected.low;
    match (better, below) {
        (Better::Lower, true) | (Better::Higher, false) => Verdict::Ahead,
        _ => Verdict::Behind,
    }
}

/// Where the patient stands on `on`. `check_ins` and `odi_entries` are
/// sorted by day, as the store returns them.
pub fn patient_status(
    protocol: &Protocol,
    patient: &Patient,
    baseline: Option<&Baseline>,
    check_ins: &[CheckIn],
    odi_entries: &[OdiEntry],
    on: NaiveDate,
) -> PatientStatus {
    let days_since_surgery = patient.days_since_surgery(on);
    // After the operation its weeks are compared with each other; the days
    // before it are the baseline, not "last week".
    let earliest = if days_since_surgery >= 0 {
        patient.details.surgery_date
    } else {
        NaiveDate::MIN
    };
    let window_start = (on - Days::new(WINDOW_DAYS - 1)).max(earliest);
    let previous_end = on - Days::new(WINDOW_DAYS);
    let previous_start = (previous_end - Days::new(WINDOW_DAYS - 1)).max(earliest);

    let metrics = MetricKey::VARIANTS
        .iter()
        .filter_map(|&key| {
            let metric = protocol.metric(key)?;
            // What was known on `on`: a day after it is not a baseline yet.
            let known = &check_ins[..check_ins.partition_point(|c| c.day <= on)];
            let known_odi = &odi_entries[..odi_entries.partition_point(|e| e.day <= on)];
            let own = own_baseline(key, patient, baseline, known, known_odi);
            let trajectory = Trajectory::new(protocol, key, patient.details.approach, own);
            let (recent, previous) = if key == MetricKey::Odi {
                odi_summaries(patient, odi_entries, on, earliest)
            } else {
                (
                    summarise(window(patient, check_ins, key, window_start, on)),
                    summarise(window(
                        patient,
                        check_ins,
                        key,
                        previous_start,
                        previous_end,
                    )),
                )
            };
            let enough = |s: &Summary| key == MetricKey::Odi || s.count >= MIN_ENTRIES;
            let expected = match (&trajectory, recent) {
                (Some(t), Some(r)) => Some(t.at(r.mean_day)),
                (Some(t), None) => Some(t.at(days_since_surgery.max(0) as f64)),
                (None, _) => None,
            };
            let verdict = if days_since_surgery < 0 {
                Verdict::BeforeSurgery
            } else {
                match (recent.filter(enough), expected) {
                    (_, None) => Verdict::NoExpectation,
                    (None, _) => Verdict::NotEnoughData,
                    (Some(r), Some(e)) => verdict(metric.better, r.average, &e),
                }
            };
            let start = trajectory.as_ref().map(|t| t.baseline);
            let mcid = metric.mcid_for(patient.details.approach);
            let since_surgery = recent.filter(|r| enough(r) && days_since_surgery >= 0);
            let mcid_reached = match (mcid, own.map(|o| o.value).or(start), since_surgery) {
                (Some(mcid), Some(b), Some(r)) => {
                    let gain = match metric.better {
                        Better::Lower => b - r.average,
                        Better::Higher => r.average - b,
                    };
                    let relative = mcid.fraction.is_some_and(|f| b > 0.0 && gain / b >= f);
                    Some(gain >= mcid.points || relative)
                }
                _ => None,
            };
            Some(MetricStatus {
                metric: key,
                label: metric.label.clone(),
                unit: metric.unit.clone(),
                baseline: trajectory.as_ref().map(|t| t.baseline),
                baseline_origin: trajectory.as_ref().map(|t| t.origin),
                recent,
                previous,
                expected,
                verdict,
                mcid_reached,
            })
        })
        .collect::<Vec<_>>();

    let watch_signs = early_watch(protocol, days_since_surgery, &metrics);
    let (from_week, to_week) = (
        protocol.early_watch.from_day / 7,
        protocol.early_watch.to_day / 7,
    );
    let watch = watch_signs
        .iter()
        .map(|s| s.for_patient(from_week, to_week))
        .collect();
    PatientStatus {
        on,
        phase: if days_since_surgery < 0 {
            Phase::BeforeSurgery
        } else {
            Phase::AfterSurgery
        },
        days_to_surgery: patient.days_to_surgery(on),
        days_since_surgery,
        week: patient.week_since_surgery(on),
        metrics,
        watch,
        watch_signs,
    }
}

/// The latest ODI total on or before `on` and the one before it. After
/// the operation (`earliest` its day) only a total after it is the latest;
/// the one before may be the pre-operative one.
fn odi_summaries(
    patient: &Patient,
    odi_entries: &[OdiEntry],
    on: NaiveDate,
    earliest: NaiveDate,
) -> (Option<Summary>, Option<Summary>) {
    let upto = odi_entries.partition_point(|e| e.day <= on);
    let as_summary = |e: &OdiEntry| Summary {
        average: f64::from(e.total),
        count: 1,
        mean_day: patient.days_since_surgery(e.day) as f64,
    };
    let latest = upto
        .checked_sub(1)
        .and_then(|i| odi_entries.get(i))
        .filter(|e| e.day >= earliest);
    let before = upto.checked_sub(2).and_then(|i| odi_entries.get(i));
    (latest.map(as_summary), before.map(as_summary))
}

fn early_watch(protocol: &Protocol, day: i64, metrics: &[MetricStatus]) -> Vec<WatchSign> {
    let watch = &protocol.early_watch;
    if day < i64::from(watch.from_day) || day > i64::from(watch.to_day) {
        return Vec::new();
    }
    let mut signs = Vec::new();
    for (key, limit, name) in [
        (MetricKey::BackPain, watch.back_pain_above, "back pain"),
        (MetricKey::LegPain, watch.leg_pain_above, "leg pain"),
    ] {
        let recent = metrics
            .iter()
            .find(|m| m.metric == key)
            .and_then(|m| m.recent)
            .filter(|r| r.count >= MIN_ENTRIES);
        if let Some(r) = recent
            && r.average > limit
        {
            signs.push(WatchSign {
                metric: key,
                name,
                average: r.average,
                limit,
                week: day.div_euclid(7),
            });
        }
    }
    signs
}

#[cfg(test)]
mod tests;
