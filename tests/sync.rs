//! `sync push` against a real FHIR server: Helios FHIR Server (`hfs`, R4,
//! SQLite), started on 127.0.0.1 with a fresh database for each test.
//!
//! The server is found as `hfs` on the PATH or at `RECOVERY_TRACKER_HFS`,
//! with the FHIR specification's search parameters in the folder
//! `RECOVERY_TRACKER_HFS_DATA` (`search-parameters-r4.json`). CI installs
//! both and sets `RECOVERY_TRACKER_REQUIRE_FHIR_SERVER=1`; elsewhere these
//! tests are skipped with a message when there is no server.

mod common;

use common::*;
use egui_kittest::kittest::{NodeT, Queryable};
use recovery_tracker::model::PatientId;
use recovery_tracker::store::Store;
use recovery_tracker::sync::{self, Server};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A Helios FHIR Server of its own, stopped when dropped.
struct FhirServer {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for FhirServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The server program and its data folder, if both are there.
fn helios() -> Option<(PathBuf, PathBuf)> {
    let program = std::env::var_os("RECOVERY_TRACKER_HFS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("hfs"));
    let runs = Command::new(&program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let data = std::env::var_os("RECOVERY_TRACKER_HFS_DATA").map(PathBuf::from);
    let has_params = data
        .as_ref()
        .is_some_and(|d| d.join("search-parameters-r4.json").is_file());
    let required = std::env::var("RECOVERY_TRACKER_REQUIRE_FHIR_SERVER").is_ok_and(|v| v == "1");
    assert!(
        (runs && has_params) || !required,
        "a FHIR server is required: hfs runs: {runs}; search parameters in RECOVERY_TRACKER_HFS_DATA: {has_params}"
    );
    if !(runs && has_params) {
        eprintln!(
            "no Helios FHIR Server (hfs with RECOVERY_TRACKER_HFS_DATA): skipped (CI runs it)"
        );
        return None;
    }
    Some((program, data?))
}

/// Starts a server with an empty database and waits until it answers.
fn fhir_server() -> Option<FhirServer> {
    let (program, data) = helios()?;
    let dir = temp_dir();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let child = Command::new(program)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg("--data-dir")
        .arg(&data)
        .arg("--database-url")
        .arg(dir.path().join("fhir.db"))
        .args(["--base-url", &url, "--log-level", "error"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("hfs starts");
    let server = FhirServer {
        child,
        url,
        _dir: dir,
    };
    let started = Instant::now();
    while get(&server, "metadata").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the FHIR server did not answer within a minute"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(server)
}

/// A GET of `path` under the server's base, as JSON, if it answered 200.
fn get(server: &FhirServer, path: &str) -> Option<Value> {
    let mut response = ureq::get(&format!("{}/{path}", server.url))
        .header("Accept", "application/fhir+json")
        .call()
        .ok()?;
    serde_json::from_str(&response.body_mut().read_to_string().ok()?).ok()
}

/// How many resources of `kind` the server holds.
fn count(server: &FhirServer, kind: &str) -> u64 {
    get(server, &format!("{kind}?_summary=count"))
        .and_then(|b| b["total"].as_u64())
        .unwrap_or_else(|| panic!("no count of {kind}"))
}

/// The server's resources found by one of the app's identifiers.
fn by_identifier(server: &FhirServer, conditional_url: &str) -> Vec<Value> {
    let query = conditional_url.replace('|', "%7C");
    get(server, &query).expect("search")["entry"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e["resource"].clone())
        .collect()
}

/// The resources a push of the patient holds, counted by type.
fn counts_of_the_record(path: &Path) -> BTreeMap<String, u64> {
    let store = Store::open_read_only(path).expect("read");
    let mut counts = BTreeMap::new();
    for (url, _, _) in sync::resources_of(&store, PatientId(1), now()).expect("resources") {
        let kind = url.split('?').next().expect("a type").to_owned();
        *counts.entry(kind).or_default() += 1;
    }
    counts
}

fn now() -> chrono::DateTime<chrono::Utc> {
    today().and_hms_opt(12, 0, 0).expect("noon").and_utc()
}

fn push(path: &Path, server: &str) -> std::process::Output {
    run(&[
        "sync",
        "push",
        "--db",
        path_str(path),
        "--server",
        server,
        "--patient",
        "1",
    ])
}

/// What the file remembers of its pushes: each resource with its hash.
fn sent_hashes(path: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut select = conn
        .prepare("SELECT resource, hash FROM fhir_sent ORDER BY resource")
        .expect("select");
    select
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn sent_rows(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .expect("open")
        .query_row("SELECT count(*) FROM fhir_sent", [], |r| r.get(0))
        .expect("count")
}

/// The two-year demo patient pushed: the server holds as many resources of
/// each type as the record; pushed again, nothing is sent and nothing
/// doubles; a day corrected and another deleted, the next push sends just
/// those resources, and the server has the new value and not the deleted
/// day.
#[test]
fn a_push_makes_the_server_hold_the_record_and_then_only_what_changed() {
    let Some(server) = fhir_server() else {
        return;
    };
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "730");
    let expected = counts_of_the_record(&path);
    assert!(expected["Observation"] > 10_000, "{expected:?}");

    let first = push(&path, &server.url);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains(" 0 removed, 0 unchanged"),
        "{}",
        stdout(&first)
    );
    for (kind, n) in &expected {
        assert_eq!(count(&server, kind), *n, "{kind}");
    }

    let again = push(&path, &server.url);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("nothing to send"),
        "{}",
        stdout(&again)
    );
    for (kind, n) in &expected {
        assert_eq!(count(&server, kind), *n, "{kind} after a second push");
    }

    // The patient corrects a day's back pain and deletes another day.
    let (corrected, deleted) = (day("2026-01-10"), day("2026-01-11"));
    let mut store = Store::open(&path).expect("open");
    let mut day_before = store
        .check_ins(PatientId(1))
        .expect("check-ins")
        .into_iter()
        .find(|c| c.day == corrected)
        .expect("the day");
    day_before.back_pain = if day_before.back_pain == 9 { 2 } else { 9 };
    let new_value = day_before.back_pain;
    store
        .save_check_in(PatientId(1), &day_before)
        .expect("corrected");
    store
        .delete_check_in(PatientId(1), deleted)
        .expect("deleted");
    let back_pain = |d: chrono::NaiveDate| {
        format!(
            "Observation?identifier=urn:recovery-tracker:identifier:observation|1-{d}-back_pain"
        )
    };
    let target = Server {
        url: server.url.clone(),
        token: None,
    };
    let plan = sync::plan_push(&store, PatientId(1), &target, false, now()).expect("plan");
    let sent: Vec<&str> = plan.updates.iter().map(|u| u.resource.as_str()).collect();
    assert_eq!(
        sent,
        [back_pain(corrected)],
        "only the corrected value is sent"
    );
    let removals: Vec<&str> = plan.removals.iter().map(|(r, _)| r.as_str()).collect();
    assert!(
        removals.contains(&back_pain(deleted).as_str()),
        "{removals:?}"
    );
    assert!(
        removals
            .iter()
            .all(|r| r.contains(&format!("|1-{deleted}-"))),
        "only the deleted day is removed: {removals:?}"
    );
    assert!(
        plan.removals.iter().all(|(_, version)| version.is_some()),
        "a delete carries the server's version"
    );
    drop(store);

    let third = push(&path, &server.url);
    assert!(third.status.success(), "{}", stderr(&third));
    let on_server = by_identifier(&server, &back_pain(corrected));
    assert_eq!(on_server.len(), 1);
    assert_eq!(on_server[0]["valueInteger"], new_value);
    assert!(by_identifier(&server, &back_pain(deleted)).is_empty());
    let removed = plan.removals.len() as u64;
    assert_eq!(
        count(&server, "Observation"),
        expected["Observation"] - removed
    );
    assert_eq!(count(&server, "Patient"), 1);

    // Read back into an empty file, following the server's pages (it
    // gives at most 1,000 resources a page): the same record.
    let copy = file_in(&dir, "pulled.db");
    let pulled = pull(&copy, &server.url, &["--patient-identifier", "1"]);
    assert!(pulled.status.success(), "{}", stderr(&pulled));
    assert!(
        stdout(&pulled).contains("new patient with 690 check-ins"),
        "{}",
        stdout(&pulled)
    );
    assert_eq!(
        json_export(&copy),
        json_export(&path),
        "the pulled record is the pushed one"
    );
}

/// `sync pull` with `args`, into the file at `path`.
fn pull(path: &Path, server: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["sync", "pull", "--db", path_str(path), "--server", server];
    all.extend_from_slice(args);
    run(&all)
}

fn json_export(path: &Path) -> String {
    run_ok(&[
        "export",
        "--db",
        path_str(path),
        "--format",
        "json",
        "--patient",
        "1",
    ])
}

/// A server that cannot be reached: a clear error, and nothing is marked
/// as pushed (the next push sends everything).
#[test]
fn a_server_that_is_not_there_is_said_and_nothing_is_marked_pushed() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "30");
    let before = std::fs::read(&path).expect("file");
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let output = push(&path, &nobody);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(&format!("could not reach {nobody}")),
        "{}",
        stderr(&output)
    );
    assert_eq!(sent_rows(&path), 0);
    assert_eq!(
        std::fs::read(&path).expect("file"),
        before,
        "the file is as it was"
    );
}

