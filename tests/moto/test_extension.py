"""The moto extension checked through boto3: botocore parses every response against the AWS service
model, so a wrong field name or type fails here. Runs against the server tests/run started
(VIGIL_MOTO_ENDPOINT) and resets it before each test."""

import datetime as dt
import json
import os
import re
import urllib.error
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


# --------------------------------------------------------------------------------------------
# Fidelity: what Security Hub and GuardDuty do to findings and requests, beyond storing them.

def error_of(call):
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"], err.value.response["Error"].get("Message", "")


AWS_PRODUCT_NAMES = {
    "securityhub": ("Security Hub CSPM", "AWS"), "guardduty": ("GuardDuty", "Amazon"), "inspector": ("Inspector", "Amazon"),
    "macie": ("Macie", "Amazon"), "access-analyzer": ("IAM Access Analyzer", "AWS"), "config": ("Config", "AWS"),
    "health": ("Health", "AWS"), "firewall-manager": ("Firewall Manager", "AWS"),
}


def test_securityhub_import_normalises_severity_and_names_aws_products():
    sh = client("securityhub")
    sh.enable_security_hub(EnableDefaultStandards=False)
    only_label = [asff(i, Severity={"Label": label}) for i, label in enumerate(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"])]
    only_number = [asff(10 + i, Severity={"Normalized": n}) for i, n in enumerate([0, 1, 39, 40, 69, 70, 89, 90, 100])]
    both = [asff(20, Severity={"Label": "LOW", "Normalized": 10})]
    named = [asff(30 + i, ProductArn=f"arn:aws:securityhub:us-east-1::product/aws/{p}", ProductName="Made Up", CompanyName="Made Up")
             for i, p in enumerate(AWS_PRODUCT_NAMES)]
    invalid = [asff(40, Severity={"Product": 5.0}), asff(41, Severity={"Label": "SEVERE"}), asff(42, Severity={"Normalized": 101})]
    out = sh.batch_import_findings(Findings=only_label + only_number + both + named + invalid)
    assert out["FailedCount"] == 3 and {f["Id"] for f in out["FailedFindings"]} == {"finding-40", "finding-41", "finding-42"}
    assert all(f["ErrorCode"] == "InvalidInput" for f in out["FailedFindings"])

    found = {f["Id"]: f for page in sh.get_paginator("get_findings").paginate() for f in page["Findings"]}
    assert [found[f"finding-{i}"]["Severity"]["Normalized"] for i in range(5)] == [0, 1, 40, 70, 90]
    assert [found[f"finding-{10 + i}"]["Severity"]["Label"] for i in range(9)] == [
        "INFORMATIONAL", "LOW", "LOW", "MEDIUM", "MEDIUM", "HIGH", "HIGH", "CRITICAL", "CRITICAL"]
    assert found["finding-20"]["Severity"] == {"Label": "LOW", "Normalized": 10}
    for i, (product, (name, company)) in enumerate(AWS_PRODUCT_NAMES.items()):
        assert (found[f"finding-{30 + i}"]["ProductName"], found[f"finding-{30 + i}"]["CompanyName"]) == (name, company), product
    assert found["finding-0"]["Workflow"]["Status"] == "NEW" and found["finding-0"]["WorkflowState"] == "NEW"

    # A mixture of label-only and labelled+numbered findings sorts and filters by severity.
    ordered = [f["Severity"]["Normalized"] for page in sh.get_paginator("get_findings").paginate(
        SortCriteria=[{"Field": "SeverityNormalized", "SortOrder": "desc"}]) for f in page["Findings"]]
    assert ordered == sorted(ordered, reverse=True) and len(ordered) == len(found)
    by_label = sh.get_findings(SortCriteria=[{"Field": "SeverityLabel", "SortOrder": "asc"}], MaxResults=100)["Findings"]
    assert by_label[0]["Severity"]["Label"] == "INFORMATIONAL" and by_label[-1]["Severity"]["Label"] == "CRITICAL"
    critical = sh.get_findings(Filters={"SeverityNormalized": [{"Gte": 90}]}, MaxResults=100)["Findings"]
    assert sorted(f["Id"] for f in critical) == sorted(i for i, f in found.items() if f["Severity"]["Normalized"] >= 90)
    assert {"finding-4", "finding-17", "finding-18"} <= {f["Id"] for f in critical}
    control = sh.get_findings(Filters={"ProductName": [{"Value": "Security Hub CSPM", "Comparison": "EQUALS"}]})["Findings"]
    assert [f["Id"] for f in control] == ["finding-30"]
    assert sh.get_findings(Filters={"ProductName": [{"Value": "Security Hub", "Comparison": "EQUALS"}]})["Findings"] == []



def test_securityhub_import_sets_region_to_the_importing_region():
    """AwsSecurityFinding.Region: "Security Hub CSPM populates this attribute automatically for each
    finding. You cannot update it using BatchImportFindings"."""
    sh = client("securityhub", "eu-west-1")
    sh.enable_security_hub(EnableDefaultStandards=False)
    assert sh.batch_import_findings(Findings=[asff(0), asff(1, Region="us-east-1")])["FailedCount"] == 0
    assert {f["Id"]: f["Region"] for f in sh.get_findings()["Findings"]} == {"finding-0": "eu-west-1", "finding-1": "eu-west-1"}

def test_securityhub_batch_update_findings_as_aws_does():
    sh = client("securityhub")
    sh.enable_security_hub(EnableDefaultStandards=False)
    sh.batch_import_findings(Findings=[asff(1), asff(2), asff(3)])
    arn = asff(1)["ProductArn"]
    one, two, three = ({"Id": f"finding-{i}", "ProductArn": arn} for i in (1, 2, 3))

    sh.batch_update_findings(FindingIdentifiers=[one], Severity={"Label": "CRITICAL"}, Workflow={"Status": "SUPPRESSED"})
    sh.batch_update_findings(FindingIdentifiers=[two], Severity={"Normalized": 45})
    found = {f["Id"]: f for f in sh.get_findings()["Findings"]}
    assert found["finding-1"]["Severity"]["Normalized"] == 90 and found["finding-1"]["Severity"]["Label"] == "CRITICAL"
    assert found["finding-2"]["Severity"]["Label"] == "MEDIUM" and found["finding-2"]["Severity"]["Normalized"] == 45
    assert found["finding-1"]["Workflow"]["Status"] == "SUPPRESSED"
    assert found["finding-1"]["WorkflowState"] in ("NEW", "ASSIGNED", "IN_PROGRESS", "DEFERRED", "RESOLVED")
    # A provider's update that omits Workflow keeps the triage (defaults are for new findings only).
    update = asff(1, Title="finding 1 again")
    del update["Workflow"], update["RecordState"]
    assert sh.batch_import_findings(Findings=[update])["FailedCount"] == 0
    again = next(f for f in sh.get_findings()["Findings"] if f["Id"] == "finding-1")
    assert again["Workflow"]["Status"] == "SUPPRESSED" and again["Title"] == "finding 1 again"

    out = sh.batch_update_findings(FindingIdentifiers=[one, three, one], Workflow={"Status": "NOTIFIED"})
    assert out["ProcessedFindings"] == [three]
    assert [(u["FindingIdentifier"], u["ErrorCode"]) for u in out["UnprocessedFindings"]] == [
        (one, "DuplicatedFindingIdentifier"), (one, "DuplicatedFindingIdentifier")]

    sh.batch_update_findings(FindingIdentifiers=[three], Note={"Text": "x" * 512, "UpdatedBy": "vigil"})
    code, status, _ = error_of(lambda: sh.batch_update_findings(FindingIdentifiers=[three], Note={"Text": "x" * 513, "UpdatedBy": "vigil"}))
    assert (code, status) == ("InvalidInputException", 400)
    code, status, _ = error_of(lambda: sh.batch_update_findings(FindingIdentifiers=[three], Workflow={"Status": "DONE"}))
    assert (code, status) == ("InvalidInputException", 400)


def test_securityhub_automation_rules_create_list_get_delete_and_apply_to_imports():
    sh = client("securityhub")
    sh.enable_security_hub(EnableDefaultStandards=False)
    sh.batch_import_findings(Findings=[asff(1)])
    criteria = {"ProductArn": [{"Value": asff(1)["ProductArn"], "Comparison": "EQUALS"}],
                "ResourceId": [{"Value": asff(1)["Resources"][0]["Id"], "Comparison": "EQUALS"}]}
    update = {"Workflow": {"Status": "SUPPRESSED"}, "Note": {"Text": "accepted risk", "UpdatedBy": "vigil"}}
    arn = sh.create_automation_rule(RuleOrder=1000, RuleName="vigil: like finding-1", Description="accepted risk",
                                    Criteria=criteria, Actions=[{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": update}])["RuleArn"]
    assert arn.startswith("arn:aws:securityhub:us-east-1:123456789012:automation-rule/")
    listed = sh.list_automation_rules()["AutomationRulesMetadata"]
    assert [(r["RuleArn"], r["RuleStatus"], r["RuleName"]) for r in listed] == [(arn, "ENABLED", "vigil: like finding-1")]
    assert sh.batch_get_automation_rules(AutomationRulesArns=[arn])["Rules"][0]["Criteria"] == criteria
    # What is there already stays; what is imported (new or updated) meets the rule.
    assert next(f for f in sh.get_findings()["Findings"])["Workflow"]["Status"] == "NEW"
    sh.batch_import_findings(Findings=[asff(1, Title="again"), asff(2, Resources=[{"Type": "Other", "Id": "elsewhere"}])])
    by_id = {f["Id"]: f for f in sh.get_findings()["Findings"]}
    assert by_id["finding-1"]["Workflow"]["Status"] == "SUPPRESSED" and by_id["finding-1"]["Note"]["Text"] == "accepted risk"
    assert by_id["finding-2"]["Workflow"]["Status"] == "NEW"
    code, status, _ = error_of(lambda: sh.create_automation_rule(RuleOrder=1001, RuleName="x", Description="x",
                                                                 Criteria=criteria, Actions=[{"Type": "FINDING_FIELDS_UPDATE", "FindingFieldsUpdate": update}]))
    assert (code, status) == ("InvalidInputException", 400)
    out = sh.batch_delete_automation_rules(AutomationRulesArns=[arn, arn + "0"])
    assert out["ProcessedAutomationRules"] == [arn]
    assert [u["RuleArn"] for u in out["UnprocessedAutomationRules"]] == [arn + "0"]
    assert sh.list_automation_rules()["AutomationRulesMetadata"] == []


def test_invalid_next_token_is_a_400():
    sh = client("securityhub")
    sh.enable_security_hub(EnableDefaultStandards=False)
    sh.batch_import_findings(Findings=[asff(i) for i in range(3)])
    assert error_of(lambda: sh.get_findings(NextToken="not-a-token"))[:2] == ("InvalidInputException", 400)
    gd = client("guardduty")
    detector = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=detector)
    assert error_of(lambda: gd.list_findings(DetectorId=detector, NextToken="not-a-token"))[:2] == ("BadRequestException", 400)
    assert error_of(lambda: gd.list_members(DetectorId=detector, NextToken="not-a-token"))[:2] == ("BadRequestException", 400)
    assert error_of(lambda: gd.list_invitations(NextToken="not-a-token"))[:2] == ("BadRequestException", 400)


def test_guardduty_feedback_takes_at_most_50_ids():
    gd = client("guardduty")
    detector = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["Recon:EC2/PortProbeUnprotectedPort"] * 51)
    ids = [i for page in gd.get_paginator("list_findings").paginate(DetectorId=detector) for i in page["FindingIds"]]
    assert len(ids) == 51
    assert error_of(lambda: gd.update_findings_feedback(DetectorId=detector, FindingIds=ids, Feedback="USEFUL"))[:2] == ("BadRequestException", 400)
    gd.update_findings_feedback(DetectorId=detector, FindingIds=ids[:50], Feedback="NOT_USEFUL")
    assert gd.get_findings(DetectorId=detector, FindingIds=ids[:1])["Findings"][0]["Service"]["UserFeedback"] == "NOT_USEFUL"


def test_securityhub_filter_rules_date_ranges_and_number_bounds():
    import datetime as dt

    sh = client("securityhub")
    sh.enable_security_hub(EnableDefaultStandards=False)

    def days_ago(n):
        return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    sh.batch_import_findings(Findings=[asff(i, UpdatedAt=days_ago([1, 3, 10, 30][i])) for i in range(4)])
    eq = {"Value": "NEW", "Comparison": "EQUALS"}
    for other in ("NOT_EQUALS", "PREFIX_NOT_EQUALS"):
        code, status, message = error_of(lambda: sh.get_findings(Filters={"WorkflowStatus": [eq, {"Value": "RESOLVED", "Comparison": other}]}))
        assert (code, status) == ("InvalidInputException", 400) and "EQUALS" in message
    assert error_of(lambda: sh.get_findings(Filters={"Title": [{"Value": "a", "Comparison": "CONTAINS"}, {"Value": "b", "Comparison": "PREFIX"}]}))[0] == "InvalidInputException"
    assert error_of(lambda: sh.get_findings(Filters={"Title": [{"Value": "a", "Comparison": "CONTAINS"}, {"Value": "b", "Comparison": "NOT_CONTAINS"}]}))[0] == "InvalidInputException"
    # PREFIX may be combined with the negations; EQUALS values on one field are ORed.
    mixed = sh.get_findings(Filters={"Title": [{"Value": "finding", "Comparison": "PREFIX"}, {"Value": "finding 2", "Comparison": "NOT_EQUALS"}]})["Findings"]
    assert sorted(f["Id"] for f in mixed) == ["finding-0", "finding-1", "finding-3"]
    assert len(sh.get_findings(Filters={"Id": [{"Value": "finding-0", "Comparison": "EQUALS"}, {"Value": "finding-3", "Comparison": "EQUALS"}]})["Findings"]) == 2
    assert [f["Id"] for f in sh.get_findings(Filters={"Title": [{"Value": "FINDING 3", "Comparison": "CONTAINS_WORD"}]})["Findings"]] == ["finding-3"]

    def ids(filters):
        return sorted(f["Id"] for f in sh.get_findings(Filters=filters)["Findings"])

    assert ids({"UpdatedAt": [{"DateRange": {"Value": 7, "Unit": "DAYS"}}]}) == ["finding-0", "finding-1"]
    assert ids({"UpdatedAt": [{"DateRange": {"Value": 7, "Unit": "DAYS", "Comparison": "WITHIN"}}]}) == ["finding-0", "finding-1"]
    assert ids({"UpdatedAt": [{"DateRange": {"Value": 7, "Unit": "DAYS", "Comparison": "OLDER_THAN"}}]}) == ["finding-2", "finding-3"]
    assert ids({"UpdatedAt": [{"Start": days_ago(20), "End": days_ago(2)}]}) == ["finding-1", "finding-2"]
    # asff(i) severities: 10, 40, 70, 90
    assert ids({"SeverityNormalized": [{"Gte": 40, "Lte": 70}]}) == ["finding-1", "finding-2"]
    assert ids({"SeverityNormalized": [{"Gt": 40, "Lt": 90}]}) == ["finding-2"]
    assert ids({"SeverityNormalized": [{"Eq": 90}]}) == ["finding-3"]
    assert ids({"SeverityNormalized": [{"Gt": 10}], "SeverityLabel": [{"Value": "CRITICAL", "Comparison": "NOT_EQUALS"}]}) == ["finding-1", "finding-2"]
    code, status, message = error_of(lambda: sh.get_findings(Filters={"NetworkSourcePort": [{"Eq": 22}]}))
    assert (code, status) == ("InvalidInputException", 400) and "NetworkSourcePort" in message
    assert error_of(lambda: sh.get_findings(Filters={"UpdatedAt": [{}]}))[:2] == ("InvalidInputException", 400)


MEMBER = "111122223333"


def account_client(service, account, region="us-east-1"):
    """A client acting in `account` through moto's x-moto-account-id header."""
    c = client(service, region)
    c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c


def trusting_role(account, name, trusted="123456789012", condition=None):
    """IAM role `name` in `account` whose trust policy lets `trusted` (an account id, an ARN or "*")
    call sts:AssumeRole, under `condition` if given; returns its ARN."""
    principal = f"arn:aws:iam::{trusted}:root" if trusted.isdigit() else trusted
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    trust = {"Version": "2012-10-17", "Statement": [statement]}
    return account_client("iam", account).create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def credentials_client(service, creds, region="us-east-1"):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=region, aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])


def member_client(service, region="us-east-1"):
    """Credentials of another account: a role there that trusts 123456789012, assumed through STS
    (moto maps the access key STS hands out to the role's account)."""
    try:
        role_arn = trusting_role(MEMBER, "vigil-test")
    except ClientError as e:
        if e.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        role_arn = f"arn:aws:iam::{MEMBER}:role/vigil-test"
    creds = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="vigil")["Credentials"]
    assert credentials_client("sts", creds, region).get_caller_identity()["Account"] == MEMBER
    return credentials_client(service, creds, region)


