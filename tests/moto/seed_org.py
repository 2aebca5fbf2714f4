"""Seeds an organisation into the moto server through the AWS APIs: a management account with member
accounts, a read-only role in each member, and Security Hub findings, ACM certificates and Secrets
Manager secrets in every account and Region, joined by a Security Hub finding aggregator in the
management account; optionally (--guardduty, --controls) a GuardDuty administrator with its
members and every account's Security Hub control findings in the management account's home Region.
Writes what it made as JSON (the expectations a test compares against).

    python tests/moto/seed_org.py ENDPOINT EXPECT_JSON [--members dev,prod] [--home eu-central-1]
                                  [--regions eu-central-1,eu-north-1,ap-northeast-1] [--role VigilReadOnly]
                                  [--findings 3] [--roleless sandbox] [--external-id ID]
                                  [--guardduty] [--controls]

or, from a Rust test, the way tests/aws_budget.rs calls seed.py's helpers (the JSON on stdout):

    python -c "import sys, json; sys.path.insert(0, 'tests/moto'); import seed_org; \
               print(json.dumps(seed_org.seed_organization('http://127.0.0.1:PORT')))"

Accounts in moto: the default credentials act in the management account 123456789012; the seed
acts in a member account through moto's `x-moto-account-id` header (`account_client`), and a test
reads a member as Vigil would, through credentials from STS AssumeRole on the member's role
(`assume_role_client`, `role_credentials`). Member account ids are random (moto's CreateAccount
picks them); the JSON has them. AssumeRole follows AWS on this server (vigil_moto/sts.py): the role must
exist and its trust policy allow the caller, with the external id if the policy asks for one, else
AccessDenied; so a member made `roleless` cannot be read through the role, as in AWS.

The default Regions are none of the ones seed.py and the Rust tests use in 123456789012 (us-east-1,
eu-west-1, ap-southeast-2, us-west-2 kept empty; ca-central-1 in aws_budget.rs, sa-east-1 in
aws_delta.rs), and the aggregator links the listed Regions only (SPECIFIED_REGIONS, not
ALL_REGIONS): the same server can hold both seeds without changing what seed.py's expectations
say. Seeding twice is harmless: everything is found by name and reused, so a second
call returns the same organisation (call it from one test process at a time, though).

The optional parts (keyword arguments of `seed_organization`, off by default, so that without them
the JSON is what it was), both in the management account's home Region, which seed.py never uses:

  guardduty   a GuardDuty detector in the management account (the administrator) and in every member
              with the role; each such member joined by invitation (CreateMembers, InviteMembers,
              AcceptAdministratorInvitation) so it is Enabled; sample findings in every detector (three
              types in the first member, two in the others, one in the administrator). JSON "guardduty":
              {"administrator_detector", "members": {account: detector}, "findings": {account: [ids]}}.
  controls    the AWS Foundational Security Best Practices standard enabled there, and one control
              finding per seeded control (CONTROLS) for every account, management and members alike,
              imported there with that account's AwsAccountId: account i fails the first i controls.
              JSON "controls": {"standard_arn", "standard_name", "controls", "accounts": {account:
              {"passed", "failed", "score"}}, "organisation_average"}; scores count controls with
              findings only, rounded halves away from zero as Vigil (Rust's f64::round) does.

Seeding again reuses detectors, memberships, sample findings (one per type) and the standard, and
re-imports the control findings under the same Ids. GuardDuty memberships are never undone (the
extension has no DisassociateMembers), so reset the server before seeding fewer members with
guardduty. moto accepts what AWS would refuse here (control findings imported by the administrator
for other accounts, into Security Hub's own product): see tests/moto/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import uuid
from fractions import Fraction
from typing import Any

import boto3
from botocore.exceptions import ClientError

from seed import ACCOUNT, now, self_signed

MEMBERS = ("dev", "prod")
HOME = "eu-central-1"
REGIONS = ("eu-central-1", "eu-north-1", "ap-northeast-1")
ROLE = "VigilReadOnly"
EMAIL_DOMAIN = "org.example.com"

# The read-only actions Vigil calls (/work/shared/AWS-NOTES.md, "IAM"). moto 5.2.5 neither loads AWS
# managed policies such as SecurityAudit (unless MOTO_IAM_LOAD_MANAGED_POLICIES is set) nor enforces
# any policy, so the role carries this inline policy for the record.
READ_ONLY_ACTIONS = [
    "securityhub:GetFindings", "securityhub:GetEnabledStandards", "securityhub:DescribeStandards",
    "securityhub:DescribeStandardsControls", "securityhub:ListSecurityControlDefinitions",
    "securityhub:BatchGetSecurityControls", "securityhub:ListFindingAggregators",
    "securityhub:GetFindingAggregator", "securityhub:DescribeHub",
    "guardduty:ListDetectors", "guardduty:ListFindings", "guardduty:GetFindings", "guardduty:GetFindingsStatistics",
    "acm:ListCertificates", "acm:DescribeCertificate", "secretsmanager:ListSecrets", "secretsmanager:DescribeSecret",
    "cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool", "cognito-idp:ListUsers", "cognito-idp:AdminGetUser",
    "cognito-idp:AdminListUserAuthEvents", "sts:GetCallerIdentity",
]


# --------------------------------------------------------------------------------------------
# clients


def _client(endpoint: str, service: str, region: str, **credentials: str):
    credentials = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **credentials)


def account_client(endpoint: str, service: str, account: str = ACCOUNT, region: str = HOME):
    """A client acting in `account` itself, through moto's `x-moto-account-id` header (seeding)."""
    c = _client(endpoint, service, region)
    if account != ACCOUNT:
        c.meta.events.register("before-sign.*.*", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c


def role_credentials(endpoint: str, role_arn: str, session_name: str = "vigil", external_id: str | None = None) -> dict[str, str]:
    """STS AssumeRole from the management account: {AccessKeyId, SecretAccessKey, SessionToken}.
    moto maps these credentials to the role's account. A role that does not exist, or whose trust
    policy refuses the caller or the external id, is a ClientError `AccessDenied` (HTTP 403)."""
    kwargs = {"ExternalId": external_id} if external_id is not None else {}
    creds = _client(endpoint, "sts", HOME).assume_role(RoleArn=role_arn, RoleSessionName=session_name, **kwargs)["Credentials"]
    return {k: creds[k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")}


def assume_role_client(endpoint: str, service: str, role_arn: str, region: str = HOME, external_id: str | None = None):
    """A client with credentials from STS AssumeRole on `role_arn`: acts in the role's account."""
    creds = role_credentials(endpoint, role_arn, external_id=external_id)
    return _client(endpoint, service, region, aws_access_key_id=creds["AccessKeyId"],
                   aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])


# --------------------------------------------------------------------------------------------
# organisation, accounts, roles


def create_organization(endpoint: str) -> dict[str, str]:
    """Organizations CreateOrganization (all features) in the management account, or the existing
    one: {"id", "management_account", "root_id"}."""
    org = account_client(endpoint, "organizations")
    try:
        described = org.create_organization(FeatureSet="ALL")["Organization"]
    except ClientError as e:
        if e.response["Error"]["Code"] != "AlreadyInOrganizationException":
            raise
        described = org.describe_organization()["Organization"]
    return {"id": described["Id"], "management_account": described["MasterAccountId"],
            "root_id": org.list_roots()["Roots"][0]["Id"]}


def create_member_account(endpoint: str, name: str, email: str | None = None) -> dict[str, str]:
    """Organizations CreateAccount in the management account, or the account already named `name`:
    {"id", "name", "email"}. As in AWS, the new account has the role OrganizationAccountAccessRole
    (trusting the management account); moto creates it."""
    org = account_client(endpoint, "organizations")
    for page in org.get_paginator("list_accounts").paginate():
        for account in page["Accounts"]:
            if account["Name"] == name:
                return {"id": account["Id"], "name": name, "email": account["Email"]}
    email = email or f"{name}@{EMAIL_DOMAIN}"
    status = org.create_account(AccountName=name, Email=email)["CreateAccountStatus"]
    if status["State"] != "SUCCEEDED":  # moto answers SUCCEEDED at once; AWS is asynchronous
        raise RuntimeError(f"CreateAccount {name}: {status}")
    return {"id": status["AccountId"], "name": name, "email": email}


def trust_policy(trusted_account: str = ACCOUNT, external_id: str | None = None) -> dict[str, Any]:
    """A trust policy letting `trusted_account` (its root: any principal there) assume the role,
    and only with `external_id` if given (Condition StringEquals sts:ExternalId)."""
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{trusted_account}:root"},
                                 "Action": "sts:AssumeRole"}
    if external_id is not None:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return {"Version": "2012-10-17", "Statement": [statement]}


def create_role(endpoint: str, account: str, role_name: str = ROLE, trusted_account: str = ACCOUNT,
                external_id: str | None = None) -> str:
    """IAM role `role_name` in `account` that `trusted_account` may assume (with `external_id`, if
    given, as the trust policy's condition), with Vigil's read-only actions inline; returns its ARN.
    An existing role is reused and given this trust policy."""
    iam = account_client(endpoint, "iam", account)
    trust = json.dumps(trust_policy(trusted_account, external_id))
    try:
        arn = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=trust,
                              Description="Vigil read-only access (test seed)")["Role"]["Arn"]
    except ClientError as e:
        if e.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        arn = iam.get_role(RoleName=role_name)["Role"]["Arn"]
        iam.update_assume_role_policy(RoleName=role_name, PolicyDocument=trust)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": READ_ONLY_ACTIONS, "Resource": "*"}]}
    iam.put_role_policy(RoleName=role_name, PolicyName="vigil-read-only", PolicyDocument=json.dumps(policy))
    return arn


