//! The `oewg-diff` binary: parse arguments, run, map the outcome to diff's exit status
//! (0 same, 1 differences or problems, 2 trouble).

use clap::Parser;
use oewg_diff::app::{self, Outcome};
use oewg_diff::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() && app::under_git() => {
            // Run by git as its diff driver: a line instead of an exit status git would take
            // for a crash, stopping the whole `git diff`.
            let first = e.to_string();
            let first = first.lines().next().unwrap_or_default();
            println!("oewg-diff: not compared: {first}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match app::run(cli) {
        Ok(Outcome::Same) => ExitCode::SUCCESS,
        Ok(Outcome::Different) => ExitCode::from(1),
        Err(e) => {
            // A file's name or a draft's text quoted in the message may hold control
            // characters: shown escaped, never sent raw to the terminal.
            let message = format!("{e:#}");
            eprintln!(
                "oewg-diff: error: {}",
                oewg_diff::render::style::visible(&message)
            );
            ExitCode::from(2)
        }
    }
}
