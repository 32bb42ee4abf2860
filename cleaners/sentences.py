"""Sentence splitting (blingfire) and detection of broken sentences.

blingfire is a compiled, well-kept sentence breaker (about 50 µs for 1 KB, against 4 ms
for pysbd here).  It splits after initials and a few title abbreviations ("Dr. J. R.
Ewing"), so ``split_sentences`` re-attaches a piece that ends in such a token.

Broken sentences are what machine translation and careless scraping leave behind (seed
002).  Each rule fires only on a pattern that edited news prose does not produce:

* ``dangling_end``: a sentence (or a piece before a spurious full stop) that ends in an
  article, conjunction or possessive ("... wheat and."), or in a preposition whose object
  is missing ("Volodymyr Zelensky with.").  A preposition stranded after a verb or an
  adjective is English ("what the money is used for.", "the people she spoke with.").
* ``spurious_stop``: a full stop followed by a lower-case word inside a sentence
  ("lasted. for five hours"), not after an abbreviation or an ellipsis.
* ``lowercase_start``: a sentence that starts with a lower-case word ("eBay" is fine).
* ``capitalised_function_word``: "dampened expectations Their talks".
* ``repeated_word``: a word repeated with and without a hyphen ("businesslike and
  business-like").
* ``word_salad``: a determiner followed by a word that can never follow one ("the of",
  "a the", "their was"), a preposition followed by an auxiliary ("on were").
* ``doubled_phrase``: a phrase of up to twelve words said three or more times in a row (a
  translation loop).
* ``according_to_fragment``: "According to X, a former official now at Y." with no main clause.
* ``unbalanced_quotes``, ``unbalanced_brackets``: judged on the whole paragraph, because
  a quotation spans sentences and, by news convention, an unclosed quotation continues in
  the next paragraph when that one opens with a quotation mark; a straight quote may close
  a curly one.

Each flag carries its rule and the rule's confidence (``CONFIDENCE``); the items of a list
are never flagged but for a loop, and ``drop`` removes only confident flags, never quoted speech.

Nothing is repaired here: a broken sentence cannot be mended without inventing words.
"""

from __future__ import annotations

import ctypes
import operator
import re
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache

import blingfire

from cleaners.edits import Edit, Flag, make_edit, make_flag
from cleaners.text import PARAGRAPH_BREAK, join_sentences, split_paragraphs

STEP = "sentences"

