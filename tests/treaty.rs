//! Treaty drafts without the corpus: synthetic revisions in `fixtures/redline/treaty_*` and
//! `fixtures/treaty/`. Articles renumbered, brackets resolved, the family forced in the
//! manifest, and the OEWG output left as it was.

mod common;

use common::cmd;

use assert_cmd::Command;
use oewg_diff::brackets::{self, Problem};
use oewg_diff::diff::{Class, Redline, Status, redline};
use oewg_diff::model::{Draft, Family};
use predicates::prelude::*;
use serde_json::Value;

fn case(name: &str) -> (Draft, Draft) {
    (
        common::load(&format!("fixtures/redline/{name}/old.md")),
        common::load(&format!("fixtures/redline/{name}/new.md")),
    )
}

/// `old -> new status [moved]` for body entries, in order.
fn rows(r: &Redline) -> Vec<String> {
    r.entries
        .iter()
        .filter(|e| r.new_node(e).or(r.old_node(e)).unwrap().kind.is_body())
        .map(|e| {
            let l = |n: Option<&oewg_diff::model::Node>| n.map_or("-".into(), |n| n.label.clone());
            let mut s = format!(
                "{} -> {} {}",
                l(r.old_node(e)),
                l(r.new_node(e)),
                e.status.as_str()
            );
            if e.moved {
                s.push_str(" moved");
            }
            s
        })
        .collect()
}

#[test]
fn renumbered_articles_align_by_content() {
    let (o, n) = case("treaty_renumbering");
    assert_eq!((o.family, n.family), (Family::Treaty, Family::Treaty));
    let r = redline(&o, &n);
    assert_eq!(
        rows(&r),
        [
            "Preamble.text.1 -> Preamble.text.1 unchanged",
            "PP1 -> PP1 unchanged",
            "PP2 -> PP2 unchanged",
            "Preamble.text.2 -> Preamble.text.2 unchanged",
            "Art.1.text.1 -> Art.1.text.1 unchanged",
            "Art.2.1 -> Art.2.1 unchanged",
            "Art.2.1(a) -> Art.2.1(a) unchanged",
            "Art.2.1(b) -> Art.2.1(b) unchanged",
            // Article 2bis is the one article left between 2 -> 2 and 3 -> 4: Article 3.
            "Art.2bis.text.1 -> Art.3.text.1 modified",
            "Art.3.1 -> Art.4.1 unchanged",
            "Art.3.2 -> Art.4.2 modified",
            "Art.3.3 -> Art.4.3 modified",
            "- -> Art.5.1 added",
            "Art.4.1 -> Art.6.1 unchanged",
            "Art.4.2 -> Art.6.2 unchanged",
            "Art.8bis.text.1 -> Art.7.text.1 unchanged",
        ]
    );
    let map = &r.alignment.sections;
    for (a, b) in [
        ("Art.2bis", "Art.3"),
        ("Art.3", "Art.4"),
        ("Art.4", "Art.6"),
        ("Art.8bis", "Art.7"),
    ] {
        assert_eq!(map.get(a).map(String::as_str), Some(b), "{a}");
    }
    // The editor's notes differ; they are metadata, not a change.
    assert!(r.entries.iter().all(|e| {
        r.new_node(e)
            .or(r.old_node(e))
            .is_some_and(|n| !n.text.contains("Editor's note"))
    }));
    // Renumbered article headings pair with each other; the new Article 5 is added.
    let heading = |label: &str| {
        r.entries
            .iter()
            .find(|e| r.new_node(e).is_some_and(|n| n.label == label))
            .map(|e| (r.old_node(e).map(|n| n.label.clone()), e.status))
    };
    assert_eq!(
        heading("Art.7"),
        Some((Some("Art.8bis".into()), Status::Unchanged))
    );
    assert_eq!(heading("Art.5"), Some((None, Status::Added)));
}

