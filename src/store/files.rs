//! The database's files on disk: private permissions, the writer's lock,
//! and whether the person marked the file read-only.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

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

/// Writes a whole file privately: to a temporary name first, synced, then
/// renamed, so a crash never leaves half a file under the real name.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut file = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
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
    let meta = std::fs::metadata(folder).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // WAL needs to create files beside the database.
        if db.exists() && meta.permissions().mode() & 0o222 == 0 {
            return Some(format!("the folder {} is read-only", folder.display()));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    None
}