def delete_role(endpoint: str, account: str, role_name: str = ROLE) -> None:
    """Deletes IAM role `role_name` (and its inline policies) from `account`, if it is there."""
    iam = account_client(endpoint, "iam", account)
    try:
        for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
            iam.delete_role_policy(RoleName=role_name, PolicyName=name)
        iam.delete_role(RoleName=role_name)
    except ClientError as e:
        if e.response["Error"]["Code"] != "NoSuchEntity":
            raise


# --------------------------------------------------------------------------------------------
# what each account holds in each Region

SEVERITIES = (("LOW", 10), ("MEDIUM", 40), ("HIGH", 70), ("CRITICAL", 90))


def finding(account: str, region: str, name: str, i: int) -> dict[str, Any]:
    """An Inspector finding of `account` in `region`; its Id and Title name both."""
    label, normalized = SEVERITIES[i % len(SEVERITIES)]
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:inspector2:{region}:{account}:finding/org-{name}-{i:04d}",
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/inspector",
        "GeneratorId": "AWSInspector",
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/Vulnerabilities/CVE"],
        "FirstObservedAt": now(-2), "LastObservedAt": now(-0.1), "CreatedAt": now(-2), "UpdatedAt": now(-0.1),
        "Severity": {"Label": label, "Normalized": normalized},
        "Title": f"CVE-2026-{1000 + i} - {name} {region}",
        "Description": f"A vulnerable package on an instance of {name} in {region}.",
        "Resources": [{"Type": "AwsEc2Instance", "Id": f"arn:aws:ec2:{region}:{account}:instance/i-{name}{i:04d}",
                       "Partition": "aws", "Region": region}],
        "Workflow": {"Status": "NEW"},
        "RecordState": "ACTIVE",
    }


