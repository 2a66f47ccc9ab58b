//! Align: which node of the old draft is which node of the new one, by content, never by
//! number. Also which section is which, and (in [`footnotes`]) which footnote is which.
//!
//! Steps: sections by heading; identical texts; then candidates found through an index of
//! rare words (so a draft 100 times longer costs about 100 times more, not 10,000), scored by
//! a word-level diff and paired greedily, best first, above a threshold (unrelated text is
//! never paired); then splits and merges among what is left.
//!
//! Treaty articles are renumbered and merged between revisions (Article 4 becomes Article 7)
//! and may lose their topic, so for treaties sections are matched by where their paragraphs
//! went (a vote weighted by words), the heading only breaking ties; article headings are then
//! paired by that matching, never by their text.

pub mod footnotes;

use crate::diff::tokens;
use crate::model::{Draft, Family, NodeKind};
use std::collections::HashMap;

/// A group of nodes that correspond: 1:1 (same paragraph), 1:n (split), n:1 (merge),
/// 1:0 (deleted) or 0:1 (added). Indices are into `Draft::nodes`, in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub old: Vec<usize>,
    pub new: Vec<usize>,
    /// Similarity of the texts (0..=1; 1 for identical text).
    pub score: f64,
}

impl Group {
    pub fn is_split(&self) -> bool {
        self.old.len() == 1 && self.new.len() > 1
    }
    pub fn is_merge(&self) -> bool {
        self.old.len() > 1 && self.new.len() == 1
    }
}

/// The alignment of two drafts.
#[derive(Debug, Clone)]
pub struct Alignment {
    pub groups: Vec<Group>,
    /// Old section id -> new section id, for sections that correspond (by heading; for
    /// treaties by where their paragraphs went).
    pub sections: HashMap<String, String>,
    /// Old section (ordinal in `Draft::sections`) -> new section, where headings correspond.
    pub section_pairs: Vec<Option<usize>>,
    /// The section ordinal of each old node and of each new node.
    pub old_section: Vec<Option<usize>>,
    pub new_section: Vec<Option<usize>>,
    /// Old node -> index of its group; new node -> index of its group.
    pub old_group: Vec<Option<usize>>,
    pub new_group: Vec<Option<usize>>,
    /// The words of the footnotes and of their citing passages, for [`footnotes::reconcile`].
    pub footnote_words: footnotes::FootnoteWords,
}

/// Above this many word pairs, two paragraphs are compared by shared words, not subsequence.
const LCS_CELLS: usize = 4_000_000;

/// Below this similarity two texts are unrelated and never paired.
pub const THRESHOLD: f64 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Title,
    Heading,
    Body,
}

fn class(k: NodeKind) -> Class {
    match k {
        NodeKind::Title => Class::Title,
        NodeKind::Heading => Class::Heading,
        _ => Class::Body,
    }
}

/// Lower-cased words as numbers, shared by both drafts, so comparisons are of integers.
/// A word is looked up as written first (most words recur as written), lower-cased only
/// the first time it is seen.
#[derive(Default)]
pub(crate) struct Vocabulary<'t> {
    as_written: rustc_hash::FxHashMap<&'t str, u32>,
    /// Lower-cased words (borrowed from the text when written in lower case already).
    lower: rustc_hash::FxHashMap<std::borrow::Cow<'t, str>, u32>,
}

impl<'t> Vocabulary<'t> {
    /// A vocabulary with room from the start for the words of `bytes` of text (about one
    /// distinct word in 40 bytes of a draft).
    pub(crate) fn for_text(bytes: usize) -> Self {
        let words = bytes / 40;
        Vocabulary {
            as_written: rustc_hash::FxHashMap::with_capacity_and_hasher(words, Default::default()),
            lower: rustc_hash::FxHashMap::with_capacity_and_hasher(words, Default::default()),
        }
    }

    pub(crate) fn ids(&mut self, text: &'t str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 6);
        for word in tokens::Words::new(text) {
            out.push(self.id(word));
        }
        out
    }

    /// The id of one word (one of [`tokens::Words`]).
    #[inline]
    pub(crate) fn id(&mut self, word: &'t str) -> u32 {
        match self.as_written.get(word) {
            Some(&id) => id,
            None => {
                let id = self.id_of_lower(word);
                self.as_written.insert(word, id);
                id
            }
        }
    }

    /// Distinct lower-cased words.
    pub(crate) fn len(&self) -> usize {
        self.lower.len()
    }

    fn id_of_lower(&mut self, word: &'t str) -> u32 {
        use std::borrow::Cow;
        let lower: Cow<'t, str> = if word.bytes().all(|b| b < 0x80 && !b.is_ascii_uppercase()) {
            Cow::Borrowed(word)
        } else if word.is_ascii() && word.len() <= 32 {
            // Lower-cased on the stack; a string is made only for a word not seen before.
            let mut buf = [0u8; 32];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            let lower = std::str::from_utf8(lower).unwrap_or_default();
            if let Some(&id) = self.lower.get(lower) {
                return id;
            }
            Cow::Owned(lower.to_string())
        } else if word.is_ascii() {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Owned(word.chars().flat_map(char::to_lowercase).collect())
        };
        let next = self.lower.len() as u32;
        *self.lower.entry(lower).or_insert(next)
    }
}

/// Words of every node, computed once: in order, and as a bag (each distinct word with its
/// count, for a cheap upper bound); and, when first asked for, each node's prepared
/// subsequence comparison.
struct Side {
    words: Vec<Vec<u32>>,
    bags: Vec<Bag>,
    lcs: Vec<std::cell::OnceCell<rapidfuzz::distance::lcs_seq::BatchComparator<u32>>>,
    /// Words the prepared comparisons may still hold (they cost memory: a long draft keeps
    /// only so many, and compares the rest unprepared, with the same result).
    lcs_budget: std::cell::Cell<usize>,
}

/// Words of prepared comparisons one side keeps at most.
const LCS_KEPT_WORDS: usize = 1 << 16;

impl Side {
    /// A side of the alignment, from the words of each of its nodes.
    fn new(words: Vec<Vec<u32>>) -> Self {
        let lcs = (0..words.len())
            .map(|_| std::cell::OnceCell::new())
            .collect();
        Side {
            words,
            bags: Vec::new(),
            lcs,
            lcs_budget: std::cell::Cell::new(LCS_KEPT_WORDS),
        }
    }

    /// The overlap of node `i` with a word sequence, through node `i`'s prepared comparison
    /// (built once, reused for every candidate it is compared with).
    fn overlap(&self, i: usize, b: &[u32]) -> Overlap {
        let a = &self.words[i];
        overlap_counted(a, b, || {
            if self.lcs[i].get().is_none() {
                let left = self.lcs_budget.get();
                if left < a.len() {
                    return rapidfuzz::distance::lcs_seq::similarity(a.iter(), b.iter());
                }
                self.lcs_budget.set(left - a.len());
            }
            self.lcs[i]
                .get_or_init(|| {
                    rapidfuzz::distance::lcs_seq::BatchComparator::new(a.iter().copied())
                })
                .similarity(b.iter().copied())
        })
    }
}

