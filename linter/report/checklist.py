"""The migration checklist of Clever's upgrade guide, filled in from the findings: Markdown
that reads well pasted into a pull request, or the same content as JSON."""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Dict, List, Tuple

from linter import catalog
from linter.model import Finding, LintResult, safe_fixes
from linter.report.formats import View
from linter.rules import registry  # noqa: F401 - every family registered, for the traits and decisions
from linter.rules.base import DECISIONS, STEPS, codes_with, raising

SCHEMA_VERSION = 1


def _location(finding: Finding) -> str:
    return f"{finding.path}:{finding.span.line}"


def inventory(result: LintResult) -> List[dict]:
    """Every v2 endpoint the code uses: call sites, the v3.1 equivalent, how many are fixable."""
    rows = {row.v2: row for row in catalog.endpoints()}
    sdk_endpoints = codes_with("sdk-endpoint")
    sites: Dict[str, set] = {}
    fixable: Dict[str, int] = {}
    threshold = result.min_confidence.rank
    for use in result.endpoint_uses:
        if use.confidence.rank >= threshold:
            sites.setdefault(use.endpoint, set()).add((use.path, use.span))
            fixable[use.endpoint] = fixable.get(use.endpoint, 0) + int(use.fixable)
    for finding in result.visible:
        if finding.code in sdk_endpoints and finding.v2:
            path = "/" + finding.v2.split("/", 2)[2]  # drop the /v2.0 or /v1.2 prefix
            if path in rows:
                sites.setdefault(path, set()).add((finding.path, finding.span))
                fixable[path] = fixable.get(path, 0) + int(finding.fixable)
    out = []
    for path in sorted(sites, key=lambda p: (not rows[p].changed, p)):
        row = rows[path]
        out.append(
            {
                "v2": path,
                "v3": row.v3,
                "changes": row.changed,
                "guidance": row.guidance,
                "call_sites": len(sites[path]),
                "fixable": fixable.get(path, 0),
            }
        )
    return out


def _by_step(result: LintResult) -> Dict[int, List[Finding]]:
    steps: Dict[int, List[Finding]] = {step: [] for step in STEPS}
    for finding in result.visible:
        steps.setdefault(finding.step, []).append(finding)
    return steps


def _to_exercise(result: LintResult, steps: Dict[int, List[Finding]], endpoints: List[dict]) -> List[str]:
    items = [
        "Run the migrated sync against your sandbox district with a v3.1 token and compare the roster with the v2 run."
    ]
    if endpoints:
        items.append("Call every endpoint of the inventory above on v3.1 and check each returns what the code expects.")
    if steps[2]:
        items.append("Check that every stored teacher, staff, district-admin and contact ID maps to its v3 user ID.")
    if steps[4] or any(e["v2"].startswith("/events") for e in endpoints):
        items.append(
            (
                "Replay events from the #DEMO Certification ISD - Events sandbox district (users.* events of several "
                "roles)."
            )
        )
    if steps[5]:
        items.append("Log in through Clever as a student, a teacher, and a teacher who is also staff.")
    if steps[6] or steps[5]:
        items.append("Exercise a user with several roles (teacher + staff) end to end.")
    return items


def _decisions(result: LintResult) -> List[dict]:
    out = []
    for decision in DECISIONS.values():
        codes = raising(decision.key)
        raised = [f for f in result.visible if f.code in codes]
        if raised:
            out.append(
                {
                    "id": decision.key,
                    "title": decision.title,
                    "question": decision.question,
                    "findings": [{"path": f.path, "line": f.span.line, "code": f.code} for f in raised],
                }
            )
    return out


def to_data(result: LintResult) -> dict:
    steps = _by_step(result)
    endpoints = inventory(result)
    return {
        "version": SCHEMA_VERSION,
        "files_checked": result.files_scanned,
        "min_confidence": result.min_confidence.value,
        "inventory": endpoints,
        "steps": [
            {
                "step": step,
                "title": title,
                "done": False if step == 7 else not steps[step],
                "findings": [f.to_json() for f in steps[step]],
                **({"to_exercise": _to_exercise(result, steps, endpoints)} if step == 7 else {}),
            }
            for step, title in STEPS.items()
        ],
        "decisions": _decisions(result),
    }


