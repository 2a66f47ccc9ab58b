//! What changed in the parts of a file that are not negotiated language: front matter,
//! editor's notes, link definitions, layout directives ([`crate::model::Meta`]). They are never
//! aligned with the paragraphs, but a change in them is a change in the file, and it is
//! reported (a symbol or a date in the front matter, the source a link points to): one entry
//! per kind of metadata whose text differs, with a word diff.

use super::{Op, Status, Tag, tokens};
use crate::model::{Meta, MetaKind};
use serde::Serialize;

/// A kind of metadata whose text differs between the drafts.
#[derive(Debug, Clone, Serialize)]
pub struct MetaEntry {
    pub kind: MetaKind,
    /// Added, deleted or modified.
    pub status: Status,
    /// Where it starts in each draft (1-based), if it is there.
    pub line: (Option<usize>, Option<usize>),
    pub ops: Vec<Op>,
}

impl MetaKind {
    /// How the redline names it.
    pub fn as_str(self) -> &'static str {
        match self {
            MetaKind::FrontMatter => "front matter",
            MetaKind::Note => "editor's note",
            MetaKind::LinkDefinition => "link definitions",
            MetaKind::Markup => "layout directives",
        }
    }
}

const KINDS: [MetaKind; 4] = [
    MetaKind::FrontMatter,
    MetaKind::Note,
    MetaKind::LinkDefinition,
    MetaKind::Markup,
];

/// The metadata of one kind: its pieces' texts in order, a line apart, and the first line.
fn of_kind(meta: &[Meta], kind: MetaKind) -> (String, Option<usize>) {
    let mut text = String::new();
    let mut line = None;
    for m in meta.iter().filter(|m| m.kind == kind) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&m.text);
        line.get_or_insert(m.line);
    }
    (text, line)
}

/// The kinds of metadata whose text differs, each with its word diff (words and punctuation
/// as the paragraphs' diff cuts them, whitespace kept with the text around it).
pub fn compare(old: &[Meta], new: &[Meta]) -> Vec<MetaEntry> {
    let mut out = Vec::new();
    for kind in KINDS {
        let (a, la) = of_kind(old, kind);
        let (b, lb) = of_kind(new, kind);
        if a == b {
            continue;
        }
        let status = match (a.is_empty(), b.is_empty()) {
            (false, true) => Status::Deleted,
            (true, false) => Status::Added,
            _ => Status::Modified,
        };
        out.push(MetaEntry {
            kind,
            status,
            line: (la, lb),
            ops: word_ops(&a, &b),
        });
    }
    out
}

/// Pieces of a text: its tokens (words, marks, runs of whitespace), which cover it whole.
fn pieces(text: &str) -> Vec<&str> {
    tokens::Tokens::new(text).map(|t| t.text).collect()
}

fn word_ops(a: &str, b: &str) -> Vec<Op> {
    let (pa, pb) = (pieces(a), pieces(b));
    let mut ops: Vec<Op> = Vec::new();
    let mut push = |tag: Tag, parts: &[&str]| {
        let text: String = parts.concat();
        if text.is_empty() {
            return;
        }
        match ops.last_mut() {
            Some(last) if last.op == tag => last.text.push_str(&text),
            _ => ops.push(Op {
                op: tag,
                text,
                footnote: None,
            }),
        }
    };
    for d in similar::capture_diff_slices(similar::Algorithm::Patience, &pa, &pb) {
        match d {
            similar::DiffOp::Equal { old_index, len, .. } => {
                push(Tag::Equal, &pa[old_index..old_index + len])
            }
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => push(Tag::Delete, &pa[old_index..old_index + old_len]),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => push(Tag::Insert, &pb[new_index..new_index + new_len]),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(Tag::Delete, &pa[old_index..old_index + old_len]);
                push(Tag::Insert, &pb[new_index..new_index + new_len]);
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(kind: MetaKind, text: &str, line: usize) -> Meta {
        Meta {
            kind,
            text: text.into(),
            line,
        }
    }

    #[test]
    fn a_changed_value_is_one_entry_with_its_words() {
        let old = [meta(MetaKind::FrontMatter, "symbol: A/AC.292/2023/1", 2)];
        let new = [meta(MetaKind::FrontMatter, "symbol: A/AC.292/2023/2", 2)];
        let e = compare(&old, &new);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].status, Status::Modified);
        let text = |tag| -> String {
            e[0].ops
                .iter()
                .filter(|o| o.op == tag || o.op == Tag::Equal)
                .map(|o| o.text.as_str())
                .collect()
        };
        assert_eq!(text(Tag::Delete), old[0].text);
        assert_eq!(text(Tag::Insert), new[0].text);
        assert!(e[0].ops.iter().any(|o| o.op == Tag::Insert));
    }

    #[test]
    fn the_same_metadata_is_no_entry_and_a_new_kind_is_added() {
        let old = [meta(MetaKind::LinkDefinition, "[a]: http://x.org", 9)];
        assert!(compare(&old, &old).is_empty());
        let new = [
            old[0].clone(),
            meta(MetaKind::Note, "Note by the co-chairs.", 1),
        ];
        let e = compare(&old, &new);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].kind, e[0].status), (MetaKind::Note, Status::Added));
        assert_eq!(e[0].line, (None, Some(1)));
    }
}
