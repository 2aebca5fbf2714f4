"""Security Hub's OCSF (V2) operations on the Vigil moto server, through boto3: botocore parses every
answer against the service model. Runs against the server tests/run started (VIGIL_MOTO_ENDPOINT)
and resets it before each test. The two sample findings are the README's."""

import copy
import datetime as dt
import json
import os
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("VIGIL_MOTO_ENDPOINT", "")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="needs the moto server from tests/run")
MANAGEMENT = "123456789012"


@pytest.fixture(autouse=True)
def reset():
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()


def client(region="us-east-1", account=None):
    c = boto3.client("securityhub", endpoint_url=ENDPOINT, region_name=region,
                     aws_access_key_id="testing", aws_secret_access_key="testing")
    if account:
        c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c


def error_of(call):
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]


def seed(findings, account=None, region=None):
    body = {"findings": findings}
    if account:
        body["account"] = account
    if region:
        body["region"] = region
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/vigil/securityhub-v2-findings", data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read())


def iso(days_ago=0.0):
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# The README's samples: a GuardDuty finding as Security Hub shows it, and an exposure finding in the
# user guide's format ("Sample exposure finding").
GUARDDUTY = {
    "activity_id": 1, "activity_name": "Create", "category_name": "Findings", "category_uid": 2,
    "class_name": "Detection Finding", "class_uid": 2004, "type_name": "Detection Finding: Create", "type_uid": 200401,
    "cloud": {"account": {"uid": "123456789012"}, "provider": "AWS", "region": "us-east-1"},
    "evidences": [{"src_endpoint": {"ip": "198.51.100.7", "port": 40123, "location": {"country": "NL"}},
                   "dst_endpoint": {"ip": "10.0.1.25", "port": 22},
                   "connection_info": {"direction": "Inbound", "protocol_name": "TCP"}}],
    "finding_info": {
        "created_time_dt": "2026-11-20T08:00:00.000Z", "first_seen_time_dt": "2026-11-20T07:58:12.000Z",
        "last_seen_time_dt": "2026-11-20T08:00:00.000Z", "modified_time_dt": "2026-11-20T08:00:00.000Z",
        "desc": "198.51.100.7 is performing SSH brute force attacks against i-0abcd1234ef567890.",
        "title": "198.51.100.7 is performing SSH brute force attacks against i-0abcd1234ef567890.",
        "types": ["UnauthorizedAccess:EC2/SSHBruteForce"],
        "uid": "arn:aws:guardduty:us-east-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d",
    },
    "metadata": {"product": {"name": "GuardDuty", "uid": "arn:aws:securityhub:us-east-1::productv2/aws/guardduty", "vendor_name": "AWS"},
                 "profiles": ["cloud", "datetime"], "version": "1.6.0"},
    "resources": [{"cloud_partition": "aws", "owner": {"account": {"uid": "123456789012"}}, "region": "us-east-1",
                   "tags": [{"name": "env", "value": "prod"}], "type": "AWS::EC2::Instance", "uid": "i-0abcd1234ef567890"}],
    "severity": "High", "severity_id": 4, "status": "New", "status_id": 1, "time_dt": "2026-11-20T08:00:00.000Z",
    "vendor_attributes": {"severity": "High", "severity_id": 4},
}
EXPOSURE = {
    "activity_id": 1, "activity_name": "Create", "category_name": "Findings", "category_uid": 2,
    "class_name": "Detection Finding", "class_uid": 2004, "type_name": "Detection Finding: Create", "type_uid": 200401,
    "cloud": {"account": {"uid": "123456789012"}, "cloud_partition": "aws", "provider": "AWS", "region": "us-east-1"},
    "finding_info": {
        "analytic": {"name": "Exposure", "type": "Rule", "type_id": 1, "uid": "0.0.1"},
        "created_time_dt": "2026-11-21T21:39:26.337Z", "modified_time_dt": "2026-11-21T21:39:26.337Z",
        "desc": "Publicly invocable Lambda function executed outside of VPC has vulnerability with known exploit that can be exploited from remote network",
        "title": "Publicly invocable Lambda function executed outside of VPC has vulnerability with known exploit that can be exploited from remote network",
        "types": ["Exposure/Potential Impact/Resource Hijacking"],
        "uid": "arn:aws:securityhub:us-east-1:123456789012:risk:1234f781c7ae7507f01e2fb460f15ca8fe7f9c95e257698a092cb74a4ea84a42",
        "related_events_count": 2,
        "related_events": [
            {"tags": [{"name": "Vulnerability", "values": ["Exploit Available", "Attack Vector Network"]}],
             "product": {"uid": "arn:aws:securityhub:us-east-1::productv2/aws/inspector"},
             "observables": [{"type": "Resource UID", "type_id": 10, "value": "arn:aws:lambda:us-east-1:123456789012:function:application-function"}],
             "type": "Finding", "title": "CVE-2023-33246 - org.apache.rocketmq:rocketmq-controller",
             "uid": "arn:aws:inspector2:us-east-1:123456789012:finding/1234567890abcdef0"},
            {"tags": [{"name": "Reachability", "values": ["Publicly Invocable"]}],
             "product": {"uid": "arn:aws:securityhub:us-east-1::productv2/aws/securityhub"},
             "observables": [{"type": "Resource UID", "type_id": 10, "value": "arn:aws:lambda:us-east-1:123456789012:function:application-function"}],
             "type": "Finding", "title": "Lambda function policies should prohibit public access",
             "uid": "arn:aws:securityhub:us-east-1:123456789012:security-control/Lambda.1/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLEaaaaa"},
        ],
    },
    "metadata": {"product": {"name": "Security Hub Exposure Analysis", "uid": "arn:aws:securityhub:us-east-1::productv2/aws/securityhub-risk",
                             "vendor_name": "Amazon"}, "profiles": ["cloud", "datetime"], "version": "1.4.0-dev"},
    "resources": [{"cloud_partition": "aws", "region": "us-east-1", "type": "AwsLambdaFunction",
                   "tags": [{"name": "aws:cloudformation:stack-name", "value": "LambdaProdStack"}],
                   "uid": "arn:aws:lambda:us-east-1:123456789012:function:application-function"}],
    "severity": "Critical", "severity_id": 5, "status": "New", "status_id": 1, "time_dt": "2026-11-21T21:39:26.337Z",
    "vendor_attributes": {"severity": "Critical", "severity_id": 5},
}


