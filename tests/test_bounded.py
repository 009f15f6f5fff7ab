"""The analysis of a module costs in proportion to its size, whatever its shape: shapes that
once made a run grow exponentially (and never finish), reproduced, with the work counted."""

from __future__ import annotations

import pytest

from linter.evaluate import flow
from tests.helpers import lint_tree


def _lookups(classes: int, branches: int) -> str:
    """Objects whose `lookup` returns another `lookup` in many branches, and a record read two
    keys deep from one (as configuration readers and user builders do): the flow looks for the
    key's dict entry through every return of every callee (an old walk did so again for each
    path to it: 2 branches and 40 levels deep, 2**40 walks)."""
    lines = ["import requests", "", 'BASE = "https://api.clever.com/v2.1"', ""]
    for number in range(classes):
        lines += ["", f"class Source{number}:", "    def lookup(self, key, flag):"]
        for branch in range(branches):
            lines += [f"        if flag == {branch}:", f"            return self.lookup(key, flag - {branch + 1})"]
        lines += ['        return {"id": key}', ""]
    lines += [
        "",
        "def sync(source, token):",
        '    teacher = requests.get(BASE + "/teachers").json()["data"]',
        '    record = source.lookup(teacher["id"], 3)',
        '    return record["profile"]["id"], record["kind"]',
        "",
    ]
    return "\n".join(lines)


class _Budget(Exception):
    pass


@pytest.mark.parametrize("classes, branches", [(1, 2), (3, 6), (3, 16)])
def test_looking_for_a_dict_entry_through_returns_is_linear(tmp_path, monkeypatch, classes, branches):
    calls = []
    find = flow.Flow._find_entry

    def counted(self, *args):
        calls.append(1)
        if len(calls) > 10_000:
            raise _Budget  # the exponential walk: fail now instead of running for hours
        return find(self, *args)

    monkeypatch.setattr(flow.Flow, "_find_entry", counted)
    result = lint_tree(tmp_path, {"sync.py": _lookups(classes, branches)})
    returns = classes * (branches + 1)
    assert 0 < len(calls) <= 2 * returns + 10
    assert "CLV301" in {f.code for f in result.findings}  # the module was analysed, not skipped


def _rebound_parameter(rebinds: int) -> str:
    """A parameter rebound in many branches from an attribute of itself (`typ = typ.field`), then
    read two attributes deep in a URL: the class of the object it holds was looked for through
    every binding of every binding (3 rebinds: past a minute; a type checker's message module
    has this shape)."""
    lines = ['BASE = "https://api.clever.com/v2.1"', "", "", "def describe(typ, flags):"]
    for number in range(rebinds):
        lines += [f"    if flags & {1 << number}:", f"        typ = typ.field_{number}"]
    lines += ['    return BASE + "/teachers/" + typ.owner.name', ""]
    return "\n".join(lines)


@pytest.mark.parametrize("rebinds", [2, 6, 24])
def test_the_class_of_a_rebound_parameter_is_looked_for_once_a_binding(tmp_path, monkeypatch, rebinds):
    from linter.evaluate import resolve

    calls = []
    find = resolve.Resolver._find_instance_class

    def counted(self, *args):
        calls.append(1)
        if len(calls) > 10_000:
            raise _Budget  # the exponential walk
        return find(self, *args)

    monkeypatch.setattr(resolve.Resolver, "_find_instance_class", counted)
    result = lint_tree(tmp_path, {"shape.py": _rebound_parameter(rebinds)})
    assert 0 < len(calls) <= 4 * rebinds + 10
    assert "CLV302" in {f.code for f in result.findings}
