//! Diff: the redline of two aligned drafts. For each group of corresponding nodes, a
//! word-level diff (punctuation its own token, footnote citations compared by reconciled
//! footnote), cleaned up for reading; each change classified for triage. Bracket changes
//! (opened, agreed, dropped, resolved; see [`crate::brackets`]) are reported per entry and
//! classed `brackets`, apart from ordinary edits.

pub mod metadata;
pub mod tokens;

use crate::align::footnotes::{FootnotePair, reconcile};
use crate::align::{Alignment, Group, align};
use crate::brackets::{self, Changes};
use crate::model::{Draft, Family, Node, NodeKind};
use serde::Serialize;
use tokens::{CiteKey, Kind, Token};

/// Above this many token pairs, a word diff is long enough that the diff's heuristics for long
/// inputs may cut its search short; the redline then says so in a note.
const LONG_DIFF: usize = 4_000_000;

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Equal,
    Delete,
    Insert,
}

/// A footnote citation inside a redline: its number in the old and in the new draft, and the
/// footnote row (`Redline::footnotes`) it cites, when its footnote is defined: a number may be
/// defined more than once (annexes that restart numbering), so only the row says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CiteRef {
    pub old: Option<u32>,
    pub new: Option<u32>,
    #[serde(skip)]
    pub entry: Option<usize>,
}

/// One operation of a redline: a run of text, or a footnote citation (empty text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    pub op: Tag,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footnote: Option<CiteRef>,
}

/// What happened to a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Unchanged,
    Modified,
    Added,
    Deleted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Modified => "modified",
            Status::Added => "added",
            Status::Deleted => "deleted",
        }
    }
}

/// The kind of a change, for triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Only punctuation changed.
    Punctuation,
    /// Only typography changed: quotes, dashes, spacing, soft hyphens.
    Typographic,
    /// Only footnote citations changed.
    Citation,
    /// Words changed.
    Substantive,
    /// A change of modality or force: shall/should/may/will, urges/encourages/invites/...,
    /// "States" against "some States". Significant.
    Modality,
    /// Square brackets opened, or removed (text agreed or dropped, alternatives resolved).
    Brackets,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Punctuation => "punctuation",
            Class::Typographic => "typographic",
            Class::Citation => "citation",
            Class::Substantive => "substantive",
            Class::Modality => "modality",
            Class::Brackets => "brackets",
        }
    }
}

/// One entry of the redline: a node of the old draft, of the new one, or both.
#[derive(Debug, Clone)]
pub struct Entry {
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub status: Status,
    /// Moved to another section, or out of order within its section.
    pub moved: bool,
    /// Part of a split (one old node became several new ones).
    pub split: bool,
    /// Part of a merge (several old nodes became one new one).
    pub merged: bool,
    pub classes: Vec<Class>,
    pub ops: Vec<Op>,
    /// What happened to square brackets between the two sides.
    pub brackets: Changes,
}

impl Entry {
    /// Whether the entry reports a difference: an edit, an addition or deletion, a move, a
    /// split or a merge. A renumbered, unchanged paragraph is no difference.
    pub fn is_change(&self) -> bool {
        self.status != Status::Unchanged || self.moved || self.split || self.merged
    }
}

/// What happened to a footnote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FootnoteStatus {
    Unchanged,
    Renumbered,
    Modified,
    Added,
    Deleted,
}

impl FootnoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FootnoteStatus::Unchanged => "unchanged",
            FootnoteStatus::Renumbered => "renumbered",
            FootnoteStatus::Modified => "modified",
            FootnoteStatus::Added => "added",
            FootnoteStatus::Deleted => "deleted",
        }
    }
}

/// One row of the footnote reconciliation.
#[derive(Debug, Clone)]
pub struct FootnoteEntry {
    pub old: Option<u32>,
    pub new: Option<u32>,
    /// Which definitions these are (indices into `Draft::footnotes`; a number may be defined
    /// more than once).
    pub old_note: Option<usize>,
    pub new_note: Option<usize>,
    pub status: FootnoteStatus,
    pub ops: Vec<Op>,
}

impl FootnoteEntry {
    /// Whether the footnote reports a difference: its text edited, the footnote added or
    /// dropped. A renumbered footnote is no difference.
    pub fn is_change(&self) -> bool {
        !matches!(
            self.status,
            FootnoteStatus::Unchanged | FootnoteStatus::Renumbered
        )
    }
}

/// The redline of two drafts.
#[derive(Debug)]
pub struct Redline<'a> {
    pub old: &'a Draft,
    pub new: &'a Draft,
    pub alignment: Alignment,
    pub entries: Vec<Entry>,
    pub footnotes: Vec<FootnoteEntry>,
    /// Where the tool had to give up some precision, said plainly.
    pub notes: Vec<String>,
    /// Whether brackets are tracked: a treaty, or a draft holding square brackets. Output
    /// shows bracket counts only then.
    pub brackets: bool,
    /// Front matter, editor's notes, link definitions and layout directives that differ.
    pub metadata: Vec<metadata::MetaEntry>,
    /// Entries and footnotes whose typographic-only change [`Redline::hide_typography`] hid;
    /// `None` when typography was not hidden.
    pub typographic_hidden: Option<usize>,
}

impl Redline<'_> {
    pub fn old_node(&self, e: &Entry) -> Option<&Node> {
        e.old.map(|i| &self.old.nodes[i])
    }
    pub fn new_node(&self, e: &Entry) -> Option<&Node> {
        e.new.map(|i| &self.new.nodes[i])
    }

    /// Hide typographic-only changes (`--ignore-typography`): an entry whose only class is
    /// typographic reads as unchanged, its diff the new text; so does a footnote whose text
    /// changed only in typography. Moves, splits and merges stay reported. Returns how many
    /// entries and footnotes it hid, also kept in `typographic_hidden`.
    pub fn hide_typography(&mut self) -> usize {
        let mut hidden = 0;
        for e in &mut self.entries {
            if e.status == Status::Modified && e.classes == [Class::Typographic] {
                e.status = Status::Unchanged;
                e.classes.clear();
                e.ops = accept_insertions(&e.ops);
                hidden += 1;
            }
        }
        for f in &mut self.footnotes {
            let texts = (
                f.old_note.and_then(|k| self.old.footnotes.get(k)),
                f.new_note.and_then(|k| self.new.footnotes.get(k)),
            );
            if f.status == FootnoteStatus::Modified
                && let (Some(o), Some(n)) = texts
                && typographic_normal(&o.text) == typographic_normal(&n.text)
            {
                f.status = if o.number == n.number {
                    FootnoteStatus::Unchanged
                } else {
                    FootnoteStatus::Renumbered
                };
                f.ops = accept_insertions(&f.ops);
                hidden += 1;
            }
        }
        *self.typographic_hidden.get_or_insert(0) += hidden;
        hidden
    }

    /// Whether anything differs (renumbering alone is no difference).
    pub fn has_changes(&self) -> bool {
        self.entries.iter().any(Entry::is_change)
            || self.footnotes.iter().any(FootnoteEntry::is_change)
    }
}

/// The operations with every deletion dropped and every insertion made equal: the new text.
fn accept_insertions(ops: &[Op]) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::new();
    for op in ops.iter().filter(|o| o.op != Tag::Delete) {
        match out.last_mut() {
            Some(last) if last.footnote.is_none() && op.footnote.is_none() => {
                last.text.push_str(&op.text)
            }
            _ => out.push(Op {
                op: Tag::Equal,
                ..op.clone()
            }),
        }
    }
    out
}

/// Compute the redline of two drafts.
pub fn redline<'a>(old: &'a Draft, new: &'a Draft) -> Redline<'a> {
    redline_aligned(old, new, align(old, new))
}

