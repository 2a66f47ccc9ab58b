//! `oewg-diff show`: JSON shape on the real drafts, and one clear error line (exit 2) for each
//! kind of bad input.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(common::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    c
}

fn show_json(name: &str) -> Value {
    let out = cmd()
        .args(["show", name, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn show_json_has_the_contract_shape() {
    for (name, paras, notes) in [("zero", 8, 11), ("rev2", 18, 25)] {
        let v = show_json(name);
        assert_eq!(v["draft"]["name"], name);
        assert!(
            v["draft"]["path"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{name}.md"))
        );
        let nodes = v["nodes"].as_array().unwrap();
        for n in nodes {
            for key in ["label", "kind", "section", "text", "line", "footnotes"] {
                assert!(n.get(key).is_some(), "node without {key}: {n}");
            }
        }
        let p = nodes.iter().filter(|n| n["kind"] == "paragraph").count();
        assert_eq!(p, paras, "{name} paragraphs");
        let fns = v["footnotes"].as_array().unwrap();
        assert_eq!(fns.len(), notes, "{name} footnotes");
        for f in fns {
            let num = &f["number"];
            assert!(
                nodes
                    .iter()
                    .any(|n| n["footnotes"].as_array().unwrap().contains(num)),
                "{name}: footnote {num} not cited"
            );
        }
        assert_eq!(nodes.iter().filter(|n| n["kind"] == "title").count(), 1);
        assert!(nodes.iter().any(|n| n["kind"] == "heading"));
    }
}

#[test]
fn show_section_keeps_to_the_section() {
    let out = cmd()
        .args(["show", "rev2", "--section", "C", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert!(nodes.iter().all(|n| n["section"] == "C"));
    let fns: Vec<u64> = v["footnotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["number"].as_u64().unwrap())
        .collect();
    assert_eq!(fns, vec![13, 14, 15, 16, 17]);
}

#[test]
fn show_text_outline_by_path_without_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::root().join("drafts/zero.md");
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(dir.path())
        .args(["show", path.to_str().unwrap(), "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains("3(a)(viii)"))
        .stdout(predicate::str::contains("C.steps.1*"))
        .stdout(predicate::str::contains("[5]"));
}

fn fails_with(args: &[&str], needles: &[&str]) {
    let out = cmd().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} should contain {n:?}");
    }
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_inputs_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    std::fs::write(p("latin1.md"), b"1. Caf\xe9 text\n").unwrap();
    std::fs::write(p("empty.md"), b"").unwrap();
    std::fs::write(p("blank.md"), b"\n\n  \n").unwrap();
    std::fs::write(p("binary.md"), b"\x00\x01\x02PK").unwrap();
    std::fs::write(p("bad.toml"), "[[series]]\nname = \"x\"\n[[series.draft]\n").unwrap();
    fails_with(&["show", "missing.md"], &["missing.md", "no such file"]);
    fails_with(&["show", "drafts"], &["drafts", "directory"]);
    fails_with(
        &["show", &p("latin1.md")],
        &["latin1.md", "UTF-8", "offset 6"],
    );
    fails_with(&["show", &p("empty.md")], &["empty.md", "empty"]);
    fails_with(&["show", &p("blank.md")], &["blank.md", "empty"]);
    fails_with(&["show", &p("binary.md")], &["binary.md", "binary"]);
    fails_with(&["show", "rev7"], &["rev7", "zero", "rev2"]);
    fails_with(
        &["--manifest", &p("bad.toml"), "show", "zero"],
        &["bad.toml:3:", "syntax"],
    );
}

#[test]
fn unnumbered_text_still_loads() {
    let path = common::root().join("fixtures/ingest/no_numbering.md");
    let out = cmd()
        .args(["show", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] == "text")
    );
}

#[test]
fn help_has_examples_and_completions_and_man_work() {
    cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    cmd()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("oewg-diff"));
    cmd()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH"));
}
