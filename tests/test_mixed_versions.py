"""Property: `fix` never makes a program build a URL that mixes API versions (a v3.1 path under
a v1/v2 prefix, or a v2 role path under a v3.1 prefix). The generated projects mix a base (a
constant, split into host and version, or a keyword default), URL builders, helper joiners,
role fallbacks and uses the analysis cannot read. The oracle is the generated program itself:
its URL builders are pure functions, run before and after `fix`, not our resolver."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from typing import List

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.api import Options, fix_paths

settings.register_profile("default", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

V2_ROLE_SEGMENTS = {"students", "teachers", "school_admins", "district_admins", "contacts"}
V3_ONLY_SEGMENTS = {"users", "mystudents", "myteachers", "mycontacts"}

BASES = {
    "constant": 'BASE = "https://api.clever.com/v2.1"\n',
    "host and version": 'HOST = "https://api.clever.com"\nVERSION = "v2.1"\nBASE = HOST + "/" + VERSION\n',
    "f-string": 'VERSION = "v2.1"\nBASE = f"https://api.clever.com/{VERSION}"\n',
}

# each builder takes an ID and returns the URLs it requests
BUILDERS = {
    "literal collection": 'def b_{n}(x):\n    return [BASE + "/students"]\n',
    "record with %": 'def b_{n}(x):\n    return [BASE + "/teachers/%s/sections" % x]\n',
    "f-string record": 'def b_{n}(x):\n    return [f"{{BASE}}/students/{{x}}"]\n',
    "unchanged path": 'def b_{n}(x):\n    return [BASE + "/sections/" + x]\n',
    "helper joiner": 'def b_{n}(x):\n    return [join("/school_admins/" + x + "/schools")]\n',
    "dict pick": 'KINDS_{n} = {{"learner": "students", "educator": "teachers"}}\n'
    'def b_{n}(x):\n    return [BASE + "/" + KINDS_{n}[k] for k in ("learner", "educator")]\n',
    "string swap": 'def b_{n}(x):\n    return [BASE + "/users".replace("users", "teachers")]\n',
    "fallback": 'def b_{n}(x):\n    return [f"{{BASE}}/students/{{x}}", f"{{BASE}}/teachers/{{x}}"]\n',
    "builder version": 'def b_{n}(x):\n    return [build("/contacts/" + x)]\n',
    "opaque segment": 'def b_{n}(x):\n    return [BASE + "/" + x]\n',
    "role loop": 'def b_{n}(x):\n    return [BASE + "/" + kind for kind in ("students", "teachers")]\n',
    "format": 'def b_{n}(x):\n    return ["{{}}/sections/{{}}/students".format(BASE, x)]\n',
    "urljoin": 'from urllib.parse import urljoin\ndef b_{n}(x):\n    return [urljoin(BASE + "/", "contacts")]\n',
    "keyword default": 'def b_{n}(x, base=BASE):\n    return [base + "/district_admins/" + x]\n',
    "client method": "class C_{n}:\n    root = BASE\n    def get(self, p):\n        return self.root + p\n"
    'def b_{n}(x):\n    return [C_{n}().get("/students/" + x), C_{n}().get("/schools")]\n',
    "config dict": 'CFG_{n} = {{"base": BASE}}\ndef b_{n}(x):\n    return [CFG_{n}["base"] + "/teachers"]\n',
}

PRELUDE = (
    "def join(path):\n    return BASE + path\n\n"
    'def build(path, host="https://api.clever.com"):\n    return host + "/v2.0" + path\n\n'
)


def _segments(url: str) -> List[str]:
    path = url.split("://", 1)[-1].split("?", 1)[0]
    return [s for s in path.split("/")[1:] if s]


def _mixes_versions(url: str) -> bool:
    segments = _segments(url)
    if not segments or not segments[0].startswith("v") or "." not in segments[0]:
        return False
    version, path = segments[0], set(segments[1:])
    if version.startswith(("v1", "v2")):
        return bool(path & V3_ONLY_SEGMENTS)
    return bool(path & V2_ROLE_SEGMENTS)


def _urls(source: str, directory: Path) -> List[str]:
    path = directory / "client_under_test.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"client_under_test_{id(source)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the generated module only defines pure functions
    out: List[str] = []
    for name in sorted(dir(module)):
        if name.startswith("b_"):
            out.extend(getattr(module, name)("id7"))
    return out


@given(
    base=st.sampled_from(sorted(BASES)),
    builders=st.lists(st.sampled_from(sorted(BUILDERS)), min_size=1, max_size=5),
    unsafe=st.booleans(),
)
def test_fix_never_builds_a_url_that_mixes_versions(base, builders, unsafe):
    source = BASES[base] + PRELUDE + "\n".join(BUILDERS[b].format(n=i) for i, b in enumerate(builders))
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        project = root / "project"
        project.mkdir()
        (project / "client.py").write_text(source)
        before = _urls(source, root)
        assert not [u for u in before if _mixes_versions(u)], "the generated program must be consistent"
        fix_paths([str(project)], Options(), unsafe=unsafe)
        fixed = (project / "client.py").read_text()
        after = _urls(fixed, root)
        assert len(after) == len(before)
        assert not [u for u in after if _mixes_versions(u)], fixed
    sys.modules.pop(f"client_under_test_{id(source)}", None)