/// The redline of two drafts already aligned (footnote reconciliation, word diffs, classes).
pub fn redline_aligned<'a>(old: &'a Draft, new: &'a Draft, alignment: Alignment) -> Redline<'a> {
    let pairs = reconcile(old, new, &alignment);
    let keys = CiteKeys::new(&pairs, &alignment, old, new);
    let moved = moved_groups(old, &alignment);
    let track = tracks_brackets(old) || tracks_brackets(new);
    let groups = &alignment.groups;
    // Room for the largest comparison made once (grown group by group, the buffers were
    // copied over again and again).
    let (o_room, n_room) = groups.iter().fold((0, 0), |(o, n), g| {
        (
            o.max(token_room(old, &g.old)),
            n.max(token_room(new, &g.new)),
        )
    });
    let mut buf = Buffers::with_room(o_room, n_room);
    // Notes keep their order: the groups', then the footnotes'.
    let mut notes = Vec::new();
    let mut entries = Vec::with_capacity(groups.len());
    for (g, &moved) in groups.iter().zip(&moved) {
        let mut es = group_entries(old, new, g, moved, &keys, &mut notes, &mut buf);
        if track {
            for e in &mut es {
                add_brackets(e);
            }
        }
        entries.append(&mut es);
    }
    // The footnotes' entries (their own word diffs), from each pair's definitions (a number
    // may be defined more than once).
    let footnotes: Vec<_> = pairs
        .iter()
        .map(|p| {
            let of = p.old_note.and_then(|k| old.footnotes.get(k));
            let nf = p.new_note.and_then(|k| new.footnotes.get(k));
            footnote_entry(of, nf, p, &mut notes, &mut buf)
        })
        .collect();
    sort_entries(&mut entries, &alignment, &moved);
    Redline {
        old,
        new,
        alignment,
        entries,
        footnotes,
        notes,
        brackets: track,
        metadata: metadata::compare(&old.metadata, &new.metadata),
        typographic_hidden: None,
    }
}

/// Whether bracket changes are worth tracking for a draft: a treaty, or any bracket in it.
fn tracks_brackets(d: &Draft) -> bool {
    d.family == Family::Treaty || d.nodes.iter().any(|n| brackets::count(&n.text) > 0)
}

/// The bracket changes of an entry, from its own share of each side, and the class.
fn add_brackets(e: &mut Entry) {
    if e.status == Status::Unchanged {
        return;
    }
    let old = side_text(&e.ops, Tag::Delete);
    let new = side_text(&e.ops, Tag::Insert);
    let (old, new) = match e.status {
        Status::Added => (String::new(), new),
        Status::Deleted => (old, String::new()),
        _ => (old, new),
    };
    e.brackets = brackets::compare(&old, &new);
    if e.status != Status::Modified {
        return;
    }
    // Only brackets changed: that is the class, not punctuation. Also when no bracket pair
    // changed its fate (a lone `]` removed leaves its bracket open to the text's end: the
    // pair is still there, but a mark of it went).
    let changed = || e.ops.iter().filter(|o| o.op != Tag::Equal);
    let only_brackets = changed().all(|o| {
        o.footnote.is_none()
            && o.text
                .chars()
                .all(|c| c == '[' || c == ']' || c.is_whitespace())
    }) && changed().any(|o| o.text.contains(['[', ']']));
    if e.brackets.is_empty() && !only_brackets {
        return;
    }
    if only_brackets {
        e.classes = vec![Class::Brackets];
    } else {
        e.classes.push(Class::Brackets);
    }
}

/// Comparison keys of footnote citations: citations of reconciled footnotes share a key.
/// Each citation's key is its own (the definition it refers to, as reconciliation read it:
/// a number may be defined more than once), in the order of the nodes and of
/// `Node::citations`.
struct CiteKeys {
    old: Vec<CiteKey>,
    old_starts: Vec<usize>,
    new: Vec<CiteKey>,
    new_starts: Vec<usize>,
}

impl CiteKeys {
    fn new(pairs: &[FootnotePair], alignment: &Alignment, old: &Draft, new: &Draft) -> Self {
        let words = crate::align::footnotes::FootnoteWords::of(alignment, old, new);
        let mut old_pair = vec![None; old.footnotes.len()];
        let mut new_pair = vec![None; new.footnotes.len()];
        for (i, p) in pairs.iter().enumerate() {
            if let Some(k) = p.old_note {
                old_pair[k] = Some(i as u32);
            }
            if let Some(k) = p.new_note {
                new_pair[k] = Some(i as u32);
            }
        }
        let keys =
            |d: &Draft, pair: &[Option<u32>], note: &dyn Fn(usize, usize) -> Option<usize>| {
                let mut keys = Vec::new();
                let mut starts = Vec::with_capacity(d.nodes.len() + 1);
                for (k, n) in d.nodes.iter().enumerate() {
                    starts.push(keys.len());
                    keys.extend(n.citations.iter().enumerate().map(|(c, cite)| {
                        CiteKey {
                            key: note(k, c)
                                .and_then(|f| pair[f])
                                .unwrap_or_else(|| undefined(cite.footnote)),
                            number: cite.footnote,
                        }
                    }));
                }
                starts.push(keys.len());
                (keys, starts)
            };
        let (old_keys, old_starts) = keys(old, &old_pair, &|k, c| words.old_note(k, c));
        let (new_keys, new_starts) = keys(new, &new_pair, &|k, c| words.new_note(k, c));
        CiteKeys {
            old: old_keys,
            old_starts,
            new: new_keys,
            new_starts,
        }
    }

    /// The keys of old node `k`'s citations, in the order of `Node::citations`.
    fn old_keys(&self, k: usize) -> &[CiteKey] {
        &self.old[self.old_starts[k]..self.old_starts[k + 1]]
    }

    /// The keys of new node `k`'s citations.
    fn new_keys(&self, k: usize) -> &[CiteKey] {
        &self.new[self.new_starts[k]..self.new_starts[k + 1]]
    }
}

/// The key of a citation of a footnote that is not defined: it compares by its number (keys of
/// reconciled footnotes count from zero, far below).
fn undefined(n: u32) -> u32 {
    1 << 31 | n
}

/// The footnote row a citation's key names: the key of a reconciled footnote is the index of
/// its pair, and the rows follow the pairs.
fn row_of(key: u32) -> Option<usize> {
    (key & 1 << 31 == 0).then_some(key as usize)
}

/// A node's tokens with its citations as tokens at their offsets (`keys`: those of its
/// citations, in the order of `Node::citations`).
fn node_tokens<'n>(node: &'n Node, keys: &[CiteKey], out: &mut Vec<Token<'n>>) {
    if node.citations.is_empty() {
        out.extend(tokens::Tokens::new(&node.text));
        return;
    }
    let mut cites: Vec<_> = node.citations.iter().zip(keys).collect();
    cites.sort_by_key(|(c, _)| c.offset);
    out.reserve(node.text.len() / 3 + cites.len());
    let mut ci = 0;
    let mut pos = 0;
    for t in tokens::Tokens::new(&node.text) {
        while ci < cites.len() && cites[ci].0.offset <= pos {
            out.push(cite_token(*cites[ci].1));
            ci += 1;
        }
        pos += t.text.len();
        out.push(t);
    }
    while ci < cites.len() {
        out.push(cite_token(*cites[ci].1));
        ci += 1;
    }
}

fn cite_token<'n>(k: CiteKey) -> Token<'n> {
    Token {
        kind: Kind::Cite,
        text: "",
        cite: k,
    }
}

/// The comparison key of a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'a> {
    Text(&'a str),
    Space,
    Cite(u32),
    /// A boundary between the parts of a split or merge; never equal to anything.
    Sep(usize),
}

fn key<'a>(t: &Token<'a>, sep: usize) -> Key<'a> {
    match t.kind {
        // Spacing is layout (ingest collapsed it to one space), except a no-break space,
        // which is typography and compares as itself.
        Kind::Space if t.text.contains(crate::ingest::is_no_break_space) => Key::Text(t.text),
        Kind::Space => Key::Space,
        Kind::Cite => Key::Cite(t.cite.key),
        _ if t.text.is_empty() => Key::Sep(sep),
        _ => Key::Text(t.text),
    }
}

