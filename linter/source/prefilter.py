"""Which Python files get a LibCST parse: a byte-level test, then the files linked to them.

Most files of a codebase never mention Clever; parsing them is most of the cost of a run. Each
file's bytes get a level (Trigger.level), from the catalog's words in the forms the rules read
(case-sensitive, in their string or path form):
- SOURCE: it makes a Clever URL or client (a Clever or configured host, an import of the SDK);
- NAMED: it names Clever and holds no role word (a loader of "clever.json", a CleverSettings):
  the evidence of the role words in the files that import from it, so a link source like SOURCE;
- ALONE: it holds a form a rule reports on by itself: an event type (`"students.created"`,
  `startswith("teachers")`), `record_type` as a key, keyword or query parameter, an SDK event
  class, a v1/v2 version, a `/me` path, `roles`, an SDK mock target;
- IN_CONTEXT: its only Clever words are role words in strings: a role path segment
  (`"/students"`, which every route of an ed-tech product holds) or a bare role word
  (`"teacher"`, `'contacts'`), with no word that names Clever (one makes it ALONE: that is
  the evidence linter.analysis.evidence reads);
- NONE.
A file is parsed when
1. it is SOURCE or ALONE; or IN_CONTEXT and every confidence is wanted: a role word can give
   a finding above low only where it meets a Clever base (a module that uses one, a helper
   that joins one), and that base reaches the file only through the links of (2) and (3)
   (a file named on the command line that imports a module of its project is parsed too,
   see select); or
2. one of its import statements names a link source, or it calls, as a method (`x.name(...)`,
   the only call into another module the data-flow reading follows), a function defined in a
   link source whose name is defined in at most MAX_CALLEES places of the whole run; or
3. it is IN_CONTEXT and a parsed file imports it (a module of path constants).
Link sources are the SOURCE and ALONE files and, repeatedly, the files linked to them: a file
without Clever words holds no Clever value to hand on unless it is linked itself. Constants
are not affected: the modules a parsed file imports are parsed on demand by the resolver.

Every check the test suite runs is repeated without the filter and must show the same findings
(tests/conftest.py); tests/test_prefilter.py compares every finding, at every confidence, on
the examples, the test suite, the tool, a synthetic monorepo and files linked only by imports
and calls. A file found in a directory and not parsed cannot be reported as unparsable
(CLV001): a syntax error in a file that never touches Clever is not ours to report; a file
named on the command line is still syntax-checked (see select).

`name_counts`: how many times each function name is defined in the whole run, counted from the
text of every file (when anything is parsed), so that the flow's "defined in too many places"
cut is the same whether or not the filter is on."""

from __future__ import annotations

import enum
import functools
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

MAX_CALLEES = 4  # linter.evaluate.flow follows a method name defined in at most this many places


# Clever named in code, not the English word in prose ("a clever trick"): an identifier part
# (clever_id, CleverClient, self._clever), an attribute or call, a string or path ("clever.json")
_NAMES_CLEVER = re.compile(rb"[Cc]lever(?:_|\.[A-Za-z]|[(\[\"'A-Z])|[_.\"'/][Cc]lever")


def _names_clever(data: bytes) -> bool:
    """Whether the code (not a comment) names Clever: a NAMED file is a link source, and one
    found in a comment ('inspect does "clever" things') would have a whole import graph parsed."""
    for found in _NAMES_CLEVER.finditer(data):
        line_start = data.rfind(b"\n", 0, found.start()) + 1
        if b"#" not in data[line_start : found.start()]:
            return True
    return False


class Level(enum.IntEnum):
    """Trigger.level: what a file's bytes allow (ordered: a higher level allows more)."""

    NONE = 0
    IN_CONTEXT = 1  # a role word in a string: a finding above low confidence needs Clever context
    ALONE = 2  # a form a rule reports on by itself (a role path segment, an event type, a version...)
    NAMED = 3  # names Clever (a loader of "clever.json", CleverSettings): evidence for what imports it
    SOURCE = 4  # makes a Clever URL or client: a Clever or configured host, an import of the SDK


