"""The interceptor that `clever-upgrade trace` loads into the Python programs it runs, and the
`clever_api` pytest fixture uses in-process: it records every HTTP request to a Clever host and,
with a fake API, answers those requests itself, so that they never reach the network.

Where it hooks in, for each library: the client call a program makes (recorded, with the
innermost stack frame of the user's code), and the transport below it (where the fake answers,
or where "it went to the network" is noted). A request that returns without reaching the
transport was answered by a mock library (responses, requests-mock, respx, VCR cassettes),
and is recorded as mocked.

    library          recorded at                          answered by the fake at
    requests         Session.send                         HTTPAdapter.send
    urllib3          HTTPConnectionPool.urlopen           (the same)
    urllib.request   OpenerDirector.open                  AbstractHTTPHandler.do_open
    http.client      HTTPConnection.request/getresponse   (the same)
    httpx            Client.send, AsyncClient.send        httpcore's connection pools
    aiohttp          ClientSession._request               a loopback server of the fake

Modules not yet imported are patched right after their import (a post-import hook on
sys.meta_path), so a program that never imports an HTTP library pays nothing, and a request
to another host costs a substring test per layer.

Standard library only, importing nothing of ours but the fake API (loaded by its path when this
module was): it runs inside users' programs, under any interpreter they use."""

from __future__ import annotations

import contextvars
import importlib.abc
import importlib.util
import io
import json
import os
import re
import sys
import sysconfig
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

# What `trace` asks of each process, as one JSON object in one environment variable: "dir"
# (where each process writes its records, one JSON-lines file each), "fake" (v2.1 or v3.1:
# answer Clever requests with the fake API), "roster" (a JSON roster for it), "hosts" (more
# Clever hosts). One variable, not four: requests scans the whole environment for proxies on
# every request, so each variable added costs every request of the traced program.
ENV = "CLEVER_UPGRADE_TRACE"

DEFAULT_HOSTS = ("clever.com",)
HERE = os.path.dirname(os.path.abspath(__file__))

_current: "contextvars.ContextVar[Optional[dict]]" = contextvars.ContextVar("clever_upgrade_request", default=None)


def _needle(hosts) -> "re.Pattern[str]":
    return re.compile("|".join(re.escape(h) for h in hosts), re.IGNORECASE)


class _State:
    def __init__(self) -> None:
        self.installed = False
        self.hosts: Tuple[str, ...] = DEFAULT_HOSTS
        self.needle = _needle(DEFAULT_HOSTS)  # finds any of the hosts in a text (case-insensitive)
        self.fake = None  # a FakeClever, or None: requests go where they were going
        self.sinks: List[Callable[[dict], None]] = []
        self.restore: List[Tuple[Any, str, Any]] = []  # (owner, attribute, original)
        self.patched: set = set()
        self.loopback: Optional[str] = None  # the fake on a port, for aiohttp
        self.loopback_server: Any = None  # that port's server, and the fake it answers with
        self.loopback_fake: Any = None
        self.lock = threading.Lock()


STATE = _State()


# -- which requests ------------------------------------------------------------------------------
def is_clever(url: str) -> bool:
    """A URL on clever.com (or a subdomain) or on a configured Clever host."""
    if STATE.needle.search(url) is None:  # the fast path for every other request: one C call
        return False
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in STATE.hosts)


