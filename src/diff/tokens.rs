//! Tokens of a redline: words, punctuation (each mark its own token), spaces and footnote
//! citations. Words keep their inner joiners (`A/75/816`, `non-binding`, `Chair's`, `1,000`).

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Word,
    Punct,
    Space,
    /// A footnote citation; its text is empty.
    Cite,
}

/// A token of a node's text (32 bytes: a redline holds one per word, space and mark).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: Kind,
    /// For a citation: its comparison key and footnote number (zero for other tokens).
    pub cite: CiteKey,
}

/// How a citation compares: reconciled footnotes share a key, so renumbering is no change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CiteKey {
    pub key: u32,
    /// The footnote's number in the draft the citation is in.
    pub number: u32,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '/' | '.' | ',' | '‐' | '_')
}

/// Split text into words, punctuation marks and runs of whitespace. Concatenating the tokens
/// gives the text back.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(text.len() / 3);
    out.extend(Tokens::new(text));
    out
}

/// The tokens of a text, one at a time (what [`tokenize`] collects).
pub struct Tokens<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Tokens { text, i: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let (text, start) = (self.text, self.i);
        if start >= text.len() {
            return None;
        }
        let (kind, end) = general_token(text, start);
        self.i = end;
        Some(Token {
            kind,
            text: &text[start..end],
            cite: CiteKey::default(),
        })
    }
}

/// The token at byte `i`: its kind and end.
fn general_token(text: &str, mut i: usize) -> (Kind, usize) {
    let c = char_at(text, i);
    i += c.len_utf8();
    let kind = if c.is_whitespace() {
        while i < text.len() {
            let n = char_at(text, i);
            if !n.is_whitespace() {
                break;
            }
            i += n.len_utf8();
        }
        Kind::Space
    } else if c.is_alphanumeric() {
        let mut prev = c;
        let bytes = text.as_bytes();
        while i < text.len() {
            // Plain ASCII letters and digits, a byte at a time.
            if bytes[i].is_ascii_alphanumeric() {
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                prev = bytes[i - 1] as char;
                continue;
            }
            let n = char_at(text, i);
            if n.is_alphanumeric() {
                prev = n;
                i += n.len_utf8();
                continue;
            }
            if !(is_joiner(n) && prev.is_alphanumeric()) {
                break;
            }
            // A joiner continues the word only between two word characters; `,` and `.`
            // only between digits (1,000 and 3.5) or in abbreviations (e.g).
            let after_at = i + n.len_utf8();
            let ok = after_at < text.len() && {
                let a = char_at(text, after_at);
                a.is_alphanumeric()
                    && (!matches!(n, ',' | '.')
                        || (prev.is_ascii_digit() && a.is_ascii_digit())
                        || (n == '.'
                            && prev.is_alphabetic()
                            && a.is_alphabetic()
                            && is_abbrev_dot(text, i)))
            };
            if !ok {
                break;
            }
            prev = n;
            i = after_at;
        }
        Kind::Word
    } else {
        Kind::Punct
    };
    (kind, i)
}

/// The words of a text, one at a time: the [`Kind::Word`] tokens of [`Tokens`], found
/// without building the tokens in between.
pub struct Words<'a> {
    text: &'a str,
    i: usize,
}

impl<'a> Words<'a> {
    pub fn new(text: &'a str) -> Self {
        Words { text, i: 0 }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (text, b) = (self.text, self.text.as_bytes());
        let mut i = self.i;
        // A word starts at any letter or digit that no earlier word took (spaces and marks
        // never start or continue one).
        while i < b.len() {
            if b[i] < 0x80 {
                if b[i].is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let c = char_at(text, i);
                if c.is_alphanumeric() {
                    break;
                }
                i += c.len_utf8();
            }
        }
        if i >= b.len() {
            self.i = i;
            return None;
        }
        let end = general_token(text, i).1;
        self.i = end;
        Some(&text[i..end])
    }
}

/// The character at byte `i` (a char boundary), with a fast path for ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().unwrap_or('\u{fffd}')
    }
}

/// `e.g`, `i.e`, `U.N`: a dot between single letters joins them.
fn is_abbrev_dot(text: &str, dot: usize) -> bool {
    let before = text[..dot].chars().rev().nth(1);
    let after2 = text[dot + 1..].chars().nth(1);
    !before.is_some_and(char::is_alphanumeric) && !after2.is_some_and(char::is_alphanumeric)
}

/// Lower-cased words of a text, for similarity.
pub fn words(text: &str) -> Vec<String> {
    Words::new(text).map(str::to_lowercase).collect()
}

/// Number of words in a text.
pub fn word_count(text: &str) -> usize {
    Tokens::new(text).filter(|t| t.kind == Kind::Word).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_punctuation_spaces() {
        assert_eq!(
            texts("States, (CERTs); A/75/816. non-binding 1,000 e.g. end."),
            vec![
                "States",
                ",",
                " ",
                "(",
                "CERTs",
                ")",
                ";",
                " ",
                "A/75/816",
                ".",
                " ",
                "non-binding",
                " ",
                "1,000",
                " ",
                "e.g",
                ".",
                " ",
                "end",
                "."
            ]
        );
    }

    proptest::proptest! {
        /// The word scanner finds exactly the word tokens.
        #[test]
        fn words_are_the_word_tokens(
            s in "[a-zA-Z0-9 .,;:'’/_()\\[\\]\t\n\u{0b}\u{a0}\u{2003}éÉ–—-]{0,40}"
        ) {
            let tokens: Vec<&str> =
                Tokens::new(&s).filter(|t| t.kind == Kind::Word).map(|t| t.text).collect();
            proptest::prop_assert_eq!(Words::new(&s).collect::<Vec<_>>(), tokens);
        }
    }

    #[test]
    fn round_trip() {
        let s = "It said: \"international law\" — in 2021–2025,  twice.";
        assert_eq!(texts(s).concat(), s);
    }
}
