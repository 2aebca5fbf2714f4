//! The Edge pane in the app: the report behind the table (for the board and the menu), blocking
//! and unblocking addresses, the attacks lens, and what the edge says about a resource.

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, Listing, ListingKind, ListingRow};
use crate::app::pane_state::PaneState;
use crate::app::triage::{MenuCommand, MenuEntry};
use crate::app::watch::Watch;
use crate::model::Context;
use crate::model::panes::edge::{Action, EdgeReport, si};
use crate::model::triage::TriageAction;
use crate::pane::PaneId;
use crate::view::edge::{EdgeRecord, EdgeRow, resource_name};
use crate::view::table::TableIndex;
use crate::view::{CellContext, Column, Tabular, Tone, Width, default_sort};

#[derive(Debug, Clone)]
pub struct EdgePane {
    pub table: PaneState<EdgeRow>,
    /// The last refresh whole: attacks and web ACLs for the board, the block list for the menu.
    pub report: EdgeReport,
}

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::edge::Pane;
    type State = EdgePane;

    fn new_state() -> EdgePane {
        EdgePane { table: PaneState::new(default_sort(PaneId::Edge)), report: EdgeReport::default() }
    }
    fn table(state: &EdgePane) -> &PaneState<EdgeRow> {
        &state.table
    }
    fn table_mut(state: &mut EdgePane) -> &mut PaneState<EdgeRow> {
        &mut state.table
    }

    fn install(state: &mut EdgePane, data: Box<EdgeReport>, index: Option<TableIndex>, ctx: &CellContext) {
        state.table.replace_rows(crate::view::edge::rows(&data), index, ctx);
        state.report = *data;
    }

    fn clear(state: &mut EdgePane, ctx: &CellContext) {
        state.report = EdgeReport::default();
        crate::app::pane_state::TablePane::clear(&mut state.table, ctx);
    }

    /// Blocking names the IP set it writes to, read with the data (`[panes.edge] block_ip_set`).
    fn menu(state: &EdgePane) -> Vec<MenuEntry> {
        let ip_set = state.report.block_list.as_ref().map(|s| s.reference());
        let (block, unblock) = match &ip_set {
            Some(set) => (
                format!("block the addresses in {} ({} {})", set.name, set.scope.as_str(), set.region),
                format!("unblock the addresses in {}", set.name),
            ),
            None => (
                "block the addresses (set [panes.edge] block_ip_set first)".to_string(),
                "unblock the addresses (set [panes.edge] block_ip_set first)".to_string(),
            ),
        };
        vec![
            MenuEntry {
                key: 'b',
                label: block.into(),
                command: MenuCommand::Triage(TriageAction::Edge(Action::BlockAddresses { ip_set: ip_set.clone() })),
            },
            MenuEntry {
                key: 'u',
                label: unblock.into(),
                command: MenuCommand::Triage(TriageAction::Edge(Action::UnblockAddresses { ip_set })),
            },
            MenuEntry { key: 'y', label: "copy address or ARN".into(), command: MenuCommand::Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: MenuCommand::ConsoleLink },
        ]
    }

    fn lens(state: &EdgePane, _watch: &Watch, _context: &Context, _ctx: &CellContext) -> Option<Listing> {
        Some(attacks_listing(&state.report))
    }

    fn subject(state: &EdgePane, key: &str) -> Option<Subject> {
        let row = state.table.rows.iter().find(|r| r.key == key)?;
        let resources: Vec<String> = match &row.record {
            EdgeRecord::Attack(a) => vec![a.resource_arn.clone()],
            EdgeRecord::Unprotected(e) => vec![e.resource_arn.clone()],
            EdgeRecord::WebAcl(w) => w.resources.clone(),
            EdgeRecord::Protection(p) => vec![p.resource_arn.clone()],
            EdgeRecord::Offender(_) | EdgeRecord::Shield(_) => Vec::new(),
        };
        let label = match &row.record {
            EdgeRecord::WebAcl(w) => format!("web ACL {}", w.name),
            EdgeRecord::Offender(o) => format!("address {}", o.address),
            EdgeRecord::Shield(s) => format!("Shield Advanced {}", s.account),
            EdgeRecord::Attack(a) => format!("the attack on {}", resource_name(&a.resource_arn)),
            EdgeRecord::Unprotected(e) => resource_name(&e.resource_arn),
            EdgeRecord::Protection(p) => resource_name(&p.resource_arn),
        };
        Some(Subject { label, resources, ..Subject::default() })
    }

    /// Attacks on the subject's resources, the web ACLs in front of them, and whether they are
    /// protected.
    fn related(state: &EdgePane, subject: &Subject, anchor: &Jump, ctx: &CellContext) -> Vec<Section> {
        let rows: Vec<ListingRow> = state
            .table
            .rows
            .iter()
            .filter(|r| !(anchor.pane == PaneId::Edge && r.key == anchor.key))
            .filter_map(|r| {
                let why = match &r.record {
                    EdgeRecord::Attack(a) if subject.is(&a.resource_arn) => "attacks it",
                    EdgeRecord::Unprotected(e) if subject.is(&e.resource_arn) => "has no Shield protection",
                    EdgeRecord::Protection(p) if subject.is(&p.resource_arn) => "protects it",
                    EdgeRecord::WebAcl(w) if w.resources.iter().any(|x| subject.is(x)) => "filters its traffic",
                    _ => return None,
                };
                let cells = [r.cell(crate::view::edge::WHAT, ctx).into_owned(), r.cell(crate::view::edge::STATE, ctx).into_owned(), why.into()];
                Some(ListingRow::item(anchor, PaneId::Edge, r.key.clone(), cells, r.tone(crate::view::edge::STATE, ctx)))
            })
            .collect();
        vec![Section { order: 35, title: "At the edge".into(), rows }]
    }
}

