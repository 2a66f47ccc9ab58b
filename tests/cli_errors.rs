//! Bad input never crashes: each kind of unusable input, given to each command that reads
//! drafts (`show`, the redline `OLD NEW` on either side, `check`, `check --against`), exits 2
//! with one line on stderr that names the file and says what to do. The table of
//! docs/errors.md lists the same cases.

mod common;

use common::cmd;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Run and expect exit 2, one line on stderr holding every needle, no panic.
fn fails_with(c: &mut Command, args: &[&str], needles: &[&str]) {
    let out = c.args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(
        err.lines().count(),
        1,
        "{args:?}: one line on stderr: {err}"
    );
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} should contain {n:?}");
    }
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
}

/// Every way a draft argument can be given to a command, with `bad` in the draft's place.
fn every_command(bad: &str) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&["show", bad]),
        s(&[bad, "rev2"]),
        s(&["zero", bad]),
        s(&["check", bad]),
        s(&["check", "--against", "zero", bad]),
    ]
}

fn each_command_fails(bad: &str, needles: &[&str]) {
    for args in every_command(bad) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails_with(&mut cmd(), &args, needles);
    }
}

struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

#[test]
fn missing_file() {
    each_command_fails("missing.md", &["missing.md", "no such file"]);
}

#[test]
fn a_directory() {
    each_command_fails("drafts", &["drafts", "is a directory"]);
}

#[test]
fn binary_file() {
    let s = Scratch::new();
    let p = s.file(
        "report.docx",
        b"PK\x03\x04\x00\x00\x08\x00 word/document.xml",
    );
    each_command_fails(
        &p,
        &["report.docx", "a Word document (.docx)", "plain text"],
    );
    let p = s.file("report.bin", b"A. Intro\x00\x01\x02 text");
    each_command_fails(&p, &["report.bin", "binary data (NUL byte at offset 8)"]);
}

#[test]
fn not_utf8() {
    let s = Scratch::new();
    let p = s.file("latin1.md", b"A. Intro\n\n1. Caf\xe9 text\n");
    each_command_fails(
        &p,
        &[
            "latin1.md",
            "not UTF-8",
            "Latin-1/Windows-1252",
            "0xE9",
            "offset 16, line 3",
        ],
    );
}

#[test]
fn empty_file_and_blank_file() {
    let s = Scratch::new();
    let p = s.file("empty.md", b"");
    each_command_fails(&p, &["empty.md", "the file is empty"]);
    let p = s.file("blank.md", b"\n \t\n\n");
    each_command_fails(&p, &["blank.md", "the file is empty"]);
}

/// A 100 MB file (sparse: instant, and no disk used). Its bytes are all NUL, so the message
/// also proves that the size is checked before any byte is read.
#[test]
fn file_over_the_size_limit() {
    let s = Scratch::new();
    let p = s.path("huge.md");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(100_000_000).unwrap();
    let p = p.to_str().unwrap();
    each_command_fails(
        p,
        &[
            "huge.md",
            "too large (100000000 bytes, the limit is 67108864)",
        ],
    );
}

/// A device that never ends is read no further than its first block.
#[test]
fn endless_device() {
    if Path::new("/dev/zero").exists() {
        fails_with(&mut cmd(), &["show", "/dev/zero"], &["/dev/zero", "binary"]);
    }
}

#[test]
fn unknown_draft_name() {
    for args in [
        vec!["show", "rev9"],
        vec!["rev9", "rev2"],
        vec!["zero", "rev9"],
        vec!["check", "rev9"],
        vec!["check", "--against", "rev9", "rev2"],
    ] {
        fails_with(
            &mut cmd(),
            &args,
            &["unknown draft 'rev9'", "known drafts: zero, rev2"],
        );
    }
}

#[test]
fn manifest_with_a_syntax_error() {
    let s = Scratch::new();
    let m = s.file(
        "oewg.toml",
        b"[[series]]\nname = \"x\"\n[[series.draft]\nname = \"zero\"\n",
    );
    for args in [
        vec!["--manifest", &m, "show", "zero"],
        vec!["--manifest", &m, "zero", "rev2"],
        vec!["--manifest", &m, "check"],
        vec!["--manifest", &m, "log"],
    ] {
        fails_with(
            &mut cmd(),
            &args,
            &["oewg.toml:3:", "manifest syntax error", "fix the TOML"],
        );
    }
    // Found by discovery (no --manifest) too.
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(s.dir.path());
    fails_with(&mut c, &["zero", "rev2"], &["oewg.toml:3:", "syntax"]);
}

#[test]
fn manifest_naming_a_missing_file() {
    let s = Scratch::new();
    let m = s.file(
        "oewg.toml",
        b"[[series]]\nname = \"x\"\n[[series.draft]]\nname = \"zero\"\npath = \"gone.md\"\n",
    );
    fails_with(
        &mut cmd(),
        &["--manifest", &m, "zero", "zero"],
        &["gone.md", "no such file"],
    );
    fails_with(
        &mut cmd(),
        &["--manifest", &m, "check"],
        &["gone.md", "no such file"],
    );
}

/// The effective user id, from /proc (no libc binding needed).
fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// A file the user cannot read. Root reads any file whatever its mode, so as root the tool
/// runs as `nobody` through `setpriv`; where that is not possible the test says so and
/// checks the message through the library instead.
#[cfg(unix)]
#[test]
fn permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let s = Scratch::new();
    std::fs::set_permissions(s.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let p = s.file("secret.md", b"A. Intro\n\n1. Text of the draft.\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
    const NOBODY: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let as_nobody = euid() == Some(0);
    if as_nobody {
        let probe = std::process::Command::new("setpriv")
            .args(NOBODY)
            .arg(&bin)
            .arg("--version")
            .output();
        if !probe.is_ok_and(|o| o.status.success()) {
            eprintln!(
                "permission_denied: running as root, and setpriv cannot drop privileges here; \
                 checking the message through the library only"
            );
            let e = oewg_diff::error::LoadError::from_io(
                PathBuf::from("secret.md"),
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            );
            assert_eq!(
                e.to_string(),
                "secret.md: permission denied; make the file readable"
            );
            return;
        }
    }
    for args in every_command(&p) {
        let mut c = if as_nobody {
            let mut c = Command::new("setpriv");
            c.args(NOBODY).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        c.current_dir(common::root()).env_remove("PAGER");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails_with(
            &mut c,
            &args,
            &["secret.md", "permission denied; make the file readable"],
        );
    }
}
