//! The data-safety promises against an adversary's files: a stray
//! write-ahead log, a damaged page, crafted backups, a crash while a file is
//! being made, formula cells, terminal escapes, traps at output paths, the
//! writer's lock from other names, inputs that never end, read-only folders
//! and header tricks. Real SQLite files in temporary folders, the real
//! binary, and rusqlite to craft the bad files.

mod common;

use common::*;
use recovery_tracker::store::Store;
use recovery_tracker::store::backup::{self, BackupKind};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

// ------------------------------------------------------------------ helpers

const BIN: &str = env!("CARGO_BIN_EXE_recovery-tracker");

const HEADER: &str = "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,\
                      sleep_quality,opioid_doses,warning_symptoms,note";

/// A run of the binary that finished.
struct Ran {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    elapsed: Duration,
}

impl Ran {
    fn ok(&self) -> bool {
        self.status.success()
    }
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

/// Runs `cmd` with its output captured; kills it and returns `None` when
/// it has not finished within `limit`.
fn exec(mut cmd: Command, limit: Duration) -> Option<Ran> {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        out.read_to_end(&mut bytes).ok();
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        err.read_to_end(&mut bytes).ok();
        bytes
    });
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(Ran {
                status,
                stdout: out_reader.join().expect("stdout reader"),
                stderr: err_reader.join().expect("stderr reader"),
                elapsed: started.elapsed(),
            });
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn bin(args: &[&str], cwd: Option<&Path>) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .args(["--today", TODAY])
        .env_remove("RECOVERY_TRACKER_DB");
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    cmd
}

/// Runs the binary (fixed today); a run that hangs for a minute fails the test.
fn cli(args: &[&str]) -> Ran {
    exec(bin(args, None), Duration::from_secs(60))
        .unwrap_or_else(|| panic!("{args:?} did not finish within a minute"))
}

fn cli_in(cwd: &Path, args: &[&str]) -> Ran {
    exec(bin(args, Some(cwd)), Duration::from_secs(60))
        .unwrap_or_else(|| panic!("{args:?} in {} did not finish", cwd.display()))
}

/// Runs the binary and insists it succeeded; returns standard output.
fn cli_ok(args: &[&str]) -> String {
    let ran = cli(args);
    assert!(ran.ok(), "{args:?} failed: {}", ran.err());
    ran.out()
}

/// Runs the binary and insists it failed cleanly (exit 1, no panic);
/// returns standard error.
fn cli_refused(args: &[&str]) -> String {
    let ran = cli(args);
    assert_refused(&ran, args);
    ran.err()
}

fn assert_refused(ran: &Ran, what: impl std::fmt::Debug) {
    assert!(
        !ran.ok(),
        "{what:?} succeeded but should have been refused: {}",
        ran.out()
    );
    assert_eq!(
        ran.code(),
        Some(1),
        "{what:?} should exit 1 with an error, not crash: {}",
        ran.err()
    );
    assert!(
        !ran.err().contains("panicked"),
        "{what:?} panicked: {}",
        ran.err()
    );
}

fn s(path: &Path) -> &str {
    path_str(path)
}

fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The bytes of a database and of its write-ahead log (if any).
struct Files {
    db: Vec<u8>,
    wal: Option<Vec<u8>>,
}

/// An empty log holds nothing (SQLite treats it as no log), so a reader
/// leaving one behind, or a writer removing it, is no change.
fn snapshot(db: &Path) -> Files {
    Files {
        db: std::fs::read(db).expect("the database exists"),
        wal: std::fs::read(sibling(db, "-wal"))
            .ok()
            .filter(|bytes| !bytes.is_empty()),
    }
}

fn assert_unchanged(db: &Path, before: &Files, after_what: &str) {
    let now = snapshot(db);
    assert!(
        now.db == before.db,
        "{after_what}: {} changed ({} bytes before, {} after)",
        db.display(),
        before.db.len(),
        now.db.len()
    );
    assert!(
        now.wal == before.wal,
        "{after_what}: the -wal of {} changed ({:?} bytes before, {:?} after)",
        db.display(),
        before.wal.as_ref().map(Vec::len),
        now.wal.as_ref().map(Vec::len)
    );
}

/// A demo database: `patients` patients whose surgery was `days` days
/// before today.
fn demo(db: &Path, patients: u32, days: u32, seed: u64) {
    cli_ok(&[
        "demo",
        "--db",
        s(db),
        "--patients",
        &patients.to_string(),
        "--days",
        &days.to_string(),
        "--seed",
        &seed.to_string(),
    ]);
}

/// The surgery day of every patient of a demo made with `days`: a day
/// the demo never fills, so a check-in on it imports cleanly.
fn surgery_day(days: u64) -> String {
    (today() - chrono::Days::new(days)).to_string()
}

fn csv_row(patient: i64, day: &str) -> String {
    format!("{patient},{day},3,2,10,10,5,0,,")
}

fn write_csv(path: &Path, rows: &[String]) {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(path, text).expect("write the CSV");
}

/// Every file and folder under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            out.push(
                path.strip_prefix(root)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned(),
            );
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// The count lines of `check` (patients, check-ins, …).
fn count_lines(check_output: &str) -> Vec<String> {
    check_output
        .lines()
        .filter(|l| !l.starts_with("database:") && !l.starts_with("schema version"))
        .map(str::to_owned)
        .collect()
}

fn backups_of(db: &Path, kind: BackupKind) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = backup::list(db)
        .into_iter()
        .filter(|b| b.kind == kind)
        .map(|b| b.path)
        .collect();
    found.sort();
    found
}

