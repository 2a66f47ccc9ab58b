//! Footnote reconciliation: which old footnote is which new one. Footnotes are matched by
//! their text and by where they are cited; two footnotes with the same text are told apart by
//! the sentence that cites them.
//!
//! The rule, in order:
//!
//! 1. Each citation refers to one definition: the only definition of its number, or, where a
//!    number is defined more than once (annexes that restart the numbering, compilations,
//!    drafts put end to end), the next definition of the number after the citation, the
//!    citations before one run of such definitions spread over the run in order (see
//!    [`definitions_cited`]).
//! 2. An old footnote's candidates are the new footnotes with the same text (all of them, or
//!    where a text is repeated more than [`NEAREST`] times, such as "Ibid.", the [`NEAREST`]
//!    nearest its relative place) and the new footnotes cited from the paragraphs aligned with
//!    a paragraph that cites it ("linked"). Where those paragraphs cite more than [`NEAREST`]
//!    new footnotes, only the [`NEAREST`] cited nearest the place where its citation falls
//!    there are candidates: the two paragraphs' citations are lined up by a diff of their
//!    footnotes' texts, and a citation in a stretch that changed falls at the same proportion
//!    of the new stretch.
//! 3. A candidate with another text must be linked and at least half similar. Each is scored:
//!    same text 2, linked 1, half the similarity of the words before the citations, half the
//!    similarity of the texts, 0.01 for the same number. The best-scoring pairs are taken
//!    first (ties: the earlier old, then the earlier new footnote), each footnote once.
//!
//! 4. A footnote no paragraph cites, in either draft, is left over by the above: the k-th
//!    uncited footnote of a number is paired with the new draft's k-th uncited footnote of
//!    that number when they are at least half similar (an edited note of a list of sources).
//!
//! So each footnote is scored against a bounded number of others: the work grows with the
//! footnotes and citations, not with their square, however often numbers or texts repeat.

use super::{Alignment, Vocabulary};
use crate::model::{Draft, Node};
use rustc_hash::FxHashMap;

/// A footnote of the old draft and its counterpart in the new one (either may be missing):
/// their numbers, and which definitions they are (indices into `Draft::footnotes`: where a
/// number is defined more than once, the number alone does not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FootnotePair {
    pub old: Option<u32>,
    pub new: Option<u32>,
    pub old_note: Option<usize>,
    pub new_note: Option<usize>,
}

/// How many candidates of one kind (same text, or linked in one paragraph) an old footnote
/// has at most: the nearest ones, half on each side.
pub const NEAREST: usize = 32;

/// How many words just before a citation tell it apart.
const CONTEXT_WORDS: usize = 10;

/// How much text before a citation (bytes) is read for the words that tell it apart.
const CONTEXT_BYTES: usize = 120;

/// Where a footnote is cited: the citing nodes (each once, in order) and the words just
/// before its first citation.
#[derive(Debug, Clone, Default)]
struct Citing {
    nodes: Vec<usize>,
    context: Vec<u32>,
}

/// One draft's footnotes as reconciliation reads them.
#[derive(Debug, Clone, Default)]
struct Notes {
    /// The words of each footnote's text, in the order of `Draft::footnotes`.
    texts: Vec<Vec<u32>>,
    /// Where each footnote is cited.
    cited: Vec<Citing>,
    /// The footnote (index into `Draft::footnotes`) each citation of each node refers to, in
    /// the order of `Node::citations`: those of node `k` are `notes[starts[k]..starts[k + 1]]`
    /// (a citation of a number never defined refers to none).
    starts: Vec<usize>,
    notes: Vec<Option<usize>>,
}

