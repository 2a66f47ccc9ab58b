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
    ]);
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = exercise::text_of(&data);
        exercise::parse_all(&text);
        let (old, new) = exercise::pair_of(&text);
        exercise::redline_all(&old, &new);
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
