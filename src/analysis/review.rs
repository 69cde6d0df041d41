//! What a physiotherapist checks at a visit: flags that need a look, the
//! weekly summary, and this period against the one before.

use super::program::{Adherence, adherence, milestone_statuses};
use super::status::{MIN_ENTRIES, PatientStatus, verdict};
use super::{Trajectory, Verdict};
use crate::model::MetricKey;
use crate::model::{CheckIn, PatientRecord, Urgency};
use crate::protocol::Protocol;
use crate::words::short_date;
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// Days without a check-in that make a flag.
pub const MISSED_DAYS: i64 = 3;
/// A rise of this many points (3-day average against the 7 days before).
pub const PAIN_RISE: f64 = 2.0;
/// Weekly adherence below this share of prescribed sessions.
pub const LOW_ADHERENCE: f64 = 50.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    WarningSymptom,
    PainRise,
    MissedDays,
    BehindTwoWeeks,
    LowAdherence,
    EarlyWatch,
    /// An outcome check-up's window passed without an answer.
    CheckUpMissing,
}

impl FlagKind {
    /// Higher needs attention sooner.
    pub fn weight(self) -> u32 {
        match self {
            FlagKind::WarningSymptom => 100,
            FlagKind::PainRise => 40,
            FlagKind::EarlyWatch => 30,
            FlagKind::BehindTwoWeeks => 20,
            FlagKind::MissedDays => 15,
            FlagKind::LowAdherence => 10,
            FlagKind::CheckUpMissing => 5,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FlagKind::WarningSymptom => "Warning symptom",
            FlagKind::PainRise => "Pain rising",
            FlagKind::MissedDays => "Missed check-ins",
            FlagKind::BehindTwoWeeks => "Behind for two weeks",
            FlagKind::LowAdherence => "Few exercise sessions",
            FlagKind::EarlyWatch => "Early watch",
            FlagKind::CheckUpMissing => "Check-up not answered",
        }
    }
}

/// How soon a flag needs the clinician, most urgent last (so `max` is the
/// most urgent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Worth knowing; no action needed by itself.
    Note,
    /// For the next visit.
    Discuss,
    /// A warning sign the surgical team should see today.
    SameDay,
    /// A warning sign that means an ambulance.
    Emergency,
}

impl Tier {
    pub fn words(self) -> &'static str {
        match self {
            Tier::Emergency => "Emergency",
            Tier::SameDay => "Same day",
            Tier::Discuss => "Discuss at the visit",
            Tier::Note => "Note",
        }
    }

    /// The words where room is short (a row of the patient list).
    pub fn short_words(self) -> &'static str {
        match self {
            Tier::Discuss => "Discuss",
            other => other.words(),
        }
    }

    /// A sign beside the words, never instead of them.
    pub fn sign(self) -> &'static str {
        match self {
            Tier::Emergency => "🚑",
            Tier::SameDay => "☎",
            Tier::Discuss => "●",
            Tier::Note => "○",
        }
    }
}

/// Something worth a look, with the reason in words. `key` is stable, so a
/// physiotherapist's "reviewed" mark stays with it until something new
/// happens (a new day, run or week of its own).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub tier: Tier,
    pub key: String,
    pub day: NaiveDate,
    pub reason: String,
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// Mean of a metric over check-ins in `first..=last`, with their count.
fn mean(
    check_ins: &[CheckIn],
    key: MetricKey,
    first: NaiveDate,
    last: NaiveDate,
) -> Option<(f64, usize)> {
    let start = check_ins.partition_point(|c| c.day < first);
    // Summed in order, as `Iterator::sum` would, without a list per call
    // (the patient list asks this some sixty times per patient).
    let (sum, count) = check_ins[start..]
        .iter()
        .take_while(|c| c.day <= last)
        .filter_map(|c| key.of_check_in(c))
        .fold((0.0, 0_usize), |(sum, count), v| (sum + v, count + 1));
    (count > 0).then(|| (sum / count as f64, count))
}

