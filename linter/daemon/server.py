"""The resident process: the loop that answers requests, and the forked copy that runs one."""

from __future__ import annotations

import os
import socket
import sys

from linter.daemon.client import _HEADER, _MAGIC, IDLE_SECONDS, PACKAGE, TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable, Dict, List


def _receive(connection: socket.socket):
    """(request, fds) of one connection (the fds closed again when the request is unreadable)."""
    import marshal

    data, fds, _flags, _address = socket.recv_fds(connection, _HEADER, 3)
    try:
        data += _exactly(connection, _HEADER - len(data))
        if data[: len(_MAGIC)] != _MAGIC:
            raise ValueError("not a clever-upgrade request")
        return marshal.loads(_exactly(connection, int.from_bytes(data[len(_MAGIC) :], "big"))), fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError("request cut short")
        data += chunk
    return data


def serve(
    run: Callable[[List[str], str], int], path: str, warm: Callable[[], None], idle: float = IDLE_SECONDS
) -> bool:
    """Answer requests at `path` until `idle` seconds pass without one, or a `stop`. `warm()`
    loads what runs need, before the socket opens (a client meanwhile runs in its own process).
    `run(argv, prog)` runs a command line in a forked copy of this process and returns its exit
    status. False when another daemon holds `path` (this one then ends at once)."""
    import fcntl
    import signal
    import time

    lock = open(path + ".lock", "ab")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        return False  # another daemon for this installation is starting or running
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ours = None
    try:
        warm()
        import gc

        gc.freeze()  # what warm() made stays shared with the forked copies: no collection writes to it
        try:
            os.unlink(path)  # left by a daemon that was killed: the lock says none is running
        except FileNotFoundError:
            pass
        listener.bind(path)
        listener.listen(64)
        ours = os.stat(path).st_ino
        started, served, last = time.time(), 0, time.monotonic()
        children: set = set()
        stopping = False
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
        listener.settimeout(min(5.0, max(idle, 0.1)))
        while not stopping:
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                connection = None
            children = {pid for pid in children if not _reaped(pid)}
            if connection is None:
                if not children and time.monotonic() - last >= idle or _replaced(path, ours):
                    break
                continue
            connection.settimeout(10.0)  # a client that connects and never asks does not hold us up
            try:
                request, fds = _receive(connection)
            except (OSError, EOFError, ValueError, TypeError):
                connection.close()
                continue
            connection.settimeout(None)
            op = request.get("op") if isinstance(request, dict) else None
            if op == "run" and len(fds) == 3:
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    lock.close()
                    _child(run, connection, fds, request)  # never returns
                children.add(pid)
                served += 1
                last = time.monotonic()  # only runs keep it alive, not a status asked
            elif op in ("status", "stop"):
                import marshal

                from linter import __version__

                answer = {
                    "pid": os.getpid(),
                    "version": __version__,
                    "python": sys.executable,
                    "package": PACKAGE,
                    "started": started,
                    "served": served,
                    "idle": time.monotonic() - last,
                }
                try:
                    connection.sendall(marshal.dumps(answer))
                except OSError:
                    pass
                stopping = op == "stop"
            for fd in fds:
                os.close(fd)
            connection.close()
            if op != "run" and not children and time.monotonic() - last >= idle:
                break  # asked often, never run: still idle
    finally:
        try:
            if ours is not None and os.stat(path).st_ino == ours:
                os.unlink(path)
        except OSError:
            pass
        listener.close()
        lock.close()
    return True


def _replaced(path: str, ours: int) -> bool:
    """Whether our socket file is gone or another's (someone removed it: no client finds us)."""
    try:
        return os.stat(path).st_ino != ours
    except OSError:
        return True


def _reaped(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def _child(run, connection: socket.socket, fds: List[int], request: dict) -> None:
    """The forked copy that runs one request: the client's streams, directory, environment,
    umask and arguments; then the exit status back, and an exit without cleanup (the server's
    state is not this copy's to tear down)."""
    import signal

    try:
        code = _run_request(run, connection, fds, request)
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # noqa: BLE001 - whatever happens, the client gets a status
        import traceback

        traceback.print_exc()
        code = 1
    while True:  # no KeyboardInterrupt after this: a SIGINT still pending is dropped
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            break
        except KeyboardInterrupt:
            code = 130
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        connection.sendall(int(code).to_bytes(4, "big", signed=True))
    except (OSError, OverflowError):
        pass
    os._exit(0)


def _run_request(run, connection: socket.socket, fds: List[int], request: dict) -> int:
    import signal
    import threading

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    streams: Dict[str, list] = request["streams"]
    sys.stdin = open(0, "r", encoding=streams["stdin"][0], errors=streams["stdin"][1], closefd=False)
    line = 1 if os.isatty(1) else -1  # line-buffered on a terminal, as Python's own
    sys.stdout = open(1, "w", line, encoding=streams["stdout"][0], errors=streams["stdout"][1], closefd=False)
    sys.stderr = open(2, "w", 1, encoding=streams["stderr"][0], errors="backslashreplace", closefd=False)
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    sys.argv = [request["argv0"]] + list(request["argv"])
    try:
        os.chdir(request["cwd"])
    except OSError as exc:
        sys.stderr.write(f"clever-upgrade: error: cannot enter {request['cwd']} ({exc.strerror})\n")
        return 2
    threading.Thread(target=_interrupt_when_closed, args=(connection,), daemon=True).start()
    return run(list(request["argv"]), request["prog"])


def _interrupt_when_closed(connection: socket.socket) -> None:
    """Ctrl-C in the client closes its side: interrupt the run, as SIGINT would at a terminal."""
    import signal

    try:
        connection.recv(1)
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGINT)
