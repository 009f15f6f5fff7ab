"""Every rule code, without loading the rules (which import LibCST): the CLI validates
`--select`/`--ignore` and suppression comments against it on runs that parse nothing.

The codes are read from the families' own text (each rule's `code="CLV..."`), so a new rule is
its module alone; tests/test_architecture.py keeps them equal to the registry's codes. Reading
the family modules' text costs well under a millisecond; importing them would load LibCST."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Tuple

_CODE = re.compile(r'^\s+code="(CLV\d{3})",$', re.MULTILINE)


def _read() -> Tuple[str, ...]:
    found = set()
    for path in Path(__file__).resolve().parent.glob("*.py"):
        found.update(_CODE.findall(path.read_text(encoding="utf-8")))
    return tuple(sorted(found))


CODES = _read()
