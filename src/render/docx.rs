//! The redline as a Word document (WordprocessingML, `.docx`) in which every change is a real
//! tracked change: insertions are `w:ins`, deletions `w:del` with the text in `w:delText`,
//! each with an author and a date, so that a delegation can review, accept or reject them in
//! Word or LibreOffice. Accepting every change gives the new draft's text, rejecting every
//! change the old draft's text:
//!
//! - a paragraph that was added has its paragraph mark inserted, one that was deleted its mark
//!   deleted, so that accepting (or rejecting) removes the paragraph itself;
//! - a split joins back into the old paragraph when rejected (the marks between its parts are
//!   inserted), a merge falls apart into the old paragraphs when rejected (deleted marks);
//! - a moved paragraph is deleted at its old place and inserted at its new one; at the new
//!   place the words it lost are shown deleted inside the insertion, so the edit stays visible
//!   and neither accepting nor rejecting keeps them; a comment says where it came from;
//! - labels (`14.`, `(a)`) are text at the start of the paragraph: a new number is the old one
//!   deleted and the new one inserted;
//! - footnotes are real footnotes (`word/footnotes.xml`) holding the reconciled text; each
//!   citation is a `w:footnoteReference`, deleted or inserted with the text around it.
//!
//! The XML is written with quick-xml and zipped with the `zip` crate, with fixed timestamps:
//! the same drafts, author and date give the same bytes.

use crate::diff::{Entry, FootnoteEntry, Op, Redline, Tag};
use crate::model::{Node, NodeKind};
use crate::render::layout::{self, Block};
use crate::render::redline::Selection;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::HashSet;
use std::io::{self, Cursor, Write};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_TYPE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Who made the changes and when, as Word shows them.
#[derive(Debug, Clone)]
pub struct DocxOptions {
    /// `w:author` of every change (`--author`).
    pub author: String,
    /// `w:date` of every change, `YYYY-MM-DDTHH:MM:SSZ`.
    pub date: String,
}

/// Whether a piece of text is in the old draft and in the new one. Old only: deleted; new
/// only: inserted; neither: inserted, then deleted (the words a moved paragraph lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct In {
    old: bool,
    new: bool,
}

const BOTH: In = In {
    old: true,
    new: true,
};
const OLD: In = In {
    old: true,
    new: false,
};
const NEW: In = In {
    old: false,
    new: true,
};

impl In {
    fn and(self, o: In) -> In {
        In {
            old: self.old && o.old,
            new: self.new && o.new,
        }
    }
    fn of(tag: Tag) -> In {
        match tag {
            Tag::Equal => BOTH,
            Tag::Delete => OLD,
            Tag::Insert => NEW,
        }
    }
}

/// What a run holds.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Tab,
    /// A citation: the id of its footnote in `word/footnotes.xml`.
    FootnoteRef(u32),
    /// The mark at the start of a footnote's own text.
    FootnoteMark,
}

/// A footnote of the Word document: one per citation, as Word has it.
struct Note {
    id: u32,
    pieces: Vec<(Piece, In)>,
}

/// A comment: what happened to a paragraph (moved, split, merged, modality).
struct Comment {
    id: u32,
    text: String,
}

struct Builder<'a, 'r> {
    r: &'a Redline<'r>,
    opts: &'a DocxOptions,
    next_revision: u32,
    /// Footnote ids are 1, 2, 3, ... in order of citation, and comment ids follow after the
    /// last footnote: LibreOffice (7.4) attaches the wrong text to footnotes when their ids
    /// have gaps or are shared with comments. Word does not mind either way.
    comment_base: u32,
    notes: Vec<Note>,
    comments: Vec<Comment>,
    /// The footnotes (indices into `r.footnotes`) some citation of the document shows.
    cited: HashSet<usize>,
}

type Xml = Writer<Vec<u8>>;

fn start(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Start(e))
}

fn end(w: &mut Xml, name: &str) -> io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn empty(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    w.write_event(Event::Empty(e))
}

/// Text with the characters XML cannot hold, and other control characters, shown as their
/// escapes (`\u{1b}`): dropped, an inserted one would be a change with nothing to see.
/// quick-xml escapes the rest.
fn text(w: &mut Xml, s: &str) -> io::Result<()> {
    let mut clean = String::with_capacity(s.len());
    for c in s.chars() {
        if crate::render::html::is_xml_char(c) && !crate::render::style::is_unsafe(c) {
            clean.push(c);
        } else {
            crate::render::style::push_visible(&mut clean, c.encode_utf8(&mut [0; 4]));
        }
    }
    w.write_event(Event::Text(BytesText::new(&clean)))
}