def test_guardduty_member_findings_are_archived_through_the_administrator_detector():
    admin, member = client("guardduty"), member_client("guardduty")
    admin_detector = admin.create_detector(Enable=True)["DetectorId"]
    member_detector = member.create_detector(Enable=True)["DetectorId"]
    member.create_sample_findings(DetectorId=member_detector, FindingTypes=["UnauthorizedAccess:EC2/SSHBruteForce"])
    admin.create_sample_findings(DetectorId=admin_detector, FindingTypes=["Recon:EC2/PortProbeUnprotectedPort"])

    assert admin.create_members(DetectorId=admin_detector, AccountDetails=[{"AccountId": MEMBER, "Email": "member@example.com"}])["UnprocessedAccounts"] == []
    assert admin.invite_members(DetectorId=admin_detector, AccountIds=[MEMBER])["UnprocessedAccounts"] == []
    invitation = member.list_invitations()["Invitations"][0]
    assert invitation["AccountId"] == "123456789012"
    assert admin.list_members(DetectorId=admin_detector)["Members"] == []  # OnlyAssociated by default
    member.accept_administrator_invitation(DetectorId=member_detector, AdministratorId="123456789012", InvitationId=invitation["InvitationId"])
    assert member.get_administrator_account(DetectorId=member_detector)["Administrator"]["RelationshipStatus"] == "Enabled"
    assert admin.list_members(DetectorId=admin_detector)["Members"][0]["RelationshipStatus"] == "Enabled"

    # The administrator's detector sees its own and the member's findings.
    ids = admin.list_findings(DetectorId=admin_detector)["FindingIds"]
    findings = {f["AccountId"]: f for f in admin.get_findings(DetectorId=admin_detector, FindingIds=ids)["Findings"]}
    assert set(findings) == {"123456789012", MEMBER}
    mine = findings[MEMBER]
    assert mine["Service"]["DetectorId"] == member_detector

    # The member's detector id (as found in the finding) is not the administrator's own.
    code, status, message = error_of(lambda: admin.archive_findings(DetectorId=mine["Service"]["DetectorId"], FindingIds=[mine["Id"]]))
    assert (code, status) == ("BadRequestException", 400)
    assert message == "The request is rejected because the input detectorId is not owned by the current account."
    # A member cannot archive, not even its own findings through its own detector.
    assert error_of(lambda: member.archive_findings(DetectorId=member_detector, FindingIds=[mine["Id"]]))[:2] == ("BadRequestException", 400)

    admin.archive_findings(DetectorId=admin_detector, FindingIds=[mine["Id"]])
    assert member.get_findings(DetectorId=member_detector, FindingIds=[mine["Id"]])["Findings"][0]["Service"]["Archived"] is True
    admin.unarchive_findings(DetectorId=admin_detector, FindingIds=[mine["Id"]])
    admin.update_findings_feedback(DetectorId=admin_detector, FindingIds=[mine["Id"]], Feedback="USEFUL")
    got = member.get_findings(DetectorId=member_detector, FindingIds=[mine["Id"]])["Findings"][0]
    assert got["Service"]["Archived"] is False and got["Service"]["UserFeedback"] == "USEFUL"
    # The member sees only its own findings.
    assert member.list_findings(DetectorId=member_detector)["FindingIds"] == [mine["Id"]]


