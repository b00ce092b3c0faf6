"""One turn of the conversation: understand the question, retrieve, answer or abstain."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from index.lexical import content_words
from index.retriever import HybridRetriever, ScoredPassage
from ingest.model import DocumentMeta

from assistant.answer import (
    TOPIC_FRAME_WORDS,
    Answer,
    ExtractiveAnswerer,
    QuestionKind,
    RetrievedPassage,
    asks_how_many_or_when,
    provenance,
)
from assistant.language import detect_language, frame
from assistant.llm import ABSTAIN_TEXT, LLMAnswerer, LLMUnavailable
from assistant.settings import AnswerSettings

_FOLLOWUP_START = re.compile(r"^\s*(und|aber|auch|and|what about|en|und was|wie ist es mit|was ist mit)\b", re.I)
# Words pointing back to the previous turn ("Was steht dazu im Leitbild?", "Wer setzt diese Ziele
# um?"), but not a time of their own ("Was plant der Kreis dieses Jahr?")
_POINTS_BACK = re.compile(
    r"\b(dazu|dort|da|dabei|dafür|hierzu|dies|davon|darüber|daran|this|that|dat|dit|daar"
    r"|diese[rsmn]?(?!\s+(?:jahr|monat|woche|sommer|winter|frühjahr|herbst|quartal)\b))\b",
    re.I,
)
# A pronoun that may stand for what the previous turn asked about: "das" as a pronoun ("Was
# kostet das?"), not as the article before a noun ("Was sagt das Leitbild …?"); "es", but not in
# "gibt es"; "sie", but not the polite "Sie"
_PRONOUN = re.compile(
    r"(?i:\b(er|ihn|ihm|ihnen|it|they)\b)|(?i:\bdas\b)(?!\s+(?:\w+\s+)?[A-ZÄÖÜ])|(?i:(?<!gibt\s)(?<!gab\s)\bes\b)|\bsie\b"
)
_CLAUSE_START = re.compile(r",|\b(?:und|oder|aber|damit|dass|weil|wenn|ob|sodass)\b", re.I)
_NEW_TOPIC = re.compile(r"\b(thema|topic|onderwerp)\b", re.I)
# A topic after a preposition: at the end of a question ("Was sagt das Leitbild zum Radverkehr?"),
# or all a follow-up says ("Und zum Wohnen?", "Und welche zur Bildung?", but not "Und für wen gilt das?").
_TOPIC_PREPOSITION = re.compile(r"\b(?:zum|zur|zu|beim|bei|für|über)\s", re.I)
_TOPIC_ALONE = re.compile(
    rf"(?:(?:welche[mnrs]?|was(?!\s+für\b))\s+)?(?P<topic>{_TOPIC_PREPOSITION.pattern}(?!\s*(?:wen|wem|was|welch\w*)\b)[^?]{{1,60}}\??)", re.I
)
# The documents as a whole, in German, English and Dutch
_DOCUMENTS_PLURAL = "dokumente|dokumenten|papiere|papieren|unterlagen|documents|documenten"
_TOPIC = re.compile(
    # "welche Ziele", also in a compound ("welche Klimaschutzziele")
    r"\b(welche|was für|which|what|welke)\b.{0,40}(ziele?n?|maßnahmen|forderungen|aussagen|angebote|projekte|"
    r"schwerpunkte|ansätze|goals|measures|doelen|maatregelen)\b|\bthema\b|\bthemen\b|was steht .{0,60}\b(zu|zum|zur|dazu)\b"
    # what "the documents" (plural) say spans documents
    rf"|\b({_DOCUMENTS_PLURAL})\b"
    # a theme, then what is said on it: "Barrierefreiheit: welche Ziele gibt es?", "Radwege – was ist geplant?"
    r"|^[^?.:–]{3,60}\s?[–:]\s*(was|welche|what|which|wat|welke)\b",
    re.I,
)
# What a place is, said before its name: "Kreis Heinsberg", "Stadt Aachen", "des Kreises Heinsberg"
_PLACE_KINDS = ("Kreis", "Kreises", "Landkreis", "Landkreises", "Stadt", "Gemeinde", "Städteregion", "Region")
# The place of a regional publisher: "Kreis Heinsberg", "Jusos Kreis Heinsberg", "Stadt Aachen"
_PLACE = re.compile(rf"\b(?:{'|'.join(_PLACE_KINDS)})\s+([A-ZÄÖÜ][\w-]+)")
# Words that go with a document's name in a follow-up: "Und im Leitbild?", "Und laut den Jusos?"
_NAME_FILLERS = frozenset("der die das den dem des im in bei beim laut vom von zum zur the of de het van".split())
# Verbs a question asks a document with, singular and plural: after "Was fordern die Jusos für
# Schulen?", "Und das Leitbild?" is searched and shown as "Was fordert das Leitbild für Schulen?".
_PLURAL_OF = dict(
    pair.split("/")
    for pair in """sagt/sagen fordert/fordern will/wollen möchte/möchten plant/planen hat/haben schreibt/schreiben
    meint/meinen sieht/sehen verspricht/versprechen schlägt/schlagen nennt/nennen enthält/enthalten beschreibt/beschreiben
    setzt/setzen macht/machen tut/tun ist/sind kann/können soll/sollen muss/müssen wird/werden bietet/bieten
    strebt/streben unterstützt/unterstützen""".split()
)
_SINGULAR_OF = {plural: singular for singular, plural in _PLURAL_OF.items()}
# What a follow-up says besides a document's name when it asks the previous question of that
# document: "Was steht dazu im Leitbild?", "Was sagen die Jusos dazu?"
_ASKS_THE_SAME = re.compile(
    r"^\s*was\s+(?:steht|stehen|sagt|sagen|schreibt|schreiben|meint|meinen)\b|\b(?:dazu|darüber|davon|hierzu)\b", re.I
)
# Before a document's name, words that make it what a question asks about, not where to look:
# "für den Nachhaltigkeitsbericht", "Gibt es den Bericht …", "Wann wurde das Leitbild …"
_ASKED_ABOUT = re.compile(r"\b(?:für|über|gegen|um|es|wurde|wird|wurden|werden|ist|war)\s+(?:den|die|das|der|dem|einen|eine|ein)\s+$", re.I)
_PREPOSITIONS = ("im", "in", "bei", "beim", "laut", "vom", "von", "nach", "gemäß")
_ARTICLES = ("der", "die", "das", "den", "dem", "des", "the", "de", "het")  # German, English, Dutch
# "im Leitbild", "laut dem Leitbild"; an article alone stays as a pronoun: "Was sagt das (Leitbild) zu …"
_LEADING_WORDS = rf"(?:(?<!\w)(?:{'|'.join(_PREPOSITIONS)})\s+(?:(?:{'|'.join(_ARTICLES)})\s+)?)?"
# Verbs that ask what a document says; with the document in a preposition, it "steht" there.
_SAYS = frozenset(
    "sagt sagen schreibt schreiben meint meinen nennt nennen enthält enthalten beschreibt beschreiben fordert fordern "
    "verspricht versprechen".split()
)
# Where to look, not what for: "Was steht in den Dokumenten zu …?", "Was sagen die Papiere …?"
_THE_DOCUMENTS = re.compile(
    rf"\b(?:(?:in|im|aus)\s+)?(?:den\s+|die\s+|dem\s+|the\s+|de\s+)?(?:{_DOCUMENTS_PLURAL}|dokument|document)\b",
    re.I,
)
_COMPARE = re.compile(r"\b(vergleich\w*|unterschied\w*|vs\.?|versus|compare|verschil)\b", re.I)
MAX_QUESTION_CHARS = 2000
# A topic question searches each document on its own, up to this many; in a larger library a
# search per document would cost too much (500 documents: 2 s), so it diversifies the overall ranking.
MAX_COVERED_DOCUMENTS = 12
_GREETING = re.compile(
    r"^\W*(hallo|hello|hi|hey|hoi|moin|servus|guten\s+(tag|morgen|abend)|good\s+(morning|afternoon|evening)|goede(morgen|middag|dag|avond))\b[\s,.!:;-]*",
    re.I,
)
_THANKS = re.compile(r"[\s,]*\b(danke(\s+(schön|sehr))?|vielen\s+dank|thanks|thank\s+you|bedankt|dank\s+je(wel)?)\b[\s.!]*$", re.I)
# "Welche Dokumente gibt es?", "Which documents do you have?" ask of the library, not of the
# documents: a question of nothing but these words, one of them a word for documents.
_LIBRARY_NOUNS = frozenset(
    "dokument dokumente dokumenten unterlagen papiere quellen dateien documents sources files documenten bestanden".split()
)
_LIBRARY_WORDS = frozenset(
    """welche welches was für gibt es hast du habt ihr haben sie kennst kennt kennen sind ist liegen vor im in der die
    den dem index steht stehen drin verfügbar vorhanden hinterlegt eingelesen geladen da alle liste zeig zeige mir kann
    ich man durchsuchen befragen fragen nutzt nutzen verwendest verwenden greifst zurück auf
    which what do does you have are is there available loaded indexed list show me all the in can i ask search use
    welke wat zijn er heb je hebben jullie beschikbaar toon mij alle de kan ik doorzoeken""".split()
)
NOTICE_LLM_DOWN = "Das Sprachmodell ist nicht erreichbar oder antwortet nicht; hier die Antwort aus den Textstellen."
NOTICE_UNCITED = "Die Antwort des Sprachmodells war nicht belegt; hier stattdessen die Antwort aus den Textstellen."
NOTICE_REMOVED = "{n} Satz/Sätze des Sprachmodells ohne gültigen Beleg wurden entfernt."
NOTICE_NOT_INDEXED = (
    "Nicht im Index: {names}. Die Datei liegt nicht (mehr) im Dokumentordner oder ist noch nicht eingelesen."
)


def question_kind(question: str, names: set[str]) -> QuestionKind:
    """'compare' calls documents by two names ("Jusos", "Leitbild"; "Coesfeld", "Heinsberg"),
    'topic' asks for what the documents say on a theme (also a bare keyword query such as
    "Radverkehr"), everything else is a 'fact'. names: what the question calls documents."""
    if len(names) >= 2 or (_COMPARE.search(question) and names):
        return "compare"
    if _COMPARE.search(question) or _TOPIC.search(question):
        return "topic"
    if len(question.split()) <= 3 and not question.rstrip().endswith("?"):
        return "topic"
    return "fact"


def asks_for_the_library(question: str) -> bool:
    words = set(re.findall(r"\w+", question.lower()))
    return bool(words & _LIBRARY_NOUNS) and words <= _LIBRARY_NOUNS | _LIBRARY_WORDS


def cover_documents(heads: list[ScoredPassage], overall: list[ScoredPassage], top_k: int, decay: float) -> list[ScoredPassage]:
    """Each document's best passage (heads), the closest in meaning first, then the overall
    ranking: a topic or compare answer hears every document that speaks to it. A passage's
    score is weighed down by decay for each passage of its document already taken, so the
    document that says most gets more of the remaining places, but a long report not all."""
    result = sorted(heads, key=lambda h: h.dense if h.dense is not None else 0.0, reverse=True)[:top_k]
    taken = Counter(hit.passage.doc_id for hit in result)
    chosen = {hit.passage.id for hit in result}
    rest = [hit for hit in overall if hit.passage.id not in chosen]
    while rest and len(result) < top_k:
        best = max(rest, key=lambda hit: hit.score * decay ** taken[hit.passage.doc_id])  # the first of equals
        rest.remove(best)
        result.append(best)
        taken[best.passage.doc_id] += 1
    return result


@dataclass(frozen=True)
class SearchRequest:
    query: str  # the question as it stands alone, shown to the user
    search_query: str  # the query without "the documents" and the names of those it is filtered to
    # The search query as words to match: a topic question's "Ziele" or "Thema" would match
    # every passage of Coesfeld's "Strategische Ziele" better than the one on its topic.
    lexical_query: str
    named: list[str]  # ids of the indexed documents the query names
    not_indexed: list[str]  # ids of documents the query names by their entry in documents.toml, not in the index
    kind: QuestionKind
    language: str  # the language of the question itself, for the frame text of the answer
    notices: list[str]


class DocumentMentions:
    """Finds documents named in a question: by their aliases in documents.toml, or as a group
    by the place of their publisher ("Heinsberg": the documents of Kreis Heinsberg)."""

    def __init__(self, metadata: dict[str, DocumentMeta]) -> None:
        self._patterns = []
        places: dict[str, set[str]] = {}
        for doc_id, meta in metadata.items():
            own_places = _PLACE.findall(meta.publisher)
            for name in sorted({meta.short_title, *meta.aliases}, key=len, reverse=True):
                # the place's adjective is part of the name: "das Heinsberger Leitbild"
                self._patterns.append((doc_id, _name_pattern(name, after=tuple(map(_adjective, own_places)))))
            for place in own_places:
                places.setdefault(place, set()).add(doc_id)
        # a place all documents share names none of them in particular
        self._place_patterns = [
            (_name_pattern(place, _adjective(place), after=_PLACE_KINDS), ids) for place, ids in places.items() if len(ids) < len(metadata)
        ]

    def is_place(self, name: str) -> bool:
        return any(pattern.fullmatch(name) for pattern, _ in self._place_patterns)

    def find(self, text: str) -> list[str]:
        return list(self.names(text))

    def names(self, text: str) -> dict[str, str]:
        """Document id -> the name the text calls it by. A place counts unless a document of
        that place is named itself ("das Leitbild des Kreises Heinsberg" names the Leitbild)."""
        found: dict[str, str] = {}
        for doc_id, pattern in self._patterns:
            if doc_id not in found and (match := pattern.search(text)):
                found[doc_id] = match.group(0)
        for pattern, ids in self._place_patterns:
            if not ids & found.keys() and (match := pattern.search(text)):
                found.update({doc_id: match.group(0) for doc_id in sorted(ids)})
        return found

    def strip(self, text: str) -> str:
        """The text without the names of documents and places, and the preposition before them:
        "Was steht im Leitbild zur Digitalisierung?" -> "Was steht zur Digitalisierung?"."""
        for pattern in [pattern for _, pattern in self._patterns] + [pattern for pattern, _ in self._place_patterns]:
            text = re.sub(rf"{_LEADING_WORDS}{pattern.pattern}", " ", text, flags=re.I)
        return re.sub(r"\s+", " ", text).strip()

    def search_text(self, text: str) -> str:
        """What to search the documents a text names with: the text without the names that say
        where to look ("im Leitbild", "Was fordern die Jusos …"), but with places, which the
        documents speak of ("im Kreis Heinsberg"), and with a name the text asks about
        ("Ansprechpartnerin für den Nachhaltigkeitsbericht", "Gibt es den Bericht künftig?")."""
        for _, pattern in self._patterns:
            text = pattern.sub(lambda m: m.group() if _ASKED_ABOUT.search(m.string, 0, m.start()) else " ", text)
        return re.sub(r"\s+", " ", text).strip()


def _name_pattern(*names: str, after: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Any of the names as a word of its own, perhaps after one of the words `after`."""
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    before = rf"(?:(?:{'|'.join(map(re.escape, after))})\s+)?" if after else ""
    return re.compile(rf"(?<!\w){before}(?:{alternatives})(?!\w)", re.I)


