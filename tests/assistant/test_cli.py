import json
import os
import subprocess
import sys

from tests.conftest import CORPUS, ROOT

ASK_KEYS = {"answer", "abstained", "citations", "retrieved", "language", "latency_ms"}


def run_cli(components, *args):
    env = {
        **os.environ,
        "ASSISTENT_DATA_DIR": str(components.settings.data_dir),
        "ASSISTENT_CORPUS_DIR": str(CORPUS),
    }
    result = subprocess.run(
        [sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ask_json_cites_the_leitbild_section_on_traffic(corpus_components):
    answer = json.loads(run_cli(corpus_components, "ask", "--json", "Was sagt das Leitbild zum Radwegenetz?"))
    assert ASK_KEYS <= set(answer)
    assert not answer["abstained"]
    first = answer["citations"][0]
    assert first["doc_id"] == "heinsberg-leitbild-entwurf"
    assert first["section"] == "Leitbild › 7. Verkehr und Mobilität"
    assert "Radwegenetz" in first["text"]
    assert len(answer["retrieved"]) == 10
    assert set(answer["retrieved"][0]) >= {"doc_id", "title", "section", "page", "text", "score"}
    assert answer["language"] == "de"


def test_ask_shows_the_query_searched_for_a_follow_up_and_the_nearest_passages_when_it_abstains(corpus_components):
    output = run_cli(corpus_components, "ask", "--history", "Was sagt das Leitbild zum Radverkehr?", "Und der Nachhaltigkeitsbericht?")
    assert output.startswith("Gesucht wurde: „Was sagt der Nachhaltigkeitsbericht zum Radverkehr?“\n\nLaut Nachhaltigkeitsbericht")
    assert "\nBelegstellen:\n[1] Nachhaltigkeitsbericht des Kreises Heinsberg 2023 (Bericht, Kreis Heinsberg) – " in output
    output = run_cli(corpus_components, "ask", "Gibt es ein Bürgerbudget?")
    assert output.startswith("Dazu finde ich in den Dokumenten keine Aussage.\n\nÄhnliche Stellen")
    assert len([line for line in output.splitlines() if line.startswith("- ")]) == 3


def test_ingest_twice_embeds_nothing_new(corpus_components):
    output = run_cli(corpus_components, "ingest")
    assert "0 neu, 0 geändert, 0 entfernt, 5 unverändert" in output
    assert "0 Vektoren (Textstellen und Sätze) neu berechnet" in output


def test_passage_text_is_the_documents_own_words(corpus_components):
    """Passages quote the cleaned document verbatim (cleaning only drops page furniture
    and joins broken words), and their offsets point at those words."""
    import re

    from ingest.cleaning import clean

    def norm(s):
        return re.sub(r"[\W_]", "", s.lower())

    cleaned = {p.stem: clean(p.read_text(encoding="utf-8")).text for p in CORPUS.glob("*.txt")}
    for passage in corpus_components.index.passages().values():
        assert norm(passage.text) == norm(cleaned[passage.doc_id][passage.start : passage.end])


def test_a_broken_documents_toml_stops_the_ingestion_with_a_german_message(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notiz.txt").write_text("Der Kreis baut Radwege.", encoding="utf-8")
    (corpus / "documents.toml").write_text('[documents.notiz]\ntitle = "ohne Ende\n', encoding="utf-8")
    env = {**os.environ, "ASSISTENT_DATA_DIR": str(tmp_path / "data"), "ASSISTENT_CORPUS_DIR": str(corpus)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: documents.toml ist fehlerhaft")
    assert "Traceback" not in result.stderr


def test_asking_within_a_document_that_does_not_exist_names_the_ones_that_do(corpus_components):
    env = {**os.environ, "ASSISTENT_DATA_DIR": str(corpus_components.settings.data_dir), "ASSISTENT_CORPUS_DIR": str(CORPUS)}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--doc", "gibtsnicht", "Radverkehr"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: Diese Dokumente gibt es nicht (mehr): gibtsnicht.")
    assert "heinsberg-leitbild-entwurf" in result.stderr