fn new_xml() -> io::Result<Xml> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    Ok(w)
}

impl Builder<'_, '_> {
    fn revision(&mut self) -> String {
        self.next_revision += 1;
        self.next_revision.to_string()
    }

    /// `<w:ins>` or `<w:del>` attributes.
    fn change_attrs(&mut self) -> [(&'static str, String); 3] {
        [
            ("w:id", self.revision()),
            ("w:author", self.opts.author.clone()),
            ("w:date", self.opts.date.clone()),
        ]
    }

    fn open_change(&mut self, w: &mut Xml, name: &str) -> io::Result<()> {
        let a = self.change_attrs();
        let attrs: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
        start(w, name, &attrs)
    }

    fn empty_change(&mut self, w: &mut Xml, name: &str) -> io::Result<()> {
        let a = self.change_attrs();
        let attrs: Vec<(&str, &str)> = a.iter().map(|(k, v)| (*k, v.as_str())).collect();
        empty(w, name, &attrs)
    }

    /// Runs for pieces: consecutive pieces with the same presence share one `w:ins`/`w:del`.
    fn runs(&mut self, w: &mut Xml, pieces: &[(Piece, In)]) -> io::Result<()> {
        let mut i = 0;
        while i < pieces.len() {
            let state = pieces[i].1;
            let mut j = i;
            while j < pieces.len() && pieces[j].1 == state {
                j += 1;
            }
            if !state.old {
                self.open_change(w, "w:ins")?;
            }
            if !state.new {
                self.open_change(w, "w:del")?;
            }
            for (p, _) in &pieces[i..j] {
                run(w, p, !state.new)?;
            }
            if !state.new {
                end(w, "w:del")?;
            }
            if !state.old {
                end(w, "w:ins")?;
            }
            i = j;
        }
        Ok(())
    }

    /// A paragraph: style, the presence of its mark, an optional comment, its pieces.
    fn paragraph(
        &mut self,
        w: &mut Xml,
        style: &str,
        mark: In,
        comment: Option<String>,
        pieces: &[(Piece, In)],
    ) -> io::Result<()> {
        start(w, "w:p", &[])?;
        start(w, "w:pPr", &[])?;
        empty(w, "w:pStyle", &[("w:val", style)])?;
        if mark != BOTH {
            start(w, "w:rPr", &[])?;
            if !mark.old {
                self.empty_change(w, "w:ins")?;
            }
            if !mark.new {
                self.empty_change(w, "w:del")?;
            }
            end(w, "w:rPr")?;
        }
        end(w, "w:pPr")?;
        let comment_id = comment.map(|text| {
            let id = self.comment_base + self.comments.len() as u32;
            self.comments.push(Comment { id, text });
            id.to_string()
        });
        if let Some(id) = &comment_id {
            empty(w, "w:commentRangeStart", &[("w:id", id)])?;
        }
        self.runs(w, pieces)?;
        if let Some(id) = &comment_id {
            empty(w, "w:commentRangeEnd", &[("w:id", id)])?;
            start(w, "w:r", &[])?;
            start(w, "w:rPr", &[])?;
            empty(w, "w:rStyle", &[("w:val", "CommentReference")])?;
            end(w, "w:rPr")?;
            empty(w, "w:commentReference", &[("w:id", id)])?;
            end(w, "w:r")?;
        }
        end(w, "w:p")
    }

    /// Pieces for operations, each present as its tag says and as `within` allows; a citation
    /// becomes a footnote of its own.
    fn op_pieces(&mut self, ops: &[Op], within: In, out: &mut Vec<(Piece, In)>) {
        for op in ops {
            let state = In::of(op.op).and(within);
            if op.footnote.is_some() {
                let found = layout::footnote_of(self.r, op);
                if let Some((i, _)) = found {
                    self.cited.insert(i);
                }
                let id = self.footnote(op.op, found.map(|(_, f)| f), state);
                out.push((Piece::FootnoteRef(id), state));
            } else if !op.text.is_empty() {
                out.push((Piece::Text(op.text.clone()), state));
            }
        }
    }

    /// A footnote for one citation: the reconciled text, present as the citation is. A kept
    /// citation shows the footnote's own changes; a deleted one the old text, an inserted one
    /// the new text.
    fn footnote(&mut self, tag: Tag, f: Option<&FootnoteEntry>, state: In) -> u32 {
        let id = self.notes.len() as u32 + 1;
        let mut pieces = vec![
            (Piece::FootnoteMark, state),
            (Piece::Text(" ".into()), state),
        ];
        if let Some(f) = f {
            match tag {
                Tag::Equal => {
                    for op in &f.ops {
                        if !op.text.is_empty() {
                            pieces.push((Piece::Text(op.text.clone()), In::of(op.op).and(state)));
                        }
                    }
                }
                side => {
                    let t = crate::diff::side_text(&f.ops, side);
                    pieces.push((Piece::Text(t), state));
                }
            }
        }
        self.notes.push(Note { id, pieces });
        id
    }
}

/// One run (`w:r`) for a piece; deleted text goes in `w:delText`.
fn run(w: &mut Xml, p: &Piece, deleted: bool) -> io::Result<()> {
    start(w, "w:r", &[])?;
    match p {
        Piece::Text(t) => {
            let tag = if deleted { "w:delText" } else { "w:t" };
            start(w, tag, &[("xml:space", "preserve")])?;
            text(w, t)?;
            end(w, tag)?;
        }
        Piece::Tab => empty(w, "w:tab", &[])?,
        Piece::FootnoteRef(id) => {
            start(w, "w:rPr", &[])?;
            empty(w, "w:rStyle", &[("w:val", "FootnoteReference")])?;
            end(w, "w:rPr")?;
            empty(w, "w:footnoteReference", &[("w:id", &id.to_string())])?;
        }
        Piece::FootnoteMark => {
            start(w, "w:rPr", &[])?;
            empty(w, "w:rStyle", &[("w:val", "FootnoteReference")])?;
            end(w, "w:rPr")?;
            empty(w, "w:footnoteRef", &[])?;
        }
    }
    end(w, "w:r")
}

/// The paragraph style of a node.
fn style_of(n: &Node) -> &'static str {
    match n.kind {
        NodeKind::Title => "Title",
        NodeKind::Heading if n.marker.is_some() => "Heading1",
        NodeKind::Heading => "Heading2",
        NodeKind::Paragraph => "NumberedParagraph",
        NodeKind::Item => "Item",
        NodeKind::Subitem => "Subitem",
        NodeKind::Step => "Step",
        NodeKind::Option => "Item",
        NodeKind::Text | NodeKind::Preambular => "Normal",
    }
}

