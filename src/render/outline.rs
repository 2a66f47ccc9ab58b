//! `oewg-diff show`: a draft as an outline (labels, footnote marks) or as JSON.

use crate::model::{Draft, Family, Node, NodeKind, section_matches};
use crate::render::style::{Painter, Role, visible};
use serde::Serialize;
use std::fmt::Write;

/// The text of a node with its footnote marks put back as `[n]`.
pub fn text_with_marks(node: &Node) -> String {
    let mut out = String::with_capacity(node.text.len() + 8 * node.citations.len());
    let mut last = 0;
    let mut cites = node.citations.clone();
    cites.sort_by_key(|c| c.offset);
    for c in cites {
        let at = c.offset.min(node.text.len());
        if at < last || !node.text.is_char_boundary(at) {
            continue;
        }
        out.push_str(&node.text[last..at]);
        let _ = write!(out, "[{}]", c.footnote);
        last = at;
    }
    out.push_str(&node.text[last..]);
    out
}

/// How many nodes a node hangs under.
fn ancestors(draft: &Draft, node: &Node) -> usize {
    let mut n = 0;
    let mut p = node.parent;
    while let Some(i) = p {
        n += 1;
        if n > draft.nodes.len() {
            break;
        }
        p = draft.nodes.get(i).and_then(|x| x.parent);
    }
    n
}

/// Which nodes a `--section` selection keeps (all when `sections` is empty).
pub fn in_sections(node: &Node, sections: &[String]) -> bool {
    sections.is_empty()
        || node
            .section
            .as_ref()
            .is_some_and(|s| sections.iter().any(|w| section_matches(s, w)))
}

/// The outline view.
pub fn outline(draft: &Draft, sections: &[String], painter: &Painter) -> String {
    let mut out = String::new();
    let paragraphs = draft
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Paragraph)
        .count();
    let _ = writeln!(
        out,
        "{}",
        painter.paint(
            Role::Header,
            &format!(
                "{} ({}): {} sections, {} numbered paragraphs, {} nodes, {} footnotes",
                draft.name,
                draft.path.display(),
                draft.sections.len(),
                paragraphs,
                draft.nodes.len(),
                draft.footnotes.len()
            )
        )
    );
    let mut cited = Vec::new();
    for node in draft.nodes.iter().filter(|n| in_sections(n, sections)) {
        // Headings at the margin; body nodes one step in, and one more per ancestor (items
        // under paragraphs, options under what they hang on).
        let depth = match (node.kind, node.parent) {
            (NodeKind::Title | NodeKind::Heading, None) => 0,
            _ => 1 + ancestors(draft, node),
        };
        let indent = "  ".repeat(depth);
        let mut label = node.label.clone();
        if node.inferred {
            label.push('*');
        }
        let mut text = text_with_marks(node);
        if draft.family == Family::Treaty
            && let Some(m) = &node.marker
        {
            // `Article 3 (mitigation)`, `Option 2 ...`: the designation is part of the line.
            text = match (node.kind, text.is_empty()) {
                (_, true) => m.clone(),
                (NodeKind::Heading, false) => format!("{m} ({text})"),
                (NodeKind::Option, false) => format!("{m}: {text}"),
                _ => text,
            };
        }
        let text = match node.kind {
            NodeKind::Title | NodeKind::Heading => painter.paint(Role::Header, &text),
            _ => visible(&text).into_owned(),
        };
        let _ = writeln!(
            out,
            "{indent}{} {text}",
            painter.paint(Role::Label, &format!("{label:<12}"))
        );
        cited.extend(node.footnotes());
    }
    let notes: Vec<_> = draft
        .footnotes
        .iter()
        .filter(|f| sections.is_empty() || cited.contains(&f.number))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\n{}", painter.paint(Role::Header, "Footnotes"));
        for f in notes {
            let _ = writeln!(
                out,
                "  {} {}",
                painter.paint(Role::Footnote, &format!("[{}]", f.number)),
                visible(&f.text)
            );
        }
    }
    if draft.nodes.iter().any(|n| n.inferred) {
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(
                Role::Note,
                "* number missing in the source, inferred from position"
            )
        );
    }
    painter.guard(out)
}

#[derive(Serialize)]
struct JsonDraft<'a> {
    draft: DraftId<'a>,
    /// `treaty`; absent for a report.
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<Family>,
    sections: Vec<JsonSection<'a>>,
    nodes: Vec<JsonNode<'a>>,
    footnotes: Vec<JsonFootnote<'a>>,
    /// Front matter, editor's notes, link definitions, layout directives (whole draft only).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    metadata: &'a [crate::model::Meta],
}

/// A draft's identity in JSON output.
#[derive(Serialize)]
pub struct DraftId<'a> {
    pub name: &'a str,
    pub path: String,
}

impl<'a> DraftId<'a> {
    pub fn of(d: &'a Draft) -> Self {
        DraftId {
            name: &d.name,
            path: d.path.display().to_string(),
        }
    }
}

#[derive(Serialize)]
struct JsonSection<'a> {
    id: &'a str,
    title: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    label: &'a str,
    kind: &'a str,
    section: Option<&'a str>,
    text: &'a str,
    line: usize,
    footnotes: Vec<u32>,
    citations: &'a [crate::model::Citation],
    marker: Option<&'a str>,
    inferred: bool,
    parent: Option<&'a str>,
    continued: &'a [usize],
}

#[derive(Serialize)]
struct JsonFootnote<'a> {
    number: u32,
    text: &'a str,
    line: usize,
}

/// The JSON view: every word of the draft is in it.
pub fn json(draft: &Draft, sections: &[String]) -> String {
    let nodes: Vec<JsonNode> = draft
        .nodes
        .iter()
        .filter(|n| in_sections(n, sections))
        .map(|n| JsonNode {
            label: &n.label,
            kind: n.kind.as_str(),
            section: n.section.as_deref(),
            text: &n.text,
            line: n.line,
            footnotes: n.footnotes(),
            citations: &n.citations,
            marker: n.marker.as_deref(),
            inferred: n.inferred,
            parent: n.parent.map(|p| draft.nodes[p].label.as_str()),
            continued: &n.continued,
        })
        .collect();
    let cited: Vec<u32> = nodes.iter().flat_map(|n| n.footnotes.clone()).collect();
    let doc = JsonDraft {
        draft: DraftId::of(draft),
        family: (draft.family == Family::Treaty).then_some(Family::Treaty),
        metadata: if sections.is_empty() {
            &draft.metadata
        } else {
            &[]
        },
        sections: draft
            .sections
            .iter()
            .filter(|s| sections.is_empty() || sections.iter().any(|w| section_matches(&s.id, w)))
            .map(|s| JsonSection {
                id: &s.id,
                title: &s.title,
                line: s.line,
            })
            .collect(),
        nodes,
        footnotes: draft
            .footnotes
            .iter()
            .filter(|f| sections.is_empty() || cited.contains(&f.number))
            .map(|f| JsonFootnote {
                number: f.number,
                text: &f.text,
                line: f.line,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
