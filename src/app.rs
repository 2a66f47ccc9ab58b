//! The commands: argument values in, pipeline run, output written. `main.rs` only maps the
//! result to an exit status.

use crate::cli::{Cli, Command, ShowFormat};
use crate::error::ManifestError;
use crate::ingest;
use crate::manifest::{self, DraftRef, Manifest};
use crate::model::Draft;
use crate::render::outline;
use crate::render::style::{self, Paint, Painter};
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
        None => anyhow::bail!(
            "give two drafts to compare (OLD NEW), or a command; see oewg-diff --help"
        ),
    }
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
        Ok(ingest::load(&r.name, &r.path)?)
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
