//! Brackets: square-bracketed text, the negotiators' mark of language not yet agreed.
//!
//! A treaty draft is full of them: optional words (`[new,] [additional,]`), alternatives side
//! by side (`[shall][should]`), brackets inside brackets (`[[and] in light of ...]`), whole
//! paragraphs in brackets, sometimes opened in one paragraph and closed in the next. They
//! disappear as the text is agreed. This module
//! - parses the brackets of a text into pairs, nested ([`parse`]); footnote marks `[^4]` are
//!   not brackets;
//! - says, between an old and a new text, which brackets were opened, which were closed with
//!   their content kept (agreed), which were removed with their content (dropped), and which
//!   runs of alternatives were resolved to one of them ([`compare`]);
//! - finds brackets that never close or never opened ([`unbalanced`]), per section, so that a
//!   bracket spanning two paragraphs is not a problem.

use crate::model::Draft;
use serde::Serialize;
use similar::{Algorithm, DiffTag};
use std::time::{Duration, Instant};

/// One pair of brackets in a text. Offsets are bytes into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    /// Offset of `[`; 0 when the bracket was opened before this text (a `]` with no `[`).
    pub open: usize,
    /// Offset of `]`; the text's length when the bracket is still open at its end.
    pub close: usize,
    /// 0 for an outermost bracket, 1 inside one, ...
    pub depth: usize,
    /// Index (in the list [`parse`] returns) of the enclosing bracket.
    pub parent: Option<usize>,
    /// Whether the `[` is in this text.
    pub opened_here: bool,
    /// Whether the `]` is in this text.
    pub closed_here: bool,
}

impl Bracket {
    /// The text between the brackets.
    pub fn inner<'a>(&self, text: &'a str) -> &'a str {
        let start = if self.opened_here {
            self.open + 1
        } else {
            self.open
        };
        text.get(start..self.close.max(start)).unwrap_or("")
    }

    /// The text with its brackets.
    pub fn outer<'a>(&self, text: &'a str) -> &'a str {
        let end = if self.closed_here {
            self.close + 1
        } else {
            self.close
        };
        text.get(self.open..end.max(self.open)).unwrap_or("")
    }
}

/// Length of a footnote mark `[^id]` at `at`, if one starts there: not a bracket.
fn footnote_mark(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let body = rest.strip_prefix("[^")?;
    let end = body.find(']')?;
    let id = &body[..end];
    (!id.is_empty() && id.len() <= 40 && !id.contains(|c: char| c.is_whitespace() || c == '['))
        .then_some(end + 3)
}

/// The brackets of a text in order: (offset, true for `[`). Footnote marks are skipped.
fn marks(text: &str) -> Vec<(usize, bool)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Most texts hold no bracket at all: the search skips to the next one many bytes at a time.
    let mut i = 0;
    while let Some(at) = memchr::memchr2(b'[', b']', &bytes[i..]) {
        i += at;
        if bytes[i] == b'[' {
            if let Some(len) = footnote_mark(text, i) {
                i += len;
                continue;
            }
            out.push((i, true));
        } else {
            out.push((i, false));
        }
        i += 1;
    }
    out
}

/// The bracket pairs of a text, in order of their `[` (a pair opened before the text comes
/// where its `]` is).
pub fn parse(text: &str) -> Vec<Bracket> {
    let mut out: Vec<Bracket> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, open) in marks(text) {
        if open {
            out.push(Bracket {
                open: i,
                close: text.len(),
                depth: stack.len(),
                parent: stack.last().copied(),
                opened_here: true,
                closed_here: false,
            });
            stack.push(out.len() - 1);
        } else if let Some(b) = stack.pop() {
            out[b].close = i;
            out[b].closed_here = true;
        } else {
            out.push(Bracket {
                open: 0,
                close: i,
                depth: 0,
                parent: None,
                opened_here: false,
                closed_here: true,
            });
        }
    }
    out
}

/// How many brackets are still open at the end of a text (a `]` with no `[` is ignored).
pub fn open_depth(text: &str) -> usize {
    parse(text)
        .iter()
        .filter(|b| b.opened_here && !b.closed_here)
        .count()
}

