use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::model::PatientId;
use recovery_tracker::report::csv_exchange::{self, Table};
use recovery_tracker::report::json_exchange;
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
    /// Write to this file [default: standard output]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

impl Export {
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
            Format::Json => json_exchange::export(&store, patient, &mut bytes)?,
        }
        match &self.output {
            None => std::io::stdout().lock().write_all(&bytes)?,
            Some(path) => files::write_private_file(path, &bytes)
                .with_context(|| format!("writing {}", path.display()))?,
        }
        Ok(ExitCode::SUCCESS)
    }
}