/// A file holding the whole current schema, made from the migrations
/// directly, with the header fields set by hand.
fn raw_schema_file(path: &Path, check_in_without_checks: bool) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("raw file");
    let first = include_str!("../migrations/0001_initial.sql");
    let first = if check_in_without_checks {
        strip_check_in_checks(first)
    } else {
        first.to_owned()
    };
    conn.execute_batch(&first).expect("0001");
    conn.execute_batch(include_str!("../migrations/0002_odi_entries.sql"))
        .expect("0002");
    conn.execute_batch(include_str!(
        "../migrations/0003_milestones_and_exercises.sql"
    ))
    .expect("0003");
    conn.execute_batch(include_str!(
        "../migrations/0004_visit_notes_and_flag_reviews.sql"
    ))
    .expect("0004");
    conn
}

/// The first migration with every CHECK of the `check_in` table removed.
fn strip_check_in_checks(sql: &str) -> String {
    let mut out = String::new();
    let mut in_check_in = false;
    for line in sql.lines() {
        if line.starts_with("CREATE TABLE check_in") {
            in_check_in = true;
        } else if in_check_in && line.starts_with(')') {
            in_check_in = false;
        }
        match line.find(" CHECK (") {
            Some(at) if in_check_in => {
                out.push_str(&line[..at]);
                if line.trim_end().ends_with(',') {
                    out.push(',');
                }
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn set_header(conn: &rusqlite::Connection, application_id: i64, user_version: i64) {
    conn.pragma_update(None, "application_id", application_id)
        .expect("application_id");
    conn.pragma_update(None, "user_version", user_version)
        .expect("user_version");
}

const OUR_APPLICATION_ID: i64 = 0x5254_5231;

// -------------------------------------------------------------------- tests

/// Case 1: A write-ahead log copied from another database sits beside ours.
#[test]
fn a_stray_write_ahead_log_is_named_and_nothing_is_changed() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    demo(&d, 2, 30, 7);
    let original = count_lines(&cli_ok(&["check", "--db", s(&d)]));
    let good = file_in(&dir, "good.db");
    cli_ok(&["backup", "--db", s(&d), "-o", s(&good)]);

    // Another database, changed with its log kept, the log copied while
    // the connection is still open so it holds frames.
    let elsewhere = temp_dir();
    let other = file_in(&elsewhere, "other.db");
    demo(&other, 2, 30, 99);
    {
        let conn = rusqlite::Connection::open(&other).expect("open other");
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .expect("WAL");
        assert_eq!(mode, "wal");
        conn.query_row("PRAGMA wal_autocheckpoint=0", [], |_| Ok(()))
            .expect("no checkpoints");
        conn.execute(
            "UPDATE check_in SET note = 'written in another file' WHERE patient_id = 1",
            [],
        )
        .expect("update");
        conn.execute("UPDATE patient SET name = 'Someone Else' WHERE id = 2", [])
            .expect("update");
        conn.execute(
            "DELETE FROM check_in WHERE patient_id = 2 AND day > '2026-11-10'",
            [],
        )
        .expect("delete");
        let frames = std::fs::metadata(sibling(&other, "-wal"))
            .expect("a log")
            .len();
        assert!(frames > 32 + 4096, "the log has frames ({frames} bytes)");
        std::fs::copy(sibling(&other, "-wal"), sibling(&d, "-wal")).expect("copy the log");
    }
    let before = snapshot(&d);
    assert!(before.wal.is_some());

    let csv = file_in(&dir, "good.csv");
    write_csv(&csv, &[csv_row(1, &surgery_day(30))]);
    let err = cli_refused(&["import", "--db", s(&d), s(&csv)]);
    assert!(err.contains("-wal"), "the message names the log: {err}");
    assert_unchanged(&d, &before, "import");

    let err = cli_refused(&["restore", "--db", s(&d), s(&good)]);
    assert!(err.contains("-wal"), "the message names the log: {err}");
    assert_unchanged(&d, &before, "restore");

    let opened = Store::open(&d);
    match &opened {
        Ok(_) => panic!("Store::open accepted a database with a foreign log"),
        Err(e) => assert!(
            format!("{e:?}").starts_with("ForeignWal"),
            "expected StoreError::ForeignWal, got {e:?}"
        ),
    }
    drop(opened);
    assert_unchanged(&d, &before, "Store::open");

    // A reader may fail, but changes nothing.
    let export = cli(&["export", "--db", s(&d), "--format", "json"]);
    assert!(!export.err().contains("panicked"), "{}", export.err());
    assert_unchanged(&d, &before, "export");

    std::fs::rename(sibling(&d, "-wal"), file_in(&dir, "stray-wal")).expect("move the log away");
    let check = cli_ok(&["check", "--db", s(&d)]);
    assert!(check.contains("integrity: ok"), "{check}");
    assert_eq!(
        count_lines(&check),
        original,
        "the counts are the original ones"
    );
}

/// Case 2: One page overwritten with garbage, for every page in turn.
#[test]
fn a_single_damaged_page_is_found_and_nothing_is_written() {
    let dir = temp_dir();
    let pristine = file_in(&dir, "pristine.db");
    demo(&pristine, 3, 60, 7);
    // Closed by the demo: checkpointed, no log left.
    assert!(
        !sibling(&pristine, "-wal").exists(),
        "no log after a clean close"
    );
    let bytes = std::fs::read(&pristine).expect("read");
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n => usize::from(n),
    };
    let page_count = bytes.len() / page_size;
    assert!(page_count >= 10, "{page_count} pages");
    let last = page_count.min(56);
    let day = surgery_day(60);

    let next = std::sync::atomic::AtomicUsize::new(2);
    let failures = std::sync::Mutex::new(Vec::<String>::new());
    let undetected = std::sync::Mutex::new(Vec::<usize>::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| {
                loop {
                    let page = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if page > last {
                        break;
                    }
                    let fail = |what: String| {
                        failures
                            .lock()
                            .expect("lock")
                            .push(format!("page {page}: {what}"));
                    };
                    let work = temp_dir();
                    let db = file_in(&work, "d.db");
                    let mut damaged = bytes.clone();
                    damaged[(page - 1) * page_size..page * page_size].fill(0xA5);
                    std::fs::write(&db, &damaged).expect("write the copy");
                    let csv = file_in(&work, "good.csv");
                    write_csv(&csv, &[csv_row(1, &day)]);
                    let x = file_in(&work, "x.json");

                    let check = cli(&["check", "--db", s(&db)]);
                    if check.ok() {
                        // Undetectable by SQLite (a free page?): then the
                        // file must behave as a healthy one.
                        undetected.lock().expect("lock").push(page);
                        let import = cli(&["import", "--db", s(&db), s(&csv)]);
                        if !import.ok() {
                            fail(format!("check passed but import failed: {}", import.err()));
                        }
                        let again = cli(&["check", "--db", s(&db)]);
                        if !again.ok() {
                            fail(format!("check fails after the import: {}", again.out()));
                        }
                        continue;
                    }
                    if check.code() == Some(101) {
                        fail(format!("check panicked: {}", check.err()));
                    }
                    let before = snapshot(&db);
                    let import = cli(&["import", "--db", s(&db), s(&csv)]);
                    if import.ok() {
                        fail("import into the damaged file succeeded".to_owned());
                    } else if import.code() != Some(1) {
                        fail(format!("import crashed: {}", import.err()));
                    }
                    let now = snapshot(&db);
                    if now.db != before.db {
                        fail("import changed the damaged file".to_owned());
                    }
                    if now.wal != before.wal {
                        fail(format!(
                            "import changed the -wal ({:?} bytes before, {:?} after)",
                            before.wal.as_ref().map(Vec::len),
                            now.wal.as_ref().map(Vec::len)
                        ));
                    }
                    let export = cli(&["export", "--db", s(&db), "--format", "json", "-o", s(&x)]);
                    if export.ok() {
                        fail("export of the damaged file succeeded".to_owned());
                    }
                    if x.exists() {
                        fail("export left x.json".to_owned());
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    let mut undetected = undetected.into_inner().expect("lock");
    undetected.sort_unstable();
    println!(
        "{} pages damaged one at a time; {} not detectable by SQLite: {undetected:?}",
        last - 1,
        undetected.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Case 3: Backups crafted to look like ours.
#[test]
fn restoring_a_crafted_backup_is_refused_and_changes_nothing() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    demo(&d, 2, 30, 7);
    let good = file_in(&dir, "good.db");
    cli_ok(&["backup", "--db", s(&d), "-o", s(&good)]);
    let before = cli_ok(&["export", "--db", s(&d), "--format", "json"]);
    let latest = i64::from(recovery_tracker::store::latest_schema_version());

    // (a) Our header, no tables.
    let empty = file_in(&dir, "empty.db");
    {
        let conn = rusqlite::Connection::open(&empty).expect("raw");
        set_header(&conn, OUR_APPLICATION_ID, latest);
    }
    // (b) A real backup with a trigger that empties the table.
    let trigger = file_in(&dir, "trigger.db");
    std::fs::copy(&good, &trigger).expect("copy");
    {
        let conn = rusqlite::Connection::open(&trigger).expect("raw");
        conn.execute_batch(
            "CREATE TRIGGER t AFTER INSERT ON check_in BEGIN DELETE FROM check_in; END;",
        )
        .expect("trigger");
    }
    // (c) Every table, but check_in without its CHECKs, holding a -5.
    let unchecked = file_in(&dir, "unchecked.db");
    {
        let conn = raw_schema_file(&unchecked, true);
        set_header(&conn, OUR_APPLICATION_ID, latest);
        conn.execute(
            "INSERT INTO patient (id, name, surgery_date, procedure, approach, levels, created_at) \
             VALUES (1, 'Crafted', '2026-10-01', 'tlif', 'open', 'L4–L5', '2026-10-01T00:00:00Z')",
            [],
        )
        .expect("patient");
        conn.execute(
            "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, \
             sitting_minutes, sleep_quality, opioid_doses) \
             VALUES (1, '2026-11-20', -5, 2, 10, 10, 5, 0)",
            [],
        )
        .expect("a check-in the real schema refuses");
    }
    // (d) A real backup with a check-in in the future.
    let future = file_in(&dir, "future.db");
    std::fs::copy(&good, &future).expect("copy");
    {
        let conn = rusqlite::Connection::open(&future).expect("raw");
        conn.execute(
            "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, \
             sitting_minutes, sleep_quality, opioid_doses) \
             VALUES (1, '2030-01-01', 3, 2, 10, 10, 5, 0)",
            [],
        )
        .expect("a future check-in");
    }
    assert!(!sibling(&future, "-wal").exists());
    // (e) A real backup with a check-in of a patient who is not there
    // (foreign keys are not enforced by SQLite unless switched on, and the
    // integrity check does not look at them).
    let orphan = file_in(&dir, "orphan.db");
    std::fs::copy(&good, &orphan).expect("copy");
    {
        let conn = rusqlite::Connection::open(&orphan).expect("raw");
        conn.pragma_update(None, "foreign_keys", "OFF")
            .expect("foreign keys off");
        conn.execute(
            "INSERT INTO check_in (patient_id, day, back_pain, leg_pain, walking_minutes, \
             sitting_minutes, sleep_quality, opioid_doses) \
             VALUES (77, '2026-11-20', 3, 2, 10, 10, 5, 0)",
            [],
        )
        .expect("an orphan check-in");
    }

    for (name, file) in [
        ("no tables", &empty),
        ("a trigger", &trigger),
        ("no CHECKs", &unchecked),
        ("a future check-in", &future),
        ("an orphan check-in", &orphan),
    ] {
        let err = cli_refused(&["restore", "--db", s(&d), s(file)]);
        assert!(
            err.contains("cannot be restored; nothing changed"),
            "{name}: {err}"
        );
        if file == &future {
            assert!(
                err.contains("2030-01-01"),
                "{name}: the row is named: {err}"
            );
        }
        assert_eq!(
            cli_ok(&["export", "--db", s(&d), "--format", "json"]),
            before,
            "{name}: the live database changed"
        );
        assert!(
            backups_of(&d, BackupKind::BeforeRestore).is_empty(),
            "{name}: a refused restore leaves no safety copy"
        );
    }
    // The real backup itself is accepted, so the refusals above were the
    // crafting's doing.
    cli_ok(&["restore", "--db", s(&d), s(&good)]);
    assert_eq!(
        cli_ok(&["export", "--db", s(&d), "--format", "json"]),
        before
    );
}

/// Case 4: The process is killed at each write, sync or rename while it makes a
/// new database.
#[test]
fn a_crash_while_creating_a_database_never_leaves_a_file_that_is_not_ours() {
    if !Path::new("/usr/bin/strace").exists() {
        assert!(
            std::env::var_os("RECOVERY_TRACKER_REQUIRE_STRACE").is_none(),
            "strace is required (RECOVERY_TRACKER_REQUIRE_STRACE is set) but /usr/bin/strace is missing"
        );
        println!("skipped: /usr/bin/strace is not installed");
        return;
    }
    let mut killed = 0;
    let mut made_whole = 0;
    let mut finished_at = None;
    for n in 1..=400u32 {
        let dir = temp_dir();
        let x = file_in(&dir, "x.db");
        let mut cmd = Command::new("/usr/bin/strace");
        // `-e trace=none` would also switch the injection off (strace 6.1):
        // every traced call is written to /dev/null instead.
        cmd.args(["-f", "-o", "/dev/null", "-e"])
            .arg(format!(
                "inject=write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,link,linkat:signal=KILL:when={n}"
            ))
            .args([
                BIN, "demo", "--db", s(&x), "--patients", "1", "--days", "3", "--today", TODAY,
            ])
            .env_remove("RECOVERY_TRACKER_DB");
        let ran = exec(cmd, Duration::from_secs(30))
            .unwrap_or_else(|| panic!("N={n}: the traced run hangs"));
        if ran.ok() {
            assert!(
                ran.out().contains("wrote 1 patient and"),
                "N={n}: {}",
                ran.out()
            );
            finished_at = Some(n);
            break;
        }
        assert!(
            !ran.err().contains("Operation not permitted") || !ran.err().contains("ptrace"),
            "strace cannot trace here: {}",
            ran.err()
        );
        killed += 1;
        if x.exists() {
            match Store::open(&x) {
                Ok(store) => {
                    assert!(
                        store.integrity_problems().expect("check").is_empty(),
                        "N={n}: the file is damaged"
                    );
                    made_whole += 1;
                }
                Err(e) => panic!("N={n}: after the crash {} does not open: {e}", x.display()),
            }
            let check = cli(&["check", "--db", s(&x)]);
            assert!(
                check.ok() && !check.err().contains("not a recovery-tracker database"),
                "N={n}: check after the crash: {}",
                check.err()
            );
        }
    }
    let finished_at = finished_at.expect("the run finishes without a kill within 400 steps");
    assert!(killed >= 5, "only {killed} runs were killed");
    println!(
        "{killed} runs killed (normal exit at N={finished_at}); {made_whole} left a database \
         that opens, the rest none"
    );
}

/// Case 5: Backups before imports: unique names, none for a refused import.
#[test]
fn imports_in_the_same_second_keep_distinct_backups_and_refusals_make_none() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    drop(store_with_patient(&d));
    let first = file_in(&dir, "first.csv");
    write_csv(&first, &[csv_row(1, "2026-11-20")]);
    let second = file_in(&dir, "second.csv");
    write_csv(&second, &[csv_row(1, "2026-11-21")]);
    // The clock is fixed: both imports happen "at the same moment".
    cli_ok(&["import", "--db", s(&d), s(&first)]);
    cli_ok(&["import", "--db", s(&d), s(&second)]);
    let made = backups_of(&d, BackupKind::BeforeImport);
    assert_eq!(made.len(), 2, "two distinct backups: {made:?}");
    let mut held: Vec<u64> = made
        .iter()
        .map(|b| backup::inspect(b).expect("a good backup").check_ins)
        .collect();
    held.sort_unstable();
    assert_eq!(
        held,
        [0, 1],
        "each backup holds the state before its import"
    );
    let last_backup = made
        .iter()
        .find(|b| backup::inspect(b).expect("good").check_ins == 1)
        .expect("the backup before the second import")
        .clone();
    let last_bytes = std::fs::read(&last_backup).expect("read");

    let folder = backup::backups_dir(&d);
    let before = listing(&folder);
    let empty = file_in(&dir, "empty.csv");
    std::fs::write(&empty, "").expect("write");
    cli_refused(&["import", "--db", s(&d), s(&empty)]);
    assert_eq!(listing(&folder), before, "an empty file makes no backup");

    // Eleven refusals of every kind.
    let bad = [
        String::new(),
        format!("{HEADER}\n1,2026-11-20,3,2,10,10,5,0,,\n"), // already stored
        format!("{HEADER}\n1,2026-11-22,11,2,10,10,5,0,,\n"), // out of range
        format!("{HEADER}\n9,2026-11-22,3,2,10,10,5,0,,\n"), // no such patient
        format!("{HEADER}\n1,2030-01-01,3,2,10,10,5,0,,\n"), // in the future
        format!("{HEADER}\n1,2024-01-01,3,2,10,10,5,0,,\n"), // a year before surgery
        format!("{HEADER}\n1,2026-11-22,3,2,10,10,5,0,,\n1,2026-11-22,3,2,10,10,5,0,,\n"),
        format!("{HEADER}\n1,2026-11-22,3,2\n"),
        "day,patient_id\n".to_owned(),
        format!("{HEADER}\n1,2026-11-22,3,2,10,10,5,0,,\"cut"),
        format!("{HEADER}\n1,not-a-day,3,2,10,10,5,0,,\n"),
    ];
    assert_eq!(bad.len(), 11);
    for (n, text) in bad.iter().enumerate() {
        let file = file_in(&dir, &format!("bad{n}.csv"));
        std::fs::write(&file, text).expect("write");
        cli_refused(&["import", "--db", s(&d), s(&file)]);
    }
    assert_eq!(listing(&folder), before, "refused imports make no backups");
    assert_eq!(
        std::fs::read(&last_backup).expect("the backup before the last import still exists"),
        last_bytes
    );
    assert_eq!(
        Store::open_read_only(&d)
            .expect("open")
            .counts()
            .expect("counts")
            .check_ins,
        2
    );
}

fn fhir_bundle(db: &Path, patient: u32) -> serde_json::Value {
    let text = cli_ok(&[
        "export",
        "--db",
        s(db),
        "--format",
        "fhir",
        "--patient",
        &patient.to_string(),
    ]);
    serde_json::from_str(&text).expect("a JSON bundle")
}

fn entries_mut(bundle: &mut serde_json::Value) -> &mut Vec<serde_json::Value> {
    bundle["entry"].as_array_mut().expect("entries")
}

fn resource_of<'a>(bundle: &'a mut serde_json::Value, kind: &str) -> &'a mut serde_json::Value {
    entries_mut(bundle)
        .iter_mut()
        .map(|e| &mut e["resource"])
        .find(|r| r["resourceType"] == kind)
        .unwrap_or_else(|| panic!("the bundle has a {kind}"))
}

fn set_extension(holder: &mut serde_json::Value, name: &str, key: &str, value: serde_json::Value) {
    let ext = holder["extension"]
        .as_array_mut()
        .expect("extensions")
        .iter_mut()
        .find(|e| {
            e["url"]
                .as_str()
                .is_some_and(|u| u.ends_with(&format!(":{name}")))
        })
        .unwrap_or_else(|| panic!("an extension {name}"));
    ext[key] = value;
}

/// Case 6: FHIR bundles edited by hand.
#[test]
fn edited_fhir_bundles_are_refused_by_name() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    // From day 35 the first demo patient has a plan of their own.
    demo(&d, 2, 40, 7);
    let bundle = fhir_bundle(&d, 1);
    let before = snapshot(&d);
    let import = |name: &str, value: &serde_json::Value| -> Ran {
        let file = file_in(&dir, &format!("{name}.json"));
        std::fs::write(&file, serde_json::to_vec_pretty(value).expect("json")).expect("write");
        let ran = cli(&["import", "--db", s(&d), s(&file)]);
        assert_unchanged(&d, &before, name);
        ran
    };

    // The bundle as exported imports cleanly into an empty file.
    let fresh = file_in(&dir, "fresh.db");
    let as_is = file_in(&dir, "as-is.json");
    std::fs::write(&as_is, serde_json::to_vec(&bundle).expect("json")).expect("write");
    cli_ok(&["import", "--db", s(&fresh), s(&as_is)]);

    // (a) reps 1000.
    let mut edited = bundle.clone();
    let plan = resource_of(&mut edited, "CarePlan");
    set_extension(
        &mut plan["activity"][0]["detail"],
        "reps",
        "valueInteger",
        serde_json::json!(1000),
    );
    let ran = import("reps", &edited);
    assert_refused(&ran, "reps 1000");
    assert!(ran.err().contains("reps"), "{}", ran.err());

    // (b) created-at that is no time.
    let mut edited = bundle.clone();
    let patient = resource_of(&mut edited, "Patient");
    set_extension(
        patient,
        "created-at",
        "valueDateTime",
        serde_json::json!("not-a-time"),
    );
    let ran = import("created-at", &edited);
    assert_refused(&ran, "created-at");
    assert!(ran.err().contains("created-at"), "{}", ran.err());

    // (c) One check-in Observation twice.
    let mut edited = bundle.clone();
    let entries = entries_mut(&mut edited);
    let at = entries
        .iter()
        .position(|e| {
            e["resource"]["resourceType"] == "Observation"
                && e["resource"]["identifier"][0]["value"]
                    .as_str()
                    .is_some_and(|k| k.ends_with("-leg_pain") && !k.contains("baseline"))
        })
        .expect("a check-in's leg pain");
    let copy = entries[at].clone();
    entries.insert(at + 1, copy);
    let ran = import("twice", &edited);
    assert_refused(&ran, "a duplicated observation");

    // (d) Two patients in one bundle.
    let mut both = bundle.clone();
    let second = fhir_bundle(&d, 2);
    entries_mut(&mut both).extend(second["entry"].as_array().expect("entries").iter().cloned());
    let other = file_in(&dir, "other.db");
    drop(store_with_patient(&other));
    let file = file_in(&dir, "both.json");
    std::fs::write(&file, serde_json::to_vec(&both).expect("json")).expect("write");
    cli_ok(&["import", "--db", s(&other), s(&file)]);
    let counts = Store::open_read_only(&other)
        .expect("open")
        .counts()
        .expect("counts");
    assert_eq!(counts.patients, 3, "two patients added to the one there");

    // (e) A birth date with a character across the tenth byte.
    for born in ["2026-1é-03T", "2026-11-0é3T00:00", "éééééééééééé"] {
        let mut edited = bundle.clone();
        resource_of(&mut edited, "Patient")["birthDate"] = serde_json::json!(born);
        let ran = import("born", &edited);
        assert_refused(&ran, born);
    }
}

/// Case 7: A CSV cut short inside a quoted note.
#[test]
fn a_csv_cut_inside_a_quoted_note_is_refused_naming_the_line() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    drop(store_with_patient(&d));
    let before = snapshot(&d);
    let csv = file_in(&dir, "cut.csv");
    std::fs::write(
        &csv,
        format!("{HEADER}\n1,2026-11-20,3,2,10,10,5,0,,\"a note that never ends"),
    )
    .expect("write");
    let err = cli_refused(&["import", "--db", s(&d), s(&csv)]);
    assert!(err.contains("line 2"), "{err}");
    assert_unchanged(&d, &before, "import");
}

/// Case 8: Notes that a spreadsheet would run as formulas.
#[test]
fn csv_cells_never_start_a_formula_and_notes_come_back_exactly() {
    let notes = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1",
        "-2",
        "@SUM(1)",
        "\tstarts with a tab",
        "'=already quoted",
        "plain",
    ];
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    let (mut store, id) = store_with_patient(&d);
    for (n, note) in notes.iter().enumerate() {
        let mut c = check_in(&format!("2026-11-{:02}", n + 1), 3);
        c.note = (*note).to_owned();
        store.save_check_in(id, &c).expect("save");
    }
    drop(store);
    let csv = cli_ok(&["export", "--db", s(&d), "--format", "csv"]);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let mut cells_of_notes = Vec::new();
    for record in reader.records() {
        let record = record.expect("a CSV record");
        for cell in &record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell starts a formula: {cell:?}"
            );
        }
        cells_of_notes.push(record.get(9).expect("a note column").to_owned());
    }
    assert_eq!(
        cells_of_notes.len(),
        notes.len() + 1,
        "a header and a row each"
    );
    for (cell, note) in cells_of_notes[1..].iter().zip(&notes[..6]) {
        assert_eq!(cell, &format!("'{note}"), "written with a leading quote");
    }
    assert_eq!(
        cells_of_notes[notes.len()],
        "plain",
        "plain text is left alone"
    );

    let again = file_in(&dir, "again.db");
    drop(store_with_patient(&again));
    let file = file_in(&dir, "notes.csv");
    std::fs::write(&file, &csv).expect("write");
    cli_ok(&["import", "--db", s(&again), s(&file)]);
    let back: Vec<String> = Store::open_read_only(&again)
        .expect("open")
        .check_ins(id)
        .expect("read")
        .into_iter()
        .map(|c| c.note)
        .collect();
    assert_eq!(back, notes, "the notes come back exactly");
    assert_eq!(
        cli_ok(&["export", "--db", s(&again), "--format", "csv"]),
        csv,
        "the re-export is byte-identical"
    );
}

