"""The v2 -> v3.1 knowledge, loaded once from the YAML files beside this module."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

from linter.evaluate.template import HOLE

CATALOG_DIR = Path(__file__).parent
TARGET_VERSION = "v3.1"

# Path words that name a v2 role (plural collections, the singular relations, v1 "admins").
ROLE_WORDS = frozenset(
    {"students", "teachers", "school_admins", "district_admins", "contacts", "teacher", "student", "admins"}
)
ROLE_LABELS = {
    "student": "student",
    "teacher": "teacher",
    "staff": "school admin (staff)",
    "district_admin": "district admin",
    "contact": "contact",
}


@dataclass(frozen=True)
class Endpoint:
    v2: str
    v3: Optional[str]
    kind: str
    step: int
    role: Optional[str] = None
    id_changes: bool = False
    guidance: Optional[str] = None
    note: Optional[str] = None
    sdk_v2: Optional[str] = None
    sdk_v3: Optional[str] = None
    basis: str = "S"

    @property
    def segments(self) -> Tuple[str, ...]:
        return tuple(self.v2.strip("/").split("/"))

    @property
    def changed(self) -> bool:
        return self.kind != "unchanged"

    @property
    def anchor(self) -> int:
        """Index of the first path segment that has to change (where a finding points)."""
        v2 = self.segments
        if self.v3 is not None and self.kind != "v1":
            v3 = tuple(self.v3.split("?")[0].strip("/").split("/"))
            for index, segment in enumerate(v2):
                if index >= len(v3) or v3[index] != segment:
                    return index
            return 0
        for index, segment in enumerate(v2):
            if segment in ROLE_WORDS:
                return index
        return len(v2) - 1

    @functools.cached_property
    def pattern(self) -> "re.Pattern[str]":
        """Matches this endpoint at the start of a flat path (no leading slash)."""
        pieces = []
        for segment in self.segments:
            if segment.startswith("{"):
                pieces.append(r"(?:[^/?#&]+)")
            else:
                pieces.append(f"({re.escape(segment)})")
        return re.compile("/".join(pieces) + rf"(?=$|[?#&]|/$|/[?#]|{HOLE})")


def _load(name: str):
    """A catalog file's data. Parsed YAML is kept in the package's __pycache__ in marshal form,
    keyed like a .pyc by the file's size and modification time: importing PyYAML and parsing
    took longer than a whole run over a few files (pre-commit); loading the kept copy takes a
    fraction of a millisecond. Where __pycache__ cannot be written the YAML is parsed each time
    (libyaml's C parser when PyYAML has it)."""
    import marshal
    import os
    import sys

    source = CATALOG_DIR / name
    stat = source.stat()
    compiled = CATALOG_DIR / "__pycache__" / f"{name}.{sys.implementation.cache_tag}.{stat.st_size}-{stat.st_mtime_ns}"
    try:
        return marshal.loads(compiled.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import yaml

    data = yaml.load(source.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        kept = marshal.dumps(data)  # ValueError for what marshal cannot hold (a date)
        compiled.parent.mkdir(exist_ok=True)
        for old in compiled.parent.glob(f"{name}.*"):
            old.unlink()  # compiled from an earlier version of the file
        temporary = compiled.with_name(f"{compiled.name}.{os.getpid()}.tmp")
        temporary.write_bytes(kept)
        os.replace(temporary, compiled)
    except (OSError, ValueError):
        pass  # a read-only installation: parsed again next time
    return data


@functools.lru_cache(maxsize=None)
def endpoints() -> Tuple[Endpoint, ...]:
    data = _load("endpoints.yaml")
    rows = tuple(Endpoint(**row) for row in data["endpoints"])
    seen = set()
    for row in rows:
        if row.v2 in seen:
            raise ValueError(f"duplicate catalog row {row.v2}")
        seen.add(row.v2)
    return rows


@functools.lru_cache(maxsize=None)
def _by_length() -> Tuple[Endpoint, ...]:
    return tuple(sorted(endpoints(), key=lambda row: -len(row.segments)))


@functools.lru_cache(maxsize=None)
def resource_words() -> frozenset:
    return frozenset(
        segment for row in endpoints() for segment in row.segments if not segment.startswith("{")
    )


def match_path(flat: str) -> Optional[Tuple[Endpoint, "re.Match[str]"]]:
    """The most specific catalog endpoint at the start of `flat` (a path without its leading
    slash, holes as HOLE), or None."""
    words = resource_words()
    for row in _by_length():
        match = row.pattern.match(flat)
        if match is None:
            continue
        segments = match.group(0).split("/")
        if any(
            spec.startswith("{") and (seg in words or not seg)
            for spec, seg in zip(row.segments, segments)
        ):
            continue
        return row, match
    return None


def versioned(path: Optional[str], version: Optional[str]) -> Optional[str]:
    if path is None:
        return None
    return f"/{version}{path}" if version else path


@dataclass(frozen=True)
class EventVocabulary:
    v3_resource: str
    actions: Tuple[str, ...]
    resources: "dict"  # v2 resource (and spellings) -> v3 role
    sdk_classes: "dict"  # v2 SDK event class name -> v3 role
    type_pattern: "re.Pattern[str]"  # a whole v2 event type of a user resource
    prefix_pattern: "re.Pattern[str]"  # a resource prefix as used with startswith()
    record_types: frozenset

    def v3_type(self, v2_type: str) -> str:
        return f"{self.v3_resource}.{v2_type.rsplit('.', 1)[1]}"


@functools.lru_cache(maxsize=None)
def events() -> EventVocabulary:
    data = _load("events.yaml")
    resources = dict(data["resources"])
    plural = {**resources, **{k: v for k, v in data["spellings"].items() if k.endswith("s")}}
    actions = tuple(data["actions"])
    names = "|".join(re.escape(r) for r in sorted(plural, key=len, reverse=True))
    classes = {
        f"{prefix}{action.capitalize()}": role
        for prefix, role in data["sdk_class_prefixes"].items()
        for action in actions
    }
    return EventVocabulary(
        v3_resource=data["v3_resource"],
        actions=actions,
        resources={**resources, **data["spellings"]},
        sdk_classes=classes,
        type_pattern=re.compile(rf"^({names})\.({'|'.join(actions)})$"),
        prefix_pattern=re.compile(rf"^({names})\.?$"),
        record_types=frozenset(resources) | frozenset(data["spellings"]),
    )


@functools.lru_cache(maxsize=None)
def sdk() -> dict:
    return _load("sdk.yaml")


@functools.lru_cache(maxsize=None)
def sdk_methods() -> "dict":
    """v2 SDK method name (and its _with_http_info twin) -> catalog endpoint row."""
    methods = {}
    for row in endpoints():
        if row.sdk_v2 and row.kind != "v1":
            methods[row.sdk_v2] = row
            methods[f"{row.sdk_v2}_with_http_info"] = row
    return methods


@functools.lru_cache(maxsize=None)
def fields() -> dict:
    return _load("fields.yaml")