/// The Word document for the selected entries, unchanged paragraphs included (a document with
/// tracked changes is the whole text; `sel.all` makes no difference).
pub fn render(r: &Redline, sel: &Selection, opts: &DocxOptions) -> io::Result<Vec<u8>> {
    // The author and the drafts' names go into attributes and document properties, where a
    // control character would make the XML invalid: shown escaped there too.
    let opts = &DocxOptions {
        author: crate::render::style::visible(&opts.author).into_owned(),
        date: opts.date.clone(),
    };
    let builder = |comment_base| Builder {
        r,
        opts,
        next_revision: 0,
        comment_base,
        notes: Vec::new(),
        comments: Vec::new(),
        cited: HashSet::new(),
    };
    // A first pass counts the footnotes, so that comment ids can follow them.
    let mut count = builder(1);
    document_xml(&mut count, sel)?;
    let mut b = builder(count.notes.len() as u32 + 1);
    let document = document_xml(&mut b, sel)?;
    let footnotes = footnotes_xml(&mut b)?;
    let comments = comments_xml(&b)?;
    let title = format!("Redline: {} \u{2192} {}", r.old.name, r.new.name);
    let title = crate::render::style::visible(&title).into_owned();
    let parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", content_types()?),
        ("_rels/.rels", package_rels()?),
        ("docProps/core.xml", core_xml(&title, opts)?),
        ("docProps/app.xml", app_xml()?),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", document_rels()?),
        ("word/styles.xml", styles_xml()?),
        ("word/settings.xml", settings_xml()?),
        ("word/footnotes.xml", footnotes),
        ("word/comments.xml", comments),
        ("word/header1.xml", header_xml(&title)?),
    ];
    zip_parts(&parts)
}

fn zip_parts(parts: &[(&str, Vec<u8>)]) -> io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let when = zip::DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0).map_err(io::Error::other)?;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        z.start_file(*name, options).map_err(io::Error::other)?;
        z.write_all(bytes)?;
    }
    Ok(z.finish().map_err(io::Error::other)?.into_inner())
}

