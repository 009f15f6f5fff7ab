"""Generated Clever integrations, judged by the requests they make (issue 28).

Each example is a program put together from the grammar's independent choices
(tests/generated/grammar.py); the oracle (tests/generated/oracle.py) runs it against the fake
Clever API, checks it, fixes it, runs and checks it again, and says which of P1 (every v2
request reported on a line of its literals), P2 (fix keeps the people and never half-migrates)
and P3 (check after fix reports what is still v2) fail. The draw is derandomized (a fixed
seed); benchmarks/generated.py runs many more with fresh seeds. A failure is printed with the
program's choices: rebuild it with grammar.build(Choices(...)) and make it a case in
tests/realistic/ before fixing it."""

from __future__ import annotations

import tempfile
import types
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.generated import grammar  # noqa: E402
from tests.generated.oracle import judge  # noqa: E402

CHOICES = st.builds(
    grammar.Choices,
    base=st.sampled_from(grammar.BASES),
    module=st.sampled_from(grammar.MODULES),
    literal=st.sampled_from(grammar.LITERALS),
    build=st.sampled_from(grammar.BUILDS),
    role=st.sampled_from(grammar.ROLES),
    send=st.sampled_from(grammar.SENDS),
    spread=st.sampled_from(grammar.SPREADS),
    roles=st.lists(st.sampled_from(grammar.ROLE_WORDS), min_size=1, max_size=2, unique=True).map(tuple),
    version=st.sampled_from(("v2.0", "v2.1")),
)


def _judged(choices: grammar.Choices) -> None:
    program = grammar.build(choices)
    with tempfile.TemporaryDirectory(prefix="clever-upgrade-generated-") as directory:
        verdict = judge(program, Path(directory))
    assert not verdict.failures, f"{program.choices.label()}:\n  " + "\n  ".join(verdict.failures)


def _drawn(count: int):
    """A fixed-seed draw of `count` programs, not shrunk (the choices are printed instead)."""
    return settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


# every run of the suite: a few dozen programs (on every Python .ci/run uses)
@_drawn(40)
@given(CHOICES)
def test_generated_integrations_sample(choices):
    _judged(choices)


# the test command's bounded run: a few hundred programs from the same fixed seed
@pytest.mark.slow
@_drawn(300)
@given(CHOICES)
def test_generated_integrations(choices):
    _judged(choices)


def test_the_oracle_sees_a_broken_fix(tmp_path, monkeypatch):
    """The oracle is not a test that cannot fail: a fix that moves the base alone (a 404 on
    v3.1 for the role path) is a P2 failure, and a check that reports nothing is a P1 one."""
    import linter.api as api
    from tests.generated import oracle

    program = grammar.build(
        grammar.Choices("constant", "same", "plain", "fstring", "parameter", "requests_get", "functions", ("students",))
    )

    def nothing(paths, options=None, **kwargs):
        result = real_lint(paths, options or api.Options(), **kwargs)
        result.findings = []
        return result

    def base_only(paths, options=None, **kwargs):
        # the v2 base moved to v3.1 and the role path left as it is: what a careless fix does
        for path in Path(".").rglob("main.py"):
            path.write_text(path.read_text().replace("/v2.1", "/v3.1"))
        return types.SimpleNamespace(after=None)

    real_lint = oracle.lint_paths
    monkeypatch.setattr(oracle, "lint_paths", nothing)
    monkeypatch.setattr(oracle, "fix_paths", base_only)
    verdict = oracle.judge(program, tmp_path)
    kinds = {failure.split(" ")[0] for failure in verdict.failures}
    assert {"P1", "P2"} <= kinds, verdict.failures
    assert any("answered 404" in failure for failure in verdict.failures)
