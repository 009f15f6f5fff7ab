"""Which top-level statements of the files to parse need LibCST's parse at all.

The prefilter (linter.source.prefilter) picks whole files; a picked file is most often one
Clever function among many ordinary ones (models, views, helpers), and building LibCST's tree of
those costs most of the run. Here each top-level `def` or `class` of the picked files that can
neither hold a finding nor change one is left out of the parse: its lines are blanked (every
character but the line ends becomes a space), so the kept statements keep their lines, columns
and byte offsets, and what LibCST parses is the module without it.

A statement S is left out (blanked) only when all of these hold:
- its text holds no Clever word at all (Trigger.level is NONE), is ASCII, and it is not the
  module's first statement (a docstring's place);
- it binds no module name from inside (`global`, `nonlocal`, `:=`), and every key it stores
  with `x["key"] = ...` is a word;
- it is not connected to a kept statement of any file to parse. Two statements are connected
  when one exposes a name (see `_exposed`: the names it binds outside function bodies, the
  functions and classes it defines at any depth, the attributes and dict keys it stores) that
  is a word of the other's text (a superset of the names it reads, comments and strings
  included). Kept are the statements that are not candidates, every statement connected to a
  kept one (repeatedly), and those connected to a word of the catalog (names the analysis
  looks up by themselves, such as the SDK's classes).

Every lookup of the analysis that crosses statements goes by a name written in the code that
looks: a name resolved in its module or imported from another, a method followed by its name
(linter.evaluate.flow), a class's attributes, a dict's keys, a base class. So the kept
statements never look up what a blanked one binds, and a blanked one reads nothing a kept one
binds: the findings are those of the whole module. Modules the resolver reads beyond the files
to parse (on demand, whole) may still import a blanked name: linter.syntax.project raises
Unmasked then, and the run starts again without blanking (see linter.analysis.run).

The blanking is part of the prefilter: a run without it (`--no-prefilter`, the test suite's
twin runs) parses every statement."""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from linter.source.files import python_syntax
from linter.source.prefilter import NONE, Trigger

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_LINE_END = re.compile(rb"\r\n?|\n")  # the line ends Python's parser counts (and LibCST's)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_BLANK = bytes(b if b in b"\r\n" else 32 for b in range(256))  # bytes.translate: all but line ends -> space
MIN_LINES = 8  # a shorter statement is parsed: blanking it saves less than it costs to decide


@dataclass
class Candidate:
    """A top-level statement that may be blanked: its byte range (whole lines, line end of
    the last one excluded), the words of its text and the names it exposes."""

    start: int
    end: int
    words: FrozenSet[bytes]
    exposed: FrozenSet[bytes]


@dataclass
class Shape:
    """What the decision reads of one file: the words and exposed names of the statements
    kept whatever happens, the dict keys they store that are not words (compared with a
    candidate's text), and the candidates."""

    words: Set[bytes] = field(default_factory=set)
    exposed: Set[bytes] = field(default_factory=set)
    keys: Set[bytes] = field(default_factory=set)
    candidates: List[Candidate] = field(default_factory=list)
    statements: int = 0  # Python's count of the file's top-level statements


def shape(data: bytes, trigger: Trigger) -> Optional[Shape]:
    """The Shape of a file's bytes; None when nothing in it may be blanked (Python does not
    parse it, or it has no candidate)."""
    if b"def" not in data and b"class" not in data:
        return None
    tree = python_syntax(data)
    if tree is None or len(tree.body) < 2:
        return None
    starts = [0] + [match.end() for match in _LINE_END.finditer(data)]
    out = Shape(statements=len(tree.body))
    kept: List[Tuple[int, int]] = []  # byte ranges of the kept statements, merged below
    for index, statement in enumerate(tree.body):
        first = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", ())])
        last = statement.end_lineno or statement.lineno
        start = starts[first - 1]
        end = starts[last] if last < len(starts) else len(data)
        candidate = None
        if index > 0 and isinstance(statement, _DEFINITIONS) and last - first + 1 >= MIN_LINES:
            candidate = _candidate(statement, data, start, end, trigger)
        if candidate is None:
            exposed = _exposed(statement)
            out.exposed |= exposed[0]
            out.keys |= exposed[1]
            kept.append((start, end))
        else:
            out.candidates.append(candidate)
    if not out.candidates:
        return None
    for start, end in kept:
        out.words.update(_WORD.findall(data, start, end))
    return out