fn document_xml(b: &mut Builder, sel: &Selection) -> io::Result<Vec<u8>> {
    let r = b.r;
    let blocks = layout::blocks(r, sel, true);
    let mut w = new_xml()?;
    start(
        &mut w,
        "w:document",
        &[("xmlns:w", W_NS), ("xmlns:r", R_NS)],
    )?;
    start(&mut w, "w:body", &[])?;
    let mut old_labelled = HashSet::new();
    let mut new_labelled = HashSet::new();
    // Whether the last paragraph written has a mark on both sides; Word keeps the body's last
    // paragraph mark whatever it is marked, so an extra empty paragraph ends the body.
    let mut last_mark = None;
    for (k, block) in blocks.iter().enumerate() {
        let e = block.entry();
        let next = blocks.get(k + 1);
        let (present, ops, within): (In, Vec<Op>, In) = match block {
            Block::Para(e) if !e.moved => (
                In {
                    old: e.old.is_some(),
                    new: e.new.is_some(),
                },
                e.ops.clone(),
                BOTH,
            ),
            Block::Para(e) => (
                In {
                    old: false,
                    new: e.new.is_some(),
                },
                e.ops.clone(),
                NEW,
            ),
            Block::MovedAway(e) => (
                OLD,
                e.old
                    .map(|o| layout::old_text_ops(&r.old.nodes[o]))
                    .unwrap_or_default(),
                OLD,
            ),
        };
        // Labels: the old one where the old paragraph starts, the new one where the new starts.
        let old_node = if present.old { e.old } else { None };
        let new_node = if present.new { e.new } else { None };
        let old_label = old_node
            .filter(|o| old_labelled.insert(*o))
            .and_then(|o| layout::printed_label(&r.old.nodes[o]));
        let new_label = new_node
            .filter(|n| new_labelled.insert(*n))
            .and_then(|n| layout::printed_label(&r.new.nodes[n]));
        let node = new_node
            .map(|n| &r.new.nodes[n])
            .or_else(|| e.old.map(|o| &r.old.nodes[o]))
            .or_else(|| e.new.map(|n| &r.new.nodes[n]));
        let Some(node) = node else { continue };
        let separator = if node.kind.is_body() {
            Piece::Tab
        } else {
            Piece::Text(" ".into())
        };
        let mut pieces = Vec::new();
        match (old_label, new_label) {
            (Some(o), Some(n)) if o == n => {
                pieces.push((Piece::Text(n), BOTH));
                pieces.push((separator, BOTH));
            }
            (o, n) => {
                let sep = In {
                    old: o.is_some(),
                    new: n.is_some(),
                };
                if let Some(o) = o {
                    pieces.push((Piece::Text(o), OLD));
                }
                if let Some(n) = n {
                    pieces.push((Piece::Text(n), NEW));
                }
                if sep.old || sep.new {
                    pieces.push((separator, sep));
                }
            }
        }
        b.op_pieces(&ops, within, &mut pieces);
        // The paragraph mark: absent on the side where the next block continues this paragraph.
        let continues_old = matches!(
            (block, next),
            (Block::Para(e), Some(Block::Para(n)))
                if !e.moved && !n.moved && e.old.is_some() && n.old == e.old
        );
        let continues_new = matches!(
            (block, next),
            (Block::Para(e), Some(Block::Para(n))) if e.new.is_some() && n.new == e.new
        );
        let mark = In {
            old: present.old && !continues_old,
            new: present.new && !continues_new,
        };
        let comment = match block {
            Block::MovedAway(e) => Some(layout::moved_to(r, e)),
            Block::Para(e) if has_comment(e) => Some(layout::describe(r, e)),
            _ => None,
        };
        b.paragraph(&mut w, style_of(node), mark, comment, &pieces)?;
        last_mark = Some(mark);
    }
    // A footnote no citation of the document shows (defined but never cited, or cited only
    // outside the selection while it changed) would otherwise be lost, and its change with
    // it: such footnotes close the document as paragraphs of their own, under a heading
    // both drafts share.
    let uncited: Vec<usize> = sel
        .footnotes(r)
        .into_iter()
        .filter(|i| !b.cited.contains(i))
        .filter(|&i| !sel.filters() || r.footnotes[i].is_change())
        .collect();
    if !uncited.is_empty() {
        let heading = [(Piece::Text("Footnotes not cited in the text".into()), BOTH)];
        b.paragraph(&mut w, "Heading2", BOTH, None, &heading)?;
        for i in uncited {
            let f = &r.footnotes[i];
            let present = In {
                old: f.old.is_some(),
                new: f.new.is_some(),
            };
            let mut pieces = Vec::new();
            match (f.old, f.new) {
                (Some(o), Some(n)) if o == n => pieces.push((Piece::Text(format!("[{n}]")), BOTH)),
                (o, n) => {
                    if let Some(o) = o {
                        pieces.push((Piece::Text(format!("[{o}]")), OLD));
                    }
                    if let Some(n) = n {
                        pieces.push((Piece::Text(format!("[{n}]")), NEW));
                    }
                }
            }
            pieces.push((Piece::Text(" ".into()), present));
            for op in &f.ops {
                if !op.text.is_empty() {
                    pieces.push((Piece::Text(op.text.clone()), In::of(op.op).and(present)));
                }
            }
            b.paragraph(&mut w, "Normal", present, None, &pieces)?;
            last_mark = Some(present);
        }
    }
    // Metadata that changed (front matter, an editor's note, link definitions) is no text
    // of the document, but its change must not be lost either: tracked paragraphs at the end.
    let metadata = sel.metadata(r);
    if !metadata.is_empty() {
        let heading = [(Piece::Text("File metadata".into()), BOTH)];
        b.paragraph(&mut w, "Heading2", BOTH, None, &heading)?;
        for m in metadata {
            let present = In {
                old: m.line.0.is_some(),
                new: m.line.1.is_some(),
            };
            let mut pieces = vec![(Piece::Text(format!("[{}] ", m.kind.as_str())), BOTH)];
            for op in &m.ops {
                if !op.text.is_empty() {
                    pieces.push((Piece::Text(op.text.clone()), In::of(op.op).and(present)));
                }
            }
            b.paragraph(&mut w, "Normal", BOTH, None, &pieces)?;
            last_mark = Some(BOTH);
        }
    }
    if last_mark != Some(BOTH) {
        empty(&mut w, "w:p", &[])?;
    }
    start(&mut w, "w:sectPr", &[])?;
    empty(
        &mut w,
        "w:headerReference",
        &[("w:type", "default"), ("r:id", "rIdHeader")],
    )?;
    empty(&mut w, "w:pgSz", &[("w:w", "11906"), ("w:h", "16838")])?;
    empty(
        &mut w,
        "w:pgMar",
        &[
            ("w:top", "1417"),
            ("w:right", "1417"),
            ("w:bottom", "1417"),
            ("w:left", "1417"),
            ("w:header", "708"),
            ("w:footer", "708"),
            ("w:gutter", "0"),
        ],
    )?;
    end(&mut w, "w:sectPr")?;
    end(&mut w, "w:body")?;
    end(&mut w, "w:document")?;
    Ok(w.into_inner())
}

