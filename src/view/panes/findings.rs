//! The Findings pane's table: one row per finding, GuardDuty and Security Hub merged.

use crate::view::query::FieldRef;
use crate::view::{CellContext, Column, GroupBy, Tabular, Tone, Width, opt_long, severity_tone, short_arn};
use crate::model::time::compact_age;
use crate::model::{Finding, RecordState};
use std::borrow::Cow;
use std::cmp::Ordering;

/// The priority and the letters of its strongest context reasons (`87 AXD`, see `model::risk`).
pub const RISK: usize = 0;
pub const SEVERITY: usize = 1;
pub const TITLE: usize = 2;
pub const RESOURCE: usize = 3;
pub const PRODUCT: usize = 4;
pub const ORIGIN: usize = 5;
pub const WORKFLOW: usize = 6;
pub const COUNT: usize = 7;
pub const AGE: usize = 8;
/// Shown only while the findings span several accounts (an administrator's members).
pub const ACCOUNT: usize = 9;
/// Shown only while the findings span several regions (a finding aggregator).
pub const REGION: usize = 10;

/// The detail's label of a control's fix (see [`crate::view::remediation`]).
pub const FIX_LABEL: &str = "Fix (AWS CLI)";

const TYPE_FIELD: usize = 0;
const CONTROL_FIELD: usize = 1;
const RESOURCE_TYPE_FIELD: usize = 2;
const ID_FIELD: usize = 3;
/// The filter's fields beyond the columns (`type:*S3*`), indexed by the constants above.
const EXTRA_FIELDS: [&str; 4] = ["type", "control", "resource-type", "id"];

const COLUMNS: &[Column] = &[
    Column::new("Risk", Width::Fixed(7), 0).descending(),
    Column::new(crate::view::SEVERITY_TITLE, Width::Fixed(4), 0).descending(),
    Column::new("Title", Width::Flexible(26), 0),
    Column::new("Resource", Width::Flexible(14), 1),
    Column::new("Product", Width::Fixed(11), 2),
    Column::new("Src", Width::Fixed(5), 3),
    Column::new("Workflow", Width::Fixed(10), 2),
    Column::new("Count", Width::Fixed(5), 3).descending(),
    Column::new("Age", Width::Fixed(4), 1),
    Column::new("Account", Width::Fixed(12), 1),
    Column::new("Region", Width::Fixed(14), 2),
];

/// The title cell's text, byte by byte, without building it: a sort compares it many times.
fn title_bytes(f: &Finding) -> impl Iterator<Item = u8> + '_ {
    let control = f.control_id.as_deref().map_or(["", ""], |c| [c, " "]);
    control.into_iter().chain([f.title.as_str()]).flat_map(str::bytes)
}

