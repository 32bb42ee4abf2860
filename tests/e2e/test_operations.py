"""Operations: the HTML report and the Prefect UI in a real (headless) Chromium, schedules
on a real Prefect server, and the Dask task runner."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyarrow.dataset as ds
import pytest

from flows.config import Config
from tests.helpers import REPO, SEEDS

BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Debian's chromium is not installed (.ci/run installs it)"
)
HOSTILE = (
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"><script>document.title=\"pwned\"</script>"
)


def dump_dom(url: str, tmp_path: Path, budget_ms: int = 0) -> str:
    """The DOM of ``url`` after Chromium loaded it (and ran its scripts)."""
    assert CHROMIUM, "chromium is required: apt-get install chromium"
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--dump-dom",
    ]
    if budget_ms:
        args.append(f"--virtual-time-budget={budget_ms}")
    r = subprocess.run(args + [url], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


@needs_chromium
def test_report_renders_and_escapes_article_text(prefect_server, tmp_path):
    from flows.pipeline import clean_news

    src = tmp_path / "in"
    src.mkdir()
    body = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").split("\n", 3)[3]
    docs = [
        {"id": "h1", "title": HOSTILE, "text": body + "\n\n" + HOSTILE, "published": "2022-02-09"},
        {"id": "h2", "title": "copy", "text": body + "\n\n" + HOSTILE, "published": "2022-02-10"},
    ]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    manifest = clean_news([str(src)], str(out), Config(fail_on_validation_error=False))
    report = Path(manifest["report"])
    assert report.exists() and (out / "report.html").read_text() == report.read_text()
    html_text = report.read_text()
    assert "<script>" not in html_text and "&lt;script&gt;" in html_text  # the canonical's title, escaped
    dom = dump_dom(report.as_uri(), tmp_path)
    assert not re.search(r"<body[^>]*data-pwned", dom) and "<title>newsclean run" in dom  # nothing ran
    assert "<script" not in dom and "&lt;script&gt;" in dom  # shown as text
    assert dom.count("<svg") >= 3  # steps, languages, trend
    for heading in ("Counts per step", "Languages", "Duplicate clusters", "Validation", "Trends across runs"):
        assert heading in dom
    assert "h1" in dom and "Documents into each step" in dom


EVIL = '<script>document.title="pwned"</script></td></tr></table> [click](javascript:alert(1)) **bold**'


@needs_chromium
def test_report_examples_for_every_category_hostile_text_escaped(prefect_server, tmp_path):
    """Real articles (the seeds) plus documents carrying hostile text in what the steps
    remove or reject: every category with documents has examples, and nothing in them runs,
    closes the page's markup or becomes a markdown link."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.pipeline import clean_news

    src = tmp_path / "in"
    shutil.copytree(SEEDS, src / "seeds")
    body = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8").split("\n", 3)[3]
    tweet = f"Breaking {EVIL} pic.twitter.com/AbCdEf1234 — Evil Account (@evil_acct) February 7, 2022"
    docs = [
        {
            "id": "evil-1",
            "title": HOSTILE,
            "source": "evil.example",
            "text": body + "\n\n" + tweet + "\n\nAdvertisement",
        },
        {"id": "evil-2", "title": EVIL, "source": "evil.example", "text": body + "\n\n" + tweet},
    ]
    (src / "feed.jsonl").write_text(
        "\n".join(json.dumps(d) for d in docs) + '\n{"id": "broken", "text": ' + json.dumps(EVIL) + "\n",
        encoding="utf-8",
    )
    manifest = clean_news([str(src)], str(tmp_path / "out"), Config(fail_on_validation_error=False))
    report = Path(manifest["report"])
    html_text = report.read_text(encoding="utf-8")
    assert "<script" not in html_text and "</td></tr></table> [click]" not in html_text
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; [click](javascript:alert(1))" in html_text
    assert not re.search(r'(?:src|href)="(?!file:)', html_text) and "<link" not in html_text  # one self-contained file
    assert sorted(p.name for p in report.parent.iterdir()) == [report.name]
    dom = dump_dom(report.as_uri(), tmp_path)
    assert not re.search(r"<body[^>]*data-pwned", dom) and "<title>newsclean run" in dom and "<script" not in dom
    shown = dict(re.findall(r'<summary>(\w+: <strong>[^<]*</strong>).*?</summary><ol class="ex">(.*?)</ol>', dom, re.S))
    categories = manifest["profile"]["categories"]
    expected = {
        f"{section}: <strong>{html.escape(c)}</strong>"
        for section, cats in categories.items()
        for c, v in cats.items()
        if v["docs"]
    }
    assert {
        "edits: <strong>embeds/tweet</strong>",
        "edits: <strong>embeds/ad</strong>",
        "flags: <strong>broken_sentence/dangling_end</strong>",
        "rejected: <strong>malformed_json</strong>",
    } <= expected, expected
    assert any(c.startswith("relations: ") for c in expected), expected  # the copies of seed 001
    assert expected == set(shown) and all(shown[c].count("<li>") >= 1 for c in expected)  # examples for every category
    tweets = shown["edits: <strong>embeds/tweet</strong>"]  # the markup went first (repair), the post after it
    assert (
        'Breaking &lt;script&gt;document.title="pwned"&lt;/script&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; </span>'
        in tweets
    )
    assert (
        "<del>[click](javascript:alert(1)) **bold** pic.twitter.com/AbCdEf1234" in tweets
        and "tweet_signature" in tweets
    )
    assert (
        '<del>&lt;script&gt;document.title="pwned"&lt;/script&gt;</del>'
        in shown["edits: <strong>repair/html_markup</strong>"]
    )
    assert (
        "evil-1" in tweets
        and "evil.example" in tweets
        and "<img" not in dom.split("<h2>What was removed")[1].split("<h2>Languages")[0]
    )
    for heading in (
        "What was removed, flagged and rejected",
        "Distributions",
        "Drift",
        "Language scores of clean documents",
        "Document length in characters, before and after cleaning",
    ):
        assert heading in dom
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["newsclean-examples"]))
        )
    text = next(a.data for a in found if a.flow_run_id and "evil\\-1" in a.data)
    assert "&lt;script&gt;" in text and "<script" not in text and "\\[click\\]\\(javascript:alert\\(1\\)\\)" in text
    assert "### embeds/tweet: " in text and "### malformed\\_json: 1 documents" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@needs_chromium
