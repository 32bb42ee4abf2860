"""Language detection: deterministic, ``und`` rather than a guess on short text."""

from __future__ import annotations

import subprocess
import sys

from cleaners.language import detect_language

TEXTS = {
    "en": "Russian President Vladimir Putin described Monday's talks with the French president as useful.",
    "de": "Der russische Präsident Wladimir Putin bezeichnete die Gespräche mit Macron als nützlich.",
    "fr": "Le président russe a qualifié lundi d'utiles ses entretiens avec son homologue français.",
    "ru": "Президент России Владимир Путин назвал переговоры с президентом Франции полезными.",
}


def test_detects_languages():
    for lang, text in TEXTS.items():
        code, score = detect_language(text)
        assert code == lang and 0.5 < score <= 1.0


def test_short_text_is_undetermined():
    assert detect_language("Putin!") == ("und", 0.0)
    assert detect_language("2022-02-08 12:00 @user #tag") == ("und", 0.0)


def test_same_result_in_another_process_and_order():
    code = "from cleaners.language import detect_language as d; import json,sys; t=json.load(sys.stdin); print(json.dumps([d(x) for x in t]))"
    texts = list(TEXTS.values()) + ["Mixed Macron Putin Kremlin talks да нет"]
    outs = set()
    for order in (texts, texts[::-1]):
        import json

        r = subprocess.run([sys.executable, "-c", code], input=json.dumps(order), capture_output=True, text=True, check=True)
        res = json.loads(r.stdout)
        outs.add(json.dumps(sorted(map(tuple, res))))
    assert len(outs) == 1
    assert sorted(map(tuple, json.loads(next(iter(outs))))) == sorted(detect_language(t) for t in texts)
