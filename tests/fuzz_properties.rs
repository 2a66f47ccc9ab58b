//! The fuzz targets' checks (`tests/exercise`) as properties over arbitrary input, so CI runs
//! them without nightly features: arbitrary bytes, arbitrary text and draft-like text never
//! make the parser, the redline, the checks or the renderers panic or loop, and every redline
//! keeps its invariants. Inputs the fuzzer found are kept below as regression tests.
//!
//! Cases: `PROPTEST_CASES` (default 256 per property).

mod exercise;

use proptest::prelude::*;

/// 256 cases; the `PROPTEST_CASES` environment variable overrides it (proptest reads it).
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Shrinking a failure is useful; an unbounded one is not.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// Pieces of draft syntax, glued at random: headings, markers, footnote marks and
/// definitions in every spelling, markup, typographic characters, and plain words.
fn draft_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "\n",
        "\n\n",
        "\r\n",
        " ",
        "\t",
        "\u{a0}",
        "\u{ad}",
        "\u{feff}",
        "- ",
        "  - ",
        "1. ",
        "11. ",
        "**3.** ",
        "a) ",
        "b) ",
        "h) ",
        "i) ",
        "(i) ",
        "(ii) ",
        "#### ",
        "## ",
        "A. ",
        "B. ",
        "IV. ",
        "<sup>1</sup>",
        "<sup>&</sup>lt;sup>2</sup>",
        "<sup>TH</sup>",
        "¹",
        "²³",
        "[^4]",
        "[^5]: ",
        "<u>",
        "</u>",
        "**",
        "*",
        "\\_",
        "&amp;",
        "&#8212;",
        "&bogus;",
        "“",
        "”",
        "\"",
        "’",
        "'",
        "–",
        "—",
        "-",
        ".",
        ",",
        ";",
        ":",
        "(",
        ")",
        "States",
        "shall",
        "the",
        "OEWG",
        "could",
        "consider",
        "norms",
        "of",
        "and",
        "A/75/816",
        "2021",
        "e.g.",
        "Recommended next steps",
        ". . . . .",
        "paragraph 14(e) above",
        "paragraphs 8 to 13",
        "\u{c}",
        "Article 1",
        "**Article 2**",
        "PREAMBLE",
        "**Option 2:**",
        "bis",
        "[",
        "]",
        // Line breaks of every kind, front matter fences, link definitions and their
        // look-alikes, lines of brackets alone, repeated headings (issue 19).
        "\r",
        "\u{2028}",
        "\u{2029}",
        "\u{85}",
        "---\n",
        "...\n",
        "title: Zero draft\n",
        "  - item\n",
        "key: |\n",
        "# comment\n",
        "[Option 1]: 2030",
        "[src]: http://example.org",
        "[a]: ./annex.pdf",
        "\n]\n",
        "\n[\n",
        "\n[...]\n",
        "\n[ ]\n",
        "\n[[\n",
        "## Article 3\n",
        "**Option 1:**\n",
        "**Heading**\n",
        "C. Rules, Norms and Principles\n",
        "ANNUAL PROGRESS REPORT OF THE GROUP\n",
    ]);
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

/// The fuzzer's dictionary (`fuzz/dict/drafts.dict`): the syntax of converted drafts as
/// libFuzzer splices it, each entry unquoted and unescaped.
fn dictionary() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/dict/drafts.dict");
    let text = std::fs::read_to_string(&path).expect("fuzz/dict/drafts.dict");
    let entries: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix('"').map(unescape))
        .collect();
    assert!(
        entries.len() > 20,
        "{} entries in {}",
        entries.len(),
        path.display()
    );
    entries
}

/// A libFuzzer dictionary entry's escapes: `\\`, `\"`, `\xNN`.
fn unescape(s: &str) -> String {
    let mut bytes = Vec::new();
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'x') => {
                let hex: Vec<u8> = it.by_ref().take(2).collect();
                let v = std::str::from_utf8(&hex)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                bytes.extend(v);
            }
            Some(c) => bytes.push(c),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Dictionary entries and draft pieces glued at random, as the fuzzer builds its inputs.
fn dictionary_text() -> impl Strategy<Value = String> {
    let mut words = dictionary();
    words.extend(["\n", "\n\n", " ", "States", "Parties", "shall"].map(String::from));
    prop::collection::vec(prop::sample::select(words), 0..120).prop_map(|v| v.concat())
}

