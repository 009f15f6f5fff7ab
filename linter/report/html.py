"""`checklist --format html` (and `check --format html`): one self-contained page for the people
who track a migration rather than read diffs. Inline CSS, no script, no external request: it
reads the same in a browser, a mail attachment or a CI artifact.

What it shows, top to bottom: progress per checklist step (done / to do, with counts), the
endpoint inventory (v2 -> v3.1, call sites, fixable), the decisions a person must take, the
findings grouped by step and file (each with its source line and a `path:line` link), and with
`--trace` the runtime evidence (the requests a traced run made)."""

from __future__ import annotations

from collections import OrderedDict
from html import escape
from typing import Dict, List, Optional

from linter import __version__
from linter.model import LintResult, safe_fixes
from linter.report import checklist
from linter.report.formats import View

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px}h3{font-size:16px;margin:20px 0 6px}
.sub{color:#566072;margin:0 0 16px}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:26px}
.bar{height:10px;background:#e4e7ec;border-radius:5px;overflow:hidden;margin:6px 0 0}
.bar span{display:block;height:100%;background:#2f9e58}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1e8}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eceff3;vertical-align:top}
th{background:#f0f2f5;font-weight:600}td.n{text-align:right}
.done{color:#2f7d4a;font-weight:600}.todo{color:#b4541a;font-weight:600}
.finding{background:#fff;border:1px solid #dde1e8;border-left:4px solid #c0392b;border-radius:6px;
padding:8px 12px;margin:8px 0}
.finding.warning{border-left-color:#d98e04}.finding.info{border-left-color:#3a78c2}
.finding a{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.code{font-weight:600;margin:0 6px}
pre{background:#f3f4f6;border-radius:4px;padding:6px 8px;margin:6px 0 0;overflow-x:auto;font-size:13px}
.tag{font-size:12px;border-radius:10px;padding:1px 8px;background:#e8f3ec;color:#2f7d4a;margin-left:6px}
.tag.manual{background:#fbeee6;color:#b4541a}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
footer{color:#566072;font-size:13px;margin:32px 0 0}
"""


def render(result: LintResult, view: View = View()) -> str:
    trace = result.trace
    data = checklist.to_data(result)
    shown = result.visible
    fixable = len(safe_fixes(shown))
    steps = [s for s in data["steps"] if s["step"] != 7]
    done = sum(1 for s in steps if s["done"])
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Clever API v3.1 migration report</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>Clever API v3.1 migration report</h1>",
        f'<p class="sub">{len(shown)} findings in {len({f.path for f in shown})} of {result.files_scanned} files '
        f"checked (confidence {escape(result.min_confidence.value)} and up); {fixable} can be fixed by "
        "<code>clever-upgrade fix</code>.</p>",
        '<div class="cards">',
        _card("steps done", f"{done} / {len(steps)}", done / len(steps) if steps else 1.0, "progress"),
        _card("findings left", str(len(shown))),
        _card("fixable now", str(fixable)),
        _card("v2 endpoints in use", str(sum(1 for row in data["inventory"] if row["changes"]))),
        "</div>",
        "<h2>Progress by checklist step</h2>",
        '<table id="steps"><tr><th>step</th><th>status</th><th class="n">findings</th></tr>',
    ]
    for step in data["steps"]:
        count = len(step["findings"])
        if step["step"] == 7:
            status = '<span class="todo">to do by hand</span>'
        else:
            status = '<span class="done">done</span>' if step["done"] else '<span class="todo">to do</span>'
        parts.append(
            f'<tr><td>{step["step"]}. {escape(step["title"])}</td><td>{status}</td><td class="n">{count}</td></tr>'
        )
    parts.append("</table>")
    parts += _inventory(data["inventory"])
    parts += _decisions(data["decisions"])
    parts += _findings(data["steps"], result.texts)
    if trace is not None:
        parts += _trace(trace)
    parts += [
        f"<footer>clever-upgrade {escape(__version__)}. The same data: <code>clever-upgrade checklist "
        "--format json</code>.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return result.speak("\n".join(parts) + "\n")


def _card(label: str, value: str, fraction: Optional[float] = None, element_id: str = "") -> str:
    bar = f'<div class="bar"><span style="width:{fraction * 100:.0f}%"></span></div>' if fraction is not None else ""
    ident = f' id="{element_id}"' if element_id else ""
    return f'<div class="card"{ident}><b>{escape(value)}</b>{escape(label)}{bar}</div>'


def _inventory(rows: List[dict]) -> List[str]:
    out = ["<h2>Endpoint inventory</h2>"]
    if not rows:
        return out + ["<p>No Clever endpoint found.</p>"]
    out.append(
        '<table id="inventory"><tr><th>v2 endpoint</th><th class="n">call sites</th><th>v3.1 equivalent</th>'
        '<th class="n">fixable</th></tr>'
    )
    for row in rows:
        v3 = checklist.v3_cell(row, lambda path: f"<code>{escape(path)}</code>")
        out.append(
            f'<tr><td><code>{escape(row["v2"])}</code></td><td class="n">{row["call_sites"]}</td><td>{v3}</td>'
            f'<td class="n">{row["fixable"]}</td></tr>'
        )
    return out + ["</table>"]


def _decisions(decisions: List[dict]) -> List[str]:
    out = ["<h2>Decisions only a person can take</h2>"]
    if not decisions:
        return out + ["<p>None raised by the findings.</p>"]
    out.append("<ul>")
    for decision in decisions:
        where = sorted({f"{f['path']}:{f['line']}" for f in decision["findings"]})
        out.append(
            f"<li><b>{escape(decision['title'])}</b>: {escape(decision['question'])} "
            f"<br><small>Raised by {len(decision['findings'])} finding(s): "
            f"{escape(', '.join(where[:6]))}{' ...' if len(where) > 6 else ''}</small></li>"
        )
    return out + ["</ul>"]


def _findings(steps: List[dict], texts: Dict[str, str]) -> List[str]:
    out = ['<h2>Findings by step and file</h2><div id="findings">']
    lines_of: Dict[str, List[str]] = {}
    any_finding = False
    for step in steps:
        if not step["findings"]:
            continue
        any_finding = True
        out.append(f"<h3>{step['step']}. {escape(step['title'])}</h3>")
        by_file: "OrderedDict[str, List[dict]]" = OrderedDict()
        for finding in step["findings"]:
            by_file.setdefault(finding["path"], []).append(finding)
        for path, findings in by_file.items():
            out.append(f"<p><code>{escape(path)}</code></p>")
            if path not in lines_of:
                lines_of[path] = texts.get(path, "").splitlines()
            for f in findings:
                source = lines_of[path][f["line"] - 1] if 0 < f["line"] <= len(lines_of[path]) else ""
                tag = '<span class="tag">fixable</span>' if f["fixable"] else '<span class="tag manual">manual</span>'
                where = f"{path}:{f['line']}"
                out.append(
                    f'<div class="finding {escape(f["severity"])}"><a href="{escape(path, quote=True)}">'
                    f'{escape(where)}</a><span class="code">{escape(f["code"])}</span>{tag}'
                    f"<div>{escape(f['message'])}</div>" + (f"<pre>{escape(source)}</pre>" if source else "") + "</div>"
                )
    if not any_finding:
        out.append("<p>No finding left: every step but testing is done.</p>")
    return out + ["</div>"]


def _trace(trace: dict) -> List[str]:
    summary = trace.get("summary", {})
    out = [
        "<h2>Runtime evidence</h2>",
        f"<p>A traced run of <code>{escape(' '.join(trace.get('command') or []))}</code> made "
        f"{summary.get('requests', 0)} Clever request(s), {summary.get('v2_requests', 0)} of them to v2 endpoints; "
        f"{summary.get('not_found_by_check', 0)} endpoint(s) not found by the static analysis.</p>",
        '<table id="trace"><tr><th>endpoint</th><th>v3.1</th><th class="n">requests</th><th>statuses</th>'
        "<th>call sites</th><th>found by check</th></tr>",
    ]
    for request in trace.get("requests", []):
        sites = ", ".join(f"{s['path']}:{s['line']}" for s in request.get("sites", []))
        statuses = ", ".join(f"{k} x{v}" for k, v in request.get("statuses", {}).items())
        found = "yes" if request.get("static") else ("no" if request.get("v2") else "-")
        out.append(
            f"<tr><td><code>{escape(request['method'])} {escape(request.get('v2') or request.get('v3') or '')}</code>"
            f"</td><td><code>{escape(request.get('v3') or '') if request.get('v2') else ''}</code></td>"
            f'<td class="n">{request.get("count", 0)}</td><td>{escape(statuses)}</td><td>{escape(sites)}</td>'
            f"<td>{found}</td></tr>"
        )
    return out + ["</table>"]
