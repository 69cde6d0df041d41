//! The window. `app` is the frame loop and layout; `screens/` holds one file
//! per screen; `command` is what screens ask for, and data edits among them
//! go to the UI-free [`crate::session`] layer. Navigation, preferences,
//! background file jobs, the import preview and demo mode each have a file
//! named for them.

mod app;
mod background_backup;
mod body_map;
mod cache;
mod command;
mod database_problem;
mod date_picker;
mod demo_mode;
pub mod file_dialog;
mod header;
mod import;
mod jobs;
mod nav;
mod patient_form;
pub mod patient_list;
mod prefs;
mod psfs;
pub mod reminder;
mod screens;
mod startup;
pub(crate) mod theme;
mod toast;
pub(crate) mod widgets;

pub use app::{App, AppView, CachedPatient};
pub use command::Command;
pub use database_problem::Root;
pub use demo_mode::demo_db_path;
pub use import::ImportPreview;
pub use jobs::ExportRequest;
pub use nav::Screen;
pub use prefs::{PrefChange, Prefs};
pub use startup::{RunError, StartOptions, run};
pub use theme::ThemeChoice;
