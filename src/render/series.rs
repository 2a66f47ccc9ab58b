//! The series view for people and for scripts: a paragraph's history (a block per draft, with
//! the redline of each step), a draft's blame (a colour per draft with a legend on a terminal,
//! `[zero: ...][rev2: ...]` markers in plain text) and the log (a block per step). The JSON
//! shapes are documented in docs/json.md.

use crate::diff::{CiteRef, Op, Tag};
use crate::model::{Draft, Node};
use crate::render::outline::DraftId;
use crate::render::redline::ops_text;
use crate::render::style::{Paint, Painter, Role};
use crate::series::{Blame, History, Series, StepSummary, Version, VersionStatus};
use serde::Serialize;
use std::fmt::Write;

/// `C 14(b)`: a node's section and label (the section alone for a heading).
fn place(n: &Node) -> String {
    match &n.section {
        Some(s) if s != &n.label => format!("{s} {}", n.label),
        _ => n.label.clone(),
    }
}

/// A node's text as all-equal operations, citations in place (for a version with no redline).
fn node_ops(n: &Node) -> Vec<Op> {
    let mut cites = n.citations.clone();
    cites.sort_by_key(|c| c.offset);
    let mut ops = Vec::new();
    let mut last = 0;
    for c in cites {
        let at = c.offset.min(n.text.len());
        if at < last || !n.text.is_char_boundary(at) {
            continue;
        }
        if at > last {
            ops.push(Op {
                op: Tag::Equal,
                text: n.text[last..at].to_string(),
                footnote: None,
            });
        }
        ops.push(Op {
            op: Tag::Equal,
            text: String::new(),
            footnote: Some(CiteRef {
                old: None,
                new: Some(c.footnote),
                entry: None,
            }),
        });
        last = at;
    }
    if last < n.text.len() {
        ops.push(Op {
            op: Tag::Equal,
            text: n.text[last..].to_string(),
            footnote: None,
        });
    }
    ops
}

fn draft_line(s: &Series, k: usize) -> String {
    let r = &s.revisions[k];
    let mut about: Vec<String> = Vec::new();
    about.extend(r.title.clone());
    about.extend(r.date.clone());
    about.push(r.draft.path.display().to_string());
    about.join(", ")
}

/// `zero   Zero draft, 2022-06-22, drafts/zero.md`, the name in the draft's colour.
fn legend_line(s: &Series, k: usize, width: usize, painter: &Painter) -> String {
    let name = &s.draft(k).name;
    let pad = " ".repeat(width.saturating_sub(name.chars().count()));
    format!(
        "{}{pad}  {}",
        painter.paint(Role::Draft(k), name),
        draft_line(s, k)
    )
}

// ---------------------------------------------------------------------------------------------
// History

/// What a version's header says after its labels: `moved, split into B 3 + B 4, modified`.
fn version_status(s: &Series, v: &Version) -> String {
    let d = s.draft(v.draft);
    let mut words: Vec<String> = Vec::new();
    if v.moved {
        words.push("moved".into());
    }
    if v.split {
        let parts: Vec<String> = v.parts.iter().map(|&p| place(&d.nodes[p])).collect();
        words.push(format!("split into {}", parts.join(" + ")));
    }
    if v.merged {
        words.push("merged".into());
    }
    let renumbered = match (v.node, v.from.as_slice()) {
        (Some(n), [f]) if v.draft > 0 => s.draft(v.draft - 1).nodes[*f].label != d.nodes[n].label,
        _ => false,
    };
    match v.status {
        VersionStatus::Unchanged if renumbered => words.push("unchanged (renumbered)".into()),
        VersionStatus::Absent => words.push("not in this draft".into()),
        st => words.push(st.as_str().into()),
    }
    let mut out = words.join(", ");
    if !v.classes.is_empty() {
        let c: Vec<&str> = v.classes.iter().map(|c| c.as_str()).collect();
        let _ = write!(out, " [{}]", c.join(", "));
    }
    out
}

