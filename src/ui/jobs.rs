//! Work that could take long (a report, an export), run off the UI thread so
//! the window never freezes. The UI polls the answer while a job runs.

use crate::exchange::{self, ExportFormat, ExportOptions};
use crate::model::{PatientId, PatientRecord};
use crate::protocol::Protocol;
use crate::store::files::Replace;
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
