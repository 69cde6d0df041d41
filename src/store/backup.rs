//! Copies of the database made with `SQLite`'s online backup API: daily and
//! weekly, before every migration, import and restore, and on request.
//! They live in `backups/` beside the database, readable by the owner only.

use super::{Result, Store, StoreError, files, migrate_to_latest};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, MAIN_DB};
use std::path::{Path, PathBuf};

/// How many of each kind are kept.
const KEEP_DAILY: usize = 7;
const KEEP_WEEKLY: usize = 4;
const KEEP_OTHER: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    Daily,
    Weekly,
    BeforeMigration,
    BeforeImport,
    BeforeRestore,
    Manual,
}

impl BackupKind {
    const ALL: [BackupKind; 6] = [
        BackupKind::Daily,
        BackupKind::Weekly,
        BackupKind::BeforeMigration,
        BackupKind::BeforeImport,
        BackupKind::BeforeRestore,
        BackupKind::Manual,
    ];

    fn tag(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Weekly => "weekly",
            BackupKind::BeforeMigration => "before-migration",
            BackupKind::BeforeImport => "before-import",
            BackupKind::BeforeRestore => "before-restore",
            BackupKind::Manual => "manual",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Weekly => "weekly",
            BackupKind::BeforeMigration => "before an update",
            BackupKind::BeforeImport => "before an import",
            BackupKind::BeforeRestore => "before a restore",
            BackupKind::Manual => "made by hand",
        }
    }
}

/// A backup file found beside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub kind: BackupKind,
    /// The date or time in its name, e.g. "2026-11-25" or "20261125T093000".
    pub stamp: String,
}

impl BackupFile {
    /// When it was made, in words and local time: "Wed 25 Nov 2026",
    /// "the week of Mon 23 Nov 2026", "Wed 25 Nov 2026, 10:30".
    pub fn when(&self) -> String {
        if let Ok(day) = NaiveDate::parse_from_str(&self.stamp, "%Y-%m-%d") {
            return crate::words::weekday_date(day);
        }
        if let Some((year, week)) = self.stamp.split_once("-W")
            && let (Ok(year), Ok(week)) = (year.parse(), week.parse())
            && let Some(monday) = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
        {
            return format!("the week of {}", crate::words::weekday_date(monday));
        }
        // "v3-20261125T093000.123Z-2": the version, the moment, a counter.
        let moment = self
            .stamp
            .split('-')
            .find(|part| part.len() >= 15 && part.as_bytes().get(8) == Some(&b'T'))
            .unwrap_or(&self.stamp);
        let utc = chrono::NaiveDateTime::parse_from_str(moment, "%Y%m%dT%H%M%S%.3fZ")
            .or_else(|_old_name| chrono::NaiveDateTime::parse_from_str(moment, "%Y%m%dT%H%M%S"));
        match utc {
            Ok(t) => t
                .and_utc()
                .with_timezone(&chrono::Local)
                .format("%a %-d %b %Y, %H:%M")
                .to_string(),
            Err(_unknown) => self.stamp.clone(),
        }
    }

    /// "Wed 25 Nov 2026, 10:30 — before an import".
    pub fn label(&self) -> String {
        format!("{} — {}", self.when(), self.kind.words())
    }
}

pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
}

