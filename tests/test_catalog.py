"""Every catalog row, v2 snippet in, exactly its finding out; the v3.1 form gives nothing.

The expected table is written out by hand from ../shared/spec/clever-v2-to-v3.md (sections
1.2 and 1.3) and the upgrade guide, independently of linter/catalog/endpoints.yaml, so a
wrong row in the catalog fails here."""

from __future__ import annotations

import datetime
import marshal

import pytest

from linter import catalog
from tests.helpers import codes, lint

# v2 path -> (code of the endpoint finding, or None when only the version changes; v3.1 path)
EXPECTED = {
    "/contacts": ("CLV301", "/users?role=contact"),
    "/contacts/{id}": ("CLV302", "/users/{id}"),
    "/contacts/{id}/district": ("CLV302", "/users/{id}/district"),
    "/contacts/{id}/students": ("CLV302", "/users/{id}/mystudents"),
    "/students": ("CLV301", "/users?role=student"),
    "/students/{id}": ("CLV302", "/users/{id}"),
    "/students/{id}/contacts": ("CLV302", "/users/{id}/mycontacts"),
    "/students/{id}/district": ("CLV302", "/users/{id}/district"),
    "/students/{id}/school": ("CLV303", None),
    "/students/{id}/schools": ("CLV302", "/users/{id}/schools"),
    "/students/{id}/sections": ("CLV302", "/users/{id}/sections"),
    "/students/{id}/teachers": ("CLV302", "/users/{id}/myteachers"),
    "/teachers": ("CLV301", "/users?role=teacher"),
    "/teachers/{id}": ("CLV302", "/users/{id}"),
    "/teachers/{id}/district": ("CLV302", "/users/{id}/district"),
    "/teachers/{id}/school": ("CLV303", None),
    "/teachers/{id}/schools": ("CLV302", "/users/{id}/schools"),
    "/teachers/{id}/sections": ("CLV302", "/users/{id}/sections"),
    "/teachers/{id}/students": ("CLV302", "/users/{id}/mystudents"),
    "/school_admins": ("CLV301", "/users?role=staff"),
    "/school_admins/{id}": ("CLV302", "/users/{id}"),
    "/school_admins/{id}/district": ("CLV302", "/users/{id}/district"),
    "/school_admins/{id}/schools": ("CLV302", "/users/{id}/schools"),
    "/district_admins": ("CLV301", "/users?role=district_admin"),
    "/district_admins/{id}": ("CLV302", "/users/{id}"),
    "/district_admins/{id}/district": ("CLV302", "/users/{id}/district"),
    "/schools": (None, "/schools"),
    "/schools/{id}": (None, "/schools/{id}"),
    "/schools/{id}/district": (None, "/schools/{id}/district"),
    "/schools/{id}/sections": (None, "/schools/{id}/sections"),
    "/schools/{id}/students": ("CLV301", "/schools/{id}/users?role=student"),
    "/schools/{id}/teachers": ("CLV301", "/schools/{id}/users?role=teacher"),
    "/sections": (None, "/sections"),
    "/sections/{id}": (None, "/sections/{id}"),
    "/sections/{id}/course": (None, "/sections/{id}/course"),
    "/sections/{id}/district": (None, "/sections/{id}/district"),
    "/sections/{id}/school": (None, "/sections/{id}/school"),
    "/sections/{id}/term": (None, "/sections/{id}/term"),
    "/sections/{id}/students": ("CLV301", "/sections/{id}/users?role=student"),
    "/sections/{id}/teachers": ("CLV301", "/sections/{id}/users?role=teacher"),
    "/sections/{id}/teacher": ("CLV303", None),
    "/courses": (None, "/courses"),
    "/courses/{id}": (None, "/courses/{id}"),
    "/courses/{id}/district": (None, "/courses/{id}/district"),
    "/courses/{id}/sections": (None, "/courses/{id}/sections"),
    "/terms": (None, "/terms"),
    "/terms/{id}": (None, "/terms/{id}"),
    "/terms/{id}/district": (None, "/terms/{id}/district"),
    "/terms/{id}/sections": (None, "/terms/{id}/sections"),
    "/districts": (None, "/districts"),
    "/districts/{id}": (None, "/districts/{id}"),
    "/events": (None, "/events"),
    "/events/{id}": (None, "/events/{id}"),
    "/me": (None, "/me"),
}
# v1.x-only paths: (code, v3.1 path or None)
EXPECTED_V1 = {
    "/districts/{id}/students": ("CLV304", "/users?role=student"),
    "/districts/{id}/teachers": ("CLV304", "/users?role=teacher"),
    "/districts/{id}/admins": ("CLV304", "/users?role=district_admin"),
    "/districts/{id}/schools": ("CLV304", "/schools"),
    "/districts/{id}/sections": ("CLV304", "/sections"),
    "/districts/{id}/status": ("CLV304", "/districts/{id}"),
    "/teachers/{id}/grade_levels": ("CLV304", None),
    "/contacts/{id}/student": ("CLV304", "/users/{id}/mystudents"),
    "/students/{id}/events": ("CLV304", None),
    "/teachers/{id}/events": ("CLV304", None),
    "/school_admins/{id}/events": ("CLV304", None),
    "/sections/{id}/events": ("CLV304", None),
    "/schools/{id}/events": ("CLV304", None),
}
DATA_API_PATHS = [p for p in EXPECTED if p not in ("/events", "/events/{id}", "/me")]