impl Notes {
    fn read<'t>(d: &'t Draft, vocab: &mut Vocabulary<'t>) -> Self {
        let notes = definitions_cited(d);
        let mut refers = notes.iter();
        let mut cited = vec![Citing::default(); d.footnotes.len()];
        let mut starts = Vec::with_capacity(d.nodes.len() + 1);
        let mut at = 0;
        // The words before a mark, one buffer for them all.
        let mut ws: Vec<&str> = Vec::new();
        for (i, n) in d.nodes.iter().enumerate() {
            starts.push(at);
            at += n.citations.len();
            for c in &n.citations {
                let Some(&Some(f)) = refers.next() else {
                    continue;
                };
                let e = &mut cited[f];
                if e.nodes.last() != Some(&i) {
                    e.nodes.push(i);
                }
                if e.context.is_empty() {
                    // The words just before the mark (a bounded window of the text).
                    let end = c.offset.min(n.text.len());
                    let mut start = end.saturating_sub(CONTEXT_BYTES);
                    while !n.text.is_char_boundary(start) {
                        start -= 1;
                    }
                    // Only the last ten are kept, so only they are looked up (ids are compared
                    // only with each other, so the words skipped need none).
                    ws.clear();
                    ws.extend(crate::diff::tokens::Words::new(&n.text[start..end]));
                    e.context = ws[ws.len().saturating_sub(CONTEXT_WORDS)..]
                        .iter()
                        .map(|w| vocab.id(w))
                        .collect();
                }
            }
        }
        starts.push(at);
        Notes {
            texts: Vec::new(),
            cited,
            starts,
            notes,
        }
    }

    /// The footnotes node `k`'s citations refer to.
    fn of_node(&self, k: usize) -> &[Option<usize>] {
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&a), Some(&b)) => &self.notes[a..b],
            _ => &[],
        }
    }
}

/// The definition (index into `Draft::footnotes`) each citation of a draft refers to, in the
/// order of the nodes and of their citations (none for a number never defined).
///
/// A number defined once: that definition. A number defined more than once: a citation refers
/// to the first definition of the number after it; the citations of a number that come before
/// one run of its definitions, with none between those (one paragraph citing each of several
/// parts' notes 3, or endnotes that restart with each annex, all at the end), are spread over
/// the run in order: the first cites the first, the second the second, the last ones the last.
/// A citation after every definition of its number refers to the last.
fn definitions_cited(d: &Draft) -> Vec<Option<usize>> {
    let mut defs: FxHashMap<u32, Vec<(usize, usize)>> = FxHashMap::default();
    for (k, f) in d.footnotes.iter().enumerate() {
        defs.entry(f.number).or_default().push((f.line, k));
    }
    let mut out = Vec::new();
    // The citations of numbers defined more than once: number -> (citation, line).
    let mut repeated: FxHashMap<u32, Vec<(usize, usize)>> = FxHashMap::default();
    for n in &d.nodes {
        for c in &n.citations {
            out.push(match defs.get(&c.footnote).map(Vec::as_slice) {
                None => None,
                Some([(_, k)]) => Some(*k),
                Some(_) => {
                    repeated
                        .entry(c.footnote)
                        .or_default()
                        .push((out.len(), line_of(n, c.offset)));
                    None
                }
            });
        }
    }
    for (number, cites) in repeated {
        let mut run = defs.remove(&number).unwrap_or_default();
        run.sort_unstable();
        // The first definition after each citation.
        let next: Vec<usize> = cites
            .iter()
            .map(|&(_, line)| run.partition_point(|&(l, _)| l < line))
            .collect();
        let mut s = 0;
        while s < cites.len() {
            let at = next[s];
            let mut e = s;
            while e < cites.len() && next[e] == at {
                e += 1;
            }
            // The run of definitions these citations come before ends where the next
            // citations' run begins.
            let end = next
                .get(e)
                .copied()
                .filter(|&x| x > at)
                .unwrap_or(run.len());
            let last = end.max(at + 1).min(run.len()) - 1;
            for (t, &(ci, _)) in cites[s..e].iter().enumerate() {
                out[ci] = Some(run[(at + t).min(last)].1);
            }
            s = e;
        }
    }
    out
}

