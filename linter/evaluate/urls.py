"""Reading a URL template: its host, its Clever API version prefix, and the catalog endpoint
its path starts with. Pure functions over flat template text (holes as HOLE)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

from linter import catalog
from linter.catalog import Endpoint
from linter.evaluate.template import HOLE, Template

CLEVER_HOSTS = catalog.CLEVER_HOSTS

_AUTHORITY = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")
_BARE_CLEVER = re.compile(r"^((?:[\w-]+\.)*clever\.com)(?=[/?#]|$)", re.IGNORECASE)
_VERSION = re.compile(r"v\d+\.\d+(?=$|[/?#]|" + HOLE + ")")  # a hole after it: a path joined at run time


class HostKind(str, enum.Enum):
    CLEVER = "clever"  # clever.com or a configured Clever host
    OTHER = "other"  # another vendor's host: nothing of ours
    UNKNOWN = "unknown"  # a hole in the host


@dataclass
class UrlAnalysis:
    template: Template
    host: Optional[str] = None
    host_kind: Optional[HostKind] = None  # None: no host (a path)
    leading_hole: bool = False  # an unknown base comes before the path
    version: Optional[str] = None  # "v2.1"
    version_span: Optional[Tuple[int, int]] = None
    path_start: int = 0  # flat index of the path (after its leading slash, if any)
    leading_slash: bool = False
    endpoint: Optional[Endpoint] = None
    segment_spans: List[Tuple[int, int]] = field(default_factory=list)
    # on a v1/v2 version: the first path segment that only v3 has (/users, /mystudents, ...)
    v3_only_span: Optional[Tuple[int, int]] = None

    @property
    def is_clever_host(self) -> bool:
        return self.host_kind is HostKind.CLEVER

    @property
    def old_version(self) -> bool:
        return self.version in catalog.V2_VERSIONS

    def v2_display(self) -> Optional[str]:
        if self.endpoint is None:
            return None
        return catalog.versioned(self.endpoint.v2, self.version)

    def v3_display(self, target: str = catalog.TARGET_VERSION) -> Optional[str]:
        if self.endpoint is None:
            return None
        return catalog.versioned(self.endpoint.v3, target if self.version else None)


V3_ONLY_SEGMENTS = frozenset({"users", "mystudents", "myteachers", "mycontacts"})


def _v3_only_segment(flat: str, start: int) -> Optional[Tuple[int, int]]:
    """The span of the first path segment after `start` that exists only in v3 (v2 has no
    /users, at any depth)."""
    end = len(flat)
    for stop in "?#":
        found = flat.find(stop, start)
        if found != -1:
            end = min(end, found)
    offset = start
    for segment in flat[start:end].split("/"):
        if segment in V3_ONLY_SEGMENTS:
            return offset, offset + len(segment)
        offset += len(segment) + 1
    return None


def is_clever_host(host: str, extra_hosts: Iterable[str] = ()) -> bool:
    name = host.lower().rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    for known in tuple(CLEVER_HOSTS) + tuple(h.lower() for h in extra_hosts):
        if name == known or name.endswith("." + known):
            return True
    return False


def analyze(template: Template, extra_hosts: Iterable[str] = ()) -> UrlAnalysis:
    flat = template.flat
    result = UrlAnalysis(template)
    position = 0
    authority = _AUTHORITY.match(flat) or _BARE_CLEVER.match(flat)
    if authority is not None:
        host = authority.group(1)
        result.host = host
        if HOLE in host or not host:
            result.host_kind = HostKind.UNKNOWN
        elif is_clever_host(host, extra_hosts):
            result.host_kind = HostKind.CLEVER
        else:
            result.host_kind = HostKind.OTHER
            return result
        position = authority.end()
    elif flat.startswith(HOLE):
        while position < len(flat) and flat[position] == HOLE:
            position += 1
        result.leading_hole = True
    extra = tuple(h.lower() for h in extra_hosts)
    if extra and authority is None:
        # A configured base URL without a scheme (an internal gateway given as host/path).
        for host in extra:
            if flat.lower().startswith(host + "/"):
                result.host, result.host_kind = flat[: len(host)], HostKind.CLEVER
                position = len(host)
                break
    if flat.startswith("/", position):
        result.leading_slash = True
        position += 1
    version = _VERSION.match(flat, position)
    if version is not None:
        result.version = version.group(0)
        result.version_span = (version.start(), version.end())
        position = version.end()
        if flat.startswith("/", position):
            position += 1
            result.leading_slash = True
        if flat.startswith(HOLE, position) and catalog.match_path(flat[position + 1 :]) is not None:
            # `/v2.1/{}teachers`: a prefix that is empty or ends in a slash (`group + "/{}/" if
            # group else ""`) glued to a catalog path
            position += 1
    elif (result.host or result.leading_hole) and flat.startswith(HOLE + "/", position):
        position += 2  # a version (or other prefix) that is not known statically
    elif result.leading_hole and not result.leading_slash:
        return result  # `{x}teachers`: not evidently a path
    result.path_start = position
    if result.old_version:
        result.v3_only_span = _v3_only_segment(flat, position)
    found = catalog.match_path(flat[position:])
    if found is None:
        return result
    endpoint, match = found
    bare = not (result.host or result.version or result.leading_hole or result.leading_slash)
    if bare and len(endpoint.segments) < 2:
        return result  # a lone word such as "students" is a dictionary key, not a path
    result.endpoint = endpoint
    offset = position
    for segment in match.group(0).split("/"):
        result.segment_spans.append((offset, offset + len(segment)))
        offset += len(segment) + 1
    return result
