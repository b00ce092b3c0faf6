"""What the app shows, made from answers, goals and the topic matrix: cited sources as
HTML, goal tables, the matrix as figure and table.

None of it needs Gradio, so it is tested and reused without starting the app. Everything a
user or a document wrote is escaped here: document text is data, never markup.
"""

from __future__ import annotations

import html
import re
from typing import Iterator

import pandas as pd

from assistant.answer import Answer, Citation
from assistant.goals import GoalMatch, TopicMatrix
from ingest.model import SECTION_SEPARATOR, Passage, innermost_heading

GOAL_COLUMNS = ["Dokument", "Ziel / Abschnitt", "Art", "Aussage", "Beleg", "Relevanz"]
COMPARE_COLUMNS = ["Ziel / Abschnitt", "Aussage", "Relevanz"]
STREAM_WORDS = 6  # words per streamed piece of an answer
SIMILAR_SHOWN = 3  # the passages nearest to a question the documents do not answer


# -- small helpers ---------------------------------------------------------------------
def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _neighbour_id(passage_id: str, step: int) -> str | None:
    doc_id, _, number = passage_id.rpartition("#")
    if not number.isdigit() or int(number) + step < 0:
        return None
    return f"{doc_id}#{int(number) + step:0{len(number)}d}"


def _without_overlap(previous: str, text: str) -> str:
    """Passages repeat the last sentence of the one before; show it once."""
    for size in range(min(len(previous), len(text)), 15, -1):
        if previous.endswith(text[:size]):
            return text[size:].lstrip()
    return text


def _highlight(text: str, quote: str) -> str:
    """The passage, escaped, with the quoted sentence(s) marked."""
    start = text.find(quote) if quote else -1
    if start < 0:
        return e(text)
    end = start + len(quote)
    return f"{e(text[:start])}<mark>{e(text[start:end])}</mark>{e(text[end:])}"


def _short_section(section: str) -> str:
    """The last heading of a section path, with its parent when it is a mere sub-heading
    ("Aspekt 12.1: … › Praxisbeispiele")."""
    parts = section.split(SECTION_SEPARATOR)[1:]
    if not parts:
        return section
    if len(parts) >= 2 and not re.match(r"^(?:\d|[IVX]{1,5}\.|[A-H]\.|\w+ \d)", parts[-1]):
        return SECTION_SEPARATOR.join(parts[-2:])
    return parts[-1]


def _page(page: str | None) -> str:
    return e(_plain_page(page))


def _plain_page(page: str | None) -> str:
    return f", Seite {page}" if page else ""


# -- chat: rendering ---------------------------------------------------------------------
def render_sources(answer: Answer, passages: dict[str, Passage], short_titles: dict[str, str] | None = None) -> str:
    """The numbered citations; each opens its passage with the quote marked, and the
    surrounding passages on request. All text escaped."""
    if not answer.citations:
        if not answer.retrieved:
            return ""
        items = "".join(
            f"<li><details class='aehnlich'><summary>{e(p.title)} – {e(innermost_heading(p.section))}{_page(p.page)}</summary>"
            f"<p class='beleg-meta'>Abschnitt: {e(p.section)}</p><blockquote class='beleg-text'>{e(p.text)}</blockquote></details></li>"
            for p in answer.retrieved[:SIMILAR_SHOWN]
        )
        return (
            "<h3>Ähnliche Stellen</h3><p class='hinweis'>Diese Stellen beantworten die Frage nicht sicher; "
            f"sie können beim Weitersuchen helfen.</p><ol class='belege'>{items}</ol>"
        )
    parts = [f"<h3>Belegstellen ({len(answer.citations)})</h3><ol class='belege'>"]
    for c in answer.citations:
        short = (short_titles or {}).get(c.doc_id) or c.title
        parts.append(f"<li id='beleg-{c.n}'>{_citation_html(c, passages, short)}</li>")
    parts.append("</ol>")
    return "".join(parts)


def _citation_html(c: Citation, passages: dict[str, Passage], short_title: str) -> str:
    passage = passages.get(c.passage_id)
    text = passage.text if passage else c.text
    details = [
        f"<strong>{e(c.title)}</strong>",
        f"Status: {e(c.status)}" if c.status else "",
        f"Herausgeber: {e(c.publisher)}" if c.publisher else "",
    ]
    where = f"Abschnitt: {e(c.section)}{_page(c.page)}"
    summary = f"[{c.n}] {e(short_title)} – {e(_short_section(c.section))}{_page(c.page)}"
    context = _context_html(c, passages)
    return (
        f"<details class='beleg'><summary>{summary}</summary>"
        f"<p class='beleg-meta'>{' · '.join(d for d in details if d)}<br>{where}</p>"
        f"<blockquote class='beleg-text'>{_highlight(text, c.text)}</blockquote>"
        f"{context}</details>"
    )


def _context_html(c: Citation, passages: dict[str, Passage]) -> str:
    current = passages.get(c.passage_id)
    if current is None:
        return ""
    before = passages.get(_neighbour_id(c.passage_id, -1) or "")
    after = passages.get(_neighbour_id(c.passage_id, +1) or "")
    if before is None and after is None:
        return ""
    pieces = []
    if before is not None:
        pieces.append(f"<p class='nachbar'><span class='sr-only'>Davor: </span>{e(before.text)}</p>")
    shown = _without_overlap(before.text, current.text) if before is not None else current.text
    pieces.append(f"<p>{_highlight(shown, c.text)}</p>")
    if after is not None:
        pieces.append(f"<p class='nachbar'><span class='sr-only'>Danach: </span>{e(_without_overlap(current.text, after.text))}</p>")
    return (
        "<details class='zusammenhang'><summary>im Zusammenhang zeigen</summary>"
        f"<div class='kontext'>{''.join(pieces)}</div></details>"
    )


