//! What the screens read instead of the database: the selected patient's
//! rows, their status against the expected recovery and the chart series.
//! Rebuilt only when the store's data version, the selected patient or the
//! day changes, never per frame.

use crate::analysis::chart::{ChartSeries, chart_series};
use crate::analysis::program::{
    Adherence, Prescription, ProgramSummary, adherence, prescribed_on, program_summary,
};
use crate::analysis::{PatientStatus, patient_status};
use crate::model::{
    Baseline, CheckIn, ExerciseLog, MilestoneRecord, OdiEntry, Patient, PatientId, PlanItem,
};
use crate::model::{MetricKey, UseMode};
use crate::protocol::Protocol;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use egui_plot::PlotPoint;
use strum::VariantArray;

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
    /// Corrections of the details, oldest first.
    pub changes: Vec<crate::model::PatientChange>,
    /// The first day that counts ([`crate::model::PatientRecord::tracking_start`]).
    pub tracking_start: NaiveDate,
    pub status: PatientStatus,
    pub charts: Vec<MetricChart>,
    pub program: ProgramSummary,
    /// What is prescribed today.
    pub todays_plan: Vec<Prescription>,
    /// Adherence of the last 8 weeks since surgery, oldest first:
    /// (week since surgery, adherence).
    pub weekly_adherence: Vec<(i64, Adherence)>,
    /// The outcome check-ups and where each stands today.
    pub check_ups: Vec<crate::analysis::check_ups::CheckUp>,
    /// Where each expected course starts and why ("Starting points: …"),
    /// for Review and What to expect.
    pub starting_points: String,
    /// The expected course at [`COURSE_POINTS`], for "What to expect".
    pub expected_course: Vec<crate::analysis::trajectory::CourseRow>,
    /// The PSFS activities, in the order they were added.
    pub psfs_activities: Vec<crate::model::PsfsActivity>,
    /// PSFS ratings by day, then activity.
    pub psfs_ratings: Vec<crate::model::PsfsRating>,
    /// The PSFS score and each activity over time.
    pub psfs: crate::analysis::psfs::PsfsCourse,
}

/// The days "What to expect" shows the expected course at, with their
/// words: the usual check-up times after the operation.
pub const COURSE_POINTS: [(u32, &str); 5] = [
    (42, "6 weeks"),
    (91, "3 months"),
    (182, "6 months"),
    (365, "1 year"),
    (730, "2 years"),
];

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
            baseline: self.baseline.clone(),
            check_ins: self.check_ins.clone(),
            odi_entries: self.odi_entries.clone(),
            milestones: self.milestones.clone(),
            plan: self.plan.clone(),
            exercise_logs: self.exercise_logs.clone(),
            visit_notes: self.visit_notes.clone(),
            flag_reviews: self.flag_reviews.clone(),
            changes: self.changes.clone(),
            psfs_activities: self.psfs_activities.clone(),
            psfs_ratings: self.psfs_ratings.clone(),
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

/// A metric's chart as the plot takes it: the analysis's series with x in
/// weeks since surgery, converted once per cache rebuild, not per frame.
pub struct MetricChart {
    pub key: MetricKey,
    pub label: String,
    pub unit: String,
    /// "Back pain, points (0–10)".
    pub axis_title: String,
    pub values: Vec<PlotPoint>,
    pub average: Vec<PlotPoint>,
    pub median: Vec<PlotPoint>,
    pub band_weeks: Vec<f64>,
    pub band_low: Vec<f64>,
    pub band_high: Vec<f64>,
    pub mcid_line: Option<f64>,
    /// Reached milestones: x in weeks, and the labels in the same order.
    pub milestones: Vec<PlotPoint>,
    pub milestone_labels: Vec<String>,
    /// First and last week shown on the x axis (negative with days
    /// before surgery).
    pub first_week: f64,
    pub last_week: f64,
    pub y_max: f64,
}

fn weeks(day: i64) -> f64 {
    day as f64 / 7.0
}

fn in_weeks(points: &[(i64, f64)]) -> Vec<PlotPoint> {
    points
        .iter()
        .map(|&(d, v)| PlotPoint::new(weeks(d), v))
        .collect()
}

impl MetricChart {
    pub(crate) fn new(series: ChartSeries) -> Self {
        let milestone_y = series.y_max * 0.95;
        Self {
            axis_title: series.axis_title(),
            key: series.key,
            values: in_weeks(&series.values),
            average: in_weeks(&series.average),
            median: series
                .band
                .iter()
                .map(|b| PlotPoint::new(weeks(b.day), b.median))
                .collect(),
            band_weeks: series.band.iter().map(|b| weeks(b.day)).collect(),
            band_low: series.band.iter().map(|b| b.low).collect(),
            band_high: series.band.iter().map(|b| b.high).collect(),
            mcid_line: series.mcid_line,
            milestones: series
                .milestones
                .iter()
                .map(|(d, _)| PlotPoint::new(weeks(*d), milestone_y))
                .collect(),
            milestone_labels: series.milestones.into_iter().map(|(_, l)| l).collect(),
            first_week: weeks(series.first_day),
            last_week: weeks(series.last_day),
            y_max: series.y_max,
            label: series.label,
            unit: series.unit,
        }
    }
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
            Some((week, adherence(protocol, record, first, last)))
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
    let reached: Vec<(NaiveDate, String)> = program
        .milestones
        .iter()
        .filter_map(|m| Some((m.achieved_on?, m.label.clone())))
        .collect();
    let day_of = |d: NaiveDate| record.patient.days_since_surgery(d);
    let last_entry = record.check_ins.last().map_or(0, |c| day_of(c.day));
    // At least the first twelve weeks, so a new patient sees where they head.
    let last_day = day_of(today).max(last_entry).max(84);
    let first_day = record.check_ins.first().map_or(0, |c| day_of(c.day).min(0));
    let charts = MetricKey::VARIANTS
        .iter()
        .filter_map(|&key| chart_series(protocol, &record, &reached, key, first_day, last_day))
        .map(MetricChart::new)
        .collect();
    let tracking_start = record.tracking_start();
    let check_ups = crate::analysis::check_ups::check_ups(protocol, &record, today);
    let psfs = crate::analysis::psfs::PsfsCourse::of(
        &record.patient,
        &record.psfs_activities,
        &record.psfs_ratings,
    );
    let expected_course = crate::analysis::trajectory::patient_course(
        protocol,
        &record,
        &COURSE_POINTS.map(|(day, _)| day),
    );
    let patient = record.patient;
    let status = patient_status(
        protocol,
        &patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        today,
    );
    let starting_points = status.baseline_sentence(
        record
            .baseline
            .as_ref()
            .and_then(|b| b.clinician_reason.as_deref()),
    );
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
        changes: record.changes,
        tracking_start,
        status,
        charts,
        program,
        todays_plan,
        weekly_adherence,
        check_ups,
        expected_course,
        psfs_activities: record.psfs_activities,
        psfs_ratings: record.psfs_ratings,
        psfs,
        starting_points,
    }
}

#[derive(Default)]
pub struct Cache {
    built_from: Option<(u64, Option<PatientId>, NaiveDate)>,
    /// Who the file is for, chosen or by its content.
    pub use_mode: UseMode,
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
        self.use_mode = store.use_mode()?;
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
