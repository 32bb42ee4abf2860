"""What can be checked before Prefect starts, checked first: a usage error is one line, and
nothing is created (no output folder, no lock, no flow run).

``check_run`` raises ``UsageError`` naming the path or setting and what to do.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flows.config import Config
from flows.read import OUTPUT_MARKER, SUFFIXES


class UsageError(ValueError):
    """The command cannot run as given (a missing input, an output that cannot be written ...)."""


def _nearest_existing(path: Path) -> Path:
    for p in (path, *path.parents):
        if p.exists():
            return p
    return Path("/")


def _writable(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (tried, then removed: permission bits do not
    tell for root or for a read-only mount)."""
    try:
        fd, name = tempfile.mkstemp(prefix=".newsclean-probe-", dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


def check_inputs(inputs: list[str]) -> list[Path]:
    """Each input exists and is readable; a file given by name has a supported suffix.

    >>> check_inputs(["/nonexistent/feeds"])
    Traceback (most recent call last):
    ...
    flows.run.preflight.UsageError: input /nonexistent/feeds does not exist
    """
    out = []
    for given in inputs:
        p = Path(given)
        if not p.exists():
            raise UsageError(f"input {given} does not exist")
        if p.is_file():
            if not p.name.endswith(SUFFIXES):
                raise UsageError(
                    f"input {given}: unsupported file type {p.suffix or '(none)'!r} (newsclean reads {', '.join(SUFFIXES)})"
                )
            if not os.access(p, os.R_OK):
                raise UsageError(f"input {given} is not readable")
        elif p.is_dir():
            if not os.access(p, os.R_OK | os.X_OK):
                raise UsageError(f"input folder {given} is not readable")
            if (p / OUTPUT_MARKER).exists():
                raise UsageError(f"input {given} is a newsclean output folder: outputs are never read as input")
        else:
            raise UsageError(f"input {given} is neither a file nor a folder")
        out.append(p.resolve())
    return out


def check_output(output: str, inputs: list[Path]) -> None:
    """The output folder is a folder (or can be made), is writable, is not inside an input
    folder and holds no input: a run must never read its own output.

    >>> check_output("/proc/newsclean-out", [])
    Traceback (most recent call last):
    ...
    flows.run.preflight.UsageError: output folder /proc/newsclean-out cannot be created: /proc is not writable
    """
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {output} is a file, not a folder")
    base = _nearest_existing(out.resolve())
    if not _writable(base):
        what = (
            f"output folder {output} is not writable"
            if base == out.resolve()
            else f"output folder {output} cannot be created: {base} is not writable"
        )
        raise UsageError(what)
    real = out.resolve()
    for inp in inputs:
        if inp.is_dir() and (real == inp or real.is_relative_to(inp)):
            raise UsageError(
                f"output folder {output} is inside input folder {inp}: the run would read its own output "
                "(choose an output outside the inputs)"
            )
        if inp.is_relative_to(real):
            raise UsageError(f"input {inp} is inside output folder {output}: choose an output outside the inputs")


def check_manifests(output: str) -> None:
    """Every run manifest of the output folder reads and matches its checksum: cleanup must
    never take a damaged manifest's run for an uncommitted one."""
    from flows.publish.state import DamagedManifest, committed_runs

    try:
        committed_runs(Path(output))
    except DamagedManifest as exc:
        raise UsageError(str(exc)) from None


def check_run(inputs: list[str], output: str, config: Config) -> None:
    """Every check that needs no run: inputs, output and its manifests, the embeds rules file."""
    resolved = check_inputs(inputs)
    check_output(output, resolved)
    check_manifests(output)
    if config.embed_rules:
        from cleaners.embeds import EmbedRuleError, load_rules

        try:
            load_rules(config.embed_rules)
        except FileNotFoundError:
            raise UsageError(f"embed_rules: {config.embed_rules} does not exist") from None
        except (EmbedRuleError, OSError, UnicodeDecodeError, ValueError) as exc:
            raise UsageError(f"embed_rules: {config.embed_rules} is not a usable rules file: {exc}") from None
