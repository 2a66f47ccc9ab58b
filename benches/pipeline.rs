//! Speed goals of the pipeline, measured (never asserted in tests):
//! parsing a real 30 KB draft should take well under a millisecond; the whole redline of
//! the real pair (parse both, align, reconcile footnotes, diff, render) at most 2 ms.

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

fn pipeline(c: &mut Criterion) {
    let zero_text = read("drafts/zero.md");
    let rev2_text = read("drafts/rev2.md");
    let zero = oewg_diff::ingest::parse("zero", Path::new("zero.md"), &zero_text);
    let rev2 = oewg_diff::ingest::parse("rev2", Path::new("rev2.md"), &rev2_text);
    c.bench_function("align/zero->rev2", |b| {
        b.iter(|| oewg_diff::align::align(black_box(&zero), black_box(&rev2)))
    });
    c.bench_function(
        "redline/zero->rev2 (parse, align, footnotes, diff, render)",
        |b| {
            b.iter(|| {
                let z =
                    oewg_diff::ingest::parse("zero", Path::new("zero.md"), black_box(&zero_text));
                let r2 =
                    oewg_diff::ingest::parse("rev2", Path::new("rev2.md"), black_box(&rev2_text));
                let r = oewg_diff::diff::redline(&z, &r2);
                let sel = oewg_diff::render::redline::Selection::default();
                oewg_diff::render::redline::render(
                    &r,
                    &sel,
                    &oewg_diff::render::style::Painter::plain(),
                )
            })
        },
    );
}

criterion_group!(benches, parse, pipeline);
criterion_main!(benches);
