"""GitLab code quality (`--format gitlab`): the Code Climate JSON subset GitLab reads in a
merge request's code quality widget (`artifacts: reports: codequality:`): description,
check_name, fingerprint, severity, location.path and location.lines.begin."""

from __future__ import annotations

import json

from linter.model import LintResult
from linter.report.formats import View

# GitLab's severities: info, minor, major, critical, blocker
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(result: LintResult, view: View = View()) -> str:
    prints = view.prints
    issues = [
        {
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": prints[f.key],
            "severity": SEVERITIES[f.severity.value],
            "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
        }
        for f in result.visible
    ]
    return json.dumps(issues, indent=2) + "\n"
