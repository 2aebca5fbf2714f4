//! The demo's history: made-up answers to `:history`, the same for the same question and seed, so
//! anyone can see what a war room sees without a data lake. Nothing is scanned and nothing costs.

use super::catalog;
use crate::model::Timestamp;
use crate::model::lake::{
    Answer, DayCount, Estimate, FindingsHistory, Finished, LakeSource, Plan, Prepared, Question, Table, Top,
};
use std::hash::{Hash, Hasher};

/// The demo's Security Lake table for the question, its plan and a made-up estimate.
pub fn prepare(question: &Question, now: Timestamp) -> Result<Prepared, String> {
    let table = Table::security_lake(catalog::REGION, LakeSource::for_subject(question.subject), "2.0")?;
    let plan = Plan::new(question, &table, now)?;
    let bytes = 40_000_000 * u64::from(question.window.hours.div_ceil(24)) + (noise(question, 7) % 9_000_000);
    Ok(Prepared {
        plan,
        cutoff: None,
        region: catalog::REGION.into(),
        found: "the demo's Security Lake (made up: nothing is scanned)".into(),
        estimate: Estimate::Explain { bytes },
    })
}

/// A made-up answer: a few findings on some of the window's days, or a WAF top list.
pub fn answer(prepared: &Prepared, now: Timestamp) -> Finished {
    let question = &prepared.plan.question;
    let answer = if question.subject.is_waf() {
        let dimension = |name: &str, values: &[&str], salt: u64| Top {
            dimension: name.into(),
            values: values
                .iter()
                .enumerate()
                .map(|(i, v)| (v.to_string(), (9_000 >> i) + noise(question, salt + i as u64) % 400))
                .collect(),
        };
        Answer::Waf {
            tops: vec![
                dimension("client_ip", &["203.0.113.9", "198.51.100.7", "192.0.2.44", "203.0.113.77"], 1),
                dimension("country", &["BR", "US", "DE", "VN"], 2),
                dimension("uri", &["/api/login", "/checkout", "/", "/api/cart"], 3),
                dimension(
                    "terminating_rule",
                    &["rate-limit-login", "AWS-AWSManagedRulesATPRuleSet", "Default_Action"],
                    4,
                ),
                dimension("action", &["BLOCK", "ALLOW", "CAPTCHA"], 5),
            ],
        }
    } else {
        let (first, last) = question.days(now);
        let severities = ["Critical", "High", "Medium", "Low"];
        let mut history = FindingsHistory::default();
        for (n, day) in first.iter_days().take_while(|d| *d <= last).enumerate() {
            let roll = noise(question, n as u64);
            if roll.is_multiple_of(3) {
                continue;
            }
            let severity = severities[(roll / 3 % 4) as usize];
            history.days.push(DayCount { day, severity: severity.into(), findings: 1 + roll / 12 % 5 });
        }
        let days: Vec<_> = history.days.iter().map(|d| d.day).collect();
        let at = |day: chrono::NaiveDate, hour, minute, back| {
            let then = day.and_hms_opt(hour, minute, 0).map(|t| t.and_utc()).unwrap_or(now);
            then.min(now - chrono::Duration::minutes(back)).format("%Y-%m-%dT%H:%M:00.000Z").to_string()
        };
        history.first_seen = days.first().map(|d| at(*d, 3, 12, 30));
        // Never in the future: the last day's finding at 21:40, or a few minutes ago.
        history.last_seen = days.last().map(|d| at(*d, 21, 40, 4));
        history.distinct = Some(history.days.iter().map(|d| d.findings).max().unwrap_or(0) + days.len() as u64 / 3);
        history.accounts = [catalog::ACCOUNT_ID.to_string()].into();
        history.regions = [catalog::REGION.to_string()].into();
        Answer::Findings(history)
    };
    Finished {
        answer,
        query_id: format!("demo-{:08x}", noise(question, 99) as u32),
        scanned: prepared.estimate.bytes().unwrap_or(0),
        elapsed: std::time::Duration::from_millis(600),
        rows: 0,
        past_cap: false,
    }
}

fn noise(question: &Question, salt: u64) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (question, salt).hash(&mut hasher);
    hasher.finish()
}
