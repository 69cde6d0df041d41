use super::Cli;
use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;
use std::process::ExitCode;

/// Writes what a package installs beside the binary, made from the same
/// clap definitions the program parses with, so they cannot drift: the
/// manual pages (`man/recovery-tracker.1`, one per command) and
/// completions for bash, zsh and fish (`completions/`).
#[derive(Debug, clap::Args)]
pub struct PackageFiles {
    /// The folder to write into (made if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

impl PackageFiles {
    pub fn run(&self) -> Result<ExitCode> {
        let (man, completions) = (self.out.join("man"), self.out.join("completions"));
        for dir in [&man, &completions] {
            std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))?;
        }
        let command = Cli::command();
        let name = command.get_name().to_owned();
        // One page for the program and one per command
        // (`recovery-tracker-export.1`), which the first page lists.
        clap_mangen::generate_to(command.clone(), &man)
            .with_context(|| format!("writing the manual pages into {}", man.display()))?;
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let path = clap_complete::generate_to(shell, &mut command.clone(), &name, &completions)
                .with_context(|| format!("writing the {shell} completions"))?;
            say!("{}", path.display())?;
        }
        Ok(ExitCode::SUCCESS)
    }
}
