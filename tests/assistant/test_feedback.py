"""Feedback lines are appended whole, survive a torn last line, and hold what was rated."""

import json
import threading

import pytest

from assistant.feedback import FeedbackLog, feedback_record

ANSWER = {
    "answer": "Laut Leitbild ... [1]",
    "abstained": False,
    "query": "Radwegenetz Leitbild",
    "citations": [{"n": 1, "doc_id": "heinsberg-leitbild-entwurf", "text": "Der Kreis ...", "passage_id": "x#0001"}],
}


def test_a_record_holds_question_answer_citations_and_rating(tmp_path):
    log = FeedbackLog.in_data_dir(tmp_path)
    log.append(feedback_record("nicht hilfreich", "  Quelle fehlt  ", "Radwege?", ANSWER, ["Frage davor"], ["d1"]))
    (record,) = log.read()
    assert record["helpful"] is False and record["rating"] == "nicht hilfreich"
    assert record["comment"] == "Quelle fehlt"
    assert record["question"] == "Radwege?" and record["history"] == ["Frage davor"]
    assert record["citations"][0]["passage_id"] == "x#0001"
    assert record["time"].endswith("+00:00")
    with pytest.raises(ValueError):
        feedback_record("super", "", "q", ANSWER)


def test_concurrent_appends_never_interleave(tmp_path):
    log = FeedbackLog(tmp_path / "f.jsonl")
    long_comment = "ä" * 3000

    def write(n):
        for i in range(20):
            log.append(feedback_record("hilfreich", f"{n}-{i} {long_comment}", "q", ANSWER))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 80
    assert all(json.loads(line)["rating"] == "hilfreich" for line in lines)


def test_a_torn_last_line_loses_only_itself(tmp_path):
    log = FeedbackLog(tmp_path / "f.jsonl")
    log.append(feedback_record("hilfreich", "eins", "q", ANSWER))
    with open(tmp_path / "f.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"rating": "hilfr')  # a crash mid-write
    log.append(feedback_record("hilfreich", "zwei", "q", ANSWER))
    assert [r["comment"] for r in log.read()] == ["eins", "zwei"]
