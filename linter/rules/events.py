"""Events (checklist step 4): v2 record_type filters, v2 event types in dispatch code, and the
v2 SDK's event model classes. In v3.1 every user event is users.*; the role is read from
data.object.roles."""

from __future__ import annotations

import functools
import re
from typing import List, Optional, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.flow import reads
from linter.model import Confidence, Severity
from linter.rules.base import Rule, register
from linter.rules.context import (
    ModuleContext,
    NodeFinding,
    ScopedVisitor,
    string_elements,
)

RECORD_TYPE = register(
    Rule(
        code="CLV401",
        name="v2-record-type",
        step=4,
        severity=Severity.ERROR,
        summary=(
            "An events request filtered with a v2 record_type (students, teachers, schooladmins, "
            "districtadmins, contacts)."
        ),
        rationale=(
            "The v3.1 Events API no longer filters by user type: every user event has "
            "record_type users, and the application must pick the roles it wants from "
            "data.object.roles. A v2 value matches no v3 event, so the feed silently goes quiet."
        ),
        invalid='requests.get(EVENTS_URL, params={"record_type": ["students", "sections"]})\n',
        valid='requests.get(EVENTS_URL, params={"record_type": ["users", "sections"]})\n',
        fix="unsafe",
    )
)
EVENT_TYPE = register(
    Rule(
        code="CLV402",
        name="v2-event-type",
        step=4,
        severity=Severity.ERROR,
        summary="Code that dispatches on a v2 user event type (students.created, teachers.updated, ...).",
        rationale=(
            "v3.1 sends users.created, users.updated and users.deleted for every person; a "
            "comparison with students.created never matches again. Test the event type and the "
            'role: "student" in event["data"]["object"]["roles"].'
        ),
        invalid=(
            'for event in client.get("/events")["data"]:\n    if event["data"]["type"] == "students.created":\n'
            '        create_student(event["data"]["data"]["object"])\n'
        ),
        valid=(
            'for event in client.get("/events")["data"]:\n'
            '    if event["data"]["type"] == "users.created" and "student" in '
            'event["data"]["data"]["object"]["roles"]:\n        create_student(event["data"]["data"]["object"])\n'
        ),
        # the rewritten test is parenthesized, so that it stays one expression wherever it stands
        fixed=(
            'for event in client.get("/events")["data"]:\n'
            '    if (event["data"]["type"] == "users.created" and "student" in '
            'event["data"]["data"]["object"]["roles"]):\n        create_student(event["data"]["data"]["object"])\n'
        ),
        fix="unsafe",
        traits=frozenset({"event-dispatch"}),
    )
)
EVENT_CLASS = register(
    Rule(
        code="CLV403",
        name="v2-sdk-event-class",
        step=4,
        severity=Severity.ERROR,
        summary="The v2 SDK's event model classes (StudentsCreated, TeachersUpdated, ...) in type checks.",
        rationale=(
            "The clever-python SDK builds a model class from the event type; v3 events are "
            "UsersCreated/UsersUpdated/UsersDeleted, so an isinstance check on StudentsCreated "
            "never matches a v3 event."
        ),
        invalid="import clever\nif isinstance(event.data, clever.StudentsCreated):\n    handle(event)\n",
        valid='if event.type == "users.created":\n    handle(event)\n',
        traits=frozenset({"event-dispatch"}),
    )
)

_QUERY_RECORD_TYPE = re.compile(r"(?:^|[?&])record_type=([^&#]*)")


def role_test(role: str) -> str:
    return f'"{role}" in event["data"]["object"]["roles"]'


def record_type_message(value: str) -> str:
    return (
        f"v2 record_type {value!r}: v3.1 has record_type=users for every user event; "
        f"filter by role in data.object.roles instead (e.g. {role_test(catalog.events().resources[value])})"
    )


def query_record_types(flat: str) -> List[tuple]:
    """(start, end, value) of v2 record_type values in the query string of a flat URL."""
    vocabulary = catalog.events()
    found = []
    query = flat.find("?")
    if query == -1:
        return found
    for match in _QUERY_RECORD_TYPE.finditer(flat, query):
        value = match.group(1)
        if value in vocabulary.record_types:
            found.append((match.start(1), match.end(1), value))
    return found


