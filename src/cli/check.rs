use super::AppContext;
use anyhow::Result;
use recovery_tracker::store::latest_schema_version;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Check {}

impl Check {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        if !context.db.exists() {
            anyhow::bail!("there is no database at {}", context.db.display());
        }
        let store = context.open_store_to_read()?;
        let problems = store.integrity_problems()?;
        let counts = store.counts()?;
        say!("database: {}", context.db.display())?;
        say!(
            "schema version: {} (this app writes {})",
            store.schema_version()?,
            latest_schema_version()
        )?;
        if problems.is_empty() {
            say!("integrity: ok")?;
        } else {
            say!(
                "integrity: {}",
                recovery_tracker::words::plural(problems.len() as i64, "problem", "problems")
            )?;
            for problem in &problems {
                say!("  {problem}")?;
            }
        }
        say!("patients: {}", counts.patients)?;
        say!("baselines: {}", counts.baselines)?;
        say!("check-ins: {}", counts.check_ins)?;
        say!("ODI totals: {}", counts.odi_entries)?;
        say!("milestones: {}", counts.milestones)?;
        say!("plan items: {}", counts.plan_items)?;
        say!("exercise logs: {}", counts.exercise_logs)?;
        say!("visit notes: {}", counts.visit_notes)?;
        say!("PSFS ratings: {}", counts.psfs_ratings)?;
        Ok(if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }
}
