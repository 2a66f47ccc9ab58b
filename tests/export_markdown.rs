//! The Markdown export with CriticMarkup: the marks are there, a deletion followed by an
//! insertion is one substitution, notes say what happened, and accepting (or rejecting)
//! every mark gives each paragraph's new (or old) text, also when the drafts' own text holds
//! CriticMarkup delimiters.

mod common;

use oewg_diff::diff::{Redline, Tag, redline, side_text};
use oewg_diff::model::Draft;
use oewg_diff::render::layout::{self, Block};
use oewg_diff::render::markdown;
use oewg_diff::render::redline::Selection;
use regex::Regex;

fn real() -> (Draft, Draft) {
    (
        common::load("drafts/zero.md"),
        common::load("drafts/rev2.md"),
    )
}

/// Accept (or reject) every CriticMarkup mark of a line, drop notes, footnote references and
/// the bold label, and undo the Markdown escapes: the text a reader would be left with.
fn resolve(line: &str, accept: bool) -> String {
    let sub = Regex::new(r"(?s)\{~~(.*?)~>(.*?)~~\}").unwrap();
    let ins = Regex::new(r"(?s)\{\+\+(.*?)\+\+\}").unwrap();
    let del = Regex::new(r"(?s)\{--(.*?)--\}").unwrap();
    let note = Regex::new(r"(?s)\{>>(.*?)<<\}").unwrap();
    let s = sub.replace_all(line, if accept { "$2" } else { "$1" });
    let s = ins.replace_all(&s, if accept { "$1" } else { "" });
    let s = del.replace_all(&s, if accept { "" } else { "$1" });
    let s = note.replace_all(&s, "");
    let label = Regex::new(r"^\*\*[^*]+\*\* ").unwrap();
    let s = label.replace(&s, "");
    let refs = Regex::new(r"(^|[^\\])\[\^[A-Za-z0-9-]+\]").unwrap();
    // Twice: two references in a row share the character between them.
    let s = refs.replace_all(&s, "$1");
    let s = refs.replace_all(&s, "$1");
    common::ooxml::collapse(&markdown::unescape(&s))
}

/// The body paragraphs of the document: the lines between the header line and the footnotes
/// (or the metadata), without headings and moved-away notes.
fn body_lines(md: &str) -> Vec<&str> {
    let body = md.split("\n## Footnotes\n").next().unwrap();
    let body = body.split("\n## Metadata\n").next().unwrap();
    body.split("\n\n")
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        // The note at the old place of a moved paragraph is a line of its own.
        .filter(|l| !(l.starts_with("{>>") && l.ends_with("<<}") && l.matches("{>>").count() == 1))
        .filter(|l| !l.starts_with("*No differences") && !l.starts_with("*No paragraph changed"))
        .collect()
}

/// Each body paragraph against its entry: accepting gives the new text, rejecting the old.
fn check(r: &Redline, sel: &Selection, md: &str) {
    let entries: Vec<_> = layout::blocks(r, sel, sel.all)
        .into_iter()
        .filter_map(|b| match b {
            Block::Para(e) if !layout::is_heading(r, e) => Some(e),
            _ => None,
        })
        .collect();
    let lines = body_lines(md);
    assert_eq!(lines.len(), entries.len(), "{md}");
    for (line, e) in lines.iter().zip(entries) {
        assert_eq!(
            resolve(line, true),
            common::ooxml::collapse(&side_text(&e.ops, Tag::Insert)),
            "accept: {line}"
        );
        assert_eq!(
            resolve(line, false),
            common::ooxml::collapse(&side_text(&e.ops, Tag::Delete)),
            "reject: {line}"
        );
    }
}

#[test]
fn the_real_redline_in_criticmarkup() {
    let (old, new) = real();
    let r = redline(&old, &new);
    for all in [false, true] {
        let sel = Selection {
            all,
            ..Default::default()
        };
        let md = markdown::render(&r, &sel);
        for mark in ["{++", "++}", "{--", "--}", "{~~", "~>", "~~}", "{>>", "<<}"] {
            assert!(md.contains(mark), "no {mark}");
        }
        check(&r, &sel, &md);
    }
}

