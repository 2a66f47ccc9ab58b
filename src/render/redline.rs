//! The redline for people: a block per changed node, headed by its labels, section and
//! status; deletions and insertions coloured on a terminal, or marked `[-deleted-]` and
//! `{+inserted+}` in plain text so the redline survives pipes and email.

use crate::brackets::{ChangeKind, Changes};
use crate::diff::metadata::MetaEntry;
use crate::diff::{Entry, FootnoteEntry, FootnoteStatus, Op, Redline, Status, Tag};
use crate::model::{Node, normalize_label, section_matches};
use crate::render::style::{Paint, Painter, Role};
use rustc_hash::FxHashSet;
use std::fmt::Write;

/// Which entries to show.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Section ids; an entry is in a section when its old or its new node is.
    pub sections: Vec<String>,
    /// Labels, old or new, in any spelling `normalize_label` accepts.
    pub paras: Vec<String>,
    /// Show unchanged entries too.
    pub all: bool,
}

impl Selection {
    pub fn keeps(&self, r: &Redline, e: &Entry) -> bool {
        let on = r.old_node(e);
        let nn = r.new_node(e);
        let in_section = self.sections.is_empty()
            || [on, nn].iter().flatten().any(|n| {
                n.section
                    .as_ref()
                    .is_some_and(|s| self.sections.iter().any(|w| section_matches(s, w)))
            });
        let in_paras = self.paras.is_empty()
            || self.paras.iter().any(|p| {
                let want = normalize_label(p);
                [on, nn]
                    .iter()
                    .flatten()
                    .any(|n| n.label.eq_ignore_ascii_case(&want))
            });
        in_section && in_paras
    }

    /// Entries selected, shown or not (for exit status and counts).
    pub fn entries<'r>(&self, r: &'r Redline) -> Vec<&'r Entry> {
        r.entries.iter().filter(|e| self.keeps(r, e)).collect()
    }

    /// Whether the selection filters at all (by section or paragraph).
    pub fn filters(&self) -> bool {
        !self.sections.is_empty() || !self.paras.is_empty()
    }

    /// Footnotes (indices into `r.footnotes`) cited by the selected entries, in the rows'
    /// order; all footnotes, cited or not, when nothing is filtered. A citation names its row
    /// (not its number, which an annex may use again).
    pub fn footnotes(&self, r: &Redline) -> Vec<usize> {
        if !self.filters() {
            return (0..r.footnotes.len()).collect();
        }
        let mut cited = vec![false; r.footnotes.len()];
        for e in self.entries(r) {
            for c in e.ops.iter().filter_map(|o| o.footnote) {
                if let Some(i) = c.entry.filter(|&i| i < cited.len()) {
                    cited[i] = true;
                }
            }
        }
        (0..r.footnotes.len()).filter(|&i| cited[i]).collect()
    }

    /// The metadata changes the selection holds: all of them when nothing is filtered, none
    /// otherwise (metadata belongs to no section or paragraph).
    pub fn metadata<'r>(&self, r: &'r Redline) -> &'r [MetaEntry] {
        if self.filters() { &[] } else { &r.metadata }
    }

    /// Whether the selection holds a difference: a changed entry, a changed footnote, changed
    /// metadata. The exit status and every rendering's "No differences" line are read from
    /// this.
    pub fn has_changes(&self, r: &Redline) -> bool {
        self.entries(r).iter().any(|e| e.is_change())
            || self
                .footnotes(r)
                .iter()
                .any(|&i| r.footnotes[i].is_change())
            || !self.metadata(r).is_empty()
    }
}

/// What a rendering says when it shows no paragraph. When footnotes changed although no
/// paragraph did, it says so rather than "No differences".
pub fn nothing_shown(r: &Redline, sel: &Selection) -> String {
    let changed = sel
        .footnotes(r)
        .iter()
        .filter(|&&i| r.footnotes[i].is_change())
        .count();
    let scope = if sel.filters() {
        "in the selection"
    } else {
        "in the language"
    };
    let mut below = Vec::new();
    if changed > 0 {
        below.push(format!(
            "{changed} footnote{} changed",
            if changed == 1 { "" } else { "s" }
        ));
    }
    let meta = sel.metadata(r).len();
    if meta > 0 {
        let kinds: Vec<&str> = sel.metadata(r).iter().map(|m| m.kind.as_str()).collect();
        below.push(format!("the {} changed", kinds.join(", ")));
    }
    if below.is_empty() {
        format!("No differences {scope}.")
    } else {
        format!(
            "No paragraph changed {scope}; {} (below).",
            below.join("; ")
        )
    }
}

