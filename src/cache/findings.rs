//! The findings pane on disk: every distinct text once in a table, each finding a row of numbers
//! pointing into it. A 50k-finding account is a few MB instead of ~48 MB of JSON, loads in a
//! fraction of the time, and comes back with its repeated texts already shared.

use crate::model::{Finding, FindingOrigin, Interner, Product, RecordState, SeverityLabel, SharedStr, WorkflowStatus};
use chrono::DateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// What the cache stores for the findings pane.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredFindings {
    texts: Vec<String>,
    rows: Vec<Row>,
}

/// One finding; `u32`s index `texts`, times are (seconds, nanoseconds) since the epoch.
#[derive(Debug, Serialize, Deserialize)]
struct Row(
    u32,
    Option<u32>,
    Option<u32>,
    SeverityLabel,
    u8,
    [u32; 5],
    u32,
    WorkflowStatus,
    RecordState,
    Vec<FindingOrigin>,
    u64,
    [u32; 2],
    [(i64, u32); 3],
    Option<u32>,
    Vec<(u32, u32)>,
);

#[derive(Default)]
struct Table<'a> {
    index: HashMap<&'a str, u32>,
    texts: Vec<String>,
}

impl<'a> Table<'a> {
    fn put(&mut self, text: &'a str) -> u32 {
        let next = self.texts.len() as u32;
        *self.index.entry(text).or_insert_with(|| {
            self.texts.push(text.to_string());
            next
        })
    }
}

fn seconds(t: crate::model::Timestamp) -> (i64, u32) {
    (t.timestamp(), t.timestamp_subsec_nanos())
}

impl StoredFindings {
    pub fn from_findings(findings: &[Arc<Finding>]) -> Self {
        let mut table = Table::default();
        let rows = findings
            .iter()
            .map(|f| {
                Row(
                    table.put(&f.id),
                    f.guardduty_id.as_deref().map(|t| table.put(t)),
                    f.product_arn.as_deref().map(|t| table.put(t)),
                    f.severity,
                    f.severity_score,
                    [&f.title, &f.description, &f.finding_type, &f.resource_type, &f.resource].map(|t| table.put(t)),
                    table.put(f.product.id()),
                    f.workflow_status,
                    f.record_state,
                    f.sources.clone(),
                    f.count,
                    [table.put(&f.account_id), table.put(&f.region)],
                    [seconds(f.first_seen), seconds(f.last_seen), seconds(f.updated_at)],
                    f.control_id.as_deref().map(|t| table.put(t)),
                    f.details.iter().map(|(label, value)| (table.put(label), table.put(value))).collect(),
                )
            })
            .collect();
        Self { texts: table.texts, rows }
    }

    /// The findings; `None` when a row points outside the table or holds an impossible time
    /// (a damaged file, read as no cache rather than misread).
    pub fn into_findings(self) -> Option<Vec<Arc<Finding>>> {
        let mut interner = Interner::new();
        let shared: Vec<SharedStr> = self.texts.iter().map(|t| interner.intern(t)).collect();
        let text = |i: u32| shared.get(i as usize).cloned();
        let time = |(secs, nanos): (i64, u32)| DateTime::from_timestamp(secs, nanos);
        self.rows
            .into_iter()
            .map(
                |Row(
                    id,
                    gd,
                    arn,
                    severity,
                    score,
                    [title, description, kind, rtype, resource],
                    product,
                    workflow,
                    record_state,
                    sources,
                    count,
                    [account, region],
                    [first, last, updated],
                    control,
                    details,
                )| {
                    Some(Arc::new(Finding {
                        id: text(id)?.to_string(),
                        guardduty_id: gd.map(text).map(|t| t.ok_or(())).transpose().ok()?,
                        product_arn: arn.map(text).map(|t| t.ok_or(())).transpose().ok()?,
                        severity,
                        severity_score: score,
                        title: text(title)?,
                        description: text(description)?,
                        finding_type: text(kind)?,
                        resource_type: text(rtype)?,
                        resource: text(resource)?,
                        product: Product::from(text(product)?.to_string()),
                        workflow_status: workflow,
                        record_state,
                        sources,
                        count,
                        account_id: text(account)?,
                        region: text(region)?,
                        first_seen: time(first)?,
                        last_seen: time(last)?,
                        updated_at: time(updated)?,
                        control_id: control.map(text).map(|t| t.ok_or(())).transpose().ok()?,
                        details: details.into_iter().map(|(l, v)| Some((text(l)?, text(v)?))).collect::<Option<_>>()?,
                        risk: Default::default(),
                    }))
                },
            )
            .collect()
    }
}