/// The server's refusal, in its own words: a wrong address under the
/// server (404), and an update of a resource someone else changed on the
/// server since this app sent it (412). Nothing is marked as pushed.
#[test]
fn a_refusal_is_told_in_the_servers_words_and_nothing_is_marked_pushed() {
    let Some(server) = fhir_server() else {
        return;
    };
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "30");
    let wrong = push(&path, &format!("{}/not-fhir", server.url));
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("(HTTP 404)"), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("not-fhir"), "{}", stderr(&wrong));
    assert_eq!(sent_rows(&path), 0);

    let first = push(&path, &server.url);
    assert!(first.status.success(), "{}", stderr(&first));
    let rows = sent_rows(&path);
    assert!(rows > 100, "{rows}");

    // Someone at the clinic changes today's back pain on the server.
    let resource = format!(
        "Observation?identifier=urn:recovery-tracker:identifier:observation|1-{TODAY}-back_pain"
    );
    let mut theirs = by_identifier(&server, &resource).remove(0);
    theirs["valueInteger"] = 1.into();
    let id = theirs["id"].as_str().expect("id").to_owned();
    ureq::put(&format!("{}/Observation/{id}", server.url))
        .header("Content-Type", "application/fhir+json")
        .send(serde_json::to_vec(&theirs).expect("json"))
        .expect("their change");
    // The patient changes the same day here.
    let mut store = Store::open(&path).expect("open");
    let mut mine = store
        .check_ins(PatientId(1))
        .expect("check-ins")
        .into_iter()
        .find(|c| c.day == today())
        .expect("today");
    mine.back_pain = 8;
    store.save_check_in(PatientId(1), &mine).expect("saved");
    drop(store);
    let sent_before = sent_hashes(&path);
    let conflict = push(&path, &server.url);
    assert!(!conflict.status.success());
    let said = stderr(&conflict);
    assert!(said.contains("someone else changed"), "{said}");
    assert!(said.contains(&resource), "{said}");
    assert!(
        said.contains("On the server: 1 (changed "),
        "both values: {said}"
    );
    assert!(said.contains("Here: 8."), "both values: {said}");
    assert_eq!(
        by_identifier(&server, &resource)[0]["valueInteger"],
        1,
        "their value stays"
    );
    let sent_after = sent_hashes(&path);
    assert_eq!(sent_after, sent_before, "nothing marked as pushed");

    // Another installation's patient 1 (identifiers are numbered per
    // file): its first push would overwrite this one's, and is refused.
    let other_dir = temp_dir();
    let other = demo_clinic(&other_dir, "1", "20");
    let refused = push(&other, &server.url);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("never sent"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(sent_rows(&other), 0);
    assert_eq!(
        by_identifier(&server, &resource)[0]["valueInteger"],
        1,
        "the first installation's data stays"
    );

    // Asked to, everything again replaces it: the server then holds the
    // second file's patient alone, not the first one's days beside it.
    let everything = run(&[
        "sync",
        "push",
        "--db",
        path_str(&other),
        "--server",
        &server.url,
        "--patient",
        "1",
        "--everything",
    ]);
    assert!(everything.status.success(), "{}", stderr(&everything));
    for (kind, n) in counts_of_the_record(&other) {
        assert_eq!(count(&server, &kind), n, "{kind}: the second file's alone");
    }
}

