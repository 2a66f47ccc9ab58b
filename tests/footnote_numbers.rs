//! Footnote numbers defined more than once (an annex that restarts the numbering): each
//! definition is reconciled, compared and reported as itself, never as the first of its number.

mod common;

use oewg_diff::diff::{FootnoteStatus, Status, Tag, redline, side_text};

#[test]
fn an_edit_to_a_restarted_footnote_is_reported_with_its_own_text() {
    let o = common::load("fixtures/redline/footnote_numbers_restart/old.md");
    let n = common::load("fixtures/redline/footnote_numbers_restart/new.md");
    let r = redline(&o, &n);
    let rows: Vec<(Option<u32>, Option<u32>, FootnoteStatus)> = r
        .footnotes
        .iter()
        .map(|f| (f.old, f.new, f.status))
        .collect();
    use FootnoteStatus::*;
    assert_eq!(
        rows,
        [
            (Some(1), Some(1), Unchanged),
            (Some(1), Some(1), Unchanged),
            (Some(2), Some(2), Unchanged),
            (Some(2), Some(2), Modified),
        ]
    );
    // The modified row is the annex's note 2, with its own words.
    let m = r.footnotes.iter().find(|f| f.status == Modified).unwrap();
    assert_eq!(
        side_text(&m.ops, Tag::Delete),
        "To be issued as document A/AC.292/2022/3."
    );
    assert_eq!(
        side_text(&m.ops, Tag::Insert),
        "To be issued as document A/AC.292/2023/1."
    );
    assert_eq!(m.old_note.map(|k| o.footnotes[k].line), Some(15));
    assert!(r.has_changes());
    // The citations of both parts compare equal: no paragraph reads as changed.
    assert!(r.entries.iter().all(|e| e.status == Status::Unchanged));
}
