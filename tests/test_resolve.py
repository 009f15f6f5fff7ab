"""The resolver: every construction form, v2 snippet in, the URL template out.

`resolved(code)` returns the template of the expression assigned to `url` (the last such
assignment), with holes written `{}`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from linter.evaluate.resolve import Resolver
from linter.syntax.project import Project
from tests.helpers import codes, lint_tree, write_tree


def _scopes(scope):
    yield scope
    for child in list(scope.classes.values()) + list(scope.functions.values()):
        yield from _scopes(child)


def resolved(code: str) -> str:
    """The template of the value last assigned to `url`, in any scope of the snippet."""
    project = Project([Path(".")])
    info = project.load(Path("snippet_for_resolve.py"), "snippet.py", textwrap.dedent(code).encode())
    assert info.error is None, info.error
    binding = None
    for scope in _scopes(info.scope):
        if "url" in scope.assigns:
            binding = scope.assigns["url"][-1]
    assert binding is not None, "the snippet assigns no `url`"
    value, scope = binding
    return Resolver(project).resolve(value, scope).display()


H = "https://api.clever.com"


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param('url = "https://api.clever.com/v2.1/teachers"', f"{H}/v2.1/teachers", id="plain literal"),
        pytest.param("url = 'https://api.clever.com/v2.1/teachers'", f"{H}/v2.1/teachers", id="single quotes"),
        pytest.param('url = """https://api.clever.com/v2.1/teachers"""', f"{H}/v2.1/teachers", id="triple quotes"),
        pytest.param('url = r"https://api.clever.com/v2.1/teachers"', f"{H}/v2.1/teachers", id="raw string"),
        pytest.param(
            'url = "https://api.clever.com" "/v2.1" \'/teachers\'', f"{H}/v2.1/teachers", id="implicit concatenation"
        ),
        pytest.param(
            'url = ("https://api.clever.com"\n       "/v2.1/teachers")',
            f"{H}/v2.1/teachers",
            id="implicit concatenation across lines",
        ),
        pytest.param(
            'url = "https://api.clever.com/v2.1/students/\\x41"', f"{H}/v2.1/students/A", id="escapes evaluated"
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1"\nurl = f"{BASE}/teachers/{tid}/sections"',
            f"{H}/v2.1/teachers/{{}}/sections",
            id="f-string with constant and hole",
        ),
        pytest.param(
            "url = f\"https://api.clever.com/v2.1/teachers/{user['id']}/sections\"",
            f"{H}/v2.1/teachers/{{}}/sections",
            id="f-string subscript hole",
        ),
        pytest.param(
            'url = f"https://api.clever.com/v2.1/{{literal}}/{x:>4}"',
            f"{H}/v2.1/{{literal}}/{{}}",
            id="f-string braces and format spec",
        ),
        pytest.param(
            'V = "v2.1"\nurl = f"https://api.clever.com/{f\'{V}\'}/teachers"',
            f"{H}/v2.1/teachers",
            id="nested f-string",
        ),
        pytest.param(
            'url = rf"https://api.clever.com/v2.1/teachers/{tid}"', f"{H}/v2.1/teachers/{{}}", id="raw f-string"
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1"\nurl = BASE + "/teachers/" + tid + "/sections"',
            f"{H}/v2.1/teachers/{{}}/sections",
            id="plus chain",
        ),
        pytest.param(
            (
                'BASE = "https://api.clever.com/v2.1"\nurl = (BASE\n       + "/teachers/"\n       + str(tid)\n'
                '       + "/sections")'
            ),
            f"{H}/v2.1/teachers/{{}}/sections",
            id="plus chain across lines",
        ),
        pytest.param(
            'url = "https://api.clever.com/v2.1/students/%s" % sid',
            f"{H}/v2.1/students/{{}}",
            id="percent single value",
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1"\nurl = "%s/teachers/%s/students" % (BASE, tid)',
            f"{H}/v2.1/teachers/{{}}/students",
            id="percent tuple",
        ),
        pytest.param(
            (
                'BASE = "https://api.clever.com/v2.1"\n'
                'url = "%(base)s/sections/%(id)s/teachers" % {"base": BASE, "id": sid}'
            ),
            f"{H}/v2.1/sections/{{}}/teachers",
            id="percent dict",
        ),
        pytest.param(
            'url = "https://api.clever.com/v2.1/students?limit=%d%%" % n',
            f"{H}/v2.1/students?limit={{}}%",
            id="percent escape",
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1"\nurl = "{}/teachers/{}/sections".format(BASE, tid)',
            f"{H}/v2.1/teachers/{{}}/sections",
            id="format positional",
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1"\nurl = "{0}/teachers/{1}/sections/{0}".format(BASE, tid)',
            f"{H}/v2.1/teachers/{{}}/sections/{H}/v2.1",
            id="format indexed",
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1"\nurl = "{base}/students/{sid}".format(base=BASE, sid=s)',
            f"{H}/v2.1/students/{{}}",
            id="format named",
        ),
        pytest.param(
            'T = "{base}/teachers/{id}"\nurl = T.format(base="https://api.clever.com/v2.0", id=i)',
            f"{H}/v2.0/teachers/{{}}",
            id="format on a constant template",
        ),
        pytest.param(
            'from urllib.parse import urljoin\nurl = urljoin("https://api.clever.com/v2.1/", "teachers")',
            f"{H}/v2.1/teachers",
            id="urljoin relative",
        ),
        pytest.param(
            'from urllib.parse import urljoin\nurl = urljoin("https://api.clever.com/v2.1", "teachers")',
            f"{H}/teachers",
            id="urljoin replaces the last segment",
        ),
        pytest.param(
            'import urllib.parse\nurl = urllib.parse.urljoin("https://api.clever.com/v2.1/", "/v2.0/students")',
            f"{H}/v2.0/students",
            id="urljoin absolute path",
        ),
        pytest.param(
            'url = "/".join(["https://api.clever.com", "v2.1", "sections", sid, "students"])',
            f"{H}/v2.1/sections/{{}}/students",
            id="slash join",
        ),
        pytest.param(
            'import posixpath\nurl = posixpath.join("https://api.clever.com/v2.1", "teachers", tid)',
            f"{H}/v2.1/teachers/{{}}",
            id="posixpath join",
        ),
        pytest.param(
            'import os\nurl = os.path.join("https://api.clever.com/v2.1/", "students")',
            f"{H}/v2.1/students",
            id="os.path join",
        ),
        pytest.param(
            'BASE = "https://api.clever.com/v2.1/"\nurl = BASE.rstrip("/") + "/students"',
            f"{H}/v2.1/students",
            id="rstrip",
        ),
        pytest.param(
            'HOST = "https://api.clever.com"\nVERSION = "v2.1"\nBASE = f"{HOST}/{VERSION}"\nurl = BASE + "/teachers"',
            f"{H}/v2.1/teachers",
            id="constants built from constants",
        ),
        pytest.param(
            'import os\nBASE = os.environ.get("CLEVER_URL", "https://api.clever.com/v2.1")\nurl = BASE + "/students"',
            f"{H}/v2.1/students",
            id="environment default",
        ),
        pytest.param(
            'import os\nurl = os.getenv("CLEVER_URL", default="https://api.clever.com/v2.0")',
            f"{H}/v2.0",
            id="getenv default keyword",
        ),
        pytest.param(
            'CONFIG = {"host": "https://api.clever.com/v2.1"}\nurl = CONFIG["host"] + "/students"',
            f"{H}/v2.1/students",
            id="dict literal subscript",
        ),
        pytest.param(
            'BASE: str = "https://api.clever.com/v2.1"\nurl = BASE + "/students"',
            f"{H}/v2.1/students",
            id="annotated constant",
        ),
        pytest.param(
            'url = b"https://api.clever.com/v2.1/students".decode()', f"{H}/v2.1/students", id="ASCII bytes decoded"
        ),
        pytest.param(
            'url = "https://api.clever.com/v2.1/students".replace("s", "z")',
            "httpz://api.clever.com/v2.1/ztudentz",
            id="replace of a literal is applied",
        ),
        pytest.param('url = b"https://api.clever.com/v2.1/\\xff".decode()', "{}", id="bytes with escapes are a hole"),
        pytest.param('url = "https://api.clever.com/v2.1/students".upper()', "{}", id="unknown method is a hole"),
        pytest.param('BASE = "a"\nBASE = "b"\nurl = BASE + "/students"', "{}/students", id="reassigned name is a hole"),
        pytest.param(
            'for BASE in ("a", "b"):\n    pass\nurl = BASE + "/students"', "{}/students", id="loop target is a hole"
        ),
        pytest.param('url = A + "/students"\nA = B\nB = A', "{}/students", id="cyclic constants"),
    ],
)
def test_resolution_form(code, expected):
    assert resolved(code) == expected


