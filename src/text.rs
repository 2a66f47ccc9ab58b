//! Text rules shared by the stages: where a sentence ends, and the value of an item letter.
//! Ingest reads drafts with them and check reports on drafts with them, so both say the same
//! thing of the same text; each rule lives here once, below every stage that uses it.

/// Whether a text stops mid-sentence (no closing punctuation), so that the next block may
/// continue it.
///
/// Closing quotes, brackets and asterisks after the punctuation are looked through: `agreed.”`,
/// `(as agreed.)`, `[agreed.]` and `**agreed.**` (bold the cleaning left, or a note mark) all
/// end a sentence. An asterisk is markup, not words, so it cannot carry a sentence on.
pub fn ends_mid_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', '*', ' ']);
    !t.ends_with(['.', ':', ';', '!', '?'])
}

/// The value of an item letter: `a` to `z` are 1 to 26, then `aa`, `bb`, ... `zz` are 27 to
/// 52, and so on (drafts whose lists run past `z` continue so). Anything else (capitals,
/// mixed letters such as `ab`) has none.
pub fn letter_value(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    let first = *b.first()?;
    (first.is_ascii_lowercase() && b.iter().all(|&c| c == first))
        .then(|| (b.len() as u32 - 1) * 26 + u32::from(first - b'a') + 1)
}

/// The longest item letter a draft's marker holds (`ffffff)`), so the longest [`letter_of`]
/// writes.
const MAX_LETTERS: u32 = 6;

/// The item letter of a value (the inverse of [`letter_value`]): 1 is `a`, 27 is `aa`. A
/// value with no letter a marker could hold (0, or past six letters) is written as its
/// number, so a label stays short and distinct whatever number a draft gives.
pub fn letter_of(value: u32) -> String {
    if value == 0 || value > MAX_LETTERS * 26 {
        return value.to_string();
    }
    let letter = char::from(b'a' + ((value - 1) % 26) as u8);
    std::iter::repeat_n(letter, ((value - 1) / 26 + 1) as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_closing_punctuation() {
        for t in [
            "agreed.",
            "agreed:",
            "agreed.”",
            "(agreed.)",
            "[agreed.]",
            "**agreed.**",
        ] {
            assert!(!ends_mid_sentence(t), "{t:?}");
        }
        for t in ["", "agreed", "agreed,", "agreed (as noted)", "agreed*"] {
            assert!(ends_mid_sentence(t), "{t:?}");
        }
    }

    #[test]
    fn letters_run_past_z_doubled() {
        assert_eq!(letter_value("a"), Some(1));
        assert_eq!(letter_value("z"), Some(26));
        assert_eq!(letter_value("aa"), Some(27));
        assert_eq!(letter_value("cc"), Some(29));
        for s in ["", "ab", "A", "1", "é"] {
            assert_eq!(letter_value(s), None, "{s:?}");
        }
        for v in 1..=MAX_LETTERS * 26 {
            assert_eq!(letter_value(&letter_of(v)), Some(v), "{v}");
        }
        assert_eq!(letter_of(28), "bb");
        assert_eq!(letter_of(0), "0");
        assert_eq!(letter_of(1_000_000), "1000000");
    }
}
