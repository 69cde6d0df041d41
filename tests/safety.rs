//! Data safety: saves survive a killed process, bad files are refused
//! untouched, backups round-trip, files are private.

mod common;

use common::*;
use recovery_tracker::store::backup::{self, BackupKind};
use recovery_tracker::store::{Store, StoreError};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn every_acknowledged_save_survives_a_kill() {
    let dir = temp_dir();
    let path = file_in(&dir, "kill.db");
    let (store, id) = store_with_patient(&path);
    drop(store);
    let mut rng = fastrand::Rng::with_seed(20261125);
    let first_day = day("2000-01-01");
    let mut acknowledged_total = 0usize;
    let rounds = 60;
    for round in 0..rounds {
        let start = first_day + chrono::Days::new(round * 5000);
        let mut child = Command::new(env!("CARGO_BIN_EXE_recovery-tracker"))
            .args([
                "stress-save",
                "--db",
                path_str(&path),
                "--patient",
                &id.0.to_string(),
            ])
            .args(["--start", &start.to_string(), "--count", "4000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        std::thread::sleep(Duration::from_millis(rng.u64(30..250)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let mut printed = String::new();
        child
            .stdout
            .take()
            .expect("piped")
            .read_to_string(&mut printed)
            .expect("read what it printed");
        // A line without its newline was being printed when the kill came.
        let acknowledged: Vec<&str> = printed
            .split_inclusive('\n')
            .filter(|l| l.ends_with('\n'))
            .collect();
        let store = Store::open_read_only(&path).expect("the file opens after a kill");
        assert!(
            store.integrity_problems().expect("check").is_empty(),
            "round {round}"
        );
        for line in &acknowledged {
            let saved = day(line.trim());
            assert!(
                store.check_in(id, saved).expect("read").is_some(),
                "round {round}: {saved} was acknowledged but is not in the file"
            );
        }
        acknowledged_total += acknowledged.len();
    }
    assert!(
        acknowledged_total > rounds as usize,
        "the writer saved something in most rounds"
    );
    println!("{rounds} kills, {acknowledged_total} acknowledged saves, 0 lost");
}

#[test]
fn a_second_writer_is_refused_while_the_first_is_open() {
    let dir = temp_dir();
    let path = file_in(&dir, "busy.db");
    let (first, _) = store_with_patient(&path);
    let err = Store::open(&path)
        .err()
        .expect("a second writer is refused");
    assert!(matches!(err, StoreError::InUse { .. }), "{err}");
    assert!(
        err.to_string().contains("already open in another window"),
        "{err}"
    );
    // Reading beside it is fine.
    assert_eq!(
        Store::open_read_only(&path)
            .expect("reader")
            .counts()
            .expect("counts")
            .patients,
        1
    );
    // The CLI says the same in one line, for a file it could otherwise
    // import: only the lock stands in the way.
    let csv = file_in(&dir, "good.csv");
    std::fs::write(
        &csv,
        "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note\n\
         1,2026-11-20,4,2,20,30,6,0,,\n",
    )
    .expect("csv");
    let output = run(&["import", "--db", path_str(&path), path_str(&csv)]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("already open"), "{stderr}");
    drop(first);
    assert_eq!(
        Store::open_read_only(&path)
            .expect("reader")
            .counts()
            .expect("counts")
            .check_ins,
        0,
        "the refused import wrote nothing"
    );
    // Without the first writer the same import goes through, so the
    // refusal above was the lock's doing.
    let output = run(&["import", "--db", path_str(&path), path_str(&csv)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        Store::open(&path).is_ok(),
        "the lock goes with the first writer"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_file_opens_read_only_and_refuses_saves_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let path = file_in(&dir, "ro.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-20", 4))
        .expect("save");
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = std::fs::read(&path).expect("read");
    let mut store = Store::open(&path).expect("opens read-only");
    assert!(
        store
            .read_only_reason()
            .is_some_and(|r| r.contains("read-only"))
    );
    let err = store
        .save_check_in(id, &check_in("2026-11-21", 4))
        .expect_err("no saving");
    assert!(matches!(err, StoreError::ReadOnly), "{err}");
    assert_eq!(store.check_ins(id).expect("read").len(), 1, "reading works");
    drop(store);
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the file is unchanged"
    );

    // A read-only folder likewise.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let folder = dir.path().join("locked");
    std::fs::create_dir(&folder).expect("mkdir");
    let inner = folder.join("r.db");
    drop(store_with_patient(&inner));
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let store = Store::open(&inner).expect("opens read-only");
    assert!(
        store
            .read_only_reason()
            .is_some_and(|r| r.contains("folder")),
        "{:?}",
        store.read_only_reason()
    );
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
}

#[test]
fn a_full_disk_stores_nothing_partial_and_says_so() {
    let dir = temp_dir();
    let path = file_in(&dir, "full.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-10-02", 4))
        .expect("save");
    let pages: u32 = std::fs::metadata(&path)
        .map(|m| (m.len() / 4096) as u32)
        .expect("size");
    store.limit_pages_for_testing(pages.max(1)).expect("limit");
    let mut big = check_in("2026-10-03", 4);
    big.note = "x".repeat(5000);
    let mut failure = None;
    for n in 0..200u64 {
        let mut c = big.clone();
        c.day = day("2026-10-03") + chrono::Days::new(n % 50);
        c.note = format!("{n}{}", "y".repeat(4990));
        if let Err(e) = store.save_check_in(id, &c) {
            failure = Some((e, c.day));
            break;
        }
    }
    let (err, failed_day) = failure.expect("the limited file fills up");
    assert!(matches!(err, StoreError::DiskFull(_)), "{err}");
    assert_eq!(err.to_string(), "the disk is full: nothing was saved");
    let stored = Store::open_read_only(&path).expect("reader");
    assert!(stored.integrity_problems().expect("check").is_empty());
    let kept = stored.check_in(id, failed_day).expect("read");
    assert!(
        kept.is_none_or(|c| c.note.len() == 4991),
        "no half-written row"
    );
}

#[test]
fn backup_and_restore_round_trip_the_content() {
    let dir = temp_dir();
    let db = file_in(&dir, "b.db");
    let db = path_str(&db);
    run_ok(&["demo", "--db", db, "--days", "60"]);
    let before = run_ok(&["export", "--db", db, "--format", "json"]);
    let copy = file_in(&dir, "copy.db");
    let out = run_ok(&["backup", "--db", db, "-o", path_str(&copy)]);
    assert!(out.contains("backed up 3 patients"), "{out}");

    // Change the database, then restore the copy.
    let csv = file_in(&dir, "more.csv");
    std::fs::write(
        &csv,
        "patient_id,day,back_pain,leg_pain,walking_minutes,sitting_minutes,sleep_quality,opioid_doses,warning_symptoms,note\n1,2026-09-26,3,2,10,10,5,0,,\n",
    )
    .expect("write");
    run_ok(&["import", "--db", db, path_str(&csv)]);
    assert_ne!(run_ok(&["export", "--db", db, "--format", "json"]), before);
    let restored = run_ok(&["restore", "--db", db, path_str(&copy)]);
    assert!(
        restored.contains("the previous content is in"),
        "{restored}"
    );
    assert_eq!(run_ok(&["export", "--db", db, "--format", "json"]), before);
    assert!(run_ok(&["check", "--db", db]).contains("integrity: ok"));
    let kinds: Vec<BackupKind> = backup::list(Path::new(db))
        .into_iter()
        .map(|b| b.kind)
        .collect();
    assert!(
        kinds.contains(&BackupKind::BeforeImport) && kinds.contains(&BackupKind::BeforeRestore),
        "{kinds:?}"
    );
}

#[test]
fn restore_refuses_a_damaged_backup_and_changes_nothing() {
    let dir = temp_dir();
    let db = file_in(&dir, "r.db");
    let db = path_str(&db);
    run_ok(&["demo", "--db", db, "--days", "30"]);
    let before = run_ok(&["export", "--db", db, "--format", "json"]);
    let bad = file_in(&dir, "bad.db");
    std::fs::write(&bad, b"SQLite format 3\0 but then nothing sensible at all").expect("write");
    let output = run(&["restore", "--db", db, path_str(&bad)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot be restored; nothing changed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(run_ok(&["export", "--db", db, "--format", "json"]), before);
}

#[test]
fn daily_and_weekly_backups_rotate() {
    let dir = temp_dir();
    let path = file_in(&dir, "rot.db");
    let (store, _) = store_with_patient(&path);
    for n in 0..40u64 {
        store
            .daily_backup(day("2026-09-01") + chrono::Days::new(n))
            .expect("backup");
    }
    // A second call on the same day makes nothing new.
    assert!(
        store
            .daily_backup(day("2026-10-10"))
            .expect("again")
            .is_empty()
    );
    let all = backup::list(&path);
    let daily: Vec<_> = all.iter().filter(|b| b.kind == BackupKind::Daily).collect();
    let weekly = all.iter().filter(|b| b.kind == BackupKind::Weekly).count();
    assert_eq!(daily.len(), 7);
    assert_eq!(weekly, 4);
    assert_eq!(daily[0].stamp, "2026-10-10", "the newest are kept");
    for b in &all {
        assert_eq!(backup::inspect(&b.path).expect("a good backup").patients, 1);
    }
}

#[test]
fn an_older_database_is_backed_up_before_it_is_migrated() {
    let dir = temp_dir();
    let path = file_in(&dir, "old.db");
    {
        // A file as version 1 of the app left it.
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
            .expect("v1 schema");
        conn.pragma_update(None, "user_version", 1)
            .expect("version");
        conn.pragma_update(
            None,
            "application_id",
            recovery_tracker::store::APPLICATION_ID,
        )
        .expect("id");
        conn.execute(
            "INSERT INTO patient (name, surgery_date, procedure, approach, levels, created_at) \
             VALUES ('Old', '2026-01-01', 'tlif', 'open', 'L4–L5', '2026-01-01T00:00:00Z')",
            [],
        )
        .expect("a patient");
    }
    let store = Store::open(&path).expect("migrates");
    assert_eq!(
        store.schema_version().expect("version"),
        recovery_tracker::store::latest_schema_version()
    );
    let before: Vec<_> = backup::list(&path)
        .into_iter()
        .filter(|b| b.kind == BackupKind::BeforeMigration)
        .collect();
    assert_eq!(before.len(), 1);
    assert!(before[0].stamp.starts_with("v1-"));
    let check = backup::inspect(&before[0].path).expect("the backup is good");
    assert_eq!((check.schema_version, check.patients), (1, 1));
}

#[test]
fn a_damaged_file_is_set_aside_and_the_newest_good_backup_put_in_place() {
    let dir = temp_dir();
    let path = file_in(&dir, "damaged.db");
    let (store, _) = store_with_patient(&path);
    store.daily_backup(today()).expect("backup");
    drop(store);
    let garbage = b"this file was overwritten by something else entirely".to_vec();
    std::fs::write(&path, &garbage).expect("damage");
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotOurs { .. })
    ));
    let (good, check) = backup::newest_good(&path).expect("a good backup");
    assert_eq!(check.patients, 1);
    let aside = backup::replace_damaged(&path, &good.path, chrono::Utc::now()).expect("replaced");
    assert_eq!(
        std::fs::read(&aside).expect("kept"),
        garbage,
        "the damaged file is kept as it was"
    );
    assert_eq!(
        Store::open(&path)
            .expect("opens")
            .counts()
            .expect("counts")
            .patients,
        1
    );
}