def finding(i, **extra):
    """Test finding i: severity_id i % 6, created i days ago, product inspector (even) or guardduty (odd)."""
    product = "inspector" if i % 2 == 0 else "guardduty"
    doc = {
        "class_name": "Vulnerability Finding" if i % 2 == 0 else "Detection Finding", "activity_name": "Create",
        "finding_info": {"uid": f"f-{i}", "title": f"Finding number {i} on host-{i}", "types": [f"Type/{i % 3}"],
                         "created_time_dt": iso(i), "modified_time_dt": iso(i)},
        "metadata": {"product": {"name": product.title(), "uid": f"arn:aws:securityhub:us-east-1::productv2/aws/{product}"}},
        "resources": [{"uid": f"i-{i:04d}", "type": "AWS::EC2::Instance", "tags": [{"name": "team", "value": "blue" if i < 3 else "red"}]}],
        "severity_id": i % 6, "status_id": 1,
        "vulnerabilities": [{"is_exploit_available": i % 2 == 0, "cve": {"uid": f"CVE-2026-{i:04d}", "cvss": [{"base_score": float(i)}]}}],
        "evidences": [{"src_endpoint": {"ip": f"203.0.113.{i}"}}],
    }
    doc.update(extra)
    return doc


def ids(findings):
    return sorted(f["finding_info"]["uid"] for f in findings)


def sfilter(field, comparison, value):
    return {"FieldName": field, "Filter": {"Comparison": comparison, "Value": value}}


# --------------------------------------------------------------------------------------------


def test_hub_v2_enable_describe_disable_per_region():
    sh = client()
    assert error_of(sh.describe_security_hub_v2) == ("ResourceNotFoundException", 404)
    assert error_of(sh.get_findings_v2) == ("AccessDeniedException", 403)
    arn = sh.enable_security_hub_v2(Tags={"team": "sec"})["HubV2Arn"]
    assert arn.startswith("arn:aws:securityhub:us-east-1:123456789012:hubv2/")
    assert sh.enable_security_hub_v2()["HubV2Arn"] == arn
    described = sh.describe_security_hub_v2()
    assert described["HubV2Arn"] == arn and described["SubscribedAt"].endswith("Z")
    assert error_of(client("eu-west-1").describe_security_hub_v2) == ("ResourceNotFoundException", 404)
    sh.disable_security_hub_v2()
    sh.disable_security_hub_v2()
    assert error_of(sh.describe_security_hub_v2) == ("ResourceNotFoundException", 404)