/// Case 9: A name that would retitle the terminal and clear the screen.
#[test]
fn terminal_escapes_in_a_name_are_never_printed() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    {
        let mut store = Store::open(&d).expect("open");
        let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
        store
            .create_patient(
                &details("Eve \u{1b}]0;owned\u{7}\u{1b}[2J Mallory"),
                Some(&baseline()),
                now,
            )
            .expect("the name is stored as typed");
    }
    let clean = |ran: &Ran, what: &str| {
        for (stream, bytes) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
            assert!(
                !bytes.contains(&0x1b) && !bytes.contains(&0x07),
                "{what} printed ESC or BEL on {stream}: {:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    };
    let status = cli(&["status", "--db", s(&d), "--patient", "1"]);
    assert!(status.ok(), "{}", status.err());
    assert!(status.out().contains("Mallory"), "{}", status.out());
    clean(&status, "status");

    let export = file_in(&dir, "eve.json");
    cli_ok(&[
        "export",
        "--db",
        s(&d),
        "--format",
        "json",
        "-o",
        s(&export),
    ]);
    let dry = cli(&["import", "--db", s(&d), "--dry-run", s(&export)]);
    assert!(dry.ok(), "{}", dry.err());
    assert!(dry.out().contains("Mallory"), "{}", dry.out());
    clean(&dry, "import --dry-run");
    let fresh = file_in(&dir, "fresh.db");
    let dry = cli(&["import", "--db", s(&fresh), "--dry-run", s(&export)]);
    clean(&dry, "import --dry-run into a new file");
}

/// Case 10: Traps at the output path.
#[cfg(unix)]
#[test]
fn exports_never_write_through_traps_at_the_output_path() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    demo(&d, 2, 30, 7);
    let json = cli_ok(&["export", "--db", s(&d), "--format", "json"]);
    fifo_and_symlink_traps(&d, &json);
    replacing_standard_output_and_missing_folders(&d, &json);
}