def _candidate(statement: ast.stmt, data: bytes, start: int, end: int, trigger: Trigger) -> Optional[Candidate]:
    # the range ends at the start of the next line: the last line's end is not blanked
    while end > start and data[end - 1 : end] in (b"\n", b"\r"):
        end -= 1
    text = data[start:end]
    if not text.isascii() or trigger.level(text) is not NONE:
        return None
    exposed = _exposed(statement, candidate=True)
    if exposed is None or exposed[1]:
        return None
    return Candidate(start, end, frozenset(_WORD.findall(text)), frozenset(exposed[0]))


def _exposed(statement: ast.stmt, candidate: bool = False):
    """(the names `statement` exposes, the dict keys it stores that are not words): the names
    it binds outside function bodies (a module's or a class's), the functions and classes it
    defines at any depth, the attributes (`x.name = ...`) and dict keys (`x["name"] = ...`) it
    stores anywhere, and the names of `global`/`nonlocal`. For a `candidate`, None where it
    binds a module name from inside (`global`, `nonlocal`, `:=`)."""
    names: Set[bytes] = set()
    keys: Set[bytes] = set()
    pending: List[Tuple[ast.AST, bool]] = [(statement, False)]
    while pending:
        node, inside = pending.pop()
        kind = type(node)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            names.add(node.name.encode())
            body_inside = inside or kind is not ast.ClassDef
            for child in node.body:
                pending.append((child, body_inside))
            for name, value in ast.iter_fields(node):
                if name == "body":
                    continue
                # decorators, bases, defaults and annotations run where the statement is
                for child in value if isinstance(value, list) else (value,):
                    if isinstance(child, ast.AST):
                        pending.append((child, inside))
            continue
        if kind is ast.Lambda:
            pending.append((node.body, True))
            pending.append((node.args, inside))
            continue
        if kind is ast.Name:
            if not inside and not isinstance(node.ctx, ast.Load):
                names.add(node.id.encode())
        elif kind is ast.Attribute:
            if not isinstance(node.ctx, ast.Load):
                names.add(node.attr.encode())
        elif kind is ast.Subscript:
            if not isinstance(node.ctx, ast.Load):
                key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, (str, bytes)):
                    value = key.value.encode() if isinstance(key.value, str) else key.value
                    (names if _WORD.fullmatch(value) else keys).add(value)
        elif kind in (ast.Global, ast.Nonlocal, ast.NamedExpr):
            if candidate:
                return None
            if kind is ast.NamedExpr:
                names.add(node.target.id.encode())
            else:
                names.update(name.encode() for name in node.names)
        elif kind in (ast.Import, ast.ImportFrom):
            if not inside:
                for alias in node.names:
                    names.add((alias.asname or alias.name.split(".")[0]).encode())
        elif kind is ast.ExceptHandler or kind is ast.MatchAs or kind is ast.MatchStar:
            if not inside and node.name:
                names.add(node.name.encode())
        elif kind is ast.MatchMapping:
            if not inside and node.rest:
                names.add(node.rest.encode())
        pending.extend((child, inside) for child in ast.iter_child_nodes(node))
    return names, keys


def words_of(data: bytes) -> FrozenSet[bytes]:
    return frozenset(_WORD.findall(data))


