"""The moto extension checked through boto3: botocore parses every response against the AWS service
model, so a wrong field name or type fails here. Runs against the server tests/run started
(VIGIL_MOTO_ENDPOINT) and resets it before each test."""

import json
import os
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

ENDPOINT = os.environ.get("VIGIL_MOTO_ENDPOINT", "")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="needs the moto server from tests/run")


@pytest.fixture(autouse=True)
def reset():
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()


def client(service, region="us-east-1"):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def test_guardduty_findings_list_get_archive_and_feedback():
    gd = client("guardduty")
    detector = gd.create_detector(Enable=True)["DetectorId"]
    types = ["UnauthorizedAccess:EC2/SSHBruteForce", "CryptoCurrency:EC2/BitcoinTool.B!DNS", "Discovery:S3/MaliciousIPCaller"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=types)
    ids = gd.list_findings(DetectorId=detector)["FindingIds"]
    assert len(ids) == 3
    findings = gd.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]
    assert {f["Type"] for f in findings} == set(types)
    assert all(f["Arn"].endswith("/finding/" + f["Id"]) for f in findings)
    high = gd.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"severity": {"GreaterThanOrEqual": 7}}})["FindingIds"]
    assert len(high) == 1
    gd.archive_findings(DetectorId=detector, FindingIds=high)
    open_ids = gd.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"service.archived": {"Equals": ["false"]}}})["FindingIds"]
    assert set(open_ids) == set(ids) - set(high)
    gd.unarchive_findings(DetectorId=detector, FindingIds=high)
    gd.update_findings_feedback(DetectorId=detector, FindingIds=high, Feedback="USEFUL")
    got = gd.get_findings(DetectorId=detector, FindingIds=high)["Findings"][0]
    assert got["Service"]["Archived"] is False


def test_guardduty_limits_and_paging():
    gd = client("guardduty")
    detector = gd.create_detector(Enable=True)["DetectorId"]
    for _ in range(6):
        gd.create_sample_findings(DetectorId=detector, FindingTypes=["Recon:EC2/PortProbeUnprotectedPort"] * 10)
    pages = list(gd.get_paginator("list_findings").paginate(DetectorId=detector, PaginationConfig={"PageSize": 50}))
    assert [len(p["FindingIds"]) for p in pages] == [50, 10]
    with pytest.raises(ClientError) as err:
        gd.get_findings(DetectorId=detector, FindingIds=[p for page in pages for p in page["FindingIds"]])
    assert err.value.response["Error"]["Code"] == "BadRequestException"


def asff(i, **extra):
    finding = {
        "SchemaVersion": "2018-10-08", "Id": f"finding-{i}", "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/inspector",
        "GeneratorId": "g", "AwsAccountId": "123456789012", "Types": ["Software and Configuration Checks"],
        "CreatedAt": f"2026-11-{10 + i:02d}T00:00:00.000Z", "UpdatedAt": f"2026-11-{10 + i:02d}T00:00:00.000Z",
        "Severity": {"Label": ["LOW", "MEDIUM", "HIGH", "CRITICAL"][i % 4], "Normalized": [10, 40, 70, 90][i % 4]},
        "Title": f"finding {i}", "Description": "d", "Resources": [{"Type": "Other", "Id": f"r{i}"}],
        "Workflow": {"Status": "NEW"}, "RecordState": "ACTIVE",
    }
    finding.update(extra)
    return finding


def test_securityhub_get_findings_honours_filters_and_sort():
    sh = client("securityhub")
    with pytest.raises(ClientError) as err:
        sh.get_findings()
    assert err.value.response["Error"]["Code"] == "InvalidAccessException"
    sh.enable_security_hub(EnableDefaultStandards=False)
    sh.batch_import_findings(Findings=[asff(i) for i in range(8)] + [asff(8, Workflow={"Status": "RESOLVED"}), asff(9, RecordState="ARCHIVED")])
    open_only = sh.get_findings(Filters={
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        "WorkflowStatus": [{"Value": "RESOLVED", "Comparison": "NOT_EQUALS"}, {"Value": "SUPPRESSED", "Comparison": "NOT_EQUALS"}],
    })["Findings"]
    assert len(open_only) == 8
    updated = sh.get_findings(Filters={"UpdatedAt": [{"Start": "2026-11-15T00:00:00Z", "End": "2026-12-31T00:00:00Z"}]})["Findings"]
    assert sorted(f["Id"] for f in updated) == [f"finding-{i}" for i in range(5, 10)]
    ordered = sh.get_findings(SortCriteria=[{"Field": "SeverityNormalized", "SortOrder": "desc"}], MaxResults=3)
    assert [f["Severity"]["Normalized"] for f in ordered["Findings"]] == [90, 90, 70]
    assert ordered["NextToken"]


