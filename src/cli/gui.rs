use super::AppContext;
use anyhow::Result;
use std::process::ExitCode;

#[derive(Debug, Default, clap::Args)]
pub struct Gui {}

impl Gui {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        recovery_tracker::ui::run(context.db.clone(), context.clock)?;
        Ok(ExitCode::SUCCESS)
    }
}
