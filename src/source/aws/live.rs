//! The live feed on AWS: an SQS queue that an EventBridge rule fills with Security Hub CSPM, new
//! Security Hub and GuardDuty findings events (`vigil live setup` makes both), long-polled.
//!
//! An event carries its finding as the service's own API returns it (ASFF as in Security Hub's
//! GetFindings, GuardDuty's finding as in its GetFindings), so the events are read by the SDK's own
//! deserialisers: each finding is handed to a client whose connection answers with it, and mapped
//! by the same functions as a poll's findings. A live row is the row a poll would show.

use super::budget::Service;
use super::{AwsSource, errors};
use crate::model::Finding;
use crate::model::live::{EventBody, LiveSettings, parse_envelope};
use crate::source::SourceError;
use crate::source::live::{LONG_POLL_SECONDS, LiveFeed, Received, Unavailable};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

crate::sdk_client!(aws_sdk_sqs, Sqs);
crate::sdk_client!(aws_sdk_eventbridge, EventBridge);

/// A receive's HTTP attempt may take the long poll and then some: the SDK's timeouts for other
/// calls would end every quiet poll as a failure.
const RECEIVE_TIMEOUT: Duration = Duration::from_secs(LONG_POLL_SECONDS as u64 + 10);
/// ReceiveMessage and DeleteMessageBatch take at most 10.
const BATCH: i32 = 10;

pub struct AwsFeed {
    sqs: aws_sdk_sqs::Client,
    url: String,
    name: String,
    region: String,
    profile: Option<String>,
}

/// The queue `settings` name, found; or why the console polls instead.
pub async fn feed(source: &AwsSource, settings: &LiveSettings) -> Result<AwsFeed, Unavailable> {
    if !settings.enabled {
        // Turned off on purpose: nothing to say about it on the status line.
        return Err(Unavailable::new("none", "off in the config ([live] enabled = false)"));
    }
    let sqs = source.client::<aws_sdk_sqs::Client>();
    let queue = settings.queue();
    let (url, name) = if queue.starts_with("https://") || queue.starts_with("http://") {
        let name = queue.rsplit('/').next().unwrap_or_default().to_string();
        (queue, name)
    } else {
        let call = sqs.get_queue_url().queue_name(&queue).send();
        match source.paced(Service::Sqs, "GetQueueUrl", call).await {
            Ok(out) => (out.queue_url().unwrap_or_default().to_string(), queue),
            Err(e) if is_missing_queue(&e) => {
                return Err(Unavailable::new(
                    "no queue",
                    format!("no queue {queue} in {}: `vigil live setup` shows what makes it", source.info.region),
                ));
            }
            Err(e) => return Err(Unavailable::of(&errors::classify(source.caller(Service::Sqs), "GetQueueUrl", &e))),
        }
    };
    Ok(AwsFeed { sqs, url, name, region: source.info.region.clone(), profile: source.profile.clone() })
}

fn is_missing_queue<E: aws_smithy_types::error::metadata::ProvideErrorMetadata>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>,
) -> bool {
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    matches!(e.code(), Some("AWS.SimpleQueueService.NonExistentQueue" | "QueueDoesNotExist"))
}

impl AwsFeed {
    fn failed<E>(
        &self,
        service: Service,
        operation: &str,
        e: &aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>,
    ) -> SourceError
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        errors::classify(errors::Caller { service, profile: self.profile.as_deref() }, operation, e)
    }
}

impl LiveFeed for AwsFeed {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn receive(&self, wait_seconds: u32) -> BoxFuture<'_, Result<Received, SourceError>> {
        Box::pin(async move {
            let timeouts = aws_sdk_sqs::config::timeout::TimeoutConfig::builder()
                .operation_attempt_timeout(RECEIVE_TIMEOUT)
                .operation_timeout(RECEIVE_TIMEOUT * 2)
                .build();
            let out = self
                .sqs
                .receive_message()
                .queue_url(&self.url)
                .wait_time_seconds(wait_seconds.min(LONG_POLL_SECONDS) as i32)
                .max_number_of_messages(BATCH)
                .customize()
                .config_override(aws_sdk_sqs::config::Builder::default().timeout_config(timeouts))
                .send()
                .await
                .map_err(|e| self.failed(Service::Sqs, "ReceiveMessage", &e))?;
            let mut received = Received::default();
            for message in out.messages() {
                if let Some(receipt) = message.receipt_handle() {
                    received.receipts.push(receipt.to_string());
                }
                match read_event(message.body().unwrap_or_default(), &self.region).await {
                    Ok(finding) => received.findings.push(finding),
                    Err(why) => {
                        tracing::warn!(queue = %self.name, why = %why, "a live event was not read");
                        received.malformed.push(why);
                    }
                }
            }
            Ok(received)
        })
    }

    fn delete(&self, receipts: Vec<String>) -> BoxFuture<'_, Result<(), SourceError>> {
        Box::pin(async move {
            for chunk in receipts.chunks(BATCH as usize) {
                let entries = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, receipt)| {
                        aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                            .id(i.to_string())
                            .receipt_handle(receipt)
                            .build()
                            .map_err(|e| SourceError::local(Service::Sqs, e.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let out = self
                    .sqs
                    .delete_message_batch()
                    .queue_url(&self.url)
                    .set_entries(Some(entries))
                    .send()
                    .await
                    .map_err(|e| self.failed(Service::Sqs, "DeleteMessageBatch", &e))?;
                // A message not deleted comes back after its visibility timeout, and is laid again
                // (no change: it is not newer than itself).
                if let Some(failed) = out.failed().first() {
                    return Err(SourceError::Service {
                        service: Service::Sqs,
                        fault: crate::source::Fault::Rejected,
                        message: format!(
                            "{} of {} messages not deleted ({})",
                            out.failed().len(),
                            chunk.len(),
                            errors::one_line(failed.message().unwrap_or(failed.code()))
                        ),
                    });
                }
            }
            Ok(())
        })
    }
}

