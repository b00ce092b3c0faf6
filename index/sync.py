"""Bring the index in line with the corpus folder: embed only what changed."""

from __future__ import annotations

import fcntl
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tqdm import tqdm

from index.embedding import EmbeddingCache
from index.store import EmbeddedDocument, PassageIndex
from ingest.loaders import LoadError
from ingest.metadata import load_metadata
from ingest.model import Passage
from ingest.pipeline import DocumentProcessor, FileProblem, scan_corpus
from ingest.sentences import quotable_spans

log = logging.getLogger(__name__)


class IngestBusy(RuntimeError):
    pass


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [
            f"{len(self.added)} neu, {len(self.updated)} geändert, {len(self.removed)} entfernt, "
            f"{len(self.unchanged)} unverändert; {self.passages} Textstellen im Index, "
            f"{self.embedded} Vektoren (Textstellen und Sätze) neu berechnet, {self.seconds:.1f} s."
        ]
        lines += [f"Hinweis: {w}" for w in self.warnings]
        lines += [f"Nicht aufgenommen: {p.message}" for p in self.problems]
        return "\n".join(lines)


def embedding_texts(passages: list[Passage]) -> tuple[list[str], list[tuple[str, int, int]]]:
    """What the index embeds: each passage with its section path, then each of its quotable
    sentences alone; and those sentences as (passage id, start, end)."""
    spans, sentences = [], []
    for passage in passages:
        for start, end in quotable_spans(passage.text):
            spans.append((passage.id, start, end))
            sentences.append(passage.text[start:end])
    return [p.embedding_text() for p in passages] + sentences, spans


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingestion at a time per data folder; readers are never blocked."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / "ingest.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise IngestBusy("Es läuft bereits eine Aufnahme von Dokumenten. Bitte später erneut versuchen.") from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class CorpusSync:
    def __init__(self, index: PassageIndex, cache: EmbeddingCache, processor: DocumentProcessor, data_dir: Path) -> None:
        self.index = index
        self.cache = cache
        self.processor = processor
        self.data_dir = data_dir

    def run(self, corpus_dir: Path, show_progress: bool = True, rebuild: bool = False) -> SyncReport:
        started = time.perf_counter()
        report = SyncReport()
        with ingest_lock(self.data_dir):
            self.index.reload()
            metadata = load_metadata(corpus_dir)
            files, report.problems = scan_corpus(corpus_dir, metadata, self.processor.chunker)
            indexed = {} if rebuild else self.index.document_hashes()
            current = {f.doc_id for f in files}
            report.removed = sorted(set(indexed) - current)
            todo = [f for f in files if indexed.get(f.doc_id) != f.content_hash]
            report.unchanged = sorted(f.doc_id for f in files if f not in todo)
            prepared: list[tuple[str, str, list[Passage]]] = []
            for file in todo:
                try:
                    _, passages, warnings = self.processor.run(file, metadata.get(file.doc_id))
                except LoadError as error:
                    report.problems.append(FileProblem(file.path.name, str(error)))
                    continue
                report.warnings.extend(warnings)
                prepared.append((file.doc_id, file.content_hash, passages))
                (report.updated if file.doc_id in indexed else report.added).append(file.doc_id)
            # A file that failed to load keeps its previous passages rather than vanishing.
            failed = {Path(p.file).stem for p in report.problems} & set(indexed)
            keep = (set(report.unchanged) | failed) - set(report.removed)
            if prepared or report.removed or rebuild:
                changed = {}
                jobs = [(doc_id, content_hash, passages, *embedding_texts(passages)) for doc_id, content_hash, passages in prepared]
                total = sum(len(texts) for *_, texts, _ in jobs)
                with tqdm(total=total, desc="Einbetten", unit="Texte", disable=not show_progress or not total) as bar:
                    before = self.cache.computed
                    for doc_id, content_hash, passages, texts, spans in jobs:
                        vectors = self.cache.embed(texts, progress=bar)
                        sentences = [(*span, vector) for span, vector in zip(spans, vectors[len(passages) :])]
                        changed[doc_id] = EmbeddedDocument(content_hash, passages, vectors[: len(passages)], sentences)
                    report.embedded = self.cache.computed - before
                self.index.update(changed, keep)
            report.passages = len(self.index.passages())
        report.seconds = time.perf_counter() - started
        return report
