"""ModuleInfo.position computes LibCST's positions for the one top-level statement that holds a
node; it must give exactly what LibCST's PositionProvider gives for the whole module."""

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from linter.syntax.module import ModuleInfo
from linter.syntax.walk import content_children

ODD = {
    "no trailing newline": "import os\nx = 1\nURL = f'{x}/students'",
    "crlf": (
        "# head\r\n\r\nclass A:\r\n    def f(self):\r\n        return 'a' + \\\r\n            'b'\r\n\r\n"
        "x = [1,\r\n 2]\r\n"
    ),
    "cr only": "x = 1\ry = (2,\r 3)\r",
    "decorators with comments": (
        "# one\n\n\n# two\n@decorate  # trailing\n\n# between\n@other(\n    1,\n)\nasync def f():\n"
        "    '''doc\n    string'''\n    return {'a': [x for x in y]}\n# after\n"
    ),
    "semicolons": "a = 1; b = 2\nif a: c = 3; d = 4\nwhile b: pass\n",
    "bom": "\ufeff# coding: utf-8\nURL = 'https://api.clever.com/v2.1/students'\nprint(URL)\n",
    "latin-1 cookie": "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\nif NAME:\n    print(NAME, 'x')\n",
    "form feed": "x = 1\n\x0c\ndef f():\n    return x\n",
    "comment at the end of a block": "def f():\n    return 1\n    # indented comment\n# flush comment\nx = f()\n",
    "backslash continuations": "x = \\\n    1\nassert x, \\\n    'no'\n",
    "match": "match point:\n    case (0, y):\n        print(y)\n    case _:\n        pass\n",
    "string literals": (
        'if"x":pass\nA = rb"\\"" + Rb\'a\' + BR"b" + u"\xe9t\xe9"  # "not" a \'string\'\n'
        "B = f'{A!r:>{10}}' \"#\" (f\"{'x'}\")\n"
        "C = '''one 'two' \\\r\n\"three\"'''; D = 'a\\\nb'\n"
        'E = ("caf\xe9" "\\N{BULLET}")\nF = """"quoted" """\n'
    ),
    "empty module": "",
    "only comments": "# nothing\n\n# at all\n",
}


def _nodes(module: cst.Module):
    pending = list(module.body)
    while pending:
        node = pending.pop()
        yield node
        pending.extend(content_children(node))


def _same_as_libcst(source: bytes, path: Path = Path("m.py")) -> int:
    full_info = ModuleInfo(path, str(path), source)
    assert full_info.module is not None
    expected = MetadataWrapper(full_info.module, unsafe_skip_copy=True).resolve(PositionProvider)
    count = 0
    for node in _nodes(full_info.module):
        assert full_info.position(node) == expected[node], (type(node).__name__, source[:80])
        count += 1
    return count


@pytest.mark.parametrize("name", sorted(ODD))
def test_positions_of_odd_modules_are_libcsts(name):
    text = ODD[name]
    encoding = "latin-1" if "latin-1" in text else "utf-8"
    _same_as_libcst(text.encode(encoding))


def test_positions_of_real_modules_are_libcsts_and_computed_per_statement():
    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "linter").rglob("*.py")) + sorted((root / "examples").rglob("*.py"))
    assert len(files) > 50
    checked = 0
    for path in files:
        checked += _same_as_libcst(path.read_bytes(), path)
    assert checked > 10_000
    # asked for one node, a module computes the positions of that node's statement only
    info = ModuleInfo(Path("m.py"), "m.py", (root / "linter" / "syntax" / "module.py").read_bytes())
    assert info.module is not None
    last = info.module.body[-1]
    assert info.position(last).start.line > 100
    assert not info._all_positions and info._positioned == {len(info.module.body) - 1}


def test_string_positions_come_from_one_scan_checked_against_the_nodes():
    """A string literal's position is read from one regular-expression scan of the text; it
    agrees with Python's tokenizer on our modules, and where the scan's literals are not the
    nodes' (a Python 3.12 f-string that nests its own quotes is cut in two) it gives way."""
    from linter.syntax import module

    root = Path(__file__).resolve().parents[1]
    strings = 0
    for path in sorted((root / "linter").rglob("*.py")):
        info = ModuleInfo(path, str(path), path.read_bytes())
        scanned = module._string_spans(info)
        assert scanned is not None and scanned == module._string_tokens(info), path
        strings += len(scanned)
    assert strings > 2_000
    info = ModuleInfo(Path("m.py"), "m.py", b"A = 'a'\nB = f'{A}'\nC = 'c'\n")
    spans = [(1, 4, 1, 7), (2, 4, 2, 10), (3, 4, 3, 7)]
    assert module._string_spans(info) == {id(node): span for node, span in zip(info.strings, spans)}
    info.strings[0], info.strings[2] = info.strings[2], info.strings[0]
    assert module._string_spans(info) is None
    info.strings.pop()
    assert module._string_spans(info) is None


def test_a_statement_that_does_not_line_up_falls_back_to_the_whole_module():
    info = ModuleInfo(Path("m.py"), "m.py", b"x = 1\n\ny = [\n    2,\n]\n")
    assert info.module is not None
    text, offsets, lines = info._statement_starts()
    assert lines == [1, 2]  # y's code starts with its leading blank line
    info._starts = (text, offsets, [1, 3])  # a wrong start: the generated code is not found there
    node = info.module.body[1]
    assert info.position(node).start.line == 3
    assert info._all_positions


def test_a_parse_without_validation_builds_the_same_trees_and_refuses_the_same_files():
    """syntax.module.parse skips LibCST's node validation where Python's parser accepts the
    file: the trees must be the validated ones, what LibCST refuses stays refused, and
    validation is back on afterwards."""
    from linter.syntax.module import parse

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "linter").rglob("*.py")) + sorted((root / "tests" / "realistic").rglob("*.py"))
    assert len(files) > 100
    refused = 0
    for path in files:
        source = path.read_bytes()
        try:
            expected = cst.parse_module(source)
        except Exception as exc:  # noqa: BLE001 - a file of the corpus that does not parse
            with pytest.raises(type(exc)):
                parse(source)
            refused += 1
            continue
        assert parse(source).deep_equals(expected), path
    assert refused < len(files) // 10
    for refused in (b"x = 'a' b'b'\n", b"u'x' b'y'\n"):  # Python refuses them too
        with pytest.raises(cst.CSTValidationError):
            parse(refused)
    with pytest.raises(cst.ParserSyntaxError):
        parse(b"def f(:\n")
    for accepted_by_libcst_only in (b"return 1\n", b"type X = int\n"):  # as before: parsed
        assert parse(accepted_by_libcst_only).code == accepted_by_libcst_only.decode()
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")  # validation is on again