/// Exercise keys a physiotherapist types (a comma, `$`, a backslash, a
/// `|`, letters outside ASCII, 60 of them) are found on the server as
/// themselves: a change is an update of the one resource, not a copy
/// beside it or a false conflict.
#[test]
fn an_exercise_key_with_any_characters_is_updated_in_place() {
    let Some(server) = fhir_server() else {
        return;
    };
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "20");
    let keys = ["Stretch, hold $1 \\ x|y & é".to_owned(), "脊".repeat(60)];
    let mut store = Store::open(&path).expect("open");
    let logged = |sessions| {
        keys.iter()
            .map(|key| {
                (
                    key.clone(),
                    Some(recovery_tracker::model::ExerciseLog {
                        day: today(),
                        exercise_key: key.clone(),
                        sessions,
                        pain: None,
                    }),
                )
            })
            .collect::<Vec<_>>()
    };
    store
        .set_exercise_logs(PatientId(1), today(), &logged(1))
        .expect("logged");
    drop(store);
    let first = push(&path, &server.url);
    assert!(first.status.success(), "{}", stderr(&first));
    let mut store = Store::open(&path).expect("open");
    store
        .set_exercise_logs(PatientId(1), today(), &logged(3))
        .expect("changed");
    drop(store);
    let second = push(&path, &server.url);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains(" 2 updated"),
        "{}",
        stdout(&second)
    );
    for (kind, n) in counts_of_the_record(&path) {
        assert_eq!(count(&server, &kind), n, "{kind}: no copies");
    }
    let store = Store::open_read_only(&path).expect("read");
    let urls: Vec<String> = sync::resources_of(&store, PatientId(1), now())
        .expect("resources")
        .into_iter()
        .map(|(url, _, _)| url)
        .filter(|url| url.contains("-exercise-Stretch") || url.contains("-exercise-%E8"))
        .collect();
    assert_eq!(urls.len(), 2, "{urls:?}");
    for url in &urls {
        let found = by_identifier(&server, url);
        assert_eq!(found.len(), 1, "{url}");
        assert_eq!(found[0]["valueInteger"], 3, "{url}");
    }
}

