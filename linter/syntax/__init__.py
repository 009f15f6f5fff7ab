"""Layer `syntax`: Python source as LibCST trees. Parsing one module (module: ModuleInfo, parse
errors, node positions), its scopes and what they bind (scope), the one walk that collects them
(collect), the read-only traversal the rules share (walk), and the project index that finds and
parses imported modules at most once (project).

May import: source, config, selection, catalog, model."""
