"""One parsed module: LibCST's tree, its scopes and roots (linter.syntax.collect), positions
of its nodes, and a readable parse error where it does not parse."""

from __future__ import annotations

import ast
import bisect
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from linter.source.files import python_syntax
from linter.syntax import shortcuts
from linter.syntax.scope import CallSite, Root, Scope, ScopeKind
from linter.syntax.walk import Preorder


def _syntax_error(source: bytes, exc: "cst.ParserSyntaxError") -> "ParseError":
    """LibCST's own message lists every token it expected; Python's compiler says it better
    (and knows Python 2 `print`), so ask it where it agrees that the file is invalid."""
    try:
        ast.parse(source)
    except SyntaxError as error:
        text = (error.msg or "invalid syntax").strip()
        return ParseError(text, error.lineno or 1, max(error.offset or 1, 1))
    except (ValueError, RecursionError, MemoryError):
        pass
    message = exc.message.split(": expected", 1)[0]
    return ParseError(message, exc.raw_line, exc.raw_column + 1)


def parse(source: bytes, accepted: bool = False) -> cst.Module:
    """LibCST's tree of `source`. Where Python's own parser accepts the file, the tree is built
    without LibCST's node validation (a third of the parse: every node's `_validate` checks
    rules that Python's grammar has checked already); elsewhere LibCST validates as usual, so
    what it refuses (`'a' b'b'`) is refused as before. `accepted`: the caller had Python's
    parser read `source` already."""
    if not shortcuts.ENABLED or not accepted and python_syntax(source) is None:
        return cst.parse_module(source)
    validate = cst.CSTNode.__post_init__
    cst.CSTNode.__post_init__ = _trusted  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        cst.CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def _trusted(self) -> None:
    """CSTNode.__post_init__ while a file Python accepts is parsed: no validation."""


