"""Which Python files get a LibCST parse: a byte-level test, then the files linked to them.

Most files of a codebase never mention Clever; parsing them is most of the cost of a run. A
file is parsed when
1. its bytes hold what a rule reports on, derived from the catalog: a Clever or configured
   host, an import of the SDK, a v2 role word where a path, string or event type has it
   (`"/students"`, `"teacher"`, `"students.created"`), `record_type`, an SDK event class, a
   v1/v2 version (`/v2.1`, `"v2.0"`), a `/me` path, `roles`, an SDK mock target; or
2. one of its import statements names a link source, or it calls, as a method (`x.name(...)`,
   the only call into another module the data-flow reading follows), a function defined in a
   link source whose name is defined in at most MAX_CALLEES places of the whole run.
Link sources are the files that make a Clever URL or client (a Clever or configured host, an
import of the SDK) and, repeatedly, the files linked to them. A file whose only Clever words
are role words (`"contact"`, `"student"`: common in other code) is parsed but hands nothing on
unless it is linked itself: without a Clever URL it holds no Clever value. Constants are not
affected: the modules a parsed file imports are parsed on demand by the resolver.

tests/test_prefilter.py checks that the findings are the same with and without the filter
(examples, the test suite, a synthetic monorepo, files linked only by imports and calls). A
file found in a directory and not parsed cannot be reported as unparsable (CLV001): a syntax
error in a file that never touches Clever is not ours to report; a file named on the command
line is still syntax-checked (see select).

`name_counts`: how many times each function name is defined in the whole run, counted from the
text of every file, so that the flow's "defined in too many places" cut is the same whether
or not the filter is on."""

from __future__ import annotations

import functools
import re
from collections import Counter
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Set, Tuple

MAX_CALLEES = 4  # linter.flow follows a method name defined in at most this many places

_DEF = re.compile(rb"(?m)^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)")
_IMPORT = re.compile(rb"(?m)^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)")


class Trigger:
    """The test of (1), built from the catalog. Plain substring searches of the bytes (fast, in
    C), each confirmed by the narrow pattern that the rules themselves need: the analysis matches
    paths, event types and keys case-sensitively, so `Student` in a label or `student` in prose
    or in `studentized` cannot give a finding and does not select a file."""

    def __init__(self, extra_hosts: Tuple[str, ...] = ()) -> None:
        from linter import catalog

        hosts = sorted({h.lower().encode() for h in extra_hosts if h})
        self.urlish = [b"clever.com"] + hosts
        self.sdk = re.compile(rb"(?m)^[ \t]*(?:import|from)[ \t]+clever\b")
        vocabulary = catalog.events()
        roles = set(catalog.ROLE_WORDS) | set(catalog.ROLE_LABELS) | set(vocabulary.resources)
        role = b"|".join(re.escape(w.encode()) for w in sorted(roles, key=len, reverse=True))
        classes = b"|".join(re.escape(c.encode()) for c in sorted(vocabulary.sdk_classes, key=len, reverse=True))
        sdk_event = re.compile(rb"(?:" + classes + rb")\b")
        # a role as a path segment, a string, a query value or an event type's resource:
        # "/students", "teacher", "students.created", role=staff
        self.roles = re.compile(rb"[/\"'=](?:" + role + rb")(?![A-Za-z0-9_])")
        # (cheap substring, confirming pattern or None): any confirmed pair makes a file level 1
        self.checks = [
            (b"record_type", None),
            (b"Created", sdk_event),  # the v2 SDK's event classes (StudentsCreated, ...)
            (b"Updated", sdk_event),
            (b"Deleted", sdk_event),
            (b"v1.", re.compile(rb"[/\"']v1\.\d")),  # a v1 or v2 version pin or path
            (b"v2.", re.compile(rb"[/\"']v2\.\d")),
            (b"/me", re.compile(rb"/me(?:[\"'?#]|$)", re.MULTILINE)),  # the /me path, ending a URL
            (b"roles", re.compile(rb"(?<![A-Za-z0-9])roles\b")),  # a user's roles (one role assumed)
            (b"Api.", re.compile(rb"clever(?:\.apis[\w.]*)?\.(?:DataApi|EventsApi)\.")),  # mock.patch targets
        ]

    def search(self, data: bytes) -> bool:
        return self.level(data) > 0

    def text(self, data: bytes) -> bool:
        """Whether a text (configuration) file can hold a finding: the scanner
        (linter.textscan) reports URLs on a Clever or configured host only."""
        low = data.lower()
        return any(word in low for word in self.urlish)

    def level(self, data: bytes) -> int:
        """2: what makes a Clever URL or client (a Clever host, a configured host, an import of
        the clever SDK); 1: what a rule reports on by itself or once the file meets Clever values
        (a role in a string or path, record_type, an SDK event class, a v1/v2 version, /me,
        roles, an SDK mock target); 0: none."""
        low = data.lower()
        if any(word in low for word in self.urlish) or (b"clever" in low and self.sdk.search(data)):
            return 2
        if self.roles.search(data) is not None:
            return 1
        for word, pattern in self.checks:
            if word in data and (pattern is None or pattern.search(data) is not None):
                return 1
        return 0


