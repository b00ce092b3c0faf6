"""The evaluation gate of `make test`: our answers on eval/questions.jsonl against eval/thresholds.toml,
and the report `make eval` writes from them."""

import json

import pytest

from eval.__main__ import DEFAULT_QUESTIONS, DEFAULT_THRESHOLDS, check_gates, run, score
from eval.report import write_report
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def results(corpus_components, tmp_path_factory):
    answers = tmp_path_factory.mktemp("eval") / "answers.jsonl"
    run(DEFAULT_QUESTIONS, answers, "ours", corpus_components)
    return score(DEFAULT_QUESTIONS, answers, CORPUS)


def test_answer_quality_meets_the_gates(results):
    print(json.dumps(results["all"], indent=1))
    assert not check_gates(results, DEFAULT_THRESHOLDS)


def test_report_shows_each_target_per_tag(results, tmp_path):
    report = tmp_path / "report.md"
    write_report({"ours": results}, report, "Testlauf.")
    text = report.read_text(encoding="utf-8")
    # the topic target is quote recall on topic questions: it must be readable in the report
    quote_recall = text.split("## quote_recall@10 je Tag")[1].split("##")[0]
    topic = results["topic"]
    assert f"| topic ({int(topic['n'])}) | {topic['quote_recall@10']:.3f} |" in quote_recall
    assert report.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
