"""Every rule code, without loading the rules (which import LibCST): the CLI validates
`--select`/`--ignore` and suppression comments against it on runs that parse nothing.
tests/test_architecture.py keeps it equal to the registry's codes."""

CODES = (
    "CLV001",
    "CLV002",
    "CLV003",
    "CLV004",
    "CLV101",
    "CLV201",
    "CLV202",
    "CLV301",
    "CLV302",
    "CLV303",
    "CLV304",
    "CLV310",
    "CLV311",
    "CLV312",
    "CLV320",
    "CLV321",
    "CLV330",
    "CLV401",
    "CLV402",
    "CLV403",
    "CLV501",
    "CLV502",
    "CLV503",
    "CLV504",
    "CLV601",
    "CLV602",
    "CLV701",
)
