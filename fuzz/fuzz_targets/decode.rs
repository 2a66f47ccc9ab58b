//! Fuzz the reading of a file's bytes (`ingest::decode_text`: UTF-8 and UTF-16 with their
//! byte-order marks, known binary formats, other encodings), then the parse of what it reads.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/exercise/mod.rs"]
mod exercise;

fuzz_target!(|data: &[u8]| {
    exercise::decode_all(data);
});
