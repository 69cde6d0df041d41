//! Moving data out of and into the app: CSV tables, the lossless JSON
//! document, FHIR R4 bundles, and the merge of an imported document into the
//! patients already here. Every import is checked whole before anything is
//! written, and written in one transaction, so a bad file changes nothing.
//! [`export`] is the one way out, for the window and the command line.

pub mod csv;
pub mod fhir;
pub mod json;
pub mod merge;

use crate::model::PatientId;
use crate::store::StoreError;

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
            "imported {} patient(s) and {} check-in(s)",
            self.patients, self.check_ins
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
    let bundle = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .filter(|v| v.get("resourceType").and_then(serde_json::Value::as_str) == Some("Bundle"));
    let Some(bundle) = bundle else {
        return json::Document::parse(bytes, today, protocol);
    };
    let document = json::Document {
        format: json::FORMAT_NAME.to_owned(),
        version: json::FORMAT_VERSION,
        patients: fhir::import(&bundle)?,
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
    /// The usual file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Pdf => "pdf",
            ExportFormat::Json | ExportFormat::Fhir => "json",
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
