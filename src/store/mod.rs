//! The `SQLite` file: opening, migrating, and every query the app runs.
//! Nothing outside this module writes SQL.

pub mod backup;
mod check_ins;
pub mod files;
mod odi;
mod open;
pub use open::latest_schema_version;
mod fhir_sent;
mod program;
mod psfs;
mod settings;
mod visits;
pub use check_ins::{BatchError, CheckInBatch, SaveOutcome};
pub use program::PlanChange;
mod patient_list;
pub use patient_list::LIST_PAGE_CACHE_KIB;
mod patients;
pub use fhir_sent::{PushedChanges, SentResource};
pub use patients::ImportAction;

use crate::model::{PatientId, ValidationError};
use rusqlite::{Connection, ErrorCode};
use rusqlite_migration::{M, Migrations};
use std::io;
use std::path::{Path, PathBuf};

/// Marks a file as ours in the `SQLite` header ("RTR1"), so that the app never
/// migrates someone else's database.
pub const APPLICATION_ID: i32 = 0x5254_5231;

/// Environment variable that chooses the database when `--db` is not given.
pub const DB_ENV_VAR: &str = "RECOVERY_TRACKER_DB";

const MIGRATION_SQL: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_odi_entries.sql"),
    include_str!("../../migrations/0003_milestones_and_exercises.sql"),
    include_str!("../../migrations/0004_visit_notes_and_flag_reviews.sql"),
    include_str!("../../migrations/0005_database_identity.sql"),
    include_str!("../../migrations/0006_app_settings.sql"),
    include_str!("../../migrations/0007_patient_corrections.sql"),
    include_str!("../../migrations/0008_nerve_symptoms.sql"),
    include_str!("../../migrations/0009_baseline_nerves.sql"),
    include_str!("../../migrations/0010_four_approaches.sql"),
    include_str!("../../migrations/0011_body_map.sql"),
    include_str!("../../migrations/0012_baseline_reason.sql"),
    include_str!("../../migrations/0013_psfs.sql"),
    include_str!("../../migrations/0014_fhir_sent.sql"),
    include_str!("../../migrations/0015_fhir_sent_parts.sql"),
    include_str!("../../migrations/0016_sync_server_setting.sql"),
    include_str!("../../migrations/0017_fhir_sent_longer_names.sql"),
];

/// Migrations that rebuild a table others refer to (run with foreign keys
/// off, so dropping the old table deletes nothing): every reference is
/// checked before their transaction commits.
const REBUILDS_A_TABLE: &[usize] = &[10];

/// The day in column `index`, stored as `YYYY-MM-DD` (every table's
/// `CHECK (date(day) IS day)` keeps it so). Read without chrono's format
/// parser, which was a tenth of a large patient list's reading; anything
/// else falls back to it, and so to its error.
pub(crate) fn day_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<chrono::NaiveDate> {
    if let rusqlite::types::ValueRef::Text(text) = row.get_ref(index)?
        && let Some(day) = iso_day(text)
    {
        return Ok(day);
    }
    row.get(index)
}

fn iso_day(text: &[u8]) -> Option<chrono::NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
    let year = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
    let month = digit(m0)? * 10 + digit(m1)?;
    let day = digit(d0)? * 10 + digit(d1)?;
    chrono::NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Brings a database to the latest schema. Foreign keys are off while the
/// migrations run, or a migration that rebuilds the patient table would
/// delete every check-in with the old table (the bundled `SQLite` turns them
/// on for every connection); they are on again afterwards.
fn migrate_to_latest(conn: &mut rusqlite::Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    migrations().to_latest(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrations() -> Migrations<'static> {
    let last = MIGRATION_SQL.len();
    Migrations::new(
        MIGRATION_SQL
            .iter()
            .enumerate()
            .map(|(index, sql)| {
                let number = index + 1;
                // The last migration counts a write, so that the one
                // transaction every pending migration runs in rewrites the
                // identity row like any other commit: a log left by a
                // crash right after a migration is then recognised as the
                // file's own (see `open::log_is_own`).
                let m = if number == last {
                    M::up_with_hook(sql, |tx: &rusqlite::Transaction<'_>| {
                        tx.execute(
                            "UPDATE database_identity SET generation = generation + 1",
                            [],
                        )?;
                        Ok(())
                    })
                } else {
                    M::up(sql)
                };
                if REBUILDS_A_TABLE.contains(&number) {
                    m.foreign_key_check()
                } else {
                    m
                }
            })
            .collect(),
    )
}

/// Where the database lives when neither `--db` nor the environment says.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "recovery-tracker")
        .map(|dirs| dirs.data_dir().join("recovery-tracker.db"))
}