def clever_host(host) -> bool:
    """The fast test of a bare host (str or bytes) for the clients that hold it apart."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if STATE.needle.search(host) is None:
        return False
    host = host.lower()
    return any(host == h or host.endswith("." + h) for h in STATE.hosts)


def _excluded_prefixes() -> Tuple[str, ...]:
    paths = sysconfig.get_paths()
    prefixes = {paths.get(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    prefixes.add(HERE)
    forms = {form for p in prefixes if p for form in (os.path.abspath(p), os.path.realpath(p))}
    return tuple(os.path.join(form, "") for form in sorted(forms))


_EXCLUDED: Tuple[str, ...] = ()


def user_frames(limit: int = 40) -> List[Tuple[str, int]]:
    """The frames of the user's code on the current stack, innermost first: not the standard
    library, not an installed package, not this module."""
    global _EXCLUDED
    if not _EXCLUDED:
        _EXCLUDED = _excluded_prefixes()
    frames = []
    frame = sys._getframe(1)
    while frame is not None and len(frames) < limit:
        filename = frame.f_code.co_filename
        if not filename.startswith("<") and "site-packages" not in filename and "dist-packages" not in filename:
            path = os.path.realpath(filename) if not os.path.isabs(filename) else filename
            if not path.startswith(_EXCLUDED) and not os.path.join(path, "").startswith(_EXCLUDED):
                frames.append((path, frame.f_lineno))
        frame = frame.f_back
    return frames


# -- records -------------------------------------------------------------------------------------
def _start(library: str, method: str, url: str) -> dict:
    frames = user_frames()
    stack = []
    for path, _ in frames:
        if path not in stack:
            stack.append(path)
    return {
        "method": method.upper(),
        "url": url,
        "library": library,
        "status": None,
        "answered": None,  # network, fake; mock when nothing below the client answered
        "site": {"path": frames[0][0], "line": frames[0][1]} if frames else None,
        "stack": stack,
        "pid": os.getpid(),
    }


def _finish(record: dict, status: Optional[int], error: Optional[BaseException] = None) -> None:
    record["status"] = status
    if record["answered"] is None:
        record["answered"] = "mock" if error is None else "error"
    if error is not None and status is None:
        record["error"] = type(error).__name__
    for sink in list(STATE.sinks):
        try:
            sink(record)
        except Exception:  # noqa: BLE001 - nothing of ours may fail the user's request (a full disk)
            pass


class FileSink:
    """Appends each record as a JSON line to a file of this process's own in `directory` (a
    forked child opens its own)."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.pid = -1
        self.handle = None
        self.lock = threading.Lock()

    def __call__(self, record: dict) -> None:
        line = json.dumps(record) + "\n"
        with self.lock:
            if self.pid != os.getpid():
                self.pid = os.getpid()
                name = f"{self.pid}-{threading.get_ident()}.jsonl"
                self.handle = open(os.path.join(self.directory, name), "a", encoding="utf-8")
            self.handle.write(line)
            self.handle.flush()


def _answer(record: dict, headers) -> Tuple[int, str, List[Tuple[str, str]], bytes]:
    record["answered"] = "fake"
    return STATE.fake.respond_bytes(record["method"], record["url"], headers or {})


_PASS = object()  # _below's "let the request through"


def _below(outer: dict, fake: Optional[Callable]):
    """At a layer below the one recording `outer`: the fake's answer when the fake API is on
    and this layer can give one (no layer above answered), else _PASS, noting that the request
    went on towards the network."""
    if outer["answered"] is None:
        if fake is not None and STATE.fake is not None:
            return fake(outer)
        outer["answered"] = "network"
    return _PASS


def _intercept(library: str, method: str, url: str, call: Callable, fake: Optional[Callable], status: Callable):
    """One request at a hooked layer: recorded when it is the outermost layer of a Clever
    request; answered by `fake(record)` when the fake API is on and no layer above answered."""
    outer = _current.get()
    if outer is not None:
        answer = _below(outer, fake)
        return call() if answer is _PASS else answer
    if not is_clever(url):
        return call()
    record = _start(library, method, url)
    token = _current.set(record)
    try:
        response = fake(record) if fake is not None and STATE.fake is not None else call()
    except BaseException as error:
        _finish(record, _error_status(error), error)
        raise
    finally:
        _current.reset(token)
    _finish(record, status(response))
    return response


async def _intercept_async(library, method, url, call, fake, status):
    outer = _current.get()
    if outer is not None:
        answer = _below(outer, fake)
        return await call() if answer is _PASS else answer
    if not is_clever(url):
        return await call()
    record = _start(library, method, url)
    token = _current.set(record)
    try:
        response = fake(record) if fake is not None and STATE.fake is not None else await call()
    except BaseException as error:
        _finish(record, _error_status(error), error)
        raise
    finally:
        _current.reset(token)
    _finish(record, status(response))
    return response


def _error_status(error: BaseException) -> Optional[int]:
    """The status of an error that carries a response (urllib's HTTPError, raise_for_status)."""
    code = getattr(error, "code", None)
    if isinstance(code, int):
        return code
    status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


