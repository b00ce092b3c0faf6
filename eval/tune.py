"""Sweeps the retrieval choices on a question set and prints what each one buys.

The language offsets of the abstention threshold are measured on parallel questions
(eval/parallel_questions.jsonl: the same question in German, English and Dutch), which are
not part of any evaluation set.

Dense and lexical candidates are computed once per question; fusion weights and the
abstention threshold are then varied offline. Each other chunk size is ingested into a
folder of its own under the data folder, starting from the cached embeddings of the sentences.
"""

from __future__ import annotations

import json
import shutil
import statistics
from dataclasses import dataclass, replace
from pathlib import Path

from eval.matching import quote_in
from eval.questions import Question, load_questions
from index.lexical import GermanAnalyzer, LexicalIndex
from index.retriever import Rankings, RetrievalSettings, fuse
from index.store import lexical_text


@dataclass
class Candidates:
    question: Question
    rankings: Rankings
    language: str
    query: str  # as searched
    allowed: set[str] | None  # the passages of the documents it names


def collect(components, questions: list[Question]) -> list[Candidates]:
    assistant = components.assistant()
    result = []
    for q in questions:
        request = assistant.understand(q.question, list(q.history))
        vector = components.retriever.embedding.get_query_embedding(request.search_query)
        rankings = components.retriever.rankings(request.lexical_query, request.named or None, request.language, vector)
        allowed = components.index.passage_ids_of(request.named) if request.named else None
        result.append(Candidates(q, rankings, request.language, request.lexical_query, allowed))
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


# (dense, sentence, lexical, rrf_k): each ranking alone, pairs, and the neighbours of the chosen setting
FUSION_GRID = [(1, 0, 0, 20), (0, 1, 0, 20), (0, 0, 1, 20), (1, 0, 0.5, 20), (0, 1, 0.5, 20), (1, 1, 0, 20),
               (1, 0.5, 0.5, 20), (1, 1, 0.5, 20), (1, 1.5, 0.5, 20), (1, 1, 1, 20), (1, 1, 0.3, 20), (1, 1, 0.5, 10), (1, 1, 0.5, 60)]
THRESHOLDS = [0.78, 0.79, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87]
CHUNK_SIZES = (800, 1400, 2000)  # max_chars of ChunkerSettings
COMPOUND_THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9)  # CharSplit's confidence from which a compound is split
DOCUMENT_DECAYS = (1.0, 0.95, 0.9, 0.85, 0.8, 0.7, 0.5)  # of a document's further passages in a topic answer


def chunk_sizes(
    components, questions: list[Question], configured: list[Candidates], sizes: tuple[int, ...] = CHUNK_SIZES
) -> list[str]:
    """Markdown rows: the fused ranking's hit@5 and MRR@10 with passages of each maximum size.
    configured: the candidates already collected on the index of the configured size."""
    from assistant.components import Components

    settings = components.settings
    lines = ["| max_chars | Textstellen | hit@5 | mrr@10 |", "|---|---|---|---|"]
    for size in sizes:
        sized, cands = components, configured
        if size != settings.chunking.max_chars:
            # A folder of its own per size, kept: the next run only embeds what changed.
            folder = settings.data_dir / "eval-chunking" / str(size)
            if not folder.exists():
                folder.mkdir(parents=True)
                if (settings.data_dir / "embeddings.sqlite").exists():  # the sentences are the same
                    shutil.copy(settings.data_dir / "embeddings.sqlite", folder)
            chunking = settings.chunking.model_copy(update={"max_chars": size})
            sized = Components(settings.model_copy(update={"data_dir": folder, "chunking": chunking}))
            sized.sync().run(settings.corpus_dir, show_progress=False)
            cands = collect(sized, questions)
        passages = sized.index.passages()
        h, m = retrieval_scores(cands, passages, settings.retrieval)
        chosen = " (gewählt)" if size == settings.chunking.max_chars else ""
        lines.append(f"| {size}{chosen} | {len(passages)} | {h:.3f} | {m:.3f} |")
    return lines


def compound_thresholds(components, cands: list[Candidates], thresholds: tuple[float, ...] = COMPOUND_THRESHOLDS) -> list[str]:
    """Markdown rows: the fused ranking's hit@5 and MRR@10 with the lexical ranking of each
    threshold for splitting compounds ("Radwege|netz"); the dense rankings stay as collected."""
    passages = components.index.passages()
    texts = [lexical_text(p) for p in passages.values()]
    configured, n = components.analyzer.compound_threshold, components.settings.retrieval.candidates
    lines = ["| compound_threshold | hit@5 | mrr@10 |", "|---|---|---|"]
    for threshold in thresholds:
        lexical = LexicalIndex.build(GermanAnalyzer(threshold), list(passages), texts)
        varied = [
            replace(c, rankings=replace(c.rankings, lexical=lexical.search(c.query, n, c.allowed, c.language == "de")))
            for c in cands
        ]
        h, m = retrieval_scores(varied, passages, components.settings.retrieval)
        lines.append(f"| {threshold}{' (gewählt)' if threshold == configured else ''} | {h:.3f} | {m:.3f} |")
    return lines