fn footnotes_xml(b: &mut Builder) -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(
        &mut w,
        "w:footnotes",
        &[("xmlns:w", W_NS), ("xmlns:r", R_NS)],
    )?;
    for (id, kind, sep) in [
        ("-1", "separator", "w:separator"),
        ("0", "continuationSeparator", "w:continuationSeparator"),
    ] {
        start(&mut w, "w:footnote", &[("w:type", kind), ("w:id", id)])?;
        start(&mut w, "w:p", &[])?;
        start(&mut w, "w:pPr", &[])?;
        empty(
            &mut w,
            "w:spacing",
            &[("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")],
        )?;
        end(&mut w, "w:pPr")?;
        start(&mut w, "w:r", &[])?;
        empty(&mut w, sep, &[])?;
        end(&mut w, "w:r")?;
        end(&mut w, "w:p")?;
        end(&mut w, "w:footnote")?;
    }
    let notes = std::mem::take(&mut b.notes);
    for n in &notes {
        start(&mut w, "w:footnote", &[("w:id", &n.id.to_string())])?;
        start(&mut w, "w:p", &[])?;
        start(&mut w, "w:pPr", &[])?;
        empty(&mut w, "w:pStyle", &[("w:val", "FootnoteText")])?;
        end(&mut w, "w:pPr")?;
        b.runs(&mut w, &n.pieces)?;
        end(&mut w, "w:p")?;
        end(&mut w, "w:footnote")?;
    }
    b.notes = notes;
    end(&mut w, "w:footnotes")?;
    Ok(w.into_inner())
}

fn comments_xml(b: &Builder) -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(
        &mut w,
        "w:comments",
        &[("xmlns:w", W_NS), ("xmlns:r", R_NS)],
    )?;
    for c in &b.comments {
        start(
            &mut w,
            "w:comment",
            &[
                ("w:id", &c.id.to_string()),
                ("w:author", &b.opts.author),
                ("w:date", &b.opts.date),
                ("w:initials", &initials(&b.opts.author)),
            ],
        )?;
        start(&mut w, "w:p", &[])?;
        start(&mut w, "w:pPr", &[])?;
        empty(&mut w, "w:pStyle", &[("w:val", "CommentText")])?;
        end(&mut w, "w:pPr")?;
        start(&mut w, "w:r", &[])?;
        start(&mut w, "w:rPr", &[])?;
        empty(&mut w, "w:rStyle", &[("w:val", "CommentReference")])?;
        end(&mut w, "w:rPr")?;
        empty(&mut w, "w:annotationRef", &[])?;
        end(&mut w, "w:r")?;
        start(&mut w, "w:r", &[])?;
        start(&mut w, "w:t", &[("xml:space", "preserve")])?;
        text(&mut w, &format!(" {}", c.text))?;
        end(&mut w, "w:t")?;
        end(&mut w, "w:r")?;
        end(&mut w, "w:p")?;
        end(&mut w, "w:comment")?;
    }
    end(&mut w, "w:comments")?;
    Ok(w.into_inner())
}

