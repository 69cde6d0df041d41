use super::AppContext;
use anyhow::{Result, bail};
use recovery_tracker::demo::{self, DemoOptions};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Demo {
    /// How many patients
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=10_000))]
    patients: u16,
    /// Days since surgery of each patient (how much history to make)
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
    /// The same seed gives the same data
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

impl Demo {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let mut store = context.open_store()?;
        let existing = store.counts()?.patients;
        if existing > 0 {
            bail!(
                "{} already holds {}; demo data goes only into an empty database (choose another --db)",
                context.db.display(),
                recovery_tracker::words::plural(existing as i64, "patient", "patients")
            );
        }
        let options = DemoOptions {
            patients: usize::from(self.patients),
            days: self.days,
            seed: self.seed,
        };
        let records = demo::generate(
            &context.protocol()?,
            options,
            context.clock.today(),
            context.clock.now(),
        );
        store.insert_patient_records(&records, context.clock.today())?;
        let counts = store.counts()?;
        say!(
            "wrote {} and {} to {}",
            recovery_tracker::words::plural(counts.patients as i64, "patient", "patients"),
            recovery_tracker::words::plural(counts.check_ins as i64, "check-in", "check-ins"),
            context.db.display()
        )?;
        Ok(ExitCode::SUCCESS)
    }
}
