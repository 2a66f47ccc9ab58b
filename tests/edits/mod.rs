//! Random edits to the text of a real draft, each knowing what it did: which node of the
//! original draft it touched and which text went in or out. Used by `tests/edit_properties.rs`.
//!
//! The draft is held as its source lines, each tagged with where it came from (the first line
//! of an original node, a further line of one, a footnote definition, a node an edit added).
//! Edits work on the raw text, markup and all, but only at places where the meaning of the
//! edit is unambiguous: a word between two spaces (never a node's first word, which decides
//! continuation and headings), a comma between words, a numbering marker. After the edits,
//! numbering is made consistent again (as a secretariat would), then footnotes renumbered,
//! lines re-wrapped and spacing changed where the case asks for it.
#![allow(dead_code)]

use oewg_diff::model::{Draft, NodeKind};
use proptest::prelude::*;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

/// The real drafts the edits start from.
pub const DRAFTS: [&str; 2] = ["drafts/zero.md", "drafts/rev2.md"];

/// A real draft, read and parsed once per test binary.
pub struct Original {
    pub path: &'static str,
    pub text: String,
    pub draft: Draft,
}

pub static ORIGINALS: LazyLock<Vec<Original>> = LazyLock::new(|| {
    DRAFTS
        .iter()
        .map(|&path| {
            let text = std::fs::read_to_string(super::common::root().join(path))
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            let draft = oewg_diff::ingest::parse("old", Path::new(path), &text);
            Original { path, text, draft }
        })
        .collect()
});

pub fn parse(text: &str) -> Draft {
    oewg_diff::ingest::parse("new", Path::new("new.md"), text)
}

/// Where a source line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The first line of original node `i`.
    Node(usize),
    /// A further line of original node `i` (a page break, or a re-wrap).
    More(usize),
    /// The definition of original footnote `i` (index into `Draft::footnotes`).
    Footnote(usize),
    /// A node added by an edit: its id and kind.
    Added(usize, NodeKind),
    /// Blank lines, separators, headings' neighbours: anything else.
    Other,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub origin: Origin,
}

/// A word edit: insert the k-th word after a word, delete it, replace it by the k-th word
/// (or the next, if that is the same), or put a punctuation mark after it.
#[derive(Debug, Clone, Copy)]
enum WordOp {
    Insert(usize),
    Delete,
    Replace(usize),
    Punct(&'static str),
}

/// What kind of change an edit made to a node, for the class it must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cat {
    Word,
    Punct,
    Typo,
}

/// What the redline must report.
#[derive(Debug, Default)]
pub struct Expect {
    /// Per original node: atoms (see [`atoms`]) that went in, and that went out.
    pub ins: BTreeMap<usize, Vec<String>>,
    pub del: BTreeMap<usize, Vec<String>>,
    /// Per original node: the kinds of edit it received.
    pub cats: BTreeMap<usize, BTreeSet<Cat>>,
    /// Per original footnote (index): atoms in and out of its text.
    pub fn_ins: BTreeMap<usize, Vec<String>>,
    pub fn_del: BTreeMap<usize, Vec<String>>,
    /// Nodes added by edits: id -> text.
    pub added: BTreeMap<usize, String>,
    /// Original nodes deleted.
    pub deleted: BTreeSet<usize>,
    /// Original footnotes (index) deleted with the last node that cited them.
    pub fn_deleted: BTreeSet<usize>,
    /// The original nodes that moved together (at most one move per case).
    pub moved: Vec<usize>,
    /// Old footnote number -> new number, when footnotes were renumbered.
    pub footnote_map: Option<HashMap<u32, u32>>,
}

impl Expect {
    /// Original nodes an edit touched (their entry may change).
    pub fn touched(&self) -> BTreeSet<usize> {
        let mut t: BTreeSet<usize> = self.cats.keys().copied().collect();
        t.extend(self.deleted.iter().copied());
        t.extend(self.moved.iter().copied());
        t
    }

    /// Whether the case holds only edits that must change nothing.
    pub fn no_change(&self) -> bool {
        self.cats.is_empty()
            && self.fn_ins.is_empty()
            && self.fn_del.is_empty()
            && self.added.is_empty()
            && self.deleted.is_empty()
            && self.fn_deleted.is_empty()
            && self.moved.is_empty()
    }
}