/// A draft compared with itself is no change, read as its detected family and as each
/// family: no change entry, every footnote unchanged, `has_changes` false (exit 0). Two
/// parses, as the command makes them for the same file given twice.
fn assert_same_is_no_change(text: &str) {
    use oewg_diff::diff::{FootnoteStatus, redline};
    use oewg_diff::model::Family;
    use std::path::Path;
    for family in [None, Some(Family::Report), Some(Family::Treaty)] {
        let parse = || oewg_diff::ingest::parse_as("d", Path::new("d.md"), text, family);
        let (a, b) = (parse(), parse());
        let r = redline(&a, &b);
        let changed: Vec<String> = r
            .entries
            .iter()
            .filter(|e| e.is_change())
            .map(|e| {
                let (labels, status) = oewg_diff::render::redline::header(&r, e);
                format!("{labels} {status}")
            })
            .collect();
        assert!(changed.is_empty(), "{family:?}: {changed:?} in\n{text:?}");
        let footnotes: Vec<_> = r
            .footnotes
            .iter()
            .filter(|f| f.status != FootnoteStatus::Unchanged)
            .map(|f| f.status)
            .collect();
        assert!(
            footnotes.is_empty(),
            "{family:?}: footnotes {footnotes:?} in\n{text:?}"
        );
        assert!(!r.has_changes(), "{family:?}: {text:?}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..600)) {
        exercise::decode_all(&data);
        let text = exercise::text_of(&data);
        exercise::parse_all(&text);
        let (old, new) = exercise::pair_of(&text);
        exercise::redline_all(&old, &new);
    }

    /// Bytes that open as the encodings and formats the loader tells apart.
    #[test]
    fn bytes_behind_a_byte_order_mark_or_a_signature(
        head in prop::sample::select(vec![
            &b"\xff\xfe"[..], b"\xfe\xff", b"\xef\xbb\xbf", b"%PDF-", b"PK\x03\x04", b"{\\rtf",
            b"\xd0\xcf\x11\xe0", b"\x00\x00\xfe\xff", b"",
        ]),
        data in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        exercise::decode_all(&[head, &data[..]].concat());
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,300}", other in "\\PC{0,300}") {
        exercise::redline_all(&text, &other);
    }

    #[test]
    fn draft_like_text(text in draft_like()) {
        let (old, new) = exercise::pair_of(&text);
        exercise::redline_all(&old, &new);
    }

    /// A draft against itself is no change (exit 0, zero change entries, zero footnote
    /// changes), over each kind of input the fuzz targets take.
    #[test]
    fn a_draft_against_itself_is_no_change(
        draft in draft_like(),
        spliced in dictionary_text(),
        text in "\\PC{0,200}",
        data in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        assert_same_is_no_change(&draft);
        assert_same_is_no_change(&spliced);
        assert_same_is_no_change(&text);
        assert_same_is_no_change(&exercise::text_of(&data));
    }
}

/// An article repeated (`## Article 3` twice) and an article-level option with no text
/// reported deletions against themselves: the held-back article heading took the empty
/// heading of the other in the pass over identical texts.
#[test]
fn repeated_articles_and_empty_options_against_themselves() {
    for text in [
        "## Article 3\n\n1. Parties shall act.\n\n## Article 3\n\n1. Parties shall act again.\n",
        "## Article 2\n\n**Option 1:**\n\n1. Parties shall act.\n\n**Option 2:**\n",
        "## Article 1\n\n## Article 1\n\n## Article 1\n",
        "A. Intro\n\nRecommended next steps\n\nB. Next\n\nRecommended next steps\n",
    ] {
        assert_same_is_no_change(text);
        exercise::redline_all(text, text);
    }
}

// Inputs the fuzzer found (minimised by hand), each a bug that is fixed.

/// A paragraph number with no words after it ("11.") was never paired, so a draft against
/// itself reported it deleted and added.
#[test]
fn empty_paragraph_against_itself_is_no_change() {
    let text = "A. Introduction\n\n- 1. States reaffirmed the framework.\n\n 11.\n\n¹ A note.\n";
    exercise::redline_all(text, text);
}

/// Sections repeated many times ran the expected letter past `Z` and past 255: the check
/// panicked on an arithmetic overflow (a debug build; a release build printed "expected [").
#[test]
fn many_repeated_sections_do_not_overflow() {
    let text = "#### A. Introduction\n\n1. Some text of the draft.\n\n".repeat(300);
    let d = exercise::parse_all(&text);
    let diags = oewg_diff::check::check_draft(&d, &text);
    assert!(diags.iter().any(|x| x.code == "S001"));
    for x in &diags {
        assert!(!x.message.contains("expected ["), "{}", x.message);
    }
}

/// An unbalanced bracket in a node whose label another node also has (a doubled number) was
/// looked up in the first node of that label, and its offset sliced a text too short: the
/// check panicked. Found by `draft_like_text`.
#[test]
fn unbalanced_bracket_under_a_repeated_label() {
    let text =
        "A. Intro\n\n1. Short.\n\n1. A much longer paragraph of text with an [unclosed bracket.\n";
    let d = exercise::parse_all(text);
    let diags = oewg_diff::check::check_draft(&d, text);
    let b = diags.iter().find(|x| x.code == "B001").expect("B001");
    assert_eq!((b.line, b.col), (5, 44));
}