/// `C 14(c) <- B 3(a)(viii)`, `B 3 <- B 3 + B 4`, or `was B 5 in rev2` for a deleted version.
fn version_labels(s: &Series, v: &Version) -> String {
    let from: Vec<String> = match v.draft {
        0 => Vec::new(),
        k => v
            .from
            .iter()
            .map(|&f| place(&s.draft(k - 1).nodes[f]))
            .collect(),
    };
    match v.node {
        Some(n) => {
            let here = place(&s.draft(v.draft).nodes[n]);
            if from.is_empty() || from == [here.clone()] {
                here
            } else {
                format!("{here} <- {}", from.join(" + "))
            }
        }
        None if !from.is_empty() => format!(
            "was {} in {}",
            from.join(" + "),
            s.draft(v.draft.saturating_sub(1)).name
        ),
        None => String::new(),
    }
}

/// A paragraph's history as text: a block per version, with the redline of each step.
pub fn history_text(s: &Series, h: &History, painter: &Painter) -> String {
    let mut out = String::new();
    let start = s.draft(h.start);
    let names: Vec<&str> = s.revisions.iter().map(|r| r.draft.name.as_str()).collect();
    let _ = writeln!(
        out,
        "{}",
        painter.paint(
            Role::Header,
            &format!(
                "History of {} in {}, series {}: {}",
                place(&start.nodes[h.node]),
                start.name,
                s.name,
                names.join(" -> ")
            )
        )
    );
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    for v in &h.versions {
        let d = s.draft(v.draft);
        let pad = " ".repeat(width - d.name.chars().count());
        let labels = version_labels(s, v);
        let status = version_status(s, v);
        let quiet = matches!(
            v.status,
            VersionStatus::Absent | VersionStatus::Unchanged | VersionStatus::Original
        );
        let mut head = painter.paint(Role::Draft(v.draft), &d.name) + &pad;
        if !labels.is_empty() {
            head.push_str("  ");
            head.push_str(&painter.paint(Role::Label, &labels));
        }
        head.push_str("  ");
        head.push_str(&painter.paint(if quiet { Role::Dim } else { Role::Header }, &status));
        let _ = writeln!(out, "\n{head}");
        let body = match (v.status, v.node) {
            (VersionStatus::Absent, _) => continue,
            (VersionStatus::Original, Some(n)) => ops_text(&node_ops(&d.nodes[n]), painter),
            _ => ops_text(&v.ops, painter),
        };
        let _ = writeln!(out, "{body}");
    }
    painter.guard(out)
}

#[derive(Serialize)]
struct HistoryDoc<'a> {
    series: &'a str,
    /// The label asked for, and the draft it was read in.
    label: &'a str,
    draft: &'a str,
    versions: Vec<JsonVersion<'a>>,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    draft: &'a str,
    label: Option<&'a str>,
    section: Option<&'a str>,
    line: Option<usize>,
    text: Option<&'a str>,
    status: VersionStatus,
    from: Vec<&'a str>,
    parts: Vec<&'a str>,
    moved: bool,
    split: bool,
    merged: bool,
    classes: Vec<&'a str>,
    diff: &'a [Op],
}

/// A paragraph's history as JSON (the contract is in docs/json.md).
pub fn history_json(s: &Series, h: &History) -> String {
    let versions = h
        .versions
        .iter()
        .map(|v| {
            let d = s.draft(v.draft);
            let node = v.node.map(|n| &d.nodes[n]);
            let prev = v.draft.checked_sub(1).map(|k| s.draft(k));
            JsonVersion {
                draft: &d.name,
                label: node.map(|n| n.label.as_str()),
                section: node.and_then(|n| n.section.as_deref()),
                line: node.map(|n| n.line),
                text: node.map(|n| n.text.as_str()),
                status: v.status,
                from: prev.map_or(Vec::new(), |p| {
                    v.from.iter().map(|&f| p.nodes[f].label.as_str()).collect()
                }),
                parts: v.parts.iter().map(|&p| d.nodes[p].label.as_str()).collect(),
                moved: v.moved,
                split: v.split,
                merged: v.merged,
                classes: v.classes.iter().map(|c| c.as_str()).collect(),
                diff: &v.ops,
            }
        })
        .collect();
    let doc = HistoryDoc {
        series: &s.name,
        label: &h.label,
        draft: &s.draft(h.start).name,
        versions,
    };
    to_json(&doc)
}

