"""Which findings get a fix, and whether it is safe: decided once for the whole run.

The rules say *what* is a v2 construct; this module turns the URL findings into edits
(linter.fix.edits) and applies the run-wide guards that keep a migration whole:
- a literal that feeds several endpoints needing different rewrites is not rewritten;
- a version pin moves to v3.1 only if every role path joined to it is rewritten too (else a
  base on v3.1 would serve v2 paths: 404s); otherwise it stays, says which call sites hold it
  back, and the role paths on it stay as well (a v3.1 path on a v2 base is a 404 too): a base
  and its paths move together or not at all;
- a record_type filter moves to `users` only when no v2 event-type dispatch would be left to
  silently ignore the new events."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Dict, List, Optional, Protocol, Sequence, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.evaluation import Evaluation
from linter.evaluate.locate import exact_literal_span, locate
from linter.evaluate.sdk import v2_sdk, vendored_sdk_package
from linter.evaluate.template import Hole, LiteralSource
from linter.fix.edits import DictInsert, LiteralEdit, Refusal, endpoint_edits, me_edit, record_type_edit, version_edit
from linter.model import Confidence, Edit, Finding, Fix, Span
from linter.rules import registry  # noqa: F401 - every family registered, for codes_with
from linter.rules.base import codes_with
from linter.rules.endpoints import VERSION_PIN, UrlFinding
from linter.rules.events import RECORD_TYPE
from linter.rules.identity import ME_UNVERSIONED
from linter.syntax.module import ModuleInfo
from linter.syntax.scope import RootUse, is_url_division

# what the planner asks of a finding, from its rule's traits (linter.rules.base.TRAITS)
ENDPOINT_CODES = codes_with("role-path")
PATH_CODES = codes_with("path-on-base")  # role paths on a base
EVENT_DISPATCH_CODES = codes_with("event-dispatch")
ME_TYPE_CODES = codes_with("reads-me-type")  # code reading the role from /me
SDK_EVENTS = "this module uses the clever-python SDK, whose events are v2.0 events; replace the client first"


@dataclass(eq=False)
class Candidate:
    finding: Finding
    standalone: bool
    evaluation: Optional[Evaluation] = None  # for URL findings
    url: Optional[UrlFinding] = None  # for URL findings
    node: Optional[cst.CSTNode] = None  # for findings of the node rules
    module: Optional[ModuleInfo] = None
    rewrite: Optional[Tuple[cst.CSTNode, str]] = None  # a node rule's v3.1 text for a node
    held: Optional[str] = None  # why it is never rewritten, decided by the analysis (a role dispatch)

    @property
    def home(self) -> Optional[ModuleInfo]:
        """The module the finding is in: its own, or its URL evaluation's."""
        return self.module or (self.evaluation.module if self.evaluation is not None else None)


