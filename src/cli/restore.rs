use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::store::backup;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Restore {
    /// The backup to restore
    file: PathBuf,
}

impl Restore {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let check = backup::inspect(&self.file).with_context(|| {
            format!(
                "{} cannot be restored; nothing changed",
                self.file.display()
            )
        })?;
        let mut store = context.open_store()?;
        let safety = store
            .restore_from(&self.file, context.clock.now())
            .with_context(|| format!("restoring {}", self.file.display()))?;
        println!(
            "restored {} patients and {} check-ins from {}; the previous content is in {}",
            check.patients,
            check.check_ins,
            self.file.display(),
            safety.display()
        );
        Ok(ExitCode::SUCCESS)
    }
}