#[cfg(unix)]
#[test]
fn database_backups_and_exports_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    let dir = temp_dir();
    let folder = dir.path().join("new-folder");
    let path = folder.join("p.db");
    let (mut store, id) = store_with_patient(&path);
    store
        .save_check_in(id, &check_in("2026-11-20", 4))
        .expect("save");
    assert_eq!(mode(&folder), 0o700, "data folder");
    assert_eq!(mode(&path), 0o600, "database");
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    assert_eq!(mode(Path::new(&wal)), 0o600, "WAL");
    let made = store.daily_backup(today()).expect("backup");
    assert_eq!(mode(&backup::backups_dir(&path)), 0o700, "backups folder");
    for b in made {
        assert_eq!(mode(&b), 0o600, "{}", b.display());
    }
    drop(store);
    let export = folder.join("out.json");
    run_ok(&[
        "export",
        "--db",
        path_str(&path),
        "--format",
        "json",
        "-o",
        path_str(&export),
    ]);
    assert_eq!(mode(&export), 0o600, "export");
}

/// The calls that opened or connected a network socket (IPv4 and IPv6) in
/// a run of the binary, by strace; `None` where strace is not installed.
/// The run must succeed where `succeeds`.
fn network_calls_of(args: &[&str], succeeds: bool) -> Option<Vec<String>> {
    if !Path::new("/usr/bin/strace").exists() {
        assert!(
            std::env::var_os("RECOVERY_TRACKER_REQUIRE_STRACE").is_none(),
            "strace is required (RECOVERY_TRACKER_REQUIRE_STRACE is set) but /usr/bin/strace is missing"
        );
        println!("skipped: /usr/bin/strace is not installed");
        return None;
    }
    let dir = temp_dir();
    let trace = file_in(&dir, "trace");
    let output = std::process::Command::new("/usr/bin/strace")
        .args(["-f", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_recovery-tracker"))
        .args(args)
        .args(["--today", TODAY])
        .env_remove("RECOVERY_TRACKER_DB")
        .output()
        .expect("strace runs");
    assert!(
        output.status.success() || !succeeds,
        "{args:?}: {}",
        stderr(&output)
    );
    let calls = std::fs::read_to_string(&trace).expect("trace");
    Some(
        calls
            .lines()
            .filter(|l| l.contains("AF_INET"))
            .map(str::to_owned)
            .collect(),
    )
}

/// Nothing leaves the computer unless a person asks: no command but
/// `sync push` and `sync pull` opens a network socket, and they open one
/// only to the server they are given.
#[test]
fn no_command_opens_a_network_socket_unless_asked() {
    let dir = temp_dir();
    let path = file_in(&dir, "net.db");
    let db = path_str(&path);
    let export = file_in(&dir, "out.json");
    let report = file_in(&dir, "out.pdf");
    let commands: [&[&str]; 8] = [
        &["demo", "--db", db, "--patients", "2", "--days", "40"],
        &["check", "--db", db],
        &["status", "--db", db, "--patient", "1"],
        &[
            "export",
            "--db",
            db,
            "--format",
            "fhir",
            "--patient",
            "1",
            "-o",
            path_str(&export),
        ],
        &[
            "report",
            "--db",
            db,
            "--patient",
            "1",
            "-o",
            path_str(&report),
        ],
        &["backup", "--db", db],
        &["expected", "--db", db, "--patient", "1", "--days", "90"],
        // A dry run of a push says what it would send and sends nothing.
        &[
            "sync",
            "push",
            "--db",
            db,
            "--patient",
            "1",
            "--server",
            "http://127.0.0.1:9",
            "--dry-run",
        ],
    ];
    for args in commands {
        let Some(sockets) = network_calls_of(args, true) else {
            return;
        };
        assert!(sockets.is_empty(), "{args:?} opened {sockets:?}");
    }
    // Asked, a push or a pull connects to the server given, and nowhere
    // else (here nothing answers there).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let server = format!("http://127.0.0.1:{port}");
    let asked: [&[&str]; 2] = [
        &[
            "sync",
            "push",
            "--db",
            db,
            "--patient",
            "1",
            "--server",
            &server,
        ],
        &[
            "sync",
            "pull",
            "--db",
            db,
            "--patient-identifier",
            "1",
            "--server",
            &server,
        ],
    ];
    for args in asked {
        let Some(calls) = network_calls_of(args, false) else {
            return;
        };
        let connects: Vec<&String> = calls.iter().filter(|l| l.contains("connect(")).collect();
        assert!(!connects.is_empty(), "{args:?} tries to connect");
        for call in connects {
            assert!(
                call.contains(&format!("htons({port})")) && call.contains("127.0.0.1"),
                "{args:?}: {call}"
            );
        }
    }
}

/// Files in the backups folder: (final names, half-made copies).
fn backup_files(db: &Path) -> (Vec<std::path::PathBuf>, Vec<std::path::PathBuf>) {
    let mut finals = Vec::new();
    let mut partials = Vec::new();
    if let Ok(entries) = std::fs::read_dir(backup::backups_dir(db)) {
        for entry in entries.map(|e| e.expect("entry")) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                partials.push(entry.path());
            } else {
                finals.push(entry.path());
            }
        }
    }
    (finals, partials)
}

