//! Moving data out of and into the app: CSV tables, the lossless JSON
//! document, FHIR R4 bundles, and the merge of an imported document into the
//! patients already here. Every import is checked whole and written in one
//! transaction committed only when the whole file is good, so a bad file
//! changes nothing.
//! [`export`] is the one way out, for the window and the command line.

pub mod csv;
pub mod fhir;
pub mod input;
pub mod json;
pub mod merge;

use crate::model::PatientId;
use crate::store::StoreError;
use crate::words::plural;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("line {line}, {field}: {message}")]
    Field {
        line: u64,
        field: String,
        message: String,
    },
    #[error("line {line}: {message}")]
    Line { line: u64, message: String },
    #[error("{0}")]
    Document(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot read or write the file")]
    Io(#[from] std::io::Error),
    #[error("cannot write the CSV")]
    Csv(#[source] ::csv::Error),
    #[error("cannot write the JSON")]
    Json(#[source] serde_json::Error),
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub patients: usize,
    pub check_ins: usize,
    /// Patients whose id was taken in this database and who were stored
    /// under a new one: (id in the file, id here).
    pub renumbered: Vec<(PatientId, PatientId)>,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {} and {}",
            plural(self.patients as i64, "patient", "patients"),
            plural(self.check_ins as i64, "check-in", "check-ins")
        )?;
        for (from, to) in &self.renumbered {
            write!(f, "; patient {from} of the file is patient {to} here")?;
        }
        Ok(())
    }
}

/// Reads a file this app exported, as its JSON document or as a FHIR
/// Bundle, and checks it whole. Nothing is written.
pub fn read_document(
    bytes: &[u8],
    today: chrono::NaiveDate,
    protocol: &crate::protocol::Protocol,
) -> Result<json::Document, ExchangeError> {
    /// Only the field that tells a FHIR bundle apart; the rest is skipped
    /// without being kept, so telling costs no memory however big the file.
    #[derive(serde::Deserialize)]
    struct Kind {
        #[serde(rename = "resourceType")]
        resource_type: Option<String>,
    }
    let is_bundle = serde_json::from_slice::<Kind>(bytes)
        .is_ok_and(|kind| kind.resource_type.as_deref() == Some("Bundle"));
    if !is_bundle {
        return json::Document::parse(bytes, today, protocol);
    }
    let bundle = serde_json::from_slice::<serde_json::Value>(bytes)
        .map_err(|e| ExchangeError::Document(format!("not a FHIR bundle: {e}")))?;
    document_of_bundle(&bundle, today, protocol)
}

/// The records of a FHIR bundle this app wrote (a file, or resources read
/// back from a server), checked whole as an import checks them.
pub fn document_of_bundle(
    bundle: &serde_json::Value,
    today: chrono::NaiveDate,
    protocol: &crate::protocol::Protocol,
) -> Result<json::Document, ExchangeError> {
    let document = json::Document {
        format: json::FORMAT_NAME.to_owned(),
        version: json::FORMAT_VERSION,
        patients: fhir::import(bundle)?,
    };
    document.check(today, protocol)?;
    Ok(document)
}

/// What a file written by [`export`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The PDF report of one patient over a period
    Pdf,
    /// Everything, lossless: patients, baselines, check-ins and the rest
    Json,
    /// An HL7 FHIR R4 Bundle of one patient
    Fhir,
    /// One table, one row per line (check-ins by default)
    Csv,
}

impl ExportFormat {
    /// The usual file name extension. The JSON document's own
    /// (`.recovery.json`, MIME type `application/x-recovery-tracker+json`)
    /// is what the installed app opens on a double-click.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Pdf => "pdf",
            ExportFormat::Json => "recovery.json",
            ExportFormat::Fhir => "fhir.json",
            ExportFormat::Csv => "csv",
        }
    }
}

/// How to write an export; only the options of its format matter.
#[derive(Debug, Clone, Copy)]
pub struct ExportOptions {
    /// Only rows from `from` to `to`, both included.
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub made_at: chrono::DateTime<chrono::Utc>,
    pub paper: crate::report::Paper,
    pub bundle: fhir::BundleKind,
    pub table: csv::Table,
}

/// Writes `records` in `format`: the one export path of the window and the
/// command line. A PDF or FHIR export holds exactly one patient.
pub fn export(
    format: ExportFormat,
    protocol: &crate::protocol::Protocol,
    records: &[crate::model::PatientRecord],
    options: &ExportOptions,
) -> Result<Vec<u8>, ExchangeError> {
    let (from, to) = (options.from, options.to);
    let within: Vec<_> = records.iter().map(|r| r.within(from, to)).collect();
    let one_patient = || {
        ExchangeError::Document(
            "a PDF report or a FHIR bundle holds one patient: choose one".to_owned(),
        )
    };
    let mut bytes = Vec::new();
    match format {
        ExportFormat::Pdf => {
            // The report reads the whole record: its 7-day averages and
            // comparisons look at the days before the period too.
            let [record] = records else {
                return Err(one_patient());
            };
            // A report covers the patient's own time, never a thousand
            // empty years.
            let first = record
                .check_ins
                .first()
                .map(|c| c.day)
                .into_iter()
                .chain(record.odi_entries.first().map(|e| e.day))
                .chain([record.patient.details.surgery_date])
                .min()
                .unwrap_or(from);
            let last = record
                .check_ins
                .last()
                .map(|c| c.day)
                .into_iter()
                .chain(record.odi_entries.last().map(|e| e.day))
                .chain([options.made_at.date_naive()])
                .max()
                .unwrap_or(to);
            let (from, to) = (from.max(first), to.min(last));
            if from > to {
                return Err(ExchangeError::Document(format!(
                    "the patient has no data in that period (their data runs from {first} to {last})"
                )));
            }
            let report = crate::report::ReportOptions {
                from,
                to,
                paper: options.paper,
                made_at: options.made_at,
            };
            bytes = crate::report::render(protocol, record, report);
        }
        ExportFormat::Json => json::Document {
            format: json::FORMAT_NAME.to_owned(),
            version: json::FORMAT_VERSION,
            patients: within,
        }
        .write(&mut bytes)?,
        ExportFormat::Fhir => {
            let [record] = within.as_slice() else {
                return Err(one_patient());
            };
            let bundle = fhir::export(record, options.bundle, options.made_at);
            serde_json::to_writer_pretty(&mut bytes, &bundle).map_err(ExchangeError::Json)?;
            bytes.push(b'\n');
        }
        ExportFormat::Csv => csv::write_table(options.table, &within, &mut bytes)?,
    }
    Ok(bytes)
}

