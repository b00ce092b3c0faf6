"""The types that carry a document from its file to the index."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from ingest.cleaning import MappedText


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    short_title: str
    publisher: str = ""
    year: str = ""
    status: str = ""
    kind: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    label: str | None  # None for text files, which have no pages
    text: str


@dataclass(frozen=True)
class Document:
    id: str
    meta: DocumentMeta
    source_text: str  # pages joined by blank lines
    cleaned: MappedText
    page_starts: tuple[tuple[int, str], ...]  # (offset in source_text, page label)
    content_hash: str

    def page_at(self, cleaned_offset: int) -> str | None:
        if not self.page_starts:
            return None
        source_offset = self.cleaned.source_span(cleaned_offset, cleaned_offset + 1)[0]
        # the last page starting at or before the offset; text before the first page is on it
        index = bisect_right(self.page_starts, source_offset, key=lambda start: start[0])
        return self.page_starts[max(index - 1, 0)][1]


SECTION_SEPARATOR = " › "


def innermost_heading(section: str) -> str:
    """The last heading of a section path: "Leitbild › 7. Verkehr und Mobilität" -> "7. Verkehr und Mobilität"."""
    return section.split(SECTION_SEPARATOR)[-1]


@dataclass(frozen=True)
class Passage:
    """A chunk of one document: what the index stores and returns."""

    id: str
    doc_id: str
    title: str
    section: str  # "Leitbild › 7. Verkehr und Mobilität": short title, then headings, joined by SECTION_SEPARATOR
    page: str | None
    start: int  # offsets into the document's cleaned text
    end: int
    text: str
    metadata: dict[str, str] = field(default_factory=dict, compare=False)
    # Where inside the text another section or page begins: (offset in text, section, page).
    # Tiny sections (a heading and a line) share a passage, and a passage may cross a page.
    turns: tuple[tuple[int, str, str | None], ...] = ()

    def place(self, offset: int) -> tuple[str, str | None]:
        """Section and page of the text at offset (into self.text)."""
        # the last turn at or before the offset, as Document.page_at finds the page
        index = bisect_right(self.turns, offset, key=lambda turn: turn[0])
        return (self.section, self.page) if index == 0 else self.turns[index - 1][1:]

    def section_end(self, offset: int) -> int:
        """Where in self.text the section of the text at offset ends: at the next heading."""
        section = self.place(offset)[0]
        return next((start for start, turn_section, _ in self.turns if start > offset and turn_section != section), len(self.text))

    def embedding_text(self) -> str:
        # The section path gives a short passage its context ("Verkehr und Mobilität").
        return f"{self.section}\n{self.text}"
