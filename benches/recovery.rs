//! Each cost against the floor it cannot beat, measured in the same run.
//! `cargo bench` prints criterion's estimates, then a table of ratios and
//! budgets (also written to target/bench-results.md for BENCHMARKS.md).

use chrono::{Days, NaiveDate, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use recovery_tracker::analysis::review::flags;
use recovery_tracker::analysis::{
    OwnBaseline, Trajectory, patient_status, series::rolling_average,
};
use recovery_tracker::demo::{self, DemoOptions};
use recovery_tracker::model::MetricKey;
use recovery_tracker::model::{CheckIn, PatientId, WarningSymptoms};
use recovery_tracker::protocol::Protocol;
use recovery_tracker::store::Store;
use recovery_tracker::{exchange::csv as csv_file, report as pdf};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 25) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Rows of the results table: what, measured, baseline, budget.
static RESULTS: Mutex<Vec<[String; 5]>> = Mutex::new(Vec::new());

fn note(what: &str, figure: String, baseline: String, ratio: String, budget: &str) {
    if let Ok(mut rows) = RESULTS.lock() {
        rows.push([what.to_owned(), figure, baseline, ratio, budget.to_owned()]);
    }
}

fn protocol() -> Protocol {
    Protocol::embedded().expect("protocol")
}

fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-data");
    std::fs::create_dir_all(&dir).expect("bench folder");
    dir
}

/// A clinic of `patients` patients two years after surgery, made once
/// (the 5,000-patient one takes about a minute) under a temporary name,
/// and named by schema version: a file made by an older build is not read.
fn clinic_of(patients: usize) -> PathBuf {
    let name = format!(
        "clinic-{patients}x730-v{}.db",
        recovery_tracker::store::latest_schema_version()
    );
    let path = data_dir().join(&name);
    if !path.exists() {
        let started = Instant::now();
        let partial = data_dir().join(format!("{name}.partial"));
        std::fs::remove_file(&partial).ok();
        let mut store = Store::open(&partial).expect("open");
        let records = demo::generate(
            &protocol(),
            DemoOptions {
                patients,
                days: 730,
                seed: 7,
            },
            TODAY,
            Utc::now(),
        );
        store
            .insert_patient_records(&records, TODAY)
            .expect("insert");
        let counts = store.counts().expect("counts");
        drop(store);
        std::fs::rename(&partial, &path).expect("rename");
        println!(
            "made {} ({} patients, {} check-ins, {} exercise logs) in {:.1} s",
            path.display(),
            counts.patients,
            counts.check_ins,
            counts.exercise_logs,
            started.elapsed().as_secs_f64()
        );
    }
    path
}

/// The clinic of the issue: 500 patients two years after surgery.
fn clinic_file() -> PathBuf {
    clinic_of(500)
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn check_in(day: NaiveDate) -> CheckIn {
    CheckIn {
        day,
        back_pain: 3,
        leg_pain: 2,
        walking_minutes: 30,
        sitting_minutes: 40,
        sleep_quality: 6,
        opioid_doses: 0,
        warning_symptoms: WarningSymptoms::default(),
        note: String::new(),
        nerves: None,
        body_map: Default::default(),
    }
}

fn save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("save.db");
    let mut store = Store::open(&path).expect("open");
    let records = demo::generate(
        &protocol(),
        DemoOptions {
            patients: 1,
            days: 10,
            seed: 1,
        },
        TODAY,
        Utc::now(),
    );
    store
        .insert_patient_records(&records, TODAY)
        .expect("patient");
    // The floor: the same pragmas, one prepared INSERT and COMMIT per row,
    // into the same table of the same file.
    let bare = rusqlite::Connection::open(&path).expect("bare");
    bare.pragma_update(None, "synchronous", "FULL")
        .expect("pragma");
    bare.busy_timeout(Duration::from_secs(5)).expect("timeout");
    let mut day = NaiveDate::from_ymd_opt(2100, 1, 1).expect("date");
    let mut bare_day = NaiveDate::from_ymd_opt(2600, 1, 1).expect("date");
    let mut save_one = |day: &mut NaiveDate| {
        store
            .save_check_in(PatientId(1), &check_in(*day))
            .expect("save");
        *day = *day + Days::new(1);
    };
    let bare_one = |day: &mut NaiveDate| {
        let tx = bare.unchecked_transaction().expect("tx");
        tx.prepare_cached(
            "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, sitting_minutes, \
             sleep_quality, opioid_doses, warning_symptoms, note) VALUES (1, ?1, 3, 2, 30, 40, 6, 0, 0, '')",
        )
        .expect("prepare")
        .execute([day.to_string()])
        .expect("insert");
        tx.commit().expect("commit");
        *day = *day + Days::new(1);
    };
    let mut group = c.benchmark_group("save");
    group.sample_size(30);
    group.bench_function("store.save_check_in", |b| b.iter(|| save_one(&mut day)));
    group.bench_function("bare INSERT + COMMIT", |b| {
        b.iter(|| bare_one(&mut bare_day));
    });
    group.finish();
    // Interleaved, so both see the same disk and load.
    let mut ours = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..200 {
        ours.push(median(1, || save_one(&mut day)));
        floor.push(median(1, || bare_one(&mut bare_day)));
    }
    ours.sort();
    floor.sort();
    let (a, b) = (ours[100], floor[100]);
    note(
        "save one check-in",
        us(a),
        format!("bare INSERT+COMMIT {}", us(b)),
        format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64()),
        "≤ 1.5×",
    );
}

