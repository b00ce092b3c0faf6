"""Read .txt, .md and .pdf files into pages of raw text, with German error messages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ingest.model import Page

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
_MIN_TEXT_CHARS = 20


class LoadError(Exception):
    """A file that cannot be ingested; the message is German and names the file."""


@dataclass(frozen=True)
class LoadedFile:
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()


def load_file(path: Path, max_bytes: int) -> LoadedFile:
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"„{path.name}“ ist leer.")
    if size > max_bytes:
        raise LoadError(
            f"„{path.name}“ ist zu groß ({size / 1e6:.1f} MB, erlaubt sind {max_bytes / 1e6:.0f} MB)."
        )
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        return _load_pdf(path, data)
    if path.suffix.lower() == ".pdf":
        raise LoadError(f"„{path.name}“ ist kein gültiges PDF (die Datei beginnt nicht mit %PDF).")
    return _load_text(path, data)


def _load_text(path: Path, data: bytes) -> LoadedFile:
    if b"\x00" in data[:8192]:
        raise LoadError(f"„{path.name}“ ist keine Textdatei (sie enthält Binärdaten).")
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings = (f"„{path.name}“ ist nicht UTF-8-kodiert und wurde als Windows-1252 gelesen.",)
        log.warning(warnings[0])
    if len(text.strip()) < _MIN_TEXT_CHARS:
        raise LoadError(f"„{path.name}“ enthält keinen verwertbaren Text.")
    return LoadedFile((Page(None, text),), warnings)


def _load_pdf(path: Path, data: bytes) -> LoadedFile:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(f"„{path.name}“ ist passwortgeschützt und kann nicht gelesen werden.")
        labels = list(reader.page_labels)
        pages = tuple(
            Page(labels[i] if i < len(labels) else str(i + 1), page.extract_text() or "")
            for i, page in enumerate(reader.pages)
        )
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise LoadError(f"„{path.name}“ ist beschädigt oder kein lesbares PDF ({error}).") from error
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        if "crypt" in str(error).lower() or "AES" in str(error):
            raise LoadError(f"„{path.name}“ ist verschlüsselt und kann nicht gelesen werden.") from error
        raise LoadError(f"„{path.name}“ ist beschädigt oder kein lesbares PDF ({error}).") from error
    if sum(len(page.text.strip()) for page in pages) < _MIN_TEXT_CHARS:
        raise LoadError(
            f"„{path.name}“ enthält keinen Text (vermutlich ein gescanntes Dokument ohne Texterkennung)."
        )
    return LoadedFile(pages)
