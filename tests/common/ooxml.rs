//! Reading a generated Word document back, as Word would when every tracked change is
//! accepted or rejected: accept = drop `w:del`, unwrap `w:ins`; reject = the reverse. A
//! paragraph mark marked deleted (accept) or inserted (reject) joins its paragraph to the next.

use super::xml::{Elem, Node};

#[derive(Debug, Clone, Default)]
pub struct Para {
    pub style: Option<String>,
    pub mark_ins: bool,
    pub mark_del: bool,
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone)]
pub struct Piece {
    pub text: String,
    /// The id of the footnote a `w:footnoteReference` points to.
    pub footnote: Option<String>,
    pub ins: bool,
    pub del: bool,
    /// The element the text came from: `w:t`, `w:delText`, `w:tab`, ...
    pub tag: String,
}

/// The paragraphs (`w:p`) under an element, in order.
pub fn paragraphs(root: &Elem) -> Vec<Para> {
    root.find_all("w:p").into_iter().map(para).collect()
}

fn para(p: &Elem) -> Para {
    let mut out = Para::default();
    for c in &p.children {
        let Node::Elem(e) = c else { continue };
        if e.name == "w:pPr" {
            out.style = e
                .find("w:pStyle")
                .and_then(|s| s.attr("w:val"))
                .map(String::from);
            if let Some(rpr) = e.children.iter().find_map(|c| match c {
                Node::Elem(x) if x.name == "w:rPr" => Some(x),
                _ => None,
            }) {
                out.mark_ins = rpr.find("w:ins").is_some();
                out.mark_del = rpr.find("w:del").is_some();
            }
        } else {
            walk(e, false, false, &mut out.pieces);
        }
    }
    out
}

fn walk(e: &Elem, ins: bool, del: bool, out: &mut Vec<Piece>) {
    let piece = |text: String, footnote: Option<String>| Piece {
        text,
        footnote,
        ins,
        del,
        tag: e.name.clone(),
    };
    match e.name.as_str() {
        "w:ins" => e.children.iter().for_each(|c| {
            if let Node::Elem(x) = c {
                walk(x, true, del, out)
            }
        }),
        "w:del" => e.children.iter().for_each(|c| {
            if let Node::Elem(x) = c {
                walk(x, ins, true, out)
            }
        }),
        "w:t" | "w:delText" => out.push(piece(e.text(), None)),
        "w:tab" => out.push(piece("\t".into(), None)),
        "w:footnoteReference" => out.push(piece(String::new(), e.attr("w:id").map(String::from))),
        "w:rPr" => {}
        _ => e.children.iter().for_each(|c| {
            if let Node::Elem(x) = c {
                walk(x, ins, del, out)
            }
        }),
    }
}

/// A document after accepting (`accept = true`) or rejecting every change: its paragraphs'
/// texts (whitespace collapsed) and the footnote ids cited, in order.
pub fn resolve(paras: &[Para], accept: bool) -> (Vec<String>, Vec<String>) {
    let mut texts = Vec::new();
    let mut notes = Vec::new();
    let mut cur = String::new();
    for p in paras {
        for x in &p.pieces {
            let gone = if accept { x.del } else { x.ins };
            if gone {
                continue;
            }
            match &x.footnote {
                Some(id) => notes.push(id.clone()),
                None => cur.push_str(&x.text),
            }
        }
        let joins = if accept { p.mark_del } else { p.mark_ins };
        if !joins {
            texts.push(collapse(&cur));
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        texts.push(collapse(&cur));
    }
    texts.retain(|t| !t.is_empty());
    (texts, notes)
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
