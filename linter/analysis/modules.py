"""The analysis of the parsed modules of one run: resolve every root string, follow joiners
(functions that put a parameter after a Clever base), run the URL and node rules, then let the
fix planner decide the fixes run-wide. Imported only when a run has Python files to parse (it
pulls in LibCST, which costs most of the start-up time)."""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst

from linter import catalog
from linter.analysis.evidence import ModuleEvidence, Vendor
from linter.analysis.world import ProjectWorld
from linter.evaluate.evaluation import Evaluation
from linter.evaluate.flow import returned_role, returns_v3_users
from linter.evaluate.joiners import Joiners, flat_offset
from linter.evaluate.locate import locate
from linter.evaluate.resolve import Resolver
from linter.evaluate.sdk import v2_sdk
from linter.evaluate.template import Hole, Template
from linter.evaluate.urls import HostKind, UrlAnalysis, analyze
from linter.evaluate.variants import expand, replaced
from linter.fix.plan import Candidate, Planner
from linter.model import Confidence, EndpointUse, Finding, Options, Span
from linter.rules.context import ModuleContext, Origin, spoken_for, walk_together
from linter.rules.endpoints import (
    ENDPOINT_RULE_OF,
    ENDPOINT_RULES,
    VERSION_PIN,
    confidence,
    url_findings,
    version_message,
)
from linter.rules.files import ANALYSIS_ERROR
from linter.rules.identity import ROLE_DISPATCH, listed_places, role_dispatch_message, role_dispatches
from linter.source.prefilter import MAX_CALLEES
from linter.syntax.module import ModuleInfo, deep
from linter.syntax.project import Project
from linter.syntax.scope import Root, RootUse, callee_name


