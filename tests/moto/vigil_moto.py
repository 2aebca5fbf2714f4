"""Extends moto 5.2.5's server with the AWS operations Vigil calls that moto does not serve.

This is the one place that knows moto's internals. Each operation is added the way moto adds its
own: a URL pattern in the service's ``url_paths`` and a snake_case method on the service's
``Response`` class (moto resolves the operation name from botocore's model). State lives on moto's
own backend for the account and region, so ``POST /moto-api/reset`` clears it.

Shapes follow the AWS API reference (field names, types, limits); ``test_extension.py`` checks them
through boto3, whose parsers validate every response against botocore's service model.

Added:
  GuardDuty     CreateSampleFindings, ListFindings (FindingCriteria, SortCriteria, 50 per page),
                GetFindings (at most 50 ids), ArchiveFindings, UnarchiveFindings,
                UpdateFindingsFeedback (1 to 50 ids); administrator and members by invitation:
                CreateMembers, InviteMembers, ListMembers, ListInvitations,
                AcceptAdministratorInvitation, GetAdministratorAccount (an administrator's detector
                sees and archives its Enabled members' findings; a member cannot archive)
  Security Hub  GetFindings honouring Filters and SortCriteria (moto ignores both), refusing filter
                combinations AWS refuses and filters it does not implement, and answering
                InvalidAccessException when the hub is not enabled; BatchImportFindings normalising
                as Security Hub does (Severity Label/Normalized, ProductName/CompanyName of AWS
                products); BatchEnableStandards, GetEnabledStandards, DescribeStandards,
                ListSecurityControlDefinitions, BatchGetStandardsControlAssociations,
                BatchUpdateStandardsControlAssociations, BatchUpdateFindings (at most 100
                identifiers, duplicates reported, Note.Text at most 512); cross-Region aggregation:
                CreateFindingAggregator, GetFindingAggregator, UpdateFindingAggregator,
                DeleteFindingAggregator, ListFindingAggregators (one aggregator per account), and
                GetFindings in the home Region reading the linked Regions' findings too
  Everywhere    a NextToken this server did not hand out is a 400, not a 500; /moto-api/reset
                also forgets which accounts were members of an organisation
  Cognito       AdminListUserAuthEvents (UserPoolAddOnNotEnabledException without threat
                protection), plus a seeding endpoint POST /moto-api/vigil/cognito-auth-events,
                since AWS has no API that creates sign-in events
  STS           AssumeRole answers AccessDenied (HTTP 403, STS's query error shape) unless the role
                exists in the account of its ARN and its trust policy allows the caller, with the
                ExternalId its conditions ask for (moto hands out credentials for any ARN)
  Account       ListRegions (RegionOptStatusContains, 1 to 50 per page), GetRegionOptStatus,
                EnableRegion, DisableRegion: Regions launched before 20 March 2019 enabled by
                default, later ones opt-in, per account (AccountId for a member from its
                management account)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError

# --------------------------------------------------------------------------------------------
# helpers


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def _parse_time(text: str) -> dt.datetime:
    text = text.replace("Z", "+00:00")
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _page(items: list[Any], next_token: str | None, max_results: int,
          error: str = "InvalidInputException") -> tuple[list[Any], str | None]:
    """One page of `items`. A token that this server did not hand out is the service's 400 `error`
    (Security Hub InvalidInputException, GuardDuty BadRequestException), never a 500."""
    start = 0
    if next_token:
        if not (next_token.isdigit() and int(next_token) <= len(items)):
            raise BadRequest(error, "The request is rejected because the nextToken is invalid.")
        start = int(next_token)
    end = start + max_results
    return items[start:end], (str(end) if end < len(items) else None)


def _state(backend: Any, name: str, factory: Callable[[], Any]) -> Any:
    """Extension state kept on moto's backend object, so a moto reset clears it."""
    if not hasattr(backend, name):
        setattr(backend, name, factory())
    return getattr(backend, name)


class BadRequest(JsonRESTError):
    def __init__(self, error_type: str, message: str, code: int = 400):
        super().__init__(error_type, message)
        self.code = code


# --------------------------------------------------------------------------------------------
# GuardDuty

GUARDDUTY_SAMPLE_SEVERITY = {
    "UnauthorizedAccess:EC2/SSHBruteForce": 2.0,
    "Recon:EC2/PortProbeUnprotectedPort": 2.0,
    "CryptoCurrency:EC2/BitcoinTool.B!DNS": 8.0,
    "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS": 8.0,
    "Backdoor:EC2/C&CActivity.B!DNS": 8.0,
    "Discovery:S3/MaliciousIPCaller": 5.0,
    "Policy:IAMUser/RootCredentialUsage": 2.0,
    "AttackSequence:IAM/CompromisedCredentials": 9.5,
}


def _guardduty_finding(account: str, region: str, detector_id: str, finding_type: str) -> dict[str, Any]:
    finding_id = uuid.uuid4().hex
    now = _now_iso()
    severity = GUARDDUTY_SAMPLE_SEVERITY.get(finding_type, 5.0)
    resource_kind = finding_type.split(":", 1)[-1].split("/", 1)[0]
    if resource_kind in ("EC2",):
        resource = {
            "resourceType": "Instance",
            "instanceDetails": {"instanceId": "i-99999999", "instanceType": "m5.large", "availabilityZone": f"{region}a"},
        }
        title = f"{finding_type} activity on EC2 instance i-99999999."
    elif resource_kind == "S3":
        resource = {"resourceType": "S3Bucket", "s3BucketDetails": [{"name": "bucketName", "arn": "arn:aws:s3:::bucketName", "type": "Destination"}]}
        title = f"{finding_type} activity on S3 bucket bucketName."
    else:
        resource = {
            "resourceType": "AccessKey",
            "accessKeyDetails": {"accessKeyId": "ASIASAMPLEKEY", "principalId": "AROASAMPLE", "userName": "GeneratedFindingUserName", "userType": "IAMUser"},
        }
        title = f"{finding_type} activity by GeneratedFindingUserName."
    return {
        "accountId": account,
        "arn": f"arn:aws:guardduty:{region}:{account}:detector/{detector_id}/finding/{finding_id}",
        "createdAt": now,
        "description": f"This is a sample finding of type {finding_type}.",
        "id": finding_id,
        "partition": "aws",
        "region": region,
        "resource": resource,
        "schemaVersion": "2.0",
        "service": {
            "action": {"actionType": "NETWORK_CONNECTION", "networkConnectionAction": {"remoteIpDetails": {"ipAddressV4": "198.51.100.23"}, "connectionDirection": "INBOUND"}},
            "archived": False,
            "count": 1,
            "detectorId": detector_id,
            "eventFirstSeen": now,
            "eventLastSeen": now,
            "resourceRole": "TARGET",
            "serviceName": "guardduty",
            "additionalInfo": {"value": '{"sample":true}', "type": "default"},
        },
        "severity": severity,
        "title": title,
        "type": finding_type,
        "updatedAt": now,
    }


def _gd_field(finding: dict[str, Any], name: str) -> Any:
    value: Any = finding
    for part in name.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if name in ("updatedAt", "createdAt", "service.eventLastSeen", "service.eventFirstSeen") and isinstance(value, str):
        return int(_parse_time(value).timestamp() * 1000)
    return value


def _gd_matches(finding: dict[str, Any], criterion: dict[str, Any]) -> bool:
    for field, condition in criterion.items():
        value = _gd_field(finding, field)
        as_text = str(value).lower() if isinstance(value, bool) else str(value)
        for key, expected in condition.items():
            if key in ("eq", "equals") and as_text not in [str(e) for e in expected]:
                return False
            if key in ("neq", "notEquals") and as_text in [str(e) for e in expected]:
                return False
            number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            bound = float(expected) if key in ("gt", "gte", "lt", "lte", "greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual") else None
            if bound is not None:
                if number is None:
                    return False
                if key in ("gt", "greaterThan") and not number > bound:
                    return False
                if key in ("gte", "greaterThanOrEqual") and not number >= bound:
                    return False
                if key in ("lt", "lessThan") and not number < bound:
                    return False
                if key in ("lte", "lessThanOrEqual") and not number <= bound:
                    return False
    return True


def _gd_backend(account: str, region: str) -> Any:
    from moto.guardduty.models import guardduty_backends

    return guardduty_backends[account][region]


def _gd_members(backend: Any) -> dict[str, dict[str, Any]]:
    """On an administrator's backend: member account id -> Member (wire shape, lowerCamelCase)."""
    return _state(backend, "vigil_members", dict)