#[cfg(unix)]
fn fifo_and_symlink_traps(d: &Path, json: &str) {
    let out = temp_dir();

    // (a) A FIFO: refused, quickly, and still a FIFO.
    let fifo = file_in(&out, "pipe.json");
    mkfifo(&fifo);
    let ran = exec(
        bin(
            &["export", "--db", s(d), "--format", "json", "-o", s(&fifo)],
            None,
        ),
        Duration::from_secs(5),
    )
    .expect("an export onto a FIFO does not wait for a reader");
    assert_refused(&ran, "export onto a FIFO");
    assert!(is_fifo(&fifo), "the FIFO is still a FIFO");
    let ran = exec(
        bin(
            &[
                "export",
                "--db",
                s(d),
                "--format",
                "json",
                "--force",
                "-o",
                s(&fifo),
            ],
            None,
        ),
        Duration::from_secs(5),
    )
    .expect("--force onto a FIFO does not wait either");
    assert_refused(&ran, "export --force onto a FIFO");
    assert!(is_fifo(&fifo), "the FIFO is still a FIFO after --force");

    // (b) A symlink where the old temporary name was, pointing to a victim.
    let victim = file_in(&out, "victim.txt");
    std::fs::write(&victim, "precious").expect("write");
    let target = file_in(&out, "x.json");
    std::os::unix::fs::symlink(&victim, file_in(&out, "x.json.partial")).expect("symlink");
    cli_ok(&["export", "--db", s(d), "--format", "json", "-o", s(&target)]);
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
    assert!(
        std::fs::symlink_metadata(&target).expect("made").is_file(),
        "the export is a regular file"
    );
    assert_eq!(std::fs::read_to_string(&target).expect("read"), json);
}

