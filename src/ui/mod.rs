use crate::clock::Clock;
use std::path::PathBuf;
pub fn run(_db: PathBuf, _clock: Clock) -> Result<(), eframe::Error> {
    Ok(())
}
