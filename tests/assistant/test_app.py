"""The app's pieces that need no browser: escaping, citations, streaming, launch options,
a broken documents.toml, the conversation as a text file."""

import shutil

import pytest
from pydantic import ValidationError

from assistant.answer import Answer, Citation, RetrievedPassage
from assistant.app import _Downloads, launch_options
from assistant.settings import Settings
from assistant.views import _highlight, _without_overlap, answer_lines, chunks, conversation_text, render_sources
from ingest.model import Passage


def passage(n, text, doc="d"):
    return Passage(f"{doc}#{n:04d}", doc, "Titel <i>", "Kurz › 1. Abschnitt", "3", 0, len(text), text)


def test_citations_escape_document_text_and_mark_the_quote():
    passages = {
        "d#0000": passage(0, "Davor steht etwas. Der Satz davor."),
        "d#0001": passage(1, "Der Satz davor. Der Kreis <b>baut</b> Radwege aus. Danach mehr."),
        "d#0002": passage(2, "Danach mehr. Ganz am Ende."),
    }
    quote = "Der Kreis <b>baut</b> Radwege aus."
    citation = Citation(1, "d", "Titel <i>", "Kurz › 1. Abschnitt", "3", quote, "d#0001", "Entwurf", "Kreis & Co")
    answer = Answer("Antwort [1]", False, [citation], [], "de", "q")
    html = render_sources(answer, passages, {"d": "Kurz"})
    assert "<b>" not in html and "<i>" not in html
    assert "<mark>Der Kreis &lt;b&gt;baut&lt;/b&gt; Radwege aus.</mark>" in html
    assert "[1] Kurz – 1. Abschnitt, Seite 3" in html
    assert "Status: Entwurf" in html and "Herausgeber: Kreis &amp; Co" in html
    assert "im Zusammenhang zeigen" in html
    assert "Davor steht etwas." in html and "Ganz am Ende." in html


def test_an_abstained_answer_shows_similar_passages():
    retrieved = [RetrievedPassage("d", "T", "Kurz › X", None, "Text <script>", 0.1, "d#0000")]
    html = render_sources(Answer("Keine Aussage.", True, [], retrieved, "de", "q"), {})
    assert "Ähnliche Stellen" in html and "&lt;script&gt;" in html and "<script>" not in html


def test_highlight_and_overlap():
    assert _highlight("a <x> b", "<x>") == "a <mark>&lt;x&gt;</mark> b"
    assert _highlight("nichts", "fehlt") == "nichts"
    assert _without_overlap("Eins. Zwei ist der letzte Satz.", "Zwei ist der letzte Satz. Drei.") == "Drei."
    assert _without_overlap("Eins.", "Ganz anders.") == "Ganz anders."


def test_streaming_pieces_grow_to_the_whole_answer():
    text = " ".join(f"Wort{i}" for i in range(40))
    pieces = list(chunks(text))
    assert len(pieces) > 3 and pieces[-1] == text
    assert all(text.startswith(p) for p in pieces)


def test_a_conversation_as_text_holds_each_question_the_searched_query_the_answer_and_its_sources(corpus_components):
    assistant = corpus_components.assistant()
    first = "Was sagt das Leitbild zum Radverkehr?"
    follow_up = "Und der Nachhaltigkeitsbericht?"
    turns = [(first, assistant.ask(first)), (follow_up, assistant.ask(follow_up, [first]))]
    text = conversation_text(turns, "03.12.2026, 10:15 Uhr")
    assert text.startswith("Gespräch mit dem Dokumenten-Assistenten, 03.12.2026, 10:15 Uhr\n")
    assert f"Frage 1: {first}\n\n{turns[0][1].answer}\n" in text
    assert "Frage 2: Und der Nachhaltigkeitsbericht?\nGesucht wurde: „Was sagt der Nachhaltigkeitsbericht zum Radverkehr?“" in text
    leitbild = turns[0][1].citations[0]
    assert leitbild.doc_id == "heinsberg-leitbild-entwurf"
    assert f"[1] {leitbild.title} (Entwurf, Kreis Heinsberg) – {leitbild.section}" in text
    assert text.count("Belegstellen:") == 2


def test_an_answer_as_text_holds_its_notices_and_for_an_abstention_the_nearest_passages():
    retrieved = [RetrievedPassage("d", f"Titel {n}", f"Titel › Abschnitt {n}", str(n), "Text", 0.1, f"d#{n:04d}") for n in range(5)]
    notice = "Das Sprachmodell ist nicht erreichbar oder antwortet nicht; hier die Antwort aus den Textstellen."
    lines = answer_lines("Frage?", Answer("Keine Aussage.", True, [], retrieved, "de", "Frage?", notices=[notice]))
    assert lines[:3] == ["", "Keine Aussage.", notice]
    assert lines[-3:] == ["- Titel 0 – Titel › Abschnitt 0, Seite 0", "- Titel 1 – Titel › Abschnitt 1, Seite 1", "- Titel 2 – Titel › Abschnitt 2, Seite 2"]


def test_a_download_folder_taken_by_a_cleaner_of_tmp_is_made_again():
    downloads = _Downloads()
    shutil.rmtree(downloads.new_folder().parent)
    assert downloads.new_folder().is_dir()


def test_launch_options_bind_locally_without_login_by_default():
    options = launch_options(Settings())
    assert options["server_name"] == "127.0.0.1" and options["server_port"] == 7860
    assert options["share"] is False and options["ssr_mode"] is False
    assert "auth" not in options
    assert options["max_file_size"] == "51mb"


def test_launch_options_with_login_and_uploads_off():
    options = launch_options(Settings(auth_user="kreis", auth_password="geheim", uploads_enabled=False))
    assert options["auth"] == [("kreis", "geheim")]
    assert options["max_file_size"] == "1mb"


def test_a_login_needs_user_and_password():
    with pytest.raises(ValidationError, match="beide"):
        Settings(auth_user="kreis")
    with pytest.raises(ValidationError, match="beide"):
        Settings(auth_password="geheim")


def test_topics_are_editable_in_settings(monkeypatch):
    monkeypatch.setenv("ASSISTENT_TOPICS", '{"Radverkehr": ["Rad", "Fahrrad"]}')
    assert Settings().topics == {"Radverkehr": ("Rad", "Fahrrad")}


BROKEN_TOML = '[documents.x]\ntitle = "ohne Ende\n'


def test_a_broken_documents_toml_is_reported_and_the_app_answers_with_the_last_readable_entries(
    corpus_components, embedding_cache_dir, tmp_path
):
    from assistant.app import _ingest_message, _Services
    from assistant.components import Components
    from tests.conftest import CORPUS, make_settings

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    components = Components(make_settings(corpus, tmp_path / "data", embedding_cache_dir))
    components.sync().run(corpus, show_progress=False)
    services = _Services(components)
    (corpus / "documents.toml").write_text(BROKEN_TOML, encoding="utf-8")

    message = _ingest_message(lambda: components.sync().run(corpus, show_progress=False), None)
    assert message.startswith("Fehler bei der Aufnahme: documents.toml ist fehlerhaft")
    services.refresh()
    answer = services.assistant.ask("Was fordern die Jusos zum ÖPNV?")
    assert "Jusos-Wahlprogramm (Parteiprogramm" in answer.answer  # still labelled a party's demand
