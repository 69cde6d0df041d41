//! Clinic sync: a push makes a FHIR server hold what a patient's record
//! holds. Each resource the app writes (the FHIR export's) is sent as a
//! conditional update on its stable identifier, each one the server got
//! from an earlier push and the record no longer has as a conditional
//! delete, all in one transaction bundle; only what changed since the last
//! successful push is sent (a SHA-256 of each resource as sent is kept in
//! the file, with the version the server gave it). A reference to a
//! resource sent in the same bundle names its entry (`urn:uuid:…`); one to
//! a resource already on the server is a conditional reference
//! (`Patient?identifier=…`), so an update needs nothing else in its bundle.
//!
//! A pull reads a patient's resources back from a server, to be merged
//! like an imported file.
//!
//! Nothing here opens a socket until [`push`] or [`pull`] is called, and
//! only to the server it is given.

use crate::exchange::fhir::{self, BundleKind};
use crate::model::{PatientId, PatientRecord};
use crate::store::{PushedChanges, SentResource, Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A clinic's FHIR server.
#[derive(Clone)]
pub struct Server {
    /// Its base URL, as given (`https://fhir.example.org/r4`).
    pub url: String,
    /// A bearer token, if the server wants one. Sent in the
    /// `Authorization` header only; never written anywhere.
    pub token: Option<String>,
}

impl Server {
    /// The base URL without a trailing slash: the key under which pushes
    /// to it are remembered.
    pub fn key(&self) -> &str {
        self.url.trim_end_matches('/')
    }
}

impl std::fmt::Debug for Server {
    // The token stays out of logs and error messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "(set)"))
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "the server address {0:?} is not a server's base address (https://host/path, or http:// on the clinic's own network, without ? or #)"
    )]
    Address(String),
    #[error(
        "the token can hold only letters, digits and punctuation, without spaces or line breaks"
    )]
    Token,
    #[error("could not reach {server}: {reason}")]
    Unreachable { server: String, reason: String },
    #[error("{server} refused (HTTP {status}): {message}")]
    Refused {
        server: String,
        status: u16,
        message: String,
    },
    #[error(
        "someone else changed {resource} on {server} since this app last sent it, so nothing was sent. On the server: {theirs}. Here: {ours}. ({message})"
    )]
    Conflict {
        server: String,
        resource: String,
        /// The server's value now, in words.
        theirs: String,
        /// This record's, in words.
        ours: String,
        message: String,
    },
    #[error("{server}: {message}")]
    Answer { server: String, message: String },
    #[error("{server} has no patient with the identifier {identifier}")]
    NotFound { server: String, identifier: String },
    #[error("the export of the record could not be read back: {0}")]
    Export(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One resource as it is to be sent.
#[derive(Debug, Clone)]
pub struct Update {
    /// Its conditional URL: `Observation?identifier=system|value`.
    pub resource: String,
    /// Its entry's `urn:uuid:` in a bundle.
    pub full_url: String,
    /// With conditional references: as hashed.
    pub body: Value,
    pub hash: String,
    /// The server's version when this app last sent it: the update is
    /// refused if the server's is another (someone else changed it).
    pub if_match: Option<String>,
    /// The part of the record it is built from ("" for the parts built
    /// every time).
    pub part: String,
}

/// What a push of one patient would send.
#[derive(Debug, Clone)]
pub struct PushPlan {
    pub patient: PatientId,
    pub server: String,
    pub updates: Vec<Update>,
    /// Resources the server has from an earlier push and the record no
    /// longer holds: each conditional URL, with the server's version then.
    pub removals: Vec<(String, Option<String>)>,
    /// Resources the server already has as they are.
    pub unchanged: usize,
    /// Nothing of this patient was pushed to this server from this file
    /// before.
    pub first: bool,
    /// Sent with `--everything`: whatever the server has is replaced.
    pub everything: bool,
    /// The parts of the record built again, with their hashes now, and
    /// the parts gone: written down once the server has taken the push.
    pub parts: Vec<(String, String)>,
    pub parts_gone: Vec<String>,
    /// Resources unchanged whose part is written down anew.
    pub moved: Vec<(String, String)>,
}

impl PushPlan {
    pub fn is_empty(&self) -> bool {
        self.updates.is_empty() && self.removals.is_empty()
    }

    /// What to write down once the server has taken the plan, its updates
    /// given `versions` in the order sent.
    pub fn changes(&self, versions: &[Option<String>]) -> PushedChanges {
        PushedChanges {
            sent: self
                .updates
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    (
                        u.resource.clone(),
                        SentResource {
                            hash: u.hash.clone(),
                            version: versions.get(i).cloned().flatten(),
                            part: u.part.clone(),
                        },
                    )
                })
                .collect(),
            removed: self.removals.iter().map(|(r, _)| r.clone()).collect(),
            parts: self.parts.clone(),
            parts_gone: self.parts_gone.clone(),
            moved: self.moved.clone(),
        }
    }
}

/// What the server took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushReport {
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
}

/// The conditional URL of a resource of the export, from its identifier.
fn conditional_url(resource: &Value) -> Option<String> {
    let kind = resource["resourceType"].as_str()?;
    // A QuestionnaireResponse has one identifier, the rest a list.
    let identifier = match &resource["identifier"] {
        Value::Array(list) => list.first()?,
        one => one,
    };
    let system = identifier["system"].as_str()?;
    let value = identifier["value"].as_str()?;
    Some(format!(
        "{kind}?identifier={}|{}",
        search_value(system),
        search_value(value)
    ))
}

