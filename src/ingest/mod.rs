//! Ingest: text of a draft (often a PDF conversion full of artifacts) into a [`Draft`].
//!
//! The parser works line by line with a small state machine (current section, paragraph, item,
//! next-steps list). It owns the rules that survive conversion artifacts:
//! - footnote definition blocks anywhere, also in the middle of a paragraph at a page break;
//! - a block that starts in lower case, or follows a node that stopped mid-sentence, continues
//!   that node (paragraphs cut by page breaks);
//! - numbering markers with or without list bullets (`- 1.`, `1.`, `**3.**`, `- a)`, `(i)`);
//! - items of a next-steps list whose number was lost get the next number, marked inferred;
//! - headings with or without `#` and `**`, and bare `B. Title` lines;
//! - separator lines that hold no words (`\_`, `-`, `. . . . .`) are layout; a line of
//!   brackets alone (`]`, `[`, `[...]`) is text of a neighbouring node (`BracketLine`);
//! - a bare `C. Title` after a blank line, or with the next section's letter, is a heading
//!   whatever the text before it ends with.
//!
//! That is the report family. Treaty drafts (a preamble, articles, paragraphs numbered within
//! each article, options) have their own rules in [`treaty`]; [`detect`] tells the families
//! apart from the text, and the manifest may force one. In both, YAML front matter is
//! metadata when every line of it is YAML (`front_matter`), every line break (`\n`, CRLF,
//! CR, NEL, U+2028, U+2029) ends a line ([`lines_of`]), and [`read_text`] reads UTF-8 and
//! UTF-16 with a byte order mark, naming what any other file is.

mod inline;
pub mod treaty;

use inline::superscript_digit;
pub use inline::{Cleaned, clean, has_words, is_no_break_space, superscript_value, to_superscript};

use crate::error::LoadError;
use crate::model::{
    Citation, Draft, Family, Footnote, Meta, MetaKind, Node, NodeKind, Section, is_roman,
};
use crate::text::{ends_mid_sentence, letter_of, letter_value};
use regex::Regex;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// Largest draft we accept (a report is ~30 KB; the longest treaty texts are a few MB).
pub const MAX_DRAFT_BYTES: u64 = 64 * 1024 * 1024;

/// Read and parse a draft file, detecting its family from the text.
pub fn load(name: &str, path: &Path) -> Result<Draft, LoadError> {
    load_as(name, path, None)
}

/// Read and parse a draft file as the given family (detected from the text when `None`).
pub fn load_as(name: &str, path: &Path, family: Option<Family>) -> Result<Draft, LoadError> {
    let text = read_text(path)?;
    Ok(parse_as(name, path, &text, family))
}

static TREATY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^[ ]{0,3}#{1,6}[ \t]*\**\[?[ \t]*(?:article[ \t]+\d{1,4}|preamble[ \t]*\]?\**[ \t]*$)",
    )
    .expect("treaty heading pattern is valid")
});

/// A line that is nothing but an article heading, without `#`: `**Article 3**`, `ARTICLE 8 BIS`.
static BARE_ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ ]{0,3}\**\[?[ \t]*article[ \t]+\d{1,4}[ \t]*[a-z]{0,9}[ \t]*\]?\**[ \t]*$")
        .expect("bare article pattern is valid")
});

/// The family of a text: a treaty when it has `## Article N` or `## Preamble` headings (or at
/// least two lines that are nothing but `**Article N**`), a report otherwise.
pub fn detect(text: &str) -> Family {
    // Both patterns need the word "article" or "preamble": a text with neither (most
    // reports) is not searched, and the patterns are not even compiled.
    if !names_article_or_preamble(text) {
        return Family::Report;
    }
    if TREATY_HEADING.is_match(text) || BARE_ARTICLE.find_iter(text).nth(1).is_some() {
        Family::Treaty
    } else {
        Family::Report
    }
}

/// Whether the text holds "article" or "preamble" in any ASCII case.
fn names_article_or_preamble(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    text.contains("article") || text.contains("preamble")
}

/// YAML front matter: a first line `---`, then YAML metadata up to a closing `---` (or
/// `...`). Returns the metadata and the number of lines it takes, fences included.
///
/// It is front matter only when every line between the fences is YAML metadata
/// ([`FrontMatterLines`]) and at least one is a `key: value` line: a `---` line above a
/// heading or a numbered paragraph is a separator, and what follows it is text of the draft
/// (taken for metadata, an edit there would go unreported).
pub(crate) fn front_matter(text: &str) -> Option<(Meta, usize)> {
    // The first line must be `---`: a text that does not start so is not cut into lines.
    if !text.starts_with("---") {
        return None;
    }
    // Read lazily: only the block's lines are looked at, the parser cuts the rest.
    let mut lines = LINE_BREAK.split(text);
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut body = Vec::new();
    let mut yaml = FrontMatterLines::default();
    for (i, l) in lines.enumerate().take(500) {
        let t = l.trim_end();
        if t == "---" || t == "..." {
            if !yaml.keys {
                return None;
            }
            let meta = Meta {
                kind: MetaKind::FrontMatter,
                text: body.join("\n"),
                line: 2,
            };
            return Some((meta, i + 2));
        }
        if !yaml.accepts(t) {
            return None;
        }
        body.push(t);
    }
    None
}

/// Reads the lines of a front matter block one by one: whether each is YAML metadata as
/// front matter writes it.
///
/// - `key: value`, `key:` (a key of one word, or quoted; not a number);
/// - a list item `- value` under a `key:` or after another item (but not a numbering
///   marker: `- 1. States agreed` is a paragraph);
/// - an indented line under a key (a nested mapping, a wrapped value) or inside a block
///   scalar (`key: |`, `key: >-`), where anything goes;
/// - a comment `# note` (one `#`: `## A. Introduction` is a heading), and blank lines.
#[derive(Default)]
struct FrontMatterLines {
    /// A `key: value` line was read.
    keys: bool,
    /// The last key had no value on its line: items or indented lines may follow.
    open_key: bool,
    /// Inside a block scalar (`key: |`): indented lines are its text.
    block: bool,
    /// The previous line was a list item.
    item: bool,
}

impl FrontMatterLines {
    fn accepts(&mut self, t: &str) -> bool {
        if t.trim().is_empty() {
            return true;
        }
        let indented = t.starts_with([' ', '\t']);
        if self.block && indented {
            return true;
        }
        self.block = false;
        let t = t.trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            // A comment, unless it is a Markdown heading of the draft.
            return !rest.starts_with('#') && !indented && !heading_like(rest.trim());
        }
        if let Some(rest) = t
            .strip_prefix("- ")
            .or(if t == "-" { Some("") } else { None })
        {
            let under = self.open_key || self.item || indented;
            let marker = MARKER.is_match(rest.trim_start()) || heading_like(rest.trim());
            self.item = under && !marker;
            return self.item;
        }
        self.item = false;
        match yaml_key(t) {
            Some(value) => {
                self.keys = true;
                let v = value.trim();
                self.block = v.starts_with(['|', '>']) && v.len() <= 3;
                self.open_key = v.is_empty() || self.block;
                true
            }
            // A line indented under a key: a wrapped value or a nested mapping.
            None => indented && self.keys,
        }
    }
}

