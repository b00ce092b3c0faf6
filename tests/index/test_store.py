import sqlite3

import pytest

from index import store
from tests.conftest import CORPUS, make_settings

HEINSBERG = [
    "heinsberg-interkommunale-zusammenarbeit-sachstand",
    "heinsberg-leitbild-entwurf",
    "heinsberg-nachhaltigkeitsbericht-2023",
    "jusos-heinsberg-wahlprogramm-2020",
]
FILTERS = [
    HEINSBERG,  # most of the library: searched wide, then filtered
    ["coesfeld-strategische-ziele-2025", "jusos-heinsberg-wahlprogramm-2020"],  # a small share: Chroma's filter
    ["coesfeld-strategische-ziele-2025", "heinsberg-interkommunale-zusammenarbeit-sachstand"],  # wide, too few found
]


def assert_same_but_at_the_end(ranking, other, places=3):
    """HNSW searches approximately: now and then one search misses a near neighbour the other
    finds, which pushes an item into or out of the last places; anything else is a difference."""
    assert [item for item in ranking if item in other] == [item for item in other if item in ranking]
    for first, second in ((ranking, other), (other, ranking)):
        assert all(place >= len(first) - places for place, item in enumerate(first) if item not in second)


@pytest.mark.parametrize("question", ["Wie wird der Radverkehr gefördert?", "Welche Energie verbraucht das Kreishaus?"])
def test_a_document_filter_finds_the_same_passages_however_it_is_applied(corpus_components, monkeypatch, question):
    index = corpus_components.index
    vector = corpus_components.embedding.get_query_embedding(question)
    found = [(index.dense_search(vector, 50, docs), index.sentence_search(vector, 100, docs)) for docs in FILTERS]
    monkeypatch.setattr(store, "_WIDEN_FROM_SHARE", 1.01)  # every filter by Chroma itself
    for docs, (dense, sentences) in zip(FILTERS, found):
        assert_same_but_at_the_end(
            [(h.passage.id, round(h.similarity, 6)) for h in dense],
            [(h.passage.id, round(h.similarity, 6)) for h in index.dense_search(vector, 50, docs)],
        )
        by_chroma = index.sentence_search(vector, 100, docs)
        assert_same_but_at_the_end([(pid, round(s, 6)) for pid, s in sentences], [(pid, round(s, 6)) for pid, s in by_chroma])
        assert len(dense) == 50 and {h.passage.doc_id for h in dense} <= set(docs)


def test_an_ingested_index_is_on_disk_whole_so_every_process_searches_the_same_graph(corpus_components):
    """Records Chroma has not yet written into its HNSW files are re-inserted by every process
    that opens the index, not always into the same graph."""
    db = sqlite3.connect(corpus_components.settings.data_dir / "chroma" / "chroma.sqlite3")
    generation = corpus_components.index.generation
    for name in (store._COLLECTION_PREFIX + generation, store._SENTENCE_PREFIX + generation):
        (collection,) = db.execute("SELECT id FROM collections WHERE name = ?", (name,)).fetchone()
        newest = db.execute("SELECT max(seq_id) FROM embeddings_queue WHERE topic LIKE ?", (f"%/{collection}",)).fetchone()[0]
        persisted = db.execute(
            "SELECT seq_id FROM max_seq_id JOIN segments ON segments.id = max_seq_id.segment_id"
            " WHERE segments.collection = ? AND segments.scope = 'VECTOR'",
            (collection,),
        ).fetchone()
        assert persisted is not None and persisted[0] == newest, name


def test_two_ingestions_of_the_same_corpus_rank_alike(corpus_components, embedding_cache_dir, tmp_path):
    """Chroma builds its HNSW graph differently each time: a search that misses other near
    neighbours in each build, or returns tied sentences (an overlap sentence stands in two
    passages) in any order, gave the evaluation other figures after each ingestion."""
    from assistant.components import Components
    from eval.__main__ import DEFAULT_QUESTIONS
    from eval.questions import load_questions

    again = Components(make_settings(CORPUS, tmp_path / "data", embedding_cache_dir))
    again.sync().run(CORPUS, show_progress=False)
    for question in load_questions(DEFAULT_QUESTIONS):
        vector = corpus_components.embedding.get_query_embedding(question.question)
        for docs in (None, ["jusos-heinsberg-wahlprogramm-2020"]):
            first, second = corpus_components.index, again.index
            assert first.sentence_search(vector, 100, docs) == second.sentence_search(vector, 100, docs), question.id
            assert first.dense_search(vector, 50, docs) == second.dense_search(vector, 50, docs), question.id
