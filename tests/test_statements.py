"""Statements left out of the parse (linter.source.statements): an ordinary `def` or `class`
beside Clever code is blanked before LibCST parses the file, and nothing reported changes.
Each case is checked against a run without the prefilter (every statement parsed), and says
which statements were left out."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import linter.analysis.run as run
from linter.api import Options, lint_paths
from linter.source import prefilter, statements
from linter.syntax import project
from tests.helpers import write_tree

# an ordinary class of an ed-tech app: no Clever word, long enough to be worth leaving out
ORDINARY = '''
class GradeBook:
    """The grades of one class."""

    def __init__(self, rows):
        self.rows = list(rows)

    def average(self):
        values = [row["score"] for row in self.rows]
        return sum(values) / len(values) if values else 0.0

    def best(self):
        return max(self.rows, key=lambda row: row["score"], default=None)
'''

CLEVER = """\
import requests

def fetch_students(token):
    return requests.get("https://api.clever.com/v2.1/students", headers={"Authorization": token})
"""

# the class first: what follows it keeps its lines and columns
CLASS_FIRST = "import requests\n" + ORDINARY + "\n" + CLEVER.replace("import requests\n", "")


def check(root: Path, monkeypatch, **options):
    """(the run with the prefilter, file name -> the module names its left-out statements
    bind, the modules whose left-out names a module read on demand reached), after checking
    that the run without the prefilter (every statement parsed) reports the same."""
    hidden = {}
    reached = []
    masks, original = run._masks, project._reached

    def spy_masks(to_parse, *args):
        found = masks(to_parse, *args)
        for index, (masked, _) in found[0].items():
            hidden[to_parse[index][0].path.name] = {name.decode() for name in masked.hidden}
        return found

    def spy_reached(target, importer):
        try:
            return original(target, importer)
        except project.Unmasked:
            reached.append(target.path.name)
            raise

    monkeypatch.setattr(run, "_masks", spy_masks)
    monkeypatch.setattr(project, "_reached", spy_reached)
    monkeypatch.setattr(run, "MASK_BYTES", 0)  # these projects are small
    on = lint_paths([str(root)], Options(prefilter=True, **options))
    off = lint_paths([str(root)], Options(prefilter=False, **options))
    key = lambda f: (f.path, f.span, f.code, f.confidence, f.message, f.fix, f.note)  # noqa: E731
    assert [key(f) for f in on.findings] == [key(f) for f in off.findings]
    assert on.endpoint_uses == off.endpoint_uses
    return on, hidden, reached


def test_an_ordinary_class_beside_clever_code_is_left_out_and_every_position_stays(tmp_path, monkeypatch):
    write_tree(
        tmp_path, {"app/sync.py": "import requests\n" + ORDINARY + "\n" + CLEVER.replace("import requests\n", "")}
    )
    on, hidden, reached = check(tmp_path, monkeypatch)
    assert hidden == {"sync.py": {"GradeBook"}}
    assert reached == []
    lines = (tmp_path / "app/sync.py").read_text().splitlines()
    found = [(f.code, f.span.line, f.span.column) for f in on.findings]
    assert found and all("api.clever.com" in lines[line - 1] for _, line, _ in found)
    assert ("CLV301", 18, 54) in found


def test_the_text_parsed_keeps_every_line_and_offset(tmp_path):
    data = ("import requests\n" + ORDINARY + "\r\n" + CLEVER.replace("import requests\n", "")).encode()
    trigger = prefilter.trigger()
    shapes = {0: statements.shape(data, trigger)}
    masked = statements.blanked(shapes, {0: data}, statements.catalog_words())[0]
    text = masked.text()
    assert text is not None and len(text) == len(data)
    assert text.splitlines() == [
        line if not (2 <= number <= 14) else b" " * len(line) for number, line in enumerate(data.splitlines(), 1)
    ]
    assert text.count(b"\r\n") == data.count(b"\r\n")


def test_what_clever_code_calls_is_parsed(tmp_path, monkeypatch):
    source = ORDINARY.replace("class GradeBook:", "class Unused:") + textwrap.dedent(
        '''
        def suffix(kind, page):
            """The part of the path after the resource."""
            parts = [kind.strip().lower()]
            if page:
                parts.append(str(page))
            if len(parts) > 3:
                parts = parts[:3]
            return "/" + "/".join(parts)

        def fetch(kind):
            return requests.get("https://api.clever.com/v2.1/students" + suffix(kind, 1))
        '''
    )
    write_tree(tmp_path, {"app/sync.py": "import requests\n" + source})
    on, hidden, _ = check(tmp_path, monkeypatch)
    assert hidden == {"sync.py": {"Unused"}}  # suffix() is parsed
    assert {f.code for f in on.findings} == {"CLV301", "CLV310"}


def test_a_use_of_a_clever_value_is_parsed(tmp_path, monkeypatch):
    # BASE's pin can move only if every use is known: report() hands it to a client
    source = textwrap.dedent(
        '''
        import requests

        BASE = "https://api.clever.com/v2.1"

        def sections():
            return requests.get(BASE + "/sections")

        def report(client):
            """Send the daily report."""
            rows = client.rows()
            total = len(rows)
            client.send(rows, total)
            client.configure(BASE)
            return total
        '''
    )
    write_tree(tmp_path, {"app/sync.py": source + ORDINARY + "\nTIMEOUT = 30\n"})
    on, hidden, _ = check(tmp_path, monkeypatch)
    assert hidden == {"sync.py": {"GradeBook"}}
    assert any("sync.py:14 passed to configure()" in (f.note or "") for f in on.findings)


def test_a_method_followed_by_its_name_in_another_file_is_parsed(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "app/sync.py": """\
                BASE = "https://api.clever.com/v2.1"

                def run(exporter):
                    exporter.push_rows(BASE + "/students")
                """,
            "app/export.py": "import requests\nfrom app.sync import BASE\n"
            + ORDINARY
            + textwrap.dedent(
                '''
                class Exporter:
                    """Sends rows where it is told."""

                    def push_rows(self, url):
                        response = requests.get(url)
                        response.raise_for_status()
                        return response.json()

                    def close(self):
                        return None
                '''
            ),
        },
    )
    on, hidden, _ = check(tmp_path, monkeypatch)
    assert hidden == {"export.py": {"GradeBook"}}


def test_a_module_read_on_demand_that_imports_a_left_out_name_parses_everything(tmp_path, monkeypatch):
    # paths.py is parsed for its role path (sync.py imports it) and its format_prefix is left
    # out: no file to parse names it. settings.py has no Clever word and imports no Clever
    # module, so the resolver reads it on demand, whole, and it imports format_prefix: the run
    # starts again with every statement parsed
    write_tree(
        tmp_path,
        {
            "app/sync.py": """\
                import requests
                from app.paths import STUDENTS
                from app.settings import PREFIX

                def fetch():
                    return requests.get("https://api.clever.com/v2.1" + PREFIX + STUDENTS)
                """,
            "app/paths.py": """\
                STUDENTS = "/students"

                def format_prefix(value):
                    cleaned = value.strip()
                    cleaned = cleaned.strip("/")
                    cleaned = cleaned.lower()
                    cleaned = cleaned.replace(" ", "-")
                    if not cleaned:
                        return ""
                    return "/" + cleaned

                TIMEOUT = 30
                """,
            "app/settings.py": """\
                from app.paths import format_prefix
                PREFIX = format_prefix
                """,
        },
    )
    on, hidden, reached = check(tmp_path, monkeypatch)
    assert hidden == {"paths.py": {"format_prefix"}}
    assert reached == ["paths.py"]
    assert {f.code for f in on.findings} == {"CLV301", "CLV310"}


@pytest.mark.parametrize(
    "code, blankable",
    [
        (ORDINARY, True),
        (ORDINARY.replace("self.rows = list(rows)", "global ROWS\n        ROWS = self.rows = list(rows)"), False),
        (ORDINARY.replace("values = [", "if (n := len(self.rows)):\n            pass\n        values = ["), False),
        (ORDINARY.replace("The grades", "Les notes de l'élève"), False),  # not ASCII: a seed
        (
            ORDINARY.replace("self.rows = list(rows)", 'self.rows = list(rows)\n        self.cache["a/b"] = 1'),
            False,
        ),  # a key that is no word
        (ORDINARY.replace("The grades", 'The "/students" grades'), False),  # a Clever word: a seed
        (ORDINARY.replace("return max(", "self.roster.get_sections()\n        return max("), False),  # an SDK method
        ("def short(x):\n    return x\n", False),
    ],
)
def test_which_statements_may_be_left_out(code, blankable):
    data = ("import os\n" + code + "\nimport sys\n").encode()
    found = statements.shape(data, prefilter.trigger())
    assert found is not None
    assert [s.blankable for s in found.statements] == [False, blankable, False]


def test_the_first_and_the_last_statements_are_never_left_out():
    data = (ORDINARY.lstrip() + "\nimport os\n" + ORDINARY).encode()
    found = statements.shape(data, prefilter.trigger())
    assert [s.blankable for s in found.statements] == [False, False, False]
    data += b"\nimport sys\n"
    assert [s.blankable for s in statements.shape(data, prefilter.trigger()).statements] == [False, False, True, False]


def test_a_rewrite_from_the_blanked_tree_is_the_rewrite_of_the_whole_file(tmp_path, monkeypatch):
    from linter.analysis.run import Earlier
    from linter.fix.rewrite import RewriteError, apply_edits
    from linter.model import Edit, Span

    write_tree(tmp_path, {"app/sync.py": CLASS_FIRST})
    path = tmp_path / "app/sync.py"
    source = path.read_bytes()
    earlier = Earlier()
    monkeypatch.setattr(run, "MASK_BYTES", 0)
    lint_paths([str(tmp_path)], Options(cache=False, jobs=1), earlier=earlier)
    checked = earlier.tree_of(path, source)
    assert checked is not None and checked[1] != source and len(checked[1]) == len(source)  # blanked
    line = (
        source.decode()
        .splitlines()
        .index('    return requests.get("https://api.clever.com/v2.1/students", headers={"Authorization": token})')
    )
    edit = Edit(str(path), Span(line + 1, 49, line + 1, 53), "v3.1")
    new, applied = apply_edits(source, [edit], checked)
    assert applied == 1 and new == source.replace(b"v2.1", b"v3.1")
    assert (new, applied) == apply_edits(source, [edit])
    broken = Edit(str(path), Span(line + 1, 49, line + 1, 53), 'v3.1"')  # opens a string
    for tree in (checked, None):
        with pytest.raises(RewriteError):
            apply_edits(source, [broken], tree)
    inside = Edit(str(path), Span(3, 7, 3, 16), "Gradebook")  # in the blanked class: the whole file
    assert apply_edits(source, [inside], checked) == apply_edits(source, [inside])


def test_an_sdk_method_is_reported_in_a_statement_nothing_else_links(tmp_path, monkeypatch):
    # in a module that uses the v2 SDK, every reference to one of its methods is reported
    write_tree(
        tmp_path,
        {
            "app/sdk_sync.py": "import clever\n\napi = clever.DataApi(clever.ApiClient())\n"
            + ORDINARY.replace("return max(", "self.roster.get_sections()\n        return max("),
        },
    )
    on, hidden, _ = check(tmp_path, monkeypatch)
    assert hidden == {}
    assert [(f.code, f.span.line) for f in on.findings if "get_sections" in f.message] == [("CLV320", 16)]


def test_an_import_of_a_module_the_run_did_not_find_is_a_seed(tmp_path, monkeypatch):
    # only client.py is checked: settings.py, which holds the base, is read on demand, so what
    # client.py imports from it may be a Clever value
    write_tree(
        tmp_path,
        {
            "app/settings.py": 'CLEVER_BASE = "https://api.clever.com/v2.1"\n',
            "app/client.py": '''\
                import requests
                from app.settings import CLEVER_BASE


                def roster(session, section_id):
                    """One section's people."""
                    url = f"{CLEVER_BASE}/users/{section_id}/sections"
                    response = session.get(url, timeout=10)
                    response.raise_for_status()
                    return response.json()["data"]


                TIMEOUT = 10
                ''',
        },
    )
    monkeypatch.chdir(tmp_path)
    hidden = {}
    masks = run._masks

    def spy_masks(to_parse, *args):
        found = masks(to_parse, *args)
        hidden.update({to_parse[index][0].path.name: masked.hidden for index, (masked, _) in found[0].items()})
        return found

    monkeypatch.setattr(run, "_masks", spy_masks)
    monkeypatch.setattr(run, "MASK_BYTES", 0)
    on = lint_paths(["app/client.py"], Options(prefilter=True))
    off = lint_paths(["app/client.py"], Options(prefilter=False))
    assert hidden == {}
    assert [(f.code, f.span) for f in on.findings] == [(f.code, f.span) for f in off.findings]
    assert "CLV312" in {f.code for f in on.findings}  # a v3-only path on the v2.1 base


def test_a_seed_from_outside_the_run_is_a_copy_and_the_shapes_read_stay_as_read():
    """outside() marks the statements whose imports reach a module the run did not find; the
    shapes a cache keeps (run.Earlier) stay as read, for runs over other files."""
    code = (
        b"import os\n"
        b"from app.settings import ROSTER_BASE\n\n\n"
        b"def roster(session):\n" + b"    x = 1\n" * 8 + b"    return ROSTER_BASE\n\n\nTIMEOUT = 10\n"
    )
    read = statements.shape(code, prefilter.trigger(()))
    assert [s.seed for s in read.statements] == [False, False, False, False]
    marked = statements.outside({0: read, 1: None}, lambda key, dotted, level: dotted.startswith("app"))
    assert [s.seed for s in marked[0].statements] == [False, True, False, False]
    assert marked[0] is not read and marked[1] is None
    assert [s.seed for s in read.statements] == [False, False, False, False]
    unchanged = statements.outside({0: read}, lambda key, dotted, level: False)
    assert unchanged[0] is read


def test_what_a_carrier_s_method_returns_reaches_the_statement_that_calls_it(tmp_path, monkeypatch):
    # mirror() names no Clever word, but the method it calls returns v2 teacher records
    write_tree(
        tmp_path,
        {
            "app/clever_client.py": """\
                import requests

                class Roster:
                    def fetch_people(self):
                        return requests.get("https://api.clever.com/v2.1/teachers").json()["data"]
                """,
            "app/store.py": '''\
                from app.clever_client import Roster


                def mirror(db, make_client):
                    """Copy the people into our tables."""
                    client = make_client()
                    count = 0
                    for person in client.fetch_people():
                        db.save(Record(uid=person["data"]["id"]))
                        count += 1
                    db.commit()
                    return count


                TIMEOUT = 10
                ''',
        },
    )
    on, hidden, _ = check(tmp_path, monkeypatch)
    assert "mirror" not in hidden.get("store.py", set())
    assert [(f.code, Path(f.path).name, f.span.line) for f in on.findings if f.code == "CLV201"] == [
        ("CLV201", "store.py", 9)
    ]


def test_a_helper_that_joins_paths_to_its_base_is_parsed_whatever_its_name(tmp_path, monkeypatch):
    # get() joins its path to self.base: linter.analysis.modules matches it with every call of
    # a method named get, however many classes define one
    others = "".join(f"class Other{n}:\n    def get(self, key):\n        return key\n\n\n" for n in range(6))
    write_tree(
        tmp_path,
        {
            "app/others.py": others,
            "app/sync.py": '''\
                import requests

                BASE = "https://api.clever.com/v2.1"


                def sync(api):
                    return api.get("/students")


                class Gateway:
                    """Another vendor's API."""

                    def __init__(self, base):
                        self.base = base

                    def get(self, path):
                        response = requests.get(self.base + path)
                        return response.json()


                TIMEOUT = 10
                ''',
        },
    )
    on, hidden, _ = check(tmp_path, monkeypatch, min_confidence=run.Confidence.LOW)
    assert "Gateway" not in hidden.get("sync.py", set())


@pytest.mark.parametrize("generator", ["edtech", "run"])
def test_every_def_blankable_changes_nothing_on_a_generated_tree(tmp_path, monkeypatch, generator):
    """The benchmarks' generators (15k lines) with every def and class a candidate, however
    short: what is left out must still change no finding, fix or note, at every confidence."""
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "benchmarks"))
    try:
        __import__(generator).build(tmp_path, 15_000, seed=5)
    finally:
        sys.path.remove(str(root / "benchmarks"))
    monkeypatch.setattr(statements, "MIN_LINES", 1)
    on, hidden, _ = check(tmp_path, monkeypatch, min_confidence=run.Confidence.LOW)
    assert on.findings and sum(len(names) for names in hidden.values()) > 20


def test_a_small_run_parses_every_statement(tmp_path, monkeypatch):
    write_tree(tmp_path, {"app/sync.py": CLASS_FIRST})
    decided = []
    masks = run._masks
    monkeypatch.setattr(run, "_masks", lambda *args: decided.append(1) or masks(*args))
    lint_paths([str(tmp_path)], Options(cache=False))
    assert decided == []
    monkeypatch.setattr(run, "MASK_BYTES", len(CLASS_FIRST))
    lint_paths([str(tmp_path)], Options(cache=False))
    assert decided == [1]
