"""python -m examples.fake_clever [--port 8765]: serve the fake Clever API until Ctrl-C."""

import argparse
import time

from examples.fake_clever.app import serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server, base, _ = serve(port=args.port)
    print(f"Fake Clever API on {base} (tokens: district-token, teacher-token, student-token); Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
