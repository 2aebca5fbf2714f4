//! The Users pane in the app: pools above the anomalies, user actions, and the pools of an
//! application.

use super::{AppPane, Section, Subject};
use crate::app::listing::{Jump, Listing, ListingKind, ListingRow};
use crate::view::{Column, Width};
use crate::app::pane_state::PaneState;
use crate::app::triage::{MenuCommand, MenuEntry};
use crate::model::panes::users::Action as A;
use crate::model::triage::TriageAction;
use crate::model::related::{application_words, shared_words};
use crate::model::users::{AnomalyKind, PoolSummary};
use crate::model::{UserAnomaly, UsersReport};
use crate::pane::PaneId;
use crate::view::table::TableIndex;
use crate::view::{CellContext, Tabular, Tone, default_sort};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub struct UsersPane {
    pub table: PaneState<UserAnomaly>,
    /// One summary per Cognito user pool, drawn above the anomalies.
    pub pools: Vec<PoolSummary>,
    /// The users the anomalies name and the pool-wide anomalies, counted when they land: the tab
    /// shows them on every frame.
    affected: (usize, usize),
    /// Per pool (as `pools`), its sign-up surges and risky sign-ins among the anomalies, counted
    /// when they land: the war-room board draws them every second.
    pub pool_signals: Vec<(usize, usize)>,
}

pub struct Pane;

impl AppPane for Pane {
    type View = crate::view::users::Pane;
    type State = UsersPane;

    fn new_state() -> UsersPane {
        UsersPane { table: PaneState::new(default_sort(PaneId::Users)), pools: Vec::new(), affected: (0, 0), pool_signals: Vec::new() }
    }
    fn table(state: &UsersPane) -> &PaneState<UserAnomaly> {
        &state.table
    }
    fn table_mut(state: &mut UsersPane) -> &mut PaneState<UserAnomaly> {
        &mut state.table
    }

    fn install(state: &mut UsersPane, data: UsersReport, index: Option<TableIndex>, ctx: &CellContext) {
        state.affected = crate::model::users::affected(&data.anomalies);
        state.pool_signals = crate::model::users::pool_signals(&data.pools, &data.anomalies);
        state.pools = data.pools;
        state.table.replace_rows(data.anomalies, index, ctx);
    }

    /// Pools are summaries of the whole answer: a first load's pages are only counted.
    fn append_preview(_state: &mut UsersPane, data: UsersReport, _fresh: bool, _ctx: &CellContext) -> usize {
        data.anomalies.len()
    }

    fn summary_lines(state: &UsersPane) -> usize {
        state.pools.len().min(3)
    }

    fn clear(state: &mut UsersPane, ctx: &CellContext) {
        state.pools = Vec::new();
        state.affected = (0, 0);
        state.pool_signals = Vec::new();
        crate::app::pane_state::TablePane::clear(&mut state.table, ctx);
    }

    /// Disable comes first, and says to go first on a compromised account: a reset sends its code
    /// to the current contact, which after a takeover may be the attacker's.
    fn menu(state: &UsersPane) -> Vec<MenuEntry> {
        use MenuCommand::{ConsoleLink, Yank};
        let triage = |action: A| MenuCommand::Triage(TriageAction::Users(action));
        let compromised = state.table.selected().is_some_and(|a| {
            matches!(a.kind, AnomalyKind::CompromisedCredentials | AnomalyKind::HighRiskSignIn)
        });
        let disable = if compromised {
            "disable user first (blocks sign-in, revokes access tokens)"
        } else {
            "disable user (blocks sign-in, revokes access tokens)"
        };
        vec![
            MenuEntry { key: 'd', label: disable.into(), command: triage(A::DisableUser) },
            MenuEntry { key: 'e', label: "enable user".into(), command: triage(A::EnableUser) },
            MenuEntry {
                key: 'g',
                label: "sign out (issued tokens live until they expire)".into(),
                command: triage(A::GlobalSignOut),
            },
            MenuEntry {
                key: 'p',
                label: "reset password (code to the current contact)".into(),
                command: triage(A::ResetPassword),
            },
            MenuEntry { key: 'y', label: "copy username (masked: pool/sub)".into(), command: Yank },
            MenuEntry { key: 'o', label: "copy AWS console link".into(), command: ConsoleLink },
        ]
    }

    fn subject(state: &UsersPane, key: &str) -> Option<Subject> {
        let a = state.table.rows.iter().find(|a| a.has_key(key))?;
        Some(Subject {
            label: format!("pool {}", a.pool_name),
            suffixes: vec![format!("userpool/{}", a.pool_id)],
            words: application_words(&a.pool_name),
            ..Subject::default()
        })
    }

