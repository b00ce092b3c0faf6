import pytest

from index import store

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


@pytest.mark.parametrize("question", ["Wie wird der Radverkehr gefördert?", "Welche Energie verbraucht das Kreishaus?"])
def test_a_document_filter_finds_the_same_passages_however_it_is_applied(corpus_components, monkeypatch, question):
    index = corpus_components.index
    vector = corpus_components.embedding.get_query_embedding(question)
    found = [(index.dense_search(vector, 50, docs), index.sentence_search(vector, 100, docs)) for docs in FILTERS]
    monkeypatch.setattr(store, "_WIDEN_FROM_SHARE", 1.01)  # every filter by Chroma itself
    for docs, (dense, sentences) in zip(FILTERS, found):
        assert [(h.passage.id, round(h.similarity, 6)) for h in dense] == [
            (h.passage.id, round(h.similarity, 6)) for h in index.dense_search(vector, 50, docs)
        ]
        assert sentences == index.sentence_search(vector, 100, docs)
        assert len(dense) == 50 and {h.passage.doc_id for h in dense} <= set(docs)
