//! Saves check-ins as fast as it can and prints each day once its save has
//! returned, so a test can kill the process at any moment and check that
//! every printed day is in the file.

use super::AppContext;
use anyhow::Result;
use chrono::Days;
use recovery_tracker::model::{CheckIn, PatientId, WarningSymptoms, parse_day};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct StressSave {
    #[arg(long)]
    patient: i64,
    /// The first day to save
    #[arg(long, value_parser = parse_day)]
    start: chrono::NaiveDate,
    /// How many days to save at most
    #[arg(long, default_value_t = 100_000)]
    count: u64,
}

impl StressSave {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let mut store = context.open_store()?;
        // A crash test, never a way to replace someone's days.
        let patient = PatientId(self.patient);
        if let Some(last) = store.check_ins(patient)?.last()
            && last.day >= self.start
        {
            anyhow::bail!(
                "stress-save writes only days after the patient's last check-in ({}), so that it never replaces one",
                last.day
            );
        }
        let mut out = std::io::stdout().lock();
        for offset in 0..self.count {
            let Some(day) = self.start.checked_add_days(Days::new(offset)) else {
                break;
            };
            let check_in = CheckIn {
                day,
                back_pain: (offset % 11) as u8,
                leg_pain: 2,
                walking_minutes: 30,
                sitting_minutes: 30,
                sleep_quality: 6,
                opioid_doses: 0,
                warning_symptoms: WarningSymptoms::default(),
                note: format!("stress {offset}"),
                nerves: None,
                body_map: Default::default(),
            };
            store.save_check_in(PatientId(self.patient), &check_in)?;
            // Printed only after the save returned: the promise under test.
            writeln!(out, "{day}")?;
            out.flush()?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