/// The source line that holds byte `offset` of a node's text (its segments are in order of
/// offset, so a binary search: a paragraph over many lines citing many footnotes stays linear).
fn line_of(n: &Node, offset: usize) -> usize {
    let at = n.segments.partition_point(|&(o, _)| o <= offset);
    at.checked_sub(1).map_or(n.line, |k| n.segments[k].1)
}

/// The words reconciliation compares, read from two drafts once: each footnote's text and
/// where each is cited, as word ids of one vocabulary (compared only with each other). It does
/// not depend on the alignment.
#[derive(Debug, Clone)]
pub struct FootnoteWords {
    old: Notes,
    new: Notes,
}

impl FootnoteWords {
    /// Read the words of both drafts' footnotes and of the text before each citation.
    pub fn read(old: &Draft, new: &Draft) -> Self {
        let notes = old.footnotes.iter().chain(&new.footnotes);
        let cites = old
            .nodes
            .iter()
            .chain(&new.nodes)
            .map(|n| n.citations.len());
        let bytes =
            notes.map(|f| f.text.len()).sum::<usize>() + CONTEXT_BYTES * cites.sum::<usize>();
        let mut vocab = Vocabulary::for_text(bytes);
        let mut o = Notes::read(old, &mut vocab);
        let mut n = Notes::read(new, &mut vocab);
        o.texts = old.footnotes.iter().map(|f| vocab.ids(&f.text)).collect();
        n.texts = new.footnotes.iter().map(|f| vocab.ids(&f.text)).collect();
        FootnoteWords { old: o, new: n }
    }

    /// The words of each old footnote's text, in the order of `Draft::footnotes`.
    pub(super) fn old_texts(&self) -> &[Vec<u32>] {
        &self.old.texts
    }

    /// The words of each new footnote's text.
    pub(super) fn new_texts(&self) -> &[Vec<u32>] {
        &self.new.texts
    }

    /// The old nodes that cite old footnote `k` (an index into `Draft::footnotes`), in order.
    pub(super) fn old_citing(&self, k: usize) -> &[usize] {
        self.old.cited.get(k).map_or(&[], |c| &c.nodes)
    }

    /// The new nodes that cite new footnote `k`, in order.
    pub(super) fn new_citing(&self, k: usize) -> &[usize] {
        self.new.cited.get(k).map_or(&[], |c| &c.nodes)
    }

    /// The old footnote (index into `Draft::footnotes`) citation `c` of old node `k` refers
    /// to (`c` in the order of `Node::citations`).
    pub(crate) fn old_note(&self, k: usize, c: usize) -> Option<usize> {
        self.old.of_node(k).get(c).copied().flatten()
    }

    /// The new footnote citation `c` of new node `k` refers to.
    pub(crate) fn new_note(&self, k: usize, c: usize) -> Option<usize> {
        self.new.of_node(k).get(c).copied().flatten()
    }

    /// These words if they are of these drafts, else those read afresh.
    pub(crate) fn of<'w>(
        alignment: &'w Alignment,
        old: &Draft,
        new: &Draft,
    ) -> std::borrow::Cow<'w, FootnoteWords> {
        if alignment.footnote_words.fits(old, new) {
            std::borrow::Cow::Borrowed(&alignment.footnote_words)
        } else {
            std::borrow::Cow::Owned(FootnoteWords::read(old, new))
        }
    }

    /// Whether this can be of these drafts (an alignment is of the drafts it is used with;
    /// one of other drafts, with other footnotes, is not trusted).
    fn fits(&self, old: &Draft, new: &Draft) -> bool {
        self.old.texts.len() == old.footnotes.len()
            && self.new.texts.len() == new.footnotes.len()
            && self.old.starts.len() == old.nodes.len() + 1
            && self.new.starts.len() == new.nodes.len() + 1
    }
}

fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let m = rapidfuzz::distance::lcs_seq::similarity(a.iter(), b.iter());
    2.0 * m as f64 / (a.len() + b.len()) as f64
}

