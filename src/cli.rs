//! Command-line arguments (clap). Kept in the library so that the man page and shell
//! completions are generated from the same definition the binary parses.

use crate::render::style::ColorChoice;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  oewg-diff zero rev2                    redline of every changed paragraph
  oewg-diff zero rev2 --section C        only section C (in either draft)
  oewg-diff zero rev2 --para 14a         one paragraph, by its old or new label
  oewg-diff zero rev2 --stat             per-section summary
  oewg-diff zero rev2 --footnotes        which old footnote is which new one
  oewg-diff zero rev2 --format json      the redline for scripts
  oewg-diff zero rev2 -o redline.html    one self-contained page to forward
  oewg-diff zero rev2 -o redline.md      Markdown with CriticMarkup
  oewg-diff zero rev2 -o redline.docx --author Ruritania
                                         Word, every change a tracked change
  oewg-diff drafts/a.md drafts/b.md      any two files, no manifest needed
  oewg-diff show rev2 --section C        a draft as a numbered outline
  oewg-diff history 14b                  paragraph 14(b) through every draft of the series
  oewg-diff blame rev2 --para 14a        each phrase credited to the draft that introduced it
  oewg-diff log                          what each revision of the series changed

Draft names come from oewg.toml, searched upward from the current directory (or --manifest).
Exit status: 0 no differences, 1 differences, 2 trouble.";

/// Paragraph-aware redlines of negotiated drafts.
#[derive(Debug, Parser)]
#[command(
    name = "oewg-diff",
    version,
    about = "Paragraph-aware redlines of negotiated drafts",
    long_about = "Compares successive drafts of a negotiated text (zero draft, Rev. 1, Rev. 2, ...) \
paragraph by paragraph. Paragraphs and footnotes are matched by content, never by number: \
renumbering is not a change; moves, splits and merges are reported as such.",
    after_help = EXAMPLES,
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub diff: DiffArgs,

    /// The manifest naming the drafts (default: oewg.toml in this or a parent directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    /// When to colour the output; `debug` prints style names (for tests).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Never send output through a pager.
    #[arg(long, global = true)]
    pub no_pager: bool,
}

/// Output formats of the redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Coloured for a terminal.
    Term,
    /// Plain text with `[-deleted-]{+inserted+}` markers.
    Plain,
    /// JSON for scripts (see docs/json.md for the contract).
    Json,
    /// One self-contained HTML page (inline CSS, no script, no network resource).
    Html,
    /// Markdown with CriticMarkup ({++ ++}, {-- --}, {~~ ~> ~~}, {>> <<}).
    #[value(alias = "markdown")]
    Md,
    /// A Word document in which every change is a tracked change (needs -o FILE).
    Docx,
}

impl DiffFormat {
    /// The format an output file's extension asks for: `.html`, `.md`, `.docx`, `.json`.
    pub fn for_path(path: &std::path::Path) -> Option<DiffFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" => Some(DiffFormat::Html),
            "md" | "markdown" => Some(DiffFormat::Md),
            "docx" => Some(DiffFormat::Docx),
            "json" => Some(DiffFormat::Json),
            "txt" | "diff" => Some(DiffFormat::Plain),
            _ => None,
        }
    }

    /// Whether this is one of the shareable exports (html, md, docx).
    pub fn is_export(self) -> bool {
        matches!(self, DiffFormat::Html | DiffFormat::Md | DiffFormat::Docx)
    }
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

