//! Pure functions over the data: the expected trajectory for a patient and
//! where they stand against it. No SQL, no UI.

pub mod baseline;
pub mod body_map;
pub mod chart;
pub mod check_ups;
pub mod program;
pub mod psfs;
pub mod review;
pub mod series;
pub mod status;
pub mod trajectory;

pub use baseline::{BaselineOrigin, OwnBaseline, own_baseline};
pub use status::{MetricStatus, PatientStatus, Summary, Verdict, patient_status};
pub use trajectory::{ExpectedPoint, Trajectory};
