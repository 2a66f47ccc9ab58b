//! oewg-diff: paragraph-aware redlines of negotiated drafts.
//!
//! The pipeline flows one way: [`ingest`] (text → model) → [`model`] (drafts, nodes, labels,
//! footnotes) → [`align`] (which node is which) → [`diff`] (word-level changes) → [`render`]
//! (terminal, plain, JSON, ...). [`manifest`] names the drafts of a series; [`app`] wires the
//! command line to the pipeline. [`brackets`] reads the square brackets of negotiated text
//! (what was opened, agreed, dropped, resolved; what does not balance).
//!
//! [`text`] holds the text rules the stages share: where a sentence ends, what an item
//! letter is worth.

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
pub mod text;
