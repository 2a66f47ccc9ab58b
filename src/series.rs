//! The series view: a negotiation seen through every revision at once. It sits beside
//! [`diff`](crate::diff) and reads the same model: the redline of each step of a series
//! (consecutive drafts in manifest order) is computed once, and
//!
//! - [`history`] follows one paragraph through every draft, backwards and forwards from the
//!   draft where its label is read, across renumbering, moves, splits and merges;
//! - [`blame`] credits each word of a draft to the draft that introduced it: a word the
//!   redline of a step keeps (an `equal` op) inherits the credit of the previous draft's word;
//!   a word it inserts belongs to the draft that inserted it;
//! - [`log`] sums up each step: paragraphs added, deleted, modified, moved; words in and out;
//!   footnotes.

use crate::diff::tokens::{self, Kind};
use crate::diff::{Class, Counts, Entry, Op, Redline, Status, Tag, redline};
pub use crate::diff::{FootnoteCounts, ParagraphCounts, WordCounts};
use crate::error::SeriesError;
use crate::manifest::{self, Manifest};
use crate::model::{Draft, Node, NodeKind, normalize_label};
use serde::Serialize;
use std::collections::BTreeSet;

/// One draft of a series, with what the manifest says of it.
#[derive(Debug, Clone)]
pub struct Revision {
    pub draft: Draft,
    /// `Rev. 2`, `Zero draft`, ...
    pub title: Option<String>,
    pub date: Option<String>,
}

impl Revision {
    pub fn new(draft: Draft) -> Self {
        Revision {
            draft,
            title: None,
            date: None,
        }
    }
}

/// A series of revisions, oldest first, with the redline of each step.
#[derive(Debug)]
pub struct Series<'a> {
    /// The series' name in the manifest (`apr2022`).
    pub name: String,
    pub title: Option<String>,
    pub revisions: &'a [Revision],
    /// `steps[k]` is the redline of revision `k` -> revision `k + 1`.
    pub steps: Vec<Redline<'a>>,
}

impl<'a> Series<'a> {
    /// Compute the redline of every step of the series.
    pub fn new(name: impl Into<String>, revisions: &'a [Revision]) -> Self {
        let steps = revisions
            .windows(2)
            .map(|w| redline(&w[0].draft, &w[1].draft))
            .collect();
        Series {
            name: name.into(),
            title: None,
            revisions,
            steps,
        }
    }

    pub fn len(&self) -> usize {
        self.revisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    pub fn draft(&self, k: usize) -> &'a Draft {
        &self.revisions[k].draft
    }

    /// Where a draft stands in the series, by name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.revisions.iter().position(|r| r.draft.name == name)
    }
}

/// Which series of the manifest a command works on, and where a named draft stands in it.
///
/// `series` names it; otherwise the series of `draft`; otherwise the manifest's only series.
pub fn choose<'m>(
    m: &'m Manifest,
    series: Option<&str>,
    draft: Option<&str>,
) -> Result<(&'m manifest::Series, Option<usize>), SeriesError> {
    let chosen =
        match (series, draft) {
            (Some(name), _) => m.series.iter().find(|s| s.name == name).ok_or_else(|| {
                SeriesError::UnknownSeries {
                    name: name.to_string(),
                    manifest: m.path.clone(),
                    known: m.series.iter().map(|s| s.name.clone()).collect(),
                }
            })?,
            (None, Some(d)) => {
                m.entry(d)
                    .map(|(s, _)| s)
                    .ok_or_else(|| SeriesError::NotInAnySeries {
                        draft: d.to_string(),
                        manifest: m.path.clone(),
                        known: m.draft_names(),
                    })?
            }
            (None, None) => match m.series.as_slice() {
                [] => {
                    return Err(SeriesError::NoSeries {
                        manifest: m.path.clone(),
                    });
                }
                [only] => only,
                many => {
                    return Err(SeriesError::AmbiguousSeries {
                        manifest: m.path.clone(),
                        known: many.iter().map(|s| s.name.clone()).collect(),
                    });
                }
            },
        };
    if chosen.drafts.is_empty() {
        return Err(SeriesError::EmptySeries {
            manifest: m.path.clone(),
            series: chosen.name.clone(),
        });
    }
    let at = match draft {
        Some(d) => Some(
            chosen
                .drafts
                .iter()
                .position(|e| e.name == d)
                .ok_or_else(|| SeriesError::NotInSeries {
                    draft: d.to_string(),
                    series: chosen.name.clone(),
                    manifest: m.path.clone(),
                    known: chosen.drafts.iter().map(|e| e.name.clone()).collect(),
                })?,
        ),
        None => None,
    };
    Ok((chosen, at))
}