fn stem(db: &Path) -> String {
    db.file_stem().map_or_else(
        || "recovery-tracker".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn file_for(db: &Path, kind: BackupKind, stamp: &str) -> PathBuf {
    backups_dir(db).join(format!("{}-{}-{stamp}.db", stem(db), kind.tag()))
}

/// A moment in UTC, to the millisecond, as it appears in file names.
fn time_stamp(now: DateTime<Utc>) -> String {
    now.format("%Y%m%dT%H%M%S%.3fZ").to_string()
}

/// Copies every page of `conn`'s database into the (new, empty) file at
/// `dest` in one step of SQLite's online backup: one read transaction, so
/// the copy is one consistent moment. In WAL mode a writer on another
/// connection is not blocked meanwhile, and unlike a copy in many small
/// steps, its saves do not restart the copy from the beginning.
fn copy_pages(conn: &Connection, dest: &Path) -> Result<()> {
    use rusqlite::backup::{Backup, StepResult};
    let mut copy = Connection::open(dest)?;
    let backup = Backup::new(conn, &mut copy).map_err(StoreError::BackupSqlite)?;
    // Busy only while another connection recovers the log: moments.
    for _attempt in 0..50 {
        match backup.step(-1).map_err(StoreError::BackupSqlite)? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            _ => {}
        }
    }
    Err(StoreError::Backup {
        what: "the database stayed busy for 5 seconds".to_owned(),
        source: std::io::Error::from(std::io::ErrorKind::WouldBlock),
    })
}

/// Copies a live connection's database into a new file at `dest`, through
/// a temporary file (created exclusively, private) in the same folder, so
/// a backup file is always whole and never replaces another. When `dest`
/// is taken, `-2`, `-3`, … are tried before the extension; returns the name
/// used.
pub fn copy_connection(conn: &Connection, dest: &Path) -> Result<PathBuf> {
    copy_as(conn, dest, Journal::SelfContained)
}

/// How a copy keeps its journal.
#[derive(Clone, Copy)]
enum Journal {
    /// A backup: one file, never a log beside it (a copy in WAL mode would
    /// grow `-wal` and `-shm` files whenever it is read).
    SelfContained,
    /// The live database: already in WAL mode when it gets its name, so its
    /// first opening changes nothing (switching then would go through a
    /// rollback journal that a crash could leave behind, hot).
    Live,
}

fn copy_as(conn: &Connection, dest: &Path, journal: Journal) -> Result<PathBuf> {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let io_error = |what: String| move |source| StoreError::Backup { what, source };
    if !dir.exists() {
        files::create_private_dir(dir).map_err(io_error(format!(
            "cannot create the folder {}",
            dir.display()
        )))?;
    }
    let name = dest
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(io_error(format!(
            "cannot create a file in {}",
            dir.display()
        )))?;
    copy_pages(conn, temp.path())?;
    {
        let copy = Connection::open(temp.path())?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        // The copy answers to an identity of its own (see `set_identity`).
        super::open::set_identity(&copy, None)?;
        if let Journal::Live = journal {
            // Held alone, the log's index stays in memory (no `-shm`).
            copy.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
            copy.pragma_update(None, "journal_mode", "WAL")?;
        }
        // Closing moves a log's content into the file and removes it.
        copy.close().map_err(|(_, e)| StoreError::from(e))?;
        // Nothing of SQLite's may stay beside it under a temporary name.
        super::open::remove_sidecars(temp.path());
    }
    temp.as_file()
        .sync_all()
        .map_err(io_error(format!("cannot sync {}", temp.path().display())))?;
    let mut temp = temp;
    for n in 1..=100 {
        let candidate = if n == 1 {
            dest.to_path_buf()
        } else {
            let stem = dest
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let ext = dest
                .extension()
                .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
            dir.join(format!("{stem}-{n}{ext}"))
        };
        match temp.persist_noclobber(&candidate) {
            Ok(_) => {
                files::sync_folder(dir)
                    .map_err(io_error(format!("cannot sync {}", dir.display())))?;
                return Ok(candidate);
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => temp = e.file,
            Err(e) => {
                return Err(io_error(format!("cannot name {}", candidate.display()))(
                    e.error,
                ));
            }
        }
    }
    Err(StoreError::Backup {
        what: format!("{} and 99 others like it already exist", dest.display()),
        source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    })
}

pub(super) fn before_migration(conn: &Connection, db: &Path, version: u32) -> Result<PathBuf> {
    let dest = file_for(
        db,
        BackupKind::BeforeMigration,
        &format!("v{version}-{}", time_stamp(Utc::now())),
    );
    let made = copy_connection(conn, &dest)?;
    rotate(db);
    Ok(made)
}

/// The daily backup of `today` and the weekly one of its week, by name.
fn daily_and_weekly(db: &Path, today: NaiveDate) -> [PathBuf; 2] {
    let week = today.iso_week();
    [
        file_for(db, BackupKind::Daily, &today.format("%Y-%m-%d").to_string()),
        file_for(
            db,
            BackupKind::Weekly,
            &format!("{}-W{:02}", week.year(), week.week()),
        ),
    ]
}

/// Whether today's daily or this week's weekly backup is still to be made.
pub fn daily_due(db: &Path, today: NaiveDate) -> bool {
    daily_and_weekly(db, today).iter().any(|f| !f.exists())
}

/// Makes the daily and weekly backups that do not exist yet, from `conn`.
fn make_daily(conn: &Connection, db: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
    let mut made = Vec::new();
    for dest in daily_and_weekly(db, today) {
        if !dest.exists() {
            made.push(copy_connection(conn, &dest)?);
        }
    }
    if !made.is_empty() {
        rotate(db);
    }
    Ok(made)
}

/// Today's daily backup (and this week's weekly one) unless they exist,
/// read through a connection of its own that cannot change the database:
/// what the window runs on a background thread after its first frame.
/// SQLite's quick check of the whole file comes first: a damaged file is
/// reported and not copied. Copies that a stopped run left half-made (the
/// app quit or was killed; they never carry a final name) are discarded
/// first. The caller holds
/// the database's writer lock, so no other daily backup is under way.
pub fn daily_backup_of(db: &Path, today: NaiveDate) -> Result<Vec<PathBuf>> {
    if !daily_due(db, today) {
        return Ok(Vec::new());
    }
    discard_unfinished_daily(db);
    let conn = super::open::inspector(db, false)?;
    // The day's check of the whole file, off the start-up path. A damaged
    // file is not copied: its copies would rotate the good ones away.
    let problems = super::open::quick_check(&conn)?;
    if !problems.is_empty() {
        return Err(super::open::damaged(db, &problems));
    }
    make_daily(&conn, db, today)
}

/// Deletes half-made daily and weekly copies, `.NAME-daily-….partial`, with
/// the journal files SQLite may have left beside them (`.partial-journal`).
fn discard_unfinished_daily(db: &Path) {
    let Ok(entries) = std::fs::read_dir(backups_dir(db)) else {
        return;
    };
    let prefixes = [BackupKind::Daily, BackupKind::Weekly]
        .map(|kind| format!(".{}-{}-", stem(db), kind.tag()));
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.contains(".partial") && prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            // One that cannot be deleted is merely left; it has no final name.
            std::fs::remove_file(entry.path()).ok();
        }
    }
}

