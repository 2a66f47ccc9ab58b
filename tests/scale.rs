//! Long and pathological drafts: the redline stays linear, finishes, and stays correct.
//! These are tests of correctness and termination, not of speed (speed is in benches/); the
//! time guard is generous because the machines are shared.

mod common;

use common::scale;
use oewg_diff::diff::{Status, Tag, redline, side_text};
use oewg_diff::ingest::parse;
use std::path::Path;
use std::time::{Duration, Instant};

fn draft(name: &str, text: &str) -> oewg_diff::model::Draft {
    parse(name, Path::new(name), text)
}

/// Run `f`, failing if it has not finished after a generous guard (a hang, not slowness).
fn finishes<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

#[test]
fn ten_copies_give_ten_times_the_changes() {
    let z = common::load("drafts/zero.md");
    let r2 = common::load("drafts/rev2.md");
    let one = redline(&z, &r2);
    let count = |r: &oewg_diff::diff::Redline, s: Status| {
        r.entries
            .iter()
            .filter(|e| e.status == s && r.new_node(e).or(r.old_node(e)).unwrap().kind.is_body())
            .count()
    };
    let zt = scale::repeated(&z, 10);
    let rt = scale::repeated(&r2, 10);
    let (zz, rr) = (draft("zero10", &zt), draft("rev2_10", &rt));
    assert_eq!(
        zz.nodes
            .iter()
            .filter(|n| n.kind == oewg_diff::model::NodeKind::Paragraph)
            .count(),
        80
    );
    let ten = finishes("10x redline", || redline(&zz, &rr));
    // Front matter before the first section (the "Annex A" lines) is written once.
    let front = |r: &oewg_diff::diff::Redline, s: Status| {
        r.entries
            .iter()
            .filter(|e| e.status == s)
            .filter(|e| {
                r.new_node(e)
                    .or(r.old_node(e))
                    .is_some_and(|n| n.kind.is_body() && n.section.is_none())
            })
            .count()
    };
    for s in [
        Status::Added,
        Status::Deleted,
        Status::Modified,
        Status::Unchanged,
    ] {
        assert_eq!(
            count(&ten, s),
            10 * count(&one, s) - 9 * front(&one, s),
            "{s:?}"
        );
    }
    let splits = |r: &oewg_diff::diff::Redline| r.entries.iter().filter(|e| e.split).count();
    assert_eq!(splits(&ten), 10 * splits(&one));
    let moved = ten.entries.iter().filter(|e| e.moved).count();
    assert_eq!(moved, 10, "only the supply-chain item moves, once per copy");
}

#[test]
fn two_unrelated_one_megabyte_drafts() {
    let a = draft("a", &scale::unrelated(1, 1 << 20));
    let b = draft("b", &scale::unrelated(2, 1 << 20));
    let r = finishes("unrelated", || redline(&a, &b));
    let body = |e: &oewg_diff::diff::Entry| r.new_node(e).or(r.old_node(e)).unwrap().kind.is_body();
    // Unrelated text is never paired: every paragraph is deleted or added.
    assert!(
        r.entries
            .iter()
            .filter(|e| body(e))
            .all(|e| matches!(e.status, Status::Added | Status::Deleted))
    );
    assert_eq!(
        r.entries
            .iter()
            .filter(|e| e.status == Status::Deleted)
            .count(),
        a.nodes.len() - 1
    );
}

#[test]
fn one_two_megabyte_paragraph_with_three_edits() {
    let mut rng = scale::Rng::new(7);
    let words: Vec<String> = (0..300_000).map(|_| rng.word()).collect();
    let old = format!("1. {}.\n", words.join(" "));
    let mut edited = words.clone();
    edited[10] = "INSERTEDWORD".to_string();
    edited[150_000] = "MIDDLEWORD".to_string();
    edited[299_990] = "LATEWORD".to_string();
    let new = format!("1. {}.\n", edited.join(" "));
    assert!(old.len() > 2_000_000);
    let (o, n) = (draft("o", &old), draft("n", &new));
    let r = finishes("2 MB paragraph", || redline(&o, &n));
    let e = r
        .entries
        .iter()
        .find(|e| e.status == Status::Modified)
        .expect("one modified paragraph");
    let inserted: String = e
        .ops
        .iter()
        .filter(|op| op.op == Tag::Insert)
        .map(|op| op.text.as_str())
        .collect();
    for w in ["INSERTEDWORD", "MIDDLEWORD", "LATEWORD"] {
        assert!(inserted.contains(w), "{w} not reported");
    }
    assert_eq!(side_text(&e.ops, Tag::Insert), n.nodes[0].text);
    assert_eq!(side_text(&e.ops, Tag::Delete), o.nodes[0].text);
}

