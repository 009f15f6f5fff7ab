"""Partial evaluation of string expressions into URL templates, without running any code.

`Resolver.resolve(expr, scope)` follows literals, f-strings, `+`, `%`, `str.format`, `urljoin`,
`posixpath.join`, `"/".join([...])`, `.rstrip("/")`, module constants, class attributes
(through `self.`, `cls.` or the class name, and `self.x = ...` set in methods), parameter
defaults, `os.environ.get(name, default)`, and constants imported from other modules of the
project. What it cannot know becomes a hole. Every piece of literal text keeps its source.
"""

from __future__ import annotations

import ast
import re
from typing import Dict, List, Optional, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.template import HOLE, Hole, Lit, LiteralSource, Template, join, swap
from linter.syntax.module import ModuleInfo
from linter.syntax.project import Project
from linter.syntax.scope import Scope, ScopeKind, callee_name, dotted_name, is_url_division

_LIBRARIES = catalog.libraries()  # the URL builders and path modules the resolver models

MAX_DEPTH = 48

_SCHEME_AUTHORITY = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*")
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//")
_PRINTF = re.compile(
    (
        r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[-#0 +]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d"
        r"+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
    )
)


def evaluate_bytes_text(node: cst.SimpleString) -> Optional[str]:
    """The text of an ASCII bytes literal without escapes (`b"https://..."`, decoded by the
    code), else None."""
    text = node.value
    prefix = node.prefix
    if "b" not in prefix.lower() or "\\" in text:
        return None
    quote = node.quote
    body = text[len(prefix) + len(quote) : len(text) - len(quote)]
    return body if body.isascii() else None


def evaluate_simple_string(node: cst.SimpleString) -> Optional[str]:
    text = node.value
    if "\\" not in text and "\r" not in text and "\0" not in text:
        # no escape to process: the text between the quotes is the value (LibCST's
        # evaluated_value compiles every string with ast.literal_eval, a tenth of a run's time)
        body = text[1:] if text[:1] in ("r", "R", "u", "U") else text
        quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
        if quote in ('"', "'", '"""', "'''") and len(body) >= 2 * len(quote) and body.endswith(quote):
            return body[len(quote) : len(body) - len(quote)]
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - malformed escapes in odd code
        return None
    return value if isinstance(value, str) else None


def evaluate_fstring_text(text: str, fstring: cst.FormattedString) -> Optional[str]:
    """The value of one literal run of an f-string (`{{` is `{`, escapes processed)."""
    unescaped = text.replace("{{", "{").replace("}}", "}")
    prefix = fstring.start[: len(fstring.start) - len(fstring.end)]
    if "r" in prefix.lower():
        return unescaped
    if "\\" not in unescaped:
        return unescaped
    quote = fstring.end
    try:
        value = ast.literal_eval(quote + unescaped + quote)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


_STRING_SPEC = re.compile(r"^(?:.?[<>^])?(\d*)s?$")


def _spec_text(spec) -> Optional[str]:
    """An f-string field's format spec as text ("" for none); None when a part of it is computed."""
    if not spec:
        return ""
    if all(isinstance(p, cst.FormattedStringText) for p in spec):
        return "".join(p.value for p in spec)
    return None


def spec_keeps(spec: str, value: Template) -> bool:
    """Whether formatting `value` with `spec` leaves its text as it is: no spec, the string type
    alone, or a width the known characters already fill (`{kind:>1}`, `{base:s}`); a precision
    cuts and a numeric type converts."""
    if not spec:
        return True
    found = _STRING_SPEC.match(spec)
    if found is None:
        return False
    width = int(found.group(1) or 0)
    known = sum(len(p.text) for p in value.parts if not isinstance(p, Hole))
    return width <= known


class Resolver:
    def __init__(self, project: Project):
        self.project = project
        self._memo: Dict[int, Template] = {}
        self._active: set = set()
        self._fstring_of: Dict[int, cst.FormattedString] = {}
        self._self_class: Optional[Scope] = None  # see resolve_as
        # id of a default given to `mapping.get(key, default)` of a mapping the code does not
        # hold -> the call, as the fix planner names it (the key may be set elsewhere)
        self.configured: Dict[int, str] = {}
        # (id of an expression, id of its scope, id of resolve_as's class) -> the class of the
        # object it makes (see _instance_class)
        self._classes: Dict[Tuple[int, int, int], Optional[Scope]] = {}

    # -- entry point ----------------------------------------------------------------------
    def resolve_as(self, expr: cst.BaseExpression, scope: Scope, self_class: Scope) -> Template:
        """`expr` resolved with `self` of its methods an instance of `self_class` (a subclass):
        `self.base_url` in a base class's helper, called from a subclass that sets base_url."""
        saved = self._self_class
        self._self_class = self_class
        try:
            return self.resolve(expr, scope)
        finally:
            self._self_class = saved

    def resolve(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> Template:
        key = id(expr) if self._self_class is None else (id(expr), id(self._self_class))
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        if key in self._active or depth > MAX_DEPTH:
            return Template.hole("recursive")
        self._active.add(key)
        try:
            result = self._resolve(expr, scope, depth + 1)
        except RecursionError:
            result = Template.hole("too deep")
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def _resolve(self, expr: cst.BaseExpression, scope: Scope, depth: int) -> Template:
        module = scope.module
        if isinstance(expr, cst.SimpleString):
            value = evaluate_simple_string(expr)
            if value is None:
                return Template.hole("bytes")
            return Template.literal(value, LiteralSource(module, expr, 0))
        if isinstance(expr, cst.ConcatenatedString):
            return self.resolve(expr.left, scope, depth) + self.resolve(expr.right, scope, depth)
        if isinstance(expr, cst.FormattedString):
            return self._fstring(expr, scope, depth)
        if isinstance(expr, cst.BinaryOperation):
            if isinstance(expr.operator, cst.Add):
                return join(self.resolve(op, scope, depth) for op in _add_operands(expr))
            if isinstance(expr.operator, cst.Modulo):
                return self._printf(expr, scope, depth)
            if is_url_division(expr):
                left = self.resolve(expr.left, scope, depth)
                right = self.resolve(expr.right, scope, depth)
                slash = "" if left.flat.endswith("/") else "/"
                return join([left, Template.literal(slash), right])
            return Template.hole("arithmetic")
        if isinstance(expr, cst.Call):
            return self._call(expr, scope, depth)
        if isinstance(expr, cst.AugAssign):
            return self._augmented(expr, scope, depth)
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
            # `options.get("host") or "https://api.clever.com/v2.1/"`: the text it can be, the
            # left one where known, else the default on the right
            left = self.resolve(expr.left, scope, depth)
            if left.has_literal:
                return left
            right = self.resolve(expr.right, scope, depth)
            if right.has_literal:
                return right
            return Template.hole("or", origin=(expr, scope))
        if isinstance(expr, cst.IfExp):
            body = self.resolve(expr.body, scope, depth)
            orelse = self.resolve(expr.orelse, scope, depth)
            if body.flat == orelse.flat:
                return body
            # `path if path.startswith("/") else "/" + path`: the path, whichever way it is written
            for plain, slashed in ((body, orelse), (orelse, body)):
                if slashed.flat == "/" + plain.flat and plain.parts and isinstance(plain.parts[0], Hole):
                    return plain
            return Template.hole("IfExp", origin=(expr, scope))
        if isinstance(expr, cst.Name):
            template = self._name(expr.value, scope, depth)
            if len(template.parts) == 1 and isinstance(template.parts[0], Hole) and template.parts[0].param is None:
                return Template.hole(expr.value, origin=(expr, scope))
            return template
        if isinstance(expr, cst.Attribute):
            template = self._attribute(expr, scope, depth)
            if len(template.parts) == 1 and isinstance(template.parts[0], Hole) and template.parts[0].param is None:
                return Template.hole(expr.attr.value, origin=(expr, scope))
            return template
        if isinstance(expr, cst.Subscript):
            value = self._subscript_value(expr, scope, depth)
            if value is not None:
                return self.resolve(value[0], value[1], depth)
        return Template.hole(type(expr).__name__, origin=(expr, scope))

    # -- strings --------------------------------------------------------------------------
    def _fstring(self, expr: cst.FormattedString, scope: Scope, depth: int) -> Template:
        pieces: List[Template] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                value = evaluate_fstring_text(part.value, expr)
                if value is None:
                    pieces.append(Template.hole("escape"))
                else:
                    self._fstring_of[id(part)] = expr
                    pieces.append(Template.literal(value, LiteralSource(scope.module, part, 0, expr)))
            elif isinstance(part, cst.FormattedStringExpression):
                plain_conversion = part.conversion in (None, "s")
                spec = _spec_text(part.format_spec)
                if spec is None or not plain_conversion or part.equal is not None:
                    pieces.append(Template.hole("formatted"))
                else:
                    value = self.resolve(part.expression, scope, depth)
                    pieces.append(value if spec_keeps(spec, value) else Template.hole("formatted"))
        return join(pieces)

    def _augmented(self, node: cst.AugAssign, scope: Scope, depth: int) -> Template:
        """`url += kind` (linter.syntax.collect binds it, and makes it a root): the value the
        name held just before, in the same scope, then the text added."""
        target = node.target
        if not isinstance(target, cst.Name) or not isinstance(node.operator, cst.AddAssign):
            return Template.hole("augmented")
        bindings = scope.assigns.get(target.value, [])
        at = next((i for i, b in enumerate(bindings) if b is not None and b[0] is node), -1)
        if at <= 0 or bindings[at - 1] is None:
            return Template.hole("augmented")
        before = bindings[at - 1]
        return self.resolve(before[0], before[1], depth) + self.resolve(node.value, scope, depth)

    def fstring_of(self, text_node: cst.FormattedStringText) -> Optional[cst.FormattedString]:
        return self._fstring_of.get(id(text_node))

    def _printf(self, expr: cst.BinaryOperation, scope: Scope, depth: int) -> Template:
        template = self.resolve(expr.left, scope, depth)
        if not template.has_literal:
            return Template.hole("printf")
        right = expr.right
        positional: List[Template] = []
        named: Dict[str, Template] = {}
        if isinstance(right, cst.Tuple):
            positional = [self.resolve(e.value, scope, depth) for e in right.elements]
        elif isinstance(right, cst.Dict):
            for element in right.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    key = evaluate_simple_string(element.key)
                    if key is not None:
                        named[key] = self.resolve(element.value, scope, depth)
        else:
            positional = [self.resolve(right, scope, depth)]
        flat = template.flat
        pieces: List[Template] = []
        pos = 0
        next_arg = 0
        for match in _PRINTF.finditer(flat):
            pieces.append(template.slice(pos, match.start()))
            pos = match.end()
            kind = match.group("type")
            if kind == "%":
                pieces.append(template.slice(match.start() + 1, match.end()))
                continue
            key = match.group("key")
            if key is not None:
                value = named.get(key)
            else:
                value = positional[next_arg] if next_arg < len(positional) else None
                next_arg += 1
            simple = not match.group("flags") and not match.group("width") and not match.group("prec")
            if value is None or not simple or kind not in "sdi":
                pieces.append(Template.hole("printf"))
            else:
                pieces.append(value)
        pieces.append(template.slice(pos))
        return join(pieces)

    def _format(self, template: Template, call: cst.Call, scope: Scope, depth: int) -> Template:
        positional: List[Template] = []
        named: Dict[str, Template] = {}
        if callee_name(call.func)[0] == "format_map":
            # "{base}/x".format_map({"base": BASE}) (or a dict the code binds to a name)
            mapping = call.args[0].value if len(call.args) == 1 else None
            bound = self.binding_of(mapping, scope) if isinstance(mapping, (cst.Name, cst.Attribute)) else None
            mapping = bound[0] if bound is not None else mapping
            map_scope = bound[1] if bound is not None else scope
            if not isinstance(mapping, cst.Dict):
                return Template.hole("format")
            for element in mapping.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                    return Template.hole("format")
                key = evaluate_simple_string(element.key)
                if key is not None:
                    named[key] = self.resolve(element.value, map_scope, depth)
            return self._fill(template, positional, named)
        for arg in call.args:
            if arg.star:
                return Template.hole("format")
            if arg.keyword is not None:
                named[arg.keyword.value] = self.resolve(arg.value, scope, depth)
            else:
                positional.append(self.resolve(arg.value, scope, depth))
        return self._fill(template, positional, named)

    def _unsplit(self, parts, parsed: bool, scope: Scope, depth: int) -> Template:
        """urlunsplit((scheme, netloc, path, query, fragment)) (urlunparse has params after the
        path): the URL they make; a part it cannot read is a hole."""
        if not isinstance(parts, (cst.Tuple, cst.List)) or len(parts.elements) != (6 if parsed else 5):
            return Template.hole("urlunsplit")
        values = [self.resolve(e.value, scope, depth) for e in parts.elements]
        scheme, netloc, path = values[0], values[1], values[2]
        query, fragment = values[-2], values[-1]
        pieces = [scheme, Template.literal("://"), netloc, path]
        if parsed and values[3].flat:
            pieces += [Template.literal(";"), values[3]]
        if query.flat:
            pieces += [Template.literal("?"), query]
        if fragment.flat:
            pieces += [Template.literal("#"), fragment]
        return join(pieces)

    def _substitute(self, receiver, call: cst.Call, scope: Scope, depth: int) -> Template:
        """string.Template("$base/x").substitute(base=BASE): `$name` and `${name}` filled from
        the keywords (a field it cannot fill is a hole)."""
        if not (isinstance(receiver, cst.Call) and callee_name(receiver.func)[0] == "Template" and receiver.args):
            return Template.hole("substitute")
        text = self.resolve(receiver.args[0].value, scope, depth)
        named = {a.keyword.value: self.resolve(a.value, scope, depth) for a in call.args if a.keyword is not None}
        flat = text.flat
        pieces: List[Template] = []
        start = 0
        for match in re.finditer(r"\$(?:(\w+)|\{(\w+)\}|\$)", flat):
            pieces.append(text.slice(start, match.start()))
            if match.group(0) == "$$":
                pieces.append(text.slice(match.start(), match.start() + 1))
            else:
                pieces.append(named.get(match.group(1) or match.group(2)) or Template.hole("substitute"))
            start = match.end()
        pieces.append(text.slice(start))
        return join(pieces)

    def _fill(self, template: Template, positional: List[Template], named: Dict[str, Template]) -> Template:
        """The `str.format` replacement fields of `template` filled from the arguments."""
        flat = template.flat
        pieces: List[Template] = []
        i = literal_start = 0
        auto = 0
        while i < len(flat):
            char = flat[i]
            if char in "{}" and i + 1 < len(flat) and flat[i + 1] == char:
                pieces.append(template.slice(literal_start, i + 1))
                i += 2
                literal_start = i
                continue
            if char == "{":
                end = flat.find("}", i)
                if end == -1:
                    return Template.hole("format")
                pieces.append(template.slice(literal_start, i))
                field_text = flat[i + 1 : end]
                name, _, spec = field_text.partition(":")
                name, _, conversion = name.partition("!")
                value: Optional[Template] = None
                if name == "":
                    value = positional[auto] if auto < len(positional) else None
                    auto += 1
                elif name.isdigit():
                    index = int(name)
                    value = positional[index] if index < len(positional) else None
                elif name.isidentifier():
                    value = named.get(name)
                if value is None or not spec_keeps(spec, value) or conversion not in ("", "s"):
                    value = Template.hole("format")
                pieces.append(value)
                i = end + 1
                literal_start = i
                continue
            i += 1
        pieces.append(template.slice(literal_start))
        return join(pieces)

    # -- calls ----------------------------------------------------------------------------
    def _call(self, call: cst.Call, scope: Scope, depth: int) -> Template:
        func = call.func
        args = [a for a in call.args if a.keyword is None and not a.star]
        kwargs = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            receiver = func.value
            if method in ("format", "format_map"):
                return self._format(self.resolve(receiver, scope, depth), call, scope, depth)
            if method in ("substitute", "safe_substitute"):
                return self._substitute(receiver, call, scope, depth)
            if method == "decode" and isinstance(receiver, cst.SimpleString):
                text = evaluate_bytes_text(receiver)  # b"https://...".decode(): the same ASCII text
                if text is not None:
                    return Template.literal(text, LiteralSource(scope.module, receiver, 0))
                return Template.hole("decode", origin=(call, scope))
            if method == "replace" and len(args) == 2 and isinstance(args[0].value, cst.SimpleString):
                # "BASE/KIND".replace("KIND", kind): the text with the literal `old` swapped
                old = evaluate_simple_string(args[0].value)
                text = self.resolve(receiver, scope, depth)
                if old and any(isinstance(p, Lit) and old in p.text for p in text.parts):
                    return swap(text, old, self.resolve(args[1].value, scope, depth))
                return Template.hole("replace", origin=(call, scope))
            if method in ("rstrip", "lstrip", "strip"):
                chars: Optional[str] = None
                if args:
                    if not isinstance(args[0].value, cst.SimpleString):
                        return Template.hole("strip")
                    chars = evaluate_simple_string(args[0].value)
                return _strip(self.resolve(receiver, scope, depth), method, chars)
            if method == "join" and len(args) >= 1:
                if dotted_name(receiver) in _LIBRARIES.path_modules:
                    return _path_join([self.resolve(a.value, scope, depth) for a in args])
                if len(args) == 1 and isinstance(args[0].value, (cst.List, cst.Tuple)):
                    separator = self.resolve(receiver, scope, depth)
                    items = [self.resolve(e.value, scope, depth) for e in args[0].value.elements]
                    pieces: List[Template] = []
                    for n, item in enumerate(items):
                        if n:
                            pieces.append(separator)
                        pieces.append(item)
                    return join(pieces)
                return Template.hole("join")
            if method in ("get", "getenv") and dotted_name(receiver).endswith("environ") or (method == "getenv"):
                default = args[1].value if len(args) > 1 else kwargs.get("default")
                if default is not None:
                    return self.resolve(default, scope, depth)
                return Template.hole("environment")
            if method == "get" and args and isinstance(args[0].value, cst.SimpleString):
                # config.get("base_url", "https://..."): the entry of a dict the code holds,
                # else the default the code gives (what it asks for when the setting is absent)
                entry = self._entry(receiver, evaluate_simple_string(args[0].value), scope, depth)
                if entry is not None:
                    return self.resolve(entry[0], entry[1], depth)
                default = args[1].value if len(args) > 1 else kwargs.get("default")
                if default is not None:
                    # the configuration may set the key: its default is no pin that fix may move alone
                    key = args[0].value.value
                    self.configured[id(default)] = f"{dotted_name(receiver) or 'mapping'}.get({key}, ...)"
                    return self.resolve(default, scope, depth)
        name = callee_name(func)[0]
        unknown = Template.hole(f"{name}()", origin=(call, scope))
        semantics = _LIBRARIES.builders.get(name)
        if semantics == "urljoin" and len(args) >= 2:
            return _urljoin(self.resolve(args[0].value, scope, depth), self.resolve(args[1].value, scope, depth))
        if name == "getenv" and len(args) > 1:
            return self.resolve(args[1].value, scope, depth)
        if name == "getattr" and len(args) == 3 and isinstance(func, cst.Name):
            return self.resolve(args[2].value, scope, depth)  # getattr(settings, "X", default)
        if name == "str" and len(args) == 1 and isinstance(func, cst.Name):
            return self.resolve(args[0].value, scope, depth)
        if semantics in ("unsplit", "unparse") and len(args) == 1:
            return self._unsplit(args[0].value, semantics == "unparse", scope, depth)
        if semantics == "wrap" and len(args) == 1:
            return self.resolve(args[0].value, scope, depth)  # URL(base): the URL it wraps
        if not call.args:
            function = self._called_function(func, scope, depth)
            returned = self._single_return(function, depth) if function is not None else None
            if returned is not None:
                return self.resolve(returned[0], returned[1], depth + 1)  # clever_base(): what it returns
        return unknown

    def _called_function(self, func: cst.BaseExpression, scope: Scope, depth: int) -> Optional[Scope]:
        """The project function a call without arguments runs: a name defined or imported here,
        `module.name()`, `self.name()`; None for anything else (or one needing arguments)."""
        found: Optional[Scope] = None
        if isinstance(func, cst.Name):
            found = scope.visible_function(func.value)
            if found is None:
                ref = _find_import(func.value, scope)
                if ref is not None and ref.name is not None:
                    owner = self.project.find_module(scope.module, ref.module, ref.level)
                    found = owner.scope.functions.get(ref.name) if owner is not None else None
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            method = scope.enclosing_method()
            if method is not None and func.value.value == method.self_name and method.class_scope is not None:
                found = method.class_scope.functions.get(func.attr.value)
                if found is not None and found.self_name is None:
                    return None
            else:
                target = self._binding(func.value.value, scope, depth)
                if isinstance(target, ModuleInfo):
                    found = target.scope.functions.get(func.attr.value)
        if found is None:
            return None
        required = [n for n, p in found.params.items() if p.default is None and n != found.self_name]
        return None if required or (found.class_scope is not None and found.self_name is None) else found

    def _single_return(self, function: Scope, depth: int) -> Optional[Tuple[cst.BaseExpression, Scope]]:
        """What a function returns, when every return gives the same text (one return, say)."""
        if depth > MAX_DEPTH or not function.returns:
            return None
        return _choose([(value, function) for value in function.returns], self, depth + 1)

    # -- names ----------------------------------------------------------------------------
    def lookup(self, name: str, scope: Scope, depth: int = 0) -> Optional[Tuple[cst.BaseExpression, Scope]]:
        """The expression a name is bound to, as seen from `scope` (None: unknown or many)."""
        found = self._binding(name, scope, depth)
        if found is None or isinstance(found, (Hole, ModuleInfo)):
            return None
        return found

    def binding_of(self, expr: cst.BaseExpression, scope: Scope):
        """The (expression, scope) a name or attribute is bound to, or None."""
        if isinstance(expr, cst.Name):
            found = self._binding(expr.value, scope, 0)
        elif isinstance(expr, cst.Attribute):
            found = self._attribute_binding(expr, scope, 0)
        else:
            return None
        return found if isinstance(found, tuple) else None

    def _binding(self, name: str, scope: Scope, depth: int):
        """What `name` means in `scope`: (expr, scope), a ModuleInfo, a Hole, or None."""
        if depth > MAX_DEPTH:
            return None  # an import cycle, or a chain too long to be a constant
        for current in scope.chain():
            if current.kind is ScopeKind.CLASS and current is not scope:
                continue  # class bodies are not visible from their methods
            if current.kind is ScopeKind.FUNCTION and name in current.params:
                param = current.params[name]
                if param.default is not None and current.parent is not None:
                    return (param.default, current.parent)
                return Hole(name, (current, name))
            if name in current.imports:
                return self._import(current.imports[name], current.module, depth)
            if name in current.assigns:
                return _choose(current.assigns[name], self, depth)
            if name in current.classes:
                return None
        return None

    def _import(self, ref, importer: ModuleInfo, depth: int):
        if ref.module == "django.conf" and ref.name == "settings" and not ref.level:
            # Django: settings.X is the X of the project's settings module
            found = self.project.django_settings(importer)
            return found if found is not None else Hole(ref.name)
        if ref.name is None:
            target = self.project.find_module(importer, ref.module, ref.level)
            return target if target is not None else Hole(ref.module)
        owner = self.project.find_module(importer, ref.module, ref.level)
        if owner is not None and ref.name in owner.scope.assigns | owner.scope.imports:
            return self._binding(ref.name, owner.scope, depth + 1)
        submodule = self.project.find_module(
            importer, f"{ref.module}.{ref.name}" if ref.module else ref.name, ref.level
        )
        if submodule is not None:
            return submodule
        return Hole(ref.name)

    def resolve_name(self, name: str, scope: Scope) -> Template:
        """The template of what `name` is bound to in `scope`."""
        return self._name(name, scope, 0)

    def _name(self, name: str, scope: Scope, depth: int) -> Template:
        found = self._binding(name, scope, depth)
        if isinstance(found, tuple):
            return self.resolve(found[0], found[1], depth)
        if isinstance(found, Hole):
            return Template((found,))
        return Template.hole(name)

    def _attribute(self, expr: cst.Attribute, scope: Scope, depth: int) -> Template:
        found = self._attribute_binding(expr, scope, depth)
        if isinstance(found, tuple):
            return self.resolve(found[0], found[1], depth)
        return Template.hole(expr.attr.value)

    def _attribute_binding(self, expr: cst.Attribute, scope: Scope, depth: int):
        attr = expr.attr.value
        owner = expr.value
        if isinstance(owner, cst.Name):
            method = scope.enclosing_method()
            if method is not None and owner.value == method.self_name:
                own = method.class_scope
                if self._self_class is not None and self.inherits(self._self_class, own):
                    own = self._self_class
                return self._class_attr(own, attr, depth)
            class_scope = self._class_named(owner.value, scope) or self._imported_class(owner.value, scope)
            if class_scope is not None:
                return self._class_attr(class_scope, attr, depth)
            target = self._binding(owner.value, scope, depth)
            if isinstance(target, ModuleInfo):
                return self._binding(attr, target.scope, depth + 1)
            if isinstance(target, tuple):
                return self._class_attr(self._instance_class(target, depth + 1), attr, depth + 1)
            if isinstance(target, Hole) and target.param is not None:
                return self._class_attr(self._param_class(target.param, depth + 1), attr, depth + 1)
            return None
        if isinstance(owner, cst.Attribute):
            if isinstance(owner.value, cst.Name):
                module = self._binding(owner.value.value, scope, depth)
                if isinstance(module, ModuleInfo):  # settings.Settings.base_url: a class of a module
                    class_scope = self._class_named(owner.attr.value, module.scope)
                    if class_scope is not None:
                        return self._class_attr(class_scope, attr, depth + 1)
            target = self._attribute_binding(owner, scope, depth)
            if isinstance(target, ModuleInfo):
                return self._binding(attr, target.scope, depth + 1)
            if isinstance(target, tuple):
                if attr == "value" and getattr(target[1], "kind", None) is ScopeKind.CLASS:
                    return target  # Resource.STUDENTS.value: the member's value, as written
                # self.configuration.host: an attribute of the one class the object is made of
                return self._class_attr(self._instance_class(target, depth + 1), attr, depth + 1)
            if target is None:
                dotted = dotted_name(owner)
                head = dotted.split(".")[0]
                ref = _find_import(head, scope)
                if ref is not None and ref.name is None:
                    module = self.project.find_module(scope.module, dotted, 0)
                    if module is not None:
                        return self._binding(attr, module.scope, depth + 1)
        return None

    def _instance_class(self, binding, depth: int) -> Optional[Scope]:
        """The class scope of the object an expression makes (`Configuration()`, a name or
        `self.x` bound to one), when it is one class of the project; else None. Each binding
        is read once (None while it is read: a cycle of rebindings has no class): a name
        rebound many times, each from another, made this exponential."""
        key = (id(binding[0]), id(binding[1]), id(self._self_class))
        if key in self._classes:
            return self._classes[key]
        self._classes[key] = None
        found = self._classes[key] = self._find_instance_class(binding, depth)
        return found

    def _find_instance_class(self, binding, depth: int) -> Optional[Scope]:
        expr, scope = binding
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            return self._class_of_name(expr.func.value, scope)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            target = self._attribute_binding(expr.func, scope, depth) if isinstance(expr.func.value, cst.Name) else None
            return None if target is not None else self._module_class(expr.func, scope)
        if isinstance(expr, cst.Name):
            function = next((s for s in scope.chain() if s.kind is ScopeKind.FUNCTION), None)
            if function is not None and expr.value in function.params:
                return self._param_class((function, expr.value), depth + 1)
            found = self._binding(expr.value, scope, depth + 1)
            if isinstance(found, tuple):
                return self._instance_class(found, depth + 1)
            if isinstance(found, Hole) and found.param is not None:
                return self._param_class(found.param, depth + 1)
        if isinstance(expr, cst.Attribute):
            found = self._attribute_binding(expr, scope, depth + 1)
            if isinstance(found, tuple):
                return self._instance_class(found, depth + 1)
        return None

    def _param_class(self, param: Tuple[Scope, str], depth: int) -> Optional[Scope]:
        """A parameter (`configuration=None`) rebound in its function to one class's instance
        (`if configuration is None: configuration = Configuration()`): that class. What callers
        pass is not known; a generated client's callers pass the same class."""
        function, name = param
        bindings = [b for b in function.assigns.get(name, ()) if b is not None]
        classes = {self._instance_class(b, depth + 1) for b in bindings}
        return classes.pop() if len(classes) == 1 else None

    def _module_class(self, func: cst.Attribute, scope: Scope) -> Optional[Scope]:
        """`module.Class` of an imported module of the project."""
        if not isinstance(func.value, cst.Name):
            return None
        target = self._binding(func.value.value, scope, 0)
        return target.scope.classes.get(func.attr.value) if isinstance(target, ModuleInfo) else None

    def inherits(self, cls: Optional[Scope], ancestor: Optional[Scope], depth: int = 0) -> bool:
        """Whether class `cls` is `ancestor` or derives from it (through bases the project
        defines, in its module or imported)."""
        if cls is None or ancestor is None or depth > 8:
            return False
        if cls is ancestor:
            return True
        return any(self.inherits(base, ancestor, depth + 1) for base in self.bases(cls))

    def bases(self, cls: Scope) -> List[Scope]:
        """The project classes `cls` names as its bases (defined around it or imported)."""
        found = (self._class_of_name(b.value, cls.parent or cls) for b in cls.bases if isinstance(b, cst.Name))
        return [base for base in found if base is not None]

    def _class_of_name(self, name: str, scope: Scope) -> Optional[Scope]:
        """The project class `name` means in `scope`: defined there (or around) or imported."""
        return self._class_named(name, scope) or self._imported_class(name, scope)

    def _class_named(self, name: str, scope: Scope) -> Optional[Scope]:
        return next((s.classes[name] for s in scope.chain() if name in s.classes), None)

    def _class_attr(self, class_scope: Optional[Scope], attr: str, depth: int, seen=None):
        if class_scope is None:
            return None
        seen = seen or set()
        if class_scope in seen:
            return None
        seen.add(class_scope)
        function = class_scope.functions.get(attr)
        if function is not None and _is_property(function):
            return self._single_return(function, depth)  # CONFIG.base_url: what the property returns
        if attr in class_scope.assigns:
            return _choose(class_scope.assigns[attr], self, depth)
        if attr in class_scope.self_attrs:
            return _choose(list(class_scope.self_attrs[attr]), self, depth)
        for base_scope in self.bases(class_scope):
            found = self._class_attr(base_scope, attr, depth, seen)
            if found is not None:
                return found
        return None

    def instance_class(self, expr: cst.BaseExpression, scope: Scope) -> Optional[Scope]:
        """The project class of the object `expr` names (`client` after `client = CleverClient()`)."""
        bound = self.binding_of(expr, scope)
        return self._instance_class(bound, 0) if bound is not None else None

    def module_named(self, name: str, scope: Scope) -> Optional[ModuleInfo]:
        """The project module `name` is bound to in `scope` (`import settings`, `from . import
        settings`), or None."""
        found = self._binding(name, scope, 0)
        return found if isinstance(found, ModuleInfo) else None

    def imported(self, name: str, scope: Scope) -> Optional[Tuple[ModuleInfo, str]]:
        """(the project module, the name in it) that `from module import name` in `scope`
        binds `name` to; None for a module import or a module outside the project."""
        ref = _find_import(name, scope)
        if ref is None or ref.name is None:
            return None
        owner = self.project.find_module(scope.module, ref.module, ref.level)
        return (owner, ref.name) if owner is not None else None

    def _imported_class(self, name: str, scope: Scope) -> Optional[Scope]:
        found = self.imported(name, scope)
        return found[0].scope.classes.get(found[1]) if found is not None else None

    def _subscript_value(self, expr: cst.Subscript, scope: Scope, depth: int):
        if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
            return None
        key_node = expr.slice[0].slice.value
        if not isinstance(key_node, cst.SimpleString):
            return None
        return self._entry(expr.value, evaluate_simple_string(key_node), scope, depth)

    def _entry(self, owner: cst.BaseExpression, key: Optional[str], scope: Scope, depth: int):
        """The (expression, scope) of `key` in the dict literal `owner` is bound to, or None."""
        container = None
        if isinstance(owner, cst.Name):
            found = self._binding(owner.value, scope, depth)
            container = found if isinstance(found, tuple) else None
        elif isinstance(owner, cst.Attribute):
            found = self._attribute_binding(owner, scope, depth)
            container = found if isinstance(found, tuple) else None
        if container is None or not isinstance(container[0], cst.Dict):
            return None
        for element in container[0].elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                if evaluate_simple_string(element.key) == key:
                    return (element.value, container[1])
        return None


# -- helpers ------------------------------------------------------------------------------
def _is_property(function: Scope) -> bool:
    node = function.node
    for decorator in getattr(node, "decorators", ()):
        expression = decorator.decorator
        word = expression.attr.value if isinstance(expression, cst.Attribute) else getattr(expression, "value", "")
        if word in ("property", "cached_property"):
            return True
    return False


def _choose(bindings, resolver: Resolver, depth: int):
    """One binding for a name assigned once, or assigned several times to the same text."""
    if not bindings or any(b is None for b in bindings):
        return None
    if len(bindings) == 1:
        return bindings[0]
    texts = {resolver.resolve(expr, scope, depth).flat for expr, scope in bindings}
    if len(texts) == 1:
        return bindings[0]
    return None


def _find_import(name: str, scope: Scope):
    return next((s.imports[name] for s in scope.chain() if name in s.imports), None)


def _add_operands(expr: cst.BinaryOperation) -> List[cst.BaseExpression]:
    """The operands of a left-nested `a + b + c` chain, iteratively (chains can be long)."""
    right_parts: List[cst.BaseExpression] = []
    node: cst.BaseExpression = expr
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        right_parts.append(node.right)
        node = node.left
    right_parts.append(node)
    return list(reversed(right_parts))


def _strip(template: Template, method: str, chars: Optional[str]) -> Template:
    flat = template.flat
    strip_chars = chars if chars is not None else " \t\n\r\x0b\x0c"
    start, end = 0, len(flat)
    if method in ("rstrip", "strip"):
        while end > start and flat[end - 1] != HOLE and flat[end - 1] in strip_chars:
            end -= 1
    if method in ("lstrip", "strip"):
        while start < end and flat[start] != HOLE and flat[start] in strip_chars:
            start += 1
    return template.slice(start, end)


def _urljoin(base: Template, url: Template) -> Template:
    flat_url, flat_base = url.flat, base.flat
    if _ABSOLUTE.match(flat_url):
        return url
    if not flat_url:
        return base
    authority = _SCHEME_AUTHORITY.match(flat_base)
    if authority is None:
        return base + url
    end = authority.end()
    if flat_url.startswith("/"):
        return base.slice(0, end) + url
    rest = flat_base[end:]
    cut = len(rest)
    for stop in "?#":
        found = rest.find(stop)
        if found != -1:
            cut = min(cut, found)
    last = rest.rfind("/", 0, cut)
    if last == -1:
        return base.slice(0, end) + Template.literal("/") + url
    return base.slice(0, end + last + 1) + url


def _path_join(parts: List[Template]) -> Template:
    result = Template()
    for part in parts:
        flat = part.flat
        if flat.startswith("/"):
            result = part
        elif not result.flat or result.flat.endswith("/"):
            result = result + part
        else:
            result = result + Template.literal("/") + part
    return result


__all__ = ["Resolver", "Template", "Lit", "Hole", "HOLE"]
