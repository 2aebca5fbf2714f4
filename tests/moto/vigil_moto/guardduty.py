"""Vigil's moto extension: GuardDuty."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError
from ._common import BadRequest, _now_iso, _page, _parse_time, _state  # noqa: F401

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
