"""The plain LlamaIndex pipeline the issue compares against: its defaults throughout
(SimpleDirectoryReader, SentenceSplitter(), VectorStoreIndex on Chroma), the same e5 model."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

COLLECTION = "plain"


def warm_imports() -> None:
    """Import what ingest() needs, so that a timed ingestion does not time imports."""
    import chromadb  # noqa: F401
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex  # noqa: F401
    from llama_index.core.node_parser import SentenceSplitter  # noqa: F401
    from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: F401


def _llm_off() -> None:
    from llama_index.core import Settings

    # Without this LlamaIndex reaches for OpenAI; it prints a notice we keep out of the table.
    with contextlib.redirect_stdout(io.StringIO()):
        Settings.llm = None


def _collection(folder: Path, create: bool) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    # embedding_function=None: Chroma would otherwise fetch its default ONNX model from the internet.
    if create:
        return client.get_or_create_collection(COLLECTION, embedding_function=None)
    return client.get_collection(COLLECTION, embedding_function=None)


def ingest(corpus_dir: Path, folder: Path, model: Any) -> int:
    """Index the corpus into a new Chroma folder; returns the number of nodes."""
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    _llm_off()
    # Only text files: documents.toml is our metadata, and this corpus has no PDFs (which the
    # plain reader would take as raw bytes without llama-index-readers-file).
    documents = SimpleDirectoryReader(str(corpus_dir), required_exts=[".txt", ".md"]).load_data()
    store = ChromaVectorStore(chroma_collection=_collection(folder, create=True))
    VectorStoreIndex.from_documents(
        documents,
        storage_context=StorageContext.from_defaults(vector_store=store),
        embed_model=model,
        transformations=[SentenceSplitter()],
    )
    return store._collection.count()


def open_retriever(folder: Path, model: Any) -> Any:
    """What an app built on the plain pipeline does at start: reopen the stored index."""
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    _llm_off()
    store = ChromaVectorStore(chroma_collection=_collection(folder, create=False))
    return VectorStoreIndex.from_vector_store(store, embed_model=model).as_retriever(similarity_top_k=10)