/// How much work a reconciliation did (for tests that check it grows with the input, not
/// with its square).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Candidate pairs put forward (before the duplicates were merged).
    pub candidates: usize,
    /// Similarities computed (of texts, and of the words before the citations).
    pub comparisons: usize,
}

/// Reconcile the footnotes of two drafts, given their node alignment (which holds the
/// footnotes' words, read while the drafts were aligned).
pub fn reconcile(old: &Draft, new: &Draft, alignment: &Alignment) -> Vec<FootnotePair> {
    reconcile_counting(old, new, alignment).0
}

/// [`reconcile`], also saying how much work it did.
pub fn reconcile_counting(
    old: &Draft,
    new: &Draft,
    alignment: &Alignment,
) -> (Vec<FootnotePair>, Work) {
    let words = FootnoteWords::of(alignment, old, new);
    let (o, n) = (&words.old, &words.new);
    let (ow, nw) = (&o.texts, &n.texts);
    let mut work = Work::default();
    // Each distinct text as a number, and the new footnotes of each text, in order.
    let mut ids: FxHashMap<&[u32], usize> = FxHashMap::default();
    let old_text = intern(&mut ids, ow);
    let new_text = intern(&mut ids, nw);
    let mut by_text: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for (j, &t) in new_text.iter().enumerate() {
        by_text[t].push(j);
    }
    // The groups each old footnote is cited in, and each new one (sorted, each once).
    let groups_of = |notes: &Notes, group: &[Option<usize>]| -> Vec<Vec<usize>> {
        notes
            .cited
            .iter()
            .map(|c| {
                let mut gs: Vec<usize> = c
                    .nodes
                    .iter()
                    .filter_map(|&k| group.get(k).copied().flatten())
                    .collect();
                gs.sort_unstable();
                gs.dedup();
                gs
            })
            .collect()
    };
    let old_groups = groups_of(o, &alignment.old_group);
    let new_groups = groups_of(n, &alignment.new_group);
    // Candidates as (old, new, linked), duplicates merged below.
    let mut cands: Vec<(usize, usize, bool)> = Vec::new();
    // Linked: per group, its old footnotes against its new ones (or the nearest of them).
    let mut seen_old = vec![usize::MAX; ow.len()];
    let mut seen_new = vec![usize::MAX; nw.len()];
    let (mut os, mut ns) = (Vec::new(), Vec::new());
    let mut diff = imara_diff::Diff::default();
    for (g, grp) in alignment.groups.iter().enumerate() {
        cited_in(o, &grp.old, g, &mut seen_old, &mut os);
        cited_in(n, &grp.new, g, &mut seen_new, &mut ns);
        if os.is_empty() || ns.is_empty() {
            continue;
        }
        if ns.len() <= NEAREST {
            for &i in &os {
                cands.extend(ns.iter().map(|&j| (i, j, true)));
            }
            continue;
        }
        let places = line_up(&os, &ns, &old_text, &new_text, ids.len(), &mut diff);
        for (&i, &at) in os.iter().zip(&places) {
            let near = &ns[at.saturating_sub(NEAREST / 2)..(at + NEAREST / 2).min(ns.len())];
            cands.extend(near.iter().map(|&j| (i, j, true)));
        }
    }
    // The same text.
    for (i, &t) in old_text.iter().enumerate() {
        let same = &by_text[t];
        if same.len() <= NEAREST {
            cands.extend(same.iter().map(|&j| (i, j, false)));
        } else {
            // A text repeated very often ("Ibid."): the nearest by position.
            let rel = i as f64 / ow.len().max(1) as f64;
            let centre = (rel * nw.len() as f64) as usize;
            let at = same.partition_point(|&j| j < centre);
            let near = &same[at.saturating_sub(NEAREST / 2)..(at + NEAREST / 2).min(same.len())];
            cands.extend(near.iter().map(|&j| (i, j, false)));
        }
    }
    work.candidates = cands.len();
    cands.sort_unstable();
    cands.dedup_by(|later, first| {
        let same = (later.0, later.1) == (first.0, first.1);
        if same {
            first.2 |= later.2;
        }
        same
    });
    // Every pair of the same text scores above every pair of different texts (2.5 or more
    // against 2.01 at most), so the best-first pairing takes all the former first: the
    // latter are scored only between footnotes left over, so an edited footnote costs the
    // comparisons of its texts and a draft of unchanged ones costs none.
    let (same, other): (Vec<_>, Vec<_>) = cands
        .into_iter()
        .partition(|&(i, j, _)| old_text[i] == new_text[j]);
    let mut ou = vec![false; old.footnotes.len()];
    let mut nu = vec![false; new.footnotes.len()];
    let mut pairs = Vec::new();
    let score = |i: usize, j: usize, linked: bool, text_sim: f64, work: &mut Work| {
        work.comparisons += 1;
        let ctx = similarity(&o.cited[i].context, &n.cited[j].context);
        let same_text = old_text[i] == new_text[j];
        let same_number = old.footnotes[i].number == new.footnotes[j].number;
        2.0 * same_text as u8 as f64
            + linked as u8 as f64
            + 0.5 * ctx
            + 0.5 * text_sim
            + 0.01 * same_number as u8 as f64
    };
    let scored: Vec<(f64, usize, usize)> = same
        .into_iter()
        .map(|(i, j, found_linked)| {
            // A candidate found outside the nearest of a long paragraph's citations is
            // linked all the same when the two are cited in one group.
            let linked = found_linked || meet(&old_groups[i], &new_groups[j]);
            (score(i, j, linked, 1.0, &mut work), i, j)
        })
        .collect();
    take(scored, old, new, &mut ou, &mut nu, &mut pairs);
    // An edited note must be cited from the same paragraph and still be half the same.
    let mut scored = Vec::new();
    for (i, j, linked) in other {
        if ou[i] || nu[j] || !linked {
            continue;
        }
        work.comparisons += 1;
        let text_sim = similarity(&ow[i], &nw[j]);
        if text_sim >= 0.5 {
            scored.push((score(i, j, linked, text_sim, &mut work), i, j));
        }
    }
    take(scored, old, new, &mut ou, &mut nu, &mut pairs);
    // A footnote no paragraph cites (in either draft) has no paragraph to link it: left
    // over, the k-th such of a number is the new draft's k-th such of that number when the
    // two are still half the same.
    let uncited = |cited: &[Citing], used: &[bool], d: &Draft| -> FxHashMap<u32, Vec<usize>> {
        let mut by_number: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
        for (k, f) in d.footnotes.iter().enumerate() {
            if !used[k] && cited[k].nodes.is_empty() {
                by_number.entry(f.number).or_default().push(k);
            }
        }
        by_number
    };
    let new_uncited = uncited(&n.cited, &nu, new);
    let mut scored = Vec::new();
    for (number, olds) in uncited(&o.cited, &ou, old) {
        let Some(news) = new_uncited.get(&number) else {
            continue;
        };
        for (&i, &j) in olds.iter().zip(news) {
            work.comparisons += 1;
            let text_sim = similarity(&ow[i], &nw[j]);
            if text_sim >= 0.5 {
                scored.push((score(i, j, false, text_sim, &mut work), i, j));
            }
        }
    }
    take(scored, old, new, &mut ou, &mut nu, &mut pairs);
    for (i, f) in old.footnotes.iter().enumerate() {
        if !ou[i] {
            pairs.push(FootnotePair {
                old: Some(f.number),
                new: None,
                old_note: Some(i),
                new_note: None,
            });
        }
    }
    for (j, f) in new.footnotes.iter().enumerate() {
        if !nu[j] {
            pairs.push(FootnotePair {
                old: None,
                new: Some(f.number),
                old_note: None,
                new_note: Some(j),
            });
        }
    }
    (in_reading_order(pairs), work)
}