NONE, IN_CONTEXT, ALONE, NAMED, SOURCE = Level.NONE, Level.IN_CONTEXT, Level.ALONE, Level.NAMED, Level.SOURCE

_DEF = re.compile(rb"def[ \t]+(\w+)")  # a literal first: the regex engine skips to each "def"
_RELATIVE = re.compile(rb"from[ \t]+\.")
_METHOD_CALL = re.compile(rb"\.(\w+)\s*\(")  # x.name(: a call the flow may follow by its name
# an import statement, matched from the start of a line that holds the word `import` (a
# pattern that starts at every line start would be tried at every byte of the file)
_IMPORT = re.compile(rb"[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(?:\([^)]*\)|[^\n]*)")


class Trigger:
    """The test of (1), built from the catalog. Plain substring searches of the bytes (fast, in
    C), each confirmed by the narrow pattern that the rules themselves need: the analysis matches
    paths, event types and keys case-sensitively, so `Student` in a label or `student` in prose
    or in `studentized` cannot give a finding and does not select a file."""

    def __init__(self, extra_hosts: Tuple[str, ...] = ()) -> None:
        from linter import catalog

        hosts = sorted({h.lower().encode() for h in extra_hosts if h})
        self.hosts = hosts
        self.urlish = [b"clever.com"] + hosts
        # the SDK, or a copy of it vendored as a package `clever` anywhere (app.vendor.clever)
        self.sdk = re.compile(
            rb"(?m)^[ \t]*(?:(?:import|from)[ \t]+(?:[\w.]*\.)?clever\b"
            rb"|from[ \t]+[\w.]+[ \t]+import[ \t]+\(?[ \t]*clever\b)"
        )
        vocabulary = catalog.events()
        spelled = catalog.roles()
        roles = set(spelled.path_words) | set(spelled.labels) | set(spelled.me_types) | set(vocabulary.resources)
        role = b"|".join(re.escape(w.encode()) for w in sorted(roles, key=len, reverse=True))
        classes = b"|".join(re.escape(c.encode()) for c in sorted(vocabulary.sdk_classes, key=len, reverse=True))
        self.sdk_event = re.compile(rb"(?:" + classes + rb")\b")  # the v2 SDK's StudentsCreated, ...
        # a role in a path segment or an event type: reported by itself ("/students",
        # "students.created"); a role in any string or query value ("teacher", role=staff):
        # compared with a /me type or a record's role, joined into a path (low confidence
        # unless the path meets a Clever base), or given to startswith() (an event type prefix)
        actions = b"|".join(re.escape(a.encode()) for a in vocabulary.actions)
        # an event type is reported by itself; a role path segment (`"/students"`, every app
        # route of an ed-tech product) only where it meets Clever, like a bare role word
        self.roles = re.compile(rb"[\"'](?:" + role + rb")\.(?:" + actions + rb")\b")
        # startswith("students") or startswith(("x", "teachers.")): an event type prefix
        self.prefix = re.compile(rb"\.startswith\(\s*\(?[^)]*?[\"'](?:" + role + rb")\.?[\"']")
        # plain substring tests before the patterns (a scan of a whole file by a pattern that
        # starts with a choice is many times slower than finding a word)
        self.role_words = sorted((w.encode() for w in roles), key=len, reverse=True)
        self.event_heads = [w + b"." for w in self.role_words]  # students.created
        self.sdk_classes = [c.encode() for c in vocabulary.sdk_classes]
        # every word above, lowercased, holds one of these (the words that hold no other):
        # a file without any of them in its lowercased bytes has no role word, event type or
        # SDK event class, which spares a search for each of the 47 words in most files
        self.stems = _stems([w.lower() for w in self.role_words + self.sdk_classes])
        self.mock_target = re.compile(
            rb"clever(?:\.apis[\w.]*)?\.(?:DataApi|EventsApi)\."
        )  # mock.patch("clever.DataApi.x")
        # (cheap substring, confirming pattern): a confirmed pair makes a file ALONE
        self.checks = [
            # record_type as a key, a keyword argument or in a query string (not record_typevar)
            (b"record_type", re.compile(rb"(?<![\w.])record_type\s*=(?!=)|[\"'?&]record_type\b")),
            # a version Clever served before v3 (linter.catalog.V2_VERSIONS), not v2.17 or v2.0.5
            # starting a string, a path segment or following a placeholder (not TLSv1.2, prose)
            (b"v1.", re.compile(rb"(?:[/\"'}]|%s)v1\.[12](?![\w.])")),
            (b"v2.", re.compile(rb"(?:[/\"'}]|%s)v2\.[01](?![\w.])")),
            (b"/me", re.compile(rb"/me(?:[\"'?#]|$)", re.MULTILINE)),  # the /me path, ending a URL
            # a user's roles read in code (one role assumed): a "roles" key, `.roles)`,
            # `(roles)`, `roles[0]`, `roles.keys(` (not the word in prose or an import)
            (b"roles", re.compile(rb"[\"']roles[\"']|[(.]roles\)|\((?:user_)?roles[),.]|\broles\[|\broles\.keys\(")),
        ]

    def search(self, data: bytes) -> bool:
        return self.level(data) > 0

    def text(self, data: bytes) -> bool:
        """Whether a text (configuration) file can hold a finding: the scanner
        (linter.analysis.textscan) reports URLs on a Clever or configured host only."""
        low = data.lower()
        return any(word in low for word in self.urlish)

    def level(self, data: bytes) -> Level:
        """SOURCE, NAMED, ALONE, IN_CONTEXT or NONE (see the constants above). ALONE: a role path
        segment or event type, record_type, an SDK event class, a v1/v2 version, /me, roles, an
        SDK mock target; IN_CONTEXT: a role word in a string and nothing else."""
        low = data.lower()
        if b"clever" in low:  # clever.com, the SDK's imports and mock targets all spell it
            if b"clever.com" in low or self.sdk.search(data) is not None:
                return SOURCE
            if self.mock_target.search(data) is not None:
                return ALONE
        if self.hosts and any(host in low for host in self.hosts):
            return SOURCE
        for word, pattern in self.checks:
            if word in data and pattern.search(data) is not None:
                return ALONE
        if not any(stem in low for stem in self.stems):
            # a file that names Clever (a loader of "clever.json", a CleverSettings) is evidence
            # for the role words of the files that import from it: parsed, and a link source
            return NAMED if b"clever" in low and _names_clever(data) else NONE
        # an event type ("students.created") or an SDK event class: each pattern is tried
        # around the occurrences of its word only (a window cut through a word can only find
        # more, never less)
        for head in self.event_heads:
            at = data.find(head)
            while at != -1:
                if self.roles.search(data, max(0, at - 2), at + len(head) + 16) is not None:
                    return ALONE
                at = data.find(head, at + 1)
        for name in self.sdk_classes:
            at = data.find(name)
            while at != -1:
                if self.sdk_event.search(data, at, at + len(name) + 1) is not None:
                    return ALONE
                at = data.find(name, at + 1)
        if not self._bare(data):
            return NONE
        if b".startswith(" in data and self.prefix.search(data) is not None:
            return ALONE
        # a role word beside a name or string that says Clever (`"clever.json"`, CleverClient):
        # the evidence that makes it medium (linter.analysis.evidence) is in the file itself
        return ALONE if b"clever" in low and _names_clever(data) else IN_CONTEXT

    def _bare(self, data: bytes) -> bool:
        """A role word that starts a string, a path segment or a query value: `"teacher"`,
        `/students`, `role=staff` (the word ending there, not `"students_count"`)."""
        for word in self.role_words:
            if word not in data:
                continue
            for opener in (b'"', b"'", b"/", b"="):
                needle = opener + word
                at = data.find(needle)
                while at != -1:
                    after = data[at + len(needle) : at + len(needle) + 1]
                    if not (after.isalnum() or after == b"_"):
                        return True
                    at = data.find(needle, at + 1)
        return False


