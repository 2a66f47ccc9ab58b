//! Treaty drafts (the Paris Agreement's negotiating texts and their like), as Markdown:
//!
//! - sections are `## Preamble` and `## Article N *(topic)*`, also `## [Article 3ter]`,
//!   `## Article 8 bis`; a first other heading before them is the title;
//! - the preamble holds unnumbered preambular paragraphs, often led by an italic word
//!   (`*Recognizing* ...`), labelled by position `PP1`, `PP2`, ...; its opening line ("The
//!   Parties to this Agreement,") and closing formula ("Have agreed as follows:") are text;
//! - paragraphs are numbered within each article (`Art.3.5`, `Art.3.3bis`); Markdown lists
//!   nested under them, by indentation, are items `Art.2.1(a)`, then sub-items
//!   `Art.2.1(a)(i)`, then `(1)`; a list the Markdown renders as `1. 2. 3.` under a paragraph
//!   is the treaty's `(a) (b) (c)`;
//! - `**Option 2:** text` is an option node labelled by what it hangs on: `Art.3.1.opt2` under
//!   paragraph 1, `Art.3.opt2` at article level. An option with no text of its own, or ending
//!   with a colon, holds the list that follows it; an article-level option with no text
//!   (a heading over alternative sets of paragraphs) prefixes their labels: `Art.2bis.opt1.1`;
//!   an option that stays without text becomes a heading;
//! - a bold line alone (`**Response measures**`) is a sub-heading `Art.3.heading.1`;
//! - an unmarked block continues the node before it when it is soft-wrapped, indented deeper
//!   (a Markdown list continuation), starts in lower case, or follows a text whose bracket is
//!   still open; otherwise it is text `Art.3.text.1`;
//! - footnote definitions `[^n]: ...` continue over indented blocks after them;
//! - the editor's note (an italic block before the first heading, ended by a heading, a
//!   numbered paragraph or an option), link definitions whose target is a URL or a path
//!   (`[source]: http://...`; never `[Option 1]: 2030`) and layout directives (`* TOC`,
//!   `{:toc}`) are metadata.
//!
//! A label that would repeat an earlier one (numbering restarted under a sub-heading) gets
//! `~2`, `~3`, so that every label names one node.

use super::{
    BULLET, BracketLine, Cleaned, bracket_only, clean, footnote_mark, has_words, prefix_node,
    starts_lowercase, to_citations,
};
use crate::brackets;
use crate::model::{
    Citation, Draft, Family, Footnote, Meta, MetaKind, Node, NodeKind, Section, is_roman, to_roman,
};
use crate::text::letter_of;
use regex::Regex;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const SUFFIXES: &str = "bis|ter|quater|quinquies|sexies|septies|octies|novies|decies";

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<designation>\[?\s*(?i:article)\s+(?P<num>\d{{1,4}})\s*(?P<suf>{SUFFIXES})?\s*\]?)\s*(?:\((?P<topic>.*)\)|[:.\-–—]\s*(?P<title>.*))?\s*$"
    ))
    .expect("article pattern is valid")
});

static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[?\s*(?i:preamble)\s*\]?\s*$").expect("preamble pattern is valid")
});

/// `**Option 1:**`, `**Option 1**:`, `**Option II:**:`, `**Option 1[^6]:**`, `**Option 3**`.
static OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\*\*\s*Option\s+(?P<k>\d{1,3}|[IVXivx]{1,6}|[A-Z])\s*(?P<fn>(?:\[\^\d{1,4}\])*)\s*(?::\s*\*\*|\*\*\s*:?)\s*[:.]*\s*",
    )
    .expect("option pattern is valid")
});

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        concat!(
            r"^(?:\*\*(?P<bn>\d{{1,3}})(?P<bsuf>{s})?\.\*\*",
            r"|(?P<n>\d{{1,3}})(?P<suf>{s})?\.",
            r"|(?P<sn>\d{{1,3}})\s?(?P<ssuf>{s})",
            r"|\((?P<pn>\d{{1,3}})(?P<psuf>{s})?\)",
            r"|\((?P<pl>[a-z]{{1,6}})\)",
            r"|(?P<l>[a-z]{{1,6}})\))",
            r"(?:\s+|$)"
        ),
        s = SUFFIXES
    ))
    .expect("marker pattern is valid")
});