/// Pair scored candidates best first (ties: the earlier old, then the earlier new footnote),
/// each footnote once.
fn take(
    mut scored: Vec<(f64, usize, usize)>,
    old: &Draft,
    new: &Draft,
    ou: &mut [bool],
    nu: &mut [bool],
    pairs: &mut Vec<FootnotePair>,
) {
    scored.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    for (_, i, j) in scored {
        if ou[i] || nu[j] {
            continue;
        }
        ou[i] = true;
        nu[j] = true;
        pairs.push(FootnotePair {
            old: Some(old.footnotes[i].number),
            new: Some(new.footnotes[j].number),
            old_note: Some(i),
            new_note: Some(j),
        });
    }
}

/// Each text's number: the same for the same words, counting on from those in `ids`.
fn intern<'w>(ids: &mut FxHashMap<&'w [u32], usize>, texts: &'w [Vec<u32>]) -> Vec<usize> {
    texts
        .iter()
        .map(|w| {
            let next = ids.len();
            *ids.entry(w.as_slice()).or_insert(next)
        })
        .collect()
}

/// The footnotes cited in some nodes (of group `g`), each once, in order of citation, into
/// `out`; `seen` marks those already taken for `g`.
fn cited_in(notes: &Notes, nodes: &[usize], g: usize, seen: &mut [usize], out: &mut Vec<usize>) {
    out.clear();
    for &k in nodes {
        for &f in notes.of_node(k).iter().flatten() {
            if seen[f] != g {
                seen[f] = g;
                out.push(f);
            }
        }
    }
}

