//! The redline as one self-contained HTML page to forward to capitals: inline CSS, no script,
//! no network resource. Deletions are `<del>`, insertions `<ins>`; each paragraph has a header
//! with its old and new labels and what happened to it; a moved paragraph links to the place
//! it came from; the footnote reconciliation table closes the page. The page is also
//! well-formed XML (XHTML-compatible), so it can be checked and processed as such.

use crate::diff::{Counts, FootnoteStatus, Op, Redline, Tag};
use crate::model::NodeKind;
use crate::render::layout::{self, Block};
use crate::render::redline::{Selection, place};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 48rem; padding: 1rem 1.25rem 3rem; color: #1a1a1a;
  background: #fff; font: 17px/1.55 Georgia, "Times New Roman", serif;
  overflow-wrap: break-word; word-wrap: break-word; hyphens: auto; }
header.doc { border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
header.doc p { margin: .25rem 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  font-size: .9rem; color: #333; }
.legend-ins { color: #05612b; background: #e3f3e8; text-decoration: underline; }
.legend-del { color: #a3151b; background: #fbe7e6; text-decoration: line-through; }
nav { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: .9rem;
  margin: 0 0 1.5rem; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: .25rem 1rem; }
a { color: #0b4f9c; }
ins { color: #05612b; background: #e3f3e8; text-decoration: underline; }
del { color: #a3151b; background: #fbe7e6; text-decoration: line-through; }
h1.title { font-size: 1.2rem; line-height: 1.35; }
h2.heading { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
h3.heading { font-size: 1rem; font-style: italic; margin-top: 1.25rem; }
.heading .status { font: normal .75rem system-ui, sans-serif; color: #555; }
.para { margin: .9rem 0; padding: .1rem 0 .1rem .8rem; border-left: 3px solid #b9b9b9; }
.para.added { border-left-color: #05612b; }
.para.deleted { border-left-color: #a3151b; }
.para.moved { border-left-color: #b35c00; }
.para.unchanged { color: #666; border-left-color: #e2e2e2; }
.para.item { margin-left: 1.25rem; }
.para.subitem { margin-left: 2.5rem; }
.para p { margin: .2rem 0; }
.para header, .moved-away { font: .8rem/1.35 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #444; }
.labels { font-weight: 600; color: #111; }
.moved-away { margin: .6rem 0; padding: .3rem .8rem; border: 1px dashed #b35c00;
  background: #fff8ef; }
sup.fn { font-size: .7em; line-height: 0; }
sup.fn a { text-decoration: none; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .4rem;
  border-bottom: 1px solid #ddd; }
th { font-family: system-ui, sans-serif; font-weight: 600; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
.notes { font-size: .9rem; color: #555; }
@media (max-width: 36rem) {
  body { font-size: 16px; padding: .75rem .75rem 2rem; }
  .para.item { margin-left: .6rem; }
  .para.subitem { margin-left: 1.2rem; }
}
@media print {
  nav, .legend { display: none; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .para, .moved-away, tr { break-inside: avoid; page-break-inside: avoid; }
  h2.heading, h3.heading { break-after: avoid; page-break-after: avoid; }
  ins, del, .legend-ins, .legend-del { -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  @page { margin: 2cm; }
}
"#;

/// Escape text for HTML (and XML): the five special characters; characters XML does not
/// allow are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_xml_char(c) && !crate::render::style::is_unsafe(c) => out.push(c),
            // Shown, not dropped: an inserted control character is still a change.
            c => crate::render::style::push_visible(&mut out, c.encode_utf8(&mut [0; 4])),
        }
    }
    out
}

/// Whether XML 1.0 allows the character in text.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

/// Anchors of the page: one id per old and per new node, unique.
struct Anchors {
    used: HashSet<String>,
    new: HashMap<usize, String>,
    old: HashMap<usize, String>,
}

impl Anchors {
    fn fresh(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut k = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        id
    }
}

/// The page for the selected entries (unchanged paragraphs with `sel.all`).
pub fn render(r: &Redline, sel: &Selection) -> String {
    let blocks = layout::blocks(r, sel, sel.all);
    let mut a = Anchors {
        used: HashSet::new(),
        new: HashMap::new(),
        old: HashMap::new(),
    };
    // Ids first, so that links may point forward.
    let mut block_ids = Vec::new();
    for b in &blocks {
        let e = b.entry();
        let id = match b {
            Block::MovedAway(_) => {
                let o = e.old.unwrap_or(0);
                let id = a.fresh(layout::slug("o-", &r.old.nodes[o].label));
                a.old.insert(o, id.clone());
                id
            }
            Block::Para(_) => {
                let id = match (e.new, e.old) {
                    (Some(n), _) => a.fresh(layout::slug("n-", &r.new.nodes[n].label)),
                    (None, Some(o)) => a.fresh(layout::slug("o-", &r.old.nodes[o].label)),
                    (None, None) => a.fresh("entry".into()),
                };
                if let Some(n) = e.new {
                    a.new.entry(n).or_insert_with(|| id.clone());
                }
                if let (Some(o), false) = (e.old, e.moved) {
                    a.old.entry(o).or_insert_with(|| id.clone());
                }
                id
            }
        };
        block_ids.push(id);
    }
    let footnotes = sel.footnotes(r);
    let fn_ids: HashMap<usize, String> =
        footnotes.iter().map(|&i| (i, format!("fn-{i}"))).collect();

    let mut out = String::new();
    let title = format!("Redline: {} \u{2192} {}", r.old.name, r.new.name);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <meta name=\"generator\" content=\"oewg-diff\"/>\n",
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");

    // The page header: what is compared, the legend, the summary.
    out.push_str("<header class=\"doc\">\n");
    let side = |d: &crate::model::Draft| {
        let path = d.path.display().to_string();
        if path == d.name {
            format!("<b>{}</b>", escape(&path))
        } else {
            format!("<b>{}</b> ({})", escape(&d.name), escape(&path))
        }
    };
    let _ = writeln!(
        out,
        "<p>Redline of {} \u{2192} {}</p>",
        side(r.old),
        side(r.new)
    );
    out.push_str(
        "<p class=\"legend\"><span class=\"legend-del\">deleted</span> \
         <span class=\"legend-ins\">inserted</span> \u{b7} paragraphs are matched by content, \
         never by number</p>\n",
    );
    let _ = writeln!(out, "<p>{}</p>", escape(&summary(r, sel, &footnotes)));
    if !sel.sections.is_empty() || !sel.paras.is_empty() {
        let mut what = Vec::new();
        if !sel.sections.is_empty() {
            what.push(format!("section {}", sel.sections.join(", ")));
        }
        if !sel.paras.is_empty() {
            what.push(format!("paragraph {}", sel.paras.join(", ")));
        }
        let _ = writeln!(out, "<p>Selection: {}</p>", escape(&what.join("; ")));
    }
    out.push_str("</header>\n");

    // Section navigation.
    let mut nav = Vec::new();
    for (b, id) in blocks.iter().zip(&block_ids) {
        if let Block::Para(e) = b
            && let Some(n) = r.new_node(e).or_else(|| r.old_node(e))
            && n.kind == NodeKind::Heading
            && n.marker.is_some()
        {
            let text = format!(
                "{} {}",
                layout::printed_label(n).unwrap_or_default(),
                n.text
            );
            nav.push(format!(
                "<li><a href=\"#{id}\">{}</a></li>",
                escape(text.trim())
            ));
        }
    }
    if !footnotes.is_empty() {
        nav.push("<li><a href=\"#footnotes\">Footnotes</a></li>".into());
    }
    if !nav.is_empty() {
        let _ = writeln!(
            out,
            "<nav aria-label=\"Sections\">\n<ul>\n{}\n</ul>\n</nav>",
            nav.join("\n")
        );
    }

    out.push_str("<main>\n");
    let mut shown = 0;
    for (b, id) in blocks.iter().zip(&block_ids) {
        let e = b.entry();
        match b {
            Block::MovedAway(_) => {
                let new_id = e.new.and_then(|n| a.new.get(&n));
                let old = r.old_node(e).map(place).unwrap_or_default();
                let new = r.new_node(e).map(place).unwrap_or_default();
                let to = match new_id {
                    Some(nid) => format!("<a href=\"#{nid}\">{}</a>", escape(&new)),
                    None => escape(&new),
                };
                let _ = writeln!(
                    out,
                    "<aside class=\"moved-away\" id=\"{id}\"><span class=\"labels\">{}</span> moved to {to}</aside>",
                    escape(&old)
                );
            }
            Block::Para(_) if layout::is_heading(r, e) => {
                let n = r.new_node(e).or_else(|| r.old_node(e));
                let (tag, class) = match n.map(|n| n.kind) {
                    Some(NodeKind::Title) => ("h1", "title"),
                    _ if n.is_some_and(|n| n.marker.is_some()) => ("h2", "heading"),
                    _ => ("h3", "heading"),
                };
                let label = label_html(r, e);
                let status = if e.is_change() {
                    format!(
                        " <span class=\"status\">{}</span>",
                        escape(&layout::describe(r, e))
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "<{tag} class=\"{class}\" id=\"{id}\">{label}{}{status}</{tag}>",
                    ops_html(r, &e.ops, &fn_ids)
                );
            }
            Block::Para(_) => {
                shown += 1;
                let kind = crate::diff::entry_kind(r, e).as_str();
                let mut classes = vec!["para", kind, e.status.as_str()];
                if e.moved {
                    classes.push("moved");
                }
                let labels = match (r.new_node(e), r.old_node(e)) {
                    (Some(n), Some(o)) if place(n) != place(o) => {
                        format!("{} \u{2190} {}", place(n), place(o))
                    }
                    (Some(n), _) => place(n),
                    (None, Some(o)) => place(o),
                    (None, None) => String::new(),
                };
                let mut status = escape(&layout::describe(r, e));
                if e.moved
                    && let Some(o) = e.old
                    && let Some(oid) = a.old.get(&o)
                {
                    let from = place(&r.old.nodes[o]);
                    status = status.replacen(
                        &format!("moved from {}", escape(&from)),
                        &format!("moved from <a href=\"#{oid}\">{}</a>", escape(&from)),
                        1,
                    );
                }
                let _ = writeln!(
                    out,
                    "<section class=\"{}\" id=\"{id}\">\n<header><span class=\"labels\">{}</span> \u{b7} <span class=\"status\">{status}</span></header>\n<p>{}</p>\n</section>",
                    classes.join(" "),
                    escape(&labels),
                    ops_html(r, &e.ops, &fn_ids)
                );
            }
        }
    }
    if shown == 0 {
        let _ = writeln!(
            out,
            "<p class=\"notes\">{}</p>",
            escape(&crate::render::redline::nothing_shown(r, sel))
        );
    }
    out.push_str("</main>\n");

    if !footnotes.is_empty() {
        out.push_str(
            "<section id=\"footnotes\">\n<h2 class=\"heading\">Footnotes</h2>\n<div class=\"table\">\n<table>\n",
        );
        // Manifest names head the columns; drafts given as paths are just old and new.
        let column = |d: &crate::model::Draft, side: &str| {
            if d.path.display().to_string() == d.name {
                side.to_string()
            } else {
                escape(&d.name)
            }
        };
        let _ = writeln!(
            out,
            "<thead><tr><th>{}</th><th>{}</th><th>status</th><th>text</th></tr></thead>\n<tbody>",
            column(r.old, "old"),
            column(r.new, "new")
        );
        for &i in &footnotes {
            let f = &r.footnotes[i];
            let num = |n: Option<u32>| n.map_or("\u{2013}".to_string(), |n| n.to_string());
            let text = match f.status {
                FootnoteStatus::Added => {
                    format!(
                        "<ins>{}</ins>",
                        escape(&crate::diff::side_text(&f.ops, Tag::Insert))
                    )
                }
                FootnoteStatus::Deleted => {
                    format!(
                        "<del>{}</del>",
                        escape(&crate::diff::side_text(&f.ops, Tag::Delete))
                    )
                }
                _ => ops_html(r, &f.ops, &fn_ids),
            };
            let _ = writeln!(
                out,
                "<tr id=\"{}\" class=\"{}\"><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{text}</td></tr>",
                fn_ids[&i],
                f.status.as_str(),
                num(f.old),
                num(f.new),
                f.status.as_str()
            );
        }
        out.push_str("</tbody>\n</table>\n</div>\n</section>\n");
    }
    let metadata = sel.metadata(r);
    if !metadata.is_empty() {
        out.push_str("<section id=\"metadata\">\n<h2 class=\"heading\">Metadata</h2>\n");
        for m in metadata {
            let _ = writeln!(
                out,
                "<section class=\"{}\"><header><span class=\"labels\">{}</span> \u{b7} <span class=\"status\">{}</span></header>\n<p>{}</p>\n</section>",
                m.status.as_str(),
                escape(m.kind.as_str()),
                m.status.as_str(),
                ops_html(r, &m.ops, &fn_ids)
            );
        }
        out.push_str("</section>\n");
    }
    if !r.notes.is_empty() {
        out.push_str("<section class=\"notes\">\n");
        for n in &r.notes {
            let _ = writeln!(out, "<p>note: {}</p>", escape(n));
        }
        out.push_str("</section>\n");
    }
    out.push_str(
        "<footer class=\"notes\"><p>Made with oewg-diff.</p></footer>\n</body>\n</html>\n",
    );
    out
}

/// The printed label of a heading (`C. `), old and new when they differ.
fn label_html(r: &Redline, e: &crate::diff::Entry) -> String {
    let o = r.old_node(e).and_then(layout::printed_label);
    let n = r.new_node(e).and_then(layout::printed_label);
    match (o, n) {
        (Some(o), Some(n)) if o == n => format!("{} ", escape(&n)),
        (Some(o), Some(n)) => format!("<del>{}</del><ins>{}</ins> ", escape(&o), escape(&n)),
        (Some(o), None) => format!("<del>{}</del> ", escape(&o)),
        (None, Some(n)) => format!("<ins>{}</ins> ", escape(&n)),
        (None, None) => String::new(),
    }
}

/// Operations as HTML: a run of deletions is one `<del>`, of insertions one `<ins>`;
/// citations are superscript links to the footnote table.
pub fn ops_html(r: &Redline, ops: &[Op], fn_ids: &HashMap<usize, String>) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < ops.len() {
        let tag = ops[i].op;
        let mut run = String::new();
        while i < ops.len() && ops[i].op == tag {
            let op = &ops[i];
            if op.footnote.is_some() {
                let num = layout::cite_number(op)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                match layout::footnote_of(r, op).and_then(|(k, _)| fn_ids.get(&k)) {
                    Some(id) => {
                        let _ = write!(run, "<sup class=\"fn\"><a href=\"#{id}\">{num}</a></sup>");
                    }
                    None => {
                        let _ = write!(run, "<sup class=\"fn\">{num}</sup>");
                    }
                }
            } else {
                run.push_str(&escape(&op.text));
            }
            i += 1;
        }
        match tag {
            Tag::Equal => out.push_str(&run),
            Tag::Delete => {
                let _ = write!(out, "<del>{run}</del>");
            }
            Tag::Insert => {
                let _ = write!(out, "<ins>{run}</ins>");
            }
        }
    }
    out
}

/// One line: what changed in the selection.
fn summary(r: &Redline, sel: &Selection, footnotes: &[usize]) -> String {
    let mut c = Counts::default();
    for e in sel.entries(r) {
        if !layout::is_heading(r, e) {
            c.add(e);
        }
    }
    let fc = |s: FootnoteStatus| {
        footnotes
            .iter()
            .filter(|&&i| r.footnotes[i].status == s)
            .count()
    };
    format!(
        "Paragraphs: {} added, {} deleted, {} modified, {} moved, {} unchanged; words +{} \u{2212}{}. \
         Footnotes: {} renumbered, {} modified, {} added, {} deleted.",
        c.paragraphs.added,
        c.paragraphs.deleted,
        c.paragraphs.modified,
        c.paragraphs.moved,
        c.paragraphs.unchanged,
        c.words.inserted,
        c.words.deleted,
        fc(FootnoteStatus::Renumbered),
        fc(FootnoteStatus::Modified),
        fc(FootnoteStatus::Added),
        fc(FootnoteStatus::Deleted)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_is_safe_inside_a_style_element() {
        // No markup characters (the page must parse as XML), no URL of any kind.
        assert!(!CSS.contains(['<', '&']));
        assert!(!CSS.contains("//"));
        assert!(!CSS.contains("url("));
        assert!(!CSS.contains("@import"));
    }

    #[test]
    fn escapes_markup_and_shows_control_characters() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\\u{1}"
        );
    }
}
