"""python -m examples.fake_clever [--port 8765] [--versions v3.1]: serve the fake Clever API
until Ctrl-C, logging each request."""

import argparse
import time

from examples.fake_clever.app import FakeClever, serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--versions", default="v2.0,v2.1,v3.0,v3.1",
        help="comma-separated API versions to serve; others answer 404 (default: all)",
    )
    args = parser.parse_args()
    app = FakeClever(versions=[v.strip() for v in args.versions.split(",") if v.strip()])
    server, base, _ = serve(app, port=args.port)
    print(f"Fake Clever API on {base}, serving {', '.join(app.versions)} "
          "(tokens: district-token, teacher-token, student-token); Ctrl-C stops it", flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for (method, path), status in zip(app.requests[seen:], app.statuses[seen:]):
                print(f"{status} {method} {path}", flush=True)
                seen += 1
    except KeyboardInterrupt:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