def test_seeding_fills_identifiers_and_answers_documents_as_given():
    sh = client()
    sh.enable_security_hub_v2()
    answer = seed([GUARDDUTY, EXPOSURE, {"finding_info": {"uid": "bare"}, "severity_id": 2, "status_id": 3}])
    assert answer["count"] == 3 and len(set(answer["metadata_uids"])) == 3
    assert seed([GUARDDUTY])["metadata_uids"][0] == answer["metadata_uids"][0]  # same identity: replaced
    found = sh.get_findings_v2()["Findings"]
    assert len(found) == 3
    assert {k: v for k, v in found[0].items() if k != "metadata"} == {k: v for k, v in GUARDDUTY.items() if k != "metadata"}
    assert found[0]["metadata"]["uid"] == answer["metadata_uids"][0]
    assert found[0]["severity_id"] == 4 and isinstance(found[0]["severity_id"], int)
    bare = found[2]
    assert bare["cloud"] == {"account": {"uid": MANAGEMENT}, "region": "us-east-1"}
    assert (bare["severity"], bare["status"]) == ("Low", "Suppressed")
    with pytest.raises(urllib.error.HTTPError) as err:
        seed(["not an object"])
    assert err.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as err:
        seed([GUARDDUTY], region="xx-nowhere-1")
    assert err.value.code == 400


def test_string_filters_each_comparison_and_composite_operators():
    sh = client()
    sh.enable_security_hub_v2()
    seed([finding(i) for i in range(6)])

    def get(filters):
        return ids(sh.get_findings_v2(Filters=filters)["Findings"])

    assert get({"CompositeFilters": [{"StringFilters": [sfilter("finding_info.uid", "EQUALS", "f-2")]}]}) == ["f-2"]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("resources.uid", "PREFIX", "i-000")]}]}) == [f"f-{i}" for i in range(6)]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("metadata.product.name", "NOT_EQUALS", "Inspector")]}]}) == ["f-1", "f-3", "f-5"]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("finding_info.types", "PREFIX_NOT_EQUALS", "Type/0")]}]}) == ["f-1", "f-2", "f-4", "f-5"]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("finding_info.title", "CONTAINS", "host-4")]}]}) == ["f-4"]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("finding_info.title", "NOT_CONTAINS", "number")]}]}) == []
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("finding_info.title", "CONTAINS_WORD", "NUMBER 3")]}]}) == ["f-3"]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("vulnerabilities.cve.uid", "EQUALS", "CVE-2026-0005")]}]}) == ["f-5"]
    assert get({"CompositeFilters": [{"StringFilters": [sfilter("cloud.account.uid", "EQUALS", MANAGEMENT)]}]}) == [f"f-{i}" for i in range(6)]
    two = [sfilter("finding_info.uid", "EQUALS", "f-1"), sfilter("finding_info.uid", "EQUALS", "f-4")]
    assert get({"CompositeFilters": [{"StringFilters": two, "Operator": "OR"}]}) == ["f-1", "f-4"]
    assert get({"CompositeFilters": [{"StringFilters": two}]}) == []  # Operator defaults to AND
    odd = {"StringFilters": [sfilter("metadata.product.name", "EQUALS", "Guardduty")]}
    late = {"NumberFilters": [{"FieldName": "severity_id", "Filter": {"Gte": 4}}]}
    assert get({"CompositeFilters": [odd, late], "CompositeOperator": "AND"}) == ["f-5"]
    assert get({"CompositeFilters": [odd, late], "CompositeOperator": "OR"}) == ["f-1", "f-3", "f-4", "f-5"]
    nested = {"StringFilters": [sfilter("class_name", "EQUALS", "Vulnerability Finding")], "Operator": "AND",
              "NestedCompositeFilters": [{"Operator": "OR", "StringFilters": [sfilter("finding_info.uid", "EQUALS", "f-0"),
                                                                                sfilter("finding_info.uid", "EQUALS", "f-3")]}]}
    assert get({"CompositeFilters": [nested]}) == ["f-0"]


