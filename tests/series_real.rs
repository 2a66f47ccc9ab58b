//! The series view on the real pair (manifest series `apr2022`: zero draft -> Rev. 2): the
//! checks of issue #7, read off the drafts side by side.

mod common;

use oewg_diff::diff::Tag;
use oewg_diff::series::{self, Series, VersionStatus};

/// (draft, label) of every version that has a node, in order.
fn path(s: &Series, h: &series::History) -> Vec<(String, String)> {
    h.versions
        .iter()
        .filter_map(|v| {
            v.node.map(|n| {
                let d = s.draft(v.draft);
                (d.name.clone(), d.nodes[n].label.clone())
            })
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn history_of_14b_passes_through_zero_4b_and_rev2_14b() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    let newest = s.len() - 1;
    for spelling in ["14(b)", "14b", "14.b"] {
        let h = series::history(&s, newest, spelling).unwrap();
        assert_eq!(h.label, "14(b)");
        assert_eq!(
            path(&s, &h),
            pairs(&[("zero", "4(b)"), ("rev2", "14(b)")]),
            "{spelling}"
        );
        let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
        assert_eq!(st, [VersionStatus::Original, VersionStatus::Unchanged]);
        // Only its footnote changed number: 5 became 13.
        let cite = h.versions[1].ops.iter().find_map(|o| o.footnote).unwrap();
        assert_eq!((cite.old, cite.new), (Some(5), Some(13)));
    }
}

#[test]
fn history_of_14c_starts_at_zero_3a_viii() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    let h = series::history(&s, 1, "14c").unwrap();
    assert_eq!(
        path(&s, &h),
        pairs(&[("zero", "3(a)(viii)"), ("rev2", "14(c)")])
    );
    let first = &h.versions[0];
    assert_eq!(first.status, VersionStatus::Original);
    assert_eq!(
        s.draft(0).nodes[first.node.unwrap()].section.as_deref(),
        Some("B")
    );
    let last = &h.versions[1];
    assert!(last.moved);
    assert_eq!(last.status, VersionStatus::Modified);
    let inserted: String = last
        .ops
        .iter()
        .filter(|o| o.op == Tag::Insert)
        .map(|o| o.text.as_str())
        .collect();
    assert!(inserted.contains("could be strengthened"), "{inserted}");
}

#[test]
fn history_read_in_the_zero_draft_follows_forward_and_into_a_split() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    let h = series::history(&s, 0, "4(b)").unwrap();
    assert_eq!(path(&s, &h), pairs(&[("zero", "4(b)"), ("rev2", "14(b)")]));
    // Zero 1 was split into Rev. 2 1 and 2: both parts are followed, and each says which.
    let h = series::history(&s, 0, "1").unwrap();
    assert_eq!(
        path(&s, &h),
        pairs(&[("zero", "1"), ("rev2", "1"), ("rev2", "2")])
    );
    for v in &h.versions[1..] {
        assert!(v.split);
        let parts: Vec<&str> = v
            .parts
            .iter()
            .map(|&p| s.draft(1).nodes[p].label.as_str())
            .collect();
        assert_eq!(parts, ["1", "2"]);
    }
    // Read from one part, the history goes back to the paragraph that was split.
    let h = series::history(&s, 1, "2").unwrap();
    assert_eq!(path(&s, &h), pairs(&[("zero", "1"), ("rev2", "2")]));
}

#[test]
fn history_of_a_paragraph_new_in_rev2_is_absent_then_added() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    let r = &s.steps[0];
    let added = r
        .entries
        .iter()
        .find(|e| e.old.is_none() && r.new_node(e).is_some_and(|n| n.kind.is_body()))
        .unwrap();
    let label = r.new_node(added).unwrap().label.clone();
    let h = series::history(&s, 1, &label).unwrap();
    let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
    assert_eq!(st, [VersionStatus::Absent, VersionStatus::Added], "{label}");
    // And one deleted from the zero draft: original, then deleted.
    let deleted = r
        .entries
        .iter()
        .find(|e| e.new.is_none() && r.old_node(e).is_some_and(|n| n.kind.is_body()))
        .unwrap();
    let label = r.old_node(deleted).unwrap().label.clone();
    let h = series::history(&s, 0, &label).unwrap();
    let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
    assert_eq!(
        st,
        [VersionStatus::Original, VersionStatus::Deleted],
        "{label}"
    );
}