@pytest.mark.parametrize(
    "code, expected",
    [
        pytest.param(
            """
            class Client:
                BASE = "https://api.clever.com/v2.1"
                def sections(self, tid):
                    url = self.BASE + f"/teachers/{tid}/sections"
            """,
            f"{H}/v2.1/teachers/{{}}/sections",
            id="class attribute through self",
        ),
        pytest.param(
            """
            class Client:
                BASE = "https://api.clever.com/v2.1"
                @classmethod
                def students(cls):
                    url = cls.BASE + "/students"
            """,
            f"{H}/v2.1/students",
            id="class attribute through cls",
        ),
        pytest.param(
            """
            class Client:
                BASE = "https://api.clever.com/v2.1"
            def students():
                url = Client.BASE + "/students"
            """,
            f"{H}/v2.1/students",
            id="class attribute through the class name",
        ),
        pytest.param(
            """
            class Base:
                HOST = "https://api.clever.com/v2.0"
            class Client(Base):
                def students(self):
                    url = self.HOST + "/students"
            """,
            f"{H}/v2.0/students",
            id="class attribute of a base class",
        ),
        pytest.param(
            """
            DEFAULT = "https://api.clever.com/v2.1"
            class Client:
                def __init__(self, base_url=DEFAULT):
                    self.base_url = base_url.rstrip("/")
                def teachers(self):
                    url = f"{self.base_url}/teachers"
            """,
            f"{H}/v2.1/teachers",
            id="instance attribute from a parameter default",
        ),
        pytest.param(
            """
            def fetch(path, base="https://api.clever.com/v2.1"):
                url = base + path
            """,
            f"{H}/v2.1{{}}",
            id="parameter default and parameter hole",
        ),
        pytest.param(
            """
            BASE = "https://api.clever.com/v2.1"
            def fetch(tid):
                path = "/teachers/%s" % tid
                url = BASE + path
            """,
            f"{H}/v2.1/teachers/{{}}",
            id="local variable",
        ),
        pytest.param(
            """
            BASE = "https://api.clever.com/v2.1"
            def fetch(BASE):
                url = BASE + "/students"
            """,
            "{}/students",
            id="parameter shadows the constant",
        ),
    ],
)
def test_resolution_in_classes_and_functions(code, expected):
    assert resolved(code) == expected


