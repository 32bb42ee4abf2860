"""A self-contained HTML run report: counts per step, what was removed, flagged and
rejected with examples, languages, distributions, duplicate clusters, validation, and
trends across past runs, drawn as inline SVG (no script, no network).

Every value that comes from the data (titles, doc_ids, reasons, expectation messages) is
escaped with ``html.escape``; the page carries a Content-Security-Policy that forbids
scripts, so even a missed escape could not run code.
"""

from __future__ import annotations

import html
from pathlib import Path

from flows.publish.audit import (
    LENGTH_BINS,
    SCORE_BINS,
    SECTION_TITLES,
    SECTIONS,
    moved_most,
    visible,
)
from flows.publish.layout import OutputLayout

STEP_COLUMNS = ("in", "changed", "flagged", "removed", "rejected", "seconds")
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def validation_status(validation: dict) -> str:
    """ "passed", "passed the gate" (some documents failed and went to rejected/) or "FAILED".

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
        f"<figure><figcaption>{esc(title)}</figcaption>"
        f'<svg role="img" aria-label="{esc(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg></figure>'
    )


def trend_chart(
    points: list[tuple[str, dict]], series: tuple[str, ...], title: str, width: int = 560, height: int = 200
) -> str:
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
        f"{''.join(cols)}</svg></figure>"
    )


def _file_uri(path: str) -> str:
    """A file:// link to ``path`` (relative paths resolved against the working folder).

    >>> _file_uri("file:///tmp/x.html"), _file_uri("/tmp/x.html")
    ('file:///tmp/x.html', 'file:///tmp/x.html')
    """
    return path if str(path).startswith("file:") else Path(path).resolve().as_uri()


def _fmt(v) -> str:
    return f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)


def _table(headers: list[str], rows: list[list], cls: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(_fmt(c) if isinstance(c, (int, float)) else c)}</td>" for c in r) + "</tr>"
        for r in rows
    )
    attr = f' class="{esc(cls)}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _example_html(e: dict) -> str:
    """One example: context, the change (``<del>``/``<ins>``, ``<mark>`` for flagged text),
    context, then where it comes from; every piece escaped once.

    >>> _example_html({"left": "a ", "ops": [["-", "<b>"]], "right": "", "title": "T", "doc_id": "d", "source": None, "rule": "r", "note": None})
    '<li><span class="ctx">…a </span><del>&lt;b&gt;</del><div class="src">T · <code>d</code> · r</div></li>'
    """
    tags = {"-": "del", "+": "ins", "!": "mark"}
    change = "".join(
        f"<{tags[op]}>{esc(visible(t))}</{tags[op]}>" if op in tags else f"<span>{esc(visible(t))}</span>"
        for op, t in e["ops"]
    )
    left = f'<span class="ctx">…{esc(visible(e["left"]))}</span>' if e.get("left") else ""
    right = f'<span class="ctx">{esc(visible(e["right"]))}…</span>' if e.get("right") else ""
    where = [esc(e.get("title") or "untitled"), f"<code>{esc(e['doc_id'])}</code>"]
    where += [esc(x) for x in (e.get("source"), e.get("rule"), e.get("note")) if x]
    return f'<li>{left}{change}{right}<div class="src">{" · ".join(where)}</div></li>'


def examples_html(examples: dict | None, documents: int) -> str:
    """Per section, a table of its categories (documents, per 1,000 documents, items,
    characters) and each category's examples."""
    if examples is None:
        return "<p>No examples recorded for this run.</p>"
    out = []
    for section in SECTIONS:
        cats = examples.get(section) or {}
        out.append(f"<h3>{esc(SECTION_TITLES[section])}</h3>")
        if not cats:
            out.append("<p>None.</p>")
            continue
        rows = [
            [c, v["docs"], round(1000 * v["docs"] / documents, 1) if documents else 0.0, v["n"]]
            + ([v["chars"]] if section == "edits" else [])
            for c, v in cats.items()
        ]
        head = ["category", "documents", "per 1,000", "items"] + (["characters removed"] if section == "edits" else [])
        out.append(_table(head, rows, "num"))
        for c, v in cats.items():
            items = "".join(_example_html(e) for e in v["examples"])
            out.append(
                f'<details open class="cat"><summary>{esc(section)}: <strong>{esc(c)}</strong> — '
                f"{esc(_fmt(v['docs']))} documents, {esc(_fmt(v['n']))} items"
                f"{', ' + esc(_fmt(v['chars'])) + ' characters' if section == 'edits' else ''}</summary>"
                f'<ol class="ex">{items}</ol></details>'
            )
    return "".join(out)


