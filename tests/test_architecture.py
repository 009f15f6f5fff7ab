"""The architecture holds: layers and contracts (import-linter), no import cycle at all, our own
style (ruff), a small top level, layer docstrings, and the rule codes known without LibCST."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("linter", "codemods")


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (it comes with the test extra: pip install -e '.[test]')")
    return found


def test_import_contracts_are_kept():
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_lint_and_format_pass():
    ruff = _tool("ruff")
    lint = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    form = subprocess.run([ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert form.returncode == 0, form.stdout + form.stderr


def _modules():
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(name: str, path: Path, modules) -> set:
    """The modules of ours that `name` imports anywhere (functions included), except under
    `if TYPE_CHECKING:`, which never runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_the_type_checker_passes_on_the_layers_it_covers():
    """mypy, configured in pyproject.toml ([tool.mypy] names the layers it holds clean)."""
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
    checked = int(result.stdout.split(" in ")[1].split()[0])
    assert checked >= 20, result.stdout  # the layers named, not an empty selection


def test_the_command_line_is_thin():
    """One module a command, none over 300 lines; usage errors are raised (model.UsageError) and
    caught once, by the group, not printed and exited from in each command."""
    package = ROOT / "linter" / "cli"
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in package.glob("*.py")}
    assert not (ROOT / "linter" / "cli.py").exists()
    assert max(sizes.values()) <= 300, sizes
    texts = {name: (package / name).read_text(encoding="utf-8") for name in sizes}
    assert [name for name, text in texts.items() if "sys.exit(EXIT_USAGE)" in text] == ["__init__.py"]
    assert not [name for name, text in texts.items() if "except" in text and "_fail(" in text]


def test_every_usage_error_of_the_layers_is_one_usage_error():
    from linter.config import ConfigError
    from linter.model import UsageError
    from linter.report.baseline import BaselineError
    from linter.runtime.trace import TraceError
    from linter.source.files import PathError

    assert all(issubclass(error, UsageError) for error in (ConfigError, PathError, BaselineError, TraceError))


def test_no_import_cycles_counting_imports_inside_functions():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_few_modules_directly_in_linter_and_each_layer_says_what_it_may_import():
    top = sorted(p.name for p in (ROOT / "linter").glob("*.py"))
    assert len(top) <= 8, top
    layers = [p for p in (ROOT / "linter").iterdir() if (p / "__init__.py").is_file()]
    assert {p.name for p in layers} >= {"source", "syntax", "evaluate", "analysis", "rules", "fix", "report", "catalog"}
    for layer in layers:
        doc = ast.get_docstring(ast.parse((layer / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"linter/{layer.name}/__init__.py: say what the layer holds and may import"


def test_rule_codes_known_without_libcst_are_the_registry():
    from linter.rules import REGISTRY
    from linter.rules.codes import CODES

    # CODES is read from the family modules' text, REGISTRY from their imports: equal means every
    # family is registered (a lost import once dropped six rules)
    assert sorted(CODES) == sorted(REGISTRY)


def test_validating_selectors_does_not_load_libcst():
    script = (
        "import sys\n"
        "from linter import selection\n"
        "from linter.rules.codes import CODES\n"
        "print(selection.unknown(['CLV9', 'CLV3', 'CLV3O1'], CODES), 'libcst' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT).stdout
    assert out.split("\n")[0] == "('CLV9', 'CLV3O1') False"


def test_the_pre_commit_configuration_of_our_own_code_uses_the_test_extras_tools():
    """.pre-commit-config.yaml runs ruff (at the version the suite pins) and mypy, and pre-commit
    accepts it."""
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy"} <= set(hooks)
    import re

    pinned = re.search(r'"(ruff==[^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    assert hooks["ruff"]["additional_dependencies"] == [pinned] == hooks["ruff-format"]["additional_dependencies"]
    validated = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_the_readme_lists_the_formats_of_the_registry():
    import re

    from linter.report import formats

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"More options of `check`.*?`--format\s+([a-z|]+)`", readme, re.S).group(1).split("|")
    assert listed == list(formats.offered("check"))
