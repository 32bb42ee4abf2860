"""Generate a news-like benchmark corpus with the seeds' defects, as Parquet shards (issue 10).

    .venv/bin/python bench/generate_corpus.py --docs 10000 --out bench/out/corpus-10k
    .venv/bin/python bench/generate_corpus.py --docs 100000 --out bench/out/corpus-100k --jobs 2
    .venv/bin/python bench/generate_corpus.py --docs 1000000 --out bench/out/corpus-1m --jobs 2

Writes ``part-00000.parquet``, ``part-00001.parquet`` ... (``--shard-docs`` documents each,
10,000 by default) with the columns ``id, title, url, published, source, text``, and
``_corpus.json`` (what was generated: counts by language, defect and duplicate kind, bytes).

Everything is a pure function of ``--seed`` and the document number: document *i* is built
from its own random generator, so shards can be written by several processes, the output is
byte-identical whatever ``--jobs`` is, and no more than one shard is ever held in memory
(a duplicate regenerates its source document instead of remembering it).

What a document is (rates per document, see ``RATES``):

* about 3 KB of UTF-8 in 10-20 paragraphs separated by blank lines.  An English sentence is
  an optional news opening ("On Monday,", "Officials in Kyiv said", from ``LEADS``) and
  clauses built from noun phrases, verbs, prepositional phrases and conjunctions whose
  content words come from wordfreq's English list (past its 250 most frequent words), with
  names, places, organisations and numbers: grammatical enough that newsclean's
  broken-sentence checks pass them, and without shared sentence skeletons (fixed templates
  made most sentences near duplicates of each other for a sentence-level MinHash, which no
  real corpus does).  The other languages (de, fr, es, ru, it, pt, nl, pl, uk; ~15% of the
  original documents) are Zipf-weighted draws from wordfreq's word list of that language
  with names and numbers; ~1% are English with a paragraph or two in another language;
* documents belong to stories (about 30 documents a story) and share its people, place and
  quotes, as distinct articles of one event do (the seeds all repeat one Macron quote);
* defects, as in ``seeds/``: embedded tweets (``Text pic.twitter.com/AbCdEf123 — Name
  (@handle) February 7, 2022``), Instagram embeds, ``Advertisement`` and ``Read more: ...``
  paragraphs, captions ending `` AP``, photo credits, contributor and syndication lines,
  machine-translation breakage (``... discussed the country's presidency. Volodymyr Zelensky
  with.``), mojibake (UTF-8 read as Windows-1252), HTML entities, hard-wrapped paragraphs
  (some with ``secu-\\nrity`` hyphenation), one-paragraph-per-line layout, invisible
  characters, doubled words, missing spaces after full stops;
* exact duplicates (~5%: the same text under another id, URL and source) and near duplicates
  (~5%: new title and dateline, a few edited words, sometimes truncated or with a credit line).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SEED = 20221110
SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("published", pa.string()),
        ("source", pa.string()),
        ("text", pa.string()),
    ]
)

# Share of documents carrying each defect / kind (independent draws per document).
RATES = {
    "exact_duplicate": 0.05,
    "near_duplicate": 0.05,
    "other_language": 0.15,
    "mixed_language": 0.01,
    "tweet": 0.08,
    "instagram": 0.03,
    "advertisement": 0.10,
    "read_more": 0.08,
    "caption_ap": 0.06,
    "photo_credit": 0.02,
    "contributed": 0.03,
    "syndication_note": 0.02,
    "mt_break": 0.04,
    "mojibake": 0.03,
    "html_entities": 0.05,
    "hard_wrap": 0.05,
    "line_per_paragraph": 0.05,
    "invisible_chars": 0.01,
    "doubled_word": 0.01,
    "missing_space": 0.02,
    "curly_quotes": 0.5,
}
OTHER_LANGUAGES = ["de", "fr", "es", "ru", "it", "pt", "nl", "pl", "uk"]
LANGUAGE_WEIGHTS = [25, 20, 18, 12, 8, 6, 4, 4, 3]
DUP_WINDOW = 50_000  # a duplicate copies one of the previous DUP_WINDOW documents (syndication is recent)
STORY_SIZE = 30  # documents per story, on average

FIRST = [
    "Anna",
    "Pavel",
    "Marie",
    "John",
    "Li",
    "Fatima",
    "Carlos",
    "Olga",
    "Ahmed",
    "Sofia",
    "Jonas",
    "Mei",
    "François",
    "José",
    "Zoë",
    "Björn",
    "Łukasz",
    "Renée",
    "Jürgen",
    "Inés",
    "Dmitry",
    "Aisha",
    "Kenji",
    "Priya",
    "Tomás",
    "Hélène",
    "Emmanuel",
    "Volodymyr",
    "Olaf",
    "Ursula",
    "Kamala",
    "Sergei",
    "Giorgia",
    "Pedro",
    "Mateusz",
    "Ngozi",
    "Rishi",
    "Annalena",
    "Antony",
    "Catherine",
    "Josep",
    "Małgorzata",
]
LAST = [
    "Kovalenko",
    "Dubois",
    "Smith",
    "Wang",
    "Haddad",
    "García",
    "Ivanova",
    "Nasser",
    "Rossi",
    "Berg",
    "Tanaka",
    "Müller",
    "Nowak",
    "Lefèvre",
    "Sánchez",
    "Okafor",
    "Johansson",
    "Peskov",
    "Zelensky",
    "Macron",
    "Scholz",
    "Meloni",
    "Borrell",
    "Stoltenberg",
    "Blinken",
    "Lavrov",
    "Kuleba",
    "Baerbock",
    "Çelik",
    "Novák",
    "Fernández",
    "Kowalski",
    "O'Brien",
    "Dupont",
    "Schröder",
    "Andersen",
    "Hoffmann",
]
PLACES = [
    "Moscow",
    "Kyiv",
    "Paris",
    "Berlin",
    "Brussels",
    "Warsaw",
    "Geneva",
    "Minsk",
    "Vienna",
    "London",
    "Washington",
    "Beijing",
    "Ankara",
    "Rome",
    "Madrid",
    "Lisbon",
    "Prague",
    "Budapest",
    "Vilnius",
    "Helsinki",
    "Stockholm",
    "Jakarta",
    "Tokyo",
    "Nairobi",
    "Cairo",
    "Doha",
    "Kharkiv",
    "Odesa",
    "Donetsk",
    "Kraków",
    "Zürich",
    "Montréal",
    "São Paulo",
    "Bogotá",
    "Málaga",
    "Düsseldorf",
]
ORGS = [
    "NATO",
    "the European Union",
    "the Kremlin",
    "the United Nations",
    "the OSCE",
    "the foreign ministry",
    "the central bank",
    "the World Health Organization",
    "the defence ministry",
    "the European Commission",
    "the IMF",
    "the World Bank",
    "the White House",
    "the Élysée Palace",
    "parliament",
    "the G7",
    "the finance ministry",
    "the interior ministry",
    "the supreme court",
    "the election commission",
]
ROLES = [
    "spokesperson",
    "foreign minister",
    "defence minister",
    "president",
    "prime minister",
    "chief economist",
    "head",
    "secretary general",
    "deputy director",
    "senior adviser",
    "chair",
    "ambassador",
]
AGENCIES = ["Reuters", "AP", "AFP", "dpa", "Interfax", "Xinhua", "Bloomberg", "EFE", "ANSA", "PAP"]
SITES = [
    "gulftoday.ae",
    "chinadaily.com.cn",
    "voi.id",
    "news.example.com",
    "dailyherald.example.org",
    "eurowire.example.net",
    "theglobe.example.com",
    "rt-mirror.example.ru",
    "lemonde.example.fr",
    "spiegel.example.de",
    "elpais.example.es",
    "corriere.example.it",
    "publico.example.pt",
    "nos.example.nl",
    "wyborcza.example.pl",
    "pravda.example.com.ua",
    "kyivindependent.example.com",
    "asiatimes.example.com",
    "africanews.example.com",
    "newsnow.example.co.uk",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MON3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
VERBS = [
    "affect",
    "change",
    "delay",
    "reduce",
    "support",
    "block",
    "review",
    "expand",
    "limit",
    "raise",
    "cut",
    "protect",
    "extend",
    "replace",
    "approve",
    "reject",
    "finance",
    "monitor",
    "restore",
    "strengthen",
    "challenge",
    "ease",
    "resolve",
    "investigate",
    "discuss",
    "postpone",
    "accelerate",
    "revise",
]
VPAST = [
    "approved",
    "rejected",
    "announced",
    "criticised",
    "welcomed",
    "postponed",
    "signed",
    "proposed",
    "confirmed",
    "denied",
    "suspended",
    "extended",
    "launched",
    "questioned",
    "reviewed",
    "blocked",
]
SAID = [
    "said",
    "told reporters",
    "added",
    "warned",
    "insisted",
    "noted",
    "argued",
    "confirmed",
    "stressed",
    "said in a statement",
    "wrote on Twitter",
    "told a news conference",
]
ADJ = [
    "useful",
    "substantive",
    "constructive",
    "difficult",
    "unacceptable",
    "premature",
    "realistic",
    "encouraging",
    "disappointing",
    "historic",
    "dangerous",
    "frank",
    "positive",
    "complicated",
]
TIMEUNIT = ["days", "weeks", "months", "year", "decade"]
LEADS = [  # sentence openings; the rest of a sentence is drawn word by word
    "On {DAY},",
    "In {PL},",
    "According to {ORG},",
    "{P} said",
    "Officials in {PL} said",
    "However,",
    "Meanwhile,",
    "Last {MONTH},",
    "Earlier this {TU1},",
    "Analysts said",
    "{ORG} said",
    "Since {MONTH},",
    "In a statement,",
    "At the same time,",
    "For its part, {ORG}",
    "The {ROLE} said",
    "By {MONTH},",
    "Asked about",
    "Critics say",
    "{P}, the {ROLE} of {ORG}, said",
    "It was not clear whether",
    "After talks in {PL},",
    "Despite",
]
MT_BREAKS = [  # machine-translation breakage as in seed 002 ("... presidency. Volodymyr Zelensky with.")
    "{S} and discussed the country's {C}. {P} {PREP}.",
    "However, {S} dampened {C} Their {S}.",
    "{P} described the {C} as “{ADJ}, businesslike and business-like” {S}.",
    "{P} for its part, the {C} emphasized {S}.",
    "{S} but the details of the.",
    "According to {P}, the {C} (is {S}.",
]
OTHER_TEMPLATES = {  # a dateline / quote frame for the other languages
    "de": ("{PLU} ({AG}) - ", "„{Q}“, sagte {P}."),
    "fr": ("{PLU} ({AG}) - ", "« {Q} », a déclaré {P}."),
    "es": ("{PLU} ({AG}) - ", "«{Q}», dijo {P}."),
    "ru": ("{PLU}, {AG}. ", "«{Q}», — заявил {P}."),
    "it": ("{PLU} ({AG}) - ", "«{Q}», ha detto {P}."),
    "pt": ("{PLU} ({AG}) - ", "“{Q}”, disse {P}."),
    "nl": ("{PLU} ({AG}) - ", "‘{Q}’, zei {P}."),
    "pl": ("{PLU} ({AG}) - ", "„{Q}” - powiedział {P}."),
    "uk": ("{PLU}, {AG}. ", "«{Q}», — заявив {P}."),
}
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# Frequent web words kept out of the word salad (profanity, sexual terms, slurs).
BLOCK = {
    "rape",
    "raped",
    "porn",
    "porno",
    "bullshit",
    "damn",
    "crap",
    "ass",
    "asshole",
    "fuck",
    "fucking",
    "fucked",
    "shit",
    "sex",
    "sexy",
    "sexual",
    "nude",
    "naked",
    "penis",
    "pussy",
    "dick",
    "cock",
    "bitch",
    "slut",
    "whore",
    "gay",
    "jewish",
    "nigga",
    "nigger",
    "stupro",
    "vaffanculo",
    "cazzo",
    "merda",
    "puttana",
    "merde",
    "putain",
    "salope",
    "scheiße",
    "scheisse",
    "arschloch",
    "fick",
    "ficken",
    "puta",
    "mierda",
    "coño",
    "joder",
    "porra",
    "caralho",
    "kurwa",
    "pierdole",
    "chuj",
    "блять",
    "хуй",
    "сука",
    "пизда",
    "kut",
    "neuken",
    "hoer",
    "секс",
    "sesso",
    "sexo",
}


# --------------------------------------------------------------------------------------
# Vocabulary (wordfreq), loaded once per process
# --------------------------------------------------------------------------------------


class Vocab:
    def __init__(self) -> None:
        from wordfreq import top_n_list

        en = top_n_list("en", 12000)
        stop = set(en[:250])
        self.en_words = [
            w for w in en[250:] if w.isalpha() and w.isascii() and len(w) > 3 and w not in stop and w not in BLOCK
        ]
        self.other: dict[str, tuple[list[str], list[float]]] = {}
        for lang in OTHER_LANGUAGES:
            words = [
                w
                for w in top_n_list(lang, 6000)
                if w.isalpha() and (len(w) > 1 or w in "aeoyiàèéuуівсякоз") and w not in BLOCK
            ]
            self.other[lang] = (words, _cumulative(len(words)))


def _cumulative(n: int) -> list[float]:
    """Zipf-like cumulative weights: function words often, a long tail of content words."""
    cum, total = [], 0.0
    for rank in range(n):
        total += 1.0 / (rank + 8)
        cum.append(total)
    return cum


VOCAB: Vocab | None = None


def vocab() -> Vocab:
    global VOCAB
    if VOCAB is None:
        VOCAB = Vocab()
    return VOCAB


# --------------------------------------------------------------------------------------
# Deterministic per-document randomness
# --------------------------------------------------------------------------------------


def rng_for(seed: int, kind: str, i: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{i}")


def doc_kind(seed: int, i: int) -> tuple[str, int]:
    """("original", i) or ("exact"|"near", source index) for document i; the source is
    always an original document earlier in the corpus."""
    r = rng_for(seed, "kind", i)
    x = r.random()
    if i < 20 or x >= RATES["exact_duplicate"] + RATES["near_duplicate"]:
        return "original", i
    kind = "exact" if x < RATES["exact_duplicate"] else "near"
    src = r.randrange(max(0, i - DUP_WINDOW), i)
    while True:  # follow copies of copies back to their original
        k, s = doc_kind(seed, src)
        if k == "original":
            return kind, src
        src = s


def person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def story_of(seed: int, sid: int) -> dict:
    r = rng_for(seed, "story", sid)
    words = vocab().en_words
    s = {
        "people": [person(r) for _ in range(3)],
        "places": r.sample(PLACES, 2),
        "org": r.choice(ORGS),
        "words": r.sample(words, 12),
        "date": date(2019, 1, 1) + timedelta(days=r.randrange(6 * 365)),
    }
    s["quotes"] = [cap(salad(r, s, r.randint(10, 25))) for _ in range(3)]
    return s


DETS = ["the", "the", "the", "a", "its", "their", "this", "our", "his", "her", "every", "that"]
PREPS = [
    "of",
    "of",
    "in",
    "in",
    "on",
    "for",
    "with",
    "to",
    "at",
    "by",
    "from",
    "over",
    "after",
    "against",
    "during",
    "under",
    "near",
    "about",
    "without",
    "across",
]
CONJ = ["and", "but", "while", "because", "although", "as", "after", "before", "since", "so"]
VERBS_FINITE = VPAST + [
    "said",
    "told",
    "showed",
    "expected",
    "needed",
    "wanted",
    "reached",
    "raised",
    "added",
    "called",
    "gave",
    "took",
    "made",
    "found",
    "saw",
    "kept",
    "brought",
    "left",
    "held",
    "has",
    "had",
    "will",
    "would",
    "could",
    "might",
    "must",
    "should",
    "can",
]
AUX_NEEDS_VERB = {
    "has": "VPAST",
    "had": "VPAST",
    "will": "V",
    "would": "V",
    "could": "V",
    "might": "V",
    "must": "V",
    "should": "V",
    "can": "V",
}


def salad(r: random.Random, story: dict, k: int) -> str:
    """About k words of grammatical-looking English: noun phrases of drawn content words
    (wordfreq's list past the 250 most frequent words), verbs, prepositional phrases and
    conjunctions, with names, places, organisations and numbers mixed in.  It passes
    newsclean's broken-sentence checks (no "the of", no dangling article) as prose does."""
    words = vocab().en_words
    out: list[str] = []

    def np_(subject: bool = False) -> None:
        x = r.random()
        if x < 0.12:
            out.append(r.choice(story["people"]) if r.random() < 0.7 else person(r))
        elif x < 0.2:
            out.append(story["places"][0] if r.random() < 0.6 else r.choice(PLACES))
        elif x < 0.26:
            out.append(story["org"] if r.random() < 0.5 else r.choice(ORGS))
        elif x < 0.31 and not subject:
            out.append(f"{r.randint(2, 250000):,}" if r.random() < 0.7 else f"{r.randint(1, 40)}.{r.randint(0, 9)}%")
            out.append(r.choice(words))
        else:
            if r.random() < 0.8:
                out.append(r.choice(DETS))
            out.extend(r.choices(words, k=r.choice((1, 1, 2, 2, 3))))

    def clause() -> None:
        np_(subject=True)
        v = r.choice(VERBS_FINITE)
        out.append(v)
        if v in AUX_NEEDS_VERB:
            out.append(r.choice(VPAST if AUX_NEEDS_VERB[v] == "VPAST" else VERBS))
        np_()
        while r.random() < 0.45:
            out.append(r.choice(PREPS))
            np_()

    clause()
    while len(out) < k:
        out.append(r.choice(CONJ))
        clause()
    return " ".join(out)


def fill(r: random.Random, template: str, story: dict) -> str:
    """Fill a template's slots ({S}: a stretch of words, {C}: a content word, ...)."""
    words = vocab().en_words
    out, pos = [], 0
    while True:
        a = template.find("{", pos)
        if a < 0:
            out.append(template[pos:])
            return "".join(out)
        b = template.index("}", a)
        out.append(template[pos:a])
        slot = template[a + 1 : b]
        pos = b + 1
        if slot == "S":
            v = salad(r, story, r.randint(5, 12))
        elif slot in ("C", "W"):
            v = r.choice(story["words"]) if r.random() < 0.15 else r.choice(words)
        elif slot in ("P", "P2", "P3"):
            v = r.choice(story["people"]) if r.random() < 0.7 else person(r)
        elif slot == "PL":
            v = story["places"][0] if r.random() < 0.6 else r.choice(PLACES)
        elif slot == "PL2":
            v = story["places"][1]
        elif slot == "ORG":
            v = story["org"] if r.random() < 0.5 else r.choice(ORGS)
        else:
            v = r.choice(
                {
                    "ROLE": ROLES,
                    "DAY": DAYS,
                    "MONTH": MONTHS,
                    "V": VERBS,
                    "VP": VPAST,
                    "SAIDP": SAID,
                    "ADJ": ADJ,
                    "TU": TIMEUNIT,
                    "TU1": ["week", "month", "year"],
                    "PREP": ["with", "of", "to", "and", "the", "for"],
                }[slot]
            )
        out.append(v)


def sentence(r: random.Random, story: dict) -> str:
    """One English news-like sentence: an optional opening, 8-24 drawn words ending in a
    content word, an optional attribution."""
    lead = fill(r, r.choice(LEADS), story) + " " if r.random() < 0.35 else ""
    body = salad(r, story, r.randint(7, 23))
    tail = f", {fill(r, '{P}', story)} {r.choice(SAID)}" if r.random() < 0.2 else ""
    return cap(lead + body) + tail + "."


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def english_paragraphs(r: random.Random, story: dict, target: int) -> list[str]:
    paras, size = [], 0
    while size < target:
        sents = []
        for _ in range(r.choice((1, 2, 2, 3))):
            if r.random() < 0.12:
                q = r.choice(story["quotes"]) if r.random() < 0.5 else cap(salad(r, story, r.randint(8, 20)))
                sents.append(f'"{q}," {fill(r, "{P}", story)} {r.choice(SAID)}.')
            else:
                sents.append(sentence(r, story))
        p = " ".join(sents)
        paras.append(p)
        size += len(p) + 2
    return paras


def other_paragraphs(r: random.Random, story: dict, lang: str, target: int) -> list[str]:
    words, cum = vocab().other[lang]
    dateline, quote = OTHER_TEMPLATES[lang]
    paras, size = [], 0
    while size < target:
        sents = []
        for _ in range(r.choice((1, 2, 2, 3))):
            ws = r.choices(words, cum_weights=cum, k=r.randint(8, 24))
            ws = [w for j, w in enumerate(ws) if j == 0 or w != ws[j - 1]]
            while len(ws[-1]) < 4:
                ws[-1] = r.choice(words)
            k = r.randrange(len(ws))
            ws[k] = r.choice([r.choice(story["people"]), r.choice(story["places"]), str(r.randint(2, 2024))])
            s = cap(" ".join(ws))
            if r.random() < 0.1:
                s = quote.format(Q=s, P=r.choice(story["people"]))
            else:
                s += r.choice(".......?!") if r.random() < 0.1 else "."
            sents.append(s)
        p = " ".join(sents)
        paras.append(p)
        size += len(p.encode()) + 2
    if r.random() < 0.6:
        paras[0] = dateline.format(PLU=story["places"][0].upper(), AG=r.choice(AGENCIES)) + paras[0]
    return paras


# --------------------------------------------------------------------------------------
# Defects
# --------------------------------------------------------------------------------------

_SLOPPY_1252 = {b: bytes([b]).decode("cp1252", errors="replace") for b in range(0x80, 0xA0)}
MOJIBAKE_TABLE = str.maketrans({chr(b): (c if c != "\ufffd" else chr(b)) for b, c in _SLOPPY_1252.items()})


def mojibake(s: str) -> str:
    """UTF-8 bytes read as (sloppy) Windows-1252: ’ -> â€™, é -> Ã©."""
    return s.encode("utf-8").decode("latin-1").translate(MOJIBAKE_TABLE)


def handle(r: random.Random, name: str) -> str:
    h = "".join(c for c in name if c.isascii() and (c.isalnum() or c == " ")).replace(" ", r.choice(["_", "", ""]))
    return (h or "user")[:15]


def tweet(r: random.Random, story: dict) -> str:
    name = r.choice([person(r), f"The {cap(r.choice(vocab().en_words))} Report", r.choice(story["people"])])
    if r.random() < 0.15:
        name += r.choice([" ☦️", " 🇺🇦", " 🇪🇺", " ✈️"])
    text = sentence(r, story)
    if r.random() < 0.4:
        text = f"#{story['places'][0].replace(' ', '')} " + text
    link = "pic.twitter.com/" + "".join(r.choices(_ALNUM, k=10))
    if r.random() < 0.2:
        link = "https://t.co/" + "".join(r.choices(_ALNUM, k=10))
    d = story["date"]
    return f"{text} {link} — {name} (@{handle(r, name)}) {MONTHS[d.month - 1]} {d.day}, {d.year}"


def instagram(r: random.Random, story: dict) -> list[str]:
    name = person(r)
    d = story["date"]
    hh, mm = r.randint(1, 12), r.randint(0, 59)
    line = (
        f"A post shared by {name} (@{handle(r, name).lower()}) on {MON3[d.month - 1]} {d.day}, {d.year} "
        f"at {hh}:{mm:02d}{r.choice(['am', 'pm'])} {r.choice(['PST', 'EST', 'CET', 'GMT'])}"
    )
    return (["View this post on Instagram"] if r.random() < 0.5 else []) + [line]


def caption(r: random.Random, story: dict) -> str:
    what = r.choice(
        [
            "speaks during a joint press conference",
            "arrives for a meeting",
            "attends a summit",
            "talks to journalists",
            "leaves the building",
            "waves to supporters",
        ]
    )
    agency = r.choice(["AP", "AP", "AP", "AFP", "Reuters", "EPA"])
    return (
        f"{r.choice(story['people'])} {what} {salad(r, story, r.randint(3, 9))} in {r.choice(story['places'])}"
        f"{r.choice(['', ' on ' + r.choice(DAYS)])}. {agency}"
    )


def hard_wrap(r: random.Random, p: str, width: int) -> str:
    lines, cur = [], ""
    for w in p.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            if len(w) > 7 and w.isalpha() and r.random() < 0.15:  # secu-\nrity
                k = r.randint(3, len(w) - 3)
                lines.append(cur + " " + w[:k] + "-")
                cur = w[k:]
                continue
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return "\n".join(lines)


def entities(r: random.Random, text: str) -> str:
    text = text.replace("&", "&amp;").replace('"', r.choice(["&quot;", "&#34;"])).replace("'", "&#39;")
    return text.replace("’", "&rsquo;").replace(" - ", r.choice([" &ndash; ", " &#8211; "]))


def curly(text: str) -> str:
    out, open_q = [], True
    for c in text:
        if c == '"':
            out.append("“" if open_q else "”")
            open_q = not open_q
        elif c == "'":
            out.append("’")
        else:
            out.append(c)
    return "".join(out)


def edit_words(r: random.Random, text: str, n: int) -> str:
    words = text.split(" ")
    for j in r.sample(range(len(words)), min(n, len(words))):
        if "\n" not in words[j]:
            words[j] = r.choice(vocab().en_words)
    return " ".join(words)


# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------


def original(seed: int, i: int, stats: dict | None = None) -> dict:
    """Document i as an original article (with its defects)."""
    r = rng_for(seed, "doc", i)
    n_stories = 1_000_003  # a fixed pool: the story of a document does not depend on --docs
    sid = (i // STORY_SIZE * 7919 + r.randrange(4)) % n_stories
    story = story_of(seed, sid)
    defects = [
        k
        for k in (
            "tweet",
            "instagram",
            "advertisement",
            "read_more",
            "caption_ap",
            "photo_credit",
            "contributed",
            "syndication_note",
            "mt_break",
            "mojibake",
            "html_entities",
            "hard_wrap",
            "line_per_paragraph",
            "invisible_chars",
            "doubled_word",
            "missing_space",
            "curly_quotes",
            "mixed_language",
        )
        if r.random() < RATES[k]
    ]
    lang = "en"
    if r.random() < RATES["other_language"]:
        lang = r.choices(OTHER_LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
    target = max(1200, min(7000, int(r.gauss(2900, 550))))
    if lang == "en":
        paras = english_paragraphs(r, story, target)
        if r.random() < 0.35:
            paras[0] = f"{story['places'][0].upper()} ({r.choice(AGENCIES)}) - " + paras[0]
        title = cap(
            fill(
                r,
                r.choice(
                    [
                        "{P} says {W} {W} could {V} {W} {W}",
                        "{ORG} {VP} {W} {W} as {W} {W} grow",
                        "{PL} and {PL2} {V} {W} {W} after {ADJ} talks",
                        "Why the {W} {W} matters for {PL}",
                    ]
                ),
                story,
            )
        )
        if r.random() < 0.5:
            title = " ".join(cap(w) for w in title.split(" "))
    else:
        paras = other_paragraphs(r, story, lang, target)
        title = cap(" ".join(r.choices(vocab().other[lang][0], cum_weights=vocab().other[lang][1], k=r.randint(5, 11))))
    prose_first = ("mt_break", "mixed_language", "doubled_word", "missing_space", "invisible_chars")
    # defects inside the prose first, then the inserted embed and boilerplate paragraphs (so
    # that a broken sentence never lands inside a tweet or a "Read more" line)
    for d in sorted(defects, key=lambda d: d not in prose_first):
        at = r.randrange(1, len(paras)) if len(paras) > 1 else 1
        if d == "tweet":
            for _ in range(r.choice((1, 1, 2))):
                paras.insert(r.randrange(1, len(paras) + 1), tweet(r, story))
        elif d == "instagram":
            paras[at:at] = instagram(r, story)
        elif d == "advertisement":
            for _ in range(r.choice((1, 1, 2, 3))):
                paras.insert(
                    r.randrange(1, len(paras) + 1),
                    r.choice(
                        ["Advertisement", "Advertisement", "ADVERTISEMENT", "Story continues below advertisement"]
                    ),
                )
        elif d == "read_more":
            t = cap(fill(r, "{P} {SAIDP} {W} {W} in {PL}", story))
            paras.insert(at, f"{r.choice(['Read more', 'READ MORE', 'Also read', 'Related'])}: {t}")
        elif d == "caption_ap":
            paras.insert(at, caption(r, story))
        elif d == "photo_credit":
            paras.insert(
                at, f"(Photo: {r.choice(['Getty Images', 'Reuters', 'AFP via Getty Images', 'Shutterstock'])})"
            )
        elif d == "contributed":
            paras.append(
                f"{person(r)} in {r.choice(PLACES)} and agencies contributed to this {r.choice(['story', 'report'])}."
            )
        elif d == "syndication_note":
            paras.append("This article has been adapted from its original source.")
        elif d == "mt_break" and lang == "en":
            for _ in range(r.choice((1, 1, 2))):
                k = r.randrange(len(paras))
                paras[k] = paras[k] + " " + cap(fill(r, r.choice(MT_BREAKS), story))
        elif d == "mixed_language" and lang == "en":
            other = r.choice(OTHER_LANGUAGES)
            paras[at:at] = other_paragraphs(r, story, other, r.randint(200, 900))
        elif d == "doubled_word":
            k = r.randrange(len(paras))
            paras[k] = paras[k].replace(" the ", " the the ", 1)
        elif d == "missing_space":
            k = r.randrange(len(paras))
            a = paras[k].find(". ")
            if a > 0:
                paras[k] = paras[k][: a + 1] + paras[k][a + 2 :]
        elif d == "invisible_chars":
            k = r.randrange(len(paras))
            words = paras[k].split(" ")
            j = r.randrange(len(words))
            words[j] = words[j][:2] + r.choice(["\u200b", "\u00ad", "\u200d", "\ufeff"]) + words[j][2:]
            paras[k] = " ".join(words)
    if "curly_quotes" in defects and lang == "en":
        paras = [curly(p) for p in paras]
    if "hard_wrap" in defects:
        width = r.randint(64, 80)
        paras = [hard_wrap(r, p, width) if len(p) > width else p for p in paras]
    sep = "\n" if "line_per_paragraph" in defects and "hard_wrap" not in defects else "\n\n"
    text = sep.join(paras)
    if "html_entities" in defects:
        text = entities(r, text)
    if "mojibake" in defects:
        if r.random() < 0.6:
            text, title = mojibake(text), mojibake(title)
        else:  # some paragraphs only (a page glued from two sources)
            parts = text.split(sep)
            for k in r.sample(range(len(parts)), max(1, len(parts) // 3)):
                parts[k] = mojibake(parts[k])
            text = sep.join(parts)
    if r.random() < 0.03:  # a trailing newline or stray spaces, as scraped text has
        text = text + r.choice(["\n", "  ", "\n\n"])
    site = r.choice(SITES)
    published = story["date"] + timedelta(days=r.randrange(3))
    slug = "-".join(title.lower().split()[:6])
    slug = "".join(c for c in slug if c.isascii() and (c.isalnum() or c == "-"))
    rec = {
        "id": f"n{i:08d}",
        "title": title,
        "url": f"https://{site}/news/{published:%Y/%m/%d}/{slug}-{i}",
        "published": published.isoformat()
        if r.random() < 0.8
        else f"{published.isoformat()}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00",
        "source": site,
        "text": text,
    }
    if stats is not None:
        stats["language"][lang] = stats["language"].get(lang, 0) + 1
        for d in defects:
            if d in ("mt_break", "mixed_language", "curly_quotes") and lang != "en":
                continue
            stats["defects"][d] = stats["defects"].get(d, 0) + 1
    return rec


def near_copy(seed: int, i: int, rec: dict) -> dict:
    """A syndicated re-publication: new header (title, dateline, site), a few edited words,
    sometimes truncated or with a credit line."""
    r = rng_for(seed, "near", i)
    sep = "\n\n" if "\n\n" in rec["text"] else "\n"
    paras = rec["text"].split(sep)
    story = {
        "people": [person(r)],
        "places": [r.choice(PLACES)] * 2,
        "org": r.choice(ORGS),
        "words": vocab().en_words[:50],
    }
    if r.random() < 0.5:
        paras[0] = f"{r.choice(PLACES).upper()} ({r.choice(AGENCIES)}) - " + paras[0].split(" - ", 1)[-1]
    n_edits = r.randint(1, 6)
    for _ in range(n_edits):
        k = r.randrange(len(paras))
        paras[k] = edit_words(r, paras[k], 1)
    if r.random() < 0.35:
        paras = paras[: max(2, int(len(paras) * r.uniform(0.7, 0.92)))]
    if r.random() < 0.3:
        paras.append(f"Reporting by {person(r)}; editing by {person(r)}")
    title = cap(
        fill(r, r.choice(["{P} says {W} {W} could {V} {W} {W}", "{ORG} {VP} {W} {W} after talks in {PL}"]), story)
    )
    site = r.choice(SITES)
    return {
        **rec,
        "id": f"n{i:08d}",
        "title": title,
        "source": site,
        "url": f"https://{site}/{rec['published'][:10].replace('-', '/')}/story-{i}",
        "text": sep.join(paras),
    }


def document(seed: int, i: int, stats: dict) -> dict:
    kind, src = doc_kind(seed, i)
    if kind == "original":
        return original(seed, i, stats)
    rec = original(seed, src)
    stats["duplicates"][kind] = stats["duplicates"].get(kind, 0) + 1
    if kind == "exact":
        r = rng_for(seed, "exact", i)
        site = r.choice(SITES)
        return {**rec, "id": f"n{i:08d}", "source": site, "url": f"https://{site}/article/{i}"}
    return near_copy(seed, i, rec)


def write_shard(args: tuple[int, int, int, int, str, int]) -> dict:
    seed, shard, start, stop, out, row_group = args
    stats = {"docs": 0, "bytes": 0, "language": {}, "defects": {}, "duplicates": {}}
    path = Path(out) / f"part-{shard:05d}.parquet"
    tmp = path.with_suffix(".parquet.tmp")
    with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
        for a in range(start, stop, row_group):
            rows = [document(seed, i, stats) for i in range(a, min(stop, a + row_group))]
            stats["docs"] += len(rows)
            stats["bytes"] += sum(len(x["text"].encode()) for x in rows)
            writer.write_table(pa.Table.from_pylist(rows, schema=SCHEMA))
    os.replace(tmp, path)
    return stats


def merge(total: dict, s: dict) -> None:
    for k, v in s.items():
        if isinstance(v, dict):
            merge(total.setdefault(k, {}), v)
        else:
            total[k] = total.get(k, 0) + v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, required=True, help="number of documents")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created; existing part files are replaced)")
    ap.add_argument("--shard-docs", type=int, default=10_000, help="documents per Parquet file (default 10,000)")
    ap.add_argument("--row-group", type=int, default=1_000, help="documents per Parquet row group (default 1,000)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--jobs", type=int, default=1, help="processes writing shards (output is the same for any value)")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for old in a.out.glob("part-*.parquet"):
        old.unlink()
    shards = [
        (a.seed, k, s, min(a.docs, s + a.shard_docs), str(a.out), a.row_group)
        for k, s in enumerate(range(0, a.docs, a.shard_docs))
    ]
    t0 = time.perf_counter()
    total: dict = {}
    if a.jobs > 1:
        with ProcessPoolExecutor(a.jobs) as pool:
            for n, s in enumerate(pool.map(write_shard, shards), 1):
                merge(total, s)
                print(f"  shard {n}/{len(shards)}", file=sys.stderr, flush=True)
    else:
        for n, sh in enumerate(shards, 1):
            merge(total, write_shard(sh))
            print(f"  shard {n}/{len(shards)}", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    total.update(
        {
            "seed": a.seed,
            "shards": len(shards),
            "shard_docs": a.shard_docs,
            "seconds": round(seconds, 1),
            "mean_bytes": round(total["bytes"] / max(1, total["docs"])),
            "rates": RATES,
        }
    )
    (a.out / "_corpus.json").write_text(json.dumps(total, indent=2, sort_keys=True) + "\n")
    print(
        f"{total['docs']:,} documents, {total['bytes'] / 1e6:,.1f} MB of text (mean {total['mean_bytes']:,} bytes), "
        f"{len(shards)} shards in {a.out}, {seconds:.1f} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
