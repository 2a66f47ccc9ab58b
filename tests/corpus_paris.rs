//! The Paris Agreement's public revisions of 2015 (`../shared/corpus/paris/`): a second, real
//! family of negotiated text (treaty drafts). Third-party files, read in place and never
//! copied into the repository; these tests fail loudly when the corpus is missing.
//!
//! Run with `cargo test --features corpus --test corpus_paris`.
#![cfg(feature = "corpus")]

mod common;

use oewg_diff::brackets::{self, Problem};
use oewg_diff::diff::{FootnoteStatus, Redline, Status, redline};
use oewg_diff::model::{Draft, Family, MetaKind, NodeKind};

const OCT23: &str = "paris/paris_2015-10-23_draft.txt";
const DEC04: &str = "paris/paris_2015-12-04_draft.txt";
const DEC09: &str = "paris/paris_2015-12-09_draft.txt";
const DEC12: &str = "paris/paris_2015-12-12_adopted.txt";
const REVISIONS: [&str; 4] = [OCT23, DEC04, DEC09, DEC12];

fn load(rel: &str) -> Draft {
    common::corpus(rel).0
}

fn node<'a>(d: &'a Draft, label: &str) -> &'a oewg_diff::model::Node {
    &d.nodes[d
        .find(label)
        .unwrap_or_else(|| panic!("{}: no node {label}", d.name))]
}

/// The entries pairing an old label with a new one.
fn pair(r: &Redline, old: &str, new: &str) -> Status {
    let e = r
        .entries
        .iter()
        .find(|e| {
            r.old_node(e).is_some_and(|n| n.label == old)
                && r.new_node(e).is_some_and(|n| n.label == new)
        })
        .unwrap_or_else(|| {
            let went: Vec<String> = r
                .entries
                .iter()
                .filter(|e| r.old_node(e).is_some_and(|n| n.label == old))
                .map(|e| r.new_node(e).map_or("-".into(), |n| n.label.clone()))
                .collect();
            panic!("{old} is not paired with {new}; it went to {went:?}")
        });
    e.status
}

#[test]
fn each_revision_parses_losslessly() {
    for rel in REVISIONS {
        let (d, raw) = common::corpus(rel);
        assert_eq!(d.family, Family::Treaty, "{rel} detected as a treaty");
        common::assert_holds_every_word(&d, &raw);
        // Every label names one node.
        let mut labels: Vec<&str> = d.nodes.iter().map(|n| n.label.as_str()).collect();
        labels.sort_unstable();
        let before = labels.len();
        labels.dedup();
        assert_eq!(before, labels.len(), "{rel}: repeated labels");
    }
}

#[test]
fn metadata_is_not_text() {
    let d = load(DEC12);
    let kinds: Vec<MetaKind> = d.metadata.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MetaKind::FrontMatter,
            MetaKind::Note,
            MetaKind::LinkDefinition,
            MetaKind::LinkDefinition,
            MetaKind::Markup,
            MetaKind::Markup
        ]
    );
    assert!(d.metadata[0].text.starts_with("title: Paris Agreement"));
    assert!(
        d.metadata[1]
            .text
            .starts_with("This is the COP21 Paris Agreement")
    );
    assert!(
        d.nodes
            .iter()
            .all(|n| !n.text.contains("This is the COP21")),
        "the editor's note is no paragraph"
    );
    // The 9 Dec note never closes its italics; it is still the note.
    let d9 = load(DEC09);
    assert_eq!(d9.metadata[1].kind, MetaKind::Note);
    assert!(
        d9.metadata[1]
            .text
            .contains("twenty-first session of the COP")
    );
}

