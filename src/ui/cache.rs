//! What the screens read instead of the database: the selected patient's
//! rows, their status against the expected recovery and the chart series.
//! Rebuilt only when the store's data version, the selected patient or the
//! day changes, never per frame.

use crate::analysis::program::{
    Adherence, Prescription, ProgramSummary, adherence, prescribed_on, program_summary,
};
use crate::analysis::series::rolling_average;
use crate::analysis::{PatientStatus, Trajectory, patient_status};
use crate::model::{
    Baseline, CheckIn, ExerciseLog, MilestoneRecord, OdiEntry, Patient, PatientId, PlanItem,
};
use crate::protocol::{Better, MetricKey, Protocol};
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use egui_plot::PlotPoint;

/// One patient's data, as the screens show it.
pub struct PatientData {
    pub patient: Patient,
    pub baseline: Option<Baseline>,
    /// Oldest first.
    pub check_ins: Vec<CheckIn>,
    /// Oldest first.
    pub odi_entries: Vec<OdiEntry>,
    pub milestones: Vec<MilestoneRecord>,
    /// The plan with its history.
    pub plan: Vec<PlanItem>,
    pub exercise_logs: Vec<ExerciseLog>,
    pub visit_notes: Vec<crate::model::VisitNote>,
    pub flag_reviews: Vec<crate::model::FlagReview>,
    pub status: PatientStatus,
    pub charts: Vec<MetricChart>,
    pub program: ProgramSummary,
    /// What is prescribed today.
    pub todays_plan: Vec<Prescription>,
    /// Adherence of the last 8 weeks since surgery, oldest first:
    /// (week since surgery, adherence).
    pub weekly_adherence: Vec<(i64, Adherence)>,
    /// Reached milestones as (weeks since surgery, label), for chart markers.
    pub milestone_marks: Vec<(f64, String)>,
}

impl PatientData {
    pub fn check_in_on(&self, day: NaiveDate) -> Option<&CheckIn> {
        self.check_ins
            .binary_search_by_key(&day, |c| c.day)
            .ok()
            .and_then(|i| self.check_ins.get(i))
    }

    /// The latest check-in before `day`, which a new one is prefilled from.
    pub fn check_in_before(&self, day: NaiveDate) -> Option<&CheckIn> {
        let end = self.check_ins.partition_point(|c| c.day < day);
        end.checked_sub(1).and_then(|i| self.check_ins.get(i))
    }

    /// The rows as one record, for the analyses that take one.
    pub fn to_record(&self) -> crate::model::PatientRecord {
        crate::model::PatientRecord {
            patient: self.patient.clone(),
            baseline: self.baseline,
            check_ins: self.check_ins.clone(),
            odi_entries: self.odi_entries.clone(),
            milestones: self.milestones.clone(),
            plan: self.plan.clone(),
            exercise_logs: self.exercise_logs.clone(),
            visit_notes: self.visit_notes.clone(),
            flag_reviews: self.flag_reviews.clone(),
        }
    }

    pub fn chart(&self, key: MetricKey) -> Option<&MetricChart> {
        self.charts.iter().find(|c| c.key == key)
    }

    /// Sessions of an exercise logged on a day.
    pub fn exercise_log(&self, day: NaiveDate, key: &str) -> Option<&ExerciseLog> {
        let start = self.exercise_logs.partition_point(|l| l.day < day);
        self.exercise_logs[start..]
            .iter()
            .take_while(|l| l.day == day)
            .find(|l| l.exercise_key == key)
    }
}

/// A metric's chart, ready to hand to the plot: x is weeks since surgery.
pub struct MetricChart {
    pub key: MetricKey,
    pub label: String,
    pub unit: String,
    pub better: Better,
    pub values: Vec<PlotPoint>,
    /// 7-day average, where the week has at least 3 values.
    pub average: Vec<PlotPoint>,
    pub median: Vec<PlotPoint>,
    pub band_weeks: Vec<f64>,
    pub band_low: Vec<f64>,
    pub band_high: Vec<f64>,
    /// The value that counts as a meaningful improvement from baseline.
    pub mcid_line: Option<f64>,
    /// Last week shown on the x axis.
    pub last_week: f64,
    pub y_max: f64,
}

/// Days at which the band is sampled: daily while it changes fast, then
/// weekly, so a two-year band is ~150 points, not 730.
fn band_days(last_day: i64) -> impl Iterator<Item = i64> {
    (0..=last_day.min(56)).chain((63..=last_day).step_by(7))
}

fn weeks(day: i64) -> f64 {
    day as f64 / 7.0
}