/// A client of the SDK crate `$krate` whose every call is answered with `$answer`, sending nothing.
macro_rules! answering {
    ($krate:ident, $answer:expr, $region:expr) => {
        $krate::Client::from_conf(
            $krate::Config::builder()
                .behavior_version($krate::config::BehaviorVersion::latest())
                .region($krate::config::Region::new($region))
                .credentials_provider(offline_credentials())
                .http_client(Answer($answer))
                .build(),
        )
    };
}

/// The finding an event carries, mapped as a poll maps it.
pub async fn read_event(body: &str, region: &str) -> Result<Finding, String> {
    let envelope = parse_envelope(body)?;
    let region = if envelope.region.is_empty() { region.to_string() } else { envelope.region };
    match envelope.body {
        EventBody::Asff(finding) => {
            let answer = serde_json::json!({ "Findings": [finding] }).to_string();
            let client = answering!(aws_sdk_securityhub, answer, region);
            let out = client.get_findings().send().await.map_err(|e| unreadable("ASFF", &e))?;
            out.findings().first().map(super::panes::findings::map_securityhub).ok_or_else(|| "no finding".into())
        }
        EventBody::GuardDuty(finding) => {
            let answer = serde_json::json!({ "findings": [finding] }).to_string();
            let client = answering!(aws_sdk_guardduty, answer, region);
            let out = client
                .get_findings()
                .detector_id("event")
                .finding_ids("event")
                .send()
                .await
                .map_err(|e| unreadable("GuardDuty", &e))?;
            out.findings().first().map(super::panes::findings::map_guardduty).ok_or_else(|| "no finding".into())
        }
        EventBody::Ocsf(finding) => {
            crate::model::ocsf::finding_from_ocsf(&finding).ok_or_else(|| "an OCSF finding without its ids".into())
        }
    }
}

fn unreadable(what: &str, e: &dyn std::error::Error) -> String {
    let mut cause = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    format!("not a {what} finding ({})", errors::one_line(&cause.chars().take(120).collect::<String>()))
}

/// Nothing is sent: the client below answers itself. Credentials only satisfy its signer.
fn offline_credentials() -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new("live-event", "live-event", None, None, "vigil-live-event")
}

/// A connection that answers every request with one body: how an event's finding reaches the SDK's
/// deserialiser.
#[derive(Debug, Clone)]
struct Answer(String);

impl HttpConnector for Answer {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let response = aws_smithy_runtime_api::http::StatusCode::try_from(200_u16).map(|status| {
            let mut response = HttpResponse::new(status, aws_smithy_types::body::SdkBody::from(self.0.clone()));
            response.headers_mut().insert("content-type", "application/json");
            response
        });
        HttpConnectorFuture::ready(
            response.map_err(|e| aws_smithy_runtime_api::client::result::ConnectorError::other(Box::new(e), None)),
        )
    }
}

impl HttpClient for Answer {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl AwsSource {
    pub(crate) fn live_feed_of(
        &self,
        settings: &LiveSettings,
    ) -> BoxFuture<'_, Result<Arc<dyn LiveFeed>, Unavailable>> {
        let settings = settings.clone();
        Box::pin(async move { feed(self, &settings).await.map(|f| Arc::new(f) as Arc<dyn LiveFeed>) })
    }
}

/// One step of setup or teardown, as it is printed and audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub what: String,
    pub result: Result<String, String>,
}

fn step(what: &str, result: Result<String, String>) -> Step {
    Step { what: what.to_string(), result }
}

/// A failed step's call, said with its service and operation (named together, literally, as
/// tests/docs.rs finds every call the IAM policies must grant).
fn fail<E>(
    profile: Option<&str>,
    service: Service,
    operation: &str,
    e: &aws_smithy_runtime_api::client::result::SdkError<E, HttpResponse>,
) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    format!("{service} {operation}: {}", errors::classify(errors::Caller { service, profile }, operation, e))
}