#[test]
fn adopted_text_shape() {
    let d = load(DEC12);
    let ids: Vec<&str> = d.sections.iter().map(|s| s.id.as_str()).collect();
    let mut want = vec!["Preamble".to_string()];
    want.extend((1..=29).map(|n| format!("Art.{n}")));
    assert_eq!(ids, want);
    let pps = d
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Preambular)
        .count();
    assert_eq!(
        pps, 16,
        "16 preambular paragraphs, Being ... to Also recognizing"
    );
    assert!(node(&d, "PP1").text.starts_with("Being Parties"));
    assert!(
        node(&d, "PP16")
            .text
            .starts_with("Also recognizing that sustainable")
    );
    assert_eq!(
        node(&d, "Preamble.text.1").text,
        "The Parties to this Agreement,"
    );
    assert_eq!(node(&d, "Preamble.text.2").text, "Have agreed as follows:");
    // Article 2, paragraph 1 (a)-(c), nested four spaces under it.
    assert!(
        node(&d, "Art.2.1(c)")
            .text
            .starts_with("Making finance flows")
    );
    assert_eq!(node(&d, "Art.2.1(c)").kind, NodeKind::Item);
    // Article 13, paragraph 7 (a)-(b), indented one space only.
    assert!(
        node(&d, "Art.13.7(a)")
            .text
            .starts_with("A national inventory report")
    );
    assert!(
        node(&d, "Art.13.7(b)")
            .text
            .starts_with("Information necessary")
    );
    assert!(
        node(&d, "Art.13.8")
            .text
            .starts_with("Each Party should also")
    );
    // Articles of one unnumbered paragraph.
    assert!(
        node(&d, "Art.3.text.1")
            .text
            .starts_with("As nationally determined")
    );
    assert!(node(&d, "Art.27.text.1").text == "No reservations may be made to this Agreement.");
    let paras = |art: &str| {
        d.nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Paragraph && n.section.as_deref() == Some(art))
            .count()
    };
    assert_eq!(paras("Art.4"), 19);
    assert_eq!(paras("Art.7"), 14);
    assert_eq!(paras("Art.13"), 15);
    assert!(brackets::unbalanced(&d).is_empty());
}

#[test]
fn draft_shapes_bis_options_subheadings() {
    let d = load(DEC09);
    // `## [Article 3ter]`, `## Article 8 bis`.
    assert!(d.sections.iter().any(|s| s.id == "Art.3ter"));
    assert_eq!(
        node(&d, "Art.8bis").marker.as_deref(),
        Some("Article 8 bis")
    );
    assert_eq!(
        node(&d, "Art.3ter").marker.as_deref(),
        Some("[Article 3ter]")
    );
    assert_eq!(
        node(&d, "Art.3ter").text,
        "mechanism to support sustainable development"
    );
    // Article 2bis: two sets of paragraphs under article-level options.
    assert_eq!(node(&d, "Art.2bis.opt1").kind, NodeKind::Heading);
    assert!(
        node(&d, "Art.2bis.opt2.4")
            .text
            .starts_with("Successive [intended]")
    );
    // Article 3, paragraph 1: options under a numbered paragraph.
    assert_eq!(node(&d, "Art.3.1.opt2").kind, NodeKind::Option);
    assert_eq!(node(&d, "Art.3.1.opt2").marker.as_deref(), Some("Option 2"));
    // `3bis.` indented inside each option of paragraph 3: paragraphs of the article.
    assert!(
        node(&d, "Art.3.3bis")
            .text
            .starts_with("In accordance with Article 4")
    );
    assert_eq!(
        node(&d, "Art.3.3bis~2").text,
        "Developed country Parties should continue to take the lead."
    );
    // Options under an item: Article 2.1(a), options 1-3.
    assert!(node(&d, "Art.2.1(a).opt3").text.starts_with("below 1.5°C"));
    // Bold lines alone are sub-headings.
    assert_eq!(node(&d, "Art.6.heading.1").text, "Directional goal");
    let d4 = load(DEC04);
    assert!(node(&d4, "Art.3.1bis").text.starts_with("[To achieve this"));
    let oct = load(OCT23);
    assert!(
        node(&oct, "Art.6.opt2.17bis")
            .text
            .starts_with("[Its operation shall remain open")
    );
    assert!(
        node(&oct, "Art.3ter.opt4(d)")
            .text
            .starts_with("Fully respect")
    );
}