def test_constant_imported_relatively(tmp_path):
    result = lint_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/config.py": 'CLEVER_BASE = "https://api.clever.com/v2.1"\n',
            "app/sync.py": """
                from .config import CLEVER_BASE
                def sections(session, tid):
                    return session.get(CLEVER_BASE + f"/teachers/{tid}/sections")
                """,
        },
    )
    assert [(f.path.replace(str(tmp_path), ""), f.span.line, f.code, f.v2) for f in result.visible] == [
        ("/app/config.py", 1, "CLV310", "/v2.1"),
        ("/app/sync.py", 4, "CLV302", "/v2.1/teachers/{id}/sections"),
    ]


def test_module_imported_absolutely_and_attribute_read(tmp_path):
    result = lint_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/settings.py": 'HOST = "https://api.clever.com"\nBASE = HOST + "/v2.0"\n',
            "app/roster.py": """
                from app import settings
                import app.settings
                import app.settings as conf
                def a(session):
                    return session.get(settings.BASE + "/students")
                def b(session, sid):
                    return session.get(app.settings.BASE + "/students/" + sid)
                def c(session, sid):
                    return session.get("{}/sections/{}/teachers".format(conf.BASE, sid))
                """,
        },
    )
    found = [(f.path.replace(str(tmp_path), ""), f.span.line, f.code, f.confidence.value, f.v2) for f in result.visible]
    assert found == [
        ("/app/roster.py", 6, "CLV301", "high", "/v2.0/students"),
        ("/app/roster.py", 8, "CLV302", "high", "/v2.0/students/{id}"),
        ("/app/roster.py", 10, "CLV301", "high", "/v2.0/sections/{id}/teachers"),
        ("/app/settings.py", 2, "CLV310", "high", "/v2.0"),
    ]


