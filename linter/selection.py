"""Which rule codes a run reports: the one reading of `select`, `ignore`, `per-file-ignores`,
suppression comments and the codes typed on a command line.

Codes are matched as ruff matches them: a whole code (`CLV301`) or a prefix of one (`CLV3`,
`CLV`), case-insensitively as typed, upper-case once read."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Optional, Sequence, Tuple


def parse_codes(text: str) -> Tuple[str, ...]:
    """`clv301, CLV5` -> ("CLV301", "CLV5"): a comma-separated list as typed."""
    return tuple(item.strip().upper() for item in text.split(",") if item.strip())


def normalize(codes: Iterable[str]) -> Tuple[str, ...]:
    return tuple(code.strip().upper() for code in codes if code.strip())


def is_rule_code(code: str) -> bool:
    """Looks like one of ours (a CLV code or prefix), whether or not such a rule exists."""
    return code.upper().startswith("CLV")


def matches(code: str, prefixes: Iterable[str]) -> bool:
    """`code` is one of `prefixes` or starts with one of them."""
    return any(code.startswith(prefix) for prefix in prefixes)


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff-style code selection: prefixes (`CLV3`) or whole codes; empty `select` is all."""
    if select and not matches(code, select):
        return False
    return not matches(code, ignore)


def unknown(codes: Iterable[str], known: Iterable[str]) -> Tuple[str, ...]:
    """The codes that are neither a known code nor a prefix of one (a typo such as `CLV3O1`)."""
    every = tuple(known)
    return tuple(code for code in codes if not any(k.startswith(code) for k in every))


def path_matches(path: str, pattern: str, root: Optional[Path]) -> bool:
    """A per-file-ignores glob matches a finding's path as shown, or relative to the
    configuration's directory."""
    candidates = {path.replace(os.sep, "/")}
    if root is not None:
        try:
            candidates.add(Path(path).resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            pass
    return any(fnmatch.fnmatch(c, pattern) for c in candidates)


def reported(
    code: str,
    path: str,
    select: Sequence[str],
    ignore: Sequence[str],
    per_file_ignores: Sequence[Tuple[str, Tuple[str, ...]]] = (),
    root: Optional[Path] = None,
) -> bool:
    """Whether a finding of `code` in `path` is reported at all."""
    if not selected(code, select, ignore):
        return False
    return not any(matches(code, codes) and path_matches(path, pattern, root) for pattern, codes in per_file_ignores)
