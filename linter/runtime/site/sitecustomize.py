"""Put first on PYTHONPATH by `clever-upgrade trace`: loads the interceptor
(linter/runtime/intercept.py, by its path: the traced program may not have clever-upgrade
installed, and may have a package of its own named `linter`) into this Python process, then
the sitecustomize module this one shadows, if there is one. Nothing here may stop the program:
a failure is one line on standard error."""

import importlib.machinery
import importlib.util
import os
import sys


def _load_interceptor() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    name = "_clever_upgrade_intercept"
    spec = importlib.util.spec_from_file_location(name, os.path.join(os.path.dirname(here), "intercept.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    module.install_from_environment()


def _load_shadowed() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    _load_interceptor()
except Exception as exc:  # noqa: BLE001 - the program runs untraced rather than not at all
    sys.stderr.write(
        f"clever-upgrade trace: the interceptor did not load in this process ({type(exc).__name__}: {exc})\n"
    )
_load_shadowed()