/// A save while the background backup copies the 500-patient file, against
/// a save without one, on the same file (median of 100 each). Backups run
/// one after another on their own thread and connection, as the window's
/// daily backup does, so every timed save falls inside one; the last copy
/// must pass `integrity_check`.
fn save_during_backup(_c: &mut Criterion) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("clinic.db");
    std::fs::copy(clinic_file(), &path).expect("copy the clinic file");
    let mut store = Store::open(&path).expect("open");
    let mut day = NaiveDate::from_ymd_opt(2100, 1, 1).expect("date");
    let mut save_one = |day: &mut NaiveDate| {
        store
            .save_check_in(PatientId(1), &check_in(*day))
            .expect("save");
        *day = *day + Days::new(1);
    };
    let alone: Vec<Duration> = (0..100).map(|_| median(1, || save_one(&mut day))).collect();
    let stop = AtomicBool::new(false);
    let copies_dir = dir.path().join("copies");
    std::fs::create_dir_all(&copies_dir).expect("folder");
    // Each copy's start and end, and each timed save's start.
    let (during, copied) = std::thread::scope(|scope| {
        let backing_up = scope.spawn(|| {
            let mut copied: Vec<(Instant, Instant, PathBuf)> = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let began = Instant::now();
                let source = Store::open_read_only(&path).expect("read-only");
                let dest = copies_dir.join(format!("copy-{}.db", copied.len()));
                source.backup_to(&dest).expect("backup");
                copied.push((began, Instant::now(), dest));
            }
            copied
        });
        // Let the first copy start before timing.
        std::thread::sleep(Duration::from_millis(20));
        let during: Vec<(Instant, Duration)> = (0..100)
            .map(|_| (Instant::now(), median(1, || save_one(&mut day))))
            .collect();
        stop.store(true, Ordering::Relaxed);
        (during, backing_up.join().expect("the backup thread"))
    });
    let inside = during
        .iter()
        .filter(|(at, took)| copied.iter().any(|(b, e, _)| b <= at && *at + *took <= *e))
        .count();
    for (_, _, copy) in &copied {
        let check: String = rusqlite::Connection::open(copy)
            .expect("open the copy")
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(check, "ok", "a backup made during the saves is whole");
    }
    let during: Vec<Duration> = during.into_iter().map(|(_, took)| took).collect();
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (a, b) = (mid(during), mid(alone));
    note(
        "save one check-in during a background backup (500-patient file)",
        us(a),
        format!(
            "the same save without a backup {} ({inside} of 100 saves wholly inside one of {} copies, each passing integrity_check)",
            us(b),
            copied.len()
        ),
        format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64()),
        "≤ 2×",
    );
}

