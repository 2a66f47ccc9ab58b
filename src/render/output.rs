//! Writing the redline to `-o FILE` without destroying anything of the user's.
//!
//! - A regular file is replaced atomically: a temporary file in the same directory, then a
//!   rename, so a reader never sees half a file and a failed write leaves the old file alone.
//!   The new file keeps the old one's mode and, where the system permits, its owner and group.
//!   A file nobody may write (its mode bits, even for root) is refused, not replaced.
//! - A symbolic link is followed: its target is replaced (in the target's directory) and the
//!   link is left as it was. A dangling link creates its target, as a shell's `>` does.
//! - A character device, a FIFO, a socket, or our own standard output or error
//!   (`/dev/stdout`, `/proc/self/fd/2`) is written into, never replaced. A block device is
//!   refused: it is a disk.
//! - An input draft is never the output.
//! - A temporary file is removed on any error, and on SIGINT, SIGTERM and SIGHUP (a handler
//!   thread removes the live ones, then exits 128 + the signal's number).

use crate::error::WriteError;
use std::fs::Metadata;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether two paths name the same file (following symbolic links). A path that does not
/// exist yet is the same as another only if its directory and name are.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b))
        && same_inode(&ma, &mb)
    {
        return true;
    }
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

#[cfg(unix)]
fn same_inode(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// The canonical form of a path whose file may not exist yet: its directory canonicalised.
fn canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let name = p.file_name()?;
    Some(parent_dir(p).canonicalize().ok()?.join(name))
}

/// The directory a path's file is in (`.` for a bare name).
fn parent_dir(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// What `-o PATH` names, and so how it is written.
#[derive(Debug)]
enum Destination {
    /// The process's own standard output (or error): written through it.
    Stdout,
    Stderr,
    /// A character device or a FIFO: opened and written into.
    Stream(PathBuf),
    /// A Unix socket: connected to and written into.
    Socket(PathBuf),
    /// A regular file, after following symbolic links; `None` when it does not exist yet.
    File(PathBuf, Option<Metadata>),
}

/// Write `bytes` to `path` (see the module doc); refuse when `path` is one of `inputs`.
/// `binary` output (a Word document) is never written to a terminal.
pub fn write_output(
    path: &Path,
    bytes: &[u8],
    inputs: &[PathBuf],
    binary: bool,
) -> Result<(), WriteError> {
    if inputs.iter().any(|i| same_file(path, i)) {
        return Err(WriteError::WouldOverwriteInput {
            path: path.to_path_buf(),
        });
    }
    match destination(path)? {
        Destination::Stdout => write_std(path, std::io::stdout().lock(), bytes, binary),
        Destination::Stderr => write_std(path, std::io::stderr().lock(), bytes, binary),
        Destination::Stream(p) => write_stream(path, &p, bytes, binary),
        Destination::Socket(p) => write_socket(path, &p, bytes),
        Destination::File(real, existing) => {
            if let Some(m) = &existing {
                refuse_read_only(path, m)?;
            }
            // The target of a link may be an input even where the link itself was not seen
            // as one (a dangling link to a file named like an input).
            if real != path && inputs.iter().any(|i| same_file(&real, i)) {
                return Err(WriteError::WouldOverwriteInput {
                    path: path.to_path_buf(),
                });
            }
            replace_file(path, &real, existing.as_ref(), bytes)
        }
    }
}

/// Classify `path`: follow it as the kernel would, and look at what is there.
fn destination(path: &Path) -> Result<Destination, WriteError> {
    match std::fs::metadata(path) {
        Ok(m) => {
            if let Some(d) = own_stream(&m) {
                return Ok(d);
            }
            let ft = m.file_type();
            if ft.is_dir() {
                return Err(WriteError::IsDirectory {
                    path: path.to_path_buf(),
                });
            }
            if ft.is_file() {
                return Ok(Destination::File(follow_links(path)?, Some(m)));
            }
            special(path, &m)
        }
        // `out/` names a directory, as a shell reads it: never a file called `out`.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && names_a_directory(path) => {
            Err(WriteError::NoDirectory {
                path: path.to_path_buf(),
                dir: path.to_path_buf(),
            })
        }
        // Nothing there: a new file, perhaps through a dangling link.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let real = follow_links(path)?;
            let dir = parent_dir(&real);
            if !dir.is_dir() {
                return Err(WriteError::NoDirectory {
                    path: path.to_path_buf(),
                    dir,
                });
            }
            Ok(Destination::File(real, None))
        }
        Err(e) => Err(WriteError::from_io(path, e)),
    }
}

