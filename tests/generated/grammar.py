"""A grammar of runnable v2 Clever integrations, each choice independent of the others (issue 28).

A program is a package `integration/` whose `main()` asks Clever for the people of one or more
roles and returns their IDs, sorted. It is put together from one choice of each axis:

    base      where the v2 base URL lives (BASES)
    module    whether that base is in the main module or in `settings.py`, and how it is imported
    literal   how the base's literal is written (LITERALS: plain, bytes decoded, implicit
              concatenation over lines, raw)
    build     how the URL is built from base and role segment (BUILDS)
    role      how the role segment is chosen (ROLES)
    send      how the request is sent (SENDS)
    spread    how the code is arranged (SPREADS: functions, a client class, a helper module that
              sends, fetchers registered by a decorator)
    roles     which v2 collections it asks for

`Program.literal_lines()` gives, for each file, the lines that hold a literal the grammar put
into the requests (the base, the role segments, the URL expression): the runtime oracle
(tests/generated/oracle.py) asks for a finding on one of them. The grammar deliberately holds
forms the analysis may not handle: finding those is its purpose."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

HOST = "https://api.clever.com"
ROLE_WORDS = ("students", "teachers", "school_admins", "district_admins", "contacts")

BASES = (
    "inline",  # the literal in the URL expression itself
    "constant",  # BASE = "..."
    "env_default",  # os.environ.get("...", "...")
    "class_attr",  # class Settings: base_url = "..."
    "property",  # a property of a configuration object
    "dict",  # SETTINGS = {"clever": {"base": "..."}}
    "function",  # def clever_base(): return "..."
    "dataclass",  # a dataclass field's default, read from an instance
    "namespace",  # types.SimpleNamespace(base="...")
    "split",  # HOST and VERSION apart, joined by an f-string
    "config_file",  # a JSON file beside the code, read at run time
    "init_default",  # a client's __init__(self, base="...") default
    "ini_file",  # an INI file beside the code, read with configparser
)
MODULES = ("same", "settings_from", "settings_module", "settings_relative")
LITERALS = ("plain", "bytes", "implicit", "raw")
BUILDS = (
    "fstring",
    "fstring_conv",
    "fstring_spec",
    "concat",
    "percent",
    "percent_named",
    "format",
    "format_named",
    "format_map",
    "template",
    "join",
    "urljoin",
    "posixpath",
    "replace",
    "augmented",
)
ROLES = (
    "literal",
    "constant",
    "parameter",
    "default",
    "loop",
    "loop_keyed",  # the loop's value is also a label of the result: a rewrite must not change it
    "mapping",
    "enum",
    "literal_alias",
    "env",
    "decorator",
    "class_constant",  # class Paths: STUDENTS = "students", passed as Paths.STUDENTS
)
SENDS = (
    "requests_get",
    "requests_request",
    "session",
    "session_subclass",
    "httpx",
    "httpx_async",
    "httpx_base_url",  # httpx.Client(base_url=BASE).get("/" + kind): the URL is made by the client
    "urllib",
    "aiohttp",
)
SPREADS = (
    "functions",
    "client_class",
    "helper_module",
    "registry",
    "base_class",  # a base class builds and sends self.base_url + path; a subclass sets base_url
)


@dataclass(frozen=True)
class Choices:
    base: str
    module: str
    literal: str
    build: str
    role: str
    send: str
    spread: str
    roles: Tuple[str, ...]
    version: str = "v2.1"

    def label(self) -> str:
        return (
            f"base={self.base} module={self.module} literal={self.literal} build={self.build} role={self.role} "
            f"send={self.send} spread={self.spread} roles={','.join(self.roles)} version={self.version}"
        )


@dataclass
class Program:
    choices: Choices
    files: Dict[str, str] = field(default_factory=dict)  # path under the project root -> text
    marks: List[Tuple[str, str]] = field(default_factory=list)  # (path, text of a literal put into requests)

    def literal_lines(self, files: Optional[Dict[str, str]] = None) -> Dict[str, List[int]]:
        """For each file, the lines holding a marked literal, in `files` (default: as generated;
        the oracle passes the files as `fix` left them)."""
        files = self.files if files is None else files
        out: Dict[str, List[int]] = {}
        for path, text in self.marks:
            source = files.get(path, "")
            for number, line in enumerate(source.splitlines(), 1):
                if text in line:
                    out.setdefault(path, []).append(number)
        return {path: sorted(set(lines)) for path, lines in out.items()}


def choose(rng: random.Random) -> Choices:
    """One program's choices, each axis drawn on its own."""
    count = rng.choice((1, 1, 2))
    roles = tuple(rng.sample(ROLE_WORDS, count))
    return Choices(
        base=rng.choice(BASES),
        module=rng.choice(MODULES),
        literal=rng.choice(LITERALS),
        build=rng.choice(BUILDS),
        role=rng.choice(ROLES),
        send=rng.choice(SENDS),
        spread=rng.choice(SPREADS),
        roles=roles,
        version=rng.choice(("v2.0", "v2.1")),
    )