/// One atom of a diff: an old token, a new token, or both (equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Atom {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The working buffers of word diffs, kept from one comparison to the next: a redline
/// compares a hundred paragraphs or more, and allocating afresh for each costs more than the
/// comparison itself.
#[derive(Default)]
struct Buffers<'a> {
    /// Tokens of the old and new side of a group, and where each of its parts starts and ends.
    old_tokens: Vec<Token<'a>>,
    new_tokens: Vec<Token<'a>>,
    old_parts: Vec<std::ops::Range<usize>>,
    new_parts: Vec<std::ops::Range<usize>>,
    /// The comparison key of each token of a side.
    old_keys: Vec<Key<'a>>,
    new_keys: Vec<Key<'a>>,
    /// A number for each distinct key, so the diff compares numbers, not strings.
    key_ids: rustc_hash::FxHashMap<Key<'a>, u32>,
    /// The numbers of the compared tokens of a side (plain spaces left out), and where each
    /// of those tokens is among all the side's tokens.
    old_ids: Vec<imara_diff::Token>,
    old_at: Vec<usize>,
    new_ids: Vec<imara_diff::Token>,
    new_at: Vec<usize>,
    diff: imara_diff::Diff,
    /// The diff's equal and changed runs over the compared tokens.
    runs: Vec<Run>,
    /// Characters and words before each token from the first change on (see [`cleanup`]).
    prefix: [Vec<usize>; 3],
    atoms: Vec<Atom>,
}

impl Buffers<'_> {
    /// Buffers with room for comparisons of up to `old` and `new` tokens a side (as
    /// [`token_room`] counts them), so that none grows while they are used.
    fn with_room(old: usize, new: usize) -> Self {
        let (o, n) = (old + 1, new + 1);
        Buffers {
            old_tokens: Vec::with_capacity(o),
            new_tokens: Vec::with_capacity(n),
            old_keys: Vec::with_capacity(o),
            new_keys: Vec::with_capacity(n),
            // Distinct keys: about half the tokens, as [`compared`] reserves them.
            key_ids: rustc_hash::FxHashMap::with_capacity_and_hasher(
                (o + n) / 2,
                Default::default(),
            ),
            old_ids: Vec::with_capacity(o),
            old_at: Vec::with_capacity(o),
            new_ids: Vec::with_capacity(n),
            new_at: Vec::with_capacity(n),
            prefix: [o, o, n].map(Vec::with_capacity),
            atoms: Vec::with_capacity(o + n),
            ..Buffers::default()
        }
    }
}

/// Room for the tokens of some nodes of a draft compared as one side of a group: their words,
/// marks and spaces, their citations and a boundary between parts.
fn token_room(d: &Draft, nodes: &[usize]) -> usize {
    nodes
        .iter()
        .map(|&i| d.nodes[i].text.len() / 3 + d.nodes[i].citations.len() + 1)
        .sum()
}