/// Every flag that arose between `from` and `to` (both included).
pub fn flags(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Flag> {
    flags_with_status(protocol, record, from, to, None)
}

/// [`flags`], given the record's status on `to` where the caller has it
/// already (the early watch is read from it).
fn flags_with_status(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
    status_on_to: Option<&PatientStatus>,
) -> Vec<Flag> {
    let mut out = Vec::new();
    // A warning sign counts whenever the patient recorded it, before the
    // operation too.
    let asked_from = from.max(record.first_used());
    if asked_from <= to {
        symptom_flags(record, asked_from, to, &mut out);
    }
    check_up_flags(protocol, record, from, to, &mut out);
    // Nothing else before the tracking start: the patient was in hospital,
    // or the app was not there yet.
    let from = from.max(record.tracking_start());
    if from > to {
        sort_flags(&mut out);
        return out;
    }
    missed_day_flags(record, from, to, &mut out);
    pain_rise_flags(record, from, to, &mut out);
    behind_flags(protocol, record, from, to, &mut out);
    adherence_flags(protocol, record, from, to, &mut out);
    match status_on_to {
        Some(status) => early_watch_flags(status, to, &mut out),
        None => {
            let status = status_on(protocol, record, to);
            early_watch_flags(&status, to, &mut out);
        }
    }
    sort_flags(&mut out);
    out
}

/// Most urgent first, then the heavier kind, then the newest.
fn sort_flags(flags: &mut [Flag]) {
    flags.sort_by(|a, b| {
        b.tier
            .cmp(&a.tier)
            .then(b.kind.weight().cmp(&a.kind.weight()))
            .then(b.day.cmp(&a.day))
    });
}

/// A check-up whose window closed in `from..=to` without an ODI total: a
/// note on the day after the window, never an alarm.
fn check_up_flags(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Flag>,
) {
    for c in super::check_ups::check_ups(protocol, record, to) {
        let closed = c.to + Days::new(1);
        let unanswered = matches!(
            c.state,
            super::check_ups::CheckUpState::Overdue | super::check_ups::CheckUpState::Missed
        );
        if unanswered && closed >= from && closed <= to {
            out.push(Flag {
                kind: FlagKind::CheckUpMissing,
                tier: Tier::Note,
                key: format!("check_up:{}", c.key),
                day: closed,
                reason: format!(
                    "No ODI total recorded for the {} ({} to {})",
                    c.name(),
                    crate::words::short_date(c.from),
                    crate::words::short_date(c.to)
                ),
            });
        }
    }
}

/// Warning symptoms, one flag per day.
fn symptom_flags(record: &PatientRecord, from: NaiveDate, to: NaiveDate, out: &mut Vec<Flag>) {
    let check_ins = &record.check_ins;
    // Warning symptoms, one flag per day.
    let start = check_ins.partition_point(|c| c.day < from);
    for c in check_ins[start..].iter().take_while(|c| c.day <= to) {
        let warnings = c.warnings();
        if let Some(urgency) = warnings.urgency() {
            let what: Vec<&str> = warnings.iter().map(|s| s.label()).collect();
            out.push(Flag {
                kind: FlagKind::WarningSymptom,
                tier: match urgency {
                    Urgency::Emergency => Tier::Emergency,
                    Urgency::SameDay => Tier::SameDay,
                },
                key: format!("symptom:{}", c.day),
                day: c.day,
                reason: format!("On {}: {}", short_date(c.day), what.join("; ")),
            });
        }
    }
}

/// Runs of missed days.
fn missed_day_flags(record: &PatientRecord, from: NaiveDate, to: NaiveDate, out: &mut Vec<Flag>) {
    let patient = &record.patient;
    let check_ins = &record.check_ins;
    // Runs of missed days, counting from the day after surgery (and never
    // before the tracking start, which `from` already is).
    let mut gap_start: Option<NaiveDate> = None;
    let first_expected = (patient.details.surgery_date + Days::new(1)).max(from);
    let has = |d: NaiveDate| check_ins.binary_search_by_key(&d, |c| c.day).is_ok();
    for d in days(first_expected, to) {
        match (has(d), gap_start) {
            (false, None) => gap_start = Some(d),
            (true, Some(start)) => {
                push_gap(out, start, d - Days::new(1), to);
                gap_start = None;
            }
            _ => {}
        }
    }
    if let Some(start) = gap_start {
        push_gap(out, start, to, to);
    }
}

/// Pain rising: a 3-day average at least 2 points above the 7 days before.
fn pain_rise_flags(record: &PatientRecord, from: NaiveDate, to: NaiveDate, out: &mut Vec<Flag>) {
    let check_ins = &record.check_ins;
    // Pain rising: 3-day average at least 2 points above the 7 days before.
    for key in [MetricKey::BackPain, MetricKey::LegPain] {
        let mut rising = false;
        for d in days(from, to) {
            let recent = mean(check_ins, key, d - Days::new(2), d).filter(|(_, n)| *n >= 2);
            let before = mean(check_ins, key, d - Days::new(9), d - Days::new(3))
                .filter(|(_, n)| *n >= MIN_ENTRIES);
            let rise = match (recent, before) {
                (Some((r, _)), Some((b, _))) if r - b >= PAIN_RISE => Some((r, b)),
                _ => None,
            };
            match rise {
                Some((r, b)) if !rising => {
                    let name = if key == MetricKey::BackPain {
                        "Back pain"
                    } else {
                        "Leg pain"
                    };
                    out.push(Flag {
                        kind: FlagKind::PainRise,
                        tier: Tier::Discuss,
                        key: format!("rise:{}:{d}", key.code()),
                        day: d,
                        reason: format!(
                            "{name} up {:.1} points by {}: 3-day average {r:.1} against {b:.1} the week before",
                            r - b,
                            short_date(d)
                        ),
                    });
                    rising = true;
                }
                Some(_) => {}
                None => rising = false,
            }
        }
    }
}

/// Behind the usual range two whole weeks in a row.
fn behind_flags(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Flag>,
) {
    let patient = &record.patient;
    let check_ins = &record.check_ins;
    let first_week = patient.week_since_surgery(from).max(0);
    let last_week = patient.week_since_surgery(to);
    // Behind the band two weeks in a row, and low adherence, by week.
    for key in [
        MetricKey::BackPain,
        MetricKey::LegPain,
        MetricKey::WalkingMinutes,
    ] {
        let Some(metric) = protocol.metric(key) else {
            continue;
        };
        let own = super::own_baseline(
            key,
            patient,
            record.baseline.as_ref(),
            check_ins,
            &record.odi_entries,
        );
        let Some(trajectory) = Trajectory::new(protocol, key, patient.details.approach, own) else {
            continue;
        };
        let mut behind_run = 0;
        for week in (first_week - 1).max(0)..=last_week {
            let Some(start) = week_start(record, week) else {
                continue;
            };
            let end = (start + Days::new(6)).min(to);
            let v = mean(check_ins, key, start, end)
                .filter(|(_, n)| *n >= MIN_ENTRIES)
                .map(|(v, _)| verdict(metric.better, v, &trajectory.at((week * 7 + 3) as f64)));
            behind_run = if v == Some(Verdict::Behind) {
                behind_run + 1
            } else {
                0
            };
            if behind_run >= 2 && end >= from {
                out.push(Flag {
                    kind: FlagKind::BehindTwoWeeks,
                    tier: Tier::Discuss,
                    key: format!("behind:{}:{week}", key.code()),
                    day: end,
                    reason: format!(
                        "{} behind the usual range in weeks {} and {week}",
                        metric.label,
                        week - 1
                    ),
                });
            }
        }
    }
}

/// Whole weeks with less than half the prescribed sessions done.
fn adherence_flags(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
    out: &mut Vec<Flag>,
) {
    let patient = &record.patient;
    let first_week = patient.week_since_surgery(from).max(0);
    let last_week = patient.week_since_surgery(to);
    for week in first_week..=last_week {
        let Some(start) = week_start(record, week) else {
            continue;
        };
        let end = start + Days::new(6);
        if end > to {
            continue; // only whole weeks
        }
        let a = adherence(protocol, record, start, end);
        if let Some(p) = a.percent().filter(|p| *p < LOW_ADHERENCE) {
            out.push(Flag {
                kind: FlagKind::LowAdherence,
                tier: Tier::Note,
                key: format!("adherence:{week}"),
                day: end,
                reason: format!(
                    "Week {week}: {p:.0}% of prescribed exercise sessions done ({} of {})",
                    a.done_sessions, a.prescribed_sessions
                ),
            });
        }
    }
}

/// The record's status on `day`.
fn status_on(protocol: &Protocol, record: &PatientRecord, day: NaiveDate) -> PatientStatus {
    super::patient_status(
        protocol,
        &record.patient,
        record.baseline.as_ref(),
        &record.check_ins,
        &record.odi_entries,
        day,
    )
}

/// The early watch of `status`, the status on `to`, the last day of the
/// range.
fn early_watch_flags(status: &PatientStatus, to: NaiveDate, out: &mut Vec<Flag>) {
    // One per metric for the whole watch window: reviewed once, it stays
    // reviewed.
    for sign in &status.watch_signs {
        out.push(Flag {
            kind: FlagKind::EarlyWatch,
            tier: Tier::Note,
            key: format!("watch:{}", sign.metric.code()),
            day: to,
            reason: sign.for_clinician(),
        });
    }
}

fn push_gap(out: &mut Vec<Flag>, start: NaiveDate, end: NaiveDate, to: NaiveDate) {
    let length = (end - start).num_days() + 1;
    if length < MISSED_DAYS {
        return;
    }
    let ongoing = if end == to { ", up to now" } else { "" };
    out.push(Flag {
        kind: FlagKind::MissedDays,
        tier: Tier::Discuss,
        key: format!("missed:{start}"),
        day: end,
        reason: format!(
            "No check-in for {length} days ({}–{}{ongoing})",
            short_date(start),
            short_date(end)
        ),
    });
}

fn week_start(record: &PatientRecord, week: i64) -> Option<NaiveDate> {
    let offset = u64::try_from(week * 7).ok()?;
    record
        .patient
        .details
        .surgery_date
        .checked_add_days(Days::new(offset))
}

/// One week since surgery, summed up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekSummary {
    pub week: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub check_ins: usize,
    pub back_pain: Option<f64>,
    pub leg_pain: Option<f64>,
    pub walking_minutes: Option<f64>,
    pub sitting_minutes: Option<f64>,
    pub sleep_quality: Option<f64>,
    /// Averages of the days that answered the nerve questions.
    pub numbness: Option<f64>,
    pub tingling: Option<f64>,
    /// The worst weakness of the week, when any was recorded.
    pub weakness: Option<crate::model::Weakness>,
    /// Opioid doses in the week.
    pub opioid_doses: u32,
    pub adherence: Adherence,
    pub milestones_reached: Vec<String>,
    /// Days with at least one warning symptom.
    pub warning_days: usize,
}