fn build_chart(
    protocol: &Protocol,
    key: MetricKey,
    patient: &Patient,
    values: &[(i64, f64)],
    last_day: i64,
    status: &PatientStatus,
) -> Option<MetricChart> {
    let metric = protocol.metric(key)?;
    let own = status.metric(key).and_then(|m| {
        (m.baseline_origin == Some(crate::analysis::BaselineOrigin::Patient))
            .then_some(m.baseline)
            .flatten()
    });
    let trajectory = Trajectory::new(protocol, key, patient.details.approach, own);
    let mut band_weeks = Vec::new();
    let mut band_low = Vec::new();
    let mut band_high = Vec::new();
    let mut median = Vec::new();
    if let Some(t) = &trajectory {
        for day in band_days(last_day) {
            let p = t.at(day as f64);
            band_weeks.push(weeks(day));
            band_low.push(p.low);
            band_high.push(p.high);
            median.push(PlotPoint::new(weeks(day), p.median));
        }
    }
    let mcid_line = match (&metric.mcid, &trajectory) {
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
    let highest_value = values.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    let highest_band = band_high.iter().copied().fold(0.0, f64::max);
    let y_max = match key {
        MetricKey::BackPain | MetricKey::LegPain => 10.0,
        MetricKey::Odi => (highest_value.max(highest_band) * 1.1).clamp(30.0, 100.0),
        MetricKey::WalkingMinutes => (highest_value.max(highest_band) * 1.1).max(30.0),
    };
    Some(MetricChart {
        key,
        label: metric.label.clone(),
        unit: metric.unit.clone(),
        better: metric.better,
        values: values
            .iter()
            .map(|&(d, v)| PlotPoint::new(weeks(d), v))
            .collect(),
        average: rolling_average(values, 7, crate::analysis::status::MIN_ENTRIES)
            .into_iter()
            .map(|(d, v)| PlotPoint::new(weeks(d), v))
            .collect(),
        median,
        band_weeks,
        band_low,
        band_high,
        mcid_line,
        last_week: weeks(last_day),
        y_max,
    })
}

fn weekly_adherence(
    protocol: &Protocol,
    record: &crate::model::PatientRecord,
    today: NaiveDate,
) -> Vec<(i64, Adherence)> {
    let patient = &record.patient;
    let this_week = patient.week_since_surgery(today);
    (this_week - 7..=this_week)
        .filter(|w| *w >= 0)
        .filter_map(|week| {
            let offset = u64::try_from(week * 7).ok()?;
            let first = patient
                .details
                .surgery_date
                .checked_add_days(chrono::Days::new(offset))?;
            let last = first.checked_add_days(chrono::Days::new(6))?.min(today);
            Some((
                week,
                adherence(
                    protocol,
                    patient,
                    &record.plan,
                    &record.exercise_logs,
                    first,
                    last,
                ),
            ))
        })
        .collect()
}

fn analyse(
    protocol: &Protocol,
    record: crate::model::PatientRecord,
    today: NaiveDate,
) -> PatientData {
    let program = program_summary(protocol, &record, today);
    let todays_plan = prescribed_on(protocol, &record.patient, &record.plan, today);
    let weekly_adherence = weekly_adherence(protocol, &record, today);
    let milestone_marks = program
        .milestones
        .iter()
        .filter_map(|m| {
            let day = record.patient.days_since_surgery(m.achieved_on?);
            Some((day as f64 / 7.0, m.label.clone()))
        })
        .collect();
    let patient = record.patient;
    let status = patient_status(
        protocol,
        &patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        today,
    );
    let day_of = |d: NaiveDate| patient.days_since_surgery(d);
    let last_entry = record.check_ins.last().map_or(0, |c| day_of(c.day));
    // At least the first twelve weeks, so a new patient sees where they head.
    let last_day = day_of(today).max(last_entry).max(84);
    let charts = MetricKey::ALL
        .into_iter()
        .filter_map(|key| {
            let values: Vec<(i64, f64)> = if key == MetricKey::Odi {
                record
                    .odi_entries
                    .iter()
                    .map(|e| (day_of(e.day), f64::from(e.total)))
                    .collect()
            } else {
                record
                    .check_ins
                    .iter()
                    .map(|c| {
                        let v = match key {
                            MetricKey::BackPain => c.back_pain.into(),
                            MetricKey::LegPain => c.leg_pain.into(),
                            _ => c.walking_minutes.into(),
                        };
                        (day_of(c.day), v)
                    })
                    .collect()
            };
            build_chart(protocol, key, &patient, &values, last_day, &status)
        })
        .collect();
    PatientData {
        patient,
        baseline: record.baseline,
        check_ins: record.check_ins,
        odi_entries: record.odi_entries,
        milestones: record.milestones,
        plan: record.plan,
        exercise_logs: record.exercise_logs,
        visit_notes: record.visit_notes,
        flag_reviews: record.flag_reviews,
        status,
        charts,
        program,
        todays_plan,
        weekly_adherence,
        milestone_marks,
    }
}

#[derive(Default)]
pub struct Cache {
    built_from: Option<(u64, Option<PatientId>, NaiveDate)>,
    pub patients: Vec<Patient>,
    pub current: Option<PatientData>,
}

impl Cache {
    /// Rebuilds if the data, the selection or the day changed; returns
    /// whether it did.
    pub fn refresh(
        &mut self,
        store: &Store,
        protocol: &Protocol,
        selected: Option<PatientId>,
        today: NaiveDate,
    ) -> Result<bool, StoreError> {
        let key = (store.data_version(), selected, today);
        if self.built_from == Some(key) {
            return Ok(false);
        }
        self.patients = store.patients()?;
        self.current = match selected.filter(|id| self.patients.iter().any(|p| p.id == *id)) {
            Some(id) => Some(analyse(protocol, store.patient_record(id)?, today)),
            None => None,
        };
        self.built_from = Some(key);
        Ok(true)
    }

    /// Forces the next refresh to reload, e.g. after another file was opened.
    pub fn invalidate(&mut self) {
        self.built_from = None;
    }

    pub fn active_patients(&self) -> impl Iterator<Item = &Patient> {
        self.patients.iter().filter(|p| !p.archived)
    }
}
