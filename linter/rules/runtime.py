"""Findings that come from running the code rather than reading it (`check --trace`)."""

from linter.model import Severity
from linter.rules.base import Rule, register

RUNTIME_ONLY = register(
    Rule(
        code="CLV701",
        name="runtime-only-request",
        step=1,  # each finding takes the step of the endpoint it requested
        severity=Severity.ERROR,
        summary=(
            "A Clever v1.x/v2.x request that `clever-upgrade trace` recorded at this call site, and that the "
            "static analysis does not see (with `check --trace FILE`)."
        ),
        rationale=(
            "Some URLs are assembled from configuration, a database or user input at run time, where no "
            "reading of the source can follow them. `clever-upgrade trace -- COMMAND` runs the test suite "
            "(or a staging job) and records every Clever request with the line of the user's code that made "
            "it; `check --trace` reports the v2 requests that no static finding accounts for, so that the "
            "audit, the checklist and the CI gate hold both. Migrate the code that builds the URL (the "
            "message names the URL requested and its v3.1 form), then trace again."
        ),
        invalid=None,
        valid=None,
    )
)
