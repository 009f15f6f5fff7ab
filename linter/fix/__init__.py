"""Layer `fix`: from findings to edits. How a URL construct is rewritten (edits: literal edits
or a refusal), the run-wide plan that decides which findings get a fix and whether it is safe,
closed-world guards included (plan), applying edits to one file's bytes without touching
anything else (rewrite), and applying fix groups to files, whole or not at all (apply).

May import: rules, evaluate, syntax, source, config, selection, catalog, model. The loop that
analyses again after each pass is linter.api.fix_paths (it needs the analysis, above this
layer)."""
