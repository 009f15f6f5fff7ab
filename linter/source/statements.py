"""Which top-level statements of the files to parse need LibCST's parse at all.

The prefilter (linter.source.prefilter) picks whole files; a picked file is most often one
Clever function among many ordinary ones (models, views, helpers), and building LibCST's tree of
those costs most of the run. Here each top-level `def` or `class` of the picked files that can
neither hold a finding nor change one is left out of the parse: its lines are blanked (every
character but the line ends becomes a space), so the kept statements keep their lines, columns
and byte offsets, and what LibCST parses is the module without it.

A statement may be blanked (Statement.blankable) when it is a `def` or `class` of at least
MIN_LINES lines, not the module's first statement (a docstring's place) nor its last (LibCST
drops some blank lines at the end of a module, and the text must come back), binds no name from
inside (`global`, `nonlocal`, `:=`) and is not a seed. Seeds are the statements that may hold a
Clever value or a finding by themselves:
- a Clever word (Trigger.level is not NONE) or a v2 SDK method name (reported by its name
  alone in a module that uses the SDK, `sdk_method_words`);
- `//` (a URL's host: a module that talks to another host is judged differently, see
  linter.analysis.modules) or `v3` (a v3 path is a run-wide origin of user records);
- an import of a project module that the run did not find (a run over some files: the
  resolver reads it on demand, and it may hold a Clever base; `outside`);
- text the word test cannot read: not ASCII, or a stored dict key that is not a word.

Then (see `blanked`) a statement is reached by a name it exposes (`_exposed`: the names it
binds at module level, the dict keys it stores, its own name), met in another's text, or by a
function or method defined inside it, met in another's calls (those the analysis finds by
their name: followed by the flow while defined in at most MAX_CALLEES places, or with a
parameter, which makes a helper that joins paths, matched by its name alone). What a relevant
statement reaches is relevant; carriers are the seeds, what a carrier reaches by a call or by
its own name (it may be handed a Clever value), and what reads a carrier's names or calls its
methods (a value returned, a path joined). The statements that may not be blanked are
relevant, carriers are; the rest is blanked.

A word is any ASCII name in the text, comments and strings included: a superset of the names
the statement reads. Every lookup of the analysis that crosses statements goes by a name
written in the code that looks: a name resolved in its module or imported from another, a
method followed or a helper matched by its name (linter.evaluate.flow, linter.analysis.modules),
a class's attributes through the class (`self.x = ...` is the only attribute store
linter.syntax.collect keeps), a dict's keys, a base class; the few names it looks up by
themselves (the SDK's classes) count as read (`catalog_words`). So the parsed statements never
look up what a blanked one binds, and no Clever value reaches a blanked one: the findings are
those of the whole module. Modules the resolver reads beyond the files to parse (on demand,
whole) may still import a blanked name: linter.syntax.project raises Unmasked then, and the run
starts again without blanking (see linter.analysis.run).

The blanking is part of the prefilter: a run without it (`--no-prefilter`, the test suite's
twin runs) parses every statement."""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from linter.source.files import python_syntax
from linter.source.prefilter import NONE, Trigger

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_LINE_END = re.compile(rb"\r\n?|\n")  # the line ends Python's parser counts (and LibCST's)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# a case of a match statement (Python 3.10+; on 3.9 no node has this type)
_MATCH_CASE = getattr(ast, "match_case", None)
_BLANK = bytes(b if b in b"\r\n" else 32 for b in range(256))  # bytes.translate: all but line ends -> space
MIN_LINES = 8  # a shorter statement is parsed: blanking it saves less than it costs to decide
_CALL = re.compile(rb"(\w+)\s*\(")  # a call of a name, as a method or not
_WALRUS = re.compile(rb"(\w+)\s*:=")


@dataclass
class Statement:
    """A top-level statement: its byte range (whole lines; a blanked one without its last line
    end), the words of its text, the names it exposes (`exposed`; `defined`: those it defines,
    which callers hand values to; `nested`: functions and methods defined inside it), whether
    it is a seed (a Clever word, or text the word test cannot read) and whether it may be
    blanked."""

    start: int
    end: int
    words: FrozenSet[bytes]
    exposed: FrozenSet[bytes]
    defined: FrozenSet[bytes]
    nested: FrozenSet[bytes]
    seed: bool
    blankable: bool
    calls: FrozenSet[bytes] = frozenset()  # the names its text calls (`x.name(`, `name(`)
    joining: FrozenSet[bytes] = frozenset()  # the nested functions with a parameter (see _exposed)
    # its imports, anywhere in it: (module, leading dots, imported names); see outside()
    imports: Tuple[Tuple[str, int, Tuple[str, ...]], ...] = ()


