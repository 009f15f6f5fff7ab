"""Layer `analysis`: one run. Over files (run: prefilter, parse, text scan, selection,
suppression comments), over the parsed modules (modules: evaluate every root string, follow
joiners, run the URL and node rules, hand the candidates to the fix planner), the run's
closed world for the planner (world), configuration files scanned as text (textscan), and noqa
comments (suppress).

May import: fix, rules, evaluate, syntax, source, config, selection, catalog, model. Never
report or the faces. LibCST and the module analysis are imported by `run` only when a file is
parsed."""