#[test]
fn a_daily_backup_killed_midway_leaves_no_partial_file_under_a_final_name() {
    let dir = temp_dir();
    let path = file_in(&dir, "big.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "60",
        "--days",
        "730",
    ]);
    let mut stopped_midway = 0;
    let mut partials_left = 0;
    for round in 0..40u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_recovery-tracker"))
            .args(["backup", "--daily", "--db", path_str(&path)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the backup");
        std::thread::sleep(Duration::from_millis(round * 2));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let (finals, partials) = backup_files(&path);
        partials_left += partials.len();
        if finals.len() < 2 {
            stopped_midway += 1;
        }
        for file in &finals {
            let check = backup::inspect(file)
                .unwrap_or_else(|e| panic!("round {round}: {} is not whole: {e}", file.display()));
            assert_eq!(check.patients, 60, "round {round}: {}", file.display());
        }
        let store = Store::open_read_only(&path).expect("the database opens after a kill");
        assert!(
            store.integrity_problems().expect("check").is_empty(),
            "round {round}"
        );
        drop(store);
        // The next day: the daily copies are due again; half-made ones stay
        // for the next run to discard.
        for file in finals {
            std::fs::remove_file(file).expect("remove");
        }
    }
    assert!(
        stopped_midway > 0,
        "some kills must land before the backup finished, or this tests nothing"
    );
    println!(
        "40 kills, {stopped_midway} before the copies were whole, {partials_left} half-made copies seen"
    );

    run_ok(&["backup", "--daily", "--db", path_str(&path)]);
    let (finals, partials) = backup_files(&path);
    assert_eq!(finals.len(), 2, "today's daily and this week's weekly");
    assert!(
        partials.is_empty(),
        "half-made copies are discarded: {partials:?}"
    );
    for file in &finals {
        assert_eq!(backup::inspect(file).expect("whole").patients, 60);
    }
}

