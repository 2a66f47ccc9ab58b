//! `oewg-diff check`: one fixture per rule, errors planted in copies of Rev. 2, the real drafts,
//! agreed language, cross-revision references, and the hooks.

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(common::root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    c
}

/// Diagnostics of a check run as (code, line), with its exit code.
fn run(args: &[&str]) -> (Vec<(String, u64)>, i32) {
    let mut a = vec!["check", "--format", "json"];
    a.extend_from_slice(args);
    let out = cmd().args(&a).output().unwrap();
    let code = out.status.code().unwrap();
    assert_ne!(code, 2, "trouble: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    (d, code)
}

#[test]
fn one_fixture_per_rule() {
    // (fixture, code, line, exit status)
    let cases = [
        ("N001", 7, 1),
        ("N002", 7, 1),
        ("N003", 6, 1),
        ("N004", 7, 1),
        ("N005", 9, 1),
        ("N006", 8, 0),
        ("N007", 4, 1),
        ("F001", 5, 1),
        ("F002", 7, 1),
        ("F003", 7, 1),
        ("F004", 5, 1),
        ("X001", 9, 1),
        ("X002", 9, 1),
        ("S001", 9, 1),
        ("S002", 5, 1),
        ("L001", 6, 0),
        ("B001", 3, 0),
    ];
    for (rule, line, status) in cases {
        let path = format!("fixtures/check/{rule}.md");
        let (diags, code) = run(&[&path]);
        assert_eq!(diags, vec![(rule.to_string(), line)], "{path}");
        assert_eq!(code, status, "{path}");
    }
    // Every rule that a single draft can break has its fixture.
    for r in oewg_diff::check::RULES {
        if !r.code.starts_with('A') && r.code != "X003" {
            assert!(
                common::root()
                    .join(format!("fixtures/check/{}.md", r.code))
                    .exists(),
                "{}",
                r.code
            );
        }
    }
}

#[test]
fn compiler_style_output_and_summary() {
    let out = cmd()
        .args(["check", "fixtures/check/N003.md"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "fixtures/check/N003.md:6:4: error[N003]: item d) of 1 skips c)"
    );
    assert_eq!(lines[1], "1 error, 0 warnings in 1 draft");
    assert_eq!(out.status.code(), Some(1));
    // Warnings fail only with --strict.
    cmd()
        .args(["check", "fixtures/check/N006.md"])
        .assert()
        .code(0);
    cmd()
        .args(["check", "--strict", "fixtures/check/N006.md"])
        .assert()
        .code(1);
    cmd().args(["check", "missing.md"]).assert().code(2);
}

#[test]
fn the_real_drafts_pass() {
    let (diags, code) = run(&[]);
    assert_eq!(code, 0);
    assert!(
        diags.iter().all(|(c, _)| c == "N006" || c == "L001"),
        "{diags:?}"
    );
    // The known leftovers: lost next-step numbers, and zero 8(c).
    assert!(diags.contains(&("L001".to_string(), 137)));
    let (_, code) = run(&["--against", "zero", "rev2"]);
    assert_eq!(code, 0);
}

/// Plant one drafting error in a copy of Rev. 2 and return the diagnostics.
fn planted(from: &str, to: &str) -> (Vec<(String, u64)>, i32) {
    let text = std::fs::read_to_string(common::root().join("drafts/rev2.md")).unwrap();
    assert!(text.contains(from), "{from:?} not in rev2");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rev2-planted.md");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    run(&[path.to_str().unwrap()])
}

fn has(diags: &[(String, u64)], code: &str, line: u64) -> bool {
    diags.iter().any(|(c, l)| c == code && *l == line)
}

#[test]
fn errors_planted_in_rev2_are_found_at_their_line() {
    let cases: &[(&str, &str, &str, u64)] = &[
        (
            "- 16. States, reaffirming",
            "- 15. States, reaffirming",
            "N001",
            114,
        ),
        (
            "- 16. States, reaffirming",
            "- 17. States, reaffirming",
            "N002",
            114,
        ),
        (
            " - c) Cooperation and assistance",
            " - d) Cooperation and assistance",
            "N003",
            62,
        ),
        (
            "- **3.** States are encouraged to, on",
            "- **4.** States are encouraged to, on",
            "N005",
            77,
        ),
        (
            "¹³ Report of the 2021 OEWG",
            "¹⁹ Report of the 2021 OEWG",
            "F003",
            67,
        ),
        ("in parallel.¹³", "in parallel.²⁶", "F001", 61),
        ("paragraph 14(e) above", "paragraph 14(f) above", "X001", 75),
        ("paragraph 14(e) above", "paragraph 14(e) below", "X002", 75),
        ("paragraphs 8 to 13 at", "paragraphs 8 to 19 at", "X001", 55),
        (
            "E. Confidence-Building Measures",
            "D. Confidence-Building Measures",
            "S001",
            112,
        ),
        (
            "- 16. States, reaffirming",
            "- States, reaffirming",
            "N007",
            114,
        ),
        (
            " - c) Cooperation and assistance",
            " - Cooperation and assistance",
            "N007",
            62,
        ),
    ];
    for (from, to, code, line) in cases {
        let (diags, status) = planted(from, to);
        assert!(
            has(&diags, code, *line),
            "{code} at {line} for {to:?}: {diags:?}"
        );
        assert_eq!(status, 1, "{to:?}");
        let errors: Vec<_> = diags
            .iter()
            .filter(|(c, _)| !matches!(c.as_str(), "N006" | "L001"))
            .collect();
        // One slip, one error (a lost footnote number also leaves its definition uncited).
        assert!(errors.len() <= 2, "{to:?}: {errors:?}");
    }
}

#[test]
fn stale_cross_reference_across_revisions() {
    let text = std::fs::read_to_string(common::root().join("drafts/rev2.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rev2-stale.md");
    std::fs::write(
        &path,
        text.replace("paragraph 14(e) above", "paragraph 4(e) above"),
    )
    .unwrap();
    let (diags, code) = run(&["--against", "zero", path.to_str().unwrap()]);
    assert!(has(&diags, "X003", 75), "{diags:?}");
    assert_eq!(code, 1);
}

#[test]
fn agreed_language_that_changed_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let manifest = format!(
        "[[series]]\nname = \"apr\"\n\n[[series.draft]]\nname = \"zero\"\npath = \"{}\"\nagreed = [\"4(a)\", \"4b\"]\n\n[[series.draft]]\nname = \"rev2\"\npath = \"{}\"\n",
        root.join("drafts/zero.md").display(),
        root.join("drafts/rev2.md").display()
    );
    let m = dir.path().join("oewg.toml");
    std::fs::write(&m, manifest).unwrap();
    let out = cmd()
        .args([
            "--manifest",
            m.to_str().unwrap(),
            "check",
            "rev2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let agreed: Vec<&Value> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "A001")
        .collect();
    // 4(a) changed in 14(a); 4(b) -> 14(b) is unchanged.
    assert_eq!(agreed.len(), 1, "{agreed:?}");
    assert_eq!(agreed[0]["label"], "14(a)");
    assert_eq!(agreed[0]["line"], 60);
    let msg = agreed[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("[-developing common understandings") && msg.contains("{+sharing national"),
        "{msg}"
    );
}

#[test]
fn pre_commit_hook_declaration() {
    let y = std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(y.contains("id: oewg-check"));
    assert!(y.contains("entry: oewg-diff check"));
    assert!(y.contains("language: rust"));
    // What the hook runs, on the staged files it is given.
    cmd()
        .args(["check", "drafts/zero.md", "drafts/rev2.md"])
        .assert()
        .code(0);
}

#[test]
fn git_diff_driver_prints_the_paragraph_redline() {
    let git = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    git(d, &["config", "user.email", "t@example.org"]);
    git(d, &["config", "user.name", "t"]);
    std::fs::create_dir(d.join("drafts")).unwrap();
    std::fs::write(d.join(".gitattributes"), "drafts/** diff=oewg\n").unwrap();
    std::fs::copy(
        common::root().join("drafts/zero.md"),
        d.join("drafts/report.md"),
    )
    .unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "zero draft"]);
    std::fs::copy(
        common::root().join("drafts/rev2.md"),
        d.join("drafts/report.md"),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
    git(d, &["config", "diff.oewg.command", bin.to_str().unwrap()]);
    let out = git(d, &["diff"]);
    assert!(
        out.contains("C 14(c) <- B 3(a)(viii)  moved, modified"),
        "{out}"
    );
    assert!(out.contains("{+could be strengthened +}"));
}
