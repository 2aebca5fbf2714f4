"""Vigil's moto extension: CloudWatch (GetMetricData, PutMetricData, ListMetrics), in all three of the
protocols botocore's ``cloudwatch/2010-08-01`` model lists: ``smithy-rpc-v2-cbor`` (what the AWS SDK
for Rust speaks), ``json`` (awsJson1_0, what boto3 1.44 picks) and ``query``.

Smithy RPC v2 CBOR: ``POST /service/GraniteServiceVersion20100801/operation/<Op>`` with headers
``smithy-protocol: rpc-v2-cbor``, ``Content-Type: application/cbor`` and a CBOR body (optionally
``Content-Encoding: gzip``). moto 5.2.5 answers such a path 404; this module routes it to moto's own
CloudWatch handlers by transcoding: the CBOR input becomes the awsJson document (tag-1 timestamps as
epoch seconds, byte strings as base64), moto's JSON answer becomes CBOR guided by the operation's
output shape (timestamps as tag 1 around a float64, doubles as float64: the Rust SDK's decoder reads
both with ``f64()``, which refuses integers). Answers carry ``smithy-protocol: rpc-v2-cbor``;
errors are ``{"__type": "com.amazonaws.cloudwatch#<Shape>", "message"}`` with the model's status and
``x-amzn-query-error: <Code>;Sender`` (the service is awsQueryCompatible). Every CloudWatch operation
moto serves is reachable this way; the three below are the ones reworked.

Added or changed (every protocol):
  GetMetricData  at most 500 MetricDataQueries (else ValidationError), Ids unique and starting with
                 a lowercase letter, MetricStat with Stat Sum/Average/Maximum/Minimum/SampleCount or
                 pNN, Period 1/5/10/20/30/60 or a multiple of 60; StartTime rounded down as the
                 reference says, periods counted from it; a metric matches on namespace, name and its
                 exact set of dimensions (moto drops the namespace once dimensions are given); Label
                 defaults to the metric name; ScanBy (default TimestampDescending); MaxDatapoints
                 (default 100,800) and NextToken paging, StatusCode PartialData while a query has
                 points on later pages; a NextToken not handed out is InvalidNextToken
  ListMetrics    each metric once (moto repeats one per datapoint), Dimensions filters (Name,
                 optional Value), RecentlyActive PT3H, 500 per page with NextToken,
                 IncludeLinkedAccounts -> OwningAccounts
  PutMetricData  moto's, reachable over CBOR (gzip bodies too)
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import math
import re
import uuid
from typing import Any

from ._common import _state

CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/"
TARGET_PREFIX = "GraniteServiceVersion20100801"
SHAPE_NAMESPACE = "com.amazonaws.cloudwatch"
MAX_QUERIES = 500
DEFAULT_MAX_DATAPOINTS = 100_800
LIST_METRICS_PAGE = 500
STATS = ("Sum", "Average", "Maximum", "Minimum", "SampleCount")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _round_start(start: dt.datetime, period: int, now: dt.datetime) -> dt.datetime:
    """StartTime as CloudWatch rounds it (GetMetricData reference): down to the minute if less than
    15 days ago, to 5 minutes up to 63 days, to the hour beyond; a sub-minute Period rounds down to
    a whole multiple of it within the minute."""
    age = now - start
    if period < 60:
        return start.replace(second=start.second - start.second % period, microsecond=0)
    start = start.replace(second=0, microsecond=0)
    if age > dt.timedelta(days=63):
        return start.replace(minute=0)
    if age > dt.timedelta(days=15):
        return start.replace(minute=start.minute - start.minute % 5)
    return start


def _percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _cbor_to_json(value: Any) -> Any:
    """A decoded CBOR input as the awsJson document moto's JSON parser reads."""
    import cbor2

    if isinstance(value, dict):
        return {str(k): _cbor_to_json(v) for k, v in value.items() if v is not None and v is not cbor2.undefined}
    if isinstance(value, list):
        return [_cbor_to_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return _aware(value).timestamp()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, cbor2.CBORTag):
        return _cbor_to_json(value.value)
    return value


