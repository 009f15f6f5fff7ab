"""Each rule's own examples (the ones `explain` and the docs will show) are run as tests:
the invalid one is reported with that rule's code, the valid one gives nothing."""

from __future__ import annotations

import pytest

from linter.rules import REGISTRY
from tests.helpers import lint_tree

CONFIG_RULES = {"CLV311"}
# an internal error, a huge file (test_cli, test_reliability), a request seen at run time (test_trace)
NO_EXAMPLE = {"CLV002", "CLV004", "CLV701"}
WITH_EXAMPLES = sorted(set(REGISTRY) - NO_EXAMPLE)


def _file_name(code: str) -> str:
    return ".env" if code in CONFIG_RULES else "example.py"


@pytest.mark.parametrize("code", WITH_EXAMPLES)
def test_invalid_example_is_reported(tmp_path, code):
    rule = REGISTRY[code]
    name = _file_name(code)
    result = lint_tree(
        tmp_path, {name: rule.invalid}, min_confidence="medium", paths=[name], report_unused_suppressions=True
    )
    assert code in {f.code for f in result.visible}


@pytest.mark.parametrize("code", WITH_EXAMPLES)
def test_valid_example_is_clean(tmp_path, code):
    rule = REGISTRY[code]
    name = _file_name(code)
    result = lint_tree(
        tmp_path, {name: rule.valid}, min_confidence="low", paths=[name], report_unused_suppressions=True
    )
    assert result.findings == []


def test_rule_metadata_is_complete():
    for code, rule in REGISTRY.items():
        assert code == rule.code and code.startswith("CLV") and len(code) == 6
        assert 1 <= rule.step <= 7
        assert rule.summary and rule.rationale and rule.name
        assert (rule.invalid is None) == (code in NO_EXAMPLE)


def test_docs_rules_md_is_current():
    from pathlib import Path

    from linter.report import rules_doc

    committed = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == rules_doc.markdown(), (
        "docs/rules.md is stale: python -m linter.report.rules_doc > docs/rules.md"
    )


def test_explain_and_rules_commands():
    from click.testing import CliRunner

    from linter.cli import main

    result = CliRunner().invoke(main, ["explain", "clv302"])
    assert result.exit_code == 0
    assert result.output.startswith(
        "CLV302 role-record-endpoint\n\nChecklist step 3: Update your User Endpoints. Severity: error. Fix: safe.\n"
    )
    assert "Before (v2):" in result.output and "After (v3.1):" in result.output
    missing = CliRunner().invoke(main, ["explain", "CLV999"])
    assert (
        missing.exit_code == 2
        and missing.output == "clever-upgrade: error: unknown rule 'CLV999' (see `clever-upgrade rules`)\n"
    )
    listing = CliRunner().invoke(main, ["rules"]).output.splitlines()
    assert listing[0].split() == ["code", "name", "step", "severity", "fix"]
    assert len(listing) == 1 + len(REGISTRY)


def _fix_example(tmp_path, rule, unsafe: bool):
    """(the codes `fix` fixed in the rule's invalid example, the example's text after it)."""
    from linter.api import fix_paths
    from linter.model import Options

    path = tmp_path / ("unsafe" if unsafe else "safe") / _file_name(rule.code)
    path.parent.mkdir()
    path.write_text(rule.invalid, encoding="utf-8")
    (path.parent / "pyproject.toml").write_text("", encoding="utf-8")  # the example is the whole project
    outcome = fix_paths([str(path)], Options(cache=False), unsafe)
    return {f.code for fixed in outcome.changed.values() for f in fixed}, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", WITH_EXAMPLES)
def test_the_fix_tier_of_a_rule_is_what_fix_does_with_its_example(tmp_path, code):
    """A rule marked safe is fixed by plain `fix`, one marked unsafe only with --unsafe-fixes, and
    either gives the rule's `fixed` code (or `valid`); a rule without a fix is never fixed."""
    rule = REGISTRY[code]
    safe_codes, safe_text = _fix_example(tmp_path, rule, unsafe=False)
    unsafe_codes, unsafe_text = _fix_example(tmp_path, rule, unsafe=True)
    if rule.fix is None:
        assert code not in safe_codes | unsafe_codes
        return
    expected = rule.fixed if rule.fixed is not None else rule.valid
    assert code in unsafe_codes and unsafe_text == expected
    if rule.fix == "safe":
        assert code in safe_codes and safe_text == expected
    else:
        assert code not in safe_codes and safe_text == rule.invalid


def test_explain_takes_a_rule_by_its_name_too():
    from click.testing import CliRunner

    from linter.cli import main

    by_name = CliRunner().invoke(main, ["explain", "role-record-endpoint"])
    assert by_name.exit_code == 0 and by_name.output == CliRunner().invoke(main, ["explain", "CLV302"]).output
    assert CliRunner().invoke(main, ["explain", "no-such-rule"]).exit_code == 2
