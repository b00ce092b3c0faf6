"""The passage index: Chroma (dense) and German BM25 (lexical), updated atomically.

Every ingestion writes a new generation: two new Chroma collections, one of passages and
one of their sentences (unchanged documents' vectors are copied, not re-embedded), and a new
BM25 folder. Only when all three are complete does the pointer record switch to it, so a
crash mid-way leaves the previous generation in use, and readers never see a half-written
index.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, TypeVar

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.lexical import GermanAnalyzer, LexicalIndex
from ingest.model import Passage

log = logging.getLogger(__name__)
T = TypeVar("T")

_POINTER_COLLECTION = "kreis-index-pointer"
_COLLECTION_PREFIX = "passagen-"
# A sentence's own vector finds the passage whose one sentence answers the question when
# the passage as a whole is about more (see eval/tune.py).
_SENTENCE_PREFIX = "saetze-"
# HNSW's graph and search beam. Chroma builds its graph differently each time, so the near
# neighbours a search misses differ from one ingestion of the same corpus to the next, and so
# did answers (abstention on the evaluation 0.294 in one build, 0.235 in the next). With
# Chroma's defaults (16 links, beam 100 at build) and a search beam of 400, the nearest 100
# sentences of both evaluation sets' questions lacked 1 to 22 of their 19,800 in each build;
# with 32 links, a build beam of 400 and a search beam of 1000, none in five builds. At 100
# times the corpus (bench/results.md) ingestion without the model took 393 -> 419 s, a search
# 48 -> 35 ms (p50). An index with another graph is written anew at the next ingestion.
_GRAPH = {"hnsw:M": 32, "hnsw:construction_ef": 400, "hnsw:search_ef": 1000}
# Chroma writes its HNSW graph to disk only every sync_threshold records (default 1000) and
# re-inserts the rest from its log in every process that opens the index, not always into
# the same graph: about one process in ten answered a question differently. At 2 every write
# call is persisted, at no measurable cost (120,000 vectors in 250 calls: 68 s -> 71 s).
_SYNC_EVERY = 2
# Chroma's filtered search costs with the number of vectors the filter lets through (on 500
# documents, a filter keeping 400 of them: 0.26 s for passages, 0.76 s for sentences), an
# unfiltered one little more for a larger k (50: 5 ms, 250: 16 ms). So a filter that keeps
# this share of the passages or more is applied to a wider unfiltered search instead.
_WIDEN_FROM_SHARE = 0.2


class IndexStoreError(RuntimeError):
    """An index problem with a German message for the user."""


@contextmanager
def _chroma_errors() -> Iterator[None]:
    """Chroma's own exceptions (a server that went away, a broken database) become one
    clear German error instead of a traceback or a hang."""
    try:
        yield
    except IndexStoreError:
        raise
    except Exception as error:
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        raise IndexStoreError(f"Der Suchindex (Chroma) ist nicht erreichbar oder beschädigt: {type(error).__name__}: {error}") from error


def chroma_client(path: Path | None, host: str | None, port: int | None) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        try:
            client = chromadb.HttpClient(host=host, port=port or 8000, settings=settings)
            client.heartbeat()
        except Exception as error:
            raise IndexStoreError(
                f"Der Chroma-Server unter {host}:{port} ist nicht erreichbar ({type(error).__name__})."
            ) from error
        return client
    assert path is not None
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(str(path), settings=settings)


@dataclass(frozen=True)
class DenseHit:
    passage: Passage
    similarity: float  # cosine


@dataclass(frozen=True)
class EmbeddedDocument:
    """One document ready for the index: its passages and the vectors of each passage and
    of each of its quotable sentences."""

    content_hash: str
    passages: list[Passage]
    vectors: list[list[float]]
    # (passage id, start, end in the passage's text, vector)
    sentences: list[tuple[str, int, int, list[float]]]


def _metadata(passage: Passage, doc_hash: str) -> dict[str, Any]:
    return {
        "doc_id": passage.doc_id,
        "title": passage.title,
        "section": passage.section,
        "page": passage.page or "",
        "turns": json.dumps(passage.turns, ensure_ascii=False),
        "start": passage.start,
        "end": passage.end,
        "doc_hash": doc_hash,
        **passage.metadata,
    }


def _passage(passage_id: str, text: str, meta: dict[str, Any]) -> Passage:
    known = {"doc_id", "title", "section", "page", "turns", "start", "end", "doc_hash"}
    return Passage(
        id=passage_id,
        doc_id=meta["doc_id"],
        title=meta["title"],
        section=meta["section"],
        page=meta["page"] or None,
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        metadata={k: str(v) for k, v in meta.items() if k not in known},
        turns=tuple((offset, section, page) for offset, section, page in json.loads(meta.get("turns", "[]"))),
    )


class PassageIndex:
    """Reads the current generation; `update()` writes the next one."""

    def __init__(self, client: Any, lexical_root: Path, model_id: str, analyzer: GermanAnalyzer) -> None:
        self._client = client
        self._lexical_root = lexical_root
        self.model_id = model_id
        self._analyzer = analyzer
        self.generation: str | None = None
        self._collection: Any = None
        self._sentences: Any = None
        self._sentence_count = 0
        self._store: ChromaVectorStore | None = None
        self.lexical = LexicalIndex(analyzer, [], None)
        self._passages: dict[str, Passage] = {}
        self._by_document: dict[str, list[str]] = {}
        self._mismatch: str | None = None
        self._pointer_collection: Any = None
        self.reload()

    def require_usable(self) -> None:
        if self._mismatch:
            raise IndexStoreError(self._mismatch)

    # -- reading ---------------------------------------------------------------------
    def _pointer(self) -> Any:
        # Looked up once: reload() reads it before every question.
        if self._pointer_collection is None:
            self._pointer_collection = self._client.get_or_create_collection(
                _POINTER_COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        return self._pointer_collection

    def current_generation(self) -> str | None:
        with _chroma_errors():
            found = self._pointer().get(ids=["current"], include=["metadatas"])
        return found["metadatas"][0]["generation"] if found["ids"] else None

    def reload(self) -> bool:
        """Switch to the newest complete generation; True if it changed."""
        generation = self.current_generation()
        if generation == self.generation:
            return False
        if generation is None:
            return False
        with _chroma_errors():
            collection = self._client.get_collection(_COLLECTION_PREFIX + generation, embedding_function=None)
            passages = self._read_all(collection)
            try:
                sentences = self._client.get_collection(_SENTENCE_PREFIX + generation, embedding_function=None)
            except NotFoundError:
                # An index written before sentences were embedded; the next ingestion adds them.
                sentences = None
        stored_model = (collection.metadata or {}).get("embed_model")
        if stored_model != self.model_id:
            # Searching it would compare vectors of two different models: silent garbage.
            self._mismatch = (
                f"Der Index wurde mit dem Embedding-Modell „{stored_model}“ erstellt, eingestellt ist "
                f"„{self.model_id}“. Bitte den Index mit dem eingestellten Modell neu aufbauen "
                "(python -m assistant ingest --rebuild) oder das ursprüngliche Modell einstellen."
            )
            return False
        self._mismatch = None
        lexical = LexicalIndex.load(self._lexical_root / generation, self._analyzer)
        if lexical is None or set(lexical.ids) != set(passages):
            lexical = LexicalIndex.build(self._analyzer, list(passages), [lexical_text(p) for p in passages.values()])
        self._collection, self._store = collection, ChromaVectorStore(chroma_collection=collection)
        self._sentences = sentences
        with _chroma_errors():
            self._sentence_count = sentences.count() if sentences is not None else 0
        self._passages, self.lexical, self.generation = passages, lexical, generation
        by_document: dict[str, list[str]] = {}
        for passage_id, passage in passages.items():
            by_document.setdefault(passage.doc_id, []).append(passage_id)
        self._by_document = by_document
        return True

    @staticmethod
    def _read_all(collection: Any) -> dict[str, Passage]:
        return {
            i: _passage(i, t, m)
            for page in _pages(collection, ["documents", "metadatas"])
            for i, t, m in zip(page["ids"], page["documents"], page["metadatas"])
        }

    def passages(self) -> dict[str, Passage]:
        self.require_usable()
        return self._passages

    def passage_ids_by_document(self) -> dict[str, list[str]]:
        """doc id -> its passage ids; worked out once per generation, for document filters."""
        self.require_usable()
        return self._by_document

    def passage_ids_of(self, doc_ids: Iterable[str]) -> set[str]:
        """The ids of these documents' passages, for a document filter."""
        self.require_usable()
        return {pid for doc_id in doc_ids for pid in self._by_document.get(doc_id, ())}

    def document_hashes(self) -> dict[str, str]:
        self.require_usable()
        if self._collection is None or self._sentences is None:
            return {}  # nothing, or an index without sentence vectors: every document is embedded anew
        metadata = self._collection.metadata or {}
        if any(metadata.get(key) != value for key, value in _GRAPH.items()):
            return {}  # a graph built with other settings: every document is written anew, its vectors from the cache
        with _chroma_errors():
            return {m["doc_id"]: m["doc_hash"] for page in _pages(self._collection, ["metadatas"]) for m in page["metadatas"]}

    def dense_search(self, embedding: list[float], k: int, doc_ids: Iterable[str] | None = None) -> list[DenseHit]:
        self.require_usable()
        if self._store is None or not self._passages:
            return []

        def search(n: int, ids: list[str] | None) -> list[DenseHit]:
            filters = None
            if ids is not None:
                filters = MetadataFilters(filters=[MetadataFilter(key="doc_id", value=ids, operator=FilterOperator.IN)])
            with _chroma_errors():
                result = self._store.query(VectorStoreQuery(query_embedding=embedding, similarity_top_k=n, filters=filters))
            # LlamaIndex's Chroma store reports exp(-distance); cosine distance = 1 - cosine.
            hits = [
                DenseHit(self._passages[i], 1.0 + math.log(max(s, 1e-12)))
                for i, s in zip(result.ids or [], result.similarities or [])
                if i in self._passages
            ]
            return sorted(hits, key=lambda hit: (-hit.similarity, hit.passage.id))  # ties in a fixed order

        return self._nearest(search, lambda hit: hit.passage.id, k, doc_ids, len(self._passages))

    def sentence_search(self, embedding: list[float], k: int, doc_ids: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """(passage id, cosine of its best sentence) for the passages holding the k sentences
        nearest to the query, best first."""
        self.require_usable()
        if self._sentences is None or not self._passages:
            return []

        def search(n: int, ids: list[str] | None) -> list[tuple[str, float]]:
            where = {"doc_id": {"$in": ids}} if ids is not None else None
            with _chroma_errors():
                found = self._sentences.query(query_embeddings=[embedding], n_results=n + 1, where=where, include=["metadatas", "distances"])
            # An overlap sentence stands in two passages with one vector, and Chroma returns ties
            # in any order: they are put in order of id, and left out if the n-th place cuts them.
            nearest = sorted(zip(found["distances"][0], found["ids"][0], found["metadatas"][0]), key=lambda hit: hit[:2])
            if len(nearest) > n:
                nearest = [hit for hit in nearest[:n] if hit[0] != nearest[n][0]]
            return [(meta["passage_id"], 1.0 - distance) for distance, _, meta in nearest]

        best: dict[str, float] = {}
        for pid, similarity in self._nearest(search, lambda sentence: sentence[0], k, doc_ids, self._sentence_count):
            best.setdefault(pid, similarity)  # results come nearest first
        return [(pid, similarity) for pid, similarity in best.items() if pid in self._passages]

    def _nearest(
        self,
        search: Callable[[int, list[str] | None], list[T]],
        passage_of: Callable[[T], str],
        k: int,
        doc_ids: Iterable[str] | None,
        total: int,
    ) -> list[T]:
        """The k nearest items within doc_ids, nearest first; search(n, doc ids or None)
        gives the n nearest (or fewer), in those documents or in all of the total items."""
        if doc_ids is None:
            return search(k, None)
        doc_ids = list(doc_ids)
        allowed = self.passage_ids_of(doc_ids)
        share = len(allowed) / len(self._passages)
        if share >= _WIDEN_FROM_SHARE:
            wide = math.ceil(k / share)
            found = search(wide, None)
            kept = [item for item in found if passage_of(item) in allowed][:k]
            # the k nearest allowed ones are all there, or the search reached every vector
            if len(kept) == k or wide >= total:
                return kept
        return search(k, doc_ids)

    def sentence_similarities(self, embedding: list[float], passage_ids: list[str]) -> dict[str, dict[int, float]]:
        """passage id -> {sentence start: cosine to the query} for every quotable sentence."""
        self.require_usable()
        if self._sentences is None or not passage_ids:
            return {}
        with _chroma_errors():
            found = self._sentences.get(where={"passage_id": {"$in": passage_ids}}, include=["metadatas", "embeddings"])
        if not found["ids"]:
            return {}
        cosines = np.asarray(found["embeddings"]) @ np.asarray(embedding)  # both models give unit vectors
        result: dict[str, dict[int, float]] = {}
        for meta, cosine in zip(found["metadatas"], cosines):
            result.setdefault(meta["passage_id"], {})[int(meta["start"])] = float(cosine)
        return result

    # -- writing ---------------------------------------------------------------------
    def update(self, changed: dict[str, EmbeddedDocument], keep: set[str]) -> str:
        """Write a new generation: documents in `keep` copied, `changed` ones (by doc id)
        written anew; every other document is dropped."""
        with _chroma_errors():
            return self._update(changed, keep)

    def _update(self, changed: dict[str, EmbeddedDocument], keep: set[str]) -> str:
        generation = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        collection, sentences = (
            self._client.create_collection(
                prefix + generation,
                embedding_function=None,
                metadata={
                    "hnsw:space": "cosine",
                    **_GRAPH,
                    "hnsw:sync_threshold": _SYNC_EVERY,
                    "embed_model": self.model_id,
                },
            )
            for prefix in (_COLLECTION_PREFIX, _SENTENCE_PREFIX)
        )
        try:
            if self._collection is not None and keep and not self._mismatch:
                for old_collection, new_collection in ((self._collection, collection), (self._sentences, sentences)):
                    if old_collection is None:
                        continue
                    for old in _pages(old_collection, ["documents", "metadatas", "embeddings"], {"doc_id": {"$in": sorted(keep)}}):
                        _add(new_collection, list(zip(old["ids"], old["documents"], old["metadatas"], old["embeddings"])))
            # all changed documents in as few write calls as possible: Chroma persists its graph after each
            texts = {p.id: p.text for document in changed.values() for p in document.passages}
            _add(
                collection,
                [
                    (p.id, p.text, _metadata(p, document.content_hash), vector)
                    for document in changed.values()
                    for p, vector in zip(document.passages, document.vectors)
                ],
            )
            _add(
                sentences,
                [
                    (f"{pid}@{start}", texts[pid][start:end], {"doc_id": doc_id, "passage_id": pid, "start": start, "end": end}, vector)
                    for doc_id, document in changed.items()
                    for pid, start, end, vector in document.sentences
                ],
            )
            written = self._read_all(collection)
            LexicalIndex.build(
                self._analyzer, list(written), [lexical_text(p) for p in written.values()]
            ).save(self._lexical_root / generation)
        except BaseException:
            self._client.delete_collection(collection.name)
            self._client.delete_collection(sentences.name)
            shutil.rmtree(self._lexical_root / generation, ignore_errors=True)
            raise
        # The switch: one upsert of the pointer record.
        self._pointer().upsert(ids=["current"], embeddings=[[0.0]], metadatas=[{"generation": generation}])
        previous = self.generation
        self.reload()
        self._drop_old_generations(keep_generations={generation, previous})
        return generation

    def _drop_old_generations(self, keep_generations: set[str | None]) -> None:
        for collection in self._client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            for prefix in (_COLLECTION_PREFIX, _SENTENCE_PREFIX):
                if name.startswith(prefix) and name[len(prefix) :] not in keep_generations:
                    self._client.delete_collection(name)
        if self._lexical_root.exists():
            for folder in self._lexical_root.iterdir():
                if folder.name not in keep_generations:
                    shutil.rmtree(folder, ignore_errors=True)


def lexical_text(passage: Passage) -> str:
    return passage.embedding_text()


# Chroma limits the records of one call, and one get() binds an SQL variable per record
# (SQLite allows 32,766): read and write in pages.
_PAGE = 1000


def _pages(collection: Any, include: list[str], where: dict | None = None) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        page = collection.get(where=where, include=include, limit=_PAGE, offset=offset)
        if not page["ids"]:
            return
        yield page
        offset += len(page["ids"])


def _add(collection: Any, records: list[tuple[str, str, dict, Any]]) -> None:
    """records: (id, text, metadata, vector), written a page per call."""
    for i in range(0, len(records), _PAGE):
        ids, documents, metadatas, embeddings = zip(*records[i : i + _PAGE])
        collection.add(ids=list(ids), documents=list(documents), metadatas=list(metadatas), embeddings=list(embeddings))
