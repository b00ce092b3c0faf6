"""Builds the heavy parts once per process from the settings and wires them together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

# No code may reach a model hub or send analytics; set before the libraries load.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from index.embedding import EmbeddingCache, load_embedding  # noqa: E402
from index.lexical import GermanAnalyzer  # noqa: E402
from index.retriever import HybridRetriever  # noqa: E402
from index.store import PassageIndex, chroma_client  # noqa: E402
from index.sync import CorpusSync  # noqa: E402
from ingest.chunking import Chunker  # noqa: E402
from ingest.metadata import load_metadata  # noqa: E402
from ingest.pipeline import DocumentProcessor  # noqa: E402

from assistant.answer import ExtractiveAnswerer  # noqa: E402
from assistant.conversation import Assistant  # noqa: E402
from assistant.llm import LLMAnswerer, make_llm  # noqa: E402
from assistant.settings import Settings  # noqa: E402


@dataclass
class Components:
    settings: Settings

    @cached_property
    def _embedding(self):
        return load_embedding(self.settings.embedding_backend, self.settings.embedding_model_path)

    @property
    def embedding(self):
        return self._embedding[0]

    @property
    def model_id(self) -> str:
        return self._embedding[1]

    @cached_property
    def analyzer(self) -> GermanAnalyzer:
        return GermanAnalyzer()

    @cached_property
    def index(self) -> PassageIndex:
        s = self.settings
        client = chroma_client(None if s.chroma_host else s.data_dir / "chroma", s.chroma_host, s.chroma_port)
        return PassageIndex(client, s.data_dir / "lexical", self.model_id, self.analyzer)

    @cached_property
    def cache(self) -> EmbeddingCache:
        return EmbeddingCache(self.settings.data_dir / "embeddings.sqlite", self.embedding, self.model_id)

    def sync(self) -> CorpusSync:
        processor = DocumentProcessor(Chunker(self.settings.chunking), self.settings.max_file_bytes)
        return CorpusSync(self.index, self.cache, processor, self.settings.data_dir)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index, self.embedding, self.settings.retrieval)

    def assistant(self) -> Assistant:
        a = self.settings.answer
        return Assistant(
            self.retriever,
            ExtractiveAnswerer(self.analyzer, a.max_sentences, a.max_citations, lambda: self.index.lexical),
            load_metadata(self.settings.corpus_dir),
            a,
            self.llm_answerer,
        )

    @cached_property
    def llm_answerer(self) -> LLMAnswerer | None:
        llm = make_llm(self.settings.llm)
        return LLMAnswerer(llm, self.analyzer, self.settings.llm) if llm else None
