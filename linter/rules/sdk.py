"""The v2 clever-python SDKs (checklist steps 1 and 3): clever.DataApi / EventsApi methods,
the SDK client itself, and the pre-2018 bindings. No official v3 Python SDK exists, so every
finding says what the v3.1 endpoint is and leaves the client choice to a person."""

from __future__ import annotations

import re
from typing import List, Optional, Set

import libcst as cst

from linter import catalog
from linter.catalog import EndpointKind
from linter.evaluate.sdk import SdkUse
from linter.evaluate.variants import expand
from linter.model import Confidence, Severity
from linter.rules.base import Rule, register
from linter.rules.context import ModuleContext, NodeFinding, ScopedVisitor, speak_for

NO_V3_SDK = (
    "no official v3 Python SDK exists: generate a client from Clever's v3.1 OpenAPI definition or call the API directly"
)

SDK_CLIENT = register(
    Rule(
        code="CLV101",
        name="v2-sdk-client",
        step=1,
        severity=Severity.WARNING,
        summary="A client of the clever-python SDK, which speaks API v2.0 only.",
        rationale=(
            "clever-python 3.x was generated from the v2.0 definition and is no longer "
            "maintained: its Configuration().host defaults to https://api.clever.com/v2.0 and "
            "its models reject v3 payloads. Migrating means choosing another client, which is a "
            "decision for a person."
        ),
        invalid="import clever\napi = clever.DataApi(clever.ApiClient(configuration))\n",
        valid="import requests\nsession = requests.Session()\n",
        decisions=("client",),
    )
)
SDK_METHOD = register(
    Rule(
        code="CLV320",
        name="v2-sdk-method",
        step=3,
        severity=Severity.ERROR,
        summary=(
            "A call (or reference) of a v2 clever-python DataApi/EventsApi method, such as get_students or "
            "get_sections_for_teacher."
        ),
        rationale=(
            "Each v2 SDK method calls one v2 endpoint; the v3.1 equivalent is in the message. "
            "Bound methods kept in dicts, passed as callbacks, or named in mock.patch strings "
            "are the same call and are reported too."
        ),
        invalid="import clever\napi = clever.DataApi(client)\nteachers = api.get_teachers(limit=100)\n",
        valid='teachers = session.get("https://api.clever.com/v3.1/users", params={"role": "teacher"})\n',
        traits=frozenset({"sdk-endpoint"}),
        decisions=("client",),
    )
)
SDK_LEGACY = register(
    Rule(
        code="CLV321",
        name="v1-sdk-binding",
        step=3,
        severity=Severity.ERROR,
        summary=(
            "The pre-2018 clever SDK (clever.Student.all(), .retrieve(), clever.set_token, clever.API_VERSION, ...)."
        ),
        rationale=(
            "clever 2.x and earlier called API v1.1/v1.2, which Clever switched off in "
            "December 2022; code that still uses it has been failing since."
        ),
        invalid="import clever\nclever.set_token(TOKEN)\nstudents = clever.Student.all()\n",
        valid='students = session.get("https://api.clever.com/v3.1/users", params={"role": "student"})\n',
        traits=frozenset({"sdk-endpoint"}),
        decisions=("client",),
    )
)

_PATCH_TARGET = re.compile(r"\bclever(?:\.apis(?:\.data_api|\.events_api)?)?\.(?:DataApi|EventsApi)\.(?P<method>\w+)\b")


