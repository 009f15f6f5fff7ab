"""The calibration of docs/confidence.md, tested both ways: each kind of Clever evidence raises
a construct to medium or high, and the same construct without it (or on another vendor's
base) stays low or is not reported."""

from __future__ import annotations

import pytest

from tests.helpers import lint_tree

HELPER = """
    import requests

    BASE = "{base}"

    class Client:
        def _get(self, endpoint, **params):
            return requests.get(f"{{BASE}}/{{endpoint}}", params=params).json()
"""
CALLER = """
    from app.client import Client

    def students(client: Client):
        return client._get("students")
"""


def levels(tmp_path, files, code="CLV301"):
    result = lint_tree(tmp_path, files, min_confidence="low")
    return sorted(
        (f.path.rsplit("/", 1)[-1], f.span.line, f.confidence.value) for f in result.findings if f.code == code
    )


@pytest.mark.parametrize(
    "base, expected",
    [
        ("https://api.clever.com/v2.1", [("students.py", 5, "medium")]),
        ("https://sis.example.org/ims/oneroster/v1p1", []),
    ],
    ids=["a helper on a Clever base", "the same helper on a OneRoster base"],
)
def test_a_bare_segment_takes_the_level_of_the_helper_it_is_handed_to(tmp_path, base, expected):
    files = {"app/__init__.py": "", "app/client.py": HELPER.format(base=base), "app/students.py": CALLER}
    assert levels(tmp_path, files) == expected


@pytest.mark.parametrize(
    "subclass_base, expected",
    [
        ('"https://api.clever.com/v2.1"', [("vendors.py", 9, "medium")]),
        ('"https://sis.example.org/ims/oneroster/v1p1"', []),
    ],
    ids=["the subclass sets a Clever base", "the subclass sets a OneRoster base"],
)
def test_a_base_class_helper_joins_the_subclass_base(tmp_path, subclass_base, expected):
    files = {
        "app/__init__.py": "",
        "app/base.py": """
            import requests

            class Connector:
                base_url = ""
                def get(self, path):
                    return requests.get(self.base_url + path).json()
        """,
        "app/vendors.py": f"""
            import requests
            from app.base import Connector
            OTHER = "https://api.clever.com/v3.1"  # Clever code elsewhere in the module

            class Vendor(Connector):
                base_url = {subclass_base}
                def students(self):
                    return self.get("/students")
        """,
    }
    assert levels(tmp_path, files) == expected


@pytest.mark.parametrize(
    "module, expected",
    [
        ('import requests\nBASE = "https://api.clever.com/v3.1"\nPATH = "/students"\n', [("app.py", 3, "medium")]),
        ('import requests\nPATH = "/students"\n', [("app.py", 2, "low")]),
        # another vendor's evidence is nearer: not reported at any level (docs/confidence.md)
        ('import requests\nBASE = "https://sis.example.org/v1"\nPATH = "/students"\n', []),
    ],
    ids=["a module with a Clever base", "no Clever evidence", "another vendor's module"],
)
def test_a_path_without_host_takes_the_level_of_its_module(tmp_path, module, expected):
    assert levels(tmp_path, {"app.py": module}) == expected


def test_evidence_elsewhere_does_not_raise_a_path_on_another_vendors_base(tmp_path):
    files = {
        "clever_client.py": 'import requests\nBASE = "https://api.clever.com/v2.1"\nrequests.get(BASE + "/sections")\n',
        "oneroster.py": 'import requests\nrequests.get("https://sis.example.org/ims/oneroster/v1p1" + "/students")\n',
    }
    assert levels(tmp_path, files) == []


@pytest.mark.parametrize(
    "default, expected",
    [
        ('"https://api.clever.com/v2.1"', [("app.py", 5, "high")]),
        ('"https://sis.example.org/v1"', []),
    ],
    ids=["a Clever default", "another vendor's default"],
)
def test_a_settings_get_default_is_the_base(tmp_path, default, expected):
    code = f"""
        import requests
        def students(config):
            base = config.get("base_url", {default})
            return requests.get(base + "/students")
    """
    assert levels(tmp_path, {"app.py": code}) == expected


@pytest.mark.parametrize(
    "init, expected",
    [
        ("from app.vendor.clever.apis import DataApi\n", [("use.py", 3, "high")]),
        ("from app.vendor.clever.apis import UsersApi\n", []),
    ],
    ids=["a vendored copy of the v2 SDK", "a vendored client generated from v3"],
)
def test_a_vendored_sdk_is_told_by_its_evidence(tmp_path, init, expected):
    name = "DataApi" if "DataApi" in init else "UsersApi"
    files = {
        "app/__init__.py": "",
        "app/vendor/__init__.py": "",
        "app/vendor/clever/__init__.py": init,
        "app/vendor/clever/apis.py": f"class {name}:\n    def __init__(self, client=None):\n        pass\n",
        "app/use.py": f"from app.vendor.clever import {name}\n\napi = {name}(None)\n",
    }
    assert levels(tmp_path, files, code="CLV101") == expected
