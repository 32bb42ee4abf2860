"""Corpus for the repair benchmark (issue 3): clean news-like English paragraphs, written
here from templates, and one corruption function per defect kind.

Everything is deterministic for a given seed.  The clean paragraphs are in the form the
cleaners emit: NFC, one line each, single spaces.  A corruption takes a list of clean
paragraphs (a small document) and returns the raw text a feed could deliver; restoring it
exactly means ``repair`` gives back ``"\\n\\n".join(paragraphs)``.

Broken-sentence cases imitate machine translation (seed 002): a prepositional phrase
moved after a spurious full stop ("... presidency. Volodymyr Zelensky with."), a
capitalised function word mid-sentence ("expectations Their talks"), a word repeated
with and without a hyphen ("businesslike and business-like"), a sentence cut after an
article, a lower-case continuation after a spurious stop, an unbalanced quote or bracket,
and word salad.
"""

from __future__ import annotations

import random
import re
import sys
import textwrap
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cleaners.layout import LEGIT_DOUBLES  # noqa: E402

# --------------------------------------------------------------------------- vocabulary

PEOPLE = [
    "Emmanuel Macron",
    "Vladimir Putin",
    "Olaf Scholz",
    "Ursula von der Leyen",
    "Jens Stoltenberg",
    "Volodymyr Zelensky",
    "Antony Blinken",
    "Dr. Anthony Fauci",
    "Dr. Maria Gonzalez",
    "Prof. Helen Clarke",
    "J. R. Hartley",
    "George W. Bush",
    "Sen. Elizabeth Warren",
    "Gen. Mark Milley",
    "Rep. Adam Schiff",
    "Gov. Gavin Newsom",
    "Recep Tayyip Erdoğan",
    "Luiz Inácio Lula da Silva",
    "François Bayrou",
    "Jürgen Klopp",
    "Zoë Adams",
    "Mr. Peskov",
    "Ms. Ardern",
    "Sergei Lavrov",
    "Kamala Harris",
    "Christine Lagarde",
    "Pedro Sánchez",
    "Andrzej Duda",
    "Mark Rutte",
    "Jean-Yves Le Drian",
    "Dmitry Peskov",
    "A. K. Sharma",
    "T. J. Okafor",
    "Mrs. Janet Yellen",
    "Dr. Tedros Adhanom Ghebreyesus",
    "Annalena Baerbock",
    "Mette Frederiksen",
    "Søren Kierkegaard Jensen",
    "Chidi Okonkwo",
    "Aiko Tanaka",
    "Fatima Haddad",
    "Carlos Mendoza",
    "Olga Ivanova",
    "Li Wei",
    "Sofia Rossi",
    "Jonas Berg",
]
SURNAMES = [
    "Macron",
    "Putin",
    "Scholz",
    "Stoltenberg",
    "Zelensky",
    "Blinken",
    "Gonzalez",
    "Clarke",
    "Hartley",
    "Warren",
    "Milley",
    "Erdoğan",
    "Lula",
    "Klopp",
    "Adams",
    "Lavrov",
    "Harris",
    "Lagarde",
    "Sánchez",
    "Duda",
    "Rutte",
    "Sharma",
    "Okafor",
    "Yellen",
    "Baerbock",
    "Okonkwo",
    "Tanaka",
    "Haddad",
    "Mendoza",
]
ROLES = [
    "the French president",
    "Russia’s foreign minister",
    "a senior U.S. official",
    "the company’s chief executive",
    "a spokeswoman for the ministry",
    "the U.N. secretary-general",
    "a Kremlin spokesman",
    "the E.U.’s top diplomat",
    "the mayor",
    "local police",
    "a White House official",
    "the central bank governor",
    "the coach",
    "the head of the agency",
    "a government spokesman",
    "the prosecutor",
    "the defence minister",
    "an aide to the president",
    "the union’s general secretary",
    "the lead researcher",
]
PLACES = [
    "Moscow",
    "Kyiv",
    "Paris",
    "Berlin",
    "Brussels",
    "Washington",
    "Geneva",
    "São Paulo",
    "Zürich",
    "Gdańsk",
    "Bogotá",
    "Montréal",
    "St. Petersburg",
    "Kraków",
    "Reykjavík",
    "Düsseldorf",
    "New Delhi",
    "Nairobi",
    "Buenos Aires",
    "Ankara",
    "Warsaw",
    "Lagos",
    "Jakarta",
    "Toronto",
    "Málaga",
    "Tokyo",
    "Cape Town",
]
COUNTRIES = [
    "Ukraine",
    "Russia",
    "France",
    "Germany",
    "the U.S.",
    "the U.K.",
    "China",
    "Brazil",
    "Turkey",
    "Poland",
    "Japan",
    "India",
    "Kenya",
    "Mexico",
    "Canada",
    "Belarus",
    "Spain",
    "Nigeria",
    "Indonesia",
    "Côte d’Ivoire",
]
ORGS = [
    "NATO",
    "the European Union",
    "the United Nations",
    "the World Health Organization",
    "the IMF",
    "the Federal Reserve",
    "the Bank of England",
    "Acme Corp.",
    "Globex Inc.",
    "Initech Ltd.",
    "the Red Cross",
    "Amnesty International",
    "the OECD",
    "the World Bank",
    "Reuters",
    "the Associated Press",
    "the BBC",
    "Agence France-Presse",
    "the Kremlin",
    "the foreign ministry",
    "the U.S. Senate",
    "the supreme court",
]
OUTLETS = ["The Guardian", "The New York Times", "Le Monde", "Der Spiegel", "The Economist", "El País", "The Times"]
TOPICS = [
    "security guarantees",
    "the gas pipeline",
    "interest rates",
    "the budget",
    "vaccine supplies",
    "the ceasefire",
    "grain exports",
    "the peace process",
    "energy prices",
    "the trade deal",
    "climate targets",
    "the pension reform",
    "migration",
    "the election",
    "nuclear talks",
    "sanctions",
    "the merger",
    "wages",
    "the stadium project",
    "the flood defences",
]
ADJ = [
    "useful",
    "substantive",
    "constructive",
    "difficult",
    "frank",
    "productive",
    "tense",
    "cordial",
    "lengthy",
    "positive",
    "disappointing",
    "encouraging",
    "businesslike",
    "pragmatic",
    "open",
]
COMPOUND_PAIRS = [  # a word and its hyphenated twin, for the repeated-word breakage
    ("businesslike", "business-like"),
    ("worldwide", "world-wide"),
    ("nationwide", "nation-wide"),
    ("ceasefire", "cease-fire"),
    ("cooperation", "co-operation"),
    ("peacekeeping", "peace-keeping"),
    ("online", "on-line"),
    ("email", "e-mail"),
    ("policymakers", "policy-makers"),
    ("longstanding", "long-standing"),
    ("wellbeing", "well-being"),
    ("hardline", "hard-line"),
    ("lawmakers", "law-makers"),
    ("healthcare", "health-care"),
    ("stakeholders", "stake-holders"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
URLS = [
    "https://www.example.com/news/2022/02/08/talks",
    "www.gov.uk/guidance",
    "example.org",
    "https://data.example.net/report.pdf",
    "news.example.co.uk",
    "http://www.un.org/en/ga",
    "https://example.com/a/b?id=42&lang=en",
    "www.who.int",
    "archive.example.org/2021/budget.html",
]
EMAILS = [
    "press@example.org",
    "j.smith@news-agency.com",
    "tips@example.com",
    "info@ministry.example.gov",
    "m.dubois@example.fr",
    "media.office@club.example",
]
SAID = ["said", "told reporters", "added", "insisted", "noted", "argued", "confirmed", "warned", "wrote", "explained"]
QUOTES = [
    "We have agreed to talk again next week",
    "This is not the time for threats",
    "Nobody wants a war",
    "The numbers speak for themselves",
    "We will do everything to find a compromise",
    "I’m relatively optimistic, but I don’t believe in sudden miracles",
    "Our door remains open",
    "It was a frank and useful conversation",
    "We are not there yet",
    "The market has already priced this in",
    "There is no security for Europe without security for Russia",
    "We need more time",
    "Prices will keep rising until the summer",
    "The team played with real courage tonight",
    "Every vote will be counted",
    "The evidence was overwhelming",
    "We expect a decision by Friday",
    "This is a turning point for the region",
    "Nothing has been decided",
    "We can’t rule anything out",
]


def _num(rng: random.Random) -> str:
    n = rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 99999), rng.randint(100000, 999999)])
    return f"{n:,}"