/// A token for a search URL: a comma escaped with a backslash (a bare one
/// separates values that are alternatives), then every byte but letters,
/// digits and `-._~:|` percent-encoded. A physiotherapist's own exercise
/// key ("Stretch, hold $1 \ x|y") is then found as itself. FHIR also
/// names `$`, `|` and `\` as escaped, but Helios matches an escaped
/// `$` or `\` to nothing (tested in tests/sync.rs), and servers split
/// system from value at the first `|`.
fn search_value(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ',' {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let mut encoded = String::with_capacity(escaped.len());
    for byte in escaped.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:|".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Replaces every `reference` naming an entry's `urn:uuid:` full URL with
/// that entry's conditional URL.
fn rewrite_references(value: &mut Value, by_full_url: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (name, inner) in map.iter_mut() {
                if name == "reference"
                    && let Some(target) = inner.as_str().and_then(|r| by_full_url.get(r))
                {
                    *inner = Value::String(target.clone());
                } else {
                    rewrite_references(inner, by_full_url);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_references(item, by_full_url);
            }
        }
        _ => {}
    }
}

/// A SHA-256 that JSON is written straight into (a two-year record has
/// some 10,000 resources).
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write;
        write!(hex, "{b:02x}").ok();
        hex
    })
}

/// The SHA-256 of a resource's JSON, in hex.
fn hash_of(resource: &Value) -> Result<String, SyncError> {
    let mut hashing = Hashing(Sha256::new());
    serde_json::to_writer(&mut hashing, resource).map_err(|e| SyncError::Export(e.to_string()))?;
    Ok(hex(&hashing.0.finalize()))
}

/// A resource of the record: its conditional URL, its entry's full URL and
/// its content with conditional references.
type OwnResource = (String, String, Value);

/// Every resource of the patient's record as a push sends it, in the
/// export's order.
pub fn resources_of(
    store: &Store,
    patient: PatientId,
    made_at: DateTime<Utc>,
) -> Result<Vec<OwnResource>, SyncError> {
    let record = store.patient_record(patient)?;
    Ok(built(&record, made_at, |_| true)?
        .into_iter()
        .map(|(url, full_url, body, _)| (url, full_url, body))
        .collect())
}

/// The longest conditional URL the file keeps (migration 0017).
const MAX_RESOURCE_NAME: usize = 4000;

/// The resources of the parts of `record` that `wanted` picks (and of the
/// parts built every time), as a push sends them, each with its part.
fn built<'a>(
    record: &'a PatientRecord,
    made_at: DateTime<Utc>,
    wanted: impl Fn(fhir::Origin<'a>) -> bool,
) -> Result<Vec<(String, String, Value, String)>, SyncError> {
    let mut by_full_url = BTreeMap::new();
    let mut resources = Vec::new();
    for (origin, mut entry) in fhir::entries(record, BundleKind::Collection, made_at, wanted) {
        let resource = entry["resource"].take();
        let url = conditional_url(&resource).ok_or_else(|| {
            SyncError::Export(format!("a {} has no identifier", resource["resourceType"]))
        })?;
        // Refused before anything is sent: the file could not write down
        // that the server took it.
        if url.chars().count() > MAX_RESOURCE_NAME {
            return Err(SyncError::Export(format!(
                "the name of {} is longer than {MAX_RESOURCE_NAME} characters",
                crate::words::excerpt(&url, 120)
            )));
        }
        let full_url = entry["fullUrl"].as_str().unwrap_or_default().to_owned();
        by_full_url.insert(full_url.clone(), url.clone());
        let part = part_key(origin).unwrap_or_default();
        resources.push((url, full_url, resource, part));
    }
    for (_, _, resource, _) in &mut resources {
        rewrite_references(resource, &by_full_url);
    }
    Ok(resources)
}

/// A part of the record whose resources are built only when it changed:
/// its key and the hash of its content. `None` for the parts built every
/// time. The hash covers the app's version, since another version may
/// write the same row differently.
fn part_of(patient: PatientId, origin: fhir::Origin<'_>) -> Option<(String, [u8; 32])> {
    let key = part_key(origin)?;
    let mut hashing = Hashing(Sha256::new());
    match origin {
        fhir::Origin::Record => return None,
        fhir::Origin::CheckIn(c) => serde_json::to_writer(&mut hashing, c).ok()?,
        fhir::Origin::ExerciseLog(log) => serde_json::to_writer(&mut hashing, log).ok()?,
    }
    hashing.0.update(env!("CARGO_PKG_VERSION").as_bytes());
    hashing.0.update(patient.0.to_le_bytes());
    Some((key, hashing.0.finalize().into()))
}

/// The key of a part of the record ([`part_of`]) without its hash.
fn part_key(origin: fhir::Origin<'_>) -> Option<String> {
    match origin {
        fhir::Origin::Record => None,
        fhir::Origin::CheckIn(c) => Some(format!("check-in {}", c.day)),
        fhir::Origin::ExerciseLog(log) => {
            Some(format!("exercise {} {}", log.day, log.exercise_key))
        }
    }
}