# -- pieces --------------------------------------------------------------------------------------
def _literal(text: str, style: str) -> str:
    """A Python expression whose value is `text`, written in `style`."""
    if style == "bytes":
        return f'b"{text}".decode("ascii")'
    if style == "implicit" and "/v" in text:
        head, tail = text.rsplit("/v", 1)
        return f'(\n    "{head}"\n    "/v{tail}"\n)'
    if style == "raw":
        return f'r"{text}"'
    return f'"{text}"'


class _Writer:
    """The text of the program's modules, and the literals marked as going into requests."""

    def __init__(self, choices: Choices) -> None:
        self.c = choices
        self.imports: Dict[str, List[str]] = {}
        self.body: Dict[str, List[str]] = {}
        self.marks: List[Tuple[str, str]] = []
        self.extra: Dict[str, str] = {}

    def imp(self, module: str, line: str) -> None:
        lines = self.imports.setdefault(module, [])
        if line not in lines:
            lines.append(line)

    def add(self, module: str, text: str) -> None:
        self.body.setdefault(module, []).append(text)

    def mark(self, module: str, text: str) -> None:
        self.marks.append((f"integration/{module}.py" if not module.startswith("integration/") else module, text))

    def files(self) -> Dict[str, str]:
        out = {"integration/__init__.py": ""}
        for module in sorted(set(self.imports) | set(self.body)):
            head = "\n".join(sorted(self.imports.get(module, [])))
            text = (head + "\n\n\n" if head else "") + "\n\n\n".join(self.body.get(module, [])) + "\n"
            out[f"integration/{module}.py"] = text
        out.update(self.extra)
        return out


def _mark_literal(w: _Writer, module: str, code: str) -> None:
    """Mark every string literal of `code` (an implicit concatenation has one per line)."""
    for found in re.finditer(r'"[^"]*"', code):
        if found.group(0) != '"ascii"':
            w.mark(module, found.group(0))


