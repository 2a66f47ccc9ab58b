//! The Paris Agreement's public revisions of 2015 (`../shared/corpus/paris/`): a second,
//! real family of negotiated text (treaty drafts). Third-party files, read in place.
#![cfg(feature = "corpus")]

mod common;

const REVISIONS: [&str; 4] = [
    "paris/paris_2015-10-23_draft.txt",
    "paris/paris_2015-12-04_draft.txt",
    "paris/paris_2015-12-09_draft.txt",
    "paris/paris_2015-12-12_adopted.txt",
];

#[test]
fn each_revision_parses_losslessly() {
    for rel in REVISIONS {
        let (d, raw) = common::corpus(rel);
        common::assert_holds_every_word(&d, &raw);
    }
}