#[test]
fn a_save_during_a_background_backup_is_kept_and_the_backup_is_whole() {
    let dir = temp_dir();
    let path = file_in(&dir, "busy.db");
    run_ok(&[
        "demo",
        "--db",
        path_str(&path),
        "--patients",
        "40",
        "--days",
        "730",
    ]);
    let mut store = Store::open(&path).expect("open");
    let id = store.patients().expect("patients")[0].id;
    let db = path.clone();
    let copying = std::thread::spawn(move || backup::daily_backup_of(&db, today()));
    let mut saved = Vec::new();
    let mut on = day("2030-01-01");
    // Saves go on while the copy runs, and at least a few of them.
    while !copying.is_finished() || saved.len() < 5 {
        store
            .save_check_in(id, &check_in(&on.to_string(), 3))
            .expect("a save during the backup is not refused");
        saved.push(on);
        on = on + chrono::Days::new(1);
    }
    let made = copying
        .join()
        .expect("joined")
        .expect("the backup completes");
    assert_eq!(made.len(), 2);
    for file in &made {
        let copy = backup::inspect(file).expect("the backup is whole");
        assert_eq!(copy.patients, 40);
    }
    for d in saved {
        assert!(store.check_in(id, d).expect("read").is_some(), "{d} kept");
    }
}

