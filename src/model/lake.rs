//! History from the data lake: "since when", "how many yesterday", "did this IP hit us last
//! promotion". The answers are in months of findings and WAF logs that Security Lake (or a WAF
//! logging bucket) keeps in S3, and Athena queries them where they lie. This module is the pure
//! part: the question a person asks, the SQL that answers it (bounded by the partition columns so
//! it scans only the window), what that costs, and reading the rows back.
//!
//! Nothing a finding says is pasted into SQL: the value asked about travels as an Athena execution
//! parameter, itself a single well-formed string literal ([`string_literal`]); the table's names
//! and the partition bounds are checked or made here from typed values.

use super::time::Timestamp;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a history question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    /// A resource's ARN or id (`resources[].uid`).
    Resource,
    /// An IP address seen as a finding's source.
    Ip,
    /// A principal (user or role name, or its ARN).
    Principal,
    /// A finding type.
    Type,
    /// A Security Hub control id such as S3.1.
    Control,
    /// A web ACL's traffic: top client IPs, countries, URIs, terminating rules and actions.
    WafTop,
}

impl Subject {
    pub const ALL: [Subject; 6] =
        [Subject::Resource, Subject::Ip, Subject::Principal, Subject::Type, Subject::Control, Subject::WafTop];

    /// Its name on the command line and the `:history` line.
    pub fn name(self) -> &'static str {
        match self {
            Subject::Resource => "resource",
            Subject::Ip => "ip",
            Subject::Principal => "principal",
            Subject::Type => "type",
            Subject::Control => "control",
            Subject::WafTop => "waf-top",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.name() == text).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|s| s.name()).collect();
            format!("{text:?}: expected one of {}", names.join(", "))
        })
    }

    /// Whether it reads WAF logs (else findings).
    pub fn is_waf(self) -> bool {
        self == Subject::WafTop
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How far back a question looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub hours: u32,
}

/// The longest window: Security Lake keeps what its lifecycle says, and a year is what a war room
/// compares against ("last promotion").
pub const MAX_WINDOW_DAYS: u32 = 400;

impl Window {
    pub const fn days(days: u32) -> Self {
        Self { hours: days * 24 }
    }

    /// `7d`, `36h`, `2w`: a number and a unit (h, d, w), at most [`MAX_WINDOW_DAYS`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let expected =
            || format!("{text:?}: expected a number and h, d or w (36h, 7d, 2w), at most {MAX_WINDOW_DAYS}d");
        let text = text.trim();
        // The unit is the last character, whatever its width (`7д` is refused, not cut mid-letter).
        let at = text.char_indices().last().map_or(0, |(at, _)| at);
        let (number, unit) = text.split_at(at);
        let number: u32 = number.parse().map_err(|_| expected())?;
        let hours = match unit {
            "h" => Some(number),
            "d" => number.checked_mul(24),
            "w" => number.checked_mul(24 * 7),
            _ => None,
        }
        .ok_or_else(expected)?;
        if hours == 0 || hours > MAX_WINDOW_DAYS * 24 {
            return Err(expected());
        }
        Ok(Self { hours })
    }

    pub fn duration(self) -> Duration {
        Duration::hours(i64::from(self.hours))
    }

    /// `7d`, `36h`: the shortest way to write it back.
    pub fn label(self) -> String {
        match self.hours {
            h if h % (24 * 7) == 0 && h >= 24 * 14 => format!("{}w", h / (24 * 7)),
            h if h % 24 == 0 => format!("{}d", h / 24),
            h => format!("{h}h"),
        }
    }
}

/// How a table lays out its data, which decides its columns and partitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Security Lake's Security Hub findings, source version 2 (OCSF 1.1): Apache Iceberg tables
    /// partitioned by time_dt (by day), region and accountid.
    LakeFindings,
    /// Security Lake's AWS WAF logs, source version 2 (OCSF HTTP Activity), same partitions.
    LakeWaf,
    /// AWS WAF logs an ACL writes to an S3 bucket, under the table `vigil history setup` makes:
    /// WAF's own JSON, partitioned by `day` (yyyy/MM/dd, projected).
    WafLogs,
}

impl Layout {
    pub fn reads_waf(self) -> bool {
        matches!(self, Layout::LakeWaf | Layout::WafLogs)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Layout::LakeFindings => "Security Lake, Security Hub findings",
            Layout::LakeWaf => "Security Lake, AWS WAF logs",
            Layout::WafLogs => "AWS WAF logs in S3",
        }
    }
}

/// A table to query: checked names (so they can be written into SQL) and its layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Table {
    pub database: String,
    pub name: String,
    pub layout: Layout,
    /// Its top-level columns, lower-case, as its Glue metadata lists them: a question leaves out
    /// what the table does not have. Empty: not read (every column assumed).
    pub columns: BTreeSet<String>,
}

impl Table {
    pub fn new(database: &str, name: &str, layout: Layout) -> Result<Self, String> {
        check_identifier(database, "database")?;
        check_identifier(name, "table")?;
        Ok(Self { database: database.to_string(), name: name.to_string(), layout, columns: BTreeSet::new() })
    }

    /// `DATABASE.TABLE` from `--table`; its layout from its name (Security Lake's names say their
    /// source), else `fallback`.
    pub fn parse(text: &str, fallback: Layout) -> Result<Self, String> {
        let (database, name) = text.split_once('.').ok_or_else(|| format!("{text:?}: expected DATABASE.TABLE"))?;
        let layout = match name {
            n if n.starts_with("amazon_security_lake_table_") && n.contains("_sh_findings_") => Layout::LakeFindings,
            n if n.starts_with("amazon_security_lake_table_") && n.contains("_waf_") => Layout::LakeWaf,
            _ => fallback,
        };
        Self::new(database, name, layout)
    }

    /// Security Lake's table for a source in a region: its Glue database is
    /// `amazon_security_lake_glue_db_<region>` and the table
    /// `amazon_security_lake_table_<region>_<source>_<version>`, with `_` for `-` and `.`.
    pub fn security_lake(region: &str, source: LakeSource, version: &str) -> Result<Self, String> {
        let region = region.replace('-', "_");
        let version = version.replace('.', "_");
        let database = format!("amazon_security_lake_glue_db_{region}");
        let name = format!("amazon_security_lake_table_{region}_{}_{version}", source.table_part());
        Self::new(&database, &name, source.layout())
    }