class _EventVisitor(ScopedVisitor):
    def __init__(self, context: ModuleContext):
        super().__init__(context)
        self.vocabulary = catalog.events()
        self.types: List[tuple] = []  # (node, value, rewrite or None) of event types in dispatch positions
        self.record_types: List[tuple] = []  # (node, value)
        self.classes: List[tuple] = []  # (node, name)

    # -- record_type ------------------------------------------------------------------------
    def _record_type_values(self, value: cst.BaseExpression) -> None:
        if isinstance(value, (cst.Name, cst.Attribute)):
            bound = self.context.resolver.binding_of(value, self.scope)
            if bound is not None and isinstance(bound[0], (cst.List, cst.Tuple, cst.Set)):
                if bound[1].module is self.context.module:
                    value = bound[0]  # WATCHED = ["students", ...]; params = {"record_type": WATCHED}
        for element in string_elements(value):
            found = self._string_here(element)
            if found is not None and found[1] in self.vocabulary.record_types:
                self.record_types.append(found)

    def _string_here(self, node: cst.BaseExpression):
        """(literal node, value) for a string literal, or a name bound to one in this module."""
        text = self.context.string(node)
        if text is not None:
            return node, text
        if isinstance(node, (cst.Name, cst.Attribute)):
            template = self.context.resolver.resolve(node, self.scope)
            if len(template.parts) == 1 and template.is_fully_literal:
                part = template.parts[0]
                source = part.source
                if source is not None and source.module is self.context.module and source.unit is None:
                    return source.node, part.text
        return None

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = self.context.string(node.key)
        if key == "record_type":
            self._record_type_values(node.value)
        elif key is not None and self.vocabulary.type_pattern.match(key):
            if not isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
                self.types.append((node.key, key, None))  # a dispatch table, not a label table

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "record_type":
            self._record_type_values(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Subscript) and len(target.target.slice) == 1:
                index = target.target.slice[0].slice
                if isinstance(index, cst.Index) and self.context.string(index.value) == "record_type":
                    self._record_type_values(node.value)

    def visit_Tuple(self, node: cst.Tuple) -> None:
        # params=[("record_type", "students"), ...]
        elements = [e.value for e in node.elements]
        if len(elements) == 2 and self.context.string(elements[0]) == "record_type":
            self._record_type_values(elements[1])

    # -- event types ------------------------------------------------------------------------
    def _event_type_operands(self, node: cst.BaseExpression) -> None:
        for element in string_elements(node):
            text = self.context.string(element)
            if text is not None:
                if self.vocabulary.type_pattern.match(text):
                    self.types.append((element, text, None))
                elif text in self.vocabulary.sdk_classes:
                    self.classes.append((element, text))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        operands = [node.left] + [c.comparator for c in node.comparisons]
        operators = (cst.Equal, cst.NotEqual, cst.In, cst.NotIn, cst.Is, cst.IsNot)
        if any(isinstance(c.operator, operators) for c in node.comparisons):
            before = len(self.types)
            for operand in operands:
                self._event_type_operands(operand)
            if len(self.types) == before + 1:
                rewrite = self._comparison_rewrite(node)
                if rewrite is not None:
                    element, value, _ = self.types[-1]
                    self.types[-1] = (element, value, rewrite)

    def _comparison_rewrite(self, node: cst.Comparison) -> Optional[Tuple[cst.CSTNode, str]]:
        """`event["type"] == "students.created"` ->
        `(event["type"] == "users.created" and "student" in event["data"]["object"]["roles"])`;
        only where the event itself is in view (the other side reads its "type")."""
        if len(node.comparisons) != 1 or not isinstance(node.comparisons[0].operator, (cst.Equal, cst.NotEqual)):
            return None
        left, right = node.left, node.comparisons[0].comparator
        literal, other = (right, left) if self.context.string(right) is not None else (left, right)
        value = self.context.string(literal)
        read = reads(other)
        if value is None or read is None or read[1] != "type" or not self.vocabulary.type_pattern.match(value):
            return None
        code = self.context.module.module.code_for_node
        role = self.vocabulary.resources[value.split(".")[0]]
        v3 = self.vocabulary.v3_type(value)
        quote = literal.quote if isinstance(literal, cst.SimpleString) else '"'
        event = code(read[0])
        roles = f"{event}[{quote}data{quote}][{quote}object{quote}][{quote}roles{quote}]"
        if isinstance(node.comparisons[0].operator, cst.Equal):
            text = f"({code(other)} == {quote}{v3}{quote} and {quote}{role}{quote} in {roles})"
        else:
            text = f"({code(other)} != {quote}{v3}{quote} or {quote}{role}{quote} not in {roles})"
        return node, text

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "startswith" and node.args:
            for element in string_elements(node.args[0].value):
                text = self.context.string(element)
                if text is not None and (
                    self.vocabulary.prefix_pattern.match(text) or self.vocabulary.type_pattern.match(text)
                ):
                    self.types.append((element, text, None))
        if isinstance(func, cst.Name) and func.value in ("isinstance", "issubclass") and len(node.args) == 2:
            for element in string_elements(node.args[1].value):
                name = (
                    element.attr.value
                    if isinstance(element, cst.Attribute)
                    else (element.value if isinstance(element, cst.Name) else None)
                )
                if name in self.vocabulary.sdk_classes:
                    self.classes.append((element, name))

    def visit_MatchValue(self, node: cst.MatchValue) -> None:
        text = self.context.string(node.value)
        if text is not None and self.vocabulary.type_pattern.match(text):
            self.types.append((node.value, text, None))

    def visit_MatchClass(self, node: cst.MatchClass) -> None:
        cls = node.cls
        name = cls.attr.value if isinstance(cls, cst.Attribute) else getattr(cls, "value", None)
        if name in self.vocabulary.sdk_classes:
            self.classes.append((cls, name))


