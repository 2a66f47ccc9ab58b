//! Check: drafting errors caught before commit. Numbering (paragraphs, items, sub-items,
//! next steps), footnotes, cross-references, sections, layout leftovers; across revisions,
//! agreed language that changed and cross-references left stale by renumbering.
//!
//! Each rule has a stable code and a severity ([`RULES`]); diagnostics print like a
//! compiler's: `path:line:col: error[CODE]: message`.

pub mod xref;

use crate::diff::{Redline, Status};
use crate::model::{Draft, Node, NodeKind, roman_value};
use crate::text::{ends_mid_sentence, letter_of, letter_value};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use xref::Direction;

/// How serious a finding is: errors fail the check, warnings only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A rule of the check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// Every rule, with its stable code.
pub const RULES: &[Rule] = &[
    Rule {
        code: "N001",
        severity: Severity::Error,
        summary: "paragraph number used twice",
    },
    Rule {
        code: "N002",
        severity: Severity::Error,
        summary: "paragraph numbers not consecutive",
    },
    Rule {
        code: "N003",
        severity: Severity::Error,
        summary: "item letters not consecutive within their paragraph",
    },
    Rule {
        code: "N004",
        severity: Severity::Error,
        summary: "sub-item romans not consecutive within their item",
    },
    Rule {
        code: "N005",
        severity: Severity::Error,
        summary: "next-steps numbers not consecutive",
    },
    Rule {
        code: "N006",
        severity: Severity::Warning,
        summary: "next-steps number missing in the source (inferred from position)",
    },
    Rule {
        code: "N007",
        severity: Severity::Error,
        summary: "paragraph or item number missing in the source (inferred from position)",
    },
    Rule {
        code: "F001",
        severity: Severity::Error,
        summary: "footnote cited but not defined",
    },
    Rule {
        code: "F002",
        severity: Severity::Error,
        summary: "footnote defined but never cited",
    },
    Rule {
        code: "F003",
        severity: Severity::Error,
        summary: "footnote number defined twice",
    },
    Rule {
        code: "F004",
        severity: Severity::Error,
        summary: "footnotes not numbered in order of first citation",
    },
    Rule {
        code: "X001",
        severity: Severity::Error,
        summary: "cross-reference to a paragraph that does not exist",
    },
    Rule {
        code: "X002",
        severity: Severity::Error,
        summary: "cross-reference says above/below but the target is on the other side",
    },
    Rule {
        code: "X003",
        severity: Severity::Error,
        summary: "cross-reference not updated when its target was renumbered (--against)",
    },
    Rule {
        code: "S001",
        severity: Severity::Error,
        summary: "section letter used twice",
    },
    Rule {
        code: "S002",
        severity: Severity::Error,
        summary: "section letters not in order",
    },
    Rule {
        code: "B001",
        severity: Severity::Warning,
        summary: "square bracket that does not balance (unclosed '[' or unopened ']')",
    },
    Rule {
        code: "L001",
        severity: Severity::Warning,
        summary: "layout leftover: an item starts in lower case after one that stops mid-sentence",
    },
    Rule {
        code: "A001",
        severity: Severity::Error,
        summary: "agreed (ad ref) language changed",
    },
    Rule {
        code: "A002",
        severity: Severity::Error,
        summary: "agreed label listed in oewg.toml does not exist in its draft",
    },
];

fn severity_of(code: &str) -> Severity {
    RULES
        .iter()
        .find(|r| r.code == code)
        .map_or(Severity::Error, |r| r.severity)
}

/// One finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// The label of the node concerned, if any.
    pub label: Option<String>,
}

