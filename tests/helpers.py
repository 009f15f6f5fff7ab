"""Small helpers shared by the tests: lint a snippet, and project findings to tuples."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Dict, List, Optional

from linter.api import LintResult, Options, lint_paths, lint_source
from linter.model import Confidence


def lint(code: str, min_confidence: str = "low", path: Optional[Path] = None) -> LintResult:
    code = textwrap.dedent(code)
    options = Options(min_confidence=Confidence.parse(min_confidence))
    return lint_source(code, str(path) if path else "snippet.py", options)


def codes(result: LintResult) -> List[tuple]:
    """(code, confidence, v2, v3) of the visible findings."""
    return [(f.code, f.confidence.value, f.v2, f.v3) for f in result.visible]


def write_tree(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")


def lint_tree(root: Path, files: Dict[str, str], min_confidence: str = "low", paths=None, **options) -> LintResult:
    write_tree(root, files)
    options = Options(min_confidence=Confidence.parse(min_confidence), **options)
    targets = [str(root / p) for p in paths] if paths else [str(root)]
    return lint_paths(targets, options)


def run_cli(cwd: Path, *args: str):
    """Invoke the CLI in this process with `cwd` as the working directory; an exception other
    than the CLI's own exit propagates (a traceback fails the test)."""
    from click.testing import CliRunner

    from linter.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