def _dec(rng: random.Random) -> str:
    return rng.choice(["0", "1", "2", "3", "4", "7", "12"]) + "." + str(rng.randint(1, 99))


def _money(rng: random.Random) -> str:
    return rng.choice(["$", "€", "£", "$", "¥"]) + _dec(rng) + " " + rng.choice(["billion", "million", "trillion"])


def _date(rng: random.Random) -> str:
    return rng.choice(
        [
            f"on {rng.choice(DAYS)}",
            f"on {rng.choice(MONTHS)} {rng.randint(1, 28)}",
            f"on {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2024)}",
            f"on {rng.randint(1, 28)} {rng.choice(['January', 'February', 'March', 'October'])} {rng.randint(2015, 2024)}",
            f"on {rng.randint(2015, 2024)}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
            "last week",
            "earlier this month",
            f"at {rng.randint(1, 11)} {rng.choice(['a.m.', 'p.m.'])} {rng.choice(['local time', 'on ' + rng.choice(DAYS)])}",
            f"at {rng.randint(1, 11)}:{rng.randint(10, 59)} {rng.choice(['a.m.', 'p.m.'])}",
        ]
    )


SLOTS = {
    "PERSON": lambda r: r.choice(PEOPLE),
    "SURNAME": lambda r: r.choice(SURNAMES),
    "ROLE": lambda r: r.choice(ROLES),
    "PLACE": lambda r: r.choice(PLACES),
    "COUNTRY": lambda r: r.choice(COUNTRIES),
    "ORG": lambda r: r.choice(ORGS),
    "OUTLET": lambda r: r.choice(OUTLETS),
    "TOPIC": lambda r: r.choice(TOPICS),
    "ADJ": lambda r: r.choice(ADJ),
    "DAY": lambda r: r.choice(DAYS),
    "NUM": _num,
    "DEC": _dec,
    "MONEY": _money,
    "DATE": _date,
    "URL": lambda r: r.choice(URLS),
    "EMAIL": lambda r: r.choice(EMAILS),
    "SAID": lambda r: r.choice(SAID),
    "QUOTE": lambda r: r.choice(QUOTES),
    "YEAR": lambda r: str(r.randint(1990, 2024)),
    "COMPOUND": lambda r: r.choice(COMPOUND_PAIRS)[0],
    "PCT": lambda r: r.choice([_dec(r) + " percent", _dec(r) + "%"]),
    "SMALL": lambda r: r.choice(["two", "three", "four", "five", "six", "several", "dozens of"]),
    "ORD": lambda r: r.choice(["second", "third", "fourth", "fifth", "10th", "21st", "32nd"]),
    "SCORE": lambda r: str(r.randint(0, 5)),
    "AGE": lambda r: str(r.randint(16, 90)),
    "MINUTE": lambda r: str(r.randint(4, 90)),
    "PRICE": lambda r: str(r.randint(60, 130)),
    "BAREDATE": lambda r: r.choice(
        [
            f"{r.choice(MONTHS)} {r.randint(1, 28)}",
            r.choice(DAYS),
            f"{r.randint(1, 28)} March",
            f"{r.choice(MONTHS)} {r.randint(1, 28)}, {r.randint(2015, 2024)}",
        ]
    ),
}

