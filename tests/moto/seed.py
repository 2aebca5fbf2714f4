"""Seeds a realistic account into the moto server through the AWS APIs, and writes what Vigil must
show for it as JSON (the expectations the Rust integration tests compare against).

    python tests/moto/seed.py ENDPOINT EXPECT_JSON

Region us-east-1 is seeded; us-west-2 is left empty on purpose ("not enabled" tests).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import urllib.request

import boto3
import seed_edge
import seed_keys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

REGION = "us-east-1"
ACCOUNT = "123456789012"
FSBP = f"arn:aws:securityhub:{REGION}::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
FSBP_ID = "standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_ID = "ruleset/cis-aws-foundations-benchmark/v/1.2.0"


def now(offset_days: float = 0) -> str:
    t = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=offset_days)
    return t.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def client(endpoint: str, service: str, region: str = REGION):
    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def asff(finding_id: str, product: str, title: str, severity: str, normalized: int,
         resource: tuple[str, str], *, workflow: str = "NEW", record: str = "ACTIVE", types=None,
         compliance=None, product_fields=None) -> dict:
    f = {
        "SchemaVersion": "2018-10-08",
        "Id": finding_id,
        # ProductName and CompanyName are Security Hub's to set for AWS products, not the caller's.
        "ProductArn": f"arn:aws:securityhub:{REGION}::product/aws/{product}",
        "GeneratorId": finding_id.split("/finding/")[0],
        "AwsAccountId": ACCOUNT,
        "Region": REGION,
        "Types": types or ["Software and Configuration Checks/Vulnerabilities/CVE"],
        "FirstObservedAt": now(-3),
        "LastObservedAt": now(-0.1),
        "CreatedAt": now(-3),
        "UpdatedAt": now(-0.1),
        "Severity": {"Label": severity, "Normalized": normalized},
        "Title": title,
        "Description": title + ".",
        "Resources": [{"Type": resource[0], "Id": resource[1], "Partition": "aws", "Region": REGION}],
        "Workflow": {"Status": workflow},
        "RecordState": record,
    }
    if compliance:
        f["Compliance"] = compliance
    if product_fields:
        f["ProductFields"] = product_fields
    return f


def control_finding(control: str, status: str, resource: str, standards: list[str], workflow: str | None = None) -> dict:
    severity = {"S3.1": ("MEDIUM", 40), "IAM.1": ("HIGH", 70), "IAM.6": ("CRITICAL", 90), "EC2.2": ("HIGH", 70),
                "Config.1": ("MEDIUM", 40), "GuardDuty.1": ("HIGH", 70), "S3.8": ("HIGH", 70)}[control]
    # Security Hub resolves PASSED control findings by itself.
    workflow = workflow or ("RESOLVED" if status == "PASSED" else "NEW")
    return asff(
        f"arn:aws:securityhub:{REGION}:{ACCOUNT}:security-control/{control}/finding/{abs(hash((control, resource))) % 10**12:012d}",
        "securityhub", f"{control} check", severity[0], severity[1], ("AwsS3Bucket", resource),
        workflow=workflow, types=["Software and Configuration Checks/Industry and Regulatory Standards"],
        compliance={"Status": status, "SecurityControlId": control, "AssociatedStandards": [{"StandardsId": s} for s in standards]},
    )


def seed_security(endpoint: str, expect: dict) -> None:
    sh = client(endpoint, "securityhub")
    gd = client(endpoint, "guardduty")
    sh.enable_security_hub(EnableDefaultStandards=False)
    sh.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": FSBP}, {"StandardsArn": CIS}])
    sh.batch_update_standards_control_associations(StandardsControlAssociationUpdates=[
        {"StandardsArn": CIS, "SecurityControlId": "IAM.4", "AssociationStatus": "DISABLED", "UpdatedReason": "no root keys by design"}])

    detector = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=[
        "UnauthorizedAccess:EC2/SSHBruteForce", "CryptoCurrency:EC2/BitcoinTool.B!DNS",
        "Discovery:S3/MaliciousIPCaller", "Policy:IAMUser/RootCredentialUsage"])
    gd_ids = gd.list_findings(DetectorId=detector)["FindingIds"]
    gd_findings = {f["Type"]: f for f in gd.get_findings(DetectorId=detector, FindingIds=gd_ids)["Findings"]}
    gd.archive_findings(DetectorId=detector, FindingIds=[gd_findings["Policy:IAMUser/RootCredentialUsage"]["Id"]])

    findings = []
    # GuardDuty findings arrive in Security Hub with the GuardDuty ARN as Id (two of the four).
    for gd_type, asff_type in [("UnauthorizedAccess:EC2/SSHBruteForce", "TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce"),
                               ("CryptoCurrency:EC2/BitcoinTool.B!DNS", "TTPs/Command and Control/CryptoCurrency:EC2-BitcoinTool.B!DNS")]:
        g = gd_findings[gd_type]
        findings.append(asff(g["Arn"], "guardduty", g["Title"], "HIGH" if g["Severity"] >= 7 else "LOW",
                             int(g["Severity"] * 10), ("AwsEc2Instance", "arn:aws:ec2:us-east-1:123456789012:instance/i-99999999"),
                             types=[asff_type], workflow="NOTIFIED" if "SSH" in gd_type else "NEW",
                             product_fields={"aws/guardduty/service/detectorId": detector, "aws/guardduty/service/count": "1",
                                             "aws/guardduty/service/archived": "false"}))
    inspector = [
        ("CVE-2024-3094 - xz-utils", "CRITICAL", 90, "NEW", "ACTIVE"),
        ("CVE-2023-44487 - nghttp2", "HIGH", 70, "NOTIFIED", "ACTIVE"),
        ("CVE-2021-44228 - log4j-core", "CRITICAL", 90, "RESOLVED", "ACTIVE"),
        ("CVE-2023-4863 - libwebp", "HIGH", 70, "NEW", "ARCHIVED"),
        ("CVE-2024-6387 - openssh \x1b]0;pwned\x07\x1b[2Jserver", "HIGH", 70, "SUPPRESSED", "ACTIVE"),
    ]
    for i, (title, sev, norm, workflow, record) in enumerate(inspector):
        findings.append(asff(f"arn:aws:inspector2:{REGION}:{ACCOUNT}:finding/{i:032x}", "inspector", title, sev, norm,
                             ("AwsEc2Instance", f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-0{i}"), workflow=workflow, record=record))
    findings.append(asff(f"arn:aws:macie2:{REGION}:{ACCOUNT}:finding/{'m' * 32}", "macie",
                         "The S3 object contains financial information.", "HIGH", 70, ("AwsS3Bucket", "arn:aws:s3:::shop-exports"),
                         types=["Sensitive Data Identifications/SensitiveData:S3Object/Financial"]))

    controls = [
        # control, status, resource, standards, workflow override
        ("S3.1", "FAILED", "arn:aws:s3:::shop-assets", [FSBP_ID], None),
        ("S3.1", "FAILED", "arn:aws:s3:::shop-logs", [FSBP_ID], None),
        ("S3.1", "PASSED", "arn:aws:s3:::shop-exports", [FSBP_ID], None),
        ("S3.8", "PASSED", "arn:aws:s3:::shop-assets", [FSBP_ID], None),
        ("S3.8", "FAILED", "arn:aws:s3:::shop-legacy", [FSBP_ID], "SUPPRESSED"),
        ("IAM.1", "FAILED", "arn:aws:iam::123456789012:policy/admin-all", [FSBP_ID], None),
        ("IAM.6", "PASSED", "AWS::::Account:123456789012", [FSBP_ID, CIS_ID], None),
        ("EC2.2", "WARNING", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1", [FSBP_ID, CIS_ID], None),
        ("Config.1", "PASSED", "AWS::::Account:123456789012", [FSBP_ID, CIS_ID], None),
        ("GuardDuty.1", "PASSED", "AWS::::Account:123456789012", [FSBP_ID], None),
    ]
    for control, status, resource, standards, workflow in controls:
        findings.append(control_finding(control, status, resource, standards, workflow))
    result = sh.batch_import_findings(Findings=findings)
    assert result["FailedCount"] == 0, result

    open_sh = [f for f in findings if f["RecordState"] == "ACTIVE" and f["Workflow"]["Status"] in ("NEW", "NOTIFIED")]
    gd_copies = {f["Id"] for f in findings if f["ProductArn"].endswith("::product/aws/guardduty")}
    unarchived_gd = [g for t, g in gd_findings.items() if t != "Policy:IAMUser/RootCredentialUsage"]
    expect["findings"] = {
        "open_count": len(open_sh) + len([g for g in unarchived_gd if g["Arn"] not in gd_copies]),
        "deduplicated_ids": sorted(gd_copies),
        "guardduty_only_ids": sorted(g["Arn"] for g in unarchived_gd if g["Arn"] not in gd_copies),
        "archived_guardduty_id": gd_findings["Policy:IAMUser/RootCredentialUsage"]["Arn"],
        "hidden_titles": ["CVE-2021-44228 - log4j-core", "CVE-2023-4863 - libwebp"],
        "all_count": len(findings) + len([g for g in gd_findings.values() if g["Arn"] not in gd_copies]),
        "products": {"inspector": 2, "macie": 1, "securityhub": 4},
    }
    # FSBP: S3.1 failed, S3.8 passed (its failure is suppressed), IAM.1 failed, IAM.6 passed,
    # EC2.2 unknown (warning), Config.1 passed, GuardDuty.1 passed, EC2.19/RDS.3/SecretsManager.1 no data.
    # Score = passed / (passed + failed + unknown) = 4 / 7 = 57%.
    # CIS: IAM.6 passed, Config.1 passed, EC2.2 unknown, CloudTrail.1 no data, IAM.4 disabled: 2 / 3 = 67%.
    expect["compliance"] = {
        "standards": {
            "AWS Foundational Security Best Practices v1.0.0": {"score": 57, "failed": ["IAM.1", "S3.1"], "unknown": ["EC2.2"],
                                                                  "passed": ["Config.1", "GuardDuty.1", "IAM.6", "S3.8"]},
            "CIS AWS Foundations Benchmark v1.2.0": {"score": 67, "failed": [], "unknown": ["EC2.2"], "passed": ["Config.1", "IAM.6"],
                                                      "disabled": ["IAM.4"]},
        },
        "summary_score": 62,
        "s3_1_failed_resources": 2,
    }


def self_signed(cn: str, days: int) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=300)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days, hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(cn)]), critical=False)
            .sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))


def seed_certificates(endpoint: str, expect: dict) -> None:
    acm = client(endpoint, "acm")
    cert, key = self_signed("checkout.shop.example.com", 10)
    soon = acm.import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]
    cert, key = self_signed("legacy.shop.example.com", 200)
    later = acm.import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]
    requested = acm.request_certificate(DomainName="www.shop.example.com", ValidationMethod="DNS",
                                        SubjectAlternativeNames=["shop.example.com"])["CertificateArn"]
    expect["certificates"] = {
        "count": 3,
        "expiring_soon": {"arn": soon, "domain": "checkout.shop.example.com", "days": 10, "kind": "IMPORTED", "health": "expiring"},
        "imported_later": {"arn": later, "days": 200},
        "requested": {"arn": requested, "domain": "www.shop.example.com", "kind": "AMAZON_ISSUED"},
    }


def seed_secrets(endpoint: str, expect: dict) -> None:
    sm = client(endpoint, "secretsmanager")
    sm.create_secret(Name="prod/legacy-api-key", SecretString="never-shown-1")
    sm.create_secret(Name="prod/orders-db", SecretString="never-shown-2")
    sm.rotate_secret(SecretId="prod/orders-db", RotationRules={"AutomaticallyAfterDays": 30})
    stuck = sm.create_secret(Name="prod/payments-db", SecretString="never-shown-3")
    sm.rotate_secret(SecretId="prod/payments-db", RotationRules={"AutomaticallyAfterDays": 30})
    # A rotation under way: a new version staged AWSPENDING only, the secret changed seconds ago.
    # Vigil calls it rotating (and refuses rotate-now, as AWS would); unchanged for 2 hours, or past
    # its NextRotationDate, it would be stuck (unit tests: moto cannot backdate a secret).
    sm.put_secret_value(SecretId=stuck["ARN"], SecretString="never-shown-4", VersionStages=["AWSPENDING"])
    sm.create_secret(Name="prod/old-campaign", SecretString="never-shown-5")
    sm.delete_secret(SecretId="prod/old-campaign", RecoveryWindowInDays=7)
    expect["secrets"] = {
        "count": 4,
        "status": {"prod/legacy-api-key": "off", "prod/orders-db": "healthy", "prod/payments-db": "rotating", "prod/old-campaign": "pending_deletion"},
        "values": [f"never-shown-{i}" for i in range(1, 6)],
    }


def seed_auth_events(endpoint: str, pool_id: str, username: str, events: list[dict]) -> None:
    body = json.dumps({"Region": REGION, "UserPoolId": pool_id, "Username": username, "AuthEvents": events}).encode()
    request = urllib.request.Request(f"{endpoint}/moto-api/vigil/cognito-auth-events", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def seed_pool_metrics(endpoint: str, pool: str) -> None:
    """What Cognito publishes to CloudWatch for the customers' pool (AWS/Cognito, as the Cognito
    Developer Guide names them): sign-ups and sign-ins per app client under UserPool and
    UserPoolClient, each request a sample of 1 (success) or 0; threat protection's counts under
    UserPoolId, Operation and RiskLevel. Credential stuffing in the last hour: 1,400 failed sign-ins
    against 10 an hour before; 4 requests with compromised credentials and 30 at high takeover risk
    (low risk is everyday noise, not counted). A pool of another account's id is never read."""
    cw = client(endpoint, "cloudwatch")
    now = dt.datetime.now(dt.timezone.utc)
    data: list[dict] = []

    def per_client(name: str, app: str, hours_ago: int, samples: int, successes: int, target: str = pool) -> None:
        data.append({"MetricName": name, "Timestamp": now - dt.timedelta(hours=hours_ago, minutes=10),
                     "Dimensions": [{"Name": "UserPool", "Value": target}, {"Name": "UserPoolClient", "Value": app}],
                     "StatisticValues": {"SampleCount": samples, "Sum": successes, "Minimum": 0 if samples > successes else 1,
                                         "Maximum": 1 if successes else 0}, "Unit": "Count"})

    def risk(name: str, operation: str, level: str, hours_ago: int, count: float) -> None:
        data.append({"MetricName": name, "Timestamp": now - dt.timedelta(hours=hours_ago, minutes=10), "Value": count,
                     "Unit": "Count", "Dimensions": [{"Name": "Operation", "Value": operation},
                                                     {"Name": "RiskLevel", "Value": level}, {"Name": "UserPoolId", "Value": pool}]})

    # Sign-ups: 300 through the web client and 40 by administrators in the last hour, 2 an hour before.
    per_client("SignUpSuccesses", "4j7webclient", 0, 310, 300)
    per_client("SignUpSuccesses", "Admin", 0, 40, 40)
    for h in range(1, 25):
        per_client("SignUpSuccesses", "4j7webclient", h, 2, 2)
        per_client("SignInSuccesses", "4j7webclient", h, 110, 100)
    per_client("SignInSuccesses", "4j7webclient", 0, 1500, 100)
    per_client("TokenRefreshSuccesses", "4j7webclient", 0, 900, 900)
    per_client("SignUpSuccesses", "4j7webclient", 0, 999, 999, target="us-east-1_NotInThisAccount")
    risk("CompromisedCredentialRisk", "SignIn", "High", 3, 4)
    risk("CompromisedCredentialRisk", "SignIn", "High", 30, 50)
    risk("AccountTakeoverRisk", "SignIn", "High", 0, 30)
    risk("AccountTakeoverRisk", "SignIn", "Low", 0, 500)
    for i in range(0, len(data), 500):
        cw.put_metric_data(Namespace="AWS/Cognito", MetricData=data[i:i + 500])


