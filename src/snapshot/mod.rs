//! `vigil snapshot`: the panes' data, fetched once from the same sources the console uses, printed
//! as JSON (the stable surface scripts read, see docs/snapshot-format.md) or as text tables.

mod grid;
pub mod history;
mod json;
pub mod panes;

use crate::cli::{SnapshotArgs, SnapshotFormat};
use crate::model::{PaneData, Timestamp};
use crate::pane::PaneId;
use crate::source::{FetchOptions, Fetched, Source, SourceInfo};
use crate::view::CellContext;
use panes::PaneOutput;
use serde::Serialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

pub const SCHEMA_VERSION: u32 = 1;

/// What `vigil snapshot` prints: its header, each pane's sections (in tab order, under the pane's
/// config key; see docs/snapshot-format.md), the expiry radar, and what failed.
pub struct Snapshot {
    pub schema_version: u32,
    pub generated_at: Timestamp,
    pub source: SourceInfo,
    /// Each answered pane's output, in tab order.
    pub panes: Vec<PaneOutput>,
    /// The expiry radar over what every pane that says what falls due returned (when each was
    /// asked for and answered): what falls due next, soonest first.
    pub radar: Option<Vec<crate::model::radar::RadarItem>>,
    /// Pane → error, for panes whose source failed.
    pub errors: BTreeMap<PaneId, String>,
    /// Pane → what its data does not cover (a service that failed while others answered, a cap).
    pub warnings: BTreeMap<PaneId, Vec<String>>,
}

impl Serialize for Snapshot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("schema_version", &self.schema_version)?;
        map.serialize_entry("generated_at", &self.generated_at)?;
        map.serialize_entry("source", &self.source)?;
        for pane in &self.panes {
            pane.write(&mut map)?;
        }
        if let Some(radar) = &self.radar {
            map.serialize_entry("radar", radar)?;
        }
        map.serialize_entry("errors", &self.errors)?;
        if !self.warnings.is_empty() {
            map.serialize_entry("warnings", &self.warnings)?;
        }
        map.end()
    }
}

/// Fetches the requested panes concurrently and builds the snapshot.
pub async fn collect(source: &dyn Source, args: &SnapshotArgs, now: Timestamp) -> (Snapshot, Vec<PaneData>) {
    let panes: Vec<PaneId> = match (args.panes.is_empty(), args.format) {
        // CSV holds one table: the findings unless a pane was named.
        (true, SnapshotFormat::Csv) => vec![PaneId::ALL[0]],
        (true, _) => PaneId::ALL.to_vec(),
        (false, _) => args.panes.clone(),
    };
    let options = FetchOptions { all_findings: args.all };
    let results = futures::future::join_all(panes.iter().map(|&pane| source.fetch(pane, now, options))).await;
    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        generated_at: now,
        source: source.info(),
        panes: Vec::new(),
        radar: None,
        errors: BTreeMap::new(),
        warnings: BTreeMap::new(),
    };
    let mut data = Vec::new();
    for (pane, result) in panes.into_iter().zip(results) {
        match result {
            Ok(Fetched { data: mut pane_data, mut warnings, cached_at, .. }) => {
                if let Some(at) = cached_at {
                    warnings.insert(0, format!("offline: cached data saved at {}", crate::model::time::long_time(at)));
                }
                let ctx = CellContext { now, reveal_pii: args.reveal_pii, accounts: &snapshot.source.account_names };
                PaneOutput::narrow(&mut pane_data, args, &ctx);
                snapshot.panes.push(PaneOutput::of(&pane_data, args, now, &snapshot.source));
                data.push(pane_data);
                if !warnings.is_empty() {
                    snapshot.warnings.insert(pane, warnings);
                }
            }
            Err(e) => {
                snapshot.errors.insert(pane, e.to_string());
            }
        }
    }
    // Tab order, whatever order `--pane` named them in.
    snapshot.panes.sort_by_key(PaneOutput::pane);
    // The radar, when every pane that says what falls due was asked for and answered.
    let mut due_panes = PaneId::ALL.into_iter().filter(|p| p.spec().uses(crate::pane::Hook::Due));
    if due_panes.all(|p| data.iter().any(|d| d.pane() == p)) {
        snapshot.radar = Some(crate::model::radar::radar(data.iter().flat_map(|d| d.due(now))));
    }
    (snapshot, data)
}

/// Writes the snapshot in the requested format to `out`; JSON is streamed as it is produced.
pub fn render_to(
    out: &mut impl std::io::Write,
    snapshot: &Snapshot,
    data: &[PaneData],
    args: &SnapshotArgs,
) -> anyhow::Result<()> {
    match args.format {
        SnapshotFormat::Json => json::pretty_to(out, snapshot)?,
        _ => out.write_all(render(snapshot, data, args)?.as_bytes())?,
    }
    Ok(out.flush()?)
}

/// Renders the snapshot in the requested format.
pub fn render(snapshot: &Snapshot, data: &[PaneData], args: &SnapshotArgs) -> anyhow::Result<String> {
    Ok(match args.format {
        SnapshotFormat::Json => json::pretty(snapshot)?,
        SnapshotFormat::Ndjson => crate::sanitize::escape_json(ndjson(snapshot)?),
        SnapshotFormat::Table => grid::table(snapshot, &grid::grids(snapshot, data, args)),
        SnapshotFormat::Markdown => grid::markdown(snapshot, &grid::grids(snapshot, data, args)),
        SnapshotFormat::Csv => grid::grids(snapshot, data, args).first().map(grid::csv).unwrap_or_default(),
    })
}

/// A header line (schema version, time, source, errors, warnings), then one line per record:
/// `{"pane": "...", "record": {...}}` with the same record shapes as the JSON format (and the
/// lines a pane adds, the findings' groups).
fn ndjson(snapshot: &Snapshot) -> anyhow::Result<String> {
    let mut out = serde_json::to_string(&serde_json::json!({
        "schema_version": snapshot.schema_version,
        "generated_at": snapshot.generated_at,
        "source": snapshot.source,
        "errors": snapshot.errors,
        "warnings": snapshot.warnings,
    }))? + "\n";
    for pane in &snapshot.panes {
        for line in pane.records()? {
            out.push_str(&serde_json::to_string(&line)?);
            out.push('\n');
        }
    }
    Ok(out)
}

/// 3 when a requested pane's source failed; else 1 when `--min-severity` was given and findings at
/// or above it remain; else 0.
pub fn exit_code(snapshot: &Snapshot, args: &SnapshotArgs) -> u8 {
    if !snapshot.errors.is_empty() {
        return 3;
    }
    u8::from(snapshot.panes.iter().any(|p| p.gated(args)))
}

#[cfg(test)]
mod tests {
    use crate::sanitize::escape_json as escape_unsafe;

    #[test]
    fn json_escapes_what_a_terminal_would_obey_and_keeps_the_value() {
        let hostile = "a\u{9b}31m\u{7f}\u{202e}\u{200b}\u{e0041}\u{2028}z";
        let json = serde_json::to_string_pretty(&serde_json::json!({ "title": hostile, "n": [1, 2] })).unwrap();
        let escaped = escape_unsafe(json);
        assert!(escaped.chars().all(|c| !crate::sanitize::is_unsafe_raw(c) || matches!(c, '\n')), "{escaped:?}");
        assert!(escaped.contains("\\u009b") && escaped.contains("\\udb40\\udc41"), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["title"], hostile, "the same value, escaped");
    }
}