    /// `"database"."table"`.
    pub fn quoted(&self) -> String {
        format!("\"{}\".\"{}\"", self.database, self.name)
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.database, self.name)
    }
}

/// The Security Lake sources history reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LakeSource {
    SecurityHubFindings,
    Waf,
}

impl LakeSource {
    /// Its `sourceName` in Security Lake's API.
    pub fn api_name(self) -> &'static str {
        match self {
            LakeSource::SecurityHubFindings => "SH_FINDINGS",
            LakeSource::Waf => "WAF",
        }
    }

    fn table_part(self) -> &'static str {
        match self {
            LakeSource::SecurityHubFindings => "sh_findings",
            LakeSource::Waf => "waf",
        }
    }

    pub fn layout(self) -> Layout {
        match self {
            LakeSource::SecurityHubFindings => Layout::LakeFindings,
            LakeSource::Waf => Layout::LakeWaf,
        }
    }

    pub fn for_subject(subject: Subject) -> Self {
        if subject.is_waf() { LakeSource::Waf } else { LakeSource::SecurityHubFindings }
    }
}

/// Glue names: lower-case letters, digits and `_` (Glue lower-cases what it stores), so a checked
/// name written between double quotes cannot end the quoting.
fn check_identifier(name: &str, what: &str) -> Result<(), String> {
    let fine = !name.is_empty()
        && name.len() <= 255
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    match fine {
        true => Ok(()),
        false => Err(format!("{what} {name:?}: expected 1 to 255 lower-case letters, digits and _")),
    }
}

/// Where to look: accounts and regions bound the partitions too (empty: every one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scope {
    pub accounts: BTreeSet<String>,
    pub regions: BTreeSet<String>,
}

impl Scope {
    /// Accounts are 12 digits and regions letters, digits and `-`: anything else is refused, so
    /// both can be written into SQL as literals.
    pub fn new(
        accounts: impl IntoIterator<Item = String>,
        regions: impl IntoIterator<Item = String>,
    ) -> Result<Self, String> {
        let accounts: BTreeSet<String> = accounts.into_iter().collect();
        let regions: BTreeSet<String> = regions.into_iter().collect();
        if let Some(bad) = accounts.iter().find(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit())) {
            return Err(format!("account {bad:?}: expected 12 digits"));
        }
        let region_like = |r: &String| {
            !r.is_empty()
                && r.len() <= 32
                && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if let Some(bad) = regions.iter().find(|r| !region_like(r)) {
            return Err(format!("region {bad:?}: expected a region name such as eu-west-1"));
        }
        Ok(Self { accounts, regions })
    }
}

/// One question: what, which value, how far back, where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Question {
    pub subject: Subject,
    /// The value asked about, checked for its subject ([`Question::new`]).
    pub value: String,
    pub window: Window,
    pub scope: Scope,
}

/// The longest execution parameter Athena takes, quotes included: the longest value a question
/// takes is this less its two quotes and one for each quote it doubles.
pub const MAX_PARAMETER: usize = 1024;

impl Question {
    /// Checks `value` for `subject`: an IP must parse as one (and is asked in its canonical form),
    /// a control id is letters, digits, `.`, `_` and `-`; anything with a control character is
    /// refused, whatever the subject.
    pub fn new(subject: Subject, value: &str, window: Window, scope: Scope) -> Result<Self, String> {
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("{subject}: expected a value"));
        }
        if string_literal(value).chars().count() > MAX_PARAMETER {
            return Err(format!(
                "{subject}: longer than Athena takes as a parameter ({MAX_PARAMETER} characters, quotes included)"
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(format!("{subject}: the value holds control characters; history does not ask about it"));
        }
        let value = match subject {
            Subject::Ip => value
                .parse::<std::net::IpAddr>()
                .map_err(|_| format!("ip {value:?}: expected an IPv4 or IPv6 address"))?
                .to_string(),
            Subject::Control => {
                let fine = value.len() <= 64
                    && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
                if !fine {
                    return Err(format!("control {value:?}: expected a control id such as S3.1"));
                }
                value.to_string()
            }
            Subject::WafTop => {
                let name_like = |s: &str| {
                    !s.is_empty()
                        && s.len() <= 128
                        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                };
                let arn_like =
                    value.starts_with("arn:aws") && value.contains(":wafv2:") && !value.contains(char::is_whitespace);
                if !(name_like(value) || arn_like) {
                    return Err(format!("waf-top {value:?}: expected a web ACL's name or ARN"));
                }
                value.to_string()
            }
            Subject::Resource | Subject::Principal | Subject::Type => value.to_string(),
        };
        Ok(Self { subject, value, window, scope })
    }

    /// The first and last day the window touches, UTC.
    pub fn days(&self, now: Timestamp) -> (NaiveDate, NaiveDate) {
        ((now - self.window.duration()).date_naive(), now.date_naive())
    }

    /// A line saying what is asked.
    pub fn describe(&self) -> String {
        let what = match self.subject {
            Subject::WafTop => format!("top traffic of web ACL {}", self.value),
            s => format!("findings of {s} {}", self.value),
        };
        format!("{what} over the last {}", self.window.label())
    }
}

/// A string literal: `'`, the text with each `'` doubled, `'`. What Athena wants for a string
/// execution parameter; as one literal, a value cannot become more than a value.
pub fn string_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The `[history]` settings: where Athena runs and writes, what a query may scan and costs.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySettings {
    pub workgroup: String,
    /// `s3://…` for query results; `None`: the workgroup's own.
    pub output_location: Option<String>,
    /// Where the data lake (or the WAF table) is; `None`: the console's region.
    pub region: Option<String>,
    /// `DATABASE.TABLE` for findings questions, skipping discovery.
    pub findings_table: Option<String>,
    /// `DATABASE.TABLE` for WAF questions (the table `vigil history setup` made).
    pub waf_table: Option<String>,
    /// No query runs whose estimate is over this, and one that scans past it is stopped.
    pub max_scan: u64,
    pub price_per_tb: f64,
    /// The window when none is given.
    pub window: Window,
}

/// The default cap on what one query scans: 10 GB ($0.05 at $5 per TB).
pub const DEFAULT_MAX_SCAN: u64 = 10_000_000_000;

