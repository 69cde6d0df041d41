//! Importing a file from another computer in the window: read and plan it
//! first, show what would change, then apply it only when the person says.

use crate::exchange::merge::{self, PatientPlan};
use crate::protocol::Protocol;
use crate::store::Store;
use crate::words::plural;
use chrono::{DateTime, NaiveDate, Utc};
use std::path::Path;

/// A file read and planned, shown before anything is written.
pub struct ImportPreview {
    pub lines: Vec<String>,
    plans: Vec<PatientPlan>,
}

impl ImportPreview {
    /// Reads and checks a JSON or FHIR file and plans its import; writes
    /// nothing.
    pub(crate) fn read(
        store: &Store,
        protocol: &Protocol,
        path: &Path,
        today: NaiveDate,
    ) -> Result<Self, String> {
        let bytes = crate::exchange::input::read_document_bytes(path).map_err(|e| e.to_string())?;
        let document =
            crate::exchange::read_document(&bytes, today, protocol).map_err(|e| e.to_string())?;
        let plans = merge::plan(store, &document, merge::Matching::ByNameAndSurgery)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            lines: plans.iter().flat_map(PatientPlan::describe).collect(),
            plans,
        })
    }

    /// Backs the database up, then applies the plan in one transaction.
    /// Returns the sentence to show.
    pub(crate) fn apply(self, store: &mut Store, today: NaiveDate, now: DateTime<Utc>) -> String {
        let result = crate::exchange::write_with_backup(store, now, |store| {
            merge::apply(store, &self.plans, today)
        });
        match result {
            Ok((ids, backup)) => format!(
                "✔ Imported {}.{}",
                plural(ids.len() as i64, "patient", "patients"),
                if backup.is_some() {
                    " A backup was made first."
                } else {
                    ""
                }
            ),
            Err(e) => format!("Not imported: {e}. Nothing changed."),
        }
    }
}
