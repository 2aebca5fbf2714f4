"""A loopback fault proxy in front of moto: forwards every call, except that the calls matching a
rule get a fault instead. The faults Vigil must ride out, on every protocol the SDK speaks.

    python tests/moto/fault_proxy.py PORT UPSTREAM_URL [MATCH FAULT COUNT]
    python tests/moto/fault_proxy.py PORT UPSTREAM_URL --latency SECONDS [--quota MATCH=RATE/BURST ...]

A rule is {"match": MATCH, "fault": FAULT, "count": N, "skip": K, "delay": SECONDS, "body": TEXT};
it lets the first K matching calls through (default 0), then applies to the next N, or to all of
them until the rules are cleared when count is null; with "body", only to calls whose request body
contains TEXT. The optional arguments install one rule at start-up. MATCH names one operation in its
protocol's terms:

    CertificateManager.ListCertificates   JSON 1.1: the X-Amz-Target header
    POST /detector/{id}/findings           REST-JSON: method and path, {name} matching one segment
    Action=GetCallerIdentity               query: the Action parameter (form body or query string)

FAULT is one of:

    throttle   the protocol's throttling error: JSON 1.1 400 ThrottlingException, REST-JSON 429
               TooManyRequestsException, query 400 Throttling
    500, 503   InternalFailure / ServiceUnavailable, in the protocol's error shape
    error:CODE 400 with the service error CODE in the protocol's error shape (error:UserNotFoundException:
               a user deleted between two calls)
    slow       waits `delay` seconds (default 30), then forwards
    reset      reads the request, then resets the connection without answering
    truncate   forwards, but sends only half of the answer's body and closes the connection
    html       an HTML "500 Internal Server Error" page, as a load balancer sends it
    garbage    200 with a body that does not parse in the protocol's format

Every answer the proxy makes up carries `x-amzn-RequestId: fault-proxy-<n>`, as AWS answers do.
Control (on the same port, never forwarded):

    POST   /fault-proxy/rules   add a rule (JSON body as above)
    DELETE /fault-proxy/rules   remove every rule: the faults end
    GET    /fault-proxy/rules   {"rules": [rules still active], "hits": {MATCH: matching calls seen}}

Hits count every call matching a MATCH ever given, faulted or forwarded: how many attempts the
client made. `GET /fault-proxy/rules` also returns "bodies": {MATCH: [request body of each matching
call, in order, as text]}, to check what a call asked for (a NextToken).

Latency and quotas, as a far-away service enforces them (`--latency`, `--quota`, or `POST
/fault-proxy/pace` with {"latency": SECONDS, "quotas": {MATCH: [RATE, BURST]}}): every call waits
`latency` seconds before it is answered, and the calls matching a quota draw on a token bucket of
RATE a second holding BURST, checked as the call arrives. A call that finds the bucket empty is
throttled as the service's model says: Security Hub GetFindings (`POST /findings`) answers 429
`LimitExceededException` (botocore securityhub/2018-10-26: GetFindings' only throttling error,
`httpStatusCode` 429); other REST-JSON calls 429 `TooManyRequestsException`, JSON 1.1 400
`ThrottlingException`, query 400 `Throttling`. `GET /fault-proxy/pace` returns {"latency",
"quotas": {MATCH: {"rate", "burst", "passed", "throttled"}}}: calls let through and throttled.

Standard library only.
"""

import http.server
import itertools
import json
import re
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CONTROL = "/fault-proxy/rules"
lock = threading.Lock()
rules: list = []  # dicts: match, fault, count (None = until cleared), delay
hits: dict = {}  # every MATCH ever given, with the calls it matched (faulted or not)
bodies: dict = {}  # every MATCH ever given, with the request bodies of the calls it matched
request_ids = itertools.count(1)
PACE = "/fault-proxy/pace"
latency = 0.0  # seconds every call waits before it is answered
quotas: dict = {}  # MATCH -> {"rate", "burst", "tokens", "at", "passed", "throttled"}


