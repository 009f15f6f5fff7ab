"""[tool.clever-upgrade] in pyproject.toml (or a --config file), validated, merged with the
command line (command line > file > defaults)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Tuple

from linter import selection
from linter.model import Confidence, Options, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11
    import tomli as tomllib


SEVERITIES = ("info", "warning", "error")
CONFIDENCES = ("low", "medium", "high")
TARGETS = ("v3.0", "v3.1")
TABLE = "clever-upgrade"


class ConfigError(UsageError):
    """A configuration problem, as one line naming the file and the key."""


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    exclude: Optional[Tuple[str, ...]] = None  # None: the default exclusions
    extend_exclude: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    min_confidence: str = "medium"
    target_version: str = "v3.1"
    clever_hosts: Tuple[str, ...] = ()
    fail_on: str = "info"
    respect_gitignore: bool = True
    source: Optional[Path] = None  # the file the settings came from
    root: Optional[Path] = field(default=None)  # its directory: patterns are relative to it


def _strings(path: Path, key: str, value: Any) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: {key}: expected a list of strings")
    return tuple(value)


def _choice(path: Path, key: str, value: Any, choices: Tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(f"{path}: {key}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _codes(path: Path, key: str, value: Any) -> Tuple[str, ...]:
    codes = _strings(path, key, value)
    for code in codes:
        if not selection.is_rule_code(code):
            raise ConfigError(f"{path}: {key}: {code!r} is not a rule code or prefix (CLV...)")
    return selection.normalize(codes)


def parse(table: Dict[str, Any], path: Path) -> Settings:
    values: Dict[str, Any] = {"source": path, "root": path.parent}
    for key, value in table.items():
        if key == "select":
            values["select"] = _codes(path, key, value)
        elif key == "ignore":
            values["ignore"] = _codes(path, key, value)
        elif key == "exclude":
            values["exclude"] = _strings(path, key, value)
        elif key == "extend-exclude":
            values["extend_exclude"] = _strings(path, key, value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: {key}: expected a table of pattern = [codes]")
            values["per_file_ignores"] = tuple((str(p), _codes(path, f"{key}.{p}", c)) for p, c in value.items())
        elif key == "min-confidence":
            values["min_confidence"] = _choice(path, key, value, CONFIDENCES)
        elif key == "target-version":
            values["target_version"] = _choice(path, key, value, TARGETS)
        elif key == "clever-hosts":
            values["clever_hosts"] = _strings(path, key, value)
        elif key == "fail-on":
            values["fail_on"] = _choice(path, key, value, SEVERITIES)
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: {key}: expected true or false, got {value!r}")
            values["respect_gitignore"] = value
        else:
            raise ConfigError(f"{path}: unknown key {key!r}")
    return Settings(**values)


def load(path: Path) -> Settings:
    """A --config file: .toml (a [tool.clever-upgrade] table or top-level keys) or .yaml."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start + 1})") from None
    is_yaml = path.suffix in (".yaml", ".yml")
    errors: Tuple[type, ...]
    if is_yaml:
        import yaml  # only for a YAML --config: a run without one need not import it

        read, errors = (lambda t: yaml.safe_load(t) or {}), (yaml.YAMLError,)
    else:
        read, errors = tomllib.loads, (tomllib.TOMLDecodeError,)
    try:
        data = read(text)
    except errors as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid {'YAML' if is_yaml else 'TOML'}: {first}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a table of settings")
    table = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
    if table is None:
        table = data.get(TABLE, data)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{TABLE}] must be a table")
    return parse(table, path)


def discover(start: Path) -> Settings:
    """The [tool.clever-upgrade] table of the nearest pyproject.toml that has one, walking up
    from `start`; the defaults when there is none."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in [directory, *directory.parents]:
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except UnicodeDecodeError as exc:
                raise ConfigError(f"{pyproject}: not UTF-8 text (byte {exc.start + 1})") from None
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{pyproject}: not valid TOML: {str(exc).splitlines()[0]}") from None
            table = data.get("tool", {}).get(TABLE)
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{pyproject}: [tool.{TABLE}] must be a table")
                return parse(table, pyproject)
    return Settings()


def override(settings: Settings, **cli: Any) -> Settings:
    """Command-line values (those given) win over the file's."""
    given = {key: value for key, value in cli.items() if value not in (None, ())}
    return replace(settings, **given)


def options(settings: Settings, known_codes: Optional[Iterable[str]] = None, **extra: Any) -> Options:
    """The Options of a run: the settings (file merged with the command line) plus what only
    the command line says (`extra`: jobs, cache, ...). Every face builds its Options here.
    With `known_codes`, a code or prefix in select, ignore or per-file-ignores that names no
    rule is an error (a typo would otherwise select nothing and pass the gate)."""
    if known_codes is not None:
        known = tuple(known_codes)
        where = f"{settings.source}: " if settings.source is not None else ""
        for key, codes in (("select", settings.select), ("ignore", settings.ignore)):
            for code in selection.unknown(codes, known):
                raise ConfigError(f"{where}{key}: unknown rule code or prefix {code!r} (see `clever-upgrade rules`)")
        for pattern, codes in settings.per_file_ignores:
            for code in selection.unknown(codes, known):
                raise ConfigError(f"{where}per-file-ignores.{pattern}: unknown rule code or prefix {code!r}")
    return Options(
        min_confidence=Confidence.parse(settings.min_confidence),
        target_version=settings.target_version,
        clever_hosts=settings.clever_hosts,
        select=settings.select,
        ignore=settings.ignore,
        per_file_ignores=settings.per_file_ignores,
        config_root=settings.root,
        exclude=settings.exclude,
        extend_exclude=settings.extend_exclude,
        **{"respect_gitignore": settings.respect_gitignore, **extra},
    )
