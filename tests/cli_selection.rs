//! `--section` and `--para` that select nothing are errors (exit 2) that list what the
//! drafts have; a section or label of either draft is a valid selection.

mod common;

use common::cmd;

use predicates::prelude::*;

#[test]
fn an_unknown_section_lists_the_sections() {
    for (want, hint) in [
        ("Z", false),
        ("C.", true),
        ("Section C", true),
        ("C)", true),
    ] {
        let a = cmd()
            .args(["zero", "rev2", "--section", want])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!("no section '{want}'")))
            .stderr(predicate::str::contains(
                "zero (drafts/zero.md) or rev2 (drafts/rev2.md)",
            ))
            .stderr(predicate::str::contains(
                "sections there: A, B, C, D, E, F, G",
            ));
        if hint {
            a.stderr(predicate::str::contains("did you mean 'C'?"));
        }
    }
    // Every view of the redline says the same.
    for extra in [
        &["--stat"][..],
        &["--footnotes"],
        &["--format", "json"],
        &["--format", "html"],
    ] {
        cmd()
            .args(["zero", "rev2", "--section", "Z"])
            .args(extra)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("no section 'Z'"));
    }
    // A Word document is not written for a selection of nothing.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.docx");
    cmd()
        .args(["zero", "rev2", "--section", "Z", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
}

#[test]
fn an_unknown_label_lists_labels_near_it() {
    cmd()
        .args(["zero", "rev2", "--para", "99z"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no paragraph '99z'"))
        .stderr(predicate::str::contains("nearby labels"))
        .stderr(predicate::str::contains("oewg-diff show rev2"));
    cmd()
        .args(["zero", "rev2", "--para", "19"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rev2: 18, 18(a), 18(b)"));
    // One good label does not excuse a bad one.
    cmd()
        .args(["zero", "rev2", "--para", "14a", "--para", "14zz"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no paragraph '14zz'"));
}

#[test]
fn a_section_or_label_of_either_draft_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.md");
    let new = dir.path().join("new.md");
    std::fs::write(
        &old,
        "## A. One\n\n1. Text one.\n\n## B. Two\n\n2. Text two.\n",
    )
    .unwrap();
    std::fs::write(
        &new,
        "## A. One\n\n1. Text one.\n\n## C. Three\n\n2. Text three.\n\n3. More.\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let mut c = cmd();
        c.arg(&old).arg(&new).args(args);
        c.assert()
    };
    // B only in the old draft, C only in the new one; 3 only in the new one.
    run(&["--section", "B"])
        .code(1)
        .stdout(predicate::str::contains("moved"));
    run(&["--section", "C"]).code(1);
    run(&["--para", "3"])
        .code(1)
        .stdout(predicate::str::contains("{+More.+}"));
    // A section that exists and holds no change: no differences, exit 0.
    run(&["--section", "A"])
        .code(0)
        .stdout(predicate::str::contains("No differences in the selection."));
    // Sections and labels that each exist but select nothing together.
    run(&["--section", "A", "--para", "3"])
        .code(2)
        .stderr(predicate::str::contains(
            "--section A --para 3 selects nothing",
        ));
    run(&["--section", "D"])
        .code(2)
        .stderr(predicate::str::contains("sections there: A, B, C"));
}

#[test]
fn show_checks_its_section_too() {
    cmd()
        .args(["show", "rev2", "--section", "Q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no section 'Q' in rev2 (drafts/rev2.md)",
        ));
    cmd()
        .args(["show", "rev2", "--section", "C"])
        .assert()
        .code(0);
}

#[test]
fn a_selection_with_control_characters_is_echoed_escaped() {
    let out = cmd()
        .args(["zero", "rev2", "--section", "\u{1b}[31mZ"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u{1b}[31mZ"));
}
