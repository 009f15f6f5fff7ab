"""Regenerate the golden outputs in examples/expected/ from the real CLI.

    python examples/regenerate.py

Run it only after a deliberate change of the output, and review the diff (`git diff
examples/expected`) before committing: the golden tests compare against these files."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    env = dict(os.environ, CLEVER_UPGRADE_UPDATE_GOLDEN="1")
    command = [sys.executable, "-m", "pytest", "-q", "tests/test_examples.py"]
    sys.exit(subprocess.run(command, cwd=ROOT, env=env).returncode)