/// Word-level diff of two token streams, cleaned up for reading, as atoms (in `buf.atoms`).
///
/// Plain spaces (layout: every one compares equal to every other) are left out of the
/// comparison and put back around the words they separate, so the subsequence search works on
/// about half the tokens and never anchors a diff on a space.
fn diff_atoms<'a>(
    old: &[Token<'a>],
    new: &[Token<'a>],
    notes: &mut Vec<String>,
    what: impl Fn() -> String,
    buf: &mut Buffers<'a>,
) {
    let Buffers {
        old_keys,
        new_keys,
        key_ids,
        old_ids,
        old_at,
        new_ids,
        new_at,
        diff,
        runs,
        prefix,
        atoms,
        ..
    } = buf;
    atoms.clear();
    if old.is_empty() || new.is_empty() {
        atoms.extend((0..old.len()).map(Atom::Delete));
        atoms.extend((0..new.len()).map(Atom::Insert));
        return;
    }
    old_keys.clear();
    old_keys.extend(old.iter().enumerate().map(|(i, t)| key(t, i)));
    new_keys.clear();
    new_keys.extend(new.iter().enumerate().map(|(i, t)| key(t, usize::MAX - i)));
    if old_keys == new_keys {
        atoms.extend((0..old.len()).map(|i| Atom::Equal(i, i)));
        return;
    }
    // Compare numbers, not strings: each distinct key gets an id; plain spaces are left out
    // (`old_at`/`new_at`: where each compared token is in the full stream).
    key_ids.clear();
    compared(old_keys, key_ids, old_ids, old_at);
    compared(new_keys, key_ids, new_ids, new_at);
    // Histogram diff (patience-like: anchored on rare words, so it reads well), with git's
    // heuristics that keep very long inputs near linear; those may mark more than a minimal
    // diff would, so a long comparison says so.
    diff.compute_with(
        imara_diff::Algorithm::Histogram,
        old_ids,
        new_ids,
        key_ids.len() as u32,
    );
    diff.postprocess_with(old_ids, new_ids, imara_diff::NoSliderHeuristic);
    runs.clear();
    let (mut po, mut pn) = (0, 0);
    for h in diff.hunks() {
        let (b, a) = (
            h.before.start as usize..h.before.end as usize,
            h.after.start as usize..h.after.end as usize,
        );
        if b.start > po {
            runs.push(Run::Equal(po..b.start, pn..a.start));
        }
        (po, pn) = (b.end, a.end);
        runs.push(Run::Change(b, a));
    }
    if po < old_ids.len() {
        runs.push(Run::Equal(po..old_ids.len(), pn..new_ids.len()));
    }
    match coarseness(old_ids, new_ids, runs) {
        Coarse::No => {}
        Coarse::Unchecked => notes.push(format!(
            "{}: a very long comparison; its word diff may mark more text than a minimal one would (no change is hidden)",
            what()
        )),
        Coarse::By(extra) => notes.push(format!(
            "{}: a long passage; its word diff keeps {extra} fewer words and marks unchanged than a minimal diff would (no change is hidden)",
            what()
        )),
    }
    let spaced = with_spaces(runs, (old_keys, old_at), (new_keys, new_at));
    let clean = cleanup(spaced, old, new, prefix);
    emptied(atoms, old.len() + new.len());
    for r in clean {
        match r {
            Run::Equal(o, n) => atoms.extend(o.zip(n).map(|(a, b)| Atom::Equal(a, b))),
            Run::Change(o, n) => {
                atoms.extend(o.map(Atom::Delete));
                atoms.extend(n.map(Atom::Insert));
            }
        }
    }
}

/// How much more than a minimal word diff a diff marks.
enum Coarse {
    /// Nothing more: it is minimal, or too short for the heuristics to have acted.
    No,
    /// Too long to check (over `LONG_DIFF` token pairs): it may mark more.
    Unchecked,
    /// This many tokens on each side more than the longest common subsequence would.
    By(usize),
}

/// Whether the diff's heuristics for long inputs may have cut its search short, so that the
/// redline marks more than it must. They act only once an edit script passes 256 steps, so a
/// comparison of at most 512 tokens is left alone. A longer one is checked against the longest
/// common subsequence; one too long to check always says it may be coarse.
fn coarseness(old: &[imara_diff::Token], new: &[imara_diff::Token], runs: &[Run]) -> Coarse {
    if old.len() + new.len() <= 512 {
        return Coarse::No;
    }
    if old.len().saturating_mul(new.len()) > LONG_DIFF {
        return Coarse::Unchecked;
    }
    let kept: usize = runs
        .iter()
        .map(|r| match r {
            Run::Equal(o, _) => o.len(),
            Run::Change(..) => 0,
        })
        .sum();
    match rapidfuzz::distance::lcs_seq::similarity(old.iter().map(|t| t.0), new.iter().map(|t| t.0))
    {
        lcs if lcs > kept => Coarse::By(lcs - kept),
        _ => Coarse::No,
    }
}

/// The ids of the keys compared (all but plain spaces) into `out`, and where each is in
/// `keys` into `at`.
fn compared<'k>(
    keys: &[Key<'k>],
    ids: &mut rustc_hash::FxHashMap<Key<'k>, u32>,
    out: &mut Vec<imara_diff::Token>,
    at: &mut Vec<usize>,
) {
    out.clear();
    at.clear();
    ids.reserve(keys.len() / 2);
    for (i, k) in keys.iter().enumerate() {
        if *k == Key::Space {
            continue;
        }
        let next = ids.len() as u32;
        out.push(imara_diff::Token(*ids.entry(k.clone()).or_insert(next)));
        at.push(i);
    }
}

/// Runs over the compared tokens (spaces left out) as runs over the full streams. The spaces
/// between two equal tokens are equal when both sides have the same; the spaces around a
/// change go into it (the clean-up moves shared ones back out).
fn with_spaces(runs: &[Run], old: (&[Key], &[usize]), new: (&[Key], &[usize])) -> Vec<Run> {
    let (ok, ox) = old;
    let (nk, nx) = new;
    let mut out: Vec<Run> = Vec::with_capacity(runs.len() * 2);
    let (mut po, mut pn) = (0, 0);
    let push = |out: &mut Vec<Run>, r: Run| match r {
        Run::Equal(o, n) => push_equal(out, o, n),
        Run::Change(o, n) => match out.last_mut() {
            Some(Run::Change(lo, ln)) if lo.end == o.start && ln.end == n.start => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => out.push(Run::Change(o, n)),
        },
    };
    // The gaps before full positions `o` and `n`: equal when they read the same.
    let gap = |out: &mut Vec<Run>, po: usize, pn: usize, o: usize, n: usize| {
        if po == o && pn == n {
            return;
        }
        if ok[po..o] == nk[pn..n] {
            push(out, Run::Equal(po..o, pn..n));
        } else {
            push(out, Run::Change(po..o, pn..n));
        }
    };
    for r in runs {
        match r {
            Run::Equal(o, n) => {
                for (a, b) in o.clone().zip(n.clone()) {
                    gap(&mut out, po, pn, ox[a], nx[b]);
                    push(&mut out, Run::Equal(ox[a]..ox[a] + 1, nx[b]..nx[b] + 1));
                    po = ox[a] + 1;
                    pn = nx[b] + 1;
                }
            }
            Run::Change(o, n) => {
                // Up to the next compared token of each side, spaces included.
                let oe = ox.get(o.end).copied().unwrap_or(ok.len());
                let ne = nx.get(n.end).copied().unwrap_or(nk.len());
                // A space both sides have at either end of the change is equal text, as a
                // diff of the full streams would have it.
                let (mut o, mut n) = (po..oe, pn..ne);
                if !o.is_empty()
                    && !n.is_empty()
                    && ok[o.start] == Key::Space
                    && nk[n.start] == Key::Space
                {
                    push(
                        &mut out,
                        Run::Equal(o.start..o.start + 1, n.start..n.start + 1),
                    );
                    o.start += 1;
                    n.start += 1;
                }
                let tail = !o.is_empty()
                    && !n.is_empty()
                    && ok[o.end - 1] == Key::Space
                    && nk[n.end - 1] == Key::Space;
                if tail {
                    o.end -= 1;
                    n.end -= 1;
                }
                if !o.is_empty() || !n.is_empty() {
                    push(&mut out, Run::Change(o.clone(), n.clone()));
                }
                if tail {
                    push(&mut out, Run::Equal(o.end..o.end + 1, n.end..n.end + 1));
                }
                po = oe;
                pn = ne;
            }
        }
    }
    gap(&mut out, po, pn, ok.len(), nk.len());
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    Equal(std::ops::Range<usize>, std::ops::Range<usize>),
    Change(std::ops::Range<usize>, std::ops::Range<usize>),
}

/// Make the diff read well: an equal run squeezed between two changes and no longer than
/// either is folded into them (diff-match-patch's semantic clean-up), so a replaced phrase
/// reads as one deletion and one insertion; spaces shared by both sides of a change move out.
fn cleanup(
    mut runs: Vec<Run>,
    old: &[Token],
    new: &[Token],
    prefix: &mut [Vec<usize>; 3],
) -> Vec<Run> {
    // Characters (and words) before each token, so a run's length is one subtraction.
    let count = |tokens: &[Token], c: &mut Vec<usize>, mut w: Option<&mut Vec<usize>>| {
        emptied(c, tokens.len() + 1);
        c.push(0);
        let (mut cs, mut ws) = (0, 0);
        if let Some(w) = w.as_deref_mut() {
            emptied(w, tokens.len() + 1);
            w.push(0);
        }
        for t in tokens {
            // Most tokens are ASCII: their length in bytes is their length in characters.
            let chars = if t.text.is_ascii() {
                t.text.len()
            } else {
                t.text.chars().count()
            };
            cs += chars.max(1);
            c.push(cs);
            if let Some(w) = w.as_deref_mut() {
                ws += (t.kind == Kind::Word) as usize;
                w.push(ws);
            }
        }
    };
    // Only runs from the first change to the last are ever measured: counted there alone
    // (nothing at all with fewer than two changes, where no equal run lies between two).
    let changes = || {
        runs.iter().filter_map(|r| match r {
            Run::Change(o, n) => Some((o.clone(), n.clone())),
            Run::Equal(..) => None,
        })
    };
    let (Some(first), Some(last)) = (changes().next(), changes().next_back()) else {
        return spaced_out(runs, old, new);
    };
    if changes().nth(1).is_none() {
        return spaced_out(runs, old, new);
    }
    let (o_from, n_from) = (first.0.start, first.1.start);
    let [oc, ow, nc] = prefix;
    count(&old[o_from..last.0.end], oc, Some(ow));
    count(&new[n_from..last.1.end], nc, None);
    let (oc, ow, nc) = (&*oc, &*ow, &*nc);
    let o_chars = |p: &[usize], r: &std::ops::Range<usize>| p[r.end - o_from] - p[r.start - o_from];
    let n_chars = |r: &std::ops::Range<usize>| nc[r.end - n_from] - nc[r.start - n_from];
    loop {
        let mut changed = false;
        let mut i = 1;
        while i + 1 < runs.len() {
            let (Run::Change(o1, n1), Run::Equal(eo, _en), Run::Change(o2, n2)) =
                (&runs[i - 1], &runs[i], &runs[i + 1])
            else {
                i += 1;
                continue;
            };
            let e_len = o_chars(oc, eo);
            let left = o_chars(oc, o1).max(n_chars(n1));
            let right = o_chars(oc, o2).max(n_chars(n2));
            let has_word = o_chars(ow, eo) > 0;
            if e_len <= left && e_len <= right || !has_word && e_len <= 3 {
                let merged = Run::Change(o1.start..o2.end, n1.start..n2.end);
                runs.splice(i - 1..i + 2, [merged]);
                changed = true;
            } else {
                i += 1;
            }
        }
        if !changed {
            break;
        }
    }
    spaced_out(runs, old, new)
}

/// Shared leading/trailing spaces of a change belong to the text around it.
fn spaced_out(runs: Vec<Run>, old: &[Token], new: &[Token]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for r in runs {
        match r {
            Run::Change(mut o, mut n) => {
                let same_space = |a: &Token, b: &Token| {
                    a.kind == Kind::Space && b.kind == Kind::Space && key(a, 0) == key(b, 0)
                };
                let mut lead = 0;
                while o.start + lead < o.end
                    && n.start + lead < n.end
                    && same_space(&old[o.start + lead], &new[n.start + lead])
                {
                    lead += 1;
                }
                if lead > 0 {
                    push_equal(&mut out, o.start..o.start + lead, n.start..n.start + lead);
                    o.start += lead;
                    n.start += lead;
                }
                let mut trail = 0;
                while o.end - trail > o.start
                    && n.end - trail > n.start
                    && same_space(&old[o.end - trail - 1], &new[n.end - trail - 1])
                {
                    trail += 1;
                }
                let tail = (o.end - trail..o.end, n.end - trail..n.end);
                o.end -= trail;
                n.end -= trail;
                if !o.is_empty() || !n.is_empty() {
                    out.push(Run::Change(o, n));
                }
                if trail > 0 {
                    push_equal(&mut out, tail.0, tail.1);
                }
            }
            Run::Equal(o, n) => push_equal(&mut out, o, n),
        }
    }
    out
}

fn push_equal(out: &mut Vec<Run>, o: std::ops::Range<usize>, n: std::ops::Range<usize>) {
    if let Some(Run::Equal(po, pn)) = out.last_mut()
        && po.end == o.start
        && pn.end == n.start
    {
        po.end = o.end;
        pn.end = n.end;
        return;
    }
    out.push(Run::Equal(o, n));
}

/// Turn atoms into operations: adjacent text of the same tag joins; citations stand alone.
fn ops_of<'t>(
    atoms: &[Atom],
    old: &[Token<'t>],
    new: &[Token<'t>],
    sources: &'t [&'t str],
) -> Vec<Op> {
    let mut ops: Vec<Op> = Vec::with_capacity(8);
    // The run of text being read (its tag).
    let mut run = RunText::new(sources);
    let mut run_tag: Option<Tag> = None;
    let flush = |ops: &mut Vec<Op>, run: &mut RunText, run_tag: &mut Option<Tag>| {
        if let Some(op) = run_tag.take() {
            ops.push(Op {
                op,
                text: run.take(),
                footnote: None,
            });
        }
    };
    for a in atoms {
        let (tag, tok, other) = match *a {
            Atom::Equal(o, n) => (Tag::Equal, &new[n], Some(&old[o])),
            Atom::Delete(o) => (Tag::Delete, &old[o], None),
            Atom::Insert(n) => (Tag::Insert, &new[n], None),
        };
        if tok.kind == Kind::Cite {
            flush(&mut ops, &mut run, &mut run_tag);
            // Its numbers in the old and the new draft (an equal citation has both).
            let number = Some(tok.cite.number);
            let (old_num, new_num) = match (tag, other) {
                (Tag::Equal, Some(o)) => (Some(o.cite.number), number),
                (Tag::Delete, _) => (number, None),
                _ => (None, number),
            };
            ops.push(Op {
                op: tag,
                text: String::new(),
                footnote: Some(CiteRef {
                    old: old_num,
                    new: new_num,
                    entry: row_of(tok.cite.key),
                }),
            });
            continue;
        }
        if tok.text.is_empty() {
            continue; // a part boundary
        }
        if run_tag != Some(tag) {
            flush(&mut ops, &mut run, &mut run_tag);
            run_tag = Some(tag);
        }
        run.push(tok.text);
    }
    flush(&mut ops, &mut run, &mut run_tag);
    // Keep spaces in the equal text: a change never starts or ends with a space that both
    // sides share (already ensured), and an equal run of only a space between a delete and an
    // insert reads as part of the replacement.
    ops
}

/// The text of a run of tokens, copied out once into a string of the right size. Tokens that
/// follow each other in the text they were read from (one of `sources`) are one stretch of
/// it, taken whole; a run has one stretch unless a citation or a part boundary cut it.
struct RunText<'t> {
    sources: &'t [&'t str],
    /// Stretches done, as slices.
    pieces: Vec<&'t str>,
    /// The stretch being read: its source and byte range there.
    stretch: Option<(&'t str, std::ops::Range<usize>)>,
}

