"""Vigil's moto extension: Amazon Athena query results, progress and the Glue catalogue's tables.

moto 5.2.5 answers Athena only in the AWS JSON 1.1 protocol (``POST /`` with ``X-Amz-Target``,
what the Rust SDK sends); botocore's current ``athena/2017-05-18`` model is REST-JSON (boto3 sends
``GET /query-executions/{QueryExecutionId}`` and so on), so every path of that model is routed to
moto's ``AthenaResponse`` too (moto resolves the operation by method and path). moto's own methods
are wrapped, not copied. Seeds are server-wide (``POST /moto-api/reset`` or ``DELETE`` forgets
them); what a query answers lives on moto's Athena backend of the account and Region.

Added or changed:
  POST   /moto-api/vigil/athena-results   seeds one result: {"match", "columns", "rows",
         "bytes_scanned", "state", "reason", "running_polls", "queued_polls", "times", "account",
         "region"} (see ``_normalise_seed``); answers {"count": seeds held}; DELETE forgets every
         seed; GET lists them ({"seeds": [...]} with "times_left")
  GET    /moto-api/vigil/athena-queries   {"queries": [{"QueryExecutionId", "QueryString",
         "ExecutionParameters", "WorkGroup", "QueryExecutionContext", "ResultConfiguration",
         "Stopped", "Account", "Region"}]} in start order, every query as the client sent it
         (null where it sent nothing); ?account=&region= narrow it
  StartQueryExecution  the first seed (seeding order) whose "match" is a substring of QueryString
         (and whose account/region, when given, are the caller's) answers the query; none: moto's
         own behaviour (its /moto-api/static/athena/query-results queue)
  GetQueryExecution    a seeded query: QUEUED for "queued_polls" calls, RUNNING for the next
         "running_polls", then the seed's state (FAILED: StateChangeReason and AthenaError);
         CANCELLED once stopped; Statistics.DataScannedInBytes growing to "bytes_scanned", plausible
         non-zero times; every query: WorkGroup "primary" when none was given, EngineVersion; an
         unknown id: InvalidRequestException (moto: 500)
  GetQueryResults      MaxResults 1-1000 (default 1000; outside: InvalidRequestException),
         NextToken (one this server did not hand out for this query: InvalidRequestException);
         a seeded SELECT's first row on the first page is the header row of column names; ColumnInfo
         CatalogName "hive", SchemaName "", TableName "", Name, Label, Type, Precision, Scale,
         Nullable "UNKNOWN", CaseSensitive; a seeded query not SUCCEEDED: InvalidRequestException
         "Query has not yet finished. Current state: <state>" (moto's message); moto's own results
         are paged the same way
  StopQueryExecution   a QUEUED or RUNNING query becomes CANCELLED; a finished one is left alone
         (moto cancels even a SUCCEEDED one); an unknown id: InvalidRequestException
  GetTableMetadata, ListTableMetadata  CatalogName AwsDataCatalog (any case; another catalog:
         MetadataException), read from moto's Glue backend of the same account and Region: Name,
         CreateTime, LastAccessTime, TableType, Columns and PartitionKeys [{Name, Type, Comment}],
         Parameters (the table's, plus location, inputformat, outputformat, serde.serialization.lib
         and serde.param.* from its StorageDescriptor, as Athena shows them); ListTableMetadata's
         Expression (Glue GetTables' pattern), MaxResults 1-50 (default 50), NextToken,
         AttributesToGet; a missing database or table: MetadataException (400)
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import itertools
import json
import os
import re
import secrets
import threading
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

from moto.core.exceptions import JsonRESTError

from ._common import _page, _state

FINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
SEED_KEYS = {"match", "columns", "rows", "bytes_scanned", "state", "reason", "running_polls", "queued_polls",
             "times", "account", "region"}
COLUMN_KEYS = {"Name", "Type", "CatalogName", "SchemaName", "TableName", "Label", "Precision", "Scale", "Nullable",
               "CaseSensitive"}

# Server-wide seeds (the Athena backends are per account and Region), cleared by a reset.
_SEEDS: list[dict[str, Any]] = []
_LOCK = threading.Lock()
_ORDER = itertools.count()

Response = tuple[int, dict[str, str], str]


class AthenaError(JsonRESTError):
    """Athena's error body: {"__type", "Message"} (the model's member is Message)."""

    def __init__(self, error_type: str, message: str, status: int = 400):
        super().__init__(error_type, message)
        self.code = status
        self.description = json.dumps({"__type": error_type, "Message": message})


def _ok(body: dict[str, Any]) -> Response:
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


def _invalid(message: str) -> AthenaError:
    return AthenaError("InvalidRequestException", message)


def _metadata(message: str) -> AthenaError:
    return AthenaError("MetadataException", message)


# --------------------------------------------------------------------------------------------
# seeds


def _normalise_seed(raw: Any) -> dict[str, Any]:
    """A seed as stored. Raises ValueError naming what is wrong.

    match          required string; a query whose QueryString contains it is answered ("" matches all)
    columns        [{"Name", "Type" (default "varchar"), any other ColumnInfo member to override}]
    rows           [[value per column]], each value a string or null; no header row
    bytes_scanned  DataScannedInBytes once finished (default 0)
    state          "SUCCEEDED" (default) or "FAILED" (then "reason", its StateChangeReason, required)
    queued_polls, running_polls  GetQueryExecution calls answering QUEUED, then RUNNING (default 0)
    times          how many queries it answers; null or absent: every one
    account, region  only queries of that account / Region (default: any)
    """
    if not isinstance(raw, dict):
        raise ValueError("the body must be an object {match, columns, rows, ...}")
    unknown = sorted(set(raw) - SEED_KEYS)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; a seed has {', '.join(sorted(SEED_KEYS))}")
    match = raw.get("match")
    if not isinstance(match, str):
        raise ValueError('"match" (a substring of the query text) is required')
    columns = []
    for column in raw.get("columns") or []:
        if not isinstance(column, dict) or not isinstance(column.get("Name"), str) or not column["Name"]:
            raise ValueError('each column must be an object with a "Name"')
        extra = sorted(set(column) - COLUMN_KEYS)
        if extra:
            raise ValueError(f"column {column['Name']}: unknown key(s) {', '.join(extra)}")
        column = dict(column)
        column.setdefault("Type", "varchar")
        columns.append(column)
    rows = raw.get("rows") or []
    if not isinstance(rows, list):
        raise ValueError('"rows" must be a list of rows')
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(columns):
            raise ValueError(f"row {i} must be a list of {len(columns)} values (one per column)")
        for value in row:
            if value is not None and not isinstance(value, str):
                raise ValueError(f"row {i}: {value!r} is not a string or null (Athena's VarCharValue is text)")
    state = raw.get("state") or "SUCCEEDED"
    if state not in ("SUCCEEDED", "FAILED"):
        raise ValueError('"state" must be SUCCEEDED or FAILED')
    reason = raw.get("reason")
    if state == "FAILED" and (not isinstance(reason, str) or not reason):
        raise ValueError('a FAILED seed needs a "reason" (its StateChangeReason)')
    numbers = {}
    for key in ("bytes_scanned", "running_polls", "queued_polls"):
        value = raw.get(key) or 0
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f'"{key}" must be a whole number from 0')
        numbers[key] = value
    times = raw.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise ValueError('"times" must be null or a whole number from 1')
    for key in ("account", "region"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ValueError(f'"{key}" must be a string')
    return {"match": match, "columns": columns, "rows": rows, "state": state,
            "reason": reason if state == "FAILED" else None, "times_left": times,
            "account": raw.get("account"), "region": raw.get("region"), **numbers}


def _take_seed(query: str, account: str, region: str) -> dict[str, Any] | None:
    with _LOCK:
        for seed in _SEEDS:
            if seed["times_left"] == 0 or seed["match"] not in query:
                continue
            if seed["account"] not in (None, account) or seed["region"] not in (None, region):
                continue
            if seed["times_left"] is not None:
                seed["times_left"] -= 1
            return seed
    return None


def _seeds_endpoint(request: Any, full_url: str, headers: Any) -> Response:
    json_type = {"Content-Type": "application/json"}
    if request.method == "DELETE":
        with _LOCK:
            _SEEDS.clear()
        return 200, json_type, json.dumps({"count": 0})
    if request.method == "GET":
        with _LOCK:
            listed = [{k: v for k, v in s.items()} for s in _SEEDS]
        return 200, json_type, json.dumps({"seeds": listed})
    if request.method != "POST":
        return 405, json_type, json.dumps({"error": "POST, GET or DELETE"})
    try:
        try:
            raw = json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ValueError("the body is not JSON") from None
        seed = _normalise_seed(raw)
    except (ValueError, TypeError) as err:
        return 400, json_type, json.dumps({"error": str(err)})
    with _LOCK:
        _SEEDS.append(seed)
        count = len(_SEEDS)
    return 200, json_type, json.dumps({"count": count})


# --------------------------------------------------------------------------------------------
# what a seeded query answers


def _runs(backend: Any) -> dict[str, dict[str, Any]]:
    """QueryExecutionId -> {"seed", "polls", "stopped_at"} of the seeded queries."""
    return _state(backend, "vigil_athena_runs", dict)


def _queries(backend: Any) -> list[dict[str, Any]]:
    return _state(backend, "vigil_athena_queries", list)


def _tokens(backend: Any) -> dict[str, tuple[str, int]]:
    """NextToken handed out -> (QueryExecutionId, offset)."""
    return _state(backend, "vigil_athena_tokens", dict)


def _state_at(seed: dict[str, Any], poll: int) -> str:
    """The state the `poll`-th GetQueryExecution (1-based) answers; 0 reads as the first."""
    poll = max(poll, 1)
    if poll <= seed["queued_polls"]:
        return "QUEUED"
    if poll <= seed["queued_polls"] + seed["running_polls"]:
        return "RUNNING"
    return seed["state"]


def _current(run: dict[str, Any]) -> str:
    if run["stopped_at"] is not None:
        return "CANCELLED"
    return _state_at(run["seed"], run["polls"])


def _progress(run: dict[str, Any], poll: int) -> float:
    """How far a seeded query has got at `poll`: 0 while queued, k/(n+1) in the k-th running poll."""
    seed = run["seed"]
    state = _state_at(seed, poll)
    if state == "QUEUED":
        return 0.0
    if state == "RUNNING":
        return (max(poll, 1) - seed["queued_polls"]) / (seed["running_polls"] + 1)
    return 1.0


def _statistics(run: dict[str, Any], state: str) -> dict[str, Any]:
    seed = run["seed"]
    poll = run["stopped_at"] if state == "CANCELLED" else run["polls"]
    part = _progress(run, poll)
    engine = 900 + seed["bytes_scanned"] // 1_000_000  # about a millisecond per megabyte
    queue, pre, planning, post = 84, 31, 143, 27
    engine_now = int(engine * part)
    stats: dict[str, Any] = {
        "EngineExecutionTimeInMillis": engine_now,
        "DataScannedInBytes": int(seed["bytes_scanned"] * part),
        "QueryQueueTimeInMillis": queue,
        "ServicePreProcessingTimeInMillis": pre if state != "QUEUED" else 0,
        "QueryPlanningTimeInMillis": planning if state != "QUEUED" else 0,
        "ServiceProcessingTimeInMillis": post if state in FINAL else 0,
        "ResultReuseInformation": {"ReusedPreviousResult": False},
    }
    stats["TotalExecutionTimeInMillis"] = (queue + stats["ServicePreProcessingTimeInMillis"] + engine_now
                                           + stats["ServiceProcessingTimeInMillis"])
    return stats


def _precision(kind: str) -> tuple[int, int]:
    kind = kind.lower().strip()
    decimal = re.fullmatch(r"decimal\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)", kind)
    if decimal:
        return int(decimal.group(1)), int(decimal.group(2) or 0)
    base = re.split(r"[(<\s]", kind, maxsplit=1)[0]
    return {"varchar": 2147483647, "char": 2147483647, "string": 2147483647, "json": 2147483647,
            "varbinary": 2147483647, "bigint": 19, "integer": 10, "int": 10, "smallint": 5, "tinyint": 3,
            "double": 17, "real": 7, "float": 7, "timestamp": 3, "time": 3}.get(base, 0), 0


def _column_info(column: dict[str, Any]) -> dict[str, Any]:
    precision, scale = _precision(column["Type"])
    info = {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": column["Name"], "Label": column["Name"],
            "Type": column["Type"], "Precision": precision, "Scale": scale, "Nullable": "UNKNOWN",
            "CaseSensitive": column["Type"].lower().startswith(("varchar", "char", "string"))}
    info.update({k: v for k, v in column.items() if k in COLUMN_KEYS})
    return info


def _returns_rows(query: str) -> bool:
    """A SELECT (WITH, VALUES, TABLE, a parenthesised one): Athena heads its results with the
    column names. Leading comments are skipped."""
    text = query
    while True:
        text = text.lstrip().lstrip("(").lstrip()
        if text.startswith("--"):
            text = text.partition("\n")[2]
        elif text.startswith("/*"):
            text = text.partition("*/")[2]
        else:
            break
    word = re.match(r"[A-Za-z]+", text)
    return bool(word) and word.group(0).upper() in ("SELECT", "WITH", "VALUES", "TABLE")


def _datum(value: str | None) -> dict[str, str]:
    return {} if value is None else {"VarCharValue": value}


# --------------------------------------------------------------------------------------------
# install


def _rest_paths() -> list[str]:
    """Every requestUri of botocore's athena model as a url_paths pattern."""
    import botocore

    path = os.path.join(os.path.dirname(botocore.__file__), "data", "athena", "2017-05-18", "service-2.json.gz")
    with gzip.open(path) as f:
        model = json.load(f)
    patterns = []
    for operation in model["operations"].values():
        uri = operation["http"]["requestUri"].split("?")[0]
        if uri == "/":
            continue
        # Named groups: moto turns them into Flask regex converters. ARNs carry "/" (a workgroup's,
        # say): their label takes the rest of the path.
        pattern = re.sub(r"\{(ResourceARN)\+?\}", r"(?P<\1>.+)", uri)
        pattern = re.sub(r"\{([^}]+)\+\}", r"(?P<\1>.+)", pattern)
        pattern = re.sub(r"\{([^}]+)\}", r"(?P<\1>[^/]+)", pattern)
        entry = "{0}" + pattern + "$"
        if entry not in patterns:
            patterns.append(entry)
    return patterns


