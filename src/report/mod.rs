//! Moving data out of and into the app: CSV and the lossless JSON document.
//! Every import is checked whole before anything is written, and written in
//! one transaction, so a bad file changes nothing.

pub mod csv_exchange;
pub mod fhir;
pub mod json_exchange;
pub mod merge;
pub mod pdf;

use crate::model::PatientId;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("line {line}, {field}: {message}")]
    Field {
        line: u64,
        field: String,
        message: String,
    },
    #[error("line {line}: {message}")]
    Line { line: u64, message: String },
    #[error("{0}")]
    Document(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub patients: usize,
    pub check_ins: usize,
    /// Patients whose id was taken in this database and who were stored
    /// under a new one: (id in the file, id here).
    pub renumbered: Vec<(PatientId, PatientId)>,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {} patient(s) and {} check-in(s)",
            self.patients, self.check_ins
        )?;
        for (from, to) in &self.renumbered {
            write!(f, "; patient {from} of the file is patient {to} here")?;
        }
        Ok(())
    }
}