fn initials(author: &str) -> String {
    let s: String = author
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(4)
        .collect();
    if s.is_empty() { "OD".into() } else { s }
}

fn header_xml(title: &str) -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(&mut w, "w:hdr", &[("xmlns:w", W_NS), ("xmlns:r", R_NS)])?;
    start(&mut w, "w:p", &[])?;
    start(&mut w, "w:pPr", &[])?;
    empty(&mut w, "w:pStyle", &[("w:val", "Header")])?;
    end(&mut w, "w:pPr")?;
    start(&mut w, "w:r", &[])?;
    start(&mut w, "w:t", &[("xml:space", "preserve")])?;
    text(&mut w, title)?;
    end(&mut w, "w:t")?;
    end(&mut w, "w:r")?;
    end(&mut w, "w:p")?;
    end(&mut w, "w:hdr")?;
    Ok(w.into_inner())
}

fn content_types() -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(
        &mut w,
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    )?;
    empty(
        &mut w,
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    )?;
    empty(
        &mut w,
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    )?;
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    for (part, kind) in [
        ("/word/document.xml", format!("{wml}.document.main+xml")),
        ("/word/styles.xml", format!("{wml}.styles+xml")),
        ("/word/settings.xml", format!("{wml}.settings+xml")),
        ("/word/footnotes.xml", format!("{wml}.footnotes+xml")),
        ("/word/comments.xml", format!("{wml}.comments+xml")),
        ("/word/header1.xml", format!("{wml}.header+xml")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".to_string(),
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string(),
        ),
    ] {
        empty(
            &mut w,
            "Override",
            &[("PartName", part), ("ContentType", &kind)],
        )?;
    }
    end(&mut w, "Types")?;
    Ok(w.into_inner())
}

fn relationships(rels: &[(&str, String, &str)]) -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(&mut w, "Relationships", &[("xmlns", REL_NS)])?;
    for (id, kind, target) in rels {
        empty(
            &mut w,
            "Relationship",
            &[("Id", id), ("Type", kind), ("Target", target)],
        )?;
    }
    end(&mut w, "Relationships")?;
    Ok(w.into_inner())
}

fn package_rels() -> io::Result<Vec<u8>> {
    relationships(&[
        (
            "rId1",
            format!("{REL_TYPE}/officeDocument"),
            "word/document.xml",
        ),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .to_string(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{REL_TYPE}/extended-properties"),
            "docProps/app.xml",
        ),
    ])
}

fn document_rels() -> io::Result<Vec<u8>> {
    relationships(&[
        ("rIdStyles", format!("{REL_TYPE}/styles"), "styles.xml"),
        (
            "rIdSettings",
            format!("{REL_TYPE}/settings"),
            "settings.xml",
        ),
        (
            "rIdFootnotes",
            format!("{REL_TYPE}/footnotes"),
            "footnotes.xml",
        ),
        (
            "rIdComments",
            format!("{REL_TYPE}/comments"),
            "comments.xml",
        ),
        ("rIdHeader", format!("{REL_TYPE}/header"), "header1.xml"),
    ])
}

fn core_xml(title: &str, opts: &DocxOptions) -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(
        &mut w,
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    )?;
    for (tag, value, typed) in [
        ("dc:title", title, false),
        ("dc:creator", opts.author.as_str(), false),
        ("cp:lastModifiedBy", opts.author.as_str(), false),
        ("dcterms:created", opts.date.as_str(), true),
        ("dcterms:modified", opts.date.as_str(), true),
    ] {
        if typed {
            start(&mut w, tag, &[("xsi:type", "dcterms:W3CDTF")])?;
        } else {
            start(&mut w, tag, &[])?;
        }
        text(&mut w, value)?;
        end(&mut w, tag)?;
    }
    end(&mut w, "cp:coreProperties")?;
    Ok(w.into_inner())
}

