"""The evaluation gate of `make test`: our answers on eval/questions.jsonl against eval/thresholds.toml."""

import json

from eval.__main__ import DEFAULT_QUESTIONS, DEFAULT_THRESHOLDS, check_gates, run, score
from tests.conftest import CORPUS


def test_answer_quality_meets_the_gates(corpus_components, tmp_path):
    answers = tmp_path / "answers.jsonl"
    run(DEFAULT_QUESTIONS, answers, "ours", corpus_components)
    results = score(DEFAULT_QUESTIONS, answers, CORPUS)
    print(json.dumps(results["all"], indent=1))
    assert not check_gates(results, DEFAULT_THRESHOLDS)
