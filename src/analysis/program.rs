//! Milestones against their expected windows, the exercises prescribed on a
//! day, and adherence to them.

use crate::model::{Dose, MilestoneRecord, Patient, PatientRecord, PlanItem};
use crate::protocol::Protocol;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneState {
    /// Reached before its window.
    Early,
    /// Reached within its window (first and last day included).
    InWindow,
    /// Reached after its window.
    Late,
    /// Not reached; its window has not started.
    Upcoming,
    /// Not reached; today is within its window.
    DueNow,
    /// Not reached; its window has passed.
    NotYetLate,
    /// Not recorded, and its window ended before the app was used: the
    /// person is asked whether it happened, never told it is late.
    Ask,
}

impl MilestoneState {
    pub fn words(self) -> &'static str {
        match self {
            MilestoneState::Early => "earlier than usual",
            MilestoneState::InWindow => "at the usual time",
            MilestoneState::Late => "later than usual",
            MilestoneState::Upcoming => "coming up",
            MilestoneState::DueNow => "usual time is now",
            MilestoneState::NotYetLate => "not yet, later than usual",
            MilestoneState::Ask => "did you already?",
        }
    }

    pub fn reached(self) -> bool {
        matches!(
            self,
            MilestoneState::Early | MilestoneState::InWindow | MilestoneState::Late
        )
    }

    pub fn later_than_usual(self) -> bool {
        matches!(self, MilestoneState::Late | MilestoneState::NotYetLate)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneStatus {
    pub key: String,
    pub label: String,
    /// Expected window, days since surgery, both ends included.
    pub window: [u16; 2],
    pub achieved_on: Option<NaiveDate>,
    pub state: MilestoneState,
    pub custom: bool,
    pub source: Option<String>,
}

/// A milestone's state from its window, the day it was reached, today and
/// the first day tracked (all in days since surgery).
pub fn milestone_state(
    window: [u16; 2],
    achieved_day: Option<i64>,
    today_day: i64,
    tracked_from: i64,
) -> MilestoneState {
    let (from, to) = (i64::from(window[0]), i64::from(window[1]));
    match achieved_day {
        None if to < tracked_from => MilestoneState::Ask,
        Some(d) if d < from => MilestoneState::Early,
        Some(d) if d <= to => MilestoneState::InWindow,
        Some(_) => MilestoneState::Late,
        None if today_day < from => MilestoneState::Upcoming,
        None if today_day <= to => MilestoneState::DueNow,
        None => MilestoneState::NotYetLate,
    }
}

/// Every protocol milestone and every custom one, by window start. One
/// not reached whose window ended before the record's tracking start is
/// asked about, not judged late: the app was not there to see it.
pub fn milestone_statuses(
    protocol: &Protocol,
    record: &PatientRecord,
    today: NaiveDate,
) -> Vec<MilestoneStatus> {
    let (patient, records) = (&record.patient, &record.milestones);
    let started = patient.days_since_surgery(record.tracking_start());
    let by_key: HashMap<&str, &MilestoneRecord> =
        records.iter().map(|r| (r.key.as_str(), r)).collect();
    let today_day = patient.days_since_surgery(today);
    let day_of = |r: Option<&&MilestoneRecord>| {
        r.and_then(|r| r.achieved_on)
            .map(|d| patient.days_since_surgery(d))
    };
    let mut statuses: Vec<MilestoneStatus> = protocol
        .milestones
        .iter()
        .map(|spec| {
            let record = by_key.get(spec.key.as_str());
            let window = spec.window(patient.details.approach);
            MilestoneStatus {
                key: spec.key.clone(),
                label: spec.label.clone(),
                window,
                achieved_on: record.and_then(|r| r.achieved_on),
                state: milestone_state(window, day_of(record), today_day, started),
                custom: false,
                // A window borrowed from another approach says so where
                // its source is shown.
                source: Some(
                    if spec.window_is_assumed(patient.details.approach) && !spec.assumption {
                        format!(
                            "The window for {} is an assumption: {}",
                            patient.details.approach.cohort().words(),
                            spec.source
                        )
                    } else {
                        spec.source.clone()
                    },
                ),
            }
        })
        .collect();
    statuses.extend(records.iter().filter_map(|r| {
        let custom = r.custom.as_ref()?;
        let window = [custom.window_from, custom.window_to];
        Some(MilestoneStatus {
            key: r.key.clone(),
            label: custom.label.clone(),
            window,
            achieved_on: r.achieved_on,
            state: milestone_state(window, day_of(Some(&r)), today_day, started),
            custom: true,
            source: None,
        })
    }));
    statuses.sort_by_key(|s| (s.window[0], s.window[1]));
    statuses
}

/// An exercise as prescribed on a day, with what the protocol says of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prescription {
    pub exercise_key: String,
    pub name: String,
    pub dose: Dose,
    pub instructions: Vec<String>,
    pub cautions: Vec<String>,
    /// The plan item behind it; `None` while the plan follows the protocol.
    pub plan_item: Option<i64>,
}

/// Where a day's prescription of an exercise comes from.
enum Prescribed<'a> {
    Plan(&'a PlanItem),
    Protocol(&'a crate::protocol::ExerciseSpec),
}

impl Prescribed<'_> {
    fn exercise_key(&self) -> &str {
        match self {
            Prescribed::Plan(item) => &item.exercise_key,
            Prescribed::Protocol(spec) => &spec.key,
        }
    }

    fn dose(&self) -> Dose {
        match self {
            Prescribed::Plan(item) => item.dose,
            Prescribed::Protocol(spec) => spec.dose(),
        }
    }
}

