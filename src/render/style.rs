//! Colour and styling, decided in one place from `--color` and the environment
//! (`NO_COLOR`, `CLICOLOR_FORCE`), then applied by a [`Painter`].

use console::Style;

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

    /// [`Painter::paint`], written onto `out` (no string of its own).
    pub fn paint_onto(&self, out: &mut String, role: Role, text: &str) {
        use std::fmt::Write;
        if text.is_empty() {
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
