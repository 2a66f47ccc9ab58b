//! Synthetic revisions in `fixtures/redline/<case>/{old,new}.md`, one case each.

mod common;

use oewg_diff::diff::{Class, FootnoteStatus, Redline, Status, redline};
use oewg_diff::model::Draft;
use oewg_diff::render::redline::{Selection, render};
use oewg_diff::render::style::{Paint, Painter};

fn case(name: &str) -> (Draft, Draft) {
    (
        common::load(&format!("fixtures/redline/{name}/old.md")),
        common::load(&format!("fixtures/redline/{name}/new.md")),
    )
}

fn rows(r: &Redline) -> Vec<String> {
    r.entries
        .iter()
        .filter(|e| r.new_node(e).or(r.old_node(e)).unwrap().kind.is_body())
        .map(|e| {
            let l =
                |n: Option<&oewg_diff::model::Node>| n.map_or("-".to_string(), |n| n.label.clone());
            let mut s = format!(
                "{} -> {} {}",
                l(r.old_node(e)),
                l(r.new_node(e)),
                e.status.as_str()
            );
            for (f, w) in [(e.moved, "moved"), (e.split, "split"), (e.merged, "merged")] {
                if f {
                    s.push_str(&format!(" {w}"));
                }
            }
            s
        })
        .collect()
}

#[test]
fn renumbering_only_is_no_change() {
    let (o, n) = case("renumbering");
    let r = redline(&o, &n);
    assert_eq!(
        rows(&r),
        vec![
            "1 -> 11 unchanged",
            "2 -> 12 unchanged",
            "2(a) -> 12(a) unchanged",
            "2(b) -> 12(b) unchanged",
            "3 -> 13 unchanged"
        ]
    );
    assert!(
        r.footnotes
            .iter()
            .all(|f| f.status == FootnoteStatus::Renumbered)
    );
    assert!(!r.has_changes());
}

#[test]
fn move_across_sections() {
    let (o, n) = case("move");
    let r = redline(&o, &n);
    assert!(
        rows(&r).contains(&"2 -> 3 unchanged moved".to_string()),
        "{:?}",
        rows(&r)
    );
    assert!(r.has_changes());
}

#[test]
fn split_and_merge() {
    let (o, n) = case("split");
    let r = redline(&o, &n);
    assert_eq!(
        rows(&r),
        vec![
            "1 -> 1 unchanged split",
            "1 -> 2 modified split",
            "2 -> 3 unchanged"
        ]
    );
    // Each part of the split is diffed against its own share of the old paragraph.
    let part2 = &r
        .entries
        .iter()
        .find(|e| e.split && r.new_node(e).unwrap().label == "2")
        .unwrap();
    let inserted: Vec<&str> = part2
        .ops
        .iter()
        .filter(|o| o.op == oewg_diff::diff::Tag::Insert)
        .map(|o| o.text.as_str())
        .collect();
    assert_eq!(inserted, vec!["Furthermore,"]);
    let (o, n) = case("merge");
    let r = redline(&o, &n);
    assert_eq!(
        rows(&r),
        vec![
            "1 -> 1 modified merged",
            "2 -> 1 modified merged",
            "3 -> 2 unchanged"
        ]
    );
}

#[test]
fn footnote_renumbering_changes_no_paragraph() {
    let (o, n) = case("footnote_renumbering");
    let r = redline(&o, &n);
    assert_eq!(
        rows(&r),
        vec!["- -> 1 added", "1 -> 2 unchanged", "2 -> 3 unchanged"]
    );
    let f: Vec<_> = r
        .footnotes
        .iter()
        .map(|f| (f.old, f.new, f.status))
        .collect();
    assert_eq!(
        f,
        vec![
            (None, Some(1), FootnoteStatus::Added),
            (Some(1), Some(2), FootnoteStatus::Renumbered),
            (Some(2), Some(3), FootnoteStatus::Renumbered)
        ]
    );
}

#[test]
fn identical_footnotes_told_apart_by_the_citing_sentence() {
    let (o, n) = case("identical_footnotes");
    let r = redline(&o, &n);
    let f: Vec<_> = r.footnotes.iter().map(|f| (f.old, f.new)).collect();
    assert!(
        f.contains(&(Some(1), Some(2))) && f.contains(&(Some(2), Some(1))),
        "{f:?}"
    );
}

#[test]
fn deletion_and_insertion() {
    let (o, n) = case("deletion");
    assert_eq!(
        rows(&redline(&o, &n)),
        vec!["1 -> 1 unchanged", "2 -> - deleted", "3 -> 2 unchanged"]
    );
    let (o, n) = case("insertion");
    assert_eq!(
        rows(&redline(&o, &n)),
        vec!["1 -> 1 unchanged", "- -> 2 added", "2 -> 3 unchanged"]
    );
}

#[test]
fn unrelated_text_is_never_paired() {
    let (o, n) = case("unrelated");
    assert_eq!(
        rows(&redline(&o, &n)),
        vec!["1 -> 1 unchanged", "2 -> - deleted", "- -> 2 added"]
    );
}

#[test]
fn modality_changes_are_flagged() {
    let (o, n) = case("modality");
    let r = redline(&o, &n);
    for e in &r.entries {
        if r.new_node(e).unwrap().kind.is_body() {
            assert!(e.classes.contains(&Class::Modality), "{:?}", e.classes);
            assert_eq!(e.status, Status::Modified);
        }
    }
}

#[test]
fn punctuation_and_typography_classes() {
    let d = |t: &str| oewg_diff::ingest::parse("x", "x.md".as_ref(), t);
    let o = d("1. States recalled the report, and the \"framework\" - as agreed.\n");
    let n = d("1. States recalled the report and the “framework” – as agreed.\n");
    let r = redline(&o, &n);
    let e = r
        .entries
        .iter()
        .find(|e| e.status == Status::Modified)
        .unwrap();
    assert_eq!(e.classes, vec![Class::Punctuation]);
    let n2 = d("1. States recalled the report, and the “framework” – as agreed.\n");
    let r = redline(&o, &n2);
    let e = r
        .entries
        .iter()
        .find(|e| e.status == Status::Modified)
        .unwrap();
    assert_eq!(e.classes, vec![Class::Typographic]);
}

#[test]
fn snapshots_of_plain_and_term_output() {
    for name in ["split", "move", "footnote_renumbering", "modality"] {
        let (o, n) = case(name);
        let r = redline(&o, &n);
        let sel = Selection::default();
        insta::assert_snapshot!(format!("{name}_plain"), render(&r, &sel, &Painter::plain()));
        insta::assert_snapshot!(
            format!("{name}_term"),
            render(&r, &sel, &Painter::new(Paint::Debug))
        );
    }
}
