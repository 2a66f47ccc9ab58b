//! The commands: argument values in, pipeline run, output written. `main.rs` only maps the
//! result to an exit status. Draft arguments (a file first, then a manifest name, `-` for
//! standard input) and the manifest's use are here; git's diff driver, paging and the
//! checking of `--section`/`--para` are in the submodules.

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
use std::sync::atomic::{AtomicBool, Ordering};

mod driver;
mod pager;
mod selection;

pub use driver::under_git;

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
            selection::check(&[&d], section, &[])?;
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
    let stdin_uses = args
        .iter()
        .chain(against.into_iter().flatten())
        .filter(|a| a.as_str() == STDIN_ARG)
        .count();
    if stdin_uses > 1 {
        anyhow::bail!(
            "'-' (standard input) can be read only once; give files or draft names for the others"
        );
    }
    let mut targets: Vec<DraftRef> = Vec::new();
    for a in args {
        targets.push(ctx.resolve(a)?);
    }
    if args.is_empty() && against.is_none() {
        let Some(m) = ctx.needed_manifest()? else {
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
            painter.guard(s)
        }
    };
    write_stdout(text.as_bytes())?;
    Ok(if errors > 0 || (strict && warnings > 0) {
        Outcome::Different
    } else {
        Outcome::Same
    })
}

/// The redline: `oewg-diff OLD NEW`, or git's arguments as an external diff driver.
fn diff(ctx: &Context_, args: &DiffArgs) -> Result<Outcome> {
    if let Some(call) = driver::Call::parse(&args.drafts) {
        return driver::run(ctx, args, &call);
    }
    match args.drafts.as_slice() {
        [old, new] => diff_two(ctx, args, old, new),
        [path] if driver::under_git() => driver::unmerged(path),
        [] => anyhow::bail!(
            "give two drafts to compare (OLD NEW), or a command; see oewg-diff --help"
        ),
        other => anyhow::bail!(
            "expected two drafts (OLD NEW) or git's seven or nine diff-driver arguments, got {} argument(s); see oewg-diff --help",
            other.len()
        ),
    }
}

/// `oewg-diff OLD NEW`: draft names or file paths, `-` for standard input.
fn diff_two(ctx: &Context_, args: &DiffArgs, old: &str, new: &str) -> Result<Outcome> {
    if old == STDIN_ARG && new == STDIN_ARG {
        anyhow::bail!(
            "'-' (standard input) can be read only once; give a file or a draft name for OLD or NEW"
        );
    }
    let (old_ref, new_ref) = (ctx.resolve(old)?, ctx.resolve(new)?);
    let (o, n) = (ctx.load_ref(&old_ref)?, ctx.load_ref(&new_ref)?);
    // The new draft's date in the manifest dates the tracked changes of a Word document.
    let out = DiffOutput {
        // The files the drafts were read from: never to be overwritten by -o.
        inputs: vec![old_ref.path.clone(), new_ref.path.clone()],
        new_date: ctx.manifest_date(&new_ref),
        prelude: Vec::new(),
        driver: false,
    };
    let changed = redline_out(ctx, args, &o, &n, &out)?;
    Ok(if changed {
        Outcome::Different
    } else {
        Outcome::Same
    })
}

/// What a redline's output needs besides the drafts.
pub(crate) struct DiffOutput {
    /// Files never to be overwritten by `-o`.
    pub inputs: Vec<PathBuf>,
    /// The date of the tracked changes of a Word document, from the manifest.
    pub new_date: Option<String>,
    /// Lines before the redline (the git driver's `renamed a -> b`).
    pub prelude: Vec<String>,
    /// Run as git's diff driver: no pager (git has its own).
    pub driver: bool,
}