/// The value after `key:` when `t` is a YAML `key: value` (or `key:`) line.
fn yaml_key(t: &str) -> Option<&str> {
    let (key, value) = t.split_once(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    let key = key.trim_end();
    // A key is one word (`title`, `doc_symbol`, `header-includes`), or quoted. A line such as
    // `Option 1: States shall ...` is negotiated text, not a key, so a block of such lines
    // between `---` lines is never hidden as metadata.
    let quoted = key
        .strip_prefix(['"', '\''])
        .and_then(|k| k.strip_suffix(['"', '\'']));
    let ok = match quoted {
        Some(k) => !k.is_empty(),
        None => {
            key.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }
    };
    ok.then_some(value)
}

/// Whether a line's text reads as a heading of a draft: a section heading (`A. Title`), an
/// article or preamble heading, a steps heading.
fn heading_like(t: &str) -> bool {
    let c = clean(t).text;
    section_heading(&c).is_some()
        || is_steps_heading(&c)
        || TREATY_HEADING.is_match(&format!("# {c}"))
        || BARE_ARTICLE.is_match(&c)
}

/// Read a draft file as text, with a precise error for each way it can be unusable.
///
/// UTF-8 (with or without a byte order mark) is read as it is; UTF-16 with a byte order mark
/// (what Windows Notepad and Word's "Unicode text" write) is decoded. A PDF, a Word or
/// other office file, an image, an archive is named as such with what to do; other bytes that
/// are not UTF-8 get a guess at their encoding.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let p = path.to_path_buf();
    let meta = std::fs::metadata(path).map_err(|e| LoadError::from_io(p.clone(), e))?;
    if meta.is_dir() {
        return Err(LoadError::IsDirectory { path: p });
    }
    if meta.len() > MAX_DRAFT_BYTES {
        return Err(LoadError::TooLarge {
            path: p,
            size: meta.len(),
            max: MAX_DRAFT_BYTES,
        });
    }
    // Never more than the limit, whatever the file claims (a pipe, a device, a file that
    // grows), and what the file is (a PDF, binary data) is known from its first block.
    let io = |e| LoadError::from_io(p.clone(), e);
    let mut reader = std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_DRAFT_BYTES + 1);
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_DRAFT_BYTES) as usize);
    (&mut reader)
        .take(8192)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    // What the file is shows in its first block: an endless device or a large binary file
    // is read no further.
    if known_format(&bytes).is_some() || (utf16_order(&bytes).is_none() && bytes.contains(&0)) {
        return decode_text(path, bytes);
    }
    reader.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return Err(LoadError::TooLarge {
            path: p,
            size: bytes.len() as u64,
            max: MAX_DRAFT_BYTES,
        });
    }
    decode_text(path, bytes)
}

/// The text of a draft's bytes (a file's, or standard input's), named `path` in errors:
/// UTF-8 (a byte order mark kept, the parser drops it), UTF-16 with a byte order mark
/// decoded; a known format that is not text, binary data, or another encoding is an error
/// that says what the bytes are and what to do.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    let p = path.to_path_buf();
    if let Some((what, advice)) = known_format(&bytes) {
        return Err(LoadError::NotText {
            path: p,
            what,
            advice,
        });
    }
    let utf16 = utf16_order(&bytes);
    if utf16.is_none()
        && let Some(at) = bytes.iter().position(|&b| b == 0)
    {
        if looks_like_utf16(&bytes[..bytes.len().min(8192)]) {
            return Err(LoadError::NotText {
                path: p,
                what: "UTF-16 text without a byte order mark",
                advice: "save it as UTF-8 (or as UTF-16 with its byte order mark)",
            });
        }
        return Err(LoadError::Binary { path: p, byte: at });
    }
    let text = match utf16 {
        Some(big_endian) => decode_utf16(&p, &bytes[2..], big_endian)?,
        None => String::from_utf8(bytes).map_err(|e| {
            let byte = e.utf8_error().valid_up_to();
            let b = e.as_bytes();
            LoadError::NotUtf8 {
                path: p.clone(),
                byte,
                line: b[..byte].iter().filter(|&&b| b == b'\n').count() + 1,
                value: b[byte],
                guess: guess_encoding(b, byte),
            }
        })?,
    };
    if !has_words(&text) {
        return Err(LoadError::Empty { path: p });
    }
    Ok(text)
}

/// A file that is not text, known by its first bytes: what it is and what to do.
fn known_format(head: &[u8]) -> Option<(&'static str, &'static str)> {
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    let found = if head.starts_with(b"%PDF-") {
        (
            "a PDF file",
            "PDF input is not read yet: convert it to text, e.g. pdftotext -layout FILE FILE.txt",
        )
    } else if head.starts_with(b"PK\x03\x04") {
        if has(b"word/") {
            (
                "a Word document (.docx)",
                "DOCX input is not read yet: save it from Word as plain text (UTF-8), or convert it, e.g. pandoc FILE -t markdown -o FILE.md",
            )
        } else if has(b"opendocument") {
            (
                "an OpenDocument file (.odt)",
                "save it as plain text (UTF-8), or convert it, e.g. pandoc FILE -t markdown -o FILE.md",
            )
        } else {
            (
                "a ZIP archive (or an office file)",
                "give the text of the draft: unpack it, or save the document as plain text (UTF-8)",
            )
        }
    } else if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        (
            "a Word 97-2003 document (.doc) or another old office file",
            "save it from Word as plain text (UTF-8)",
        )
    } else if head.starts_with(b"{\\rtf") {
        (
            "an RTF document",
            "save it from your editor as plain text (UTF-8)",
        )
    } else if head.starts_with(b"\x89PNG")
        || head.starts_with(b"\xFF\xD8\xFF")
        || head.starts_with(b"GIF8")
    {
        (
            "an image",
            "give the text of the draft (a scan needs OCR first)",
        )
    } else if head.starts_with(b"\x1F\x8B") {
        ("a gzip archive", "unpack it first, e.g. gunzip FILE")
    } else if head.starts_with(b"\xFF\xFE\x00\x00") || head.starts_with(b"\x00\x00\xFE\xFF") {
        (
            "UTF-32 text",
            "save it as UTF-8, e.g. iconv -f UTF-32 -t UTF-8 FILE > FILE.md",
        )
    } else {
        return None;
    };
    Some(found)
}

/// The byte order of UTF-16 text with a byte order mark (`true` for big-endian), if it is.
fn utf16_order(head: &[u8]) -> Option<bool> {
    match head {
        [0xFF, 0xFE, ..] => Some(false),
        [0xFE, 0xFF, ..] => Some(true),
        _ => None,
    }
}

/// Whether bytes with NULs look like UTF-16 text without its byte order mark: ASCII text
/// in UTF-16 has a NUL in every other byte, the other byte not NUL.
fn looks_like_utf16(head: &[u8]) -> bool {
    let pairs = head.len() / 2;
    if pairs < 4 {
        return false;
    }
    let zero_at = |k: usize| head.iter().skip(k).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd) = (zero_at(0), zero_at(1));
    let (zeros, others) = if even > odd { (even, odd) } else { (odd, even) };
    zeros * 10 >= pairs * 7 && others * 10 <= pairs
}

/// UTF-16 text (after its byte order mark) as a string.
fn decode_utf16(path: &Path, body: &[u8], big_endian: bool) -> Result<String, LoadError> {
    let units = body.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let bad = |text: &str, what: [&'static str; 2]| LoadError::BadUtf16 {
        path: path.to_path_buf(),
        what: what[usize::from(big_endian)],
        line: line_count(text),
    };
    let mut text = String::with_capacity(body.len() / 2 * 3 / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(bad(
                    &text,
                    [
                        "UTF-16 LE text with an unpaired surrogate",
                        "UTF-16 BE text with an unpaired surrogate",
                    ],
                ));
            }
        }
    }
    if body.len() % 2 == 1 {
        return Err(bad(
            &text,
            [
                "UTF-16 LE text cut in the middle of a character (an odd number of bytes)",
                "UTF-16 BE text cut in the middle of a character (an odd number of bytes)",
            ],
        ));
    }
    Ok(text)
}

/// The number of the line a text read so far ends on (1 for none).
fn line_count(text: &str) -> usize {
    // A character after the text makes the last line count even when the text ends with a
    // line break (the line the next character would be on).
    lines_of(&format!("{text}.")).len()
}

/// What bytes that are not UTF-8 look like, from the first bad byte at `at`.
fn guess_encoding(bytes: &[u8], at: usize) -> &'static str {
    // Valid UTF-8 beyond ASCII before the bad byte: the file is UTF-8 with damage, or two
    // files in two encodings were put together.
    if !bytes[..at].is_ascii() {
        return "mostly UTF-8, with an invalid byte (two encodings mixed, or a damaged file)";
    }
    // Windows-1252's quotes and dashes (0x91-0x97) are what a Word text saved as "ANSI"
    // holds; otherwise any single-byte Western encoding reads the same letters.
    if bytes.iter().any(|b| (0x91..=0x97).contains(b)) {
        "looks like Windows-1252 (\"ANSI\")"
    } else {
        "looks like Latin-1/Windows-1252"
    }
}

// The line patterns below are anchored at the start of a line. They hold no class with a
// character beyond ASCII: regex compiles such a class through a UTF-8 automaton builder whose
// large cache is made afresh for each pattern, which costs a short run more than the searches.
// So a blank is an ASCII class or a no-break space written as an alternation (regex merges an
// alternation into one class only when every branch is a single character or a class), and
// the superscript digits of a footnote are read in code ([`footnote_mark`]).

