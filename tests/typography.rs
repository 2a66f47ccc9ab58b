//! Normalisation never hides a change. Encoding and layout are no change (CRLF, a BOM, runs
//! of spaces and tabs, re-wrapped lines); typography is a change in its own class (no-break
//! spaces, curly against straight quotes, dash variants, soft hyphens), which
//! `--ignore-typography` hides, saying how many it hid.

mod common;

use common::cmd;

use oewg_diff::diff::{Class, Status, redline};
use oewg_diff::ingest::parse;
use std::path::Path;

fn rev2() -> String {
    std::fs::read_to_string(common::root().join("drafts/rev2.md")).unwrap()
}

/// Replace the first `from` (which must occur) by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the draft");
    text.replacen(from, to, 1)
}

/// The changed entries of the redline of Rev. 2 against `new`: (new label, classes).
fn changes(new: &str) -> Vec<(String, Status, Vec<Class>)> {
    let old = parse("rev2", Path::new("rev2.md"), &rev2());
    let new = parse("new", Path::new("new.md"), new);
    let r = redline(&old, &new);
    let out: Vec<_> = r
        .entries
        .iter()
        .filter(|e| e.is_change())
        .map(|e| {
            let n = r.new_node(e).or(r.old_node(e)).unwrap();
            (n.label.clone(), e.status, e.classes.clone())
        })
        .collect();
    assert_eq!(out.is_empty(), !r.has_changes());
    out
}

fn typographic(label: &str) -> Vec<(String, Status, Vec<Class>)> {
    vec![(
        label.to_string(),
        Status::Modified,
        vec![Class::Typographic],
    )]
}

#[test]
fn encoding_and_layout_are_no_change() {
    let t = rev2();
    assert_eq!(changes(&t.replace('\n', "\r\n")), vec![], "CRLF");
    assert_eq!(changes(&format!("\u{feff}{t}")), vec![], "BOM");
    let tabs = edit(
        &t,
        "regional and sub-regional",
        "regional\tand  sub-regional",
    );
    assert_eq!(changes(&tabs), vec![], "tabs and double spaces");
    let wrapped = edit(&t, " play an important role", "\n   play an important role");
    assert_eq!(changes(&wrapped), vec![], "a re-wrapped line");
    let trailing = edit(&t, "OEWG builds its work.\n", "OEWG builds its work. \t \n");
    assert_eq!(changes(&trailing), vec![], "trailing spaces");
}

#[test]
fn a_no_break_space_is_a_typographic_change() {
    let t = rev2();
    assert_eq!(
        changes(&edit(
            &t,
            "regional and sub-regional",
            "regional\u{a0}and sub-regional"
        )),
        typographic("5")
    );
    // Narrow and figure spaces too; and `&nbsp;` is one.
    assert_eq!(
        changes(&edit(
            &t,
            "resolution 75/240 as",
            "resolution\u{202f}75/240 as"
        )),
        typographic("3")
    );
    assert_eq!(
        changes(&edit(
            &t,
            "resolution 75/240 as",
            "resolution&nbsp;75/240 as"
        )),
        typographic("3")
    );
}

#[test]
fn quotes_dashes_and_soft_hyphens_are_typographic_changes() {
    let t = rev2();
    let cases = [
        ("\"recommended 11", "“recommended 11", "2"),
        ("over time\",", "over time”,", "2"),
        ("Chair's summary", "Chair’s summary", "1"),
        ("2021-2025 took", "2021–2025 took", "1"),
        ("2021-2025 took", "2021—2025 took", "1"),
        ("2021-2025 took", "2021 – 2025 took", "1"),
        ("non-state actors", "non‑state actors", "1"),
        ("non-state actors", "non\u{2010}state actors", "1"),
        (
            "geopolitical environment",
            "geo\u{ad}political environment",
            "1",
        ),
        (
            "geopolitical environment",
            "geopolitical\u{200b} environment",
            "1",
        ),
    ];
    for (from, to, label) in cases {
        assert_eq!(
            changes(&edit(&t, from, to)),
            typographic(label),
            "{from:?} -> {to:?}"
        );
        // The same change with a word changed besides is substantive.
        let both = edit(&edit(&t, from, to), "took place", "was held");
        let got = changes(&both);
        assert_eq!(
            got.len(),
            1 + (label != "1") as usize,
            "{from:?} -> {to:?}: {got:?}"
        );
        let one = got.iter().find(|c| c.0 == "1").unwrap();
        assert!(one.2.contains(&Class::Substantive), "{to:?}: {got:?}");
    }
}

