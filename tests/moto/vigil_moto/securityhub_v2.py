"""Vigil's moto extension: Security Hub (the OCSF service, the API's ``...V2`` operations).

REST-JSON like Security Hub CSPM: each operation is a ``url_paths`` pattern plus a snake_case method
on moto's ``SecurityHubResponse`` (moto finds the operation from botocore's model by method and
path). State lives on moto's Security Hub backend of the account and Region (``_state``), so
``POST /moto-api/reset`` clears it. Shapes, enums and limits from botocore's
``securityhub/2018-10-26`` model (the field-name enums are read from it at start-up).

Added:
  EnableSecurityHubV2, DescribeSecurityHubV2, DisableSecurityHubV2
                         per account and Region; Describe without it: ResourceNotFoundException
                         (404); every other call below without it: AccessDeniedException (403)
  GetFindingsV2          OcsfFindingFilters (CompositeFilters x CompositeOperator; String, Date,
                         Boolean, Number, Map, Ip filters and one level of NestedCompositeFilters,
                         combined by Operator, AND by default), SortCriteria, MaxResults 1-100
                         (default 100), NextToken (one this server did not hand out: 400
                         ValidationException), Scopes.AwsOrganizations (delegated administrator only)
  GetFindingStatisticsV2 GroupByRules (1-5) x GroupByField, SortOrder (desc by default),
                         MaxStatisticResults 1-400 (default 100), Scopes
  GetFindingsTrendsV2    StartTime/EndTime, FindingsTrendsFilters, Daily/Weekly/Monthly points with
                         counts per severity, MaxResults 1-100, NextToken
  BatchUpdateFindingsV2  MetadataUids or FindingIdentifiers (1-100), Comment (1-512), SeverityId,
                         StatusId; Processed/UnprocessedFindings per finding
  CreateAggregatorV2, GetAggregatorV2, UpdateAggregatorV2, DeleteAggregatorV2, ListAggregatorsV2
                         one per account; its home Region reads the linked Regions' findings too
  CreateConnectorV2, RegisterConnectorV2, GetConnectorV2, ListConnectorsV2, DeleteConnectorV2
                         Jira Cloud (PENDING_AUTHORIZATION until RegisterConnectorV2) and ServiceNow
                         (CONNECTED at once)
  CreateTicketV2         TicketId/TicketSrcUrl from the connector; Mode DRYRUN needs no finding
  POST /moto-api/vigil/securityhub-v2-findings  seeding: {"account"?, "region"?, "findings": [OCSF]}
  GET  /moto-api/vigil/securityhub-v2-tickets   the tickets made: ?account=&region=

The delegated administrator is the account moto's EnableOrganizationAdminAccount recorded for the
caller's organisation (moto ignores its Feature parameter). See tests/moto/README.md, "Security Hub
(OCSF, V2 operations)".
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import ipaddress
import json
import re
import uuid
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlparse

from ._common import BadRequest, _now_iso, _parse_time, _state

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

SEVERITIES = {0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical", 6: "Fatal", 99: "Other"}
# OCSF finding status_id (BatchUpdateFindingsV2.StatusId allows 0-5 and 99).
STATUSES = {0: "Unknown", 1: "New", 2: "In Progress", 3: "Suppressed", 4: "Resolved", 5: "Archived", 99: "Other"}
TREND_SEVERITY_KEYS = {0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical", 6: "Fatal"}

STRING_COMPARISONS = ("EQUALS", "PREFIX", "NOT_EQUALS", "PREFIX_NOT_EQUALS", "CONTAINS", "NOT_CONTAINS", "CONTAINS_WORD")
NEGATIVE = ("NOT_EQUALS", "PREFIX_NOT_EQUALS", "NOT_CONTAINS")
MAP_COMPARISONS = ("EQUALS", "NOT_EQUALS", "CONTAINS", "NOT_CONTAINS")
NUMBER_BOUNDS = ("Gte", "Lte", "Eq", "Gt", "Lt")
FILTER_KINDS = ("StringFilters", "DateFilters", "BooleanFilters", "NumberFilters", "MapFilters", "IpFilters")

# A field name whose values may sit elsewhere too. The model's filter and GroupBy field for an
# exposure finding's trait types is finding_info.related_events.traits.category (the OCSF 1.5
# trait object); the user guide's sample exposure finding carries them as
# finding_info.related_events[].tags[].name. Both are read.
ALIASES = {
    "finding_info.related_events.traits.category": ("finding_info.related_events.traits.category",
                                                     "finding_info.related_events.tags.name"),
}

# GetFindingsTrendsV2's FindingsTrendsStringField -> OCSF path (our mapping; the reference only
# names the fields).
TREND_FIELDS = {
    "account_id": "cloud.account.uid",
    "region": "cloud.region",
    "finding_types": "finding_info.types",
    "finding_status": "status",
    "finding_cve_ids": "vulnerabilities.cve.uid",
    "finding_compliance_status": "compliance.status",
    "finding_control_id": "compliance.control",
    "finding_class_name": "class_name",
    "finding_provider": "metadata.product.name",
    "finding_activity_name": "activity_name",
    "resource_cloud_providers": "resources.provider",
    "resource_regions": "resources.region",
    "resource_owner_ids": "resources.owner.account.uid",
    "resource_owner_organization_ids": "resources.owner.org.uid",
}

AGGREGATOR_MODES = ("SPECIFIED_REGIONS", "ALL_REGIONS")
AGGREGATOR_ARN = re.compile(r"^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:aggregatorv2/[0-9a-f-]+$")

_ENUMS: dict[str, tuple[str, ...]] = {}


def _enum(shape: str) -> tuple[str, ...]:
    """The values of one of the model's enums (OcsfStringField, GroupByField, ...)."""
    if shape not in _ENUMS:
        import botocore.session

        model = botocore.session.get_session().get_service_model("securityhub")
        _ENUMS[shape] = tuple(model.shape_for(shape).enum)
    return _ENUMS[shape]


# --------------------------------------------------------------------------------------------
# answers and errors

Response = tuple[int, dict[str, str], str]


def _ok(body: dict[str, Any]) -> Response:
    return 200, {"Content-Type": "application/json"}, json.dumps(body)



def _validation(message: str) -> BadRequest:
    return BadRequest("ValidationException", message)


def _denied(message: str) -> BadRequest:
    return BadRequest("AccessDeniedException", message, 403)


def _not_found(message: str, code: str = "ResourceNotFoundException", status: int = 404) -> BadRequest:
    return BadRequest(code, message, status)


def _conflict(message: str) -> BadRequest:
    return BadRequest("ConflictException", message, 409)


# --------------------------------------------------------------------------------------------
# reading an OCSF document


def _nodes(doc: Any, path: str) -> list[Any]:
    """Everything at a dotted path, lists flattened on the way and at the end."""
    nodes = [doc]
    for part in path.split("."):
        found: list[Any] = []
        for node in nodes:
            if isinstance(node, dict) and node.get(part) is not None:
                value = node[part]
                found.extend(value if isinstance(value, list) else [value])
        nodes = found
    return nodes