/// Footnotes: `[^n]` marks and `[^n]: ...` definitions, some running over indented blocks.
#[test]
fn footnotes_markdown() {
    let oct = load(OCT23);
    assert_eq!(oct.footnotes.len(), 12);
    for f in &oct.footnotes {
        assert!(
            oct.nodes.iter().any(|n| n.footnotes().contains(&f.number)),
            "Oct footnote {} is cited",
            f.number
        );
    }
    let d4 = load(DEC04);
    // The 4 Dec text as published: [^0] defined, never cited; [^1] cited, never defined;
    // two definitions numbered [^2] (the first is the one [^1] should name).
    let numbers: Vec<u32> = d4.footnotes.iter().map(|f| f.number).collect();
    assert_eq!(
        numbers,
        [0, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    );
    // Definitions continue over their indented blocks (options, notes, bullets).
    assert!(
        d4.footnotes[1]
            .text
            .contains("Option 4: INDC which can be in the form of co-benefits")
    );
    assert!(d4.footnotes[1].text.ends_with("diversification plans"));
    assert!(
        d4.footnote(4)
            .unwrap()
            .text
            .ends_with("addressed elsewhere in art 3.")
    );
    assert!(
        d4.footnote(11)
            .unwrap()
            .text
            .contains("Transparency, accuracy, completeness")
    );
    // Footnote marks inside brackets stay citations, not brackets: `Parties[[^14]]`.
    let item = node(&d4, "Art.4.2.opt2(a)");
    assert_eq!(item.footnotes(), [14, 15]);
    // Between 23 Oct and 4 Dec, footnotes 9 and 10 (support, "developed/developing country
    // Parties") became 14 and 15; 10 word for word, 9 lost its final full stop.
    let r = redline(&oct, &d4);
    let f = |o: u32| r.footnotes.iter().find(|f| f.old == Some(o)).unwrap();
    assert_eq!(
        (f(9).new, f(9).status),
        (Some(14), FootnoteStatus::Modified)
    );
    assert_eq!(
        (f(10).new, f(10).status),
        (Some(15), FootnoteStatus::Renumbered)
    );
    assert_eq!((f(8).new, f(8).status), (Some(8), FootnoteStatus::Modified));
}

/// Articles renumbered between 9 and 12 December 2015. Each pair below was verified by reading
/// both texts:
/// - 9 Dec Art. 2bis (general) is 12 Dec Art. 3 ("All Parties shall undertake efforts defined
///   in Articles ..." became "... all Parties are to undertake and communicate ambitious efforts
///   as defined in Articles ...");
/// - Art. 3 (mitigation) -> 4, 3bis (REDD-plus) -> 5, 3ter (mechanism) -> 6, 4 (adaptation)
///   -> 7, 5 (loss and damage) -> 8, 6 (finance) -> 9, 7 (technology) -> 10, 8
///   (capacity-building) -> 11, 8 bis (education) -> 12, 9 (transparency) -> 13, 10 (global
///   stocktake) -> 14, 11 (compliance) -> 15, 12 (CMA) -> 16, 13 (secretariat) -> 17, 14 (SBSTA
///   and SBI) -> 18, 15 (bodies) -> 19, 16 (signature) -> 20, 18 (entry into force) -> 21,
///   21 (disputes) -> 24, 22 (voting) -> 25, 23 (depositary) -> 26, 24 (reservations) -> 27,
///   25 (withdrawal) -> 28, 26 (languages) -> 29;
/// - 9 Dec Art. 14.2 (observers at the subsidiary bodies, line 479) and 12 Dec Art. 18.2 (line
///   355) are the same line, word for word; so are 9 Dec Art. 26 and 12 Dec Art. 29 ("The
///   original of this Agreement ...") and 9 Dec Art. 8 bis (line 385) and 12 Dec Art. 12
///   (line 270, "Parties shall cooperate in taking measures ... education ...");
/// - 9 Dec Art. 10.2 "first global stocktake in [2023][2024]" is 12 Dec Art. 14.2 "in 2023";
/// - 9 Dec Art. 11.1 "implementation of [and promote compliance with] the provisions" is 12 Dec
///   Art. 15.1 without the brackets;
/// - 9 Dec Art. 4.7 (a)-(e) (cooperation on adaptation) are 12 Dec Art. 7.7 (a)-(e).
#[test]
fn articles_align_across_renumbering() {
    let old = load(DEC09);
    let new = load(DEC12);
    let r = redline(&old, &new);
    let sections = &r.alignment.sections;
    for (o, n) in [
        ("Preamble", "Preamble"),
        ("Art.1", "Art.1"),
        ("Art.2", "Art.2"),
        ("Art.2bis", "Art.3"),
        ("Art.3", "Art.4"),
        ("Art.3bis", "Art.5"),
        ("Art.3ter", "Art.6"),
        ("Art.4", "Art.7"),
        ("Art.5", "Art.8"),
        ("Art.6", "Art.9"),
        ("Art.7", "Art.10"),
        ("Art.8", "Art.11"),
        ("Art.8bis", "Art.12"),
        ("Art.9", "Art.13"),
        ("Art.10", "Art.14"),
        ("Art.11", "Art.15"),
        ("Art.12", "Art.16"),
        ("Art.13", "Art.17"),
        ("Art.14", "Art.18"),
        ("Art.15", "Art.19"),
        ("Art.16", "Art.20"),
        ("Art.18", "Art.21"),
        ("Art.21", "Art.24"),
        ("Art.22", "Art.25"),
        ("Art.23", "Art.26"),
        ("Art.24", "Art.27"),
        ("Art.25", "Art.28"),
        ("Art.26", "Art.29"),
    ] {
        assert_eq!(sections.get(o).map(String::as_str), Some(n), "9 Dec {o}");
    }
    // Renumbered but the same words: no change, and not a move.
    assert_eq!(pair(&r, "Art.14.2", "Art.18.2"), Status::Unchanged);
    assert_eq!(
        pair(&r, "Art.26.text.1", "Art.29.text.1"),
        Status::Unchanged
    );
    let e = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "Art.18.2"))
        .unwrap();
    assert!(!e.moved && !e.is_change());
    // The article headings pair with their renumbered articles; the topic is dropped.
    assert_eq!(pair(&r, "Art.10", "Art.14"), Status::Modified);
    assert_eq!(
        pair(&r, "Art.2bis.opt1.1", "Art.3.text.1"),
        Status::Modified
    );
    assert_eq!(pair(&r, "Art.10.2", "Art.14.2"), Status::Modified);
    assert_eq!(pair(&r, "Art.11.1", "Art.15.1"), Status::Modified);
    assert_eq!(
        pair(&r, "Art.8bis.text.1", "Art.12.text.1"),
        Status::Unchanged
    );
    for l in ["a", "b", "c", "d", "e"] {
        pair(&r, &format!("Art.4.7({l})"), &format!("Art.7.7({l})"));
    }
    assert_eq!(pair(&r, "PP1", "PP1"), Status::Modified);
}

