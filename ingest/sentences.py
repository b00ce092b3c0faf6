"""German sentence boundaries with offsets (abbreviations like z. B., Abs., 12. März stay whole)."""

from __future__ import annotations

import re

import sentencex

# A shorter "sentence" ("05.", a lone heading) is no answer to quote.
_MIN_QUOTE_WORDS = 4
# The start of a list item: a bullet, or a number ("1.", "2)").
LIST_ITEM = re.compile(r"[-–•▪●■◦]\s|\d{1,2}[.)]\s")
_MARKER_ONLY = re.compile(r"[-–•▪●■◦]|\d{1,2}[.)]")
# Blank lines and list items end a sentence even without a full stop.
_BLOCK_BREAK = re.compile(rf"\n\s*\n|\n(?=\s*(?:{LIST_ITEM.pattern}))")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans [s, e) of the sentences in text[start:end], whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    block_start = start
    for match in [*_BLOCK_BREAK.finditer(text, start, end), None]:
        block_end = match.start() if match else end
        position = block_start
        marker = None  # a list item's number, which sentencex splits off ("1." / "Nachhaltige ...")
        for sentence in sentencex.segment("de", text[block_start:block_end]):
            found = text.find(sentence.strip(), position, block_end) if sentence.strip() else -1
            if found < 0:
                continue
            position = found + len(sentence.strip())
            if marker is None and _MARKER_ONLY.fullmatch(sentence.strip()):
                marker = found
                continue
            spans.append((found if marker is None else marker, position))
            marker = None
        if marker is not None:
            spans.append((marker, position))
        block_start = match.end() if match else end
    return spans


def quotable_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a passage an answer may quote; the index embeds each of them too."""
    return [(s, e) for s, e in sentence_spans(text, 0, len(text)) if len(text[s:e].split()) >= _MIN_QUOTE_WORDS]