def deep(function, *args):
    """Call `function`; if it recurses too deeply (a 5,000-term `+` chain, hundreds of nested
    parentheses: LibCST's visitors recurse once per node level), call it again in a thread
    with a large stack and a high recursion limit. A RecursionError that still escapes is the
    caller's to report."""
    import sys
    import threading

    try:
        return function(*args)
    except RecursionError:
        pass
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["error"] = exc

    old_limit = sys.getrecursionlimit()
    old_size = threading.stack_size()
    try:
        threading.stack_size(512 * 1024 * 1024)
        sys.setrecursionlimit(max(old_limit, 120_000))
        worker = threading.Thread(target=run, name="clever-upgrade-deep")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class ParseError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class ModuleInfo:
    """One parsed module and what the collector found in it."""

    def __init__(
        self, path: Path, display: str, source: bytes, tree: Optional[cst.Module] = None, masked=None, accepted=False
    ):
        """`tree`: the module already parsed (linter.syntax.ahead), else parsed here; `masked`:
        the file with statements left out of the parse (a linter.source.statements.Masked and
        its text), else the whole file is parsed. `source` stays the file's bytes (what rules
        search, what fix rewrites); `parsed` is the text the tree and positions come from.
        `accepted`: Python's parser reads the text to parse (see parse)."""
        self.path = path
        self.display = display
        self.source = source
        self.parsed = source
        self.hidden: frozenset = frozenset()  # the names the left-out statements expose
        self.words: Optional[frozenset] = None  # see reach_words
        if masked is not None:
            found, text = masked
            self.parsed, self.hidden, self.words = text, frozenset(found.hidden), frozenset(found.words)
        self.module: Optional[cst.Module] = None
        self.error: Optional[ParseError] = None
        self.roots: List[Root] = []
        self.calls: List[CallSite] = []
        self.def_scopes: Dict[int, Scope] = {}  # id of a ClassDef/FunctionDef/Lambda -> its scope
        self.strings: List[cst.CSTNode] = []  # top-level string literals, in source order
        self._string_positions: Optional[Dict[int, tuple]] = None
        # x["key"] = value anywhere in the module: key -> [(value, scope)]
        self.subscript_stores: Dict[str, List[Tuple[cst.BaseExpression, Scope]]] = {}
        # positions computed so far (see position)
        self._positions: Dict[cst.CSTNode, CodeRange] = {}
        self._all_positions = False  # the whole module's are in _positions
        self._positioned: set = set()  # the top-level statements whose positions are in
        self._statement_index: Optional[Dict[int, int]] = None
        self._starts = None
        self._lines = None  # see lines()
        # facts that other layers derive from this module and keep with it (whether it uses
        # the v2 SDK, ...), so that they are computed once per run
        self.derived: Dict[str, object] = {}
        self.scope = Scope(ScopeKind.MODULE, cst.Module(body=()), self, None)
        self.order: Optional[Preorder] = None  # the nodes the analysis walks, in order (see _collect)
        if tree is None and masked is not None:
            try:
                tree = parse(self.parsed, accepted)
            except Exception:  # noqa: BLE001 - the whole file is parsed below, and reported as before
                self.parsed, self.hidden, self.words = source, frozenset(), None
                accepted = False
        try:
            self.module = tree if tree is not None else parse(source, accepted)
        except cst.ParserSyntaxError as exc:
            self.error = _syntax_error(source, exc)
        except (RecursionError, MemoryError):
            self.error = ParseError("the file is nested too deeply to parse", 1, 1)
        except Exception as exc:  # noqa: BLE001 - libcst raises a few other errors on odd input
            self.error = ParseError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 1, 1)
        if self.module is not None:
            self.scope.node = self.module
            try:
                deep(self._collect)
            except RecursionError:
                self.error = ParseError("the file is nested too deeply to analyse", 1, 1)
                self.roots, self.calls = [], []

    # what other layers derive from this module alone (kept when a later run adopts it);
    # the other facts in `derived` read other modules too (linter.evaluate.sdk's vendored SDK)
    LOCAL_FACTS = frozenset({"reference_index", "order_index"})

    def for_new_run(self) -> None:
        self.derived = {key: value for key, value in self.derived.items() if key in self.LOCAL_FACTS}

    def _collect(self) -> None:
        self.roots, self.calls, self.strings = [], [], []
        self.scope = Scope(ScopeKind.MODULE, self.module, self, None)
        self.def_scopes, self.subscript_stores = {}, {}
        from linter.syntax.collect import Collector

        self.order = Preorder(self.module)
        self.order.visit(Collector(self))

    def order_index(self, node: cst.CSTNode) -> Optional[int]:
        """Where `node` comes in the module's preorder (the order of the nodes' starts in the
        source: a parent before its children), or None for a node the walks do not list.
        Comparing two of these orders nodes by where they start, at none of the cost of
        computing their positions."""
        index = self.derived.get("order_index")
        if index is None:
            nodes = self.order.nodes if self.order is not None else []
            index = self.derived["order_index"] = {id(n): i for i, n in enumerate(nodes)}
        return index.get(id(node))  # type: ignore[union-attr]

    @property
    def whole(self) -> bool:
        """Whether the tree is of the whole file (no statement was left out of the parse)."""
        return self.parsed is self.source

    def reach_words(self) -> frozenset:
        """The words of the code that was parsed: every name this module may look up in
        another (see linter.source.statements)."""
        if self.words is None:
            from linter.source.statements import words_of

            self.words = words_of(self.source)
        return self.words

    def lines(self) -> Optional[Tuple[str, List[int]]]:
        """The module's text and the offset in it where each line starts (as LibCST counts
        lines), computed once; None when the bytes do not decode."""
        if self._lines is None:
            assert self.module is not None
            try:
                text = self.parsed.decode(self.module.encoding)
            except (UnicodeDecodeError, LookupError):
                self._lines = False
            else:
                self._lines = (text, line_starts(text))
        return self._lines or None

    def code_of(self, node: cst.CSTNode) -> str:
        """The source text of an expression of this module, on one line (for messages)."""
        assert self.module is not None
        return " ".join(self.module.code_for_node(node).split())

    def string_position(self, node: cst.CSTNode) -> Optional[tuple]:
        """(line, column, end_line, end_column) of a top-level string literal, from a scan of
        the text for literals (or Python's tokenizer where the scan and the nodes differ):
        computing LibCST's positions for a whole large module costs far more."""
        if self._string_positions is None:
            found = _string_spans(self)
            self._string_positions = found if found is not None else _string_tokens(self)
        return self._string_positions.get(id(node))

    def position(self, node: cst.CSTNode):
        """LibCST's position (PositionProvider) of a node of this module. Computed for the
        top-level statement that holds the node only (see _statement_positions), or, where that
        cannot be done, for the whole module at once."""
        found = self.string_position(node) if isinstance(node, (cst.SimpleString, cst.FormattedString)) else None
        if found is not None:
            return CodeRange(CodePosition(found[0], found[1]), CodePosition(found[2], found[3]))
        known = self._positions.get(node)
        if known is not None:
            return known
        if not self._all_positions:
            index = self._statement_of().get(id(node)) if shortcuts.ENABLED else None
            if index is not None and index not in self._positioned:
                self._positioned.add(index)
                try:
                    found_here = deep(self._statement_positions, index)
                except Exception:  # noqa: BLE001 - LibCST's codegen state is not public API: the whole module's then
                    found_here = None
                self._positions.update(found_here or {})
                known = self._positions.get(node)
                if known is not None:
                    return known
            assert self.module is not None
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions.update(deep(wrapper.resolve, PositionProvider))
            self._all_positions = True
        return self._positions[node]

    def _statement_of(self) -> Dict[int, int]:
        """id of each node the analysis walks -> the index of its top-level statement."""
        if self._statement_index is None:
            assert self.module is not None
            order = self.order if self.order is not None else Preorder(self.module)
            index: Dict[int, int] = {}
            nodes, ends = order.nodes, order.ends
            at = 1  # nodes[0] is the module; its statements follow, each with its subtree
            for number, statement in enumerate(self.module.body):
                if at >= len(nodes) or nodes[at] is not statement:
                    break  # not listed as expected: positions of the rest come from the whole module
                for inner in range(at, ends[at]):
                    index[id(nodes[inner])] = number
                at = ends[at]
            self._statement_index = index
        return self._statement_index

    def _statement_positions(self, index: int) -> Optional[Dict[cst.CSTNode, CodeRange]]:
        """The positions of the nodes of top-level statement `index`: LibCST's own position
        codegen run over that statement alone, from the line where it starts. Python's parser
        (ast) gives that line; the statement's generated code must then be the source text
        found there, else None (and the caller computes the whole module's)."""
        from libcst.metadata.position_provider import PositionProvidingCodegenState

        assert self.module is not None
        starts = self._statement_starts()
        if starts is None:
            return None
        text, line_offsets, lines = starts
        line = lines[index]
        if not 1 <= line <= len(line_offsets):
            return None
        sink = _Ranges()
        state = PositionProvidingCodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
            provider=sink,  # type: ignore[arg-type] - it records into sink._computed, all it reads
            line=line,
        )
        self.module.body[index]._codegen(state)
        code = "".join(state.tokens)
        start = line_offsets[line - 1]
        if text[start : start + len(code)] != code:
            return None
        return sink._computed

    def _statement_starts(self) -> Optional[Tuple[str, List[int], List[int]]]:
        """(the module's text, the offset of each line in it, the line where each top-level
        statement's code starts, its leading blank and comment lines included); None when
        Python's parser does not read the module or its statements do not line up with LibCST's."""
        if self._starts is None:
            self._starts = _statement_starts(self) or False
        return self._starts or None


