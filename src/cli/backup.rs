use super::AppContext;
use anyhow::{Context, Result, bail};
use recovery_tracker::store::backup::{self, BackupKind};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Backup {
    /// Write the copy here [default: the backups folder beside the database]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// List the backups instead of making one
    #[arg(long)]
    list: bool,
    /// Make today's daily and this week's weekly backup unless they exist
    /// (what the window does in the background after it opens)
    #[arg(long, conflicts_with_all = ["output", "list"])]
    daily: bool,
}

impl Backup {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        if self.list {
            for b in backup::list(&context.db) {
                say!("{}\t{}\t{}", b.stamp, b.kind.words(), b.path.display())?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        if self.daily {
            // The writer's lock: no other daily backup runs meanwhile.
            let _store = context.open_store()?;
            let made = backup::daily_backup_of(&context.db, context.clock.today())?;
            if made.is_empty() {
                say!("today's and this week's backups exist already")?;
            }
            for path in made {
                say!("backed up to {}", path.display())?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        let store = context.open_store_to_read()?;
        let dest = match &self.output {
            Some(path) => {
                if path.exists() {
                    bail!("{} already exists: choose a new file name", path.display());
                }
                store
                    .backup_to(path)
                    .with_context(|| format!("writing {}", path.display()))?;
                path.clone()
            }
            None => store.backup_now(BackupKind::Manual, context.clock.now())?,
        };
        let check = backup::inspect(&dest)?;
        say!(
            "backed up {} and {} to {}",
            recovery_tracker::words::plural(check.patients as i64, "patient", "patients"),
            recovery_tracker::words::plural(check.check_ins as i64, "check-in", "check-ins"),
            dest.display()
        )?;
        Ok(ExitCode::SUCCESS)
    }
}