/// The backups of a database, newest first within each kind.
pub fn list(db: &Path) -> Vec<BackupFile> {
    let prefix = format!("{}-", stem(db));
    let Ok(entries) = std::fs::read_dir(backups_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<BackupFile> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?.strip_suffix(".db")?;
            BackupKind::ALL.into_iter().find_map(|kind| {
                let stamp = rest.strip_prefix(kind.tag())?.strip_prefix('-')?;
                Some(BackupFile {
                    path: e.path(),
                    kind,
                    stamp: stamp.to_owned(),
                })
            })
        })
        .collect();
    found.sort_by(|a, b| b.stamp.cmp(&a.stamp));
    found
}

/// Deletes the oldest backups beyond what is kept of each kind.
/// Removes the backups of `db` beyond those kept of each kind.
pub fn rotate_backups(db: &Path) {
    rotate(db);
}

fn rotate(db: &Path) {
    let all = list(db);
    for kind in BackupKind::ALL {
        let keep = match kind {
            BackupKind::Daily => KEEP_DAILY,
            BackupKind::Weekly => KEEP_WEEKLY,
            _ => KEEP_OTHER,
        };
        for old in all.iter().filter(|b| b.kind == kind).skip(keep) {
            if std::fs::remove_file(&old.path).is_err() {
                // A backup that cannot be deleted is merely kept.
            }
        }
    }
}

/// What a backup file holds, checked before it is restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupCheck {
    pub schema_version: u32,
    pub patients: u64,
    pub check_ins: u64,
}

/// Checks a file, without changing it, before it is restored: one of ours
/// with exactly the schema its version should have (no extra table,
/// trigger or view, no missing constraint), not newer than this version,
/// and passing SQLite's full integrity check. The rows themselves are
/// checked as an import's are by `exchange::restore`.
pub fn inspect(path: &Path) -> Result<BackupCheck> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => {
            return Err(StoreError::NotAFile {
                path: path.to_owned(),
            });
        }
        Err(source) => {
            return Err(StoreError::Open {
                path: path.to_owned(),
                what: "cannot read it".to_owned(),
                source: Some(source),
            });
        }
    }
    let conn = super::open::inspector(path, false)?;
    let inspection = super::open::inspect_header_and_schema(&conn, path)?;
    // The app writes UTF-8 only, and says so in the header (bytes 56–59:
    // 1). SQLite reads an unknown value there as UTF-8, but restoring such
    // a first page into the live file leaves its connection unable to read
    // anything, so the header's own word is checked.
    let mut header = [0u8; 100];
    let header_read =
        std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header));
    if header_read.is_err() || header[56..60] != [0, 0, 0, 1] {
        return Err(super::open::damaged(
            path,
            &["its text encoding is not UTF-8, the only one this app writes".to_owned()],
        ));
    }
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let mut problems: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|line| line != "ok")
        .collect();
    // The integrity check does not look at foreign keys.
    problems.extend(super::open::foreign_key_problems(&conn)?);
    if !problems.is_empty() {
        return Err(super::open::damaged(path, &problems));
    }
    let count = |table: &str| -> Result<u64> {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        Ok(n.unsigned_abs())
    };
    Ok(BackupCheck {
        schema_version: inspection.version,
        patients: count("patient")?,
        check_ins: count("check_in")?,
    })
}

/// The newest backup that passes [`inspect`], for recovering a damaged file.
pub fn newest_good(db: &Path) -> Option<(BackupFile, BackupCheck)> {
    let mut all: Vec<(std::time::SystemTime, BackupFile)> = list(db)
        .into_iter()
        .filter_map(|b| {
            Some((
                std::fs::metadata(&b.path).and_then(|m| m.modified()).ok()?,
                b,
            ))
        })
        .collect();
    all.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    all.into_iter()
        .find_map(|(_, b)| inspect(&b.path).ok().map(|check| (b, check)))
}