/// The weeks since surgery that overlap `from..=to`, oldest first.
pub fn weekly_summaries(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<WeekSummary> {
    let patient = &record.patient;
    // Weeks start at the tracking start: none for the days in hospital.
    let from = from.max(record.tracking_start());
    if from > to {
        return Vec::new();
    }
    let milestones = milestone_statuses(protocol, record, to);
    (patient.week_since_surgery(from)..=patient.week_since_surgery(to))
        .filter_map(|week| {
            let first_day = week_start(record, week)?.max(from);
            let last_day = (week_start(record, week)? + Days::new(6)).min(to);
            let start = record.check_ins.partition_point(|c| c.day < first_day);
            let week_check_ins: Vec<&CheckIn> = record.check_ins[start..]
                .iter()
                .take_while(|c| c.day <= last_day)
                .collect();
            let avg = |f: &dyn Fn(&CheckIn) -> f64| {
                (!week_check_ins.is_empty()).then(|| {
                    week_check_ins.iter().map(|c| f(c)).sum::<f64>() / week_check_ins.len() as f64
                })
            };
            Some(WeekSummary {
                week,
                first_day,
                last_day,
                check_ins: week_check_ins.len(),
                back_pain: avg(&|c| f64::from(c.back_pain)),
                leg_pain: avg(&|c| f64::from(c.leg_pain)),
                walking_minutes: avg(&|c| f64::from(c.walking_minutes)),
                sitting_minutes: avg(&|c| f64::from(c.sitting_minutes)),
                sleep_quality: avg(&|c| f64::from(c.sleep_quality)),
                numbness: answered_average(&week_check_ins, MetricKey::Numbness),
                tingling: answered_average(&week_check_ins, MetricKey::Tingling),
                weakness: week_check_ins
                    .iter()
                    .filter_map(|c| c.nerves.map(|n| n.weakness))
                    .filter(|w| w.level() > 0)
                    .max_by_key(|w| w.level()),
                opioid_doses: week_check_ins
                    .iter()
                    .map(|c| u32::from(c.opioid_doses))
                    .sum(),
                adherence: adherence(protocol, record, first_day, last_day),
                milestones_reached: milestones
                    .iter()
                    .filter(|m| {
                        m.achieved_on
                            .is_some_and(|d| d >= first_day && d <= last_day)
                    })
                    .map(|m| m.label.clone())
                    .collect(),
                warning_days: week_check_ins
                    .iter()
                    .filter(|c| !c.warnings().is_empty())
                    .count(),
            })
        })
        .collect()
}

/// The average of a metric over the check-ins that have it (the nerve
/// questions are optional); none when no day answered.
fn answered_average(check_ins: &[&CheckIn], key: MetricKey) -> Option<f64> {
    let values: Vec<f64> = check_ins
        .iter()
        .filter_map(|c| key.of_check_in(c))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Averages over a span of days, to set one period against the one before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodSummary {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub check_ins: usize,
    pub back_pain: Option<f64>,
    pub leg_pain: Option<f64>,
    pub walking_minutes: Option<f64>,
    pub sleep_quality: Option<f64>,
    pub adherence: Adherence,
}

pub fn period_summary(
    protocol: &Protocol,
    record: &PatientRecord,
    first: NaiveDate,
    last: NaiveDate,
) -> PeriodSummary {
    let m = |key| mean(&record.check_ins, key, first, last).map(|(v, _)| v);
    let start = record.check_ins.partition_point(|c| c.day < first);
    let in_range: Vec<&CheckIn> = record.check_ins[start..]
        .iter()
        .take_while(|c| c.day <= last)
        .collect();
    PeriodSummary {
        first_day: first,
        last_day: last,
        check_ins: in_range.len(),
        back_pain: m(MetricKey::BackPain),
        leg_pain: m(MetricKey::LegPain),
        walking_minutes: m(MetricKey::WalkingMinutes),
        sleep_quality: (!in_range.is_empty()).then(|| {
            in_range
                .iter()
                .map(|c| f64::from(c.sleep_quality))
                .sum::<f64>()
                / in_range.len() as f64
        }),
        adherence: adherence(protocol, record, first, last),
    }
}

/// The period `from..=to` and the one of the same length just before it.
pub fn compare_with_previous(
    protocol: &Protocol,
    record: &PatientRecord,
    from: NaiveDate,
    to: NaiveDate,
) -> (PeriodSummary, PeriodSummary) {
    let length = (to - from).num_days().max(0) as u64 + 1;
    let previous_to = from - Days::new(1);
    let previous_from = from - Days::new(length);
    (
        period_summary(protocol, record, from, to),
        period_summary(protocol, record, previous_from, previous_to),
    )
}

#[cfg(test)]
mod tests;

/// Days of recent history a patient list looks at for open flags.
pub const OVERVIEW_DAYS: u64 = 14;

/// One line of a physiotherapist's patient list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverviewRow {
    pub id: crate::model::PatientId,
    pub name: String,
    pub archived: bool,
    pub week: i64,
    pub last_check_in: Option<NaiveDate>,
    /// The worse of the back and leg pain verdicts.
    pub verdict: Verdict,
    /// Flags of the last two weeks nobody has marked reviewed, most urgent
    /// first.
    pub open_flags: Vec<Flag>,
    /// The outcome check-up due now, or overdue.
    pub check_up: Option<super::check_ups::CheckUp>,
}

impl OverviewRow {
    /// The most urgent open flag's tier.
    pub fn top_tier(&self) -> Option<Tier> {
        self.open_flags.iter().map(|f| f.tier).max()
    }

    /// The day of the oldest open flag of the top tier: who has waited
    /// longest comes first among equals.
    fn waiting_since(&self) -> Option<NaiveDate> {
        let top = self.top_tier()?;
        self.open_flags
            .iter()
            .filter(|f| f.tier == top)
            .map(|f| f.day)
            .min()
    }

    fn silent_days(&self, today: NaiveDate) -> i64 {
        self.last_check_in
            .map_or(i64::MAX, |d| (today - d).num_days())
    }
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Behind => 3,
        Verdict::NotEnoughData => 2,
        Verdict::OnTrack => 1,
        _ => 0,
    }
}