# Sentence templates.  Varied on purpose: reported speech, quotes spanning sentences,
# abbreviations and initials, numbers and decimals, URLs and e-mail addresses, brackets,
# dashes, lists, and legitimately tricky English (stranded prepositions, "that that",
# "had had", titles like The Hague) that a broken-sentence detector must leave alone.
TEMPLATES = [
    "{PERSON} met {PERSON} in {PLACE} {DATE} to discuss {TOPIC}.",
    "{ROLE} {SAID} the talks with {ORG} had been {ADJ} but that no agreement was reached.",
    "According to {ORG}, more than {NUM} people were affected by the decision.",
    "The economy grew by {PCT} in the third quarter, slightly more than analysts had expected.",
    "{ORG} said it would raise its forecast to {DEC} percent after a strong first half.",
    "The deal, worth about {MONEY}, still needs approval from regulators in {COUNTRY}.",
    "{PERSON} {SAID} the government would publish the full report at {URL} later this week.",
    "Readers can send questions to {EMAIL} before the hearing {DATE}.",
    "The meeting in {PLACE} lasted more than {SMALL} hours, officials said.",
    "Officials in {COUNTRY} have denied any plans to close the border.",
    "It was not clear what the two leaders had talked about.",
    "The proposal is something both sides have argued over for years.",
    "{PERSON} said he had nothing to apologise for.",
    "Asked whether the ministry would resign, {SURNAME} said she did not want to.",
    "The allies are the partners {COUNTRY} can rely on.",
    "It is the kind of offer that investors have long waited for.",
    "Few people knew what the money would be used for.",
    "He said that that decision was final and would not be reviewed.",
    "She had had enough of the delays, she told {OUTLET}.",
    "The court in The Hague will rule on the case {DATE}.",
    "In an interview with {OUTLET}, {PERSON} described the plan as {ADJ}.",
    "The report, published by {ORG} {DATE}, found that prices rose by {PCT} over the year.",
    "{PERSON} (who chaired the meeting) declined to comment.",
    "Shares in Globex Inc. fell {DEC}% in early trading in New York.",
    "The U.S. and the U.K. issued a joint statement on {TOPIC} {DATE}.",
    "The vote was {NUM} to {NUM}, with {SMALL} abstentions.",
    "A spokesperson for {ORG} said the figures would be revised, e.g. to include late returns.",
    "Temperatures reached {DEC} degrees in {PLACE}, the highest since {YEAR}.",
    "Police said a {AGE}-year-old man had been arrested and later released on bail.",
    "The club confirmed that its coach, {PERSON}, had signed a new contract until {YEAR}.",
    "{ROLE} said the plan was “{ADJ}” and would be discussed again {DATE}.",
    "Critics say the reform goes too far; supporters say it does not go far enough.",
    "The company — which employs about {NUM} people — said it would cut costs by {MONEY}.",
    "The Moscow-backed separatists control parts of eastern Ukraine.",
    "The state-run broadcaster said the long-term plan would cost {MONEY}.",
    "A well-known economist, {PERSON}, warned that inflation could top {PCT}.",
    "Talks on {TOPIC} will resume in {PLACE} {DATE}, diplomats said.",
    "The ministry did not say how many people had been evacuated.",
    "{PERSON} arrived in {PLACE} late in the afternoon and went straight into a meeting with {ROLE}.",
    "The agency said it had received {NUM} complaints, i.e. about {PCT} of all calls.",
    "More details are available on the ministry’s website, {URL}.",
    "Some {NUM} troops remain near the border, according to satellite images.",
    "The new line will open in {YEAR} and carry up to {NUM} passengers a day.",
    "The bank kept its main rate at {DEC}%, as expected.",
    "{PERSON}, {ROLE}, said the country was ready to talk.",
    "Voters in {COUNTRY} go to the polls {DATE}.",
    "Turnout was {PCT}, down from the last election in {YEAR}.",
    "The findings were published in the journal Nature {DATE}.",
    "It is the first visit by a Western leader since the crisis began.",
    "The team won {SCORE}-{SCORE} after extra time.",
    "{PERSON} said the {COMPOUND} effort had been underestimated.",
    "Both sides described the atmosphere as {ADJ} and {ADJ}.",
    "An editorial in {OUTLET} called the decision a mistake.",
    "The fire started {DATE} and was put out within an hour.",
    "Dr. J. R. Hartley, who led the study, said the results were “very encouraging.”",
    "The U.N. says at least {NUM} people have fled since the fighting began.",
    "Prices for wheat and corn rose on {DAY}, while soybeans were flat.",
    "The strike, which began on {DAY}, has closed {SMALL} ports.",
    "Neither side has said what a compromise would look like.",
    "The minister said the measures were temporary and would be lifted by {YEAR}.",
    "Local media reported that the suspect was known to police.",
    "He was born in {PLACE} in {YEAR} and studied law in {PLACE}.",
    "The plan has the backing of {ORG} and most of the opposition.",
    "What happens next is up to the courts.",
    "The new rules apply to companies with more than {NUM} employees.",
    "Investors were also watching {TOPIC}, traders said.",
    "The statement gave no further details.",
    "The summit was the {ORD} of its kind.",
    "Inflation in the euro area eased to {PCT} in {MONTH_NAME}.",
    "He did not say who he had spoken to.",
    "This is a decision they will have to live with.",
    "The bridge, built in {YEAR}, is due to be replaced.",
    "The {COMPOUND} programme will be reviewed next year.",
    "Around {NUM} homes were left without power after the storm.",
    "The company’s profit rose to {MONEY} from {MONEY} a year earlier.",
    "Schools will reopen on {DAY} if the weather allows.",
    "The decision could be appealed, the court said.",
    "{SURNAME} is expected to travel to {PLACE} next month.",
    "The two men shook hands before the cameras but made no statement.",
    "A new poll by {ORG} puts the ruling party at {PCT}.",
    "Most of the money will go to hospitals and schools.",
    "The hearing was adjourned until {BAREDATE}.",
    "It remains unclear whether the sanctions will be lifted.",
    "Mr. Peskov said the Kremlin had not been informed.",
    "The report was compiled by researchers at {ORG}.",
    "Rescue teams worked through the night in {PLACE}.",
    "The vaccine was approved in {COUNTRY} {DATE}.",
    "The price of Brent crude rose to ${PRICE} a barrel.",
    "Students protested outside parliament for a {ORD} day.",
    "The U.S. Federal Reserve raised rates by {DEC} percentage points.",
    "She said the agency had “no evidence” of wrongdoing.",
    "Lawyers for {PERSON} said they would appeal the verdict.",
    "The goal came in the {MINUTE}th minute.",
    "The airline cancelled {NUM} flights on {DAY} because of the strike.",
    "Officials said the cause of the crash was still under investigation.",
    "The exhibition runs until {BAREDATE} at the museum in {PLACE}.",
    "The law was passed by {NUM} votes to {NUM}.",
    "eBay and Amazon both reported higher sales in the period.",
    "The ministry’s phone line (open from 9 a.m. to 5 p.m.) was overwhelmed.",
    "The project, first proposed in {YEAR}, has been delayed several times.",
    "It is a question that economists have disagreed on for decades.",
    "The rebels, whose leader was killed last year, have regrouped.",
    "That was the view of most of the experts she spoke with.",
]

