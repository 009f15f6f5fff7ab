"""Whether the branch of a function that builds a URL runs for a given argument.

A URL helper often has several returns, each for one kind of path:

    if re.match(r"/v\\d\\.\\d/", path):
        return cls.base_url + path            # already versioned: as it is
    return cls.base_url + "/v2.0" + path      # the others get the default version

A literal path handed to it takes exactly one of them. `admits(function, node, param, value)`
says whether the statement holding `node` can run when the parameter `param` is `value`: it
reads the `if` tests on the way to it (the body runs when the test holds, the `else` when it
fails, and the statements after an `if` whose body always returns or raises run only when it
failed). The tests it can decide are regular-expression matches of a literal pattern
(`re.match`, `re.search`, `re.fullmatch`), `startswith`/`endswith` of literals, `in` of a literal
and `not` of those; any other test may go either way, so the branch is admitted."""

from __future__ import annotations

import re
from typing import Optional, Sequence

import libcst as cst

from linter import catalog
from linter.evaluate.resolve import evaluate_simple_string
from linter.syntax.scope import Scope

_REGEX_CALLS = catalog.libraries().regex_tests
_AFFIX_TESTS = catalog.libraries().affix_tests


def admits(function: Scope, node: cst.CSTNode, param, value: str) -> bool:
    """False only when the code provably does not reach `node` with `param == value`; `param`
    is the parameter's name, or a set of names that hold its value (`path = resource if
    resource.startswith("/") else "/" + resource`)."""
    param = frozenset([param]) if isinstance(param, str) else frozenset(param)
    body = getattr(function.node, "body", None)
    if body is None:
        return True
    path = _path_to(body, node)
    if path is None:
        return True
    for container, child in zip(path, path[1:]):
        if isinstance(container, (cst.IndentedBlock, cst.Module)):
            for statement in container.body:
                if statement is child:
                    break
                if isinstance(statement, cst.If) and _always_leaves(statement.body):
                    if _holds(statement.test, param, value) is True:
                        return False  # an earlier branch returned for this value
        elif isinstance(container, cst.If):
            held = _holds(container.test, param, value)
            if child is container.body and held is False:
                return False
            if child is container.orelse and held is True:
                return False
    return True


def _path_to(root: cst.CSTNode, node: cst.CSTNode) -> Optional[Sequence[cst.CSTNode]]:
    """The nodes from `root` down to `node`, or None when it is not inside."""
    stack = [(root, [root])]
    while stack:
        current, path = stack.pop()
        if current is node:
            return path
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not root:
            continue
        for child in current.children:
            stack.append((child, path + [child]))
    return None


def _always_leaves(block: cst.BaseSuite) -> bool:
    body = getattr(block, "body", ())
    if not body:
        return False
    last = body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return any(isinstance(s, (cst.Return, cst.Raise)) for s in last.body)
    return False


def _literal(node) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        return evaluate_simple_string(node)
    if isinstance(node, cst.ConcatenatedString):
        left, right = _literal(node.left), _literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _is_param(node, param) -> bool:
    return isinstance(node, cst.Name) and node.value in param


def _holds(test: cst.BaseExpression, param, value: str) -> Optional[bool]:
    """Whether `test` holds with `param == value`; None when it cannot be decided."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _holds(test.expression, param, value)
        return None if inner is None else not inner
    if isinstance(test, cst.Call) and isinstance(test.func, cst.Attribute):
        name = test.func.attr.value
        args = [a.value for a in test.args]
        if name in _REGEX_CALLS and len(args) >= 2 and _is_param(args[1], param):
            pattern = _literal(args[0])
            if pattern is None:
                return None
            try:
                compiled = re.compile(pattern)
            except re.error:
                return None
            return bool(getattr(compiled, name)(value))
        if name in _AFFIX_TESTS and _is_param(test.func.value, param) and args:
            options = args[0]
            texts = (
                [_literal(e.value) for e in options.elements] if isinstance(options, cst.Tuple) else [_literal(options)]
            )
            if any(t is None for t in texts):
                return None
            return any(value.startswith(t) if name == "startswith" else value.endswith(t) for t in texts)  # type: ignore[arg-type]
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        comparison = test.comparisons[0]
        operator = comparison.operator
        if isinstance(operator, (cst.In, cst.NotIn)) and _is_param(comparison.comparator, param):
            text = _literal(test.left)
            if text is None:
                return None
            found = text in value
            return found if isinstance(operator, cst.In) else not found
    return None
