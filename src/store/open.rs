//! Opening a database without ever harming a file that is not ours or is
//! damaged. The order matters:
//!
//! 1. the path is made canonical, so a symlink or another relative path to
//!    the same file is the same file;
//! 2. a missing (or empty) file is created under a temporary name, fully
//!    migrated and stamped, synced, then renamed into place, so a crash
//!    while creating never leaves a half-made file under the real name;
//! 3. the writer takes an operating-system lock on the database file itself
//!    (deleting a lock file cannot defeat it);
//! 4. the file is checked through a connection that cannot write (read-only,
//!    no checkpoint on close): the header, the schema against the one this
//!    version creates, and, when a write-ahead log is beside it, SQLite's
//!    quick check with and without that log;
//! 5. only then is the writable connection opened, and the file backed up
//!    before a migration.

use super::{
    APPLICATION_ID, Result, Store, StoreError, backup, files, migrate_to_latest, migrations,
};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The schema version this build writes: the number of migrations.
pub fn latest_schema_version() -> u32 {
    super::MIGRATION_SQL.len() as u32
}

/// Files this process holds open for writing, by (device, inode). A second
/// open of the same file in this process is refused without opening it
/// again: closing a second descriptor of a file would drop the POSIX locks
/// SQLite holds on it.
fn held_by_this_process() -> &'static Mutex<HashSet<(u64, u64)>> {
    static HELD: OnceLock<Mutex<HashSet<(u64, u64)>>> = OnceLock::new();
    HELD.get_or_init(|| Mutex::new(HashSet::new()))
}

/// The writer's lock: the database file itself, locked with the operating
/// system's advisory lock (`flock` on Unix) for as long as the store is
/// open. Released by the operating system when the process ends.
pub(super) struct WriterLock {
    /// Held, never read: the lock goes with this descriptor.
    _file: std::fs::File,
    key: Option<(u64, u64)>,
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        if let Some(key) = self.key
            && let Ok(mut held) = held_by_this_process().lock()
        {
            held.remove(&key);
        }
    }
}

/// The device and inode of the file at `path` now.
fn file_at(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().as_ref().and_then(file_key)
}

#[cfg(unix)]
fn file_key(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_key(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// What taking the writer's lock found.
enum Locked {
    Yes(WriterLock),
    /// The file or its folder cannot be written (read-only mount, no
    /// permission): open it for reading instead.
    CannotWrite(String),
}

fn lock_database(path: &Path) -> Result<Locked> {
    let open_error = |what: &str, source| StoreError::Open {
        path: path.to_owned(),
        what: what.to_owned(),
        source: Some(source),
    };
    let meta =
        std::fs::metadata(path).map_err(|e| open_error("cannot read the file's details", e))?;
    let key = file_key(&meta);
    // Checked before opening a second descriptor, which must never be
    // closed while SQLite holds locks on the file in this process.
    if let Some(key) = key {
        let mut held = held_by_this_process()
            .lock()
            .map_err(|_poisoned| StoreError::InUse {
                path: path.to_owned(),
            })?;
        if !held.insert(key) {
            return Err(StoreError::InUse {
                path: path.to_owned(),
            });
        }
    }
    let release = || {
        if let (Some(key), Ok(mut held)) = (key, held_by_this_process().lock()) {
            held.remove(&key);
        }
    };
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) => {
            release();
            return match (e.kind(), e.raw_os_error()) {
                (std::io::ErrorKind::PermissionDenied, _) => Ok(Locked::CannotWrite(
                    "the database file cannot be written to".to_owned(),
                )),
                // EROFS: a read-only file system.
                (_, Some(30)) => Ok(Locked::CannotWrite(
                    "the database is on a read-only disk".to_owned(),
                )),
                _ => Err(open_error("cannot open the file", e)),
            };
        }
    };
    match file.try_lock() {
        Ok(()) => Ok(Locked::Yes(WriterLock { _file: file, key })),
        Err(std::fs::TryLockError::WouldBlock) => {
            release();
            Err(StoreError::InUse {
                path: path.to_owned(),
            })
        }
        Err(std::fs::TryLockError::Error(source)) => {
            release();
            Err(open_error("cannot lock the file", source))
        }
    }
}

