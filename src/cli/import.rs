use super::AppContext;
use anyhow::{Context, Result, bail};
use recovery_tracker::exchange::merge::{self, Matching};
use recovery_tracker::exchange::{self, input};
use recovery_tracker::model::PatientId;
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
    #[command(flatten)]
    merge: MergeOptions,
}

/// How a document's patients are merged in: a JSON or FHIR file's
/// (`import`) or a clinic server's (`sync pull`).
#[derive(Debug, clap::Args)]
pub(super) struct MergeOptions {
    /// Show what would be added, kept and in conflict; change nothing
    #[arg(long)]
    dry_run: bool,
    /// Merge the one patient into this patient here
    #[arg(long, value_name = "ID", conflicts_with = "as_new")]
    merge_into: Option<i64>,
    /// Add every patient as new, even if one with the same name and surgery
    /// date is here
    #[arg(long)]
    as_new: bool,
}

impl MergeOptions {
    /// Whom the patients are merged into: `--merge-into`, `--as-new`, or
    /// else one with the same name and surgery date.
    fn matching(&self) -> Matching {
        match (self.merge_into, self.as_new) {
            (Some(id), _) => Matching::Into(PatientId(id)),
            (None, true) => Matching::AllNew,
            (None, false) => Matching::ByNameAndSurgery,
        }
    }
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
        if let Format::Json = format {
            return self.import_json(context);
        }
        if self.merge.dry_run || self.merge.merge_into.is_some() || self.merge.as_new {
            bail!("--dry-run, --merge-into and --as-new are for JSON documents");
        }
        let not_imported = || format!("{} was not imported; nothing changed", self.file.display());
        let input = input::open_csv(&self.file).with_context(not_imported)?;
        let mut store = context.open_store()?;
        // Read, checked and stored in one transaction, committed only when
        // every row is good, after a backup of the file as it was.
        let (summary, backup) = exchange::import_csv_with_backup(
            &mut store,
            input,
            context.clock.today(),
            context.clock.now(),
        )
        .with_context(not_imported)?;
        if let Some(copy) = backup {
            say!("backed up the database to {} first", copy.display())?;
        }
        say!("{summary}")?;
        Ok(ExitCode::SUCCESS)
    }
}

impl Import {
    fn import_json(&self, context: &AppContext) -> Result<ExitCode> {
        let today = context.clock.today();
        let not_imported = || format!("{} was not imported; nothing changed", self.file.display());
        let bytes = input::read_document_bytes(&self.file).with_context(not_imported)?;
        let document =
            recovery_tracker::exchange::read_document(&bytes, today, &context.protocol()?)
                .with_context(not_imported)?;
        merge_document(
            context,
            &document,
            &self.merge,
            merge::Source::File,
            not_imported,
        )
    }
}

/// Merges a document's patients into the database, as the plan says (new
/// patients added; for one already here, what it lacks added and every
/// difference listed, never overwritten), after a backup; with
/// `--dry-run` only says what it would do.
pub(super) fn merge_document(
    context: &AppContext,
    document: &recovery_tracker::exchange::json::Document,
    options: &MergeOptions,
    source: merge::Source,
    not_imported: impl Fn() -> String,
) -> Result<ExitCode> {
    let today = context.clock.today();
    let dry_run = options.dry_run;
    let mut store = if dry_run {
        context.open_store_to_read()?
    } else {
        context.open_store()?
    };
    let plans =
        merge::plan(&store, document, options.matching(), source).with_context(&not_imported)?;
    for plan in &plans {
        for line in plan.describe() {
            say!("{line}")?;
        }
    }
    if dry_run {
        say!("dry run: nothing was changed")?;
        return Ok(ExitCode::SUCCESS);
    }
    let (ids, backup) = exchange::write_with_backup(&mut store, context.clock.now(), |store| {
        merge::apply(store, &plans, today)
    })
    .with_context(&not_imported)?;
    if let Some(copy) = backup {
        say!("backed up the database to {} first", copy.display())?;
    }
    for (plan, id) in plans.iter().zip(&ids) {
        if plan.target == merge::Target::New && plan.from_file != *id {
            say!(
                "patient {} of the {} is patient {id} here",
                plan.from_file,
                source.name()
            )?;
        }
    }
    say!(
        "imported {}",
        recovery_tracker::words::plural(ids.len() as i64, "patient", "patients")
    )?;
    Ok(ExitCode::SUCCESS)
}
