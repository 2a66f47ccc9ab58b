//! The document model: a [`Draft`] is a tree of numbered nodes (paragraphs, items, sub-items,
//! next-steps items, unnumbered text) with its sections and footnotes. Everything downstream
//! (alignment, redlines, checks, history) reads this model and nothing else.
//!
//! Two families of negotiated text share the model ([`Family`]): reports (lettered sections,
//! paragraphs numbered document-wide: `14(a)`) and treaties (a preamble of unnumbered
//! preambular paragraphs `PP3`, articles with paragraphs numbered within each article:
//! `Art.3.1(b)`, options `Art.3.1.opt2`). Text that is not negotiated language (YAML front
//! matter, an editor's note, link definitions, markup directives) is kept as [`Meta`].

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The family of a negotiated text: how its sections and numbering are laid out.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// A report: lettered sections, paragraphs numbered across the whole document.
    #[default]
    Report,
    /// A treaty: preamble, articles, paragraphs numbered within each article.
    Treaty,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Report => "report",
            Family::Treaty => "treaty",
        }
    }
}

/// What a piece of metadata is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MetaKind {
    /// YAML front matter between `---` lines (without the fences).
    FrontMatter,
    /// An editor's note about the file (an italic block before the first heading).
    Note,
    /// A Markdown link reference definition: `[source]: http://...`.
    LinkDefinition,
    /// A layout directive: `* TOC`, `{:toc}`, `{:.no_toc}`.
    Markup,
}

/// Text of the file that is not negotiated language. Kept so that nothing is lost, never
/// aligned or diffed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Meta {
    pub kind: MetaKind,
    /// The text as written (front matter and link definitions), or cleaned of markup (notes).
    pub text: String,
    /// 1-based line where it starts.
    pub line: usize,
}

/// One draft of a negotiated text, loaded from a file.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    /// The name the user gave it (manifest name, or the file path).
    pub name: String,
    pub path: PathBuf,
    /// How the text is laid out: detected from the text, or forced in `oewg.toml`.
    pub family: Family,
    /// Lettered sections (`A. Introduction`), or the preamble and articles of a treaty
    /// (`Preamble`, `Art.3bis`), in document order.
    pub sections: Vec<Section>,
    /// Every piece of text in document order: title, headings, paragraphs, items, text.
    pub nodes: Vec<Node>,
    /// Footnote definitions, in document order.
    pub footnotes: Vec<Footnote>,
    /// Front matter, editor's notes, link definitions, markup directives.
    pub metadata: Vec<Meta>,
}

/// A lettered section of a report, or the preamble or an article of a treaty.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Section {
    /// The section's identifier: `A`, `B`, ... as written; `Preamble`, `Art.3bis` in a treaty.
    pub id: String,
    pub title: String,
    pub line: usize,
}

/// What a node is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// The report's title.
    Title,
    /// A section heading or a "Recommended next steps" heading.
    Heading,
    /// A numbered paragraph (`14.`).
    Paragraph,
    /// A lettered item of a paragraph (`a)`).
    Item,
    /// A roman sub-item of an item (`(i)`).
    Subitem,
    /// An item of a "Recommended next steps" list.
    Step,
    /// Unnumbered text.
    Text,
    /// A preambular paragraph of a treaty (`PP3`), unnumbered, labelled by position.
    Preambular,
    /// An alternative text introduced by `**Option 2:**` (`Art.3.1.opt2`).
    Option,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Title => "title",
            NodeKind::Heading => "heading",
            NodeKind::Paragraph => "paragraph",
            NodeKind::Item => "item",
            NodeKind::Subitem => "subitem",
            NodeKind::Step => "step",
            NodeKind::Text => "text",
            NodeKind::Preambular => "preambular",
            NodeKind::Option => "option",
        }
    }

    /// Whether this node carries negotiated language (as opposed to title and headings).
    pub fn is_body(self) -> bool {
        !matches!(self, NodeKind::Title | NodeKind::Heading)
    }
}

/// A footnote citation inside a node's text.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Citation {
    /// The footnote number as printed.
    pub footnote: u32,
    /// Byte offset in the node's text where the footnote mark stood.
    pub offset: usize,
}