#[test]
fn a_hundred_thousand_one_line_paragraphs() {
    let mut old = String::new();
    let mut new = String::new();
    for i in 1..=100_000u32 {
        old.push_str(&format!(
            "{i}. Paragraph {i} of the report, on item {}.\n",
            i * 7 % 1000
        ));
        // Renumbered by one (a paragraph inserted at the top) and one edit.
        let text = if i == 50_000 {
            format!(
                "Paragraph {i} of the report, on amended item {}.",
                i * 7 % 1000
            )
        } else {
            format!("Paragraph {i} of the report, on item {}.", i * 7 % 1000)
        };
        new.push_str(&format!("{}. {text}\n", i + 1));
    }
    new = format!("1. A new opening paragraph.\n{new}");
    let (o, n) = (draft("o", &old), draft("n", &new));
    let r = finishes("100k paragraphs", || redline(&o, &n));
    let modified: Vec<_> = r
        .entries
        .iter()
        .filter(|e| e.status == Status::Modified)
        .collect();
    assert_eq!(modified.len(), 1);
    assert_eq!(r.old_node(modified[0]).unwrap().label, "50000");
    assert_eq!(r.new_node(modified[0]).unwrap().label, "50001");
    assert_eq!(
        r.entries
            .iter()
            .filter(|e| e.status == Status::Added)
            .count(),
        1
    );
    assert_eq!(r.entries.iter().filter(|e| e.moved).count(), 0);
}

#[test]
fn one_paragraph_repeated_ten_thousand_times() {
    let p = "States continue exchanging views at the OEWG on existing and potential threats.";
    let mut old = String::new();
    let mut new = String::new();
    for i in 1..=10_000u32 {
        old.push_str(&format!("{i}. {p}\n"));
    }
    for i in 1..=10_001u32 {
        if i == 5_000 {
            new.push_str(&format!(
                "{i}. States agree to establish a points of contact directory.\n"
            ));
        } else {
            new.push_str(&format!("{i}. {p}\n"));
        }
    }
    let (o, n) = (draft("o", &old), draft("n", &new));
    let r = finishes("repeated paragraph", || redline(&o, &n));
    assert_eq!(
        r.entries
            .iter()
            .filter(|e| e.status == Status::Added)
            .count(),
        1
    );
    assert_eq!(
        r.entries
            .iter()
            .filter(|e| e.status == Status::Unchanged)
            .count(),
        10_000
    );
    assert!(
        !r.entries
            .iter()
            .any(|e| e.status == Status::Deleted || e.status == Status::Modified)
    );
}

/// A footnote pair as (old number, new number).
type NumberPair = (Option<u32>, Option<u32>);

/// The footnote pairs of two drafts, sorted, and the work the reconciliation did.
fn reconciled(
    o: &oewg_diff::model::Draft,
    n: &oewg_diff::model::Draft,
) -> (Vec<NumberPair>, oewg_diff::align::footnotes::Work) {
    let a = oewg_diff::align::align(o, n);
    let (pairs, work) = oewg_diff::align::footnotes::reconcile_counting(o, n, &a);
    let mut pairs: Vec<NumberPair> = pairs.iter().map(|p| (p.old, p.new)).collect();
    pairs.sort_unstable();
    (pairs, work)
}

