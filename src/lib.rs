//! recovery-tracker: daily check-ins after lumbar spinal fusion, stored in
//! one local `SQLite` file and charted against the recovery that published
//! outcome data leads us to expect.
//!
//! Data flows one way: `store` → `analysis` → `ui` / `report`. The binary,
//! the tests and the benches all use these modules.

/// The application's one reverse-DNS id: the window's (so a desktop matches
/// it to its entry), the desktop file's, the icon's, the metainfo's and the
/// notifications'.
pub const APP_ID: &str = "io.github.recovery_tracker.RecoveryTracker";

pub mod analysis;
pub mod clock;
pub mod demo;
pub mod exchange;
pub mod model;
pub mod protocol;
pub mod report;
pub mod session;
pub mod store;
pub mod sync;
pub mod ui;
pub mod words;