class _Ranges:
    """What LibCST's position codegen records into (a provider's `_computed`)."""

    def __init__(self) -> None:
        self._computed: Dict[cst.CSTNode, CodeRange] = {}


_NEWLINE = re.compile(r"\r\n?|\n")  # the line ends LibCST's positions count


def line_starts(text: str) -> List[int]:
    """The offset in `text` where each of its lines starts (a line ends at \\r\\n, \\r or \\n)."""
    return [0] + [match.end() for match in _NEWLINE.finditer(text)]


def _statement_starts(info: "ModuleInfo") -> Optional[Tuple[str, List[int], List[int]]]:
    """See ModuleInfo._statement_starts. A simple statement line holds as many of ast's
    statements as it has parts (`a = 1; b = 2`); a compound statement is one. ast gives the line
    of a statement's first token (a decorator's for a decorated definition); LibCST's code of the
    statement starts its leading lines (and its first decorator's) before it."""
    assert info.module is not None
    lines_of = info.lines()
    if lines_of is None:
        return None
    tree = python_syntax(info.parsed)
    if tree is None:
        return None
    statements = tree.body
    taken = 0
    lines: List[int] = []
    for statement in info.module.body:
        if taken >= len(statements):
            return None
        first = statements[taken]
        taken += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        line = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", ())])
        leading = len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            leading += len(decorators[0].leading_lines)
        lines.append(line - leading)
    if taken != len(statements):
        return None
    text, offsets = lines_of
    return text, offsets, lines


