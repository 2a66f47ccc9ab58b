//! oewg-diff: paragraph-aware redlines of negotiated drafts.
//!
//! The pipeline flows one way: [`ingest`] (text → model) → [`model`] (drafts, nodes, labels,
//! footnotes) → [`align`] (which node is which) → [`diff`] (word-level changes) → [`render`]
//! (terminal, plain, JSON, ...). [`manifest`] names the drafts of a series; [`app`] wires the
//! command line to the pipeline. [`brackets`] reads the square brackets of negotiated text
//! (what was opened, agreed, dropped, resolved; what does not balance).

/// A table of the 256 byte values, `true` where `$test` holds of the byte `$b` (built at
/// compile time): the scanners that test every byte of a draft read a table instead of
/// several comparisons.
macro_rules! byte_table {
    ($b:ident => $test:expr) => {{
        let mut table = [false; 256];
        let mut i = 0;
        while i < 256 {
            let $b = i as u8;
            table[i] = $test;
            i += 1;
        }
        table
    }};
}

pub mod align;
pub mod app;
pub mod brackets;
pub mod check;
pub mod cli;
pub mod diff;
pub mod error;
pub mod ingest;
pub mod manifest;
pub mod model;
pub mod render;
pub mod series;