#[cfg(unix)]
fn replacing_standard_output_and_missing_folders(d: &Path, json: &str) {
    use std::os::unix::fs::PermissionsExt;
    let out = temp_dir();
    let target = file_in(&out, "x.json");
    cli_ok(&["export", "--db", s(d), "--format", "json", "-o", s(&target)]);

    // (c) No replacing without --force; private mode.
    let one = cli_ok(&["export", "--db", s(d), "--format", "json", "--patient", "1"]);
    assert_ne!(one, json);
    let err = cli_refused(&[
        "export",
        "--db",
        s(d),
        "--format",
        "json",
        "--patient",
        "1",
        "-o",
        s(&target),
    ]);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        json,
        "unchanged"
    );
    cli_ok(&[
        "export",
        "--db",
        s(d),
        "--format",
        "json",
        "--patient",
        "1",
        "--force",
        "-o",
        s(&target),
    ]);
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        one,
        "replaced"
    );
    let mode = std::fs::metadata(&target)
        .expect("made")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");

    // (d) `-o -` is standard output.
    let cwd = temp_dir();
    let ran = cli_in(
        cwd.path(),
        &["export", "--db", s(d), "--format", "json", "-o", "-"],
    );
    assert!(ran.ok(), "{}", ran.err());
    assert_eq!(ran.out(), json);
    assert!(!cwd.path().join("-").exists(), "no file named -");
    assert!(listing(cwd.path()).is_empty(), "{:?}", listing(cwd.path()));

    // (e) A failed write leaves nothing behind.
    let empty = temp_dir();
    let nowhere = empty.path().join("missing").join("x.json");
    cli_refused(&[
        "export",
        "--db",
        s(d),
        "--format",
        "json",
        "-o",
        s(&nowhere),
    ]);
    assert!(
        listing(empty.path()).is_empty(),
        "{:?}",
        listing(empty.path())
    );
}