/// Days of check-ins the patient list reads, back from today: the two weeks
/// it flags (they start `OVERVIEW_DAYS - 1` days back) and what its rules
/// compare them with. The rule that looks furthest back is "behind two
/// weeks in a row": for the first whole week since surgery that ends in the
/// two weeks (it starts up to six days before them) it needs the week
/// before as well, seven days more. (The pain rise looks 9 days back from
/// each day, the status 13.)
pub const OVERVIEW_HISTORY_DAYS: u64 = OVERVIEW_DAYS - 1 + 6 + 7;

/// The first day of each kind of row a patient list reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverviewReads {
    pub check_ins_from: NaiveDate,
    pub exercise_logs_from: NaiveDate,
}

/// What a patient list reads on `today`. Exercise logs only count towards
/// adherence by whole weeks since surgery that end within the flagged two
/// weeks, so they are read from the start of the first such week at the
/// earliest: six days before the two weeks.
pub fn overview_reads(today: NaiveDate) -> OverviewReads {
    OverviewReads {
        check_ins_from: today - Days::new(OVERVIEW_HISTORY_DAYS),
        exercise_logs_from: today - Days::new(OVERVIEW_DAYS - 1 + 6),
    }
}

/// `last_check_in` is the patient's last check-in ever; `record` may hold
/// only the last [`OVERVIEW_HISTORY_DAYS`].
pub fn overview(
    protocol: &Protocol,
    record: &PatientRecord,
    today: NaiveDate,
    last_check_in: Option<NaiveDate>,
) -> OverviewRow {
    let patient = &record.patient;
    let status = status_on(protocol, record, today);
    let verdict = [MetricKey::BackPain, MetricKey::LegPain]
        .into_iter()
        .filter_map(|k| status.metric(k).map(|m| m.verdict))
        .max_by_key(|v| verdict_rank(*v))
        .unwrap_or(Verdict::NoExpectation);
    let open_flags: Vec<Flag> = flags_with_status(
        protocol,
        record,
        today - Days::new(OVERVIEW_DAYS - 1),
        today,
        Some(&status),
    )
    .into_iter()
    .filter(|f| !record.flag_reviews.iter().any(|r| r.flag_key == f.key))
    .collect();
    OverviewRow {
        id: patient.id,
        name: patient.details.name.clone(),
        archived: patient.archived,
        week: patient.week_since_surgery(today),
        last_check_in,
        verdict,
        open_flags,
        check_up: super::check_ups::open_check_up(&super::check_ups::check_ups(
            protocol, record, today,
        ))
        .cloned(),
    }
}

/// Every patient's row, most in need of attention first, from each record
/// and the day of its last check-in.
pub fn overview_rows(
    protocol: &Protocol,
    records: &[(PatientRecord, Option<NaiveDate>)],
    today: NaiveDate,
) -> Vec<OverviewRow> {
    let mut rows: Vec<OverviewRow> = records
        .iter()
        .map(|(r, last)| overview(protocol, r, today, *last))
        .collect();
    sort_by_need(&mut rows, today);
    rows
}

/// The patient list's order: the most urgent flag first (an emergency
/// above a same-day sign above the rest), then who has waited longest with
/// it, then being behind, then silence, then the name.
pub fn sort_by_need(rows: &mut [OverviewRow], today: NaiveDate) {
    rows.sort_by(|a, b| {
        b.top_tier()
            .cmp(&a.top_tier())
            .then_with(|| a.waiting_since().cmp(&b.waiting_since()))
            .then_with(|| verdict_rank(b.verdict).cmp(&verdict_rank(a.verdict)))
            .then_with(|| b.silent_days(today).cmp(&a.silent_days(today)))
            .then_with(|| a.name.cmp(&b.name))
    });
}