def seed_account_region(endpoint: str, account: str, region: str, name: str, findings: int = 3,
                        certificate_days: int = 200) -> dict[str, Any]:
    """Enables Security Hub in `region` of `account` and fills it: `findings` Inspector findings,
    one imported certificate for `<name>.<region>.org.example.com` expiring in `certificate_days`,
    and two secrets `<name>/<region>/db-password` (rotation on, every 30 days) and
    `<name>/<region>/api-key` (no rotation). Returns {"findings": [ids], "certificates": [{"arn",
    "domain", "days"}], "secrets": [names]}; what exists already is reused."""
    sh = account_client(endpoint, "securityhub", account, region)
    sh.enable_security_hub(EnableDefaultStandards=False)
    made = [finding(account, region, name, i) for i in range(findings)]
    for start in range(0, len(made), 100):
        result = sh.batch_import_findings(Findings=made[start:start + 100])
        assert result["FailedCount"] == 0, result

    acm = account_client(endpoint, "acm", account, region)
    domain = f"{name}.{region}.{EMAIL_DOMAIN}"
    existing = [c for c in acm.list_certificates()["CertificateSummaryList"] if c["DomainName"] == domain]
    if existing:
        arn = existing[0]["CertificateArn"]
    else:
        cert, key = self_signed(domain, certificate_days)
        arn = acm.import_certificate(Certificate=cert, PrivateKey=key, Tags=[{"Key": "account", "Value": name}])["CertificateArn"]

    sm = account_client(endpoint, "secretsmanager", account, region)
    secrets = [f"{name}/{region}/db-password", f"{name}/{region}/api-key"]
    for secret in secrets:
        try:
            sm.create_secret(Name=secret, SecretString=f"never-shown-{name}-{region}")
        except ClientError as e:
            if e.response["Error"]["Code"] != "ResourceExistsException":
                raise
    sm.rotate_secret(SecretId=secrets[0], RotationRules={"AutomaticallyAfterDays": 30})
    return {"findings": [f["Id"] for f in made],
            "certificates": [{"arn": arn, "domain": domain, "days": certificate_days}],
            "secrets": secrets}


