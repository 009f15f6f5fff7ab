"""The rules, one module per family; importing this package registers them all."""

from linter.rules import endpoints, files  # noqa: F401  (registration)
from linter.rules.base import REGISTRY, Rule

__all__ = ["REGISTRY", "Rule"]