/// The comparable pieces of a text: runs of letters and digits, and each other character
/// that is not a layout space. Concatenation only adds pieces, as a redline's operations split text
/// at token boundaries, never inside a run of letters.
pub fn atoms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        // A no-break space is typography (the redline reports it); other spacing is layout.
        if !c.is_whitespace() || oewg_diff::ingest::is_no_break_space(c) {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A random choice among however many candidates an edit finds (shrinks to the first).
#[derive(Debug, Clone, Copy)]
pub struct Pick(pub u32);

impl Pick {
    pub fn index(&self, len: usize) -> usize {
        self.0 as usize % len.max(1)
    }
}

pub fn pick() -> impl Strategy<Value = Pick> {
    any::<u32>().prop_map(Pick)
}

/// Words that go in: some new to the drafts, some common in them (an ambiguous diff), some
/// modal (a class of their own).
const INSERT_WORDS: &[&str] = &[
    "zebra",
    "quietly",
    "not",
    "shall",
    "the",
    "States",
    "urgently",
    "all",
    "regional",
    "further",
    "voluntary",
    "Member",
    "of",
];

/// Words for added paragraphs: none of them is in the drafts, so an added paragraph is never
/// taken for an edited old one.
const NEW_WORDS: &[&str] = &[
    "lorem",
    "ipsum",
    "dolor",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "eiusmod",
    "tempor",
    "incididunt",
    "labore",
    "dolore",
    "magna",
    "aliqua",
    "veniam",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "commodo",
    "consequat",
];

/// One edit, with the random choices it resolves against the draft as it stands.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Insert a word after a word of a node.
    WordInsert(Pick, Pick, Pick),
    WordDelete(Pick, Pick),
    WordReplace(Pick, Pick, Pick),
    /// Insert a comma or semicolon after a word.
    PunctInsert(Pick, Pick, bool),
    /// Delete a comma or semicolon between words.
    PunctDelete(Pick, Pick),
    /// A comma becomes a semicolon, or the other way.
    PunctReplace(Pick, Pick),
    /// A word of a footnote's text: inserted after, deleted or replaced (0, 1, 2).
    FootnoteText(u8, Pick, Pick, Pick),
    /// A typographic change (see [`Typo`]).
    Typo(Typo, Pick, Pick),
    /// A new numbered paragraph, item or next step before another one of its kind.
    Insert(NodeKind, Pick, Pick),
    /// A numbered paragraph (with its items), item or next step deleted.
    Delete(NodeKind, Pick),
    /// A numbered paragraph (with its items), item or next step moved before another one of
    /// its kind, anywhere in the draft.
    Move(NodeKind, Pick, Pick),
    /// A change of spacing that is no change (see [`Space`]).
    Space(Space, Pick, Pick),
    /// A long line soft-wrapped in two, the rest indented by 0..=4 spaces.
    Wrap(Pick, Pick, u8),
}

#[derive(Debug, Clone, Copy)]
pub enum Typo {
    /// The space before a word becomes a no-break space.
    Nbsp,
    /// A straight apostrophe between letters becomes a curly one.
    Apostrophe,
    /// A straight double quote becomes a curly one.
    Quote,
    /// A hyphen between two word characters becomes an en dash or a non-breaking hyphen.
    Dash,
    /// A soft hyphen inside a long word.
    SoftHyphen,
}

#[derive(Debug, Clone, Copy)]
pub enum Space {
    /// The space before a word doubled, or made a tab.
    Widen,
    /// Trailing spaces or a tab at the end of a line.
    Trailing,
    /// A node's line indented further.
    Indent,
    /// One more blank line before a node that follows a blank line.
    BlankLine,
}

/// Renumbering of the whole draft: none of it is a change.
#[derive(Debug, Clone)]
pub struct Global {
    /// Footnotes renumbered consistently (marks and definitions).
    pub footnotes: Option<FootnoteRenumber>,
    /// Paragraph numbers shifted by this much.
    pub shift: u8,
    pub crlf: bool,
    pub bom: bool,
}

#[derive(Debug, Clone)]
pub enum FootnoteRenumber {
    /// Every number plus k.
    Shift(u8),
    /// Two footnotes swap numbers.
    Swap(Pick, Pick),
    /// Numbered backwards.
    Reverse,
}

pub fn word_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (pick(), pick(), pick()).prop_map(|(a, b, c)| Edit::WordInsert(a, b, c)),
        (pick(), pick()).prop_map(|(a, b)| Edit::WordDelete(a, b)),
        (pick(), pick(), pick()).prop_map(|(a, b, c)| Edit::WordReplace(a, b, c)),
    ]
}

pub fn punct_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (pick(), pick(), any::<bool>()).prop_map(|(a, b, c)| Edit::PunctInsert(a, b, c)),
        (pick(), pick()).prop_map(|(a, b)| Edit::PunctDelete(a, b)),
        (pick(), pick()).prop_map(|(a, b)| Edit::PunctReplace(a, b)),
    ]
}

pub fn footnote_edit() -> impl Strategy<Value = Edit> {
    (0u8..3, pick(), pick(), pick()).prop_map(|(k, a, b, c)| Edit::FootnoteText(k, a, b, c))
}

pub fn typo_edit() -> impl Strategy<Value = Edit> {
    let kind = prop_oneof![
        Just(Typo::Nbsp),
        Just(Typo::Apostrophe),
        Just(Typo::Quote),
        Just(Typo::Dash),
        Just(Typo::SoftHyphen),
    ];
    (kind, pick(), pick()).prop_map(|(k, a, b)| Edit::Typo(k, a, b))
}

pub fn structural_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (unit(), pick(), pick()).prop_map(|(k, a, b)| Edit::Insert(k, a, b)),
        (unit(), pick()).prop_map(|(k, a)| Edit::Delete(k, a)),
        (unit(), pick(), pick()).prop_map(|(k, a, b)| Edit::Move(k, a, b)),
    ]
}

/// What structural edits insert, delete and move.
fn unit() -> impl Strategy<Value = NodeKind> {
    prop_oneof![
        Just(NodeKind::Paragraph),
        Just(NodeKind::Item),
        Just(NodeKind::Step)
    ]
}

