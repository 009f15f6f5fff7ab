"""A resident server for short runs: `check --daemon`, `fix --daemon`, `checklist --daemon`.

A pre-commit hook starts a fresh interpreter for a few files. Most of that run is start-up:
importing LibCST builds its node classes (a quarter of a second on our machines), then the
first analysis compiles the catalog's patterns and reads LibCST's node fields. The daemon pays
for that once. It loads everything, then waits on a Unix socket; each run forks a copy of it,
which takes the client's standard input, output and error (passed over the socket as file
descriptors), its directory, environment, umask and arguments, runs the command line as a
process of its own would, and sends back the exit status. The client (`client`, with nothing
but the standard library loaded) waits for that status and exits with it.

- **One per installation and user.** The socket's name is a digest of the interpreter and
  its environment (`sys.prefix`), the package's directory, its version, the time of the
  directory it is installed in and the size and time of each of its files: a changed
  installation gets a new daemon, and the old one ends when idle. The sockets live in a
  directory only the user can enter (`$XDG_RUNTIME_DIR/clever-upgrade`, else
  `/tmp/clever-upgrade-<uid>`; `CLEVER_UPGRADE_DAEMON_DIR` overrides); where it is not
  private, there is no daemon.
- **Started on first use.** A `--daemon` run that finds none runs in its own process, as
  without the flag, and starts one in the background for the next run. It ends after
  `client.IDLE_SECONDS` without a run (`clever-upgrade daemon stop` ends it before).
- **Never on CI** (`CI` set): each job is a fresh machine, a daemon would only cost.
- **Nothing runs twice.** The client falls back to its own process only when the request was
  never taken (no socket, a refused connection, a send that failed). Once sent, the run is the
  daemon's; a copy that dies without a status is an error (exit 2).
- **Ctrl-C** in the client interrupts the run in the daemon (SIGINT there, the same handling:
  `fix` finishes the change it is renaming), and a second Ctrl-C leaves at once.
- Unix only (descriptor passing and fork); elsewhere `--daemon` is ignored.

- `client`: what a --daemon run does before anything else is loaded (which command lines go,
  where the socket is, handing the run over), and `daemon start|stop|status`'s questions.
- `server`: the resident process (its loop, the forked copy that runs one request).

May import: the standard library only, and `linter.__version__` (an import-linter contract:
a client that loaded more would lose what it saves). The server is given the command line
to run (`linter.cli`) as a function.
"""
