//! Lists that cut across the panes: the expiry radar and everything Vigil knows about one resource.
//! Each row leads to a record in its own pane (`Enter`), and `Backspace` comes back.

use super::Panes;
use crate::model::data::short_resource;
use crate::model::radar::{RadarItem, radar};
use crate::model::related::{application_words, domain_words, resource_name, shared_words};
use crate::model::{Certificate, Finding, Secret};
use crate::pane::PaneId;
use crate::view::{CellContext, Column, Tabular, Tone, Width, account_cell, arn_place};
use std::collections::BTreeSet;
use std::sync::Arc;

/// A record in a pane: where a row of a listing leads, and where a jump came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub pane: PaneId,
    /// The record's [`crate::view::Tabular::key`].
    pub key: String,
}

/// What a listing shows, so it can be worked out again when data arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListingKind {
    Radar,
    /// What to fix first in the Compliance pane's standards.
    Advice,
    /// The Users pane's anti-fraud lens.
    Fraud,
    /// Everything about the record a jump would lead back to.
    Related(Jump),
}

impl ListingKind {
    /// Whether new data of `pane` changes this listing.
    pub fn reads(&self, pane: PaneId) -> bool {
        match self {
            Self::Radar => matches!(pane, PaneId::Certificates | PaneId::Secrets),
            Self::Advice => pane == PaneId::Compliance,
            Self::Fraud => pane == PaneId::Users,
            Self::Related(_) => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRow {
    pub cells: Vec<String>,
    pub tone: Tone,
    /// A section heading ("Findings on it") rather than a record.
    pub heading: bool,
    pub jump: Option<Jump>,
}

impl ListingRow {
    pub fn heading(text: impl Into<String>) -> Self {
        Self { cells: vec![text.into()], tone: Tone::Normal, heading: true, jump: None }
    }
}

#[derive(Debug, Clone)]
pub struct Listing {
    pub kind: ListingKind,
    pub title: String,
    pub columns: &'static [Column],
    /// Columns left out (the account column while every row is in one account).
    pub hidden: Vec<usize>,
    pub rows: Vec<ListingRow>,
    pub selected: usize,
    /// What the list says when it is empty.
    pub empty: String,
}

impl Listing {
    /// Moves the selection by `delta` records (headings are skipped).
    pub fn move_by(&mut self, delta: isize) {
        let records: Vec<usize> = (0..self.rows.len()).filter(|&i| !self.rows[i].heading).collect();
        let Some(last) = records.len().checked_sub(1) else { return };
        let at = records.iter().position(|&i| i >= self.selected).unwrap_or(last);
        self.selected = records[at.saturating_add_signed(delta).min(last)];
    }

    pub fn selected_jump(&self) -> Option<&Jump> {
        self.rows.get(self.selected).and_then(|r| r.jump.as_ref())
    }

    /// The same listing over new rows: the selection stays on its row where it still is (the same
    /// place if it still leads there, else the first row that does).
    pub fn refreshed(mut self, rows: Vec<ListingRow>) -> Self {
        let jump = self.selected_jump().cloned();
        let at = self.selected;
        self.rows = rows;
        let same_place = jump.is_some() && self.rows.get(at).and_then(|r| r.jump.as_ref()) == jump.as_ref();
        self.selected = if same_place {
            at
        } else {
            jump.and_then(|j| self.rows.iter().position(|r| r.jump.as_ref() == Some(&j))).unwrap_or(0)
        };
        self.move_by(0);
        self
    }
}

pub const RADAR_COLUMNS: &[Column] = &[
    Column::new("Days", Width::Fixed(6), 0),
    Column::new("Due", Width::Flexible(14), 0),
    Column::new("Name", Width::Flexible(20), 0),
    Column::new("Account", Width::Fixed(12), 2),
    Column::new("What breaks", Width::Flexible(20), 1),
];

pub use crate::view::{days_cell, days_tone};

/// The expiry radar over the certificates and secrets on screen.
pub fn radar_rows(certificates: &[Certificate], secrets: &[Secret], ctx: &CellContext) -> Vec<ListingRow> {
    radar(certificates, secrets, ctx.now).into_iter().map(|item| radar_row(&item, ctx)).collect()
}

fn radar_row(item: &RadarItem, ctx: &CellContext) -> ListingRow {
    let pane = if item.due.is_certificate() { PaneId::Certificates } else { PaneId::Secrets };
    let (_, account) = arn_place(&item.arn);
    ListingRow {
        cells: vec![
            days_cell(item.days_left),
            item.due.label().to_string(),
            item.name.clone(),
            account_cell(account, ctx).into_owned(),
            item.breaks.clone(),
        ],
        tone: days_tone(item.days_left),
        heading: false,
        jump: Some(Jump { pane, key: item.arn.clone() }),
    }
}

/// The radar's account column.
const RADAR_ACCOUNT: usize = 3;

pub fn radar_listing(certificates: &[Certificate], secrets: &[Secret], ctx: &CellContext) -> Listing {
    let rows = radar_rows(certificates, secrets, ctx);
    let one_account = rows.windows(2).all(|w| w[0].cells.get(RADAR_ACCOUNT) == w[1].cells.get(RADAR_ACCOUNT));
    Listing {
        kind: ListingKind::Radar,
        title: "Expiry radar: certificates and secrets by days left".into(),
        columns: RADAR_COLUMNS,
        hidden: if one_account { vec![RADAR_ACCOUNT] } else { vec![] },
        rows,
        selected: 0,
        empty: format!("nothing falls due within {} days", crate::model::radar::HORIZON_DAYS),
    }
}

pub const RELATED_COLUMNS: &[Column] = &[
    Column::new("Pane", Width::Fixed(10), 0),
    Column::new("What", Width::Flexible(28), 0),
    Column::new("State", Width::Fixed(16), 1),
    Column::new("Why", Width::Flexible(18), 0),
];

/// Rows a section lists at most; the rest are counted.
const SECTION_LIMIT: usize = 50;

/// What an anchor record says about itself: the resources it is (or serves), the words of its
/// names, and the controls that judge it.
struct Subject {
    label: String,
    resources: Vec<String>,
    /// Suffixes a resource id ends with to be this subject (a Cognito pool: `userpool/<id>`).
    suffixes: Vec<String>,
    words: BTreeSet<String>,
    control: Option<String>,
}

fn subject(anchor: &Jump, panes: &Panes) -> Option<Subject> {
    let key = anchor.key.as_str();
    let none = BTreeSet::new;
    Some(match anchor.pane {
        PaneId::Findings => {
            let f = panes.findings.table.rows.iter().find(|f| f.has_key(key))?;
            Subject {
                label: short_resource(&f.resource).to_string(),
                resources: vec![f.resource.to_string()],
                suffixes: vec![],
                words: application_words(resource_name(&f.resource)),
                control: None,
            }
        }
        PaneId::Certificates => {
            let c = panes.certificates.rows.iter().find(|c| c.arn == key)?;
            let mut words = domain_words(&c.domain);
            for user in &c.in_use_by {
                words.extend(application_words(resource_name(user)));
            }
            Subject {
                label: c.domain.clone(),
                resources: std::iter::once(c.arn.clone()).chain(c.in_use_by.iter().cloned()).collect(),
                suffixes: vec![],
                words,
                control: None,
            }
        }
        PaneId::Secrets => {
            let s = panes.secrets.rows.iter().find(|s| s.arn == key)?;
            Subject {
                label: s.name.clone(),
                resources: vec![s.arn.clone()],
                suffixes: vec![],
                words: application_words(&s.name),
                control: None,
            }
        }
        PaneId::Users => {
            let a = panes.users.table.rows.iter().find(|a| a.has_key(key))?;
            Subject {
                label: format!("pool {}", a.pool_name),
                resources: vec![],
                suffixes: vec![format!("userpool/{}", a.pool_id)],
                words: application_words(&a.pool_name),
                control: None,
            }
        }
        PaneId::Compliance => {
            let row = panes.compliance.table.rows.iter().find(|r| r.has_key(key))?;
            Subject {
                label: format!("control {}", row.control.id),
                resources: vec![],
                suffixes: vec![],
                words: none(),
                control: Some(row.control.id.clone()),
            }
        }
    })
}

impl Subject {
    fn is(&self, resource: &str) -> bool {
        !resource.is_empty()
            && (self.resources.iter().any(|r| r == resource)
                || self.suffixes.iter().any(|s| resource.ends_with(s.as_str())))
    }
}

/// Words so common among the names on screen (the company's, an environment's) that they tie
/// everything to everything: named by more than a quarter of the names (and more than three).
fn common_words(panes: &Panes) -> BTreeSet<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut names = 0usize;
    let mut count = |words: BTreeSet<String>| {
        names += 1;
        for w in words {
            *counts.entry(w).or_default() += 1;
        }
    };
    for c in panes.certificates.rows.iter() {
        count(domain_words(&c.domain));
    }
    for s in panes.secrets.rows.iter() {
        count(application_words(&s.name));
    }
    for p in &panes.users.pools {
        count(application_words(&p.pool_name));
    }
    counts.into_iter().filter(|(_, n)| *n > 3 && *n * 4 > names).map(|(w, _)| w).collect()
}

/// Everything the panes hold about the anchor's resource: findings on it, failing controls for it,
/// the certificates that serve it, and the secrets and pools of the same application by name.
pub fn related_listing(anchor: &Jump, panes: &Panes, ctx: &CellContext) -> Listing {
    let mut rows = Vec::new();
    let label = match subject(anchor, panes) {
        Some(mut subject) => {
            let common = common_words(panes);
            subject.words.retain(|w| !common.contains(w));
            related_rows(anchor, &subject, panes, ctx, &mut rows);
            subject.label
        }
        None => "the record (gone since)".into(),
    };
    Listing {
        kind: ListingKind::Related(anchor.clone()),
        title: format!("Everything about {label}"),
        columns: RELATED_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "nothing else in the panes names it".into(),
    }
}

fn section(rows: &mut Vec<ListingRow>, title: &str, mut items: Vec<ListingRow>) {
    if items.is_empty() {
        return;
    }
    let more = items.len().saturating_sub(SECTION_LIMIT);
    items.truncate(SECTION_LIMIT);
    rows.push(ListingRow::heading(format!("{title} ({})", items.len() + more)));
    rows.extend(items);
    if more > 0 {
        rows.push(ListingRow::heading(format!("… and {more} more")));
    }
}

fn related_rows(anchor: &Jump, subject: &Subject, panes: &Panes, ctx: &CellContext, rows: &mut Vec<ListingRow>) {
    let by_name = |words: &BTreeSet<String>| -> Option<String> {
        let shared = shared_words(&subject.words, words);
        (!shared.is_empty()).then(|| format!("name: {}", shared.join(", ")))
    };
    let item = |pane: PaneId, key: String, cells: [String; 3], tone: Tone| ListingRow {
        cells: std::iter::once(pane.tab_label().to_string()).chain(cells).collect(),
        tone,
        heading: false,
        jump: (Jump { pane, key: key.clone() } != *anchor).then_some(Jump { pane, key }),
    };
    let findings = &panes.findings.table.rows;
    let finding_row = |f: &Finding, why: &str| {
        let state = if f.is_open() { f.workflow_status.as_str() } else { "closed" };
        item(
            PaneId::Findings,
            f.key().into_owned(),
            [f.title.to_string(), format!("{} {state}", f.severity.short()), why.to_string()],
            if f.is_open() { Tone::from(f.severity) } else { Tone::Muted },
        )
    };
    // Findings on the resource (or, for a control, the resources failing it).
    let on_it: Vec<&Arc<Finding>> = findings
        .iter()
        .filter(|f| match &subject.control {
            Some(control) => f.control_id.as_deref() == Some(control.as_str()),
            None => subject.is(&f.resource),
        })
        .filter(|f| !(anchor.pane == PaneId::Findings && f.has_key(&anchor.key)))
        .collect();
    let why = if subject.control.is_some() { "fails the control" } else { "same resource" };
    section(rows, "Findings on it", on_it.iter().map(|f| finding_row(f, why)).collect());
    // The controls those findings (and the anchor) fail.
    let anchor_control = match anchor.pane {
        PaneId::Findings => findings.iter().find(|f| f.has_key(&anchor.key)).and_then(|f| f.control_id.clone()),
        _ => None,
    };
    let controls: BTreeSet<&str> = on_it
        .iter()
        .filter(|f| f.is_open())
        .filter_map(|f| f.control_id.as_deref())
        .chain(anchor_control.as_deref())
        .collect();
    if subject.control.is_none() {
        let failing: Vec<ListingRow> = panes
            .compliance
            .table
            .rows
            .iter()
            .filter(|r| controls.contains(r.control.id.as_str()))
            .map(|r| {
                item(
                    PaneId::Compliance,
                    r.key().into_owned(),
                    [
                        format!("{} {}", r.control.id, r.control.title),
                        format!("{} {}", r.standard_short, r.control.status.label()),
                        "a finding on it fails it".into(),
                    ],
                    Tone::from(r.control.severity),
                )
            })
            .collect();
        section(rows, "Controls it fails", failing);
    }
    // Certificates: the one it is, the ones serving it, the ones named like it.
    let certificates: Vec<ListingRow> = panes
        .certificates
        .rows
        .iter()
        .filter(|c| !(anchor.pane == PaneId::Certificates && c.arn == anchor.key))
        .filter_map(|c| {
            let why = if subject.is(&c.arn) {
                "the certificate itself".to_string()
            } else if subject.resources.iter().any(|r| crate::model::related::serves(&c.in_use_by, r)) {
                "serves it".to_string()
            } else {
                by_name(&domain_words(&c.domain))?
            };
            let days = c.days_to_expiry(ctx.now).map(|d| format!("{d}d")).unwrap_or_else(|| "-".into());
            let state = format!("{} {days}", c.health(ctx.now).label());
            Some(item(PaneId::Certificates, c.arn.clone(), [c.domain.clone(), state, why], Tone::Normal))
        })
        .collect();
    section(rows, "Certificates", certificates);
    let secrets: Vec<ListingRow> = panes
        .secrets
        .rows
        .iter()
        .filter(|s| !(anchor.pane == PaneId::Secrets && s.arn == anchor.key))
        .filter_map(|s| {
            let why = if subject.is(&s.arn) {
                "the secret itself".to_string()
            } else {
                by_name(&application_words(&s.name))?
            };
            let state = s.rotation_status(ctx.now).label().to_string();
            Some(item(PaneId::Secrets, s.arn.clone(), [s.name.clone(), state, why], Tone::Normal))
        })
        .collect();
    section(rows, "Secrets", secrets);
    // Pools lead to their first anomaly, when they have one.
    let pools: Vec<ListingRow> = panes
        .users
        .pools
        .iter()
        .filter_map(|p| {
            let own = subject.suffixes.iter().any(|s| s.ends_with(&format!("/{}", p.pool_id)));
            let why = if own { "the pool itself".to_string() } else { by_name(&application_words(&p.pool_name))? };
            let anomalies: Vec<&crate::model::UserAnomaly> =
                panes.users.table.rows.iter().filter(|a| a.pool_id == p.pool_id).collect();
            let state = format!("{} anomalies", anomalies.len());
            let mut row = item(PaneId::Users, String::new(), [p.pool_name.clone(), state, why], Tone::Normal);
            row.jump = anomalies
                .first()
                .map(|a| Jump { pane: PaneId::Users, key: a.key().into_owned() })
                .filter(|j| j != anchor);
            Some(row)
        })
        .collect();
    section(rows, "Cognito pools", pools);
    // Findings on other resources of the same application, by name.
    if !subject.words.is_empty() {
        let named: Vec<ListingRow> = findings
            .iter()
            .filter(|f| f.is_open() && !subject.is(&f.resource))
            .filter_map(|f| {
                // Every finding is read here: no set of words is built per finding.
                let shared = crate::model::related::words_in_name(&subject.words, resource_name(&f.resource));
                (!shared.is_empty()).then(|| finding_row(f, &format!("name: {}", shared.join(", "))))
            })
            .collect();
        section(rows, "Findings on resources named like it", named);
    }
}

pub const ADVICE_COLUMNS: &[Column] = &[
    Column::new("Control", Width::Fixed(17), 0),
    Column::new("Title", Width::Flexible(24), 0),
    Column::new("Severity", Width::Fixed(14), 1),
    Column::new("Gain", Width::Flexible(14), 0),
];

/// Fixes listed per standard: the first few are what a review acts on.
const FIXES_SHOWN: usize = 10;
/// Days the headings' sparklines cover.
pub const TREND_DAYS: usize = 14;

/// "▂▃▅▆▇ 1d +3 7d +6": a standard's last days and its change since yesterday and last week.
pub fn trend_text(trend: &crate::model::history::Trend) -> String {
    use crate::model::history::{signed, sparkline};
    let mut out = String::new();
    if trend.daily.iter().any(Option::is_some) {
        out.push_str(sparkline(&trend.daily).trim_start());
    }
    for (label, change) in [("1d", trend.since_yesterday), ("7d", trend.since_last_week)] {
        if let Some(change) = change {
            out.push_str(&format!(" {label} {}", signed(change)));
        }
    }
    out.trim().to_string()
}

/// What to fix first per standard (the failing controls that raise the scores most), each
/// standard's trend, and the PCI DSS requirements the failing controls put at risk.
pub fn advice_listing(
    standards: &[crate::model::Standard],
    trend_of: impl Fn(&str) -> crate::model::history::Trend,
) -> Listing {
    use crate::model::advice::{fixes, is_pci, pci_requirements};
    let row_key = |standard: &str, control: &str| format!("{standard}/{control}");
    let mut rows = Vec::new();
    for standard in standards {
        let score = standard.score().map(|s| format!("{s}%")).unwrap_or_else(|| "no data".into());
        let trend = trend_text(&trend_of(&standard.arn));
        let list = fixes(standard, standards);
        let short = crate::view::compliance::standard_short_name(&standard.name);
        rows.push(ListingRow::heading(format!("{short} {score}  {trend}  — fix first ({} failing)", list.len())));
        for fix in list.iter().take(FIXES_SHOWN) {
            let after = fix.score_after.map(|s| format!(" → {s}%")).unwrap_or_default();
            let also = if fix.also_in.is_empty() {
                String::new()
            } else {
                let names: Vec<String> =
                    fix.also_in.iter().map(|n| crate::view::compliance::standard_short_name(n)).collect();
                format!(" (+{} in {})", fix.total_gain - u16::from(fix.gain), names.join(", "))
            };
            rows.push(ListingRow {
                cells: vec![
                    fix.control_id.clone(),
                    fix.title.clone(),
                    match fix.status {
                        crate::model::ControlStatus::Unknown => format!("{} · unknown", fix.severity.short()),
                        _ => format!("{} · {} res", fix.severity.short(), fix.failed_resources),
                    },
                    format!("+{} pts{after}{also}", fix.gain),
                ],
                tone: Tone::from(fix.severity),
                heading: false,
                jump: Some(Jump { pane: PaneId::Compliance, key: row_key(&standard.arn, &fix.control_id) }),
            });
        }
        if list.len() > FIXES_SHOWN {
            rows.push(ListingRow::heading(format!("… and {} more", list.len() - FIXES_SHOWN)));
        }
        if is_pci(standard) {
            let requirements = pci_requirements(standard);
            rows.push(ListingRow::heading(format!(
                "{short}: PCI DSS requirements at risk ({} of 12)",
                requirements.iter().filter(|r| r.number != "?").count()
            )));
            for r in requirements {
                rows.push(ListingRow {
                    cells: vec![
                        format!("Req. {}", r.number),
                        r.title.to_string(),
                        format!("{} · {} ctl", r.max_severity.short(), r.failing_controls.len()),
                        format!("{} · {}", r.sub_requirements.join(" "), r.failing_controls.join(" ")),
                    ],
                    tone: Tone::from(r.max_severity),
                    heading: false,
                    jump: r
                        .failing_controls
                        .first()
                        .map(|c| Jump { pane: PaneId::Compliance, key: row_key(&standard.arn, c) }),
                });
            }
        }
    }
    Listing {
        kind: ListingKind::Advice,
        title: "What to fix first, per standard".into(),
        columns: ADVICE_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "no standard has data yet".into(),
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
pub fn fraud_listing(users: &super::UsersPane, ctx: &CellContext) -> Listing {
    use crate::model::users::{AnomalyKind, ThreatProtection};
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
        // Rates from part of a pool undercount: the heading says so.
        let sampled = if pool.sampled.is_some() { " · sampled: rates from the users read" } else { "" };
        rows.push(ListingRow::heading(format!(
            "{}: {} sign-ups last hour (usual {:.1}), {} last day (usual {:.1}) · {protection}{sampled}",
            pool.pool_name, r.last_window, r.usual_per_window, r.last_day, r.usual_per_day
        )));
        let signals: Vec<&crate::model::UserAnomaly> = users
            .table
            .rows
            .iter()
            .filter(|a| a.pool_id == pool.pool_id)
            .filter(|a| {
                matches!(
                    a.kind,
                    AnomalyKind::SignUpBurst
                        | AnomalyKind::SignUpCluster
                        | AnomalyKind::CompromisedCredentials
                        | AnomalyKind::HighRiskSignIn
                )
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
            let tone = match a.kind {
                AnomalyKind::CompromisedCredentials | AnomalyKind::HighRiskSignIn => Tone::Bad,
                _ => Tone::Warning,
            };
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
    }
    Listing {
        kind: ListingKind::Fraud,
        title: "Anti-fraud lens: sign-ups against each pool's usual rate".into(),
        columns: FRAUD_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "no Cognito user pool read yet".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(heading: bool, key: &str) -> ListingRow {
        ListingRow {
            cells: vec![key.into()],
            tone: Tone::Normal,
            heading,
            jump: (!heading).then(|| Jump { pane: PaneId::Findings, key: key.into() }),
        }
    }

    #[test]
    fn the_selection_skips_headings_and_follows_its_record() {
        let mut listing = Listing {
            kind: ListingKind::Radar,
            title: String::new(),
            columns: RADAR_COLUMNS,
            hidden: vec![],
            rows: vec![row(true, "H1"), row(false, "a"), row(false, "b"), row(true, "H2"), row(false, "c")],
            selected: 0,
            empty: String::new(),
        };
        listing.move_by(0);
        assert_eq!(listing.selected, 1);
        listing.move_by(2);
        assert_eq!(listing.selected_jump().map(|j| j.key.as_str()), Some("c"));
        listing.move_by(5);
        assert_eq!(listing.selected, 4);
        listing.move_by(-1);
        assert_eq!(listing.selected, 2);
        let listing = listing.refreshed(vec![row(false, "z"), row(true, "H"), row(false, "b")]);
        assert_eq!(listing.selected, 2, "still on b");
        let listing = listing.refreshed(vec![row(true, "H"), row(false, "y")]);
        assert_eq!(listing.selected, 1, "b is gone: the first record");
        assert_eq!(
            (days_cell(None), days_cell(Some(0)), days_cell(Some(-3))),
            ("now".into(), "today".into(), "-3d".into())
        );
    }
}
