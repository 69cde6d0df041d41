//! The PSFS over time: the score (the average of a day's ratings) and each
//! activity's rating, against days since surgery, with the change since the
//! first answer and whether it is meaningful: 2 points for the average, 3
//! for one activity (Stratford P, Gill C, Westaway M, Binkley J,
//! Physiotherapy Canada 1995;47(4):258-263). Abbott JH and Schmitt JS (J
//! Orthop Sports Phys Ther 2014;44(8):560-564) found 1.3, 2.3 and 2.7 for a
//! small, medium and large change of the average.

use crate::model::psfs::answers;
use crate::model::{Patient, PsfsActivity, PsfsRating};
use chrono::NaiveDate;
use serde::Serialize;

/// A change of the average this large is meaningful.
pub const MEANINGFUL_AVERAGE: f64 = 2.0;
/// A change of one activity's rating this large is meaningful.
pub const MEANINGFUL_ACTIVITY: f64 = 3.0;

/// One activity's ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityCourse {
    pub name: String,
    pub retired_on: Option<NaiveDate>,
    /// (day since surgery, rating), oldest first.
    pub points: Vec<(i64, f64)>,
}

impl ActivityCourse {
    /// Latest minus first rating, when rated twice or more.
    pub fn change(&self) -> Option<f64> {
        match (self.points.first(), self.points.last()) {
            (Some(first), Some(last)) if self.points.len() > 1 => Some(last.1 - first.1),
            _ => None,
        }
    }
}

/// Everything a PSFS chart and its sentence need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PsfsCourse {
    /// (day since surgery, the day's score), oldest first.
    pub average: Vec<(i64, f64)>,
    pub activities: Vec<ActivityCourse>,
    /// The days of the answers, oldest first.
    pub days: Vec<NaiveDate>,
}

impl PsfsCourse {
    pub fn of(patient: &Patient, activities: &[PsfsActivity], ratings: &[PsfsRating]) -> Self {
        let answers = answers(ratings);
        let average = answers
            .iter()
            .map(|a| (patient.days_since_surgery(a.day), a.score()))
            .collect();
        let activities = activities
            .iter()
            .map(|a| ActivityCourse {
                name: a.name.clone(),
                retired_on: a.retired_on,
                points: ratings
                    .iter()
                    .filter(|r| a.is_named(&r.activity))
                    .map(|r| (patient.days_since_surgery(r.day), f64::from(r.score)))
                    .collect(),
            })
            .collect();
        Self {
            average,
            activities,
            days: answers.iter().map(|a| a.day).collect(),
        }
    }

    /// Latest minus first score, when answered twice or more.
    pub fn change(&self) -> Option<f64> {
        match (self.average.first(), self.average.last()) {
            (Some(first), Some(last)) if self.average.len() > 1 => Some(last.1 - first.1),
            _ => None,
        }
    }

    /// "PSFS 6.3 on 2 Mar 2026, up 3.0 since 1 Feb 2026: a meaningful
    /// improvement (2 points or more)."
    pub fn sentence(&self) -> String {
        let (Some(&(_, latest)), Some(&last_day)) = (self.average.last(), self.days.last()) else {
            return "No PSFS answer yet.".to_owned();
        };
        // With the year: answers span the two years after surgery.
        let date = crate::words::date;
        let mut text = format!("PSFS {latest:.1} on {}", date(last_day));
        if let (Some(change), Some(&first_day)) = (self.change(), self.days.first()) {
            let direction = if change >= 0.0 { "up" } else { "down" };
            text.push_str(&format!(
                ", {direction} {:.1} since {}",
                change.abs(),
                date(first_day)
            ));
            text.push_str(if change >= MEANINGFUL_AVERAGE {
                ": a meaningful improvement (2 points or more)."
            } else if change <= -MEANINGFUL_AVERAGE {
                ": a meaningful worsening (2 points or more)."
            } else {
                ": less than the 2 points that count as a meaningful change."
            });
        } else {
            text.push_str(": rate the same activities again later to see the change.");
        }
        text
    }

    /// The activities whose rating changed meaningfully (3 points or
    /// more), with the change.
    pub fn meaningful_activities(&self) -> Vec<(&str, f64)> {
        self.activities
            .iter()
            .filter_map(|a| Some((a.name.as_str(), a.change()?)))
            .filter(|(_, c)| c.abs() >= MEANINGFUL_ACTIVITY)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Patient;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    fn patient() -> Patient {
        crate::model::test_patient("2026-01-05", "2026-01-01")
    }

    #[test]
    fn the_change_since_the_first_answer_is_judged_against_two_and_three_points() {
        let activities: Vec<PsfsActivity> = ["Put on socks", "Sit through a film", "Walk the dog"]
            .iter()
            .map(|n| PsfsActivity {
                name: (*n).into(),
                added_on: day("2026-02-01"),
                retired_on: None,
            })
            .collect();
        let r = |on: &str, name: &str, score| PsfsRating {
            day: day(on),
            activity: name.into(),
            score,
        };
        let ratings = [
            r("2026-02-01", "Put on socks", 2),
            r("2026-02-01", "Sit through a film", 3),
            r("2026-02-01", "Walk the dog", 4),
            r("2026-03-02", "Put on socks", 6),
            r("2026-03-02", "Sit through a film", 5),
            r("2026-03-02", "Walk the dog", 7),
        ];
        let course = PsfsCourse::of(&patient(), &activities, &ratings);
        assert_eq!(course.average, [(27, 3.0), (56, 6.0)]);
        assert_eq!(course.change(), Some(3.0));
        assert_eq!(
            course.sentence(),
            "PSFS 6.0 on 2 Mar 2026, up 3.0 since 1 Feb 2026: a meaningful improvement (2 points \
             or more)."
        );
        assert_eq!(
            course.meaningful_activities(),
            [("Put on socks", 4.0), ("Walk the dog", 3.0)]
        );
    }
}
