"""Which Python files get a LibCST parse: a byte-level test, then the files linked to them.

Most files of a codebase never mention Clever; parsing them is most of the cost of a run. A
file is parsed when
1. its bytes match TRIGGER, built from the catalog: the word clever (hosts, the SDK's package,
   client names) and any configured Clever host, a v1/v2 version (`/v2.1`, `"v2.0"`), the v2
   role words and their event spellings, `record_type`, a `/me` path, `roles`; or
2. it imports one of the modules selected so far (a constant, a client or a function that
   returns Clever data can come from there), or names a function defined in one of them that
   the data-flow reading would follow (a name defined in at most MAX_CALLEES places of the
   whole run); repeated until nothing is added.
Every finding needs one of the words of (1) in its own file, or a value that reaches the file
through (2): a test runs the checker with and without this filter over the examples and the
test corpus and compares the findings. A file found in a directory that is not parsed cannot
be reported as unparsable (CLV001): a syntax error in a file that never touches Clever is not
ours to report. A file named on the command line is still checked for syntax (see select).

`name_counts`: how many times each function name is defined in the whole run, counted from the
text of every file, so that the flow's "defined in too many places" cut is the same whether
or not the filter is on."""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

MAX_CALLEES = 4  # linter.flow follows a method name defined in at most this many places

_DEF = re.compile(rb"(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)")
_IMPORT = re.compile(rb"(?m)^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)")


class Trigger:
    """The test of (1). Plain substring searches of the lower-cased bytes (fast, in C); the
    words that are common in ordinary code are then confirmed with a word-bounded pattern."""

    WEAK = {
        b"roles": rb"\broles\b",
        b"staff": rb"\bstaff\b",
        b"contact": rb"\bcontacts?\b|contacts\.|_contact|contact_",
        b"/me": rb"/me\b",
        b"v1.": rb"(?:/|[\"'])v1\.\d",
        b"v2.": rb"(?:/|[\"'])v2\.\d",
    }

    def __init__(self, extra_hosts: Tuple[str, ...] = ()) -> None:
        from linter import catalog

        words = set(catalog.ROLE_WORDS) | set(catalog.ROLE_LABELS) | set(catalog.events().resources)
        words |= set(catalog.events().record_types)
        strong = {b"clever", b"record_type"} | {h.lower().encode() for h in extra_hosts if h}
        strong |= {w.lower().encode() for w in words if w not in ("contact", "contacts", "staff", "admins")}
        # a word that contains another is redundant: "students" is found by "student"
        self.strong = sorted(w for w in strong if not any(o != w and o in w for o in strong))
        self.weak = [(key, re.compile(pattern, re.IGNORECASE)) for key, pattern in self.WEAK.items()]

    def search(self, data: bytes) -> bool:
        low = data.lower()
        if any(word in low for word in self.strong):
            return True
        return any(key in low and pattern.search(data) is not None for key, pattern in self.weak)


@functools.lru_cache(maxsize=8)
def trigger(extra_hosts: Tuple[str, ...] = ()) -> Trigger:
    return Trigger(extra_hosts)


def module_names(path: Path) -> Set[bytes]:
    """The names an import of this file would use: its stem, or its package for __init__."""
    name = path.parent.name if path.stem == "__init__" else path.stem
    return {name.encode()} if name else set()


def def_names(data: bytes) -> List[bytes]:
    return _DEF.findall(data)


def _word_pattern(words: Set[bytes]) -> Optional["re.Pattern[bytes]"]:
    if not words:
        return None
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w) for w in sorted(words)) + rb")\b")


def select(
    paths: Sequence[Path],
    read: Callable[[Path], Optional[bytes]],
    pattern: Trigger,
    always: Set[Path] = frozenset(),
) -> "Selection":
    """Run (1) over every file, count definitions, then close over (2). `read` returns a file's
    bytes (None when it cannot be read: such a file is selected, so the checker reports it);
    a file in `always` (named on the command line) without Clever words is compiled by Python
    (an order of magnitude faster than LibCST) and selected only if that fails, so that a
    broken file named on the command line (as pre-commit does) is still reported."""
    selection = Selection()
    others: List[Path] = []
    names: Set[bytes] = set()
    defined: Set[bytes] = set()
    for path in paths:
        data = read(path)
        if data is None:
            selection.chosen.add(path)
            continue
        selection.name_counts.update(n.decode() for n in def_names(data))
        if pattern.search(data):
            selection.chosen.add(path)
            names |= module_names(path)
            defined.update(def_names(data))
        elif path in always and not _compiles(data, path):
            selection.chosen.add(path)  # named, and broken: parsed, so that CLV001 says why
        else:
            others.append(path)
    while others:
        followed = {n for n in defined if selection.name_counts.get(n.decode(), 0) <= MAX_CALLEES}
        modules = _word_pattern(names)
        calls = _word_pattern(followed)
        added: List[Path] = []
        remaining: List[Path] = []
        for path in others:
            data = read(path) or b""
            linked = calls is not None and calls.search(data) is not None
            if not linked and modules is not None:
                linked = any(modules.search(m.group(0)) for m in _IMPORT.finditer(data))
            if linked:
                added.append(path)
                names |= module_names(path)
                defined.update(def_names(data))
            else:
                remaining.append(path)
        if not added:
            break
        selection.chosen.update(added)
        selection.linked.update(added)
        others = remaining
    return selection


def _compiles(data: bytes, path: Path) -> bool:
    import ast

    try:
        compile(data, str(path), "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError):
        return False
    return True


class Selection:
    def __init__(self) -> None:
        self.chosen: Set[Path] = set()
        self.linked: Set[Path] = set()  # chosen by (2)
        self.name_counts: Counter = Counter()

    def __contains__(self, path: Path) -> bool:
        return path in self.chosen


def counts_of(texts: Dict[Path, bytes]) -> Counter:
    counts: Counter = Counter()
    for data in texts.values():
        counts.update(n.decode() for n in def_names(data))
    return counts
