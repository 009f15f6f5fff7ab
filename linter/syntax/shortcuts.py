"""The one switch over the speed-ups that lean on LibCST's internals (LibCST is bounded in
pyproject.toml at the newest version they were tested with):

- syntax.walk reads each node class's child fields from LibCST's own source
  (`_visit_and_replace_children`), to walk without rebuilding nodes;
- syntax.module.parse parses a file Python's own parser accepts without LibCST's node
  validation (it replaces `CSTNode.__post_init__` for the parse);
- syntax.module computes positions one top-level statement at a time with LibCST's private
  position codegen (`_codegen`, `PositionProvidingCodegenState`).

With CLEVER_UPGRADE_LIBCST_SHORTCUTS=0 in the environment none is taken: LibCST's public API
only (`node.children`, a validated parse, `MetadataWrapper` positions). The findings and the
fixes are the same either way; tests/test_shortcuts.py compares them."""

from __future__ import annotations

import os

ENABLED = os.environ.get("CLEVER_UPGRADE_LIBCST_SHORTCUTS", "1") != "0"
