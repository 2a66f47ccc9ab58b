//! The series view on a made-up series of four drafts (`fixtures/series/`): a phrase of the
//! capacity-building paragraph is added in rev1, changed in rev2 and deleted in the final draft;
//! a paragraph on a trust fund is added in rev1, changed in rev2 and deleted in the final draft;
//! the points-of-contact paragraph is split in rev2.

mod common;

use oewg_diff::diff::{Op, Tag};
use oewg_diff::series::{self, Series, VersionStatus};

const MANIFEST: &str = "fixtures/series/oewg.toml";

fn text(ops: &[Op], tag: Tag) -> String {
    ops.iter()
        .filter(|o| o.op == tag)
        .map(|o| o.text.as_str())
        .collect()
}

fn labels(s: &Series, h: &series::History) -> Vec<Option<String>> {
    h.versions
        .iter()
        .map(|v| v.node.map(|n| s.draft(v.draft).nodes[n].label.clone()))
        .collect()
}

#[test]
fn the_series_is_read_in_manifest_order() {
    let (name, revs) = common::series(MANIFEST);
    assert_eq!(name, "cbm");
    let names: Vec<&str> = revs.iter().map(|r| r.draft.name.as_str()).collect();
    assert_eq!(names, ["zero", "rev1", "rev2", "final"]);
}

#[test]
fn the_phrase_is_absent_added_changed_deleted() {
    let (name, revs) = common::series(MANIFEST);
    let s = Series::new(name, &revs);
    // Read in the final draft (the default), where the paragraph is 6.
    let h = series::history(&s, 3, "6").unwrap();
    assert_eq!(
        labels(&s, &h),
        [Some("5"), Some("6"), Some("7"), Some("6")].map(|l| l.map(String::from))
    );
    let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
    assert_eq!(
        st,
        [
            VersionStatus::Original,
            VersionStatus::Modified,
            VersionStatus::Modified,
            VersionStatus::Modified
        ]
    );
    let v = &h.versions;
    // Zero: the phrase is absent.
    let zero = &s.draft(0).nodes[v[0].node.unwrap()].text;
    assert!(!zero.contains("regional"), "{zero}");
    // Rev. 1: added, and nothing else changed.
    assert_eq!(
        text(&v[1].ops, Tag::Insert),
        ", including through regional organizations"
    );
    assert_eq!(text(&v[1].ops, Tag::Delete), "");
    // Rev. 2: changed.
    assert_eq!(text(&v[2].ops, Tag::Insert), "and subregional ");
    assert_eq!(text(&v[2].ops, Tag::Delete), "");
    // Final: deleted, back to the zero draft's words.
    assert_eq!(
        text(&v[3].ops, Tag::Delete),
        ", including through regional and subregional organizations"
    );
    assert_eq!(text(&v[3].ops, Tag::Insert), "");
    assert_eq!(&s.draft(3).nodes[v[3].node.unwrap()].text, zero);
}

#[test]
fn a_paragraph_added_in_rev1_changed_in_rev2_deleted_in_final() {
    let (name, revs) = common::series(MANIFEST);
    let s = Series::new(name, &revs);
    // Read in rev2 (`--in rev2`), where it is 5; in rev1 it was 4.
    let h = series::history(&s, 2, "5").unwrap();
    let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
    assert_eq!(
        st,
        [
            VersionStatus::Absent,
            VersionStatus::Added,
            VersionStatus::Modified,
            VersionStatus::Deleted
        ]
    );
    assert_eq!(
        labels(&s, &h),
        [None, Some("4"), Some("5"), None].map(|l| l.map(String::from))
    );
    let v = &h.versions;
    assert!(text(&v[1].ops, Tag::Insert).starts_with("States proposed the establishment"));
    assert_eq!(
        text(&v[2].ops, Tag::Insert),
        "trust fund, administered by the Secretariat,"
    );
    // The deleted version holds rev2's text, all deleted, and says which node it was.
    assert!(v[3].ops.iter().all(|o| o.op == Tag::Delete));
    assert!(text(&v[3].ops, Tag::Delete).contains("voluntary trust fund"));
    assert_eq!(v[3].from, [h.node]);
}

