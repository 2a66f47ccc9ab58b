//! Paging as git does: long output for a terminal goes to `$PAGER` (default `less`, with
//! `LESS=FRX` when LESS is unset). A pager that cannot run (not on PATH, not executable,
//! failing to start) is no reason to lose the output: it is written to standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What to do with `$PAGER`.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// No pager (`PAGER=cat` or empty, as git reads them; or the default `less` is not
    /// installed: nothing the user asked for is missing).
    None,
    /// The program `PAGER` names first is not to be found: write directly, and say so.
    Missing(String),
    /// Run this command line with `sh -c`.
    Run(String),
}

/// Decide from `PAGER` (unset: `less`) and `PATH`.
pub fn plan(pager: Option<&str>, path: Option<&std::ffi::OsStr>) -> Plan {
    let Some(pager) = pager.map(str::trim) else {
        return match find_program("less", path) {
            Some(_) => Plan::Run("less".into()),
            None => Plan::None,
        };
    };
    if pager.is_empty() || pager == "cat" {
        return Plan::None;
    }
    match first_program(pager) {
        Some(prog) if find_program(prog, path).is_none() => Plan::Missing(prog.to_string()),
        _ => Plan::Run(pager.to_string()),
    }
}

/// The program a simple command line starts with (`less -R` -> `less`); `None` for a line
/// the shell must read first (assignments, quotes, expansions), which is left to `sh`.
fn first_program(line: &str) -> Option<&str> {
    let word = line.split_whitespace().next()?;
    let shell = |c: char| "=\"'$`\\|&;<>(){}*?[~".contains(c);
    (!word.contains(shell)).then_some(word)
}

/// The executable a program name runs, as the shell finds it.
fn find_program(prog: &str, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    if prog.contains('/') {
        return is_executable(Path::new(prog)).then(|| PathBuf::from(prog));
    }
    std::env::split_paths(path?)
        .map(|d| d.join(prog))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Page `text`. Returns false when it was not shown (no pager, or one that could not run):
/// the caller writes it to standard output then.
pub fn page(text: &str) -> bool {
    let pager = std::env::var("PAGER").ok();
    match plan(pager.as_deref(), std::env::var_os("PATH").as_deref()) {
        Plan::None => false,
        Plan::Missing(prog) => {
            warn(&format!(
                "the pager '{}' (PAGER) is not on PATH",
                escaped(&prog)
            ));
            false
        }
        Plan::Run(line) => run(&line, text),
    }
}

fn run(line: &str, text: &str) -> bool {
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c").arg(line).stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            warn(&format!(
                "the pager (PAGER={}) did not start: {e}",
                escaped(line)
            ));
            return false;
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit early; that is not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    match child.wait() {
        // The shell's "command not found" and "not executable": nothing was shown.
        Ok(s) if matches!(s.code(), Some(126 | 127)) => {
            warn(&format!(
                "the pager (PAGER={}) could not run",
                escaped(line)
            ));
            false
        }
        _ => true,
    }
}

fn warn(what: &str) {
    eprintln!("oewg-diff: warning: {what}; writing to standard output instead");
}

fn escaped(s: &str) -> String {
    super::selection::shown(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans() {
        let path = std::env::var_os("PATH");
        let path = path.as_deref();
        assert_eq!(plan(Some("cat"), path), Plan::None);
        assert_eq!(plan(Some(""), path), Plan::None);
        assert_eq!(
            plan(Some("sh -c true"), path),
            Plan::Run("sh -c true".into())
        );
        assert_eq!(
            plan(Some("no-such-pager-here -R"), path),
            Plan::Missing("no-such-pager-here".into())
        );
        assert_eq!(
            plan(Some("/nonexistent/less"), path),
            Plan::Missing("/nonexistent/less".into())
        );
        // A line the shell reads first is left to the shell.
        assert_eq!(
            plan(Some("LESS=R less"), path),
            Plan::Run("LESS=R less".into())
        );
        // No PATH: nothing is found by name. The default pager missing is no pager, quietly.
        assert_eq!(plan(Some("less"), None), Plan::Missing("less".into()));
        assert_eq!(plan(None, None), Plan::None);
    }
}
