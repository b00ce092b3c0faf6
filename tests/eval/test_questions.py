import json
from collections import Counter
from pathlib import Path

import pytest

from eval.matching import citation_matches, normalize, quote_in
from eval.__main__ import main
from eval.questions import EvalFileError, load_questions
from ingest.cleaning import clean
from tests.conftest import CORPUS, ROOT

QUESTIONS = ROOT / "eval" / "questions.jsonl"
HOLDOUT = ROOT / "eval" / "holdout_questions.jsonl"
BOTH = pytest.mark.parametrize("path", [QUESTIONS, HOLDOUT], ids=["questions", "holdout"])


@BOTH
def test_every_quote_is_in_its_document(path: Path):
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    documents = {p.stem: normalize(p.read_text(encoding="utf-8")) for p in CORPUS.glob("*.txt")}
    for item in raw:
        for source in item["expected_sources"]:
            assert normalize(source["quote"]) in documents[source["doc"]], (item["id"], source["quote"])
            assert 6 <= len(source["quote"].split()) <= 25, (item["id"], source["quote"])


def test_the_set_covers_what_the_issue_asks_for():
    questions = load_questions(QUESTIONS)
    tags = Counter(t for q in questions for t in q.tags)
    assert len(questions) >= 150
    assert tags["unanswerable"] >= 15 and tags["topic"] >= 15 and tags["followup"] >= 10
    assert tags["english"] + tags["dutch"] >= 10
    assert all(q.history for q in questions if "followup" in q.tags)
    assert all(not q.quotes for q in questions if not q.answerable)


def test_quote_matching_rules():
    passage = "Der Kreis Heinsberg hält sein Radwegenetz instand und baut es verstärkt aus."
    assert quote_in("hält sein Radwegenetz instand und baut es", passage)
    assert quote_in("HÄLT sein Radwegenetz-instand, und baut es!", passage)
    # cut by a chunk boundary: half of the quote, at least 20 characters, is enough
    assert quote_in("hält sein Radwegenetz instand und baut es verstärkt aus. Ein Netz", passage)
    assert not quote_in("Ein flächendeckender Ausbau eines Netzes von Rast- und Ladestationen", passage)
    assert quote_in("CO₂-Emissionen senken", "die CO2-Emissionen senken")
    assert citation_matches("Der Kreis Heinsberg hält sein Radwegenetz instand und baut es verstärkt aus.", "hält sein Radwegenetz instand")


def test_external_question_files_with_unknown_documents_and_extra_fields(tmp_path: Path):
    path = tmp_path / "fremd.jsonl"
    path.write_text(
        json.dumps({"id": 7, "question": "Was gilt?", "expected_sources": [{"doc": "unbekannt.pdf", "quote": "x y z a b c"}],
                    "answer_keys": [], "tags": ["fact"], "answerable": True, "kommentar": "extra"}) + "\n",
        encoding="utf-8",
    )
    (question,) = load_questions(path)
    assert question.id == "7" and question.quotes == ("x y z a b c",)


def test_a_single_string_where_a_list_belongs_is_one_item_not_its_characters(tmp_path: Path):
    path = tmp_path / "fremd.jsonl"
    line = {"id": "f1", "question": "Und Coesfeld?", "history": "Was sagt das Leitbild zum Radverkehr?", "answer_keys": "Radweg", "tags": ""}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (question,) = load_questions(path)
    assert question.history == ("Was sagt das Leitbild zum Radverkehr?",)
    assert question.answer_keys == ("Radweg",) and question.tags == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"id": 1, "question": "Gibt es ein Frauenhaus?", "answerable": "false"}, "„answerable“ muss true oder false sein"),
        ({"id": 1, "question": "Was gilt?", "expected_sources": ["nur ein Zitat"]}, "braucht ein „quote“"),
        ({"id": 1, "question": "Was gilt?", "expected_sources": {"quote": "x"}}, "„expected_sources“ muss eine Liste sein"),
        ({"question": "Was gilt?"}, "„id“ und „question“"),
        ("{kaputt", "kein gültiges JSON"),
    ],
)
def test_an_entry_that_would_be_misread_is_refused_with_its_line(tmp_path: Path, line, message):
    path = tmp_path / "fremd.jsonl"
    path.write_text(json.dumps({"id": 0, "question": "Gut?"}) + "\n" + (line if isinstance(line, str) else json.dumps(line)) + "\n", encoding="utf-8")
    with pytest.raises(EvalFileError, match=f"fremd.jsonl, Zeile 2: .*{message}"):
        load_questions(path)


def test_a_broken_question_file_is_reported_in_german_and_the_previous_answers_stay(tmp_path: Path, capsys):
    questions, answers = tmp_path / "fragen.jsonl", tmp_path / "antworten.jsonl"
    questions.write_text('{"id": 1, "question": "Was gilt?", "answerable": "ja"}\n', encoding="utf-8")
    answers.write_text('{"id": "1", "answer": "vorher"}\n', encoding="utf-8")
    assert main(["run", "--questions", str(questions), "--out", str(answers)]) == 2
    assert "fragen.jsonl, Zeile 1: „answerable“ muss true oder false sein" in capsys.readouterr().err
    assert answers.read_text(encoding="utf-8") == '{"id": "1", "answer": "vorher"}\n'
    assert main(["score", "--questions", str(questions), "--answers", str(tmp_path / "fehlt.jsonl")]) == 2
    assert "Datei nicht gefunden" in capsys.readouterr().err


def test_scoring_answers_of_another_question_set_says_so(tmp_path: Path, capsys):
    answers = tmp_path / "antworten.jsonl"
    answers.write_text('{"id": "anderes-1", "answer": "x", "abstained": false, "citations": [], "retrieved": []}\n', encoding="utf-8")
    assert main(["score", "--questions", str(QUESTIONS), "--answers", str(answers)]) == 0
    n = len(load_questions(QUESTIONS))
    assert f"Hinweis: {n} von {n} Fragen ohne Antwort in antworten.jsonl" in capsys.readouterr().err


@BOTH
def test_cleaned_corpus_keeps_every_quote(path: Path):
    """Cleaning must never destroy text a user could quote."""
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    cleaned = {p.stem: normalize(clean(p.read_text(encoding="utf-8")).text) for p in CORPUS.glob("*.txt")}
    missing = [
        (item["id"], s["quote"]) for item in raw for s in item["expected_sources"] if normalize(s["quote"]) not in cleaned[s["doc"]]
    ]
    assert not missing