/// A node's distinct words, each with how often it occurs, in order of first occurrence.
type Bag = Vec<(u32, u32)>;

impl Side {
    /// Fill in the bags, once every word has its id (`vocabulary` ids in all).
    fn make_bags(&mut self, vocabulary: usize) {
        let mut count = vec![0u32; vocabulary];
        self.bags = self
            .words
            .iter()
            .map(|ws| {
                let mut bag: Bag = Vec::with_capacity(ws.len());
                for &w in ws {
                    if count[w as usize] == 0 {
                        bag.push((w, 0));
                    }
                    count[w as usize] += 1;
                }
                for e in &mut bag {
                    e.1 = std::mem::take(&mut count[e.0 as usize]);
                }
                bag
            })
            .collect();
    }
}

/// Counts the words one node shares with others (an upper bound of their longest common
/// subsequence): the node's bag is spread into a table by word once, then each other bag is
/// looked up word by word, with no sorting and no merging.
struct Shared {
    count: Vec<u32>,
    /// The node whose bag is in the table (its side: `true` for the old draft).
    loaded: Option<(bool, usize)>,
    loaded_words: Vec<u32>,
}

impl Shared {
    fn new(vocabulary: usize) -> Self {
        Shared {
            count: vec![0; vocabulary],
            loaded: None,
            loaded_words: Vec::new(),
        }
    }

    /// The words node `a` (its bag `a_bag`, on the old side when `a.0`) shares with `b`.
    fn count(&mut self, a: (bool, usize), a_bag: &[(u32, u32)], b: &[(u32, u32)]) -> usize {
        if self.loaded != Some(a) {
            for &w in &self.loaded_words {
                self.count[w as usize] = 0;
            }
            self.loaded_words.clear();
            for &(w, c) in a_bag {
                self.count[w as usize] = c;
                self.loaded_words.push(w);
            }
            self.loaded = Some(a);
        }
        b.iter()
            .map(|&(w, c)| self.count[w as usize].min(c) as usize)
            .sum()
    }
}

/// Words two sorted sequences share.
fn shared_sorted(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    // Without branches: the next step is unpredictable, so a branch would miss half the time.
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    n
}

/// How much two word sequences share.
#[derive(Debug, Clone, Copy)]
struct Overlap {
    matched: usize,
    ratio: f64,
    cover_old: f64,
    cover_new: f64,
}

fn overlap(a: &[u32], b: &[u32]) -> Overlap {
    overlap_counted(a, b, || {
        rapidfuzz::distance::lcs_seq::similarity(a.iter(), b.iter())
    })
}

/// [`overlap`], with the longest common subsequence counted by `lcs`.
fn overlap_counted(a: &[u32], b: &[u32], lcs: impl FnOnce() -> usize) -> Overlap {
    if a.is_empty() || b.is_empty() {
        return Overlap {
            matched: 0,
            ratio: if a.is_empty() && b.is_empty() {
                1.0
            } else {
                0.0
            },
            cover_old: 0.0,
            cover_new: 0.0,
        };
    }
    // Longest common subsequence of words (bit-parallel, so cheap enough to score every
    // candidate pair). Two very long paragraphs are compared by their shared words instead
    // (an upper bound of the subsequence), so alignment stays linear; the word diff of the
    // pair is still exact or says it was not.
    let matched = if a.len().saturating_mul(b.len()) > LCS_CELLS {
        let (mut x, mut y) = (a.to_vec(), b.to_vec());
        x.sort_unstable();
        y.sort_unstable();
        shared_sorted(&x, &y)
    } else {
        lcs()
    };
    Overlap::of(matched, a.len(), b.len())
}

impl Overlap {
    /// The overlap of two non-empty sequences of `a` and `b` words that share `matched`.
    fn of(matched: usize, a: usize, b: usize) -> Overlap {
        Overlap {
            matched,
            ratio: 2.0 * matched as f64 / (a + b) as f64,
            cover_old: matched as f64 / a as f64,
            cover_new: matched as f64 / b as f64,
        }
    }
}

/// Whether an overlap is strong enough to call two texts the same paragraph.
fn related(o: &Overlap) -> bool {
    o.ratio >= THRESHOLD
        || (o.ratio >= 0.3 && o.cover_old.max(o.cover_new) >= 0.75 && o.matched >= 12)
}

/// A node's relative place in its draft (0 at the start, 1 at the end).
fn rel(i: usize, d: &Draft) -> f64 {
    i as f64 / d.nodes.len().max(1) as f64
}

/// Common opening words of two texts.
fn common_prefix(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Which kinds of body node can stand for each other in the same-section pass.
fn family(k: NodeKind) -> u8 {
    match k {
        NodeKind::Paragraph => 0,
        NodeKind::Item | NodeKind::Subitem => 1,
        NodeKind::Step => 2,
        NodeKind::Text => 3,
        NodeKind::Title => 4,
        NodeKind::Heading => 5,
        // An option is an alternative paragraph (or item): it may become either.
        NodeKind::Option => 0,
        NodeKind::Preambular => 6,
    }
}

/// Whether an old node's section (`old`, an ordinal) and a new node's correspond under
/// `pairs` (two nodes outside any section do too).
fn sections_correspond(pairs: &[Option<usize>], old: Option<usize>, new: Option<usize>) -> bool {
    match (old, new) {
        (Some(a), Some(b)) => pairs[a] == Some(b),
        (None, None) => true,
        _ => false,
    }
}

/// What [`Aligner::attach_parts`] reads while it judges leftovers: the groups as they stand
/// before the pass, the words of both sides and the section pairing.
struct PartSearch<'s> {
    /// A split (parts are new nodes, anchors old ones) or a merge.
    split: bool,
    groups: &'s [Group],
    /// The group of each anchor-side node.
    anchor_group: &'s [Option<usize>],
    anchor_draft: &'s Draft,
    part_words: &'s [Vec<u32>],
    part_bags: &'s [Bag],
    /// The anchor side's words (bags and prepared comparisons).
    anchor: &'s Side,
    old_section: &'s [Option<usize>],
    new_section: &'s [Option<usize>],
    section_pairs: &'s [Option<usize>],
}

