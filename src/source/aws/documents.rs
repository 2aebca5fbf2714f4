//! A finding's document as its service returned it, for the raw view (`J`): the JSON of one
//! GetFindings answer, read by an interceptor once the SDK has the body in memory. The SDK's types
//! keep no JSON, and nothing is kept for the rows: one finding's document is asked for when the
//! raw view opens.

use super::budget::Service;
use super::{AwsSource, errors};
use crate::source::Document;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex, PoisonError};

/// Keeps the body of the answer it is attached to.
#[derive(Debug, Clone, Default)]
struct AnswerBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for AnswerBody {
    fn name(&self) -> &'static str {
        "VigilAnswerBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes() {
            *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(bytes.to_vec());
        }
        Ok(())
    }
}

impl AnswerBody {
    /// The first element of the answer's `list` (`Findings`, `findings`).
    fn first_of(&self, list: &str) -> Result<Option<serde_json::Value>, String> {
        let body = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        let body = body.ok_or("the answer's body was not kept")?;
        let answer: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| format!("the answer is not JSON: {e}"))?;
        Ok(answer.get(list).and_then(|l| l.get(0)).cloned())
    }
}

/// CSPM's ASFF document of the finding `id` of `product` (GetFindings by Id and ProductArn).
pub async fn securityhub(source: &AwsSource, id: &str, product: &str) -> Result<Option<Document>, String> {
    use aws_sdk_securityhub::types::{AwsSecurityFindingFilters, StringFilter, StringFilterComparison};
    let caller = source.caller(Service::SecurityHub);
    let equals = |value: &str| StringFilter::builder().value(value).comparison(StringFilterComparison::Equals).build();
    let filters = AwsSecurityFindingFilters::builder().id(equals(id)).product_arn(equals(product)).build();
    let body = AnswerBody::default();
    let call = source
        .client::<aws_sdk_securityhub::Client>()
        .get_findings()
        .filters(filters)
        .max_results(1)
        .customize()
        .interceptor(body.clone())
        .send();
    source
        .paced(Service::SecurityHub, "GetFindings", call)
        .await
        .map_err(|e| errors::classify(caller, "GetFindings", &e).to_string())?;
    let json = body.first_of("Findings")?;
    Ok(json.map(|json| Document { json, about: "ASFF document as Security Hub returned it (GetFindings)" }))
}

/// GuardDuty's document of the finding (GetFindings through the caller's own detector, as an
/// administrator reads its members' findings).
pub async fn guardduty(source: &AwsSource, finding_id: &str) -> Result<Option<Document>, String> {
    let caller = source.caller(Service::GuardDuty);
    let detectors = super::panes::findings::list_detectors(source).await.map_err(|e| e.to_string())?;
    let Some(detector) = detectors.into_iter().next() else {
        return Err(format!("GuardDuty has no detector in account {} {}", source.info.account, source.info.region));
    };
    let body = AnswerBody::default();
    let call = source
        .client::<aws_sdk_guardduty::Client>()
        .get_findings()
        .detector_id(detector)
        .finding_ids(finding_id)
        .customize()
        .interceptor(body.clone())
        .send();
    source
        .paced(Service::GuardDuty, "GetFindings", call)
        .await
        .map_err(|e| errors::classify(caller, "GetFindings", &e).to_string())?;
    let json = body.first_of("findings")?;
    Ok(json.map(|json| Document { json, about: "GuardDuty's document as it returned it (GetFindings)" }))
}
