"""Header lines of a plain-text article: title, date, URL and byline become metadata.

Only leading lines are examined, and a line counts as a header only when it has one of
the recognised shapes; the first line that is not a header starts the body.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_HEADER_LINES = 6
MAX_TITLE_CHARS = 250

_DATE_PREFIX = re.compile(
    r"^\s*(?:(?:date|published|updated)\s*:?\s*)?"
    r"(?P<date>\d{8}|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)(?=\s|$)\s*",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$")
_BYLINE = re.compile(r"^\s*By\s+[A-Z][^|\n]{1,120}(?:\|[^\n]*)?$")
_UPDATED = re.compile(r"(?:Updated|Published)\s*:?\s*(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?)", re.IGNORECASE)
_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$", re.IGNORECASE)


def normalise_date(value: str) -> str:
    """ISO 8601 form of the dates found in headers.

    >>> normalise_date("20220208"), normalise_date("2022-02-09 19:05")
    ('2022-02-08', '2022-02-09T19:05')
    """
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value.replace(" ", "T", 1)


def parse_byline(line: str) -> dict:
    """Author, source and date from a byline such as the China Daily one.

    >>> parse_byline("By Jonathan Powell in London | chinadaily.com.cn | Updated: 2022-02-09 19:05")
    {'author': 'Jonathan Powell in London', 'source': 'chinadaily.com.cn', 'published': '2022-02-09T19:05'}
    """
    parts = [p.strip() for p in line.strip().split("|")]
    meta = {"author": re.sub(r"^By\s+", "", parts[0]).strip()}
    for part in parts[1:]:
        m = _UPDATED.search(part)
        if m:
            meta["published"] = normalise_date(m.group(1))
        elif _DOMAIN.match(part):
            meta["source"] = part.lower()
    return meta


def _is_title(line: str, rest: list[str]) -> bool:
    s = line.strip()
    return (
        bool(s)
        and len(s) <= MAX_TITLE_CHARS
        and not s.endswith((".", "!", ";", ":", ","))
        and any(r.strip() for r in rest)
    )


def split_header(text: str) -> tuple[dict, str]:
    """Split a plain-text article into header metadata and body.

    >>> meta, body = split_header("Putin signals compromise\\n20220208\\nhttps://ex.com/a\\nMacron heads to Kyiv.")
    >>> meta, body
    ({'title': 'Putin signals compromise', 'published': '2022-02-08', 'url': 'https://ex.com/a'}, 'Macron heads to Kyiv.')
    >>> split_header(" date 2022-02-08 Russian President Vladimir Putin gave assurances.")
    ({'published': '2022-02-08'}, 'Russian President Vladimir Putin gave assurances.')
    >>> split_header("At the press conference, Macron spoke.\\n\\nMore text.")[0]
    {}
    """
    lines = text.split("\n")
    meta: dict = {}
    i = 0
    examined = 0
    while i < len(lines) and examined < MAX_HEADER_LINES:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        examined += 1
        if "url" not in meta and (m := _URL_LINE.match(line)):
            meta["url"] = m.group(1)
        elif "published" not in meta and (m := _DATE_PREFIX.match(line)):
            meta["published"] = normalise_date(m.group("date"))
            remainder = line[m.end() :]
            if remainder.strip():  # the body starts on the date line
                lines[i] = remainder
                break
        elif "author" not in meta and _BYLINE.match(line) and ("|" in line or len(line) < 80):
            for key, value in parse_byline(line).items():
                meta.setdefault(key, value)
        elif not meta and i == _first_nonblank(lines) and _is_title(line, lines[i + 1 :]):
            meta["title"] = line.strip()
        else:
            break
        i += 1
    body = "\n".join(lines[i:])
    return meta, body


def _first_nonblank(lines: list[str]) -> int:
    return next((k for k, line in enumerate(lines) if line.strip()), 0)


def site_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, used as ``source`` when none is given.

    >>> site_of("https://www.gulftoday.ae/news/2022/02/08/x")
    'gulftoday.ae'
    """
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else (host or None)
