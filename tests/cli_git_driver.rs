//! `oewg-diff` as git's diff driver, set up as the README says (`drafts/** diff=oewg` in
//! .gitattributes, `git config diff.oewg.command oewg-diff`), in a scratch repository: edits,
//! renames (nine arguments), copies, emptied, new, deleted, binary and non-UTF-8 drafts. In
//! each case `git diff` exits 0 with a useful line, and git never says "external diff died".

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Option<Repo> {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo { dir };
        if !repo.git(&["init", "-q"]).status.success() {
            eprintln!("note: git is not available; skipped");
            return None;
        }
        repo.git(&["config", "user.email", "t@example.org"]);
        repo.git(&["config", "user.name", "t"]);
        repo.git(&["config", "diff.oewg.command", "oewg-diff"]);
        repo.write(".gitattributes", b"drafts/** diff=oewg\n");
        std::fs::create_dir(repo.path().join("drafts")).unwrap();
        Some(repo)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        std::fs::write(self.path().join(rel), bytes).unwrap();
    }

    fn git(&self, args: &[&str]) -> Output {
        // The binary under test, found on PATH by the name the README gives git.
        let bin: PathBuf = assert_cmd::cargo::cargo_bin("oewg-diff");
        let mut path = std::ffi::OsString::from(bin.parent().unwrap());
        path.push(":");
        path.push(std::env::var_os("PATH").unwrap_or_default());
        std::process::Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("PATH", path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.path())
            .env_remove("GIT_EXTERNAL_DIFF")
            .env_remove("PAGER")
            .env_remove("GIT_PAGER")
            .output()
            .unwrap()
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        let out = self.git(&["commit", "-q", "-m", msg]);
        assert!(out.status.success(), "{out:?}");
    }

    /// `git diff ARGS`: exits 0, no "external diff died"; its output.
    fn diff(&self, args: &[&str]) -> String {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        let out = self.git(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "git diff {args:?} failed: {err}\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(!err.contains("external diff died"), "{err}");
        assert_eq!(err, "", "git diff {args:?} wrote to stderr");
        String::from_utf8(out.stdout).unwrap()
    }
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(common::root().join(rel)).unwrap()
}

#[test]
fn an_edit_prints_the_paragraph_redline() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/a.md", &fixture("fixtures/redline/move/old.md"));
    r.commit("old");
    r.write("drafts/a.md", &fixture("fixtures/redline/move/new.md"));
    let out = r.diff(&[]);
    assert!(out.starts_with("--- a/drafts/a.md"), "{out}");
    assert!(out.contains("+++ b/drafts/a.md"), "{out}");
    assert!(out.contains("moved"), "{out}");
    // A broken manifest in the repository does not stop the driver, nor make it warn: it
    // reads the two files git gives it.
    r.write("oewg.toml", b"[[series]\n");
    assert_eq!(r.diff(&[]), out);
}

#[test]
fn a_rename_is_said_with_its_similarity() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/a.md", &fixture("fixtures/redline/move/old.md"));
    r.commit("old");
    r.git(&["mv", "drafts/a.md", "drafts/b.md"]);
    // Renamed and edited a little: git still sees a rename (its default, diff.renames).
    let mut text = fixture("fixtures/redline/move/old.md");
    text.extend_from_slice(b"\n99. A new closing paragraph.\n");
    r.write("drafts/b.md", &text);
    r.git(&["add", "-A"]);
    let out = r.diff(&["--cached"]);
    assert!(
        out.contains("renamed drafts/a.md -> drafts/b.md (similarity "),
        "{out}"
    );
    assert!(out.contains("--- a/drafts/a.md"), "{out}");
    assert!(out.contains("+++ b/drafts/b.md"), "{out}");
    assert!(out.contains("A new closing paragraph"), "{out}");
    // A pure rename: the line, and no change in the language.
    r.commit("renamed");
    r.git(&["mv", "drafts/b.md", "drafts/c.md"]);
    let out = r.diff(&["--cached"]);
    assert!(
        out.contains("renamed drafts/b.md -> drafts/c.md (similarity 100%)"),
        "{out}"
    );
    assert!(out.contains("No differences"), "{out}");
    // Copies, when asked for, say so.
    r.commit("renamed again");
    std::fs::copy(r.path().join("drafts/c.md"), r.path().join("drafts/d.md")).unwrap();
    r.git(&["add", "-A"]);
    let out = r.diff(&["--cached", "-C", "--find-copies-harder"]);
    assert!(out.contains("copied drafts/c.md -> drafts/d.md"), "{out}");
}