impl PartSearch<'_> {
    fn same_section(&self, oi: usize, ni: usize) -> bool {
        sections_correspond(
            self.section_pairs,
            self.old_section[oi],
            self.new_section[ni],
        )
    }

    /// For each leftover (with its scored candidate anchors), the group it joins, if any:
    /// the paired anchor that covers most of it, provided the leftover brings the anchor
    /// words its partner(s) do not have.
    fn anchors(
        &self,
        queries: &[Query],
        lists: &[Scored],
        shared: &mut Shared,
    ) -> Vec<Option<usize>> {
        let split = self.split;
        // What a group's parts already share with its anchor (groups do not change while
        // leftovers are judged, so once per group).
        let mut already: rustc_hash::FxHashMap<usize, usize> = Default::default();
        let mut out = Vec::with_capacity(queries.len());
        for (&(li, _, _), all) in queries.iter().zip(lists) {
            let mut best: Option<(f64, usize)> = None;
            for oi in Index::best(all, 8, |_| true) {
                let Some(g) = self.anchor_group[oi] else {
                    continue;
                };
                let grp = &self.groups[g];
                let anchor_len = if split { grp.old.len() } else { grp.new.len() };
                if anchor_len != 1 || !self.anchor_draft.nodes[oi].kind.is_body() {
                    continue;
                }
                let bag = shared.count((!split, li), &self.part_bags[li], &self.anchor.bags[oi]);
                if bag < 10 {
                    continue; // cannot reach the dozen words asked below
                }
                // Parts of a split or merge stay in their section (a repeated passage elsewhere
                // in the draft is not a part).
                let same = if split {
                    self.same_section(oi, li)
                } else {
                    self.same_section(li, oi)
                };
                if !same {
                    continue;
                }
                // `cover_new` is the share of the leftover found in the anchor.
                let ov = self.anchor.overlap(oi, &self.part_words[li]);
                // Not enough in common, or no better than the best anchor found so far (then
                // what the part would bring need not be computed).
                if ov.matched < 10 || best.is_some_and(|(s, _)| ov.cover_new <= s) {
                    continue;
                }
                let parts = if split { &grp.new } else { &grp.old };
                let joined_with = |extra: Option<usize>| -> Vec<u32> {
                    let mut ps: Vec<usize> = parts.clone();
                    ps.extend(extra);
                    ps.sort_unstable();
                    ps.iter()
                        .flat_map(|&p| self.part_words[p].iter().copied())
                        .collect()
                };
                let before = match already.get(&g) {
                    Some(&b) => b,
                    None => {
                        let b = self.anchor.overlap(oi, &joined_with(None)).matched;
                        already.insert(g, b);
                        b
                    }
                };
                let gain =
                    self.anchor.overlap(oi, &joined_with(Some(li))).matched as f64 - before as f64;
                // The part must bring words of the anchor that its partner(s) do not: a good
                // share of the part, or a dozen words of the anchor.
                if gain < 0.6 * ov.matched as f64 || (ov.cover_new < 0.35 && gain < 12.0) {
                    continue;
                }
                best = Some((ov.cover_new, g));
            }
            out.push(best.map(|(_, g)| g));
        }
        out
    }
}

/// The working state of an alignment.
struct Aligner<'a> {
    old: &'a Draft,
    new: &'a Draft,
    o: Side,
    n: Side,
    old_used: Vec<bool>,
    new_used: Vec<bool>,
    groups: Vec<Group>,
    group_of_old: Vec<Option<usize>>,
    group_of_new: Vec<Option<usize>>,
    /// Old section ordinal -> new section ordinal, and each node's section ordinal.
    section_pairs: Vec<Option<usize>>,
    old_section: Vec<Option<usize>>,
    new_section: Vec<Option<usize>>,
    /// The same pairing by section id (what the treaty rules reason with).
    sections: HashMap<String, String>,
    /// Either draft is a treaty.
    treaty: bool,
    /// Word indexes over all old and all new nodes, built once.
    old_index: Index,
    new_index: Index,
    cache: std::cell::RefCell<rustc_hash::FxHashMap<(usize, usize), Overlap>>,
    shared: std::cell::RefCell<Shared>,
    /// The footnotes' words (read for reconciliation; the footnote pass uses them too).
    footnote_words: footnotes::FootnoteWords,
}

impl<'a> Aligner<'a> {
    /// Which kinds stand for each other in the same-section pass. In a treaty an article's
    /// unnumbered text, its numbered paragraphs and its options are one family: an option
    /// becomes the paragraph, a lone paragraph loses its number.
    fn family(&self, k: NodeKind) -> u8 {
        match k {
            NodeKind::Text if self.treaty => family(NodeKind::Paragraph),
            _ => family(k),
        }
    }

    fn same_section(&self, oi: usize, ni: usize) -> bool {
        sections_correspond(
            &self.section_pairs,
            self.old_section[oi],
            self.new_section[ni],
        )
    }

    fn pair(&mut self, oi: usize, ni: usize, score: f64) {
        self.old_used[oi] = true;
        self.new_used[ni] = true;
        self.groups.push(Group {
            old: vec![oi],
            new: vec![ni],
            score,
        });
        let g = self.groups.len() - 1;
        self.group_of_old[oi] = Some(g);
        self.group_of_new[ni] = Some(g);
    }

    /// Whether two nodes may be paired at all. A heading inside a section (a "Recommended
    /// next steps" heading, a sub-heading) says nothing by its text alone (every section may
    /// have the same one): it pairs only with a heading in the corresponding section, never
    /// across sections, however alike the texts.
    fn may_pair(&self, oi: usize, ni: usize) -> bool {
        let (o, n) = (&self.old.nodes[oi], &self.new.nodes[ni]);
        let inner_heading = |node: &crate::model::Node| {
            node.kind == NodeKind::Heading
                && node.section.is_some()
                && node.section.as_deref() != Some(node.label.as_str())
        };
        if !inner_heading(o) && !inner_heading(n) {
            return true;
        }
        match (&o.section, &n.section) {
            (Some(os), Some(ns)) => self.sections.get(os) == Some(ns),
            _ => false,
        }
    }

    /// Identical texts: ties broken by section, kind, label, then relative position.
    fn identical(&mut self) {
        let mut by_text: rustc_hash::FxHashMap<(Class, &str), Vec<usize>> = Default::default();
        for (i, node) in self.new.nodes.iter().enumerate() {
            by_text
                .entry((class(node.kind), node.text.as_str()))
                .or_default()
                .push(i);
        }
        // For a text repeated many times, pair occurrences in order (bounded work). Empty
        // texts too (a number left with no words): the same empty paragraph is no change, and
        // is found by its place like any other repeated text.
        let mut cursor: rustc_hash::FxHashMap<(Class, &str), usize> = Default::default();
        for (oi, node) in self.old.nodes.iter().enumerate() {
            // A node held back (a treaty's section heading, paired later by its section)
            // takes no partner here: it would take one of the same text from another node
            // (an empty heading `## Article 3` took an empty option's), which then had none.
            if self.old_used[oi] {
                continue;
            }
            let key = (class(node.kind), node.text.as_str());
            let Some(cands) = by_text.get(&key) else {
                continue;
            };
            if cands.len() > 16 {
                let at = cursor.entry(key).or_insert(0);
                while *at < cands.len()
                    && (self.new_used[cands[*at]] || !self.may_pair(oi, cands[*at]))
                {
                    *at += 1;
                }
                if let Some(&ni) = cands.get(*at) {
                    self.pair(oi, ni, 1.0);
                }
                continue;
            }
            let best = cands
                .iter()
                .copied()
                .filter(|&ni| !self.new_used[ni] && self.may_pair(oi, ni))
                .max_by_key(|&ni| {
                    let same_sec = self.same_section(oi, ni) as i64;
                    let same_kind = (self.new.nodes[ni].kind == node.kind) as i64;
                    let same_label = (self.new.nodes[ni].label == node.label) as i64;
                    let rel_o = oi as f64 / self.old.nodes.len().max(1) as f64;
                    let rel_n = ni as f64 / self.new.nodes.len().max(1) as f64;
                    let near = -((rel_o - rel_n).abs() * 1000.0) as i64;
                    (same_sec, same_kind, same_label, near)
                });
            if let Some(ni) = best {
                self.pair(oi, ni, 1.0);
            }
        }
    }