/// A blank between a marker and its text: space, tab or no-break space.
macro_rules! blank {
    () => {
        r"(?:[ \t]|\x{a0})"
    };
}

/// Footnote definitions written with digits: `<sup>4</sup>` (also as the converter's
/// `<sup>&</sup>lt;sup>4</sup>`) and `[^4]:`; superscript digits (`⁴`) are read by
/// [`footnote_mark`].
static FOOTNOTE_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:<sup>&</sup>lt;sup>",
        blank!(),
        r"*(?P<a>[0-9]{1,6})",
        blank!(),
        r"*</sup>|<sup>",
        blank!(),
        r"*(?P<b>[0-9]{1,6})",
        blank!(),
        r"*</sup>|\[\^(?P<d>[0-9]{1,6})\]:)",
        blank!(),
        "*"
    ))
    .expect("footnote pattern is valid")
});

/// A footnote definition opening line `t` (`<sup>4</sup> text`, `⁴ text`, `[^4]: text`): its
/// number (`None` when it does not fit a `u32`) and where its text starts.
pub(crate) fn footnote_mark(t: &str) -> Option<(Option<u32>, usize)> {
    let after_digits = t.trim_start_matches(|c| superscript_digit(c).is_some());
    if after_digits.len() < t.len() {
        let digits = &t[..t.len() - after_digits.len()];
        let end = t.len() - after_digits.trim_start_matches([' ', '\t', '\u{a0}']).len();
        return Some((superscript_value(digits), end));
    }
    let c = FOOTNOTE_DEF.captures(t)?;
    let number = c
        .name("a")
        .or_else(|| c.name("b"))
        .or_else(|| c.name("d"))
        .and_then(|m| m.as_str().parse().ok());
    Some((number, c.get(0).map_or(0, |m| m.end())))
}

/// A section's letter (or roman numeral) and full stop, and the blanks after them; the title
/// is the rest of the line ([`section_heading`]).
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(r"^(?P<id>[A-Z]|[IVX]{1,5})\.", blank!(), "+"))
        .expect("section pattern is valid")
});

/// A section heading on one line: `C. Rules, norms and principles`, its id and its title
/// (which starts with a character that is not blank and runs to the end of the line).
fn section_heading(text: &str) -> Option<(&str, &str)> {
    let c = SECTION.captures(text)?;
    let title = &text[c.get(0)?.end()..];
    // The blanks are taken greedily, so the title starts with a character that is not one.
    (!title.is_empty() && !title.contains('\n'))
        .then(|| (c.name("id").map_or("", |m| m.as_str()), title))
}

pub(crate) static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(r"^(?:[-*+]|•|–)(?:", blank!(), "+|$)")).expect("bullet pattern is valid")
});

/// `MARKER`'s groups, in the order `LineStart::of` reads them by number.
#[cfg(test)]
const MARKER_GROUPS: [&str; 4] = ["bn", "n", "pl", "l"];

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:\*\*(?P<bn>[0-9]{1,6})\.\*\*",
        r"|(?P<n>[0-9]{1,6})\.",
        r"|\((?P<pl>[a-z]{1,6})\)",
        r"|(?P<l>[a-z]{1,6})\))",
        "(?:",
        blank!(),
        "+|$)"
    ))
    .expect("marker pattern is valid")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Paragraphs,
    Steps,
}

/// A numbering marker read at the start of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    Number(u32),
    /// A letter or roman in `a)` or `(a)` form; `paren` is true for `(a)`.
    Letter {
        value: String,
        paren: bool,
    },
}

struct Parser {
    nodes: Vec<Node>,
    sections: Vec<Section>,
    footnotes: Vec<Footnote>,
    mode: Mode,
    section: Option<String>,
    last_para: u32,
    para: Option<usize>,
    item: Option<usize>,
    item_paren: bool,
    subitem: Option<usize>,
    step: Option<usize>,
    last_step: u32,
    steps_heading: bool,
    /// Index of the node the next unmarked block may continue.
    open: Option<usize>,
    /// The previous line was non-blank and belonged to `open` (or to a footnote).
    soft: Soft,
    text_count: u32,
    heading_count: u32,
    has_title: bool,
    /// Column of the current line's content (after indentation and a list bullet).
    col: usize,
    /// The numbering marker each line starts with, if any (index = line - 1): lets a block
    /// whose number was lost look ahead to its neighbours.
    markers: Vec<Option<Marker>>,
    /// What the patterns found at the start of each line (index = line - 1).
    starts: Vec<LineStart>,
    /// For each line index, the index of the first line at or after it that has a marker
    /// (`markers.len()` when none), so looking ahead costs nothing.
    next_marked: Vec<usize>,
    /// Lines of opening brackets alone, held for the next node ([`BracketLine`]).
    pending: Vec<(Cleaned, usize)>,
}

/// What the line patterns find at the start of a line (trimmed): read once per line, for the
/// look-ahead of [`Parser::markers`] and for the line itself.
#[derive(Debug, Default)]
struct LineStart {
    /// The line opens with a footnote mark ([`footnote_mark`]: the footnote's number and
    /// where its text starts), so it may define a footnote.
    footnote: Option<(Option<u32>, usize)>,
    /// Where the text after a list bullet starts, when the line has one.
    bullet: Option<usize>,
    /// `MARKER` matches after the bullet: the marker (`None` when its number does not
    /// parse) and where the text after it starts (bytes, in the trimmed line).
    marker: Option<(Option<Marker>, usize)>,
}

impl LineStart {
    /// The start of line `t`; `marker` is scratch for `MARKER`'s groups (from
    /// `MARKER.capture_locations()`, kept from one line to the next: a search for captures
    /// makes its own each time).
    fn of(t: &str, marker: &mut regex::CaptureLocations) -> LineStart {
        let bullet = BULLET.find(t).map(|m| m.end());
        let at = bullet.unwrap_or(0);
        let after = &t[at..];
        let found = MARKER.captures_read(marker, after).is_some();
        let marker = found.then(|| {
            // The groups by number (`MARKER_GROUPS`): a lookup by name hashes the name.
            let group = |i: usize| marker.get(i).map(|(s, e)| &after[s..e]);
            let rest = at + marker.get(0).map_or(0, |(_, e)| e);
            let value = if let Some(n) = group(1).or_else(|| group(2)) {
                n.parse().ok().map(Marker::Number)
            } else {
                let (value, paren) = match (group(3), group(4)) {
                    (Some(l), _) => (Some(l), true),
                    (None, l) => (l, false),
                };
                value.map(|l| Marker::Letter {
                    value: l.to_string(),
                    paren,
                })
            };
            (value, rest)
        });
        LineStart {
            footnote: footnote_mark(t),
            bullet,
            marker,
        }
    }