#[test]
fn bracket_changes_per_paragraph() {
    let (o, n) = case("treaty_brackets");
    let r = redline(&o, &n);
    assert!(r.brackets);
    let counts: Vec<(String, [usize; 4])> = r
        .entries
        .iter()
        .filter(|e| r.new_node(e).is_some_and(|n| n.kind.is_body()))
        .map(|e| {
            let c = e.brackets.counts;
            (
                r.new_node(e).unwrap().label.clone(),
                [c.opened, c.agreed, c.dropped, c.resolved],
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            // [2023][2024] -> 2023
            ("Art.10.1".to_string(), [0, 0, 0, 1]),
            // [and promote compliance with] -> and promote compliance with
            ("Art.10.2".to_string(), [0, 1, 0, 0]),
            // [new,] [additional,] kept, [adequate] and [to the extent possible] dropped
            ("Art.10.3".to_string(), [0, 2, 2, 0]),
            // annually -> [annually][biennially]
            ("Art.10.4".to_string(), [2, 0, 0, 0]),
            // the whole paragraph agreed, two alternatives opened inside it
            ("Art.10.5".to_string(), [2, 1, 0, 0]),
        ]
    );
    let e2 = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "Art.10.2"))
        .unwrap();
    assert_eq!(e2.classes, [Class::Brackets], "only brackets changed");
    let e1 = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "Art.10.1"))
        .unwrap();
    assert_eq!(e1.classes, [Class::Substantive, Class::Brackets]);
    assert_eq!(e1.brackets.changes[0].old, "[2023][2024]");
    assert_eq!(e1.brackets.changes[0].new, "2023");
}

#[test]
fn unbalanced_brackets_per_section() {
    let d = common::load("fixtures/treaty/brackets.md");
    let found: Vec<(String, usize, Problem)> = brackets::unbalanced(&d)
        .into_iter()
        .map(|u| (u.label, u.line, u.problem))
        .collect();
    // Art.3.3 opens a bracket that Art.3.4 closes (fine); Art.3.5 closes one too many.
    assert_eq!(found, [("Art.3.5".to_string(), 19, Problem::Unopened)]);
    let d = common::load("fixtures/treaty/options.md");
    assert!(brackets::unbalanced(&d).is_empty());
}