/// Number of bracket pairs in a text (pairs opened or closed elsewhere count once).
pub fn count(text: &str) -> usize {
    parse(text).len()
}

/// Runs of alternatives: two or more complete sibling brackets with only spaces between them
/// (`[shall][should]`, `[2023] [2024]`). Indices into `brackets`.
pub fn alternatives(text: &str, brackets: &[Bracket]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let complete = |b: &Bracket| b.opened_here && b.closed_here;
    for (i, b) in brackets.iter().enumerate() {
        if !complete(b) {
            continue;
        }
        let joined = runs.last_mut().and_then(|run| {
            let prev = &brackets[*run.last()?];
            let between = text.get(prev.close + 1..b.open)?;
            (prev.parent == b.parent && between.chars().all(char::is_whitespace)).then_some(run)
        });
        match joined {
            Some(run) => run.push(i),
            None => runs.push(vec![i]),
        }
    }
    runs.retain(|r| r.len() >= 2);
    runs
}

/// What happened to brackets between two texts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Brackets that are new.
    pub opened: usize,
    /// Brackets removed, their content kept: the language was agreed.
    pub agreed: usize,
    /// Brackets removed with their content.
    pub dropped: usize,
    /// Runs of alternatives of which exactly one was kept, without its brackets.
    pub resolved: usize,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }

    pub fn add(&mut self, o: &Counts) {
        self.opened += o.opened;
        self.agreed += o.agreed;
        self.dropped += o.dropped;
        self.resolved += o.resolved;
    }
}

/// The kind of a bracket change.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Opened,
    Agreed,
    Dropped,
    Resolved,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Opened => "opened",
            ChangeKind::Agreed => "agreed",
            ChangeKind::Dropped => "dropped",
            ChangeKind::Resolved => "resolved",
        }
    }
}

/// One bracket change.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The old bracketed text (`[2023][2024]`); empty for an opened bracket.
    pub old: String,
    /// What the new text has: the kept content (agreed), the chosen alternative (resolved),
    /// the new bracketed text (opened); empty when dropped.
    pub new: String,
}

/// The bracket changes between two texts.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Changes {
    #[serde(flatten)]
    pub counts: Counts,
    pub changes: Vec<Change>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

/// A token for the bracket diff: a word, one bracket, or one other mark; spaces are skipped.
struct Tok<'a> {
    text: &'a str,
    start: usize,
    word: bool,
}

fn toks(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = it.peek() {
                if !n.is_alphanumeric() {
                    break;
                }
                end = j + n.len_utf8();
                it.next();
            }
            out.push(Tok {
                text: &text[i..end],
                start: i,
                word: true,
            });
        } else {
            out.push(Tok {
                text: &text[i..i + c.len_utf8()],
                start: i,
                word: false,
            });
        }
    }
    out
}

/// The new token each old token is kept as (a diff of words and marks).
fn matching(old: &[Tok], new: &[Tok]) -> Vec<Option<usize>> {
    let a: Vec<&str> = old.iter().map(|t| t.text).collect();
    let b: Vec<&str> = new.iter().map(|t| t.text).collect();
    let mut map = vec![None; a.len()];
    let deadline = Instant::now() + Duration::from_millis(200);
    for op in similar::capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(deadline)) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (x, y) in o.zip(n) {
                map[x] = Some(y);
            }
        }
    }
    map
}

/// Index of the token starting at byte `at`.
fn tok_at(ts: &[Tok], at: usize) -> Option<usize> {
    ts.binary_search_by_key(&at, |t| t.start).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Still,
    Agreed,
    Dropped,
}

/// Shorten a piece of text for a note line.
fn short(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 60 {
        return s;
    }
    let head: String = s.chars().take(57).collect();
    format!("{}...", head.trim_end())
}

