"""Clever URLs in configuration files (.env, .ini, .toml, .yaml, .json, ...): no parse, a
regular expression finds the URLs and the same URL reading as for Python does the rest."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, List, Tuple

from linter.evaluate.template import Template
from linter.evaluate.urls import analyze
from linter.rules.endpoints import CONFIG_VERSION_PIN, VERSION_PIN, UrlFinding, url_findings

_CLEVER_URL = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://)?(?:[\w-]+\.)*clever\.com(?::\d+)?(?:/[^\s\"'<>\\,;)}\]`]*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TextFinding:
    finding: UrlFinding
    line: int
    column: int  # 1-based
    end_line: int
    end_column: int


def _line_col(text: str, offset: int, line_starts: List[int]) -> Tuple[int, int]:
    line = bisect.bisect_right(line_starts, offset) - 1
    return line + 1, offset - line_starts[line] + 1


def scan_text(text: str, extra_hosts: Iterable[str] = (), config_file: bool = True) -> List[TextFinding]:
    """Clever URLs written out in `text`; version pins are CLV311 in configuration files and
    CLV310 in Python files too large for the full analysis."""
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    results: List[TextFinding] = []
    patterns = [_CLEVER_URL]
    for host in extra_hosts:
        patterns.append(
            re.compile(
                r"(?:[A-Za-z][A-Za-z0-9+.-]*://)?" + re.escape(host) + r"(?:/[^\s\"'<>\\,;)}\]`]*)?", re.IGNORECASE
            )
        )
    for pattern in patterns:
        for match in pattern.finditer(text):
            if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] in "-_."):
                continue  # part of a longer host name (notclever.com)
            analysis = analyze(Template.literal(match.group(0)), extra_hosts)
            if not analysis.is_clever_host:
                continue
            for finding in url_findings(analysis):
                if finding.rule is VERSION_PIN and config_file:
                    finding = UrlFinding(
                        CONFIG_VERSION_PIN,
                        finding.start,
                        finding.end,
                        (
                            f"Clever base URL on API {analysis.version} in a configuration file: move to v3.1 together "
                            f"with the code that uses it"
                        ),
                        finding.v2,
                        finding.v3,
                        finding.severity,
                    )
                start = match.start() + finding.start
                end = match.start() + finding.end
                line, column = _line_col(text, start, line_starts)
                end_line, end_column = _line_col(text, end, line_starts)
                results.append(TextFinding(finding, line, column, end_line, end_column))
    return results
