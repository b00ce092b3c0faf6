"""Synthetic corpora of N times the size, made from the real one.

Copy k of a document keeps its opening and shuffles its top-level sections (a seed per copy),
and the first mention of its Kreis is renamed to a fictitious place, so every copy differs in
name and content hash. Sections are moved whole, cut only at headings of the top numbered
style, so the chunker cuts the same passages with the same section paths: most passage texts
repeat, and their embeddings come from the content-hash cache. Only passages at a moved
section's edge and the one with the renamed place are new and get embedded for real.

Copies 1-9 use nine orders; copies 10-99 repeat those orders with other place names. So the
100x corpus contains the 10x one, and with the 10x cache it only embeds the renamed passages.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.metadata import METADATA_FILE, load_metadata
from ingest.pipeline import DocumentProcessor, scan_corpus
from ingest.structure import find_headings, style_levels
from ingest.model import DocumentMeta

# A section shorter than this travels with the next one: a tiny section shares its passage
# with its neighbour, and separating them would make that passage new.
MIN_BLOCK_CHARS = 1500
ORDERS = 9
_PLACE = re.compile(r"\b(Heinsberg|Coesfeld)\b")
_PREFIXES = ("Alt", "Neu", "Ober", "Unter", "Groß", "Klein", "Nord", "Süd", "West", "Ost")
_STEMS = ("hausen", "feld", "dorf", "heim", "bach", "berg", "rode", "stedt", "kirchen", "burg")


def place(k: int) -> str:
    return _PREFIXES[k % 10] + _STEMS[k // 10 % 10]  # unique for k < 100


def _blocks(source: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(source)]
    blocks: list[str] = []
    for start, end in zip(bounds, bounds[1:]):
        # Every block ends in a blank line, so a moved heading still starts its own line.
        text = source[start:end].rstrip() + "\n\n"
        if blocks and len(blocks[-1]) < MIN_BLOCK_CHARS:
            blocks[-1] += text
        else:
            blocks.append(text)
    return blocks


def _sections(processor: DocumentProcessor, file, meta) -> list[str]:
    """The document's text cut before each heading of its top numbered style."""
    document, _, _ = processor.run(file, meta)
    headings = find_headings(document.cleaned, document.source_text, file.path.suffix.lower() == ".md")
    levels = style_levels(headings)
    top = min(levels.values(), default=0)
    cuts = {document.cleaned.source_span(h.line.start, h.line.start + 1)[0] for h in headings if levels[h.style] == top}
    return _blocks(document.source_text, sorted(cuts - {0}))


def _toml_entry(doc_id: str, meta: DocumentMeta) -> str:
    # json.dumps writes a valid TOML basic string for these values.
    fields = {
        "title": meta.title,
        "short_title": meta.short_title,  # unchanged: it is part of each passage's embedded text
        "publisher": meta.publisher,
        "year": meta.year,
        "status": meta.status,
        "kind": meta.kind,
    }
    lines = [f"[documents.{doc_id}]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()]
    lines.append(f"aliases = {json.dumps(list(meta.aliases), ensure_ascii=False)}")
    return "\n".join(lines)


def make_corpus(source_dir: Path, target_dir: Path, factor: int) -> int:
    """Write `factor` versions of every document (the original is version 0); returns the count."""
    assert 1 <= factor <= 100
    settings = Settings(corpus_dir=source_dir)
    chunker = Chunker(settings.chunking)
    processor = DocumentProcessor(chunker, settings.max_file_bytes)
    metadata = load_metadata(source_dir)
    files, _ = scan_corpus(source_dir, metadata, chunker)
    target_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for file in files:
        meta = metadata.get(file.doc_id) or DocumentMeta(title=file.doc_id, short_title=file.doc_id)
        shutil.copy(file.path, target_dir / file.path.name)
        entries.append(_toml_entry(file.doc_id, meta))
        if factor == 1:
            continue
        head, *rest = _sections(processor, file, metadata.get(file.doc_id))
        for k in range(1, factor):
            order = list(rest)
            random.Random(1 + (k - 1) % ORDERS).shuffle(order)
            text = head + "".join(order)
            name = place(k)
            text, renamed = _PLACE.subn(name, text, count=1)
            if not renamed:
                text = f"Kreis {name}\n\n{text}"
            doc_id = f"{file.doc_id}-kopie-{k:02d}"
            (target_dir / f"{doc_id}{file.path.suffix}").write_text(text, encoding="utf-8")
            title, n = _PLACE.subn(name, meta.title)
            renamed_meta = DocumentMeta(**{**meta.__dict__, "title": title if n else f"{title} ({name})"})
            entries.append(_toml_entry(doc_id, renamed_meta))
    (target_dir / METADATA_FILE).write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    return len(files) * factor