def create_finding_aggregator(endpoint: str, account: str, home: str, mode: str, regions: list[str] | None = None) -> dict[str, Any]:
    """The account's Security Hub finding aggregator in `home` with `mode` and `regions` (an existing
    one in `home` is updated to them; one elsewhere is an error). Returns {"arn", "home_region",
    "mode", "regions"}."""
    sh = account_client(endpoint, "securityhub", account, home)
    sh.enable_security_hub(EnableDefaultStandards=False)
    kwargs: dict[str, Any] = {"RegionLinkingMode": mode}
    if regions:
        kwargs["Regions"] = regions
    listed = sh.list_finding_aggregators()["FindingAggregators"]
    if listed:
        arn = listed[0]["FindingAggregatorArn"]
        current = sh.get_finding_aggregator(FindingAggregatorArn=arn)
        if current["FindingAggregationRegion"] != home:
            raise RuntimeError(f"account {account} aggregates into {current['FindingAggregationRegion']}, not {home}")
        got = sh.update_finding_aggregator(FindingAggregatorArn=arn, **kwargs)
    else:
        got = sh.create_finding_aggregator(**kwargs)
    return {"arn": got["FindingAggregatorArn"], "home_region": got["FindingAggregationRegion"],
            "mode": got["RegionLinkingMode"], "regions": got.get("Regions", [])}


# --------------------------------------------------------------------------------------------
# GuardDuty: the management account administers its members' detectors (optional part)

# Sample finding types (CreateSampleFindings): the first member with the role gets all three, every
# other member the first two, and the administrator one of its own, so each account's count differs.
GUARDDUTY_MEMBER_TYPES = ("UnauthorizedAccess:EC2/SSHBruteForce", "Recon:EC2/PortProbeUnprotectedPort",
                          "CryptoCurrency:EC2/BitcoinTool.B!DNS")
GUARDDUTY_ADMINISTRATOR_TYPES = ("Discovery:S3/MaliciousIPCaller",)


def guardduty_detector(endpoint: str, account: str, region: str) -> str:
    """The GuardDuty detector of `account` in `region` (ListDetectors), made (enabled) if there is none."""
    gd = account_client(endpoint, "guardduty", account, region)
    detectors = [d for page in gd.get_paginator("list_detectors").paginate() for d in page["DetectorIds"]]
    return detectors[0] if detectors else gd.create_detector(Enable=True)["DetectorId"]


def sample_findings(endpoint: str, account: str, region: str, detector: str, types: list[str] | tuple[str, ...]) -> list[str]:
    """One sample finding of each of `types` in `account`'s own detector: the ones already there
    (the oldest of a type) are reused, the missing types made with CreateSampleFindings. Returns
    their ids in the order of `types`."""
    gd = account_client(endpoint, "guardduty", account, region)

    def own() -> dict[str, str]:
        # An administrator's detector also lists its members' findings: keep the account's own.
        criteria = {"Criterion": {"accountId": {"Equals": [account]}}}
        ids = [i for page in gd.get_paginator("list_findings").paginate(DetectorId=detector, FindingCriteria=criteria)
               for i in page["FindingIds"]]
        found = [f for start in range(0, len(ids), 50)
                 for f in gd.get_findings(DetectorId=detector, FindingIds=ids[start:start + 50])["Findings"]]
        by_type: dict[str, str] = {}
        for f in sorted(found, key=lambda f: (f["CreatedAt"], f["Id"])):
            by_type.setdefault(f["Type"], f["Id"])
        return by_type

    by_type = own()
    missing = [t for t in dict.fromkeys(types) if t not in by_type]
    if missing:
        gd.create_sample_findings(DetectorId=detector, FindingTypes=missing)
        by_type = own()
    return [by_type[t] for t in types]