    /// The numbering marker the line starts with (after a list bullet), if any: none on a
    /// footnote definition or a `#` heading.
    fn marker(&self, t: &str) -> Option<Marker> {
        if self.footnote.is_some() || t.starts_with('#') {
            return None;
        }
        self.marker.as_ref().and_then(|(m, _)| m.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Soft {
    None,
    Node(usize),
    Footnote(usize),
    /// The previous line was the title (a title may wrap over several lines).
    Title(usize),
}

/// Parse draft text into the model, detecting its family. Never fails: text with no
/// recognisable numbering loads as unnumbered paragraphs.
pub fn parse(name: &str, path: &Path, text: &str) -> Draft {
    parse_as(name, path, text, None)
}

/// Parse draft text as the given family (detected from the text when `None`).
pub fn parse_as(name: &str, path: &Path, text: &str, family: Option<Family>) -> Draft {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let family = family.unwrap_or_else(|| detect(text));
    let (meta, skip) = match front_matter(text) {
        Some((m, n)) => (Some(m), n),
        None => (None, 0),
    };
    let mut draft = match family {
        Family::Report => parse_report(name, path, text, skip),
        Family::Treaty => treaty::parse(name, path, text, skip),
    };
    if let Some(m) = meta {
        draft.metadata.insert(0, m);
    }
    draft
}

fn parse_report(name: &str, path: &Path, text: &str, skip: usize) -> Draft {
    let mut p = Parser {
        nodes: Vec::new(),
        sections: Vec::new(),
        footnotes: Vec::new(),
        mode: Mode::Paragraphs,
        section: None,
        last_para: 0,
        para: None,
        item: None,
        item_paren: false,
        subitem: None,
        step: None,
        last_step: 0,
        steps_heading: false,
        open: None,
        soft: Soft::None,
        text_count: 0,
        heading_count: 0,
        has_title: false,
        col: 1,
        markers: Vec::new(),
        starts: Vec::new(),
        next_marked: Vec::new(),
        pending: Vec::new(),
    };
    // The lines are found once (each search for a line's end reads the whole line).
    let lines = lines_of(text);
    let mut groups = MARKER.capture_locations();
    p.starts = lines
        .iter()
        .map(|l| LineStart::of(l.trim(), &mut groups))
        .collect();
    p.markers = lines
        .iter()
        .zip(&p.starts)
        .map(|(l, start)| start.marker(l.trim()))
        .collect();
    // A line opens at most one node or footnote as a rule: room for them made once (grown
    // node by node, the nodes were copied six times over for a draft of a hundred).
    p.nodes.reserve(lines.len());
    p.footnotes
        .reserve(p.starts.iter().filter(|s| s.footnote.is_some()).count());
    p.next_marked = vec![p.markers.len(); p.markers.len() + 1];
    for i in (0..p.markers.len()).rev() {
        p.next_marked[i] = if p.markers[i].is_some() {
            i
        } else {
            p.next_marked[i + 1]
        };
    }
    for (i, raw) in lines.into_iter().enumerate().skip(skip) {
        p.line(i + 1, raw);
    }
    p.flush_pending();
    Draft {
        name: name.to_string(),
        path: PathBuf::from(path),
        family: Family::Report,
        sections: p.sections,
        nodes: p.nodes,
        footnotes: p.footnotes,
        metadata: Vec::new(),
    }
}

/// Every line break a draft may hold: `\r\n`, `\n`, a lone `\r` (old Mac files, some
/// converters), NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029, what
/// Word writes for a paragraph mark in some exports). Written as an alternation of literals,
/// with `\r\n` first so that it is one break, not two.
static LINE_BREAK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\r\n|\n|\r|\x{85}|\x{2028}|\x{2029}").expect("line break pattern is valid")
});

/// The lines of a text: what lies between its line breaks ([`LINE_BREAK`]). A text ending
/// with a break has no empty last line after it, as with [`str::lines`]. The parsers of both
/// families and the checks all read lines through this, so a line number means one thing.
pub fn lines_of(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = LINE_BREAK.split(text).collect();
    // The piece after the last break (empty when the text ends with one) is a line only when
    // it holds something.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    lines
}

pub(crate) fn starts_lowercase(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_lowercase())
        && !text.starts_with(['(', '"', '“'])
}

fn is_steps_heading(text: &str) -> bool {
    // Words, however spaced (a no-break space is kept in the text), in any case.
    let mut words = text.trim().trim_end_matches([':', '.']).split_whitespace();
    let is = |word: Option<&str>, want: &str| {
        word.is_some_and(|w| w.chars().flat_map(char::to_lowercase).eq(want.chars()))
    };
    let first = words.next();
    let next = if is(first, "recommended") {
        words.next()
    } else {
        first
    };
    is(next, "next") && is(words.next(), "steps") && words.next().is_none()
}

/// Whether the letters of a text (there must be some) are nearly all capitals.
fn uppercase_letters(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (all, upper) = letters.fold((0, 0), |(a, u), c| (a + 1, u + c.is_uppercase() as usize));
    all > 0 && upper * 10 >= all * 8
}

fn mostly_uppercase(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    letters.len() >= 12 && upper * 10 >= letters.len() * 8 && text.split_whitespace().count() >= 4
}

impl Parser {
    fn line(&mut self, lineno: usize, raw: &str) {
        let raw = raw.trim_end();
        let trimmed = raw.trim_start();
        self.col = raw[..raw.len() - trimmed.len()].chars().count() + 1;
        if trimmed.is_empty() {
            self.soft = Soft::None;
            return;
        }
        // Each line is read once, so its start is taken, not copied (read afresh for a line
        // the parser was not given at the start, so no marker or footnote is ever lost).
        let start = match self.starts.get_mut(lineno - 1) {
            Some(start) => std::mem::take(start),
            None => LineStart::of(trimmed, &mut MARKER.capture_locations()),
        };
        // Footnote definitions: `<sup>N</sup> text`, `⁴ text`, `[^4]: text`.
        if let Some((num, end)) = start.footnote {
            let rest = &trimmed[end..];
            if let Some(number) = num
                && let cl = clean(rest)
                && has_words(&cl.text)
            {
                self.footnotes.push(Footnote {
                    number,
                    citations: to_citations(&cl.cites),
                    text: cl.text,
                    line: lineno,
                });
                self.soft = Soft::Footnote(self.footnotes.len() - 1);
                return;
            }
        }
        if !trimmed.contains(char::is_alphanumeric) {
            if let Some(c) = bracket_only(trimmed) {
                self.bracket_line(lineno, c);
                return;
            }
            // A separator line (`\_`, `-`, `. . . . .`): layout, no words.
            self.soft = Soft::None;
            return;
        }
        // Long lines are body text: they are cleaned once, below, without the marker. Short
        // ones may be headings or markup-only leftovers, so they are cleaned whole first.
        let may_be_heading = trimmed.len() <= 200
            || trimmed.starts_with('#')
            || (self.sections.is_empty() && !self.has_title);
        let cleaned = may_be_heading.then(|| clean(trimmed));
        if let Some(c) = cleaned.as_ref().filter(|c| !has_words(&c.text)) {
            // A footnote mark alone on its line (a converter put the superscript there) cites
            // from the text before it; other markup with no words is layout.
            // (After a heading, the heading; with nothing before it, a text of its own.)
            if !c.cites.is_empty() {
                let c = c.clone();
                match self.open.or(self.nodes.len().checked_sub(1)) {
                    Some(before) => self.append(before, lineno, c),
                    None => self.push_text(lineno, c, None),
                }
                return;
            }
            self.soft = Soft::None;
            return;
        }
        // Soft-wrapped continuation of a footnote definition.
        if let Soft::Footnote(fi) = self.soft
            && start.bullet.is_none()
            && start.marker.is_none()
            && !trimmed.starts_with('#')
            && !cleaned
                .as_ref()
                .is_some_and(|c| self.strong_heading(&c.text))
        {
            let c = cleaned.unwrap_or_else(|| clean(trimmed));
            let f = &mut self.footnotes[fi];
            f.text.push(' ');
            let base = f.text.len();
            f.text.push_str(&c.text);
            f.citations.extend(c.cites.iter().map(|&(n, o)| Citation {
                footnote: n,
                offset: base + o,
            }));
            return;
        }
        if let Some(c) = &cleaned
            && self.heading(lineno, trimmed, c)
        {
            return;
        }
        // Strip a list bullet, then a numbering marker (both found by `LineStart`).
        let (dashed, body) = match start.bullet {
            Some(end) => (true, &trimmed[end..]),
            None => (false, trimmed),
        };
        self.col = raw[..raw.len() - body.len()].chars().count() + 1;
        if let Some((marker, rest)) = start.marker {
            let rest = &trimmed[rest..];
            if let Some(marker) = marker
                && self.valid_marker(&marker)
            {
                self.marked(lineno, marker, clean(rest));
                return;
            }
        }
        let cl = match cleaned {
            Some(c) if !dashed => c,
            _ => clean(body),
        };
        self.unmarked(lineno, dashed, cl);
    }

    fn valid_marker(&self, m: &Marker) -> bool {
        match m {
            Marker::Number(_) => true,
            Marker::Letter { value, .. } => value.len() == 1 || is_roman(value),
        }
    }