impl Default for HistorySettings {
    fn default() -> Self {
        Self {
            workgroup: "primary".into(),
            output_location: None,
            region: None,
            findings_table: None,
            waf_table: None,
            max_scan: DEFAULT_MAX_SCAN,
            price_per_tb: PRICE_PER_TB,
            window: Window::days(7),
        }
    }
}

impl HistorySettings {
    /// The table configured for `subject`'s questions, if any.
    pub fn table_for(&self, subject: Subject) -> Option<&str> {
        match subject.is_waf() {
            true => self.waf_table.as_deref(),
            false => self.findings_table.as_deref(),
        }
    }
}

/// The SQL that answers a question, and the values bound to its `?` in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub question: Question,
    pub table: Table,
    pub sql: String,
    /// Athena's `ExecutionParameters`: each a string literal ([`string_literal`]).
    pub parameters: Vec<String>,
    /// What makes two questions cost about the same (the table, the subject, the window and the
    /// scope): the key of the scan memory that estimates a query before it runs.
    pub shape: String,
    /// When the window ends: the plan was made then, and its answer's days are laid out from it.
    pub at: Timestamp,
}

/// The columns of a findings answer, in order.
pub const FINDINGS_COLUMNS: [&str; 7] =
    ["day", "severity", "findings", "first_seen", "last_seen", "accounts", "regions"];
/// The columns of a WAF answer, in order.
pub const WAF_COLUMNS: [&str; 3] = ["dimension", "value", "requests"];
/// Rows kept for each WAF dimension.
pub const WAF_TOP: u32 = 10;

impl Plan {
    /// The query for `question` over `table` at `now`. A findings question needs a findings
    /// table and a WAF question a WAF table.
    pub fn new(question: &Question, table: &Table, now: Timestamp) -> Result<Self, String> {
        if question.subject.is_waf() != table.layout.reads_waf() {
            return Err(format!(
                "{}: table {table} holds {}; pass a {} table",
                question.subject,
                table.layout.describe(),
                if question.subject.is_waf() { "WAF logs" } else { "findings" }
            ));
        }
        let bounds = partition_bounds(question, table.layout, now);
        let value = string_literal(&question.value);
        let (sql, count) = match table.layout {
            Layout::LakeFindings => findings_sql(question.subject, table, &bounds)?,
            Layout::LakeWaf | Layout::WafLogs => waf_sql(table, &bounds),
        };
        let shape = format!(
            "{table}|{}|{}|{}a|{}r",
            question.subject,
            question.window.hours,
            question.scope.accounts.len(),
            question.scope.regions.len()
        );
        Ok(Self {
            question: question.clone(),
            table: table.clone(),
            sql,
            parameters: vec![value; count],
            shape,
            at: now,
        })
    }

    /// The same query with every `?` an empty string, for `EXPLAIN` (which takes no execution
    /// parameters): what it scans depends on the partitions and columns, not on the value.
    pub fn explain_sql(&self) -> String {
        format!("EXPLAIN (TYPE IO, FORMAT JSON) {}", self.sql.replace('?', "''"))
    }
}

/// The partition (and time) conditions every query starts with: the window's days, and the
/// scope's accounts and regions where the layout has those partitions.
fn partition_bounds(question: &Question, layout: Layout, now: Timestamp) -> String {
    let since = now - question.window.duration();
    let (first, last) = question.days(now);
    let mut bounds = Vec::new();
    match layout {
        Layout::LakeFindings | Layout::LakeWaf => {
            // Security Lake 2.0 partitions by time_dt's day: a bound on time_dt prunes the days.
            bounds.push(format!(
                "time_dt BETWEEN TIMESTAMP '{}' AND TIMESTAMP '{}'",
                since.format("%Y-%m-%d %H:%M:%S"),
                now.format("%Y-%m-%d %H:%M:%S")
            ));
            if !question.scope.regions.is_empty() {
                bounds.push(format!("region IN ({})", literals(&question.scope.regions)));
            }
            if !question.scope.accounts.is_empty() {
                bounds.push(format!("accountid IN ({})", literals(&question.scope.accounts)));
            }
        }
        Layout::WafLogs => {
            bounds.push(format!("day BETWEEN '{}' AND '{}'", first.format("%Y/%m/%d"), last.format("%Y/%m/%d")));
            bounds.push(format!("\"timestamp\" >= {}", since.timestamp_millis()));
        }
    }
    bounds.join("\n  AND ")
}

fn literals(values: &BTreeSet<String>) -> String {
    values.iter().map(|v| string_literal(v)).collect::<Vec<_>>().join(", ")
}

/// The predicate on the question's value, from the table's columns where they are known: a table
/// without `src_endpoint` (OCSF's base Finding has none) is asked through `evidences` only. Every
/// `?` stands outside a lambda (`contains(transform(...), ?)`): a parameter inside one is a bug
/// Trino and Presto have had. The predicate and its number of `?`.
fn matches(subject: Subject, table: &Table) -> Result<(String, usize), String> {
    let has = |column: &str| table.columns.is_empty() || table.columns.contains(column);
    let mut any: Vec<&str> = Vec::new();
    match subject {
        Subject::Resource if has("resources") => any.push("contains(transform(resources, r -> r.uid), ?)"),
        Subject::Ip => {
            if has("src_endpoint") {
                any.push("src_endpoint.ip = ?");
            }
            if has("evidences") {
                any.push("contains(transform(evidences, e -> e.src_endpoint.ip), ?)");
            }
        }
        Subject::Principal => {
            if has("actor") {
                any.extend(["actor.user.name = ?", "actor.user.uid = ?"]);
            }
            if has("evidences") {
                any.push("contains(transform(evidences, e -> e.actor.user.name), ?)");
            }
        }
        Subject::Type if has("finding_info") => any.push("contains(finding_info.types, ?)"),
        Subject::Control if has("compliance") => any.push("compliance.control = ?"),
        _ => {}
    }
    if any.is_empty() {
        return Err(format!("table {table} has no column that names a {subject}"));
    }
    Ok((format!("({})", any.join(" OR ")), any.len()))
}

