"""The rules, one module per family; importing this package registers them all.

URL rules (linter.rules.endpoints) read resolved URL templates; node rules read the syntax
tree of one module through a ModuleContext and are listed in NODE_CHECKS."""

from linter.rules import endpoints, events, files, identity, records, sdk  # noqa: F401  (registration)
from linter.rules.base import REGISTRY, Rule

# (applies, check): `applies` is a cheap test that the check can find anything in a module.
NODE_CHECKS = (
    (events.applies, events.check),
    (sdk.applies, sdk.check),
    (identity.applies, identity.check),
    (records.applies, records.check),
)

__all__ = ["REGISTRY", "Rule", "NODE_CHECKS"]