pub fn layout_edit() -> impl Strategy<Value = Edit> {
    let space = prop_oneof![
        Just(Space::Widen),
        Just(Space::Trailing),
        Just(Space::Indent),
        Just(Space::BlankLine),
    ];
    prop_oneof![
        (space, pick(), pick()).prop_map(|(s, a, b)| Edit::Space(s, a, b)),
        (pick(), pick(), 0u8..5).prop_map(|(a, b, c)| Edit::Wrap(a, b, c)),
    ]
}

pub fn global(renumber: bool) -> impl Strategy<Value = Global> {
    let fns = prop_oneof![
        (1u8..12).prop_map(FootnoteRenumber::Shift),
        (pick(), pick()).prop_map(|(a, b)| FootnoteRenumber::Swap(a, b)),
        Just(FootnoteRenumber::Reverse),
    ];
    let (shift, fns) = if renumber {
        ((1u8..30).boxed(), fns.prop_map(Some).boxed())
    } else {
        (Just(0u8).boxed(), Just(None).boxed())
    };
    (fns, shift, any::<bool>(), any::<bool>()).prop_map(|(footnotes, shift, crlf, bom)| Global {
        footnotes,
        shift,
        crlf,
        bom,
    })
}

/// A numbering marker at the start of a line: (prefix, value, suffix) of a number...
static NUM_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*(?:[-*•+–]\s+)?(?:\*\*)?)([0-9]{1,4})(\.(?:\*\*)?)").unwrap()
});
/// ... or of a letter or roman.
static LETTER_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*(?:[-*•+–]\s+)?\(?)([a-z]{1,6})(\))").unwrap());
/// The start of a node's line up to its first word: indentation, bullet, marker, spaces.
static BODY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:[-*•+–]\s+)?(?:\*\*[0-9]{1,4}\.\*\*|[0-9]{1,4}\.|\([a-z]{1,6}\)|[a-z]{1,6}\))?\s*",
    )
    .unwrap()
});
/// The start of a footnote definition up to its text.
static FOOTNOTE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:<sup>&</sup>lt;sup>|<sup>)\s*[0-9]{1,4}\s*</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\^[0-9]{1,4}\]:)\s*").unwrap()
});
/// Footnote marks in every spelling the parser reads.
static MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<sup>(?:<sup>&</sup>lt;sup>|<sup>)\s*)(?P<sn>[0-9]{1,4})(?P<se>\s*</sup>)",
        r"|\[\^(?P<bn>[0-9]{1,4})\]",
        r"|(?P<un>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
    ))
    .unwrap()
});

/// A line, the node (or footnote) it holds, and its word sites.
type LineSites = (usize, usize, Vec<(usize, usize)>);

/// Words of a line where an edit is unambiguous: ASCII letters between two spaces, after the
/// line's first word. Byte ranges.
pub fn word_sites(line: &str, start: usize) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut e = i;
            while e < b.len() && b[e].is_ascii_alphabetic() {
                e += 1;
            }
            if i > start + 1 && b[i - 1] == b' ' && e < b.len() && b[e] == b' ' {
                out.push((i, e));
            }
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn superscript(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

fn to_roman(n: u32) -> String {
    oewg_diff::model::to_roman(n)
}

/// The draft being edited.
pub struct Doc<'a> {
    pub old: &'a Draft,
    pub lines: Vec<Line>,
    pub exp: Expect,
    pub log: Vec<String>,
    trailing_newline: bool,
    next_added: usize,
    renumber: bool,
    crlf: bool,
    bom: bool,
    /// Nodes whose line was moved or that hold an added node's place: no second move.
    moved_once: bool,
    /// Nodes removed from the text.
    gone: HashSet<usize>,
}

impl<'a> Doc<'a> {
    pub fn new(o: &'a Original) -> Self {
        let d = &o.draft;
        let mut origin: HashMap<usize, Origin> = HashMap::new();
        for (i, n) in d.nodes.iter().enumerate() {
            origin.insert(n.line, Origin::Node(i));
            for &l in &n.continued {
                origin.insert(l, Origin::More(i));
            }
        }
        for (i, f) in d.footnotes.iter().enumerate() {
            origin.insert(f.line, Origin::Footnote(i));
        }
        let lines = o
            .text
            .lines()
            .enumerate()
            .map(|(i, t)| Line {
                text: t.to_string(),
                origin: origin.get(&(i + 1)).copied().unwrap_or(Origin::Other),
            })
            .collect();
        Doc {
            old: d,
            lines,
            exp: Expect::default(),
            log: Vec::new(),
            trailing_newline: o.text.ends_with('\n'),
            next_added: 0,
            renumber: false,
            crlf: false,
            bom: false,
            moved_once: false,
            gone: HashSet::new(),
        }
    }

    /// The edited draft's text.
    pub fn text(&self) -> String {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut s = String::new();
        if self.bom {
            s.push('\u{feff}');
        }
        let body: Vec<&str> = self.lines.iter().map(|l| l.text.as_str()).collect();
        s.push_str(&body.join(eol));
        if self.trailing_newline {
            s.push_str(eol);
        }
        s
    }

