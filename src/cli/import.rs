use super::AppContext;
use anyhow::{Context, Result, bail};
use recovery_tracker::report::{csv_exchange, json_exchange};
use recovery_tracker::store::backup::BackupKind;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Import {
    /// A check-in CSV (for patients already here) or a JSON document
    file: PathBuf,
    /// The file's format [default: from its extension]
    #[arg(long, value_enum)]
    format: Option<Format>,
}

impl Import {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let format = match self.format {
            Some(f) => f,
            None => match self
                .file
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("csv") => Format::Csv,
                Some("json") => Format::Json,
                _ => bail!(
                    "cannot tell the format of {} from its name: add --format csv or --format json",
                    self.file.display()
                ),
            },
        };
        let file = std::fs::File::open(&self.file)
            .with_context(|| format!("opening {}", self.file.display()))?;
        let input = std::io::BufReader::new(file);
        let mut store = context.open_store()?;
        let today = context.clock.today();
        if store.counts()?.patients > 0 {
            let copy = store.backup_now(BackupKind::BeforeImport, context.clock.now())?;
            println!("backed up the database to {} first", copy.display());
        }
        let summary = match format {
            Format::Csv => csv_exchange::import_check_ins(&mut store, input, today),
            Format::Json => json_exchange::import(&mut store, input, today, &context.protocol()?),
        }
        .with_context(|| format!("{} was not imported; nothing changed", self.file.display()))?;
        println!("{summary}");
        Ok(ExitCode::SUCCESS)
    }
}
