//! "Today" as the app sees it. The GUI and the CLI are given a clock, so
//! tests can run on a fixed date.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The computer's clock and local calendar.
    System,
    /// A fixed moment, for tests and reproducible demos. Its wall clock
    /// (date and time of day) is read as the local one.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// A clock fixed at noon UTC on `day`.
    pub fn fixed_on(day: NaiveDate) -> Self {
        Clock::Fixed(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
    }

    /// A clock fixed at `moment`, read as the local date and time.
    pub fn fixed_at(moment: NaiveDateTime) -> Self {
        Clock::Fixed(moment.and_utc())
    }

    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// The local calendar date: a check-in belongs to the day the person lives in.
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(t) => t.date_naive(),
        }
    }

    /// The local time of day (a reminder is set for the time on the wall).
    pub fn time_of_day(self) -> NaiveTime {
        match self {
            Clock::System => Local::now().time(),
            Clock::Fixed(t) => t.time(),
        }
    }
}
