"""Vigil's moto extension: WAFv2 (awsJson1_1, X-Amz-Target AWSWAF_20190729.<Op>).

moto keeps REGIONAL resources on ``wafv2_backends[account][region]`` and CLOUDFRONT ones on
``wafv2_backends[account]["global"]``; extension state sits on the backend that holds the web ACL.
Shapes from botocore's ``wafv2/2019-07-29`` model.

Added or changed:
  every operation with Scope   Scope CLOUDFRONT outside us-east-1 is WAFInvalidParameterException
                               (Field SCOPE_VALUE), as AWS answers
  AssociateWebACL              keeps one web ACL per resource (a new association replaces the old);
                               a CLOUDFRONT web ACL or a resource WAF cannot protect is
                               WAFInvalidParameterException
  ListResourcesForWebACL       the associated resources of ResourceType (default
                               APPLICATION_LOAD_BALANCER); a CLOUDFRONT web ACL is
                               WAFInvalidParameterException (CloudFront distributions name their
                               web ACL; AWS says not to use this call for them)
  GetSampledRequests           the seeded requests of WebAclArn + RuleMetricName in TimeWindow
                               (start clamped to three hours ago), the first 5,000 as population,
                               the first MaxItems (1 to 500) as sample
  GetRateBasedStatementManagedKeys   the seeded keys of a rate-based rule (optionally inside a rule
                               group reference statement, RuleGroupRuleName)
  every answer                 without moto's null members (absent, as AWS leaves them)
  IPSet lock tokens            UUIDs (moto's are 6 characters, outside the model's pattern); a stale
                               token is WAFOptimisticLockException (moto's), every update a new one
  PutLoggingConfiguration      the web ACL must exist (WAFNonexistentItemException)
  GetLoggingConfiguration, ListLoggingConfigurations   both scopes (moto lists none for CLOUDFRONT
                               and lists CLOUDFRONT ones under REGIONAL in us-east-1), LogType and
                               LogScope in the answer, Limit/NextMarker paging
  POST /moto-api/vigil/wafv2-sampled-requests   seeding (SampledHTTPRequest list)
  POST /moto-api/vigil/wafv2-rate-based-keys    seeding (IPv4/IPv6 addresses of a rate-based rule)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from moto.core.exceptions import JsonRESTError

from ._common import _parse_time, _state

DEFAULT_ACCOUNT = "123456789012"
GLOBAL = "global"
RESOURCE_TYPES = ("APPLICATION_LOAD_BALANCER", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL", "APP_RUNNER_SERVICE",
                  "VERIFIED_ACCESS_INSTANCE", "AMPLIFY", "AMPLIFY_GEN_3", "ELB_PROXY", "AGENTCORE_GATEWAY")
SAMPLE_WINDOW = dt.timedelta(hours=3)
SAMPLE_POPULATION = 5000


class WafError(JsonRESTError):
    """A WAF error, HTTP 400. WAFInvalidParameterException carries `message`, `Field`, `Parameter`,
    `Reason`; the other WAF exceptions `Message` (botocore's model)."""

    def __init__(self, error_type: str, message: str, **members: Any):
        super().__init__(error_type, message)
        self.code = 400
        key = "message" if error_type == "WAFInvalidParameterException" else "Message"
        self.description = json.dumps({"__type": error_type, key: message, **members})


def _invalid(field: str, parameter: Any, reason: str) -> WafError:
    return WafError("WAFInvalidParameterException", f"Error reason: {reason}, field: {field}, parameter: {parameter}",
                    Field=field, Parameter=str(parameter), Reason=reason)


def _nonexistent() -> WafError:
    return WafError("WAFNonexistentItemException", "AWS WAF couldn’t perform the operation because your resource doesn’t exist.")


def _arn_scope(arn: Any) -> str | None:
    """CLOUDFRONT for arn:aws:wafv2:us-east-1:<account>:global/..., REGIONAL for ...:regional/..."""
    parts = str(arn).split(":", 5)
    if len(parts) < 6 or parts[2] != "wafv2":
        return None
    return {"global": "CLOUDFRONT", "regional": "REGIONAL"}.get(parts[5].split("/", 1)[0])


def _resource_type(arn: str) -> str | None:
    """The ResourceType (ListResourcesForWebACL) of a resource ARN WAF can protect, else None."""
    parts = str(arn).split(":", 5)
    if len(parts) < 6 or not parts[0] == "arn":
        return None
    service, resource = parts[2], parts[5]
    if service == "elasticloadbalancing" and resource.startswith("loadbalancer/app/"):
        return "APPLICATION_LOAD_BALANCER"
    if service == "apigateway" and resource.startswith("/restapis/") and "/stages/" in resource:
        return "API_GATEWAY"
    for name, prefix, kind in (("appsync", "apis/", "APPSYNC"), ("cognito-idp", "userpool/", "COGNITO_USER_POOL"),
                               ("apprunner", "service/", "APP_RUNNER_SERVICE"), ("amplify", "apps/", "AMPLIFY"),
                               ("ec2", "verified-access-instance/", "VERIFIED_ACCESS_INSTANCE"),
                               ("bedrock-agentcore", "gateway/", "AGENTCORE_GATEWAY")):
        if service == name and resource.startswith(prefix):
            return kind
    return None


def _to_time(value: Any) -> dt.datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        return _parse_time(value)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    raise ValueError(f"not a timestamp: {value!r}")


def _epoch(value: dt.datetime) -> float:
    return round(value.timestamp(), 3)


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _sampled(backend: Any) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(web ACL ARN, rule metric name) -> seeded SampledHTTPRequests (Timestamp a datetime)."""
    return _state(backend, "vigil_sampled_requests", dict)


def _managed_keys(backend: Any) -> dict[tuple[str, str, str], dict[str, list[str]]]:
    """(web ACL ARN, rule group reference rule name or "", rate-based rule name) -> {ipv4, ipv6}."""
    return _state(backend, "vigil_rate_based_keys", dict)


def install() -> None:
    from moto.moto_api._internal import mock_random
    from moto.moto_api._internal import urls as api_urls
    from moto.wafv2.models import FakeIPSet, FakeLoggingConfiguration, wafv2_backends
    from moto.wafv2.responses import WAFV2Response

    def body_of(self: WAFV2Response) -> dict[str, Any]:
        try:
            body = json.loads(self.body or "{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def scoped_backend(self: WAFV2Response, scope: Any) -> Any:
        return wafv2_backends[self.current_account][GLOBAL if scope == "CLOUDFRONT" else self.region]

    def web_acl_by_arn(self: WAFV2Response, arn: Any) -> tuple[Any, Any]:
        """(backend, web ACL) for an ARN of this account: a CLOUDFRONT one from the global backend
        (called in us-east-1), a REGIONAL one from this Region's."""
        scope = _arn_scope(arn)
        if scope is None:
            raise _invalid("RESOURCE_ARN", arn, "The ARN is not a web ACL ARN.")
        if scope == "CLOUDFRONT" and self.region != "us-east-1":
            raise _nonexistent()
        backend = scoped_backend(self, scope)
        wacl = backend.wacls.get(arn)
        if wacl is None:
            raise _nonexistent()
        return backend, wacl

    # ---- Scope CLOUDFRONT only in us-east-1 ---------------------------------------------------

    original_call_action = WAFV2Response.call_action

    def call_action(self: WAFV2Response) -> Any:
        scope = body_of(self).get("Scope")
        if scope == "CLOUDFRONT" and self.region != "us-east-1":
            err = _invalid("SCOPE_VALUE", "CLOUDFRONT", "The scope is not valid.")
            headers = dict(self.response_headers)
            headers.update(dict(err.get_headers()))
            return err.code, headers, err.get_body()
        status, headers, body = original_call_action(self)
        # moto writes absent members as null (Rules[].Action, NextMarker, ...): leave them out, as AWS does.
        if 200 <= int(status) < 300 and isinstance(body, str) and body.startswith("{"):
            try:
                body = json.dumps(_without_nulls(json.loads(body)))
            except ValueError:
                pass
        return status, headers, body

    # ---- associations -------------------------------------------------------------------------

    def associate_web_acl(self: WAFV2Response) -> Any:
        body = body_of(self)
        web_acl_arn, resource_arn = body.get("WebACLArn"), body.get("ResourceArn")
        if _arn_scope(web_acl_arn) == "CLOUDFRONT":
            raise _invalid("RESOURCE_ARN", web_acl_arn, "A web ACL of scope CLOUDFRONT is named by the CloudFront "
                           "distribution (DistributionConfig.WebACLId), not associated with AssociateWebACL.")
        if _resource_type(resource_arn) is None:
            raise _invalid("RESOURCE_ARN", resource_arn, "The resource is not one a web ACL can be associated with.")
        backend = self.wafv2_backend
        if web_acl_arn not in backend.wacls:
            raise _nonexistent()
        for wacl in backend.wacls.values():  # one web ACL per resource: the new one replaces the old
            while resource_arn in wacl.associated_resources:
                wacl.associated_resources.remove(resource_arn)
        backend.associate_web_acl(web_acl_arn, resource_arn)
        return 200, {}, "{}"

    def list_resources_for_web_acl(self: WAFV2Response) -> Any:
        body = body_of(self)
        arn = body.get("WebACLArn")
        resource_type = body.get("ResourceType") or "APPLICATION_LOAD_BALANCER"
        if resource_type not in RESOURCE_TYPES:
            raise _invalid("RESOURCE_TYPE", resource_type, "The resource type is not valid.")
        if _arn_scope(arn) == "CLOUDFRONT":
            raise _invalid("RESOURCE_ARN", arn, "For a web ACL of scope CLOUDFRONT use CloudFront's "
                           "ListDistributionsByWebACLId.")
        _, wacl = web_acl_by_arn(self, arn)
        arns = [r for r in wacl.associated_resources if _resource_type(r) == resource_type]
        return 200, {}, json.dumps({"ResourceArns": arns})

    # ---- sampled requests and rate-based keys -------------------------------------------------

    def get_sampled_requests(self: WAFV2Response) -> Any:
        body = body_of(self)
        arn, metric, scope = body.get("WebAclArn"), body.get("RuleMetricName"), body.get("Scope")
        max_items = body.get("MaxItems")
        if not isinstance(max_items, int) or isinstance(max_items, bool) or not 1 <= max_items <= 500:
            raise _invalid("ENTITY_LIMIT", max_items, "MaxItems must be from 1 to 500.")
        window = body.get("TimeWindow") or {}
        try:
            start, end = _to_time(window["StartTime"]), _to_time(window["EndTime"])
        except (KeyError, ValueError):
            raise _invalid("EXPIRE_TIMESTAMP", window, "TimeWindow needs StartTime and EndTime.") from None
        if _arn_scope(arn) != scope:
            raise _nonexistent()
        backend, wacl = web_acl_by_arn(self, arn)
        start = max(start, dt.datetime.now(dt.timezone.utc) - SAMPLE_WINDOW)  # "WAF sets it to three hours ago"
        if end <= start:
            raise _invalid("EXPIRE_TIMESTAMP", window, "TimeWindow must end after it starts, within the previous three hours.")
        matching = sorted((r for r in _sampled(backend).get((wacl.arn, metric), []) if start <= r["Timestamp"] < end),
                          key=lambda r: r["Timestamp"])
        population = matching[:SAMPLE_POPULATION]
        if len(matching) > SAMPLE_POPULATION:  # the time range of the first 5,000 requests
            end = population[-1]["Timestamp"] + dt.timedelta(milliseconds=1)
        sample = [{**r, "Timestamp": _epoch(r["Timestamp"])} for r in population[:max_items]]
        return 200, {}, json.dumps({"SampledRequests": sample, "PopulationSize": len(population),
                                    "TimeWindow": {"StartTime": _epoch(start), "EndTime": _epoch(end)}})

    def get_rate_based_statement_managed_keys(self: WAFV2Response) -> Any:
        body = body_of(self)
        scope = body.get("Scope")
        backend = scoped_backend(self, scope)
        wacl = next((w for w in backend.wacls.values()
                     if w.name == body.get("WebACLName") and w.id == body.get("WebACLId") and _arn_scope(w.arn) == scope), None)
        if wacl is None:
            raise _nonexistent()
        rule_name, group_rule_name = body.get("RuleName"), body.get("RuleGroupRuleName")
        rule = next((r for r in wacl.rules if r.name == (group_rule_name or rule_name)), None)
        if rule is None:
            raise _nonexistent()
        statement = rule.statement or {}
        if group_rule_name:
            reference = statement.get("RuleGroupReferenceStatement")
            if reference is None:
                raise _invalid("RULE_GROUP_REFERENCE_STATEMENT", group_rule_name,
                               "RuleGroupRuleName does not name a rule group reference statement.")
            group = backend.rule_groups.get(reference.get("ARN"))
            inner = next((r for r in (group.rules if group else []) if r.name == rule_name), None)
            if inner is None:
                raise _nonexistent()
            statement = inner.statement or {}
        rate = statement.get("RateBasedStatement")
        if rate is None:
            raise _invalid("RATE_BASED_STATEMENT", rule_name, "The rule is not a rate-based rule.")
        if rate.get("AggregateKeyType", "IP") not in ("IP", "FORWARDED_IP"):
            raise WafError("WAFUnsupportedAggregateKeyTypeException", "The rate-based rule does not aggregate "
                           "solely on the IP address or the forwarded IP address.")
        keys = _managed_keys(backend).get((wacl.arn, group_rule_name or "", rule_name), {})
        return 200, {}, json.dumps({
            "ManagedKeysIPV4": {"IPAddressVersion": "IPV4", "Addresses": list(keys.get("ipv4", []))},
            "ManagedKeysIPV6": {"IPAddressVersion": "IPV6", "Addresses": list(keys.get("ipv6", []))},
        })

    # ---- IP set lock tokens: UUIDs, as the model's pattern says --------------------------------

    original_ip_set_init = FakeIPSet.__init__
    original_ip_set_update = FakeIPSet.update

    def ip_set_init(self: FakeIPSet, *args: Any, **kwargs: Any) -> None:
        original_ip_set_init(self, *args, **kwargs)
        self.lock_token = str(mock_random.uuid4())

    def ip_set_update(self: FakeIPSet, *args: Any, **kwargs: Any) -> None:
        original_ip_set_update(self, *args, **kwargs)
        self.lock_token = str(mock_random.uuid4())

    # ---- logging configurations ----------------------------------------------------------------

    def logging_wire(config: FakeLoggingConfiguration) -> dict[str, Any]:
        wire = {k: v for k, v in config.to_dict().items() if v is not None}
        wire.setdefault("LogType", "WAF_LOGS")
        wire.setdefault("LogScope", "CUSTOMER")
        return wire

    def put_logging_configuration(self: WAFV2Response) -> Any:
        config = body_of(self).get("LoggingConfiguration") or {}
        web_acl_by_arn(self, config.get("ResourceArn"))
        if not config.get("LogDestinationConfigs"):
            raise _invalid("LOG_DESTINATION", "LogDestinationConfigs", "At least one log destination is required.")
        stored = self.wafv2_backend.put_logging_configuration(
            config["ResourceArn"], config["LogDestinationConfigs"], config.get("RedactedFields"),
            config.get("ManagedByFirewallManager"), config.get("LoggingFilter"))
        return 200, {}, json.dumps({"LoggingConfiguration": logging_wire(stored)})

    def get_logging_configuration(self: WAFV2Response) -> Any:
        body = body_of(self)
        if body.get("LogScope", "CUSTOMER") != "CUSTOMER":
            raise _nonexistent()
        stored = self.wafv2_backend.logging_configurations.get(body.get("ResourceArn"))
        if stored is None:
            raise _nonexistent()
        return 200, {}, json.dumps({"LoggingConfiguration": logging_wire(stored)})

    def list_logging_configurations(self: WAFV2Response) -> Any:
        body = body_of(self)
        scope = body.get("Scope")
        if scope not in ("CLOUDFRONT", "REGIONAL"):
            raise _invalid("SCOPE_VALUE", scope, "The scope is not valid.")
        limit = body.get("Limit") or 100
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            raise _invalid("ENTITY_LIMIT", limit, "Limit must be from 1 to 100.")
        configs = []
        if body.get("LogScope", "CUSTOMER") == "CUSTOMER":
            for arn, config in self.wafv2_backend.logging_configurations.items():
                parts = arn.split(":", 5)
                if _arn_scope(arn) == scope and (scope == "CLOUDFRONT" or parts[3] == self.region):
                    configs.append(logging_wire(config))
        marker = body.get("NextMarker")
        start = 0
        if marker:
            if not (marker.isdigit() and int(marker) <= len(configs)):
                raise _invalid("ENTITY_LIMIT", marker, "NextMarker was not handed out by this server.")
            start = int(marker)
        answer: dict[str, Any] = {"LoggingConfigurations": configs[start:start + limit]}
        if start + limit < len(configs):
            answer["NextMarker"] = str(start + limit)
        return 200, {}, json.dumps(answer)

    # ---- seeding -------------------------------------------------------------------------------

    def seed_target(body: dict[str, Any]) -> tuple[Any, str]:
        """(backend holding the web ACL, its ARN) for a seeding body; ValueError if there is none."""
        account = str(body.get("account") or DEFAULT_ACCOUNT)
        arn = body.get("web_acl_arn")
        scope = _arn_scope(arn)
        if scope is None:
            raise ValueError('"web_acl_arn" must be a wafv2 web ACL ARN')
        arn_region = arn.split(":")[3]
        region = body.get("region") or arn_region
        if region != arn_region:
            raise ValueError(f'"region" {region} is not the Region of web_acl_arn ({arn_region})')
        backend = wafv2_backends[account][GLOBAL if scope == "CLOUDFRONT" else region]
        if arn not in backend.wacls:
            raise ValueError(f"no web ACL {arn} in account {account}")
        return backend, arn

    def seeding(handler: Any) -> Any:
        def endpoint(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
            if request.method != "POST":
                return 405, {}, json.dumps({"error": "POST only"})
            try:
                body = json.loads(request.get_data() or b"{}")
                if not isinstance(body, dict):
                    raise ValueError("the body must be a JSON object")
                answer = handler(body)
            except (ValueError, TypeError, KeyError, AttributeError) as err:
                return 400, {"Content-Type": "application/json"}, json.dumps({"error": str(err)})
            return 200, {"Content-Type": "application/json"}, json.dumps(answer)

        return endpoint

    def seed_sampled_requests(body: dict[str, Any]) -> dict[str, Any]:
        """{"account"?, "region"?, "web_acl_arn", "rule_metric_name", "requests": [SampledHTTPRequest]}."""
        backend, arn = seed_target(body)
        metric = body.get("rule_metric_name")
        if not isinstance(metric, str) or not metric:
            raise ValueError('"rule_metric_name" is required')
        requests = body.get("requests")
        if not isinstance(requests, list):
            raise ValueError('"requests" must be a list of SampledHTTPRequest objects')
        stored = []
        for raw in requests:
            if not isinstance(raw, dict) or not isinstance(raw.get("Request"), dict):
                raise ValueError("each request must be a SampledHTTPRequest with a Request object")
            request = dict(raw)
            request["Timestamp"] = _to_time(raw["Timestamp"]) if raw.get("Timestamp") is not None else dt.datetime.now(dt.timezone.utc)
            request.setdefault("Weight", 1)
            stored.append(request)
        bucket = _sampled(backend).setdefault((arn, metric), [])
        bucket.extend(stored)
        return {"stored": len(bucket)}

    def seed_rate_based_keys(body: dict[str, Any]) -> dict[str, Any]:
        """{"account"?, "region"?, "web_acl_arn", "rule_name", "rule_group_rule_name"?, "ipv4", "ipv6"}:
        replaces the rule's current keys."""
        backend, arn = seed_target(body)
        rule_name = body.get("rule_name")
        if not isinstance(rule_name, str) or not rule_name:
            raise ValueError('"rule_name" is required')
        keys = {}
        for version in ("ipv4", "ipv6"):
            addresses = body.get(version) or []
            if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
                raise ValueError(f'"{version}" must be a list of addresses (CIDR strings)')
            keys[version] = list(addresses)
        _managed_keys(backend)[(arn, body.get("rule_group_rule_name") or "", rule_name)] = keys
        return {"ipv4": len(keys["ipv4"]), "ipv6": len(keys["ipv6"])}

    WAFV2Response.call_action = call_action
    WAFV2Response.associate_web_acl = associate_web_acl
    WAFV2Response.list_resources_for_web_acl = list_resources_for_web_acl
    WAFV2Response.get_sampled_requests = get_sampled_requests
    WAFV2Response.get_rate_based_statement_managed_keys = get_rate_based_statement_managed_keys
    WAFV2Response.put_logging_configuration = put_logging_configuration
    WAFV2Response.get_logging_configuration = get_logging_configuration
    WAFV2Response.list_logging_configurations = list_logging_configurations
    FakeIPSet.__init__ = ip_set_init
    FakeIPSet.update = ip_set_update
    api_urls.url_paths["{0}/moto-api/vigil/wafv2-sampled-requests$"] = seeding(seed_sampled_requests)
    api_urls.url_paths["{0}/moto-api/vigil/wafv2-rate-based-keys$"] = seeding(seed_rate_based_keys)
