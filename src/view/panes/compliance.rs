//! The Compliance pane's table: one row per control, under the standard it belongs to. The score
//! per standard is shown above the table.

use crate::view::{CellContext, Column, Tabular, Tone, Width, severity_tone};
use crate::model::{Control, ControlStatus, Standard};
use std::borrow::Cow;
use std::cmp::Ordering;

pub const STANDARD: usize = 0;
pub const CONTROL: usize = 1;
pub const SEVERITY: usize = 2;
pub const STATUS: usize = 3;
pub const FAILED: usize = 4;
pub const TITLE: usize = 5;

const COLUMNS: &[Column] = &[
    Column::new("Std", Width::Fixed(5), 1),
    Column::new("Control", Width::Fixed(17), 0),
    Column::new(crate::view::SEVERITY_TITLE, Width::Fixed(4), 0).descending(),
    Column::new("Status", Width::Fixed(8), 0),
    Column::new("Failed", Width::Fixed(6), 1).descending(),
    Column::new("Title", Width::Flexible(20), 0),
];

/// A control with the standard it is listed under.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlRow {
    key: String,
    pub standard_arn: String,
    pub standard_short: String,
    pub standard_name: String,
    pub control: Control,
}

/// The controls of every standard as table rows.
pub fn control_rows(standards: &[Standard]) -> Vec<ControlRow> {
    standards
        .iter()
        .flat_map(|s| {
            let short = standard_short_name(&s.name);
            s.controls.iter().map(move |c| ControlRow {
                key: format!("{}/{}", s.arn, c.id),
                standard_arn: s.arn.clone(),
                standard_short: short.clone(),
                standard_name: s.name.clone(),
                control: c.clone(),
            })
        })
        .collect()
}

/// `AWS Foundational Security Best Practices v1.0.0` → `FSBP`; `PCI DSS v3.2.1` → `PCI`.
pub fn standard_short_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let known = [
        ("foundational", "FSBP"),
        ("cis", "CIS"),
        ("pci", "PCI"),
        ("nist", "NIST"),
        ("tagging", "TAG"),
        ("resource tagging", "TAG"),
    ];
    if let Some((_, short)) = known.iter().find(|(needle, _)| lower.contains(needle)) {
        return (*short).to_string();
    }
    name.split_whitespace().filter_map(|w| w.chars().next()).filter(|c| c.is_alphabetic()).take(5).collect()
}

impl Tabular for ControlRow {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.key)
    }

    fn cell(&self, column: usize, _ctx: &CellContext) -> Cow<'_, str> {
        let c = &self.control;
        match column {
            STANDARD => Cow::Borrowed(&self.standard_short),
            CONTROL => Cow::Borrowed(&c.id),
            SEVERITY => Cow::Borrowed(c.severity.short()),
            STATUS => Cow::Borrowed(c.status.label()),
            FAILED => Cow::Owned(if c.failed_resources == 0 { "-".into() } else { c.failed_resources.to_string() }),
            TITLE => Cow::Borrowed(&c.title),
            _ => Cow::Borrowed(""),
        }
    }

    fn tone(&self, column: usize, _ctx: &CellContext) -> Tone {
        match column {
            SEVERITY => severity_tone(self.control.severity),
            STATUS => status_tone(self.control.status),
            STANDARD => Tone::Muted,
            _ if matches!(self.control.status, ControlStatus::Disabled | ControlStatus::NoData) => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        let (a, b) = (&self.control, &other.control);
        match column {
            SEVERITY => a.severity.cmp(&b.severity).then(a.failed_resources.cmp(&b.failed_resources)),
            STATUS => a.status.cmp(&b.status),
            FAILED => a.failed_resources.cmp(&b.failed_resources),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, _ctx: &CellContext) -> Vec<(String, String)> {
        let c = &self.control;
        vec![
            ("Control".to_string(), c.id.clone()),
            ("Title".into(), c.title.clone()),
            ("Standard".into(), self.standard_name.clone()),
            ("Severity".into(), c.severity.as_str().into()),
            ("Status".into(), c.status.label().into()),
            ("Failed resources".into(), c.failed_resources.to_string()),
            ("Passed resources".into(), c.passed_resources.to_string()),
            ("Remediation".into(), c.remediation_url.clone().unwrap_or_else(|| "-".into())),
            ("Standard ARN".into(), self.standard_arn.clone()),
        ]
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::json!({ "standard": self.standard_name, "standard_arn": self.standard_arn, "control": self.control })
    }
}

pub fn status_tone(status: ControlStatus) -> Tone {
    match status {
        ControlStatus::Failed => Tone::Bad,
        ControlStatus::Unknown => Tone::Warning,
        ControlStatus::Passed => Tone::Good,
        ControlStatus::NoData | ControlStatus::Disabled => Tone::Muted,
    }
}

/// The tone of a score: green from 90, amber from 70, red below.
pub fn score_tone(score: Option<u8>) -> Tone {
    match score {
        Some(s) if s >= 90 => Tone::Good,
        Some(s) if s >= 70 => Tone::Warning,
        Some(_) => Tone::Bad,
        None => Tone::Muted,
    }
}

/// Controls that need work: failing, or of unknown status.
impl crate::view::Scoped for ControlRow {
    fn in_default_scope(&self) -> bool {
        matches!(self.control.status, ControlStatus::Failed | ControlStatus::Unknown)
    }
}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::compliance::Pane;
    type Row = ControlRow;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: SEVERITY, descending: true }
    }

    fn rows(data: &Vec<Standard>) -> Cow<'_, [Self::Row]> {
        Cow::Owned(control_rows(data))
    }

    fn into_rows(data: Vec<Standard>) -> Vec<Self::Row> {
        control_rows(&data)
    }
}
