//! Clinic sync against a real FHIR server: a Helios FHIR Server started on
//! 127.0.0.1 with an empty database (`hfs` on the PATH or at
//! `RECOVERY_TRACKER_HFS`, its search parameters in
//! `RECOVERY_TRACKER_HFS_DATA`, as for tests/sync.rs). Measured: the push
//! of a whole two-year record, and the push of one day's correction, each
//! against the floor it cannot beat: the server taking a one-entry
//! transaction, measured in the same run.
//!
//!   cargo bench --bench sync

use chrono::{NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use recovery_tracker::demo::{self, DemoOptions};
use recovery_tracker::model::PatientId;
use recovery_tracker::protocol::Protocol;
use recovery_tracker::store::Store;
use recovery_tracker::sync::{self, Server};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 25) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The server, stopped when dropped.
struct Helios {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Helios {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn helios() -> Option<Helios> {
    let program = std::env::var_os("RECOVERY_TRACKER_HFS")
        .map_or_else(|| PathBuf::from("hfs"), PathBuf::from);
    let data = std::env::var_os("RECOVERY_TRACKER_HFS_DATA").map(PathBuf::from)?;
    let dir = tempfile::tempdir().ok()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .ok()?
        .port();
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
        .ok()?;
    let server = Helios {
        child,
        url,
        _dir: dir,
    };
    let started = Instant::now();
    while ureq::get(&format!("{}/metadata", server.url))
        .call()
        .is_err()
    {
        if started.elapsed() > Duration::from_secs(60) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(server)
}

/// The two-year demo patient in a file of its own.
fn two_year_patient(dir: &tempfile::TempDir) -> Store {
    let protocol = Protocol::embedded().expect("protocol");
    let mut store = Store::open(&dir.path().join("patient.db")).expect("open");
    let records = demo::generate(
        &protocol,
        DemoOptions {
            patients: 1,
            days: 730,
            seed: 7,
        },
        TODAY,
        Utc::now(),
    );
    store.insert_patient_records(&records, TODAY).expect("demo");
    store
}

fn push(store: &mut Store, server: &Server, everything: bool) {
    let plan = sync::plan_push(store, PatientId(1), server, everything, Utc::now()).expect("plan");
    sync::push(store, &plan, server).expect("push");
}

fn sync_benches(c: &mut Criterion) {
    let Some(helios) = helios() else {
        eprintln!(
            "benches/sync needs a Helios FHIR Server: hfs on the PATH (or RECOVERY_TRACKER_HFS) and RECOVERY_TRACKER_HFS_DATA; nothing measured"
        );
        return;
    };
    let server = Server {
        url: helios.url.clone(),
        token: None,
    };
    let dir = tempfile::tempdir().expect("folder");
    let mut store = two_year_patient(&dir);
    push(&mut store, &server, false);

    let mut group = c.benchmark_group("sync");
    // The floor: the server taking a transaction of one conditional update.
    let one = serde_json::to_vec(&serde_json::json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{
            "fullUrl": "urn:uuid:8f0e3b1c-0000-4000-8000-000000000001",
            "resource": {
                "resourceType": "Basic",
                "identifier": [{ "system": "urn:bench", "value": "floor" }],
                "code": { "text": "floor" },
            },
            "request": { "method": "PUT", "url": "Basic?identifier=urn:bench|floor" },
        }],
    }))
    .expect("json");
    group.bench_function("a one-entry transaction (floor)", |b| {
        b.iter(|| {
            ureq::post(&helios.url)
                .header("Content-Type", "application/fhir+json")
                .send(&one[..])
                .expect("taken")
        });
    });
    let corrected = NaiveDate::from_ymd_opt(2026, 1, 10).expect("day");
    group.bench_function("push of one day's correction", |b| {
        // Each push is of a new correction; only the push is timed.
        b.iter_custom(|pushes| {
            let mut took = Duration::ZERO;
            for _ in 0..pushes {
                let mut day = store
                    .check_in(PatientId(1), corrected)
                    .expect("read")
                    .expect("the day");
                day.back_pain = if day.back_pain == 3 { 4 } else { 3 };
                store.save_check_in(PatientId(1), &day).expect("corrected");
                let started = Instant::now();
                push(&mut store, &server, false);
                took += started.elapsed();
            }
            took
        });
    });
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(90));
    group.bench_function(
        "push of the whole two-year record (10,775 resources)",
        |b| {
            b.iter(|| push(&mut store, &server, true));
        },
    );
    group.finish();
}

criterion_group!(benches, sync_benches);
criterion_main!(benches);
