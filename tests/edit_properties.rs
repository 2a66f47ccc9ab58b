//! Properties of the redline over the real drafts: random edits to the text of the zero
//! draft and Rev. 2 (`tests/edits`), each knowing what it changed, and the redline of the
//! original against the edited text must report exactly that:
//!
//! - every textual edit appears as an insertion or deletion in the entry of the node it
//!   touched, and nowhere else (every untouched node is unchanged, and not moved);
//! - added and deleted paragraphs and items are reported added and deleted; a move is a move;
//! - renumbering (paragraphs, items, footnotes) and re-wrapping or re-spacing alone change
//!   nothing;
//! - typographic changes (no-break spaces, curly quotes, dashes, soft hyphens) are reported,
//!   in their own class, and `hide_typography` hides exactly them;
//! - each side of each entry reproduces its node's text.
//!
//! Cases per property: a fast default (thousands in all), or `PROPTEST_CASES` for each.
//! The few command-line cases are a fixed dozen each.

mod common;
mod edits;

use edits::{Cat, Doc, Edit, Global, ORIGINALS, Origin, atoms};
use oewg_diff::diff::{self, Class, Entry, FootnoteStatus, Op, Status, Tag, redline};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `default` cases; the `PROPTEST_CASES` environment variable overrides it (proptest reads it).
fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        cases: default,
        max_shrink_iters: 500,
        ..ProptestConfig::default()
    }
}

/// Atoms of every operation with this tag.
fn atoms_of<'a>(ops: impl Iterator<Item = &'a Op>, tag: Tag) -> Vec<String> {
    ops.filter(|o| o.op == tag)
        .flat_map(|o| atoms(&o.text))
        .collect()
}

/// Signed counts: `plus` minus `minus`, zero counts dropped.
fn net(plus: &[String], minus: &[String]) -> BTreeMap<String, i64> {
    let mut m: BTreeMap<String, i64> = BTreeMap::new();
    for a in plus {
        *m.entry(a.clone()).or_default() += 1;
    }
    for a in minus {
        *m.entry(a.clone()).or_default() -= 1;
    }
    m.retain(|_, v| *v != 0);
    m
}

fn contains_all(have: &[String], want: &[String]) -> bool {
    let mut left: BTreeMap<&String, i64> = BTreeMap::new();
    for a in have {
        *left.entry(a).or_default() += 1;
    }
    want.iter().all(|a| {
        let c = left.entry(a).or_default();
        *c -= 1;
        *c >= 0
    })
}

/// Run a case and check the redline against what the edits say.
fn run_case(draft: usize, edits: &[Edit], g: &Global) -> Result<(), TestCaseError> {
    let o = &ORIGINALS[draft];
    let mut doc = Doc::new(o);
    doc.run(edits, g);
    check(&doc, o.path)
}

