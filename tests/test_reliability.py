"""Bad input never breaks the tool: one clear line (or a finding), the rest of the run goes on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from linter.api import fix_paths
from tests.helpers import run_cli as run

GOOD = b'URL = "https://api.clever.com/v2.1/students"\n'


def lines_for(result, name: str):
    return [line for line in result.output.splitlines() if line.startswith(name + ":")]


@pytest.mark.parametrize(
    "name, data, expected",
    [
        pytest.param(
            "py2.py",
            b'print "hello"\nURL = "https://api.clever.com/v2.1/students"\n',
            [
                (
                    "py2.py:1:1: CLV001 cannot parse this file (Missing parentheses in call to 'print'. Did you mean "
                    "print(...)?); it was not checked"
                )
                if sys.version_info >= (3, 10)
                # Python 3.9's parser quotes the call and points at its argument
                else (
                    "py2.py:1:7: CLV001 cannot parse this file (Missing parentheses in call to 'print'. Did you mean "
                    'print("hello")?); it was not checked'
                )
            ],
            id="python 2",
        ),
        pytest.param(
            "last.py",
            b"x = 1\ndef f(:\n",
            ["last.py:2:7: CLV001 cannot parse this file (invalid syntax); it was not checked"],
            id="syntax error at the last line",
        ),
        pytest.param("empty.py", b"", [], id="empty file"),
        pytest.param("bom.py", b"\xef\xbb\xbf", [], id="only a BOM"),
        pytest.param(
            "latin.py",
            b'# -*- coding: latin-1 -*-\nX = "\xe9"\nURL = "https://api.clever.com/v2.1/students"\n',
            ["latin.py:3:31: CLV310", "latin.py:3:36: CLV301"],
            id="latin-1 with a cookie",
        ),
        pytest.param(
            "cp.py",
            b'# coding: cp1252\nX = "\x93q\x94"\nURL = "https://api.clever.com/v2.1/students"\n',
            ["cp.py:3:31: CLV310", "cp.py:3:36: CLV301"],
            id="cp1252 with a cookie",
        ),
        pytest.param(
            "undecodable.py",
            b'x = "\xff\xfe"\n',
            [
                (
                    "undecodable.py:1:1: CLV001 cannot parse this file (invalid or missing encoding declaration); it "
                    "was not checked"
                )
            ],
            id="undecodable bytes",
        ),
        pytest.param(
            "crlf.py",
            b'x = 1\r\nURL = "https://api.clever.com/v2.1/students"\r\n',
            ["crlf.py:2:31: CLV310", "crlf.py:2:36: CLV301"],
            id="CRLF",
        ),
        pytest.param(
            "cr.py",
            b'x = 1\rURL = "https://api.clever.com/v2.1/students"\r',
            ["cr.py:2:31: CLV310", "cr.py:2:36: CLV301"],
            id="CR only",
        ),
        pytest.param(
            "mixed.py",
            b'x = 1\r\ny = 2\nURL = "https://api.clever.com/v2.1/students"\r\n',
            ["mixed.py:3:31: CLV310", "mixed.py:3:36: CLV301"],
            id="mixed line endings",
        ),
        pytest.param(
            "tabs.py",
            b'if True:\n\tURL = "https://api.clever.com/v2.1/students"\n',
            ["tabs.py:2:32: CLV310", "tabs.py:2:37: CLV301"],
            id="tabs",
        ),
        pytest.param(
            "binary.py",
            bytes(range(256)) * 8,
            [
                (
                    "binary.py:1:1: CLV001 cannot parse this file ('utf-8' codec can't decode byte 0x80 in position "
                    "128: invalid start byte); it was not checked"
                )
            ],
            id="binary",
        ),
    ],
)
def test_bad_input(tmp_path, name, data, expected):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "zz_good.py").write_bytes(GOOD)  # the rest of the run is unaffected
    result = run(tmp_path, "check", name, "zz_good.py")  # named: parsed even without Clever text
    found = [
        line if "CLV001" in line else line.split(" CLV")[0] + " CLV" + line.split(" CLV")[1][:3]
        for line in lines_for(result, name)
    ]
    assert found == expected
    assert lines_for(result, "zz_good.py")[0].startswith("zz_good.py:1:31: CLV310")
    assert result.exit_code == 1


@pytest.mark.slow
def test_long_plus_chain_and_deep_parentheses(tmp_path):
    chain = " + ".join(['"a=1&"'] * 5000)
    (tmp_path / "chain.py").write_text(
        f'URL = "https://api.clever.com/v2.1" + "/teachers/" + tid + "/sections?" + {chain}\n'
    )
    (tmp_path / "parens.py").write_text(
        "URL = " + "(" * 400 + '"https://api.clever.com/v2.1/students"' + ")" * 400 + "\n"
    )
    result = run(tmp_path, "check", "--no-show-source", ".")
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.output.splitlines()[:-1]] == [
        "chain.py:1:31: CLV310",
        "chain.py:1:41: CLV302",
        "parens.py:1:431: CLV310",
        "parens.py:1:436: CLV301",
    ]


def test_links_and_odd_entries(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_bytes(GOOD)
    (outside / "sub").mkdir()
    (outside / "sub" / "other.py").write_bytes(GOOD)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "loop").mkdir()
    os.symlink("..", tree / "loop" / "up")  # a symlink loop
    os.symlink("missing.py", tree / "dangling.py")
    os.symlink(outside / "secret.py", tree / "escape.py")
    os.symlink(outside / "sub", tree / "escape_dir")
    (tree / "dir.py").mkdir()
    (tree / "dir.py" / "inner.py").write_bytes(GOOD)
    result = run(tree, "check", "--no-show-source", ".")
    assert result.exit_code == 1
    assert sorted({line.split(":")[0] for line in result.output.splitlines()[:-1]}) == ["dir.py/inner.py"]
    followed = run(tree, "check", "--no-show-source", ".", "--follow-symlinks")
    assert {line.split(":")[0] for line in followed.output.splitlines()[:-1]} == {
        "dir.py/inner.py",
        "escape.py",
        "escape_dir/other.py",
    }


def test_unreadable_file(tmp_path, monkeypatch):
    (tmp_path / "locked.py").write_bytes(GOOD)
    (tmp_path / "zz_good.py").write_bytes(GOOD)
    from linter.analysis import run as api

    real = api.read_bytes

    def deny(path, limit=-1):
        if path.name == "locked.py":
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(api, "read_bytes", deny)
    result = run(tmp_path, "check", ".")
    assert lines_for(result, "locked.py") == [
        "locked.py:1:1: CLV001 cannot parse this file (cannot read it: Permission denied); it was not checked"
    ]
    assert lines_for(result, "zz_good.py")


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "nope.py"], "clever-upgrade: error: nope.py: no such file or directory\n"),
        (["fix", "nope.py"], "clever-upgrade: error: nope.py: no such file or directory\n"),
        (["checklist", "nope"], "clever-upgrade: error: nope: no such file or directory\n"),
    ],
)
def test_missing_paths(tmp_path, args, message):
    result = run(tmp_path, *args)
    assert (result.exit_code, result.output) == (2, message)


def test_fix_never_writes_over_a_file_changed_after_the_scan(tmp_path, monkeypatch):
    target = tmp_path / "app.py"
    target.write_bytes(b'URL = "https://api.clever.com/v3.1/teachers/" + tid\n')
    from linter.fix import apply as fixer

    real = fixer.apply_edits

    def edit_meanwhile(source, edits, module=None):
        result = real(source, edits, module)
        target.write_bytes(b"# someone else's edit\n" + source)
        return result

    monkeypatch.setattr(fixer, "apply_edits", edit_meanwhile)
    report = fix_paths([str(tmp_path)], unsafe=True)
    assert report.failed == {f"{tmp_path}/app.py": "it changed since it was checked; run fix again"}
    assert target.read_bytes().startswith(b"# someone else's edit\n")


def test_fix_on_a_deleted_file(tmp_path, monkeypatch):
    target = tmp_path / "app.py"
    target.write_bytes(b'URL = "https://api.clever.com/v3.1/teachers/" + tid\n')
    from linter.fix import apply as fixer

    real = fixer.apply_edits

    def delete_meanwhile(source, edits, module=None):
        result = real(source, edits, module)
        target.unlink()
        return result

    monkeypatch.setattr(fixer, "apply_edits", delete_meanwhile)
    report = fix_paths([str(tmp_path)], unsafe=True)
    assert report.failed[f"{tmp_path}/app.py"].startswith("cannot read it again")
    assert not target.exists()
    assert not list(tmp_path.iterdir())  # no temporary file left behind


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_yaml_is_read_safely(tmp_path):
    (tmp_path / "cu.yaml").write_text("!!python/object/apply:os.system ['echo pwned > pwned.txt']\n")
    result = run(tmp_path, "check", "--config", "cu.yaml", ".")
    assert result.exit_code == 2 and "not valid YAML" in result.output
    assert not (tmp_path / "pwned.txt").exists()


def test_huge_generated_file_is_scanned_as_text(tmp_path):
    body = "".join(f"def f{i}(x):\n    return x + {i}\n" for i in range(120_000))  # about 3.6 MB
    (tmp_path / "generated.py").write_text(body + 'URL = "https://api.clever.com/v2.1/students"\n')
    (tmp_path / "zz_good.py").write_bytes(GOOD)
    result = run(tmp_path, "check", ".", "--min-confidence", "low")
    lines = lines_for(result, "generated.py")
    assert lines[0].startswith("generated.py:1:1: CLV004 too large for the full analysis (")
    assert [line.split(" ")[1] for line in lines[1:]] == ["CLV310", "CLV301"]
    assert lines[1].startswith("generated.py:240001:31: CLV310")
    assert lines_for(result, "zz_good.py")


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "missing/report.json"], "clever-upgrade: error: missing/report.json: cannot write the report ("),
        (
            ["--write-baseline", "missing/baseline.json"],
            "clever-upgrade: error: missing/baseline.json: cannot write the baseline (",
        ),
        (
            ["--baseline", "nope.json"],
            "clever-upgrade: error: nope.json: baseline file not found (write one with --write-baseline)",
        ),
    ],
)
def test_output_and_baseline_paths_that_cannot_be_used_are_one_line_errors(tmp_path, args, message):
    (tmp_path / "app.py").write_text('URL = "https://api.clever.com/v2.1/teachers"\n')
    result = run(tmp_path, "check", "app.py", *args)
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1 and result.output.startswith(message), result.output


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_report_file_is_a_one_line_error(tmp_path):
    (tmp_path / "app.py").write_text('URL = "https://api.clever.com/v2.1/teachers"\n')
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    result = run(tmp_path, "check", "app.py", "-o", "locked/report.txt")
    assert result.exit_code == 2 and "cannot write the report (Permission denied)" in result.output


def test_a_pyproject_that_is_not_utf8_is_a_one_line_error(tmp_path):
    (tmp_path / "app.py").write_text('URL = "https://api.clever.com/v2.1/teachers"\n')
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.clever-upgrade]\nselect = ["CLV\xff"]\n')
    for command in ("check", "fix", "checklist"):
        result = run(tmp_path, command, "app.py")
        assert result.exit_code == 2
        assert result.output == f"clever-upgrade: error: {tmp_path}/pyproject.toml: not UTF-8 text (byte 37)\n"


PIN_GROUP = {
    "settings.py": 'BASE = "https://api.clever.com/v2.1"\n',
    "client.py": 'import requests\nfrom settings import BASE\nrequests.get(BASE + "/teachers")\n',
}


def _write(root, files):
    for name, text in files.items():
        (root / name).write_text(text)


def test_ctrl_c_during_fix_leaves_the_group_whole_and_exits_130(tmp_path, monkeypatch):
    """Ctrl-C between the renames of one change waits until the last one (a pin moved
    without its paths is a 404 on every call), then ends the run with 130."""
    import signal

    from linter.source import transaction

    _write(tmp_path, PIN_GROUP)
    real = transaction.os.replace
    calls = []

    def interrupted(source, target):
        if str(target).endswith(".py"):
            calls.append(target)
        if len(calls) == 1 and str(target).endswith(".py"):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first file of the group
        return real(source, target)

    monkeypatch.setattr(transaction.os, "replace", interrupted)
    result = run(tmp_path, "fix", ".")
    assert result.exit_code == 130
    assert "/v3.1" in (tmp_path / "settings.py").read_text()
    assert "/users?role=teacher" in (tmp_path / "client.py").read_text()


def test_a_fix_killed_between_renames_is_completed_by_the_next_run(tmp_path, monkeypatch):
    from linter.source import transaction

    _write(tmp_path, PIN_GROUP)
    real = transaction.os.replace
    renames = []

    class Killed(BaseException):
        pass

    def killed_after_one(source, target):
        if str(target).endswith((".py",)):
            renames.append(target)
            if len(renames) == 2:
                raise Killed  # the process dies here: one file renamed, the journal left
        return real(source, target)

    monkeypatch.setattr(transaction.os, "replace", killed_after_one)
    with pytest.raises(Killed):
        fix_paths([str(tmp_path)])
    texts = {name: (tmp_path / name).read_text() for name in PIN_GROUP}
    assert sum("/v2.1" in t or '"/teachers"' in t for t in texts.values()) == 1  # half applied
    monkeypatch.setattr(transaction.os, "replace", real)
    report = fix_paths([str(tmp_path)])
    assert len(report.recovered) == 1
    assert "/v3.1" in (tmp_path / "settings.py").read_text()
    assert "/users?role=teacher" in (tmp_path / "client.py").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".clever-upgrade")]  # no temporary file left


@pytest.mark.parametrize("command", ["check", "fix", "checklist"])
def test_ctrl_c_in_any_command_exits_130(tmp_path, monkeypatch, command):
    _write(tmp_path, PIN_GROUP)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("linter.analysis.run.lint_files", interrupt)
    result = run(tmp_path, command, ".", "--no-cache")
    assert result.exit_code == 130


def test_virtual_environments_are_not_walked(tmp_path):
    """A directory that holds a file pyvenv.cfg is skipped and counted as excluded; the
    directory named on the command line is walked even so."""
    from linter.source.files import discover

    for directory in ("myenv", "app/venv2", "pkg.egg-info", "app/code"):
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "x.py").write_bytes(GOOD)
    for directory in ("myenv", "app/venv2"):
        (tmp_path / directory / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "app" / "code" / "pyvenv.cfg").mkdir()  # a directory of that name is no marker
    skipped: dict = {}
    found = discover([str(tmp_path)], skipped=skipped)
    assert [Path(f.display).relative_to(tmp_path).as_posix() for f in found] == ["app/code/x.py"]
    assert skipped == {"excluded": 3}  # myenv, app/venv2, pkg.egg-info
    assert [Path(f.display).name for f in discover([str(tmp_path / "myenv")])] == ["pyvenv.cfg", "x.py"]
