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


@dataclass(frozen=True)
class ScoredPassage:
    passage: Passage
    score: float  # fused
    dense: float | None  # cosine similarity, None if not among the dense candidates
    lexical: float | None  # BM25 score


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
        s = self.settings
        german = language == "de"
        # German BM25 cannot match English or Dutch words: there it adds mostly noise, and its
        # spelling correction would turn them into German ones.
        lexical_weight = s.lexical_weight * (1.0 if german else _FOREIGN_LEXICAL_SHARE)
        allowed = None
        if doc_ids is not None:
            wanted = set(doc_ids)
            allowed = {pid for pid, p in self.index.passages().items() if p.doc_id in wanted}
        if query_vector is None:
            query_vector = self.embedding.get_query_embedding(query)
        dense = [(hit.passage.id, hit.similarity) for hit in self.index.dense_search(query_vector, s.candidates, doc_ids)]
        # Twice as many sentences as passages: a passage's sentences often crowd the top.
        by_sentence = self.index.sentence_search(query_vector, 2 * s.candidates, doc_ids)[: s.candidates]
        lexical = self.index.lexical.search(query, s.candidates, allowed, correct_spelling=german)
        scores: dict[str, float] = {}
        for weight, ranking in ((s.dense_weight, dense), (s.sentence_weight, by_sentence), (lexical_weight, lexical)):
            for rank, (pid, _) in enumerate(ranking):
                scores[pid] = scores.get(pid, 0.0) + weight / (s.rrf_k + rank + 1)
        passages = self.index.passages()
        ranked = sorted(scores, key=lambda pid: -scores[pid])[:top_k]
        dense_scores, lexical_scores = dict(dense), dict(lexical)
        return [ScoredPassage(passages[pid], scores[pid], dense_scores.get(pid), lexical_scores.get(pid)) for pid in ranked]