def _scalars(doc: Any, field: str) -> list[Any]:
    values: list[Any] = []
    for path in ALIASES.get(field, (field,)):
        values.extend(v for v in _nodes(doc, path) if not isinstance(v, (dict, list)))
    return values


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _time_of(value: Any) -> dt.datetime | None:
    """An OCSF time: ISO 8601 text (`*_dt`, up to 9 fractional digits) or epoch milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value / 1000, dt.timezone.utc)
    if isinstance(value, str):
        try:
            return _parse_time(value)
        except ValueError:
            return None
    return None


def _times(doc: Any, field: str) -> list[dt.datetime]:
    """A date field's values: `x_dt`, or the epoch-millisecond sibling `x` when `x_dt` is absent."""
    values = [t for t in (_time_of(v) for v in _scalars(doc, field)) if t]
    if not values and field.endswith("_dt"):
        values = [t for t in (_time_of(v) for v in _scalars(doc, field[:-3])) if t]
    return values


def _numbers(doc: Any, field: str) -> list[float]:
    out = []
    for v in _scalars(doc, field):
        if isinstance(v, bool):
            continue
        if isinstance(v, (int, float)):
            out.append(float(v))
        elif isinstance(v, str):
            try:
                out.append(float(v))
            except ValueError:
                pass
    return out


def _map_entries(doc: Any, field: str) -> list[tuple[str, str]]:
    """(key, value) pairs of a map field: OCSF key/value objects ([{name, value | values}]) or a
    JSON object."""
    pairs: list[tuple[str, str]] = []
    for node in _nodes(doc, field):
        if not isinstance(node, dict):
            continue
        if "name" in node and set(node) <= {"name", "value", "values"}:
            values = [node["value"]] if "value" in node else list(node.get("values") or [])
            pairs.extend((str(node["name"]), _text(v)) for v in values)
        else:
            for key, value in node.items():
                pairs.extend((str(key), _text(v)) for v in (value if isinstance(value, list) else [value]))
    return pairs


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9A-Za-z]+", text.lower()) if w]


def _string_test(value: str, comparison: str, wanted: str) -> bool:
    if comparison == "EQUALS":
        return value == wanted
    if comparison == "PREFIX":
        return value.startswith(wanted)
    if comparison == "CONTAINS":
        return wanted in value
    if comparison == "CONTAINS_WORD":
        have = _words(value)
        return bool(_words(wanted)) and all(w in have for w in _words(wanted))
    if comparison == "NOT_EQUALS":
        return value != wanted
    if comparison == "PREFIX_NOT_EQUALS":
        return not value.startswith(wanted)
    return wanted not in value  # NOT_CONTAINS


def _string_holds(values: list[str], comparison: str, wanted: str) -> bool:
    """A positive comparison holds when some value passes; a negative one when every value passes
    (so a finding without the field passes NOT_EQUALS, PREFIX_NOT_EQUALS, NOT_CONTAINS)."""
    if comparison in NEGATIVE:
        return all(_string_test(v, comparison, wanted) for v in values)
    return any(_string_test(v, comparison, wanted) for v in values)


def _date_holds(times: list[dt.datetime], f: dict[str, Any]) -> bool:
    """Some value within Start..End (inclusive), or WITHIN (on or after now - Value days; the
    default) / OLDER_THAN (before it) a DateRange."""
    def one(when: dt.datetime) -> bool:
        if f.get("DateRange"):
            cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=int(f["DateRange"]["Value"]))
            older = f["DateRange"].get("Comparison") == "OLDER_THAN"
            return when < cutoff if older else when >= cutoff
        if f.get("Start") and when < _parse_time(f["Start"]):
            return False
        return not (f.get("End") and when > _parse_time(f["End"]))

    return any(one(t) for t in times)


def _number_holds(values: list[float], f: dict[str, Any]) -> bool:
    tests = {"Gte": lambda v, b: v >= b, "Lte": lambda v, b: v <= b, "Eq": lambda v, b: v == b,
             "Gt": lambda v, b: v > b, "Lt": lambda v, b: v < b}
    bounds = [(k, float(f[k])) for k in NUMBER_BOUNDS if f.get(k) is not None]
    return any(all(tests[k](v, b) for k, b in bounds) for v in values)


def _map_holds(pairs: list[tuple[str, str]], f: dict[str, Any]) -> bool:
    key, wanted, comparison = f["Key"], f["Value"], f["Comparison"]
    values = [v for k, v in pairs if k == key]
    if comparison == "EQUALS":
        return wanted in values
    if comparison == "CONTAINS":
        return any(wanted in v for v in values)
    if comparison == "NOT_EQUALS":
        return wanted not in values
    return not any(wanted in v for v in values)  # NOT_CONTAINS


def _ip_holds(doc: Any, field: str, cidr: str) -> bool:
    network = ipaddress.ip_network(cidr, strict=False)
    for value in _scalars(doc, field):
        try:
            if ipaddress.ip_address(str(value)) in network:
                return True
        except ValueError:
            continue
    return False


# --------------------------------------------------------------------------------------------
# filters


def _check_filters(filters: Any, trends: bool = False) -> None:
    """Refuses, with ValidationException, what the model or the reference refuses (and what this
    server does not evaluate), before any finding is read."""
    if filters is None:
        return
    if not isinstance(filters, dict):
        raise _validation("Filters must be an object")
    if filters.get("CompositeOperator") not in (None, "AND", "OR"):
        raise _validation("CompositeOperator must be AND or OR")
    composites = filters.get("CompositeFilters") or []
    if len(composites) > 10:
        raise _validation("You can filter up to 10 composite filters")
    for composite in composites:
        _check_composite(composite, nested=False, trends=trends)


