"""Run configuration: one TOML file of documented defaults, overridden by CLI flags.

Configuration is data: it is parsed with ``tomllib`` (never evaluated), checked against
the known keys and types, and any mistake is a clear error naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path


class ConfigError(ValueError):
    """The configuration file or a flag holds an unknown key or a bad value."""


@dataclass(frozen=True)
class Config:
    # Documents per batch: the unit a Prefect task works on.
    batch_size: int = 3000
    # Bodies longer than this many characters are quarantined (reason "too_long").
    max_chars: int = 2_000_000
    # "flag": keep broken sentences and flag them; "drop": remove them (recorded as edits).
    broken_sentences: str = "flag"
    # With broken_sentences = "drop", only flags of at least this confidence are removed (never quoted speech).
    broken_sentences_min_confidence: float = 0.8
    # Languages a run accepts (ISO 639-1); empty means all.  Others go to rejected/ (reason "language").
    languages: tuple[str, ...] = ()
    # Language detection: "auto" (fastText's bundled lid.176, langdetect where it is unsure), "fasttext" or "langdetect".
    language_backend: str = "auto"
    # Path of an embeds rules file; empty means the bundled cleaners/rules/embeds.toml.
    embed_rules: str = ""
    # Documents with fewer words of prose than this after stripping embeds are rejected as not_article
    # (error pages, placeholders, link lists); 0 keeps every document.
    min_prose_words: int = 15
    # A line (3+ words) found in at least this many documents of one source in a run, and in at least
    # repeated_line_min_share of that source's documents, is site boilerplate and leaves them all; 0 turns this off.
    repeated_line_min_docs: int = 3
    repeated_line_min_share: float = 0.1
    # Language used to check de-hyphenated words against wordfreq's list.
    dehyphenate_language: str = "en"
    # Near-duplicate threshold on the estimated Jaccard similarity of word 5-gram shingles.
    near_duplicate_threshold: float = 0.6
    # Sentences repeating an earlier one (this run or the index): "mark" in sentences/ (default) or "drop" from text.
    repeated_sentences: str = "mark"
    # Match repeated sentences nearly (a quote with a changed word), not only exactly.
    near_duplicate_sentences: bool = True
    # A document with at least this share of its sentences found in one other, longer document is
    # contained_in it (a truncated copy or an excerpt); "reject" sends it to rejected/ as a duplicate,
    # "mark" keeps it with relation contained_in.
    containment_threshold: float = 0.8
    contained_policy: str = "reject"
    # A clean document with at least this share of its sentences in one other gets relation "overlaps"
    # (and the share in overlap_share); below it, shared quotes stay sentence repeats.
    overlap_threshold: float = 0.5
    # Days after which a published run's entries leave the cross-run dedup index; 0 keeps them forever.
    index_window_days: int = 0
    # `newsclean serve`: a cron expression (e.g. "0 6 * * *") or an interval in seconds (one of them).
    schedule_cron: str = ""
    schedule_interval_seconds: int = 0
    # Task runner: "default" (Prefect's thread pool, per-batch steps in worker processes) or "dask" (prefect-dask's DaskTaskRunner).
    runner: str = "default"
    # Worker processes for the per-batch steps (default runner): 0 means one per CPU core; 1 runs them in the flow's process.
    workers: int = 0
    # Dask scheduler address (tcp://host:8786); empty means a LocalCluster of dask_workers processes.
    dask_address: str = ""
    dask_workers: int = 2
    # Memory DuckDB may use for the run-wide steps (deduplicate, parts) before it spills to the staging folder;
    # 0: by the run's size (400 MB up to 250,000 documents, then with the square root: 800 at a million).
    dedup_memory_mb: int = 0
    # Documents per output part file (a contiguous doc_id range); a part is validated at once in one worker.
    part_rows: int = 5_000
    # The validation gate: documents failing a critical expectation always go to rejected/; the run fails
    # (exit 1) only when more than this share of the documents validated failed, or when a failure could not be
    # pinned to documents (a whole part was kept out).  Below it the run succeeds with a warning.
    max_validation_rejected_share: float = 0.01
    # false: never fail the run on validation (documents still go to rejected/).
    fail_on_validation_error: bool = True

    def to_dict(self) -> dict:
        d = asdict(self)
        d["languages"] = list(self.languages)
        return d


_CHOICES = {
    "language_backend": ("auto", "fasttext", "langdetect"),
    "broken_sentences": ("flag", "drop"),
    "repeated_sentences": ("mark", "drop"),
    "runner": ("default", "dask"),
    "contained_policy": ("reject", "mark"),
}
_SHARES = {
    "broken_sentences_min_confidence",
    "near_duplicate_threshold",
    "max_validation_rejected_share",
    "repeated_line_min_share",
    "containment_threshold",
    "overlap_threshold",
}  # in [0, 1]
_ZERO_ALLOWED = {
    "max_validation_rejected_share",
    "min_prose_words",
    "repeated_line_min_docs",
    "repeated_line_min_share",
    "dedup_memory_mb",
    "index_window_days",
    "schedule_interval_seconds",
    "workers",
}


def make_config(values: dict) -> Config:
    """Build a checked Config from plain data (a parsed TOML table or CLI overrides).

    >>> make_config({"batch_size": 10}).batch_size
    10
    >>> make_config({"batch_sise": 10})
    Traceback (most recent call last):
    ...
    flows.config.ConfigError: unknown configuration key 'batch_sise' (known: batch_size, broken_sentences, broken_sentences_min_confidence, contained_policy, containment_threshold, dask_address, dask_workers, dedup_memory_mb, dehyphenate_language, embed_rules, fail_on_validation_error, index_window_days, language_backend, languages, max_chars, max_validation_rejected_share, min_prose_words, near_duplicate_sentences, near_duplicate_threshold, overlap_threshold, part_rows, repeated_line_min_docs, repeated_line_min_share, repeated_sentences, runner, schedule_cron, schedule_interval_seconds, workers)
    """
    known = {f.name: f for f in fields(Config)}
    out = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown configuration key {key!r} (known: {', '.join(sorted(known))})")
        default = known[key].default
        if isinstance(default, tuple):
            if isinstance(value, str):
                value = [v for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{key} must be a list of strings, not {value!r}")
            value = tuple(sorted(v.strip().lower() for v in value))
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} must be true or false, not {value!r}")
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{key} must be a number, not {value!r}")
            if value < 0 or (value == 0 and key not in _ZERO_ALLOWED):
                raise ConfigError(f"{key} must be positive, not {value!r}")
            if isinstance(default, int) and value != int(value):
                raise ConfigError(f"{key} must be a whole number, not {value!r}")
            if key in _SHARES and value > 1:
                raise ConfigError(f"{key} is a share between 0 and 1, not {value!r}")
            value = type(default)(value)
        elif not isinstance(value, str):
            raise ConfigError(f"{key} must be a string, not {value!r}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise ConfigError(f"{key} must be one of {_CHOICES[key]}, not {value!r}")
        if key == "languages":
            check_language_codes(value)
        if key == "dehyphenate_language":
            check_word_list(value)
        out[key] = value
    return Config(**out)


def check_language_codes(codes: tuple[str, ...]) -> None:
    """Each code is an ISO 639-1 language code (or ``und``), as newsclean's ``language`` column holds.

    >>> check_language_codes(("en", "fr", "und"))
    >>> check_language_codes(("en", "english"))
    Traceback (most recent call last):
    ...
    flows.config.ConfigError: languages: 'english' is not an ISO 639-1 language code (two letters, e.g. en, fr, uk)
    """
    import langcodes  # wordfreq's dependency: the IANA language subtag registry

    for code in codes:
        if code != "und" and not (len(code) == 2 and code.isalpha() and langcodes.tag_is_valid(code)):
            raise ConfigError(f"languages: {code!r} is not an ISO 639-1 language code (two letters, e.g. en, fr, uk)")


def check_word_list(language: str) -> None:
    """wordfreq has a word list for ``language`` (the dehyphenation check needs one).

    >>> check_word_list("xx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    flows.config.ConfigError: dehyphenate_language: wordfreq has no word list for 'xx' (it has: ar, bg, ...)
    """
    import wordfreq

    available = sorted(wordfreq.available_languages())
    if language not in available:
        raise ConfigError(
            f"dehyphenate_language: wordfreq has no word list for {language!r} (it has: {', '.join(available)})"
        )


def load_config(path: str | Path | None, overrides: dict | None = None) -> Config:
    """Read a TOML config file (its ``[newsclean]`` table or top level), then apply overrides."""
    values: dict = {}
    if path:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"configuration file {p} does not exist") from None
        except IsADirectoryError:
            raise ConfigError(f"configuration file {p} is a folder") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{p}: not UTF-8 text (a TOML file is UTF-8)") from None
        except OSError as exc:
            raise ConfigError(f"configuration file {p} cannot be read: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: not valid TOML: {exc}") from None
        values.update(data.get("newsclean", data))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return make_config(values)