/// Findings per day and severity (distinct findings: Security Lake keeps every update of one),
/// first and last seen, accounts and regions, and one more row (day and severity empty) for the
/// whole window, whose count is the distinct findings over every day; the number of `?` it holds.
fn findings_sql(subject: Subject, table: &Table, bounds: &str) -> Result<(String, usize), String> {
    let (matches, count) = matches(subject, table)?;
    let sql = format!(
        "SELECT date_format(time_dt, '%Y%m%d') AS day, severity, count(DISTINCT finding_info.uid) AS findings,\n  \
         to_iso8601(min(time_dt)) AS first_seen, to_iso8601(max(time_dt)) AS last_seen,\n  \
         array_join(array_sort(array_agg(DISTINCT accountid)), ',') AS accounts,\n  \
         array_join(array_sort(array_agg(DISTINCT region)), ',') AS regions\n\
         FROM {}\n\
         WHERE {bounds}\n  AND {matches}\n\
         GROUP BY GROUPING SETS ((date_format(time_dt, '%Y%m%d'), severity), ())\n\
         ORDER BY day, severity",
        table.quoted()
    );
    Ok((sql, count))
}

/// Top client IPs, countries, URIs, terminating rules and actions of one web ACL, in one scan:
/// Athena bills every scan of a table, and a JSON table cannot skip columns, so one GROUPING SETS
/// pass rather than a query per dimension; [`WAF_TOP`] rows of each kept.
fn waf_sql(table: &Table, bounds: &str) -> (String, usize) {
    let (acl, dimensions): (&str, [(&str, &str); 5]) = match table.layout {
        Layout::WafLogs => (
            "(webaclid = ? OR regexp_extract(webaclid, '/webacl/([^/]+)/', 1) = ?)",
            [
                ("client_ip", "httprequest.clientip"),
                ("country", "httprequest.country"),
                ("uri", "httprequest.uri"),
                ("terminating_rule", "terminatingruleid"),
                ("action", "action"),
            ],
        ),
        _ => (
            "(metadata.product.feature.uid = ? OR metadata.product.feature.name = ?)",
            [
                ("client_ip", "src_endpoint.ip"),
                ("country", "src_endpoint.location.country"),
                ("uri", "http_request.url.path"),
                ("terminating_rule", "firewall_rule.uid"),
                ("action", "action"),
            ],
        ),
    };
    let which = |what: &dyn Fn(&str, &str) -> String| {
        let arms: Vec<String> = dimensions
            .iter()
            .map(|(name, column)| format!("WHEN grouping({column}) = 0 THEN {}", what(name, column)))
            .collect();
        format!("CASE {} END", arms.join(" "))
    };
    let dimension = which(&|name, _| format!("'{name}'"));
    let value = which(&|_, column| format!("CAST({column} AS varchar)"));
    let sets: Vec<String> = dimensions.iter().map(|(_, column)| format!("({column})")).collect();
    let sql = format!(
        "SELECT dimension, value, requests FROM (\n\
         SELECT dimension, value, requests,\n  \
         row_number() OVER (PARTITION BY dimension ORDER BY requests DESC) AS place\n\
         FROM (\n\
         SELECT {dimension} AS dimension,\n  \
         {value} AS value,\n  \
         count(*) AS requests\n\
         FROM {}\n\
         WHERE {bounds}\n  AND {acl}\n\
         GROUP BY GROUPING SETS ({})\n\
         )\n\
         )\n\
         WHERE place <= {WAF_TOP}\n\
         ORDER BY dimension, requests DESC",
        table.quoted(),
        sets.join(", ")
    );
    (sql, 2)
}

/// Athena's price for SQL queries per terabyte scanned (us-east-1, and most regions); the
/// config's `[history] price_per_tb` sets another.
pub const PRICE_PER_TB: f64 = 5.0;
/// Athena bills at least this much per query (10 MB), rounded up to the megabyte.
pub const MINIMUM_BILLED_BYTES: u64 = 10 * 1_000_000;

/// What scanning `bytes` costs in dollars: whole megabytes, at least [`MINIMUM_BILLED_BYTES`].
pub fn cost(bytes: u64, price_per_tb: f64) -> f64 {
    let billed = bytes.div_ceil(1_000_000).max(MINIMUM_BILLED_BYTES / 1_000_000) * 1_000_000;
    billed as f64 / 1e12 * price_per_tb
}

/// `$0.0500`, `$12.34`: cents shown, and four places below a cent so a small query is not `$0.00`.
pub fn dollars(amount: f64) -> String {
    if amount < 0.01 { format!("${amount:.4}") } else { format!("${amount:.2}") }
}

/// `1.2 GB`, `340 MB` (decimal units, as Athena bills).
pub fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    match unit {
        0 => format!("{bytes} B"),
        _ if value < 10.0 => format!("{value:.1} {}", UNITS[unit]),
        _ => format!("{value:.0} {}", UNITS[unit]),
    }
}

/// `10GB`, `500 MB`, `2TB`, or a number of bytes: the `[history] max_scan` cap.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("{text:?}: expected a size such as 10GB or 500MB"))?;
    let scale = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        _ => return Err(format!("{text:?}: expected a size such as 10GB or 500MB (B, KB, MB, GB, TB)")),
    };
    let bytes = number * scale;
    if !(1.0..=1e18).contains(&bytes) {
        return Err(format!("{text:?}: expected a size from 1 B to 1000000 TB"));
    }
    Ok(bytes as u64)
}

/// How the bytes a query will scan were estimated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "kebab-case")]
pub enum Estimate {
    /// Athena's `EXPLAIN (TYPE IO)` said so.
    Explain { bytes: u64 },
    /// The last query of the same shape scanned this much.
    LastSimilar { bytes: u64, at: Timestamp },
    /// Neither is known: the cap bounds it.
    Unknown,
}

impl Estimate {
    pub fn bytes(&self) -> Option<u64> {
        match self {
            Estimate::Explain { bytes } | Estimate::LastSimilar { bytes, .. } => Some(*bytes),
            Estimate::Unknown => None,
        }
    }

    /// Where the figure comes from: "Athena's estimate", "the last similar query, 2026-12-01".
    pub fn basis(&self) -> String {
        match self {
            Estimate::Explain { .. } => "Athena's estimate (EXPLAIN, from table statistics)".into(),
            Estimate::LastSimilar { at, .. } => format!("the last similar query, {}", at.format("%Y-%m-%d")),
            Estimate::Unknown => "no estimate: the cap bounds it".into(),
        }
    }

