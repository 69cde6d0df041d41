use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::model::PatientId;
use recovery_tracker::sync::{self, Server};
use std::process::ExitCode;

/// The environment variable a bearer token for the server is read from; it
/// is never written anywhere.
const TOKEN_ENV_VAR: &str = "RECOVERY_TRACKER_SYNC_TOKEN";

#[derive(Debug, clap::Args)]
pub struct Sync {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Make a clinic's FHIR server hold what a patient's record holds: what
    /// changed since the last push is sent as conditional updates, what was
    /// removed as conditional deletes, in one transaction
    #[command(
        after_help = "A bearer token, if the server wants one, is read from the environment variable RECOVERY_TRACKER_SYNC_TOKEN; it is never written anywhere."
    )]
    Push(Push),
}

#[derive(Debug, clap::Args)]
struct Push {
    /// The server's FHIR base URL (https://…)
    #[arg(long, value_name = "URL")]
    server: String,
    #[arg(long, value_name = "ID")]
    patient: i64,
    /// Send every resource again, changed or not (to repair a server)
    #[arg(long)]
    everything: bool,
    /// Say what would be sent; send nothing
    #[arg(long)]
    dry_run: bool,
}

impl Sync {
    pub fn run(&self, context: &AppContext) -> Result<ExitCode> {
        match &self.action {
            Action::Push(push) => push.run(context),
        }
    }
}

impl Push {
    fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let server = Server {
            url: self.server.clone(),
            token: std::env::var(TOKEN_ENV_VAR).ok().filter(|t| !t.is_empty()),
        };
        let patient = PatientId(self.patient);
        let mut store = if self.dry_run {
            context.open_store_to_read()?
        } else {
            context.open_store()?
        };
        let plan = sync::plan_push(
            &store,
            patient,
            &server,
            self.everything,
            context.clock.now(),
        )
        .with_context(|| format!("preparing the push of patient {}", self.patient))?;
        let what = format!(
            "{} to send, {} to remove, {} unchanged",
            plan.updates.len(),
            plan.removals.len(),
            plan.unchanged,
        );
        if self.dry_run {
            say!("would push to {}: {what}", server.key())?;
            return Ok(ExitCode::SUCCESS);
        }
        if plan.is_empty() {
            say!(
                "{} already has patient {} as it is here: nothing to send",
                server.key(),
                self.patient
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        let report = sync::push(&mut store, &plan, &server)?;
        say!(
            "pushed patient {} to {}: {} updated, {} removed, {} unchanged",
            self.patient,
            server.key(),
            report.updated,
            report.removed,
            report.unchanged
        )?;
        Ok(ExitCode::SUCCESS)
    }
}