/// A node of the paragraph tree.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// `14`, `14(a)`, `3(a)(viii)`, `C.steps.2`, `A.text.1`, `title`, `C`, `C.steps`; in a
    /// treaty `PP3`, `Art.3`, `Art.3.5`, `Art.3.1(b)`, `Art.2bis.1`, `Art.3.1.opt2`.
    pub label: String,
    pub kind: NodeKind,
    /// Id of the section the node is in, if any.
    pub section: Option<String>,
    /// The text, with the numbering marker and footnote marks removed.
    pub text: String,
    /// 1-based line where the node starts in the source file.
    pub line: usize,
    /// 1-based column (in characters) where the node starts on `line`: its numbering marker,
    /// or its first word.
    pub col: usize,
    /// Further source lines the node continues on (page breaks).
    pub continued: Vec<usize>,
    /// Where each source line's text starts in `text`: (byte offset, line), first (0, line).
    #[serde(skip)]
    pub segments: Vec<(usize, usize)>,
    /// The numbering marker as a bare value (`14`, `a`, `viii`, `3`, `3bis`), if the node has
    /// one; `Option 2` for an option; `Article 3bis` for an article heading.
    pub marker: Option<String>,
    /// True when the marker was missing in the source and inferred from position.
    pub inferred: bool,
    /// Index in `Draft::nodes` of the parent (paragraph of an item, item of a sub-item).
    pub parent: Option<usize>,
    pub citations: Vec<Citation>,
}

impl Node {
    /// The source line that holds byte `offset` of the text.
    pub fn line_of(&self, offset: usize) -> usize {
        self.segments
            .iter()
            .rev()
            .find(|(o, _)| *o <= offset)
            .map_or(self.line, |&(_, l)| l)
    }

    /// Footnote numbers cited, in order of citation.
    pub fn footnotes(&self) -> Vec<u32> {
        self.citations.iter().map(|c| c.footnote).collect()
    }
}

/// A footnote definition.
#[derive(Debug, Clone, Serialize)]
pub struct Footnote {
    pub number: u32,
    pub text: String,
    pub line: usize,
    /// Footnote marks inside the footnote's own text (rare, but kept).
    pub citations: Vec<Citation>,
}

impl Draft {
    /// The nodes that carry negotiated language (no title, no headings).
    pub fn body(&self) -> impl Iterator<Item = (usize, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind.is_body())
    }

    /// The first node with this label (after normalising the user's spelling).
    pub fn find(&self, label: &str) -> Option<usize> {
        let want = normalize_label(label);
        self.nodes
            .iter()
            .position(|n| n.label.eq_ignore_ascii_case(&want))
    }

    pub fn footnote(&self, number: u32) -> Option<&Footnote> {
        self.footnotes.iter().find(|f| f.number == number)
    }

    pub fn section_title(&self, id: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.title.as_str())
    }

    /// Indices of the nodes under `idx` (its items and their sub-items), in order.
    pub fn descendants(&self, idx: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, n) in self.nodes.iter().enumerate().skip(idx + 1) {
            let mut p = n.parent;
            let mut under = false;
            while let Some(pi) = p {
                if pi == idx {
                    under = true;
                    break;
                }
                p = self.nodes[pi].parent;
            }
            if under {
                out.push(i);
            }
        }
        out
    }
}

/// Spell a user's label the way the model does: `14a`, `14.a`, `14 (a)` all become `14(a)`;
/// `3.a.viii` becomes `3(a)(viii)`. Labels that are not paragraph-based (`C.steps.2`) are kept.
/// Treaty labels too: `art3.1b`, `Article 3.1(b)` become `Art.3.1(b)`; `pp3` becomes `PP3`.
pub fn normalize_label(input: &str) -> String {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(t) = normalize_treaty_label(&s) {
        return t;
    }
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return s;
    }
    let rest = &s[digits.len()..];
    // Split the rest into segments separated by '.', '(' and ')'.
    let segs: Vec<&str> = rest
        .split(['.', '(', ')'])
        .filter(|p| !p.is_empty())
        .collect();
    if segs
        .iter()
        .any(|p| !p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return s;
    }
    let mut out = digits;
    let mut segs = segs.into_iter();
    if let Some(first) = segs.next() {
        // `14a` or `3aviii`: a first run of letters may hold an item letter and a roman.
        let lower = first.to_ascii_lowercase();
        if lower.len() > 1 && rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let (letter, roman) = lower.split_at(1);
            if is_roman(roman) {
                out.push_str(&format!("({letter})({roman})"));
            } else {
                out.push_str(&format!("({lower})"));
            }
        } else {
            out.push_str(&format!("({lower})"));
        }
    }
    for seg in segs {
        out.push_str(&format!("({})", seg.to_ascii_lowercase()));
    }
    out
}