def _gd_administrator(backend: Any) -> dict[str, dict[str, Any]]:
    """On a member's backend: administrator account id -> Invitation/Administrator (wire shape)."""
    return _state(backend, "vigil_administrators", dict)


def _gd_is_member(backend: Any) -> bool:
    return any(a["relationshipStatus"] == "Enabled" for a in _gd_administrator(backend).values())


def _install_guardduty() -> None:
    from moto.guardduty import urls
    from moto.guardduty.responses import GuardDutyResponse

    for suffix in ("findings", "findings/get", "findings/create", "findings/archive", "findings/unarchive", "findings/feedback",
                   "member", "member/invite"):
        urls.url_paths["{0}/detector/(?P<detector_id>[^/]+)/" + suffix + "$"] = GuardDutyResponse.dispatch
    urls.url_paths["{0}/invitation$"] = GuardDutyResponse.dispatch

    def detector_id_of(self: GuardDutyResponse) -> str:
        detector_id = self.path.split("/")[2]
        # A detector of another account (a member's, say) is not found in the caller's backend:
        # BadRequestException "The request is rejected because the input detectorId is not owned by
        # the current account." (moto's own DetectorNotFoundException).
        self.guardduty_backend.get_detector(detector_id)
        return detector_id

    def own_findings(backend: Any, detector_id: str) -> dict[str, dict[str, Any]]:
        return _state(backend, "vigil_findings", dict).setdefault(detector_id, {})

    def findings_of(self: GuardDutyResponse) -> dict[str, dict[str, Any]]:
        """What the caller's detector sees: its own findings, and for an administrator those of every
        member whose relationship is Enabled, in the same region (the finding objects themselves, so
        archiving through the administrator changes the member's finding)."""
        detector_id = detector_id_of(self)
        view = dict(own_findings(self.guardduty_backend, detector_id))
        for account, member in _gd_members(self.guardduty_backend).items():
            if member["relationshipStatus"] != "Enabled":
                continue
            member_backend = _gd_backend(account, self.region)
            for member_detector, store in _state(member_backend, "vigil_findings", dict).items():
                view.update(store)
        return view

    def create_sample_findings(self: GuardDutyResponse) -> str:
        detector_id = detector_id_of(self)
        store = own_findings(self.guardduty_backend, detector_id)
        types = self._get_param("findingTypes") or list(GUARDDUTY_SAMPLE_SEVERITY)
        for finding_type in types:
            finding = _guardduty_finding(self.current_account, self.region, detector_id, finding_type)
            store[finding["id"]] = finding
        return "{}"

    def list_findings(self: GuardDutyResponse) -> str:
        store = findings_of(self)
        max_results = int(self._get_param("maxResults") or 50)
        if not 1 <= max_results <= 50:
            raise BadRequest("BadRequestException", "maxResults must be between 1 and 50")
        criterion = (self._get_param("findingCriteria") or {}).get("criterion") or {}
        findings = [f for f in store.values() if _gd_matches(f, criterion)]
        sort = self._get_param("sortCriteria") or {}
        if sort.get("attributeName"):
            findings.sort(key=lambda f: (_gd_field(f, sort["attributeName"]) is None, _gd_field(f, sort["attributeName"]) or 0),
                          reverse=sort.get("orderBy") == "DESC")
        page, token = _page([f["id"] for f in findings], self._get_param("nextToken"), max_results, "BadRequestException")
        body: dict[str, Any] = {"findingIds": page}
        if token:
            body["nextToken"] = token
        return json.dumps(body)

    def get_findings(self: GuardDutyResponse) -> str:
        store = findings_of(self)
        ids = self._get_param("findingIds") or []
        if len(ids) > 50:
            raise BadRequest("BadRequestException", "The request is rejected because findingIds has more than 50 items.")
        return json.dumps({"findings": [store[i] for i in ids if i in store]})

    def finding_ids(self: GuardDutyResponse) -> list[str]:
        ids = self._get_param("findingIds") or []
        if not 1 <= len(ids) <= 50:
            raise BadRequest("BadRequestException", "The request is rejected because findingIds must hold 1 to 50 items.")
        return ids

    def set_archived(self: GuardDutyResponse, archived: bool) -> str:
        store = findings_of(self)
        if _gd_is_member(self.guardduty_backend):
            # ArchiveFindings: "Only the administrator account can archive findings. Member accounts
            # don't have permission to archive findings from their accounts."
            raise BadRequest("BadRequestException", "The request is rejected because a member account cannot archive or "
                             "unarchive findings; only the administrator account can.")
        for finding_id in finding_ids(self):
            if finding_id in store:
                store[finding_id]["service"]["archived"] = archived
                store[finding_id]["updatedAt"] = _now_iso()
        return "{}"

    def update_findings_feedback(self: GuardDutyResponse) -> str:
        store = findings_of(self)
        ids = finding_ids(self)
        feedback = self._get_param("feedback")
        if feedback not in ("USEFUL", "NOT_USEFUL"):
            raise BadRequest("BadRequestException", "feedback must be USEFUL or NOT_USEFUL")
        for finding_id in ids:
            if finding_id in store:
                store[finding_id]["service"]["userFeedback"] = feedback
        return "{}"

    # Administrator and members by invitation: CreateMembers and InviteMembers in the administrator
    # account, ListInvitations and AcceptAdministratorInvitation in the member account.

    def create_members(self: GuardDutyResponse) -> str:
        detector_id_of(self)
        unprocessed = []
        for detail in self._get_param("accountDetails") or []:
            account = detail["accountId"]
            if account == self.current_account:
                unprocessed.append({"accountId": account, "result": "The request is rejected because the current account cannot be a member of itself."})
                continue
            _gd_members(self.guardduty_backend).setdefault(account, {
                "accountId": account, "masterId": self.current_account, "administratorId": self.current_account,
                "email": detail["email"], "relationshipStatus": "Created", "updatedAt": _now_iso(),
            })
        return json.dumps({"unprocessedAccounts": unprocessed})

    def invite_members(self: GuardDutyResponse) -> str:
        detector_id_of(self)
        unprocessed = []
        for account in self._get_param("accountIds") or []:
            member = _gd_members(self.guardduty_backend).get(account)
            if member is None:
                unprocessed.append({"accountId": account, "result": "The request is rejected because the account is not a member (call CreateMembers first)."})
                continue
            invitation_id = uuid.uuid4().hex
            member.update(relationshipStatus="Invited", invitedAt=_now_iso(), updatedAt=_now_iso())
            _gd_administrator(_gd_backend(account, self.region))[self.current_account] = {
                "accountId": self.current_account, "invitationId": invitation_id,
                "relationshipStatus": "Invited", "invitedAt": member["invitedAt"],
            }
        return json.dumps({"unprocessedAccounts": unprocessed})

    def list_members(self: GuardDutyResponse) -> str:
        detector_id_of(self)
        members = list(_gd_members(self.guardduty_backend).values())
        if (self._get_param("onlyAssociated") or "true") == "true":
            members = [m for m in members if m["relationshipStatus"] == "Enabled"]
        page, token = _page(members, self._get_param("nextToken"), int(self._get_param("maxResults") or 50), "BadRequestException")
        body: dict[str, Any] = {"members": page}
        if token:
            body["nextToken"] = token
        return json.dumps(body)

    def list_invitations(self: GuardDutyResponse) -> str:
        invitations = [a for a in _gd_administrator(self.guardduty_backend).values() if a["relationshipStatus"] == "Invited"]
        page, token = _page(invitations, self._get_param("nextToken"), int(self._get_param("maxResults") or 50), "BadRequestException")
        body: dict[str, Any] = {"invitations": page}
        if token:
            body["nextToken"] = token
        return json.dumps(body)

    def accept_administrator_invitation(self: GuardDutyResponse) -> str:
        member_detector = detector_id_of(self)
        administrator = self._get_param("administratorId")
        invitation = _gd_administrator(self.guardduty_backend).get(administrator)
        if invitation is None or invitation["invitationId"] != self._get_param("invitationId"):
            raise BadRequest("BadRequestException", "The request is rejected because the invitationId is not valid.")
        invitation["relationshipStatus"] = "Enabled"
        member = _gd_members(_gd_backend(administrator, self.region))[self.current_account]
        member.update(relationshipStatus="Enabled", detectorId=member_detector, updatedAt=_now_iso())
        return "{}"

    moto_get_administrator_account = GuardDutyResponse.get_administrator_account

    def get_administrator_account(self: GuardDutyResponse) -> str:
        detector_id_of(self)
        relationships = list(_gd_administrator(self.guardduty_backend).values())
        if not relationships:
            return moto_get_administrator_account(self)
        return json.dumps({"administrator": relationships[0]})

    GuardDutyResponse.create_sample_findings = create_sample_findings
    GuardDutyResponse.list_findings = list_findings
    GuardDutyResponse.get_findings = get_findings
    GuardDutyResponse.archive_findings = lambda self: set_archived(self, True)
    GuardDutyResponse.unarchive_findings = lambda self: set_archived(self, False)
    GuardDutyResponse.update_findings_feedback = update_findings_feedback
    GuardDutyResponse.create_members = create_members
    GuardDutyResponse.invite_members = invite_members
    GuardDutyResponse.list_members = list_members
    GuardDutyResponse.list_invitations = list_invitations
    GuardDutyResponse.accept_administrator_invitation = accept_administrator_invitation
    GuardDutyResponse.get_administrator_account = get_administrator_account


