"""One document's journey through a run: ``newsclean explain OUTPUT DOC_ID``, and
``explain(output, doc_id)`` for notebooks.

Read from any committed run of the output folder (the manifests, via ``flows.publish.state``):
the input file, each step's edits as a word diff, the flags with their rules, the language
of each paragraph, the duplicate relation and the document it points to, the final status.
"""

from __future__ import annotations

import html
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flows.publish.audit import edit_example, shorten, visible

_CSP = "default-src 'none'; style-src 'unsafe-inline'"


class ExplainError(ValueError):
    """The folder is not a newsclean output, has no committed run, or holds no such document."""


@dataclass
class Journey:
    """One document as a run recorded it (``explain``); ``to_dict()`` for plain data."""

    doc_id: str
    run_id: str
    run_date: str
    input_ref: str | None
    status: str
    reason: str | None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    language_score: float | None = None
    paragraphs: list[dict] = field(default_factory=list)  # {index, language, score, text}
    steps: list[dict] = field(default_factory=list)  # {step, edits: [{kind, rule, before, after, diff}]}
    flags: list[dict] = field(default_factory=list)  # {kind, rule, confidence, detail}
    relation: str | None = None
    duplicate_of: str | None = None
    duplicate_title: str | None = None
    overlap_share: float | None = None
    repeated_sentence_share: float | None = None
    other_records: list[dict] = field(
        default_factory=list
    )  # same doc_id elsewhere: {run_id, status, reason, input_ref}
    raw_text: str | None = None
    text: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def final(self) -> str:
        """``clean``, or ``rejected (<status>): <reason>``.

        >>> Journey("d", "r", "2026-01-01", None, "duplicate", "exact_duplicate").final
        'rejected (duplicate): exact_duplicate'
        """
        return "clean" if self.status == "clean" else f"rejected ({self.status}): {self.reason}"


def _runs(out: Path) -> dict[str, dict]:
    """The committed runs of ``out``; ExplainError when it is not a newsclean output."""
    from flows.publish.layout import OutputLayout
    from flows.publish.state import DamagedManifest, committed_runs
    from flows.read import OUTPUT_MARKER

    if not out.is_dir() or not ((out / OUTPUT_MARKER).exists() or OutputLayout(out).runs.is_dir()):
        raise ExplainError(f"{out} is not a newsclean output folder (no {OUTPUT_MARKER} and no runs/)")
    try:
        runs = committed_runs(out)
    except DamagedManifest as exc:
        raise ExplainError(str(exc)) from None
    if not runs:
        raise ExplainError(f"{out} holds no committed run (no runs/<run_id>.json)")
    return runs


def find_records(out: Path, doc_id: str, runs: dict[str, dict]) -> list[dict]:
    """Every row of ``doc_id`` in the committed runs' clean/ and rejected/, oldest run first."""
    import pyarrow.dataset as ds

    from flows.publish.audit import run_files

    rows = []
    for run_id, manifest in sorted(runs.items()):
        for dataset in ("clean", "rejected"):
            files = run_files(out, run_id, manifest.get("run_date", ""), (dataset,))
            if not files:
                continue
            table = ds.dataset(files, format="parquet").to_table(filter=ds.field("doc_id") == doc_id)
            rows += [{**r, "run_id": run_id, "run_date": manifest.get("run_date", "")} for r in table.to_pylist()]
    return rows


def _steps(edits: list[dict], raw_text: str | None = None) -> list[dict]:
    """Edits grouped by step, in the order the steps made them, each with its word diff and
    the words around it in ``raw_text`` (``flows.publish.audit.edit_example``).

    >>> [s["step"] for s in _steps([{"step": "repair", "kind": "k", "before": "a", "after": "b"}, {"step": "embeds", "kind": "ad", "before": "Ad", "after": ""}])]
    ['repair', 'embeds']
    """
    steps: list[dict] = []
    for e in edits or []:
        if not steps or steps[-1]["step"] != e.get("step"):
            steps.append({"step": e.get("step"), "edits": []})
        shown = edit_example(e.get("before") or "", e.get("after") or "", raw_text)
        steps[-1]["edits"].append(
            {
                "kind": e.get("kind"),
                "rule": e.get("rule"),
                "before": e.get("before"),
                "after": e.get("after"),
                "left": shown["left"],
                "diff": shown["ops"],
                "right": shown["right"],
            }
        )
    return steps


