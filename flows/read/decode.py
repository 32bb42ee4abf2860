"""Bytes to text: UTF-8 and its BOMs, UTF-16 without a BOM, legacy code pages by charset detection."""

from __future__ import annotations

PREFERRED_ENCODINGS = (
    "cp1252",
    "iso8859_15",
    "latin_1",
    "cp1251",
    "koi8_r",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_kr",
    "cp1250",
    "iso8859_2",
)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode input bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else
    charset-normalizer's best guess.  Returns (text, None) or (None, reason).

    >>> decode_bytes("Zürich".encode("utf-16"))
    ('Zürich', None)
    >>> decode_bytes(b"\\x00\\x01\\x02\\xff\\xfe\\x00\\x00binary")[1]
    'binary'
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _try_decode(data, "utf-32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _try_decode(data, "utf-16")
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _try_decode(data, utf16)
    if _looks_binary(data):
        return None, "binary"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None, "undecodable"
    # Among the least chaotic candidates, prefer the encodings web news actually uses:
    # short Western texts decode cleanly in several code pages, and cp775 is not a likely one.
    least = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= least]
    best = next((m for enc in PREFERRED_ENCODINGS for m in calm if m.encoding == enc), calm[0])
    return str(best), None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the text is UTF-16 without a byte order mark (Latin
    text then has a NUL in nearly every other byte, on one side only).

    >>> _utf16_without_bom("Talks in Moscow".encode("utf-16-le")), _utf16_without_bom(b"Plain text")
    ('utf-16-le', None)
    """
    head = data[:8192]
    if len(head) < 8 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    guess = (
        "utf-16-le"
        if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05
        else "utf-16-be"
        if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05
        else None
    )
    if guess is None:
        return None
    text = head.decode(guess, errors="replace")
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r")
    return guess if controls <= len(text) * 0.05 else None  # binary with a NUL every other byte is not text


def _looks_binary(data: bytes) -> bool:
    """Many C0 control bytes in the first 8 KB, or mostly NULs: not text in any charset we
    read.  A text with NULs sprinkled in is text (the repair removes the NULs as edits).

    >>> _looks_binary(b"Plain text."), _looks_binary(bytes(range(16)) * 4), _looks_binary(b"Pu\\x00tin and Ma\\x00cron met.")
    (False, True, False)
    """
    head = data[:8192]
    if not head:
        return False
    nuls = head.count(b"\x00")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES)) - nuls
    if controls > len(head) // 10 or nuls > len(head) // 3:
        return True
    if nuls > len(head) // 100:  # sprinkled NULs: text only if the rest is UTF-8
        try:
            head.replace(b"\x00", b"").decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            return exc.start < len(head) - 4  # a character cut at the 8 KB edge is not binary
    return False


def _try_decode(data: bytes, encoding: str) -> tuple[str | None, str | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, f"undecodable: {encoding}: {exc.reason}"
