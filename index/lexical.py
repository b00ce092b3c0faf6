"""German BM25: Snowball stemming and compound splitting ("Radwegenetz" -> Radweg, Netz)."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from compound_split import char_split

# bm25s sets its own logger to DEBUG, which puts its progress notes in front of every user.
logging.getLogger("bm25s").setLevel(logging.WARNING)

ANALYZER_SETTINGS = {"language": "german", "stemmer": "snowball-german", "compound_min_chars": 8, "version": 1}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Function words that carry no topic; short on purpose, BM25's idf does the rest.
_STOPWORDS = frozenset(
    """der die das den dem des ein eine einer eines einem einen und oder aber auch als am an auf aus bei
    bis da dass durch für hat haben ich im in ist mit nach nicht noch nur sich sie so um von vom vor war
    was welche welcher welches wer wie wir wird werden zu zum zur es er ihr ihre sein seine sind gibt
    the of and or to in is are what which how does do on for""".split()
)


# Words a question is asked with, among them the verbs that ask what a document says ("Fordern
# die Jusos Tempo 30?"): they say nothing about the topic, BM25 weighs the rare ones high, and a
# sentence that has them names nothing of what is asked. Dropped from queries only.
_QUESTION_WORDS = frozenset(
    """wann warum weshalb wieso wo woher wohin wem wen wieviel wieviele viele viel genau eigentlich
    konkret insgesamt gibts gab sagt sagen steht stehen laut will wollen soll sollen kann können
    muss müssen man dazu drin davon darüber dabei bitte fordert fordern schreibt schreiben meint meinen nennt
    nennen genannt erwähnt erwähnen aufgeführt verspricht versprechen beschreibt beschreiben enthält enthalten seit hoch groß lange teuer weit oft
    when why where who whom much many there say says hoeveel welke wat zijn er zegt zeggen staat""".split()
)

_SHORT_STEM = 5  # shorter stems match only at a word's start ("bus" not in "Business")
_MIN_SPELLING_CHARS = 6  # shorter words are too often one letter from another real word


def _one_deleted(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def fold(text: str) -> str:
    """Lower case without umlauts, as the Snowball stemmer writes its stems."""
    text = text.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def contains_stem(folded_text: str, stem: str) -> bool:
    """Whether the text names the stem, also inside a compound ("radverkehr" in
    "radverkehrsinfrastruktur"); a short stem only at a word's start, one of two letters
    only as a whole word ("EU")."""
    if len(stem) >= _SHORT_STEM:
        return stem in folded_text
    if len(stem) <= 2:
        return re.search(rf"(?<![^\W\d_]){re.escape(stem)}(?![^\W\d_])", folded_text) is not None
    return re.search(rf"(?<![^\W\d_]){re.escape(stem)}", folded_text) is not None


def content_words(question: str) -> list[str]:
    """The words of a question that say what it is about, in lower case: all but stop words and
    those it is asked with ("Wie hoch ist der Zuschuss?" -> ["zuschuss"]; "Seit wann?" -> [])."""
    return [w for w in _WORD.findall(question.lower()) if w not in _QUESTION_WORDS and w not in _STOPWORDS]


class GermanAnalyzer:
    def __init__(self, compound_threshold: float = 0.8) -> None:
        self.compound_threshold = compound_threshold
        self._stemmer = Stemmer.Stemmer("german")
        self._parts = lru_cache(maxsize=200_000)(self._compound_parts)

    def settings(self) -> dict[str, object]:
        return {**ANALYZER_SETTINGS, "compound_threshold": self.compound_threshold}

    def _compound_parts(self, word: str) -> tuple[str, ...]:
        if len(word) < ANALYZER_SETTINGS["compound_min_chars"]:
            return ()
        splits = char_split.split_compound(word)
        if not splits or splits[0][0] < self.compound_threshold:
            return ()
        _, head, tail = splits[0]
        return (head.lower(), tail.lower(), *self._parts(tail.lower()))

    def query_tokens(self, question: str) -> list[str]:
        """The tokens of a question without the words it is asked with."""
        return [token for stem, parts in self.query_words(question) for token in (stem, *parts)]

    def query_words(self, question: str) -> list[tuple[str, list[str]]]:
        """Each word of a question but those it is asked with, as its stem and the stems of its
        compound parts: "Radwegenetz?" -> [("radwegenetz", ["radweg", "netz"])]."""
        words = content_words(question)
        return [(self._stemmer.stemWord(w), self._stemmer.stemWords([p for p in self._parts(w) if len(p) > 2])) for w in words]

    def tokens(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]
        expanded = []
        for word in words:
            expanded.append(word)
            expanded.extend(p for p in self._parts(word) if len(p) > 2)
        return self._stemmer.stemWords(expanded)


class LexicalIndex:
    def __init__(self, analyzer: GermanAnalyzer, ids: list[str], retriever: bm25s.BM25 | None) -> None:
        self.analyzer = analyzer
        self.ids = ids
        self._position = {passage_id: i for i, passage_id in enumerate(ids)}
        self._retriever = retriever
        self._deletions: dict[str, list[str]] | None = None  # built at the first misspelt word

    @classmethod
    def build(cls, analyzer: GermanAnalyzer, ids: list[str], texts: list[str]) -> LexicalIndex:
        if not ids:
            return cls(analyzer, [], None)
        retriever = bm25s.BM25()
        retriever.index([analyzer.tokens(text) for text in texts], show_progress=False)
        return cls(analyzer, ids, retriever)

    def search(
        self, query: str, k: int, allowed: set[str] | None = None, correct_spelling: bool = False
    ) -> list[tuple[str, float]]:
        tokens = self.analyzer.query_tokens(query)
        if self._retriever is None or not tokens:
            return []
        if correct_spelling:
            tokens = [self.spelled(t) for t in tokens]
        scores = self._retriever.get_scores(tokens)
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=bool)
            mask[[self._position[i] for i in allowed if i in self._position]] = True
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:k]
        # bm25s pads with zero scores; a passage sharing no term is no hit.
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def spelled(self, token: str) -> str:
        """A word the documents never use, but one they do use with a letter left out, added
        or two letters swapped, is taken as a typo of it ("radverkhr" -> "radverkehr"); of
        several, the most frequent wins. A different letter is not corrected: too often that
        is another real word (bauland, ausland)."""
        if self._retriever is None:  # an empty library knows no spelling
            return token
        vocabulary = self._retriever.vocab_dict
        if token in vocabulary or len(token) < _MIN_SPELLING_CHARS:
            return token
        if self._deletions is None:
            deletions: dict[str, list[str]] = {}
            for term in vocabulary:
                if len(term) > _MIN_SPELLING_CHARS:
                    for variant in _one_deleted(term):
                        deletions.setdefault(variant, []).append(term)
            self._deletions = deletions  # whole, for a question asked meanwhile in another thread
        swapped = {token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(len(token) - 1)}
        candidates = {v for v in _one_deleted(token) | swapped if v in vocabulary} | set(self._deletions.get(token, ()))
        if not candidates:
            return token
        return max(sorted(candidates), key=self._passages_using)

    def document_share(self, token: str) -> float:
        """The share of passages that use the word: near 1 for "kreis" in a Kreis's own documents."""
        if self._retriever is None or token not in self._retriever.vocab_dict:
            return 0.0
        return self._passages_using(token) / len(self.ids)

    def _passages_using(self, term: str) -> int:
        postings, position = self._retriever.scores["indptr"], self._retriever.vocab_dict[term]
        return int(postings[position + 1] - postings[position])

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._retriever is not None:
            self._retriever.save(str(folder / "bm25"))
        (folder / "lexical.json").write_text(
            json.dumps({"settings": self.analyzer.settings(), "ids": self.ids}, ensure_ascii=False),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, folder: Path, analyzer: GermanAnalyzer) -> LexicalIndex | None:
        """The saved index, or None if missing or made with other German settings."""
        meta_path = folder / "lexical.json"
        if not meta_path.exists():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["settings"] != analyzer.settings():
            return None
        retriever = bm25s.BM25.load(str(folder / "bm25")) if meta["ids"] else None
        return cls(analyzer, meta["ids"], retriever)