    /// The pool itself and the pools of the same application by name; a pool leads to its first
    /// anomaly, when it has one.
    fn related(state: &UsersPane, subject: &Subject, anchor: &Jump, _ctx: &CellContext) -> Vec<Section> {
        let rows = state
            .pools
            .iter()
            .filter_map(|p| {
                let own = subject.suffixes.iter().any(|s| s.ends_with(&format!("/{}", p.pool_id)));
                let why = if own {
                    "the pool itself".to_string()
                } else {
                    let shared = shared_words(&subject.words, &application_words(&p.pool_name));
                    if shared.is_empty() {
                        return None;
                    }
                    format!("name: {}", shared.join(", "))
                };
                let anomalies: Vec<&UserAnomaly> = state.table.rows.iter().filter(|a| a.pool_id == p.pool_id).collect();
                let count = format!("{} anomalies", anomalies.len());
                let mut row =
                    ListingRow::item(anchor, PaneId::Users, String::new(), [p.pool_name.clone(), count, why], Tone::Normal);
                row.jump = anomalies
                    .first()
                    .map(|a| Jump { pane: PaneId::Users, key: a.key().into_owned() })
                    .filter(|j| j != anchor);
                Some(row)
            })
            .collect();
        vec![Section { order: 50, title: "Cognito pools".into(), rows }]
    }

    /// The users the anomalies name, not the anomalies; pool-wide ones added after a `+`.
    fn tab_figure(state: &UsersPane) -> String {
        let table = &state.table;
        if table.status.last_success.is_none() {
            return "…".into();
        }
        let (users, pool_wide) = state.affected;
        match pool_wide {
            0 => crate::text::thousands(users),
            n => format!("{}+{n}", crate::text::thousands(users)),
        }
    }

    /// The anti-fraud lens.
    fn lens(state: &UsersPane, _watch: &crate::app::watch::Watch, _context: &crate::model::Context, ctx: &CellContext) -> Option<Listing> {
        Some(fraud_listing(state, ctx))
    }

    fn name_words(state: &UsersPane) -> Vec<BTreeSet<String>> {
        state.pools.iter().map(|p| application_words(&p.pool_name)).collect()
    }
}
pub const FRAUD_COLUMNS: &[Column] = &[
    Column::new("Signal", Width::Fixed(18), 0),
    Column::new("Who", Width::Fixed(22), 1),
    Column::new("Evidence", Width::Flexible(30), 0),
    Column::new("When", Width::Fixed(5), 2),
];

/// The anti-fraud lens: per pool, sign-ups now against the pool's own usual rate, then its bursts,
/// clusters, compromised credentials and high-risk sign-ins with their evidence (PII masked unless
/// revealed, cluster examples always masked).
pub fn fraud_listing(users: &UsersPane, ctx: &CellContext) -> Listing {
    use crate::model::users::{CountedFrom, ThreatProtection};
    use crate::view::users as columns;
    let mut rows = Vec::new();
    for pool in &users.pools {
        let r = pool.signups;
        let protection = match pool.threat_protection {
            ThreatProtection::Enforced => "threat protection enforced",
            ThreatProtection::Audit => "threat protection audit",
            ThreatProtection::Off => "no threat protection: no risk data",
            ThreatProtection::Unknown => "threat protection unknown",
        };
        // Rates from part of a pool undercount: the heading says where they come from.
        let counted = match (pool.counted_from, pool.sampled.is_some()) {
            (CountedFrom::Cloudwatch, _) => "counted by CloudWatch",
            (CountedFrom::UsersRead, false) => "from the users read",
            (CountedFrom::UsersRead, true) => "sampled: rates from the users read",
        };
        rows.push(ListingRow::heading(format!(
            "{}: {} sign-ups last hour (usual {:.1}), {} last day (usual {:.1}) · {protection} · {counted}",
            pool.pool_name, r.last_window, r.usual_per_window, r.last_day, r.usual_per_day
        )));
        let signals: Vec<&crate::model::UserAnomaly> = users
            .table
            .rows
            .iter()
            .filter(|a| a.pool_id == pool.pool_id)
            .filter(|a| {
                a.kind.is_sign_up_surge() || a.kind.is_sign_in_risk()
            })
            .collect();
        if signals.is_empty() {
            rows.push(ListingRow {
                cells: vec!["".into(), "".into(), "no sign-up or sign-in signal".into(), "".into()],
                tone: Tone::Muted,
                heading: false,
                jump: None,
            });
        }
        for a in signals {
            let who = a.cell(columns::USER, ctx).into_owned();
            let tone = if a.kind.is_sign_in_risk() { Tone::Bad } else { Tone::Warning };
            rows.push(ListingRow {
                cells: vec![
                    a.kind.label().to_string(),
                    if who.is_empty() { "(pool-wide)".into() } else { who },
                    a.detail.clone(),
                    crate::model::time::compact_age(a.at, ctx.now),
                ],
                tone,
                heading: false,
                jump: Some(Jump { pane: PaneId::Users, key: a.key().into_owned() }),
            });
        }
        // The pool's sign-ins last: a summary, not a signal to go to.
        if let Some(s) = pool.sign_ins {
            rows.push(ListingRow {
                cells: vec![
                    "SIGN-INS".into(),
                    "(pool-wide)".into(),
                    format!(
                        "{:.0} succeeded, {:.0} failed last hour (usual {:.1} failed)",
                        s.succeeded_last_window, s.failed_last_window, s.usual_failed_per_window
                    ),
                    "".into(),
                ],
                tone: Tone::Muted,
                heading: false,
                jump: None,
            });
        }
    }
    Listing {
        kind: ListingKind::Lens(PaneId::Users),
        title: "Anti-fraud lens: sign-ups against each pool's usual rate".into(),
        columns: FRAUD_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "no Cognito user pool read yet".into(),
        go: "go to it",
    }
}