/// What a push of `patient` to `server` would send: every resource whose
/// content differs from what the last successful push sent (all of them
/// with `everything`), and the removal of every one sent then and gone now.
/// Only the resources of check-ins and exercise logs that changed since
/// are built again; the others are known to be as sent.
pub fn plan_push(
    store: &Store,
    patient: PatientId,
    server: &Server,
    everything: bool,
    made_at: DateTime<Utc>,
) -> Result<PushPlan, SyncError> {
    check_address(&server.url)?;
    let sent = store.fhir_sent(server.key(), patient)?;
    let sent_parts = store.fhir_sent_parts(server.key(), patient)?;
    let first = sent.is_empty();
    let record = store.patient_record(patient)?;
    let parts_now: BTreeMap<String, String> = record
        .check_ins
        .iter()
        .map(fhir::Origin::CheckIn)
        .chain(record.exercise_logs.iter().map(fhir::Origin::ExerciseLog))
        .filter_map(|origin| part_of(patient, origin))
        .map(|(key, hash)| (key, hex(&hash)))
        .collect();
    let rebuilt = |key: &str| everything || sent_parts.get(key) != parts_now.get(key);
    let resources = built(&record, made_at, |origin| {
        part_key(origin).is_none_or(|key| rebuilt(&key))
    })?;
    let mut updates = Vec::new();
    let mut moved = Vec::new();
    let mut unchanged = 0;
    let mut current = BTreeSet::new();
    for (resource, full_url, body, part) in resources {
        let hash = hash_of(&body)?;
        let before = sent.get(&resource);
        current.insert(resource.clone());
        if !everything && let Some(before) = before.filter(|b| b.hash == hash) {
            unchanged += 1;
            if before.part != part {
                moved.push((resource, part));
            }
            continue;
        }
        updates.push(Update {
            // Sending everything again repairs the server: it replaces
            // whatever is there.
            if_match: before
                .filter(|_| !everything)
                .and_then(|b| b.version.clone()),
            resource,
            full_url,
            body,
            hash,
            part,
        });
    }
    // The resources of parts not built again are as the server has them.
    for (resource, before) in &sent {
        if !before.part.is_empty() && parts_now.contains_key(&before.part) && !rebuilt(&before.part)
        {
            current.insert(resource.clone());
            unchanged += 1;
        }
    }
    let removals = sent
        .iter()
        .filter(|(k, _)| !current.contains(*k))
        .map(|(k, before)| (k.clone(), before.version.clone().filter(|_| !everything)))
        .collect();
    Ok(PushPlan {
        patient,
        server: server.key().to_owned(),
        updates,
        removals,
        unchanged,
        first,
        everything,
        parts: parts_now
            .iter()
            .filter(|(key, _)| rebuilt(key))
            .map(|(key, hash)| (key.clone(), hash.clone()))
            .collect(),
        parts_gone: sent_parts
            .keys()
            .filter(|key| !parts_now.contains_key(*key))
            .cloned()
            .collect(),
        moved,
    })
}

/// A server's base URL: `http://` or `https://`, a host, and no query or
/// fragment (which every request's path would be appended after).
pub fn check_address(url: &str) -> Result<(), SyncError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !rest.contains(['?', '#'])
                && !rest.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(SyncError::Address(url.to_owned())),
    }
}

/// A bearer token: printable ASCII without spaces (what an HTTP header
/// can carry; a pasted line break would otherwise fail as a connection
/// error).
pub fn check_token(token: &str) -> Result<(), SyncError> {
    if !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(SyncError::Token)
    }
}

/// The transaction bundle of a plan, with deletes of `leftovers` too. A
/// server resolves a conditional reference only against what it held
/// before the transaction, so a reference to a resource sent in the same
/// bundle names its entry.
pub fn transaction(plan: &PushPlan, leftovers: &[String]) -> Value {
    let in_bundle: BTreeMap<String, String> = plan
        .updates
        .iter()
        .map(|u| (u.resource.clone(), u.full_url.clone()))
        .collect();
    let updates = plan.updates.iter().map(|u| {
        let mut request = json!({ "method": "PUT", "url": u.resource });
        if let Some(version) = &u.if_match {
            request["ifMatch"] = json!(version);
        }
        let mut body = u.body.clone();
        rewrite_references(&mut body, &in_bundle);
        json!({ "fullUrl": u.full_url, "resource": body, "request": request })
    });
    let removals = plan
        .removals
        .iter()
        .map(|(resource, version)| (resource, version.as_ref()))
        .chain(leftovers.iter().map(|resource| (resource, None)))
        .map(|(resource, version)| {
            let mut request = json!({ "method": "DELETE", "url": resource });
            if let Some(version) = version {
                request["ifMatch"] = json!(version);
            }
            json!({ "request": request })
        });
    json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": updates.chain(removals).collect::<Vec<_>>(),
    })
}

/// How many times a request is tried when it cannot have reached the
/// server.
const ATTEMPTS: u32 = 3;

/// Sends `plan` to `server` as one transaction and, once the server has
/// taken all of it, records what was sent. A push the server refuses, or
/// that cannot reach it, records nothing.
pub fn push(store: &mut Store, plan: &PushPlan, server: &Server) -> Result<PushReport, SyncError> {
    let (report, changes) = send(plan, server)?;
    if !changes.is_empty() {
        store.record_fhir_push(&plan.server, plan.patient, &changes)?;
    }
    Ok(report)
}