    /// Recognise a heading line. Returns true when the line was consumed.
    fn heading(&mut self, lineno: usize, trimmed: &str, cleaned: &Cleaned) -> bool {
        let hashed = trimmed.starts_with('#');
        let hashed_content = hashed.then(|| clean(trimmed.trim_start_matches('#').trim_start()));
        let text = hashed_content.as_ref().unwrap_or(cleaned).text.as_str();
        // The heading's content, copied only for a line that is one (most lines are not).
        let content =
            |hashed_content: Option<Cleaned>| hashed_content.unwrap_or_else(|| cleaned.clone());
        if is_steps_heading(text) {
            self.mode = Mode::Steps;
            self.last_step = 0;
            self.step = None;
            self.para = None;
            self.item = None;
            self.subitem = None;
            self.steps_heading = true;
            let label = match &self.section {
                Some(s) => format!("{s}.steps"),
                None => "steps".to_string(),
            };
            self.push_heading(lineno, label, content(hashed_content), None);
            return true;
        }
        if let Some((id, title)) = (text.len() <= 200).then(|| section_heading(text)).flatten() {
            let id = id.to_string();
            let title = title.trim().to_string();
            // A bare `C. Title` is a heading unless it reads as the wrapped line of a
            // sentence: on the line right after text that stopped mid-sentence (no blank line
            // between), with a letter that is not the next section's. A heading after a
            // blank line, or with the letter the sections run to, stands whatever the text
            // before it ends with (a full stop lost there must not take section C away).
            let wrapped = match self.soft {
                Soft::Node(o) => ends_mid_sentence(&self.nodes[o].text),
                Soft::Footnote(f) => ends_mid_sentence(&self.footnotes[f].text),
                Soft::Title(_) | Soft::None => false,
            };
            let bare_ok = !hashed
                && title.len() <= 120
                && title.split_whitespace().count() <= 14
                && !title.ends_with('.')
                && title.starts_with(|ch: char| ch.is_uppercase())
                && (!wrapped || self.is_next_section(&id));
            if hashed || bare_ok {
                self.start_section(lineno, id, title, content(hashed_content));
                return true;
            }
        }
        let before_sections = self.sections.is_empty();
        if before_sections && !self.has_title && (hashed || mostly_uppercase(text)) {
            self.has_title = true;
            self.push_heading(lineno, "title".to_string(), content(hashed_content), None);
            if let Some(n) = self.nodes.last_mut() {
                n.kind = NodeKind::Title;
            }
            self.soft = Soft::Title(self.nodes.len() - 1);
            return true;
        }
        // The title's next line, in capitals too: the title wrapped over two lines.
        if let Soft::Title(t) = self.soft
            && !hashed
            && uppercase_letters(text)
        {
            continue_node(&mut self.nodes[t], lineno, content(hashed_content));
            return true;
        }
        if hashed {
            self.heading_count += 1;
            let label = match &self.section {
                Some(s) => format!("{s}.heading.{}", self.heading_count),
                None => format!("heading.{}", self.heading_count),
            };
            self.push_heading(lineno, label, content(hashed_content), None);
            return true;
        }
        false
    }

    /// Whether `id` is the letter (or roman numeral) the sections run to next: `A` (or `I`)
    /// first, then the one after the last section's.
    fn is_next_section(&self, id: &str) -> bool {
        let Some(last) = self.sections.last() else {
            return id == "A" || id == "I";
        };
        let roman = |s: &str| crate::model::roman_value(&s.to_ascii_lowercase());
        match (last.id.as_bytes(), id.as_bytes()) {
            ([a], [b]) if a.is_ascii_uppercase() && *b == a + 1 => true,
            _ => roman(&last.id).is_some_and(|v| roman(id) == Some(v + 1)),
        }
    }

    /// A line that is a heading wherever it stands (so never the continuation of a footnote
    /// or of text): a steps heading, or a bare `C. Title` with the next section's letter.
    fn strong_heading(&self, text: &str) -> bool {
        is_steps_heading(text)
            || section_heading(text).is_some_and(|(id, title)| {
                self.is_next_section(id)
                    && title.len() <= 120
                    && !title.trim_end().ends_with('.')
                    && title.starts_with(|ch: char| ch.is_uppercase())
            })
    }

    fn start_section(&mut self, lineno: usize, id: String, title: String, content: Cleaned) {
        self.sections.push(Section {
            id: id.clone(),
            title: title.clone(),
            line: lineno,
        });
        self.section = Some(id.clone());
        self.mode = Mode::Paragraphs;
        self.para = None;
        self.item = None;
        self.subitem = None;
        self.step = None;
        self.steps_heading = false;
        self.text_count = 0;
        self.heading_count = 0;
        // The heading node holds the title; the id is its marker.
        let prefix = content.text.len() - title.len();
        let cites = content
            .cites
            .iter()
            .map(|&(n, o)| (n, o.saturating_sub(prefix)))
            .collect();
        self.push_heading(lineno, id.clone(), Cleaned { text: title, cites }, Some(id));
    }

    fn push_heading(&mut self, lineno: usize, label: String, c: Cleaned, marker: Option<String>) {
        let mut node = Node {
            marker,
            ..self.node(lineno, NodeKind::Heading, label, c)
        };
        prefix_node(&mut node, std::mem::take(&mut self.pending));
        self.nodes.push(node);
        self.open = None;
        self.soft = Soft::None;
    }

    /// A new node at the current place in the document.
    fn node(&self, lineno: usize, kind: NodeKind, label: String, c: Cleaned) -> Node {
        new_node(label, kind, self.section.clone(), c, lineno, self.col)
    }

    /// Add a body node; it becomes the node the next unmarked block may continue.
    fn push(&mut self, mut node: Node) -> usize {
        prefix_node(&mut node, std::mem::take(&mut self.pending));
        self.nodes.push(node);
        let idx = self.nodes.len() - 1;
        self.open = Some(idx);
        self.soft = Soft::Node(idx);
        idx
    }

    fn step_label(&self, n: u32) -> String {
        match &self.section {
            Some(s) => format!("{s}.steps.{n}"),
            None => format!("steps.{n}"),
        }
    }

    fn marked(&mut self, lineno: usize, marker: Marker, c: Cleaned) {
        match marker {
            Marker::Number(n) => {
                let as_step = self.mode == Mode::Steps
                    && (n == self.last_step + 1 || n != self.last_para + 1);
                if as_step {
                    self.last_step = n;
                    let label = self.step_label(n);
                    let idx = self.push(Node {
                        marker: Some(n.to_string()),
                        inferred: false,
                        parent: None,
                        ..self.node(lineno, NodeKind::Step, label, c)
                    });
                    self.step = Some(idx);
                    self.item = None;
                    self.subitem = None;
                } else {
                    self.mode = Mode::Paragraphs;
                    self.last_para = n;
                    let idx = self.push(Node {
                        marker: Some(n.to_string()),
                        inferred: false,
                        parent: None,
                        ..self.node(lineno, NodeKind::Paragraph, n.to_string(), c)
                    });
                    self.para = Some(idx);
                    self.item = None;
                    self.subitem = None;
                }
            }
            Marker::Letter { value, paren } => {
                let parent_para = if self.mode == Mode::Steps {
                    self.step
                } else {
                    self.para
                };
                let roman = self.is_subitem(&value, paren);
                if roman && let Some(item) = self.item {
                    let label = format!("{}({value})", self.nodes[item].label);
                    let idx = self.push(Node {
                        marker: Some(value),
                        inferred: false,
                        parent: Some(item),
                        ..self.node(lineno, NodeKind::Subitem, label, c)
                    });
                    self.subitem = Some(idx);
                } else if let Some(parent) = parent_para {
                    let label = format!("{}({value})", self.nodes[parent].label);
                    let idx = self.push(Node {
                        marker: Some(value),
                        inferred: false,
                        parent: Some(parent),
                        ..self.node(lineno, NodeKind::Item, label, c)
                    });
                    self.item = Some(idx);
                    self.item_paren = paren;
                    self.subitem = None;
                } else {
                    // A lettered block with no paragraph to hang on: unnumbered text that
                    // keeps its marker.
                    self.push_text(lineno, c, Some(value));
                }
            }
        }
    }

    /// Whether a letter marker is a roman sub-item of the current item rather than the next
    /// item (`(i)` after `h)` is the item i; `(i)` after `a)` is a sub-item).
    fn is_subitem(&self, value: &str, paren: bool) -> bool {
        let Some(item) = self.item else {
            return false;
        };
        if !is_roman(value) {
            return false;
        }
        let item_letter = self.nodes[item].marker.as_deref().unwrap_or("");
        let next_letter =
            letter_value(item_letter).is_some_and(|v| letter_value(value) == Some(v + 1));
        if next_letter && paren == self.item_paren {
            // `i)` after `h)`: the next item, unless a roman list is already running.
            return self.subitem.is_some_and(|s| {
                let prev = self.nodes[s].marker.as_deref().unwrap_or("");
                crate::model::roman_value(prev).map(|v| v + 1) == crate::model::roman_value(value)
            });
        }
        if value.len() == 1 && !paren && !self.item_paren && self.subitem.is_none() {
            // `v)` in an `a)`-style list with no roman list running: treat as roman only
            // when it starts one.
            return value == "i";
        }
        true
    }

