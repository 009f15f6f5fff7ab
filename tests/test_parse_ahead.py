"""linter.syntax.ahead: a forked worker parses the last share of the files; its trees must be
the trees this process would parse, and whatever it cannot hand back is parsed here."""

from __future__ import annotations

import pickle

import libcst as cst
import pytest

from linter.api import Options, lint_paths
from linter.syntax import ahead
from tests.helpers import write_tree

CLIENT = (
    'import requests\nBASE = "https://api.clever.com/v2.1"\n\n\n'
    'def teachers(s):\n    return s.get(BASE + "/teachers")\n'
)


def _tree(tmp_path, count=20, broken=()):
    files = {}
    for number in range(count):
        if number in broken:
            files[f"pkg/m{number:02}.py"] = 'URL = "https://api.clever.com/v2.1/students"\ndef f(:\n'
        else:
            files[f"pkg/m{number:02}.py"] = CLIENT.replace("teachers", f"teachers{number}", 1)
    write_tree(tmp_path, files)


def test_the_workers_trees_are_the_ones_parsed_here():
    sources = [CLIENT.replace("BASE", f"BASE{n}").encode() for n in range(ahead.MIN_FILES + 3)]
    parsed_ahead = ahead.Ahead(sources, jobs=2)
    assert 0 < parsed_ahead.first < len(sources)  # the worker took the last share
    for index, source in enumerate(sources):
        tree = parsed_ahead.tree(index)
        if index < parsed_ahead.first:
            assert tree is None
        else:
            assert tree is not None and tree.deep_equals(cst.parse_module(source))
            assert tree.code == source.decode()
    parsed_ahead.close()


def test_one_job_or_few_files_parse_here():
    sources = [CLIENT.encode()] * (ahead.MIN_FILES + 3)
    assert ahead.Ahead(sources, jobs=1).first == len(sources)
    assert ahead.Ahead(sources[: ahead.MIN_FILES - 1], jobs=2).first == ahead.MIN_FILES - 1


@pytest.mark.parametrize("broken", [(), (18, 19), (0, 19)])
def test_a_run_with_a_worker_finds_what_a_run_without_one_finds(tmp_path, broken):
    _tree(tmp_path, broken=broken)
    one = lint_paths([str(tmp_path)], Options(jobs=1, cache=False))
    two = lint_paths([str(tmp_path)], Options(jobs=2, cache=False))
    assert len(one.findings) >= 30
    assert [(f.key, f.message, f.fix) for f in two.findings] == [(f.key, f.message, f.fix) for f in one.findings]
    assert sum(f.code == "CLV001" for f in two.findings) == len(broken)  # syntax errors, reported here


def test_what_the_worker_cannot_hand_back_is_parsed_here(tmp_path, monkeypatch):
    _tree(tmp_path)
    expected = lint_paths([str(tmp_path)], Options(jobs=1, cache=False))

    def garbled(first):
        return [b"not a pickle"] * (len(ahead._SOURCES) - first)

    monkeypatch.setattr(ahead, "_parse_share", garbled)
    garbled_run = lint_paths([str(tmp_path)], Options(jobs=2, cache=False))

    def failing(first):
        raise pickle.PicklingError("deep")

    monkeypatch.setattr(ahead, "_parse_share", failing)
    failed_run = lint_paths([str(tmp_path)], Options(jobs=2, cache=False))
    for run in (garbled_run, failed_run):
        assert [(f.key, f.fix) for f in run.findings] == [(f.key, f.fix) for f in expected.findings]


def _dies(*args):
    import os

    os._exit(3)  # a worker killed (for its memory, say): no answer ever comes


def test_a_worker_that_dies_never_hangs_the_run(tmp_path, monkeypatch):
    from linter.source import workers

    assert workers.fork_map(_dies, [1, 2, 3], jobs=2) is None
    assert workers.Background(_dies).result() is None
    _tree(tmp_path)
    expected = lint_paths([str(tmp_path)], Options(jobs=1, cache=False))
    monkeypatch.setattr(ahead, "_parse_share", _dies)
    survived = lint_paths([str(tmp_path)], Options(jobs=2, cache=False))
    assert [(f.key, f.fix) for f in survived.findings] == [(f.key, f.fix) for f in expected.findings]


def test_fork_each_answers_in_order_with_what_the_workers_inherit():
    """work(shared, item) of every item, in order, whatever the tasks' sizes; `shared` (here a
    lambda and an open generator, which pickle refuses) reaches the workers through fork."""
    import os

    from linter.source import workers

    items = list(range(23))
    here = os.getpid()
    shared = (lambda n: n * n, (n for n in ()))
    for tasks_per_job in (None, 1, 4, 100):
        answers = workers.fork_each(lambda s, n: (s[0](n), os.getpid()), items, shared, 2, tasks_per_job)
        assert [square for square, _ in answers] == [n * n for n in items]
        assert here not in {pid for _, pid in answers}  # computed in the workers
    assert workers.fork_each(lambda s, n: n, items, None, 1) is None  # one job: the caller works
    assert workers.fork_each(lambda s, n: n, [], None, 2) is None
    assert workers.fork_each(_dies, items, None, 2) is None  # a dead worker: no answer, no hang
    assert workers._SHARED is None