/// A bold line alone: `**Directional goal**`, `**Proposed Mechanism 1**`.
static SUBHEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\*\*[^*]+\*\*\s*(?:\[\^\d{1,4}\]\s*)*$").expect("subheading pattern is valid")
});

/// A Markdown link reference definition: `[source]: http://...`, `[1]: ./annex.pdf`,
/// `[doc]: <A/75/816.pdf> "title"`. Only a target that is a URL or a path makes one
/// ([`link_target`]): `[Option 1]: 2030` is bracketed negotiating text, never metadata.
static LINK_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\[[^\]\[^][^\]\[]*\]:\s+(?P<target><[^>]*>|\S+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*$"#)
        .expect("link definition pattern is valid")
});

/// A link target: a URL (`http://`, `https://`, `ftp://`, `mailto:`), a path (`./`, `../`,
/// `/`, `#anchor`), a file name with an extension (`annex.pdf`, `www.unfccc.int`), or
/// anything in `<...>`.
static LINK_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:<.*>|(?i:https?|ftp)://\S+|(?i:mailto):\S+|\.{1,2}/\S*|/\S*|#\S+|[\w~%+-][\w~%+.-]*\.[A-Za-z][A-Za-z0-9]{0,5}(?:[/?#]\S*)?)$",
    )
    .expect("link target pattern is valid")
});

/// Whether `trimmed` is a link reference definition whose target is a URL or a path.
fn link_definition(trimmed: &str) -> bool {
    LINK_DEF
        .captures(trimmed)
        .and_then(|c| c.name("target"))
        .is_some_and(|t| LINK_TARGET.is_match(t.as_str()))
}

/// Layout directives: a table of contents, kramdown attribute lists.
static MARKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[*-]\s+TOC|\{:[^}]*\})$").expect("markup pattern is valid"));

static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:have|has)\s+agreed\s+as\s+follows").expect("closing pattern is valid")
});

/// A numbering marker read at the start of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    /// `3.`, `(3)`; with a suffix (`3bis.`, `3bis`, `(17bis)`) it is always a paragraph.
    Number { n: u32, suffix: Option<String> },
    /// `a)`, `(a)`, `(iv)`.
    Letter(String),
}

/// What an open node of the list structure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A level of numbering: 0 paragraph, 1 item, 2 sub-item, 3+ deeper.
    Level(u8),
    /// An option; `article` when it hangs on the article itself.
    Option {
        article: bool,
    },
    Text,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    idx: usize,
    indent: usize,
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Soft {
    None,
    Node(usize),
    Footnote(usize),
    Note(usize),
}

struct Parser {
    nodes: Vec<Node>,
    sections: Vec<Section>,
    footnotes: Vec<Footnote>,
    metadata: Vec<Meta>,
    section: Option<String>,
    preamble: bool,
    seen_heading: bool,
    has_title: bool,
    stack: Vec<Frame>,
    open: Option<usize>,
    open_indent: usize,
    soft: Soft,
    /// The footnote definition indented blocks continue.
    footnote: Option<usize>,
    pp: u32,
    text_count: u32,
    heading_count: u32,
    labels: HashMap<String, u32>,
    /// Level of each node in the numbering (for options: the level of what they hang on).
    levels: HashMap<usize, u8>,
    /// 1-based column (in characters) where the current line's block starts.
    col: usize,
    /// Lines of opening brackets alone, held for the next node ([`BracketLine`]).
    pending: Vec<(Cleaned, usize)>,
}

/// Parse a treaty draft; the first `skip` lines (front matter) are already taken.
pub(crate) fn parse(name: &str, path: &Path, text: &str, skip: usize) -> Draft {
    let mut p = Parser {
        nodes: Vec::new(),
        sections: Vec::new(),
        footnotes: Vec::new(),
        metadata: Vec::new(),
        section: None,
        preamble: false,
        seen_heading: false,
        has_title: false,
        stack: Vec::new(),
        open: None,
        open_indent: 0,
        soft: Soft::None,
        footnote: None,
        pp: 0,
        text_count: 0,
        heading_count: 0,
        labels: HashMap::new(),
        levels: HashMap::new(),
        col: 1,
        pending: Vec::new(),
    };
    for (i, raw) in super::lines_of(text).into_iter().enumerate().skip(skip) {
        p.line(i + 1, raw);
    }
    p.flush_pending();
    // An option that never got text of its own is a heading over what follows it.
    for n in &mut p.nodes {
        if n.kind == NodeKind::Option && n.text.is_empty() {
            n.kind = NodeKind::Heading;
        }
    }
    Draft {
        name: name.to_string(),
        path: PathBuf::from(path),
        family: Family::Treaty,
        sections: p.sections,
        nodes: p.nodes,
        footnotes: p.footnotes,
        metadata: p.metadata,
    }
}