AGGREGATOR_ARN = r"^arn:aws:securityhub:us-east-1:123456789012:finding-aggregator/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def test_securityhub_finding_aggregator_create_get_update_delete_and_errors():
    import re

    home, other = client("securityhub"), client("securityhub", "eu-west-1")
    assert error_of(lambda: home.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"))[:2] == ("InvalidAccessException", 401)
    home.enable_security_hub(EnableDefaultStandards=False)
    other.enable_security_hub(EnableDefaultStandards=False)
    assert home.list_finding_aggregators()["FindingAggregators"] == []

    for bad in ({"RegionLinkingMode": "SOME_REGIONS"}, {"RegionLinkingMode": "NO_REGIONS", "Regions": ["eu-west-1"]},
                {"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": ["mars-north-1"]}):
        assert error_of(lambda: home.create_finding_aggregator(**bad))[:2] == ("InvalidInputException", 400), bad

    created = home.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS", Regions=["eu-west-1", "ap-southeast-2"])
    arn = created["FindingAggregatorArn"]
    assert re.match(AGGREGATOR_ARN, arn)
    shape = {"FindingAggregatorArn": arn, "FindingAggregationRegion": "us-east-1", "RegionLinkingMode": "SPECIFIED_REGIONS",
             "Regions": ["eu-west-1", "ap-southeast-2"]}
    assert {k: v for k, v in created.items() if k != "ResponseMetadata"} == shape
    # One per account, whichever Region asks; listed and read from any Region.
    code, status, message = error_of(lambda: other.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"))
    assert (code, status) == ("InvalidInputException", 400) and arn in message
    assert error_of(lambda: home.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"))[:2] == ("InvalidInputException", 400)
    assert other.list_finding_aggregators()["FindingAggregators"] == [{"FindingAggregatorArn": arn}]
    assert {k: v for k, v in other.get_finding_aggregator(FindingAggregatorArn=arn).items() if k != "ResponseMetadata"} == shape

    # Update and delete only from the home Region.
    assert error_of(lambda: other.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="ALL_REGIONS"))[:2] == ("InvalidInputException", 400)
    assert error_of(lambda: other.delete_finding_aggregator(FindingAggregatorArn=arn))[:2] == ("InvalidInputException", 400)
    assert error_of(lambda: home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="NO_REGIONS", Regions=["eu-west-1"]))[:2] == ("InvalidInputException", 400)
    updated = home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="ALL_REGIONS_EXCEPT_SPECIFIED", Regions=["eu-west-1"])
    assert (updated["RegionLinkingMode"], updated["Regions"], updated["FindingAggregationRegion"]) == ("ALL_REGIONS_EXCEPT_SPECIFIED", ["eu-west-1"], "us-east-1")
    none = home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="NO_REGIONS")
    assert none["RegionLinkingMode"] == "NO_REGIONS" and "Regions" not in none
    assert home.get_finding_aggregator(FindingAggregatorArn=arn)["RegionLinkingMode"] == "NO_REGIONS"

    missing = arn[:-12] + "000000000000"
    assert error_of(lambda: home.get_finding_aggregator(FindingAggregatorArn=missing))[:2] == ("ResourceNotFoundException", 404)
    assert error_of(lambda: home.update_finding_aggregator(FindingAggregatorArn=missing, RegionLinkingMode="ALL_REGIONS"))[:2] == ("ResourceNotFoundException", 404)
    assert error_of(lambda: home.get_finding_aggregator(FindingAggregatorArn="not-an-arn"))[:2] == ("InvalidInputException", 400)
    assert error_of(lambda: home.list_finding_aggregators(NextToken="not-a-token"))[:2] == ("InvalidInputException", 400)

    home.delete_finding_aggregator(FindingAggregatorArn=arn)
    assert home.list_finding_aggregators()["FindingAggregators"] == []
    assert error_of(lambda: home.get_finding_aggregator(FindingAggregatorArn=arn))[:2] == ("ResourceNotFoundException", 404)
    assert error_of(lambda: home.delete_finding_aggregator(FindingAggregatorArn=arn))[:2] == ("ResourceNotFoundException", 404)
    # A new one may then be made, in another Region too.
    again = other.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
    assert again["FindingAggregationRegion"] == "eu-west-1" and "Regions" not in again
    assert home.list_finding_aggregators()["FindingAggregators"] == [{"FindingAggregatorArn": again["FindingAggregatorArn"]}]


def test_securityhub_finding_aggregator_is_per_account_and_cleared_by_reset():
    admin, member = client("securityhub"), member_client("securityhub")
    for sh in (admin, member):
        sh.enable_security_hub(EnableDefaultStandards=False)
    arn = admin.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")["FindingAggregatorArn"]
    assert member.list_finding_aggregators()["FindingAggregators"] == []
    assert error_of(lambda: member.get_finding_aggregator(FindingAggregatorArn=arn))[:2] == ("ResourceNotFoundException", 404)
    mine = member.create_finding_aggregator(RegionLinkingMode="NO_REGIONS")["FindingAggregatorArn"]
    assert f":{MEMBER}:finding-aggregator/" in mine

    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()
    admin.enable_security_hub(EnableDefaultStandards=False)
    assert admin.list_finding_aggregators()["FindingAggregators"] == []


def regional_findings(region, count, account="123456789012", sh=None):
    """`count` findings imported in `region` (ids r-<region>-<i>), Security Hub enabled there."""
    sh = sh or client("securityhub", region)
    sh.enable_security_hub(EnableDefaultStandards=False)
    findings = [asff(i, Id=f"r-{region}-{i}", AwsAccountId=account, ProductArn=f"arn:aws:securityhub:{region}::product/aws/inspector",
                     Title=f"{region} finding {i}") for i in range(count)]
    assert sh.batch_import_findings(Findings=findings)["FailedCount"] == 0
    return sorted(f["Id"] for f in findings)


def test_securityhub_get_findings_in_the_home_region_reads_the_linked_regions():
    own = regional_findings("us-east-1", 3)
    eu = regional_findings("eu-west-1", 4)
    ap = regional_findings("ap-southeast-2", 2)
    west = regional_findings("us-west-2", 1)
    regional_findings("eu-west-1", 2, MEMBER, member_client("securityhub", "eu-west-1"))  # another account: never aggregated here
    home, linked = client("securityhub"), client("securityhub", "eu-west-1")

    def ids(sh, **kwargs):
        return sorted(f["Id"] for page in sh.get_paginator("get_findings").paginate(**kwargs) for f in page["Findings"])

    assert ids(home) == own
    arn = home.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS", Regions=["eu-west-1", "ap-southeast-2"])["FindingAggregatorArn"]
    every = home.get_findings()["Findings"]
    assert sorted(f["Id"] for f in every) == sorted(own + eu + ap)
    # Each finding keeps the Region (and ProductArn) it came from.
    assert all(f["Region"] == f["Id"].split("-", 1)[1].rsplit("-", 1)[0] for f in every)
    assert all(f["ProductArn"].startswith(f"arn:aws:securityhub:{f['Region']}::") for f in every)
    assert {f["AwsAccountId"] for f in every} == {"123456789012"}
    # A linked Region still sees only its own findings.
    assert ids(linked) == eu

    # Filters, sorting and paging work on the combined set.
    assert ids(home, Filters={"Region": [{"Value": "eu-west-1", "Comparison": "EQUALS"}]}) == eu
    high = ids(home, Filters={"SeverityLabel": [{"Value": "HIGH", "Comparison": "EQUALS"}]})
    assert high == sorted(f"r-{r}-2" for r in ("us-east-1", "eu-west-1"))
    ordered = home.get_findings(SortCriteria=[{"Field": "SeverityNormalized", "SortOrder": "desc"}])["Findings"]
    assert [f["Severity"]["Normalized"] for f in ordered] == sorted((f["Severity"]["Normalized"] for f in every), reverse=True)
    pages = list(home.get_paginator("get_findings").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 5 and sorted(f["Id"] for p in pages for f in p["Findings"]) == sorted(own + eu + ap)

    home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="ALL_REGIONS_EXCEPT_SPECIFIED", Regions=["ap-southeast-2"])
    assert ids(home) == sorted(own + eu + west)
    home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="ALL_REGIONS")
    assert ids(home) == sorted(own + eu + ap + west)
    home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="NO_REGIONS")
    assert ids(home) == own
    home.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="ALL_REGIONS")
    home.delete_finding_aggregator(FindingAggregatorArn=arn)
    assert ids(home) == own


def test_reset_forgets_organisation_members():
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="dev", Email="dev@example.com")["CreateAccountStatus"]["AccountId"]
    assert account_client("organizations", member).describe_organization()["Organization"]["MasterAccountId"] == "123456789012"
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()
    # moto 5.2.5 alone answers a 500 here: it keeps the member -> management map across resets.
    assert error_of(lambda: account_client("organizations", member).describe_organization())[:2] == ("AWSOrganizationsNotInUseException", 400)
    sh = account_client("securityhub", member)
    sh.enable_security_hub(EnableDefaultStandards=False)
    assert "Administrator" not in sh.get_administrator_account()