/// The bracket changes from `old` to `new` (either may be empty: an added or deleted text).
pub fn compare(old: &str, new: &str) -> Changes {
    let ob = parse(old);
    let nb = parse(new);
    let mut out = Changes::default();
    if ob.is_empty() && nb.is_empty() {
        return out;
    }
    let ot = toks(old);
    let nt = toks(new);
    let map = matching(&ot, &nt);
    // The new bracket an old bracket's kept `[` (or `]`) belongs to.
    let new_at = |tok: usize| -> Option<usize> {
        let at = nt.get(tok)?.start;
        nb.iter()
            .position(|b| (b.opened_here && b.open == at) || (b.closed_here && b.close == at))
    };
    let words_in = |b: &Bracket| -> Vec<usize> {
        (0..ot.len())
            .filter(|&i| ot[i].start > b.open && ot[i].start < b.close && ot[i].word)
            .collect()
    };
    // New brackets that stand for an old one (their markers kept).
    let mut continued = vec![false; nb.len()];
    // What became of each old bracket.
    let fates: Vec<Fate> = ob
        .iter()
        .map(|b| {
            let inner = words_in(b);
            let marker = [
                b.opened_here.then_some(b.open),
                b.closed_here.then_some(b.close),
            ]
            .into_iter()
            .flatten()
            .find_map(|pos| tok_at(&ot, pos).and_then(|i| map[i]))
            .and_then(new_at);
            if let Some(j) = marker {
                // Still bracketed, unless none of its words are inside the new bracket (the
                // bracketed text was replaced: a bracket dropped, another opened).
                let nbk = &nb[j];
                let inside = inner.iter().any(|&i| {
                    map[i].is_some_and(|t| nt[t].start > nbk.open && nt[t].start < nbk.close)
                });
                if inside || inner.is_empty() {
                    continued[j] = true;
                    return Fate::Still;
                }
                return Fate::Dropped;
            }
            let keep = inner.iter().filter(|&&i| map[i].is_some()).count();
            if !inner.is_empty() && keep * 2 >= inner.len() {
                Fate::Agreed
            } else {
                Fate::Dropped
            }
        })
        .collect();
    let mut done = vec![false; ob.len()];
    for run in alternatives(old, &ob) {
        if run.iter().any(|&i| fates[i] == Fate::Still) {
            continue;
        }
        let agreed: Vec<usize> = run
            .iter()
            .copied()
            .filter(|&i| fates[i] == Fate::Agreed)
            .collect();
        if agreed.len() == 1 {
            let first = &ob[run[0]];
            let last = &ob[run[run.len() - 1]];
            out.counts.resolved += 1;
            out.changes.push(Change {
                kind: ChangeKind::Resolved,
                old: short(old.get(first.open..last.close + 1).unwrap_or("")),
                new: short(ob[agreed[0]].inner(old)),
            });
            for &i in &run {
                done[i] = true;
            }
        }
    }
    for (i, b) in ob.iter().enumerate() {
        if done[i] {
            continue;
        }
        match fates[i] {
            Fate::Still => {}
            Fate::Agreed => {
                out.counts.agreed += 1;
                out.changes.push(Change {
                    kind: ChangeKind::Agreed,
                    old: short(b.outer(old)),
                    new: short(b.inner(old)),
                });
            }
            Fate::Dropped => {
                out.counts.dropped += 1;
                out.changes.push(Change {
                    kind: ChangeKind::Dropped,
                    old: short(b.outer(old)),
                    new: String::new(),
                });
            }
        }
    }
    for (j, b) in nb.iter().enumerate() {
        if !continued[j] {
            out.counts.opened += 1;
            out.changes.push(Change {
                kind: ChangeKind::Opened,
                old: String::new(),
                new: short(b.outer(new)),
            });
        }
    }
    out
}

/// What is wrong with a bracket.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Problem {
    /// A `[` that no `]` closes before the end of its section.
    Unclosed,
    /// A `]` with no `[` before it in its section.
    Unopened,
}

impl Problem {
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::Unclosed => "unclosed '['",
            Problem::Unopened => "']' with no '['",
        }
    }
}

/// An unbalanced bracket, for `check`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unbalanced {
    /// The label of the node (`Art.4.2`), or `fn N` for a footnote.
    pub label: String,
    /// The source line the bracket is on (for a footnote: where its definition starts).
    pub line: usize,
    /// Byte offset of the bracket in the node's text.
    pub offset: usize,
    pub problem: Problem,
    /// A few words around the bracket.
    pub context: String,
}

fn context(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(30);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 30).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut s = String::new();
    if start > 0 {
        s.push_str("...");
    }
    s.push_str(&text[start..end]);
    if end < text.len() {
        s.push_str("...");
    }
    s
}