/// 23 Oct -> 4 Dec keeps the numbering of articles; 4 Dec -> 9 Dec drops Article 17.
#[test]
fn articles_align_when_numbering_is_kept() {
    let (oct, d4, d9) = (load(OCT23), load(DEC04), load(DEC09));
    let r = redline(&oct, &d4);
    for s in &oct.sections {
        assert_eq!(r.alignment.sections.get(&s.id), Some(&s.id), "Oct {}", s.id);
    }
    assert_eq!(pair(&r, "Art.3bis.2", "Art.3bis.2"), Status::Unchanged);
    let r = redline(&d4, &d9);
    let heading = r
        .entries
        .iter()
        .find(|e| r.old_node(e).is_some_and(|n| n.label == "Art.17"))
        .unwrap();
    assert_eq!(heading.status, Status::Deleted);
    assert_eq!(pair(&r, "Art.18", "Art.18"), Status::Unchanged);
}

fn lines_with_bracket(raw: &str) -> usize {
    raw.lines().filter(|l| l.contains('[')).count()
}

fn body_brackets(d: &Draft) -> usize {
    d.nodes
        .iter()
        .filter(|n| n.kind.is_body())
        .map(|n| brackets::count(&n.text))
        .sum()
}

/// Brackets disappear as the text is agreed: lines holding `[` in the files go 300 -> 247 ->
/// 77 -> 3 (`grep -c '\['`; the 3 of 12 Dec are the editor's note and link definitions), and
/// bracket pairs in the negotiated text fall to none.
#[test]
fn brackets_fall_revision_by_revision() {
    let raws: Vec<(Draft, String)> = REVISIONS.iter().map(|r| common::corpus(r)).collect();
    let lines: Vec<usize> = raws
        .iter()
        .map(|(_, raw)| lines_with_bracket(raw))
        .collect();
    assert_eq!(lines, [300, 247, 77, 3]);
    let pairs: Vec<usize> = raws.iter().map(|(d, _)| body_brackets(d)).collect();
    assert!(
        pairs.windows(2).all(|w| w[0] > w[1]),
        "bracket pairs fall: {pairs:?}"
    );
    assert_eq!(pairs[3], 0, "the adopted text has no brackets");
    assert!(pairs[0] > 1000 && pairs[2] > 200, "{pairs:?}");
    // Between revisions, brackets are agreed, dropped and resolved, and the totals add up:
    // every old bracket left is agreed, dropped or resolved (a run of alternatives counts as
    // one) or still there.
    let r = redline(&raws[2].0, &raws[3].0);
    let mut total = brackets::Counts::default();
    for e in &r.entries {
        total.add(&e.brackets.counts);
    }
    assert_eq!(total.opened, 0, "the adopted text opens no bracket");
    assert!(
        total.agreed >= 15 && total.resolved >= 10 && total.dropped >= 100,
        "{total:?}"
    );
    let e = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "Art.14.2"))
        .unwrap();
    assert_eq!(e.brackets.counts.resolved, 1);
    assert_eq!(e.brackets.changes[0].old, "[2023][2024]");
    assert_eq!(e.brackets.changes[0].new, "2023");
    let e = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "Art.15.1"))
        .unwrap();
    assert_eq!(e.brackets.counts.agreed, 1);
    assert_eq!(e.classes, [oewg_diff::diff::Class::Brackets]);
}