impl Tabular for Finding {
    fn columns() -> &'static [Column] {
        COLUMNS
    }

    /// Security Hub identifies a finding by its product and its `Id` together: two products may
    /// use the same `Id` (and a custom one may imitate a GuardDuty ARN). The key is both, with the
    /// account and region the finding is in.
    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(self.identity())
    }

    fn key_cmp(&self, other: &Self) -> std::cmp::Ordering {
        fn identity(f: &Finding) -> (&str, Option<&str>, &str, &str) {
            (f.id.as_str(), f.product_arn.as_deref(), &f.account_id, &f.region)
        }
        identity(self).cmp(&identity(other))
    }

    fn has_key(&self, key: &str) -> bool {
        let [account, region, product, id] = crate::model::identity::parts(key);
        self.id == id
            && self.product_arn.as_deref().unwrap_or_default() == product
            && *self.account_id == *account
            && *self.region == *region
    }

    fn cell(&self, column: usize, ctx: &CellContext) -> Cow<'_, str> {
        match column {
            RISK => Cow::Owned(format!("{:>3} {}", self.risk.score, self.risk.marker())),
            SEVERITY => Cow::Borrowed(self.severity.short()),
            // A control's id leads its title: at 80 columns the titles of one service's controls
            // read alike ("S3 general purpose buckets sho…"), their ids do not.
            TITLE => match &self.control_id {
                Some(control) => Cow::Owned(format!("{control} {}", self.title)),
                None => Cow::Borrowed(&self.title),
            },
            RESOURCE => Cow::Borrowed(short_arn(&self.resource)),
            PRODUCT => Cow::Borrowed(self.product.label()),
            ORIGIN => Cow::Borrowed(self.origin_label()),
            WORKFLOW => match self.record_state {
                RecordState::Archived => Cow::Borrowed("ARCHIVED"),
                RecordState::Active => Cow::Borrowed(self.workflow_status.as_str()),
            },
            COUNT => Cow::Owned(self.count.to_string()),
            AGE => Cow::Owned(compact_age(self.first_seen, ctx.now)),
            ACCOUNT => crate::view::account_cell(&self.account_id, ctx),
            REGION => Cow::Borrowed(&self.region),
            _ => Cow::Borrowed(""),
        }
    }

    fn placement_columns() -> &'static [usize] {
        &[ACCOUNT, REGION]
    }

    fn placement_value(&self, column: usize) -> &str {
        match column {
            ACCOUNT => &self.account_id,
            REGION => &self.region,
            _ => "",
        }
    }

    fn groupings() -> &'static [GroupBy] {
        &GroupBy::ALL
    }

    fn group_label(&self, by: GroupBy, ctx: &CellContext) -> String {
        match by {
            GroupBy::Account => ctx.accounts.long(&self.account_id),
            GroupBy::Product => self.product.label().to_string(),
            other => other.key_of(self).to_string(),
        }
    }

    fn severity(&self) -> Option<crate::model::SeverityLabel> {
        Some(self.severity)
    }

    fn tone(&self, column: usize, _ctx: &CellContext) -> Tone {
        match column {
            SEVERITY => severity_tone(self.severity),
            RISK if !self.is_open() => Tone::Muted,
            RISK if self.risk.score >= 70 => Tone::Bad,
            RISK if self.risk.score >= 45 => Tone::Warning,
            WORKFLOW if !self.is_open() => Tone::Muted,
            AGE | COUNT | ORIGIN | REGION => Tone::Muted,
            _ if !self.is_open() => Tone::Muted,
            _ => Tone::Normal,
        }
    }

    fn compare(&self, other: &Self, column: usize, ctx: &CellContext) -> Ordering {
        match column {
            // Among equal priorities the more severe, then the newest, comes first.
            RISK => self
                .risk
                .score
                .cmp(&other.risk.score)
                .then(self.severity_score.cmp(&other.severity_score))
                .then(self.first_seen.cmp(&other.first_seen)),
            // Among equal severities the newest comes first when sorted descending.
            SEVERITY => self.severity_score.cmp(&other.severity_score).then(self.first_seen.cmp(&other.first_seen)),
            WORKFLOW => self.workflow_status.cmp(&other.workflow_status),
            COUNT => self.count.cmp(&other.count),
            AGE => other.first_seen.cmp(&self.first_seen),
            // As the cells read, without building them for every comparison of a large sort.
            TITLE => title_bytes(self).cmp(title_bytes(other)),
            _ => self.cell(column, ctx).cmp(&other.cell(column, ctx)),
        }
    }

    fn detail(&self, ctx: &CellContext) -> Vec<(String, String)> {
        let mut rows = vec![
            ("Title".to_string(), self.title.to_string()),
            ("Priority".into(), format!("{} (the sum of the weights below)", self.risk.score)),
            ("Severity".into(), format!("{} ({})", self.severity, self.severity_score)),
            ("Product".into(), self.product.label().to_string()),
            ("Reported by".into(), self.sources.iter().map(|s| s.label()).collect::<Vec<_>>().join(" + ")),
            ("Type".into(), self.finding_type.to_string()),
            ("Resource".into(), self.resource.to_string()),
            ("Resource type".into(), self.resource_type.to_string()),
            ("Workflow".into(), self.workflow_status.as_str().to_string()),
            ("Record state".into(), format!("{:?}", self.record_state).to_uppercase()),
            ("Count".into(), self.count.to_string()),
            ("Account".into(), ctx.accounts.long(&self.account_id)),
            ("Region".into(), self.region.to_string()),
            ("First seen".into(), opt_long(Some(self.first_seen))),
            ("Last seen".into(), opt_long(Some(self.last_seen))),
            ("Updated".into(), opt_long(Some(self.updated_at))),
        ];
        // Every reason with its weight, under the priority it adds up to.
        let why = self.risk.reasons().map(|r| (format!("  {:+}", r.weight()), r.describe().to_string()));
        rows.splice(2..2, why);
        if let Some(control) = &self.control_id {
            rows.push(("Control".into(), control.to_string()));
            if let Some(fix) = fix_command(self) {
                rows.push((FIX_LABEL.into(), fix));
            }
        }
        rows.extend(self.details.iter().map(|(label, value)| (label.to_string(), value.to_string())));
        rows.push(("Description".into(), self.description.to_string()));
        rows.push(("Id".into(), self.id.clone()));
        if let Some(arn) = &self.product_arn {
            rows.push(("Product ARN".into(), arn.to_string()));
        }
        rows
    }

    fn record_json(&self, _ctx: &CellContext) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn extra_fields() -> &'static [&'static str] {
        &EXTRA_FIELDS
    }

    fn field_values(&self, field: FieldRef, ctx: &CellContext) -> Vec<Cow<'_, str>> {
        match field {
            FieldRef::Extra(TYPE_FIELD) => vec![Cow::Borrowed(&*self.finding_type)],
            FieldRef::Extra(CONTROL_FIELD) => self.control_id.iter().map(|c| Cow::Borrowed(&**c)).collect(),
            FieldRef::Extra(RESOURCE_TYPE_FIELD) => vec![Cow::Borrowed(&*self.resource_type)],
            FieldRef::Extra(ID_FIELD) => {
                let mut ids = vec![Cow::Borrowed(self.id.as_str())];
                ids.extend(self.guardduty_id.iter().map(|g| Cow::Borrowed(&**g)));
                ids
            }
            // The whole ARN, not the short form the cell shows.
            FieldRef::Column(RESOURCE) => vec![Cow::Borrowed(&*self.resource)],
            FieldRef::Column(ORIGIN) => {
                let mut origins: Vec<Cow<'_, str>> = self.sources.iter().map(|s| Cow::Borrowed(s.label())).collect();
                origins.push(Cow::Borrowed(self.origin_label()));
                origins
            }
            FieldRef::Column(SEVERITY) => vec![self.cell(SEVERITY, ctx), Cow::Borrowed(self.severity.as_str())],
            FieldRef::Column(ACCOUNT) => vec![self.cell(ACCOUNT, ctx), Cow::Borrowed(&*self.account_id)],
            FieldRef::Column(PRODUCT) => vec![self.cell(PRODUCT, ctx), Cow::Borrowed(self.product.id())],
            FieldRef::Column(column) => vec![self.cell(column, ctx)],
            FieldRef::Extra(_) => Vec::new(),
        }
    }

    fn search_text(&self, ctx: &CellContext) -> String {
        let mut text = String::with_capacity(256);
        for column in [SEVERITY, TITLE, PRODUCT, ORIGIN, WORKFLOW] {
            text.push_str(&self.cell(column, ctx));
            text.push('\u{1f}');
        }
        let account_name = ctx.accounts.name(&self.account_id).unwrap_or_default();
        for extra in [&*self.resource, &*self.finding_type, &self.id, &*self.account_id, account_name, &*self.region] {
            text.push_str(extra);
            text.push('\u{1f}');
        }
        text.push_str(self.severity.as_str());
        if let Some(control) = &self.control_id {
            text.push('\u{1f}');
            text.push_str(control);
        }
        text.to_lowercase()
    }
}