#[test]
fn blame_of_rev2_14a_shows_zero_words_and_words_new_in_rev2() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    let b = series::blame(&s, 1);
    let n = s.draft(1).find("14a").unwrap();
    let spans = &b.nodes[n].spans;
    let by = |k: usize| -> String {
        spans
            .iter()
            .filter(|sp| sp.draft == k)
            .map(|sp| sp.text.as_str())
            .collect()
    };
    assert!(
        by(0).starts_with("States consider developing additional guidance"),
        "{spans:?}"
    );
    // Only the words new in Rev. 2; "on technical ICT terms" was in the zero draft.
    assert_eq!(
        by(1).trim(),
        "sharing national definitions to promote mutual understanding"
    );
    assert!(by(0).contains("on technical ICT terms"));
    // The replaced words are gone; the full stop is the zero draft's.
    assert!(!by(0).contains("common understandings"));
    assert_eq!(spans.last().unwrap().text, ".");
    assert_eq!(spans.last().unwrap().draft, 0);
}

#[test]
fn blame_covers_every_word_of_both_drafts_exactly() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    for k in 0..s.len() {
        assert_blame_exact(&s, k);
    }
    // Rev. 2 keeps most of the zero draft's words, and adds its own.
    let b = series::blame(&s, 1);
    let all: Vec<_> = b.nodes.iter().collect();
    let words = b.words(s.len(), &all);
    assert!(words[0] > 1000 && words[1] > 1000, "{words:?}");
}

#[test]
fn log_has_the_numbers_of_the_redline() {
    let (name, revs) = common::series("oewg.toml");
    let s = Series::new(name, &revs);
    let l = series::log(&s);
    assert_eq!(l.len(), 1);
    let st = &l[0];
    assert_eq!((st.from.as_str(), st.to.as_str()), ("zero", "rev2"));
    // The same counts as `oewg-diff zero rev2 --stat` (README: 20 added, 25 deleted, ...).
    let p = &st.paragraphs;
    assert_eq!(
        (p.added, p.deleted, p.modified, p.moved, p.split),
        (20, 25, 42, 1, 4)
    );
    assert_eq!((st.words.inserted, st.words.deleted), (2361, 1623));
    assert_eq!(
        (
            st.footnotes.renumbered,
            st.footnotes.added,
            st.footnotes.deleted
        ),
        (11, 14, 0)
    );
}

/// Every word of `draft` is in its blame, in order, with its citations.
fn assert_blame_exact(s: &Series, draft: usize) {
    let b = series::blame(s, draft);
    assert!(b.notes.is_empty(), "{:?}", b.notes);
    let d = s.draft(draft);
    for nb in &b.nodes {
        let node = &d.nodes[nb.node];
        let text: String = nb.spans.iter().map(|sp| sp.text.as_str()).collect();
        assert_eq!(text, node.text, "{} {}", d.name, node.label);
        let cites: Vec<u32> = nb.spans.iter().filter_map(|sp| sp.footnote).collect();
        assert_eq!(cites, node.footnotes(), "{} {}", d.name, node.label);
    }
}

#[test]
fn merges_are_followed_backwards_into_every_part() {
    // Rev. 2 then the zero draft: the split of zero 1 read backwards is a merge.
    let (_, revs) = common::series("oewg.toml");
    let reversed: Vec<_> = revs.into_iter().rev().collect();
    let s = Series::new("reversed", &reversed);
    let h = series::history(&s, 1, "1").unwrap();
    assert_eq!(
        path(&s, &h),
        pairs(&[("rev2", "1"), ("rev2", "2"), ("zero", "1")])
    );
    let merged = h.versions.last().unwrap();
    assert!(merged.merged);
    assert_eq!(merged.from.len(), 2);
    // The merged version's diff covers both parts: equal + insert give the merged text.
    let new: String = merged
        .ops
        .iter()
        .filter(|o| o.op != Tag::Delete)
        .map(|o| o.text.as_str())
        .collect();
    assert_eq!(new, s.draft(1).nodes[merged.node.unwrap()].text);
    assert_blame_exact(&s, 1);
}

#[test]
fn blame_is_exact_on_every_redline_fixture() {
    let dir = common::root().join("fixtures/redline");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let revs: Vec<_> = ["old", "new"]
            .iter()
            .map(|side| {
                oewg_diff::series::Revision::new(common::load(&format!(
                    "fixtures/redline/{case}/{side}.md"
                )))
            })
            .collect();
        let s = Series::new(case.clone(), &revs);
        assert_blame_exact(&s, 1);
        // Every node of the new draft has a history that reaches it.
        for (i, n) in s.draft(1).nodes.iter().enumerate() {
            let h = series::history(&s, 1, &n.label).unwrap();
            if s.draft(1).find(&n.label) == Some(i) {
                assert!(
                    h.in_draft(1).any(|v| v.node == Some(i)),
                    "{case} {}",
                    n.label
                );
            }
        }
    }
}
