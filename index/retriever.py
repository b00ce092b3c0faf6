"""Hybrid retrieval: dense (e5) and German BM25 results fused by weighted reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import BaseModel, Field

from index.store import PassageIndex
from ingest.model import Passage


class RetrievalSettings(BaseModel):
    """Fusion weights and depths; chosen on the evaluation (see eval/report.md)."""

    candidates: int = Field(50, ge=10, le=500)
    rrf_k: int = Field(20, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    lexical_weight: float = Field(0.5, ge=0)


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
        lexical_weight: float | None = None,
        query_vector: list[float] | None = None,
    ) -> list[ScoredPassage]:
        """query_vector: the query's embedding when the caller already has it (the same
        query searched in several documents)."""
        s = self.settings
        lexical_weight = s.lexical_weight if lexical_weight is None else lexical_weight
        allowed = None
        if doc_ids is not None:
            wanted = set(doc_ids)
            allowed = {pid for pid, p in self.index.passages().items() if p.doc_id in wanted}
        if query_vector is None:
            query_vector = self.embedding.get_query_embedding(query)
        dense = self.index.dense_search(query_vector, s.candidates, doc_ids)
        lexical = self.index.lexical.search(query, s.candidates, allowed)
        scores: dict[str, float] = {}
        dense_scores = {hit.passage.id: hit.similarity for hit in dense}
        lexical_scores = dict(lexical)
        for rank, hit in enumerate(dense):
            scores[hit.passage.id] = scores.get(hit.passage.id, 0.0) + s.dense_weight / (s.rrf_k + rank + 1)
        for rank, (pid, _) in enumerate(lexical):
            scores[pid] = scores.get(pid, 0.0) + lexical_weight / (s.rrf_k + rank + 1)
        passages = self.index.passages()
        ranked = sorted(scores, key=lambda pid: -scores[pid])[:top_k]
        return [
            ScoredPassage(passages[pid], scores[pid], dense_scores.get(pid), lexical_scores.get(pid))
            for pid in ranked
        ]
