//! The manifest `oewg.toml`: named series of drafts (zero draft, Rev. 1, ...), found by
//! searching upward from the current directory, and the resolution of a user's draft argument
//! (a manifest name or a file path) to a file.

use crate::error::{LoadError, ManifestError};
use crate::model::Family;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const MANIFEST_NAME: &str = "oewg.toml";

/// The parsed manifest.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub series: Vec<Series>,
    /// Where the manifest was read from; draft paths are relative to its directory.
    #[serde(skip)]
    pub path: PathBuf,
}

/// A series of successive drafts of one negotiated text, oldest first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    /// `report` or `treaty`, for every draft of the series (default: detected from the text).
    #[serde(default)]
    pub family: Option<Family>,
    #[serde(default, rename = "draft")]
    pub drafts: Vec<DraftEntry>,
}

/// One draft of a series.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftEntry {
    pub name: String,
    pub path: PathBuf,
    #[serde(default)]
    pub title: Option<String>,
    /// `YYYY-MM-DD`, quoted or as a TOML date (checked by [`Manifest::parse`]).
    #[serde(default, deserialize_with = "date_field")]
    pub date: Option<String>,
    /// The file the draft was cut from, for provenance.
    #[serde(default)]
    pub source: Option<String>,
    /// First and last line of the draft in `source`.
    #[serde(default)]
    pub lines: Option<[usize; 2]>,
    /// Labels agreed ad ref in this draft: later drafts must keep their text.
    #[serde(default)]
    pub agreed: Vec<String>,
    /// `report` or `treaty` for this draft, over the series' setting (default: detected).
    #[serde(default)]
    pub family: Option<Family>,
}

/// A draft argument resolved to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRef {
    /// The manifest name, or the path as the user gave it.
    pub name: String,
    pub path: PathBuf,
    /// The series the draft belongs to, when it came from the manifest.
    pub series: Option<String>,
    /// The family forced in the manifest (draft over series); `None`: detect from the text.
    pub family: Option<Family>,
}

