"""The document library behind the app: which documents there are, uploads, removals and
their entries in documents.toml.

An upload is checked by its content, not its name (a PDF starts with %PDF, a text file
decodes and holds no NUL bytes), gets a file name that cannot leave the corpus folder,
and appears there atomically: written to a hidden temporary file first (the corpus scan
skips hidden files), then linked into place in one step.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import METADATA_FILE, MetadataError, load_metadata, metadata_text, parse_metadata
from ingest.model import DocumentMeta, Passage
from ingest.pipeline import corpus_files, document_id

ACCEPTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown"}
MAX_NAME_CHARS = 80
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# How binding a document is: shown with every quote of it ("Parteiprogramm", "Entwurf").
STATUSES = ("Entwurf", "beschlossen", "Parteiprogramm", "Bericht")
MAX_FIELD_CHARS = 200
# The fields of an entry in documents.toml, in the order they are written
_ENTRY_FIELDS = ("title", "short_title", "publisher", "year", "status", "kind", "aliases")


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
    try:
        _write_in_one_step(target, data, overwrite=replace)
    except FileExistsError as error:
        raise UploadError(f"Es gibt bereits eine Datei „{target.name}“.") from error
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


def document_metadata(passages: dict[str, Passage], corpus_dir: Path) -> dict[str, DocumentMeta]:
    """Every document that is indexed or lies in the corpus folder, with its entry in
    documents.toml or else the title its text gave it."""
    try:
        metadata = load_metadata(corpus_dir)
    except MetadataError:
        metadata = {}
    titles = {p.doc_id: p.title for p in passages.values()}
    return {
        doc_id: metadata.get(doc_id) or DocumentMeta(title=titles.get(doc_id, doc_id), short_title=titles.get(doc_id, doc_id))
        for doc_id in sorted(set(titles) | set(document_files(corpus_dir)))
    }


def document_rows(passages: dict[str, Passage], corpus_dir: Path) -> list[DocumentRow]:
    counts = Counter(p.doc_id for p in passages.values())
    files = document_files(corpus_dir)
    return [
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
        for doc_id, meta in document_metadata(passages, corpus_dir).items()
    ]


def metadata_from_form(
    title: str, short_title: str, aliases: str, publisher: str, year: str, status: str, kind: str = ""
) -> DocumentMeta:
    """A document's entry as typed into the form; MetadataError says in German what is wrong.
    aliases: other names for it in questions, separated by commas or semicolons."""

    def clean(value: str | None, field: str) -> str:
        value = " ".join(_CONTROL.sub(" ", value or "").split())
        if len(value) > MAX_FIELD_CHARS:
            raise MetadataError(f"{field}: höchstens {MAX_FIELD_CHARS} Zeichen.")
        return value

    title = clean(title, "Titel")
    if not title:
        raise MetadataError("Bitte einen Titel angeben.")
    year = clean(year, "Jahr")
    if year and not re.fullmatch(r"\d{4}", year):
        raise MetadataError(f"„{year}“ ist kein Jahr: bitte vierstellig angeben, z. B. 2024.")
    status = clean(status, "Status")
    if status and status not in STATUSES:
        raise MetadataError(f"Status „{status}“ gibt es nicht; möglich sind: {', '.join(STATUSES)}.")
    names = [clean(name, "Weitere Namen") for name in re.split(r"[,;\n]", aliases or "")]
    return DocumentMeta(
        title=title,
        short_title=clean(short_title, "Kurzname") or title,
        publisher=clean(publisher, "Herausgeber"),
        year=year,
        status=status,
        kind=kind,
        aliases=tuple(dict.fromkeys(name for name in names if name)),
    )


def save_metadata(corpus_dir: Path, doc_id: str, meta: DocumentMeta) -> None:
    """Write one document's entry into documents.toml. Every other line stays as it was,
    comments included; the file is replaced in one step, and only by text that reads back
    as this entry."""
    old = metadata_text(corpus_dir)
    parse_metadata(old)  # a broken file is reported, not rewritten
    lines = old.splitlines(keepends=True)
    headers = {i: key for i, line in enumerate(lines) if (key := _table_key(line)) is not None}
    own = next((i for i, key in headers.items() if key == ("documents", doc_id)), None)
    entry = _entry(doc_id, meta)
    if own is None:
        text = f"{old.rstrip()}\n\n{entry}" if old.strip() else entry
    else:
        end = next((i for i in headers if i > own), len(lines))
        while end - 1 > own and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # blank lines and the comment above the next entry belong to it
        kept = [line for line in lines[own + 1 : end] if _kept_in_entry(line)]
        text = "".join(lines[:own]) + entry + "".join(kept) + "".join(lines[end:])
    if parse_metadata(text).get(doc_id) != meta:
        raise MetadataError(f"Der Eintrag zu „{doc_id}“ ließe sich aus {METADATA_FILE} nicht so zurücklesen.")
    _write_in_one_step(corpus_dir / METADATA_FILE, text.encode("utf-8"), overwrite=True)
    sync_directory(corpus_dir)


def _write_in_one_step(target: Path, data: bytes, overwrite: bool) -> None:
    """data appears as target whole or not at all: written to a hidden temporary file beside
    it (the corpus scan skips hidden files), then moved into place. Without overwrite,
    FileExistsError if target exists, also if it appeared meanwhile."""
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _kept_in_entry(line: str) -> bool:
    """A comment, or a key the form does not set ("notiz = …"), stays in a rewritten entry."""
    if line.lstrip().startswith("#"):
        return True
    try:
        keys = tomllib.loads(line).keys()
    except tomllib.TOMLDecodeError:
        return False  # part of a value spanning lines, as aliases = [ … ] may; an unknown key's goes too
    return bool(keys) and not keys & _ENTRY_FIELDS


def _table_key(line: str) -> tuple[str, ...] | None:
    """('documents', 'leitbild') for the line '[documents.leitbild]', None for any other line."""
    if not line.lstrip().startswith("["):
        return None
    try:
        table = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    keys: list[str] = []
    while isinstance(table, dict) and len(table) == 1:
        (key, table), = table.items()
        keys.append(key)
    return tuple(keys) if table == {} else None


def _entry(doc_id: str, meta: DocumentMeta) -> str:
    # A JSON string is a valid TOML basic string (the same escapes); control characters are gone.
    key = doc_id if re.fullmatch(r"[A-Za-z0-9_-]+", doc_id) else json.dumps(doc_id, ensure_ascii=False)
    values = {field: getattr(meta, field) for field in _ENTRY_FIELDS}
    lines = [f"[documents.{key}]"]
    lines += [f"{field} = {json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)}" for field, value in values.items() if value]
    return "\n".join(lines) + "\n"


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