def _base(w: _Writer) -> Tuple[Optional[str], Optional[str]]:
    """Declare the base where the choices put it; (code in the URL module that reads it, or
    None for an inline literal; the literal text when inline)."""
    c = w.c
    url = f"{HOST}/{c.version}"
    home = "main" if c.module == "same" or c.base in ("inline", "init_default") else "settings"
    lit = _literal(url, c.literal)
    name: Optional[str] = None
    if c.base == "inline":
        return None, url
    if c.base == "init_default":
        _mark_literal(w, "main", lit)
        return "self.base", lit  # declared by the client class (spread forces one)
    if c.base == "constant":
        w.add(home, f"BASE_URL = {lit}")
        name = "BASE_URL"
    elif c.base == "env_default":
        w.imp(home, "import os")
        w.add(home, f'BASE_URL = os.environ.get("GENERATED_CLEVER_BASE_URL", {lit})')
        name = "BASE_URL"
    elif c.base == "class_attr":
        w.add(home, f"class Settings:\n    base_url = {lit}\n    timeout = 10")
        name = "Settings"
    elif c.base == "property":
        w.add(
            home,
            f"class Config:\n    def __init__(self):\n        self._base = {lit}\n\n"
            f"    @property\n    def base_url(self):\n        return self._base\n\n\nCONFIG = Config()",
        )
        name = "CONFIG"
    elif c.base == "dict":
        w.add(home, f'SETTINGS = {{"clever": {{"base": {lit}, "timeout": 10}}}}')
        name = "SETTINGS"
    elif c.base == "function":
        w.add(home, f"def clever_base():\n    return {lit}")
        name = "clever_base"
    elif c.base == "dataclass":
        w.imp(home, "from dataclasses import dataclass")
        w.add(
            home,
            f"@dataclass(frozen=True)\nclass CleverSettings:\n    base: str = {lit}\n\n\nsettings = CleverSettings()",
        )
        name = "settings"
    elif c.base == "namespace":
        w.imp(home, "import types")
        w.add(home, f"clever = types.SimpleNamespace(base={lit}, timeout=10)")
        name = "clever"
    elif c.base == "split":
        w.add(home, f'API_HOST = "{HOST}"\nAPI_VERSION = "{c.version}"')
        w.mark(home, f'"{c.version}"')
        w.mark(home, f'"{HOST}"')
        name = "API_HOST"
    elif c.base == "ini_file":
        w.imp(home, "import configparser")
        w.imp(home, "import os")
        w.add(
            home,
            "def load_config():\n"
            "    parser = configparser.ConfigParser()\n"
            '    parser.read(os.path.join(os.path.dirname(__file__), "clever.ini"), encoding="utf-8")\n'
            '    return parser["clever"]',
        )
        w.extra["integration/clever.ini"] = f"[clever]\nbase_url = {url}\ntimeout = 10\n"
        w.marks.append(("integration/clever.ini", url))
        name = "load_config"
    elif c.base == "config_file":
        w.imp(home, "import json")
        w.imp(home, "import os")
        w.add(
            home,
            "def load_config():\n"
            '    with open(os.path.join(os.path.dirname(__file__), "clever.json"), encoding="utf-8") as handle:\n'
            "        return json.load(handle)",
        )
        w.extra["integration/clever.json"] = json.dumps({"base_url": url, "timeout": 10}, indent=2) + "\n"
        w.marks.append(("integration/clever.json", f'"{url}"'))
        name = "load_config"
    if c.base not in ("split", "ini_file"):
        _mark_literal(w, home, lit)
    reads = {
        "constant": "{p}BASE_URL",
        "env_default": "{p}BASE_URL",
        "class_attr": "{p}Settings.base_url",
        "property": "{p}CONFIG.base_url",
        "dict": '{p}SETTINGS["clever"]["base"]',
        "function": "{p}clever_base()",
        "dataclass": "{p}settings.base",
        "namespace": "{p}clever.base",
        "split": "{p}API_HOST + '/' + {p}API_VERSION",
        "config_file": '{p}load_config()["base_url"]',
        "ini_file": '{p}load_config()["base_url"]',
    }[c.base]
    if home == "settings":
        if c.module == "settings_module":
            w.imp("main", "from integration import settings")
            return reads.format(p="settings."), None
        if c.module == "settings_relative":
            w.imp("main", "from . import settings")
            return reads.format(p="settings."), None
        names = [name] + (["API_VERSION"] if c.base == "split" else [])
        w.imp("main", f"from integration.settings import {', '.join(names)}")
    return reads.format(p=""), None