def _divided(root: cst.CSTNode, literal: cst.CSTNode) -> bool:
    """Whether `literal` is appended by a URL object's `/` (`URL(base) / "teachers"`) inside
    the root expression (a query put there would be encoded into the path)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.BinaryOperation) and is_url_division(node) and node.right is literal:
            return True
        stack.extend(node.children)
    return False


def _blocker_rank(blocker: str) -> int:
    """Of two reasons for one place, the more telling: a path picked among known values, then
    any stated reason, then the bare place."""
    return 2 if " picks its path " in blocker else (1 if " " in blocker else 0)


def _to_edit(item, resolver) -> Edit:
    if isinstance(item, DictInsert):
        position = item.module.position(item.node)
        line, column = position.start.line, position.start.column + 2  # just after "{"
        empty = not item.node.elements
        text = f'"{item.key}": "{item.value}"' + ("" if empty else ", ")
        return Edit(item.module.display, Span(line, column, line, column), text)
    span = exact_literal_span(item.source, item.start, item.end, resolver)
    if span is None:
        raise Refusal("its literal has escape sequences; edit it by hand")
    return Edit(item.source.module.display, span, item.replacement)


def _literal_value_edit(module, node, value: str) -> LiteralEdit:
    """Replace the whole value of a plain string literal."""
    if not isinstance(node, cst.SimpleString) or not isinstance(node.evaluated_value, str):
        raise Refusal("it is not a plain string literal")
    return LiteralEdit(LiteralSource(module, node, 0), 0, len(node.evaluated_value), value)


# the test doubles of HTTP (catalog/libraries.yaml)
MOCK_LIBRARIES = catalog.libraries().mock_libraries
MOCK_FIXTURES = MOCK_LIBRARIES | catalog.libraries().mock_fixtures
MOCK_METHODS = catalog.libraries().mock_methods


def _is_double(candidate: Candidate) -> bool:
    """A URL handed to a mocking library's registration call, in a module that imports one."""
    evaluation = candidate.evaluation
    if evaluation is None or evaluation.root.call is None:
        return False
    module = evaluation.module
    imported = any(
        (ref.module or ref.name or "").split(".")[0] in MOCK_LIBRARIES for ref in module.scope.imports.values()
    )
    func = evaluation.root.call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in MOCK_METHODS:
        return False
    receiver = func.value
    # pytest fixtures of these libraries are parameters, not imports (def test(requests_mock): ...)
    return imported or (isinstance(receiver, cst.Name) and receiver.value in MOCK_FIXTURES)


def _is_me(evaluation: Evaluation) -> bool:
    endpoint = evaluation.analysis.endpoint
    return endpoint is not None and endpoint.v2 == "/me" and evaluation.root.use is not RootUse.MESSAGE


def listed(items: Sequence[str], most: int = 5) -> str:
    """The first `most` items, comma-separated, with ", ..." when there are more."""
    return ", ".join(items[:most]) + (", ..." if len(items) > most else "")


def _places(candidates: List[Candidate], most: int = 3) -> str:
    """`path:line, path:line` of the first `most` candidates."""
    return ", ".join(f"{c.finding.path}:{c.finding.span.line}" for c in candidates[:most])


def place_order(place: str) -> tuple:
    """`path:line ...` in file, then line-number order (line 8 before line 10)."""
    path, _, rest = place.partition(":")
    line = rest.split(" ", 1)[0]
    return (path, int(line) if line.isdigit() else 0, place)


def _url_use(evaluation: Evaluation) -> None:
    """Refuse (raise Refusal) unless the string is used as a URL: a comparison, a dict key, a
    string operation or a message keeps its text, or a filter or a lookup would silently change."""
    use = evaluation.root.use
    if use is not RootUse.URL:
        raise Refusal(f"this string is not requested as a URL here ({use.value}); change it by hand if it must follow")


class _Where:
    """path:line of an evaluation, computed only when printed (positions of non-string nodes
    cost a pass over the module)."""

    def __init__(self, evaluation) -> None:
        self.evaluation = evaluation

    def __str__(self) -> str:
        module = self.evaluation.module
        return f"{module.display}:{module.position(self.evaluation.root.node).start.line}"


class ClosedWorld(Protocol):
    """What the analysis knows about the uses of a literal beyond the evaluations: a rewrite
    needs every use accounted for, and each one that is not holds it."""

    def holds(self, literal: LiteralSource, evaluation: Evaluation, strict: bool) -> List[str]:
        """`path:line (how)` of every use of the literal's value that the analysis cannot follow
        (`strict`: a comparison or a lookup counts too, as it does for a path)."""


class _OpenWorld:
    def holds(self, literal: LiteralSource, evaluation: Evaluation, strict: bool) -> List[str]:
        return []


