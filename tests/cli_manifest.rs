//! The manifest and draft arguments: a broken oewg.toml found by searching upward does not
//! stop a diff of two files; a file that exists comes before a draft name; names, files and
//! dates in oewg.toml are checked, each error at its line; `-` is standard input, once.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn cmd(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PAGER");
    c
}

/// A directory with two drafts that differ (`sub/old.md`, `sub/new.md`).
fn drafts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/old.md"), "1. The old text.\n").unwrap();
    std::fs::write(dir.path().join("sub/new.md"), "1. The new text.\n").unwrap();
    dir
}

#[test]
fn a_broken_manifest_above_does_not_stop_a_diff_of_two_files() {
    for (what, bytes) in [
        ("syntax", &b"[[series]\nname = 1\n"[..]),
        ("not UTF-8", b"[[series]]\nname = \"\xff\"\n"),
        ("no name", b"[[series]]\ntitle = \"t\"\n"),
        ("name twice", b"[[series]]\nname = \"s\"\n[[series.draft]]\nname = \"a\"\npath = \"sub/old.md\"\n[[series.draft]]\nname = \"a\"\npath = \"sub/new.md\"\n"),
    ] {
        let dir = drafts();
        std::fs::write(dir.path().join("oewg.toml"), bytes).unwrap();
        let sub = dir.path().join("sub");
        cmd(&sub)
            .args(["old.md", "new.md"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("[-old-]{+new+}"))
            .stderr(predicate::str::contains("warning"))
            .stderr(predicate::str::contains("oewg.toml"));
        // The same manifest asked for by name is an error.
        cmd(&sub)
            .args(["--manifest", "../oewg.toml", "old.md", "new.md"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("oewg.toml"));
        // A draft name needs the manifest: its error is the answer.
        cmd(&sub)
            .args(["zero", "new.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("zero: no such file"))
            .stderr(predicate::str::contains("oewg.toml"));
        // So do the series views, and a check of every draft.
        cmd(&sub).args(["log"]).assert().code(2);
        cmd(&sub).args(["check"]).assert().code(2);
        // check and show of a file go on, with the warning.
        cmd(&sub)
            .args(["show", "new.md"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("The new text"));
        let _ = what;
    }
}

#[test]
fn an_unreadable_manifest_above_is_warned_about() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("note: not root; cannot run as another user, skipped");
        return;
    }
    let dir = drafts();
    let m = dir.path().join("oewg.toml");
    std::fs::write(&m, "[[series]]\nname = \"s\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&m, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin)
        .args(["old.md", "new.md"])
        .current_dir(dir.path().join("sub"))
        .output();
    let Ok(out) = out else {
        eprintln!("note: setpriv not available; skipped");
        return;
    };
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("setpriv:") {
        eprintln!("note: setpriv could not switch user; skipped");
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("permission denied") && err.contains("warning"),
        "{err}"
    );
}

/// A manifest in a temporary directory; the error it gives on `oewg-diff log`.
fn manifest_error(text: &str) -> String {
    let dir = drafts();
    std::fs::write(dir.path().join("oewg.toml"), text).unwrap();
    let out = cmd(dir.path()).arg("log").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{text}");
    String::from_utf8(out.stderr).unwrap()
}

const HEAD: &str = "[[series]]\nname = \"s\"\n";

fn draft(name: &str, path: &str) -> String {
    format!("[[series.draft]]\nname = \"{name}\"\npath = \"{path}\"\n")
}

#[test]
fn names_files_and_dates_are_checked_at_their_line() {
    let cases: Vec<(String, &str)> = vec![
        (
            format!("{HEAD}{}", draft("", "sub/old.md")),
            "oewg.toml:4: a draft of series 's' with an empty name",
        ),
        (
            format!("{HEAD}{}", draft("  ", "sub/old.md")),
            "oewg.toml:4: a draft of series 's' with an empty name",
        ),
        (
            format!("{HEAD}{}", draft("-", "sub/old.md")),
            "oewg.toml:4: the draft name '-' means standard input",
        ),
        (
            format!(
                "{HEAD}{}{}",
                draft("a", "sub/old.md"),
                draft("a", "sub/new.md")
            ),
            "oewg.toml:7: draft name 'a' is used twice (first at line 4 in series 's')",
        ),
        (
            format!(
                "{HEAD}{}[[series]]\nname = \"t\"\n{}",
                draft("a", "sub/old.md"),
                draft("a", "sub/new.md")
            ),
            "oewg.toml:9: draft name 'a' is used twice (first at line 4 in series 's')",
        ),
        (
            format!(
                "{HEAD}{}{}",
                draft("a", "sub/old.md"),
                draft("b", "./sub/../sub/old.md")
            ),
            "oewg.toml:8: draft 'b' names the same file as draft 'a' (line 5)",
        ),
        (
            format!(
                "{HEAD}{}{}",
                draft("a", "gone/x.md"),
                draft("b", "gone/./x.md")
            ),
            "oewg.toml:8: draft 'b' names the same file as draft 'a' (line 5)",
        ),
        (
            "[[series]]\nname = \"\"\n".to_string(),
            "oewg.toml:2: a series with an empty name",
        ),
        (
            format!("{HEAD}{HEAD}"),
            "oewg.toml:4: series name 's' is used twice (first at line 2)",
        ),
        (
            format!(
                "{HEAD}{}date = \"22 June 2022\"\n",
                draft("a", "sub/old.md")
            ),
            "oewg.toml:6: draft 'a': date '22 June 2022' is not a date of the form YYYY-MM-DD",
        ),
        (
            format!("{HEAD}{}date = \"2022-02-30\"\n", draft("a", "sub/old.md")),
            "oewg.toml:6: draft 'a': date '2022-02-30' is not a date",
        ),
        (
            format!(
                "{HEAD}{}date = 1979-05-27T07:32:00Z\n",
                draft("a", "sub/old.md")
            ),
            "oewg.toml:6: draft 'a': date '1979-05-27T07:32:00Z' is not a date",
        ),
        (
            format!("{HEAD}{}date = 20220727\n", draft("a", "sub/old.md")),
            "oewg.toml:6:",
        ),
    ];
    for (text, want) in cases {
        let err = manifest_error(&text);
        assert!(err.contains(want), "{text}\nwanted {want}\ngot {err}");
    }
}

#[test]
fn dates_quoted_or_not_are_read() {
    let dir = drafts();
    std::fs::write(
        dir.path().join("oewg.toml"),
        format!(
            "{HEAD}{}date = 2022-06-22\n{}date = \"2024-02-29\"\n",
            draft("a", "sub/old.md"),
            draft("b", "sub/new.md")
        ),
    )
    .unwrap();
    cmd(dir.path())
        .args(["log", "--format", "json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"2022-06-22\""))
        .stdout(predicate::str::contains("\"2024-02-29\""));
}

#[test]
fn a_file_that_exists_comes_before_a_draft_name() {
    let dir = drafts();
    // The manifest names a draft `new.md`... that is another file.
    std::fs::write(
        dir.path().join("oewg.toml"),
        format!(
            "{HEAD}{}{}",
            draft("old", "sub/old.md"),
            draft("sub/new.md", "sub/old.md")
        ),
    )
    .unwrap();
    let e = manifest_error(&std::fs::read_to_string(dir.path().join("oewg.toml")).unwrap());
    assert!(e.contains("names the same file"), "{e}");
    std::fs::write(dir.path().join("other.md"), "1. The other text.\n").unwrap();
    std::fs::write(
        dir.path().join("oewg.toml"),
        format!(
            "{HEAD}{}{}",
            draft("old", "sub/old.md"),
            draft("sub/new.md", "other.md")
        ),
    )
    .unwrap();
    cmd(dir.path())
        .args(["old", "sub/new.md"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("[-old-]{+new+}"))
        .stderr(predicate::str::contains(
            "'sub/new.md' is a file here and also a draft name",
        ));
    // Where the name is the same file, nothing to warn about.
    std::fs::write(
        dir.path().join("oewg.toml"),
        format!(
            "{HEAD}{}{}",
            draft("old", "sub/old.md"),
            draft("sub/new.md", "sub/new.md")
        ),
    )
    .unwrap();
    cmd(dir.path())
        .args(["old", "sub/new.md"])
        .assert()
        .code(1)
        .stderr("");
}

#[test]
fn dash_is_standard_input_once() {
    let dir = drafts();
    let sub = dir.path().join("sub");
    cmd(&sub)
        .args(["-", "new.md"])
        .pipe_stdin(sub.join("old.md"))
        .unwrap()
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("--- -\n+++ new.md"))
        .stdout(predicate::str::contains("[-old-]{+new+}"));
    cmd(&sub)
        .args(["old.md", "-"])
        .write_stdin("1. The old text.\n")
        .assert()
        .code(0);
    cmd(&sub)
        .args(["-", "-"])
        .write_stdin("1. x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("can be read only once"));
    cmd(&sub)
        .args(["show", "-"])
        .write_stdin("1. Shown from a pipe.\n")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Shown from a pipe"));
    cmd(&sub)
        .args(["check", "-"])
        .write_stdin("1. Checked.\n\n3. Skipped a number.\n")
        .assert()
        .stdout(predicate::str::contains("-:3:"));
    cmd(&sub)
        .args(["check", "-", "--against", "old.md", "-"])
        .write_stdin("1. x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("can be read only once"));
    // Empty standard input is said as such.
    cmd(&sub)
        .args(["-", "new.md"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard input"));
    // -o over the file redirected into standard input (`- new.md -o old.md < old.md`) is
    // refused.
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("oewg-diff"))
        .current_dir(&sub)
        .args(["-", "new.md", "-o", "old.md"])
        .stdin(std::fs::File::open(sub.join("old.md")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite an input draft"),
        "{out:?}"
    );
    assert_eq!(
        std::fs::read_to_string(sub.join("old.md")).unwrap(),
        "1. The old text.\n"
    );
}