fn analysis(c: &mut Criterion) {
    let protocol = protocol();
    let records = demo::generate(
        &protocol,
        DemoOptions {
            patients: 1,
            days: 730,
            seed: 3,
        },
        TODAY,
        Utc::now(),
    );
    let record = &records[0];
    let patient = &record.patient;
    let full = || {
        let status = patient_status(
            &protocol,
            patient,
            record.baseline.as_ref(),
            &record.check_ins,
            &record.odi_entries,
            TODAY,
        );
        let found = flags(&protocol, record, TODAY - Days::new(13), TODAY);
        let mut points = 0;
        for key in [
            MetricKey::BackPain,
            MetricKey::LegPain,
            MetricKey::WalkingMinutes,
        ] {
            if let Some(t) = Trajectory::new(
                &protocol,
                key,
                patient.details.approach,
                Some(OwnBaseline::entered(5.0)),
            ) {
                points += t.daily(730).len();
            }
        }
        let values: Vec<(i64, f64)> = record
            .check_ins
            .iter()
            .map(|c| (patient.days_since_surgery(c.day), f64::from(c.back_pain)))
            .collect();
        let averages = rolling_average(&values, 7, 3);
        std::hint::black_box((status, found, points, averages));
    };
    c.bench_function("analysis of one 2-year patient", |b| b.iter(full));
    let t = median(50, full);
    note(
        "analysis, one 2-year patient (status, flags, curves, averages)",
        us(t),
        "–".into(),
        "–".into(),
        "≤ 1 ms",
    );
}

fn patients_view_5000(c: &mut Criterion) {
    patients_view_of(c, 5000);
}

fn patients_view(c: &mut Criterion) {
    patients_view_of(c, 500);
}

/// The Patients view's rows, cold, as the window computes them: each
/// patient's recent records read (two halves on two connections) and the
/// row computed as each record is read; then sorted by need.
fn patients_view_of(c: &mut Criterion, patients: usize) {
    let protocol = protocol();
    // As the window's reading thread opens it.
    let store = Store::open_read_only(&clinic_of(patients)).expect("open");
    store
        .limit_page_cache(recovery_tracker::store::LIST_PAGE_CACHE_KIB)
        .expect("cache");
    let reads = recovery_tracker::analysis::review::overview_reads(TODAY);
    let count = thousands(patients);
    let mut group = c.benchmark_group(format!("patients view, {count} × 2 years"));
    group.sample_size(10);
    group.bench_function("cold: read the recent records and compute every row", |b| {
        b.iter(|| {
            recovery_tracker::ui::patient_list::rows(&store, &protocol, TODAY).expect("rows")
        });
    });
    group.finish();
    let cold = median(5, || {
        std::hint::black_box(
            recovery_tracker::ui::patient_list::rows(&store, &protocol, TODAY).expect("rows"),
        );
    });
    let read = median(5, || {
        std::hint::black_box(
            store
                .recent_records(reads.check_ins_from, reads.exercise_logs_from)
                .expect("records"),
        );
    });
    note(
        &format!("patients view, {count} × 2 years, cold"),
        ms(cold),
        format!("reading alone {}", ms(read)),
        "–".into(),
        "≤ 100 ms",
    );
}

/// 5000 as "5,000".
fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

