//! The command line. `recovery-tracker` with no command opens the window;
//! the other commands (`demo`, `check`, `export`, `import`, `expected`,
//! `status`, `report`, `backup`, `restore`) each live in a small file in
//! `cli/`. The work is done by the library; errors are printed here, on one
//! line with their causes.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    match cli::run(started) {
        Ok(code) => code,
        Err(error) => {
            // One line, with the whole chain of causes.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