@dataclass
class Shape:
    """What the decision reads of one file: its top-level statements, in order."""

    statements: List[Statement] = field(default_factory=list)

    @property
    def blankable(self) -> bool:
        return any(statement.blankable for statement in self.statements)


def shape(data: bytes, trigger: Trigger) -> Optional[Shape]:
    """The Shape of a file's bytes; None when Python does not parse it (then it is parsed
    whole, and its words count as read by a seed)."""
    tree = python_syntax(data)
    if tree is None:
        return None
    starts = [0] + [match.end() for match in _LINE_END.finditer(data)]
    out = Shape()
    for index, statement in enumerate(tree.body):
        first = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", ())])
        last = statement.end_lineno or statement.lineno
        start = starts[first - 1]
        end = starts[last] if last < len(starts) else len(data)
        while end > start and data[end - 1 : end] in (b"\n", b"\r"):
            end -= 1  # the last line's end is not blanked
        text = data[start:end]
        words = words_of(text)
        names, defined, nested, joining, keys, binds_inside, imports = _exposed(statement, text)
        seed = bool(keys) or not text.isascii() or not words.isdisjoint(sdk_method_words())
        seed = seed or b"//" in text or b"v3" in text or trigger.level(text) is not NONE
        blankable = (
            not seed
            and not binds_inside
            and 0 < index < len(tree.body) - 1
            and isinstance(statement, _DEFINITIONS)
            and last - first + 1 >= MIN_LINES
        )
        calls = frozenset(_CALL.findall(text))
        found = Statement(start, end, words, names, defined, nested, seed, blankable, calls, joining, tuple(imports))
        out.statements.append(found)
    return out


def _exposed(statement: ast.stmt, text: bytes):
    """What `statement` exposes: (the names it binds at module level, the word dict keys it
    stores anywhere (`x["name"] = ...`, which linter.evaluate.flow looks up by the key), and the
    names of `global`, `nonlocal` and `:=`; its own name if it is a definition; the functions
    and methods defined inside it; those of them with a parameter besides `self`; the dict
    keys it stores that are not words; whether it binds a name from inside a function or class
    (`global`, `nonlocal`, `:=`); its imports). A class's attributes and methods, `self.x = ...`
    included (linter.syntax.collect keeps no other attribute store), are reached through the
    class, whose name is exposed; a method is also followed by its name (linter.evaluate.flow),
    hence `nested`.

    Only statements are visited (a tenth of the nodes): a name is bound, a key stored and a
    function defined by a statement; `:=`, the one binding inside an expression, is found in
    the text (every name before one counts)."""
    names: Set[bytes] = set()
    nested: Set[bytes] = set()
    joining: Set[bytes] = set()
    keys: Set[bytes] = set()
    imports: List[Tuple[str, int, Tuple[str, ...]]] = []
    binds_inside = b":=" in text
    if binds_inside:
        names.update(_WALRUS.findall(text))
    defined: FrozenSet[bytes] = frozenset()
    if isinstance(statement, _DEFINITIONS):
        defined = frozenset((statement.name.encode(),))

    def target(node: ast.AST, inside: bool) -> None:
        kind = type(node)
        if kind is ast.Name:
            if not inside:
                names.add(node.id.encode())
        elif kind is ast.Subscript:
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, (str, bytes)):
                value = key.value.encode() if isinstance(key.value, str) else key.value
                (names if _WORD.fullmatch(value) else keys).add(value)
        elif kind is ast.Tuple or kind is ast.List:
            for element in node.elts:
                target(element, inside)
        elif kind is ast.Starred:
            target(node.value, inside)

    def pattern(node: ast.AST) -> None:  # the names a match-case pattern binds
        for inner in ast.walk(node):
            name = getattr(inner, "name", None) if type(inner) in (ast.MatchAs, ast.MatchStar) else None
            if type(inner) is ast.MatchMapping:
                name = inner.rest
            if name:
                names.add(name.encode())

    pending: List[Tuple[ast.AST, bool, bool]] = [(statement, False, False)]  # (node, inside, in a class body)
    while pending:
        node, inside, in_class = pending.pop()
        kind = type(node)
        if kind in _DEFINITIONS:
            if not inside:
                names.add(node.name.encode())
            if node is not statement and kind is not ast.ClassDef:  # a class: through the scope around it
                nested.add(node.name.encode())
                arguments = node.args
                count = len(arguments.posonlyargs) + len(arguments.args) + len(arguments.kwonlyargs)
                count += (arguments.vararg is not None) + (arguments.kwarg is not None)
                if count > (1 if in_class else 0):  # a parameter besides self
                    joining.add(node.name.encode())
            for child in node.body:
                pending.append((child, True, kind is ast.ClassDef))
            if not inside:  # decorators, defaults and bases run at module level
                outer = node.decorator_list + getattr(node, "bases", [])
                outer += [keyword.value for keyword in getattr(node, "keywords", ())]
                if kind is not ast.ClassDef:
                    outer += node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
                for part in outer:
                    for inner in ast.walk(part):
                        if type(inner) is ast.comprehension:
                            target(inner.target, inside)
            continue
        if kind is ast.Assign:
            for each in node.targets:
                target(each, inside)
        elif kind is ast.AugAssign or kind is ast.AnnAssign:
            target(node.target, inside)
        elif kind is ast.For or kind is ast.AsyncFor:
            target(node.target, inside)
        elif kind is ast.With or kind is ast.AsyncWith:
            for item in node.items:
                if item.optional_vars is not None:
                    target(item.optional_vars, inside)
        elif kind is ast.Delete:
            for each in node.targets:
                target(each, inside)
        elif kind is ast.Global or kind is ast.Nonlocal:
            binds_inside = True
            names.update(name.encode() for name in node.names)
        elif kind is ast.Import or kind is ast.ImportFrom:
            if not inside:
                for alias in node.names:
                    names.add((alias.asname or alias.name.split(".")[0]).encode())
            if kind is ast.Import:
                imports.extend((alias.name, 0, ()) for alias in node.names)
            else:
                imports.append((node.module or "", node.level, tuple(alias.name for alias in node.names)))
        elif kind is ast.ExceptHandler:
            if not inside and node.name:
                names.add(node.name.encode())
        elif kind is _MATCH_CASE:
            if not inside:
                pattern(node.pattern)
        if not inside and b"for" in text and kind is not ast.ExceptHandler and kind is not _MATCH_CASE:
            # the analysis binds a comprehension's variables where the comprehension is
            for inner in ast.walk(node):
                if type(inner) is ast.comprehension:
                    target(inner.target, inside)
        for part in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, part, ()):
                pending.append((child, inside, False))
    return frozenset(names), defined, frozenset(nested), frozenset(joining), keys, binds_inside, imports