def _check_composite(c: Any, nested: bool, trends: bool) -> None:
    if not isinstance(c, dict):
        raise _validation("A CompositeFilter must be an object")
    if c.get("Operator") not in (None, "AND", "OR"):
        raise _validation("Operator must be AND or OR")
    allowed = {"StringFilters", "NestedCompositeFilters", "Operator"} if trends else set(FILTER_KINDS) | {"NestedCompositeFilters", "Operator"}
    unknown = set(c) - allowed
    if unknown:
        raise _validation(f"Unknown members in a composite filter: {', '.join(sorted(unknown))}")
    for kind in (*FILTER_KINDS, "NestedCompositeFilters"):
        if len(c.get(kind) or []) > 20:
            raise _validation(f"At most 20 {kind} in a composite filter")
    string_fields = tuple(TREND_FIELDS) if trends else _enum("OcsfStringField")
    for f in c.get("StringFilters") or []:
        _field(f, string_fields, "StringFilters")
        inner = f.get("Filter") or {}
        if inner.get("Comparison") not in STRING_COMPARISONS:
            raise _validation(f"StringFilter Comparison must be one of {', '.join(STRING_COMPARISONS)}")
        if not isinstance(inner.get("Value"), str) or not inner["Value"].strip():
            raise _validation("StringFilter Value must be a non-empty string")
    for f in c.get("DateFilters") or []:
        _field(f, _enum("OcsfDateField"), "DateFilters")
        inner = f.get("Filter") or {}
        if inner.get("DateRange"):
            if inner.get("Start") or inner.get("End"):
                raise _validation("A DateFilter takes Start and End or a DateRange, not both")
            rng = inner["DateRange"]
            if rng.get("Unit") != "DAYS":
                raise _validation("DateRange.Unit must be DAYS")
            if isinstance(rng.get("Value"), bool) or not isinstance(rng.get("Value"), int) or rng["Value"] < 0:
                raise _validation("DateRange.Value must be a whole number of days")
            if rng.get("Comparison", "WITHIN") not in ("WITHIN", "OLDER_THAN"):
                raise _validation("DateRange.Comparison must be WITHIN or OLDER_THAN")
        elif not (inner.get("Start") or inner.get("End")):
            raise _validation("A DateFilter needs Start and End or a DateRange")
        for key in ("Start", "End"):
            if inner.get(key):
                try:
                    _parse_time(inner[key])
                except (ValueError, TypeError, AttributeError):
                    raise _validation(f"DateFilter {key} {inner[key]!r} is not a timestamp") from None
    for f in c.get("BooleanFilters") or []:
        _field(f, _enum("OcsfBooleanField"), "BooleanFilters")
        if not isinstance((f.get("Filter") or {}).get("Value"), bool):
            raise _validation("BooleanFilter Value must be true or false")
    for f in c.get("NumberFilters") or []:
        _field(f, _enum("OcsfNumberField"), "NumberFilters")
        inner = f.get("Filter") or {}
        if not any(inner.get(k) is not None for k in NUMBER_BOUNDS):
            raise _validation(f"A NumberFilter needs one of {', '.join(NUMBER_BOUNDS)}")
    for f in c.get("MapFilters") or []:
        _field(f, _enum("OcsfMapField"), "MapFilters")
        inner = f.get("Filter") or {}
        if inner.get("Comparison") not in MAP_COMPARISONS:
            raise _validation(f"MapFilter Comparison must be one of {', '.join(MAP_COMPARISONS)}")
        if not inner.get("Key") or not isinstance(inner.get("Value"), str):
            raise _validation("A MapFilter needs Key and Value")
    for f in c.get("IpFilters") or []:
        _field(f, _enum("OcsfIpField"), "IpFilters")
        try:
            ipaddress.ip_network(str((f.get("Filter") or {}).get("Cidr")), strict=False)
        except ValueError:
            raise _validation(f"IpFilter Cidr {(f.get('Filter') or {}).get('Cidr')!r} is not a CIDR") from None
    for n in c.get("NestedCompositeFilters") or []:
        if nested:
            # "creating a three-layer nested structure" (CompositeFilter.NestedCompositeFilters)
            raise _validation("NestedCompositeFilters cannot be nested further")
        _check_composite(n, nested=True, trends=trends)


def _field(f: Any, allowed: Iterable[str], kind: str) -> None:
    if not isinstance(f, dict) or f.get("FieldName") not in allowed:
        name = f.get("FieldName") if isinstance(f, dict) else f
        raise _validation(f"{kind}: FieldName {name!r} is not supported")


def _composite_holds(doc: Any, c: dict[str, Any], trends: bool = False) -> bool:
    checks: list[Callable[[], bool]] = []
    for f in c.get("StringFilters") or []:
        inner = f["Filter"]
        path = TREND_FIELDS[f["FieldName"]] if trends else f["FieldName"]
        checks.append(lambda p=path, i=inner: _string_holds([_text(v) for v in _scalars(doc, p)], i["Comparison"], i["Value"]))
    for f in c.get("DateFilters") or []:
        checks.append(lambda f=f: _date_holds(_times(doc, f["FieldName"]), f["Filter"]))
    for f in c.get("BooleanFilters") or []:
        checks.append(lambda f=f: any(v is f["Filter"]["Value"] for v in _scalars(doc, f["FieldName"])))
    for f in c.get("NumberFilters") or []:
        checks.append(lambda f=f: _number_holds(_numbers(doc, f["FieldName"]), f["Filter"]))
    for f in c.get("MapFilters") or []:
        checks.append(lambda f=f: _map_holds(_map_entries(doc, f["FieldName"]), f["Filter"]))
    for f in c.get("IpFilters") or []:
        checks.append(lambda f=f: _ip_holds(doc, f["FieldName"], f["Filter"]["Cidr"]))
    for n in c.get("NestedCompositeFilters") or []:
        checks.append(lambda n=n: _composite_holds(doc, n, trends))
    if not checks:
        return True
    return any(check() for check in checks) if c.get("Operator") == "OR" else all(check() for check in checks)


def _matches(doc: Any, filters: dict[str, Any] | None, trends: bool = False) -> bool:
    composites = (filters or {}).get("CompositeFilters") or []
    if not composites:
        return True
    results = (_composite_holds(doc, c, trends) for c in composites)
    return any(results) if filters.get("CompositeOperator") == "OR" else all(results)


# --------------------------------------------------------------------------------------------
# where findings live: per account and Region, on moto's Security Hub backend


def _backends(account: str) -> dict[str, Any]:
    from moto.securityhub.models import securityhub_backends

    return dict(securityhub_backends[account].items())


def _backend(account: str, region: str) -> Any:
    from moto.securityhub.models import securityhub_backends

    return securityhub_backends[account][region]


def _findings(backend: Any) -> dict[str, dict[str, Any]]:
    """metadata.uid -> OCSF document, in seeding order."""
    return _state(backend, "vigil_v2_findings", dict)


def _aggregator(account: str) -> dict[str, Any] | None:
    for backend in _backends(account).values():
        if getattr(backend, "vigil_aggregator_v2", None):
            return backend.vigil_aggregator_v2
    return None


def _all_regions(account: str) -> list[str]:
    from moto.securityhub.models import securityhub_backends

    return list(securityhub_backends[account].regions)


def _regions_read(account: str, region: str) -> list[str]:
    """The Region of the call and, in the home Region of the caller's aggregator, its linked
    Regions (all Regions for ALL_REGIONS)."""
    aggregator = _aggregator(account)
    regions = [region]
    if aggregator and aggregator["AggregationRegion"] == region:
        linked = _all_regions(account) if aggregator["RegionLinkingMode"] == "ALL_REGIONS" else aggregator["LinkedRegions"]
        regions.extend(sorted(r for r in set(linked) if r != region))
    return regions


def _organisation(account: str) -> tuple[dict[str, Any], Any] | None:
    """(Organization, the management account's Organizations backend) of `account`, if any."""
    from moto.organizations.models import organizations_backends

    try:
        org = organizations_backends[account]["aws"].describe_organization()["Organization"]
    except Exception:  # noqa: BLE001 - moto raises its own errors (not in an organisation)
        return None
    return org, organizations_backends[org["MasterAccountId"]]["aws"]


