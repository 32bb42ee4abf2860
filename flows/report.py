"""A self-contained HTML run report: counts per step, languages, duplicate clusters,
validation, and trends across past runs, drawn as inline SVG (no script, no network).

Every value that comes from the data (titles, doc_ids, reasons, expectation messages) is
escaped with ``html.escape``; the page carries a Content-Security-Policy that forbids
scripts, so even a missed escape could not run code.
"""

from __future__ import annotations

import html
from pathlib import Path

STEP_COLUMNS = ("in", "changed", "flagged", "removed", "rejected", "seconds")
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def validation_status(validation: dict) -> str:
    """"passed", "passed the gate" (some documents failed and went to rejected/) or "FAILED".

    >>> validation_status({"success": False, "gate": {"passed": True}}), validation_status({"success": True})
    ('passed the gate', 'passed')
    """
    if validation.get("success", True):
        return "passed"
    return "passed the gate" if (validation.get("gate") or {}).get("passed") else "FAILED"


def esc(value) -> str:
    """HTML-escape anything (None -> empty).

    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return "" if value is None else html.escape(str(value), quote=True)


def bar_chart(items: list[tuple[str, float]], title: str, width: int = 560, bar: int = 22) -> str:
    """A horizontal bar chart as an inline SVG element.

    >>> "<svg" in bar_chart([("en", 4), ("fr", 1)], "Languages")
    True
    """
    if not items:
        return f'<p class="empty">{esc(title)}: nothing to show</p>'
    top = max(v for _, v in items) or 1
    label_w, value_w = 170, 70
    span = width - label_w - value_w
    rows = []
    for i, (label, value) in enumerate(items):
        y = i * (bar + 6)
        w = max(1.0, span * value / top) if value else 0
        rows.append(
            f'<g transform="translate(0,{y})"><text x="{label_w - 6}" y="{bar - 6}" text-anchor="end">{esc(label)}</text>'
            f'<rect x="{label_w}" y="0" width="{w:.1f}" height="{bar}" class="bar"><title>{esc(label)}: {esc(value)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{bar - 6}">{esc(_fmt(value))}</text></g>'
        )
    height = len(items) * (bar + 6)
    return (
        f'<figure><figcaption>{esc(title)}</figcaption>'
        f'<svg role="img" aria-label="{esc(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg></figure>'
    )


def trend_chart(points: list[tuple[str, dict]], series: tuple[str, ...], title: str, width: int = 560, height: int = 200) -> str:
    """Grouped columns per run (oldest left) for the given series of numbers."""
    if not points:
        return ""
    top = max((p.get(s, 0) for _, p in points for s in series), default=0) or 1
    n = len(points)
    group_w = (width - 40) / n
    col_w = max(2.0, group_w * 0.8 / len(series))
    cols = []
    for i, (run_id, p) in enumerate(points):
        for j, s in enumerate(series):
            v = p.get(s, 0)
            h = (height - 40) * v / top
            x = 30 + i * group_w + j * col_w
            cols.append(
                f'<rect class="s{j}" x="{x:.1f}" y="{height - 20 - h:.1f}" width="{col_w:.1f}" height="{h:.1f}">'
                f"<title>{esc(run_id)} {esc(s)}: {esc(v)}</title></rect>"
            )
    legend = " ".join(f'<span class="key s{j}">{esc(s)}</span>' for j, s in enumerate(series))
    return (
        f"<figure><figcaption>{esc(title)} — {legend}</figcaption>"
        f'<svg role="img" aria-label="{esc(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><line x1="30" y1="{height - 20}" x2="{width}" y2="{height - 20}" class="axis"/>'
        f'{"".join(cols)}</svg></figure>'
    )


def _file_uri(path: str) -> str:
    """A file:// link to ``path`` (relative paths resolved against the working folder).

    >>> _file_uri("file:///tmp/x.html"), _file_uri("/tmp/x.html")
    ('file:///tmp/x.html', 'file:///tmp/x.html')
    """
    return path if str(path).startswith("file:") else Path(path).resolve().as_uri()


def _fmt(v) -> str:
    return f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(_fmt(c) if isinstance(c, (int, float)) else c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(manifest: dict, history: list[dict]) -> str:
    """The HTML page for one run; ``history`` is every committed run's manifest (with this one)."""
    counts = manifest.get("counts", {})
    steps = [[step] + [c.get(k, "") for k in STEP_COLUMNS] for step, c in counts.items()]
    langs = sorted(manifest.get("languages", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    clusters = manifest.get("duplicate_clusters", [])
    validation = manifest.get("validation", {})
    cons = manifest.get("conservation", {})
    problems = [[p.get("part"), c] for p in validation.get("parts", []) for c in p.get("critical", [])]
    warnings = [[p.get("part"), w] for p in validation.get("parts", []) for w in p.get("warnings", [])]
    warnings += [["run", w] for w in (validation.get("run") or {}).get("warnings", [])]
    trend = [
        (m["run_id"], {"read": m.get("conservation", {}).get("read", 0), "clean": m.get("conservation", {}).get("clean", 0),
                       "rejected": m.get("conservation", {}).get("rejected", 0),
                       "duplicates": m.get("counts", {}).get("deduplicate", {}).get("duplicates", 0)})
        for m in sorted(history, key=lambda m: m["run_id"])[-30:]
    ]
    status = validation_status(validation)
    gate_message = (validation.get("gate") or {}).get("message")
    docs_link = validation.get("data_docs")
    parts = [
        f"<h1>newsclean run {esc(manifest['run_id'])}</h1>",
        f'<p class="summary">Started {esc(manifest.get("started_at"))}, {esc(manifest.get("seconds"))} s. '
        f"Read {esc(cons.get('read'))} records = clean {esc(cons.get('clean'))} + rejected {esc(cons.get('rejected'))}; "
        f"{esc(len(manifest.get('inputs', [])))} new or changed input files, {esc(manifest.get('unchanged_inputs', 0))} unchanged. "
        f'Validation <strong class="{"failed" if status == "FAILED" else "passed"}">{esc(status)}</strong>.</p>',
        "<h2>Counts per step</h2>",
        _table(["step", *STEP_COLUMNS], steps),
        bar_chart([(s, c.get("in", 0) or 0) for s, c in counts.items()], "Documents into each step"),
        bar_chart([(s, c.get("rejected", 0) or 0) for s, c in counts.items() if c.get("rejected")], "Rejected by step"),
        "<h2>Languages</h2>",
        bar_chart([(k, v) for k, v in langs], "Clean documents by language"),
        "<h2>Duplicate clusters</h2>",
        _table(["canonical doc_id", "canonical title", "duplicates"], [[c["doc_id"], c.get("title") or "", c["duplicates"]] for c in clusters])
        if clusters else "<p>No duplicates in this run.</p>",
        "<h2>Validation</h2>",
        (f'<p>Great Expectations Data Docs: <a href="{esc(_file_uri(docs_link))}">{esc(docs_link)}</a></p>' if docs_link else ""),
        (f"<p>Gate: {esc(gate_message)}</p>" if gate_message else ""),
        _table(["part", "critical failure"], problems) if problems else "<p>No critical failure.</p>",
        _table(["part", "warning"], warnings) if warnings else "<p>No warning.</p>",
        "<h2>Trends across runs</h2>",
        trend_chart(trend, ("read", "clean", "rejected", "duplicates"), f"Last {len(trend)} runs"),
        _table(["run", "read", "clean", "rejected", "duplicates"], [[r, p["read"], p["clean"], p["rejected"], p["duplicates"]] for r, p in trend]),
    ]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>newsclean run {esc(manifest['run_id'])}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }}