def _bins(edges, counts: list[int], fmt) -> list[tuple[str, int]]:
    """Histogram bins labelled by their range.

    >>> _bins((0, 250, 500), [1, 2, 3], str)
    [('0–250', 1), ('250–500', 2), ('≥500', 3)]
    """
    labels = [f"{fmt(a)}–{fmt(b)}" for a, b in zip(edges, edges[1:])] + [f"≥{fmt(edges[-1])}"]
    return list(zip(labels, counts))


def distributions_html(profile: dict | None, languages: dict) -> str:
    """Characters removed by category, language shares and scores, length before and after."""
    if not profile or "clean" not in profile:
        return "<p>No distributions recorded for this run.</p>"
    edits = profile.get("categories", {}).get("edits", {})
    removed = sorted(((c, v["chars"]) for c, v in edits.items() if v["chars"] > 0), key=lambda kv: (-kv[1], kv[0]))[:12]
    clean = profile["clean"] or 1
    shares = sorted(((k, round(100 * v / clean, 1)) for k, v in languages.items()), key=lambda kv: (-kv[1], kv[0]))[:12]
    before, after = profile.get("length_before", []), profile.get("length_after", [])
    edges = profile.get("length_bins", LENGTH_BINS)
    lengths = [(label, {"before": b, "after": a}) for (label, b), a in zip(_bins(edges, before, _k), after)]
    scores = _bins(SCORE_BINS, profile.get("language_scores", []), lambda x: f"{x:.1f}")
    return "".join(
        [
            f'<p class="summary">{esc(_fmt(profile.get("flagged", 0)))} of {esc(_fmt(profile["clean"]))} clean documents '
            f"({esc(_pct(profile.get('flagged', 0), profile['clean']))}) have a flag; their text went from "
            f"{esc(_fmt(profile.get('chars_before', 0)))} to {esc(_fmt(profile.get('chars_after', 0)))} characters "
            f"({esc(_pct(profile.get('chars_before', 0) - profile.get('chars_after', 0), profile.get('chars_before', 0)))} removed).</p>",
            bar_chart(removed, "Characters removed, by edit category"),
            bar_chart(shares, "Language shares of clean documents, %"),
            bar_chart(scores if any(n for _, n in scores) else [], "Language scores of clean documents"),
            trend_chart(lengths, ("before", "after"), "Document length in characters, before and after cleaning")
            if profile["clean"]
            else '<p class="empty">Document length: no clean document</p>',
        ]
    )


def _k(n: int) -> str:
    """A length for a label.

    >>> _k(500), _k(16000)
    ('500', '16k')
    """
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _pct(part: float, whole: float) -> str:
    """``part`` of ``whole`` in percent.

    >>> _pct(1, 8), _pct(1, 0)
    ('12.5%', '0%')
    """
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def drift_html(manifest: dict, history: list[dict]) -> str:
    """Each run's shape (flagged share, characters removed, mean length) and the categories
    that moved most against the mean of up to ten earlier runs."""
    runs = [
        m for m in sorted(history, key=lambda m: m["run_id"])[-30:] if (m.get("profile") or {}).get("clean") is not None
    ]
    rows = []
    for m in runs:
        p = m["profile"]
        top = max((m.get("languages") or {"–": 0}).items(), key=lambda kv: (kv[1], kv[0]))
        rows.append(
            [
                m["run_id"],
                p.get("documents", 0),
                _pct(p.get("flagged", 0), p["clean"]),
                _pct(p.get("chars_before", 0) - p.get("chars_after", 0), p.get("chars_before", 0)),
                round(p.get("chars_before", 0) / p["clean"]) if p["clean"] else 0,
                round(p.get("chars_after", 0) / p["clean"]) if p["clean"] else 0,
                f"{top[0]} {_pct(top[1], p['clean'])}" if top[1] else "–",
            ]
        )
    table = (
        _table(
            [
                "run",
                "documents",
                "flagged",
                "characters removed",
                "mean length before",
                "mean length after",
                "main language",
            ],
            rows,
        )
        if rows
        else ""
    )
    profile = manifest.get("profile")
    earlier = [
        m["profile"]
        for m in sorted(history, key=lambda m: m["run_id"])
        if m["run_id"] < manifest["run_id"] and m.get("profile")
    ][-10:]
    moves = moved_most(profile, earlier) if profile else []
    if not earlier:
        note = "<p>No earlier run with a profile to compare with.</p>"
    elif not moves:
        note = f"<p>No category moved against the {len(earlier)} earlier run(s).</p>"
    else:
        note = (
            f"<p>Moved most against the mean of the {len(earlier)} earlier run(s), in documents per 1,000:</p>"
            + _table(
                ["category", "earlier runs", "this run", "change"],
                [[m["category"], m["before"], m["now"], f"{m['change']:+,.1f}"] for m in moves],
            )
        )
    return table + note


