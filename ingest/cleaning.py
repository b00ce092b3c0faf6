"""Clean German text extracted from PDFs, keeping a map back to the source.

Every cleaning step is a regex substitution on a `MappedText`, which knows for
each cleaned character the source character it came from. A citation can
therefore always be traced to the exact words of the document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

# Continuations that mark a real hyphen ("Radwege- und Schienennetz").
_KEEP_HYPHEN_BEFORE = {"und", "oder", "bzw", "sowie"}


@dataclass(frozen=True)
class MappedText:
    """Text plus, for every character, its offset in the source text."""

    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, source: str) -> MappedText:
        return cls(source, tuple(range(len(source))))

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> MappedText:
        parts: list[str] = []
        origin: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            parts.append(self.text[last:start])
            origin.extend(self.origin[last:start])
            replacement = repl(match)
            parts.append(replacement)
            origin.extend(self._align(replacement, start, end))
            last = end
        parts.append(self.text[last:])
        origin.extend(self.origin[last:])
        return MappedText("".join(parts), tuple(origin))

    def _align(self, replacement: str, start: int, end: int) -> list[int]:
        """Map each replacement character to the matched character it keeps, if any."""
        matched = self.text[start:end]
        offsets, pos = [], 0
        for char in replacement:
            found = matched.find(char, pos)
            if found < 0:
                offsets.append(self.origin[start] if start < len(self.origin) else len(self.origin))
            else:
                offsets.append(self.origin[start + found])
                pos = found + 1
        return offsets

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that the cleaned span [start, end) was made from."""
        if start >= end:
            anchor = self.origin[start] if start < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return anchor, anchor
        return self.origin[start], self.origin[end - 1] + 1


def _nfkc(text: MappedText) -> MappedText:
    # Normalise per base character with its combining marks, so ligatures (ﬁ) and
    # decomposed umlauts become single characters mapped to their source position.
    return text.sub(re.compile(r".[\u0300-\u036f]*", re.S), lambda m: unicodedata.normalize("NFKC", m.group()))


_SOFT_HYPHEN = re.compile("[\u00ad\u200b\ufeff]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")
# A whole line of single characters separated by spaces ("0 1  S T R A T E G I E").
_SPACED_LINE = re.compile(r"(?m)^[ \t]*\S(?:[ \t]{1,4}\S){3,}[ \t]*$")
# Four or more single characters separated by single spaces inside a longer line.
_SPACED_RUN = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=([^\W\d_]+))")
_PAGE_NUMBER_LINE = re.compile(r"(?m)^[ \t]*(?:\d{1,3}|(?:SEITE|Seite) \d{1,3}(?: von \d{1,3})?)[ \t]*\n")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_SPACE_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def _join_letters(match: re.Match[str]) -> str:
    # "N A C H H A L T I G E  M O B I L I T Ä T": one space inside words, more between them.
    if sum(char.isalpha() for char in match.group()) < 4:
        return match.group()  # a row of figures, not a heading
    # Each gap keeps its first character, so every character maps to the one it came from.
    parts = re.split(r"([ \t]{2,})", match.group().strip())
    return "".join(part[0] if index % 2 else part.replace(" ", "").replace("\t", "") for index, part in enumerate(parts))


def _dehyphenate(match: re.Match[str]) -> str:
    continuation = match.group(1)
    if continuation[0].isupper():
        return "-"  # "E-\nMobilität" is a real compound hyphen: keep it, drop the break
    if continuation.lower() in _KEEP_HYPHEN_BEFORE:
        return "- "  # "Radwege- und Schienennetz": a real hyphen, one line
    return ""


def clean(source: str) -> MappedText:
    """Normalise PDF-extracted German text; the result maps back to `source`."""
    text = MappedText.of(source)
    text = text.sub(_CARRIAGE_RETURN, lambda m: "\n")
    text = text.sub(_SOFT_HYPHEN, lambda m: "")
    text = _nfkc(text)
    text = text.sub(_SPACED_LINE, _join_letters)
    text = text.sub(_SPACED_RUN, lambda m: m.group().replace(" ", ""))
    text = text.sub(_LINE_END_HYPHEN, _dehyphenate)
    text = text.sub(_SPACES, lambda m: " ")
    text = text.sub(_SPACE_AROUND_NEWLINE, lambda m: "\n")
    text = text.sub(_PAGE_NUMBER_LINE, lambda m: "")
    text = text.sub(_BLANK_LINES, lambda m: "\n\n")
    return text