/// Unbalanced brackets, verified by reading: 23 Oct PP2 ("*In [furtherance][pursuit]* ...
/// circumstances,]]", line 24) closes one bracket more than it opens.
#[test]
fn unbalanced_brackets_found() {
    let oct = load(OCT23);
    let found = brackets::unbalanced(&oct);
    assert!(
        found
            .iter()
            .any(|u| u.label == "PP2" && u.line == 24 && u.problem == Problem::Unopened),
        "{found:?}"
    );
    // 9 Dec Art. 3.14 opens a bracket that Art. 3.15 closes: that is no problem.
    let d9 = load(DEC09);
    assert!(
        !brackets::unbalanced(&d9)
            .iter()
            .any(|u| u.label == "Art.3.14" || u.label == "Art.3.15")
    );
}

/// The JSON of a real treaty redline carries bracket counts per paragraph and in the summary.
#[test]
fn json_has_brackets() {
    let old = load(DEC09);
    let new = load(DEC12);
    let r = redline(&old, &new);
    let sel = oewg_diff::render::redline::Selection::default();
    let v: serde_json::Value =
        serde_json::from_str(&oewg_diff::render::json::render(&r, &sel)).unwrap();
    let p = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["new"] == "Art.14.2")
        .unwrap();
    assert_eq!(p["brackets"]["resolved"], 1);
    assert_eq!(p["brackets"]["changes"][0]["kind"], "resolved");
    assert_eq!(v["summary"]["brackets"]["new"], 0);
    assert!(v["summary"]["brackets"]["old"].as_u64().unwrap() > 200);
}

