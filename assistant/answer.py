"""Answers built only from the documents: the sentences that answer, quoted exactly, cited."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from itertools import takewhile
from typing import Callable, Iterable, Literal

from index.lexical import GermanAnalyzer, LexicalIndex, contains_stem, fold
from index.retriever import ScoredPassage
from ingest.goals import describes_the_criterion, introduces_or_thanks
from ingest.model import SECTION_SEPARATOR, DocumentMeta, Passage, innermost_heading
from ingest.sentences import LIST_ITEM, is_caption, quotable_spans, sentence_spans

from assistant.language import frame

# Digits, or a number the way German prose writes it: "seinen zehn Städten", "dreimal so viel",
# "ab der achten Klasse" ("ersten" is too often no count: "erste Schritte")
_NUMBER = re.compile(
    r"\d|\b(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|(drei|vier|fünf|sech|sieb|acht|neun)zehn"
    r"|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|millionen?|milliarden?"
    r"|hälfte|drittel|viertel)(mal|fach\w*)?\b|\b(zwei|drit|vier|fünf|sechs|sieb|ach|neun|zehn|elf|zwölf)te[nmrs]?\b",
    re.I,
)
# "Abbildung 8", "Aspekt 14.3", "§ 78": numbers that point somewhere, not amounts or dates;
# nor are the digits of a name ("CO2", "A46", "PM10")
_REFERENCE = re.compile(
    r"\b(abbildung|abb\.|tabelle|tab\.|aspekt|kriterium|praxisbeispiel|kapitel|abschnitt|anlage|seite|nr\.)\s*[\d.]+|§+\s*[\d.]+"
    r"|(?<=[^\W\d_])\d+",
    re.I,
)
# "In welchem Jahr …?", "Was ist das Zieljahr …?" ask when, and for a year
_YEAR_QUESTION = r"(?:welche[mns]?|what|which|welk)\s+(?:jahr|year|jaar)|zieljahr\w*"
_ASKS_YEAR = re.compile(rf"\b({_YEAR_QUESTION})\b")
_ASKS_FOR_NUMBER = re.compile(
    rf"\b({_YEAR_QUESTION}|wie ?viele?|wie hoch|wie lange|wie groß|wie weit|anzahl|\w*zahl|anteil|prozent|quote|kostet|kosten|preis|betrag|summe|spart|einsparung\w*|ersparnis"
    r"|wann|seit wann|bis wann|datum|how many|how much|cost|price|share|percent|when|saves?|savings|hoeveel|kost|prijs|aandeel|bespaart|besparing\w*|wanneer)\b"
)
# Only these questions cannot be answered without a number or a date; "Wer trägt die Kosten?"
# can, and so can "Was sagt das Leitbild zu den Kosten?", but not "Was würde das kosten?".
# Those that ask for an amount are not answered by a date.
_AMOUNT_QUESTION = (
    r"wie ?viele?|wie hoch|wie groß|wie weit|wie teuer|was koste[nt]|was zahl(?:en|t)"
    r"|was (?:würden?|wird|werden|soll|sollen|könnte|dürfte)\b[^?.]*\bkosten|how many|how much|hoeveel"
)
_ASKS_AMOUNT = re.compile(rf"\b({_AMOUNT_QUESTION})\b")
_ASKS_HOW_MANY_OR_WHEN = re.compile(rf"\b({_AMOUNT_QUESTION}|{_YEAR_QUESTION}|wie lange|wann|when|wanneer)\b")


def asks_how_many_or_when(question: str) -> bool:
    """Whether the question cannot be answered without a number or a date."""
    return _ASKS_HOW_MANY_OR_WHEN.search(question.lower()) is not None

# With a question word a question asks for what the answer says in words of its own ("Woher
# bekommt der Kreis sein Geld?": "Kreisumlage"); without one ("Gibt es ein Frauenhaus?",
# "Cannabis Jusos?") it asks whether the documents speak of its subject at all.
_QUESTION_WORD = re.compile(
    r"\b(wer|wen|wem|wessen|was|wann|wo|woher|wohin|wozu|womit|wofür|wodurch|worauf|woran|worin|worüber|wovon"
    r"|wie|wieso|wieviele?|warum|weshalb|welch\w*|inwiefern|inwieweit)\b",
    re.I,
)
# Share of the passages above which a word is everywhere, naming no subject of its own.
_MOST_PASSAGES = 0.5
# A number in digits: "365", "46,55", "261.625"
_FIGURE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_MONTHS = "januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
# A year or a day: "2016", "01.08.2023", "vom 5. bis 25. Mai", "30. Juni 2023"
_DATE = re.compile(
    rf"""(?<![\d.,])(?:
        \d{{1,2}}\.\d{{1,2}}\.(?:\d{{2,4}})?                                   # 01.08.2023, 01.08.
        | \d{{1,2}}\.(?=\s*(?:bis\s+(?:zum\s+)?\d{{1,2}}\.\s*)?(?:{_MONTHS})\b)  # 5. (bis 25.) Mai
        | (?:19|20)\d\d(?![\d.,]\d)                                        # 2016, not 2.016,5
    )""",
    re.I | re.X,
)
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]?\d)")  # "2021", not "2.021" or "20215"
# A question that names a unit asks for an amount in it: "Wie viele Kilometer …?" is answered
# by "550 km", not by "21 Tage"; "Was kostet …?" by "1 €", not by "20 Stationen". An amount is
# a number, perhaps in millions, perhaps closing a bracket: "7 (bzw. 15 Millionen) Euro".
_AMOUNT = r"\d\)?\s*(?:(?:mio\.|millionen|mrd\.|milliarden|tsd\.|tausend)\)?\s*)?"
_UNITS = [  # (the question names it, an amount in it)
    (r"kilomet\w*|km", r"(?:km\b|\w*(?<!quadrat)kilomet)"),
    (r"was kostet|wie teuer|kosten|preis|(?:was|wie ?viel) zahl(?:en|t)|euro|geld|budget|cost|price|money|kost|prijs|€", r"(?:€|euro\b|eur\b)"),
    (r"prozent|percent|procent|%", r"(?:%|prozent)"),
    (r"hektar|ha", r"(?:ha\b|hektar)"),
    (r"wie groß|fläche|how large|how big|area|hoe groot|oppervlakte", r"(?:km²|km2\b|quadratkilomet|hektar|ha\b)"),
]
# A question for an amount per something is answered only by an amount per it: "Was kostet
# eine Fahrt pro halbe Stunde?" not by "ein Fahrtguthaben von 1 €", "Was zahlen Schüler
# monatlich?" not by a price with no month to it. What it is per: the word after "pro", or a
# German, English or Dutch word for a period.
_PER = re.compile(
    r"\b(?:pro|je|per)\s+(?:halbe[nr]?\s+)?([^\W\d_]+)"
    r"|\b(?:im|a|an)\s+(monat|month|jahr|year|stunde|hour)\b(?!\s*\d)"
    r"|\b(stündlich|täglich|wöchentlich|monatlich|jährlich|hourly|daily|weekly|monthly|yearly|annually|maandelijks|jaarlijks)\b"
)
_PER_WORDS = {  # an English or Dutch word, or a German adverb, for what an amount is per: the German noun
    "hour": "stunde", "hourly": "stunde", "uur": "stunde", "stündlich": "stunde",
    "day": "tag", "daily": "tag", "dag": "tag", "täglich": "tag",
    "week": "woche", "weekly": "woche", "wöchentlich": "woche",
    "month": "monat", "monthly": "monat", "maand": "monat", "maandelijks": "monat", "monatlich": "monat",
    "year": "jahr", "yearly": "jahr", "annually": "jahr", "jaar": "jahr", "jaarlijks": "jahr", "jährlich": "jahr",
    "capita": "kopf", "person": "kopf", "einwohner": "kopf",
}  # fmt: skip
_SAME_PER = {"stunde": "stunde minute", "kopf": "kopf einwohner person"}  # a text may say it in other words
# A table gives the unit of its figures in its title: "Bruttoinlandsprodukt pro Kopf (in Euro)".
_TABLE_UNIT = r"\(in\s+(?:mio\.\s*|tsd\.\s*)?"
# A line that ends in its unit, with no full stop, is a table's title: "… an allen Schulen (in Prozent)"
_TABLE_TITLE = re.compile(r"\(in\s[^()]{1,20}\)$")


@dataclass(frozen=True)
class _Unit:
    amount: re.Pattern[str]  # a number in the unit: "550 km"
    table: re.Pattern[str]  # a table title in it: "(in km)"

    def holds(self, text: str, passage: Passage, start: int) -> bool:
        """Whether the text, at start in the passage, holds an amount in the unit: beside
        it, or as a figure under a title in the same section that gives it."""
        section = passage.place(start)[0]
        return self.amount.search(text) is not None or (
            _holds_number(text) and any(passage.place(m.start())[0] == section for m in self.table.finditer(passage.text))
        )


_ASKED_UNITS = [
    (re.compile(rf"(?<!\w)(?:{asked})(?!\w)"), _Unit(re.compile(_AMOUNT + amount, re.I), re.compile(_TABLE_UNIT + amount, re.I)))
    for asked, amount in _UNITS
]
QuestionKind = Literal["fact", "topic", "compare"]
# A sentence this short says too little alone: it is quoted with the next one, and a short
# sentence after a quoted one is quoted with it ("Die Verhandlungen sind gescheitert.").
_SHORT_CHARS = 80
# A sentence opening like this continues the one before it, often with the measure or the
# outcome: "… nicht alle vorbereitet. Um diese Herausforderung zu bewältigen, wollen wir …",
# "… kostenfrei abwickeln. Von diesem Angebot machen Gebrauch: …"
_POINTS_BACK = re.compile(r"((\w+ )?dies(e[mnrs]?|bezüglich)?|daher|deshalb|dazu|hierzu|hierfür|dafür|darum|somit|damit)\b", re.I)
# In "Welche Ziele gibt es zum Thema Radverkehr?" these words name the kind of answer, not its
# subject: a topic answer should not quote a sentence for saying "Ziel" or "Thema". (A fact
# question keeps them: "Was ist das Ziel der Strategie?" asks for the goal.)
TOPIC_FRAME_WORDS = frozenset(
    """ziel ziele thema themen maßnahmen forderungen aussagen angebote projekte schwerpunkte ansätze
    geplant dokumente papiere unterlagen goals measures topic doelen maatregelen onderwerp""".split()
)
# A table of contents, run together into one "sentence" by the extraction: "Vorwort 3
# A. Handlungsprinzipien 5 I. Demokratie und Rechtmäßigkeit 5 II. …". Its entries start with
# a letter, a Roman or an Arabic number; each level holds the entries of the next.
_TOC_ENTRY = re.compile(r"(?<!\S)(?:([A-H])|([IVX]{1,5})|(\d{1,2}))\.\s+(?=[A-ZÄÖÜ])")
_ENDS_IN_PAGE = re.compile(r"\s\d{1,3}$")
_MIN_TOC_ENTRIES = 3
# A list announced by a sentence is quoted up to the length of a passage (900 cut off list items).
_MAX_LIST_CHARS = 1400
_LEADING_LINKS = re.compile(r"(?:(?:https?://|www\.)\S+\s+)+")
# A sentence leaning on its list item is quoted with it up to this length; longer "items" are
# PDF lines that ran a paragraph into the last item of a list.
_MAX_ITEM_CHARS = 700
# A sentence's cosine to the question counts twice as much as its share of the question's
# words: chosen on the evaluation (citation match and answer-key recall level off from 2 to 3).
_MEANING_WEIGHT = 2.0


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    section: str
    page: str | None
    text: str  # the quoted sentence(s), exactly as in the passage
    passage_id: str
    status: str = ""
    publisher: str = ""

    @classmethod
    def quoting(cls, n: int, passage: Passage, start: int, end: int, meta: DocumentMeta | None) -> Citation:
        """Citation n of passage.text[start:end], with the section and page that text stands in."""
        section, page = passage.place(start)
        return cls(
            n=n,
            doc_id=passage.doc_id,
            title=passage.title,
            section=section,
            page=page,
            text=passage.text[start:end],
            passage_id=passage.id,
            status=meta.status if meta else "",
            publisher=meta.publisher if meta else "",
        )


@dataclass(frozen=True)
class RetrievedPassage:
    doc_id: str
    title: str
    section: str
    page: str | None
    text: str
    score: float
    passage_id: str


@dataclass
class Answer:
    answer: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[RetrievedPassage]
    language: str
    query: str
    latency_ms: float = 0.0
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["latency_ms"] = round(self.latency_ms, 1)
        return data


@dataclass(frozen=True)
class _Sentence:
    hit: ScoredPassage
    rank: int
    start: int
    end: int
    score: float
    named: int = 0  # the question's words it names

    @property
    def text(self) -> str:
        return self.hit.passage.text[self.start : self.end]


def provenance(meta: DocumentMeta | None) -> str:
    """'Jusos-Wahlprogramm (Parteiprogramm, Jusos Kreis Heinsberg 2020)': who says it, and how binding."""
    if meta is None:
        return ""
    details = ", ".join(x for x in (meta.status, " ".join(x for x in (meta.publisher, meta.year) if x)) if x)
    return f"{meta.short_title} ({details})" if details else meta.short_title


class ExtractiveAnswerer:
    """Pick the sentences of the top passages that share the most words with the question
    and are nearest to it in meaning."""

    def __init__(
        self,
        analyzer: GermanAnalyzer,
        max_sentences: int,
        max_citations: int,
        vocabulary: Callable[[], LexicalIndex] | None = None,
    ) -> None:
        """vocabulary: the words of the index of the moment (an ingestion replaces it), to read a
        misspelt German question word as the search does ("radverkhr" -> "radverkehr") and to
        tell a word of every other passage from one that names a subject."""
        self.analyzer = analyzer
        empty = LexicalIndex(analyzer, [], None)
        self.vocabulary = vocabulary or (lambda: empty)
        self.max_sentences = max_sentences
        self.max_citations = max_citations
        self.frame_terms = frozenset(analyzer.tokens(" ".join(TOPIC_FRAME_WORDS)))

    def run(
        self,
        query: str,
        hits: list[ScoredPassage],
        language: str,
        metadata: dict[str, DocumentMeta],
        kind: QuestionKind = "fact",
        sentence_similarities: dict[str, dict[int, float]] | None = None,
    ) -> tuple[str, list[Citation]]:
        """sentence_similarities: passage id -> {sentence start: cosine to the query}.
        No citations: the passages hold no answer."""
        top = hits[: self.max_citations if kind == "fact" else 2 * self.max_citations]
        terms = self._query_terms(query, language, kind)
        candidates = self._candidates(query, terms, top, sentence_similarities or {}, kind)
        if not candidates:
            return "", []
        if kind == "fact":
            ranked = sorted(candidates, key=lambda s: -s.score)
            chosen = ranked[: self.max_sentences]
            chosen = [chosen[0]] + sorted(chosen[1:], key=lambda s: (s.rank, s.start))
            if asks_how_many_or_when(query):
                # the number may stand in a sentence sharing fewer words with the question: "Auf
                # einer Fläche von 628 Quadratkilometern …" for "Wie groß ist der Kreis Heinsberg?"
                holding = self._holding_asked_number(query, chosen + ranked[self.max_sentences :], language)
                if holding is None:
                    return "", []
                # the sentence with the number or date asked for comes first
                chosen = [holding] + [s for s in chosen if s is not holding][: self.max_sentences - 1]
            chosen = [self._in_context(s) for s in chosen]
            if language == "de" and not _QUESTION_WORD.search(query) and not self._names_the_subject(query, chosen):
                return "", []
        else:
            chosen = [self._in_context(s) for s in self._per_document(candidates)]
            # the sections the answer quotes need no table-of-contents entry pointing to them
            quoted = {(s.hit.passage.doc_id, _heading_key(innermost_heading(s.hit.passage.place(s.start)[0]))) for s in chosen}
            chosen = [part for s in chosen if (part := self._toc_part(s, terms, quoted))]
        lead_first = kind == "fact" and asks_how_many_or_when(query)  # the number or date asked for
        return self._compose(chosen, language, metadata, as_list=kind != "fact", lead_first=lead_first)

    def _toc_part(self, sentence: _Sentence, query_terms: set[str], quoted: set[tuple[str, str]]) -> _Sentence | None:
        """A table of contents in a list answer: only its entries that name the topic, each with
        the entries below it ("A. Handlungsprinzipien 5 I. … V. Nachhaltigkeit 6"), not all
        of it, and not an entry without entries below whose section the answer quotes anyway
        (doc id, _heading_key); None if no entry is left. Any other sentence as it is."""
        text = sentence.hit.passage.text
        marks, entries = _toc_entries(sentence)
        if not entries:
            return sentence
        levels = {m.start(): next(i for i, group in enumerate(m.groups()) if group) for m in marks}

        def level(i: int) -> int:
            return levels.get(entries[i][0], -1)

        def points_to_a_quoted_section(i: int) -> bool:
            has_entries_below = i + 1 < len(entries) and level(i + 1) > level(i)
            title = _ENDS_IN_PAGE.sub("", text[entries[i][0] : entries[i][1]].rstrip())
            return not has_entries_below and (sentence.hit.passage.doc_id, _heading_key(title)) in quoted

        named = [
            i
            for i, (a, b) in enumerate(entries)
            if query_terms & set(self.analyzer.tokens(text[a:b])) and not points_to_a_quoted_section(i)
        ]
        if not named:
            return None
        last = named[-1]
        while last + 1 < len(entries) and level(last + 1) > level(named[-1]):
            last += 1  # the entries below the last one named
        end = len(text[: entries[last][1]].rstrip())
        return _Sentence(sentence.hit, sentence.rank, entries[named[0]][0], end, sentence.score)

    def without_frame_words(self, text: str) -> str:
        """The text without the words that frame a topic question ("Welche Ziele gibt es zum
        Thema Sport?" -> "Welche gibt es zum Sport?"); the text if nothing else is left."""

        def frames(word: str) -> bool:  # a compound names its topic: "Klimaschutzziele" is kept
            tokens = set(self.analyzer.tokens(word))
            return bool(tokens) and tokens <= self.frame_terms

        kept = " ".join(word for word in text.split() if not frames(word))
        return kept if self.analyzer.tokens(kept) else text

    def _query_terms(self, query: str, language: str, kind: QuestionKind) -> set[str]:
        terms = set(self.analyzer.tokens(query))
        if language == "de":  # as in the search: English or Dutch words would become German ones
            terms = {self.vocabulary().spelled(term) for term in terms}
        return terms - self.frame_terms if kind != "fact" else terms

    def _holding_asked_number(self, query: str, sentences: list[_Sentence], language: str) -> _Sentence | None:
        """Asked how many or when: the first sentence that holds a number on the question's subject,
        one that names a word of the question (also inside a compound: "Museen", "musealen"), or
        an amount in the unit the question names in a passage that names such a word ("Wie viel
        Geld …?": "10.000 €"); None if no sentence does. A number on another subject
        (a ticket price beside a grant) answers nothing, and a date is no amount ("Wie viele
        Windräder …?" is not answered by "seit 2016"). A German word in most passages ("Kreis
        Heinsberg" in the Kreis's own reports) names no subject: "Wie hoch waren die Emissionen
        im Kreis Heinsberg 2021?" is not answered by a fall in per cent "im Kreis Heinsberg",
        nor by a sentence dated 2021. Nor is an amount the number the question states: "Was würde
        das 365-Euro-Ticket kosten?" is not answered by "das 365-Euro-Ticket für alle". A question
        that names a unit is answered only by an amount in it: "Wie viele Kilometer wurden beim
        Stadtradeln gesammelt?" not by "Innerhalb der 21 Tage … Kilometer gesammelt". Nor is an
        amount per something answered by one that is not per it (_PER)."""
        asking = _last_ask(query)
        units = _units_asked(asking)
        per = self._asked_per(asking, language)
        asks_amount = _ASKS_AMOUNT.search(query.lower()) is not None
        # A question for a year is answered by a year: "In welchem Jahr wurde die Kreiswerke GmbH
        # gegründet?" not by "mit … seinen zehn Städten". ("Ab wann …?" may be: "ab der achten Klasse".)
        asks_year = _ASKS_YEAR.search(asking.lower()) is not None
        stated = set(_FIGURE.findall(query)) if asks_amount else set()
        # an amount of a year the question names is given for that year: "Wie hoch waren die
        # Emissionen im Jahr 2021?" is not answered by a table of 2015 to 2018
        years = set(_YEAR.findall(query)) if asks_amount else set()
        # German only: an English or Dutch question shares with German text little but its
        # numbers and names, and no word of it is in the vocabulary.
        if language == "de":
            # the year says when, not what: "Wie hoch ist der Hebesatz 2023?"; a misspelt word
            # is read as the search reads it
            asked = _DATE.sub(" ", query.lower()) if asks_amount else query.lower()
            # the unit and what the amount is per are no subject: "Wie viele Kilometer sind beim
            # Stadtradeln zusammengekommen?" is not answered by "550 km … Radwanderwege"
            for pattern, _ in _ASKED_UNITS:
                asked = pattern.sub(" ", asked)
            asked = _PER.sub(" ", _ASKS_YEAR.sub(" ", asked))
            subject = set(self._specific(self.vocabulary().spelled(t) for t in self.analyzer.query_tokens(asked)))
        else:
            subject = set(self.analyzer.query_tokens(query))
        for sentence in sentences:
            if _toc_entries(sentence)[1]:
                continue  # its numbers are pages
            s = _with_its_figures(sentence)
            text = _DATE.sub(" ", s.text) if asks_amount else s.text
            text = _FIGURE.sub(lambda m: " " if m.group() in stated else m.group(), text)
            if not (_YEAR.search(text) if asks_year else _holds_number(text)):
                continue
            # the heading says what the figures of a table under it are: "Schulabbrecherquote"
            passage, heading = s.hit.passage, innermost_heading(s.hit.passage.place(s.start)[0])
            names = _namer(self.analyzer, f"{heading} {s.text}")
            if not all(any(map(names, stems)) for stems in per) or not years <= set(_YEAR.findall(s.text)):
                continue
            if units:
                # an amount in the unit is on the subject if its passage names it at least ("Der
                # Kreis zahlt … 200 € mehr" after "… über diese Plattform kostenfrei …"); in
                # English or Dutch the unit is all the German text could name
                passage_names = _namer(self.analyzer, f"{heading} {passage.text}")
                on_subject = language != "de" or not subject or any(map(passage_names, subject))
                answers = on_subject and any(unit.holds(text, passage, s.start) for unit in units)
            else:
                answers = any(map(names, subject))
            if answers:
                return sentence
        return None

    def _asked_per(self, question: str, language: str) -> list[list[str]]:
        """What the question asks an amount per, each as the stems a text may name it by:
        "Was kostet eine Fahrt pro halbe Stunde?" -> [["stund", "minut"]]."""
        asked = []
        for match in _PER.finditer(question.lower()):
            if language == "nl" and match.group().startswith("je"):  # Dutch "je" is "you"
                continue
            word = next(group for group in match.groups() if group)
            noun = _PER_WORDS.get(word, word)
            asked.append(self.analyzer.tokens(_SAME_PER.get(noun, noun)))
        return [stems for stems in asked if stems]

    def _names_the_subject(self, query: str, sentences: list[_Sentence]) -> bool:
        """Some sentence names a word of the question: the word itself, or a compound by all its
        parts ("Schutz der Böden" names "Bodenschutz"; "Frauen" alone does not name "Frauenhaus").
        A word in most passages ("Kreis Heinsberg") names nothing in particular."""
        names = _namer(self.analyzer, " ".join(s.text for s in sentences))
        words = {self.vocabulary().spelled(stem): parts for stem, parts in self.analyzer.query_words(query)}
        return any(names(stem) or (words[stem] and all(map(names, words[stem]))) for stem in self._specific(words))

    def _specific(self, stems: Iterable[str]) -> list[str]:
        """The stems that can name a subject: more than a letter (the "E" of "E-Autos" is in
        "E-Bikes" too) and not in most passages ("kreis" in a Kreis's own reports); all of them
        if none can ("Hat der Kreis Heinsberg einen Nachhaltigkeitsbericht?")."""
        stems = [stem for stem in stems if len(stem) > 1]
        return [stem for stem in stems if self.vocabulary().document_share(stem) <= _MOST_PASSAGES] or stems

    def _candidates(
        self,
        query: str,
        query_terms: set[str],
        hits: list[ScoredPassage],
        sentence_similarities: dict[str, dict[int, float]],
        kind: QuestionKind,
    ) -> list[_Sentence]:
        wants_number = _ASKS_FOR_NUMBER.search(query.lower()) is not None
        units = _units_asked(query)
        candidates = []
        for rank, hit in enumerate(hits):
            text = hit.passage.text
            similarities = sentence_similarities.get(hit.passage.id, {})
            for start, end in quotable_spans(text):
                section = hit.passage.place(start)[0]
                # in upper case in the text ("VIII. KLIMASCHUTZ …"), in title case as a section name
                if text[start:end].casefold() == innermost_heading(section).casefold():
                    continue  # a section's own heading names the topic but answers nothing
                # A foreword's greeting is no goal on the topic; the goal list leaves it out too. (A
                # table of contents stays: its entries that name the topic show where it is treated.)
                path = section.split(SECTION_SEPARATOR)[1:]
                if kind != "fact" and introduces_or_thanks(path):
                    continue
                if describes_the_criterion(path, text[start:end]):
                    continue  # what the report is to disclose, not what it says
                if kind == "fact":
                    named = len(query_terms & set(self.analyzer.tokens(text[start:end])))
                else:  # a topic is named inside compounds too: "Radverkehr" in "Radverkehrsinfrastruktur"
                    names = _namer(self.analyzer, text[start:end])
                    named = sum(1 for term in query_terms if names(term))
                    if not named and _is_fragment(text[start:end]):
                        continue  # a slogan ("Solide und generationengerecht") is near to any topic in meaning
                score = named / (len(query_terms) or 1) + 0.35 / (rank + 1)
                score += _MEANING_WEIGHT * similarities.get(start, 0.0)
                if wants_number and _holds_number(text[start:end]):
                    score += 0.25
                    # the number is in the unit asked for; a table title gives its unit to all
                    # its figures, and to rank by it would put the rows of other tables first
                    if units and all(unit.amount.search(text[start:end]) for unit in units):
                        score += 0.25
                candidates.append(_Sentence(hit, rank, start, end, score, named))
        # Overlapping passages hold the same sentence twice: it may take only one place.
        best: dict[str, _Sentence] = {}
        for sentence in candidates:
            if sentence.text not in best or sentence.score > best[sentence.text].score:
                best[sentence.text] = sentence
        return list(best.values())

    def _per_document(self, candidates: list[_Sentence]) -> list[_Sentence]:
        """Topic and compare questions: the best sentences of each document, documents in
        the order retrieval ranked them; a document gets a sentence for each of its passages
        among the top hits, plus one, so the one that says most is quoted most."""
        by_doc: dict[str, list[_Sentence]] = {}
        for sentence in sorted(candidates, key=lambda s: s.rank):
            by_doc.setdefault(sentence.hit.passage.doc_id, []).append(sentence)
        quoted = []
        for sentences in by_doc.values():
            passages = len({s.hit.passage.id for s in sentences})
            best = sorted(sentences, key=lambda s: -s.score)[: passages + 1]
            quoted.append(sorted(best, key=lambda s: (s.rank, s.start)))
        # A document that names the topic comes before one only near it in meaning: for "Sport",
        # the report on the Schulsportfeste before Coesfeld's goals for sustainability.
        quoted.sort(key=lambda best: not any(s.named for s in best))
        return [sentence for best in quoted for sentence in best]

    @staticmethod
    def _in_context(sentence: _Sentence) -> _Sentence:
        """A sentence inside a list item that points back is quoted from the item's start
        ("- Mobilität wird gefördert. Hierzu zählen …"): the item is one goal. A very short
        sentence is quoted together with the next one, which usually holds the facts; one that
        announces a list ("…gehören unter anderem:") with the list; and any with a following
        sentence that is short or points back to it. Never past the end of its section (the next
        heading and its text answer something else), nor past a caption, but for the source line
        of a table between its title and its figures."""
        if (table := _with_its_figures(sentence)) is not sentence:
            return table
        passage = sentence.hit.passage
        text = passage.text
        line_start = text.rfind("\n", 0, sentence.start) + 1
        in_item = LIST_ITEM.match(text, line_start) is not None
        first = sentence.start
        if in_item and _POINTS_BACK.match(text, sentence.start) and sentence.end - line_start <= _MAX_ITEM_CHARS:
            if passage.place(line_start) == passage.place(sentence.start):
                first = line_start
        # a web address before the quote's first words is the link of the sentence before it
        if (link := _LEADING_LINKS.match(text, first)) and link.end() < sentence.end:
            first = link.end()
        following = sentence_spans(text, sentence.end, passage.section_end(sentence.start))
        following = list(takewhile(lambda span: not is_caption(text[span[0] : span[1]]), following))
        end = sentence.end
        if following:
            # An intro sentence followed by list items announces them, even without a colon; an
            # item is one goal of the list, not its heading.
            introduces = not in_item and LIST_ITEM.match(text, following[0][0]) is not None
            if introduces or sentence.text.rstrip().endswith(":"):
                end = following[0][1]
                for start, item_end in following[1:]:
                    if not LIST_ITEM.match(text, start) or item_end - sentence.start > _MAX_LIST_CHARS:
                        break
                    end = item_end
            elif sentence.end - sentence.start < _SHORT_CHARS:
                end = following[0][1]
        after = next(((start, stop) for start, stop in following if start >= end), None)
        if after and not LIST_ITEM.match(text, after[0]):
            if after[1] - after[0] < _SHORT_CHARS or _POINTS_BACK.match(text, after[0]):
                end = after[1]
        if (first, end) == (sentence.start, sentence.end):
            return sentence
        return _Sentence(sentence.hit, sentence.rank, first, end, sentence.score)

    def _compose(
        self, chosen: list[_Sentence], language: str, metadata: dict[str, DocumentMeta], as_list: bool, lead_first: bool
    ) -> tuple[str, list[Citation]]:
        by_doc: dict[str, list[_Sentence]] = {}
        quoted: set[str] = set()  # the sentences quoted so far
        for sentence in _merge_adjacent(chosen, lead_first):
            unquoted = _unquoted_part(sentence, quoted)
            if unquoted is not None:
                by_doc.setdefault(unquoted.hit.passage.doc_id, []).append(unquoted)
        # Numbered as they are read: document by document, in the order of each one's best quote.
        citations: list[Citation] = []
        blocks = []
        for doc_id, sentences in by_doc.items():
            meta = metadata.get(doc_id)
            lines: list[str] = []
            sections: list[str] = []  # of this document's quotes
            for sentence in sentences:
                citation = Citation.quoting(len(citations) + 1, sentence.hit.passage, sentence.start, sentence.end, meta)
                heading = innermost_heading(citation.section)
                if as_list:
                    line = f"- {heading.rstrip(':')}: „{citation.text}“"  # "Wirtschaft:" ends in its own colon
                elif sections and citation.section != sections[-1]:
                    # the lead names the section of the document's first quote; another one says its own
                    line = f"{frame(language, 'in_section', section=heading)} „{citation.text}“"
                else:
                    line = f"„{citation.text}“"
                lines.append(f"{line} [{citation.n}]")
                sections.append(citation.section)
                citations.append(citation)
            source = provenance(meta) or sentences[0].hit.passage.title
            if as_list:
                blocks.append(frame(language, "document", source=source) + "\n" + "\n".join(lines))
            else:
                lead = frame(language, "according_to", source=source, section=innermost_heading(sections[0]))
                blocks.append(lead + "\n" + " ".join(lines))
        return "\n\n".join(blocks), citations


def _with_its_figures(sentence: _Sentence) -> _Sentence:
    """A table's title with its figures, past the source line between them: "Anteil der
    Langzeitarbeitslosen … (in Prozent) Quelle: SDG-Portal VERÄNDERUNG … 2,72"; any other
    sentence as it is."""
    passage = sentence.hit.passage
    if not _TABLE_TITLE.search(sentence.text):
        return sentence
    following = sentence_spans(passage.text, sentence.end, passage.section_end(sentence.start))
    figures = next((span for span in following if _holds_number(passage.text[span[0] : span[1]])), None)
    if figures is None or figures[1] - sentence.start > _MAX_LIST_CHARS:
        return sentence
    return _Sentence(sentence.hit, sentence.rank, sentence.start, figures[1], sentence.score)


def _toc_entries(sentence: _Sentence) -> tuple[list[re.Match[str]], list[tuple[int, int]]]:
    """The entry marks ("A.", "IV.", "3.") and the entries (start, end in the passage) of a
    sentence that is a table of contents; no entries if it is none."""
    text = sentence.hit.passage.text
    marks = list(_TOC_ENTRY.finditer(text, sentence.start, sentence.end))
    starts = [sentence.start, *(m.start() for m in marks if m.start() > sentence.start)]
    entries = list(zip(starts, [*starts[1:], sentence.end]))
    if len(marks) < _MIN_TOC_ENTRIES or not all(_ENDS_IN_PAGE.search(text[a:b].rstrip()) for a, b in entries):
        return marks, []
    return marks, entries


def _heading_key(heading: str) -> str:
    """A heading as a table of contents and the section path both write it: "XI. WOHNEN UND
    INFRASTRUKTUR" in the text, "XI. Wohnen und Infrastruktur" in the path and the contents."""
    return " ".join(heading.split()).casefold()


def _last_ask(query: str) -> str:
    """The query from its last question for a number on: a follow-up joined to the question
    before it asks in a unit of its own ("Wie viele Fahrgäste soll die Seilbahn jährlich
    befördern? Was kostet der Bau?" asks for Euro, not per year), or in that question's unit
    ("Was kostet das Jobticket? Und im Monat?")."""
    asks = list(_ASKS_HOW_MANY_OR_WHEN.finditer(query.lower()))
    return query[query.rfind("?", 0, asks[-1].start()) + 1 :] if asks else query


def _units_asked(question: str) -> list[_Unit]:
    """Each unit the question names ("Wie viele Kilometer …?": km)."""
    return [unit for asked, unit in _ASKED_UNITS if asked.search(question.lower())]


def _namer(analyzer: GermanAnalyzer, text: str) -> Callable[[str], bool]:
    """Whether the text names a stem: as one of its words or inside a compound ("radverkehr"
    in "Radverkehrsinfrastruktur")."""
    words, folded = set(analyzer.tokens(text)), fold(text)
    return lambda stem: stem in words or contains_stem(folded, stem)


def _is_fragment(text: str) -> bool:
    """A short line that is no sentence: a subtitle, a slogan, a row of figures."""
    return len(text) < _SHORT_CHARS and not text.rstrip().endswith((".", "!", "?", ":"))


def _holds_number(text: str) -> bool:
    return _NUMBER.search(_REFERENCE.sub(" ", text)) is not None


def _unquoted_part(quote: _Sentence, quoted: set[str]) -> _Sentence | None:
    """Overlapping passages hold the same sentences: the quote without those an earlier quote
    holds at its start or end ("Bis 2035 … klimaneutral sein." twice); None if nothing is
    left, or an earlier quote stands in its middle. The sentences it keeps join `quoted`."""
    text = quote.hit.passage.text
    spans = sentence_spans(text, quote.start, quote.end)
    fresh = [i for i, (start, end) in enumerate(spans) if text[start:end] not in quoted]
    if not fresh or fresh[-1] - fresh[0] + 1 != len(fresh):
        return None
    quoted.update(text[start:end] for start, end in spans[fresh[0] : fresh[-1] + 1])
    if len(fresh) == len(spans):
        return quote
    return _Sentence(quote.hit, quote.rank, spans[fresh[0]][0], spans[fresh[-1]][1], quote.score)


def _merge_adjacent(sentences: list[_Sentence], lead_first: bool) -> list[_Sentence]:
    """Sentences of one passage that overlap or touch become one quote, in the place of the
    first of them, so each quote is contiguous text and no quote repeats another's words.
    lead_first: the first sentence starts its quote; the text of another before it is quoted
    after it, up to where it begins ("Mit insgesamt 20 westBike-Stationen …" first, then how
    a bike is returned)."""
    merged: list[_Sentence] = []
    for sentence in sentences:
        start, end, place = sentence.start, sentence.end, len(merged)
        if lead_first and merged and sentence.hit is merged[0].hit and start < merged[0].start:
            end = min(end, start + len(sentence.hit.passage.text[start : merged[0].start].rstrip()))
        for i in reversed(range(len(merged))):  # backwards, so deleting keeps the lower places
            other = merged[i]
            if lead_first and i == 0 and start < other.start:
                continue
            if other.hit is sentence.hit and other.start <= end + 1 and start <= other.end + 1:
                start, end, place = min(start, other.start), max(end, other.end), i
                del merged[i]
        merged.insert(place, _Sentence(sentence.hit, sentence.rank, start, end, sentence.score))
    return merged