/// What is prescribed on `day`: the patient's own plan from its first
/// item's start, and before that (or without one) the protocol's phase.
/// Borrowed, so that counting sessions copies no words.
fn prescribed<'a>(
    protocol: &'a Protocol,
    patient: &Patient,
    plan: &'a [PlanItem],
    day: NaiveDate,
) -> Vec<Prescribed<'a>> {
    let own_plan_from = plan.iter().map(|i| i.start_day).min();
    if own_plan_from.is_some_and(|start| day >= start) {
        return plan
            .iter()
            .filter(|i| i.active_on(day))
            .map(Prescribed::Plan)
            .collect();
    }
    let Some(phase) = protocol.phase_on(patient.days_since_surgery(day)) else {
        return Vec::new();
    };
    if patient.days_since_surgery(day) < 0 {
        return Vec::new();
    }
    phase.exercises.iter().map(Prescribed::Protocol).collect()
}

/// The exercises prescribed on `day`: the patient's own plan from its first
/// item's start, and before that (or without one) the protocol's phase.
pub fn prescribed_on(
    protocol: &Protocol,
    patient: &Patient,
    plan: &[PlanItem],
    day: NaiveDate,
) -> Vec<Prescription> {
    prescribed(protocol, patient, plan, day)
        .into_iter()
        .map(|p| match p {
            Prescribed::Plan(i) => {
                let spec = protocol.exercise(&i.exercise_key);
                Prescription {
                    exercise_key: i.exercise_key.clone(),
                    name: i.name.clone(),
                    dose: i.dose,
                    instructions: match spec {
                        Some(s) if i.instructions.trim().is_empty() => s.instructions.clone(),
                        _ => i.instructions.lines().map(str::to_owned).collect(),
                    },
                    cautions: spec.map(|s| s.cautions.clone()).unwrap_or_default(),
                    plan_item: i.id,
                }
            }
            Prescribed::Protocol(e) => Prescription {
                exercise_key: e.key.clone(),
                name: e.name.clone(),
                dose: e.dose(),
                instructions: e.instructions.clone(),
                cautions: e.cautions.clone(),
                plan_item: None,
            },
        })
        .collect()
}

/// The protocol's current phase as plan items starting on `day`: what a
/// physiotherapist's first edit of a plan starts from.
pub fn plan_from_protocol(protocol: &Protocol, patient: &Patient, day: NaiveDate) -> Vec<PlanItem> {
    prescribed_on(protocol, patient, &[], day)
        .into_iter()
        .map(|p| PlanItem {
            id: None,
            exercise_key: p.exercise_key,
            name: p.name,
            instructions: String::new(),
            dose: p.dose,
            start_day: day,
            end_day: None,
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Adherence {
    pub prescribed_sessions: u32,
    pub done_sessions: u32,
}

impl Adherence {
    /// Percent of prescribed sessions done; `None` when nothing was prescribed.
    pub fn percent(&self) -> Option<f64> {
        (self.prescribed_sessions > 0)
            .then(|| 100.0 * f64::from(self.done_sessions) / f64::from(self.prescribed_sessions))
    }
}

/// Sessions done against sessions prescribed over `first..=last`, each day
/// judged against that day's plan. Extra sessions of an exercise do not make
/// up for another; exercises not prescribed that day do not count; days
/// before the record's tracking start (in hospital, before the app) are
/// not counted at all.
pub fn adherence(
    protocol: &Protocol,
    record: &PatientRecord,
    first: NaiveDate,
    last: NaiveDate,
) -> Adherence {
    let (patient, plan, logs) = (&record.patient, &record.plan, &record.exercise_logs);
    let mut result = Adherence::default();
    let mut next_log = logs.partition_point(|l| l.day < first);
    let mut day = first.max(record.tracking_start());
    while day <= last {
        while logs.get(next_log).is_some_and(|l| l.day < day) {
            next_log += 1;
        }
        let todays = &logs[next_log..];
        let todays = &todays[..todays.partition_point(|l| l.day == day)];
        for p in prescribed(protocol, patient, plan, day) {
            let wanted = p.dose().times_per_day;
            // A day's few logs are searched, not put in a map (the patient
            // list asks this for thousands of patient-days).
            let did = todays
                .iter()
                .rfind(|l| l.exercise_key == p.exercise_key())
                .map_or(0, |l| l.sessions)
                .min(wanted);
            result.prescribed_sessions += u32::from(wanted);
            result.done_sessions += u32::from(did);
        }
        let Some(next) = day.checked_add_days(Days::new(1)) else {
            break;
        };
        day = next;
    }
    result
}

#[cfg(test)]
mod tests;

/// Milestones and this week's exercise, in numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramSummary {
    pub milestones_reached: usize,
    pub milestones_total: usize,
    pub milestones_later_than_usual: usize,
    /// The 7 days ending on the day of the summary.
    pub adherence_this_week: Adherence,
    pub milestones: Vec<MilestoneStatus>,
}

pub fn program_summary(
    protocol: &Protocol,
    record: &PatientRecord,
    on: NaiveDate,
) -> ProgramSummary {
    let milestones = milestone_statuses(protocol, record, on);
    let week_start = on.checked_sub_days(Days::new(6)).unwrap_or(on);
    ProgramSummary {
        milestones_reached: milestones.iter().filter(|m| m.state.reached()).count(),
        milestones_total: milestones.len(),
        milestones_later_than_usual: milestones
            .iter()
            .filter(|m| m.state.later_than_usual())
            .count(),
        adherence_this_week: adherence(protocol, record, week_start, on),
        milestones,
    }
}