def _adjective(place: str) -> str:
    """'Heinsberg' -> 'Heinsberger', as in "das Heinsberger Leitbild"."""
    return f"{place}er"


def standalone_query(question: str, history: list[str], mentions: DocumentMentions) -> str:
    """A follow-up ("Und der Nachhaltigkeitsbericht?") becomes a full search query by
    keeping the topic of the previous turn and taking the document from this one."""
    if not history:
        return question
    # A question with a subject of its own is asked anew, however short: after "Welche Ziele
    # gibt es zum Radverkehr?", "Was sagt Coesfeld zu Müll?" is about waste alone.
    is_followup = (
        _FOLLOWUP_START.match(question) is not None
        or (_points_back(question) and len(question.split()) <= 10)
        # "Seit wann?", "Was ist mit Coesfeld?", "Welche Maßnahmen werden genannt?"
        or set(content_words(mentions.strip(question))) <= TOPIC_FRAME_WORDS
    )
    if not is_followup:
        return question
    rest = _FOLLOWUP_START.sub("", question).strip()
    # the previous turn may have been a follow-up too: "Radverkehr im Leitbild?" "Und die Jusos?" "Und Coesfeld?"
    previous = standalone_query(history[-1], history[:-1], mentions)
    if mentions.find(question):
        if switched := _with_document_switched(previous, _ASKS_THE_SAME.sub(" ", rest), mentions):
            return switched
        previous_topic = mentions.strip(previous)
    elif (alone := _TOPIC_ALONE.fullmatch(rest)) and (asked := _asked_of_another_topic(previous, alone["topic"], mentions)):
        return asked
    elif _NEW_TOPIC.search(question):  # "Und beim Thema Digitales?": a new topic, the same documents
        previous_topic = " ".join(mentions.names(previous).values())
    else:
        previous_topic = previous
    return f"{previous_topic} {rest}".strip()


