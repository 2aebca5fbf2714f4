//! Lists that cut across the panes: the expiry radar and everything Vigil knows about one resource.
//! Each row leads to a record in its own pane (`Enter`), and `Backspace` comes back.

use super::Panes;
use crate::model::radar::{RadarItem, radar};
use crate::pane::PaneId;
use crate::view::{CellContext, Column, Tone, Width, account_cell, arn_place};
use std::collections::BTreeSet;

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
    /// A pane's lens (`AppPane::lens`).
    Lens(PaneId),
    /// Everything about the record a jump would lead back to.
    Related(Jump),
    /// Security Hub's automation rules, as the source last listed them (`:rules`).
    AutomationRules,
    /// A `:history` question and its answer.
    History,
}

impl ListingKind {
    /// Whether new data of `pane` changes this listing.
    pub fn reads(&self, pane: PaneId) -> bool {
        match self {
            Self::Radar => pane.spec().uses(crate::pane::Hook::Due),
            Self::Lens(lens) => pane == *lens,
            Self::Related(_) => true,
            Self::AutomationRules | Self::History => false,
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

    /// A row of "everything about" `anchor`: the pane's name, three cells, and a jump to the
    /// record (none when it is the anchor itself).
    pub fn item(anchor: &Jump, pane: PaneId, key: String, cells: [String; 3], tone: Tone) -> Self {
        let jump = Jump { pane, key };
        Self {
            cells: std::iter::once(pane.tab_label().to_string()).chain(cells).collect(),
            tone,
            heading: false,
            jump: (jump != *anchor).then_some(jump),
        }
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
    /// What Enter does on a row ("go to it", "go to the control").
    pub go: &'static str,
}

impl Listing {
    /// A listing with nothing in it (a pane without a lens).
    pub fn empty(kind: ListingKind) -> Self {
        Self {
            kind,
            title: String::new(),
            columns: RELATED_COLUMNS,
            hidden: vec![],
            rows: vec![],
            selected: 0,
            empty: "nothing to show".into(),
            go: "go to it",
        }
    }

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

pub const RULE_COLUMNS: &[Column] = &[
    Column::new("Order", Width::Fixed(5), 1),
    Column::new("Rule", Width::Flexible(30), 0),
    Column::new("Status", Width::Fixed(8), 0),
    Column::new("Made", Width::Fixed(10), 2),
    Column::new("Description", Width::Flexible(20), 1),
];

/// The automation rules, one row each in the order Security Hub applies them (`None`: asked).
pub fn rules_listing(rules: Option<&Result<Vec<crate::model::triage::AutomationRule>, String>>) -> Listing {
    let (rows, empty) = match rules {
        None => (Vec::new(), "asking Security Hub for its automation rules…".to_string()),
        Some(Err(why)) => (Vec::new(), format!("cannot list the automation rules: {why}")),
        Some(Ok(rules)) => {
            let rows = rules
                .iter()
                .map(|rule| ListingRow {
                    cells: vec![
                        rule.order.to_string(),
                        crate::text::one_line(&rule.name).into_owned(),
                        rule.status.clone(),
                        rule.created_at.map(crate::model::time::short_date).unwrap_or_default(),
                        crate::text::one_line(&rule.description).into_owned(),
                    ],
                    tone: if rule.status == "ENABLED" { Tone::Normal } else { Tone::Muted },
                    heading: false,
                    jump: None,
                })
                .collect();
            (rows, "no automation rules in this account and Region".to_string())
        }
    };
    let made_here = match rules {
        Some(Ok(rules)) => rules.iter().filter(|r| r.made_here()).count(),
        _ => 0,
    };
    Listing {
        kind: ListingKind::AutomationRules,
        title: format!("Automation rules ({made_here} made here)"),
        columns: RULE_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty,
        go: "shows its description",
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

/// The expiry radar over what the panes on screen say falls due.
pub fn radar_rows(items: Vec<RadarItem>, ctx: &CellContext) -> Vec<ListingRow> {
    radar(items).into_iter().map(|item| radar_row(&item, ctx)).collect()
}

fn radar_row(item: &RadarItem, ctx: &CellContext) -> ListingRow {
    let pane = item.pane;
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

pub fn radar_listing(items: Vec<RadarItem>, ctx: &CellContext) -> Listing {
    let rows = radar_rows(items, ctx);
    let one_account = rows.windows(2).all(|w| w[0].cells.get(RADAR_ACCOUNT) == w[1].cells.get(RADAR_ACCOUNT));
    Listing {
        kind: ListingKind::Radar,
        title: "Expiry radar: what falls due, by days left".into(),
        columns: RADAR_COLUMNS,
        hidden: if one_account { vec![RADAR_ACCOUNT] } else { vec![] },
        rows,
        selected: 0,
        empty: format!("nothing falls due within {} days", crate::model::radar::HORIZON_DAYS),
        go: "go to it",
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

/// Words so common among the names on screen (the company's, an environment's) that they tie
/// everything to everything: named by more than a quarter of the names (and more than three).
fn common_words(panes: &Panes) -> BTreeSet<String> {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let names = panes.name_words();
    for words in &names {
        for w in words {
            *counts.entry(w.clone()).or_default() += 1;
        }
    }
    counts.into_iter().filter(|(_, n)| *n > 3 && *n * 4 > names.len()).map(|(w, _)| w).collect()
}

/// Everything the panes hold about the anchor's resource: findings on it, failing controls for it,
/// the certificates that serve it, and the secrets and pools of the same application by name
/// (each pane's sections, `AppPane::related`).
pub fn related_listing(anchor: &Jump, panes: &Panes, ctx: &CellContext) -> (Listing, Option<super::panes::Subject>) {
    let mut rows = Vec::new();
    let subject = panes.subject(anchor).map(|mut subject| {
        let common = common_words(panes);
        subject.words.retain(|w| !common.contains(w));
        subject
    });
    let label = match &subject {
        Some(subject) => {
            for section in panes.related(subject, anchor, ctx) {
                add_section(&mut rows, &section.title, section.rows);
            }
            subject.label.clone()
        }
        None => "the record (gone since)".into(),
    };
    let listing = Listing {
        kind: ListingKind::Related(anchor.clone()),
        title: format!("Everything about {label}"),
        columns: RELATED_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty: "nothing else in the panes names it".into(),
        go: "go to it",
    };
    (listing, subject)
}

fn add_section(rows: &mut Vec<ListingRow>, title: &str, mut items: Vec<ListingRow>) {
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

pub const HISTORY_COLUMNS: &[Column] = &[
    Column::new("When / what", Width::Flexible(12), 0),
    Column::new("", Width::Flexible(24), 1),
    Column::new("Count", Width::Fixed(9), 0),
    Column::new("Detail", Width::Flexible(20), 2),
];

/// Width of the longest bar, in cells.
const BAR: usize = 24;

/// `count` of `most` as a bar of [`BAR`] cells at most (at least one cell when not zero).
fn bar(count: u64, most: u64) -> String {
    if count == 0 || most == 0 {
        return String::new();
    }
    let cells = ((count as f64 / most as f64) * BAR as f64).round().max(1.0) as usize;
    "█".repeat(cells.min(BAR))
}

fn line(cells: [String; 4], tone: Tone) -> ListingRow {
    ListingRow { cells: cells.to_vec(), tone, heading: false, jump: None }
}

/// The `:history` question: what it will cost before it runs, its progress while it runs, and its
/// answer (findings per day as bars with their severities, first and last seen, accounts and
/// regions; or a web ACL's top traffic).
pub fn history_listing(view: Option<&super::history::HistoryView>) -> Listing {
    use super::history::HistoryState;
    use crate::model::lake::{self, Answer};
    let Some(view) = view else { return Listing::empty(ListingKind::History) };
    let price = view.price_per_tb;
    let about = |prepared: &lake::Prepared| {
        let estimate = &prepared.estimate;
        let (scans, cost) = match estimate.bytes() {
            Some(bytes) => (format!("about {}", lake::bytes_text(bytes)), lake::dollars(lake::cost(bytes, price))),
            None => ("unknown".to_string(), String::new()),
        };
        let cutoff = match prepared.cutoff {
            Some(bytes) => ("the workgroup's cutoff".to_string(), lake::bytes_text(bytes)),
            None => ("no workgroup cutoff: kept by polling".to_string(), String::new()),
        };
        vec![
            line(
                ["Table".into(), prepared.plan.table.name.clone(), String::new(), prepared.found.clone()],
                Tone::Muted,
            ),
            line(["Scans".into(), scans, cost, estimate.basis()], Tone::Muted),
            line(["Hard stop".into(), cutoff.0, cutoff.1, String::new()], Tone::Muted),
        ]
    };
    let (rows, empty, go) = match &view.state {
        HistoryState::Preparing => {
            (Vec::new(), "finding the table and estimating the query (Security Lake, Athena EXPLAIN)…".into(), "")
        }
        HistoryState::Ready(prepared) => match lake::refusal(&prepared.estimate, view.cap) {
            Some(refused) => {
                let mut rows = vec![ListingRow::heading(format!("Not run: {refused}"))];
                rows.extend(about(prepared));
                (rows, String::new(), "")
            }
            None => {
                let mut rows = vec![ListingRow::heading("Not run yet: Enter runs it in Athena")];
                rows.extend(about(prepared));
                (rows, String::new(), "runs it")
            }
        },
        HistoryState::Running(prepared, progress) => {
            let state = progress.as_ref().map_or_else(
                || "STARTING".to_string(),
                |p| format!("{} · {} scanned · {} s", p.state, lake::bytes_text(p.scanned), p.elapsed.as_secs()),
            );
            let mut rows = vec![ListingRow::heading(format!("Running: {state} (x stops it)"))];
            rows.extend(about(prepared));
            (rows, String::new(), "")
        }
        HistoryState::Failed(prepared, why) => {
            let mut rows = vec![ListingRow::heading(format!("Not answered: {}", crate::text::one_line(why)))];
            if let Some(prepared) = prepared {
                rows.extend(about(prepared));
            }
            (rows, String::new(), "asks again")
        }
        HistoryState::Done(prepared, finished) => {
            let mut rows = Vec::new();
            match &finished.answer {
                Answer::Findings(history) => {
                    let (first, last) = view.question.days(prepared.plan.at);
                    let per_day = history.per_day(first, last);
                    let most = per_day.iter().map(|d| d.1).max().unwrap_or(0);
                    let count = match history.distinct {
                        Some(n) => format!("{n} findings"),
                        None => format!("{} finding-days", history.total()),
                    };
                    let list = |set: &std::collections::BTreeSet<String>| {
                        if set.is_empty() {
                            "none".to_string()
                        } else {
                            set.iter().cloned().collect::<Vec<_>>().join(", ")
                        }
                    };
                    rows.push(ListingRow::heading(format!("Since when: {count}")));
                    let seen = |at: &Option<String>| at.clone().unwrap_or_else(|| "-".into());
                    rows.push(line(
                        ["First seen".into(), seen(&history.first_seen), String::new(), String::new()],
                        Tone::Normal,
                    ));
                    rows.push(line(
                        ["Last seen".into(), seen(&history.last_seen), String::new(), String::new()],
                        Tone::Normal,
                    ));
                    rows.push(line(
                        ["Accounts".into(), list(&history.accounts), history.accounts.len().to_string(), String::new()],
                        Tone::Normal,
                    ));
                    rows.push(line(
                        ["Regions".into(), list(&history.regions), history.regions.len().to_string(), String::new()],
                        Tone::Normal,
                    ));
                    rows.push(ListingRow::heading("Findings per day"));
                    for (day, total) in per_day {
                        let severities: Vec<String> = history
                            .days
                            .iter()
                            .filter(|d| d.day == day && d.findings > 0)
                            .map(|d| format!("{} {}", d.severity.to_lowercase(), d.findings))
                            .collect();
                        let worst = history
                            .days
                            .iter()
                            .filter(|d| d.day == day && d.findings > 0)
                            .map(|d| severity_tone(&d.severity))
                            .min_by_key(|t| tone_rank(*t))
                            .unwrap_or(Tone::Muted);
                        rows.push(line(
                            [
                                day.format("%a %d %b").to_string(),
                                bar(total, most),
                                total.to_string(),
                                severities.join(" · "),
                            ],
                            worst,
                        ));
                    }
                }
                Answer::Waf { tops } => {
                    if tops.is_empty() {
                        rows.push(ListingRow::heading("No requests in the window"));
                    }
                    for top in tops {
                        rows.push(ListingRow::heading(top.dimension.replace('_', " ")));
                        let most = top.values.first().map_or(0, |v| v.1);
                        for (value, count) in &top.values {
                            rows.push(line(
                                [value.clone(), bar(*count, most), count.to_string(), String::new()],
                                Tone::Normal,
                            ));
                        }
                    }
                }
            }
            rows.push(ListingRow::heading("Query"));
            rows.extend(about(prepared).into_iter().take(1));
            rows.push(line(
                [
                    "Scanned".into(),
                    format!(
                        "{} ({}) in {:.1} s",
                        lake::bytes_text(finished.scanned),
                        lake::dollars(lake::cost(finished.scanned, price)),
                        finished.elapsed.as_secs_f64()
                    ),
                    String::new(),
                    format!("Athena query {}", finished.query_id),
                ],
                if finished.past_cap { Tone::Bad } else { Tone::Muted },
            ));
            if finished.past_cap {
                rows.push(ListingRow::heading("It scanned past the cap: Athena said so only when it had finished"));
            }
            (rows, String::new(), "asks again")
        }
    };
    Listing {
        kind: ListingKind::History,
        title: format!("History: {}", view.question.describe()),
        columns: HISTORY_COLUMNS,
        hidden: vec![],
        rows,
        selected: 0,
        empty,
        go,
    }
}

fn severity_tone(severity: &str) -> Tone {
    match severity.to_ascii_lowercase().as_str() {
        "critical" | "fatal" => Tone::Critical,
        "high" => Tone::High,
        "medium" => Tone::Medium,
        "low" => Tone::Low,
        "informational" => Tone::Informational,
        _ => Tone::Normal,
    }
}

fn tone_rank(tone: Tone) -> u8 {
    match tone {
        Tone::Critical => 0,
        Tone::High => 1,
        Tone::Medium => 2,
        Tone::Low => 3,
        Tone::Informational => 4,
        _ => 5,
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
            go: "go to it",
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