/// Compare two drafts and write the redline as `args` ask. Returns whether the selection
/// holds a change.
pub(crate) fn redline_out(
    ctx: &Context_,
    args: &DiffArgs,
    old: &Draft,
    new: &Draft,
    out: &DiffOutput,
) -> Result<bool> {
    let mut r = crate::diff::redline(old, new);
    if args.ignore_typography {
        r.hide_typography();
    }
    let sel = Selection {
        sections: args.section.clone(),
        paras: args.para.clone(),
        all: args.all,
    };
    selection::check_redline(&r, &sel)?;
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
        let line = typography_line(n);
        if format == DiffFormat::Docx {
            eprintln!("oewg-diff: note: {}", style::visible(&line));
        } else {
            r.notes.push(line);
        }
    }
    let text_view = matches!(format, DiffFormat::Term | DiffFormat::Plain);
    if !text_view {
        // Where a text view has its lines first, the other formats carry them as notes.
        r.notes.extend(out.prelude.iter().cloned());
    }
    let bytes: Vec<u8> = match format {
        DiffFormat::Json => render::json::render(&r, &sel).into_bytes(),
        DiffFormat::Html => render::html::render(&r, &sel).into_bytes(),
        DiffFormat::Md => render::markdown::render(&r, &sel).into_bytes(),
        DiffFormat::Docx => docx(ctx, args, &r, &sel, to_file, out.new_date.as_deref())?,
        DiffFormat::Term | DiffFormat::Plain => {
            let mut t = String::new();
            for l in &out.prelude {
                t.push_str(&painter.paint(style::Role::Note, l));
                t.push('\n');
            }
            t.push_str(&text_view_body(args, &r, &sel, &painter));
            t.into_bytes()
        }
    };
    match to_file {
        Some(path) => {
            render::output::write_output(path, &bytes, &out.inputs, format == DiffFormat::Docx)?
        }
        None if format == DiffFormat::Term => {
            ctx.emit(&String::from_utf8_lossy(&bytes), !out.driver)?;
        }
        None => write_stdout(&bytes)?,
    }
    Ok(sel.has_changes(&r))
}

/// The redline, `--stat` or `--footnotes` as text, with the note of what typography hid.
fn text_view_body(
    args: &DiffArgs,
    r: &crate::diff::Redline,
    sel: &Selection,
    painter: &Painter,
) -> String {
    let mut t = String::new();
    if args.stat {
        t.push_str(&render::tables::stat(r, sel, painter));
    }
    if args.footnotes {
        if !t.is_empty() {
            t.push('\n');
        }
        t.push_str(&render::tables::footnotes(r, sel, painter));
    }
    if !args.stat && !args.footnotes {
        t.push_str(&render::redline::render(r, sel, painter));
    }
    if let Some(n) = r.typographic_hidden {
        let line = typography_line(n);
        t.push_str(&format!("\n{}\n", painter.paint(style::Role::Note, &line)));
    }
    t
}

fn typography_line(n: usize) -> String {
    format!(
        "{n} typographic-only change{} hidden (--ignore-typography)",
        if n == 1 { "" } else { "s" }
    )
}

/// The Word document, when it has somewhere to go.
fn docx(
    ctx: &Context_,
    args: &DiffArgs,
    r: &crate::diff::Redline,
    sel: &Selection,
    to_file: Option<&std::path::Path>,
    new_date: Option<&str>,
) -> Result<Vec<u8>> {
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
    check_author(&args.author)?;
    let date = render::docx::revision_date(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        new_date,
        std::time::SystemTime::now(),
    )
    .map_err(anyhow::Error::msg)?;
    let opts = render::docx::DocxOptions {
        author: args.author.clone(),
        date,
    };
    render::docx::render(r, sel, &opts).context("building the Word document")
}

