//! Invariants of the parser on generated drafts: it never panics, and every word of the
//! source ends up in exactly one piece of the model.

mod common;

use proptest::prelude::*;
use std::path::Path;

/// One line of a plausible converted draft: headings, numbered paragraphs, items, sub-items,
/// next-steps headings, footnote definitions, separators, continuations, with footnote marks
/// in every spelling.
fn line() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "States",
        "the",
        "OEWG",
        "could",
        "consider",
        "norms",
        "ICTs",
        "security",
        "of",
        "and",
        "capacity-building",
        "A/75/816",
        "2021",
        "(CERTs)",
        "\"agreed\"",
        "inter alia",
    ]);
    let mark = prop::sample::select(vec![
        "",
        "",
        "",
        "<sup>1</sup>",
        "<sup>&</sup>lt;sup>2</sup>",
        "³",
        "¹²",
        " ⁴",
        "[^5]",
        ".",
        ",",
        ";",
        ":",
    ]);
    let sentence = prop::collection::vec((word, mark), 1..12).prop_map(|ws| {
        ws.into_iter()
            .map(|(w, m)| format!("{w}{m}"))
            .collect::<Vec<_>>()
            .join(" ")
    });
    let prefix = prop::sample::select(vec![
        "",
        "- ",
        "  - ",
        "    - ",
        "- 1. ",
        "2. ",
        "**3.** ",
        "- a) ",
        "b) ",
        "  - (i) ",
        "(ii) ",
        "#### ",
        "## C. ",
        "D. ",
        "#### **E.** ",
        "<sup>&</sup>lt;sup>7</sup> ",
        "⁸ ",
        "[^9]: ",
        "Recommended next steps",
        "\\_",
        ". . . . .",
        "-",
        "h) ",
        "i) ",
    ]);
    (prefix, sentence, prop::bool::ANY).prop_map(|(p, s, blank)| {
        let body = if p == "Recommended next steps" || p == "\\_" || p == ". . . . ." || p == "-" {
            p.to_string()
        } else {
            format!("{p}{s}")
        };
        if blank { format!("{body}\n") } else { body }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn generated_drafts_lose_no_word(lines in prop::collection::vec(line(), 1..40)) {
        let text = lines.join("\n");
        let d = oewg_diff::ingest::parse("p", Path::new("p.md"), &text);
        let want = common::source_tokens(&text);
        let got = common::model_tokens(&d);
        prop_assert_eq!(want, got, "text:\n{}", text);
        for n in &d.nodes {
            for c in &n.citations {
                prop_assert!(c.offset <= n.text.len() && n.text.is_char_boundary(c.offset));
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = oewg_diff::ingest::parse("p", Path::new("p.md"), &text);
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in prop::collection::vec("[-*#(). a-z0-9A-Z⁰¹²³<>/&;\\[\\]^:]{0,30}", 0..30)) {
        let text = lines.join("\n");
        let _ = oewg_diff::ingest::parse("p", Path::new("p.md"), &text);
    }
}