#[test]
fn a_damaged_file_is_not_copied_over_the_good_backups() {
    let dir = temp_dir();
    let (bytes, damaged) = demo_with_a_damaged_page();
    let path = file_in(&dir, "d.db");
    std::fs::write(&path, &damaged).expect("write");
    // Last week's good copy, which rotation would remove in time.
    let good = backup::backups_dir(&path).join("d-daily-2026-11-01.db");
    std::fs::create_dir_all(good.parent().expect("folder")).expect("folder");
    std::fs::write(&good, &bytes).expect("a good backup");

    let error = backup::daily_backup_of(&path, today()).expect_err("refused");
    assert!(error.to_string().contains("damaged"), "{error}");
    let (finals, partials) = backup_files(&path);
    assert_eq!(finals, vec![good.clone()], "no copy of the damaged file");
    assert!(partials.is_empty());
    assert_eq!(
        std::fs::read(&good).expect("read"),
        bytes,
        "the good one kept"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        damaged,
        "nothing written"
    );
}

/// A disk that fills while a new database is being made: a real, tiny
/// filesystem (tmpfs in a private mount namespace: `unshare -m` as root,
/// `unshare -rm` otherwise). Every size from "nothing fits" to "the file
/// fits but its first check-ins do not" must say the disk is full, in
/// words, and leave nothing behind: no half-made database under its name,
/// no temporary file, journal, log or index.
#[test]
fn a_disk_that_fills_while_creating_says_so_and_leaves_nothing() {
    let dir = temp_dir();
    let mount = file_in(&dir, "small-disk");
    std::fs::create_dir_all(&mount).expect("mount point");
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    for size in ["8k", "16k", "32k", "64k", "96k", "128k"] {
        let script = format!(
            "mount -t tmpfs -o size={size} tmpfs '{m}' || exit 90; \
             '{bin}' --db '{m}/new.db' --today 2026-11-26 demo --patients 1 --days 5; \
             echo \"rc=$?\"; ls -A '{m}'",
            m = mount.display(),
            bin = env!("CARGO_BIN_EXE_recovery-tracker"),
        );
        let mut unshare = std::process::Command::new("unshare");
        unshare.arg(if root { "-m" } else { "-rm" });
        let output = unshare
            .args(["sh", "-c", &script])
            .output()
            .expect("unshare runs (util-linux)");
        let (out, err) = (stdout(&output), stderr(&output));
        assert_ne!(
            output.status.code(),
            Some(90),
            "a small filesystem could not be mounted: this test needs `unshare` and mount rights: {err}"
        );
        assert!(out.starts_with("rc=1"), "{size}: refused: {out} {err}");
        assert!(err.contains("the disk is full"), "{size}: {err}");
        for noise in ["disk I/O error", "CREATE", "migration"] {
            assert!(!err.contains(noise), "{size}: {err}");
        }
        let left: Vec<&str> = out.lines().skip(1).collect();
        assert!(left.is_empty(), "{size}: left behind {left:?}");
    }
}

