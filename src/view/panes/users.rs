//! The Users pane's table: anomalies across Cognito user pools. E-mail addresses and phone numbers
//! are masked unless the user has asked to reveal them.

use crate::view::{CellContext, Column, Tabular, Tone, Width, opt_long};
use crate::model::UserAnomaly;
use crate::model::time::compact_age;
use crate::model::users::{mask_email, mask_phone, mask_username};
use std::borrow::Cow;
use std::cmp::Ordering;

/// The detail's PII line while PII is masked; the UI adds the key that reveals it.
pub const PII_MASKED: &str = "masked";

pub const KIND: usize = 0;
pub const USER: usize = 1;
pub const POOL: usize = 2;
pub const DETAIL: usize = 3;
pub const STATUS: usize = 4;
pub const WHEN: usize = 5;
/// Shown only while the pools span several accounts (member accounts read through a role).
pub const ACCOUNT: usize = 6;
/// Shown only while the pools span several regions (the "all" view of several contexts).
pub const REGION: usize = 7;

const COLUMNS: &[Column] = &[
    Column::new("Anomaly", Width::Fixed(18), 0),
    Column::new("User", Width::Flexible(16), 0),
    Column::new("Pool", Width::Fixed(14), 1),
    Column::new("Detail", Width::Flexible(20), 1),
    Column::new("Status", Width::Fixed(11), 2),
    Column::new("When", Width::Fixed(4), 0),
    Column::new("Account", Width::Fixed(12), 1),
    Column::new("Region", Width::Fixed(14), 2),
];

impl UserAnomaly {
    /// Who the row is about, as the screen may show it.
    pub fn who(&self, reveal_pii: bool) -> String {
        match (&self.email, reveal_pii) {
            (Some(email), true) => email.clone(),
            (Some(email), false) => mask_email(email),
            (None, _) if self.username.is_empty() => "(pool-wide)".into(),
            (None, true) => self.username.clone(),
            (None, false) => mask_username(&self.username),
        }
    }

    /// The username as the screen may show it: masked when it is an e-mail address or a phone.
    pub fn username_shown(&self, reveal_pii: bool) -> String {
        if reveal_pii { self.username.clone() } else { mask_username(&self.username) }
    }

    fn phone_shown(&self, reveal_pii: bool) -> Option<String> {
        self.phone.as_ref().map(|p| if reveal_pii { p.clone() } else { mask_phone(p) })
    }
}

