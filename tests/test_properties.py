"""Property-based: modules that embed Clever v2 URLs in random constructions, mixed with
unrelated code. `check` never raises, ranges lie inside the file, `fix` output parses, `fix`
is idempotent, and `check` after `fix` reports nothing fixable.

The default profile keeps CI fast; HYPOTHESIS_PROFILE=long runs many more examples."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter import catalog
from linter.api import Options, fix_paths, lint_paths
from linter.model import Confidence

settings.register_profile("default", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PATHS = [row.v2.replace("{id}", "abc123") for row in catalog.endpoints()]
VERSIONS = ["v1.2", "v2.0", "v2.1", "v3.1", ""]
NAMES = st.sampled_from(["url", "path", "endpoint", "target", "u"])


def _forms(path: str, version: str, name: str):
    prefix = f"/{version}" if version else ""
    host = "https://api.clever.com"
    return [
        f'{name} = "{host}{prefix}{path}"',
        f'BASE = "{host}{prefix}"\n{name} = BASE + "{path}"',
        f"{name} = f\"{host}{prefix}{{'{path}'}}\"",
        f'{name} = "%s{path}" % "{host}{prefix}"',
        f'{name} = "{{base}}{path}".format(base="{host}{prefix}")',
        f'class Client:\n    BASE = "{host}{prefix}"\n    def get(self):\n        return self.BASE + "{path}"',
        f'def fetch(session, base="{host}{prefix}"):\n    return session.get(base + "{path}", params={{"limit": 5}})',
        f'{name} = [("{host}{prefix}" + p) for p in ["{path}"]]',
        f'{name} = "/".join(["{host}{prefix}".rstrip("/"), "{path.lstrip("/")}"])',
        f'import requests\nrequests.get(\n    "{host}{prefix}"\n    "{path}"\n)',
    ]


UNRELATED = [
    "def helper(x):\n    return [i * 2 for i in range(x) if i % 3]",
    "class Thing:\n    name = 'students'\n    def __repr__(self):\n        return f'<{self.name}>'",
    "try:\n    import json\nexcept ImportError:\n    json = None",
    "data = {'students': 1, 'type': 'teacher'}\nfor key, value in data.items():\n    print(key, value)",
    "lambda_ = lambda s: s.upper()\nresult = lambda_('x') if True else None",
    "@decorator('/students')\ndef view():\n    pass",
    "",
]


@st.composite
def modules(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        version = draw(st.sampled_from(VERSIONS))
        form = draw(st.sampled_from(_forms(path, version, draw(NAMES))))
        parts.append(form)
        parts.append(draw(st.sampled_from(UNRELATED)))
    return "\n\n".join(p for p in parts if p) + "\n"


@given(modules())
def test_check_and_fix_properties(source):
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "generated.py"
        target.write_text(source)
        options = Options(min_confidence=Confidence.LOW)
        result = lint_paths([directory], options)  # never raises
        lines = source.splitlines()
        for finding in result.findings:
            assert finding.code != "CLV002", finding.message
            assert 1 <= finding.span.line <= finding.span.end_line <= len(lines)
            assert 1 <= finding.span.column <= len(lines[finding.span.line - 1]) + 1
            assert finding.span.end_column <= len(lines[finding.span.end_line - 1]) + 1
        fix_paths([directory], options, unsafe=True)
        once = target.read_text()
        cst.parse_module(once)  # the fixed module parses
        fix_paths([directory], options, unsafe=True)
        assert target.read_text() == once  # idempotent
        after = lint_paths([directory], options)
        assert [f for f in after.visible if f.fixable] == []