/// Times sqlite3's own importer loading the same CSV into the same table;
/// `None` where sqlite3 is not installed or fails.
fn sqlite3_import(path: &Path, csv_path: &Path) -> Option<Duration> {
    // sqlite3's own importer into the same table, skipping the header;
    // symptoms must be a number there, so the column is imported as text
    // into a staging table and copied, as a fair equivalent.
    let script = format!(
        "PRAGMA synchronous=FULL;\nCREATE TEMP TABLE staging(patient_id, day, back_pain, leg_pain, walking_minutes, sitting_minutes, sleep_quality, opioid_doses, warning_symptoms, note, numbness, tingling, weakness, weakness_side);\n.import --csv --skip 1 {} staging\nBEGIN;\nINSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, sitting_minutes, sleep_quality, opioid_doses, warning_symptoms, note, numbness, tingling, weakness, weakness_side) SELECT patient_id, day, back_pain, leg_pain, walking_minutes, sitting_minutes, sleep_quality, opioid_doses, 0, note, NULLIF(numbness, ''), NULLIF(tingling, ''), NULLIF(weakness, ''), NULLIF(weakness_side, '') FROM staging;\nCOMMIT;\n",
        csv_path.display()
    );
    // Dot-commands are read from standard input, as a person would type them.
    use std::io::Write;
    let t = Instant::now();
    let mut child = std::process::Command::new("sqlite3")
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let elapsed = t.elapsed();
    if !out.status.success() {
        println!("sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(elapsed)
}

/// The whole process, as a person runs it (start-up, the safety checks,
/// the backup before the import, parsing and storing), against the
/// `sqlite3` process importing the same rows: median of three, each into a
/// fresh file from `fresh`.
fn import_whole_process(
    fresh: &dyn Fn(usize) -> PathBuf,
    csv_path: &Path,
    rows: usize,
    sqlite: Duration,
) {
    let mut runs: Vec<Duration> = (0..3)
        .map(|n| {
            let path = fresh(n);
            let t = Instant::now();
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_recovery-tracker"))
                .args(["--today", "2026-11-25", "import", "--db"])
                .arg(&path)
                .arg(csv_path)
                .output()
                .expect("the app runs");
            let elapsed = t.elapsed();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            elapsed
        })
        .collect();
    runs.sort();
    let process = runs[1];
    note(
        "import 365,000 check-ins, whole process (`recovery-tracker import`: start, checks, backup, parse, store)",
        format!(
            "{} ({:.0} rows/s)",
            ms(process),
            rows as f64 / process.as_secs_f64()
        ),
        format!("the `sqlite3` process with `.import` {}", ms(sqlite)),
        format!(
            "{:.2}× its speed",
            sqlite.as_secs_f64() / process.as_secs_f64()
        ),
        "≥ 1.0×",
    );
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp");
    let protocol = protocol();
    // 500 patients × 730 days = 365,000 check-ins, as CSV.
    let records = demo::generate(
        &protocol,
        DemoOptions {
            patients: 500,
            days: 730,
            seed: 11,
        },
        TODAY,
        Utc::now(),
    );
    let csv_path = dir.path().join("checkins.csv");
    let mut bytes = Vec::new();
    csv_file::write_table(csv_file::Table::CheckIns, &records, &mut bytes).expect("csv");
    std::fs::write(&csv_path, &bytes).expect("write");
    let total: usize = records.iter().map(|r| r.check_ins.len()).sum();
    let empty_patients: Vec<_> = records
        .iter()
        .map(|r| recovery_tracker::model::PatientRecord {
            check_ins: Vec::new(),
            exercise_logs: Vec::new(),
            plan: Vec::new(),
            milestones: Vec::new(),
            odi_entries: Vec::new(),
            visit_notes: Vec::new(),
            ..r.clone()
        })
        .collect();
    let fresh = |name: &str| -> (PathBuf, Store) {
        let path = dir.path().join(name);
        let mut store = Store::open(&path).expect("open");
        store
            .insert_patient_records(&empty_patients, TODAY)
            .expect("patients");
        (path, store)
    };
    let ours = |n: usize| {
        let (_, mut store) = fresh(&format!("ours-{n}.db"));
        let t = Instant::now();
        let summary =
            csv_file::import_check_ins(&mut store, bytes.as_slice(), TODAY).expect("import");
        assert_eq!(summary.check_ins, total);
        t.elapsed()
    };
    let theirs = |n: usize| -> Option<Duration> {
        let (path, store) = fresh(&format!("theirs-{n}.db"));
        drop(store);
        sqlite3_import(&path, &csv_path)
    };
    let mut group = c.benchmark_group("import 365,000 check-ins");
    group.sample_size(10);
    let mut n = 0;
    group.bench_function("csv_file::import_check_ins", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    n += 1;
                    ours(n)
                })
                .sum()
        });
    });
    group.finish();
    let a = median(3, || {
        n += 1;
        std::hint::black_box(ours(n));
    });
    let mut sqlite = Vec::new();
    for i in 0..3 {
        if let Some(t) = theirs(i) {
            sqlite.push(t);
        }
    }
    sqlite.sort();
    if let Some(b) = sqlite.get(sqlite.len() / 2) {
        import_whole_process(
            &|n| fresh(&format!("process-{n}.db")).0,
            &csv_path,
            total,
            *b,
        );
    }
    let rate = total as f64 / a.as_secs_f64();
    match sqlite.get(sqlite.len() / 2) {
        Some(b) => note(
            "import 365,000 check-ins from CSV",
            format!("{} ({rate:.0} rows/s)", ms(a)),
            format!("sqlite3 .import {}", ms(*b)),
            format!("{:.2}× its speed", b.as_secs_f64() / a.as_secs_f64()),
            "≥ 0.5× and ≥ 200,000 rows/s",
        ),
        None => note(
            "import 365,000 check-ins from CSV",
            format!("{} ({rate:.0} rows/s)", ms(a)),
            "sqlite3 not installed".into(),
            "–".into(),
            "≥ 0.5× and ≥ 200,000 rows/s",
        ),
    }
}

