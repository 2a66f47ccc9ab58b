//! Inline clean-up of one line of converted text: footnote marks in their many spellings
//! (`<sup>4</sup>`, `<sup>&</sup>lt;sup>4</sup>`, `⁴`, `[^4]`) become citations, formatting
//! markup (`**`, `*`, `<u>`, HTML entities, Markdown escapes) is dropped, whitespace collapses.
//! A no-break space is typography, not layout: it is kept, so that the redline can report it.

/// A line's text after clean-up, and the footnotes it cites with their byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    pub cites: Vec<(u32, usize)>,
}

/// Value of a run of Unicode superscript digits.
pub fn superscript_value(s: &str) -> Option<u32> {
    let mut v: u32 = 0;
    for c in s.chars() {
        v = v.checked_mul(10)?.checked_add(superscript_digit(c)?)?;
    }
    Some(v)
}

/// The Unicode superscript digits, ⁰ to ⁹.
const SUPERSCRIPT_DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// The value of one Unicode superscript digit.
pub(crate) fn superscript_digit(c: char) -> Option<u32> {
    SUPERSCRIPT_DIGITS
        .iter()
        .position(|&d| d == c)
        .map(|d| d as u32)
}

/// A number in Unicode superscript digits (`13` -> `¹³`), as footnote marks are written.
pub fn to_superscript(n: u32) -> String {
    n.to_string()
        .bytes()
        .map(|b| SUPERSCRIPT_DIGITS[(b - b'0') as usize])
        .collect()
}

/// A no-break space (U+00A0, U+202F, U+2007): kept as text where other whitespace collapses,
/// so that a no-break space against a space is a (typographic) change.
pub fn is_no_break_space(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// Whitespace that is layout: spaces, tabs, line breaks, but no no-break space.
fn is_layout_space(c: char) -> bool {
    c.is_whitespace() && !is_no_break_space(c)
}

/// Whether the only whitespace in `s` is single plain spaces.
fn single_spaced(s: &str) -> bool {
    !s.contains("  ") && !s.contains(|c: char| c != ' ' && c.is_whitespace())
}

struct Builder {
    out: String,
    cites: Vec<(u32, usize)>,
}

impl Builder {
    fn push_str(&mut self, s: &str) {
        // Copy runs of non-space text whole; collapse each run of whitespace to one space.
        if single_spaced(s) {
            // Single plain spaces only (most lines): copy, dropping a space the text
            // already ends with and a leading space at the very start.
            let s = if self.out.is_empty() || self.out.ends_with(' ') {
                s.strip_prefix(' ').unwrap_or(s)
            } else {
                s
            };
            self.out.push_str(s);
            return;
        }
        let mut first = true;
        for word in s.split(is_layout_space) {
            if !first && !self.out.is_empty() && !self.out.ends_with(' ') {
                self.out.push(' ');
            }
            first = false;
            self.out.push_str(word);
        }
    }

    fn cite(&mut self, n: u32) {
        let at = self.out.trim_end().len();
        self.cites.push((n, at));
    }

    fn finish(mut self) -> Cleaned {
        // No-break spaces at either end are layout (a line's edge), like any other space.
        let len = self.out.trim_end().len();
        self.out.truncate(len);
        let lead = self.out.len() - self.out.trim_start().len();
        self.out.drain(..lead);
        let len = self.out.len();
        for c in &mut self.cites {
            c.1 = c.1.saturating_sub(lead).min(len);
        }
        Cleaned {
            text: self.out,
            cites: self.cites,
        }
    }
}

/// Whether a byte is ASCII that cannot start markup.
fn ordinary(c: u8) -> bool {
    c.is_ascii() && !matches!(c, b'<' | b'&' | b'\\' | b'*' | b'[')
}

/// Clean one piece of raw text.
pub fn clean(raw: &str) -> Cleaned {
    let mut b = Builder {
        out: String::with_capacity(raw.len()),
        cites: Vec::new(),
    };
    let mut i = 0;
    let mut plain = 0; // start of the pending run of ordinary text
    let bytes = raw.as_bytes();
    while i < raw.len() {
        // Ordinary ASCII text cannot start markup: skip it a byte at a time.
        if ordinary(bytes[i]) {
            i += 1;
            continue;
        }
        let rest = &raw[i..];
        let Some(c) = rest.chars().next() else { break };
        let step = markup(rest);
        if let Some((len, what)) = step {
            b.push_str(&raw[plain..i]);
            match what {
                Piece::Cite(n) => b.cite(n),
                Piece::Text(t) => b.push_str(&t),
                Piece::Drop => {}
            }
            i += len;
            plain = i;
        } else {
            i += c.len_utf8();
        }
    }
    b.push_str(&raw[plain..]);
    b.finish()
}

/// What a piece of markup stands for.
enum Piece {
    Cite(u32),
    Text(String),
    Drop,
}

/// Digits (1 to 4) at the start of `s`, with surrounding spaces and a closing `end`.
fn number_then(s: &str, end: &str) -> Option<(u32, usize)> {
    let t = s.trim_start_matches([' ', '\t']);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let after = t[digits..].trim_start_matches([' ', '\t']);
    let rest = after.strip_prefix(end)?;
    Some((t[..digits].parse().ok()?, s.len() - rest.len()))
}

/// The markup starting `s`, if any: its length and what it stands for. Footnote marks
/// (`<sup>4</sup>`, `<sup>&</sup>lt;sup>4</sup>`, `⁴`, `[^4]`) become citations; other
/// `<sup>` text stays; tags, emphasis markers and escapes are layout; entities decode.
fn markup(s: &str) -> Option<(usize, Piece)> {
    const JUNK: &str = "<sup>&</sup>lt;sup>";
    let first = s.as_bytes()[0];
    match first {
        b'<' => {
            if let Some(r) = s.strip_prefix(JUNK)
                && let Some((n, len)) = number_then(r, "</sup>")
            {
                return Some((JUNK.len() + len, Piece::Cite(n)));
            }
            if let Some(r) = s.strip_prefix("<sup>") {
                if let Some((n, len)) = number_then(r, "</sup>") {
                    return Some((5 + len, Piece::Cite(n)));
                }
                if let Some(end) = r.find("</sup>")
                    && !r[..end].contains('<')
                {
                    return Some((5 + end + 6, Piece::Text(r[..end].to_string())));
                }
            }
            // A tag: </?name attrs-free/>
            let body = s[1..].strip_prefix('/').unwrap_or(&s[1..]);
            let name = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
            if name == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
                return None;
            }
            let tail = body[name..].trim_start_matches([' ', '\t']);
            let tail = tail.strip_prefix('/').unwrap_or(tail);
            let tail = tail.strip_prefix('>')?;
            Some((s.len() - tail.len(), Piece::Drop))
        }
        b'[' => {
            let (n, len) = number_then(s.strip_prefix("[^")?, "]")?;
            // `[^4]:` at the start of a line is a definition, handled by the parser.
            Some((2 + len, Piece::Cite(n)))
        }
        b'&' => {
            let end = s[1..].find(';')? + 1;
            let name = &s[1..end];
            let text = match name {
                "lt" => "<".to_string(),
                "gt" => ">".to_string(),
                "amp" => "&".to_string(),
                "quot" => "\"".to_string(),
                "apos" => "'".to_string(),
                "nbsp" => "\u{a0}".to_string(),
                _ => {
                    let d = name.strip_prefix('#')?;
                    if d.is_empty() || d.len() > 6 || !d.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    d.parse::<u32>()
                        .ok()
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default()
                }
            };
            Some((end + 1, Piece::Text(text)))
        }
        b'\\' => {
            let c = s[1..].chars().next()?;
            "\\`*_{}[]()#+-.!<>|~"
                .contains(c)
                .then(|| (1 + c.len_utf8(), Piece::Text(c.to_string())))
        }
        b'*' => Some((s.bytes().take_while(|&b| b == b'*').count(), Piece::Drop)),
        // Superscript digits are never ASCII.
        b if b < 0x80 => None,
        _ => {
            let len: usize = s
                .chars()
                .take_while(|&c| superscript_digit(c).is_some())
                .map(char::len_utf8)
                .sum();
            if len == 0 {
                return None;
            }
            superscript_value(&s[..len]).map(|n| (len, Piece::Cite(n)))
        }
    }
}

