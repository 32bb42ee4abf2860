"""Language identification: deterministic, honest about short text.

Backend: langdetect, seeded (``DetectorFactory.seed = 0``) so every call is
deterministic whatever the order, batch or process.  Text with too few letters to judge
gets ``und`` and score 0.0 rather than a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

UNDETERMINED = "und"
MIN_LETTERS = 20  # fewer letters than this: "und"
MAX_CHARS = 2000  # langdetect's accuracy saturates long before this; caps the cost
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|@\w+|#\w+")


@lru_cache(maxsize=1)
def _langdetect_factory():
    from langdetect import DetectorFactory, detector_factory

    DetectorFactory.seed = 0  # langdetect samples at random: a fixed seed makes it deterministic
    detector_factory.init_factory()
    return detector_factory._factory


def letter_count(text: str) -> int:
    """Number of letters in ``text`` (digits, punctuation and spaces excluded).

    >>> letter_count("Hi, 2022!")
    2
    """
    return len(_LETTER.findall(text))


def normalise_code(code: str) -> str:
    """Map a backend's code to ISO 639-1 where one exists (``zh-cn`` -> ``zh``).

    >>> normalise_code("zh-cn"), normalise_code("en")
    ('zh', 'en')
    """
    return code.split("-")[0].lower()


def detect_langdetect(text: str) -> tuple[str, float]:
    """langdetect's best language and probability, deterministic; ``und`` when unsure.

    >>> detect_langdetect("Russian President Vladimir Putin described the talks as useful.")
    ('en', 1.0)
    >>> detect_langdetect("OK!")
    ('und', 0.0)
    """
    sample = _URL_OR_HANDLE.sub(" ", text[:MAX_CHARS])
    if letter_count(sample) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect_factory().create()
    detector.append(sample)
    try:
        best = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED, 0.0
    if not best:
        return UNDETERMINED, 0.0
    return normalise_code(best[0].lang), round(float(best[0].prob), 4)


def detect_language(text: str) -> tuple[str, float]:
    """The document's language (ISO 639-1 or ``und``) and a score in 0..1.

    >>> detect_language("Le président russe a reçu son homologue français au Kremlin lundi.")[0]
    'fr'
    """
    return detect_langdetect(text)
