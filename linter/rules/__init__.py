"""Layer `rules`: what a v2 construct is. One module per family (endpoints, events, identity,
records, sdk, files), each declaring its rules (linter.rules.base.Rule: code, step, severity,
fix tier, examples) next to the checks that report them; the registry (linter.rules.registry)
imports every family.

URL rules (rules.endpoints) read resolved URL templates; node rules read one module's syntax
tree through a ModuleContext (rules.context) and are listed in registry.NODE_CHECKS. Rules
find; they never edit (the fix layer plans edits from what they found).

May import: evaluate, syntax, source, config, selection, catalog, model. Never analysis, fix,
report or the faces.

`REGISTRY`, `NODE_CHECKS` and `Rule` are loaded on first use (PEP 562): the families import
LibCST, and `linter.rules.codes` (every code, for validating `--select`) must stay cheap to
import for a run that parses nothing."""

from typing import Any

__all__ = ["REGISTRY", "Rule", "NODE_CHECKS"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from linter.rules.registry import NODE_CHECKS, REGISTRY, Rule

        return {"REGISTRY": REGISTRY, "NODE_CHECKS": NODE_CHECKS, "Rule": Rule}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