fn app_xml() -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(
        &mut w,
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    )?;
    start(&mut w, "Application", &[])?;
    text(&mut w, "oewg-diff")?;
    end(&mut w, "Application")?;
    end(&mut w, "Properties")?;
    Ok(w.into_inner())
}

fn settings_xml() -> io::Result<Vec<u8>> {
    let mut w = new_xml()?;
    start(&mut w, "w:settings", &[("xmlns:w", W_NS)])?;
    // Further edits by whoever opens the redline are tracked too.
    empty(&mut w, "w:trackRevisions", &[])?;
    empty(&mut w, "w:defaultTabStop", &[("w:val", "567")])?;
    empty(
        &mut w,
        "w:characterSpacingControl",
        &[("w:val", "doNotCompress")],
    )?;
    start(&mut w, "w:footnotePr", &[])?;
    empty(&mut w, "w:footnote", &[("w:id", "-1")])?;
    empty(&mut w, "w:footnote", &[("w:id", "0")])?;
    end(&mut w, "w:footnotePr")?;
    start(&mut w, "w:compat", &[])?;
    empty(
        &mut w,
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    )?;
    end(&mut w, "w:compat")?;
    end(&mut w, "w:settings")?;
    Ok(w.into_inner())
}

/// A paragraph style: id, name, based on, next, paragraph properties, run properties.
struct Style {
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    based_on: Option<&'static str>,
    outline: Option<&'static str>,
    keep_next: bool,
    before: &'static str,
    after: &'static str,
    indent: Option<(&'static str, &'static str)>,
    centered: bool,
    bold: bool,
    italic: bool,
    size: Option<&'static str>,
    superscript: bool,
}

const PLAIN: Style = Style {
    id: "",
    name: "",
    kind: "paragraph",
    based_on: Some("Normal"),
    outline: None,
    keep_next: false,
    before: "0",
    after: "120",
    indent: None,
    centered: false,
    bold: false,
    italic: false,
    size: None,
    superscript: false,
};

fn styles_xml() -> io::Result<Vec<u8>> {
    let styles = [
        Style {
            id: "Normal",
            name: "Normal",
            based_on: None,
            ..PLAIN
        },
        Style {
            id: "Title",
            name: "Title",
            keep_next: true,
            after: "240",
            centered: true,
            bold: true,
            ..PLAIN
        },
        Style {
            id: "Heading1",
            name: "heading 1",
            outline: Some("0"),
            keep_next: true,
            before: "240",
            bold: true,
            ..PLAIN
        },
        Style {
            id: "Heading2",
            name: "heading 2",
            outline: Some("1"),
            keep_next: true,
            before: "120",
            bold: true,
            italic: true,
            ..PLAIN
        },
        Style {
            id: "NumberedParagraph",
            name: "Numbered Paragraph",
            indent: Some(("567", "567")),
            ..PLAIN
        },
        Style {
            id: "Item",
            name: "Item",
            indent: Some(("1134", "567")),
            ..PLAIN
        },
        Style {
            id: "Subitem",
            name: "Sub-item",
            indent: Some(("1985", "851")),
            ..PLAIN
        },
        Style {
            id: "Step",
            name: "Next Step",
            indent: Some(("567", "567")),
            ..PLAIN
        },
        Style {
            id: "FootnoteText",
            name: "footnote text",
            after: "0",
            size: Some("20"),
            ..PLAIN
        },
        Style {
            id: "CommentText",
            name: "annotation text",
            after: "0",
            size: Some("20"),
            ..PLAIN
        },
        Style {
            id: "Header",
            name: "header",
            after: "0",
            size: Some("18"),
            ..PLAIN
        },
        Style {
            id: "FootnoteReference",
            name: "footnote reference",
            kind: "character",
            based_on: None,
            superscript: true,
            ..PLAIN
        },
        Style {
            id: "CommentReference",
            name: "annotation reference",
            kind: "character",
            based_on: None,
            size: Some("16"),
            ..PLAIN
        },
    ];
    let mut w = new_xml()?;
    start(&mut w, "w:styles", &[("xmlns:w", W_NS)])?;
    start(&mut w, "w:docDefaults", &[])?;
    start(&mut w, "w:rPrDefault", &[])?;
    start(&mut w, "w:rPr", &[])?;
    empty(
        &mut w,
        "w:rFonts",
        &[
            ("w:ascii", "Times New Roman"),
            ("w:hAnsi", "Times New Roman"),
            ("w:cs", "Times New Roman"),
            ("w:eastAsia", "Times New Roman"),
        ],
    )?;
    empty(&mut w, "w:sz", &[("w:val", "24")])?;
    empty(&mut w, "w:szCs", &[("w:val", "24")])?;
    empty(&mut w, "w:lang", &[("w:val", "en-GB")])?;
    end(&mut w, "w:rPr")?;
    end(&mut w, "w:rPrDefault")?;
    end(&mut w, "w:docDefaults")?;
    for s in &styles {
        let mut attrs = vec![("w:type", s.kind), ("w:styleId", s.id)];
        if s.id == "Normal" {
            attrs.push(("w:default", "1"));
        }
        start(&mut w, "w:style", &attrs)?;
        empty(&mut w, "w:name", &[("w:val", s.name)])?;
        if let Some(b) = s.based_on {
            empty(&mut w, "w:basedOn", &[("w:val", b)])?;
        }
        if s.kind == "paragraph" {
            empty(&mut w, "w:qFormat", &[])?;
            start(&mut w, "w:pPr", &[])?;
            if s.keep_next {
                empty(&mut w, "w:keepNext", &[])?;
            }
            empty(
                &mut w,
                "w:spacing",
                &[("w:before", s.before), ("w:after", s.after)],
            )?;
            if let Some((left, hanging)) = s.indent {
                empty(&mut w, "w:ind", &[("w:left", left), ("w:hanging", hanging)])?;
            }
            if s.centered {
                empty(&mut w, "w:jc", &[("w:val", "center")])?;
            }
            if let Some(l) = s.outline {
                empty(&mut w, "w:outlineLvl", &[("w:val", l)])?;
            }
            end(&mut w, "w:pPr")?;
        }
        start(&mut w, "w:rPr", &[])?;
        if s.bold {
            empty(&mut w, "w:b", &[])?;
        }
        if s.italic {
            empty(&mut w, "w:i", &[])?;
        }
        if let Some(sz) = s.size {
            empty(&mut w, "w:sz", &[("w:val", sz)])?;
            empty(&mut w, "w:szCs", &[("w:val", sz)])?;
        }
        if s.superscript {
            empty(&mut w, "w:vertAlign", &[("w:val", "superscript")])?;
        }
        end(&mut w, "w:rPr")?;
        end(&mut w, "w:style")?;
    }
    end(&mut w, "w:styles")?;
    Ok(w.into_inner())
}