/// Labels near one that was not found: the same paragraph number and its neighbours, or the
/// same prefix (`C.steps.`); failing those, the range of numbered paragraphs.
pub fn nearby_labels(d: &Draft, want: &str) -> Vec<String> {
    const MAX: usize = 16;
    let number = |s: &str| -> Option<u32> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let mut out: Vec<String> = match number(want) {
        Some(n) => d
            .nodes
            .iter()
            .filter(|x| x.kind.is_body())
            .filter(|x| number(&x.label).is_some_and(|m| m.abs_diff(n) <= 1))
            .map(|x| x.label.clone())
            .collect(),
        None => {
            let prefix = want.rsplit_once('.').map_or(want, |(p, _)| p);
            d.nodes
                .iter()
                .filter(|x| {
                    x.label
                        .get(..prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                })
                .map(|x| x.label.clone())
                .collect()
        }
    };
    if out.is_empty() {
        let paras: Vec<&Node> = d
            .nodes
            .iter()
            .filter(|x| x.kind == NodeKind::Paragraph)
            .collect();
        out = match paras.as_slice() {
            [] => Vec::new(),
            [only] => vec![only.label.clone()],
            [first, .., last] => vec![format!("paragraphs {} to {}", first.label, last.label)],
        };
    }
    if out.len() > MAX {
        out.truncate(MAX);
        out.push("...".into());
    }
    out
}

/// Find a label in a draft, or say which draft lacks it and what labels are near.
pub fn find_label(d: &Draft, label: &str) -> Result<usize, SeriesError> {
    let want = normalize_label(label);
    d.find(&want).ok_or_else(|| SeriesError::UnknownLabel {
        label: want.clone(),
        draft: d.name.clone(),
        path: d.path.clone(),
        nearby: nearby_labels(d, &want),
    })
}

// ---------------------------------------------------------------------------------------------
// History

/// What a paragraph is in one draft of its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VersionStatus {
    /// Not in this draft (before it was added, or after it was deleted).
    Absent,
    /// The text in the first draft of the series: nothing to compare it with.
    Original,
    /// New in this draft: no counterpart in the previous one.
    Added,
    Unchanged,
    Modified,
    /// Deleted in this draft: the version holds the deleted text of the previous draft.
    Deleted,
}

impl VersionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionStatus::Absent => "absent",
            VersionStatus::Original => "original",
            VersionStatus::Added => "added",
            VersionStatus::Unchanged => "unchanged",
            VersionStatus::Modified => "modified",
            VersionStatus::Deleted => "deleted",
        }
    }
}

/// The paragraph in one draft of the series.
#[derive(Debug, Clone)]
pub struct Version {
    /// Index of the draft in the series.
    pub draft: usize,
    /// The node in that draft (none when absent or deleted).
    pub node: Option<usize>,
    pub status: VersionStatus,
    /// The nodes of the previous draft this version is compared with: one, several after a
    /// merge, none when added; for a deleted version, the node that was deleted.
    pub from: Vec<usize>,
    /// For a part of a split: every part in this draft (this one included), in order.
    pub parts: Vec<usize>,
    pub moved: bool,
    pub split: bool,
    pub merged: bool,
    pub classes: Vec<Class>,
    /// The redline against the previous version (empty for `original` and `absent`).
    pub ops: Vec<Op>,
}

/// A paragraph's history through the series.
#[derive(Debug, Clone)]
pub struct History {
    /// The label asked for, as the model spells it (`14(b)`).
    pub label: String,
    /// The draft it was read in, and its node there.
    pub start: usize,
    pub node: usize,
    /// One version per draft, in manifest order; several in a draft where the paragraph was
    /// split (or where one part was deleted).
    pub versions: Vec<Version>,
}

impl History {
    /// The versions in draft `k`.
    pub fn in_draft(&self, k: usize) -> impl Iterator<Item = &Version> {
        self.versions.iter().filter(move |v| v.draft == k)
    }
}