# -- the hooks, one per library ----------------------------------------------------------------------
def _patch(owner, name: str, make: Callable) -> None:
    original = owner.__dict__.get(name)
    if original is None or getattr(original, "_clever_upgrade", None) == id(STATE):
        return  # (a wrapper of another copy of this module, `trace`'s under a test's fixture, is wrapped again)
    wrapper = make(original)
    wrapper._clever_upgrade = id(STATE)
    wrapper.__wrapped__ = original
    for attribute in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(wrapper, attribute, getattr(original, attribute))
        except (AttributeError, TypeError):
            pass
    setattr(owner, name, wrapper)
    STATE.restore.append((owner, name, original))


def _urllib3_response(answer, preload: bool = True, method: str = "GET", url: str = ""):
    from urllib3.response import HTTPResponse

    status, reason, headers, payload = answer
    return HTTPResponse(
        body=io.BytesIO(payload),
        headers=dict(headers),
        status=status,
        reason=reason,
        preload_content=preload,
        decode_content=False,
        request_method=method,
        request_url=url,
    )


def _requests_send(original, answers: bool):
    """requests' Session.send (where a request is recorded) or HTTPAdapter.send (the transport,
    where the fake answers): one wrapper, `answers` telling which."""

    def send(self, request, *args, **kwargs):
        def fake(record):
            answer = _answer(record, request.headers)
            return self.build_response(request, _urllib3_response(answer, False, record["method"], record["url"]))

        return _intercept(
            "requests",
            request.method or "GET",
            request.url or "",
            lambda: original(self, request, *args, **kwargs),
            fake if answers else None,
            lambda r: r.status_code,
        )

    return send


def _hook_requests_sessions(module) -> None:
    _patch(module.Session, "send", lambda original: _requests_send(original, answers=False))


def _hook_requests_adapters(module) -> None:
    _patch(module.HTTPAdapter, "send", lambda original: _requests_send(original, answers=True))


def _hook_urllib3(module) -> None:
    def make(original):
        def urlopen(self, method, url, *args, **kwargs):
            if _current.get() is None and "://" not in url and not clever_host(self.host or ""):
                return original(self, method, url, *args, **kwargs)
            full = url if "://" in url else f"{self.scheme}://{self.host}{_port(self.scheme, self.port)}{url}"

            def fake(record):
                answer = _answer(record, kwargs.get("headers") or self.headers)
                return _urllib3_response(answer, kwargs.get("preload_content", True), method, full)

            return _intercept(
                "urllib3", method, full, lambda: original(self, method, url, *args, **kwargs), fake, lambda r: r.status
            )

        return urlopen

    _patch(module.HTTPConnectionPool, "urlopen", make)


def _port(scheme: str, port) -> str:
    return "" if port in (None, 80 if scheme == "http" else 443) else f":{port}"


def _http_client_response(answer, method: str):
    import http.client

    status, reason, headers, payload = answer
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"

    class Socket:
        def makefile(self, *args, **kwargs):
            return io.BytesIO(head.encode("latin-1") + payload)

    response = http.client.HTTPResponse(Socket(), method=method)
    response.begin()
    return response


def _hook_http_client(module) -> None:
    def make_request(original):
        def request(self, method, url, *args, **kwargs):
            if _current.get() is None and "://" not in url and not clever_host(self.host or ""):
                return original(self, method, url, *args, **kwargs)
            scheme = "https" if isinstance(self, module.HTTPSConnection) else "http"
            full = url if "://" in url else f"{scheme}://{self.host}{_port(scheme, self.port)}{url}"
            outer = _current.get()
            if outer is not None or not is_clever(full):
                if outer is not None:
                    _below(outer, None)  # under urllib or urllib3, which answer for the fake
                return original(self, method, url, *args, **kwargs)
            record = _start("http.client", method, full)
            self._clever_upgrade_record = record
            if STATE.fake is not None:
                headers = kwargs.get("headers", args[1] if len(args) > 1 else {})
                self._clever_upgrade_answer = _answer(record, headers)
                return None
            record["answered"] = "network"
            try:
                return original(self, method, url, *args, **kwargs)
            except BaseException as error:
                self._clever_upgrade_record = None
                _finish(record, None, error)
                raise

        return request

    def make_getresponse(original):
        def getresponse(self, *args, **kwargs):
            record = self.__dict__.pop("_clever_upgrade_record", None)
            answer = self.__dict__.pop("_clever_upgrade_answer", None)
            if record is None:
                return original(self, *args, **kwargs)
            if answer is not None:
                response = _http_client_response(answer, record["method"])
            else:
                try:
                    response = original(self, *args, **kwargs)
                except BaseException as error:
                    _finish(record, None, error)
                    raise
            _finish(record, response.status)
            return response

        return getresponse

    _patch(module.HTTPConnection, "request", make_request)
    _patch(module.HTTPConnection, "getresponse", make_getresponse)


