"""Each rule's own examples (the ones `explain` and the docs will show) are run as tests:
the invalid one is reported with that rule's code, the valid one gives nothing."""

from __future__ import annotations

import pytest

from linter.rules import REGISTRY
from tests.helpers import lint_tree

CONFIG_RULES = {"CLV311"}
NO_EXAMPLE = {"CLV002"}  # an internal error: no source shows it (tests/test_cli.py provokes it)
WITH_EXAMPLES = sorted(set(REGISTRY) - NO_EXAMPLE)


def _file_name(code: str) -> str:
    return ".env" if code in CONFIG_RULES else "example.py"


@pytest.mark.parametrize("code", WITH_EXAMPLES)
def test_invalid_example_is_reported(tmp_path, code):
    rule = REGISTRY[code]
    result = lint_tree(tmp_path, {_file_name(code): rule.invalid}, min_confidence="medium", report_unused_suppressions=True)
    assert code in {f.code for f in result.visible}


@pytest.mark.parametrize("code", WITH_EXAMPLES)
def test_valid_example_is_clean(tmp_path, code):
    rule = REGISTRY[code]
    result = lint_tree(tmp_path, {_file_name(code): rule.valid}, min_confidence="low", report_unused_suppressions=True)
    assert result.findings == []


def test_rule_metadata_is_complete():
    for code, rule in REGISTRY.items():
        assert code == rule.code and code.startswith("CLV") and len(code) == 6
        assert 1 <= rule.step <= 7
        assert rule.summary and rule.rationale and rule.name
        assert (rule.invalid is None) == (code in NO_EXAMPLE)
