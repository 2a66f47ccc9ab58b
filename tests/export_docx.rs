//! The Word export: every change a tracked change. Proved by reading the generated XML back:
//! accepting every change gives the new draft, rejecting every change the old one, paragraph
//! by paragraph, labels and footnotes included. When LibreOffice is installed, it opens the
//! file and its own reading of the tracked changes gives the same two texts.

mod common;

use common::ooxml::{self, Para};
use common::xml::{self, Elem};
use oewg_diff::diff::redline;
use oewg_diff::model::Draft;
use oewg_diff::render::docx::{self, DocxOptions};
use oewg_diff::render::redline::Selection;
use std::collections::{BTreeMap, HashSet};

const AUTHOR: &str = "Delegation of Ruritania";
const DATE: &str = "2022-07-27T00:00:00Z";

fn opts() -> DocxOptions {
    DocxOptions {
        author: AUTHOR.into(),
        date: DATE.into(),
    }
}

fn docx_of(old: &Draft, new: &Draft, sel: &Selection) -> Vec<u8> {
    let r = redline(old, new);
    docx::render(&r, sel, &opts()).expect("a Word document")
}

struct Doc {
    parts: BTreeMap<String, Vec<u8>>,
    body: Elem,
    footnotes: Elem,
}

fn open(bytes: &[u8]) -> Doc {
    let parts = xml::unzip(bytes);
    let part = |name: &str| -> Elem {
        let src = std::str::from_utf8(parts.get(name).unwrap_or_else(|| panic!("no {name}")))
            .unwrap()
            .to_string();
        xml::parse(&src).unwrap_or_else(|e| panic!("{name}: not well-formed: {e}"))
    };
    let body = part("word/document.xml");
    let footnotes = part("word/footnotes.xml");
    Doc {
        parts,
        body,
        footnotes,
    }
}

impl Doc {
    fn paragraphs(&self) -> Vec<Para> {
        ooxml::paragraphs(self.body.find("w:body").unwrap())
    }

    /// Footnote id -> its paragraphs.
    fn notes(&self) -> BTreeMap<String, Vec<Para>> {
        self.footnotes
            .find_all("w:footnote")
            .into_iter()
            .map(|f| (f.attr("w:id").unwrap().to_string(), ooxml::paragraphs(f)))
            .collect()
    }
}

fn all_nodes(d: &Draft) -> Vec<usize> {
    (0..d.nodes.len()).collect()
}

/// Compare two texts paragraph by paragraph, with a readable failure.
fn assert_same(what: &str, got: &[String], want: &[String]) {
    let gw: Vec<String> = got.iter().flat_map(|p| common::words(p)).collect();
    let ww: Vec<String> = want.iter().flat_map(|p| common::words(p)).collect();
    eprintln!(
        "{what}: {} words in {} paragraphs; the draft has {} words in {} paragraphs",
        gw.len(),
        got.len(),
        ww.len(),
        want.len()
    );
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "{what}: paragraph {i} differs");
    }
    assert_eq!(got.len(), want.len(), "{what}: paragraph count");
    assert_eq!(gw, ww, "{what}: words");
}

fn check_accept_reject(old: &Draft, new: &Draft, what: &str) -> Doc {
    let doc = open(&docx_of(old, new, &Selection::default()));
    let mut paras = doc.paragraphs();
    // What closes the document apart from the draft's nodes: footnotes no citation carries
    // and the file's metadata that changed (tests/changes_shown.rs checks them).
    if let Some(k) = paras.iter().position(|p| {
        p.style.as_deref() == Some("Heading2")
            && matches!(
                p.pieces
                    .iter()
                    .map(|x| x.text.as_str())
                    .collect::<String>()
                    .as_str(),
                "Footnotes not cited in the text" | "File metadata"
            )
    }) {
        paras.truncate(k);
    }
    let (accepted, _) = ooxml::resolve(&paras, true);
    let (rejected, _) = ooxml::resolve(&paras, false);
    assert_same(
        &format!("{what}: accept all"),
        &accepted,
        &common::printed_nodes(new, &all_nodes(new)),
    );
    assert_same(
        &format!("{what}: reject all"),
        &rejected,
        &common::printed_nodes(old, &all_nodes(old)),
    );
    doc
}