def test_serve_on_a_real_server_runs_on_schedule_and_the_ui_shows_it(tmp_path):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = dict(
        os.environ,
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_API_URL=api,
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2",
        PREFECT_RUNNER_POLL_FREQUENCY="2",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=open(logs / "server.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    serving = None
    try:
        _wait_for(lambda: _ok(f"{api}/health"), 300, "the Prefect server")
        out = tmp_path / "out"
        serving = subprocess.Popen(
            [str(BIN / "newsclean"), "serve", str(SEEDS), "--output", str(out), "--interval", "5"],
            env=env,
            cwd=REPO,
            stdout=open(logs / "serve.log", "w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        run = _wait_for(lambda: _completed_run(api), 240, "a scheduled flow run to complete")
        assert run["deployment_id"] and run["auto_scheduled"] is True
        assert ds.dataset(str(out / "clean"), format="parquet").count_rows() == 5
        artifacts = httpx.post(f"{api}/artifacts/filter", json={"flow_runs": {"id": {"any_": [run["id"]]}}}).json()
        assert {
            "newsclean-step-counts",
            "newsclean-languages",
            "newsclean-duplicate-clusters",
            "newsclean-validation",
        } <= {a["key"] for a in artifacts}
        _stop(serving)  # one scheduled run is enough; free the CPU for the browser
        # the Prefect UI (a JavaScript app) shows the run and its artifacts
        _wait_for(
            lambda: run["name"] in dump_dom(f"http://127.0.0.1:{port}/runs/flow-run/{run['id']}", tmp_path, 30000),
            300,
            "the flow run page to show the run",
        )
        _wait_for(
            lambda: (
                run["name"] in dump_dom(f"http://127.0.0.1:{port}/artifacts/key/newsclean-step-counts", tmp_path, 30000)
            ),
            300,
            "the artifact page to show the artifact and its flow run",
        )
    except Exception:
        for f in logs.iterdir():
            print(f"--- {f.name}\n" + f.read_text()[-4000:])
        raise
    finally:
        for proc in (serving, server):
            if proc:
                _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process and its children (the server runs uvicorn in a child process)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _completed_run(api: str):
    r = httpx.post(
        f"{api}/flow_runs/filter", json={"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}}, timeout=5
    )
    runs = r.json() if r.status_code == 200 else []
    return runs[0] if runs else None


def test_dask_runner_gives_the_same_output_as_the_default(prefect_server, tmp_path):
    from flows.cli import flow_for

    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    lines = [
        json.dumps({"id": f"j{i}", "text": p.read_text(encoding="utf-8")})
        for i, p in enumerate(sorted(SEEDS.glob("*.txt")))
    ]
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n{bad json\n", encoding="utf-8")
    outputs = {}
    for runner in ("default", "dask"):
        out = tmp_path / runner
        config = Config(batch_size=2, runner=runner, dask_workers=2)
        manifest = flow_for(config)([str(src)], str(out), config)
        assert manifest["conservation"]["read"] == 11 and manifest["conservation"]["ok"]
        outputs[runner] = {
            p.name + ":" + p.parent.parent.parent.name: p.read_bytes() for p in out.rglob("part-*.parquet")
        }
    assert outputs["default"] and outputs["default"] == outputs["dask"]


@needs_chromium
def test_data_docs_link_opens_and_renders_offline(seeds_run, tmp_path):
    out, manifest = seeds_run
    index = Path(manifest["validation"]["data_docs"])
    assert index.exists()
    report = Path(manifest["report"]).read_text(encoding="utf-8")
    assert f'href="{index.as_uri()}"' in report  # the report links the same page
    page = index.read_text(encoding="utf-8")
    assert not re.search(r'<(?:script|link)\b[^>]*(?:src|href)="https?://', page)  # no CDN: renders without a network
    dom = dump_dom(index.as_uri(), tmp_path)
    rows = re.findall(r'<tr[^>]*data-index="\d+"', dom)  # rows that bootstrap-table rendered from the page's data
    assert len(rows) >= 2 and "clean_documents" in dom and "Showing 1 to" in dom


def test_artifacts_escape_article_text_exactly_once(prefect_server, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.pipeline import clean_news

    src = tmp_path / "in"
    src.mkdir()
    body = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").split("\n", 3)[3]
    hostile_id, title = "<b>id</b>&*1*", "R&D <i>x</i> [t](u)"
    docs = [
        {"id": hostile_id, "title": title, "text": body, "published": "2022-02-09"},
        {"id": "copy", "title": "copy", "text": body, "published": "2022-02-10"},
    ]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    manifest = clean_news([str(src)], str(tmp_path / "out"), Config())
    assert manifest["duplicate_clusters"][0]["doc_id"] == hostile_id
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["newsclean-duplicate-clusters"]))
        )
    row = next(
        r
        for a in found
        for r in json.loads(a.data)
        if a.flow_run_id and r["duplicates"] == 1 and "id" in r["canonical"]
    )
    # named entities and backslash escapes: the UI shows the text as written, once
    assert row["canonical"] == r"&lt;b&gt;id&lt;/b&gt;&amp;\*1\*"
    assert row["title"] == r"R&amp;D &lt;i&gt;x&lt;/i&gt; \[t\]\(u\)"
