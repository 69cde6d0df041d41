//! The database's files on disk: private permissions, the writer's lock,
//! and whether the person marked the file read-only.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Options that create files readable by their owner only (0600 on Unix).
pub fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Creates an empty file with private permissions, so that `SQLite` (which
/// gives its WAL and SHM files the database's permissions) never creates
/// the database world-readable.
pub fn create_private_file_if_missing(path: &Path) -> io::Result<()> {
    match private_options().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates a folder (and its parents) readable by its owner only.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Syncs a folder, so a rename inside it survives a power cut.
pub fn sync_folder(folder: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(folder)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _: &Path = folder;
    Ok(())
}

/// Whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Refuse if the file exists.
    No,
    /// Replace a regular file that exists.
    Yes,
}

/// Writes a whole file privately and atomically: into a new temporary file
/// (created exclusively, mode 0600) in the target's folder, synced, then
/// renamed into place and the folder synced. A crash or an error never
/// leaves half a file under the real name, and nothing is left behind.
/// Refuses a target that is not a regular file (a device, a pipe, a
/// folder), and an existing file unless `replace` says so.
pub fn write_output(path: &Path, bytes: &[u8], replace: Replace) -> io::Result<()> {
    use std::io::Write;
    let error = |kind, what: String| io::Error::new(kind, what);
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(error(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a regular file; choose a file name",
                    path.display()
                ),
            ));
        }
        Ok(_) if replace == Replace::No => {
            return Err(error(
                io::ErrorKind::AlreadyExists,
                format!("{} already exists", path.display()),
            ));
        }
        _ => {}
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempfile_in(folder)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    match replace {
        Replace::Yes => temp.persist(path).map_err(|e| e.error)?,
        Replace::No => temp.persist_noclobber(path).map_err(|e| e.error)?,
    };
    sync_folder(folder)
}

/// Opens a file to read from, refusing anything that is not a regular
/// file: a pipe would make the read wait forever, a device never end.
pub fn open_input(path: &Path) -> io::Result<File> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file (a folder, device or pipe)",
                path.display()
            ),
        ));
    }
    File::open(path)
}

/// Whether a folder's permission bits let files be made in it (read, not
/// tried, so the answer is the same for an administrator).
pub fn folder_writable(folder: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(folder) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o222 != 0
    }
    #[cfg(not(unix))]
    {
        !meta.permissions().readonly()
    }
}

/// Whether the person marked the database, or its folder, read-only. The
/// permission bits are read rather than tried, so the answer is the same
/// for every user, including administrators who could write anyway.
pub fn read_only_reason(db: &Path) -> Option<String> {
    if let Ok(meta) = std::fs::metadata(db)
        && meta.permissions().readonly()
    {
        return Some("the database file is marked read-only".to_owned());
    }
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty())?;
    // WAL needs to create files beside the database.
    (db.exists() && !folder_writable(folder))
        .then(|| format!("the folder {} is read-only", folder.display()))
}