def test_seed_org_builds_an_organisation_of_accounts_roles_and_regions(tmp_path):
    import subprocess
    import sys

    import seed_org

    out = tmp_path / "org.json"
    subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "seed_org.py"), ENDPOINT, str(out)], check=True)
    expect = json.loads(out.read_text())
    # Seeding again (as a function this time) finds and reuses everything.
    assert seed_org.seed_organization(ENDPOINT) == expect

    management, members = expect["accounts"][0], expect["accounts"][1:]
    assert management["id"] == expect["organization"]["management_account"] == "123456789012"
    assert [m["name"] for m in members] == ["dev", "prod"]
    # Organizations ListAccounts (from the management account) lists the members.
    listed = {a["Id"]: a for page in client("organizations").get_paginator("list_accounts").paginate() for a in page["Accounts"]}
    assert set(listed) == {a["id"] for a in expect["accounts"]}
    assert all(listed[m["id"]]["Name"] == m["name"] and listed[m["id"]]["Email"] == m["email"]
               and listed[m["id"]]["Status"] == "ACTIVE" for m in members)

    secret_names = {a["id"]: {r: set(names) for r, names in expect["secrets"][a["id"]].items()} for a in expect["accounts"]}
    for member in members:
        assert member["role_arn"] == f"arn:aws:iam::{member['id']}:role/VigilReadOnly"
        sts = seed_org.assume_role_client(ENDPOINT, "sts", member["role_arn"])
        assert sts.get_caller_identity()["Account"] == member["id"]
        for region in expect["regions"]:
            # Through the role, each Region of the member holds that account's secrets only.
            sm = seed_org.assume_role_client(ENDPOINT, "secretsmanager", member["role_arn"], region)
            names = {s["Name"] for page in sm.get_paginator("list_secrets").paginate() for s in page["SecretList"]}
            assert names == secret_names[member["id"]][region]
            assert all(n.startswith(f"{member['name']}/{region}/") for n in names)
            # The member has no aggregator: each Region shows its own findings, of its own account.
            sh = seed_org.assume_role_client(ENDPOINT, "securityhub", member["role_arn"], region)
            found = sh.get_findings()["Findings"]
            assert sorted(f["Id"] for f in found) == sorted(expect["findings"][member["id"]][region])
            assert {(f["AwsAccountId"], f["Region"]) for f in found} == {(member["id"], region)}
            acm = seed_org.assume_role_client(ENDPOINT, "acm", member["role_arn"], region)
            assert [c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]] == \
                [c["arn"] for c in expect["certificates"][member["id"]][region]]
        iam = seed_org.assume_role_client(ENDPOINT, "iam", member["role_arn"])
        assert {"VigilReadOnly", "OrganizationAccountAccessRole"} <= {r["RoleName"] for r in iam.list_roles()["Roles"]}

    # The management account reads its own Regions in its home Region, through the aggregator.
    home = client("securityhub", expect["home_region"])
    aggregator = home.get_finding_aggregator(FindingAggregatorArn=expect["aggregator"]["arn"])
    assert (aggregator["RegionLinkingMode"], aggregator["Regions"]) == ("SPECIFIED_REGIONS", ["eu-north-1", "ap-northeast-1"])
    found = [f for page in home.get_paginator("get_findings").paginate() for f in page["Findings"]]
    assert sorted(f["Id"] for f in found) == expect["aggregated_finding_ids"]
    assert {f["Region"] for f in found} == set(expect["regions"])
    assert {f["AwsAccountId"] for f in found} == {"123456789012"}


def test_seed_org_leaves_the_main_seed_alone(tmp_path):
    import subprocess
    import sys

    import seed_org

    here = os.path.dirname(__file__)
    subprocess.run([sys.executable, os.path.join(here, "seed.py"), ENDPOINT, str(tmp_path / "expect.json")], check=True)
    regions = {"us-east-1": None, "eu-west-1": None, "ap-southeast-2": None}

    def count(region):
        sh = client("securityhub", region)
        return sum(len(p["Findings"]) for p in sh.get_paginator("get_findings").paginate(PaginationConfig={"PageSize": 100}))

    def guardduty():
        gd = client("guardduty")
        return {d: sorted(i for page in gd.get_paginator("list_findings").paginate(DetectorId=d) for i in page["FindingIds"])
                for d in gd.list_detectors()["DetectorIds"]}

    for region in regions:
        regions[region] = count(region)
    before = guardduty()
    standards = client("securityhub").get_enabled_standards()["StandardsSubscriptions"]
    seed_org.seed_organization(ENDPOINT)
    assert {region: count(region) for region in regions} == regions
    # Its optional parts stay in the management account's home Region too.
    seed_org.seed_organization(ENDPOINT, guardduty=True, controls=True)
    assert {region: count(region) for region in regions} == regions
    assert guardduty() == before
    assert client("securityhub").get_enabled_standards()["StandardsSubscriptions"] == standards
    assert error_of(lambda: client("securityhub", "us-west-2").get_findings())[0] == "InvalidAccessException"


# --------------------------------------------------------------------------------------------
# STS AssumeRole as AWS answers it: the role must exist in the account of its ARN and trust the caller.

def assume(sts, role_arn, **kwargs):
    return sts.assume_role(RoleArn=role_arn, RoleSessionName="vigil", **kwargs)["Credentials"]


def denied(sts, role_arn, **kwargs):
    """The AccessDenied STS answers, checked to the wire: 403, query error shape, AWS's wording."""
    code, status, message = error_of(lambda: assume(sts, role_arn, **kwargs))
    caller = sts.get_caller_identity()["Arn"]
    assert (code, status) == ("AccessDenied", 403)
    assert message == f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    return True


def test_sts_assume_role_needs_the_role_and_its_trust():
    sts = client("sts")
    missing = "arn:aws:iam::222222222222:role/VigilReadOnly"
    assert denied(sts, missing)
    with pytest.raises(ClientError) as err:
        assume(sts, missing)
    assert err.value.response["Error"]["Type"] == "Sender"

    role = trusting_role("222222222222", "VigilReadOnly")
    assert role == missing
    as_role = credentials_client("sts", assume(sts, role))
    identity = as_role.get_caller_identity()
    assert identity["Account"] == "222222222222"
    assert identity["Arn"] == "arn:aws:sts::222222222222:assumed-role/VigilReadOnly/vigil"
    # The same name in another account is another role; there it does not exist.
    assert denied(sts, "arn:aws:iam::444444444444:role/VigilReadOnly")
    # A role whose trust names another account, or nobody we are.
    assert denied(sts, trusting_role("222222222222", "TrustsSomeoneElse", "333333333333"))
    # Any principal, or the bare account id, are trusted forms too.
    assert assume(sts, trusting_role("222222222222", "TrustsAnyone", "*"))["AccessKeyId"]
    bare = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ["123456789012"]}, "Action": ["sts:AssumeRole"]}]}
    bare_arn = account_client("iam", "222222222222").create_role(RoleName="TrustsBareId", AssumeRolePolicyDocument=json.dumps(bare))["Role"]["Arn"]
    assert assume(sts, bare_arn)["AccessKeyId"]
    # An explicit Deny wins over the Allow.
    deny = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"},
        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:*"}]}
    denying = account_client("iam", "222222222222").create_role(RoleName="Denies", AssumeRolePolicyDocument=json.dumps(deny))["Role"]["Arn"]
    assert denied(sts, denying)

    # From the role's session: a role in a third account that trusts the first role (by its ARN) or
    # its account; not one that trusts only the management account.
    third_by_role = trusting_role("333333333333", "Hop", "arn:aws:iam::222222222222:role/VigilReadOnly")
    third_by_account = trusting_role("333333333333", "HopAccount", "222222222222")
    assert credentials_client("sts", assume(as_role, third_by_role)).get_caller_identity()["Account"] == "333333333333"
    assert assume(as_role, third_by_account)["AccessKeyId"]
    assert denied(as_role, trusting_role("333333333333", "ManagementOnly"))

    # Deleted, it is gone for STS too.
    account_client("iam", "222222222222").delete_role(RoleName="VigilReadOnly")
    assert denied(sts, role)


def test_sts_assume_role_honours_the_external_id_condition():
    sts = client("sts")
    role = trusting_role("222222222222", "NeedsExternalId", condition={"StringEquals": {"sts:ExternalId": "vigil-7f3a"}})
    assert denied(sts, role)
    assert denied(sts, role, ExternalId="vigil-0000")
    assert denied(sts, role, ExternalId="VIGIL-7F3A")  # StringEquals is case-sensitive
    creds = assume(sts, role, ExternalId="vigil-7f3a")
    assert credentials_client("sts", creds).get_caller_identity()["Account"] == "222222222222"
    # An external id the trust policy does not ask for is ignored, as in AWS.
    plain = trusting_role("222222222222", "NoCondition")
    assert assume(sts, plain, ExternalId="anything-at-all")["AccessKeyId"]
    # StringLike patterns.
    like = trusting_role("222222222222", "LikeCondition", condition={"StringLike": {"sts:ExternalId": "vigil-*"}})
    assert assume(sts, like, ExternalId="vigil-prod")["AccessKeyId"]
    assert denied(sts, like, ExternalId="other")


def test_sts_organization_account_access_role_trusts_the_management_account():
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="dev", Email="dev@example.com")["CreateAccountStatus"]["AccountId"]
    role = f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
    creds = assume(client("sts"), role)
    assert credentials_client("sts", creds).get_caller_identity()["Account"] == member
    # Another account is not trusted by it.
    assert denied(member_client("sts"), role)


# --------------------------------------------------------------------------------------------
# Account: Region opt-in (ListRegions, GetRegionOptStatus, EnableRegion, DisableRegion)

# Launched after 20 March 2019: disabled until the account opts in.
OPT_IN = {"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
          "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
          "me-central-1", "me-south-1", "mx-central-1"}


def regions_of(account, **kwargs):
    pages = account.get_paginator("list_regions").paginate(**kwargs)
    return {r["RegionName"]: r["RegionOptStatus"] for page in pages for r in page["Regions"]}