/// The path in its one canonical form: symlinks resolved, relative parts
/// gone, so every way of naming the file locks and backs up the same file.
/// The folder is created (private) if it is missing.
pub(super) fn canonical(path: &Path) -> Result<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Ok(real);
    }
    let name = path.file_name().ok_or_else(|| StoreError::Open {
        path: path.to_owned(),
        what: "this is not a file name".to_owned(),
        source: None,
    })?;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    if !parent.exists() {
        files::create_private_dir(parent).map_err(|e| StoreError::Open {
            path: path.to_owned(),
            what: format!("cannot create the folder {}", parent.display()),
            source: Some(e),
        })?;
    }
    let parent = std::fs::canonicalize(parent).map_err(|e| StoreError::Open {
        path: path.to_owned(),
        what: format!("cannot find the folder {}", parent.display()),
        source: Some(e),
    })?;
    Ok(parent.join(name))
}

/// `<db>-wal`, `<db>-shm` and the like.
pub(super) fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn no_checkpoint_on_close(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(())
}

/// A connection that cannot change the file: read-only, and it never
/// checkpoints a write-ahead log into the database when it closes.
pub(super) fn inspector(path: &Path, ignore_wal: bool) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    // `immutable` reads the main file alone, as if no log were beside it.
    let uri = format!(
        "file:{}{}",
        uri_path(path),
        if ignore_wal { "?immutable=1" } else { "" }
    );
    let conn =
        Connection::open_with_flags(&uri, flags).map_err(|source| StoreError::OpenSqlite {
            path: path.to_owned(),
            source,
        })?;
    no_checkpoint_on_close(&conn)?;
    Ok(conn)
}

/// A path as the path part of an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

/// The schema a fresh database of `version` has: (type, name, table, sql)
/// of every table, index and trigger, sorted by name.
fn expected_schema(version: u32) -> Result<Vec<SchemaRow>> {
    static CACHE: OnceLock<Mutex<std::collections::HashMap<u32, Vec<SchemaRow>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(std::collections::HashMap::new()));
    if let Ok(cache) = cache.lock()
        && let Some(rows) = cache.get(&version)
    {
        return Ok(rows.clone());
    }
    let mut conn = Connection::open_in_memory()?;
    migrations().to_version(&mut conn, version as usize)?;
    let rows = schema_of(&conn)?;
    if let Ok(mut cache) = cache.lock() {
        cache.insert(version, rows.clone());
    }
    Ok(rows)
}

type SchemaRow = (String, String, String, Option<String>);

fn schema_of(conn: &Connection) -> Result<Vec<SchemaRow>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema \
         WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the header and schema of an existing file say.
pub(super) struct Inspection {
    pub version: u32,
}

/// Checks that `conn`'s file is one of ours that this version can open:
/// our application id, a schema version we know, and exactly the schema
/// that version of the app creates (no table, index, trigger or view more
/// or less, no constraint changed).
pub(super) fn inspect_header_and_schema(conn: &Connection, path: &Path) -> Result<Inspection> {
    let not_ours = |found: String, source| StoreError::NotOurs {
        path: path.to_owned(),
        found,
        source,
    };
    // Reading the header is the first thing that fails on a file that is
    // not SQLite at all.
    let application_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| not_ours("it is not an SQLite database".to_owned(), Some(e)))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| not_ours("its header cannot be read".to_owned(), Some(e)))?;
    if application_id != i64::from(APPLICATION_ID) {
        return Err(not_ours(
            format!("it belongs to another program (application id {application_id})"),
            None,
        ));
    }
    let known = latest_schema_version();
    let version = u32::try_from(version)
        .map_err(|_negative| not_ours(format!("its schema version is {version}"), None))?;
    if version > known {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            known,
        });
    }
    let found = schema_of(conn)
        .map_err(|e| not_ours(format!("its list of tables cannot be read ({e})"), None))?;
    let expected = expected_schema(version)?;
    if found != expected {
        let extra: Vec<&str> = found
            .iter()
            .filter(|r| !expected.contains(r))
            .map(|r| r.1.as_str())
            .collect();
        let missing: Vec<&str> = expected
            .iter()
            .filter(|r| !found.contains(r))
            .map(|r| r.1.as_str())
            .collect();
        return Err(not_ours(
            format!(
                "its tables are not those of schema version {version}{}{}",
                if extra.is_empty() {
                    String::new()
                } else {
                    format!("; unexpected or changed: {}", extra.join(", "))
                },
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("; missing or changed: {}", missing.join(", "))
                },
            ),
            None,
        ));
    }
    Ok(Inspection { version })
}

/// The first schema version with the `database_identity` table.
const IDENTITY_SINCE: u32 = 5;

/// Counts a write in the identity row, inside the write's transaction, so
/// every commit puts the identity into the write-ahead log.
pub(super) fn count_write(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE database_identity SET generation = generation + 1",
        [],
    )?;
    Ok(())
}

