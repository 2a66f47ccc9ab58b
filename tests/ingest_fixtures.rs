//! Each fixture in `fixtures/ingest/` isolates one artifact or structure case; its expected
//! tree is in the `.tree` file beside it (label, kind, line, citations@offset, text).
//! `fixtures/treaty/` does the same for treaty drafts (article headings, preamble, nested
//! lists, bis paragraphs, options, brackets); their trees also show each node's marker and
//! parent, and the metadata.
//! Regenerate with `UPDATE_TREES=1 cargo test --test ingest_fixtures`, then review the diff.

mod common;

use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    let dir = common::root().join("fixtures/ingest");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_fixture_parses_to_its_expected_tree() {
    let update = std::env::var_os("UPDATE_TREES").is_some();
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(all.len() >= 12, "fixtures missing: {}", all.len());
    for path in all {
        let raw = std::fs::read_to_string(&path).unwrap();
        let d = oewg_diff::ingest::parse("t", &path, &raw);
        let got = common::tree(&d);
        let tree = path.with_extension("tree");
        if update {
            std::fs::write(&tree, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&tree)
            .unwrap_or_else(|_| panic!("{} has no expected tree", path.display()));
        if want != got {
            failures.push(format!(
                "{}:\n--- expected\n{want}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nothing_lost_in_any_fixture() {
    for path in fixtures() {
        common::assert_nothing_lost(&path);
    }
}

fn treaty_fixtures() -> Vec<PathBuf> {
    let dir = common::root().join("fixtures/treaty");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_treaty_fixture_parses_to_its_expected_tree() {
    let update = std::env::var_os("UPDATE_TREES").is_some();
    let mut failures = Vec::new();
    let all = treaty_fixtures();
    assert!(all.len() >= 6, "treaty fixtures missing: {}", all.len());
    for path in all {
        let raw = std::fs::read_to_string(&path).unwrap();
        let d = oewg_diff::ingest::parse("t", &path, &raw);
        assert_eq!(
            d.family,
            oewg_diff::model::Family::Treaty,
            "{} is detected as a treaty",
            path.display()
        );
        let got = common::tree(&d);
        let tree = path.with_extension("tree");
        if update {
            std::fs::write(&tree, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&tree)
            .unwrap_or_else(|_| panic!("{} has no expected tree", path.display()));
        if want != got {
            failures.push(format!(
                "{}:\n--- expected\n{want}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn nothing_lost_in_any_treaty_fixture() {
    for path in treaty_fixtures() {
        common::assert_nothing_lost(&path);
    }
}