# --------------------------------------------------------------------------------------------
# Security Hub


def _standards(region: str) -> list[dict[str, Any]]:
    return [
        {
            "StandardsArn": f"arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
            "Name": "AWS Foundational Security Best Practices v1.0.0",
            "Description": "The AWS Foundational Security Best Practices standard.",
            "EnabledByDefault": True,
            "Controls": ["S3.1", "S3.8", "IAM.1", "IAM.6", "EC2.2", "EC2.19", "Config.1", "GuardDuty.1", "RDS.3", "SecretsManager.1"],
        },
        {
            "StandardsArn": "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
            "Name": "CIS AWS Foundations Benchmark v1.2.0",
            "Description": "The Center for Internet Security AWS Foundations Benchmark v1.2.0.",
            "EnabledByDefault": True,
            "Controls": ["IAM.6", "CloudTrail.1", "Config.1", "EC2.2", "IAM.4"],
        },
        {
            "StandardsArn": f"arn:aws:securityhub:{region}::standards/pci-dss/v/3.2.1",
            "Name": "PCI DSS v3.2.1",
            "Description": "The Payment Card Industry Data Security Standard v3.2.1.",
            "EnabledByDefault": False,
            "Controls": ["IAM.1", "IAM.4", "S3.1", "GuardDuty.1", "CloudTrail.1"],
        },
    ]


CONTROL_DEFINITIONS = {
    "S3.1": ("S3 general purpose buckets should have block public access settings enabled", "MEDIUM"),
    "S3.8": ("S3 general purpose buckets should block public access", "HIGH"),
    "IAM.1": ('IAM policies should not allow full "*" administrative privileges', "HIGH"),
    "IAM.4": ("IAM root user access key should not exist", "CRITICAL"),
    "IAM.6": ("Hardware MFA should be enabled for the root user", "CRITICAL"),
    "EC2.2": ("VPC default security groups should not allow inbound or outbound traffic", "HIGH"),
    "EC2.19": ("Security groups should not allow unrestricted access to ports with high risk", "CRITICAL"),
    "Config.1": ("AWS Config should be enabled and use the service-linked role for resource recording", "MEDIUM"),
    "GuardDuty.1": ("GuardDuty should be enabled", "HIGH"),
    "RDS.3": ("RDS DB instances should have encryption at-rest enabled", "MEDIUM"),
    "SecretsManager.1": ("Secrets Manager secrets should have automatic rotation enabled", "MEDIUM"),
    "CloudTrail.1": ("CloudTrail should be enabled and configured with at least one multi-Region trail", "HIGH"),
}

# GetFindings filter name -> path into the ASFF finding.
STRING_FILTERS = {
    "Id": "Id",
    "ProductArn": "ProductArn",
    "ProductName": "ProductName",
    "AwsAccountId": "AwsAccountId",
    "Region": "Region",
    "GeneratorId": "GeneratorId",
    "Title": "Title",
    "Type": "Types",
    "SeverityLabel": "Severity.Label",
    "WorkflowStatus": "Workflow.Status",
    "RecordState": "RecordState",
    "ComplianceStatus": "Compliance.Status",
    "ComplianceSecurityControlId": "Compliance.SecurityControlId",
    "ComplianceAssociatedStandardsId": "Compliance.AssociatedStandards.StandardsId",
    "VerificationState": "VerificationState",
    "ResourceType": "Resources.Type",
    "ResourceId": "Resources.Id",
}
DATE_FILTERS = {"UpdatedAt": "UpdatedAt", "CreatedAt": "CreatedAt", "FirstObservedAt": "FirstObservedAt",
                "LastObservedAt": "LastObservedAt", "NoteUpdatedAt": "Note.UpdatedAt"}
SORT_FIELDS = {"UpdatedAt": "UpdatedAt", "CreatedAt": "CreatedAt", "SeverityNormalized": "Severity.Normalized", "SeverityLabel": "Severity.Label", "Title": "Title", "Id": "Id"}
SEVERITY_ORDER = {"INFORMATIONAL": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}
NUMBER_FILTERS = {"SeverityNormalized": "Severity.Normalized", "SeverityProduct": "Severity.Product",
                  "Confidence": "Confidence", "Criticality": "Criticality"}
NUMBER_BOUNDS = ("Gte", "Lte", "Eq", "Gt", "Lt")
WORKFLOW_STATUSES = ("NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED")
WORKFLOW_STATES = ("NEW", "ASSIGNED", "IN_PROGRESS", "DEFERRED", "RESOLVED")  # deprecated field
VERIFICATION_STATES = ("UNKNOWN", "TRUE_POSITIVE", "FALSE_POSITIVE", "BENIGN_POSITIVE")

# Severity.Normalized for a label given alone, and the label for a number given alone (ASFF Severity).
LABEL_TO_NORMALIZED = {"INFORMATIONAL": 0, "LOW": 1, "MEDIUM": 40, "HIGH": 70, "CRITICAL": 90}


def _label_of(normalized: int) -> str:
    if normalized == 0:
        return "INFORMATIONAL"
    return "LOW" if normalized < 40 else "MEDIUM" if normalized < 70 else "HIGH" if normalized < 90 else "CRITICAL"


# ProductName and CompanyName Security Hub sets for AWS products (ARN
# arn:aws:securityhub:<region>::product/aws/<name>); callers cannot set them for these products.
AWS_PRODUCTS = {
    "securityhub": ("Security Hub CSPM", "AWS"),
    "guardduty": ("GuardDuty", "Amazon"),
    "inspector": ("Inspector", "Amazon"),
    "macie": ("Macie", "Amazon"),
    "access-analyzer": ("IAM Access Analyzer", "AWS"),
    "config": ("Config", "AWS"),
    "health": ("Health", "AWS"),
    "firewall-manager": ("Firewall Manager", "AWS"),
}
AWS_PRODUCT_ARN = re.compile(r"^arn:aws[a-z-]*:securityhub:[a-z0-9-]+::product/aws/([A-Za-z0-9_.-]+)$")


def _severity(given: dict[str, Any]) -> dict[str, Any]:
    """Severity with Label and Normalized both set, the missing one derived from the other; raises
    ValueError for a severity Security Hub rejects."""
    severity = dict(given)
    label, normalized = severity.get("Label"), severity.get("Normalized")
    if label is None and normalized is None:
        raise ValueError("Severity needs Label or Normalized")
    if label is not None and label not in LABEL_TO_NORMALIZED:
        raise ValueError(f"Severity.Label {label!r} is not one of {', '.join(LABEL_TO_NORMALIZED)}")
    if normalized is not None and (isinstance(normalized, bool) or not isinstance(normalized, int) or not 0 <= normalized <= 100):
        raise ValueError(f"Severity.Normalized {normalized!r} is not an integer from 0 to 100")
    if normalized is None:
        severity["Normalized"] = LABEL_TO_NORMALIZED[label]
    if label is None:
        severity["Label"] = _label_of(normalized)
    return severity


