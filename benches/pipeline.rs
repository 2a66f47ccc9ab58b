//! Speed of each stage of the pipeline (parse, align, footnotes, word diff, render), on the
//! real pair and on generated drafts 10, 100 and 1000 times as long (the real drafts repeated,
//! paragraphs and footnotes renumbered). Goals (measured here, never asserted in tests):
//! parsing a real draft well under a millisecond; 100x the input about 100x the time.
//! `cargo bench --bench pipeline -- real` runs only the real pair; `-- footnotes/` only the
//! footnote reconciliation of one paragraph citing 10,000 footnotes (numbered once, and with
//! numbers 1-100 repeated).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oewg_diff::model::Draft;
use std::hint::black_box;
use std::path::Path;

#[path = "../tests/common/scale.rs"]
mod scale;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("draft")
}

fn parse(name: &str, text: &str) -> Draft {
    oewg_diff::ingest::parse(name, Path::new(name), text)
}

/// The inputs: (name, zero text, rev2 text).
fn inputs(sizes: &[usize]) -> Vec<(String, String, String)> {
    let zero = read("drafts/zero.md");
    let rev2 = read("drafts/rev2.md");
    let (z, r) = (parse("zero", &zero), parse("rev2", &rev2));
    let mut out = vec![("real".to_string(), zero, rev2)];
    for &k in sizes {
        out.push((
            format!("{k}x"),
            scale::repeated(&z, k),
            scale::repeated(&r, k),
        ));
    }
    out
}

fn stages(c: &mut Criterion) {
    let sizes: Vec<usize> = match std::env::var("OEWG_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![10, 100, 1000],
    };
    for (name, zt, rt) in inputs(&sizes) {
        let mut g = c.benchmark_group(format!("pipeline/{name}"));
        g.throughput(Throughput::Bytes((zt.len() + rt.len()) as u64));
        if name != "real" {
            g.sample_size(10);
        }
        let (z, r) = (parse("zero", &zt), parse("rev2", &rt));
        let a = oewg_diff::align::align(&z, &r);
        let red = oewg_diff::diff::redline(&z, &r);
        let sel = oewg_diff::render::redline::Selection::default();
        g.bench_function(BenchmarkId::new("parse", "both"), |b| {
            b.iter(|| (parse("zero", black_box(&zt)), parse("rev2", black_box(&rt))))
        });
        g.bench_function(BenchmarkId::new("align", "paragraphs"), |b| {
            b.iter(|| oewg_diff::align::align(black_box(&z), black_box(&r)))
        });
        g.bench_function(BenchmarkId::new("footnotes", "reconcile"), |b| {
            b.iter(|| oewg_diff::align::footnotes::reconcile(black_box(&z), black_box(&r), &a))
        });
        g.bench_function(BenchmarkId::new("diff", "words+footnotes+classes"), |b| {
            b.iter(|| oewg_diff::diff::redline_aligned(&z, &r, a.clone()))
        });
        g.bench_function(BenchmarkId::new("render", "plain"), |b| {
            b.iter(|| {
                oewg_diff::render::redline::render(
                    &red,
                    &sel,
                    &oewg_diff::render::style::Painter::plain(),
                )
            })
        });
        g.bench_function(BenchmarkId::new("render", "json"), |b| {
            b.iter(|| oewg_diff::render::json::render(&red, &sel))
        });
        g.bench_function(
            BenchmarkId::new("end-to-end", "parse+redline+render"),
            |b| {
                b.iter(|| {
                    let z = parse("zero", black_box(&zt));
                    let r = parse("rev2", black_box(&rt));
                    let red = oewg_diff::diff::redline(&z, &r);
                    oewg_diff::render::redline::render(
                        &red,
                        &sel,
                        &oewg_diff::render::style::Painter::plain(),
                    )
                })
            },
        );
        g.finish();
    }
}

/// One paragraph citing 10,000 footnotes, every 97th edited: reconciliation alone, and the
/// whole redline.
fn footnotes(c: &mut Criterion) {
    for (name, restart) in [
        ("10k-numbered-once", None),
        ("10k-numbers-1-100", Some(100)),
    ] {
        let (ot, nt) = scale::cited_paragraph(10_000, restart, 97);
        let mut g = c.benchmark_group(format!("footnotes/{name}"));
        g.throughput(Throughput::Bytes((ot.len() + nt.len()) as u64));
        g.sample_size(10);
        let (o, n) = (parse("old", &ot), parse("new", &nt));
        let a = oewg_diff::align::align(&o, &n);
        g.bench_function("reconcile", |b| {
            b.iter(|| oewg_diff::align::footnotes::reconcile(black_box(&o), black_box(&n), &a))
        });
        g.bench_function("redline", |b| {
            b.iter(|| oewg_diff::diff::redline(black_box(&o), black_box(&n)))
        });
        g.finish();
    }
}

criterion_group!(benches, stages, footnotes);
criterion_main!(benches);