/// Case 11: The writer's lock, reached through other names for the file.
#[cfg(unix)]
#[test]
fn the_writer_lock_holds_through_a_symlink_a_relative_path_and_a_deleted_lock_file() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    let (store, _) = store_with_patient(&d);
    let csv = file_in(&dir, "good.csv");
    write_csv(&csv, &[csv_row(1, "2026-11-20")]);
    let elsewhere = temp_dir();
    let link = file_in(&elsewhere, "link.db");
    std::os::unix::fs::symlink(&d, &link).expect("symlink");

    let err = cli_refused(&["import", "--db", s(&link), s(&csv)]);
    assert!(err.contains("already open"), "through a symlink: {err}");
    let ran = cli_in(dir.path(), &["import", "--db", "d.db", "good.csv"]);
    assert_refused(&ran, "a relative path");
    assert!(
        ran.err().contains("already open"),
        "relative: {}",
        ran.err()
    );

    let locks: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "lock"))
        .collect();
    for lock in &locks {
        std::fs::remove_file(lock).expect("delete the lock file");
    }
    let err = cli_refused(&["import", "--db", s(&d), s(&csv)]);
    assert!(
        err.contains("already open"),
        "after deleting lock files: {err}"
    );
    let err = cli_refused(&["import", "--db", s(&link), s(&csv)]);
    assert!(
        err.contains("already open"),
        "after deleting lock files: {err}"
    );
    assert!(
        locks.is_empty(),
        "no lock files beside the database: {locks:?}"
    );
    assert_eq!(
        store.counts().expect("counts").check_ins,
        0,
        "nothing imported"
    );
    drop(store);
    cli_ok(&["import", "--db", s(&link), s(&csv)]);
}

