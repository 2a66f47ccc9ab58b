//! Cross-references in the text of a draft: "paragraph 14(e) above", "paragraphs 8 to 13",
//! "paragraph 15(a)-(b)", "paragraphs 7(a)-(e)", "paragraph 4e) above".

use regex::Regex;
use std::sync::LazyLock;

/// Which way a reference says its target lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Above,
    Below,
}

/// One cross-reference found in a node's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossRef {
    /// Byte range of the reference in the text ("paragraph 14(e) above").
    pub start: usize,
    pub end: usize,
    /// Labels it names, ranges expanded (`8 to 13` gives 8, 9, ..., 13).
    pub targets: Vec<String>,
    /// The labels as written, before expansion (for messages).
    pub written: String,
    pub direction: Option<Direction>,
}

// A reference: a paragraph number with an optional item, `14(e)`, `4e)`, `14e`, `14(a)(ii)`.
const REF: &str = r"\d{1,6}(?:\([a-z]{1,5}\)|[a-z]\)?(?:\([ivx]{1,5}\))?)*";
// What may join references into a list or a range.
const JOIN: &str = r"\s*(?:,\s*(?:and\s+)?|and\s+|to\s+|through\s+|[-–]\s*)";

static XREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i:\b(?:paragraphs?|paras?\.?))\s+(?P<list>{REF}(?:{JOIN}(?:{REF}|\([a-z]{{1,5}}\)))*)(?P<tail>,?\s+of\b)?(?:\s+(?P<dir>above|below))?"
    ))
    .expect("cross-reference pattern is valid")
});

static PIECE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<ref>{REF})|(?P<item>\([a-z]{{1,5}}\))|(?P<range>\bto\b|\bthrough\b|[-–])"
    ))
    .expect("piece pattern is valid")
});

static PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<num>\d{1,6})(?P<rest>.*)$").expect("parts pattern is valid")
});

/// Normal label of a written reference: `4e)` -> `4(e)`, `14(a)(ii)` stays.
fn label_of(written: &str) -> Option<(u32, Vec<String>)> {
    let c = PARTS.captures(written)?;
    let num: u32 = c["num"].parse().ok()?;
    let rest = &c["rest"];
    let parts: Vec<String> = rest
        .split(['(', ')'])
        .filter(|p| !p.is_empty())
        .map(|p| p.to_ascii_lowercase())
        .collect();
    Some((num, parts))
}

fn render(num: u32, parts: &[String]) -> String {
    let mut s = num.to_string();
    for p in parts {
        s.push('(');
        s.push_str(p);
        s.push(')');
    }
    s
}

fn next_letter(s: &str) -> Option<String> {
    let c = s.chars().next()?;
    if s.len() == 1 && c.is_ascii_lowercase() && c < 'z' {
        Some(char::from(c as u8 + 1).to_string())
    } else {
        None
    }
}

/// Expand a range between two labels of the same shape: `8`..`13`, `7(a)`..`7(e)`.
fn expand(a: &(u32, Vec<String>), b: &(u32, Vec<String>)) -> Vec<String> {
    let mut out = Vec::new();
    if a.1.is_empty() && b.1.is_empty() && a.0 <= b.0 && b.0 - a.0 <= 200 {
        for n in a.0..=b.0 {
            out.push(n.to_string());
        }
        return out;
    }
    if a.0 == b.0 && a.1.len() == 1 && b.1.len() == 1 {
        let mut cur = a.1[0].clone();
        let end = &b.1[0];
        for _ in 0..26 {
            out.push(render(a.0, std::slice::from_ref(&cur)));
            if &cur == end {
                return out;
            }
            match next_letter(&cur) {
                Some(n) => cur = n,
                None => break,
            }
        }
    }
    // Not a range we can enumerate: check its ends.
    vec![render(a.0, &a.1), render(b.0, &b.1)]
}

/// The cross-references in a text. References to other documents ("paragraph 7 of resolution
/// 75/240", "operative paragraph 1") are left out.
pub fn find(text: &str) -> Vec<CrossRef> {
    let mut out = Vec::new();
    for c in XREF.captures_iter(text) {
        let m = c.get(0).expect("group 0");
        if c.name("tail").is_some() {
            continue; // "paragraph 7 of resolution 75/240": another document
        }
        let before = text[..m.start()].trim_end().to_lowercase();
        if before.ends_with("operative") || before.ends_with("preambular") {
            continue;
        }
        let list = c.name("list").expect("list group").as_str();
        let mut targets: Vec<String> = Vec::new();
        let mut last: Option<(u32, Vec<String>)> = None;
        let mut range = false;
        for p in PIECE.captures_iter(list) {
            if p.name("range").is_some() {
                range = true;
                continue;
            }
            let cur = if let Some(r) = p.name("ref") {
                label_of(r.as_str())
            } else if let Some(i) = p.name("item") {
                // `15(a)-(b)`: an item of the paragraph named before.
                last.as_ref().map(|(n, parts)| {
                    let mut ps = parts.clone();
                    ps.pop();
                    ps.push(i.as_str().trim_matches(['(', ')']).to_string());
                    (*n, ps)
                })
            } else {
                None
            };
            let Some(cur) = cur else { continue };
            if range && let Some(prev) = &last {
                targets.pop();
                targets.extend(expand(prev, &cur));
            } else {
                targets.push(render(cur.0, &cur.1));
            }
            range = false;
            last = Some(cur);
        }
        let direction = c.name("dir").map(|d| {
            if d.as_str().eq_ignore_ascii_case("above") {
                Direction::Above
            } else {
                Direction::Below
            }
        });
        out.push(CrossRef {
            start: m.start(),
            end: m.end(),
            targets,
            written: list.to_string(),
            direction,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<(Vec<String>, Option<Direction>)> {
        find(s)
            .into_iter()
            .map(|r| (r.targets, r.direction))
            .collect()
    }

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn forms_in_the_drafts() {
        assert_eq!(
            t("the list in paragraph 14(e) above, at the"),
            vec![(v(&["14(e)"]), Some(Direction::Above))]
        );
        assert_eq!(
            t("the list in paragraph 4e) above, at"),
            vec![(v(&["4(e)"]), Some(Direction::Above))]
        );
        assert_eq!(
            t("threats identified in paragraphs 8 to 13 at the fourth"),
            vec![(v(&["8", "9", "10", "11", "12", "13"]), None)]
        );
        assert_eq!(
            t("list in paragraph 15(a)-(b) above as well"),
            vec![(v(&["15(a)", "15(b)"]), Some(Direction::Above))]
        );
        assert_eq!(
            t("the proposals in paragraphs 7(a)-(e). The"),
            vec![(v(&["7(a)", "7(b)", "7(c)", "7(d)", "7(e)"]), None)]
        );
        assert_eq!(
            t("see paragraphs 3 and 5 below"),
            vec![(v(&["3", "5"]), Some(Direction::Below))]
        );
    }

    #[test]
    fn other_documents_are_not_references() {
        assert!(t("GA resolution 75/240, operative paragraph 1.").is_empty());
        assert!(t("as set out in paragraph 7 of resolution 75/240").is_empty());
    }
}