def test_date_number_boolean_map_ip_filters():
    sh = client()
    sh.enable_security_hub_v2()
    seed([finding(i) for i in range(6)] + [finding(40)])

    def get(composite):
        return ids(sh.get_findings_v2(Filters={"CompositeFilters": [composite]})["Findings"])

    within = {"DateFilters": [{"FieldName": "finding_info.created_time_dt", "Filter": {"DateRange": {"Value": 3, "Unit": "DAYS"}}}]}
    assert get(within) == ["f-0", "f-1", "f-2"]
    older = {"DateFilters": [{"FieldName": "finding_info.created_time_dt",
                              "Filter": {"DateRange": {"Value": 30, "Unit": "DAYS", "Comparison": "OLDER_THAN"}}}]}
    assert get(older) == ["f-40"]
    window = {"DateFilters": [{"FieldName": "finding_info.modified_time_dt", "Filter": {"Start": iso(4.5), "End": iso(1.5)}}]}
    assert get(window) == ["f-2", "f-3", "f-4"]
    assert get({"NumberFilters": [{"FieldName": "vulnerabilities.cve.cvss.base_score", "Filter": {"Gt": 1, "Lte": 3}}]}) == ["f-2", "f-3"]
    assert get({"NumberFilters": [{"FieldName": "severity_id", "Filter": {"Eq": 0}}]}) == ["f-0"]
    assert get({"BooleanFilters": [{"FieldName": "vulnerabilities.is_exploit_available", "Filter": {"Value": False}}]}) == ["f-1", "f-3", "f-5"]
    tag = {"FieldName": "resources.tags", "Filter": {"Key": "team", "Value": "blue", "Comparison": "EQUALS"}}
    assert get({"MapFilters": [tag]}) == ["f-0", "f-1", "f-2"]
    assert get({"MapFilters": [dict(tag, Filter=dict(tag["Filter"], Comparison="NOT_EQUALS"))]}) == ["f-3", "f-4", "f-40", "f-5"]
    assert get({"MapFilters": [dict(tag, Filter={"Key": "team", "Value": "e", "Comparison": "CONTAINS"})]}) == ["f-0", "f-1", "f-2", "f-3", "f-4", "f-40", "f-5"]
    assert get({"IpFilters": [{"FieldName": "evidences.src_endpoint.ip", "Filter": {"Cidr": "203.0.113.0/30"}}]}) == ["f-0", "f-1", "f-2", "f-3"]


def test_filters_this_server_or_aws_refuses_are_validation_errors():
    sh = client()
    sh.enable_security_hub_v2()
    bad = [
        {"CompositeFilters": [{"StringFilters": [sfilter("no.such.field", "EQUALS", "x")]}]},
        {"CompositeFilters": [{}] * 11},
        {"CompositeFilters": [{"StringFilters": [sfilter("finding_info.uid", "EQUALS", "x")] * 21}]},
        {"CompositeFilters": [{"DateFilters": [{"FieldName": "finding_info.created_time_dt",
                                                "Filter": {"Start": iso(1), "DateRange": {"Value": 1, "Unit": "DAYS"}}}]}]},
        {"CompositeFilters": [{"DateFilters": [{"FieldName": "finding_info.created_time_dt", "Filter": {"Start": "yesterday"}}]}]},
        {"CompositeFilters": [{"NumberFilters": [{"FieldName": "severity_id", "Filter": {}}]}]},
        {"CompositeFilters": [{"NestedCompositeFilters": [{"NestedCompositeFilters": [{}]}]}]},
    ]
    for filters in bad:
        assert error_of(lambda: sh.get_findings_v2(Filters=filters)) == ("ValidationException", 400), filters


def test_sort_and_paging():
    sh = client()
    sh.enable_security_hub_v2()
    seed([finding(i) for i in range(7)])
    by_severity = sh.get_findings_v2(SortCriteria=[{"Field": "severity", "SortOrder": "desc"},
                                                   {"Field": "finding_info.created_time_dt", "SortOrder": "asc"}])["Findings"]
    assert [f["finding_info"]["uid"] for f in by_severity] == ["f-5", "f-4", "f-3", "f-2", "f-1", "f-6", "f-0"]
    newest = sh.get_findings_v2(SortCriteria=[{"Field": "finding_info.created_time_dt", "SortOrder": "desc"}])["Findings"]
    assert [f["finding_info"]["uid"] for f in newest] == [f"f-{i}" for i in range(7)]
    pages = list(sh.get_paginator("get_findings_v2").paginate(
        SortCriteria=[{"Field": "finding_info.uid", "SortOrder": "asc"}], PaginationConfig={"PageSize": 3}))
    assert [ids(p["Findings"]) for p in pages] == [["f-0", "f-1", "f-2"], ["f-3", "f-4", "f-5"], ["f-6"]]
    assert error_of(lambda: sh.get_findings_v2(NextToken="not-ours")) == ("ValidationException", 400)
    token = sh.get_findings_v2(MaxResults=2)["NextToken"]
    assert error_of(lambda: sh.get_findings_trends_v2(StartTime=iso(3), EndTime=iso(0), NextToken=token)) == ("ValidationException", 400)


