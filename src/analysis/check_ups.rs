//! Outcome check-ups: the days the clinic's questionnaire (the ODI total,
//! typed from the paper form) is asked, from the protocol's schedule, and
//! where each stands for a patient on a day. A missing check-up is worth a
//! note, never an alarm.

use crate::model::PatientRecord;
use crate::protocol::{CheckUpSpec, Protocol};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// Days after a check-up's window during which it is "overdue" when the
/// next one has not opened yet (the last one has no next).
const OVERDUE_AT_MOST_DAYS: u64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckUpState {
    /// Its window has not opened yet.
    Upcoming,
    /// In its window and not answered yet.
    Due,
    /// An ODI total was recorded in its window.
    Done,
    /// Its window has passed without an answer, and the next has not
    /// opened: still worth asking.
    Overdue,
    /// Its window passed without an answer long ago.
    Missed,
}

/// One check-up of one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckUp {
    pub key: String,
    /// "3-month"
    pub label: String,
    pub due_on: NaiveDate,
    /// The first and last day an answer counts.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub state: CheckUpState,
    /// The day of the answer, when done.
    pub answered_on: Option<NaiveDate>,
}

impl CheckUp {
    /// "3-month check-up" ("before-surgery check-up").
    pub fn name(&self) -> String {
        format!("{} check-up", self.label)
    }

    /// Due now or overdue: something to do.
    pub fn is_open(&self) -> bool {
        matches!(self.state, CheckUpState::Due | CheckUpState::Overdue)
    }
}

/// The patient's check-ups on `today`, in schedule order. Check-ups whose
/// window closed before the patient first used the app are left out: the
/// app was not there to ask.
pub fn check_ups(protocol: &Protocol, record: &PatientRecord, today: NaiveDate) -> Vec<CheckUp> {
    let surgery = record.patient.details.surgery_date;
    let first_used = record.first_used();
    let on = |day: i32| {
        let days = Days::new(u64::from(day.unsigned_abs()));
        if day < 0 {
            surgery.checked_sub_days(days)
        } else {
            surgery.checked_add_days(days)
        }
    };
    let specs = &protocol.check_ups;
    specs
        .iter()
        .enumerate()
        .filter_map(|(i, spec)| {
            let (from, to, due_on) = (on(spec.window[0])?, on(spec.window[1])?, on(spec.day)?);
            if to < first_used {
                return None;
            }
            // Still worth asking after its window, until the next one
            // opens (and, before surgery, until the operation).
            let next_opens = specs
                .get(i + 1)
                .and_then(|next: &CheckUpSpec| on(next.window[0]));
            let mut overdue_until = to
                .checked_add_days(Days::new(OVERDUE_AT_MOST_DAYS))
                .unwrap_or(to);
            if let Some(next) = next_opens {
                overdue_until = overdue_until.min(next);
            }
            if spec.window[1] < 0 {
                overdue_until = overdue_until.min(surgery);
            }
            // An answer in the window, or a late one while it was overdue;
            // only what was recorded by `today`.
            let answered_on = record
                .odi_entries
                .iter()
                .map(|e| e.day)
                .find(|&d| d >= from && (d <= to || d < overdue_until) && d <= today);
            let state = match answered_on {
                Some(_) => CheckUpState::Done,
                None if today < from => CheckUpState::Upcoming,
                None if today <= to => CheckUpState::Due,
                None if today < overdue_until => CheckUpState::Overdue,
                None => CheckUpState::Missed,
            };
            Some(CheckUp {
                key: spec.key.clone(),
                label: spec.label.clone(),
                due_on,
                from,
                to,
                state,
                answered_on,
            })
        })
        .collect()
}

/// The check-ups so far and the next one, in a sentence for the clinic:
/// "Check-ups: before-surgery answered 20 Dec 2025; 6-week not answered;
/// 3-month due until 26 Apr 2026; 6-month from 15 Jun 2026." `None` without
/// a schedule.
pub fn check_up_sentence(check_ups: &[CheckUp]) -> Option<String> {
    let mut parts = Vec::new();
    for c in check_ups {
        // With the year: two years of check-ups span three of them.
        let date = crate::words::date;
        let part = match (c.state, c.answered_on) {
            (CheckUpState::Done, Some(on)) => format!("{} answered {}", c.label, date(on)),
            (CheckUpState::Due, _) => format!("{} due until {}", c.label, date(c.to)),
            (CheckUpState::Overdue, _) => {
                format!("{} overdue since {}", c.label, date(c.to + Days::new(1)))
            }
            (CheckUpState::Upcoming, _) => {
                parts.push(format!("{} from {}", c.label, date(c.from)));
                break;
            }
            _ => format!("{} not answered", c.label),
        };
        parts.push(part);
    }
    (!parts.is_empty()).then(|| format!("Check-ups: {}.", parts.join("; ")))
}

