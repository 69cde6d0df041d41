use super::AppContext;
use anyhow::{Context, Result, bail};
use recovery_tracker::analysis::trajectory::{expected_course, patient_course};
use recovery_tracker::analysis::{BaselineOrigin, OwnBaseline};
use recovery_tracker::model::{Approach, MetricKey, PatientId};
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Expected {
    /// A patient in the database: their approach and their own baselines
    /// (the days before surgery, or the values entered at setup)
    #[arg(long, value_name = "ID", conflicts_with_all = ["approach", "back", "leg", "odi", "walking", "numbness", "tingling"])]
    patient: Option<i64>,
    #[arg(long, value_enum, required_unless_present = "patient")]
    approach: Option<Approach>,
    /// Back pain before surgery (0–10)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10), required_unless_present = "patient")]
    back: Option<u8>,
    /// Leg pain before surgery (0–10)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10), required_unless_present = "patient")]
    leg: Option<u8>,
    /// ODI total before surgery (0–100) [default: the cohort's]
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    odi: Option<u8>,
    /// Walking tolerance before surgery, minutes at one time [no walking rows without it]
    #[arg(long, value_parser = clap::value_parser!(u16).range(0..=1440))]
    walking: Option<u16>,
    /// Leg numbness before surgery (0–10) [no numbness rows without it]
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    numbness: Option<u8>,
    /// Leg tingling before surgery (0–10) [no tingling rows without it]
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    tingling: Option<u8>,
    /// Days since surgery, comma-separated
    #[arg(long, value_delimiter = ',', required = true, value_parser = clap::value_parser!(u32).range(0..=3650))]
    days: Vec<u32>,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

/// Each metric's starting point, where there is one.
type Starts = Vec<(MetricKey, Option<OwnBaseline>)>;

#[derive(Serialize)]
struct Row {
    metric: MetricKey,
    day: u32,
    median: f64,
    low: f64,
    high: f64,
    baseline: f64,
    baseline_origin: BaselineOrigin,
}

/// Rounds for printing: one decimal is all the sources support.
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

impl Expected {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let protocol = context.protocol()?;
        let course = match self.patient {
            Some(id) => {
                let store = context.open_store_to_read()?;
                let record = store
                    .patient_record(PatientId(id))
                    .with_context(|| format!("reading patient {id}"))?;
                patient_course(&protocol, &record, &self.days)
            }
            None => {
                let (approach, starts) = self.given_baselines()?;
                let start = |key| starts.iter().find(|(k, _)| *k == key).and_then(|(_, s)| *s);
                expected_course(&protocol, approach, start, &self.days)
            }
        };
        let rows: Vec<Row> = course
            .iter()
            .flat_map(|c| {
                c.points.iter().map(|(day, p)| Row {
                    metric: c.metric,
                    day: *day,
                    median: round1(p.median),
                    low: round1(p.low),
                    high: round1(p.high),
                    baseline: c.baseline,
                    baseline_origin: c.origin,
                })
            })
            .collect();
        if rows.is_empty() {
            bail!("no metric has a starting point");
        }
        match self.format {
            Format::Json => say!("{}", serde_json::to_string_pretty(&rows)?)?,
            Format::Csv => {
                let mut out = csv::Writer::from_writer(std::io::stdout().lock());
                out.write_record([
                    "metric",
                    "day",
                    "median",
                    "low",
                    "high",
                    "baseline",
                    "baseline_origin",
                ])?;
                for r in &rows {
                    out.write_record([
                        r.metric.code().to_owned(),
                        r.day.to_string(),
                        format!("{:.1}", r.median),
                        format!("{:.1}", r.low),
                        format!("{:.1}", r.high),
                        format!("{}", r.baseline),
                        r.baseline_origin.code().to_owned(),
                    ])?;
                }
                out.flush()?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    /// The approach and starting values typed on the command line.
    fn given_baselines(&self) -> Result<(Approach, Starts)> {
        let (Some(approach), Some(back), Some(leg)) = (self.approach, self.back, self.leg) else {
            bail!("--approach, --back and --leg are needed without --patient");
        };
        let given = [
            (MetricKey::BackPain, Some(f64::from(back))),
            (MetricKey::LegPain, Some(f64::from(leg))),
            (MetricKey::Odi, self.odi.map(f64::from)),
            (MetricKey::WalkingMinutes, self.walking.map(f64::from)),
            (MetricKey::Numbness, self.numbness.map(f64::from)),
            (MetricKey::Tingling, self.tingling.map(f64::from)),
        ];
        Ok((
            approach,
            given
                .into_iter()
                .map(|(key, v)| (key, v.map(OwnBaseline::entered)))
                .collect(),
        ))
    }
}
