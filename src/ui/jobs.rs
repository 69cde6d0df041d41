//! Work that could take long (a report, an export), run off the UI thread so
//! the window never freezes. The UI polls the answer while a job runs.

use crate::exchange::{self, ExportFormat, ExportOptions};
use crate::model::{PatientId, PatientRecord};
use crate::protocol::Protocol;
use crate::store::files::Replace;
use crate::words::plural;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// An export a screen asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub patient: PatientId,
    pub format: ExportFormat,
    pub path: PathBuf,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The person agreed to replace a file of that name.
    pub replace: bool,
    /// For the PDF report.
    pub paper: crate::report::Paper,
}

/// A file being written on a worker thread.
pub(crate) struct Job {
    pub(crate) label: String,
    result: Receiver<Result<(String, PathBuf), String>>,
}

/// What polling a job found.
pub(crate) enum JobState {
    Running,
    /// Finished: the sentence to show, and the file written, if one was.
    Finished(String, Option<PathBuf>),
}

impl Job {
    /// Starts writing `record` as the request says.
    pub(crate) fn export(
        ctx: &egui::Context,
        protocol: Protocol,
        record: PatientRecord,
        request: ExportRequest,
        made_at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let (sender, receiver) = channel();
        let repaint = ctx.clone();
        let label = format!("Writing {}…", request.path.display());
        std::thread::spawn(move || {
            let result = write_export(&protocol, record, &request, made_at);
            // The window may have closed; then nobody needs the answer.
            sender.send(result).ok();
            repaint.request_repaint();
        });
        Self {
            label,
            result: receiver,
        }
    }

    pub(crate) fn poll(&self, ctx: &egui::Context) -> JobState {
        match self.result.try_recv() {
            Ok(Ok((done, path))) => JobState::Finished(done, Some(path)),
            Ok(Err(e)) => JobState::Finished(format!("Not saved: {e}"), None),
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                JobState::Running
            }
            Err(TryRecvError::Disconnected) => JobState::Finished(
                "The export stopped unexpectedly; nothing was written.".to_owned(),
                None,
            ),
        }
    }
}

fn write_export(
    protocol: &Protocol,
    record: PatientRecord,
    request: &ExportRequest,
    made_at: chrono::DateTime<chrono::Utc>,
) -> Result<(String, PathBuf), String> {
    let path: &Path = &request.path;
    if path.as_os_str().is_empty() {
        return Err("choose where to save the file".to_owned());
    }
    let options = ExportOptions {
        from: request.from,
        to: request.to,
        made_at,
        paper: request.paper,
        bundle: exchange::fhir::BundleKind::Collection,
        table: exchange::csv::Table::CheckIns,
    };
    let bytes = exchange::export(request.format, protocol, &[record], &options)
        .map_err(|e| e.to_string())?;
    let replace = if request.replace {
        Replace::Yes
    } else {
        Replace::No
    };
    crate::store::files::write_output(path, &bytes, replace).map_err(|e| e.to_string())?;
    Ok((format!("✔ Saved {}.", path.display()), path.to_path_buf()))
}

/// What a clinic sync on its worker thread came to.
pub(crate) enum SyncAnswer {
    /// The server took the push (or had it all): the sentence to show, and
    /// what to write down in the file.
    Pushed {
        text: String,
        /// The file sent from (the window may have opened another since).
        db: PathBuf,
        server: String,
        patient: PatientId,
        changes: crate::store::PushedChanges,
    },
    /// A patient read from the server, checked, for the import preview.
    Pulled {
        server: String,
        identifier: String,
        document: crate::exchange::json::Document,
    },
    /// The patients a name search found, with the words searched.
    Found {
        search: String,
        matches: Vec<crate::sync::FoundPatient>,
    },
    Failed(String),
}

/// A push to or pull from the clinic's server, off the UI thread: the
/// window never waits for the network.
pub(crate) struct SyncJob {
    pub(crate) label: String,
    result: Receiver<SyncAnswer>,
}

