"""Every rule family, imported once: REGISTRY (code -> Rule) and NODE_CHECKS.

A family module registers its rules (`register(Rule(...))`) and, if it has checks that walk a
module's tree, lists them in its own NODE_CHECKS; a new family is one more entry of FAMILIES."""

import linter.rules.endpoints as endpoints
import linter.rules.events as events
import linter.rules.files as files
import linter.rules.identity as identity
import linter.rules.records as records
import linter.rules.runtime as runtime
import linter.rules.sdk as sdk
from linter.rules.base import REGISTRY, Rule

# in the order their node checks run
FAMILIES = (events, sdk, identity, records, endpoints, files, runtime)

# (applies, visitor, finish): `applies` is a cheap test that the check can find anything in a
# module; the visitors of the checks that apply walk the module together
# (linter.rules.context.walk_together), then each check's `finish` turns what its visitor
# collected into findings. A check that reads evaluations only has no visitor (None).
NODE_CHECKS = tuple(check for family in FAMILIES for check in getattr(family, "NODE_CHECKS", ()))

__all__ = ["REGISTRY", "Rule", "NODE_CHECKS", "FAMILIES"]