def join_guardduty(endpoint: str, administrator: str, administrator_detector: str, member: dict[str, str],
                   member_detector: str, region: str) -> None:
    """Makes `member` an Enabled GuardDuty member of `administrator` in `region`, by invitation:
    CreateMembers and InviteMembers in the administrator, ListInvitations and
    AcceptAdministratorInvitation in the member. A member already Enabled is left as it is."""
    admin = account_client(endpoint, "guardduty", administrator, region)
    listed = {m["AccountId"]: m for page in admin.get_paginator("list_members").paginate(
        DetectorId=administrator_detector, OnlyAssociated="false") for m in page["Members"]}
    current = listed.get(member["id"])
    if current and current["RelationshipStatus"] == "Enabled":
        if current.get("DetectorId") not in (None, member_detector):
            raise RuntimeError(f"account {member['id']} is a GuardDuty member through detector {current['DetectorId']}, "
                               f"not {member_detector}")
        return
    if current is None:
        out = admin.create_members(DetectorId=administrator_detector,
                                   AccountDetails=[{"AccountId": member["id"], "Email": member["email"]}])
        if out["UnprocessedAccounts"]:
            raise RuntimeError(f"CreateMembers {member['id']}: {out['UnprocessedAccounts']}")
    out = admin.invite_members(DetectorId=administrator_detector, AccountIds=[member["id"]])
    if out["UnprocessedAccounts"]:
        raise RuntimeError(f"InviteMembers {member['id']}: {out['UnprocessedAccounts']}")
    gd = account_client(endpoint, "guardduty", member["id"], region)
    invitations = [i for page in gd.get_paginator("list_invitations").paginate() for i in page["Invitations"]
                   if i["AccountId"] == administrator]
    gd.accept_administrator_invitation(DetectorId=member_detector, AdministratorId=administrator,
                                       InvitationId=invitations[-1]["InvitationId"])


def seed_guardduty(endpoint: str, administrator: str, members: list[dict[str, Any]], region: str) -> dict[str, Any]:
    """A detector in `administrator` and in each of `members` (accounts {"id", "email"}), each member
    an Enabled member of the administrator (`join_guardduty`), and sample findings in every detector
    (`GUARDDUTY_MEMBER_TYPES`: all three in the first member, the first two in the others;
    `GUARDDUTY_ADMINISTRATOR_TYPES` in the administrator's own). Returns {"administrator_detector",
    "members": {account id: detector id}, "findings": {account id: [finding ids]}}, administrator
    first."""
    administrator_detector = guardduty_detector(endpoint, administrator, region)
    result: dict[str, Any] = {"administrator_detector": administrator_detector, "members": {},
                              "findings": {administrator: sample_findings(endpoint, administrator, region, administrator_detector,
                                                                          GUARDDUTY_ADMINISTRATOR_TYPES)}}
    for index, member in enumerate(members):
        detector = guardduty_detector(endpoint, member["id"], region)
        join_guardduty(endpoint, administrator, administrator_detector, member, detector, region)
        result["members"][member["id"]] = detector
        types = GUARDDUTY_MEMBER_TYPES if index == 0 else GUARDDUTY_MEMBER_TYPES[:2]
        result["findings"][member["id"]] = sample_findings(endpoint, member["id"], region, detector, types)
    return result


# --------------------------------------------------------------------------------------------
# Security Hub control findings of every account in the administrator's home Region (optional part)

FSBP_NAME = "AWS Foundational Security Best Practices v1.0.0"
# Seeded controls of the standard (ListSecurityControlDefinitions must list each), in the order
# accounts fail them: account i of the organisation (management 0, then the members in order) fails
# the first i.
CONTROLS = ("S3.1", "IAM.1", "EC2.2", "Config.1", "GuardDuty.1", "SecretsManager.1")
# The resource each control judges, by control (others: the account).
CONTROL_RESOURCES = {
    "IAM.1": ("AwsIamPolicy", "arn:aws:iam::{account}:policy/{name}-admin-all"),
    "EC2.2": ("AwsEc2SecurityGroup", "arn:aws:ec2:{region}:{account}:security-group/sg-{name}-default"),
    "SecretsManager.1": ("AwsSecretsManagerSecret", "arn:aws:secretsmanager:{region}:{account}:secret:{name}/{region}/api-key"),
}


