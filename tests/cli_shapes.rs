//! Shapes of input whose edits used to go unreported (issue 19): front matter that is not
//! YAML, treaty text that looks like a link definition, lines of brackets alone, headings
//! after text that stops mid-sentence, repeated "Recommended next steps" headings, CR-only
//! and Unicode line separators. Each pair in `fixtures/redline/<case>/` holds one edit: it
//! must show in the default (plain, when not a terminal) redline and in JSON, with exit 1.
//! And a draft against itself is no change, whatever it holds.

mod common;

use common::cmd;

use serde_json::Value;

/// The default redline of a fixture pair (not a terminal: plain text) and its exit status.
fn plain(case: &str) -> (String, Option<i32>) {
    let out = cmd()
        .args([
            &format!("fixtures/redline/{case}/old.md"),
            &format!("fixtures/redline/{case}/new.md"),
        ])
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

/// The JSON redline of a fixture pair: its change entries (status other than unchanged),
/// paragraphs and headings.
fn json_changes(case: &str) -> Vec<Value> {
    let out = cmd()
        .args([
            &format!("fixtures/redline/{case}/old.md"),
            &format!("fixtures/redline/{case}/new.md"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{case}: JSON exit status");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    ["paragraphs", "headings"]
        .iter()
        .flat_map(|k| v[k].as_array().unwrap().iter())
        .filter(|p| p["status"] != "unchanged")
        .cloned()
        .collect()
}

/// The one edit of a case: shown in plain (with `shows` in it) and in JSON (one change
/// entry, whose diff inserts `inserted` or deletes `deleted`), exit 1.
fn one_edit(case: &str, shows: &[&str], deleted: &str, inserted: &str) -> Value {
    let (text, code) = plain(case);
    assert_eq!(code, Some(1), "{case}: exit status\n{text}");
    assert!(!text.contains("No differences"), "{case}:\n{text}");
    for s in shows {
        assert!(text.contains(s), "{case}: {s:?} not in\n{text}");
    }
    let changes = json_changes(case);
    assert_eq!(changes.len(), 1, "{case}: {changes:#?}");
    let e = changes[0].clone();
    let ops = e["diff"].as_array().unwrap();
    let has = |op: &str, t: &str| {
        t.is_empty()
            || ops
                .iter()
                .any(|o| o["op"] == op && o["text"].as_str().unwrap().contains(t))
    };
    assert!(
        has("delete", deleted),
        "{case}: no deletion of {deleted:?}: {e:#}"
    );
    assert!(
        has("insert", inserted),
        "{case}: no insertion of {inserted:?}: {e:#}"
    );
    e
}

#[test]
fn an_edit_between_dashes_that_are_not_front_matter() {
    let e = one_edit(
        "front_matter_not_yaml",
        &["A 2", "[-reaffirmed-]{+welcomed+}"],
        "reaffirmed",
        "welcomed",
    );
    assert_eq!(e["old"], "2");
}

#[test]
fn an_edit_of_treaty_text_that_looks_like_a_link_definition() {
    one_edit(
        "treaty_link_lookalike",
        &["[Option 1]: [-2030-]{+2040+}"],
        "2030",
        "2040",
    );
}

#[test]
fn a_deleted_line_of_one_bracket_is_a_change_of_brackets() {
    let e = one_edit("bracket_line_deleted", &["A 2", "[brackets]"], "]", "");
    assert_eq!(e["classes"], serde_json::json!(["brackets"]));
}

#[test]
fn deleted_bracket_lines_around_a_treaty_paragraph_agree_it() {
    let e = one_edit(
        "treaty_bracket_lines_deleted",
        &["Art.6.2", "[brackets]", "agreed"],
        "[",
        "",
    );
    assert_eq!(e["classes"], serde_json::json!(["brackets"]));
    assert_eq!(e["brackets"]["agreed"], 1, "{e:#}");
}

/// Without the full stop before `C. Rules, ...`, section C stays: one paragraph lost its
/// full stop, nothing moved.
#[test]
fn a_heading_after_text_that_stops_mid_sentence_stays_a_heading() {
    let e = one_edit("heading_after_mid_sentence", &["B 2", "OEWG[-.-]"], ".", "");
    assert_eq!(e["moved"], false);
    let (text, _) = plain("heading_after_mid_sentence");
    assert!(!text.contains("moved"), "{text}");
    let d = common::load("fixtures/redline/heading_after_mid_sentence/new.md");
    let ids: Vec<&str> = d.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D"]);
}

/// B's next steps emptied, C's kept: B's heading is B's, C's is C's.
#[test]
fn a_steps_list_emptied_in_one_section_is_that_sections() {
    let (text, code) = plain("repeated_steps_heading");
    assert_eq!(code, Some(1));
    assert!(text.contains("B.steps.1  deleted"), "{text}");
    assert!(!text.contains("C.steps"), "{text}");
    let changes = json_changes("repeated_steps_heading");
    let labels: Vec<(&str, &str)> = changes
        .iter()
        .map(|e| {
            (
                e["old"].as_str().unwrap_or("-"),
                e["new"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(labels, [("B.steps.1", "-")], "{changes:#?}");
}

/// B's next steps deleted with their heading, C's kept: B's heading is deleted, never
/// paired with C's (which would leave C's own heading deleted and B's "moved").
#[test]
fn a_steps_heading_deleted_in_one_section_is_not_paired_with_anothers() {
    let (text, code) = plain("steps_list_deleted");
    assert_eq!(code, Some(1));
    assert!(text.contains("B.steps  deleted"), "{text}");
    assert!(text.contains("B.steps.1  deleted"), "{text}");
    assert!(!text.contains("C.steps"), "{text}");
    assert!(!text.contains("moved"), "{text}");
    let out = cmd()
        .args([
            "fixtures/redline/steps_list_deleted/old.md",
            "fixtures/redline/steps_list_deleted/new.md",
            "--format",
            "json",
            "--all",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let headings = v["headings"].as_array().unwrap();
    let c = headings
        .iter()
        .find(|e| e["new"] == "C.steps")
        .expect("C's steps heading");
    assert_eq!(
        (&c["old"], &c["status"]),
        (&Value::from("C.steps"), &Value::from("unchanged"))
    );
    let b = headings
        .iter()
        .find(|e| e["old"] == "B.steps")
        .expect("B's steps heading");
    assert_eq!(
        (&b["new"], &b["status"]),
        (&Value::Null, &Value::from("deleted"))
    );
    let changes = json_changes("steps_list_deleted");
    assert_eq!(changes.len(), 2, "{changes:#?}");
}

/// An article right after the editor's note, another right after a footnote (no blank
/// line between): both are articles, not more of the note or the footnote.
#[test]
fn an_edit_in_an_article_right_after_the_editors_note() {
    one_edit(
        "treaty_article_after_note",
        &["Art.1.1", "[-communicate-]{+update+}"],
        "communicate",
        "update",
    );
    let d = common::load("fixtures/redline/treaty_article_after_note/old.md");
    let ids: Vec<&str> = d.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["Art.1", "Art.2"]);
    assert_eq!(d.footnotes[0].text, "As agreed at the first session.");
}

#[test]
fn an_edit_in_a_file_with_cr_line_endings() {
    one_edit(
        "cr_line_endings",
        &["A 2", "[-reaffirmed-]{+welcomed+}"],
        "reaffirmed",
        "welcomed",
    );
}

#[test]
fn an_edit_in_a_file_with_unicode_line_separators() {
    one_edit(
        "unicode_line_separators",
        &["A 2", "[-reaffirmed-]{+welcomed+}"],
        "reaffirmed",
        "welcomed",
    );
}

/// A draft compared with itself: exit 0, "No differences", for each shape that reported
/// deletions (an article repeated, options with no text, brackets alone on lines, steps
/// headings in every section), and for every fixture.
#[test]
fn every_fixture_against_itself_is_no_change() {
    let mut files = Vec::new();
    for dir in ["fixtures/ingest", "fixtures/treaty", "fixtures/check"] {
        for e in std::fs::read_dir(common::root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    for e in std::fs::read_dir(common::root().join("fixtures/redline")).unwrap() {
        let dir = e.unwrap().path();
        files.push(dir.join("old.md"));
        files.push(dir.join("new.md"));
    }
    assert!(files.len() > 60, "{}", files.len());
    for p in files {
        let out = cmd().arg(&p).arg(&p).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}:\n{text}", p.display());
        assert!(text.contains("No differences"), "{}:\n{text}", p.display());
    }
}

/// `check` on a CR-only file reads its lines: the footnote is defined (no F001), and a
/// footnote cited twice on one line and never defined is reported at each of its places.
#[test]
fn check_reads_cr_line_endings_and_reports_each_mark_once() {
    let s = tempfile::tempdir().unwrap();
    let p = s.path().join("cr.md");
    std::fs::write(
        &p,
        "A. Introduction\r\r1. States recalled the report.\u{b9}\r\r\u{b9} A/75/816.\r",
    )
    .unwrap();
    let out = cmd().arg("check").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("F001"), "{text}");
    let p = s.path().join("twice.md");
    std::fs::write(
        &p,
        "A. Introduction\r\r1. States recalled\u{b2} the report and\u{b2} the resolutions.\r",
    )
    .unwrap();
    let out = cmd().arg("check").arg(&p).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f001: Vec<&str> = text.lines().filter(|l| l.contains("F001")).collect();
    assert_eq!(f001.len(), 2, "{text}");
    assert_ne!(f001[0], f001[1], "each mark at its own column:\n{text}");
}
