"""Layer `evaluate`: what expressions mean without running them. URL templates with holes that
remember their source literals (template), partial evaluation of string expressions across
modules (resolve), reading a template as a Clever URL (urls), a resolved root string
(evaluation), the way back from template characters to file ranges (locate), the data flow of
/me responses, user records and IDs (flow), the helpers and clients that join a path to a base
(joiners), and the one answer to "does this module use the v2 clever-python SDK?" (sdk).

May import: syntax, source, config, selection, catalog, model."""
