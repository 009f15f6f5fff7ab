"""The prefilter never changes what is reported: every corpus is checked with and without it,
and the findings (with their fixes and notes) must be identical."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from linter.analysis.run import lint_files
from linter.api import Options, lint_paths
from linter.model import Confidence
from linter.source import prefilter
from linter.source.files import discover
from tests.helpers import write_tree

ROOT = Path(__file__).resolve().parent.parent


def both(paths):
    on = lint_paths([str(p) for p in paths], Options(prefilter=True))
    off = lint_paths([str(p) for p in paths], Options(prefilter=False))
    return on, off


def same(on, off) -> None:
    """The same findings, fixes and notes at the run's confidence (medium) and up: below it, a
    file whose role words meet no Clever base is not parsed (linter.source.prefilter)."""

    def key(f):
        return (f.path, f.span, f.code, f.confidence, f.message, f.fix, f.note)

    def shown(items):
        return [item for item in items if item.confidence.rank >= Confidence.MEDIUM.rank]

    assert [key(f) for f in shown(on.findings)] == [key(f) for f in shown(off.findings)]
    assert shown(on.endpoint_uses) == shown(off.endpoint_uses)
    assert on.files_scanned == off.files_scanned


@pytest.mark.parametrize("example", ["roster_sync", "sdk_sync", "district_portal"])
def test_examples(example):
    on, off = both([ROOT / "examples" / example])
    same(on, off)


@pytest.mark.slow
def test_the_test_suite_and_the_tool_itself():
    on, off = both([ROOT / "tests", ROOT / "linter", ROOT / "codemods", ROOT / "benchmarks"])
    same(on, off)


def _build(generator: str, root: Path) -> None:
    """A 15k-line tree from one of the benchmarks' generators (run, edtech)."""
    import importlib

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        importlib.import_module(generator).build(root, 15_000, seed=3)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_a_synthetic_monorepo(tmp_path):
    _build("run", tmp_path)
    on, off = both([tmp_path])
    assert on.findings  # the tree holds Clever code
    same(on, off)


def test_an_ed_tech_tree(tmp_path):
    """Role words in every file (models, routes, fixtures), one Clever client, a few modules
    that import it: the prefilter parses those and changes nothing (benchmarks/edtech.py)."""
    _build("edtech", tmp_path)
    on, off = both([tmp_path])
    assert {Path(f.path).name for f in on.visible} == {"client.py", "sync.py"}
    same(on, off)
    files = sorted(tmp_path.rglob("*.py"))
    chosen = prefilter.select(files, lambda p: p.read_bytes(), prefilter.trigger()).chosen
    assert len(chosen) < len(files) / 4


LINKED = {
    # no Clever word in these files: what they report comes through imports and calls
    "app/api.py": """\
        import requests
        BASE = "https://api.clever.com/v2.1"
        def fetch_me(token):
            return requests.get("https://api.clever.com/me").json()["data"]
        def people(kind):
            return requests.get(BASE + "/teachers").json()["data"]
        """,
    "app/login.py": """\
        from app import api
        def landing(token):
            me = api.fetch_me(token)
            session["kind"] = me["type"]
        """,
    "app/store.py": """\
        from app import api
        def mirror(db):
            for person in api.people("x"):
                db.save(Record(uid=person["data"]["id"]))
        """,
    "app/indirect.py": """\
        def load(client, db):
            for person in client.people("x"):
                db.save(Record(key=person["data"]["id"]))
        """,
    "app/base.py": 'HOST = "https://api.example.org"\n',
    "app/unrelated.py": "def total(xs):\n    return sum(xs)\n",
}


def test_files_linked_by_imports_and_calls_are_parsed(tmp_path):
    write_tree(tmp_path, LINKED)
    on, off = both([tmp_path])
    same(on, off)
    reported = {Path(f.path).name for f in on.visible}
    assert {"login.py", "store.py", "indirect.py"} <= reported  # CLV502 and CLV201 there
    files = sorted(tmp_path.rglob("*.py"))
    selection = prefilter.select(files, lambda p: p.read_bytes(), prefilter.trigger())
    assert {p.name for p in selection.chosen} == {"api.py", "login.py", "store.py", "indirect.py"}
    assert {p.name for p in selection.linked} == {"login.py", "store.py", "indirect.py"}


