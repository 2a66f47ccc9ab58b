//! On a terminal (a pseudo-terminal made by `script`): a pager that cannot run is no reason to
//! lose the redline; `TERM=dumb` and `NO_COLOR` mean no colour, `CLICOLOR_FORCE` forces it.
#![cfg(unix)]

mod common;

/// Run oewg-diff on a pseudo-terminal with `env` set; what the terminal showed, or `None`
/// (with a note) where `script` is not available.
fn on_tty(args: &str, env: &[(&str, &str)]) -> Option<(i32, String)> {
    let bin = assert_cmd::cargo::cargo_bin("oewg-diff");
    let mut c = std::process::Command::new("script");
    c.current_dir(common::root())
        .args(["-qec", &format!("'{}' {args}", bin.display()), "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("LESS")
        .env("TERM", "xterm")
        .env("COLUMNS", "100")
        .env("LINES", "24")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    match c.output() {
        Ok(o) if o.status.code().is_some() => Some((
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n"),
        )),
        _ => {
            eprintln!("note: `script` (util-linux) is not available; skipped");
            None
        }
    }
}

#[test]
fn a_pager_that_cannot_run_leaves_the_redline_on_the_terminal() {
    for pager in [
        "no-such-pager-anywhere",
        "/nonexistent/less -R",
        "sh -c 'exit 127'",
    ] {
        let Some((code, out)) = on_tty("zero rev2 --color debug", &[("PAGER", pager)]) else {
            return;
        };
        assert_eq!(code, 1, "PAGER={pager}: {out}");
        assert!(
            out.contains("C 14(c) <- B 3(a)(viii)"),
            "PAGER={pager}: {out}"
        );
        assert!(out.contains("warning: the pager"), "PAGER={pager}: {out}");
    }
    // A pager that runs gets the text (here one that marks each line it shows).
    let Some((code, out)) = on_tty("zero rev2 --color debug", &[("PAGER", "sed s/^/P:/")]) else {
        return;
    };
    assert_eq!(code, 1);
    assert!(
        out.contains("P:<<label::C 14(c) <- B 3(a)(viii)>>"),
        "{out}"
    );
    assert!(!out.contains("warning"), "{out}");
}

#[test]
fn colour_follows_term_no_color_and_clicolor_force() {
    let run = |env: &[(&str, &str)]| {
        on_tty("zero rev2 --no-pager", env).map(|(_, o)| o.contains('\u{1b}'))
    };
    let Some(plain_xterm) = run(&[]) else { return };
    assert!(plain_xterm, "a terminal gets colour");
    assert_eq!(run(&[("TERM", "dumb")]), Some(false));
    assert_eq!(run(&[("NO_COLOR", "1")]), Some(false));
    // An empty NO_COLOR is not set.
    assert_eq!(run(&[("NO_COLOR", "")]), Some(true));
    assert_eq!(
        run(&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")]),
        Some(true)
    );
    assert_eq!(
        run(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
        Some(false)
    );
}
