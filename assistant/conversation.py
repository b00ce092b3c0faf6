"""One turn of the conversation: understand the question, retrieve, answer or abstain."""

from __future__ import annotations

import re
import time

from index.retriever import HybridRetriever
from ingest.model import DocumentMeta

from assistant.answer import Answer, ExtractiveAnswerer, RetrievedPassage
from assistant.language import detect_language, frame
from assistant.settings import AnswerSettings

_FOLLOWUP_START = re.compile(r"^\s*(und|aber|auch|and|what about|en|und was|wie ist es mit)\b", re.I)
_PRONOUN = re.compile(r"\b(das|dazu|dort|dies|diese[rsm]?|davon|darüber|daran|it|this|that|they|dat|dit|daar)\b", re.I)
MAX_QUESTION_CHARS = 2000


class DocumentMentions:
    """Finds documents named in a question through their aliases in documents.toml."""

    def __init__(self, metadata: dict[str, DocumentMeta]) -> None:
        self._patterns = []
        for doc_id, meta in metadata.items():
            names = {meta.short_title, *meta.aliases}
            for name in sorted(names, key=len, reverse=True):
                self._patterns.append((doc_id, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I)))

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        for doc_id, pattern in self._patterns:
            if doc_id not in found and pattern.search(text):
                found.append(doc_id)
        return found

    def strip(self, text: str) -> str:
        for _, pattern in self._patterns:
            text = pattern.sub(" ", text)
        return re.sub(r"\s+", " ", text).strip()


def standalone_query(question: str, history: list[str], mentions: DocumentMentions) -> str:
    """A follow-up ("Und der Nachhaltigkeitsbericht?") becomes a full search query by
    keeping the topic of the previous turn and taking the document from this one."""
    if not history:
        return question
    words = question.split()
    topic_words = mentions.strip(question).split()
    is_followup = (
        len(words) <= 6
        or _FOLLOWUP_START.match(question) is not None
        or (_PRONOUN.search(question) is not None and len(words) <= 10)
        or len(topic_words) <= 2
    )
    if not is_followup:
        return question
    previous_topic = mentions.strip(history[-1]) if mentions.find(question) else history[-1]
    rest = _FOLLOWUP_START.sub("", question).strip()
    return f"{previous_topic} {rest}".strip()


class Assistant:
    def __init__(
        self,
        retriever: HybridRetriever,
        answerer: ExtractiveAnswerer,
        metadata: dict[str, DocumentMeta],
        settings: AnswerSettings,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.metadata = metadata
        self.mentions = DocumentMentions(metadata)
        self.settings = settings

    def ask(self, question: str, history: list[str] | None = None, doc_ids: list[str] | None = None) -> Answer:
        started = time.perf_counter()
        history = [h for h in (history or []) if h.strip()]
        question = _sanitize(question)
        language = detect_language(question)
        if not question:
            return Answer("Bitte eine Frage eingeben.", True, [], [], language, "", _ms(started))
        query = standalone_query(question, history, self.mentions)
        named = self.mentions.find(query)
        filter_ids = doc_ids or named or None
        # Once a document filters the search, its name in the query only adds noise.
        search_query = (self.mentions.strip(query) or query) if named else query
        hits = self.retriever.run(search_query, top_k=10, doc_ids=filter_ids)
        retrieved = [
            RetrievedPassage(h.passage.doc_id, h.passage.title, h.passage.section, h.passage.page, h.passage.text, round(h.score, 5), h.passage.id)
            for h in hits
        ]
        best = max((h.dense for h in hits if h.dense is not None), default=0.0)
        if not hits or best < self.settings.abstain_below:
            return Answer(frame(language, "abstain"), True, [], retrieved, language, query, _ms(started))
        text, citations = self.answerer.run(query, hits, language, self.metadata)
        return Answer(text, False, citations, retrieved, language, query, _ms(started))


def _sanitize(question: str) -> str:
    question = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", question)
    return re.sub(r"\s+", " ", question).strip()[:MAX_QUESTION_CHARS]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
