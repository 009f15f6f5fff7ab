"""One SDK detector (linter.evaluate.sdk) for check, fix and the data flow: evidence decides
whether `clever` is the v2 SDK, never the package name alone."""

import pytest

from linter.api import fix_paths, lint_paths
from tests.helpers import write_tree

APP = """\
import clever
import requests

BASE = "https://api.clever.com/v2.1"


def teachers():
    clever.log("sync")
    return requests.get(BASE + "/teachers")
"""


def _check(root):
    result = lint_paths([str(root)])
    return [(f.path.split("/")[-1], f.span.line, f.code, f.fixable) for f in result.visible]


def test_a_projects_own_package_named_clever_is_not_the_sdk_for_check_and_fix(tmp_path):
    write_tree(tmp_path, {"app.py": APP, "clever/__init__.py": "def log(message):\n    print(message)\n"})
    assert _check(tmp_path) == [("app.py", 4, "CLV310", True), ("app.py", 9, "CLV301", True)]
    report = fix_paths([str(tmp_path)])
    assert report.failed == {}
    assert (tmp_path / "app.py").read_text() == APP.replace("/v2.1", "/v3.1").replace(
        '"/teachers"', '"/users?role=teacher"'
    )
    assert _check(tmp_path) == []


def test_a_vendored_copy_of_the_v2_sdk_is_the_sdk(tmp_path):
    write_tree(
        tmp_path,
        {
            "app.py": APP,
            "clever/__init__.py": "from clever.apis.data_api import DataApi\n\ndef log(message):\n    pass\n",
            "clever/apis/__init__.py": "",
            "clever/apis/data_api.py": "class DataApi:\n    pass\n",
        },
    )
    found = _check(tmp_path)
    assert ("app.py", 4, "CLV310", False) in found  # the pin stays: the SDK speaks v2.0 only
    fix_paths([str(tmp_path)])
    assert "/v2.1" in (tmp_path / "app.py").read_text()


@pytest.mark.parametrize(
    "package",
    [
        pytest.param({"clever/__init__.py": "class UsersApi:\n    pass\n\ndef log(m):\n    pass\n"}, id="UsersApi"),
        pytest.param(
            {
                "clever/__init__.py": "def log(m):\n    pass\n",
                "clever/configuration.py": 'HOST = "https://api.clever.com/v3.0"\n',
            },
            id="a v3 host in its configuration",
        ),
    ],
)
def test_a_generated_v3_client_named_clever_is_never_called_v2(tmp_path, package):
    write_tree(tmp_path, {"app.py": APP, **package})
    assert _check(tmp_path) == [("app.py", 4, "CLV310", True), ("app.py", 9, "CLV301", True)]


def test_the_installed_v2_sdk_is_still_the_sdk(tmp_path):
    write_tree(tmp_path, {"app.py": "import clever\napi = clever.DataApi(clever.ApiClient())\napi.get_teachers()\n"})
    assert [code for _, _, code, _ in _check(tmp_path)] == ["CLV101", "CLV320"]
