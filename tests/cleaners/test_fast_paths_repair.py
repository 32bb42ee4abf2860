"""The speed-ups of the repair, embeds and language steps change no output: each fast path
is checked against the straightforward code it replaces (kept here as the reference)."""

from __future__ import annotations

import difflib
import random
import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import embeds, encoding, language, layout, regex_prefilter
from cleaners.edits import diff_word_edits
from cleaners.embeds import dispatch as dispatch_mod

# ------------------------------------------------------------------ repair: word edits


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcx", max_size=16), st.text(alphabet="abcy", max_size=16))
def test_sequence_opcodes_are_difflibs(a, b):
    want = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert encoding.sequence_opcodes(a, b) == want


def test_longest_match_is_difflibs_on_every_range():
    rng = random.Random(7)
    for _ in range(3000):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 12)))
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        alo = rng.randint(0, len(a))
        ahi = rng.randint(alo, len(a))
        blo = rng.randint(0, len(b))
        bhi = rng.randint(blo, len(b))
        assert encoding.longest_match(a, b, alo, ahi, blo, bhi) == tuple(sm.find_longest_match(alo, ahi, blo, bhi))


WORDS = ["the", "The", "a", "Ã©", "é", "’", "â€™", "x", "Macronâ€™s", "Macron’s", ""]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=12),
    st.lists(st.sampled_from(WORDS), max_size=12),
    st.sampled_from([" ", "  ", "\t", " \u00a0"]),
)
def test_word_edits_are_diff_word_edits(a, b, space):
    before, after = space.join(a), " ".join(b)
    assert encoding.word_edits("k", before, after) == diff_word_edits("repair", "k", before, after)


# ------------------------------------------------------------------ repair: ftfy per line


def _reference_fix_mojibake(text: str, edits: list) -> str:
    """fix_mojibake as it was: a check of the whole text, then each line, no cache."""
    if text.isascii() or not encoding.needs_ftfy(text):
        return text
    lines = encoding._LINE_BREAKS.split(text)
    changed = False
    for i, line in enumerate(lines):
        if i % 2 or line.isascii() or not encoding.needs_ftfy(line):
            continue
        core = line.strip(" \t")
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        fixed = line
        for text, kind in encoding._ftfy_line(core):  # each pass that changed the line: its own edits
            after = lead + text + line[len(lead) + len(core) :]
            edits.extend(diff_word_edits("repair", kind, fixed, after))
            fixed = after
        if fixed != line:
            lines[i] = fixed
            changed = True
    return "".join(lines) if changed else text


PIECES = [
    "Macronâ€™s visit",
    "Größe und Maß",
    "ErdoÄŸan",
    "M√°laga",
    "“quoted”",
    "Zürich",
    "Ã©",
    "Â ",
    "ﬂuid",
    "e\u0301",
    "\u00c5\u212b",
    "Москва",
    "東京の天気",
    "\x85",
    "\u0080x",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\n\n",
    "plain words",
    "â€œusefulâ€\x9d",
    "NESTLÉ®",
    "\ufffc",
    "Œuvre",
    "voilÃ\u00a0",
    "a\u00ad",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10))
def test_fix_mojibake_is_the_reference(pieces):
    text = "".join(pieces)
    want_edits: list = []
    got_edits: list = []
    assert encoding.fix_mojibake(text, got_edits) == _reference_fix_mojibake(text, want_edits)
    assert got_edits == want_edits


def test_fix_mojibake_edits_are_copies():
    first: list = []
    encoding.fix_mojibake("Macronâ€™s visit", first)
    first[0]["after"] = "changed"
    again: list = []
    encoding.fix_mojibake("Macronâ€™s visit", again)
    assert again[0]["after"] == "Macron’s"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES[:30] + ["ö", "ß", "é", "—", "€", "™", "Ä", "Ÿ"]), max_size=8))
def test_ftfy_left_alone_cannot_change(pieces):
    line = "".join(pieces).replace("\n", " ").replace("\r", " ").replace("\u2028", " ").replace("\u2029", " ")
    core = line.strip(" \t")
    if encoding.needs_ftfy(line) and not encoding.ftfy_may_change(line):
        assert encoding._ftfy_line(core) == []


def test_split_lines_is_the_regex_split():
    for text in ["", "a", "a\n", "\n", "a\n\nb", "a\r\nb\rc\u2028d\u2029e\n", "a\n\n\nb"]:
        assert encoding.split_lines(text) == encoding._LINE_BREAKS.split(text)


def test_printable_outside_newlines():
    for text in ["a\nb", "a\tb", "a\u00a0b", "", "\n", "a\x85b"]:
        assert encoding.printable_outside_newlines(text) == text.replace("\n", "").isprintable()
        assert encoding.printable_outside_newlines(text) == text.replace("\n", "").isprintable()  # kept answer


def test_remove_controls_keeps_its_condition():
    for text in ["a\tb\x07", "a\r\nb", "a\tb", "a\x0bB c", "a\u00a0b\t"]:
        assert encoding.remove_controls(text, []) == encoding.sub_recording(
            encoding._CONTROL, encoding._control_replacement, text, "repair", "control_char", [], context=8
        )