# Compliance.RelatedRequirements of each seeded control's findings: the PCI DSS requirements (as
# consolidated control findings spell them) and a NIST one, which Vigil's PCI view must leave out.
CONTROL_REQUIREMENTS = {
    "S3.1": ["PCI DSS v3.2.1/1.2.1", "PCI DSS v3.2.1/1.3.1", "PCI DSS v3.2.1/1.3.2", "PCI DSS v3.2.1/1.3.4",
             "PCI DSS v3.2.1/1.3.6", "NIST.800-53.r5 AC-21"],
    "IAM.1": ["PCI DSS v3.2.1/7.2.1", "NIST.800-53.r5 AC-2"],
    "EC2.2": ["PCI DSS v3.2.1/1.2.1", "PCI DSS v3.2.1/1.3.4", "PCI DSS v3.2.1/2.1"],
}


def percent(passed: int, total: int) -> int:
    """round(100 * passed / total), halves away from zero (as Rust's f64::round), exactly."""
    return round_half_away(Fraction(100 * passed, total))


def round_half_away(value: Fraction) -> int:
    """`value` to a whole number, halves away from zero."""
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def enable_standard(endpoint: str, account: str, region: str, name: str = FSBP_NAME) -> str:
    """Enables the standard called `name` (DescribeStandards) in `account`'s `region`, unless
    GetEnabledStandards already lists it; returns its ARN."""
    sh = account_client(endpoint, "securityhub", account, region)
    sh.enable_security_hub(EnableDefaultStandards=False)
    arns = [s["StandardsArn"] for page in sh.get_paginator("describe_standards").paginate() for s in page["Standards"] if s["Name"] == name]
    if not arns:
        raise RuntimeError(f"no standard named {name!r} in {region}")
    enabled = {s["StandardsArn"] for page in sh.get_paginator("get_enabled_standards").paginate() for s in page["StandardsSubscriptions"]}
    if arns[0] not in enabled:
        sh.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": arns[0]}])
    return arns[0]


def control_finding(account: str, region: str, name: str, control: str, status: str, standards_id: str,
                    definition: dict[str, Any]) -> dict[str, Any]:
    """The Security Hub control finding (consolidated control findings: `Compliance.SecurityControlId`
    and `AssociatedStandards`) of `control` in `account`, as `region`'s Security Hub reports it. The Id is
    the same on every call, so importing again updates it. A PASSED finding is INFORMATIONAL and
    RESOLVED (Security Hub resolves passed control findings itself), a FAILED one has the control's
    severity and is NEW."""
    kind, template = CONTROL_RESOURCES.get(control, ("AwsAccount", "AWS::::Account:{account}"))
    resource = template.format(account=account, region=region, name=name)
    finding_id = uuid.uuid5(uuid.NAMESPACE_URL, f"vigil-seed-org/{account}/{region}/{control}")
    passed = status == "PASSED"
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{finding_id}",
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
        "GeneratorId": f"security-control/{control}",
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "FirstObservedAt": now(-5), "LastObservedAt": now(-0.1), "CreatedAt": now(-5), "UpdatedAt": now(-0.1),
        "Severity": {"Label": "INFORMATIONAL" if passed else definition["SeverityRating"]},
        "Title": definition["Title"],
        "Description": definition["Description"],
        "Remediation": {"Recommendation": {"Text": "For information on how to correct this issue, consult the documentation.",
                                           "Url": definition["RemediationUrl"]}},
        "Resources": [{"Type": kind, "Id": resource, "Partition": "aws", "Region": region}],
        "Compliance": {"Status": status, "SecurityControlId": control, "AssociatedStandards": [{"StandardsId": standards_id}],
                       **({"RelatedRequirements": CONTROL_REQUIREMENTS[control]} if control in CONTROL_REQUIREMENTS else {})},
        "Workflow": {"Status": "RESOLVED" if passed else "NEW"},
        "RecordState": "ACTIVE",
    }