def seed_users(endpoint: str, expect: dict) -> None:
    idp = client(endpoint, "cognito-idp")
    customers = idp.create_user_pool(PoolName="shop-customers", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})["UserPool"]["Id"]
    partners = idp.create_user_pool(PoolName="partner-portal")["UserPool"]["Id"]

    def user(pool: str, name: str, email: str, confirmed: bool, phone: str | None = None) -> None:
        attrs = [{"Name": "email", "Value": email}]
        if phone:
            attrs.append({"Name": "phone_number", "Value": phone})
        idp.admin_create_user(UserPoolId=pool, Username=name, UserAttributes=attrs, MessageAction="SUPPRESS")
        if confirmed:
            idp.admin_set_user_password(UserPoolId=pool, Username=name, Password="Corr3ct-Horse!", Permanent=True)

    user(customers, "alice", "alice.silva@example.com", True, "+14155550123")
    user(customers, "carol", "carol.novak@example.net", True)
    user(customers, "dave", "dave.invited@example.org", False)
    for i in range(25):  # a burst: 25 sign-ups within the hour, none before
        user(customers, f"promo{i:02d}", f"promo.hunter+{i}@mailinator.example", False)
    user(partners, "pat", "pat.partner@example.com", True)

    recent = int((dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2)).timestamp())
    seed_auth_events(endpoint, customers, "alice", [{
        "EventType": "SignIn", "CreationDate": recent, "EventResponse": "Pass",
        "EventRisk": {"RiskDecision": "AccountTakeover", "RiskLevel": "High", "CompromisedCredentialsDetected": False},
        "EventContextData": {"IpAddress": "185.220.101.45", "City": "Bucharest", "Country": "Romania"}}])
    seed_auth_events(endpoint, customers, "carol", [{
        "EventType": "SignIn", "CreationDate": recent, "EventResponse": "Fail",
        "EventRisk": {"RiskDecision": "Block", "RiskLevel": "Medium", "CompromisedCredentialsDetected": True},
        "EventContextData": {"IpAddress": "45.155.205.233", "City": "Lagos", "Country": "Nigeria"}}])
    seed_pool_metrics(endpoint, customers)
    expect["users"] = {
        "pools": {"shop-customers": "enforced", "partner-portal": "off"},
        "anomalies": {"high_risk_sign_in": ["alice"], "compromised_credentials": ["carol"], "sign_up_burst": ["shop-customers"],
                      "sign_up_cluster": ["shop-customers"]},
        # The burst's 25 from one throwaway domain form a cluster; every user was created within the hour.
        "cluster": "@mailinator.example: 25 new accounts in 24h",
        # The customers' rates are CloudWatch's (every client's sign-ups); the partners' pool has no
        # series, so its rate comes from its users.
        "signups_last_hour": {"shop-customers": 340, "partner-portal": 1},
        "counted_from": {"shop-customers": "cloudwatch", "partner-portal": "users_read"},
        "sign_ins": {"succeeded_last_window": 100.0, "failed_last_window": 1400.0, "usual_failed_per_window": 10.0,
                     "compromised_last_day": 4.0, "high_takeover_risk_last_day": 30.0},
        "failed_sign_in_surge": "1400 failed sign-ins in the last 60m (usual 10.0 per 60m), 100 succeeded",
        "risky_sign_ins": "threat protection counted 4 with compromised credentials and 30 at high account-takeover risk in the last 24h, across the whole pool",
        "emails": ["alice.silva@example.com", "carol.novak@example.net"],
        "fresh_unconfirmed_not_flagged": "dave",
    }