# Tokens after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr vs etc inc ltd co corp
    no nos vol pp fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft rev hon pres u.s u.k e.g i.e
    approx dept est univ ave blvd rd hwy pt cf al op ed eds govt intl natl assn bros lbs oz mph min max
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev
    okla ore pa tenn tex va vt wash wis wyo""".split()
)
_LAST_TOKEN = re.compile(r"(\S+)\.$")

# Words a well-formed sentence never ends in.
DANGLING_ALWAYS = frozenset("the a an and or but nor their its our my your whose than".split())
# Prepositions that need an object; English strands them after a verb or an adjective
# ("what it was used for", "the people she spoke with").  Particles that often end
# sentences ("about", "up", "in", "on", "out", "over") are left out.
DANGLING_PREPOSITIONS = frozenset("with of from into onto at by for to against among between during via".split())
DANGLING_END = DANGLING_ALWAYS | DANGLING_PREPOSITIONS
# Words before a stranded preposition that make it English: verbs, adjectives, pronouns.
_STRANDING = frozenset(
    """is are was were be been being am do does did have has had get gets got go goes went gone come comes came
    look looks talk talks speak speaks spoke spoken work works deal deals cope live lives wait ask asks pay pays
    care cares hope vote fight fought argue rely depend count refer point apply belong agree listen want wants
    need needs like likes love hate used made thought heard known seen said told sent sold given taken brought
    aware afraid proud capable sure fond tired full ashamed scared happy worried concerned unhappy familiar
    responsible grateful sorry able willing ready due close next similar up out in on off down over back away
    along around apologise apologize account pray wish search ask call stand stick aim amount vouch wonder
    it them him her me us you one this that which what who whom something anything nothing everything
    someone anyone everyone here there so too afford""".split()
)
# Function words that, capitalised between two lower-case words, betray a break:
# "dampened expectations Their talks in Moscow."
CAPITALISED_FUNCTION = frozenset(
    """The Their His Her Its Our My Your These Those This That And But Or Of With From For To In On At By A An
    He She It They We What Which Who When Where Why How""".split()
)
_FUNCTION_WORDS = frozenset("the a an and or but of to in on at by for with from is was are were as that".split())
# "vitamin A deficiency", "type A personality", "plan A was": a letter, not an article.
_LETTER_NOUNS = frozenset(
    """vitamin plan type grade class category group exhibit section part division article schedule tier option
    line series model league level formula size row block gate terminal wing ward pool phase stage""".split()
)
_DETERMINERS = frozenset("the a an their its our my your these those every".split())
# Word salad: pairs that grammatical English never has.  A determiner (not "these" or
# "those", which are also pronouns) before a preposition, conjunction, auxiliary or
# subject pronoun ("the of", "a the", "their was"), and a preposition before a finite
# auxiliary ("on were").
_SALAD_DETERMINERS = frozenset("the a an their its our my your every".split())
_AUXILIARIES = frozenset("is was were are has have had will would can could should".split())
_NOT_AFTER_DETERMINER = (
    frozenset(
        """the a an their its our my your of to in on at by for with from into than until since without through
    during against between among and or but nor he she they we i""".split()
    )
    | _AUXILIARIES
)
_SALAD_PREPOSITIONS = frozenset("of in on at by for with from into than without during against between".split())
_EDGE = ".,;:!?\"“”‘’()[]«»—–-…'"
_PAIRS = {"(": ")", "[": "]"}
_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching exactly ``words``, as a trie (fails on the first
    character that no word continues with, where an alternation tries every word).

    >>> _trie(["a", "an", "and", "the"]), bool(re.fullmatch(_trie(["a", "an", "and"]), "an"))
    ('(?:(?:a(?:nd?)?|the))', True)
    """
    tree: dict = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alternatives = [re.escape(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not alternatives:
            return ""
        body = "|".join(alternatives)
        if "" in node:
            return f"(?:{body})?" if len(body) > 1 else body + "?"
        return f"(?:{body})" if len(alternatives) > 1 else body

    return f"(?:{emit(tree)})"


# Gates: cheap tests that pass every sentence a token-by-token rule can fire on (and a
# few more), so that ``broken_reason`` runs the rule only there.  Tokens are runs of
# non-whitespace (regex ``\s`` is exactly ``str.isspace``, as in ``str.split``); a
# sentence that ``str.isprintable`` has no whitespace but the space.  ``word_salad``
# compares lower-cased words: its gate looks at the lower-cased sentence, where each
# token is the lower-cased token (``lower`` keeps whitespace and never makes any, and
# the words it compares are ASCII, which lower-case the same in any context).
_EDGE_RUN = "[" + re.escape(_EDGE) + "]*"
_SALAD_PAIRS = (
    "(?:"
    + _trie(_SALAD_DETERMINERS)
    + r"\s+"
    + _EDGE_RUN
    + _trie(_NOT_AFTER_DETERMINER)
    + "|"
    + _trie(_SALAD_PREPOSITIONS)
    + r"\s+"
    + _EDGE_RUN
    + _trie(_AUXILIARIES)
    + ")"
    + _EDGE_RUN
)
_SALAD_GATE = re.compile(r"\s" + _SALAD_PAIRS + r"(?!\S)")  # on " " + the lower-cased sentence
_SALAD_GATE_SPACES = re.compile(" " + _SALAD_PAIRS.replace(r"\s+", " +") + "(?![^ ])")  # the same, spaces only
_STOP_GATE = re.compile(r"\.\s+\S")
_MARKS = re.compile(r'[“”"()\[\]]')  # the characters ``unbalanced_marks`` looks at


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences.

    Results are cached per paragraph: copies of an article repeat paragraphs, and
    ``broken_in_paragraph`` splits again what its caller may have split.

    >>> split_sentences("Dr. J. R. Ewing met Mr. Smith. They talked.")
    ['Dr. J. R. Ewing met Mr. Smith.', 'They talked.']
    """
    return list(_split_cached(paragraph))


@lru_cache(maxsize=8192)
def _split_cached(paragraph: str) -> tuple[str, ...]:
    if not paragraph.strip():
        return ()
    pieces = _text_to_sentences(paragraph).split("\n")
    out: list[str] = []
    for piece in pieces:
        if out and out[-1][-1:] == "." and _continues(out[-1]):  # pieces hold no newline: "." must end them
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return tuple(out)


_BUFFERS = threading.local()
_TEXT_TO_SENTENCES = getattr(getattr(blingfire, "blingfire", None), "TextToSentences", None)  # the C function


def _output_buffer(size: int) -> ctypes.Array:
    """A zeroed output buffer of at least ``size`` bytes, reused per thread (ctypes
    creates a new array type for every new buffer length, which costs more than the split)."""
    buf = getattr(_BUFFERS, "buf", None)
    if buf is None or len(buf) < size:
        buf = _BUFFERS.buf = ctypes.create_string_buffer(max(size, 1 << 16))
    ctypes.memset(buf, 0, size)
    return buf


def _text_to_sentences(text: str) -> str:
    """``blingfire.text_to_sentences`` (same call, same output-size limit) with a reused buffer.

    >>> _text_to_sentences("One here. Two there.") == blingfire.text_to_sentences("One here. Two there.")
    True
    """
    if _TEXT_TO_SENTENCES is None:  # a blingfire laid out otherwise: its own wrapper
        return blingfire.text_to_sentences(text)
    data = text.encode("utf-8")
    size = len(data) * 2
    buf = _output_buffer(size + 1)  # one spare zero byte: ``value`` stops where a fresh buffer's would
    n = _TEXT_TO_SENTENCES(ctypes.c_char_p(data), ctypes.c_int(len(data)), ctypes.byref(buf), ctypes.c_int(size))
    if n == -1 or n > size:
        return ""
    return buf.value.decode("utf-8")


def _continues(sentence: str) -> bool:
    """True when ``sentence`` ends in an initial or abbreviation, not a real sentence end.

    >>> _continues("Dr."), _continues("met J."), _continues("the U.S."), _continues("He left."), _continues("No end")
    (True, True, True, False, False)
    """
    token = _last_token(sentence)
    if token is None:
        return False
    token = token.lstrip("(\"'“‘")
    return (len(token) == 1 and token.isupper()) or token.lower() in ABBREVIATIONS


def _last_token(sentence: str) -> str | None:
    """``_LAST_TOKEN.search(sentence).group(1)`` (the last whitespace-free run before a
    final full stop), or None, without scanning the sentence from its start.

    >>> _last_token("He met Mr."), _last_token("He met Mr"), _last_token("Wait ."), _last_token("end.\\n")
    ('Mr', None, None, 'end')
    """
    if sentence.endswith("."):
        body = sentence[:-1]
    elif sentence.endswith(".\n"):  # ``$`` also matches before a final newline
        body = sentence[:-2]
    else:
        return None
    if not body or body[-1].isspace():
        return None
    return body.rsplit(None, 1)[-1]


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of cleaned text (separated by one blank line).

    >>> paragraphs_of("One.\\n\\nTwo.")
    ['One.', 'Two.']
    """
    return [p for p in split_paragraphs(text) if p.strip()]


# ------------------------------------------------------------------ sentence-level rules


def _core(token: str) -> str:
    return token.strip(_EDGE)


def _is_word(token: str) -> bool:
    """A plain word token: letters (and inner apostrophes or hyphens), no punctuation."""
    return token.replace("'", "").replace("’", "").replace("-", "").isalpha()


def _dangles(word: str, before: list[str]) -> bool:
    """Whether a sentence piece ending in ``word`` (lower case, no punctuation) is cut
    off; ``before`` are the tokens before it."""
    if word in DANGLING_ALWAYS:
        return bool(before) or word != "a"
    if word not in DANGLING_PREPOSITIONS:
        return False
    if not before:
        return True
    prev = _core(before[-1])
    if not prev or prev[0].isupper() or not _is_word(prev):
        return True  # "Volodymyr Zelensky with.", "23 to.", "4:50 a.m at."
    if before[-1] != prev:
        return True  # punctuation right before the preposition: "talks, with."
    if len(before) >= 2 and _core(before[-2]).lower() in _DETERMINERS and before[-2][-1:].isalpha():
        return True  # "the courts to."
    lower = prev.lower()
    if lower in _STRANDING or lower.endswith(("ed", "ing", "en")):
        return False
    return len(before) <= 4  # a short verbless fragment: "Decades for."


def dangling_end(tokens: list[str]) -> bool:
    """The sentence ends in a word that needs something after it.

    >>> dangling_end("Volodymyr Zelensky with.".split()), dangling_end("He did not say who he spoke to.".split())
    (True, False)
    """
    if not tokens or not tokens[-1].endswith(".") or tokens[-1].endswith(".."):
        return False
    last = tokens[-1][:-1]
    if not last.isalpha():
        return False
    return _dangles(last.lower(), tokens[:-1])


def spurious_stop(tokens: list[str]) -> str | None:
    """A full stop inside the sentence that cannot end one: after an article, a
    conjunction or a preposition without object, or before a lower-case word.

    >>> spurious_stop("Prices for wheat and. Corn rose.".split()), spurious_stop("It lasted. for hours.".split())
    ('dangling_end', 'spurious_stop')
    >>> spurious_stop("Talks in the U.S. and Mass. ended at 3 p.m. on Monday, etc. and so on.".split()) is None
    True
    """
    for i, token in enumerate(tokens[:-1]):
        if not token.endswith(".") or token.endswith(".."):
            continue
        word = token[:-1].lstrip('("“‘')
        if not word.isalpha() or word.lower() in ABBREVIATIONS or (len(word) == 1 and word != "a"):
            continue
        if _dangles(word.lower(), tokens[:i]):
            return "dangling_end"
        nxt = tokens[i + 1]
        if nxt[:1].islower() and not nxt[1:2].isupper() and "." not in nxt[:-1]:  # not "n.d." or "e.g."
            return "spurious_stop"
    return None


def capitalised_function_word(tokens: list[str]) -> bool:
    """A capitalised function word between two lower-case words.

    >>> capitalised_function_word("dampened expectations Their talks in Moscow.".split())
    True
    >>> capitalised_function_word("a vitamin A deficiency in The Hague, in The 39 Steps.".split())
    False
    >>> capitalised_function_word("The goal came in The 47th minute.".split())
    True
    """
    for i, (prev, word, nxt) in enumerate(zip(tokens, tokens[1:], tokens[2:])):
        if word not in CAPITALISED_FUNCTION or not (prev.islower() or prev[:1].isupper()) or not _is_word(prev):
            continue  # a capitalised word before it counts too: "stay in Macau In terms of", "Chinese-style This provides"
        if nxt[:1].isdigit() and i + 3 < len(tokens):
            nxt = tokens[i + 3]  # "in The 47th minute"
        if nxt[:1].islower() and nxt[:1].isalpha():
            if word in ("A", "An") and (prev in _LETTER_NOUNS or _core(nxt) in _FUNCTION_WORDS):
                continue  # "vitamin A deficiency", "package A and B": a letter, not an article
            return True
    return False


def repeated_word(tokens: list[str]) -> bool:
    """The same word with and without a hyphen ("businesslike and business-like").

    >>> repeated_word("useful, businesslike and business-like.".split()), repeated_word("a well-known plan".split())
    (True, False)
    """
    hyphenated = {w.replace("-", "") for w in (_core(t).lower() for t in tokens if "-" in t) if "-" in w}
    if not hyphenated:
        return False
    words = [_core(t).lower() for t in tokens]
    return not hyphenated.isdisjoint(w for w in words if "-" not in w and len(w) > 4)


_LOOP = re.compile(r"(?i)\b((?:\w+\W+){1,6}?)\1{2,}")
# Loops of seven to twelve words; searched only in a sentence with enough repeated tokens
# for one (three copies of seven words repeat at least fourteen tokens), as the search is slow.
_LONG_LOOP = re.compile(r"(?i)\b((?:\w+\W+){7,12}?)\1{2,}")
_LONG_LOOP_MIN_REPEATS = 12  # a little under fourteen: punctuation glued to a token may differ
_WORD = re.compile(r"\w+")


_LOOP_MAX_WORDS = 6  # the longest phrase ``_LOOP`` repeats


def _may_loop(sentence: str) -> bool:
    """False only where ``_LOOP`` cannot match: three copies of a phrase of k words in a row are
    three equal runs of k words.  The search backtracks at every word and costs about half of the
    sentences step; this test is a tenth of it.  The regex compares a back-reference letter by
    letter in simple lower case, which ``str.lower`` is but for "İ" (two characters) and a final
    "Σ" (ς): sentences with either always go to the regex.

    >>> _may_loop("Bern, Bern, Bern, Bern."), _may_loop("the a the b the c"), _may_loop("Talks ended late.")
    (True, False, False)
    >>> _may_loop("the cat and the cat and the cat and"), _may_loop("“Talks” ended — late."), _may_loop("ΣΑΣ ΣΑΣ")
    (True, False, True)
    >>> _may_loop("the history of the country, the history of the country, the history of the country")
    True
    """
    if "\u0130" in sentence or "\u03a3" in sentence:
        return True  # the two letters whose str.lower is not the regex's one-letter lower case
    words = _WORD.findall(sentence.lower())
    n = len(words)
    if n - len(set(words)) < 2:  # no word stands three times
        return False
    for k in range(1, min(_LOOP_MAX_WORDS, n // 3) + 1):
        same = list(map(operator.eq, words, words[k:]))  # same[i]: word i is word i + k
        if True not in map(operator.and_, same, same[k:]):  # no word at i, i + k and i + 2k
            continue
        run = 2 * k  # three copies: same[i] ... same[i + 2k - 1] all true
        for i in range(len(same) - run + 1):
            if same[i] and all(same[i : i + run]):
                return True
    return False


def doubled_phrase(sentence: str, tokens: Sequence[str] | None = None) -> bool:
    """A phrase of one to twelve words said three or more times in a row: the repetition loop of a
    machine translation ("Bern, Bern, Bern, Bern").  A single word (punctuation and dashes are
    not words) needs four: "no, no, no" and "And — and — and —" are speech.

    >>> doubled_phrase("He visited the University of Bern, Bern, Bern, Bern, Bern.")
    True
    >>> doubled_phrase("the history of the country, the history of the country, the history of the country, and more")
    True
    >>> doubled_phrase("a way to learn about the people who lived in the country, the people who lived in the country, "
    ...                "the people who lived in the country, the people who lived in the country.")
    True
    >>> doubled_phrase("She said no, no, no to the plan."), doubled_phrase("Talks ended late on Monday.")
    (False, False)
    >>> doubled_phrase("TRUMP: And — and — and — I'm a leader.")  # a dash is not a word: speech, as above
    False
    """
    m = _LOOP.search(sentence + " ") if _may_loop(sentence) else None
    while m:
        phrase = m.group(1)
        if len(_WORD.findall(phrase)) > 1 or len(m.group(0)) >= 4 * len(phrase):
            return True
        m = _LOOP.search(sentence + " ", m.end())
    tokens = sentence.split() if tokens is None else tokens
    if len(tokens) - len(set(tokens)) >= _LONG_LOOP_MIN_REPEATS:
        return _LONG_LOOP.search(sentence + " ") is not None
    return False


# ``according_to_fragment``: "According to X, a former official now at Y." names a source and
# never says what the source said.  A finite verb anywhere outside a relative clause ("who now
# works for") makes it a sentence.  The verb test is built to over-find verbs (a miss costs
# recall, not a false flag): auxiliaries and modals, irregular past forms, any word in -ed
# (not hyphenated: "Washington-based"), any lower-case word in -s but -ss/-us/-is (a plural
# noun counts as a verb here), and a listed base verb not right after an article, "to" or a
# capitalised word (a name used as a modifier: "a Washington think tank").
_AUX_FORMS = frozenset(
    """is are was were be been am has have had do does did will would can could should shall may might must
    isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't can't couldn't
    shouldn't""".split()
)
_IRREGULAR_PAST = frozenset(
    """said told went came took gave made got saw knew thought found left felt kept held brought began became
    ran met paid sent built spent lost stood sat led heard meant put set cut hit let read won fell rose drew
    grew threw wrote spoke broke chose drove ate flew forgot fought hid hung lay laid lit quit rang rode
    shook shot shut sang sank slept sold sought struck swore taught tore understood woke wore withdrew
    caught bought""".split()
)
_BASE_VERBS = frozenset(
    """say tell go come take give make get see know think find leave feel keep hold bring begin become run
    meet pay send build spend lose stand sit lead hear mean put set win fall rise draw grow throw write speak
    break choose drive fly fight sell seek teach understand catch buy want need like look use work call try
    ask seem turn show play move live believe happen provide include continue change follow stop create
    allow add open walk offer remember consider appear wait serve die expect stay reach kill remain suggest
    raise pass report decide pull return explain hope develop carry receive agree support produce cover
    cause point plan face require reduce increase accept announce claim vote note warn urge deny insist admit
    argue confirm deliver attend visit join launch release sign rescue declare mention promise refuse fail
    manage help start end close act enter affect avoid charge check contain control count deal depend
    describe destroy determine discover discuss drop earn ensure establish exist fear fill finish force gain
    handle identify improve indicate involve limit love mark matter miss notice obtain occur order own place
    prefer prepare present prevent protect prove push reflect refer rely remove replace represent respond
    reveal save share suffer survive talk tend thank treat trust wish worry encourage welcome""".split()
)
_RELATIVE = frozenset("who which that whose whom where when".split())
_QUOTE_MARKS = "\"“”‘'"
_NOT_BEFORE_VERB = frozenset("a an the to".split())


def _verb_like(token: str, prev: str | None) -> bool:
    """Whether ``token`` may be a finite verb (over-finds on purpose; see above).

    >>> [_verb_like(w, "x") for w in ("works", "based", "Washington-based", "official", "now", "encourage")]
    [True, True, False, False, False, True]
    """
    word = _core(token).lower()
    if not word or "-" in word or (prev is not None and token[:1].isupper()):
        return False
    if word in _AUX_FORMS or word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 3):
        return True
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3 and word.isalpha():
        return True
    if word not in _BASE_VERBS or prev is None:
        return word in _BASE_VERBS
    return _core(prev).lower() not in _NOT_BEFORE_VERB and not prev[:1].isupper()  # "a Washington think tank"


def according_to_fragment(tokens: list[str]) -> bool:
    """ "According to <source>, <apposition>." with no main clause.

    >>> according_to_fragment("According to Martijn Rasser, a former senior CIA official now at the Center for a New American Security, a Washington think tank.".split())
    True
    >>> according_to_fragment("According to the report, China encourages students to donate.".split())
    False
    >>> according_to_fragment("According to Rasser, a former official who now works for a think tank.".split())
    True
    >>> according_to_fragment("According to police, the man who threw seeds had bought them.".split())
    False
    >>> according_to_fragment('According to Putin, "Turkey used to violate our airspace.'.split())
    False
    """
    if (
        len(tokens) < 4
        or tokens[0].lstrip('"“') != "According"
        or tokens[1] != "to"
        or not tokens[-1].rstrip('"”’').endswith(".")
    ):
        return False
    in_relative = False
    for i in range(2, len(tokens)):
        token = tokens[i]
        if token[:1] in _QUOTE_MARKS:
            return False  # what the source said, quoted: 'According to Putin, "Turkey used to ...'
        if _core(token).lower() in _RELATIVE:
            in_relative = True
            continue
        if _verb_like(token, tokens[i - 1]):
            if not in_relative:
                return False
            in_relative = False  # the relative clause's own verb; a second verb is the main one
        elif token.endswith(","):
            in_relative = False
    return True


# How sure each rule is that a sentence is broken: set from reading its flags on the tune
# sources of the real sets (evals/mt_breakage, evals/embeds; docs/design.md).  word_salad fires
# mostly on informal but well-formed prose there.  ``broken_sentences = "drop"`` removes only
# flags at or above ``broken_sentences_min_confidence`` (0.8), never quoted speech.
CONFIDENCE = {
    "doubled_phrase": 0.9,
    "dangling_end": 0.8,
    "according_to_fragment": 0.7,
    "spurious_stop": 0.6,
    "capitalised_function_word": 0.5,
    "repeated_word": 0.5,
    "lowercase_start": 0.4,
    "word_salad": 0.3,
    "unbalanced_brackets": 0.3,
    "unbalanced_quotes": 0.2,
}
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,3}[.)]|[-•*–])\s")