@functools.lru_cache(maxsize=1)
def _trigger() -> "re.Pattern[bytes]":
    """record_type, a plural event resource before a dot or a quote, or an SDK event class:
    every finding of this module needs one of them in the source."""
    vocabulary = catalog.events()
    names = b"|".join(re.escape(n.encode()) for n in sorted(vocabulary.plural, key=len, reverse=True))
    classes = b"|".join(re.escape(c.encode()) for c in sorted(vocabulary.sdk_classes, key=len, reverse=True))
    return re.compile(rb"record_type|(?:" + names + rb")[.'\"]|(?:" + classes + rb")")


def applies(context: ModuleContext) -> bool:
    """Every finding of this module needs one of these words in the source."""
    return _trigger().search(context.module.source) is not None


def visitor(context: ModuleContext) -> "_EventVisitor":
    return _EventVisitor(context)


def finish(context: ModuleContext, visitor: "_EventVisitor") -> List[NodeFinding]:
    vocabulary = visitor.vocabulary
    if not (visitor.record_types or visitor.types or visitor.classes):
        return []  # nothing to report: the Clever test below would load every imported module
    clever = bool(visitor.record_types) or context.clever() or _mentions_events(context) or context.sdk() is not None
    out: List[NodeFinding] = []
    for node, value in visitor.record_types:
        level = Confidence.HIGH if clever else Confidence.MEDIUM
        out.append(
            NodeFinding(
                RECORD_TYPE, node, record_type_message(value), level, f"record_type={value}", "record_type=users"
            )
        )
    distinct = {value for _, value, _ in visitor.types}
    type_level = Confidence.HIGH if clever else (Confidence.MEDIUM if len(distinct) > 1 else Confidence.LOW)
    for node, value, rewrite in visitor.types:
        role = vocabulary.resources[value.split(".")[0]]
        if vocabulary.type_pattern.match(value):
            v3 = vocabulary.v3_type(value)
            message = (
                f"v2 event type {value!r}: v3.1 sends {v3!r} for every user; also test the role: {role_test(role)}"
            )
        else:
            v3 = f"{vocabulary.v3_resource}."
            message = (
                f"v2 event type prefix {value!r}: v3.1 user events start with 'users.'; test the role: "
                f"{role_test(role)}"
            )
        out.append(NodeFinding(EVENT_TYPE, node, message, type_level, value, v3, rewrite=rewrite))
    for node, name in visitor.classes:
        action = re.sub(r"^[A-Z][a-z]+", "", name)
        role = vocabulary.sdk_classes[name]
        message = (
            f"v2 SDK event class {name}: v3 events are Users{action} (users.{action.lower()}); "
            f"test the role with {role_test(role)}"
        )
        out.append(NodeFinding(EVENT_CLASS, node, message, type_level, name, f"Users{action}"))
    return out


def _mentions_events(context: ModuleContext) -> bool:
    """The module reads the Clever Events API (an /events URL or the SDK's EventsApi)."""
    if "events" not in context.cache:
        source = context.module.source
        context.cache["events"] = b"EventsApi" in source or b"/events" in source
    return bool(context.cache["events"])


# the checks of this family that walk a module (linter.rules.registry collects them)
NODE_CHECKS = ((applies, visitor, finish),)
