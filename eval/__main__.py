"""python -m eval run | score | all — the evaluation of answer quality."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
DEFAULT_QUESTIONS = HERE / "questions.jsonl"
# Written apart from the question set and never used to choose a setting: shows whether the
# figures on the question set carry over to questions nobody tuned for.
HOLDOUT_QUESTIONS = HERE / "holdout_questions.jsonl"
DEFAULT_THRESHOLDS = HERE / "thresholds.toml"


def _components():
    from assistant.components import Components
    from assistant.settings import Settings

    return Components(Settings())


def run(questions_path: Path, out: Path, system: str = "ours", components=None) -> None:
    from eval.questions import load_questions
    from eval.systems import FACTORIES

    questions = load_questions(questions_path)  # a broken file is reported before the model loads
    components = components or _components()
    answer = FACTORIES[system](components)
    out.parent.mkdir(parents=True, exist_ok=True)
    # An interrupted run leaves the previous answers, not half of the new ones to be scored.
    partial = out.with_name(out.name + ".part")
    with partial.open("w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps({"id": question.id, **answer(question)}, ensure_ascii=False) + "\n")
    partial.replace(out)


def corpus_checker(corpus_dir: Path):
    """True if a cited text occurs in the (cleaned) corpus: cleaning only drops page furniture."""
    from eval.matching import normalize
    from ingest.cleaning import clean
    from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_file

    texts = []
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            try:
                pages = load_file(path, 10**9).pages
            except LoadError:
                continue
            texts.append(normalize(clean("\n\n".join(p.text for p in pages)).text))
    return lambda text: bool(normalize(text)) and any(normalize(text) in t for t in texts)


def score(questions_path: Path, answers_path: Path, corpus_dir: Path) -> dict[str, dict[str, float]]:
    from eval.metrics import aggregate, per_question
    from eval.questions import load_answers, load_questions

    answers = load_answers(answers_path)
    in_corpus = corpus_checker(corpus_dir)
    questions = load_questions(questions_path)
    unanswered = [question.id for question in questions if question.id not in answers]
    if unanswered:  # answers of another question set would score as all abstained, unnoticed
        print(
            f"Hinweis: {len(unanswered)} von {len(questions)} Fragen ohne Antwort in {answers_path.name} "
            f"(z. B. {', '.join(unanswered[:3])}); sie zählen als enthalten.",
            file=sys.stderr,
        )
    rows = []
    for question in questions:
        answer = answers.get(question.id, {"answer": "", "abstained": True, "citations": [], "retrieved": []})
        rows.append((question, answer, per_question(question, answer, in_corpus)))
    return aggregate(rows)


def check_gates(results: dict[str, dict[str, float]], thresholds_path: Path) -> list[str]:
    from eval.metrics import METRICS

    gates = tomllib.loads(thresholds_path.read_text(encoding="utf-8"))["gates"]
    failures = []
    for metric, bound in gates.items():
        value = results["all"].get(metric)
        ok = value is not None and (value >= bound if METRICS[metric] else value <= bound)
        if not ok:
            failures.append(f"{metric} = {value} verfehlt die Schwelle {bound}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval")
    commands = parser.add_subparsers(dest="command", required=True)
    p_run = commands.add_parser("run", help="Fragen durch den Assistenten schicken (wie ask --json)")
    p_run.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    p_run.add_argument("--out", type=Path, required=True)
    p_run.add_argument("--system", default="ours", choices=["ours", "bm25", "dense", "llamaindex"])
    p_score = commands.add_parser("score", help="Antworten bewerten")
    p_score.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    p_score.add_argument("--answers", type=Path, required=True)
    p_score.add_argument("--thresholds", type=Path, help="Schwellen prüfen; Exit-Code 1 bei Unterschreitung")
    p_score.add_argument("--tags", action="store_true", help="auch je Tag ausgeben")
    p_all = commands.add_parser("all", help="Unser System und alle Vergleichsverfahren, Bericht, Schwellen")
    p_all.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    p_all.add_argument("--out-dir", type=Path, default=Path("data/eval"))
    args = parser.parse_args(argv)
    from eval.questions import EvalFileError

    missing = [path for path in (args.questions, getattr(args, "answers", None)) if path and not path.is_file()]
    if missing:
        print(f"Datei nicht gefunden: {missing[0]}", file=sys.stderr)
        return 2
    try:
        return _command(args)
    except EvalFileError as error:
        print(error, file=sys.stderr)
        return 2


def _command(args: argparse.Namespace) -> int:
    from eval.report import TAG_METRICS, table, tag_table

    if args.command == "run":
        run(args.questions, args.out, args.system)
        return 0
    corpus_dir = _components().settings.corpus_dir
    if args.command == "score":
        results = score(args.questions, args.answers, corpus_dir)
        print(table({"ours": results}))
        if args.tags:
            for metric in TAG_METRICS:
                print(f"\n{metric}\n{tag_table({'ours': results}, metric)}")
        failures = check_gates(results, args.thresholds) if args.thresholds else []
        for failure in failures:
            print(f"SCHWELLE VERFEHLT: {failure}", file=sys.stderr)
        return 1 if failures else 0

    from eval.report import write_report
    from eval.systems import SYSTEMS
    from eval.tune import choices

    components = _components()
    results = {}
    for system in SYSTEMS:
        answers = args.out_dir / f"answers-{system}.jsonl"
        run(args.questions, answers, system, components)
        results[system] = score(args.questions, answers, corpus_dir)
    print(table(results))
    intro = (
        f"Fragenkatalog: `{args.questions.name}`, {int(results['ours']['all']['n'])} Fragen. "
        "Vergleichsverfahren im selben Lauf: `bm25` (nur deutscher BM25), `dense` (nur e5-Vektorsuche), "
        "`llamaindex` (SimpleDirectoryReader + SentenceSplitter + VectorStoreIndex, gleiches Modell). "
        "Die Vergleichsverfahren enthalten sich nie und antworten mit ihrer besten Textstelle."
    )
    holdout = None
    if args.questions == DEFAULT_QUESTIONS:
        answers = args.out_dir / "answers-ours-holdout.jsonl"
        run(HOLDOUT_QUESTIONS, answers, "ours", components)
        holdout = score(HOLDOUT_QUESTIONS, answers, corpus_dir)
        print(table({"ours (zurückgehalten)": holdout}))
    write_report(results, HERE / "report.md", intro, holdout, choices(components, args.questions))
    failures = check_gates(results["ours"], DEFAULT_THRESHOLDS)
    for failure in failures:
        print(f"SCHWELLE VERFEHLT: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