#[test]
fn hiding_typography_hides_exactly_it() {
    let old = parse("rev2", Path::new("rev2.md"), &rev2());
    let t = edit(
        &rev2(),
        "regional and sub-regional",
        "regional\u{a0}and sub-regional",
    );
    let t = edit(&t, "Chair's summary", "Chair’s summary");
    let t = edit(
        &t,
        "A/75/816, Annex I, para 12.",
        "A/75/816, Annex I, para\u{a0}12.",
    );
    let new = parse("new", Path::new("new.md"), &t);
    let mut r = redline(&old, &new);
    assert!(r.has_changes());
    assert_eq!(r.typographic_hidden, None);
    assert_eq!(r.hide_typography(), 3, "two paragraphs and a footnote");
    assert_eq!(r.typographic_hidden, Some(3));
    assert!(!r.has_changes());
    // A hidden entry reads as its new text, unchanged.
    let e = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "5"))
        .unwrap();
    assert_eq!(e.status, Status::Unchanged);
    assert!(e.classes.is_empty());
    assert_eq!(
        oewg_diff::diff::side_text(&e.ops, oewg_diff::diff::Tag::Delete),
        r.new_node(e).unwrap().text
    );
    // A substantive change stays.
    let t = edit(&t, "could continue to play", "could play");
    let new = parse("new", Path::new("new.md"), &t);
    let mut r = redline(&old, &new);
    assert_eq!(r.hide_typography(), 2);
    assert!(r.has_changes());
}

#[test]
fn ignore_typography_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rev2-typeset.md");
    let t = edit(
        &rev2(),
        "regional and sub-regional",
        "regional\u{a0}and sub-regional",
    );
    let t = edit(&t, "\"recommended 11", "“recommended 11");
    std::fs::write(&path, &t).unwrap();
    let p = path.to_str().unwrap();

    let out = cmd()
        .args(["rev2", p, "--format", "plain"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("modified [typographic]").count(), 2, "{text}");
    assert!(!text.contains("hidden"), "{text}");

    let out = cmd()
        .args(["rev2", p, "--format", "plain", "--ignore-typography"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "typography alone: exit 0");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("No differences in the language."), "{text}");
    assert!(
        text.contains("2 typographic-only changes hidden (--ignore-typography)"),
        "{text}"
    );

    let out = cmd()
        .args(["rev2", p, "--format", "json", "--ignore-typography"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["typographic_hidden"], 2);
    assert_eq!(v["summary"]["changed"], false);
    let out = cmd()
        .args(["rev2", p, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["typographic_hidden"], 0);
    assert_eq!(v["summary"]["changed"], true);

    // With a change of words as well: still exit 1, still counted.
    std::fs::write(&path, edit(&t, "could continue to play", "could play")).unwrap();
    let out = cmd()
        .args(["rev2", p, "--stat", "--ignore-typography"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 typographic-only change hidden"), "{text}");
}

#[test]
fn exports_say_how_many_typographic_changes_they_hid() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.md");
    let new = dir.path().join("new.md");
    std::fs::write(&old, "1. States recalled the \"framework\" of 2021-2025.\n").unwrap();
    std::fs::write(&new, "1. States recalled the “framework” of 2021–2025.\n").unwrap();
    let run = |format: &str, out: &str| {
        assert_cmd::Command::cargo_bin("oewg-diff")
            .unwrap()
            .current_dir(dir.path())
            .args([
                "old.md",
                "new.md",
                "--ignore-typography",
                "--format",
                format,
                "-o",
                out,
            ])
            .output()
            .unwrap()
    };
    for format in ["md", "html"] {
        let out = run(format, "-");
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("1 typographic-only change hidden"),
            "{format}: {text}"
        );
    }
    let out = run("docx", "x.docx");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 typographic-only change hidden"));
}
