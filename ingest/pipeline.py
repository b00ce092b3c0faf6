"""From a file to a cleaned, structured document and its passages."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.chunking import Chunker, passage_text
from ingest.cleaning import clean
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_file
from ingest.metadata import METADATA_FILE, meta_from_text
from ingest.model import SECTION_SEPARATOR, Document, DocumentMeta, Passage
from ingest.structure import sections

# Raise when cleaning, structure, passage layout or what is embedded change, so every
# document is re-ingested.
PIPELINE_VERSION = "10"


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    doc_id: str
    content_hash: str


@dataclass(frozen=True)
class FileProblem:
    file: str
    message: str


def document_id(path: Path) -> str:
    return path.stem


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The files of the corpus folder meant as documents: not hidden (uploads in progress
    are), not the metadata file, not the folder's SOURCES.md."""
    return [
        path
        for path in sorted(corpus_dir.iterdir())
        if path.is_file() and not path.name.startswith(".") and path.name != METADATA_FILE and path.name.upper() != "SOURCES.MD"
    ]


def scan_corpus(corpus_dir: Path, metadata: dict[str, DocumentMeta], chunker: Chunker) -> tuple[list[CorpusFile], list[FileProblem]]:
    """The ingestible files with their content hashes, and the files that are not."""
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"Der Dokumentordner „{corpus_dir}“ existiert nicht.")
    files: list[CorpusFile] = []
    problems: list[FileProblem] = []
    seen_bytes: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for path in corpus_files(corpus_dir):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            problems.append(FileProblem(path.name, f"„{path.name}“: nur PDF-, TXT- und Markdown-Dateien werden gelesen."))
            continue
        doc_id = document_id(path)
        if doc_id in seen_ids:
            problems.append(FileProblem(path.name, f"„{path.name}“ hat denselben Namen wie „{seen_ids[doc_id]}“ und wurde übersprungen."))
            continue
        data = path.read_bytes()
        byte_hash = hashlib.sha256(data).hexdigest()
        if byte_hash in seen_bytes:
            problems.append(FileProblem(path.name, f"„{path.name}“ ist identisch mit „{seen_bytes[byte_hash]}“ und wurde übersprungen."))
            continue
        seen_bytes[byte_hash] = path.name
        seen_ids[doc_id] = path.name
        meta = metadata.get(doc_id)
        recipe = json.dumps(
            [PIPELINE_VERSION, chunker.settings.model_dump(), asdict(meta) if meta else None], sort_keys=True
        )
        files.append(CorpusFile(path, doc_id, hashlib.sha256(byte_hash.encode() + recipe.encode()).hexdigest()))
    return files, problems


class DocumentProcessor:
    """Load, clean, structure and chunk one file."""

    def __init__(self, chunker: Chunker, max_bytes: int) -> None:
        self.chunker = chunker
        self.max_bytes = max_bytes

    def run(self, file: CorpusFile, meta: DocumentMeta | None) -> tuple[Document, list[Passage], tuple[str, ...]]:
        loaded = load_file(file.path, self.max_bytes)
        source_parts, page_starts, offset = [], [], 0
        for page in loaded.pages:
            if page.label is not None:
                page_starts.append((offset, page.label))
            source_parts.append(page.text)
            offset += len(page.text) + 2
        source = "\n\n".join(source_parts)
        cleaned = clean(source)
        if not cleaned.text.strip():
            raise LoadError(f"„{file.path.name}“ enthält keinen verwertbaren Text.")
        meta = meta or meta_from_text(file.doc_id, cleaned.text)
        document = Document(
            id=file.doc_id,
            meta=meta,
            source_text=source,
            cleaned=cleaned,
            page_starts=tuple(page_starts),
            content_hash=file.content_hash,
        )
        spans = sections(cleaned, source, markdown=file.path.suffix.lower() == ".md")
        passages = []
        for chunk in self.chunker.run(cleaned.text, spans):
            text, unit_starts = passage_text(cleaned.text, chunk)
            if not text:
                continue
            # (offset in the passage text, section, page) of each unit
            places = [(offset, SECTION_SEPARATOR.join((meta.short_title, *unit.path)), document.page_at(unit.start)) for offset, unit in unit_starts]
            passages.append(
                Passage(
                    id=f"{document.id}#{len(passages):04d}",
                    doc_id=document.id,
                    title=meta.title,
                    section=places[0][1],
                    page=places[0][2],
                    start=chunk.start,
                    end=chunk.end,
                    text=text,
                    turns=tuple(place for previous, place in zip(places, places[1:]) if place[1:] != previous[1:]),
                )
            )
        return document, passages, loaded.warnings