    /// The overlap of an old and a new node, computed once.
    fn overlap(&self, oi: usize, ni: usize) -> Overlap {
        *self
            .cache
            .borrow_mut()
            .entry((oi, ni))
            .or_insert_with(|| self.o.overlap(oi, &self.n.words[ni]))
    }

    /// The words each candidate pair of unpaired nodes of one class shares (`None` for the
    /// others).
    fn shared_counts(&self, cands: &[(usize, usize)]) -> Vec<Option<usize>> {
        let (old_bags, new_bags) = (&self.o.bags, &self.n.bags);
        let (old_used, new_used) = (&self.old_used, &self.new_used);
        let (old, new) = (self.old, self.new);
        let shared = &mut self.shared.borrow_mut();
        cands
            .iter()
            .map(|&(oi, ni)| {
                let live = !old_used[oi]
                    && !new_used[ni]
                    && class(old.nodes[oi].kind) == class(new.nodes[ni].kind);
                live.then(|| shared.count((true, oi), &old_bags[oi], &new_bags[ni]))
            })
            .collect()
    }

    /// Pair what is left, best first, among the candidates `cands` gives, keeping the pairs
    /// `accept` admits. Pairs whose words could not reach `min_ratio` (and that do not share
    /// `prefix` opening words) are not scored at all.
    fn greedy(
        &mut self,
        cands: Vec<(usize, usize)>,
        min_ratio: f64,
        prefix: usize,
        accept: impl Fn(&Self, usize, usize, &Overlap) -> bool,
    ) {
        // First the pairs worth scoring (nothing is paired before the end, so which they are
        // does not depend on the order), then their overlaps, then the scores.
        let counts = self.shared_counts(&cands);
        let mut todo: Vec<(usize, usize)> = Vec::new();
        for ((oi, ni), bag) in cands.into_iter().zip(counts) {
            let Some(bag) = bag else { continue };
            let (a, b) = (&self.o.words[oi], &self.n.words[ni]);
            let bound = 2.0 * bag as f64 / (a.len() + b.len()).max(1) as f64;
            if bound < min_ratio && common_prefix(&self.o.words[oi], &self.n.words[ni]) < prefix {
                continue;
            }
            // Every `accept` asks for enough overlap and nothing else of it, so if even the
            // shared words (an upper bound of the subsequence) fall short, the subsequence
            // would too: no need to compute it.
            if !a.is_empty()
                && !b.is_empty()
                && !accept(self, oi, ni, &Overlap::of(bag, a.len(), b.len()))
            {
                continue;
            }
            if !self.may_pair(oi, ni) {
                continue;
            }
            todo.push((oi, ni));
        }
        let mut scored: Vec<(f64, usize, usize, f64)> = Vec::with_capacity(todo.len());
        for (oi, ni) in todo {
            let ov = self.overlap(oi, ni);
            if !accept(self, oi, ni, &ov) {
                continue;
            }
            let mut score = ov.ratio.max(0.6 * ov.cover_old.max(ov.cover_new));
            if self.same_section(oi, ni) {
                score += 0.05;
            }
            if self.new.nodes[ni].kind == self.old.nodes[oi].kind {
                score += 0.02;
            }
            // Between equally good candidates (repeated boilerplate), the one at the same
            // relative place in the draft.
            let rel_o = oi as f64 / self.old.nodes.len().max(1) as f64;
            let rel_n = ni as f64 / self.new.nodes.len().max(1) as f64;
            score -= 0.01 * (rel_o - rel_n).abs();
            scored.push((score, oi, ni, ov.ratio));
        }
        scored.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        for (_, oi, ni, ratio) in scored {
            if !self.old_used[oi] && !self.new_used[ni] {
                self.pair(oi, ni, ratio);
            }
        }
    }

    /// Candidate pairs for the unpaired old nodes, through an index of the unpaired new ones.
    fn candidates(&self, k: usize, same_section: bool) -> Vec<(usize, usize)> {
        let queries: Vec<Query> = (0..self.old.nodes.len())
            .filter(|&oi| !self.old_used[oi])
            .map(|oi| (oi, self.o.bags[oi].as_slice(), rel(oi, self.old)))
            .collect();
        let lists = self.new_index.ranked_many(&queries);
        let mut out = Vec::new();
        for (&(oi, _, _), all) in queries.iter().zip(&lists) {
            let keep =
                |ni: usize| !self.new_used[ni] && (!same_section || self.same_section(oi, ni));
            for ni in Index::best(all, k, keep) {
                out.push((oi, ni));
            }
        }
        out
    }