/// Where each old citation falls among the new ones (an index into `new`): the two lists of
/// footnotes are lined up by a diff of their texts; one in a changed stretch falls at the same
/// proportion of the new stretch.
fn line_up(
    old: &[usize],
    new: &[usize],
    old_text: &[usize],
    new_text: &[usize],
    texts: usize,
    diff: &mut imara_diff::Diff,
) -> Vec<usize> {
    let token = |t: usize| imara_diff::Token(t as u32);
    let before: Vec<_> = old.iter().map(|&i| token(old_text[i])).collect();
    let after: Vec<_> = new.iter().map(|&j| token(new_text[j])).collect();
    diff.compute_with(
        imara_diff::Algorithm::Histogram,
        &before,
        &after,
        texts as u32,
    );
    let mut places = Vec::with_capacity(old.len());
    let (mut po, mut pn) = (0, 0);
    for h in diff.hunks() {
        let (b, a) = (
            h.before.start as usize..h.before.end as usize,
            h.after.start as usize..h.after.end as usize,
        );
        // The unchanged stretch before the hunk: one to one.
        places.extend((po..b.start).map(|p| pn + (p - po)));
        places.extend((0..b.len()).map(|k| a.start + k * a.len() / b.len()));
        (po, pn) = (b.end, a.end);
    }
    places.extend((po..old.len()).map(|p| pn + (p - po)));
    places
}