/// Width of the leading whitespace (a tab counts 4).
fn indent_of(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The label part of the `n`th entry of a list at `level` (1 items, 2 sub-items, 3+ deeper).
fn list_part(level: u8, n: u32) -> String {
    match level {
        0 => n.to_string(),
        1 => format!("({})", letter_of(n)),
        2 if (1..90).contains(&n) => format!("({})", to_roman(n)),
        _ => format!("({n})"),
    }
}

fn kind_of_level(level: u8) -> NodeKind {
    match level {
        0 => NodeKind::Paragraph,
        1 => NodeKind::Item,
        _ => NodeKind::Subitem,
    }
}

fn read_marker(body: &str) -> Option<(Marker, usize)> {
    let c = MARKER.captures(body)?;
    let end = c.get(0)?.end();
    let num = c
        .name("bn")
        .or_else(|| c.name("n"))
        .or_else(|| c.name("sn"))
        .or_else(|| c.name("pn"));
    if let Some(n) = num {
        let suffix = c
            .name("bsuf")
            .or_else(|| c.name("suf"))
            .or_else(|| c.name("ssuf"))
            .or_else(|| c.name("psuf"))
            .map(|m| m.as_str().to_string());
        let n = n.as_str().parse().ok()?;
        return Some((Marker::Number { n, suffix }, end));
    }
    let l = c.name("pl").or_else(|| c.name("l"))?.as_str();
    (l.len() == 1 || is_roman(l)).then(|| (Marker::Letter(l.to_string()), end))
}

impl Parser {
    fn line(&mut self, lineno: usize, raw: &str) {
        let raw = raw.trim_end();
        let trimmed = raw.trim_start();
        if trimmed.is_empty() {
            self.soft = Soft::None;
            return;
        }
        let indent = indent_of(raw);
        self.col = raw[..raw.len() - trimmed.len()].chars().count() + 1;
        if indent <= 3 && link_definition(trimmed) {
            self.meta(lineno, MetaKind::LinkDefinition, trimmed.to_string());
            return;
        }
        if MARKUP.is_match(trimmed) {
            self.meta(lineno, MetaKind::Markup, trimmed.to_string());
            return;
        }
        if self.footnote_def(lineno, trimmed) {
            return;
        }
        // A heading is never the continuation of a footnote or of the editor's note before
        // it (it would take the article, and what follows it, out of the text).
        let heading = trimmed.starts_with('#') || (indent <= 3 && bare_heading(trimmed));
        if let Some(fi) = self.footnote {
            if (self.soft == Soft::Footnote(fi) || indent >= 2) && !heading {
                self.append_footnote(fi, clean(trimmed));
                return;
            }
            self.footnote = None;
        }
        // Nor is a numbered paragraph or an option: the note ends where the text starts.
        let body = BULLET
            .find(trimmed)
            .map_or(trimmed, |m| &trimmed[m.end()..]);
        let starts_text = heading || OPTION.is_match(body) || read_marker(body).is_some();
        if let Soft::Note(mi) = self.soft
            && !starts_text
        {
            let m = &mut self.metadata[mi];
            m.text.push(' ');
            m.text.push_str(&with_marks(&clean(trimmed)));
            return;
        }
        if !trimmed.contains(char::is_alphanumeric) {
            if let Some(c) = bracket_only(trimmed) {
                self.bracket_line(lineno, c);
                return;
            }
            // A separator line: layout, no words.
            self.soft = Soft::None;
            return;
        }
        // `## Article 3`, also a line that is nothing but `**Article 3**` or `PREAMBLE`.
        if heading {
            self.heading(lineno, trimmed);
            return;
        }
        if !self.seen_heading
            && self.nodes.is_empty()
            && trimmed.starts_with('*')
            && !trimmed.starts_with("**")
            && !BULLET.is_match(trimmed)
        {
            self.metadata.push(Meta {
                kind: MetaKind::Note,
                text: with_marks(&clean(trimmed)),
                line: lineno,
            });
            self.soft = Soft::Note(self.metadata.len() - 1);
            return;
        }
        let (dashed, body) = match BULLET.find(trimmed) {
            Some(m) => (true, &trimmed[m.end()..]),
            None => (false, trimmed),
        };
        self.col = raw[..raw.len() - body.len()].chars().count() + 1;
        let whole = clean(body);
        if !has_words(&whole.text) && whole.cites.is_empty() {
            self.soft = Soft::None;
            return;
        }
        if let Some(c) = OPTION.captures(body) {
            let k = c["k"].to_string();
            let end = c.get(0).map_or(0, |m| m.end());
            let marks = c.name("fn").map_or("", |m| m.as_str());
            let text = clean(&format!("{marks}{}", &body[end..]));
            self.option(lineno, indent, k, text);
            return;
        }
        if let Some((marker, end)) = read_marker(body) {
            self.marked(lineno, indent, marker, clean(&body[end..]));
            return;
        }
        if !self.preamble
            && !dashed
            && SUBHEADING.is_match(body)
            && body.split_whitespace().count() <= 12
        {
            self.subheading(lineno, indent, clean(body));
            return;
        }
        let italic_lead = body.starts_with('*') || body.starts_with("[*");
        self.unmarked(lineno, indent, dashed, italic_lead, clean(body));
    }

    fn meta(&mut self, lineno: usize, kind: MetaKind, text: String) {
        self.metadata.push(Meta {
            kind,
            text,
            line: lineno,
        });
        self.soft = Soft::None;
    }

    fn footnote_def(&mut self, lineno: usize, trimmed: &str) -> bool {
        let Some((num, end)) = footnote_mark(trimmed) else {
            return false;
        };
        let rest = &trimmed[end..];
        let cl = clean(rest);
        let Some(number) = num.filter(|_| has_words(&cl.text)) else {
            return false;
        };
        self.footnotes.push(Footnote {
            number,
            citations: to_citations(&cl.cites),
            text: cl.text,
            line: lineno,
        });
        let fi = self.footnotes.len() - 1;
        self.footnote = Some(fi);
        self.soft = Soft::Footnote(fi);
        true
    }

    fn append_footnote(&mut self, fi: usize, c: Cleaned) {
        let f = &mut self.footnotes[fi];
        let base = if f.text.is_empty() {
            0
        } else {
            f.text.push(' ');
            f.text.len()
        };
        f.text.push_str(&c.text);
        f.citations.extend(c.cites.iter().map(|&(n, o)| Citation {
            footnote: n,
            offset: base + o,
        }));
        self.soft = Soft::Footnote(fi);
    }

    /// The label prefix of the current section (`Art.3`, `Preamble`), if any.
    fn prefix(&self) -> Option<&str> {
        self.section.as_deref()
    }

    /// A label no earlier node has.
    fn unique(&mut self, label: String) -> String {
        let n = self.labels.entry(label.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            label
        } else {
            format!("{label}~{n}")
        }
    }

    fn new_node(
        &mut self,
        lineno: usize,
        kind: NodeKind,
        label: String,
        c: Cleaned,
        marker: Option<String>,
        parent: Option<usize>,
    ) -> usize {
        let label = self.unique(label);
        let mut node = Node {
            marker,
            parent,
            ..super::new_node(label, kind, self.section.clone(), c, lineno, self.col)
        };
        prefix_node(&mut node, std::mem::take(&mut self.pending));
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Add a body node at `indent`; it becomes the node the next blocks may continue.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        lineno: usize,
        indent: usize,
        role: Role,
        kind: NodeKind,
        label: String,
        c: Cleaned,
        marker: Option<String>,
        parent: Option<usize>,
    ) -> usize {
        let idx = self.new_node(lineno, kind, label, c, marker, parent);
        self.stack.push(Frame { idx, indent, role });
        self.open = Some(idx);
        self.open_indent = indent;
        self.soft = Soft::Node(idx);
        idx
    }

    fn reset(&mut self) {
        self.stack.clear();
        self.open = None;
        self.soft = Soft::None;
        self.footnote = None;
        self.text_count = 0;
        self.heading_count = 0;
    }

    fn heading(&mut self, lineno: usize, trimmed: &str) {
        let content = clean(trimmed.trim_start_matches('#').trim_start());
        self.seen_heading = true;
        if let Some(c) = ARTICLE.captures(&content.text) {
            let num = &c["num"];
            let suffix = c.name("suf").map_or("", |m| m.as_str()).to_lowercase();
            let id = format!("Art.{num}{suffix}");
            let designation = c["designation"].trim().to_string();
            let title_m = c.name("topic").or_else(|| c.name("title"));
            let title = title_m.map_or("", |m| m.as_str()).trim().to_string();
            let from = title_m.map_or(content.text.len(), |m| m.start());
            let cites = content
                .cites
                .iter()
                .map(|&(n, o)| (n, o.saturating_sub(from).min(title.len())))
                .collect();
            self.start_section(
                lineno,
                id,
                title.clone(),
                Cleaned { text: title, cites },
                Some(designation),
            );
            self.preamble = false;
            return;
        }
        if PREAMBLE.is_match(&content.text) {
            let title = content.text.clone();
            self.start_section(lineno, "Preamble".to_string(), title, content, None);
            self.preamble = true;
            return;
        }
        self.reset();
        if self.sections.is_empty() && !self.has_title {
            self.has_title = true;
            self.new_node(
                lineno,
                NodeKind::Title,
                "title".to_string(),
                content,
                None,
                None,
            );
            return;
        }
        self.heading_count += 1;
        let label = match self.prefix() {
            Some(s) => format!("{s}.heading.{}", self.heading_count),
            None => format!("heading.{}", self.heading_count),
        };
        self.new_node(lineno, NodeKind::Heading, label, content, None, None);
    }

    fn start_section(
        &mut self,
        lineno: usize,
        id: String,
        title: String,
        content: Cleaned,
        marker: Option<String>,
    ) {
        self.reset();
        self.sections.push(Section {
            id: id.clone(),
            title,
            line: lineno,
        });
        self.section = Some(id.clone());
        self.new_node(lineno, NodeKind::Heading, id, content, marker, None);
    }

    fn subheading(&mut self, lineno: usize, indent: usize, c: Cleaned) {
        self.stack.retain(|f| f.indent < indent);
        self.heading_count += 1;
        let label = match self.prefix() {
            Some(s) => format!("{s}.heading.{}", self.heading_count),
            None => format!("heading.{}", self.heading_count),
        };
        self.new_node(lineno, NodeKind::Heading, label, c, None, None);
        self.open = None;
        self.soft = Soft::None;
    }

    /// Whether a frame holds a list that starts at `indent`: a frame indented less, or an
    /// option at the same indent that has no text of its own or ends with a colon.
    fn holds(&self, f: &Frame, indent: usize) -> bool {
        match f.role {
            Role::Text => false,
            Role::Option { .. } if f.indent <= indent => {
                let t = self.nodes[f.idx].text.trim_end();
                f.indent < indent || t.is_empty() || t.ends_with(':')
            }
            _ => f.indent < indent,
        }
    }

    fn option(&mut self, lineno: usize, indent: usize, k: String, c: Cleaned) {
        let marker = Some(format!("Option {k}"));
        if self.preamble {
            self.preambular(lineno, indent, c, marker);
            return;
        }
        // Options never hold options: alternatives are siblings.
        while let Some(top) = self.stack.last() {
            if top.indent < indent && !matches!(top.role, Role::Option { .. } | Role::Text) {
                break;
            }
            self.stack.pop();
        }
        let parent = self.stack.last().copied();
        let base = match parent {
            Some(f) => self.nodes[f.idx].label.clone(),
            None => self.prefix().unwrap_or("").to_string(),
        };
        let label = if base.is_empty() {
            format!("opt{k}")
        } else {
            format!("{base}.opt{k}")
        };
        let level = parent.map(|f| self.level(f));
        let role = Role::Option {
            article: parent.is_none(),
        };
        let idx = self.push(
            lineno,
            indent,
            role,
            NodeKind::Option,
            label,
            c,
            marker,
            parent.map(|f| f.idx),
        );
        if let Some(l) = level {
            self.levels.insert(idx, l);
        }
    }

    /// The numbering level of a frame's node (an option: the level of what it hangs on).
    fn level(&self, f: Frame) -> u8 {
        match f.role {
            Role::Level(l) => l,
            Role::Option { .. } | Role::Text => self.levels.get(&f.idx).copied().unwrap_or(0),
        }
    }

    fn marked(&mut self, lineno: usize, indent: usize, marker: Marker, c: Cleaned) {
        if self.preamble {
            let m = match &marker {
                Marker::Number { n, suffix } => format!("{n}{}", suffix.as_deref().unwrap_or("")),
                Marker::Letter(l) => l.clone(),
            };
            self.preambular(lineno, indent, c, Some(m));
            return;
        }
        match marker {
            Marker::Number {
                n,
                suffix: Some(suf),
            } => {
                // `3bis.`: a paragraph of the article, wherever it is indented.
                self.stack.retain(|f| f.indent < indent);
                let scope = self
                    .stack
                    .first()
                    .filter(|f| f.role == Role::Option { article: true })
                    .copied();
                let base = match scope {
                    Some(f) => self.nodes[f.idx].label.clone(),
                    None => self.prefix().unwrap_or("").to_string(),
                };
                let value = format!("{n}{suf}");
                let label = join(&base, &value);
                self.push(
                    lineno,
                    indent,
                    Role::Level(0),
                    NodeKind::Paragraph,
                    label,
                    c,
                    Some(value),
                    scope.map(|f| f.idx),
                );
            }
            Marker::Number { n, suffix: None } => {
                while let Some(top) = self.stack.last() {
                    if self.holds(top, indent) {
                        break;
                    }
                    self.stack.pop();
                }
                let parent = self.stack.last().copied();
                let (level, base, label_part) = match parent {
                    None => (0, self.prefix().unwrap_or("").to_string(), n.to_string()),
                    Some(f) if f.role == (Role::Option { article: true }) => {
                        (0, self.nodes[f.idx].label.clone(), n.to_string())
                    }
                    Some(f) => {
                        let l = match f.role {
                            Role::Level(l) => l + 1,
                            _ => self.level(f) + 1,
                        };
                        (l, self.nodes[f.idx].label.clone(), list_part(l, n))
                    }
                };
                let label = if level == 0 {
                    join(&base, &label_part)
                } else {
                    format!("{base}{label_part}")
                };
                self.push(
                    lineno,
                    indent,
                    Role::Level(level),
                    kind_of_level(level),
                    label,
                    c,
                    Some(n.to_string()),
                    parent.map(|f| f.idx),
                );
            }
            Marker::Letter(value) => {
                // Letters are never paragraphs: they hang on the paragraph (or option) at the
                // same indent or less.
                while let Some(top) = self.stack.last() {
                    let holds = match top.role {
                        Role::Level(0) => top.indent <= indent,
                        Role::Option { .. } => self.holds(top, indent),
                        Role::Level(_) => top.indent < indent,
                        Role::Text => false,
                    };
                    if holds {
                        break;
                    }
                    self.stack.pop();
                }
                let Some(parent) = self.stack.last().copied() else {
                    self.text(lineno, indent, c, Some(value));
                    return;
                };
                let level = match parent.role {
                    Role::Level(l) => l + 1,
                    _ => self.level(parent) + 1,
                };
                let label = format!("{}({value})", self.nodes[parent.idx].label);
                self.push(
                    lineno,
                    indent,
                    Role::Level(level),
                    kind_of_level(level.max(1)),
                    label,
                    c,
                    Some(value),
                    Some(parent.idx),
                );
            }
        }
    }

    fn preambular(&mut self, lineno: usize, indent: usize, c: Cleaned, marker: Option<String>) {
        self.stack.clear();
        self.pp += 1;
        let label = format!("PP{}", self.pp);
        self.push(
            lineno,
            indent,
            Role::Text,
            NodeKind::Preambular,
            label,
            c,
            marker,
            None,
        );
    }

    /// Unnumbered text: `Art.3.text.1` (`text.1` before the first section).
    fn text(&mut self, lineno: usize, indent: usize, c: Cleaned, marker: Option<String>) {
        self.stack.retain(|f| f.indent < indent);
        let parent = self
            .stack
            .iter()
            .rev()
            .find(|f| f.role != Role::Text)
            .map(|f| f.idx);
        self.text_count += 1;
        let label = match self.prefix() {
            Some(s) => format!("{s}.text.{}", self.text_count),
            None => format!("text.{}", self.text_count),
        };
        self.push(
            lineno,
            indent,
            Role::Text,
            NodeKind::Text,
            label,
            c,
            marker,
            parent,
        );
    }

    fn unmarked(&mut self, lineno: usize, indent: usize, dashed: bool, italic: bool, c: Cleaned) {
        if let Some(open) = self.open {
            let node = &self.nodes[open];
            let soft = self.soft == Soft::Node(open) && !dashed;
            let empty = node.text.is_empty();
            let deeper = !dashed && indent > self.open_indent && !self.preamble;
            let bracket_open = !dashed
                && !self.preamble
                && !italic
                && node.kind.is_body()
                && brackets::open_depth(&node.text) > 0;
            let lower = !dashed && starts_lowercase(&c.text);
            if soft || empty || deeper || bracket_open || lower {
                self.append(open, lineno, c);
                return;
            }
        }
        if self.preamble {
            let first = !self
                .nodes
                .iter()
                .any(|n| n.section.as_deref() == Some("Preamble") && n.kind != NodeKind::Heading);
            let chapeau = first && !italic && c.text.trim_end().ends_with(',');
            if chapeau || CLOSING.is_match(&c.text) {
                self.text(lineno, indent, c, None);
            } else {
                self.preambular(lineno, indent, c, None);
            }
            return;
        }
        self.text(lineno, indent, c, None);
    }

    fn append(&mut self, idx: usize, lineno: usize, c: Cleaned) {
        for (b, line) in std::mem::take(&mut self.pending) {
            super::continue_node(&mut self.nodes[idx], line, b);
        }
        super::continue_node(&mut self.nodes[idx], lineno, c);
        self.soft = Soft::Node(idx);
    }

    /// A line of brackets alone: the close of the node before, or held to open the next
    /// ([`BracketLine`]).
    fn bracket_line(&mut self, lineno: usize, c: Cleaned) {
        match (BracketLine::of(&c), self.open) {
            (BracketLine::Close, Some(open)) if self.pending.is_empty() => {
                self.append(open, lineno, c);
            }
            _ => {
                self.pending.push((c, lineno));
                self.soft = Soft::None;
            }
        }
    }

    /// Bracket lines still held at the end of the draft go to its last node, or make one.
    fn flush_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        super::flush_brackets(
            self,
            pending,
            |p| &mut p.nodes,
            |p, c, line| {
                p.col = 1;
                p.text(line, 0, c, None);
            },
        );
    }
}

