/// Prints one line to standard output with every control character of the
/// data in it shown, not sent (see [`recovery_tracker::words::terminal_safe`]).
/// Returns an error when standard output is closed (`| head`), which the
/// program treats as the reader having had enough.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::say_line(&format!($($arg)*))
    };
}

mod backup;
mod check;
mod demo;
mod expected;
mod export;
mod gui;
mod import;
mod package_files;
mod patient;
mod report;
mod restore;
mod status;
mod stress_save;
mod sync;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use recovery_tracker::clock::Clock;
use recovery_tracker::model::parse_day;
use recovery_tracker::protocol::Protocol;
use recovery_tracker::store::{self, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "recovery-tracker",
    version,
    about = "Recovery after lumbar spinal fusion: daily check-ins, charted against the expected recovery. Opens the window when run without a command."
)]
pub(crate) struct Cli {
    /// A patient file to open in the window's import preview (a JSON or FHIR
    /// export, such as NAME.recovery.json); nothing is imported until you say
    #[arg(value_name = "FILE", value_parser = existing_file)]
    file: Option<PathBuf>,

    /// The database file [default: the platform's data folder]
    #[arg(long, global = true, env = store::DB_ENV_VAR, value_name = "PATH")]
    db: Option<PathBuf>,

    /// Act as if today were this date (YYYY-MM-DD); for reproducible demos and tests
    #[arg(long, global = true, hide = true, value_parser = parse_day)]
    today: Option<chrono::NaiveDate>,

    /// Act as if it were this local date and time (YYYY-MM-DDTHH:MM); for tests of the reminder
    #[arg(long, global = true, hide = true, value_parser = parse_moment, conflicts_with = "today")]
    now: Option<chrono::NaiveDateTime>,

    /// A protocol file to use instead of the built-in one (TOML, same form as assets/protocols/lumbar-fusion.toml)
    #[arg(long, global = true, value_name = "FILE")]
    protocol: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the window (the default)
    Gui(gui::Gui),
    /// Fill an empty database with realistic demo patients
    Demo(demo::Demo),
    /// Check the database: integrity, schema version and row counts
    Check(check::Check),
    /// Write a file: a CSV table, the whole JSON document, a FHIR bundle or the PDF report
    Export(export::Export),
    /// Add check-ins from a CSV file, or patients from a JSON document
    Import(import::Import),
    /// Print the expected recovery for a starting point, from the protocol
    Expected(expected::Expected),
    /// Print where a patient stands against their expected recovery
    Status(status::Status),
    /// Show or correct a patient's details and baseline
    Patient(patient::PatientCommand),
    /// Write a PDF report of a patient for a period
    Report(report::Report),
    /// Copy the database (to the backups folder, or to -o FILE)
    Backup(backup::Backup),
    /// Replace the database with a backup (the current one is backed up first)
    Restore(restore::Restore),
    /// Send a patient's record to a clinic's FHIR server
    #[command(subcommand_required = true)]
    Sync(sync::Sync),
    /// Save check-ins in a loop, printing each saved day (for crash tests)
    #[command(hide = true)]
    StressSave(stress_save::StressSave),
    /// Write the manual page and shell completions into a folder (for packages)
    #[command(hide = true)]
    PackageFiles(package_files::PackageFiles),
}

/// A file to open: it must exist as a regular file, so that a mistyped command
/// (`recovery-tracker stauts`) is an error here, not a window.
fn existing_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => Ok(path),
        Ok(_) => Err("not a regular file (a folder, device or pipe cannot be opened)".to_owned()),
        Err(_) => Err("there is no such file, nor a command of that name (see --help)".to_owned()),
    }
}

/// A local date and time, as `2026-11-25T19:30`.
fn parse_moment(text: &str) -> Result<chrono::NaiveDateTime, String> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map_err(|e| format!("{e}: write the date and time as 2026-11-25T19:30"))
}

pub fn say_line(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", recovery_tracker::words::terminal_safe(text))
}

/// Writes an export: to standard output for `-` or no file, else to a new
/// file (replacing one only with `force`).
pub fn write_output(path: Option<&std::path::Path>, bytes: &[u8], force: bool) -> Result<()> {
    use recovery_tracker::store::files::{Replace, write_output};
    match path {
        None => write_stdout(bytes),
        Some(p) if p.as_os_str() == "-" => write_stdout(bytes),
        Some(path) => {
            let replace = if force { Replace::Yes } else { Replace::No };
            write_output(path, bytes, replace).map_err(|e| {
                let hint = if e.kind() == std::io::ErrorKind::AlreadyExists {
                    ": add --force to replace it"
                } else {
                    ""
                };
                anyhow::Error::new(e).context(format!("nothing was written{hint}"))
            })
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// What every subcommand is given.
pub struct AppContext {
    /// When the process started, near enough (the first line of `main`).
    pub started: std::time::Instant,
    pub db: PathBuf,
    pub clock: Clock,
    pub protocol_file: Option<PathBuf>,
}

impl AppContext {
    pub fn protocol(&self) -> Result<Protocol> {
        Ok(match &self.protocol_file {
            Some(path) => Protocol::from_file(path)?,
            None => Protocol::embedded()?,
        })
    }

    /// For commands that write: takes the writer's lock.
    pub fn open_store(&self) -> Result<Store> {
        Store::open(&self.db).with_context(|| format!("opening {}", self.db.display()))
    }

    /// For commands that only read: works beside a running app.
    pub fn open_store_to_read(&self) -> Result<Store> {
        Store::open_read_only(&self.db).with_context(|| format!("opening {}", self.db.display()))
    }
}

pub fn run(started: std::time::Instant) -> Result<ExitCode> {
    let cli = Cli::parse();
    let db = match cli.db {
        Some(path) => path,
        None => store::default_db_path()
            .context("cannot find a data folder for this user: choose a database with --db")?,
    };
    let clock = match (cli.now, cli.today) {
        (Some(moment), _) => Clock::fixed_at(moment),
        (None, Some(day)) => Clock::fixed_on(day),
        (None, None) => Clock::System,
    };
    let context = AppContext {
        started,
        db,
        clock,
        protocol_file: cli.protocol,
    };
    if let (Some(file), Some(_)) = (&cli.file, &cli.command) {
        anyhow::bail!(
            "{} would be opened in the window, which does not go with a command",
            file.display()
        );
    }
    let command = cli
        .command
        .unwrap_or_else(|| Command::Gui(gui::Gui::opening(cli.file)));
    match command {
        Command::Gui(c) => c.run(&context),
        Command::Demo(c) => c.run(&context),
        Command::Check(c) => c.run(&context),
        Command::Export(c) => c.run(&context),
        Command::Import(c) => c.run(&context),
        Command::Expected(c) => c.run(&context),
        Command::Status(c) => c.run(&context),
        Command::Patient(c) => c.run(&context),
        Command::Report(c) => c.run(&context),
        Command::Backup(c) => c.run(&context),
        Command::Restore(c) => c.run(&context),
        Command::StressSave(c) => c.run(&context),
        Command::Sync(c) => c.run(&context),
        Command::PackageFiles(c) => c.run(),
    }
}