table {{ border-collapse: collapse; margin: .5em 0 1.5em; }} th, td {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}
th:first-child, td:first-child, td:nth-child(2) {{ text-align: left; }}
figure {{ margin: .5em 0 1.5em; }} figcaption {{ font-weight: 600; margin-bottom: .3em; }}
svg text {{ font-size: 12px; fill: #333; }} .bar {{ fill: #3b7dd8; }} .axis {{ stroke: #999; }}
.s0 {{ fill: #3b7dd8; background: #3b7dd8; }} .s1 {{ fill: #2a9d52; background: #2a9d52; }} .s2 {{ fill: #d8893b; background: #d8893b; }} .s3 {{ fill: #9b59b6; background: #9b59b6; }}
.key {{ color: #fff; padding: 0 6px; border-radius: 3px; }} .passed {{ color: #2a9d52; }} .failed {{ color: #c0392b; }}
</style></head><body>
{"".join(parts)}
</body></html>
"""


def write_report(out: Path, manifest: dict, history: list[dict]) -> Path:
    """Write ``reports/<run_id>.html`` and refresh ``report.html`` (the latest run)."""
    from flows.writers import write_text_atomic

    page = render_report(manifest, history)
    path = write_text_atomic(page, out / "reports" / f"{manifest['run_id']}.html")
    write_text_atomic(page, out / "report.html")
    return path