def is_list_item(paragraph: str) -> bool:
    """A paragraph that is an item of a numbered or bulleted list (its items are fragments by design).

    >>> is_list_item("1. Lower taxes for small firms"), is_list_item("- more trains"), is_list_item("In 2022 prices rose.")
    (True, True, False)
    """
    return _LIST_ITEM.match(paragraph) is not None


def word_salad(tokens: list[str]) -> bool:
    """A determiner followed by a word that never follows one ("the of", "a the").

    >>> word_salad("Talks the of Moscow in held.".split()), word_salad("The talks of the leaders.".split())
    (True, False)
    >>> word_salad("Prices on were flat.".split()), word_salad("Include these in your plan.".split())
    (True, False)
    """
    for i, (word, nxt) in enumerate(zip(tokens, tokens[1:])):
        if (
            not word.isalpha()
            or "A" in (nxt, word if i else "")
            or (nxt != _core(nxt) and not nxt.endswith((".", ",", ";", ":")))
        ):
            continue  # punctuation between them, "Plan A", or a quoted word
        low, follower = word.lower(), _core(nxt).lower()
        if low in _SALAD_DETERMINERS and follower in _NOT_AFTER_DETERMINER:
            return True
        if low in _SALAD_PREPOSITIONS and follower in _AUXILIARIES:
            return True
    return False


