"""`clever-upgrade trace`: run a command with the interceptor loaded into its Python processes,
collect the Clever requests they made, and set them beside the static analysis.

- run(command, ...): runs COMMAND with linter/runtime/site first on PYTHONPATH (its
  sitecustomize loads the interceptor in every Python process COMMAND starts, subprocesses
  included) and reads back the records each process wrote.
- Trace.of(records, ...): the requests grouped by endpoint, each read against the catalog
  (version, v2 endpoint, its v3.1 form).
- Trace.match(result): marks which endpoints `check` reports in a file of the request's stack.
- runtime_findings(data, result): for `check --trace`, the recorded v2 requests that the
  static analysis did not see, as findings (CLV701) at their call sites."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from linter import catalog
from linter.model import TARGET_VERSION, Confidence, EndpointUse, Finding, LintResult, Span, UsageError
from linter.rules.runtime import RUNTIME_ONLY
from linter.runtime import intercept

SITE_DIR = Path(__file__).resolve().parent / "site"
UNVERSIONED_OK = re.compile(r"^/(?:oauth(?:/.*)?|userinfo)/?$")  # Clever's unversioned endpoints
TRACE_FORMAT_VERSION = 1


class TraceError(UsageError):
    """COMMAND could not be started, or a trace file cannot be read (a usage error)."""


# -- running COMMAND -------------------------------------------------------------------------------
@dataclass
class Run:
    command: List[str]
    returncode: int
    records: List[dict]
    interrupted: bool = False


def run(command: Sequence[str], fake: str = "off", roster: Optional[str] = None, hosts: Sequence[str] = ()) -> Run:
    """Run COMMAND with the interceptor; `fake` is off, v2.1 or v3.1; `roster` a JSON roster."""
    directory = tempfile.mkdtemp(prefix="clever-upgrade-trace-")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SITE_DIR), env.get("PYTHONPATH", "")) if p)
    config = {"dir": directory, "fake": fake, "hosts": list(hosts), "roster": roster}
    env[intercept.ENV] = json.dumps({k: v for k, v in config.items() if v and v != "off"})
    try:
        try:
            process = subprocess.Popen(list(command), env=env)
        except OSError as exc:
            raise TraceError(f"cannot run {command[0]!r}: {exc.strerror or exc}") from None

        # Ctrl-C on a terminal reaches COMMAND by itself (one process group); we note it and wait.
        # An interrupt sent to us alone (kill -INT) is passed on if COMMAND is still running a
        # second later, so that COMMAND never gets two for one.
        interrupted_at: List[float] = []

        def note(signum, frame) -> None:
            interrupted_at.append(time.monotonic())

        previous = signal.signal(signal.SIGINT, note)
        try:
            passed_on = False
            while True:
                try:
                    returncode = process.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    if interrupted_at and not passed_on and time.monotonic() - interrupted_at[0] > 1.0:
                        process.send_signal(signal.SIGINT)
                        passed_on = True
        finally:
            signal.signal(signal.SIGINT, previous)
        interrupted = bool(interrupted_at) or returncode == -signal.SIGINT
        return Run(list(command), returncode, read_records(directory), interrupted)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def read_records(directory: str) -> List[dict]:
    records = []
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), encoding="utf-8") as handle:
            for line in handle:
                try:
                    records.append(json.loads(line))
                except ValueError:
                    pass  # a process killed in the middle of a line
    return records


# -- reading the requests ------------------------------------------------------------------------------
@dataclass
class Request:
    """Every request to one endpoint (method, version, catalog row or path)."""

    method: str
    version: Optional[str]
    path: str  # the endpoint's path: the catalog's (with {id}) or the first URL's path
    url: str  # the first URL requested
    endpoint: Optional[catalog.Endpoint]
    target: str = TARGET_VERSION
    count: int = 0
    statuses: Counter = field(default_factory=Counter)
    answered: Counter = field(default_factory=Counter)
    sites: List[Tuple[str, int]] = field(default_factory=list)
    stacks: List[Tuple[str, ...]] = field(default_factory=list)
    static: bool = False

    @property
    def old(self) -> bool:
        """A v1.x/v2.x request, an unversioned one (its default version is unconfirmed), or a v2
        role path under a v3 version (which Clever answers with 404)."""
        if self.version is None:
            return not UNVERSIONED_OK.match(self.path)
        return self.version in catalog.V2_VERSIONS or self.v2_path_on_v3

    @property
    def v2_path_on_v3(self) -> bool:
        return self.version not in catalog.V2_VERSIONS and self.endpoint is not None and self.endpoint.changed

    @property
    def v2(self) -> Optional[str]:
        if not self.old:
            return None
        return catalog.versioned(self.endpoint.v2 if self.endpoint else self.path, self.version)

    @property
    def v3(self) -> Optional[str]:
        if not self.old:
            return catalog.versioned(self.endpoint.v2 if self.endpoint else self.path, self.version)
        if self.endpoint is None or self.endpoint.v3 is None:
            return None
        return catalog.versioned(self.endpoint.v3, self.target)

    def to_json(self) -> dict:
        return {
            "method": self.method,
            "url": self.url,
            "path": self.path,
            "version": self.version,
            "v2": self.v2,
            "v3": self.v3,
            "status": self.statuses.most_common(1)[0][0] if self.statuses else None,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items(), key=lambda kv: str(kv[0]))},
            "count": self.count,
            "mocked": self.answered.get("mock", 0),
            "answered": dict(sorted(self.answered.items())),
            "sites": [{"path": p, "line": line} for p, line in self.sites],
            "stacks": [list(stack) for stack in self.stacks],
            "static": self.static,
        }


def read_url(url: str) -> Tuple[Optional[str], str, Optional[catalog.Endpoint]]:
    """(version, endpoint path, catalog row) of a requested URL: the path is the catalog's v2
    path with {id}, or a v3 path of the catalog with {id}, or the path as requested."""
    path = urlsplit(url).path or "/"
    match = re.match(r"^/(v\d+\.\d+)(?=/|$)", path)
    version = match[1] if match else None
    rest = (path[match.end() :] if match else path).strip("/")
    found = catalog.match_path(rest) if rest else None
    if found is not None and found[1].end() >= len(rest):
        return version, found[0].v2, found[0]
    for template, pattern in _v3_paths():
        if pattern.fullmatch(rest):
            return version, template, None
    return version, "/" + rest, None


@functools.lru_cache(maxsize=None)
def _v3_paths() -> Tuple[Tuple[str, "re.Pattern[str]"], ...]:
    """The v3 paths of the catalog, most specific first, as patterns over a concrete path."""
    templates = {row.v3.split("?")[0] for row in catalog.endpoints() if row.v3}
    patterns = []
    for template in sorted(templates, key=lambda t: (-t.count("/"), t)):
        pieces = ["[^/]+" if seg.startswith("{") else re.escape(seg) for seg in template.strip("/").split("/")]
        patterns.append((template, re.compile("/".join(pieces))))
    return tuple(patterns)


@dataclass
class Trace:
    requests: List[Request]
    total: int
    fake: str = "off"
    command: Optional[List[str]] = None
    returncode: Optional[int] = None

    @classmethod
    def of(cls, records: Iterable[dict], fake: str = "off", target: str = TARGET_VERSION, **run) -> "Trace":
        groups: Dict[tuple, Request] = {}
        total = 0
        for record in records:
            total += 1
            version, path, endpoint = read_url(record["url"])
            key = (record["method"], version, path)
            request = groups.get(key)
            if request is None:
                request = groups[key] = Request(record["method"], version, path, record["url"], endpoint, target)
            request.count += 1
            request.statuses[record.get("status")] += 1
            request.answered[record.get("answered") or "network"] += 1
            site = record.get("site")
            if site and (site["path"], site["line"]) not in request.sites:
                request.sites.append((site["path"], site["line"]))
            stack = tuple(record.get("stack") or ())
            if stack and stack not in request.stacks:
                request.stacks.append(stack)
        ordered = sorted(groups.values(), key=lambda r: (not r.old, r.path, r.version or "", r.method))
        return cls(ordered, total, fake, **run)

    @property
    def old(self) -> List[Request]:
        return [r for r in self.requests if r.old]

    def match(self, result: LintResult) -> None:
        """Mark the requests whose v2 endpoint `check` reports in a file of their stack (or a
        module such a file imports: a URL constant in settings.py)."""
        seen = static_endpoints(result)
        for request in self.requests:
            request.static = found_by_check(request.path, request.stacks, seen)

    def files(self) -> List[str]:
        """The user's Python files on the stacks of the v2 requests and the modules they import
        (what `check` reads)."""
        return sorted(f for f in stack_files(s for r in self.old for s in r.stacks) if os.path.isfile(f))

    def to_json(self) -> dict:
        return {
            "version": TRACE_FORMAT_VERSION,
            "command": self.command,
            "fake_api": self.fake,
            "returncode": self.returncode,
            "requests": [r.to_json() for r in self.requests],
            "summary": {
                "requests": self.total,
                "endpoints": len(self.requests),
                "v2_requests": sum(r.count for r in self.old),
                "v2_endpoints": len(self.old),
                "not_found_by_check": sum(1 for r in self.old if not r.static),
                "mocked": sum(r.answered.get("mock", 0) for r in self.requests),
            },
        }


def stack_files(stacks: Iterable[Sequence[str]]) -> set:
    """The resolved files of the stacks, and the project modules each of them imports."""
    files = {str(Path(p).resolve()) for stack in stacks for p in stack if p.endswith(".py")}
    return files | {imported for f in files for imported in _imports(f)}


@functools.lru_cache(maxsize=None)
def _imports(path: str) -> Tuple[str, ...]:
    """The files of the modules `path` imports that lie beside it: in its package, or under a
    directory above it (one level of imports; read with CPython's ast)."""
    import ast

    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return ()
    here = Path(path).parent
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names += [(node.level, f"{base}.{alias.name}" if base else alias.name) for alias in node.names]
            if base:
                names.append((node.level, base))
    found = set()
    for level, dotted in names:
        parts = dotted.split(".")
        starts = [here.parents[level - 2] if level > 1 else here] if level else [here, *here.parents]
        for start in starts:
            for candidate in (start.joinpath(*parts).with_suffix(".py"), start.joinpath(*parts, "__init__.py")):
                if candidate.is_file():
                    found.add(str(candidate.resolve()))
                    break
            else:
                continue
            break
    return tuple(sorted(found))


def found_by_check(path: str, stacks: Iterable[Sequence[str]], seen: Dict[str, set]) -> bool:
    """`check` reports the endpoint `path` in a file of the stacks (or a module one imports);
    `seen` is static_endpoints() of its result."""
    return any(path in seen.get(f, ()) for f in stack_files(stacks))


def static_endpoints(result: LintResult) -> Dict[str, set]:
    """Resolved file -> the catalog v2 endpoints `check` sees there (calls and findings)."""
    seen: Dict[str, set] = {}
    for use in result.endpoint_uses:
        seen.setdefault(str(Path(use.path).resolve()), set()).add(use.endpoint)
    for finding in result.findings:
        if finding.v2:
            _, path, _ = read_url(finding.v2)
            seen.setdefault(str(Path(finding.path).resolve()), set()).add(path)
    return seen


# -- reports -------------------------------------------------------------------------------------------
def _where(path: str, line: int) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        relative = path
    return f"{path if relative.startswith('..') else relative}:{line}"


def render_text(trace: Trace) -> str:
    lines = []
    command = " ".join(trace.command or [])
    status = "" if trace.returncode is None else f"; the command exited {trace.returncode}"
    fake = f", answered by the fake API {trace.fake}" if trace.fake != "off" else ""
    lines.append(f"clever-upgrade trace: {trace.total} Clever request(s) from `{command}`{fake}{status}")
    for request in trace.requests:
        statuses = ", ".join(
            f"{s if s is not None else 'error'} x{n}" for s, n in sorted(request.statuses.items(), key=str)
        )
        mocked = f", {request.answered['mock']} mocked" if request.answered.get("mock") else ""
        if request.old:
            target = request.v3 or "no direct v3.1 equivalent (see `clever-upgrade explain`)"
            head = f"{request.method} {request.v2} -> {target}"
        else:
            head = f"{request.method} {request.v3} (not v2)"
        lines.append("")
        lines.append(f"{head}  [{request.count} request(s): {statuses}{mocked}]")
        lines.append(f"    e.g. {request.url}")
        for path, line in request.sites:
            lines.append(f"    {_where(path, line)}")
        if request.v2_path_on_v3:
            lines.append("    a v2 role path under a v3 version: Clever answers 404")
        elif request.version is None and request.old:
            lines.append("    unversioned: the version Clever applies is unconfirmed; pin /v3.1")
        if request.old and not request.static:
            lines.append("    not found by check: no finding for this endpoint in the files of its stack")
    old = trace.old
    lines.append("")
    if old:
        missed = sum(1 for r in old if not r.static)
        lines.append(
            f"{len(old)} v2 endpoint(s), {sum(r.count for r in old)} request(s); {missed} not found by check. "
            "Exit 1: the code still calls Clever v2."
        )
    else:
        lines.append("No Clever v1.x/v2.x request was recorded.")
    return "\n".join(lines) + "\n"


# -- check --trace -----------------------------------------------------------------------------------------
def load(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TraceError(f"{path}: cannot read the trace ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise TraceError(f"{path}: not a trace file ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != TRACE_FORMAT_VERSION or "requests" not in data:
        raise TraceError(f"{path}: not a trace file of `clever-upgrade trace --format json`")
    return data


def runtime_findings(data: dict, result: LintResult, contains=None) -> List[Finding]:
    """The recorded v2 requests that `check` does not see in any file of their stack, as
    findings at their innermost call site (`contains(path)`: the site is in the checked paths)."""
    seen = static_endpoints(result)
    findings = []
    for request in data["requests"]:
        if not request.get("v2"):
            continue
        version, path, endpoint = read_url(request["url"])
        if found_by_check(path, request.get("stacks", []), seen):
            continue
        for site in request.get("sites", []):
            if contains is not None and not contains(site["path"]):
                continue
            findings.append(_runtime_finding(site["path"], site["line"], request, endpoint))
    return findings


def _runtime_finding(path: str, line: int, request: dict, endpoint) -> Finding:
    try:
        text = Path(path).read_text(encoding="utf-8").splitlines()[line - 1]
        start = len(text) - len(text.lstrip()) + 1
        end = len(text.rstrip()) + 1
    except (OSError, IndexError, UnicodeDecodeError):
        start = end = 1
    display = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    target = f"; its v3.1 form is {request['v3']}" if request.get("v3") else ""
    statuses = ", ".join(f"{k} x{v}" for k, v in request.get("statuses", {}).items())
    message = (
        f"runtime-only: {request['method']} {request['url']} ({request['v2']}) was requested from here at run "
        f"time ({request['count']} request(s): {statuses}){target}; the static analysis cannot see how this URL "
        "is built"
    )
    finding = RUNTIME_ONLY.finding(
        display,
        Span(line, start, line, max(end, start)),
        message,
        Confidence.HIGH,
        v2=request["v2"],
        v3=request.get("v3"),
    )
    return dataclasses.replace(finding, step=endpoint.step) if endpoint is not None else finding


def with_trace(result: LintResult, data: dict, paths: Sequence[str]) -> LintResult:
    """`result` with the runtime-only findings of a trace whose call sites lie in `paths`."""
    roots = [Path(p).resolve() for p in paths]

    def contains(path: str) -> bool:
        resolved = Path(path).resolve()
        return any(resolved == root or root in resolved.parents for root in roots)

    added = runtime_findings(data, result, contains)
    known = {f.key for f in result.findings}
    new = [f for f in added if f.key not in known]
    uses = [
        EndpointUse(f.path, f.span, path, Confidence.HIGH)
        for f in new
        for _, path, endpoint in [read_url(f.v2 or "")]
        if endpoint is not None
    ]
    return dataclasses.replace(
        result,
        findings=sorted(result.findings + new, key=lambda f: f.sort_key),
        endpoint_uses=result.endpoint_uses + uses,
        trace=data,
    )


# -- the `trace` command -----------------------------------------------------------------------------------
def roster_as_json(path: str) -> str:
    """The roster checked, and written as JSON for the traced processes (which may not have
    PyYAML): a temporary file's path (the caller removes it)."""
    from linter.runtime.fake_api import Roster, RosterError

    try:
        data = Roster.load(path).raw
    except RosterError as exc:
        raise TraceError(str(exc)) from None
    handle, name = tempfile.mkstemp(prefix="clever-upgrade-roster-", suffix=".json")
    with open(handle, "w", encoding="utf-8") as out:
        json.dump(data, out)
    return name


def trace(command: Sequence[str], fake: str, roster: Optional[str], options, static: bool = True):
    """Run COMMAND under the interceptor and read what it requested: (Run, Trace). With
    `static`, the files whose code made v2 requests are checked too (at every confidence), so
    that the report says which requests `check` misses."""
    if roster and fake == "off":
        raise TraceError("--roster is the fake API's roster: give --fake-api v2.1 or v3.1 too")
    roster_json = roster_as_json(roster) if roster else None
    try:
        run_ = run(command, fake, roster_json, options.clever_hosts)
    finally:
        if roster_json:
            Path(roster_json).unlink()
    report = Trace.of(run_.records, fake, options.target_version, command=run_.command, returncode=run_.returncode)
    files = report.files()
    if files and static:
        from linter.api import lint_paths

        report.match(lint_paths(files, dataclasses.replace(options, min_confidence=Confidence.LOW, cache=False)))
    return run_, report


def exit_status(run_: Run, report: "Trace") -> int:
    """130 after Ctrl-C, 1 when any v1.x/v2.x request was recorded, else COMMAND's own status
    (a signal's as a shell reports it)."""
    if run_.interrupted:
        return 130
    if report.old:
        return 1
    return run_.returncode if run_.returncode >= 0 else 128 - run_.returncode