def set_quota(pattern: str, rate: float, burst: float) -> None:
    quotas[pattern] = {"rate": float(rate), "burst": float(burst), "tokens": float(burst), "at": time.monotonic(),
                       "passed": 0, "throttled": 0}


def take_token(method: str, path: str, target: str, action: str):
    """The MATCH of the quota whose bucket is empty for this call (the call is throttled), or None."""
    with lock:
        for pattern, q in quotas.items():
            if matches(pattern, method, path, target, action):
                now = time.monotonic()
                q["tokens"] = min(q["burst"], q["tokens"] + (now - q["at"]) * q["rate"])
                q["at"] = now
                if q["tokens"] < 1.0:
                    q["throttled"] += 1
                    return pattern
                q["tokens"] -= 1.0
                q["passed"] += 1
        return None


def pace_state() -> bytes:
    shown = {p: {k: q[k] for k in ("rate", "burst", "passed", "throttled")} for p, q in quotas.items()}
    return json.dumps({"latency": latency, "quotas": shown}).encode()


def matches(pattern: str, method: str, path: str, target: str, action: str) -> bool:
    if pattern.startswith("Action="):
        return action == pattern[len("Action="):]
    if " " in pattern:
        want_method, want_path = pattern.split(" ", 1)
        regex = "^" + re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(want_path)) + "$"
        return method == want_method and re.match(regex, path) is not None
    return target == pattern


def add_rule(pattern: str, fault: str, count, delay, skip=0, body=None) -> None:
    rules.append({"match": pattern, "fault": fault, "count": count, "skip": int(skip or 0), "delay": float(delay or 30),
                  "body": body})
    hits.setdefault(pattern, 0)


def take_fault(method: str, path: str, target: str, action: str, body: bytes = b""):
    """The rule that applies to this call, if any, counting it down; every matching call is a hit."""
    with lock:
        chosen = None
        for pattern in hits:
            if matches(pattern, method, path, target, action):
                hits[pattern] = hits.get(pattern, 0) + 1
                bodies.setdefault(pattern, []).append(body.decode("utf-8", "replace"))
        for rule in rules:
            if rule.get("body") and rule["body"] not in body.decode("utf-8", "replace"):
                continue
            if matches(rule["match"], method, path, target, action):
                if rule["skip"] > 0:
                    rule["skip"] -= 1
                    break
                chosen = dict(rule)
                if rule["count"] is not None:
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        rules.remove(rule)
                break
        return chosen


def error_body(protocol: str, code: str, message: str, request_id: str) -> tuple:
    if protocol == "query":
        kind = "Receiver" if code in ("InternalFailure", "ServiceUnavailable") else "Sender"
        xml = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message>"
               f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        return "text/xml", xml.encode()
    content_type = "application/x-amz-json-1.1" if protocol == "json" else "application/json"
    return content_type, json.dumps({"__type": code, "message": message}).encode()


