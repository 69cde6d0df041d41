//! "Today" as the app sees it. The GUI and the CLI are given a clock, so
//! tests can run on a fixed date.

use chrono::{DateTime, Local, NaiveDate, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The computer's clock and local calendar.
    System,
    /// A fixed moment, for tests and reproducible demos.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// A clock fixed at noon UTC on `day`.
    pub fn fixed_on(day: NaiveDate) -> Self {
        Clock::Fixed(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
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
}
