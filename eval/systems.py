"""The systems the evaluation compares: ours, and three baselines measured in the same run.

Baselines retrieve only; their "answer" is their best passage, cited, and they never
abstain: that is what a plain pipeline without our answer logic gives a user.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from assistant.components import Components
from eval.questions import Question

System = Callable[[Question], dict]
SYSTEMS = ("ours", "bm25", "dense", "llamaindex")


def ours(components: Components) -> System:
    assistant = components.assistant()
    # The same call `python -m assistant ask --json` makes, history included.
    return lambda q: assistant.ask(q.question, history=list(q.history)).to_json()


def _as_answer(passages: list[tuple[str, str, str, str | None, float]], started: float) -> dict:
    """passages: (doc_id, title, section, page, text, score) in rank order."""
    retrieved = [
        {"doc_id": d, "title": t, "section": s, "page": p, "text": x, "score": round(sc, 5)}
        for d, t, s, p, x, sc in passages
    ]
    citations = [{"n": 1, **{k: v for k, v in retrieved[0].items() if k != "score"}}] if retrieved else []
    return {
        "answer": retrieved[0]["text"] if retrieved else "",
        "abstained": False,
        "citations": citations,
        "retrieved": retrieved,
        "language": "de",
        "latency_ms": (time.perf_counter() - started) * 1000,
    }


def _history_query(q: Question) -> str:
    # Baselines have no conversation logic: a follow-up is searched with its history prepended.
    return " ".join((*q.history, q.question))


def bm25_only(components: Components) -> System:
    index = components.index

    def answer(q: Question) -> dict:
        started = time.perf_counter()
        hits = index.lexical.search(_history_query(q), 10)
        passages = index.passages()
        rows = [(passages[i].doc_id, passages[i].title, passages[i].section, passages[i].page, passages[i].text, s) for i, s in hits]
        return _as_answer(rows, started)

    return answer


def dense_only(components: Components) -> System:
    index, embedding = components.index, components.embedding

    def answer(q: Question) -> dict:
        started = time.perf_counter()
        hits = index.dense_search(embedding.get_query_embedding(_history_query(q)), 10)
        rows = [(h.passage.doc_id, h.passage.title, h.passage.section, h.passage.page, h.passage.text, h.similarity) for h in hits]
        return _as_answer(rows, started)

    return answer


def plain_llamaindex(components: Components) -> System:
    """LlamaIndex's defaults: SimpleDirectoryReader, SentenceSplitter, VectorStoreIndex, same model."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    LlamaSettings.llm = None
    corpus: Path = components.settings.corpus_dir
    files = [p for p in corpus.iterdir() if p.suffix in (".txt", ".md") and p.name != "documents.toml"]
    documents = SimpleDirectoryReader(input_files=[str(p) for p in files], filename_as_id=True).load_data()
    for document in documents:
        document.metadata["doc_id"] = Path(document.metadata["file_name"]).stem
    index = VectorStoreIndex.from_documents(
        documents, embed_model=components.embedding, transformations=[SentenceSplitter()]
    )
    retriever = index.as_retriever(similarity_top_k=10)

    def answer(q: Question) -> dict:
        started = time.perf_counter()
        nodes = retriever.retrieve(_history_query(q))
        rows = [(n.node.metadata["doc_id"], n.node.metadata["file_name"], "", None, n.node.get_content(), n.score or 0.0) for n in nodes]
        return _as_answer(rows, started)

    return answer


FACTORIES: dict[str, Callable[[Components], System]] = {
    "ours": ours,
    "bm25": bm25_only,
    "dense": dense_only,
    "llamaindex": plain_llamaindex,
}
