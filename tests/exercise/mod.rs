//! The whole pipeline on arbitrary input, with the invariants that must hold for any text.
//! Shared by the fuzz targets (`fuzz/`, through `#[path]`) and by `tests/fuzz_properties.rs`,
//! so CI exercises the same code without nightly features.
#![allow(dead_code)]

use oewg_diff::check;
use oewg_diff::diff::{self, Tag, redline};
use oewg_diff::ingest;
use oewg_diff::model::Draft;
use oewg_diff::render::redline::Selection;
use oewg_diff::render::style::{Paint, Painter};
use oewg_diff::render::{json, outline, tables};
use std::path::Path;

/// Bytes as the tool would see them: read as UTF-8 (the loader refuses anything else, so
/// invalid sequences are replaced here rather than skipped, to keep the input useful).
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Split one fuzz input into two drafts: at the first form feed, or (for a single draft, as
/// the seed corpus holds) the draft and the same draft with its two halves swapped, so the
/// diff sees moves, splits and renumbering.
pub fn pair_of(text: &str) -> (String, String) {
    if let Some(at) = text.find('\u{c}') {
        return (text[..at].to_string(), text[at + 1..].to_string());
    }
    let lines: Vec<&str> = text.lines().collect();
    let mid = lines.len() / 2;
    let swapped = [&lines[mid..], &lines[..mid]].concat().join("\n");
    (text.to_string(), swapped)
}

/// Read a file's bytes as the loader does (encodings, byte-order marks, known binary
/// formats): never a panic; text when it reads, and text it can parse.
pub fn decode_all(data: &[u8]) {
    if let Ok(text) = ingest::decode_text(Path::new("fuzz.md"), data.to_vec()) {
        let _ = parse_all(&text);
    }
}

/// Parse, check and render one draft; assert what must hold of any parse.
pub fn parse_all(text: &str) -> Draft {
    let d = ingest::parse("fuzz", Path::new("fuzz.md"), text);
    for n in &d.nodes {
        for c in &n.citations {
            assert!(
                c.offset <= n.text.len() && n.text.is_char_boundary(c.offset),
                "citation offset {} outside {:?}",
                c.offset,
                n.text
            );
        }
        assert!(n.line >= 1 && n.col >= 1, "line and column are 1-based");
        if let Some(p) = n.parent {
            assert!(p < d.nodes.len(), "parent index in range");
        }
    }
    let _ = check::check_draft(&d, text);
    let _ = outline::outline(&d, &[], &Painter::new(Paint::Debug));
    let j = outline::json(&d, &[]);
    assert!(
        serde_json::from_str::<serde_json::Value>(&j).is_ok(),
        "outline JSON parses"
    );
    d
}

/// The redline of two drafts, every renderer, and the invariants of a redline: each node of
/// either draft in exactly one entry; the sides of each 1:1 entry reproduce the texts; the
/// same draft against itself is no change.
pub fn redline_all(old_text: &str, new_text: &str) {
    let old = parse_all(old_text);
    let new = parse_all(new_text);
    let r = redline(&old, &new);
    let mut seen_old = vec![0usize; old.nodes.len()];
    let mut seen_new = vec![0usize; new.nodes.len()];
    for e in &r.entries {
        if let Some(o) = e.old {
            seen_old[o] += 1;
        }
        if let Some(n) = e.new {
            seen_new[n] += 1;
        }
        if !e.split && !e.merged {
            if let Some(o) = r.old_node(e) {
                assert_eq!(diff::side_text(&e.ops, Tag::Delete), o.text, "old side");
            }
            if let Some(n) = r.new_node(e) {
                assert_eq!(diff::side_text(&e.ops, Tag::Insert), n.text, "new side");
            }
        }
    }
    // A split lists its old node once per part, a merge its new node once per part.
    assert!(seen_old.iter().all(|&c| c >= 1), "every old node reported");
    assert!(seen_new.iter().all(|&c| c >= 1), "every new node reported");
    let sel = Selection {
        all: true,
        ..Selection::default()
    };
    let j = json::render(&r, &sel);
    assert!(
        serde_json::from_str::<serde_json::Value>(&j).is_ok(),
        "redline JSON parses"
    );
    for paint in [Paint::None, Paint::Debug] {
        let p = Painter::new(paint);
        for view in [
            oewg_diff::render::redline::render(&r, &sel, &p),
            tables::stat(&r, &sel, &p),
            tables::footnotes(&r, &sel, &p),
        ] {
            assert!(
                !view.chars().any(oewg_diff::render::style::is_unsafe),
                "a text view holds a raw control character: {view:?}"
            );
        }
    }
    let _ = check::check_against(&r, new_text);
    let same = redline(&old, &old);
    let changed: Vec<String> = same
        .entries
        .iter()
        .filter(|e| e.is_change())
        .map(|e| {
            let (labels, status) = oewg_diff::render::redline::header(&same, e);
            format!("{labels} {status}")
        })
        .collect();
    assert!(
        changed.is_empty() && !same.has_changes(),
        "a draft against itself is no change: {changed:?}"
    );
}
