"""Vigil's moto extension: Security Hub."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Callable

from moto.core.exceptions import JsonRESTError
from ._common import BadRequest, _now_iso, _page, _parse_time, _state  # noqa: F401

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


def _emit_imported(account: str, region: str, finding: dict[str, Any]) -> None:
    """Security Hub CSPM's "Security Hub Findings - Imported" event for a finding created or
    changed in `region`: there, and in the aggregation Region where an aggregator links it."""
    from . import events

    resource = f"{finding.get('ProductArn', '')}/{finding.get('Id', '')}"
    regions = [region]
    aggregator = _finding_aggregator(account)
    if aggregator and region in _linked_regions(account, aggregator):
        regions.append(aggregator["FindingAggregationRegion"])
    for target in regions:
        events.emit(account, target, "aws.securityhub", events.CSPM_IMPORTED, {"findings": [finding]}, [resource])


def _aggregator_shape(aggregator: dict[str, Any]) -> dict[str, Any]:
    """Create/Get/UpdateFindingAggregatorResponse: Regions only when there are some."""
    return {k: v for k, v in aggregator.items() if v not in (None, [])}


def _install_securityhub() -> None:
    from moto.securityhub import urls
    from moto.securityhub.exceptions import SecurityHubClientError
    from moto.securityhub.responses import SecurityHubResponse

    for path in ("standards/register", "standards/get", "standards", "securityControls/definitions",
                 "associations/batchGet", "associations", "findings/batchupdate", "findingAggregator/list",
                 "findingAggregator/create", "findingAggregator/update", "automationrules/create",
                 "automationrules/list", "automationrules/delete", "automationrules/get"):
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
            _emit_imported(self.current_account, self.region, data)
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
                accepted.append(apply_automation_rules(self, normalised))
            except ValueError as e:
                failed.append({"Id": finding.get("Id", ""), "ErrorCode": "InvalidInput", "ErrorMessage": str(e)})
        failed_count, success_count, moto_failed = self.securityhub_backend.batch_import_findings(findings=accepted)
        refused = {f.get("Id") for f in moto_failed}
        for finding in accepted:
            if finding.get("Id") not in refused:
                _emit_imported(self.current_account, self.region, finding)
        failed.extend({"Id": f.get("Id"), "ErrorCode": f.get("ErrorCode"), "ErrorMessage": f.get("ErrorMessage")} for f in moto_failed)
        return json.dumps({"FailedCount": len(failed), "FailedFindings": failed, "SuccessCount": success_count})

    # Automation rules (API reference: CreateAutomationRule, ListAutomationRules,
    # BatchGetAutomationRules, BatchDeleteAutomationRules; user guide "Understanding automation
    # rules in Security Hub CSPM"): rules of the account and Region, applied in RuleOrder to the
    # findings BatchImportFindings creates or updates (not to those already there).
    def automation_rules(self: SecurityHubResponse) -> dict[str, dict[str, Any]]:
        return _state(self.securityhub_backend, "vigil_automation_rules", dict)

    def create_automation_rule(self: SecurityHubResponse) -> str:
        require_hub(self)
        for field in ("RuleOrder", "RuleName", "Description", "Criteria", "Actions"):
            if self._get_param(field) is None:
                raise _invalid(f"{field} is required")
        order = self._get_param("RuleOrder")
        if not 1 <= order <= 1000:
            raise _invalid("RuleOrder must be from 1 to 1000")
        name, description = self._get_param("RuleName"), self._get_param("Description")
        if not 1 <= len(name) <= 256 or not 1 <= len(description) <= 1024:
            raise _invalid("RuleName is 1 to 256 characters and Description 1 to 1024")
        status = self._get_param("RuleStatus") or "ENABLED"
        if status not in ("ENABLED", "DISABLED"):
            raise _invalid("RuleStatus must be ENABLED or DISABLED")
        criteria = self._get_param("Criteria")
        for field, conditions in criteria.items():
            if field not in STRING_FILTERS:
                raise _invalid(f"Criteria.{field} is not supported by this test server")
            if not 1 <= len(conditions) <= 20:
                raise _invalid(f"Criteria.{field} takes 1 to 20 values")
        actions = self._get_param("Actions")
        if len(actions) != 1 or actions[0].get("Type") != "FINDING_FIELDS_UPDATE":
            raise _invalid("Actions holds one action of Type FINDING_FIELDS_UPDATE")
        update = actions[0].get("FindingFieldsUpdate") or {}
        status_to = (update.get("Workflow") or {}).get("Status")
        if status_to is not None and status_to not in WORKFLOW_STATUSES:
            raise _invalid(f"Workflow.Status must be one of {', '.join(WORKFLOW_STATUSES)}")
        note = update.get("Note")
        if note is not None and not (note.get("Text") and note.get("UpdatedBy") and len(note["Text"]) <= 512):
            raise _invalid("Note requires Text (at most 512 characters) and UpdatedBy")
        rules = automation_rules(self)
        if len(rules) >= 100:
            raise BadRequest("LimitExceededException", "an account has at most 100 automation rules per Region")
        arn = f"arn:aws:securityhub:{self.region}:{self.current_account}:automation-rule/{uuid.uuid4()}"
        now = _now_iso()
        rules[arn] = {
            "RuleArn": arn, "RuleStatus": status, "RuleOrder": order, "RuleName": name, "Description": description,
            "IsTerminal": bool(self._get_param("IsTerminal")), "Criteria": criteria, "Actions": actions,
            "CreatedAt": now, "UpdatedAt": now, "CreatedBy": f"arn:aws:iam::{self.current_account}:root",
        }
        return json.dumps({"RuleArn": arn})

    def list_automation_rules(self: SecurityHubResponse) -> str:
        require_hub(self)
        max_results = int(self._get_param("MaxResults") or 100)
        if not 1 <= max_results <= 100:
            raise _invalid("MaxResults must be a number between 1 and 100")
        metadata = [{k: v for k, v in rule.items() if k not in ("Criteria", "Actions")}
                    for rule in sorted(automation_rules(self).values(), key=lambda r: (r["RuleOrder"], r["CreatedAt"]))]
        page, token = _page(metadata, self._get_param("NextToken"), max_results)
        body: dict[str, Any] = {"AutomationRulesMetadata": page}
        if token:
            body["NextToken"] = token
        return json.dumps(body)

    def rule_arns(self: SecurityHubResponse) -> list[str]:
        arns = self._get_param("AutomationRulesArns") or []
        if not 1 <= len(arns) <= 100:
            raise _invalid("AutomationRulesArns must hold 1 to 100 ARNs")
        return arns

    def batch_get_automation_rules(self: SecurityHubResponse) -> str:
        require_hub(self)
        rules = automation_rules(self)
        found = [rules[a] for a in rule_arns(self) if a in rules]
        missing = [{"RuleArn": a, "ErrorCode": 404, "ErrorMessage": "Automation rule not found"}
                   for a in rule_arns(self) if a not in rules]
        return json.dumps({"Rules": found, "UnprocessedAutomationRules": missing})

    def batch_delete_automation_rules(self: SecurityHubResponse) -> str:
        require_hub(self)
        rules = automation_rules(self)
        processed, unprocessed = [], []
        for arn in rule_arns(self):
            if rules.pop(arn, None) is None:
                unprocessed.append({"RuleArn": arn, "ErrorCode": 404, "ErrorMessage": "Automation rule not found"})
            else:
                processed.append(arn)
        return json.dumps({"ProcessedAutomationRules": processed, "UnprocessedAutomationRules": unprocessed})

    def apply_automation_rules(self: SecurityHubResponse, finding: dict[str, Any]) -> dict[str, Any]:
        """The enabled rules whose criteria the finding meets, in RuleOrder, until a terminal one."""
        for rule in sorted(automation_rules(self).values(), key=lambda r: r["RuleOrder"]):
            if rule["RuleStatus"] != "ENABLED" or not _finding_matches(finding, rule["Criteria"]):
                continue
            update = rule["Actions"][0].get("FindingFieldsUpdate") or {}
            if (update.get("Workflow") or {}).get("Status"):
                finding["Workflow"] = {**(finding.get("Workflow") or {}), "Status": update["Workflow"]["Status"]}
            if update.get("Note"):
                finding["Note"] = {**update["Note"], "UpdatedAt": _now_iso()}
            if rule["IsTerminal"]:
                break
        return finding

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
    SecurityHubResponse.create_automation_rule = create_automation_rule
    SecurityHubResponse.list_automation_rules = list_automation_rules
    SecurityHubResponse.batch_get_automation_rules = batch_get_automation_rules
    SecurityHubResponse.batch_delete_automation_rules = batch_delete_automation_rules