def install() -> None:
    from moto.athena import urls
    from moto.athena.models import AthenaBackend, athena_backends
    from moto.athena.responses import AthenaResponse
    from moto.core.base_backend import BackendDict
    from moto.glue.models import glue_backends
    from moto.moto_api._internal import urls as api_urls

    for pattern in _rest_paths():
        urls.url_paths.setdefault(pattern, AthenaResponse.dispatch)

    def param_list(self: AthenaResponse, name: str) -> list[Any] | None:
        """A list member: the JSON body's (awsJson, REST bodies) or the query string's (REST)."""
        try:
            body = json.loads(self.body) if self.body else {}
        except ValueError:
            body = {}
        if isinstance(body, dict) and name in body:
            return body[name]
        values = parse_qs(self.parsed_url.query).get(name)
        return values or None

    def query_param(self: AthenaResponse, name: str) -> Any:
        """A scalar member from the query string (REST) or the JSON body (awsJson)."""
        values = parse_qs(self.parsed_url.query).get(name)
        if values:
            return values[0]
        try:
            body = json.loads(self.body) if self.body else {}
        except ValueError:
            return None
        return body.get(name) if isinstance(body, dict) else None

    def whole(value: Any, name: str, low: int, high: int, default: int) -> int:
        if value is None or value == "":
            return default
        try:
            number = int(value)
            if isinstance(value, bool) or (isinstance(value, float) and value != number):
                raise ValueError
        except (TypeError, ValueError):
            raise _invalid(f"{name} must be a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise _invalid(f"1 validation error detected: Value '{number}' at '{name[0].lower() + name[1:]}' failed to "
                           f"satisfy constraint: Member must have value {'less' if number > high else 'greater'} than or "
                           f"equal to {high if number > high else low}")
        return number

    def execution_id(self: AthenaResponse) -> str:
        exec_id = self._get_param("QueryExecutionId")
        if not exec_id or exec_id not in self.athena_backend.executions:
            raise _invalid(f"QueryExecution {exec_id} was not found")
        return exec_id

    # ---- StartQueryExecution -----------------------------------------------------------------

    moto_start = AthenaResponse.start_query_execution

    def start_query_execution(self: AthenaResponse) -> Any:
        backend: AthenaBackend = self.athena_backend
        query = self._get_param("QueryString")
        if not isinstance(query, str) or not query:
            raise _invalid("QueryString is required")
        sent = {
            "QueryString": query,
            "ExecutionParameters": copy.deepcopy(self._get_param("ExecutionParameters")),
            "WorkGroup": self._get_param("WorkGroup"),
            "QueryExecutionContext": copy.deepcopy(self._get_param("QueryExecutionContext")),
            "ResultConfiguration": copy.deepcopy(self._get_param("ResultConfiguration")),
        }
        workgroup = sent["WorkGroup"]
        if workgroup and not backend.get_work_group(workgroup):
            return moto_start(self)  # moto's error, before a seed is spent
        seed = _take_seed(query, self.current_account, self.region)
        # moto pops its static results queue into any new query: not into a seeded one.
        queue = backend.query_results_queue
        if seed is not None:
            backend.query_results_queue = []
        try:
            answer = moto_start(self)
        finally:
            if seed is not None:
                backend.query_results_queue = queue
        if not isinstance(answer, str):
            return answer  # moto's error (an unknown WorkGroup)
        exec_id = json.loads(answer)["QueryExecutionId"]
        _queries(backend).append({"QueryExecutionId": exec_id, **sent, "Stopped": False,
                                  "Account": self.current_account, "Region": self.region, "_order": next(_ORDER)})
        if seed is not None:
            run = {"seed": copy.deepcopy(seed), "polls": 0, "stopped_at": None}
            _runs(backend)[exec_id] = run
            execution = backend.executions[exec_id]
            execution._transitions = []  # the seed, not moto's state manager, moves it on
            execution.status = _current(run)
            if execution.status in FINAL:
                execution.end_time = time.time()
        return answer

    # ---- GetQueryExecution -------------------------------------------------------------------

    moto_get = AthenaResponse.get_query_execution

    def get_query_execution(self: AthenaResponse) -> Response:
        exec_id = execution_id(self)
        backend = self.athena_backend
        run = _runs(backend).get(exec_id)
        execution = backend.executions[exec_id]
        if run is not None:
            was_final = _current(run) in FINAL
            if not was_final:
                run["polls"] += 1
            state = _current(run)
            execution.status = state
            if state in FINAL and not was_final:
                execution.end_time = time.time()
        answer = json.loads(moto_get(self))
        detail = answer["QueryExecution"]
        if not detail.get("WorkGroup"):
            detail["WorkGroup"] = "primary"
        for key in ("QueryExecutionContext", "ResultConfiguration"):
            if detail.get(key) is None:
                detail[key] = {}
        detail["EngineVersion"] = {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}
        if _returns_rows(execution.query):
            detail["SubstatementType"] = "SELECT"
        if run is not None:
            state = _current(run)
            status: dict[str, Any] = {"State": state, "SubmissionDateTime": execution.start_time}
            if state in FINAL:
                status["CompletionDateTime"] = execution.end_time
            if state == "FAILED":
                status["StateChangeReason"] = run["seed"]["reason"]
                status["AthenaError"] = {"ErrorCategory": 2, "Retryable": False, "ErrorMessage": run["seed"]["reason"]}
            detail["Status"] = status
            detail["Statistics"] = _statistics(run, state)
        return _ok(answer)

    # ---- GetQueryResults ---------------------------------------------------------------------

    moto_results = AthenaResponse.get_query_results

    def get_query_results(self: AthenaResponse) -> Response:
        exec_id = execution_id(self)
        backend = self.athena_backend
        size = whole(query_param(self, "MaxResults"), "MaxResults", 1, 1000, 1000)
        token = query_param(self, "NextToken")
        start = 0
        if token:
            handed = _tokens(backend).get(token)
            if handed is None or handed[0] != exec_id:
                raise _invalid("NextToken is not valid for this query: it was not handed out by this server for it")
            start = handed[1]
        run = _runs(backend).get(exec_id)
        if run is not None:
            state = _current(run)
            if state != "SUCCEEDED":
                raise _invalid(f"Query has not yet finished. Current state: {state}")
            seed = run["seed"]
            rows = [{"Data": [_datum(v) for v in row]} for row in seed["rows"]]
            if seed["columns"] and _returns_rows(backend.executions[exec_id].query):
                rows.insert(0, {"Data": [_datum(c["Name"]) for c in seed["columns"]]})
            columns = [_column_info(c) for c in seed["columns"]]
        else:
            moto_answer = json.loads(moto_results(self))["ResultSet"]
            rows = moto_answer.get("Rows") or []
            columns = (moto_answer.get("ResultSetMetadata") or {}).get("ColumnInfo") or []
        end = start + size
        answer: dict[str, Any] = {"UpdateCount": 0,
                                  "ResultSet": {"Rows": rows[start:end], "ResultSetMetadata": {"ColumnInfo": columns}}}
        if end < len(rows):
            next_token = secrets.token_urlsafe(48)
            _tokens(backend)[next_token] = (exec_id, end)
            answer["NextToken"] = next_token
        return _ok(answer)

    # ---- StopQueryExecution ------------------------------------------------------------------

    moto_stop = AthenaResponse.stop_query_execution

    def stop_query_execution(self: AthenaResponse) -> Any:
        exec_id = execution_id(self)
        backend = self.athena_backend
        for record in _queries(backend):
            if record["QueryExecutionId"] == exec_id:
                record["Stopped"] = True
        run = _runs(backend).get(exec_id)
        execution = backend.executions[exec_id]
        if run is not None:
            if _current(run) not in FINAL:
                run["stopped_at"] = run["polls"]
                execution.status = "CANCELLED"
                execution.end_time = time.time()
            return _ok({})
        if execution.status in FINAL:
            return _ok({})  # Athena leaves a finished query alone
        return moto_stop(self)

    # ---- table metadata from Glue ------------------------------------------------------------

    def glue_database(self: AthenaResponse) -> Any:
        catalog = self._get_param("CatalogName")
        database = self._get_param("DatabaseName")
        if not isinstance(catalog, str) or catalog.lower() != "awsdatacatalog":
            raise _metadata(f"Catalog {catalog} not found. This server serves AwsDataCatalog (the Glue Data Catalog) only.")
        glue = glue_backends[self.current_account][self.region]
        found = glue.databases.get(database) or glue.databases.get(str(database).lower())
        if found is None:
            raise _metadata(f"Database {database} not found. (Service: AWSGlue; Status Code: 400; "
                            "Error Code: EntityNotFoundException)")
        return glue, found

    def epoch(value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, dt.datetime):
            return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).timestamp()
        try:
            return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None

    def columns_of(raw: Any) -> list[dict[str, str]]:
        columns = []
        for column in raw or []:
            entry = {"Name": column["Name"]}
            if column.get("Type") is not None:
                entry["Type"] = column["Type"]
            if column.get("Comment") is not None:
                entry["Comment"] = column["Comment"]
            columns.append(entry)
        return columns

    def table_metadata(table: Any, attributes: list[str] | None = None) -> dict[str, Any]:
        spec = table.get_version(str(table._current_version))
        if attributes:
            brief: dict[str, Any] = {"Name": table.name}
            if "TABLE_TYPE" in attributes and spec.get("TableType"):
                brief["TableType"] = spec["TableType"]
            return brief
        storage = spec.get("StorageDescriptor") or {}
        parameters = dict(spec.get("Parameters") or {})
        serde = storage.get("SerdeInfo") or {}
        for key, value in (("location", storage.get("Location")), ("inputformat", storage.get("InputFormat")),
                           ("outputformat", storage.get("OutputFormat")),
                           ("serde.serialization.lib", serde.get("SerializationLibrary"))):
            if value:
                parameters.setdefault(key, value)
        for key, value in (serde.get("Parameters") or {}).items():
            parameters.setdefault(f"serde.param.{key}", value)
        metadata: dict[str, Any] = {"Name": table.name, "CreateTime": epoch(table.created_time)}
        if epoch(spec.get("LastAccessTime")) is not None:
            metadata["LastAccessTime"] = epoch(spec.get("LastAccessTime"))
        if spec.get("TableType"):
            metadata["TableType"] = spec["TableType"]
        metadata["Columns"] = columns_of(storage.get("Columns"))
        metadata["PartitionKeys"] = columns_of(spec.get("PartitionKeys"))
        metadata["Parameters"] = {k: str(v) for k, v in parameters.items()}
        return metadata

    def get_table_metadata(self: AthenaResponse) -> Response:
        _, database = glue_database(self)
        name = self._get_param("TableName")
        table = database.tables.get(name) or database.tables.get(str(name).lower())
        if table is None:
            raise _metadata(f"Table {name} not found in database {database.name}. (Service: AWSGlue; "
                            "Status Code: 400; Error Code: EntityNotFoundException)")
        return _ok({"TableMetadata": table_metadata(table)})

    def list_table_metadata(self: AthenaResponse) -> Response:
        glue, database = glue_database(self)
        size = whole(query_param(self, "MaxResults"), "MaxResults", 1, 50, 50)
        attributes = param_list(self, "AttributesToGet")
        for attribute in attributes or []:
            if attribute not in ("NAME", "TABLE_TYPE"):
                raise _invalid("AttributesToGet must hold NAME and/or TABLE_TYPE")
        expression = query_param(self, "Expression")
        try:
            tables = glue.get_tables(database.name, expression or None)
        except re.error:
            raise _invalid(f"Expression {expression!r} is not a valid pattern") from None
        tables = sorted(tables, key=lambda t: t.name)
        try:
            page, token = _page(tables, query_param(self, "NextToken"), size, "InvalidRequestException")
        except JsonRESTError:
            raise _invalid("NextToken is not valid: it was not handed out by this server") from None
        answer: dict[str, Any] = {"TableMetadataList": [table_metadata(t, attributes) for t in page]}
        if token:
            answer["NextToken"] = token
        return _ok(answer)

    # ---- test tooling ------------------------------------------------------------------------

    def queries_endpoint(request: Any, full_url: str, headers: Any) -> Response:
        """GET [?account=&region=]: {"queries": [...]}, every account and Region's by default."""
        json_type = {"Content-Type": "application/json"}
        if request.method != "GET":
            return 405, json_type, json.dumps({"error": "GET only"})
        q = parse_qs(urlparse(full_url).query)
        account = (q.get("account") or [None])[0]
        region = (q.get("region") or [None])[0]
        found = []
        for acct, reg, backend in athena_backends.iter_backends():
            if account not in (None, acct) or region not in (None, reg):
                continue
            found += _queries(backend)
        found.sort(key=lambda r: r["_order"])
        return 200, json_type, json.dumps({"queries": [{k: v for k, v in r.items() if k != "_order"} for r in found]})

    for method in (start_query_execution, get_query_execution, get_query_results, stop_query_execution,
                   get_table_metadata, list_table_metadata):
        setattr(AthenaResponse, method.__name__, method)
    api_urls.url_paths["{0}/moto-api/vigil/athena-results$"] = _seeds_endpoint
    api_urls.url_paths["{0}/moto-api/vigil/athena-queries$"] = queries_endpoint

    # A reset forgets the seeds too (the rest lives on the Athena backends).
    original_reset = BackendDict.reset.__func__  # type: ignore[attr-defined]

    def reset(cls: type) -> None:
        original_reset(cls)
        with _LOCK:
            _SEEDS.clear()

    BackendDict.reset = classmethod(reset)  # type: ignore[method-assign,assignment]
