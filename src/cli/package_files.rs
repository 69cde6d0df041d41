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
        // What a person is offered: not the hidden test commands and options
        // (clap_mangen leaves them out by itself; clap_complete does not).
        let offered = without_hidden(&command);
        // One page for the program and one per command
        // (`recovery-tracker-export.1`), which the first page lists.
        clap_mangen::generate_to(command.clone(), &man)
            .with_context(|| format!("writing the manual pages into {}", man.display()))?;
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let path = clap_complete::generate_to(shell, &mut offered.clone(), &name, &completions)
                .with_context(|| format!("writing the {shell} completions"))?;
            if shell == Shell::Bash {
                mend_bash(&path, &name)?;
            }
            say!("{}", path.display())?;
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The command without its hidden subcommands and options, all the way down.
fn without_hidden(command: &clap::Command) -> clap::Command {
    let mut shown = clap::Command::new(command.get_name().to_owned())
        .version(command.get_version().unwrap_or_default().to_owned());
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        shown = shown.arg(arg.clone());
    }
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        shown = shown.subcommand(without_hidden(sub));
    }
    shown
}

/// `clap_complete`'s bash script names a hyphenated program's subcommands two
/// ways (`recovery__tracker__subcmd__export` where it finds the command,
/// `recovery__subcmd__tracker__subcmd__export` where it completes its
/// options), so no option of a subcommand would ever complete; one
/// spelling mends it.
fn mend_bash(path: &std::path::Path, name: &str) -> Result<()> {
    let script = std::fs::read_to_string(path)?;
    let mended = script.replace(&name.replace('-', "__subcmd__"), &name.replace('-', "__"));
    std::fs::write(path, mended).with_context(|| format!("writing {}", path.display()))
}