/// A line without `#` that is an article or preamble heading all by itself: bold, or bare.
fn bare_heading(trimmed: &str) -> bool {
    if trimmed.len() > 200 || BULLET.is_match(trimmed) {
        return false;
    }
    let text = clean(trimmed).text;
    (ARTICLE.is_match(&text) && !text.contains(['.', ';']) || PREAMBLE.is_match(&text))
        && !MARKER.is_match(trimmed)
}

/// Cleaned text with its footnote marks put back as `[^n]` (metadata holds no citations).
fn with_marks(c: &Cleaned) -> String {
    let mut out = String::with_capacity(c.text.len() + 6 * c.cites.len());
    let mut last = 0;
    for &(n, at) in &c.cites {
        let at = at.min(c.text.len());
        if at < last || !c.text.is_char_boundary(at) {
            continue;
        }
        out.push_str(&c.text[last..at]);
        out.push_str(&format!("[^{n}]"));
        last = at;
    }
    out.push_str(&c.text[last..]);
    out
}

/// `Art.3` + `5` = `Art.3.5`; no prefix: `5`.
fn join(base: &str, part: &str) -> String {
    if base.is_empty() {
        part.to_string()
    } else {
        format!("{base}.{part}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Draft {
        super::super::parse_as("t", Path::new("t.md"), text, Some(Family::Treaty))
    }

    fn labels(d: &Draft) -> Vec<String> {
        d.nodes.iter().map(|n| n.label.clone()).collect()
    }

    #[test]
    fn articles_paragraphs_items() {
        let d = p(concat!(
            "## Article 2\n\n1. This Agreement aims:\n\n    1. Holding;\n    2. Increasing.\n\n",
            "2. This Agreement will be implemented.\n\n## Article 13\n\n7. Provide:\n\n",
            " 1. A national inventory;\n\n 2. Information.\n\n8. Each Party.\n"
        ));
        assert_eq!(
            labels(&d),
            [
                "Art.2",
                "Art.2.1",
                "Art.2.1(a)",
                "Art.2.1(b)",
                "Art.2.2",
                "Art.13",
                "Art.13.7",
                "Art.13.7(a)",
                "Art.13.7(b)",
                "Art.13.8"
            ]
        );
        assert_eq!(d.nodes[2].kind, NodeKind::Item);
        assert_eq!(d.nodes[2].parent, Some(1));
    }
}
