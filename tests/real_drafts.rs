//! The real drafts in `drafts/`: the zero draft and Rev. 2 of the OEWG 2022 Annual Progress
//! Report, as converted from PDF with all their artifacts.

mod common;

use oewg_diff::model::{Draft, NodeKind};

fn labels(d: &Draft, kind: NodeKind) -> Vec<String> {
    d.nodes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.label.clone())
        .collect()
}

fn text<'a>(d: &'a Draft, label: &str) -> &'a str {
    &d.nodes[d.find(label).unwrap_or_else(|| panic!("no node {label}"))].text
}

fn steps(d: &Draft, section: &str) -> (usize, Vec<String>) {
    let all: Vec<_> = d
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Step && n.section.as_deref() == Some(section))
        .collect();
    let inferred = all
        .iter()
        .filter(|n| n.inferred)
        .map(|n| n.label.clone())
        .collect();
    (all.len(), inferred)
}

fn every_footnote_cited(d: &Draft) {
    for f in &d.footnotes {
        assert!(
            d.nodes.iter().any(|n| n.footnotes().contains(&f.number)),
            "footnote {} is not cited",
            f.number
        );
    }
    let numbers: Vec<u32> = d.footnotes.iter().map(|f| f.number).collect();
    let want: Vec<u32> = (1..=d.footnotes.len() as u32).collect();
    assert_eq!(numbers, want);
}

#[test]
fn zero_draft_paragraphs_footnotes_items() {
    let d = common::load("drafts/zero.md");
    let paras = labels(&d, NodeKind::Paragraph);
    assert_eq!(paras, (1..=8).map(|n| n.to_string()).collect::<Vec<_>>());
    assert_eq!(d.footnotes.len(), 11);
    every_footnote_cited(&d);
    let items = labels(&d, NodeKind::Item);
    for p in [
        "3(a)", "3(b)", "3(c)", "4(a)", "4(e)", "5(c)", "6(e)", "7(a)", "7(e)",
    ] {
        assert!(items.contains(&p.to_string()), "{p} missing: {items:?}");
    }
    let subs = labels(&d, NodeKind::Subitem);
    let romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
    let want: Vec<String> = romans.iter().map(|r| format!("3(a)({r})")).collect();
    assert_eq!(subs, want);
    for (p, n) in [("3", 3), ("4", 5), ("5", 3), ("6", 5), ("7", 5)] {
        let count = d
            .nodes
            .iter()
            .filter(|x| x.kind == NodeKind::Item && x.label.starts_with(&format!("{p}(")))
            .count();
        assert_eq!(count, n, "items of paragraph {p}");
    }
    assert_eq!(
        d.sections.iter().map(|s| s.id.as_str()).collect::<String>(),
        "ABCDEFG"
    );
}

#[test]
fn zero_draft_next_steps_with_lost_numbers() {
    let d = common::load("drafts/zero.md");
    assert_eq!(steps(&d, "B"), (3, vec!["B.steps.1".into()]));
    assert_eq!(steps(&d, "C"), (3, vec!["C.steps.1".into()]));
    assert_eq!(steps(&d, "D"), (4, vec![]));
    assert_eq!(steps(&d, "E"), (7, vec!["E.steps.7".into()]));
    assert_eq!(
        steps(&d, "F"),
        (
            7,
            vec!["F.steps.3".into(), "F.steps.5".into(), "F.steps.6".into()]
        )
    );
    assert_eq!(steps(&d, "G"), (2, vec![]));
}

#[test]
fn zero_draft_page_breaks_are_mended() {
    let d = common::load("drafts/zero.md");
    // 4(e) runs on after the footnote block for 5 and 6.
    assert!(text(&d, "4(e)").ends_with(
        "rules, norms and principles of responsible behaviour of States (annexed to the Chair's Summary in the 2021 OEWG Report) in future discussions on ICTs within the United Nations."
    ));
    assert_eq!(d.nodes[d.find("4(e)").unwrap()].footnotes(), vec![7, 8]);
    // B.steps.2 is cut by a page break with no footnote.
    assert!(text(&d, "B.steps.2").contains("exchange technical information relating"));
    // F.steps.2 is cut in "(c) best / practices".
    assert!(text(&d, "F.steps.2").contains("(c) best practices and lessons learnt"));
    assert_eq!(d.nodes[d.find("4(b)").unwrap()].footnotes(), vec![5]);
    assert_eq!(d.nodes[d.find("1").unwrap()].footnotes(), vec![1, 2, 3, 4]);
    assert!(text(&d, "title").contains("77TH SESSION"));
}