/// Whether a path ends in a separator (`out/`, `out/.`).
fn names_a_directory(path: &Path) -> bool {
    let s = path.as_os_str().to_string_lossy();
    s.ends_with('/') || s.ends_with("/.") || s.ends_with(std::path::MAIN_SEPARATOR)
}

/// The destination when `m` is the process's own standard output or error.
fn own_stream(m: &Metadata) -> Option<Destination> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fstat = |fd: std::os::fd::BorrowedFd<'_>| {
            fd.try_clone_to_owned()
                .ok()
                .and_then(|fd| std::fs::File::from(fd).metadata().ok())
        };
        if fstat(std::io::stdout().as_fd()).is_some_and(|s| same_inode(&s, m)) {
            return Some(Destination::Stdout);
        }
        if fstat(std::io::stderr().as_fd()).is_some_and(|s| same_inode(&s, m)) {
            return Some(Destination::Stderr);
        }
    }
    let _ = m;
    None
}

/// A destination that is neither a file nor a directory.
#[cfg(unix)]
fn special(path: &Path, m: &Metadata) -> Result<Destination, WriteError> {
    use std::os::unix::fs::FileTypeExt;
    let ft = m.file_type();
    if ft.is_block_device() {
        return Err(WriteError::BlockDevice {
            path: path.to_path_buf(),
        });
    }
    if ft.is_socket() {
        return Ok(Destination::Socket(path.to_path_buf()));
    }
    // A character device or a FIFO.
    Ok(Destination::Stream(path.to_path_buf()))
}

#[cfg(not(unix))]
fn special(path: &Path, _: &Metadata) -> Result<Destination, WriteError> {
    Ok(Destination::Stream(path.to_path_buf()))
}

/// The file a chain of symbolic links ends at (the path itself when it is no link). The
/// end may not exist (a dangling link).
fn follow_links(path: &Path) -> Result<PathBuf, WriteError> {
    // Linux's own limit on links followed in one lookup.
    const MAX_LINKS: usize = 40;
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| WriteError::from_io(path, e))?;
                p = if target.is_absolute() {
                    target
                } else {
                    parent_dir(&p).join(target)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(WriteError::Io {
        path: path.to_path_buf(),
        error: std::io::Error::other("too many levels of symbolic links"),
    })
}

