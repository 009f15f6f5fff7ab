"""The data every rule produces and every report consumes: plain, immutable values."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Optional, Tuple


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Confidence(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self]

    @classmethod
    def parse(cls, text: str) -> "Confidence":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(
                f"unknown confidence {text!r} (expected one of: low, medium, high)"
            ) from None


_CONFIDENCE_RANK = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines and columns, end exclusive (as editors and SARIF count)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Edit:
    """Replace one source range of one file (an empty range inserts)."""

    path: str
    span: Span
    replacement: str


@dataclass(frozen=True)
class Fix:
    """The edits that migrate one finding; codemods apply these and nothing else. An unsafe fix
    is applied only on request (`fix --unsafe-fixes`)."""

    edits: Tuple[Edit, ...]
    safe: bool
    # other findings (path, line, column, code) whose fixes must be applied in the same run,
    # or this one must not be (a version pin and the role paths on its base)
    requires: Tuple[Tuple[str, int, int, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    path: str
    span: Span
    code: str
    step: int
    severity: Severity
    confidence: Confidence
    message: str
    v2: Optional[str] = None
    v3: Optional[str] = None
    fix: Optional[Fix] = None
    note: Optional[str] = None  # why there is no fix, where a fix was considered

    @property
    def fixable(self) -> bool:
        """Fixable at all (see fix.safe for the tier)."""
        return self.fix is not None

    @property
    def key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code, self.message)

    def to_json(self) -> dict:
        data = {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "step": self.step,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "message": self.message,
            "fixable": self.fixable,
        }
        if self.v2 is not None:
            data["v2"] = self.v2
            data["v3"] = self.v3
        return data


@dataclass(frozen=True)
class EndpointUse:
    """One place where the code calls a catalog endpoint (changed or not): the inventory of
    the checklist counts these."""

    path: str
    span: Span
    endpoint: str  # the catalog's v2 path, e.g. /teachers/{id}/sections
    confidence: Confidence
    fixable: bool = False