/// A failing control's fix on the finding's resource, as one AWS CLI command (where the control
/// has one that needs nothing else).
pub fn fix_command(f: &Finding) -> Option<String> {
    // Only Security Hub's own control findings: another product can name a control too.
    if !f.product_arn.as_deref().is_some_and(|p| p.ends_with("::product/aws/securityhub")) {
        return None;
    }
    let control = f.control_id.as_deref()?;
    crate::view::remediation::cli_fix(control, &f.resource, &f.region, &f.account_id)
}

/// Open findings: not resolved or suppressed, not archived.
impl crate::view::Scoped for Finding {
    fn in_default_scope(&self) -> bool {
        self.is_open()
    }
}

pub struct Pane;

impl super::PaneView for Pane {
    type Model = crate::model::panes::findings::Pane;
    type Row = std::sync::Arc<Finding>;

    fn default_sort() -> crate::view::table::SortSpec {
        crate::view::table::SortSpec { column: RISK, descending: true }
    }

    fn rows(data: &Vec<std::sync::Arc<Finding>>) -> Cow<'_, [Self::Row]> {
        Cow::Borrowed(data)
    }

    fn into_rows(data: Vec<std::sync::Arc<Finding>>) -> Vec<Self::Row> {
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::tests::sample;

    #[test]
    fn a_security_hub_control_finding_has_its_fix_and_another_products_has_none() {
        let mut f = crate::model::finding::tests::sample("f-1");
        f.control_id = Some("S3.1".into());
        f.account_id = "111122223333".into();
        f.region = "eu-central-1".into();
        f.product_arn = Some("arn:aws:securityhub:eu-central-1::product/aws/securityhub".into());
        let fix = fix_command(&f).expect("S3.1 has a fix");
        assert!(fix.contains("--account-id 111122223333"), "{fix}");
        f.product_arn = Some("arn:aws:securityhub:eu-central-1:111122223333:product/111122223333/default".into());
        assert_eq!(fix_command(&f), None, "a custom product naming a control");
    }

    #[test]
    fn a_controls_id_leads_its_title_and_the_title_sort_reads_as_the_cells() {
        let ctx = CellContext::plain(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH);
        let control = |id: &str, title: &str| Finding { control_id: Some(id.into()), title: title.into(), ..sample(id) };
        let rows = [
            control("S3.10", "S3 general purpose buckets should have lifecycle configurations"),
            control("S3.1", "S3 general purpose buckets should have block public access"),
            Finding { title: "CVE-2021-44228 - log4j-core".into(), ..sample("cve") },
            Finding { title: "Zero-day".into(), ..sample("z") },
        ];
        assert_eq!(rows[1].cell(TITLE, &ctx), "S3.1 S3 general purpose buckets should have block public access");
        for a in &rows {
            for b in &rows {
                assert_eq!(a.compare(b, TITLE, &ctx), a.cell(TITLE, &ctx).cmp(&b.cell(TITLE, &ctx)));
            }
        }
    }
}