class ModuleAnalysis:
    """Resolves every root string of the checked modules and turns them into findings."""

    def __init__(
        self,
        project: Project,
        modules: List[ModuleInfo],
        options: Options,
        name_counts=None,
        unparsed: Optional[List[Tuple[str, bytes]]] = None,
        recorded: Optional[List[str]] = None,
    ):
        self.project = project
        self.recorded = recorded or []  # path:line of v2 URLs in recorded responses (cassettes, fixtures)
        self.unparsed = unparsed or []  # (display, bytes) of the run's Python files that did not parse
        self.floor: List[Candidate] = []  # the floor's role words, once the findings are made
        self.local_evidence: Dict[ModuleInfo, ModuleEvidence] = {}  # without their imports
        self._checked_paths = {m.path.resolve() for m in modules}
        self.name_counts = name_counts  # function name -> definitions in the whole run (from the text)
        self.modules = modules
        self.options = options
        self.resolver = Resolver(project)
        self.checked: Set[ModuleInfo] = set(modules)  # imported modules are read, not reported on
        self.evaluations: List[Evaluation] = []
        self.by_node: Dict[cst.CSTNode, Evaluation] = {}  # root node -> its evaluation
        self.clever_module: Dict[ModuleInfo, bool] = {}
        self.foreign_module: Dict[ModuleInfo, bool] = {}
        self.evidence: Dict[ModuleInfo, ModuleEvidence] = {}
        self.failed: Dict[ModuleInfo, Finding] = {}
        self._function_index: Optional[Dict[str, list]] = None
        self.uses: Dict[tuple, EndpointUse] = {}
        self._origin_kinds: Optional[FrozenSet[Origin]] = None
        self._planned: List[Finding] = []
        self.seconds: Dict[str, float] = {}  # a module's display path -> seconds of its steps (--verbose)
        self.joiners = Joiners(project, self.resolver, self._analyze, self.by_node.get, self._joined)
        # a client made with a base the analysis cannot read, from code that is Clever's
        self.joiners.clever_base = lambda template: self._base_vendor(template) is Vendor.CLEVER

    def _analyze(self, template: Template) -> UrlAnalysis:
        return analyze(template, self.options.clever_hosts)

    def _joined(self, evaluation: Evaluation) -> None:
        """A URL a joiner's call makes: one more evaluation, with its variants."""
        self.evaluations.append(evaluation)
        self._add_variants(evaluation)

    def findings(self) -> List[Finding]:
        for module in self.modules:
            self._guarded(module, self._evaluate, module)
        for module in self._base_class_modules():
            self._guarded(module, self._evaluate, module)  # read for their helpers, not reported on
        for evaluation in list(self.evaluations):
            if evaluation.variant:
                continue
            if _builds_versioned_urls(evaluation.analysis) and self._is_clever_module(evaluation.module):
                self._guarded(evaluation.module, self.joiners.register, evaluation)
            elif _self_prefixed(evaluation.root, evaluation.template):
                # `self.base_url + path` in a base class: each subclass may set its own base
                self._guarded(evaluation.module, self.joiners.register, evaluation)
            elif _unknown_base_then_parameter(evaluation.template) and Vendor.CLEVER in (
                self._evidence(evaluation.module).nearest(evaluation.root.scope),
                self._base_vendor(evaluation.template),
            ):
                # `f"{settings['base']}/{kind}"` in Clever's code: a base the analysis cannot read,
                # a path from the caller; each call's path is judged for what it says
                self._guarded(evaluation.module, self.joiners.register, evaluation)
        for module in self.modules:  # first: a client's path may end in a parameter (a joiner)
            self._guarded(module, self.joiners.follow_clients, module)
        self.joiners.propagate(self.modules)
        for module in self.modules:
            self._guarded(module, self.joiners.follow_helpers, module)
        candidates: List[Candidate] = []
        for evaluation in self.evaluations:
            if evaluation.module not in self.failed:
                candidates.extend(self._guarded(evaluation.module, self._candidates, evaluation) or ())
        for module in self.modules:
            candidates.extend(self._guarded(module, self._node_findings, module) or ())
        kept = _deduplicate(_below_the_floor(candidates))
        # the role words the analysis reports but cannot follow: each may be joined to a base
        # of its module or of one it imports (the closed world holds those bases' pins)
        self.floor = [c for c in kept if c.held is FLOOR_HELD and c.finding.v2 and not c.finding.v2.startswith("/v")]
        kept.extend(self._guarded_dispatches(kept))
        world = ProjectWorld(self, self.unparsed)
        planner = Planner(kept, self.evaluations, self.resolver, self.options.target_version, world)
        try:
            planned = planner.plan()
        except Exception as exc:  # noqa: BLE001 - a bug in planning costs the fixes, not the report
            note = f"not rewritten: internal error while planning fixes ({type(exc).__name__})"
            planned = [dataclasses.replace(c.finding, note=note) for c in kept]
        self._planned = planned
        return planned + list(self.failed.values())

    def _guarded_dispatches(self, kept: List[Candidate]) -> List[Candidate]:
        try:
            return self._role_dispatches(kept)
        except Exception:  # noqa: BLE001 - a bug here costs this finding, not the report
            return []

    def _role_dispatches(self, kept: List[Candidate]) -> List[Candidate]:
        """Role endpoints of one function that become the same v3.1 call (a fallback, a call per
        role): one CLV602 finding naming each call, and none of them is rewritten."""
        calls = [
            c
            for c in kept
            if c.finding.code in ENDPOINT_RULES and c.evaluation is not None and c.finding.v3 is not None
        ]
        # the function and the IDs in the path: two records of different people (a student's
        # and a teacher's) are two calls in v3.1 too, not a fallback
        items = [
            (
                _dispatch_key(c.evaluation),
                _unversioned(c.finding.v2),
                _unversioned(c.finding.v3),
            )
            for c in calls
        ]
        out: List[Candidate] = []
        for group in role_dispatches(items):
            members = sorted((calls[i] for i in group), key=lambda c: (c.finding.path, c.finding.span.line))
            places = [(m.finding.v2, m.finding.span.line) for m in members]
            v3 = members[0].finding.v3
            first = members[0].finding
            for member in members:
                others = listed_places([p for p in places if p != (member.finding.v2, member.finding.span.line)])
                member.held = (
                    f"this function also calls {others}, which becomes the same v3.1 call ({v3}): "
                    "a role fallback or per-role calls, see CLV602"
                )
            level = min((m.finding.confidence for m in members), key=lambda c: c.rank)
            finding = ROLE_DISPATCH.finding(first.path, first.span, role_dispatch_message(v3, places), level, v3=v3)
            out.append(Candidate(finding, False, module=members[0].evaluation.module))
        return out

    def endpoint_uses(self) -> List[EndpointUse]:
        """The inventory: every call of a catalog endpoint, fixable where a fix of this run
        rewrites its path (an endpoint finding with a fix on the same line, for the same
        endpoint). Call after findings()."""
        fixed = {
            (f.path, f.span.line, _unversioned(f.v2))
            for f in self._planned
            if f.fix is not None and f.code in ENDPOINT_RULES
        }
        uses = [
            dataclasses.replace(use, fixable=(use.path, use.span.line, use.endpoint) in fixed)
            for use in self.uses.values()
        ]
        return sorted(uses, key=lambda u: (u.path, u.span.line, u.span.column, u.endpoint))

    def _origins(self) -> FrozenSet[Origin]:
        """Which data-flow origins exist in the checked project (see ModuleContext.origins)."""
        if self._origin_kinds is None:
            kinds = set()
            for evaluation in self.evaluations:
                endpoint = evaluation.analysis.endpoint
                if endpoint is not None:
                    if endpoint.v2 == "/me":
                        kinds.add(Origin.ME)
                    elif returned_role(endpoint) is not None:
                        kinds.add(Origin.USER)
                elif returns_v3_users(evaluation.analysis):
                    kinds.add(Origin.USER)  # v3 records: v2 fields read from them are reported too
            if any(v2_sdk(module, self.project) is not None for module in self.modules):
                kinds.add(Origin.SDK)
            self._origin_kinds = frozenset(kinds)
        return self._origin_kinds

    def _functions(self) -> Dict[str, list]:
        """Every function and method of the checked modules, by name (built once)."""
        if self._function_index is None:
            index: Dict[str, list] = {}
            pending = [m.scope for m in self.modules]
            while pending:
                scope = pending.pop()
                for name, function in scope.functions.items():
                    index.setdefault(name, []).append(function)
                pending.extend(scope.functions.values())
                pending.extend(scope.classes.values())
            if self.name_counts is not None:
                # the flow's "defined in too many places" cut counts every file of the run,
                # parsed or not, so that the prefilter does not change what it follows
                index = {
                    name: found
                    for name, found in index.items()
                    if self.name_counts.get(name, len(found)) <= MAX_CALLEES
                }
            self._function_index = index
        return self._function_index

    def _defines(self, name: str) -> bool:
        """Whether a function of the project is called `name` (however many are)."""
        return name in self._functions() or (self.name_counts is not None and name in self.name_counts)

    def _node_findings(self, module: ModuleInfo) -> List[Candidate]:
        from linter.rules.registry import NODE_CHECKS

        context = ModuleContext(
            module,
            self.resolver,
            self.by_node.get,
            self._is_clever_module,
            self._functions(),
            self._origins(),
        )
        out = []
        checks = [(make(context), finish) for applies, make, finish in NODE_CHECKS if applies(context)]
        walkers = [visitor for visitor, _ in checks if visitor is not None]
        if walkers:
            deep(walk_together, module, walkers)
        for visitor, finish in checks:
            for found in deep(finish, context, visitor):
                position = module.position(found.node)
                span = Span(position.start.line, position.start.column + 1, position.end.line, position.end.column + 1)
                finding = found.rule.finding(
                    module.display,
                    span,
                    found.message,
                    found.confidence,
                    severity=found.severity,
                    v2=found.v2,
                    v3=found.v3,
                )
                out.append(Candidate(finding, False, node=found.node, module=module, rewrite=found.rewrite))
        return out

    def _guarded(self, module: ModuleInfo, step, argument):
        """Run one step for one module; a bug of ours costs that module, not the run."""
        if module in self.failed:
            return None
        started = time.perf_counter()
        try:
            return step(argument)
        except Exception as exc:  # noqa: BLE001 - reported as a finding, never a traceback
            detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            self.failed[module] = ANALYSIS_ERROR.finding(
                module.display,
                Span(1, 1, 1, 1),
                f"internal error while analysing this file ({detail}); it was not fully checked, please report it",
                Confidence.HIGH,
            )
            return None
        finally:
            self.seconds[module.display] = self.seconds.get(module.display, 0.0) + time.perf_counter() - started

    def _evaluate(self, module: ModuleInfo) -> None:
        clever = foreign = False
        for root in module.roots:
            template = self.resolver.resolve(root.node, root.scope)
            if not template.has_literal and not _self_prefixed(root, template):
                continue
            analysis = self._analyze(template)
            evaluation = Evaluation(module, root, template, analysis)
            self.evaluations.append(evaluation)
            self.by_node[root.node] = evaluation
            self._add_variants(evaluation)
            clever = clever or analysis.is_clever_host
            foreign = foreign or analysis.host_kind is HostKind.OTHER
            if analysis.is_clever_host:
                self.joiners.register(evaluation)
        self._add_swaps(module)
        if clever:
            self.clever_module[module] = True
        self.foreign_module[module] = foreign

    def _add_swaps(self, module: ModuleInfo) -> None:
        """`url.replace(user_filter, "students")` makes a URL of its own, whatever the code does
        with it next: one evaluation for each value swapped in that names an endpoint (the swapped-in
        literal holds the segment, so the finding is where the role word is written)."""
        for call in module.calls:
            if call.callee != "replace" or call.receiver is None or len(call.node.args) < 2:
                continue
            found = replaced(self.resolver, call.node, call.scope)
            if not found:
                continue
            root = Root(call.node, call.scope, False)
            chooser = module.code_of(call.node)
            for composed in found:
                analysis = self._analyze(composed)
                if analysis.endpoint is not None and (analysis.host or analysis.version):
                    self.evaluations.append(Evaluation(module, root, composed, analysis, False, chooser))

    def _evidence(self, module: ModuleInfo) -> ModuleEvidence:
        """Which vendor each scope of the module talks to (linter.analysis.evidence), read once."""
        found = self.evidence.get(module)
        if found is None:
            found = self.evidence[module] = ModuleEvidence(
                module, self._host_of, lambda node: self._imported_vendor(node, module)
            )
        return found

    def _host_of(self, node: cst.CSTNode) -> Optional[HostKind]:
        """The host kind of a root string's URL, for the evidence."""
        evaluation = self.by_node.get(node)
        return evaluation.analysis.host_kind if evaluation is not None else None

    def _imported_vendor(self, node: cst.CSTNode, module: ModuleInfo) -> Optional[Vendor]:
        """The vendor of what `from x import name` brings in, or of what `settings.name` reads
        of an imported module: a project function or class by the evidence around its own
        code, a constant by the host of its URL. (A whole module imported says nothing: a
        settings module is every vendor's.)"""
        if isinstance(node, cst.Attribute):
            head = node.value
            if not isinstance(head, cst.Name) or head.value not in module.scope.imports:
                return None
            if not self._checked_import(module, module.scope.imports[head.value], submodule=True):
                return None
            owner_module = self.resolver.module_named(head.value, module.scope)
            if owner_module is None:
                return None
            found: Optional[Tuple[ModuleInfo, str]] = (owner_module, node.attr.value)
        else:
            assert isinstance(node, cst.ImportAlias)
            local = node.asname.name if node.asname is not None else node.name
            if not isinstance(local, cst.Name) or local.value not in module.scope.imports:
                return None
            if not self._checked_import(module, module.scope.imports[local.value], submodule=False):
                return None
            found = self.resolver.imported(local.value, module.scope)
        if found is None:
            return None
        owner, name = found
        if owner.module is None or owner not in self.checked:
            return None
        inner = owner.scope.functions.get(name) or owner.scope.classes.get(name)
        if inner is not None:
            return self._local_evidence(owner).nearest(inner)
        values = owner.scope.assigns.get(name) or []
        if len(values) == 1 and values[0] is not None:
            # BASE_URL = os.environ.get("X", "https://api.clever.com/v2.1"): what it resolves to
            template = self.resolver.resolve(values[0][0], values[0][1])
            if template.has_literal and self._analyze(template).host_kind is HostKind.CLEVER:
                return Vendor.CLEVER
            value = values[0][0]
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
                made = owner.scope.classes.get(value.func.value)  # settings = CleverSettings()
                if made is not None:
                    return self._local_evidence(owner).nearest(made)
        return None

    def _checked_import(self, module: ModuleInfo, ref, submodule: bool) -> bool:
        """Whether an import names a module of this run (found by path, nothing parsed for it:
        reading evidence through imports must not parse the project's whole import graph)."""
        dotted = ref.module
        if submodule and ref.name:
            dotted = f"{ref.module}.{ref.name}" if ref.module else ref.name
        path = self.project.locate(module.path, dotted, ref.level)
        if path is None and not submodule and ref.name:  # `from pkg import module` names a module
            return False
        return path is not None and path.resolve() in self._checked_paths

    def _local_evidence(self, module: ModuleInfo) -> ModuleEvidence:
        """The module's own evidence (its names, strings and hosts), without what it imports:
        what another module's import of it reads (one level, never a chain through the graph)."""
        found = self.local_evidence.get(module)
        if found is None:
            found = self.local_evidence[module] = ModuleEvidence(module, self._host_of)
        return found

    def _is_clever_module(self, module: ModuleInfo) -> bool:
        """Whether the module uses a Clever base URL (computed only when a finding needs it:
        following every import of every module would load half the project)."""
        if module not in self.clever_module:
            self.clever_module[module] = self._imports_clever_url(module)
        return self.clever_module[module]

    def _imports_clever_url(self, module: ModuleInfo) -> bool:
        for name, ref in module.scope.imports.items():
            if ref.name is None:
                continue
            template = self.resolver.resolve_name(name, module.scope)
            if template.has_literal and self._analyze(template).is_clever_host:
                return True
        return False

    def _base_class_modules(self) -> List[ModuleInfo]:
        """The project modules that define base classes of the checked modules' classes
        (`class CleverConnector(RosterConnector)`): a helper there (`self.get(path)` joining
        `self.base_url`) joins each subclass's own base."""
        seen = set(self.modules)
        out: List[ModuleInfo] = []
        for module in self.modules:
            for cls in module.scope.classes.values():
                for base in self.resolver.bases(cls):
                    if base.module not in seen:
                        seen.add(base.module)
                        out.append(base.module)
        return out

    def _add_variants(self, evaluation: Evaluation) -> None:
        """For the first hole of the template whose expression takes a finite set of values
        written in the code (linter.evaluate.variants), one evaluation per value that names an
        endpoint: `"/" + SEGMENT_BY_ROLE[role]` is `/students`, `/teachers`, ..."""
        expanded = expand(self.resolver, evaluation.template)
        if expanded is None:
            return
        chooser, values = expanded
        for composed in values:
            analysis = self._analyze(composed)
            if analysis.endpoint is not None:
                self.evaluations.append(
                    Evaluation(evaluation.module, evaluation.root, composed, analysis, evaluation.via_joiner, chooser)
                )

    def _floor(self, evaluation: Evaluation) -> List[Candidate]:
        """The literal floor (docs/confidence.md): a string literal that by itself shows a v2
        construct where the code around it talks to Clever is reported at medium, however the
        analysis lost its use (handed to a wrapper it does not know, registered by a decorator,
        kept in an enum): a bare role segment (`"students"`) or a v1/v2 version (`"/v2.0"`) that
        is not a key, a comparison or a message. Never rewritten: its use is not known."""
        template = evaluation.template
        if evaluation.variant or evaluation.via_joiner or evaluation.root.use is not RootUse.URL:
            return []
        if not _single_literal(template) or len(template.flat) > 40:
            return []
        text = template.flat
        version = _VERSION_ONLY.fullmatch(text)
        # a template string's own base placeholder ("{base}/contacts", "$base/contacts")
        word = _PLACEHOLDER.sub("", text, count=1).strip("/")
        found = catalog.match_path(word) if version is None and word.isidentifier() else None
        endpoint = found[0] if found is not None and found[1].group(0) == word else None
        if version is None and (endpoint is None or not endpoint.changed or endpoint.role is None):
            return []
        if version is not None and version.group(1) not in catalog.V2_VERSIONS:
            return []
        if endpoint is not None and id(evaluation.root.node) in _parameter_values(evaluation.module):
            return []  # `record_type="students"`, `{"role": "teachers"}`: a parameter's value, not a path
        call = evaluation.root.call
        if endpoint is not None and call is not None and self._defines(callee_name(call.func)[0]):
            if id(call) not in _decorator_calls(evaluation.module):
                return []  # a filter handed to a function of the project, whose own code is read where it uses it
        if self._evidence(evaluation.module).nearest(evaluation.root.scope) is not Vendor.CLEVER:
            return []
        located = locate(template, 0, len(text), self.resolver)
        if located is None or located[0].module not in self.checked:
            return []
        source, span = located
        if version is not None:
            rule, v2, v3 = VERSION_PIN, f"/{version.group(1)}", f"/{self.options.target_version}"
            message = version_message(version.group(1), text, self.options.target_version)
        else:
            rule = ENDPOINT_RULE_OF[endpoint.kind]
            v2, v3 = endpoint.v2, endpoint.v3
            message = f"v2 role segment {text!r} in code that talks to Clever: v3.1 serves it as {v3}"
        finding = rule.finding(source.module.display, span, message, Confidence.MEDIUM, v2=v2, v3=v3)
        candidate = Candidate(finding, True, evaluation)
        candidate.held = FLOOR_HELD
        return [candidate]

    def _base_vendor(self, template: Template) -> Optional[Vendor]:
        """The vendor of the code an unknown base comes from (`load_config()["base_url"]`,
        `settings.client.base`): the evidence around the project function or class its
        expression names, in the module that defines it."""
        first = template.parts[0] if template.parts else None
        origin = first.origin if isinstance(first, Hole) else None
        if origin is None:
            return None
        head, scope = origin
        attributes: List[str] = []  # the names read off the head, innermost first
        while isinstance(head, (cst.Call, cst.Attribute, cst.Subscript)):
            if isinstance(head, cst.Attribute):
                attributes.append(head.attr.value)
            head = head.func if isinstance(head, cst.Call) else head.value
        if not isinstance(head, cst.Name):
            return None
        bound = self.resolver.module_named(head.value, scope)
        if bound is not None and attributes:
            module, name = bound, attributes[-1]  # `import settings` / `from . import settings`, then settings.load()
        else:
            found = self.resolver.imported(head.value, scope)
            if found is None:
                return None
            module, name = found
        if module.module is None:
            return None
        inner = module.scope.functions.get(name) or module.scope.classes.get(name) or module.scope
        return self._evidence(module).nearest(inner)

    def _record_use(self, evaluation: Evaluation, level: Confidence) -> None:
        analysis = evaluation.analysis
        start, end = analysis.segment_spans[0]
        located = locate(evaluation.template, start, end, self.resolver)
        if located is None or located[0].module not in self.checked:
            return
        use = EndpointUse(located[0].module.display, located[1], analysis.endpoint.v2, level)
        key = (use.path, use.span, use.endpoint)
        current = self.uses.get(key)
        if current is None or current.confidence.rank < level.rank:
            self.uses[key] = use

    def _candidates(self, evaluation: Evaluation) -> List[Candidate]:
        analysis = evaluation.analysis
        needs_context = (
            (analysis.endpoint is not None or analysis.v3_only_span is not None or _builds_versioned_urls(analysis))
            and not analysis.host
            and not evaluation.via_joiner
        )
        vendor = self._evidence(evaluation.module).nearest(evaluation.root.scope) if needs_context else None
        if vendor is None and needs_context and analysis.leading_hole:
            vendor = self._base_vendor(evaluation.template)
        if vendor is Vendor.OTHER and analysis.version is None:
            return []  # a role-shaped path in code that talks to another vendor
        level = confidence(
            analysis,
            vendor is Vendor.CLEVER or (vendor is None and needs_context and self._is_clever_module(evaluation.module)),
            vendor is Vendor.OTHER or self.foreign_module.get(evaluation.module, False),
            evaluation.via_joiner,
        )
        if level is None:
            return self._floor(evaluation)
        if needs_context and evaluation.root.node in self.joiners.joined:
            return []  # handed to a helper: the base it is joined to decides (its joined evaluation)
        standalone = evaluation.root.assigned and _single_literal(evaluation.template)
        if analysis.endpoint is not None:
            self._record_use(evaluation, level)
        out = []
        for found in url_findings(evaluation.analysis, self.options.target_version):
            located = locate(evaluation.template, found.start, found.end, self.resolver)
            if located is None:
                continue
            source, span = located
            if source.module not in self.checked:
                continue
            finding = found.rule.finding(
                source.module.display, span, found.message, level, severity=found.severity, v2=found.v2, v3=found.v3
            )
            candidate = Candidate(finding, standalone, evaluation, found)
            if evaluation.variant:
                candidate.held = (
                    f"the path is chosen at run time ({evaluation.variant}), one of several values; "
                    "in v3.1 one /users path takes the role as a query parameter: rewrite the choice by hand"
                )
            out.append(candidate)
        return out