def _delegated_admin(org_id: str) -> str | None:
    from moto.securityhub.models import SecurityHubBackend

    return (SecurityHubBackend._org_configs.get(org_id) or {}).get("admin_account_id")


def _scope_accounts(caller: str, scopes: Any) -> list[str]:
    """The accounts whose findings the caller reads: its own, or for the delegated administrator
    every account of the organisation (narrowed by Scopes.AwsOrganizations)."""
    entries = ((scopes or {}).get("AwsOrganizations") if isinstance(scopes, dict) else None) or []
    found = _organisation(caller)
    admin = bool(found) and _delegated_admin(found[0]["Id"]) == caller
    if entries and not admin:
        raise _denied("Only the delegated administrator account can use Scopes.")
    if not admin:
        return [caller]
    org, management = found  # type: ignore[misc]
    accounts = [a.id for a in management.accounts]
    if entries:
        if len(entries) > 10:
            raise _validation("You can specify up to 10 entries in Scopes.AwsOrganizations")
        whole = [e for e in entries if e.get("OrganizationId") and not e.get("OrganizationalUnitId")]
        units = [e for e in entries if e.get("OrganizationalUnitId")]
        if len(whole) + len(units) != len(entries):
            raise _validation("Each AwsOrganizationScope needs OrganizationId or OrganizationalUnitId")
        if whole and units:
            raise _validation("Scope to the organization or to organizational units, not both in one request")
        for e in entries:
            if e.get("OrganizationId") and e["OrganizationId"] != org["Id"]:
                raise _not_found(f"Organization {e['OrganizationId']} is not the caller's organization",
                                 "OrganizationNotFoundException", 400)
        if units:
            known = {ou.id: ou for ou in management.ou}
            chosen: set[str] = set()
            for e in units:
                if e["OrganizationalUnitId"] not in known:
                    raise _not_found(f"Organizational unit {e['OrganizationalUnitId']} does not exist in the caller's organization",
                                     "OrganizationalUnitNotFoundException", 400)
                # the OU and the OUs below it
                subtree, frontier = {e["OrganizationalUnitId"]}, [e["OrganizationalUnitId"]]
                while frontier:
                    parent = frontier.pop()
                    for ou in management.ou:
                        if ou.parent_id == parent and ou.id not in subtree:
                            subtree.add(ou.id)
                            frontier.append(ou.id)
                chosen |= {a.id for a in management.accounts if a.parent_id in subtree}
            accounts = [a for a in accounts if a in chosen]
    return sorted(accounts, key=lambda a: a != caller)


def _visible(caller: str, region: str, scopes: Any = None) -> list[dict[str, Any]]:
    """The stored documents the caller reads in `region`, account by account, Region by Region,
    each in seeding order (the documents themselves: copy before answering)."""
    out: list[dict[str, Any]] = []
    regions = _regions_read(caller, region)
    for account in _scope_accounts(caller, scopes):
        backends = _backends(account)
        for r in regions:
            if r in backends:
                out.extend(_findings(backends[r]).values())
    return out


# --------------------------------------------------------------------------------------------
# paging: tokens this server handed out, per operation


