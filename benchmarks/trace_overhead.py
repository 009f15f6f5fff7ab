"""What the `trace` interceptor costs requests that are not to Clever (not part of the test run).

    python benchmarks/trace_overhead.py [--requests 10000] [--rounds 3]

Starts a local HTTP server (keep-alive, a small JSON body), then runs the same client script
in fresh processes, plain and under `clever-upgrade trace`, for each library: N sequential GETs
through one requests.Session, through one httpx.Client, and through urllib.request. The
script times its own loop (so interpreter start-up and the trace report are not counted) and
prints the time per request; the best of the rounds is reported, with the difference."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CLIENT = """\
import sys, time
library, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
if library == "requests":
    import requests
    session = requests.Session()
    get = lambda: session.get(url).status_code
elif library == "httpx":
    import httpx
    client = httpx.Client()
    get = lambda: client.get(url).status_code
else:
    import urllib.request
    get = lambda: urllib.request.urlopen(url).status
for _ in range(50):
    get()  # warm up: connections, imports
start = time.perf_counter()
for _ in range(count):
    assert get() == 200
print((time.perf_counter() - start) / count * 1e6)
"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b'{"data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def per_request(script: Path, library: str, url: str, count: int, traced: bool) -> float:
    command = [sys.executable, str(script), library, url, str(count)]
    if traced:
        command = [sys.executable, "-m", "linter", "trace", "--no-static", "--", *command]
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    return float(out.stdout.splitlines()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/v2.1/students"  # a Clever-like path on another host
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "client.py"
        script.write_text(CLIENT)
        for library in ("requests", "httpx", "urllib"):
            plain = min(per_request(script, library, url, args.requests, False) for _ in range(args.rounds))
            traced = min(per_request(script, library, url, args.requests, True) for _ in range(args.rounds))
            results[library] = {"plain_us": round(plain, 1), "traced_us": round(traced, 1),
                                "overhead_us": round(traced - plain, 1),
                                "overhead_percent": round((traced - plain) / plain * 100, 1)}  # fmt: skip
            print(
                f"{library:9} {args.requests} requests: {plain:7.1f} us/request plain, {traced:7.1f} traced "
                f"({traced - plain:+.1f} us, {(traced - plain) / plain * 100:+.1f} %)",
                flush=True,
            )
    server.shutdown()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