    /// "about 1.2 GB ($0.0060, Athena's estimate)".
    pub fn describe(&self, price_per_tb: f64) -> String {
        match self {
            Estimate::Explain { bytes } => {
                format!("about {} ({}, Athena's estimate)", bytes_text(*bytes), dollars(cost(*bytes, price_per_tb)))
            }
            Estimate::LastSimilar { bytes, at } => format!(
                "about {} ({}, what the last similar query scanned on {})",
                bytes_text(*bytes),
                dollars(cost(*bytes, price_per_tb)),
                at.format("%Y-%m-%d")
            ),
            Estimate::Unknown => "unknown (no estimate from Athena and no similar query before)".to_string(),
        }
    }
}

/// The input size `EXPLAIN (TYPE IO, FORMAT JSON)` estimates: the sum of its
/// `inputTableColumnInfos[].estimate.outputSizeInBytes`; `None` when any is missing or not a
/// number (Athena says `NaN` for a table without statistics).
pub fn explain_estimate(plan_json: &str) -> Option<u64> {
    let plan: serde_json::Value = serde_json::from_str(plan_json).ok()?;
    let inputs = plan.get("inputTableColumnInfos")?.as_array()?;
    let mut total = 0.0;
    for input in inputs {
        let size = input.get("estimate")?.get("outputSizeInBytes")?;
        let size = size.as_f64().or_else(|| size.as_str()?.parse::<f64>().ok())?;
        if !size.is_finite() || size < 0.0 {
            return None;
        }
        total += size;
    }
    (!inputs.is_empty()).then_some(total as u64)
}

/// The bytes the last query of each shape scanned: the estimate when Athena gives none. Kept
/// between sessions, bounded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanMemory {
    pub shapes: BTreeMap<String, Scanned>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scanned {
    pub bytes: u64,
    pub at: Timestamp,
}

/// Shapes the scan memory keeps; the oldest go first.
pub const MAX_SHAPES: usize = 200;

impl ScanMemory {
    pub fn remember(&mut self, shape: &str, bytes: u64, at: Timestamp) {
        self.shapes.insert(shape.to_string(), Scanned { bytes, at });
        while self.shapes.len() > MAX_SHAPES {
            let oldest = self.shapes.iter().min_by_key(|(_, s)| s.at).map(|(k, _)| k.clone());
            match oldest {
                Some(key) => self.shapes.remove(&key),
                None => break,
            };
        }
    }

    pub fn estimate(&self, shape: &str) -> Estimate {
        match self.shapes.get(shape) {
            Some(s) => Estimate::LastSimilar { bytes: s.bytes, at: s.at },
            None => Estimate::Unknown,
        }
    }
}

/// Why a query must not run: an estimate over the cap. An unknown estimate is the caller's to
/// confirm (`--yes`, Enter after "unknown"); the cap still stops it while it runs.
pub fn refusal(estimate: &Estimate, cap: u64) -> Option<String> {
    match estimate.bytes() {
        Some(bytes) if bytes > cap => Some(format!(
            "refused: it would scan about {}, over the cap of {} ([history] max_scan)",
            bytes_text(bytes),
            bytes_text(cap)
        )),
        _ => None,
    }
}

/// Where a question will be asked, and what it costs before it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub plan: Plan,
    /// The workgroup's own `BytesScannedCutoffPerQuery`, Athena's hard stop: `None` when it sets
    /// none (or could not be read), and Vigil's cap is then enforced by polling alone.
    pub cutoff: Option<u64>,
    /// The region of the table (Athena runs there).
    pub region: String,
    /// How the table was found, for the person reading.
    pub found: String,
    pub estimate: Estimate,
}

/// A running query's state, for a progress line.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Athena's state: QUEUED, RUNNING.
    pub state: String,
    pub scanned: u64,
    pub elapsed: std::time::Duration,
}

/// What a finished query gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub answer: Answer,
    pub query_id: String,
    pub scanned: u64,
    pub elapsed: std::time::Duration,
    pub rows: usize,
    /// It scanned past the cap: Athena reported the bytes only when it had finished.
    pub past_cap: bool,
}

/// Set from anywhere to stop a query at its next poll (StopQueryExecution).
#[derive(Debug, Clone, Default)]
pub struct Cancel(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// One day and severity of a findings answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCount {
    pub day: NaiveDate,
    pub severity: String,
    pub findings: u64,
}

/// What the lake says about a finding subject over the window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingsHistory {
    pub days: Vec<DayCount>,
    /// Distinct findings over the whole window (the days' counts add up a finding seen on two
    /// days twice); `None` when the answer had no total row.
    pub distinct: Option<u64>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub accounts: BTreeSet<String>,
    pub regions: BTreeSet<String>,
}

impl FindingsHistory {
    pub fn total(&self) -> u64 {
        self.days.iter().map(|d| d.findings).sum()
    }

    /// Findings per day (every severity), oldest first, for each day of the window.
    pub fn per_day(&self, first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, u64)> {
        let mut counts: BTreeMap<NaiveDate, u64> =
            first.iter_days().take_while(|d| *d <= last).map(|d| (d, 0)).collect();
        for day in &self.days {
            *counts.entry(day.day).or_default() += day.findings;
        }
        counts.into_iter().collect()
    }
}

/// One WAF dimension's top values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Top {
    pub dimension: String,
    pub values: Vec<(String, u64)>,
}

/// What a question's rows say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Answer {
    Findings(FindingsHistory),
    Waf { tops: Vec<Top> },
}