/// Whether the cleaned text holds any word (letter or digit).
pub fn has_words(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superscript_numbers_round_trip() {
        assert_eq!(to_superscript(1304), "¹³⁰⁴");
        for n in [0, 7, 10, 99, 2025, 987_654] {
            assert_eq!(superscript_value(&to_superscript(n)), Some(n));
        }
    }

    #[test]
    fn sup_and_escaped_sup() {
        let c = clean("security<sup>1</sup> and GGEs.<sup>2</sup>");
        assert_eq!(c.text, "security and GGEs.");
        assert_eq!(c.cites, vec![(1, 8), (2, 18)]);
        let c = clean("<sup>&</sup>lt;sup>5</sup> Report");
        assert_eq!(c.text, "Report");
        assert_eq!(c.cites, vec![(5, 0)]);
    }

    #[test]
    fn unicode_superscripts_glued_to_punctuation() {
        let c = clean("environment\".⁴ These ICTs⁵ providing discussions. ⁶ The");
        assert_eq!(
            c.text,
            "environment\". These ICTs providing discussions. The"
        );
        assert_eq!(c.cites[0], (4, 13));
        assert_eq!(c.cites[1].0, 5);
        assert_eq!(&c.text[..c.cites[1].1], "environment\". These ICTs");
        assert_eq!(
            &c.text[..c.cites[2].1],
            "environment\". These ICTs providing discussions."
        );
    }

    #[test]
    fn non_numeric_sup_is_text() {
        assert_eq!(
            clean("THE 77<sup>TH</sup> SESSION").text,
            "THE 77TH SESSION"
        );
    }

    #[test]
    fn no_break_spaces_are_kept_other_whitespace_collapses() {
        let c = clean("para\u{a0}7 and\t\tpara 8<sup>1</sup>\u{a0}");
        assert_eq!(c.text, "para\u{a0}7 and para 8");
        assert_eq!(c.cites, vec![(1, c.text.len())]);
        assert_eq!(
            clean("&nbsp;States &nbsp; agreed").text,
            "States \u{a0} agreed"
        );
        assert_eq!(clean("\u{a0}<u>text</u>").text, "text");
    }

    #[test]
    fn markup_dropped() {
        assert_eq!(
            clean("**B.** on *inter alia* &amp; <u>Rev. 2</u> \\_").text,
            "B. on inter alia & Rev. 2 _"
        );
    }
}