/// Ten times the input must cost about ten times the work, not a hundred (reconciliation
/// was quadratic in the footnotes one paragraph cites, cubic where their numbers repeat).
fn about_ten_times(
    small: oewg_diff::align::footnotes::Work,
    large: oewg_diff::align::footnotes::Work,
) {
    assert!(small.candidates > 0 && small.comparisons > 0, "{small:?}");
    assert!(
        large.candidates <= 12 * small.candidates,
        "candidates {small:?} -> {large:?}"
    );
    assert!(
        large.comparisons <= 12 * small.comparisons,
        "comparisons {small:?} -> {large:?}"
    );
}

#[test]
fn ten_thousand_footnotes_cited_in_one_paragraph() {
    for restart in [None, Some(100)] {
        let run = |n: usize| {
            let (o, e) = scale::cited_paragraph(n, restart, 97);
            let (o, e) = (draft("o", &o), draft("n", &e));
            assert_eq!(o.footnotes.len(), n);
            assert_eq!(o.nodes.iter().map(|x| x.citations.len()).sum::<usize>(), n);
            finishes("footnotes", || reconciled(&o, &e))
        };
        let (_, small) = run(1_000);
        let (pairs, large) = run(10_000);
        about_ten_times(small, large);
        // Every footnote found again, the edited ones too, under its own number.
        assert_eq!(pairs.len(), 10_000, "{restart:?}");
        assert!(
            pairs.iter().all(|&(o, n)| o.is_some() && o == n),
            "{restart:?}"
        );
    }
    // Exactly the edited footnotes are reported, as modified, whether numbered once each or
    // with numbers repeated (each definition compared with its own counterpart, not with
    // the first of its number).
    for restart in [None, Some(100)] {
        let (o, n) = scale::cited_paragraph(10_000, restart, 97);
        let (o, n) = (draft("o", &o), draft("n", &n));
        let r = redline(&o, &n);
        let count = |s: oewg_diff::diff::FootnoteStatus| {
            r.footnotes.iter().filter(|f| f.status == s).count()
        };
        let edited = (0..10_000).filter(|k| k % 97 == 48).count();
        assert_eq!(
            count(oewg_diff::diff::FootnoteStatus::Modified),
            edited,
            "{restart:?}"
        );
        assert_eq!(
            count(oewg_diff::diff::FootnoteStatus::Unchanged),
            10_000 - edited,
            "{restart:?}"
        );
        assert_eq!(r.footnotes.len(), 10_000);
        // No citation reads as changed: each refers to its own reconciled footnote.
        assert!(
            r.entries.iter().all(|e| e.status == Status::Unchanged),
            "{restart:?}"
        );
    }
}

#[test]
fn concatenated_drafts_repeat_their_footnote_numbers() {
    let z = std::fs::read_to_string(common::root().join("drafts/zero.md")).unwrap();
    let r2 = std::fs::read_to_string(common::root().join("drafts/rev2.md")).unwrap();
    let (one, _) = reconciled(&draft("z", &z), &draft("r", &r2));
    let run = |copies: usize| {
        let o = draft("z", &scale::concatenated(&z, copies));
        let n = draft("r", &scale::concatenated(&r2, copies));
        finishes("concatenated", || reconciled(&o, &n))
    };
    let (five, _) = run(5);
    let (fifty, work) = run(50);
    // Each old footnote is scored against at most `NEAREST` new ones of its text and
    // `NEAREST` cited beside it (it was against every footnote of its number cited from any
    // copy of a paragraph that cites its number: the copies squared).
    let o = draft("z", &scale::concatenated(&z, 50));
    let cites: usize = o.nodes.iter().map(|x| x.citations.len()).sum();
    let bound = oewg_diff::align::footnotes::NEAREST * (o.footnotes.len() + cites);
    assert!(work.candidates <= bound, "{work:?}, bound {bound}");
    assert!(work.comparisons <= 2 * work.candidates, "{work:?}");
    // Each copy's footnotes are reconciled as the draft's own are.
    for (copies, pairs) in [(5, five), (50, fifty)] {
        let mut expected: Vec<_> = one
            .iter()
            .flat_map(|&p| std::iter::repeat_n(p, copies))
            .collect();
        expected.sort_unstable();
        assert_eq!(pairs, expected, "{copies} copies");
    }
}