def _paragraphs(row: dict) -> list[dict]:
    """Each paragraph of ``text`` with the language recorded for it."""
    texts = (row.get("text") or "").split("\n\n")
    return [
        {
            "index": p["index"],
            "language": p["language"],
            "score": p["score"],
            "text": texts[p["index"]] if 0 <= p["index"] < len(texts) else "",
        }
        for p in row.get("languages") or []
    ]


def explain(output: str | Path, doc_id: str, run_id: str | None = None) -> Journey:
    """The journey of ``doc_id`` in the committed runs of ``output``: its clean row if it has
    one, else its latest rejected row (``run_id``: that run's).  Raises ``ExplainError``."""
    out = Path(output)
    runs = _runs(out)
    if run_id is not None and run_id not in runs:
        raise ExplainError(f"{out} has no committed run {run_id}")
    rows = find_records(out, doc_id, {run_id: runs[run_id]} if run_id else runs)
    if not rows:
        raise ExplainError(
            f"no document {doc_id!r} in the committed runs of {out}" + (f" (run {run_id})" if run_id else "")
        )
    row = next((r for r in rows if r["status"] == "clean"), rows[-1])
    target = None
    if row.get("duplicate_of"):
        linked = find_records(out, row["duplicate_of"], runs)
        target = next((r for r in linked if r["status"] == "clean"), linked[-1] if linked else None)
    return Journey(
        doc_id=row["doc_id"],
        run_id=row["run_id"],
        run_date=row["run_date"],
        input_ref=row.get("input_ref"),
        status=row.get("status"),
        reason=row.get("reason"),
        title=row.get("title"),
        source=row.get("source"),
        url=row.get("url"),
        published=row.get("published"),
        language=row.get("language"),
        language_score=row.get("language_score"),
        paragraphs=_paragraphs(row),
        steps=_steps(row.get("edits"), row.get("raw_text")),
        flags=[{k: f.get(k) for k in ("kind", "rule", "confidence", "detail")} for f in row.get("flags") or []],
        relation=row.get("relation"),
        duplicate_of=row.get("duplicate_of"),
        duplicate_title=(target or {}).get("title"),
        overlap_share=row.get("overlap_share"),
        repeated_sentence_share=row.get("repeated_sentence_share"),
        other_records=[
            {k: r.get(k) for k in ("run_id", "status", "reason", "input_ref")} for r in rows if r is not row
        ],
        raw_text=row.get("raw_text"),
        text=row.get("text"),
    )


