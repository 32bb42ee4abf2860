"""Prefect artifacts of a run, shown on the flow run's page in the Prefect UI: counts per
step, what was removed, flagged and rejected with examples, languages, duplicate clusters,
and the validation outcome with links to Data Docs and the HTML report.

The Prefect UI renders markdown artifacts and table cells alike as markdown with sanitized
HTML; it decodes named entities and backslash escapes but shows numeric entities as typed.
So every value that comes from the data goes through ``_md`` exactly once."""

from __future__ import annotations

import html
import re
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.publish.audit import SECTION_TITLES, SECTIONS, visible
from flows.publish.report import STEP_COLUMNS, validation_status

_MARKDOWN = re.compile(r"([\\`*_\[\]()#+\-!|{}~])")


def _md(value) -> str:
    r"""``value`` as literal text in the Prefect UI's markdown: markdown punctuation
    backslash-escaped, ``& < >`` as named entities, one line.

    >>> _md("<b>R&D</b> *x*\nnext")
    '&lt;b&gt;R&amp;D&lt;/b&gt; \\*x\\* next'
    """
    text = _MARKDOWN.sub(r"\\\1", "" if value is None else str(value).replace("\n", " "))
    return html.escape(text, quote=False)


def _link(label: str, path: str) -> str:
    """A markdown link to a local file: a fixed label (the UI shows backslash escapes inside
    link text as typed) and the file's URI.

    >>> _link("run report", "/data/reports/x_1.html")
    '[run report](file:///data/reports/x_1.html)'
    """
    return f"[{label}]({Path(path).resolve().as_uri()})"


def example_md(e: dict) -> str:
    r"""One example as a markdown list item: context, the change (~~removed~~, **added**,
    *flagged*), context, where it comes from; data through ``_md`` once.

    >>> example_md({"left": "a ", "ops": [["-", "[x](y)"]], "right": "", "title": "T", "doc_id": "d", "source": None, "rule": "r", "note": None})
    '- …a ~~\\[x\\]\\(y\\)~~ — T · d · r'
    """
    marks = {"-": "~~", "+": "**", "!": "*", "=": ""}
    change = "".join(
        f"{marks[op]}{_md(visible(t)).strip()}{marks[op]}" if t.strip() else _md(visible(t)) for op, t in e["ops"]
    )
    where = " · ".join(
        _md(x) for x in (e.get("title") or "untitled", e["doc_id"], e.get("source"), e.get("rule"), e.get("note")) if x
    )
    left = f"…{_md(visible(e['left']))}" if e.get("left") else ""
    right = f"{_md(visible(e['right']))}…" if e.get("right") else ""
    return f"- {left}{change}{right} — {where}"


def examples_markdown(examples: dict, run_id: str) -> str:
    """The run's categories, their counts and examples, as one markdown page."""
    lines = [f"# What run `{run_id}` removed, flagged and rejected", ""]
    for section in SECTIONS:
        cats = examples.get(section) or {}
        lines += [f"## {SECTION_TITLES[section]}", ""] + ([] if cats else ["None.", ""])
        for c, v in cats.items():
            chars = f", {v['chars']:,} characters" if section == "edits" else ""
            lines += [f"### {_md(c)}: {v['docs']:,} documents, {v['n']:,} items{chars}", ""]
            lines += [example_md(e) for e in v["examples"]] + [""]
    return "\n".join(lines)


def publish_artifacts(manifest: dict, report_path: str | None, examples: dict | None = None) -> None:
    """Create the run's artifacts (keys are stable, so the UI shows their history)."""
    counts = manifest.get("counts", {})
    create_table_artifact(
        key="newsclean-step-counts",
        table=[{"step": step, **{k: c.get(k, "") for k in STEP_COLUMNS}} for step, c in counts.items()],
        description=f"Documents in, changed, flagged, removed and rejected by each step of run {manifest['run_id']}",
    )
    if examples is not None:
        create_markdown_artifact(
            key="newsclean-examples",
            markdown=examples_markdown(examples, manifest["run_id"]),
            description="What was removed, flagged and rejected, per category, with examples",
        )
    langs = sorted(manifest.get("languages", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    create_table_artifact(
        key="newsclean-languages",
        table=[{"language": k, "clean documents": v} for k, v in langs] or [{"language": "", "clean documents": 0}],
        description="Clean documents by detected language",
    )
    clusters = manifest.get("duplicate_clusters", [])
    create_table_artifact(
        key="newsclean-duplicate-clusters",
        table=[
            {"canonical": _md(c["doc_id"]), "title": _md(c.get("title")), "duplicates": c["duplicates"]}
            for c in clusters
        ]
        or [{"canonical": "", "title": "no duplicates", "duplicates": 0}],
        description="Largest duplicate clusters: canonical document and how many copies were rejected",
    )
    v = manifest.get("validation", {})
    lines = [
        f"# Validation {validation_status(v)} — run `{manifest['run_id']}`",
        "",
        *([_md(v["gate"]["message"]), ""] if (v.get("gate") or {}).get("message") else []),
        f"Read **{manifest['conservation']['read']}** = clean **{manifest['conservation']['clean']}**"
        f" + rejected **{manifest['conservation']['rejected']}**.",
        "",
    ]
    for part in v.get("parts", []):
        for c in part.get("critical", []):
            lines.append(f"- critical (part {part.get('part')}): {_md(c)}")
        for w in part.get("warnings", []):
            lines.append(f"- warning (part {part.get('part')}): {_md(w)}")
    for w in (v.get("run") or {}).get("warnings", []):
        lines.append(f"- warning (run): {_md(w)}")
    if v.get("data_docs"):
        lines += ["", f"Data Docs: {_link('Great Expectations Data Docs', v['data_docs'])} ({_md(v['data_docs'])})"]
    if report_path:
        lines += ["", f"Run report: {_link('HTML report', report_path)} ({_md(report_path)})"]
    create_markdown_artifact(key="newsclean-validation", markdown="\n".join(lines), description="Validation outcome")
