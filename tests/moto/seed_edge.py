"""The shop's front door for the Edge pane's moto tests: Shield Advanced with protections, a group and
two attacks (one going on), a regional web ACL in us-east-1 running Fraud Control ATP and a
rate-based rule in front of the storefront's load balancer (protected), the checkout's (not) and an API
stage (which Shield protects only through CloudFront), logging, rate-based
blocks, sampled requests (carrying a cookie Vigil must never keep), an IP set to block in, and the
last hour's WAF metrics. Attacks and samples go through the extension's /moto-api/vigil/ endpoints
in Shield's and WAF's own shapes; the rest through the AWS APIs with boto3.

seed.py calls seed_edge(); tests call put_metrics() again before reading, since the metrics are the
last hour's and the seed may be older than that when a test runs.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"
ALB = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/storefront/50dc6c495c0c9188"
CHECKOUT = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/checkout/7a1b2c3d4e5f6a7b"
STAGE = f"arn:aws:apigateway:{REGION}::/restapis/shop01/stages/prod"
CDN = f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1PXMP22ZVFAOR"
ACL = "storefront"
ATTACKER = "198.51.100.5"
RATE_BLOCKED = "203.0.113.9"
SAMPLED = "192.0.2.44"
COOKIE = "session=never-keep-this-cookie"
ALREADY_BLOCKED = "192.0.2.250/32"
VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}
RULES = [
    {"Name": "AWSManagedRulesATPRuleSet", "Priority": 0, "OverrideAction": {"None": {}},
     "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesATPRuleSet",
                                                 "ManagedRuleGroupConfigs": [{"AWSManagedRulesATPRuleSet": {
                                                     "LoginPath": "/api/login",
                                                     "RequestInspection": {"PayloadType": "JSON",
                                                                           "UsernameField": {"Identifier": "/username"},
                                                                           "PasswordField": {"Identifier": "/password"}}}}]}},
     "VisibilityConfig": {**VISIBILITY, "MetricName": "atp"}},
    {"Name": "per-ip", "Priority": 1, "Action": {"Block": {}},
     "Statement": {"RateBasedStatement": {"Limit": 500, "EvaluationWindowSec": 300, "AggregateKeyType": "IP"}},
     "VisibilityConfig": {**VISIBILITY, "MetricName": "per-ip"}},
]


def client(endpoint: str, service: str, region: str = REGION):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def post(endpoint: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"{endpoint}/moto-api/vigil/{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def attack(resource: str, start: dt.datetime, end: dt.datetime | None) -> dict:
    detail = {
        "ResourceArn": resource, "StartTime": iso(start),
        "SubResources": [{"Type": "URL", "Id": "/checkout", "AttackVectors": [
            {"VectorType": "REQUEST_FLOOD", "VectorCounters": [
                {"Name": "REQUEST_FLOOD_RPS", "Max": 48000.0, "Average": 21000.0, "Sum": 252000.0, "N": 12, "Unit": "RPS"}]}],
            "Counters": []}],
        "AttackCounters": [{"Name": "SYN_FLOOD_BPS", "Max": 9.8e8, "Average": 4.0e8, "Sum": 4.8e9, "N": 12, "Unit": "BPS"}],
        "AttackProperties": [{"AttackLayer": "LAYER_7", "AttackPropertyIdentifier": "SOURCE_IP_ADDRESS",
                              "TopContributors": [{"Name": ATTACKER, "Value": 180000}], "Unit": "REQUESTS", "Total": 252000}],
        "Mitigations": [{"MitigationName": "APPLICATION_LAYER_AUTOMATIC_RESPONSE"}],
    }
    if end is not None:
        detail["EndTime"] = iso(end)
    return detail


def put_metrics(endpoint: str) -> None:
    """The web ACL's last hour: blocked requests climbing, steady allowed ones, the rate-based
    rule's blocks and ATP's compromised-credential label, one datum a minute up to now."""
    cw = client(endpoint, "cloudwatch")
    now = dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0)
    acl = [{"Name": "WebACL", "Value": ACL}, {"Name": "Region", "Value": REGION}]
    data = []
    for minute in range(1, 50):
        when = now - dt.timedelta(minutes=minute) + dt.timedelta(seconds=5)
        data += [
            {"MetricName": "AllowedRequests", "Dimensions": acl + [{"Name": "Rule", "Value": "ALL"}], "Timestamp": when, "Value": 900.0},
            {"MetricName": "BlockedRequests", "Dimensions": acl + [{"Name": "Rule", "Value": "ALL"}], "Timestamp": when,
             "Value": float(100 - minute)},
            {"MetricName": "BlockedRequests", "Dimensions": acl + [{"Name": "Rule", "Value": "per-ip"}], "Timestamp": when, "Value": 40.0},
            {"MetricName": "BlockedRequests", "Dimensions": acl + [{"Name": "LabelNamespace", "Value": "awswaf:managed:aws:atp:signal"},
                                                                  {"Name": "Label", "Value": "credential_compromised"}],
             "Timestamp": when, "Value": 2.0},
        ]
    for i in range(0, len(data), 500):
        cw.put_metric_data(Namespace="AWS/WAFV2", MetricData=data[i:i + 500])


def ip_set(endpoint: str, name: str, addresses: list[str]) -> str:
    """A regional IP set in us-east-1 of the tests' own; answers its ARN."""
    waf = client(endpoint, "wafv2")
    return waf.create_ip_set(Name=name, Scope="REGIONAL", IPAddressVersion="IPV4", Addresses=addresses)["Summary"]["ARN"]


