"""Output formats: each module turns a LintResult into text; none of them decides anything."""