fn report(c: &mut Criterion) {
    let protocol = protocol();
    let records = demo::generate(
        &protocol,
        DemoOptions {
            patients: 1,
            days: 730,
            seed: 5,
        },
        TODAY,
        Utc::now(),
    );
    let options = pdf::ReportOptions {
        from: TODAY - Days::new(729),
        to: TODAY,
        paper: pdf::Paper::A4,
        made_at: Utc::now(),
    };
    let mut group = c.benchmark_group("pdf");
    group.sample_size(10);
    group.bench_function("report of a 2-year patient (whole period)", |b| {
        b.iter(|| pdf::render(&protocol, &records[0], options));
    });
    group.finish();
    let t = median(5, || {
        std::hint::black_box(pdf::render(&protocol, &records[0], options));
    });
    note(
        "PDF report, 2-year patient, whole period",
        ms(t),
        "–".into(),
        "–".into(),
        "≤ 300 ms",
    );
}

fn frames(c: &mut Criterion) {
    frames_of(
        c,
        500,
        &[
            "Today",
            "Progress",
            "Exercises",
            "Milestones",
            "History",
            "Patients",
            "Review",
            "Settings",
        ],
    );
}

fn frames_5000(c: &mut Criterion) {
    frames_of(c, 5000, &["Patients"]);
}

/// One frame of each screen with a clinic file open, once the screen has
/// what it shows (a large clinic's patient list is read off the frame).
fn frames_of(c: &mut Criterion, patients: usize, screens: &[&str]) {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    let work = data_dir().join(format!("frames-{patients}.db"));
    std::fs::remove_file(&work).ok();
    std::fs::copy(clinic_of(patients), &work).expect("copy");
    let store = Store::open(&work).expect("open");
    let protocol = protocol();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            recovery_tracker::ui::App::new(
                cc,
                store,
                protocol,
                recovery_tracker::clock::Clock::fixed_on(TODAY),
            )
        });
    harness.run();
    let count = thousands(patients);
    let mut group = c.benchmark_group(format!("one frame, {count}-patient file"));
    group.sample_size(20);
    for screen in screens {
        harness
            .get_by_role_and_label(egui::Role::Button, screen)
            .click();
        harness.run();
        for _ in 0..1000 {
            if harness.query_by_label_contains("Reading ").is_none() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
            harness.run();
        }
        assert!(
            harness.query_by_label_contains("Reading ").is_none(),
            "the list was read"
        );
        group.bench_function(*screen, |b| b.iter(|| harness.step()));
        let t = median(30, || harness.step());
        note(
            &format!("one frame, {count} patients: {screen}"),
            ms(t),
            "–".into(),
            "–".into(),
            "≤ 2 ms",
        );
    }
    group.finish();
    std::fs::remove_file(&work).ok();
}

fn summary(_: &mut Criterion) {
    let rows = RESULTS.lock().map(|r| r.clone()).unwrap_or_default();
    let mut table = String::from(
        "| what | measured | baseline (same run) | ratio | budget |\n|---|---|---|---|---|\n",
    );
    for [what, figure, baseline, ratio, budget] in rows {
        table.push_str(&format!(
            "| {what} | {figure} | {baseline} | {ratio} | {budget} |\n"
        ));
    }
    println!("\n{table}");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-results.md");
    if let Err(e) = std::fs::write(&out, &table) {
        println!("(could not write {}: {e})", out.display());
    }
    println!("(also in {})", out.display());
}

criterion_group!(
    benches,
    save,
    save_during_backup,
    analysis,
    patients_view,
    patients_view_5000,
    frames_5000,
    import,
    report,
    frames,
    summary
);
criterion_main!(benches);