def render_json(result: LintResult, view: View = View()) -> str:
    return result.speak(json.dumps(to_data(result), indent=2) + "\n")


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell or list item (no stray table bars, no HTML tags)."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _raised_by(findings: List[dict]) -> str:
    """`path` lines 3, 9 (CLV201, CLV502); ... grouped per file."""
    by_path: Dict[str, Tuple[List[int], List[str]]] = OrderedDict()
    for finding in findings:
        lines, codes = by_path.setdefault(finding["path"], ([], []))
        if finding["line"] not in lines:
            lines.append(finding["line"])
        if finding["code"] not in codes:
            codes.append(finding["code"])
    parts = []
    for path, (lines, codes) in by_path.items():
        word = "line" if len(lines) == 1 else "lines"
        parts.append(f"`{path}` {word} {', '.join(map(str, lines))} ({', '.join(sorted(codes))})")
    return "; ".join(parts)


def v3_cell(row: dict, code) -> str:
    """The v3.1 column of an inventory row; `code(path)` marks a path up (Markdown, HTML)."""
    if row["v3"] is None:
        return "no direct equivalent (see step 3)"
    return code(row["v3"]) + ("" if row["changes"] else " (unchanged)")


def render_markdown(result: LintResult, view: View = View()) -> str:
    data = to_data(result)
    shown = result.visible
    fixable = len(safe_fixes(shown))
    unsafe = sum(1 for f in shown if f.fixable) - fixable
    more = f" ({unsafe} more with `--unsafe-fixes`)" if unsafe else ""
    lines = [
        "# Clever API v3.1 migration checklist",
        "",
        f"{len(shown)} findings in {len({f.path for f in shown})} of {result.files_scanned} files checked "
        f"(confidence {result.min_confidence.value} and up); {fixable} can be fixed by `clever-upgrade fix`{more}.",
        "",
        "## Endpoint inventory",
        "",
    ]
    if data["inventory"]:
        lines += ["| v2 endpoint | call sites | v3.1 equivalent | fixable |", "|---|---:|---|---:|"]
        for row in data["inventory"]:
            v3 = v3_cell(row, lambda path: f"`{path}`")
            lines.append(f"| `{row['v2']}` | {row['call_sites']} | {v3} | {row['fixable']} |")
    else:
        lines.append("No Clever endpoint found.")
    lines += ["", "## Steps", ""]
    for step in data["steps"]:
        count = len(step["findings"])
        status = "nothing left" if count == 0 else f"{count} finding{'s' if count != 1 else ''}"
        if step["step"] == 1 and count == 0:
            status = "done: every file was read; the inventory above lists the endpoints in use"
        if step["step"] == 7:
            status = "to do by hand after the steps above"
        mark = "x" if step["done"] else " "
        lines.append(f"- [{mark}] **{step['step']}. {step['title']}**: {status}")
    for step in data["steps"]:
        if not step["findings"] and step["step"] != 7:
            continue
        lines += ["", f"### {step['step']}. {step['title']}", ""]
        if step["step"] == 7:
            lines.append("Static analysis cannot tick this step. Exercise:")
            lines.append("")
            lines += [f"- {item}" for item in step["to_exercise"]]
            continue
        for finding in step["findings"]:
            change = ""
            v2 = finding.get("v2")
            if v2 and v2 not in finding["message"]:
                change = f" `{v2}` -> " + (f"`{finding['v3']}`" if finding.get("v3") else "no direct equivalent") + ":"
            how = "`fix` can do it" if finding["fixable"] else "manual"
            lines.append(
                f"- `{finding['path']}:{finding['line']}` {finding['code']}{change} {_cell(finding['message'])} ({how})"
            )
    lines += ["", "## Decisions only a person can take", ""]
    if not data["decisions"]:
        lines.append("None raised by the findings.")
    for decision in data["decisions"]:
        lines.append(
            f"- **{decision['title']}**: {_cell(decision['question'])} Raised by: {_raised_by(decision['findings'])}."
        )
    return result.speak("\n".join(lines) + "\n")