#[test]
fn accepting_all_gives_rev2_and_rejecting_all_gives_the_zero_draft() {
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let doc = check_accept_reject(&old, &new, "zero -> rev2");
    // And it is a redline, not a copy: there are deletions and insertions.
    let paras = doc.paragraphs();
    assert!(
        paras
            .iter()
            .flat_map(|p| &p.pieces)
            .any(|x| x.ins && !x.del)
    );
    assert!(
        paras
            .iter()
            .flat_map(|p| &p.pieces)
            .any(|x| x.del && !x.ins)
    );
}

#[test]
fn accept_and_reject_hold_for_every_fixture_pair() {
    let mut n = 0;
    for dir in std::fs::read_dir(common::root().join("fixtures/redline")).unwrap() {
        let name = dir.unwrap().file_name().to_string_lossy().into_owned();
        let old = common::load(&format!("fixtures/redline/{name}/old.md"));
        let new = common::load(&format!("fixtures/redline/{name}/new.md"));
        check_accept_reject(&old, &new, &name);
        n += 1;
    }
    assert!(n >= 10, "only {n} fixture pairs");
}

#[test]
fn a_selection_holds_its_paragraphs_with_their_changes() {
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let sel = Selection {
        sections: vec!["C".into()],
        ..Default::default()
    };
    let r = redline(&old, &new);
    let mut olds: Vec<usize> = sel.entries(&r).iter().filter_map(|e| e.old).collect();
    let mut news: Vec<usize> = sel.entries(&r).iter().filter_map(|e| e.new).collect();
    olds.sort_unstable();
    olds.dedup();
    news.sort_unstable();
    news.dedup();
    let doc = open(&docx_of(&old, &new, &sel));
    let paras = doc.paragraphs();
    let (accepted, _) = ooxml::resolve(&paras, true);
    let (rejected, _) = ooxml::resolve(&paras, false);
    assert_same(
        "section C: accept",
        &accepted,
        &common::printed_nodes(&new, &news),
    );
    assert_same(
        "section C: reject",
        &rejected,
        &common::printed_nodes(&old, &olds),
    );
    // The item that moved into C from B is deleted at its old place, with a comment.
    let comments =
        xml::parse(std::str::from_utf8(&doc.parts["word/comments.xml"]).unwrap()).unwrap();
    let texts: Vec<String> = comments
        .find_all("w:comment")
        .iter()
        .map(|c| c.text())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("B 3(a)(viii) moved to C 14(c)")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("moved from B 3(a)(viii)")),
        "{texts:?}"
    );
}

/// The footnote texts a side cites, in order of citation.
fn cited_footnotes(d: &Draft) -> Vec<String> {
    let mut out = Vec::new();
    for n in &d.nodes {
        let mut cites = n.citations.clone();
        cites.sort_by_key(|c| c.offset);
        for c in cites {
            let text = d.footnote(c.footnote).map_or("", |f| f.text.as_str());
            out.push(ooxml::collapse(text));
        }
    }
    out
}

