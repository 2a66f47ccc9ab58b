//! Fuzz the redline: two drafts from one input (see `pair_of`), parsed, aligned, diffed and
//! rendered, with the invariants of `tests/exercise`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/exercise/mod.rs"]
mod exercise;

fuzz_target!(|data: &[u8]| {
    let text = exercise::text_of(data);
    let (old, new) = exercise::pair_of(&text);
    exercise::redline_all(&old, &new);
});