QUOTE_PARAGRAPHS = [
    "“{QUOTE},” {PERSON} {SAID}.",
    "“{QUOTE}. {QUOTE},” {SURNAME} {SAID} {DATE}.",
    "{PERSON} {SAID}: “{QUOTE}.”",
    "“{QUOTE},” said {ROLE}. “{QUOTE}.”",
    "{SURNAME} told {OUTLET}: “{QUOTE}.” {TEMPLATE}",
    "{TEMPLATE} “{QUOTE},” {SURNAME} {SAID}.",
    "“{QUOTE}?” {SURNAME} asked. “{QUOTE}.”",
    "Asked about {TOPIC}, {PERSON} {SAID}: “{QUOTE} — and {QUOTE_LC}.”",
]

_SLOT = re.compile(r"\{([A-Z_]+)\}")


def fill(template: str, rng: random.Random) -> str:
    """Fill a template's slots."""

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name == "TEMPLATE":
            return fill(rng.choice(TEMPLATES), rng)
        if name == "QUOTE_LC":
            q = rng.choice(QUOTES)
            return q if q.startswith(("I ", "I’")) else q[0].lower() + q[1:]
        if name == "MONTH_NAME":
            return rng.choice(["January", "February", "March", "October"])
        return SLOTS[name](rng)

    out = re.sub(r"(?<=[A-Za-z]\.)\.(?=\s|$)", "", _SLOT.sub(one, template))  # "Acme Corp.." -> "Acme Corp."
    return out if out[1:2].isupper() else out[0].upper() + out[1:]  # "eBay" stays


