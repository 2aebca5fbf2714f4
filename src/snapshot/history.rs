//! `vigil history KIND VALUE`: says what it will ask, where and what that costs, runs it (Ctrl-C
//! stops the Athena query), and prints the answer as a table, JSON or CSV. Every string from the
//! lake is sanitised before it is printed.

use super::grid::{Grid, aligned, csv};
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::model::lake::{
    self, Answer, Cancel, Estimate, FindingsHistory, Finished, HistorySettings, Layout, Prepared, Progress, Question,
    Scope, Table, Top,
};
use crate::sanitize::sanitize;
use crate::source::aws::AwsSource;
use crate::source::aws::history;
use serde::Serialize;
use std::process::ExitCode;

/// The question `args` ask, checked: bad input is said and is exit 2.
pub fn question(args: &HistoryArgs, settings: &HistorySettings) -> Result<(Question, Option<Table>), String> {
    let subject = args.subject.ok_or("history: expected KIND VALUE, or setup")?;
    let value = args.value.as_deref().ok_or("history: expected a VALUE after the KIND")?;
    let scope = Scope::new(args.accounts.clone(), args.source_regions.clone())?;
    let question = Question::new(subject, value, args.since.unwrap_or(settings.window), scope)?;
    let fallback = if subject.is_waf() { Layout::WafLogs } else { Layout::LakeFindings };
    let table = match args.table.as_deref().or(settings.table_for(subject)) {
        Some(text) => Some(Table::parse(text, fallback).map_err(|why| format!("--table {why}"))?),
        None => None,
    };
    // A table that cannot answer the question (findings for waf-top) is said before any call.
    if let Some(table) = &table {
        lake::Plan::new(&question, table, chrono::Utc::now())?;
    }
    Ok((question, table))
}

/// Runs `vigil history KIND VALUE`: 0 with an answer, 1 when the query failed or was stopped,
/// 2 for bad input or a refusal over the cap, 3 when the table cannot be found.
pub async fn run(source: &AwsSource, settings: &HistorySettings, args: &HistoryArgs) -> ExitCode {
    let (question, table) = match question(args, settings) {
        Ok(asked) => asked,
        Err(why) => {
            eprintln!("{}", sanitize(&why));
            return ExitCode::from(2);
        }
    };
    let memory_path = history::scan_memory_path();
    let memory = history::load_scan_memory(memory_path.as_deref());
    eprintln!("Asking: {}", sanitize(&question.describe()));
    let prepared = match history::prepare(source, settings, &question, table, &memory).await {
        Ok(prepared) => prepared,
        Err(why) => {
            eprintln!("history: {}", sanitize(&why));
            return ExitCode::from(3);
        }
    };
    eprintln!("Table: {} ({})", prepared.plan.table, sanitize(&prepared.found));
    eprintln!(
        "Scans: {}; the cap is {} ([history] max_scan)",
        prepared.estimate.describe(settings.price_per_tb),
        lake::bytes_text(settings.max_scan)
    );
    eprintln!("{}", cutoff_said(prepared.cutoff, &settings.workgroup));
    if args.dry_run {
        println!("{}", prepared.plan.sql);
        for (at, parameter) in prepared.plan.parameters.iter().enumerate() {
            println!("-- parameter {}: {}", at + 1, sanitize(parameter));
        }
        return ExitCode::SUCCESS;
    }
    if let Some(refused) = lake::refusal(&prepared.estimate, settings.max_scan) {
        eprintln!("history: {refused}");
        return ExitCode::from(2);
    }
    if prepared.estimate.bytes().is_none() && !args.yes {
        eprintln!(
            "history: nothing estimates what it scans (no EXPLAIN estimate, no similar query before): --yes runs it anyway, stopped past the cap"
        );
        return ExitCode::from(2);
    }
    let cancel = Cancel::default();
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = move |p: Progress| {
        if interactive {
            eprint!(
                "\r\x1b[2K{} {} scanned, {} s (Ctrl-C stops it)",
                sanitize(&p.state),
                lake::bytes_text(p.scanned),
                p.elapsed.as_secs()
            );
        }
    };
    let running = history::run(source, settings, &prepared, &cancel, &progress);
    tokio::pin!(running);
    let finished = loop {
        tokio::select! {
            done = &mut running => break done,
            _ = tokio::signal::ctrl_c(), if !cancel.is_cancelled() => cancel.cancel(),
        }
    };
    if interactive {
        eprint!("\r\x1b[2K");
    }
    let finished = match finished {
        Ok(finished) => finished,
        Err(why) => {
            eprintln!("history: {}", sanitize(&why));
            return ExitCode::from(1);
        }
    };
    if let Err(e) = history::remember_scan(memory_path.as_deref(), &prepared.plan.shape, finished.scanned) {
        eprintln!("history: cannot keep what the query scanned: {e}");
    }
    eprintln!(
        "Scanned {} ({}) in {:.1} s: {} rows, Athena query {}",
        lake::bytes_text(finished.scanned),
        lake::dollars(lake::cost(finished.scanned, settings.price_per_tb)),
        finished.elapsed.as_secs_f64(),
        finished.rows,
        sanitize(&finished.query_id)
    );
    if finished.past_cap {
        eprintln!(
            "history: it scanned {}, past the cap of {}: Athena said so only when it had finished ({})",
            lake::bytes_text(finished.scanned),
            lake::bytes_text(settings.max_scan),
            cutoff_said(prepared.cutoff, &settings.workgroup)
        );
    }
    print!("{}", render(&prepared, &finished, args.format, settings.price_per_tb));
    ExitCode::SUCCESS
}