def test_account_list_regions_defaults_filters_and_pages():
    account = client("account")
    regions = regions_of(account)
    assert set(regions) == set(boto3.Session().get_available_regions("ec2"))
    for name, status in regions.items():
        assert status == ("DISABLED" if name in OPT_IN else "ENABLED_BY_DEFAULT"), name
    assert regions["us-east-1"] == "ENABLED_BY_DEFAULT" and regions["eu-south-1"] == "DISABLED"

    disabled = regions_of(account, RegionOptStatusContains=["DISABLED"])
    assert set(disabled) == OPT_IN & set(regions)
    both = regions_of(account, RegionOptStatusContains=["DISABLED", "ENABLED_BY_DEFAULT"])
    assert both == regions
    assert account.list_regions(RegionOptStatusContains=["ENABLED", "ENABLING", "DISABLING"])["Regions"] == []

    first = account.list_regions(MaxResults=10)
    assert len(first["Regions"]) == 10 and first["NextToken"]
    pages = list(account.get_paginator("list_regions").paginate(PaginationConfig={"PageSize": 10}))
    assert [len(p["Regions"]) for p in pages] == [10] * (len(regions) // 10) + ([len(regions) % 10] if len(regions) % 10 else [])
    assert "NextToken" not in pages[-1]
    assert [r["RegionName"] for p in pages for r in p["Regions"]] == list(regions)

    assert error_of(lambda: account.list_regions(NextToken="not-a-token"))[:2] == ("ValidationException", 400)
    assert error_of(lambda: account.list_regions(MaxResults=51))[:2] == ("ValidationException", 400)
    assert error_of(lambda: account.list_regions(RegionOptStatusContains=["ON"]))[:2] == ("ValidationException", 400)
    assert error_of(lambda: account.get_region_opt_status(RegionName="mars-north-1"))[:2] == ("ValidationException", 400)
    assert account.get_region_opt_status(RegionName="us-east-1")["RegionOptStatus"] == "ENABLED_BY_DEFAULT"
    assert account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "DISABLED"


def test_account_enable_and_disable_region_per_account_until_reset():
    account, other = client("account"), account_client("account", MEMBER)
    account.enable_region(RegionName="af-south-1")
    assert account.get_region_opt_status(RegionName="af-south-1") | {"ResponseMetadata": None} == \
        {"RegionName": "af-south-1", "RegionOptStatus": "ENABLED", "ResponseMetadata": None}
    assert regions_of(account, RegionOptStatusContains=["ENABLED"]) == {"af-south-1": "ENABLED"}
    assert "af-south-1" not in regions_of(account, RegionOptStatusContains=["DISABLED"])
    account.enable_region(RegionName="af-south-1")  # again: no change
    # Each account has its own opt-ins.
    assert other.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "DISABLED"

    account.disable_region(RegionName="af-south-1")
    assert account.get_region_opt_status(RegionName="af-south-1")["RegionOptStatus"] == "DISABLED"
    account.enable_region(RegionName="me-south-1")
    # A default Region cannot be enabled or disabled; an unknown name is no Region.
    for call in (lambda: account.enable_region(RegionName="us-east-1"), lambda: account.disable_region(RegionName="eu-west-1"),
                 lambda: account.enable_region(RegionName="mars-north-1")):
        assert error_of(call)[:2] == ("ValidationException", 400)

    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()
    assert account.get_region_opt_status(RegionName="me-south-1")["RegionOptStatus"] == "DISABLED"
    assert account.list_regions(RegionOptStatusContains=["ENABLED"])["Regions"] == []


def test_account_regions_of_a_member_from_the_management_account():
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="dev", Email="dev@example.com")["CreateAccountStatus"]["AccountId"]
    account = client("account")
    account.enable_region(AccountId=member, RegionName="il-central-1")
    assert account.get_region_opt_status(AccountId=member, RegionName="il-central-1")["RegionOptStatus"] == "ENABLED"
    assert regions_of(account, AccountId=member, RegionOptStatusContains=["ENABLED"]) == {"il-central-1": "ENABLED"}
    assert account_client("account", member).get_region_opt_status(RegionName="il-central-1")["RegionOptStatus"] == "ENABLED"
    assert account.get_region_opt_status(RegionName="il-central-1")["RegionOptStatus"] == "DISABLED"
    # Not a member of this organisation; the management account naming itself.
    assert error_of(lambda: account.list_regions(AccountId="999999999999"))[:2] == ("AccessDeniedException", 403)
    assert error_of(lambda: account_client("account", member).list_regions(AccountId="123456789012"))[:2] == ("AccessDeniedException", 403)
    assert error_of(lambda: account.list_regions(AccountId="123456789012"))[:2] == ("ValidationException", 400)


def test_seed_org_roleless_members_and_external_ids():
    import seed_org

    regions = ("eu-central-1", "eu-north-1")
    expect = seed_org.seed_organization(ENDPOINT, members=("dev",), regions=regions, roleless=("sandbox",), external_id="vigil-ext")
    management, dev, sandbox = expect["accounts"]
    assert [a["name"] for a in expect["accounts"]] == ["management", "dev", "sandbox"]
    assert (expect["role_name"], expect["external_id"], expect["roleless"]) == ("VigilReadOnly", "vigil-ext", [sandbox["id"]])
    assert (management["role_arn"], management["external_id"]) == (None, None)
    assert (dev["role_arn"], dev["external_id"]) == (f"arn:aws:iam::{dev['id']}:role/VigilReadOnly", "vigil-ext")
    assert (sandbox["role_arn"], sandbox["external_id"]) == (None, None)
    # The roleless member is in the organisation and holds data, but its role is missing.
    listed = {a["Id"] for page in client("organizations").get_paginator("list_accounts").paginate() for a in page["Accounts"]}
    assert {dev["id"], sandbox["id"]} <= listed
    assert set(expect["secrets"][sandbox["id"]]) == set(regions)
    sts = client("sts", "eu-central-1")
    assert denied(sts, f"arn:aws:iam::{sandbox['id']}:role/VigilReadOnly")
    assert assume(sts, f"arn:aws:iam::{sandbox['id']}:role/OrganizationAccountAccessRole")["AccessKeyId"]
    # The member role needs its external id.
    assert denied(sts, dev["role_arn"])
    with pytest.raises(ClientError):
        seed_org.role_credentials(ENDPOINT, dev["role_arn"], external_id="wrong")
    sm = seed_org.assume_role_client(ENDPOINT, "secretsmanager", dev["role_arn"], "eu-north-1", external_id="vigil-ext")
    assert {s["Name"] for s in sm.list_secrets()["SecretList"]} == set(expect["secrets"][dev["id"]]["eu-north-1"])

    # Seeding again with other options makes the JSON true again: the role is back, no external id.
    again = seed_org.seed_organization(ENDPOINT, members=("dev", "sandbox"), regions=regions)
    assert [a["id"] for a in again["accounts"]] == [a["id"] for a in expect["accounts"]]
    assert again["roleless"] == [] and again["external_id"] is None
    for member in again["accounts"][1:]:
        assert member["external_id"] is None
        assert seed_org.assume_role_client(ENDPOINT, "sts", member["role_arn"]).get_caller_identity()["Account"] == member["id"]
    # And back to roleless: the role is deleted.
    seed_org.seed_organization(ENDPOINT, members=("dev",), regions=regions, roleless=("sandbox",))
    assert denied(sts, f"arn:aws:iam::{sandbox['id']}:role/VigilReadOnly")


def test_seed_org_guardduty_administrator_reads_and_archives_member_findings():
    import seed_org

    regions = ("eu-central-1", "eu-north-1")
    expect = seed_org.seed_organization(ENDPOINT, members=("dev", "prod"), regions=regions, roleless=("sandbox",), guardduty=True)
    management, dev, prod, sandbox = (a["id"] for a in expect["accounts"])
    gd_expect = expect["guardduty"]
    assert "controls" not in expect
    # Every member with the role is a member; the roleless one has no detector at all.
    assert list(gd_expect["members"]) == [dev, prod]
    assert list(gd_expect["findings"]) == [management, dev, prod]
    assert [len(gd_expect["findings"][a]) for a in (management, dev, prod)] == [1, 3, 2]
    assert account_client("guardduty", sandbox, "eu-central-1").list_detectors()["DetectorIds"] == []

    admin = client("guardduty", "eu-central-1")
    detector = gd_expect["administrator_detector"]
    assert admin.list_detectors()["DetectorIds"] == [detector]
    listed = {m["AccountId"]: m for m in admin.list_members(DetectorId=detector)["Members"]}
    assert {a: m["DetectorId"] for a, m in listed.items()} == gd_expect["members"]
    assert {m["RelationshipStatus"] for m in listed.values()} == {"Enabled"}

    # The administrator's detector lists its own finding and every member's.
    everything = [i for ids in gd_expect["findings"].values() for i in ids]
    ids = [i for page in admin.get_paginator("list_findings").paginate(DetectorId=detector) for i in page["FindingIds"]]
    assert sorted(ids) == sorted(everything)
    found = {f["Id"]: f for f in admin.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]}
    for account, finding_ids in gd_expect["findings"].items():
        assert {found[i]["AccountId"] for i in finding_ids} == {account}
        assert {found[i]["Region"] for i in finding_ids} == {"eu-central-1"}
    assert [found[i]["Type"] for i in gd_expect["findings"][dev]] == list(seed_org.GUARDDUTY_MEMBER_TYPES)
    assert [found[i]["Type"] for i in gd_expect["findings"][prod]] == list(seed_org.GUARDDUTY_MEMBER_TYPES[:2])
    assert [found[i]["Type"] for i in gd_expect["findings"][management]] == list(seed_org.GUARDDUTY_ADMINISTRATOR_TYPES)

    # A member, read through its role as Vigil reads it: its administrator and its own findings only.
    member = seed_org.assume_role_client(ENDPOINT, "guardduty", expect["accounts"][1]["role_arn"], "eu-central-1")
    member_detector = gd_expect["members"][dev]
    assert member.list_detectors()["DetectorIds"] == [member_detector]
    administrator = member.get_administrator_account(DetectorId=member_detector)["Administrator"]
    assert (administrator["AccountId"], administrator["RelationshipStatus"]) == (management, "Enabled")
    assert sorted(member.list_findings(DetectorId=member_detector)["FindingIds"]) == sorted(gd_expect["findings"][dev])

    # ArchiveFindings by the administrator, on the member's finding id, archives the member's finding.
    target = gd_expect["findings"][dev][0]
    admin.archive_findings(DetectorId=detector, FindingIds=[target])
    assert member.get_findings(DetectorId=member_detector, FindingIds=[target])["Findings"][0]["Service"]["Archived"] is True
    open_ids = admin.list_findings(DetectorId=detector, FindingCriteria={"Criterion": {"service.archived": {"Equals": ["false"]}}})["FindingIds"]
    assert sorted(open_ids) == sorted(set(everything) - {target})

    # Seeding again reuses the detectors, memberships and findings (the archived one stays archived).
    assert seed_org.seed_organization(ENDPOINT, members=("dev", "prod"), regions=regions, roleless=("sandbox",), guardduty=True) == expect
    assert sorted(i for page in admin.get_paginator("list_findings").paginate(DetectorId=detector) for i in page["FindingIds"]) == sorted(everything)
    assert member.get_findings(DetectorId=member_detector, FindingIds=[target])["Findings"][0]["Service"]["Archived"] is True