/// Brackets that do not balance. Brackets are matched across the nodes of a section (a `[`
/// at the start of paragraph 14 may close at the end of paragraph 15), never across sections;
/// each footnote balances on its own.
pub fn unbalanced(d: &Draft) -> Vec<Unbalanced> {
    let mut out = Vec::new();
    // Open brackets: (node index, offset).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut section: Option<&str> = None;
    let flush = |stack: &mut Vec<(usize, usize)>, out: &mut Vec<Unbalanced>| {
        for (ni, at) in stack.drain(..) {
            let n = &d.nodes[ni];
            out.push(Unbalanced {
                label: n.label.clone(),
                line: n.line_of(at),
                offset: at,
                problem: Problem::Unclosed,
                context: context(&n.text, at),
            });
        }
    };
    for (ni, n) in d.nodes.iter().enumerate() {
        if n.section.as_deref() != section {
            flush(&mut stack, &mut out);
            section = n.section.as_deref();
        }
        for (at, open) in marks(&n.text) {
            if open {
                stack.push((ni, at));
            } else if stack.pop().is_none() {
                out.push(Unbalanced {
                    label: n.label.clone(),
                    line: n.line_of(at),
                    offset: at,
                    problem: Problem::Unopened,
                    context: context(&n.text, at),
                });
            }
        }
    }
    flush(&mut stack, &mut out);
    for f in &d.footnotes {
        for b in parse(&f.text) {
            if b.opened_here && b.closed_here {
                continue;
            }
            let (problem, at) = if b.opened_here {
                (Problem::Unclosed, b.open)
            } else {
                (Problem::Unopened, b.close)
            };
            out.push(Unbalanced {
                label: format!("fn {}", f.number),
                line: f.line,
                offset: at,
                problem,
                context: context(&f.text, at),
            });
        }
    }
    out.sort_by_key(|u| (u.line, u.offset));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_pairs_and_footnote_marks() {
        let t = "a [b [c] d] e[^4] [f]";
        let bs = parse(t);
        assert_eq!(bs.len(), 3);
        assert_eq!(bs[0].inner(t), "b [c] d");
        assert_eq!(bs[1].inner(t), "c");
        assert_eq!(bs[1].depth, 1);
        assert_eq!(bs[1].parent, Some(0));
        assert_eq!(bs[2].outer(t), "[f]");
    }

    #[test]
    fn unclosed_and_stray() {
        let bs = parse("x] y [z");
        assert_eq!(bs.len(), 2);
        assert!(!bs[0].opened_here && bs[0].closed_here);
        assert!(bs[1].opened_here && !bs[1].closed_here);
        assert_eq!(open_depth("[a [b] c"), 1);
    }

    #[test]
    fn alternatives_resolved() {
        let c = compare(
            "The CMA shall undertake its first global stocktake in [2023][2024] and every five years",
            "The CMA shall undertake its first global stocktake in 2023 and every five years",
        );
        assert_eq!(
            c.counts,
            Counts {
                resolved: 1,
                ..Counts::default()
            }
        );
        assert_eq!(c.changes[0].old, "[2023][2024]");
        assert_eq!(c.changes[0].new, "2023");
    }

    #[test]
    fn agreed_dropped_opened() {
        let c = compare(
            "A mechanism to facilitate implementation of [and promote compliance with] the provisions [of this Agreement as a whole]",
            "A mechanism to facilitate implementation of and promote compliance with the provisions [hereby]",
        );
        assert_eq!(c.counts.agreed, 1);
        assert_eq!(c.counts.dropped, 1);
        assert_eq!(c.counts.opened, 1);
        assert_eq!(c.counts.resolved, 0);
    }

    #[test]
    fn spaced_optional_words_kept_are_agreed() {
        let c = compare(
            "provide [new,] [additional,] resources",
            "provide new, additional, resources",
        );
        assert_eq!(c.counts.agreed, 2);
        assert_eq!(c.counts.resolved, 0);
    }

    #[test]
    fn unchanged_brackets_are_no_change() {
        assert!(compare("[shall][should] act", "[shall][should] act now").is_empty());
    }
}