def _points_back(question: str) -> bool:
    """Whether the question points back to the previous turn: a pronoun may stand for a noun of
    the question in a clause before its own ("Was tut der Kreis, damit er klimaneutral wird?"),
    not for one in its own clause ("Wie viele Stationen hat es?" asks about the previous topic)."""
    if _POINTS_BACK.search(question):
        return True
    if not (pronoun := _PRONOUN.search(question)):
        return False
    before = question[1 : pronoun.start()]  # not the capital that starts the question
    clause_starts = [m.start() for m in _CLAUSE_START.finditer(before)]
    return re.search(r"\b[A-ZÄÖÜ]", before[: clause_starts[-1]] if clause_starts else "") is None


def _with_document_switched(previous: str, named: str, mentions: DocumentMentions) -> str | None:
    """The previous question asked of the document a follow-up names, if the follow-up is
    nothing but that name and the previous question named one document: after "Was sagt das
    Leitbild zum Radverkehr?", "Und der Nachhaltigkeitsbericht?" is "Was sagt der
    Nachhaltigkeitsbericht zum Radverkehr?" (a topic and a name glued together read badly
    where the query is shown). None otherwise."""
    name = named.strip(" ?!.")
    if any(word.lower() not in _NAME_FILLERS for word in mentions.strip(name).split()):
        return None  # the follow-up asks something of its own: "Und wie sieht das in Coesfeld aus?"
    previous_names = set(mentions.names(previous).values())
    if not previous_names:  # asked of all documents, now of this one
        return f"{previous.rstrip(' ?!.')} {_according_to(name, detect_language(previous))}?"
    if len(previous_names) != 1:
        return None
    (old_name,) = previous_names
    found = list(re.finditer(rf"(?<!\w)(?:(?:{'|'.join(_ARTICLES)})\s+)?{re.escape(old_name)}(?!\w)", previous, re.I))
    if len(found) != 1:
        return None
    start, end = found[0].span()
    before = previous[:start]
    old_preposition = re.search(rf"(?<!\w)(?:{'|'.join(_PREPOSITIONS)})\s+$", before, re.I)
    first, *others = name.split()
    verb = re.search(r"(\w+)(\s+)$", before)
    if first.lower() in _PREPOSITIONS:
        if old_preposition:  # "bei den Jusos" -> "im Leitbild", not "bei im Leitbild"
            before = before[: old_preposition.start()]
        elif verb and verb.group(1).lower() in _SAYS:
            # "Was sagt das Leitbild …" -> "Was steht im Nachhaltigkeitsbericht …", not "Was sagt im …"
            before = before[: verb.start()] + ("Steht" if verb.group(1)[0].isupper() else "steht") + verb.group(2)
        elif verb and verb.group(1).lower() in _PLURAL_OF.keys() | _SINGULAR_OF.keys():
            # the verb keeps a subject: "Welche Ziele hat Coesfeld …" -> "Welche Ziele hat man im
            # Nachhaltigkeitsbericht …", not "Welche Ziele hat im …"
            before = before[: verb.start()] + _verb_in_number(verb.group(1), plural=False) + " man" + verb.group(2)
    elif old_preposition:  # "Radverkehr im Leitbild?" -> "Radverkehr laut Jusos?", not "im die Jusos"
        before = before[: old_preposition.start()] + "laut "
        name = " ".join(others) if first.lower() in _ARTICLES and others else name
    elif verb and _is_plural(found[0].group()) != _is_plural(name):  # "Was fordern die Jusos" -> "Was fordert das Leitbild"
        before = before[: verb.start()] + _verb_in_number(verb.group(1), _is_plural(name)) + verb.group(2)
    return before + name + previous[end:]


