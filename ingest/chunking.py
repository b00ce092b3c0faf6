"""Cut a document into passages along its sections and sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field, model_validator

from ingest.sentences import LIST_ITEM, is_caption, sentence_spans
from ingest.structure import SectionSpan


class ChunkerSettings(BaseModel):
    """Sizes in characters; chosen on the evaluation (see eval/report.md)."""

    max_chars: int = Field(1400, ge=200, le=4000)
    min_chars: int = Field(250, ge=0)
    overlap_sentences: int = Field(1, ge=0, le=3)

    @model_validator(mode="after")
    def _min_below_max(self) -> ChunkerSettings:
        if self.min_chars >= self.max_chars:
            raise ValueError("min_chars muss kleiner als max_chars sein")
        return self


@dataclass(frozen=True)
class _Unit:
    """A sentence, a list item or a heading line."""

    start: int
    end: int
    path: tuple[str, ...]
    heading: bool


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    path: tuple[str, ...]
    units: tuple[_Unit, ...]


class Chunker:
    def __init__(self, settings: ChunkerSettings | None = None) -> None:
        self.settings = settings or ChunkerSettings()

    def run(self, text: str, sections: list[SectionSpan]) -> list[Chunk]:
        chunks: list[Chunk] = []
        current: list[_Unit] = []
        carried = 0  # leading units of `current` repeated from the previous chunk
        for unit in self._units(text, sections):
            if unit.heading and len(current) == carried:
                current, carried = [], 0  # overlap never runs into a new section
            size = unit.end - current[0].start if current else 0
            # Tiny sections (a heading and a line) share a passage; a continued one never does.
            starts_section = unit.heading and bool(current) and (size >= self.settings.min_chars or not current[0].heading)
            if current and (starts_section or size > self.settings.max_chars):
                # A list's intro ("… gehören unter anderem:") goes with its items.
                intro = [current.pop()] if not starts_section and self._is_intro(text, current, carried) else []
                chunks.append(_chunk(current))
                current = [] if starts_section else self._overlap(text, current, (intro or [unit])[0]) + intro
                carried = len(current) - len(intro)
            current.append(unit)
        if current:
            chunks.append(_chunk(current))
        return chunks

    @staticmethod
    def _is_intro(text: str, current: list[_Unit], carried: int) -> bool:
        last = current[-1]
        return len(current) - carried >= 2 and not last.heading and text[last.start : last.end].rstrip().endswith(":")

    def _overlap(self, text: str, current: list[_Unit], unit: _Unit) -> list[_Unit]:
        if not self.settings.overlap_sentences:
            return []
        first = max(len(current) - self.settings.overlap_sentences, 0)
        # A sentence that goes on with a list item is carried with the item's start: a passage
        # beginning inside an item ("Hierzu zählen …") would quote it without what it refers
        # to, and take it for the intro of the items after it.
        line = _line_start(text, current, first)
        if LIST_ITEM.match(_piece(text, current[line])):
            first = line
        tail = [u for u in current[first:] if u.path == unit.path and not u.heading]
        fits = sum(u.end - u.start for u in tail) + unit.end - unit.start <= self.settings.max_chars // 2
        return tail if fits else []

    def _units(self, text: str, sections: list[SectionSpan]) -> list[_Unit]:
        units: list[_Unit] = []
        for section in sections:
            body_start = section.start
            if section.heading_end > section.start:
                units.append(_Unit(section.start, section.heading_end, section.path, heading=True))
                body_start = section.heading_end
            for start, end in sentence_spans(text, body_start, section.end):
                units.extend(self._split_long(text, start, end, section.path))
        return units

    def _split_long(self, text: str, start: int, end: int, path: tuple[str, ...]) -> list[_Unit]:
        """Sentences longer than a chunk (tables, lists without stops) split at whitespace."""
        limit = self.settings.max_chars
        pieces = []
        while end - start > limit:
            cut = text.rfind(" ", start, start + limit)
            cut = cut if cut > start else start + limit
            pieces.append(_Unit(start, cut, path, heading=False))
            start = cut + 1 if text[cut : cut + 1] == " " else cut
        pieces.append(_Unit(start, end, path, heading=False))
        return pieces


def _chunk(units: list[_Unit]) -> Chunk:
    return Chunk(units[0].start, units[-1].end, units[0].path, tuple(units))


def _piece(text: str, unit: _Unit) -> str:
    return re.sub(r"\s+", " ", text[unit.start : unit.end]).strip()


def _stands_apart(unit: _Unit, piece: str) -> bool:
    return unit.heading or is_caption(piece)


def _separator(previous_apart: bool, apart: bool, piece: str) -> str:
    """What goes before a unit in the passage: PDF line breaks become spaces, but a heading or
    a caption stands apart and a list item keeps its own line, so no quoted sentence runs into one."""
    return "\n\n" if apart or previous_apart else "\n" if LIST_ITEM.match(piece) else " "


def _line_start(text: str, units: list[_Unit], i: int) -> int:
    """The first of the units on the line of the passage that units[i] stands on."""
    while i > 0:
        previous, piece = units[i - 1], _piece(text, units[i])
        if _separator(_stands_apart(previous, _piece(text, previous)), _stands_apart(units[i], piece), piece) != " ":
            break
        i -= 1
    return i


def passage_text(text: str, chunk: Chunk) -> tuple[str, list[tuple[int, _Unit]]]:
    """The passage as running text (see _separator), and where in it each unit begins."""
    parts: list[str] = []
    starts: list[tuple[int, _Unit]] = []
    length = 0
    previous_apart = False
    for unit in chunk.units:
        piece = _piece(text, unit)
        if not piece:
            continue
        apart = _stands_apart(unit, piece)
        if parts:
            parts.append(_separator(previous_apart, apart, piece))
            length += len(parts[-1])
        starts.append((length, unit))
        parts.append(piece)
        length += len(piece)
        previous_apart = apart
    return "".join(parts), starts
