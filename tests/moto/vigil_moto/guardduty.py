"""Vigil's moto extension: GuardDuty (rest-json, lowerCamelCase members).

Findings are kept in the extension's own store on moto's backend for the account and Region
(``vigil_findings``: detector id -> finding id -> Finding in GetFindings' wire shape), so
``POST /moto-api/reset`` clears them.

Added or changed:
  CreateSampleFindings     sample findings of the given types (all of GUARDDUTY_SAMPLE_SEVERITY's
                           without FindingTypes)
  ListFindings             FindingCriteria (criteria on any dotted field path; Eq/Neq/Equals/
                           NotEquals/Gt/Gte/Lt/Lte and long forms), SortCriteria, 1-50 per page
  GetFindings              at most 50 ids; the stored findings as they are
  ArchiveFindings, UnarchiveFindings, UpdateFindingsFeedback   1-50 ids
  CreateMembers, InviteMembers, ListMembers, ListInvitations, AcceptAdministratorInvitation,
  GetAdministratorAccount  administrator and members by invitation: an administrator's detector
                           lists, gets and archives its Enabled members' findings; a member cannot
                           archive
  POST /moto-api/vigil/guardduty-findings  seeding (test tooling, not AWS), below

Seeding findings no API can create (Extended Threat Detection attack sequences, findings on Lambda,
RDS, ECS, containers): ``POST /moto-api/vigil/guardduty-findings`` with

    {"account"?: "123456789012", "region": "sa-east-1", "detectorId": "<detector id>",
     "findings": [Finding, ...]}

each Finding in GetFindings' wire shape (botocore's ``guardduty/2017-11-28`` model, lowerCamelCase
``locationName`` keys: ``id``, ``type``, ``severity``, ``createdAt``, ``updatedAt``,
``resource.resourceType`` required; ``associatedAttackSequenceArn``, ``service.detection.sequence``,
``resource.lambdaDetails``, ``rdsDbInstanceDetails``, ``rdsLimitlessDbDetails``,
``ecsClusterDetails``, ``containerDetails`` ... as the model has them). The detector must exist in
that account and Region. Filled when absent: ``accountId`` (the account), ``region``, ``arn``
(``arn:aws:guardduty:<region>:<account>:detector/<detectorId>/finding/<id>``), ``partition`` "aws",
``schemaVersion`` "2.0", ``service.detectorId``, ``service.archived`` false, ``service.count`` 1,
``service.serviceName`` "guardduty". Every member is checked against the model: an unknown member,
a value of the wrong type, a value outside its enum or a missing required member is refused;
``null`` means absent (left out of answers). Members of the model's ``String`` type stay text
(``createdAt``, ``updatedAt``, ``service.eventFirstSeen``/``eventLastSeen`` must be ISO 8601);
members of its ``Timestamp`` type (``sequence.signals[].createdAt``/``updatedAt``/``firstSeenAt``/
``lastSeenAt``, ``lambdaDetails.lastModifiedAt``, ``ecsClusterDetails.taskDetails.createdAt`` ...)
are epoch seconds on the wire (rest-json's default): given as ISO 8601 text or epoch seconds, stored
and answered as epoch seconds (a number above 1e11 is refused as milliseconds). A finding whose id
is already stored in the detector is replaced. All or nothing: answers ``{"finding_ids": [...]}``,
or 400 ``{"error": ...}`` and stores none.
"""

from __future__ import annotations

import datetime as dt
import functools
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


def _gd_findings(backend: Any, detector_id: str) -> dict[str, dict[str, Any]]:
    """A detector's own findings (finding id -> Finding, wire shape), on its account's backend."""
    return _state(backend, "vigil_findings", dict).setdefault(detector_id, {})


# --------------------------------------------------------------------------------------------
# Seeding findings in GetFindings' wire shape, checked against botocore's model