impl<'t> RunText<'t> {
    fn new(sources: &'t [&'t str]) -> Self {
        RunText {
            sources,
            pieces: Vec::new(),
            stretch: None,
        }
    }

    fn push(&mut self, token: &'t str) {
        let at = token.as_ptr() as usize;
        if let Some((source, range)) = &mut self.stretch {
            let next = source.as_ptr() as usize + range.end;
            if at == next && range.end + token.len() <= source.len() {
                range.end += token.len();
                return;
            }
        }
        self.end_stretch();
        // Where the token is: the source that holds its bytes (a token from elsewhere is a
        // piece of its own).
        let found = self.sources.iter().find_map(|s| {
            let base = s.as_ptr() as usize;
            (at >= base && at + token.len() <= base + s.len())
                .then(|| (*s, at - base..at - base + token.len()))
        });
        match found {
            Some(stretch) => self.stretch = Some(stretch),
            None => self.pieces.push(token),
        }
    }

    fn end_stretch(&mut self) {
        if let Some((source, range)) = self.stretch.take() {
            self.pieces.push(&source[range]);
        }
    }

    /// The run's text; the run is empty after.
    fn take(&mut self) -> String {
        self.end_stretch();
        let text = match self.pieces[..] {
            [one] => one.to_string(),
            _ => self.pieces.concat(),
        };
        self.pieces.clear();
        text
    }
}

/// Empty `v` with room for `need` items, without copying what it held (`clear` and then
/// `reserve` would have the allocator copy the old contents into the larger block).
fn emptied<T>(v: &mut Vec<T>, need: usize) {
    v.clear();
    if v.capacity() < need {
        *v = Vec::with_capacity(need);
    }
}

fn sep_token<'n>() -> Token<'n> {
    Token {
        kind: Kind::Punct,
        text: "",
        cite: CiteKey::default(),
    }
}

/// Share the atoms of a split or merge among its parts (boundary tokens dropped).
fn partition(
    atoms: &[Atom],
    merged: bool,
    o_parts: &[std::ops::Range<usize>],
    n_parts: &[std::ops::Range<usize>],
    per_part: &mut [Vec<Atom>],
) {
    let mut cur = 0;
    let part_of = |ranges: &[std::ops::Range<usize>], idx: usize| {
        ranges.iter().position(|r| r.contains(&idx))
    };
    for a in atoms {
        let side_idx = match (*a, merged) {
            (Atom::Equal(o, _), true) | (Atom::Delete(o), true) => part_of(o_parts, o),
            (Atom::Equal(_, n), false) | (Atom::Insert(n), false) => part_of(n_parts, n),
            _ => None,
        };
        if let Some(p) = side_idx {
            cur = p;
        } else if matches!(
            (*a, merged),
            (Atom::Equal(..), _) | (Atom::Delete(_), true) | (Atom::Insert(_), false)
        ) {
            continue; // a boundary token
        }
        per_part[cur].push(*a);
    }
}

/// A group whose redline is one run of text: its status, the run's tag and its text. `None`
/// when the group needs a word diff (see [`whole_entry`]).
fn whole_run<'d>(old: &'d Draft, new: &'d Draft, g: &Group) -> Option<(Status, Tag, &'d str)> {
    let (o, n) = match (g.old.as_slice(), g.new.as_slice()) {
        (&[o], &[n]) => (Some(&old.nodes[o]), Some(&new.nodes[n])),
        (&[o], &[]) => (Some(&old.nodes[o]), None),
        (&[], &[n]) => (None, Some(&new.nodes[n])),
        _ => return None,
    };
    if o.is_some_and(|o| !o.citations.is_empty()) || n.is_some_and(|n| !n.citations.is_empty()) {
        return None;
    }
    match (o, n) {
        (Some(o), Some(n)) if o.text == n.text => Some((Status::Unchanged, Tag::Equal, &n.text)),
        (Some(o), None) => Some((Status::Deleted, Tag::Delete, &o.text)),
        (None, Some(n)) => Some((Status::Added, Tag::Insert, &n.text)),
        _ => None,
    }
}

/// The redline of a text that is one run (equal, deleted or inserted whole): what a word
/// diff would give, without one. An empty text has no run.
fn one_run(op: Tag, text: &str) -> Vec<Op> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Op {
            op,
            text: text.to_string(),
            footnote: None,
        }]
    }
}