/// Case 12: Inputs that never end, and a report over a thousand years.
#[cfg(unix)]
#[test]
fn endless_inputs_are_refused_quickly() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    demo(&d, 1, 30, 7);
    let quick = |args: &[&str], limit: u64| -> Ran {
        exec(bin(args, None), Duration::from_secs(limit))
            .unwrap_or_else(|| panic!("{args:?} still running after {limit} s"))
    };
    let not_a_file =
        |err: &str| err.contains("not a regular file") || err.contains("is not a file");

    let ran = quick(
        &["import", "--db", s(&d), "/dev/zero", "--format", "csv"],
        5,
    );
    assert_refused(&ran, "import /dev/zero");
    assert!(ran.err().contains("not a regular file"), "{}", ran.err());
    let ran = quick(
        &["import", "--db", s(&d), "/dev/zero", "--format", "json"],
        5,
    );
    assert_refused(&ran, "import /dev/zero as JSON");
    let ran = quick(&["restore", "--db", s(&d), "/dev/zero"], 5);
    assert_refused(&ran, "restore /dev/zero");
    assert!(not_a_file(&ran.err()), "{}", ran.err());

    let fifo = file_in(&dir, "in.csv");
    mkfifo(&fifo);
    let ran = quick(&["import", "--db", s(&d), s(&fifo)], 5);
    assert_refused(&ran, "import from a FIFO");
    assert!(not_a_file(&ran.err()), "{}", ran.err());
    let ran = quick(&["restore", "--db", s(&d), s(&fifo)], 5);
    assert_refused(&ran, "restore from a FIFO");

    let zeros = file_in(&dir, "x.csv");
    std::fs::write(&zeros, vec![0u8; 20 << 20]).expect("write");
    let ran = quick(&["import", "--db", s(&d), s(&zeros)], 5);
    assert_refused(&ran, "20 MB of NUL");
    let err = ran.err();
    for line in err.lines() {
        assert!(
            line.chars().count() < 600,
            "an error line of {} characters",
            line.chars().count()
        );
    }
    assert!(!err.contains('\0'), "the NULs are not echoed");

    let pdf = file_in(&dir, "r.pdf");
    let ran = quick(
        &[
            "report",
            "--db",
            s(&d),
            "--patient",
            "1",
            "--from",
            "1000-01-01",
            "--to",
            "2999-12-31",
            "-o",
            s(&pdf),
        ],
        10,
    );
    assert!(ran.ok(), "{}", ran.err());
    assert!(ran.elapsed < Duration::from_secs(10));
    assert!(std::fs::read(&pdf).expect("a PDF").starts_with(b"%PDF"));
}

