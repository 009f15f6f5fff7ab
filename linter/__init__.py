"""clever-upgrade: find and fix Clever API v2.x constructs in Python integrations.

The layers, each importing only from those below it (docs/architecture.md has the map;
import-linter contracts in pyproject.toml keep it so):

    cli                      the command line (and, beside it, future faces)
    api                      lint_paths, lint_source, fix_paths
    analysis | report        one run | output formats
    fix                      edits, the run-wide plan, rewriting files
    rules                    what a v2 construct is (one module per family)
    evaluate                 what expressions mean: templates, resolution, URLs, data flow
    syntax                   LibCST trees, scopes, the project index
    source                   files, the prefilter, atomic writes, the cache
    config, selection        [tool.clever-upgrade] -> Options; which codes are reported
    catalog, model           the v2 -> v3.1 knowledge; plain data
"""

__version__ = "0.1.0"
