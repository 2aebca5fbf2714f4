"""GuardDuty findings seeded in GetFindings' wire shape (POST /moto-api/vigil/guardduty-findings and
seed_guardduty.py): Extended Threat Detection attack sequences with their signals and findings on
the newer resource types, read back through boto3 (botocore parses every response against its
model) and as raw HTTP bodies (what the Rust SDK parses). Runs against the server tests/run started
(VIGIL_MOTO_ENDPOINT) and resets it before each test."""

import copy
import datetime as dt
import json
import os
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

import seed_guardduty

ENDPOINT = os.environ.get("VIGIL_MOTO_ENDPOINT", "")
pytestmark = pytest.mark.skipif(not ENDPOINT, reason="needs the moto server from tests/run")
ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
REGION = "sa-east-1"
SEQUENCE_SIGNAL_TIMES = ("createdAt", "updatedAt", "firstSeenAt", "lastSeenAt")


def reset_server():
    urllib.request.urlopen(urllib.request.Request(f"{ENDPOINT}/moto-api/reset", method="POST")).read()


@pytest.fixture(autouse=True)
def reset():
    reset_server()


def client(service="guardduty", region=REGION):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def seed(body, method="POST"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(f"{ENDPOINT}/moto-api/vigil/guardduty-findings", data=data if method == "POST" else None,
                                     method=method, headers={"Content-Type": "application/json"})
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


def leaves(value):
    """How many scalar values a document holds: botocore drops members its model lacks, so a parsed
    answer with fewer leaves than the wire body lost something."""
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def nulls(value, path="$"):
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nulls(v, f"{path}[{i}]")]
    return []


def all_ids(gd, detector, **criteria):
    kwargs = {"FindingCriteria": {"Criterion": criteria}} if criteria else {}
    return [i for page in gd.get_paginator("list_findings").paginate(DetectorId=detector, **kwargs) for i in page["FindingIds"]]


def minimal(fid, finding_type="Recon:EC2/PortProbeUnprotectedPort", resource_type="Instance", **extra):
    return {"id": fid, "type": finding_type, "severity": 2.0, "createdAt": "2026-11-20T08:00:00.000Z",
            "updatedAt": "2026-11-20T08:00:00.000Z", "resource": {"resourceType": resource_type}, **extra}