def chunks(text: str) -> Iterator[str]:
    """The answer in growing pieces, for streaming."""
    words = re.split(r"(\s+)", text)
    for end in range(STREAM_WORDS * 2, len(words), STREAM_WORDS * 2):
        yield "".join(words[:end])
    yield text


def searched(answer: Answer, question: str) -> str:
    if not answer.query or answer.query.strip() == question.strip():
        return ""
    return f"Gesucht wurde: „{answer.query}“"


def conversation_text(turns: list[tuple[str, Answer]], as_of: str) -> str:
    """The conversation as plain text, for a memo or an e-mail: each question, the answer as
    it was shown, and its sources with document, status, publisher, section and page.
    as_of: when the text was made, as the reader should see it."""
    lines = [f"Gespräch mit dem Dokumenten-Assistenten, {as_of}"]
    for number, (question, answer) in enumerate(turns, 1):
        lines += ["", f"Frage {number}: {question}", *answer_lines(question, answer)]
    return "\n".join(lines) + "\n"


def answer_lines(question: str, answer: Answer) -> list[str]:
    """An answer as plain text, with all the chat shows of it: the query searched for a
    follow-up, the answer, its notices, and its sources with document, status, publisher,
    section and page, or, the documents holding no answer, the passages nearest to it."""
    lines = [searched_text] if (searched_text := searched(answer, question)) else []
    lines += ["", answer.answer, *answer.notices]
    if answer.citations:
        lines += ["", "Belegstellen:"]
    for c in answer.citations:
        source = ", ".join(x for x in (c.status, c.publisher) if x)
        lines.append(f"[{c.n}] {c.title}{f' ({source})' if source else ''} – {c.section}{_plain_page(c.page)}")
    if answer.abstained and answer.retrieved:
        lines += ["", "Ähnliche Stellen (sie beantworten die Frage nicht sicher):"]
        lines += [f"- {p.title} – {p.section}{_plain_page(p.page)}" for p in answer.retrieved[:SIMILAR_SHOWN]]
    return lines


# -- goals: rendering ------------------------------------------------------------------
def goal_table(matches: list[GoalMatch]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [m.document, m.goal.label or "–", m.goal.kind_label, m.goal.text, _goal_source(m), round(m.relevance * 100)]
            for m in matches
        ],
        columns=GOAL_COLUMNS,
    )


def _goal_source(match: GoalMatch) -> str:
    """Where the goal stands, for people: section and page (the export adds the passage id)."""
    return f"{match.goal.section}{_page(match.goal.page)}"


def compare_table(matches: list[GoalMatch]) -> pd.DataFrame:
    """One document's goals for the side-by-side view: narrower, the document is the column."""
    return pd.DataFrame(
        [[m.goal.label or "–", m.goal.text, round(m.relevance * 100)] for m in matches], columns=COMPARE_COLUMNS
    )


def goal_summary(topic: str, matches: list[GoalMatch]) -> str:
    if not matches:
        return f"Zum Thema „{topic}“ wurden in den Dokumenten keine Ziele gefunden."
    counts: dict[str, int] = {}
    for m in matches:
        counts[m.document] = counts.get(m.document, 0) + 1
    listed = ", ".join(f"{name} ({n})" for name, n in counts.items())
    return f"{len(matches)} Ziele in {len(counts)} Dokumenten zum Thema „{topic}“: {listed}."


def matrix_figure(matrix: TopicMatrix):
    """A heatmap with the number in every cell, so it reads without colour too."""
    from matplotlib.figure import Figure

    counts = matrix.counts
    figure = Figure(figsize=(10.5, 8.5), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    top = max((max(row) for row in counts), default=0) or 1
    image = axes.imshow(counts, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    axes.set_xticks(range(len(matrix.documents)), labels=[_wrap(d, 16) for d in matrix.documents], fontsize=10)
    axes.set_yticks(range(len(matrix.topics)), labels=matrix.topics, fontsize=10)
    axes.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False)
    for row, values in enumerate(counts):
        for column, value in enumerate(values):
            dark = value > top * 0.55
            axes.text(column, row, str(value), ha="center", va="center", fontsize=11,
                      color="white" if dark else "#0f172a", fontweight="bold" if value else "normal")
    axes.set_xticks([x - 0.5 for x in range(1, len(matrix.documents))], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(matrix.topics))], minor=True)
    axes.grid(which="minor", color="white", linewidth=1.5)
    axes.tick_params(which="minor", length=0)
    colorbar = figure.colorbar(image, ax=axes, shrink=0.6)
    colorbar.set_label("Anzahl passender Ziele")
    axes.set_title("Wie viele Ziele der Dokumente behandeln das Thema?", fontsize=13, pad=12)
    return figure


def _wrap(text: str, width: int) -> str:
    """Column labels on lines of about `width` characters; a long compound is hyphenated
    where it is composed ("Nachhaltigkeits-/bericht")."""
    from compound_split import char_split

    words = []
    for word in text.split():
        if len(word) > width and "-" in word[1:-1]:
            head, _, tail = word.partition("-")
            words += [f"{head}-", tail]
        elif len(word) > width:
            split = char_split.split_compound(word)
            if split and split[0][0] > 0:
                words += [f"{split[0][1]}-", split[0][2].lower()]
            else:
                words.append(word)
        else:
            words.append(word)
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line}{word}" if line.endswith("-") else f"{line} {word}".strip()
    return "\n".join(lines + [line])


def matrix_table(matrix: TopicMatrix) -> pd.DataFrame:
    return pd.DataFrame(
        [[topic, *row] for topic, row in zip(matrix.topics, matrix.counts)],
        columns=["Thema", *matrix.documents],
    )