// ---------------------------------------------------------------------------------------------
// Blame

/// The display runs of a node's blame: adjacent spans of one draft joined, citations as `[^n]`.
fn runs(b: &Blame, node: usize) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for sp in &b.nodes[node].spans {
        let text = match sp.footnote {
            Some(n) => format!("[^{n}]"),
            None => sp.text.clone(),
        };
        match out.last_mut() {
            Some((d, t)) if *d == sp.draft => t.push_str(&text),
            _ => out.push((sp.draft, text)),
        }
    }
    out
}

/// `zero 38 words, rev2 8 words`
fn tally(s: &Series, b: &Blame, nodes: &[usize]) -> String {
    let sel: Vec<_> = nodes.iter().map(|&i| &b.nodes[i]).collect();
    b.words(s.len(), &sel)
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .map(|(k, w)| {
            format!(
                "{} {w} word{}",
                s.draft(k).name,
                if *w == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A draft's blame as text. With colour, each draft's words in its colour under a legend;
/// without, each run marked `[draft: ...]`, spaces at its edges left outside the brackets.
pub fn blame_text(s: &Series, b: &Blame, nodes: &[usize], painter: &Painter) -> String {
    let d: &Draft = s.draft(b.draft);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        painter.paint(
            Role::Header,
            &format!(
                "Blame of {} ({}), series {}: each phrase credited to the draft that introduced it",
                d.name,
                d.path.display(),
                s.name
            )
        )
    );
    let width = (0..=b.draft)
        .map(|k| s.draft(k).name.chars().count())
        .max()
        .unwrap_or(0);
    for k in 0..=b.draft {
        let _ = writeln!(out, "  {}", legend_line(s, k, width, painter));
    }
    let _ = writeln!(out, "  words: {}", tally(s, b, nodes));
    let markers = painter.paint == Paint::None;
    for &i in nodes {
        let node = &d.nodes[i];
        if b.nodes[i].spans.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}  {}",
            painter.paint(Role::Label, &place(node)),
            painter.paint(Role::Dim, &tally(s, b, &[i]))
        );
        let mut line = String::new();
        for (k, text) in runs(b, i) {
            let name = &s.draft(k).name;
            if markers {
                let body = text.trim();
                if body.is_empty() {
                    line.push_str(&text);
                    continue;
                }
                let lead = &text[..text.len() - text.trim_start().len()];
                let trail = &text[text.trim_end().len()..];
                let _ = write!(line, "{lead}[{name}: {body}]{trail}");
            } else {
                line.push_str(&painter.paint(Role::Draft(k), &text));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    for note in &b.notes {
        let _ = writeln!(
            out,
            "\n{}",
            painter.paint(Role::Note, &format!("note: {note}"))
        );
    }
    painter.guard(out)
}

#[derive(Serialize)]
struct BlameDoc<'a> {
    series: &'a str,
    draft: DraftId<'a>,
    /// The drafts words can be credited to, oldest first.
    drafts: Vec<JsonDraft<'a>>,
    nodes: Vec<JsonBlameNode<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonDraft<'a> {
    name: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    path: String,
}

fn json_draft<'a>(s: &'a Series, k: usize) -> JsonDraft<'a> {
    let r = &s.revisions[k];
    JsonDraft {
        name: &r.draft.name,
        title: r.title.as_deref(),
        date: r.date.as_deref(),
        path: r.draft.path.display().to_string(),
    }
}

#[derive(Serialize)]
struct JsonBlameNode<'a> {
    label: &'a str,
    kind: &'a str,
    section: Option<&'a str>,
    spans: Vec<JsonSpan<'a>>,
}

#[derive(Serialize)]
struct JsonSpan<'a> {
    text: &'a str,
    draft: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    footnote: Option<u32>,
}