def seed_controls(endpoint: str, administrator: str, accounts: list[dict[str, Any]], region: str,
                  controls: tuple[str, ...] | list[str] = CONTROLS, linked: str | None = None) -> dict[str, Any]:
    """Enables FSBP in `administrator`'s `region` and imports there one control finding per control of
    `controls` for each of `accounts` ({"id", "name"}, the administrator first; `AwsAccountId` = that
    account): account i fails the first i controls (all of them from i = len(controls) on) and passes
    the rest. With `linked` (a region linked to the aggregator in `region`), the administrator, which
    passes every control in `region`, fails the first control in `linked`: a control finding of that
    region (its own product ARN), which the aggregation region's view must count. Returns {"standard_arn", "standard_name", "controls", "accounts": {account id: {"passed",
    "failed", "score"}}, "organisation_average"}: score = passed over passed + failed as a whole
    percent, the average the mean of the scores (both halves away from zero)."""
    standard_arn = enable_standard(endpoint, administrator, region)
    sh = account_client(endpoint, "securityhub", administrator, region)
    definitions = {d["SecurityControlId"]: d for page in sh.get_paginator("list_security_control_definitions").paginate(
        StandardsArn=standard_arn) for d in page["SecurityControlDefinitions"]}
    unknown = [c for c in controls if c not in definitions]
    if unknown:
        raise RuntimeError(f"{FSBP_NAME} in {region} has no control {', '.join(unknown)}")
    # Compliance.AssociatedStandards[].StandardsId: the ARN's resource part
    # (standards/aws-foundational-security-best-practices/v/1.0.0).
    standards_id = standard_arn.split("::", 1)[1]
    made, accounts_out = [], {}
    for index, account in enumerate(accounts):
        failed = list(controls[:index])
        for control in controls:
            made.append(control_finding(account["id"], region, account["name"], control,
                                        "FAILED" if control in failed else "PASSED", standards_id, definitions[control]))
        if index == 0 and linked:
            failed = [controls[0]]
        passed = [c for c in controls if c not in failed]
        accounts_out[account["id"]] = {"passed": sorted(passed), "failed": sorted(failed), "score": percent(len(passed), len(controls))}
    for start in range(0, len(made), 100):
        result = sh.batch_import_findings(Findings=made[start:start + 100])
        assert result["FailedCount"] == 0, result
    if linked:
        there = account_client(endpoint, "securityhub", administrator, linked)
        finding = control_finding(accounts[0]["id"], linked, accounts[0]["name"], controls[0], "FAILED", standards_id,
                                  definitions[controls[0]])
        result = there.batch_import_findings(Findings=[finding])
        assert result["FailedCount"] == 0, result
    scores = [a["score"] for a in accounts_out.values()]
    return {"standard_arn": standard_arn, "standard_name": FSBP_NAME, "controls": sorted(controls), "accounts": accounts_out,
            "organisation_average": round_half_away(Fraction(sum(scores), len(scores)))}


def control_finding_ids(endpoint: str, account: str, region: str) -> list[str]:
    """The ids of the Security Hub control findings (product aws/securityhub of `region`) that
    GetFindings answers in `account`'s `region`: this seed's, of this call or an earlier one."""
    sh = account_client(endpoint, "securityhub", account, region)
    filters = {"ProductArn": [{"Value": f"arn:aws:securityhub:{region}::product/aws/securityhub", "Comparison": "EQUALS"}]}
    return [f["Id"] for page in sh.get_paginator("get_findings").paginate(Filters=filters) for f in page["Findings"]]


# --------------------------------------------------------------------------------------------
# the whole organisation


