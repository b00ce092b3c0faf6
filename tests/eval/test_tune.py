"""The sweeps behind the report's section on what each choice buys."""

from eval import tune
from eval.__main__ import DEFAULT_QUESTIONS
from eval.questions import load_questions


def test_the_compound_sweep_at_the_configured_threshold_ranks_as_the_index_does(corpus_components):
    """The sweep builds its own word indexes; at the configured threshold it must find what the
    index does, or its other rows measure something else than a change of threshold."""
    cands = tune.collect(corpus_components, load_questions(DEFAULT_QUESTIONS)[:40])
    hit5, mrr = tune.retrieval_scores(cands, corpus_components.index.passages(), corpus_components.settings.retrieval)
    rows = tune.compound_thresholds(corpus_components, cands, (0.5, corpus_components.analyzer.compound_threshold))
    assert rows[3] == f"| {corpus_components.analyzer.compound_threshold} (gewählt) | {hit5:.3f} | {mrr:.3f} |"
    assert rows[2].startswith("| 0.5 | ")