/// The entry of a group whose redline is one run of text, with no word diff: a paragraph
/// added or deleted, or the same text on both sides, without footnote citations (a citation
/// would be a token of its own). `None` for any other group.
fn whole_entry(old: &Draft, new: &Draft, g: &Group, moved: bool) -> Option<Entry> {
    let (status, op, text) = whole_run(old, new, g)?;
    let ops = one_run(op, text);
    Some(Entry {
        old: g.old.first().copied(),
        new: g.new.first().copied(),
        status,
        moved,
        split: false,
        merged: false,
        classes: Vec::new(),
        ops,
        brackets: Changes::default(),
    })
}

fn group_entries<'a>(
    old: &'a Draft,
    new: &'a Draft,
    g: &Group,
    moved: bool,
    keys: &CiteKeys,
    notes: &mut Vec<String>,
    buf: &mut Buffers<'a>,
) -> Vec<Entry> {
    if let Some(e) = whole_entry(old, new, g, moved) {
        return vec![e];
    }
    // The token buffers are taken out while the diff uses the others, and put back after.
    let (mut ot, mut nt) = (
        std::mem::take(&mut buf.old_tokens),
        std::mem::take(&mut buf.new_tokens),
    );
    let (mut o_parts, mut n_parts) = (
        std::mem::take(&mut buf.old_parts),
        std::mem::take(&mut buf.new_parts),
    );
    // Tokens of each side, parts separated by a boundary token (room for them made first).
    emptied(&mut ot, token_room(old, &g.old));
    emptied(&mut nt, token_room(new, &g.new));
    o_parts.clear();
    n_parts.clear();
    for (k, &i) in g.old.iter().enumerate() {
        if k > 0 {
            ot.push(sep_token());
        }
        let start = ot.len();
        node_tokens(&old.nodes[i], keys.old_keys(i), &mut ot);
        o_parts.push(start..ot.len());
    }
    for (k, &i) in g.new.iter().enumerate() {
        if k > 0 {
            nt.push(sep_token());
        }
        let start = nt.len();
        node_tokens(&new.nodes[i], keys.new_keys(i), &mut nt);
        n_parts.push(start..nt.len());
    }
    let what = || match (g.old.first(), g.new.first()) {
        (Some(&o), _) => format!("{} {}", old.name, old.nodes[o].label),
        (None, Some(&n)) => format!("{} {}", new.name, new.nodes[n].label),
        _ => String::new(),
    };
    diff_atoms(&ot, &nt, notes, what, buf);
    let atoms = &buf.atoms;
    let split = g.is_split();
    let merged = g.is_merge();
    // Partition the atoms among the parts.
    let parts = if merged {
        g.old.len()
    } else {
        g.new.len().max(1)
    };
    let mut per_part: Vec<Vec<Atom>> = Vec::new();
    let whole = parts == 1 && g.old.len() <= 1 && g.new.len() <= 1;
    if !whole {
        // A part holds its own side's tokens and a share of the other side's: room for its own
        // and an even share (a part given more grows; room for the whole other side in every
        // part would take parts x tokens, too much for a split into many parts).
        let (own, other) = if merged {
            (&o_parts, nt.len())
        } else {
            (&n_parts, ot.len())
        };
        let share = other / parts + 1;
        per_part.extend(
            (0..parts).map(|p| Vec::with_capacity(own.get(p).map_or(0, |r| r.len()) + share)),
        );
        partition(atoms, merged, &o_parts, &n_parts, &mut per_part);
    }
    let sources: Vec<&str> = (g.old.iter().map(|&i| old.nodes[i].text.as_str()))
        .chain(g.new.iter().map(|&i| new.nodes[i].text.as_str()))
        .collect();
    let mut out = Vec::with_capacity(parts);
    // One node on each side: nothing to partition.
    let each: Vec<&[Atom]> = if whole {
        vec![atoms]
    } else {
        per_part.iter().map(Vec::as_slice).collect()
    };
    for (p, atoms) in each.into_iter().enumerate() {
        let (o, n) = if merged {
            (Some(g.old[p]), g.new.first().copied())
        } else {
            (g.old.first().copied(), g.new.get(p).copied())
        };
        let ops = ops_of(atoms, &ot, &nt, &sources);
        let status = match (o, n) {
            (None, Some(_)) => Status::Added,
            (Some(_), None) => Status::Deleted,
            _ if ops.iter().all(|op| op.op == Tag::Equal) => Status::Unchanged,
            _ => Status::Modified,
        };
        let classes = if status == Status::Modified {
            classify(
                whole,
                atoms,
                &ot,
                &nt,
                o.map(|i| &old.nodes[i]),
                n.map(|i| &new.nodes[i]),
            )
        } else {
            Vec::new()
        };
        out.push(Entry {
            old: o,
            new: n,
            status,
            moved,
            split,
            merged,
            classes,
            ops,
            brackets: Changes::default(),
        });
    }
    (buf.old_tokens, buf.new_tokens) = (ot, nt);
    (buf.old_parts, buf.new_parts) = (o_parts, n_parts);
    out
}

/// Whether a character is one [`typographic_normal`] changes: a quote, a dash or hyphen, a
/// soft hyphen, an invisible joiner, a space of any kind.
fn is_typographic(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{200b}'
            | '\u{2060}'
            | '\u{feff}'
            | '\''
            | '"'
            | '-'
            | '‘'
            | '’'
            | '‚'
            | '′'
            | '“'
            | '”'
            | '„'
            | '″'
            | '‐'
            | '‑'
            | '‒'
            | '–'
            | '—'
            | '―'
            | '−'
    ) || c.is_whitespace()
}

