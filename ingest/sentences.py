"""German sentence boundaries with offsets (abbreviations like z. B., Abs., 12. März stay whole)."""

from __future__ import annotations

import re

import sentencex

# Blank lines and list bullets end a sentence even without a full stop.
_BLOCK_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-–•▪]\s|\d{1,2}[.)]\s))")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans [s, e) of the sentences in text[start:end], whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    block_start = start
    for match in [*_BLOCK_BREAK.finditer(text, start, end), None]:
        block_end = match.start() if match else end
        position = block_start
        for sentence in sentencex.segment("de", text[block_start:block_end]):
            found = text.find(sentence.strip(), position, block_end) if sentence.strip() else -1
            if found < 0:
                continue
            spans.append((found, found + len(sentence.strip())))
            position = found + len(sentence.strip())
        block_start = match.end() if match else end
    return spans