def inspector_findings(endpoint: str, r: str, count: int, prefix: str, title, severity: tuple[str, int],
                       spread_days: float = 0) -> list[dict]:
    """Enables Security Hub in region `r` and imports `count` Inspector findings, 100 per call;
    with `spread_days`, created over that many days before today as an account's findings are
    (a cold load splits a big partition by CreatedAt)."""
    sh = client(endpoint, "securityhub", r)
    sh.enable_security_hub(EnableDefaultStandards=False)
    findings = []
    for i in range(count):
        f = asff(f"arn:aws:inspector2:{r}:{ACCOUNT}:finding/{prefix}{i:0{32 - len(prefix)}d}", "inspector", title(i),
                 severity[0], severity[1], ("AwsEc2Instance", f"arn:aws:ec2:{r}:{ACCOUNT}:instance/i-{prefix}{i}"))
        f["ProductArn"] = f"arn:aws:securityhub:{r}::product/aws/inspector"
        f["Region"] = r
        if spread_days:
            f["CreatedAt"] = f["FirstObservedAt"] = now(-0.2 - spread_days * (count - i) / count)
        findings.append(f)
    for start in range(0, len(findings), 100):
        assert sh.batch_import_findings(Findings=findings[start:start + 100])["FailedCount"] == 0
    return findings


