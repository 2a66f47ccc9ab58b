//! `--format html|md|docx` and `-o FILE` from the command line: files written atomically,
//! `-o -` for standard output, inputs never overwritten, clear errors with exit status 2.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(common::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PAGER")
        .env("SOURCE_DATE_EPOCH", "1658880000");
    c
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn writes_each_format_to_a_file_chosen_by_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (name, starts) in [
        ("r.html", &b"<!DOCTYPE html>"[..]),
        ("r.md", &b"*Redline of zero"[..]),
        ("r.docx", &b"PK\x03\x04"[..]),
        ("r.json", &b"{"[..]),
        ("r.txt", &b"--- zero"[..]),
    ] {
        let out = dir.path().join(name);
        cmd()
            .args(["zero", "rev2", "-o"])
            .arg(&out)
            .assert()
            .code(1)
            .stdout("");
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(starts), "{name}");
        // No colour in a text file unless asked for.
        if !name.ends_with(".docx") {
            assert!(!bytes.contains(&0x1b), "{name}");
        }
    }
    // Nothing else is left in the directory (no temporary files).
    assert_eq!(
        entries(dir.path()),
        ["r.docx", "r.html", "r.json", "r.md", "r.txt"]
    );
}

#[test]
fn format_wins_over_the_extension_and_dash_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("redline.txt");
    cmd()
        .args(["zero", "rev2", "--format", "html", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    cmd()
        .args([
            "zero",
            "rev2",
            "--format",
            "md",
            "-o",
            "-",
            "--section",
            "C",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("{>>moved from B 3(a)(viii)"))
        .stdout(predicate::str::contains("## C. Rules"))
        .stdout(predicate::str::contains("## A.").not());
    cmd()
        .args(["zero", "rev2", "--format", "markdown", "--para", "14c"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("**14(c)**"));
    cmd()
        .args(["zero", "rev2", "--format", "html"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("<!DOCTYPE html>"));
}

#[test]
fn word_needs_a_file_or_an_explicit_dash() {
    cmd()
        .args(["zero", "rev2", "--format", "docx"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("give -o FILE.docx"));
    // `-o -` into a pipe is fine.
    let out = cmd()
        .args(["zero", "rev2", "--format", "docx", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.starts_with(b"PK\x03\x04"));
}

#[test]
fn word_author_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.docx");
    cmd()
        .args(["zero", "rev2", "--author", "Delegation of Ruritania", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    let parts = common::xml::unzip(&std::fs::read(&out).unwrap());
    let doc = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    assert!(doc.contains("w:author=\"Delegation of Ruritania\""));
    assert!(doc.contains("w:date=\"2022-07-27T00:00:00Z\""));
    assert!(parts.contains_key("word/footnotes.xml"));
    // Without SOURCE_DATE_EPOCH: the new draft's date from the manifest.
    cmd()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["zero", "rev2", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    let parts = common::xml::unzip(&std::fs::read(&out).unwrap());
    let doc = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    assert!(doc.contains("w:author=\"oewg-diff\""));
    assert!(doc.contains("w:date=\"2022-07-27T00:00:00Z\""));
    // The same command twice gives the same bytes.
    let first = std::fs::read(&out).unwrap();
    cmd()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["zero", "rev2", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(&out).unwrap(), first);
    // Also when the drafts are given by their paths.
    cmd()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["drafts/zero.md", "drafts/rev2.md", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    let parts = common::xml::unzip(&std::fs::read(&out).unwrap());
    let doc = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    assert!(doc.contains("w:date=\"2022-07-27T00:00:00Z\""));
    cmd()
        .env("SOURCE_DATE_EPOCH", "last tuesday")
        .args(["zero", "rev2", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SOURCE_DATE_EPOCH"));
}

/// A copy of the repository's drafts and manifest in a temporary directory: a test that
/// aims `-o` at an input aims it at the copy, never at the repository's own files.
fn drafts_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    for f in ["oewg.toml", "drafts/zero.md", "drafts/rev2.md"] {
        std::fs::copy(common::root().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

#[test]
fn never_overwrites_an_input_draft() {
    let copy = drafts_copy();
    let before = std::fs::read(copy.path().join("drafts/zero.md")).unwrap();
    for out in ["drafts/zero.md", "./drafts/../drafts/rev2.md"] {
        cmd()
            .current_dir(copy.path())
            .args(["zero", "rev2", "--format", "html", "-o", out])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(out))
            .stderr(predicate::str::contains(
                "refusing to overwrite an input draft",
            ));
    }
    assert_eq!(
        std::fs::read(copy.path().join("drafts/zero.md")).unwrap(),
        before
    );
    // Inputs given as paths, output through a symbolic link.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.md");
    let new = dir.path().join("new.md");
    std::fs::copy(common::root().join("fixtures/redline/move/old.md"), &old).unwrap();
    std::fs::copy(common::root().join("fixtures/redline/move/new.md"), &new).unwrap();
    let link = dir.path().join("link.md");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&new, &link).unwrap();
    #[cfg(unix)]
    cmd()
        .arg(&old)
        .arg(&new)
        .args(["--format", "md", "-o"])
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(
        std::fs::read(&new).unwrap(),
        std::fs::read(common::root().join("fixtures/redline/move/new.md")).unwrap()
    );
}

#[test]
fn an_unwritable_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("file"), "x").unwrap();
    // A directory that does not exist.
    cmd()
        .current_dir(d)
        .args(["--manifest"])
        .arg(common::root().join("oewg.toml"))
        .args(["zero", "rev2", "-o", "no/such/dir/r.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/dir/r.html"))
        .stderr(predicate::str::contains("no such directory"));
    // A directory instead of a file.
    cmd()
        .args(["zero", "rev2", "--format", "md", "-o"])
        .arg(d.join("sub"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sub: is a directory"));
    // A file where a directory should be.
    cmd()
        .args(["zero", "rev2", "-o"])
        .arg(d.join("file/r.docx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("file/r.docx"));
    // A directory nobody may write to (even root cannot create files in /proc): nothing
    // can be made there, so the test cannot leave anything behind.
    cmd()
        .args(["zero", "rev2", "-o", "/proc/r.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/proc/r.html"));
    assert_eq!(entries(d), ["file", "sub"]);
    assert_eq!(entries(&d.join("sub")), Vec::<String>::new());
}

#[test]
fn a_failed_write_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    std::fs::write(&out, "old redline").unwrap();
    // Fails before writing: --stat does not go with the exports.
    cmd()
        .args(["zero", "rev2", "--stat", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--stat"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old redline");
    assert_eq!(entries(dir.path()), ["r.html"]);
}

#[test]
fn an_author_with_control_characters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.docx");
    for (author, code) in [
        ("Ruritania\u{1b}[31m", "U+001B"),
        ("Line\nbreak", "U+000A"),
        ("Bell\u{7}", "U+0007"),
        ("C1\u{85}", "U+0085"),
        ("Non\u{fffe}char", "U+FFFE"),
    ] {
        let o = cmd()
            .args(["zero", "rev2", "--author", author, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{author:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("--author") && err.contains(code),
            "{author:?}: {err}"
        );
        // The message shows the name escaped, never the raw control character.
        assert!(!o.stderr.iter().any(|&b| b < 0x20 && b != b'\n'), "{err}");
        assert!(!out.exists());
    }
    // Any other text is fine, and is in the document as given.
    cmd()
        .args([
            "zero",
            "rev2",
            "--author",
            "Délégation <&> \"Ruritanie\"",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(1);
    let parts = common::xml::unzip(&std::fs::read(&out).unwrap());
    let doc = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    assert!(
        doc.contains("w:author=\"Délégation &lt;&amp;&gt; &quot;Ruritanie&quot;\""),
        "{}",
        &doc[..400.min(doc.len())]
    );
}