/// Follow the paragraph labelled `label` in draft `start` through the whole series.
pub fn history(series: &Series, start: usize, label: &str) -> Result<History, SeriesError> {
    let d = series.draft(start);
    let node = find_label(d, label)?;
    let m = series.len();
    // The paragraph's nodes in each draft: back from the start, then forward.
    let mut lineage: Vec<Vec<usize>> = vec![Vec::new(); m];
    lineage[start] = vec![node];
    for k in (1..=start).rev() {
        let prev: BTreeSet<usize> = series.steps[k - 1]
            .entries
            .iter()
            .filter(|e| e.new.is_some_and(|n| lineage[k].contains(&n)))
            .filter_map(|e| e.old)
            .collect();
        if prev.is_empty() {
            break;
        }
        lineage[k - 1] = prev.into_iter().collect();
    }
    for k in start..m.saturating_sub(1) {
        let next: BTreeSet<usize> = series.steps[k]
            .entries
            .iter()
            .filter(|e| e.old.is_some_and(|o| lineage[k].contains(&o)))
            .filter_map(|e| e.new)
            .collect();
        if next.is_empty() {
            break;
        }
        lineage[k + 1] = next.into_iter().collect();
    }
    let mut versions = Vec::new();
    for k in 0..m {
        let before = versions.len();
        for &x in &lineage[k] {
            versions.push(if k == 0 {
                Version {
                    draft: 0,
                    node: Some(x),
                    status: VersionStatus::Original,
                    from: Vec::new(),
                    parts: Vec::new(),
                    moved: false,
                    split: false,
                    merged: false,
                    classes: Vec::new(),
                    ops: Vec::new(),
                }
            } else {
                arrival(&series.steps[k - 1], k, x)
            });
        }
        if k > 0 {
            for &x in &lineage[k - 1] {
                for e in series.steps[k - 1]
                    .entries
                    .iter()
                    .filter(|e| e.old == Some(x) && e.new.is_none())
                {
                    versions.push(Version {
                        draft: k,
                        node: None,
                        status: VersionStatus::Deleted,
                        from: vec![x],
                        parts: Vec::new(),
                        moved: false,
                        split: false,
                        merged: false,
                        classes: Vec::new(),
                        ops: e.ops.clone(),
                    });
                }
            }
        }
        if versions.len() == before {
            versions.push(Version {
                draft: k,
                node: None,
                status: VersionStatus::Absent,
                from: Vec::new(),
                parts: Vec::new(),
                moved: false,
                split: false,
                merged: false,
                classes: Vec::new(),
                ops: Vec::new(),
            });
        }
    }
    Ok(History {
        label: d.nodes[node].label.clone(),
        start,
        node,
        versions,
    })
}

/// The version of node `x` of draft `k`, as the step into `k` redlined it.
fn arrival(step: &Redline, k: usize, x: usize) -> Version {
    let mut entries: Vec<&Entry> = step.entries.iter().filter(|e| e.new == Some(x)).collect();
    // The parts of a merge in the order of the previous draft.
    entries.sort_by_key(|e| e.old);
    let from: Vec<usize> = entries.iter().filter_map(|e| e.old).collect();
    let ops: Vec<Op> = entries.iter().flat_map(|e| e.ops.iter().cloned()).collect();
    let split = entries.iter().any(|e| e.split);
    let parts = if split {
        step.alignment.new_group[x]
            .map(|g| step.alignment.groups[g].new.clone())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut classes: Vec<Class> = entries.iter().flat_map(|e| e.classes.clone()).collect();
    classes.sort();
    classes.dedup();
    let status = if from.is_empty() {
        VersionStatus::Added
    } else if entries.iter().all(|e| e.status == Status::Unchanged) {
        VersionStatus::Unchanged
    } else {
        VersionStatus::Modified
    };
    Version {
        draft: k,
        node: Some(x),
        status,
        from,
        parts,
        moved: entries.iter().any(|e| e.moved),
        split,
        merged: entries.iter().any(|e| e.merged),
        classes,
        ops,
    }
}

// ---------------------------------------------------------------------------------------------
// Blame

/// A run of a node's text credited to one draft, or a footnote citation (empty text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    /// Index of the draft in the series that introduced it.
    pub draft: usize,
    /// For a citation: the footnote number in the blamed draft.
    pub footnote: Option<u32>,
}