/// The redline (default command): `oewg-diff OLD NEW`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW: file paths, or draft names from oewg.toml (a file that exists comes
    /// first); `-` is standard input (for one of them). As a git diff driver, the seven
    /// arguments git passes (path old-file old-hex old-mode new-file new-hex new-mode), nine
    /// for a rename (new-path and git's similarity lines after them).
    #[arg(value_name = "DRAFT", num_args = 0..=9)]
    pub drafts: Vec<String>,

    /// Only entries in this section (in the old or the new draft). Repeatable.
    #[arg(long, short = 's', value_name = "LETTER")]
    pub section: Vec<String>,

    /// Only this paragraph or item, by its old or new label (14(a), 14a, 14.a). Repeatable.
    #[arg(long, short = 'p', value_name = "LABEL")]
    pub para: Vec<String>,

    /// Output format: term on a terminal, plain otherwise; with -o FILE, the one its
    /// extension names (.html, .md, .docx, .json), else plain.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<DiffFormat>,

    /// Write the redline to FILE instead of standard output: a file is replaced atomically,
    /// keeping its mode and owner (never an input draft, never a read-only file); a symbolic
    /// link's target is written; a device, FIFO or socket is written into. `-o -` is
    /// standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The author of the tracked changes in a Word document.
    #[arg(long, value_name = "NAME", default_value = "oewg-diff")]
    pub author: String,

    /// A per-section summary instead of the redline.
    #[arg(long)]
    pub stat: bool,

    /// The footnote reconciliation table instead of the redline.
    #[arg(long)]
    pub footnotes: bool,

    /// Show unchanged paragraphs too (dimmed). A Word document always holds them: it is the
    /// whole text with its changes tracked.
    #[arg(long)]
    pub all: bool,

    /// Hide typographic-only changes (quotes, dashes, no-break spaces, soft hyphens) and say
    /// how many were hidden; the exit status ignores them.
    #[arg(long)]
    pub ignore_typography: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a draft as a numbered outline (labels, footnote marks) or as JSON.
    #[command(
        after_help = "Examples:\n  oewg-diff show zero\n  oewg-diff show rev2 --section C\n  oewg-diff show drafts/rev2.md --format json"
    )]
    Show {
        /// A draft name from oewg.toml, or a file path.
        draft: String,
        /// Only this section. Repeatable.
        #[arg(long, short = 's', value_name = "LETTER")]
        section: Vec<String>,
        #[arg(long, short = 'f', value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// A paragraph's history: every version of it through the drafts of the series, with the
    /// redline of each step. Follows renumbering, moves, splits and merges.
    #[command(after_help = "\
Examples:
  oewg-diff history 14b                  14(b) of the newest draft, back to the zero draft
  oewg-diff history 3.a.viii --in zero   read the label in the zero draft, follow it forward
  oewg-diff history 14c --format json    for scripts (see docs/json.md for the contract)

The label is read in the newest draft of the series unless --in names another draft.
14(a), 14a and 14.a are the same label. Exit status: 0, or 2 on trouble.")]
    History {
        /// The paragraph's label in that draft: 14, 14(a), 14a, 3(a)(viii), C.steps.2.
        label: String,
        /// Read the label in this draft of the series (default: the newest).
        #[arg(long = "in", value_name = "DRAFT")]
        in_draft: Option<String>,
        /// The series, by its name in oewg.toml (default: the series of --in, or the only one).
        #[arg(long, value_name = "NAME")]
        series: Option<String>,
        /// Output format: term on a terminal, plain otherwise.
        #[arg(long, short = 'f', value_enum)]
        format: Option<DiffFormat>,
    },
    /// Each phrase of a draft credited to the draft of its series that introduced it.
    #[command(after_help = "\
Examples:
  oewg-diff blame rev2                   the whole of Rev. 2
  oewg-diff blame rev2 --para 14a        one paragraph (with its items, if it has any)
  oewg-diff blame rev2 --section C --format plain
                                         [zero: ...][rev2: ...] markers, for pipes and email

A word the redline of a step keeps inherits the credit of the previous draft's word; a word
it inserts belongs to the draft that inserted it. Exit status: 0, or 2 on trouble.")]
    Blame {
        /// A draft name from oewg.toml (it must belong to a series).
        draft: String,
        /// Only this section. Repeatable.
        #[arg(long, short = 's', value_name = "LETTER")]
        section: Vec<String>,
        /// Only this paragraph and its items (14, 14(a), 14a, 14.a). Repeatable.
        #[arg(long, short = 'p', value_name = "LABEL")]
        para: Vec<String>,
        /// Output format: term on a terminal, plain otherwise.
        #[arg(long, short = 'f', value_enum)]
        format: Option<DiffFormat>,
    },
    /// One summary per step of a series: paragraphs added, deleted, modified and moved; words
    /// in and out; footnotes.
    #[command(after_help = "\
Examples:
  oewg-diff log                          the manifest's series
  oewg-diff log --series apr2022 --format json

Exit status: 0, or 2 on trouble.")]
    Log {
        /// The series, by its name in oewg.toml (default: the only one).
        #[arg(long, value_name = "NAME")]
        series: Option<String>,
        /// Output format: term on a terminal, plain otherwise.
        #[arg(long, short = 'f', value_enum)]
        format: Option<DiffFormat>,
    },
    /// Check drafts for drafting errors: numbering, footnotes, cross-references, sections,
    /// layout leftovers, agreed language. Prints `path:line:col: error[CODE]: message`.
    #[command(after_help = "Examples:
  oewg-diff check                        every draft in oewg.toml
  oewg-diff check drafts/rev2.md         one file (as the pre-commit hook does)
  oewg-diff check --against zero rev2    cross-references left stale by renumbering
  oewg-diff check --list-rules           the rules and their codes

Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with --strict), 2 trouble.")]
    Check {
        /// Drafts to check (names from oewg.toml or paths); none: every draft in oewg.toml.
        drafts: Vec<String>,
        /// Also check NEW against OLD: cross-references not updated after renumbering.
        #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
        against: Option<Vec<String>>,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        #[arg(long, short = 'f', value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// List the rules, their codes and severities, and exit.
        #[arg(long)]
        list_rules: bool,
    },
    /// Print shell completions to stdout.
    #[command(
        after_help = "Example:\n  oewg-diff completions bash > ~/.local/share/bash-completion/completions/oewg-diff"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    #[command(after_help = "Example:\n  oewg-diff man > ~/.local/share/man/man1/oewg-diff.1")]
    Man,
}