def test_imported_constant_outside_the_checked_files_is_used_but_not_reported(tmp_path):
    write_tree(
        tmp_path,
        {
            "config.py": 'BASE = "https://api.clever.com/v2.1"\n',
            "client.py": "from config import BASE\nURL = BASE + '/teachers'\n",
        },
    )
    result = lint_tree(tmp_path, {}, paths=["client.py"])
    assert codes(result) == [("CLV301", "high", "/v2.1/teachers", "/v3.1/users?role=teacher")]


def test_imported_class_attribute_through_self(tmp_path):
    result = lint_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": 'class CleverBase:\n    API = "https://api.clever.com/v2.1"\n',
            "pkg/client.py": """
                from pkg.base import CleverBase
                class Roster(CleverBase):
                    def teachers(self):
                        return self.get(self.API + "/teachers")
                """,
        },
    )
    assert ("CLV301", "high", "/v2.1/teachers", "/v3.1/users?role=teacher") in codes(result)


def test_resolution_never_runs_the_code(tmp_path):
    marker = tmp_path / "ran"
    result = lint_tree(
        tmp_path,
        {
            "config.py": f'open({str(marker)!r}, "w").write("x")\nBASE = "https://api.clever.com/v2.1"\n',
            "client.py": "import config\nURL = config.BASE + '/students'\n",
        },
    )
    assert not marker.exists()
    assert ("CLV301", "high", "/v2.1/students", "/v3.1/users?role=student") in codes(result)


def test_django_settings_are_the_projects_settings_module(tmp_path):
    files = {
        "site/settings.py": 'import os\nCLEVER = os.environ.get("CLEVER", "https://api.clever.com/v2.1")\n',
        "portal/api.py": """\
            import requests
            from django.conf import settings

            def teachers():
                return requests.get(settings.CLEVER + "/teachers")
            """,
    }
    result = lint_tree(tmp_path, files)
    assert [(f.path, f.code, f.v2, f.v3) for f in result.visible] == [
        (f"{tmp_path}/portal/api.py", "CLV301", "/v2.1/teachers", "/v3.1/users?role=teacher"),
        (f"{tmp_path}/site/settings.py", "CLV310", "/v2.1", "/v3.1"),
    ]


def test_django_settings_without_a_settings_module_stay_unknown(tmp_path):
    files = {
        "portal/api.py": 'import requests\nfrom django.conf import settings\nrequests.get(settings.API + "/teachers")\n'
    }
    result = lint_tree(tmp_path, files, min_confidence="medium")
    assert [f.v2 for f in result.visible] == []


def test_a_string_literals_value_is_what_python_evaluates_it_to():
    """evaluate_simple_string reads escape-free literals without compiling them: every string
    literal of our own code and of LibCST's, and odd ones, against LibCST's evaluated_value."""
    import libcst as cst

    from linter.evaluate.resolve import evaluate_simple_string
    from linter.syntax.walk import Preorder

    odd = [
        "''",
        '""',
        "''''''",
        '""""""',
        "'\"'",
        '\'"""\'',
        "r'a\\b'",
        "R'''x'''",
        "u'caf\u00e9'",
        "b'bytes'",
        "rb'raw bytes'",
        "'tab\\there'",
        "'''two\nlines'''",
        '"""a " b"""',
    ]
    root = Path(__file__).resolve().parents[1]
    sources = ["\n".join(f"x = {literal}" for literal in odd) + "\n"]
    sources += [p.read_text(encoding="utf-8") for p in sorted((root / "linter").rglob("*.py"))]
    sources += [p.read_text(encoding="utf-8") for p in sorted(Path(cst.__file__).parent.glob("_nodes/*.py"))]
    count = 0
    for source in sources:
        for node in Preorder(cst.parse_module(source)).nodes:
            if type(node) is cst.SimpleString:
                value = node.evaluated_value
                assert evaluate_simple_string(node) == (value if isinstance(value, str) else None), node.value
                count += 1
    assert count > 3000
