use super::AppContext;
use anyhow::{Context, Result, bail};
use chrono::Days;
use recovery_tracker::model::{PatientId, parse_day};
use recovery_tracker::report::pdf::{self, Paper, ReportOptions};
use recovery_tracker::store::files;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PaperArg {
    A4,
    Letter,
}

#[derive(Debug, clap::Args)]
pub struct Report {
    #[arg(long, value_name = "ID")]
    patient: i64,
    /// First day of the period [default: four weeks before --to]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    from: Option<chrono::NaiveDate>,
    /// Last day of the period [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    to: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value = "a4")]
    paper: PaperArg,
    /// The PDF file to write
    #[arg(short = 'o', long = "output", value_name = "FILE.pdf")]
    output: PathBuf,
}

impl Report {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let protocol = context.protocol()?;
        let store = context.open_store_to_read()?;
        let record = store
            .patient_record(PatientId(self.patient))
            .with_context(|| format!("reading patient {}", self.patient))?;
        let to = self.to.unwrap_or_else(|| context.clock.today());
        let from = self.from.unwrap_or_else(|| to - Days::new(27));
        if from > to {
            bail!("--from {from} is after --to {to}");
        }
        let options = ReportOptions {
            from,
            to,
            paper: match self.paper {
                PaperArg::A4 => Paper::A4,
                PaperArg::Letter => Paper::Letter,
            },
            made_at: context.clock.now(),
        };
        let bytes = pdf::render(&protocol, &record, options);
        files::write_private_file(&self.output, &bytes)
            .with_context(|| format!("writing {}", self.output.display()))?;
        println!(
            "wrote the report of {} ({from} to {to}) to {}",
            record.patient.details.name,
            self.output.display()
        );
        Ok(ExitCode::SUCCESS)
    }
}