def _normalise_imported(finding: dict[str, Any], new: bool = True) -> dict[str, Any]:
    """A finding as BatchImportFindings stores it; raises ValueError for one it rejects. Defaults
    (Workflow.Status NEW, WorkflowState NEW, RecordState ACTIVE) apply to new findings only: an
    update that omits them keeps the stored values."""
    finding = dict(finding)
    finding["Severity"] = _severity(finding.get("Severity") or {})
    product = AWS_PRODUCT_ARN.match(finding.get("ProductArn") or "")
    if product:
        if product.group(1) not in AWS_PRODUCTS:
            raise ValueError(f"AWS product {product.group(1)!r} is not known to the Vigil test server (add it to AWS_PRODUCTS)")
        finding["ProductName"], finding["CompanyName"] = AWS_PRODUCTS[product.group(1)]
    if not new:
        for field, allowed in (("WorkflowState", WORKFLOW_STATES), ("RecordState", ("ACTIVE", "ARCHIVED"))):
            if field in finding and finding[field] not in allowed:
                raise ValueError(f"{field} {finding[field]!r} is not one of {', '.join(allowed)}")
        if "Workflow" in finding and (finding["Workflow"] or {}).get("Status") not in WORKFLOW_STATUSES:
            raise ValueError(f"Workflow.Status is not one of {', '.join(WORKFLOW_STATUSES)}")
        return finding
    workflow = finding.setdefault("Workflow", {"Status": "NEW"})
    workflow.setdefault("Status", "NEW")
    if workflow["Status"] not in WORKFLOW_STATUSES:
        raise ValueError(f"Workflow.Status {workflow['Status']!r} is not one of {', '.join(WORKFLOW_STATUSES)}")
    if finding.setdefault("WorkflowState", "NEW") not in WORKFLOW_STATES:
        raise ValueError(f"WorkflowState {finding['WorkflowState']!r} is not one of {', '.join(WORKFLOW_STATES)}")
    if finding.setdefault("RecordState", "ACTIVE") not in ("ACTIVE", "ARCHIVED"):
        raise ValueError(f"RecordState {finding['RecordState']!r} is not ACTIVE or ARCHIVED")
    return finding


def _asff_values(finding: Any, path: str) -> list[Any]:
    """All values at a dotted path, flattening lists on the way (Resources.Id, Types)."""
    values = [finding]
    for part in path.split("."):
        next_values: list[Any] = []
        for value in values:
            if isinstance(value, list):
                value = [v.get(part) for v in value if isinstance(v, dict)]
                next_values.extend(v for v in value if v is not None)
            elif isinstance(value, dict) and value.get(part) is not None:
                got = value[part]
                next_values.extend(got if isinstance(got, list) and part == path.split(".")[-1] else [got])
        values = next_values
    return [v for v in values if v is not None and not isinstance(v, (dict, list))]


POSITIVE = ("EQUALS", "PREFIX", "CONTAINS", "CONTAINS_WORD")
NEGATIVE = ("NOT_EQUALS", "PREFIX_NOT_EQUALS", "NOT_CONTAINS")


def _invalid(message: str) -> BadRequest:
    return BadRequest("InvalidInputException", message)


def _validate_filters(filters: dict[str, Any]) -> None:
    """Refuses, with InvalidInputException, filters AWS refuses and filters this server does not
    implement (naming them), before any finding is looked at."""
    if len(filters) > 10 or any(len(v) > 20 for v in filters.values()):
        raise _invalid("At most 10 filter attributes with 20 values each")
    for name, conditions in filters.items():
        if name in STRING_FILTERS:
            used = {c["Comparison"] for c in conditions}
            # StringFilter.Comparison in the API reference.
            if "CONTAINS" in used and used - {"CONTAINS"}:
                raise _invalid(f"Filter {name}: CONTAINS filters can only be used with other CONTAINS filters")
            if "NOT_CONTAINS" in used and used - {"NOT_CONTAINS"}:
                raise _invalid(f"Filter {name}: NOT_CONTAINS filters can only be used with other NOT_CONTAINS filters")
            if "EQUALS" in used and used & {"NOT_EQUALS", "PREFIX_NOT_EQUALS"}:
                raise _invalid(f"Filter {name}: you can't have both an EQUALS filter and a NOT_EQUALS or PREFIX_NOT_EQUALS "
                               "filter on the same field")
            unknown = used - set(POSITIVE) - set(NEGATIVE)
            if unknown:
                raise _invalid(f"Filter {name}: unknown comparison {', '.join(sorted(unknown))}")
        elif name in DATE_FILTERS:
            for c in conditions:
                if "DateRange" in c:
                    if c.get("Start") or c.get("End"):
                        raise _invalid(f"Filter {name}: a DateFilter takes Start and End or a DateRange, not both")
                    r = c["DateRange"]
                    if r.get("Unit") != "DAYS":
                        raise _invalid(f"Filter {name}: DateRange.Unit {r.get('Unit')!r} is not implemented (DAYS is)")
                    if not isinstance(r.get("Value"), int) or r["Value"] < 0:
                        raise _invalid(f"Filter {name}: DateRange.Value must be a whole number of days")
                    if r.get("Comparison", "WITHIN") not in ("WITHIN", "OLDER_THAN"):
                        raise _invalid(f"Filter {name}: DateRange.Comparison {r.get('Comparison')!r} is not WITHIN or OLDER_THAN")
                elif not (c.get("Start") or c.get("End")):
                    raise _invalid(f"Filter {name}: a DateFilter needs Start and End or a DateRange")
                for key in ("Start", "End"):
                    if c.get(key):
                        try:
                            _parse_time(c[key])
                        except ValueError:
                            raise _invalid(f"Filter {name}: {key} {c[key]!r} is not a timestamp") from None
        elif name in NUMBER_FILTERS:
            for c in conditions:
                if not any(k in c for k in NUMBER_BOUNDS):
                    raise _invalid(f"Filter {name}: a NumberFilter needs one of {', '.join(NUMBER_BOUNDS)}")
        else:
            raise _invalid(f"Filter {name} is not implemented by the Vigil test server")


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9A-Za-z]+", text.lower()) if w]


def _string_matches(values: list[str], filters: list[dict[str, str]]) -> bool:
    """EQUALS, PREFIX, CONTAINS, CONTAINS_WORD on one field are joined by OR; NOT_EQUALS,
    PREFIX_NOT_EQUALS, NOT_CONTAINS by AND (and PREFIX is applied before the negations)."""
    positive = [f for f in filters if f["Comparison"] in POSITIVE]
    negative = [f for f in filters if f["Comparison"] in NEGATIVE]

    def test(value: str, f: dict[str, str]) -> bool:
        c, v = f["Comparison"], f["Value"]
        return {
            "EQUALS": lambda: value == v,
            "PREFIX": lambda: value.startswith(v),
            "CONTAINS": lambda: v in value,
            "CONTAINS_WORD": lambda: _words(v) != [] and all(w in _words(value) for w in _words(v)),
            "NOT_EQUALS": lambda: value != v,
            "PREFIX_NOT_EQUALS": lambda: not value.startswith(v),
            "NOT_CONTAINS": lambda: v not in value,
        }[c]()

    if positive and not any(test(str(value), f) for value in values for f in positive):
        return False
    return all(all(test(str(value), f) for value in values) for f in negative)


def _date_matches(value: str | None, filters: list[dict[str, Any]]) -> bool:
    """Every DateFilter must hold. DateRange{Value, Unit: DAYS, Comparison}: WITHIN (the default) =
    on or after now - Value days; OLDER_THAN = before it."""
    if value is None:
        return False
    when = _parse_time(value)
    for f in filters:
        if "DateRange" in f:
            cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=int(f["DateRange"]["Value"]))
            older = f["DateRange"].get("Comparison") == "OLDER_THAN"
            if (when >= cutoff) if older else (when < cutoff):
                return False
        if f.get("Start") and when < _parse_time(f["Start"]):
            return False
        if f.get("End") and when > _parse_time(f["End"]):
            return False
    return True


