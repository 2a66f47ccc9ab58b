//! The commands: argument values in, pipeline run, output written. `main.rs` only maps the
//! result to an exit status.

use crate::cli::{Cli, Command, DiffArgs, DiffFormat, ShowFormat};
use crate::error::{ManifestError, SeriesError};
use crate::ingest;
use crate::manifest::{self, DraftRef, Manifest};
use crate::model::Draft;
use crate::render::redline::Selection;
use crate::render::style::{self, Paint, Painter};
use crate::render::{self, outline};
use crate::series::{self, Revision, Series};
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

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
    if cli.command.is_some() && !cli.diff.drafts.is_empty() {
        anyhow::bail!(
            "give either two drafts to compare or a command, not both; see oewg-diff --help"
        );
    }
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
        Some(Command::History {
            label,
            in_draft,
            series,
            format,
        }) => history(&ctx, label, in_draft.as_deref(), series.as_deref(), *format),
        Some(Command::Blame {
            draft,
            section,
            para,
            format,
        }) => blame(&ctx, draft, section, para, *format),
        Some(Command::Log { series, format }) => log(&ctx, series.as_deref(), *format),
        Some(Command::Check {
            drafts,
            against,
            strict,
            format,
            list_rules,
        }) => {
            if *list_rules {
                let mut t = String::new();
                for r in crate::check::RULES {
                    t.push_str(&format!(
                        "{}  {:<7}  {}\n",
                        r.code,
                        r.severity.as_str(),
                        r.summary
                    ));
                }
                write_stdout(t.as_bytes())?;
                return Ok(Outcome::Same);
            }
            check(&ctx, drafts, against.as_deref(), *strict, *format)
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

/// `oewg-diff check`: diagnostics for each draft, then a one-line summary.
fn check(
    ctx: &Context_,
    args: &[String],
    against: Option<&[String]>,
    strict: bool,
    format: ShowFormat,
) -> Result<Outcome> {
    use crate::check::{self, Diagnostic, Severity};
    let mut targets: Vec<DraftRef> = Vec::new();
    for a in args {
        targets.push(ctx.resolve(a)?);
    }
    if args.is_empty() && against.is_none() {
        let Some(m) = &ctx.manifest else {
            anyhow::bail!(
                "no drafts given and no oewg.toml found; give draft files, or run where oewg.toml is"
            );
        };
        for s in &m.series {
            for d in &s.drafts {
                targets.push(m.resolve_entry(s, d));
            }
        }
    }
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut checked = 0;
    for t in &targets {
        let (draft, source) = ctx.load_with_source(t)?;
        checked += 1;
        diags.extend(check::check_draft(&draft, &source));
        // Agreed language from earlier drafts of the same series.
        if let Some((m, series, pos)) = ctx.place_in_series(t) {
            for earlier in &series.drafts[..pos] {
                if earlier.agreed.is_empty() {
                    continue;
                }
                let er = m.resolve_entry(series, earlier);
                let (ed, _) = ctx.load_with_source(&er)?;
                let r = crate::diff::redline(&ed, &draft);
                diags.extend(check::check_agreed(
                    &r,
                    &earlier.name,
                    &earlier.agreed,
                    &m.path.display().to_string(),
                ));
            }
        }
    }
    if let Some([old, new]) = against {
        let (od, _) = ctx.load_with_source(&ctx.resolve(old)?)?;
        let nr = ctx.resolve(new)?;
        let (nd, nsrc) = ctx.load_with_source(&nr)?;
        if !targets.iter().any(|t| t.path == nr.path) {
            checked += 1;
            diags.extend(check::check_draft(&nd, &nsrc));
        }
        let r = crate::diff::redline(&od, &nd);
        diags.extend(check::check_against(&r, &nsrc));
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let text = match format {
        ShowFormat::Json => {
            let doc = serde_json::json!({
                "diagnostics": diags,
                "summary": {"errors": errors, "warnings": warnings, "drafts": checked},
            });
            let mut s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
            s
        }
        ShowFormat::Text => {
            let painter = ctx.painter();
            let mut s = String::new();
            for d in &diags {
                let line = d.render();
                let role = match d.severity {
                    Severity::Error => render::style::Role::Error,
                    Severity::Warning => render::style::Role::Warning,
                };
                // Colour the severity word only; the rest stays plain for editors and grep.
                let sev = d.severity.as_str();
                let painted = line.replacen(
                    &format!(" {sev}["),
                    &format!(" {}[", painter.paint(role, sev)),
                    1,
                );
                s.push_str(&painted);
                s.push('\n');
            }
            s.push_str(&format!(
                "{errors} error{}, {warnings} warning{} in {checked} draft{}\n",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
                if checked == 1 { "" } else { "s" },
            ));
            s
        }
    };
    write_stdout(text.as_bytes())?;
    Ok(if errors > 0 || (strict && warnings > 0) {
        Outcome::Different
    } else {
        Outcome::Same
    })
}

/// The redline: `oewg-diff OLD NEW`, or git's seven arguments as an external diff driver.
fn diff(ctx: &Context_, args: &DiffArgs) -> Result<Outcome> {
    // The drafts, and the files they were read from (never to be overwritten by -o).
    // The new draft's date in the manifest dates the tracked changes of a Word document.
    let (old, new, git_driver, inputs, new_date) = match args.drafts.as_slice() {
        [old, new] => {
            let (o, n) = crate::parallel::both(|| ctx.load(old), || ctx.load(new));
            let (o, n) = (o?, n?);
            let new_ref = ctx.resolve(new)?;
            let date = ctx.manifest_date(&new_ref);
            let inputs = vec![ctx.resolve(old)?.path, new_ref.path];
            (o, n, false, inputs, date)
        }
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
            let inputs = [path, old_file, new_file]
                .iter()
                .filter(|f| f.as_str() != "/dev/null")
                .map(PathBuf::from)
                .collect();
            (
                load_side(old_file, &format!("a/{path}"))?,
                load_side(new_file, &format!("b/{path}"))?,
                true,
                inputs,
                None,
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
    let mut r = crate::diff::redline(&old, &new);
    if args.ignore_typography {
        r.hide_typography();
    }
    let sel = Selection {
        sections: args.section.clone(),
        paras: args.para.clone(),
        all: args.all,
    };
    // `-o -` is standard output.
    let to_file = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    let painter = match to_file {
        // A file is no terminal: colour only when asked for with --color always.
        Some(_) => {
            let paint = style::decide(ctx.color, false);
            console::set_colors_enabled(paint == Paint::Ansi);
            Painter::new(paint)
        }
        None => ctx.painter(),
    };
    let format = match (args.format, to_file) {
        (Some(f), _) => f,
        (None, Some(p)) => DiffFormat::for_path(p).unwrap_or(DiffFormat::Plain),
        (None, None) if painter.is_colored() => DiffFormat::Term,
        (None, None) => DiffFormat::Plain,
    };
    if format.is_export() && (args.stat || args.footnotes) {
        anyhow::bail!(
            "--stat and --footnotes are views of the terminal redline; leave them out with --format html, md or docx (the exports hold the footnote table or the footnotes themselves)"
        );
    }
    let painter = match format {
        DiffFormat::Plain => Painter::plain(),
        _ => painter,
    };
    // The exports say what --ignore-typography hid, as the terminal view does: HTML and
    // Markdown among their notes, JSON in its summary, a Word document on standard error
    // (its text is the accepted redline, with no place for a note).
    if let Some(n) = r.typographic_hidden
        && format.is_export()
    {
        let line = format!(
            "{n} typographic-only change{} hidden (--ignore-typography)",
            if n == 1 { "" } else { "s" }
        );
        if format == DiffFormat::Docx {
            eprintln!("oewg-diff: note: {line}");
        } else {
            r.notes.push(line);
        }
    }
    let bytes: Vec<u8> = match format {
        DiffFormat::Json => render::json::render(&r, &sel).into_bytes(),
        DiffFormat::Html => render::html::render(&r, &sel).into_bytes(),
        DiffFormat::Md => render::markdown::render(&r, &sel).into_bytes(),
        DiffFormat::Docx => {
            if args.output.is_none() {
                anyhow::bail!(
                    "a Word document is a binary file; give -o FILE.docx (or -o - to send it down a pipe)"
                );
            }
            if to_file.is_none() && ctx.stdout_tty {
                anyhow::bail!(
                    "refusing to write a Word document to the terminal; give -o FILE.docx, or redirect standard output"
                );
            }
            let date = render::docx::revision_date(
                std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
                new_date.as_deref(),
                std::time::SystemTime::now(),
            )
            .map_err(anyhow::Error::msg)?;
            let opts = render::docx::DocxOptions {
                author: args.author.clone(),
                date,
            };
            render::docx::render(&r, &sel, &opts).context("building the Word document")?
        }
        DiffFormat::Term | DiffFormat::Plain => {
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
            if let Some(n) = r.typographic_hidden {
                let line = format!(
                    "{n} typographic-only change{} hidden (--ignore-typography)",
                    if n == 1 { "" } else { "s" }
                );
                t.push_str(&format!("\n{}\n", painter.paint(style::Role::Note, &line)));
            }
            t.into_bytes()
        }
    };
    match to_file {
        Some(path) => render::output::write_output(path, &bytes, &inputs, format == DiffFormat::Docx)?,
        None if format == DiffFormat::Term => {
            ctx.emit(&String::from_utf8_lossy(&bytes), true)?;
        }
        None => write_stdout(&bytes)?,
    }
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

/// The drafts of a series, loaded, oldest first.
struct LoadedSeries {
    name: String,
    title: Option<String>,
    revisions: Vec<Revision>,
    /// Where the draft the command named stands in the series.
    at: Option<usize>,
}

impl LoadedSeries {
    fn view(&self) -> Series<'_> {
        let mut s = Series::new(self.name.clone(), &self.revisions);
        s.title = self.title.clone();
        s
    }
}

/// The output format of a series view, and the painter for it.
fn series_format(ctx: &Context_, format: Option<DiffFormat>) -> (DiffFormat, Painter) {
    let painter = ctx.painter();
    let format = format.unwrap_or(if painter.is_colored() {
        DiffFormat::Term
    } else {
        DiffFormat::Plain
    });
    match format {
        DiffFormat::Plain => (format, Painter::plain()),
        _ => (format, painter),
    }
}

/// `oewg-diff history LABEL [--in DRAFT] [--series NAME]`
fn history(
    ctx: &Context_,
    label: &str,
    in_draft: Option<&str>,
    series: Option<&str>,
    format: Option<DiffFormat>,
) -> Result<Outcome> {
    let loaded = ctx.load_series(series, in_draft)?;
    let view = loaded.view();
    let start = loaded.at.unwrap_or(view.len() - 1);
    let h = series::history(&view, start, label)?;
    let (format, painter) = series_format(ctx, format);
    let text = match format {
        DiffFormat::Json => render::series::history_json(&view, &h),
        _ => render::series::history_text(&view, &h, &painter),
    };
    ctx.emit(&text, format == DiffFormat::Term)?;
    Ok(Outcome::Same)
}

/// `oewg-diff blame DRAFT [--section S] [--para L]`
fn blame(
    ctx: &Context_,
    draft: &str,
    sections: &[String],
    paras: &[String],
    format: Option<DiffFormat>,
) -> Result<Outcome> {
    let loaded = ctx.load_series(None, Some(draft))?;
    let at = loaded.at.unwrap_or(0);
    // Later drafts cannot be credited: leave them out.
    let mut view = Series::new(loaded.name.clone(), &loaded.revisions[..=at]);
    view.title = loaded.title.clone();
    let nodes = series::select(view.draft(at), sections, paras)?;
    let b = series::blame(&view, at);
    let (format, painter) = series_format(ctx, format);
    let text = match format {
        DiffFormat::Json => render::series::blame_json(&view, &b, &nodes),
        _ => render::series::blame_text(&view, &b, &nodes, &painter),
    };
    ctx.emit(&text, format == DiffFormat::Term)?;
    Ok(Outcome::Same)
}

/// `oewg-diff log [--series NAME]`
fn log(ctx: &Context_, series: Option<&str>, format: Option<DiffFormat>) -> Result<Outcome> {
    let loaded = ctx.load_series(series, None)?;
    let view = loaded.view();
    let summaries = series::log(&view);
    let (format, painter) = series_format(ctx, format);
    let text = match format {
        DiffFormat::Json => render::series::log_json(&view, &summaries),
        _ => render::series::log_text(&view, &summaries, &painter),
    };
    ctx.emit(&text, format == DiffFormat::Term)?;
    Ok(Outcome::Same)
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

    /// The date the manifest gives a draft (found by name or by its file's path), if any.
    pub fn manifest_date(&self, r: &DraftRef) -> Option<String> {
        let (_, s, i) = self.place_in_series(r)?;
        s.drafts[i].date.clone()
    }

    /// Load the drafts of a series (see [`series::choose`] for which), and find `draft` in it.
    fn load_series(&self, series: Option<&str>, draft: Option<&str>) -> Result<LoadedSeries> {
        let Some(m) = &self.manifest else {
            let dir = std::env::current_dir().context("reading the current directory")?;
            return Err(SeriesError::NoManifest { dir }.into());
        };
        // A draft may be given by its file's path, as `check` accepts it.
        let named = draft.map(|d| match m.entry(d) {
            Some(_) => d.to_string(),
            None => self
                .resolve(d)
                .ok()
                .and_then(|r| self.place_in_series(&r))
                .map_or_else(|| d.to_string(), |(_, s, i)| s.drafts[i].name.clone()),
        });
        let (chosen, at) = series::choose(m, series, named.as_deref())?;
        let mut revisions = Vec::with_capacity(chosen.drafts.len());
        for e in &chosen.drafts {
            revisions.push(Revision {
                draft: self.load(&e.name)?,
                title: e.title.clone(),
                date: e.date.clone(),
            });
        }
        Ok(LoadedSeries {
            name: chosen.name.clone(),
            title: chosen.title.clone(),
            revisions,
            at,
        })
    }

    /// Load a resolved draft and keep its source text (for columns in diagnostics).
    pub fn load_with_source(&self, r: &DraftRef) -> Result<(Draft, String)> {
        let text = ingest::read_text(&r.path)?;
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| r.path.strip_prefix(&cwd).ok().map(|p| p.to_path_buf()))
            .unwrap_or_else(|| r.path.clone());
        Ok((ingest::parse_as(&r.name, &shown, &text, r.family), text))
    }

    /// The series a draft belongs to and its position there: by name, or by the file's path
    /// (as when the pre-commit hook passes `drafts/rev2.md`).
    pub fn place_in_series(
        &self,
        r: &DraftRef,
    ) -> Option<(&Manifest, &crate::manifest::Series, usize)> {
        let m = self.manifest.as_ref()?;
        let canon = |p: &std::path::Path| std::fs::canonicalize(p).ok();
        let want = canon(&r.path);
        for s in &m.series {
            for (i, d) in s.drafts.iter().enumerate() {
                let same_name = r.series.as_deref() == Some(s.name.as_str()) && d.name == r.name;
                let same_path = want.is_some() && canon(&m.base().join(&d.path)) == want;
                if same_name || same_path {
                    return Some((m, s, i));
                }
            }
        }
        None
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