#[test]
fn cli_redline_marks_brackets() {
    let (old, new) = (
        "fixtures/redline/treaty_brackets/old.md",
        "fixtures/redline/treaty_brackets/new.md",
    );
    cmd()
        .args([old, new, "--format", "plain"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Art.10.1  modified [substantive, brackets]",
        ))
        .stdout(predicate::str::contains(
            "brackets: 1 resolved: resolved [2023][2024] -> 2023",
        ))
        .stdout(predicate::str::contains(
            "brackets: 1 agreed: agreed [and promote compliance with]",
        ));
    cmd()
        .args([old, new, "--color", "debug", "--format", "term"])
        .assert()
        .stdout(predicate::str::contains(
            "<<note::brackets: 1 resolved: resolved [2023][2024] -> 2023>>",
        ));
    let out = cmd().args([old, new, "--format", "json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &v["paragraphs"][0];
    assert_eq!(p["new"], "Art.10.1");
    assert_eq!(p["classes"], serde_json::json!(["substantive", "brackets"]));
    assert_eq!(
        p["brackets"],
        serde_json::json!({"opened": 0, "agreed": 0, "dropped": 0, "resolved": 1,
            "changes": [{"kind": "resolved", "old": "[2023][2024]", "new": "2023"}]})
    );
    assert_eq!(
        v["summary"]["brackets"],
        serde_json::json!({"old": 8, "new": 4, "opened": 4, "agreed": 4, "dropped": 2, "resolved": 1})
    );
    cmd()
        .args([old, new, "--stat"])
        .assert()
        .stdout(
            predicate::str::is_match(
                r"brackets\s+old\s+new\s+opened\s+agreed\s+dropped\s+resolved\n",
            )
            .unwrap(),
        )
        .stdout(
            predicate::str::is_match(r"Art\.10 global stocktake\s+8\s+4\s+4\s+4\s+2\s+1\n")
                .unwrap(),
        );
}

#[test]
fn report_output_has_no_bracket_fields() {
    let out = cmd()
        .args(["zero", "rev2", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("\"brackets\""));
    cmd()
        .args(["zero", "rev2", "--stat"])
        .assert()
        .stdout(predicate::str::contains("brackets").not());
}

#[test]
fn show_treaty_outline_and_labels() {
    cmd()
        .args(["show", "fixtures/treaty/options.md", "--section", "4"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Art.4        Article 4 (adaptation)",
        ))
        .stdout(predicate::str::contains(
            "Art.4.2.optII Option II: Parties aim to reach it later.",
        ))
        .stdout(predicate::str::contains("Art.2.opt1").not());
    let (_, n) = case("treaty_renumbering");
    for spelling in ["art3.text.1", "Article 3.text.1", "Art.3.text.1"] {
        let out = cmd()
            .args([
                "fixtures/redline/treaty_renumbering/old.md",
                "fixtures/redline/treaty_renumbering/new.md",
                "--para",
                spelling,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["paragraphs"][0]["new"], "Art.3.text.1", "{spelling}");
        assert_eq!(v["paragraphs"][0]["old"], "Art.2bis.text.1", "{spelling}");
    }
    assert!(n.find("pp2").is_some());
}

#[test]
fn show_json_has_family_and_metadata() {
    let out = cmd()
        .args([
            "show",
            "fixtures/treaty/article_headings.md",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["family"], "treaty");
    let kinds: Vec<&str> = v["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "front-matter",
            "note",
            "link-definition",
            "markup",
            "markup",
            "markup"
        ]
    );
    let heading = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["label"] == "Art.8bis")
        .unwrap();
    assert_eq!(heading["marker"], "Article 8 bis");
    let out = cmd()
        .args(["show", "rev2", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("family").is_none() && v.get("metadata").is_none());
}

#[test]
fn manifest_forces_the_family() {
    let dir = tempfile::tempdir().unwrap();
    let src = common::root().join("fixtures/treaty/nested_lists.md");
    // Two copies: a manifest names each file once.
    std::fs::copy(&src, dir.path().join("t.md")).unwrap();
    std::fs::copy(&src, dir.path().join("t2.md")).unwrap();
    std::fs::write(
        dir.path().join("oewg.toml"),
        concat!(
            "[[series]]\nname = \"s\"\nfamily = \"treaty\"\n",
            "[[series.draft]]\nname = \"as-treaty\"\npath = \"t.md\"\n",
            "[[series.draft]]\nname = \"as-report\"\npath = \"t2.md\"\nfamily = \"report\"\n"
        ),
    )
    .unwrap();
    let show = |name: &str| -> Value {
        let out = Command::cargo_bin("oewg-diff")
            .unwrap()
            .current_dir(dir.path())
            .args(["show", name, "--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let labels = |v: &Value| -> Vec<String> {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(labels(&show("as-treaty")).contains(&"Art.13.7(a)".to_string()));
    let report = labels(&show("as-report"));
    assert!(!report.iter().any(|l| l.starts_with("Art.")), "{report:?}");
    // An unknown family is a manifest error naming the line: for a draft name; a file path
    // is read without the manifest, with a warning naming the line.
    std::fs::write(
        dir.path().join("oewg.toml"),
        "[[series]]\nname = \"s\"\nfamily = \"novel\"\n",
    )
    .unwrap();
    Command::cargo_bin("oewg-diff")
        .unwrap()
        .current_dir(dir.path())
        .args(["show", "as-treaty"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("oewg.toml:3"));
    Command::cargo_bin("oewg-diff")
        .unwrap()
        .current_dir(dir.path())
        .args(["show", "t.md"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning"))
        .stderr(predicate::str::contains("oewg.toml:3"));
}
