use super::AppContext;
use anyhow::Result;
use recovery_tracker::ui::{StartOptions, ThemeChoice};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Default, clap::Args)]
pub struct Gui {
    /// Colours to use [default: as last time, or the computer's]
    #[arg(long, value_enum)]
    theme: Option<ThemeChoice>,
    /// Text size in percent, 100 to 200 [default: as last time]
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u16).range(100..=200))]
    text_size: Option<u16>,
    /// Print the time from start to the first frame, then close (for benchmarks)
    #[arg(long, hide = true)]
    exit_after_first_frame: bool,
    /// Remind me to check in at this time every day (HH:MM), or "off"; remembered
    #[arg(long, value_name = "HH:MM", value_parser = parse_reminder)]
    reminder: Option<Reminder>,
    /// A patient file to open in the import preview (as `recovery-tracker FILE`)
    #[arg(long, value_name = "FILE", value_parser = super::existing_file)]
    open: Option<PathBuf>,
}

impl Gui {
    /// The window, opening `file` in the import preview (a double-click on
    /// an exported file runs `recovery-tracker FILE`).
    pub fn opening(file: Option<PathBuf>) -> Self {
        Self {
            open: file,
            ..Self::default()
        }
    }

    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let start = StartOptions {
            theme: self.theme,
            text_scale: self.text_size.map(|p| f32::from(p) / 100.0),
            exit_after_first_frame: self.exit_after_first_frame.then_some(context.started),
            open_file: self.open.clone(),
            reminder: self.reminder.map(|Reminder(at)| at),
        };
        recovery_tracker::ui::run(
            context.db.clone(),
            context.protocol()?,
            context.clock,
            start,
        )?;
        Ok(ExitCode::SUCCESS)
    }
}

/// A reminder's time, or none ("off").
#[derive(Debug, Clone, Copy)]
struct Reminder(Option<chrono::NaiveTime>);

fn parse_reminder(text: &str) -> Result<Reminder, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(Reminder(None));
    }
    chrono::NaiveTime::parse_from_str(text, "%H:%M")
        .map(|at| Reminder(Some(at)))
        .map_err(|e| format!("{e}: write the time as 19:30, or off"))
}
