//! Inline clean-up of one line of converted text: footnote marks in their many spellings
//! (`<sup>4</sup>`, `<sup>&</sup>lt;sup>4</sup>`, `⁴`, `[^4]`) become citations, formatting
//! markup (`**`, `*`, `<u>`, HTML entities, Markdown escapes) is dropped, whitespace collapses.

use regex::Regex;
use std::sync::LazyLock;

static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<esc><sup>&</sup>lt;sup>\s*(?P<n1>\d{1,4})\s*</sup>)",
        r"|(?P<sup><sup>\s*(?P<n2>\d{1,4})\s*</sup>)",
        r"|<sup>(?P<supx>[^<]*)</sup>",
        r"|(?P<uni>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
        r"|\[\^(?P<n3>\d{1,4})\]",
        r"|(?P<tag></?[A-Za-z][A-Za-z0-9]*\s*/?>)",
        r"|&(?P<ent>lt|gt|amp|quot|apos|nbsp|#\d{1,6});",
        r"|\\(?P<lit>[\\`*_{}\[\]()#+\-.!<>|~])",
        r"|(?P<emph>\*+)",
    ))
    .expect("inline pattern is valid")
});

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
        let d = match c {
            '⁰' => 0,
            '¹' => 1,
            '²' => 2,
            '³' => 3,
            '⁴' => 4,
            '⁵' => 5,
            '⁶' => 6,
            '⁷' => 7,
            '⁸' => 8,
            '⁹' => 9,
            _ => return None,
        };
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(v)
}

struct Builder {
    out: String,
    cites: Vec<(u32, usize)>,
}

impl Builder {
    fn push_str(&mut self, s: &str) {
        // Copy runs of non-space text whole; collapse each run of whitespace to one space.
        let mut first = true;
        for word in s.split(|c: char| c.is_whitespace()) {
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
        let len = self.out.trim_end().len();
        self.out.truncate(len);
        for c in &mut self.cites {
            c.1 = c.1.min(len);
        }
        Cleaned {
            text: self.out,
            cites: self.cites,
        }
    }
}

/// Clean one piece of raw text.
pub fn clean(raw: &str) -> Cleaned {
    let mut b = Builder {
        out: String::with_capacity(raw.len()),
        cites: Vec::new(),
    };
    if !raw.contains(|c: char| {
        matches!(
            c,
            '<' | '&' | '\\' | '*' | '[' | '\u{b2}' | '\u{b3}' | '\u{b9}' | '\u{2070}'..='\u{2079}'
        )
    }) {
        // Fast path: nothing to clean but whitespace.
        b.push_str(raw);
        return b.finish();
    }
    let mut last = 0;
    for caps in INLINE.captures_iter(raw) {
        let m = caps.get(0).expect("group 0 always matches");
        b.push_str(&raw[last..m.start()]);
        last = m.end();
        if let Some(n) = caps
            .name("n1")
            .or_else(|| caps.name("n2"))
            .or_else(|| caps.name("n3"))
        {
            if let Ok(n) = n.as_str().parse() {
                b.cite(n);
            }
        } else if let Some(x) = caps.name("supx") {
            b.push_str(x.as_str());
        } else if let Some(u) = caps.name("uni") {
            match superscript_value(u.as_str()) {
                Some(n) => b.cite(n),
                None => b.push_str(u.as_str()),
            }
        } else if let Some(e) = caps.name("ent") {
            let s = match e.as_str() {
                "lt" => "<".to_string(),
                "gt" => ">".to_string(),
                "amp" => "&".to_string(),
                "quot" => "\"".to_string(),
                "apos" => "'".to_string(),
                "nbsp" => " ".to_string(),
                num => num
                    .strip_prefix('#')
                    .and_then(|d| d.parse::<u32>().ok())
                    .and_then(char::from_u32)
                    .map(String::from)
                    .unwrap_or_default(),
            };
            b.push_str(&s);
        } else if let Some(l) = caps.name("lit") {
            b.push_str(l.as_str());
        }
        // tags and emphasis markers are layout: dropped.
    }
    b.push_str(&raw[last..]);
    b.finish()
}

/// Whether the cleaned text holds any word (letter or digit).
pub fn has_words(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn markup_dropped() {
        assert_eq!(
            clean("**B.** on *inter alia* &amp; <u>Rev. 2</u> \\_").text,
            "B. on inter alia & Rev. 2 _"
        );
    }
}