/// Typographic normal form: straight quotes, one kind of dash, no soft hyphens or invisible
/// joiners, single spaces.
pub fn typographic_normal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Spacing around dashes is typography too: no space before or after a dash.
    let mut after_dash = false;
    for c in s.chars() {
        match c {
            '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}' => {}
            '‘' | '’' | '‚' | '′' => {
                out.push('\'');
                after_dash = false;
            }
            '“' | '”' | '„' | '″' => {
                out.push('"');
                after_dash = false;
            }
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => {
                if out.ends_with(' ') {
                    out.pop();
                }
                out.push('-');
                after_dash = true;
            }
            c if c.is_whitespace() => {
                if !after_dash && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ')
                }
            }
            c => {
                out.push(c);
                after_dash = false;
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The words of [`MODALS`] and [`OPERATIVE`] (true: a change of force by itself) and of
/// [`QUANTIFIERS`] (false: when "States" or "of" follows), as bytes.
static FORCE: std::sync::LazyLock<rustc_hash::FxHashMap<&'static [u8], bool>> =
    std::sync::LazyLock::new(|| {
        let words =
            |list: &'static [&str], force: bool| list.iter().map(move |w| (w.as_bytes(), force));
        QUANTIFIERS
            .iter()
            .map(|w| (w.as_bytes(), false))
            .chain(words(MODALS, true))
            .chain(words(OPERATIVE, true))
            .collect()
    });

const MODALS: &[&str] = &[
    "shall", "should", "may", "will", "must", "could", "would", "can", "might",
];
const OPERATIVE: &[&str] = &[
    "urge",
    "urges",
    "encourage",
    "encourages",
    "encouraged",
    "invite",
    "invites",
    "invited",
    "call",
    "calls",
    "called",
    "request",
    "requests",
    "requested",
    "recommend",
    "recommends",
    "decide",
    "decides",
    "agree",
    "agrees",
    "welcome",
    "welcomes",
    "note",
    "notes",
    "noted",
    "recall",
    "recalls",
    "recalled",
    "reaffirm",
    "reaffirms",
    "reaffirmed",
    "recognize",
    "recognizes",
    "recognized",
    "recognise",
    "recognises",
    "recognised",
    "underscore",
    "underscores",
    "emphasize",
    "emphasizes",
    "stress",
    "stresses",
    "acknowledge",
    "acknowledges",
    "consider",
    "considers",
    "propose",
    "proposed",
];
const QUANTIFIERS: &[&str] = &[
    "some",
    "all",
    "many",
    "several",
    "most",
    "few",
    "certain",
    "interested",
    "number",
];

/// Whether a 1:1 comparison changed no word at all, only the marks and spaces around words
/// that the clean-up took into a change (`norms[- implementation,-]{+, implementation;+}`):
/// the two texts' words are the same, in order. Asked only when the words deleted and the
/// words inserted are the same ones (which the equal text being common to both sides
/// requires), so most changes cost one look at their changed words.
fn same_words(changed: &[(&Token, bool, usize)], old: Option<&Node>, new: Option<&Node>) -> bool {
    let (Some(o), Some(n)) = (old, new) else {
        return false;
    };
    let is_word = |inserted: bool| {
        move |(t, side, _): &&(&Token, bool, usize)| *side == inserted && t.kind == Kind::Word
    };
    // As many words deleted as inserted first (no sorting for most changes).
    if changed.iter().filter(is_word(false)).count() != changed.iter().filter(is_word(true)).count()
    {
        return false;
    }
    let words = |inserted: bool| -> Vec<&str> {
        let mut w: Vec<&str> = changed
            .iter()
            .filter(is_word(inserted))
            .map(|(t, _, _)| t.text)
            .collect();
        w.sort_unstable();
        w
    };
    words(false) == words(true) && tokens::Words::new(&o.text).eq(tokens::Words::new(&n.text))
}

/// The classes of a modified entry. `whole`: the atoms are the whole comparison of the two
/// nodes (not one part of a split or merge).
fn classify<'t>(
    whole: bool,
    atoms: &[Atom],
    ot: &'t [Token],
    nt: &'t [Token],
    old: Option<&Node>,
    new: Option<&Node>,
) -> Vec<Class> {
    let mut changed: Vec<(&Token, bool, usize)> = Vec::with_capacity(
        atoms
            .iter()
            .filter(|a| !matches!(a, Atom::Equal(..)))
            .count(),
    );
    changed.extend(atoms.iter().filter_map(|a| match *a {
        Atom::Delete(o) => Some((&ot[o], false, o)),
        Atom::Insert(n) => Some((&nt[n], true, n)),
        Atom::Equal(..) => None,
    }));
    if changed.is_empty() {
        return Vec::new();
    }
    if changed.iter().all(|(t, _, _)| t.kind == Kind::Cite) {
        return vec![Class::Citation];
    }
    let no_words = changed
        .iter()
        .all(|(t, _, _)| matches!(t.kind, Kind::Punct | Kind::Space | Kind::Cite));
    let cites_same = changed.iter().all(|(t, _, _)| t.kind != Kind::Cite);
    // Typography (quotes, dashes, soft hyphens, spacing) changes no word token, except where a
    // quote, dash or soft hyphen sits inside a word (`non-binding`, `Chair's`): then a changed
    // token holds one.
    let may_be_typography = no_words
        || changed
            .iter()
            .any(|(t, _, _)| t.text.contains(is_typographic));
    // Typography never touches a letter or digit: texts whose letters and digits differ
    // cannot be the same typographically (checked first, as it allocates nothing).
    let same_letters = |a: &str, b: &str| {
        a.chars()
            .filter(|c| c.is_alphanumeric())
            .eq(b.chars().filter(|c| c.is_alphanumeric()))
    };
    // When the atoms are the whole comparison, the equal text is common to both sides, so for
    // the letters and digits to agree the deleted ones and the inserted ones must be the same
    // multiset: compared first by count and sum, which costs only the changed tokens. (A part
    // of a split or merge holds only some of the deletions or insertions: not a test there.)
    let letters = |inserted: bool| {
        let (mut n, mut sum) = (0usize, 0u64);
        for (t, new_side, _) in &changed {
            // Spaces and marks hold no letter or digit; most words are ASCII.
            if *new_side != inserted || t.kind != Kind::Word {
                continue;
            }
            if t.text.is_ascii() {
                for b in t.text.bytes().filter(u8::is_ascii_alphanumeric) {
                    n += 1;
                    sum += b as u64;
                }
            } else {
                for c in t.text.chars().filter(|c| c.is_alphanumeric()) {
                    n += 1;
                    sum += c as u64;
                }
            }
        }
        (n, sum)
    };
    if let (Some(o), Some(n)) = (old, new)
        && cites_same
        && may_be_typography
        && (!whole || letters(false) == letters(true))
        && same_letters(&o.text, &n.text)
        && typographic_normal(&o.text) == typographic_normal(&n.text)
    {
        return vec![Class::Typographic];
    }
    if no_words || (whole && cites_same && same_words(&changed, old, new)) {
        return vec![Class::Punctuation];
    }
    let mut classes = vec![Class::Substantive];
    let next_word = |toks: &'t [Token], from: usize| -> Option<&'t str> {
        toks[from + 1..]
            .iter()
            .find(|t| t.kind == Kind::Word)
            .map(|t| t.text)
    };
    // The lists are lower-case ASCII words of at most 12 letters: a changed word of that
    // length is lower-cased on the stack and looked up in a set of the lists.
    let mut lower = [0u8; 12];
    let mut modal = false;
    for &(t, is_new, i) in &changed {
        if t.kind != Kind::Word || t.text.len() > lower.len() || !t.text.is_ascii() {
            continue;
        }
        let w = &mut lower[..t.text.len()];
        w.copy_from_slice(t.text.as_bytes());
        w.make_ascii_lowercase();
        let Some(&force) = FORCE.get(&*w) else {
            continue;
        };
        let toks = if is_new { nt } else { ot };
        if force || next_word(toks, i).is_some_and(|n| n == "States" || n == "of") {
            modal = true;
            break;
        }
    }
    if modal {
        classes.push(Class::Modality);
    }
    classes
}

/// Which groups moved: to another section, or out of order within their section.
fn moved_groups(old: &Draft, a: &Alignment) -> Vec<bool> {
    let mut moved = vec![false; a.groups.len()];
    // Across sections.
    for (g, grp) in a.groups.iter().enumerate() {
        let (Some(&o), Some(&n)) = (grp.old.first(), grp.new.first()) else {
            continue;
        };
        if !old.nodes[o].kind.is_body() {
            continue;
        }
        let same = match (a.old_section[o], a.new_section[n]) {
            (None, None) => true,
            (Some(os), Some(ns)) => a.section_pairs[os] == Some(ns),
            _ => false,
        };
        moved[g] = !same;
    }
    // Out of order: groups not on the longest increasing run of old positions, in new order.
    let mut seq: Vec<(usize, usize, usize)> = a
        .groups
        .iter()
        .enumerate()
        .filter(|(g, grp)| {
            !moved[*g]
                && !grp.old.is_empty()
                && !grp.new.is_empty()
                && old.nodes[grp.old[0]].kind.is_body()
        })
        .map(|(g, grp)| (grp.new[0], grp.old[0], g))
        .collect();
    seq.sort_unstable();
    let olds: Vec<usize> = seq.iter().map(|s| s.1).collect();
    let keep = lis(&olds);
    for (k, s) in seq.iter().enumerate() {
        if !keep[k] {
            moved[s.2] = true;
        }
    }
    moved
}

/// Marks the members of one longest increasing subsequence.
fn lis(v: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // indices into v
    let mut prev: Vec<Option<usize>> = vec![None; v.len()];
    for i in 0..v.len() {
        let pos = tails.partition_point(|&t| v[t] < v[i]);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut keep = vec![false; v.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        keep[i] = true;
        cur = prev[i];
    }
    keep
}

/// Order entries as a reader expects: new document order, a deleted node right after the new
/// place of the old node before it.
fn sort_entries(entries: &mut [Entry], a: &Alignment, moved: &[bool]) {
    // For each old node, the new place of the nearest old node at or before it that stayed
    // (one pass, so the order costs nothing however many paragraphs were deleted).
    let mut anchor_of: Vec<i64> = Vec::with_capacity(a.old_group.len());
    let mut last = -1i64;
    for g in &a.old_group {
        if let Some(g) = *g
            && !moved[g]
            && let Some(&n) = a.groups[g].new.last()
        {
            last = n as i64;
        }
        anchor_of.push(last);
    }
    let anchor = |e: &Entry| -> (i64, u8, usize) {
        if let Some(n) = e.new {
            return (n as i64, 0, e.old.unwrap_or(0));
        }
        let o = e.old.unwrap_or(0);
        let before = o.checked_sub(1).map_or(-1, |k| anchor_of[k]);
        (before, 1, o)
    };
    entries.sort_by_key(anchor);
}

fn footnote_entry<'a>(
    of: Option<&'a crate::model::Footnote>,
    nf: Option<&'a crate::model::Footnote>,
    p: &FootnotePair,
    notes: &mut Vec<String>,
    buf: &mut Buffers<'a>,
) -> FootnoteEntry {
    // The same text, or a footnote added or deleted: one run, as for a group redlined whole.
    let ops = match (of, nf) {
        (Some(a), Some(b)) if a.text == b.text => one_run(Tag::Equal, &b.text),
        (Some(a), None) => one_run(Tag::Delete, &a.text),
        (None, Some(b)) => one_run(Tag::Insert, &b.text),
        _ => {
            let ot: Vec<Token> = of.map(|f| tokens::tokenize(&f.text)).unwrap_or_default();
            let nt: Vec<Token> = nf.map(|f| tokens::tokenize(&f.text)).unwrap_or_default();
            let what = || {
                format!(
                    "footnote {}",
                    p.new.or(p.old).map(|n| n.to_string()).unwrap_or_default()
                )
            };
            diff_atoms(&ot, &nt, notes, what, buf);
            let sources: Vec<&str> = of.iter().chain(&nf).map(|f| f.text.as_str()).collect();
            ops_of(&buf.atoms, &ot, &nt, &sources)
        }
    };
    let status = match (of, nf) {
        (Some(_), None) => FootnoteStatus::Deleted,
        (None, Some(_)) => FootnoteStatus::Added,
        (Some(a), Some(b)) if a.text == b.text && a.number == b.number => FootnoteStatus::Unchanged,
        (Some(a), Some(b)) if a.text == b.text => FootnoteStatus::Renumbered,
        _ => FootnoteStatus::Modified,
    };
    FootnoteEntry {
        old: p.old,
        new: p.new,
        old_note: p.old_note,
        new_note: p.new_note,
        status,
        ops,
    }
}

/// What happened to the paragraphs and words of a redline (or of a selection of it): the
/// numbers of `--stat`, the summaries of the JSON, HTML and Markdown redlines and a series'
/// log, all counted by [`Counts::add`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub paragraphs: ParagraphCounts,
    pub words: WordCounts,
}