impl Diagnostic {
    /// `path:line:col: error[CODE]: message`
    pub fn render(&self) -> String {
        format!(
            "{}:{}:{}: {}[{}]: {}",
            self.path,
            self.line,
            self.col,
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}

/// Collects diagnostics for one draft, with its source lines for columns.
struct Report<'a> {
    draft: &'a Draft,
    lines: Vec<&'a str>,
    out: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    fn at(
        &mut self,
        code: &'static str,
        line: usize,
        col: usize,
        label: Option<&str>,
        message: String,
    ) {
        self.out.push(Diagnostic {
            path: self.draft.path.display().to_string(),
            line,
            col: col.max(1),
            severity: severity_of(code),
            code,
            message,
            label: label.map(str::to_string),
        });
    }

    fn node(&mut self, code: &'static str, n: &Node, message: String) {
        self.at(code, n.line, n.col, Some(&n.label), message);
    }

    /// Column of the first occurrence of any of `needles` on a line, else `fallback`.
    fn col_of(&self, line: usize, needles: &[String], fallback: usize) -> usize {
        let Some(text) = self.lines.get(line.wrapping_sub(1)) else {
            return fallback;
        };
        needles
            .iter()
            .filter_map(|n| text.find(n.as_str()))
            .min()
            .map_or(fallback, |b| text[..b].chars().count() + 1)
    }

    /// Column of the `nth` (0-based) occurrence of any of `needles` on a line (the last one
    /// when there are fewer), else `fallback`: the same mark cited twice on a line is found
    /// at each of its places, not twice at the first.
    fn col_of_nth(&self, line: usize, needles: &[String], nth: usize, fallback: usize) -> usize {
        let Some(text) = self.lines.get(line.wrapping_sub(1)) else {
            return fallback;
        };
        let mut at: Vec<usize> = needles
            .iter()
            .flat_map(|n| text.match_indices(n.as_str()).map(|(b, _)| b))
            .collect();
        at.sort_unstable();
        at.dedup();
        at.get(nth)
            .or(at.last())
            .map_or(fallback, |&b| text[..b].chars().count() + 1)
    }
}

fn mark_spellings(n: u32) -> Vec<String> {
    vec![
        format!("<sup>{n}</sup>"),
        format!("[^{n}]"),
        crate::ingest::to_superscript(n),
    ]
}

/// Check one draft on its own. `source` is the file's text (for columns).
pub fn check_draft(d: &Draft, source: &str) -> Vec<Diagnostic> {
    let mut r = Report {
        draft: d,
        lines: crate::ingest::lines_of(source),
        out: Vec::new(),
    };
    numbering(&mut r);
    footnotes(&mut r);
    cross_references(&mut r);
    sections(&mut r);
    layout(&mut r);
    brackets(&mut r);
    r.out.sort_by_key(|x| (x.line, x.col, x.code));
    r.out
}

fn numbering(r: &mut Report) {
    let d = r.draft;
    // Paragraphs, across the document. A doubled number is taken to stand for the next one,
    // so one slip gives one error.
    let paras: Vec<(&Node, u32)> = d
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Paragraph)
        .filter_map(|n| {
            let written = n
                .marker
                .as_deref()
                .or(n.inferred.then_some(n.label.as_str()));
            Some((n, written?.parse::<u32>().ok()?))
        })
        .collect();
    // A report numbers its paragraphs across the document; a treaty within each article.
    let treaty = d.family == crate::model::Family::Treaty;
    // In a treaty the scope is the article, the option block within it, or the part after a
    // sub-heading ("Proposed Mechanism 2" numbers from 1 again).
    let mut part: HashMap<*const Node, usize> = HashMap::new();
    let mut heads = 0;
    for n in &d.nodes {
        if n.kind == NodeKind::Heading {
            heads += 1;
        }
        part.insert(n as *const Node, heads);
    }
    let mut scopes: Vec<(Option<Scope>, Numbered)> = Vec::new();
    // Per prefix: the part of its last paragraph, and the scope counter.
    let mut restart: HashMap<&str, (usize, usize)> = HashMap::new();
    for (n, num) in paras {
        let scope = if treaty {
            n.label.rsplit_once('.').map(|(prefix, _)| {
                let here = part[&(n as *const Node)];
                let e = restart.entry(prefix).or_insert((here, 0));
                // Numbering starts again at 1 after a sub-heading: a new scope.
                if num == 1 && here != e.0 {
                    e.1 += 1;
                }
                e.0 = here;
                (prefix, e.1)
            })
        } else {
            None
        };
        match scopes.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, v)) => v.push((n, num)),
            None => scopes.push((scope, vec![(n, num)])),
        }
    }
    for (_, paras) in &scopes {
        paragraph_sequence(r, paras);
    }
    // Items within their paragraph (or step), sub-items within their item.
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, n) in d.nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            children.entry(p).or_default().push(i);
        }
    }
    let mut parents: Vec<usize> = children.keys().copied().collect();
    parents.sort_unstable();
    for p in parents {
        let kids = &children[&p];
        let mut expected = 1u32;
        for (pos, &k) in kids.iter().enumerate() {
            let n = &d.nodes[k];
            let (code, value, what) = match n.kind {
                NodeKind::Subitem => (
                    "N004",
                    n.marker.as_deref().and_then(roman_value),
                    "sub-item",
                ),
                _ => ("N003", n.marker.as_deref().and_then(letter_value), "item"),
            };
            let value = value.or_else(|| {
                // An item whose letter was lost carries it in its label only.
                let letter = n.label.rsplit('(').next()?.trim_end_matches(')');
                if n.inferred {
                    letter_value(letter)
                } else {
                    None
                }
            });
            let Some(v) = value else { continue };
            if n.inferred {
                r.node(
                    "N007",
                    n,
                    format!(
                        "{what} has no letter; read as {} from its position; letter it",
                        n.label
                    ),
                );
            }
            if v != expected {
                let parent = &d.nodes[p].label;
                let want = if code == "N004" {
                    format!("({})", crate::model::to_roman(expected))
                } else {
                    format!("{})", letter_of(expected))
                };
                let got = match code {
                    "N004" => format!("({})", n.marker.clone().unwrap_or_default()),
                    _ => format!("{})", n.marker.clone().unwrap_or_default()),
                };
                let msg = if v < expected {
                    format!("{what} {got} of {parent} is out of order or doubled; expected {want}")
                } else {
                    format!("{what} {got} of {parent} skips {want}")
                };
                r.node(code, n, msg);
            }
            // A doubled or backward marker stands for the expected one; so does a skip that
            // the next sibling repeats (a, b, d, d, e); another skip moves on.
            let repeated = kids
                .get(pos + 1)
                .is_some_and(|&nx| d.nodes[nx].marker == n.marker);
            expected = if v < expected || (v > expected && repeated) {
                expected + 1
            } else {
                v + 1
            };
        }
    }
    // Next-steps lists, per section.
    let mut last: HashMap<Option<&str>, u32> = HashMap::new();
    for n in d.nodes.iter() {
        if n.kind == NodeKind::Heading && n.label.ends_with("steps") {
            last.insert(n.section.as_deref(), 0);
            continue;
        }
        if n.kind != NodeKind::Step {
            continue;
        }
        let prev = last.get(&n.section.as_deref()).copied().unwrap_or(0);
        let num = n
            .marker
            .as_deref()
            .and_then(|m| m.parse::<u32>().ok())
            .unwrap_or(prev + 1);
        if n.inferred {
            r.node(
                "N006",
                n,
                format!(
                    "next step has no number; read as {} from its position; number it",
                    num
                ),
            );
        } else if num != prev + 1 {
            r.node(
                "N005",
                n,
                format!("next step {num} follows {prev}; expected {}", prev + 1),
            );
        }
        let next = if num <= prev { prev + 1 } else { num };
        last.insert(n.section.as_deref(), next);
    }
}

