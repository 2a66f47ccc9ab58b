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
        // Front matter fences and YAML, lines of brackets alone, bare and bold headings and
        // a capital title (issue 19).
        "---",
        "title: ",
        "  - ",
        "# ",
        "[",
        "]",
        "[...]",
        "[ ]",
        "[[",
        "C. Rules, Norms ",
        "**D. International Law** ",
        "ANNUAL PROGRESS REPORT OF THE GROUP ",
        "¹",
        "<sup>2</sup>",
    ]);
    (prefix, sentence, prop::bool::ANY).prop_map(|(p, s, blank)| {
        let alone = [
            "Recommended next steps",
            "\\_",
            ". . . . .",
            "-",
            "---",
            "[",
            "]",
            "[...]",
            "[ ]",
            "[[",
            "¹",
            "<sup>2</sup>",
        ];
        let body = if alone.contains(&p) {
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

    /// The same draft with its lines broken by `\r\n`, `\r` (old Mac files), NEL, LINE
    /// SEPARATOR or PARAGRAPH SEPARATOR reads as with `\n`: the same tree, every word kept.
    #[test]
    fn any_line_break_reads_as_a_newline(
        lines in prop::collection::vec(line(), 1..30),
        brk in prop::sample::select(vec!["\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]),
    ) {
        let text = lines.join("\n");
        let other = text.replace('\n', brk);
        let d = oewg_diff::ingest::parse("p", Path::new("p.md"), &text);
        let e = oewg_diff::ingest::parse("p", Path::new("p.md"), &other);
        prop_assert_eq!(common::tree(&d), common::tree(&e), "text:\n{}", text);
        prop_assert_eq!(common::source_tokens(&other), common::model_tokens(&e));
    }

    /// Every bracket of the source is in the model (a line of brackets alone too).
    #[test]
    fn generated_drafts_lose_no_bracket(lines in prop::collection::vec(line(), 1..40)) {
        let text = lines.join("\n");
        let d = oewg_diff::ingest::parse("p", Path::new("p.md"), &text);
        prop_assert_eq!(brackets_in(&text), model_brackets(&d), "text:\n{}", text);
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

/// One line of a plausible treaty draft: article headings, preamble, numbered and nested
/// lists, bis paragraphs, options, sub-headings, footnotes, metadata, brackets everywhere.
fn treaty_line() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "Parties",
        "shall",
        "[shall][should]",
        "[[and] in light of",
        "circumstances]",
        "]]",
        "[",
        "r*eaffirming*",
        "*Recognizing*",
        "NDC[^2]",
        "[[^3]]",
        "2°C",
        "1/CP.21",
    ]);
    let sentence = prop::collection::vec(word, 1..10).prop_map(|ws| ws.join(" "));
    let prefix = prop::sample::select(vec![
        "",
        "## Article 3 ",
        "## [Article 3bis] *(REDD-plus)* ",
        "## Article 8 bis ",
        "## Preamble",
        "## Draft ",
        "1. ",
        "2. ",
        "    1. ",
        "      2. ",
        " 1. ",
        "3bis. ",
        "    3bis ",
        "- (17bis) ",
        "**Option 1:** ",
        "    **Option II:**: ",
        "**Option 2** ",
        "**Heading** ",
        "(a) ",
        "b) ",
        "[^3]: ",
        "    ",
        "[src]: http://example.org",
        "* TOC",
        "{:toc}",
        "---",
        "*Note* ",
        "- ",
        "[Option 1]: 2030",
        "[a]: ./annex.pdf",
        "[",
        "]",
        "[...]",
        "[[",
    ]);
    (prefix, sentence, prop::bool::ANY).prop_map(|(p, s, blank)| {
        let alone = [
            "* TOC",
            "{:toc}",
            "---",
            "[Option 1]: 2030",
            "[a]: ./annex.pdf",
            "[",
            "]",
            "[...]",
            "[[",
        ];
        let body = if p.starts_with("[src]") || alone.contains(&p) {
            p.to_string()
        } else {
            format!("{p}{s}")
        };
        if blank { format!("{body}\n") } else { body }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_treaties_lose_no_word(lines in prop::collection::vec(treaty_line(), 1..40)) {
        let text = lines.join("\n");
        let d = oewg_diff::ingest::parse_as(
            "p", Path::new("p.md"), &text, Some(oewg_diff::model::Family::Treaty));
        let want = common::source_tokens(&text);
        let got = common::model_tokens(&d);
        prop_assert_eq!(want, got, "text:\n{}", text);
        for n in &d.nodes {
            for c in &n.citations {
                prop_assert!(c.offset <= n.text.len() && n.text.is_char_boundary(c.offset));
            }
        }
        let mut labels: Vec<&str> = d.nodes.iter().map(|n| n.label.as_str()).collect();
        labels.sort_unstable();
        let all = labels.len();
        labels.dedup();
        prop_assert_eq!(all, labels.len(), "labels repeat:\n{}", text);
        let _ = oewg_diff::brackets::unbalanced(&d);
        prop_assert_eq!(brackets_in(&text), model_brackets(&d), "brackets lost:\n{}", text);
    }

    #[test]
    fn arbitrary_text_never_panics_as_treaty(text in "\\PC{0,400}") {
        let d = oewg_diff::ingest::parse_as(
            "p", Path::new("p.md"), &text, Some(oewg_diff::model::Family::Treaty));
        let _ = oewg_diff::brackets::unbalanced(&d);
    }

    #[test]
    fn treaty_labels_never_panic(s in "(Art|art|Article|pp|PP)?[.0-9a-zé~()IVX ]{0,20}") {
        let _ = oewg_diff::model::normalize_label(&s);
        let _ = oewg_diff::model::section_matches("Art.3bis", &s);
    }

    #[test]
    fn bracket_comparison_never_panics(a in "[\\[\\]^a-zé ,]{0,60}", b in "[\\[\\]^a-zé ,]{0,60}") {
        let c = oewg_diff::brackets::compare(&a, &b);
        let n = c.counts;
        prop_assert_eq!(c.changes.len(), n.opened + n.agreed + n.dropped + n.resolved);
        prop_assert!(oewg_diff::brackets::compare(&a, &a).is_empty());
    }
}

/// Square brackets in a text, footnote marks `[^n]` left out (they are citations).
fn brackets_in(s: &str) -> usize {
    let marks = regex::Regex::new(r"\[\^\d+\]").unwrap();
    marks
        .replace_all(s, "")
        .chars()
        .filter(|&c| c == '[' || c == ']')
        .count()
}

/// Square brackets the model holds: node and footnote texts, metadata as written.
fn model_brackets(d: &oewg_diff::model::Draft) -> usize {
    d.nodes
        .iter()
        .map(|n| n.text.as_str())
        .chain(d.footnotes.iter().map(|f| f.text.as_str()))
        .chain(d.metadata.iter().map(|m| m.text.as_str()))
        .map(brackets_in)
        .sum()
}