#[test]
fn footnotes_are_real_footnotes_with_the_reconciled_text() {
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let doc = open(&docx_of(&old, &new, &Selection::default()));
    // The part is there, declared and related.
    let types = String::from_utf8(doc.parts["[Content_Types].xml"].clone()).unwrap();
    assert!(types.contains("/word/footnotes.xml"));
    let rels = String::from_utf8(doc.parts["word/_rels/document.xml.rels"].clone()).unwrap();
    assert!(rels.contains("relationships/footnotes\" Target=\"footnotes.xml\""));
    let notes = doc.notes();
    let kinds: Vec<(&str, Option<&str>)> = doc
        .footnotes
        .find_all("w:footnote")
        .iter()
        .take(2)
        .map(|f| (f.attr("w:id").unwrap(), f.attr("w:type")))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("-1", Some("separator")),
            ("0", Some("continuationSeparator"))
        ]
    );
    // Every reference points to a footnote, and each footnote is referenced once.
    let paras = doc.paragraphs();
    let refs: Vec<&String> = paras
        .iter()
        .flat_map(|p| &p.pieces)
        .filter_map(|x| x.footnote.as_ref())
        .collect();
    let unique: HashSet<&String> = refs.iter().copied().collect();
    assert_eq!(unique.len(), refs.len());
    assert!(refs.iter().all(|id| notes.contains_key(*id)));
    // Numbered 1, 2, 3, ... in order of citation, and no comment shares an id with a footnote
    // (LibreOffice attaches the wrong text to footnotes otherwise).
    let want: Vec<String> = (1..=refs.len()).map(|i| i.to_string()).collect();
    assert_eq!(refs, want.iter().collect::<Vec<_>>());
    let comments =
        xml::parse(std::str::from_utf8(&doc.parts["word/comments.xml"]).unwrap()).unwrap();
    for c in comments.find_all("w:comment") {
        let id: usize = c.attr("w:id").unwrap().parse().unwrap();
        assert!(id > refs.len(), "comment id {id}");
    }
    // Accepting all: the new draft's footnotes in order of citation; rejecting: the old's.
    for (accept, draft) in [(true, &new), (false, &old)] {
        let (_, cited) = ooxml::resolve(&paras, accept);
        let texts: Vec<String> = cited
            .iter()
            .map(|id| ooxml::resolve(&notes[id], accept).0.join(" "))
            .collect();
        let want = cited_footnotes(draft);
        assert!(!want.is_empty());
        assert_eq!(texts, want, "accept={accept}");
    }
}

#[test]
fn changes_carry_author_date_and_unique_ids() {
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let doc = open(&docx_of(&old, &new, &Selection::default()));
    let mut ids = HashSet::new();
    let mut n = 0;
    for part in [&doc.body, &doc.footnotes] {
        for e in part.descendants() {
            if e.name == "w:ins" || e.name == "w:del" {
                n += 1;
                assert_eq!(e.attr("w:author"), Some(AUTHOR));
                assert_eq!(e.attr("w:date"), Some(DATE));
                let id = e.attr("w:id").expect("w:id").to_string();
                assert!(ids.insert(id.clone()), "w:id {id} used twice");
            }
        }
    }
    assert!(n > 100, "only {n} tracked changes");
    // Deleted text is in w:delText, and only there.
    for p in doc.paragraphs() {
        for x in &p.pieces {
            match x.tag.as_str() {
                "w:delText" => assert!(x.del, "w:delText outside w:del: {:?}", x.text),
                "w:t" => assert!(!x.del, "w:t inside w:del: {:?}", x.text),
                _ => {}
            }
        }
    }
}

#[test]
fn headings_labels_and_renumbering() {
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let doc = open(&docx_of(&old, &new, &Selection::default()));
    let styles = String::from_utf8(doc.parts["word/styles.xml"].clone()).unwrap();
    for s in [
        "Heading1",
        "Heading2",
        "Title",
        "FootnoteText",
        "FootnoteReference",
    ] {
        assert!(styles.contains(&format!("w:styleId=\"{s}\"")), "{s}");
    }
    let paras = doc.paragraphs();
    let heading = paras
        .iter()
        .find(|p| {
            p.style.as_deref() == Some("Heading1")
                && ooxml::resolve(std::slice::from_ref(p), true).0
                    == ["C. Rules, Norms and Principles of Responsible State Behaviour"]
        })
        .expect("section C as a heading");
    assert!(heading.pieces.iter().all(|x| !x.ins && !x.del));
    // Paragraph 4 of the zero draft is 14 in Rev. 2: the old number deleted, the new inserted.
    let p14 = paras
        .iter()
        .find(|p| {
            let t = ooxml::resolve(std::slice::from_ref(p), true).0;
            t.first().is_some_and(|t| t.starts_with("14. States"))
        })
        .expect("paragraph 14");
    assert!(p14.pieces.iter().any(|x| x.del && x.text == "4."));
    assert!(p14.pieces.iter().any(|x| x.ins && x.text == "14."));
    assert_eq!(p14.style.as_deref(), Some("NumberedParagraph"));
}

