"""Document metadata from corpus/documents.toml; a title from the text where there is none."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.model import DocumentMeta

METADATA_FILE = "documents.toml"


class MetadataError(ValueError):
    pass


def load_metadata(corpus_dir: Path) -> dict[str, DocumentMeta]:
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        return parse_metadata(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise MetadataError(f"{METADATA_FILE} ist fehlerhaft: {error}") from error


def parse_metadata(text: str) -> dict[str, DocumentMeta]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError(f"{METADATA_FILE} ist fehlerhaft: {error}") from error
    result = {}
    for doc_id, entry in data.get("documents", {}).items():
        if "title" not in entry:
            raise MetadataError(f"{METADATA_FILE}: Dokument „{doc_id}“ hat keinen Titel (title).")
        result[doc_id] = DocumentMeta(
            title=entry["title"],
            short_title=entry.get("short_title", entry["title"]),
            publisher=entry.get("publisher", ""),
            year=str(entry.get("year", "")),
            status=entry.get("status", ""),
            kind=entry.get("kind", ""),
            aliases=tuple(entry.get("aliases", ())),
        )
    return result


def meta_from_text(doc_id: str, cleaned_text: str) -> DocumentMeta:
    """A document without metadata is titled by its first substantial line."""
    for line in cleaned_text.splitlines():
        line = line.strip(" #\t")
        if len(line) >= 8 and sum(c.isalpha() for c in line) >= 5:
            title = line if len(line) <= 100 else line[:97].rsplit(" ", 1)[0] + " …"
            return DocumentMeta(title=title, short_title=title)
    return DocumentMeta(title=doc_id, short_title=doc_id)