def lowercase_start(tokens: list[str]) -> bool:
    """The sentence starts with a lower-case word ("eBay", "iPhone" and numbers are fine).

    >>> lowercase_start(["in", "the", "Kremlin."]), lowercase_start(["eBay", "said", "so."])
    (True, False)
    """
    first = tokens[0].lstrip('"“‘(') if tokens else ""
    return first[:1].islower() and not any(c.isupper() for c in first[1:])


def broken_reason(sentence: str) -> str | None:
    """Why ``sentence`` looks broken, or None.  Precision over recall: each rule fires
    only on patterns that well-formed news prose does not produce.

    >>> broken_reason("Volodymyr Zelensky with.")
    'dangling_end'
    >>> broken_reason("However, he himself dampened expectations Their talks in Moscow.")
    'capitalised_function_word'
    >>> broken_reason("Putin called it useful, businesslike and business-like.")
    'repeated_word'
    >>> broken_reason("Putin said the talks were useful.") is None
    True
    >>> broken_reason("It was not clear what the money would be used for.") is None
    True
    """
    tokens = sentence.split()
    if not tokens:
        return None
    if len(tokens) >= 4 and doubled_phrase(sentence, tokens):
        return "doubled_phrase"
    if tokens[-1][:-1].lower() in DANGLING_END and dangling_end(tokens):  # the gate: only those words dangle
        return "dangling_end"
    if tokens[0][-9:] == "According" and according_to_fragment(tokens):
        return "according_to_fragment"
    reason = spurious_stop(tokens) if _STOP_GATE.search(sentence) else None
    if reason:
        return reason
    if not tokens[0][:1].isupper() and lowercase_start(tokens):  # the gate: no quote mark is upper-case
        return "lowercase_start"
    if not CAPITALISED_FUNCTION.isdisjoint(tokens[1:-1]) and capitalised_function_word(tokens):
        return "capitalised_function_word"
    if "-" in sentence and repeated_word(tokens):
        return "repeated_word"
    if _may_be_salad(sentence) and word_salad(tokens):
        return "word_salad"
    return None