#[test]
fn whole_paragraphs_carry_their_paragraph_mark() {
    let old = common::load("fixtures/redline/insertion/old.md");
    let new = common::load("fixtures/redline/insertion/new.md");
    let doc = open(&docx_of(&old, &new, &Selection::default()));
    let paras = doc.paragraphs();
    let added: Vec<&Para> = paras
        .iter()
        .filter(|p| !p.pieces.is_empty() && p.pieces.iter().all(|x| x.ins && !x.del))
        .collect();
    assert!(!added.is_empty());
    assert!(added.iter().all(|p| p.mark_ins && !p.mark_del));

    let old = common::load("fixtures/redline/deletion/old.md");
    let new = common::load("fixtures/redline/deletion/new.md");
    let doc = open(&docx_of(&old, &new, &Selection::default()));
    let paras = doc.paragraphs();
    let deleted: Vec<&Para> = paras
        .iter()
        .filter(|p| !p.pieces.is_empty() && p.pieces.iter().all(|x| x.del && !x.ins))
        .collect();
    assert!(!deleted.is_empty());
    assert!(deleted.iter().all(|p| p.mark_del && !p.mark_ins));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let a = docx_of(&old, &new, &Selection::default());
    let b = docx_of(&old, &new, &Selection::default());
    assert_eq!(a, b);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
    }
}

// --- LibreOffice --------------------------------------------------------------------------

fn soffice() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("soffice"))
        .find(|p| p.is_file())
}

/// The words of an OpenDocument text with every change accepted or rejected, as LibreOffice
/// recorded them (insertions are ranges between `text:change-start` and `text:change-end`,
/// deletions are `text:change` points whose text is kept in `text:tracked-changes`), and the
/// texts of the footnotes cited, in order.
fn odt_text(content: &Elem, accept: bool) -> (Vec<String>, Vec<String>) {
    let mut regions: BTreeMap<String, (&str, &Elem)> = BTreeMap::new();
    for r in content.find_all("text:changed-region") {
        let id = r.attr("text:id").unwrap().to_string();
        for c in &r.children {
            if let xml::Node::Elem(e) = c {
                match e.name.as_str() {
                    "text:insertion" => {
                        regions.insert(id.clone(), ("insertion", e));
                    }
                    "text:deletion" => {
                        regions.insert(id.clone(), ("deletion", e));
                    }
                    _ => {}
                }
            }
        }
    }
    fn walk(
        e: &Elem,
        accept: bool,
        skip: &mut i32,
        regions: &BTreeMap<String, (&str, &Elem)>,
        out: &mut String,
        notes: &mut Vec<String>,
    ) {
        match e.name.as_str() {
            "text:tracked-changes" | "office:annotation" | "office:annotation-end" => {
                return;
            }
            "text:note" => {
                if *skip == 0
                    && let Some(body) = e.find("text:note-body")
                {
                    notes.push(ooxml::collapse(&body.text()));
                }
                return;
            }
            "text:change-start" | "text:change-end" => {
                let id = e.attr("text:change-id").unwrap_or_default();
                if !accept && regions.get(id).is_some_and(|(k, _)| *k == "insertion") {
                    *skip += if e.name == "text:change-start" { 1 } else { -1 };
                }
                return;
            }
            "text:change" => {
                let id = e.attr("text:change-id").unwrap_or_default();
                if let Some(("deletion", d)) = regions.get(id)
                    && !accept
                    && *skip == 0
                {
                    let mut inner = 0;
                    for c in &d.children {
                        if let xml::Node::Elem(p) = c
                            && p.name != "office:change-info"
                        {
                            walk(p, true, &mut inner, regions, out, notes);
                        }
                    }
                }
                return;
            }
            _ => {}
        }
        for c in &e.children {
            match c {
                xml::Node::Text(t) if *skip == 0 => out.push_str(t),
                xml::Node::Text(_) => {}
                xml::Node::Elem(x) => walk(x, accept, skip, regions, out, notes),
            }
        }
        if matches!(
            e.name.as_str(),
            "text:p" | "text:h" | "text:tab" | "text:s" | "text:line-break"
        ) && *skip == 0
        {
            out.push(' ');
        }
    }
    let body = content.find("office:text").expect("office:text");
    let mut out = String::new();
    let mut notes = Vec::new();
    let mut skip = 0;
    walk(body, accept, &mut skip, &regions, &mut out, &mut notes);
    (common::words(&out), notes)
}

