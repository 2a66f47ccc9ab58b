//! `--stat` (per-section summary, and bracket counts per section and draft when brackets are
//! tracked) and `--footnotes` (the footnote reconciliation table).

use crate::brackets;
use crate::diff::{Counts, FootnoteStatus, Redline, Status};
use crate::model::NodeKind;
use crate::render::redline::{Selection, ops_text};
use crate::render::style::{Painter, Role, visible};
use std::fmt::Write;

/// Counts per section (the new section of an entry, else its old one), in new-draft order.
pub fn section_counts(r: &Redline, sel: &Selection) -> Vec<(String, String, Counts)> {
    let mut rows: Vec<(String, String, Counts)> = Vec::new();
    let title_of = |id: &str| {
        r.new
            .section_title(id)
            .or_else(|| r.old.section_title(id))
            .unwrap_or("")
            .to_string()
    };
    for s in &r.new.sections {
        rows.push((s.id.clone(), s.title.clone(), Counts::default()));
    }
    for e in sel.entries(r) {
        let node = r.new_node(e).or_else(|| r.old_node(e));
        let Some(node) = node else { continue };
        if !node.kind.is_body() {
            continue;
        }
        let id = node.section.clone().unwrap_or_default();
        let row = match rows.iter().position(|(s, _, _)| *s == id) {
            Some(i) => i,
            None => {
                rows.push((id.clone(), title_of(&id), Counts::default()));
                rows.len() - 1
            }
        };
        rows[row].2.add(e);
    }
    rows.retain(|(_, _, c)| *c != Counts::default());
    rows
}

pub fn stat(r: &Redline, sel: &Selection, painter: &Painter) -> String {
    let rows = section_counts(r, sel);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        painter.paint(
            Role::Header,
            &format!(
                "{:<44} {:>5} {:>7} {:>8} {:>5} {:>9} {:>7} {:>7}",
                format!("{} -> {}", r.old.name, r.new.name),
                "added",
                "deleted",
                "modified",
                "moved",
                "unchanged",
                "words+",
                "words-"
            )
        )
    );
    let mut total = Counts::default();
    for (id, title, c) in &rows {
        let name = if id.is_empty() {
            "(before the first section)".to_string()
        } else {
            visible(&format!("{id} {title}")).chars().take(44).collect()
        };
        let _ = writeln!(out, "{}", line(&name, c));
        total += c;
    }
    let _ = writeln!(
        out,
        "{}",
        painter.paint(Role::Header, &line("total", &total))
    );
    let p = &total.paragraphs;
    if p.split + p.merged > 0 {
        let _ = writeln!(
            out,
            "({} entries from splits, {} from merges)",
            p.split, p.merged
        );
    }
    let selected = sel.footnotes(r);
    let fc = |s: FootnoteStatus| {
        selected
            .iter()
            .filter(|&&i| r.footnotes[i].status == s)
            .count()
    };
    let _ = writeln!(
        out,
        "footnotes: {} unchanged, {} renumbered, {} modified, {} added, {} deleted",
        fc(FootnoteStatus::Unchanged),
        fc(FootnoteStatus::Renumbered),
        fc(FootnoteStatus::Modified),
        fc(FootnoteStatus::Added),
        fc(FootnoteStatus::Deleted)
    );
    let headings = sel
        .entries(r)
        .into_iter()
        .filter(|e| {
            let k = crate::diff::entry_kind(r, e);
            matches!(k, NodeKind::Heading | NodeKind::Title) && e.status != Status::Unchanged
        })
        .count();
    if headings > 0 {
        let _ = writeln!(out, "headings changed: {headings}");
    }
    if r.brackets {
        out.push('\n');
        out.push_str(&bracket_table(r, sel, painter));
    }
    painter.guard(out)
}

/// Bracket counts of one section: pairs in each draft, and what happened to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BracketRow {
    /// Bracket pairs in the old draft's paragraphs.
    pub old: usize,
    /// Bracket pairs in the new draft's paragraphs.
    pub new: usize,
    #[serde(flatten)]
    pub changes: brackets::Counts,
}

impl BracketRow {
    pub fn add(&mut self, o: &BracketRow) {
        self.old += o.old;
        self.new += o.new;
        self.changes.add(&o.changes);
    }
}