def _straighten(text: str) -> str:
    return text.replace("“", '"').replace("”", '"').replace("’", "'")


def make_paragraph(rng: random.Random) -> str:
    """One clean paragraph of one to four sentences; a third use straight quotes."""
    n = rng.choice([1, 2, 2, 3, 3, 3, 4])
    parts = []
    if rng.random() < 0.35:
        parts.append(fill(rng.choice(QUOTE_PARAGRAPHS), rng))
    while len(parts) < n:
        parts.append(fill(rng.choice(TEMPLATES), rng))
    rng.shuffle(parts)
    para = " ".join(parts)
    if rng.random() < 0.33:
        para = _straighten(para)
    return unicodedata.normalize("NFC", para)


def clean_paragraphs(n: int = 800, seed: int = 3) -> list[str]:
    """``n`` distinct clean paragraphs."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen.setdefault(make_paragraph(rng), None)
    return list(seen)


def documents(paragraphs: list[str], size: int = 3000, seed: int = 5) -> list[list[str]]:
    """Group paragraphs into documents of about ``size`` characters."""
    rng = random.Random(seed)
    pool = paragraphs[:]
    docs: list[list[str]] = []
    for _ in range(len(pool)):
        doc: list[str] = []
        while sum(len(p) + 2 for p in doc) < size:
            doc.append(rng.choice(pool))
        docs.append(doc)
    return docs


# --------------------------------------------------------------------------- corruptions
# Each takes the paragraphs of a small document and an rng, and returns raw text, or None
# when the corruption does not apply (e.g. mojibake of pure ASCII text).


def _sloppy_cp1252(data: bytes) -> str:
    """Decode like a browser: cp1252, with its five undefined bytes as C1 controls."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def corrupt_mojibake(paras: list[str], rng: random.Random) -> str | None:
    text = "\n\n".join(paras)
    if text.isascii():
        return None
    how = rng.choice(["cp1252", "cp1252", "cp1252", "latin-1", "macroman", "double", "one_paragraph"])
    if how == "cp1252":
        return _sloppy_cp1252(text.encode("utf-8"))
    if how == "latin-1":
        return text.encode("utf-8").decode("latin-1")
    if how == "macroman":
        return text.encode("utf-8").decode("mac_roman")
    if how == "double":
        return _sloppy_cp1252(_sloppy_cp1252(text.encode("utf-8")).encode("utf-8"))
    i = rng.choice([k for k, p in enumerate(paras) if not p.isascii()])
    return "\n\n".join(_sloppy_cp1252(p.encode("utf-8")) if k == i else p for k, p in enumerate(paras))


_ENTITY_OF = {
    "&": ["&amp;", "&#38;"],
    "’": ["&rsquo;", "&#8217;", "&#x2019;"],
    "“": ["&ldquo;", "&#8220;"],
    "”": ["&rdquo;", "&#8221;"],
    "—": ["&mdash;", "&#8212;"],
    '"': ["&quot;", "&#34;"],
    "'": ["&#39;", "&apos;"],
    "é": ["&eacute;", "&#233;"],
    "ü": ["&uuml;"],
    "ö": ["&ouml;"],
    "ç": ["&ccedil;"],
    "ã": ["&atilde;"],
    "€": ["&euro;"],
    "£": ["&pound;"],
    "–": ["&ndash;"],
    " ": ["&nbsp;"],
}


def corrupt_entities(paras: list[str], rng: random.Random) -> str | None:
    text = "\n\n".join(paras)
    spots = [i for i, c in enumerate(text) if c in _ENTITY_OF and (c != " " or rng.random() < 0.03)]
    if not spots:
        return None
    chosen = set(rng.sample(spots, min(len(spots), rng.randint(1, 6))))
    out = []
    for i, c in enumerate(text):
        if i in chosen:
            ent = rng.choice(_ENTITY_OF[c])
            if rng.random() < 0.15:
                ent = "&amp;" + ent[1:]  # escaped twice
            out.append(ent)
        else:
            out.append(c)
    return "".join(out)


_CONTROLS = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\x7f"]
_ZERO_WIDTH = ["\u200b", "\u200b", "\u2060", "\ufeff", "\u00ad", "\u200c", "\u200d", "\u200e"]


def _sprinkle(text: str, chars: list[str], rng: random.Random, inside_words: bool) -> str:
    positions = [i for i in range(1, len(text)) if not inside_words or (text[i - 1].isalpha() and text[i].isalpha())]
    if not positions:
        return text
    chosen = sorted(rng.sample(positions, min(len(positions), rng.randint(1, 5))), reverse=True)
    for i in chosen:
        text = text[:i] + rng.choice(chars) + text[i:]
    return text


