"""`path:line:col: CODE message`, one line a finding (with the source line and a caret under
the flagged range, unless --no-show-source), then a summary line (like ruff)."""

from __future__ import annotations

from typing import List

from linter.model import Finding, LintResult, safe_fixes
from linter.report.formats import View


def format_finding(finding: Finding) -> str:
    return f"{finding.path}:{finding.span.line}:{finding.span.column}: {finding.code} {finding.message}"


def source_snippet(finding: Finding, lines: List[str]) -> List[str]:
    """The flagged line with carets under the range (to the line's end for a range that goes
    on), ruff's layout; nothing when the line is not known."""
    number = finding.span.line
    if not 1 <= number <= len(lines):
        return []
    line = lines[number - 1].rstrip("\r\n")
    start = min(max(finding.span.column, 1), len(line) + 1)
    end = finding.span.end_column if finding.span.end_line == number else len(line) + 1
    end = max(min(end, len(line) + 1), start + 1)
    gutter = " " * len(str(number))
    pad = "".join(c if c == "\t" else " " for c in line[: start - 1])
    return [f"{gutter} |", f"{number} | {line}", f"{gutter} | {pad}{'^' * (end - start)}", f"{gutter} |"]


def statistics(result: LintResult) -> str:
    """Counts per code, most frequent first, with how many of them `fix` can do."""
    from collections import Counter

    from linter.rules import REGISTRY

    counts = Counter(f.code for f in result.visible)
    fixable = Counter(f.code for f in result.visible if f.fixable)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name = REGISTRY[code].name if code in REGISTRY else ""
        lines.append(f"{count:5d}  {code}  {name:<32} {fixable[code]} fixable")
    lines.append(f"{sum(counts.values()):5d}  total  {'':<32} {sum(fixable.values())} fixable")
    return "\n".join(lines) + "\n"


def summary(result: LintResult, baseline=None) -> str:
    """The last line of the text report; `baseline`: (findings it hid, entries that matched
    nothing) when a baseline was given."""
    shown = result.visible
    files = len({f.path for f in shown})
    if not result.files_scanned:
        left_out = [
            _count(n, noun, plural)
            for key, noun, plural in (
                ("excluded", "excluded path", ""),
                ("symlink", "symbolic link out of the tree", "symbolic links out of the tree"),
                ("gitignored", "file git ignores", "files git ignores"),
            )
            if (n := result.skipped.get(key, 0))
        ]
        text = "No Python or configuration file was checked" + (
            f" ({', '.join(left_out)} skipped)." if left_out else "."
        )
    elif not shown:
        text = f"No Clever v2 constructs found in {_count(result.files_scanned, 'file')}."
    else:
        # safe: what a default `fix` rewrites, so a safe path tied to an unsafe pin is counted
        # with the unsafe fixes, as fix holds it
        safe = len(safe_fixes(shown))
        unsafe = sum(1 for f in shown if f.fixable) - safe
        text = f"Found {_count(len(shown), 'finding')} in {_count(files, 'file')} ({result.files_scanned} checked)"
        if safe:
            text += f"; {safe} fixable with `clever-upgrade fix`"
        if unsafe and safe:
            text += f" ({unsafe} more with `--unsafe-fixes`)"
        elif unsafe:
            text += f"; {unsafe} fixable with `clever-upgrade fix --unsafe-fixes`"
        text += "."
    if result.suppressed:
        text += f" {_count(len(result.suppressed), 'finding')} suppressed by noqa comments."
    if baseline is not None:
        hidden, stale = baseline
        text += f" {_count(hidden, 'finding')} hidden by the baseline."
        if stale:
            text += f" {_count(stale, 'baseline entry', 'baseline entries')} matched nothing (stale)."
    if result.hidden:
        text += (
            f" {_count(result.hidden, 'finding')} below {result.min_confidence.value} confidence "
            f"not shown (--min-confidence low shows them)."
        )
    return text


def render(result: LintResult, view: View = View()) -> str:
    if view.statistics:
        return statistics(result)
    lines: List[str] = []
    cache: dict = {}
    for f in result.visible:
        lines.append(format_finding(f))
        if view.show_source and f.path in result.texts:
            if f.path not in cache:
                cache[f.path] = result.texts[f.path].splitlines()
            lines.extend(source_snippet(f, cache[f.path]))
    if not view.quiet:
        lines.append(summary(result, view.baseline))
    out = "\n".join(lines) + ("\n" if lines else "")
    if view.show_suppressed and result.suppressed:
        out += "Suppressed:\n" + "".join(f"  {format_finding(f)}\n" for f in result.suppressed)
    return out


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} " + (noun if number == 1 else (plural or noun + "s"))


def left_for_a_person(findings: List[Finding]) -> str:
    """What `fix` leaves, grouped by checklist step, with why a fix was not made, and for each
    kind of finding the v3.1 form to aim for (the rule's own migrated example)."""
    from linter.rules import REGISTRY
    from linter.rules.base import STEPS

    lines = ["Left for a person, by checklist step:"]
    for step in sorted({f.step for f in findings}):
        lines.append(f"Step {step}. {STEPS.get(step, '')}")
        codes = []
        for finding in findings:
            if finding.step == step:
                line = "  " + format_finding(finding)
                if finding.note:
                    line += f" [{finding.note}]"
                elif finding.fix is not None and not finding.fix.safe:
                    line += " [an unsafe fix exists: --unsafe-fixes]"
                lines.append(line)
                if finding.code not in codes:
                    codes.append(finding.code)
        for code in sorted(codes):
            rule = REGISTRY.get(code)
            if rule is not None and rule.valid:
                lines.append(f"  {code} in v3.1 looks like:")
                lines.extend("      " + text for text in rule.valid.rstrip("\n").splitlines())
    return "\n".join(lines)