    /// Pairs of unpaired nodes that cite the same footnote (one whose text is unique in both
    /// drafts, so it identifies the passage; texts compared as lower-cased words), each pair
    /// once. The nodes citing each footnote were read with its words, so this costs the
    /// citations, not the footnotes times the nodes.
    fn footnote_evidence(&self) -> Vec<(usize, usize)> {
        let words = &self.footnote_words;
        let ou = unique_footnotes(words.old_texts());
        let nu = unique_footnotes(words.new_texts());
        let mut out = Vec::new();
        for (text, &of) in &ou {
            let Some(&nf) = nu.get(text) else { continue };
            let unused = |nodes: &[usize], used: &[bool]| -> Vec<usize> {
                nodes.iter().copied().filter(|&i| !used[i]).collect()
            };
            let new_nodes = unused(words.new_citing(nf), &self.new_used);
            for oi in unused(words.old_citing(of), &self.old_used) {
                out.extend(new_nodes.iter().map(|&ni| (oi, ni)));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Attach leftover nodes to paired ones as parts of a split (`split = true`) or merge.
    ///
    /// Each leftover is judged against the groups as they stand before this pass.
    fn attach_parts(&mut self, split: bool) {
        let (lefts, side_words, other_words, left_draft) = if split {
            (&self.new_used, &self.n, &self.o, self.new)
        } else {
            (&self.old_used, &self.o, &self.n, self.old)
        };
        let index = if split {
            &self.old_index
        } else {
            &self.new_index
        };
        // The leftovers that may be parts.
        let queries: Vec<Query> = (0..left_draft.nodes.len())
            .filter(|&li| {
                !lefts[li] && left_draft.nodes[li].kind.is_body() && side_words.words[li].len() >= 6
            })
            .map(|li| (li, side_words.bags[li].as_slice(), rel(li, left_draft)))
            .collect();
        let lists = index.ranked_many(&queries);
        let search = PartSearch {
            split,
            groups: &self.groups,
            anchor_group: if split {
                &self.group_of_old
            } else {
                &self.group_of_new
            },
            anchor_draft: if split { self.old } else { self.new },
            part_words: &side_words.words,
            part_bags: &side_words.bags,
            anchor: other_words,
            old_section: &self.old_section,
            new_section: &self.new_section,
            section_pairs: &self.section_pairs,
        };
        let found = search.anchors(&queries, &lists, &mut self.shared.borrow_mut());
        let attach: Vec<(usize, usize)> = queries
            .iter()
            .zip(found)
            .filter_map(|(q, g)| Some((q.0, g?)))
            .collect();
        for (li, g) in attach {
            if split {
                self.groups[g].new.push(li);
                self.groups[g].new.sort_unstable();
                self.new_used[li] = true;
                self.group_of_new[li] = Some(g);
            } else {
                self.groups[g].old.push(li);
                self.groups[g].old.sort_unstable();
                self.old_used[li] = true;
                self.group_of_old[li] = Some(g);
            }
        }
    }

    /// An unpaired node whose text went, in pieces, into several unpaired nodes of the other
    /// draft (a split, `split = true`), or several that were joined into one (a merge).
    fn multi_parts(&mut self, split: bool) {
        let (whole_used, whole, part_used, part, whole_draft, part_draft) = if split {
            (
                &self.old_used,
                &self.o,
                &self.new_used,
                &self.n,
                self.old,
                self.new,
            )
        } else {
            (
                &self.new_used,
                &self.n,
                &self.old_used,
                &self.o,
                self.new,
                self.old,
            )
        };
        let index = if split {
            &self.new_index
        } else {
            &self.old_index
        };
        let mut found: Vec<(usize, Vec<usize>, f64)> = Vec::new();
        let mut claimed = part_used.clone();
        let queries: Vec<Query> = (0..whole_draft.nodes.len())
            .filter(|&wi| {
                !whole_used[wi]
                    && whole_draft.nodes[wi].kind.is_body()
                    && whole.words[wi].len() >= 12
            })
            .map(|wi| (wi, whole.bags[wi].as_slice(), rel(wi, whole_draft)))
            .collect();
        let lists = index.ranked_many(&queries);
        for (&(wi, _, _), all) in queries.iter().zip(&lists) {
            let mut cands: Vec<(usize, usize)> = Index::best(all, 8, |pi| !part_used[pi])
                .into_iter()
                .filter(|&pi| !claimed[pi] && part_draft.nodes[pi].kind.is_body())
                .filter(|&pi| {
                    if split {
                        self.same_section(wi, pi)
                    } else {
                        self.same_section(pi, wi)
                    }
                })
                .filter_map(|pi| {
                    let bag = self.shared.borrow_mut().count(
                        (split, wi),
                        &whole.bags[wi],
                        &part.bags[pi],
                    );
                    if bag < 6 || (bag as f64) < 0.3 * part.words[pi].len() as f64 {
                        return None;
                    }
                    let ov = whole.overlap(wi, &part.words[pi]);
                    (ov.matched >= 6 && ov.cover_new >= 0.3).then_some((ov.matched, pi))
                })
                .collect();
            cands.sort_unstable_by(|a, b| b.cmp(a));
            let mut parts: Vec<usize> = Vec::new();
            let mut have = 0usize;
            for (m, pi) in cands {
                let mut trial = parts.clone();
                trial.push(pi);
                trial.sort_unstable();
                let joined: Vec<u32> = trial.iter().flat_map(|&p| part.words[p].clone()).collect();
                let now = whole.overlap(wi, &joined).matched;
                if now as f64 - have as f64 >= 0.6 * m as f64 {
                    parts = trial;
                    have = now;
                }
            }
            if parts.len() < 2 {
                continue;
            }
            let joined: Vec<u32> = parts.iter().flat_map(|&p| part.words[p].clone()).collect();
            let ov = whole.overlap(wi, &joined);
            if ov.ratio >= 0.45 {
                for &p in &parts {
                    claimed[p] = true;
                }
                found.push((wi, parts, ov.ratio));
            }
        }
        for (wi, parts, score) in found {
            let g = self.groups.len();
            if split {
                self.old_used[wi] = true;
                self.group_of_old[wi] = Some(g);
                for &p in &parts {
                    self.new_used[p] = true;
                    self.group_of_new[p] = Some(g);
                }
                self.groups.push(Group {
                    old: vec![wi],
                    new: parts,
                    score,
                });
            } else {
                self.new_used[wi] = true;
                self.group_of_new[wi] = Some(g);
                for &p in &parts {
                    self.old_used[p] = true;
                    self.group_of_old[p] = Some(g);
                }
                self.groups.push(Group {
                    old: parts,
                    new: vec![wi],
                    score,
                });
            }
        }
    }
}

/// Align two drafts.
pub fn align<'a>(old: &'a Draft, new: &'a Draft) -> Alignment {
    // One vocabulary reads the old draft, then the new: the same words have the same ids.
    let text_of = |nodes: &[crate::model::Node]| nodes.iter().map(|n| n.text.len()).sum::<usize>();
    let mut vocab = Vocabulary::for_text(text_of(&old.nodes) + text_of(&new.nodes));
    let old_words: Vec<Vec<u32>> = old.nodes.iter().map(|n| vocab.ids(&n.text)).collect();
    let new_words: Vec<Vec<u32>> = new.nodes.iter().map(|n| vocab.ids(&n.text)).collect();
    let (mut o, mut n) = (Side::new(old_words), Side::new(new_words));
    let vocabulary = vocab.len();
    o.make_bags(vocabulary);
    n.make_bags(vocabulary);
    let (old_index, new_index) = (Index::build(&o), Index::build(&n));
    let section_pairs = align_sections(old, new);
    let footnote_words = footnotes::FootnoteWords::read(old, new);
    let mut a = Aligner {
        old,
        new,
        o,
        n,
        old_index,
        new_index,
        cache: Default::default(),
        shared: std::cell::RefCell::new(Shared::new(vocabulary)),
        old_used: vec![false; old.nodes.len()],
        new_used: vec![false; new.nodes.len()],
        groups: Vec::new(),
        group_of_old: vec![None; old.nodes.len()],
        group_of_new: vec![None; new.nodes.len()],
        section_pairs: section_pairs.clone(),
        old_section: section_ordinals(old),
        new_section: section_ordinals(new),
        sections: ids_of_pairs(old, new, &section_pairs),
        treaty: old.family == Family::Treaty || new.family == Family::Treaty,
        footnote_words,
    };
    // Treaty section headings wait for the sections to be matched by content.
    let treaty = a.treaty;
    let held_old = if treaty {
        section_headings(old)
    } else {
        Vec::new()
    };
    let held_new = if treaty {
        section_headings(new)
    } else {
        Vec::new()
    };
    for &i in &held_old {
        a.old_used[i] = true;
    }
    for &i in &held_new {
        a.new_used[i] = true;
    }
    // 1. Identical texts.
    a.identical();
    // 2. Similar texts anywhere in the draft (moves across sections included).
    let c = a.candidates(6, false);
    a.greedy(c, 0.3, 8, |s, oi, ni, ov| {
        related(ov) || common_prefix(&s.o.words[oi], &s.n.words[ni]) >= 8
    });
    if treaty {
        a.sections = a.sections_by_content();
        a.section_pairs = pairs_of_ids(old, new, &a.sections);
        a.pair_section_headings(&held_old, &held_new);
    }
    // 3. Passages that cite the same footnote and still share some language.
    let c = a.footnote_evidence();
    a.greedy(c, 0.2, usize::MAX, |_, _, _, ov| {
        ov.ratio >= 0.2 && ov.matched >= 5
    });
    // 4. What is left in the same section, of the same family, with weaker evidence: a
    //    rewritten passage keeps its opening or a third of its words.
    let c = a.candidates(6, true);
    a.greedy(c, 0.27, 5, |s, oi, ni, ov| {
        s.same_section(oi, ni)
            && s.family(s.old.nodes[oi].kind) == s.family(s.new.nodes[ni].kind)
            && (ov.ratio >= 0.27 && ov.matched >= 10
                || common_prefix(&s.o.words[oi], &s.n.words[ni]) >= 5)
    });
    // 5. Splits and merges.
    a.attach_parts(true);
    a.attach_parts(false);
    a.multi_parts(true);
    a.multi_parts(false);
    // 6. What is left was added or deleted (section headings held back included).
    for &i in &held_old {
        a.old_used[i] = a.group_of_old[i].is_some();
    }
    for &i in &held_new {
        a.new_used[i] = a.group_of_new[i].is_some();
    }
    let mut groups = a.groups;
    for (oi, used) in a.old_used.iter().enumerate() {
        if !used {
            groups.push(Group {
                old: vec![oi],
                new: vec![],
                score: 0.0,
            });
        }
    }
    for (ni, used) in a.new_used.iter().enumerate() {
        if !used {
            groups.push(Group {
                old: vec![],
                new: vec![ni],
                score: 0.0,
            });
        }
    }
    let mut old_group = vec![None; old.nodes.len()];
    let mut new_group = vec![None; new.nodes.len()];
    for (g, grp) in groups.iter().enumerate() {
        for &i in &grp.old {
            old_group[i] = Some(g);
        }
        for &i in &grp.new {
            new_group[i] = Some(g);
        }
    }
    Alignment {
        groups,
        sections: a.sections,
        section_pairs: a.section_pairs,
        old_section: a.old_section,
        new_section: a.new_section,
        old_group,
        new_group,
        footnote_words: a.footnote_words,
    }
}

/// The footnotes of a draft whose text (its words, `texts`, in the order of
/// `Draft::footnotes`) no other footnote of the draft has, by text: the footnote's index.
fn unique_footnotes(texts: &[Vec<u32>]) -> rustc_hash::FxHashMap<&[u32], usize> {
    let mut count: rustc_hash::FxHashMap<&[u32], (usize, usize)> = Default::default();
    for (k, words) in texts.iter().enumerate() {
        let e = count.entry(words.as_slice()).or_insert((k, 0));
        e.1 += 1;
    }
    count
        .into_iter()
        .filter(|(k, (_, c))| *c == 1 && !k.is_empty())
        .map(|(k, (f, _))| (k, f))
        .collect()
}

/// The heading nodes of a draft's sections (`Art.3`, `Preamble`), in order.
fn section_headings(d: &Draft) -> Vec<usize> {
    d.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.kind == NodeKind::Heading && n.section.as_deref() == Some(n.label.as_str())
        })
        .map(|(i, _)| i)
        .collect()
}

