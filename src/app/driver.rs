//! `oewg-diff` as git's external diff driver (`git config diff.oewg.command oewg-diff`).
//!
//! git passes seven arguments (`path old-file old-hex old-mode new-file new-hex new-mode`),
//! nine for a rename or copy (then `new-path` and git's `similarity index ...` lines), and
//! one for an unmerged path. `/dev/null` is a side that does not exist. Whatever the files
//! hold (nothing, binary data, another encoding), the driver prints a line saying what it
//! saw and exits 0: git takes any other status for a crash ("external diff died") and stops
//! the whole `git diff`.

use super::{Context_, DiffOutput, Outcome, write_stdout};
use crate::cli::DiffArgs;
use crate::error::LoadError;
use crate::ingest;
use crate::model::Draft;
use std::path::Path;

/// What git asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Call<'a> {
    pub path: &'a str,
    pub old_file: &'a str,
    pub new_file: &'a str,
    /// The new path of a rename or copy.
    pub new_path: Option<&'a str>,
    /// git's description of a rename or copy (`similarity index 90%\nrename from ...`).
    pub how: Option<&'a str>,
}

impl<'a> Call<'a> {
    /// git's arguments, when they are git's: seven or nine of them.
    pub fn parse(args: &'a [String]) -> Option<Call<'a>> {
        match args {
            [path, old_file, _, _, new_file, _, _] => Some(Call {
                path,
                old_file,
                new_file,
                new_path: None,
                how: None,
            }),
            [path, old_file, _, _, new_file, _, _, new_path, how] => Some(Call {
                path,
                old_file,
                new_file,
                new_path: Some(new_path),
                how: Some(how),
            }),
            _ => None,
        }
    }

    fn new_name(&self) -> &str {
        self.new_path.unwrap_or(self.path)
    }

    /// `renamed a -> b (similarity 90%)`, `copied a -> b (similarity 100%)`.
    fn rename_line(&self) -> Option<String> {
        let to = self.new_path.filter(|p| *p != self.path)?;
        let how = self.how.unwrap_or("");
        let verb = if how.contains("copy from") {
            "copied"
        } else {
            "renamed"
        };
        let similarity = how
            .lines()
            .find_map(|l| l.trim().strip_prefix("similarity index "))
            .map(|s| format!(" (similarity {})", s.trim()))
            .unwrap_or_default();
        Some(format!("{verb} {} -> {to}{similarity}", self.path))
    }
}

/// Whether git runs us as its external diff (it sets these for every path it hands over).
pub fn under_git() -> bool {
    std::env::var_os("GIT_DIFF_PATH_TOTAL").is_some()
        || std::env::var_os("GIT_DIFF_PATH_COUNTER").is_some()
}

/// An unmerged path: git gives its name alone.
pub fn unmerged(path: &str) -> anyhow::Result<Outcome> {
    write_stdout(format!("{}: unmerged, not compared\n", shown(path)).as_bytes())?;
    Ok(Outcome::Same)
}

/// Run the driver: the redline, or a line saying why there is none. Always `Same`.
pub fn run(ctx: &Context_, args: &DiffArgs, call: &Call) -> anyhow::Result<Outcome> {
    if let Err(e) = compare(ctx, args, call) {
        write_stdout(
            format!(
                "{}: not compared: {}\n",
                shown(call.path),
                shown(&format!("{e:#}"))
            )
            .as_bytes(),
        )?;
    }
    Ok(Outcome::Same)
}

/// One side as git gave it.
enum Side {
    Missing,
    /// Read: the draft, and whether it held no words.
    Text(Draft, bool),
    /// Not comparable, and why (`binary file (NUL byte at offset 4)`).
    Unreadable(String),
}

fn compare(ctx: &Context_, args: &DiffArgs, call: &Call) -> anyhow::Result<()> {
    let a = format!("a/{}", call.path);
    let b = format!("b/{}", call.new_name());
    let old = side(call.old_file, &a, call.path);
    let new = side(call.new_file, &b, call.new_name());
    let mut lines: Vec<String> = call.rename_line().into_iter().collect();
    let mut unreadable = false;
    for (s, label) in [(&old, &a), (&new, &b)] {
        if let Side::Unreadable(why) = s {
            lines.push(format!("{}: {why}, not compared", shown(label)));
            unreadable = true;
        }
    }
    if unreadable {
        let mut text = format!("--- {}\n+++ {}\n", shown(&a), shown(&b));
        for l in &lines {
            text.push_str(l);
            text.push('\n');
        }
        return write_stdout(text.as_bytes());
    }
    match (&old, &new) {
        (Side::Missing, _) => lines.push(format!("{}: new file", shown(&b))),
        (_, Side::Missing) => lines.push(format!("{}: deleted", shown(&a))),
        _ => {}
    }
    match (&old, &new) {
        (Side::Text(_, false), Side::Text(_, true)) => {
            lines.push(format!("{}: emptied (no text left)", shown(&b)))
        }
        (Side::Text(_, true), Side::Text(_, false)) => {
            lines.push(format!("{}: was empty", shown(&a)))
        }
        (Side::Text(_, true), Side::Text(_, true)) => {
            lines.push(format!("{}: no text on either side", shown(&b)))
        }
        _ => {}
    }
    let (old, new) = (draft(old, &a, call.path), draft(new, &b, call.new_name()));
    let inputs: Vec<std::path::PathBuf> = [call.path, call.old_file, call.new_file]
        .iter()
        .chain(call.new_path.iter())
        .filter(|f| **f != "/dev/null")
        .map(std::path::PathBuf::from)
        .collect();
    let out = DiffOutput {
        inputs,
        new_date: None,
        prelude: lines,
        driver: true,
    };
    super::redline_out(ctx, args, &old, &new, &out)?;
    Ok(())
}

fn side(file: &str, label: &str, path: &str) -> Side {
    if file == "/dev/null" {
        return Side::Missing;
    }
    match ingest::read_text(Path::new(file)) {
        Ok(text) => Side::Text(ingest::parse(label, Path::new(path), &text), false),
        Err(LoadError::Empty { .. }) => Side::Text(ingest::parse(label, Path::new(path), ""), true),
        Err(LoadError::Binary { byte, .. }) => {
            Side::Unreadable(format!("binary file (NUL byte at offset {byte})"))
        }
        Err(LoadError::NotText { what, .. }) => Side::Unreadable(format!("binary file ({what})")),
        Err(LoadError::NotUtf8 {
            byte, line, guess, ..
        }) => Side::Unreadable(format!(
            "not UTF-8 text ({guess}; invalid byte at offset {byte}, line {line})"
        )),
        Err(LoadError::BadUtf16 { what, line, .. }) => {
            Side::Unreadable(format!("not readable text ({what} at line {line})"))
        }
        Err(LoadError::TooLarge { size, max, .. }) => {
            Side::Unreadable(format!("too large ({size} bytes, the limit is {max})"))
        }
        // git's copy of the old side is a temporary file: say the path git showed instead.
        Err(other) => Side::Unreadable(other.to_string().replace(file, label)),
    }
}

fn draft(s: Side, label: &str, path: &str) -> Draft {
    match s {
        Side::Text(d, _) => d,
        _ => ingest::parse(label, Path::new(path), ""),
    }
}

fn shown(s: &str) -> String {
    super::selection::shown(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn seven_and_nine_arguments() {
        let seven = args(&["d/a.md", "/tmp/x", "1", "100644", "d/a.md", "2", "100644"]);
        let c = Call::parse(&seven).unwrap();
        assert_eq!((c.path, c.new_path), ("d/a.md", None));
        assert_eq!(c.rename_line(), None);
        let nine = args(&[
            "d/a.md",
            "/tmp/x",
            "1",
            "100644",
            "d/b.md",
            "2",
            "100644",
            "d/b.md",
            "similarity index 90%\nrename from d/a.md\nrename to d/b.md\n",
        ]);
        let c = Call::parse(&nine).unwrap();
        assert_eq!(
            c.rename_line().unwrap(),
            "renamed d/a.md -> d/b.md (similarity 90%)"
        );
        let mut copy = nine.clone();
        copy[8] = "similarity index 100%\ncopy from d/a.md\ncopy to d/b.md\n".into();
        assert!(
            Call::parse(&copy)
                .unwrap()
                .rename_line()
                .unwrap()
                .starts_with("copied")
        );
        assert!(Call::parse(&args(&["a", "b"])).is_none());
    }
}
