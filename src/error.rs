//! Library errors. Each names the file (and the line where there is one) and says what to do.

use std::path::PathBuf;
use thiserror::Error;

/// A draft file that cannot be used.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{}: no such file; check the path, or give a draft name from oewg.toml", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: permission denied; make the file readable", path.display())]
    PermissionDenied { path: PathBuf },
    #[error("{}: is a directory; give a draft file inside it", path.display())]
    IsDirectory { path: PathBuf },
    #[error(
        "{}: not UTF-8 text (invalid byte at offset {byte}, line {line}); convert it to UTF-8 first",
        path.display()
    )]
    NotUtf8 {
        path: PathBuf,
        byte: usize,
        line: usize,
    },
    #[error(
        "{}: binary data (NUL byte at offset {byte}); give the text of the draft, e.g. the PDF converted to text",
        path.display()
    )]
    Binary { path: PathBuf, byte: usize },
    #[error("{}: the file is empty (no words); give a draft with text", path.display())]
    Empty { path: PathBuf },
    #[error(
        "{}: too large ({size} bytes, the limit is {max}); split the file or give the draft alone",
        path.display()
    )]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl LoadError {
    pub fn from_io(path: PathBuf, e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound { path },
            std::io::ErrorKind::PermissionDenied => LoadError::PermissionDenied { path },
            std::io::ErrorKind::IsADirectory => LoadError::IsDirectory { path },
            _ => LoadError::Io { path, source: e },
        }
    }
}

/// A manifest (`oewg.toml`) that cannot be used.
#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("{}:{line}:{col}: manifest syntax error: {message}; fix the TOML at that line", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(
        "no oewg.toml found in {} or any parent directory; give a file path, or --manifest FILE",
        dir.display()
    )]
    NotFound { dir: PathBuf },
    #[error("unknown draft '{name}'{}; known drafts: {}", manifest_note(.manifest), known.join(", "))]
    UnknownDraft {
        name: String,
        manifest: Option<PathBuf>,
        known: Vec<String>,
    },
    #[error(
        "{name}: no such file, and no oewg.toml was found here or in a parent directory to name drafts; give a file path, or --manifest FILE"
    )]
    NoManifest { name: String },
    #[error("unknown series '{name}'; known series: {}", known.join(", "))]
    UnknownSeries { name: String, known: Vec<String> },
}

fn manifest_note(m: &Option<PathBuf>) -> String {
    match m {
        Some(p) => format!(" in {}", p.display()),
        None => String::new(),
    }
}

/// An output file that cannot be written.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{}: refusing to overwrite an input draft; choose another output file", path.display())]
    WouldOverwriteInput { path: PathBuf },
    #[error("{}: is a directory; give the name of a file inside it for the output", path.display())]
    IsDirectory { path: PathBuf },
    #[error("{}: no such directory {}; create it first or choose another output file", path.display(), dir.display())]
    NoDirectory { path: PathBuf, dir: PathBuf },
    #[error("{}: permission denied; choose an output file in a directory you can write to", path.display())]
    PermissionDenied { path: PathBuf },
    #[error("{}: cannot write ({error}); check the directory exists and is writable", path.display())]
    Io {
        path: PathBuf,
        /// Said in the message itself (not a `source`), so it is said once.
        error: std::io::Error,
    },
}

impl WriteError {
    pub fn from_io(path: &std::path::Path, e: std::io::Error) -> Self {
        let path = path.to_path_buf();
        let e = os_error(e);
        match e.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                WriteError::PermissionDenied { path }
            }
            std::io::ErrorKind::IsADirectory => WriteError::IsDirectory { path },
            _ => WriteError::Io { path, error: e },
        }
    }
}

/// The operating system's error without the name of tempfile's temporary file, which
/// tempfile adds to its messages: the user only needs to hear about the file they asked for.
fn os_error(e: std::io::Error) -> std::io::Error {
    if e.raw_os_error().is_some() {
        return e;
    }
    let msg = e.to_string();
    match msg.find(" at path \"") {
        Some(i) => std::io::Error::new(e.kind(), msg[..i].to_string()),
        None => e,
    }
}