def ip_set_addresses(endpoint: str, arn: str) -> list[str]:
    name, set_id = arn.rsplit("/", 2)[-2:]
    got = client(endpoint, "wafv2").get_ip_set(Name=name, Scope="REGIONAL", Id=set_id)
    return sorted(got["IPSet"]["Addresses"])


def seed_edge(endpoint: str, expect: dict) -> None:
    shield = client(endpoint, "shield")
    shield.create_subscription()
    alb_protection = shield.create_protection(Name="storefront-alb", ResourceArn=ALB)["ProtectionId"]
    shield.create_protection(Name="storefront-cdn", ResourceArn=CDN)
    shield.create_protection_group(ProtectionGroupId="storefront", Aggregation="SUM", Pattern="ARBITRARY",
                                   Members=[ALB, CDN])
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    ids = post(endpoint, "shield-attacks", {"attacks": [
        attack(ALB, now - dt.timedelta(minutes=20), None),
        attack(CDN, now - dt.timedelta(hours=5), now - dt.timedelta(hours=4)),
    ]})["attack_ids"]

    waf = client(endpoint, "wafv2")
    summary = waf.create_web_acl(Name=ACL, Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=RULES,
                                 VisibilityConfig={**VISIBILITY, "MetricName": ACL})["Summary"]
    waf.associate_web_acl(WebACLArn=summary["ARN"], ResourceArn=ALB)
    waf.associate_web_acl(WebACLArn=summary["ARN"], ResourceArn=CHECKOUT)
    waf.associate_web_acl(WebACLArn=summary["ARN"], ResourceArn=STAGE)
    log_group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:aws-waf-logs-{ACL}"
    waf.put_logging_configuration(LoggingConfiguration={"ResourceArn": summary["ARN"], "LogDestinationConfigs": [log_group]})
    post(endpoint, "wafv2-rate-based-keys", {"web_acl_arn": summary["ARN"], "rule_name": "per-ip",
                                             "ipv4": [f"{RATE_BLOCKED}/32"]})
    post(endpoint, "wafv2-sampled-requests", {"web_acl_arn": summary["ARN"], "rule_metric_name": "per-ip", "requests": [
        {"Request": {"ClientIP": SAMPLED, "Country": "NL", "URI": "/api/login", "Method": "POST", "HTTPVersion": "HTTP/2.0",
                     "Headers": [{"Name": "Host", "Value": "shop.example.com"}, {"Name": "Cookie", "Value": COOKIE}]},
         "Weight": 3, "Timestamp": iso(now - dt.timedelta(minutes=15)), "Action": "BLOCK", "ResponseCodeSent": 403}]})
    block_list = ip_set(endpoint, "vigil-blocklist", [ALREADY_BLOCKED])
    put_metrics(endpoint)
    expect["edge"] = {
        "region": REGION, "web_acl": ACL, "web_acl_arn": summary["ARN"], "alb": ALB, "checkout": CHECKOUT, "stage": STAGE, "cdn": CDN,
        "alb_protection": alb_protection, "ongoing_attack": ids[0], "ended_attack": ids[1], "attacker": ATTACKER,
        "rate_blocked": RATE_BLOCKED, "sampled": SAMPLED, "cookie": COOKIE, "log_group": log_group,
        "ip_set_arn": block_list, "already_blocked": ALREADY_BLOCKED,
    }