def _number_matches(value: Any, filters: list[dict[str, float]]) -> bool:
    """Every NumberFilter must hold; within one, every bound (Gte, Lte, Eq, Gt, Lt)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    tests = {"Gte": lambda b: value >= b, "Lte": lambda b: value <= b, "Eq": lambda b: value == b,
             "Gt": lambda b: value > b, "Lt": lambda b: value < b}
    return all(tests[k](b) for f in filters for k, b in f.items() if k in tests)


def _finding_matches(finding: dict[str, Any], filters: dict[str, Any]) -> bool:
    for name, conditions in filters.items():
        if name in STRING_FILTERS:
            if not _string_matches([str(v) for v in _asff_values(finding, STRING_FILTERS[name])], conditions):
                return False
        elif name in DATE_FILTERS:
            values = _asff_values(finding, DATE_FILTERS[name])
            if not _date_matches(values[0] if values else None, conditions):
                return False
        elif name in NUMBER_FILTERS:
            values = _asff_values(finding, NUMBER_FILTERS[name])
            if not _number_matches(values[0] if values else None, conditions):
                return False
    return True


# Cross-Region aggregation (API reference: CreateFindingAggregator, GetFindingAggregator,
# UpdateFindingAggregator, DeleteFindingAggregator, ListFindingAggregators; user guide:
# "Understanding cross-Region aggregation in Security Hub CSPM").

REGION_LINKING_MODES = ("ALL_REGIONS", "ALL_REGIONS_EXCEPT_SPECIFIED", "SPECIFIED_REGIONS", "NO_REGIONS")
FINDING_AGGREGATOR_ARN = re.compile(r"^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:finding-aggregator/[0-9a-f-]+$")


def _sh_backends(account: str) -> dict[str, Any]:
    """The Security Hub backends of `account` that exist, by Region (looking creates none)."""
    from moto.securityhub.models import securityhub_backends

    return dict(securityhub_backends[account].items())


def _finding_aggregator(account: str) -> dict[str, Any] | None:
    """The account's finding aggregator, if any: at most one per account, kept on the backend of
    its home Region (so a moto reset clears it)."""
    for backend in _sh_backends(account).values():
        aggregator = getattr(backend, "vigil_finding_aggregator", None)
        if aggregator:
            return aggregator
    return None


def _linked_regions(account: str, aggregator: dict[str, Any]) -> list[str]:
    """The Regions whose findings the home Region shows, sorted: of the Regions where the account
    has Security Hub enabled, all (ALL_REGIONS), all but the listed ones
    (ALL_REGIONS_EXCEPT_SPECIFIED), the listed ones (SPECIFIED_REGIONS) or none (NO_REGIONS)."""
    home, mode = aggregator["FindingAggregationRegion"], aggregator["RegionLinkingMode"]
    listed = set(aggregator.get("Regions") or [])
    enabled = sorted(r for r, b in _sh_backends(account).items() if r != home and b.enabled)
    if mode == "ALL_REGIONS":
        return enabled
    if mode == "ALL_REGIONS_EXCEPT_SPECIFIED":
        return [r for r in enabled if r not in listed]
    if mode == "SPECIFIED_REGIONS":
        return [r for r in enabled if r in listed]
    return []


def _aggregated_findings(account: str, region: str) -> list[Any]:
    """What GetFindings reads in `region`: the Region's own findings and, in the home Region of the
    account's finding aggregator, those of its linked Regions after them (each keeps its Region).
    A live view: see the README for how this differs from Security Hub's replication."""
    backends = _sh_backends(account)
    findings = list(backends[region].findings) if region in backends else []
    aggregator = _finding_aggregator(account)
    if aggregator and aggregator["FindingAggregationRegion"] == region:
        for linked in _linked_regions(account, aggregator):
            findings.extend(backends[linked].findings)
    return findings


def _aggregator_shape(aggregator: dict[str, Any]) -> dict[str, Any]:
    """Create/Get/UpdateFindingAggregatorResponse: Regions only when there are some."""
    return {k: v for k, v in aggregator.items() if v not in (None, [])}


