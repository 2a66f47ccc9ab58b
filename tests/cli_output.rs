//! `-o` never destroys: devices, FIFOs, sockets and our own standard output are written
//! into (never replaced), symbolic links keep pointing where they did and their target is
//! written, a replaced file keeps its mode and owner, a read-only file is refused, and no
//! temporary file outlives an error or a signal. Every path written is inside a temporary
//! directory of the test; each device node is made there with mknod.
#![cfg(unix)]

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

fn bin() -> Command {
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(common::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PAGER")
        .env_remove("OEWG_DIFF_TEST_HOLD_TEMP_MS");
    c
}

/// Two drafts that differ (exit 1), given by path.
fn redline_to(out: &Path) -> Command {
    let mut c = bin();
    c.args([
        "fixtures/redline/move/old.md",
        "fixtures/redline/move/new.md",
        "--format",
        "plain",
        "-o",
    ])
    .arg(out);
    c
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// What must not change about a path: its inode, type, mode, owner and device number.
fn stat(p: &Path) -> (u64, u32, u32, u32, u64, bool) {
    let m = std::fs::symlink_metadata(p).unwrap();
    (
        m.ino(),
        m.mode(),
        m.uid(),
        m.gid(),
        m.rdev(),
        m.file_type().is_symlink(),
    )
}

/// `mknod` a node in `dir`; `None` (with a note) where this system does not allow it.
fn mknod(dir: &Path, name: &str, kind: &str, major: u32, minor: u32) -> Option<PathBuf> {
    let p = dir.join(name);
    let ok = std::process::Command::new("mknod")
        .arg(&p)
        .args([kind, &major.to_string(), &minor.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("note: mknod {kind} {major} {minor} not permitted here; this case is skipped");
        return None;
    }
    Some(p)
}

#[test]
fn a_character_device_is_written_into_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    // The null and zero devices take any write.
    for (name, minor) in [("null", 3), ("zero", 5)] {
        let Some(dev) = mknod(dir.path(), name, "c", 1, minor) else {
            return;
        };
        let before = stat(&dev);
        redline_to(&dev).assert().code(1).stdout("").stderr("");
        assert_eq!(stat(&dev), before, "{name}");
        assert!(
            std::fs::metadata(&dev)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
    // A device that refuses the write: the error is said, the node stays.
    let Some(full) = mknod(dir.path(), "full", "c", 1, 7) else {
        return;
    };
    let before = stat(&full);
    redline_to(&full)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("full: cannot write"));
    assert_eq!(stat(&full), before);
    assert_eq!(names(dir.path()), ["full", "null", "zero"]);
}

#[test]
fn a_block_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A loop device number no system attaches: nothing could be written even by mistake.
    let Some(disk) = mknod(dir.path(), "disk", "b", 7, 250) else {
        return;
    };
    let before = stat(&disk);
    redline_to(&disk)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("block device"));
    assert_eq!(stat(&disk), before);
    assert_eq!(names(dir.path()), ["disk"]);
}

#[test]
fn our_own_standard_output_and_error_are_written_through() {
    // Each is a link to the process's own descriptor; where a machine has lost that (a
    // /dev/stdout replaced by a regular file), there is nothing of ours to test.
    let is_link = |p: &str| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    for out in ["/dev/stdout", "/proc/self/fd/1", "/dev/fd/1"] {
        if !is_link(out) {
            eprintln!("note: {out} is not a link to a descriptor here; skipped");
            continue;
        }
        redline_to(Path::new(out))
            .assert()
            .code(1)
            .stdout(predicate::str::starts_with(
                "--- fixtures/redline/move/old.md",
            ))
            .stderr("");
    }
    if !is_link("/dev/stderr") {
        eprintln!("note: /dev/stderr is not a link to a descriptor here; skipped");
        return;
    }
    redline_to(Path::new("/dev/stderr"))
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "--- fixtures/redline/move/old.md",
        ));
}

#[test]
fn a_fifo_is_written_into() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("note: mkfifo not available; skipped");
        return;
    }
    let before = stat(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(&fifo).unwrap())
    };
    redline_to(&fifo).assert().code(1).stdout("");
    let got = reader.join().unwrap();
    assert!(got.starts_with("--- fixtures/redline/move/old.md"), "{got}");
    assert!(got.contains("moved"), "{got}");
    assert_eq!(stat(&fifo), before);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names(dir.path()), ["pipe"]);
}

#[test]
fn a_socket_is_written_into() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("sock");
    let listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let before = stat(&sock);
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let (mut s, _) = listener.accept().unwrap();
        let mut got = String::new();
        s.read_to_string(&mut got).unwrap();
        got
    });
    redline_to(&sock).assert().code(1).stdout("");
    let got = reader.join().unwrap();
    assert!(got.starts_with("--- fixtures/redline/move/old.md"), "{got}");
    assert_eq!(stat(&sock), before);
    assert_eq!(names(dir.path()), ["sock"]);
}

