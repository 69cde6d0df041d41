use super::AppContext;
use anyhow::Result;
use recovery_tracker::exchange::csv::Table;
use recovery_tracker::exchange::fhir::BundleKind;
use recovery_tracker::exchange::{self, ExportFormat, ExportOptions};
use recovery_tracker::model::PatientId;
use recovery_tracker::report::Paper;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Export {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// With --format csv: which table
    #[arg(long, value_enum, default_value_t = Table::CheckIns)]
    table: Table,
    /// Only this patient [default: all; pdf and fhir need one]
    #[arg(long, value_name = "ID")]
    patient: Option<i64>,
    /// With --format fhir: the kind of bundle
    #[arg(long, value_enum, default_value_t = BundleKind::Collection)]
    bundle: BundleKind,
    /// With --format pdf: the paper size
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    paper: Paper,
    /// Only rows from this day [pdf: four weeks before --to]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = recovery_tracker::model::parse_day)]
    from: Option<chrono::NaiveDate>,
    /// Only rows up to this day [pdf: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = recovery_tracker::model::parse_day)]
    to: Option<chrono::NaiveDate>,
    /// Write to this file (`-` or none: standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE if it exists
    #[arg(long)]
    force: bool,
}

impl Export {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let store = context.open_store_to_read()?;
        let records = store.checked_records(self.patient.map(PatientId))?;
        let (from, to) = match self.format {
            ExportFormat::Pdf => {
                super::report::report_period(self.from, self.to, context.clock.today())?
            }
            _ => (
                self.from.unwrap_or(chrono::NaiveDate::MIN),
                self.to.unwrap_or(chrono::NaiveDate::MAX),
            ),
        };
        let options = ExportOptions {
            from,
            to,
            made_at: context.clock.now(),
            paper: self.paper,
            bundle: self.bundle,
            table: self.table,
        };
        let bytes = exchange::export(self.format, &context.protocol()?, &records, &options)?;
        super::write_output(self.output.as_deref(), &bytes, self.force)?;
        Ok(ExitCode::SUCCESS)
    }
}
