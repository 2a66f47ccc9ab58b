//! Control characters from a draft (ESC, BEL, backspace, carriage return, NUL, also spelled as
//! entities such as `&#27;`) and from file names never reach the terminal raw: every text
//! output shows them escaped (`\u{1b}`), a change made of them is still reported, and a Word
//! document stays valid XML.

mod common;

use assert_cmd::Command;
use std::path::Path;

/// What a hostile draft may hold: a screen clear, a window title, concealed and recoloured
/// text, a backspace, a bell, a carriage return, and the same as entities.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}[8m",
    "\u{1b}[31m",
    "\u{8}",
    "\u{7}",
    "\r",
    "&#27;[8m",
    "&#x1b;[2J",
    "&#0;",
    "\u{9b}",
];

/// The draft's hostile sequences as the text views show them.
const SHOWN: &[&str] = &["\\u{1b}[8m", "\\u{1b}[31m"];

/// The characters a text output may hold raw; an ESC is allowed only as the start of the
/// colour codes the tool itself writes (with --color always).
fn assert_safe(what: &str, out: &[u8], coloured: bool, shown: &[&str]) {
    let text = String::from_utf8_lossy(out);
    let mut rest: &str = &text;
    while let Some((i, c)) = rest
        .char_indices()
        .find(|&(_, c)| c.is_control() && c != '\n' && c != '\t')
    {
        let tail = &rest[i..];
        let ours = coloured
            && c == '\u{1b}'
            && tail
                .strip_prefix("\u{1b}[")
                .and_then(|b| b.split_once('m'))
                .is_some_and(|(p, _)| {
                    matches!(
                        p,
                        "0" | "1" | "2" | "4" | "9" | "31" | "32" | "33" | "34" | "35" | "36"
                    )
                });
        assert!(
            ours,
            "{what}: raw {:?} reaches the terminal: {:?}",
            c,
            &tail[..tail.len().min(40)]
        );
        rest = &tail[c.len_utf8()..];
    }
    // Each hostile sequence the draft holds is shown, escaped, where the tool shows its text.
    for s in shown {
        assert!(
            text.contains(s),
            "{what}: the draft's {s} is not shown: {text}"
        );
    }
}

fn hostile_pair(dir: &Path) -> (String, String) {
    let old = "# Report\n\n## A. Introduction\n\n1. States agree to cooperate.[^1]\n\n\
               2. States recalled the report.\n\n[^1]: Annex I.\n";
    let mut new = String::from("# Report\n\n## A. Introduction\n\n1. States agree");
    for h in HOSTILE {
        new.push_str(h);
        new.push_str(" x");
    }
    new.push_str(" to cooperate.[^1]\n\n2. States recalled \u{1b}[8mthe report.\n\n[^1]: Annex \u{1b}[31mI.\n");
    let o = dir.join("old.md");
    let n = dir.join("new.md");
    std::fs::write(&o, old).unwrap();
    std::fs::write(&n, new).unwrap();
    (
        o.to_string_lossy().into_owned(),
        n.to_string_lossy().into_owned(),
    )
}

fn cmd(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("oewg-diff").unwrap();
    c.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PAGER")
        .arg("--no-pager");
    c
}

#[test]
fn the_redline_in_every_text_view_shows_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = hostile_pair(dir.path());
    for colour in ["never", "always"] {
        for view in [
            &[][..],
            &["--all"],
            &["--stat"],
            &["--footnotes"],
            &["--format", "plain"],
        ] {
            let out = cmd(dir.path())
                .args([old.as_str(), new.as_str(), "--color", colour])
                .args(view)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{view:?} {colour}");
            if view == ["--stat"] {
                // The table holds no text of the draft, only counts: still nothing raw.
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(!text.contains('\u{1b}') || colour == "always", "{text}");
                continue;
            }
            // The footnote table holds the footnotes' text alone.
            let shown = if view == ["--footnotes"] {
                &SHOWN[1..]
            } else {
                SHOWN
            };
            assert_safe(
                &format!("diff {view:?} --color {colour}"),
                &out.stdout,
                colour == "always" && !view.contains(&"plain"),
                shown,
            );
        }
    }
}

#[test]
fn a_change_made_only_of_a_control_character_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("a.md");
    let new = dir.path().join("b.md");
    std::fs::write(&old, "# R\n\n## A. One\n\n1. States agree.\n").unwrap();
    std::fs::write(&new, "# R\n\n## A. One\n\n1. States\u{7} agree.\n").unwrap();
    let out = cmd(dir.path())
        .args(["a.md", "b.md", "--format", "plain"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("{+\\u{7}+}"), "{text}");
}

#[test]
fn show_and_check_show_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let (_, new) = hostile_pair(dir.path());
    for colour in ["never", "always"] {
        let out = cmd(dir.path())
            .args(["show", new.as_str(), "--color", colour])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_safe(
            &format!("show --color {colour}"),
            &out.stdout,
            colour == "always",
            SHOWN,
        );
    }
    // An unclosed bracket of the draft makes check quote its text.
    let out = cmd(dir.path())
        .args(["check", new.as_str(), "--color", "always"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && !"\n\t\u{1b}".contains(c)),
        "{text}"
    );
    assert!(
        !text.contains("\u{1b}[8m") && !text.contains("\u{1b}[2J"),
        "{text}"
    );
}

#[test]
fn the_exports_show_control_characters_and_stay_valid() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = hostile_pair(dir.path());
    // Markdown escapes the bracket.
    for (format, shown) in [
        ("html", SHOWN),
        ("md", &["\\u{1b}\\[8m", "\\u{1b}\\[31m"][..]),
    ] {
        let out = cmd(dir.path())
            .args([old.as_str(), new.as_str(), "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_safe(format, &out.stdout, false, shown);
    }
    let out = cmd(dir.path())
        .args([old.as_str(), new.as_str(), "--format", "docx", "-o", "-"])
        .args(["--author", "Ruritania"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    for (name, bytes) in common::xml::unzip(&out.stdout) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let src = std::str::from_utf8(&bytes).unwrap();
            common::xml::parse(src).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                !src.chars().any(|c| c.is_control() && !"\n\t\r".contains(c)),
                "{name} holds a character XML does not allow"
            );
        }
    }
    let doc = common::xml::unzip(&out.stdout);
    let body = String::from_utf8_lossy(&doc["word/document.xml"]);
    assert!(
        body.contains("\\u{1b}[8m"),
        "the escape is not shown in Word"
    );
}

#[test]
fn file_names_with_control_characters_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = hostile_pair(dir.path());
    let odd = dir.path().join("r\u{1b}[8m\u{7}.md");
    std::fs::copy(&new, &odd).unwrap();
    let odd = odd.to_string_lossy().into_owned();
    let out = cmd(dir.path())
        .args([old.as_str(), odd.as_str(), "--color", "always"])
        .output()
        .unwrap();
    assert_safe("header", &out.stdout, true, &["r\\u{1b}[8m\\u{7}.md"]);
    let missing = dir.path().join("gone\u{1b}]0;x\u{7}.md");
    let out = cmd(dir.path())
        .args([old.as_str(), &missing.to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gone\\u{1b}]0;x\\u{7}.md"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err}");
}