_VERSION_ONLY = re.compile(r"/?(v\d+\.\d+)/?")
_PLACEHOLDER = re.compile(r"^(\{\w*\}|\$\{?\w+\}?|%\(\w+\)s|%s)(?=/)")


FLOOR_HELD = (
    "the analysis cannot see how this literal is used (it is reported for what it says); "
    "change it by hand together with the code that uses it"
)


def _below_the_floor(candidates: List[Candidate]) -> List[Candidate]:
    """A floor finding only where nothing else is said of the same literal (a record_type value
    the events rules report, a role path a joiner composed): no other finding overlaps it, and
    no node rule's finding is made of it (linter.rules.context.speak_for)."""
    said: Dict[Tuple[str, int], List[Tuple[int, int]]] = {}
    for c in candidates:
        if c.held is not FLOOR_HELD:
            span = c.finding.span
            for line in range(span.line, span.end_line + 1):
                start = span.column if line == span.line else 0
                end = span.end_column if line == span.end_line else 1 << 30
                said.setdefault((c.finding.path, line), []).append((start, end))

    def covered(c: Candidate) -> bool:
        span = c.finding.span
        ranges = said.get((c.finding.path, span.line), ())
        return any(start < span.end_column and span.column < end for start, end in ranges)

    def spoken(c: Candidate) -> bool:
        evaluation = c.evaluation
        return evaluation is not None and id(evaluation.root.node) in spoken_for(evaluation.module)

    return [c for c in candidates if c.held is not FLOOR_HELD or not (covered(c) or spoken(c))]