def _according_to(name: str, language: str) -> str:
    """'laut dem Leitbild', 'according to the Jusos', 'volgens het Leitbild'; a name with its
    own preposition as it is ("im Leitbild")."""
    first, *others = name.split()
    if first.lower() in _PREPOSITIONS:
        return name
    if language != "de":
        return f"{'according to' if language == 'en' else 'volgens'} {name}"
    if first.lower() in _ARTICLES and others:  # "laut" takes the dative: "die Jusos" -> "den Jusos"
        first = "den" if _is_plural(name) else "der" if first.lower() == "die" else "dem"
        return f"laut {first} {' '.join(others)}"
    return f"laut {name}"


def _asked_of_another_topic(previous: str, topic: str, mentions: DocumentMentions) -> str | None:
    """The previous question with the topic it ends in replaced: after "Was sagt das Leitbild
    zum Radverkehr?", "Und zum Wohnen?" is "Was sagt das Leitbild zum Wohnen?". None if it ends
    in no topic after a preposition ("bei den Jusos" names a document, no topic)."""
    for match in _TOPIC_PREPOSITION.finditer(previous):
        if not mentions.find(previous[match.start() :]):
            return previous[: match.start()] + topic
    return None


def _is_plural(name: str) -> bool:
    """'die Jusos', 'die Grünen': a name the question treats as plural."""
    return re.fullmatch(r"(die|den)\s+.*(s|en|er)", name, re.I) is not None