/// The backup put in place of a damaged file is already in WAL mode (its
/// first opening rewrites nothing), and a rollback journal left by the
/// damaged file goes aside with it: SQLite would otherwise roll the damaged
/// file's pages into the good copy.
#[test]
fn the_backup_put_in_place_is_ready_and_no_journal_of_the_damaged_file_stays() {
    let dir = temp_dir();
    let path = file_in(&dir, "d.db");
    let (store, _) = store_with_patient(&path);
    store.daily_backup(today()).expect("backup");
    drop(store);
    std::fs::write(&path, b"damaged").expect("damage");
    let journal = format!("{}-journal", path_str(&path));
    std::fs::write(&journal, b"a journal of the damaged file").expect("journal");
    let (good, _) = backup::newest_good(&path).expect("a good backup");
    let aside = backup::replace_damaged(&path, &good.path, chrono::Utc::now()).expect("replaced");
    assert!(
        !Path::new(&journal).exists(),
        "no journal beside the good copy"
    );
    assert_eq!(
        std::fs::read(format!("{}-journal", aside.display())).expect("kept aside"),
        b"a journal of the damaged file"
    );
    let bytes = std::fs::read(&path).expect("read");
    assert_eq!(&bytes[18..20], &[2, 2], "WAL mode in the header");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    let store = Store::open(&path).expect("opens");
    assert_eq!(store.counts().expect("counts").patients, 1);
}

/// A crash right after a migration leaves the migration's commit in the log
/// beside the file. That log is the file's own: opening it again, and the
/// day's read-only check before its backup, must accept it, not call it "a
/// log that does not belong" and shut the person out.
#[test]
fn a_log_left_by_a_crash_right_after_a_migration_is_the_files_own() {
    let dir = temp_dir();
    let path = file_in(&dir, "v9.db");
    version_9_database(&path);
    let store = Store::open(&path).expect("migrates");
    // The file and its log as a crash at this moment leaves them.
    let crash = temp_dir();
    let image = file_in(&crash, "v9.db");
    std::fs::copy(&path, &image).expect("file");
    let wal = format!("{}-wal", path_str(&path));
    assert!(
        std::fs::metadata(&wal).expect("a log").len() > 0,
        "the migration is still in the log"
    );
    std::fs::copy(&wal, format!("{}-wal", path_str(&image))).expect("log");
    drop(store);
    let backed_up = backup::daily_backup_of(&image, today());
    assert!(backed_up.is_ok(), "the day's check: {backed_up:?}");
    let reopened = Store::open(&image).expect("the log is the file's own");
    let counts = reopened.counts().expect("counts");
    assert_eq!((counts.patients, counts.check_ins), (3, 4));
    assert_eq!(
        reopened.schema_version().expect("version"),
        recovery_tracker::store::latest_schema_version()
    );
}