#[test]
fn rev2_paragraphs_footnotes_items() {
    let d = common::load("drafts/rev2.md");
    let paras = labels(&d, NodeKind::Paragraph);
    assert_eq!(paras, (1..=18).map(|n| n.to_string()).collect::<Vec<_>>());
    assert_eq!(d.footnotes.len(), 25);
    every_footnote_cited(&d);
    for (p, n) in [("14", 5), ("15", 4), ("16", 5), ("17", 7), ("18", 2)] {
        let count = d
            .nodes
            .iter()
            .filter(|x| x.kind == NodeKind::Item && x.label.starts_with(&format!("{p}(")))
            .count();
        assert_eq!(count, n, "items of paragraph {p}");
    }
    assert_eq!(labels(&d, NodeKind::Subitem), vec!["15(b)(i)", "15(b)(ii)"]);
    assert_eq!(steps(&d, "B"), (2, vec![]));
    assert_eq!(steps(&d, "C"), (3, vec![]));
    assert_eq!(steps(&d, "D"), (3, vec!["D.steps.2".into()]));
    assert_eq!(steps(&d, "E"), (5, vec![]));
    assert_eq!(steps(&d, "F"), (4, vec![]));
    assert_eq!(steps(&d, "G"), (3, vec![]));
}

#[test]
fn rev2_page_breaks_and_superscripts() {
    let d = common::load("drafts/rev2.md");
    assert!(text(&d, "7").contains("and that substantive discussions under the OEWG"));
    assert!(text(&d, "14(d)").contains("on a voluntary basis, existing avenues and tools"));
    assert!(text(&d, "15(d)").ends_with("as appropriate."));
    assert!(text(&d, "16(b)").ends_with("existing regional initiatives."));
    assert!(text(&d, "E.steps.5").ends_with("UNIDIR Cyber Policy Portal as appropriate."));
    assert_eq!(d.nodes[d.find("2").unwrap()].footnotes(), vec![2, 3, 4, 5]);
    assert_eq!(d.nodes[d.find("14(d)").unwrap()].footnotes(), vec![14, 15]);
    assert_eq!(d.nodes[d.find("14(b)").unwrap()].footnotes(), vec![13]);
    let n2 = &d.nodes[d.find("2").unwrap()];
    // `environment".⁴` : the mark sits after the closing quote and full stop.
    let c4 = n2.citations.iter().find(|c| c.footnote == 4).unwrap();
    assert!(n2.text[..c4.offset].ends_with("ICT environment\"."));
    assert_eq!(text(&d, "text.1"), "Annex A");
}

#[test]
fn nothing_lost_in_real_drafts() {
    for f in ["drafts/zero.md", "drafts/rev2.md"] {
        common::assert_nothing_lost(&common::root().join(f));
    }
}

#[test]
fn drafts_are_byte_copies_of_the_seeds_when_available() {
    let seeds = common::root().join("../shared/seeds");
    if !seeds.is_dir() {
        // The provenance check needs ../shared; the parse tests above do not.
        return;
    }
    let manifest = oewg_diff::manifest::Manifest::load(&common::root().join("oewg.toml")).unwrap();
    for s in &manifest.series {
        for d in &s.drafts {
            let (Some(src), Some([a, b])) = (&d.source, d.lines) else {
                continue;
            };
            let src = std::fs::read_to_string(common::root().join(src)).unwrap();
            let lines: Vec<&str> = src.split_inclusive('\n').collect();
            let want: String = lines[a - 1..b].concat();
            let got = std::fs::read_to_string(common::root().join(&d.path)).unwrap();
            assert!(
                got == want,
                "{} is not a byte copy of its source lines",
                d.name
            );
        }
    }
}