def _build(base_code: Optional[str], base_text: Optional[str], role_code: str, role_text: Optional[str], c: Choices):
    """(statements before, the URL expression) for the chosen way of building a string. A
    piece given as text is written into the format string itself."""

    def piece(code, text):
        return _literal(text, "plain") if text is not None else code

    b, r = piece(base_code, base_text), piece(role_code, role_text)
    bf = base_text if base_text is not None else "{" + base_code.replace('"', "'") + "}"
    rf = role_text if role_text is not None else "{" + role_code.replace('"', "'") + "}"
    if c.build == "fstring":
        return [], f'f"{bf}/{rf}"'
    if c.build == "fstring_conv":
        bf2 = base_text if base_text is not None else "{" + base_code.replace('"', "'") + "!s}"
        rf2 = role_text if role_text is not None else "{" + role_code.replace('"', "'") + "!s}"
        return [], f'f"{bf2}/{rf2}"'
    if c.build == "fstring_spec":
        bf2 = base_text if base_text is not None else "{" + base_code.replace('"', "'") + ":s}"
        rf2 = role_text if role_text is not None else "{" + role_code.replace('"', "'") + ":s}"
        return [], f'f"{bf2}/{rf2}"'
    if c.build == "concat":
        return [], f'{b} + "/" + {r}'
    if c.build == "percent":
        return [], f'"%s/%s" % ({b}, {r})'
    if c.build == "percent_named":
        return [], f'"%(base)s/%(kind)s" % {{"base": {b}, "kind": {r}}}'
    if c.build == "format":
        return [], f'"{{}}/{{}}".format({b}, {r})'
    if c.build == "format_named":
        return [], f'"{{base}}/{{kind}}".format(base={b}, kind={r})'
    if c.build == "format_map":
        return [], f'"{{base}}/{{kind}}".format_map({{"base": {b}, "kind": {r}}})'
    if c.build == "template":
        return ["import string"], f'string.Template("$base/$kind").substitute(base={b}, kind={r})'
    if c.build == "join":
        return [], f'"/".join([{b}, {r}])'
    if c.build == "urljoin":
        return ["from urllib.parse import urljoin"], f'urljoin({b} + "/", {r})'
    if c.build == "posixpath":
        return ["import posixpath"], f"posixpath.join({b}, {r})"
    if c.build == "replace":
        return [], f'"BASE/KIND".replace("BASE", {b}).replace("KIND", {r})'
    if c.build == "augmented":
        return ["AUGMENTED"], f"{b}|{r}"
    raise ValueError(c.build)


def _send(w: _Writer, module: str, url: str, indent: str) -> List[str]:
    """Statements that send GET `url` with a bearer token and leave the JSON body in `body`."""
    c = w.c
    if c.send == "requests_get":
        w.imp(module, "import requests")
        return [f"response = requests.get({url}, headers=HEADERS, timeout=10)", "body = response.json()"]
    if c.send == "requests_request":
        w.imp(module, "import requests")
        return [f'body = requests.request("GET", {url}, headers=HEADERS, timeout=10).json()']
    if c.send == "session":
        w.imp(module, "import requests")
        return ["session = requests.Session()", "session.headers.update(HEADERS)", f"body = session.get({url}).json()"]
    if c.send == "session_subclass":
        w.imp(module, "import requests")
        if "class CleverSession" not in "".join(w.body.get(module, [])):
            w.add(
                module,
                "class CleverSession(requests.Session):\n"
                "    def request(self, method, url, **kwargs):\n"
                '        kwargs.setdefault("headers", {}).update(HEADERS)\n'
                "        return super().request(method, url, **kwargs)",
            )
        return [f"body = CleverSession().get({url}).json()"]
    if c.send == "httpx":
        w.imp(module, "import httpx")
        return ["with httpx.Client(headers=HEADERS) as client:", f"    body = client.get({url}).json()"]
    if c.send == "httpx_async":
        w.imp(module, "import asyncio")
        w.imp(module, "import httpx")
        if "async def _get" not in "".join(w.body.get(module, [])):
            w.add(
                module,
                "async def _get(url):\n"
                "    async with httpx.AsyncClient(headers=HEADERS) as client:\n"
                "        response = await client.get(url)\n"
                "        return response.json()",
            )
        return [f"body = asyncio.run(_get({url}))"]
    if c.send == "aiohttp":
        w.imp(module, "import aiohttp")
        w.imp(module, "import asyncio")
        if "async def _get" not in "".join(w.body.get(module, [])):
            w.add(
                module,
                "async def _get(url):\n"
                "    async with aiohttp.ClientSession(headers=HEADERS) as session:\n"
                "        async with session.get(url) as response:\n"
                "            return await response.json()",
            )
        return [f"body = asyncio.run(_get({url}))"]
    if c.send == "urllib":
        w.imp(module, "import json")
        w.imp(module, "import urllib.request")
        return [
            f"request = urllib.request.Request({url}, headers=HEADERS)",
            "with urllib.request.urlopen(request) as response:",
            "    body = json.load(response)",
        ]
    raise ValueError(c.send)


def _indent(lines: List[str], prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in lines)