def _decorator_calls(module: ModuleInfo) -> Set[int]:
    """The ids of the calls that are decorators (`@register("/students")`): a declaration, not a
    filter handed to a function."""
    found = module.derived.get("decorator_calls")
    if found is None:
        nodes = module.order.nodes if module.order is not None else []
        found = module.derived["decorator_calls"] = {
            id(n.decorator) for n in nodes if isinstance(n, cst.Decorator) and isinstance(n.decorator, cst.Call)
        }
    return found  # type: ignore[return-value]


def _parameter_values(module: ModuleInfo) -> Set[int]:
    """The ids of the values of dict entries and keyword arguments: named parameters' values."""
    found = module.derived.get("parameter_values")
    if found is None:
        nodes = module.order.nodes if module.order is not None else []
        found = module.derived["parameter_values"] = {
            id(n.value)
            for n in nodes
            if isinstance(n, cst.DictElement) or (isinstance(n, cst.Arg) and n.keyword is not None)
        }
    return found  # type: ignore[return-value]


def _single_literal(template: Template) -> bool:
    nodes = {id(p.source.node) for p in template.parts if getattr(p, "source", None) is not None}
    return len(nodes) == 1 and template.is_fully_literal


def _self_prefixed(root, template: Template) -> bool:
    """A method's string that starts with an attribute of `self` (`self.base_url + path`,
    `f"{self.base}/{path}"`) and holds a parameter: a helper whose base a subclass may set."""
    method = root.scope.enclosing_method()
    if method is None or not any(isinstance(p, Hole) and p.param is not None for p in template.parts):
        return False
    node = root.node
    while isinstance(node, cst.BinaryOperation):
        node = node.left
    if isinstance(node, cst.FormattedString) and node.parts:
        first = node.parts[0]
        node = first.expression if isinstance(first, cst.FormattedStringExpression) else None
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == method.self_name