def _hook_urllib_request(module) -> None:
    def make_open(original):
        def open_(self, fullurl, *args, **kwargs):
            url = fullurl if isinstance(fullurl, str) else fullurl.full_url
            method = "GET" if isinstance(fullurl, str) else fullurl.get_method()
            if isinstance(fullurl, str) and (args and args[0] is not None or kwargs.get("data") is not None):
                method = "POST"
            return _intercept(
                "urllib",
                method,
                url,
                lambda: original(self, fullurl, *args, **kwargs),
                None,
                lambda r: getattr(r, "status", None),
            )

        return open_

    def make_do_open(original):
        def do_open(self, http_class, request, **kwargs):
            def fake(record):
                headers = {**request.unredirected_hdrs, **request.headers}
                response = _http_client_response(_answer(record, headers), record["method"])
                response.url = request.get_full_url()
                response.msg = response.reason
                return response

            return _intercept(
                "urllib",
                request.get_method(),
                request.full_url,
                lambda: original(self, http_class, request, **kwargs),
                fake,
                lambda r: r.status,
            )

        return do_open

    _patch(module.OpenerDirector, "open", make_open)
    _patch(module.AbstractHTTPHandler, "do_open", make_do_open)


def _request_hooks(library: str, read: Callable, fake_for: Callable, status: Callable):
    """The makers of the sync and the async wrapper of a method whose argument is the request
    (httpx's clients, httpcore's pools). `read(request)`: (method, URL, headers);
    `fake_for(headers)`: the fake's answer maker at this layer, or None; `status(response)`."""

    def sync(original):
        def wrapper(self, request, *args, **kwargs):
            if _current.get() is None and not clever_host(request.url.host):
                return original(self, request, *args, **kwargs)
            method, url, headers = read(request)
            call = lambda: original(self, request, *args, **kwargs)  # noqa: E731
            return _intercept(library, method, url, call, fake_for(headers), status)

        return wrapper

    def asynchronous(original):
        async def wrapper(self, request, *args, **kwargs):
            if _current.get() is None and not clever_host(request.url.host):
                return await original(self, request, *args, **kwargs)
            method, url, headers = read(request)
            call = lambda: original(self, request, *args, **kwargs)  # noqa: E731
            return await _intercept_async(library, method, url, call, fake_for(headers), status)

        return wrapper

    return sync, asynchronous


def _hook_httpx(module) -> None:
    sync, asynchronous = _request_hooks(
        "httpx", lambda r: (r.method, str(r.url), None), lambda headers: None, lambda r: r.status_code
    )
    _patch(module.Client, "send", sync)
    _patch(module.AsyncClient, "send", asynchronous)


def _httpcore_parts(request) -> Tuple[str, str, Dict[str, str]]:
    url = request.url
    scheme, host = url.scheme.decode(), url.host.decode()
    full = f"{scheme}://{host}{_port(scheme, url.port)}{url.target.decode()}"
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers}
    return request.method.decode(), full, headers


def _httpcore_fake(module, headers):
    def fake(record):
        status, reason, response_headers, payload = _answer(record, headers)
        return module.Response(
            status,
            headers=[(k.encode(), v.encode()) for k, v in response_headers],
            content=payload,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason.encode()},
        )

    return fake


def _hook_httpcore(module) -> None:
    sync, asynchronous = _request_hooks(
        "httpx", _httpcore_parts, lambda headers: _httpcore_fake(module, headers), lambda r: r.status
    )
    _patch(module.ConnectionPool, "handle_request", sync)
    _patch(module.AsyncConnectionPool, "handle_async_request", asynchronous)


def _hook_aiohttp(module) -> None:
    def make(original):
        async def _request(self, method, str_or_url, *args, **kwargs):
            url = str(str_or_url)
            target = str_or_url
            if STATE.fake is not None and is_clever(url) and _current.get() is None:
                target = _loopback() + _path_of(url)  # the fake on a loopback port: aiohttp's own connection

            async def call():
                record = _current.get()
                if record is not None:
                    record["answered"] = "network" if target is str_or_url else "fake"
                return await original(self, method, target, *args, **kwargs)

            return await _intercept_async("aiohttp", method, url, call, None, lambda r: r.status)

        return _request

    _patch(module.ClientSession, "_request", make)


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