/// A numbering scope of a treaty: a label prefix (`Art.3`, `Art.2bis.opt1`) and a part number
/// (numbering that starts again at 1 after a sub-heading).
type Scope<'a> = (&'a str, usize);

/// Paragraphs with their numbers, in document order.
type Numbered<'a> = Vec<(&'a Node, u32)>;

/// Paragraph numbers of one numbering scope: unique and consecutive from 1. A doubled number
/// is taken to stand for the next one, so one slip gives one error.
fn paragraph_sequence(r: &mut Report, paras: &[(&Node, u32)]) {
    let mut seen: HashMap<u32, usize> = HashMap::new();
    let mut prev: Option<u32> = None;
    for (k, &(n, num)) in paras.iter().enumerate() {
        let expected = prev.map_or(1, |p| p + 1);
        if n.inferred {
            r.node(
                "N007",
                n,
                format!("paragraph has no number; read as {num} from its position; number it"),
            );
        }
        if let Some(&first) = seen.get(&num) {
            r.node(
                "N001",
                n,
                format!(
                    "paragraph {num} is numbered twice (first at line {first}); expected {expected}"
                ),
            );
            prev = Some(expected);
            continue;
        }
        if num != expected {
            let msg = match prev {
                Some(p) => format!("paragraph {num} follows paragraph {p}; expected {expected}"),
                None => format!("the first paragraph is numbered {num}; expected 1"),
            };
            r.node("N002", n, msg);
            // A slip (15, 17, 17, 18): this one stands for the expected number.
            if paras.get(k + 1).is_some_and(|&(_, next)| next == num) {
                prev = Some(expected);
                continue;
            }
        }
        seen.insert(num, n.line);
        prev = Some(num);
    }
}