/// The network half of [`push`]: sends `plan` and returns what to write
/// down ([`Store::record_fhir_push`]) now that the server has taken it, so
/// that the window can send on a thread of its own and write on its own.
pub fn send(plan: &PushPlan, server: &Server) -> Result<(PushReport, PushedChanges), SyncError> {
    check_address(&server.url)?;
    if plan.is_empty() {
        // Nothing to send; what was built again is as the server has it.
        let report = PushReport {
            updated: 0,
            removed: 0,
            unchanged: plan.unchanged,
        };
        return Ok((report, plan.changes(&[])));
    }
    if plan.first && !plan.everything {
        refuse_someone_elses_patient(plan, server)?;
    }
    // Everything again replaces what the server holds: what it has of the
    // patient's from this app and the record does not is removed too (an
    // earlier copy's days, another installation's patient).
    let leftovers = if plan.everything {
        leftovers_on_server(plan, server)?
    } else {
        Vec::new()
    };
    let report = PushReport {
        updated: plan.updates.len(),
        removed: plan.removals.len() + leftovers.len(),
        unchanged: plan.unchanged,
    };
    let body = serde_json::to_vec(&transaction(plan, &leftovers))
        .map_err(|e| SyncError::Export(e.to_string()))?;
    let (status, answer) = match post_with_retries(server, &body) {
        Ok(answer) => answer,
        // Say why, where the address answers but not as a FHIR server.
        Err(unreachable) => return Err(check_server(server).err().unwrap_or(unreachable)),
    };
    let refused = |status: u16, message: String| stopped(server, status, message);
    if !(200..300).contains(&status) {
        let message = outcome_message(&answer).unwrap_or_else(|| excerpt_of(&answer));
        // A precondition failed on a resource sent with its version: the
        // server's is another. (A 412 can also mean a conditional URL
        // matched several resources: that is said as the server says it.)
        let conflict = (status == 412)
            .then(|| conflicting_resource(plan, &message))
            .flatten()
            .filter(|resource| plan_version_of(plan, resource).is_some());
        return Err(match conflict {
            Some(resource) => SyncError::Conflict {
                server: server.key().to_owned(),
                theirs: their_value(server, &resource),
                ours: plan
                    .updates
                    .iter()
                    .find(|u| u.resource == resource)
                    .map_or_else(|| "deleted".to_owned(), |u| value_words(&u.body)),
                resource,
                message,
            },
            None => refused(status, message),
        });
    }
    // A transaction-response lists the entries in the order sent, each
    // with its own status; each update's new version is its ETag. Anything
    // else (a web page, a redirect's target) is not taken as done.
    let response: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    let entries = response["entry"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let sent = plan.updates.len() + plan.removals.len() + leftovers.len();
    if response["type"] != "transaction-response" || entries.len() != sent {
        return Err(refused(
            status,
            format!(
                "its answer was not the transaction-response of the {sent} entries sent, so nothing is taken as done"
            ),
        ));
    }
    if let Some(failed) = entries.iter().find(|e| {
        !e["response"]["status"]
            .as_str()
            .is_some_and(|s| s.starts_with('2'))
    }) {
        return Err(refused(
            status,
            format!(
                "an entry was answered {}, so nothing is taken as done",
                failed["response"]["status"]
            ),
        ));
    }
    let versions: Vec<Option<String>> = entries
        .iter()
        .map(|e| e["response"]["etag"].as_str().map(str::to_owned))
        .collect();
    Ok((report, plan.changes(&versions)))
}

/// The app's resources the server holds for the plan's patient that the
/// plan neither sends nor removes, each as its conditional URL.
fn leftovers_on_server(plan: &PushPlan, server: &Server) -> Result<Vec<String>, SyncError> {
    let system = format!("{}:patient", fhir::IDENTIFIER);
    let Some(on_server) = read_from_server(server, &system, &plan.patient.0.to_string())
        .map_err(|unreachable| check_server(server).err().unwrap_or(unreachable))?
    else {
        return Ok(Vec::new());
    };
    let planned: BTreeSet<&str> = plan
        .updates
        .iter()
        .map(|u| u.resource.as_str())
        .chain(plan.removals.iter().map(|(r, _)| r.as_str()))
        .collect();
    let mut leftovers: Vec<String> = on_server
        .own
        .iter()
        .filter_map(conditional_url)
        .filter(|url| !planned.contains(url.as_str()))
        .collect();
    leftovers.sort();
    leftovers.dedup();
    Ok(leftovers)
}

/// Before a patient's first push from this file: the app's identifiers
/// are numbered per file, so a server that already has a Patient with this
/// one holds another installation's patient (or an earlier copy of this
/// file's); updating it would mix two people's records. Nothing is sent
/// then; `--everything` takes it over where that is meant.
fn refuse_someone_elses_patient(plan: &PushPlan, server: &Server) -> Result<(), SyncError> {
    let Some(patient) = plan
        .updates
        .iter()
        .find(|u| u.resource.starts_with("Patient?"))
    else {
        return Ok(());
    };
    let (status, answer) = get_with_retries(
        server,
        &format!(
            "{}/{}&_summary=count",
            server.key(),
            // A URL's query may not hold a bare `|`.
            patient.resource.replace('|', "%7C")
        ),
    )
    .map_err(|unreachable| check_server(server).err().unwrap_or(unreachable))?;
    if !(200..300).contains(&status) {
        return Err(stopped(
            server,
            status,
            outcome_message(&answer).unwrap_or_else(|| excerpt_of(&answer)),
        ));
    }
    let found: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    match found["total"].as_u64() {
        Some(0) | None => Ok(()),
        Some(_) => Err(stopped(
            server,
            status,
            format!(
                "it already has a patient with this app's identifier ({}) that this file never sent: another installation's patient, or an earlier copy of this file's. Nothing was sent. To replace what the server has with this record, send everything again (recovery-tracker sync push --everything)",
                patient.resource
            ),
        )),
    }
}

/// Where the window keeps the token for a file's clinic server: beside the
/// file, readable by its owner alone (0600). Never in the file itself,
/// which backups, copies and restores carry, and never in an export.
pub fn token_path(db: &Path) -> PathBuf {
    let name = db
        .file_name()
        .map_or_else(|| "recovery-tracker.db".into(), |n| n.to_string_lossy());
    db.with_file_name(format!("{name}.sync-token"))
}

/// The token file: the token, and the server it is for.
#[derive(serde::Serialize, serde::Deserialize)]
struct SavedToken {
    server: String,
    token: String,
}

/// The token saved for `server` beside the file at `db`, if there is one
/// for that server (a token is never sent to another).
pub fn saved_token(db: &Path, server: &str) -> Option<String> {
    use std::io::Read;
    // A regular file only (a pipe would make the read wait forever), and
    // no more of it than a token needs.
    let mut bytes = Vec::new();
    crate::store::files::open_input(&token_path(db))
        .ok()?
        .take(64 * 1024)
        .read_to_end(&mut bytes)
        .ok()?;
    let saved: SavedToken = serde_json::from_slice(&bytes).ok()?;
    let key = |url: &str| url.trim().trim_end_matches('/').to_owned();
    (key(&saved.server) == key(server) && !saved.token.is_empty()).then_some(saved.token)
}

/// Saves the token for `server` beside the file at `db`, created 0600 and
/// renamed into place; `None` removes it.
pub fn save_token(db: &Path, server: &str, token: Option<&str>) -> std::io::Result<()> {
    let path = token_path(db);
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let saved = SavedToken {
                server: server.trim().to_owned(),
                token: token.to_owned(),
            };
            let bytes = serde_json::to_vec(&saved).map_err(std::io::Error::other)?;
            crate::store::files::write_output(&path, &bytes, crate::store::files::Replace::Yes)
        }
        None => match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
    }
}