impl Manifest {
    /// Read and validate a manifest file.
    pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
        let text = crate::ingest::read_text(path).map_err(|e| match e {
            LoadError::Empty { .. } => ManifestError::Invalid {
                path: path.to_path_buf(),
                message: "the manifest is empty; list at least one [[series]]".into(),
            },
            other => ManifestError::Load(other),
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ManifestError> {
        let mut m: Manifest = toml::from_str(text).map_err(|e| {
            let (line, col) = match e.span() {
                Some(span) => line_col(text, span.start),
                None => (1, 1),
            };
            ManifestError::Syntax {
                path: path.to_path_buf(),
                line,
                col,
                message: e.message().trim().to_string(),
            }
        })?;
        m.path = path.to_path_buf();
        m.validate(text)?;
        Ok(m)
    }

    /// What TOML cannot say: names given, each used once; each file named once; dates that
    /// are dates. Each error names the line.
    fn validate(&self, text: &str) -> Result<(), ManifestError> {
        // The same text again, for the lines of the values (it parsed once, so it parses).
        let spans: Spans = toml::from_str(text).unwrap_or_default();
        let err = |at: usize, message: String| ManifestError::Entry {
            path: self.path.clone(),
            line: line_col(text, at).0,
            message,
        };
        let line = |at: usize| line_col(text, at).0;
        let mut series_seen: HashMap<&str, usize> = HashMap::new();
        let mut names: HashMap<&str, (usize, &str)> = HashMap::new();
        let mut files: HashMap<PathBuf, (usize, &str)> = HashMap::new();
        for (s, ss) in self.series.iter().zip(&spans.series) {
            let at = ss.name.span().start;
            if s.name.trim().is_empty() {
                return Err(err(
                    at,
                    "a series with an empty name; give it a name".into(),
                ));
            }
            if let Some(first) = series_seen.insert(&s.name, at) {
                return Err(err(
                    at,
                    format!(
                        "series name '{}' is used twice (first at line {}); give each series its own name",
                        s.name,
                        line(first)
                    ),
                ));
            }
            for (d, ds) in s.drafts.iter().zip(&ss.drafts) {
                let at = ds.name.span().start;
                if d.name.trim().is_empty() {
                    return Err(err(
                        at,
                        format!(
                            "a draft of series '{}' with an empty name; give it the name it is called by on the command line",
                            s.name
                        ),
                    ));
                }
                if d.name == "-" {
                    return Err(err(
                        at,
                        "the draft name '-' means standard input on the command line; give the draft another name".into(),
                    ));
                }
                if let Some((first, in_series)) = names.insert(&d.name, (at, &s.name)) {
                    return Err(err(
                        at,
                        format!(
                            "draft name '{}' is used twice (first at line {} in series '{in_series}'); give each draft its own name",
                            d.name,
                            line(first)
                        ),
                    ));
                }
                let at = ds.path.span().start;
                if d.path.as_os_str().is_empty() {
                    return Err(err(
                        at,
                        format!(
                            "draft '{}' has an empty path; give its file, relative to this manifest",
                            d.name
                        ),
                    ));
                }
                if let Some((first, other)) =
                    files.insert(file_key(&self.base().join(&d.path)), (at, &d.name))
                {
                    return Err(err(
                        at,
                        format!(
                            "draft '{}' names the same file as draft '{other}' (line {}): {}; give each draft its own file",
                            d.name,
                            line(first),
                            d.path.display()
                        ),
                    ));
                }
                if let (Some(date), Some(ds)) = (&d.date, &ds.date)
                    && !is_iso_date(date)
                {
                    return Err(err(
                        ds.span().start,
                        format!(
                            "draft '{}': date '{}' is not a date of the form YYYY-MM-DD (for example 2022-07-27); fix it or leave it out",
                            d.name,
                            date.escape_debug()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Search upward from `dir` for `oewg.toml`.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        let mut cur = Some(dir);
        while let Some(d) = cur {
            let candidate = d.join(MANIFEST_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            cur = d.parent();
        }
        None
    }

    /// The directory draft paths are relative to.
    pub fn base(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    pub fn draft_names(&self) -> Vec<String> {
        self.series
            .iter()
            .flat_map(|s| s.drafts.iter().map(|d| d.name.clone()))
            .collect()
    }

    pub fn entry(&self, name: &str) -> Option<(&Series, &DraftEntry)> {
        self.series
            .iter()
            .find_map(|s| s.drafts.iter().find(|d| d.name == name).map(|d| (s, d)))
    }

    pub fn series_named(&self, name: &str) -> Result<&Series, ManifestError> {
        self.series
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| ManifestError::UnknownSeries {
                name: name.to_string(),
                known: self.series.iter().map(|s| s.name.clone()).collect(),
            })
    }

    pub fn resolve_entry(&self, series: &Series, d: &DraftEntry) -> DraftRef {
        DraftRef {
            name: d.name.clone(),
            path: self.base().join(&d.path),
            series: Some(series.name.clone()),
            family: d.family.or(series.family),
        }
    }
}

/// Resolve a user's draft argument: a file path first when such a file exists (so a
/// manifest name never shadows a file), else a manifest name; a directory of that name only
/// when no draft has it.
pub fn resolve(arg: &str, manifest: Option<&Manifest>) -> Result<DraftRef, ManifestError> {
    let path = PathBuf::from(arg);
    let file = || DraftRef {
        name: arg.to_string(),
        path: path.clone(),
        series: None,
        family: None,
    };
    if path.exists() && !path.is_dir() {
        return Ok(file());
    }
    if let Some(m) = manifest
        && let Some((s, d)) = m.entry(arg)
    {
        return Ok(m.resolve_entry(s, d));
    }
    if path.exists() {
        return Ok(file());
    }
    let looks_like_path = arg.contains(['/', '\\', '.']);
    match manifest {
        Some(m) if !looks_like_path => Err(ManifestError::UnknownDraft {
            name: arg.to_string(),
            manifest: Some(m.path.clone()),
            known: m.draft_names(),
        }),
        None if !looks_like_path => Err(ManifestError::NoManifest {
            name: arg.to_string(),
        }),
        _ => Err(ManifestError::Load(LoadError::NotFound { path })),
    }
}

/// The lines of a manifest's values (a second, lenient reading of the same text).
#[derive(Deserialize, Default)]
struct Spans {
    #[serde(default)]
    series: Vec<SeriesSpans>,
}

#[derive(Deserialize)]
struct SeriesSpans {
    name: Spanned<String>,
    #[serde(default, rename = "draft")]
    drafts: Vec<DraftSpans>,
}

#[derive(Deserialize)]
struct DraftSpans {
    name: Spanned<String>,
    path: Spanned<String>,
    #[serde(default)]
    date: Option<Spanned<toml::Value>>,
}

/// A draft's `date`: a string, or a TOML date (`date = 2022-07-27`), kept as its text.
fn date_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(Some(s)),
        toml::Value::Datetime(dt) => Ok(Some(dt.to_string())),
        other => Err(D::Error::custom(format!(
            "a date is written YYYY-MM-DD (for example \"2022-07-27\"), not a {}",
            other.type_str()
        ))),
    }
}

/// Whether `d` is a calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let (y, m, day): (u32, u32, u32) = (
        d[..4].parse().unwrap_or(0),
        d[5..7].parse().unwrap_or(0),
        d[8..].parse().unwrap_or(0),
    );
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// What tells two files apart: the canonical path when the file exists, else the path with
/// `.` and `..` taken out.
fn file_key(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = &text.as_bytes()[..byte];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = byte
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_names_line() {
        let err = Manifest::parse(
            Path::new("oewg.toml"),
            "[[series]]\nname = \"a\"\nx = = 3\n",
        )
        .unwrap_err();
        match err {
            ManifestError::Syntax { line, .. } => assert_eq!(line, 3),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn family_forced_by_draft_over_series() {
        let m = Manifest::parse(
            Path::new("oewg.toml"),
            concat!(
                "[[series]]\nname = \"s\"\nfamily = \"treaty\"\n",
                "[[series.draft]]\nname = \"a\"\npath = \"a.md\"\n",
                "[[series.draft]]\nname = \"b\"\npath = \"b.md\"\nfamily = \"report\"\n"
            ),
        )
        .unwrap();
        assert_eq!(resolve("a", Some(&m)).unwrap().family, Some(Family::Treaty));
        assert_eq!(resolve("b", Some(&m)).unwrap().family, Some(Family::Report));
        let bad = Manifest::parse(
            Path::new("oewg.toml"),
            "[[series]]\nname = \"s\"\nfamily = \"novel\"\n",
        );
        assert!(matches!(bad, Err(ManifestError::Syntax { line: 3, .. })));
    }

    #[test]
    fn calendar_dates() {
        for good in ["2022-07-27", "2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_iso_date(good), "{good}");
        }
        for bad in [
            "2022-7-27",
            "2022-13-01",
            "2022-00-10",
            "2022-04-31",
            "2023-02-29",
            "1900-02-29",
            "2022-07-27T00:00:00Z",
            "27 July 2022",
            "",
            "2022-07-2x",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_file_is_known_under_any_spelling() {
        assert_eq!(
            file_key(Path::new("/nowhere/a/./b/../c.md")),
            PathBuf::from("/nowhere/a/c.md")
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.md"), "1. x").unwrap();
        assert_eq!(
            file_key(&dir.path().join("./x.md")),
            file_key(&dir.path().join("x.md"))
        );
    }

    #[test]
    fn unknown_name_lists_known() {
        let m = Manifest::parse(
            Path::new("oewg.toml"),
            "[[series]]\nname = \"s\"\n[[series.draft]]\nname = \"zero\"\npath = \"z.md\"\n",
        )
        .unwrap();
        let e = resolve("rev9", Some(&m)).unwrap_err().to_string();
        assert!(e.contains("rev9") && e.contains("zero"), "{e}");
    }
}
