//! What the commands make of files in the encodings and formats users have: UTF-16 with a
//! byte order mark (Windows Notepad, Word's "Unicode text") is read like UTF-8; a file in a
//! legacy encoding, a PDF, a Word document, an image get an error (exit 2, one line) that
//! says what the file is and what to do, never "binary data" for text.

mod common;

use common::cmd;

use std::path::{Path, PathBuf};

const DRAFT: &str = "A. Introduction\n\n1. States recalled the consensus report of the 2021 \
                     Open-ended Working Group.\u{b9}\n\n2. States’ “framework” — reaffirmed.\n\n\
                     \u{b9} A/75/816.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// `show`, `check` and the redline (on either side) each exit 2 with one line on stderr
/// holding every needle, nothing on stdout.
fn every_command_fails(bad: &Path, good: &Path, needles: &[&str]) {
    let bad = bad.to_str().unwrap();
    let good = good.to_str().unwrap();
    for args in [
        vec!["show", bad],
        vec!["check", bad],
        vec![bad, good],
        vec![good, bad],
    ] {
        let out = cmd().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: {err:?} should hold {n:?}");
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// A UTF-16 file (either byte order, with CRLF as Notepad writes) against the same text in
/// UTF-8 is no change; an edit in it is shown.
#[test]
fn utf16_with_a_byte_order_mark_is_read() {
    let s = tempfile::tempdir().unwrap();
    let utf8 = write(s.path(), "utf8.md", DRAFT.as_bytes());
    let bom8 = write(s.path(), "bom8.md", format!("\u{feff}{DRAFT}").as_bytes());
    let le = write(
        s.path(),
        "le.md",
        &utf16(&DRAFT.replace('\n', "\r\n"), false),
    );
    let be = write(s.path(), "be.md", &utf16(DRAFT, true));
    for p in [&bom8, &le, &be] {
        let out = cmd().arg(&utf8).arg(p).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}: {text}", p.display());
        assert!(text.contains("No differences"), "{text}");
        let out = cmd().arg("check").arg(p).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let edited = write(
        s.path(),
        "edited.md",
        &utf16(&DRAFT.replace("reaffirmed", "welcomed"), false),
    );
    let out = cmd()
        .arg(&le)
        .arg(&edited)
        .args(["--format", "plain"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("[-reaffirmed-]{+welcomed+}"), "{text}");
    let out = cmd().args(["show"]).arg(&be).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("States’ “framework”"));
}

#[test]
fn broken_utf16_is_named() {
    let s = tempfile::tempdir().unwrap();
    let good = write(s.path(), "good.md", DRAFT.as_bytes());
    let mut odd = utf16(DRAFT, false);
    odd.push(b'x');
    let p = write(s.path(), "odd.md", &odd);
    every_command_fails(&p, &good, &["odd.md", "UTF-16 LE", "odd number of bytes"]);
    // An unpaired high surrogate on line 3.
    let mut lone = utf16("A. Introduction\n\n1. States", true);
    lone.extend([0xD8, 0x00, 0x00, b'x']);
    let p = write(s.path(), "lone.md", &lone);
    every_command_fails(
        &p,
        &good,
        &[
            "lone.md",
            "UTF-16 BE",
            "unpaired surrogate",
            "line 3",
            "save it as UTF-8",
        ],
    );
    let mut no_bom = utf16(DRAFT, false);
    no_bom.drain(..2);
    let p = write(s.path(), "nobom.md", &no_bom);
    every_command_fails(
        &p,
        &good,
        &["nobom.md", "UTF-16 text without a byte order mark", "UTF-8"],
    );
}

#[test]
fn legacy_encodings_are_named_with_the_byte_and_line() {
    let s = tempfile::tempdir().unwrap();
    let good = write(s.path(), "good.md", DRAFT.as_bytes());
    let p = write(s.path(), "latin1.md", b"A. Intro\n\n1. Caf\xe9 text\n");
    every_command_fails(
        &p,
        &good,
        &[
            "latin1.md",
            "not UTF-8",
            "looks like Latin-1/Windows-1252",
            "byte 0xE9",
            "line 3",
            "save it as UTF-8",
            "iconv",
        ],
    );
    // Word's "ANSI" text: curly quotes 0x93 0x94.
    let p = write(
        s.path(),
        "ansi.md",
        b"A. Intro\n\n1. The \x93framework\x94.\n",
    );
    every_command_fails(
        &p,
        &good,
        &["ansi.md", "Windows-1252", "byte 0x93", "line 3"],
    );
    // UTF-8 with one bad byte further on: damage, or two encodings mixed.
    let p = write(
        s.path(),
        "mixed.md",
        "A. Intro\n\n1. États\n\n2. Caf".as_bytes(),
    );
    let mut mixed = std::fs::read(&p).unwrap();
    mixed.extend(b"\xe9.\n");
    let p = write(s.path(), "mixed.md", &mixed);
    every_command_fails(&p, &good, &["mixed.md", "mostly UTF-8", "line 5"]);
}

#[test]
fn documents_that_are_not_text_are_named_with_what_to_do() {
    let s = tempfile::tempdir().unwrap();
    let good = write(s.path(), "good.md", DRAFT.as_bytes());
    let cases: [(&str, &[u8], &[&str]); 7] = [
        (
            "draft.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            &["a PDF file", "pdftotext -layout"],
        ),
        (
            "draft.docx",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml",
            &["a Word document (.docx)", "plain text", "pandoc"],
        ),
        (
            "draft.odt",
            b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.text",
            &["an OpenDocument file (.odt)"],
        ),
        (
            "draft.zip",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00notes.txt",
            &["a ZIP archive"],
        ),
        (
            "draft.doc",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00",
            &["Word 97-2003 document (.doc)", "plain text"],
        ),
        (
            "scan.png",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            &["an image", "OCR"],
        ),
        ("draft.rtf", b"{\\rtf1\\ansi text}", &["an RTF document"]),
    ];
    for (name, bytes, needles) in cases {
        let p = write(s.path(), name, bytes);
        let mut all = vec![name];
        all.extend_from_slice(needles);
        every_command_fails(&p, &good, &all);
    }
    // Other bytes with NULs: binary data, as before.
    let p = write(
        s.path(),
        "data.bin",
        b"A. Intro\x00\x01\x02\x03\x04 text here",
    );
    every_command_fails(
        &p,
        &good,
        &["data.bin", "binary data (NUL byte at offset 8)"],
    );
}
