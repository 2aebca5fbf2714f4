//! History against moto (regions sa-east-1, ca-central-1 and eu-west-3, which no other test uses):
//! `vigil history` finds Security Lake's table, estimates with EXPLAIN, sends a query bounded by
//! the window's partitions with the value as a parameter, and shows the rows; the cap refuses a
//! query before it runs and stops one that scans past it; a cancel stops a running query;
//! `history setup` makes the WAF table and `waf-top` reads it. Athena's answers are seeded through
//! the extension (`tests/moto/seed_history.py`), and the SQL it was sent is read back.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // Tests fail by panicking.

mod common;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const LAKE_REGION: &str = "sa-east-1";
/// Athena's seeded answers are shared by the whole server: one test at a time seeds and asks.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
const WAF_REGION: &str = "ca-central-1";

struct Env {
    endpoint: String,
    dir: PathBuf,
}

impl Env {
    fn new(name: &str) -> Option<Self> {
        let endpoint = common::moto_endpoint()?;
        let dir = std::env::temp_dir().join(format!("vigil-history-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Some(Self { endpoint, dir })
    }

    /// Runs `code` with tests/moto's seed_history imported as `h` and the endpoint as `endpoint`;
    /// answers what it prints.
    fn python(&self, code: &str) -> String {
        let python = std::env::var("VIGIL_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = format!(
            "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_history as h; endpoint = {:?}\n{code}",
            self.endpoint
        );
        let out = Command::new(python).args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
        assert!(out.status.success(), "{code}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn queries(&self) -> Vec<Value> {
        serde_json::from_str::<Value>(&self.python("print(json.dumps(h.queries(endpoint)))"))
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    /// `vigil ARGS` with this test's config, audit log and scan memory: exit code, stdout, stderr.
    fn vigil(&self, config: &str, args: &[&str]) -> (i32, String, String) {
        let path = self.dir.join("config.toml");
        std::fs::write(&path, config).unwrap();
        let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
        let out = Command::new(binary)
            .args(args)
            .args(["--endpoint-url", &self.endpoint])
            .env("VIGIL_CONFIG", &path)
            .env("VIGIL_AUDIT_LOG", self.dir.join("audit.jsonl"))
            .env("VIGIL_SCAN_MEMORY", self.dir.join("scans.json"))
            .output()
            .unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const CONFIG: &str =
    "[history]\nworkgroup = \"primary\"\noutput_location = \"s3://shop-athena-results/vigil/\"\nmax_scan = \"3GB\"\n";

/// One test, its steps in order: Athena's seeded answers are matched to queries by their text,
/// and the queries are read back by position.
#[test]
fn history_finds_the_lake_bounds_and_binds_its_query_and_keeps_to_the_cap() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(env) = Env::new("lake") else { return };
    // Before any data lake (ListDataLakes sees every region's): what to do instead.
    let (code, _, err) = env.vigil(CONFIG, &["history", "resource", "i-0abc", "--region", "eu-west-3"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no Security Lake data lake") && err.contains("history setup"), "{err}");

    let lake: Value =
        serde_json::from_str(&env.python(&format!("print(json.dumps(h.seed_lake(endpoint, {LAKE_REGION:?})))")))
            .unwrap();
    let table = lake["tables"][0].as_str().unwrap().to_string();
    assert_eq!(table, "amazon_security_lake_glue_db_sa_east_1.amazon_security_lake_table_sa_east_1_sh_findings_2_0");
    let explain = r#"{"inputTableColumnInfos":[{"table":{"catalog":"awsdatacatalog"},"estimate":{"outputRowCount":1.0E7,"outputSizeInBytes":2.5E9}}]}"#;
    env.python(&format!(
        "h.seed_result(endpoint, 'EXPLAIN (TYPE IO, FORMAT JSON)', [('Query Plan', 'varchar')], [[{explain:?}]], times=1)"
    ));
    let columns = "[('day','varchar'),('severity','varchar'),('findings','bigint'),('first_seen','varchar'),('last_seen','varchar'),('accounts','varchar'),('regions','varchar')]";
    // Python's spelling of ESC ] 0 ; owned BEL (a terminal title change).
    let hostile_severity = "'High\\x1b]0;owned\\x07'";
    env.python(&format!(
        "h.seed_result(endpoint, 'amazon_security_lake_table_sa_east_1_sh_findings_2_0', {columns}, [\
         ['20261203', {hostile_severity}, '4', '2026-12-03T02:00:00.000Z', '2026-12-03T20:00:00.000Z', '123456789012,210987654321', 'sa-east-1'],\
         ['20261205', 'Critical', '1', '2026-12-05T07:00:00.000Z', '2026-12-05T07:00:00.000Z', '123456789012', 'us-east-1'],\
         [None, None, '4', '2026-12-03T02:00:00.000Z', '2026-12-05T07:00:00.000Z', '123456789012,210987654321', 'sa-east-1,us-east-1']],\
         bytes_scanned=2400000000, running_polls=2, times=1)"
    ));
    let before = env.queries().len();
    let hostile = "arn:aws:s3:::shop-assets' OR '1'='1";
    let (code, out, err) = env.vigil(
        CONFIG,
        &[
            "history",
            "resource",
            hostile,
            "--since",
            "7d",
            "--region",
            LAKE_REGION,
            "--account",
            "123456789012",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Athena's estimate") && err.contains("2.5 GB"), "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["table"], table.as_str());
    assert_eq!(json["estimate"]["basis"], "explain");
    assert_eq!(json["scanned_bytes"], 2_400_000_000u64);
    let answer = &json["answer"];
    assert_eq!(answer["kind"], "findings");
    assert_eq!(answer["days"].as_array().unwrap().len(), 2);
    assert_eq!(answer["accounts"], serde_json::json!(["123456789012", "210987654321"]));
    assert_eq!(answer["first_seen"], "2026-12-03T02:00:00.000Z");
    assert_eq!(answer["distinct"], 4, "the window's own row: distinct findings over every day");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "escapes are escaped in JSON: {out}");

    let sent = env.queries();
    let [explained, asked] = &sent[before..] else { panic!("an EXPLAIN then the query: {sent:?}") };
    let sql = asked["QueryString"].as_str().unwrap();
    assert!(explained["QueryString"].as_str().unwrap().starts_with("EXPLAIN (TYPE IO, FORMAT JSON) SELECT"));
    assert!(
        explained.get("ExecutionParameters").is_none_or(Value::is_null),
        "EXPLAIN takes no parameters: {explained}"
    );
    assert!(sql.contains("time_dt BETWEEN TIMESTAMP '"), "bounded by the window: {sql}");
    assert!(sql.contains("accountid IN ('123456789012')"), "{sql}");
    assert!(sql.contains("contains(transform(resources, r -> r.uid), ?)"), "{sql}");
    assert!(!sql.contains("shop-assets"), "the value is never in the SQL: {sql}");
    assert_eq!(asked["ExecutionParameters"], serde_json::json!(["'arn:aws:s3:::shop-assets'' OR ''1''=''1'"]));
    assert_eq!(asked["WorkGroup"], "primary");
    assert_eq!(asked["QueryExecutionContext"]["Database"], "amazon_security_lake_glue_db_sa_east_1");
    assert_eq!(asked["ResultConfiguration"]["OutputLocation"], "s3://shop-athena-results/vigil/");

    // Nothing estimates it: not run without --yes. Then the table format sanitises what the lake says.
    let control = ["history", "control", "S3.1", "--since", "2d", "--region", LAKE_REGION, "--format", "table"];
    env.python("h.seed_result(endpoint, 'EXPLAIN', [('Query Plan', 'varchar')], [['{}']], times=1)");
    let before = env.queries().len();
    let (code, _, err) = env.vigil(CONFIG, &control);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--yes runs it anyway"), "{err}");
    assert_eq!(env.queries().len(), before + 1, "only the EXPLAIN was sent");
    env.python("h.seed_result(endpoint, 'EXPLAIN', [('Query Plan', 'varchar')], [['{}']], times=1)");
    env.python(&format!(
        "h.seed_result(endpoint, 'sh_findings_2_0', {columns}, [['20261203', {hostile_severity}, '4', 'a', 'b', 'acct\\x1b[2J', 'sa-east-1']], bytes_scanned=1000, times=1)"
    ));
    let (code, out, err) = env.vigil(CONFIG, &[&control[..], &["--yes"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sets no BytesScannedCutoffPerQuery"), "the hard stop is said: {err}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
    assert!(out.contains("findings of control S3.1 over the last 2d"), "{out}");
    assert!(out.contains("day") && out.contains("critical") && out.contains("total"), "{out}");
    assert!(out.contains("4 finding-days"), "without the window's row the days' sum is named as such: {out}");
    assert!(err.contains("unknown"), "no estimate from EXPLAIN and no similar query before: {err}");

    // Over the cap by Athena's estimate: refused before it runs.
    env.python(&format!(
        "h.seed_result(endpoint, 'EXPLAIN', [('Query Plan', 'varchar')], [[{:?}]], times=1)",
        explain.replace("2.5E9", "9.0E9")
    ));
    let before = env.queries().len();
    let (code, _, err) = env.vigil(CONFIG, &["history", "type", "Effects/Data Exposure", "--region", LAKE_REGION]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refused") && err.contains("9.0 GB") && err.contains("3.0 GB"), "{err}");
    assert_eq!(env.queries().len(), before + 1, "only the EXPLAIN was sent");

    // No estimate, and it scans past the cap while running: stopped with StopQueryExecution.
    env.python("h.seed_result(endpoint, 'EXPLAIN', [('Query Plan', 'varchar')], [['{}']], times=1)");
    env.python(&format!(
        "h.seed_result(endpoint, 'sh_findings_2_0', {columns}, [], bytes_scanned=5000000000, running_polls=2, times=1)"
    ));
    let (code, _, err) =
        env.vigil(CONFIG, &["history", "ip", "198.51.100.7", "--since", "36h", "--region", LAKE_REGION, "--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("StopQueryExecution") && err.contains("past the cap"), "{err}");
    let last = env.queries().last().cloned().unwrap();
    assert_eq!(last["Stopped"], true, "{last}");
    assert_eq!(last["ExecutionParameters"], serde_json::json!(["'198.51.100.7'", "'198.51.100.7'"]));

    // Bad input is said before any call.
    let before = env.queries().len();
    let (code, _, err) = env.vigil(CONFIG, &["history", "ip", "198.51.100.7' OR 1=1", "--region", LAKE_REGION]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("expected an IPv4 or IPv6 address"), "{err}");
    let (code, _, err) = env.vigil(CONFIG, &["history", "type", "x", "--table", "db.t\"x", "--region", LAKE_REGION]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(env.queries().len(), before);
}

#[test]
fn setup_makes_the_waf_table_and_waf_top_reads_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(env) = Env::new("waf") else { return };
    let (code, out, err) = env.vigil(
        CONFIG,
        &["history", "setup", "--web-acl", "shop-front", "--bucket", "aws-waf-logs-shop", "--region", WAF_REGION],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("CREATE EXTERNAL TABLE `default`.`vigil_waf_shop_front`"), "{out}");
    assert!(out.contains("Nothing made"), "{out}");
    // Without --bucket, the bucket the ACL's logging configuration names; a log group is said.
    env.python(&format!(
        "h.seed_waf_acl(endpoint, {WAF_REGION:?}, 'shop-front', 'arn:aws:s3:::aws-waf-logs-shop-found')"
    ));
    env.python(&format!(
        "h.seed_waf_acl(endpoint, {WAF_REGION:?}, 'to-logs', 'arn:aws:logs:{WAF_REGION}:123456789012:log-group:aws-waf-logs-x')"
    ));
    let (code, out, err) = env.vigil(CONFIG, &["history", "setup", "--web-acl", "shop-front", "--region", WAF_REGION]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("logs to s3://aws-waf-logs-shop-found/"), "{out}");
    assert!(
        out.contains("LOCATION 's3://aws-waf-logs-shop-found/AWSLogs/123456789012/WAFLogs/ca-central-1/shop-front/'"),
        "{out}"
    );
    let (code, _, err) = env.vigil(CONFIG, &["history", "setup", "--web-acl", "to-logs", "--region", WAF_REGION]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("rather than S3"), "{err}");
    let (code, _, err) = env.vigil(CONFIG, &["history", "setup", "--web-acl", "nowhere", "--region", WAF_REGION]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("no logging configuration for web ACL nowhere"), "{err}");
    let before = env.queries().len();
    let (code, out, err) = env.vigil(
        CONFIG,
        &[
            "history",
            "setup",
            "--web-acl",
            "shop-front",
            "--bucket",
            "aws-waf-logs-shop",
            "--region",
            WAF_REGION,
            "--apply",
            "--yes",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Done"), "{out}");
    let sent = env.queries();
    let ddl = sent[before]["QueryString"].as_str().unwrap();
    assert!(ddl.contains("WAFLogs/ca-central-1/shop-front/${day}/"), "{ddl}");
    let audit = std::fs::read_to_string(env.dir.join("audit.jsonl")).unwrap();
    assert_eq!(audit.lines().count(), 2, "the attempt and its result: {audit}");
    assert!(audit.contains("make the history table default.vigil_waf_shop_front"), "{audit}");

    env.python(&format!("h.seed_waf_table(endpoint, {WAF_REGION:?}, 'default', 'vigil_waf_shop_front')"));
    env.python("h.seed_result(endpoint, 'EXPLAIN', [('Query Plan', 'varchar')], [['{}']], times=1)");
    env.python(
        "h.seed_result(endpoint, 'vigil_waf_shop_front', [('dimension','varchar'),('value','varchar'),('requests','bigint')], [\
         ['client_ip', '203.0.113.9', '9000'], ['client_ip', '198.51.100.7', '120'], ['country', 'BR', '8800'],\
         ['uri', '/checkout\\x1b[31m', '7000'], ['terminating_rule', 'rate-limit-login', '6500'], ['action', 'BLOCK', '6500']],\
         bytes_scanned=120000000, times=1)",
    );
    let (code, out, err) = env.vigil(
        CONFIG,
        &[
            "history",
            "waf-top",
            "shop-front",
            "--table",
            "default.vigil_waf_shop_front",
            "--since",
            "24h",
            "--region",
            WAF_REGION,
            "--yes",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("CLIENT_IP") && out.contains("203.0.113.9") && out.contains("rate-limit-login"), "{out}");
    assert!(!out.contains('\u{1b}'), "{out}");
    let sent = env.queries();
    let sql = sent.last().unwrap()["QueryString"].as_str().unwrap();
    assert!(sql.contains("day BETWEEN '"), "bounded by the projected day: {sql}");
    assert!(sql.contains("GROUP BY GROUPING SETS ((httprequest.clientip)"), "one scan for every dimension: {sql}");
    assert_eq!(sent.last().unwrap()["ExecutionParameters"].as_array().unwrap().len(), 2);
    // A findings table for a WAF question is refused, naming what to pass.
    let (code, _, err) = env.vigil(
        CONFIG,
        &[
            "history",
            "waf-top",
            "shop-front",
            "--table",
            "amazon_security_lake_glue_db_ca_central_1.amazon_security_lake_table_ca_central_1_sh_findings_2_0",
            "--region",
            WAF_REGION,
        ],
    );
    assert_eq!(code, 2, "said before any call: {err}");
    assert!(err.contains("WAF logs"), "{err}");
}

/// A cancel stops the running query at its next poll (StopQueryExecution), through the library.
#[test]
fn a_cancelled_query_is_stopped_in_athena() {
    use vigil::model::lake::{Cancel, HistorySettings, Progress, Question, ScanMemory, Scope, Subject, Table, Window};
    use vigil::source::aws::history;
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(env) = Env::new("cancel") else { return };
    env.python("h.seed_waf_table(endpoint, 'eu-west-3', 'cancelling', 'vigil_waf_cancel_me')");
    env.python("h.seed_result(endpoint, 'EXPLAIN', [('Query Plan', 'varchar')], [['{}']], times=1)");
    env.python(
        "h.seed_result(endpoint, 'vigil_waf_cancel_me', [('dimension','varchar')], [], running_polls=1000, times=1)",
    );
    let endpoint = env.endpoint.clone();
    common::block_on_big_stack(async move {
        let options = vigil::source::aws::AwsOptions {
            region: Some("eu-west-3".into()),
            endpoint_url: Some(endpoint),
            ..Default::default()
        };
        let source = vigil::source::aws::AwsSource::connect(&options).await.unwrap();
        let settings = HistorySettings::default();
        let question = Question::new(Subject::WafTop, "cancel-me", Window::days(1), Scope::default()).unwrap();
        let table = Table::parse("cancelling.vigil_waf_cancel_me", vigil::model::lake::Layout::WafLogs).unwrap();
        let prepared =
            history::prepare(&source, &settings, &question, Some(table), &ScanMemory::default()).await.unwrap();
        let cancel = Cancel::default();
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |p: Progress| {
            seen.lock().unwrap().push(p.state.clone());
            cancel.cancel();
        };
        let stopped = history::run(&source, &settings, &prepared, &cancel, &progress).await.unwrap_err();
        assert!(stopped.contains("stopped (StopQueryExecution"), "{stopped}");
        assert_eq!(seen.lock().unwrap().as_slice(), ["RUNNING"]);
    });
    let last = env.queries().last().cloned().unwrap();
    assert_eq!(last["Stopped"], true, "{last}");
}

/// Ctrl-C while Athena makes the WAF table: the audit log still gets the attempt's result.
#[test]
fn setup_interrupted_still_records_its_result() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(env) = Env::new("interrupted") else { return };
    env.python("h.seed_result(endpoint, 'CREATE EXTERNAL TABLE', [], [], running_polls=1000, times=1)");
    std::fs::write(env.dir.join("config.toml"), CONFIG).unwrap();
    let binary = std::env::var("VIGIL_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_vigil").to_string());
    let child = Command::new(binary)
        .args(["history", "setup", "--web-acl", "slow-acl", "--bucket", "aws-waf-logs-slow", "--region", "eu-west-3"])
        .args(["--apply", "--yes", "--endpoint-url", &env.endpoint])
        .env("VIGIL_CONFIG", env.dir.join("config.toml"))
        .env("VIGIL_AUDIT_LOG", env.dir.join("audit.jsonl"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let audit = env.dir.join("audit.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_to_string(&audit).is_ok_and(|t| t.lines().count() == 1) {
        assert!(std::time::Instant::now() < deadline, "the attempt was never recorded");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(700));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let records = std::fs::read_to_string(&audit).unwrap();
    assert_eq!(records.lines().count(), 2, "the attempt and its result: {records}");
    assert!(records.lines().last().unwrap().contains("interrupted (Ctrl-C)"), "{records}");
}
