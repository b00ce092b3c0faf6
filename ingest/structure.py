"""Find headings in cleaned document text and give every line its section path.

PDF text carries no markup, so headings are recognised by their shape: letter-spaced
lines, numbered titles ("7. Verkehr und Mobilität", "X. MOBILITÄT UND VERKEHR",
"Aspekt 1.1: ..."), short all-caps lines, Markdown '#' lines, and the row labels of
tables extracted column by column ("Amt für Schule, Kultur und Weiterbildung (40)").
Each shape is a heading style; like Word heading styles, a style's level is the order
in which numbered styles first appear, unnumbered styles ranking below numbered ones.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.cleaning import MappedText
from ingest.sentences import CAPTION_WORDS

MAX_HEADING_CHARS = 90
_MARKDOWN = re.compile(r"^(#{1,6})\s+(\S.*)$")
_NUMBERED = re.compile(
    r"^(?:(?P<letter>[A-H])\.|(?P<roman>[IVX]{1,5})\.|(?P<arabic>\d{1,2}(?:\.\d{1,2})*)(?P<dot>\.?)|"
    r"(?P<label>[A-ZÄÖÜ][a-zäöü]+ \d{1,2}(?:\.\d{1,2})*):)\s+(?P<title>[A-ZÄÖÜ#„\"].*)$"
)
CAPTION = re.compile(rf"^(?:{CAPTION_WORDS})\b")  # a stray line, no heading
_CONJUNCTIONS = {"und", "oder", "&", "sowie"}
_TABLE_OF_CONTENTS = re.compile(r"(?:\t| {2,}|\.{3,})\s*\d{1,3}\s*$")
_OFFICE_CODE = re.compile(r"\(\d{2,3}\)$")
_YES_NO_CELL = re.compile(r"^(?:ja|nein)\b")
_SHORT_LINE = 30
_LOWERCASE_TITLE_WORDS = {
    "und", "oder", "für", "der", "die", "das", "des", "dem", "den", "im", "in", "zum", "zur",
    "von", "vom", "mit", "am", "an", "auf", "ist", "sind", "zu", "bis", "als", "aus", "bei",
}


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Heading:
    line: Line
    style: str
    title: str


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append(Line(pos, pos + len(raw), raw.strip()))
        pos += len(raw) + 1
    return lines


def in_capitals(text: str) -> bool:
    """Mostly capital letters, as headings in many PDFs are ("X. MOBILITÄT UND VERKEHR")."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def display_title(title: str) -> str:
    """'X. MOBILITÄT UND VERKEHR' -> 'X. Mobilität und Verkehr'; mixed case stays."""
    if not in_capitals(title):
        return title
    words = []
    for index, word in enumerate(title.split()):
        lower = word.lower()
        if index and lower in _LOWERCASE_TITLE_WORDS:
            words.append(lower)
        elif re.fullmatch(r"[IVX]+\.?|\w{1,3}\.?|[\W\d]+", word):
            words.append(word)  # numerals, acronyms (EU, IT) and numbers keep their case
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


def _is_letter_spaced(source_line: str) -> bool:
    return re.search(r"(?:^|\s)(?:\S ){3,}\S(?:\s|$)", source_line) is not None


def _style(line: Line, source_line: str, markdown: bool) -> str | None:
    text = line.text
    if not text or len(text) > MAX_HEADING_CHARS or _TABLE_OF_CONTENTS.search(source_line):
        return None
    if markdown:
        match = _MARKDOWN.match(text)
        return f"md{len(match.group(1))}" if match else None
    spaced = "spaced-" if _is_letter_spaced(source_line) else ""
    match = _NUMBERED.match(text)
    if CAPTION.match(text):
        return None
    if match and not text.endswith((",", ";")) and len(match.group("title")) > 2 and ". " not in match.group("title"):
        kind = next(k for k in ("letter", "roman", "label", "arabic") if match.group(k))
        case = _case(match.group("title"))
        if kind == "arabic" and match.group("dot"):
            kind = "arabic-dot"
        elif kind == "arabic" and case == "mixed" and not spaced:
            return None  # "84 Partnern aus Wirtschaft ..." is a sentence that starts a line
        return f"{spaced}{kind}-{case}"
    if spaced:
        return f"spaced-plain-{_case(text)}"
    letters = [c for c in text if c.isalpha()]
    if re.fullmatch(r"[IVXLC]+\.?", text):
        return None  # a stray roman numeral ("SGB" / "VIII")
    if len(letters) >= 4 and all(c.isupper() for c in letters) and not text.endswith(","):
        return "caps-colon" if text.endswith(":") else "caps"
    return None


def _case(title: str) -> str:
    return "upper" if in_capitals(title) else "mixed"


def _table_row_label(lines: list[Line], index: int) -> tuple[int, str] | None:
    """A row label of a column-extracted table: short lines ending in an office code
    ("(40)") or followed by a yes/no cell. Returns (first line index, title)."""
    line = lines[index]
    following = next((l.text for l in lines[index + 1 :] if l.text), "")
    follows_yes_no = _YES_NO_CELL.match(following)
    if not line.text or len(line.text) > _SHORT_LINE or not (_OFFICE_CODE.search(line.text) or follows_yes_no):
        return None
    first = index
    while (
        index - first < 6
        and first > 0
        and 0 < len(lines[first - 1].text) <= _SHORT_LINE
        and not lines[first - 1].text.endswith((".", ":", "?"))
    ):
        first -= 1
    block = [lines[i].text for i in range(first, index + 1)]
    if len(block) < 2 or not block[0][:1].isupper():
        return None
    title = " ".join(block)
    title = re.sub(r"(?<=[a-zäöüß])- (?!und|oder|bzw|sowie)(?=[a-zäöüß])", "", title)  # "Demo- grafischer"
    return first, title