/// The identity and write count a connection sees.
fn identity(conn: &Connection) -> Result<(String, i64)> {
    Ok(
        conn.query_row("SELECT id, generation FROM database_identity", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// The pages a write-ahead log would put into its database: those of its
/// committed frames (frames whose salt matches the log's header, up to the
/// last one that ends a transaction). `None` when the file is not a log.
fn logged_pages(wal: &Path) -> Option<HashSet<u32>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(wal).ok()?;
    let mut header = [0u8; 32];
    file.read_exact(&mut header).ok()?;
    let word = |bytes: &[u8], at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes)
    };
    let magic = word(&header, 0);
    if magic != 0x377f_0682 && magic != 0x377f_0683 {
        return None;
    }
    let page_size = u64::from(word(&header, 8));
    let salts = (word(&header, 16), word(&header, 20));
    let mut pages = HashSet::new();
    let mut pending = Vec::new();
    let mut frame = [0u8; 24];
    for index in 0u64.. {
        let at = 32 + index * (24 + page_size);
        if file.seek(SeekFrom::Start(at)).is_err() || file.read_exact(&mut frame).is_err() {
            break;
        }
        if (word(&frame, 8), word(&frame, 12)) != salts {
            break;
        }
        pending.push(word(&frame, 0));
        if word(&frame, 4) != 0 {
            // A commit frame: the transaction's pages count.
            pages.extend(pending.drain(..));
        }
    }
    Some(pages)
}

/// Whether the log beside `path` is this file's own: written by this app
/// (every commit it makes rewrites the identity row, so its log holds that
/// page), for this database (the same identity), and not older than the
/// file (at least as many writes). Only for schemas that have the row.
fn log_is_own(path: &Path, wal: &Path, with_log: &Connection) -> Result<bool> {
    let alone = inspector(path, true)?;
    let root: Option<u32> = alone
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'database_identity'",
            [],
            |r| r.get(0),
        )
        .ok();
    let (Some(root), Ok((main_id, main_count)), Ok((log_id, log_count))) =
        (root, identity(&alone), identity(with_log))
    else {
        return Ok(false);
    };
    let Some(pages) = logged_pages(wal) else {
        return Ok(false);
    };
    let written_here = pages.is_empty() || pages.contains(&root);
    Ok(written_here && main_id == log_id && log_count >= main_count)
}

/// The identity of the database `conn` writes, if its schema has one.
pub(super) fn identity_of(conn: &Connection) -> Option<String> {
    identity(conn).ok().map(|(id, _)| id)
}

/// Sets the identity `conn`'s database answers to: a copy (a backup) gets
/// a new one, so a log written beside a copy never passes for the
/// original's; a restored database keeps the identity of the file it
/// replaced.
pub(super) fn set_identity(conn: &Connection, id: Option<&str>) -> Result<()> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'database_identity'",
        [],
        |r| r.get(0),
    )?;
    if has_table {
        match id {
            Some(id) => conn.execute("UPDATE database_identity SET id = ?1", [id])?,
            None => conn.execute(
                "UPDATE database_identity SET id = lower(hex(randomblob(16)))",
                [],
            )?,
        };
    }
    Ok(())
}

/// Rows that point to a row that is not there (`PRAGMA foreign_key_check`),
/// in words. Tables without rowids report no row number.
pub(super) fn foreign_key_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        let table: String = r.get(0)?;
        let parent: String = r.get(2)?;
        Ok(match r.get::<_, Option<i64>>(1)? {
            Some(row) => format!("row {row} of {table} points to a missing {parent}"),
            None => format!("a row of {table} points to a missing {parent}"),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `PRAGMA quick_check` through `conn`: an empty list is healthy.
pub(super) fn quick_check(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let mut problems = Vec::new();
    for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            problems.push(line);
        }
    }
    Ok(problems)
}

