use super::AppContext;
use anyhow::Result;
use recovery_tracker::ui::{StartOptions, ThemeChoice};
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
}

impl Gui {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let start = StartOptions {
            theme: self.theme,
            text_scale: self.text_size.map(|p| f32::from(p) / 100.0),
            exit_after_first_frame: self.exit_after_first_frame.then_some(context.started),
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