def document_decays(components, questions: list[Question], decays: tuple[float, ...] = DOCUMENT_DECAYS) -> list[str]:
    """Markdown rows: quote recall@10 of the topic and compare questions with each decay of a
    document's further passages after every document's best one (cover_documents)."""
    from assistant.conversation import cover_documents

    assistant, embedding = components.assistant(), components.embedding
    searched = []  # (expected quotes, ranked, heads) of each topic or compare question
    for q in questions:
        request = assistant.understand(q.question, list(q.history))
        if request.kind != "fact" and q.answerable and q.quotes:
            vector = embedding.get_query_embedding(request.search_query)
            searched.append((q.quotes, *assistant.retrieve(request, request.named or None, vector)))
    configured = components.settings.retrieval.document_decay
    lines = [f"| document_decay | quote recall@10 ({len(searched)} Themen- und Vergleichsfragen) |", "|---|---|"]
    for decay in decays:
        recalls = []
        for quotes, ranked, heads in searched:
            texts = [hit.passage.text for hit in cover_documents(heads, ranked, 10, decay)]
            recalls.append(sum(any(quote_in(quote, text) for text in texts) for quote in quotes) / len(quotes))
        lines.append(f"| {decay}{' (gewählt)' if decay == configured else ''} | {statistics.mean(recalls):.3f} |")
    return lines


def choices(components, questions_path: Path) -> str:
    """Markdown: what the chunk size, the fusion weights, the compound threshold, the decay of a
    document's further passages, the language offsets and the abstention threshold each buy on
    the question set, beside the configured values."""
    passages = components.index.passages()
    questions = load_questions(questions_path)
    cands = collect(components, questions)
    retrieval = components.settings.retrieval
    lines = ["Die gefundene Rangfolge allein (vor der Abdeckung aller Dokumente bei Themenfragen), je Größe der Textstellen:", ""]
    lines += chunk_sizes(components, questions, cands)
    lines += ["", "und je Gewichtung der drei Rangfolgen:", ""]
    lines += ["| dense_weight | sentence_weight | lexical_weight | rrf_k | hit@5 | mrr@10 |", "|---|---|---|---|---|---|"]
    for dw, sw, lw, k in FUSION_GRID:
        settings = retrieval.model_copy(update={"dense_weight": dw, "sentence_weight": sw, "lexical_weight": lw, "rrf_k": k})
        h, m = retrieval_scores(cands, passages, settings)
        chosen = (dw, sw, lw, k) == (retrieval.dense_weight, retrieval.sentence_weight, retrieval.lexical_weight, retrieval.rrf_k)
        lines.append(f"| {dw} | {sw} | {lw} | {k}{' (gewählt)' if chosen else ''} | {h:.3f} | {m:.3f} |")
    lines += ["", "und je Schwelle, ab der die deutsche Suche Komposita zerlegt (nur die Wortsuche ändert sich):", ""]
    lines += compound_thresholds(components, cands)
    lines += ["", "Themen- und Vergleichsfragen: nach der besten Textstelle jedes Dokuments zählt jede weitere eines Dokuments "
              "um diesen Faktor weniger je schon genommener:", ""]
    lines += document_decays(components, questions)
    answer = components.settings.answer
    offsets = language_offsets(components, Path(__file__).parent / "parallel_questions.jsonl")
    lines += [
        "",
        "Sprachabschläge der Schwelle (Median des Abstands der besten Ähnlichkeit zur deutschen Frage, "
        f"`parallel_questions.jsonl`): gemessen {_rounded(offsets)}, eingestellt {_rounded(answer.language_offsets)}.",
        "",
        "Enthaltung allein über die Schwelle der besten Ähnlichkeit (ohne die Zahl-Regel des Antwortteils):",
        "",
        "| abstain_below | abstention (unanswerable) | false abstention (answerable) |",
        "|---|---|---|",
    ]
    # A question's best similarity, lifted by its language's configured offset: comparable to German.
    best = {c.question.id: max((s for _, s in c.rankings.dense), default=0.0) + answer.language_offsets.get(c.language, 0.0) for c in cands}
    unanswerable = [c for c in cands if not c.question.answerable]
    answerable = [c for c in cands if c.question.answerable]
    for threshold in THRESHOLDS:
        a = sum(best[c.question.id] < threshold for c in unanswerable) / max(1, len(unanswerable))
        f = sum(best[c.question.id] < threshold for c in answerable) / max(1, len(answerable))
        chosen = " (gewählt)" if threshold == answer.abstain_below else ""
        lines.append(f"| {threshold}{chosen} | {a:.3f} | {f:.3f} |")
    return "\n".join(lines)


def _rounded(offsets: dict[str, float]) -> str:
    return ", ".join(f"{lang} {value:.3f}" for lang, value in sorted(offsets.items()))


if __name__ == "__main__":
    import sys

    from assistant.components import Components
    from assistant.settings import Settings

    print(choices(Components(Settings()), Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "questions.jsonl"))
