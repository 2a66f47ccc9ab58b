//! Large and pathological drafts, generated: the real drafts repeated with paragraphs and
//! footnotes renumbered, unrelated texts, one huge paragraph, many tiny ones.
#![allow(dead_code)]

use oewg_diff::model::{Draft, NodeKind};

/// Write a draft back as text in the report layout, `copies` times over, paragraphs and
/// footnotes renumbered across the copies (the numbering a longer report would have).
pub fn repeated(d: &Draft, copies: usize) -> String {
    let paras = d
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Paragraph)
        .count() as u32;
    let notes = d.footnotes.iter().map(|f| f.number).max().unwrap_or(0);
    let mut out = String::with_capacity(copies * 32 * 1024);
    for c in 0..copies as u32 {
        let mut pending: Vec<u32> = Vec::new();
        for n in &d.nodes {
            let mut text = String::new();
            let mut last = 0;
            let mut cites = n.citations.clone();
            cites.sort_by_key(|x| x.offset);
            for x in &cites {
                text.push_str(&n.text[last..x.offset]);
                text.push_str(&format!("<sup>{}</sup>", x.footnote + c * notes));
                pending.push(x.footnote);
                last = x.offset;
            }
            text.push_str(&n.text[last..]);
            let line = match n.kind {
                NodeKind::Title if c == 0 => text,
                NodeKind::Title => continue,
                NodeKind::Heading => match &n.marker {
                    Some(id) => format!("## {id}. {text}"),
                    None => format!("#### {text}"),
                },
                NodeKind::Paragraph => {
                    let num: u32 = n.label.parse().unwrap_or(0);
                    format!("{}. {text}", num + c * paras)
                }
                NodeKind::Item => format!("  - {}) {text}", n.marker.clone().unwrap_or_default()),
                NodeKind::Subitem => {
                    format!("    - ({}) {text}", n.marker.clone().unwrap_or_default())
                }
                NodeKind::Step => match &n.marker {
                    Some(m) => format!("- {m}. {text}"),
                    None => format!("- {text}"),
                },
                // Front matter before the first section belongs to the first copy only.
                NodeKind::Text if c > 0 && n.section.is_none() => continue,
                NodeKind::Text => text,
                // The report layout has no preamble or options; write them as text.
                NodeKind::Preambular | NodeKind::Option => text,
            };
            out.push_str(&line);
            out.push_str("\n\n");
            if matches!(n.kind, NodeKind::Paragraph | NodeKind::Heading) && !pending.is_empty() {
                // Footnote definitions after the paragraph that cites them.
                for f in pending.drain(..) {
                    if let Some(def) = d.footnote(f) {
                        out.push_str(&format!("<sup>{}</sup> {}\n\n", f + c * notes, def.text));
                    }
                }
            }
        }
        for f in pending.drain(..) {
            if let Some(def) = d.footnote(f) {
                out.push_str(&format!("<sup>{}</sup> {}\n\n", f + c * notes, def.text));
            }
        }
    }
    out
}

/// A small deterministic generator (xorshift), so generated drafts are the same every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// A made-up word of 3 to 9 letters.
    pub fn word(&mut self) -> String {
        let len = 3 + (self.next() % 7) as usize;
        (0..len)
            .map(|_| (b'a' + (self.next() % 26) as u8) as char)
            .collect()
    }
}

/// A draft of numbered paragraphs of made-up words, about `bytes` long.
pub fn unrelated(seed: u64, bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("A. Generated\n\n");
    let mut n = 0;
    while out.len() < bytes {
        n += 1;
        let words = 20 + (rng.next() % 60) as usize;
        let text: Vec<String> = (0..words).map(|_| rng.word()).collect();
        out.push_str(&format!("{n}. {}.\n\n", text.join(" ")));
    }
    out
}

/// One paragraph citing `n` footnotes, each defined after it, as an old and a new draft; the
/// new one with every `edit_every`-th footnote's text edited (`Annex I` -> `Annex II`). The
/// footnotes are numbered 1..=n, or with `restart` Some(r) 1..=r over and over (parts that
/// restart their numbering, put together).
pub fn cited_paragraph(n: usize, restart: Option<usize>, edit_every: usize) -> (String, String) {
    let mut rng = Rng::new(n as u64);
    let mut para = String::from("A. Generated\n\n1.");
    let (mut old, mut new) = (String::new(), String::new());
    for k in 0..n {
        let number = restart.map_or(k, |r| k % r) + 1;
        para.push_str(&format!(
            " {} {}<sup>{number}</sup>",
            rng.word(),
            rng.word()
        ));
        let text = format!(
            "Report of the {} OEWG, A/{}/{k}, Annex I, para {}.",
            2000 + k % 25,
            70 + k % 9,
            k % 50
        );
        old.push_str(&format!("<sup>{number}</sup> {text}\n\n"));
        let edited = if k % edit_every == edit_every / 2 {
            text.replace("Annex I", "Annex II")
        } else {
            text
        };
        new.push_str(&format!("<sup>{number}</sup> {edited}\n\n"));
    }
    para.push_str(".\n\n");
    (format!("{para}{old}"), format!("{para}{new}"))
}

/// A text put end to end `copies` times, as it is: its paragraph and footnote numbers repeat
/// in each copy (a compilation, drafts concatenated).
pub fn concatenated(text: &str, copies: usize) -> String {
    let mut out = String::with_capacity((text.len() + 2) * copies);
    for _ in 0..copies {
        out.push_str(text);
        out.push_str("\n\n");
    }
    out
}