def _install_securityhub() -> None:
    from moto.securityhub import urls
    from moto.securityhub.exceptions import SecurityHubClientError
    from moto.securityhub.responses import SecurityHubResponse

    for path in ("standards/register", "standards/get", "standards", "securityControls/definitions",
                 "associations/batchGet", "associations", "findings/batchupdate", "findingAggregator/list",
                 "findingAggregator/create", "findingAggregator/update"):
        urls.url_paths["{0}/" + path + "$"] = SecurityHubResponse.dispatch
    # GET /findingAggregator/get/{FindingAggregatorArn+}, DELETE /findingAggregator/delete/{...+}:
    # a greedy label, the ARN's slash included.
    for path in ("findingAggregator/get", "findingAggregator/delete"):
        urls.url_paths["{0}/" + path + "/(?P<finding_aggregator_arn>.+)$"] = SecurityHubResponse.dispatch

    def require_hub(self: SecurityHubResponse) -> Any:
        backend = self.securityhub_backend
        if not backend.enabled:
            raise SecurityHubClientError("InvalidAccessException", f"Account {self.current_account} is not subscribed to AWS Security Hub")
        return backend

    def catalog(self: SecurityHubResponse) -> list[dict[str, Any]]:
        return _standards(self.region)

    def get_findings(self: SecurityHubResponse) -> str:
        require_hub(self)
        max_results = int(self._get_param("MaxResults") or 100)
        if not 1 <= max_results <= 100:
            raise BadRequest("InvalidInputException", "MaxResults must be a number between 1 and 100")
        filters = self._get_param("Filters") or {}
        _validate_filters(filters)
        visible = _aggregated_findings(self.current_account, self.region)
        findings = [f.as_dict() for f in visible if _finding_matches(f.as_dict(), filters)]
        for criterion in reversed(self._get_param("SortCriteria") or []):
            path = SORT_FIELDS.get(criterion.get("Field"), criterion.get("Field"))

            def key(f: dict[str, Any], path: str = path) -> Any:
                values = _asff_values(f, path)
                if not values:
                    return None
                v = SEVERITY_ORDER.get(values[0], values[0]) if path == "Severity.Label" else values[0]
                return (0, v, "") if isinstance(v, (int, float)) and not isinstance(v, bool) else (1, 0, str(v))

            # Findings without the field come last in either order; the sort is stable, so earlier
            # (lower priority) criteria order the ties.
            present = [f for f in findings if key(f) is not None]
            present.sort(key=key, reverse=criterion.get("SortOrder") == "desc")
            findings = present + [f for f in findings if key(f) is None]
        page, token = _page(findings, self._get_param("NextToken"), max_results)
        body: dict[str, Any] = {"Findings": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def enabled_standards(self: SecurityHubResponse) -> dict[str, dict[str, Any]]:
        return _state(self.securityhub_backend, "vigil_enabled_standards", dict)

    def associations(self: SecurityHubResponse) -> dict[tuple[str, str], dict[str, Any]]:
        return _state(self.securityhub_backend, "vigil_control_associations", dict)

    def batch_enable_standards(self: SecurityHubResponse) -> str:
        require_hub(self)
        known = {s["StandardsArn"]: s for s in catalog(self)}
        subscriptions = []
        for request in self._get_param("StandardsSubscriptionRequests") or []:
            arn = request["StandardsArn"]
            if arn not in known:
                raise BadRequest("InvalidInputException", f"Unknown standard {arn}")
            tail = arn.split("::", 1)[-1].split(":", 1)[-1]
            subscription = {
                "StandardsSubscriptionArn": f"arn:aws:securityhub:{self.region}:{self.current_account}:subscription/{tail.split('/', 1)[-1]}",
                "StandardsArn": arn,
                "StandardsInput": request.get("StandardsInput") or {},
                "StandardsStatus": "READY",
            }
            enabled_standards(self)[arn] = subscription
            subscriptions.append(subscription)
        return json.dumps({"StandardsSubscriptions": subscriptions})

    def get_enabled_standards(self: SecurityHubResponse) -> str:
        require_hub(self)
        items = list(enabled_standards(self).values())
        page, token = _page(items, self._get_param("NextToken"), int(self._get_param("MaxResults") or 10))
        body: dict[str, Any] = {"StandardsSubscriptions": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def describe_standards(self: SecurityHubResponse) -> str:
        require_hub(self)
        items = [{k: v for k, v in s.items() if k != "Controls"} for s in catalog(self)]
        page, token = _page(items, self._get_param("NextToken"), int(self._get_param("MaxResults") or 10))
        body: dict[str, Any] = {"Standards": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def list_security_control_definitions(self: SecurityHubResponse) -> str:
        require_hub(self)
        standard = self._get_param("StandardsArn")
        ids: list[str] = []
        for s in catalog(self):
            if standard in (None, s["StandardsArn"]):
                ids.extend(i for i in s["Controls"] if i not in ids)
        if standard and not any(s["StandardsArn"] == standard for s in catalog(self)):
            raise BadRequest("InvalidInputException", f"Unknown standard {standard}")
        definitions = [
            {
                "SecurityControlId": i,
                "Title": CONTROL_DEFINITIONS[i][0],
                "Description": CONTROL_DEFINITIONS[i][0] + ".",
                "RemediationUrl": f"https://docs.aws.amazon.com/console/securityhub/{i}/remediation",
                "SeverityRating": CONTROL_DEFINITIONS[i][1],
                "CurrentRegionAvailability": "AVAILABLE",
            }
            for i in ids
        ]
        max_results = int(self._get_param("MaxResults") or 100)
        page, token = _page(definitions, self._get_param("NextToken"), max_results)
        body: dict[str, Any] = {"SecurityControlDefinitions": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def batch_get_standards_control_associations(self: SecurityHubResponse) -> str:
        require_hub(self)
        requested = self._get_param("StandardsControlAssociationIds") or []
        if len(requested) > 100:
            raise BadRequest("InvalidInputException", "At most 100 StandardsControlAssociationIds")
        members = {s["StandardsArn"]: s["Controls"] for s in catalog(self)}
        details, unprocessed = [], []
        for ident in requested:
            arn, control = ident["StandardsArn"], ident["SecurityControlId"]
            if control not in members.get(arn, []):
                unprocessed.append({"StandardsControlAssociationId": ident, "ErrorCode": "RESOURCE_NOT_FOUND",
                                    "ErrorReason": f"{control} is not part of {arn}"})
                continue
            stored = associations(self).get((arn, control), {})
            details.append({
                "StandardsArn": arn,
                "SecurityControlId": control,
                "SecurityControlArn": f"arn:aws:securityhub:{self.region}:{self.current_account}:security-control/{control}",
                "AssociationStatus": stored.get("AssociationStatus", "ENABLED"),
                "UpdatedReason": stored.get("UpdatedReason", "-"),
                "StandardsControlTitle": CONTROL_DEFINITIONS[control][0],
            })
        return json.dumps({"StandardsControlAssociationDetails": details, "UnprocessedAssociations": unprocessed})

    def batch_update_standards_control_associations(self: SecurityHubResponse) -> str:
        require_hub(self)
        for update in self._get_param("StandardsControlAssociationUpdates") or []:
            associations(self)[(update["StandardsArn"], update["SecurityControlId"])] = {
                "AssociationStatus": update["AssociationStatus"],
                "UpdatedReason": update.get("UpdatedReason", "-"),
            }
        return json.dumps({"UnprocessedAssociationUpdates": []})

    def batch_update_findings(self: SecurityHubResponse) -> str:
        backend = require_hub(self)
        identifiers = self._get_param("FindingIdentifiers") or []
        if not 1 <= len(identifiers) <= 100:
            raise _invalid("FindingIdentifiers must hold 1 to 100 identifiers")
        note = self._get_param("Note")
        if note is not None:
            if not (note.get("Text") and note.get("UpdatedBy")):
                raise _invalid("Note requires Text and UpdatedBy")
            if len(note["Text"]) > 512:
                raise _invalid("Note.Text must be at most 512 characters")
        workflow = self._get_param("Workflow") or {}
        if workflow.get("Status") is not None and workflow["Status"] not in WORKFLOW_STATUSES:
            raise _invalid(f"Workflow.Status must be one of {', '.join(WORKFLOW_STATUSES)}")
        verification = self._get_param("VerificationState")
        if verification is not None and verification not in VERIFICATION_STATES:
            raise _invalid(f"VerificationState must be one of {', '.join(VERIFICATION_STATES)}")
        severity_update = self._get_param("Severity")
        if severity_update is not None:
            if severity_update.get("Label") is None and severity_update.get("Normalized") is None:
                severity_update = {k: v for k, v in severity_update.items() if v is not None}  # Product only
            else:
                try:
                    severity_update = _severity(severity_update)
                except ValueError as e:
                    raise _invalid(str(e)) from None
        for field in ("Confidence", "Criticality"):
            value = self._get_param(field)
            if value is not None and not 0 <= value <= 100:
                raise _invalid(f"{field} must be from 0 to 100")

        by_key = {(f.as_dict().get("Id"), f.as_dict().get("ProductArn")): f for f in backend.findings}
        seen: dict[tuple[Any, Any], int] = {}
        for ident in identifiers:
            seen[(ident.get("Id"), ident.get("ProductArn"))] = seen.get((ident.get("Id"), ident.get("ProductArn")), 0) + 1
        processed, unprocessed = [], []
        for ident in identifiers:
            key = (ident.get("Id"), ident.get("ProductArn"))
            if seen[key] > 1:
                # Every occurrence of a repeated identifier is left alone and reported.
                unprocessed.append({"FindingIdentifier": ident, "ErrorCode": "DuplicatedFindingIdentifier",
                                    "ErrorMessage": "Finding Identifier is duplicated"})
                continue
            finding = by_key.get(key)
            if finding is None:
                unprocessed.append({"FindingIdentifier": ident, "ErrorCode": "FindingNotFound",
                                    "ErrorMessage": "Finding Not Found"})
                continue
            data = finding.as_dict()
            # BatchUpdateFindings does not change UpdatedAt (see the AWS API reference), nor the
            # deprecated WorkflowState: only Workflow.Status.
            if workflow.get("Status"):
                data["Workflow"] = {**(data.get("Workflow") or {}), "Status": workflow["Status"]}
            if note is not None:
                data["Note"] = {"Text": note["Text"], "UpdatedBy": note["UpdatedBy"], "UpdatedAt": _now_iso()}
            if severity_update:
                data["Severity"] = {**(data.get("Severity") or {}), **severity_update}
            if verification is not None:
                data["VerificationState"] = verification
            for field in ("Confidence", "Criticality", "Types", "UserDefinedFields", "RelatedFindings"):
                if self._get_param(field) is not None:
                    data[field] = self._get_param(field)
            processed.append(ident)
        return json.dumps({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})

    def batch_import_findings(self: SecurityHubResponse) -> str:
        """Normalises each finding as Security Hub does (Severity Label/Normalized, ProductName and
        CompanyName of AWS products, Region, Workflow and RecordState defaults), rejects the ones it would
        reject as FailedFindings, and stores the rest through moto's own import."""
        findings = self._get_param("Findings") or []
        accepted, failed = [], []
        stored = {f.id for f in self.securityhub_backend.findings}
        for finding in findings:
            try:
                normalised = _normalise_imported(finding, new=finding.get("Id") not in stored)
                # "Security Hub CSPM populates this attribute automatically for each finding. You
                # cannot update it using BatchImportFindings" (AwsSecurityFinding.Region): the Region
                # the finding was imported into, whatever the caller sent.
                normalised["Region"] = self.region
                accepted.append(normalised)
            except ValueError as e:
                failed.append({"Id": finding.get("Id", ""), "ErrorCode": "InvalidInput", "ErrorMessage": str(e)})
        failed_count, success_count, moto_failed = self.securityhub_backend.batch_import_findings(findings=accepted)
        failed.extend({"Id": f.get("Id"), "ErrorCode": f.get("ErrorCode"), "ErrorMessage": f.get("ErrorMessage")} for f in moto_failed)
        return json.dumps({"FailedCount": len(failed), "FailedFindings": failed, "SuccessCount": success_count})

    def region_linking(self: SecurityHubResponse) -> tuple[str, list[str]]:
        """RegionLinkingMode and Regions of a Create or Update, checked as the reference says."""
        mode = self._get_param("RegionLinkingMode")
        regions = self._get_param("Regions") or []
        if mode not in REGION_LINKING_MODES:
            raise _invalid(f"RegionLinkingMode must be one of {', '.join(REGION_LINKING_MODES)}")
        if regions and mode == "NO_REGIONS":
            # "An InvalidInputException error results if you populate this field while
            # RegionLinkingMode is NO_REGIONS."
            raise _invalid("Regions must be empty when RegionLinkingMode is NO_REGIONS")
        from moto.securityhub.models import securityhub_backends

        known = securityhub_backends[self.current_account].regions
        unknown = [r for r in regions if r not in known]
        if unknown:
            raise _invalid(f"Unknown Regions: {', '.join(unknown)}")
        return mode, list(dict.fromkeys(regions))

    def aggregator_named(self: SecurityHubResponse, arn: str | None) -> dict[str, Any]:
        if not arn or not FINDING_AGGREGATOR_ARN.match(arn):
            raise _invalid(f"{arn!r} is not a finding aggregator ARN")
        aggregator = _finding_aggregator(self.current_account)
        if aggregator is None or aggregator["FindingAggregatorArn"] != arn:
            # ResourceNotFoundException is HTTP 404 in the model (moto serialises it from there).
            raise SecurityHubClientError("ResourceNotFoundException", f"The finding aggregator {arn} does not exist in this account.")
        return aggregator

    def in_home_region(self: SecurityHubResponse, aggregator: dict[str, Any], operation: str) -> None:
        # UpdateFindingAggregator: "You can invoke this operation from the current home Region only."
        # The user guide says the same of deleting. The error for another Region is not documented.
        if aggregator["FindingAggregationRegion"] != self.region:
            raise _invalid(f"{operation} must be called from the home Region {aggregator['FindingAggregationRegion']}")

    def create_finding_aggregator(self: SecurityHubResponse) -> str:
        backend = require_hub(self)
        mode, regions = region_linking(self)
        existing = _finding_aggregator(self.current_account)
        if existing:
            # One aggregator per account. The reference does not name the error for a second one;
            # InvalidInputException is the model's error for a refused input (see the README).
            raise _invalid(f"A finding aggregator already exists for this account: {existing['FindingAggregatorArn']}")
        from moto.utilities.utils import get_partition

        aggregator = {
            "FindingAggregatorArn": f"arn:{get_partition(self.region)}:securityhub:{self.region}:{self.current_account}:finding-aggregator/{uuid.uuid4()}",
            "FindingAggregationRegion": self.region,
            "RegionLinkingMode": mode,
            "Regions": regions,
        }
        backend.vigil_finding_aggregator = aggregator
        return json.dumps(_aggregator_shape(aggregator))

    def get_finding_aggregator(self: SecurityHubResponse) -> str:
        require_hub(self)
        return json.dumps(_aggregator_shape(aggregator_named(self, self._get_param("FindingAggregatorArn"))))

    def update_finding_aggregator(self: SecurityHubResponse) -> str:
        require_hub(self)
        aggregator = aggregator_named(self, self._get_param("FindingAggregatorArn"))
        in_home_region(self, aggregator, "UpdateFindingAggregator")
        mode, regions = region_linking(self)
        aggregator.update(RegionLinkingMode=mode, Regions=regions)
        return json.dumps(_aggregator_shape(aggregator))

    def delete_finding_aggregator(self: SecurityHubResponse) -> str:
        backend = require_hub(self)
        aggregator = aggregator_named(self, self._get_param("FindingAggregatorArn"))
        in_home_region(self, aggregator, "DeleteFindingAggregator")
        backend.vigil_finding_aggregator = None
        return "{}"

    def list_finding_aggregators(self: SecurityHubResponse) -> str:
        """From any Region ("You can run this operation from any Amazon Web Services Region")."""
        require_hub(self)
        max_results = int(self._get_param("MaxResults") or 100)
        if not 1 <= max_results <= 100:
            raise _invalid("MaxResults must be a number between 1 and 100")
        aggregator = _finding_aggregator(self.current_account)
        items = [{"FindingAggregatorArn": aggregator["FindingAggregatorArn"]}] if aggregator else []
        page, token = _page(items, self._get_param("NextToken"), max_results)
        body: dict[str, Any] = {"FindingAggregators": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    SecurityHubResponse.get_findings = get_findings
    SecurityHubResponse.batch_enable_standards = batch_enable_standards
    SecurityHubResponse.get_enabled_standards = get_enabled_standards
    SecurityHubResponse.describe_standards = describe_standards
    SecurityHubResponse.list_security_control_definitions = list_security_control_definitions
    SecurityHubResponse.batch_get_standards_control_associations = batch_get_standards_control_associations
    SecurityHubResponse.batch_update_standards_control_associations = batch_update_standards_control_associations
    SecurityHubResponse.batch_update_findings = batch_update_findings
    SecurityHubResponse.batch_import_findings = batch_import_findings
    SecurityHubResponse.create_finding_aggregator = create_finding_aggregator
    SecurityHubResponse.get_finding_aggregator = get_finding_aggregator
    SecurityHubResponse.update_finding_aggregator = update_finding_aggregator
    SecurityHubResponse.delete_finding_aggregator = delete_finding_aggregator
    SecurityHubResponse.list_finding_aggregators = list_finding_aggregators


# --------------------------------------------------------------------------------------------
# Cognito


def _install_cognito() -> None:
    from moto.cognitoidp.exceptions import UserNotFoundError
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.cognitoidp.responses import CognitoIdpResponse
    from moto.core.responses import ActionResult
    from moto.moto_api._internal import urls as api_urls

    def events_for(backend: Any) -> dict[tuple[str, str], list[dict[str, Any]]]:
        return _state(backend, "vigil_auth_events", dict)

    def admin_list_user_auth_events(self: CognitoIdpResponse) -> ActionResult:
        pool_id = self._get_param("UserPoolId")
        username = self._get_param("Username")
        pool = self.backend.describe_user_pool(pool_id)
        mode = (pool.extended_config.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode", "OFF")
        if mode == "OFF":
            raise BadRequest("UserPoolAddOnNotEnabledException", "Threat protection is not enabled for this user pool.")
        if not pool._get_user(username):
            raise UserNotFoundError("User does not exist.")
        max_results = int(self._get_param("MaxResults") or 60)
        if not 0 <= max_results <= 60:
            raise BadRequest("InvalidParameterException", "MaxResults must be between 0 and 60")
        events = sorted(events_for(self.backend).get((pool_id, username), []), key=lambda e: e["CreationDate"], reverse=True)
        page, token = _page(events, self._get_param("NextToken"), max_results or 60, "InvalidParameterException")
        body: dict[str, Any] = {"AuthEvents": page}
        if token:
            body["NextToken"] = token
        return ActionResult(body)

    def seed_auth_events(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """Test seeding only: POST {Account?, Region, UserPoolId, Username, AuthEvents: [AuthEventType]}."""
        if request.method != "POST":
            return 405, {}, json.dumps({"Error": "POST only"})
        from moto.moto_api._internal.urls import response_instance

        body = response_instance._get_body(headers, request)
        backend = cognitoidp_backends[body.get("Account", "123456789012")][body["Region"]]
        pool = backend.describe_user_pool(body["UserPoolId"])
        if not pool._get_user(body["Username"]):
            return 400, {}, json.dumps({"Error": "no such user"})
        stored = events_for(backend).setdefault((body["UserPoolId"], body["Username"]), [])
        for event in body["AuthEvents"]:
            stored.append({"EventId": event.get("EventId", uuid.uuid4().hex), **event})
        return 200, {}, json.dumps({"stored": len(stored)})

    CognitoIdpResponse.admin_list_user_auth_events = admin_list_user_auth_events
    api_urls.url_paths["{0}/moto-api/vigil/cognito-auth-events"] = seed_auth_events


# --------------------------------------------------------------------------------------------
# STS

ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/.+$")
STRING_CONDITIONS = ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
                     "StringLike", "StringNotLike")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_named(role_arn: str) -> Any:
    """The IAM role `role_arn` names, from moto's IAM backend of the account in the ARN (IAM is
    global: one backend per account and partition), or None."""
    from moto.iam.models import iam_backends

    match = ROLE_ARN.match(role_arn or "")
    if not match:
        return None
    partition, account = match.groups()
    return next((r for r in iam_backends[account][partition].get_roles() if r.arn == role_arn), None)


def _principal_matches(principal: Any, caller_arn: str, caller_account: str) -> bool:
    """A trust policy's `Principal` against the caller: `*`, the caller's account (bare id or
    `arn:<partition>:iam::<account>:root`), the caller's own ARN, or for a role session the role."""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    partition = caller_arn.split(":")[1] if caller_arn.startswith("arn:") else "aws"
    names = {"*", caller_account, f"arn:{partition}:iam::{caller_account}:root", caller_arn}
    session = re.match(r"^arn:([^:]+):sts::(\d{12}):assumed-role/([^/]+)/", caller_arn)
    if session:
        names.add(f"arn:{session[1]}:iam::{session[2]}:role/{session[3]}")
    elif ":sts::" in caller_arn:  # moto's default identity, arn:aws:sts::<account>:user/moto
        names.add(caller_arn.replace(":sts::", ":iam::", 1))
    return any(p in names for p in _as_list(principal.get("AWS", [])))


def _string_condition(operator: str, value: str | None, expected: list[str]) -> bool:
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    if value is None:
        # A key missing from the request satisfies only the ...IfExists forms (and the negations).
        return if_exists or "Not" in operator
    if operator.endswith("IgnoreCase"):
        value, expected = value.lower(), [e.lower() for e in expected]
        operator = operator.removesuffix("IgnoreCase")
    if operator in ("StringLike", "StringNotLike"):
        import fnmatch

        hit = any(fnmatch.fnmatchcase(value, e) for e in expected)
    else:
        hit = value in expected
    return not hit if "Not" in operator else hit


def _conditions_hold(conditions: dict[str, Any], external_id: str | None) -> bool:
    """The statement's Condition block, as far as this server knows the request: the string
    operators on `sts:ExternalId`. Other keys and operators are not modelled and hold."""
    for operator, keys in (conditions or {}).items():
        if operator.removesuffix("IfExists") not in STRING_CONDITIONS:
            continue
        for key, expected in (keys or {}).items():
            if key.lower() == "sts:externalid" and not _string_condition(operator, external_id, [str(e) for e in _as_list(expected)]):
                return False
    return True


def _trust_allows(role: Any, caller_arn: str, caller_account: str, external_id: str | None) -> bool:
    """Whether the role's trust policy lets the caller call sts:AssumeRole: some Allow statement
    and no Deny statement matches the action, the principal and the conditions."""
    try:
        policy = json.loads(role.assume_role_policy_document)
    except (TypeError, ValueError):
        return False
    import fnmatch

    allowed = False
    for statement in _as_list(policy.get("Statement", [])):
        actions = [str(a).lower() for a in _as_list(statement.get("Action", []))]
        if not any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions):
            continue
        if not _principal_matches(statement.get("Principal"), caller_arn, caller_account):
            continue
        if not _conditions_hold(statement.get("Condition") or {}, external_id):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def _sts_error(code: str, message: str, status: int) -> tuple[str, dict[str, Any]]:
    """An STS (query protocol) error as AWS sends it: HTTP `status`, body
    <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>."""
    from xml.sax.saxutils import escape

    body = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
            f"  <Error>\n    <Type>Sender</Type>\n    <Code>{escape(code)}</Code>\n    <Message>{escape(message)}</Message>\n  </Error>\n"
            f"  <RequestId>{uuid.uuid4()}</RequestId>\n</ErrorResponse>\n")
    return body, {"status": status, "Content-Type": "text/xml"}


def _install_sts() -> None:
    from moto.sts.responses import TokenResponse

    moto_assume_role = TokenResponse.assume_role

    def assume_role(self: TokenResponse) -> Any:
        """AccessDenied (HTTP 403), as STS answers, unless the role exists in the account of its ARN
        and its trust policy lets the caller assume it (ExternalId included); then moto's own
        AssumeRole, whose credentials act in the role's account. moto alone hands out credentials
        for any ARN."""
        role_arn = self._get_param("RoleArn")
        _, caller_arn, caller_account = self.backend.get_caller_identity(self.get_access_key(), self.region)
        role = _role_named(role_arn)
        if role is None or not _trust_allows(role, caller_arn, caller_account, self._get_param("ExternalId")):
            return _sts_error("AccessDenied", f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}", 403)
        return moto_assume_role(self)

    TokenResponse.assume_role = assume_role


# --------------------------------------------------------------------------------------------
# Account (Region opt-in)

# "Regions launched before March 20, 2019 are enabled by default ... Default Regions cannot be
# enabled or disabled"; later ones are opt-in, disabled until the account enables them (Account
# Management reference, "Enable or disable AWS Regions in your account"). Every other Region of the
# aws partition that botocore knows is therefore opt-in.
DEFAULT_REGIONS = frozenset({
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1",
})
REGION_OPT_STATUSES = ("ENABLED", "ENABLING", "DISABLING", "DISABLED", "ENABLED_BY_DEFAULT")


class AccountError(JsonRESTError):
    """An Account Management error: `{"__type", "message"}` plus the shape's other members
    (ValidationException's `reason`), HTTP status from the model."""

    def __init__(self, error_type: str, message: str, code: int, **members: Any):
        super().__init__(error_type, message)
        self.code = code
        self.description = json.dumps({"__type": error_type, "message": message, **members})


def _account_validation(message: str, reason: str = "fieldValidationFailed") -> AccountError:
    return AccountError("ValidationException", message, 400, reason=reason)


def _partition_regions(partition: str) -> dict[str, str]:
    """Region name -> default opt status, for the Regions of `partition` that botocore knows."""
    from boto3 import Session

    regions = Session().get_available_regions("ec2", partition_name=partition)
    return {r: "ENABLED_BY_DEFAULT" if partition != "aws" or r in DEFAULT_REGIONS else "DISABLED" for r in sorted(regions)}


def _install_account() -> None:
    from moto.account import urls
    from moto.account.models import account_backends
    from moto.account.responses import AccountResponse

    for operation in ("listRegions", "getRegionOptStatus", "enableRegion", "disableRegion"):
        urls.url_paths["{0}/" + operation + "$"] = AccountResponse.dispatch

    def target(self: AccountResponse, operation: str) -> str:
        """The account the call is about: the caller's own, or `AccountId`, which only the
        management account of the organisation that account is a member of may name (the
        management account names itself by leaving it out)."""
        account = self._get_param("AccountId")
        if account is None:
            return self.current_account
        if not re.fullmatch(r"\d{12}", str(account)):
            raise _account_validation("AccountId must be a 12-digit account ID")
        if account == self.current_account:
            raise _account_validation("The management account can't specify its own AccountId; call the operation without AccountId")
        from moto.organizations.models import organizations_backends

        if organizations_backends.master_accounts.get(account, (None,))[0] != self.current_account:
            from moto.sts.models import sts_backends

            _, caller_arn, _ = sts_backends[self.current_account][self.partition].get_caller_identity(self.get_access_key(), self.region)
            raise AccountError("AccessDeniedException", f"User: {caller_arn} is not authorized to perform: account:{operation} on "
                               f"account {account}: it is not a member of an organization this account manages", 403)
        return account

    def opt_states(self: AccountResponse, account: str) -> dict[str, str]:
        """Region -> status set by EnableRegion/DisableRegion, on moto's account backend."""
        return _state(account_backends[account][self.partition], "vigil_region_opt", dict)

    def statuses(self: AccountResponse, account: str) -> dict[str, str]:
        return {**_partition_regions(self.partition), **opt_states(self, account)}

    def region_name(self: AccountResponse, known: dict[str, str]) -> str:
        name = self._get_param("RegionName")
        if not name or name not in known:
            raise _account_validation(f"{name!r} is not a Region of partition {self.partition}")
        return name

    def list_regions(self: AccountResponse) -> str:
        account = target(self, "ListRegions")
        max_results = self._get_param("MaxResults")
        max_results = 50 if max_results is None else int(max_results)
        if not 1 <= max_results <= 50:
            raise _account_validation("MaxResults must be from 1 to 50")
        wanted = self._get_param("RegionOptStatusContains") or []
        unknown = [s for s in wanted if s not in REGION_OPT_STATUSES]
        if unknown:
            raise _account_validation(f"RegionOptStatusContains: unknown statuses {', '.join(map(str, unknown))}; "
                                      f"valid: {', '.join(REGION_OPT_STATUSES)}")
        regions = [{"RegionName": name, "RegionOptStatus": status} for name, status in statuses(self, account).items()
                   if not wanted or status in wanted]
        page, token = _page(regions, self._get_param("NextToken"), max_results, "ValidationException")
        body: dict[str, Any] = {"Regions": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def get_region_opt_status(self: AccountResponse) -> str:
        known = statuses(self, target(self, "GetRegionOptStatus"))
        name = region_name(self, known)
        return json.dumps({"RegionName": name, "RegionOptStatus": known[name]})

    def set_region(self: AccountResponse, operation: str, status: str) -> str:
        """AWS goes ENABLING then ENABLED (DISABLING then DISABLED) over minutes to hours; this
        server goes straight to the end state, so ConflictException never arises."""
        account = target(self, operation)
        known = statuses(self, account)
        name = region_name(self, known)
        if known[name] == "ENABLED_BY_DEFAULT":
            raise _account_validation(f"{name} is enabled by default and cannot be enabled or disabled", "invalidRegionOptTarget")
        opt_states(self, account)[name] = status
        return ""

    AccountResponse.list_regions = list_regions
    AccountResponse.get_region_opt_status = get_region_opt_status
    AccountResponse.enable_region = lambda self: set_region(self, "EnableRegion", "ENABLED")
    AccountResponse.disable_region = lambda self: set_region(self, "DisableRegion", "DISABLED")


# --------------------------------------------------------------------------------------------
# Reset


def _install_reset() -> None:
    """Makes POST /moto-api/reset forget organisations entirely. moto 5.2.5 resets every backend
    but keeps two maps outside them: Organizations' member account -> management account
    (``organizations_backends.master_accounts``), so that after a reset a former member account's
    DescribeOrganization (and Security Hub's GetAdministratorAccount) fail with a 500, and Security
    Hub's per-organisation configuration (``SecurityHubBackend._org_configs``)."""
    from moto.core.base_backend import BackendDict
    from moto.organizations.models import organizations_backends
    from moto.securityhub.models import SecurityHubBackend

    original = BackendDict.reset.__func__  # type: ignore[attr-defined]

    def reset(cls: type) -> None:
        original(cls)
        organizations_backends.master_accounts.clear()
        SecurityHubBackend._org_configs.clear()

    BackendDict.reset = classmethod(reset)  # type: ignore[method-assign,assignment]


def install() -> None:
    """Adds every operation above to moto. Call before starting moto's server."""
    _install_reset()
    _install_guardduty()
    _install_securityhub()
    _install_cognito()
    _install_sts()
    _install_account()
