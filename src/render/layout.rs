//! The redline as a document, shared by the exports (HTML, Markdown, Word): the blocks in
//! reading order, including the place a moved paragraph came from; the labels printed at the
//! start of a paragraph; the note that says what happened to it; anchors for links.

use crate::diff::{CiteRef, Entry, FootnoteEntry, Op, Redline, Tag};
use crate::model::{Node, NodeKind};
use crate::render::redline::{Selection, place};
use std::collections::{HashMap, HashSet};

/// One block of an exported redline.
#[derive(Debug, Clone, Copy)]
pub enum Block<'r> {
    /// An entry of the redline, at its place in the new draft (a deleted paragraph stands
    /// where it stood among its neighbours).
    Para(&'r Entry),
    /// Where a moved paragraph stood in the old draft.
    MovedAway(&'r Entry),
}

impl<'r> Block<'r> {
    pub fn entry(&self) -> &'r Entry {
        match self {
            Block::Para(e) | Block::MovedAway(e) => e,
        }
    }
}

/// The blocks of an export in reading order: the selected entries (unchanged paragraphs only
/// when `unchanged` is true; headings always, for structure), and, for each moved paragraph, a
/// block at its old place, right after the entry of the old paragraph before it.
pub fn blocks<'r>(r: &'r Redline, sel: &Selection, unchanged: bool) -> Vec<Block<'r>> {
    let selected = sel.entries(r);
    // Old paragraphs that stay in order, by old index: the last position of each.
    let mut settled: Vec<(usize, usize)> = Vec::new();
    for (pos, e) in selected.iter().enumerate() {
        if let Some(o) = e.old
            && !e.moved
        {
            settled.push((o, pos));
        }
    }
    settled.sort_unstable();
    // Moved-away blocks to insert after a position (None: before everything).
    let mut after: HashMap<Option<usize>, Vec<(usize, &Entry)>> = HashMap::new();
    let mut seen_old = HashSet::new();
    for e in &selected {
        let Some(o) = e.old else { continue };
        if !e.moved || !seen_old.insert(o) {
            continue;
        }
        let k = settled.partition_point(|&(old, _)| old < o);
        let anchor = k.checked_sub(1).map(|k| {
            // The last entry of that old paragraph (a split has several).
            let old = settled[k].0;
            settled
                .iter()
                .filter(|(x, _)| *x == old)
                .map(|&(_, p)| p)
                .max()
                .unwrap_or(settled[k].1)
        });
        after.entry(anchor).or_default().push((o, e));
    }
    for v in after.values_mut() {
        v.sort_by_key(|(o, _)| *o);
    }
    let shown = |e: &Entry| unchanged || e.is_change() || !crate::diff::entry_kind(r, e).is_body();
    let mut out = Vec::new();
    if let Some(v) = after.get(&None) {
        out.extend(v.iter().map(|(_, e)| Block::MovedAway(e)));
    }
    for (pos, e) in selected.iter().enumerate() {
        if shown(e) {
            out.push(Block::Para(e));
        }
        if let Some(v) = after.get(&Some(pos)) {
            out.extend(v.iter().map(|(_, e)| Block::MovedAway(e)));
        }
    }
    out
}

/// The label printed at the start of a node, as a draft prints it: `14.`, `(a)`, `(viii)`,
/// `2.` for a next step, `C.` for a section heading; none for the title and unnumbered text.
pub fn printed_label(n: &Node) -> Option<String> {
    let m = n.marker.as_deref()?;
    match n.kind {
        NodeKind::Title | NodeKind::Text | NodeKind::Preambular => None,
        NodeKind::Option => Some(format!("{m}:")),
        NodeKind::Heading | NodeKind::Paragraph | NodeKind::Step => Some(format!("{m}.")),
        NodeKind::Item | NodeKind::Subitem => Some(format!("({m})")),
    }
}