/// A draft's blame as JSON (the contract is in docs/json.md).
pub fn blame_json(s: &Series, b: &Blame, nodes: &[usize]) -> String {
    let d = s.draft(b.draft);
    let doc = BlameDoc {
        series: &s.name,
        draft: DraftId::of(d),
        drafts: (0..=b.draft).map(|k| json_draft(s, k)).collect(),
        nodes: nodes
            .iter()
            .map(|&i| JsonBlameNode {
                label: &d.nodes[i].label,
                kind: d.nodes[i].kind.as_str(),
                section: d.nodes[i].section.as_deref(),
                spans: b.nodes[i]
                    .spans
                    .iter()
                    .map(|sp| JsonSpan {
                        text: &sp.text,
                        draft: &s.draft(sp.draft).name,
                        footnote: sp.footnote,
                    })
                    .collect(),
            })
            .collect(),
        notes: &b.notes,
    };
    to_json(&doc)
}

// ---------------------------------------------------------------------------------------------
// Log

/// The rows of one step's summary, in order. A new aspect of the summary is a new row here.
fn log_rows(st: &StepSummary) -> Vec<(&'static str, String)> {
    let p = &st.paragraphs;
    let mut paragraphs = format!(
        "{} added, {} deleted, {} modified, {} moved, {} unchanged",
        p.added, p.deleted, p.modified, p.moved, p.unchanged
    );
    if p.split + p.merged > 0 {
        let _ = write!(
            paragraphs,
            " ({} entries from splits, {} from merges)",
            p.split, p.merged
        );
    }
    let f = &st.footnotes;
    let mut rows = vec![
        ("paragraphs", paragraphs),
        (
            "words",
            format!("+{} -{}", st.words.inserted, st.words.deleted),
        ),
        (
            "footnotes",
            format!(
                "{} renumbered, {} modified, {} added, {} deleted, {} unchanged",
                f.renumbered, f.modified, f.added, f.deleted, f.unchanged
            ),
        ),
    ];
    if let Some(b) = &st.brackets {
        rows.push((
            "brackets",
            format!(
                "{} -> {} pairs; {} opened, {} agreed, {} dropped, {} alternatives resolved",
                b.before,
                b.after,
                b.changes.opened,
                b.changes.agreed,
                b.changes.dropped,
                b.changes.resolved
            ),
        ));
    }
    if st.headings_changed > 0 {
        rows.push(("headings", format!("{} changed", st.headings_changed)));
    }
    rows
}

/// The log as text: the drafts of the series, then a block per step.
pub fn log_text(s: &Series, log: &[StepSummary], painter: &Painter) -> String {
    let mut out = String::new();
    let title = s
        .title
        .as_deref()
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}",
        painter.paint(Role::Header, &format!("Series {}{title}", s.name))
    );
    let width = s
        .revisions
        .iter()
        .map(|r| r.draft.name.chars().count())
        .max()
        .unwrap_or(0);
    for k in 0..s.len() {
        let _ = writeln!(out, "  {}", legend_line(s, k, width, painter));
    }
    if log.is_empty() {
        let _ = writeln!(out, "\nThe series has one draft: no step to summarise yet.");
    }
    for (k, st) in log.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{} -> {}",
            painter.paint(Role::Draft(k), &st.from),
            painter.paint(Role::Draft(k + 1), &st.to)
        );
        for (name, value) in log_rows(st) {
            let _ = writeln!(
                out,
                "  {}  {value}",
                painter.paint(Role::Label, &format!("{name:<10}"))
            );
        }
    }
    painter.guard(out)
}

#[derive(Serialize)]
struct LogDoc<'a> {
    series: &'a str,
    title: Option<&'a str>,
    drafts: Vec<JsonDraft<'a>>,
    steps: &'a [StepSummary],
}

/// The log as JSON (the contract is in docs/json.md).
pub fn log_json(s: &Series, log: &[StepSummary]) -> String {
    let doc = LogDoc {
        series: &s.name,
        title: s.title.as_deref(),
        drafts: (0..s.len()).map(|k| json_draft(s, k)).collect(),
        steps: log,
    };
    to_json(&doc)
}

fn to_json<T: Serialize>(doc: &T) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
