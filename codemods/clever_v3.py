"""LibCST codemod command: apply clever-upgrade's fixes to one module.

    python -m libcst.tool codemod -x codemods.clever_v3.MigrateToV3 --no-format PATH

The command does not detect anything itself: it asks the linter (linter.api) for the
findings of the package the file belongs to, and applies the edits of their fixes that fall
in this file (DESIGN.md: one analysis, two consumers). Analysing the whole package keeps the
run-wide guards (a version pin moves only with the role paths joined to it). The options come
from the project's configuration, built by linter.config.options as the CLI builds them."""

from __future__ import annotations

import argparse
import functools
from pathlib import Path
from typing import Tuple

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from linter import config
from linter.api import lint_paths
from linter.fix.apply import choose_fixes
from linter.fix.rewrite import RewriteError, apply_edits


def package_root(path: Path) -> Path:
    """The directory above the top-most package holding `path` (or its own directory)."""
    directory = path.resolve().parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


@functools.lru_cache(maxsize=8)
def _findings(root: str) -> Tuple:
    """The findings of the package at `root`, with the project's [tool.clever-upgrade] (the
    nearest pyproject.toml above it, as the CLI finds it)."""
    options = config.options(config.discover(Path(root)))
    return tuple(lint_paths([root], options).visible)


class MigrateToV3(VisitorBasedCodemodCommand):
    DESCRIPTION = "Move Clever API v2.x role endpoints, /me and version pins to v3.1 (clever-upgrade's safe fixes)."

    def __init__(self, context: CodemodContext, unsafe_fixes: bool = False) -> None:
        super().__init__(context)
        self.unsafe_fixes = unsafe_fixes

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--unsafe-fixes",
            dest="unsafe_fixes",
            action="store_true",
            default=False,
            help="Also apply fixes marked unsafe.",
        )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        if not filename:
            raise SkipFile("clever-upgrade needs the file's path to analyse its package")
        path = Path(filename).resolve()
        findings = _findings(str(package_root(path)))
        chosen = choose_fixes(list(findings), self.unsafe_fixes, (), (), set())
        edits = [e for f in chosen for e in f.fix.edits if Path(e.path).resolve() == path]
        if not edits:
            return tree
        try:
            new, _ = apply_edits(tree.bytes, edits)
        except RewriteError as exc:
            raise SkipFile(str(exc)) from None
        return cst.parse_module(new)
