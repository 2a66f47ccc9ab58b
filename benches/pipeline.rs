//! Speed goals of the pipeline, measured (never asserted in tests):
//! parsing a real 30 KB draft should take well under a millisecond.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("draft")
}

fn parse(c: &mut Criterion) {
    let zero = read("drafts/zero.md");
    let rev2 = read("drafts/rev2.md");
    c.bench_function("parse/zero (22 KB)", |b| {
        b.iter(|| oewg_diff::ingest::parse("zero", Path::new("zero.md"), black_box(&zero)))
    });
    c.bench_function("parse/rev2 (27 KB)", |b| {
        b.iter(|| oewg_diff::ingest::parse("rev2", Path::new("rev2.md"), black_box(&rev2)))
    });
}

criterion_group!(benches, parse);
criterion_main!(benches);