/// Moves a damaged database (and its WAL and SHM files) aside, never
/// overwriting it, and puts a copy of `backup` in its place.
pub fn replace_damaged(db: &Path, backup: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    inspect(backup)?;
    let mut aside = db.as_os_str().to_owned();
    aside.push(format!(".damaged-{}", time_stamp(now)));
    let aside = PathBuf::from(aside);
    // A journal too: left beside the backup put in place, SQLite would roll
    // the damaged file's pages into it.
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut from = db.as_os_str().to_owned();
        from.push(suffix);
        let mut to = aside.as_os_str().to_owned();
        to.push(suffix);
        if Path::new(&from).exists() {
            std::fs::rename(&from, &to).map_err(|source| StoreError::Backup {
                what: format!("cannot move {} aside", Path::new(&from).display()),
                source,
            })?;
        }
    }
    let source = super::open::inspector(backup, false)?;
    copy_as(&source, db, Journal::Live)?;
    Ok(aside)
}

/// Copies a database file (with SQLite's backup API, read through a
/// connection that cannot change it) to a new file.
pub fn copy_file(source: &Path, dest: &Path) -> Result<PathBuf> {
    let conn = super::open::inspector(source, false)?;
    copy_connection(&conn, dest)
}

/// Renames a write-ahead log (and its index) that does not belong to the
/// database beside it, so the database opens as it was last saved whole.
/// Nothing is deleted; returns the log's new name.
pub fn set_log_aside(db: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    let wal = super::open::sibling(db, "-wal");
    let aside = super::open::sibling(&wal, &format!(".not-used-{}", time_stamp(now)));
    std::fs::rename(&wal, &aside).map_err(|source| StoreError::Backup {
        what: format!("cannot rename {}", wal.display()),
        source,
    })?;
    let shm = super::open::sibling(db, "-shm");
    if shm.exists() {
        // The index describes the old log; SQLite rebuilds it.
        std::fs::rename(&shm, super::open::sibling(&aside, "-shm")).ok();
    }
    Ok(aside)
}

impl Store {
    /// Copies the database to `dest`, a new file readable by its owner; an
    /// existing file is never replaced.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::Backup {
                what: format!("{} already exists: choose a new file name", dest.display()),
                source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
            });
        }
        let made = copy_connection(&self.conn, dest)?;
        if made != dest {
            // Someone else made `dest` meanwhile; ours is not wanted there.
            std::fs::remove_file(&made).ok();
            return Err(StoreError::Backup {
                what: format!("{} already exists: choose a new file name", dest.display()),
                source: std::io::Error::from(std::io::ErrorKind::AlreadyExists),
            });
        }
        Ok(())
    }

    /// A backup of a given kind in the backups folder, under a name no
    /// other backup has.
    pub fn backup_now(&self, kind: BackupKind, now: DateTime<Utc>) -> Result<PathBuf> {
        let made = self.backup_before_rotation(kind, now)?;
        rotate(&self.path);
        Ok(made)
    }

    /// [`Store::backup_now`] without removing old backups: for a change
    /// that may still fail, which calls [`rotate_backups`] once it happened
    /// (so rotation never removes a backup for a change that did not).
    pub fn backup_before_rotation(&self, kind: BackupKind, now: DateTime<Utc>) -> Result<PathBuf> {
        let dest = file_for(&self.path, kind, &time_stamp(now));
        copy_connection(&self.conn, &dest)
    }

    /// Today's daily backup (and this week's weekly one) unless they exist;
    /// returns the files it made. The window makes them in the background
    /// instead (`daily_backup_of`).
    pub fn daily_backup(&self, today: NaiveDate) -> Result<Vec<PathBuf>> {
        make_daily(&self.conn, &self.path, today)
    }

    /// Replaces the database's content with a backup's, after checking the
    /// backup and backing up the current content. Returns that safety copy.
    pub fn restore_from(&mut self, source: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
        if self.read_only.is_some() {
            return Err(StoreError::ReadOnly);
        }
        inspect(source)?;
        let safety = self.backup_now(BackupKind::BeforeRestore, now)?;
        let own_identity = super::open::identity_of(&self.conn);
        self.conn
            .restore(MAIN_DB, source, None::<fn(rusqlite::backup::Progress)>)
            .map_err(StoreError::BackupSqlite)?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        migrate_to_latest(&mut self.conn)?;
        super::open::set_identity(&self.conn, own_identity.as_deref())?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.wrote();
        Ok(safety)
    }
}