@functools.lru_cache(maxsize=1)
def catalog_words() -> FrozenSet[bytes]:
    """The words of the catalog's SDK entries (keys and values): the names the analysis looks
    up by themselves (the SDK's classes in a package called `clever`, linter.evaluate.sdk)
    count as read by a kept statement. The other catalog files hold paths, fields and event
    types, which are looked up in strings, never as names."""
    from linter import catalog

    words: Set[bytes] = set()
    pending: list = [catalog.sdk()]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, (list, tuple)):
            pending.extend(value)
        elif isinstance(value, str):
            words.update(_WORD.findall(value.encode()))
    return frozenset(words)


def blanked(
    shapes: Dict[object, Shape], data: Dict[object, bytes], fixed_words: FrozenSet[bytes]
) -> Dict[object, "Masked"]:
    """The files whose Shape leaves statements out (the others are parsed as they are), with
    the candidates connected to no kept statement of any file. `data`: each file's bytes;
    `fixed_words`: names the analysis looks up by themselves."""
    words: Set[bytes] = set(fixed_words)
    exposed: Set[bytes] = set()
    keys: Set[bytes] = set()
    for found in shapes.values():
        words |= found.words
        exposed |= found.exposed
        keys |= found.keys
    everything = [(key, candidate) for key, found in shapes.items() for candidate in found.candidates]
    by_exposed: Dict[bytes, List[int]] = {}
    by_word: Dict[bytes, List[int]] = {}
    for number, (_, candidate) in enumerate(everything):
        for name in candidate.exposed:
            by_exposed.setdefault(name, []).append(number)
        for word in candidate.words:
            by_word.setdefault(word, []).append(number)
    kept = [False] * len(everything)
    queue: List[int] = []

    def keep(number: int) -> None:
        if not kept[number]:
            kept[number] = True
            queue.append(number)

    for number, (key, candidate) in enumerate(everything):
        text = data[key][candidate.start : candidate.end]
        if candidate.exposed & words or candidate.words & exposed or any(k in text for k in keys):
            keep(number)
    while queue:
        candidate = everything[queue.pop()][1]
        for word in candidate.words - words:
            words.add(word)
            for number in by_exposed.get(word, ()):
                keep(number)
        for name in candidate.exposed - exposed:
            exposed.add(name)
            for number in by_word.get(name, ()):
                keep(number)
    out: Dict[object, Masked] = {}
    for number, (key, candidate) in enumerate(everything):
        if kept[number]:
            continue
        found = out.get(key)
        if found is None:
            found = out[key] = Masked(data[key], set(shapes[key].words), set(), shapes[key].statements)
        found.hide(candidate)
    for number, (key, candidate) in enumerate(everything):
        if kept[number] and key in out:
            out[key].words |= candidate.words
    return out


class Masked:
    """A file's text with its blanked statements, the names those expose (`hidden`) and the
    words of its kept statements (what its own code may look up elsewhere)."""

    def __init__(self, source: bytes, words: Set[bytes], hidden: Set[bytes], statements: int) -> None:
        self.source = source
        self.words = words
        self.hidden = hidden
        self.statements = statements  # Python's count of the file's top-level statements
        self.left_out = 0
        self._spans: List[Tuple[int, int]] = []

    def hide(self, candidate: Candidate) -> None:
        self._spans.append((candidate.start, candidate.end))
        self.hidden |= candidate.exposed
        self.left_out += 1

    def text(self) -> Optional[bytes]:
        """The text to parse; None when Python does not read it as the file without the
        blanked statements (then the whole file is parsed)."""
        pieces = []
        at = 0
        for start, end in sorted(self._spans):
            pieces.append(self.source[at:start])
            pieces.append(self.source[start:end].translate(_BLANK))
            at = end
        pieces.append(self.source[at:])
        text = b"".join(pieces)
        tree = python_syntax(text)
        if tree is None or len(tree.body) != self.statements - self.left_out or len(text) != len(self.source):
            return None
        return text