def _loopback() -> str:
    with STATE.lock:
        if STATE.loopback is None or STATE.loopback_fake is not STATE.fake:
            _stop_loopback()  # a later install() with another fake (another version) is served anew
            server, base, _ = _fake_api().serve(STATE.fake)
            STATE.loopback, STATE.loopback_server, STATE.loopback_fake = base, server, STATE.fake
        return STATE.loopback


def _stop_loopback() -> None:
    server = STATE.loopback_server
    STATE.loopback = STATE.loopback_server = STATE.loopback_fake = None
    if server is not None:
        # shutdown() waits for the serving loop's next poll: let a thread of its own wait
        def stop() -> None:
            server.shutdown()
            server.server_close()

        threading.Thread(target=stop, daemon=True).start()


HOOKS: Dict[str, Callable] = {
    "requests.sessions": _hook_requests_sessions,
    "requests.adapters": _hook_requests_adapters,
    "urllib3.connectionpool": _hook_urllib3,
    "http.client": _hook_http_client,
    "urllib.request": _hook_urllib_request,
    "httpx._client": _hook_httpx,
    "httpcore": _hook_httpcore,
    "aiohttp.client": _hook_aiohttp,
}


def _apply(name: str, module) -> None:
    if name in STATE.patched:
        return
    STATE.patched.add(name)
    try:
        HOOKS[name](module)
    except Exception:  # noqa: BLE001 - another version of the library, laid out otherwise: not recorded
        pass


class _Loader(importlib.abc.Loader):
    """The module's own loader, then the hook."""

    def __init__(self, loader, name: str) -> None:
        self.loader = loader
        self.name = name

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        _apply(self.name, module)

    def __getattr__(self, attribute):
        return getattr(self.loader, attribute)


class _PostImportHook(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.busy: set = set()

    def find_spec(self, name, path=None, target=None):
        if name not in HOOKS or name in self.busy or name in STATE.patched:
            return None
        self.busy.add(name)
        try:
            spec = importlib.util.find_spec(name)
        except Exception:  # noqa: BLE001 - the import goes on without us, and fails (or not) as it would
            return None
        finally:
            self.busy.discard(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _Loader(spec.loader, name)
        return spec


_HOOK = _PostImportHook()


# -- install ---------------------------------------------------------------------------------------
def _fake_api():
    """linter.runtime.fake_api, or the file beside this one when this module was loaded by path."""
    if __package__:
        from . import fake_api

        return fake_api
    name = "_clever_upgrade_fake_api"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, "fake_api.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def install(hosts=(), fake=None, sink: Optional[Callable[[dict], None]] = None) -> None:
    """Hook the HTTP libraries (those imported now, and the others when they are imported);
    record each Clever request to `sink`; with `fake` (a FakeClever), answer them."""
    STATE.hosts = tuple(dict.fromkeys((*DEFAULT_HOSTS, *(h.lower() for h in hosts if h))))
    STATE.needle = _needle(STATE.hosts)
    STATE.fake = fake
    if sink is not None:
        STATE.sinks.append(sink)
    if not STATE.installed:
        STATE.installed = True
        for name in HOOKS:
            if name in sys.modules:
                _apply(name, sys.modules[name])
        sys.meta_path.insert(0, _HOOK)


def uninstall() -> None:
    """Undo install(): the original methods back, no sink, no fake."""
    for owner, name, original in reversed(STATE.restore):
        setattr(owner, name, original)
    STATE.restore.clear()
    STATE.patched.clear()
    STATE.sinks.clear()
    STATE.fake = None
    STATE.installed = False
    with STATE.lock:
        _stop_loopback()
    if _HOOK in sys.meta_path:
        sys.meta_path.remove(_HOOK)


def install_from_environment() -> None:
    """What `trace` asks for, through the environment it gives COMMAND (see linter.runtime.trace)."""
    setting = os.environ.get(ENV)
    if not setting:
        return
    config = json.loads(setting)
    fake = None
    if config.get("fake") not in (None, "", "off"):
        api = _fake_api()
        roster = api.Roster.load(config["roster"]) if config.get("roster") else None
        fake = api.FakeClever(api.versions_of(config["fake"]), roster)
    install(config.get("hosts", ()), fake, FileSink(config["dir"]))