#[test]
fn an_emptied_draft_is_said_and_its_text_shown_deleted() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/a.md", &fixture("fixtures/redline/move/old.md"));
    r.commit("old");
    for empty in [&b""[..], b"\n  \n\t\n"] {
        r.write("drafts/a.md", empty);
        let out = r.diff(&[]);
        assert!(
            out.contains("b/drafts/a.md: emptied (no text left)"),
            "{out}"
        );
        assert!(out.contains("deleted"), "{out}");
    }
    // And the other way: text put into an empty draft.
    r.write("drafts/e.md", b"");
    r.commit("empty e");
    r.write("drafts/e.md", b"1. Now it has a paragraph.\n");
    let out = r.diff(&["drafts/e.md"]);
    assert!(out.contains("a/drafts/e.md: was empty"), "{out}");
    assert!(out.contains("Now it has a paragraph"), "{out}");
}

#[test]
fn new_and_deleted_drafts_are_said() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/keep.md", b"1. Kept.\n");
    r.commit("first");
    r.write("drafts/new.md", b"1. A new draft.\n");
    r.git(&["add", "-A"]);
    let out = r.diff(&["--cached"]);
    assert!(out.contains("b/drafts/new.md: new file"), "{out}");
    assert!(out.contains("A new draft"), "{out}");
    r.commit("second");
    r.git(&["rm", "-q", "drafts/new.md"]);
    let out = r.diff(&["--cached"]);
    assert!(out.contains("a/drafts/new.md: deleted"), "{out}");
}

#[test]
fn binary_and_non_utf8_files_are_not_compared_and_git_goes_on() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/a.docx", b"PK\x03\x04\x00\x00binary");
    r.write("drafts/latin1.md", b"1. Caf\xe9 au lait.\n");
    r.write("drafts/z.md", b"1. Old text.\n");
    r.write("drafts/blob.md", b"1. ab\x00cd\n");
    r.commit("first");
    r.write("drafts/blob.md", b"1. ab\x00ce\n");
    r.write("drafts/a.docx", b"PK\x03\x04\x00\x01other binary");
    r.write("drafts/latin1.md", b"1. Caf\xe9 noir.\n");
    r.write("drafts/z.md", b"1. New text.\n");
    let out = r.diff(&[]);
    assert!(
        out.contains(
            "a/drafts/a.docx: binary file (a ZIP archive (or an office file)), not compared"
        ),
        "{out}"
    );
    assert!(out.contains("b/drafts/a.docx: binary file"), "{out}");
    assert!(
        out.contains("a/drafts/blob.md: binary file (NUL byte at offset 5), not compared"),
        "{out}"
    );
    assert!(out.contains("drafts/latin1.md: not UTF-8 text"), "{out}");
    // The next file is still compared: git was not stopped.
    assert!(out.contains("--- a/drafts/z.md"), "{out}");
    assert!(out.contains("[-Old-]{+New+}"), "{out}");
    // git's temporary copy of the old side is never named: the path git showed is.
    assert!(!out.contains("/tmp/"), "{out}");
}

#[test]
fn a_bad_driver_option_does_not_stop_git() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/-x.md", b"1. Old.\n");
    r.write("drafts/z.md", b"1. Old.\n");
    r.commit("first");
    r.write("drafts/-x.md", b"1. New.\n");
    r.write("drafts/z.md", b"1. New.\n");
    // git passes paths relative to the top (drafts/-x.md): they never begin with a hyphen,
    // but a driver configured with a bad option must not stop git either.
    r.git(&["config", "diff.oewg.command", "oewg-diff --no-such-option"]);
    let out = r.diff(&[]);
    assert!(out.contains("oewg-diff: not compared:"), "{out}");
    assert_eq!(out.matches("not compared").count(), 2, "{out}");
}

#[test]
fn an_unmerged_path_is_said() {
    let Some(r) = Repo::new() else { return };
    r.write("drafts/a.md", b"1. Base text.\n");
    r.commit("base");
    r.git(&["checkout", "-q", "-b", "other"]);
    r.write("drafts/a.md", b"1. Their text.\n");
    r.commit("theirs");
    r.git(&["checkout", "-q", "-"]);
    r.write("drafts/a.md", b"1. Our text.\n");
    r.commit("ours");
    let merge = r.git(&["merge", "-q", "other"]);
    assert!(!merge.status.success(), "the merge should conflict");
    // git's combined diff shows the conflict in the worktree; against the index, git hands
    // the driver the path alone.
    let out = r.diff(&["--cached"]);
    assert_eq!(out, "drafts/a.md: unmerged, not compared\n");
}