def test_seed_org_control_findings_of_every_account_in_the_home_region():
    from collections import defaultdict
    from fractions import Fraction

    import seed_org

    assert [seed_org.percent(p, t) for p, t in ((5, 6), (4, 6), (1, 8), (33, 40), (0, 3), (3, 3))] == [83, 67, 13, 83, 0, 100]
    assert [seed_org.round_half_away(Fraction(n, 2)) for n in (165, 167, -165)] == [83, 84, -83]

    regions = ("eu-central-1", "eu-north-1")
    expect = seed_org.seed_organization(ENDPOINT, members=("dev", "prod"), regions=regions, roleless=("sandbox",), controls=True)
    management, dev, prod, sandbox = (a["id"] for a in expect["accounts"])
    controls = expect["controls"]
    assert "guardduty" not in expect
    home = client("securityhub", "eu-central-1")
    fsbp = "arn:aws:securityhub:eu-central-1::standards/aws-foundational-security-best-practices/v/1.0.0"
    assert (controls["standard_arn"], controls["standard_name"]) == (fsbp, "AWS Foundational Security Best Practices v1.0.0")
    assert [s["StandardsArn"] for s in home.get_enabled_standards()["StandardsSubscriptions"]] == [fsbp]
    defined = {d["SecurityControlId"] for d in home.list_security_control_definitions(StandardsArn=fsbp)["SecurityControlDefinitions"]}
    assert set(controls["controls"]) <= defined and len(controls["controls"]) == 6 < len(defined)

    # Management passes every seeded control in its home Region but fails S3.1 in the linked
    # eu-north-1; the first member fails one, the next two, ...
    accounts = controls["accounts"]
    assert list(accounts) == [management, dev, prod, sandbox]
    assert [len(accounts[a]["failed"]) for a in accounts] == [1, 1, 2, 3]
    assert [accounts[a]["score"] for a in accounts] == [83, 83, 67, 50]
    assert controls["organisation_average"] == 71  # (83 + 83 + 67 + 50) / 4 = 70.75
    assert accounts[management]["failed"] == ["S3.1"]
    assert accounts[dev]["failed"] == ["S3.1"] and accounts[prod]["failed"] == ["IAM.1", "S3.1"]
    for account in accounts.values():
        assert sorted(account["passed"] + account["failed"]) == controls["controls"]

    # The same picture from GetFindings in the management account's home Region, which aggregates
    # eu-north-1: each region's control findings under that region's product ARN.
    product = "arn:aws:securityhub:eu-central-1::product/aws/securityhub"
    linked_product = "arn:aws:securityhub:eu-north-1::product/aws/securityhub"
    found = [f for page in home.get_paginator("get_findings").paginate(Filters={"ProductArn": [
        {"Value": product, "Comparison": "EQUALS"}, {"Value": linked_product, "Comparison": "EQUALS"}]}) for f in page["Findings"]]
    assert len(found) == 4 * 6 + 1
    assert [(f["Region"], f["AwsAccountId"], f["Compliance"]["Status"]) for f in found if f["ProductArn"] == linked_product] == \
        [("eu-north-1", management, "FAILED")]
    statuses = defaultdict(dict)
    for f in found:
        assert f["Compliance"]["AssociatedStandards"] == [{"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"}]
        assert (f["ProductName"], f["GeneratorId"]) == ("Security Hub CSPM", f"security-control/{f['Compliance']['SecurityControlId']}")
        assert f["ProductArn"] == f"arn:aws:securityhub:{f['Region']}::product/aws/securityhub"
        if f["Compliance"]["Status"] == "PASSED":
            assert f["Severity"]["Label"] == "INFORMATIONAL"
        else:
            assert f["Severity"]["Label"] in ("LOW", "MEDIUM", "HIGH", "CRITICAL")
        assert f["Workflow"]["Status"] == ("RESOLVED" if f["Compliance"]["Status"] == "PASSED" else "NEW")
        # A control fails when it fails in any region.
        known = statuses[f["AwsAccountId"]].get(f["Compliance"]["SecurityControlId"])
        statuses[f["AwsAccountId"]][f["Compliance"]["SecurityControlId"]] = "FAILED" if "FAILED" in (known, f["Compliance"]["Status"]) else f["Compliance"]["Status"]
        assert f["Compliance"].get("RelatedRequirements", []) == seed_org.CONTROL_REQUIREMENTS.get(f["Compliance"]["SecurityControlId"], [])
    for account, expected in accounts.items():
        assert sorted(c for c, s in statuses[account].items() if s == "PASSED") == expected["passed"]
        assert sorted(c for c, s in statuses[account].items() if s == "FAILED") == expected["failed"]
    # aggregated_finding_ids stays what GetFindings answers there: Inspector and control findings.
    every = [f["Id"] for page in home.get_paginator("get_findings").paginate() for f in page["Findings"]]
    assert sorted(every) == expect["aggregated_finding_ids"] and len(every) == 3 * 2 + 25
    # Only the administrator holds them: a member's own home Region has none.
    member = seed_org.assume_role_client(ENDPOINT, "securityhub", expect["accounts"][1]["role_arn"], "eu-central-1")
    assert member.get_findings(Filters={"ProductArn": [{"Value": product, "Comparison": "EQUALS"}]})["Findings"] == []

    # Seeding again imports the same findings again (updates, not copies); without controls the
    # JSON still says what GetFindings answers.
    assert seed_org.seed_organization(ENDPOINT, members=("dev", "prod"), regions=regions, roleless=("sandbox",), controls=True) == expect
    plain = seed_org.seed_organization(ENDPOINT, members=("dev", "prod"), regions=regions, roleless=("sandbox",))
    assert "controls" not in plain and plain["aggregated_finding_ids"] == expect["aggregated_finding_ids"]


# --------------------------------------------------------------------------------------------
# Security Lake (a service moto lacks) and Athena over its tables.

META_ROLE = "arn:aws:iam::123456789012:role/AmazonSecurityLakeMetaStoreManager"


def test_securitylake_data_lakes_create_list_and_conflict():
    sl = client("securitylake")
    assert sl.list_data_lakes()["dataLakes"] == []
    made = sl.create_data_lake(metaStoreManagerRoleArn=META_ROLE, configurations=[
        {"region": "us-east-1", "lifecycleConfiguration": {"expiration": {"days": 365},
                                                           "transitions": [{"days": 30, "storageClass": "STANDARD_IA"}]}},
        {"region": "eu-west-1", "encryptionConfiguration": {"kmsKeyId": "alias/lake"}}])["dataLakes"]
    assert [d["region"] for d in made] == ["us-east-1", "eu-west-1"]
    for lake in made:
        region = lake["region"]
        assert lake["dataLakeArn"] == f"arn:aws:securitylake:{region}:123456789012:data-lake/default"
        assert re.fullmatch(rf"arn:aws:s3:::aws-security-data-lake-{region}-[a-z0-9]+", lake["s3BucketArn"])
        assert lake["createStatus"] == "COMPLETED"
    assert made[0]["lifecycleConfiguration"]["expiration"] == {"days": 365}
    assert made[0]["encryptionConfiguration"] == {"kmsKeyId": "S3_MANAGED_KEY"}
    assert made[1]["encryptionConfiguration"] == {"kmsKeyId": "alias/lake"}

    # ListDataLakes from any Region: the account's lakes, only Regions that have one.
    listed = client("securitylake", "ap-northeast-1").list_data_lakes()["dataLakes"]
    assert sorted(d["region"] for d in listed) == ["eu-west-1", "us-east-1"]
    assert [d["region"] for d in sl.list_data_lakes(regions=["eu-west-1", "us-west-2"])["dataLakes"]] == ["eu-west-1"]
    assert sl.list_data_lakes(regions=["us-west-2"])["dataLakes"] == []
    assert account_client("securitylake", MEMBER).list_data_lakes()["dataLakes"] == []

    code, status, _ = error_of(lambda: sl.create_data_lake(metaStoreManagerRoleArn=META_ROLE, configurations=[{"region": "us-east-1"}]))
    assert (code, status) == ("ConflictException", 409)
    assert error_of(lambda: sl.create_data_lake(metaStoreManagerRoleArn="not-a-role", configurations=[{"region": "us-west-2"}]))[:2] == \
        ("BadRequestException", 400)


