"""Which goals of which documents cover a topic: the goal finder, the topic matrix, exports.

A topic is searched with the hybrid retriever in every document separately (so a short
programme is not crowded out by a long report); the goal units (ingest.goals) inside the
passages found are then scored by how much of the topic they name themselves. The
retriever brings the candidates and the meaning; the words decide what is shown.
"""

from __future__ import annotations

import csv
import io
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from compound_split import char_split

from index.lexical import GermanAnalyzer, contains_stem, fold
from index.retriever import HybridRetriever
from index.store import PassageIndex
from ingest.goals import Goal, extract_goals
from ingest.model import DocumentMeta

# Topic -> the words that name it; a goal covers the topic if it names any of them.
# Meant to move into the settings; keep it a plain mapping of strings.
DEFAULT_TOPICS: dict[str, tuple[str, ...]] = {
    "Mobilität": ("Mobilität", "Verkehr", "ÖPNV", "Nahverkehr", "Radverkehr", "Radweg", "Bus", "Bahn"),
    "Wohnen": ("Wohnen", "Wohnraum", "Wohnungsbau", "Wohnquartier"),
    "Klima und Energie": ("Klimaschutz", "Klima", "Energie", "Treibhausgas", "Photovoltaik", "Windkraft"),
    "Umwelt": ("Umwelt", "Naturschutz", "Biodiversität", "Ressourcenschutz", "Gewässer", "Abfall"),
    "Bildung": ("Bildung", "Schule", "Ausbildung", "Weiterbildung", "Kita", "Volkshochschule"),
    "Digitalisierung": ("Digitalisierung", "digital", "Breitband", "online", "E-Government"),
    "Gesundheit und Pflege": ("Gesundheit", "Pflege", "medizinische Versorgung", "Krankenhaus", "Prävention"),
    "Wirtschaft und Arbeit": ("Wirtschaft", "Arbeitsplätze", "Arbeitsmarkt", "Unternehmen", "Fachkräfte"),
    "Soziales und Teilhabe": ("Teilhabe", "Inklusion", "Integration", "Armut", "soziale Gerechtigkeit", "Barrierefreiheit"),
    "Jugend": ("Jugend", "Jugendliche", "junge Menschen", "Kinder", "Jugendbeteiligung"),
    "Senioren": ("Senioren", "ältere Menschen", "ältere Generation", "Pflegebedürftige", "demografischer Wandel"),
    "Kultur und Tourismus": ("Kultur", "Tourismus", "Museum", "Heimat", "Freizeit"),
    "Finanzen": ("Finanzen", "Haushalt", "Verschuldung", "Finanzierung", "Kreisumlage"),
    "Sicherheit": ("Sicherheit", "Ordnung", "Katastrophenschutz", "Rettungsdienst", "Feuerwehr", "Krisenmanagement"),
    "Europa und Partnerschaften": ("Europa", "Euregio", "Niederlande", "grenzüberschreitend", "Partnerschaft", "interkommunale Zusammenarbeit"),
}

HITS_PER_DOCUMENT = 12
# A goal is shown from this relevance on (0..1); the matrix counts goals from COVERS on.
MIN_RELEVANCE = 0.35
COVERS = 0.5
# The words decide; the retriever's similarity orders goals that name the topic equally.
TERM_WEIGHT = 0.7
LABEL_ONLY = 0.6  # a goal in a section named after the topic, not naming it itself
COMPOUND_PART = 0.7  # a goal naming only the first part of a compound topic ("Rad" of "Radverkehr")
_WORDS = re.compile(r"[^\W_]+")
_COMPOUND_MIN_CHARS = 8
_COMPOUND_MAX_SHARE = 0.03  # a first part named by more goals than this is too general
_COMPOUND_MIN_SCORE = 0.3  # CharSplit's confidence; "Rad|verkehr" scores 0.76, "Digital|isierung" below 0


@dataclass(frozen=True)
class GoalMatch:
    goal: Goal
    document: str  # the document's short title
    relevance: float  # 0..1
    passage_id: str  # the passage the retriever found it in


@dataclass(frozen=True)
class TopicMatrix:
    topics: list[str]
    doc_ids: list[str]
    documents: list[str]  # short titles, in doc_ids order
    counts: list[list[int]]  # [topic][document]: goals covering the topic
    strength: list[list[float]]  # [topic][document]: sum of their relevance


