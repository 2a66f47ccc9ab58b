//! `oewg-diff OLD NEW` from the command line: exit status, selection, formats, colour, git.

mod common;

use common::cmd;

use predicates::prelude::*;
use serde_json::Value;

#[test]
fn exit_status_like_diff() {
    cmd().args(["zero", "rev2"]).assert().code(1);
    cmd()
        .args(["zero", "zero"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No differences"));
    cmd()
        .args([
            "fixtures/redline/renumbering/old.md",
            "fixtures/redline/renumbering/new.md",
        ])
        .assert()
        .code(0);
    cmd()
        .args(["zero", "nope.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.md"));
    cmd().args(["zero"]).assert().code(2);
    cmd().args(["zero", "rev2", "--bogus"]).assert().code(2);
}

#[test]
fn section_keeps_to_the_section() {
    let out = cmd()
        .args(["zero", "rev2", "--section", "C", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paras = v["paragraphs"].as_array().unwrap();
    assert!(!paras.is_empty());
    for p in paras {
        let in_c = p["section"]["old"] == "C" || p["section"]["new"] == "C";
        assert!(in_c, "{p}");
    }
    // The item that moved into C from B is in C.
    assert!(
        paras
            .iter()
            .any(|p| p["old"] == "3(a)(viii)" && p["new"] == "14(c)" && p["moved"] == true)
    );
    // Plain output keeps to C as well.
    let out = cmd()
        .args(["zero", "rev2", "--section", "C", "--format", "plain"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()) && l.contains("  "))
    {
        assert!(line.starts_with("C ") || line.contains("<- C "), "{line}");
    }
}

#[test]
fn para_accepts_every_spelling_and_old_or_new_labels() {
    for spelling in ["14(a)", "14a", "14.a", "4a"] {
        let out = cmd()
            .args(["zero", "rev2", "--para", spelling, "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let paras = v["paragraphs"].as_array().unwrap();
        assert_eq!(paras.len(), 1, "{spelling}");
        assert_eq!(paras[0]["new"], "14(a)");
    }
}

#[test]
fn json_contract() {
    let out = cmd()
        .args(["zero", "rev2", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["old"]["name"], "zero");
    assert_eq!(v["new"]["name"], "rev2");
    for p in v["paragraphs"].as_array().unwrap() {
        for k in [
            "old", "new", "status", "section", "moved", "split", "merged", "classes", "diff",
        ] {
            assert!(p.get(k).is_some(), "paragraph without {k}");
        }
        assert!(
            ["unchanged", "modified", "added", "deleted"].contains(&p["status"].as_str().unwrap())
        );
        for op in p["diff"].as_array().unwrap() {
            assert!(["equal", "delete", "insert"].contains(&op["op"].as_str().unwrap()));
            assert!(op["text"].is_string());
        }
    }
    let splits: Vec<&Value> = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["split"] == true && p["old"] == "1")
        .collect();
    assert_eq!(splits.len(), 2);
    for f in v["footnotes"].as_array().unwrap() {
        for k in ["old", "new", "status", "diff"] {
            assert!(f.get(k).is_some());
        }
    }
    assert!(v["summary"]["modified"].as_u64().unwrap() > 0);
    assert_eq!(v["summary"]["footnotes"]["renumbered"], 11);
}

#[test]
fn plain_markers_and_colour_conventions() {
    // Not a terminal: plain markers, no escape codes.
    let out = cmd().args(["zero", "rev2", "-p", "14c"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("{+could be strengthened +}"), "{text}");
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("C 14(c) <- B 3(a)(viii)  moved, modified"));
    // Forced colour: escape codes, no markers.
    let out = cmd()
        .args(["zero", "rev2", "-p", "14c", "--color", "always"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains('\u{1b}') && !text.contains("{+"));
    let out = cmd()
        .env("CLICOLOR_FORCE", "1")
        .args(["zero", "rev2", "-p", "14c"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains('\u{1b}'));
    let out = cmd()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["zero", "rev2", "-p", "14c"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn stat_and_footnotes_tables() {
    cmd()
        .args(["zero", "rev2", "--stat"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("C Rules, Norms"))
        .stdout(predicate::str::contains("total"))
        .stdout(predicate::str::contains("11 renumbered"));
    cmd()
        .args(["zero", "rev2", "--footnotes"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"\n\s+5\s+13  renumbered").unwrap());
}

#[test]
fn unchanged_shown_dimmed_with_all() {
    cmd()
        .args(["zero", "rev2", "--section", "C", "--all"])
        .assert()
        .stdout(predicate::str::contains(
            "C 14(b) <- C 4(b)  unchanged (renumbered)",
        ));
}

#[test]
fn git_external_diff_driver() {
    let root = common::root();
    let old = root.join("drafts/zero.md");
    let new = root.join("drafts/rev2.md");
    cmd()
        .args([
            "drafts/report.md",
            old.to_str().unwrap(),
            "abc123",
            "100644",
            new.to_str().unwrap(),
            "def456",
            "100644",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("a/drafts/report.md"))
        .stdout(predicate::str::contains("{+could be strengthened +}"));
    // A new file: the old side is /dev/null.
    cmd()
        .args([
            "drafts/new.md",
            "/dev/null",
            ".",
            ".",
            new.to_str().unwrap(),
            "def456",
            "100644",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("added"));
}

#[test]
fn real_section_c_snapshot() {
    let out = cmd()
        .args(["zero", "rev2", "--section", "C", "--format", "plain"])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "zero_rev2_section_c_plain",
        String::from_utf8(out.stdout).unwrap()
    );
    let out = cmd()
        .args([
            "zero",
            "rev2",
            "--section",
            "C",
            "--format",
            "term",
            "--color",
            "debug",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "zero_rev2_section_c_term",
        String::from_utf8(out.stdout).unwrap()
    );
}
