"""Clever base URLs with a v1/v2 version in configuration files: reported without a parse."""

from __future__ import annotations

import pytest

from tests.helpers import lint_tree


@pytest.mark.parametrize(
    "name, text, line, column",
    [
        pytest.param(".env", "DEBUG=1\nCLEVER_API_BASE=https://api.clever.com/v2.1\n", 2, 40, id="env"),
        pytest.param(".env.production", "CLEVER_API_BASE='https://api.clever.com/v2.0/'\n", 1, 41, id="env variant"),
        pytest.param("settings.ini", "[clever]\nbase_url = https://api.clever.com/v2.1\n", 2, 35, id="ini"),
        pytest.param("setup.cfg", "[clever]\nhost=api.clever.com/v1.2\n", 2, 21, id="cfg without scheme"),
        pytest.param("app.toml", '[clever]\nbase = "https://api.clever.com/v2.1"\n', 2, 32, id="toml"),
        pytest.param("config.yaml", "clever:\n  base: https://api.clever.com/v2.1\n", 2, 32, id="yaml"),
        pytest.param("config.yml", "clever:\r\n  base: 'https://api.clever.com/v2.0'\r\n", 2, 33, id="yml with CRLF"),
        pytest.param("config.json", '{"clever": {"base": "https://api.clever.com/v2.1"}}', 1, 45, id="json"),
    ],
)
def test_version_pin_in_config_file(tmp_path, name, text, line, column):
    (tmp_path / name).write_bytes(text.encode())
    result = lint_tree(tmp_path, {})
    assert [(f.code, f.span.line, f.span.column, f.confidence.value) for f in result.visible] == [
        ("CLV311", line, column, "high")
    ]


def test_role_endpoint_in_config_file(tmp_path):
    (tmp_path / ".env").write_text("TEACHERS_URL=https://api.clever.com/v2.1/teachers\n")
    result = lint_tree(tmp_path, {})
    assert [(f.code, f.span.column, f.v2, f.v3) for f in result.visible] == [
        ("CLV311", 37, "/v2.1/teachers", "/v3.1/users?role=teacher"),
        ("CLV301", 42, "/v2.1/teachers", "/v3.1/users?role=teacher"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "CLEVER_API_BASE=https://api.clever.com/v3.1\n",
        "OAUTH=https://clever.com/oauth/tokens\n",
        "OTHER=https://api.notclever.com/v2.1\n",
        "OTHER=https://api.example.com/v2.1/teachers\n",
    ],
)
def test_config_file_without_v2(tmp_path, text):
    (tmp_path / "settings.env").write_text(text)
    assert lint_tree(tmp_path, {}, min_confidence="low").findings == []