def _stems(words: List[bytes]) -> List[bytes]:
    """The words of `words` that hold no other one of them: each word holds one of these."""
    unique = sorted(set(words), key=len)
    stems: List[bytes] = []
    for word in unique:
        if not any(stem in word for stem in stems):
            stems.append(word)
    return stems


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
    `from a.b import c, d` gives a.b, a.b.c, a.b.d; a relative import gives the last part of
    the module it names, found from the file's own directory (`from .models import Student`
    in app/views.py gives models and models.Student), which is all that module_names' suffixes
    can meet."""
    out: Set[str] = set()
    directory = None  # the parts of the file's directory, for relative imports
    for statement in _import_statements(data):
        found = _statement(statement)
        if found is None:
            continue
        module, level, names = found
        if module is None:  # import a.b, c
            out.update(names)
            continue
        if level:
            # relative: the package is the file's own directory (or above). module_names gives
            # a file every dotted suffix of its path made of identifiers, so the names of the
            # link sources are closed under suffixes, and an import made absolute shares a name
            # with them exactly when its shortest suffix does: its last part (and `last.name`
            # for each imported name). Only those are kept: the longer ones cost a set entry
            # per directory level (an absolute path with `pytest-of-root` in it links as well).
            if directory is None:
                directory = list(path.parts[1:-1])
            base = directory[: len(directory) - (level - 1)] if level > 1 else directory
            parts = base + [part for part in module.lstrip(".").split(".") if part]
            if parts and parts[-1].isidentifier():
                out.add(parts[-1])
                out.update(f"{parts[-1]}.{name}" for name in names)
            continue
        if module:
            out.add(module)
            out.update(f"{module}.{name}" for name in names)
        if module == "django.conf" and "settings" in names:
            out.add("settings")  # the project's settings module (linter.syntax.project.Project.django_settings)
    return out


@functools.lru_cache(maxsize=4096)
def _statement(statement: bytes) -> Optional[Tuple[Optional[str], int, Tuple[str, ...]]]:
    """(module, level, names) of one import statement: `from ..a.b import c as d, e` gives
    ("..a.b", 2, ("c", "e")); `import a.b as x, c` gives (None, 0, ("a.b", "c")); None for
    what is no import. The same statements recur from file to file: each is read once."""
    text = statement.decode("utf-8", "replace")
    text = text.split("#", 1)[0] if "(" not in text else re.sub(r"#[^\n]*", "", text)
    words = text.replace("(", " ").replace(")", " ").replace(",", " ").replace("\\", " ").split()
    if not words:
        return None
    if words[0] == "import":
        return None, 0, tuple(w for i, w in enumerate(words[1:], 1) if words[i - 1] != "as" and w != "as")
    if words[0] != "from" or len(words) < 4:
        return None
    module = words[1]
    names = tuple(w for i, w in enumerate(words[3:], 3) if words[i - 1] != "as" and w != "as")
    return module, len(module) - len(module.lstrip(".")), names


def _import_statements(data: bytes) -> Iterator[bytes]:
    """The import statements of a file, each from the start of its line, in order and never
    overlapping (a parenthesized one may span lines): what `^` + _IMPORT finds in multi-line
    mode, found from the occurrences of the word instead."""
    end = 0  # where the last statement ended
    tried = -1  # the last line start that held no statement
    at = data.find(b"import")
    while at != -1:
        start = data.rfind(b"\n", 0, at) + 1
        if start >= end and start != tried:
            match = _IMPORT.match(data, start)
            if match is None:
                tried = start
            else:
                yield match.group(0)
                end = match.end()
        at = data.find(b"import", max(at + 1, end))


def def_names(data: bytes) -> List[bytes]:
    """The names of the functions a file defines: `def name` (or `async def name`) at the start
    of a line, after indentation."""
    out = []
    for match in _DEF.finditer(data):
        start = match.start()
        before = data[data.rfind(b"\n", 0, start) + 1 : start].strip()
        if not before or before == b"async":
            out.append(match.group(1))
    return out


def count_definitions(counts: Counter, found: List[bytes]) -> None:
    """Add the function names of one file (from def_names) to `counts`."""
    counts.update(name.decode() for name in found)


POOL_MIN_FILES = 500  # fewer files: one process (starting workers costs more than it saves)


def _in_pool(work, paths: Sequence[Path], jobs: int, pattern: Trigger, read) -> Optional[list]:
    """`work((pattern, read), path)` of each path in `jobs` forked processes, in the order of
    `paths`; None when there are too few files for workers to pay, or they cannot be used.
    The workers inherit the Trigger and `read` (which may serve texts held in memory: an
    editor's buffers, the fixed texts of fix --diff) through fork."""
    if jobs <= 1 or len(paths) < POOL_MIN_FILES:
        return None
    from linter.source.workers import fork_each

    return fork_each(work, paths, (pattern, read), jobs, tasks_per_job=4)


def _level(shared: Tuple[Trigger, Callable[[Path], Optional[bytes]]], path: Path) -> Optional[Level]:
    """The level of one file (None: it cannot be read)."""
    pattern, read = shared
    data = read(path)
    return None if data is None else pattern.level(data)


def levels(paths: Sequence[Path], read, pattern: Trigger, jobs: int = 1) -> List[Optional[Level]]:
    """The level of each file (None: it cannot be read), in the order of `paths`. With `jobs`
    above one and enough files, the files are read (through `read`) and tested in that many
    forked processes (the work is reading and byte tests, the answer one number a file);
    elsewhere, and if the workers fail, in this process."""
    found = _in_pool(_level, paths, jobs, pattern, read)
    return found if found is not None else [_level((pattern, read), path) for path in paths]


# what the linking of (2) and (3) reads of a file: the functions it defines (def_names), the
# names it calls as methods, and the module names it imports (imported_names)
Facts = Tuple[List[bytes], Set[bytes], Set[str]]


def facts_of(data: bytes, path: Path) -> Facts:
    return (
        def_names(data),
        set(_METHOD_CALL.findall(data)),
        imported_names(data, path) if b"import" in data else set(),
    )


def _facts(shared: Tuple[Trigger, Callable[[Path], Optional[bytes]]], path: Path) -> Facts:
    """facts_of one file (an unreadable one has none)."""
    return facts_of(shared[1](path) or b"", path)


class Known:
    """What the prefilter read of each file in an earlier run of the same command (fix's
    passes, and its check of the fixed code): levels and facts, kept until `forget` names the
    file (the caller knows which files it changed)."""

    def __init__(self) -> None:
        self.levels: Dict[Path, Optional[Level]] = {}
        self.facts: Dict[Path, Facts] = {}

    def forget(self, paths) -> None:
        for path in paths:
            self.levels.pop(path, None)
            self.facts.pop(path, None)


def _known_levels(paths: Sequence[Path], read, pattern: Trigger, jobs: int, known: Optional[Known]):
    """levels(), reading only the files `known` does not hold."""
    if known is None:
        return levels(paths, read, pattern, jobs)
    missing = [path for path in paths if path not in known.levels]
    known.levels.update(zip(missing, levels(missing, read, pattern, jobs)))
    return [known.levels[path] for path in paths]


class _FileFacts:
    """The facts of the files, read once each: all at once in forked workers when there are
    many files (the linking needs most of them then), else one file at a time when asked."""

    def __init__(self, paths: Sequence[Path], read, jobs: int, pattern: Trigger, known: Optional[Known]) -> None:
        self.read = read
        self.known: Dict[Path, Facts] = known.facts if known is not None else {}
        missing = [path for path in paths if path not in self.known]
        found = _in_pool(_facts, missing, jobs, pattern, read)
        if found is not None:
            self.known.update(zip(missing, found))

    def __call__(self, path: Path) -> Facts:
        try:
            return self.known[path]
        except KeyError:
            self.known[path] = found = facts_of(self.read(path) or b"", path)
            return found


def select(
    paths: Sequence[Path],
    read: Callable[[Path], Optional[bytes]],
    pattern: Trigger,
    always: Set[Path] = frozenset(),
    every_confidence: bool = False,
    jobs: int = 1,
    known: Optional[Known] = None,
) -> "Selection":
    """Run (1) over every file (in `jobs` processes, see levels), count definitions, then close
    over (2). `read` returns a file's bytes (None when it cannot be read: such a file is
    selected, so the checker reports it); `known`: what an earlier run read of the files;
    a file in `always` (named on the command line) without Clever words is compiled by Python
    (an order of magnitude faster than LibCST) and selected only if that fails, so that a
    broken file named on the command line (as pre-commit does) is still reported.

    A file whose only Clever words are role words in strings (IN_CONTEXT) is parsed when it is
    linked (2) or when low-confidence findings are wanted (`every_confidence`, --min-confidence
    low): unlinked, such a file can hold low-confidence findings only (a role joined into a
    path that meets no Clever base), which a run at medium or high confidence hides anyway."""
    selection = Selection()
    unlinked: List[Path] = []  # not (yet) a source of links: weak or no Clever words
    waiting: List[Path] = []  # IN_CONTEXT files
    names: Dict[str, Path] = {}  # dotted module names of the link sources -> the source
    defined: Dict[bytes, Path] = {}  # functions defined in the link sources -> where

    def add_source(path: Path, found: List[bytes]) -> None:
        for name in module_names(path):
            names.setdefault(name, path)
        for name in found:
            defined.setdefault(name, path)

    readable: List[Path] = []
    sources: List[Path] = []
    named: List[Path] = []  # NAMED files: link sources by their module names only
    for path, level in zip(paths, _known_levels(paths, read, pattern, jobs, known)):
        if level is None:
            selection.choose(path, "it cannot be read")
            continue
        readable.append(path)
        if level == SOURCE or level == NAMED:
            reason = "it makes a Clever URL or client" if level == SOURCE else "it names Clever"
            selection.choose(path, reason)
            (sources if level == SOURCE else named).append(path)
            continue
        if level == ALONE:
            # parsed; a source of links only once linked itself
            selection.choose(path, "it holds a Clever form reported by itself")
        elif level == IN_CONTEXT:
            waiting.append(path)
        elif path in always and _named_needs_parse(read(path) or b"", path):
            # named: what it imports may make it Clever code (a base in settings.py)
            selection.choose(path, "named, and it imports a module of its project (or does not compile)")
        unlinked.append(path)
    for path in waiting:
        # role words only: a finding above low needs a Clever base, which reaches the file
        # through the links of (2) and (3); every confidence parses them all
        if every_confidence:
            selection.choose(path, "role words in strings, and every confidence is wanted")
        elif path in always and _named_needs_parse(read(path) or b"", path):
            selection.choose(path, "role words in strings, named, and it imports a module of its project")
    if not selection.chosen:
        return selection
    # the definitions of every file, counted only when something is parsed (a second read of
    # the files, from the page cache by now)
    facts = _FileFacts(readable, read, jobs, pattern, known)
    for path in readable:
        count_definitions(selection.name_counts, facts(path)[0])
    for path in sources:
        add_source(path, facts(path)[0])
    for path in named:
        # a file that only names Clever links the files that import it, not every caller of a
        # method it defines (an editable install's finder defines install() and find_spec())
        add_source(path, [])
    while unlinked and (names or defined):
        followed = {n for n in defined if selection.name_counts.get(n.decode(), 0) <= MAX_CALLEES}
        added: List[Path] = []
        remaining: List[Path] = []
        for path in unlinked:
            _, method_calls, imports = facts(path)
            # the flow follows a call into another module by its name only as a method call
            linked = not followed.isdisjoint(method_calls) or not names.keys().isdisjoint(imports)
            if linked:
                added.append(path)
            else:
                remaining.append(path)
        if not added:
            break
        for path in added:  # sources only after the pass: one pass, one set of names
            if path not in selection.chosen:
                selection.choose(path, *_link(facts(path), names, defined, followed))
                selection.linked.add(path)
        for path in added:
            add_source(path, facts(path)[0])
        unlinked = remaining
    _imported_by_chosen(selection, waiting, facts)
    return selection


def _link(found, names: Dict[str, Path], defined: Dict[bytes, Path], followed: Set[bytes]) -> Tuple[str, Path]:
    """Why a file is linked to a link source (for --verbose), with `{}` for the source's path:
    the first module it imports from one, else the first function of one it calls as a method."""
    _, method_calls, imports = found
    imported = sorted(names.keys() & set(imports))
    if imported:
        return f"it imports {imported[0]} ({{}})", names[imported[0]]
    called = sorted(followed.intersection(method_calls))
    return f"it calls .{called[0].decode()}() of {{}}", defined[called[0]]


def _imported_by_chosen(selection: "Selection", waiting: List[Path], facts: _FileFacts) -> None:
    """IN_CONTEXT files that a parsed file imports (`from paths import TEACHERS`): their role
    paths are constants of a Clever URL built there, reported (and rewritten) where written.
    Repeated while a file added imports another one."""
    pending = [p for p in waiting if p not in selection.chosen]
    imported: Set[str] = set()
    done: Set[Path] = set()
    while pending:
        for path in selection.chosen - done:
            imported.update(facts(path)[2])
        done |= selection.chosen
        added = [p for p in pending if not module_names(p).isdisjoint(imported)]
        if not added:
            return
        for path in added:
            selection.choose(path, "role words in strings, and a parsed file imports it")
            selection.linked.add(path)
        pending = [p for p in pending if p not in selection.chosen]


def _named_needs_parse(data: bytes, path: Path) -> bool:
    """A file named on the command line without Clever words of its own is parsed when it
    imports a module of its project, or does not compile (so that its error is reported)."""
    from linter.source.files import python_syntax

    return _imports_local(data, path) or python_syntax(data, str(path)) is None


def _imports_local(data: bytes, path: Path) -> bool:
    """A file named on the command line that imports a module of its own project (a relative
    import, or a name found beside it or in the working directory): the constants it imports
    can make it Clever code, so it is parsed even without a Clever word of its own."""
    if b"import" not in data:
        return False
    if _RELATIVE.search(data):
        return True
    bases = {path.parent, Path.cwd()}
    for name in imported_names(data, path):
        first = name.split(".", 1)[0]
        if any((base / first).is_dir() or (base / f"{first}.py").is_file() for base in bases):
            return True
    return False


class Selection:
    def __init__(self) -> None:
        self.chosen: Set[Path] = set()
        self.linked: Set[Path] = set()  # chosen by (2)
        self.name_counts: Counter = Counter()
        # a chosen file -> the first reason it was chosen (for --verbose), with `{}` for the
        # path of the link source that reason names, if any
        self.why: Dict[Path, Tuple[str, Optional[Path]]] = {}

    def choose(self, path: Path, why: str, source: Optional[Path] = None) -> None:
        self.chosen.add(path)
        self.why.setdefault(path, (why, source))

    def __contains__(self, path: Path) -> bool:
        return path in self.chosen
