"""A loopback proxy in front of moto that answers the first COUNT calls of one operation with a
ThrottlingException, then forwards everything: the fault the refresh engine must ride out.

    python tests/moto/throttle_proxy.py PORT UPSTREAM_URL TARGET COUNT

TARGET is the X-Amz-Target of the operation to throttle (e.g. CertificateManager.ListCertificates).
Every other request goes to UPSTREAM_URL unchanged.
"""

import http.server
import json
import sys
import threading
import urllib.error
import urllib.request

PORT, UPSTREAM, TARGET, COUNT = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3], int(sys.argv[4])
remaining = COUNT
lock = threading.Lock()


class Proxy(http.server.BaseHTTPRequestHandler):
    def _handle(self) -> None:
        global remaining
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.headers.get("X-Amz-Target") == TARGET:
            with lock:
                throttle = remaining > 0
                remaining -= 1 if throttle else 0
            if throttle:
                payload = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
                self.send_response(400)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("X-Amzn-ErrorType", "ThrottlingException")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
        request = urllib.request.Request(UPSTREAM + self.path, data=body, method=self.command,
                                         headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, headers, data = response.status, response.headers.items(), response.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers.items(), error.read()
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, *args) -> None:
        pass


if __name__ == "__main__":
    http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