def _dispatch_key(evaluation: Evaluation):
    """(function, IDs in the path), or None outside a function."""
    function = evaluation.root.scope.enclosing_function()
    return (function, _path_ids(evaluation)) if function is not None else None


def _path_ids(evaluation: Evaluation) -> Tuple[str, ...]:
    """The expressions that fill the path's holes (`uid`, `teacher["id"]`), as written."""
    analysis = evaluation.analysis
    template = evaluation.template
    out = []
    for index, part in enumerate(template.parts):
        if isinstance(part, Hole) and flat_offset(template, index) >= analysis.path_start:
            origin = part.origin
            out.append(evaluation.module.code_of(origin[0]) if origin is not None else part.label)
    return tuple(out)


def _unversioned(path: Optional[str]) -> Optional[str]:
    if path is None:
        return None
    parts = path.split("/", 2)
    if len(parts) > 2 and parts[1].startswith("v") and "." in parts[1]:
        return "/" + parts[2]
    return path


def _deduplicate(candidates: List[Candidate]) -> List[Candidate]:
    """One finding per construct. The same literal is reached from its definition and from
    each use: keep the most informed reading (higher confidence, then a use over the bare
    definition, then the version a base gives), but keep genuinely different endpoints apart."""
    best: Dict[tuple, Candidate] = {}
    for candidate in candidates:
        f = candidate.finding
        key = (f.path, f.span, f.code, _unversioned(f.v2))
        rank = (f.confidence.rank, not candidate.standalone, f.v2 != _unversioned(f.v2))
        current = best.get(key)
        if current is None:
            best[key] = candidate
            continue
        g = current.finding
        current_rank = (g.confidence.rank, not current.standalone, g.v2 != _unversioned(g.v2))
        if rank > current_rank:
            best[key] = candidate
    used_spans = {(c.finding.path, c.finding.span) for c in best.values() if not c.standalone}
    return [c for c in best.values() if not c.standalone or (c.finding.path, c.finding.span) not in used_spans]


def _unknown_base_then_parameter(template: Template) -> bool:
    """`<unknown base> "/" <parameter>`: a value the analysis cannot read, a literal slash, then
    a parameter of the function (the path its callers give)."""
    parts = template.parts
    if len(parts) < 3 or not isinstance(parts[0], Hole) or parts[0].param is not None:
        return False
    middle = parts[1]
    return (
        not isinstance(middle, Hole)
        and middle.text.endswith("/")
        and isinstance(parts[2], Hole)
        and parts[2].param is not None
    )


def _builds_versioned_urls(analysis: UrlAnalysis) -> bool:
    """`base + "/v2.0" + path` with a base the analysis cannot know: a URL builder that puts a
    v1/v2 version between an unknown host and the path (a pin, in a module that talks to
    Clever)."""
    return analysis.leading_hole and analysis.old_version and analysis.endpoint is None and not analysis.host