def _verb_in_number(word: str, plural: bool) -> str:
    """The verb a question asks a document with, in the third person singular or plural;
    any other word as it is."""
    forms = _PLURAL_OF if plural else _SINGULAR_OF
    changed = forms.get(word.lower())
    if changed is None:
        return word
    return changed.capitalize() if word[:1].isupper() else changed


class UnknownDocuments(ValueError):
    """A search asked to keep to documents the index does not hold; the message is German."""


class Assistant:
    def __init__(
        self,
        retriever: HybridRetriever,
        answerer: ExtractiveAnswerer,
        metadata: dict[str, DocumentMeta],
        settings: AnswerSettings,
        llm: LLMAnswerer | None = None,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.metadata = metadata
        self.mentions = DocumentMentions(metadata)
        self.settings = settings
        self.llm = llm

    def understand(self, question: str, history: list[str]) -> SearchRequest:
        """What to search for: a follow-up completed from the history, the documents it names."""
        notices: list[str] = []
        query = standalone_query(question, history, self.mentions)
        if self.llm and history and query != question:
            try:
                query = self.llm.condense(question, history)
            except LLMUnavailable:
                notices.append(NOTICE_LLM_DOWN)
        names = self.mentions.names(query)
        indexed = set(self.retriever.documents())
        named = [doc_id for doc_id in names if doc_id in indexed]
        # A removed document keeps its entry in documents.toml. Named by its own name, it is
        # reported, not replaced by the others; named by its place, the others of the place answer.
        not_indexed = [doc_id for doc_id, name in names.items() if doc_id not in indexed and not self.mentions.is_place(name)]
        if not_indexed:
            shown = ", ".join(f"„{self.metadata[doc_id].short_title}“" for doc_id in not_indexed)
            notices.append(NOTICE_NOT_INDEXED.format(names=shown))
        # Once a document filters the search, its name in the query only adds noise. A place
        # stays (taking it out lowered quote recall on the evaluation, 0.866 -> 0.860), and so
        # does a name the question asks about.
        search_query = (self.mentions.search_text(query) or query) if named else query
        # Every passage is "in den Dokumenten": said, it only pulls the search to passages on documents.
        search_query = " ".join(_THE_DOCUMENTS.sub(" ", search_query).split()) or search_query
        # A follow-up asks what the question before it asked ("Und die Jusos?" a topic question
        # too), unless it asks for a number or a date: "Bis wann?" after "Welche Ziele hat
        # Coesfeld beim Klimaschutz?" asks for a year, not for the goals again.
        asked = question if not history or asks_how_many_or_when(question) else query
        kind = question_kind(asked, {name.lower() for name in names.values()})
        language = detect_language(question, detect_language(history[-1]) if history else "de")
        lexical_query = search_query if kind == "fact" else self.answerer.without_frame_words(search_query)
        return SearchRequest(query, search_query, lexical_query, named, not_indexed, kind, language, notices)

    def warm_up(self) -> None:
        """Loads what the first question would otherwise wait for, half a second: langdetect's
        language profiles and Chroma's vector indexes. It only searches: a language model would
        keep the start waiting, and a hosted one bills the question."""
        question = "Welche Ziele gibt es zum Thema Radverkehr?"
        self.retriever.per_document(question, 1, self.retriever.documents(), detect_language(question))

    def ask(self, question: str, history: list[str] | None = None, doc_ids: list[str] | None = None) -> Answer:
        for event in self.stream(question, history, doc_ids):
            if isinstance(event, Answer):
                return event
        raise AssertionError("stream() always ends with an Answer")

    def stream(
        self, question: str, history: list[str] | None = None, doc_ids: list[str] | None = None
    ) -> Iterator[str | Answer]:
        """Text as it is produced (only with a language model), then the final Answer."""
        started = time.perf_counter()
        # Another process may have finished an ingestion: answer from the newest index.
        self.retriever.index.reload()
        history = [h for h in (history or []) if h.strip()]
        question = _sanitize(question)
        # A filter on nothing would search nothing and answer "keine Aussage", which misleads.
        if doc_ids and (unknown := sorted(set(doc_ids) - set(self.retriever.documents()))):
            raise UnknownDocuments(
                f"Diese Dokumente gibt es nicht (mehr): {', '.join(unknown)}. Vorhanden sind: {', '.join(self.retriever.documents())}."
            )
        if asks_for_the_library(question):
            language = detect_language(question)
            yield Answer(self._library(language), True, [], [], language, question, _ms(started))
            return
        if not self._has_subject(question, history):
            language = detect_language(question)
            yield Answer(self._ask_for_a_subject(question, language), True, [], [], language, question, _ms(started))
            return
        request = self.understand(question, history)
        query, search_query, kind, language = request.query, request.search_query, request.kind, request.language
        notices = list(request.notices)  # the answer adds its own; the request stays as it was
        if request.not_indexed and not request.named and not doc_ids:
            yield Answer(" ".join(notices), True, [], [], "de", query, _ms(started))
            return
        filter_ids = doc_ids or request.named or None
        vector = self.retriever.embedding.get_query_embedding(search_query)
        ranked, heads = self.retrieve(request, filter_ids, vector)
        hits = ranked[:10] if kind == "fact" else cover_documents(heads, ranked, 10, self.retriever.settings.document_decay)
        retrieved = [
            RetrievedPassage(h.passage.doc_id, h.passage.title, h.passage.section, h.passage.page, h.passage.text, round(h.score, 5), h.passage.id)
            for h in hits
        ]

        def answer(text: str, abstained: bool, citations: list) -> Answer:
            return Answer(text, abstained, citations, retrieved, language, query, _ms(started), notices)

        best = max((h.dense for h in hits if h.dense is not None), default=0.0)
        if not hits or best < self.settings.abstain_below - self.settings.language_offsets.get(language, 0.0):
            yield answer(frame(language, "abstain"), True, [])
            return
        if self.llm:
            verified = None
            try:
                parts = []
                for delta in self.llm.stream(self.llm.prompt(query, hits, language, self.metadata)):
                    parts.append(delta)
                    yield delta
                verified = self.llm.verify("".join(parts), hits, self.metadata)
            except LLMUnavailable:
                notices.append(NOTICE_LLM_DOWN)
            if verified and verified.text.strip() == ABSTAIN_TEXT:
                yield answer(frame(language, "abstain"), True, [])
                return
            if verified and verified.citations:
                if verified.removed:
                    notices.append(NOTICE_REMOVED.format(n=verified.removed))
                yield answer(verified.text, False, verified.citations)
                return
            if verified:
                notices.append(NOTICE_UNCITED)
        # Only the extractive answer weighs sentences by meaning, so only it fetches their similarities.
        similarities = self.retriever.index.sentence_similarities(vector, [h.passage.id for h in hits])
        # A topic answer quotes what is said on the topic; the names of documents and places say
        # where to look: "Hochschule im Kreis Heinsberg – was planen die Jusos?" quoted sentences
        # for no more than "Kreis Heinsberg".
        topic = (self.mentions.strip(query) or query) if kind != "fact" else query
        text, citations = self.answerer.run(topic, hits, language, self.metadata, kind, similarities)
        yield answer(text, False, citations) if citations else answer(frame(language, "abstain"), True, [])

    def retrieve(
        self, request: SearchRequest, filter_ids: list[str] | None, vector: list[float]
    ) -> tuple[list[ScoredPassage], list[ScoredPassage]]:
        """The passages ranked for the request, and for a topic or compare question the best
        passage of each document searched (heads; none for a fact question)."""
        query, language = request.lexical_query, request.language
        ranked = self.retriever.run(query, 10 if request.kind == "fact" else 30, filter_ids, language, vector)
        if request.kind == "fact":
            return ranked, []
        documents = filter_ids or self.retriever.documents()
        if len(documents) <= MAX_COVERED_DOCUMENTS:
            return ranked, [best for best, *_ in self.retriever.per_document(query, 1, documents, language, vector).values()]
        # a search per document would cost too much: their best among the overall candidates
        first_by_document: dict[str, ScoredPassage] = {}
        for hit in ranked:
            first_by_document.setdefault(hit.passage.doc_id, hit)
        return ranked, list(first_by_document.values())

    def _has_subject(self, question: str, history: list[str]) -> bool:
        """Something to search for: not "", "???" or "🚲🙂", more than the name of a document
        ("Coesfeld?" quoted its imprint) or the kind of answer ("Welche Ziele gibt es?" quoted
        an imprint too), and "Was ist das?" only as a follow-up. The nearest passages would
        answer those at random. A number or date asked of a place asks about the place: "Wie
        groß ist der Kreis Heinsberg?"."""
        if history:
            return re.search(r"[^\W_]", question) is not None
        analyzer = self.answerer.analyzer
        names = self.mentions.names(question)
        if asks_how_many_or_when(question) and any(map(self.mentions.is_place, names.values())):
            return True
        named = set(analyzer.tokens(" ".join(names.values())))
        return bool(set(analyzer.query_tokens(question)) - named - self.answerer.frame_terms)

    def _library(self, language: str) -> str:
        """The indexed documents, each by the name a question calls it and its full title."""
        titles = {p.doc_id: p.title for p in self.retriever.index.passages().values()}
        if not titles:
            return frame(language, "empty_library")
        lines = []
        for doc_id, title in titles.items():
            meta = self.metadata.get(doc_id)
            named = provenance(meta) or title
            lines.append(f"- {named}: {meta.title}" if meta and meta.title != meta.short_title else f"- {named}")
        return "\n".join([frame(language, "library", n=str(len(lines))), *sorted(lines, key=str.casefold)])

    def _ask_for_a_subject(self, question: str, language: str) -> str:
        names = self.mentions.names(question)
        if not names:
            return frame(language, "ask_for_the_topic" if content_words(question) else "ask_for_a_question")
        documents = "; ".join(provenance(self.metadata.get(doc_id)) or doc_id for doc_id in names)
        return frame(language, "ask_for_a_topic", documents=documents, name=next(iter(names.values())))


def _sanitize(question: str) -> str:
    """The question without control characters, and without a greeting or thanks around it:
    "Guten Tag, was sagt das Leitbild zum Radverkehr?" searched "Tag" too and quoted taglines."""
    question = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", question)
    if greeting := _GREETING.match(question):  # the question now opens the sentence: "Was sagt …"
        question = question[greeting.end() :][:1].upper() + question[greeting.end() + 1 :]
    question = _THANKS.sub("", question)
    return re.sub(r"\s+", " ", question).strip()[:MAX_QUESTION_CHARS]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
