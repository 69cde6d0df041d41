use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::model::PatientId;
use recovery_tracker::report::csv_exchange::{self, Table};
use recovery_tracker::report::{fhir, json_exchange};
use recovery_tracker::store::files;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Check-ins, one row per day
    Csv,
    /// Everything: patients, baselines, check-ins
    Json,
    /// An HL7 FHIR R4 Bundle of one patient (needs --patient)
    Fhir,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BundleArg {
    /// For files
    Collection,
    /// For a FHIR server: conditional creates, so sending twice adds nothing
    Transaction,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TableArg {
    CheckIns,
    OdiTotals,
    Milestones,
    Plan,
    ExerciseLogs,
}

#[derive(Debug, clap::Args)]
pub struct Export {
    /// With --format csv: which table [default: check-ins]
    #[arg(long, value_enum, default_value = "check-ins")]
    table: TableArg,
    #[arg(long, value_enum)]
    format: Format,
    /// Only this patient [default: all]
    #[arg(long, value_name = "ID")]
    patient: Option<i64>,
    /// With --format fhir: the kind of bundle
    #[arg(long, value_enum, default_value = "collection")]
    bundle: BundleArg,
    /// With --format fhir or json: only rows from this day
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = recovery_tracker::model::parse_day)]
    from: Option<chrono::NaiveDate>,
    /// With --format fhir or json: only rows up to this day
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = recovery_tracker::model::parse_day)]
    to: Option<chrono::NaiveDate>,
    /// Write to this file [default: standard output]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

impl Export {
    fn range(&self) -> (chrono::NaiveDate, chrono::NaiveDate) {
        (
            self.from.unwrap_or(chrono::NaiveDate::MIN),
            self.to.unwrap_or(chrono::NaiveDate::MAX),
        )
    }

    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let store = context.open_store_to_read()?;
        let patient = self.patient.map(PatientId);
        let mut bytes = Vec::new();
        match self.format {
            Format::Csv => {
                let table = match self.table {
                    TableArg::CheckIns => Table::CheckIns,
                    TableArg::OdiTotals => Table::OdiTotals,
                    TableArg::Milestones => Table::Milestones,
                    TableArg::Plan => Table::Plan,
                    TableArg::ExerciseLogs => Table::ExerciseLogs,
                };
                csv_exchange::export_table(&store, table, patient, &mut bytes)?;
            }
            Format::Json if self.from.is_none() && self.to.is_none() => {
                json_exchange::export(&store, patient, &mut bytes)?;
            }
            Format::Json => {
                let mut document = json_exchange::Document::from_store(&store, patient)?;
                let (from, to) = self.range();
                document.patients = document
                    .patients
                    .iter()
                    .map(|r| r.within(from, to))
                    .collect();
                document.write(&mut bytes)?;
            }
            Format::Fhir => {
                let Some(id) = patient else {
                    anyhow::bail!("--format fhir exports one patient: add --patient ID");
                };
                let (from, to) = self.range();
                let record = store.patient_record(id)?.within(from, to);
                let kind = match self.bundle {
                    BundleArg::Collection => fhir::BundleKind::Collection,
                    BundleArg::Transaction => fhir::BundleKind::Transaction,
                };
                let bundle = fhir::export(&record, kind, context.clock.now());
                serde_json::to_writer_pretty(&mut bytes, &bundle)?;
                bytes.push(b'\n');
            }
        }
        match &self.output {
            None => std::io::stdout().lock().write_all(&bytes)?,
            Some(path) => files::write_private_file(path, &bytes)
                .with_context(|| format!("writing {}", path.display()))?,
        }
        Ok(ExitCode::SUCCESS)
    }
}
