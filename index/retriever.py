"""Hybrid retrieval: three rankings fused by weighted reciprocal rank: passages by their e5
vector, passages by their best sentence's e5 vector, and passages by German BM25."""

from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import BaseModel, Field

from index.store import PassageIndex
from ingest.model import Passage


_FOREIGN_LEXICAL_SHARE = 0.25


class RetrievalSettings(BaseModel):
    """Fusion weights and depths; chosen on the evaluation with `python -m eval.tune`."""

    candidates: int = Field(50, ge=10, le=500)
    rrf_k: int = Field(20, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    lexical_weight: float = Field(0.5, ge=0)
    sentence_weight: float = Field(1.0, ge=0)
    # Topic and compare answers: after each document's best passage, a further passage of a
    # document counts this much less for each one of it already taken (1: none less).
    document_decay: float = Field(0.85, gt=0, le=1)


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float  # fused
    dense: float | None  # cosine similarity, None if not among the dense candidates
    lexical: float | None  # BM25 score


@dataclass(frozen=True)
class Rankings:
    """A query's candidates, each list (passage id, its own score) best first."""

    dense: list[tuple[str, float]]  # cosine of the passage
    sentence: list[tuple[str, float]]  # cosine of its best sentence
    lexical: list[tuple[str, float]]  # BM25


def fuse(rankings: Rankings, settings: RetrievalSettings, language: str) -> dict[str, float]:
    """Weighted reciprocal rank fusion of the three rankings."""
    # German BM25 cannot match English or Dutch words: there it adds mostly noise.
    lexical_weight = settings.lexical_weight * (1.0 if language == "de" else _FOREIGN_LEXICAL_SHARE)
    scores: dict[str, float] = {}
    weighted = ((settings.dense_weight, rankings.dense), (settings.sentence_weight, rankings.sentence), (lexical_weight, rankings.lexical))
    for weight, ranking in weighted:
        for rank, (pid, _) in enumerate(ranking):
            scores[pid] = scores.get(pid, 0.0) + weight / (settings.rrf_k + rank + 1)
    return scores


class HybridRetriever:
    def __init__(self, index: PassageIndex, embedding: BaseEmbedding, settings: RetrievalSettings | None = None):
        self.index = index
        self.embedding = embedding
        self.settings = settings or RetrievalSettings()

    def run(
        self,
        query: str,
        top_k: int = 10,
        doc_ids: list[str] | None = None,
        language: str = "de",
        query_vector: list[float] | None = None,
    ) -> list[ScoredPassage]:
        """query_vector: the query's embedding when the caller already has it (the same
        query searched in several documents)."""
        rankings = self.rankings(query, doc_ids, language, query_vector)
        scores = fuse(rankings, self.settings, language)
        passages = self.index.passages()
        ranked = sorted(scores, key=lambda pid: -scores[pid])[:top_k]
        dense_scores, lexical_scores = dict(rankings.dense), dict(rankings.lexical)
        return [ScoredPassage(passages[pid], scores[pid], dense_scores.get(pid), lexical_scores.get(pid)) for pid in ranked]

    def per_document(
        self,
        query: str,
        top_k: int,
        doc_ids: list[str],
        language: str = "de",
        query_vector: list[float] | None = None,
    ) -> dict[str, list[ScoredPassage]]:
        """Each document searched on its own, so a short programme is not crowded out by a long
        report. Documents without a hit are left out."""
        # Embedding the query is the slow part; every document is searched with the same vector.
        if query_vector is None:
            query_vector = self.embedding.get_query_embedding(query)
        found = {doc_id: self.run(query, top_k, [doc_id], language, query_vector) for doc_id in doc_ids}
        return {doc_id: hits for doc_id, hits in found.items() if hits}

    def documents(self) -> list[str]:
        return sorted(self.index.passage_ids_by_document())

    def rankings(
        self, query: str, doc_ids: list[str] | None = None, language: str = "de", query_vector: list[float] | None = None
    ) -> Rankings:
        n = self.settings.candidates
        allowed = self.index.passage_ids_of(doc_ids) if doc_ids is not None else None
        if query_vector is None:
            query_vector = self.embedding.get_query_embedding(query)
        dense = [(hit.passage.id, hit.similarity) for hit in self.index.dense_search(query_vector, n, doc_ids)]
        # Twice as many sentences as passages: a passage's sentences often crowd the top.
        by_sentence = self.index.sentence_search(query_vector, 2 * n, doc_ids)[:n]
        # Spelling is corrected only in German: English or Dutch words would become German ones.
        lexical = self.index.lexical.search(query, n, allowed, correct_spelling=language == "de")
        return Rankings(dense, by_sentence, lexical)