/// Why a store may not take an import or a restore: read-only, or a page
/// fails SQLite's quick check (a writer never writes into a damaged file).
pub fn check_writable(store: &crate::store::Store) -> Result<(), ExchangeError> {
    if let Some(reason) = store.read_only_reason() {
        return Err(ExchangeError::Document(format!(
            "the database cannot be changed: {reason}"
        )));
    }
    let problems = store.quick_check()?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ExchangeError::Document(format!(
            "the database is damaged ({}): nothing is written into it; restore a backup",
            crate::words::excerpt(&problems.join("; "), 200)
        )))
    }
}

/// Writes an import that was read and checked whole: the store must be
/// writable and healthy, is backed up first (when it holds patients), and
/// the write is one transaction. A failed write changed nothing, so its
/// backup is removed again: backups only ever mark states before a change
/// that happened. Returns the write's result and the backup made.
pub fn write_with_backup<T>(
    store: &mut crate::store::Store,
    now: chrono::DateTime<chrono::Utc>,
    write: impl FnOnce(&mut crate::store::Store) -> Result<T, ExchangeError>,
) -> Result<(T, Option<std::path::PathBuf>), ExchangeError> {
    check_writable(store)?;
    let backup = if store.counts()?.patients > 0 {
        Some(store.backup_now(crate::store::backup::BackupKind::BeforeImport, now)?)
    } else {
        None
    };
    match write(store) {
        Ok(value) => Ok((value, backup)),
        Err(e) => {
            if let Some(path) = &backup {
                std::fs::remove_file(path).ok();
            }
            Err(e)
        }
    }
}

/// Imports a check-in CSV with the safety of [`write_with_backup`]: the
/// file's quick check first, then the rows, and a backup of the file as it
/// was, made once every row is read, checked and in place, just before the
/// commit (from a connection of its own, which still sees the file without
/// them). A refused file keeps nothing and makes no backup.
pub fn import_csv_with_backup(
    store: &mut crate::store::Store,
    input: impl std::io::Read + Send,
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(ImportSummary, Option<std::path::PathBuf>), ExchangeError> {
    check_writable(store)?;
    // A file with no patient holds nothing to lose (and takes no check-ins).
    // The backup's connection is opened now, while this one is free to
    // check that both are the same database; it reads nothing until the
    // rows are in, and then still sees the file as it was.
    let before = if store.patients()?.is_empty() {
        None
    } else {
        Some(store.second_reader()?)
    };
    let mut backup = None;
    let result = csv::import_check_ins_then(store, input, today, || {
        if let Some(before) = &before {
            backup = Some(
                before
                    .backup_before_rotation(crate::store::backup::BackupKind::BeforeImport, now)?,
            );
        }
        Ok(())
    });
    match result {
        Ok(summary) => {
            crate::store::backup::rotate_backups(store.path());
            Ok((summary, backup))
        }
        Err(e) => {
            if let Some(path) = &backup {
                std::fs::remove_file(path).ok();
            }
            Err(e)
        }
    }
}

/// What a restore put in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub check: crate::store::backup::BackupCheck,
    /// The copy of what was there before.
    pub safety_copy: std::path::PathBuf,
}

/// Replaces the store's content with a backup's, only if the backup is
/// exactly one of ours: a regular file, our schema for its version (no
/// table, index, trigger or view more or less), SQLite's integrity check,
/// and every row passing the same checks as an import. An older backup is
/// checked on a migrated private copy. What was there before is backed up
/// first. Nothing changes when any check fails.
pub fn restore(
    store: &mut crate::store::Store,
    source: &std::path::Path,
    protocol: &crate::protocol::Protocol,
    today: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Restored, ExchangeError> {
    use crate::store::{Store, backup};
    if let Some(reason) = store.read_only_reason() {
        return Err(ExchangeError::Document(format!(
            "the database cannot be changed: {reason}"
        )));
    }
    let check = backup::inspect(source)?;
    let folder = store.path().parent().map_or_else(
        || std::path::PathBuf::from("."),
        std::path::Path::to_path_buf,
    );
    let work = tempfile::Builder::new()
        .prefix(".restore-check-")
        .tempdir_in(&folder)?;
    let copy = work.path().join("backup.db");
    backup::copy_file(source, &copy)?;
    let records = {
        let checked = Store::open(&copy)?;
        let ids: Vec<_> = checked.patients()?.into_iter().map(|p| p.id).collect();
        ids.into_iter()
            .map(|id| checked.patient_record(id))
            .collect::<Result<Vec<_>, _>>()?
    };
    json::Document {
        format: json::FORMAT_NAME.to_owned(),
        version: json::FORMAT_VERSION,
        patients: records,
    }
    .check(today, protocol)
    .map_err(|e| ExchangeError::Document(format!("a row of the backup is not valid: {e}")))?;
    let safety_copy = store.restore_from(&copy, now)?;
    Ok(Restored { check, safety_copy })
}
