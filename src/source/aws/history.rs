//! History through Athena: finds the table (Security Lake's data lake and log sources, the table's
//! Glue metadata through Athena), estimates what a query scans, runs it under the byte cap with a
//! way to stop it, and pages its rows back. The SQL comes from `model::lake`, never from here.

use super::AwsSource;
use super::budget::Service;
use super::errors;
use crate::model::lake::{
    self, Cancel, Estimate, Finished, HistorySettings, LakeSource, Layout, Plan, Prepared, Progress, Question,
    ScanMemory, Scope, Table,
};
use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

crate::sdk_client!(aws_sdk_athena, Athena);
crate::sdk_client!(aws_sdk_securitylake, SecurityLake);
// The WAF client is the Edge pane's (`panes::edge` declares it).

/// The catalog Glue tables are in.
const CATALOG: &str = "AwsDataCatalog";
/// Rows read at most: a findings answer is a row per day and severity, a WAF answer 50.
pub const MAX_ROWS: usize = 20_000;
/// How long an `EXPLAIN` may take before the estimate falls back to the last similar query.
const EXPLAIN_WAIT: Duration = Duration::from_secs(20);

/// The table a question reads and where: `--table` (or the config's) as given, else Security
/// Lake's table for the question's source in the data lake's rollup region, checked against its
/// Glue metadata.
pub async fn find_table(
    source: &AwsSource,
    settings: &HistorySettings,
    question: &Question,
    table: Option<Table>,
) -> Result<(Table, String, String), String> {
    let home = settings.region.clone().unwrap_or_else(|| source.place().1.to_string());
    if let Some(mut table) = table {
        let found = format!("{table} (as given)");
        check_table(source, &home, &mut table).await?;
        return Ok((table, home, found));
    }
    let lake_source = LakeSource::for_subject(question.subject);
    let lake = source.client_in::<aws_sdk_securitylake::Client>(&home);
    let call = lake.list_data_lakes().send();
    let lakes = source
        .paced_in(Service::SecurityLake, "ListDataLakes", &home, call)
        .await
        .map_err(|e| errors::classify(source.caller(Service::SecurityLake), "ListDataLakes", &e).to_string())?;
    let regions: Vec<String> = lakes.data_lakes().iter().map(|l| l.region().to_string()).collect();
    if regions.is_empty() {
        return Err(format!(
            "no Security Lake data lake seen from {home}: set one up, or query WAF logs in S3 with `vigil history setup` and --table"
        ));
    }
    // A rollup region is one the others replicate into: it holds every region's data.
    let rollup = lakes
        .data_lakes()
        .iter()
        .filter_map(|l| l.replication_configuration())
        .flat_map(|r| r.regions().iter().cloned())
        .find(|r| regions.contains(r));
    let region = match rollup {
        Some(r) => r,
        None if regions.contains(&home) => home.clone(),
        None => regions[0].clone(),
    };
    // A region AWS named still has to look like one before it becomes an endpoint's host name.
    Scope::new([], [region.clone()]).map_err(|why| format!("Security Lake answered a data lake {why}"))?;
    let lake = source.client_in::<aws_sdk_securitylake::Client>(&region);
    let mut version = None;
    let mut token: Option<String> = None;
    loop {
        // Every region's sources: a rollup region's table holds what the contributing regions
        // collect, and the sources are enabled there rather than in the rollup region.
        let call = lake.list_log_sources().set_next_token(token.take()).send();
        let page = source
            .paced_in(Service::SecurityLake, "ListLogSources", &region, call)
            .await
            .map_err(|e| errors::classify(source.caller(Service::SecurityLake), "ListLogSources", &e).to_string())?;
        for entry in page.sources() {
            for resource in entry.sources() {
                if let Some(aws) = resource.as_aws_log_source().ok()
                    && aws.source_name().is_some_and(|n| n.as_str() == lake_source.api_name())
                {
                    let found = aws.source_version().unwrap_or("2.0").to_string();
                    // The newest version collected wins: its table is the one written now.
                    if version.as_ref().is_none_or(|v: &String| found > *v) {
                        version = Some(found);
                    }
                }
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let Some(version) = version else {
        return Err(format!(
            "Security Lake in {region} does not collect {} logs: add the source, or pass --table",
            lake_source.api_name()
        ));
    };
    if version.starts_with('1') {
        return Err(format!(
            "Security Lake in {region} collects {} as source version {version}; history reads version 2 (OCSF 1.1): update the source",
            lake_source.api_name()
        ));
    }
    let mut table = Table::security_lake(&region, lake_source, &version)?;
    check_table(source, &region, &mut table).await?;
    let found = format!("Security Lake in {region}, {} source version {version}", lake_source.api_name());
    Ok((table, region, found))
}

/// The table exists (Athena's GetTableMetadata, from Glue) and has the columns its layout bounds
/// every query by: Security Lake 2.0's are Iceberg tables, partitioned by time_dt's day, region
/// and accountid inside Iceberg (Glue lists them as columns); the WAF table's `day` is a Hive
/// partition.
async fn check_table(source: &AwsSource, region: &str, table: &mut Table) -> Result<(), String> {
    let athena = source.client_in::<aws_sdk_athena::Client>(region);
    let call =
        athena.get_table_metadata().catalog_name(CATALOG).database_name(&table.database).table_name(&table.name).send();
    let got = source.paced_in(Service::Athena, "GetTableMetadata", region, call).await.map_err(|e| {
        let why = errors::classify(source.caller(Service::Athena), "GetTableMetadata", &e);
        format!("table {table} in {region}: {why}")
    })?;
    let metadata = got.table_metadata();
    let names = |columns: &[aws_sdk_athena::types::Column]| -> Vec<String> {
        columns.iter().map(|c| c.name().to_ascii_lowercase()).collect()
    };
    let partitions = metadata.map(|m| names(m.partition_keys())).unwrap_or_default();
    let columns = metadata.map(|m| names(m.columns())).unwrap_or_default();
    let (wanted, among): (&[&str], Vec<&String>) = match table.layout {
        Layout::LakeFindings | Layout::LakeWaf => {
            (&["time_dt", "region", "accountid"], columns.iter().chain(&partitions).collect())
        }
        Layout::WafLogs => (&["day"], partitions.iter().collect()),
    };
    let missing: Vec<&str> = wanted.iter().copied().filter(|w| !among.iter().any(|p| p == w)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "table {table} has no {} to bound a query by (its partitions: {}): a query could scan everything, so history does not run it",
            missing.join(", "),
            if partitions.is_empty() { "none".to_string() } else { partitions.join(", ") }
        ));
    }
    table.columns = columns.into_iter().chain(partitions).collect();
    Ok(())
}

/// Finds the table, builds the query and estimates it: Athena's `EXPLAIN (TYPE IO)` when it gives
/// a number, else what the last query of the same shape scanned.
pub async fn prepare(
    source: &AwsSource,
    settings: &HistorySettings,
    question: &Question,
    table: Option<Table>,
    memory: &ScanMemory,
) -> Result<Prepared, String> {
    let (table, region, found) = find_table(source, settings, question, table).await?;
    let plan = Plan::new(question, &table, chrono::Utc::now())?;
    let explained = explain(source, settings, &region, &plan).await;
    let estimate = match explained {
        Some(bytes) => Estimate::Explain { bytes },
        None => memory.estimate(&plan.shape),
    };
    let cutoff = workgroup_cutoff(source, settings, &region).await;
    Ok(Prepared { plan, region, found, estimate, cutoff })
}

/// The workgroup's BytesScannedCutoffPerQuery: Athena's own stop, the only one that holds between
/// two polls. Not readable is the same as not set (said as such where it is shown).
async fn workgroup_cutoff(source: &AwsSource, settings: &HistorySettings, region: &str) -> Option<u64> {
    let athena = source.client_in::<aws_sdk_athena::Client>(region);
    let call = athena.get_work_group().work_group(&settings.workgroup).send();
    match source.paced_in(Service::Athena, "GetWorkGroup", region, call).await {
        Ok(got) => got
            .work_group()
            .and_then(|w| w.configuration())
            .and_then(|c| c.bytes_scanned_cutoff_per_query())
            .and_then(|b| u64::try_from(b).ok()),
        Err(e) => {
            tracing::warn!(error = %errors::classify(source.caller(Service::Athena), "GetWorkGroup", &e), "workgroup not read");
            None
        }
    }
}

async fn explain(source: &AwsSource, settings: &HistorySettings, region: &str, plan: &Plan) -> Option<u64> {
    let id = start(source, settings, region, &plan.explain_sql(), &plan.table, &[]).await.ok()?;
    let deadline = Instant::now() + EXPLAIN_WAIT;
    loop {
        let (state, _, _) = poll(source, region, &id).await.ok()?;
        match state {
            QueryExecutionState::Succeeded => break,
            QueryExecutionState::Failed | QueryExecutionState::Cancelled => return None,
            _ if Instant::now() > deadline => {
                if let Err(why) = stop(source, region, &id).await {
                    tracing::warn!(query = %id, error = %why, "an EXPLAIN past its wait could not be stopped");
                }
                return None;
            }
            _ => tokio::time::sleep(Duration::from_millis(300)).await,
        }
    }
    let (_, rows) = results(source, region, &id).await.ok()?;
    let text: String = rows.iter().filter_map(|r| r.first().cloned().flatten()).collect::<Vec<_>>().join("\n");
    lake::explain_estimate(&text)
}

/// Runs a prepared query: refused over the cap before it starts, stopped when it scans past the
/// cap or when `cancel` is set, its rows paged back and read.
pub async fn run(
    source: &AwsSource,
    settings: &HistorySettings,
    prepared: &Prepared,
    cancel: &Cancel,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Finished, String> {
    if let Some(refused) = lake::refusal(&prepared.estimate, settings.max_scan) {
        return Err(refused);
    }
    let (region, plan) = (&prepared.region, &prepared.plan);
    let began = Instant::now();
    let id = start(source, settings, region, &plan.sql, &plan.table, &plan.parameters).await?;
    let mut wait = Duration::from_millis(250);
    let mut misses = 0;
    let scanned = loop {
        let (state, scanned, reason) = match poll(source, region, &id).await {
            Ok(polled) => polled,
            // A throttled or dropped poll is asked again; after that the query cannot be watched
            // (no cap, no cancel), so it is stopped rather than left to run unseen.
            Err(why) if misses < POLL_RETRIES => {
                misses += 1;
                tracing::warn!(query = %id, error = %why, "a poll failed; asking again");
                tokio::time::sleep(Duration::from_secs(misses)).await;
                continue;
            }
            Err(why) => {
                let stopped = stop(source, region, &id).await;
                return Err(format!("lost sight of Athena query {id} ({why}); {}", stop_said(&id, stopped)));
            }
        };
        misses = 0;
        progress(Progress { state: state.as_str().to_string(), scanned, elapsed: began.elapsed() });
        match state {
            QueryExecutionState::Succeeded => break scanned,
            QueryExecutionState::Failed => {
                return Err(format!(
                    "Athena query {id} failed: {}",
                    reason.unwrap_or_else(|| "no reason given".into())
                ));
            }
            QueryExecutionState::Cancelled => return Err(format!("Athena query {id} was cancelled")),
            _ => {}
        }
        if cancel.is_cancelled() {
            let stopped = stop(source, region, &id).await;
            return Err(format!("{} after scanning {}", stop_said(&id, stopped), lake::bytes_text(scanned)));
        }
        if scanned > settings.max_scan {
            let stopped = stop(source, region, &id).await;
            return Err(format!(
                "{}: it scanned {}, past the cap of {} ([history] max_scan)",
                stop_said(&id, stopped),
                lake::bytes_text(scanned),
                lake::bytes_text(settings.max_scan)
            ));
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(2));
    };
    let (columns, rows) = results(source, region, &id).await?;
    let answer = lake::read_answer(plan.question.subject, &columns, &rows)?;
    // Athena may report the bytes only at the end: past the cap by then is said, not hidden.
    let past_cap = scanned > settings.max_scan;
    Ok(Finished { answer, query_id: id, scanned, elapsed: began.elapsed(), rows: rows.len(), past_cap })
}

/// Polls of a running query that may fail in a row before it is stopped.
const POLL_RETRIES: u64 = 3;

/// What a stop did, said either way: a query that could not be stopped may still be scanning.
fn stop_said(id: &str, stopped: Result<(), String>) -> String {
    match stopped {
        Ok(()) => format!("stopped (StopQueryExecution {id})"),
        Err(why) => format!("could NOT stop Athena query {id} ({why}): it may still be running"),
    }
}

async fn start(
    source: &AwsSource,
    settings: &HistorySettings,
    region: &str,
    sql: &str,
    table: &Table,
    parameters: &[String],
) -> Result<String, String> {
    let athena = source.client_in::<aws_sdk_athena::Client>(region);
    let context = QueryExecutionContext::builder().catalog(CATALOG).database(&table.database).build();
    let results = settings.output_location.as_ref().map(|l| ResultConfiguration::builder().output_location(l).build());
    let call = athena
        .start_query_execution()
        .query_string(sql)
        .query_execution_context(context)
        .work_group(&settings.workgroup)
        .set_result_configuration(results)
        .set_execution_parameters((!parameters.is_empty()).then(|| parameters.to_vec()))
        .send();
    let started = source
        .paced_in(Service::Athena, "StartQueryExecution", region, call)
        .await
        .map_err(|e| errors::classify(source.caller(Service::Athena), "StartQueryExecution", &e).to_string())?;
    started.query_execution_id().map(str::to_string).ok_or_else(|| "Athena started a query without an id".to_string())
}

/// The query's state, the bytes it scanned so far and why it failed.
async fn poll(
    source: &AwsSource,
    region: &str,
    id: &str,
) -> Result<(QueryExecutionState, u64, Option<String>), String> {
    let athena = source.client_in::<aws_sdk_athena::Client>(region);
    let call = athena.get_query_execution().query_execution_id(id).send();
    let got = source
        .paced_in(Service::Athena, "GetQueryExecution", region, call)
        .await
        .map_err(|e| errors::classify(source.caller(Service::Athena), "GetQueryExecution", &e).to_string())?;
    let execution = got.query_execution();
    let status = execution.and_then(|e| e.status());
    let state = status.and_then(|s| s.state()).cloned().unwrap_or(QueryExecutionState::Queued);
    let reason = status.and_then(|s| s.state_change_reason()).map(str::to_string);
    let scanned = execution
        .and_then(|e| e.statistics())
        .and_then(|s| s.data_scanned_in_bytes())
        .map_or(0, |b| u64::try_from(b).unwrap_or(0));
    Ok((state, scanned, reason))
}

/// StopQueryExecution; its failure is the caller's to say (the query may still be scanning, up to
/// the workgroup's own BytesScannedCutoffPerQuery).
async fn stop(source: &AwsSource, region: &str, id: &str) -> Result<(), String> {
    let athena = source.client_in::<aws_sdk_athena::Client>(region);
    let call = athena.stop_query_execution().query_execution_id(id).send();
    match source.paced_in(Service::Athena, "StopQueryExecution", region, call).await {
        Ok(_) => Ok(()),
        Err(e) => Err(errors::classify(source.caller(Service::Athena), "StopQueryExecution", &e).to_string()),
    }
}

type Rows = Vec<Vec<Option<String>>>;

/// Every row of a finished query, 1,000 a page; the header row Athena puts first is dropped.
async fn results(source: &AwsSource, region: &str, id: &str) -> Result<(Vec<String>, Rows), String> {
    let athena = source.client_in::<aws_sdk_athena::Client>(region);
    let (mut columns, mut rows): (Vec<String>, Rows) = (Vec::new(), Vec::new());
    let mut token: Option<String> = None;
    let mut first = true;
    loop {
        let call =
            athena.get_query_results().query_execution_id(id).max_results(1000).set_next_token(token.take()).send();
        let page = source
            .paced_in(Service::Athena, "GetQueryResults", region, call)
            .await
            .map_err(|e| errors::classify(source.caller(Service::Athena), "GetQueryResults", &e).to_string())?;
        let Some(set) = page.result_set() else { break };
        if first {
            columns = set
                .result_set_metadata()
                .map(|m| m.column_info().iter().map(|c| c.name().to_string()).collect())
                .unwrap_or_default();
        }
        for (at, row) in set.rows().iter().enumerate() {
            let values: Vec<Option<String>> =
                row.data().iter().map(|d| d.var_char_value().map(str::to_string)).collect();
            let header = first
                && at == 0
                && values.iter().map(|v| v.as_deref().unwrap_or("")).eq(columns.iter().map(String::as_str));
            if !header {
                rows.push(values);
            }
        }
        first = false;
        if rows.len() > MAX_ROWS {
            return Err(format!("the answer has more than {MAX_ROWS} rows: ask about a shorter window"));
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok((columns, rows))
}

/// The S3 bucket a web ACL logs to, from WAF's logging configurations: the Regional ACLs of
/// `region`, then CloudFront's (us-east-1); with the region folder WAF writes under (`cloudfront`
/// for a CloudFront ACL). An ACL that logs elsewhere (CloudWatch Logs, Firehose), or not at all, is
/// said: history reads S3.
pub async fn waf_logging_bucket(source: &AwsSource, region: &str, acl: &str) -> Result<(String, String), String> {
    use aws_sdk_wafv2::types::Scope as WafScope;
    let mut elsewhere = Vec::new();
    for (scope, in_region, folder) in
        [(WafScope::Regional, region, region), (WafScope::Cloudfront, "us-east-1", "cloudfront")]
    {
        let waf = source.client_in::<aws_sdk_wafv2::Client>(in_region);
        let mut marker = None;
        loop {
            let call =
                waf.list_logging_configurations().scope(scope.clone()).limit(100).set_next_marker(marker.take()).send();
            let page =
                source.paced_in(Service::Wafv2, "ListLoggingConfigurations", in_region, call).await.map_err(|e| {
                    errors::classify(source.caller(Service::Wafv2), "ListLoggingConfigurations", &e).to_string()
                })?;
            for config in page.logging_configurations() {
                let arn = config.resource_arn();
                let named = arn.split("/webacl/").nth(1).and_then(|rest| rest.split('/').next()) == Some(acl);
                if !named {
                    continue;
                }
                for destination in config.log_destination_configs() {
                    match destination.strip_prefix("arn:aws:s3:::").or_else(|| destination.split(":s3:::").nth(1)) {
                        Some(bucket) => {
                            let bucket = bucket.split('/').next().unwrap_or(bucket);
                            return Ok((bucket.to_string(), folder.to_string()));
                        }
                        None => elsewhere.push(destination.to_string()),
                    }
                }
            }
            marker = page.next_marker().map(str::to_string).filter(|_| !page.logging_configurations().is_empty());
            if marker.is_none() {
                break;
            }
        }
    }
    match elsewhere.is_empty() {
        true => Err(format!(
            "no logging configuration for web ACL {acl} in {region} or CloudFront: turn on logging to an aws-waf-logs- bucket, or pass --bucket"
        )),
        false => Err(format!(
            "web ACL {acl} logs to {} rather than S3: history reads WAF logs in an S3 bucket (pass --bucket if it also writes one)",
            elsewhere.join(", ")
        )),
    }
}

/// Runs a DDL statement (`vigil history setup --apply`) and waits for it.
pub async fn run_ddl(
    source: &AwsSource,
    settings: &HistorySettings,
    region: &str,
    ddl: &str,
    table: &Table,
) -> Result<String, String> {
    let id = start(source, settings, region, ddl, table, &[]).await?;
    // A CREATE TABLE takes seconds; past this the outcome is unknown and said so.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if Instant::now() > deadline {
            return Err(format!("Athena query {id} did not finish within 2 minutes: see it in Athena's history"));
        }
        let (state, _, reason) = poll(source, region, &id).await?;
        match state {
            QueryExecutionState::Succeeded => return Ok(id),
            QueryExecutionState::Failed | QueryExecutionState::Cancelled => {
                return Err(format!("Athena query {id}: {}", reason.unwrap_or_else(|| state.as_str().to_string())));
            }
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

/// Where the scan memory is kept: `history-scans.json` in Vigil's data directory, beside the audit
/// log (`VIGIL_SCAN_MEMORY` puts it elsewhere).
pub fn scan_memory_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("VIGIL_SCAN_MEMORY") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "vigil").map(|d| d.data_local_dir().join("history-scans.json"))
}

/// The scan memory saved, empty when there is none or it does not parse (it only estimates).
pub fn load_scan_memory(path: Option<&Path>) -> ScanMemory {
    path.and_then(|p| std::fs::read_to_string(p).ok()).and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

/// Adds what a query of `shape` scanned to the saved memory (read again first: another console's
/// queries count too), written whole through a temporary file.
pub fn remember_scan(path: Option<&Path>, shape: &str, bytes: u64) -> std::io::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let mut memory = load_scan_memory(Some(path));
    memory.remember(shape, bytes, chrono::Utc::now());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes = serde_json::to_vec(&memory).map_err(std::io::Error::other)?;
    // A temporary of this process's own, made new (never a link someone left there), 0600, then
    // renamed over the file: a reader sees the old memory or the new, whole.
    let temporary = path.with_extension(format!("json.{}.tmp", std::process::id()));
    let written = {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::remove_file(&temporary);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)
            .and_then(|mut file| file.write_all(&bytes))
    };
    written.and_then(|()| std::fs::rename(&temporary, path)).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
