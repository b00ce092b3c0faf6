"""The goal finder on the real index: topics, documents compared, the matrix, exports."""

import csv
import io

import pytest

from assistant.goals import DEFAULT_TOPICS, GoalFinder, to_csv, to_markdown, topic_terms

LEITBILD = "heinsberg-leitbild-entwurf"
COESFELD = "coesfeld-strategische-ziele-2025"
JUSOS = "jusos-heinsberg-wahlprogramm-2020"


@pytest.fixture(scope="module")
def finder(corpus_components):
    c = corpus_components
    return GoalFinder(c.index, c.retriever, c.analyzer, c.assistant().metadata)


def test_the_default_topics_are_the_fifteen_of_the_matrix():
    assert len(DEFAULT_TOPICS) == 15
    assert list(DEFAULT_TOPICS)[:3] == ["Mobilität", "Wohnen", "Klima und Energie"]
    assert all(isinstance(t, str) for terms in DEFAULT_TOPICS.values() for t in terms)
    assert topic_terms("mobilität") == DEFAULT_TOPICS["Mobilität"]
    assert topic_terms("Wohnen für junge Menschen") == ("Wohnen für junge Menschen",)


def test_mobility_goals_come_from_at_least_three_documents_grouped(finder):
    matches = finder.find("Mobilität")
    documents = [m.goal.doc_id for m in matches]
    assert len(set(documents)) >= 3
    # grouped: each document's goals stand together
    assert len(set(documents)) == len([d for i, d in enumerate(documents) if i == 0 or documents[i - 1] != d])
    assert all(0 < m.relevance <= 1 for m in matches)
    coesfeld = [m for m in matches if m.goal.doc_id == COESFELD]
    assert any("Radverkehrsinfrastruktur" in m.goal.text and m.goal.label == "X. Mobilität und Verkehr" for m in coesfeld)


def test_cycling_finds_the_leitbild_thesis_and_the_coesfeld_goal(finder):
    matches = finder.find("Radverkehr")
    texts = {m.goal.doc_id: [x.goal.text for x in matches if x.goal.doc_id == m.goal.doc_id] for m in matches}
    assert any("Radwegenetz" in t for t in texts.get(LEITBILD, []))
    assert any("Radverkehr" in t for t in texts.get(COESFELD, []))
    leitbild = next(m for m in matches if m.goal.doc_id == LEITBILD and "Radwegenetz" in m.goal.text)
    assert leitbild.goal.label == "These 7: Verkehr und Mobilität"


def test_housing_for_young_people_finds_the_jusos_demand(finder):
    matches = finder.find("Wohnen für junge Menschen")
    best = max((m for m in matches if m.goal.doc_id == JUSOS), key=lambda m: m.relevance)
    assert "Wohnraum für junge Menschen" in best.goal.text


def test_a_document_filter_and_the_comparison(finder):
    assert {m.goal.doc_id for m in finder.find("Digitalisierung der Verwaltung", [COESFELD])} == {COESFELD}
    left, right = finder.compare("Digitalisierung", LEITBILD, COESFELD)
    assert left and right
    assert {m.goal.doc_id for m in left} == {LEITBILD}
    assert {m.goal.doc_id for m in right} == {COESFELD}


def test_a_named_topic_is_searched_with_the_configured_words(corpus_components):
    c = corpus_components
    finder = GoalFinder(c.index, c.retriever, c.analyzer, topics={"Zweirad": ("Radweg",)})
    matches = finder.find("Zweirad")
    assert matches
    assert all("radweg" in f"{m.goal.text} {m.goal.label}".lower() for m in matches)


def test_a_topic_no_document_names_finds_nothing(finder):
    assert finder.find("Raumfahrtprogramm Marsmission") == []
    assert finder.find("   ") == []


def test_matrix_counts_the_goals_of_each_cell(finder):
    topics = {name: DEFAULT_TOPICS[name] for name in ("Mobilität", "Sicherheit")}
    matrix = finder.matrix(topics)
    assert matrix.topics == ["Mobilität", "Sicherheit"]
    assert len(matrix.doc_ids) == 5
    column = matrix.doc_ids.index(COESFELD)
    assert matrix.counts[0][column] >= 5
    assert all(len(row) == 5 for row in matrix.counts)


def test_csv_export_is_excel_ready_and_safe(finder):
    matches = finder.find("Mobilität")
    rows = list(csv.reader(io.StringIO(to_csv(matches)), delimiter=";"))
    assert rows[0] == ["Dokument", "Ziel / Abschnitt", "Art", "Aussage", "Beleg", "Seite", "Relevanz"]
    assert len(rows) == len(matches) + 1
    assert len({r[0] for r in rows[1:]}) >= 3
    assert all("#" in r[4] for r in rows[1:])  # the passage id makes the citation checkable


def test_exports_defuse_formulas_and_markup():
    from assistant.goals import GoalMatch
    from ingest.goals import Goal

    goal = Goal("d~0000", "d", "bullet", "1. Ziele | Teil", "D › 1. Ziele", "=HYPERLINK(\"x\") <b>fett</b> | Zelle", ("d#0000",), "3")
    match = GoalMatch(goal, "D", 0.8, "d#0000")
    row = next(csv.reader(io.StringIO(to_csv([match]).splitlines()[1]), delimiter=";"))
    assert row[3].startswith("'=")
    markdown = to_markdown("Test <script>", [match])
    assert "<b>" not in markdown and "<script>" not in markdown
    assert "\\| Zelle" in markdown  # a pipe in the text does not split the table cell