def _may_be_salad(sentence: str) -> bool:
    """False only when ``word_salad`` is False for the tokens of ``sentence``.

    >>> _may_be_salad("Talks the of Moscow."), _may_be_salad("THE\\u00a0(Of) talks"), _may_be_salad("The talks of the leaders.")
    (True, True, False)
    """
    gate = _SALAD_GATE_SPACES if sentence.isprintable() else _SALAD_GATE
    return gate.search(" " + sentence.lower()) is not None


# ------------------------------------------------------------------ paragraph-level rules


def unbalanced_marks(paragraph: str, next_paragraph: str = "") -> list[tuple[int, str]]:
    """Positions of quotation marks and brackets that have no partner in ``paragraph``.
    An opening quotation left open is fine when ``next_paragraph`` opens with one (the
    news convention for a quotation running over several paragraphs).

    >>> unbalanced_marks("He said “no. Then he left.")
    [(8, 'unbalanced_quotes')]
    >>> unbalanced_marks("“We agreed. We will talk,” he said (twice).")
    []
    >>> unbalanced_marks("“It is over.", "“And we know it,” he said.")
    []
    """
    found: list[tuple[int, str]] = []
    curly: list[int] = []
    straight: list[int] = []
    brackets: list[tuple[int, str]] = []
    for m in _MARKS.finditer(paragraph):
        i, c = m.start(), m.group()
        if c == _QUOTE_OPEN:
            if curly:
                found.append((curly.pop(), "unbalanced_quotes"))
            curly.append(i)
        elif c == _QUOTE_CLOSE:
            if curly:
                curly.pop()
            elif straight:  # mixed styles: a straight quote opened, a curly one closes
                straight.pop()
            else:
                found.append((i, "unbalanced_quotes"))
        elif c == '"':
            if straight:
                straight.pop()
            elif curly:  # mixed styles: a curly quote opened, a straight one closes
                curly.pop()
            else:
                straight.append(i)
        elif c in _PAIRS:
            brackets.append((i, _PAIRS[c]))
        elif c in ")]":
            if brackets and brackets[-1][1] == c:
                brackets.pop()
            else:
                found.append((i, "unbalanced_brackets"))
    continues = next_paragraph[:1] in ('"', _QUOTE_OPEN)
    if not continues:
        found.extend((i, "unbalanced_quotes") for i in curly + straight)
    found.extend((i, "unbalanced_brackets") for i, _ in brackets)
    return sorted(found)