def test_catalog_has_exactly_the_expected_rows():
    rows = {row.v2: row for row in catalog.endpoints()}
    assert set(rows) == set(EXPECTED) | set(EXPECTED_V1)
    assert len(DATA_API_PATHS) == 51  # the v2.0/v2.1 Data API (spec section 1.1)
    for path, (_, v3) in {**EXPECTED, **EXPECTED_V1}.items():
        assert rows[path].v3 == v3, path


def test_rows_without_an_equivalent_say_what_to_do():
    for row in catalog.endpoints():
        if row.v3 is None:
            assert row.guidance, row.v2


def test_id_changes_for_every_role_but_students():
    for row in catalog.endpoints():
        if row.segments[0] in ("teachers", "school_admins", "district_admins", "contacts") and "{id}" in row.v2:
            assert row.id_changes, row.v2
        if row.segments[0] == "students":
            assert not row.id_changes, row.v2


def _concrete(path: str) -> str:
    return path.replace("{id}", "{record_id}")


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_v2_row_is_reported_with_its_v3_equivalent(path):
    code, v3 = EXPECTED[path]
    result = lint(f'requests.get(f"https://api.clever.com/v2.1{_concrete(path)}")\n')
    expected = []
    v3_full = f"/v3.1{v3}" if v3 is not None else None
    if code is not None:
        expected.append((code, "high", f"/v2.1{path}", v3_full))
    expected.append(("CLV310", "high", f"/v2.1{path}", v3_full))
    assert sorted(codes(result)) == sorted(expected)


@pytest.mark.parametrize("path", sorted(EXPECTED_V1))
def test_v1_row_is_reported(path):
    code, v3 = EXPECTED_V1[path]
    result = lint(f'requests.get(f"https://api.clever.com/v1.2{_concrete(path)}")\n')
    v3_full = f"/v3.1{v3}" if v3 is not None else None
    assert sorted(codes(result)) == sorted(
        [(code, "high", f"/v1.2{path}", v3_full), ("CLV310", "high", f"/v1.2{path}", v3_full)]
    )


@pytest.mark.parametrize("path", sorted({v3 for _, v3 in EXPECTED.values() if v3}))
def test_v3_form_gives_nothing(path):
    result = lint(f'requests.get(f"https://api.clever.com/v3.1{_concrete(path)}")\n')
    assert codes(result) == []


@pytest.mark.parametrize("path", sorted(p for p, (code, _) in EXPECTED.items() if code))
def test_unversioned_role_path_in_clever_module_is_medium(path):
    code, v3 = EXPECTED[path]
    result = lint(
        f"""
        CLEVER = "https://api.clever.com"
        def fetch(session, record_id):
            return session.get(f"{_concrete(path)}")
        """
    )
    assert codes(result) == [(code, "medium", path, v3)]