def test_statistics_group_by():
    sh = client()
    sh.enable_security_hub_v2()
    seed([finding(i) for i in range(6)] + [EXPOSURE])
    answer = sh.get_finding_statistics_v2(GroupByRules=[
        {"GroupByField": "metadata.product.name"},
        {"GroupByField": "finding_info.types",
         "Filters": {"CompositeFilters": [{"StringFilters": [sfilter("class_name", "EQUALS", "Vulnerability Finding")]}]}},
        {"GroupByField": "finding_info.related_events.traits.category"},
    ], SortOrder="desc", MaxStatisticResults=2)["GroupByResults"]
    assert answer[0] == {"GroupByField": "metadata.product.name", "GroupByValues": [{"FieldValue": "Guardduty", "Count": 3},
                                                                                    {"FieldValue": "Inspector", "Count": 3}]}
    assert answer[1]["GroupByValues"] == [{"FieldValue": "Type/0", "Count": 1}, {"FieldValue": "Type/1", "Count": 1}]
    assert answer[2]["GroupByValues"] == [{"FieldValue": "Reachability", "Count": 1}, {"FieldValue": "Vulnerability", "Count": 1}]
    ascending = sh.get_finding_statistics_v2(GroupByRules=[{"GroupByField": "severity"}], SortOrder="asc")["GroupByResults"]
    assert ascending[0]["GroupByValues"][0] == {"FieldValue": "High", "Count": 1}  # ties by value
    assert ascending[0]["GroupByValues"][-1] == {"FieldValue": "Critical", "Count": 2}
    assert error_of(lambda: sh.get_finding_statistics_v2(GroupByRules=[{"GroupByField": "not.a.field"}])) == ("ValidationException", 400)
    assert error_of(lambda: sh.get_finding_statistics_v2(GroupByRules=[{"GroupByField": "severity"}] * 6)) == ("ValidationException", 400)


