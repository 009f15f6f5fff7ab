"""Layer `source`: files as bytes. Which files a run reads (files: discovery, exclusions,
symlinks), which of them deserve a parse (prefilter: byte-level levels and the files linked to
Clever sources), writing a file in one step (files.replace_file) and several files as one change
(transaction), and the result
cache of repeated runs (cache).

May import: config, selection, catalog, model. Never LibCST (an import-linter contract): a run
that parses nothing must not load it."""
