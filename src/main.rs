//! The command line: `gui` (the default), `demo`, `check`, `export`,
//! `import`. Each subcommand is a small file in `cli/`; the work is done by
//! the library.

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
