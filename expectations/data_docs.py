"""Data Docs that render offline: Great Expectations' pages load Bootstrap, jQuery,
bootstrap-table and Font Awesome from CDNs, so without a network the index table is empty
and every page is unstyled.  ``localize_site`` rewrites each page to copies shipped in
``data_docs_assets/`` (see its SOURCES.md) and drops what the pages do not need (charts,
the dark theme, remote logos).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "data_docs_assets"
VENDOR = "static/vendor"  # inside the Data Docs site

# CDN address (prefix) -> the shipped file under static/vendor/, or None: the tag is dropped
REPLACEMENTS: dict[str, str | None] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control": "bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker.min.js",  # the index table's date filter needs it
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark": None,
    "https://cdn.jsdelivr.net/npm/vega": None,
}
_TAG = re.compile(r'<(script|link)\b[^>]*?(?:src|href)="(https://[^"]+)"[^>]*>(?:\s*</script>)?')
_REMOTE_LOGO = re.compile(r"""https://great-expectations-web-assets\.s3\.[^\s"')]+""")


def _local(url: str) -> str | None | bool:
    """The shipped file for a CDN ``url``; None to drop its tag; False when it is not a CDN file.

    >>> _local("https://code.jquery.com/jquery-3.7.1.min.js")
    'jquery.min.js'
    >>> _local("https://cdn.jsdelivr.net/npm/vega-lite@5") is None
    True
    >>> _local("https://greatexpectations.io")
    False
    """
    for prefix, name in REPLACEMENTS.items():
        if url.startswith(prefix):
            return name
    return False


def localize_page(page: str, to_site: str) -> str:
    """``page`` with its CDN tags pointing at the site's ``static/vendor`` copies (``to_site``:
    the relative path from the page's folder to the site root, e.g. ``../..``), without
    integrity attributes (they do not apply to local files), and with unneeded tags dropped.

    >>> localize_page('<script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="x" crossorigin="anonymous"></script>', ".")
    '<script src="./static/vendor/jquery.min.js"></script>'
    >>> localize_page('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/x.css" />', "..")
    ''
    >>> localize_page("background: url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1');", "..")
    "background: url('../static/images/logo-long.png');"
    """

    def swap(m: re.Match) -> str:
        name = _local(m.group(2))
        if name is False:
            return m.group(0)
        if name is None:
            return ""
        local = f"{to_site}/{VENDOR}/{name}"
        if m.group(1) == "script":
            return f'<script src="{local}"></script>'
        return f'<link rel="stylesheet" href="{local}">'

    page = _TAG.sub(swap, page)
    return _REMOTE_LOGO.sub(f"{to_site}/static/images/logo-long.png", page)


def localize_site(site: str | Path) -> int:
    """Copy the shipped assets into ``site/static/vendor`` and rewrite every page of the site
    that still loads from a CDN; the number of pages rewritten."""
    site = Path(site)
    if not site.is_dir():
        return 0
    vendor = site / VENDOR
    if not vendor.is_dir():
        shutil.copytree(ASSETS, vendor, ignore=shutil.ignore_patterns("*.md", "licenses"), dirs_exist_ok=True)
    rewritten = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "https://" not in text:
            continue
        new = localize_page(text, os.path.relpath(site, page.parent))
        if new != text:
            tmp = page.with_name(page.name + ".tmp")
            tmp.write_text(new, encoding="utf-8")
            os.replace(tmp, page)
            rewritten += 1
    return rewritten