/// Reads the rows of a plan's query (header row already removed): columns by name, so a table
/// answering in another order is still read right. Text is kept as AWS sent it: sanitising is
/// the renderer's job.
pub fn read_answer(subject: Subject, columns: &[String], rows: &[Vec<Option<String>>]) -> Result<Answer, String> {
    let index = |name: &str| {
        columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("the answer has no column {name:?} (columns: {})", columns.join(", ")))
    };
    let cell = |row: &Vec<Option<String>>, at: usize| row.get(at).cloned().flatten().unwrap_or_default();
    if subject.is_waf() {
        let (dimension, value, requests) = (index("dimension")?, index("value")?, index("requests")?);
        let mut tops: Vec<Top> = Vec::new();
        for row in rows {
            let name = cell(row, dimension);
            let count = cell(row, requests)
                .parse::<u64>()
                .map_err(|_| format!("requests {:?}: not a count", cell(row, requests)))?;
            let entry = (cell(row, value), count);
            match tops.iter_mut().find(|t| t.dimension == name) {
                Some(top) => top.values.push(entry),
                None => tops.push(Top { dimension: name, values: vec![entry] }),
            }
        }
        for top in &mut tops {
            top.values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        return Ok(Answer::Waf { tops });
    }
    let at: Vec<usize> = FINDINGS_COLUMNS.iter().map(|c| index(c)).collect::<Result<_, _>>()?;
    let mut history = FindingsHistory::default();
    for row in rows {
        let day_text = cell(row, at[0]);
        let findings =
            cell(row, at[2]).parse::<u64>().map_err(|_| format!("findings {:?}: not a count", cell(row, at[2])))?;
        if day_text.is_empty() {
            history.distinct = Some(findings);
        } else {
            let day = NaiveDate::parse_from_str(&day_text, "%Y%m%d")
                .map_err(|_| format!("day {day_text:?}: expected yyyyMMdd"))?;
            history.days.push(DayCount { day, severity: cell(row, at[1]), findings });
        }
        let (first, last) = (cell(row, at[3]), cell(row, at[4]));
        if !first.is_empty() && history.first_seen.as_ref().is_none_or(|f| first < *f) {
            history.first_seen = Some(first);
        }
        if !last.is_empty() && history.last_seen.as_ref().is_none_or(|l| last > *l) {
            history.last_seen = Some(last);
        }
        for (set, column) in [(&mut history.accounts, at[5]), (&mut history.regions, at[6])] {
            set.extend(cell(row, column).split(',').filter(|s| !s.is_empty()).map(str::to_string));
        }
    }
    history.days.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.severity.cmp(&b.severity)));
    Ok(Answer::Findings(history))
}

/// The table `vigil history setup` makes over the WAF logs an ACL writes to S3: AWS WAF's log
/// fields, partition projection on the day (so no crawler and no MSCK REPAIR), as the Athena user
/// guide's "Create a table for AWS WAF S3 logs using partition projection" shows (one ACL and
/// region per table, so the region is in the location rather than a partition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WafTableSetup {
    pub table: Table,
    /// `s3://aws-waf-logs-…/AWSLogs/ACCOUNT/WAFLogs/REGION/ACL/`.
    pub location: String,
}

impl WafTableSetup {
    /// Checked: the bucket is a WAF logging bucket's name (`aws-waf-logs-` and S3's characters),
    /// the account 12 digits, the region and ACL name WAF's characters; a prefix is S3 key text
    /// without quotes.
    pub fn new(database: &str, bucket: &str, account: &str, region: &str, acl: &str) -> Result<Self, String> {
        let bucket = bucket.trim_start_matches("s3://").trim_end_matches('/');
        let bucket_fine = bucket.starts_with("aws-waf-logs-")
            && bucket.len() <= 63
            && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'));
        if !bucket_fine {
            return Err(format!("bucket {bucket:?}: expected a WAF logging bucket (aws-waf-logs-…, lower-case)"));
        }
        Scope::new([account.to_string()], [region.to_string()])?;
        let acl_fine = !acl.is_empty()
            && acl.len() <= 128
            && acl.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
        if !acl_fine {
            return Err(format!("web ACL {acl:?}: expected a web ACL's name (letters, digits, - and _)"));
        }
        let name = format!("vigil_waf_{}", acl.to_ascii_lowercase().replace('-', "_"));
        let table = Table::new(database, &name, Layout::WafLogs)?;
        let location = format!("s3://{bucket}/AWSLogs/{account}/WAFLogs/{region}/{acl}/");
        Ok(Self { table, location })
    }

    /// The `CREATE EXTERNAL TABLE` statement. Without IF NOT EXISTS: two ACLs whose names differ only
    /// in case or `-`/`_` share a table name, and the second must fail rather than read the first's
    /// logs.
    pub fn ddl(&self, since: NaiveDate) -> String {
        format!(
            "CREATE EXTERNAL TABLE `{database}`.`{name}` (
  `timestamp` bigint,
  `formatversion` int,
  `webaclid` string,
  `terminatingruleid` string,
  `terminatingruletype` string,
  `action` string,
  `httpsourcename` string,
  `httpsourceid` string,
  `responsecodesent` string,
  `httprequest` struct<
    clientip:string, country:string, headers:array<struct<name:string,value:string>>, uri:string,
    args:string, httpversion:string, httpmethod:string, requestid:string, fragment:string,
    scheme:string, host:string>,
  `labels` array<struct<name:string>>,
  `ja3fingerprint` string,
  `ja4fingerprint` string
)
PARTITIONED BY (`day` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '{location}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.day.type' = 'date',
  'projection.day.range' = '{since},NOW',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = '{location}${{day}}/'
)",
            database = self.table.database,
            name = self.table.name,
            location = self.location,
            since = since.format("%Y/%m/%d"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 12, 7, 22, 30, 0).unwrap()
    }

    fn lake() -> Table {
        Table::security_lake("us-east-1", LakeSource::SecurityHubFindings, "2.0").unwrap()
    }

    #[test]
    fn security_lake_names_its_tables_by_region_source_and_version() {
        assert_eq!(
            lake().to_string(),
            "amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0"
        );
        let waf = Table::security_lake("eu-west-1", LakeSource::Waf, "2.0").unwrap();
        assert_eq!(waf.name, "amazon_security_lake_table_eu_west_1_waf_2_0");
        assert_eq!(Table::parse(&waf.to_string(), Layout::WafLogs).unwrap().layout, Layout::LakeWaf);
    }

