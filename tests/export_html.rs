//! The HTML export, read back as XML: well-formed, an `<ins>`/`<del>` for every change (and
//! accepting or rejecting them gives each side's text), no external resource, section
//! navigation, moved paragraphs linked to their old place, the footnote table.

mod common;

use common::xml::{self, Elem, Node};
use oewg_diff::diff::{Redline, Tag, redline, side_text};
use oewg_diff::model::Draft;
use oewg_diff::render::html;
use oewg_diff::render::layout::{self, Block};
use oewg_diff::render::redline::Selection;
use std::collections::HashSet;

fn page(old: &Draft, new: &Draft, sel: &Selection) -> (String, Elem) {
    let r = redline(old, new);
    let src = html::render(&r, sel);
    let root = xml::parse(&src).unwrap_or_else(|e| panic!("not well-formed: {e}\n{src}"));
    (src, root)
}

fn real() -> (Draft, Draft) {
    (
        common::load("drafts/zero.md"),
        common::load("drafts/rev2.md"),
    )
}

/// The text of an element with `<del>` (accept) or `<ins>` (reject) left out, and footnote
/// marks (`<sup>`) too.
fn side(e: &Elem, accept: bool) -> String {
    let mut s = String::new();
    for c in &e.children {
        match c {
            Node::Text(t) => s.push_str(t),
            Node::Elem(x) if x.name == "sup" => {}
            Node::Elem(x) if x.name == (if accept { "del" } else { "ins" }) => {}
            Node::Elem(x) => s.push_str(&side(x, accept)),
        }
    }
    s
}

fn text_without_sup(e: &Elem) -> String {
    let mut s = String::new();
    for c in &e.children {
        match c {
            Node::Text(t) => s.push_str(t),
            Node::Elem(x) if x.name == "sup" => {}
            Node::Elem(x) => s.push_str(&text_without_sup(x)),
        }
    }
    s
}

/// Runs of one tag in a list of operations (what a reader sees as one deletion or insertion).
fn runs(ops: &[oewg_diff::diff::Op], tag: Tag) -> usize {
    let mut n = 0;
    let mut prev = None;
    for op in ops {
        if op.op == tag && prev != Some(tag) {
            n += 1;
        }
        prev = Some(op.op);
    }
    n
}