/// A pull merges as an import does: a difference is listed and what is
/// here kept, a resource the clinic wrote itself is left out, a dry run
/// changes nothing, and a patient the server does not have is said.
#[test]
fn a_pull_lists_differences_and_keeps_what_is_here() {
    let Some(server) = fhir_server() else {
        return;
    };
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "30");
    let first = push(&path, &server.url);
    assert!(first.status.success(), "{}", stderr(&first));
    let patient = by_identifier(
        &server,
        "Patient?identifier=urn:recovery-tracker:identifier:patient|1",
    )
    .remove(0);
    let subject = format!("Patient/{}", patient["id"].as_str().expect("id"));
    // The clinic's own note of a measure this app does not write.
    let theirs = serde_json::json!({
        "resourceType": "Observation",
        "status": "final",
        "code": { "text": "Grip strength" },
        "subject": { "reference": subject },
        "valueQuantity": { "value": 31, "unit": "kg" },
    });
    ureq::post(&format!("{}/Observation", server.url))
        .header("Content-Type", "application/fhir+json")
        .send(serde_json::to_vec(&theirs).expect("json"))
        .expect("their observation");
    // And a change of today's back pain on the server.
    let resource = format!(
        "Observation?identifier=urn:recovery-tracker:identifier:observation|1-{TODAY}-back_pain"
    );
    let mut changed = by_identifier(&server, &resource).remove(0);
    let here = changed["valueInteger"].as_i64().expect("a value");
    let there = if here == 1 { 2 } else { 1 };
    changed["valueInteger"] = there.into();
    let id = changed["id"].as_str().expect("id").to_owned();
    ureq::put(&format!("{}/Observation/{id}", server.url))
        .header("Content-Type", "application/fhir+json")
        .send(serde_json::to_vec(&changed).expect("json"))
        .expect("their change");

    let before = std::fs::read(&path).expect("file");
    let dry = pull(
        &path,
        &server.url,
        &["--patient-identifier", "1", "--dry-run"],
    );
    assert!(dry.status.success(), "{}", stderr(&dry));
    let said = stdout(&dry);
    assert!(said.contains("left out 1 resource"), "{said}");
    assert!(said.contains("merged into patient 1"), "{said}");
    assert!(said.contains("1 conflict"), "{said}");
    assert!(
        said.contains(&format!("conflict: check-in on {TODAY}")),
        "{said}"
    );
    assert!(
        said.contains(&format!("back pain {here} here, {there}")),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&path).expect("file"),
        before,
        "a dry run changes nothing"
    );

    let merged = pull(&path, &server.url, &["--patient-identifier", "1"]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let store = Store::open_read_only(&path).expect("read");
    let kept = store
        .check_ins(PatientId(1))
        .expect("check-ins")
        .into_iter()
        .find(|c| c.day == today())
        .expect("today");
    assert_eq!(i64::from(kept.back_pain), here, "what is here is kept");
    drop(store);

    let nobody = pull(&path, &server.url, &["--patient-identifier", "7"]);
    assert!(!nobody.status.success());
    assert!(
        stderr(&nobody).contains(
            "has no patient with the identifier urn:recovery-tracker:identifier:patient|7"
        ),
        "{}",
        stderr(&nobody)
    );
}

