//! Runs the whole pipeline on the real pair in a loop, for `perf record`.
//! `cargo run --release --example profile_pipeline -- 2000`
use std::path::Path;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zt = std::fs::read_to_string(dir.join("drafts/zero.md")).expect("zero");
    let rt = std::fs::read_to_string(dir.join("drafts/rev2.md")).expect("rev2");
    let sel = oewg_diff::render::redline::Selection::default();
    let t = std::time::Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        let z = oewg_diff::ingest::parse("zero", Path::new("zero"), &zt);
        let r = oewg_diff::ingest::parse("rev2", Path::new("rev2"), &rt);
        let red = oewg_diff::diff::redline(&z, &r);
        let out = oewg_diff::render::redline::render(
            &red,
            &sel,
            &oewg_diff::render::style::Painter::plain(),
        );
        bytes += out.len();
    }
    eprintln!("{:?} per run ({bytes} bytes)", t.elapsed() / n as u32);
}
