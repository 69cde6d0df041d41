//! The command line. `recovery-tracker` with no command opens the window;
//! the other commands (`demo`, `check`, `export`, `import`, `expected`,
//! `status`, `report`, `backup`, `restore`) each live in a small file in
//! `cli/`. The work is done by the library; errors are printed here, on one
//! line with their causes.

mod cli;

use std::process::ExitCode;

/// The longest error line printed: enough for every cause, never a whole
/// file echoed back.
const MAX_ERROR_CHARS: usize = 2000;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    match cli::run(started) {
        Ok(code) => code,
        Err(error) if closed_output(&error) => {
            // `recovery-tracker check | head`: the reader had enough.
            ExitCode::SUCCESS
        }
        Err(error) => {
            // One line, with the whole chain of causes.
            let line = recovery_tracker::words::excerpt(&one_line(&error), MAX_ERROR_CHARS);
            eprintln!("error: {}", recovery_tracker::words::terminal_safe(&line));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes joined by ": ", leaving out a cause that only
/// repeats what was already said (SQLite's message and its code say the
/// same thing twice).
fn one_line(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let said = parts.iter().any(|p| p.contains(&text))
            || text
                .split_once(": ")
                .is_some_and(|(_, rest)| parts.iter().any(|p| p.contains(rest)));
        if !said {
            parts.push(text);
        }
    }
    parts.join(": ")
}

fn closed_output(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