#[test]
fn accepting_all_gives_rev2_and_rejecting_all_gives_the_zero_draft() {
    let (old, new) = real();
    let r = redline(&old, &new);
    let md = markdown::render(
        &r,
        &Selection {
            all: true,
            ..Default::default()
        },
    );
    let lines = body_lines(&md);
    let words = |accept: bool| -> Vec<String> {
        lines
            .iter()
            .flat_map(|l| common::words(&resolve(l, accept)))
            .collect()
    };
    let body_words =
        |d: &Draft| -> Vec<String> { d.body().flat_map(|(_, n)| common::words(&n.text)).collect() };
    // In order for the new draft; the old draft's words all there (a moved paragraph stands
    // at its new place, with a note at its old one).
    assert_eq!(words(true), body_words(&new));
    let mut got = words(false);
    let mut want = body_words(&old);
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn a_deletion_followed_by_an_insertion_is_a_substitution() {
    let (old, new) = real();
    let md = markdown::render(&redline(&old, &new), &Selection::default());
    assert!(
        !md.contains("--}{++"),
        "a deletion then an insertion, not a substitution"
    );
    assert!(md.contains("{~~;~>.~~}"));
}

#[test]
fn notes_say_what_happened() {
    let (old, new) = real();
    let md = markdown::render(&redline(&old, &new), &Selection::default());
    assert!(
        md.contains(
            "**14(c)** {>>moved from B 3(a)(viii), modified \\[substantive, modality\\]<<}"
        )
    );
    assert!(md.contains("{>>B 3(a)(viii) moved to C 14(c)<<}"));
    assert!(md.contains("{>>split from A 1, modified"));
    assert!(md.contains("## C. Rules, Norms and Principles of Responsible State Behaviour\n"));
}

#[test]
fn footnotes_are_markdown_footnotes() {
    let (old, new) = real();
    let md = markdown::render(&redline(&old, &new), &Selection::default());
    let refs = Regex::new(r"\[\^([A-Za-z0-9-]+)\]").unwrap();
    let (body, notes) = md.split_once("\n## Footnotes\n").unwrap();
    for c in refs.captures_iter(body) {
        assert!(
            notes.contains(&format!("[^{}]: ", &c[1])),
            "[^{}] has no definition",
            &c[1]
        );
    }
    assert!(notes.contains("[^13]: {>>renumbered from 5<<} Report of the 2021 OEWG"));
    assert!(notes.contains("[^14]: {>>added<<} {++General Assembly resolution 76/19"));
}

#[test]
fn every_fixture_pair() {
    for dir in std::fs::read_dir(common::root().join("fixtures/redline")).unwrap() {
        let name = dir.unwrap().file_name().to_string_lossy().into_owned();
        let old = common::load(&format!("fixtures/redline/{name}/old.md"));
        let new = common::load(&format!("fixtures/redline/{name}/new.md"));
        let r = redline(&old, &new);
        for all in [false, true] {
            let sel = Selection {
                all,
                ..Default::default()
            };
            check(&r, &sel, &markdown::render(&r, &sel));
        }
    }
}

#[test]
fn delimiters_in_the_drafts_cannot_break_the_markup() {
    let parse = |text: &str| oewg_diff::ingest::parse("t", std::path::Path::new("t.md"), text);
    let old = parse(
        "A. Intro\n\n1. States {++welcomed++} the report ~> of the *Group* [sic].\n\n2. Text {--kept--} here {>>note<<} and {~~a~>b~~}.\n",
    );
    let new = parse(
        "A. Intro\n\n1. States {++noted++} the report ~> of the _Group_ [sic] with {==care==}.\n\n2. Text {--kept--} here {>>other<<} and {~~a~>c~~}.\n",
    );
    let r = redline(&old, &new);
    let sel = Selection {
        all: true,
        ..Default::default()
    };
    let md = markdown::render(&r, &sel);
    check(&r, &sel, &md);
    // The drafts' own "{++" and "~>" are escaped, so exactly the tool's marks remain.
    let real_marks = Regex::new(r"\{(\+\+|--|~~|>>)").unwrap();
    let line = body_lines(&md)[0];
    let marks = real_marks.find_iter(line).count();
    let changes = r
        .entries
        .iter()
        .find(|e| r.new_node(e).is_some_and(|n| n.label == "1"))
        .unwrap();
    let mut runs = 0;
    let mut prev = None;
    for op in &changes.ops {
        if op.op != Tag::Equal
            && prev != Some(op.op)
            && !(prev == Some(Tag::Delete) && op.op == Tag::Insert)
        {
            runs += 1;
        }
        prev = Some(op.op);
    }
    assert_eq!(marks, runs + 1, "{line}"); // + 1: the status note
}

#[test]
fn snapshot_of_a_split_and_a_move() {
    for case in ["split", "move", "merge"] {
        let old = common::load(&format!("fixtures/redline/{case}/old.md"));
        let new = common::load(&format!("fixtures/redline/{case}/new.md"));
        let md = markdown::render(&redline(&old, &new), &Selection::default());
        insta::assert_snapshot!(format!("md_{case}"), md);
    }
}
