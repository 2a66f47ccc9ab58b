//! Fuzz the parser: arbitrary bytes as a draft, parsed, checked and rendered, with the
//! invariants of `tests/exercise`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/exercise/mod.rs"]
mod exercise;

fuzz_target!(|data: &[u8]| {
    let text = exercise::text_of(data);
    exercise::parse_all(&text);
});