def test_trends_count_findings_present_at_each_point():
    sh = client()
    sh.enable_security_hub_v2()
    midnight = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)

    def at(days, hours=0):
        return (midnight - dt.timedelta(days=days) + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    old, new, closed = finding(1), finding(3), finding(4, activity_name="Close")
    old["finding_info"]["created_time_dt"] = at(10)
    new["finding_info"]["created_time_dt"] = at(3, 1)
    closed["finding_info"].update(created_time_dt=at(5, 1), modified_time_dt=at(2, 1))
    seed([old, new, closed])
    answer = sh.get_findings_trends_v2(StartTime=at(6, 2), EndTime=dt.datetime.now(dt.timezone.utc))
    assert answer["Granularity"] == "Daily"
    points = answer["TrendsMetrics"]
    assert [p["Timestamp"] for p in points] == [midnight - dt.timedelta(days=6 - i) for i in range(7)]
    # Each point counts the findings present at the end of its day: created, and not yet closed.
    assert [sum(p["TrendsValues"]["SeverityTrends"].values()) for p in points] == [1, 2, 2, 3, 2, 2, 2]
    assert points[3]["TrendsValues"]["SeverityTrends"] == {"Unknown": 0, "Informational": 1, "Low": 0, "Medium": 1,
                                                           "High": 1, "Critical": 0, "Fatal": 0, "Other": 0}
    filtered = sh.get_findings_trends_v2(StartTime=at(1), EndTime=at(0), Filters={"CompositeFilters": [
        {"StringFilters": [{"FieldName": "finding_provider", "Filter": {"Value": "Guardduty", "Comparison": "EQUALS"}}]}]})
    assert sum(filtered["TrendsMetrics"][-1]["TrendsValues"]["SeverityTrends"].values()) == 2
    assert sh.get_findings_trends_v2(StartTime=iso(60), EndTime=iso(0))["Granularity"] == "Weekly"
    assert sh.get_findings_trends_v2(StartTime=iso(400), EndTime=iso(0))["Granularity"] == "Monthly"
    pages = list(sh.get_paginator("get_findings_trends_v2").paginate(StartTime=at(9), EndTime=at(0), PaginationConfig={"PageSize": 4}))
    assert [len(p["TrendsMetrics"]) for p in pages] == [4, 4, 2]
    assert error_of(lambda: sh.get_findings_trends_v2(StartTime=iso(0), EndTime=iso(3))) == ("ValidationException", 400)


def test_batch_update_processed_unprocessed_and_limits():
    sh = client()
    sh.enable_security_hub_v2()
    uids = seed([GUARDDUTY, EXPOSURE])["metadata_uids"]
    answer = sh.batch_update_findings_v2(MetadataUids=[uids[0], "nope"], StatusId=4, SeverityId=2, Comment="Known scanner")
    assert answer["ProcessedFindings"] == [{"MetadataUid": uids[0]}]
    assert answer["UnprocessedFindings"] == [{"MetadataUid": "nope", "ErrorCode": "ResourceNotFoundException",
                                              "ErrorMessage": "The finding was not found"}]
    got = sh.get_findings_v2(Filters={"CompositeFilters": [{"StringFilters": [sfilter("metadata.uid", "EQUALS", uids[0])]}]})["Findings"][0]
    assert (got["status_id"], got["status"], got["severity_id"], got["severity"], got["comment"]) == (4, "Resolved", 2, "Low", "Known scanner")
    assert got["finding_info"]["modified_time_dt"] == GUARDDUTY["finding_info"]["modified_time_dt"]  # left alone, as AWS does
    assert got["vendor_attributes"] == GUARDDUTY["vendor_attributes"]
    ident = {"CloudAccountUid": MANAGEMENT, "FindingInfoUid": EXPOSURE["finding_info"]["uid"],
             "MetadataProductUid": EXPOSURE["metadata"]["product"]["uid"]}
    missing = dict(ident, FindingInfoUid="other")
    answer = sh.batch_update_findings_v2(FindingIdentifiers=[ident, missing], StatusId=3)
    assert answer["ProcessedFindings"] == [{"FindingIdentifier": ident}]
    assert answer["UnprocessedFindings"][0]["FindingIdentifier"] == missing
    twice = sh.batch_update_findings_v2(MetadataUids=[uids[1], uids[1]], StatusId=2)
    assert [u["ErrorCode"] for u in twice["UnprocessedFindings"]] == ["ValidationException"] * 2
    for call in (lambda: sh.batch_update_findings_v2(MetadataUids=[uids[0]], Comment="x" * 513),
                 lambda: sh.batch_update_findings_v2(MetadataUids=[uids[0]], StatusId=7),
                 lambda: sh.batch_update_findings_v2(MetadataUids=[uids[0]], SeverityId=42),
                 lambda: sh.batch_update_findings_v2(MetadataUids=[uids[0]]),
                 lambda: sh.batch_update_findings_v2(MetadataUids=[uids[0]], FindingIdentifiers=[ident], StatusId=1)):
        assert error_of(call) == ("ValidationException", 400)
    assert sh.batch_update_findings_v2(MetadataUids=[uids[0]], Comment="y" * 512)["ProcessedFindings"]


def test_exposure_sample_filters_by_analytic_and_trait():
    sh = client()
    sh.enable_security_hub_v2()
    seed([GUARDDUTY, EXPOSURE])
    exposures = sh.get_findings_v2(Filters={"CompositeFilters": [{"StringFilters": [
        sfilter("finding_info.analytic.name", "EQUALS", "Exposure"),
        sfilter("finding_info.related_events.traits.category", "EQUALS", "Reachability")]}]})["Findings"]
    assert [f["finding_info"]["uid"] for f in exposures] == [EXPOSURE["finding_info"]["uid"]]
    assert exposures[0]["finding_info"]["related_events"][0]["tags"][0]["name"] == "Vulnerability"
    related = {"NumberFilters": [{"FieldName": "finding_info.related_events_count", "Filter": {"Gte": 2}}]}
    assert len(sh.get_findings_v2(Filters={"CompositeFilters": [related]})["Findings"]) == 1


def test_connectors_and_tickets():
    sh = client()
    sh.enable_security_hub_v2()
    uid = seed([GUARDDUTY])["metadata_uids"][0]
    jira = sh.create_connector_v2(Name="jira", Provider={"JiraCloud": {"ProjectKey": "SEC"}}, ClientToken="tok-1")
    assert jira["ConnectorStatus"] == "PENDING_AUTHORIZATION" and "state=" in jira["AuthUrl"]
    assert jira["ConnectorArn"].endswith(":connectorv2/" + jira["ConnectorId"])
    assert sh.create_connector_v2(Name="jira", Provider={"JiraCloud": {"ProjectKey": "SEC"}}, ClientToken="tok-1")["ConnectorId"] == jira["ConnectorId"]
    assert error_of(lambda: sh.create_connector_v2(Name="jira", Provider={"JiraCloud": {"ProjectKey": "X"}})) == ("ConflictException", 409)
    assert error_of(lambda: sh.create_ticket_v2(ConnectorId=jira["ConnectorId"], FindingMetadataUid=uid)) == ("ConflictException", 409)
    state = jira["AuthUrl"].split("state=")[1]
    assert sh.register_connector_v2(AuthCode="code", AuthState=state)["ConnectorId"] == jira["ConnectorId"]
    got = sh.get_connector_v2(ConnectorId=jira["ConnectorId"])
    assert got["Health"]["ConnectorStatus"] == "CONNECTED"
    assert got["ProviderDetail"]["JiraCloud"]["ProjectKey"] == "SEC" and got["ProviderDetail"]["JiraCloud"]["AuthStatus"] == "ACTIVE"
    snow = sh.create_connector_v2(Name="snow", Description="ITSM", Provider={"ServiceNow": {
        "InstanceName": "acme", "SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:snow-AbCdEf"}})
    assert snow["ConnectorStatus"] == "CONNECTED" and "AuthUrl" not in snow
    listed = sh.list_connectors_v2()["Connectors"]
    assert [c["Name"] for c in listed] == ["jira", "snow"]
    assert listed[1]["ProviderSummary"]["ProviderConfiguration"]["ServiceNow"]["InstanceName"] == "acme"
    assert [c["Name"] for c in sh.list_connectors_v2(ProviderName="SERVICENOW")["Connectors"]] == ["snow"]
    ticket = sh.create_ticket_v2(ConnectorId=jira["ConnectorId"], FindingMetadataUid=uid, ClientToken="t-1")
    assert ticket["TicketId"] == "SEC-1" and ticket["TicketSrcUrl"].endswith("/browse/SEC-1")
    assert sh.create_ticket_v2(ConnectorId=jira["ConnectorId"], FindingMetadataUid=uid, ClientToken="t-1")["TicketId"] == "SEC-1"
    assert sh.create_ticket_v2(ConnectorId=snow["ConnectorId"], FindingMetadataUid="any", Mode="DRYRUN")["TicketId"] == "INC0000001"
    assert error_of(lambda: sh.create_ticket_v2(ConnectorId=snow["ConnectorId"], FindingMetadataUid="unknown")) == ("ResourceNotFoundException", 404)
    assert error_of(lambda: sh.create_ticket_v2(ConnectorId="no-such", FindingMetadataUid=uid)) == ("ResourceNotFoundException", 404)
    tickets = json.loads(urllib.request.urlopen(f"{ENDPOINT}/moto-api/vigil/securityhub-v2-tickets").read())["tickets"]
    assert [(t["TicketId"], t["FindingMetadataUid"], t.get("Mode")) for t in tickets] == [("SEC-1", uid, None), ("INC0000001", "any", "DRYRUN")]
    sh.delete_connector_v2(ConnectorId=snow["ConnectorId"])
    assert error_of(lambda: sh.get_connector_v2(ConnectorId=snow["ConnectorId"])) == ("ResourceNotFoundException", 404)


def test_aggregator_v2_reads_linked_regions_in_its_home_region():
    east, west = client(), client("eu-west-1")
    east.enable_security_hub_v2()
    west.enable_security_hub_v2()
    seed([finding(1)])
    seed([finding(2)], region="eu-west-1")
    seed([finding(3)], region="ap-southeast-2")
    aggregator = east.create_aggregator_v2(RegionLinkingMode="SPECIFIED_REGIONS", LinkedRegions=["eu-west-1"])
    assert aggregator["AggregationRegion"] == "us-east-1" and ":aggregatorv2/" in aggregator["AggregatorV2Arn"]
    assert ids(east.get_findings_v2()["Findings"]) == ["f-1", "f-2"]
    assert ids(west.get_findings_v2()["Findings"]) == ["f-2"]
    assert west.list_aggregators_v2()["AggregatorsV2"] == [{"AggregatorV2Arn": aggregator["AggregatorV2Arn"]}]
    assert error_of(lambda: east.create_aggregator_v2(RegionLinkingMode="SPECIFIED_REGIONS", LinkedRegions=["eu-west-1"])) == ("ConflictException", 409)
    east.update_aggregator_v2(AggregatorV2Arn=aggregator["AggregatorV2Arn"], RegionLinkingMode="ALL_REGIONS")
    assert ids(east.get_findings_v2()["Findings"]) == ["f-1", "f-2", "f-3"]
    assert east.get_aggregator_v2(AggregatorV2Arn=aggregator["AggregatorV2Arn"])["RegionLinkingMode"] == "ALL_REGIONS"
    assert error_of(lambda: west.delete_aggregator_v2(AggregatorV2Arn=aggregator["AggregatorV2Arn"])) == ("ValidationException", 400)
    east.delete_aggregator_v2(AggregatorV2Arn=aggregator["AggregatorV2Arn"])
    assert error_of(lambda: east.get_aggregator_v2(AggregatorV2Arn=aggregator["AggregatorV2Arn"])) == ("ResourceNotFoundException", 404)


def test_organisation_scope_for_the_delegated_administrator():
    org = boto3.client("organizations", endpoint_url=ENDPOINT, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    org.create_organization(FeatureSet="ALL")
    org_id = org.describe_organization()["Organization"]["Id"]
    root = org.list_roots()["Roots"][0]["Id"]
    prod_ou = org.create_organizational_unit(ParentId=root, Name="prod")["OrganizationalUnit"]["Id"]
    inner_ou = org.create_organizational_unit(ParentId=prod_ou, Name="inner")["OrganizationalUnit"]["Id"]
    admin = org.create_account(AccountName="security", Email="sec@example.com")["CreateAccountStatus"]["AccountId"]
    prod = org.create_account(AccountName="prod", Email="prod@example.com")["CreateAccountStatus"]["AccountId"]
    deep = org.create_account(AccountName="deep", Email="deep@example.com")["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=prod, SourceParentId=root, DestinationParentId=prod_ou)
    org.move_account(AccountId=deep, SourceParentId=root, DestinationParentId=inner_ou)
    client().enable_organization_admin_account(AdminAccountId=admin, Feature="SecurityHubV2")
    for i, account in enumerate((MANAGEMENT, admin, prod, deep)):
        client(account=account).enable_security_hub_v2()
        seed([finding(i, cloud={"account": {"uid": account}, "region": "us-east-1"})], account=account)

    sec = client(account=admin)
    assert ids(sec.get_findings_v2()["Findings"]) == ["f-0", "f-1", "f-2", "f-3"]
    assert ids(sec.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationId": org_id}]})["Findings"]) == ["f-0", "f-1", "f-2", "f-3"]
    assert ids(sec.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationalUnitId": prod_ou}]})["Findings"]) == ["f-2", "f-3"]
    assert ids(sec.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationId": org_id, "OrganizationalUnitId": inner_ou}]})["Findings"]) == ["f-3"]
    stats = sec.get_finding_statistics_v2(GroupByRules=[{"GroupByField": "cloud.account.uid"}],
                                          Scopes={"AwsOrganizations": [{"OrganizationalUnitId": prod_ou}]})["GroupByResults"][0]
    assert sorted(v["FieldValue"] for v in stats["GroupByValues"]) == sorted([prod, deep])
    assert error_of(lambda: sec.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationId": "o-aaaaaaaaaa"}]})) == ("OrganizationNotFoundException", 400)
    assert error_of(lambda: sec.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationalUnitId": "ou-zzzz-zzzzzzzz"}]})) == ("OrganizationalUnitNotFoundException", 400)
    assert error_of(lambda: sec.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationId": org_id}, {"OrganizationalUnitId": prod_ou}]})) == ("ValidationException", 400)
    member_uid = sec.get_findings_v2(Filters={"CompositeFilters": [{"StringFilters": [sfilter("cloud.account.uid", "EQUALS", prod)]}]})["Findings"][0]["metadata"]["uid"]
    assert sec.batch_update_findings_v2(MetadataUids=[member_uid], StatusId=2)["ProcessedFindings"]

    for account in (MANAGEMENT, prod):
        member = client(account=account)
        assert len(member.get_findings_v2()["Findings"]) == 1
        assert error_of(lambda: member.get_findings_v2(Scopes={"AwsOrganizations": [{"OrganizationId": org_id}]})) == ("AccessDeniedException", 403)
    assert client(account=prod).get_findings_v2()["Findings"][0]["status"] == "In Progress"