class Proxy(http.server.BaseHTTPRequestHandler):
    def _reply(self, status: int, content_type: str, body: bytes, headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _control(self, body: bytes) -> None:
        with lock:
            if self.command == "POST":
                rule = json.loads(body)
                add_rule(rule["match"], rule["fault"], rule.get("count"), rule.get("delay"), rule.get("skip"),
                         rule.get("body"))
            elif self.command == "DELETE":
                rules.clear()
            state = json.dumps({"rules": rules, "hits": hits, "bodies": bodies}).encode()
        self._reply(200, "application/json", state)

    def _pace(self, body: bytes) -> None:
        global latency
        with lock:
            if self.command == "POST":
                pace = json.loads(body)
                latency = float(pace.get("latency") or 0.0)
                quotas.clear()
                for pattern, (rate, burst) in (pace.get("quotas") or {}).items():
                    set_quota(pattern, rate, burst)
            state = pace_state()
        self._reply(200, "application/json", state)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        if url.path == CONTROL:
            return self._control(body)
        if url.path == PACE:
            return self._pace(body)
        target = self.headers.get("X-Amz-Target") or ""
        form = urllib.parse.parse_qs(url.query)
        if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            form.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
        action = (form.get("Action") or [""])[0]
        protocol = "json" if target else "query" if action else "rest-json"
        over_quota = take_token(self.command, url.path, target, action)
        if latency:
            time.sleep(latency)
        if over_quota:
            request_id = f"fault-proxy-{next(request_ids)}"
            rid = [("x-amzn-RequestId", request_id)]
            if over_quota == "POST /findings":
                return self._reply(429, "application/json", b'{"Message":"Rate exceeded","Code":"LimitExceededException"}',
                                   rid + [("X-Amzn-ErrorType", "LimitExceededException")])
            if protocol == "rest-json":
                return self._reply(429, "application/json", b'{"message":"Too Many Requests"}',
                                   rid + [("X-Amzn-ErrorType", "TooManyRequestsException")])
            code = "ThrottlingException" if protocol == "json" else "Throttling"
            content_type, payload = error_body(protocol, code, "Rate exceeded", request_id)
            return self._reply(400, content_type, payload, rid + [("X-Amzn-ErrorType", code)])
        rule = take_fault(self.command, url.path, target, action, body)
        fault = rule["fault"] if rule else None
        request_id = f"fault-proxy-{next(request_ids)}"
        rid = [("x-amzn-RequestId", request_id)]
        if fault == "reset":
            # SO_LINGER 0: close() sends RST, the client sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if fault == "throttle":
            if protocol == "rest-json":
                return self._reply(429, "application/json", b'{"message":"Too Many Requests"}',
                                   rid + [("X-Amzn-ErrorType", "TooManyRequestsException")])
            code = "ThrottlingException" if protocol == "json" else "Throttling"
            content_type, payload = error_body(protocol, code, "Rate exceeded", request_id)
            return self._reply(400, content_type, payload, rid + [("X-Amzn-ErrorType", code)])
        if fault in ("500", "503"):
            code = "InternalFailure" if fault == "500" else "ServiceUnavailable"
            content_type, payload = error_body(protocol, code, "injected by the fault proxy", request_id)
            return self._reply(int(fault), content_type, payload, rid + [("X-Amzn-ErrorType", code)])
        if fault and fault.startswith("error:"):
            code = fault.split(":", 1)[1]
            content_type, payload = error_body(protocol, code, "injected by the fault proxy", request_id)
            return self._reply(400, content_type, payload, rid + [("X-Amzn-ErrorType", code)])
        if fault == "html":
            page = b"<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>\n"
            return self._reply(500, "text/html", page, rid)
        if fault == "garbage":
            content_type = {"json": "application/x-amz-json-1.1", "query": "text/xml"}.get(protocol, "application/json")
            return self._reply(200, content_type, b"this is not what the service returns", rid)
        if fault == "slow":
            time.sleep(rule["delay"])
        status, headers, data = self._forward(body)
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if fault == "truncate":
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        self.wfile.write(data)

    def _forward(self, body: bytes) -> tuple:
        request = urllib.request.Request(UPSTREAM + self.path, data=body or None, method=self.command,
                                         headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers.items(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.items(), error.read()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    def log_message(self, *args) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (its timeout, a reset) is what the faults are for: not worth a trace.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


if __name__ == "__main__":
    PORT, UPSTREAM = int(sys.argv[1]), sys.argv[2].rstrip("/")
    args = sys.argv[3:]
    if args and args[0].startswith("--"):
        while args:
            flag, value, args = args[0], args[1], args[2:]
            if flag == "--latency":
                latency = float(value)
            elif flag == "--quota":
                pattern, rate_burst = value.rsplit("=", 1)
                rate, burst = rate_burst.split("/")
                set_quota(pattern, float(rate), float(burst))
            else:
                sys.exit(f"fault_proxy.py: unknown flag {flag}")
    elif len(args) == 3:
        add_rule(args[0], args[1], int(args[2]), None)
    Server(("127.0.0.1", PORT), Proxy).serve_forever()
