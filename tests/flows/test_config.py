"""Configuration: sections in the TOML file, their checks, the deprecated flat layout, and the
reference (README table, docs/configuration.md, ``newsclean config``) generated from ``Config``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from dataclasses import fields

import pytest

from flows.config import (
    FIELDS,
    SECTION_OF,
    SECTION_TYPES,
    SECTIONS,
    Config,
    ConfigError,
    example_toml,
    load_config,
    readme_table,
    reference_markdown,
)
from tests.helpers import REPO, cli_env


def test_a_sectioned_file_sets_its_keys_and_flags_override_it(tmp_path):
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text('[dedup]\nnear_duplicate_threshold = 0.7\ncontained_policy = "mark"\n\n[run]\nworkers = 1\n')
    warned = []
    config = load_config(cfg, {"workers": 2}, on_deprecated=warned.append)
    assert (config.near_duplicate_threshold, config.contained_policy, config.workers) == (0.7, "mark", 2)
    assert warned == []
    assert config.section("dedup").contained_policy == "mark"


def test_a_key_in_the_wrong_section_names_the_right_one(tmp_path):
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text("[run]\nnear_duplicate_threshold = 0.7\n")
    with pytest.raises(ConfigError, match=r"near_duplicate_threshold belongs in \[dedup\], not \[run\]"):
        load_config(cfg)


def test_an_unknown_key_in_a_section_is_an_error(tmp_path):
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text("[dedup]\nnear_duplicate_treshold = 0.7\n")
    with pytest.raises(ConfigError, match="unknown configuration key 'near_duplicate_treshold'"):
        load_config(cfg)


def test_flat_files_still_work_with_one_deprecation_message(tmp_path):
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text("batch_size = 10\nnear_duplicate_threshold = 0.7\nworkers = 1\n")
    warned = []
    config = load_config(cfg, on_deprecated=warned.append)
    assert (config.batch_size, config.near_duplicate_threshold, config.workers) == (10, 0.7, 1)
    assert len(warned) == 1
    assert "batch_size, workers under [run]" in warned[0] and "near_duplicate_threshold under [dedup]" in warned[0]
    bad = tmp_path / "bad.toml"  # a flat file with an error: the error alone, no warning before it
    bad.write_text("batch_size = -1\n")
    warned.clear()
    with pytest.raises(ConfigError):
        load_config(bad, on_deprecated=warned.append)
    assert warned == []


def test_every_key_has_a_section_help_and_a_place_in_its_section_type():
    assert set(SECTION_OF.values()) <= set(SECTIONS)
    for name, f in FIELDS.items():
        assert f.metadata["help"], name
        assert name in {g.name for g in fields(SECTION_TYPES[SECTION_OF[name]])}
    assert sum(len(fields(t)) for t in SECTION_TYPES.values()) == len(FIELDS)


def test_the_example_file_is_the_defaults():
    data = tomllib.loads(example_toml())
    assert set(data) == set(SECTIONS)
    assert load_config(None, {}) == Config()


def test_readme_and_docs_show_the_generated_reference():
    """The README's table and docs/configuration.md are generated from Config: a key added or
    changed without regenerating them fails here (regenerate with flows.config.readme_table and
    reference_markdown)."""
    assert readme_table() in (REPO / "README.md").read_text(encoding="utf-8")
    assert (REPO / "docs" / "configuration.md").read_text(encoding="utf-8") == reference_markdown() + "\n"


def test_newsclean_config_prints_the_reference_and_the_example():
    run = [sys.executable, "-m", "flows.cli", "config"]
    out = subprocess.run(run, capture_output=True, text=True, env=cli_env(), cwd=REPO, timeout=120)
    assert out.returncode == 0 and "## `[dedup]`" in out.stdout
    example = subprocess.run([*run, "--example"], capture_output=True, text=True, env=cli_env(), cwd=REPO, timeout=120)
    assert example.returncode == 0 and tomllib.loads(example.stdout)["dedup"]["near_duplicate_threshold"] == 0.6


def test_each_step_is_given_only_the_sections_it_declares():
    from flows.steps import BATCH_STEPS

    seen = {}
    for name, fn in BATCH_STEPS:
        view = Config().view(*fn.sections)
        seen[name] = {f.name for f in fields(view)}
        assert all(SECTION_OF[k] in fn.sections for k in seen[name])
    assert "workers" not in set().union(*seen.values())  # no step sees how the run is executed
    assert seen["embeds"] == {"embed_rules", "min_prose_words", "repeated_line_min_docs", "repeated_line_min_share"}
    with pytest.raises(AttributeError):
        Config().view("embeds").languages  # noqa: B018 (the access is the test)
