//! CloudWatch reads shared by the panes: GetMetricData in as few calls as the API allows, every
//! page of them, and ListMetrics to find which dimension sets have series.

use crate::source::SourceError;
use crate::source::aws::budget::Service;
use crate::source::aws::{AwsSource, errors};
use aws_sdk_cloudwatch::types::{Dimension, DimensionFilter, Metric, MetricDataQuery, MetricStat};
use std::collections::BTreeMap;

/// GetMetricData takes at most 500 queries a call.
pub const QUERIES_PER_CALL: usize = 500;

pub fn dimension(name: &str, value: &str) -> Dimension {
    Dimension::builder().name(name).value(value).build()
}

/// A query for one statistic of one metric, returned under `id`.
pub fn stat_query(id: String, metric: Metric, period: i32, stat: &str) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(MetricStat::builder().metric(metric).period(period).stat(stat).build())
        .return_data(true)
        .build()
}

/// Every query's points by id, as (epoch seconds of the bucket's start, value), over
/// `[start, end)` in `region`. The first failing call ends the read.
pub async fn get_metric_data(
    source: &AwsSource,
    region: &str,
    queries: &[MetricDataQuery],
    start: i64,
    end: i64,
) -> Result<BTreeMap<String, Vec<(i64, f64)>>, SourceError> {
    let caller = source.caller(Service::CloudWatch);
    let client = source.client_in::<aws_sdk_cloudwatch::Client>(region);
    let mut values: BTreeMap<String, Vec<(i64, f64)>> = BTreeMap::new();
    for chunk in queries.chunks(QUERIES_PER_CALL) {
        let mut token: Option<String> = None;
        loop {
            let call = client
                .get_metric_data()
                .set_metric_data_queries(Some(chunk.to_vec()))
                .start_time(aws_smithy_types::DateTime::from_secs(start))
                .end_time(aws_smithy_types::DateTime::from_secs(end))
                .set_next_token(token.clone())
                .send();
            let out = source
                .paced_in(Service::CloudWatch, "GetMetricData", region, call)
                .await
                .map_err(|e| errors::classify(caller, "GetMetricData", &e))?;
            for result in out.metric_data_results() {
                let points = values.entry(result.id().unwrap_or_default().to_string()).or_default();
                points.extend(result.timestamps().iter().map(|t| t.secs()).zip(result.values().iter().copied()));
            }
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    Ok(values)
}

/// The metrics of `namespace` in `region` that have one of `dimension`'s values, every page.
pub async fn list_metrics(
    source: &AwsSource,
    region: &str,
    namespace: &str,
    dimension: &str,
) -> Result<Vec<Metric>, SourceError> {
    let caller = source.caller(Service::CloudWatch);
    let client = source.client_in::<aws_sdk_cloudwatch::Client>(region);
    let mut metrics = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let call = client
            .list_metrics()
            .namespace(namespace)
            .dimensions(DimensionFilter::builder().name(dimension).build())
            .set_next_token(token.clone())
            .send();
        let out = source
            .paced_in(Service::CloudWatch, "ListMetrics", region, call)
            .await
            .map_err(|e| errors::classify(caller, "ListMetrics", &e))?;
        metrics.extend(out.metrics().iter().cloned());
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(metrics);
        }
    }
}