/// Makes what `plan` names, step by step, stopping at the first failure. Every step is idempotent:
/// running setup again repairs a half-made feed.
pub async fn setup(source: &AwsSource, plan: &crate::model::live::SetupPlan) -> Vec<Step> {
    use aws_sdk_sqs::types::QueueAttributeName as Attr;
    let events = source.client::<aws_sdk_eventbridge::Client>();
    let sqs = source.client::<aws_sdk_sqs::Client>();
    let profile = source.profile.as_deref();
    let mut steps = Vec::new();
    let rule = events
        .put_rule()
        .name(&plan.rule)
        .event_pattern(plan.pattern())
        .state(aws_sdk_eventbridge::types::RuleState::Enabled)
        .description("Vigil's live feed: findings events to this console's queue")
        .send()
        .await;
    let rule_arn = match rule {
        Ok(out) => out.rule_arn().unwrap_or_default().to_string(),
        Err(e) => {
            steps.push(step("rule", Err(fail(profile, Service::EventBridge, "PutRule", &e))));
            return steps;
        }
    };
    steps.push(step("rule", Ok(rule_arn.clone())));
    let created = sqs
        .create_queue()
        .queue_name(&plan.queue)
        .attributes(Attr::MessageRetentionPeriod, plan.retention_seconds.to_string())
        .attributes(Attr::VisibilityTimeout, plan.visibility_seconds.to_string())
        .attributes(Attr::ReceiveMessageWaitTimeSeconds, plan.wait_seconds.to_string())
        .attributes(Attr::SqsManagedSseEnabled, "true")
        .send()
        .await;
    let url = match created {
        Ok(out) => out.queue_url().unwrap_or_default().to_string(),
        Err(e) => {
            steps.push(step("queue", Err(fail(profile, Service::Sqs, "CreateQueue", &e))));
            return steps;
        }
    };
    let arn = match sqs.get_queue_attributes().queue_url(&url).attribute_names(Attr::QueueArn).send().await {
        Ok(out) => out.attributes().and_then(|a| a.get(&Attr::QueueArn)).cloned().unwrap_or_default(),
        Err(e) => {
            steps.push(step("queue", Err(fail(profile, Service::Sqs, "GetQueueAttributes", &e))));
            return steps;
        }
    };
    steps.push(step("queue", Ok(arn.clone())));
    let policy = plan.queue_policy(&arn, &rule_arn);
    if let Err(e) = sqs.set_queue_attributes().queue_url(&url).attributes(Attr::Policy, policy).send().await {
        steps.push(step("queue policy", Err(fail(profile, Service::Sqs, "SetQueueAttributes", &e))));
        return steps;
    }
    steps.push(step("queue policy", Ok(format!("events.amazonaws.com for {}", plan.rule))));
    let target = aws_sdk_eventbridge::types::Target::builder().id(crate::model::live::TARGET_ID).arn(&arn).build();
    let target = match target {
        Ok(target) => target,
        Err(e) => {
            steps.push(step("rule target", Err(e.to_string())));
            return steps;
        }
    };
    match events.put_targets().rule(&plan.rule).targets(target).send().await {
        Ok(out) if out.failed_entry_count() == 0 => steps.push(step("rule target", Ok(arn))),
        Ok(out) => {
            let why = out.failed_entries().first().and_then(|f| f.error_message()).unwrap_or("refused").to_string();
            steps.push(step("rule target", Err(format!("EventBridge PutTargets: {}", errors::one_line(&why)))));
        }
        Err(e) => steps.push(step("rule target", Err(fail(profile, Service::EventBridge, "PutTargets", &e)))),
    }
    steps
}

/// Removes what setup made; what is already gone is said, not failed.
pub async fn teardown(source: &AwsSource, plan: &crate::model::live::SetupPlan) -> Vec<Step> {
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    let events = source.client::<aws_sdk_eventbridge::Client>();
    let sqs = source.client::<aws_sdk_sqs::Client>();
    let profile = source.profile.as_deref();
    let mut steps = Vec::new();
    let gone = |code: Option<&str>| code == Some("ResourceNotFoundException");
    match events.remove_targets().rule(&plan.rule).ids(crate::model::live::TARGET_ID).send().await {
        Ok(_) => steps.push(step("rule target", Ok("removed".into()))),
        Err(e) if gone(e.code()) => steps.push(step("rule target", Ok("already gone".into()))),
        Err(e) => steps.push(step("rule target", Err(fail(profile, Service::EventBridge, "RemoveTargets", &e)))),
    }
    match events.delete_rule().name(&plan.rule).send().await {
        Ok(_) => steps.push(step("rule", Ok("deleted".into()))),
        Err(e) if gone(e.code()) => steps.push(step("rule", Ok("already gone".into()))),
        Err(e) => steps.push(step("rule", Err(fail(profile, Service::EventBridge, "DeleteRule", &e)))),
    }
    match sqs.get_queue_url().queue_name(&plan.queue).send().await {
        Ok(out) => match sqs.delete_queue().queue_url(out.queue_url().unwrap_or_default()).send().await {
            Ok(_) => steps.push(step("queue", Ok("deleted".into()))),
            Err(e) => steps.push(step("queue", Err(fail(profile, Service::Sqs, "DeleteQueue", &e)))),
        },
        Err(e) if is_missing_queue(&e) => steps.push(step("queue", Ok("already gone".into()))),
        Err(e) => steps.push(step("queue", Err(fail(profile, Service::Sqs, "GetQueueUrl", &e)))),
    }
    steps
}