fn check(doc: &Doc, path: &str) -> Result<(), TestCaseError> {
    let text = doc.text();
    let old = doc.old;
    let new = edits::parse(&text);
    let exp = &doc.exp;
    let log = format!("{path}, edits:\n  {}", doc.log.join("\n  "));
    let touched = exp.touched();

    // Which new node is which: by the line it starts on.
    let mut new_of_old: HashMap<usize, usize> = HashMap::new();
    let mut new_of_added: HashMap<usize, usize> = HashMap::new();
    for (ni, n) in new.nodes.iter().enumerate() {
        let origin = doc.lines.get(n.line - 1).map(|l| l.origin);
        match origin {
            Some(Origin::Node(o)) => {
                new_of_old.insert(o, ni);
            }
            Some(Origin::Added(id, _)) => {
                new_of_added.insert(id, ni);
            }
            other => {
                return Err(TestCaseError::fail(format!(
                    "new node {} ({:?}) starts on line {}, which held {other:?}: {:?}\n{log}",
                    n.label,
                    n.kind,
                    n.line,
                    doc.lines.get(n.line - 1).map(|l| &l.text)
                )));
            }
        }
    }
    for (o, on) in old.nodes.iter().enumerate() {
        if exp.deleted.contains(&o) {
            continue;
        }
        let Some(&ni) = new_of_old.get(&o) else {
            return Err(TestCaseError::fail(format!(
                "old node {} is no node of the edited draft\n{log}",
                on.label
            )));
        };
        let nn = &new.nodes[ni];
        prop_assert_eq!(
            nn.kind,
            on.kind,
            "kind of {} -> {}\n{}",
            &on.label,
            &nn.label,
            &log
        );
        if !exp.cats.contains_key(&o) {
            prop_assert_eq!(
                &nn.text,
                &on.text,
                "text of untouched {}\n{}",
                &on.label,
                &log
            );
            prop_assert_eq!(
                nn.citations.len(),
                on.citations.len(),
                "citations of untouched {}\n{}",
                &on.label,
                &log
            );
        }
    }
    for (id, want) in &exp.added {
        let Some(&ni) = new_of_added.get(id) else {
            return Err(TestCaseError::fail(format!(
                "added node #{id} not parsed\n{log}"
            )));
        };
        prop_assert_eq!(&new.nodes[ni].text, want, "added node #{}\n{}", id, &log);
    }

    let r = redline(old, &new);
    // Each side of each entry reproduces its node; no edit here splits or merges.
    let mut by_old: HashMap<usize, Vec<&Entry>> = HashMap::new();
    let mut by_new: HashMap<usize, Vec<&Entry>> = HashMap::new();
    for e in &r.entries {
        let (labels, status) = oewg_diff::render::redline::header(&r, e);
        prop_assert!(
            !e.split && !e.merged,
            "{} {}: split or merged\n{}",
            labels,
            status,
            &log
        );
        if let Some(on) = r.old_node(e) {
            prop_assert_eq!(
                diff::side_text(&e.ops, Tag::Delete),
                on.text.clone(),
                "old side of {}\n{}",
                &labels,
                &log
            );
        }
        if let Some(nn) = r.new_node(e) {
            prop_assert_eq!(
                diff::side_text(&e.ops, Tag::Insert),
                nn.text.clone(),
                "new side of {}\n{}",
                &labels,
                &log
            );
        }
        if let Some(o) = e.old {
            by_old.entry(o).or_default().push(e);
        }
        if let Some(n) = e.new {
            by_new.entry(n).or_default().push(e);
        }
    }

    // Moves: the moved block B, and the nodes J it jumped over (whose order against B
    // changed). Within a section the redline marks the smaller of the two as moved (the
    // longest run in order stays); across sections, B.
    let mut may_move: BTreeSet<usize> = BTreeSet::new();
    let mut must_move: Vec<BTreeSet<usize>> = Vec::new();
    if let Some(&b0) = exp.moved.first() {
        let nb0 = new_of_old[&b0];
        let block: BTreeSet<usize> = exp.moved.iter().copied().collect();
        let jumped: BTreeSet<usize> = (0..old.nodes.len())
            .filter(|x| !block.contains(x) && old.nodes[*x].kind.is_body())
            .filter(|x| !exp.deleted.contains(x))
            .filter(|x| (*x < b0) != (new_of_old[x] < nb0))
            .collect();
        let across = old.nodes[b0].section != new.nodes[nb0].section;
        if across || jumped.len() > block.len() {
            must_move.push(block.clone());
            may_move.extend(&block);
        } else if jumped.len() < block.len() {
            must_move.push(jumped.clone());
            may_move.extend(&jumped);
        } else {
            // Either one: the check below asks that exactly one of them moved.
            may_move.extend(&block);
            may_move.extend(&jumped);
            let b_moved = block.iter().all(|x| by_old[x].iter().all(|e| e.moved));
            must_move.push(if b_moved {
                block.clone()
            } else {
                jumped.clone()
            });
        }
    }
    for set in &must_move {
        for x in set {
            prop_assert!(
                by_old[x].iter().all(|e| e.moved),
                "{} should be reported moved\n{}",
                &old.nodes[*x].label,
                &log
            );
        }
    }
    for e in &r.entries {
        if e.moved {
            let ok = e.old.is_some_and(|o| may_move.contains(&o))
                && must_move
                    .iter()
                    .any(|s| s.contains(&e.old.unwrap_or(usize::MAX)));
            let (labels, _) = oewg_diff::render::redline::header(&r, e);
            prop_assert!(ok, "{} reported moved, and did not move\n{}", labels, &log);
        }
    }

    // Each old node.
    for (o, on) in old.nodes.iter().enumerate() {
        let mine = by_old.get(&o).cloned().unwrap_or_default();
        if exp.deleted.contains(&o) {
            prop_assert!(
                mine.len() == 1 && mine[0].new.is_none() && mine[0].status == Status::Deleted,
                "{} should be deleted\n{}",
                &on.label,
                &log
            );
            continue;
        }
        let ni = new_of_old[&o];
        let nn = &new.nodes[ni];
        if !touched.contains(&o) || !exp.cats.contains_key(&o) {
            // Untouched, or only moved: the same node, unchanged.
            prop_assert!(
                mine.len() == 1 && mine[0].new == Some(ni) && mine[0].status == Status::Unchanged,
                "{} -> {} should be unchanged, got {:?}\n{}",
                &on.label,
                &nn.label,
                mine.iter()
                    .map(|e| (e.new.map(|n| &new.nodes[n].label), e.status, &e.ops))
                    .collect::<Vec<_>>(),
                &log
            );
            continue;
        }
        // Edited: every atom in and out is reported in the entries of this node.
        let mut es: Vec<&Entry> = mine.clone();
        for e in by_new.get(&ni).into_iter().flatten() {
            if !es.iter().any(|x| std::ptr::eq(*x, *e)) {
                es.push(e);
            }
        }
        let ins = atoms_of(es.iter().flat_map(|e| e.ops.iter()), Tag::Insert);
        let del = atoms_of(es.iter().flat_map(|e| e.ops.iter()), Tag::Delete);
        // What the edits did in sum: a word put in by one edit and taken out by the next
        // is no change.
        let mut want_ins = Vec::new();
        let mut want_del = Vec::new();
        for (a, k) in net(&exp.ins[&o], &exp.del[&o]) {
            let side = if k > 0 { &mut want_ins } else { &mut want_del };
            side.extend(std::iter::repeat_n(a, k.unsigned_abs() as usize));
        }
        let (want_ins, want_del) = (&want_ins, &want_del);
        prop_assert!(
            contains_all(&ins, want_ins) && contains_all(&del, want_del),
            "{}: edit not reported: inserted {:?} (reported {:?}), deleted {:?} (reported {:?})\n{}",
            &on.label,
            want_ins,
            ins,
            want_del,
            del,
            &log
        );
        prop_assert_eq!(
            net(&ins, &del),
            net(want_ins, want_del),
            "{}: the redline's net change differs from the edits'\n{}",
            &on.label,
            &log
        );
        if nn.text == on.text {
            continue; // edits that undid each other
        }
        // A paragraph of some length keeps its identity under a few edits.
        if oewg_diff::diff::tokens::word_count(&on.text) >= 10 {
            prop_assert!(
                mine.len() == 1 && mine[0].new == Some(ni) && mine[0].status == Status::Modified,
                "{} should be paired with {} and modified\n{}",
                &on.label,
                &nn.label,
                &log
            );
            let cats = &exp.cats[&o];
            let classes = &mine[0].classes;
            let only = |c: Cat| cats.len() == 1 && cats.contains(&c);
            if only(Cat::Typo) {
                prop_assert_eq!(
                    classes,
                    &vec![Class::Typographic],
                    "{}\n{}",
                    &on.label,
                    &log
                );
            } else if only(Cat::Punct) {
                prop_assert_eq!(
                    classes,
                    &vec![Class::Punctuation],
                    "{}\n{}",
                    &on.label,
                    &log
                );
            } else if only(Cat::Word) {
                let words = |v: &[String]| -> Vec<String> {
                    v.iter()
                        .filter(|a| a.chars().all(char::is_alphanumeric))
                        .cloned()
                        .collect()
                };
                if !net(&words(want_ins), &words(want_del)).is_empty() {
                    prop_assert!(
                        classes.contains(&Class::Substantive),
                        "{}: {:?}\n{}",
                        &on.label,
                        classes,
                        &log
                    );
                }
            }
        }
    }
    for (id, &ni) in &new_of_added {
        let mine = by_new.get(&ni).cloned().unwrap_or_default();
        prop_assert!(
            mine.len() == 1 && mine[0].old.is_none() && mine[0].status == Status::Added,
            "added node #{} ({}) should be added\n{}",
            id,
            &new.nodes[ni].label,
            &log
        );
    }

    // Footnotes: renumbered ones are the same note; edited ones are modified, with the edit.
    let origin_of_new: HashMap<u32, usize> = new
        .footnotes
        .iter()
        .filter_map(|f| match doc.lines.get(f.line - 1).map(|l| l.origin) {
            Some(Origin::Footnote(fi)) => Some((f.number, fi)),
            _ => None,
        })
        .collect();
    for fe in &r.footnotes {
        if let (Some(on), None) = (fe.old, fe.new) {
            let fi = old.footnotes.iter().position(|f| f.number == on);
            prop_assert!(
                fi.is_some_and(|fi| exp.fn_deleted.contains(&fi))
                    && fe.status == FootnoteStatus::Deleted,
                "footnote {} reported deleted\n{}",
                on,
                &log
            );
            continue;
        }
        let (Some(on), Some(nn)) = (fe.old, fe.new) else {
            return Err(TestCaseError::fail(format!(
                "footnote {:?} -> {:?} {}\n{log}",
                fe.old,
                fe.new,
                fe.status.as_str()
            )));
        };
        let fi = old
            .footnotes
            .iter()
            .position(|f| f.number == on)
            .unwrap_or(0);
        let of = &old.footnotes[fi];
        let nf = new.footnote(nn).map(|f| f.text.clone()).unwrap_or_default();
        if exp.fn_ins.contains_key(&fi) {
            prop_assert_eq!(
                origin_of_new.get(&nn),
                Some(&fi),
                "edited footnote {} paired with {}\n{}",
                on,
                nn,
                &log
            );
            let ins = atoms_of(fe.ops.iter(), Tag::Insert);
            let del = atoms_of(fe.ops.iter(), Tag::Delete);
            let want = net(&exp.fn_ins[&fi], &exp.fn_del[&fi]);
            let side = |sign: i64| -> Vec<String> {
                want.iter()
                    .filter(|(_, k)| k.signum() == sign)
                    .flat_map(|(a, k)| std::iter::repeat_n(a.clone(), k.unsigned_abs() as usize))
                    .collect()
            };
            prop_assert!(
                contains_all(&ins, &side(1)) && contains_all(&del, &side(-1)),
                "footnote {}: edit not reported\n{}",
                on,
                &log
            );
            prop_assert_eq!(
                net(&ins, &del),
                net(&exp.fn_ins[&fi], &exp.fn_del[&fi]),
                "footnote {}\n{}",
                on,
                &log
            );
            if nf != of.text {
                prop_assert_eq!(
                    fe.status,
                    FootnoteStatus::Modified,
                    "footnote {}\n{}",
                    on,
                    &log
                );
            }
        } else {
            prop_assert!(
                matches!(
                    fe.status,
                    FootnoteStatus::Unchanged | FootnoteStatus::Renumbered
                ) && nf == of.text,
                "footnote {} -> {} should be the same note, is {}\n{}",
                on,
                nn,
                fe.status.as_str(),
                &log
            );
            if let Some(map) = &exp.footnote_map {
                let same_origin = origin_of_new.get(&nn) == Some(&fi);
                prop_assert!(
                    map.get(&on) == Some(&nn) || !same_origin,
                    "footnote {} renumbered to {:?}, reported {}\n{}",
                    on,
                    map.get(&on),
                    nn,
                    &log
                );
            }
        }
    }
    for &fi in &exp.fn_deleted {
        let number = old.footnotes[fi].number;
        prop_assert!(
            r.footnotes
                .iter()
                .any(|f| f.old == Some(number) && f.new.is_none()),
            "footnote {} should be deleted\n{}",
            number,
            &log
        );
    }
    if exp.no_change() {
        prop_assert!(
            !r.has_changes(),
            "renumbering and layout alone must change nothing\n{}",
            &log
        );
    }
    Ok(())
}

