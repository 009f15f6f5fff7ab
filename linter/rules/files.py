"""Findings about files themselves rather than their content."""

from linter.model import Severity
from linter.rules.base import Rule, register

PARSE_ERROR = register(
    Rule(
        code="CLV001",
        name="unparsable-file",
        step=1,
        severity=Severity.ERROR,
        summary="A Python file that could not be parsed, so it was not audited (and will never be rewritten).",
        rationale=(
            "The audit of step 1 must cover every file that may call Clever. A file that does "
            "not parse (Python 2 code, a syntax error, undecodable bytes) is reported so that "
            "it is looked at by hand instead of silently passing the check."
        ),
        invalid="print 'hello'\n",
        valid="print('hello')\n",
    )
)

ANALYSIS_ERROR = register(
    Rule(
        code="CLV002",
        name="analysis-error",
        step=1,
        severity=Severity.ERROR,
        summary="The analysis of a file failed on an internal error; the file was not fully checked.",
        rationale=(
            "A bug in clever-upgrade must not stop the check of the other files, nor pass "
            "silently: the file is named so that it is audited by hand (and the bug reported)."
        ),
        invalid=None,
        valid=None,
    )
)

UNUSED_SUPPRESSION = register(
    Rule(
        code="CLV003",
        name="unused-suppression",
        step=1,
        severity=Severity.WARNING,
        summary=(
            "A `# noqa: CLV...` or `# clever-upgrade: ignore[...]` comment that suppresses nothing (with "
            "--report-unused-suppressions)."
        ),
        rationale="A stale suppression hides the next real finding on that line; remove it once the code is migrated.",
        invalid='URL = "https://api.clever.com/v3.1/users"  # noqa: CLV301\n',
        valid='URL = "https://api.clever.com/v3.1/users"\n',
    )
)

TOO_LARGE = register(
    Rule(
        code="CLV004",
        name="file-too-large-to-analyse",
        step=1,
        severity=Severity.INFO,
        summary=(
            "A Python file too large for the full analysis (generated code, most likely): only the Clever URLs "
            "written out in it were checked."
        ),
        rationale=(
            "A syntax tree of a multi-megabyte module costs gigabytes of memory. Such files are "
            "scanned as text for Clever URLs (reported, never rewritten); role paths built from "
            "pieces in them are not seen. The finding is of low confidence, shown with "
            "--min-confidence low."
        ),
        invalid=None,
        valid=None,
    )
)