#[test]
fn a_symbolic_link_keeps_pointing_and_its_target_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    // Relative: link -> sub/real.md, a file of mode 0640.
    let real = d.join("sub/real.md");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("sub/real.md", d.join("rel")).unwrap();
    redline_to(&d.join("rel")).assert().code(1);
    assert_eq!(
        std::fs::read_link(d.join("rel")).unwrap(),
        Path::new("sub/real.md")
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("--- fixtures/redline/move/old.md"),
        "{text}"
    );
    assert_eq!(std::fs::metadata(&real).unwrap().mode() & 0o7777, 0o640);
    // Absolute, through a chain of two links.
    std::os::unix::fs::symlink(d.join("rel"), d.join("abs")).unwrap();
    std::fs::write(&real, "old again").unwrap();
    redline_to(&d.join("abs")).assert().code(1);
    assert_eq!(std::fs::read_link(d.join("abs")).unwrap(), d.join("rel"));
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("--- "));
    // No temporary file in the link's directory or the target's.
    assert_eq!(names(d), ["abs", "rel", "sub"]);
    assert_eq!(names(&d.join("sub")), ["real.md"]);
}

#[test]
fn a_dangling_link_creates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("made.md", d.join("link")).unwrap();
    redline_to(&d.join("link")).assert().code(1);
    assert_eq!(
        std::fs::read_link(d.join("link")).unwrap(),
        Path::new("made.md")
    );
    assert!(
        std::fs::read_to_string(d.join("made.md"))
            .unwrap()
            .starts_with("--- ")
    );
    // Into a directory that does not exist: an error naming it, nothing made.
    std::os::unix::fs::symlink("nodir/x.md", d.join("nowhere")).unwrap();
    redline_to(&d.join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such directory"));
    assert_eq!(names(d), ["link", "made.md", "nowhere"]);
}

#[test]
fn a_replaced_file_keeps_its_mode_and_owner() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.txt");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o604)).unwrap();
    // Root can give the file to someone else first; the replacement must keep that owner.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&out, Some(65534), Some(65534)).unwrap();
    } else {
        eprintln!("note: not root; the owner kept is our own");
    }
    let before = std::fs::metadata(&out).unwrap();
    redline_to(&out).assert().code(1);
    let after = std::fs::metadata(&out).unwrap();
    assert_ne!(after.ino(), before.ino(), "replaced atomically, by rename");
    assert_eq!(after.mode(), before.mode());
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("--- "));
    assert_eq!(names(dir.path()), ["r.txt"]);
}

#[test]
fn a_new_file_gets_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new.txt");
    let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
    let status = std::process::Command::new("sh")
        .current_dir(common::root())
        .arg("-c")
        .arg("umask 027; exec \"$0\" fixtures/redline/move/old.md fixtures/redline/move/new.md -o \"$1\"")
        .arg(&bin)
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert_eq!(std::fs::metadata(&out).unwrap().mode() & 0o777, 0o640);
}

#[test]
fn a_read_only_file_is_refused_even_for_root() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.txt");
    std::fs::write(&out, "keep me").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = stat(&out);
    redline_to(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "r.txt: the file is read-only (mode 0444)",
        ));
    assert_eq!(stat(&out), before);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    // Through a link too.
    std::os::unix::fs::symlink("r.txt", dir.path().join("link")).unwrap();
    redline_to(&dir.path().join("link"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("read-only"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    assert_eq!(names(dir.path()), ["link", "r.txt"]);
}

/// A user who may not write a file, in a directory where they could rename over it: the
/// mode bits are what decides (run as `nobody` when the tests run as root).
#[test]
fn a_file_another_user_may_not_write_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("note: not root; cannot run as another user, skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = dir.path().join("r.txt");
    std::fs::write(&out, "root's").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
    let run = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args([
            "fixtures/redline/move/old.md",
            "fixtures/redline/move/new.md",
            "-o",
        ])
        .arg(&out)
        .current_dir(common::root())
        .output();
    let Ok(run) = run else {
        eprintln!("note: setpriv not available; skipped");
        return;
    };
    if run.status.code() == Some(127) || String::from_utf8_lossy(&run.stderr).contains("setpriv:") {
        eprintln!("note: setpriv could not switch user; skipped");
        return;
    }
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("read-only"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "root's");
    assert_eq!(names(dir.path()), ["r.txt"]);
}

/// The written temporary file, held before its rename (a debug-build hook), then a signal:
/// the file is removed, the old output stays, the exit status is 128 + the signal.
#[test]
fn a_signal_removes_the_temporary_file() {
    for (sig, code) in [("TERM", 143), ("INT", 130)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.txt");
        std::fs::write(&out, "old").unwrap();
        let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
        let mut child = std::process::Command::new(bin)
            .current_dir(common::root())
            .env("OEWG_DIFF_TEST_HOLD_TEMP_MS", "30000")
            .args([
                "fixtures/redline/move/old.md",
                "fixtures/redline/move/new.md",
                "-o",
            ])
            .arg(&out)
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while names(dir.path()).len() < 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let tmp = names(dir.path());
        assert!(
            tmp.iter()
                .any(|n| n.starts_with(".r.txt.") && n.ends_with(".tmp")),
            "{tmp:?}"
        );
        let killed = std::process::Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{sig}");
        assert_eq!(names(dir.path()), ["r.txt"], "SIG{sig}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    }
}

#[test]
fn a_word_document_never_goes_to_a_terminal_device() {
    // /dev/tty is the controlling terminal, when there is one: refused before a byte is
    // written. Without one, opening it fails: an error all the same, and nothing replaced.
    let dir = tempfile::tempdir().unwrap();
    let Some(tty) = mknod(dir.path(), "tty", "c", 5, 0) else {
        return;
    };
    let before = stat(&tty);
    bin()
        .args([
            "fixtures/redline/move/old.md",
            "fixtures/redline/move/new.md",
            "--format",
            "docx",
            "-o",
        ])
        .arg(&tty)
        .assert()
        .code(2);
    assert_eq!(stat(&tty), before);
}