/// What holds a query between two polls: the workgroup's own cutoff, or nothing.
pub fn cutoff_said(cutoff: Option<u64>, workgroup: &str) -> String {
    match cutoff {
        Some(bytes) => {
            format!("Workgroup {workgroup} stops any query at {} (BytesScannedCutoffPerQuery)", lake::bytes_text(bytes))
        }
        None => format!(
            "Workgroup {workgroup} sets no BytesScannedCutoffPerQuery: the cap is kept by polling (every 2 s at most); set one for a hard stop"
        ),
    }
}

/// The JSON `vigil history --format json` prints (docs/snapshot-format.md).
#[derive(Serialize)]
struct Report<'a> {
    question: &'a Question,
    table: String,
    found: &'a str,
    sql: &'a str,
    parameters: &'a [String],
    estimate: &'a Estimate,
    scanned_bytes: u64,
    cost_usd: f64,
    query_id: &'a str,
    answer: &'a Answer,
}

/// The answer in `format`.
pub fn render(prepared: &Prepared, finished: &Finished, format: HistoryFormat, price_per_tb: f64) -> String {
    let at = prepared.plan.at;
    match format {
        HistoryFormat::Json => {
            let report = Report {
                question: &prepared.plan.question,
                table: prepared.plan.table.to_string(),
                found: &prepared.found,
                sql: &prepared.plan.sql,
                parameters: &prepared.plan.parameters,
                estimate: &prepared.estimate,
                scanned_bytes: finished.scanned,
                cost_usd: lake::cost(finished.scanned, price_per_tb),
                query_id: &finished.query_id,
                answer: &finished.answer,
            };
            crate::sanitize::escape_json(serde_json::to_string_pretty(&report).unwrap_or_default()) + "\n"
        }
        HistoryFormat::Csv => csv(&grid(&prepared.plan.question, &finished.answer, at)),
        HistoryFormat::Table => {
            let question = &prepared.plan.question;
            let mut out = format!("{}\n", sanitize(&question.describe()));
            if let Answer::Findings(history) = &finished.answer {
                out.push_str(&summary(history));
            }
            out.push('\n');
            match &finished.answer {
                Answer::Findings(_) => {
                    let g = grid(question, &finished.answer, at);
                    out.push_str(&aligned(&g.columns, &g.rows));
                }
                Answer::Waf { tops } => {
                    for top in tops {
                        let rows: Vec<Vec<String>> =
                            top.values.iter().map(|(v, n)| vec![sanitize(v).into_owned(), n.to_string()]).collect();
                        let dimension = sanitize(&top.dimension).to_ascii_uppercase();
                        out.push_str(&aligned(&[&dimension, "REQUESTS"], &rows));
                        out.push('\n');
                    }
                    if tops.is_empty() {
                        out.push_str("No requests in the window.\n");
                    }
                }
            }
            out
        }
    }
}

/// Total, first and last seen, accounts and regions.
fn summary(history: &FindingsHistory) -> String {
    let list = |set: &std::collections::BTreeSet<String>| match set.is_empty() {
        true => "none".to_string(),
        false => set.iter().map(|s| sanitize(s).into_owned()).collect::<Vec<_>>().join(", "),
    };
    let seen = |at: &Option<String>| at.as_deref().map_or("-".to_string(), |s| sanitize(s).into_owned());
    let count = match history.distinct {
        Some(distinct) => format!("{distinct} findings"),
        None => format!("{} finding-days", history.total()),
    };
    format!(
        "{count}; first seen {}, last seen {}\naccounts: {}\nregions: {}\n",
        seen(&history.first_seen),
        seen(&history.last_seen),
        list(&history.accounts),
        list(&history.regions)
    )
}

/// The severities a day row counts, highest first (OCSF's names; anything else is "other").
const SEVERITIES: [&str; 5] = ["Critical", "High", "Medium", "Low", "Informational"];

/// A findings answer as one row per day of the window ending `at` (days without findings too) with
/// a column per severity; a WAF answer as dimension, value, requests.
pub fn grid(question: &Question, answer: &Answer, at: crate::model::Timestamp) -> Grid {
    match answer {
        Answer::Findings(history) => {
            let (first, last) = question.days(at);
            let mut columns = vec!["day"];
            columns.extend(["critical", "high", "medium", "low", "info"]);
            columns.extend(["other", "total"]);
            let rows = history
                .per_day(first, last)
                .into_iter()
                .map(|(day, total)| {
                    let mut row = vec![day.format("%Y-%m-%d").to_string()];
                    let of = |severity: &str| {
                        history
                            .days
                            .iter()
                            .filter(|d| d.day == day && d.severity.eq_ignore_ascii_case(severity))
                            .map(|d| d.findings)
                            .sum::<u64>()
                    };
                    let known: Vec<u64> = SEVERITIES.iter().map(|s| of(s)).collect();
                    row.extend(known.iter().map(u64::to_string));
                    row.push((total - known.iter().sum::<u64>()).to_string());
                    row.push(total.to_string());
                    row
                })
                .collect();
            Grid { title: "History", preface: Vec::new(), columns, rows }
        }
        Answer::Waf { tops } => Grid {
            title: "History",
            preface: Vec::new(),
            columns: vec!["dimension", "value", "requests"],
            rows: tops
                .iter()
                .flat_map(|Top { dimension, values }| {
                    values.iter().map(move |(v, n)| {
                        vec![sanitize(dimension).into_owned(), sanitize(v).into_owned(), n.to_string()]
                    })
                })
                .collect(),
        },
    }
}
