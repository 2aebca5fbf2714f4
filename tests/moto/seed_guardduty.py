"""Seeds GuardDuty findings no API can create into the moto server: an Extended Threat Detection
attack sequence (``AttackSequence:IAM/CompromisedCredentials``) with its signal findings, and one
finding on each newer resource type (Lambda, RDS DB instance, RDS Limitless database, ECS cluster,
container). Goes through the extension's seeding endpoint ``POST /moto-api/vigil/guardduty-findings``
(see ``vigil_moto/guardduty.py``); the findings are in GetFindings' wire shape.

    python tests/moto/seed_guardduty.py ENDPOINT [ACCOUNT] [REGION]     # writes the JSON to stdout

or, like ``tests/aws_budget.rs`` calls ``seed.py``'s helpers:

    $VIGIL_MOTO_PYTHON -c "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_guardduty; \\
        print(json.dumps(seed_guardduty.seed_extended_threat_detection('http://127.0.0.1:PORT', '123456789012', 'sa-east-1')))"

Finding ids are fixed by account, Region and role (uuid5), so seeding again replaces the same
findings (their times move to now) instead of adding more.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

import boto3

ACCOUNT = "123456789012"
REGION = "sa-east-1"
SEQUENCE_TYPE = "AttackSequence:IAM/CompromisedCredentials"
SIGNAL_TYPES = ("Discovery:IAMUser/AnomalousBehavior", "Exfiltration:S3/AnomalousBehavior")
# resource.resourceType -> finding type of the finding seeded on it
RESOURCE_TYPES = {
    "Lambda": "Backdoor:Lambda/C&CActivity.B",
    "RDSDBInstance": "CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin",
    "RDSLimitlessDB": "CredentialAccess:RDS/MaliciousIPCaller.SuccessfulLogin",
    "ECSCluster": "CryptoCurrency:Runtime/BitcoinTool.B!DNS",
    "Container": "Execution:Runtime/ReverseShell",
}
NAMESPACE = uuid.UUID("6f1c2a8e-6d0b-4f5e-9a51-3c7d9b0e4a21")
ATTACKER_IP = "198.51.100.7"
USER = "ci-deployer"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"


def finding_id(account: str, region: str, role: str) -> str:
    """The fixed id of the finding seeded for `role` in `account` and `region` (32 hex digits, as GuardDuty's)."""
    return uuid.uuid5(NAMESPACE, f"{account}/{region}/{role}").hex


def finding_arn(account: str, region: str, detector_id: str, fid: str) -> str:
    return f"arn:aws:guardduty:{region}:{account}:detector/{detector_id}/finding/{fid}"


def iso(t: dt.datetime) -> str:
    """The text GuardDuty's String time members hold (createdAt, updatedAt, eventFirstSeen, ...)."""
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def epoch(t: dt.datetime) -> int:
    """Epoch seconds: the wire form of GuardDuty's Timestamp members (signals, lambdaDetails.lastModifiedAt, ...)."""
    return int(t.timestamp())


def account_client(endpoint: str, service: str, account: str = ACCOUNT, region: str = REGION):
    """A client acting in `account` (moto's x-moto-account-id header; the default account needs none)."""
    c = boto3.client(service, endpoint_url=endpoint, region_name=region,
                     aws_access_key_id="testing", aws_secret_access_key="testing")
    if account != ACCOUNT:
        c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c


def detector(endpoint: str, account: str = ACCOUNT, region: str = REGION) -> str:
    """The account's GuardDuty detector in `region` (ListDetectors), created (enabled) if there is none."""
    gd = account_client(endpoint, "guardduty", account, region)
    found = [d for page in gd.get_paginator("list_detectors").paginate() for d in page["DetectorIds"]]
    return found[0] if found else gd.create_detector(Enable=True)["DetectorId"]


def post_findings(endpoint: str, body: dict[str, Any]) -> list[str]:
    """POST /moto-api/vigil/guardduty-findings; the stored ids, or RuntimeError with the server's error."""
    request = urllib.request.Request(f"{endpoint}/moto-api/vigil/guardduty-findings", data=json.dumps(body).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())["finding_ids"]
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"seeding GuardDuty findings: HTTP {err.code}: {err.read().decode()}") from None