/// One edit of the patient's record, picked at random: a value, the nerve
/// answers, a whole day, an exercise log, a visit note added or deleted,
/// the patient's name.
fn random_edit(store: &mut Store, rng: &mut fastrand::Rng, round: usize) {
    let days: Vec<chrono::NaiveDate> = store
        .check_ins(PatientId(1))
        .expect("check-ins")
        .iter()
        .map(|c| c.day)
        .collect();
    let on = days[rng.usize(..days.len())];
    match rng.u8(0..7) {
        0 => {
            let mut c = store
                .check_in(PatientId(1), on)
                .expect("read")
                .expect("day");
            c.back_pain = (c.back_pain + 1) % 11;
            store.save_check_in(PatientId(1), &c).expect("saved");
        }
        1 => {
            let mut c = store
                .check_in(PatientId(1), on)
                .expect("read")
                .expect("day");
            c.nerves = match c.nerves {
                Some(_) => None,
                None => Some(recovery_tracker::model::NerveSymptoms {
                    numbness: 3,
                    tingling: 2,
                    weakness: recovery_tracker::model::Weakness::None,
                    weakness_side: None,
                }),
            };
            store.save_check_in(PatientId(1), &c).expect("saved");
        }
        2 => {
            store.delete_check_in(PatientId(1), on).expect("deleted");
        }
        3 => {
            let log = recovery_tracker::model::ExerciseLog {
                day: on,
                exercise_key: "walk".to_owned(),
                sessions: rng.u8(0..4),
                pain: Some(rng.u8(0..11)),
            };
            let keep = log.sessions > 0;
            store
                .set_exercise_logs(
                    PatientId(1),
                    on,
                    &[("walk".to_owned(), keep.then_some(log))],
                )
                .expect("logged");
        }
        4 => {
            store
                .add_visit_note(
                    PatientId(1),
                    &recovery_tracker::model::VisitNote {
                        id: None,
                        day: on,
                        author: "Physio".to_owned(),
                        text: format!("round {round}"),
                    },
                )
                .expect("note");
        }
        5 => {
            if let Some(note) = store.visit_notes(PatientId(1)).expect("notes").first() {
                store
                    .delete_visit_note(PatientId(1), note.id.expect("id"))
                    .expect("deleted");
            }
        }
        _ => {
            let mut patient = store.patient(PatientId(1)).expect("read").expect("patient");
            patient.details.name = format!("Margaret Ellis {round}");
            let baseline = store.baseline(PatientId(1)).expect("baseline");
            store
                .update_patient(
                    PatientId(1),
                    &patient.details,
                    baseline.as_ref(),
                    today(),
                    now(),
                )
                .expect("renamed");
        }
    }
}

/// The plan a push makes, as sets: each update with its hash, and each
/// removal.
fn plan_sets(
    store: &Store,
    server: &Server,
) -> (
    std::collections::BTreeSet<(String, String)>,
    std::collections::BTreeSet<String>,
    usize,
) {
    let plan = sync::plan_push(store, PatientId(1), server, false, now()).expect("plan");
    (
        plan.updates
            .iter()
            .map(|u| (u.resource.clone(), u.hash.clone()))
            .collect(),
        plan.removals.iter().map(|(r, _)| r.clone()).collect(),
        plan.unchanged,
    )
}