def find_headings(text: MappedText, source: str, markdown: bool = False) -> list[Heading]:
    lines = split_lines(text.text)
    headings: list[Heading] = []
    consumed = -1
    items = _list_items(lines)
    for index, line in enumerate(lines):
        if index <= consumed or index in items:
            continue
        if not markdown:
            row = _table_row_label(lines, index)
            if row:
                first, title = row
                headings = [h for h in headings if h.line.start < lines[first].start]
                headings.append(Heading(Line(lines[first].start, line.end, title), "table-row", title))
                continue
        start, end = text.source_span(line.start, line.end)
        style = _style(line, source[start:end], markdown)
        if style is None:
            continue
        title = _MARKDOWN.match(line.text).group(2) if markdown else line.text
        # A heading broken over lines ("11 RESSOURCENSCHUTZ UND" / "KLIMAFOLGENANPASSUNG"),
        # or a label line before a numbered heading ("KRITERIUM" / "01 STRATEGIE").
        if headings and _continues(headings[-1], line, style, lines):
            previous = headings.pop()
            title = f"{previous.title} {title}"
            style = style if _is_numbered(style) else previous.style
            line = Line(previous.line.start, line.end, title)
        headings.append(Heading(line, style, title))
    return _without_labels(headings)


def _without_labels(headings: list[Heading]) -> list[Heading]:
    """A title that recurs below unnumbered headings of their own ("VERÄNDERUNG" above the
    figures of every indicator, "QUALITATIVE AUSSAGE" below them) labels a part of each one,
    no section: its lines stay in the section of the indicator they describe. Below a numbered
    heading a recurring title ("PRAXISBEISPIELE" in every aspect) is a section of its own."""
    counts = Counter(display_title(h.title) for h in headings)
    kept: list[Heading] = []
    owner: Heading | None = None  # the last heading with a title of its own
    for heading in headings:
        if counts[display_title(heading.title)] == 1:
            owner = heading
        elif owner is not None and not _is_numbered(owner.style):
            continue
        kept.append(heading)
    return kept


def _list_items(lines: list[Line]) -> set[int]:
    """Numbered lines after a sentence that announces them ("… sechs Handlungsfelder:") are
    the items of a list, not headings."""
    items: set[int] = set()
    announced = False
    for index, line in enumerate(lines):
        if not line.text:
            continue
        numbered = _NUMBERED.match(line.text)
        if announced and numbered and numbered.group("arabic"):
            items.add(index)
        elif not (announced and index - 1 in items):  # a wrapped item's next line keeps the list
            announced = line.text.endswith(":") and len(line.text.split()) > 3
    return items


def _is_numbered(style: str) -> bool:
    return not style.startswith(("caps", "spaced-plain"))


def _continues(previous: Heading, line: Line, style: str, lines: list[Line]) -> bool:
    if previous.style.startswith(("md", "table")) or any(
        l.text for l in lines if previous.line.end < l.start < line.start
    ):
        return False
    if _is_numbered(style):
        return not _is_numbered(previous.style) and len(previous.title.split()) == 1
    words = (previous.title.split()[-1].lower(), line.text.split()[0].lower())
    # letter-spaced lines of one case run on, a numbered first line included ("16 GUTE ARBEIT
    # UND NACHHALTIGES" / "WIRTSCHAFTEN")
    both_spaced = previous.style.startswith("spaced") and style.startswith("spaced")
    return words[0] in _CONJUNCTIONS or words[1] in _CONJUNCTIONS or (both_spaced and _case_of(previous.style) == _case_of(style))


def _case_of(style: str) -> str:
    return style.rsplit("-", 1)[-1]


def style_levels(headings: list[Heading]) -> dict[str, int]:
    """Numbered styles rank by first appearance; all unnumbered styles share the level below."""
    numbered: list[str] = []
    for heading in headings:
        if _is_numbered(heading.style) and heading.style not in numbered:
            numbered.append(heading.style)
    levels = {style: level for level, style in enumerate(numbered)}
    return {h.style: levels.get(h.style, len(numbered)) for h in headings}


@dataclass(frozen=True)
class SectionSpan:
    """A run of text under one heading path: [start, end) in the cleaned text."""

    path: tuple[str, ...]
    start: int
    end: int
    heading_end: int  # where the heading line itself ends (== start without heading)


def sections(text: MappedText, source: str, markdown: bool = False) -> list[SectionSpan]:
    headings = find_headings(text, source, markdown)
    levels = style_levels(headings)
    first = headings[0].line.start if headings else len(text.text)
    spans = [SectionSpan((), 0, first, 0)]
    stack: list[tuple[int, str]] = []
    for index, heading in enumerate(headings):
        level = levels[heading.style]
        stack = [(l, t) for l, t in stack if l < level] + [(level, display_title(heading.title))]
        end = headings[index + 1].line.start if index + 1 < len(headings) else len(text.text)
        spans.append(SectionSpan(tuple(t for _, t in stack), heading.line.start, end, heading.line.end))
    return [span for span in spans if span.end > span.start]