impl Aligner<'_> {
    /// Votes for section pairs: the words of the paragraphs paired so far, by the sections
    /// they are in.
    fn section_votes(&self) -> HashMap<(String, String), usize> {
        let mut votes: HashMap<(String, String), usize> = HashMap::new();
        for g in &self.groups {
            let (&[oi], &[ni]) = (g.old.as_slice(), g.new.as_slice()) else {
                continue;
            };
            let (o, n) = (&self.old.nodes[oi], &self.new.nodes[ni]);
            if !o.kind.is_body() {
                continue;
            }
            if let (Some(os), Some(ns)) = (&o.section, &n.section) {
                *votes.entry((os.clone(), ns.clone())).or_default() +=
                    self.o.words[oi].len().max(1);
            }
        }
        votes
    }

    /// Old section -> new section by where the paragraphs went; sections with no paired
    /// paragraph keep their heading match. Several old sections may map to one new section
    /// (articles merged).
    fn sections_by_content(&self) -> HashMap<String, String> {
        let votes = self.section_votes();
        let mut map = HashMap::new();
        for os in &self.old.sections {
            let best = self
                .new
                .sections
                .iter()
                .filter_map(|ns| {
                    let v = votes.get(&(os.id.clone(), ns.id.clone())).copied()?;
                    let by_heading = self.sections.get(&os.id) == Some(&ns.id);
                    Some(((v, by_heading), ns.id.clone()))
                })
                .max_by(|a, b| a.0.cmp(&b.0));
            match best {
                Some((_, ns)) => {
                    map.insert(os.id.clone(), ns);
                }
                None => {
                    if let Some(ns) = self.sections.get(&os.id) {
                        map.insert(os.id.clone(), ns.clone());
                    }
                }
            }
        }
        // A section left over between two matched ones matches the one new section left
        // over between their partners (Article 2bis between 2 -> 2 and 3 -> 4 is Article 3).
        let pos = |id: &str| self.new.sections.iter().position(|s| s.id == id);
        let claimed: std::collections::HashSet<&String> = map.values().collect();
        let mut fill = Vec::new();
        for (k, os) in self.old.sections.iter().enumerate() {
            if map.contains_key(&os.id) {
                continue;
            }
            let before = self.old.sections[..k]
                .iter()
                .rev()
                .find_map(|s| map.get(&s.id).and_then(|n| pos(n)));
            let after = self.old.sections[k + 1..]
                .iter()
                .find_map(|s| map.get(&s.id).and_then(|n| pos(n)));
            let lo = before.map_or(0, |b| b + 1);
            let hi = after.unwrap_or(self.new.sections.len());
            let free: Vec<&String> = self
                .new
                .sections
                .get(lo..hi)
                .unwrap_or(&[])
                .iter()
                .map(|s| &s.id)
                .filter(|id| !claimed.contains(id))
                .collect();
            let gap_old = self.old.sections[..k]
                .iter()
                .rev()
                .take_while(|s| !map.contains_key(&s.id))
                .count()
                + self.old.sections[k + 1..]
                    .iter()
                    .take_while(|s| !map.contains_key(&s.id))
                    .count();
            if free.len() == 1 && gap_old == 0 {
                fill.push((os.id.clone(), free[0].clone()));
            }
        }
        map.extend(fill);
        map
    }

    /// Pair the headings of matched sections; where several old sections went into one new
    /// section, the one that brought most words keeps the heading.
    fn pair_section_headings(&mut self, held_old: &[usize], held_new: &[usize]) {
        let votes = self.section_votes();
        let mut best: HashMap<String, (usize, usize)> = HashMap::new(); // new id -> (votes, old node)
        for &oi in held_old {
            let os = self.old.nodes[oi].label.clone();
            let Some(ns) = self.sections.get(&os) else {
                continue;
            };
            let v = votes.get(&(os.clone(), ns.clone())).copied().unwrap_or(0);
            let e = best.entry(ns.clone()).or_insert((v, oi));
            if v > e.0 {
                *e = (v, oi);
            }
        }
        for &ni in held_new {
            let Some(&(_, oi)) = best.get(&self.new.nodes[ni].label) else {
                continue;
            };
            let score = overlap(&self.o.words[oi], &self.n.words[ni]).ratio;
            self.old_used[oi] = false;
            self.new_used[ni] = false;
            self.pair(oi, ni, score);
        }
    }
}