/// Bracket counts per section (the new section of an entry, else its old one, as in
/// [`section_counts`]); each node's brackets are counted once.
pub fn bracket_rows(r: &Redline, sel: &Selection) -> Vec<(String, String, BracketRow)> {
    let mut rows: Vec<(String, String, BracketRow)> = r
        .new
        .sections
        .iter()
        .map(|s| (s.id.clone(), s.title.clone(), BracketRow::default()))
        .collect();
    let mut seen_old = std::collections::HashSet::new();
    let mut seen_new = std::collections::HashSet::new();
    for e in sel.entries(r) {
        let Some(node) = r.new_node(e).or_else(|| r.old_node(e)) else {
            continue;
        };
        if !node.kind.is_body() {
            continue;
        }
        let id = node.section.clone().unwrap_or_default();
        let row = match rows.iter().position(|(s, _, _)| *s == id) {
            Some(i) => i,
            None => {
                let title = r.old.section_title(&id).unwrap_or("").to_string();
                rows.push((id, title, BracketRow::default()));
                rows.len() - 1
            }
        };
        let b = &mut rows[row].2;
        if let Some(o) = e.old
            && seen_old.insert(o)
        {
            b.old += brackets::count(&r.old.nodes[o].text);
        }
        if let Some(n) = e.new
            && seen_new.insert(n)
        {
            b.new += brackets::count(&r.new.nodes[n].text);
        }
        b.changes.add(&e.brackets.counts);
    }
    rows.retain(|(_, _, b)| *b != BracketRow::default());
    rows
}

/// The bracket table of `--stat`.
pub fn bracket_table(r: &Redline, sel: &Selection, painter: &Painter) -> String {
    let mut out = String::new();
    let row = |name: &str, b: &BracketRow| {
        format!(
            "{:<44} {:>5} {:>5} {:>7} {:>7} {:>7} {:>8}",
            name,
            b.old,
            b.new,
            b.changes.opened,
            b.changes.agreed,
            b.changes.dropped,
            b.changes.resolved
        )
    };
    let _ = writeln!(
        out,
        "{}",
        painter.paint(
            Role::Header,
            &format!(
                "{:<44} {:>5} {:>5} {:>7} {:>7} {:>7} {:>8}",
                "brackets", "old", "new", "opened", "agreed", "dropped", "resolved"
            )
        )
    );
    let mut total = BracketRow::default();
    for (id, title, b) in bracket_rows(r, sel) {
        let name = if id.is_empty() {
            "(before the first section)".to_string()
        } else {
            visible(&format!("{id} {title}"))
                .trim_end()
                .chars()
                .take(44)
                .collect()
        };
        let _ = writeln!(out, "{}", row(&name, &b));
        total.add(&b);
    }
    let _ = writeln!(
        out,
        "{}",
        painter.paint(Role::Header, &row("total", &total))
    );
    out
}

fn line(name: &str, c: &Counts) -> String {
    format!(
        "{:<44} {:>5} {:>7} {:>8} {:>5} {:>9} {:>7} {:>7}",
        name,
        c.paragraphs.added,
        c.paragraphs.deleted,
        c.paragraphs.modified,
        c.paragraphs.moved,
        c.paragraphs.unchanged,
        format!("+{}", c.words.inserted),
        format!("-{}", c.words.deleted)
    )
}

pub fn footnotes(r: &Redline, sel: &Selection, painter: &Painter) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        painter.paint(
            Role::Header,
            &format!(
                "{:>5} {:>5}  {:<11} text",
                r.old.name.chars().take(5).collect::<String>(),
                r.new.name.chars().take(5).collect::<String>(),
                "status"
            )
        )
    );
    for i in sel.footnotes(r) {
        let f = &r.footnotes[i];
        let num = |n: Option<u32>| n.map_or("-".to_string(), |n| n.to_string());
        let text = match f.status {
            FootnoteStatus::Modified => ops_text(&f.ops, painter),
            _ => visible(&crate::diff::side_text(
                &f.ops,
                if f.new.is_some() {
                    crate::diff::Tag::Insert
                } else {
                    crate::diff::Tag::Delete
                },
            ))
            .into_owned(),
        };
        let status = f.status.as_str();
        let role = match f.status {
            FootnoteStatus::Added => Role::Inserted,
            FootnoteStatus::Deleted => Role::Deleted,
            FootnoteStatus::Unchanged => Role::Dim,
            _ => Role::Note,
        };
        let _ = writeln!(
            out,
            "{:>5} {:>5}  {} {}",
            num(f.old),
            num(f.new),
            painter.paint(role, &format!("{status:<11}")),
            text
        );
    }
    painter.guard(out)
}
