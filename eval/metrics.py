"""Retrieval and answer metrics over a question set, overall and per tag."""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Callable, Iterable

from eval.matching import citation_matches, normalize, quote_in
from eval.questions import Question

# Metric name -> True if higher is better (false abstention and latency: lower is better).
METRICS: dict[str, bool] = {
    "hit@1": True,
    "hit@5": True,
    "hit@10": True,
    "mrr@10": True,
    "quote_recall@10": True,
    "citation_validity": True,
    "citation_match": True,
    "answer_key_recall": True,
    "abstention": True,
    "false_abstention": False,
    "latency_p50_ms": False,
    "latency_p95_ms": False,
}


def _first_match_rank(question: Question, retrieved: list[dict]) -> int | None:
    for rank, passage in enumerate(retrieved[:10], 1):
        if any(quote_in(q, passage["text"]) for q in question.quotes):
            return rank
    return None


def per_question(question: Question, answer: dict, is_in_corpus: Callable[[str], bool]) -> dict[str, float]:
    """Each metric's value for one question; a metric that does not apply is left out."""
    values: dict[str, float] = {}
    retrieved = answer.get("retrieved", [])
    citations = answer.get("citations", [])
    abstained = bool(answer.get("abstained"))
    if question.answerable and question.quotes:
        rank = _first_match_rank(question, retrieved)
        for k in (1, 5, 10):
            values[f"hit@{k}"] = float(rank is not None and rank <= k)
        values["mrr@10"] = 1.0 / rank if rank else 0.0
        if len(question.quotes) > 1:
            found = [any(quote_in(q, p["text"]) for p in retrieved[:10]) for q in question.quotes]
            values["quote_recall@10"] = sum(found) / len(found)
        if not abstained:
            values["citation_match"] = float(
                any(citation_matches(q, c["text"]) for q in question.quotes for c in citations)
            )
    if citations:
        values["citation_validity"] = sum(is_in_corpus(c["text"]) for c in citations) / len(citations)
    if question.answerable:
        values["false_abstention"] = float(abstained)
        if question.answer_keys:
            text = "" if abstained else normalize(answer.get("answer", ""))
            values["answer_key_recall"] = sum(normalize(k) in text for k in question.answer_keys) / len(
                question.answer_keys
            )
    else:
        values["abstention"] = float(abstained)
    return values


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def aggregate(rows: Iterable[tuple[Question, dict, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """{group: {metric: value}} for 'all' and every tag; latency percentiles included."""
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for question, answer, values in rows:
        for group in ("all", *question.tags):
            for metric, value in values.items():
                sums[group][metric].append(value)
            sums[group]["latency"].append(float(answer.get("latency_ms", 0.0)))
    result: dict[str, dict[str, float]] = {}
    for group, metrics in sums.items():
        latency = metrics.pop("latency")
        result[group] = {m: statistics.fmean(v) for m, v in metrics.items()}
        result[group]["latency_p50_ms"] = _percentile(latency, 0.5)
        result[group]["latency_p95_ms"] = _percentile(latency, 0.95)
        result[group]["n"] = len(latency)
    return result