def test_extended_threat_detection_reads_back_through_boto3():
    expect = seed_guardduty.seed_extended_threat_detection(ENDPOINT, ACCOUNT, REGION)
    gd = client()
    detector = expect["detector_id"]
    assert gd.list_detectors()["DetectorIds"] == [detector]
    assert expect["sequence_arn"] == f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{detector}/finding/{expect['sequence_id']}"
    by_type = expect["by_resource_type"]
    assert set(by_type) == {"Lambda", "RDSDBInstance", "RDSLimitlessDB", "ECSCluster", "Container"}
    ids = [expect["sequence_id"], *expect["signal_ids"], *by_type.values()]
    assert len(set(ids)) == 8 and set(all_ids(gd, detector)) == set(ids)

    raw = raw_body(gd, "GetFindings")
    findings = {f["Id"]: f for f in gd.get_findings(DetectorId=detector, FindingIds=ids)["Findings"]}
    assert leaves(json.loads(raw["body"])) == leaves(list(findings.values())), "botocore dropped members its model lacks"

    sequence = findings[expect["sequence_id"]]
    assert sequence["Type"] == "AttackSequence:IAM/CompromisedCredentials" and sequence["Severity"] == 9.5
    assert sequence["Arn"] == expect["sequence_arn"] and "AssociatedAttackSequenceArn" not in sequence
    assert sequence["Resource"]["ResourceType"] == "AccessKey"
    detail = sequence["Service"]["Detection"]["Sequence"]
    assert detail["Uid"] and detail["Description"]
    actor = detail["Actors"][0]
    assert actor["User"]["Account"] == {"Uid": ACCOUNT, "Name": "production"}  # Name travels as "account"
    assert actor["Session"]["MfaStatus"] == "DISABLED" and isinstance(actor["Session"]["CreatedTime"], dt.datetime)
    assert [r["ResourceType"] for r in detail["Resources"]] == ["ACCESS_KEY", "S3_BUCKET", "EC2_INSTANCE"]
    assert all(r["AccountId"] == ACCOUNT and r["Region"] == REGION for r in detail["Resources"])
    assert detail["Resources"][1]["Data"]["S3Bucket"]["PublicReadAccess"] == "BLOCKED"
    assert detail["Endpoints"][0]["Location"]["Latitude"] == 52.37  # "lat" on the wire
    assert detail["Endpoints"][0]["AutonomousSystem"]["Number"] == 64500
    signals = detail["Signals"]
    assert [s["Type"] for s in signals] == ["FINDING", "FINDING", "CLOUD_TRAIL"]
    signal_arns = [findings[i]["Arn"] for i in expect["signal_ids"]]
    assert [s["Uid"] for s in signals[:2]] == signal_arns
    assert [s["Name"] for s in signals[:2]] == [findings[i]["Type"] for i in expect["signal_ids"]]
    for s in signals:
        times = [s[k] for k in ("CreatedAt", "UpdatedAt", "FirstSeenAt", "LastSeenAt")]
        assert all(isinstance(t, dt.datetime) and abs((dt.datetime.now(dt.timezone.utc) - t).total_seconds()) < 6 * 3600
                   for t in times), s
        assert s["FirstSeenAt"] <= s["LastSeenAt"] and s["Count"] >= 1 and s["Severity"] > 0
    assert signals[2]["Activities"][0]["Api"]["Operation"] == "DescribeInstances"
    assert {i["Key"] for i in detail["SequenceIndicators"]} == {"ATTACK_TACTIC", "HIGH_RISK_API", "MALICIOUS_IP"}

    for signal_id in expect["signal_ids"]:
        assert findings[signal_id]["AssociatedAttackSequenceArn"] == expect["sequence_arn"]
    assert [findings[i]["Resource"]["ResourceType"] for i in expect["signal_ids"]] == ["AccessKey", "S3Bucket"]

    lam = findings[by_type["Lambda"]]["Resource"]
    assert lam["ResourceType"] == "Lambda"
    assert lam["LambdaDetails"]["FunctionName"] == "invoice-renderer" and lam["LambdaDetails"]["FunctionVersion"] == "$LATEST"
    assert lam["LambdaDetails"]["FunctionArn"] == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:invoice-renderer"
    assert isinstance(lam["LambdaDetails"]["LastModifiedAt"], dt.datetime)
    assert lam["LambdaDetails"]["VpcConfig"]["SecurityGroups"][0]["GroupId"].startswith("sg-")
    rds = findings[by_type["RDSDBInstance"]]
    details = rds["Resource"]["RdsDbInstanceDetails"]
    assert rds["Resource"]["ResourceType"] == "RDSDBInstance"
    assert (details["DbInstanceIdentifier"], details["Engine"], details["DbClusterIdentifier"]) == ("billing-db-1", "aurora-postgresql", "billing-cluster")
    assert details["DbInstanceArn"] == f"arn:aws:rds:{REGION}:{ACCOUNT}:db:billing-db-1"
    assert rds["Resource"]["RdsDbUserDetails"]["User"] == "app_admin"
    assert rds["Service"]["Action"]["RdsLoginAttemptAction"]["LoginAttributes"][0]["SuccessfulLoginAttempts"] == 1
    limitless = findings[by_type["RDSLimitlessDB"]]["Resource"]
    assert limitless["ResourceType"] == "RDSLimitlessDB"
    assert limitless["RdsLimitlessDbDetails"]["DbShardGroupIdentifier"] == "orders-shards"
    assert limitless["RdsLimitlessDbDetails"]["DbShardGroupArn"] == f"arn:aws:rds:{REGION}:{ACCOUNT}:shard-group:orders-shards"
    assert limitless["RdsLimitlessDbDetails"]["DbClusterIdentifier"] == "orders-cluster"
    ecs = findings[by_type["ECSCluster"]]
    cluster = ecs["Resource"]["EcsClusterDetails"]
    assert ecs["Resource"]["ResourceType"] == "ECSCluster"
    assert (cluster["Name"], cluster["Status"], cluster["RunningTasksCount"]) == ("checkout", "ACTIVE", 6)
    assert cluster["Arn"] == f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/checkout"
    task = cluster["TaskDetails"]
    assert task["LaunchType"] == "FARGATE" and isinstance(task["TaskCreatedAt"], dt.datetime)  # "createdAt" on the wire
    assert task["Containers"][0]["Image"].endswith("/checkout-api:1.42.0")
    assert isinstance(ecs["Service"]["RuntimeDetails"]["Process"]["StartTime"], dt.datetime)
    container = findings[by_type["Container"]]["Resource"]
    assert container["ResourceType"] == "Container"
    assert (container["ContainerDetails"]["Name"], container["ContainerDetails"]["Image"]) == ("web-frontend", "public.ecr.aws/nginx/nginx:1.25")
    assert container["ContainerDetails"]["Id"] and container["ContainerDetails"]["SecurityContext"]["Privileged"] is True

    for f in findings.values():
        assert f["AccountId"] == ACCOUNT and f["Region"] == REGION and f["Partition"] == "aws" and f["SchemaVersion"] == "2.0"
        assert f["Arn"] == f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{detector}/finding/{f['Id']}"
        assert f["Service"]["DetectorId"] == detector and f["Service"]["Archived"] is False
        assert f["Service"]["ServiceName"] == "guardduty"