/// A push builds again only the resources of the check-ins and exercise
/// logs that changed since the last push; the rest it takes as sent. After
/// rounds of random edits of every kind, its plan must equal the plan made
/// by building every resource (the same file with the parts forgotten).
/// No server: each plan is written down as if a server had taken it.
#[test]
fn a_push_that_builds_only_changed_parts_plans_what_building_everything_plans() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "90");
    let whole = file_in(&dir, "whole.db");
    let server = Server {
        url: "http://127.0.0.1:9".to_owned(),
        token: None,
    };
    let mut store = Store::open(&path).expect("open");
    let first = sync::plan_push(&store, PatientId(1), &server, false, now()).expect("plan");
    store
        .record_fhir_push(&first.server, PatientId(1), &first.changes(&[]))
        .expect("as pushed");
    let mut rng = fastrand::Rng::with_seed(21);
    for round in 0..12 {
        for _ in 0..rng.usize(1..4) {
            random_edit(&mut store, &mut rng, round);
        }
        let incremental = plan_sets(&store, &server);
        std::fs::remove_file(&whole).ok();
        store.backup_to(&whole).expect("copy");
        rusqlite::Connection::open(&whole)
            .and_then(|c| c.execute("DELETE FROM fhir_sent_part", []))
            .expect("forget the parts");
        let everything = plan_sets(&Store::open_read_only(&whole).expect("the copy"), &server);
        assert!(
            !incremental.0.is_empty() || !incremental.1.is_empty(),
            "round {round} changed something"
        );
        assert_eq!(incremental, everything, "round {round}");
        let plan = sync::plan_push(&store, PatientId(1), &server, false, now()).expect("plan");
        store
            .record_fhir_push(&plan.server, PatientId(1), &plan.changes(&[]))
            .expect("as pushed");
    }
    // Pushed before parts were kept (a file from an older version): the
    // first plan builds everything, sends nothing, and writes the parts
    // down; the next builds no part again.
    let total = sync::resources_of(&store, PatientId(1), now())
        .expect("resources")
        .len();
    drop(store);
    rusqlite::Connection::open(&path)
        .and_then(|c| {
            c.execute_batch("DELETE FROM fhir_sent_part; UPDATE fhir_sent SET part = '';")
        })
        .expect("as an older version left it");
    let mut store = Store::open(&path).expect("open");
    let plan = sync::plan_push(&store, PatientId(1), &server, false, now()).expect("plan");
    assert!(plan.is_empty(), "nothing to send");
    assert_eq!(plan.unchanged, total);
    assert!(!plan.parts.is_empty() && !plan.moved.is_empty());
    sync::push(&mut store, &plan, &server).expect("written down without sending");
    let next = sync::plan_push(&store, PatientId(1), &server, false, now()).expect("plan");
    assert!(next.is_empty());
    assert_eq!(next.unchanged, total);
    assert!(next.parts.is_empty(), "no part built again");
    assert!(next.moved.is_empty());
}

type Window = egui_kittest::Harness<'static, recovery_tracker::ui::App>;

/// The window, as tests/ui.rs drives it: widgets found by their labels.
/// Its frames are stepped, not run until still: a toast fades while the
/// network answers.
fn window(path: &Path) -> Window {
    let store = store_for_window(path);
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            recovery_tracker::ui::App::new(
                cc,
                store,
                recovery_tracker::protocol::Protocol::embedded().expect("protocol"),
                recovery_tracker::clock::Clock::fixed_on(today()),
            )
        })
}

fn click(harness: &mut Window, role: egui::Role, label: &str) {
    harness.get_by_role_and_label(role, label).scroll_to_me();
    harness.run_steps(3);
    harness.get_by_role_and_label(role, label).click();
    harness.run_steps(3);
}

fn type_into(harness: &mut Window, label: &str, text: &str) {
    // A password box is a field of its own kind to a screen reader.
    let role = if label == "Token" {
        egui::Role::PasswordInput
    } else {
        egui::Role::TextInput
    };
    let field = || (role, label);
    harness
        .get_by_role_and_label(field().0, field().1)
        .scroll_to_me();
    harness.run_steps(3);
    harness.get_by_role_and_label(field().0, field().1).focus();
    harness.run_steps(3);
    harness
        .get_by_role_and_label(field().0, field().1)
        .type_text(text);
    harness.run_steps(3);
}