/// Pair sections by heading (old section ordinal -> new section ordinal): same id and title,
/// same title, then similar titles. Repeated headings pair in order. Hash lookups, so a draft
/// with thousands of sections costs no more than it should.
fn align_sections(old: &Draft, new: &Draft) -> Vec<Option<usize>> {
    let norm = |s: &str| tokens::words(s).join(" ");
    let on: Vec<String> = old.sections.iter().map(|s| norm(&s.title)).collect();
    let nn: Vec<String> = new.sections.iter().map(|s| norm(&s.title)).collect();
    let mut map: Vec<Option<usize>> = vec![None; old.sections.len()];
    let mut used = vec![false; new.sections.len()];
    for pass in 0..2 {
        let mut queue: HashMap<(Option<&str>, &str), std::collections::VecDeque<usize>> =
            HashMap::new();
        for (j, ns) in new.sections.iter().enumerate() {
            if !used[j] {
                let id = (pass == 0).then_some(ns.id.as_str());
                queue.entry((id, nn[j].as_str())).or_default().push_back(j);
            }
        }
        for (i, os) in old.sections.iter().enumerate() {
            if map[i].is_some() {
                continue;
            }
            let id = (pass == 0).then_some(os.id.as_str());
            if let Some(q) = queue.get_mut(&(id, on[i].as_str()))
                && let Some(j) = q.pop_front()
            {
                used[j] = true;
                map[i] = Some(j);
            }
        }
    }
    // Renamed sections: similar titles, among the few left.
    let left_old: Vec<usize> = (0..map.len()).filter(|&i| map[i].is_none()).collect();
    let left_new: Vec<usize> = (0..used.len()).filter(|&j| !used[j]).collect();
    if left_old.len() * left_new.len() <= 10_000 {
        let mut v = Vocabulary::default();
        let ow: Vec<Vec<u32>> = old.sections.iter().map(|s| v.ids(&s.title)).collect();
        let nw: Vec<Vec<u32>> = new.sections.iter().map(|s| v.ids(&s.title)).collect();
        for i in left_old {
            if let Some(&j) = left_new
                .iter()
                .find(|&&j| !used[j] && overlap(&ow[i], &nw[j]).ratio >= THRESHOLD)
            {
                used[j] = true;
                map[i] = Some(j);
            }
        }
    }
    map
}

/// The section pairing by id (first occurrence of each id wins).
fn ids_of_pairs(old: &Draft, new: &Draft, pairs: &[Option<usize>]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (o, n) in pairs.iter().enumerate() {
        if let Some(n) = n {
            map.entry(old.sections[o].id.clone())
                .or_insert_with(|| new.sections[*n].id.clone());
        }
    }
    map
}

/// The section pairing by ordinal, from a pairing by id (the first section with each id).
fn pairs_of_ids(old: &Draft, new: &Draft, ids: &HashMap<String, String>) -> Vec<Option<usize>> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (j, s) in new.sections.iter().enumerate() {
        first.entry(s.id.as_str()).or_insert(j);
    }
    old.sections
        .iter()
        .map(|s| ids.get(&s.id).and_then(|n| first.get(n.as_str()).copied()))
        .collect()
}

/// The ordinal of the section each node is in (its heading and everything after it).
fn section_ordinals(d: &Draft) -> Vec<Option<usize>> {
    let mut cur = None;
    let mut k = 0;
    d.nodes
        .iter()
        .map(|n| {
            if n.kind == NodeKind::Heading && n.marker.as_deref() == Some(n.label.as_str()) {
                cur = Some(k);
                k += 1;
            }
            cur
        })
        .collect()
}

/// An inverted index of words to nodes, weighted by rarity, to find candidates without
/// comparing every pair of paragraphs.
struct Index {
    postings: Postings,
    /// Scratch of the queries made on this thread.
    scratch: std::cell::RefCell<Scratch>,
    /// The scored nodes (node, score, distance from the querying node's place) of each
    /// querying node of the other draft, where they are few.
    ranked: std::cell::RefCell<Vec<Option<Scored>>>,
    /// Entries the kept lists may still take (a long draft keeps only so many).
    ranked_budget: std::cell::Cell<usize>,
}

/// The word lists of an index: read-only once built, so queries may be made from two
/// threads at once, each with its own [`Scratch`].
struct Postings {
    /// Nodes holding each word, by word id: `nodes_of[starts[w]..starts[w + 1]]`.
    starts: Vec<u32>,
    nodes_of: Vec<usize>,
    /// Weight of each word: rarer words say more about which node is which.
    idf: Vec<f64>,
    nodes: usize,
}

/// The working memory of a query: scores by node (reset after each query), the nodes a
/// query touched, and the words of a query in the order their postings are read.
struct Scratch {
    scores: Vec<f64>,
    touched: Vec<usize>,
    order: Vec<u64>,
}

impl Scratch {
    fn new(nodes: usize) -> Self {
        Scratch {
            scores: vec![0.0; nodes],
            touched: Vec::new(),
            order: Vec::new(),
        }
    }
}

/// A query: the querying node (of the other draft), its bag of words, its relative place.
type Query<'q> = (usize, &'q [(u32, u32)], f64);

/// Entries of scored lists one index keeps at most.
const RANKED_KEPT: usize = 1 << 16;

/// Nodes with their score and their distance from the querying node's relative place.
type Scored = std::sync::Arc<[(usize, f64, f64)]>;

/// Scored lists no longer than this are kept for the next query of the same node.
const RANKED_MAX: usize = 256;

/// Words in more nodes than this say little about which node is which.
fn max_postings(nodes: usize) -> usize {
    (nodes / 8).clamp(16, 512)
}

/// Postings one candidate query reads at most.
const POSTINGS_BUDGET: usize = 2048;

/// Of a word found in very many nodes, the nodes read on each side of the querying node's place.
const WINDOW: usize = 32;