def test_securitylake_log_sources_create_list_delete():
    sl = client("securitylake")
    # No data lake in the Region of the call: ResourceNotFoundException (404).
    code, status, _ = error_of(lambda: sl.list_log_sources())
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert error_of(lambda: sl.create_aws_log_source(sources=[{"regions": ["us-east-1"], "sourceName": "WAF"}]))[:2] == \
        ("ResourceNotFoundException", 404)

    sl.create_data_lake(metaStoreManagerRoleArn=META_ROLE, configurations=[{"region": "us-east-1"}, {"region": "eu-west-1"}])
    assert sl.list_log_sources()["sources"] == []
    out = sl.create_aws_log_source(sources=[
        {"regions": ["us-east-1", "eu-west-1"], "sourceName": "SH_FINDINGS"},
        {"regions": ["us-east-1"], "sourceName": "CLOUD_TRAIL_MGMT", "sourceVersion": "2.0", "accounts": ["123456789012", MEMBER]},
        {"regions": ["us-east-1", "us-west-2"], "sourceName": "VPC_FLOW", "sourceVersion": "1.0", "accounts": [MEMBER]},
    ])
    # us-west-2 has no data lake: its accounts fail (the model's "failed" is an account list).
    assert out["failed"] == [MEMBER]

    def aws(name, version="2.0"):
        return {"awsLogSource": {"sourceName": name, "sourceVersion": version}}

    listed = sl.list_log_sources()["sources"]
    assert listed == [
        {"account": "123456789012", "region": "eu-west-1", "sources": [aws("SH_FINDINGS")]},
        {"account": MEMBER, "region": "us-east-1", "sources": [aws("CLOUD_TRAIL_MGMT"), aws("VPC_FLOW", "1.0")]},
        {"account": "123456789012", "region": "us-east-1", "sources": [aws("CLOUD_TRAIL_MGMT"), aws("SH_FINDINGS")]},
    ], "by Region, then account"
    assert [(s["account"], s["region"]) for s in sl.list_log_sources(regions=["us-east-1"], accounts=[MEMBER])["sources"]] == \
        [(MEMBER, "us-east-1")]
    only_trail = sl.list_log_sources(sources=[{"awsLogSource": {"sourceName": "CLOUD_TRAIL_MGMT"}}])["sources"]
    assert [(s["account"], s["sources"]) for s in only_trail] == [(MEMBER, [aws("CLOUD_TRAIL_MGMT")]), ("123456789012", [aws("CLOUD_TRAIL_MGMT")])]

    # Paging: maxResults 1 to 100, nextToken handed out by the server only.
    first = sl.list_log_sources(maxResults=2)
    assert len(first["sources"]) == 2 and first["nextToken"]
    rest = sl.list_log_sources(maxResults=2, nextToken=first["nextToken"])
    assert first["sources"] + rest["sources"] == listed and "nextToken" not in rest
    assert error_of(lambda: sl.list_log_sources(nextToken="not-a-token"))[:2] == ("BadRequestException", 400)
    assert error_of(lambda: sl.list_log_sources(maxResults=101))[:2] == ("BadRequestException", 400)

    assert sl.delete_aws_log_source(sources=[{"regions": ["us-east-1"], "sourceName": "SH_FINDINGS"},
                                             {"regions": ["us-east-1"], "sourceName": "VPC_FLOW", "accounts": [MEMBER]}])["failed"] == []
    assert [(s["account"], s["region"], s["sources"]) for s in sl.list_log_sources()["sources"]] == [
        ("123456789012", "eu-west-1", [aws("SH_FINDINGS")]),
        (MEMBER, "us-east-1", [aws("CLOUD_TRAIL_MGMT")]),
        ("123456789012", "us-east-1", [aws("CLOUD_TRAIL_MGMT")])]


def test_securitylake_is_per_account_and_cleared_by_reset():
    client("securitylake").create_data_lake(metaStoreManagerRoleArn=META_ROLE, configurations=[{"region": "us-east-1"}])
    assert error_of(lambda: account_client("securitylake", MEMBER).list_log_sources())[:2] == ("ResourceNotFoundException", 404)
    reset_server()
    assert client("securitylake").list_data_lakes()["dataLakes"] == []


def reset_server():
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()


def seed_athena(**seed):
    return moto_api("POST", "/moto-api/vigil/athena-results", seed)


def moto_api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{ENDPOINT}{path}", data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def test_athena_seeded_result_paged_with_a_header_row_and_column_info():
    athena = client("athena")
    columns = [{"Name": "day", "Type": "varchar"}, {"Name": "severity", "Type": "varchar"}, {"Name": "n", "Type": "bigint"}]
    rows = [[f"2026{i:04d}", "HIGH" if i % 2 else None, str(i)] for i in range(2500)]
    # The first seed whose "match" is in the query answers it; the other one never does.
    seed_athena(match="GROUP BY day", columns=columns, rows=rows, bytes_scanned=123456789)
    seed_athena(match="amazon_security_lake_table", columns=[{"Name": "x"}], rows=[["never"]])
    sql = "SELECT day, severity, count(*) AS n FROM amazon_security_lake_table_us_east_1_sh_findings_2_0 WHERE day >= ? GROUP BY day"
    qid = athena.start_query_execution(QueryString=sql, ExecutionParameters=["'20261201'"], WorkGroup="primary",
                                       QueryExecutionContext={"Database": "amazon_security_lake_glue_db_us_east_1", "Catalog": "AwsDataCatalog"},
                                       ResultConfiguration={"OutputLocation": "s3://results/vigil/"})["QueryExecutionId"]
    execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
    assert execution["Status"]["State"] == "SUCCEEDED" and "CompletionDateTime" in execution["Status"]
    stats = execution["Statistics"]
    assert stats["DataScannedInBytes"] == 123456789
    assert stats["EngineExecutionTimeInMillis"] > 0 and stats["TotalExecutionTimeInMillis"] >= stats["EngineExecutionTimeInMillis"]
    assert stats["QueryQueueTimeInMillis"] > 0 and stats["QueryPlanningTimeInMillis"] > 0
    assert execution["ExecutionParameters"] == ["'20261201'"] and execution["WorkGroup"] == "primary"
    assert execution["Query"] == sql and execution["QueryExecutionContext"]["Database"] == "amazon_security_lake_glue_db_us_east_1"

    pages = list(athena.get_paginator("get_query_results").paginate(QueryExecutionId=qid, PaginationConfig={"PageSize": 1000}))
    assert [len(p["ResultSet"]["Rows"]) for p in pages] == [1000, 1000, 501]
    got = [[d.get("VarCharValue") for d in r["Data"]] for p in pages for r in p["ResultSet"]["Rows"]]
    assert got[0] == ["day", "severity", "n"], "the header row comes first, on the first page only"
    assert got[1:] == rows
    assert pages[0]["ResultSet"]["Rows"][1]["Data"][1] == {}, "a null is a Datum without VarCharValue"
    info = pages[0]["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert info[0] == {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": "day", "Label": "day", "Type": "varchar",
                       "Precision": 2147483647, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": True}
    assert (info[2]["Type"], info[2]["Precision"], info[2]["CaseSensitive"]) == ("bigint", 19, False)
    # The default MaxResults is 1000.
    assert len(athena.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"]) == 1000

    # MaxResults outside 1..1000, a NextToken the server did not hand out (or for another query).
    code, status, _ = error_of(lambda: athena.get_query_results(QueryExecutionId=qid, MaxResults=1001))
    assert (code, status) == ("InvalidRequestException", 400)
    assert error_of(lambda: athena.get_query_results(QueryExecutionId=qid, NextToken="not-a-token"))[:2] == ("InvalidRequestException", 400)
    other = athena.start_query_execution(QueryString="SELECT 1")["QueryExecutionId"]
    assert error_of(lambda: athena.get_query_results(QueryExecutionId=other, NextToken=pages[0]["NextToken"]))[:2] == \
        ("InvalidRequestException", 400)
    assert error_of(lambda: athena.get_query_execution(QueryExecutionId="no-such-query"))[:2] == ("InvalidRequestException", 400)

    # The queries endpoint: what the client sent, in start order.
    queries = moto_api("GET", "/moto-api/vigil/athena-queries")["queries"]
    assert [q["QueryExecutionId"] for q in queries] == [qid, other]
    assert queries[0] == {"QueryExecutionId": qid, "QueryString": sql, "ExecutionParameters": ["'20261201'"], "WorkGroup": "primary",
                          "QueryExecutionContext": {"Database": "amazon_security_lake_glue_db_us_east_1", "Catalog": "AwsDataCatalog"},
                          "ResultConfiguration": {"OutputLocation": "s3://results/vigil/"}, "Stopped": False,
                          "Account": "123456789012", "Region": "us-east-1"}
    assert queries[1]["WorkGroup"] is None and queries[1]["ExecutionParameters"] is None
    assert moto_api("GET", "/moto-api/vigil/athena-queries?region=eu-west-1")["queries"] == []


def test_athena_seed_times_order_failure_and_moto_fallback():
    athena = client("athena")
    seed_athena(match="FROM lake", columns=[{"Name": "n", "Type": "integer"}], rows=[["1"]], times=1)
    seed_athena(match="FROM lake", columns=[{"Name": "n", "Type": "integer"}], rows=[["2"]])
    seed_athena(match="broken", state="FAILED", reason="COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved")
    assert len(moto_api("GET", "/moto-api/vigil/athena-results")["seeds"]) == 3

    def value(qid):
        athena.get_query_execution(QueryExecutionId=qid)
        return athena.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"][1]["Data"][0]["VarCharValue"]

    first = athena.start_query_execution(QueryString="SELECT n FROM lake")["QueryExecutionId"]
    second = athena.start_query_execution(QueryString="select n from other UNION ALL SELECT n FROM lake")["QueryExecutionId"]
    assert (value(first), value(second)) == ("1", "2"), "times=1 answers once; then the next matching seed"

    failed = athena.start_query_execution(QueryString="SELECT nope FROM broken")["QueryExecutionId"]
    status = athena.get_query_execution(QueryExecutionId=failed)["QueryExecution"]["Status"]
    assert status["State"] == "FAILED" and status["StateChangeReason"].startswith("COLUMN_NOT_FOUND")
    assert status["AthenaError"]["ErrorMessage"] == status["StateChangeReason"]
    code, _, message = error_of(lambda: athena.get_query_results(QueryExecutionId=failed))
    assert code == "InvalidRequestException" and message == "Query has not yet finished. Current state: FAILED"

    # No seed matches: moto's own behaviour (its static results queue), paged the same way.
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/static/athena/query-results", method="POST",
                                                  data=json.dumps({"results": [{"rows": [{"Data": [{"VarCharValue": "a"}]}, {"Data": [{"VarCharValue": "b"}]}],
                                                                                "column_info": [{"Name": "c", "Type": "varchar"}]}]}).encode(),
                                                  headers={"Content-Type": "application/json"})).read()
    plain = athena.start_query_execution(QueryString="SELECT c FROM elsewhere")["QueryExecutionId"]
    execution = athena.get_query_execution(QueryExecutionId=plain)["QueryExecution"]
    assert execution["Status"]["State"] == "SUCCEEDED" and execution["Statistics"]["DataScannedInBytes"] == 0
    one = athena.get_query_results(QueryExecutionId=plain, MaxResults=1)
    assert one["ResultSet"]["Rows"] == [{"Data": [{"VarCharValue": "a"}]}] and one["NextToken"]
    assert athena.get_query_results(QueryExecutionId=plain, NextToken=one["NextToken"])["ResultSet"]["Rows"] == [{"Data": [{"VarCharValue": "b"}]}]

    # DELETE forgets the seeds; so does a reset.
    moto_api("DELETE", "/moto-api/vigil/athena-results")
    assert moto_api("GET", "/moto-api/vigil/athena-results")["seeds"] == []
    seed_athena(match="")
    reset_server()
    assert moto_api("GET", "/moto-api/vigil/athena-results")["seeds"] == []
    assert moto_api("GET", "/moto-api/vigil/athena-queries")["queries"] == []
    with pytest.raises(urllib.error.HTTPError) as err:
        seed_athena(match="x", rows=[["no column for this"]])
    assert err.value.code == 400