def test_catalog_files_are_kept_compiled_and_recompiled_when_they_change(tmp_path, monkeypatch):
    from linter import catalog as module

    monkeypatch.setattr(module, "CATALOG_DIR", tmp_path)
    (tmp_path / "sdk.yaml").write_text("modern:\n  classes: [DataApi]\n", encoding="utf-8")
    assert module._load("sdk.yaml") == {"modern": {"classes": ["DataApi"]}}
    compiled = list((tmp_path / "__pycache__").glob("sdk.yaml.*"))
    assert len(compiled) == 1
    # the compiled copy is what is read while the file is unchanged
    compiled[0].write_bytes(marshal.dumps({"modern": {"classes": ["FromTheCopy"]}}))
    assert module._load("sdk.yaml") == {"modern": {"classes": ["FromTheCopy"]}}
    # a changed file is parsed again, and the old copy removed
    (tmp_path / "sdk.yaml").write_text("modern:\n  classes: [EventsApi]\n", encoding="utf-8")
    assert module._load("sdk.yaml") == {"modern": {"classes": ["EventsApi"]}}
    now = list((tmp_path / "__pycache__").glob("sdk.yaml.*"))
    assert len(now) == 1 and now[0].name != compiled[0].name
    # a damaged copy is ignored and rewritten
    damaged = next((tmp_path / "__pycache__").glob("sdk.yaml.*"))
    damaged.write_bytes(b"\xff not marshal")
    assert module._load("sdk.yaml") == {"modern": {"classes": ["EventsApi"]}}
    # data marshal cannot hold (a date) is never kept
    (tmp_path / "fields.yaml").write_text("day: 2024-01-01\n", encoding="utf-8")
    assert module._load("fields.yaml") == {"day": datetime.date(2024, 1, 1)}
    assert not list((tmp_path / "__pycache__").glob("fields.yaml.*"))


def test_a_read_only_catalog_directory_is_parsed_each_time(tmp_path, monkeypatch):
    from linter import catalog as module

    monkeypatch.setattr(module, "CATALOG_DIR", tmp_path)
    (tmp_path / "sdk.yaml").write_text("a: [1, 2]\n", encoding="utf-8")
    (tmp_path / "__pycache__").write_text("a file where the directory would be", encoding="utf-8")
    assert module._load("sdk.yaml") == {"a": [1, 2]}
    assert module._load("sdk.yaml") == {"a": [1, 2]}


def test_library_knowledge_has_one_home():
    """Every name list of catalog/libraries.yaml is read from there: no module of ours spells a
    second list of builders, clients, mocks, loggers or routes (a literal set, list or tuple that
    shares two or more names with one of its lists). What runs inside users' programs
    (runtime/intercept.py, runtime/fake_api.py) imports nothing of ours and patches the libraries
    it names in code; the severities (info, warning, error) are no logging calls."""
    import ast
    from pathlib import Path

    from linter import catalog
    from linter.model import Severity

    lists = {name: frozenset(names) for name, names in vars(catalog.libraries()).items()}
    severities = {s.value for s in Severity}
    standalone = {"intercept.py", "fake_api.py", "sitecustomize.py"}
    root = Path(catalog.__file__).resolve().parent.parent
    second = []
    for path in sorted(root.rglob("*.py")):
        if path.name in standalone:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Set, ast.List, ast.Tuple)):
                continue
            strings = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if strings <= severities:
                continue
            for name, names in lists.items():
                if len(strings & names) >= 2:
                    second.append(f"{path.relative_to(root)}:{node.lineno}: {name} {sorted(strings & names)}")
    assert second == []


def test_the_libraries_catalog_is_complete_and_read_as_sets():
    from linter import catalog

    libraries = catalog.libraries()
    assert libraries.builders_of("wrap") == {"URL", "furl", "URLPath"}
    assert set(libraries.builders.values()) <= {"urljoin", "unsplit", "unparse", "template", "wrap", "join"}
    assert "base_url" in libraries.base_url_keywords
    assert {"responses", "respx"} <= libraries.mock_libraries
    assert all(isinstance(v, frozenset) for k, v in vars(libraries).items() if k != "builders")
