"""Sweeps the retrieval choices on a question set and prints what each one buys.

The language offsets of the abstention threshold are measured on parallel questions
(eval/parallel_questions.jsonl: the same question in German, English and Dutch), which are
not part of any evaluation set.

Dense and lexical candidates are computed once per question; fusion weights and the
abstention threshold are then varied offline. Chunk size needs a re-ingest: run
`python -m eval run` with ASSISTENT_CHUNKING__MAX_CHARS set and a separate data folder.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

from eval.matching import quote_in
from eval.questions import Question, load_questions
from index.retriever import Rankings, RetrievalSettings, fuse


@dataclass
class Candidates:
    question: Question
    rankings: Rankings
    language: str


def collect(components, questions: list[Question]) -> list[Candidates]:
    assistant = components.assistant()
    result = []
    for q in questions:
        request = assistant.understand(q.question, list(q.history))
        rankings = components.retriever.rankings(request.search_query, request.named or None, request.language)
        result.append(Candidates(q, rankings, request.language))
    return result


def retrieval_scores(cands: list[Candidates], passages, settings: RetrievalSettings) -> tuple[float, float]:
    hits, rr, n = 0, 0.0, 0
    for c in cands:
        if not (c.question.answerable and c.question.quotes):
            continue
        n += 1
        scores = fuse(c.rankings, settings, c.language)
        ranked = sorted(scores, key=lambda pid: -scores[pid])[:10]
        rank = next((r for r, pid in enumerate(ranked, 1) if any(quote_in(q, passages[pid].text) for q in c.question.quotes)), None)
        hits += rank is not None and rank <= 5
        rr += 1 / rank if rank else 0
    return hits / n, rr / n


def language_offsets(components, parallel_path: Path) -> dict[str, float]:
    """Median drop of the best passage similarity from a German question to its translation."""
    index, embedding = components.index, components.embedding
    drops: dict[str, list[float]] = {}
    for line in parallel_path.read_text(encoding="utf-8").splitlines():
        versions = json.loads(line)
        best = {lang: index.dense_search(embedding.get_query_embedding(q), 1)[0].similarity for lang, q in versions.items()}
        for lang in best.keys() - {"de"}:
            drops.setdefault(lang, []).append(best["de"] - best[lang])
    return {lang: statistics.median(values) for lang, values in sorted(drops.items())}


def main(questions_path: Path) -> None:
    from assistant.components import Components
    from assistant.settings import Settings

    components = Components(Settings())
    passages = components.index.passages()
    cands = collect(components, load_questions(questions_path))
    print("| dense_weight | sentence_weight | lexical_weight | rrf_k | hit@5 | mrr@10 |\n|---|---|---|---|---|---|")
    grid = [(1, 0, 0, 20), (0, 1, 0, 20), (0, 0, 1, 20), (1, 0, 0.5, 20), (0, 1, 0.5, 20), (1, 1, 0, 20),
            (1, 0.5, 0.5, 20), (1, 1, 0.5, 20), (1, 1.5, 0.5, 20), (1, 1, 1, 20), (1, 1, 0.3, 20), (1, 1, 0.5, 10), (1, 1, 0.5, 60)]
    for dw, sw, lw, k in grid:
        settings = components.settings.retrieval.model_copy(
            update={"dense_weight": dw, "sentence_weight": sw, "lexical_weight": lw, "rrf_k": k}
        )
        h, m = retrieval_scores(cands, passages, settings)
        print(f"| {dw} | {sw} | {lw} | {k} | {h:.3f} | {m:.3f} |")
    offsets = language_offsets(components, Path(__file__).parent / "parallel_questions.jsonl")
    print("\nlanguage offsets (median drop of the best similarity against the German question):",
          {lang: round(v, 3) for lang, v in offsets.items()}, "configured:", components.settings.answer.language_offsets)
    print("\n| abstain_below | abstention (unanswerable) | false abstention (answerable) |\n|---|---|---|")
    # A question's best similarity, lifted by its language's configured offset: comparable to German.
    configured = components.settings.answer.language_offsets
    best = {c.question.id: max((s for _, s in c.rankings.dense), default=0.0) + configured.get(c.language, 0.0) for c in cands}
    unanswerable = [c for c in cands if not c.question.answerable]
    answerable = [c for c in cands if c.question.answerable]
    for threshold in [0.78, 0.79, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87]:
        a = sum(best[c.question.id] < threshold for c in unanswerable) / len(unanswerable)
        f = sum(best[c.question.id] < threshold for c in answerable) / len(answerable)
        print(f"| {threshold} | {a:.3f} | {f:.3f} |")
    print("\nbest dense similarity, unanswerable:", sorted(round(best[c.question.id], 3) for c in unanswerable))
    print("best dense similarity, answerable (lowest 20):", sorted(round(best[c.question.id], 3) for c in answerable)[:20])


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "questions.jsonl")