# a comment, or a string literal with its prefix (not a word's last letters: `if"x"`); a
# backslash escapes any one character, a line end included (\r\n counts as one)
_LITERAL = re.compile(
    r"#[^\r\n]*"
    r"|(?:(?<!\w)[rRbBuUfF]{1,2})?"
    r"(?:'''(?:\\(?:\r\n|.)|[^\\])*?'''"
    r'|"""(?:\\(?:\r\n|.)|[^\\])*?"""'
    r"|'(?:\\(?:\r\n|.)|[^\\'\r\n])*'"
    r'|"(?:\\(?:\r\n|.)|[^\\"\r\n])*")',
    re.S,
)


def _string_spans(info: "ModuleInfo") -> Optional[Dict[int, tuple]]:
    """What _string_tokens finds, from one regular-expression scan of the text (Python's
    tokenizer, written in Python, costs three times more): the literals outside comments, in
    order. Each must be the text of the node at the same place in info.strings (a
    SimpleString's value, a FormattedString's code without its parentheses), and there must be
    as many; else None, and the tokenizer decides (an f-string that nests its own quotes,
    Python 3.12, is cut in two here)."""
    assert info.module is not None
    lines = info.lines()
    if lines is None:
        return None
    text, starts = lines
    strings = info.strings
    spans: List[Tuple[int, int]] = []
    for match in _LITERAL.finditer(text):
        if text[match.start()] != "#":
            spans.append(match.span())
    if len(spans) != len(strings):
        return None
    for node, (start, end) in zip(strings, spans):
        kind = type(node)
        if kind is cst.SimpleString:
            code = node.value
        elif kind is cst.FormattedString:
            code = info.module.code_for_node(node.with_changes(lpar=(), rpar=()))
        else:
            return None
        if text[start:end] != code:
            return None
    out: Dict[int, tuple] = {}
    for node, (start, end) in zip(strings, spans):
        line = bisect.bisect_right(starts, start)
        end_line = bisect.bisect_right(starts, end, lo=line - 1)
        out[id(node)] = (line, start - starts[line - 1], end_line, end - starts[end_line - 1])
    return out


def _string_tokens(info: "ModuleInfo") -> Dict[int, tuple]:
    """Map the module's top-level string nodes to the positions of the matching tokens; empty
    (so LibCST's own positions are used) if the two do not line up."""
    import io
    import tokenize

    lines = info.lines()
    if lines is None:
        return {}
    text = lines[0]
    try:
        spans = []
        depth = 0
        start = None
        fstring_start = getattr(tokenize, "FSTRING_START", None)
        fstring_end = getattr(tokenize, "FSTRING_END", None)
        for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
            if fstring_start is not None and token.type == fstring_start:
                if depth == 0:
                    start = token.start
                depth += 1
            elif fstring_end is not None and token.type == fstring_end:
                depth -= 1
                if depth == 0:
                    spans.append((start[0], start[1], token.end[0], token.end[1]))
            elif token.type == tokenize.STRING and depth == 0:
                spans.append((token.start[0], token.start[1], token.end[0], token.end[1]))
    except (tokenize.TokenError, SyntaxError):
        return {}
    if len(spans) != len(info.strings):
        return {}
    return {id(node): span for node, span in zip(info.strings, spans)}
