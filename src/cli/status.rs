use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::analysis::check_ups::{CheckUp, check_up_sentence, check_ups};
use recovery_tracker::analysis::program::program_summary;
use recovery_tracker::analysis::{MetricStatus, patient_status};
use recovery_tracker::model::{PatientId, parse_day};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Status {
    #[arg(long, value_name = "ID")]
    patient: i64,
    /// The day to judge [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    on: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

impl Status {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let protocol = context.protocol()?;
        let store = context.open_store_to_read()?;
        let record = store
            .patient_record(PatientId(self.patient))
            .with_context(|| format!("reading patient {}", self.patient))?;
        let on = self.on.unwrap_or_else(|| context.clock.today());
        let status = patient_status(
            &protocol,
            &record.patient,
            record.baseline.as_ref(),
            &record.check_ins,
            &record.odi_entries,
            on,
        );
        let program = program_summary(&protocol, &record, on);
        let check_ups = check_ups(&protocol, &record, on);
        match self.format {
            Format::Json => {
                #[derive(serde::Serialize)]
                struct Report<'a> {
                    #[serde(flatten)]
                    status: &'a recovery_tracker::analysis::PatientStatus,
                    program: &'a recovery_tracker::analysis::program::ProgramSummary,
                    check_ups: &'a [CheckUp],
                }
                let report = Report {
                    status: &status,
                    program: &program,
                    check_ups: &check_ups,
                };
                say!("{}", serde_json::to_string_pretty(&report)?)?;
            }
            Format::Text => {
                let p = &record.patient;
                let when = match status.days_to_surgery {
                    Some(days) => format!(
                        "before surgery: surgery in {}",
                        recovery_tracker::words::plural(days, "day", "days")
                    ),
                    None => format!(
                        "day {} since surgery (week {})",
                        status.days_since_surgery, status.week
                    ),
                };
                say!(
                    "{} · {when} · {} {} {} · on {on}",
                    p.details.name,
                    p.details.approach.short_label(),
                    p.details.procedure.short_label(),
                    p.details.levels,
                )?;
                for m in &status.metrics {
                    say!("{}", describe(m))?;
                }
                say!(
                    "milestones: {} of {} reached, {} later than usual",
                    program.milestones_reached,
                    program.milestones_total,
                    program.milestones_later_than_usual
                )?;
                match program.adherence_this_week.percent() {
                    Some(p) => say!(
                        "adherence this week: {p:.0}% ({} of {} prescribed sessions)",
                        program.adherence_this_week.done_sessions,
                        program.adherence_this_week.prescribed_sessions
                    )?,
                    None => say!("adherence this week: nothing prescribed")?,
                }
                if let Some(sentence) = check_up_sentence(&check_ups) {
                    say!("{sentence}")?;
                }
                for sentence in &status.watch {
                    say!("Worth discussing: {sentence}")?;
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// One line per metric: value, expected range, verdict, change, MCID.
fn describe(m: &MetricStatus) -> String {
    let mut parts = vec![format!("{}:", m.label)];
    match m.recent {
        Some(r) if r.count == 1 => parts.push(format!("latest {:.1}", r.average)),
        Some(r) => parts.push(format!(
            "last 7 days {:.1} ({})",
            r.average,
            recovery_tracker::words::plural(r.count as i64, "check-in", "check-ins")
        )),
        None => parts.push("no values in the last 7 days".to_owned()),
    }
    if let Some(e) = m.expected {
        parts.push(format!(
            "expected {:.1}–{:.1} (median {:.1})",
            e.low, e.high, e.median
        ));
    }
    parts.push(format!("→ {}", m.verdict.words()));
    if let Some(change) = m.change_from_previous() {
        let since = match m.recent {
            Some(r) if r.count == 1 => "the total before",
            _ => "the week before",
        };
        parts.push(format!("{change:+.1} vs {since}"));
    }
    match m.mcid_reached {
        Some(true) => parts.push("meaningful improvement reached".to_owned()),
        Some(false) => parts.push("meaningful improvement not yet reached".to_owned()),
        None => {}
    }
    if let (Some(value), Some(origin)) = (m.baseline, m.baseline_origin) {
        parts.push(format!("(baseline {value:.1}: {})", origin.words()));
    }
    parts.join(" ")
}
