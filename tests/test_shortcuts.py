"""The LibCST shortcuts (linter.syntax.shortcuts) change no finding and no fix: check and fix
over the realistic cases, the examples and the benchmarks' generated trees, run once with them
and once with LibCST's public API only (CLEVER_UPGRADE_LIBCST_SHORTCUTS=0), print the same."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(args, shortcuts: bool, cwd: Path) -> str:
    env = dict(os.environ, CLEVER_UPGRADE_LIBCST_SHORTCUTS="1" if shortcuts else "0")
    completed = subprocess.run(
        [sys.executable, "-m", "linter", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert completed.returncode in (0, 1), completed.stderr
    return completed.stdout


def _both(args, cwd: Path):
    return _run(args, True, cwd), _run(args, False, cwd)


def _generated(tmp_path: Path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        __import__("edtech").build(tmp_path / "edtech", 8_000, seed=11)
        __import__("run").build(tmp_path / "synthetic", 8_000, seed=11)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return tmp_path


@pytest.mark.parametrize(
    "where", ["tests/realistic", "examples/roster_sync", "examples/district_portal", "examples/sdk_sync", "generated"]
)
def test_the_shortcuts_change_no_finding_and_no_fix(tmp_path, where):
    if where == "generated":
        cwd = _generated(tmp_path)
    else:  # a copy: a project of its own, not a folder of ours (whose pyproject.toml would make it one)
        cwd = tmp_path / "project"
        shutil.copytree(ROOT / where, cwd)
    check = ["check", "--format", "json", "--min-confidence", "low", "--no-cache", "--exit-zero", "."]
    with_them, without = _both(check, cwd)
    assert with_them == without
    assert '"code": "CLV' in with_them  # findings were compared, not two empty reports
    fix = ["fix", "--diff", "--unsafe-fixes", "--no-cache", "--exit-zero", "."]
    with_them, without = _both(fix, cwd)
    assert with_them == without
    if not where.startswith("examples"):  # the examples' fixes are all held, each with its reason
        assert with_them.count("\n+") > 0
    assert "left" in with_them
