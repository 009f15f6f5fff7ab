"""Where Clever lives in a module, scope by scope: which vendor the code around a construct
talks to, decided before what it holds is judged v2 (docs/confidence.md).

A scope (function, class, module) holds Clever evidence when its code has a URL on a Clever host
or names Clever (`CleverConnector`, `clever_api`, a logger called "clever"), or imports from the
project a function, class or constant whose own code is Clever's (`from settings import
load_config`, where load_config reads "clever.json"), and another vendor's
when it has a URL on another host or names one (`ClasslinkAPI`, `oneroster_client`; the words are
in catalog/libraries.yaml). A scope's code includes the scopes inside it. The nearest scope that
holds evidence of one kind and not of the other decides; a scope with both decides nothing, and
one further out is asked (the module holds a Clever connector beside a ClassLink one: each class
says which it is); a module with both is Clever's where nothing inside decided."""

from __future__ import annotations

import enum
import re
from bisect import bisect_left
from typing import Callable, Dict, List, Optional, Tuple

import libcst as cst

from linter import catalog
from linter.evaluate.urls import HostKind
from linter.syntax.module import ModuleInfo
from linter.syntax.scope import Scope
from linter.syntax.walk import Preorder


class Vendor(str, enum.Enum):
    CLEVER = "clever"
    OTHER = "other"


def _words(names) -> "re.Pattern[str]":
    return re.compile("|".join(sorted(map(re.escape, names))), re.IGNORECASE)


_CLEVER = _words(catalog.libraries().clever_words)
_OTHER = _words(catalog.libraries().other_vendor_words)


class ModuleEvidence:
    """The vendor evidence of one module, by position in its preorder."""

    def __init__(
        self,
        module: ModuleInfo,
        host_of: Callable[[cst.CSTNode], Optional[HostKind]],
        imported: Optional[Callable[[cst.CSTNode], Optional["Vendor"]]] = None,
    ):
        """`host_of`: the host of a root string's URL; `imported`: the vendor of what a
        from-import brings in, or an imported module's attribute names (`settings.load()`): a
        function, class or constant of the project whose own code names the vendor; or None."""
        self.module = module
        order = module.order if module.order is not None else Preorder(module.module)
        self._ends = order.ends
        self._clever: List[int] = []
        self._other: List[int] = []
        for index, node in enumerate(order.nodes):
            kind = type(node)
            text = None
            if kind is cst.Name:
                text = node.value
            elif kind is cst.SimpleString and len(node.value) < 200:
                text = node.value
            if text is not None:
                if _CLEVER.search(text):
                    self._clever.append(index)
                elif _OTHER.search(text):
                    self._other.append(index)
            elif (kind is cst.ImportAlias or kind is cst.Attribute) and imported is not None:
                vendor = imported(node)
                if vendor is not None:
                    (self._clever if vendor is Vendor.CLEVER else self._other).append(index)
        for root in module.roots:
            host = host_of(root.node)
            if host is None or host is HostKind.UNKNOWN:
                continue
            index = module.order_index(root.node)
            if index is not None:
                (self._clever if host is HostKind.CLEVER else self._other).append(index)
        self._clever.sort()
        self._other.sort()
        self._decided: Dict[int, Optional[Vendor]] = {}

    def _holds(self, found: List[int], start: int, end: int) -> bool:
        at = bisect_left(found, start)
        return at < len(found) and found[at] < end

    def _range(self, scope: Scope) -> Tuple[int, int]:
        if scope.parent is None:
            return 0, len(self._ends)
        index = self.module.order_index(scope.node)
        if index is None:
            return 0, 0
        return index, self._ends[index]

    def nearest(self, scope: Scope) -> Optional[Vendor]:
        """The vendor of the nearest scope around (and including) `scope` whose code names one
        vendor and not the other; None when none does."""
        key = id(scope)
        if key not in self._decided:
            found = None
            for current in scope.chain():
                start, end = self._range(current)
                clever = self._holds(self._clever, start, end)
                other = self._holds(self._other, start, end)
                if clever != other:
                    found = Vendor.CLEVER if clever else Vendor.OTHER
                    break
                if clever and current.parent is None:
                    found = Vendor.CLEVER  # a module with both: Clever, unless a scope inside says otherwise
                    break
            self._decided[key] = found
        return self._decided[key]