/// Paragraphs (body nodes; headings apart) by what happened to them.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ParagraphCounts {
    pub added: usize,
    pub deleted: usize,
    pub modified: usize,
    pub moved: usize,
    pub unchanged: usize,
    /// Entries that are parts of a split or of a merge.
    pub split: usize,
    pub merged: usize,
}

/// Words inserted and deleted.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct WordCounts {
    pub inserted: usize,
    pub deleted: usize,
}

impl Counts {
    /// Count one entry.
    pub fn add(&mut self, e: &Entry) {
        let p = &mut self.paragraphs;
        match e.status {
            Status::Added => p.added += 1,
            Status::Deleted => p.deleted += 1,
            Status::Modified => p.modified += 1,
            Status::Unchanged => p.unchanged += 1,
        }
        p.moved += e.moved as usize;
        p.split += e.split as usize;
        p.merged += e.merged as usize;
        for op in &e.ops {
            let w = tokens::word_count(&op.text);
            match op.op {
                Tag::Insert => self.words.inserted += w,
                Tag::Delete => self.words.deleted += w,
                Tag::Equal => {}
            }
        }
    }
}

impl std::ops::AddAssign<&Counts> for Counts {
    fn add_assign(&mut self, c: &Counts) {
        let (p, q) = (&mut self.paragraphs, &c.paragraphs);
        p.added += q.added;
        p.deleted += q.deleted;
        p.modified += q.modified;
        p.moved += q.moved;
        p.unchanged += q.unchanged;
        p.split += q.split;
        p.merged += q.merged;
        self.words.inserted += c.words.inserted;
        self.words.deleted += c.words.deleted;
    }
}

/// Footnotes by what happened to them.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct FootnoteCounts {
    pub unchanged: usize,
    pub renumbered: usize,
    pub modified: usize,
    pub added: usize,
    pub deleted: usize,
}

impl FootnoteCounts {
    /// Count one footnote of the given status.
    pub fn add(&mut self, status: FootnoteStatus) {
        match status {
            FootnoteStatus::Unchanged => self.unchanged += 1,
            FootnoteStatus::Renumbered => self.renumbered += 1,
            FootnoteStatus::Modified => self.modified += 1,
            FootnoteStatus::Added => self.added += 1,
            FootnoteStatus::Deleted => self.deleted += 1,
        }
    }
}

/// The text of one side of a list of operations (citations left out).
pub fn side_text(ops: &[Op], side: Tag) -> String {
    ops.iter()
        .filter(|o| o.op == Tag::Equal || o.op == side)
        .map(|o| o.text.as_str())
        .collect()
}

/// Kinds of nodes an entry concerns (for renderers that skip headings).
pub fn entry_kind(r: &Redline, e: &Entry) -> NodeKind {
    r.new_node(e)
        .or_else(|| r.old_node(e))
        .map_or(NodeKind::Text, |n| n.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` distinct tokens, numbered from `from`.
    fn ids(from: u32, n: u32) -> Vec<imara_diff::Token> {
        (from..from + n).map(imara_diff::Token).collect()
    }

    #[test]
    fn the_word_lists_are_short_lower_case_ascii_and_apart() {
        for list in [MODALS, OPERATIVE, QUANTIFIERS] {
            assert!(
                list.iter()
                    .all(|w| w.len() <= 12 && w.bytes().all(|b| b.is_ascii_lowercase()))
            );
        }
        assert_eq!(
            FORCE.len(),
            MODALS.len() + OPERATIVE.len() + QUANTIFIERS.len()
        );
    }

    #[test]
    fn a_short_comparison_is_never_called_coarse() {
        let (a, b) = (ids(0, 200), ids(0, 200));
        let runs = vec![Run::Change(0..200, 0..200)];
        assert!(matches!(coarseness(&a, &b, &runs), Coarse::No));
    }

    #[test]
    fn a_long_diff_keeping_less_than_the_subsequence_says_by_how_much() {
        let (a, b) = (ids(0, 400), ids(0, 400));
        let all = vec![Run::Equal(0..400, 0..400)];
        assert!(matches!(coarseness(&a, &b, &all), Coarse::No));
        let less = vec![Run::Equal(0..390, 0..390), Run::Change(390..400, 390..400)];
        assert!(matches!(coarseness(&a, &b, &less), Coarse::By(10)));
    }

    #[test]
    fn a_diff_too_long_to_check_may_be_coarse() {
        let (a, b) = (ids(0, 3000), ids(0, 3000));
        let runs = vec![Run::Equal(0..3000, 0..3000)];
        assert!(matches!(coarseness(&a, &b, &runs), Coarse::Unchecked));
    }

    #[test]
    fn a_run_reads_its_tokens_text_whole_or_piece_by_piece() {
        let (a, b) = ("shall endeavour to", "the States");
        let sources = [a, b];
        let mut run = RunText::new(&sources);
        // Tokens side by side in `a`, then a jump within it, then tokens of `b` and one from
        // elsewhere: every byte once, in order.
        for t in [
            &a[0..5],
            &a[5..6],
            &a[6..15],
            &a[16..18],
            &b[4..10],
            "!",
            &b[0..3],
        ] {
            run.push(t);
        }
        assert_eq!(run.take(), "shall endeavourtoStates!the");
        assert_eq!(run.take(), "");
        run.push(&b[0..3]);
        run.push(&b[3..4]);
        assert_eq!(run.take(), "the ");
    }
}