impl Tabular for UserAnomaly {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{}/{:?}/{}", self.pool_id, self.kind, self.username))
    }

    fn placement_columns() -> &'static [usize] {
        &[ACCOUNT, REGION]
    }

    /// A pool's account is the member account it was read in (none: the context's own); its
    /// region starts its id (`eu-west-1_AbC123`).
    fn placement_value(&self, column: usize) -> &str {
        match column {
            ACCOUNT => self.account.as_deref().unwrap_or_default(),
            REGION => self.pool_region(),
            _ => "",
        }
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match column {
            ACCOUNT => crate::view::account_cell(self.placement_value(ACCOUNT), ctx),
            REGION => Cow::Borrowed(self.placement_value(REGION)),
            KIND => Cow::Borrowed(self.kind.label()),
            USER => Cow::Owned(self.who(ctx.reveal_pii)),
            POOL => Cow::Borrowed(&self.pool_name),
            DETAIL => Cow::Borrowed(&self.detail),
            STATUS => Cow::Borrowed(match (self.enabled, self.user_status) {
                (false, _) => "DISABLED",
                (true, Some(status)) => status.as_str(),
                (true, None) => "-",
            }),
            WHEN => Cow::Owned(compact_age(self.at, ctx.now)),
            _ => Cow::Borrowed(""),
        }
    }

    fn tone(&self, column: usize, _ctx: &CellContext) -> Tone {
        match (column, self.kind) {
            (KIND, kind) if kind.is_sign_in_risk() => Tone::Bad,
            (KIND, kind) if kind.is_sign_up_surge() => Tone::Warning,
            (KIND, _) => Tone::Medium,
            (WHEN | STATUS, _) => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match column {
            // What is going on now first (the last hour, then the last day), then by kind.
            KIND => crate::model::users::recency(self.at, ctx.now)
                .cmp(&crate::model::users::recency(other.at, ctx.now))
                .then(self.kind.cmp(&other.kind))
                .then(other.at.cmp(&self.at)),
            WHEN => other.at.cmp(&self.at),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        let mut rows = vec![
            ("Anomaly".to_string(), self.kind.label().to_string()),
            ("Detail".into(), self.detail.clone()),
            ("When".into(), opt_long(Some(self.at))),
            ("Pool".into(), format!("{} ({})", self.pool_name, self.pool_id)),
        ];
        if !self.username.is_empty() {
            rows.push(("Username".into(), self.username_shown(ctx.reveal_pii)));
            rows.push((
                "E-mail".into(),
                self.email.as_ref().map(|_| self.who(ctx.reveal_pii)).unwrap_or_else(|| "-".into()),
            ));
            rows.push(("Phone".into(), self.phone_shown(ctx.reveal_pii).unwrap_or_else(|| "-".into())));
            rows.push((
                "User status".into(),
                self.user_status.map(|s| s.as_str().to_string()).unwrap_or_else(|| "-".into()),
            ));
            rows.push(("Enabled".into(), if self.enabled { "yes".into() } else { "no".into() }));
        }
        let username_masked = mask_username(&self.username) != self.username;
        if !ctx.reveal_pii && (self.email.is_some() || self.phone.is_some() || username_masked) {
            rows.push(("PII".into(), PII_MASKED.into()));
        }
        rows
    }

    fn record_json(&self, ctx: &CellContext) -> serde_json::Value {
        let shown = if ctx.reveal_pii { self.clone() } else { self.with_pii_masked() };
        serde_json::to_value(shown).unwrap_or_default()
    }
}

impl crate::view::Scoped for UserAnomaly {}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::users::Pane;
    type Row = UserAnomaly;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: KIND, descending: false }
    }

    fn rows(data: &crate::model::UsersReport) -> Cow<'_, [Self::Row]> {
        Cow::Borrowed(&data.anomalies)
    }

    fn into_rows(data: crate::model::UsersReport) -> Vec<Self::Row> {
        data.anomalies
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::users::{AnomalyKind, UserStatus};

    fn anomaly(username: &str) -> UserAnomaly {
        UserAnomaly {
            account: None,
            kind: AnomalyKind::HighRiskSignIn,
            pool_id: "eu-west-1_pool".into(),
            pool_name: "customers".into(),
            username: username.into(),
            sub: None,
            email: None,
            phone: None,
            user_status: Some(UserStatus::Confirmed),
            enabled: true,
            detail: "risk HIGH".into(),
            at: chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        }
    }

    #[test]
    fn a_username_that_is_an_email_is_masked_in_cells_detail_and_json() {
        let ctx = CellContext::plain(chrono::Utc::now());
        let row = anomaly("jane.doe@example.com");
        assert_eq!(row.cell(USER, &ctx), "j***@example.com");
        let detail = format!("{:?}", row.detail(&ctx));
        assert!(!detail.contains("jane.doe") && detail.contains("masked"), "{detail}");
        assert!(!row.record_json(&ctx).to_string().contains("jane.doe"));
        assert!(!row.search_text(&ctx).contains("jane.doe"), "the filter cannot probe it either");
        let shown = CellContext { reveal_pii: true, ..ctx };
        assert_eq!(row.cell(USER, &shown), "jane.doe@example.com");
        let phone = anomaly("+14155550123");
        assert_eq!(phone.cell(USER, &ctx), "+1********23");
    }
}
