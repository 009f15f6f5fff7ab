"""What the `trace` interceptor costs requests that are not to Clever (not part of the test run).

First, deterministically: the Python function calls per request (cProfile's count) without and
with the interceptor installed in this process. Then the times:

    python benchmarks/trace_overhead.py [--requests 10000] [--rounds 3]

Starts a local HTTP server (keep-alive, a small JSON body), then runs the same client script
in fresh processes, plain and under `clever-upgrade trace`, for each library: N sequential GETs
through one requests.Session, through one httpx.Client, and through urllib.request. The
script times its own loop (so interpreter start-up and the trace report are not counted): wall
time and the client process's CPU time per request. Plain and traced runs alternate, round
after round (this machine's speed drifts by tens of percent within a minute); the best of the
rounds of each is reported. A third run, the control, has the environment `trace` gives
(PYTHONPATH and one variable of the same length) without the interceptor: requests scans the
whole environment for proxy settings on every request, so the variables alone cost it
something; traced minus control is the interceptor's own cost. The CPU time is the steadier
measure: the wall time also holds the server thread's scheduling."""

from __future__ import annotations

import argparse
import json
import os
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
start, cpu = time.perf_counter(), time.process_time()
for _ in range(count):
    assert get() == 200
print((time.perf_counter() - start) / count * 1e6, (time.process_time() - cpu) / count * 1e6)
"""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive without the 40 ms delayed-ACK stall per request

    def do_GET(self):
        body = b'{"data": []}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def per_request(script: Path, library: str, url: str, count: int, mode: str):
    """(wall, cpu) microseconds per request; mode: plain, control (the environment `trace`
    gives, without the interceptor) or traced."""
    command = [sys.executable, str(script), library, url, str(count)]
    env = dict(os.environ)
    if mode == "traced":
        command = [sys.executable, "-m", "linter", "trace", "--no-static", "--", *command]
    elif mode == "control":  # as many variables, as long: requests reads them all on each request
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(script.parent / "site"), env.get("PYTHONPATH")) if p)
        env["CLEVER_UPGRADE_TRACE"] = json.dumps({"dir": tempfile.gettempdir() + "/clever-upgrade-trace-xxxxxxxx"})
    out = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    wall, cpu = out.stdout.splitlines()[0].split()
    return float(wall), float(cpu)


def python_calls(url: str, count: int = 300) -> dict:
    """Python function calls per request, without and with the interceptor (installed in this
    process, no fake, no sink): a deterministic measure that this machine's noise does not move."""
    import cProfile
    import pstats
    import urllib.request

    import httpx
    import requests

    session, client = requests.Session(), httpx.Client()
    gets = {
        "requests": lambda: session.get(url),
        "httpx": lambda: client.get(url),
        "urllib": lambda: urllib.request.urlopen(url).read(),
    }

    def calls(get) -> float:
        for _ in range(20):
            get()
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(count):
            get()
        profile.disable()
        return pstats.Stats(profile).total_calls / count

    before = {name: calls(get) for name, get in gets.items()}
    from linter.runtime import intercept

    intercept.install()
    after = {name: calls(get) for name, get in gets.items()}
    intercept.uninstall()
    return {name: (round(before[name]), round(after[name])) for name in gets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/v2.1/students"  # a Clever-like path on another host
    results = {"python_calls": python_calls(url)}
    for name, (before, after) in results["python_calls"].items():
        print(f"{name:9} Python calls per request: {before} plain, {after} with the interceptor (+{after - before})")
    with tempfile.TemporaryDirectory() as directory:
        script = Path(directory) / "client.py"
        script.write_text(CLIENT)
        for library in ("requests", "httpx", "urllib"):
            runs = {"plain": [], "control": [], "traced": []}
            for _ in range(args.rounds):
                for mode in runs:
                    runs[mode].append(per_request(script, library, url, args.requests, mode))
            best = {mode: (min(w for w, _ in r), min(c for _, c in r)) for mode, r in runs.items()}
            results[library] = {mode: {"wall_us": round(w, 1), "cpu_us": round(c, 1)} for mode, (w, c) in best.items()}
            (plain_wall, plain_cpu), (control_wall, control_cpu), (traced_wall, traced_cpu) = best.values()
            print(
                f"{library:9} {args.requests} requests, best of {args.rounds}, us/request (wall / client CPU): "
                f"plain {plain_wall:.1f} / {plain_cpu:.1f}; with trace's environment {control_wall:.1f} / "
                f"{control_cpu:.1f}; traced {traced_wall:.1f} / {traced_cpu:.1f}. The interceptor: "
                f"{traced_cpu - control_cpu:+.1f} us CPU ({(traced_cpu - control_cpu) / control_cpu * 100:+.1f} %)",
                flush=True,
            )
    server.shutdown()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