def _mark_scan_needed(paragraph: str) -> bool:
    return _MARKS.search(paragraph) is not None


def broken_in_paragraph(paragraph: str, next_paragraph: str = "") -> list[tuple[str, str]]:
    """``(sentence, reason)`` for each broken sentence of one paragraph.

    >>> broken_in_paragraph("Macron discussed the. Security guarantees with Putin. All “fine.")
    [('Macron discussed the.', 'dangling_end'), ('All “fine.', 'unbalanced_quotes')]
    """
    return _broken_among(paragraph, split_sentences(paragraph), next_paragraph)


def _broken_among(paragraph: str, sentences: Sequence[str], next_paragraph: str) -> list[tuple[str, str]]:
    """``broken_in_paragraph`` given the paragraph's ``sentences`` (already split).  The items
    of a list are fragments by design: only a repetition loop is flagged in them."""
    if is_list_item(paragraph):
        return [(s, "doubled_phrase") for s in sentences if len(s.split()) >= 4 and doubled_phrase(s)]
    reasons: list[str | None] = list(map(broken_reason, sentences))
    if _mark_scan_needed(paragraph):
        starts, pos = [], 0
        for sentence in sentences:
            found = paragraph.find(sentence, pos)
            pos = found if found >= 0 else pos
            starts.append(pos)
            pos += len(sentence)
        for at, reason in unbalanced_marks(paragraph, next_paragraph):
            i = max(k for k, s in enumerate(starts) if s <= at) if starts and starts[0] <= at else 0
            reasons[i] = reasons[i] or reason
    return [(s, r) for s, r in zip(sentences, reasons) if r]