@pytest.mark.parametrize(
    "text, wanted",
    [
        (b'URL = "https://api.clever.com/v3.1/users"', True),
        (b"import clever", True),
        (b'VERSION = "v2.1"', True),
        (b'path = "/v1.2/teachers"', True),
        (b"params = {'record_type': 'x'}", True),
        (b'if kind == "schooladmins.created": pass', True),
        (b"if isinstance(event, StudentsCreated): pass", True),
        (b'ME = BASE + "/me"', True),
        (b'ME = f"{BASE}/me?x=1"', True),
        (b"roles = user['roles']", True),
        (b'if me["type"] == "teacher": pass', True),
        (b'url = base + "/" + "contacts"', True),
        (b'path = f"{base}/sections/{sid}/students"', True),
        (b'q = "role=staff"', True),
        (b'patch("clever.DataApi.get_students")', True),
        # the analysis matches paths, types and keys case-sensitively: these cannot be reported
        (b'label = "Teacher"', False),
        (b"# a clever trick: count the students\nx = 1\n", False),
        (b"def teacher_count(teachers):\n    return len(teachers)\n", False),
        (b'help = "Studentized residuals"\nkey = "student_id"', False),
        (b'ROLES = ["ADMIN"]\nme = "/media"', False),
        (b"def total(xs):\n    return sum(xs)\n", False),
        (b'"""Release notes for version 2.1 of our app."""', False),
        (b"contactless = True\nmember = 'staffing'", False),
        (b"from .metrics import measure", False),
    ],
)
def test_trigger_words(text, wanted):
    assert prefilter.trigger().search(text) is wanted


def test_configured_hosts_are_trigger_words():
    assert prefilter.trigger(("clv-proxy.internal",)).search(b'BASE = "https://clv-proxy.internal/v3.1"')


@pytest.mark.parametrize(
    "text, wanted",
    [
        (b"CLEVER_API_BASE=https://api.clever.com/v2.1\n", True),
        (b"clever:\n  base: https://proxy.example/v2.1\n", False),  # not a Clever host
        (b"[db]\nurl = postgres://students\n", False),
    ],
)
def test_text_files_need_a_clever_word(text, wanted):
    assert prefilter.trigger().text(text) is wanted


# Role words in strings and nothing else Clever: what ordinary code has ('contacts' in package
# metadata, "staff" in a music lexer), and what a Clever client has beside its Clever URLs.
ROLE_WORDS_ONLY = {
    "files.py": 'import os\nPATH = os.path.join(ROOT, "contacts")\n',
    "join.py": 'def url(base, tid):\n    return base + "/" + "teachers" + "/" + tid\n',
    "slash.py": 'def url(api, sid):\n    return "/".join([api, "students", sid])\n',
    "label.py": 'LABELS = {"student": "Student", "teacher": "Teacher"}\n',
    "kind.py": (
        'def land(user):\n    if user["type"] == "teacher":\n        return 1\n'
        '    elif user["type"] == "student":\n        return 2\n'
    ),
    "session.py": 'def keep(session):\n    session["role"] = "staff"\n    return "role=district_admin"\n',
}


def test_role_words_alone_hold_only_low_confidence_findings(tmp_path):
    write_tree(tmp_path, ROLE_WORDS_ONLY)
    files = sorted(tmp_path.rglob("*.py"))
    assert {prefilter.trigger().level(p.read_bytes()) for p in files} == {prefilter.IN_CONTEXT}
    full = lint_paths([str(tmp_path)], Options(prefilter=False, min_confidence=Confidence.LOW))
    assert {Path(f.path).name for f in full.findings} == {"files.py", "join.py", "slash.py"}
    assert {f.confidence for f in full.findings} == {Confidence.LOW}
    # without Clever context the files are not parsed at medium confidence, and nothing changes
    selection = prefilter.select(files, lambda p: p.read_bytes(), prefilter.trigger())
    assert selection.chosen == set()
    on = lint_paths([str(tmp_path)], Options(prefilter=True))
    assert on.visible == [] and lint_paths([str(tmp_path)], Options(prefilter=False)).visible == []
    # at low confidence they are parsed, and the findings are the full run's
    low = lint_paths([str(tmp_path)], Options(prefilter=True, min_confidence=Confidence.LOW))
    same(low, full)


def test_role_words_are_parsed_where_they_meet_clever(tmp_path):
    """Clever code elsewhere in the run does not make every role word worth a parse (in an
    ed-tech product they are in every file); a file that imports the Clever code, or that the
    Clever code imports, is."""
    files_text = {
        **ROLE_WORDS_ONLY,
        "client.py": 'from paths import TEACHERS\nBASE = "https://api.clever.com/v2.1"\nURL = BASE + TEACHERS\n',
        "paths.py": 'TEACHERS = "/teachers"\n',
        "user.py": 'from client import BASE\nSTUDENTS = BASE + "/students"\n',
    }
    write_tree(tmp_path, files_text)
    files = sorted(tmp_path.rglob("*.py"))
    selection = prefilter.select(files, lambda p: p.read_bytes(), prefilter.trigger())
    assert {p.name for p in selection.chosen} == {"client.py", "paths.py", "user.py"}
    on, off = both([tmp_path])
    same(on, off)
    assert {(Path(f.path).name, f.code) for f in on.visible} == {
        ("client.py", "CLV310"),
        ("paths.py", "CLV301"),
        ("user.py", "CLV301"),
    }


