use super::AppContext;
use anyhow::{Context, Result};
use recovery_tracker::model::PatientId;
use recovery_tracker::sync::{self, Server};
use std::process::ExitCode;

/// The environment variable a bearer token for the server is read from; it
/// is never written anywhere. Without it, the token the window saved for
/// the same server is used.
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
        after_help = "A bearer token, if the server wants one, is read from the environment variable RECOVERY_TRACKER_SYNC_TOKEN (never written anywhere), or else is the one saved in the window's Settings for the same server (beside the database, readable by its owner alone)."
    )]
    Push(Push),
    /// Read a patient's record from a clinic's FHIR server and merge it in,
    /// as an import does: what is missing here is added, every difference
    /// is listed and nothing here is overwritten
    #[command(
        after_help = "A bearer token, if the server wants one, is read from the environment variable RECOVERY_TRACKER_SYNC_TOKEN (never written anywhere), or else is the one saved in the window's Settings for the same server (beside the database, readable by its owner alone)."
    )]
    Pull(Pull),
}

#[derive(Debug, clap::Args)]
struct Pull {
    /// The server's FHIR base URL (https://…)
    #[arg(long, value_name = "URL")]
    server: String,
    /// The patient's identifier as this app writes it: their number in the
    /// file that pushed them (`1`), or `system|value`
    #[arg(long, value_name = "IDENTIFIER")]
    patient_identifier: String,
    #[command(flatten)]
    merge: super::import::MergeOptions,
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
            Action::Pull(pull) => pull.run(context),
        }
    }
}

/// The server, with the token from the environment, or else the one the
/// window saved for this server beside the file.
fn server(url: &str, context: &AppContext) -> Result<Server> {
    let token = std::env::var(TOKEN_ENV_VAR)
        .ok()
        .filter(|t| !t.is_empty())
        .or_else(|| sync::saved_token(&context.db, url));
    if let Some(token) = &token {
        sync::check_token(token)?;
    }
    Ok(Server {
        url: url.to_owned(),
        token,
    })
}

impl Pull {
    fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let server = server(&self.server, context)?;
        let not_pulled = || {
            format!(
                "patient {} of {} was not taken in; nothing changed",
                self.patient_identifier,
                server.key()
            )
        };
        let pulled = sync::pull(&server, &self.patient_identifier).with_context(not_pulled)?;
        say!(
            "read {} from {}",
            recovery_tracker::words::plural(pulled.resources as i64, "resource", "resources"),
            server.key()
        )?;
        if pulled.others > 0 {
            say!(
                "left out {} of the patient's that this app did not write",
                recovery_tracker::words::plural(pulled.others as i64, "resource", "resources")
            )?;
        }
        let document = recovery_tracker::exchange::document_of_bundle(
            &pulled.bundle,
            context.clock.today(),
            &context.protocol()?,
        )
        .with_context(not_pulled)?;
        super::import::merge_document(
            context,
            &document,
            &self.merge,
            recovery_tracker::exchange::merge::Source::Server,
            not_pulled,
        )
    }
}

impl Push {
    fn run(&self, context: &AppContext) -> Result<ExitCode> {
        let server = server(&self.server, context)?;
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
        let report = sync::push(&mut store, &plan, &server)?;
        if plan.is_empty() {
            say!(
                "{} already has patient {} as it is here: nothing to send",
                server.key(),
                self.patient
            )?;
            return Ok(ExitCode::SUCCESS);
        }
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
