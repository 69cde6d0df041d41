//! The Patient-Specific Functional Scale (Stratford P, Gill C, Westaway M,
//! Binkley J, Physiotherapy Canada 1995;47(4):258-263): the patient names 3 to 5 activities they
//! find hard ("put on socks") and rates each 0 to 10 (0 = unable, 10 = as
//! before the problem); the score is the average. Free to use.
//!
//! An activity is known by its name within a patient. Later ratings reuse
//! the same activities; one can be added, or retired (kept with its
//! history, no longer asked).

use super::{Patient, ValidationError, check_day_for, check_range, check_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest activity name, in characters.
pub const MAX_ACTIVITY_CHARS: usize = 100;
/// The scale asks for 3 to 5 activities at a time.
pub const MIN_ACTIVE: usize = 3;
pub const MAX_ACTIVE: usize = 5;

/// One activity the patient finds hard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PsfsActivity {
    pub name: String,
    pub added_on: NaiveDate,
    /// No longer asked from this day; its ratings stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_on: Option<NaiveDate>,
}

impl PsfsActivity {
    pub fn validate(&self) -> Result<(), ValidationError> {
        let name = self.name.trim();
        // Zero-width characters alone would be a name nobody can read.
        let invisible = |c: char| {
            c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
        };
        if name.chars().all(invisible) {
            return Err(ValidationError::new("activity", "needs a name"));
        }
        check_text("activity", name, MAX_ACTIVITY_CHARS)?;
        if self.name.chars().any(char::is_control) {
            return Err(ValidationError::new("activity", "should be one line"));
        }
        if let Some(retired) = self.retired_on
            && retired <= self.added_on
        {
            return Err(ValidationError::new(
                "retired_on",
                format!(
                    "{retired} is not after the day the activity was added, so it was never asked"
                ),
            ));
        }
        Ok(())
    }

    /// Its days against the patient's operation and today.
    pub fn validate_for(&self, patient: &Patient, today: NaiveDate) -> Result<(), ValidationError> {
        self.validate()?;
        check_day_for("added_on", self.added_on, patient, today)?;
        if let Some(retired) = self.retired_on {
            check_day_for("retired_on", retired, patient, today)?;
        }
        Ok(())
    }

    /// Asked on `day`: added on or before it, not yet retired.
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.added_on <= day && self.retired_on.is_none_or(|r| r > day)
    }

    /// The same activity as `name`, as people write it: case and spaces
    /// around do not matter.
    pub fn is_named(&self, name: &str) -> bool {
        same_name(&self.name, name)
    }
}

/// Two spellings of one activity's name: case and spaces around do not
/// matter.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// One activity's rating on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PsfsRating {
    pub day: NaiveDate,
    pub activity: String,
    /// 0 = unable, 10 = as before the problem.
    pub score: u8,
}

impl PsfsRating {
    /// Of the activity named `name`, as people write it (case and spaces
    /// around do not matter).
    pub fn is_of(&self, name: &str) -> bool {
        same_name(&self.activity, name)
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        check_range("score", self.score, 0, 10)
    }

    /// Its day against the patient's operation and today: up to a year
    /// before surgery (the baseline), never in the future.
    pub fn validate_for(&self, patient: &Patient, today: NaiveDate) -> Result<(), ValidationError> {
        self.validate()?;
        check_day_for("day", self.day, patient, today)
    }
}

/// Every rating of one day: a PSFS answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PsfsAnswer<'a> {
    pub day: NaiveDate,
    pub ratings: Vec<&'a PsfsRating>,
}

impl PsfsAnswer<'_> {
    /// The PSFS score: the average of the day's ratings.
    pub fn score(&self) -> f64 {
        let sum: u32 = self.ratings.iter().map(|r| u32::from(r.score)).sum();
        f64::from(sum) / self.ratings.len().max(1) as f64
    }
}

/// The ratings grouped by day, oldest first. `ratings` is sorted by day.
pub fn answers(ratings: &[PsfsRating]) -> Vec<PsfsAnswer<'_>> {
    let mut out: Vec<PsfsAnswer<'_>> = Vec::new();
    for r in ratings {
        match out.last_mut() {
            Some(a) if a.day == r.day => a.ratings.push(r),
            _ => out.push(PsfsAnswer {
                day: r.day,
                ratings: vec![r],
            }),
        }
    }
    out
}