/// The check-up to act on today, if any: the one due, else the one
/// overdue.
pub fn open_check_up(check_ups: &[CheckUp]) -> Option<&CheckUp> {
    check_ups
        .iter()
        .find(|c| c.state == CheckUpState::Due)
        .or_else(|| check_ups.iter().find(|c| c.state == CheckUpState::Overdue))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OdiEntry, Patient};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    /// Surgery 2026-01-05, set up 2025-12-01 (before it).
    fn record(odi: &[&str]) -> PatientRecord {
        let mut r = PatientRecord::empty(Patient {
            first_used_on: Some(day("2025-12-01")),
            ..crate::model::test_patient("2026-01-05", "2025-12-01")
        });
        r.odi_entries = odi
            .iter()
            .map(|d| OdiEntry {
                day: day(d),
                total: 30,
            })
            .collect();
        r
    }

    fn protocol() -> Protocol {
        Protocol::embedded().expect("the built-in protocol")
    }

    fn states(r: &PatientRecord, on: &str) -> Vec<(String, CheckUpState)> {
        check_ups(&protocol(), r, day(on))
            .into_iter()
            .map(|c| (c.key, c.state))
            .collect()
    }

    #[test]
    fn day_85_the_three_month_check_up_is_due_and_day_120_overdue() {
        use CheckUpState::*;
        let r = record(&["2025-12-20", "2026-02-16"]);
        let day_85 = "2026-03-31";
        assert_eq!(
            states(&r, day_85),
            [
                ("before_surgery".to_owned(), Done),
                ("six_weeks".to_owned(), Done),
                ("three_months".to_owned(), Due),
                ("six_months".to_owned(), Upcoming),
                ("one_year".to_owned(), Upcoming),
                ("two_years".to_owned(), Upcoming),
            ]
        );
        let day_120 = "2026-05-05";
        let c = check_ups(&protocol(), &r, day(day_120));
        assert_eq!(c[2].state, Overdue);
        assert_eq!(
            open_check_up(&c).map(|c| c.name()),
            Some("3-month check-up".into())
        );
        // Once the 6-month window opens (day 161), the 3-month one is missed.
        assert_eq!(states(&r, "2026-06-15")[2].1, Missed);
        assert_eq!(
            check_up_sentence(&c).as_deref(),
            Some(
                "Check-ups: before-surgery answered 20 Dec 2025; 6-week answered 16 Feb 2026; \
                 3-month overdue since 28 Apr 2026; 6-month from 15 Jun 2026."
            )
        );
        // An answer in the window, whenever typed, makes it done.
        let answered = record(&["2026-04-20"]);
        assert_eq!(states(&answered, day_120)[2].1, Done);
        assert_eq!(states(&answered, day_120)[0].1, Missed);
    }

    #[test]
    fn a_late_answer_closes_an_overdue_check_up_but_not_one_after_surgery() {
        use CheckUpState::*;
        // Day 120 (3-month window closed at day 112), ODI on day 115.
        let late = record(&["2026-04-30"]);
        assert_eq!(states(&late, "2026-05-05")[2].1, Done);
        // Not yet known on day 113: overdue then.
        assert_eq!(states(&late, "2026-04-28")[2].1, Overdue);
        // The before-surgery check-up is missed from the day of the operation
        // and a total after it does not answer it.
        let none = record(&[]);
        assert_eq!(states(&none, "2026-01-04")[0].1, Due, "its last day");
        assert_eq!(states(&none, "2026-01-05")[0].1, Missed);
        let after = record(&["2026-01-06"]);
        assert_eq!(states(&after, "2026-01-06")[0].1, Missed);
    }

    #[test]
    fn a_past_day_is_judged_on_what_was_recorded_by_then() {
        let r = record(&["2025-12-20", "2026-02-16", "2026-04-10"]);
        // On day 60 the 3-month total (day 95) was not yet recorded.
        let on_day_60 = states(&r, "2026-03-06");
        assert_eq!(on_day_60[2].1, CheckUpState::Upcoming);
        assert_eq!(states(&r, "2026-04-10")[2].1, CheckUpState::Done);
    }

    #[test]
    fn a_check_up_before_the_patient_was_set_up_is_not_asked() {
        let mut r = record(&[]);
        r.patient.first_used_on = Some(day("2026-03-05"));
        let keys: Vec<String> = check_ups(&protocol(), &r, day("2026-03-31"))
            .into_iter()
            .map(|c| c.key)
            .collect();
        assert_eq!(keys.first().map(String::as_str), Some("three_months"));
    }
}