#[test]
fn a_split_is_followed_into_all_its_parts() {
    let (name, revs) = common::series(MANIFEST);
    let s = Series::new(name, &revs);
    let h = series::history(&s, 0, "3").unwrap();
    let per_draft: Vec<(String, Option<String>)> = h
        .versions
        .iter()
        .map(|v| {
            let d = s.draft(v.draft);
            (d.name.clone(), v.node.map(|n| d.nodes[n].label.clone()))
        })
        .collect();
    let want = [
        ("zero", "3"),
        ("rev1", "3"),
        ("rev2", "3"),
        ("rev2", "4"),
        ("final", "3"),
        ("final", "4"),
    ];
    assert_eq!(
        per_draft,
        want.map(|(d, l)| (d.to_string(), Some(l.to_string())))
    );
    for v in h.in_draft(2) {
        assert!(v.split);
        assert_eq!(v.parts.len(), 2);
    }
    // Read from the second part in the final draft, the history goes back through the split.
    let h = series::history(&s, 3, "4").unwrap();
    assert_eq!(
        labels(&s, &h),
        [Some("3"), Some("3"), Some("4"), Some("4")].map(|l| l.map(String::from))
    );
}

/// The words of a node's blame credited to draft `k`.
fn credited(b: &series::Blame, node: usize, k: usize) -> String {
    b.nodes[node]
        .spans
        .iter()
        .filter(|sp| sp.draft == k)
        .map(|sp| sp.text.as_str())
        .collect()
}

#[test]
fn blame_credits_each_word_to_the_draft_that_introduced_it() {
    let (name, revs) = common::series(MANIFEST);
    let s = Series::new(name, &revs);
    // Rev. 2, paragraph 7: zero's words, rev1's phrase, rev2's change within it.
    let b = series::blame(&s, 2);
    assert!(b.notes.is_empty(), "{:?}", b.notes);
    let n = s.draft(2).find("7").unwrap();
    assert!(credited(&b, n, 0).starts_with("States considered that capacity-building"));
    assert_eq!(
        credited(&b, n, 1),
        ", including through regional organizations"
    );
    assert_eq!(credited(&b, n, 2), "and subregional ");
    // Rev. 2, paragraph 5: rev1's paragraph with rev2's words in it; nothing from zero.
    let n = s.draft(2).find("5").unwrap();
    assert_eq!(credited(&b, n, 0), "");
    // "fund" was rev1's: it survives inside the phrase rev2 replaced.
    assert_eq!(
        credited(&b, n, 2).trim(),
        "trust , administered by the Secretariat,"
    );
    assert!(
        credited(&b, n, 1).contains("voluntary fund"),
        "{}",
        credited(&b, n, 1)
    );
    let fund_cite = b.nodes[n]
        .spans
        .iter()
        .find(|sp| sp.footnote.is_some())
        .unwrap();
    assert_eq!((fund_cite.footnote, fund_cite.draft), (Some(3), 1));
    // The parts of the split keep the zero draft's words.
    for label in ["3", "4"] {
        let n = s.draft(2).find(label).unwrap();
        assert!(b.nodes[n].spans.iter().all(|sp| sp.draft == 0), "{label}");
    }
    // Final, paragraph 6: the phrase is gone, every word is the zero draft's again.
    let b = series::blame(&s, 3);
    let n = s.draft(3).find("6").unwrap();
    assert!(b.nodes[n].spans.iter().all(|sp| sp.draft == 0));
    // Rev. 1, paragraph 6: the phrase is rev1's.
    let b = series::blame(&s, 1);
    let n = s.draft(1).find("6").unwrap();
    assert_eq!(
        credited(&b, n, 1),
        ", including through regional organizations"
    );
}

#[test]
fn log_sums_up_each_step() {
    let (name, revs) = common::series(MANIFEST);
    let s = Series::new(name, &revs);
    let l = series::log(&s);
    let steps: Vec<(&str, &str)> = l
        .iter()
        .map(|st| (st.from.as_str(), st.to.as_str()))
        .collect();
    assert_eq!(
        steps,
        [("zero", "rev1"), ("rev1", "rev2"), ("rev2", "final")]
    );
    // zero -> rev1: the fund paragraph added, the phrase added; a footnote added.
    assert_eq!((l[0].paragraphs.added, l[0].paragraphs.modified), (1, 1));
    assert_eq!(l[0].words.deleted, 0);
    assert_eq!(l[0].footnotes.added, 1);
    // rev1 -> rev2: the split (two entries), the fund and the phrase changed.
    assert_eq!(l[1].paragraphs.split, 2);
    assert_eq!(l[1].words.inserted, 8);
    // rev2 -> final: the fund paragraph and its footnote deleted, the phrase deleted.
    assert_eq!((l[2].paragraphs.deleted, l[2].paragraphs.modified), (1, 1));
    assert_eq!(l[2].footnotes.deleted, 1);
    assert_eq!(l[2].words.inserted, 0);
}
