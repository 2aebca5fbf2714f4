//! Writes the demo account's findings (default 50,000) into a cache under `VIGIL_CACHE_DIR` (or a
//! temporary directory) and times loading them back: the cache figure in docs/performance.md.
//! `cargo run --release --example cache_load -- 50000`

use std::time::Instant;
use vigil::cache::Cache;
use vigil::model::{Context, PaneData};
use vigil::pane::PaneId;
use vigil::source::demo::{DEFAULT_SEED, DemoSource};

fn main() -> std::io::Result<()> {
    let count: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(50_000);
    let root = std::env::var_os("VIGIL_CACHE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("vigil-cache-load-{}", std::process::id())));
    let now = chrono::Utc::now();
    let source = DemoSource::new(DEFAULT_SEED, count, now);
    let context = Context { profile: None, account: "123456789012".into(), region: "us-east-1".into() };
    let cache = Cache::new(&root);
    let data = source.generate(PaneId::Findings, now);
    let started = Instant::now();
    cache.save(&context, PaneId::Findings, now, &data)?;
    let saved = started.elapsed();
    let size: u64 = std::fs::read_dir(root.join("123456789012-us-east-1"))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    let started = Instant::now();
    let loaded = cache.load(&context, PaneId::Findings);
    let load = started.elapsed();
    let rows = match loaded {
        Some((_, PaneData::Findings(list))) => list.len(),
        _ => 0,
    };
    println!("{rows} findings: {size} bytes on disk, saved in {saved:?}, loaded in {load:?} ({})", root.display());
    Ok(())
}