/// The blame of one node: its text as spans; concatenated, their texts give the node's text.
#[derive(Debug, Clone)]
pub struct NodeBlame {
    pub node: usize,
    pub spans: Vec<Span>,
}

/// Each phrase of a draft credited to the draft that introduced it.
#[derive(Debug, Clone)]
pub struct Blame {
    /// Index of the blamed draft in the series.
    pub draft: usize,
    /// Every node of the draft, in document order.
    pub nodes: Vec<NodeBlame>,
    /// Where the walk back could not follow every word (their words are credited to the
    /// draft where they stand), said plainly.
    pub notes: Vec<String>,
}

/// One piece of a node's text as the redline compares it: a token, or a citation.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    cite: Option<u32>,
    space: bool,
}

/// The pieces of a node in the order the redline's tokens are in (citations at their offsets).
fn pieces(node: &Node) -> Vec<Piece> {
    let mut cites: Vec<_> = node.citations.iter().collect();
    cites.sort_by_key(|c| c.offset);
    let mut out = Vec::new();
    let mut ci = 0;
    let mut pos = 0;
    let cite = |pos: usize, n: u32| Piece {
        start: pos,
        end: pos,
        cite: Some(n),
        space: false,
    };
    for t in tokens::tokenize(&node.text) {
        while ci < cites.len() && cites[ci].offset <= pos {
            out.push(cite(pos, cites[ci].footnote));
            ci += 1;
        }
        out.push(Piece {
            start: pos,
            end: pos + t.text.len(),
            cite: None,
            space: t.kind == Kind::Space,
        });
        pos += t.text.len();
    }
    for c in &cites[ci..] {
        out.push(cite(pos, c.footnote));
    }
    out
}

/// Credit every piece of draft `upto` (and of each draft before it) to a draft.
/// Returns, per node of draft `upto`, its pieces and their credits.
fn credits(series: &Series, upto: usize, notes: &mut Vec<String>) -> Vec<Vec<(Piece, usize)>> {
    let mut cur: Vec<Vec<(Piece, usize)>> = series
        .draft(0)
        .nodes
        .iter()
        .map(|n| pieces(n).into_iter().map(|p| (p, 0)).collect())
        .collect();
    for k in 0..upto {
        let step = &series.steps[k];
        let mut next: Vec<Vec<(Piece, usize)>> = series
            .draft(k + 1)
            .nodes
            .iter()
            .map(|n| pieces(n).into_iter().map(|p| (p, k + 1)).collect())
            .collect();
        // The entries of each group, in the order their operations cover the texts.
        let a = &step.alignment;
        let mut by_group: Vec<Vec<&Entry>> = vec![Vec::new(); a.groups.len()];
        for e in &step.entries {
            let g = e
                .new
                .and_then(|n| a.new_group[n])
                .or_else(|| e.old.and_then(|o| a.old_group[o]));
            if let Some(g) = g {
                by_group[g].push(e);
            }
        }
        for (g, group) in a.groups.iter().enumerate() {
            if group.old.is_empty() || group.new.is_empty() {
                continue;
            }
            let entries = &mut by_group[g];
            entries.sort_by_key(|e| (e.new, e.old));
            let old: Vec<(Piece, usize)> = group
                .old
                .iter()
                .flat_map(|&o| cur[o].iter().copied())
                .collect();
            let new: Vec<(usize, usize)> = group
                .new
                .iter()
                .flat_map(|&n| (0..next[n].len()).map(move |i| (n, i)))
                .collect();
            let new_pieces: Vec<Piece> = new.iter().map(|&(n, i)| next[n][i].0).collect();
            let from = series.draft(k);
            let to = series.draft(k + 1);
            let old_words: Vec<&str> = group
                .old
                .iter()
                .flat_map(|&o| {
                    cur[o]
                        .iter()
                        .map(move |(p, _)| &from.nodes[o].text[p.start..p.end])
                })
                .collect();
            let new_words: Vec<&str> = new
                .iter()
                .map(|&(n, i)| {
                    let p = next[n][i].0;
                    &to.nodes[n].text[p.start..p.end]
                })
                .collect();
            let (mut inherited, exact) = follow(entries, &old, &new_pieces);
            rematch(&mut inherited, entries, &old, &old_words, &new_words);
            for (slot, credit) in new.iter().zip(&inherited) {
                if let Some(c) = credit {
                    next[slot.0][slot.1].1 = *c;
                }
            }
            if !exact {
                let to = series.draft(k + 1);
                let label = &to.nodes[group.new[0]].label;
                notes.push(format!(
                    "{} {label}: could not follow every word back to {}; the words not followed are credited to {}",
                    to.name,
                    series.draft(k).name,
                    to.name
                ));
            }
        }
        cur = next;
    }
    cur
}

