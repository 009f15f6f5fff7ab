"""The finite set of values an unknown piece of a URL can take, from literals the code holds.

A template's hole stands for an expression the resolver could not reduce to one value. Some of
those expressions can take only a few values, each written in the code:
- a dict the code holds, indexed by a run-time key: `SEGMENT_BY_ROLE[role]` is one of its values;
- a loop variable over a literal tuple, list or set (or a name bound to one, or a dict's
  `.keys()`/`.values()`): `for kind in ("students", "teachers")`;
- a conditional expression: `"teachers" if staff else "students"`;
- `text.replace(old, new)` where `new` takes such values (the string swap `path.replace("users",
  kind)`), applied to the resolved text;
- a parameter typed `Literal["students", "teachers"]`, or one that every call of its function
  in the module passes a literal (or a value with known alternatives) for.
`expand` applies this to the first such hole of a template.
`alternatives` returns those values as templates (each literal keeps its source, so a finding
lands on the literal that holds the role segment), or None when the set is unknown or larger
than MAX_VARIANTS. It never guesses: what it cannot enumerate stays a hole.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from linter.evaluate.resolve import Resolver, evaluate_simple_string
from linter.evaluate.template import Hole, Lit, Template, swap
from linter.syntax.scope import Scope, ScopeKind, argument

MAX_VARIANTS = 8
MAX_DEPTH = 6


def expand(resolver: Resolver, template: Template) -> Optional[Tuple[str, List[Template]]]:
    """The templates `template` can be, for its first hole whose expression takes a finite set
    of values (a parameter typed Literal[...] included), with that expression as written; None
    when no hole has one."""
    for index, part in enumerate(template.parts):
        if not isinstance(part, Hole):
            continue
        if part.origin is not None:
            found = alternatives(resolver, part.origin[0], part.origin[1])
            chooser = part.origin[1].module.code_of(part.origin[0]) if found else ""
        elif part.param is not None and part.param[0].kind is ScopeKind.FUNCTION:
            # a parameter typed Literal[...] (what callers pass is the joiners' business)
            found = literal_type(resolver, part.param[0], part.param[1])
            chooser = part.param[1]
        else:
            continue
        if found:
            parts = template.parts
            return chooser, [Template(parts[:index] + value.parts + parts[index + 1 :]) for value in found]
    return None


def alternatives(
    resolver: Resolver, expr: cst.BaseExpression, scope: Scope, depth: int = 0
) -> Optional[List[Template]]:
    """The templates `expr` can take, or None (unknown, or more than MAX_VARIANTS)."""
    if depth > MAX_DEPTH:
        return None
    found: Optional[List[Template]] = None
    if isinstance(expr, cst.Subscript):
        found = _dict_values(resolver, expr.value, scope)
    elif isinstance(expr, cst.IfExp):
        found = _union([_one_or_many(resolver, e, scope, depth) for e in (expr.body, expr.orelse)])
    elif isinstance(expr, cst.Call):
        found = _replace(resolver, expr, scope, depth)
    elif isinstance(expr, cst.Name):
        found = _name(resolver, expr.value, scope, depth)
    if found is None or not found or len(found) > MAX_VARIANTS:
        return None
    return found


def _one_or_many(resolver: Resolver, expr, scope: Scope, depth: int) -> Optional[List[Template]]:
    many = alternatives(resolver, expr, scope, depth + 1)
    if many is not None:
        return many
    one = resolver.resolve(expr, scope)
    return [one] if one.is_fully_literal else None


def _union(groups: List[Optional[List[Template]]]) -> Optional[List[Template]]:
    if any(group is None for group in groups):
        return None
    return [template for group in groups for template in group]  # type: ignore[union-attr]


def _elements(resolver: Resolver, iterable, scope: Scope) -> Optional[List[Template]]:
    """The string elements of a literal tuple/list/set (or of a name bound to one), or the keys
    or values of a dict literal (`D.keys()`, `D.values()`, `D` itself)."""
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute) and not iterable.args:
        method = iterable.func.attr.value
        if method in ("keys", "values"):
            container = _bound(resolver, iterable.func.value, scope)
            if container is not None and isinstance(container[0], cst.Dict):
                return _dict_parts(resolver, container, keys=method == "keys")
        return None
    bound = (iterable, scope) if isinstance(iterable, (cst.Tuple, cst.List, cst.Set, cst.Dict)) else None
    bound = bound or _bound(resolver, iterable, scope)
    if bound is None:
        return None
    node, node_scope = bound
    if isinstance(node, cst.Dict):
        return _dict_parts(resolver, bound, keys=True)
    if not isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return None
    out = []
    for element in node.elements:
        if not isinstance(element.value, (cst.SimpleString, cst.ConcatenatedString)):
            return None
        out.append(resolver.resolve(element.value, node_scope))
    return out


def _bound(resolver: Resolver, expr, scope: Scope):
    if isinstance(expr, (cst.Name, cst.Attribute)):
        return resolver.binding_of(expr, scope)
    return None


def _dict_values(resolver: Resolver, owner, scope: Scope) -> Optional[List[Template]]:
    container = _bound(resolver, owner, scope)
    if container is None or not isinstance(container[0], cst.Dict):
        return None
    return _dict_parts(resolver, container, keys=False)


def _dict_parts(resolver: Resolver, container, keys: bool) -> Optional[List[Template]]:
    node, node_scope = container
    out = []
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            return None
        value = element.key if keys else element.value
        if not isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return None
        out.append(resolver.resolve(value, node_scope))
    return out


def _name(resolver: Resolver, name: str, scope: Scope, depth: int) -> Optional[List[Template]]:
    for current in scope.chain():
        if current.kind is ScopeKind.CLASS and current is not scope:
            continue
        if name in current.loops:
            loops = current.loops[name]
            groups = [_elements(resolver, iterable, loop_scope) for iterable, loop_scope in loops]
            return _union(groups)
        if current.kind is ScopeKind.FUNCTION and name in current.params:
            return literal_type(resolver, current, name) or _passed(resolver, current, name, depth)
        if name in current.assigns:
            bindings = current.assigns[name]
            if len(bindings) != 1 or bindings[0] is None:
                return None
            expr, bound_scope = bindings[0]
            return alternatives(resolver, expr, bound_scope, depth + 1)
    return None


def literal_type(resolver: Resolver, function: Scope, name: str) -> Optional[List[Template]]:
    """A parameter annotated `Literal["students", "teachers"]` (typing or typing_extensions):
    its values, each where the annotation writes it."""
    annotation = function.params[name].annotation
    node = annotation.annotation if annotation is not None else None
    if not isinstance(node, cst.Subscript):
        return None
    head = node.value
    if not (isinstance(head, cst.Name) and head.value == "Literal") and not (
        isinstance(head, cst.Attribute) and head.attr.value == "Literal"
    ):
        return None
    out = []
    for element in node.slice:
        index = element.slice
        if not isinstance(index, cst.Index) or not isinstance(index.value, cst.SimpleString):
            return None
        out.append(resolver.resolve(index.value, function))
    return out


def _passed(resolver: Resolver, function: Scope, name: str, depth: int) -> Optional[List[Template]]:
    """A parameter every call of whose function in its module passes a literal (or a value
    with known alternatives) for: those values. No call, or one unknown value: None."""
    order = function.param_order
    index = order.index(name) if name in order else -1
    values: List[Template] = []
    calls = [call for call in function.module.calls if call.callee == function.name]
    if not calls:
        return None
    for call in calls:
        passed = argument(call.node, name, index)
        if passed is None:
            return None
        found = _one_or_many(resolver, passed, call.scope, depth)
        if found is None:
            return None
        values.extend(found)
    unique = {t.flat: t for t in values}
    return list(unique.values())


def _replace(resolver: Resolver, call: cst.Call, scope: Scope, depth: int) -> Optional[List[Template]]:
    """`text.replace("users", kind)`: the resolved text with `old` swapped for each value of
    `new` (in its literal parts; the swapped-in text keeps its own source)."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value != "replace" or len(call.args) < 2:
        return None
    old_node = call.args[0].value
    news = _one_or_many(resolver, call.args[1].value, scope, depth)
    if news is None:
        return None
    text = resolver.resolve(func.value, scope)
    if not isinstance(old_node, cst.SimpleString):
        # `url.replace(user_filter, "students")` where `url` was built from `user_filter`: the
        # piece of the text that expression stands for is what is swapped
        holes = [i for i, p in enumerate(text.parts) if isinstance(p, Hole) and _stands_for(p, old_node, scope)]
        if not holes:
            return None
        return [_swap_holes(text, holes, new) for new in news]
    old = evaluate_simple_string(old_node)
    if not old:
        return None
    if not any(isinstance(p, Lit) and old in p.text for p in text.parts):
        return None
    return [swap(text, old, new) for new in news]


def replaced(resolver: Resolver, call: cst.Call, scope: Scope) -> Optional[List[Template]]:
    """What a `text.replace(old, new)` call gives, for each value `new` can take (None when it
    is not such a call, or the swap cannot be made)."""
    return _replace(resolver, call, scope, 0)


def _stands_for(hole: Hole, expr: cst.BaseExpression, scope: Scope) -> bool:
    """Whether `hole` is the unknown value of `expr` (the same parameter, or the same code)."""
    if isinstance(expr, cst.Name) and hole.param is not None and hole.param[1] == expr.value:
        return True
    if hole.origin is None:
        return False
    node, node_scope = hole.origin
    return node_scope.module is scope.module and scope.module.code_of(node) == scope.module.code_of(expr)


def _swap_holes(template: Template, holes: List[int], new: Template) -> Template:
    parts: list = []
    for index, part in enumerate(template.parts):
        parts.extend(new.parts if index in holes else (part,))
    return Template(parts)
