//! "Explore with demo data": made-up patients in their own file beside the
//! person's database, so they never mix with real records.

use crate::clock::Clock;
use crate::demo::{self, DemoOptions};
use crate::protocol::Protocol;
use crate::store::Store;
use std::path::{Path, PathBuf};

/// The demo file beside a database: `clinic.db` → `clinic-demo.db`.
pub fn demo_db_path(own: &Path) -> PathBuf {
    let stem = own.file_stem().map_or_else(
        || "recovery-tracker".into(),
        |s| s.to_string_lossy().into_owned(),
    );
    own.with_file_name(format!("{stem}-demo.db"))
}

/// Makes a fresh demo file beside `own` and opens it.
pub(crate) fn open_demo(own: &Path, protocol: &Protocol, clock: &Clock) -> Result<Store, String> {
    let path = demo_db_path(own);
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot replace the old demo file: {e}")),
        }
    }
    let mut store = Store::open(&path).map_err(|e| e.to_string())?;
    // Four: the fourth is the lateral fusion, with its thigh numbness.
    let options = DemoOptions {
        patients: 4,
        days: 42,
        seed: 7,
    };
    let records = demo::generate(protocol, options, clock.today(), clock.now());
    store
        .insert_patient_records(&records, clock.today())
        .map_err(|e| e.to_string())?;
    Ok(store)
}
