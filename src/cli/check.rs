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
        println!("database: {}", context.db.display());
        println!(
            "schema version: {} (this app writes {})",
            store.schema_version()?,
            latest_schema_version()
        );
        if problems.is_empty() {
            println!("integrity: ok");
        } else {
            println!("integrity: {} problem(s)", problems.len());
            for problem in &problems {
                println!("  {problem}");
            }
        }
        println!("patients: {}", counts.patients);
        println!("baselines: {}", counts.baselines);
        println!("check-ins: {}", counts.check_ins);
        println!("ODI totals: {}", counts.odi_entries);
        println!("milestones: {}", counts.milestones);
        println!("plan items: {}", counts.plan_items);
        println!("exercise logs: {}", counts.exercise_logs);
        println!("visit notes: {}", counts.visit_notes);
        Ok(if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }
}