def _receiver_key(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return None


class _SdkVisitor(ScopedVisitor):
    def __init__(self, context: ModuleContext, sdk: Optional[SdkUse]):
        super().__init__(context)
        self.sdk = sdk
        spec = catalog.sdk()
        self.api_classes = set(spec["modern"]["classes"])
        self.client_classes = set(spec["modern"]["client_classes"])
        self.legacy = spec["legacy"]
        self.methods = catalog.sdk_methods()
        self.instances: Set[str] = set()
        self.method_refs: List[tuple] = []  # (node, method, receiver key)
        self.patches_sdk = False  # the module patches a v2 SDK method by its target string

    def _sdk_class(self, func: cst.BaseExpression) -> Optional[str]:
        if self.sdk is None:
            return None
        if isinstance(func, cst.Name):
            return self.sdk.classes.get(func.value)
        if isinstance(func, cst.Attribute):
            head = func.value
            while isinstance(head, cst.Attribute):
                head = head.value
            if isinstance(head, cst.Name) and head.value in self.sdk.modules:
                return func.attr.value
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call) and self._sdk_class(node.value.func) in self.api_classes:
            for target in node.targets:
                key = _receiver_key(target.target)
                if key:
                    self.instances.add(key)

    def _computed_method(self, node: cst.Call) -> None:
        """`getattr(api, f"get_{kind}")` over a finite set of names (linter.evaluate.variants):
        each v2 method it can name, reported at the lookup."""
        func = node.func
        if not (isinstance(func, cst.Name) and func.value == "getattr" and len(node.args) >= 2):
            return
        receiver = _receiver_key(node.args[0].value)
        if receiver is None or (receiver not in self.instances and self.sdk is None):
            return
        template = self.context.resolver.resolve(node.args[1].value, self.scope)
        expanded = expand(self.context.resolver, template)
        names = [t.flat for t in expanded[1]] if expanded is not None else [template.flat]
        level = Confidence.HIGH if receiver in self.instances else Confidence.MEDIUM
        for name in dict.fromkeys(names):
            if name in self.methods:
                self.found.append(_method_finding(node, name, self.methods[name], level))
        if any(name in self.methods for name in names):
            speak_for(expanded[1] if expanded is not None else [template])

    def visit_Call(self, node: cst.Call) -> None:
        self._patched_method(node)
        self._computed_method(node)
        name = self._sdk_class(node.func)
        if name in self.api_classes:
            self.report(
                SDK_CLIENT,
                node,
                f"clever-python SDK {name}: it speaks API v2.0 only (Configuration().host defaults to "
                f"{catalog.sdk()['modern']['default_host']}); {NO_V3_SDK}",
                Confidence.HIGH,
            )
        elif name in self.legacy["functions"]:
            self.report(
                SDK_LEGACY,
                node,
                (
                    f"clever.{name}() belongs to the pre-2018 SDK for API v1.x, gone since December 2022; authenticate "
                    f"v3.1 requests with an Authorization: Bearer header; {NO_V3_SDK}"
                ),
                Confidence.HIGH,
            )
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in (
            self.legacy["list_methods"] + self.legacy["record_methods"]
        ):
            resource = self._sdk_class(node.func.value)
            if resource in self.legacy["resources"]:
                self._legacy_call(node, resource, node.func.attr.value)

    def _patched_method(self, node: cst.Call) -> None:
        """`mock.patch.object(clever.DataApi, "get_students")` (or `mocker.patch.object`): the
        test stands in for that v2 method."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "object"):
            return
        if not (isinstance(func.value, cst.Attribute) and func.value.attr.value == "patch") and not (
            isinstance(func.value, cst.Name) and func.value.value == "patch"
        ):
            return
        args = [a for a in node.args if a.keyword is None]
        if len(args) < 2 or self._sdk_class(args[0].value) not in self.api_classes:
            return
        method = self.context.string(args[1].value)
        if method in self.methods:
            self.found.append(_method_finding(args[1].value, method, self.methods[method], Confidence.HIGH))

    def _legacy_call(self, node: cst.Call, resource: str, method: str) -> None:
        path = "/" + self.legacy["resources"][resource]
        if method in self.legacy["record_methods"]:
            path += "/{id}"
        row = {r.v2: r for r in catalog.endpoints()}.get(path)
        v3 = catalog.versioned(row.v3 if row else None, catalog.TARGET_VERSION)
        target = f"use {v3}" if v3 else (row.guidance if row and row.guidance else "see the v3.1 reference")
        self.report(
            SDK_LEGACY,
            node,
            (
                f"clever.{resource}.{method}() belongs to the pre-2018 SDK for API v1.x, gone since December 2022: "
                f"{target}; {NO_V3_SDK}"
            ),
            Confidence.HIGH,
            f"/v1.2{path}",
            v3,
        )

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr in self.methods:
            self.method_refs.append((node, attr, _receiver_key(node.value)))
        elif attr in self.legacy["settings"] and self._sdk_class(node) == attr:
            self.report(
                SDK_LEGACY,
                node,
                (
                    f"clever.{attr} belongs to the pre-2018 SDK for API v1.x, gone since December 2022; v3.1 URLs "
                    f"start with https://api.clever.com/v3.1; {NO_V3_SDK}"
                ),
                Confidence.HIGH,
            )

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        text = self.context.string(node)
        if text is None:
            return
        for match in _PATCH_TARGET.finditer(text):
            method = match.group("method")
            if method in self.methods:
                self.patches_sdk = True
                self.found.append(_method_finding(node, method, self.methods[method], Confidence.HIGH))


def _names_clever(node: cst.BaseExpression, imports=()) -> bool:
    """An object reached through a name that says Clever (`clever_api`, `self.clever`). An
    imported name at the head (`import clever`) is a module, which the SDK detection has already
    judged: a local module called clever is not the SDK."""
    while isinstance(node, (cst.Attribute, cst.Call, cst.Subscript)):
        if isinstance(node, cst.Attribute) and _says_clever(node.attr.value):
            return True
        node = node.func if isinstance(node, cst.Call) else node.value
    return isinstance(node, cst.Name) and _says_clever(node.value) and node.value not in imports


def _says_clever(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in catalog.libraries().clever_words)


def _method_finding(node: cst.CSTNode, method: str, row, level: Confidence) -> NodeFinding:
    v2 = catalog.versioned(row.v2, "v2.0")
    v3 = catalog.versioned(row.v3, catalog.TARGET_VERSION)
    twin = "_with_http_info" if method.endswith("_with_http_info") else ""
    v3_method = f"{row.sdk_v3}{twin}" if row.sdk_v3 else None
    if row.v3 is None:
        target = f"no direct v3.1 equivalent: {row.guidance}"
    elif row.kind is EndpointKind.UNCHANGED:
        target = f"the path is the same in v3.1 ({v3}), but the SDK only speaks v2.0"
    else:
        target = f"v3.1 is {v3}" + (f" ({v3_method} in a generated v3 client)" if v3_method else "")
    return NodeFinding(SDK_METHOD, node, f"v2 SDK method {method} calls {v2}: {target}; {NO_V3_SDK}", level, v2, v3)


def applies(context: ModuleContext) -> bool:
    """Imports of the SDK and mock.patch targets all spell `clever`."""
    return b"clever" in context.module.source


def visitor(context: ModuleContext) -> "_SdkVisitor":
    return _SdkVisitor(context, context.sdk())


def finish(context: ModuleContext, visitor: "_SdkVisitor") -> List[NodeFinding]:
    sdk = visitor.sdk
    out = list(visitor.found)
    for node, method, receiver in visitor.method_refs:
        if receiver is not None and receiver in visitor.instances:
            level = Confidence.HIGH
        elif sdk is not None:
            level = Confidence.MEDIUM
        elif (visitor.patches_sdk or _names_clever(node.value, context.module.scope.imports)) and (
            method not in context.functions
        ):
            # the module stands in for the SDK in a test (mock.patch("clever.DataApi.x")), or the
            # object is named for Clever (`connector.clever_api.get_students_with_http_info`), and
            # the project defines no function of that name (its own connector's method)
            level = Confidence.MEDIUM
        else:
            continue
        out.append(_method_finding(node, method, visitor.methods[method], level))
    return out


# the checks of this family that walk a module (linter.rules.registry collects them)
NODE_CHECKS = ((applies, visitor, finish),)