/// Case 13: A healthy database in a folder, or a file, marked read-only.
#[cfg(unix)]
#[test]
fn a_read_only_folder_or_file_is_read_and_never_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).expect("mkdir");
    let d = folder.join("d.db");
    {
        let (mut store, id) = store_with_patient(&d);
        store
            .save_check_in(id, &check_in("2026-11-20", 4))
            .expect("save");
    }
    assert!(!sibling(&d, "-wal").exists(), "no log after a clean close");
    assert!(
        !sibling(&d, "-shm").exists(),
        "no index after a clean close"
    );
    let before = listing(&folder);
    let bytes = std::fs::read(&d).expect("read");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let result = std::panic::catch_unwind(|| {
        let store = Store::open(&d).expect("opens read-only");
        assert!(
            store.read_only_reason().is_some(),
            "a read-only folder gives a read-only store"
        );
        assert_eq!(store.counts().expect("counts").check_ins, 1);
        drop(store);
        let check = cli(&["check", "--db", s(&d)]);
        assert!(check.ok(), "check in a read-only folder: {}", check.err());
        assert!(check.out().contains("integrity: ok"), "{}", check.out());
        let status = cli(&["status", "--db", s(&d), "--patient", "1"]);
        assert!(status.ok(), "{}", status.err());
        assert_eq!(
            listing(&folder),
            before,
            "nothing was created in the folder"
        );
        assert_eq!(std::fs::read(&d).expect("read"), bytes);
    });
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }

    // A file marked read-only in a writable folder: no import, no backup.
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let csv = dir.path().join("good.csv");
    write_csv(&csv, &[csv_row(1, "2026-11-21")]);
    let backups = backup::backups_dir(&d);
    let before_backups = listing(&backups);
    let err = cli_refused(&["import", "--db", s(&d), s(&csv)]);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(listing(&backups), before_backups, "no backup was made");
    assert_eq!(std::fs::read(&d).expect("read"), bytes);
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o600)).expect("chmod back");
}

/// Case 14: Headers that lie.
#[test]
fn files_with_lying_headers_are_refused_plainly_and_left_alone() {
    let dir = temp_dir();
    let csv = file_in(&dir, "good.csv");
    write_csv(&csv, &[csv_row(1, "2026-11-20")]);
    let refuse_both = |db: &Path, what: &str| -> Vec<String> {
        let before = snapshot(db);
        let mut messages = Vec::new();
        for args in [
            vec!["check", "--db", s(db)],
            vec!["import", "--db", s(db), s(&csv)],
        ] {
            let err = cli_refused(&args);
            assert_unchanged(db, &before, &format!("{what}: {}", args[0]));
            messages.push(err);
        }
        let opened = Store::open(db);
        assert!(opened.is_err(), "{what}: Store::open accepted it");
        drop(opened);
        assert_unchanged(db, &before, &format!("{what}: Store::open"));
        messages
    };

    // (a) Our id, every table, schema version 0.
    let a = file_in(&dir, "a.db");
    {
        let conn = raw_schema_file(&a, false);
        set_header(&conn, OUR_APPLICATION_ID, 0);
    }
    for err in refuse_both(&a, "version 0") {
        assert!(
            err.len() < 400,
            "a short message ({} chars): {err}",
            err.len()
        );
        assert!(!err.contains("CREATE TABLE"), "{err}");
    }

    // (b) Schema version -1.
    let b = file_in(&dir, "b.db");
    {
        let conn = raw_schema_file(&b, false);
        set_header(&conn, OUR_APPLICATION_ID, -1);
    }
    for err in refuse_both(&b, "version -1") {
        assert!(!err.contains("out of range"), "{err}");
    }

    // (c) An empty SQLite file of another program: not taken as new.
    let c = file_in(&dir, "c.db");
    {
        let conn = rusqlite::Connection::open(&c).expect("raw");
        set_header(&conn, 1234, 0);
    }
    assert!(std::fs::metadata(&c).expect("made").len() > 0);
    for err in refuse_both(&c, "another program's empty file") {
        assert!(err.contains("not a recovery-tracker database"), "{err}");
    }

    // (d) Another program's tables, version 7.
    let d = file_in(&dir, "d.db");
    {
        let conn = rusqlite::Connection::open(&d).expect("raw");
        conn.execute_batch("CREATE TABLE things (x INTEGER); INSERT INTO things VALUES (1);")
            .expect("their table");
        set_header(&conn, 0, 7);
    }
    for err in refuse_both(&d, "another program's file") {
        assert!(!err.contains("newer version"), "{err}");
    }
}

/// Case 15: A reader that stops reading.
#[test]
fn a_closed_output_pipe_ends_quietly() {
    let dir = temp_dir();
    let d = file_in(&dir, "d.db");
    demo(&d, 3, 120, 7);
    for args in [
        vec!["check", "--db", s(&d)],
        vec!["export", "--db", s(&d), "--format", "json"],
    ] {
        let mut child = bin(&args, None)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start");
        let mut first = String::new();
        {
            let mut reader = std::io::BufReader::new(child.stdout.take().expect("piped"));
            reader.read_line(&mut first).expect("one line");
        }
        // The reader is gone, like `| head -1`.
        let mut err = String::new();
        child
            .stderr
            .take()
            .expect("piped")
            .read_to_string(&mut err)
            .expect("stderr");
        let status = child.wait().expect("exits");
        assert!(!first.is_empty(), "{args:?} printed a line");
        assert_ne!(status.code(), Some(101), "{args:?} panicked: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