def corrupt_control(paras: list[str], rng: random.Random) -> str | None:
    return _sprinkle("\n\n".join(paras), _CONTROLS, rng, inside_words=False)


def corrupt_zero_width(paras: list[str], rng: random.Random) -> str | None:
    return _sprinkle("\n\n".join(paras), _ZERO_WIDTH, rng, inside_words=rng.random() < 0.5)


def corrupt_nfd(paras: list[str], rng: random.Random) -> str | None:
    text = "\n\n".join(paras)
    out = unicodedata.normalize("NFD", text)
    return out if out != text else None


def corrupt_whitespace(paras: list[str], rng: random.Random) -> str | None:
    """Tabs, runs of spaces, no-break spaces, trailing spaces, CRLF, extra blank lines."""
    out = []
    for p in paras:
        words = p.split(" ")
        seps = [rng.choice([" ", " ", " ", " ", "  ", "\t", "\xa0", "   ", " \u2009"]) for _ in words[1:]]
        p = words[0] + "".join(s + w for s, w in zip(seps, words[1:]))
        out.append(rng.choice(["", " ", "\t"]) + p + rng.choice(["", " ", "  "]))
    sep = rng.choice(["\n\n", "\r\n\r\n", "\n\n\n", "\n \n", "\r\n\r\n\r\n"])
    return rng.choice(["", "\n", "  \n"]) + sep.join(out) + rng.choice(["", "\n", "\r\n"])


def corrupt_paragraph_lines(paras: list[str], rng: random.Random) -> str | None:
    """One paragraph per line, no blank lines (seed 001's layout)."""
    if len(paras) < 2:
        return None
    return rng.choice(["\n", "\r\n"]).join(paras)


def _wrap(p: str, width: int) -> list[str]:
    # textwrap treats \v and \f as spaces: keep them as they are
    p = p.replace("\x0b", "\ue000").replace("\x0c", "\ue001")
    lines = textwrap.wrap(p, width=width, break_long_words=False, break_on_hyphens=True)
    return [line.replace("\ue000", "\x0b").replace("\ue001", "\x0c") for line in lines]


def corrupt_hard_wrap(paras: list[str], rng: random.Random) -> str | None:
    """Hard-wrapped at 60-80 columns, paragraphs separated by blank lines."""
    width = rng.randint(60, 80)
    return "\n\n".join("\n".join(_wrap(p, width)) for p in paras)


def _hyphenable(word: str) -> bool:
    return word.isalpha() and len(word) >= 6


def _wrap_hyphenating(p: str, width: int, rng: random.Random, rate: float) -> tuple[list[str], int]:
    """Greedy wrapping that, like a typesetter, sometimes splits a word that does not fit
    with a hyphen (at any point leaving two letters before and three after)."""
    lines: list[str] = []
    line = ""
    hyphenated = 0
    for word in p.split(" "):
        if not line:
            line = word
            continue
        if len(line) + 1 + len(word) <= width:
            line += " " + word
            continue
        core = re.match(r"[^\W\d_]+", word)
        room = width - len(line) - 2
        if core and _hyphenable(core.group(0)) and room >= 2 and rng.random() < rate:
            cut = rng.randint(2, min(room, len(core.group(0)) - 3))
            if cut >= 2:
                lines.append(line + " " + word[:cut] + "-")
                line = word[cut:]
                hyphenated += 1
                continue
        lines.append(line)
        line = word
    lines.append(line)
    return lines, hyphenated


def corrupt_hyphenation(paras: list[str], rng: random.Random) -> str | None:
    """Hard-wrapped with words hyphenated across line breaks (about one break in three)."""
    width = rng.randint(60, 80)
    wrapped = [_wrap_hyphenating(p, width, rng, 0.35) for p in paras]
    if not any(n for _, n in wrapped):
        return None
    return "\n\n".join("\n".join(lines) for lines, _ in wrapped)


_BOUNDARY = re.compile(r"(?:(?<=[.!?][”\"’)])|(?<=[.!?])) (?=[“\"]?[A-Z])")


def corrupt_missing_space(paras: list[str], rng: random.Random) -> str | None:
    """Remove the space after one or two sentence ends."""
    text = "\n\n".join(paras)
    spots = [m.start() for m in _BOUNDARY.finditer(text)]
    spots = [i for i in spots if _is_sentence_end(text, i)]
    if not spots:
        return None
    for i in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 2))), reverse=True):
        text = text[:i] + text[i + 1 :]
    return text


def _is_sentence_end(text: str, i: int) -> bool:
    """The space at ``i`` follows a real sentence end, not "Dr." or an initial."""
    token = re.split(r"\s", text[:i])[-1].rstrip('”"’)')
    core = token.rstrip(".!?")
    abbreviations = {
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "Prof",
        "Sen",
        "Gen",
        "Rep",
        "Gov",
        "St",
        "Feb",
        "Jan",
        "Aug",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Inc",
        "Corp",
        "Ltd",
        "e.g",
        "i.e",
        "No",
    }
    return not (core in abbreviations or (len(core) == 1 and core.isupper()))


