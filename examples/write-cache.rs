//! Writes a disk cache of N demo findings (and the other panes) for an account and region, as the
//! console would after a refresh: what `bench/run` opens to measure the first frame from a large
//! cache.
//!
//!     cargo run --release --example write-cache -- DIR ACCOUNT REGION COUNT

use chrono::Utc;
use vigil::cache::Cache;
use vigil::model::Context;
use vigil::pane::PaneId;
use vigil::source::demo::{DEFAULT_SEED, DemoSource};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, account, region, count] = args.as_slice() else {
        return Err("usage: write-cache DIR ACCOUNT REGION COUNT".into());
    };
    let count: usize = count.parse().map_err(|e| format!("COUNT: {e}"))?;
    let now = Utc::now();
    let source = DemoSource::new(DEFAULT_SEED, count, now);
    let cache = Cache::new(dir);
    let context = Context { profile: None, account: account.clone(), region: region.clone() };
    let ctx = vigil::view::CellContext::plain(now);
    for pane in PaneId::ALL {
        let data = source.generate(pane, now);
        cache.save(&context, pane, now, &data)?;
        // The head of the list as the console saves it, shown first at the next start.
        let index = vigil::view::build_index(&data, vigil::view::default_sort(pane), &ctx);
        if let Some(head) = vigil::runner::head_of(&data, &index) {
            cache.save_head(&context, now, &head)?;
        }
    }
    println!("cache of {count} demo findings for {account} in {region} written to {dir}");
    Ok(())
}