/// Whether two sorted lists share an element.
fn meet(a: &[usize], b: &[usize]) -> bool {
    let (mut x, mut y) = (0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Order as a reader expects: by new number; a deleted note after the new place of the
/// nearest earlier old note that survived.
fn in_reading_order(pairs: Vec<FootnotePair>) -> Vec<FootnotePair> {
    let mut survived: Vec<(u32, u32)> = pairs
        .iter()
        .filter_map(|p| Some((p.old?, p.new?)))
        .collect();
    survived.sort_unstable();
    let place = |p: &FootnotePair| -> (u32, u8, u32) {
        match (p.old, p.new) {
            (_, Some(n)) => (n, 0, 0),
            (Some(o), None) => {
                let k = survived.partition_point(|&(x, _)| x < o);
                let before = k.checked_sub(1).map_or(0, |k| survived[k].1);
                (before, 1, o)
            }
            (None, None) => (0, 2, 0),
        }
    };
    let mut keyed: Vec<((u32, u8, u32), FootnotePair)> =
        pairs.into_iter().map(|p| (place(&p), p)).collect();
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::definitions_cited;
    use crate::model::Draft;

    fn draft(text: &str) -> Draft {
        crate::ingest::parse("t", std::path::Path::new("t.md"), text)
    }

    /// The text of the definition each citation refers to, in order of citation.
    fn cited(text: &str) -> Vec<String> {
        let d = draft(text);
        definitions_cited(&d)
            .into_iter()
            .map(|k| k.map_or("-".to_string(), |k| d.footnotes[k].text.clone()))
            .collect()
    }

    #[test]
    fn a_number_defined_once_is_that_definition_wherever_it_is_cited() {
        let t = "A. One\n\n1. First.<sup>1</sup>\n\n<sup>1</sup> Note one.\n\n\
                 2. Again.<sup>1</sup> Never defined.<sup>7</sup>\n";
        assert_eq!(cited(t), ["Note one.", "Note one.", "-"]);
    }

    #[test]
    fn each_copy_of_a_draft_cites_its_own_definitions() {
        let one = "A. One\n\n1. First.<sup>1</sup> Second.<sup>2</sup>\n\n\
                   <sup>1</sup> Note one of COPY.\n\n<sup>2</sup> Note two of COPY.\n\n";
        let t = format!("{}{}", one.replace("COPY", "a"), one.replace("COPY", "b"));
        assert_eq!(
            cited(&t),
            [
                "Note one of a.",
                "Note two of a.",
                "Note one of b.",
                "Note two of b."
            ]
        );
    }

    #[test]
    fn citations_before_a_run_of_definitions_are_spread_over_it_in_order() {
        // Endnotes that restart with the annex, all at the end; one citation after them all.
        let t = "A. Body\n\n1. First.<sup>1</sup> Second.<sup>2</sup>\n\n\
                 B. Annex\n\n2. Annexed.<sup>1</sup>\n\n\
                 <sup>1</sup> Body note one.\n\n<sup>2</sup> Body note two.\n\n\
                 <sup>1</sup> Annex note one.\n\n\
                 3. Later.<sup>1</sup>\n";
        assert_eq!(
            cited(t),
            [
                "Body note one.",
                "Body note two.",
                "Annex note one.",
                "Annex note one."
            ]
        );
    }

    /// One paragraph citing `notes` (numbered in order), each defined after it.
    fn paragraph(notes: &[String]) -> String {
        let mut para = String::from("A. One\n\n1.");
        let mut defs = String::new();
        for (k, text) in notes.iter().enumerate() {
            para.push_str(&format!(" Clause {k}<sup>{}</sup>", k + 1));
            defs.push_str(&format!("<sup>{}</sup> {text}\n\n", k + 1));
        }
        format!("{para}.\n\n{defs}")
    }

    #[test]
    fn an_edited_note_is_found_in_a_long_paragraph_after_many_insertions() {
        // More citations than `NEAREST`, and more inserted before the edited one than it
        // reaches at the same proportion of the paragraph: the diff of the citations lines
        // the edited one up.
        let note = |k: usize| format!("Report of the OEWG, A/75/{k}, Annex I, para {k}.");
        let old: Vec<String> = (0..100).map(note).collect();
        let mut new: Vec<String> = (1000..1100).map(note).collect();
        new.extend(old.iter().cloned());
        new[100 + 80] = new[100 + 80].replace("Annex I", "Annex II");
        let (o, n) = (draft(&paragraph(&old)), draft(&paragraph(&new)));
        let r = crate::diff::redline(&o, &n);
        let count =
            |s: crate::diff::FootnoteStatus| r.footnotes.iter().filter(|f| f.status == s).count();
        use crate::diff::FootnoteStatus::*;
        assert_eq!(count(Modified), 1);
        assert_eq!(count(Renumbered), 99);
        assert_eq!(count(Added), 100);
        assert_eq!(count(Deleted), 0);
        let m = r.footnotes.iter().find(|f| f.status == Modified).unwrap();
        assert_eq!((m.old, m.new), (Some(81), Some(181)));
    }
}