def build(choices: Choices) -> Program:
    """The program of `choices`."""
    c = choices
    if c.base == "init_default" and c.spread != "client_class":
        c = dataclasses.replace(c, spread="client_class")
    if c.send == "httpx_base_url" and c.spread in ("helper_module", "base_class"):
        c = dataclasses.replace(c, spread="functions")  # the client is made where the path is
    w = _Writer(c)
    w.add("main", 'HEADERS = {"Authorization": "Bearer generated-token"}')
    base_code, base_lit = _base(w)
    base_text = None
    if base_lit is not None and c.base == "inline":
        base_text = base_lit
        w.mark("main", base_lit)  # inline: its text is in the URL expression's line

    # the role: how the fetch function receives it, and how main calls it
    words = c.roles
    first = words[0]
    param = "kind"
    role_text: Optional[str] = None
    role_code = param
    calls: List[str]
    signature = param
    if c.role == "literal":
        role_text, role_code, signature = first, "", ""
        words = (first,)
        calls = ["fetch()"]
    elif c.role == "constant":
        w.add("main", f'ROLE = "{first}"')
        w.mark("main", f'ROLE = "{first}"')
        role_code, signature, words = "ROLE", "", (first,)
        calls = ["fetch()"]
    elif c.role == "parameter":
        calls = [f'fetch("{word}")' for word in words]
        for word in words:
            w.mark("main", f'fetch("{word}")')
    elif c.role == "default":
        signature = f'kind="{first}"'
        words = (first,)
        calls = ["fetch()"]
        w.mark("main", f'kind="{first}"')
    elif c.role == "loop":
        tup = "(" + ", ".join(f'"{word}"' for word in words) + ("," if len(words) == 1 else "") + ")"
        calls = [f"for kind in {tup}:", "    out.extend(fetch(kind))"]
        w.mark("main", tup)
    elif c.role == "loop_keyed":
        tup = "(" + ", ".join(f'"{word}"' for word in words) + ("," if len(words) == 1 else "") + ")"
        calls = [f"for kind in {tup}:", '    out.extend(kind + ":" + found for found in fetch(kind))']
        w.mark("main", tup)
    elif c.role == "mapping":
        roles = {"students": "student", "teachers": "teacher", "school_admins": "staff"}
        roles.update({"district_admins": "district_admin", "contacts": "contact"})
        entries = ", ".join(f'"{roles[word]}": "{word}"' for word in words)
        w.add("main", f"COLLECTIONS = {{{entries}}}")
        for word in words:
            w.mark("main", f'"{roles[word]}": "{word}"')
        role_code = "COLLECTIONS[role]"
        signature = "role"
        calls = [f'fetch("{roles[word]}")' for word in words]
    elif c.role == "enum":
        w.imp("main", "import enum")
        members = "\n".join(f'    {word.upper()} = "{word}"' for word in words)
        w.add("main", f"class Collection(str, enum.Enum):\n{members}")
        for word in words:
            w.mark("main", f'{word.upper()} = "{word}"')
        role_code = "kind.value"
        calls = [f"fetch(Collection.{word.upper()})" for word in words]
    elif c.role == "literal_alias":
        w.imp("main", "from typing import Literal")
        w.add("main", "Kind = Literal[" + ", ".join(f'"{word}"' for word in words) + "]")
        for word in words:
            w.mark("main", f'"{word}"')
        signature = "kind: Kind"
        calls = [f'fetch("{word}")' for word in words]
    elif c.role == "env":
        w.imp("main", "import os")
        w.add("main", f'ROLE = os.environ.get("GENERATED_CLEVER_ROLE", "{first}")')
        w.mark("main", f'"GENERATED_CLEVER_ROLE", "{first}"')
        role_code, signature, words = "ROLE", "", (first,)
        calls = ["fetch()"]
    elif c.role == "class_constant":
        members = "\n".join(f'    {word.upper()} = "{word}"' for word in words)
        w.add("main", f"class Paths:\n{members}")
        for word in words:
            w.mark("main", f'{word.upper()} = "{word}"')
        calls = [f"fetch(Paths.{word.upper()})" for word in words]
    elif c.role == "decorator":
        w.add(
            "main",
            "FETCHERS = []\n\n\ndef collection(kind):\n    def register(function):\n"
            "        FETCHERS.append((kind, function))\n        return function\n\n    return register",
        )
        calls = ["for kind, function in FETCHERS:", "    out.extend(function(kind))"]
        for word in words:
            w.mark("main", f'@collection("{word}")')
    else:
        raise ValueError(c.role)
    c = dataclasses.replace(c, roles=words)
    w.c = c

    # the URL expression
    if c.spread == "base_class":
        # the base class joins self.base_url and the path it is given; the subclass sets the base
        base_value = base_code if base_code is not None else _literal(base_text, "plain")
        role_arg = role_code if role_text is None else _literal(role_text, "plain")
        base_code, base_text, role_code, role_text = "self.base_url", None, "path", None
    if c.send == "httpx_base_url":
        base_value = base_code if base_code is not None else _literal(base_text, "plain")
        path = f'"/{role_text}"' if role_text is not None else f'"/" + {role_code}'
        imports, url = [], path
    else:
        imports, url = _build(base_code, base_text, role_code, role_text, c)
    pre: List[str] = []
    if imports == ["AUGMENTED"]:
        b, r = url.split("|")
        pre = [f"url = {b}", 'url += "/"', f"url += {r}"]
        url = "url"
        w.mark("main", 'url += "/"')
    else:
        for line in imports:
            w.imp("main", line)
        pre = [f"url = {url}"]
        w.mark("main", f"url = {url}".splitlines()[0])
    if role_text is not None:
        w.mark("main", role_text)

    if c.send == "httpx_base_url":
        w.imp("main", "import httpx")
        pre = []
        send_lines = [
            f"with httpx.Client(base_url={base_value}, headers=HEADERS) as client:",
            f"    body = client.get({url}).json()",
        ]
        w.mark("main", f"client.get({url})")
    elif c.spread == "helper_module":
        sender = _send(w, "http_util", "url", "    ")
        w.add("http_util", 'HEADERS = {"Authorization": "Bearer generated-token"}')
        w.add("http_util", "def get_json(url):\n" + _indent(sender, "    ") + "\n    return body")
        w.imp("main", "from integration.http_util import get_json")
        send_lines = ["body = get_json(url)"]
    else:
        send_lines = _send(w, "main", "url", "    ")
    extract = 'return [record["data"]["id"] for record in body["data"]]'
    if c.spread == "base_class":
        w.add(
            "main",
            "class ApiClient:\n    def get_json(self, path):\n"
            + _indent(pre + send_lines + ["return body"], "        "),
        )
        method_sig = "self" + (", " + signature if signature else "")
        w.add(
            "main",
            f"class CleverClient(ApiClient):\n    base_url = {base_value}\n\n    def fetch({method_sig}):\n"
            f"        body = self.get_json({role_arg})\n        {extract}",
        )
        w.mark("main", f"body = self.get_json({role_arg})")
        calls = [
            call.replace("fetch(", "client.fetch(").replace("function(kind)", "function(client, kind)")
            for call in calls
        ]
        prefix = ["client = CleverClient()"]
    elif c.spread == "client_class":
        init = "def __init__(self):\n        pass"
        if c.base == "init_default":
            init = f"def __init__(self, base={_literal(f'{HOST}/{c.version}', c.literal)}):\n        self.base = base"
        method_sig = "self" + (", " + signature if signature else "")
        body_lines = pre + send_lines + [extract]
        w.add(
            "main",
            f"class CleverClient:\n    {init}\n\n    def fetch({method_sig}):\n" + _indent(body_lines, "        "),
        )
        calls = [
            call.replace("fetch(", "client.fetch(").replace("function(kind)", "function(client, kind)")
            for call in calls
        ]
        prefix = ["client = CleverClient()"]
    else:
        w.add("main", f"def fetch({signature}):\n" + _indent(pre + send_lines + [extract], "    "))
        prefix = []
    if c.role == "decorator":
        on_client = c.spread in ("client_class", "base_class")
        target = "client.fetch(kind)" if on_client else "fetch(kind)"
        args = "client, kind" if on_client else "kind"
        for index, word in enumerate(words):
            w.add("main", f'@collection("{word}")\ndef fetch_{index}({args}):\n    return {target}')
    main_lines = prefix + ["out = []"]
    for call in calls:
        if call.startswith("for ") or call.startswith("    "):
            main_lines.append(call)
        else:
            main_lines.append(f"out.extend({call})")
    main_lines.append("return sorted(out)")
    w.add("main", "def main():\n" + _indent(main_lines, "    "))
    return Program(c, w.files(), w.marks)