@pytest.mark.parametrize(
    "text, level",
    [
        (b'x = "contact"', prefilter.IN_CONTEXT),
        (b'if a.startswith("-"):\n    kind = "contact"', prefilter.IN_CONTEXT),
        (b'if kind.startswith("students"): pass', prefilter.ALONE),  # an event type prefix
        (b'if kind.startswith(("x",\n    "teachers.")): pass', prefilter.ALONE),
        (b'URL = BASE + "/students"', prefilter.IN_CONTEXT),  # a role path needs a Clever base
        (b'HANDLERS = {"contacts.deleted": drop}', prefilter.ALONE),
        (b'BASE = "https://api.clever.com"', prefilter.SOURCE),
        (b"from clever.apis import DataApi", prefilter.SOURCE),
    ],
)
def test_trigger_levels(text, level):
    assert prefilter.trigger().level(text) == level


def test_the_stems_spare_the_word_searches_without_changing_a_level():
    """A file is NONE at once when its lowercased bytes hold no stem; every role word and SDK
    event class holds one, so the level is the one of every word searched."""
    pattern = prefilter.trigger()
    words = pattern.role_words + pattern.sdk_classes
    assert all(any(stem in word.lower() for stem in pattern.stems) for word in words)
    assert len(pattern.stems) < len(words)
    searched = prefilter.Trigger()
    searched.stems = [b""]  # every file holds it: no early NONE
    for text in [b'x = "contact"', b"if isinstance(e, SchooladminsCreated): pass", b'k = "district_admins.updated"']:
        assert pattern.level(text) == searched.level(text) != prefilter.NONE
    assert pattern.level(b'label = "Staff"') == searched.level(b'label = "Staff"') == prefilter.NONE


def test_jobs_read_and_test_the_files_in_worker_processes_with_the_same_answers(tmp_path, monkeypatch):
    write_tree(tmp_path, {**LINKED, **ROLE_WORDS_ONLY})
    for number in range(30):
        (tmp_path / f"plain{number}.py").write_text(f"def f{number}(x):\n    return x + {number}\n", encoding="utf-8")
    files = sorted(tmp_path.rglob("*.py"))
    pattern = prefilter.trigger()
    alone = prefilter.levels(files, lambda p: p.read_bytes(), pattern, jobs=1)
    assert set(alone) == {prefilter.SOURCE, prefilter.IN_CONTEXT, prefilter.NONE}

    log = tmp_path.parent / f"{tmp_path.name}-readers.txt"

    def not_here(path):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return path.read_bytes()

    monkeypatch.setattr(prefilter, "POOL_MIN_FILES", 5)
    assert prefilter.levels(files, not_here, pattern, jobs=2) == alone
    # the whole selection: levels, then definitions, method calls and imports for the linking,
    # every file read in the workers, the same files chosen and linked as in one process
    here = prefilter.select(files, lambda p: p.read_bytes(), pattern, jobs=1)
    in_workers = prefilter.select(files, not_here, pattern, jobs=2)
    assert here.linked and (in_workers.chosen, in_workers.linked) == (here.chosen, here.linked)
    assert in_workers.name_counts == here.name_counts
    readers = set(log.read_text(encoding="utf-8").split())
    assert readers and str(os.getpid()) not in readers  # every read of the pooled runs was a worker's
    # texts in memory (fix --diff checks the fixed texts again): the workers read them too
    plain = tmp_path / "plain7.py"
    memory = {plain.resolve(): b'import requests\nrequests.get("https://api.clever.com/v2.1/students")\n'}
    found = lint_files(discover([str(tmp_path)]), [tmp_path], Options(jobs=2, cache=False), sources=memory)
    assert {f.code for f in found.findings if f.path.endswith("plain7.py")} >= {"CLV301", "CLV310"}
    # the whole check: the same findings, in the same order, whatever the number of processes
    one = lint_paths([str(tmp_path)], Options(jobs=1, cache=False))
    two = lint_paths([str(tmp_path)], Options(jobs=2, cache=False))
    assert one.findings and [f.key for f in one.findings] == [f.key for f in two.findings]
    same(one, two)