pub const ATTACK_COLUMNS: &[Column] = &[
    Column::new("What", Width::Fixed(18), 0),
    Column::new("Who", Width::Flexible(22), 0),
    Column::new("How much", Width::Fixed(14), 1),
    Column::new("Share", Width::Fixed(8), 2),
];

/// The attacks lens: each attack (going on first) with its vectors, peaks, mitigations and top
/// contributors by kind; the addresses among them lead to their row, where they can be blocked.
pub fn attacks_listing(report: &EdgeReport) -> Listing {
    let mut attacks: Vec<_> = report.attacks.iter().collect();
    attacks.sort_by_key(|a| (!a.in_progress(), std::cmp::Reverse(a.start)));
    let mut rows = Vec::new();
    for a in attacks {
        let state = if a.in_progress() { "GOING ON" } else { "ended" };
        rows.push(ListingRow::heading(format!(
            "{} on {} · {} · peak {}",
            state,
            resource_name(&a.resource_arn),
            a.vectors.join(", "),
            a.peak.describe()
        )));
        if !a.mitigations.is_empty() {
            rows.push(ListingRow::heading(format!("  mitigated by {}", a.mitigations.join(", "))));
        }
        for c in &a.top_contributors {
            let ip = c.kind == "SOURCE_IP_ADDRESS";
            let jump = ip.then(|| Jump { pane: PaneId::Edge, key: format!("ip/{}", c.name) });
            let share = if c.value <= 100.0 && !ip { format!("{:.0}%", c.value) } else { String::new() };
            rows.push(ListingRow {
                cells: vec![
                    c.kind.to_lowercase().replace('_', " "),
                    c.name.clone(),
                    if share.is_empty() { si(c.value).trim_end().to_string() } else { String::new() },
                    share,
                ],
                tone: if ip { Tone::Warning } else { Tone::Normal },
                heading: false,
                jump,
            });
        }
    }
    Listing {
        kind: ListingKind::Lens(PaneId::Edge),
        title: "Attacks and who sends them".into(),
        columns: ATTACK_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "no attack in the last 24 hours".into(),
        go: "go to the address (block it there)",
    }
}

impl crate::app::triage::Actionable for EdgeRow {
    fn placement(&self, context: &Context) -> crate::model::Placement {
        crate::model::Placement::or_context(&self.account, &self.region, context)
    }

    /// Only an address can be blocked; its target is the address as an IP set holds it.
    fn target(&self, context: &Context) -> Option<crate::model::triage::Target> {
        match &self.record {
            EdgeRecord::Offender(o) => Some(o.target(context)),
            _ => None,
        }
    }

    fn refusal(&self, action: &TriageAction) -> Option<String> {
        match (action, &self.record) {
            (TriageAction::Edge(a), EdgeRecord::Offender(o)) => {
                if a.ip_set().is_none() {
                    return Some("no IP set to block in: set [panes.edge] block_ip_set in the config".into());
                }
                match a {
                    Action::BlockAddresses { .. } if o.blocked => Some("already blocked".into()),
                    Action::UnblockAddresses { .. } if !o.blocked => Some("not blocked".into()),
                    _ => None,
                }
            }
            (TriageAction::Edge(_), _) => Some("only source addresses can be blocked".into()),
            _ => Some("not an action for the edge".into()),
        }
    }

    fn copy_text(&self, _reveal_pii: bool) -> String {
        match &self.record {
            EdgeRecord::Attack(a) => a.resource_arn.clone(),
            EdgeRecord::Unprotected(e) => e.resource_arn.clone(),
            EdgeRecord::Offender(o) => o.address.clone(),
            EdgeRecord::WebAcl(w) => w.arn.clone(),
            EdgeRecord::Shield(s) => s.account.clone(),
            EdgeRecord::Protection(p) => p.resource_arn.clone(),
        }
    }

    /// WAF and Shield live in the partition's global region's console.
    fn console_url(&self, context: &Context, _reveal_pii: bool) -> Option<String> {
        use crate::app::triage::{console, encode};
        let region = &self.placement(context).region;
        let home = crate::model::partition::Partition::of(region).global_region;
        let origin = console(home)?;
        Some(match &self.record {
            EdgeRecord::WebAcl(w) => format!(
                "{origin}/wafv2/homev2/web-acl/{}/{}/overview?region={}",
                encode(&w.name),
                encode(&w.id),
                if w.scope == crate::model::panes::edge::Scope::Cloudfront { "global" } else { region.as_str() }
            ),
            _ => format!("{origin}/wafv2/shieldv2#/overview"),
        })
    }
}
