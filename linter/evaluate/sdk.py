"""Does a module use the v2 clever-python SDK? The one answer, for the rules, the analysis and
the fix planner.

Evidence, not the package name, decides:
- `clever` imported from the project itself (a module or package of the scanned tree):
  a vendored copy of the v2 SDK defines or re-exports DataApi/EventsApi, or configures the
  v2.0 host; a client generated from the v3 definition defines UsersApi or configures a v3.x
  host; anything else is the project's own package that happens to be called `clever`;
- `clever` installed (not in the tree): the published package is the v2 SDK (3.x, API v2.0)
  or its pre-2018 bindings, unless what is imported from it is v3 evidence (UsersApi).
Only the v2 SDK (and its pre-2018 bindings) counts as a use."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Dict, Optional

from linter import catalog

PACKAGE = "clever"
SUBMODULES = ("apis", "api_client", "configuration")  # `from clever import apis` is the package too
_VERSIONED_HOST = re.compile(r"clever\.com/v(\d+)\.\d+")


class Generation(str, enum.Enum):
    V2 = "v2"  # clever-python 3.x and its pre-2018 bindings: API v1.x/v2.0
    V3 = "v3"  # generated from Clever's v3 definition: not a v2 construct
    OWN = "own"  # the project's own package called `clever`: not an SDK at all


@dataclass
class SdkUse:
    """What a module imported from the v2 SDK."""

    modules: set = field(default_factory=set)  # local names of the clever package (or its submodules)
    classes: Dict[str, str] = field(default_factory=dict)  # local name -> SDK class name
    vendored: bool = False  # the SDK is a copy inside the project


def v2_sdk(module, project) -> Optional[SdkUse]:
    """The module's use of the v2 SDK, or None (memoized on the module)."""
    memo = module.derived
    if "v2_sdk" not in memo:
        memo["v2_sdk"] = _detect(module, project)
    return memo["v2_sdk"]  # type: ignore[return-value]


def _detect(module, project) -> Optional[SdkUse]:
    spec = catalog.sdk()
    known = set(spec["modern"]["classes"]) | set(spec["modern"]["client_classes"]) | set(spec["legacy"]["resources"])
    v3_classes = set(spec["v3_generated"]["classes"])
    found = SdkUse()
    imported = False
    for local, ref in module.scope.imports.items():
        root = ref.module.split(".")[0] if ref.module else (ref.name or "").split(".")[0]
        if ref.level or root != PACKAGE:
            if _vendored_below(module, ref, project):
                found.vendored = True
                if ref.name in known:
                    found.classes[local] = ref.name
                elif ref.name is None or ref.name in SUBMODULES or ref.name == PACKAGE:
                    found.modules.add(local)
            continue
        imported = True
        if ref.name in v3_classes:
            return None  # a generated v3 client
        if ref.name is None or ref.name in SUBMODULES:
            found.modules.add(local)
        elif ref.name in known:
            found.classes[local] = ref.name
    if not imported or project is None:
        return found if (imported or found.vendored) and (found.modules or found.classes) else None
    local = project.find_module(module, PACKAGE, 0)
    if local is not None:
        generation = generation_of(local, project)
        if generation is not Generation.V2:
            return None
        found.vendored = True
    return found if (found.modules or found.classes) else None


def _vendored_below(module, ref, project) -> bool:
    """`from app.vendor.clever import DataApi` (or `from .vendor import clever`): a copy of the
    v2 SDK kept inside the project under another package."""
    if project is None:
        return False
    dotted = f"{ref.module}.{ref.name}" if ref.module and ref.name else (ref.module or ref.name or "")
    parts = dotted.split(".")
    if PACKAGE not in parts[1:] and not (ref.level and PACKAGE in parts):
        return False
    package = ".".join(parts[: parts.index(PACKAGE) + 1])
    local = project.find_module(module, package, ref.level)
    return local is not None and generation_of(local, project) is Generation.V2


def generation_of(package, project) -> Generation:
    """What a `clever` package inside the project is (see the module docstring)."""
    memo = package.derived
    if "sdk_generation" in memo:
        return memo["sdk_generation"]  # type: ignore[return-value]
    spec = catalog.sdk()
    names = set(package.scope.classes) | set(package.scope.imports) | set(package.scope.assigns)
    if names & set(spec["v3_generated"]["classes"]):
        generation = Generation.V3
    elif names & set(spec["modern"]["classes"]):
        generation = Generation.V2
    else:
        generation = _by_configured_host(package, project)
    memo["sdk_generation"] = generation
    return generation


def _by_configured_host(package, project) -> Generation:
    """A package whose configuration module sets a versioned Clever host: v3.x or v1/v2."""
    configuration = project.find_module(package, f"{PACKAGE}.configuration", 0)
    if configuration is None and package.path.name == "__init__.py":
        configuration = project.find_module(package, "configuration", 1)  # a copy under another package
    if configuration is None:
        return Generation.OWN
    match = _VERSIONED_HOST.search(configuration.source.decode("utf-8", errors="replace"))
    if match is None:
        return Generation.OWN
    return Generation.V3 if int(match.group(1)) >= 3 else Generation.V2


def vendored_sdk_package(module, project) -> Optional[str]:
    """The directory of the vendored v2 SDK copy that `module` is part of (a package called
    `clever`, at any depth, whose evidence is v2), or None. Its paths and host are the SDK's:
    rewritten, they would hand v3 payloads to its v2 models."""
    if project is None:
        return None
    memo = module.derived
    if "vendored_sdk" not in memo:
        found = None
        directory = module.path.parent
        while (directory / "__init__.py").is_file():
            if directory.name == PACKAGE:
                package = project.load(directory / "__init__.py")
                if package is not None and package.module is not None:
                    if generation_of(package, project) is Generation.V2:
                        found = str(directory)
                break
            directory = directory.parent
        memo["vendored_sdk"] = found
    return memo["vendored_sdk"]  # type: ignore[return-value]