FUNCTION_WORDS = ["the", "the", "the", "a", "to", "of", "in", "and", "on", "for", "with", "is", "was", "that", "it"]


def corrupt_doubled_word(paras: list[str], rng: random.Random) -> str | None:
    """Double one word (usually a function word) of one paragraph."""
    text = "\n\n".join(paras)
    words = list(re.finditer(r"(?<![\w'’.@/-])[A-Za-z]+(?![\w'’@/-]|\.\w)", text))
    function = [m for m in words if m.group(0).lower() in FUNCTION_WORDS]
    candidates = function if (function and rng.random() < 0.7) else words
    candidates = [m for m in candidates if m.group(0).lower() not in LEGIT_DOUBLES]  # "that that" is English
    if not candidates:
        return None
    m = rng.choice(candidates)
    w = m.group(0)
    return text[: m.end()] + " " + (w if rng.random() < 0.9 or not w[0].isupper() else w.lower()) + text[m.end() :]


CORRUPTIONS = {
    "mojibake": corrupt_mojibake,
    "html_entity": corrupt_entities,
    "control_char": corrupt_control,
    "zero_width": corrupt_zero_width,
    "unicode_nfd": corrupt_nfd,
    "whitespace": corrupt_whitespace,
    "paragraph_lines": corrupt_paragraph_lines,
    "hard_wrap": corrupt_hard_wrap,
    "hyphenation": corrupt_hyphenation,
    "missing_space": corrupt_missing_space,
    "doubled_word": corrupt_doubled_word,
}


def corruption_cases(paragraphs: list[str], per_kind: int = 400, seed: int = 11):
    """``(kind, clean_text, raw_text)`` triples: documents of one to three paragraphs."""
    rng = random.Random(seed)
    cases = []
    for kind, corrupt in CORRUPTIONS.items():
        made = tries = 0
        while made < per_kind and tries < per_kind * 20:
            tries += 1
            paras = rng.sample(paragraphs, rng.choice([1, 2, 2, 3]))
            raw = corrupt(paras, rng)
            if raw is None or raw == "\n\n".join(paras):
                continue
            cases.append((kind, "\n\n".join(paras), raw))
            made += 1
    return cases


def mixed_cases(paragraphs: list[str], n: int = 300, seed: int = 13):
    """Documents with one or two defects and a layout defect, applied in the order they
    happen: typos when the text is written, then the layout of the feed (wrapping), then
    encoding damage on the way (mojibake, entities, stray characters)."""
    rng = random.Random(seed)
    typo_kinds = ["doubled_word", "missing_space"]
    char_kinds = ["mojibake", "html_entity", "control_char", "zero_width"]
    layout_kinds = ["whitespace", "paragraph_lines", "hard_wrap", "hyphenation"]
    cases = []
    while len(cases) < n:
        paras = rng.sample(paragraphs, rng.choice([2, 3]))
        clean = "\n\n".join(paras)
        kinds = rng.sample(typo_kinds + char_kinds, rng.choice([1, 2]))
        for kind in kinds:
            if kind in typo_kinds:
                paras = (CORRUPTIONS[kind](paras, rng) or "\n\n".join(paras)).split("\n\n")
        layout = rng.choice(layout_kinds)
        raw = CORRUPTIONS[layout](paras, rng) or "\n\n".join(paras)
        for kind in kinds:
            if kind in char_kinds:
                raw = CORRUPTIONS[kind]([raw], rng) or raw
        if raw != clean:
            cases.append(("+".join(kinds + [layout]), clean, raw))
    return cases


# --------------------------------------------------------------------------- broken sentences

DANGLING_PREPS = ["with", "to", "from", "for", "of", "by", "at", "into", "against", "between", "during"]
_DETERMINERS = ["the", "their", "his", "its", "our", "this", "these", "her", "a"]


def break_pp_move(sentence: str, rng: random.Random) -> str | None:
    """Seed 002: "... met with the president Volodymyr Zelensky." ->
    "... met the president. Volodymyr Zelensky with." """
    words = sentence[:-1].split(" ")
    spots = [
        i
        for i, w in enumerate(words[:-1])
        if w in DANGLING_PREPS
        and 2 <= i
        and len(words) - i - 1 <= 6
        and not any(x.endswith((",", ";", ":")) for x in words[i + 1 :])
    ]
    if not spots or not sentence.endswith("."):
        return None
    i = rng.choice(spots)
    tail = words[i + 1 :]
    k = rng.randint(1, min(3, len(tail)))
    moved, kept = tail[-k:], tail[:-k]
    first = " ".join(words[:i] + kept).rstrip(",")
    moved[0] = moved[0][0].upper() + moved[0][1:]
    return first + ". " + " ".join(moved) + " " + words[i] + "."


