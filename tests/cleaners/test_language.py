"""Language detection: paragraph-aware, ``und`` rather than a guess on short text, backends."""

from __future__ import annotations

import pytest

import cleaners.language as language
from cleaners.language import BACKENDS, UNDETERMINED, detect_document, detect_language

TEXTS = {
    "en": "Russian President Vladimir Putin described Monday's talks with the French president as useful.",
    "de": "Der russische Präsident Wladimir Putin bezeichnete die Gespräche mit Macron als nützlich.",
    "fr": "Le président russe a qualifié lundi d'utiles ses entretiens avec son homologue français.",
    "ru": "Президент России Владимир Путин назвал переговоры с президентом Франции полезными.",
    "es": "El presidente ruso calificó de útiles las conversaciones que mantuvo el lunes con Macron.",
    "zh": "俄罗斯总统普京周一表示，他与法国总统的会谈是有益的。",
    "ko": "러시아 대통령은 프랑스 대통령과의 회담이 유익했다고 말했다.",
}

ENGLISH = [
    "Russian President Vladimir Putin on Monday described his talks with French President "
    "Emmanuel Macron as useful and businesslike, after more than five hours in the Kremlin.",
    "Macron, who flew to Moscow in an attempt to ease tensions over Ukraine, said he had "
    "proposed concrete security guarantees and that the coming days would be decisive.",
    "The two leaders sat at opposite ends of a long white table, an image that was widely "
    "shared online within minutes of the meeting being broadcast on state television.",
]
RUSSIAN_TWEET = "Переговоры были полезными и деловыми, заявил Песков журналистам в понедельник."


@pytest.mark.parametrize("backend", BACKENDS)
def test_detects_languages_with_every_backend(backend):
    for lang, text in TEXTS.items():
        if backend == "langdetect" and lang == "ko":
            continue  # langdetect knows Korean too, but the point here is the other backends
        code, score = detect_language(text, backend)
        assert code == lang, (backend, lang, code, score)
        assert 0.5 <= score <= 1.0


def test_default_backend_is_auto_and_detect_language_matches_detect_document():
    assert language.DEFAULT_BACKEND == "auto"
    for text in TEXTS.values():
        doc = detect_document(text)
        assert detect_language(text) == (doc["language"], doc["score"])


def test_unknown_backend_is_an_error_naming_the_choices():
    with pytest.raises(ValueError, match="auto, fasttext, langdetect"):
        detect_document("Some text", backend="cld3")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_without_enough_letters_is_und_with_score_zero(backend):
    for text in (
        "",
        "   ",
        "OK!",
        "2022-02-08 12:00",
        "@user #tag https://t.co/abc123 42",
        "— 12 % —",
        "hahaha haha!",
        "x" * 5000,
        "Zzzzz...",
    ):
        assert detect_language(text, backend) == (UNDETERMINED, 0.0), text


def test_short_text_with_a_low_score_is_und_with_a_low_score():
    # a single name or a two-word fragment: too little to tell, and the backends disagree
    for text in ("Putin!", "water parks", "Dyma!"):
        code, score = detect_language(text)
        assert code == UNDETERMINED, (text, code, score)
        assert 0.0 <= score < language.SHORT_MIN_SCORE
    # short but unmistakable: answered
    assert detect_language("political party")[0] == "en"
    assert detect_language("너무 두려워요.")[0] == "ko"


def test_mixed_document_english_article_quoting_a_russian_tweet():
    text = "\n\n".join([ENGLISH[0], ENGLISH[1], RUSSIAN_TWEET, ENGLISH[2]])
    for backend in BACKENDS:
        doc = detect_document(text, backend)
        assert doc["language"] == "en", backend
        langs = [(p["index"], p["language"]) for p in doc["paragraphs"]]
        assert langs == [(0, "en"), (1, "en"), (2, "ru"), (3, "en")], backend


def test_document_language_is_the_language_of_most_of_the_text():
    short_en = "The Kremlin said the talks were useful."
    long_ru = " ".join([RUSSIAN_TWEET] * 4)
    doc = detect_document(short_en + "\n\n" + long_ru)
    assert doc["language"] == "ru"
    assert [p["language"] for p in doc["paragraphs"]] == ["en", "ru"]


def test_result_shape_one_entry_per_paragraph_blank_ones_und():
    text = ENGLISH[0] + "\n\n\n\n" + ENGLISH[1] + "\n\nOK"
    doc = detect_document(text)
    assert set(doc) == {"language", "score", "paragraphs"}
    assert [p["index"] for p in doc["paragraphs"]] == list(range(len(text.split("\n\n"))))
    for p in doc["paragraphs"]:
        assert set(p) == {"index", "language", "score"}
        assert isinstance(p["index"], int) and isinstance(p["language"], str) and isinstance(p["score"], float)
        assert 0.0 <= p["score"] <= 1.0
    assert [p["language"] for p in doc["paragraphs"]] == ["en", UNDETERMINED, "en", UNDETERMINED]
    assert doc["paragraphs"][1]["score"] == 0.0 and doc["language"] == "en"


