//! Footnote reconciliation: which old footnote is which new one. Footnotes are matched by
//! their text and by where they are cited; two footnotes with the same text are told apart by
//! the sentence that cites them.

use super::{Alignment, Vocabulary};
use crate::model::Draft;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// A footnote of the old draft and its counterpart in the new one (either may be missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FootnotePair {
    pub old: Option<u32>,
    pub new: Option<u32>,
}

/// Where a footnote is cited: the citing node and the words just before the mark.
#[derive(Debug, Clone)]
struct Citing {
    nodes: Vec<usize>,
    context: Vec<u32>,
}

/// Where each footnote number is cited, in one pass over the draft.
fn citing<'t>(d: &'t Draft, vocab: &mut Vocabulary<'t>) -> FxHashMap<u32, Citing> {
    let mut out: FxHashMap<u32, Citing> = FxHashMap::default();
    // The words before a mark, one buffer for them all.
    let mut ws: Vec<&str> = Vec::new();
    for (i, n) in d.nodes.iter().enumerate() {
        for c in &n.citations {
            let e = out.entry(c.footnote).or_insert_with(|| Citing {
                nodes: Vec::new(),
                context: Vec::new(),
            });
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
    out
}

/// The words reconciliation compares, read from two drafts once: each footnote's text and
/// where each is cited, as word ids of one vocabulary (compared only with each other). It does
/// not depend on the alignment, so [`super::align`] reads it while the second core is idle.
#[derive(Debug, Clone)]
pub struct FootnoteWords {
    old_texts: Vec<Vec<u32>>,
    new_texts: Vec<Vec<u32>>,
    old_cites: FxHashMap<u32, Citing>,
    new_cites: FxHashMap<u32, Citing>,
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
        let old_cites = citing(old, &mut vocab);
        let new_cites = citing(new, &mut vocab);
        let old_texts = old.footnotes.iter().map(|f| vocab.ids(&f.text)).collect();
        let new_texts = new.footnotes.iter().map(|f| vocab.ids(&f.text)).collect();
        FootnoteWords {
            old_texts,
            new_texts,
            old_cites,
            new_cites,
        }
    }

    /// The words of each old footnote's text, in the order of `Draft::footnotes`.
    pub(super) fn old_texts(&self) -> &[Vec<u32>] {
        &self.old_texts
    }

    /// The words of each new footnote's text.
    pub(super) fn new_texts(&self) -> &[Vec<u32>] {
        &self.new_texts
    }

    /// Whether this can be of these drafts (an alignment is of the drafts it is used with;
    /// one of other drafts, with other footnotes, is not trusted).
    fn fits(&self, old: &Draft, new: &Draft) -> bool {
        self.old_texts.len() == old.footnotes.len() && self.new_texts.len() == new.footnotes.len()
    }
}

fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let m = rapidfuzz::distance::lcs_seq::similarity(a.iter(), b.iter());
    2.0 * m as f64 / (a.len() + b.len()) as f64
}

/// How many words just before a citation tell it apart.
const CONTEXT_WORDS: usize = 10;

/// How much text before a citation (bytes) is read for the words that tell it apart.
const CONTEXT_BYTES: usize = 120;

/// Reconcile the footnotes of two drafts, given their node alignment (which holds the
/// footnotes' words, read while the drafts were aligned).
pub fn reconcile(old: &Draft, new: &Draft, alignment: &Alignment) -> Vec<FootnotePair> {
    let read;
    let words = if alignment.footnote_words.fits(old, new) {
        &alignment.footnote_words
    } else {
        read = FootnoteWords::read(old, new);
        &read
    };
    let (old_cites, new_cites) = (&words.old_cites, &words.new_cites);
    let (ow, nw) = (&words.old_texts, &words.new_texts);
    let empty = Citing {
        nodes: Vec::new(),
        context: Vec::new(),
    };
    let oc: Vec<&Citing> = old
        .footnotes
        .iter()
        .map(|f| old_cites.get(&f.number).unwrap_or(&empty))
        .collect();
    let nc: Vec<&Citing> = new
        .footnotes
        .iter()
        .map(|f| new_cites.get(&f.number).unwrap_or(&empty))
        .collect();
    // Candidates without comparing every pair: same text, or cited from aligned paragraphs.
    let mut by_text: HashMap<&[u32], Vec<usize>> = HashMap::new();
    for (j, w) in nw.iter().enumerate() {
        by_text.entry(w.as_slice()).or_default().push(j);
    }
    let mut new_index_of: HashMap<u32, Vec<usize>> = HashMap::new();
    for (j, f) in new.footnotes.iter().enumerate() {
        new_index_of.entry(f.number).or_default().push(j);
    }
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, of) in old.footnotes.iter().enumerate() {
        let mut linked_js: Vec<usize> = Vec::new();
        for &on in &oc[i].nodes {
            let Some(g) = alignment.old_group[on] else {
                continue;
            };
            for &nn in &alignment.groups[g].new {
                for c in &new.nodes[nn].citations {
                    linked_js.extend(new_index_of.get(&c.footnote).into_iter().flatten());
                }
            }
        }
        linked_js.sort_unstable();
        linked_js.dedup();
        let mut js: Vec<usize> = linked_js.clone();
        if let Some(same) = by_text.get(ow[i].as_slice()) {
            if same.len() <= 32 {
                js.extend(same);
            } else {
                // A text repeated very often ("Ibid."): the nearest by position.
                let rel = i as f64 / old.footnotes.len().max(1) as f64;
                let centre = (rel * new.footnotes.len() as f64) as usize;
                let at = same.partition_point(|&j| j < centre);
                js.extend(&same[at.saturating_sub(16)..(at + 16).min(same.len())]);
            }
        }
        js.sort_unstable();
        js.dedup();
        for j in js {
            let nf = &new.footnotes[j];
            let same_text = ow[i] == nw[j];
            let linked = linked_js.binary_search(&j).is_ok();
            // Identical text, or an edited note cited from the same paragraph.
            let text_sim = if same_text {
                1.0
            } else if linked {
                similarity(&ow[i], &nw[j])
            } else {
                continue;
            };
            if !same_text && text_sim < 0.5 {
                continue;
            }
            let ctx = similarity(&oc[i].context, &nc[j].context);
            let score = 2.0 * same_text as u8 as f64
                + linked as u8 as f64
                + 0.5 * ctx
                + 0.5 * text_sim
                + 0.01 * (of.number == nf.number) as u8 as f64;
            cands.push((score, i, j));
        }
    }
    cands.sort_by(|a, b| {
        b.0.partial_cmp(&a.0)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let mut ou = vec![false; old.footnotes.len()];
    let mut nu = vec![false; new.footnotes.len()];
    let mut pairs = Vec::new();
    for (_, i, j) in cands {
        if ou[i] || nu[j] {
            continue;
        }
        ou[i] = true;
        nu[j] = true;
        pairs.push(FootnotePair {
            old: Some(old.footnotes[i].number),
            new: Some(new.footnotes[j].number),
        });
    }
    for (i, f) in old.footnotes.iter().enumerate() {
        if !ou[i] {
            pairs.push(FootnotePair {
                old: Some(f.number),
                new: None,
            });
        }
    }
    for (j, f) in new.footnotes.iter().enumerate() {
        if !nu[j] {
            pairs.push(FootnotePair {
                old: None,
                new: Some(f.number),
            });
        }
    }
    // Order as a reader expects: by new number; a deleted note after the new place of the
    // nearest earlier old note that survived.
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
