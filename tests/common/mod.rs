//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod scale;

use oewg_diff::model::{Draft, Family};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The binary, run from the repository's root with the environment's colour and pager
/// settings cleared (each test sets what it needs).
pub fn cmd() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PAGER");
    c
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A text of the shared corpus (`../shared/corpus/<rel>`, beside the repository). Third-party
/// data, never copied into the repository: a missing corpus fails loudly.
pub fn corpus(rel: &str) -> (Draft, String) {
    let path = root().join("../shared/corpus").join(rel);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "corpus file {} is missing ({e}); the corpus tests need ../shared/corpus/ beside the \
             repository (see ../shared/corpus/README.md); run them with ../shared present, or \
             leave out --features corpus",
            path.display()
        )
    });
    let mut d = oewg_diff::ingest::parse(rel, &path, &raw);
    d.path = PathBuf::from(rel);
    (d, raw)
}

pub fn load(rel: &str) -> Draft {
    let path = root().join(rel);
    let mut d = oewg_diff::ingest::load(rel, &path).unwrap_or_else(|e| panic!("{e}"));
    // Relative, so that rendered output does not depend on where the checkout is.
    d.path = PathBuf::from(rel);
    d
}

/// A compact, reviewable rendering of a parsed tree: one line per node and footnote.
pub fn tree(d: &Draft) -> String {
    let mut out = String::new();
    for n in &d.nodes {
        let fns: Vec<String> = n
            .citations
            .iter()
            .map(|c| format!("{}@{}", c.footnote, c.offset))
            .collect();
        // Treaty trees also show the marker and the parent: the structure is the point.
        let structure = match d.family {
            Family::Report => String::new(),
            Family::Treaty => format!(
                "{}\t^{}\t",
                n.marker.as_deref().unwrap_or("-"),
                n.parent.map_or("-", |p| d.nodes[p].label.as_str())
            ),
        };
        out.push_str(&format!(
            "{}\t{}{}\tL{}\t[{}]\t{}{}\n",
            n.label,
            n.kind.as_str(),
            if n.inferred { " inferred" } else { "" },
            n.line,
            fns.join(","),
            structure,
            n.text
        ));
    }
    for f in &d.footnotes {
        out.push_str(&format!("fn {}\tL{}\t{}\n", f.number, f.line, f.text));
    }
    for m in &d.metadata {
        out.push_str(&format!(
            "meta {}\tL{}\t{}\n",
            serde_json::to_value(m.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            m.line,
            m.text.replace('\n', " | ")
        ));
    }
    out
}

/// Every word token of a source file, with markup that carries no words removed: tags,
/// the escaped `<sup>&</sup>lt;sup>` junk, entities. Superscript digits count as digits.
pub fn source_tokens(raw: &str) -> BTreeMap<String, usize> {
    // A footnote mark is its own token; other tags glue what they wrap (77<sup>TH</sup>).
    let marks = regex::Regex::new(r"(?:<sup>&</sup>lt;sup>|<sup>)\s*(\d+)\s*</sup>").unwrap();
    let raw = marks.replace_all(raw, " $1 ");
    let junk = regex::Regex::new(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>").unwrap();
    let stripped = junk.replace_all(&raw, "");
    let entities = regex::Regex::new(r"&(lt|gt|amp|quot|apos|nbsp|#\d+);").unwrap();
    let stripped = entities.replace_all(&stripped, " ");
    // Emphasis marks are layout, also inside a word (`r*eaffirming*` is one word).
    let stripped = stripped.replace('*', "");
    // A run of superscript digits is a footnote mark: its own token, even glued to a word.
    let sups = regex::Regex::new("[⁰¹²³⁴⁵⁶⁷⁸⁹]+").unwrap();
    let spaced = sups.replace_all(&stripped, |c: &regex::Captures| {
        let digits: String = c[0]
            .chars()
            .map(|ch| match ch {
                '⁰' => '0',
                '¹' => '1',
                '²' => '2',
                '³' => '3',
                '⁴' => '4',
                '⁵' => '5',
                '⁶' => '6',
                '⁷' => '7',
                '⁸' => '8',
                _ => '9',
            })
            .collect();
        format!(" {digits} ")
    });
    count(&spaced)
}

/// Word tokens: maximal runs of letters and digits.
pub fn count(s: &str) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *m.entry(w.to_string()).or_insert(0) += 1;
    }
    m
}