/// Every paragraph block of the page against its entry: one `<del>` per run of deletions and
/// one `<ins>` per run of insertions, with the right text; accepting gives the new text,
/// rejecting the old.
fn check_every_change(r: &Redline, sel: &Selection, root: &Elem) -> usize {
    let main = root.find("main").expect("<main>");
    let sections: Vec<&Elem> = main
        .find_all("section")
        .into_iter()
        .filter(|s| s.attr("class").is_some_and(|c| c.starts_with("para")))
        .collect();
    let entries: Vec<_> = layout::blocks(r, sel, sel.all)
        .into_iter()
        .filter_map(|b| match b {
            Block::Para(e) if !layout::is_heading(r, e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(sections.len(), entries.len());
    let mut changes = 0;
    for (s, e) in sections.iter().zip(&entries) {
        let p = s.find("p").expect("<p>");
        let dels = p.find_all("del");
        let inss = p.find_all("ins");
        assert_eq!(dels.len(), runs(&e.ops, Tag::Delete), "{}", p.text());
        assert_eq!(inss.len(), runs(&e.ops, Tag::Insert), "{}", p.text());
        changes += dels.len() + inss.len();
        let deleted: String = e
            .ops
            .iter()
            .filter(|o| o.op == Tag::Delete)
            .map(|o| o.text.as_str())
            .collect();
        let inserted: String = e
            .ops
            .iter()
            .filter(|o| o.op == Tag::Insert)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(
            dels.iter().map(|d| text_without_sup(d)).collect::<String>(),
            deleted
        );
        assert_eq!(
            inss.iter().map(|d| text_without_sup(d)).collect::<String>(),
            inserted
        );
        assert_eq!(side(p, true), side_text(&e.ops, Tag::Insert));
        assert_eq!(side(p, false), side_text(&e.ops, Tag::Delete));
        // The header names the labels and the status.
        let header = s.find("header").expect("<header>").text();
        assert!(header.contains(e.status.as_str()), "{header}");
    }
    changes
}

/// No resource from outside the page: no script, no stylesheet link, no image or frame, no
/// URL in an attribute (only `#` links within the page).
fn assert_self_contained(src: &str, root: &Elem) {
    for e in root.descendants() {
        assert!(
            !matches!(
                e.name.as_str(),
                "script" | "link" | "img" | "iframe" | "object" | "embed" | "base"
            ),
            "<{}>",
            e.name
        );
        assert!(!e.attrs.contains_key("src"));
        if let Some(h) = e.attr("href") {
            assert!(h.starts_with('#'), "href={h}");
        }
    }
    let style = root.find("style").expect("inline CSS").text();
    assert!(!style.contains("url(") && !style.contains("@import"));
    for bad in ["http", "//", "src=", "<link", "<script"] {
        assert!(!src.contains(bad), "the page holds {bad:?}");
    }
}

#[test]
fn the_real_redline_page() {
    let (old, new) = real();
    let sel = Selection::default();
    let (src, root) = page(&old, &new, &sel);
    assert_self_contained(&src, &root);
    let r = redline(&old, &new);
    let changes = check_every_change(&r, &sel, &root);
    assert!(changes > 100, "{changes} changes");
    // Phone and print.
    let head = root.find("head").unwrap();
    assert!(
        head.find_all("meta")
            .iter()
            .any(|m| m.attr("name") == Some("viewport"))
    );
    let style = root.find("style").unwrap().text();
    assert!(style.contains("@media print"));
    assert!(style.contains("max-width"));
    // Every in-page link has its target, and ids are unique.
    let mut ids = HashSet::new();
    for e in root.descendants() {
        if let Some(id) = e.attr("id") {
            assert!(ids.insert(id.to_string()), "id {id} twice");
        }
    }
    for e in root.find_all("a") {
        let target = e.attr("href").unwrap().trim_start_matches('#');
        assert!(ids.contains(target), "link to #{target} has no target");
    }
}

#[test]
fn sections_are_navigable() {
    let (old, new) = real();
    let (_, root) = page(&old, &new, &Selection::default());
    let nav = root.find("nav").expect("<nav>");
    let links: Vec<String> = nav.find_all("a").iter().map(|a| a.text()).collect();
    assert!(links.iter().any(|l| l == "A. Introduction"), "{links:?}");
    assert!(
        links
            .iter()
            .any(|l| l == "G. Regular Institutional Dialogue")
    );
    assert!(links.iter().any(|l| l == "Footnotes"));
    let h2: Vec<String> = root
        .find_all("h2")
        .iter()
        .map(|h| common::ooxml::collapse(&h.text()))
        .collect();
    assert!(
        h2.iter().any(|h| h.starts_with("C. Rules, Norms")),
        "{h2:?}"
    );
}

#[test]
fn a_moved_paragraph_links_to_where_it_came_from() {
    let (old, new) = real();
    let (_, root) = page(&old, &new, &Selection::default());
    let moved = root
        .find_all("section")
        .into_iter()
        .find(|s| s.attr("class").is_some_and(|c| c.contains("moved")))
        .expect("a moved paragraph");
    let header = moved.find("header").unwrap();
    assert!(
        common::ooxml::collapse(&header.text()).starts_with("C 14(c) \u{2190} B 3(a)(viii)"),
        "{}",
        header.text()
    );
    let link = header.find("a").expect("a link to the old place");
    assert_eq!(link.text(), "B 3(a)(viii)");
    let target = link.attr("href").unwrap().trim_start_matches('#');
    let away = root
        .descendants()
        .into_iter()
        .find(|e| e.attr("id") == Some(target))
        .expect("the old place");
    assert_eq!(away.name, "aside");
    assert!(away.text().contains("moved to C 14(c)"));
    // The old place stands in section B, between the items around it in the zero draft.
    let back = away.find("a").unwrap().attr("href").unwrap();
    assert_eq!(back.trim_start_matches('#'), moved.attr("id").unwrap());
}

#[test]
fn the_footnote_table() {
    let (old, new) = real();
    let (_, root) = page(&old, &new, &Selection::default());
    let fns = root
        .descendants()
        .into_iter()
        .find(|e| e.attr("id") == Some("footnotes"))
        .expect("the footnote table");
    let rows = fns.find("tbody").unwrap().find_all("tr");
    assert_eq!(rows.len(), 25);
    let cells = |tr: &Elem| -> Vec<String> { tr.find_all("td").iter().map(|c| c.text()).collect() };
    let renumbered = rows.iter().find(|r| cells(r)[0] == "5").unwrap();
    assert_eq!(
        cells(renumbered)[1..3],
        ["13".to_string(), "renumbered".to_string()]
    );
    let added: Vec<_> = rows
        .iter()
        .filter(|r| r.attr("class") == Some("added"))
        .collect();
    assert_eq!(added.len(), 14);
    assert!(added.iter().all(|r| r.find("ins").is_some()));
    // A citation links to its row.
    let cite = root.find("main").unwrap().find_all("sup");
    assert!(!cite.is_empty());
    assert!(cite.iter().all(|s| {
        s.find("a")
            .is_some_and(|a| a.attr("href").unwrap().starts_with("#fn-"))
    }));
}

#[test]
fn every_fixture_pair_gives_a_well_formed_page_with_every_change() {
    for dir in std::fs::read_dir(common::root().join("fixtures/redline")).unwrap() {
        let name = dir.unwrap().file_name().to_string_lossy().into_owned();
        let old = common::load(&format!("fixtures/redline/{name}/old.md"));
        let new = common::load(&format!("fixtures/redline/{name}/new.md"));
        for all in [false, true] {
            let sel = Selection {
                all,
                ..Default::default()
            };
            let (src, root) = page(&old, &new, &sel);
            assert_self_contained(&src, &root);
            let r = redline(&old, &new);
            check_every_change(&r, &sel, &root);
        }
    }
}

#[test]
fn selection_and_unchanged_paragraphs() {
    let (old, new) = real();
    let sel = Selection {
        sections: vec!["C".into()],
        ..Default::default()
    };
    let (_, root) = page(&old, &new, &sel);
    let labels: Vec<String> = root
        .find_all("section")
        .iter()
        .flat_map(|s| s.find_all("span"))
        .filter(|s| s.attr("class") == Some("labels"))
        .map(|s| s.text())
        .collect();
    assert!(labels.iter().all(|l| l.contains('C')), "{labels:?}");
    assert!(
        !labels.iter().any(|l| l.starts_with("C 14(b)")),
        "unchanged shown"
    );
    let sel = Selection { all: true, ..sel };
    let (_, root) = page(&old, &new, &sel);
    let unchanged = root
        .find_all("section")
        .into_iter()
        .filter(|s| s.attr("class").is_some_and(|c| c.contains("unchanged")))
        .count();
    assert!(unchanged >= 1);
}

#[test]
fn snapshot_of_a_move() {
    let old = common::load("fixtures/redline/move/old.md");
    let new = common::load("fixtures/redline/move/new.md");
    let (src, _) = page(&old, &new, &Selection::default());
    let main = &src[src.find("<main>").unwrap()..src.find("</main>").unwrap() + 7];
    insta::assert_snapshot!("move_main", main);
}

#[test]
fn snapshot_of_footnote_renumbering() {
    let old = common::load("fixtures/redline/footnote_renumbering/old.md");
    let new = common::load("fixtures/redline/footnote_renumbering/new.md");
    let (src, _) = page(&old, &new, &Selection::default());
    let from = src.find("<main>").unwrap();
    let to = src.find("<footer").unwrap();
    insta::assert_snapshot!("footnote_renumbering_main", &src[from..to]);
}
