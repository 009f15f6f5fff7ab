"""Real code no one here wrote: the sources of packages installed in the test environment.
`check` runs over them without a crash, reports nothing at medium or high confidence, and
`fix --diff` proposes no change. Marked `realcode` (deselect with -m "not realcode"); CI runs it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from linter.api import Options, fix_paths, lint_paths

pytestmark = pytest.mark.realcode
PACKAGES = ["click", "yaml", "_pytest", "pluggy", "jsonschema", "json", "email", "urllib", "http"]


def _roots():
    roots = []
    for name in PACKAGES:
        module = importlib.import_module(name)
        roots.append(str(Path(module.__file__).parent))
    return roots


def test_installed_packages_give_no_finding_and_no_fix():
    roots = _roots()
    options = Options(respect_gitignore=False)  # the virtualenv they are installed in is gitignored
    result = lint_paths(roots, options)
    assert result.files_scanned > 150
    unexpected = [f for f in result.visible if f.code not in ("CLV001", "CLV004")]
    assert unexpected == []
    assert [f for f in result.findings if f.code == "CLV002"] == []  # no internal error at any confidence
    report = fix_paths(roots, options, unsafe=True, diff=True)
    assert report.diffs == [] and report.failed == {}