/// The most pages a search follows, and how long it may take: a server
/// whose pages never end is stopped (a two-year record is 11 pages of
/// 1,000).
const MAX_PAGES: usize = 2000;
const SEARCH_TIME: Duration = Duration::from_secs(600);

/// How many resources a server is asked for per page (servers may give
/// fewer; Helios gives at most 1,000).
const PAGE_SIZE: u32 = 1000;

/// What a pull read from a server.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The patient's resources this app wrote, as a collection bundle
    /// that [`fhir::import`] reads.
    pub bundle: Value,
    /// How many resources that is, the Patient included.
    pub resources: usize,
    /// The patient's resources on the server that this app did not write
    /// (no identifier of its own): left out, and left on the server.
    pub others: usize,
}

/// Reads from `server` the patient whose app identifier is
/// `patient_identifier` (the value, such as `1`, or `system|value`) and
/// every resource of theirs that this app wrote, following the server's
/// pages. Nothing is written anywhere.
pub fn pull(server: &Server, patient_identifier: &str) -> Result<Pulled, SyncError> {
    check_address(&server.url)?;
    let own_system = format!("{}:patient", fhir::IDENTIFIER);
    let (system, value) = patient_identifier
        .split_once('|')
        .unwrap_or((own_system.as_str(), patient_identifier));
    let on_server =
        read_from_server(server, system, value)?.ok_or_else(|| SyncError::NotFound {
            server: server.key().to_owned(),
            identifier: format!("{system}|{value}"),
        })?;
    let reference = on_server.reference;
    let mut entries = vec![json!({ "fullUrl": reference, "resource": on_server.patient })];
    for mut resource in on_server.own {
        resource["subject"] = json!({ "reference": reference });
        entries.push(json!({ "resource": resource }));
    }
    Ok(Pulled {
        resources: entries.len(),
        others: on_server.others,
        bundle: json!({ "resourceType": "Bundle", "type": "collection", "entry": entries }),
    })
}

/// A patient as a server holds them.
struct OnServer {
    patient: Value,
    /// `Patient/[id]`.
    reference: String,
    /// Their resources this app wrote.
    own: Vec<Value>,
    /// How many of theirs it did not write.
    others: usize,
}

/// The patient with the identifier `system|value` on the server, if it
/// has one, with every resource of theirs, page after page.
fn read_from_server(
    server: &Server,
    system: &str,
    value: &str,
) -> Result<Option<OnServer>, SyncError> {
    let search = format!(
        "{}/Patient?identifier={}%7C{}",
        server.key(),
        search_value(system),
        search_value(value)
    );
    let found = search_all(server, &search, usize::MAX)?;
    let patient = match found.as_slice() {
        [one] => one,
        [] => return Ok(None),
        many => {
            return Err(stopped(
                server,
                200,
                format!(
                    "it has {} patients with the identifier {system}|{value}, so none was read",
                    many.len()
                ),
            ));
        }
    };
    let has_identifier = patient["identifier"].as_array().is_some_and(|list| {
        list.iter()
            .any(|i| i["system"] == system && i["value"] == value)
    });
    if !has_identifier {
        return Err(stopped(
            server,
            200,
            format!(
                "it answered the search for {system}|{value} with a patient without that identifier, so nothing was read"
            ),
        ));
    }
    let id = patient["id"]
        .as_str()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| stopped(server, 200, "the patient it found has no id".to_owned()))?;
    let reference = format!("Patient/{id}");
    let mut own = Vec::new();
    let mut others = 0;
    // Each found on the server by its `subject`.
    for kind in fhir::KINDS_BESIDES_PATIENT {
        let url = format!(
            "{}/{kind}?subject={}&_count={PAGE_SIZE}",
            server.key(),
            search_value(&reference)
        );
        for resource in search_all(server, &url, usize::MAX)? {
            // The server may write the reference in full
            // (`https://…/Patient/…`); a server that ignored the search's
            // `subject` would hand over other patients' resources.
            let subject = resource["subject"]["reference"]
                .as_str()
                .unwrap_or_default();
            if !(subject == reference || subject.ends_with(&format!("/{reference}"))) {
                return Err(stopped(
                    server,
                    200,
                    format!(
                        "it answered the search for {reference}'s {kind} resources with another patient's, so nothing was read"
                    ),
                ));
            }
            if is_own(&resource) {
                own.push(resource);
            } else {
                others += 1;
            }
        }
    }
    Ok(Some(OnServer {
        patient: patient.clone(),
        reference,
        own,
        others,
    }))
}