/// What happened to an entry, in words: `moved from B 3(a)(viii), modified [substantive]`,
/// `renumbered from C 4, unchanged`, `split from A 1, modified`, `added`.
pub fn describe(r: &Redline, e: &Entry) -> String {
    let on = r.old_node(e);
    let nn = r.new_node(e);
    let mut words: Vec<String> = Vec::new();
    if let Some(o) = on {
        if e.moved {
            words.push(format!("moved from {}", place(o)));
        } else if e.split {
            words.push(format!("split from {}", place(o)));
        } else if nn.is_some_and(|n| n.label != o.label) {
            words.push(format!("renumbered from {}", place(o)));
        }
    }
    if e.merged
        && let Some(n) = nn
    {
        words.push(format!("merged into {}", place(n)));
    }
    words.push(e.status.as_str().to_string());
    let mut s = words.join(", ");
    if !e.classes.is_empty() {
        let c: Vec<&str> = e.classes.iter().map(|c| c.as_str()).collect();
        s.push_str(&format!(" [{}]", c.join(", ")));
    }
    s
}

/// Where the paragraph went, for the block at the old place of a moved paragraph:
/// `B 3(a)(viii) moved to C 14(c)`.
pub fn moved_to(r: &Redline, e: &Entry) -> String {
    let old = r.old_node(e).map(place).unwrap_or_default();
    let new = r.new_node(e).map(place).unwrap_or_default();
    format!("{old} moved to {new}")
}

/// An anchor id from a label: letters and digits kept, the rest a single `-`.
pub fn slug(prefix: &str, label: &str) -> String {
    let mut s = String::from(prefix);
    let mut dash = false;
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !s.ends_with('-') {
                s.push('-');
            }
            dash = false;
            s.push(c);
        } else {
            dash = true;
        }
    }
    s
}

/// The operations of the old paragraph alone, as deletions: its text with its citations.
pub fn old_text_ops(n: &Node) -> Vec<Op> {
    let mut cites: Vec<_> = n.citations.iter().collect();
    cites.sort_by_key(|c| c.offset);
    let mut ops = Vec::new();
    let mut pos = 0;
    for c in cites {
        let at = floor_char_boundary(&n.text, c.offset.min(n.text.len()));
        if at > pos {
            ops.push(Op {
                op: Tag::Delete,
                text: n.text[pos..at].to_string(),
                footnote: None,
            });
            pos = at;
        }
        ops.push(Op {
            op: Tag::Delete,
            text: String::new(),
            footnote: Some(CiteRef {
                old: Some(c.footnote),
                new: None,
                entry: None,
            }),
        });
    }
    if pos < n.text.len() {
        ops.push(Op {
            op: Tag::Delete,
            text: n.text[pos..].to_string(),
            footnote: None,
        });
    }
    ops
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The footnote entry a citation refers to: the row the redline gave it; for a citation
/// built from a node's text alone (a moved paragraph's old place), by its new number when it
/// has one and the operation keeps it, else by its old number.
pub fn footnote_of<'r>(r: &'r Redline, op: &Op) -> Option<(usize, &'r FootnoteEntry)> {
    let c = op.footnote?;
    if let Some(i) = c.entry {
        return r.footnotes.get(i).map(|f| (i, f));
    }
    let by_new = c.new.and_then(|n| {
        r.footnotes
            .iter()
            .enumerate()
            .find(|(_, f)| f.new == Some(n))
    });
    let by_old = c.old.and_then(|n| {
        r.footnotes
            .iter()
            .enumerate()
            .find(|(_, f)| f.old == Some(n))
    });
    match op.op {
        Tag::Delete => by_old.or(by_new),
        _ => by_new.or(by_old),
    }
}

/// The number a citation shows: the new number unless the citation was deleted.
pub fn cite_number(op: &Op) -> Option<u32> {
    let c = op.footnote?;
    match op.op {
        Tag::Delete => c.old.or(c.new),
        _ => c.new.or(c.old),
    }
}

/// Whether the entry is the title or a heading.
pub fn is_heading(r: &Redline, e: &Entry) -> bool {
    !crate::diff::entry_kind(r, e).is_body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("o-", "3(a)(viii)"), "o-3-a-viii");
        assert_eq!(slug("n-", "C.steps.2"), "n-C-steps-2");
        assert_eq!(slug("n-", "14"), "n-14");
    }
}