/// Where a node is: `C 14(c)`; a heading is its section alone (`C`).
pub fn place(n: &Node) -> String {
    match &n.section {
        // Treaty labels name their article already (`Art.3.5`, `PP3`).
        Some(s) if s.starts_with("Art.") || s == "Preamble" => n.label.clone(),
        Some(s) if s != &n.label => format!("{s} {}", n.label),
        _ => n.label.clone(),
    }
}

/// `C 14(c) <- B 3(a)(viii)  moved, modified [substantive]`
pub fn header(r: &Redline, e: &Entry) -> (String, String) {
    let on = r.old_node(e);
    let nn = r.new_node(e);
    let labels = match (on, nn) {
        (Some(o), Some(n)) if place(o) == place(n) => place(n),
        (Some(o), Some(n)) => format!("{} <- {}", place(n), place(o)),
        (Some(o), None) => place(o),
        (None, Some(n)) => place(n),
        (None, None) => String::new(),
    };
    let renumbered = matches!((on, nn), (Some(o), Some(n)) if o.label != n.label);
    let state = match e.status {
        Status::Unchanged if renumbered => "unchanged (renumbered)",
        s => s.as_str(),
    };
    let mut status = String::new();
    for (shown, word) in [
        (e.moved, "moved"),
        (e.split, "split"),
        (e.merged, "merged"),
        (true, state),
    ] {
        if shown {
            if !status.is_empty() {
                status.push_str(", ");
            }
            status.push_str(word);
        }
    }
    for (k, c) in e.classes.iter().enumerate() {
        status.push_str(if k == 0 { " [" } else { ", " });
        status.push_str(c.as_str());
    }
    if !e.classes.is_empty() {
        status.push(']');
    }
    (labels, status)
}

/// Render a list of operations. Without colour, changes carry textual markers; a run of
/// deleted (or inserted) text with citations in it is marked once.
pub fn ops_text(ops: &[Op], painter: &Painter) -> String {
    let mut out = String::new();
    write_ops(&mut out, ops, painter);
    out
}

/// [`ops_text`], written onto `out`. Equal runs and marked runs go straight into it; only
/// a coloured run is gathered first (the painter wraps it whole).
fn write_ops(out: &mut String, ops: &[Op], painter: &Painter) {
    let markers = painter.paint == Paint::None;
    let mut run = String::new();
    let mut i = 0;
    while i < ops.len() {
        let tag = ops[i].op;
        let direct = markers || tag == Tag::Equal;
        let into: &mut String = if direct {
            out
        } else {
            run.clear();
            &mut run
        };
        match (tag, direct) {
            (Tag::Delete, true) => into.push_str("[-"),
            (Tag::Insert, true) => into.push_str("{+"),
            _ => {}
        }
        while i < ops.len() && ops[i].op == tag {
            let op = &ops[i];
            match op.footnote {
                Some(f) => {
                    let n = match tag {
                        Tag::Delete => f.old,
                        _ => f.new.or(f.old),
                    };
                    match n {
                        Some(n) => {
                            let _ = write!(into, "[^{n}]");
                        }
                        None => into.push_str("[^]"),
                    }
                }
                None => crate::render::style::push_visible(into, &op.text),
            }
            i += 1;
        }
        match (tag, direct) {
            (Tag::Delete, true) => out.push_str("-]"),
            (Tag::Insert, true) => out.push_str("+}"),
            (Tag::Equal, _) => {}
            (Tag::Delete, false) => painter.paint_onto(out, Role::Deleted, &run),
            (Tag::Insert, false) => painter.paint_onto(out, Role::Inserted, &run),
        }
    }
}

