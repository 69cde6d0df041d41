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

/// Reads a file this app exported, as its JSON document or as a FHIR
/// Bundle, and checks it whole. Nothing is written.
pub fn read_document(
    bytes: &[u8],
    today: chrono::NaiveDate,
    protocol: &crate::protocol::Protocol,
) -> Result<json_exchange::Document, ExchangeError> {
    let bundle = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .filter(|v| v.get("resourceType").and_then(serde_json::Value::as_str) == Some("Bundle"));
    let Some(bundle) = bundle else {
        return json_exchange::Document::parse(bytes, today, protocol);
    };
    let document = json_exchange::Document {
        format: json_exchange::FORMAT_NAME.to_owned(),
        version: json_exchange::FORMAT_VERSION,
        patients: vec![fhir::import(&bundle)?],
    };
    document.check(today, protocol)?;
    Ok(document)
}
