"""CONTRIBUTING.md's recipes, done as it says on a copy of the package: each adds a library
form, an output format or a rule by touching the files the recipe names, and nothing else,
and the command line then shows it. A recipe whose steps stop being enough fails here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECIPES = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


@pytest.fixture
def package(tmp_path):
    """A copy of the package, importable in its own processes; `touched()` lists what changed."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "linter", copy / "linter", ignore=shutil.ignore_patterns("__pycache__"))
    originals = {p: p.read_bytes() for p in (copy / "linter").rglob("*") if p.is_file()}

    class Package:
        root = copy

        def edit(self, relative: str, old: str, new: str) -> None:
            path = copy / relative
            text = path.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"{relative}: the recipe's anchor {old!r} is not there once"
            path.write_text(text.replace(old, new), encoding="utf-8")

        def add(self, relative: str, text: str) -> None:
            (copy / relative).write_text(text, encoding="utf-8")

        def touched(self) -> list:
            now = {p for p in (copy / "linter").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
            changed = {p for p in now if p not in originals or originals[p] != p.read_bytes()}
            return sorted(str(p.relative_to(copy)) for p in changed | (set(originals) - now))

        def run(self, cwd: Path, *args: str) -> subprocess.CompletedProcess:
            env = dict(os.environ, PYTHONPATH=str(copy))
            return subprocess.run(
                [sys.executable, "-m", "linter", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
            )

    return Package()


def _project(tmp_path: Path, source: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    (project / "sync.py").write_text(source, encoding="utf-8")
    return project


def _recipe(title: str) -> str:
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", RECIPES, re.S | re.M)
    assert found, f"CONTRIBUTING.md has no section '## {title}'"
    return found.group(1)


SAFE_JOIN = (
    "import requests\n"
    "from helpers import safe_urljoin\n\n"
    'BASE = "https://api.clever.com/v2.1/"\n\n\n'
    "def teachers(token):\n"
    '    return requests.get(safe_urljoin(BASE, "teachers"), headers={"Authorization": token})\n'
)


def test_a_library_form_is_one_entry_of_libraries_yaml(package, tmp_path):
    assert "linter/catalog/libraries.yaml" in _recipe("A library form")
    project = _project(tmp_path, SAFE_JOIN)
    before = package.run(project, "check", "--no-cache", "--no-show-source", "--format", "json", ".")
    # the helper is opaque: the literal floor reports the role word for what it says, nothing composed
    assert "v2 role segment 'teachers'" in before.stdout and "/v2.1/teachers" not in before.stdout
    package.edit(
        "linter/catalog/libraries.yaml", "  urljoin: urljoin\n", "  urljoin: urljoin\n  safe_urljoin: urljoin\n"
    )
    after = package.run(project, "check", "--no-cache", "--no-show-source", ".")
    assert "sync.py:8:45: CLV301 v2 role endpoint /v2.1/teachers" in after.stdout, after.stdout + after.stderr
    assert package.touched() == ["linter/catalog/libraries.yaml"]


COUNT_FORMAT = '''"""`--format count`: the number of findings, and nothing else."""

from linter.model import LintResult
from linter.report.formats import View


def render(result: LintResult, view: View = View()) -> str:
    return f"{len(result.visible)}\\n"
'''


def test_an_output_format_is_its_module_and_one_row_of_the_registry(package, tmp_path):
    recipe = _recipe("An output format")
    assert "linter/report/formats.py" in recipe and "render(result, view)" in recipe
    package.add("linter/report/count.py", COUNT_FORMAT)
    package.edit(
        "linter/report/formats.py",
        "FORMATS: Tuple[Format, ...] = (\n",
        'FORMATS: Tuple[Format, ...] = (\n    Format("count", "linter.report.count:render", ("check",), "how many"),\n',
    )
    project = _project(tmp_path, 'import requests\nrequests.get("https://api.clever.com/v2.1/teachers")\n')
    completed = package.run(project, "check", "--no-cache", "--format", "count", ".")
    assert (completed.returncode, completed.stdout) == (1, "2\n"), completed.stderr  # the path and its pin
    assert "count: how many" in package.run(project, "check", "--help").stdout
    assert package.touched() == ["linter/report/count.py", "linter/report/formats.py"]


NEW_RULE = """

# a rule added by CONTRIBUTING.md's recipe (tests/test_contributing.py)
SDK_VERSION_CHECK = register(
    Rule(
        code="CLV509",
        name="sdk-version-check",
        step=1,
        severity=Severity.INFO,
        summary="Code that reads the v2 SDK's version.",
        rationale="The v2 SDK's version says nothing of the API version the code calls.",
        invalid="import clever\\nprint(clever.VERSION)\\n",
        valid="print(API_VERSION)\\n",
    )
)


class _VersionVisitor(ScopedVisitor):
    def __init__(self, context):
        super().__init__(context)
        self.found = []

    def visit_Attribute(self, node):
        if isinstance(node.value, cst.Name) and node.value.value == "clever" and node.attr.value == "VERSION":
            self.found.append(NodeFinding(SDK_VERSION_CHECK, node, "reads the v2 SDK's version", Confidence.HIGH))


NODE_CHECKS = NODE_CHECKS + ((applies, _VersionVisitor, lambda context, visitor: visitor.found),)
"""


def test_a_rule_is_its_family_module_and_the_generated_docs(package, tmp_path):
    recipe = _recipe("A rule")
    assert "NODE_CHECKS" in recipe and "docs/rules.md" in recipe
    package.edit(
        "linter/rules/sdk.py",
        "NODE_CHECKS = ((applies, visitor, finish),)\n",
        "NODE_CHECKS = ((applies, visitor, finish),)\n" + NEW_RULE,
    )
    project = _project(tmp_path, "import clever\n\nprint(clever.VERSION)\n")
    completed = package.run(project, "check", "--no-cache", "--no-show-source", "--select", "CLV509", ".")
    assert completed.stdout.startswith("sync.py:3:7: CLV509 reads the v2 SDK's version\n"), completed.stderr
    assert "CLV509  sdk-version-check" in package.run(project, "rules").stdout
    docs = package.run(project, "explain", "CLV509")
    assert docs.returncode == 0 and "Before (v2):" in docs.stdout
    assert package.touched() == ["linter/rules/sdk.py"]  # then `python -m linter.report.rules_doc > docs/rules.md`