def _page(backend: Any, operation: str, items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
    tokens = _state(backend, "vigil_v2_tokens", dict)
    start = 0
    if token is not None:
        handed = tokens.get(token)
        if not handed or handed[0] != operation:
            raise _validation("The NextToken is invalid (not handed out by this server for this operation)")
        start = handed[1]
    end = start + size
    if end < len(items):
        new = uuid.uuid4().hex
        tokens[new] = (operation, end)
        return items[start:end], new
    return items[start:end], None


def _max_results(value: Any, default: int, high: int, name: str = "MaxResults") -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _validation(f"{name} must be a number from 1 to {high}") from None
    if not 1 <= number <= high:
        raise _validation(f"{name} must be a number from 1 to {high}")
    return number


def _sort_key(doc: Any, field: str) -> tuple[int, Any, str] | None:
    if field == "severity" and isinstance(doc.get("severity_id"), int):
        return (0, doc["severity_id"], "")
    if field.endswith("_dt"):
        times = _times(doc, field)
        return (0, times[0].timestamp(), "") if times else None
    values = _scalars(doc, field)
    if not values:
        return None
    v = values[0]
    return (0, v, "") if isinstance(v, (int, float)) and not isinstance(v, bool) else (1, 0, _text(v))


def _sorted(docs: list[dict[str, Any]], criteria: Any) -> list[dict[str, Any]]:
    """Stable sorts, last criterion first; findings without the field last in either order."""
    for criterion in reversed(criteria or []):
        field = (criterion or {}).get("Field")
        if not isinstance(field, str) or not field.strip():
            raise _validation("SortCriterion.Field must be a non-empty string")
        order = criterion.get("SortOrder") or "asc"
        if order not in ("asc", "desc"):
            raise _validation("SortOrder must be asc or desc")
        present = [d for d in docs if _sort_key(d, field) is not None]
        present.sort(key=lambda d: _sort_key(d, field), reverse=order == "desc")
        docs = present + [d for d in docs if _sort_key(d, field) is None]
    return docs


# --------------------------------------------------------------------------------------------
# seeding


def _normalise_seed(doc: Any, account: str, region: str) -> dict[str, Any]:
    """A seeded document as stored: metadata.uid filled when absent (a hash of account, Region,
    metadata.product.uid and finding_info.uid, or a random one without finding_info.uid),
    cloud.account.uid and cloud.region when absent, severity/status names from their ids when
    absent. Everything else is kept as given."""
    if not isinstance(doc, dict):
        raise ValueError("each finding must be a JSON object (an OCSF finding)")
    doc = copy.deepcopy(doc)
    metadata = doc.setdefault("metadata", {})
    if not isinstance(metadata, dict):
        raise ValueError("metadata must be an object")
    if not metadata.get("uid"):
        info_uid = (doc.get("finding_info") or {}).get("uid")
        product_uid = (metadata.get("product") or {}).get("uid", "")
        seed = f"{account}|{region}|{product_uid}|{info_uid}" if info_uid else uuid.uuid4().hex
        metadata["uid"] = hashlib.sha256(seed.encode()).hexdigest()
    cloud = doc.setdefault("cloud", {})
    cloud.setdefault("account", {}).setdefault("uid", account)
    cloud.setdefault("region", region)
    if isinstance(doc.get("severity_id"), int) and "severity" not in doc:
        doc["severity"] = SEVERITIES.get(doc["severity_id"], "Other")
    if isinstance(doc.get("status_id"), int) and "status" not in doc:
        doc["status"] = STATUSES.get(doc["status_id"], "Other")
    return doc


# --------------------------------------------------------------------------------------------
# trends


def _created(doc: Any) -> dt.datetime | None:
    for field in ("finding_info.created_time_dt", "finding_info.first_seen_time_dt", "time_dt"):
        times = _times(doc, field)
        if times:
            return times[0]
    return None


def _closed(doc: Any) -> dt.datetime | None:
    """When a finding stopped counting: its modified time once activity_name is Close (the user
    guide: findings with activity_name Close are closed findings)."""
    if str(doc.get("activity_name", "")).lower() != "close":
        return None
    for field in ("finding_info.modified_time_dt", "time_dt"):
        times = _times(doc, field)
        if times:
            return times[0]
    return None


def _trend_points(start: dt.datetime, end: dt.datetime) -> tuple[str, list[tuple[dt.datetime, dt.datetime]]]:
    """Granularity (our choice: Daily up to 31 days, Weekly up to 184, else Monthly) and the
    points: (timestamp, the instant counted: the end of its period or EndTime)."""
    span = end - start
    granularity = "Daily" if span <= dt.timedelta(days=31) else "Weekly" if span <= dt.timedelta(days=184) else "Monthly"
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == "Monthly":
        day = day.replace(day=1)
    points = []
    while day <= end:
        if granularity == "Monthly":
            nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        else:
            nxt = day + dt.timedelta(days=1 if granularity == "Daily" else 7)
        points.append((day, min(nxt, end)))
        day = nxt
    return granularity, points


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _timestamp_param(value: Any, name: str) -> dt.datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        try:
            return _parse_time(value)
        except ValueError:
            pass
    raise _validation(f"{name} must be an ISO 8601 timestamp")


# --------------------------------------------------------------------------------------------
# connectors


def _connectors(backend: Any) -> dict[str, dict[str, Any]]:
    return _state(backend, "vigil_v2_connectors", dict)


def _tickets(backend: Any) -> list[dict[str, Any]]:
    return _state(backend, "vigil_v2_tickets", list)


def _provider_detail(c: dict[str, Any]) -> dict[str, Any]:
    if c["ProviderName"] == "JIRA_CLOUD":
        jira = {"ProjectKey": c["ProjectKey"], "AuthUrl": c["AuthUrl"]}
        if c["ConnectorStatus"] == "CONNECTED":
            jira.update(CloudId=c["CloudId"], Domain=c["Domain"], AuthStatus="ACTIVE")
        return {"JiraCloud": {k: v for k, v in jira.items() if v is not None}}
    return {"ServiceNow": {"InstanceName": c["InstanceName"], "SecretArn": c["SecretArn"], "AuthStatus": "ACTIVE"}}


def _connector_summary(c: dict[str, Any]) -> dict[str, Any]:
    summary = {
        "ConnectorArn": c["ConnectorArn"], "ConnectorId": c["ConnectorId"], "Name": c["Name"],
        "Description": c.get("Description"),
        "ProviderSummary": {"ProviderName": c["ProviderName"], "ConnectorStatus": c["ConnectorStatus"],
                            "ProviderConfiguration": _provider_detail(c)},
        "CreatedAt": c["CreatedAt"], "EnablementStatus": "ENABLED",
    }
    return {k: v for k, v in summary.items() if v is not None}


# --------------------------------------------------------------------------------------------



def _emit_v2(account: str, region: str, doc: dict[str, Any]) -> None:
    """The new Security Hub's "Findings Imported V2" event: one OCSF finding, its metadata.uid as
    the resource (as the user guide's example shows it)."""
    from . import events

    events.emit(account, region, "aws.securityhub", events.V2_IMPORTED, {"findings": [doc]},
                [doc["metadata"]["uid"]])

def install() -> None:
    from moto.moto_api._internal import urls as api_urls
    from moto.securityhub import urls
    from moto.securityhub.responses import SecurityHubResponse
    from moto.utilities.utils import get_partition

    for path in ("hubv2", "findingsv2", "findingsv2/statistics", "findingsv2/batchupdatev2", "findingsTrendsv2",
                 "ticketsv2", "connectorsv2", "aggregatorv2/create", "aggregatorv2/list"):
        urls.url_paths["{0}/" + path + "$"] = SecurityHubResponse.dispatch
    # Greedy labels ({ConnectorId+}, {AggregatorV2Arn+}); /connectorsv2/register is RegisterConnectorV2.
    urls.url_paths["{0}/connectorsv2/(?P<ConnectorId>.+)$"] = SecurityHubResponse.dispatch
    for path in ("aggregatorv2/get", "aggregatorv2/update", "aggregatorv2/delete"):
        urls.url_paths["{0}/" + path + "/(?P<AggregatorV2Arn>.+)$"] = SecurityHubResponse.dispatch

    def params(self: SecurityHubResponse) -> dict[str, Any]:
        try:
            body = json.loads(self.body) if self.body else {}
        except ValueError:
            raise _validation("The request body is not JSON") from None
        return body if isinstance(body, dict) else {}

    def query(self: SecurityHubResponse, name: str) -> str | None:
        values = self.querystring.get(name)
        return values[0] if values else None

    def hub(self: SecurityHubResponse) -> dict[str, Any] | None:
        return getattr(self.securityhub_backend, "vigil_hub_v2", None)

    def require_hub(self: SecurityHubResponse) -> Any:
        if not hub(self):
            raise _denied(f"Security Hub is not enabled for account {self.current_account} in {self.region}.")
        return self.securityhub_backend

    # ---- the hub -----------------------------------------------------------------------------

    def enable_security_hub_v2(self: SecurityHubResponse) -> Response:
        """Enabling again answers the same ARN (the model lists no conflict error)."""
        backend = self.securityhub_backend
        if not hub(self):
            backend.vigil_hub_v2 = {
                "HubV2Arn": f"arn:{get_partition(self.region)}:securityhub:{self.region}:{self.current_account}:hubv2/{uuid.uuid4()}",
                "SubscribedAt": _now_iso(),
                "Tags": params(self).get("Tags") or {},
            }
        return _ok({"HubV2Arn": backend.vigil_hub_v2["HubV2Arn"]})

    def describe_security_hub_v2(self: SecurityHubResponse) -> Response:
        current = hub(self)
        if not current:
            raise _not_found(f"Security Hub is not enabled for account {self.current_account} in {self.region}.")
        return _ok({"HubV2Arn": current["HubV2Arn"], "SubscribedAt": current["SubscribedAt"]})

    def disable_security_hub_v2(self: SecurityHubResponse) -> Response:
        """Idempotent (the model lists no error for a hub that is not enabled). Findings, connectors
        and the aggregator are kept (a reset forgets them)."""
        self.securityhub_backend.vigil_hub_v2 = None
        return _ok({})

    # ---- findings ----------------------------------------------------------------------------

    def get_findings_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        body = params(self)
        size = _max_results(body.get("MaxResults"), 100, 100)
        _check_filters(body.get("Filters"))
        docs = [d for d in _visible(self.current_account, self.region, body.get("Scopes")) if _matches(d, body.get("Filters"))]
        docs = _sorted(docs, body.get("SortCriteria"))
        page, token = _page(backend, "GetFindingsV2", docs, body.get("NextToken"), size)
        answer: dict[str, Any] = {"Findings": copy.deepcopy(page)}
        if token:
            answer["NextToken"] = token
        return _ok(answer)

    def get_finding_statistics_v2(self: SecurityHubResponse) -> Response:
        require_hub(self)
        body = params(self)
        rules = body.get("GroupByRules") or []
        if not 1 <= len(rules) <= 5:
            raise _validation("GroupByRules takes 1 to 5 rules")
        order = body.get("SortOrder") or "desc"
        if order not in ("asc", "desc"):
            raise _validation("SortOrder must be asc or desc")
        size = _max_results(body.get("MaxStatisticResults"), 100, 400, "MaxStatisticResults")
        for rule in rules:
            if (rule or {}).get("GroupByField") not in _enum("GroupByField"):
                raise _validation(f"GroupByField {(rule or {}).get('GroupByField')!r} is not supported")
            _check_filters(rule.get("Filters"))
        visible = _visible(self.current_account, self.region, body.get("Scopes"))
        results = []
        for rule in rules:
            field = rule["GroupByField"]
            counts: dict[str, int] = {}
            for doc in visible:
                if _matches(doc, rule.get("Filters")):
                    for value in {_text(v) for v in _scalars(doc, field)}:
                        if value.strip():
                            counts[value] = counts.get(value, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: kv[0])
            ranked.sort(key=lambda kv: kv[1], reverse=order == "desc")
            results.append({"GroupByField": field,
                            "GroupByValues": [{"FieldValue": v, "Count": n} for v, n in ranked[:size]]})
        return _ok({"GroupByResults": results})

    def get_findings_trends_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        body = params(self)
        if body.get("StartTime") is None or body.get("EndTime") is None:
            raise _validation("StartTime and EndTime are required")
        start = _timestamp_param(body["StartTime"], "StartTime")
        end = _timestamp_param(body["EndTime"], "EndTime")
        if start > end:
            raise _validation("StartTime must not be later than EndTime")
        size = _max_results(body.get("MaxResults"), 100, 100)
        _check_filters(body.get("Filters"), trends=True)
        docs = [d for d in _visible(self.current_account, self.region) if _matches(d, body.get("Filters"), trends=True)]
        spans = [(_created(d), _closed(d), d.get("severity_id")) for d in docs]
        granularity, points = _trend_points(start, end)
        metrics = []
        for stamp, instant in points:
            counts = {name: 0 for name in (*TREND_SEVERITY_KEYS.values(), "Other")}
            for created, closed, severity in spans:
                if created is not None and created <= instant and (closed is None or closed > instant):
                    key = "Unknown" if severity is None else TREND_SEVERITY_KEYS.get(severity, "Other")
                    counts[key] += 1
            metrics.append({"Timestamp": _iso(stamp), "TrendsValues": {"SeverityTrends": counts}})
        page, token = _page(backend, "GetFindingsTrendsV2", metrics, body.get("NextToken"), size)
        answer: dict[str, Any] = {"Granularity": granularity, "TrendsMetrics": page}
        if token:
            answer["NextToken"] = token
        return _ok(answer)

    def batch_update_findings_v2(self: SecurityHubResponse) -> Response:
        require_hub(self)
        body = params(self)
        uids, identifiers = body.get("MetadataUids") or [], body.get("FindingIdentifiers") or []
        if uids and identifiers:
            raise _validation("Use MetadataUids or FindingIdentifiers, not both")
        if not uids and not identifiers:
            raise _validation("MetadataUids or FindingIdentifiers must name 1 to 100 findings")
        if len(uids) > 100 or len(identifiers) > 100:
            raise _validation("At most 100 MetadataUids or FindingIdentifiers")
        comment, severity_id, status_id = body.get("Comment"), body.get("SeverityId"), body.get("StatusId")
        if comment is None and severity_id is None and status_id is None:
            raise _validation("Give at least one of Comment, SeverityId, StatusId")
        if comment is not None and (not isinstance(comment, str) or not 1 <= len(comment) <= 512 or not comment.strip()):
            raise _validation("Comment must be 1 to 512 characters")
        if severity_id is not None and severity_id not in SEVERITIES:
            raise _validation(f"SeverityId must be one of {', '.join(map(str, SEVERITIES))}")
        if status_id is not None and status_id not in STATUSES:
            raise _validation(f"StatusId must be one of {', '.join(map(str, STATUSES))}")
        for ident in identifiers:
            if not all(isinstance(ident.get(k), str) and ident[k] for k in ("CloudAccountUid", "FindingInfoUid", "MetadataProductUid")):
                raise _validation("A FindingIdentifier needs CloudAccountUid, FindingInfoUid and MetadataProductUid")

        visible = _visible(self.current_account, self.region)
        by_uid = {d["metadata"]["uid"]: d for d in visible}

        def by_identifier(ident: dict[str, str]) -> dict[str, Any] | None:
            for d in visible:
                if ((d.get("cloud") or {}).get("account") or {}).get("uid") == ident["CloudAccountUid"] \
                        and (d.get("finding_info") or {}).get("uid") == ident["FindingInfoUid"] \
                        and ((d.get("metadata") or {}).get("product") or {}).get("uid") == ident["MetadataProductUid"]:
                    return d
            return None

        requests = [("MetadataUid", u, by_uid.get(u)) for u in uids] + \
                   [("FindingIdentifier", i, by_identifier(i)) for i in identifiers]
        keys = [json.dumps(r[1], sort_keys=True) for r in requests]
        processed, unprocessed = [], []
        for (kind, ref, doc), key in zip(requests, keys):
            if keys.count(key) > 1:
                unprocessed.append({kind: ref, "ErrorCode": "ValidationException",
                                    "ErrorMessage": "The finding is named more than once in this request"})
                continue
            if doc is None:
                unprocessed.append({kind: ref, "ErrorCode": "ResourceNotFoundException",
                                    "ErrorMessage": "The finding was not found"})
                continue
            # "Updates from BatchUpdateFindingsV2 don't affect the value of finding_info.modified_time,
            # finding_info.modified_time_dt, time, or time_dt for a finding." (API reference)
            if severity_id is not None:
                doc["severity_id"], doc["severity"] = severity_id, SEVERITIES[severity_id]
            if status_id is not None:
                doc["status_id"], doc["status"] = status_id, STATUSES[status_id]
            if comment is not None:
                doc["comment"] = comment
            processed.append({kind: ref})
            cloud = doc.get("cloud") or {}
            _emit_v2(((cloud.get("account") or {}).get("uid")) or self.current_account,
                     cloud.get("region") or self.region, doc)
        return _ok({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})

    # ---- aggregator --------------------------------------------------------------------------

    def linking(self: SecurityHubResponse, body: dict[str, Any]) -> tuple[str, list[str]]:
        mode, regions = body.get("RegionLinkingMode"), body.get("LinkedRegions") or []
        if mode not in AGGREGATOR_MODES:
            raise _validation(f"RegionLinkingMode must be one of {', '.join(AGGREGATOR_MODES)}")
        if mode == "SPECIFIED_REGIONS" and not 1 <= len(regions) <= 50:
            raise _validation("SPECIFIED_REGIONS needs 1 to 50 LinkedRegions")
        if mode == "ALL_REGIONS" and regions:
            raise _validation("LinkedRegions must be empty with ALL_REGIONS")
        unknown = [r for r in regions if r not in _all_regions(self.current_account)]
        if unknown:
            raise _validation(f"Unknown Regions: {', '.join(unknown)}")
        return mode, list(dict.fromkeys(regions))

    def aggregator_shape(aggregator: dict[str, Any]) -> dict[str, Any]:
        return {k: aggregator[k] for k in ("AggregatorV2Arn", "AggregationRegion", "RegionLinkingMode", "LinkedRegions")}

    def named_aggregator(self: SecurityHubResponse) -> dict[str, Any]:
        arn = self._get_param("AggregatorV2Arn")
        if not arn or not AGGREGATOR_ARN.match(arn):
            raise _validation(f"{arn!r} is not an aggregator V2 ARN")
        aggregator = _aggregator(self.current_account)
        if not aggregator or aggregator["AggregatorV2Arn"] != arn:
            raise _not_found(f"The aggregator {arn} does not exist in this account.")
        return aggregator

    def create_aggregator_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        body = params(self)
        mode, regions = linking(self, body)
        existing = _aggregator(self.current_account)
        if existing:
            raise _conflict(f"An aggregator V2 already exists for this account: {existing['AggregatorV2Arn']}")
        backend.vigil_aggregator_v2 = {
            "AggregatorV2Arn": f"arn:{get_partition(self.region)}:securityhub:{self.region}:{self.current_account}:aggregatorv2/{uuid.uuid4()}",
            "AggregationRegion": self.region, "RegionLinkingMode": mode, "LinkedRegions": regions,
        }
        return _ok(aggregator_shape(backend.vigil_aggregator_v2))

    def get_aggregator_v2(self: SecurityHubResponse) -> Response:
        require_hub(self)
        return _ok(aggregator_shape(named_aggregator(self)))

    def update_aggregator_v2(self: SecurityHubResponse) -> Response:
        require_hub(self)
        aggregator = named_aggregator(self)
        if aggregator["AggregationRegion"] != self.region:
            raise _validation(f"Update the aggregator from its home Region {aggregator['AggregationRegion']}")
        mode, regions = linking(self, params(self))
        aggregator.update(RegionLinkingMode=mode, LinkedRegions=regions)
        return _ok(aggregator_shape(aggregator))

    def delete_aggregator_v2(self: SecurityHubResponse) -> Response:
        require_hub(self)
        aggregator = named_aggregator(self)
        if aggregator["AggregationRegion"] != self.region:
            raise _validation(f"Delete the aggregator from its home Region {aggregator['AggregationRegion']}")
        self.securityhub_backend.vigil_aggregator_v2 = None
        return _ok({})

    def list_aggregators_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        size = _max_results(query(self, "MaxResults"), 100, 100)
        aggregator = _aggregator(self.current_account)
        items = [{"AggregatorV2Arn": aggregator["AggregatorV2Arn"]}] if aggregator else []
        page, token = _page(backend, "ListAggregatorsV2", items, query(self, "NextToken"), size)
        answer: dict[str, Any] = {"AggregatorsV2": page}
        if token:
            answer["NextToken"] = token
        return _ok(answer)

    # ---- connectors and tickets --------------------------------------------------------------

    def create_connector_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        body = params(self)
        name, provider = body.get("Name"), body.get("Provider") or {}
        if not isinstance(name, str) or not name.strip():
            raise _validation("Name is required")
        stored = _connectors(backend)
        token = body.get("ClientToken")
        if token:
            for c in stored.values():
                if c.get("ClientToken") == token:
                    return _ok(created_shape(c))
        if len(provider) != 1:
            raise _validation("Provider takes exactly one of JiraCloud, ServiceNow, Azure, GCP")
        if any(c["Name"] == name for c in stored.values()):
            raise _conflict(f"A connector named {name!r} already exists")
        ident = str(uuid.uuid4())
        connector: dict[str, Any] = {
            "ConnectorId": ident,
            "ConnectorArn": f"arn:{get_partition(self.region)}:securityhub:{self.region}:{self.current_account}:connectorv2/{ident}",
            "Name": name, "Description": body.get("Description"), "KmsKeyArn": body.get("KmsKeyArn"),
            "Tags": body.get("Tags") or {}, "ClientToken": token, "CreatedAt": _now_iso(), "Tickets": 0,
        }
        if "JiraCloud" in provider:
            key = (provider["JiraCloud"] or {}).get("ProjectKey")
            if not key:
                raise _validation("JiraCloud.ProjectKey is required")
            state = uuid.uuid4().hex
            connector.update(ProviderName="JIRA_CLOUD", ProjectKey=key, ConnectorStatus="PENDING_AUTHORIZATION",
                             AuthState=state, CloudId=None, Domain=None,
                             AuthUrl=f"https://auth.atlassian.com/authorize?audience=api.atlassian.com&response_type=code&prompt=consent&state={state}")
        elif "ServiceNow" in provider:
            sn = provider["ServiceNow"] or {}
            if not sn.get("InstanceName") or not sn.get("SecretArn"):
                raise _validation("ServiceNow needs InstanceName and SecretArn")
            connector.update(ProviderName="SERVICENOW", InstanceName=sn["InstanceName"], SecretArn=sn["SecretArn"],
                             ConnectorStatus="CONNECTED", AuthUrl=None)
        else:
            raise _validation(f"Provider {next(iter(provider))} is not implemented by the Vigil test server (JiraCloud, ServiceNow are)")
        connector["LastUpdatedAt"] = connector["CreatedAt"]
        stored[ident] = connector
        return _ok(created_shape(connector))

    def created_shape(c: dict[str, Any]) -> dict[str, Any]:
        shape = {"ConnectorArn": c["ConnectorArn"], "ConnectorId": c["ConnectorId"], "AuthUrl": c.get("AuthUrl"),
                 "ConnectorStatus": c["ConnectorStatus"], "EnablementStatus": "ENABLED"}
        return {k: v for k, v in shape.items() if v is not None}

    def register_connector_v2(self: SecurityHubResponse) -> Response:
        """Completes a Jira Cloud connector's OAuth flow: AuthState is the `state` of its AuthUrl."""
        backend = require_hub(self)
        body = params(self)
        if not body.get("AuthCode") or not body.get("AuthState"):
            raise _validation("AuthCode and AuthState are required")
        for c in _connectors(backend).values():
            if c.get("AuthState") == body["AuthState"]:
                c.update(ConnectorStatus="CONNECTED", CloudId=str(uuid.uuid4()), Domain="vigil-test.atlassian.net",
                         LastUpdatedAt=_now_iso())
                return _ok({"ConnectorArn": c["ConnectorArn"], "ConnectorId": c["ConnectorId"]})
        raise _not_found("No connector is waiting for this AuthState")

    def connector_named(self: SecurityHubResponse, backend: Any, ident: Any) -> dict[str, Any]:
        c = _connectors(backend).get(ident) if isinstance(ident, str) else None
        if not c:
            raise _not_found(f"Connector {ident} does not exist")
        return c

    def get_connector_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        c = connector_named(self, backend, self._get_param("ConnectorId"))
        answer = {
            "ConnectorArn": c["ConnectorArn"], "ConnectorId": c["ConnectorId"], "Name": c["Name"],
            "Description": c.get("Description"), "KmsKeyArn": c.get("KmsKeyArn"),
            "CreatedAt": c["CreatedAt"], "LastUpdatedAt": c["LastUpdatedAt"],
            "Health": {"ConnectorStatus": c["ConnectorStatus"], "LastCheckedAt": c["LastUpdatedAt"]},
            "ProviderDetail": _provider_detail(c), "EnablementStatus": "ENABLED",
        }
        return _ok({k: v for k, v in answer.items() if v is not None})

    def list_connectors_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        size = _max_results(query(self, "MaxResults"), 100, 100)
        provider, status, enablement = query(self, "ProviderName"), query(self, "ConnectorStatus"), query(self, "EnablementStatus")
        items = [_connector_summary(c) for c in _connectors(backend).values()
                 if provider in (None, c["ProviderName"]) and status in (None, c["ConnectorStatus"])
                 and enablement in (None, "ENABLED")]
        page, token = _page(backend, "ListConnectorsV2", items, query(self, "NextToken"), size)
        answer: dict[str, Any] = {"Connectors": page}
        if token:
            answer["NextToken"] = token
        return _ok(answer)

    def delete_connector_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        c = connector_named(self, backend, self._get_param("ConnectorId"))
        del _connectors(backend)[c["ConnectorId"]]
        return _ok({})

    def create_ticket_v2(self: SecurityHubResponse) -> Response:
        backend = require_hub(self)
        body = params(self)
        if not body.get("ConnectorId") or not body.get("FindingMetadataUid"):
            raise _validation("ConnectorId and FindingMetadataUid are required")
        mode = body.get("Mode")
        if mode not in (None, "DRYRUN"):
            raise _validation("Mode must be DRYRUN")
        token = body.get("ClientToken")
        if token:
            for t in _tickets(backend):
                if t.get("ClientToken") == token:
                    return _ok({"TicketId": t["TicketId"], "TicketSrcUrl": t["TicketSrcUrl"]})
        c = connector_named(self, backend, body["ConnectorId"])
        if c["ConnectorStatus"] != "CONNECTED":
            raise _conflict(f"Connector {c['ConnectorId']} is {c['ConnectorStatus']}, not CONNECTED")
        if mode != "DRYRUN" and not any(d["metadata"]["uid"] == body["FindingMetadataUid"]
                                        for d in _visible(self.current_account, self.region)):
            raise _not_found(f"Finding {body['FindingMetadataUid']} was not found")
        c["Tickets"] += 1
        if c["ProviderName"] == "JIRA_CLOUD":
            ticket_id = f"{c['ProjectKey']}-{c['Tickets']}"
            url = f"https://{c['Domain']}/browse/{ticket_id}"
        else:
            ticket_id = f"INC{c['Tickets']:07d}"
            url = f"https://{c['InstanceName']}.service-now.com/nav_to.do?uri=incident.do?sysparm_query=number={ticket_id}"
        _tickets(backend).append({"TicketId": ticket_id, "TicketSrcUrl": url, "ConnectorId": c["ConnectorId"],
                                  "FindingMetadataUid": body["FindingMetadataUid"], "Mode": mode,
                                  "ClientToken": token, "CreatedAt": _now_iso()})
        return _ok({"TicketId": ticket_id, "TicketSrcUrl": url})

    # ---- test tooling ------------------------------------------------------------------------

    def seed_findings(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """POST {"account"?, "region"?, "findings": [OCSF finding]}; answers {"count", "metadata_uids"}.
        A finding whose metadata.uid is already stored in that account and Region replaces it."""
        json_type = {"Content-Type": "application/json"}
        if request.method != "POST":
            return 405, json_type, json.dumps({"error": "POST only"})
        try:
            body = json.loads(request.get_data() or b"{}")
            if not isinstance(body, dict) or not isinstance(body.get("findings"), list):
                raise ValueError('"findings" must be a list of OCSF findings')
            account = str(body.get("account") or DEFAULT_ACCOUNT)
            region = str(body.get("region") or DEFAULT_REGION)
            if not re.fullmatch(r"\d{12}", account):
                raise ValueError(f"account {account!r} is not a 12-digit account id")
            if region not in _all_regions(account):
                raise ValueError(f"region {region!r} is not a Security Hub Region")
            docs = [_normalise_seed(d, account, region) for d in body["findings"]]
        except (ValueError, AttributeError, TypeError) as err:
            return 400, json_type, json.dumps({"error": str(err)})
        store = _findings(_backend(account, region))
        for doc in docs:
            store[doc["metadata"]["uid"]] = doc
            _emit_v2(account, region, doc)
        return 200, json_type, json.dumps({"count": len(docs), "metadata_uids": [d["metadata"]["uid"] for d in docs]})

    def list_tickets(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
        """GET ?account=&region= (defaults 123456789012, us-east-1): {"tickets": [...]}, oldest first."""
        q = parse_qs(urlparse(full_url).query)
        account = (q.get("account") or [DEFAULT_ACCOUNT])[0]
        region = (q.get("region") or [DEFAULT_REGION])[0]
        backend = _backends(account).get(region)
        tickets = [{k: v for k, v in t.items() if v is not None} for t in (_tickets(backend) if backend else [])]
        return 200, {"Content-Type": "application/json"}, json.dumps({"tickets": tickets})

    for method in (enable_security_hub_v2, describe_security_hub_v2, disable_security_hub_v2, get_findings_v2,
                   get_finding_statistics_v2, get_findings_trends_v2, batch_update_findings_v2, create_aggregator_v2,
                   get_aggregator_v2, update_aggregator_v2, delete_aggregator_v2, list_aggregators_v2,
                   create_connector_v2, register_connector_v2, get_connector_v2, list_connectors_v2,
                   delete_connector_v2, create_ticket_v2):
        setattr(SecurityHubResponse, method.__name__, method)
    api_urls.url_paths["{0}/moto-api/vigil/securityhub-v2-findings$"] = seed_findings
    api_urls.url_paths["{0}/moto-api/vigil/securityhub-v2-tickets$"] = list_tickets
