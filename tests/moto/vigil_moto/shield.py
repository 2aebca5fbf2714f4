"""Vigil's moto extension: Shield Advanced (awsJson1_1, X-Amz-Target AWSShield_20160616.<Op>).

Shield is global: one backend per account (moto's ``shield_backends[account]["aws"]``), whatever the
Region of the call. Shapes from botocore's ``shield/2016-06-02`` model; every timestamp is epoch
seconds (awsJson), which the Rust SDK requires (moto answers strings like ``06/12/2026, 22:38:38``).

Added or changed:
  DescribeSubscription     full Subscription shape with epoch-second StartTime/EndTime
  CreateSubscription       ResourceAlreadyExistsException when one exists; ProactiveEngagementStatus
                           starts DISABLED
  GetSubscriptionState     ACTIVE | INACTIVE
  Enable/DisableProactiveEngagement   sets Subscription.ProactiveEngagementStatus
  ListAttacks              StartTime/EndTime TimeRange filters, ResourceArns, MaxResults (default 20)
                           and NextToken; newest first
  DescribeAttack           the seeded AttackDetail; AccessDeniedException for an unknown id
  DescribeAttackStatistics midnight UTC a year ago to midnight UTC today; one DataItem with
                           AttackCount and AttackVolume maxima from the seeded attacks' counters;
                           answers without a subscription
  CreateProtectionGroup, UpdateProtectionGroup, DescribeProtectionGroup, DeleteProtectionGroup,
  ListProtectionGroups     Aggregation/Pattern/ResourceType/Members validated as the reference says
  CreateProtection, DescribeProtection, ListProtections (now paged), DeleteProtection, and every
                           call above but GetSubscriptionState, ListAttacks, DescribeAttack and
                           DescribeAttackStatistics: ResourceNotFoundException "The subscription does
                           not exist." without a subscription
  POST /moto-api/vigil/shield-attacks  seeding: {"account"?, "attacks": [AttackDetail]}
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from moto.core.exceptions import JsonRESTError

from ._common import _page, _parse_time, _state

DEFAULT_ACCOUNT = "123456789012"
AGGREGATIONS = ("SUM", "MEAN", "MAX")
PATTERNS = ("ALL", "ARBITRARY", "BY_RESOURCE_TYPE")
RESOURCE_TYPES = ("CLOUDFRONT_DISTRIBUTION", "ROUTE_53_HOSTED_ZONE", "ELASTIC_IP_ALLOCATION",
                  "CLASSIC_LOAD_BALANCER", "APPLICATION_LOAD_BALANCER", "GLOBAL_ACCELERATOR")


class ShieldError(JsonRESTError):
    """A Shield error: HTTP 400, body {"__type", "message", ...the shape's other members}."""

    def __init__(self, error_type: str, message: str, **members: Any):
        super().__init__(error_type, message)
        self.code = 400
        self.description = json.dumps({"__type": error_type, "message": message, **members})


def _invalid(message: str) -> ShieldError:
    return ShieldError("InvalidParameterException", message)


def _epoch(value: dt.datetime) -> float:
    return round(value.timestamp(), 3)


def _to_time(value: Any, name: str) -> dt.datetime:
    """ISO 8601 text or epoch seconds (what awsJson clients send) as an aware UTC datetime."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        try:
            return _parse_time(value)
        except ValueError:
            pass
    raise _invalid(f"{name} is not a timestamp: {value!r}")


def _time_range(params: dict[str, Any], name: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    rng = params.get(name) or {}
    start = _to_time(rng["FromInclusive"], f"{name}.FromInclusive") if rng.get("FromInclusive") is not None else None
    end = _to_time(rng["ToExclusive"], f"{name}.ToExclusive") if rng.get("ToExclusive") is not None else None
    if start and end and start > end:
        raise _invalid(f"{name}.FromInclusive must not be later than {name}.ToExclusive")
    return start, end


def _max_results(params: dict[str, Any]) -> int:
    value = params.get("MaxResults")
    if value is None or value == 0:
        return 20
    if not isinstance(value, int) or not 0 <= value <= 10000:
        raise _invalid("MaxResults must be from 0 to 10000")
    return value


def _paged(items: list[Any], token: str | None, size: int, error: str) -> tuple[list[Any], str | None]:
    try:
        return _page(items, token, size)
    except JsonRESTError:
        raise ShieldError(error, "Invalid NextToken: it was not handed out by this server") from None


def _attacks(backend: Any) -> dict[str, dict[str, Any]]:
    """Attack id -> stored AttackDetail (timestamps as aware datetimes), on the account's backend."""
    return _state(backend, "vigil_attacks", dict)


def _groups(backend: Any) -> dict[str, dict[str, Any]]:
    return _state(backend, "vigil_protection_groups", dict)


def _counters(attack: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(attack.get("AttackCounters") or [])
    for sub in attack.get("SubResources") or []:
        found += sub.get("Counters") or []
        for vector in sub.get("AttackVectors") or []:
            found += vector.get("VectorCounters") or []
    return found


def _volume_kind(counter: dict[str, Any]) -> str | None:
    """Which AttackVolume statistic a SummarizedCounter feeds, from its Unit or its name's suffix
    (AWS's counters look like {"Name": "SYN_FLOOD_BPS", "Unit": "BPS"})."""
    unit = str(counter.get("Unit") or "").upper()
    name = str(counter.get("Name") or "").upper()
    for kind, units, suffix in (("BitsPerSecond", ("BPS", "BITS"), "_BPS"),
                                ("PacketsPerSecond", ("PPS", "PACKETS"), "_PPS"),
                                ("RequestsPerSecond", ("RPS", "REQUESTS"), "_RPS")):
        if unit in units or name.endswith(suffix):
            return kind
    return None


def _normalise_attack(raw: dict[str, Any]) -> dict[str, Any]:
    """A seeded AttackDetail as stored: AttackId generated if absent, times parsed, lists present."""
    if not isinstance(raw, dict):
        raise ValueError("each attack must be an AttackDetail object")
    attack = dict(raw)
    attack.setdefault("AttackId", str(uuid.uuid4()))
    if not re.fullmatch(r"[a-zA-Z0-9\-]{1,128}", str(attack["AttackId"])):
        raise ValueError(f"AttackId {attack['AttackId']!r} does not match [a-zA-Z0-9\\-]{{1,128}}")
    if not str(attack.get("ResourceArn", "")).startswith("arn:aws"):
        raise ValueError("ResourceArn (an ARN) is required")
    if attack.get("StartTime") is None:
        raise ValueError("StartTime is required")
    try:
        attack["StartTime"] = _to_time(attack["StartTime"], "StartTime")
        if attack.get("EndTime") is not None:
            attack["EndTime"] = _to_time(attack["EndTime"], "EndTime")
        else:
            attack.pop("EndTime", None)
    except ShieldError as err:
        raise ValueError(err.message) from None
    for key in ("SubResources", "AttackCounters", "AttackProperties", "Mitigations"):
        attack.setdefault(key, [])
    return attack


def _attack_wire(attack: dict[str, Any]) -> dict[str, Any]:
    wire = dict(attack)
    wire["StartTime"] = _epoch(attack["StartTime"])
    if "EndTime" in attack:
        wire["EndTime"] = _epoch(attack["EndTime"])
    return wire


def _summary(attack: dict[str, Any]) -> dict[str, Any]:
    vectors: list[str] = []
    for sub in attack.get("SubResources") or []:
        for vector in sub.get("AttackVectors") or []:
            if vector.get("VectorType") and vector["VectorType"] not in vectors:
                vectors.append(vector["VectorType"])
    summary: dict[str, Any] = {"AttackId": attack["AttackId"], "ResourceArn": attack["ResourceArn"],
                               "StartTime": _epoch(attack["StartTime"]),
                               "AttackVectors": [{"VectorType": v} for v in vectors]}
    if "EndTime" in attack:
        summary["EndTime"] = _epoch(attack["EndTime"])
    return summary


def _statistics_range(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Midnight UTC one year ago to midnight UTC today (DescribeAttackStatistics)."""
    today = now.astimezone(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago, today


def install() -> None:
    from moto.moto_api._internal import urls as api_urls
    from moto.shield.exceptions import ResourceAlreadyExistsException, ResourceNotFoundException
    from moto.shield.models import Subscription, shield_backends
    from moto.shield.responses import ShieldResponse

    def params(self: ShieldResponse) -> dict[str, Any]:
        try:
            body = json.loads(self.body or "{}")
        except ValueError:
            raise _invalid("The request body is not JSON") from None
        return body if isinstance(body, dict) else {}

    def subscription(self: ShieldResponse) -> Subscription:
        sub = self.shield_backend.subscription
        if sub is None:
            raise ResourceNotFoundException("The subscription does not exist.")
        return sub

    def needs_subscription(method: Any) -> Any:
        def wrapped(self: ShieldResponse) -> Any:
            subscription(self)
            return method(self)

        wrapped.__name__ = method.__name__
        return wrapped

    # ---- subscription ------------------------------------------------------------------------

    def create_subscription(self: ShieldResponse) -> str:
        if self.shield_backend.subscription is not None:
            raise ResourceAlreadyExistsException("The subscription already exists.")
        sub = Subscription(account_id=self.current_account)
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        sub.start_time = now
        sub.end_time = now + dt.timedelta(seconds=sub.time_commitment_in_seconds)
        sub.proactive_engagement_status = "DISABLED"
        self.shield_backend.subscription = sub
        return "{}"

    def describe_subscription(self: ShieldResponse) -> str:
        sub = subscription(self)
        return json.dumps({"Subscription": {
            "StartTime": _epoch(sub.start_time),
            "EndTime": _epoch(sub.end_time),
            "TimeCommitmentInSeconds": sub.time_commitment_in_seconds,
            "AutoRenew": sub.auto_renew,
            "Limits": [limit.to_dict() for limit in sub.limits],
            "ProactiveEngagementStatus": sub.proactive_engagement_status,
            "SubscriptionLimits": sub.subscription_limits.to_dict(),
            "SubscriptionArn": sub.subscription_arn,
        }})

    def get_subscription_state(self: ShieldResponse) -> str:
        return json.dumps({"SubscriptionState": "ACTIVE" if self.shield_backend.subscription else "INACTIVE"})

    def set_proactive_engagement(self: ShieldResponse, status: str) -> str:
        subscription(self).proactive_engagement_status = status
        return "{}"

    # ---- protections (moto's, behind the subscription, ListProtections paged) ----------------

    original_list_protections = ShieldResponse.list_protections

    def list_protections(self: ShieldResponse) -> str:
        subscription(self)
        body = params(self)
        size = _max_results(body)
        protections = json.loads(original_list_protections(self))["Protections"]
        page, token = _paged(protections, body.get("NextToken"), size, "InvalidPaginationTokenException")
        answer: dict[str, Any] = {"Protections": page}
        if token:
            answer["NextToken"] = token
        return json.dumps(answer)

    # ---- attacks -----------------------------------------------------------------------------

    def list_attacks(self: ShieldResponse) -> str:
        body = params(self)
        start_from, start_to = _time_range(body, "StartTime")
        end_from, end_to = _time_range(body, "EndTime")
        arns = body.get("ResourceArns") or []
        size = _max_results(body)
        selected = []
        for attack in _attacks(self.shield_backend).values():
            if arns and attack["ResourceArn"] not in arns:
                continue
            if start_from and attack["StartTime"] < start_from or start_to and attack["StartTime"] >= start_to:
                continue
            # An attack still in progress has no EndTime: it matches any EndTime range.
            end = attack.get("EndTime")
            if end is not None and (end_from and end < end_from or end_to and end >= end_to):
                continue
            selected.append(attack)
        selected.sort(key=lambda a: (a["StartTime"], a["AttackId"]), reverse=True)
        page, token = _paged([_summary(a) for a in selected], body.get("NextToken"), size, "InvalidParameterException")
        answer: dict[str, Any] = {"AttackSummaries": page}
        if token:
            answer["NextToken"] = token
        return json.dumps(answer)

    def describe_attack(self: ShieldResponse) -> str:
        attack_id = params(self).get("AttackId")
        attack = _attacks(self.shield_backend).get(attack_id)
        if attack is None:
            raise ShieldError("AccessDeniedException", f"The attack {attack_id} does not exist or you are not allowed to access it.")
        return json.dumps({"Attack": _attack_wire(attack)})

    def describe_attack_statistics(self: ShieldResponse) -> str:
        start, end = _statistics_range(dt.datetime.now(dt.timezone.utc))
        attacks = [a for a in _attacks(self.shield_backend).values() if start <= a["StartTime"] < end]
        item: dict[str, Any] = {"AttackCount": len(attacks)}
        volume: dict[str, dict[str, float]] = {}
        for attack in attacks:
            for counter in _counters(attack):
                kind = _volume_kind(counter)
                if kind and counter.get("Max") is not None:
                    best = volume.setdefault(kind, {"Max": float(counter["Max"])})
                    best["Max"] = max(best["Max"], float(counter["Max"]))
        if volume:
            item["AttackVolume"] = volume
        return json.dumps({"TimeRange": {"FromInclusive": _epoch(start), "ToExclusive": _epoch(end)}, "DataItems": [item]})

    # ---- protection groups -------------------------------------------------------------------

    def group_settings(self: ShieldResponse, body: dict[str, Any]) -> dict[str, Any]:
        group_id = body.get("ProtectionGroupId")
        if not isinstance(group_id, str) or not re.fullmatch(r"[a-zA-Z0-9\-]{1,36}", group_id):
            raise _invalid("ProtectionGroupId must be 1 to 36 letters, digits or hyphens")
        if body.get("Aggregation") not in AGGREGATIONS:
            raise _invalid(f"Aggregation must be one of {', '.join(AGGREGATIONS)}")
        pattern = body.get("Pattern")
        if pattern not in PATTERNS:
            raise _invalid(f"Pattern must be one of {', '.join(PATTERNS)}")
        resource_type = body.get("ResourceType")
        members = body.get("Members")
        if pattern == "BY_RESOURCE_TYPE":
            if resource_type not in RESOURCE_TYPES:
                raise _invalid(f"ResourceType is required with Pattern BY_RESOURCE_TYPE and must be one of {', '.join(RESOURCE_TYPES)}")
        elif resource_type is not None:
            raise _invalid("ResourceType must not be set unless Pattern is BY_RESOURCE_TYPE")
        if pattern == "ARBITRARY":
            if members is None:
                raise _invalid("Members is required with Pattern ARBITRARY")
            limit = subscription(self).subscription_limits.protection_group_limits.pattern_type_limits.arbitrary_pattern_limits.max_members
            if len(members) > limit:
                raise ShieldError("LimitsExceededException", f"A protection group with Pattern ARBITRARY can have at most {limit} members",
                                  Type="ARBITRARY_PATTERN_MEMBERS", Limit=limit)
            for arn in members:
                if not isinstance(arn, str) or not arn.startswith("arn:"):
                    raise _invalid(f"Members: {arn!r} is not an ARN")
        elif members:
            raise _invalid("Members must not be set unless Pattern is ARBITRARY")
        settings = {"ProtectionGroupId": group_id, "Aggregation": body["Aggregation"], "Pattern": pattern,
                    "Members": list(members or []) if pattern == "ARBITRARY" else []}
        if resource_type:
            settings["ResourceType"] = resource_type
        return settings

    def group_wire(self: ShieldResponse, group: dict[str, Any]) -> dict[str, Any]:
        """Members: the listed ARNs (ARBITRARY), or the protected resources the pattern selects now
        (ALL, BY_RESOURCE_TYPE), since Shield adds newly protected resources to such groups."""
        wire = dict(group)
        if group["Pattern"] != "ARBITRARY":
            wire["Members"] = [p.resource_arn for p in self.shield_backend.protections.values()
                               if group["Pattern"] == "ALL" or p.resource_type == group.get("ResourceType")]
        return wire

    def find_group(self: ShieldResponse, group_id: Any) -> dict[str, Any]:
        group = _groups(self.shield_backend).get(group_id)
        if group is None:
            raise ShieldError("ResourceNotFoundException", "The referenced protection group does not exist.", resourceType="protection-group")
        return group

    def create_protection_group(self: ShieldResponse) -> str:
        subscription(self)
        body = params(self)
        settings = group_settings(self, body)
        groups = _groups(self.shield_backend)
        if settings["ProtectionGroupId"] in groups:
            raise ShieldError("ResourceAlreadyExistsException", "The referenced protection group already exists.", resourceType="protection-group")
        limit = subscription(self).subscription_limits.protection_group_limits.max_protection_groups
        if len(groups) >= limit:
            raise ShieldError("LimitsExceededException", f"An account can have at most {limit} protection groups",
                              Type="PROTECTION_GROUPS", Limit=limit)
        settings["ProtectionGroupArn"] = f"arn:aws:shield::{self.current_account}:protection-group/{settings['ProtectionGroupId']}"
        groups[settings["ProtectionGroupId"]] = settings
        if body.get("Tags"):
            self.shield_backend.tag_resource(settings["ProtectionGroupArn"], body["Tags"])
        return "{}"

    def update_protection_group(self: ShieldResponse) -> str:
        subscription(self)
        body = params(self)
        group = find_group(self, body.get("ProtectionGroupId"))
        settings = group_settings(self, body)
        group.pop("ResourceType", None)
        group.update(settings)
        return "{}"

    def describe_protection_group(self: ShieldResponse) -> str:
        subscription(self)
        return json.dumps({"ProtectionGroup": group_wire(self, find_group(self, params(self).get("ProtectionGroupId")))})

    def delete_protection_group(self: ShieldResponse) -> str:
        subscription(self)
        group = find_group(self, params(self).get("ProtectionGroupId"))
        del _groups(self.shield_backend)[group["ProtectionGroupId"]]
        return "{}"

    def list_protection_groups(self: ShieldResponse) -> str:
        subscription(self)
        body = params(self)
        size = _max_results(body)
        filters = body.get("InclusionFilters") or {}
        wanted = {}
        for key, field in (("ProtectionGroupIds", "ProtectionGroupId"), ("Patterns", "Pattern"),
                           ("ResourceTypes", "ResourceType"), ("Aggregations", "Aggregation")):
            values = filters.get(key)
            if values is None:
                continue
            if len(values) != 1:
                raise _invalid(f"InclusionFilters.{key} takes exactly one value")
            wanted[field] = values[0]
        groups = [group_wire(self, g) for g in _groups(self.shield_backend).values()
                  if all(g.get(field) == value for field, value in wanted.items())]
        page, token = _paged(groups, body.get("NextToken"), size, "InvalidPaginationTokenException")
        answer: dict[str, Any] = {"ProtectionGroups": page}
        if token:
            answer["NextToken"] = token
        return json.dumps(answer)

    # ---- seeding -----------------------------------------------------------------------------

    def seed_attacks(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """Test seeding only: POST {"account"?, "attacks": [AttackDetail]}; answers {"attack_ids"}."""
        if request.method != "POST":
            return 405, {}, json.dumps({"error": "POST only"})
        try:
            body = json.loads(request.get_data() or b"{}")
            account = str(body.get("account") or DEFAULT_ACCOUNT)
            raw = body.get("attacks")
            if not isinstance(raw, list):
                raise ValueError('"attacks" must be a list of AttackDetail objects')
            attacks = [_normalise_attack(a) for a in raw]
        except (ValueError, AttributeError) as err:
            return 400, {"Content-Type": "application/json"}, json.dumps({"error": str(err)})
        store = _attacks(shield_backends[account]["aws"])
        for attack in attacks:
            store[attack["AttackId"]] = attack
        return 200, {"Content-Type": "application/json"}, json.dumps({"attack_ids": [a["AttackId"] for a in attacks]})

    ShieldResponse.create_subscription = create_subscription
    ShieldResponse.describe_subscription = describe_subscription
    ShieldResponse.get_subscription_state = get_subscription_state
    ShieldResponse.enable_proactive_engagement = lambda self: set_proactive_engagement(self, "ENABLED")
    ShieldResponse.disable_proactive_engagement = lambda self: set_proactive_engagement(self, "DISABLED")
    ShieldResponse.create_protection = needs_subscription(ShieldResponse.create_protection)
    ShieldResponse.describe_protection = needs_subscription(ShieldResponse.describe_protection)
    ShieldResponse.delete_protection = needs_subscription(ShieldResponse.delete_protection)
    ShieldResponse.list_protections = list_protections
    ShieldResponse.list_attacks = list_attacks
    ShieldResponse.describe_attack = describe_attack
    ShieldResponse.describe_attack_statistics = describe_attack_statistics
    ShieldResponse.create_protection_group = create_protection_group
    ShieldResponse.update_protection_group = update_protection_group
    ShieldResponse.describe_protection_group = describe_protection_group
    ShieldResponse.delete_protection_group = delete_protection_group
    ShieldResponse.list_protection_groups = list_protection_groups
    api_urls.url_paths["{0}/moto-api/vigil/shield-attacks$"] = seed_attacks