def test_many_short_paragraphs_are_judged_together_for_the_document():
    text = "\n\n".join(["Putin arrived.", "Talks began.", "Macron smiled.", "Nothing changed.", "Kyiv waited."])
    doc = detect_document(text)
    assert doc["language"] == "en"


def test_outputs_are_iso_639_1_or_und(monkeypatch):
    # fastText knows languages without an ISO 639-1 code (Cebuano...): those are "und"
    monkeypatch.setattr(language, "fasttext_distribution", lambda s: {"ceb": 0.97, "tl": 0.02})
    doc = detect_document("Ang balita karon adlaw mahitungod sa politika sa nasud ug kalibutan.", "fasttext")
    assert doc["language"] == UNDETERMINED and doc["paragraphs"][0]["language"] == UNDETERMINED


def _spy(monkeypatch, name):
    calls = []
    original = getattr(language, name)

    def spy(sample):
        calls.append(sample)
        return original(sample)

    monkeypatch.setattr(language, name, spy)
    return calls


def test_backend_selection_langdetect_never_asks_fasttext(monkeypatch):
    def boom(sample):
        raise AssertionError("fastText was asked")

    monkeypatch.setattr(language, "fasttext_distribution", boom)
    ld = _spy(monkeypatch, "langdetect_distribution")
    assert detect_language(TEXTS["fr"], "langdetect")[0] == "fr"
    assert len(ld) == 1


def test_backend_selection_fasttext_never_asks_langdetect(monkeypatch):
    def boom(sample):
        raise AssertionError("langdetect was asked")

    monkeypatch.setattr(language, "langdetect_distribution", boom)
    ft = _spy(monkeypatch, "fasttext_distribution")
    # an ambiguous sentence (Bokmål/Danish) that "auto" would send to langdetect
    detect_language("Den har hvit, temmelig lang pels og kalles akbash.", "fasttext")
    assert detect_language(TEXTS["de"], "fasttext")[0] == "de"
    assert len(ft) == 2


def test_auto_asks_langdetect_only_where_fasttext_is_unsure(monkeypatch):
    ld = _spy(monkeypatch, "langdetect_distribution")
    detect_language(TEXTS["en"])  # fastText is sure
    assert ld == []
    detect_language("Den har hvit, temmelig lang pels og kalles akbash.")  # it is not
    assert len(ld) == 1


def test_auto_asks_langdetect_at_most_once_a_document(monkeypatch):
    # fastText unsure of every paragraph and of the document: one langdetect call, not one each
    monkeypatch.setattr(language, "fasttext_distribution", lambda s: {"hr": 0.2, "sh": 0.2, "sr": 0.2, "bs": 0.2})
    ld = _spy(monkeypatch, "langdetect_distribution")
    text = "\n\n".join(["Vlada je u ponedjeljak objavila nove mjere za pomoć kućanstvima."] * 12)
    doc = detect_document(text)
    assert len(ld) == 1
    assert doc["language"] == "hr" and {p["language"] for p in doc["paragraphs"]} == {"hr"}


def test_cost_is_bounded_fasttext_reads_a_capped_sample_of_each_paragraph(monkeypatch):
    ft = _spy(monkeypatch, "fasttext_distribution")
    paragraph = " ".join(ENGLISH)  # ~500 characters
    text = "\n\n".join([paragraph] * 40)  # ~20 KB
    doc = detect_document(text)
    assert len(doc["paragraphs"]) == 40 and doc["language"] == "en"
    assert len(ft) == 40
    assert all(len(s.encode()) <= language.MIN_PARAGRAPH_BYTES for s in ft)
    one = _spy(monkeypatch, "fasttext_distribution")
    detect_document(paragraph * 20)  # one 10 KB paragraph
    assert len(one) == 1 and len(one[0].encode()) <= language.MAX_PARAGRAPH_BYTES


def test_fasttext_input_is_one_line_and_skips_urls_and_handles(monkeypatch):
    ft = _spy(monkeypatch, "fasttext_distribution")
    detect_document("Macron said @Elysee https://t.co/x1\nthat the talks\r\nwere useful for Europe.")
    (sample,) = ft
    assert "\n" not in sample and "\r" not in sample
    assert "@" not in sample and "http" not in sample
    assert "useful for europe" in sample
