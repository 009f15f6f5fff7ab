"""The rules, one module per family; importing this package registers them all.

URL rules (linter.rules.endpoints) read resolved URL templates; node rules read the syntax
tree of one module through a ModuleContext and are listed in NODE_CHECKS."""

from linter.rules import endpoints, events, files, identity, records, sdk  # noqa: F401  (registration)
from linter.rules.base import REGISTRY, Rule

# (applies, visitor, finish): `applies` is a cheap test that the check can find anything in a
# module; the visitors of the checks that apply walk the module together (linter.syntax.walk.walk_all),
# then each check's `finish` turns what its visitor collected into findings.
NODE_CHECKS = (
    (events.applies, events.visitor, events.finish),
    (sdk.applies, sdk.visitor, sdk.finish),
    (identity.applies, identity.visitor, identity.finish),
    (records.applies, records.visitor, records.finish),
)

__all__ = ["REGISTRY", "Rule", "NODE_CHECKS"]