def outside(shapes: Dict[object, Optional[Shape]], reaches_outside) -> Dict[object, Optional[Shape]]:
    """`shapes` with a seed made of every statement with an import that `reaches_outside(key,
    module, level)`: a module of the project that the run did not find (a run over some of its
    files), which the resolver reads on demand and which may hold a Clever value (a file the
    run found and the prefilter did not pick holds none: linter.source.prefilter). The shapes
    given are left as they are (a cache keeps them for runs over other files): a changed one
    is a copy."""
    out: Dict[object, Optional[Shape]] = {}
    for key, found in shapes.items():
        out[key] = found
        if found is None:
            continue
        marked = [_seeded(statement, key, reaches_outside) for statement in found.statements]
        if any(new is not old for new, old in zip(marked, found.statements)):
            out[key] = Shape(marked)
    return out


def _seeded(statement: Statement, key, reaches_outside) -> Statement:
    """`statement`, or a seed copy of it when one of its imports reaches outside the run."""
    if statement.seed:
        return statement
    for module, level, names in statement.imports:
        dotted = [module] + [f"{module}.{name}" if module else name for name in names if name != "*"]
        if module == "django.conf" or any(reaches_outside(key, d, level) for d in dotted if d or level):
            return replace(statement, seed=True, blankable=False)
    return statement


def words_of(data: bytes) -> FrozenSet[bytes]:
    return frozenset(_WORD.findall(data))