    fn line_of(&self, node: usize) -> Option<usize> {
        self.lines
            .iter()
            .position(|l| l.origin == Origin::Node(node))
    }

    fn has_more(&self, node: usize) -> bool {
        self.lines.iter().any(|l| l.origin == Origin::More(node))
    }

    /// Lines of original body nodes that an edit may change, with where their text starts.
    /// A node that was itself added or moved is still editable.
    fn body_lines(&self, min_words: usize) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (li, l) in self.lines.iter().enumerate() {
            let Origin::Node(i) = l.origin else { continue };
            let n = &self.old.nodes[i];
            if !n.kind.is_body() || oewg_diff::diff::tokens::word_count(&n.text) < min_words {
                continue;
            }
            let start = BODY_PREFIX.find(&l.text).map_or(0, |m| m.end());
            out.push((li, i, start));
        }
        out
    }

    fn note(&mut self, node: usize, cat: Cat, ins: &str, del: &str) {
        self.exp.cats.entry(node).or_default().insert(cat);
        self.exp.ins.entry(node).or_default().extend(atoms(ins));
        self.exp.del.entry(node).or_default().extend(atoms(del));
    }

    /// Replace bytes `at..end` of line `li` by `with`.
    fn splice(&mut self, li: usize, at: usize, end: usize, with: &str) {
        self.lines[li].text.replace_range(at..end, with);
    }

    pub fn apply(&mut self, e: &Edit) {
        match e {
            Edit::WordInsert(n, w, x) => {
                self.word(n, w, WordOp::Insert(x.index(INSERT_WORDS.len())))
            }
            Edit::WordDelete(n, w) => self.word(n, w, WordOp::Delete),
            Edit::WordReplace(n, w, x) => {
                self.word(n, w, WordOp::Replace(x.index(INSERT_WORDS.len())))
            }
            Edit::PunctInsert(n, w, semi) => {
                self.word(n, w, WordOp::Punct(if *semi { ";" } else { "," }))
            }
            Edit::PunctDelete(n, p) => self.punct(n, p, None),
            Edit::PunctReplace(n, p) => self.punct(n, p, Some(())),
            Edit::FootnoteText(k, f, w, x) => self.footnote_text(*k, f, w, x),
            Edit::Typo(t, n, w) => self.typo(*t, n, w),
            Edit::Insert(kind, t, len) => self.insert_node(*kind, t, len),
            Edit::Delete(kind, p) => self.delete_node(*kind, p),
            Edit::Move(kind, p, t) => self.move_node(*kind, p, t),
            Edit::Space(s, n, w) => self.space(*s, n, w),
            Edit::Wrap(n, w, indent) => self.wrap(n, w, *indent),
        }
    }

    /// A word edit at a word site of a node.
    fn word(&mut self, n: &Pick, w: &Pick, op: WordOp) {
        let cands: Vec<LineSites> = self
            .body_lines(6)
            .into_iter()
            .map(|(li, i, start)| (li, i, word_sites(&self.lines[li].text, start)))
            .filter(|c| !c.2.is_empty())
            .collect();
        if cands.is_empty() {
            self.log.push("word edit: no site".into());
            return;
        }
        let (li, node, sites) = &cands[n.index(cands.len())];
        let (li, node) = (*li, *node);
        let (s, e) = sites[w.index(sites.len())];
        let old_word = self.lines[li].text[s..e].to_string();
        let other = |k: usize| {
            let word = INSERT_WORDS[k];
            if word == old_word {
                INSERT_WORDS[(k + 1) % INSERT_WORDS.len()]
            } else {
                word
            }
        };
        let (at, end, with, cat) = match op {
            WordOp::Insert(k) => (e, e, format!(" {}", INSERT_WORDS[k]), Cat::Word),
            WordOp::Delete => (s - 1, e, String::new(), Cat::Word),
            WordOp::Replace(k) => (s, e, other(k).to_string(), Cat::Word),
            WordOp::Punct(mark) => (e, e, mark.to_string(), Cat::Punct),
        };
        let removed = self.lines[li].text[at..end].to_string();
        self.log.push(format!(
            "{cat:?} {}: {removed:?} -> {with:?} at byte {at} of line {}",
            self.old.nodes[node].label,
            li + 1
        ));
        self.splice(li, at, end, &with);
        self.note(node, cat, &with, &removed);
    }

    /// Delete (`None`) or swap (`Some`) a comma or semicolon between two words.
    fn punct(&mut self, n: &Pick, p: &Pick, replace: Option<()>) {
        let mut cands = Vec::new();
        for (li, node, start) in self.body_lines(6) {
            let b = self.lines[li].text.as_bytes();
            for k in start.max(1)..b.len().saturating_sub(2) {
                if matches!(b[k], b',' | b';')
                    && b[k - 1].is_ascii_alphabetic()
                    && b[k + 1] == b' '
                    && b[k + 2].is_ascii_alphabetic()
                {
                    cands.push((li, node, k));
                }
            }
        }
        if cands.is_empty() {
            self.log.push("punctuation edit: no site".into());
            return;
        }
        let by_node: Vec<usize> = {
            let mut v: Vec<usize> = cands.iter().map(|c| c.1).collect();
            v.dedup();
            v
        };
        let node = by_node[n.index(by_node.len())];
        let mine: Vec<_> = cands.iter().filter(|c| c.1 == node).collect();
        let &(li, node, k) = mine[p.index(mine.len())];
        let old = self.lines[li].text[k..k + 1].to_string();
        let with = match (replace, old.as_str()) {
            (None, _) => "",
            (Some(()), ",") => ";",
            (Some(()), _) => ",",
        };
        self.log.push(format!(
            "Punct {}: {old:?} -> {with:?} at byte {k} of line {}",
            self.old.nodes[node].label,
            li + 1
        ));
        self.splice(li, k, k + 1, with);
        self.note(node, Cat::Punct, with, &old);
    }

    fn footnote_text(&mut self, kind: u8, f: &Pick, w: &Pick, x: &Pick) {
        let cands: Vec<LineSites> = self
            .lines
            .iter()
            .enumerate()
            .filter_map(|(li, l)| match l.origin {
                Origin::Footnote(fi) => {
                    let start = FOOTNOTE_PREFIX.find(&l.text).map_or(0, |m| m.end());
                    // Footnote texts are short: their first word may change too.
                    let sites = word_sites(&l.text, start.saturating_sub(2));
                    (!sites.is_empty()).then_some((li, fi, sites))
                }
                _ => None,
            })
            .collect();
        if cands.is_empty() {
            self.log.push("footnote edit: no site".into());
            return;
        }
        let (li, fi, sites) = &cands[f.index(cands.len())];
        let (li, fi) = (*li, *fi);
        let (s, e) = sites[w.index(sites.len())];
        let old_word = self.lines[li].text[s..e].to_string();
        let mut word = INSERT_WORDS[x.index(INSERT_WORDS.len())];
        if word == old_word {
            word = "zebra";
        }
        let (at, end, with) = match kind {
            0 => (e, e, format!(" {word}")),
            1 => (s - 1, e, String::new()),
            _ => (s, e, word.to_string()),
        };
        let removed = self.lines[li].text[at..end].to_string();
        self.log.push(format!(
            "Footnote {}: {removed:?} -> {with:?} at byte {at} of line {}",
            self.old.footnotes[fi].number,
            li + 1
        ));
        self.splice(li, at, end, &with);
        self.exp.fn_ins.entry(fi).or_default().extend(atoms(&with));
        self.exp
            .fn_del
            .entry(fi)
            .or_default()
            .extend(atoms(&removed));
    }

    fn typo(&mut self, t: Typo, n: &Pick, w: &Pick) {
        // Candidate (line, node, byte, old text, new text).
        let mut cands: Vec<(usize, usize, usize, String, String)> = Vec::new();
        for (li, node, start) in self.body_lines(6) {
            let text = &self.lines[li].text;
            let b = text.as_bytes();
            match t {
                Typo::Nbsp => {
                    for (s, _) in word_sites(text, start) {
                        cands.push((li, node, s - 1, " ".into(), "\u{a0}".into()));
                    }
                }
                Typo::SoftHyphen => {
                    for (s, e) in word_sites(text, start) {
                        if e - s >= 6 {
                            // The whole word goes out and comes back with the hyphen in it.
                            let word = &text[s..e];
                            let with = format!("{}\u{ad}{}", &word[..3], &word[3..]);
                            cands.push((li, node, s, word.to_string(), with));
                        }
                    }
                }
                Typo::Apostrophe | Typo::Quote | Typo::Dash => {
                    for k in (start + 1)..b.len().saturating_sub(1) {
                        let (l, r) = (b[k - 1], b[k + 1]);
                        let hit = match t {
                            Typo::Apostrophe => {
                                b[k] == b'\'' && l.is_ascii_alphabetic() && r.is_ascii_alphabetic()
                            }
                            Typo::Quote => b[k] == b'"',
                            _ => {
                                b[k] == b'-'
                                    && l.is_ascii_alphanumeric()
                                    && r.is_ascii_alphanumeric()
                            }
                        };
                        if !hit {
                            continue;
                        }
                        let with = match t {
                            Typo::Apostrophe => "’",
                            Typo::Quote if l == b' ' => "“",
                            Typo::Quote => "”",
                            _ if k % 2 == 0 => "–",
                            _ => "\u{2011}",
                        };
                        let old = (b[k] as char).to_string();
                        cands.push((li, node, k, old, with.into()));
                    }
                }
            }
        }
        if cands.is_empty() {
            self.log.push(format!("{t:?}: no site"));
            return;
        }
        let mut nodes: Vec<usize> = cands.iter().map(|c| c.1).collect();
        nodes.dedup();
        let node = nodes[n.index(nodes.len())];
        let mine: Vec<_> = cands.iter().filter(|c| c.1 == node).cloned().collect();
        let (li, node, k, old, with) = mine[w.index(mine.len())].clone();
        self.log.push(format!(
            "{t:?} {}: {old:?} -> {with:?} at byte {k} of line {}",
            self.old.nodes[node].label,
            li + 1
        ));
        self.splice(li, k, k + old.len(), &with);
        self.note(node, Cat::Typo, &with, &old);
    }

    /// Original nodes of `kind` that structural edits may take: single-line, numbered in the
    /// source, not yet removed; for a paragraph, none of its items continued either.
    fn movable(&self, kind: NodeKind) -> Vec<usize> {
        self.lines
            .iter()
            .filter_map(|l| match l.origin {
                Origin::Node(i) => Some(i),
                _ => None,
            })
            .filter(|&i| {
                let n = &self.old.nodes[i];
                let block = self.block(i);
                n.kind == kind
                    && !n.inferred
                    && block.iter().all(|&b| {
                        !self.has_more(b)
                            && !self.old.nodes[b].inferred
                            && self.line_of(b).is_some()
                    })
                    && (kind != NodeKind::Item || block.len() == 1)
                    && !self.foreign_children(i, &block)
            })
            .collect()
    }

    /// Whether items that are not the node's own (added or moved in by an edit) hang under
    /// it now: taking the node away would leave them without a paragraph.
    fn foreign_children(&self, node: usize, block: &[usize]) -> bool {
        let Some(li) = self.line_of(node) else {
            return false;
        };
        for l in &self.lines[li + 1..] {
            match l.origin {
                Origin::Node(i) => match self.old.nodes[i].kind {
                    NodeKind::Item | NodeKind::Subitem => {
                        if !block.contains(&i) {
                            return true;
                        }
                    }
                    _ => return false,
                },
                Origin::Added(_, NodeKind::Item) => return true,
                Origin::Added(..) => return false,
                _ => {}
            }
        }
        false
    }

    /// A node and its descendants in the original draft.
    fn block(&self, i: usize) -> Vec<usize> {
        let mut b = vec![i];
        b.extend(self.old.descendants(i));
        b
    }

    /// Lines an inserted block goes before: the first lines of nodes of `kind`.
    fn targets(&self, kind: NodeKind) -> Vec<usize> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(li, l)| match l.origin {
                Origin::Node(i)
                    if self.old.nodes[i].kind == kind && !self.old.nodes[i].inferred =>
                {
                    Some(li)
                }
                Origin::Added(_, k) if k == kind => Some(li),
                _ => None,
            })
            .collect()
    }

    /// The marker text of a new node of `kind` shaped like the line it goes before.
    fn shaped_like(&self, target: usize, kind: NodeKind, text: &str) -> String {
        let t = &self.lines[target].text;
        let numbered = kind != NodeKind::Item;
        let re = if numbered {
            &*NUM_MARKER
        } else {
            &*LETTER_MARKER
        };
        match re.captures(t) {
            Some(c) => {
                let value = if numbered { "1" } else { "a" };
                format!("{}{value}{} {text}", &c[1], &c[3])
            }
            None => format!("- 1. {text}"),
        }
    }

    fn insert_node(&mut self, kind: NodeKind, t: &Pick, len: &Pick) {
        let targets = self.targets(kind);
        if targets.is_empty() {
            self.log.push(format!("insert {kind:?}: no place"));
            return;
        }
        let target = targets[t.index(targets.len())];
        let words = 8 + len.index(18);
        let mut text: String = (0..words)
            .map(|k| NEW_WORDS[(k * 7 + len.index(NEW_WORDS.len())) % NEW_WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ");
        text[..1].make_ascii_uppercase();
        text.push('.');
        let id = self.next_added;
        self.next_added += 1;
        let line = self.shaped_like(target, kind, &text);
        self.log.push(format!(
            "insert {kind:?} #{id} before line {}: {line:?}",
            target + 1
        ));
        self.lines.splice(
            target..target,
            [
                Line {
                    text: line,
                    origin: Origin::Added(id, kind),
                },
                Line {
                    text: String::new(),
                    origin: Origin::Other,
                },
            ],
        );
        self.exp.added.insert(id, text);
        self.renumber = true;
    }

    /// Take a block's lines out of the text (they must be single lines).
    fn take_block(&mut self, block: &[usize]) -> Vec<Line> {
        let mut taken = Vec::new();
        for &b in block {
            if let Some(li) = self.line_of(b) {
                taken.push(self.lines.remove(li));
            }
        }
        taken
    }

    fn delete_node(&mut self, kind: NodeKind, p: &Pick) {
        let cands = self.movable(kind);
        if cands.is_empty() {
            self.log.push(format!("delete {kind:?}: none"));
            return;
        }
        let node = cands[p.index(cands.len())];
        let block = self.block(node);
        self.log.push(format!(
            "delete {kind:?} {} ({} nodes)",
            self.old.nodes[node].label,
            block.len()
        ));
        self.take_block(&block);
        self.exp.moved.retain(|x| !block.contains(x));
        for &b in &block {
            self.exp.deleted.insert(b);
            self.gone.insert(b);
            // An edit made to it before is now part of its deletion.
            self.exp.cats.remove(&b);
            self.exp.ins.remove(&b);
            self.exp.del.remove(&b);
        }
        // A footnote no remaining node cites goes too, as an editor would delete it.
        for (fi, f) in self.old.footnotes.iter().enumerate() {
            let citing: Vec<usize> = (0..self.old.nodes.len())
                .filter(|&i| self.old.nodes[i].footnotes().contains(&f.number))
                .collect();
            if citing.is_empty() || !citing.iter().all(|i| self.exp.deleted.contains(i)) {
                continue;
            }
            if let Some(li) = self
                .lines
                .iter()
                .position(|l| l.origin == Origin::Footnote(fi))
            {
                self.lines.remove(li);
                self.log
                    .push(format!("delete footnote {} with it", f.number));
                self.exp.fn_deleted.insert(fi);
                self.exp.fn_ins.remove(&fi);
                self.exp.fn_del.remove(&fi);
            }
        }
        self.renumber = true;
    }

    fn move_node(&mut self, kind: NodeKind, p: &Pick, t: &Pick) {
        if self.moved_once {
            self.log.push("move: one per case".into());
            return;
        }
        let cands = self.movable(kind);
        if cands.is_empty() {
            self.log.push(format!("move {kind:?}: none"));
            return;
        }
        let node = cands[p.index(cands.len())];
        let block = self.block(node);
        let first = self.line_of(node).unwrap_or(0);
        let last = block
            .iter()
            .filter_map(|&b| self.line_of(b))
            .max()
            .unwrap_or(first);
        // Targets outside the block, and not the node right after it (no move at all).
        let next_target = self.targets(kind).into_iter().find(|&li| li > last);
        let targets: Vec<usize> = self
            .targets(kind)
            .into_iter()
            .filter(|&li| (li < first || li > last) && Some(li) != next_target)
            .collect();
        if targets.is_empty() {
            self.log.push(format!("move {kind:?}: nowhere"));
            return;
        }
        let target_line = targets[t.index(targets.len())];
        let target_origin = self.lines[target_line].origin;
        self.log.push(format!(
            "move {kind:?} {} ({} nodes) before line {} ({:?})",
            self.old.nodes[node].label,
            block.len(),
            target_line + 1,
            target_origin
        ));
        let taken = self.take_block(&block);
        let at = self
            .lines
            .iter()
            .position(|l| l.origin == target_origin)
            .unwrap_or(self.lines.len());
        let mut ins = Vec::new();
        for l in taken {
            ins.push(l);
            ins.push(Line {
                text: String::new(),
                origin: Origin::Other,
            });
        }
        self.lines.splice(at..at, ins);
        self.exp.moved = block;
        self.moved_once = true;
        self.renumber = true;
    }

    fn space(&mut self, s: Space, n: &Pick, w: &Pick) {
        let cands = self.body_lines(1);
        if cands.is_empty() {
            return;
        }
        let (li, node, start) = cands[n.index(cands.len())];
        let label = self.old.nodes[node].label.clone();
        match s {
            Space::Widen => {
                let sites = word_sites(&self.lines[li].text, start);
                if sites.is_empty() {
                    return;
                }
                let (at, _) = sites[w.index(sites.len())];
                let with = ["  ", "\t", " \t ", "   "][w.index(4)];
                self.log.push(format!("widen space in {label}: {with:?}"));
                self.splice(li, at - 1, at, with);
            }
            Space::Trailing => {
                let with = [" ", "  ", "\t", " \t"][w.index(4)];
                self.log.push(format!("trailing {with:?} after {label}"));
                self.lines[li].text.push_str(with);
            }
            Space::Indent => {
                let with = [" ", "  ", "    "][w.index(3)];
                self.log.push(format!("indent {label} by {with:?}"));
                self.lines[li].text.insert_str(0, with);
            }
            Space::BlankLine => {
                if li == 0 || !self.lines[li - 1].text.trim().is_empty() {
                    return;
                }
                self.log.push(format!("blank line before {label}"));
                self.lines.insert(
                    li,
                    Line {
                        text: String::new(),
                        origin: Origin::Other,
                    },
                );
            }
        }
    }

    fn wrap(&mut self, n: &Pick, w: &Pick, indent: u8) {
        let cands: Vec<LineSites> = self
            .body_lines(1)
            .into_iter()
            .filter(|&(_, i, _)| self.old.nodes[i].section.is_some())
            .map(|(li, i, start)| {
                let sites = word_sites(&self.lines[li].text, start)
                    .into_iter()
                    .filter(|&(s, e)| {
                        let word = &self.lines[li].text[s..e];
                        e - s >= 2
                            && !word.eq_ignore_ascii_case("recommended")
                            && !word.eq_ignore_ascii_case("next")
                    })
                    .collect::<Vec<_>>();
                (li, i, sites)
            })
            .filter(|c| !c.2.is_empty())
            .collect();
        if cands.is_empty() {
            return;
        }
        let (li, node, sites) = &cands[n.index(cands.len())];
        let (li, node) = (*li, *node);
        let (s, _) = sites[w.index(sites.len())];
        let rest = format!(
            "{}{}",
            " ".repeat(indent as usize),
            &self.lines[li].text[s..]
        );
        self.log.push(format!(
            "wrap {} before byte {s}: {:?}",
            self.old.nodes[node].label,
            rest.chars().take(30).collect::<String>()
        ));
        self.lines[li].text.truncate(s - 1);
        self.lines.insert(
            li + 1,
            Line {
                text: rest,
                origin: Origin::More(node),
            },
        );
    }

    /// Apply the case's edits, then renumber and re-spell what it asks.
    pub fn run(&mut self, edits: &[Edit], g: &Global) {
        // Layout last: a wrapped line is two lines, which structural edits do not expect.
        let (layout, content): (Vec<&Edit>, Vec<&Edit>) = edits
            .iter()
            .partition(|e| matches!(e, Edit::Space(..) | Edit::Wrap(..)));
        for e in content {
            self.apply(e);
        }
        if self.renumber || g.shift > 0 {
            self.renumber_markers(g.shift as u32);
        }
        if let Some(f) = &g.footnotes {
            self.renumber_footnotes(f);
        }
        for e in layout {
            self.apply(e);
        }
        self.crlf = g.crlf;
        self.bom = g.bom;
        if g.crlf || g.bom {
            self.log.push(format!("crlf {} bom {}", g.crlf, g.bom));
        }
    }

    /// Number paragraphs from `1 + shift` in document order, next steps from 1 in each list,
    /// letter items and number sub-items from the first within their parent, as a consistent
    /// draft would be.
    pub fn renumber_markers(&mut self, shift: u32) {
        let mut para = shift;
        let mut step = 0u32;
        let mut item = 0u32;
        let mut sub = 0u32;
        for l in &mut self.lines {
            let (kind, marked) = match l.origin {
                Origin::Node(i) => {
                    let n = &self.old.nodes[i];
                    (n.kind, n.marker.is_some() && !n.inferred)
                }
                Origin::Added(_, k) => (k, true),
                _ => continue,
            };
            match kind {
                NodeKind::Paragraph => {
                    para += 1;
                    item = 0;
                    sub = 0;
                    if marked {
                        let v = para.to_string();
                        l.text = NUM_MARKER
                            .replace(&l.text, |c: &regex::Captures| {
                                format!("{}{v}{}", &c[1], &c[3])
                            })
                            .into_owned();
                    }
                }
                NodeKind::Item => {
                    item += 1;
                    sub = 0;
                    if marked {
                        let v = char::from(b'a' + (item - 1) as u8).to_string();
                        l.text = LETTER_MARKER
                            .replace(&l.text, |c: &regex::Captures| {
                                format!("{}{v}{}", &c[1], &c[3])
                            })
                            .into_owned();
                    }
                }
                NodeKind::Subitem => {
                    sub += 1;
                    if marked {
                        let v = to_roman(sub);
                        l.text = LETTER_MARKER
                            .replace(&l.text, |c: &regex::Captures| {
                                format!("{}{v}{}", &c[1], &c[3])
                            })
                            .into_owned();
                    }
                }
                NodeKind::Step => {
                    step += 1;
                    item = 0;
                    sub = 0;
                    if marked {
                        let v = step.to_string();
                        l.text = NUM_MARKER
                            .replace(&l.text, |c: &regex::Captures| {
                                format!("{}{v}{}", &c[1], &c[3])
                            })
                            .into_owned();
                    }
                }
                NodeKind::Heading | NodeKind::Title => {
                    step = 0;
                    item = 0;
                    sub = 0;
                }
                NodeKind::Text | NodeKind::Preambular | NodeKind::Option => {}
            }
        }
        if shift > 0 {
            self.log
                .push(format!("paragraphs renumbered from {}", shift + 1));
        }
    }

    /// Renumber footnotes consistently: every mark and every definition.
    pub fn renumber_footnotes(&mut self, how: &FootnoteRenumber) {
        let numbers: Vec<u32> = self.old.footnotes.iter().map(|f| f.number).collect();
        if numbers.is_empty() {
            return;
        }
        let max = numbers.iter().copied().max().unwrap_or(0);
        let map: HashMap<u32, u32> = match how {
            FootnoteRenumber::Shift(k) => numbers.iter().map(|&n| (n, n + *k as u32)).collect(),
            FootnoteRenumber::Reverse => numbers.iter().map(|&n| (n, max + 1 - n)).collect(),
            FootnoteRenumber::Swap(a, b) => {
                let (a, b) = (
                    numbers[a.index(numbers.len())],
                    numbers[b.index(numbers.len())],
                );
                numbers
                    .iter()
                    .map(|&n| {
                        (
                            n,
                            if n == a {
                                b
                            } else if n == b {
                                a
                            } else {
                                n
                            },
                        )
                    })
                    .collect()
            }
        };
        self.log.push(format!("footnotes renumbered: {how:?}"));
        for l in &mut self.lines {
            l.text = MARK
                .replace_all(&l.text, |c: &regex::Captures| {
                    if let Some(n) = c.name("sn") {
                        let v = n.as_str().parse().ok().and_then(|v| map.get(&v)).copied();
                        match v {
                            Some(v) => format!("{}{v}{}", &c["sup"], &c["se"]),
                            None => c[0].to_string(),
                        }
                    } else if let Some(n) = c.name("bn") {
                        match n.as_str().parse().ok().and_then(|v| map.get(&v)) {
                            Some(v) => format!("[^{v}]"),
                            None => c[0].to_string(),
                        }
                    } else {
                        match oewg_diff::ingest::superscript_value(&c[0]).and_then(|v| map.get(&v))
                        {
                            Some(&v) => superscript(v),
                            None => c[0].to_string(),
                        }
                    }
                })
                .into_owned();
        }
        self.exp.footnote_map = Some(map);
    }
}