def topic_terms(topic: str, topics: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """A known topic stands for its words; anything typed stands for itself."""
    topics = DEFAULT_TOPICS if topics is None else topics
    for name, terms in topics.items():
        if name.casefold() == topic.strip().casefold():
            return terms
    return (topic.strip(),)


class GoalFinder:
    def __init__(
        self,
        index: PassageIndex,
        retriever: HybridRetriever,
        analyzer: GermanAnalyzer,
        metadata: dict[str, DocumentMeta] | None = None,
        topics: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        """topics: the named topics (settings), each standing for its words."""
        self.index = index
        self.retriever = retriever
        self.analyzer = analyzer
        self.metadata = metadata or {}
        self.topics = DEFAULT_TOPICS if topics is None else topics
        self._lock = threading.Lock()
        self._generation: object = None
        self._goals: list[Goal] = []
        self._by_passage: dict[str, list[Goal]] = {}
        self._folded: dict[str, tuple[str, str]] = {}
        self._idf: dict[str, float] = {}
        self._default_idf = 1.0
        self._titles: dict[str, str] = {}  # doc_id -> title of its passages

    # -- the goals of the current index ------------------------------------------------
    def goals(self) -> list[Goal]:
        """Goal units of the indexed passages, recomputed when the index changes."""
        with self._lock:
            passages = self.index.passages()
            key = (self.index.generation, len(passages))
            if key != self._generation:
                goals = extract_goals(passages.values())
                by_passage: dict[str, list[Goal]] = {}
                for goal in goals:
                    for passage_id in goal.passage_ids:
                        by_passage.setdefault(passage_id, []).append(goal)
                folded = {g.id: (fold(g.text), fold(g.label)) for g in goals}
                stems = Counter(s for g in goals for s in set(self.analyzer.tokens(g.text)))
                self._idf = {s: math.log(1 + len(goals) / n) for s, n in stems.items()}
                self._goals, self._by_passage, self._folded = goals, by_passage, folded
                self._titles = {p.doc_id: p.title for p in passages.values()}
                self._default_idf = math.log(1 + len(goals))
                self._generation = key
            return self._goals

    def document_ids(self) -> list[str]:
        return self.retriever.documents()

    def short_title(self, doc_id: str) -> str:
        meta = self.metadata.get(doc_id)
        if meta:
            return meta.short_title
        self.goals()
        return self._titles.get(doc_id, doc_id)

    # -- finding ------------------------------------------------------------------------
    def find(
        self,
        topic: str,
        doc_ids: list[str] | None = None,
        topics: dict[str, tuple[str, ...]] | None = None,
    ) -> list[GoalMatch]:
        """Goals covering the topic, grouped by document (best document first), best goal first."""
        topic = topic.strip()
        if not topic:
            return []
        self.goals()
        terms = topic_terms(topic, self.topics if topics is None else topics)
        query = " ".join(terms)
        # A known topic lists its own words; only a typed one is widened to compound parts.
        typed = terms == (topic,)
        patterns = [pattern for term in terms for pattern in self._patterns(term, typed)]
        by_doc: dict[str, list[GoalMatch]] = {}
        candidates: list[tuple[Goal, str, float]] = []
        for hits in self.retriever.per_document(query, HITS_PER_DOCUMENT, doc_ids or self.document_ids()).values():
            for hit in hits:
                for goal in self._by_passage.get(hit.passage.id, ()):
                    candidates.append((goal, hit.passage.id, hit.dense if hit.dense is not None else 0.0))
        if not candidates:
            return []
        similarities = [c[2] for c in candidates]
        low, high = min(similarities), max(similarities)
        seen: set[str] = set()
        for goal, passage_id, similarity in candidates:
            if goal.id in seen:
                continue
            seen.add(goal.id)
            meaning = (similarity - low) / (high - low) if high > low else 1.0
            words = self._term_score(goal, patterns)
            relevance = TERM_WEIGHT * words + (1 - TERM_WEIGHT) * meaning
            # A passage close in meaning holds many goals; only those naming the topic count.
            if words == 0 or relevance < MIN_RELEVANCE:
                continue
            by_doc.setdefault(goal.doc_id, []).append(
                GoalMatch(goal, self.short_title(goal.doc_id), round(relevance, 3), passage_id)
            )
        groups = [sorted(matches, key=lambda m: (-m.relevance, m.goal.id)) for matches in by_doc.values()]
        groups.sort(key=lambda g: (-sum(m.relevance for m in g[:5]), g[0].document))
        return [match for group in groups for match in group]

    def compare(self, topic: str, doc_a: str, doc_b: str) -> tuple[list[GoalMatch], list[GoalMatch]]:
        matches = self.find(topic, [doc_a, doc_b])
        return [m for m in matches if m.goal.doc_id == doc_a], [m for m in matches if m.goal.doc_id == doc_b]

    def matrix(
        self,
        topics: dict[str, tuple[str, ...]] | None = None,
        doc_ids: list[str] | None = None,
        on_topic: Callable[[int, int, str], None] | None = None,
    ) -> TopicMatrix:
        topics = self.topics if topics is None else topics
        doc_ids = doc_ids or self.document_ids()
        counts, strength = [], []
        for number, name in enumerate(topics):
            if on_topic:
                on_topic(number, len(topics), name)
            covering = [m for m in self.find(name, doc_ids, topics) if m.relevance >= COVERS]
            counts.append([sum(1 for m in covering if m.goal.doc_id == d) for d in doc_ids])
            strength.append([round(sum(m.relevance for m in covering if m.goal.doc_id == d), 2) for d in doc_ids])
        return TopicMatrix(list(topics), doc_ids, [self.short_title(d) for d in doc_ids], counts, strength)

    # -- scoring ------------------------------------------------------------------------
    def _patterns(self, term: str, compound_parts: bool = True) -> list[list[_Word]]:
        """A term as its words; a compound word also stands for its first part, at a lower
        factor: "Radverkehr" finds "Radwegenetz" through "Rad"."""
        words = []
        for word in _WORDS.findall(term):
            stems = self.analyzer.tokens(word)
            if not stems or len(stems[0]) < 2:
                continue  # a function word ("für", "der") or a letter ("E" of "E-Government")
            first = self._first_part(word, stems) if compound_parts else None
            words.append(_Word(stems[0], self._idf.get(stems[0], self._default_idf), first))
        return [words] if words else []

    def _first_part(self, word: str, stems: list[str]) -> str | None:
        """The first part of a compound if it is a word of the documents that is not
        everywhere ("Rad" of "Radverkehr"; not "Kreis" of "Kreisumlage")."""
        first = stems[1] if len(stems) > 1 else None
        if first is None and len(word) >= _COMPOUND_MIN_CHARS:
            splits = char_split.split_compound(word)
            if splits and splits[0][0] >= _COMPOUND_MIN_SCORE:
                first = next(iter(self.analyzer.tokens(splits[0][1])), None)
        if not first or len(first) < 3 or first == stems[0] or first not in self._idf:
            return None
        if not self.analyzer.tokens(first):
            return None  # "aus" of "Ausbildung" is a function word
        return first if self._share(first) <= _COMPOUND_MAX_SHARE else None

    def _share(self, stem: str) -> float:
        """The share of goals naming the stem (from its idf)."""
        idf = self._idf.get(stem)
        return 0.0 if idf is None else 1 / (math.exp(idf) - 1) if idf > 0 else 1.0

    def _term_score(self, goal: Goal, patterns: list[list[_Word]]) -> float:
        """The best share (idf-weighted) of a term's words that the goal names; German
        compounds count: "radverkehr" lies in "Radverkehrsinfrastruktur"."""
        text, label = self._folded[goal.id]
        best = 0.0
        for words in patterns:
            total = sum(w.weight for w in words)
            in_text = sum(w.weight * w.found_in(text) for w in words)
            in_label = sum(w.weight * w.found_in(label) for w in words)
            best = max(best, in_text / total, LABEL_ONLY * in_label / total)
        return best


@dataclass(frozen=True)
class _Word:
    stem: str
    weight: float  # idf: rare words decide more
    first_part: str | None  # of a compound, matched at a word's start only

    def found_in(self, folded_text: str) -> float:
        if contains_stem(folded_text, self.stem):
            return 1.0
        if self.first_part and re.search(rf"(?<![^\W\d_]){re.escape(self.first_part)}", folded_text):
            return COMPOUND_PART
        return 0.0


# -- exports ---------------------------------------------------------------------------
EXPORT_COLUMNS = ["Dokument", "Ziel / Abschnitt", "Art", "Aussage", "Beleg", "Seite", "Relevanz"]


def citation(match: GoalMatch) -> str:
    """'Coesfeld › X. Mobilität und Verkehr, S. 15 [coesfeld-strategische-ziele-2025#0049]'"""
    page = f", S. {match.goal.page}" if match.goal.page else ""
    return f"{match.goal.section}{page} [{match.passage_id}]"


def rows(matches: Iterable[GoalMatch]) -> list[list[str | int]]:
    return [
        [
            m.document,
            m.goal.label or "–",
            m.goal.kind_label,
            m.goal.text,
            citation(m),
            m.goal.page or "",
            round(m.relevance * 100),
        ]
        for m in matches
    ]


def to_csv(matches: Iterable[GoalMatch]) -> str:
    """CSV for spreadsheets: semicolon-separated as German Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows(matches):
        writer.writerow([_defuse(str(value)) for value in row])
    return buffer.getvalue()


def to_markdown(topic: str, matches: list[GoalMatch]) -> str:
    lines = [f"# Ziele zum Thema „{_md(topic)}“", ""]
    if not matches:
        lines.append("In den Dokumenten wurden keine Ziele zu diesem Thema gefunden.")
        return "\n".join(lines) + "\n"
    document = None
    for row, match in zip(rows(matches), matches):
        if match.document != document:
            document = match.document
            lines += ["", f"## {_md(document)}", "", "| Ziel / Abschnitt | Art | Aussage | Beleg | Relevanz |", "|---|---|---|---|---|"]
        lines.append(f"| {_md(row[1])} | {_md(row[2])} | {_md(row[3])} | {_md(row[4])} | {row[6]} % |")
    return "\n".join(lines).lstrip("\n").replace("\n\n\n", "\n\n") + "\n"


def _md(value: object) -> str:
    """Document text inside a Markdown table: no cell breaks, no markup, no HTML."""
    text = str(value).replace("\n", " ")
    text = re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", text)
    return text


def _defuse(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; document text must not."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