/// Plans and sends a push of `patient`. The file is read on a read-only
/// connection of this thread's own; what the server took is written down
/// by the window's connection.
fn push_now(
    db: &Path,
    server: &crate::sync::Server,
    (patient, name): (PatientId, String),
    everything: bool,
    made_at: chrono::DateTime<chrono::Utc>,
) -> Result<SyncAnswer, String> {
    let store = crate::store::Store::open_read_only(db).map_err(|e| e.to_string())?;
    let plan = crate::sync::plan_push(&store, patient, server, everything, made_at)
        .map_err(|e| e.to_string())?;
    drop(store);
    let (report, changes) = crate::sync::send(&plan, server).map_err(|e| e.to_string())?;
    let text = if plan.is_empty() {
        format!("✔ The clinic's server already has everything of {name}.")
    } else {
        format!(
            "✔ Sent {name} to the clinic: {} changed, {} removed.",
            plural(report.updated as i64, "record", "records"),
            report.removed
        )
    };
    Ok(SyncAnswer::Pushed {
        text,
        db: db.to_path_buf(),
        server: plan.server,
        patient,
        changes,
    })
}

/// Reads a patient from the server and checks them as an import would.
fn pull_now(
    server: &crate::sync::Server,
    identifier: &str,
    protocol: &Protocol,
    today: NaiveDate,
) -> Result<SyncAnswer, String> {
    let pulled = crate::sync::pull(server, identifier).map_err(|e| e.to_string())?;
    let document =
        exchange::document_of_bundle(&pulled.bundle, today, protocol).map_err(|e| e.to_string())?;
    Ok(SyncAnswer::Pulled {
        server: server.key().to_owned(),
        identifier: identifier.to_owned(),
        document,
    })
}

impl SyncJob {
    /// Sends what changed of `patient` (id and name) since the last push,
    /// or `everything` again.
    pub(crate) fn push(
        ctx: &egui::Context,
        db: PathBuf,
        server: crate::sync::Server,
        patient: (PatientId, String),
        everything: bool,
        made_at: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let label = format!("Sending {} to the clinic…", patient.1);
        Self::start(ctx, label, move || {
            push_now(&db, &server, patient, everything, made_at)
                .unwrap_or_else(|e| SyncAnswer::Failed(format!("Not sent: {e}. Nothing changed.")))
        })
    }

    /// Reads the patient with the app identifier `identifier` from the
    /// server, for the import preview.
    pub(crate) fn pull(
        ctx: &egui::Context,
        server: crate::sync::Server,
        identifier: String,
        protocol: Protocol,
        today: NaiveDate,
    ) -> Self {
        let label = format!("Reading patient {identifier} from the clinic's server…");
        Self::start(ctx, label, move || {
            pull_now(&server, &identifier, &protocol, today).unwrap_or_else(|e| {
                SyncAnswer::Failed(format!(
                    "Patient {identifier} was not read from the clinic's server: {e}. Nothing changed."
                ))
            })
        })
    }

    /// Lists the patients on the server whose name matches `search`.
    pub(crate) fn find(ctx: &egui::Context, server: crate::sync::Server, search: String) -> Self {
        let label = format!("Looking for \"{search}\" on the clinic's server…");
        Self::start(ctx, label, move || {
            match crate::sync::find_patients(&server, &search) {
                Ok(matches) => SyncAnswer::Found { search, matches },
                Err(e) => {
                    SyncAnswer::Failed(format!("The clinic's server could not be searched: {e}"))
                }
            }
        })
    }

    fn start(
        ctx: &egui::Context,
        label: String,
        work: impl FnOnce() -> SyncAnswer + Send + 'static,
    ) -> Self {
        let (sender, receiver) = channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            // The window may have closed; then nobody needs the answer.
            sender.send(work()).ok();
            repaint.request_repaint();
        });
        Self {
            label,
            result: receiver,
        }
    }

    /// The answer, once there is one.
    pub(crate) fn poll(&self, ctx: &egui::Context) -> Option<SyncAnswer> {
        match self.result.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                None
            }
            Err(TryRecvError::Disconnected) => Some(SyncAnswer::Failed(
                "The sync stopped unexpectedly; nothing was changed.".to_owned(),
            )),
        }
    }
}
