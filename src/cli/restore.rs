use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::exchange;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Restore {
    /// The backup to restore
    file: PathBuf,
}

impl Restore {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let protocol = context.protocol()?;
        let mut store = context.open_store()?;
        let restored = exchange::restore(
            &mut store,
            &self.file,
            &protocol,
            context.clock.today(),
            context.clock.now(),
        )
        .with_context(|| {
            format!(
                "{} cannot be restored; nothing changed",
                self.file.display()
            )
        })?;
        say!(
            "restored {} and {} from {}; the previous content is in {}",
            recovery_tracker::words::plural(restored.check.patients as i64, "patient", "patients"),
            recovery_tracker::words::plural(
                restored.check.check_ins as i64,
                "check-in",
                "check-ins"
            ),
            self.file.display(),
            restored.safety_copy.display()
        )?;
        Ok(ExitCode::SUCCESS)
    }
}
