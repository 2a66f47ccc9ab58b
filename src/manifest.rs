//! The manifest `oewg.toml`: named series of drafts (zero draft, Rev. 1, ...), found by
//! searching upward from the current directory, and the resolution of a user's draft argument
//! (a manifest name or a file path) to a file.

use crate::error::{LoadError, ManifestError};
use crate::model::Family;
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
    #[serde(default)]
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
        let mut seen = std::collections::HashSet::new();
        for s in &m.series {
            for d in &s.drafts {
                if !seen.insert(d.name.clone()) {
                    return Err(ManifestError::Invalid {
                        path: path.to_path_buf(),
                        message: format!(
                            "draft name '{}' is used twice; give each draft its own name",
                            d.name
                        ),
                    });
                }
            }
        }
        Ok(m)
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

/// Resolve a user's draft argument: a manifest name first, then a file path.
pub fn resolve(arg: &str, manifest: Option<&Manifest>) -> Result<DraftRef, ManifestError> {
    if let Some(m) = manifest
        && let Some((s, d)) = m.entry(arg)
    {
        return Ok(m.resolve_entry(s, d));
    }
    let path = PathBuf::from(arg);
    if path.exists() {
        return Ok(DraftRef {
            name: arg.to_string(),
            path,
            series: None,
            family: None,
        });
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