    fn push_text(&mut self, lineno: usize, c: Cleaned, marker: Option<String>) {
        self.text_count += 1;
        let label = match &self.section {
            Some(s) => format!("{s}.text.{}", self.text_count),
            None => format!("text.{}", self.text_count),
        };
        self.push(Node {
            marker,
            inferred: false,
            parent: None,
            ..self.node(lineno, NodeKind::Text, label, c)
        });
    }

    fn unmarked(&mut self, lineno: usize, dashed: bool, c: Cleaned) {
        // Continuation: a soft-wrapped line, a block starting in lower case, or a block after a
        // node that stopped mid-sentence (page break, possibly with footnotes in between).
        if let Some(open) = self.open {
            let soft = self.soft == Soft::Node(open) && !dashed;
            // A short label-like line ("Annex A") does not swallow the next block.
            let prev = &self.nodes[open].text;
            let prev_open = ends_mid_sentence(prev) && prev.split_whitespace().count() > 6;
            if soft || starts_lowercase(&c.text) || (prev_open && !dashed) {
                self.append(open, lineno, c);
                return;
            }
        }
        if self.mode == Mode::Steps && self.steps_heading {
            let n = self.last_step + 1;
            self.last_step = n;
            let label = self.step_label(n);
            let idx = self.push(Node {
                marker: None,
                inferred: true,
                parent: None,
                ..self.node(lineno, NodeKind::Step, label, c)
            });
            self.step = Some(idx);
            self.item = None;
            self.subitem = None;
            return;
        }
        if dashed && self.mode == Mode::Paragraphs && self.last_para > 0 {
            // A list entry whose number was lost: an item when the next marker is the letter
            // after the missing one, else a paragraph when the numbering resumes after it.
            let next = self
                .next_marked
                .get(lineno)
                .and_then(|&i| self.markers.get(i))
                .cloned()
                .flatten();
            let item_letter = self
                .item
                .and_then(|i| self.nodes[i].marker.as_deref().and_then(letter_value));
            if let (Some(cur), Some(Marker::Letter { value, .. })) = (item_letter, &next)
                && letter_value(value) == Some(cur + 2)
                && let Some(parent) = self.nodes[self.item.unwrap_or(0)].parent
            {
                let letter = letter_of(cur + 1);
                let label = format!("{}({letter})", self.nodes[parent].label);
                let idx = self.push(Node {
                    marker: None,
                    inferred: true,
                    parent: Some(parent),
                    ..self.node(lineno, NodeKind::Item, label, c)
                });
                self.item = Some(idx);
                self.subitem = None;
                return;
            }
            let resumes = match &next {
                Some(Marker::Number(n)) => *n == self.last_para + 2,
                Some(Marker::Letter { value, .. }) => value == "a",
                None => true,
            };
            if resumes {
                let n = self.last_para + 1;
                self.last_para = n;
                let idx = self.push(Node {
                    marker: None,
                    inferred: true,
                    parent: None,
                    ..self.node(lineno, NodeKind::Paragraph, n.to_string(), c)
                });
                self.para = Some(idx);
                self.item = None;
                self.subitem = None;
                return;
            }
        }
        self.push_text(lineno, c, None);
    }

    fn append(&mut self, idx: usize, lineno: usize, c: Cleaned) {
        for (b, line) in std::mem::take(&mut self.pending) {
            continue_node(&mut self.nodes[idx], line, b);
        }
        continue_node(&mut self.nodes[idx], lineno, c);
        self.soft = Soft::Node(idx);
    }

    /// A line of brackets alone: the close of the node before, or held to open the next
    /// ([`BracketLine`]). Inside a footnote's block it is the footnote's.
    fn bracket_line(&mut self, lineno: usize, c: Cleaned) {
        if let Soft::Footnote(fi) = self.soft {
            let f = &mut self.footnotes[fi];
            f.text.push(' ');
            f.text.push_str(&c.text);
            return;
        }
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
        flush_brackets(
            self,
            pending,
            |p| &mut p.nodes,
            |p, c, line| {
                p.col = 1;
                p.push_text(line, c, None);
            },
        );
    }
}

/// Bracket lines still held at the end of a draft (`pending`) go to its last node, in order;
/// in a draft with no node yet, the first makes one (`make`) and the rest follow it. Shared by
/// the report and the treaty parser (`P`), which make a node each their own way.
pub(crate) fn flush_brackets<P>(
    parser: &mut P,
    pending: Vec<(Cleaned, usize)>,
    nodes: fn(&mut P) -> &mut Vec<Node>,
    make: fn(&mut P, Cleaned, usize),
) {
    let mut pending = pending.into_iter();
    if nodes(parser).is_empty() {
        let Some((c, line)) = pending.next() else {
            return;
        };
        make(parser, c, line);
    }
    if let Some(last) = nodes(parser).last_mut() {
        for (b, line) in pending {
            continue_node(last, line, b);
        }
    }
}

/// A node read from one source line: no marker, parent or continuation yet.
pub(crate) fn new_node(
    label: String,
    kind: NodeKind,
    section: Option<String>,
    c: Cleaned,
    line: usize,
    col: usize,
) -> Node {
    Node {
        label,
        kind,
        section,
        text: c.text,
        line,
        col,
        continued: Vec::new(),
        segments: vec![(0, line)],
        marker: None,
        inferred: false,
        parent: None,
        citations: to_citations(&c.cites),
    }
}

/// Continue a node with the text of a further source line (a page break, a wrapped line):
/// its citations keep their offsets, and the line is recorded.
pub(crate) fn continue_node(node: &mut Node, lineno: usize, c: Cleaned) {
    // A line with no text of its own (a footnote mark alone) adds its citations at the end.
    let base = if node.text.is_empty() || c.text.is_empty() {
        node.text.len()
    } else {
        node.text.push(' ');
        node.text.len()
    };
    node.text.push_str(&c.text);
    node.citations
        .extend(c.cites.iter().map(|&(n, o)| Citation {
            footnote: n,
            offset: base + o,
        }));
    if node.line != lineno && !node.continued.contains(&lineno) {
        node.continued.push(lineno);
        node.segments.push((base, lineno));
    }
}

/// The text of a line that holds only square brackets (`]`, `[`, `[[`, `[...]`, `[ ]`,
/// `[…]`, also after a list bullet), cleaned of markup: not layout but negotiated text
/// (deleting such a line drops or agrees brackets), so it joins a neighbouring node
/// ([`BracketLine`]).
pub(crate) fn bracket_only(trimmed: &str) -> Option<Cleaned> {
    if !trimmed.contains(['[', ']']) {
        return None;
    }
    // A list bullet before the brackets (`- ]`) is layout, as before any text.
    let body = BULLET
        .find(trimmed)
        .map_or(trimmed, |m| &trimmed[m.end()..]);
    let c = clean(body);
    let only = c.text.contains(['[', ']'])
        && c.cites.is_empty()
        && c.text
            .chars()
            .all(|ch| matches!(ch, '[' | ']' | '.' | '…') || ch.is_whitespace());
    only.then_some(c)
}

/// Where a line of brackets alone goes. A line that holds a closing bracket (`]`, `]]`,
/// `[...]`, `[ ]`) ends the text before it: it is the close of a bracket opened in the
/// paragraph above (the usual case: the converter put the bracket that closes a bracketed
/// paragraph on a line of its own), or a placeholder standing where it stands, after that
/// paragraph. A line of opening brackets only (`[`, `[[`) opens what follows: it is held and
/// put before the text of the next node (or of the next line the open node continues on).
/// With no node before it, a closing line is held for the next node too; with no node after
/// it, a held opening goes to the last node (or becomes text of its own).
pub(crate) enum BracketLine {
    /// Append to the node before.
    Close,
    /// Hold for the next node.
    Open,
}

impl BracketLine {
    pub(crate) fn of(c: &Cleaned) -> BracketLine {
        if c.text.contains(']') {
            BracketLine::Close
        } else {
            BracketLine::Open
        }
    }
}

