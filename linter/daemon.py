"""A resident server for short runs: `check --daemon`, `fix --daemon`, `checklist --daemon`.

A pre-commit hook starts a fresh interpreter for a few files. Most of that run is start-up:
importing LibCST builds its node classes (a quarter of a second on our machines), then the
first analysis compiles the catalog's patterns and reads LibCST's node fields. The daemon pays
for that once. It loads everything, then waits on a Unix socket; each run forks a copy of it,
which takes the client's standard input, output and error (passed over the socket as file
descriptors), its directory, environment, umask and arguments, runs the command line as a
process of its own would, and sends back the exit status. The client (this module, with
nothing but the standard library loaded) waits for that status and exits with it.

- **One per installation and user.** The socket's name is a digest of the Python executable,
  the package's directory, its version and the size and time of each of its files: a changed
  installation gets a new daemon, and the old one ends when idle. The sockets live in a
  directory only the user can enter (`$XDG_RUNTIME_DIR/clever-upgrade`, else
  `/tmp/clever-upgrade-<uid>`; `CLEVER_UPGRADE_DAEMON_DIR` overrides); where it is not
  private, there is no daemon.
- **Started on first use.** A `--daemon` run that finds none runs in its own process, as
  without the flag, and starts one in the background for the next run. It ends after
  `IDLE_SECONDS` without a request (`clever-upgrade daemon stop` ends it before).
- **Never on CI** (`CI` set): each job is a fresh machine, a daemon would only cost.
- **Nothing runs twice.** The client falls back to its own process only when the request was
  never taken (no socket, a refused connection, a send that failed). Once sent, the run is the
  daemon's; a copy that dies without a status is an error (exit 2).
- **Ctrl-C** in the client interrupts the run in the daemon (SIGINT there, the same handling:
  `fix` finishes the change it is renaming), and a second Ctrl-C leaves at once.
- Unix only (descriptor passing and fork); elsewhere `--daemon` is ignored.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Callable, Dict, List, Optional

COMMANDS = ("check", "fix", "checklist")  # the commands that take --daemon
FLAG = "--daemon"
IDLE_SECONDS = 30 * 60
_MAGIC = b"CUD1"  # request header: magic, then the payload's length (4 bytes, big-endian)
_HEADER = len(_MAGIC) + 4


def supported() -> bool:
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "fork")


def wanted(argv: List[str]) -> bool:
    """Whether this command line asks for the daemon: one of COMMANDS with --daemon before any
    `--`, on a system that has one, off CI."""
    if FLAG not in argv or not supported() or os.environ.get("CI"):
        return False
    head = argv[: argv.index("--")] if "--" in argv else argv
    command = next((arg for arg in head if not arg.startswith("-")), None)
    return command in COMMANDS and FLAG in head


def directory() -> Optional[str]:
    """The private directory of the sockets, made if missing; None where it is not private
    (another owner, or open to others) or cannot be made."""
    base = os.environ.get("CLEVER_UPGRADE_DAEMON_DIR")
    if not base:
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if runtime and os.path.isabs(runtime):
            base = os.path.join(runtime, "clever-upgrade")
        else:
            base = os.path.join("/tmp", f"clever-upgrade-{os.getuid()}")
    try:
        os.makedirs(base, mode=0o700, exist_ok=True)
        info = os.lstat(base)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return base


def installation(package: Optional[str] = None) -> str:
    """What a daemon must share with its clients: the interpreter, the package's directory
    (default: this one) and version, and each of its files' size and time. Its digest names
    the socket."""
    from linter import __version__

    package = package or os.path.dirname(os.path.abspath(__file__))
    parts = [sys.executable, package, __version__]
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml")):
                info = os.stat(os.path.join(root, name))
                parts.append(f"{root}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(parts)


def address(folder: str, package: Optional[str] = None) -> str:
    import zlib

    text = installation(package).encode("utf-8", "surrogateescape")
    return os.path.join(folder, f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}.sock")


# ---- the client ----------------------------------------------------------------------------


def _send(connection: socket.socket, request: dict, fds: List[int]) -> None:
    import marshal

    payload = marshal.dumps(request)
    socket.send_fds(connection, [_MAGIC + len(payload).to_bytes(4, "big")], fds)
    connection.sendall(payload)


def _connect(path: str) -> Optional[socket.socket]:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def _prog_name() -> str:
    """The program's name in usage messages, as click finds it for a process of its own."""
    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None)
    if not package:
        return os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "clever-upgrade"
    name = main.__spec__.name if getattr(main, "__spec__", None) else package
    if name == "__main__" or name.endswith(".__main__"):
        name = name.rpartition(".")[0] or package
    return f"python -m {name}"


def launch(argv: List[str]) -> Optional[int]:
    """The exit status of `argv` run by this installation's daemon; None when none took it
    (the caller runs it in its own process), after starting one for the next run."""
    folder = directory()
    if folder is None:
        return None
    path = address(folder)
    connection = _connect(path)
    if connection is None:
        spawn()
        return None
    return forward(connection, argv)


def forward(connection: socket.socket, argv: List[str]) -> Optional[int]:
    """Run `argv` (less --daemon) in the daemon at the other end of `connection` and return
    its exit status; None when the request could not be sent (nothing ran)."""
    umask = os.umask(0)
    os.umask(umask)
    streams = {}
    for name in ("stdin", "stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            return None
        streams[name] = [getattr(stream, "encoding", None) or "utf-8", getattr(stream, "errors", None) or "strict"]
    request = {
        "op": "run",
        "argv": [a for a in argv if a != FLAG],
        "argv0": sys.argv[0] if sys.argv else "clever-upgrade",
        "prog": _prog_name(),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "streams": streams,
    }
    try:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        _send(connection, request, [0, 1, 2])
    except OSError:
        connection.close()
        return None  # not taken: nothing ran
    return _wait(connection)


def _wait(connection: socket.socket) -> int:
    """The exit status the daemon's run sends when it ends. The first Ctrl-C closes our side
    of the socket, which interrupts the run there; the second leaves without waiting."""
    interrupted = False
    data = b""
    while len(data) < 4:
        try:
            chunk = connection.recv(4 - len(data))
        except KeyboardInterrupt:
            if interrupted:
                return 130
            interrupted = True
            try:
                connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            continue
        except OSError:
            chunk = b""
        if not chunk:
            sys.stderr.write("clever-upgrade: error: the daemon's run ended without an exit status\n")
            return 2
        data += chunk
    connection.close()
    return int.from_bytes(data, "big", signed=True)


def ask(path: str, op: str) -> Optional[dict]:
    """A daemon's answer to `status` or `stop`; None where none answers at `path`."""
    import marshal

    connection = _connect(path)
    if connection is None:
        return None
    try:
        _send(connection, {"op": op}, [])
        data = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        return marshal.loads(data) if data else None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    finally:
        connection.close()


def sockets(folder: str) -> List[str]:
    try:
        return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".sock"))
    except OSError:
        return []


def spawn(command: Optional[List[str]] = None) -> None:
    """Start a daemon for this installation in the background, in a session of its own (it
    gives up at once where one is running or starting)."""
    import subprocess

    try:
        subprocess.Popen(
            command or [sys.executable, "-m", "linter", "daemon", "start", "--foreground"],
            cwd=os.path.abspath(os.sep),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        pass  # no daemon: the runs stay in their own processes


# ---- the server ----------------------------------------------------------------------------


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

    lock = open(path + ".lock", "a")
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
                    "package": os.path.dirname(os.path.abspath(__file__)),
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
