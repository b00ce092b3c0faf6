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
# Words that open a figure's or table's caption or a source line: stray lines of a PDF, neither
# headings nor statements.
CAPTION_WORDS = r"Abbildung|Abb\.|Tabelle|Tab\.|Grafik|Foto|Quelle"
# A numbered caption or a source line, with the lines that continue it in lower case. The PDF
# sets it apart, but its text runs it into the sentences around it.
_CAPTION = re.compile(rf"^[ \t]*(?:(?:{CAPTION_WORDS})[ \t]*\d+[:.]|Quelle:)[ \t].*(?:\n[ \t]*[a-zäöüß].*)*$", re.M)
_BOUNDARY = re.compile(rf"{_BLOCK_BREAK.pattern}|(?P<caption>{_CAPTION.pattern})", re.M)


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Spans [s, e) of text[start:end] that no sentence crosses, each with whether it is a
    caption."""
    blocks = []
    block_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        blocks.append((block_start, match.start(), False))
        if match.group("caption") is not None:
            blocks.append((*match.span(), True))
        block_start = match.end()
    return [*blocks, (block_start, end, False)]


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans [s, e) of the sentences in text[start:end], whitespace trimmed; a caption is one."""
    spans: list[tuple[int, int]] = []
    for block_start, block_end, caption_block in _blocks(text, start, end):
        if caption_block:  # whole, as the caption it is, even with a full stop inside
            caption = text[block_start:block_end]
            spans.append((block_start + len(caption) - len(caption.lstrip()), block_start + len(caption.rstrip())))
            continue
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
    return spans


def is_caption(sentence: str) -> bool:
    return _CAPTION.fullmatch(re.sub(r"\s+", " ", sentence)) is not None


def quotable_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a passage an answer may quote; the index embeds each of them too."""
    return [
        (s, e)
        for s, e in sentence_spans(text, 0, len(text))
        if len(text[s:e].split()) >= _MIN_QUOTE_WORDS and not is_caption(text[s:e])
    ]