def find_broken_sentences(
    text: str, policy: str = "flag", min_confidence: float = 0.8
) -> tuple[str, list[Edit], list[Flag]]:
    """Flag broken sentences; with ``policy="drop"`` also remove them from the text
    (each removal an edit).  Nothing is ever rewritten or invented.

    >>> t, e, f = find_broken_sentences("Macron visited Kyiv. Volodymyr Zelensky with.\\n\\nAll fine.")
    >>> f
    [{'kind': 'broken_sentence', 'detail': 'Volodymyr Zelensky with.', 'rule': 'dangling_end', 'confidence': 0.8}]
    >>> find_broken_sentences("Macron met Putin. Zelensky with.", policy="drop")[0]
    'Macron met Putin.'
    """
    return _find_broken(text, policy, min_confidence)[:3]


def split_and_find_broken(
    text: str, policy: str = "flag", min_confidence: float = 0.8
) -> tuple[str, list[Edit], list[Flag], list[str]]:
    """``find_broken_sentences`` and the sentences of the text it returns (those of
    ``split_sentences`` over its ``paragraphs_of``), splitting each paragraph once.

    >>> split_and_find_broken("Macron visited Kyiv. Zelensky with.\\n\\nAll fine.")[3]
    ['Macron visited Kyiv.', 'Zelensky with.', 'All fine.']
    >>> split_and_find_broken("Macron visited Kyiv. Zelensky with.\\n\\nAll fine.", policy="drop")[3]
    ['Macron visited Kyiv.', 'All fine.']
    """
    out, edits, flags, sentences = _find_broken(text, policy, min_confidence)
    if sentences is None:  # the text changed: split what is left
        sentences = [s for p in paragraphs_of(out) for s in split_sentences(p)]
    return out, edits, flags, sentences