# ------------------------------------------------------------------ repair: layout


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \n", max_size=20))
def test_layout_quick_checks(text):
    assert layout._space_beside_newline(text) == (" \n" in text or "\n " in text)
    blocks = [[line for line in block.split("\n") if line] for block in text.split("\n\n")]
    if text.count("\n") == 2 * text.count("\n\n"):
        assert all(len(lines) <= 1 for lines in blocks)


# ------------------------------------------------------------------ embeds: dispatch


def _reference_alts(dispatch, key: str) -> tuple[int, ...]:
    """_Dispatch's choice of alternatives as it was: every alternative tested in turn."""
    low = key.lower()
    subset = []
    for k, (_, _, starts, first) in enumerate(dispatch.alts):
        if starts is not None:
            if any(low.startswith(p) or p.startswith(low) or (p == "\x80" and low[:1] > "\x7f") for p in starts):
                subset.append(k)
        elif first is None or key[0] in first or (key[0] > "\x7f" and "\x80" in first):
            subset.append(k)
    return tuple(subset)


def _dispatches():
    rules = embeds.load_rules()
    return list({id(d): d for d in rules.buckets + rules.tail_buckets if d is not None}.values())


@pytest.mark.slow  # exhaustive: seconds
def test_alternatives_for_a_key_are_the_reference():
    rng = random.Random(3)
    chars = list(string.ascii_letters + string.digits + ' .,("“—-@#©\u00e9\u00c9İß\x80中')
    keys = {"".join(rng.choice(chars) for _ in range(rng.randint(1, 3))) for _ in range(4000)}
    for dispatch in _dispatches():
        for k in dispatch.alts:
            for p in k[2] or ():
                keys.update({p, p.upper(), p.title(), p[:1]})
        for key in keys:
            assert regex_prefilter.alternatives_for(key, dispatch.alts, dispatch.start_index) == _reference_alts(
                dispatch, key
            ), key


def _texts():
    rules = embeds.load_rules()
    out = [
        "Advertisement",
        "Read more: Macron in Kyiv",
        "Putin spoke. (AP Photo/Jo Doe)",
        "The talks went on.",
        "Reporting by Jo Doe; Editing by Al Smith",
        "John Doe contributed to this report.",
        "© 2022 Reuters",
    ]
    for rule in rules:
        out.append(rule.pattern.pattern[:40])
    return out


@pytest.mark.slow  # exhaustive: seconds
def test_dispatch_one_pattern_at_a_time_is_the_combined_regex():
    """The per-alternative path (with required literals) answers as the combined regex did."""
    import tomllib

    data = tomllib.loads(embeds.DEFAULT_RULES.read_text(encoding="utf-8"))
    texts = _texts()
    for raw in data["rule"]:
        for key in ("example", "examples", "not_examples"):
            value = raw.get(key, [])
            texts.extend([value] if isinstance(value, str) else value)
    for dispatch in _dispatches():
        assert dispatch.singles is not None
        combined = dispatch_mod._Dispatch(dispatch.rules)
        combined.singles = None  # force the combined-regex path
        for text in texts:
            for pos in range(0, len(text), 3):
                assert dispatch.match(text, pos) is combined.match(text, pos), (text, pos)


def test_required_literals_are_in_every_match():
    import tomllib

    data = tomllib.loads(embeds.DEFAULT_RULES.read_text(encoding="utf-8"))
    texts = [
        t
        for raw in data["rule"]
        for key in ("example", "examples")
        for t in ([raw[key]] if isinstance(raw.get(key), str) else raw.get(key, []))
    ]
    checked = 0
    for dispatch in _dispatches():
        for pattern, needle in dispatch.singles:
            if not needle:
                continue
            for text in texts:
                for pos in range(len(text)):
                    if pattern.fullmatch(text, pos):
                        assert needle in text[pos:], (pattern.pattern, text)
                        checked += 1
    assert checked > 0
    assert regex_prefilter.required_literal(r"(?:ab)+cdef") == "cdef"
    assert regex_prefilter.required_literal(r"(?:abcd)?x") == ""
    assert regex_prefilter.required_literal(r"(?i:abcdef)") == ""
    assert regex_prefilter.required_literal(r"x(?:abcdef|ghijkl)") == ""


# ------------------------------------------------------------------ language


@pytest.mark.slow  # exhaustive: seconds
@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_language_counts(text):
    assert language._alpha_count(text) == sum(map(str.isalpha, text))
    assert language._few_distinct_letters(text) == (
        len(set(text.lower()) - language._NOT_LETTERS) < language.MIN_DISTINCT_LETTERS
    )


@pytest.mark.parametrize("text", ["ΟΔΟΣ ΟΔΟΣ", "İİİ", "aaaaaaaaaaaaaaaaaaab", "hahaha haha", "Ab, cd"])
def test_few_distinct_letters_edge_cases(text):
    assert language._few_distinct_letters(text) == (
        len(set(text.lower()) - language._NOT_LETTERS) < language.MIN_DISTINCT_LETTERS
    )


def test_needs_ftfy_combined_pattern():
    for line in ["Größe", "“Ž", "a\u0152b", "plain", "é", "ﬁ", "é ", "\ufffc"]:
        want = bool(encoding._TWO_NON_ASCII.search(line) or encoding._FTFY_SINGLES.search(line))
        assert (encoding._TWO_NON_ASCII_OR_SINGLE.search(line) is not None) == want
        assert encoding.needs_ftfy(line) == (
            not line.isprintable() or want or not unicodedata.is_normalized("NFC", line)
        )
