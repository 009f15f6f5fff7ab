"""The client side: run in the fresh interpreter of a --daemon run, standard library only."""

from __future__ import annotations

import _socket  # the C module `socket` wraps: `socket` itself loads selectors and enum (10 ms)
import os
import sys

TYPE_CHECKING = False  # typing itself costs a client ten milliseconds: only for annotations

if TYPE_CHECKING:
    from typing import List, Optional

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # linter/
COMMANDS = ("check", "fix", "checklist")  # the commands that take --daemon
FLAG = "--daemon"
IDLE_SECONDS = 30 * 60
_MAGIC = b"CUD1"  # request header: magic, then the payload's length (4 bytes, big-endian)
_HEADER = len(_MAGIC) + 4


def supported() -> bool:
    return hasattr(_socket, "AF_UNIX") and hasattr(_socket, "SCM_RIGHTS") and hasattr(os, "fork")


def wanted(argv: List[str]) -> bool:
    """Whether this command line asks for the daemon: one of COMMANDS with --daemon before any
    `--`, on a system that has one, off CI."""
    if FLAG not in argv or not supported() or os.environ.get("CI", "").lower() not in ("", "0", "false"):
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
    """What a daemon must share with its clients: the interpreter and its environment, the
    package's directory (default: this one) and version, the time of the directory it is
    installed in, and each of its files' size and time. Its digest names the socket."""
    from linter import __version__

    package = package or PACKAGE
    # the interpreter by its environment: `python` and `python3` of one virtualenv are one
    interpreter = [sys.prefix, os.path.realpath(sys.executable)]
    # the directory the package is installed in changes whenever something is installed there
    # or removed (site-packages: a new LibCST, say), which the daemon would not see otherwise
    parts = interpreter + [package, __version__, str(os.stat(os.path.dirname(package)).st_mtime_ns)]
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


def _send(connection: _socket.socket, request: dict, fds: List[int]) -> None:
    """The header with `fds` attached (as socket.send_fds attaches them), then the request."""
    import marshal
    from array import array

    payload = marshal.dumps(request)
    header = _MAGIC + len(payload).to_bytes(4, "big")
    attached = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, array("i", fds).tobytes())] if fds else []
    sent = connection.sendmsg([header], attached)
    connection.sendall(header[sent:] + payload)


def _connect(path: str) -> Optional[_socket.socket]:
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
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


def forward(connection: _socket.socket, argv: List[str]) -> Optional[int]:
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


def _wait(connection: _socket.socket) -> int:
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
                connection.shutdown(_socket.SHUT_WR)
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

    # the daemon runs in / : a PYTHONPATH with relative entries is made absolute, so that it
    # imports the installation this process imported (and not, say, a module of the project)
    env = dict(os.environ)
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    try:
        subprocess.Popen(
            command or [sys.executable, "-m", "linter", "daemon", "start", "--foreground"],
            env=env,
            cwd=os.path.abspath(os.sep),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        pass  # no daemon: the runs stay in their own processes