# --------------------------------------------------------------------------------------------
# the findings


def _remote_ip(ip: str = ATTACKER_IP) -> dict[str, Any]:
    return {"ipAddressV4": ip, "city": {"cityName": "Amsterdam"}, "country": {"countryCode": "NL", "countryName": "Netherlands"},
            "geoLocation": {"lat": 52.37, "lon": 4.89},
            "organization": {"asn": "64500", "asnOrg": "EXAMPLE-TRANSIT", "isp": "Example Transit", "org": "Example Transit"}}


def _access_key() -> dict[str, Any]:
    return {"accessKeyId": ACCESS_KEY, "principalId": "AIDACKCEVSQ6C2EXAMPLE", "userName": USER, "userType": "IAMUser"}


def _service(detector_id: str, first: dt.datetime, last: dt.datetime, count: int = 1, **extra: Any) -> dict[str, Any]:
    return {"serviceName": "guardduty", "detectorId": detector_id, "archived": False, "count": count,
            "eventFirstSeen": iso(first), "eventLastSeen": iso(last), "resourceRole": "TARGET", **extra}


def _finding(fid: str, finding_type: str, severity: float, title: str, description: str, resource: dict[str, Any],
             service: dict[str, Any], created: dt.datetime, updated: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {"id": fid, "type": finding_type, "severity": severity, "title": title, "description": description,
            "createdAt": iso(created), "updatedAt": iso(updated), "resource": resource, "service": service, **extra}


def signal_findings(account: str, region: str, detector_id: str, sequence_arn: str, now: dt.datetime) -> list[dict[str, Any]]:
    """The two findings the attack sequence correlates, each pointing at it (associatedAttackSequenceArn)."""
    discovery_at, exfiltration_at = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    discovery = _finding(
        finding_id(account, region, "signal-discovery"), SIGNAL_TYPES[0], 5.0,
        f"Unusual discovery APIs called by {USER}.",
        f"APIs commonly used in discovery tactics were invoked by user IAMUser : {USER} under unusual circumstances.",
        {"resourceType": "AccessKey", "accessKeyDetails": _access_key()},
        _service(detector_id, discovery_at - dt.timedelta(minutes=20), discovery_at, count=14, action={
            "actionType": "AWS_API_CALL",
            "awsApiCallAction": {"api": "ListBuckets", "serviceName": "s3.amazonaws.com", "callerType": "Remote IP",
                                 "userAgent": "aws-cli/2.15.0", "remoteIpDetails": _remote_ip()}}),
        discovery_at, discovery_at, associatedAttackSequenceArn=sequence_arn)
    bucket = "vigil-customer-exports"
    exfiltration = _finding(
        finding_id(account, region, "signal-exfiltration"), SIGNAL_TYPES[1], 8.0,
        f"Unusual data retrieval from S3 bucket {bucket} by {USER}.",
        f"An IAM entity invoked an S3 API in a suspicious way: GetObject on {bucket} from {ATTACKER_IP}.",
        {"resourceType": "S3Bucket", "accessKeyDetails": _access_key(),
         "s3BucketDetails": [{"arn": f"arn:aws:s3:::{bucket}", "name": bucket, "type": "Destination",
                              "createdAt": epoch(now - dt.timedelta(days=400)), "owner": {"id": "a1b2c3d4e5f6example"},
                              "tags": [{"key": "data", "value": "customer"}],
                              "defaultServerSideEncryption": {"encryptionType": "aws:kms",
                                                              "kmsMasterKeyArn": f"arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
                              "publicAccess": {"effectivePermission": "NOT_PUBLIC"}}]},
        _service(detector_id, exfiltration_at - dt.timedelta(minutes=10), exfiltration_at, count=230, action={
            "actionType": "AWS_API_CALL",
            "awsApiCallAction": {"api": "GetObject", "serviceName": "s3.amazonaws.com", "callerType": "Remote IP",
                                 "userAgent": "aws-cli/2.15.0", "remoteIpDetails": _remote_ip()}}),
        exfiltration_at, exfiltration_at, associatedAttackSequenceArn=sequence_arn)
    return [discovery, exfiltration]


def attack_sequence_finding(account: str, region: str, detector_id: str, signals: list[dict[str, Any]],
                            now: dt.datetime) -> dict[str, Any]:
    """AttackSequence:IAM/CompromisedCredentials over `signals` (two findings) and one CloudTrail activity."""
    fid = finding_id(account, region, "sequence")
    first, last = now - dt.timedelta(hours=3, minutes=20), now - dt.timedelta(minutes=50)
    bucket_arn = signals[1]["resource"]["s3BucketDetails"][0]["arn"]
    instance = "i-0abcd1234ef567890"
    actor, endpoint = "actor-1", f"endpoint-{ATTACKER_IP}"
    finding_signals = [{
        "uid": s["arn"] if "arn" in s else finding_arn(account, region, detector_id, s["id"]),
        "type": "FINDING", "name": s["type"], "description": s["title"],
        "createdAt": epoch(dt.datetime.fromisoformat(s["createdAt"].replace("Z", "+00:00"))),
        "updatedAt": epoch(dt.datetime.fromisoformat(s["updatedAt"].replace("Z", "+00:00"))),
        "firstSeenAt": epoch(dt.datetime.fromisoformat(s["service"]["eventFirstSeen"].replace("Z", "+00:00"))),
        "lastSeenAt": epoch(dt.datetime.fromisoformat(s["service"]["eventLastSeen"].replace("Z", "+00:00"))),
        "severity": s["severity"], "count": s["service"]["count"],
        "resourceUids": [ACCESS_KEY] + ([bucket_arn] if s["resource"]["resourceType"] == "S3Bucket" else []),
        "actorIds": [actor], "endpointIds": [endpoint],
        "signalIndicators": [{"key": "ATTACK_TACTIC", "values": ["Discovery" if i == 0 else "Exfiltration"],
                              "title": "Attack tactic"},
                             {"key": "MALICIOUS_IP", "values": [ATTACKER_IP], "title": "Malicious IP"}],
    } for i, s in enumerate(signals)]
    trail_at = now - dt.timedelta(hours=2)
    cloudtrail = {
        "uid": f"cloudtrail-{finding_id(account, region, 'signal-cloudtrail')}", "type": "CLOUD_TRAIL",
        "name": "ec2:DescribeInstances", "description": "An API call commonly used in discovery tactics.",
        "createdAt": epoch(trail_at), "updatedAt": epoch(trail_at), "firstSeenAt": epoch(trail_at - dt.timedelta(minutes=5)),
        "lastSeenAt": epoch(trail_at), "severity": 2.0, "count": 3, "resourceUids": [ACCESS_KEY, instance],
        "actorIds": [actor], "endpointIds": [endpoint],
        "signalIndicators": [{"key": "HIGH_RISK_API", "values": ["ec2:DescribeInstances"], "title": "High-risk API"}],
        "activities": [{"type": "API_CALL", "api": {"operation": "DescribeInstances", "service": "ec2.amazonaws.com",
                                                    "userAgent": "aws-cli/2.15.0"}}],
    }
    sequence = {
        "uid": f"sequence-{fid}",
        "description": f"A sequence of API requests invoked with the potentially compromised credentials of {USER}: "
                       "discovery, then unusual retrieval of customer data from S3.",
        "actors": [{"id": actor,
                    "user": {"name": USER, "uid": "AIDACKCEVSQ6C2EXAMPLE", "type": "IAMUser", "credentialUid": ACCESS_KEY,
                             "account": {"uid": account, "account": "production"}},
                    "session": {"uid": "ASIAIOSFODNN7SESSION", "mfaStatus": "DISABLED",
                                "createdTime": epoch(first - dt.timedelta(minutes=5)),
                                "issuer": f"arn:aws:iam::{account}:user/{USER}"}}],
        "resources": [
            {"uid": ACCESS_KEY, "name": USER, "accountId": account, "resourceType": "ACCESS_KEY", "region": region,
             "service": "IAM", "cloudPartition": "aws",
             "data": {"accessKey": {"principalId": "AIDACKCEVSQ6C2EXAMPLE", "userName": USER, "userType": "IAMUser"}}},
            {"uid": bucket_arn, "name": bucket_arn.rsplit(":", 1)[-1], "accountId": account, "resourceType": "S3_BUCKET",
             "region": region, "service": "S3", "cloudPartition": "aws", "tags": [{"key": "data", "value": "customer"}],
             "data": {"s3Bucket": {"ownerId": "a1b2c3d4e5f6example", "createdAt": epoch(now - dt.timedelta(days=400)),
                                   "encryptionType": "SSEKMS", "effectivePermission": "NOT_PUBLIC",
                                   "publicReadAccess": "BLOCKED", "publicWriteAccess": "BLOCKED"}}},
            {"uid": instance, "name": "build-runner", "accountId": account, "resourceType": "EC2_INSTANCE", "region": region,
             "service": "EC2", "cloudPartition": "aws",
             "data": {"ec2Instance": {"availabilityZone": f"{region}a", "instanceState": "running", "instanceType": "t3.large",
                                      "platform": "Linux"}}},
        ],
        "endpoints": [{"id": endpoint, "ip": ATTACKER_IP, "port": 443,
                       "location": {"city": "Amsterdam", "country": "Netherlands", "lat": 52.37, "lon": 4.89},
                       "autonomousSystem": {"name": "EXAMPLE-TRANSIT", "number": 64500},
                       "connection": {"direction": "INBOUND"}}],
        "signals": finding_signals + [cloudtrail],
        "sequenceIndicators": [
            {"key": "ATTACK_TACTIC", "values": ["Discovery", "Exfiltration"], "title": "Attack tactics"},
            {"key": "HIGH_RISK_API", "values": ["s3:GetObject", "ec2:DescribeInstances"], "title": "High-risk APIs"},
            {"key": "MALICIOUS_IP", "values": [ATTACKER_IP], "title": "Malicious IP"},
        ],
    }
    return _finding(
        fid, SEQUENCE_TYPE, 9.5, f"Potential credential compromise of {USER} indicated by a sequence of actions.",
        f"A sequence of actions involving 3 signals indicating a possible credential compromise of {USER} "
        "was observed in your account.",
        {"resourceType": "AccessKey", "accessKeyDetails": _access_key()},
        _service(detector_id, first, last, count=1, detection={"sequence": sequence}),
        now - dt.timedelta(minutes=45), now - dt.timedelta(minutes=45))


def resource_findings(account: str, region: str, detector_id: str, now: dt.datetime) -> dict[str, dict[str, Any]]:
    """One finding per newer resource type, by resource.resourceType."""
    at = now - dt.timedelta(minutes=30)
    tags = [{"key": "team", "value": "payments"}]
    fid = {kind: finding_id(account, region, kind) for kind in RESOURCE_TYPES}
    function = f"arn:aws:lambda:{region}:{account}:function:invoice-renderer"
    lambda_finding = _finding(
        fid["Lambda"], RESOURCE_TYPES["Lambda"], 8.0, "Lambda function invoice-renderer is querying a command and control server.",
        "Lambda function invoice-renderer is querying a domain name associated with a known command and control server.",
        {"resourceType": "Lambda", "lambdaDetails": {
            "functionArn": function, "functionName": "invoice-renderer", "description": "Renders invoices to PDF",
            "lastModifiedAt": epoch(now - dt.timedelta(days=12)), "revisionId": "4f5a3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b1c",
            "functionVersion": "$LATEST", "role": f"arn:aws:iam::{account}:role/invoice-renderer",
            "vpcConfig": {"subnetIds": ["subnet-0a1b2c3d4e5f67890"], "vpcId": "vpc-0a1b2c3d4e5f67890",
                          "securityGroups": [{"groupId": "sg-0a1b2c3d4e5f67890", "groupName": "invoice-renderer"}]},
            "tags": tags}},
        _service(detector_id, at, at, count=3, featureName="LambdaNetworkLogs", action={
            "actionType": "NETWORK_CONNECTION",
            "networkConnectionAction": {"blocked": False, "connectionDirection": "OUTBOUND", "protocol": "TCP",
                                        "remoteIpDetails": _remote_ip("203.0.113.50"),
                                        "remotePortDetails": {"port": 443, "portName": "HTTPS"}}}),
        at, at)
    db_user = {"user": "app_admin", "application": "psql", "database": "billing", "ssl": "on", "authMethod": "PASSWORD"}
    rds_login = {"actionType": "RDS_LOGIN_ATTEMPT", "rdsLoginAttemptAction": {
        "remoteIpDetails": _remote_ip(),
        # The model gives LoginAttributes no locationName: its wire key is the member name itself.
        "LoginAttributes": [{"user": "app_admin", "application": "psql", "failedLoginAttempts": 2, "successfulLoginAttempts": 1}]}}
    rds_instance = _finding(
        fid["RDSDBInstance"], RESOURCE_TYPES["RDSDBInstance"], 8.0,
        "Anomalous successful login to database billing-db-1.",
        "A user app_admin logged in successfully to RDS database billing-db-1 in an anomalous way.",
        {"resourceType": "RDSDBInstance", "rdsDbInstanceDetails": {
            "dbInstanceIdentifier": "billing-db-1", "engine": "aurora-postgresql", "engineVersion": "15.4",
            "dbClusterIdentifier": "billing-cluster", "dbInstanceArn": f"arn:aws:rds:{region}:{account}:db:billing-db-1",
            "dbiResourceId": "db-ABCDEFGHIJKLMNOPQRSTUVWXY1", "tags": tags},
         "rdsDbUserDetails": db_user},
        _service(detector_id, at, at, featureName="RdsLoginEvents", action=rds_login), at, at)
    shard_group = f"arn:aws:rds:{region}:{account}:shard-group:orders-shards"
    rds_limitless = _finding(
        fid["RDSLimitlessDB"], RESOURCE_TYPES["RDSLimitlessDB"], 8.0,
        "Successful login to Limitless database orders-shards from a malicious IP address.",
        f"A user app_admin logged in successfully to Aurora Limitless database orders-shards from {ATTACKER_IP}.",
        {"resourceType": "RDSLimitlessDB", "rdsLimitlessDbDetails": {
            "dbShardGroupIdentifier": "orders-shards", "dbShardGroupResourceId": "shardgrp-0a1b2c3d4e5f67890",
            "dbShardGroupArn": shard_group, "engine": "aurora-postgresql", "engineVersion": "16.4-limitless",
            "dbClusterIdentifier": "orders-cluster", "tags": tags},
         "rdsDbUserDetails": db_user},
        _service(detector_id, at, at, featureName="RdsLoginEvents", action=rds_login), at, at)
    cluster = f"arn:aws:ecs:{region}:{account}:cluster/checkout"
    task = f"arn:aws:ecs:{region}:{account}:task/checkout/0a1b2c3d4e5f67890a1b2c3d4e5f6789"
    miner = {"containerRuntime": "containerd", "id": "0a1b2c3d4e5f67890a1b2c3d4e5f6789-1234567890", "name": "checkout-api",
             "image": f"{account}.dkr.ecr.{region}.amazonaws.com/checkout-api:1.42.0",
             "imagePrefix": f"{account}.dkr.ecr.{region}.amazonaws.com"}
    process = {"name": "xmrig", "executablePath": "/tmp/.x/xmrig", "pid": 4242, "namespacePid": 42,
               "startTime": epoch(at - dt.timedelta(minutes=3)), "user": "root", "userId": 0, "euid": 0}
    ecs = _finding(
        fid["ECSCluster"], RESOURCE_TYPES["ECSCluster"], 8.0, "Bitcoin-related domain name queried by an ECS task in cluster checkout.",
        "An ECS task in cluster checkout is querying a domain name associated with Bitcoin-related activity.",
        {"resourceType": "ECSCluster", "ecsClusterDetails": {
            "name": "checkout", "arn": cluster, "status": "ACTIVE", "activeServicesCount": 2,
            "registeredContainerInstancesCount": 0, "runningTasksCount": 6, "tags": tags,
            "taskDetails": {"arn": task, "definitionArn": f"arn:aws:ecs:{region}:{account}:task-definition/checkout-api:42",
                            "version": "17", "createdAt": epoch(at - dt.timedelta(hours=5)),
                            "startedAt": epoch(at - dt.timedelta(hours=4, minutes=59)), "startedBy": "ecs-svc/1234567890123456789",
                            "group": "service:checkout-api", "launchType": "FARGATE", "containers": [miner]}}},
        _service(detector_id, at, at, count=4, featureName="RuntimeMonitoring",
                 runtimeDetails={"process": process}, action={
                     "actionType": "DNS_REQUEST",
                     "dnsRequestAction": {"domain": "pool.minexmr.example", "protocol": "UDP", "blocked": False}}),
        at, at)
    container = _finding(
        fid["Container"], RESOURCE_TYPES["Container"], 8.0, "A process in container web-frontend opened a reverse shell.",
        f"A process in container web-frontend made a reverse shell connection to {ATTACKER_IP}.",
        {"resourceType": "Container", "containerDetails": {
            "containerRuntime": "docker", "id": "3f6d8a1b2c4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8",
            "name": "web-frontend", "image": "public.ecr.aws/nginx/nginx:1.25", "imagePrefix": "public.ecr.aws",
            "securityContext": {"privileged": True, "allowPrivilegeEscalation": True}},
         "instanceDetails": {"instanceId": "i-0fedcba9876543210", "instanceType": "m5.large", "availabilityZone": f"{region}b"}},
        _service(detector_id, at, at, featureName="RuntimeMonitoring",
                 runtimeDetails={"process": {**process, "name": "bash", "executablePath": "/bin/bash", "pid": 777}}),
        at, at)
    return {"Lambda": lambda_finding, "RDSDBInstance": rds_instance, "RDSLimitlessDB": rds_limitless,
            "ECSCluster": ecs, "Container": container}


def seed_extended_threat_detection(endpoint: str, account: str = ACCOUNT, region: str = REGION) -> dict[str, Any]:
    """Seeds, in `account`'s detector in `region` (created if there is none): the attack sequence
    AttackSequence:IAM/CompromisedCredentials (a full service.detection.sequence: an actor, three
    resources, an endpoint, two FINDING signals and one CLOUD_TRAIL signal, indicators), its two
    signal findings (associatedAttackSequenceArn the sequence's arn) and one finding for each of
    the resource types Lambda, RDSDBInstance, RDSLimitlessDB, ECSCluster, Container. Returns
    {"detector_id", "sequence_id", "sequence_arn", "signal_ids": [2 ids, oldest first],
     "by_resource_type": {"Lambda": id, "RDSDBInstance": id, "RDSLimitlessDB": id, "ECSCluster": id,
                          "Container": id}}."""
    detector_id = detector(endpoint, account, region)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    sequence_id = finding_id(account, region, "sequence")
    sequence_arn = finding_arn(account, region, detector_id, sequence_id)
    signals = signal_findings(account, region, detector_id, sequence_arn, now)
    for s in signals:
        s["arn"] = finding_arn(account, region, detector_id, s["id"])
    sequence = attack_sequence_finding(account, region, detector_id, signals, now)
    by_type = resource_findings(account, region, detector_id, now)
    post_findings(endpoint, {"account": account, "region": region, "detectorId": detector_id,
                             "findings": [sequence, *signals, *by_type.values()]})
    return {"detector_id": detector_id, "sequence_id": sequence_id, "sequence_arn": sequence_arn,
            "signal_ids": [s["id"] for s in signals],
            "by_resource_type": {kind: f["id"] for kind, f in by_type.items()}}


if __name__ == "__main__":
    if not 2 <= len(sys.argv) <= 4:
        sys.exit(__doc__)
    print(json.dumps(seed_extended_threat_detection(*sys.argv[1:]), indent=2))
