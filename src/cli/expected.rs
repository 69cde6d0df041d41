use super::AppContext;
use anyhow::{Result, bail};
use recovery_tracker::analysis::{BaselineOrigin, Trajectory};
use recovery_tracker::model::Approach;
use recovery_tracker::model::MetricKey;
use serde::Serialize;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Expected {
    #[arg(long, value_enum)]
    approach: Approach,
    /// Back pain before surgery (0–10)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    back: u8,
    /// Leg pain before surgery (0–10)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    leg: u8,
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
        let approach = self.approach;
        let baselines = [
            (MetricKey::BackPain, Some(f64::from(self.back))),
            (MetricKey::LegPain, Some(f64::from(self.leg))),
            (MetricKey::Odi, self.odi.map(f64::from)),
            (MetricKey::WalkingMinutes, self.walking.map(f64::from)),
            (MetricKey::Numbness, self.numbness.map(f64::from)),
            (MetricKey::Tingling, self.tingling.map(f64::from)),
        ];
        let mut rows = Vec::new();
        for (key, baseline) in baselines {
            let Some(trajectory) = Trajectory::new(&protocol, key, approach, baseline) else {
                continue;
            };
            for &day in &self.days {
                let p = trajectory.at(f64::from(day));
                rows.push(Row {
                    metric: key,
                    day,
                    median: round1(p.median),
                    low: round1(p.low),
                    high: round1(p.high),
                    baseline: trajectory.baseline,
                    baseline_origin: trajectory.origin,
                });
            }
        }
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
                        match r.baseline_origin {
                            BaselineOrigin::Patient => "given".to_owned(),
                            BaselineOrigin::Cohort => "cohort".to_owned(),
                        },
                    ])?;
                }
                out.flush()?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
