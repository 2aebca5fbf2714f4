//! The Certificates pane's table: ACM certificates, soonest expiry first.

use crate::view::{CellContext, Column, Tabular, Tone, Width, arn_place, opt_date, opt_long, short_arn};
use crate::model::{Certificate, CertificateHealth, CertificateKind};
use std::borrow::Cow;
use std::cmp::Ordering;

pub const DOMAIN: usize = 0;
pub const EXPIRES: usize = 1;
pub const HEALTH: usize = 2;
pub const KIND: usize = 3;
pub const RENEWAL: usize = 4;
pub const IN_USE: usize = 5;
pub const STATUS: usize = 6;
pub const NOT_AFTER: usize = 7;
/// Shown only while the certificates span several accounts (member accounts read through a role).
pub const ACCOUNT: usize = 8;
/// Shown only while the certificates span several regions (the "all" view of several contexts).
pub const REGION: usize = 9;

const COLUMNS: &[Column] = &[
    Column::new("Domain", Width::Flexible(22), 0),
    Column::new("Expires", Width::Fixed(8), 0),
    Column::new("Health", Width::Fixed(9), 0),
    Column::new("Type", Width::Fixed(8), 1),
    Column::new("Renewal", Width::Fixed(13), 1),
    Column::new("In use", Width::Fixed(6), 1),
    Column::new("Status", Width::Fixed(18), 3),
    Column::new("Not after", Width::Fixed(10), 2),
    Column::new("Account", Width::Fixed(12), 1),
    Column::new("Region", Width::Fixed(14), 2),
];

impl Certificate {
    /// Renewal as one cell: ACM's renewal status when there is one, else whether ACM will renew.
    pub fn renewal_label(&self) -> &'static str {
        match (self.kind, self.renewal_status) {
            (CertificateKind::Imported, _) => "never (imp.)",
            (_, Some(status)) => match status {
                crate::model::RenewalStatus::PendingAutoRenewal => "auto pending",
                crate::model::RenewalStatus::PendingValidation => "needs valid.",
                crate::model::RenewalStatus::Success => "renewed",
                crate::model::RenewalStatus::Failed => "FAILED",
            },
            (_, None) if self.renewal_eligible => "eligible",
            (_, None) => "ineligible",
        }
    }
}

impl Tabular for Certificate {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.arn)
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match column {
            DOMAIN => Cow::Borrowed(&self.domain),
            EXPIRES => Cow::Owned(self.days_to_expiry(ctx.now).map(|d| format!("{d}d")).unwrap_or_else(|| "-".into())),
            HEALTH => Cow::Borrowed(self.health(ctx.now).label()),
            KIND => Cow::Borrowed(self.kind.label()),
            RENEWAL => Cow::Borrowed(self.renewal_label()),
            IN_USE => {
                Cow::Owned(if self.in_use_by.is_empty() { "no".into() } else { format!("{}", self.in_use_by.len()) })
            }
            STATUS => Cow::Borrowed(self.status.as_str()),
            NOT_AFTER => Cow::Owned(opt_date(self.not_after)),
            ACCOUNT => crate::view::account_cell(arn_place(&self.arn).1, ctx),
            REGION => Cow::Borrowed(arn_place(&self.arn).0),
            _ => Cow::Borrowed(""),
        }
    }

    fn placement_columns() -> &'static [usize] {
        &[ACCOUNT, REGION]
    }

    fn placement_value(&self, column: usize) -> &str {
        crate::view::arn_placement(&self.arn, column, ACCOUNT, REGION)
    }

    fn tone(&self, column: usize, ctx: &CellContext) -> Tone {
        let health = self.health(ctx.now);
        match column {
            EXPIRES | HEALTH => match health {
                CertificateHealth::Expired | CertificateHealth::Failed | CertificateHealth::Critical => Tone::Bad,
                CertificateHealth::Expiring | CertificateHealth::PendingValidation => Tone::Warning,
                CertificateHealth::Ok => Tone::Good,
                CertificateHealth::Inactive => Tone::Muted,
            },
            RENEWAL if self.renewal_label() == "FAILED" => Tone::Bad,
            RENEWAL if !self.renews_itself() => Tone::Warning,
            _ if health == CertificateHealth::Inactive => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match column {
            // Certificates without an expiry (not issued) sort after every dated one.
            EXPIRES | NOT_AFTER => match (self.not_after, other.not_after) {
                (Some(a), Some(b)) => a.cmp(&b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => self.health(ctx.now).cmp(&other.health(ctx.now)),
            },
            HEALTH => self.health(ctx.now).cmp(&other.health(ctx.now)),
            IN_USE => self.in_use_by.len().cmp(&other.in_use_by.len()),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        let mut rows = vec![
            ("Domain".to_string(), self.domain.clone()),
            ("Health".into(), self.health(ctx.now).label().into()),
            (
                "Days to expiry".into(),
                self.days_to_expiry(ctx.now).map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            ),
            ("Not after".into(), opt_long(self.not_after)),
            ("Type".into(), format!("{:?}", self.kind)),
            ("Status".into(), self.status.as_str().into()),
            ("Renewal eligible".into(), if self.renewal_eligible { "yes".into() } else { "no".into() }),
            (
                "Renewal status".into(),
                self.renewal_status.map(|s| s.as_str().to_string()).unwrap_or_else(|| "-".into()),
            ),
            (
                "Renews by itself".into(),
                if self.renews_itself() { "yes".into() } else { "no: someone must act".into() },
            ),
            ("Key algorithm".into(), self.key_algorithm.clone()),
            ("Issuer".into(), self.issuer.clone().unwrap_or_else(|| "-".into())),
        ];
        if !self.alternative_names.is_empty() {
            rows.push(("Other names".into(), self.alternative_names.join(", ")));
        }
        if let Some(reason) = &self.failure_reason {
            rows.push(("Failure reason".into(), reason.clone()));
        }
        if self.in_use_by.is_empty() {
            rows.push(("In use by".into(), "nothing".into()));
        }
        for (i, user) in self.in_use_by.iter().enumerate() {
            rows.push((if i == 0 { "In use by".into() } else { String::new() }, short_arn(user).to_string()));
        }
        rows.push(("ARN".into(), self.arn.clone()));
        rows
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl crate::view::Scoped for Certificate {}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::certificates::Pane;
    type Row = Certificate;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: EXPIRES, descending: false }
    }

    fn rows(data: &Vec<Certificate>) -> Cow<'_, [Self::Row]> {
        Cow::Borrowed(data)
    }

    fn into_rows(data: Vec<Certificate>) -> Vec<Self::Row> {
        data
    }
}
