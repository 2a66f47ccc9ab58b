//! The redline as JSON: the contract scripts rely on (documented in docs/json.md).

use crate::brackets::Changes;
use crate::diff::{Counts, FootnoteCounts, FootnoteStatus, Op, ParagraphCounts, Redline, Status};
use crate::render::outline::DraftId;
use crate::render::redline::Selection;
use crate::render::tables::{BracketRow, bracket_rows};
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    old: DraftId<'a>,
    new: DraftId<'a>,
    paragraphs: Vec<Para<'a>>,
    headings: Vec<Para<'a>>,
    footnotes: Vec<Note<'a>>,
    /// Front matter, editor's notes, link definitions, layout directives that differ (none
    /// when the selection filters: they belong to no section).
    metadata: Vec<Meta<'a>>,
    summary: Summary,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Pair<T> {
    old: Option<T>,
    new: Option<T>,
}

#[derive(Serialize)]
struct Para<'a> {
    old: Option<&'a str>,
    new: Option<&'a str>,
    kind: &'a str,
    status: Status,
    section: Pair<&'a str>,
    line: Pair<usize>,
    moved: bool,
    split: bool,
    merged: bool,
    classes: Vec<&'a str>,
    diff: &'a [Op],
    /// Bracket changes, when brackets are tracked (a treaty, or brackets in either draft).
    #[serde(skip_serializing_if = "Option::is_none")]
    brackets: Option<&'a Changes>,
}

#[derive(Serialize)]
struct Note<'a> {
    old: Option<u32>,
    new: Option<u32>,
    status: FootnoteStatus,
    diff: &'a [Op],
}

#[derive(Serialize)]
struct Meta<'a> {
    kind: crate::model::MetaKind,
    status: Status,
    line: Pair<usize>,
    diff: &'a [Op],
}

#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    paragraphs: ParagraphCounts,
    words_inserted: usize,
    words_deleted: usize,
    footnotes: FootnoteCounts,
    #[serde(skip_serializing_if = "Option::is_none")]
    brackets: Option<BracketRow>,
    changed: bool,
    /// Typographic-only changes hidden by `--ignore-typography` (0 when not asked).
    typographic_hidden: usize,
}

pub fn render(r: &Redline, sel: &Selection) -> String {
    let mut paragraphs = Vec::new();
    let mut headings = Vec::new();
    let mut counts = Counts::default();
    for e in sel.entries(r) {
        let on = r.old_node(e);
        let nn = r.new_node(e);
        let kind = nn.or(on).map_or("text", |n| n.kind.as_str());
        let p = Para {
            old: on.map(|n| n.label.as_str()),
            new: nn.map(|n| n.label.as_str()),
            kind,
            status: e.status,
            section: Pair {
                old: on.and_then(|n| n.section.as_deref()),
                new: nn.and_then(|n| n.section.as_deref()),
            },
            line: Pair {
                old: on.map(|n| n.line),
                new: nn.map(|n| n.line),
            },
            moved: e.moved,
            split: e.split,
            merged: e.merged,
            classes: e.classes.iter().map(|c| c.as_str()).collect(),
            diff: &e.ops,
            brackets: r.brackets.then_some(&e.brackets),
        };
        if nn.or(on).is_some_and(|n| n.kind.is_body()) {
            counts.add(e);
            paragraphs.push(p);
        } else {
            headings.push(p);
        }
    }
    let mut fc = FootnoteCounts::default();
    let footnotes: Vec<Note> = sel
        .footnotes(r)
        .into_iter()
        .map(|i| {
            let f = &r.footnotes[i];
            fc.add(f.status);
            Note {
                old: f.old,
                new: f.new,
                status: f.status,
                diff: &f.ops,
            }
        })
        .collect();
    let changed = sel.has_changes(r);
    let metadata = sel
        .metadata(r)
        .iter()
        .map(|m| Meta {
            kind: m.kind,
            status: m.status,
            line: Pair {
                old: m.line.0,
                new: m.line.1,
            },
            diff: &m.ops,
        })
        .collect();
    let doc = Doc {
        old: DraftId::of(r.old),
        new: DraftId::of(r.new),
        paragraphs,
        headings,
        footnotes,
        metadata,
        summary: Summary {
            paragraphs: counts.paragraphs,
            words_inserted: counts.words.inserted,
            words_deleted: counts.words.deleted,
            footnotes: fc,
            brackets: r.brackets.then(|| {
                let mut total = BracketRow::default();
                for (_, _, b) in bracket_rows(r, sel) {
                    total.add(&b);
                }
                total
            }),
            changed,
            typographic_hidden: r.typographic_hidden.unwrap_or(0),
        },
        notes: &r.notes,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