/// Refuse a file its mode bits do not let us write. Root may write any file, but a file
/// nobody may write (`chmod a-w`) was made read-only on purpose: root is refused it too.
fn refuse_read_only(path: &Path, m: &Metadata) -> Result<(), WriteError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = m.mode() & 0o7777;
        // SAFETY: these calls only read the process's credentials.
        let (euid, egid) = unsafe { (libc::geteuid(), libc::getegid()) };
        let writable = if euid == 0 {
            mode & 0o222 != 0
        } else if m.uid() == euid {
            mode & 0o200 != 0
        } else if m.gid() == egid || in_groups(m.gid()) {
            mode & 0o020 != 0
        } else {
            mode & 0o002 != 0
        };
        if !writable {
            return Err(WriteError::ReadOnly {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    #[cfg(not(unix))]
    if m.permissions().readonly() {
        return Err(WriteError::ReadOnly {
            path: path.to_path_buf(),
            mode: 0o444,
        });
    }
    Ok(())
}

/// Whether `gid` is one of the process's supplementary groups.
#[cfg(unix)]
fn in_groups(gid: u32) -> bool {
    // SAFETY: getgroups with a zero size only returns the count; then it fills a buffer of
    // that many entries, and we read no more than it says it wrote.
    unsafe {
        let n = libc::getgroups(0, std::ptr::null_mut());
        if n <= 0 {
            return false;
        }
        let mut groups = vec![0 as libc::gid_t; n as usize];
        let got = libc::getgroups(n, groups.as_mut_ptr());
        got > 0 && groups[..got as usize].contains(&gid)
    }
}

/// Write through our own standard output or error; a closed pipe ends quietly.
fn write_std(
    path: &Path,
    mut out: impl Write + std::io::IsTerminal,
    bytes: &[u8],
    binary: bool,
) -> Result<(), WriteError> {
    if binary && out.is_terminal() {
        return Err(WriteError::BinaryToTerminal {
            path: path.to_path_buf(),
        });
    }
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(WriteError::from_io(path, e)),
        _ => Ok(()),
    }
}

/// Open a device or FIFO for writing (no creating, no truncating) and write into it. A FIFO
/// waits for its reader, as a shell's `>` does.
fn write_stream(shown: &Path, path: &Path, bytes: &[u8], binary: bool) -> Result<(), WriteError> {
    use std::io::IsTerminal;
    let io = |e| WriteError::from_io(shown, e);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(io)?;
    if binary && f.is_terminal() {
        return Err(WriteError::BinaryToTerminal {
            path: shown.to_path_buf(),
        });
    }
    f.write_all(bytes).and_then(|_| f.flush()).map_err(io)
}

#[cfg(unix)]
fn write_socket(shown: &Path, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |e| WriteError::from_io(shown, e);
    let mut s = std::os::unix::net::UnixStream::connect(path).map_err(io)?;
    s.write_all(bytes).map_err(io)?;
    s.shutdown(std::net::Shutdown::Write).map_err(io)
}

#[cfg(not(unix))]
fn write_socket(shown: &Path, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_stream(shown, path, bytes, false)
}

/// Replace (or create) the regular file `real` atomically; `shown` is the path the user gave.
fn replace_file(
    shown: &Path,
    real: &Path,
    existing: Option<&Metadata>,
    bytes: &[u8],
) -> Result<(), WriteError> {
    let io = |e| WriteError::from_io(shown, e);
    let dir = parent_dir(real);
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets what the umask allows (as an editor would make it); an existing one
    // keeps its own mode, set below.
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    cleanup::install();
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    let live = cleanup::Live::register(tmp.path());
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(io)?;
    if let Some(m) = existing {
        keep_owner(tmp.as_file(), m);
        tmp.as_file().set_permissions(m.permissions()).map_err(io)?;
    }
    test_hold();
    live.persist(tmp, real).map_err(io)?;
    // The rename is durable once the directory is; a failure here loses nothing written.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Give the temporary file the old file's owner and group where the system lets us (root
/// may; others may give a file to a group they belong to); otherwise it stays ours. Before
/// the mode is set: a change of owner clears set-user-id bits.
#[cfg(unix)]
fn keep_owner(f: &std::fs::File, old: &Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = f.metadata() else { return };
    if now.uid() == old.uid() && now.gid() == old.gid() {
        return;
    }
    if std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(f, None, Some(old.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &Metadata) {}

/// For the tests of the signal handler: in debug builds, `OEWG_DIFF_TEST_HOLD_TEMP_MS` keeps
/// the written temporary file that long before the rename.
fn test_hold() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("OEWG_DIFF_TEST_HOLD_TEMP_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// The temporary files being written, for the signal handler to remove.
mod cleanup {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once};

    /// Live temporary files. Held while a file is renamed into place, so the handler never
    /// removes one half-way through a rename.
    static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// A registered temporary file; unregistered when dropped (tempfile removes the file).
    pub struct Live(PathBuf);

    impl Live {
        pub fn register(path: &Path) -> Live {
            lock().push(path.to_path_buf());
            Live(path.to_path_buf())
        }

        /// Rename the temporary file into place, with the registry held.
        pub fn persist(self, tmp: tempfile::NamedTempFile, to: &Path) -> std::io::Result<()> {
            let mut live = lock();
            let r = tmp.persist(to).map(drop).map_err(|e| e.error);
            live.retain(|p| p != &self.0);
            drop(live);
            std::mem::forget(self);
            r
        }
    }

    impl Drop for Live {
        fn drop(&mut self) {
            lock().retain(|p| p != &self.0);
        }
    }

    fn lock() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
        // A panic elsewhere leaves the list usable: it is only paths.
        LIVE.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remove these temporary files (the handler's work); how many were there.
    fn remove_all(live: &[PathBuf]) -> usize {
        live.iter()
            .filter(|p| std::fs::remove_file(p).is_ok())
            .count()
    }

    /// The handler's work, on the live files of one directory only (other tests' files are
    /// live at the same time).
    #[cfg(test)]
    pub fn remove_live_in(dir: &Path) -> usize {
        let mine: Vec<PathBuf> = lock()
            .iter()
            .filter(|p| p.parent() == Some(dir))
            .cloned()
            .collect();
        remove_all(&mine)
    }

    /// Install the handler once, before the first temporary file is made.
    pub fn install() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            #[cfg(unix)]
            {
                use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
                // Without a handler the default action still ends the process; only the
                // temporary file would be left.
                let Ok(mut signals) =
                    signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
                else {
                    return;
                };
                std::thread::spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        // Keep the registry locked until exit: no new file, no rename.
                        let live = lock();
                        remove_all(&live);
                        std::process::exit(128 + sig);
                    }
                });
            }
        });
    }

    /// Live temporary files in `dir` (tests run at once: each looks at its own directory).
    #[cfg(test)]
    pub fn live_in(dir: &Path) -> usize {
        lock().iter().filter(|p| p.parent() == Some(dir)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        write_output(path, bytes, &[], false)
    }

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.html");
        write(&out, b"one").unwrap();
        write(&out, b"two").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_an_input_under_another_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("zero.md");
        std::fs::write(&input, "text").unwrap();
        let other = dir.path().join(".").join("zero.md");
        let e = write_output(&other, b"x", std::slice::from_ref(&input), false).unwrap_err();
        assert!(matches!(e, WriteError::WouldOverwriteInput { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "text");
    }

    #[test]
    fn missing_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nope").join("r.md");
        let e = write(&out, b"x").unwrap_err();
        assert!(e.to_string().contains("no such directory"), "{e}");
    }

    #[test]
    fn a_path_ending_in_a_separator_is_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = PathBuf::from(format!("{}/out/", dir.path().display()));
        let e = write(&out, b"x").unwrap_err();
        assert!(e.to_string().contains("no such directory"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_failed_write_removes_its_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // The rename fails: a directory stands where the file should go.
        let out = dir.path().join("r.md");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("keep"), "x").unwrap();
        let e = replace_file(&out, &out, None, b"x").unwrap_err();
        assert!(
            matches!(e, WriteError::IsDirectory { .. } | WriteError::Io { .. }),
            "{e}"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["r.md"]);
        assert_eq!(cleanup::live_in(dir.path()), 0);
    }

    #[test]
    fn the_handler_removes_live_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = tempfile::NamedTempFile::new_in(dir.path()).unwrap();
        let live = cleanup::Live::register(tmp.path());
        assert_eq!(cleanup::live_in(dir.path()), 1);
        assert_eq!(cleanup::remove_live_in(dir.path()), 1);
        assert!(!tmp.path().exists());
        drop(live);
        assert_eq!(cleanup::live_in(dir.path()), 0);
    }

    #[cfg(unix)]
    #[test]
    fn follows_a_chain_of_links_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub").join("real.md");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("sub/real.md", dir.path().join("one")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("one"), dir.path().join("two")).unwrap();
        assert_eq!(follow_links(&dir.path().join("two")).unwrap(), target);
        // A loop is an error, not a hang.
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        let e = write(&dir.path().join("loop"), b"x").unwrap_err();
        assert!(e.to_string().contains("symbolic links"), "{e}");
    }
}