def rejected_by_step(counts: dict) -> list[tuple[str, int]]:
    """The steps that rejected records, with how many.  ``write`` is left out: its ``rejected``
    counts the records it wrote to rejected/, not records it rejected.

    >>> rejected_by_step({"repair": {"rejected": 0}, "embeds": {"rejected": 2}, "write": {"in": 5, "rejected": 2}})
    [('embeds', 2)]
    """
    return [(s, c["rejected"]) for s, c in counts.items() if s != "write" and c.get("rejected")]


def render_report(manifest: dict, history: list[dict], examples: dict | None = None) -> str:
    """The HTML page for one run; ``history`` is every committed run's manifest (with this
    one); ``examples`` from ``flows.publish.audit.audit_run``."""
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
        (
            m["run_id"],
            {
                "read": m.get("conservation", {}).get("read", 0),
                "clean": m.get("conservation", {}).get("clean", 0),
                "rejected": m.get("conservation", {}).get("rejected", 0),
                "duplicates": m.get("counts", {}).get("deduplicate", {}).get("duplicates", 0),
            },
        )
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
        bar_chart(rejected_by_step(counts), "Rejected by step"),
        "<h2>What was removed, flagged and rejected</h2>",
        examples_html(examples, (manifest.get("profile") or {}).get("documents") or cons.get("read") or 0),
        "<h2>Languages</h2>",
        bar_chart([(k, v) for k, v in langs], "Clean documents by language"),
        "<h2>Distributions</h2>",
        distributions_html(manifest.get("profile"), manifest.get("languages", {})),
        "<h2>Duplicate clusters</h2>",
        _table(
            ["canonical doc_id", "canonical title", "duplicates"],
            [[c["doc_id"], c.get("title") or "", c["duplicates"]] for c in clusters],
        )
        if clusters
        else "<p>No duplicates in this run.</p>",
        "<h2>Validation</h2>",
        (
            f'<p>Great Expectations Data Docs: <a href="{esc(_file_uri(docs_link))}">{esc(docs_link)}</a></p>'
            if docs_link
            else ""
        ),
        (f"<p>Gate: {esc(gate_message)}</p>" if gate_message else ""),
        _table(["part", "critical failure"], problems) if problems else "<p>No critical failure.</p>",
        _table(["part", "warning"], warnings) if warnings else "<p>No warning.</p>",
        "<h2>Trends across runs</h2>",
        trend_chart(trend, ("read", "clean", "rejected", "duplicates"), f"Last {len(trend)} runs"),
        _table(
            ["run", "read", "clean", "rejected", "duplicates"],
            [[r, p["read"], p["clean"], p["rejected"], p["duplicates"]] for r, p in trend],
        ),
        "<h3>Drift</h3>",
        drift_html(manifest, history),
    ]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>newsclean run {esc(manifest["run_id"])}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }}
table {{ border-collapse: collapse; margin: .5em 0 1.5em; }} th, td {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}
th:first-child, td:first-child, td:nth-child(2) {{ text-align: left; }} table.num td:nth-child(2) {{ text-align: right; }}
figure {{ margin: .5em 0 1.5em; }} figcaption {{ font-weight: 600; margin-bottom: .3em; }}
svg text {{ font-size: 12px; fill: #333; }} .bar {{ fill: #3b7dd8; }} .axis {{ stroke: #999; }}
.s0 {{ fill: #3b7dd8; background: #3b7dd8; }} .s1 {{ fill: #2a9d52; background: #2a9d52; }} .s2 {{ fill: #d8893b; background: #d8893b; }} .s3 {{ fill: #9b59b6; background: #9b59b6; }}
.key {{ color: #fff; padding: 0 6px; border-radius: 3px; }} .passed {{ color: #2a9d52; }} .failed {{ color: #c0392b; }}
details.cat {{ margin: .2em 0 .8em; }} summary {{ cursor: pointer; }} ol.ex {{ margin: .3em 0; padding-left: 2em; }}
ol.ex li {{ margin: .35em 0; overflow-wrap: anywhere; }} .ctx {{ color: #777; }} .src {{ color: #555; font-size: 12px; }}
del {{ background: #fbe3e4; color: #a00; }} ins {{ background: #e2f5e4; color: #060; text-decoration: none; }} mark {{ background: #fff3c4; }}
</style></head><body>
{"".join(parts)}
</body></html>
"""


def write_report(out: Path, manifest: dict, history: list[dict], examples: dict | None = None) -> Path:
    """Write ``reports/<run_id>.html`` and refresh ``report.html`` (the latest run)."""
    from flows.publish.writers import write_text_atomic

    page = render_report(manifest, history, examples)
    path = write_text_atomic(page, OutputLayout(out).report(manifest["run_id"]))
    write_text_atomic(page, OutputLayout(out).latest_report)
    return path
