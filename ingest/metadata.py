"""Document metadata from corpus/documents.toml; a title from the text where there is none."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ingest.model import DocumentMeta

METADATA_FILE = "documents.toml"


class MetadataError(ValueError):
    pass


def load_metadata(corpus_dir: Path) -> dict[str, DocumentMeta]:
    return parse_metadata(metadata_text(corpus_dir))


def metadata_text(corpus_dir: Path) -> str:
    """documents.toml as text, "" if there is none."""
    path = corpus_dir / METADATA_FILE
    if not path.exists():
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise MetadataError(f"{METADATA_FILE} ist fehlerhaft: {error}") from error


def parse_metadata(text: str) -> dict[str, DocumentMeta]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MetadataError(f"{METADATA_FILE} ist fehlerhaft: {error}") from error
    result = {}
    for doc_id, entry in data.get("documents", {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            raise MetadataError(f"{METADATA_FILE}: Dokument „{doc_id}“ hat keinen Titel (title).")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise MetadataError(f'{METADATA_FILE}: Die Namen (aliases) von „{doc_id}“ gehören in eine Liste: aliases = ["…", "…"].')
        result[doc_id] = DocumentMeta(
            title=entry["title"],
            short_title=str(entry.get("short_title", entry["title"])),
            publisher=str(entry.get("publisher", "")),
            year=str(entry.get("year", "")),
            status=str(entry.get("status", "")),
            kind=str(entry.get("kind", "")),
            aliases=tuple(aliases),
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