@functools.lru_cache(maxsize=1)
def sdk_method_words() -> FrozenSet[bytes]:
    """The v2 SDK's method names (get_sections, ...): in a module that uses the SDK,
    linter.rules.sdk reports every reference to one, whatever its receiver, so a statement
    naming one is a seed."""
    from linter import catalog

    return frozenset(name.encode() for name in catalog.sdk_methods())


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
    shapes: Dict[object, Optional[Shape]],
    data: Dict[object, bytes],
    fixed_words: FrozenSet[bytes],
    name_counts: Optional[Mapping[str, int]] = None,
) -> Dict[object, "Masked"]:
    """The files of `shapes` (every file to parse) with statements to leave out, and what is
    left out of each. `data`: each file's bytes; `fixed_words`: names the analysis looks up by
    themselves; `name_counts`: how many times each function name is defined in the run (a
    method defined in more than MAX_CALLEES places is never followed by its name).

    A statement is reached by a name it exposes (module level, or its own), met in another's
    text, or by a function or method defined inside it, met in another's calls (only those
    the analysis finds by their name: followed by the flow, or with a parameter, which makes
    a helper that joins paths). Relevant (parsed) are the statements that may not be blanked,
    and, repeatedly:
    - a statement that a relevant one reaches (its analysis may look it up);
    - a carrier: a seed; a statement that a carrier reaches by a call or by its own name (the
      carrier may hand it a Clever value); a statement whose text holds a name a carrier
      exposes, or whose calls name a function or method a carrier defines (a value returned,
      a path joined). The files parsed whole and `fixed_words` count as a carrier's text.
    Every statement that is not relevant is blanked."""
    from linter.source.prefilter import MAX_CALLEES

    def followed(name: bytes) -> bool:
        if name_counts is None:
            return True
        count = name_counts.get(name.decode())
        return count is None or count <= MAX_CALLEES

    everything: List[Tuple[object, Statement]] = []
    words_read: Set[bytes] = set(fixed_words)  # what is read whatever happens: by files parsed whole
    for key, found in shapes.items():
        if found is None:
            words_read.update(_WORD.findall(data[key]))  # its calls are among its words
            continue
        everything.extend((key, statement) for statement in found.statements)
    # the two ways to a statement: a name (module level, or its own) met in a text, and a
    # function or method defined inside it met in a call
    by_exposed: Dict[bytes, List[int]] = {}  # module names and own names
    by_defined: Dict[bytes, List[int]] = {}  # own names (a function or a class, called)
    by_method: Dict[bytes, List[int]] = {}  # inner functions the analysis finds by their name
    by_word: Dict[bytes, List[int]] = {}
    by_call: Dict[bytes, List[int]] = {}
    for number, (_, statement) in enumerate(everything):
        for name in statement.exposed:
            by_exposed.setdefault(name, []).append(number)
        for name in statement.defined:
            by_defined.setdefault(name, []).append(number)
        for name in statement.nested:
            # the flow follows a method by its name while it has few definitions; a helper
            # that joins paths (one with a parameter) is matched by its name alone
            if name in statement.joining or followed(name):
                by_method.setdefault(name, []).append(number)
        for word in statement.words:
            by_word.setdefault(word, []).append(number)
        for name in statement.calls:
            by_call.setdefault(name, []).append(number)
    relevant = [False] * len(everything)
    carrier = [False] * len(everything)
    queue: List[int] = []

    def mark(number: int, carries: bool) -> None:
        if carries and not carrier[number]:
            carrier[number] = relevant[number] = True
            queue.append(number)
        elif not relevant[number]:
            relevant[number] = True
            queue.append(number)

    for number, (_, statement) in enumerate(everything):
        if statement.seed:
            mark(number, True)
        elif not statement.blankable:
            mark(number, False)
    for word in words_read:
        for number in by_exposed.get(word, []) + by_method.get(word, []):
            mark(number, True)
    read: Set[bytes] = set(words_read)  # words of relevant statements, followed already
    called: Set[bytes] = set(words_read)  # calls of relevant statements
    carried: Set[bytes] = set(words_read)  # words of carriers
    carried_calls: Set[bytes] = set(words_read)
    offered: Set[bytes] = set()  # names carriers expose
    offered_methods: Set[bytes] = set()  # methods carriers define

    def spread(names: FrozenSet[bytes], seen: Set[bytes], index: Dict[bytes, List[int]], carries: bool) -> None:
        for name in names - seen:
            seen.add(name)
            for other in index.get(name, ()):
                mark(other, carries)

    while queue:
        number = queue.pop()
        statement = everything[number][1]
        # a relevant statement's analysis may look up what it names and what it calls
        spread(statement.words, read, by_exposed, False)
        spread(statement.calls, called, by_method, False)
        if carrier[number]:
            # a carrier may hand a Clever value to what it calls or makes ...
            spread(statement.words, carried, by_defined, True)
            spread(statement.calls, carried_calls, by_method, True)
            # ... and to what reads its names or calls its methods (a value returned, a path joined)
            spread(statement.exposed, offered, by_word, True)
            spread(statement.nested, offered_methods, by_call, True)
    out: Dict[object, Masked] = {}
    for number, (key, statement) in enumerate(everything):
        if not relevant[number]:
            found = out.get(key)
            if found is None:
                found = out[key] = Masked(data[key], len(shapes[key].statements))  # type: ignore[union-attr]
            found.hide(statement)
    for number, (key, statement) in enumerate(everything):
        if relevant[number] and key in out:
            out[key].words |= statement.words
    return out


class Masked:
    """A file's text with its blanked statements, the names those expose (`hidden`) and the
    words of its parsed statements (`words`: what its own code may look up elsewhere)."""

    def __init__(self, source: bytes, statements: int) -> None:
        self.source = source
        self.words: Set[bytes] = set()
        self.hidden: Set[bytes] = set()
        self.statements = statements  # Python's count of the file's top-level statements
        self.left_out = 0
        self._spans: List[Tuple[int, int]] = []

    def hide(self, statement: Statement) -> None:
        self._spans.append((statement.start, statement.end))
        self.hidden |= statement.exposed  # what another module can import (methods are not)
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