/// Checks an existing file through connections that cannot change it.
/// With `deep`, or when a write-ahead log is beside it, SQLite's quick
/// check runs too; a log that makes a healthy file look damaged is named
/// as the culprit.
fn inspect_existing(path: &Path, deep: bool) -> Result<Inspection> {
    let wal = sibling(path, "-wal");
    let has_wal = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let with_wal = inspector(path, false).and_then(|conn| {
        let inspection = inspect_header_and_schema(&conn, path)?;
        if has_wal && inspection.version >= IDENTITY_SINCE && !log_is_own(path, &wal, &conn)? {
            return Err(StoreError::ForeignWal {
                path: path.to_owned(),
                wal: wal.clone(),
            });
        }
        if deep || has_wal {
            let problems = quick_check(&conn)?;
            if !problems.is_empty() {
                return Err(damaged(path, &problems));
            }
        }
        Ok(inspection)
    });
    match with_wal {
        Ok(inspection) => Ok(inspection),
        Err(e @ (StoreError::TooNew { .. } | StoreError::Migration(_))) => Err(e),
        Err(e) if has_wal => {
            // Is the main file fine on its own? Then the log is the problem.
            let alone = inspector(path, true).and_then(|conn| {
                inspect_header_and_schema(&conn, path)?;
                Ok(quick_check(&conn)?.is_empty())
            });
            match alone {
                Ok(true) => Err(StoreError::ForeignWal {
                    path: path.to_owned(),
                    wal,
                }),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

pub(super) fn damaged(path: &Path, problems: &[String]) -> StoreError {
    let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
    StoreError::Damaged(format!(
        "{}: {}{}",
        path.display(),
        crate::words::excerpt(&shown.join("; "), 300),
        if problems.len() > 3 {
            format!(" (and {} more)", problems.len() - 3)
        } else {
            String::new()
        }
    ))
}

/// Makes a new database at `path`: under a temporary name in the same
/// folder, migrated and stamped, synced, then renamed into place (and the
/// folder synced), so `path` is either absent or a whole database.
fn create_new(path: &Path, replace_empty: bool) -> Result<()> {
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let create_error = |what: &str, source| StoreError::Open {
        path: path.to_owned(),
        what: format!("cannot create the database ({what})"),
        source: Some(source),
    };
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempfile_in(folder)
        .map_err(|e| create_error("a temporary file", e))?;
    let temp_path = temp.path().to_owned();
    if let Err(error) = fill_new(&temp_path, path) {
        // The temporary file goes with `temp`; its journal must go too.
        remove_sidecars(&temp_path);
        return Err(error);
    }
    temp.as_file()
        .sync_all()
        .map_err(|e| create_error("syncing it", e))?;
    let file = if replace_empty {
        temp.persist(path)
            .map_err(|e| create_error("renaming it", e.error))?
    } else {
        match temp.persist_noclobber(path) {
            Ok(file) => file,
            // Another copy of the app made it first: use theirs.
            Err(e) if path.exists() => {
                drop(e);
                return Ok(());
            }
            Err(e) => return Err(create_error("renaming it", e.error)),
        }
    };
    drop(file);
    remove_sidecars(&temp_path);
    files::sync_folder(folder).map_err(|e| create_error("syncing its folder", e))?;
    Ok(())
}

/// Migrates and stamps a new, empty file. Nothing else reads it yet, so it
/// is held exclusively: `SQLite` then keeps the log's index in memory, not
/// in a shared-memory file, whose allocation on a full disk fails as a
/// bare "disk I/O error" rather than as a full disk. It is switched to the
/// log (WAL) here, before it gets its name: switching later rewrites the
/// header through a rollback journal, and a crash in between would leave a
/// journal that only a writer can roll back.
fn fill_new(temp: &Path, path: &Path) -> Result<()> {
    let mut conn = Connection::open_with_flags(
        temp,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| StoreError::OpenSqlite {
        path: path.to_owned(),
        source,
    })?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    migrate_to_latest(&mut conn)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    // A migration that rebuilds a table leaves its old pages free: a new
    // file starts without them.
    conn.execute_batch("VACUUM")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // Closing moves everything from the log into the file and removes it.
    conn.close().map_err(|(_, e)| StoreError::from(e))
}

/// The journal, log and index SQLite may leave beside a file.
pub(super) fn remove_sidecars(file: &Path) {
    for leftover in ["-journal", "-wal", "-shm"] {
        std::fs::remove_file(sibling(file, leftover)).ok();
    }
}

/// Removes what a creation killed half-way left: temporary files named
/// `.<name>.new-…` (and their log, index or journal) older than ten
/// minutes, so a creation running now in another process is left alone.
fn remove_stale_creations(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.new-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(600));
        if stale && entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path()).ok();
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` for writing and
    /// brings its schema up to date, after backing it up if it needs a
    /// migration. Refuses, without changing a byte, files that are not
    /// ours, are damaged, carry a write-ahead log that is not theirs, are
    /// newer, or are being written by another running copy of the app. A
    /// file or folder that cannot be written is opened read-only: see
    /// [`Store::read_only_reason`].
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, false)
    }

    /// As [`Store::open`], and SQLite's quick check of every page must pass
    /// first: for the writers that change much at once (imports, restores,
    /// the command line's writing commands).
    pub fn open_checked(path: &Path) -> Result<Self> {
        Self::open_with(path, true)
    }

    fn open_with(path: &Path, deep: bool) -> Result<Self> {
        let path = canonical(path)?;
        match std::fs::metadata(&path) {
            Ok(meta) if !meta.is_file() => {
                return Err(StoreError::NotAFile { path });
            }
            Ok(meta) if meta.len() == 0 => create_new(&path, true)?,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_new(&path, false)?,
            Err(source) => {
                return Err(StoreError::Open {
                    path,
                    what: "cannot read the file's details".to_owned(),
                    source: Some(source),
                });
            }
        }
        if let Some(reason) = files::read_only_reason(&path) {
            return Self::read_only_with_reason(&path, reason);
        }
        remove_stale_creations(&path);
        let lock = match lock_database(&path)? {
            Locked::Yes(lock) => lock,
            Locked::CannotWrite(reason) => return Self::read_only_with_reason(&path, reason),
        };
        let found = inspect_existing(&path, deep)?.version;
        if found < latest_schema_version() && !deep {
            // A migration rewrites tables: never on a damaged file.
            let problems = quick_check(&inspector(&path, false)?)?;
            if !problems.is_empty() {
                return Err(damaged(&path, &problems));
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn =
            Connection::open_with_flags(&path, flags).map_err(|source| StoreError::OpenSqlite {
                path: path.clone(),
                source,
            })?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL keeps readers and the writer apart; FULL makes a returned save
        // durable across power loss, not just across a crash of the app.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        if found < latest_schema_version() {
            backup::before_migration(&conn, &path, found)?;
            migrate_to_latest(&mut conn)?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Self {
            file: file_at(&path),
            conn,
            path,
            data_version: 0,
            read_only: None,
            _lock: Some(lock),
        })
    }

    fn read_only_with_reason(path: &Path, reason: String) -> Result<Self> {
        let mut store = Self::open_read_only(path)?;
        store.read_only = Some(reason);
        Ok(store)
    }

    /// Opens an existing database for reading only: no lock is taken, so it
    /// works beside a running copy of the app, and nothing is migrated or
    /// written, ever.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        let path = std::fs::canonicalize(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            what: "there is no database file there".to_owned(),
            source: Some(source),
        })?;
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            return Err(StoreError::NotAFile { path });
        }
        let has_wal = sibling(&path, "-wal").exists();
        let folder_writable = path.parent().is_some_and(files::folder_writable);
        // In a folder that cannot be written, SQLite cannot make the index
        // beside a log; with no log there, nobody can be writing, so the
        // file is read as it is.
        let immutable = !has_wal && !folder_writable;
        let conn = inspector(&path, immutable)?;
        let found = inspect_header_and_schema(&conn, &path).map_err(|e| match e {
            StoreError::NotOurs {
                source: Some(_), ..
            } if has_wal && !folder_writable => StoreError::Open {
                path: path.clone(),
                what: "it has unsaved changes in a log beside it, and its folder cannot \
                           be written; copy the folder somewhere you can write and open it there"
                    .to_owned(),
                source: None,
            },
            other => other,
        })?;
        if found.version < latest_schema_version() {
            return Err(StoreError::Open {
                path,
                what: format!(
                    "it was written by an older version (schema {}) and can only be \
                     updated when it can be written to",
                    found.version
                ),
                source: None,
            });
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Self {
            file: file_at(&path),
            conn,
            path,
            data_version: 0,
            read_only: Some("it was opened for reading only".to_owned()),
            _lock: None,
        })
    }

    /// Keeps this connection's page cache to `kib` kilobytes: for a
    /// connection that reads once through many pages (the patient list's),
    /// where a larger cache only holds memory.
    pub fn limit_page_cache(&self, kib: u32) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    /// A second, read-only connection to this database, for reading on
    /// another thread while this one is busy. Refused when the file now at
    /// this path is another database than the one open here (one moved
    /// into its place since), so that the two never mix.
    pub fn second_reader(&self) -> Result<Store> {
        let other = Store::open_read_only(&self.path)?;
        // Compared by the file itself: a moved-in file read through the
        // old one's log could even show the old identity.
        if other.file == self.file {
            Ok(other)
        } else {
            Err(StoreError::Open {
                path: self.path.clone(),
                what: "the file there is no longer the database open in this window".to_owned(),
                source: None,
            })
        }
    }

    /// SQLite's quick check of every page; an empty list is healthy.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        quick_check(&self.conn)
    }
}