/// The date of the changes: `SOURCE_DATE_EPOCH` (seconds since 1970) when set, else the new
/// draft's date from the manifest (`2022-07-27`), else `now`. An unreadable
/// `SOURCE_DATE_EPOCH` is an error (reproducible-builds convention).
pub fn revision_date(
    source_date_epoch: Option<&str>,
    draft_date: Option<&str>,
    now: std::time::SystemTime,
) -> Result<String, String> {
    if let Some(s) = source_date_epoch {
        let secs: i64 = s.trim().parse().map_err(|_| {
            format!("SOURCE_DATE_EPOCH={s:?} is not a number of seconds since 1970; set it to an integer or unset it")
        })?;
        return Ok(iso_date(secs));
    }
    if let Some(d) = draft_date
        && is_iso_day(d)
    {
        return Ok(format!("{d}T00:00:00Z"));
    }
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(iso_date(secs))
}

fn is_iso_day(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(d[5..7].parse::<u32>(), Ok(1..=12))
        && matches!(d[8..10].parse::<u32>(), Ok(1..=31))
}

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since 1970 (UTC, proleptic Gregorian calendar).
pub fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Whether a paragraph gets a comment saying what happened to it: a move, a split, a merge,
/// a change of modality.
fn has_comment(e: &Entry) -> bool {
    e.moved || e.split || e.merged || e.classes.contains(&crate::diff::Class::Modality)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(1_658_880_000), "2022-07-27T00:00:00Z");
        assert_eq!(iso_date(951_782_400 + 3661), "2000-02-29T01:01:01Z");
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400);
        assert_eq!(
            revision_date(Some("1658880000"), Some("2000-01-01"), now).unwrap(),
            "2022-07-27T00:00:00Z"
        );
        assert_eq!(
            revision_date(None, Some("2022-07-27"), now).unwrap(),
            "2022-07-27T00:00:00Z"
        );
        assert_eq!(
            revision_date(None, Some("27 July"), now).unwrap(),
            "1970-01-02T00:00:00Z"
        );
        assert!(revision_date(Some("yesterday"), None, now).is_err());
    }

    #[test]
    fn initials_of_authors() {
        assert_eq!(initials("oewg-diff"), "OD");
        assert_eq!(initials("Delegation of Ruritania"), "DOR");
        assert_eq!(initials("--"), "OD");
    }
}