/// The note line under an entry whose brackets changed:
/// `brackets: 1 agreed, 1 resolved: agreed [and promote compliance with]; resolved [2023][2024] -> 2023`.
pub fn bracket_note(b: &Changes) -> Option<String> {
    if b.is_empty() {
        return None;
    }
    let c = &b.counts;
    let counts: Vec<String> = [
        (c.opened, "opened"),
        (c.agreed, "agreed"),
        (c.dropped, "dropped"),
        (c.resolved, "resolved"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}"))
    .collect();
    const SHOWN: usize = 6;
    let mut items: Vec<String> = b
        .changes
        .iter()
        .take(SHOWN)
        .map(|ch| match ch.kind {
            ChangeKind::Opened => format!("opened {}", ch.new),
            ChangeKind::Agreed => format!("agreed {}", ch.old),
            ChangeKind::Dropped => format!("dropped {}", ch.old),
            ChangeKind::Resolved => format!("resolved {} -> {}", ch.old, ch.new),
        })
        .collect();
    if b.changes.len() > SHOWN {
        items.push(format!("... {} more", b.changes.len() - SHOWN));
    }
    Some(format!(
        "brackets: {}: {}",
        counts.join(", "),
        items.join("; ")
    ))
}

/// One entry's block: the header line, the text with its changes, any bracket note.
fn block(r: &Redline, e: &Entry, painter: &Painter, out: &mut String) {
    let changed = e.is_change();
    let (labels, status) = header(r, e);
    out.push('\n');
    painter.paint_onto(out, Role::Label, &labels);
    out.push_str("  ");
    painter.paint_onto(out, if changed { Role::Header } else { Role::Dim }, &status);
    out.push('\n');
    if changed || !painter.is_colored() {
        // Without colour an unchanged text is its equal runs as they are: written straight on.
        write_ops(out, &e.ops, painter);
    } else {
        painter.paint_onto(out, Role::Dim, &ops_text(&e.ops, &Painter::plain()));
    }
    out.push('\n');
    if let Some(line) = bracket_note(&e.brackets) {
        painter.paint_onto(out, Role::Note, &line);
        out.push('\n');
    }
}

/// `footnote 13 <- 5  modified`: a footnote's block, headed like a paragraph's.
/// The footnote numbers a draft defines more than once.
fn repeated_numbers(d: &crate::model::Draft) -> FxHashSet<u32> {
    let mut seen = FxHashSet::default();
    d.footnotes
        .iter()
        .filter(|f| !seen.insert(f.number))
        .map(|f| f.number)
        .collect()
}

/// Where a draft defines a number more than once (annexes that restart numbering), a
/// footnote's block names the line of its definition too: `footnote 2 (line 14)`.
fn footnote_block(
    r: &Redline,
    repeated: &[FxHashSet<u32>; 2],
    f: &FootnoteEntry,
    painter: &Painter,
    out: &mut String,
) {
    let at = |d: &crate::model::Draft, side: usize, n: Option<u32>, note: Option<usize>| match (
        n,
        note.and_then(|k| d.footnotes.get(k)),
    ) {
        (Some(n), Some(def)) if repeated[side].contains(&n) => {
            format!("{n} (line {})", def.line)
        }
        (Some(n), _) => n.to_string(),
        (None, _) => String::new(),
    };
    let o = at(r.old, 0, f.old, f.old_note);
    let n = at(r.new, 1, f.new, f.new_note);
    let number = match (f.old, f.new) {
        (Some(_), Some(_)) if o != n => format!("footnote {n} <- {o}"),
        (_, Some(_)) => format!("footnote {n}"),
        (Some(_), None) => format!("footnote {o}"),
        (None, None) => "footnote".to_string(),
    };
    let status = match f.status {
        FootnoteStatus::Renumbered => "unchanged (renumbered)",
        s => s.as_str(),
    };
    let changed = f.is_change();
    out.push('\n');
    painter.paint_onto(out, Role::Label, &number);
    out.push_str("  ");
    painter.paint_onto(out, if changed { Role::Header } else { Role::Dim }, status);
    out.push('\n');
    if changed || !painter.is_colored() {
        write_ops(out, &f.ops, painter);
    } else {
        painter.paint_onto(out, Role::Dim, &ops_text(&f.ops, &Painter::plain()));
    }
    out.push('\n');
}

/// `metadata: front matter  modified`: a block for metadata that changed.
fn metadata_block(m: &MetaEntry, painter: &Painter, out: &mut String) {
    out.push('\n');
    painter.paint_onto(out, Role::Label, &format!("metadata: {}", m.kind.as_str()));
    out.push_str("  ");
    painter.paint_onto(out, Role::Header, m.status.as_str());
    out.push('\n');
    write_ops(out, &m.ops, painter);
    out.push('\n');
}

/// The whole redline as text (term when the painter colours, plain otherwise).
pub fn render(r: &Redline, sel: &Selection, painter: &Painter) -> String {
    let mut out = String::new();
    for (mark, d) in [("---", r.old), ("+++", r.new)] {
        let path = d.path.display().to_string();
        let line = if path == d.name {
            format!("{mark} {path}")
        } else {
            format!("{mark} {} ({path})", d.name)
        };
        let _ = writeln!(out, "{}", painter.paint(Role::Header, &line));
    }
    let shown: Vec<&Entry> = sel
        .entries(r)
        .into_iter()
        .filter(|e| sel.all || e.is_change())
        .collect();
    for e in &shown {
        block(r, e, painter, &mut out);
    }
    if shown.is_empty() {
        let _ = writeln!(out, "\n{}", nothing_shown(r, sel));
    }
    // Footnotes after the paragraphs, in the new draft's order (as reconciled).
    let repeated = [repeated_numbers(r.old), repeated_numbers(r.new)];
    for i in sel.footnotes(r) {
        let f = &r.footnotes[i];
        if sel.all || f.is_change() {
            footnote_block(r, &repeated, f, painter, &mut out);
        }
    }
    for m in sel.metadata(r) {
        metadata_block(m, painter, &mut out);
    }
    for note in &r.notes {
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(Role::Note, &format!("note: {note}"))
        );
    }
    painter.guard(out)
}
