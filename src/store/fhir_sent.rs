//! What the last successful push to a FHIR server sent, per resource.

use super::{Result, Store};
use crate::model::PatientId;
use std::collections::BTreeMap;

/// A resource as the server last received it from this file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentResource {
    /// SHA-256 of the resource as sent, in hex.
    pub hash: String,
    /// The server's version of it after the push (its `ETag`), if it said.
    pub version: Option<String>,
}

/// What a push changed on the server: resources now sent (with their
/// hash and version), and resources removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushedChanges {
    pub sent: Vec<(String, SentResource)>,
    pub removed: Vec<String>,
}

impl Store {
    /// Each resource of `patient` the last pushes sent to `server`, by its
    /// conditional URL.
    pub fn fhir_sent(
        &self,
        server: &str,
        patient: PatientId,
    ) -> Result<BTreeMap<String, SentResource>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT resource, hash, version FROM fhir_sent \
             WHERE server = ?1 AND patient_id = ?2",
        )?;
        let rows = statement.query_map(rusqlite::params![server, patient.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                SentResource {
                    hash: r.get(1)?,
                    version: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records a push the server accepted, in one transaction.
    pub fn record_fhir_push(
        &mut self,
        server: &str,
        patient: PatientId,
        changes: &PushedChanges,
    ) -> Result<()> {
        self.write(|tx| {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO fhir_sent (server, patient_id, resource, hash, version) \
                 VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (server, patient_id, resource) \
                 DO UPDATE SET hash = excluded.hash, version = excluded.version",
            )?;
            for (resource, sent) in &changes.sent {
                upsert.execute(rusqlite::params![
                    server,
                    patient.0,
                    resource,
                    sent.hash,
                    sent.version
                ])?;
            }
            let mut remove = tx.prepare_cached(
                "DELETE FROM fhir_sent WHERE server = ?1 AND patient_id = ?2 AND resource = ?3",
            )?;
            for resource in &changes.removed {
                remove.execute(rusqlite::params![server, patient.0, resource])?;
            }
            Ok(())
        })
    }
}