def break_capitalised(sentence: str, rng: random.Random) -> str | None:
    """Seed 002: "dampened expectations for their talks" -> "dampened expectations Their talks"."""
    words = sentence.split(" ")
    spots = [
        i
        for i in range(2, len(words) - 1)
        if words[i] in _DETERMINERS and words[i - 1].isalpha() and words[i - 1].islower()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    words[i] = words[i][0].upper() + words[i][1:]
    if words[i - 1] in ("for", "of", "in", "on", "with", "to", "at", "from", "about") and rng.random() < 0.7 and i >= 3:
        del words[i - 1]
    return " ".join(words)


def break_hyphen_repeat(sentence: str, rng: random.Random) -> str | None:
    """Seed 002: "useful, businesslike" -> "useful, businesslike and business-like"."""
    for joined, hyphenated in COMPOUND_PAIRS:
        m = re.search(rf"\b{joined}\b", sentence)
        if m:
            a, b = (joined, hyphenated) if rng.random() < 0.7 else (hyphenated, joined)
            return sentence[: m.start()] + a + rng.choice([" and ", ", ", " or "]) + b + sentence[m.end() :]
    words = sentence.split(" ")
    spots = [i for i, w in enumerate(words) if w in ADJ]
    if not spots:
        return None
    i = rng.choice(spots)
    pair = rng.choice(
        [p for p in COMPOUND_PAIRS if p[0] in ("businesslike", "worldwide", "nationwide", "longstanding", "hardline")]
    )
    words[i] = f"{words[i]}, {pair[0]} and {pair[1]}"
    return " ".join(words)


def break_cut_article(sentence: str, rng: random.Random) -> str | None:
    """A spurious full stop after an article or conjunction: "discussed the. Security guarantees ..." """
    words = sentence.split(" ")
    spots = [i for i in range(1, len(words) - 2) if words[i] in ("the", "a", "an", "and", "or", "but", "their", "its")]
    if not spots:
        return None
    i = rng.choice(spots)
    rest = words[i + 1 :]
    rest[0] = rest[0][0].upper() + rest[0][1:]
    return " ".join(words[: i + 1]) + ". " + " ".join(rest)


def break_lowercase_stop(sentence: str, rng: random.Random) -> str | None:
    """A spurious full stop mid-sentence, continuation in lower case: "lasted. for five hours"."""
    words = sentence.split(" ")
    spots = [
        i
        for i in range(2, len(words) - 2)
        if words[i].isalpha() and words[i].islower() and words[i + 1][:1].islower() and words[i + 1].isalpha()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return " ".join(words[: i + 1]) + ". " + " ".join(words[i + 1 :])


def break_unbalanced(sentence: str, rng: random.Random) -> str | None:
    """Drop a closing quote or bracket, or add a stray opening one."""
    for close in ("”", ")"):
        if close in sentence and rng.random() < 0.8:
            i = sentence.rindex(close)
            return sentence[:i] + sentence[i + 1 :]
    words = sentence.split(" ")
    if len(words) < 4:
        return None
    i = rng.randint(1, len(words) - 2)
    words[i] = rng.choice(["“", "("]) + words[i]
    return " ".join(words)


def break_word_salad(sentence: str, rng: random.Random) -> str | None:
    """Words in random order (MT gone wrong)."""
    words = sentence.rstrip(".").split(" ")
    if len(words) < 6:
        return None
    for _ in range(5):
        shuffled = words[:]
        rng.shuffle(shuffled)
        if shuffled != words:
            break
    shuffled[0] = shuffled[0][0].upper() + shuffled[0][1:]
    return " ".join(shuffled) + "."


BREAKS = {
    "pp_move": break_pp_move,
    "capitalised_function_word": break_capitalised,
    "hyphen_repeat": break_hyphen_repeat,
    "cut_after_article": break_cut_article,
    "lowercase_after_stop": break_lowercase_stop,
    "unbalanced": break_unbalanced,
    "word_salad": break_word_salad,
}


def _sentences(paragraph: str) -> list[str]:
    """The generator's own sentence boundaries (templates never end a sentence mid-quote
    except where a quote spans sentences, which stays one unit here)."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        if _is_sentence_end(paragraph, m.start()) and _quote_closed(paragraph[start : m.start()]):
            out.append(paragraph[start : m.start()])
            start = m.end()
    out.append(paragraph[start:])
    return out


def _quote_closed(piece: str) -> bool:
    return piece.count("“") == piece.count("”") and piece.count('"') % 2 == 0


def broken_cases(paragraphs: list[str], n: int = 1200, seed: int = 17):
    """Paragraphs where one sentence unit is broken: ``(kind, text, units)`` with
    ``units`` a list of ``(start, end, is_broken)`` character spans."""
    rng = random.Random(seed)
    kinds = list(BREAKS)
    cases = []
    tries = 0
    while len(cases) < n and tries < n * 30:
        tries += 1
        kind = kinds[len(cases) % len(kinds)]
        para = rng.choice(paragraphs)
        sents = _sentences(para)
        i = rng.randrange(len(sents))
        broken = BREAKS[kind](sents[i], rng)
        if broken is None or broken == sents[i]:
            continue
        sents[i] = broken
        units, pos, parts = [], 0, []
        for k, s in enumerate(sents):
            units.append((pos, pos + len(s), k == i))
            parts.append(s)
            pos += len(s) + 1
        cases.append((kind, " ".join(parts), units))
    return cases