def test_athena_progress_and_cancel_during_running_polls():
    athena = client("athena")
    seed_athena(match="slow", columns=[{"Name": "n", "Type": "bigint"}], rows=[["7"]], bytes_scanned=1_000_000_000,
                queued_polls=1, running_polls=3)
    done = athena.start_query_execution(QueryString="SELECT count(*) AS n FROM slow")["QueryExecutionId"]
    seen = []
    for _ in range(6):
        execution = athena.get_query_execution(QueryExecutionId=done)["QueryExecution"]
        seen.append((execution["Status"]["State"], execution["Statistics"]["DataScannedInBytes"]))
        if execution["Status"]["State"] == "RUNNING":
            assert "CompletionDateTime" not in execution["Status"]
            code, _, message = error_of(lambda: athena.get_query_results(QueryExecutionId=done))
            assert (code, message) == ("InvalidRequestException", "Query has not yet finished. Current state: RUNNING")
    assert [s for s, _ in seen] == ["QUEUED", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED", "SUCCEEDED"]
    scanned = [b for _, b in seen]
    assert scanned == sorted(scanned) and 0 < scanned[1] < scanned[3] < scanned[4] == 1_000_000_000
    assert athena.get_query_results(QueryExecutionId=done)["ResultSet"]["Rows"][1] == {"Data": [{"VarCharValue": "7"}]}

    cancelled = athena.start_query_execution(QueryString="SELECT count(*) AS n FROM slow")["QueryExecutionId"]
    assert athena.get_query_execution(QueryExecutionId=cancelled)["QueryExecution"]["Status"]["State"] == "QUEUED"
    assert athena.get_query_execution(QueryExecutionId=cancelled)["QueryExecution"]["Status"]["State"] == "RUNNING"
    athena.stop_query_execution(QueryExecutionId=cancelled)
    for _ in range(5):
        status = athena.get_query_execution(QueryExecutionId=cancelled)["QueryExecution"]["Status"]
        assert status["State"] == "CANCELLED" and "CompletionDateTime" in status
    code, _, message = error_of(lambda: athena.get_query_results(QueryExecutionId=cancelled))
    assert message == "Query has not yet finished. Current state: CANCELLED"
    # Stopping a finished query leaves it alone; an unknown one is an InvalidRequestException.
    athena.stop_query_execution(QueryExecutionId=done)
    assert athena.get_query_execution(QueryExecutionId=done)["QueryExecution"]["Status"]["State"] == "SUCCEEDED"
    assert error_of(lambda: athena.stop_query_execution(QueryExecutionId="no-such-query"))[:2] == ("InvalidRequestException", 400)
    assert [q["Stopped"] for q in moto_api("GET", "/moto-api/vigil/athena-queries")["queries"]] == [True, True]


def athena_json(operation, body, region="us-east-1"):
    """An AWS JSON 1.1 call (POST / with X-Amz-Target), the protocol of the Rust SDK's Athena
    client; boto3's current model speaks REST-JSON instead."""
    request = urllib.request.Request(ENDPOINT + "/", data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AmazonAthena.{operation}",
        "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20261201/{region}/athena/aws4_request, SignedHeaders=host, Signature=0"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_athena_answers_the_rust_sdks_aws_json_protocol_too():
    seed_athena(match="FROM lake", columns=[{"Name": "n", "Type": "bigint"}], rows=[[str(i)] for i in range(5)],
                bytes_scanned=42, running_polls=1)
    status, started = athena_json("StartQueryExecution", {"QueryString": "SELECT n FROM lake", "ExecutionParameters": ["1"]})
    qid = started["QueryExecutionId"]
    assert athena_json("GetQueryExecution", {"QueryExecutionId": qid})[1]["QueryExecution"]["Status"]["State"] == "RUNNING"
    execution = athena_json("GetQueryExecution", {"QueryExecutionId": qid})[1]["QueryExecution"]
    assert execution["Status"]["State"] == "SUCCEEDED" and isinstance(execution["Status"]["SubmissionDateTime"], (int, float))
    assert execution["Statistics"]["DataScannedInBytes"] == 42 and execution["ExecutionParameters"] == ["1"]
    status, page = athena_json("GetQueryResults", {"QueryExecutionId": qid, "MaxResults": 4})
    assert status == 200 and len(page["ResultSet"]["Rows"]) == 4 and page["NextToken"]
    status, rest = athena_json("GetQueryResults", {"QueryExecutionId": qid, "MaxResults": 4, "NextToken": page["NextToken"]})
    assert [r["Data"][0]["VarCharValue"] for r in rest["ResultSet"]["Rows"]] == ["3", "4"] and "NextToken" not in rest
    status, error = athena_json("GetQueryResults", {"QueryExecutionId": qid, "MaxResults": 0})
    assert (status, error["__type"]) == (400, "InvalidRequestException")
    status, error = athena_json("GetTableMetadata", {"CatalogName": "AwsDataCatalog", "DatabaseName": "nope", "TableName": "t"})
    assert (status, error["__type"]) == (400, "MetadataException") and error["Message"]


def test_athena_table_metadata_from_glue():
    glue, athena = client("glue"), client("athena")
    database = "amazon_security_lake_glue_db_us_east_1"
    glue.create_database(DatabaseInput={"Name": database})
    columns = [{"Name": "time", "Type": "bigint", "Comment": "event time, epoch ms"},
               {"Name": "finding_info", "Type": "struct<uid:string,title:string,types:array<string>>"},
               {"Name": "severity", "Type": "string"}]
    for source in ("sh_findings_2_0", "cloud_trail_mgmt_2_0", "vpc_flow_2_0"):
        glue.create_table(DatabaseName=database, TableInput={
            "Name": f"amazon_security_lake_table_us_east_1_{source}", "TableType": "EXTERNAL_TABLE",
            "LastAccessTime": dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc),
            "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE"},
            "PartitionKeys": [{"Name": "region", "Type": "string"}, {"Name": "accountid", "Type": "string"},
                              {"Name": "eventday", "Type": "string"}],
            "StorageDescriptor": {"Columns": columns, "Location": f"s3://aws-security-data-lake-us-east-1-x/ext/{source}/",
                                  "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                                  "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                                  "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                                                "Parameters": {"serialization.format": "1"}}}})
    table = athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database,
                                      TableName="amazon_security_lake_table_us_east_1_sh_findings_2_0")["TableMetadata"]
    assert table["Name"] == "amazon_security_lake_table_us_east_1_sh_findings_2_0" and table["TableType"] == "EXTERNAL_TABLE"
    assert table["Columns"] == columns
    assert [k["Name"] for k in table["PartitionKeys"]] == ["region", "accountid", "eventday"]
    assert table["Parameters"]["classification"] == "parquet"
    assert table["Parameters"]["location"] == "s3://aws-security-data-lake-us-east-1-x/ext/sh_findings_2_0/"
    assert table["Parameters"]["serde.param.serialization.format"] == "1"
    assert table["LastAccessTime"] == dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    assert isinstance(table["CreateTime"], dt.datetime)

    listed = athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database)["TableMetadataList"]
    assert [t["Name"] for t in listed] == sorted(t["Name"] for t in listed) and len(listed) == 3
    assert [t["Name"] for t in athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database,
                                                          Expression="*sh_findings*")["TableMetadataList"]] == \
        ["amazon_security_lake_table_us_east_1_sh_findings_2_0"]
    pages = list(athena.get_paginator("list_table_metadata").paginate(CatalogName="AwsDataCatalog", DatabaseName=database,
                                                                      PaginationConfig={"PageSize": 2}))
    assert [len(p["TableMetadataList"]) for p in pages] == [2, 1]
    brief = athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database, AttributesToGet=["NAME"])["TableMetadataList"]
    assert all(set(t) == {"Name"} for t in brief)

    for call in (lambda: athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="nope", TableName="t"),
                 lambda: athena.get_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database, TableName="nope"),
                 lambda: athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName="nope")):
        assert error_of(call)[:2] == ("MetadataException", 400)
    assert error_of(lambda: athena.list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database, MaxResults=51))[:2] == \
        ("InvalidRequestException", 400)
    # Glue of another Region, and of another account, is another catalogue.
    assert error_of(lambda: client("athena", "eu-west-1").list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database))[0] == \
        "MetadataException"
    assert error_of(lambda: account_client("athena", MEMBER).list_table_metadata(CatalogName="AwsDataCatalog", DatabaseName=database))[0] == \
        "MetadataException"