#[test]
fn libreoffice_opens_the_document_and_sees_the_tracked_changes() {
    let Some(soffice) = soffice() else {
        eprintln!(
            "SKIPPED: soffice (LibreOffice) is not on PATH; install libreoffice-writer-nogui to run this check"
        );
        return;
    };
    let old = common::load("drafts/zero.md");
    let new = common::load("drafts/rev2.md");
    let dir = tempfile::tempdir().unwrap();
    let docx_path = dir.path().join("redline.docx");
    std::fs::write(&docx_path, docx_of(&old, &new, &Selection::default())).unwrap();
    let out = std::process::Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profile").display()
        ))
        .args(["--headless", "--convert-to", "odt", "--outdir"])
        .arg(dir.path())
        .arg(&docx_path)
        .output()
        .expect("running soffice");
    let odt = dir.path().join("redline.odt");
    assert!(
        odt.is_file(),
        "LibreOffice did not convert the document: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let parts = xml::unzip(&std::fs::read(&odt).unwrap());
    let content = xml::parse(std::str::from_utf8(&parts["content.xml"]).unwrap()).unwrap();
    let tracked = content
        .find("text:tracked-changes")
        .expect("LibreOffice sees tracked changes");
    let insertions = tracked.find_all("text:insertion").len();
    let deletions = tracked.find_all("text:deletion").len();
    eprintln!("LibreOffice: {insertions} insertions, {deletions} deletions");
    assert!(insertions > 50 && deletions > 50);
    assert!(
        content
            .find_all("dc:creator")
            .iter()
            .all(|c| c.text() == AUTHOR)
    );
    // LibreOffice's own record of the changes: accept all gives Rev. 2, reject all the zero draft.
    let words_of = |d: &Draft| -> Vec<String> {
        common::printed_nodes(d, &all_nodes(d))
            .iter()
            .flat_map(|p| common::words(p))
            .collect()
    };
    let (accepted, accepted_notes) = odt_text(&content, true);
    let (rejected, rejected_notes) = odt_text(&content, false);
    eprintln!(
        "LibreOffice: accept all {} words (Rev. 2 has {}), reject all {} words (zero draft has {})",
        accepted.len(),
        words_of(&new).len(),
        rejected.len(),
        words_of(&old).len()
    );
    assert_eq!(accepted, words_of(&new));
    assert_eq!(rejected, words_of(&old));
    // And the footnotes LibreOffice shows are the right ones, in order.
    assert_eq!(accepted_notes, cited_footnotes(&new));
    assert_eq!(rejected_notes, cited_footnotes(&old));
}
