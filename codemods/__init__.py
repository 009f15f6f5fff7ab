"""LibCST codemod commands that apply the fixes the linter proposes (see DESIGN.md)."""