_QUOTED = re.compile(r'[“”"]')  # quoted speech is never dropped: a flag on it may be half a quotation


def _find_broken(
    text: str, policy: str, min_confidence: float = 0.8
) -> tuple[str, list[Edit], list[Flag], list[str] | None]:
    """``find_broken_sentences`` plus the sentences of the returned text, or None when
    that text is not the input (its paragraphs may then split differently)."""
    if policy not in ("flag", "drop"):
        raise ValueError(f"broken-sentence policy must be 'flag' or 'drop', not {policy!r}")
    flags: list[Flag] = []
    edits: list[Edit] = []
    out_paragraphs: list[str] = []
    all_sentences: list[str] = []
    paragraphs = paragraphs_of(text)
    for k, paragraph in enumerate(paragraphs):
        nxt = paragraphs[k + 1] if k + 1 < len(paragraphs) else ""
        sentences = _split_cached(paragraph)
        all_sentences.extend(sentences)
        found = _broken_among(paragraph, sentences, nxt)
        if not found:
            out_paragraphs.append(paragraph)
            continue
        broken = dict(found)
        kept: list[str] = []
        for sentence in sentences:
            rule = broken.get(sentence)
            if rule:
                confidence = CONFIDENCE[rule]
                flags.append(make_flag("broken_sentence", sentence, rule, confidence))
                if policy == "drop" and confidence >= min_confidence and not _QUOTED.search(sentence):
                    edits.append(make_edit(STEP, "drop_broken_sentence", sentence, "", rule))
                    continue
            kept.append(sentence)
        if policy == "drop":
            if kept:
                out_paragraphs.append(join_sentences(kept))
        else:
            out_paragraphs.append(paragraph)
    if policy == "flag":
        return text, edits, flags, all_sentences
    out = PARAGRAPH_BREAK.join(out_paragraphs)
    return out, edits, flags, (all_sentences if out == text else None)
