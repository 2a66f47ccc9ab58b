//! The redline as Markdown with CriticMarkup, the plain-text convention for redlines:
//! `{++inserted++}`, `{--deleted--}`, `{~~old~>new~~}` (a deletion followed at once by an
//! insertion) and `{>>note<<}` for what happened to a paragraph ("moved from B 3(a)(viii)").
//! Text is escaped so that nothing in the drafts can open or close a mark; footnotes are
//! Markdown footnotes (`[^13]`) with the reconciled text.

use crate::diff::{Counts, Entry, FootnoteStatus, Op, Redline, Tag};
use crate::model::NodeKind;
use crate::render::layout::{self, Block};
use crate::render::redline::{Selection, place};
use std::fmt::Write;

/// Escape text for Markdown so that it cannot start or end CriticMarkup or Markdown markup:
/// backslash before `\ * _ ` [ ] < >`, before the character after a `{` that would open a mark,
/// and before a `}` that would close one.
pub fn escape(s: &str) -> String {
    let chars: Vec<char> = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '}' if matches!(prev, Some('+' | '-' | '~' | '=')) => out.push_str("\\}"),
            '+' | '-' | '~' | '=' if prev == Some('{') => {
                out.push('\\');
                out.push(c);
            }
            c if crate::render::style::is_unsafe(c) => {
                crate::render::style::push_visible(&mut out, c.encode_utf8(&mut [0; 4]))
            }
            c => out.push(c),
        }
    }
    out
}

/// Remove the escapes [`escape`] adds (a backslash before ASCII punctuation).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\\'
            && let Some(&n) = it.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            it.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// A CriticMarkup note; the note's own text is escaped like any other.
fn note(text: &str) -> String {
    format!("{{>>{}<<}}", escape(text))
}

/// The Markdown footnote label of each footnote row: the new number, or `old-N` for a
/// footnote the new draft no longer has; a label used by an earlier row (a number an annex
/// defines again) gets `-2`, `-3`, ..., so that every definition keeps its own label.
fn footnote_labels(r: &Redline) -> Vec<String> {
    let mut used: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    r.footnotes
        .iter()
        .map(|f| {
            let base = match (f.new, f.old) {
                (Some(n), _) => n.to_string(),
                (None, Some(o)) => format!("old-{o}"),
                (None, None) => String::new(),
            };
            let seen = used.entry(base.clone()).or_insert(0);
            *seen += 1;
            match *seen {
                1 => base,
                k => format!("{base}-{k}"),
            }
        })
        .collect()
}

/// The Markdown footnote label of a citation: its row's label ([`footnote_labels`]).
fn cite_label(r: &Redline, labels: &[String], op: &Op) -> String {
    match layout::footnote_of(r, op) {
        Some((i, _)) => labels.get(i).cloned().unwrap_or_default(),
        None => layout::cite_number(op)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    }
}

/// The text of a run of operations of one kind: escaped text and footnote references.
fn run_text(r: &Redline, labels: &[String], ops: &[Op]) -> String {
    let mut out = String::new();
    let mut text = String::new();
    for op in ops {
        if op.footnote.is_some() {
            out.push_str(&escape(&text));
            text.clear();
            let _ = write!(out, "[^{}]", cite_label(r, labels, op));
        } else {
            text.push_str(&op.text);
        }
    }
    out.push_str(&escape(&text));
    out
}

/// Operations as CriticMarkup.
pub fn ops_md(r: &Redline, labels: &[String], ops: &[Op]) -> String {
    // Runs of one tag.
    let mut runs: Vec<(Tag, &[Op])> = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        let start = i;
        while i < ops.len() && ops[i].op == ops[start].op {
            i += 1;
        }
        runs.push((ops[start].op, &ops[start..i]));
    }
    let mut out = String::new();
    let mut k = 0;
    while k < runs.len() {
        let (tag, run) = runs[k];
        match tag {
            Tag::Equal => out.push_str(&run_text(r, labels, run)),
            Tag::Delete if runs.get(k + 1).is_some_and(|(t, _)| *t == Tag::Insert) => {
                let _ = write!(
                    out,
                    "{{~~{}~>{}~~}}",
                    run_text(r, labels, run),
                    run_text(r, labels, runs[k + 1].1)
                );
                k += 1;
            }
            Tag::Delete => {
                let _ = write!(out, "{{--{}--}}", run_text(r, labels, run));
            }
            Tag::Insert => {
                let _ = write!(out, "{{++{}++}}", run_text(r, labels, run));
            }
        }
        k += 1;
    }
    out
}

/// A paragraph may not start with something Markdown reads as a heading, list or quote.
fn guard_line_start(s: String) -> String {
    let first = s.chars().next();
    let numbered = {
        let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
        digits > 0 && matches!(s[digits..].chars().next(), Some('.' | ')'))
    };
    if matches!(first, Some('#' | '-' | '+' | '=' | '|')) {
        format!("\\{s}")
    } else if numbered {
        let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
        format!("{}\\{}", &s[..digits], &s[digits..])
    } else {
        s
    }
}

/// The printed label of a heading, as a substitution when it changed.
fn heading_label(r: &Redline, e: &Entry) -> String {
    let o = r.old_node(e).and_then(layout::printed_label);
    let n = r.new_node(e).and_then(layout::printed_label);
    match (o, n) {
        (Some(o), Some(n)) if o == n => format!("{} ", escape(&n)),
        (Some(o), Some(n)) => format!("{{~~{}~>{}~~}} ", escape(&o), escape(&n)),
        (Some(o), None) => format!("{{--{}--}} ", escape(&o)),
        (None, Some(n)) => format!("{{++{}++}} ", escape(&n)),
        (None, None) => String::new(),
    }
}

