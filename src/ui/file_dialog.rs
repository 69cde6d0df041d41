//! Choosing a file: the system's own dialog (`rfd`: the desktop portal on
//! Linux, the native dialog on Windows and macOS), run off the UI thread
//! so the window keeps drawing, behind a trait so tests can answer it.
//! When no system dialog opens (no portal on this Linux desktop), the
//! person is told so and types the path instead.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What a dialog is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRequest {
    pub title: String,
    /// Save (a new file) or open (an existing one).
    pub save: bool,
    pub folder: PathBuf,
    /// The suggested name, for a save.
    pub file_name: String,
    /// What the filter is called ("PDF report") and its extensions.
    pub filter: (String, Vec<String>),
}

/// How a dialog ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    File(PathBuf),
    Cancelled,
    /// No dialog opened; the sentence says why, for the person.
    NoDialog(String),
}

/// Something that shows a file dialog and answers, later, on `done`.
pub trait FileChooser: Send + Sync {
    fn choose(&self, request: FileRequest, done: Box<dyn FnOnce(Chosen) + Send>);
}

/// The system's dialog, on a thread of its own.
pub struct SystemDialog;

/// Faster than anyone can read a dialog and press Cancel: a dialog that
/// "ends" this soon never opened.
const TOO_FAST: Duration = Duration::from_millis(250);

impl FileChooser for SystemDialog {
    fn choose(&self, request: FileRequest, done: Box<dyn FnOnce(Chosen) + Send>) {
        std::thread::spawn(move || {
            let extensions: Vec<&str> = request.filter.1.iter().map(String::as_str).collect();
            let dialog = rfd::FileDialog::new()
                .set_title(request.title.as_str())
                .set_directory(&request.folder)
                .add_filter(request.filter.0.as_str(), &extensions);
            let started = Instant::now();
            let answer = if request.save {
                dialog.set_file_name(request.file_name.as_str()).save_file()
            } else {
                dialog.pick_file()
            };
            done(match answer {
                Some(path) => Chosen::File(path),
                None if started.elapsed() < TOO_FAST => Chosen::NoDialog(
                    "This computer's file dialog did not open (on Linux it needs the desktop \
                     portal, xdg-desktop-portal). Type the file's path here instead."
                        .to_owned(),
                ),
                None => Chosen::Cancelled,
            });
        });
    }
}

/// A dialog being shown: its answer arrives on the channel, and the window
/// is woken to read it.
pub(crate) struct PendingChoice {
    answer: Receiver<Chosen>,
}

impl PendingChoice {
    pub(crate) fn start(
        chooser: &dyn FileChooser,
        ctx: &egui::Context,
        request: FileRequest,
    ) -> Self {
        let (sender, answer) = channel();
        let wake = ctx.clone();
        chooser.choose(
            request,
            Box::new(move |chosen| {
                // The window may have closed; then nobody needs the answer.
                sender.send(chosen).ok();
                wake.request_repaint();
            }),
        );
        Self { answer }
    }

    /// The answer, once there is one.
    pub(crate) fn poll(&self) -> Option<Chosen> {
        match self.answer.try_recv() {
            Ok(chosen) => Some(chosen),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Chosen::NoDialog(
                "The file dialog stopped unexpectedly. Type the file's path here instead."
                    .to_owned(),
            )),
        }
    }
}

/// The folder and name a path suggests, for a save dialog.
pub(crate) fn split(path: &Path) -> (PathBuf, String) {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    (folder, name)
}