/// Paragraph suffixes of treaty numbering (`3bis`, `17quater`).
pub const SUFFIXES: [&str; 9] = [
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
];

/// `Art.`/`Article`/`art` and an article number with its suffix: the canonical `Art.3bis`
/// and what follows it.
fn article_prefix(s: &str) -> Option<(String, &str)> {
    let lower = s.to_ascii_lowercase();
    let skip = ["article", "art"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map(|p| p.len())?;
    let rest = &s[skip..];
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let (num, rest) = rest.split_at(digits);
    let lower_rest = rest.to_ascii_lowercase();
    let suffix = SUFFIXES
        .iter()
        .filter(|x| lower_rest.starts_with(*x))
        .max_by_key(|x| x.len())
        .copied()
        .unwrap_or("");
    Some((format!("Art.{num}{suffix}"), &rest[suffix.len()..]))
}

/// The treaty spelling of a label typed without spaces, if it is one.
fn normalize_treaty_label(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    if let Some(n) = lower.strip_prefix("pp")
        && !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        return Some(format!("PP{n}"));
    }
    let (mut out, rest) = article_prefix(s)?;
    let mut segs = rest.split('.').filter(|x| !x.is_empty()).peekable();
    while let Some(seg) = segs.next() {
        let low = seg.to_ascii_lowercase();
        if low == "text" || low == "heading" {
            out.push('.');
            out.push_str(&low);
            if let Some(n) = segs.next() {
                out.push('.');
                out.push_str(n);
            }
        } else if let Some(k) = low.strip_prefix("opt") {
            // `opt2`, `optII`; items may follow: `opt2(a)` or `opt2a`.
            let key: String = seg[3..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || "IVXivx".contains(*c))
                .collect();
            let key = if key.chars().all(|c| c.is_ascii_digit()) {
                key
            } else {
                key.to_ascii_uppercase()
            };
            out.push_str(&format!(".opt{key}"));
            let items = &k[key.len().min(k.len())..];
            let (dup, items) = take_dup(items);
            out.push_str(dup);
            out.push_str(&items_part(items));
        } else if low.starts_with(|c: char| c.is_ascii_digit()) {
            let digits: String = low.chars().take_while(|c| c.is_ascii_digit()).collect();
            let after = &low[digits.len()..];
            let suffix = SUFFIXES
                .iter()
                .filter(|x| after.starts_with(*x))
                .max_by_key(|x| x.len())
                .copied()
                .unwrap_or("");
            out.push('.');
            out.push_str(&digits);
            out.push_str(suffix);
            let (dup, items) = take_dup(&after[suffix.len()..]);
            out.push_str(dup);
            out.push_str(&items_part(items));
        } else {
            // `3.1.b.i`: items after dots.
            out.push_str(&items_part(&format!("({low})")));
        }
    }
    Some(out)
}

/// A `~2` that tells apart a repeated label, and what follows it.
fn take_dup(s: &str) -> (&str, &str) {
    match s.strip_prefix('~') {
        Some(r) => {
            let n = 1 + r.chars().take_while(|c| c.is_ascii_digit()).count();
            s.split_at(n)
        }
        None => ("", s),
    }
}

/// `(b)(i)`, `bi`, `(b)` as the model spells items: `(b)(i)`.
fn items_part(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let n = normalize_label(&format!("0{s}"));
    n.strip_prefix('0').unwrap_or(&n).to_string()
}