/// A patient on the server that this app pushed, as a search lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPatient {
    /// Their app identifier's value: what [`pull`] takes.
    pub identifier: String,
    pub name: String,
    pub born: Option<String>,
}

/// The patients on the server whose name contains `name` (a search by
/// `name:contains`, so a surname finds "Margaret Ellis") and that this app
/// pushed, up to 50.
pub fn find_patients(server: &Server, name: &str) -> Result<Vec<FoundPatient>, SyncError> {
    check_address(&server.url)?;
    let url = format!(
        "{}/Patient?name:contains={}&_count=50",
        server.key(),
        search_value(name.trim())
    );
    let system = format!("{}:patient", fhir::IDENTIFIER);
    let mut found: Vec<FoundPatient> = search_all(server, &url, 50)?
        .iter()
        .filter_map(|patient| {
            let identifier = patient["identifier"]
                .as_array()?
                .iter()
                .find(|i| i["system"] == system.as_str())?["value"]
                .as_str()?
                .to_owned();
            Some(FoundPatient {
                identifier,
                name: patient["name"][0]["text"]
                    .as_str()
                    .unwrap_or("(no name)")
                    .to_owned(),
                born: patient["birthDate"].as_str().map(str::to_owned),
            })
        })
        .collect();
    found.truncate(50);
    Ok(found)
}

/// Whether this app wrote the resource: it carries one of the app's
/// identifiers.
fn is_own(resource: &Value) -> bool {
    let prefix = format!("{}:", fhir::IDENTIFIER);
    let identifiers = match &resource["identifier"] {
        Value::Array(list) => list.iter().collect(),
        one => vec![one],
    };
    identifiers.iter().any(|i| {
        i["system"]
            .as_str()
            .is_some_and(|system| system.starts_with(&prefix))
    })
}

/// Every resource a search finds, page after page, until `at_most` are
/// found. A next page must be on the same server (the token goes nowhere
/// else) and never one already read.
fn search_all(server: &Server, first: &str, at_most: usize) -> Result<Vec<Value>, SyncError> {
    let refused = |status: u16, message: String| stopped(server, status, message);
    let base = format!("{}/", server.key());
    let mut found = Vec::new();
    let mut read = BTreeSet::new();
    let mut next = Some(first.to_owned());
    let started = std::time::Instant::now();
    while let Some(url) = next.take().filter(|_| found.len() < at_most) {
        if read.len() >= MAX_PAGES || started.elapsed() > SEARCH_TIME {
            return Err(stopped(
                server,
                200,
                format!(
                    "its answer to a search went on for more than {MAX_PAGES} pages or {} minutes, so it was not read to the end",
                    SEARCH_TIME.as_secs() / 60
                ),
            ));
        }
        if !read.insert(url.clone()) {
            return Err(refused(
                200,
                "its pages lead back to a page already read".to_owned(),
            ));
        }
        let (status, answer) = get_with_retries(server, &url)
            .map_err(|unreachable| check_server(server).err().unwrap_or(unreachable))?;
        if !(200..300).contains(&status) {
            return Err(refused(
                status,
                outcome_message(&answer).unwrap_or_else(|| excerpt_of(&answer)),
            ));
        }
        let mut page: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        if page["resourceType"] != "Bundle" || page["type"] != "searchset" {
            return Err(refused(
                status,
                "its answer to a search was not a searchset Bundle".to_owned(),
            ));
        }
        for mut entry in page["entry"]
            .as_array_mut()
            .map(std::mem::take)
            .unwrap_or_default()
        {
            // Included resources and messages about the search are not
            // matches.
            if entry["search"]["mode"]
                .as_str()
                .is_none_or(|m| m == "match")
            {
                found.push(entry["resource"].take());
            }
        }
        next = page["link"]
            .as_array()
            .and_then(|links| links.iter().find(|l| l["relation"] == "next"))
            .and_then(|l| l["url"].as_str())
            .map(str::to_owned);
        if let Some(url) = &next
            && !url.starts_with(&base)
        {
            return Err(refused(
                status,
                format!(
                    "its next page is on another address ({url}), which this app does not follow"
                ),
            ));
        }
    }
    Ok(found)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(10)))
        // A whole two-year record is about 10,000 resources.
        .timeout_global(Some(Duration::from_secs(300)))
        .http_status_as_error(false)
        // Only the server given: a redirect elsewhere is an answer to show,
        // not to follow (a POST followed by a redirect would arrive as a GET).
        .max_redirects(0)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .build()
        .into()
}

