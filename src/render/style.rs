//! Colour and styling, decided in one place from `--color` and the environment
//! (`NO_COLOR`, `CLICOLOR_FORCE`), then applied by a [`Painter`]; and what of a draft's text
//! may reach a terminal raw ([`visible`]).

use console::Style;
use std::borrow::Cow;

/// Whether a character may not be written raw: a control character other than tab and line
/// feed (C0, DEL, C1). Raw, a draft's ESC could recolour, conceal or clear what the redline
/// shows, a carriage return or backspace overwrite it, BEL ring; in XML most are not allowed.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Text with every unsafe character ([`is_unsafe`]) shown as its escape, `\u{1b}`, as
/// ripgrep and Rust's debug output do: the character stays visible, and a change made of it
/// stays a visible change.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    push_visible(&mut out, s);
    Cow::Owned(out)
}

/// [`visible`], written onto `out`.
pub fn push_visible(out: &mut String, s: &str) {
    use std::fmt::Write;
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
}

/// The user's `--color` choice. `Debug` prints style names instead of escape codes, for
/// readable snapshot tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
    Debug,
}

/// How text is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    None,
    Ansi,
    Debug,
}

/// Decide colour: `--color always|never|debug` wins; with `auto`, a non-empty `NO_COLOR` turns
/// colour off, then `CLICOLOR_FORCE` (set and not `0`) turns it on, then `TERM=dumb` turns
/// it off, else colour follows whether stdout is a terminal.
pub fn decide(choice: ColorChoice, stdout_is_tty: bool) -> Paint {
    decide_with(choice, stdout_is_tty, |k| std::env::var(k).ok())
}

pub fn decide_with(
    choice: ColorChoice,
    stdout_is_tty: bool,
    env: impl Fn(&str) -> Option<String>,
) -> Paint {
    match choice {
        ColorChoice::Always => Paint::Ansi,
        ColorChoice::Never => Paint::None,
        ColorChoice::Debug => Paint::Debug,
        ColorChoice::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                Paint::None
            } else if env("CLICOLOR_FORCE").is_some_and(|v| v != "0")
                || (stdout_is_tty && env("TERM").as_deref() != Some("dumb"))
            {
                Paint::Ansi
            } else {
                Paint::None
            }
        }
    }
}

/// Distinct colours for the drafts of a series before they repeat with an underline.
pub const DRAFT_COLOURS: usize = 6;

/// The roles text plays in our output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Deleted,
    Inserted,
    Dim,
    Header,
    Label,
    Note,
    Warning,
    Error,
    Footnote,
    /// Text credited to the k-th draft of a series (blame): one colour per draft.
    Draft(usize),
}

impl Role {
    fn name(self) -> std::borrow::Cow<'static, str> {
        let name = match self {
            Role::Deleted => "del",
            Role::Inserted => "ins",
            Role::Dim => "dim",
            Role::Header => "header",
            Role::Label => "label",
            Role::Note => "note",
            Role::Warning => "warning",
            Role::Error => "error",
            Role::Footnote => "fn",
            Role::Draft(k) => return format!("draft{k}").into(),
        };
        name.into()
    }

    fn style(self) -> Style {
        let s = Style::new().force_styling(true);
        match self {
            Role::Deleted => s.red().strikethrough(),
            Role::Inserted => s.green().underlined(),
            Role::Dim => s.dim(),
            Role::Header => s.bold(),
            Role::Label => s.cyan().bold(),
            Role::Note => s.yellow(),
            Role::Warning => s.yellow().bold(),
            Role::Error => s.red().bold(),
            Role::Footnote => s.magenta(),
            Role::Draft(k) => {
                let s = match k % DRAFT_COLOURS {
                    0 => s.blue(),
                    1 => s.green(),
                    2 => s.yellow(),
                    3 => s.magenta(),
                    4 => s.cyan(),
                    _ => s.red(),
                };
                // Past six drafts the colours repeat, underlined, then bold.
                match k / DRAFT_COLOURS % 3 {
                    0 => s,
                    1 => s.underlined(),
                    _ => s.bold(),
                }
            }
        }
    }
}

/// Applies roles to text according to the decided [`Paint`].
#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub paint: Paint,
}

impl Painter {
    pub fn new(paint: Paint) -> Self {
        Painter { paint }
    }

    pub fn plain() -> Self {
        Painter { paint: Paint::None }
    }

    pub fn is_colored(&self) -> bool {
        self.paint != Paint::None
    }

    pub fn paint(&self, role: Role, text: &str) -> String {
        let mut out = String::new();
        self.paint_onto(&mut out, role, text);
        out
    }

