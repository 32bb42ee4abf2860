"""Run configuration: one TOML file of documented defaults, overridden by CLI flags.

Configuration is data: it is parsed with ``tomllib`` (never evaluated), checked against
the known keys and types, and any mistake is a clear error naming the key.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import asdict, dataclass, field, fields, make_dataclass
from pathlib import Path


class ConfigError(ValueError):
    """The configuration file or a flag holds an unknown key or a bad value."""


SECTIONS = {
    "read": "reading inputs",
    "repair": "repairing text",
    "embeds": "embeds and boilerplate",
    "language": "language detection",
    "dedup": "duplicates, overlaps and repeated sentences",
    "validate": "the validation gate",
    "output": "output files",
    "run": "processes and task runners",
    "serve": "newsclean serve",
}


def _key(default, section: str, help: str, *, choices: tuple = (), share: bool = False, zero: bool = False):
    """A configuration key: its default, section, one-line help and range (``choices``; ``share``:
    between 0 and 1; ``zero``: 0 allowed, for numbers that must otherwise be positive)."""
    assert section in SECTIONS, section
    return field(
        default=default, metadata={"section": section, "help": help, "choices": choices, "share": share, "zero": zero}
    )


@dataclass(frozen=True)
class Config:
    """Every setting of a run, each in one section of the TOML file (``[read]``, ``[repair]`` ...)."""

    max_chars: int = _key(2_000_000, "read", "longer bodies are rejected as too_long")
    dehyphenate_language: str = _key("en", "repair", "the wordfreq word list that decides whether secu-/rity joins")
    broken_sentences: str = _key(
        "flag", "repair", "flag broken sentences, or drop them (edits; never quoted speech)", choices=("flag", "drop")
    )
    broken_sentences_min_confidence: float = _key(0.8, "repair", "with drop: the confidence a flag needs", share=True)
    embed_rules: str = _key("", "embeds", "an embeds rules file, added to the bundled cleaners/rules/embeds.toml")
    min_prose_words: int = _key(
        15, "embeds", "fewer words of prose after stripping: rejected as not_article; 0: off", zero=True
    )
    repeated_line_min_docs: int = _key(
        3, "embeds", "a line (3+ words) in this many documents of one source in a run is boilerplate; 0: off", zero=True
    )
    repeated_line_min_share: float = _key(
        0.1, "embeds", "... and in at least this share of that source's documents", share=True, zero=True
    )
    language_backend: str = _key(
        "auto",
        "language",
        "auto (fastText's bundled lid.176, langdetect where it is unsure), fasttext or langdetect",
        choices=("auto", "fasttext", "langdetect"),
    )
    languages: tuple[str, ...] = _key((), "language", "accepted ISO 639-1 codes (empty: all); others: rejected")
    near_duplicate_threshold: float = _key(
        0.6, "dedup", "estimated Jaccard of word 5-grams that makes a near duplicate", share=True
    )
    containment_threshold: float = _key(
        0.8,
        "dedup",
        "share of a document's sentences in one earlier document that makes it contained_in it",
        share=True,
    )
    contained_policy: str = _key(
        "reject", "dedup", "contained_in: reject (as a duplicate) or mark (kept)", choices=("reject", "mark")
    )
    overlap_threshold: float = _key(
        0.5, "dedup", "share of sentences in an earlier document that gives relation overlaps", share=True
    )
    repeated_sentences: str = _key(
        "mark", "dedup", "repeated sentences: mark (in sentences/) or drop (from text)", choices=("mark", "drop")
    )
    near_duplicate_sentences: bool = _key(True, "dedup", "match repeated sentences nearly, not only exactly")
    index_window_days: int = _key(0, "dedup", "days a run stays in the cross-run index; 0: forever", zero=True)
    max_validation_rejected_share: float = _key(
        0.01,
        "validate",
        "documents failing a critical expectation go to rejected/; over this share the run fails",
        share=True,
        zero=True,
    )
    fail_on_validation_error: bool = _key(True, "validate", "false: validation never fails the run")
    part_rows: int = _key(5_000, "output", "documents per output part file (validated at once)")
    batch_size: int = _key(3000, "run", "documents per batch, a Prefect task's unit (big files are cut)")
    workers: int = _key(
        0, "run", "processes for the per-batch steps; 0: one per core; 1: in the flow's process", zero=True
    )
    runner: str = _key("default", "run", "task runner: default or dask", choices=("default", "dask"))
    dask_address: str = _key("", "run", "a Dask scheduler (tcp://host:8786); empty: a LocalCluster")
    dask_workers: int = _key(2, "run", "processes of that LocalCluster")
    dedup_memory_mb: int = _key(
        0, "run", "DuckDB's memory before it spills to disk; 0: by run size (400 MB up to 250k documents)", zero=True
    )
    schedule_cron: str = _key("", "serve", 'a cron expression ("0 6 * * *"), or')
    schedule_interval_seconds: int = _key(0, "serve", "an interval in seconds", zero=True)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["languages"] = list(self.languages)
        return d

    def section(self, name: str):
        """The keys of one section, as a frozen dataclass of their own.

        >>> Config(near_duplicate_threshold=0.7).section("dedup").near_duplicate_threshold
        0.7
        """
        return self.view(name)

    def view(self, *sections: str):
        """The keys of some sections only, as a frozen dataclass: what a step is given.

        >>> v = Config().view("read", "repair")
        >>> type(v).__name__, v.max_chars, hasattr(v, "workers")
        ('ReadRepairConfig', 2000000, False)
        """
        cls = _view_type(sections)
        return cls(**{f.name: getattr(self, f.name) for f in fields(cls)})


FIELDS = {f.name: f for f in fields(Config)}
SECTION_OF = {name: f.metadata["section"] for name, f in FIELDS.items()}


@functools.cache
def _view_type(sections: tuple[str, ...]) -> type:
    """A frozen dataclass of the keys of ``sections`` (one type per combination, made once)."""
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown configuration sections {unknown} (known: {', '.join(SECTIONS)})")
    return make_dataclass(
        "".join(s.title() for s in sections) + "Config",
        [(n, f.type, field(default=f.default)) for n, f in FIELDS.items() if SECTION_OF[n] in sections],
        frozen=True,
    )


SECTION_TYPES = {section: _view_type((section,)) for section in SECTIONS}


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
            if value < 0 or (value == 0 and not known[key].metadata["zero"]):
                raise ConfigError(f"{key} must be positive, not {value!r}")
            if isinstance(default, int) and value != int(value):
                raise ConfigError(f"{key} must be a whole number, not {value!r}")
            if known[key].metadata["share"] and value > 1:
                raise ConfigError(f"{key} is a share between 0 and 1, not {value!r}")
            value = type(default)(value)
        elif not isinstance(value, str):
            raise ConfigError(f"{key} must be a string, not {value!r}")
        choices = known[key].metadata["choices"]
        if choices and value not in choices:
            raise ConfigError(f"{key} must be one of {choices}, not {value!r}")
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


def load_config(path: str | Path | None, overrides: dict | None = None, on_deprecated=None) -> Config:
    """Read a TOML config file (its sections, in a ``[newsclean]`` table or at the top level), then
    apply overrides; ``on_deprecated`` gets a message about keys outside a section."""
    values: dict = {}
    deprecated: list[str] = []
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
        values.update(flatten_sections(data.get("newsclean", data), str(p), deprecated.append))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config = make_config(values)
    for message in deprecated if on_deprecated else ():  # only for a file that loads: an error is one line
        on_deprecated(message)
    return config


def flatten_sections(data: dict, origin: str = "<config>", on_deprecated=None) -> dict:
    """The keys of a parsed TOML file, from its sections (``[dedup] near_duplicate_threshold = 0.7``).
    Keys outside a section (the older flat layout) still work: ``on_deprecated`` gets one message
    naming their sections.  A key in the wrong section is an error that names the right one.

    >>> flatten_sections({"dedup": {"near_duplicate_threshold": 0.7}, "run": {"workers": 1}})
    {'near_duplicate_threshold': 0.7, 'workers': 1}
    >>> flatten_sections({"run": {"near_duplicate_threshold": 0.7}})
    Traceback (most recent call last):
    ...
    flows.config.ConfigError: <config>: near_duplicate_threshold belongs in [dedup], not [run]
    >>> flatten_sections({"workers": 1}, on_deprecated=print)
    <config>: keys outside a section are deprecated: put workers under [run]
    {'workers': 1}
    """
    out: dict = {}
    flat: list[str] = []
    for key, value in data.items():
        if key in SECTIONS and isinstance(value, dict):
            for name, v in value.items():
                if name in SECTION_OF and SECTION_OF[name] != key:
                    raise ConfigError(f"{origin}: {name} belongs in [{SECTION_OF[name]}], not [{key}]")
                out[name] = v  # an unknown name is make_config's error
        else:
            flat.append(key)
            out[key] = value
    known_flat = [k for k in flat if k in SECTION_OF]
    if known_flat and on_deprecated:
        by = {}
        for k in known_flat:
            by.setdefault(SECTION_OF[k], []).append(k)
        where = "; ".join(f"{', '.join(ks)} under [{sec}]" for sec, ks in by.items())
        on_deprecated(f"{origin}: keys outside a section are deprecated: put {where}")
    return out


def reference_markdown() -> str:
    """The configuration reference (docs/configuration.md), generated from ``Config``'s fields.

    >>> "| `near_duplicate_threshold` | 0.6 |" in reference_markdown()
    True
    """
    lines = [
        "# newsclean — configuration",
        "",
        "Generated from `flows/config.py` (`newsclean config` prints it; `newsclean config --example` prints a",
        "TOML file of the defaults). A TOML file (`--config`) holds one table per section; flags override it.",
        "Unknown keys, keys in the wrong section and bad values are errors that name the key.",
        "",
    ]
    for section, title in SECTIONS.items():
        lines += [f"## `[{section}]`: {title}", "", "| key | default | meaning |", "|---|---|---|"]
        for name, f in FIELDS.items():
            if SECTION_OF[name] == section:
                lines.append(f"| `{name}` | {_shown(f.default)} | {_help(f)} |")
        lines.append("")
    return "\n".join(lines)


def readme_table() -> str:
    """The README's configuration table: each section's keys and defaults (generated).

    >>> readme_table().splitlines()[2].startswith("| `[read]` | `max_chars` 2000000")
    True
    """
    rows = ["| section | keys (defaults) |", "|---|---|"]
    for section in SECTIONS:
        keys = [f"`{n}` {_shown(f.default)}" for n, f in FIELDS.items() if SECTION_OF[n] == section]
        rows.append(f"| `[{section}]` | {', '.join(keys)} |")
    return "\n".join(rows)


def example_toml() -> str:
    """A TOML file of every key at its default, by section, each with its help as a comment.

    >>> import tomllib; make_config(flatten_sections(tomllib.loads(example_toml()))) == Config()
    True
    """
    out = ["# newsclean configuration: every key at its default (newsclean config --example)"]
    for section, title in SECTIONS.items():
        out += ["", f"[{section}]  # {title}"]
        for name, f in FIELDS.items():
            if SECTION_OF[name] == section:
                out += [f"# {_help(f)}", f"{name} = {_toml(f.default)}"]
    return "\n".join(out) + "\n"


def _help(f) -> str:
    extra = ""
    if f.metadata["choices"]:
        extra = " (" + " | ".join(f.metadata["choices"]) + ")"
    elif f.metadata["share"]:
        extra = " (0-1)"
    return f.metadata["help"] + extra


def _shown(value) -> str:
    return _toml(value)


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)
