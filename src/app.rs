//! The commands: argument values in, pipeline run, output written. `main.rs` only maps the
//! result to an exit status.

use crate::cli::{Cli, Command, DiffArgs, DiffFormat, ShowFormat};
use crate::error::ManifestError;
use crate::ingest;
use crate::manifest::{self, DraftRef, Manifest};
use crate::model::Draft;
use crate::render::redline::Selection;
use crate::render::style::{self, Paint, Painter};
use crate::render::{self, outline};
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::{IsTerminal, Write};

/// What a command found, for the exit status (diff's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No differences, no problems: exit 0.
    Same,
    /// Differences or problems found: exit 1.
    Different,
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    let ctx = Context_::new(&cli)?;
    match &cli.command {
        Some(Command::Show {
            draft,
            section,
            format,
        }) => {
            let d = ctx.load(draft)?;
            let text = match format {
                ShowFormat::Json => outline::json(&d, section),
                ShowFormat::Text => outline::outline(&d, section, &ctx.painter()),
            };
            ctx.emit(&text, *format == ShowFormat::Text)?;
            Ok(Outcome::Same)
        }
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "oewg-diff", &mut buf);
            write_stdout(&buf)?;
            Ok(Outcome::Same)
        }
        Some(Command::Man) => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .context("rendering the man page")?;
            write_stdout(&buf)?;
            Ok(Outcome::Same)
        }
        None => diff(&ctx, &cli.diff),
    }
}

/// The redline: `oewg-diff OLD NEW`, or git's seven arguments as an external diff driver.
fn diff(ctx: &Context_, args: &DiffArgs) -> Result<Outcome> {
    let (old, new, git_driver) = match args.drafts.as_slice() {
        [old, new] => (ctx.load(old)?, ctx.load(new)?, false),
        [
            path,
            old_file,
            _old_hex,
            _old_mode,
            new_file,
            _new_hex,
            _new_mode,
        ] => {
            let load_side = |file: &str, label: &str| -> Result<Draft> {
                if file == "/dev/null" {
                    Ok(ingest::parse(label, std::path::Path::new(file), ""))
                } else {
                    let text = ingest::read_text(std::path::Path::new(file))?;
                    Ok(ingest::parse(label, std::path::Path::new(path), &text))
                }
            };
            (
                load_side(old_file, &format!("a/{path}"))?,
                load_side(new_file, &format!("b/{path}"))?,
                true,
            )
        }
        [] => anyhow::bail!(
            "give two drafts to compare (OLD NEW), or a command; see oewg-diff --help"
        ),
        other => anyhow::bail!(
            "expected two drafts (OLD NEW) or git's seven diff-driver arguments, got {} argument(s); see oewg-diff --help",
            other.len()
        ),
    };
    let r = crate::diff::redline(&old, &new);
    let sel = Selection {
        sections: args.section.clone(),
        paras: args.para.clone(),
        all: args.all,
    };
    let painter = ctx.painter();
    let format = args.format.unwrap_or(if painter.is_colored() {
        DiffFormat::Term
    } else {
        DiffFormat::Plain
    });
    let painter = match format {
        DiffFormat::Plain => Painter::plain(),
        _ => painter,
    };
    let text = match format {
        DiffFormat::Json => render::json::render(&r, &sel),
        _ => {
            let mut t = String::new();
            if args.stat {
                t.push_str(&render::tables::stat(&r, &sel, &painter));
            }
            if args.footnotes {
                if !t.is_empty() {
                    t.push('\n');
                }
                t.push_str(&render::tables::footnotes(&r, &sel, &painter));
            }
            if !args.stat && !args.footnotes {
                t.push_str(&render::redline::render(&r, &sel, &painter));
            }
            t
        }
    };
    ctx.emit(&text, format == DiffFormat::Term)?;
    let changed = sel.entries(&r).iter().any(|e| e.is_change())
        || render::tables::selected_footnotes(&r, &sel)
            .iter()
            .any(|&i| {
                matches!(
                    r.footnotes[i].status,
                    crate::diff::FootnoteStatus::Modified
                        | crate::diff::FootnoteStatus::Added
                        | crate::diff::FootnoteStatus::Deleted
                )
            });
    // As a git diff driver, exit 0 whenever the diff ran: git treats anything else as failure.
    Ok(if changed && !git_driver {
        Outcome::Different
    } else {
        Outcome::Same
    })
}

/// What every command needs: the manifest (if any), colour and paging decisions.
pub struct Context_ {
    pub manifest: Option<Manifest>,
    pub color: style::ColorChoice,
    pub no_pager: bool,
    pub stdout_tty: bool,
}

impl Context_ {
    pub fn new(cli: &Cli) -> Result<Self> {
        let manifest = match &cli.manifest {
            Some(p) => Some(Manifest::load(p)?),
            None => {
                let cwd = std::env::current_dir().context("reading the current directory")?;
                match Manifest::discover(&cwd) {
                    Some(p) => Some(Manifest::load(&p)?),
                    None => None,
                }
            }
        };
        Ok(Context_ {
            manifest,
            color: cli.color,
            no_pager: cli.no_pager,
            stdout_tty: std::io::stdout().is_terminal(),
        })
    }

    pub fn resolve(&self, arg: &str) -> Result<DraftRef, ManifestError> {
        manifest::resolve(arg, self.manifest.as_ref())
    }

    pub fn load(&self, arg: &str) -> Result<Draft> {
        let r = self.resolve(arg)?;
        // Show paths relative to the current directory when they are under it.
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| r.path.strip_prefix(&cwd).ok().map(|p| p.to_path_buf()))
            .unwrap_or_else(|| r.path.clone());
        Ok(ingest::load_as(&r.name, &shown, r.family)?)
    }

    pub fn painter(&self) -> Painter {
        let paint = style::decide(self.color, self.stdout_tty);
        console::set_colors_enabled(paint == Paint::Ansi);
        Painter::new(paint)
    }

    /// Write output: through the pager when it is long, for a terminal, and paging is allowed.
    pub fn emit(&self, text: &str, pageable: bool) -> Result<()> {
        if pageable
            && self.stdout_tty
            && !self.no_pager
            && too_long_for_screen(text)
            && page(text).is_ok()
        {
            return Ok(());
        }
        write_stdout(text.as_bytes())
    }
}

fn too_long_for_screen(text: &str) -> bool {
    let rows = console::Term::stdout()
        .size_checked()
        .map_or(24, |(r, _)| r as usize);
    text.lines().count() >= rows
}

/// Send text through `$PAGER` (default `less`), with `LESS=FRX` when LESS is unset, as git does.
fn page(text: &str) -> std::io::Result<()> {
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less".to_string());
    if pager.trim() == "cat" {
        return write_stdout(text.as_bytes()).map_err(std::io::Error::other);
    }
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(&pager)
        .stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let mut child = cmd.spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit early; that is not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait()?;
    Ok(())
}

/// Write to stdout; a closed pipe (`| head`) ends quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("writing to standard output"),
    }
}