    #[test]
    fn a_table_name_that_could_end_its_quoting_is_refused() {
        for bad in ["db.t\"; DROP TABLE x; --", "db.T", "db.", "nodot", "d b.t"] {
            assert!(Table::parse(bad, Layout::WafLogs).is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_parse_and_write_back() {
        assert_eq!(Window::parse("7d").unwrap(), Window::days(7));
        assert_eq!(Window::parse("36h").unwrap().hours, 36);
        assert_eq!(Window::parse("2w").unwrap().label(), "2w");
        assert_eq!(Window::days(7).label(), "7d");
        for bad in ["", "7", "0d", "d", "7y", "401d", "-1d", "99999999w", "7д", "café", "д"] {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_query_is_bounded_by_the_partitions_of_its_window_and_scope() {
        let scope =
            Scope::new(["111122223333".to_string()], ["eu-west-1".to_string(), "us-east-1".to_string()]).unwrap();
        let question = Question::new(Subject::Control, "S3.1", Window::days(7), scope).unwrap();
        let plan = Plan::new(&question, &lake(), now()).unwrap();
        assert!(
            plan.sql.contains("time_dt BETWEEN TIMESTAMP '2026-11-30 22:30:00' AND TIMESTAMP '2026-12-07 22:30:00'"),
            "{}",
            plan.sql
        );
        assert!(plan.sql.contains("region IN ('eu-west-1', 'us-east-1')"), "{}", plan.sql);
        assert!(plan.sql.contains("accountid IN ('111122223333')"), "{}", plan.sql);
        assert!(plan.sql.contains("compliance.control = ?"), "{}", plan.sql);
        assert_eq!(plan.parameters, vec!["'S3.1'".to_string()]);
    }

    #[test]
    fn hostile_text_in_a_value_never_changes_the_query() {
        let plain = Question::new(Subject::Resource, "arn:aws:s3:::shop", Window::days(7), Scope::default()).unwrap();
        let plain = Plan::new(&plain, &lake(), now()).unwrap();
        for hostile in
            ["x' OR '1'='1", "'); DROP TABLE findings; --", "a'||(SELECT 1)||'", "arn:aws:s3:::shop?", "\\' OR true --"]
        {
            let question = Question::new(Subject::Resource, hostile, Window::days(7), Scope::default()).unwrap();
            let plan = Plan::new(&question, &lake(), now()).unwrap();
            assert_eq!(plan.sql, plain.sql, "{hostile}");
            assert_eq!(plan.parameters.len(), 1);
            let literal = &plan.parameters[0];
            // One literal: quoted at both ends, every quote inside doubled.
            let inner = &literal[1..literal.len() - 1];
            assert!(literal.starts_with('\'') && literal.ends_with('\''));
            assert_eq!(inner.replace("''", ""), hostile.replace('\'', ""), "{hostile}");
        }
        for refused in ["a\u{1b}[2Jb", "line\nbreak", "tab\there", ""] {
            assert!(
                Question::new(Subject::Resource, refused, Window::days(7), Scope::default()).is_err(),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn a_value_longer_than_athena_takes_is_refused_quotes_included() {
        let ask = |value: &str| Question::new(Subject::Principal, value, Window::days(1), Scope::default());
        assert!(ask(&"a".repeat(MAX_PARAMETER - 2)).is_ok());
        assert!(ask(&"a".repeat(MAX_PARAMETER - 1)).is_err());
        assert!(ask(&format!("{}'", "a".repeat(MAX_PARAMETER - 4))).is_ok());
        assert!(ask(&format!("{}'", "a".repeat(MAX_PARAMETER - 3))).is_err(), "a quote counts twice");
    }

    #[test]
    fn a_question_asks_only_the_columns_the_table_has_and_no_parameter_sits_in_a_lambda() {
        let question = Question::new(Subject::Ip, "198.51.100.7", Window::days(1), Scope::default()).unwrap();
        let every = Plan::new(&question, &lake(), now()).unwrap();
        assert_eq!(every.parameters.len(), 2, "{}", every.sql);
        assert!(!every.sql.contains("-> e.src_endpoint.ip = ?"), "{}", every.sql);
        let mut base = lake();
        base.columns =
            ["time_dt", "region", "accountid", "severity", "finding_info", "evidences"].map(String::from).into();
        let plan = Plan::new(&question, &base, now()).unwrap();
        assert!(!plan.sql.contains("src_endpoint.ip = ?") && plan.parameters.len() == 1, "{}", plan.sql);
        let control = Question::new(Subject::Control, "S3.1", Window::days(1), Scope::default()).unwrap();
        assert!(Plan::new(&control, &base, now()).unwrap_err().contains("no column"));
    }

    #[test]
    fn values_are_checked_for_their_subject() {
        let ask = |subject, value: &str| Question::new(subject, value, Window::days(1), Scope::default());
        assert_eq!(ask(Subject::Ip, " 2001:DB8::1 ").unwrap().value, "2001:db8::1");
        assert!(ask(Subject::Ip, "198.51.100.7' OR 1=1").is_err());
        assert!(ask(Subject::Control, "S3.1 OR 1=1").is_err());
        assert!(ask(Subject::WafTop, "shop-front").is_ok());
        assert!(ask(Subject::WafTop, "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shop/abc").is_ok());
        assert!(ask(Subject::WafTop, "shop' --").is_err());
        assert!(Scope::new(["12345".to_string()], []).is_err());
        assert!(Scope::new([], ["us-east-1') OR ('1".to_string()]).is_err());
    }

    #[test]
    fn a_waf_question_needs_a_waf_table() {
        let question = Question::new(Subject::WafTop, "shop", Window::days(1), Scope::default()).unwrap();
        assert!(Plan::new(&question, &lake(), now()).unwrap_err().contains("WAF logs"));
        let waf = Table::security_lake("us-east-1", LakeSource::Waf, "2.0").unwrap();
        let plan = Plan::new(&question, &waf, now()).unwrap();
        assert!(
            plan.sql.contains("GROUP BY GROUPING SETS ((src_endpoint.ip), (src_endpoint.location.country)"),
            "{}",
            plan.sql
        );
        assert_eq!(plan.parameters.len(), 2, "one scan: the ACL asked once (ARN or name)");
        assert_eq!(plan.sql.matches('?').count(), plan.parameters.len());
        assert!(plan.sql.contains("time_dt BETWEEN TIMESTAMP '2026-12-06 22:30:00'"));
        let setup =
            WafTableSetup::new("default", "aws-waf-logs-shop", "111122223333", "us-east-1", "shop-front").unwrap();
        let plan = Plan::new(&question, &setup.table, now()).unwrap();
        assert!(plan.sql.contains("day BETWEEN '2026/12/06' AND '2026/12/07'"), "{}", plan.sql);
        assert_eq!(plan.sql.matches('?').count(), plan.parameters.len());
        assert!(!plan.explain_sql().contains('?'));
    }

    #[test]
    fn cost_is_billed_by_the_megabyte_with_a_ten_megabyte_minimum() {
        assert_eq!(cost(0, 5.0), cost(10_000_000, 5.0));
        assert!((cost(1_000_000_000_000, 5.0) - 5.0).abs() < 1e-9);
        assert!((cost(10_000_001, 5.0) - 11.0e6 / 1e12 * 5.0).abs() < 1e-12);
        assert_eq!(dollars(cost(0, 5.0)), "$0.0001");
        assert_eq!(dollars(cost(3_000_000_000_000, 5.0)), "$15.00");
        assert_eq!(bytes_text(1_234_000_000), "1.2 GB");
        assert_eq!(bytes_text(340_000_000), "340 MB");
        assert_eq!(parse_bytes("10GB").unwrap(), 10_000_000_000);
        assert_eq!(parse_bytes("500 mb").unwrap(), 500_000_000);
        assert!(parse_bytes("ten").is_err() && parse_bytes("5 PB").is_err() && parse_bytes("0").is_err());
    }

    #[test]
    fn the_estimate_comes_from_explain_else_the_last_similar_query() {
        let json = r#"{"inputTableColumnInfos":[{"table":{},"estimate":{"outputRowCount":10.0,"outputSizeInBytes":2500000000.0}},
            {"table":{},"estimate":{"outputSizeInBytes":500000000}}],"estimate":{}}"#;
        assert_eq!(explain_estimate(json), Some(3_000_000_000));
        assert_eq!(explain_estimate(r#"{"inputTableColumnInfos":[{"estimate":{"outputSizeInBytes":"NaN"}}]}"#), None);
        assert_eq!(explain_estimate("not json"), None);
        let mut memory = ScanMemory::default();
        assert_eq!(memory.estimate("shape"), Estimate::Unknown);
        memory.remember("shape", 42, now());
        assert_eq!(memory.estimate("shape").bytes(), Some(42));
        for n in 0..(MAX_SHAPES + 5) {
            memory.remember(&format!("s{n}"), 1, now() + Duration::seconds(n as i64 + 1));
        }
        assert_eq!(memory.shapes.len(), MAX_SHAPES);
        assert!(!memory.shapes.contains_key("shape"), "the oldest goes first");
        assert!(refusal(&Estimate::Explain { bytes: 11 }, 10).is_some());
        assert!(refusal(&Estimate::Explain { bytes: 10 }, 10).is_none());
        assert!(refusal(&Estimate::Unknown, 10).is_none());
    }

    #[test]
    fn rows_are_read_by_column_name() {
        let columns: Vec<String> = ["severity", "day", "findings", "first_seen", "last_seen", "accounts", "regions"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let row = |v: [&str; 7]| v.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
        let rows = vec![
            row([
                "HIGH",
                "20261202",
                "3",
                "2026-12-02T01:00:00.000Z",
                "2026-12-02T09:00:00.000Z",
                "111122223333",
                "us-east-1",
            ]),
            row([
                "LOW",
                "20261201",
                "1",
                "2026-12-01T05:00:00.000Z",
                "2026-12-01T05:00:00.000Z",
                "444455556666,111122223333",
                "eu-west-1",
            ]),
            vec![None, None, Some("3".into()), Some("2026-12-01T05:00:00.000Z".into()), None, None, None],
        ];
        let Answer::Findings(history) = read_answer(Subject::Resource, &columns, &rows).unwrap() else { panic!() };
        assert_eq!((history.total(), history.distinct), (4, Some(3)), "a finding seen on two days counts once in all");
        assert_eq!(history.days[0].severity, "LOW");
        assert_eq!(history.first_seen.as_deref(), Some("2026-12-01T05:00:00.000Z"));
        assert_eq!(history.last_seen.as_deref(), Some("2026-12-02T09:00:00.000Z"));
        assert_eq!(history.accounts.len(), 2);
        let first = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let per_day = history.per_day(first, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert_eq!(per_day.iter().map(|d| d.1).collect::<Vec<_>>(), vec![0, 1, 3]);
        assert!(read_answer(Subject::Resource, &columns[..3], &rows).is_err());
        let waf_columns: Vec<String> = WAF_COLUMNS.iter().map(|s| s.to_string()).collect();
        let waf_rows = vec![
            vec![Some("client_ip".into()), Some("198.51.100.7".into()), Some("10".into())],
            vec![Some("client_ip".into()), Some("203.0.113.9".into()), Some("90".into())],
            vec![Some("country".into()), None, Some("5".into())],
        ];
        let Answer::Waf { tops } = read_answer(Subject::WafTop, &waf_columns, &waf_rows).unwrap() else { panic!() };
        assert_eq!(tops[0].values[0], ("203.0.113.9".to_string(), 90));
        assert_eq!(tops[1].values[0], (String::new(), 5));
    }

    #[test]
    fn the_waf_table_setup_is_checked_and_projects_its_partitions() {
        let setup = WafTableSetup::new("default", "s3://aws-waf-logs-shop/", "111122223333", "us-east-1", "shop-front")
            .unwrap();
        assert_eq!(setup.table.name, "vigil_waf_shop_front");
        assert_eq!(setup.location, "s3://aws-waf-logs-shop/AWSLogs/111122223333/WAFLogs/us-east-1/shop-front/");
        let ddl = setup.ddl(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert!(ddl.contains("'projection.day.range' = '2026/01/01,NOW'"));
        assert!(ddl.contains("'storage.location.template' = 's3://aws-waf-logs-shop/AWSLogs/111122223333/WAFLogs/us-east-1/shop-front/${day}/'"));
        assert!(WafTableSetup::new("default", "shop-logs", "111122223333", "us-east-1", "a").is_err());
        assert!(WafTableSetup::new("default", "aws-waf-logs-x'", "111122223333", "us-east-1", "a").is_err());
        assert!(WafTableSetup::new("default", "aws-waf-logs-x", "111122223333", "us-east-1", "a/../b").is_err());
    }
}
