"""action.yml, the composite GitHub Action: its inputs and steps, and the commands of its
steps run here as the runner would run them (bash, with the inputs in the environment)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def test_the_action_declares_its_inputs_and_a_composite_run():
    assert set(ACTION["inputs"]) == {"paths", "args", "version", "sarif", "fail-on"}
    assert all(spec.get("description") and "default" in spec for spec in ACTION["inputs"].values())
    assert ACTION["inputs"]["fail-on"]["default"] == "info" and ACTION["inputs"]["sarif"]["default"] == "false"
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)
    upload = [step for step in steps if "uses" in step]
    assert [step["uses"] for step in upload] == ["github/codeql-action/upload-sarif@v3"]
    assert upload[0]["if"] == "inputs.sarif == 'true'" and upload[0]["with"]["sarif_file"] == "clever-upgrade.sarif"
    # inputs reach the shell through the environment, never pasted into the script
    assert all("${{" not in step["run"] for step in steps if "run" in step)


def _step(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step["name"] == name)


def _run(step: dict, cwd: Path, inputs: dict) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name, expression in step.get("env", {}).items():
        key = expression.removeprefix("${{ inputs.").removesuffix(" }}")
        env[name] = inputs.get(key, ACTION["inputs"].get(key, {}).get("default", ""))
    return subprocess.run(["bash", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_the_steps_commands_on_the_example(tmp_path):
    shutil.copytree(ROOT / "examples" / "roster_sync", tmp_path / "roster_sync")
    inputs = {"paths": "roster_sync", "args": "--min-confidence high", "sarif": "true"}
    sarif = _run(_step("SARIF for code scanning"), tmp_path, inputs)
    assert sarif.returncode == 0, sarif.stderr
    report = json.loads((tmp_path / "clever-upgrade.sarif").read_text())
    assert report["version"] == "2.1.0" and report["runs"][0]["results"]
    check = _run(_step("Check (annotations, and the gate)"), tmp_path, inputs)
    assert check.returncode == 1  # the gate
    lines = check.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any(line.startswith("::error file=roster_sync/rostering/events.py,line=10,") for line in lines)
    quiet = _run(_step("Check (annotations, and the gate)"), tmp_path, {**inputs, "args": "--select CLV9"})
    assert quiet.returncode == 2 and "unknown rule code" in quiet.stderr  # a bad argument is the user's error