/// Whether a section id matches what a user typed: `C`, `Preamble`, `Art.3bis`, also `3bis`,
/// `Article 3bis`, `art3bis` (case and spaces ignored).
pub fn section_matches(id: &str, want: &str) -> bool {
    if id.eq_ignore_ascii_case(want.trim()) {
        return true;
    }
    let w: String = want.chars().filter(|c| !c.is_whitespace()).collect();
    if !id.starts_with("Art.") {
        return false;
    }
    let w = if w.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Art.{w}")
    } else {
        w
    };
    article_prefix(&w).is_some_and(|(c, rest)| rest.is_empty() && c.eq_ignore_ascii_case(id))
}

/// Whether `s` is a lower-case roman numeral (i .. xxxix, with l).
pub fn is_roman(s: &str) -> bool {
    roman_value(s).is_some()
}

/// The value of a lower-case roman numeral up to 89, written canonically.
pub fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let digit = |c: u8| match c {
        b'i' => Some(1),
        b'v' => Some(5),
        b'x' => Some(10),
        b'l' => Some(50),
        _ => None,
    };
    let b = s.as_bytes();
    // Add, subtracting a digit that stands before a larger one; then require the canonical form.
    let mut value: i64 = 0;
    for (i, &c) in b.iter().enumerate() {
        let v = digit(c)? as i64;
        let next = b.get(i + 1).and_then(|&n| digit(n)).unwrap_or(0) as i64;
        if next > v { value -= v } else { value += v }
    }
    if value <= 0 || value >= 90 {
        return None;
    }
    let value = value as u32;
    (to_roman(value) == s).then_some(value)
}

/// Lower-case roman numeral of `n` (1..=89).
pub fn to_roman(mut n: u32) -> String {
    let table = [
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise() {
        assert_eq!(normalize_label("14a"), "14(a)");
        assert_eq!(normalize_label("14.a"), "14(a)");
        assert_eq!(normalize_label("14(a)"), "14(a)");
        assert_eq!(normalize_label("3(a)(viii)"), "3(a)(viii)");
        assert_eq!(normalize_label("3.a.viii"), "3(a)(viii)");
        assert_eq!(normalize_label("3aviii"), "3(a)(viii)");
        assert_eq!(normalize_label("14"), "14");
        assert_eq!(normalize_label("C.steps.2"), "C.steps.2");
    }

    #[test]
    fn treaty_labels_normalise() {
        assert_eq!(normalize_label("art3.1b"), "Art.3.1(b)");
        assert_eq!(normalize_label("Article 3.1(b)"), "Art.3.1(b)");
        assert_eq!(normalize_label("Art.3.1.b.i"), "Art.3.1(b)(i)");
        assert_eq!(normalize_label("Art.2bis.1"), "Art.2bis.1");
        assert_eq!(normalize_label("art 8 bis"), "Art.8bis");
        assert_eq!(normalize_label("Art.3.3bis"), "Art.3.3bis");
        assert_eq!(normalize_label("art3.1.opt2"), "Art.3.1.opt2");
        assert_eq!(normalize_label("Art.5.optii"), "Art.5.optII");
        assert_eq!(normalize_label("Art.3.7.opt1a"), "Art.3.7.opt1(a)");
        assert_eq!(normalize_label("Art.3.text.2"), "Art.3.text.2");
        assert_eq!(normalize_label("Art.3ter.1~2a"), "Art.3ter.1~2(a)");
        assert_eq!(normalize_label("pp12"), "PP12");
        assert_eq!(normalize_label("Preamble"), "Preamble");
    }

    #[test]
    fn sections_match_loosely() {
        assert!(section_matches("Art.3bis", "3bis"));
        assert!(section_matches("Art.3bis", "Article 3bis"));
        assert!(section_matches("Art.8bis", "art 8 bis"));
        assert!(section_matches("Preamble", "preamble"));
        assert!(section_matches("C", "c"));
        assert!(!section_matches("Art.3", "3bis"));
        assert!(!section_matches("C", "3"));
    }

    #[test]
    fn romans() {
        assert_eq!(roman_value("viii"), Some(8));
        assert_eq!(roman_value("x"), Some(10));
        assert_eq!(roman_value("iiii"), None);
        assert_eq!(to_roman(14), "xiv");
    }
}
