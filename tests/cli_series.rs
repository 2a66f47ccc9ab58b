//! `oewg-diff history`, `blame` and `log` from the command line: the checks of issue #7 on the
//! real pair, the three-revision fixture series, formats, exit status and errors.

mod common;

use common::cmd;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const FIXTURE: &str = "fixtures/series/oewg.toml";

fn json(args: &[&str]) -> Value {
    let out = cmd().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = cmd().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// (draft, label) of each version of a history's JSON.
fn versions(v: &Value) -> Vec<(String, Value)> {
    v["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["draft"].as_str().unwrap().to_string(), x["label"].clone()))
        .collect()
}

#[test]
fn history_of_14b_passes_through_zero_4b_and_rev2_14b() {
    let mut seen = Vec::new();
    for spelling in ["14(b)", "14b", "14.b"] {
        let v = json(&["history", spelling, "--format", "json"]);
        assert_eq!(v["label"], "14(b)");
        assert_eq!(v["draft"], "rev2");
        assert_eq!(v["series"], "apr2022");
        assert_eq!(
            versions(&v),
            [
                ("zero".to_string(), Value::from("4(b)")),
                ("rev2".to_string(), Value::from("14(b)"))
            ]
        );
        let rev2 = &v["versions"][1];
        assert_eq!(rev2["status"], "unchanged");
        assert_eq!(rev2["from"][0], "4(b)");
        assert!(
            rev2["diff"]
                .as_array()
                .unwrap()
                .iter()
                .any(|op| op["footnote"]["old"] == 5 && op["footnote"]["new"] == 13)
        );
        seen.push(v);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
    let text = stdout(&["history", "14b", "--format", "plain"]);
    assert!(text.contains("zero  C 4(b)  original"), "{text}");
    assert!(
        text.contains("rev2  C 14(b) <- C 4(b)  unchanged (renumbered)"),
        "{text}"
    );
}

#[test]
fn history_of_14c_starts_at_zero_3a_viii() {
    let v = json(&["history", "14c", "--format", "json"]);
    let first = &v["versions"][0];
    assert_eq!(first["draft"], "zero");
    assert_eq!(first["label"], "3(a)(viii)");
    assert_eq!(first["section"], "B");
    assert_eq!(first["status"], "original");
    assert_eq!(first["diff"], Value::Array(vec![]));
    let last = &v["versions"][1];
    assert_eq!(last["label"], "14(c)");
    assert_eq!(last["moved"], true);
    assert_eq!(last["status"], "modified");
    // The diff is the redline's: equal + insert texts give the new text.
    let new: String = last["diff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|op| op["op"] != "delete")
        .map(|op| op["text"].as_str().unwrap())
        .collect();
    assert_eq!(new, last["text"].as_str().unwrap());
    // Read in the zero draft, the same history.
    let z = json(&["history", "3aviii", "--in", "zero", "--format", "json"]);
    assert_eq!(versions(&z), versions(&v));
    assert_eq!(z["draft"], "zero");
}

#[test]
fn blame_of_rev2_14a_shows_zero_words_and_words_new_in_rev2() {
    let v = json(&["blame", "rev2", "--para", "14a", "--format", "json"]);
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0]["label"], "14(a)");
    let spans = nodes[0]["spans"].as_array().unwrap();
    let by = |d: &str| -> String {
        spans
            .iter()
            .filter(|s| s["draft"] == d)
            .map(|s| s["text"].as_str().unwrap())
            .collect()
    };
    assert!(by("zero").contains("States consider developing additional guidance"));
    assert!(by("rev2").contains("sharing national definitions"));
    let drafts: Vec<&str> = v["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(drafts, ["zero", "rev2"]);
    // The draft's file path names it too.
    assert_eq!(
        json(&[
            "blame",
            "drafts/rev2.md",
            "--para",
            "14a",
            "--format",
            "json"
        ])["nodes"],
        v["nodes"]
    );
    // Plain: [draft: ...] markers.
    let text = stdout(&["blame", "rev2", "--para", "14a", "--format", "plain"]);
    assert!(
        text.contains("as well as consider] [rev2: sharing national definitions] [zero: on technical ICT terms] [rev2: to promote mutual understanding][zero: .]"),
        "{text}"
    );
    assert!(text.contains("[zero: States consider developing"), "{text}");
    // Terminal: a colour per draft, and a legend.
    let text = stdout(&[
        "blame", "rev2", "--para", "14a", "--format", "term", "--color", "debug",
    ]);
    assert!(text.contains("<<draft0::zero>>"), "{text}");
    assert!(text.contains("<<draft1::rev2>>"), "{text}");
    assert!(
        text.contains("<<draft1::sharing national definitions"),
        "{text}"
    );
    let text = stdout(&[
        "blame", "rev2", "--para", "14a", "--format", "term", "--color", "always",
    ]);
    assert!(text.contains("\u{1b}["), "{text}");
}

#[test]
fn blame_selects_by_section_and_paragraph() {
    let v = json(&["blame", "rev2", "--section", "C", "--format", "json"]);
    let nodes = v["nodes"].as_array().unwrap();
    assert!(nodes.len() > 10);
    assert!(nodes.iter().all(|n| n["section"] == "C"));
    // A paragraph with its items.
    let v = json(&["blame", "rev2", "--para", "14", "--format", "json"]);
    let labels: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[0], "14");
    assert!(
        labels.contains(&"14(a)") && labels.contains(&"14(c)"),
        "{labels:?}"
    );
    // The zero draft is all its own.
    let v = json(&["blame", "zero", "--format", "json"]);
    for n in v["nodes"].as_array().unwrap() {
        for s in n["spans"].as_array().unwrap() {
            assert_eq!(s["draft"], "zero");
        }
    }
}

#[test]
fn log_runs_on_the_manifest() {
    let text = stdout(&["log", "--format", "plain"]);
    assert!(text.contains("Series apr2022"), "{text}");
    assert!(text.contains("zero -> rev2"), "{text}");
    let v = json(&["log", "--format", "json"]);
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0]["from"], "zero");
    assert_eq!(steps[0]["to"], "rev2");
    // The same numbers as the redline's summary.
    let out = cmd()
        .args(["zero", "rev2", "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sum = &r["summary"];
    for k in [
        "added",
        "deleted",
        "modified",
        "moved",
        "unchanged",
        "split",
        "merged",
    ] {
        assert_eq!(steps[0]["paragraphs"][k], sum[k], "{k}");
    }
    assert_eq!(steps[0]["words"]["inserted"], sum["words_inserted"]);
    assert_eq!(steps[0]["words"]["deleted"], sum["words_deleted"]);
    assert_eq!(steps[0]["footnotes"], sum["footnotes"]);
    let v = json(&["log", "--series", "apr2022", "--format", "json"]);
    assert_eq!(v["series"], "apr2022");
}

#[test]
fn the_fixture_series_of_three_revisions() {
    // The phrase: absent in zero, added in rev1, changed in rev2, deleted in final.
    let v = json(&["history", "6", "--manifest", FIXTURE, "--format", "json"]);
    let st: Vec<&str> = v["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(st, ["original", "modified", "modified", "modified"]);
    let phrase = |i: usize, op: &str| -> String {
        v["versions"][i]["diff"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["op"] == op)
            .map(|o| o["text"].as_str().unwrap())
            .collect()
    };
    assert!(
        !v["versions"][0]["text"]
            .as_str()
            .unwrap()
            .contains("regional")
    );
    assert_eq!(
        phrase(1, "insert"),
        ", including through regional organizations"
    );
    assert_eq!(phrase(2, "insert"), "and subregional ");
    assert_eq!(
        phrase(3, "delete"),
        ", including through regional and subregional organizations"
    );
    // The fund paragraph, read in rev2: absent, added, modified, deleted.
    let v = json(&[
        "history",
        "5",
        "--in",
        "rev2",
        "--manifest",
        FIXTURE,
        "--format",
        "json",
    ]);
    let st: Vec<(&str, &str)> = v["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["draft"].as_str().unwrap(), x["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        st,
        [
            ("zero", "absent"),
            ("rev1", "added"),
            ("rev2", "modified"),
            ("final", "deleted")
        ]
    );
    assert_eq!(v["versions"][3]["label"], Value::Null);
    assert_eq!(v["versions"][3]["from"][0], "5");
    // Blame of rev2 7: three drafts' words.
    let v = json(&[
        "blame",
        "rev2",
        "--para",
        "7",
        "--manifest",
        FIXTURE,
        "--format",
        "json",
    ]);
    let spans: Vec<(&str, &str)> = v["nodes"][0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["draft"].as_str().unwrap(), s["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        &spans[1..],
        [
            ("rev1", ", including through regional "),
            ("rev2", "and subregional "),
            ("rev1", "organizations"),
            ("zero", ".")
        ]
    );
    assert_eq!(spans[0].0, "zero");
    let v = json(&["log", "--manifest", FIXTURE, "--format", "json"]);
    assert_eq!(v["steps"].as_array().unwrap().len(), 3);
}

#[test]
fn snapshots_of_the_fixture_series() {
    insta::assert_snapshot!(
        "history_phrase_plain",
        stdout(&["history", "6", "--manifest", FIXTURE, "--format", "plain"])
    );
    insta::assert_snapshot!(
        "history_split_term",
        stdout(&[
            "history",
            "3",
            "--in",
            "zero",
            "--manifest",
            FIXTURE,
            "--format",
            "term",
            "--color",
            "debug"
        ])
    );
    insta::assert_snapshot!(
        "blame_rev2_section_b_plain",
        stdout(&[
            "blame",
            "rev2",
            "--section",
            "B",
            "--manifest",
            FIXTURE,
            "--format",
            "plain"
        ])
    );
    insta::assert_snapshot!(
        "blame_rev2_para_5_term",
        stdout(&[
            "blame",
            "rev2",
            "--para",
            "5",
            "--manifest",
            FIXTURE,
            "--format",
            "term",
            "--color",
            "debug"
        ])
    );
    insta::assert_snapshot!(
        "log_plain",
        stdout(&["log", "--manifest", FIXTURE, "--format", "plain"])
    );
}

#[test]
fn snapshot_of_the_real_history_of_14c() {
    insta::assert_snapshot!(
        "history_14c_plain",
        stdout(&["history", "14c", "--format", "plain"])
    );
}

#[test]
fn trouble_exits_2_and_says_what_to_do() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["history", "14z"],
            &[
                "'14(z)'",
                "rev2",
                "drafts/rev2.md",
                "nearby labels",
                "14(c)",
            ],
        ),
        (
            &["history", "99", "--in", "zero"],
            &["'99'", "zero", "paragraphs 1 to"],
        ),
        (
            &["history", "14", "--in", "rev9"],
            &["'rev9'", "zero, rev2"],
        ),
        (
            &["history", "14", "--series", "nope"],
            &["'nope'", "apr2022"],
        ),
        (
            &["blame", "fixtures/redline/move/new.md"],
            &["fixtures/redline/move/new.md", "not a draft of any series"],
        ),
        (
            &["blame", "rev2", "--section", "Z"],
            &["'Z'", "rev2", "A, B, C"],
        ),
        (&["blame", "rev2", "--para", "14z"], &["'14(z)'", "rev2"]),
        (&["log", "--series", "nope"], &["'nope'", "apr2022"]),
        (&["log", "--manifest", "nope.toml"], &["nope.toml"]),
    ];
    for (args, wants) in cases {
        let out = cmd().args(*args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        for w in *wants {
            assert!(err.contains(w), "{args:?}: {err}");
        }
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // No manifest anywhere: say so, and how to give one.
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(dir.path())
        .arg("log")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no oewg.toml").and(predicate::str::contains("--manifest")),
        );
}

#[test]
fn a_manifest_with_two_series() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let manifest = dir.path().join("oewg.toml");
    std::fs::write(
        &manifest,
        format!(
            "[[series]]\nname = \"a\"\n[[series.draft]]\nname = \"zero\"\npath = {:?}\n\
             [[series]]\nname = \"b\"\n[[series.draft]]\nname = \"rev2\"\npath = {:?}\n",
            root.join("drafts/zero.md"),
            root.join("drafts/rev2.md")
        ),
    )
    .unwrap();
    let m = manifest.to_str().unwrap();
    cmd()
        .args(["log", "--manifest", m])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("several series (a, b)"))
        .stderr(predicate::str::contains("--series"));
    cmd()
        .args([
            "history",
            "14",
            "--in",
            "zero",
            "--series",
            "b",
            "--manifest",
            m,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "'zero' is not a draft of series 'b'",
        ))
        .stderr(predicate::str::contains("its drafts: rev2"));
    // A series of one draft: a history of one version, a log with no step.
    cmd()
        .args(["log", "--series", "a", "--manifest", m, "--format", "plain"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no step"));
    cmd()
        .args([
            "history",
            "4b",
            "--series",
            "a",
            "--manifest",
            m,
            "--format",
            "plain",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("zero  C 4(b)  original"));
}

#[test]
fn help_has_examples() {
    for sub in ["history", "blame", "log"] {
        cmd()
            .args([sub, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains(format!("oewg-diff {sub}")));
    }
}