fn draft() -> impl Strategy<Value = usize> {
    0..ORIGINALS.len()
}

proptest! {
    #![proptest_config(config(1200))]

    /// Word and punctuation edits, and edits to footnote texts, in any mix.
    #[test]
    fn text_edits_are_reported(
        d in draft(),
        edits in prop::collection::vec(
            prop_oneof![
                4 => edits::word_edit(),
                2 => edits::punct_edit(),
                1 => edits::footnote_edit(),
            ],
            1..5,
        ),
        g in edits::global(false),
    ) {
        run_case(d, &edits, &g)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Paragraphs and items added, deleted and moved (then numbered consistently again).
    #[test]
    fn structural_edits_are_reported(
        d in draft(),
        edits in prop::collection::vec(edits::structural_edit(), 1..4),
        g in edits::global(false),
    ) {
        run_case(d, &edits, &g)?;
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Renumbered paragraphs and footnotes, re-wrapped lines, other spacing, CRLF, a BOM:
    /// no change at all.
    #[test]
    fn renumbering_and_layout_change_nothing(
        d in draft(),
        edits in prop::collection::vec(edits::layout_edit(), 0..6),
        g in edits::global(true),
    ) {
        run_case(d, &edits, &g)?;
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// Typographic edits are reported, as typographic; hiding typography hides them all.
    #[test]
    fn typography_is_reported_in_its_class(
        d in draft(),
        edits in prop::collection::vec(edits::typo_edit(), 1..4),
        g in edits::global(false),
    ) {
        let o = &ORIGINALS[d];
        let mut doc = Doc::new(o);
        doc.run(&edits, &g);
        check(&doc, o.path)?;
        let new = edits::parse(&doc.text());
        let mut r = redline(&o.draft, &new);
        let changed = r.entries.iter().filter(|e| e.is_change()).count();
        let hidden = r.hide_typography();
        prop_assert_eq!(hidden, changed, "every change here is typographic\n{:?}", &doc.log);
        prop_assert!(!r.has_changes(), "{:?}", &doc.log);
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// Everything at once: text, structure, typography, renumbering and layout.
    #[test]
    fn mixed_edits_are_reported(
        d in draft(),
        edits in prop::collection::vec(
            prop_oneof![
                3 => edits::word_edit(),
                1 => edits::punct_edit(),
                1 => edits::footnote_edit(),
                1 => edits::typo_edit(),
                2 => edits::structural_edit(),
                2 => edits::layout_edit(),
            ],
            1..7,
        ),
        g in edits::global(true),
    ) {
        run_case(d, &edits, &g)?;
    }
}

/// The harness itself: numbering the originals consistently changes nothing in them (so a
/// renumbered draft differs from the original only where an edit moved something).
#[test]
fn renumbering_the_originals_is_the_identity() {
    for o in ORIGINALS.iter() {
        let mut doc = Doc::new(o);
        doc.renumber_markers(0);
        assert_eq!(doc.text(), o.text, "{}", o.path);
    }
}

/// The harness itself: an edit it records but the text does not show is caught.
#[test]
fn a_hidden_edit_fails_the_check() {
    let o = &ORIGINALS[1];
    let mut doc = Doc::new(o);
    doc.run(
        &[Edit::WordInsert(
            edits::Pick(0),
            edits::Pick(0),
            edits::Pick(0),
        )],
        &Global {
            footnotes: None,
            shift: 0,
            crlf: false,
            bom: false,
        },
    );
    assert!(check(&doc, o.path).is_ok(), "{:?}", doc.log);
    // Undo the edit in the text only: the check must notice the missing insertion.
    doc.lines = Doc::new(o).lines;
    assert!(check(&doc, o.path).is_err());
}

/// The JSON through the command line, for a few cases: the edited paragraph has the word in
/// an insert op, exit status 1; renumbering alone exits 0 with `"changed": false`.
mod cli {
    use super::*;
    use assert_cmd::Command;

    fn json(old: &str, new: &std::path::Path) -> (i32, serde_json::Value) {
        let out = Command::cargo_bin("oewg-diff")
            .unwrap()
            .current_dir(common::root())
            .args([old, new.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap();
        let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (out.status.code().unwrap_or(-1), v)
    }

    /// Each case runs the binary: a fixed dozen, whatever `PROPTEST_CASES` says (the runner
    /// is built by hand, as the `proptest!` macro would apply the variable).
    fn run_cli<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
        let mut runner = proptest::test_runner::TestRunner::new(config(12));
        if let Err(e) = runner.run(&strategy, test) {
            panic!("{e}");
        }
    }

    #[test]
    fn cli_json_reports_an_inserted_word() {
        let s = (draft(), edits::pick(), edits::pick(), edits::global(true));
        run_cli(s, |(d, n, w, g)| {
            let o = &ORIGINALS[d];
            let mut doc = Doc::new(o);
            // "zebra" is in no draft: the only insert op holding it is the edit's.
            doc.run(&[Edit::WordInsert(n, w, edits::Pick(0))], &g);
            let (&node, _) = doc.exp.ins.iter().next().expect("a word site");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("edited.md");
            std::fs::write(&path, doc.text()).unwrap();
            let (code, v) = json(o.path, &path);
            prop_assert_eq!(code, 1, "{:?}", &doc.log);
            let label = &o.draft.nodes[node].label;
            let hits: Vec<&serde_json::Value> = v["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| {
                    p["diff"].as_array().unwrap().iter().any(|op| {
                        op["op"] == "insert" && op["text"].as_str().unwrap().contains("zebra")
                    })
                })
                .collect();
            prop_assert_eq!(hits.len(), 1, "{:?}", &doc.log);
            prop_assert_eq!(
                hits[0]["old"].as_str(),
                Some(label.as_str()),
                "{:?}",
                &doc.log
            );
            prop_assert_eq!(&hits[0]["status"], "modified");
            prop_assert_eq!(&v["summary"]["changed"], true);
            Ok(())
        });
    }

    #[test]
    fn cli_json_renumbering_alone_is_no_change() {
        run_cli((draft(), edits::global(true)), |(d, g)| {
            let o = &ORIGINALS[d];
            let mut doc = Doc::new(o);
            doc.run(&[], &g);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("renumbered.md");
            std::fs::write(&path, doc.text()).unwrap();
            let (code, v) = json(o.path, &path);
            prop_assert_eq!(code, 0, "{:?}", &doc.log);
            prop_assert_eq!(&v["summary"]["changed"], false);
            Ok(())
        });
    }
}