/// Steps the window until `text` shows (the network is on a thread of its
/// own), for up to a minute.
fn shows(harness: &mut Window, text: &str) -> bool {
    for _ in 0..600 {
        harness.step();
        if harness.query_by_label_contains(text).is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// In the window: the clinic's server and a token set in Settings (the
/// token kept beside the file, 0600, not in it), the patient shown sent
/// with one press, and a patient got back from the server into the import
/// preview.
#[test]
fn the_window_sends_a_patient_to_the_clinic_and_gets_one_back() {
    use egui::Role;
    let Some(server) = fhir_server() else {
        return;
    };
    let dir = temp_dir();
    let path = demo_clinic(&dir, "2", "30");
    let mut harness = window(&path);
    harness.run();
    click(&mut harness, Role::Button, "Settings");
    type_into(&mut harness, "Address", &server.url);
    type_into(&mut harness, "Token", "secret-token-123");
    click(&mut harness, Role::Button, "Save clinic server");
    assert!(shows(&mut harness, "Clinic server set"));
    let token_file = sync::token_path(&path);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file)
            .expect("the token file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner alone");
    }
    assert_eq!(
        sync::saved_token(&path, &server.url).as_deref(),
        Some("secret-token-123")
    );
    assert_eq!(
        sync::saved_token(&path, "https://elsewhere.example"),
        None,
        "for that server only"
    );
    let bytes = std::fs::read(&path).expect("the file");
    assert!(
        !bytes.windows(16).any(|w| w == b"secret-token-123"),
        "the token is not in the database"
    );

    // The patient shown is the one sent.
    let send = harness
        .query_all_by_role(Role::Button)
        .filter_map(|b| b.accesskit_node().label())
        .find(|label| label.starts_with("Send ") && label.ends_with(" to the clinic"))
        .expect("a Send button");
    click(&mut harness, Role::Button, &send);
    let name = send
        .trim_start_matches("Send ")
        .trim_end_matches(" to the clinic")
        .to_owned();
    assert!(
        shows(&mut harness, &format!("Sent {name} to the clinic")),
        "the push is said"
    );
    assert_eq!(count(&server, "Patient"), 1);
    let rows = sent_rows(&path);
    assert!(rows > 100, "what was sent is written down");

    // Everything again asks first, then replaces, adding nothing. (The
    // first send's words are dismissed, so that the second's are waited
    // for: they read the same.)
    let observations = count(&server, "Observation");
    click(&mut harness, Role::Button, "Dismiss");
    click(&mut harness, Role::Button, "Send everything again…");
    assert!(shows(
        &mut harness,
        &format!("Send everything of {name} again?")
    ));
    click(&mut harness, Role::Button, "Send everything");
    assert!(
        shows(
            &mut harness,
            &format!("Sent {name} to the clinic: {rows} records changed")
        ),
        "every resource sent again"
    );
    assert_eq!(count(&server, "Observation"), observations, "no duplicates");
    assert_eq!(sent_rows(&path), rows);

    // A clinic finds the patient by surname, then gets them.
    let surname = name.split_whitespace().last().expect("a name");
    type_into(&mut harness, "Name or number on the server", surname);
    click(&mut harness, Role::Button, "Find on clinic server");
    let get = format!("Get {name} (number 1");
    assert!(shows(&mut harness, &get), "the search lists the patient");
    let label = harness
        .query_all_by_role(Role::Button)
        .filter_map(|b| b.accesskit_node().label())
        .find(|label| label.starts_with(&get))
        .expect("a Get button");
    click(&mut harness, Role::Button, &label);
    assert!(shows(
        &mut harness,
        &format!("Import patient 1 from {}?", server.url)
    ));
    assert!(
        shows(&mut harness, "merged into patient 1"),
        "the patient here is found"
    );
    click(&mut harness, Role::Button, "Cancel import");
    assert!(
        harness
            .query_by_label_contains("Import patient 1 from")
            .is_none()
    );
}

/// A deleted visit note is one removal: the other notes keep their
/// identifiers (they are named by content, not by place in the list).
#[test]
fn deleting_a_visit_note_removes_that_note_alone() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "200");
    let server = Server {
        url: "http://127.0.0.1:9".to_owned(),
        token: None,
    };
    let mut store = Store::open(&path).expect("open");
    let notes = store.visit_notes(PatientId(1)).expect("notes");
    assert!(notes.len() >= 3, "the demo has notes: {}", notes.len());
    let first = sync::plan_push(&store, PatientId(1), &server, false, now()).expect("plan");
    store
        .record_fhir_push(&first.server, PatientId(1), &first.changes(&[]))
        .expect("as pushed");
    store
        .delete_visit_note(PatientId(1), notes[0].id.expect("id"))
        .expect("deleted");
    let plan = sync::plan_push(&store, PatientId(1), &server, false, now()).expect("plan");
    let updates: Vec<&str> = plan.updates.iter().map(|u| u.resource.as_str()).collect();
    assert!(updates.is_empty(), "nothing else changes: {updates:?}");
    assert_eq!(plan.removals.len(), 1, "{:?}", plan.removals);
    assert!(plan.removals[0].0.starts_with("Communication?"));
}

