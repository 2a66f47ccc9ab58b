//! The redline of the real pair, zero draft -> Rev. 2, checked against a mapping made by
//! reading both drafts side by side.

mod common;

use oewg_diff::diff::{Class, FootnoteStatus, Redline, Status, redline};
use oewg_diff::model::Draft;

fn pair() -> (Draft, Draft) {
    (
        common::load("drafts/zero.md"),
        common::load("drafts/rev2.md"),
    )
}

/// (old label, new label, status, moved, split) of every body entry that links two nodes.
fn links(r: &Redline) -> Vec<(String, String, Status, bool, bool)> {
    r.entries
        .iter()
        .filter(|e| e.old.is_some() && e.new.is_some())
        .filter(|e| r.new_node(e).unwrap().kind.is_body())
        .map(|e| {
            (
                r.old_node(e).unwrap().label.clone(),
                r.new_node(e).unwrap().label.clone(),
                e.status,
                e.moved,
                e.split,
            )
        })
        .collect()
}

fn find<'r>(r: &'r Redline, old: &str, new: &str) -> &'r oewg_diff::diff::Entry {
    r.entries
        .iter()
        .find(|e| {
            r.old_node(e).is_some_and(|n| n.label == old)
                && r.new_node(e).is_some_and(|n| n.label == new)
        })
        .unwrap_or_else(|| panic!("no link {old} -> {new}"))
}

#[test]
fn examples_from_the_issue() {
    let (z, r2) = pair();
    let r = redline(&z, &r2);
    // zero 4(b) -> Rev. 2 14(b): unchanged, only its footnote 5 became 13.
    let e = find(&r, "4(b)", "14(b)");
    assert_eq!(e.status, Status::Unchanged);
    assert!(!e.moved);
    let cite = e.ops.iter().find_map(|o| o.footnote).unwrap();
    assert_eq!((cite.old, cite.new), (Some(5), Some(13)));
    // zero 3(a)(viii) moved from section B to Rev. 2 14(c), and was edited.
    let e = find(&r, "3(a)(viii)", "14(c)");
    assert!(e.moved);
    assert_eq!(e.status, Status::Modified);
    // zero 1 split into Rev. 2 1 and 2.
    assert!(find(&r, "1", "1").split);
    assert!(find(&r, "1", "2").split);
}

#[test]
fn alignment_matches_the_mapping_made_by_reading() {
    let (z, r2) = pair();
    let r = redline(&z, &r2);
    let got = links(&r);
    let want: &[(&str, &str)] = &[
        ("1", "1"),
        ("1", "2"),
        ("2", "7"),
        ("B.steps.1", "B.steps.1"),
        ("B.steps.3", "B.steps.2"),
        ("4", "14"),
        ("4(a)", "14(a)"),
        ("4(b)", "14(b)"),
        ("3(a)(viii)", "14(c)"),
        ("4(d)", "14(d)"),
        ("4(e)", "14(e)"),
        ("C.steps.1", "C.steps.1"),
        ("C.steps.2", "C.steps.2"),
        ("C.steps.3", "C.steps.3"),
        ("5", "15"),
        ("5(a)", "15(a)"),
        ("5(b)", "15(c)"),
        ("5(c)", "15(d)"),
        ("D.steps.1", "D.steps.1"),
        ("D.steps.2", "D.steps.2"),
        ("D.steps.3", "D.steps.3"),
        ("6", "16"),
        ("6(a)", "16(a)"),
        ("6(a)", "16(b)"),
        ("6(b)", "16(c)"),
        ("6(c)", "16(d)"),
        ("E.steps.1", "E.steps.1"),
        ("E.steps.2", "E.steps.2"),
        ("E.steps.3", "E.steps.3"),
        ("E.steps.6", "E.steps.4"),
        ("E.steps.7", "E.steps.5"),
        ("7", "17"),
        ("7(a)", "17(c)"),
        ("7(c)", "17(d)"),
        ("7(d)", "17(e)"),
        ("7(e)", "17(g)"),
        ("F.steps.1", "F.steps.1"),
        ("F.steps.2", "F.steps.2"),
        ("F.steps.5", "F.steps.3"),
        ("F.steps.6", "F.steps.4"),
        ("8", "18"),
        ("8(a)", "18(a)"),
        ("8(b)", "18(b)"),
        ("G.steps.1", "G.steps.1"),
        ("G.steps.2", "G.steps.2"),
    ];
    let got_pairs: Vec<(&str, &str)> = got
        .iter()
        .map(|(o, n, ..)| (o.as_str(), n.as_str()))
        .collect();
    for w in want {
        assert!(
            got_pairs.contains(w),
            "missing link {w:?}; got {got_pairs:?}"
        );
    }
    for g in &got_pairs {
        assert!(want.contains(g), "unexpected link {g:?}");
    }
    // Unchanged apart from numbering.
    let unchanged: Vec<(&str, &str)> = got
        .iter()
        .filter(|l| l.2 == Status::Unchanged)
        .map(|(o, n, ..)| (o.as_str(), n.as_str()))
        .collect();
    assert_eq!(
        unchanged,
        vec![
            ("4(b)", "14(b)"),
            ("D.steps.1", "D.steps.1"),
            ("E.steps.1", "E.steps.1")
        ]
    );
    // The only move is the supply-chain item.
    let moved: Vec<_> = got
        .iter()
        .filter(|l| l.3)
        .map(|l| (l.0.as_str(), l.1.as_str()))
        .collect();
    assert_eq!(moved, vec![("3(a)(viii)", "14(c)")]);
}