def test_securityhub_standards_controls_and_batch_update():
    sh = client("securityhub")
    sh.enable_security_hub(EnableDefaultStandards=False)
    standards = sh.describe_standards()["Standards"]
    fsbp = next(s["StandardsArn"] for s in standards if "foundational" in s["StandardsArn"])
    sh.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": fsbp}])
    assert [s["StandardsArn"] for s in sh.get_enabled_standards()["StandardsSubscriptions"]] == [fsbp]
    definitions = sh.list_security_control_definitions(StandardsArn=fsbp)["SecurityControlDefinitions"]
    assert {"S3.1", "IAM.1"} <= {d["SecurityControlId"] for d in definitions}
    sh.batch_update_standards_control_associations(StandardsControlAssociationUpdates=[
        {"StandardsArn": fsbp, "SecurityControlId": "S3.1", "AssociationStatus": "DISABLED", "UpdatedReason": "test"}])
    got = sh.batch_get_standards_control_associations(StandardsControlAssociationIds=[
        {"SecurityControlId": "S3.1", "StandardsArn": fsbp}, {"SecurityControlId": "Nope.1", "StandardsArn": fsbp}])
    assert got["StandardsControlAssociationDetails"][0]["AssociationStatus"] == "DISABLED"
    assert got["UnprocessedAssociations"][0]["ErrorCode"] == "RESOURCE_NOT_FOUND"

    sh.batch_import_findings(Findings=[asff(1)])
    arn = "arn:aws:securityhub:us-east-1::product/aws/inspector"
    out = sh.batch_update_findings(FindingIdentifiers=[{"Id": "finding-1", "ProductArn": arn}, {"Id": "missing", "ProductArn": arn}],
                                   Workflow={"Status": "NOTIFIED"}, Note={"Text": "paged on-call", "UpdatedBy": "vigil"})
    assert len(out["ProcessedFindings"]) == 1 and out["UnprocessedFindings"][0]["FindingIdentifier"]["Id"] == "missing"
    finding = sh.get_findings()["Findings"][0]
    assert finding["Workflow"]["Status"] == "NOTIFIED" and finding["Note"]["Text"] == "paged on-call"
    assert finding["UpdatedAt"] == asff(1)["UpdatedAt"], "BatchUpdateFindings leaves UpdatedAt alone"
    assert sh.list_finding_aggregators()["FindingAggregators"] == []


def test_cognito_auth_events_need_threat_protection():
    idp = client("cognito-idp")
    plain = idp.create_user_pool(PoolName="plain")["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=plain, Username="u")
    with pytest.raises(ClientError) as err:
        idp.admin_list_user_auth_events(UserPoolId=plain, Username="u")
    assert err.value.response["Error"]["Code"] == "UserPoolAddOnNotEnabledException"

    pool = idp.create_user_pool(PoolName="p", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})["UserPool"]["Id"]
    idp.admin_create_user(UserPoolId=pool, Username="alice")
    body = json.dumps({"Region": "us-east-1", "UserPoolId": pool, "Username": "alice", "AuthEvents": [
        {"EventType": "SignIn", "CreationDate": 1764000000 + i, "EventResponse": "Pass",
         "EventRisk": {"RiskLevel": "High", "RiskDecision": "AccountTakeover", "CompromisedCredentialsDetected": False},
         "EventContextData": {"IpAddress": "198.51.100.7", "City": "Lima", "Country": "Peru"}} for i in range(70)]}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/vigil/cognito-auth-events", data=body, method="POST",
                                                  headers={"Content-Type": "application/json"})).read()
    first = idp.admin_list_user_auth_events(UserPoolId=pool, Username="alice")
    assert len(first["AuthEvents"]) == 60 and first["NextToken"]
    assert first["AuthEvents"][0]["EventRisk"]["RiskLevel"] == "High"
    rest = idp.admin_list_user_auth_events(UserPoolId=pool, Username="alice", NextToken=first["NextToken"])
    assert len(rest["AuthEvents"]) == 10
