"""Layer `report`: one module per output format (text, json, sarif, github, checklist), the
generated rule reference (rules_doc) and baselines (fingerprints that survive line moves).
Reports read a LintResult; they never analyse.

May import: rules (their metadata) and the layers below them (catalog, model, ...).
Never analysis, fix or the faces."""