/// Walk the operations of a group's entries over the old pieces (with their credits) and the
/// new pieces: each new piece an `equal` op covers inherits the credit of its old piece.
/// Returns one credit per new piece the walk reached (`None` for an inserted piece), and
/// whether the walk covered both texts exactly (if not, it stopped where the operations and the
/// pieces fell out of step; the credits up to there stand).
fn follow(entries: &[&Entry], old: &[(Piece, usize)], new: &[Piece]) -> (Vec<Option<usize>>, bool) {
    let mut out: Vec<Option<usize>> = Vec::with_capacity(new.len());
    let (mut i, mut j) = (0, 0);
    // Consume pieces of `side` from `at` whose text adds up to `len` bytes: how many.
    fn take(side: &[Piece], at: usize, len: usize) -> Option<usize> {
        let mut bytes = 0;
        let mut c = 0;
        while bytes < len {
            let p = side.get(at + c)?;
            if p.cite.is_some() {
                return None;
            }
            bytes += p.end - p.start;
            c += 1;
        }
        (bytes == len).then_some(c)
    }
    let old_pieces: Vec<Piece> = old.iter().map(|p| p.0).collect();
    for op in entries.iter().flat_map(|e| e.ops.iter()) {
        if op.footnote.is_some() {
            let old_cite = old_pieces.get(i).is_some_and(|p| p.cite.is_some());
            let new_cite = new.get(j).is_some_and(|p| p.cite.is_some());
            match op.op {
                Tag::Equal if old_cite && new_cite => {
                    out.push(Some(old[i].1));
                    i += 1;
                    j += 1;
                }
                Tag::Delete if old_cite => i += 1,
                Tag::Insert if new_cite => {
                    out.push(None);
                    j += 1;
                }
                _ => return (out, false),
            }
            continue;
        }
        let len = op.text.len();
        match op.op {
            Tag::Equal => {
                let Some(c) = take(new, j, len) else {
                    return (out, false);
                };
                if i + c > old.len() || old_pieces[i..i + c].iter().any(|p| p.cite.is_some()) {
                    return (out, false);
                }
                out.extend(old[i..i + c].iter().map(|p| Some(p.1)));
                i += c;
                j += c;
            }
            Tag::Delete => {
                let Some(c) = take(&old_pieces, i, len) else {
                    return (out, false);
                };
                i += c;
            }
            Tag::Insert => {
                let Some(c) = take(new, j, len) else {
                    return (out, false);
                };
                out.extend(std::iter::repeat_n(None, c));
                j += c;
            }
        }
    }
    let exact = i == old.len() && j == new.len();
    (out, exact)
}

