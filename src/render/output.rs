//! Writing an export to a file: atomically (a temporary file in the same directory, then a
//! rename, so a reader never sees half a file and a failed write leaves the old file alone),
//! and never over an input draft.

use crate::error::WriteError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether two paths name the same file (following symbolic links). A path that does not
/// exist yet is the same as another only if its directory and name are.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
                return true;
            }
        }
        #[cfg(not(unix))]
        let _ = (ma, mb);
    }
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The canonical form of a path whose file may not exist yet: its directory canonicalised.
fn canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let name = p.file_name()?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

/// Write `bytes` to `path` atomically; refuse when `path` is one of `inputs`.
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), WriteError> {
    if inputs.iter().any(|i| same_file(path, i)) {
        return Err(WriteError::WouldOverwriteInput {
            path: path.to_path_buf(),
        });
    }
    if path.is_dir() {
        return Err(WriteError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(WriteError::NoDirectory {
            path: path.to_path_buf(),
            dir,
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| WriteError::from_io(path, e))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| WriteError::from_io(path, e))?;
    // A new file is readable by others, as an editor would make it; an existing one keeps
    // its permissions.
    let perms = match std::fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(p) = perms {
        tmp.as_file()
            .set_permissions(p)
            .map_err(|e| WriteError::from_io(path, e))?;
    }
    tmp.persist(path)
        .map_err(|e| WriteError::from_io(path, e.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.html");
        write_atomic(&out, b"one", &[]).unwrap();
        write_atomic(&out, b"two", &[]).unwrap();
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
        let e = write_atomic(&other, b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(matches!(e, WriteError::WouldOverwriteInput { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "text");
    }

    #[test]
    fn missing_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nope").join("r.md");
        let e = write_atomic(&out, b"x", &[]).unwrap_err();
        assert!(e.to_string().contains("no such directory"), "{e}");
    }
}