class Planner:
    def __init__(
        self,
        kept: List[Candidate],
        evaluations: List[object],
        resolver,
        target: str,
        world: Optional[ClosedWorld] = None,
    ):
        self.kept = kept
        self.evaluations = evaluations
        self.resolver = resolver
        self.target = target
        self.world: ClosedWorld = world if world is not None else _OpenWorld()
        self.raw: Dict[Candidate, List[object]] = {}  # the literal edits proposed for a candidate
        self.fix: Dict[Candidate, Fix] = {}
        self.note: Dict[Candidate, str] = {}
        self._by_literal: Optional[Dict[object, list]] = None  # literal node -> evaluations using it

    def _uses_sdk(self, module) -> bool:
        return module is not None and v2_sdk(module, self.resolver.project) is not None

    def _in_vendored_sdk(self, module) -> None:
        """Refuse to rewrite inside a vendored copy of the v2 SDK: its models parse v2 shapes."""
        if module is not None and vendored_sdk_package(module, self.resolver.project) is not None:
            raise Refusal(
                "this is a vendored copy of the v2.0 clever-python SDK, whose models parse v2 responses; "
                "replace the client (step 1) rather than its URLs"
            )

    def plan(self) -> List[Finding]:
        for candidate in self.kept:
            self._propose(candidate)
        self._refuse_conflicts()
        for candidate in self.kept:
            if candidate in self.raw:
                self._finish(candidate, safe=not self._changes_id(candidate))
        self._record_types()
        self._version_pins()
        self._test_doubles()
        out = []
        for candidate in self.kept:
            out.append(
                dataclasses.replace(candidate.finding, fix=self.fix.get(candidate), note=self.note.get(candidate))
            )
        return out

    # -- proposals ------------------------------------------------------------------------------
    def _propose(self, candidate: Candidate) -> None:
        code = candidate.finding.code
        evaluation = candidate.evaluation
        try:
            if candidate.held is not None:
                raise Refusal(candidate.held)
            self._in_vendored_sdk(candidate.home)
            if evaluation is not None and code in ENDPOINT_CODES | {ME_UNVERSIONED.code}:
                _url_use(evaluation)
            if code in ENDPOINT_CODES and evaluation is not None:
                root = evaluation.root
                edits = endpoint_edits(evaluation.analysis, root.call, evaluation.module)
                if any("?" in getattr(e, "replacement", "") and _divided(root.node, e.source.node) for e in edits):
                    raise Refusal(
                        "a URL object's `/` would encode the `?` of the v3.1 query; append `users` and add the role "
                        "with .with_query(role=...) by hand"
                    )
                self.raw[candidate] = edits
            elif code == ME_UNVERSIONED.code and evaluation is not None:
                if self.identity:
                    raise Refusal(
                        f'code still reads the role from the /me type ({listed(self.identity)}); v3.1 answers "user"'
                    )
                self.raw[candidate] = [me_edit(evaluation.analysis, self.target)]
        except Refusal as refusal:
            self.note[candidate] = f"not rewritten: {refusal}"

    def _refuse_conflicts(self) -> None:
        """One literal, several endpoints, different rewrites: rewrite none of them."""
        by_literal: Dict[object, set] = {}
        for edits in self.raw.values():
            for edit in edits:
                if isinstance(edit, LiteralEdit):
                    signature = tuple(
                        sorted(
                            (e.start, e.end, e.replacement)
                            for e in edits
                            if isinstance(e, LiteralEdit) and e.source.node is edit.source.node
                        )
                    )
                    by_literal.setdefault(edit.source.node, set()).add(signature)
        conflicted = {node for node, signatures in by_literal.items() if len(signatures) > 1}
        for key in list(self.raw):
            if any(isinstance(e, LiteralEdit) and e.source.node in conflicted for e in self.raw[key]):
                del self.raw[key]
                self.note[key] = (
                    "not rewritten: this literal feeds several endpoints that need different rewrites; split it by hand"
                )

    def _finish(self, candidate: Candidate, safe: bool, requires=()) -> None:
        key = candidate
        try:
            if candidate.finding.code in ENDPOINT_CODES and candidate.evaluation is not None:
                if candidate.evaluation.analysis.version is None:
                    raise Refusal(
                        "the version of its base is not known here (a value read at run time); the path moves "
                        "only together with its base, so move both by hand"
                    )
                self._closed(candidate)
            edits = tuple(_to_edit(item, self.resolver) for item in self.raw[key])
        except Refusal as refusal:
            self.note[key] = f"not rewritten: {refusal}"
            return
        self.fix[key] = Fix(edits, safe, tuple(requires))

    def _changes_id(self, candidate: Candidate) -> bool:
        """A path whose ID is a teacher, staff, district-admin or contact ID: v3.1 takes the
        multi-role user ID there, so the rewritten URL is right only once the code passes the v3
        ID (or maps the stored one): an unsafe fix, and the note says why."""
        evaluation = candidate.evaluation
        endpoint = evaluation.analysis.endpoint if evaluation is not None else None
        if endpoint is None or not endpoint.id_changes or candidate.finding.code not in ENDPOINT_CODES:
            return False
        label = catalog.roles().label(endpoint.role)
        self.note[candidate] = (
            f"unsafe: {label} IDs change in v3, and nothing proves that the ID in this path is the v3 user ID; "
            "rewrite it with --unsafe-fixes once the code passes v3 IDs "
            f"(or maps them with roles.{endpoint.role}.legacy_id)"
        )
        return True

    def _closed(self, candidate: Candidate) -> None:
        """A role path is rewritten in its literal only when every use of that literal is one
        the analysis reads (a constant also tested with `in`, or handed to code it cannot see,
        would change there too)."""
        for item in self.raw[candidate]:
            if isinstance(item, LiteralEdit):
                holds = self.world.holds(item.source, candidate.evaluation, strict=True)
                if holds:
                    raise Refusal(f"its literal is also used where fix cannot follow it ({listed(holds, 3)})")

    # -- test doubles ----------------------------------------------------------------------------
    def _test_doubles(self) -> None:
        """A URL registered with a mocking library (responses, requests-mock, respx, httpretty)
        stands for the code's requests: it moves with the code's version pins or not at all,
        so that `fix` never breaks the project's own tests (a mock of /v2.1/teachers while the
        code asks for /v3.1/users, or the reverse)."""
        doubles = [c for c in self.kept if _is_double(c)]
        if not doubles:
            return
        code = [c for c in self.kept if c.finding.code == VERSION_PIN.code and not _is_double(c)]
        held = [c for c in code if c not in self.fix]
        for double in doubles:
            if double not in self.fix:
                continue
            if held:
                where = _places(held)
                del self.fix[double]
                self.note[double] = (
                    f"not rewritten: this mock stands for requests whose base stays on v2 ({where}); it moves with them"
                )
        ties = {c.finding.key for c in code + doubles if c in self.fix}
        for candidate in code + doubles:
            self._require(candidate, ties - {candidate.finding.key})

    # -- record_type ----------------------------------------------------------------------------
    def _record_types(self) -> None:
        dispatch = [c for c in self.kept if c.finding.code in EVENT_DISPATCH_CODES]
        for candidate in dispatch:
            if self._uses_sdk(candidate.module):
                self.note[candidate] = f"not rewritten: {SDK_EVENTS}"
            elif candidate.rewrite is not None:
                node, text = candidate.rewrite
                position = candidate.module.position(node)
                span = Span(position.start.line, position.start.column + 1, position.end.line, position.end.column + 1)
                self.fix[candidate] = Fix((Edit(candidate.module.display, span, text),), safe=False)
            else:
                self.note[candidate] = (
                    "not rewritten: no mechanical form here; test the event type and the role by hand"
                )
        unfixed = [c for c in dispatch if c not in self.fix]
        requires = sorted(c.finding.key for c in dispatch if c in self.fix)
        for candidate in self.kept:
            if candidate.finding.code != RECORD_TYPE.code:
                continue
            key = candidate
            module = candidate.home
            if self._uses_sdk(module):
                self.note[key] = f"not rewritten: {SDK_EVENTS}"
                continue
            if unfixed:
                dispatch = unfixed
                where = listed(sorted({f"{c.finding.path}:{c.finding.span.line}" for c in dispatch}))
                self.note[key] = (
                    f"not rewritten: the application dispatches on v2 event types that fix cannot rewrite ({where}); "
                    "it would ignore every users.* event"
                )
                continue
            try:
                if candidate.url is not None:
                    self.raw[key] = [
                        record_type_edit(candidate.evaluation.analysis, candidate.url.start, candidate.url.end)
                    ]
                else:
                    self.raw[key] = [_literal_value_edit(candidate.module, candidate.node, "users")]
            except Refusal as refusal:
                self.note[key] = f"not rewritten: {refusal}"
                continue
            self._finish(candidate, safe=False, requires=requires)

    # -- version pins: the half-migration guard ---------------------------------------------------
    @property
    def identity(self) -> List[str]:
        """Where code still reads the role from the v2 /me response (with Clever evidence: a
        low-confidence guess holds nothing)."""
        return [
            f"{c.finding.path}:{c.finding.span.line}"
            for c in self.kept
            if c.finding.code in ME_TYPE_CODES and c.finding.confidence.rank >= Confidence.MEDIUM.rank
        ]

    def _version_pins(self) -> None:
        me_pins: List[Candidate] = []  # pins that /me is requested on
        self._pins(me_pins)
        self._one_me(me_pins)

    def _require(self, candidate: Candidate, keys) -> None:
        """The candidate's fix (if it has one) is applied only together with the fixes of `keys`."""
        fix = self.fix.get(candidate)
        if fix is not None:
            self.fix[candidate] = dataclasses.replace(fix, requires=tuple(sorted(set(fix.requires) | set(keys))))

    def _one_me(self, me_pins: List[Candidate]) -> None:
        """An unversioned /me moves to v3.1 only together with every pin that /me is also
        requested on: /me of v2 and of v3.1 give one person two different IDs."""
        held = [p for p in me_pins if p not in self.fix]
        for candidate in self.kept:
            if candidate.finding.code != ME_UNVERSIONED.code or candidate not in self.fix:
                continue
            if held:
                where = _places(held)
                del self.fix[candidate]
                self.note[candidate] = (
                    f"not rewritten: /me is also requested on a v2 base that stays ({where}); "
                    "/me of v2 and of v3.1 give one person two IDs, so both move together"
                )
            elif me_pins:
                self._require(candidate, {p.finding.key for p in me_pins})

    def _pins(self, me_pins: List[Candidate]) -> None:
        endpoint_fix: Dict[Tuple[str, Span], Tuple[Candidate, Optional[Fix]]] = {}
        for candidate in self.kept:
            if candidate.finding.code in PATH_CODES:
                key = (candidate.finding.path, candidate.finding.span)
                endpoint_fix[key] = (candidate, self.fix.get(candidate))
        for candidate in self.kept:
            if candidate.finding.code != VERSION_PIN.code or candidate.evaluation is None:
                continue
            analysis = candidate.evaluation.analysis
            source = analysis.template.source_at(analysis.version_span[0])
            if source is None:
                continue
            literal = source[0].node
            blockers, unsafe, dependents = self._blockers(literal, endpoint_fix)
            self._propose_pin(candidate, source[0], blockers, unsafe, dependents)
            if any(_is_me(e) for e in self._by_literal.get(literal, ())):
                me_pins.append(candidate)
            if candidate not in self.fix:
                self._hold(dependents, candidate)
                continue
            for dependent in dependents:  # the path moves only together with its base
                self._require(dependent, {candidate.finding.key})

    def _propose_pin(self, candidate: Candidate, source, blockers: List[str], unsafe: bool, dependents) -> None:
        """Give the pin its fix, or a note saying why it stays."""
        key = candidate
        module = source.module
        try:
            _url_use(candidate.evaluation)
            self._in_vendored_sdk(module)
        except Refusal as refusal:
            self.note[key] = f"not rewritten: {refusal}"
            return
        if self._uses_sdk(module):
            self.note[key] = (
                "not rewritten: this module uses the clever-python SDK, which speaks v2.0 only; "
                "replace the client first"
            )
            return
        if blockers:
            where = listed(blockers)
            self.note[key] = f"not rewritten: v2 role paths on this base still need a manual change ({where})"
            return
        configured = self.resolver.configured.get(id(source.node))
        if configured is not None:
            self.note[key] = (
                f"not rewritten: this version is the default of {configured}, and the configuration fix cannot "
                "see may set that key; move the setting and its paths by hand"
            )
            return
        holds = self.world.holds(source, candidate.evaluation, strict=False)
        if holds:
            where = listed(holds)
            self.note[key] = (
                f"not rewritten: a use of this base that fix cannot follow holds it ({where}); "
                "move it by hand together with the paths joined to it there"
            )
            return
        try:
            self.raw[key] = [version_edit(candidate.evaluation.analysis, self.target)]
        except Refusal as refusal:
            self.note[key] = f"not rewritten: {refusal}"
            return
        self._finish(candidate, safe=not unsafe, requires=sorted(d.finding.key for d in dependents))

    def _hold(self, dependents: List[Candidate], pin: Candidate) -> None:
        """The pin stays on v2: a role path on its base rewritten alone would ask v2 for a v3.1
        path (a 404), so those paths stay too."""
        where = f"{pin.finding.path}:{pin.finding.span.line}"
        for dependent in dependents:
            if self.fix.pop(dependent, None) is not None:
                self.note[dependent] = (
                    f"not rewritten: its base URL stays on v2 ({where}, see there why); "
                    "the v3.1 path on a v2 base would not exist"
                )

    def _blockers(self, literal, endpoint_fix) -> Tuple[List[str], bool, List[Candidate]]:
        """Call sites that join a v2 role path to this version literal and will not be
        rewritten, whether some will be rewritten only by unsafe fixes, and the endpoint
        findings on this base that will be rewritten (they move with the pin or not at all)."""
        blockers: List[str] = []
        dependents: Dict[Candidate, Candidate] = {}
        unsafe = False
        if self._by_literal is None:
            self._by_literal = {}
            for evaluation in self.evaluations:
                nodes = {p.source.node for p in evaluation.template.parts if getattr(p, "source", None) is not None}
                for node in nodes:
                    self._by_literal.setdefault(node, []).append(evaluation)
        for evaluation in self._by_literal.get(literal, ()):
            template = evaluation.template
            analysis = evaluation.analysis
            endpoint = analysis.endpoint
            where = _Where(evaluation)
            use = evaluation.root.use
            if use is RootUse.MESSAGE:
                continue  # a log or error message requests nothing
            if use is not RootUse.URL:
                if endpoint is not None and endpoint.changed:
                    blockers.append(f"{where} keeps a v2 path in a {use.value}")
                continue
            if endpoint is not None and endpoint.v2 == "/me" and self.identity:
                blockers.extend(self.identity)  # v3.1 /me says type "user": the login code must change first
            elif endpoint is not None and endpoint.changed:
                anchor = analysis.segment_spans[endpoint.anchor]
                located = locate(template, anchor[0], analysis.segment_spans[-1][1], self.resolver)
                found, fix = (
                    endpoint_fix.get((located[0].module.display, located[1]), (None, None)) if located else (None, None)
                )
                if fix is None:
                    blockers.append(
                        f"{where} picks its path at run time ({evaluation.variant})"
                        if evaluation.variant
                        else str(where)
                    )
                else:
                    dependents[found] = found
                    unsafe = unsafe or not fix.safe
            elif endpoint is None and analysis.path_start < len(template.flat):
                part, _ = template.part_at(analysis.path_start)
                if isinstance(part, Hole) and part.param is None:
                    blockers.append(f"{where} computes its path at run time")
        # one reason per place: a path picked among known values says more than "computes"
        by_place: Dict[str, str] = {}
        for blocker in blockers:
            place = blocker.split(" ", 1)[0]
            if place not in by_place or _blocker_rank(blocker) > _blocker_rank(by_place[place]):
                by_place[place] = blocker
        return sorted(set(by_place.values()), key=place_order), unsafe, list(dependents.values())