impl Index {
    fn build(side: &Side) -> Index {
        let vocab = side
            .words
            .iter()
            .flat_map(|w| w.iter().copied())
            .max()
            .map_or(0, |m| m as usize + 1);
        // Count the nodes of each word, then place them (one allocation for all lists).
        let mut last_node = vec![u32::MAX; vocab];
        let mut starts = vec![0u32; vocab + 1];
        for (i, ws) in side.words.iter().enumerate() {
            for &w in ws {
                if last_node[w as usize] != i as u32 {
                    last_node[w as usize] = i as u32;
                    starts[w as usize + 1] += 1;
                }
            }
        }
        for w in 0..vocab {
            starts[w + 1] += starts[w];
        }
        let mut fill: Vec<u32> = starts[..vocab].to_vec();
        let mut nodes_of = vec![0usize; starts[vocab] as usize];
        last_node.fill(u32::MAX);
        for (i, ws) in side.words.iter().enumerate() {
            for &w in ws {
                if last_node[w as usize] != i as u32 {
                    last_node[w as usize] = i as u32;
                    nodes_of[fill[w as usize] as usize] = i;
                    fill[w as usize] += 1;
                }
            }
        }
        let n = side.words.len().max(1) as f64;
        let idf = (0..vocab)
            .map(|w| {
                let len = (starts[w + 1] - starts[w]).max(1);
                (n / len as f64).ln() + 1.0
            })
            .collect();
        Index {
            postings: Postings {
                starts,
                nodes_of,
                idf,
                nodes: side.words.len(),
            },
            scratch: std::cell::RefCell::new(Scratch::new(side.words.len())),
            ranked: std::cell::RefCell::new(Vec::new()),
            ranked_budget: std::cell::Cell::new(RANKED_KEPT),
        }
    }

    /// The scored list of node `query` kept from an earlier query.
    fn cached(&self, query: usize) -> Option<Scored> {
        self.ranked.borrow().get(query).and_then(|c| c.clone())
    }

    /// Keep the scored list of node `query` for the next pass that asks (the same node is
    /// looked up by several passes), when it is short and the budget allows.
    fn remember(&self, query: usize, v: &Scored) {
        let left = self.ranked_budget.get();
        if v.len() <= RANKED_MAX && v.len() <= left {
            self.ranked_budget.set(left - v.len());
            let mut cache = self.ranked.borrow_mut();
            if cache.len() <= query {
                cache.resize(query + 1, None);
            }
            cache[query] = Some(v.clone());
        }
    }

    /// The scored lists of many queries, as asking them one by one would give them (kept
    /// lists reused, new ones kept by the same rule, in the same order).
    fn ranked_many(&self, queries: &[Query]) -> Vec<Scored> {
        let mut lists: Vec<Option<Scored>> = queries.iter().map(|q| self.cached(q.0)).collect();
        let mut scratch = self.scratch.borrow_mut();
        for (list, q) in lists.iter_mut().zip(queries) {
            if list.is_none() {
                let v = self.postings.ranked(&mut scratch, q.1, q.2);
                self.remember(q.0, &v);
                *list = Some(v);
            }
        }
        lists.into_iter().flatten().collect()
    }

    /// The best `k` nodes of a scored list that `keep` admits (all of them, in order, for
    /// `k == 0`): those that share the most rarity-weighted words with the querying node.
    fn best(all: &Scored, k: usize, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        let order = |a: &(usize, f64, f64), b: &(usize, f64, f64)| {
            b.1.partial_cmp(&a.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.2.total_cmp(&b.2))
                .then(a.0.cmp(&b.0))
        };
        if k == 0 {
            let mut v: Vec<(usize, f64, f64)> =
                all.iter().copied().filter(|&(i, _, _)| keep(i)).collect();
            v.sort_unstable_by(order);
            return v.into_iter().map(|(i, _, _)| i).collect();
        }
        // Only the best k, kept in order as they come (k is a handful).
        let mut best: Vec<(usize, f64, f64)> = Vec::with_capacity(k + 1);
        for &x in all.iter() {
            if best.len() == k && order(&x, &best[k - 1]) != std::cmp::Ordering::Less {
                continue;
            }
            if !keep(x.0) {
                continue;
            }
            let at = best.partition_point(|b| order(b, &x) == std::cmp::Ordering::Less);
            best.insert(at, x);
            best.truncate(k);
        }
        best.into_iter().map(|(i, _, _)| i).collect()
    }
}

impl Postings {
    /// The nodes holding word `w`, in order.
    fn postings(&self, w: u32) -> &[usize] {
        let w = w as usize;
        match (self.starts.get(w), self.starts.get(w + 1)) {
            (Some(&a), Some(&b)) => &self.nodes_of[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Every node sharing a word with `bag`, with its score and its distance from `near`,
    /// the querying node's relative place (between equal scores, as for a passage repeated
    /// through the draft, the nearest comes first).
    fn ranked(&self, scratch: &mut Scratch, bag: &[(u32, u32)], near: f64) -> Scored {
        let n = self.nodes.max(1) as f64;
        self.scores(scratch, bag, near, |i, score| {
            (i, score, (i as f64 / n - near).abs())
        })
    }

    /// Every node sharing a word with `bag`, with its rarity-weighted score (as `each`
    /// makes of the two).
    fn scores<T>(
        &self,
        scratch: &mut Scratch,
        bag: &[(u32, u32)],
        near: f64,
        each: impl Fn(usize, f64) -> T,
    ) -> std::sync::Arc<[T]> {
        let Scratch {
            scores,
            touched,
            order,
        } = scratch;
        touched.clear();
        let n = self.nodes.max(1) as f64;
        let cap = max_postings(self.nodes);
        // Rarest words first; stop once a fixed budget of postings has been read, so one query
        // costs the same however long the draft. A word in many nodes is read only in a window
        // around the querying node's place (a passage repeated through a long draft is matched
        // with the nearest repetition), weighted by its rarity in the whole draft.
        // Shortest lists first; between lists of a length, by word: sorted as one number each
        // (length above, word below), in a buffer kept from one query to the next.
        order.clear();
        order.extend(bag.iter().filter_map(|&(w, _)| {
            let len = self.postings(w).len() as u64;
            (len > 0).then_some(len << 32 | w as u64)
        }));
        order.sort_unstable();
        let centre = (near * n) as usize;
        let mut budget = POSTINGS_BUDGET;
        for &key in order.iter() {
            if budget == 0 {
                break;
            }
            let w = key as u32;
            let (p, idf) = (self.postings(w), self.idf[w as usize]);
            let window: &[usize] = if p.len() > cap {
                let at = p.partition_point(|&i| i < centre);
                &p[at.saturating_sub(WINDOW)..(at + WINDOW).min(p.len())]
            } else {
                p
            };
            budget = budget.saturating_sub(window.len());
            for &i in window {
                if scores[i] == 0.0 {
                    touched.push(i);
                }
                scores[i] += idf;
            }
        }
        let v = touched.iter().map(|&i| each(i, scores[i])).collect();
        for &i in touched.iter() {
            scores[i] = 0.0;
        }
        v
    }
}
