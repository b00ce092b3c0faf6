"""The Gradio web app: questions with cited answers, goals by topic, a topic matrix and
the document library.

Everything a user or a document wrote reaches the browser escaped: document text is
data, never markup. The app talks to nothing but the browser that opened it.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.answer import Answer
from assistant.components import Components
from assistant.conversation import UnknownDocuments
from assistant.settings import Settings
from assistant.feedback import RATINGS, FeedbackLog, feedback_record
from assistant.goals import (
    COVERS,
    GoalFinder,
    TopicMatrix,
    to_csv,
    to_markdown,
)
from assistant.library import (
    STATUSES,
    UploadError,
    check_upload,
    document_files,
    document_metadata,
    document_rows,
    metadata_from_form,
    remove_document,
    save_metadata,
    save_upload,
)
from assistant.views import (
    chunks,
    compare_table,
    conversation_text,
    e,
    goal_summary,
    goal_table,
    matrix_figure,
    matrix_table,
    render_sources,
    searched,
)
from index.store import IndexStoreError
from index.sync import IngestBusy, SyncReport
from ingest.metadata import MetadataError
from ingest.model import Passage

log = logging.getLogger(__name__)

APP_TITLE = "Dokumenten-Assistent"
EXAMPLES = [
    "Was sagt das Leitbild zum Radwegenetz?",
    "Welche Ziele gibt es zum Thema Wohnen?",
    "Wie viele Mitglieder hatte die Steuerungsgruppe der Nachhaltigkeitsstrategie?",
    "Was fordern die Jusos zum ÖPNV?",
]
TOPIC_EXAMPLES = ["Radverkehr", "Digitalisierung der Verwaltung", "Wohnen für junge Menschen"]
GOAL_WIDTHS = ["11%", "16%", "9%", "38%", "17%", "9%"]
COMPARE_WIDTHS = ["27%", "55%", "18%"]
DOCUMENT_COLUMNS = ["Kurzname", "Titel", "Herausgeber", "Jahr", "Status", "Art", "Datei", "Textstellen"]
# Downloads older than a day go in an hourly sweep: Gradio's copies of uploads and downloads, and
# the app's own files behind them (swept at the next download). A server that runs for months
# would otherwise fill its disk.
DOWNLOAD_CLEANUP_S = (3600, 86400)  # (how often, from what age)
STREAM_PAUSE_S = 0.03  # enough for the browser to render the pieces, too short to wait for
# Upload, removal and re-ingestion share one queue slot: the index has one writer.
ONE_INGESTION_AT_A_TIME = {"api_visibility": "private", "concurrency_limit": 1, "concurrency_id": "ingest"}

# Readable at a glance and with sufficient contrast (WCAG 2.1 AA, as BITV 2.0 requires):
# every text colour below has at least 4.5:1 against its background.
THEME = gr.themes.Default(primary_hue="blue", secondary_hue="slate", neutral_hue="slate").set(
    body_text_color="#0f172a",
    body_text_color_subdued="#475569",
    block_label_text_color="#1e293b",
    block_title_text_color="#0f172a",
    block_info_text_color="#475569",
    input_placeholder_color="#64748b",
    link_text_color="#1d4ed8",
    link_text_color_hover="#1e3a8a",
    link_text_color_visited="#6d28d9",
    button_primary_background_fill="#1d4ed8",
    button_primary_background_fill_hover="#1e40af",
    button_primary_border_color="#1d4ed8",
    button_primary_text_color="#ffffff",
    button_primary_text_color_hover="#ffffff",
    button_primary_background_fill_dark="#1d4ed8",
    button_primary_background_fill_hover_dark="#1e40af",
    button_primary_text_color_dark="#ffffff",
    button_secondary_background_fill="#e2e8f0",
    button_secondary_background_fill_hover="#cbd5e1",
    button_secondary_text_color="#0f172a",
    button_secondary_text_color_hover="#0f172a",
    button_cancel_background_fill="#b91c1c",
    button_cancel_background_fill_hover="#991b1b",
    button_cancel_text_color="#ffffff",
    button_cancel_text_color_hover="#ffffff",
    button_cancel_background_fill_dark="#b91c1c",
    button_cancel_text_color_dark="#ffffff",
    checkbox_label_text_color="#0f172a",
    error_text_color="#991b1b",
)

CSS = """
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
/* Gradio marks the open tab in a light blue (3.7:1 on white); a darker blue reads at 6.7:1. */
button[role="tab"][aria-selected="true"] { color: #1d4ed8 !important; }
.belege { padding-left: 0; list-style: none; }
.belege > li { margin: 0 0 .75rem 0; }
.belege summary, .aehnlich summary { cursor: pointer; font-weight: 600; }
.belege mark, .kontext mark { background: #fde68a; color: #0f172a; padding: 0 .15em; }
.beleg-meta { color: #334155; font-size: .95em; margin: .35rem 0; }
.beleg-text { border-left: 4px solid #1d4ed8; margin: .5rem 0; padding: .25rem .75rem; color: #0f172a; }
.kontext { border-left: 4px solid #94a3b8; padding: .25rem .75rem; color: #1e293b; }
.kontext .nachbar { color: #334155; }
.hinweis { color: #334155; }
.tabelle table, .tabelle th, .tabelle td, .tabelle span, .tabelle input { font-family: var(--font) !important; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
           clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
"""

# Gradio offers no aria attributes of its own; this gives the status areas a live role
# so screen readers announce answers and results, and marks the page as German.
ACCESSIBILITY_JS = """
() => {
  document.documentElement.lang = "de";
  const roles = {
    "antwort-status": {"role": "status", "aria-live": "polite"},
    "ziele-status": {"role": "status", "aria-live": "polite"},
    "matrix-status": {"role": "status", "aria-live": "polite"},
    "dokumente-status": {"role": "status", "aria-live": "polite"},
    "rueckmeldung-status": {"role": "status", "aria-live": "polite"},
    "belegstellen": {"role": "region", "aria-label": "Belegstellen zur Antwort"},
  };
  const apply = () => {
    for (const image of document.querySelectorAll("#matrix-grafik img")) {
      const text = "Themen-Matrix als Grafik: Anzahl der Ziele je Thema und Dokument. Dieselben Zahlen stehen in der Tabelle darunter.";
      if (image.getAttribute("alt") !== text) image.setAttribute("alt", text);
    }
    // Gradio's option lists carry no name: name them after the open selection field.
    for (const list of document.querySelectorAll('[role="listbox"]:not([aria-label])')) {
      const open = document.querySelector('[aria-expanded="true"]');
      const name = open && (open.getAttribute("aria-label") || (open.labels && open.labels[0] && open.labels[0].textContent.trim()));
      list.setAttribute("aria-label", name ? `Auswahl: ${name}` : "Auswahlliste");
    }
    for (const [id, attributes] of Object.entries(roles)) {
      const element = document.getElementById(id);
      if (!element) continue;
      for (const [name, value] of Object.entries(attributes)) {
        if (element.getAttribute(name) !== value) element.setAttribute(name, value);
      }
    }
  };
  apply();
  new MutationObserver(apply).observe(document.body, {childList: true, subtree: true});
}
"""


# -- small helpers ---------------------------------------------------------------------
def _slug(text: str) -> str:
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "thema"


def _status(text: str) -> str:
    """A status message as escaped HTML paragraphs (file and document names are data)."""
    return "".join(f"<p>{e(line)}</p>" for line in (text or "").split("\n") if line.strip())


# -- state shared by the handlers ------------------------------------------------------
class _Downloads:
    """Files offered for download, each in a folder of its own (two users may download a list on
    the same topic at once) under one folder of the app, which goes when the app ends."""

    def __init__(self) -> None:
        self._root = tempfile.TemporaryDirectory(prefix="dokumenten-assistent-")
        self._swept = time.monotonic()

    def new_folder(self) -> Path:
        root = Path(self._root.name)
        root.mkdir(exist_ok=True)  # a cleaner of /tmp may have taken it from a server that runs for weeks
        # Not on every answer: a day's downloads are many folders to look at.
        if time.monotonic() - self._swept >= DOWNLOAD_CLEANUP_S[0]:
            self._swept = time.monotonic()
            oldest = time.time() - DOWNLOAD_CLEANUP_S[1]
            for folder in root.iterdir():
                if folder.stat().st_mtime < oldest:
                    shutil.rmtree(folder, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=root))


@dataclass
class _Matrix:
    key: object
    matrix: TopicMatrix


class _Services:
    """What all handlers share; refreshed after an ingestion changed the documents."""

    def __init__(self, components: Components) -> None:
        self.components = components
        self.settings = components.settings
        self.assistant = components.assistant()
        self.finder = GoalFinder(
            components.index, components.retriever, components.analyzer, self.assistant.metadata, self.settings.topics
        )
        self.feedback = FeedbackLog.in_data_dir(self.settings.data_dir)
        self.downloads = _Downloads()
        self.ingest_lock = threading.Lock()
        self.matrix_lock = threading.Lock()
        self._matrix: _Matrix | None = None

    def refresh(self) -> None:
        try:
            self.assistant = self.components.assistant()
        except MetadataError:  # the ingestion has said so; answer with the last readable entries
            log.warning("documents.toml nicht lesbar; die bisherigen Angaben bleiben", exc_info=True)
        self.finder.metadata = self.assistant.metadata
        self._matrix = None

    def passages(self) -> dict[str, Passage]:
        return self.components.index.passages()

    def document_choices(self) -> list[tuple[str, str]]:
        """(shown name, doc_id) for every indexed document; names made unique."""
        ids = self.finder.document_ids()
        names = {doc_id: self.finder.short_title(doc_id) for doc_id in ids}
        seen: dict[str, int] = {}
        for name in names.values():
            seen[name] = seen.get(name, 0) + 1
        choices = [(name if seen[name] == 1 else f"{name} ({doc_id})", doc_id) for doc_id, name in names.items()]
        return sorted(choices, key=lambda c: c[0].casefold())

    def matrix(self, progress: gr.Progress | None = None) -> TopicMatrix:
        with self.matrix_lock:
            key = (self.components.index.generation, len(self.passages()))
            if self._matrix is None or self._matrix.key != key:

                def step(number: int, total: int, name: str) -> None:
                    if progress is not None:
                        progress(number / total, desc=f"Thema {number + 1} von {total}: {name}")

                self._matrix = _Matrix(key, self.finder.matrix(on_topic=step))
            return self._matrix.matrix


# -- the app ---------------------------------------------------------------------------
def _goal_frame(value: pd.DataFrame, widths: list[str], label: str, elem_id: str) -> gr.Dataframe:
    """A read-only table of goals, scrolling inside the page."""
    return gr.Dataframe(
        value=value,
        label=label,
        interactive=False,
        wrap=True,
        column_widths=widths,
        max_height=620,
        elem_id=elem_id,
        elem_classes=["tabelle"],
    )


def build_app(components: Components) -> gr.Blocks:
    services = _Services(components)
    choices = services.document_choices()

    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=DOWNLOAD_CLEANUP_S) as app:
        gr.HTML(
            f"<header><h1>{APP_TITLE}</h1><p>Fragen an die Dokumente des Kreises – jede Antwort stammt "
            "aus den Dokumenten und nennt ihre Belegstellen. Alles läuft auf diesem Rechner.</p></header>",
            elem_id="kopf",
        )
        with gr.Tabs(elem_id="bereiche"):
            choice_outputs = [
                *_chat_tab(services, choices),
                *_goals_tab(services, choices),
                *_matrix_tab(services, choices),
            ]
            _documents_tab(services, choices, choice_outputs)
        _question_api(services)
        app.load(None, None, None, js=ACCESSIBILITY_JS)
    return app


def _question_api(services: _Services) -> None:
    """For other programs and the load test: one call, one answer, no UI state. Built outside
    the tabs because gr.api places hidden components where it is called."""

    def frage(question: str, history: list[str] | None = None, doc_ids: list[str] | None = None) -> dict:
        """Eine Frage ohne Oberfläche: die Antwort als JSON wie `python -m assistant ask --json`;
        history sind die früheren Fragen des Gesprächs, älteste zuerst."""
        try:
            return services.assistant.ask(question, list(history or []), list(doc_ids or []) or None).to_json()
        except UnknownDocuments as error:
            raise gr.Error(str(error)) from error  # Gradio hides other errors' messages from clients

    gr.api(frage, api_name="frage", concurrency_limit=4)


def _chat_tab(services: _Services, choices: list[tuple[str, str]]) -> list[gr.CheckboxGroup]:
    """Questions and answers with their sources; returns the choice of documents to search."""
    with gr.Tab("Fragen", id="fragen", elem_id="tab-fragen"):
        turns = gr.State([])  # this conversation's (question as typed, Answer), oldest first
        last = gr.State(None)  # the last answer, for feedback
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    label="Gespräch",
                    elem_id="gespraech",
                    height=430,
                    render_markdown=False,
                    sanitize_html=True,
                    feedback_options=None,
                    buttons=["copy"],
                    placeholder="Stellen Sie eine Frage zu den Dokumenten des Kreises.",
                )
                question = gr.Textbox(
                    label="Ihre Frage",
                    placeholder="z. B. Was sagt das Leitbild zum Radwegenetz?",
                    lines=1,
                    max_lines=6,
                    info="Eingabetaste oder „Fragen“ sendet die Frage; Folgefragen wie „Und der Nachhaltigkeitsbericht?“ beziehen sich auf die vorige.",
                    elem_id="frage",
                )
                with gr.Row():
                    ask_button = gr.Button("Fragen", variant="primary", elem_id="fragen-senden")
                    new_button = gr.Button("Neues Gespräch", elem_id="neues-gespraech")
                    download_button = gr.DownloadButton("Gespräch herunterladen", interactive=False, elem_id="gespraech-herunterladen")
                searched_query = gr.HTML("", elem_id="gesuchte-anfrage")
                status = gr.HTML("", elem_id="antwort-status")
                gr.Examples(EXAMPLES, inputs=question, label="Beispielfragen (anklicken übernimmt die Frage)")
            with gr.Column(scale=2):
                doc_filter = gr.CheckboxGroup(
                    choices=choices,
                    label="Nur in diesen Dokumenten suchen",
                    info="Ohne Auswahl wird in allen Dokumenten gesucht.",
                    elem_id="dokumentfilter",
                )
                sources = gr.HTML("", elem_id="belegstellen")
        with gr.Accordion("Rückmeldung zur letzten Antwort", open=False, elem_id="rueckmeldung"):
            rating = gr.Radio(list(RATINGS), label="War die Antwort hilfreich?", elem_id="bewertung")
            comment = gr.Textbox(label="Kommentar (freiwillig)", lines=2, max_lines=6, elem_id="kommentar")
            feedback_button = gr.Button("Rückmeldung senden", elem_id="rueckmeldung-senden")
            feedback_status = gr.HTML("", elem_id="rueckmeldung-status")

    def respond(text: str, history: list, earlier: list[tuple[str, Answer]], chosen: list[str]):
        # Outputs: question, chat, turns, sources, searched query, status, last answer, feedback status, download.
        text = (text or "").strip()
        if not text:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), _status("Bitte geben Sie eine Frage ein."), gr.skip(), gr.skip(), gr.skip()
            return
        asked = [earlier_text for earlier_text, _ in earlier]
        history = list(history or []) + [
            {"role": "user", "content": e(text)},
            {"role": "assistant", "content": "Suche in den Dokumenten …"},
        ]
        # the question leaves the field; one typed while the answer comes stays
        yield "", history, earlier, "", "", _status("Die Dokumente werden durchsucht …"), None, "", gr.skip()
        draft = ""
        answer: Answer | None = None
        try:
            for event in services.assistant.stream(text, asked, list(chosen or []) or None):
                if isinstance(event, Answer):
                    answer = event
                elif event:
                    # A language model's words as they come; its checked answer follows.
                    draft += event
                    history[-1] = {"role": "assistant", "content": e(draft)}
                    yield gr.skip(), history, earlier, gr.skip(), gr.skip(), gr.skip(), None, "", gr.skip()
        except (IndexStoreError, IngestBusy, FileNotFoundError, UnknownDocuments) as error:
            history[-1] = {"role": "assistant", "content": e(f"Fehler: {error}")}
            yield gr.skip(), history, earlier, "", "", _status(f"Fehler: {error}"), None, "", gr.skip()
            return
        except Exception:
            log.exception("Antwort fehlgeschlagen")
            answer = None
        if answer is None:
            message = "Bei der Suche ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut."
            history[-1] = {"role": "assistant", "content": message}
            yield gr.skip(), history, earlier, "", "", _status(message), None, "", gr.skip()
            return
        searched_text = searched(answer, text)
        shown = answer.answer + (f"\n\n({searched_text})" if searched_text else "")
        # An extractive answer is complete at once; shown in growing pieces it reads
        # like the streamed one. A streamed draft is replaced by the checked answer.
        for piece in [shown] if draft else chunks(shown):
            history[-1] = {"role": "assistant", "content": e(piece)}
            # The status stays put while the text grows, so a screen reader announces once.
            yield gr.skip(), history, earlier, gr.skip(), gr.skip(), gr.skip(), None, "", gr.skip()
            time.sleep(STREAM_PAUSE_S)
        if answer.abstained:  # no statement found, or a question back: the status says which
            done = f"Antwort ohne Belegstellen: {answer.answer}"
        else:
            done = f"Antwort fertig, mit {len(answer.citations)} Belegstellen. Die Belegstellen stehen rechts neben dem Gespräch."
        done = "\n".join([done, *answer.notices])
        record = {"question": text, "history": asked, "doc_ids": list(chosen or []), "answer": answer.to_json()}
        turns_now = [*earlier, (text, answer)]
        yield (
            gr.skip(),
            history,
            turns_now,
            render_sources(answer, services.passages(), {m: meta.short_title for m, meta in services.assistant.metadata.items()}),
            _status(searched_text),
            _status(done),
            record,
            "",
            _conversation_download(services.downloads, turns_now),
        )

    chat_outputs = [question, chat, turns, sources, searched_query, status, last, feedback_status, download_button]
    # A question sent while the answer before it still comes is asked after it, not dropped.
    asked_in_turn = {"concurrency_limit": 4, "trigger_mode": "always_last"}
    ask_button.click(respond, [question, chat, turns, doc_filter], chat_outputs, api_name="ask", **asked_in_turn)
    question.submit(respond, [question, chat, turns, doc_filter], chat_outputs, api_visibility="private", **asked_in_turn)

    def new_conversation():
        return [], [], "", "", "", _status("Neues Gespräch begonnen."), None, "", None, "", _no_download()

    new_button.click(
        new_conversation,
        None,
        [chat, turns, question, sources, searched_query, status, last, feedback_status, rating, comment, download_button],
        api_visibility="private",
    )

    # The chat's own bin icon clears the conversation too; forget its questions with it.
    chat.clear(
        lambda: ([], "", "", _status("Gespräch gelöscht."), None, "", _no_download()),
        None,
        [turns, sources, searched_query, status, last, feedback_status, download_button],
        api_visibility="private",
    )

    def send_feedback(choice: str | None, note: str, record: dict | None):
        if record is None:
            return _status("Es gibt noch keine Antwort, zu der Sie eine Rückmeldung geben können."), gr.skip(), gr.skip()
        if choice not in RATINGS:
            return _status("Bitte wählen Sie „hilfreich“ oder „nicht hilfreich“."), gr.skip(), gr.skip()
        try:
            services.feedback.append(
                feedback_record(choice, note, record["question"], record["answer"], record["history"], record["doc_ids"])
            )
        except OSError:
            log.exception("Rückmeldung nicht gespeichert")
            return _status("Die Rückmeldung konnte nicht gespeichert werden. Bitte später erneut versuchen."), gr.skip(), gr.skip()
        return _status("Danke! Ihre Rückmeldung wurde gespeichert."), None, ""

    feedback_button.click(send_feedback, [rating, comment, last], [feedback_status, rating, comment], api_visibility="private")

    return [doc_filter]


def _conversation_download(downloads: _Downloads, turns: list[tuple[str, Answer]]) -> gr.DownloadButton:
    """The conversation so far as a text file, offered for download."""
    now = time.localtime()
    path = downloads.new_folder() / f"gespraech-{time.strftime('%Y-%m-%d-%H%M', now)}.txt"
    path.write_text(conversation_text(turns, time.strftime("%d.%m.%Y, %H:%M Uhr", now)), encoding="utf-8")
    return gr.DownloadButton(value=str(path), interactive=True)


def _no_download() -> gr.DownloadButton:
    # Built when a handler runs: inside the Blocks being built it would add a second button.
    return gr.DownloadButton(value=None, interactive=False)


def _goals_tab(services: _Services, choices: list[tuple[str, str]]) -> list[gr.CheckboxGroup | gr.Dropdown]:
    """Goals on a topic, exported and compared between two documents; returns the choices of documents."""
    with gr.Tab("Ziele", id="ziele", elem_id="tab-ziele"):
        gr.Markdown(
            "Welche Ziele der Dokumente behandeln ein Thema? Geben Sie ein Thema ein; die Tabelle zeigt "
            "die passenden Ziele, nach Dokument gruppiert, mit Belegstelle und Relevanz."
        )
        with gr.Row():
            topic = gr.Textbox(
                label="Thema",
                placeholder="z. B. Radverkehr, Digitalisierung der Verwaltung, Wohnen für junge Menschen",
                scale=3,
                elem_id="thema",
            )
            goal_filter = gr.CheckboxGroup(
                choices=choices, label="Nur in diesen Dokumenten", scale=2, elem_id="ziele-dokumente"
            )
        with gr.Row():
            goals_button = gr.Button("Ziele suchen", variant="primary", elem_id="ziele-suchen")
        gr.Examples(TOPIC_EXAMPLES, inputs=topic, label="Beispielthemen")
        goals_status = gr.HTML("", elem_id="ziele-status")
        goals_table = _goal_frame(goal_table([]), GOAL_WIDTHS, "Ziele zum Thema", "ziele-tabelle")
        with gr.Row():
            csv_button = gr.DownloadButton("Als CSV herunterladen", interactive=False, elem_id="export-csv")
            md_button = gr.DownloadButton("Als Markdown herunterladen", interactive=False, elem_id="export-md")
        with gr.Accordion("Zwei Dokumente vergleichen", open=False, elem_id="vergleich"):
            gr.Markdown("Die Ziele zweier Dokumente zum oben eingegebenen Thema nebeneinander.")
            with gr.Row():
                compare_a = gr.Dropdown(choices=choices, value=None, label="Erstes Dokument", elem_id="vergleich-a")
                compare_b = gr.Dropdown(choices=choices, value=None, label="Zweites Dokument", elem_id="vergleich-b")
            compare_button = gr.Button("Vergleichen", elem_id="vergleichen")
            compare_status = gr.HTML("", elem_id="vergleich-status")
            with gr.Row(equal_height=False):
                compare_left = _goal_frame(compare_table([]), COMPARE_WIDTHS, "Ziele im ersten Dokument", "vergleich-links")
                compare_right = _goal_frame(compare_table([]), COMPARE_WIDTHS, "Ziele im zweiten Dokument", "vergleich-rechts")

    def find_goals(text: str, chosen: list[str]):
        text = (text or "").strip()
        disabled = _no_download()
        if not text:
            return _status("Bitte geben Sie ein Thema ein."), goal_table([]), disabled, disabled
        try:
            matches = services.finder.find(text, list(chosen or []) or None)
        except IndexStoreError as error:
            return _status(f"Fehler: {error}"), goal_table([]), disabled, disabled
        folder = services.downloads.new_folder()
        csv_path = folder / f"ziele-{_slug(text)}.csv"
        md_path = folder / f"ziele-{_slug(text)}.md"
        csv_path.write_text(to_csv(matches), encoding="utf-8-sig")  # the BOM makes Excel read UTF-8
        md_path.write_text(to_markdown(text, matches), encoding="utf-8")
        return (
            _status(goal_summary(text, matches)),
            goal_table(matches),
            gr.DownloadButton(value=str(csv_path), interactive=True),
            gr.DownloadButton(value=str(md_path), interactive=True),
        )

    goals_outputs = [goals_status, goals_table, csv_button, md_button]
    goals_button.click(find_goals, [topic, goal_filter], goals_outputs, api_name="ziele")
    topic.submit(find_goals, [topic, goal_filter], goals_outputs, api_visibility="private")

    def compare(text: str, doc_a: str | None, doc_b: str | None):
        text = (text or "").strip()
        empty = compare_table([])
        if not text:
            return _status("Bitte geben Sie oben ein Thema ein."), empty, empty
        if not doc_a or not doc_b or doc_a == doc_b:
            return _status("Bitte wählen Sie zwei verschiedene Dokumente."), empty, empty
        left, right = services.finder.compare(text, doc_a, doc_b)
        name_a, name_b = services.finder.short_title(doc_a), services.finder.short_title(doc_b)
        return (
            _status(f"Thema „{text}“: {name_a} {len(left)} Ziele, {name_b} {len(right)} Ziele."),
            gr.Dataframe(value=compare_table(left), label=f"Ziele im ersten Dokument ({name_a}): {len(left)}"),
            gr.Dataframe(value=compare_table(right), label=f"Ziele im zweiten Dokument ({name_b}): {len(right)}"),
        )

    compare_button.click(
        compare, [topic, compare_a, compare_b], [compare_status, compare_left, compare_right], api_visibility="private"
    )

    return [goal_filter, compare_a, compare_b]


def _matrix_tab(services: _Services, choices: list[tuple[str, str]]) -> list[gr.Dropdown]:
    """Goals counted by topic and document, with the goals of a chosen cell; returns the cell's choice of documents."""
    settings = services.settings
    with gr.Tab("Themen-Matrix", id="matrix", elem_id="tab-matrix") as matrix_tab:
        gr.Markdown(
            f"Wie stark behandeln die Dokumente {len(settings.topics)} Themen? Jede Zelle zählt die Ziele "
            "eines Dokuments zu einem Thema. Wählen Sie unten eine Zelle (Thema und Dokument) oder klicken "
            "Sie in der Tabelle auf eine Zahl, um die Ziele dahinter zu sehen."
        )
        matrix_status = gr.HTML("", elem_id="matrix-status")
        matrix_button = gr.Button("Matrix berechnen", variant="primary", elem_id="matrix-berechnen")
        matrix_plot = gr.Plot(label="Themen-Matrix (Anzahl passender Ziele je Thema und Dokument)", format="png", elem_id="matrix-grafik")
        with gr.Accordion("Themen-Matrix als Tabelle", open=False, elem_id="matrix-tabelle-bereich"):
            matrix_data = gr.Dataframe(label="Themen-Matrix als Tabelle", interactive=False, elem_id="matrix-tabelle", elem_classes=["tabelle"])
        with gr.Row():
            cell_topic = gr.Dropdown(choices=list(settings.topics), value=None, label="Thema (Zeile)", elem_id="zelle-thema")
            cell_doc = gr.Dropdown(choices=choices, value=None, label="Dokument (Spalte)", elem_id="zelle-dokument")
            cell_button = gr.Button("Ziele dieser Zelle zeigen", elem_id="zelle-zeigen")
        cell_status = gr.HTML("", elem_id="zelle-status")
        cell_table = _goal_frame(goal_table([]), GOAL_WIDTHS, "Ziele der gewählten Zelle", "zelle-tabelle")

    def show_matrix(progress=gr.Progress()):
        try:
            matrix = services.matrix(progress)
        except IndexStoreError as error:
            return gr.skip(), gr.skip(), _status(f"Fehler: {error}")
        if not matrix.doc_ids:
            return None, None, _status("Es sind noch keine Dokumente aufgenommen.")
        total = sum(sum(row) for row in matrix.counts)
        return (
            matrix_figure(matrix),
            matrix_table(matrix),
            _status(f"Themen-Matrix: {len(matrix.topics)} Themen, {len(matrix.doc_ids)} Dokumente, {total} Zuordnungen von Zielen."),
        )

    matrix_outputs = [matrix_plot, matrix_data, matrix_status]
    matrix_button.click(show_matrix, None, matrix_outputs, api_name="matrix", concurrency_id="matrix")
    matrix_tab.select(show_matrix, None, matrix_outputs, api_visibility="private", concurrency_id="matrix")

    def show_cell(topic_name: str | None, doc_id: str | None):
        if not topic_name or not doc_id:
            return _status("Bitte wählen Sie ein Thema und ein Dokument."), goal_table([])
        matches = [m for m in services.finder.find(topic_name, [doc_id]) if m.relevance >= COVERS]
        name = services.finder.short_title(doc_id)
        if not matches:
            return _status(f"{name} enthält keine Ziele zum Thema „{topic_name}“."), goal_table([])
        return _status(f"{name}: {len(matches)} Ziele zum Thema „{topic_name}“."), goal_table(matches)

    cell_button.click(show_cell, [cell_topic, cell_doc], [cell_status, cell_table], api_visibility="private")

    def pick_cell(event: gr.SelectData):
        # A click on a number in the matrix table chooses that cell.
        try:
            row, column = event.index
        except (TypeError, ValueError):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        matrix = services.matrix()
        if column == 0 or row >= len(matrix.topics) or column - 1 >= len(matrix.doc_ids):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        topic_name, doc_id = matrix.topics[row], matrix.doc_ids[column - 1]
        message, table = show_cell(topic_name, doc_id)
        return topic_name, doc_id, message, table

    matrix_data.select(pick_cell, None, [cell_topic, cell_doc, cell_status, cell_table], api_visibility="private")

    return [cell_doc]


def _documents_tab(
    services: _Services, choices: list[tuple[str, str]], choice_outputs: list[gr.CheckboxGroup | gr.Dropdown]
) -> None:
    """The document library and, where the settings allow, upload, metadata, removal and
    re-ingestion; after each, choice_outputs (the other tabs' choices of documents) offer the
    documents anew."""
    settings = services.settings
    with gr.Tab("Dokumente", id="dokumente", elem_id="tab-dokumente"):
        gr.Markdown("Die aufgenommenen Dokumente mit ihren Angaben und der Zahl ihrer Textstellen.")
        documents_table = gr.Dataframe(
            value=_documents_frame(services),
            label="Dokumente",
            interactive=False,
            wrap=True,
            column_widths=["13%", "26%", "13%", "6%", "10%", "8%", "15%", "9%"],
            elem_id="dokumente-tabelle",
            elem_classes=["tabelle"],
        )
        documents_status = gr.HTML("", elem_id="dokumente-status")
        if not settings.uploads_enabled:
            gr.Markdown("Das Hochladen und Entfernen von Dokumenten ist in den Einstellungen abgeschaltet.", elem_id="hochladen-aus")
            return
        with gr.Group():
            gr.Markdown(
                f"### Dokument hochladen\nPDF-, TXT- oder Markdown-Dateien bis {settings.max_file_mb} MB. "
                "Das Dokument wird danach sofort aufgenommen und ist in allen Bereichen durchsuchbar."
            )
            upload = gr.File(
                label="Datei auswählen (PDF, TXT oder Markdown)",
                file_types=[".pdf", ".txt", ".md"],
                file_count="single",
                type="filepath",
                elem_id="hochladen-datei",
            )
            replace = gr.Checkbox(label="Vorhandenes Dokument mit gleichem Namen ersetzen", value=False, elem_id="ersetzen")
            upload_button = gr.Button("Hochladen und aufnehmen", variant="primary", elem_id="hochladen")
        with gr.Group():
            gr.Markdown(
                "### Angaben eines Dokuments\nTitel, Status und Herausgeber stehen bei jedem Zitat aus dem "
                "Dokument; mit dem Kurznamen und weiteren Namen lässt es sich in einer Frage nennen "
                "(„Was sagt das Radkonzept zu Schulwegen?“). Gespeichert wird in `documents.toml`."
            )
            meta_choice = gr.Dropdown(choices=choices, value=None, label="Dokument, dessen Angaben sich ändern sollen", elem_id="angaben-dokument")
            with gr.Row():
                meta_title = gr.Textbox(label="Titel", elem_id="angaben-titel")
                meta_short = gr.Textbox(label="Kurzname", elem_id="angaben-kurzname")
            with gr.Row():
                meta_publisher = gr.Textbox(label="Herausgeber", elem_id="angaben-herausgeber")
                meta_year = gr.Textbox(label="Jahr", elem_id="angaben-jahr")
                meta_status = gr.Dropdown(
                    choices=[("(keiner)", ""), *STATUSES], value="", label="Status", elem_id="angaben-status"
                )
            meta_aliases = gr.Textbox(label="Weitere Namen in Fragen (durch Kommas getrennt)", elem_id="angaben-namen")
            meta_button = gr.Button("Angaben speichern", elem_id="angaben-speichern")
        with gr.Group():
            gr.Markdown("### Dokument entfernen")
            remove_choice = gr.Dropdown(choices=_removable(services), value=None, label="Dokument zum Entfernen", elem_id="entfernen-auswahl")
            remove_confirm = gr.Checkbox(label="Ja, die Datei dieses Dokuments endgültig löschen", value=False, elem_id="entfernen-bestaetigen")
            remove_button = gr.Button("Dokument entfernen", variant="stop", elem_id="entfernen")
        with gr.Group():
            gr.Markdown("### Neu aufnehmen\nLiest den Dokumentordner neu ein; nur Geändertes wird neu berechnet.")
            rebuild = gr.Checkbox(label="Index vollständig neu aufbauen", value=False, elem_id="neu-aufbauen")
            reingest_button = gr.Button("Dokumente neu aufnehmen", elem_id="neu-aufnehmen")

    changes = _DocumentChanges(services, documents_status, documents_table, choice_outputs, remove_choice, meta_choice)
    sync_outputs = changes.outputs
    upload_button.click(changes.upload_handler, [upload, replace], [*sync_outputs, upload], **ONE_INGESTION_AT_A_TIME)
    remove_button.click(changes.do_remove, [remove_choice, remove_confirm], [*sync_outputs, remove_confirm], **ONE_INGESTION_AT_A_TIME)
    reingest_button.click(changes.do_reingest, [rebuild], sync_outputs, **ONE_INGESTION_AT_A_TIME)
    meta_fields = [meta_title, meta_short, meta_publisher, meta_year, meta_status, meta_aliases]
    meta_choice.change(changes.show_metadata, [meta_choice], meta_fields, api_visibility="private")
    meta_button.click(changes.save_meta, [meta_choice, *meta_fields], sync_outputs, **ONE_INGESTION_AT_A_TIME)
    upload.upload(lambda: "", None, documents_status, api_visibility="private")


class _DocumentChanges:
    """The Dokumente tab's handlers. Those that change the document folder take it in again
    and answer for `outputs`: the tab's status, table and choices, and every choice of
    documents in the other tabs."""

    def __init__(
        self,
        services: _Services,
        status: gr.HTML,
        table: gr.Dataframe,
        choice_outputs: list[gr.CheckboxGroup | gr.Dropdown],
        remove_choice: gr.Dropdown,
        meta_choice: gr.Dropdown,
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.choice_outputs = choice_outputs
        self.outputs = [status, table, *choice_outputs, remove_choice, meta_choice]

    def _unchanged(self) -> list:
        """Skips for every output after the status."""
        return [gr.skip()] * (len(self.outputs) - 1)

    def _after_ingest(self, message: str, describe: str | None = None) -> tuple:
        """describe: a document to show in the form for its entry in documents.toml."""
        self.services.refresh()
        new_choices = self.services.document_choices()
        updates = [
            gr.CheckboxGroup(choices=new_choices, value=[])
            if isinstance(choice, gr.CheckboxGroup)
            else gr.Dropdown(choices=new_choices, value=None)
            for choice in self.choice_outputs
        ]
        removable = gr.Dropdown(choices=_removable(self.services), value=None)
        described = describe if describe in dict(new_choices).values() else None
        return (
            _status(message),
            _documents_frame(self.services),
            *updates,
            removable,
            gr.Dropdown(choices=new_choices, value=described),
        )

    def _run_sync(self, rebuild_all: bool = False) -> SyncReport:
        if not self.services.ingest_lock.acquire(blocking=False):
            raise IngestBusy("Es läuft bereits eine Aufnahme von Dokumenten. Bitte später erneut versuchen.")
        try:
            return self.services.components.sync().run(self.settings.corpus_dir, show_progress=False, rebuild=rebuild_all)
        finally:
            self.services.ingest_lock.release()

    def upload_handler(self, path: str | None, replace_existing: bool, progress=gr.Progress()):
        # Outputs: status, documents table, every choice of documents, file field.
        unchanged = self._unchanged()
        if not self.settings.uploads_enabled:
            return (_status("Das Hochladen ist abgeschaltet."), *unchanged, None)
        if not path:
            return (_status("Bitte wählen Sie zuerst eine Datei aus."), *unchanged, gr.skip())
        progress(0.05, desc="Datei wird geprüft …")
        try:
            data = Path(path).read_bytes()
            name = check_upload(Path(path).name, data, self.settings.max_file_bytes)
            progress(0.15, desc="Datei wird gespeichert …")
            saved = save_upload(self.settings.corpus_dir, name, data, replace=bool(replace_existing))
        except UploadError as error:
            return (_status(f"Nicht aufgenommen: {error}"), *unchanged, None)
        except OSError as error:
            log.exception("Hochladen fehlgeschlagen")
            return (_status(f"Die Datei konnte nicht gespeichert werden ({error.strerror})."), *unchanged, None)
        progress(0.3, desc="Das Dokument wird aufgenommen (Text lesen, Textstellen berechnen) …")
        message = _ingest_message(self._run_sync, saved)
        progress(1.0, desc="Fertig")
        if saved.exists():  # not if it could not be read
            # Without a status a party programme would be quoted like an adopted goal.
            message += "\n\nTitel, Kurzname und Status (z. B. Entwurf, Parteiprogramm) lassen sich unten unter „Angaben eines Dokuments“ festlegen."
        return (*self._after_ingest(message, saved.stem), None)

    def do_remove(self, doc_id: str | None, confirmed: bool, progress=gr.Progress()):
        unchanged = (*self._unchanged(), gr.skip())
        if not self.settings.uploads_enabled:
            return (_status("Das Entfernen ist abgeschaltet."), *unchanged)
        if not doc_id:
            return (_status("Bitte wählen Sie ein Dokument aus."), *unchanged)
        if not confirmed:
            return (_status("Bitte bestätigen Sie das Löschen mit dem Häkchen."), *unchanged)
        progress(0.1, desc="Datei wird gelöscht …")
        try:
            removed = remove_document(self.settings.corpus_dir, doc_id)
        except (UploadError, OSError) as error:
            return (_status(f"Nicht entfernt: {error}"), *unchanged)
        progress(0.3, desc="Der Index wird aktualisiert …")
        message = _ingest_message(self._run_sync, None, f"„{removed.name}“ wurde entfernt.")
        return (*self._after_ingest(message), False)

    def do_reingest(self, rebuild_all: bool, progress=gr.Progress()):
        progress(0.1, desc="Dokumente werden aufgenommen …")
        message = _ingest_message(lambda: self._run_sync(bool(rebuild_all)), None, "Der Dokumentordner wurde neu eingelesen.")
        return self._after_ingest(message)

    def show_metadata(self, doc_id: str | None):
        meta = document_metadata(self.services.passages(), self.settings.corpus_dir).get(doc_id or "")
        if meta is None:
            return "", "", "", "", "", ""
        return meta.title, meta.short_title, meta.publisher, meta.year, meta.status, ", ".join(meta.aliases)

    def save_meta(self, doc_id: str | None, title: str, short: str, publisher: str, year: str, status: str, aliases: str, progress=gr.Progress()):
        unchanged = self._unchanged()
        if not self.settings.uploads_enabled:
            return (_status("Das Ändern der Angaben ist abgeschaltet."), *unchanged)
        if not doc_id:
            return (_status("Bitte wählen Sie ein Dokument aus."), *unchanged)
        current = document_metadata(self.services.passages(), self.settings.corpus_dir).get(doc_id)
        try:
            meta = metadata_from_form(title, short, aliases, publisher, year, status, current.kind if current else "")
            save_metadata(self.settings.corpus_dir, doc_id, meta)
        except MetadataError as error:
            return (_status(f"Nicht gespeichert: {error}"), *unchanged)
        except OSError as error:
            log.exception("Angaben nicht gespeichert")
            return (_status(f"Die Angaben konnten nicht gespeichert werden ({error.strerror})."), *unchanged)
        # The document is taken in again: its title and status go into every passage.
        progress(0.3, desc="Das Dokument wird mit den neuen Angaben aufgenommen …")
        message = _ingest_message(self._run_sync, None, f"Die Angaben zu „{meta.short_title}“ wurden gespeichert.")
        return self._after_ingest(message, doc_id)


def _documents_frame(services: _Services) -> pd.DataFrame:
    rows = document_rows(services.passages(), services.settings.corpus_dir)
    return pd.DataFrame(
        [[r.short_title, r.title, r.publisher, r.year, r.status, r.kind, r.file, r.passages] for r in rows],
        columns=DOCUMENT_COLUMNS,
    )


def _removable(services: _Services) -> list[tuple[str, str]]:
    files = document_files(services.settings.corpus_dir)
    names = dict(services.document_choices())
    shown = {doc_id: name for name, doc_id in names.items()}
    return sorted(((f"{shown.get(doc_id, doc_id)} ({path.name})", doc_id) for doc_id, path in files.items()), key=lambda c: c[0].casefold())


def _ingest_message(run, saved: Path | None, lead: str | None = None) -> str:
    """Run the ingestion and say in German what happened."""
    try:
        report = run()
    except IngestBusy as error:
        return str(error)
    except (IndexStoreError, FileNotFoundError, MetadataError) as error:
        return f"Fehler bei der Aufnahme: {error}"
    except Exception:
        log.exception("Aufnahme fehlgeschlagen")
        return "Bei der Aufnahme ist ein Fehler aufgetreten; der bisherige Index bleibt unverändert nutzbar."
    lines = [lead] if lead else []
    if saved is not None:
        problem = next((p for p in report.problems if p.file == saved.name), None)
        if problem is not None:
            # A file that cannot be read would be reported on every ingestion; it goes again.
            saved.unlink(missing_ok=True)
            lines.append(f"„{saved.name}“ wurde nicht aufgenommen und wieder entfernt: {problem.message}")
        else:
            lines.append(f"„{saved.name}“ wurde aufgenommen.")
    lines.append(report.summary())
    return "\n\n".join(lines)


# -- serving ---------------------------------------------------------------------------
def launch_options(settings: Settings) -> dict[str, Any]:
    """Everything launch() needs besides the app: address, login, look, limits.
    Nothing here lets the app reach out: no share link, no analytics, no server-side
    rendering through Node."""
    upload_mb = settings.max_file_mb * 2 + 1 if settings.uploads_enabled else 1
    options: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "theme": THEME,
        "css": CSS,
        "ssr_mode": False,
        "pwa": False,
        "mcp_server": False,
        "footer_links": [],
        "show_error": False,
        "enable_monitoring": False,
        # Gradio refuses far larger files before they are stored; the app's own German
        # message covers files just above the limit.
        "max_file_size": f"{upload_mb}mb",
    }
    if settings.auth_user and settings.auth_password:
        options["auth"] = [(settings.auth_user, settings.auth_password.get_secret_value())]
        options["auth_message"] = "Bitte melden Sie sich an, um den Dokumenten-Assistenten zu nutzen."
    return options


def serve(components: Components) -> None:
    app = build_app(components).queue(default_concurrency_limit=2)
    # Gradio's own start message offers a public share link; this tool never makes one.
    app.launch(quiet=True, prevent_thread_lock=True, **launch_options(components.settings))
    components.assistant().warm_up()  # before the message, so "läuft" means ready to answer quickly
    print(f"Der Dokumenten-Assistent läuft unter {app.local_url} (beenden mit Strg+C).", flush=True)
    app.block_thread()
