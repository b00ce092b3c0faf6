"""The document library behind the app: which documents there are, uploads and removals.

An upload is checked by its content, not its name (a PDF starts with %PDF, a text file
decodes and holds no NUL bytes), gets a file name that cannot leave the corpus folder,
and appears there atomically: written to a hidden temporary file first (the corpus scan
skips hidden files), then linked into place in one step.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import MetadataError, load_metadata
from ingest.model import DocumentMeta, Passage
from ingest.pipeline import corpus_files, document_id

ACCEPTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown"}
MAX_NAME_CHARS = 80
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UploadError(ValueError):
    """An upload that is refused; the message is German and names the file."""


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    title: str
    short_title: str
    publisher: str
    year: str
    status: str
    kind: str
    file: str
    passages: int


def content_kind(name: str, data: bytes) -> str:
    """'pdf' or 'text', decided by the bytes; raises UploadError for anything else."""
    shown = _base_name(name) or "Die Datei"
    suffix = Path(shown).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise UploadError(f"„{shown}“: Nur PDF-, TXT- und Markdown-Dateien (.pdf, .txt, .md) können aufgenommen werden.")
    if not data:
        raise UploadError(f"„{shown}“ ist leer.")
    if data.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".pdf":
        raise UploadError(f"„{shown}“ ist kein PDF: Der Inhalt beginnt nicht mit %PDF.")
    if b"\x00" in data:
        raise UploadError(f"„{shown}“ ist keine Textdatei: Sie enthält Binärdaten.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Windows editors still write this; the loader reads it too
        except UnicodeDecodeError as error:
            raise UploadError(f"„{shown}“ ist keine lesbare Textdatei (Zeichenkodierung unbekannt).") from error
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise UploadError(f"„{shown}“ ist keine Textdatei: Sie enthält Steuerzeichen.")
    if not text.strip():
        raise UploadError(f"„{shown}“ enthält keinen Text.")
    return "text"


def safe_file_name(name: str, kind: str) -> str:
    """A file name made only of a-z, 0-9, '-' and '_', with the suffix the content has:
    no path, no leading dot, nothing a shell or another operating system trips over."""
    base = _base_name(name)
    stem, suffix = os.path.splitext(base)
    stem = unicodedata.normalize("NFKD", stem.translate(_TRANSLITERATION)).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_").lower()[:MAX_NAME_CHARS].strip("-_")
    if not stem:
        stem = "dokument"
    elif stem.upper() in {"SOURCES", "DOCUMENTS"}:  # names the corpus scan treats specially
        stem = f"{stem}-upload"
    if kind == "pdf":
        return f"{stem}.pdf"
    return f"{stem}.md" if suffix.lower() in {".md", ".markdown"} else f"{stem}.txt"


def check_upload(name: str, data: bytes, max_bytes: int) -> str:
    """The file name to store an upload under, or UploadError."""
    shown = _base_name(name) or "Die Datei"
    if len(data) > max_bytes:
        raise UploadError(
            f"„{shown}“ ist zu groß ({len(data) / 1e6:.1f} MB, erlaubt sind {max_bytes / 1e6:.0f} MB)."
        )
    return safe_file_name(name, content_kind(name, data))


def document_files(corpus_dir: Path) -> dict[str, Path]:
    """doc_id -> file for every readable document file in the corpus folder."""
    if not corpus_dir.is_dir():
        return {}
    return {document_id(path): path for path in corpus_files(corpus_dir) if path.suffix.lower() in SUPPORTED_SUFFIXES}


def save_upload(corpus_dir: Path, file_name: str, data: bytes, replace: bool = False) -> Path:
    """Put the upload into the corpus folder in one step; never outside it."""
    target = (corpus_dir / file_name).resolve()
    if target.parent != corpus_dir.resolve() or file_name != target.name:
        raise UploadError(f"„{file_name}“ ist kein zulässiger Dateiname.")
    existing = document_files(corpus_dir).get(target.stem)
    if existing is not None and not replace:
        raise UploadError(
            f"Es gibt bereits ein Dokument „{existing.name}“. Zum Ersetzen bitte „Vorhandenes Dokument ersetzen“ "
            "ankreuzen oder die Datei umbenennen."
        )
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=corpus_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails instead of overwriting a file that appeared meanwhile
            os.unlink(temporary)
    except FileExistsError as error:
        raise UploadError(f"Es gibt bereits eine Datei „{target.name}“.") from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    if existing is not None and existing.resolve() != target:
        existing.unlink()  # the same document in another format would clash with the new one
    sync_directory(corpus_dir)
    return target


def remove_document(corpus_dir: Path, doc_id: str) -> Path:
    path = document_files(corpus_dir).get(doc_id)
    if path is None:
        raise UploadError(f"Zum Dokument „{doc_id}“ gibt es keine Datei im Dokumentordner.")
    path.unlink()
    sync_directory(corpus_dir)
    return path


def document_rows(passages: dict[str, Passage], corpus_dir: Path) -> list[DocumentRow]:
    """Every document that is indexed or lies in the corpus folder, with its metadata."""
    try:
        metadata = load_metadata(corpus_dir)
    except MetadataError:
        metadata = {}
    counts = Counter(p.doc_id for p in passages.values())
    titles = {p.doc_id: p.title for p in passages.values()}
    files = document_files(corpus_dir)
    rows = []
    for doc_id in sorted(set(counts) | set(files)):
        meta = metadata.get(doc_id) or DocumentMeta(title=titles.get(doc_id, doc_id), short_title=titles.get(doc_id, doc_id))
        rows.append(
            DocumentRow(
                doc_id,
                meta.title,
                meta.short_title,
                meta.publisher,
                meta.year,
                meta.status,
                meta.kind,
                files[doc_id].name if doc_id in files else "(Datei fehlt)",
                counts.get(doc_id, 0),
            )
        )
    return rows


def sync_directory(directory: Path) -> None:
    """A file created, renamed or removed in the folder reaches the disk with the folder."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _base_name(name: str) -> str:
    """The file's own name, whatever path (also a Windows one) the browser sent."""
    return Path(name.replace("\\", "/")).name
