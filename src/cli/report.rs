use super::AppContext;
use anyhow::{Context, Result, bail};
use chrono::{Days, NaiveDate};
use recovery_tracker::exchange::csv::Table;
use recovery_tracker::exchange::fhir::BundleKind;
use recovery_tracker::exchange::{self, ExportFormat, ExportOptions};
use recovery_tracker::model::{PatientId, parse_day};
use recovery_tracker::report::Paper;
use std::path::PathBuf;
use std::process::ExitCode;

/// Days a report covers when no period is given: the last four weeks.
const DEFAULT_REPORT_DAYS: u64 = 28;

/// The period of a report: `to` defaults to today, `from` to four weeks
/// before `to`.
pub fn report_period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to - Days::new(DEFAULT_REPORT_DAYS - 1));
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    Ok((from, to))
}

#[derive(Debug, clap::Args)]
pub struct Report {
    #[arg(long, value_name = "ID")]
    patient: i64,
    /// First day of the period [default: four weeks before --to]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    from: Option<NaiveDate>,
    /// Last day of the period [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    to: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    paper: Paper,
    /// The PDF file to write (`-`: standard output)
    #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
    output: PathBuf,
    /// Replace FILE.pdf if it exists
    #[arg(long)]
    force: bool,
}

impl Report {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let protocol = context.protocol()?;
        let store = context.open_store_to_read()?;
        let record = store
            .checked_records(Some(PatientId(self.patient)))
            .with_context(|| format!("reading patient {}", self.patient))?
            .into_iter()
            .next()
            .with_context(|| format!("there is no patient {}", self.patient))?;
        let (from, to) = report_period(self.from, self.to, context.clock.today())?;
        let options = ExportOptions {
            from,
            to,
            paper: self.paper,
            made_at: context.clock.now(),
            bundle: BundleKind::Collection,
            table: Table::CheckIns,
        };
        let name = record.patient.details.name.clone();
        let bytes = exchange::export(ExportFormat::Pdf, &protocol, &[record], &options)?;
        super::write_output(Some(&self.output), &bytes, self.force)?;
        if self.output.as_os_str() != "-" {
            say!(
                "wrote the report of {name} ({from} to {to}) to {}",
                self.output.display()
            )?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
