//! recovery-tracker: daily check-ins after lumbar spinal fusion, stored in
//! one local `SQLite` file and charted against the recovery that published
//! outcome data leads us to expect.
//!
//! Data flows one way: `store` → `analysis` → `ui` / `report`. The binary,
//! the tests and the benches all use these modules.

pub mod analysis;
pub mod clock;
pub mod demo;
pub mod exchange;
pub mod model;
pub mod protocol;
pub mod report;
pub mod session;
pub mod store;
pub mod ui;
pub mod words;