def test_get_findings_answers_the_seeded_members_as_they_were_given():
    """The raw GetFindings body: the posted findings exactly (with the filled members), no nulls,
    Timestamp members as epoch-second numbers and the String times as ISO 8601 text."""
    gd = client()
    detector = seed_guardduty.detector(ENDPOINT, ACCOUNT, REGION)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    sequence_arn = seed_guardduty.finding_arn(ACCOUNT, REGION, detector, seed_guardduty.finding_id(ACCOUNT, REGION, "sequence"))
    signals = seed_guardduty.signal_findings(ACCOUNT, REGION, detector, sequence_arn, now)
    sequence = seed_guardduty.attack_sequence_finding(ACCOUNT, REGION, detector, signals, now)
    posted = [sequence, *signals, *seed_guardduty.resource_findings(ACCOUNT, REGION, detector, now).values()]
    posted[1]["title"] = None  # null: absent
    status, answer = seed({"region": REGION, "detectorId": detector, "findings": posted})
    assert status == 200 and answer == {"finding_ids": [f["id"] for f in posted]}

    raw = raw_body(gd, "GetFindings")
    gd.get_findings(DetectorId=detector, FindingIds=answer["finding_ids"])
    wire = json.loads(raw["body"])["findings"]
    assert nulls(wire) == []
    assert "title" not in wire[1]
    for given, got in zip(posted, wire):
        expected = copy.deepcopy({k: v for k, v in given.items() if v is not None})
        expected.update(accountId=ACCOUNT, region=REGION, partition="aws", schemaVersion="2.0",
                        arn=f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{detector}/finding/{given['id']}")
        assert got == expected
        assert isinstance(got["createdAt"], str) and isinstance(got["updatedAt"], str)  # String in the model
        assert isinstance(got["severity"], float)
    sequence_wire = wire[0]["service"]["detection"]["sequence"]
    for signal in sequence_wire["signals"]:
        for key in SEQUENCE_SIGNAL_TIMES:
            assert isinstance(signal[key], int) and 1.5e9 < signal[key] < 1e10, (key, signal[key])  # epoch seconds
    assert sequence_wire["actors"][0]["user"]["account"] == {"uid": ACCOUNT, "account": "production"}
    rds = wire[posted.index(next(f for f in posted if f["resource"]["resourceType"] == "RDSDBInstance"))]
    assert "LoginAttributes" in rds["service"]["action"]["rdsLoginAttemptAction"]  # no locationName in the model
    assert {s["associatedAttackSequenceArn"] for s in wire[1:3]} == {sequence_arn}


def test_seeded_findings_list_filter_page_and_archive():
    expect = seed_guardduty.seed_extended_threat_detection(ENDPOINT, ACCOUNT, REGION)
    gd, detector = client(), expect["detector_id"]
    everything = set(all_ids(gd, detector))
    assert len(everything) == 8
    assert all_ids(gd, detector, type={"Equals": ["AttackSequence:IAM/CompromisedCredentials"]}) == [expect["sequence_id"]]
    for kind, fid in expect["by_resource_type"].items():
        assert all_ids(gd, detector, **{"resource.resourceType": {"Equals": [kind]}}) == [fid]
    assert set(all_ids(gd, detector, **{"resource.resourceType": {"Equals": ["RDSDBInstance", "RDSLimitlessDB"]}})) == {
        expect["by_resource_type"]["RDSDBInstance"], expect["by_resource_type"]["RDSLimitlessDB"]}
    assert set(all_ids(gd, detector, associatedAttackSequenceArn={"Equals": [expect["sequence_arn"]]})) == set(expect["signal_ids"])
    assert all_ids(gd, detector, severity={"GreaterThanOrEqual": 9}) == [expect["sequence_id"]]

    first = gd.list_findings(DetectorId=detector, MaxResults=3)
    assert len(first["FindingIds"]) == 3 and first["NextToken"]
    pages = list(gd.get_paginator("list_findings").paginate(DetectorId=detector, PaginationConfig={"PageSize": 3}))
    assert [len(p["FindingIds"]) for p in pages] == [3, 3, 2]
    by_severity = gd.list_findings(DetectorId=detector, SortCriteria={"AttributeName": "severity", "OrderBy": "DESC"})["FindingIds"]
    assert by_severity[0] == expect["sequence_id"]

    gd.archive_findings(DetectorId=detector, FindingIds=[expect["sequence_id"], *expect["signal_ids"]])
    archived = {expect["sequence_id"], *expect["signal_ids"]}
    assert set(all_ids(gd, detector, **{"service.archived": {"Equals": ["true"]}})) == archived
    assert set(all_ids(gd, detector, **{"service.archived": {"Equals": ["false"]}})) == everything - archived
    got = gd.get_findings(DetectorId=detector, FindingIds=[expect["sequence_id"]])["Findings"][0]
    assert got["Service"]["Archived"] is True and got["Service"]["Detection"]["Sequence"]["Signals"]
    gd.unarchive_findings(DetectorId=detector, FindingIds=[expect["sequence_id"]])
    assert all_ids(gd, detector, type={"Equals": ["AttackSequence:IAM/CompromisedCredentials"]},
                   **{"service.archived": {"Equals": ["false"]}}) == [expect["sequence_id"]]


def test_seeding_again_replaces_the_same_findings_and_reset_forgets_them():
    first = seed_guardduty.seed_extended_threat_detection(ENDPOINT, ACCOUNT, REGION)
    gd = client()
    gd.archive_findings(DetectorId=first["detector_id"], FindingIds=[first["sequence_id"]])
    assert seed_guardduty.seed_extended_threat_detection(ENDPOINT, ACCOUNT, REGION) == first
    assert len(all_ids(gd, first["detector_id"])) == 8
    got = gd.get_findings(DetectorId=first["detector_id"], FindingIds=[first["sequence_id"]])["Findings"][0]
    assert got["Service"]["Archived"] is False, "the seeded finding replaced the archived one"
    reset_server()
    assert gd.list_detectors()["DetectorIds"] == []
    again = seed_guardduty.seed_extended_threat_detection(ENDPOINT, ACCOUNT, REGION)
    assert again["detector_id"] != first["detector_id"] and len(all_ids(gd, again["detector_id"])) == 8


def test_seeding_another_account_keeps_its_findings_there():
    other = seed_guardduty.seed_extended_threat_detection(ENDPOINT, OTHER_ACCOUNT, REGION)
    mine = client()
    assert mine.list_detectors()["DetectorIds"] == []
    theirs = seed_guardduty.account_client(ENDPOINT, "guardduty", OTHER_ACCOUNT, REGION)
    assert theirs.list_detectors()["DetectorIds"] == [other["detector_id"]]
    findings = theirs.get_findings(DetectorId=other["detector_id"], FindingIds=[other["sequence_id"]])["Findings"]
    assert findings[0]["AccountId"] == OTHER_ACCOUNT and f":{OTHER_ACCOUNT}:detector/" in findings[0]["Arn"]
    assert findings[0]["Service"]["Detection"]["Sequence"]["Actors"][0]["User"]["Account"]["Uid"] == OTHER_ACCOUNT
    assert client(region="us-east-1").list_detectors()["DetectorIds"] == []


def test_seeding_fills_what_is_absent_and_converts_timestamps():
    gd = client()
    detector = gd.create_detector(Enable=True)["DetectorId"]
    signal = {"uid": "s-1", "type": "CLOUD_TRAIL", "name": "s3:ListBuckets", "createdAt": "2026-11-20T08:00:00Z",
              "updatedAt": 1795161600.5, "firstSeenAt": "2026-11-20T07:00:00.250+00:00", "lastSeenAt": 1795161600, "count": 1}
    status, answer = seed({"region": REGION, "detectorId": detector, "findings": [
        minimal("f-1"),
        minimal("f-2", "AttackSequence:IAM/CompromisedCredentials", "AccessKey", severity=9,
                service={"serviceName": "guardduty", "archived": True, "count": 7,
                         "detection": {"sequence": {"uid": "q", "description": "d", "signals": [signal]}}},
                arn="arn:aws:guardduty:sa-east-1:123456789012:detector/custom/finding/f-2")]})
    assert status == 200 and answer == {"finding_ids": ["f-1", "f-2"]}
    raw = raw_body(gd, "GetFindings")
    got = gd.get_findings(DetectorId=detector, FindingIds=["f-1", "f-2"])["Findings"]
    wire = json.loads(raw["body"])["findings"]
    assert wire[0] == {**minimal("f-1"), "accountId": ACCOUNT, "region": REGION, "partition": "aws", "schemaVersion": "2.0",
                       "arn": f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{detector}/finding/f-1",
                       "service": {"detectorId": detector, "archived": False, "count": 1, "serviceName": "guardduty"}}
    assert wire[1]["arn"].endswith(":detector/custom/finding/f-2"), "a given arn is kept"
    assert wire[1]["severity"] == 9.0 and isinstance(wire[1]["severity"], float)
    assert (wire[1]["service"]["archived"], wire[1]["service"]["count"], wire[1]["service"]["detectorId"]) == (True, 7, detector)
    stored = wire[1]["service"]["detection"]["sequence"]["signals"][0]
    assert (stored["createdAt"], stored["updatedAt"], stored["firstSeenAt"], stored["lastSeenAt"]) == (
        1795161600, 1795161600.5, 1795158000.25, 1795161600)
    assert got[1]["Service"]["Detection"]["Sequence"]["Signals"][0]["CreatedAt"] == dt.datetime(2026, 11, 20, 8, tzinfo=dt.timezone.utc)
    assert all_ids(gd, detector, **{"service.archived": {"Equals": ["false"]}}) == ["f-1"]


def test_seeding_refuses_what_is_not_a_finding():
    detector = client().create_detector(Enable=True)["DetectorId"]
    ok = {"region": REGION, "detectorId": detector, "findings": [minimal("good")]}

    def refused(body, *words):
        status, answer = seed(body)
        assert status == 400 and set(answer) == {"error"}, (body, answer)
        assert all(w in answer["error"] for w in words), answer["error"]

    def finding(**changes):
        return {**ok, "findings": [minimal("good"), {**minimal("bad"), **changes}]}

    refused(b"not json", "not JSON")
    refused([], "object")
    refused({**ok, "detectorId": "0" * 32}, "does not exist")
    refused({k: v for k, v in ok.items() if k != "detectorId"}, "does not exist")
    refused({**ok, "region": "us-east-1"}, "does not exist")  # the detector is in sa-east-1
    refused({**ok, "account": OTHER_ACCOUNT}, "does not exist")
    refused({**ok, "region": "moon-1"}, "not a GuardDuty Region")
    refused({**ok, "account": "12345"}, "12-digit")
    refused({**ok, "findings": {"id": "x"}}, "list")
    refused({**ok, "extra": 1}, "extra")
    refused({**ok, "findings": ["x"]}, "Finding object")
    for key in ("id", "type", "severity", "createdAt", "updatedAt"):
        bad = minimal("bad")
        del bad[key]
        refused({**ok, "findings": [bad]}, key)
    refused(finding(resource={}), "resource.resourceType")
    refused(finding(id="a/b"), "id must be")
    refused(finding(severity="HIGH"), "severity", "number")
    refused(finding(createdAt="yesterday"), "createdAt", "ISO 8601")
    refused(finding(createdAt=1795161600), "createdAt", "string")  # the model's String, not a Timestamp
    refused(finding(Type="x"), "Type is not a member of Finding")  # PascalCase is botocore's, not the wire's
    refused(finding(resource={"resourceType": "Lambda", "lambdaDetails": {"name": "f"}}), "lambdaDetails.name", "functionName")
    refused(finding(resource={"resourceType": "ECSCluster", "ecsClusterDetails": {"runningTasksCount": "6"}}), "whole number")
    refused(finding(service={"archived": "false"}), "archived", "true or false")
    sequence = {"uid": "q", "description": "d", "signals": [{
        "uid": "s", "type": "FINDING", "name": "n", "createdAt": 1795161600000, "updatedAt": 1, "firstSeenAt": 1,
        "lastSeenAt": 1, "count": 1}]}
    refused(finding(service={"detection": {"sequence": sequence}}), "createdAt", "milliseconds")
    sequence["signals"][0].update(createdAt=1, type="GUARDDUTY_FINDING")
    refused(finding(service={"detection": {"sequence": sequence}}), "GUARDDUTY_FINDING", "SignalType")
    sequence["signals"][0].update(type="FINDING")
    del sequence["signals"][0]["count"]
    refused(finding(service={"detection": {"sequence": sequence}}), "count", "required")
    sequence["signals"][0]["count"] = 1
    sequence["resources"] = [{"uid": "r", "resourceType": "AccessKey"}]
    refused(finding(service={"detection": {"sequence": sequence}}), "AccessKey", "ACCESS_KEY")
    sequence["resources"] = [{"uid": "r", "resourceType": "ACCESS_KEY"}]
    sequence["actors"] = [{"id": "a", "user": {"name": "n", "uid": "u", "type": "IAMUser", "account": {"uid": ACCOUNT, "name": "x"}}}]
    refused(finding(service={"detection": {"sequence": sequence}}), "account.name", "is not a member of Account")

    gd = client()
    assert gd.list_findings(DetectorId=detector)["FindingIds"] == [], "a refused body stores nothing"
    assert seed(None, method="GET")[0] == 405
    sequence["actors"][0]["user"]["account"] = {"uid": ACCOUNT, "account": "x"}
    assert seed(finding(service={"detection": {"sequence": sequence}})) == (200, {"finding_ids": ["good", "bad"]})
    with pytest.raises(ClientError) as err:
        gd.get_findings(DetectorId="0" * 32, FindingIds=["good"])
    assert err.value.response["Error"]["Code"] == "BadRequestException"
