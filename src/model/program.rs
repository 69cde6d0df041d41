//! Milestones a patient reaches and the exercises they are prescribed and do.

use super::{ValidationError, check_range, check_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Key prefix of milestones and exercises a physiotherapist adds by hand.
pub const CUSTOM_PREFIX: &str = "custom-";

/// A milestone of a patient: one of the protocol's (by key, stored once
/// reached) or a custom one with its own label and window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneRecord {
    pub key: String,
    /// Only for custom milestones: what it is and when it is expected.
    pub custom: Option<CustomMilestone>,
    pub achieved_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomMilestone {
    pub label: String,
    /// Expected window, days since surgery.
    pub window_from: u16,
    pub window_to: u16,
}

impl MilestoneRecord {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.key.trim().is_empty() {
            return Err(ValidationError::new("milestone", "needs a key"));
        }
        check_text("milestone", &self.key, 60)?;
        if let Some(c) = &self.custom {
            if c.label.trim().is_empty() {
                return Err(ValidationError::new("label", "is required"));
            }
            check_text("label", &c.label, 200)?;
            check_range("window_from", c.window_from, 0, 3650)?;
            check_range("window_to", c.window_to, c.window_from, 3650)?;
        }
        Ok(())
    }

    /// A date when the milestone was reached must lie between surgery and today.
    pub fn validate_for(
        &self,
        surgery: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), ValidationError> {
        self.validate()?;
        if let Some(day) = self.achieved_on {
            if day < surgery {
                return Err(ValidationError::new(
                    "achieved_on",
                    format!("{day} is before the surgery on {surgery}"),
                ));
            }
            if day > today {
                return Err(ValidationError::new(
                    "achieved_on",
                    format!("{day} is in the future"),
                ));
            }
        }
        Ok(())
    }
}

/// How much of an exercise, how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Dose {
    pub sets: u8,
    pub reps: Option<u8>,
    pub hold_seconds: Option<u16>,
    pub minutes: Option<u16>,
    pub times_per_day: u8,
}

impl Dose {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_range("sets", self.sets, 1, 20)?;
        if let Some(r) = self.reps {
            check_range("reps", r, 1, 200)?;
        }
        if let Some(h) = self.hold_seconds {
            check_range("hold_seconds", h, 1, 600)?;
        }
        if let Some(m) = self.minutes {
            check_range("minutes", m, 1, 240)?;
        }
        check_range("times_per_day", self.times_per_day, 1, 10)
    }

    /// "3 × 10, hold 5 s · 2 times a day"
    pub fn describe(&self) -> String {
        let mut what = Vec::new();
        match (self.sets, self.reps) {
            (1, Some(r)) => what.push(crate::words::plural(r, "time", "times")),
            (s, Some(r)) => what.push(format!("{s} × {r}")),
            (s, None) if s > 1 => what.push(format!("{s} sets")),
            _ => {}
        }
        if let Some(h) = self.hold_seconds {
            what.push(format!("hold {h} s"));
        }
        if let Some(m) = self.minutes {
            what.push(crate::words::plural(m, "minute", "minutes"));
        }
        let often = match self.times_per_day {
            1 => "once a day".to_owned(),
            2 => "twice a day".to_owned(),
            n => format!("{n} times a day"),
        };
        if what.is_empty() {
            often
        } else {
            format!("{} · {often}", what.join(", "))
        }
    }
}

/// One exercise prescribed from `start_day` until the day before `end_day`
/// (or on). Changing a dose ends the item and starts a new one, so what was
/// prescribed on any past day stays known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    /// The store's row id; not part of exports.
    #[serde(skip)]
    pub id: Option<i64>,
    /// A protocol exercise key, or `custom-…`.
    pub exercise_key: String,
    pub name: String,
    /// Steps for a custom exercise; protocol exercises take theirs from the
    /// protocol.
    pub instructions: String,
    pub dose: Dose,
    pub start_day: NaiveDate,
    pub end_day: Option<NaiveDate>,
}

impl PlanItem {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.exercise_key.trim().is_empty() || self.name.trim().is_empty() {
            return Err(ValidationError::new("exercise", "needs a name"));
        }
        check_text("exercise", &self.exercise_key, 60)?;
        check_text("name", &self.name, 200)?;
        check_text("instructions", &self.instructions, 2000)?;
        self.dose.validate()?;
        if let Some(end) = self.end_day
            && end <= self.start_day
        {
            return Err(ValidationError::new(
                "end_day",
                format!("{end} is not after the start on {}", self.start_day),
            ));
        }
        Ok(())
    }

    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.start_day <= day && self.end_day.is_none_or(|end| day < end)
    }
}