_RED, _GREEN, _YELLOW, _BOLD, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[1m", "\x1b[2m", "\x1b[0m"


def diff_line(diff: list[list[str]], color: bool) -> str:
    """A word diff for the terminal: colours, or git's plain ``[-removed-]{+added+}``.

    >>> diff_line([["=", "the "], ["-", "the "], ["+", "a "], ["=", "cat"]], color=False)
    'the [-the -]{+a +}cat'
    """
    parts = []
    for op, text in diff:
        shown = visible(shorten(text, 80 if op == "=" else 600))
        if op == "=":
            parts.append(shown)
        elif color:
            parts.append(f"{_RED if op == '-' else _GREEN}{shown}{_RESET}")
        else:
            parts.append(f"[-{shown}-]" if op == "-" else f"{{+{shown}+}}")
    return "".join(parts)


def _paint(text: str, code: str, color: bool) -> str:
    r"""``text`` in an ANSI colour when ``color``.

    >>> _paint("x", _RED, False), _paint("x", _RED, True)
    ('x', '\x1b[31mx\x1b[0m')
    """
    return f"{code}{text}{_RESET}" if color else text


EDITS_PER_KIND = 5  # shown per step and kind; the rest is counted (a CRLF file has an edit per line)


def _edit_lines(j: Journey, color: bool) -> list[str]:
    """Each step's edits: kind (rule), then the words before, the word diff, the words after;
    past ``EDITS_PER_KIND`` of one kind, a count."""
    v, lines = visible, []
    for s in j.steps:
        lines.append(_paint(f"{s['step']}: {len(s['edits'])} edit(s)", _BOLD, color))
        kinds = Counter(e["kind"] for e in s["edits"])
        shown: Counter = Counter()
        for e in s["edits"]:
            shown[e["kind"]] += 1
            if shown[e["kind"]] > EDITS_PER_KIND:
                if shown[e["kind"]] == kinds[e["kind"]]:
                    lines.append(
                        f"  {v(e['kind'])}: … {kinds[e['kind']] - EDITS_PER_KIND} more (newsclean explain --html, or Python, has them all)"
                    )
                continue
            rule = f" ({v(e['rule'])})" if e["rule"] else ""
            left, right = (f"…{v(e['left'])}" if e["left"] else ""), (f"{v(e['right'])}…" if e["right"] else "")
            lines.append(f"  {v(e['kind'])}{rule}: {left}{diff_line(e['diff'], color)}{right}")
    return lines or ["no edits"]


def _flag_lines(j: Journey, color: bool) -> list[str]:
    """Each flag: kind/rule, confidence, the flagged text.

    >>> _flag_lines(Journey("d", "r", "", None, "clean", None, flags=[{"kind": "broken_sentence", "rule": "dangling_end", "confidence": 0.8, "detail": "Zelensky with."}]), False)
    ['flags: 1', '  broken_sentence/dangling_end 0.80: Zelensky with.']
    """
    lines = [_paint(f"flags: {len(j.flags)}", _BOLD, color)]
    for f in j.flags:
        conf = f" {f['confidence']:.2f}" if f.get("confidence") is not None else ""
        lines.append(
            f"  {visible(f['kind'])}/{visible(f['rule'])}{conf}: {_paint(visible(f['detail']), _YELLOW, color)}"
        )
    return lines


def _language_lines(j: Journey, color: bool) -> list[str]:
    """The document's language, then each paragraph's with its opening and closing words."""
    score = f" {j.language_score:.2f}" if j.language_score is not None else ""
    return [_paint(f"language: {visible(j.language)}{score}", _BOLD, color)] + [
        f"  ¶{p['index']} {visible(p['language'])} {p['score']:.2f}  {visible(shorten(p['text'], 70))}"
        for p in j.paragraphs
    ]


def _status_lines(j: Journey, color: bool) -> list[str]:
    """The duplicate relation and the document it points to, other records of the doc_id, the status."""
    v = visible
    share = f", {j.overlap_share:.0%} of it found there" if j.overlap_share is not None else ""
    linked = (
        f"{v(j.relation)} {v(j.duplicate_of)} ({v(j.duplicate_title) or 'untitled'}{share})" if j.relation else "none"
    )
    lines = [_paint("duplicates: ", _BOLD, color) + linked]
    lines += [
        f"  also in run {v(r['run_id'])}: {v(r['status'])} {v(r['reason'])} from {v(r['input_ref'])}"
        for r in j.other_records
    ]
    return lines + [
        _paint("status: ", _BOLD, color) + _paint(v(j.final), _GREEN if j.status == "clean" else _RED, color)
    ]


def render_text(j: Journey, color: bool = False) -> str:
    """The journey as terminal text (every value from the data made ``visible``)."""
    v = visible
    head = [
        _paint(f"document {v(j.doc_id)}", _BOLD, color) + f"  run {v(j.run_id)} ({v(j.run_date)})",
        f"title:  {v(j.title)}",
        f"source: {v(j.source)}   url: {v(j.url)}   published: {v(j.published)}",
        f"input:  {v(j.input_ref)}",
    ]
    parts = [head, _edit_lines(j, color), _flag_lines(j, color), _language_lines(j, color), _status_lines(j, color)]
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


def use_color(no_color: bool, stream) -> bool:
    """Colours only on a terminal, unless ``--no-color`` or ``NO_COLOR`` says otherwise."""
    return not no_color and not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def _e(value) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def _diff_html(diff: list[list[str]]) -> str:
    """A word diff as ``<del>``/``<ins>``, escaped.

    >>> _diff_html([["-", "<b>"], ["+", "x"]])
    '<del>&lt;b&gt;</del><ins>x</ins>'
    """
    tag = {"-": "del", "+": "ins"}
    return "".join(
        _e(visible(shorten(t, 80))) if op == "=" else f"<{tag[op]}>{_e(visible(t))}</{tag[op]}>" for op, t in diff
    )


def render_html(j: Journey) -> str:
    """The journey as a self-contained page (no script, escaped)."""
    steps = (
        "".join(
            f"<h3>{_e(s['step'])} — {len(s['edits'])} edit(s)</h3><ol>"
            + "".join(
                f'<li><span class="k">{_e(e["kind"])}{(" · " + _e(e["rule"])) if e["rule"] else ""}</span> '
                f'<span class="ctx">{_e(visible(e["left"]))}</span>{_diff_html(e["diff"])}'
                f'<span class="ctx">{_e(visible(e["right"]))}</span></li>'
                for e in s["edits"]
            )
            + "</ol>"
            for s in j.steps
        )
        or "<p>No edits.</p>"
    )
    flags = "".join(
        f'<li><span class="k">{_e(f["kind"])} · {_e(f["rule"])} {_e(f["confidence"])}</span> '
        f"<mark>{_e(f['detail'])}</mark></li>"
        for f in j.flags
    )
    paras = "".join(
        f"<tr><td>{p['index']}</td><td>{_e(p['language'])}</td><td>{p['score']:.2f}</td>"
        f"<td>{_e(shorten(p['text'], 160))}</td></tr>"
        for p in j.paragraphs
    )
    relation = (
        f"<p>{_e(j.relation)} <code>{_e(j.duplicate_of)}</code> ({_e(j.duplicate_title) or 'untitled'})"
        + (f", {j.overlap_share:.0%} of it found there" if j.overlap_share is not None else "")
        + "</p>"
        if j.relation
        else "<p>None.</p>"
    )
    others = "".join(
        f"<li>run {_e(r['run_id'])}: {_e(r['status'])} {_e(r['reason'])} from {_e(r['input_ref'])}</li>"
        for r in j.other_records
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<title>newsclean explain {_e(j.doc_id)}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }}
del {{ background: #fbe3e4; color: #a00; }} ins {{ background: #e2f5e4; color: #060; text-decoration: none; }}
mark {{ background: #fff3c4; }} .k {{ color: #555; font-weight: 600; }} li {{ margin: .3em 0; overflow-wrap: anywhere; }} .ctx {{ color: #777; }}
table {{ border-collapse: collapse; }} td {{ border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }}
.status {{ font-size: 1.2em; }} .clean {{ color: #2a9d52; }} .rejected {{ color: #c0392b; }}
</style></head><body>
<h1>Document <code>{_e(j.doc_id)}</code></h1>
<p><strong>{_e(j.title)}</strong><br>source {_e(j.source)} · url {_e(j.url)} · published {_e(j.published)}<br>
input <code>{_e(j.input_ref)}</code> · run {_e(j.run_id)} ({_e(j.run_date)})</p>
<p class="status">Status: <strong class="{"clean" if j.status == "clean" else "rejected"}">{_e(j.final)}</strong></p>
<h2>Edits</h2>{steps}
<h2>Flags</h2>{f"<ul>{flags}</ul>" if flags else "<p>None.</p>"}
<h2>Language: {_e(j.language)} {_e(j.language_score)}</h2>
{f"<table><tr><th>¶</th><th>language</th><th>score</th><th>paragraph</th></tr>{paras}</table>" if paras else ""}
<h2>Duplicates</h2>{relation}
{f"<h2>Other records with this doc_id</h2><ul>{others}</ul>" if others else ""}
</body></html>
"""