#[test]
fn check_numbers_treaty_paragraphs_within_articles() {
    // The adopted text is clean: paragraphs numbered within each article, "paragraph 16 above"
    // read in its own article, "Article 4, paragraph 2" in Article 4, and no stray bracket.
    let _ = load(DEC12); // fails loudly when the corpus is missing
    let path = common::root().join("../shared/corpus").join(DEC12);
    let out = assert_cmd::Command::cargo_bin("oewg-diff")
        .unwrap()
        .args(["check", "--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{}", v["diagnostics"]);
    assert_eq!(v["summary"]["warnings"], 0, "{}", v["diagnostics"]);
    assert_eq!(out.status.code(), Some(0));
    // The 9 December draft still has brackets that do not balance: warnings, not errors.
    let path = common::root().join("../shared/corpus").join(DEC09);
    let out = assert_cmd::Command::cargo_bin("oewg-diff")
        .unwrap()
        .args(["check", "--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let b001 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "B001")
        .count();
    assert!(b001 > 0);
}

/// A manifest naming the four revisions in order, written where the test can use it.
fn paris_manifest(dir: &std::path::Path) -> std::path::PathBuf {
    let _ = load(DEC12); // fails loudly when the corpus is missing
    let mut m = String::from("[[series]]\nname = \"paris\"\n");
    for (name, rel) in [
        ("oct23", OCT23),
        ("dec04", DEC04),
        ("dec09", DEC09),
        ("dec12", DEC12),
    ] {
        let path = common::root().join("../shared/corpus").join(rel);
        m.push_str(&format!(
            "\n[[series.draft]]\nname = \"{name}\"\npath = \"{}\"\n",
            path.display()
        ));
    }
    let p = dir.join("oewg.toml");
    std::fs::write(&p, m).unwrap();
    p
}

#[test]
fn history_and_log_across_all_four_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let m = paris_manifest(dir.path());
    let run = |args: &[&str]| -> serde_json::Value {
        let mut a = vec!["--manifest", m.to_str().unwrap()];
        a.extend_from_slice(args);
        let out = assert_cmd::Command::cargo_bin("oewg-diff")
            .unwrap()
            .args(&a)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // Article 12 of the adopted text (education, training, public awareness) was Article 8 bis
    // on 9 December and is unchanged there; its history reaches back through the series.
    let h = run(&["history", "Art.12", "--format", "json"]);
    let versions = h["versions"].as_array().unwrap();
    let drafts: Vec<&str> = versions
        .iter()
        .map(|v| v["draft"].as_str().unwrap())
        .collect();
    assert!(
        drafts.contains(&"dec12") && drafts.contains(&"dec09"),
        "{drafts:?}"
    );
    let dec09 = versions.iter().find(|v| v["draft"] == "dec09").unwrap();
    assert_eq!(dec09["label"], "Art.8bis");
    // The log: one step per pair of revisions, brackets falling to none.
    let log = run(&["log", "--format", "json"]);
    let steps = log["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    let pairs: Vec<u64> = steps
        .iter()
        .map(|s| s["brackets"]["after"].as_u64().unwrap())
        .collect();
    assert!(pairs[0] > pairs[1] && pairs[1] > pairs[2], "{pairs:?}");
    assert_eq!(pairs[2], 0);
}
