"""Every rule family, imported once: REGISTRY (code -> Rule) and NODE_CHECKS."""

import linter.rules.endpoints as endpoints  # noqa: F401  (imported to register its rules)
import linter.rules.events as events
import linter.rules.files as files  # noqa: F401  (imported to register its rules)
import linter.rules.identity as identity
import linter.rules.records as records
import linter.rules.runtime as runtime  # noqa: F401  (imported to register its rules)
import linter.rules.sdk as sdk
from linter.rules.base import REGISTRY, Rule

# (applies, visitor, finish): `applies` is a cheap test that the check can find anything in a
# module; the visitors of the checks that apply walk the module together
# (linter.rules.context.walk_together), then each check's `finish` turns what its visitor
# collected into findings. A check that reads evaluations only has no visitor (None).
NODE_CHECKS = (
    (events.applies, events.visitor, events.finish),
    (sdk.applies, sdk.visitor, sdk.finish),
    (identity.applies, identity.visitor, identity.finish),
    (records.applies, records.visitor, records.finish),
    (records.ids_apply, records.no_visitor, records.named_ids),
)

__all__ = ["REGISTRY", "Rule", "NODE_CHECKS"]
