"""Layer `catalog`: the v2 -> v3.1 knowledge as data (the YAML files beside this module, loaded
once), and the one role vocabulary (roles.yaml, read through roles()). Every rule, message,
fix, the prefilter and the generated docs read the mapping from here; a new v2 endpoint is one
row of endpoints.yaml, a new spelling of a role one word of roles.yaml, a new spelling of a
library form the analysis models (a URL builder, a client, a mock) one entry of libraries.yaml.

May import: model. Nothing else of ours.

The YAML is read (and kept compiled in __pycache__) on first use, never at import."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Optional, Tuple

from linter.model import HOLE, TARGET_VERSION

CATALOG_DIR = Path(__file__).parent

# the API versions Clever served before v3 (v2.17 or v2.0.5 are none of them)
V2_VERSIONS = frozenset({"v1.1", "v1.2", "v2.0", "v2.1"})
# the domains of Clever's API (a host is Clever's when it is one of these or under one)
CLEVER_HOSTS = ("clever.com",)

__all__ = [
    "TARGET_VERSION",
    "V2_VERSIONS",
    "CLEVER_HOSTS",
    "Endpoint",
    "EndpointKind",
    "RoleVocabulary",
    "EventVocabulary",
    "Libraries",
    "roles",
    "events",
    "libraries",
]


class EndpointKind(str, enum.Enum):
    """What becomes of a v2 endpoint in v3.1 (endpoints.yaml's `kind`)."""

    COLLECTION = "collection"  # a role collection -> /users?role=<role>
    RECORD = "record"  # a role record -> /users/{id}
    RELATED = "related"  # data related to a role -> /users/{id}/...
    NESTED = "nested"  # a role collection under another resource -> .../users?role=<role>
    MANUAL = "manual"  # no direct v3.1 equivalent
    UNCHANGED = "unchanged"  # the same path in v3.1
    V1 = "v1"  # existed only in API v1.x

    @property
    def moves_role(self) -> bool:
        """A role path with a mechanical v3.1 form."""
        return self in (EndpointKind.COLLECTION, EndpointKind.RECORD, EndpointKind.RELATED, EndpointKind.NESTED)


@dataclass(frozen=True)
class RoleVocabulary:
    """Every v2 spelling of each v3 role (roles.yaml)."""

    labels: Dict[str, str]  # v3 role -> how messages name it
    path_words: FrozenSet[str]  # v2/v1 path segments that name a role
    plural: Dict[str, str]  # the plural collection segment -> its role (/teachers: teacher)
    me_types: Dict[str, str]  # a v2 /me `type` value -> its v3 role
    id_changing: FrozenSet[str]  # the roles whose user IDs change in v3
    event_resources: Dict[str, str]  # v2 event resource / record_type -> v3 role
    event_spellings: Dict[str, str]  # other spellings of the event resources -> v3 role
    sdk_event_prefixes: Dict[str, str]  # StudentsCreated's "Students" -> v3 role

    def label(self, role: Optional[str]) -> str:
        return self.labels.get(role or "", role or "user")


@functools.lru_cache(maxsize=None)
def roles() -> RoleVocabulary:
    data = _load("roles.yaml")["roles"]
    vocabulary = RoleVocabulary(
        labels={role: row["label"] for role, row in data.items()},
        path_words=frozenset(word for row in data.values() for word in row["paths"]),
        plural={row["paths"][0]: role for role, row in data.items()},
        me_types={name: role for role, row in data.items() for name in row["me_types"]},
        id_changing=frozenset(role for role, row in data.items() if row["id_changes"]),
        event_resources={word: role for role, row in data.items() for word in row["events"]},
        event_spellings={word: role for role, row in data.items() for word in row["spellings"]},
        sdk_event_prefixes={row["sdk_event"]: role for role, row in data.items()},
    )
    return vocabulary


@dataclass(frozen=True)
class Endpoint:
    v2: str
    v3: Optional[str]
    kind: EndpointKind
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
        return self.kind is not EndpointKind.UNCHANGED

    @property
    def anchor(self) -> int:
        """Index of the first path segment that has to change (where a finding points)."""
        v2 = self.segments
        if self.v3 is not None and self.kind is not EndpointKind.V1:
            v3 = tuple(self.v3.split("?")[0].strip("/").split("/"))
            for index, segment in enumerate(v2):
                if index >= len(v3) or v3[index] != segment:
                    return index
            return 0
        words = roles().path_words
        for index, segment in enumerate(v2):
            if segment in words:
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
    rows = tuple(Endpoint(**{**row, "kind": EndpointKind(row["kind"])}) for row in data["endpoints"])
    seen = set()
    for row in rows:
        if row.v2 in seen:
            raise ValueError(f"duplicate catalog row {row.v2}")
        seen.add(row.v2)
    return rows


@functools.lru_cache(maxsize=None)
def _by_first_segment() -> "dict":
    """The endpoints by their first path segment (every v2 path starts with a literal one), each
    list most specific (longest) first: a path is matched only against the rows it can start."""
    rows: dict = {}
    for row in sorted(endpoints(), key=lambda row: -len(row.segments)):
        if row.segments[0].startswith("{"):
            raise ValueError(f"catalog row {row.v2} starts with a parameter")
        rows.setdefault(row.segments[0], []).append(row)
    return rows


_FIRST_SEGMENT = re.compile(rf"[^/?#&{HOLE}]*")


@functools.lru_cache(maxsize=None)
def resource_words() -> frozenset:
    return frozenset(segment for row in endpoints() for segment in row.segments if not segment.startswith("{"))


def match_path(flat: str) -> Optional[Tuple[Endpoint, "re.Match[str]"]]:
    """The most specific catalog endpoint at the start of `flat` (a path without its leading
    slash, holes as HOLE), or None."""
    words = resource_words()
    first = _FIRST_SEGMENT.match(flat)
    for row in _by_first_segment().get(first.group(0) if first else "", ()):
        match = row.pattern.match(flat)
        if match is None:
            continue
        segments = match.group(0).split("/")
        if any(spec.startswith("{") and (seg in words or not seg) for spec, seg in zip(row.segments, segments)):
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
    plural: "dict"  # the resources and spellings that end in "s" (event-type prefixes) -> v3 role
    sdk_classes: "dict"  # v2 SDK event class name -> v3 role
    type_pattern: "re.Pattern[str]"  # a whole v2 event type of a user resource
    prefix_pattern: "re.Pattern[str]"  # a resource prefix as used with startswith()
    record_types: frozenset

    def v3_type(self, v2_type: str) -> str:
        return f"{self.v3_resource}.{v2_type.rsplit('.', 1)[1]}"


@functools.lru_cache(maxsize=None)
def events() -> EventVocabulary:
    data = _load("events.yaml")
    vocabulary = roles()
    resources = dict(vocabulary.event_resources)
    spellings = dict(vocabulary.event_spellings)
    plural = {**resources, **{k: v for k, v in spellings.items() if k.endswith("s")}}
    actions = tuple(data["actions"])
    names = "|".join(re.escape(r) for r in sorted(plural, key=len, reverse=True))
    classes = {
        f"{prefix}{action.capitalize()}": role
        for prefix, role in vocabulary.sdk_event_prefixes.items()
        for action in actions
    }
    return EventVocabulary(
        v3_resource=data["v3_resource"],
        actions=actions,
        resources={**resources, **spellings},
        plural=plural,
        sdk_classes=classes,
        type_pattern=re.compile(rf"^({names})\.({'|'.join(actions)})$"),
        prefix_pattern=re.compile(rf"^({names})\.?$"),
        record_types=frozenset(resources) | frozenset(spellings),
    )


@functools.lru_cache(maxsize=None)
def sdk() -> dict:
    return _load("sdk.yaml")


@functools.lru_cache(maxsize=None)
def sdk_methods() -> "dict":
    """v2 SDK method name (and its _with_http_info twin) -> catalog endpoint row."""
    methods = {}
    for row in endpoints():
        if row.sdk_v2 and row.kind is not EndpointKind.V1:
            methods[row.sdk_v2] = row
            methods[f"{row.sdk_v2}_with_http_info"] = row
    return methods


@functools.lru_cache(maxsize=None)
def fields() -> dict:
    return _load("fields.yaml")


@dataclass(frozen=True)
class Libraries:
    """What the analysis knows of other libraries (libraries.yaml, whose comments say what each
    list means and which module gives it its semantics)."""

    builders: Dict[str, str]  # a function or class name -> how it builds a URL (resolve's semantics)
    path_modules: FrozenSet[str]
    request_methods: FrozenSet[str]
    base_url_keywords: FrozenSet[str]
    message_calls: FrozenSet[str]
    route_functions: FrozenSet[str]
    route_methods: FrozenSet[str]
    redirects: FrozenSet[str]
    string_tests: FrozenSet[str]
    string_operations: FrozenSet[str]
    mock_libraries: FrozenSet[str]
    mock_fixtures: FrozenSet[str]
    mock_methods: FrozenSet[str]
    recording_directories: FrozenSet[str]
    clever_words: FrozenSet[str]
    other_vendor_words: FrozenSet[str]
    regex_tests: FrozenSet[str]
    affix_tests: FrozenSet[str]

    def builders_of(self, semantics: str) -> FrozenSet[str]:
        return frozenset(name for name, kind in self.builders.items() if kind == semantics)


@functools.lru_cache(maxsize=None)
def libraries() -> Libraries:
    data = dict(_load("libraries.yaml"))
    builders = {str(name): str(kind) for name, kind in data.pop("builders").items()}
    return Libraries(builders=builders, **{key: frozenset(map(str, names)) for key, names in data.items()})