def _json_to_cbor(shape: Any, value: Any) -> Any:
    """moto's awsJson answer as the CBOR data items Smithy RPC v2 wants for `shape`."""
    import cbor2

    kind = shape.type_name
    if kind == "structure":
        return {name: _json_to_cbor(shape.members[name], v) for name, v in (value or {}).items()
                if name in shape.members and v is not None}
    if kind == "list":
        return [_json_to_cbor(shape.member, v) for v in value or []]
    if kind == "map":
        return {str(k): _json_to_cbor(shape.value, v) for k, v in (value or {}).items()}
    if kind == "timestamp":
        if isinstance(value, str):
            try:
                seconds = float(value)
            except ValueError:
                seconds = _aware(dt.datetime.fromisoformat(value.replace("Z", "+00:00"))).timestamp()
        else:
            seconds = float(value)
        return cbor2.CBORTag(1, float(seconds))
    if kind in ("double", "float"):
        return float(value)
    if kind in ("integer", "long", "short", "byte"):
        return int(value)
    if kind == "boolean":
        return bool(value)
    if kind == "blob":
        return base64.b64decode(value) if isinstance(value, str) else bytes(value)
    return value


def install() -> None:
    import cbor2
    from moto.cloudwatch import urls
    from moto.cloudwatch.exceptions import CloudWatchException, InvalidParameterValue, ValidationError
    from moto.cloudwatch.models import MetricDatum, Statistics
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.core.request import Request
    from moto.core.responses import ActionResult
    from moto.core.utils import get_service_model

    class InvalidNextToken(CloudWatchException):
        code = "InvalidNextToken"

    def tokens(self: CloudWatchResponse, name: str) -> dict[str, Any]:
        """NextToken -> what it continues, on the account's CloudWatch backend for the Region."""
        return _state(self.cloudwatch_backend, name, dict)

    def dims_of(datum: Any) -> frozenset[tuple[str, str]]:
        return frozenset((d.name, d.value) for d in datum.dimensions)

    # ---- GetMetricData --------------------------------------------------------------------------

    def statistic(stat: str, data: list[Any]) -> float | None:
        if re.fullmatch(r"p\d{1,2}(\.\d{1,2})?|p100", stat):
            return _percentile([d.value for d in data if isinstance(d, MetricDatum)], float(stat[1:]))
        stats = Statistics([stat], data[0].timestamp)
        stats.metric_data = data
        value = stats.get_statistics_for_type(stat)
        return None if value is None else float(value)

    def validate_queries(queries: list[dict[str, Any]]) -> None:
        if len(queries) > MAX_QUERIES:
            raise ValidationError(f"The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}.")
        seen: set[str] = set()
        for n, query in enumerate(queries, 1):
            query_id = query.get("Id") or ""
            if not re.fullmatch(r"[a-z][a-zA-Z0-9_]{0,254}", query_id):
                raise ValidationError(f"The value {query_id} for parameter MetricDataQueries.member.{n}.Id is invalid: "
                                      "it must start with a lowercase letter and contain only letters, numbers and underscores.")
            if query_id in seen:
                raise ValidationError(f"The value {query_id} for parameter MetricDataQueries.member.{n}.Id is not unique.")
            seen.add(query_id)
            if ("MetricStat" in query) == ("Expression" in query):
                raise ValidationError(f"Exactly one of MetricDataQueries.member.{n}.MetricStat and "
                                      f"MetricDataQueries.member.{n}.Expression must be given.")
            stat = query.get("MetricStat")
            if stat:
                period = int(stat.get("Period") or 0)
                if period < 1 or (period >= 60 and period % 60) or (period < 60 and period not in (1, 5, 10, 20, 30)):
                    raise ValidationError(f"The parameter MetricDataQueries.member.{n}.MetricStat.Period must be 1, 5, "
                                          "10, 20, 30, 60 or a multiple of 60.")
                name = stat.get("Stat")
                if name not in STATS and not re.fullmatch(r"p\d{1,2}(\.\d{1,2})?|p100", str(name)):
                    raise ValidationError(f"The value {name} for parameter MetricDataQueries.member.{n}.MetricStat.Stat "
                                          "is not supported by this server (Sum, Average, Maximum, Minimum, SampleCount, pNN).")

    def series(self: CloudWatchResponse, query: dict[str, Any], start: dt.datetime, end: dt.datetime,
               data: list[Any], now: dt.datetime) -> dict[str, Any]:
        stat = query["MetricStat"]
        metric = stat["Metric"]
        period = int(stat["Period"])
        first = _round_start(start, period, now)
        wanted = frozenset((d["Name"], d["Value"]) for d in metric.get("Dimensions") or [])
        buckets: dict[int, list[Any]] = {}
        for datum in data:
            if datum.namespace != metric.get("Namespace") or datum.name != metric.get("MetricName"):
                continue
            if dims_of(datum) != wanted or (stat.get("Unit") and datum.unit != stat["Unit"]):
                continue
            when = _aware(datum.timestamp)
            if first <= when < end:
                buckets.setdefault(int((when - first).total_seconds() // period), []).append(datum)
        points = []
        for index in sorted(buckets):
            value = statistic(stat["Stat"], buckets[index])
            if value is not None:
                points.append((first + dt.timedelta(seconds=index * period), value))
        return {"Id": query["Id"], "Label": query.get("Label") or metric.get("MetricName"), "points": points}

    def get_metric_data(self: CloudWatchResponse) -> ActionResult:
        params = self._get_params()
        queries = params.get("MetricDataQueries") or []
        validate_queries(queries)
        start, end = _aware(params["StartTime"]), _aware(params["EndTime"])
        if start >= end:
            raise ValidationError("The parameter StartTime must be less than the parameter EndTime.")
        scan_by = params.get("ScanBy") or "TimestampDescending"
        if scan_by not in ("TimestampDescending", "TimestampAscending"):
            raise ValidationError(f"The value {scan_by} for parameter ScanBy is not valid.")
        max_points = params.get("MaxDatapoints") or DEFAULT_MAX_DATAPOINTS
        if int(max_points) < 1:
            raise ValidationError("The parameter MaxDatapoints must be greater than 0.")
        now = dt.datetime.now(dt.timezone.utc)
        data = self.cloudwatch_backend.get_all_metrics()
        computed = {q["Id"]: series(self, q, start, end, data, now) for q in queries if "MetricStat" in q}
        # Metric math: moto's own (an expression naming another query's Id); Metrics Insights
        # (SELECT ...): moto's own backend.
        moto_results = [{"id": r["Id"], "label": r["Label"], "values": [v for _, v in r["points"]],
                         "timestamps": [t for t, _ in r["points"]]} for r in computed.values()]
        from moto.cloudwatch.metric_data_expression_parser import parse_expression

        for query in queries:
            expression = query.get("Expression")
            if expression is None:
                continue
            if expression.startswith("SELECT"):
                result = self.cloudwatch_backend.get_metric_data(queries=[query], start_time=start, end_time=end,
                                                                 scan_by="TimestampAscending")[0]
                values, stamps = result["values"], result["timestamps"]
            else:
                values, stamps = parse_expression(expression, moto_results)
            computed[query["Id"]] = {"Id": query["Id"], "Label": query.get("Label") or query["Id"],
                                     "points": sorted(((_aware(t), float(v)) for t, v in zip(stamps, values)), key=lambda p: p[0])}
        returned = [computed[q["Id"]] for q in queries if q.get("ReturnData", True)]
        for result in returned:
            if scan_by == "TimestampDescending":
                result["points"].reverse()

        # Paging: the points of every returned query, in query order, MaxDatapoints at a time.
        offset = 0
        token = params.get("NextToken")
        if token:
            if token not in tokens(self, "vigil_metric_data_tokens"):
                raise InvalidNextToken("The service returned an invalid NextToken: it was not handed out by this server.")
            offset = tokens(self, "vigil_metric_data_tokens").pop(token)
        total = sum(len(r["points"]) for r in returned)
        page_end = min(offset + int(max_points), total)
        results, position = [], 0
        for result in returned:
            points = result["points"]
            lo, hi = max(offset - position, 0), min(page_end - position, len(points))
            position += len(points)
            if hi <= lo and offset > 0:
                continue  # every point of it on an earlier page, or none on this one
            chosen = points[lo:hi] if hi > lo else []
            results.append({"Id": result["Id"], "Label": result["Label"],
                            "Timestamps": [t for t, _ in chosen], "Values": [v for _, v in chosen],
                            "StatusCode": "PartialData" if max(hi, 0) < len(points) else "Complete"})
        answer: dict[str, Any] = {"MetricDataResults": results, "Messages": []}
        if page_end < total:
            next_token = f"gmd-{uuid.uuid4()}"
            tokens(self, "vigil_metric_data_tokens")[next_token] = page_end
            answer["NextToken"] = next_token
        return ActionResult(answer)

    # ---- ListMetrics ----------------------------------------------------------------------------

    def list_metrics(self: CloudWatchResponse) -> ActionResult:
        params = self._get_params()
        namespace, name = params.get("Namespace"), params.get("MetricName")
        filters = params.get("Dimensions") or []
        recently = params.get("RecentlyActive")
        if recently not in (None, "PT3H"):
            raise InvalidParameterValue(f"The value {recently} for parameter RecentlyActive is invalid.")
        since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=3) if recently else None
        seen: dict[tuple[str, str, frozenset[tuple[str, str]]], list[dict[str, str]]] = {}
        for datum in self.cloudwatch_backend.get_all_metrics():
            if namespace and datum.namespace != namespace or name and datum.name != name:
                continue
            dims = dims_of(datum)
            if any(not any(n == f.get("Name") and (f.get("Value") is None or v == f["Value"]) for n, v in dims) for f in filters):
                continue
            if since and _aware(datum.timestamp) < since:
                continue
            # Dimensions in the order of the first datum put.
            seen.setdefault((datum.namespace, datum.name, dims), [{"Name": d.name, "Value": d.value} for d in datum.dimensions])
        metrics = [{"Namespace": key[0], "MetricName": key[1], "Dimensions": seen[key]}
                   for key in sorted(seen, key=lambda k: (k[0], k[1], sorted(k[2])))]
        token = params.get("NextToken")
        start = 0
        if token:
            if not (token.startswith("lm-") and token[3:].isdigit() and int(token[3:]) <= len(metrics)):
                raise InvalidParameterValue("Request parameter NextToken is invalid")
            start = int(token[3:])
        page = metrics[start:start + LIST_METRICS_PAGE]
        answer: dict[str, Any] = {"Metrics": page}
        if params.get("IncludeLinkedAccounts"):
            answer["OwningAccounts"] = [self.current_account] * len(page)
        if start + LIST_METRICS_PAGE < len(metrics):
            answer["NextToken"] = f"lm-{start + LIST_METRICS_PAGE}"
        return ActionResult(answer)

    # ---- Smithy RPC v2 CBOR ---------------------------------------------------------------------

    def cbor_error(status: int, shape: str, message: str, code: str | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"}
        if code:
            headers["x-amzn-query-error"] = f"{code};Sender"
        return status, headers, cbor2.dumps({"__type": f"{SHAPE_NAMESPACE}#{shape}", "message": message})

    def rpc_v2_cbor(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        operation_name = request.path.rsplit("/", 1)[-1]
        service_model = get_service_model("cloudwatch")
        if request.method != "POST":
            return cbor_error(405, "UnknownOperationException", "RPC v2 CBOR operations are POST requests")
        if operation_name not in service_model.operation_names:
            return cbor_error(404, "UnknownOperationException", f"Unknown operation {operation_name}")
        operation = service_model.operation_model(operation_name)
        raw = request.get_data()
        if "gzip" in (request.headers.get("Content-Encoding") or "").lower():
            raw = gzip.decompress(raw)
        try:
            document = _cbor_to_json(cbor2.loads(raw)) if raw else {}
        except Exception as err:  # noqa: BLE001 - any decoding failure is the client's
            return cbor_error(400, "SerializationException", f"The request body is not CBOR: {err}")
        inner_headers = {k: v for k, v in request.headers.items()
                         if k.lower() not in ("content-type", "content-length", "content-encoding", "smithy-protocol", "accept")}
        inner_headers.update({"X-Amz-Target": f"{TARGET_PREFIX}.{operation_name}",
                              "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-mode": "true"})
        inner = Request.from_primitives("POST", request.host_url, inner_headers, json.dumps(document).encode())
        inner.from_wsgi_server = getattr(request, "from_wsgi_server", False)
        status, answer_headers, body = CloudWatchResponse.dispatch(inner, inner.raw_url, inner.headers)
        status = int(status)
        out = {k: str(v) for k, v in answer_headers.items()
               if k.lower() not in ("content-type", "content-length", "status", "x-amzn-errortype", "server", "date")}
        out["smithy-protocol"] = "rpc-v2-cbor"
        text = body.decode() if isinstance(body, bytes) else (body or "")
        parsed = json.loads(text) if text.strip() else {}
        if status >= 300:
            error_type = str(parsed.get("__type") or "InternalFailure").split("#")[-1]
            message = parsed.get("message") or parsed.get("Message") or ""
            out["Content-Type"] = "application/cbor"
            return status, out, cbor2.dumps({"__type": f"{SHAPE_NAMESPACE}#{error_type}", "message": message})
        # No output shape (PutMetricData): an empty CBOR map, which clients accept ("Clients should
        # accept a CBOR empty struct if there is no output", Smithy's rpcv2Cbor protocol tests); an
        # empty body would get the web framework's default text/html Content-Type.
        out["Content-Type"] = "application/cbor"
        if operation.output_shape is None:
            return status, out, cbor2.dumps({})
        return status, out, cbor2.dumps(_json_to_cbor(operation.output_shape, parsed))

    CloudWatchResponse.get_metric_data = get_metric_data
    CloudWatchResponse.list_metrics = list_metrics
    urls.url_paths["{0}" + CBOR_PATH + "(?P<operation>[A-Za-z]+)$"] = rpc_v2_cbor