fn footnotes(r: &mut Report) {
    let d = r.draft;
    // Duplicate definitions: report the definition that is out of sequence (the slip), or the
    // second one when both sit in sequence.
    let mut defined: HashMap<u32, usize> = HashMap::new();
    let mut count: HashMap<u32, usize> = HashMap::new();
    for f in &d.footnotes {
        defined.entry(f.number).or_insert(f.line);
        *count.entry(f.number).or_insert(0) += 1;
    }
    let mut reported: HashSet<u32> = HashSet::new();
    for (i, f) in d.footnotes.iter().enumerate() {
        if count[&f.number] < 2 {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| d.footnotes[p].number);
        let in_sequence = prev.is_none_or(|p| p + 1 == f.number);
        if !in_sequence && reported.insert(f.number) {
            let others: Vec<String> = d
                .footnotes
                .iter()
                .filter(|g| g.number == f.number && g.line != f.line)
                .map(|g| g.line.to_string())
                .collect();
            let expected = prev
                .map(|p| format!("; expected {} here", p + 1))
                .unwrap_or_default();
            r.at(
                "F003",
                f.line,
                1,
                None,
                format!(
                    "footnote {} is defined twice (also at line {}){expected}",
                    f.number,
                    others.join(", ")
                ),
            );
        }
    }
    for f in &d.footnotes {
        if count[&f.number] >= 2 && reported.insert(f.number) {
            let first = defined[&f.number];
            let second = d
                .footnotes
                .iter()
                .filter(|g| g.number == f.number)
                .nth(1)
                .map_or(f.line, |g| g.line);
            r.at(
                "F003",
                second,
                1,
                None,
                format!(
                    "footnote {} is defined twice (first at line {first}); renumber the footnotes",
                    f.number
                ),
            );
        }
    }
    // Citations in document order.
    let mut cites: Vec<(u32, &Node, usize)> = Vec::new();
    for n in &d.nodes {
        let mut cs = n.citations.clone();
        cs.sort_by_key(|c| c.offset);
        for c in cs {
            cites.push((c.footnote, n, c.offset));
        }
    }
    let cited: HashSet<u32> = cites.iter().map(|c| c.0).collect();
    let mut first_seen: HashSet<u32> = HashSet::new();
    let mut max_seen = 0u32;
    // How many marks of each number were met on each line so far.
    let mut on_line: HashMap<(usize, u32), usize> = HashMap::new();
    for &(num, n, off) in &cites {
        let line = n.line_of(off);
        let nth = on_line.entry((line, num)).or_insert(0);
        let col = r.col_of_nth(line, &mark_spellings(num), *nth, n.col);
        *nth += 1;
        if !defined.contains_key(&num) {
            r.at(
                "F001",
                line,
                col,
                Some(&n.label),
                format!("footnote {num} is cited in {} but not defined; add its text or correct the mark", n.label),
            );
        }
        // An undefined number (reported above) says nothing about the order of the others.
        if defined.contains_key(&num) && first_seen.insert(num) {
            if num < max_seen {
                r.at(
                    "F004",
                    line,
                    col,
                    Some(&n.label),
                    format!("footnote {num} is first cited after footnote {max_seen}; footnotes must be numbered in order of first citation"),
                );
            } else if num > max_seen + 1 {
                let missing: Vec<u32> = (max_seen + 1..num)
                    .filter(|m| !cited.contains(m) && !defined.contains_key(m))
                    .collect();
                if !missing.is_empty() {
                    r.at(
                        "F004",
                        line,
                        col,
                        Some(&n.label),
                        format!(
                            "footnote {num} follows footnote {max_seen}; footnote {} is missing",
                            missing
                                .iter()
                                .map(u32::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            max_seen = max_seen.max(num);
        }
    }
    for f in &d.footnotes {
        if !cited.contains(&f.number) && defined.get(&f.number) == Some(&f.line) {
            r.at(
                "F002",
                f.line,
                1,
                None,
                format!(
                    "footnote {} is defined but never cited; cite it or remove it",
                    f.number
                ),
            );
        }
    }
}

/// "Article 4," just before a reference in a treaty: the article it points into. Compiled
/// only when a treaty is checked (a report's check spent 7% of its instructions, 13.5M -> 12.5M,
/// compiling it unused).
static ARTICLE_BEFORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\bArticle\s+([0-9]+(?:\s?[a-z]+)?),?\s*$")
        .expect("article pattern is valid")
});

fn cross_references(r: &mut Report) {
    let d = r.draft;
    let by_label: HashMap<String, &Node> = d
        .nodes
        .iter()
        .filter(|n| n.kind.is_body())
        .map(|n| (n.label.to_lowercase(), n))
        .collect();
    let treaty = d.family == crate::model::Family::Treaty;
    for n in d.nodes.iter().filter(|n| n.kind.is_body()) {
        for mut x in xref::find(&n.text) {
            if treaty {
                // In a treaty, paragraphs are numbered within their article: "paragraph 16
                // above" is in this article, "Article 4, paragraph 2" in Article 4.
                let scope = match ARTICLE_BEFORE.captures(&n.text[..x.start]) {
                    Some(c) => Some(format!("Art.{}", c[1].replace(' ', ""))),
                    None => n.section.clone(),
                };
                let Some(scope) = scope else { continue };
                x.targets = x.targets.iter().map(|t| format!("{scope}.{t}")).collect();
            }
            let line = n.line_of(x.start);
            let phrase = n.text[x.start..x.end].to_string();
            let col = r.col_of(line, std::slice::from_ref(&phrase), n.col);
            let missing: Vec<&String> = x
                .targets
                .iter()
                .filter(|t| !by_label.contains_key(&t.to_lowercase()))
                .collect();
            if !missing.is_empty() {
                r.at(
                    "X001",
                    line,
                    col,
                    Some(&n.label),
                    format!(
                        "\"{phrase}\" names {}, which this draft does not have",
                        missing
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                continue;
            }
            if let Some(dir) = x.direction {
                let wrong: Vec<&String> = x
                    .targets
                    .iter()
                    .filter(|t| {
                        let target = by_label[&t.to_lowercase()];
                        match dir {
                            Direction::Above => target.line > n.line,
                            Direction::Below => target.line < n.line,
                        }
                    })
                    .collect();
                if !wrong.is_empty() {
                    let (said, is) = match dir {
                        Direction::Above => ("above", "below"),
                        Direction::Below => ("below", "above"),
                    };
                    r.at(
                        "X002",
                        line,
                        col,
                        Some(&n.label),
                        format!(
                            "\"{phrase}\" says {said}, but {} is {is} (line {})",
                            wrong[0],
                            by_label[&wrong[0].to_lowercase()].line
                        ),
                    );
                }
            }
        }
    }
}

fn sections(r: &mut Report) {
    let d = r.draft;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    // The letter the previous section stood for (a doubled letter stands for the next one);
    // after Z no letter is expected.
    let mut prev: Option<u8> = None;
    for s in &d.sections {
        let col = r.col_of(s.line, &[format!("{}.", s.id)], 1);
        let letter = (s.id.len() == 1).then(|| s.id.as_bytes()[0]);
        let next = prev.and_then(|p| if p == b'Z' { None } else { p.checked_add(1) });
        let expected = next.map(char::from);
        if let Some(&first) = seen.get(s.id.as_str()) {
            r.at(
                "S001",
                s.line,
                col,
                Some(&s.id),
                format!(
                    "section {} appears twice (first at line {first}){}",
                    s.id,
                    expected
                        .map(|e| format!("; expected {e}"))
                        .unwrap_or_default()
                ),
            );
            prev = next;
            continue;
        }
        if let (Some(p), Some(n), Some(l)) = (prev, next, letter)
            && l != n
        {
            r.at(
                "S002",
                s.line,
                col,
                Some(&s.id),
                format!(
                    "section {} follows section {}; expected {}",
                    s.id, p as char, n as char
                ),
            );
        }
        seen.insert(&s.id, s.line);
        prev = letter;
    }
}

fn layout(r: &mut Report) {
    let d = r.draft;
    let body: Vec<&Node> = d.nodes.iter().filter(|n| n.kind.is_body()).collect();
    for w in body.windows(2) {
        let (a, b) = (w[0], w[1]);
        let listed = matches!(b.kind, NodeKind::Item | NodeKind::Subitem | NodeKind::Step);
        let lower = b.text.chars().next().is_some_and(char::is_lowercase);
        if listed && lower && ends_mid_sentence(&a.text) {
            r.node(
                "L001",
                b,
                format!(
                    "{} starts in lower case after {} stops mid-sentence; probably one passage split by a stray marker",
                    b.label, a.label
                ),
            );
        }
    }
}

fn brackets(r: &mut Report) {
    for u in crate::brackets::unbalanced(r.draft) {
        // Labels may repeat (a doubled number): the node is the one on the bracket's line.
        let node = r.draft.nodes.iter().find(|n| {
            n.label == u.label && n.line_of(u.offset) == u.line && n.text.get(u.offset..).is_some()
        });
        let (line, col) = match node {
            Some(n) => {
                let bracket = n.text[u.offset..].chars().next().unwrap_or('[').to_string();
                (u.line, r.col_of(u.line, &[bracket], n.col))
            }
            None => (u.line, 1),
        };
        r.at(
            "B001",
            line,
            col,
            Some(&u.label),
            format!("{} in {}: \"{}\"", u.problem.as_str(), u.label, u.context),
        );
    }
}

/// Agreed language: the labels agreed ad ref in an earlier draft must keep their text in a
/// later one. `redline` is earlier -> later.
pub fn check_agreed(
    r: &Redline,
    agreed_in: &str,
    labels: &[String],
    manifest: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let path = r.new.path.display().to_string();
    for label in labels {
        let want = crate::model::normalize_label(label);
        let Some(oi) = r.old.find(&want) else {
            out.push(Diagnostic {
                path: manifest.to_string(),
                line: 1,
                col: 1,
                severity: severity_of("A002"),
                code: "A002",
                message: format!("agreed label {label} of draft {agreed_in} is not in that draft; correct the list in oewg.toml"),
                label: Some(label.clone()),
            });
            continue;
        };
        for e in r.entries.iter().filter(|e| e.old == Some(oi)) {
            if !e.is_change() || (e.status == Status::Unchanged && !e.split && !e.merged) {
                continue;
            }
            let redline =
                crate::render::redline::ops_text(&e.ops, &crate::render::style::Painter::plain());
            let (line, col, new_label) = match r.new_node(e) {
                Some(n) => (n.line, n.col, n.label.clone()),
                None => (1, 1, "(deleted)".to_string()),
            };
            out.push(Diagnostic {
                path: path.clone(),
                line,
                col,
                severity: severity_of("A001"),
                code: "A001",
                message: format!(
                    "{new_label}: language agreed ad ref in {agreed_in} as {label} was {}: {redline}",
                    if e.status == Status::Deleted { "deleted" } else { "changed" }
                ),
                label: Some(new_label),
            });
        }
    }
    out
}

/// Across revisions: cross-references in the new draft that still name a paragraph by its old
/// number although that paragraph was renumbered.
pub fn check_against(r: &Redline, new_source: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = crate::ingest::lines_of(new_source);
    let mut out = Vec::new();
    let old_by_label: HashMap<String, usize> = r
        .old
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind.is_body())
        .map(|(i, n)| (n.label.to_lowercase(), i))
        .collect();
    let new_label_of_old = |oi: usize| -> Option<String> {
        let g = r.alignment.old_group[oi]?;
        let grp = &r.alignment.groups[g];
        grp.new.first().map(|&ni| r.new.nodes[ni].label.clone())
    };
    for e in &r.entries {
        let (Some(oi), Some(ni)) = (e.old, e.new) else {
            continue;
        };
        let on = &r.old.nodes[oi];
        let nn = &r.new.nodes[ni];
        let old_refs: HashSet<String> = xref::find(&on.text)
            .into_iter()
            .flat_map(|x| x.targets)
            .map(|t| t.to_lowercase())
            .collect();
        for x in xref::find(&nn.text) {
            for t in &x.targets {
                let key = t.to_lowercase();
                // The same words as in the old draft, naming a paragraph that moved.
                if !old_refs.contains(&key) {
                    continue;
                }
                let Some(&target_old) = old_by_label.get(&key) else {
                    continue;
                };
                let Some(now) = new_label_of_old(target_old) else {
                    continue;
                };
                if now.to_lowercase() != key {
                    let line = nn.line_of(x.start);
                    let phrase = nn.text[x.start..x.end].to_string();
                    let col = lines
                        .get(line.wrapping_sub(1))
                        .and_then(|l| l.find(&phrase).map(|b| l[..b].chars().count() + 1))
                        .unwrap_or(nn.col);
                    out.push(Diagnostic {
                        path: r.new.path.display().to_string(),
                        line,
                        col,
                        severity: severity_of("X003"),
                        code: "X003",
                        message: format!(
                            "\"{phrase}\" still names {t}, but the paragraph it named in {} is now {now}; update the reference",
                            r.old.name
                        ),
                        label: Some(nn.label.clone()),
                    });
                }
            }
        }
    }
    out
}
