//! The daily and weekly backups, made on a thread of their own after the
//! window's first frame, so a start never waits for a copy of the whole
//! file. The copy is read through its own connection (WAL mode: saves go
//! on meanwhile) into a temporary file that is renamed only when whole; a
//! copy stopped by quitting is discarded and made again at the next start.

use crate::store::{StoreError, backup};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// A daily backup under way.
pub(crate) struct DailyBackup {
    result: Receiver<Result<Vec<PathBuf>, Failure>>,
}

/// Why there is no backup today.
pub(crate) struct Failure {
    pub(crate) words: String,
    /// The day's check found the file damaged: nothing more may be written.
    pub(crate) damaged: bool,
}

/// What polling it found.
pub(crate) enum DailyBackupState {
    Running,
    /// Done (the backups folder has today's copies).
    Made,
    Failed(Failure),
}

impl DailyBackup {
    /// Starts the backup of `db` for `today`, or nothing when today's and
    /// this week's exist already.
    pub(crate) fn start(ctx: &egui::Context, db: PathBuf, today: NaiveDate) -> Option<Self> {
        if !backup::daily_due(&db, today) {
            return None;
        }
        let (sender, receiver) = channel();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("daily-backup".to_owned())
            .spawn(move || {
                let result = backup::daily_backup_of(&db, today).map_err(|e| Failure {
                    damaged: matches!(e, StoreError::Damaged(_) | StoreError::Corrupt(_)),
                    words: e.to_string(),
                });
                // The window may have closed; then nobody needs the answer.
                sender.send(result).ok();
                repaint.request_repaint();
            });
        // Without a thread there is no backup today; the next start tries.
        spawned.ok().map(|_running| Self { result: receiver })
    }

    /// No repaint is asked for while it runs: the thread asks when done.
    pub(crate) fn poll(&self) -> DailyBackupState {
        match self.result.try_recv() {
            Ok(Ok(_made)) => DailyBackupState::Made,
            Ok(Err(e)) => DailyBackupState::Failed(e),
            Err(TryRecvError::Empty) => DailyBackupState::Running,
            Err(TryRecvError::Disconnected) => DailyBackupState::Failed(Failure {
                words: "the backup stopped unexpectedly".to_owned(),
                damaged: false,
            }),
        }
    }
}