/// Sessions of one exercise done on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseLog {
    pub day: NaiveDate,
    pub exercise_key: String,
    pub sessions: u8,
    /// Pain during the exercise, 0–10, if the person said.
    pub pain: Option<u8>,
}

impl ExerciseLog {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.exercise_key.trim().is_empty() {
            return Err(ValidationError::new("exercise", "needs a key"));
        }
        check_text("exercise", &self.exercise_key, 60)?;
        check_range("sessions", self.sessions, 1, 10)?;
        if let Some(p) = self.pain {
            check_range("pain", p, 0, 10)?;
        }
        Ok(())
    }

    /// Exercises are logged after the operation, never in the future.
    pub fn validate_for(
        &self,
        surgery: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), ValidationError> {
        self.validate()?;
        if self.day < surgery {
            return Err(ValidationError::new(
                "day",
                format!("{} is before the surgery on {surgery}", self.day),
            ));
        }
        if self.day > today {
            return Err(ValidationError::new(
                "day",
                format!("{} is in the future", self.day),
            ));
        }
        Ok(())
    }
}

/// A physiotherapist's note from a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitNote {
    /// The store's row id; not part of exports.
    #[serde(skip)]
    pub id: Option<i64>,
    pub day: NaiveDate,
    pub author: String,
    pub text: String,
}

impl VisitNote {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.author.trim().is_empty() {
            return Err(ValidationError::new("author", "is required"));
        }
        if self.text.trim().is_empty() {
            return Err(ValidationError::new("text", "is empty"));
        }
        check_text("author", &self.author, 100)?;
        check_text("text", &self.text, 10_000)
    }
}

/// A flag a physiotherapist has looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagReview {
    pub flag_key: String,
    pub reviewed_by: String,
    pub reviewed_at: chrono::DateTime<chrono::Utc>,
}

impl FlagReview {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.reviewed_by.trim().is_empty() {
            return Err(ValidationError::new("reviewed_by", "is required"));
        }
        check_text("reviewed_by", &self.reviewed_by, 100)?;
        if self.flag_key.is_empty() {
            return Err(ValidationError::new("flag_key", "is required"));
        }
        check_text("flag_key", &self.flag_key, 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        super::super::parse_day(s).expect("date")
    }

    #[test]
    fn doses_read_as_people_say_them() {
        let dose = Dose {
            sets: 3,
            reps: Some(10),
            hold_seconds: Some(5),
            minutes: None,
            times_per_day: 2,
        };
        assert_eq!(dose.describe(), "3 × 10, hold 5 s · twice a day");
        let walk = Dose {
            sets: 1,
            minutes: Some(10),
            times_per_day: 3,
            ..Dose::default()
        };
        assert_eq!(walk.describe(), "10 minutes · 3 times a day");
        assert!(Dose { sets: 0, ..dose }.validate().is_err(), "no zero sets");
    }

    #[test]
    fn a_plan_item_is_active_from_its_start_until_the_day_before_its_end() {
        let item = PlanItem {
            id: None,
            exercise_key: "walk".into(),
            name: "Walking".into(),
            instructions: String::new(),
            dose: Dose {
                sets: 1,
                times_per_day: 1,
                ..Dose::default()
            },
            start_day: day("2026-01-10"),
            end_day: Some(day("2026-01-20")),
        };
        assert!(!item.active_on(day("2026-01-09")));
        assert!(item.active_on(day("2026-01-10")));
        assert!(item.active_on(day("2026-01-19")));
        assert!(!item.active_on(day("2026-01-20")));
        let reversed = PlanItem {
            end_day: Some(day("2026-01-10")),
            ..item
        };
        assert_eq!(reversed.validate().map_err(|e| e.field), Err("end_day"));
    }

    #[test]
    fn milestone_dates_lie_between_surgery_and_today() {
        let record = MilestoneRecord {
            key: "drive".into(),
            custom: None,
            achieved_on: Some(day("2026-01-05")),
        };
        let surgery = day("2026-01-01");
        assert_eq!(record.validate_for(surgery, day("2026-02-01")), Ok(()));
        assert!(
            record
                .validate_for(day("2026-01-06"), day("2026-02-01"))
                .is_err()
        );
        assert!(record.validate_for(surgery, day("2026-01-04")).is_err());
    }
}
