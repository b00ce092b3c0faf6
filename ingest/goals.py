"""Goal units: the statements in a document that say what is to be achieved.

Goals are read from the passages' structure, not from a model: a bullet of a goal list
("- Ausbau der Radverkehrsinfrastruktur ..."), a sentence of a numbered thesis in a
document that announces theses ("Zehn Thesen"), a programme demand ("wir fordern",
"wir setzen uns ... ein", "wir wollen"), and a sentence with a goal cue ("Ziel ist",
"soll", "wird ... ausgebaut", "Förderung von ...") — called a criterion when it sits
in a report's criterion or field of action ("Kriterium 03", "Handlungsfeld 12").
Passages overlap by a sentence, so one goal may lie in several passages; it is kept
once, with every passage it lies in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ingest.model import SECTION_SEPARATOR, Passage
from ingest.sentences import sentence_spans
from ingest.structure import CAPTION, display_title, in_capitals

KIND_LABELS = {
    "bullet": "Zielpunkt",
    "thesis": "These",
    "demand": "Forderung",
    "criterion": "Berichtskriterium",
    "goal": "Zielaussage",
}

# A list item starts after a bullet; a hyphen only counts before a capital letter,
# because "02452 - 131701" and "eine zentrale - im Amt ..." are no list items.
_BULLET = re.compile(r"(?:^|\n)[ \t]*[-–•▪●■◦][ \t]+|(?<=\s)(?:[•▪●■◦]|-(?=\s+[„\"A-ZÄÖÜ]))\s+")
# Tables of contents and thesis overviews list several numbered titles in one passage.
_ENUMERATED_TITLE = re.compile(r"(?:^|\s)(?:\d{1,2}|[IVX]{1,5})\.\s+[A-ZÄÖÜ]")
_NUMBERED_SECTION = re.compile(r"^(\d{1,2})\.\s+(.+)$")
_SPECIFIC_HEADING = re.compile(r"^(?:\d|[IVX]{1,5}\.|[A-H]\.|[A-ZÄÖÜ][a-zäöü]+ \d)")
_THESES = re.compile(r"\bThesen\b")
_BLOCKS = re.compile(r"\n\s*\n")
_REPORT_PART = re.compile(r"\b(?:Kriterium|Kriterien|Handlungsfeld|Aspekt)\b", re.I)
# A heading run in capitals at the start of a passage ("I. WIRTSCHAFT UND ARBEIT WIRTSCHAFT: Die ...")
# that the section path does not name.
_LEADING_CAPS = re.compile(
    r"^(?:(?:[IVX]{1,5}|[A-H]|\d{1,2})\.\s+)?(?:[A-ZÄÖÜß][A-ZÄÖÜß\-,&]+:?\s+)+(?=[A-ZÄÖÜ][a-zäöüß])"
)
# Parts of a document that introduce or thank rather than set goals, and its contents, which
# lists the titles of the goals' sections.
_INTRODUCES_OR_THANKS = re.compile(r"^(?:Vorwort|Grußwort|Impressum|Danksagung|Quellen|Literatur\w*|Abbildungsverzeichnis)\b", re.I)
_CONTENTS = re.compile(r"^(?:Inhalt|Inhaltsverzeichnis)\b", re.I)
# A report after the Berichtsrahmen Nachhaltige Kommune (BNK) prints under each criterion's
# heading what that criterion asks it to disclose ("Der Kreis legt offen, wie …", "Er berichtet
# über …"): the framework's words, not what the Kreis says or does.
_CRITERION_HEADING = re.compile(r"^(?:Kriterium|Handlungsfeld)\s+\d", re.I)
_CRITERION_DESCRIPTION = re.compile(
    r"(?:Der Kreis|Die Kommune|Die Stadt|Die Gemeinde|Er|Sie)\s+(?:legt\b[^.!?]*\boffen|berichtet|beschreibt|erläutert|zeigt\b[^.!?]*\bauf)\b"
    r"|Weiterhin wird\b[^.!?]*\bberichtet"
)
_DEMAND = re.compile(
    r"\bwir\b[^.!?]{0,80}?\b(?:fordern|wollen|möchten|setzen|kämpfen|brauchen|streben|treten|unterstützen)\b"
    r"|\b(?:unser|unsere)\s+(?:Ziel|Ziele|Forderung|Forderungen)\b",
    re.I,
)
_GOAL_CUE = re.compile(
    r"\b(?:Ziel|Ziele|Zielen|zielt|Leitziel|soll|sollen|sollte|sollten|muss|müssen|angestrebt|strebt|"
    r"fördert|fördern|gefördert|unterstützt|stärkt|gestärkt|ausgebaut|ausbauen|gewährleistet|gewährleisten|"
    r"sichergestellt|sicherstellen|verbessert|weiterentwickelt|setzt\s+sich|engagiert\s+sich|"
    r"stellt\b[^.!?]{0,60}\bsicher|baut\b[^.!?]{0,60}\baus|bis\s+(?:spätestens\s+)?20\d\d)\b"
)
# Goal lists often state goals as nouns: "Ausbau des Busnetzes", "Stärkung der Jugendbeteiligung".
_NOMINAL_GOAL = re.compile(
    r"^(?:Die\s+|Der\s+|Das\s+)?(?:[A-ZÄÖÜ][a-zäöüß]+ung|Ausbau|Aufbau|Erhalt|Einsatz|Abbau|Mehr|Weniger|Neue|Bessere?)\b"
)
MIN_WORDS = 4
MAX_CHARS = 700


@dataclass(frozen=True)
class Goal:
    id: str
    doc_id: str
    kind: str  # one of KIND_LABELS
    label: str  # the goal or section it belongs to: "These 7: Verkehr und Mobilität"
    section: str  # the full section path where it stands in its first passage
    text: str  # the goal's own sentence(s), as in the passage
    passage_ids: tuple[str, ...]  # every passage the goal lies in, first one first
    page: str | None

    @property
    def passage_id(self) -> str:
        return self.passage_ids[0]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def extract_goals(passages: Iterable[Passage]) -> list[Goal]:
    """All goal units of the given passages (any number of documents), in document order."""
    by_doc: dict[str, list[Passage]] = {}
    for passage in passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    goals: list[Goal] = []
    for doc_id in sorted(by_doc):
        goals.extend(_document_goals(doc_id, sorted(by_doc[doc_id], key=lambda p: (p.start, p.id))))
    return goals


def introduces_or_thanks(path: list[str]) -> bool:
    """A section path through a foreword, greeting, imprint or sources: no goal is set there."""
    return any(_INTRODUCES_OR_THANKS.match(title) for title in path)


def describes_the_criterion(path: list[str], sentence: str) -> bool:
    """Whether the sentence is the reporting framework's description of the criterion whose
    section (path) it opens."""
    return bool(path) and _CRITERION_HEADING.match(path[-1]) is not None and _CRITERION_DESCRIPTION.match(sentence) is not None


def _sets_no_goals(path: list[str]) -> bool:
    return introduces_or_thanks(path) or any(_CONTENTS.match(title) for title in path)


def _document_goals(doc_id: str, passages: list[Passage]) -> list[Goal]:
    has_theses = any(_THESES.search(p.text) for p in passages)
    found: dict[str, dict] = {}  # normalised text -> fields, in document order
    for passage in passages:
        path = passage.section.split(SECTION_SEPARATOR)[1:]  # without the document's name
        if _sets_no_goals(path):
            continue
        if len(_ENUMERATED_TITLE.findall(passage.text)) >= 3:
            continue  # an overview of titles states no goal itself
        # Headings stand in blocks of their own; a heading inside the passage starts a
        # section the passage's path does not name, and names the goals after it.
        for block_start, block in _blocks(passage.text):
            block, titles = _strip_headings(block.strip(), path)
            path = path + titles
            if _sets_no_goals(titles):
                break
            if not block:
                continue
            thesis = _thesis_number(path) if has_theses else None
            for kind, unit in _units(block, path, thesis is not None):
                key = _normalise(unit)
                if key in found:
                    if passage.id not in found[key]["passage_ids"]:
                        found[key]["passage_ids"].append(passage.id)
                    continue
                section, page = passage.place(block_start)
                found[key] = {
                    "kind": kind,
                    "label": _label(path, thesis),
                    "section": section,
                    "text": unit,
                    "passage_ids": [passage.id],
                    "page": page,
                }
    _merge_fragments(found)
    return [
        Goal(f"{doc_id}~{n:04d}", doc_id, f["kind"], f["label"], f["section"], f["text"], tuple(f["passage_ids"]), f["page"])
        for n, f in enumerate(found.values())
    ]


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """The blocks between blank lines, each with its offset in the text."""
    start = 0
    for blank in [*_BLOCKS.finditer(text), None]:
        end = blank.start() if blank else len(text)
        yield start, text[start:end]
        if blank:
            start = blank.end()


def _merge_fragments(found: dict[str, dict]) -> None:
    """A passage may end inside a sentence the next one holds whole ("... zu" / "... zu
    stärken."): a unit contained in a longer one is the same goal."""
    keys = sorted(found, key=len, reverse=True)
    for index, short in enumerate(keys):
        whole = next((long for long in keys[:index] if long in found and short in long), None)
        if whole is not None:
            for passage_id in found.pop(short)["passage_ids"]:
                if passage_id not in found[whole]["passage_ids"]:
                    found[whole]["passage_ids"].append(passage_id)


def _units(text: str, path: list[str], in_thesis: bool) -> list[tuple[str, str]]:
    """(kind, text) for each goal unit of one passage's text."""
    units: list[tuple[str, str]] = []
    in_report = any(_REPORT_PART.search(title) for title in path)
    for index, piece in enumerate(_BULLET.split(text)):
        sentences = [piece[s:e].strip() for s, e in sentence_spans(piece, 0, len(piece))]
        if index > 0 and sentences:
            # A list item is the first sentence after its bullet; passages have lost their
            # line breaks, so what follows it may be running text again.
            item, sentences = sentences[0], sentences[1:]
            if _words(item) >= MIN_WORDS and not CAPTION.match(item):
                units.append(("bullet", _shorten(item)))
        for sentence in sentences:
            if _words(sentence) < MIN_WORDS or CAPTION.match(sentence) or describes_the_criterion(path, sentence):
                continue
            if not (sentence[:1].isalpha() or sentence.startswith("„")):
                continue
            if _DEMAND.search(sentence):
                units.append(("demand", _shorten(sentence)))
            elif in_thesis and _words(sentence) >= 5 and sentence.endswith((".", "!")):
                units.append(("thesis", _shorten(sentence)))
            elif _GOAL_CUE.search(sentence) or _NOMINAL_GOAL.match(sentence):
                units.append(("criterion" if in_report else "goal", _shorten(sentence)))
    return units


def _thesis_number(path: list[str]) -> tuple[int, str] | None:
    match = _NUMBERED_SECTION.match(path[-1]) if path else None
    return (int(match.group(1)), match.group(2)) if match else None


def _label(path: list[str], thesis: tuple[int, str] | None) -> str:
    if thesis:
        return f"These {thesis[0]}: {thesis[1]}"
    if not path:
        return ""
    # The most specific numbered heading names the goal field ("X. Mobilität und Verkehr");
    # an unnumbered sub-heading below it ("Praxisbeispiele") is added after it.
    path = [title.rstrip(" :") for title in path]
    specific = [title for title in path if _SPECIFIC_HEADING.match(title)]
    if not specific:
        return path[-1]
    return specific[-1] if specific[-1] == path[-1] else f"{specific[-1]}{SECTION_SEPARATOR}{path[-1]}"


def _strip_headings(text: str, path: list[str]) -> tuple[str, list[str]]:
    """Passage text starts with its heading ("7. Verkehr und Mobilität" and then "Für die
    ..."): the heading names the goal, it is not part of the goal's sentence. Returns the
    text without leading headings, and the headings found there that the path does not name."""
    inner: list[str] = []
    changed = True
    while changed and text:
        changed = False
        for title in path + inner:
            if text.lower().startswith(title.lower()) and _ends_word(text, len(title)):
                text = text[len(title) :].lstrip(" :\n")
                changed = True
        if not text:
            break
        if _is_heading_block(text):
            inner.append(display_title(re.sub(r"\s+", " ", text)))
            return "", inner
        caps = _LEADING_CAPS.match(text)
        if caps and (len(caps.group(0).split()) >= 2 or caps.group(0).rstrip().endswith(":")):
            # "I. WIRTSCHAFT UND ARBEIT WIRTSCHAFT:" is a heading and a sub-heading label.
            run = re.sub(r"\s+", " ", caps.group(0)).strip()
            parts = re.match(r"^(.+?)\s+([^\s:]+:)$", run)
            for part in parts.groups() if parts else (run,):
                inner.append(display_title(part))
            text = text[caps.end() :]
            changed = True
    return text, inner


def _ends_word(text: str, position: int) -> bool:
    return position >= len(text) or not text[position].isalnum()


def _is_heading_block(text: str) -> bool:
    """A block that is only a heading: short, no sentence, numbered, in capitals or a label."""
    text = text.strip()
    if not text or len(text) > 90 or "\n" in text.strip() or text.endswith((".", "!", "?", ",", ";")):
        return False
    return in_capitals(text) or text.endswith(":") or bool(_SPECIFIC_HEADING.match(text))


def _normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]{2,}", text))


def _shorten(text: str) -> str:
    text = text.strip()
    if len(text) <= MAX_CHARS:
        return text
    return text[: MAX_CHARS - 2].rsplit(" ", 1)[0] + " …"