@functools.lru_cache(maxsize=8)
def trigger(extra_hosts: Tuple[str, ...] = ()) -> Trigger:
    return Trigger(extra_hosts)


def module_names(path: Path) -> Set[str]:
    """The dotted names an import of this file could use: `mod`, `pkg.mod`, `a.pkg.mod`, ...
    (for a package's __init__.py, the package's)."""
    parts = list(path.parts[1:-1]) + ([] if path.stem == "__init__" else [path.stem])
    return {".".join(parts[i:]) for i in range(len(parts)) if all(p.isidentifier() for p in parts[i:])}


def imported_names(data: bytes, path: Path) -> Set[str]:
    """The dotted module names this file's import statements name: `import a.b` gives a.b;
    `from a.b import c, d` gives a.b, a.b.c, a.b.d; relative imports are made absolute from
    the file's own directory (as far as its path goes)."""
    out: Set[str] = set()
    for match in _IMPORT.finditer(data):
        text = match.group(0).decode("utf-8", "replace")
        text = text.split("#", 1)[0] if "(" not in text else re.sub(r"#[^\n]*", "", text)
        words = text.replace("(", " ").replace(")", " ").replace(",", " ").replace("\\", " ").split()
        if not words:
            continue
        if words[0] == "import":
            names = [w for i, w in enumerate(words[1:], 1) if words[i - 1] != "as" and w != "as"]
            out.update(names)
            continue
        if words[0] != "from" or len(words) < 4:
            continue
        module = words[1]
        level = len(module) - len(module.lstrip("."))
        if level:
            base = list(path.parts[1:-1])
            base = base[: len(base) - (level - 1)] if level > 1 else base
            module = ".".join(base + ([module.lstrip(".")] if module.lstrip(".") else []))
        names = [w for i, w in enumerate(words[3:], 3) if words[i - 1] != "as" and w != "as"]
        if module:
            out.add(module)
            out.update(f"{module}.{name}" for name in names)
        if module == "django.conf" and "settings" in names:
            out.add("settings")  # the project's settings module (linter.project.django_settings)
    return out


def def_names(data: bytes) -> List[bytes]:
    return _DEF.findall(data)


def count_definitions(counts: Counter, found: List[bytes]) -> None:
    """Add the function names of one file (from def_names) to `counts`."""
    counts.update(name.decode() for name in found)


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
    unlinked: List[Path] = []  # not (yet) a source of links: weak or no Clever words
    names: Set[str] = set()  # dotted module names of the link sources
    defined: Set[bytes] = set()  # functions defined in the link sources

    def add_source(path: Path, found: List[bytes]) -> None:
        names.update(module_names(path))
        defined.update(found)

    for path in paths:
        data = read(path)
        if data is None:
            selection.chosen.add(path)
            continue
        found = def_names(data)
        count_definitions(selection.name_counts, found)
        level = pattern.level(data)
        if level == 2:
            selection.chosen.add(path)
            add_source(path, found)
            continue
        if level == 1 or (path in always and not _compiles(data, path)):
            selection.chosen.add(path)  # parsed; a source of links only once linked itself
        unlinked.append(path)
    while unlinked:
        followed = {n for n in defined if selection.name_counts.get(n.decode(), 0) <= MAX_CALLEES}
        # the flow follows a call into another module by its name only as a method call
        calls = re.compile(rb"\.(?:" + b"|".join(re.escape(n) for n in sorted(followed)) + rb")\s*\(") if followed else None
        added: List[Tuple[Path, bytes]] = []
        remaining: List[Path] = []
        for path in unlinked:
            data = read(path) or b""
            linked = calls is not None and calls.search(data) is not None
            if not linked and b"import" in data:
                linked = not names.isdisjoint(imported_names(data, path))
            if linked:
                added.append((path, data))
            else:
                remaining.append(path)
        if not added:
            break
        for path, data in added:  # sources only after the pass: one pass, one set of names
            add_source(path, def_names(data))
            if path not in selection.chosen:
                selection.chosen.add(path)
                selection.linked.add(path)
        unlinked = remaining
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
