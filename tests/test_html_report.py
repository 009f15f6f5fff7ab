"""`checklist --format html` / `check --format html`: one self-contained page. html5lib parses
it strictly (always); a headless Chromium (Debian's chromium, which .ci/run installs) renders
it: a screenshot that is not blank, and the progress figures and a finding in the DOM."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = run_cli(ROOT / "examples", "checklist", "--format", "html", "--no-cache", "-o", str(out), "roster_sync")
    assert result.exit_code == 0, result.output
    return out


def test_the_page_is_valid_html_and_needs_nothing_from_outside(page):
    html5lib = pytest.importorskip("html5lib", reason="html5lib is in the test extra")
    text = page.read_text()
    html5lib.HTMLParser(strict=True).parse(text)  # raises on any parse error
    assert "<script" not in text and not re.search(r"""(?:src|href)=["']https?://""", text)
    assert "<style>" in text


def test_the_page_holds_the_checklists_figures(page):
    text = page.read_text()
    data = json.loads(run_cli(ROOT / "examples", "checklist", "--format", "json", "--no-cache", "roster_sync").output)
    done = sum(1 for s in data["steps"] if s["done"] and s["step"] != 7)
    assert f"<b>{done} / 6</b>steps done" in text
    for row in data["inventory"]:
        assert f'<td><code>{row["v2"]}</code></td><td class="n">{row["call_sites"]}</td>' in text
    first = data["steps"][2]["findings"][0]
    assert f'<a href="{first["path"]}">{first["path"]}:{first["line"]}</a>' in text
    assert "Decisions only a person can take" in text and "Account model for multi-role users" in text


def test_check_writes_the_same_page_with_the_runtime_evidence(tmp_path):
    (tmp_path / "sync.py").write_text('import requests\nrequests.get("https://api.clever.com/v2.1/teachers")\n')
    trace = {
        "version": 1,
        "command": ["pytest"],
        "requests": [
            {
                "method": "GET",
                "url": "https://api.clever.com/v2.1/students/s1",
                "v2": "/v2.1/students/{id}",
                "v3": "/v3.1/users/{id}",
                "statuses": {"200": 2},
                "count": 2,
                "sites": [{"path": str(tmp_path / "sync.py"), "line": 2}],
                "stacks": [[str(tmp_path / "sync.py")]],
                "static": False,
            }
        ],
        "summary": {"requests": 2, "v2_requests": 2, "not_found_by_check": 1},
    }
    (tmp_path / "trace.json").write_text(json.dumps(trace))
    result = run_cli(tmp_path, "check", "--format", "html", "--no-cache", "--trace", "trace.json", "sync.py")
    assert result.exit_code == 1
    assert "<h2>Runtime evidence</h2>" in result.output
    assert "<td><code>GET /v2.1/students/{id}</code></td><td><code>/v3.1/users/{id}</code></td>" in result.output
    assert "CLV701" in result.output  # the request only the run saw, as a finding too


def _chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    profile = cwd / "profile"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
    ]  # fmt: skip
    return subprocess.run([CHROMIUM, *flags, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (Debian's chromium package; .ci/run installs it)")
def test_chromium_renders_the_page(page, tmp_path):
    shot = tmp_path / "shot.png"
    run = _chromium(f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri(), cwd=tmp_path)
    assert shot.exists(), run.stderr
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(set(_png_rows(data))) > 10  # not a blank page: many different rows of pixels
    dom = _chromium("--dump-dom", page.as_uri(), cwd=tmp_path).stdout
    assert "steps done" in dom and 'id="progress"' in dom
    assert "roster_sync/rostering/client.py:60" in dom


def _png_rows(data: bytes):
    """The raw scanlines of a PNG (enough to tell a blank image from a page)."""
    import struct
    import zlib

    position, chunks, width = 8, [], 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width = struct.unpack(">I", body[:4])[0]
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = 1 + width * 4 if raw and len(raw) % (1 + width * 4) == 0 else 1 + width * 3
    return [raw[i + 1 : i + stride] for i in range(0, len(raw), stride)]