/// A patient's activities and ratings together: names unique, every
/// rating of a known activity active on its day, at most
/// [`MAX_ACTIVE`] active on any day, one rating per activity per day.
pub fn check_record(
    activities: &[PsfsActivity],
    ratings: &[PsfsRating],
) -> Result<(), ValidationError> {
    for (i, a) in activities.iter().enumerate() {
        a.validate()?;
        if activities[..i].iter().any(|b| b.is_named(&a.name)) {
            return Err(ValidationError::new(
                "activity",
                format!("\"{}\" is named twice", a.name.trim()),
            ));
        }
    }
    for a in activities {
        let active = activities
            .iter()
            .filter(|b| b.is_active_on(a.added_on))
            .count();
        if active > MAX_ACTIVE {
            return Err(ValidationError::new(
                "activity",
                format!(
                    "{active} activities are asked on {}: at most {MAX_ACTIVE}",
                    a.added_on
                ),
            ));
        }
    }
    for (i, r) in ratings.iter().enumerate() {
        r.validate()?;
        let Some(activity) = activities.iter().find(|a| a.is_named(&r.activity)) else {
            return Err(ValidationError::new(
                "activity",
                format!("\"{}\" is rated but not one of the activities", r.activity),
            ));
        };
        if !activity.is_active_on(r.day) {
            return Err(ValidationError::new(
                "day",
                format!(
                    "\"{}\" is rated on {}, when it was not asked",
                    r.activity, r.day
                ),
            ));
        }
        if ratings[..i]
            .iter()
            .any(|o| o.day == r.day && activity.is_named(&o.activity))
        {
            return Err(ValidationError::new(
                "activity",
                format!("\"{}\" is rated twice on {}", r.activity, r.day),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    fn activity(name: &str, added: &str, retired: Option<&str>) -> PsfsActivity {
        PsfsActivity {
            name: name.into(),
            added_on: day(added),
            retired_on: retired.map(day),
        }
    }

    fn rating(on: &str, name: &str, score: u8) -> PsfsRating {
        PsfsRating {
            day: day(on),
            activity: name.into(),
            score,
        }
    }

    #[test]
    fn the_score_is_the_average_of_a_days_ratings() {
        let ratings = [
            rating("2026-01-01", "Put on socks", 2),
            rating("2026-01-01", "Sit through a film", 3),
            rating("2026-01-01", "Walk the dog", 4),
            rating("2026-02-01", "Put on socks", 6),
            rating("2026-02-01", "Sit through a film", 5),
        ];
        let answers = answers(&ratings);
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].score(), 3.0);
        assert_eq!(answers[1].score(), 5.5);
    }

    #[test]
    fn ratings_must_be_of_an_activity_asked_that_day() {
        let activities = [
            activity("Put on socks", "2026-01-01", None),
            activity("Walk the dog", "2026-01-01", Some("2026-02-01")),
        ];
        let ok = [rating("2026-01-10", "put on socks ", 3)];
        assert_eq!(check_record(&activities, &ok), Ok(()));
        let retired = [rating("2026-02-01", "Walk the dog", 3)];
        assert_eq!(
            check_record(&activities, &retired).map_err(|e| e.field),
            Err("day")
        );
        let unknown = [rating("2026-01-10", "Swim", 3)];
        assert!(check_record(&activities, &unknown).is_err());
        let twice = [
            rating("2026-01-10", "Put on socks", 3),
            rating("2026-01-10", "PUT ON SOCKS", 4),
        ];
        assert!(check_record(&activities, &twice).is_err());
        let named_twice = [
            activity("Put on socks", "2026-01-01", None),
            activity(" put on socks", "2026-01-05", None),
        ];
        assert!(check_record(&named_twice, &[]).is_err());
    }

    #[test]
    fn at_most_five_are_asked_at_once_and_a_retired_one_makes_room() {
        let mut activities: Vec<_> = (1..=5)
            .map(|n| activity(&format!("Activity {n}"), "2026-01-01", None))
            .collect();
        assert_eq!(check_record(&activities, &[]), Ok(()));
        activities.push(activity("Sixth", "2026-03-01", None));
        assert!(check_record(&activities, &[]).is_err());
        activities[0].retired_on = Some(day("2026-03-01"));
        assert_eq!(check_record(&activities, &[]), Ok(()));
    }
}