/// Why the store could not do something. Each message is a plain sentence
/// for a person; the underlying error, where there is one, is kept as the
/// source, so the command line can print the whole chain.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {what}")]
    Open {
        path: PathBuf,
        what: String,
        #[source]
        source: Option<io::Error>,
    },
    #[error("cannot open the database {path}")]
    OpenSqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path} is not a recovery-tracker database, or it is damaged ({found}); \
         it was left as it is"
    )]
    NotOurs {
        path: PathBuf,
        /// What was found, in words.
        found: String,
        #[source]
        source: Option<rusqlite::Error>,
    },
    #[error("{path} is not a file (a folder, a device or a pipe): choose a database file")]
    NotAFile { path: PathBuf },
    #[error(
        "{path} has a write-ahead log beside it ({wal}) that does not belong to it (a copy \
         from elsewhere?). Neither was changed. Move {wal} somewhere else and open again, \
         or restore a backup."
    )]
    ForeignWal { path: PathBuf, wal: PathBuf },
    #[error(
        "{path} was written by a newer version of recovery-tracker (schema version {found}; \
         this version knows up to {known}): update the app to open it"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("could not bring the database schema up to date")]
    Migration(#[source] rusqlite_migration::Error),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("there is no patient with id {0}")]
    UnknownPatient(PatientId),
    #[error("there is no plan item {0} for this patient")]
    UnknownPlanItem(i64),
    #[error("the disk is full: nothing was saved")]
    DiskFull(#[source] rusqlite::Error),
    #[error("the database is read-only: nothing was saved")]
    ReadOnly,
    #[error("the database is busy in another program: nothing was saved")]
    Busy(#[source] rusqlite::Error),
    #[error(
        "{path} is already open in another window of recovery-tracker (or another command \
         is writing to it): close that first"
    )]
    InUse { path: PathBuf },
    #[error("backup failed: {what}")]
    Backup {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("backup failed")]
    BackupSqlite(#[source] rusqlite::Error),
    #[error("the database refused the value")]
    Constraint(#[source] rusqlite::Error),
    #[error("the database file is damaged")]
    Corrupt(#[source] rusqlite::Error),
    #[error("the database file is damaged: {0}")]
    Damaged(String),
    #[error("database error")]
    Sqlite(#[source] rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(error),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(error),
            Some(ErrorCode::ConstraintViolation) => StoreError::Constraint(error),
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                StoreError::Corrupt(error)
            }
            _ => StoreError::Sqlite(error),
        }
    }
}

/// A migration's failure in plain words: SQLite's own cause (a full disk,
/// a read-only file) rather than the migration library's wrapping of it.
impl From<rusqlite_migration::Error> for StoreError {
    fn from(error: rusqlite_migration::Error) -> Self {
        match error {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
            other => StoreError::Migration(other),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Row counts, as `check` prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub patients: u64,
    pub baselines: u64,
    pub check_ins: u64,
    pub odi_entries: u64,
    pub milestones: u64,
    pub plan_items: u64,
    pub exercise_logs: u64,
    pub visit_notes: u64,
    pub psfs_ratings: u64,
}

/// The connection settings that the durability promises rest on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub journal_mode: String,
    /// 2 is FULL: a commit is on disk when it returns.
    pub synchronous: i64,
    pub foreign_keys: bool,
}

/// An open database. Every write is one transaction and bumps
/// [`Store::data_version`], which tells the GUI's caches they are stale.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    data_version: u64,
    read_only: Option<String>,
    /// Held while open for writing: a second copy of the app cannot write.
    _lock: Option<open::WriterLock>,
    /// The file (device and inode) this connection opened, to tell when
    /// another file has been moved into its place.
    file: Option<(u64, u64)>,
}

impl Store {
    /// Why saving is not possible, if it is not.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Stops every later write, for `reason`: the day's check found the file
    /// damaged, and a writer never writes into a damaged file.
    pub fn refuse_writes(&mut self, reason: String) {
        self.read_only = Some(reason);
    }

    /// Limits the file's size, so tests can fill a "disk" on purpose.
    #[doc(hidden)]
    pub fn limit_pages_for_testing(&self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bumped by every committed write; caches compare it with the version
    /// they were built from.
    pub fn data_version(&self) -> u64 {
        self.data_version
    }

    fn wrote(&mut self) {
        self.data_version += 1;
    }

    /// The settings of this store's own connection.
    pub fn settings(&self) -> Result<Settings> {
        let get = |name: &str| -> Result<rusqlite::types::Value> {
            Ok(self.conn.pragma_query_value(None, name, |r| r.get(0))?)
        };
        let text = |v| match v {
            rusqlite::types::Value::Text(t) => t,
            _ => String::new(),
        };
        let int = |v| match v {
            rusqlite::types::Value::Integer(i) => i,
            _ => -1,
        };
        Ok(Settings {
            journal_mode: text(get("journal_mode")?),
            synchronous: int(get("synchronous")?),
            foreign_keys: int(get("foreign_keys")?) == 1,
        })
    }

    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    pub fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            let n: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            Ok(n.unsigned_abs())
        };
        Ok(Counts {
            patients: count("patient")?,
            baselines: count("baseline")?,
            check_ins: count("check_in")?,
            odi_entries: count("odi_entry")?,
            milestones: count("milestone")?,
            plan_items: count("plan_item")?,
            exercise_logs: count("exercise_log")?,
            visit_notes: count("visit_note")?,
            psfs_ratings: count("psfs_rating")?,
        })
    }

    /// `SQLite`'s own integrity and foreign-key checks; an empty list is healthy.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        problems.extend(open::foreign_key_problems(&self.conn)?);
        Ok(problems)
    }

    /// Runs `work` in one transaction: all of it is stored, or none.
    fn write<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.read_only.is_some() {
            return Err(StoreError::ReadOnly);
        }
        let tx = self.conn.transaction()?;
        let value = work(&tx)?;
        open::count_write(&tx)?;
        tx.commit()?;
        self.wrote();
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