DEFAULT_ACCOUNT = "123456789012"
# Epoch seconds above this are the year 5138 and later: surely milliseconds.
EPOCH_SECONDS_LIMIT = 1e11
# Finding members of the model's String type that hold ISO 8601 times (the filters compare them).
ISO_TEXT_MEMBERS = ("createdAt", "updatedAt", "service.eventFirstSeen", "service.eventLastSeen")
FINDING_ID = re.compile(r"[A-Za-z0-9_.\-]{1,300}")


@functools.lru_cache(maxsize=1)
def _finding_shape() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("guardduty").shape_for("Finding")


def _epoch_seconds(value: Any, path: str) -> int | float:
    """A Timestamp member (rest-json: epoch seconds) from epoch seconds or ISO 8601 text."""
    if isinstance(value, bool):
        raise ValueError(f"{path} must be a timestamp (epoch seconds or ISO 8601 text), not {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
        if not 0 <= seconds < EPOCH_SECONDS_LIMIT:
            raise ValueError(f"{path} {value!r} is not epoch seconds (GuardDuty's Timestamp members are seconds, "
                             "not milliseconds)")
    elif isinstance(value, str):
        try:
            seconds = _parse_time(value).timestamp()
        except ValueError:
            raise ValueError(f"{path} {value!r} is neither epoch seconds nor ISO 8601 text") from None
    else:
        raise ValueError(f"{path} must be a timestamp (epoch seconds or ISO 8601 text), not {value!r}")
    return int(seconds) if seconds.is_integer() else round(seconds, 3)


def _conform(value: Any, shape: Any, path: str) -> Any:
    """`value` checked against botocore shape `shape` (wire names), as it is to be answered: nulls
    dropped, doubles as floats, timestamps as epoch seconds. ValueError names what is wrong."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise ValueError(f"{path} must be an object ({shape.name})")
        members = {m.serialization.get("name", name): (name, m) for name, m in shape.members.items()}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key not in members:
                raise ValueError(f"{path}.{key} is not a member of {shape.name} (its members: {', '.join(sorted(members))})")
            if item is not None:
                out[key] = _conform(item, members[key][1], f"{path}.{key}")
        missing = [wire for wire, (name, _) in members.items() if name in shape.required_members and wire not in out]
        if missing:
            raise ValueError(f"{path} lacks {', '.join(missing)}, required in {shape.name}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise ValueError(f"{path} must be a list ({shape.name})")
        if any(item is None for item in value):
            raise ValueError(f"{path} must not hold null")
        return [_conform(item, shape.member, f"{path}[{i}]") for i, item in enumerate(value)]
    if kind == "map":
        if not isinstance(value, dict):
            raise ValueError(f"{path} must be an object ({shape.name})")
        return {str(k): _conform(v, shape.value, f"{path}.{k}") for k, v in value.items() if v is not None}
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError(f"{path} must be a string, not {value!r}")
        if shape.enum and value not in shape.enum:
            raise ValueError(f"{path} {value!r} is not one of {shape.name}: {', '.join(shape.enum)}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"{path} must be true or false, not {value!r}")
        return value
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{path} must be a whole number, not {value!r}")
        return value
    if kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{path} must be a number, not {value!r}")
        return float(value)
    if kind == "timestamp":
        return _epoch_seconds(value, path)
    raise ValueError(f"{path}: members of type {kind} ({shape.name}) are not supported by this seeding endpoint")


def _normalise_seeded_finding(raw: Any, account: str, region: str, detector_id: str) -> dict[str, Any]:
    """A seeded Finding as stored: defaults filled, then checked against the model."""
    if not isinstance(raw, dict):
        raise ValueError("each finding must be a Finding object (GetFindings' wire shape)")
    finding_id = raw.get("id")
    label = f"finding {finding_id!r}" if isinstance(finding_id, str) else "finding"
    for key in ("id", "type", "severity", "createdAt", "updatedAt"):
        if raw.get(key) is None:
            raise ValueError(f"{label} lacks {key}")
    if not isinstance(finding_id, str) or not FINDING_ID.fullmatch(finding_id):
        raise ValueError(f"{label}: id must be 1 to 300 letters, digits, '.', '_' or '-'")
    if not isinstance(raw.get("resource"), dict) or raw["resource"].get("resourceType") is None:
        raise ValueError(f"{label} lacks resource.resourceType")
    finding = dict(raw)
    for key, default in (("accountId", account), ("region", region),
                         ("arn", f"arn:aws:guardduty:{region}:{account}:detector/{detector_id}/finding/{finding_id}"),
                         ("partition", "aws"), ("schemaVersion", "2.0")):
        if finding.get(key) is None:
            finding[key] = default
    service = finding.get("service")
    service = dict(service) if isinstance(service, dict) else {} if service is None else service
    if isinstance(service, dict):
        for key, default in (("detectorId", detector_id), ("archived", False), ("count", 1), ("serviceName", "guardduty")):
            if service.get(key) is None:
                service[key] = default
    finding["service"] = service
    conformed = _conform(finding, _finding_shape(), label)
    for name in ISO_TEXT_MEMBERS:
        head, _, tail = name.rpartition(".")
        holder = conformed.get(head, {}) if head else conformed
        if tail in holder:
            try:
                _parse_time(holder[tail])
            except ValueError:
                raise ValueError(f"{label}.{name} {holder[tail]!r} is not ISO 8601 text (the model's String, "
                                 "e.g. 2026-11-20T08:00:00.000Z)") from None
    return conformed


def _emit_finding(account: str, region: str, finding: dict[str, Any]) -> None:
    """GuardDuty's "GuardDuty Finding" event for a finding it generated: the finding as GetFindings
    returns it, in the detector's account and Region. (GuardDuty sends no event when a finding is
    archived, nor for its feedback.)"""
    from . import events

    events.emit(account, region, "aws.guardduty", events.GUARDDUTY_FINDING, finding, [])


def _seed_findings(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    """Test seeding only: POST {"account"?, "region", "detectorId", "findings": [Finding]};
    answers {"finding_ids"} or 400 {"error"}."""
    from moto.guardduty.models import guardduty_backends

    json_type = {"Content-Type": "application/json"}
    if request.method != "POST":
        return 405, json_type, json.dumps({"error": "POST only"})
    try:
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ValueError("the body is not JSON") from None
        if not isinstance(body, dict):
            raise ValueError("the body must be an object {account?, region, detectorId, findings}")
        unknown = sorted(set(body) - {"account", "region", "detectorId", "findings"})
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(unknown)}: the body is {{account?, region, detectorId, findings}}")
        account = body.get("account") or DEFAULT_ACCOUNT
        if not isinstance(account, str) or not re.fullmatch(r"\d{12}", account):
            raise ValueError(f"account {account!r} is not a 12-digit account id")
        region = body.get("region")
        if not isinstance(region, str) or region not in guardduty_backends[account].regions:
            raise ValueError(f"region {region!r} is not a GuardDuty Region")
        detector_id = body.get("detectorId")
        if not isinstance(detector_id, str) or detector_id not in guardduty_backends[account][region].detectors:
            raise ValueError(f"detector {detector_id!r} does not exist in account {account}, Region {region} "
                             "(CreateDetector first)")
        raw = body.get("findings")
        if not isinstance(raw, list):
            raise ValueError('"findings" must be a list of Finding objects')
        findings = [_normalise_seeded_finding(f, account, region, detector_id) for f in raw]
    except (ValueError, TypeError) as err:
        return 400, json_type, json.dumps({"error": str(err)})
    store = _gd_findings(guardduty_backends[account][region], detector_id)
    for finding in findings:
        store[finding["id"]] = finding
        _emit_finding(account, region, finding)
    return 200, json_type, json.dumps({"finding_ids": [f["id"] for f in findings]})


def _install_guardduty() -> None:
    from moto.guardduty import urls
    from moto.guardduty.responses import GuardDutyResponse
    from moto.moto_api._internal import urls as api_urls

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

    own_findings = _gd_findings

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
            _emit_finding(self.current_account, self.region, finding)
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
    api_urls.url_paths["{0}/moto-api/vigil/guardduty-findings$"] = _seed_findings