/// Put held bracket lines (`pending`, with their lines) before the text of a new node.
pub(crate) fn prefix_node(node: &mut Node, pending: Vec<(Cleaned, usize)>) {
    if pending.is_empty() {
        return;
    }
    let mut head = Node {
        text: String::new(),
        citations: Vec::new(),
        continued: Vec::new(),
        segments: Vec::new(),
        ..node.clone()
    };
    let first_line = pending[0].1;
    head.line = first_line;
    for (c, line) in pending {
        continue_node(&mut head, line, c);
    }
    head.segments.insert(0, (0, first_line));
    head.segments.dedup();
    let shift = if node.text.is_empty() {
        head.text.len()
    } else {
        head.text.len() + 1
    };
    if !node.text.is_empty() {
        head.text.push(' ');
    }
    head.text.push_str(&node.text);
    for c in &mut node.citations {
        c.offset += shift;
    }
    for (o, l) in &node.segments {
        head.segments.push((o + shift, *l));
    }
    // The node keeps its own line (its number is there); the bracket lines are further lines.
    let mut continued: Vec<usize> = head
        .segments
        .iter()
        .map(|&(_, l)| l)
        .filter(|&l| l != node.line)
        .collect();
    continued.extend(node.continued.iter().copied());
    continued.sort_unstable();
    continued.dedup();
    node.text = head.text;
    node.segments = head.segments;
    node.continued = continued;
}