/// Sends one request, trying again after a pause when the server cannot be
/// reached or answers 5xx. Returns the last answer's status and body.
fn with_retries(
    server: &Server,
    send: impl Fn(&ureq::Agent) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(u16, Vec<u8>), SyncError> {
    let agent = agent();
    let mut pause = Duration::from_millis(500);
    let mut attempt = 1;
    loop {
        let outcome = send(&agent).and_then(|mut response| {
            let status = response.status().as_u16();
            let bytes = response
                .body_mut()
                .with_config()
                // A page of 1,000 resources, or the answer to a push of a
                // whole record, is a few megabytes.
                .limit(64 * 1024 * 1024)
                .read_to_vec()?;
            Ok((status, bytes))
        });
        // Tried again only where the request cannot have been carried out:
        // no connection, or a gateway that did not pass it on. (A bundle
        // the server took, sent again, would carry versions the first one
        // made old, and fail as a false conflict.)
        let retry = match &outcome {
            Ok((status, _)) => matches!(status, 502..=504),
            Err(
                ureq::Error::ConnectionFailed
                | ureq::Error::HostNotFound
                | ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve),
            ) => true,
            Err(ureq::Error::Io(e)) => e.kind() == std::io::ErrorKind::ConnectionRefused,
            Err(_) => false,
        };
        if !retry || attempt == ATTEMPTS {
            return outcome.map_err(|e| SyncError::Unreachable {
                server: server.key().to_owned(),
                reason: e.to_string(),
            });
        }
        std::thread::sleep(pause);
        pause *= 2;
        attempt += 1;
    }
}

/// Asks the server what it is (`GET [base]/metadata`), after a push that
/// did not get through: an address that is not a FHIR R4 server's base is
/// then told in the server's own words, not as a connection cut off
/// halfway (a server may refuse a request before reading all of it). Not
/// asked before each push: a server's `CapabilityStatement` can be megabytes.
fn check_server(server: &Server) -> Result<(), SyncError> {
    let (status, answer) = get_with_retries(server, &format!("{}/metadata", server.key()))?;
    let refused = |message: String| stopped(server, status, message);
    if !(200..300).contains(&status) {
        return Err(refused(
            outcome_message(&answer).unwrap_or_else(|| excerpt_of(&answer)),
        ));
    }
    let statement: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    if statement["resourceType"] != "CapabilityStatement" {
        return Err(refused(
            "its address does not answer as a FHIR server (no CapabilityStatement at /metadata)"
                .to_owned(),
        ));
    }
    match statement["fhirVersion"].as_str() {
        Some(version) if !version.starts_with("4.0") => Err(refused(format!(
            "it speaks FHIR {version}; this app sends FHIR R4 (4.0)"
        ))),
        _ => Ok(()),
    }
}

/// A request to the server, asking for FHIR JSON, with the token if there
/// is one: the one place the token is put on a request.
fn to_server<B>(server: &Server, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
    let request = request.header("Accept", "application/fhir+json");
    match &server.token {
        Some(token) => request.header("Authorization", format!("Bearer {token}")),
        None => request,
    }
}

/// POSTs the bundle to the server's base, with [`with_retries`].
fn post_with_retries(server: &Server, body: &[u8]) -> Result<(u16, Vec<u8>), SyncError> {
    with_retries(server, |agent| {
        to_server(server, agent.post(server.key()))
            .header("Content-Type", "application/fhir+json")
            .send(body)
    })
}

/// GETs `url` (on the server), with [`with_retries`].
fn get_with_retries(server: &Server, url: &str) -> Result<(u16, Vec<u8>), SyncError> {
    with_retries(server, |agent| to_server(server, agent.get(url)).call())
}

/// What stops a sync on the server's answer: a refusal with its HTTP
/// status, or a 2xx answer that is not what was asked for.
fn stopped(server: &Server, status: u16, message: String) -> SyncError {
    let server = server.key().to_owned();
    if (200..300).contains(&status) {
        SyncError::Answer { server, message }
    } else {
        SyncError::Refused {
            server,
            status,
            message,
        }
    }
}

