"""`--verbose`: what a run did, on standard error: the files found, left out by the prefilter,
parsed and read on demand, why each file was parsed (-v), the time of each phase, and the
modules whose analysis took longest (-vv)."""

from __future__ import annotations

from typing import List

from linter.model import RunStats


def render(stats: RunStats, level: int) -> str:
    if stats.cached:
        return "clever-upgrade: the result came from the cache: nothing was analysed (--no-cache analyses again)\n"
    left_out = stats.python_files - stats.parsed
    lines: List[str] = [
        f"clever-upgrade: {stats.python_files} Python file{_s(stats.python_files)} and {stats.text_files} other "
        f"file{_s(stats.text_files)} found; {stats.parsed} parsed, {left_out} left out by the prefilter, "
        f"{stats.on_demand} more read on demand (imports, base classes, settings); "
        f"{stats.blanked} top-level statement{_s(stats.blanked)} left out of the parse",
    ]
    phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stats.phases.items() if name != "total")
    lines.append(f"clever-upgrade: time: {phases}; total {stats.phases.get('total', 0.0):.2f} s")
    for path, why in sorted(stats.reasons.items()):
        lines.append(f"  parsed {path}: {why}")
    if level >= 2 and stats.slowest:
        lines.append("clever-upgrade: the slowest modules to analyse:")
        lines.extend(f"  {seconds:8.3f} s  {path}" for path, seconds in stats.slowest)
    return "\n".join(lines) + "\n"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