/// A replaced phrase reads as one deletion and one insertion in the redline, but words can
/// survive inside it ("developing common understandings on technical ICT terms" ->
/// "sharing national definitions on technical ICT terms"). Within each deletion+insertion,
/// words found in both (in order) keep the credit of their old occurrence.
fn rematch(
    inherited: &mut [Option<usize>],
    entries: &[&Entry],
    old: &[(Piece, usize)],
    old_words: &[&str],
    new_words: &[&str],
) {
    // Walk the ops again to find each change's old and new piece ranges.
    let (mut i, mut j) = (0usize, 0usize);
    let mut del_start = None::<usize>;
    let count = |words: &[&str], at: usize, len: usize| -> usize {
        let (mut bytes, mut c) = (0, 0);
        while bytes < len && at + c < words.len() {
            bytes += words[at + c].len();
            c += 1;
        }
        c
    };
    for op in entries.iter().flat_map(|e| e.ops.iter()) {
        let n = if op.footnote.is_some() {
            1
        } else {
            match op.op {
                Tag::Delete => count(old_words, i, op.text.len()),
                _ => count(new_words, j, op.text.len()),
            }
        };
        match op.op {
            Tag::Equal => {
                i += n;
                j += n;
                del_start = None;
            }
            Tag::Delete => {
                del_start.get_or_insert(i);
                i += n;
            }
            Tag::Insert => {
                if let Some(ds) = del_start.take()
                    && op.footnote.is_none()
                    && j + n <= inherited.len()
                    && i <= old.len()
                {
                    let dels = &old_words[ds..i];
                    let ins = &new_words[j..j + n];
                    for d in similar::capture_diff_slices(similar::Algorithm::Patience, dels, ins) {
                        if let similar::DiffOp::Equal {
                            old_index,
                            new_index,
                            len,
                        } = d
                        {
                            for t in 0..len {
                                let (o, nw) = (ds + old_index + t, j + new_index + t);
                                if !new_words[nw].trim().is_empty() && inherited[nw].is_none() {
                                    inherited[nw] = Some(old[o].1);
                                }
                            }
                        }
                    }
                }
                j += n;
            }
        }
        if i > old_words.len() || j > new_words.len() {
            return;
        }
    }
}

/// Credit each phrase of draft `draft` to the draft of the series that introduced it.
pub fn blame(series: &Series, draft: usize) -> Blame {
    let mut notes = Vec::new();
    let credited = credits(series, draft, &mut notes);
    let d = series.draft(draft);
    let nodes = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| NodeBlame {
            node: i,
            spans: spans(node, &credited[i]),
        })
        .collect();
    Blame {
        draft,
        nodes,
        notes,
    }
}

/// Join credited pieces into spans. Spaces go with the text before them (they are not words).
fn spans(node: &Node, pieces: &[(Piece, usize)]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut last_text: Option<usize> = None;
    for (k, &(p, credit)) in pieces.iter().enumerate() {
        if let Some(n) = p.cite {
            out.push(Span {
                text: String::new(),
                draft: credit,
                footnote: Some(n),
            });
            continue;
        }
        let credit = if p.space {
            last_text
                .or_else(|| {
                    pieces[k + 1..]
                        .iter()
                        .find(|(q, _)| q.cite.is_none() && !q.space)
                        .map(|q| q.1)
                })
                .unwrap_or(credit)
        } else {
            last_text = Some(credit);
            credit
        };
        let text = &node.text[p.start..p.end];
        match out.last_mut() {
            Some(s) if s.draft == credit && s.footnote.is_none() => s.text.push_str(text),
            _ => out.push(Span {
                text: text.to_string(),
                draft: credit,
                footnote: None,
            }),
        }
    }
    out
}

/// The nodes of a draft a `--section`/`--para` selection keeps, in document order: nodes in
/// any of `sections` (all when empty) that are one of `paras` or under one of them (all when
/// empty). An unknown section or label is an error that names the draft.
pub fn select(d: &Draft, sections: &[String], paras: &[String]) -> Result<Vec<usize>, SeriesError> {
    for s in sections {
        if !d.sections.iter().any(|x| x.id.eq_ignore_ascii_case(s)) {
            return Err(SeriesError::UnknownSection {
                section: s.clone(),
                draft: d.name.clone(),
                path: d.path.clone(),
                known: d.sections.iter().map(|x| x.id.clone()).collect(),
            });
        }
    }
    let mut wanted: Option<BTreeSet<usize>> = None;
    for p in paras {
        let i = find_label(d, p)?;
        let set = wanted.get_or_insert_with(BTreeSet::new);
        set.insert(i);
        set.extend(d.descendants(i));
    }
    Ok((0..d.nodes.len())
        .filter(|&i| wanted.as_ref().is_none_or(|w| w.contains(&i)))
        .filter(|&i| {
            sections.is_empty()
                || d.nodes[i]
                    .section
                    .as_ref()
                    .is_some_and(|s| sections.iter().any(|w| w.eq_ignore_ascii_case(s)))
        })
        .collect())
}

