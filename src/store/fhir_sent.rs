//! What the last successful push to a FHIR server sent, per resource, and
//! per part of the record the resources were built from.

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
    /// The part of the record it was built from ("" for the parts built
    /// every time).
    pub part: String,
}

/// What a push changed: resources now sent (with their hash and
/// version), resources removed, the hashes of the parts built again, the
/// parts gone, and resources whose part is written down anew.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushedChanges {
    pub sent: Vec<(String, SentResource)>,
    pub removed: Vec<String>,
    pub parts: Vec<(String, String)>,
    pub parts_gone: Vec<String>,
    pub moved: Vec<(String, String)>,
}

impl PushedChanges {
    /// Nothing to write down.
    pub fn is_empty(&self) -> bool {
        self.sent.is_empty()
            && self.removed.is_empty()
            && self.parts.is_empty()
            && self.parts_gone.is_empty()
            && self.moved.is_empty()
    }
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
            "SELECT resource, hash, version, part FROM fhir_sent \
             WHERE server = ?1 AND patient_id = ?2",
        )?;
        let rows = statement.query_map(rusqlite::params![server, patient.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                SentResource {
                    hash: r.get(1)?,
                    version: r.get(2)?,
                    part: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each part of `patient`'s record the last pushes to `server` built
    /// resources from, with its hash then.
    pub fn fhir_sent_parts(
        &self,
        server: &str,
        patient: PatientId,
    ) -> Result<BTreeMap<String, String>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT part, hash FROM fhir_sent_part WHERE server = ?1 AND patient_id = ?2",
        )?;
        let rows = statement.query_map(rusqlite::params![server, patient.0], |r| {
            Ok((r.get(0)?, r.get(1)?))
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
                "INSERT INTO fhir_sent (server, patient_id, resource, hash, version, part) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (server, patient_id, resource) \
                 DO UPDATE SET hash = excluded.hash, version = excluded.version, \
                 part = excluded.part",
            )?;
            for (resource, sent) in &changes.sent {
                upsert.execute(rusqlite::params![
                    server,
                    patient.0,
                    resource,
                    sent.hash,
                    sent.version,
                    sent.part
                ])?;
            }
            let mut remove = tx.prepare_cached(
                "DELETE FROM fhir_sent WHERE server = ?1 AND patient_id = ?2 AND resource = ?3",
            )?;
            for resource in &changes.removed {
                remove.execute(rusqlite::params![server, patient.0, resource])?;
            }
            let mut part = tx.prepare_cached(
                "INSERT INTO fhir_sent_part (server, patient_id, part, hash) \
                 VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (server, patient_id, part) DO UPDATE SET hash = excluded.hash",
            )?;
            for (key, hash) in &changes.parts {
                part.execute(rusqlite::params![server, patient.0, key, hash])?;
            }
            let mut gone = tx.prepare_cached(
                "DELETE FROM fhir_sent_part WHERE server = ?1 AND patient_id = ?2 AND part = ?3",
            )?;
            for key in &changes.parts_gone {
                gone.execute(rusqlite::params![server, patient.0, key])?;
            }
            let mut moved = tx.prepare_cached(
                "UPDATE fhir_sent SET part = ?4 \
                 WHERE server = ?1 AND patient_id = ?2 AND resource = ?3",
            )?;
            for (resource, key) in &changes.moved {
                moved.execute(rusqlite::params![server, patient.0, resource, key])?;
            }
            Ok(())
        })
    }
}