#[test]
fn added_and_deleted_as_read() {
    let (z, r2) = pair();
    let r = redline(&z, &r2);
    let added: Vec<&str> = r
        .entries
        .iter()
        .filter(|e| e.status == Status::Added)
        .map(|e| r.new_node(e).unwrap().label.as_str())
        .collect();
    for l in [
        "3",
        "4",
        "5",
        "6",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13",
        "15(b)",
        "15(b)(i)",
        "15(b)(ii)",
        "16(e)",
        "17(a)",
        "17(b)",
        "17(f)",
        "G.steps.3",
    ] {
        assert!(added.contains(&l), "{l} should be added: {added:?}");
    }
    let deleted: Vec<&str> = r
        .entries
        .iter()
        .filter(|e| e.status == Status::Deleted)
        .map(|e| r.old_node(e).unwrap().label.as_str())
        .collect();
    for l in [
        "3",
        "3(a)",
        "3(a)(i)",
        "3(a)(x)",
        "3(b)",
        "3(c)",
        "B.steps.2",
        "4(c)",
        "D.steps.4",
        "6(d)",
        "6(e)",
        "E.steps.4",
        "E.steps.5",
        "7(b)",
        "F.steps.3",
        "F.steps.4",
        "F.steps.7",
        "8(c)",
    ] {
        assert!(deleted.contains(&l), "{l} should be deleted: {deleted:?}");
    }
}

#[test]
fn footnotes_reconciled_as_read() {
    let (z, r2) = pair();
    let r = redline(&z, &r2);
    let renumbered: Vec<(u32, u32)> = r
        .footnotes
        .iter()
        .filter(|f| f.status == FootnoteStatus::Renumbered)
        .map(|f| (f.old.unwrap(), f.new.unwrap()))
        .collect();
    assert_eq!(
        renumbered,
        vec![
            (4, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (5, 13),
            (6, 15),
            (7, 16),
            (8, 17),
            (9, 20),
            (10, 21),
            (11, 24)
        ]
    );
    let added: Vec<u32> = r
        .footnotes
        .iter()
        .filter(|f| f.status == FootnoteStatus::Added)
        .map(|f| f.new.unwrap())
        .collect();
    assert_eq!(
        added,
        vec![5, 6, 7, 8, 9, 10, 11, 12, 14, 18, 19, 22, 23, 25]
    );
    assert!(
        !r.footnotes
            .iter()
            .any(|f| f.status == FootnoteStatus::Deleted)
    );
}

#[test]
fn replaced_phrases_read_as_one_deletion_and_one_insertion() {
    let (z, r2) = pair();
    let r = redline(&z, &r2);
    let e = find(&r, "4(a)", "14(a)");
    let changes: Vec<_> = e
        .ops
        .iter()
        .filter(|o| o.op != oewg_diff::diff::Tag::Equal)
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(
        changes[0].text,
        "developing common understandings on technical ICT terms"
    );
    assert_eq!(
        changes[1].text,
        "sharing national definitions on technical ICT terms to promote mutual understanding"
    );
    assert_eq!(e.classes, vec![Class::Substantive]);
}

#[test]
fn every_change_is_in_the_redline_and_each_side_reproduces_its_text() {
    let (z, r2) = pair();
    let r = redline(&z, &r2);
    use oewg_diff::diff::{Tag, side_text};
    for e in &r.entries {
        if !e.split && !e.merged {
            if let Some(o) = r.old_node(e) {
                assert_eq!(
                    side_text(&e.ops, Tag::Delete),
                    o.text,
                    "old side of {}",
                    o.label
                );
            }
            if let Some(n) = r.new_node(e) {
                assert_eq!(
                    side_text(&e.ops, Tag::Insert),
                    n.text,
                    "new side of {}",
                    n.label
                );
            }
        }
    }
    // Every node of both drafts is in exactly one entry.
    for (i, _) in z.nodes.iter().enumerate() {
        assert!(r.entries.iter().any(|e| e.old == Some(i)));
    }
    for (i, _) in r2.nodes.iter().enumerate() {
        assert!(r.entries.iter().any(|e| e.new == Some(i)));
    }
}
