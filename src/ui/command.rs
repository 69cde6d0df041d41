//! What a screen may ask of the app. Screens push commands while they lay
//! out; the app applies them after the frame, so nothing changes mid-layout.
//! Data edits go to the UI-free [`crate::session`] layer; the rest are
//! navigation, preferences and file jobs.

use super::jobs::ExportRequest;
use super::nav::Screen;
use super::prefs::PrefChange;
use crate::model::PatientId;
use crate::session::Edit;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A change to the data, applied by [`crate::session::apply`].
    Edit(Edit),
    Show(Screen),
    SelectPatient(PatientId),
    /// Opens the check-in form on a past day.
    EditDay(NaiveDate),
    /// Opens Progress on the ODI, where a questionnaire's total is typed.
    RecordOdi,
    Pref(PrefChange),
    /// Writes a file off the UI thread.
    Export(ExportRequest),
    /// Reads a file and works out what importing it would do.
    PreviewImport(PathBuf),
    ApplyImport,
    CancelImport,
    /// Sets the clinic's FHIR server (an empty address turns sync off) and
    /// the token for it (an empty one removes it).
    SaveClinicServer {
        url: String,
        token: String,
    },
    /// Sends the current patient to the clinic's server, off the UI thread:
    /// what changed, or everything again (replacing what the server holds).
    SendToClinic {
        everything: bool,
    },
    /// Reads the patient with this app identifier from the clinic's server
    /// into the import preview.
    GetFromClinic(String),
    /// Lists the patients on the clinic's server whose name matches.
    FindOnClinic(String),
    BackupNow,
    RestoreBackup(PathBuf),
    ExploreDemo,
    LeaveDemo,
    /// Leaves the damaged file for the recovery window, which offers the
    /// newest good backup.
    OfferRecovery,
    /// Opens a written file with the computer's own program for it.
    OpenFile(PathBuf),
    /// Shows a written file in the computer's file manager.
    ShowInFolder(PathBuf),
}
