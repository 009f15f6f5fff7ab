"""The result cache: a re-run reads it, any change of a file, the options or the version misses,
a corrupt entry is ignored and rebuilt, --no-cache neither reads nor writes it."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.api import Options, lint_paths
from linter.cli import main
from linter.source import cache
from tests.helpers import run_cli

CODE = 'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/teachers")\n'


@pytest.fixture
def tree(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(CODE)
    (project / "other.py").write_text("x = 1\n")
    monkeypatch.setenv("CLEVER_UPGRADE_CACHE_DIR", str(tmp_path / "cache"))
    return project


def entries(tmp_path: Path):
    return sorted((tmp_path / "cache").glob("*.json"))


def test_a_rerun_reads_the_entry_and_gives_the_same_result(tree, tmp_path, monkeypatch):
    first = lint_paths([str(tree)], Options(cache=True))
    assert len(entries(tmp_path)) == 1
    assert (tmp_path / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    monkeypatch.setattr("linter.analysis.run.lint_files", lambda *a, **k: pytest.fail("the cache was not used"))
    second = lint_paths([str(tree)], Options(cache=True))
    assert second.findings == first.findings and second.endpoint_uses == first.endpoint_uses
    assert [f.fix for f in second.findings] == [f.fix for f in first.findings]
    assert second.texts == first.texts and second.files_scanned == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda tree: (tree / "other.py").write_text("x = 2\n"),  # a file with no finding
        lambda tree: (tree / "new.py").write_text("y = 1\n"),  # a file added
        lambda tree: (tree / "other.py").unlink(),  # a file removed
    ],
    ids=["content", "added", "removed"],
)
def test_any_change_of_the_files_misses(tree, tmp_path, change):
    lint_paths([str(tree)], Options(cache=True))
    change(tree)
    lint_paths([str(tree)], Options(cache=True))
    assert len(entries(tmp_path)) == 2


def test_options_and_version_are_part_of_the_key(tree, tmp_path, monkeypatch):
    lint_paths([str(tree)], Options(cache=True))
    lint_paths([str(tree)], Options(cache=True, ignore=("CLV310",)))
    monkeypatch.setattr(cache, "__version__", "99.0")
    lint_paths([str(tree)], Options(cache=True))
    assert len(entries(tmp_path)) == 3


def test_the_tools_own_sources_are_part_of_the_key(tmp_path):
    # an editable install keeps its version while its code changes: a run of older code must not
    # answer for the new one
    package = tmp_path / "pkg"
    (package / "rules").mkdir(parents=True)
    rule = package / "rules" / "a.py"
    rule.write_text("X = 1\n")
    (package / "notes.txt").write_text("not code\n")
    before = cache.sources(package)
    (package / "notes.txt").write_text("still not code, longer\n")
    cache.sources.cache_clear()
    assert cache.sources(package) == before
    rule.write_text("X = 22\n")
    cache.sources.cache_clear()
    assert cache.sources(package) != before
    assert cache.build().startswith(cache.__version__ + ":")


def test_a_corrupt_entry_is_ignored_and_rebuilt(tree, tmp_path):
    expected = lint_paths([str(tree)], Options(cache=False)).findings
    lint_paths([str(tree)], Options(cache=True))
    (entry,) = entries(tmp_path)
    for garbage in ("{not json", json.dumps({"format": cache.FORMAT, "key": entry.stem, "findings": [{"x": 1}]}), ""):
        entry.write_text(garbage)
        assert lint_paths([str(tree)], Options(cache=True)).findings == expected
        assert json.loads(entry.read_text())["key"] == entry.stem  # rewritten whole


def test_no_cache_neither_reads_nor_writes(tree, tmp_path):
    old = os.getcwd()
    os.chdir(tree)
    try:
        result = CliRunner().invoke(main, ["check", "--no-cache", "."])
        assert result.exit_code == 1 and entries(tmp_path) == []
        result = CliRunner().invoke(main, ["check", "."])
        assert result.exit_code == 1 and len(entries(tmp_path)) == 1
    finally:
        os.chdir(old)


def test_concurrent_runs_leave_one_whole_entry(tree, tmp_path):
    errors = []

    def run():
        try:
            lint_paths([str(tree)], Options(cache=True))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    (entry,) = entries(tmp_path)
    assert json.loads(entry.read_text())["files_scanned"] == 2
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [".gitignore", entry.name]  # no temporary left


def test_default_location_is_beside_the_configuration(tmp_path, monkeypatch):
    monkeypatch.delenv("CLEVER_UPGRADE_CACHE_DIR")
    assert cache.location(tmp_path) == tmp_path / ".clever-upgrade-cache"


def test_a_change_of_an_imported_module_outside_the_run_invalidates_the_answer(tmp_path, monkeypatch):
    """`check client.py` exits 0; the settings module it imports its base from moves to a
    Clever v2.1 URL; the next `check client.py` must see it (it once answered 0 from the cache)."""
    monkeypatch.setenv("CLEVER_UPGRADE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "settings.py").write_text('BASE = "https://roster.example.org/api"\n')
    (tmp_path / "client.py").write_text(
        'import requests\nfrom settings import BASE\nrequests.get(BASE + "/teachers")\n'
    )
    first = run_cli(tmp_path, "check", "client.py")
    assert first.exit_code == 0, first.output
    (tmp_path / "settings.py").write_text('BASE = "https://api.clever.com/v2.1"\n')
    second = run_cli(tmp_path, "check", "client.py")
    assert second.exit_code == 1
    assert "client.py:3:23: CLV301 v2 role endpoint /v2.1/teachers" in second.output
    third = run_cli(tmp_path, "check", "client.py")  # the new answer is cached in turn
    assert (third.exit_code, third.output) == (second.exit_code, second.output)