    /// The last word on a text bound for a terminal, whole: every unsafe character
    /// ([`is_unsafe`]) escaped, but for the colour codes this painter writes (ESC `[` digits
    /// `m`) when it colours. The renderers escape a draft's text where they write it; this
    /// keeps a path they missed from reaching the terminal raw.
    pub fn guard(&self, text: String) -> String {
        if !text.chars().any(is_unsafe) {
            return text;
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text.as_str();
        while let Some((i, c)) = rest.char_indices().find(|&(_, c)| is_unsafe(c)) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            let sgr = (c == '\u{1b}' && self.paint == Paint::Ansi)
                .then(|| colour_code_len(tail))
                .flatten();
            match sgr {
                Some(n) => {
                    out.push_str(&tail[..n]);
                    rest = &tail[n..];
                }
                None => {
                    push_visible(&mut out, &tail[..c.len_utf8()]);
                    rest = &tail[c.len_utf8()..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// [`Painter::paint`], written onto `out` (no string of its own).
    pub fn paint_onto(&self, out: &mut String, role: Role, text: &str) {
        use std::fmt::Write;
        if text.is_empty() {
            return;
        }
        // Whatever is painted may hold a draft's words, its labels or its file's name.
        let text = &*visible(text);
        let _ = match self.paint {
            Paint::None => {
                out.push_str(text);
                Ok(())
            }
            Paint::Ansi => write!(out, "{}", role.style().apply_to(text)),
            Paint::Debug => write!(out, "<<{}::{}>>", role.name(), text),
        };
    }
}

/// The length of a colour code of ours at the start of `s`: ESC `[` a parameter the roles'
/// styles use `m` (reset, bold, dim, underline, strike-through, the six colours). Codes that
/// conceal, reverse or paint black are never ours.
fn colour_code_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let (param, _) = body.split_once('m')?;
    matches!(
        param,
        "0" | "1" | "2" | "4" | "9" | "31" | "32" | "33" | "34" | "35" | "36"
    )
    .then_some(2 + param.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(
            visible("a\u{1b}[2Jb\u{7}\u{8}\r\u{0}\u{7f}\u{9b}"),
            "a\\u{1b}[2Jb\\u{7}\\u{8}\\u{d}\\u{0}\\u{7f}\\u{9b}"
        );
        assert!(matches!(visible("tab\tand\nline"), Cow::Borrowed(_)));
        let p = Painter::new(Paint::Ansi);
        let painted = p.paint(Role::Inserted, "x\u{1b}]0;owned\u{7}");
        assert!(painted.contains("x\\u{1b}]0;owned\\u{7}"), "{painted:?}");
        // The guard keeps the painter's own colour codes and escapes everything else.
        let raw = format!("{painted}\u{1b}[2J\u{8}");
        let guarded = p.guard(raw);
        assert!(guarded.starts_with(&painted), "{guarded:?}");
        assert!(guarded.ends_with("\\u{1b}[2J\\u{8}"), "{guarded:?}");
        assert_eq!(
            Painter::plain().guard("a\u{1b}[31mb".to_string()),
            "a\\u{1b}[31mb"
        );
    }

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn no_color_and_clicolor_force() {
        assert_eq!(decide_with(ColorChoice::Auto, true, env(&[])), Paint::Ansi);
        assert_eq!(decide_with(ColorChoice::Auto, false, env(&[])), Paint::None);
        assert_eq!(
            decide_with(ColorChoice::Auto, true, env(&[("NO_COLOR", "1")])),
            Paint::None
        );
        // An empty NO_COLOR is not set.
        assert_eq!(
            decide_with(ColorChoice::Auto, true, env(&[("NO_COLOR", "")])),
            Paint::Ansi
        );
        assert_eq!(
            decide_with(ColorChoice::Auto, false, env(&[("CLICOLOR_FORCE", "1")])),
            Paint::Ansi
        );
        assert_eq!(
            decide_with(ColorChoice::Auto, false, env(&[("CLICOLOR_FORCE", "0")])),
            Paint::None
        );
        assert_eq!(
            decide_with(ColorChoice::Always, false, env(&[("NO_COLOR", "1")])),
            Paint::Ansi
        );
        // NO_COLOR wins over CLICOLOR_FORCE (the convention; console lets the force win).
        assert_eq!(
            decide_with(
                ColorChoice::Auto,
                true,
                env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
            ),
            Paint::None
        );
    }

    #[test]
    fn a_dumb_terminal_gets_no_colour_unless_forced() {
        let dumb = [("TERM", "dumb")];
        assert_eq!(
            decide_with(ColorChoice::Auto, true, env(&dumb)),
            Paint::None
        );
        assert_eq!(
            decide_with(ColorChoice::Auto, true, env(&[("TERM", "xterm-256color")])),
            Paint::Ansi
        );
        assert_eq!(
            decide_with(
                ColorChoice::Auto,
                true,
                env(&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")])
            ),
            Paint::Ansi
        );
        // --color always is asked for by name: it wins over the terminal's kind.
        assert_eq!(
            decide_with(ColorChoice::Always, true, env(&dumb)),
            Paint::Ansi
        );
    }
}