impl Blame {
    /// Words per crediting draft, over the given nodes.
    pub fn words(&self, series_len: usize, nodes: &[&NodeBlame]) -> Vec<usize> {
        let mut out = vec![0; series_len];
        for n in nodes {
            for s in &n.spans {
                if let Some(slot) = out.get_mut(s.draft) {
                    *slot += tokens::word_count(&s.text);
                }
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Log

/// The summary of one step of a series. Each aspect is its own field, so a new one (bracket
/// counts) is a new field beside these.
#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    /// Names of the drafts of the step.
    pub from: String,
    pub to: String,
    pub paragraphs: ParagraphCounts,
    pub words: WordCounts,
    pub footnotes: FootnoteCounts,
    /// Headings (and the title) whose text changed.
    pub headings_changed: usize,
    /// Square brackets: pairs in each draft, and how they changed in this step (none for a
    /// draft without brackets).
    pub brackets: Option<BracketSummary>,
}

/// Bracket counts of one step of a series.
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq, Eq)]
pub struct BracketSummary {
    /// Bracket pairs in the older and in the newer draft.
    pub before: usize,
    pub after: usize,
    #[serde(flatten)]
    pub changes: crate::brackets::Counts,
}

/// One summary per step of the series, in manifest order.
pub fn log(series: &Series) -> Vec<StepSummary> {
    series.steps.iter().map(summarize).collect()
}

/// The summary of one redline.
pub fn summarize(r: &Redline) -> StepSummary {
    let mut c = Counts::default();
    let mut headings_changed = 0;
    for e in &r.entries {
        if crate::diff::entry_kind(r, e).is_body() {
            c.add(e);
        } else if e.status != Status::Unchanged {
            headings_changed += 1;
        }
    }
    let mut f = FootnoteCounts::default();
    for n in &r.footnotes {
        f.add(n.status);
    }
    let pairs = |d: &crate::model::Draft| -> usize {
        d.nodes
            .iter()
            .filter(|n| n.kind.is_body())
            .map(|n| crate::brackets::count(&n.text))
            .sum()
    };
    let (before, after) = (pairs(r.old), pairs(r.new));
    let brackets = (before + after > 0).then(|| {
        let mut changes = crate::brackets::Counts::default();
        for e in &r.entries {
            let c = &e.brackets.counts;
            changes.opened += c.opened;
            changes.agreed += c.agreed;
            changes.dropped += c.dropped;
            changes.resolved += c.resolved;
        }
        BracketSummary {
            before,
            after,
            changes,
        }
    });
    StepSummary {
        brackets,
        from: r.old.name.clone(),
        to: r.new.name.clone(),
        paragraphs: c.paragraphs,
        words: c.words,
        footnotes: f,
        headings_changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest;
    use std::path::Path;

    fn rev(name: &str, text: &str) -> Revision {
        Revision::new(ingest::parse(name, Path::new(name), text))
    }

    fn three() -> Vec<Revision> {
        vec![
            rev(
                "zero",
                "A. Introduction\n\n1. States recalled the consensus reports of the previous groups on the subject.\n\n2. States noted the value of exchanges of national views on threats and on the measures taken.\n",
            ),
            rev(
                "rev1",
                "A. Introduction\n\n1. States recalled the consensus reports of the previous groups on the subject.\n\n2. States proposed a voluntary fund.\n\n3. States noted the value of regular exchanges of national views on threats and on the measures taken.\n",
            ),
            rev(
                "rev2",
                "A. Introduction\n\n1. States recalled the consensus reports of the previous groups on the subject.\n\n2. States noted the value of regular and structured exchanges of national views on threats and on the measures taken.\n",
            ),
        ]
    }

    #[test]
    fn history_follows_renumbering_both_ways() {
        let revs = three();
        let s = Series::new("t", &revs);
        let h = history(&s, 2, "2").unwrap();
        let labels: Vec<Option<&str>> = h
            .versions
            .iter()
            .map(|v| v.node.map(|n| s.draft(v.draft).nodes[n].label.as_str()))
            .collect();
        assert_eq!(labels, vec![Some("2"), Some("3"), Some("2")]);
        let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
        assert_eq!(
            st,
            vec![
                VersionStatus::Original,
                VersionStatus::Modified,
                VersionStatus::Modified
            ]
        );
        // Read in rev1, the same history.
        let h1 = history(&s, 1, "3").unwrap();
        assert_eq!(h1.versions.len(), 3);
        assert_eq!(h1.versions[0].node, h.versions[0].node);
    }

    #[test]
    fn history_of_an_added_then_deleted_paragraph() {
        let revs = three();
        let s = Series::new("t", &revs);
        let h = history(&s, 1, "2").unwrap();
        let st: Vec<VersionStatus> = h.versions.iter().map(|v| v.status).collect();
        assert_eq!(
            st,
            vec![
                VersionStatus::Absent,
                VersionStatus::Added,
                VersionStatus::Deleted
            ]
        );
        let deleted = &h.versions[2];
        assert!(deleted.ops.iter().all(|o| o.op == Tag::Delete));
        assert_eq!(deleted.from, vec![h.node]);
    }

    #[test]
    fn unknown_label_names_the_draft_and_nearby_labels() {
        let revs = three();
        let s = Series::new("t", &revs);
        let e = history(&s, 2, "9").unwrap_err().to_string();
        assert!(e.contains("'9'") && e.contains("rev2"), "{e}");
        assert!(e.contains("paragraphs 1 to 2"), "{e}");
        let e = history(&s, 2, "2z").unwrap_err().to_string();
        assert!(
            e.contains("2(z)") && e.contains("nearby labels: 1, 2"),
            "{e}"
        );
        // Whatever the user types, an error and never a panic.
        for odd in [
            "",
            "é.1",
            "4294967295",
            "99999999999999999999",
            "((",
            "2(a)(b)(c)(d)",
            "A.é",
        ] {
            let e = history(&s, 2, odd).unwrap_err().to_string();
            assert!(e.contains("rev2"), "{odd}: {e}");
        }
    }

    #[test]
    fn blame_credits_kept_words_to_their_origin() {
        let revs = three();
        let s = Series::new("t", &revs);
        let b = blame(&s, 2);
        let n = s.draft(2).find("2").unwrap();
        let spans = &b.nodes[n].spans;
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, s.draft(2).nodes[n].text);
        let by = |d: usize| -> String {
            spans
                .iter()
                .filter(|s| s.draft == d)
                .map(|s| s.text.as_str())
                .collect()
        };
        assert!(by(0).contains("States noted the value of"), "{spans:?}");
        assert_eq!(by(1).trim(), "regular");
        assert_eq!(by(2).trim(), "and structured");
        assert!(b.notes.is_empty(), "{:?}", b.notes);
    }

    #[test]
    fn blame_of_the_first_draft_is_all_its_own() {
        let revs = three();
        let s = Series::new("t", &revs);
        let b = blame(&s, 0);
        assert!(b.nodes.iter().flat_map(|n| &n.spans).all(|s| s.draft == 0));
    }

    #[test]
    fn log_has_one_summary_per_step() {
        let revs = three();
        let s = Series::new("t", &revs);
        let l = log(&s);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].from.as_str(), l[0].to.as_str()), ("zero", "rev1"));
        assert_eq!(l[0].paragraphs.added, 1);
        assert_eq!(l[0].paragraphs.modified, 1);
        assert_eq!(l[0].words.inserted, 6); // "States proposed a voluntary fund" and "regular"
        assert_eq!(l[1].paragraphs.deleted, 1);
    }

    #[test]
    fn choose_a_series() {
        let m = Manifest::parse(
            Path::new("oewg.toml"),
            "[[series]]\nname = \"a\"\n[[series.draft]]\nname = \"z\"\npath = \"z.md\"\n\
             [[series]]\nname = \"b\"\n[[series.draft]]\nname = \"y\"\npath = \"y.md\"\n",
        )
        .unwrap();
        assert!(matches!(
            choose(&m, None, None),
            Err(SeriesError::AmbiguousSeries { .. })
        ));
        let (s, at) = choose(&m, None, Some("y")).unwrap();
        assert_eq!((s.name.as_str(), at), ("b", Some(0)));
        let e = choose(&m, Some("a"), Some("y")).unwrap_err().to_string();
        assert!(e.contains("'y'") && e.contains("series 'a'"), "{e}");
        let e = choose(&m, Some("nope"), None).unwrap_err().to_string();
        assert!(e.contains("nope") && e.contains("a, b"), "{e}");
        let e = choose(&m, None, Some("x.md")).unwrap_err().to_string();
        assert!(e.contains("x.md") && e.contains("z, y"), "{e}");
    }
}
