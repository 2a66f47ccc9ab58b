//! Footnote reconciliation: which old footnote is which new one. Footnotes are matched by
//! their text and by where they are cited; two footnotes with the same text are told apart by
//! the sentence that cites them.

use super::{Alignment, Vocabulary};
use crate::model::Draft;

/// A footnote of the old draft and its counterpart in the new one (either may be missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FootnotePair {
    pub old: Option<u32>,
    pub new: Option<u32>,
}

/// Where a footnote is cited: the citing node and the words just before the mark.
struct Citing {
    nodes: Vec<usize>,
    context: Vec<u32>,
}

fn citing(d: &Draft, number: u32, vocab: &mut Vocabulary) -> Citing {
    let mut nodes = Vec::new();
    let mut context = Vec::new();
    for (i, n) in d.nodes.iter().enumerate() {
        for c in n.citations.iter().filter(|c| c.footnote == number) {
            nodes.push(i);
            if context.is_empty() {
                let before = &n.text[..c.offset.min(n.text.len())];
                let ws = vocab.ids(before);
                context = ws[ws.len().saturating_sub(10)..].to_vec();
            }
        }
    }
    Citing { nodes, context }
}

fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let m = rapidfuzz::distance::lcs_seq::similarity(a.iter(), b.iter());
    2.0 * m as f64 / (a.len() + b.len()) as f64
}

/// Reconcile the footnotes of two drafts, given the node alignment.
pub fn reconcile(old: &Draft, new: &Draft, alignment: &Alignment) -> Vec<FootnotePair> {
    let mut vocab = Vocabulary::default();
    let oc: Vec<Citing> = old
        .footnotes
        .iter()
        .map(|f| citing(old, f.number, &mut vocab))
        .collect();
    let nc: Vec<Citing> = new
        .footnotes
        .iter()
        .map(|f| citing(new, f.number, &mut vocab))
        .collect();
    let ow: Vec<Vec<u32>> = old.footnotes.iter().map(|f| vocab.ids(&f.text)).collect();
    let nw: Vec<Vec<u32>> = new.footnotes.iter().map(|f| vocab.ids(&f.text)).collect();
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, of) in old.footnotes.iter().enumerate() {
        for (j, nf) in new.footnotes.iter().enumerate() {
            let same_text = ow[i] == nw[j];
            let linked = || {
                oc[i].nodes.iter().any(|&on| {
                    alignment.old_group[on].is_some_and(|g| {
                        nc[j]
                            .nodes
                            .iter()
                            .any(|&nn| alignment.new_group[nn] == Some(g))
                    })
                })
            };
            // Identical text, or an edited note cited from the same paragraph.
            let (linked, text_sim) = if same_text {
                (linked(), 1.0)
            } else if linked() {
                (true, similarity(&ow[i], &nw[j]))
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
    let pairs_snapshot = pairs.clone();
    // Order as a reader expects: by new number; a deleted note after the new place of the
    // nearest earlier old note that survived.
    let place = |p: &FootnotePair| -> (u32, u8, u32) {
        match (p.old, p.new) {
            (_, Some(n)) => (n, 0, 0),
            (Some(o), None) => {
                let before = pairs_snapshot
                    .iter()
                    .filter(|q| q.new.is_some() && q.old.is_some_and(|x| x < o))
                    .max_by_key(|q| q.old)
                    .and_then(|q| q.new)
                    .unwrap_or(0);
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