def seed_organization(endpoint: str, members: tuple[str, ...] | list[str] = MEMBERS, regions: tuple[str, ...] | list[str] = REGIONS,
                      home: str = HOME, role_name: str = ROLE, findings: int = 3,
                      roleless: tuple[str, ...] | list[str] = (), external_id: str | None = None, *,
                      guardduty: bool = False, controls: bool = False) -> dict[str, Any]:
    """An organisation managed by 123456789012 with one member account per name in `members`, each
    with the role `role_name`; every account (management included) seeded in every Region of
    `regions` (`seed_account_region`; the first member's certificate expires in 10 days, the others'
    in 200); and a finding aggregator in the management account's `home` Region linking the other
    Regions of `regions` (SPECIFIED_REGIONS).

    `roleless` names member accounts without the role (made after `members` unless listed there
    too; an existing `role_name` role there is deleted): in the organisation and seeded like the
    others, but AssumeRole on `arn:aws:iam::<id>:role/<role_name>` is AccessDenied (moto's
    OrganizationAccountAccessRole is still there, as in AWS). `external_id`, if given, is required by
    every member role's trust policy (Condition StringEquals sts:ExternalId).

    Two optional parts, both in the management account's `home` Region: `guardduty` makes the
    management account the GuardDuty administrator of every member with the role (`seed_guardduty`:
    a detector in each, members by invitation, sample findings in every detector); `controls`
    enables FSBP there and imports Security Hub control findings of every account, management and
    members (roleless ones too), into it, each account failing a different number of the seeded
    controls (`seed_controls`). Returns the expectations:

        {"organization": {"id", "management_account", "root_id"},
         "accounts": [{"id", "name", "email", "role_arn", "external_id"}],
                                    # management first; role_arn null for it and for roleless members;
                                    # external_id: what the role's trust requires, else null
         "role_name", "external_id", "roleless": [account id],
         "regions", "home_region",
         "aggregator": {"arn", "home_region", "mode", "regions"},
         "findings" | "certificates" | "secrets": {account id: {region: [...]}},
         "aggregated_finding_ids": [...],   # GetFindings in the management account's home Region
                                            # (control findings there included)
         "guardduty": {"administrator_detector", "members": {account id: detector id},
                       "findings": {account id: [finding ids]}},          # with guardduty only
         "controls": {"standard_arn", "standard_name", "controls": [ids],
                      "accounts": {account id: {"passed", "failed", "score"}},
                      "organisation_average"}}                              # with controls only
    """
    if home not in regions:
        raise ValueError(f"the home Region {home} must be one of {regions}")
    organization = create_organization(endpoint)
    management = organization["management_account"]
    accounts = [{"id": management, "name": "management", "email": f"management@{EMAIL_DOMAIN}", "role_arn": None, "external_id": None}]
    for name in list(dict.fromkeys([*members, *roleless])):
        account = create_member_account(endpoint, name)
        if name in roleless:
            delete_role(endpoint, account["id"], role_name)
            account.update(role_arn=None, external_id=None)
        else:
            account["role_arn"] = create_role(endpoint, account["id"], role_name, trusted_account=management, external_id=external_id)
            account["external_id"] = external_id
        accounts.append(account)

    expect: dict[str, Any] = {"organization": organization, "accounts": accounts, "role_name": role_name,
                              "external_id": external_id, "roleless": [a["id"] for a in accounts[1:] if a["name"] in roleless],
                              "regions": list(regions), "home_region": home,
                              "findings": {}, "certificates": {}, "secrets": {}}
    for index, account in enumerate(accounts):
        for region in regions:
            made = seed_account_region(endpoint, account["id"], region, account["name"], findings,
                                       certificate_days=10 if index == 1 else 200)
            for kind in ("findings", "certificates", "secrets"):
                expect[kind].setdefault(account["id"], {})[region] = made[kind]
    linked = [r for r in regions if r != home]
    expect["aggregator"] = create_finding_aggregator(endpoint, management, home, "SPECIFIED_REGIONS" if linked else "NO_REGIONS", linked)
    if guardduty:
        expect["guardduty"] = seed_guardduty(endpoint, management, [a for a in accounts[1:] if a["role_arn"]], home)
    if controls:
        expect["controls"] = seed_controls(endpoint, management, accounts, home,
                                           linked=next((r for r in regions if r != home), None))
    # What GetFindings answers in the home Region: the management account's Inspector findings of
    # every Region, and the control findings of every Region (by this call or an earlier one).
    expect["aggregated_finding_ids"] = sorted([*(i for region in regions for i in expect["findings"][management][region]),
                                               *(i for region in regions for i in control_finding_ids(endpoint, management, region))])
    return expect


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("endpoint")
    parser.add_argument("expect_json")
    parser.add_argument("--members", default=",".join(MEMBERS), help="member account names, comma-separated")
    parser.add_argument("--regions", default=",".join(REGIONS), help="Regions to seed, comma-separated")
    parser.add_argument("--home", default=HOME, help="the aggregator's home Region (one of --regions)")
    parser.add_argument("--role", default=ROLE, help="the role made in every member account")
    parser.add_argument("--findings", type=int, default=3, help="findings per account and Region")
    parser.add_argument("--roleless", default="", help="member accounts made without the role, comma-separated")
    parser.add_argument("--external-id", default=None, help="the external id every member role's trust policy requires")
    parser.add_argument("--guardduty", action="store_true",
                        help="GuardDuty in the home Region: the management account administers every member with the role")
    parser.add_argument("--controls", action="store_true",
                        help="FSBP control findings of every account in the management account's home Region")
    args = parser.parse_args(argv)
    expect = seed_organization(args.endpoint, [m for m in args.members.split(",") if m], [r for r in args.regions.split(",") if r],
                               args.home, args.role, args.findings, [m for m in args.roleless.split(",") if m], args.external_id,
                               guardduty=args.guardduty, controls=args.controls)
    with open(args.expect_json, "w") as f:
        json.dump(expect, f, indent=2)


if __name__ == "__main__":
    main()
