"""Seeds a Region where the new Security Hub is on beside Security Hub CSPM and GuardDuty, for
``tests/aws_guardduty.rs`` (the new Security Hub's test, Region ap-northeast-1 of its own):

- CSPM: a failing S3.1 control finding and an Inspector finding (exploit available) on a Lambda
  function, imported through BatchImportFindings;
- GuardDuty: a detector with one sample SSH brute-force finding;
- the new Security Hub (EnableSecurityHubV2) with a ServiceNow connector (CONNECTED at once) and
  OCSF findings seeded through the extension's
  ``POST /moto-api/vigil/securityhub-v2-findings`` in GetFindingsV2's shape: the same three findings
  read a second way (their ``finding_info.uid`` is CSPM's ``Id`` or GuardDuty's ARN), a Macie
  finding only the new Security Hub holds, a resolved one, and an exposure finding on the Lambda
  function correlating the Inspector finding with a Lambda.1 reachability finding.

    $VIGIL_MOTO_PYTHON -c "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_securityhub_v2; \\
        print(json.dumps(seed_securityhub_v2.seed('http://127.0.0.1:PORT', 'ap-northeast-1')))"

Answers the ids the test checks. Seeding twice replaces the OCSF findings (their ``metadata.uid``
is derived from their ids) but imports the CSPM findings again under the same ids.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any

import boto3

ACCOUNT = "123456789012"


def _client(endpoint: str, service: str, region: str):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def _iso(days_ago: float) -> str:
    t = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _asff(region: str, finding_id: str, product: str, title: str, severity: str, resource: tuple[str, str], **extra) -> dict:
    f = {
        "SchemaVersion": "2018-10-08", "Id": finding_id,
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/{product}",
        "GeneratorId": finding_id.split("/finding/")[0], "AwsAccountId": ACCOUNT, "Region": region,
        "Types": ["Software and Configuration Checks/Vulnerabilities/CVE"],
        "CreatedAt": _iso(2), "UpdatedAt": _iso(0.1), "FirstObservedAt": _iso(2), "LastObservedAt": _iso(0.1),
        "Severity": {"Label": severity}, "Title": title, "Description": title + ".",
        "Resources": [{"Type": resource[0], "Id": resource[1], "Partition": "aws", "Region": region}],
        "Workflow": {"Status": "NEW"}, "RecordState": "ACTIVE",
    }
    f.update(extra)
    return f


def _ocsf(region: str, uid: str, product: str, title: str, severity_id: int, resource: tuple[str, str], *,
          status_id: int = 1, types: list[str] | None = None, **extra) -> dict:
    """A finding as GetFindingsV2 returns it (OCSF 1.6 Detection Finding)."""
    severities = {1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical"}
    doc: dict[str, Any] = {
        "activity_id": 1, "activity_name": "Create", "category_name": "Findings", "category_uid": 2,
        "class_name": "Detection Finding", "class_uid": 2004, "type_uid": 200401,
        "cloud": {"account": {"uid": ACCOUNT}, "provider": "AWS", "region": region},
        "finding_info": {
            "created_time_dt": _iso(2), "first_seen_time_dt": _iso(2), "last_seen_time_dt": _iso(0.1),
            "modified_time_dt": _iso(0.1), "title": title, "desc": title + ".", "types": types or [], "uid": uid},
        "metadata": {"product": {"name": product, "uid": f"arn:aws:securityhub:{region}::productv2/aws/{product}",
                                 "vendor_name": "AWS"}, "version": "1.6.0"},
        "resources": [{"type": resource[0], "uid": resource[1], "region": region, "cloud_partition": "aws"}],
        "severity": severities[severity_id], "severity_id": severity_id, "status_id": status_id, "time_dt": _iso(0.1),
    }
    doc.update(extra)
    return doc


def _post(endpoint: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(f"{endpoint}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def seed(endpoint: str, region: str) -> dict:
    sh = _client(endpoint, "securityhub", region)
    gd = _client(endpoint, "guardduty", region)
    sh.enable_security_hub(EnableDefaultStandards=False)
    detectors = gd.list_detectors()["DetectorIds"]
    detector = detectors[0] if detectors else gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["UnauthorizedAccess:EC2/SSHBruteForce"])
    gd_ids = gd.list_findings(DetectorId=detector)["FindingIds"]
    guardduty = gd.get_findings(DetectorId=detector, FindingIds=gd_ids)["Findings"][0]

    function = f"arn:aws:lambda:{region}:{ACCOUNT}:function:checkout-api"
    bucket = "arn:aws:s3:::v2-customer-data"
    control_id = f"arn:aws:securityhub:{region}:{ACCOUNT}:security-control/S3.1/finding/0f0e0d0c-0b0a-4909-8807-060504030201"
    inspector_id = f"arn:aws:inspector2:{region}:{ACCOUNT}:finding/{'ab' * 16}"
    lambda_control_id = f"arn:aws:securityhub:{region}:{ACCOUNT}:security-control/Lambda.1/finding/1a2b3c4d-0000-4000-8000-000000000001"
    cspm = [
        _asff(region, control_id, "securityhub", "S3 general purpose buckets should have block public access settings enabled",
              "MEDIUM", ("AwsS3Bucket", "arn:aws:s3:::v2-assets"),
              Compliance={"Status": "FAILED", "SecurityControlId": "S3.1"},
              Types=["Software and Configuration Checks/Industry and Regulatory Standards"]),
        _asff(region, inspector_id, "inspector", "CVE-2023-33246 - org.apache.rocketmq:rocketmq-controller", "HIGH",
              ("AwsLambdaFunction", function),
              Vulnerabilities=[{"Id": "CVE-2023-33246", "ExploitAvailable": "YES"}]),
    ]
    imported = sh.batch_import_findings(Findings=cspm)
    assert imported["FailedCount"] == 0, imported

    sh.enable_security_hub_v2()
    connectors = sh.list_connectors_v2()["Connectors"]
    if not connectors:
        sh.create_connector_v2(Name="shop-servicenow", Provider={"ServiceNow": {
            "InstanceName": "shop", "SecretArn": f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:servicenow-AbCdEf"}})
    macie_id = f"arn:aws:macie2:{region}:{ACCOUNT}:finding/{'cd' * 16}"
    resolved_id = f"arn:aws:macie2:{region}:{ACCOUNT}:finding/{'ef' * 16}"
    exposure_id = f"arn:aws:securityhub:{region}:{ACCOUNT}:risk:{'12' * 32}"
    findings = [
        _ocsf(region, guardduty["Arn"], "guardduty", guardduty["Title"], 4, ("AWS::EC2::Instance", "i-99999999"),
              types=[guardduty["Type"]]),
        _ocsf(region, control_id, "securityhub", "S3 general purpose buckets should have block public access settings enabled",
              3, ("AWS::S3::Bucket", "arn:aws:s3:::v2-assets"), compliance={"control": "S3.1", "status": "Failed"}),
        _ocsf(region, inspector_id, "inspector", "CVE-2023-33246 - org.apache.rocketmq:rocketmq-controller", 4,
              ("AWS::Lambda::Function", function), vulnerabilities=[{"cve": {"uid": "CVE-2023-33246"}, "is_exploit_available": True}]),
        _ocsf(region, macie_id, "macie", "The S3 bucket contains customer e-mail addresses.", 4, ("AWS::S3::Bucket", bucket),
              types=["SensitiveData:S3Object/Personal"]),
        _ocsf(region, resolved_id, "macie", "The S3 bucket contained credentials (resolved).", 3, ("AWS::S3::Bucket", bucket),
              status_id=4),
        # The user guide's sample exposure finding, on this Region's function.
        {
            "activity_id": 1, "activity_name": "Create", "class_name": "Detection Finding", "class_uid": 2004,
            "cloud": {"account": {"uid": ACCOUNT}, "cloud_partition": "aws", "provider": "AWS", "region": region},
            "finding_info": {
                "analytic": {"name": "Exposure", "type": "Rule", "type_id": 1, "uid": "0.0.1"},
                "created_time_dt": _iso(1), "modified_time_dt": _iso(1),
                "title": "Publicly invocable Lambda function executed outside of VPC has vulnerability with known exploit that can be exploited from remote network",
                "desc": "Publicly invocable Lambda function has a vulnerability with a known exploit.",
                "types": ["Exposure/Potential Impact/Resource Hijacking"], "uid": exposure_id, "related_events_count": 2,
                "related_events": [
                    {"tags": [{"name": "Vulnerability", "values": ["Exploit Available", "Attack Vector Network"]}],
                     "product": {"uid": f"arn:aws:securityhub:{region}::productv2/aws/inspector"},
                     "observables": [{"type": "Resource UID", "type_id": 10, "value": function}],
                     "type": "Finding", "title": "CVE-2023-33246 - org.apache.rocketmq:rocketmq-controller", "uid": inspector_id},
                    {"tags": [{"name": "Reachability", "values": ["Publicly Invocable"]}],
                     "product": {"uid": f"arn:aws:securityhub:{region}::productv2/aws/securityhub"},
                     "observables": [{"type": "Resource UID", "type_id": 10, "value": function}],
                     "type": "Finding", "title": "Lambda function policies should prohibit public access", "uid": lambda_control_id}]},
            "metadata": {"product": {"name": "Security Hub Exposure Analysis",
                                     "uid": f"arn:aws:securityhub:{region}::productv2/aws/securityhub-risk", "vendor_name": "Amazon"},
                         "profiles": ["cloud", "datetime"], "version": "1.4.0-dev"},
            "resources": [{"cloud_partition": "aws", "region": region, "type": "AwsLambdaFunction", "uid": function}],
            "severity": "Critical", "severity_id": 5, "status": "New", "status_id": 1, "time_dt": _iso(1),
        },
    ]
    seeded = _post(endpoint, "/moto-api/vigil/securityhub-v2-findings", {"account": ACCOUNT, "region": region, "findings": findings})
    uids = seeded["metadata_uids"]
    return {
        "region": region,
        "guardduty_id": guardduty["Arn"],
        "control_id": control_id,
        "inspector_id": inspector_id,
        "macie_id": macie_id,
        "macie_uid": uids[3],
        "resolved_id": resolved_id,
        "exposure_id": exposure_id,
        "function": function,
    }