/// Every word token the model holds: texts, numbering markers, citation and footnote numbers.
pub fn model_tokens(d: &Draft) -> BTreeMap<String, usize> {
    let mut all = String::new();
    for n in &d.nodes {
        all.push_str(&n.text);
        all.push(' ');
        if let Some(m) = &n.marker {
            all.push_str(m);
            all.push(' ');
        }
        for c in &n.citations {
            all.push_str(&format!("{} ", c.footnote));
        }
    }
    for f in &d.footnotes {
        all.push_str(&format!("{} {} ", f.number, f.text));
        for c in &f.citations {
            all.push_str(&format!("{} ", c.footnote));
        }
    }
    let mut tokens = count(&all);
    // Front matter, editor's notes, link definitions, markup directives are kept as written:
    // their words are counted as the source's are (tags, entities and emphasis marks carry
    // none).
    for m in &d.metadata {
        for (w, n) in source_tokens(&m.text) {
            *tokens.entry(w).or_insert(0) += n;
        }
    }
    tokens
}

pub fn assert_nothing_lost(path: &Path) {
    let raw = std::fs::read_to_string(path).unwrap();
    let d = oewg_diff::ingest::parse("t", path, &raw);
    assert_holds_every_word(&d, &raw);
}

/// Every word token of `raw` is held by exactly one piece of `d`.
pub fn assert_holds_every_word(d: &Draft, raw: &str) {
    let path = &d.path;
    let want = source_tokens(raw);
    let got = model_tokens(d);
    if want != got {
        let mut diff = String::new();
        for (k, v) in &want {
            let g = got.get(k).copied().unwrap_or(0);
            if g != *v {
                diff.push_str(&format!("  {k:?}: source {v}, model {g}\n"));
            }
        }
        for (k, v) in &got {
            if !want.contains_key(k) {
                diff.push_str(&format!("  {k:?}: source 0, model {v}\n"));
            }
        }
        panic!("{}: words lost or invented:\n{diff}", path.display());
    }
}

pub mod ooxml;
pub mod xml;

/// Word tokens in order: maximal runs of letters and digits.
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// A draft's nodes as the exports print them: the printed label, then the text.
pub fn printed_nodes(d: &Draft, nodes: &[usize]) -> Vec<String> {
    nodes
        .iter()
        .map(|&i| {
            let n = &d.nodes[i];
            let t = match oewg_diff::render::layout::printed_label(n) {
                Some(l) => format!("{l} {}", n.text),
                None => n.text.clone(),
            };
            ooxml::collapse(&t)
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The drafts of the only series of a manifest (relative to the repository root), loaded in
/// manifest order with relative paths, and the series' name.
pub fn series(manifest: &str) -> (String, Vec<oewg_diff::series::Revision>) {
    let path = root().join(manifest);
    let m = oewg_diff::manifest::Manifest::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let (s, _) = oewg_diff::series::choose(&m, None, None).unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(manifest).parent().unwrap_or(Path::new(""));
    let revisions = s
        .drafts
        .iter()
        .map(|e| {
            let rel = dir.join(&e.path);
            let mut d = load(rel.to_str().unwrap());
            d.name = e.name.clone();
            oewg_diff::series::Revision {
                draft: d,
                title: e.title.clone(),
                date: e.date.clone(),
            }
        })
        .collect();
    (s.name.clone(), revisions)
}