def guardduty_samples(endpoint: str, r: str) -> str:
    """A detector in region `r` with two sample findings; returns the detector id."""
    gd = client(endpoint, "guardduty", r)
    detector = gd.create_detector(Enable=True)["DetectorId"]
    gd.create_sample_findings(DetectorId=detector, FindingTypes=["UnauthorizedAccess:EC2/SSHBruteForce", "Recon:EC2/PortProbeUnprotectedPort"])
    return detector


ACTIONS_REGION = "eu-west-1"


def seed_actions_region(endpoint: str, expect: dict) -> None:
    """A second region for the tests that change state, so they never disturb the read-only ones."""
    r = ACTIONS_REGION
    findings = inspector_findings(endpoint, r, 120, "act", lambda i: f"CVE-2024-{1000 + i} - pkg{i}", ("HIGH", 70))
    detector = guardduty_samples(endpoint, r)
    sm = client(endpoint, "secretsmanager", r)
    sm.create_secret(Name="prod/rotating", SecretString="never-shown-a")
    sm.rotate_secret(SecretId="prod/rotating", RotationRules={"AutomaticallyAfterDays": 30})
    sm.create_secret(Name="prod/static", SecretString="never-shown-b")
    idp = client(endpoint, "cognito-idp", r)
    pool = idp.create_user_pool(PoolName="ops-pool", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})["UserPool"]["Id"]
    for name in ("erin", "frank"):
        idp.admin_create_user(UserPoolId=pool, Username=name, UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}, {"Name": "email_verified", "Value": "true"}], MessageAction="SUPPRESS")
        idp.admin_set_user_password(UserPoolId=pool, Username=name, Password="Corr3ct-Horse!", Permanent=True)
    expect["actions"] = {"region": r, "finding_count": len(findings), "pool_id": pool, "detector_id": detector}


DELTA_REGION = "ap-southeast-2"


def seed_delta_region(endpoint: str, expect: dict) -> None:
    """5,000 findings: a refresh after one change must cost a handful of calls, not 50 pages."""
    r = DELTA_REGION
    findings = inspector_findings(endpoint, r, 5000, "d", lambda i: f"CVE-2025-{i:05d} - lib{i}", ("MEDIUM", 40),
                                  spread_days=90)
    guardduty_samples(endpoint, r)
    expect["delta"] = {"region": r, "findings": len(findings) + 2}


def main() -> None:
    endpoint, expect_path = sys.argv[1], sys.argv[2]
    expect: dict = {"account": ACCOUNT, "region": REGION}
    seed_security(endpoint, expect)
    seed_certificates(endpoint, expect)
    seed_secrets(endpoint, expect)
    seed_users(endpoint, expect)
    seed_actions_region(endpoint, expect)
    seed_delta_region(endpoint, expect)
    seed_edge.seed_edge(endpoint, expect)
    expect["keys"] = seed_keys.seed_keys(endpoint)
    with open(expect_path, "w") as f:
        json.dump(expect, f, indent=2)


if __name__ == "__main__":
    main()
