"""Goal units from the real corpus: theses, goal fields, demands, report criteria."""

import pytest

from ingest.chunking import Chunker
from ingest.goals import KIND_LABELS, extract_goals
from ingest.metadata import load_metadata
from ingest.model import Passage
from ingest.pipeline import DocumentProcessor, scan_corpus
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def corpus_passages():
    """Passages as the index holds them, without embedding anything."""
    metadata = load_metadata(CORPUS)
    chunker = Chunker()
    files, problems = scan_corpus(CORPUS, metadata, chunker)
    assert not problems
    processor = DocumentProcessor(chunker, 100_000_000)
    return [p for f in files for p in processor.run(f, metadata.get(f.doc_id))[1]]


@pytest.fixture(scope="module")
def goals(corpus_passages):
    return extract_goals(corpus_passages)


def of(goals, doc_id):
    return [g for g in goals if g.doc_id == doc_id]


def find(goals, doc_id, phrase):
    found = [g for g in of(goals, doc_id) if phrase in g.text]
    assert found, f"no goal with {phrase!r} in {doc_id}"
    return found[0]


def test_every_document_has_goals_and_every_goal_cites_its_passage(goals, corpus_passages):
    passage_ids = {p.id for p in corpus_passages}
    assert {g.doc_id for g in goals} == {p.doc_id for p in corpus_passages}
    for goal in goals:
        assert goal.kind in KIND_LABELS
        assert set(goal.passage_ids) <= passage_ids
        assert goal.passage_id.startswith(goal.doc_id + "#")


def test_goal_text_is_the_documents_own_words(goals, corpus_passages):
    by_id = {p.id: p for p in corpus_passages}
    for goal in goals:
        text = goal.text.removesuffix(" …")
        assert any(text[:120] in by_id[pid].text for pid in goal.passage_ids), goal


def test_leitbild_theses_are_numbered_and_named(goals):
    goal = find(goals, "heinsberg-leitbild-entwurf", "Radwegenetz instand")
    assert goal.kind == "thesis"
    assert goal.label == "These 7: Verkehr und Mobilität"
    assert goal.text == "Der Kreis Heinsberg hält sein Radwegenetz instand und baut es verstärkt aus."


def test_the_thesis_overview_is_no_goal(goals):
    """'01. Daseinsvorsorge Grundversorgung für alle Lebensbereiche 02. ...' lists titles."""
    assert not any("02. Menschenfreundlicher" in g.text for g in goals)


def test_coesfeld_goal_fields_give_bullets_with_their_field(goals):
    goal = find(goals, "coesfeld-strategische-ziele-2025", "Velorouten-Netzes")
    assert goal.kind == "bullet"
    assert goal.label == "X. Mobilität und Verkehr"
    assert goal.text.startswith("Ausbau der Radverkehrsinfrastruktur an Kreisstraßen")
    assert not goal.text.startswith("-")
    mobility = [g for g in of(goals, "coesfeld-strategische-ziele-2025") if g.label == "X. Mobilität und Verkehr"]
    assert sum(g.kind == "bullet" for g in mobility) >= 8


def test_a_heading_inside_a_passage_names_its_goals(goals):
    goal = find(goals, "coesfeld-strategische-ziele-2025", "positive und stabile Entwicklung der wirtschaftlichen")
    assert goal.label.startswith("I. Wirtschaft und Arbeit")
    assert goal.text.startswith("Die positive")


def test_jusos_demands(goals):
    goal = find(goals, "jusos-heinsberg-wahlprogramm-2020", "Stärkung des kommunalen Wohnungsbaus")
    assert goal.kind == "demand"
    assert goal.text == "Wir setzen uns daher für eine Stärkung des kommunalen Wohnungsbaus ein."
    kinds = {g.kind for g in of(goals, "jusos-heinsberg-wahlprogramm-2020")}
    assert "demand" in kinds
    assert find(goals, "jusos-heinsberg-wahlprogramm-2020", "Ausbau des Busnetzes")


def test_report_criteria(goals):
    goal = find(goals, "heinsberg-nachhaltigkeitsbericht-2023", "Ausbau der Barrierefreiheit im ÖPNV")
    assert goal.kind == "criterion"
    assert goal.label.startswith("Aspekt 12.1")


def test_the_reporting_frameworks_description_of_a_criterion_is_no_goal(goals):
    report = of(goals, "heinsberg-nachhaltigkeitsbericht-2023")
    # "Der Kreis legt offen, wie er kommunale Rahmenbedingungen für eine nachhaltige Mobilität … fördert"
    assert not any(g.text.startswith(("Der Kreis legt offen", "Der Kreis berichtet", "Er berichtet")) for g in report)
    assert find(goals, "heinsberg-nachhaltigkeitsbericht-2023", "Die kommunale Förderung soll durch verschiedene Maßnahmen")


def test_forewords_and_captions_are_no_goals(goals):
    assert not any(g.label.startswith("Vorwort") for g in goals)
    assert not any(g.text.startswith(("Abbildung", "Tabelle")) for g in goals)


def test_overlapping_passages_give_each_goal_once(goals):
    for doc_id in {g.doc_id for g in goals}:
        texts = [g.text for g in of(goals, doc_id)]
        assert len(texts) == len(set(texts))
    shared = [g for g in goals if len(g.passage_ids) > 1]
    assert shared, "passages overlap by a sentence, so some goals lie in two"


def test_a_sentence_cut_by_a_passage_end_is_kept_whole():
    def passage(n, start, text):
        return Passage(f"doc#{n:04d}", "doc", "Doc", "Doc › 5. Bildung", None, start, start + len(text), text)

    first = passage(0, 0, "5. Bildung Der Kreis strebt an, das Bildungsangebot zu")
    second = passage(1, 40, "Der Kreis strebt an, das Bildungsangebot zu stärken und auszubauen.")
    goals = extract_goals([first, second])
    assert [g.text for g in goals] == ["Der Kreis strebt an, das Bildungsangebot zu stärken und auszubauen."]
    assert goals[0].passage_ids == ("doc#0001", "doc#0000")


def test_bullets_of_a_users_markdown_list():
    text = "Unsere Ziele - Mehr Bäume in allen Ortsteilen pflanzen. - Ausbau der Radwege bis 2030. - Ja."
    goals = extract_goals([Passage("p#0000", "p", "P", "P › Ziele", None, 0, len(text), text)])
    assert [g.text for g in goals if g.kind == "bullet"] == [
        "Mehr Bäume in allen Ortsteilen pflanzen.",
        "Ausbau der Radwege bis 2030.",
    ]


def test_a_goal_names_the_section_and_page_it_stands_in():
    text = "WIRTSCHAFT:\n\nDer Kreis fördert die Betriebe im ganzen Kreisgebiet.\n\nARBEIT:\n\nDer Kreis fördert die Ausbildung junger Menschen."
    turns = ((text.index("ARBEIT"), "Ziele › Arbeit:", "8"),)
    goals = extract_goals([Passage("p#0000", "p", "P", "Ziele › Wirtschaft:", "7", 0, len(text), text, turns=turns)])
    assert [(g.text, g.section, g.page) for g in goals] == [
        ("Der Kreis fördert die Betriebe im ganzen Kreisgebiet.", "Ziele › Wirtschaft:", "7"),
        ("Der Kreis fördert die Ausbildung junger Menschen.", "Ziele › Arbeit:", "8"),
    ]