pub(crate) fn to_citations(cites: &[(u32, usize)]) -> Vec<Citation> {
    cites
        .iter()
        .map(|&(footnote, offset)| Citation { footnote, offset })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Draft {
        parse("t", Path::new("t.md"), text)
    }

    /// Lines as the standard library cuts them once every line break is written `\n`.
    fn reference_lines(t: &str) -> Vec<String> {
        t.replace("\r\n", "\n")
            .replace(['\r', '\u{85}', '\u{2028}', '\u{2029}'], "\n")
            .lines()
            .map(String::from)
            .collect()
    }

    #[test]
    fn lines_are_cut_at_every_line_break() {
        for (t, want) in [
            ("", vec![]),
            ("\n", vec![""]),
            ("a", vec!["a"]),
            ("a\nb", vec!["a", "b"]),
            ("a\r\nb\r\n", vec!["a", "b"]),
            ("a\r", vec!["a"]),
            ("a\rb\rc", vec!["a", "b", "c"]),
            ("a\r\rb", vec!["a", "", "b"]),
            ("a\n\rb", vec!["a", "", "b"]),
            ("a\u{2028}b\u{2029}c\u{85}d", vec!["a", "b", "c", "d"]),
            ("é\u{a0}\u{2027}\u{202f}ü", vec!["é\u{a0}\u{2027}\u{202f}ü"]),
        ] {
            assert_eq!(lines_of(t), want, "{t:?}");
            assert_eq!(reference_lines(t), want, "{t:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_of_any_text_are_cut_at_its_breaks(
            t in "[a\r\n é\u{85}\u{a0}\u{2028}\u{2029}\u{2027}\u{80}…]{0,24}"
        ) {
            proptest::prop_assert_eq!(lines_of(&t), reference_lines(&t));
        }
    }

    #[test]
    fn steps_headings_in_any_case_and_spacing() {
        for t in [
            "Recommended next steps",
            "RECOMMENDED NEXT STEPS:",
            "  recommended \u{a0}next   steps.",
            "Next steps",
            "next steps:.",
        ] {
            assert!(is_steps_heading(t), "{t:?}");
        }
        for t in [
            "",
            "Recommended",
            "Recommended steps",
            "Next steps to take",
            "Recommended next steps and more",
            "Further recommended next steps",
            "Nextsteps",
        ] {
            assert!(!is_steps_heading(t), "{t:?}");
        }
    }

    #[test]
    fn the_marker_groups_are_where_they_are_read() {
        let names: Vec<_> = MARKER.capture_names().skip(1).collect();
        assert_eq!(names, MARKER_GROUPS.map(Some));
    }

    /// The groups `MARKER` captures on a line, by number.
    fn marker_groups(t: &str) -> Option<Vec<Option<&str>>> {
        MARKER
            .captures(t)
            .map(|c| c.iter().skip(1).map(|m| m.map(|m| m.as_str())).collect())
    }

    #[test]
    fn footnote_marks_give_the_number_and_where_the_text_starts() {
        for (t, want) in [
            ("<sup>1</sup> A note.", Some((Some(1), 13))),
            ("<sup>&</sup>lt;sup>2</sup> A note.", Some((Some(2), 27))),
            ("<sup>\u{a0}7\u{a0}</sup>\u{a0}Note.", Some((Some(7), 18))),
            ("[^12]:\tNote.", Some((Some(12), 7))),
            ("¹ A note.", Some((Some(1), 3))),
            ("¹\u{a0}\u{a0}A note.", Some((Some(1), 6))),
            ("⁴⁵ A note.", Some((Some(45), 7))),
            ("⁴⁵", Some((Some(45), 6))),
            ("<sup>12345678</sup> too long", None),
            ("A note¹.", None),
            ("[4] A note.", None),
        ] {
            assert_eq!(footnote_mark(t), want, "{t:?}");
        }
    }

    #[test]
    fn section_headings_give_the_id_and_the_title() {
        for (t, want) in [
            ("C. Title", Some(("C", "Title"))),
            ("C.\u{a0}Title", Some(("C", "Title"))),
            ("V.\t\u{a0} Title", Some(("V", "Title"))),
            ("XVIII. Title", Some(("XVIII", "Title"))),
            ("C. ", None),
            ("C.\u{a0}", None),
            ("IV.  Two\nlines", None),
            ("CD. Title", None),
            ("c. Title", None),
            ("C.Title", None),
        ] {
            assert_eq!(section_heading(t), want, "{t:?}");
        }
    }

    #[test]
    fn bullets_end_after_their_blanks() {
        for (t, want) in [
            ("- item", Some(2)),
            ("* item", Some(2)),
            ("+ item", Some(2)),
            ("•  item", Some(5)),
            ("–\u{a0}item", Some(5)),
            ("-", Some(1)),
            ("-\u{a0}", Some(3)),
            ("-item", None),
            ("** bold", None),
            ("item", None),
        ] {
            assert_eq!(BULLET.find(t).map(|m| m.end()), want, "{t:?}");
        }
    }

    #[test]
    fn markers_are_read_in_each_form() {
        let groups = |bn, n, pl, l| Some(vec![bn, n, pl, l]);
        for (t, want) in [
            ("**14.** text", groups(Some("14"), None, None, None)),
            ("14. text", groups(None, Some("14"), None, None)),
            ("14.\u{a0}text", groups(None, Some("14"), None, None)),
            ("(viii) text", groups(None, None, Some("viii"), None)),
            ("(a)\u{a0}", groups(None, None, Some("a"), None)),
            ("abcdef) text", groups(None, None, None, Some("abcdef"))),
            ("a)", groups(None, None, None, Some("a"))),
            ("abcdefg) text", None),
            ("14.text", None),
            ("1234567. text", None),
            ("(A) text", None),
            ("States agreed", None),
        ] {
            assert_eq!(marker_groups(t), want, "{t:?}");
        }
    }

    #[test]
    fn paragraph_continues_after_footnote_block() {
        let d = p(
            "#### A. Intro\n\n- 1. The text stops\n\n<sup>1</sup> A note.\n\nand goes on.<sup>1</sup>\n",
        );
        let n = &d.nodes[d.find("1").unwrap()];
        assert_eq!(n.text, "The text stops and goes on.");
        assert_eq!(n.citations[0].offset, n.text.len());
        assert_eq!(d.footnotes.len(), 1);
    }

    #[test]
    fn no_break_spaces_change_no_structure() {
        let d = p(
            "#### A.\u{a0}Intro\n\n1.\u{a0}Some text of\u{a0}the draft.\n\nRecommended\u{a0}next steps\n\n- A step.\n",
        );
        assert_eq!(d.sections[0].title, "Intro");
        assert_eq!(
            d.nodes[d.find("1").unwrap()].text,
            "Some text of\u{a0}the draft."
        );
        assert!(d.find("A.steps.1").is_some());
    }

    #[test]
    fn roman_after_h_is_letter() {
        let d = p(
            "1. Para:\n\na) one\n\nb) two\n\nc) c\n\nd) d\n\ne) e\n\nf) f\n\ng) g\n\nh) h\n\ni) the ninth\n",
        );
        assert!(d.find("1(i)").is_some());
        assert_eq!(d.nodes[d.find("1(i)").unwrap()].kind, NodeKind::Item);
    }

    #[test]
    fn families_detected() {
        assert_eq!(
            detect("#### A. Intro\n\n1. States agreed.\n"),
            Family::Report
        );
        assert_eq!(
            detect("## Article 3 *(mitigation)*\n\n1. Parties aim.\n"),
            Family::Treaty
        );
        assert_eq!(detect("## [Article 3bis]\n"), Family::Treaty);
        assert_eq!(detect("## Preamble\n\nThe Parties,\n"), Family::Treaty);
        assert_eq!(
            detect("**Article 1**\n\nText.\n\n**Article 2**\n"),
            Family::Treaty
        );
        // One line about an article is no treaty.
        assert_eq!(
            detect("1. See\nArticle 4\nof the Convention.\n"),
            Family::Report
        );
        let d = parse_as(
            "t",
            Path::new("t.md"),
            "## Article 1\n\n1. Text.\n",
            Some(Family::Report),
        );
        assert_eq!(d.family, Family::Report);
        assert!(d.nodes.iter().all(|n| !n.label.starts_with("Art.")));
    }

    #[test]
    fn front_matter_is_metadata_in_reports_too() {
        let d = p("---\ntitle: Zero draft\n---\n\n#### A. Intro\n\n1. States agreed.\n");
        assert_eq!(d.metadata.len(), 1);
        assert_eq!(d.metadata[0].text, "title: Zero draft");
        assert_eq!(d.nodes[d.find("1").unwrap()].line, 7);
        assert!(d.nodes.iter().all(|n| !n.text.contains("Zero draft")));
    }

    fn decoded(bytes: &[u8]) -> Result<String, String> {
        decode_text(Path::new("d.md"), bytes.to_vec()).map_err(|e| e.to_string())
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let text = "A. Intro\r\n\r\n1. États’ “text” ⁴.\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decoded(&le).unwrap(), text);
        assert_eq!(decoded(&be).unwrap(), text);
        let bom8 = format!("\u{feff}{text}");
        assert_eq!(decoded(bom8.as_bytes()).unwrap(), bom8);
        let e = decoded(&le[..le.len() - 1]).unwrap_err();
        assert!(e.contains("UTF-16 LE") && e.contains("odd number"), "{e}");
        let e = decoded(&[0xFE, 0xFF, 0, b'A', 0, b'\n', 0xDC, 0x00]).unwrap_err();
        assert!(
            e.contains("unpaired surrogate") && e.contains("line 2"),
            "{e}"
        );
    }

    #[test]
    fn other_encodings_and_formats_are_named() {
        let e = decoded(b"A. Intro\n\n1. Caf\xe9 text\n").unwrap_err();
        assert!(
            e.contains("looks like Latin-1/Windows-1252 (byte 0xE9 at offset 16, line 3)"),
            "{e}"
        );
        let e = decoded(b"1. \x93Text\x94\n").unwrap_err();
        assert!(e.contains("Windows-1252 (\"ANSI\")"), "{e}");
        let e = decoded(
            "1. États\n2. "
                .bytes()
                .chain([0xff])
                .collect::<Vec<_>>()
                .as_slice(),
        )
        .unwrap_err();
        assert!(e.contains("mostly UTF-8") && e.contains("line 2"), "{e}");
        for (bytes, what) in [
            (
                &b"%PDF-1.4 ..."[..],
                "a PDF file; PDF input is not read yet",
            ),
            (
                b"PK\x03\x04....word/document.xml",
                "a Word document (.docx)",
            ),
            (b"\xFF\xFE\x00\x00A\x00\x00\x00", "UTF-32 text"),
            (b"\x1F\x8B\x08\x00", "a gzip archive"),
        ] {
            let e = decoded(bytes).unwrap_err();
            assert!(e.contains(what), "{e}");
        }
        let e = decoded(b"A\x00.\x00 \x00I\x00n\x00t\x00r\x00o\x00").unwrap_err();
        assert!(e.contains("UTF-16 text without a byte order mark"), "{e}");
        let e = decoded(b"text\x00\x01\x02\x03\x04\x05").unwrap_err();
        assert!(e.contains("binary data (NUL byte at offset 4)"), "{e}");
    }

    #[test]
    fn front_matter_only_when_every_line_is_yaml() {
        for yaml in [
            "---\ntitle: Zero draft\n---\n",
            "---\ntitle: Zero draft\n...\n",
            "---\n# a comment\ntitle: \"Zero: draft\"\nauthors:\n  - Chair\n- Secretariat\n---\n",
            "---\nsummary: |\n  1. not a paragraph\n  ## not a heading\nnext: value\n---\n",
            "---\nparent:\n  child: value\n  other: value\ndate: 2022-06-01\n\n---\n",
        ] {
            assert!(front_matter(yaml).is_some(), "{yaml:?}");
        }
        for text in [
            "---\n## A. Introduction\n---\n",
            "---\ntitle: Zero draft\n## A. Introduction\n---\n",
            "---\ntitle: Zero draft\n1. States agreed.\n---\n",
            "---\ntitle: Zero draft\nA. Introduction\n---\n",
            "---\nitems:\n- 1. States agreed.\n---\n",
            "---\n# A. Introduction\ntitle: x\n---\n",
            "---\nStates agreed on the text.\n---\n",
            "---\nOption 1: States shall act.\nOption 2: States should act.\n---\n",
            "---\n\n---\n",
            "---\ntitle: never closed\n",
        ] {
            assert!(front_matter(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn a_footnote_mark_alone_on_its_line_cites_from_the_text_before() {
        let d = p("A. Intro\n\n1. States agreed.\n<sup>1</sup>\n\n<sup>1</sup> A note.\n");
        let n = &d.nodes[d.find("1").unwrap()];
        assert_eq!(n.text, "States agreed.");
        assert_eq!(n.footnotes(), [1]);
        assert_eq!(d.footnotes.len(), 1);
    }

    #[test]
    fn a_line_of_brackets_joins_a_neighbour() {
        let d = p("A. Intro\n\n1. [States agreed\n\n]\n\n[\n\n2. More.\n\n[...]\n");
        let text = |l: &str| d.nodes[d.find(l).unwrap()].text.clone();
        assert_eq!(text("1"), "[States agreed ]");
        assert_eq!(text("2"), "[ More. [...]");
        let two = &d.nodes[d.find("2").unwrap()];
        assert_eq!((two.line, two.line_of(0), two.line_of(3)), (9, 7, 9));
        assert_eq!(p("]\n").nodes[0].text, "]");
    }

    #[test]
    fn a_section_heading_after_text_cut_mid_sentence() {
        // After a blank line, or with the next section's letter, a heading stands.
        let d = p("A. Intro\n\n1. States agreed on the text of\n\nB. Threats\n\n2. More.\n");
        assert!(d.sections.iter().any(|s| s.id == "B"));
        let d = p("A. Intro\n\n1. States agreed on the text of\nB. Threats\n");
        assert!(d.sections.iter().any(|s| s.id == "B"));
        // On the line right after, with a letter out of sequence: the wrapped sentence.
        let d = p("A. Intro\n\n1. States agreed on the text of\nE. Jones and others\n");
        assert_eq!(d.sections.len(), 1);
        assert!(
            d.nodes[d.find("1").unwrap()]
                .text
                .ends_with("E. Jones and others")
        );
        // Bold, hashed or a steps heading: the same.
        for heading in [
            "**B.** Threats",
            "**B. Threats**",
            "## Threats",
            "Recommended next steps",
        ] {
            let d = p(&format!(
                "A. Intro\n\n1. States agreed on the text of\n\n{heading}\n\n2. More.\n"
            ));
            assert_eq!(
                d.nodes[d.find("1").unwrap()].text,
                "States agreed on the text of"
            );
            assert!(
                d.nodes
                    .iter()
                    .any(|n| n.kind == NodeKind::Heading && n.line == 5),
                "{heading}"
            );
        }
        // Never swallowed into a footnote before it.
        let d =
            p("A. Intro\n\n1. Text.\u{b9}\n\u{b9} A note\nB. Threats\nRecommended next steps\n");
        assert_eq!(d.footnotes[0].text, "A note");
        assert!(d.find("B.steps").is_some());
    }

    #[test]
    fn subitems_under_items() {
        let d = p("3. Para:\n\n  - a) Item:\n    - (i) One;\n    - (ii) Two.\n  - b) Next.\n");
        assert_eq!(d.nodes[d.find("3(a)(ii)").unwrap()].kind, NodeKind::Subitem);
        assert_eq!(d.nodes[d.find("3(b)").unwrap()].kind, NodeKind::Item);
    }
}