/// The words of an `OperationOutcome`'s issues, if the answer is one.
fn outcome_message(answer: &[u8]) -> Option<String> {
    let outcome: Value = serde_json::from_slice(answer).ok()?;
    if outcome["resourceType"] != "OperationOutcome" {
        return None;
    }
    let words: Vec<String> = outcome["issue"]
        .as_array()?
        .iter()
        .filter_map(|issue| {
            issue["details"]["text"]
                .as_str()
                .or_else(|| issue["diagnostics"].as_str())
                .or_else(|| issue["code"].as_str())
                .map(str::to_owned)
        })
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// The start of an answer that is not an `OperationOutcome`, as text.
fn excerpt_of(answer: &[u8]) -> String {
    let text = String::from_utf8_lossy(answer);
    let text = text.trim();
    if text.is_empty() {
        "the server gave no reason".to_owned()
    } else {
        crate::words::excerpt(text, 300)
    }
}

/// The value the server holds for a resource now, in words, for a
/// conflict: both sides are shown, and the clinic decides.
fn their_value(server: &Server, resource: &str) -> String {
    let url = format!("{}/{}", server.key(), resource.replace('|', "%7C"));
    match search_all(server, &url, 1) {
        Ok(found) => found
            .first()
            .map_or_else(|| "deleted".to_owned(), value_words),
        Err(e) => format!("could not be read ({e})"),
    }
}

/// A resource's value in a few words: an Observation's value (or its
/// components'), a note's text, or else its version; with when the server
/// last changed it, where it says.
fn value_words(resource: &Value) -> String {
    fn one(v: &Value) -> Option<String> {
        let map = v.as_object()?;
        map.iter().find_map(|(name, value)| {
            let words = match name.as_str() {
                "valueInteger" | "valueBoolean" | "valueString" | "valueDate" => value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned),
                "valueQuantity" => format!(
                    "{} {}",
                    value["value"],
                    value["unit"].as_str().unwrap_or_default()
                ),
                "valueCodeableConcept" => value["text"].as_str()?.to_owned(),
                _ => return None,
            };
            Some(words.trim().to_owned())
        })
    }
    let mut words = one(resource)
        .or_else(|| {
            let parts: Vec<String> = resource["component"]
                .as_array()?
                .iter()
                .filter_map(|c| Some(format!("{} {}", c["code"]["text"].as_str()?, one(c)?)))
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        })
        .or_else(|| {
            resource["payload"][0]["contentString"]
                .as_str()
                .map(|text| format!("\"{}\"", crate::words::excerpt(text, 80)))
        })
        .unwrap_or_else(|| "another version".to_owned());
    if let Some(when) = resource["meta"]["lastUpdated"].as_str() {
        words.push_str(&format!(" (changed {when})"));
    }
    words
}

/// The server's version the plan sends `resource` with, if any.
fn plan_version_of<'a>(plan: &'a PushPlan, resource: &str) -> Option<&'a str> {
    plan.updates
        .iter()
        .find(|u| u.resource == resource)
        .and_then(|u| u.if_match.as_deref())
        .or_else(|| {
            plan.removals
                .iter()
                .find(|(r, _)| r == resource)
                .and_then(|(_, v)| v.as_deref())
        })
}

/// The resource of the plan the server's message names by its entry
/// number ("… at entry 3 …") or by its URL.
fn conflicting_resource(plan: &PushPlan, message: &str) -> Option<String> {
    let urls = || {
        plan.updates
            .iter()
            .map(|u| &u.resource)
            .chain(plan.removals.iter().map(|(r, _)| r))
    };
    // The entry number first: one URL can begin another.
    let by_number = message.split("entry ").nth(1).and_then(|after| {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        urls().nth(digits.parse().ok()?)
    });
    by_number
        .or_else(|| urls().find(|url| message.contains(url.as_str())))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_become_conditional_and_the_token_stays_out_of_debug() {
        let mut resource = json!({
            "subject": { "reference": "urn:uuid:1" },
            "derivedFrom": [{ "reference": "urn:uuid:2" }, { "reference": "Patient/x" }],
        });
        let map = BTreeMap::from([
            ("urn:uuid:1".to_owned(), "Patient?identifier=s|1".to_owned()),
            (
                "urn:uuid:2".to_owned(),
                "QuestionnaireResponse?identifier=s|2".to_owned(),
            ),
        ]);
        rewrite_references(&mut resource, &map);
        assert_eq!(resource["subject"]["reference"], "Patient?identifier=s|1");
        assert_eq!(
            resource["derivedFrom"][0]["reference"],
            "QuestionnaireResponse?identifier=s|2"
        );
        assert_eq!(resource["derivedFrom"][1]["reference"], "Patient/x");
        let server = Server {
            url: "https://fhir.example.org/".to_owned(),
            token: Some("secret-token".to_owned()),
        };
        assert_eq!(server.key(), "https://fhir.example.org");
        assert!(!format!("{server:?}").contains("secret-token"));
    }

    #[test]
    fn identifiers_are_written_as_search_values() {
        assert_eq!(
            search_value("1-2026-01-10-back_pain"),
            "1-2026-01-10-back_pain"
        );
        assert_eq!(
            search_value("urn:recovery-tracker:identifier:observation"),
            "urn:recovery-tracker:identifier:observation"
        );
        assert_eq!(
            search_value("1-2026-01-10-exercise-Stretch & hold, 2 #é"),
            "1-2026-01-10-exercise-Stretch%20%26%20hold%5C%2C%202%20%23%C3%A9"
        );
        assert_eq!(search_value(r"a$b\c|d"), "a%24b%5Cc|d");
    }

    #[test]
    fn a_conflict_is_named_by_the_entry_the_server_gives() {
        let plan = PushPlan {
            patient: PatientId(1),
            server: "s".to_owned(),
            updates: ["Observation?identifier=s|a", "Observation?identifier=s|b"]
                .map(|r| Update {
                    resource: r.to_owned(),
                    full_url: String::new(),
                    body: Value::Null,
                    hash: String::new(),
                    if_match: None,
                    part: String::new(),
                })
                .to_vec(),
            removals: vec![("Observation?identifier=s|c".to_owned(), None)],
            unchanged: 0,
            first: false,
            everything: false,
            parts: Vec::new(),
            parts_gone: Vec::new(),
            moved: Vec::new(),
        };
        assert_eq!(
            conflicting_resource(&plan, "Transaction failed at entry 1: If-Match").as_deref(),
            Some("Observation?identifier=s|b")
        );
        assert_eq!(
            conflicting_resource(&plan, "DELETE Observation?identifier=s|c failed").as_deref(),
            Some("Observation?identifier=s|c")
        );
        assert_eq!(conflicting_resource(&plan, "no idea"), None);
    }
}
