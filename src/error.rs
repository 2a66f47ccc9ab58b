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
        "{}: not UTF-8 text: {guess} (byte 0x{value:02X} at offset {byte}, line {line}); save it as UTF-8{}",
        path.display(),
        convert_hint(guess)
    )]
    NotUtf8 {
        path: PathBuf,
        byte: usize,
        line: usize,
        /// The first byte that is not UTF-8.
        value: u8,
        /// What the bytes look like (`looks like Latin-1/Windows-1252`).
        guess: &'static str,
    },
    #[error(
        "{}: {what} (at line {line}); save it as UTF-8",
        path.display()
    )]
    BadUtf16 {
        path: PathBuf,
        /// What is wrong (`UTF-16 LE text with an unpaired surrogate`).
        what: &'static str,
        line: usize,
    },
    #[error("{}: {what}; {advice}", path.display())]
    NotText {
        path: PathBuf,
        /// What the file is (`a PDF file`).
        what: &'static str,
        /// What to do instead.
        advice: &'static str,
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

/// How to convert a file in a legacy encoding, when the encoding is known well enough.
fn convert_hint(guess: &str) -> &'static str {
    if guess.contains("Windows-1252") {
        " (e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.md, or your editor's \"Save as UTF-8\")"
    } else {
        ""
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
    /// A value the manifest may not hold (an empty or repeated name, a file named twice, a
    /// date that is none), at its line.
    #[error("{}:{line}: {message}", path.display())]
    Entry {
        path: PathBuf,
        line: usize,
        message: String,
    },
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
    #[error(
        "{}: the file is read-only (mode {mode:04o}); refusing to replace it: make it writable (chmod u+w) or choose another output file",
        path.display()
    )]
    ReadOnly { path: PathBuf, mode: u32 },
    #[error("{}: is a block device (a disk); refusing to write a redline onto it: choose an output file", path.display())]
    BlockDevice { path: PathBuf },
    #[error("{}: is a terminal; refusing to write a Word document to it: choose a .docx file, or a pipe", path.display())]
    BinaryToTerminal { path: PathBuf },
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

/// A request of the series view (`history`, `blame`, `log`) that cannot be answered.
#[derive(Debug, Error)]
pub enum SeriesError {
    #[error(
        "the series view needs the drafts of a series, and no oewg.toml was found in {} or any parent directory; run it where oewg.toml is, or give --manifest FILE",
        dir.display()
    )]
    NoManifest { dir: PathBuf },
    #[error(
        "unknown series '{name}' in {}; known series: {}",
        manifest.display(),
        known.join(", ")
    )]
    UnknownSeries {
        name: String,
        manifest: PathBuf,
        known: Vec<String>,
    },
    #[error("{}: no series; add a [[series]] with its drafts, oldest first", manifest.display())]
    NoSeries { manifest: PathBuf },
    #[error(
        "{}: series '{series}' has no drafts; add its [[series.draft]] entries, oldest first",
        manifest.display()
    )]
    EmptySeries { manifest: PathBuf, series: String },
    #[error(
        "{}: several series ({}); choose one with --series NAME",
        manifest.display(),
        known.join(", ")
    )]
    AmbiguousSeries {
        manifest: PathBuf,
        known: Vec<String>,
    },
    #[error(
        "'{draft}' is not a draft of any series in {}; give a draft name from the manifest (known drafts: {})",
        manifest.display(),
        known.join(", ")
    )]
    NotInAnySeries {
        draft: String,
        manifest: PathBuf,
        known: Vec<String>,
    },
    #[error(
        "'{draft}' is not a draft of series '{series}' in {}; its drafts: {}",
        manifest.display(),
        known.join(", ")
    )]
    NotInSeries {
        draft: String,
        series: String,
        manifest: PathBuf,
        known: Vec<String>,
    },
    #[error(
        "no paragraph '{label}' in {draft} ({}){}; `oewg-diff show {draft}` lists its labels",
        path.display(),
        nearby_note(nearby)
    )]
    UnknownLabel {
        label: String,
        draft: String,
        path: PathBuf,
        nearby: Vec<String>,
    },
    #[error(
        "no section '{section}' in {draft} ({}); its sections: {}",
        path.display(),
        known.join(", ")
    )]
    UnknownSection {
        section: String,
        draft: String,
        path: PathBuf,
        known: Vec<String>,
    },
}

/// `--section` or `--para` naming what neither draft has.
#[derive(Debug, Error)]
pub enum SelectionError {
    #[error(
        "no section '{section}' in {drafts}{}; {}",
        hint.as_ref().map_or_else(String::new, |h| format!(" (did you mean '{h}'?)")),
        if known.is_empty() { "the drafts have no lettered sections".to_string() } else { format!("sections there: {}", known.join(", ")) }
    )]
    UnknownSection {
        section: String,
        drafts: String,
        known: Vec<String>,
        hint: Option<String>,
    },
    #[error("no paragraph '{label}' in {drafts}{nearby}; `oewg-diff show {show}` lists its labels")]
    UnknownLabel {
        label: String,
        drafts: String,
        /// `; nearby labels: ...`, or nothing.
        nearby: String,
        show: String,
    },
    #[error(
        "{selection} selects nothing in {drafts}: each exists, but no paragraph is in all of them; leave one out"
    )]
    Empty { selection: String, drafts: String },
}

fn nearby_note(nearby: &[String]) -> String {
    if nearby.is_empty() {
        String::new()
    } else {
        format!("; nearby labels: {}", nearby.join(", "))
    }
}