/// An author name XML can hold on one line: no control character (XML 1.0 forbids most of
/// them, and a tab or line break would be folded into a space), no noncharacter.
fn check_author(author: &str) -> Result<()> {
    if let Some((i, c)) = author
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
    {
        anyhow::bail!(
            "--author: character U+{:04X} at position {} cannot be in a Word document's author name; give the name as plain text (got '{}')",
            c as u32,
            i + 1,
            selection::shown(author)
        );
    }
    Ok(())
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

/// The argument that means standard input, for a draft.
pub const STDIN_ARG: &str = "-";

/// Where standard input is read from: the path of its descriptor, so a draft read there goes
/// through the same checks as a file (and `-o` is refused over a file redirected into it).
const STDIN_PATH: &str = "/dev/stdin";

/// What every command needs: the manifest (if any), colour and paging decisions.
pub struct Context_ {
    manifest: Option<Manifest>,
    /// A manifest found by searching upward that cannot be used: its error (which names the
    /// file). A draft name needs the manifest and fails with it; a file path warns and goes on.
    broken_manifest: Option<String>,
    warned: AtomicBool,
    pub color: style::ColorChoice,
    pub no_pager: bool,
    pub stdout_tty: bool,
}

impl Context_ {
    pub fn new(cli: &Cli) -> Result<Self> {
        let (manifest, broken_manifest) = match &cli.manifest {
            // Asked for by name: it must be usable.
            Some(p) => (Some(Manifest::load(p)?), None),
            None => {
                let cwd = std::env::current_dir().context("reading the current directory")?;
                match Manifest::discover(&cwd).map(|p| Manifest::load(&p)) {
                    Some(Ok(m)) => (Some(m), None),
                    Some(Err(e)) => (None, Some(e.to_string())),
                    None => (None, None),
                }
            }
        };
        Ok(Context_ {
            manifest,
            broken_manifest,
            warned: AtomicBool::new(false),
            color: cli.color,
            no_pager: cli.no_pager,
            stdout_tty: std::io::stdout().is_terminal(),
        })
    }

    /// The manifest, where a command can do without it: one found broken is warned about
    /// (once) and left out.
    fn manifest(&self) -> Option<&Manifest> {
        if let Some(e) = &self.broken_manifest
            && !self.warned.swap(true, Ordering::Relaxed)
        {
            eprintln!(
                "oewg-diff: warning: {e}; going on without it (draft names from it cannot be used)"
            );
        }
        self.manifest.as_ref()
    }

    /// The manifest, where a command needs it: one found broken is the error.
    fn needed_manifest(&self) -> Result<Option<&Manifest>> {
        match &self.broken_manifest {
            Some(e) => Err(anyhow::anyhow!("{e}")),
            None => Ok(self.manifest.as_ref()),
        }
    }

    /// A draft argument: `-`, a file that exists, else a draft name from the manifest.
    pub fn resolve(&self, arg: &str) -> Result<DraftRef> {
        if arg == STDIN_ARG {
            return Ok(DraftRef {
                name: STDIN_ARG.to_string(),
                path: PathBuf::from(STDIN_PATH),
                series: None,
                family: None,
            });
        }
        let path = std::path::Path::new(arg);
        if path.exists() && !path.is_dir() {
            self.warn_if_shadowed(arg, path);
            return Ok(manifest::resolve(arg, None)?);
        }
        match manifest::resolve(arg, self.manifest.as_ref()) {
            Err(ManifestError::NoManifest { .. }) if self.broken_manifest.is_some() => {
                let broken = self.broken_manifest.as_deref().unwrap_or_default();
                Err(anyhow::anyhow!(
                    "{}: no such file, and the manifest that would name it cannot be used: {broken}",
                    selection::shown(arg)
                ))
            }
            r => Ok(r?),
        }
    }

    /// A file given where the manifest also has a draft of that name: the file is read; say
    /// so when the draft is another file.
    fn warn_if_shadowed(&self, arg: &str, path: &std::path::Path) {
        let Some(m) = self.manifest() else { return };
        if let Some((_, d)) = m.entry(arg)
            && !render::output::same_file(&m.base().join(&d.path), path)
        {
            eprintln!(
                "oewg-diff: warning: '{}' is a file here and also a draft name in {} (file {}); reading the file: rename one of them, or give the draft's path",
                selection::shown(arg),
                m.path.display(),
                d.path.display()
            );
        }
    }

    pub fn load(&self, arg: &str) -> Result<Draft> {
        self.load_ref(&self.resolve(arg)?)
    }

    pub fn load_ref(&self, r: &DraftRef) -> Result<Draft> {
        Ok(self.load_with_source(r)?.0)
    }

    /// The date the manifest gives a draft (found by name or by its file's path), if any.
    pub fn manifest_date(&self, r: &DraftRef) -> Option<String> {
        let (_, s, i) = self.place_in_series(r)?;
        s.drafts[i].date.clone()
    }

    /// Load the drafts of a series (see [`series::choose`] for which), and find `draft` in it.
    fn load_series(&self, series: Option<&str>, draft: Option<&str>) -> Result<LoadedSeries> {
        let Some(m) = self.needed_manifest()? else {
            let dir = std::env::current_dir().context("reading the current directory")?;
            return Err(SeriesError::NoManifest { dir }.into());
        };
        // A draft may be given by its file's path, as `check` accepts it; a file that exists
        // comes first, as everywhere.
        let named = draft.map(|d| {
            self.resolve(d)
                .ok()
                .and_then(|r| self.place_in_series(&r))
                .map_or_else(|| d.to_string(), |(_, s, i)| s.drafts[i].name.clone())
        });
        let (chosen, at) = series::choose(m, series, named.as_deref())?;
        let mut revisions = Vec::with_capacity(chosen.drafts.len());
        for e in &chosen.drafts {
            revisions.push(Revision {
                draft: self.load_ref(&m.resolve_entry(chosen, e))?,
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
        if r.name == STDIN_ARG && r.path == std::path::Path::new(STDIN_PATH) {
            let text = ingest::read_text(&r.path).context("reading standard input (-)")?;
            let d = ingest::parse_as(STDIN_ARG, std::path::Path::new(STDIN_ARG), &text, None);
            return Ok((d, text));
        }
        let text = ingest::read_text(&r.path)?;
        // Show paths relative to the current directory when they are under it.
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
        let m = self.manifest()?;
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
            && pager::page(text)
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

/// Write to stdout; a closed pipe (`| head`) ends quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e).context("writing to standard output"),
    }
}
