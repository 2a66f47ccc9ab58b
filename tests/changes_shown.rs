//! Changes outside the paragraphs are in the default redline and in every export, and the
//! exit status says so (the text and the status never disagree): a footnote's text edited,
//! a footnote added or dropped, also when no paragraph cites it; the front matter or an
//! editor's note edited.

mod common;

use common::cmd;

use serde_json::Value;

/// Each fixture pair (under `fixtures/`) and the words its change deletes and inserts.
const CASES: &[(&str, Option<&str>, Option<&str>)] = &[
    ("footnotes/edited", Some("I"), Some("II")),
    (
        "footnotes/added",
        None,
        Some("General Assembly resolution 76/19, operative paragraph 6."),
    ),
    (
        "footnotes/dropped",
        Some("General Assembly resolution 76/19, operative paragraph 6."),
        None,
    ),
    ("footnotes/uncited", None, Some("73/27")),
    ("footnotes/renumbered", Some("I"), Some("II")),
    ("metadata/front_matter", None, Some("Rev.")),
    ("metadata/editors_note", Some("15"), Some("30")),
];

fn run(case: &str, extra: &[&str]) -> (i32, Vec<u8>) {
    let old = format!("fixtures/{case}/old.md");
    let new = format!("fixtures/{case}/new.md");
    let out = cmd()
        .args([old.as_str(), new.as_str()])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.stderr.is_empty(), "{case}: {:?}", out.stderr);
    (out.status.code().unwrap(), out.stdout)
}

/// The texts between `open` and `close` markers.
fn spans(text: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(after[..j].to_string());
        rest = &after[j + close.len()..];
    }
    out
}

fn assert_marked(case: &str, format: &str, deleted: &[String], inserted: &[String]) {
    let (_, del, ins) = CASES.iter().find(|c| c.0 == case).unwrap();
    if let Some(d) = del {
        assert!(
            deleted.iter().any(|s| s.contains(d)),
            "{case} ({format}): '{d}' is not shown deleted; deletions: {deleted:?}"
        );
    }
    if let Some(i) = ins {
        assert!(
            inserted.iter().any(|s| s.contains(i)),
            "{case} ({format}): '{i}' is not shown inserted; insertions: {inserted:?}"
        );
    }
}

#[test]
fn plain_and_coloured_redlines_show_the_change_and_exit_1() {
    for (case, _, _) in CASES {
        let (code, out) = run(case, &["--format", "plain"]);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(code, 1, "{case}: {text}");
        assert!(!text.contains("No differences"), "{case}: {text}");
        assert_marked(
            case,
            "plain",
            &spans(&text, "[-", "-]"),
            &spans(&text, "{+", "+}"),
        );
        let (code, out) = run(case, &["--color", "debug"]);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(code, 1, "{case}: {text}");
        assert!(
            text.contains("footnote ") || text.contains("metadata: "),
            "{case}: {text}"
        );
    }
}

#[test]
fn json_lists_the_change() {
    for (case, _, _) in CASES {
        let (code, out) = run(case, &["--format", "json"]);
        assert_eq!(code, 1, "{case}");
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["summary"]["changed"], true, "{case}");
        let ops = |kind: &str| -> Vec<String> {
            ["footnotes", "metadata"]
                .iter()
                .flat_map(|part| v[part].as_array().unwrap().iter())
                .flat_map(|f| f["diff"].as_array().unwrap().iter())
                .filter(|o| o["op"] == kind)
                .map(|o| o["text"].as_str().unwrap().to_string())
                .collect()
        };
        assert_marked(case, "json", &ops("delete"), &ops("insert"));
    }
}

#[test]
fn html_and_markdown_show_the_change_and_never_say_no_differences() {
    for (case, _, _) in CASES {
        let (code, out) = run(case, &["--format", "html"]);
        assert_eq!(code, 1, "{case}");
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("No differences"), "{case}");
        assert_marked(
            case,
            "html",
            &spans(&html, "<del>", "</del>"),
            &spans(&html, "<ins>", "</ins>"),
        );
        let (code, out) = run(case, &["--format", "md"]);
        assert_eq!(code, 1, "{case}");
        let md = String::from_utf8(out).unwrap();
        assert!(!md.contains("No differences"), "{case}");
        let mut deleted = spans(&md, "{--", "--}");
        let mut inserted = spans(&md, "{++", "++}");
        for sub in spans(&md, "{~~", "~~}") {
            if let Some((d, i)) = sub.split_once("~>") {
                deleted.push(d.to_string());
                inserted.push(i.to_string());
            }
        }
        assert_marked(case, "md", &deleted, &inserted);
    }
}

#[test]
fn word_tracks_the_change_also_outside_the_paragraphs() {
    for (case, _, _) in CASES {
        let (code, out) = run(case, &["--format", "docx", "-o", "-"]);
        assert_eq!(code, 1, "{case}");
        let parts = common::xml::unzip(&out);
        let mut deleted = Vec::new();
        let mut inserted = Vec::new();
        for part in ["word/document.xml", "word/footnotes.xml"] {
            let src = std::str::from_utf8(&parts[part]).unwrap();
            let root = common::xml::parse(src).unwrap();
            for d in root.find_all("w:del") {
                deleted.push(d.text());
            }
            for i in root.find_all("w:ins") {
                inserted.push(i.text());
            }
        }
        assert_marked(case, "docx", &deleted, &inserted);
    }
}

#[test]
fn a_footnote_edit_alone_reads_as_such() {
    let (_, out) = run("footnotes/edited", &["--format", "plain"]);
    insta::assert_snapshot!("footnote_edited_plain", String::from_utf8(out).unwrap());
}

#[test]
fn a_section_selection_keeps_the_footnotes_its_paragraphs_cite() {
    // Paragraph 2 cites the edited footnote: selecting it shows the edit, selecting
    // paragraph 1 does not and is no difference.
    let (code, out) = run("footnotes/edited", &["--para", "2", "--format", "plain"]);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("{+II+}"), "{text}");
    let (code, out) = run("footnotes/edited", &["--para", "1", "--format", "plain"]);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("No differences in the selection."), "{text}");
}

#[test]
fn an_edited_footnote_no_paragraph_cites_reads_as_modified() {
    let (_, out) = run("footnotes/uncited", &["--format", "json"]);
    let v: Value = serde_json::from_slice(&out).unwrap();
    let statuses: Vec<&str> = v["footnotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["unchanged", "modified"], "{v}");
}