/// The saved token is read only from a regular file: a pipe in its place
/// (which a plain read would wait on forever) is not a token, and a push's
/// dry run still answers at once.
#[test]
fn a_pipe_in_place_of_the_token_file_is_not_waited_on() {
    let dir = temp_dir();
    let path = demo_clinic(&dir, "1", "10");
    let fifo = sync::token_path(&path);
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_recovery-tracker"))
        .args(["sync", "push", "--db", path_str(&path), "--patient", "1"])
        .args(["--server", "http://127.0.0.1:9", "--dry-run"])
        .args(["--today", TODAY])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("runs");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().ok();
            panic!("the dry run waited on the pipe");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(sync::saved_token(&path, "http://127.0.0.1:9"), None);
}

/// A stand-in for a server that misbehaves: every request on a thread of
/// its own connection is answered 200 with `answer(path)` as FHIR JSON.
fn misbehaving_server(answer: impl Fn(&str) -> String + Send + Sync + 'static) -> String {
    use std::io::{BufRead, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(read_half) = stream.try_clone() else {
                continue;
            };
            let mut reader = std::io::BufReader::new(read_half);
            let mut request = String::new();
            reader.read_line(&mut request).ok();
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let body = answer(&path);
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .ok();
        }
    });
    url
}

/// A searchset page of `resources`, with a next link if there is one.
fn page(resources: &[Value], next: Option<String>) -> String {
    let mut bundle = serde_json::json!({
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": resources.iter().map(|r| serde_json::json!({ "resource": r })).collect::<Vec<_>>(),
    });
    if let Some(next) = next {
        bundle["link"] = serde_json::json!([{ "relation": "next", "url": next }]);
    }
    bundle.to_string()
}

fn patient_on_server(identifier: &str) -> Value {
    serde_json::json!({
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{ "system": "urn:recovery-tracker:identifier:patient", "value": identifier }],
        "name": [{ "text": "Someone" }],
    })
}

/// A pull believes a server only as far as it answers what was asked: a
/// patient without the identifier searched for, a resource of another
/// patient, and pages that never end each stop it, saying why, with
/// nothing written.
#[test]
fn a_pull_stops_where_the_server_answers_something_else() {
    let dir = temp_dir();
    let path = file_in(&dir, "empty.db");
    let pull_from = |url: &str| pull(&path, url, &["--patient-identifier", "1"]);

    let wrong_patient = misbehaving_server(|_| page(&[patient_on_server("999")], None));
    let said = stderr(&pull_from(&wrong_patient));
    assert!(said.contains("a patient without that identifier"), "{said}");

    let another_patients = misbehaving_server(|path| {
        if path.starts_with("/Patient?") {
            page(&[patient_on_server("1")], None)
        } else {
            let procedure = serde_json::json!({
                "resourceType": "Procedure",
                "identifier": [{ "system": "urn:recovery-tracker:identifier:procedure", "value": "2" }],
                "subject": { "reference": "Patient/someone-else" },
            });
            page(&[procedure], None)
        }
    });
    let said = stderr(&pull_from(&another_patients));
    assert!(said.contains("with another patient's"), "{said}");

    let pages = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = pages.clone();
    let base = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let base_there = base.clone();
    let endless = misbehaving_server(move |path| {
        if path.starts_with("/Patient?") {
            return page(&[patient_on_server("1")], None);
        }
        let n = counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let next = format!(
            "{}/Observation?page={}",
            base_there.get().expect("set"),
            n + 1
        );
        page(&[], Some(next))
    });
    base.set(endless.clone()).expect("once");
    let said = stderr(&pull_from(&endless));
    assert!(said.contains("more than 2000 pages"), "{said}");
    assert!(pages.load(std::sync::atomic::Ordering::SeqCst) <= 2001);
    assert!(
        !path.exists(),
        "nothing was written: the file was never made"
    );
}
