"""The edge-protection part of the moto extension (Shield Advanced, WAFv2, CloudWatch metrics) checked
through boto3, whose parsers validate every response against botocore's service model, plus raw
Smithy RPC v2 CBOR requests built as the AWS SDK for Rust sends them. Runs against the server
tests/run started (VIGIL_MOTO_ENDPOINT) and resets it before each test."""

import copy
import datetime as dt
import gzip
import json
import os
import re
import urllib.error
import urllib.request

import boto3
import botocore.session
import cbor2
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("VIGIL_MOTO_ENDPOINT", "")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="needs the moto server from tests/run")
UUID = re.compile(r"^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$")
OTHER_ACCOUNT = "210987654321"


@pytest.fixture(autouse=True)
def reset():
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()


def client(service, region="us-east-1", session=None):
    return (session or boto3).client(service, endpoint_url=ENDPOINT, region_name=region,
                                     aws_access_key_id="testing", aws_secret_access_key="testing")


def error(call, *args, **kwargs):
    with pytest.raises(ClientError) as err:
        call(*args, **kwargs)
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]


def seed(path, body):
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/vigil/{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def raw_body(api, operation):
    """Captures the raw HTTP body of `operation` answers (botocore parses numbers and strings alike)."""
    captured = {}
    api.meta.events.register(f"after-call.{api.meta.service_model.service_name}.{operation}",
                             lambda http_response, **_: captured.__setitem__("body", http_response.content))
    return captured


def now():
    return dt.datetime.now(dt.timezone.utc)


# --------------------------------------------------------------------------------------------
# Shield Advanced


def test_shield_without_subscription_then_subscribed():
    shield = client("shield")
    assert shield.get_subscription_state()["SubscriptionState"] == "INACTIVE"
    for call, kwargs in ((shield.describe_subscription, {}), (shield.list_protections, {}),
                         (shield.create_protection, {"Name": "p", "ResourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}),
                         (shield.list_protection_groups, {}), (shield.describe_protection_group, {"ProtectionGroupId": "g"}),
                         (shield.create_protection_group, {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ALL"}),
                         (shield.enable_proactive_engagement, {}), (shield.disable_proactive_engagement, {})):
        assert error(call, **kwargs) == ("ResourceNotFoundException", 400), call
    assert shield.list_attacks()["AttackSummaries"] == []
    stats = shield.describe_attack_statistics()
    assert stats["DataItems"] == [{"AttackCount": 0}]

    shield.create_subscription()
    assert error(shield.create_subscription) == ("ResourceAlreadyExistsException", 400)
    assert shield.get_subscription_state()["SubscriptionState"] == "ACTIVE"
    raw = raw_body(shield, "DescribeSubscription")
    sub = shield.describe_subscription()["Subscription"]
    wire = json.loads(raw["body"])["Subscription"]
    assert isinstance(wire["StartTime"], (int, float)) and isinstance(wire["EndTime"], (int, float)), "epoch seconds, not strings"
    assert wire["EndTime"] - wire["StartTime"] == wire["TimeCommitmentInSeconds"] == 31536000
    assert abs(sub["StartTime"].timestamp() - now().timestamp()) < 120
    assert sub["AutoRenew"] == "ENABLED" and sub["SubscriptionArn"].startswith("arn:aws:shield::123456789012:subscription/")
    assert sub["Limits"] and sub["SubscriptionLimits"]["ProtectionGroupLimits"]["MaxProtectionGroups"] == 20
    assert sub["ProactiveEngagementStatus"] == "DISABLED"
    shield.enable_proactive_engagement()
    assert shield.describe_subscription()["Subscription"]["ProactiveEngagementStatus"] == "ENABLED"
    shield.disable_proactive_engagement()
    assert shield.describe_subscription()["Subscription"]["ProactiveEngagementStatus"] == "DISABLED"

    for i in range(3):
        shield.create_protection(Name=f"p{i}", ResourceArn=f"arn:aws:cloudfront::123456789012:distribution/E{i}")
    first = shield.list_protections(MaxResults=2)
    assert len(first["Protections"]) == 2 and first["NextToken"]
    assert len(shield.list_protections(MaxResults=2, NextToken=first["NextToken"])["Protections"]) == 1
    assert error(shield.list_protections, NextToken="bogus") == ("InvalidPaginationTokenException", 400)


def attack(resource, start, end=None, **extra):
    detail = {
        "ResourceArn": resource, "StartTime": start,
        "SubResources": [{"Type": "IP", "Id": "192.0.2.2", "AttackVectors": [
            {"VectorType": "SYN_FLOOD", "VectorCounters": [
                {"Name": "SYN_FLOOD_BPS", "Max": 982184.0, "Average": 982184.0, "Sum": 11786208.0, "N": 12, "Unit": "BPS"}]},
            {"VectorType": "UDP_REFLECTION", "VectorCounters": [
                {"Name": "UDP_REFLECTION_PPS", "Max": 5000.0, "Average": 2500.0, "Sum": 30000.0, "N": 12, "Unit": "PPS"}]}],
            "Counters": []}],
        "AttackCounters": [],
        "AttackProperties": [{"AttackLayer": "NETWORK", "AttackPropertyIdentifier": "SOURCE_IP_ADDRESS",
                              "TopContributors": [{"Name": "198.51.100.5", "Value": 2024475682}], "Unit": "BYTES",
                              "Total": 92773354841}],
        "Mitigations": [{"MitigationName": "SYN_COOKIES"}],
    }
    if end is not None:
        detail["EndTime"] = end
    detail.update(extra)
    return detail


def test_shield_attacks_seeded_listed_described_and_counted():
    shield = client("shield")
    alb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
    cdn = "arn:aws:cloudfront::123456789012:distribution/E1PXMP22ZVFAOR"
    t = now().replace(microsecond=0)
    iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    status, answer = seed("shield-attacks", {"attacks": [
        attack(alb, iso(t - dt.timedelta(days=10)), iso(t - dt.timedelta(days=10) + dt.timedelta(hours=2)), AttackId="old-one"),
        attack(cdn, (t - dt.timedelta(days=2)).timestamp(), (t - dt.timedelta(days=2) + dt.timedelta(minutes=30)).timestamp()),
        attack(alb, iso(t - dt.timedelta(days=3)), AttackId="ongoing",
               AttackCounters=[{"Name": "HTTP_RPS", "Max": 12000.0, "Average": 9000.0, "Sum": 90000.0, "N": 10, "Unit": "RPS"}]),
        attack(alb, iso(t - dt.timedelta(days=400)), iso(t - dt.timedelta(days=400) + dt.timedelta(hours=1)), AttackId="last-year"),
    ]})
    assert status == 200 and answer["attack_ids"][0] == "old-one" and answer["attack_ids"][2] == "ongoing"
    generated = answer["attack_ids"][1]
    assert seed("shield-attacks", {"account": OTHER_ACCOUNT, "attacks": [attack(alb, iso(t))]})[0] == 200
    assert seed("shield-attacks", {"attacks": [{"ResourceArn": alb}]})[0] == 400, "StartTime is required"
    assert seed("shield-attacks", {"attacks": "nope"})[0] == 400

    listed = shield.list_attacks()["AttackSummaries"]
    assert [a["AttackId"] for a in listed] == [generated, "ongoing", "old-one", "last-year"], "newest first, own account only"
    ongoing = listed[1]
    assert "EndTime" not in ongoing and ongoing["AttackVectors"] == [{"VectorType": "SYN_FLOOD"}, {"VectorType": "UDP_REFLECTION"}]
    assert listed[0]["ResourceArn"] == cdn and listed[0]["EndTime"] > listed[0]["StartTime"]

    pages = list(shield.get_paginator("list_attacks").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["AttackSummaries"]) for p in pages] == [3, 1]
    assert error(shield.list_attacks, NextToken="bogus") == ("InvalidParameterException", 400)

    week = {"FromInclusive": t - dt.timedelta(days=7), "ToExclusive": t}
    assert [a["AttackId"] for a in shield.list_attacks(StartTime=week)["AttackSummaries"]] == [generated, "ongoing"]
    assert [a["AttackId"] for a in shield.list_attacks(EndTime=week)["AttackSummaries"]] == [generated, "ongoing"], \
        "an attack in progress matches any EndTime range"
    assert [a["AttackId"] for a in shield.list_attacks(ResourceArns=[cdn])["AttackSummaries"]] == [generated]
    assert error(shield.list_attacks, StartTime={"FromInclusive": t, "ToExclusive": t - dt.timedelta(days=1)}) == \
        ("InvalidParameterException", 400)

    raw = raw_body(shield, "DescribeAttack")
    detail = shield.describe_attack(AttackId="ongoing")["Attack"]
    assert "EndTime" not in detail and "EndTime" not in json.loads(raw["body"])["Attack"]
    assert isinstance(json.loads(raw["body"])["Attack"]["StartTime"], float)
    assert detail["StartTime"] == t - dt.timedelta(days=3)
    assert detail["SubResources"][0]["AttackVectors"][0]["VectorCounters"][0] == {
        "Name": "SYN_FLOOD_BPS", "Max": 982184.0, "Average": 982184.0, "Sum": 11786208.0, "N": 12, "Unit": "BPS"}
    assert detail["AttackCounters"][0]["Unit"] == "RPS"
    assert detail["AttackProperties"][0]["TopContributors"] == [{"Name": "198.51.100.5", "Value": 2024475682}]
    assert detail["Mitigations"] == [{"MitigationName": "SYN_COOKIES"}]
    assert shield.describe_attack(AttackId="old-one")["Attack"]["EndTime"] == t - dt.timedelta(days=10) + dt.timedelta(hours=2)
    assert error(shield.describe_attack, AttackId="missing") == ("AccessDeniedException", 400)

    stats = shield.describe_attack_statistics()
    midnight = t.replace(hour=0, minute=0, second=0)
    assert stats["TimeRange"]["ToExclusive"] == midnight
    assert stats["TimeRange"]["FromInclusive"].year == midnight.year - 1
    assert stats["TimeRange"]["FromInclusive"].month == midnight.month
    assert stats["DataItems"] == [{"AttackCount": 3, "AttackVolume": {
        "BitsPerSecond": {"Max": 982184.0}, "PacketsPerSecond": {"Max": 5000.0}, "RequestsPerSecond": {"Max": 12000.0}}}], \
        "the attack 400 days ago is outside the year"


def test_shield_protection_groups():
    shield = client("shield")
    shield.create_subscription()
    alb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
    cdn = "arn:aws:cloudfront::123456789012:distribution/E1PXMP22ZVFAOR"
    shield.create_protection(Name="alb", ResourceArn=alb)
    shield.create_protection(Name="cdn", ResourceArn=cdn)

    bad = [
        {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "BY_RESOURCE_TYPE"},
        {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ALL", "ResourceType": "APPLICATION_LOAD_BALANCER"},
        {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ARBITRARY"},
        {"ProtectionGroupId": "g", "Aggregation": "SUM", "Pattern": "ALL", "Members": [alb]},
        {"ProtectionGroupId": "g", "Aggregation": "MEDIAN", "Pattern": "ALL"},
        {"ProtectionGroupId": "bad id!", "Aggregation": "SUM", "Pattern": "ALL"},
    ]
    for kwargs in bad:
        assert error(shield.create_protection_group, **kwargs) == ("InvalidParameterException", 400), kwargs

    shield.create_protection_group(ProtectionGroupId="everything", Aggregation="SUM", Pattern="ALL")
    shield.create_protection_group(ProtectionGroupId="albs", Aggregation="MEAN", Pattern="BY_RESOURCE_TYPE",
                                   ResourceType="APPLICATION_LOAD_BALANCER")
    shield.create_protection_group(ProtectionGroupId="chosen", Aggregation="MAX", Pattern="ARBITRARY", Members=[cdn],
                                   Tags=[{"Key": "team", "Value": "edge"}])
    assert error(shield.create_protection_group, ProtectionGroupId="chosen", Aggregation="MAX", Pattern="ALL") == \
        ("ResourceAlreadyExistsException", 400)

    everything = shield.describe_protection_group(ProtectionGroupId="everything")["ProtectionGroup"]
    assert sorted(everything["Members"]) == sorted([alb, cdn]) and "ResourceType" not in everything
    assert everything["ProtectionGroupArn"] == "arn:aws:shield::123456789012:protection-group/everything"
    albs = shield.describe_protection_group(ProtectionGroupId="albs")["ProtectionGroup"]
    assert albs["Members"] == [alb] and albs["ResourceType"] == "APPLICATION_LOAD_BALANCER" and albs["Aggregation"] == "MEAN"
    assert shield.describe_protection_group(ProtectionGroupId="chosen")["ProtectionGroup"]["Members"] == [cdn]

    listed = shield.list_protection_groups()["ProtectionGroups"]
    assert [g["ProtectionGroupId"] for g in listed] == ["everything", "albs", "chosen"]
    assert [g["ProtectionGroupId"] for g in shield.list_protection_groups(InclusionFilters={"Patterns": ["ARBITRARY"]})["ProtectionGroups"]] == ["chosen"]
    assert [g["ProtectionGroupId"] for g in shield.list_protection_groups(InclusionFilters={"Aggregations": ["MEAN"]})["ProtectionGroups"]] == ["albs"]
    page = shield.list_protection_groups(MaxResults=2)
    assert len(page["ProtectionGroups"]) == 2
    assert [g["ProtectionGroupId"] for g in shield.list_protection_groups(MaxResults=2, NextToken=page["NextToken"])["ProtectionGroups"]] == ["chosen"]
    assert error(shield.list_protection_groups, NextToken="bogus") == ("InvalidPaginationTokenException", 400)

    shield.update_protection_group(ProtectionGroupId="albs", Aggregation="SUM", Pattern="ARBITRARY", Members=[alb, cdn])
    assert shield.describe_protection_group(ProtectionGroupId="albs")["ProtectionGroup"] == {
        "ProtectionGroupId": "albs", "Aggregation": "SUM", "Pattern": "ARBITRARY", "Members": [alb, cdn],
        "ProtectionGroupArn": "arn:aws:shield::123456789012:protection-group/albs"}
    shield.delete_protection_group(ProtectionGroupId="albs")
    assert error(shield.describe_protection_group, ProtectionGroupId="albs") == ("ResourceNotFoundException", 400)
    assert error(shield.delete_protection_group, ProtectionGroupId="albs") == ("ResourceNotFoundException", 400)


# --------------------------------------------------------------------------------------------
# WAFv2

VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": "m"}


def managed(name, priority, configs):
    return {"Name": name, "Priority": priority, "OverrideAction": {"None": {}},
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name, "ManagedRuleGroupConfigs": configs}},
            "VisibilityConfig": {**VISIBILITY, "MetricName": name}}


EDGE_RULES = [
    managed("AWSManagedRulesATPRuleSet", 0, [{"AWSManagedRulesATPRuleSet": {
        "LoginPath": "/api/login",
        "RequestInspection": {"PayloadType": "JSON", "UsernameField": {"Identifier": "/username"},
                              "PasswordField": {"Identifier": "/password"}},
        "ResponseInspection": {"StatusCode": {"SuccessCodes": [200], "FailureCodes": [401, 403]}},
        "EnableRegexInPath": False}}]),
    managed("AWSManagedRulesACFPRuleSet", 1, [{"AWSManagedRulesACFPRuleSet": {
        "CreationPath": "/api/signup", "RegistrationPagePath": "/signup",
        "RequestInspection": {"PayloadType": "JSON", "UsernameField": {"Identifier": "/username"},
                              "EmailField": {"Identifier": "/email"},
                              "PhoneNumberFields": [{"Identifier": "/phone"}], "AddressFields": [{"Identifier": "/street"}]},
        "EnableRegexInPath": True}}]),
    managed("AWSManagedRulesBotControlRuleSet", 2, [{"AWSManagedRulesBotControlRuleSet": {
        "InspectionLevel": "TARGETED", "EnableMachineLearning": True}}]),
    managed("AWSManagedRulesAntiDDoSRuleSet", 3, [{"AWSManagedRulesAntiDDoSRuleSet": {
        "ClientSideActionConfig": {"Challenge": {"UsageOfAction": "ENABLED", "Sensitivity": "HIGH",
                                                 "ExemptUriRegularExpressions": [{"RegexString": "\\/api\\/|\\.(jpg|png)$"}]}},
        "SensitivityToBlock": "LOW"}}]),
    {"Name": "per-ip", "Priority": 4, "Action": {"Block": {}},
     "Statement": {"RateBasedStatement": {"Limit": 500, "EvaluationWindowSec": 300, "AggregateKeyType": "IP"}},
     "VisibilityConfig": {**VISIBILITY, "MetricName": "per-ip"}},
]


def web_acl(waf, name, scope="REGIONAL", rules=()):
    return waf.create_web_acl(Name=name, Scope=scope, DefaultAction={"Allow": {}}, Rules=list(rules),
                              VisibilityConfig={**VISIBILITY, "MetricName": name})["Summary"]


def test_wafv2_managed_rule_groups_and_rate_based_rules_round_trip():
    waf = client("wafv2")
    summary = web_acl(waf, "edge", "CLOUDFRONT", EDGE_RULES)
    raw = raw_body(waf, "GetWebACL")
    got = waf.get_web_acl(Name="edge", Scope="CLOUDFRONT", Id=summary["Id"])
    assert b"null" not in raw["body"], "absent members are left out, not null"
    assert UUID.match(got["LockToken"])
    assert got["WebACL"]["Rules"] == EDGE_RULES
    assert got["WebACL"]["ARN"] == summary["ARN"] and ":global/webacl/edge/" in summary["ARN"]
    regional = web_acl(waf, "api", "REGIONAL", EDGE_RULES[4:])
    assert waf.get_web_acl(Name="api", Scope="REGIONAL", Id=regional["Id"])["WebACL"]["Rules"] == EDGE_RULES[4:]


def test_wafv2_cloudfront_scope_only_in_us_east_1():
    eu = client("wafv2", "eu-west-1")
    for call, kwargs in ((eu.list_web_acls, {"Scope": "CLOUDFRONT"}), (eu.list_ip_sets, {"Scope": "CLOUDFRONT"}),
                         (eu.list_logging_configurations, {"Scope": "CLOUDFRONT"}),
                         (eu.create_ip_set, {"Name": "s", "Scope": "CLOUDFRONT", "IPAddressVersion": "IPV4", "Addresses": []})):
        with pytest.raises(ClientError) as err:
            call(**kwargs)
        assert (err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]) == \
            ("WAFInvalidParameterException", 400)
        assert err.value.response["Field"] == "SCOPE_VALUE" and err.value.response["Parameter"] == "CLOUDFRONT"
    assert eu.list_web_acls(Scope="REGIONAL")["WebACLs"] == []
    assert client("wafv2").list_web_acls(Scope="CLOUDFRONT")["WebACLs"] == []


def test_wafv2_ip_set_lock_token():
    waf = client("wafv2")
    summary = waf.create_ip_set(Name="blocked", Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=["192.0.2.0/24"])["Summary"]
    first = waf.get_ip_set(Name="blocked", Scope="REGIONAL", Id=summary["Id"])["LockToken"]
    assert UUID.match(first) and first == summary["LockToken"]
    second = waf.update_ip_set(Name="blocked", Scope="REGIONAL", Id=summary["Id"], Addresses=["198.51.100.7/32"], LockToken=first)["NextLockToken"]
    assert UUID.match(second) and second != first
    got = waf.get_ip_set(Name="blocked", Scope="REGIONAL", Id=summary["Id"])
    assert got["LockToken"] == second and got["IPSet"]["Addresses"] == ["198.51.100.7/32"]
    assert error(waf.update_ip_set, Name="blocked", Scope="REGIONAL", Id=summary["Id"], Addresses=[], LockToken=first) == \
        ("WAFOptimisticLockException", 400)
    third = waf.update_ip_set(Name="blocked", Scope="REGIONAL", Id=summary["Id"], Addresses=[], LockToken=second)["NextLockToken"]
    assert third not in (first, second)


def test_wafv2_associations_and_list_resources_for_web_acl():
    waf = client("wafv2")
    a = web_acl(waf, "a")
    b = web_acl(waf, "b")
    cdn = web_acl(waf, "cdn", "CLOUDFRONT")
    albs = [f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web{i}/50dc6c495c0c918{i}" for i in range(2)]
    stage = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod"
    pool = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"
    for arn in albs + [stage, pool]:
        waf.associate_web_acl(WebACLArn=a["ARN"], ResourceArn=arn)
    assert waf.list_resources_for_web_acl(WebACLArn=a["ARN"])["ResourceArns"] == albs, "default APPLICATION_LOAD_BALANCER"
    assert waf.list_resources_for_web_acl(WebACLArn=a["ARN"], ResourceType="API_GATEWAY")["ResourceArns"] == [stage]
    assert waf.list_resources_for_web_acl(WebACLArn=a["ARN"], ResourceType="COGNITO_USER_POOL")["ResourceArns"] == [pool]
    assert waf.list_resources_for_web_acl(WebACLArn=a["ARN"], ResourceType="APPSYNC")["ResourceArns"] == []

    waf.associate_web_acl(WebACLArn=b["ARN"], ResourceArn=albs[0])
    assert waf.list_resources_for_web_acl(WebACLArn=a["ARN"])["ResourceArns"] == [albs[1]], "one web ACL per resource"
    assert waf.get_web_acl_for_resource(ResourceArn=albs[0])["WebACL"]["Name"] == "b"
    waf.disassociate_web_acl(ResourceArn=albs[1])
    assert waf.list_resources_for_web_acl(WebACLArn=a["ARN"])["ResourceArns"] == []

    assert error(waf.list_resources_for_web_acl, WebACLArn=cdn["ARN"]) == ("WAFInvalidParameterException", 400)
    assert error(waf.associate_web_acl, WebACLArn=cdn["ARN"], ResourceArn=albs[1]) == ("WAFInvalidParameterException", 400)
    assert error(waf.associate_web_acl, WebACLArn=a["ARN"], ResourceArn="arn:aws:s3:::a-bucket-of-mine") == ("WAFInvalidParameterException", 400)
    missing = a["ARN"].replace(a["Id"], "00000000-0000-4000-8000-000000000000")
    assert error(waf.list_resources_for_web_acl, WebACLArn=missing) == ("WAFNonexistentItemException", 400)
    assert error(waf.associate_web_acl, WebACLArn=missing, ResourceArn=albs[1]) == ("WAFNonexistentItemException", 400)


def sampled(i, when, action="BLOCK"):
    return {"Request": {"ClientIP": f"198.51.100.{i}", "Country": "US", "URI": f"/login/{i}", "Method": "POST",
                        "HTTPVersion": "HTTP/2.0", "Headers": [{"Name": "Host", "Value": "example.com"}]},
            "Weight": 1, "Timestamp": when, "Action": action, "RuleNameWithinRuleGroup": "AttributeLongSession",
            "Labels": [{"Name": "awswaf:managed:aws:atp:aggregate:volumetric:session:high"}], "ResponseCodeSent": 403}


def test_wafv2_sampled_requests():
    waf = client("wafv2")
    acl = web_acl(waf, "edge", "CLOUDFRONT", EDGE_RULES[:1])
    t = now().replace(microsecond=0)
    requests = [sampled(1, (t - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")),
                sampled(2, (t - dt.timedelta(minutes=20)).timestamp()),
                sampled(3, (t - dt.timedelta(minutes=10)).timestamp(), "CAPTCHA"),
                sampled(4, (t - dt.timedelta(hours=4)).timestamp())]
    status, answer = seed("wafv2-sampled-requests", {"web_acl_arn": acl["ARN"], "rule_metric_name": "AWSManagedRulesATPRuleSet",
                                                     "requests": requests})
    assert (status, answer) == (200, {"stored": 4})
    assert seed("wafv2-sampled-requests", {"web_acl_arn": acl["ARN"].replace(acl["Id"], "00000000-0000-4000-8000-000000000000"),
                                           "rule_metric_name": "x", "requests": []})[0] == 400
    assert seed("wafv2-sampled-requests", {"web_acl_arn": acl["ARN"], "rule_metric_name": "x", "requests": [{"Weight": 1}]})[0] == 400

    window = {"StartTime": t - dt.timedelta(hours=5), "EndTime": t}
    got = waf.get_sampled_requests(WebAclArn=acl["ARN"], RuleMetricName="AWSManagedRulesATPRuleSet", Scope="CLOUDFRONT",
                                   TimeWindow=window, MaxItems=2)
    assert got["PopulationSize"] == 3, "the request four hours ago is outside the three hours"
    assert [r["Request"]["ClientIP"] for r in got["SampledRequests"]] == ["198.51.100.1", "198.51.100.2"]
    assert got["SampledRequests"][0]["Timestamp"] == t - dt.timedelta(minutes=30)
    assert got["SampledRequests"][0]["Labels"] and got["SampledRequests"][0]["ResponseCodeSent"] == 403
    assert got["TimeWindow"]["EndTime"] == t
    assert abs((got["TimeWindow"]["StartTime"] - (now() - dt.timedelta(hours=3))).total_seconds()) < 60, "start clamped"
    assert waf.get_sampled_requests(WebAclArn=acl["ARN"], RuleMetricName="other", Scope="CLOUDFRONT", TimeWindow=window,
                                    MaxItems=100)["SampledRequests"] == []
    assert error(waf.get_sampled_requests, WebAclArn=acl["ARN"], RuleMetricName="x", Scope="CLOUDFRONT", TimeWindow=window,
                 MaxItems=501) == ("WAFInvalidParameterException", 400)
    assert error(waf.get_sampled_requests, WebAclArn=acl["ARN"], RuleMetricName="x", Scope="REGIONAL", TimeWindow=window,
                 MaxItems=5) == ("WAFNonexistentItemException", 400)


def test_wafv2_rate_based_statement_managed_keys():
    waf = client("wafv2")
    group = waf.create_rule_group(Name="limits", Scope="REGIONAL", Capacity=10, VisibilityConfig=VISIBILITY, Rules=[
        {"Name": "inner-rate", "Priority": 0, "Action": {"Block": {}},
         "Statement": {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "FORWARDED_IP",
                                              "ForwardedIPConfig": {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "MATCH"}}},
         "VisibilityConfig": VISIBILITY}])["Summary"]
    rules = EDGE_RULES[3:] + [
        {"Name": "by-key", "Priority": 5, "Action": {"Block": {}},
         "Statement": {"RateBasedStatement": {"Limit": 100, "AggregateKeyType": "CUSTOM_KEYS",
                                              "CustomKeys": [{"HTTPMethod": {}}]}}, "VisibilityConfig": VISIBILITY},
        {"Name": "group-ref", "Priority": 6, "OverrideAction": {"None": {}},
         "Statement": {"RuleGroupReferenceStatement": {"ARN": group["ARN"]}}, "VisibilityConfig": VISIBILITY}]
    acl = web_acl(waf, "api", "REGIONAL", rules)
    assert seed("wafv2-rate-based-keys", {"web_acl_arn": acl["ARN"], "rule_name": "per-ip",
                                          "ipv4": ["198.51.100.7/32"], "ipv6": ["2001:db8::1/128"]}) == (200, {"ipv4": 1, "ipv6": 1})
    assert seed("wafv2-rate-based-keys", {"web_acl_arn": acl["ARN"], "rule_group_rule_name": "group-ref",
                                          "rule_name": "inner-rate", "ipv4": ["203.0.113.9/32"]})[0] == 200
    assert seed("wafv2-rate-based-keys", {"web_acl_arn": acl["ARN"], "region": "eu-west-1", "rule_name": "per-ip"})[0] == 400

    common = {"Scope": "REGIONAL", "WebACLName": "api", "WebACLId": acl["Id"]}
    keys = waf.get_rate_based_statement_managed_keys(RuleName="per-ip", **common)
    assert keys["ManagedKeysIPV4"] == {"IPAddressVersion": "IPV4", "Addresses": ["198.51.100.7/32"]}
    assert keys["ManagedKeysIPV6"] == {"IPAddressVersion": "IPV6", "Addresses": ["2001:db8::1/128"]}
    inner = waf.get_rate_based_statement_managed_keys(RuleName="inner-rate", RuleGroupRuleName="group-ref", **common)
    assert inner["ManagedKeysIPV4"]["Addresses"] == ["203.0.113.9/32"] and inner["ManagedKeysIPV6"]["Addresses"] == []
    assert error(waf.get_rate_based_statement_managed_keys, RuleName="AWSManagedRulesAntiDDoSRuleSet", **common) == \
        ("WAFInvalidParameterException", 400), "not a rate-based rule"
    assert error(waf.get_rate_based_statement_managed_keys, RuleName="absent", **common) == ("WAFNonexistentItemException", 400)
    assert error(waf.get_rate_based_statement_managed_keys, RuleName="by-key", **common) == \
        ("WAFUnsupportedAggregateKeyTypeException", 400)
    assert error(waf.get_rate_based_statement_managed_keys, RuleName="per-ip", Scope="REGIONAL", WebACLName="api",
                 WebACLId="00000000-0000-4000-8000-000000000000") == ("WAFNonexistentItemException", 400)


def test_wafv2_logging_configurations_in_both_scopes():
    waf = client("wafv2")
    cdn = web_acl(waf, "cdn", "CLOUDFRONT")
    api = web_acl(waf, "api", "REGIONAL")
    for acl in (cdn, api):
        waf.put_logging_configuration(LoggingConfiguration={
            "ResourceArn": acl["ARN"], "LogDestinationConfigs": [f"arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-{acl['Name']}"]})
    cloudfront = waf.list_logging_configurations(Scope="CLOUDFRONT")["LoggingConfigurations"]
    regional = waf.list_logging_configurations(Scope="REGIONAL")["LoggingConfigurations"]
    assert [c["ResourceArn"] for c in cloudfront] == [cdn["ARN"]]
    assert [c["ResourceArn"] for c in regional] == [api["ARN"]]
    got = waf.get_logging_configuration(ResourceArn=cdn["ARN"])["LoggingConfiguration"]
    assert got["LogDestinationConfigs"][0].endswith("aws-waf-logs-cdn") and got["LogType"] == "WAF_LOGS" and got["LogScope"] == "CUSTOMER"
    assert waf.get_logging_configuration(ResourceArn=api["ARN"])["LoggingConfiguration"]["ResourceArn"] == api["ARN"]
    assert client("wafv2", "eu-west-1").list_logging_configurations(Scope="REGIONAL")["LoggingConfigurations"] == []
    missing = api["ARN"].replace(api["Id"], "00000000-0000-4000-8000-000000000000")
    assert error(waf.get_logging_configuration, ResourceArn=missing) == ("WAFNonexistentItemException", 400)
    assert error(waf.put_logging_configuration, LoggingConfiguration={"ResourceArn": missing, "LogDestinationConfigs": ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-x"]}) == \
        ("WAFNonexistentItemException", 400)


# --------------------------------------------------------------------------------------------
# CloudWatch

WAF_DIMS = [{"Name": "WebACL", "Value": "edge"}, {"Name": "Rule", "Value": "ALL"}, {"Name": "Region", "Value": "us-east-1"}]
DDOS_DIMS = [{"Name": "ResourceArn", "Value": "arn:aws:cloudfront::123456789012:distribution/E1PXMP22ZVFAOR"}]
LABEL_DIMS = [{"Name": "LabelNamespace", "Value": "awswaf:managed:aws:atp:signal"}, {"Name": "Label", "Value": "credential_compromised"},
              {"Name": "WebACL", "Value": "edge"}, {"Name": "Region", "Value": "us-east-1"}]


def hour_start():
    """The start of a window that has twelve whole 5-minute periods before now."""
    t = now().replace(second=0, microsecond=0)
    return t.replace(minute=t.minute - t.minute % 5) - dt.timedelta(hours=1)


def put_edge_metrics(cw, start):
    """WAF, Fraud Control label and DDoS metrics, one datum a minute for an hour from `start`."""
    data = []
    for minute in range(60):
        when = start + dt.timedelta(minutes=minute, seconds=10)
        data += [{"MetricName": "BlockedRequests", "Dimensions": WAF_DIMS, "Timestamp": when, "Value": float(minute)},
                 {"MetricName": "AllowedRequests", "Dimensions": WAF_DIMS, "Timestamp": when, "Value": 100.0},
                 {"MetricName": "ChallengeRequests", "Dimensions": WAF_DIMS, "Timestamp": when, "Value": 1.0},
                 {"MetricName": "CaptchaRequests", "Dimensions": WAF_DIMS, "Timestamp": when, "Value": 2.0},
                 {"MetricName": "CountedRequests", "Dimensions": WAF_DIMS, "Timestamp": when, "Value": 3.0},
                 {"MetricName": "BlockedRequests", "Dimensions": LABEL_DIMS, "Timestamp": when, "Value": 1.0}]
    for i in range(0, len(data), 500):
        cw.put_metric_data(Namespace="AWS/WAFV2", MetricData=data[i:i + 500])
    cw.put_metric_data(Namespace="AWS/DDoSProtection", MetricData=[
        {"MetricName": name, "Dimensions": DDOS_DIMS, "Timestamp": start + dt.timedelta(minutes=m), "Value": value}
        for m in (5, 6) for name, value in (("DDoSDetected", 1.0), ("DDoSAttackBitsPerSecond", 9.8e8),
                                            ("DDoSAttackPacketsPerSecond", 1.2e5), ("DDoSAttackRequestsPerSecond", 4.0e3))])
    # Same name and dimensions in another namespace: must not be mixed in.
    cw.put_metric_data(Namespace="Custom/Other", MetricData=[{"MetricName": "BlockedRequests", "Dimensions": WAF_DIMS,
                                                               "Timestamp": start, "Value": 1e6}])


def stat_query(query_id, namespace, name, dims, stat, period=300, **extra):
    return {"Id": query_id, "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": name, "Dimensions": dims},
                                           "Period": period, "Stat": stat}, **extra}


def test_cloudwatch_boto3_uses_awsjson_and_get_metric_data_computes_from_put_data():
    cw = client("cloudwatch")
    assert cw.meta.service_model.resolved_protocol == "json", "boto3 1.44 prefers awsJson1_0 over the model's CBOR"
    start = hour_start()
    put_edge_metrics(cw, start)
    queries = [stat_query("blocked", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Sum"),
               stat_query("avg", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Average", Label="average blocked"),
               stat_query("mx", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Maximum"),
               stat_query("mn", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Minimum"),
               stat_query("n", "AWS/WAFV2", "AllowedRequests", WAF_DIMS, "SampleCount", period=3600),
               stat_query("ato", "AWS/WAFV2", "BlockedRequests", LABEL_DIMS, "Sum", period=3600),
               stat_query("ddos", "AWS/DDoSProtection", "DDoSAttackBitsPerSecond", DDOS_DIMS, "Maximum", period=60),
               stat_query("hidden", "AWS/WAFV2", "CountedRequests", WAF_DIMS, "Sum", ReturnData=False),
               stat_query("none", "AWS/WAFV2", "BlockedRequests", [{"Name": "WebACL", "Value": "edge"}], "Sum")]
    got = cw.get_metric_data(MetricDataQueries=queries, StartTime=start, EndTime=start + dt.timedelta(hours=1),
                             ScanBy="TimestampAscending")
    results = {r["Id"]: r for r in got["MetricDataResults"]}
    assert list(results) == ["blocked", "avg", "mx", "mn", "n", "ato", "ddos", "none"], "ReturnData false left out"
    blocked = results["blocked"]
    assert blocked["Label"] == "BlockedRequests" and blocked["StatusCode"] == "Complete"
    assert blocked["Timestamps"] == [start + dt.timedelta(minutes=5 * i) for i in range(12)]
    assert blocked["Values"] == [float(sum(range(5 * i, 5 * i + 5))) for i in range(12)], "no Custom/Other data mixed in"
    assert results["avg"]["Label"] == "average blocked" and results["avg"]["Values"][0] == 2.0
    assert results["mx"]["Values"][-1] == 59.0 and results["mn"]["Values"][0] == 0.0
    assert results["n"]["Values"] == [60.0] and results["ato"]["Values"] == [60.0]
    assert results["ddos"]["Values"] == [9.8e8, 9.8e8] and results["ddos"]["Timestamps"][0] == start + dt.timedelta(minutes=5)
    assert results["none"]["Values"] == [] and results["none"]["Timestamps"] == [], "dimensions match as a whole set"

    descending = cw.get_metric_data(MetricDataQueries=queries[:1], StartTime=start, EndTime=start + dt.timedelta(hours=1))
    assert descending["MetricDataResults"][0]["Values"] == list(reversed(blocked["Values"])), "TimestampDescending by default"

    pages = list(cw.get_paginator("get_metric_data").paginate(
        MetricDataQueries=queries[:2], StartTime=start, EndTime=start + dt.timedelta(hours=1), ScanBy="TimestampAscending",
        MaxDatapoints=10))
    assert len(pages) == 3
    assert [(r["Id"], len(r["Values"]), r["StatusCode"]) for r in pages[0]["MetricDataResults"]] == \
        [("blocked", 10, "PartialData"), ("avg", 0, "PartialData")]
    assert [(r["Id"], len(r["Values"]), r["StatusCode"]) for r in pages[1]["MetricDataResults"]] == \
        [("blocked", 2, "Complete"), ("avg", 8, "PartialData")]
    assert [(r["Id"], len(r["Values"]), r["StatusCode"]) for r in pages[2]["MetricDataResults"]] == [("avg", 4, "Complete")]
    assert error(cw.get_metric_data, MetricDataQueries=queries[:1], StartTime=start, EndTime=start + dt.timedelta(hours=1),
                 NextToken="bogus") == ("InvalidNextToken", 400)

    too_many = [stat_query(f"q{i}", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Sum") for i in range(501)]
    assert error(cw.get_metric_data, MetricDataQueries=too_many, StartTime=start, EndTime=start + dt.timedelta(hours=1)) == \
        ("ValidationError", 400)
    assert len(cw.get_metric_data(MetricDataQueries=too_many[:500], StartTime=start,
                                  EndTime=start + dt.timedelta(hours=1))["MetricDataResults"]) == 500
    for bad in ([stat_query("Upper", "A", "B", [], "Sum")], [stat_query("a", "A", "B", [], "Sum", period=90)],
                [stat_query("a", "A", "B", [], "Sum")] * 2, [stat_query("a", "A", "B", [], "Median")]):
        assert error(cw.get_metric_data, MetricDataQueries=bad, StartTime=start, EndTime=start + dt.timedelta(hours=1)) == \
            ("ValidationError", 400)


def test_cloudwatch_list_metrics_once_each():
    cw = client("cloudwatch")
    put_edge_metrics(cw, hour_start())
    waf = cw.list_metrics(Namespace="AWS/WAFV2")["Metrics"]
    assert len(waf) == 6, "each metric once, not once a datum"
    assert {m["MetricName"] for m in waf} == {"AllowedRequests", "BlockedRequests", "CaptchaRequests", "ChallengeRequests", "CountedRequests"}
    labels = cw.list_metrics(Namespace="AWS/WAFV2", Dimensions=[{"Name": "LabelNamespace"}])["Metrics"]
    assert [m["Dimensions"] for m in labels] == [LABEL_DIMS]
    ddos = cw.list_metrics(Namespace="AWS/DDoSProtection", Dimensions=DDOS_DIMS, RecentlyActive="PT3H")["Metrics"]
    assert sorted(m["MetricName"] for m in ddos) == ["DDoSAttackBitsPerSecond", "DDoSAttackPacketsPerSecond",
                                                     "DDoSAttackRequestsPerSecond", "DDoSDetected"]
    linked = cw.list_metrics(Namespace="AWS/DDoSProtection", IncludeLinkedAccounts=True)
    assert linked["OwningAccounts"] == ["123456789012"] * 4
    assert error(cw.list_metrics, NextToken="bogus") == ("InvalidParameterValue", 400)
    cw.put_metric_data(Namespace="Many", MetricData=[{"MetricName": f"m{i}", "Value": 1.0} for i in range(501)][:500])
    cw.put_metric_data(Namespace="Many", MetricData=[{"MetricName": "zz", "Value": 1.0}])
    pages = list(cw.get_paginator("list_metrics").paginate(Namespace="Many"))
    assert [len(p["Metrics"]) for p in pages] == [500, 1]


def cbor_request(operation, body, region="us-east-1", gzip_body=False):
    """A Smithy RPC v2 CBOR call as the AWS SDK for Rust sends it: POST
    /service/GraniteServiceVersion20100801/operation/<Op>, smithy-protocol, CBOR body, SigV4 for
    `monitoring`. Answers (status, headers, raw body)."""
    data = cbor2.dumps(body)
    headers = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor",
               "x-amzn-query-mode": "true"}
    if gzip_body:
        data = gzip.compress(data)
        headers["Content-Encoding"] = "gzip"
    request = AWSRequest(method="POST", url=f"{ENDPOINT}/service/GraniteServiceVersion20100801/operation/{operation}",
                         data=data, headers=headers)
    SigV4Auth(Credentials("testing", "testing"), "monitoring", region).add_auth(request)
    http = urllib.request.Request(request.url, data=data, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(http) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_cloudwatch_rpc_v2_cbor_as_the_rust_sdk_sends_it():
    cw = client("cloudwatch")
    start = hour_start()
    put_edge_metrics(cw, start)
    epoch = lambda d: cbor2.CBORTag(1, d.timestamp())  # noqa: E731
    query = {"MetricDataQueries": [stat_query("blocked", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Sum"),
                                   stat_query("ddos", "AWS/DDoSProtection", "DDoSDetected", DDOS_DIMS, "Sum", period=60)],
             "StartTime": epoch(start), "EndTime": epoch(start + dt.timedelta(hours=1)), "ScanBy": "TimestampAscending"}
    status, headers, raw = cbor_request("GetMetricData", query)
    assert status == 200
    assert headers["smithy-protocol"] == "rpc-v2-cbor" and headers["Content-Type"] == "application/cbor"
    assert b"\xc1\xfb" in raw, "timestamps are tag 1 around a float64 (the Rust SDK reads them with f64())"
    answer = cbor2.loads(raw)
    blocked, ddos = answer["MetricDataResults"]
    assert blocked["Id"] == "blocked" and blocked["Label"] == "BlockedRequests" and blocked["StatusCode"] == "Complete"
    assert all(isinstance(t, dt.datetime) for t in blocked["Timestamps"])
    assert blocked["Timestamps"][0] == start and len(blocked["Timestamps"]) == 12
    assert all(isinstance(v, float) for v in blocked["Values"]) and blocked["Values"][0] == 10.0
    assert ddos["Values"] == [1.0, 1.0] and "NextToken" not in answer

    # Seeded through CBOR (gzip, as the Rust SDK compresses PutMetricData), read through boto3.
    status, headers, raw = cbor_request("PutMetricData", {"Namespace": "AWS/WAFV2", "MetricData": [
        {"MetricName": "ChallengeRequests", "Dimensions": [{"Name": "WebACL", "Value": "cbor"}, {"Name": "Rule", "Value": "ALL"},
                                                           {"Name": "Region", "Value": "us-east-1"}],
         "Timestamp": epoch(start + dt.timedelta(minutes=1)), "Value": 7.0}]}, gzip_body=True)
    assert status == 200 and headers["smithy-protocol"] == "rpc-v2-cbor" and cbor2.loads(raw) == {}
    got = cw.get_metric_data(MetricDataQueries=[stat_query("c", "AWS/WAFV2", "ChallengeRequests",
                                                           [{"Name": "WebACL", "Value": "cbor"}, {"Name": "Rule", "Value": "ALL"},
                                                            {"Name": "Region", "Value": "us-east-1"}], "Sum")],
                             StartTime=start, EndTime=start + dt.timedelta(hours=1))
    assert got["MetricDataResults"][0]["Values"] == [7.0]

    status, headers, raw = cbor_request("ListMetrics", {"Namespace": "AWS/DDoSProtection"})
    assert status == 200 and len(cbor2.loads(raw)["Metrics"]) == 4

    too_many = dict(query, MetricDataQueries=[stat_query(f"q{i}", "AWS/WAFV2", "BlockedRequests", WAF_DIMS, "Sum") for i in range(501)])
    status, headers, raw = cbor_request("GetMetricData", too_many)
    assert status == 400 and headers["smithy-protocol"] == "rpc-v2-cbor" and headers["x-amzn-query-error"] == "ValidationError;Sender"
    assert cbor2.loads(raw)["__type"].endswith("#ValidationException") and cbor2.loads(raw)["message"]
    status, headers, raw = cbor_request("GetMetricData", dict(query, NextToken="bogus"))
    assert status == 400 and headers["x-amzn-query-error"] == "InvalidNextToken;Sender"
    status, _, raw = cbor_request("NoSuchOperation", {})
    assert status == 404 and cbor2.loads(raw)["__type"].endswith("#UnknownOperationException")


def protocol_session(protocol):
    """A boto3 session whose CloudWatch model offers only `protocol` (smithy-rpc-v2-cbor: botocore's own
    RPC v2 CBOR serializer and parser, and its response validation, talk to the server)."""
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    load = loader.load_service_model

    def cbor_only(service_name, type_name, api_version=None):
        model = load(service_name, type_name, api_version)
        if service_name == "cloudwatch" and type_name == "service-2":
            model = copy.deepcopy(model)
            model["metadata"]["protocols"] = [protocol]
            model["metadata"]["protocol"] = protocol
        return model

    loader.load_service_model = cbor_only
    return boto3.Session(botocore_session=session)


def test_cloudwatch_botocore_cbor_client():
    cw = client("cloudwatch", session=protocol_session("smithy-rpc-v2-cbor"))
    assert cw.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
    start = hour_start()
    cw.put_metric_data(Namespace="AWS/DDoSProtection", MetricData=[
        {"MetricName": "DDoSAttackRequestsPerSecond", "Dimensions": DDOS_DIMS, "Timestamp": start + dt.timedelta(minutes=m),
         "Value": 100.0 * m} for m in range(10)])
    got = cw.get_metric_data(MetricDataQueries=[stat_query("rps", "AWS/DDoSProtection", "DDoSAttackRequestsPerSecond", DDOS_DIMS,
                                                           "Maximum")],
                             StartTime=start, EndTime=start + dt.timedelta(hours=1), ScanBy="TimestampAscending")
    result = got["MetricDataResults"][0]
    assert result["Values"] == [400.0, 900.0] and result["Timestamps"] == [start, start + dt.timedelta(minutes=5)]
    assert cw.list_metrics(Namespace="AWS/DDoSProtection")["Metrics"] == [
        {"Namespace": "AWS/DDoSProtection", "MetricName": "DDoSAttackRequestsPerSecond", "Dimensions": DDOS_DIMS}]
    assert error(cw.get_metric_data, MetricDataQueries=[], StartTime=start + dt.timedelta(hours=1), EndTime=start) == \
        ("ValidationError", 400)
    query = client("cloudwatch", session=protocol_session("query"))
    assert query.get_metric_data(MetricDataQueries=[stat_query("rps", "AWS/DDoSProtection", "DDoSAttackRequestsPerSecond",
                                                               DDOS_DIMS, "Sum", period=3600)],
                                 StartTime=start, EndTime=start + dt.timedelta(hours=1))["MetricDataResults"][0]["Values"] == [4500.0]