/// The Markdown document for the selected entries (unchanged paragraphs with `sel.all`).
pub fn render(r: &Redline, sel: &Selection) -> String {
    let mut out = String::new();
    let labels = footnote_labels(r);
    let side = |d: &crate::model::Draft| {
        let path = d.path.display().to_string();
        if path == d.name {
            escape(&path)
        } else {
            format!("{} ({})", escape(&d.name), escape(&path))
        }
    };
    let mut counts = Counts::default();
    for e in sel.entries(r) {
        if !layout::is_heading(r, e) {
            counts.add(e);
        }
    }
    let _ = writeln!(
        out,
        "*Redline of {} \u{2192} {}, made with oewg-diff; changes are marked in CriticMarkup. \
         Paragraphs: {} added, {} deleted, {} modified, {} moved, {} unchanged.*\n",
        side(r.old),
        side(r.new),
        counts.paragraphs.added,
        counts.paragraphs.deleted,
        counts.paragraphs.modified,
        counts.paragraphs.moved,
        counts.paragraphs.unchanged
    );
    let mut shown = 0;
    for b in layout::blocks(r, sel, sel.all) {
        let e = b.entry();
        match b {
            Block::MovedAway(_) => {
                let _ = writeln!(out, "{}\n", note(&layout::moved_to(r, e)));
            }
            Block::Para(_) if layout::is_heading(r, e) => {
                let n = r.new_node(e).or_else(|| r.old_node(e));
                let hashes = match n.map(|n| n.kind) {
                    Some(NodeKind::Title) => "#",
                    _ if n.is_some_and(|n| n.marker.is_some()) => "##",
                    _ => "###",
                };
                let status = if e.is_change() {
                    format!(" {}", note(&layout::describe(r, e)))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "{hashes} {}{}{status}\n",
                    heading_label(r, e),
                    ops_md(r, &labels, &e.ops)
                );
            }
            Block::Para(_) => {
                shown += 1;
                let label = r
                    .new_node(e)
                    .or_else(|| r.old_node(e))
                    .filter(|n| n.kind != NodeKind::Text)
                    .map(|n| n.label.as_str())
                    .unwrap_or("");
                let renumbered = matches!(
                    (r.old_node(e), r.new_node(e)),
                    (Some(o), Some(n)) if place(o) != place(n)
                );
                let mut line = String::new();
                if !label.is_empty() {
                    let _ = write!(line, "**{}** ", escape(label));
                }
                if e.is_change() || renumbered {
                    let _ = write!(line, "{} ", note(&layout::describe(r, e)));
                }
                line.push_str(&ops_md(r, &labels, &e.ops));
                let _ = writeln!(out, "{}\n", guard_line_start(line));
            }
        }
    }
    if shown == 0 {
        let _ = writeln!(out, "*{}*\n", crate::render::redline::nothing_shown(r, sel));
    }
    let footnotes = sel.footnotes(r);
    if !footnotes.is_empty() {
        out.push_str("## Footnotes\n\n");
        for i in footnotes {
            let f = &r.footnotes[i];
            let label = &labels[i];
            if label.is_empty() {
                continue;
            }
            let status = match (f.status, f.old) {
                (FootnoteStatus::Renumbered, Some(o)) => format!("renumbered from {o}"),
                (FootnoteStatus::Modified, Some(o)) if f.new != Some(o) => {
                    format!("modified, was {o}")
                }
                (s, _) => s.as_str().to_string(),
            };
            let text = match f.status {
                FootnoteStatus::Added => {
                    format!(
                        "{{++{}++}}",
                        escape(&crate::diff::side_text(&f.ops, Tag::Insert))
                    )
                }
                FootnoteStatus::Deleted => {
                    format!(
                        "{{--{}--}}",
                        escape(&crate::diff::side_text(&f.ops, Tag::Delete))
                    )
                }
                _ => ops_md(r, &labels, &f.ops),
            };
            let _ = writeln!(out, "[^{label}]: {} {text}\n", note(&status));
        }
    }
    let metadata = sel.metadata(r);
    if !metadata.is_empty() {
        out.push_str("## Metadata\n\n");
        for m in metadata {
            let status = format!("{}, {}", m.kind.as_str(), m.status.as_str());
            let _ = writeln!(out, "{} {}\n", note(&status), ops_md(r, &labels, &m.ops));
        }
    }
    for n in &r.notes {
        let _ = writeln!(out, "*note: {}*\n", escape(n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_cannot_open_or_close_a_mark() {
        for nasty in [
            "a {++b++} c",
            "{--x--}",
            "{~~a~>b~~}",
            "{>>note<<}",
            "{==hi==}",
            "x ~> y",
            "end+",
            "+}",
        ] {
            let e = escape(nasty);
            for mark in [
                "{++", "++}", "{--", "--}", "{~~", "~~}", "~>", "{>>", "<<}", "{==", "==}",
            ] {
                assert!(!e.contains(mark), "{nasty:?} escaped to {e:?} holds {mark}");
            }
            assert_eq!(unescape(&e), nasty);
        }
    }

    #[test]
    fn markdown_characters_are_escaped() {
        assert_eq!(escape("*a* _b_ [c]"), "\\*a\\* \\_b\\_ \\[c\\]");
        assert_eq!(unescape(&escape("a\\b")), "a\\b");
    }
}
