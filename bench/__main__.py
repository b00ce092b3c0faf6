"""python -m bench [--quick]: measure, print the table, write bench/results.md and bench/growth.png.

Every measurement works in a temporary folder (copies of the corpus, fresh data folders), so
the repository's data/ is never touched. --quick skips the 100x corpus.
"""

from __future__ import annotations

import os

from bench import OFFLINE_ENV

for _key, _value in OFFLINE_ENV.items():  # before chromadb, gradio and llama_index are imported
    os.environ.setdefault(_key, _value)

import argparse  # noqa: E402
import pstats  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

from assistant.components import Components  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench import plain, synth  # noqa: E402
from bench.measure import (  # noqa: E402
    ROOT,
    ChildRun,
    TimedE5,
    check,
    import_times,
    latencies,
    profile,
    run_child,
    timed,
    top_entries,
)
from bench.report import Row, SizePoint, growth_exponent, growth_table, plot, table  # noqa: E402
from eval.questions import Question, load_questions  # noqa: E402
from index.embedding import model_id  # noqa: E402
from index.store import IndexStoreError  # noqa: E402

CORPUS = ROOT / "corpus"
QUESTIONS = ROOT / "eval" / "questions.jsonl"
APP_QUESTIONS = 5  # answered by a started app before its peak memory is read
RSS_LIMIT_MB = 1536
APPENDED = "\nDieser Satz wurde für den Benchmark an das Dokument angehängt.\n"


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def components(corpus: Path, data: Path, model: TimedE5) -> Components:
    c = Components(Settings(corpus_dir=corpus, data_dir=data))
    # Components builds its model in a cached_property; filling that slot makes every measurement
    # use the one loaded, timed model, and keeps model loading out of the ingestion figures.
    c.__dict__["_embedding"] = (model, model_id(model, "e5"))
    return c


def ingest(c: Components) -> tuple[float, object]:
    started = time.perf_counter()
    report = c.sync().run(c.settings.corpus_dir, show_progress=False)
    return time.perf_counter() - started, report


def query_calls(c: Components, questions: list[Question]) -> tuple[list[Callable], list[Callable]]:
    retriever, assistant = c.retriever, c.assistant()
    retrieval = [lambda q=q: retriever.run(q.question, top_k=10) for q in questions]
    # The same call `ask --json` makes, with the conversation history of follow-up questions.
    answer = [lambda q=q: assistant.ask(q.question, history=list(q.history)) for q in questions]
    return retrieval, answer


def measure_plain(source: Path, tmp: Path, model: TimedE5, questions: list[Question]) -> dict:
    say("plain LlamaIndex: Aufnahme kalt (neuer Prozess) …")
    folder = tmp / "plain"
    ingest_run = check(run_child(["-m", "bench.child", "plain-ingest", str(source), str(folder)]), "plain-ingest")
    say("plain LlamaIndex: Suche …")
    retriever = plain.open_retriever(folder, model)
    retrieval = latencies([lambda q=q: retriever.retrieve(q.question) for q in questions])
    say("plain LlamaIndex: Start …")
    args = ["-m", "bench.child", "plain-start", str(folder), str(QUESTIONS), str(APP_QUESTIONS)]
    start = check(run_child(args), "plain-start")
    return {"ingest": ingest_run.result(), "ingest_run": ingest_run, "retrieval": retrieval, "start": start}


def measure_ours(source: Path, tmp: Path, model: TimedE5, questions: list[Question]) -> tuple[dict, Components]:
    corpus, data = tmp / "corpus", tmp / "ours"
    shutil.copytree(source, corpus)  # a copy: one document gets changed below
    env = {"ASSISTENT_DATA_DIR": str(data), "ASSISTENT_CORPUS_DIR": str(corpus)}
    say("ours: Aufnahme kalt (neuer Prozess, wie python -m assistant ingest) …")
    ingest_run = check(run_child(["-m", "bench.child", "ingest"], env), "ingest")
    say("ours: python -m assistant ingest, unverändert …")
    cli_unchanged = check(run_child(["-m", "assistant", "ingest"], env), "assistant ingest")
    say("ours: App-Start …")
    start = check(run_child(["-m", "bench.child", "app", str(data), str(corpus), str(QUESTIONS), str(APP_QUESTIONS)]), "app")

    c = components(corpus, data, model)
    say("ours: erneute Aufnahme, unverändert …")
    unchanged_s = timed(lambda: c.sync().run(corpus, show_progress=False))
    say(f"ours: {len(questions)} Fragen, Suche und Antwort …")
    model.reset()
    retrieval_calls, answer_calls = query_calls(c, questions)
    retrieval, answer = latencies(retrieval_calls), latencies(answer_calls)
    query_embedding_ms = 1000 * model.clock.query_seconds / max(model.clock.queries, 1)
    # The largest document: the worst case for one changed file.
    changed_file = max(corpus.glob("*.txt"), key=lambda p: p.stat().st_size)
    with changed_file.open("a", encoding="utf-8") as handle:
        handle.write(APPENDED)
    say(f"ours: erneute Aufnahme, {changed_file.name} geändert …")
    changed_s, changed = ingest(c)
    figures = {
        "ingest": ingest_run.result(),
        "ingest_run": ingest_run,
        "cli_unchanged": cli_unchanged,
        "start": start,
        "unchanged_s": unchanged_s,
        "changed_s": changed_s,
        "changed_file": changed_file.name,
        "changed_embedded": changed.embedded,
        "retrieval": retrieval,
        "answer": answer,
        "query_embedding_ms": query_embedding_ms,
    }
    return figures, c


def measure_growth(
    source: Path, tmp: Path, model: TimedE5, questions: list[Question], factors: list[int], cache: Path
) -> tuple[list[SizePoint], Components, list[tuple[int, str]]]:
    """Ingest and query each size. A size whose ingestion fails is reported, not fatal."""
    points: list[SizePoint] = []
    failures: list[tuple[int, str]] = []  # (factor, what happened)
    c = None
    for factor in factors:
        corpus, data = tmp / f"x{factor}", tmp / f"x{factor}-data"
        documents = synth.make_corpus(source, corpus, factor)
        # Passages whose text repeats come from the content-hash cache of the previous size.
        data.mkdir()
        shutil.copy(cache, data / "embeddings.sqlite")
        size = components(corpus, data, model)
        say(f"Wachstum {factor}×: Aufnahme von {documents} Dokumenten …")
        model.reset()
        try:
            ingest_s, report = ingest(size)
        except IndexStoreError as error:
            expected = points[-1].passages * factor // points[-1].factor if points else "?"
            failures.append((factor, f"{factor}× ({documents} Dokumente, etwa {expected} Textstellen): {error}"))
            say(f"Wachstum {factor}×: Aufnahme fehlgeschlagen: {error}")
            # The embeddings computed before the failure are in its cache: the next size reuses them.
            cache = data / "embeddings.sqlite"
            continue
        c = size
        if report.problems:
            say(f"Wachstum {factor}×: {len(report.problems)} Dateien nicht aufgenommen: {report.problems[0].message}")
        model_s = model.clock.passage_seconds
        say(f"Wachstum {factor}×: Fragen …")
        retrieval_calls, answer_calls = query_calls(c, questions)
        retrieval, answer = latencies(retrieval_calls), latencies(answer_calls)
        points.append(
            SizePoint(
                factor, documents, report.passages, report.embedded, ingest_s, model_s,
                retrieval.p50, retrieval.p95, answer.p50, answer.p95,
            )
        )
        cache = data / "embeddings.sqlite"
    assert c is not None
    return points, c, failures


def rows(ours: dict, plain_: dict, points: list[SizePoint], failures: list[tuple[int, str]]) -> list[Row]:
    oi, pi = ours["ingest"], plain_["ingest"]
    ratio = oi["seconds"] / oi["pure_seconds"]
    r, a, pr = ours["retrieval"], ours["answer"], plain_["retrieval"]
    os_, ps = ours["start"], plain_["start"]
    largest = f"{points[-1].factor}×"
    exponent_r, exponent_a = growth_exponent(points, "retrieval_p50"), growth_exponent(points, "answer_p50")
    return [
        Row("Aufnahme kalt (Wandzeit)", oi["seconds"], pi["seconds"], "s",
            f"≤ 1,15 × reine Einbettung ({1.15 * oi['pure_seconds']:.0f} s)", ratio <= 1.15, profile="ingest"),
        Row("reine Einbettung derselben Textstellen (Grenze)", oi["pure_seconds"], None, "s"),
        Row("Aufnahme ÷ reine Einbettung", ratio, None, "×", "≤ 1,15", ratio <= 1.15, profile="ingest"),
        Row("… dasselbe in CPU-Zeit (weniger abhängig von fremder Last)", oi["cpu_seconds"] / oi["pure_cpu_seconds"],
            None, "×", "≤ 1,15", oi["cpu_seconds"] / oi["pure_cpu_seconds"] <= 1.15, profile="ingest"),
        Row("Aufnahme kalt, CPU-Zeit", oi["cpu_seconds"], pi["cpu_seconds"], "s", profile="ingest"),
        Row("Zeit im Modell während der Aufnahme", oi["model_seconds"], pi["model_seconds"], "s", profile="ingest"),
        Row("Aufnahme ÷ Zeit im Modell", oi["seconds"] / oi["model_seconds"], pi["seconds"] / pi["model_seconds"], "×",
            profile="ingest"),
        Row("Textstellen pro Sekunde (Aufnahme)", oi["passages"] / oi["seconds"], pi["passages"] / pi["seconds"],
            "passages/s", lower_is_better=False),
        Row("Aufnahme kalt, ganzer Prozess (Start bis fertig)", ours["ingest_run"].stage("ingested"),
            plain_["ingest_run"].stage("ingested"), "s", profile="start"),
        Row("erneute Aufnahme, unverändert", ours["unchanged_s"], pi["seconds"], "s", "< 2 s",
            ours["unchanged_s"] < 2, profile="unchanged"),
        Row("… als neuer Prozess (python -m assistant ingest)", ours["cli_unchanged"].seconds,
            plain_["ingest_run"].seconds, "s", profile="start"),
        Row("erneute Aufnahme, ein Dokument geändert", ours["changed_s"], pi["seconds"], "s", profile="changed"),
        Row("Suche p50", r.p50, pr.p50, "ms", "< 50 ms", r.p50 < 50, profile="retrieval"),
        Row("Suche p95", r.p95, pr.p95, "ms", profile="retrieval"),
        Row("extraktive Antwort p50 (plain: seine Suche)", a.p50, pr.p50, "ms", "< 150 ms", a.p50 < 150, profile="answer"),
        Row("extraktive Antwort p95 (plain: seine Suche)", a.p95, pr.p95, "ms", profile="answer"),
        Row("App-Start mit Index", os_.mark("READY"), ps.mark("READY"), "s", "< 8 s", os_.mark("READY") < 8,
            profile="start"),
        Row("erste Antwort nach Prozessstart", os_.mark("ANSWERED"), ps.mark("ANSWERED"), "s", profile="start"),
        Row(f"Spitzen-RSS App (nach {APP_QUESTIONS} Fragen)", os_.peak_rss_mb, ps.peak_rss_mb, "MB", "< 1,5 GB",
            os_.peak_rss_mb < RSS_LIMIT_MB, profile="memory"),
        Row("Spitzen-RSS Aufnahme", ours["ingest_run"].peak_rss_mb, plain_["ingest_run"].peak_rss_mb, "MB",
            "< 1,5 GB", ours["ingest_run"].peak_rss_mb < RSS_LIMIT_MB, profile="memory"),
        Row(f"Wachstum Suche p50, 1×→{largest} (Exponent)", exponent_r, None, "", "< 1 (sublinear)",
            exponent_r < 1, profile="growth"),
        Row(f"Wachstum Antwort p50, 1×→{largest} (Exponent)", exponent_a, None, "", "< 1 (sublinear)",
            exponent_a < 1, profile="growth"),
        *[Row(f"Aufnahme {factor}× (synthetisch)", None, None, "", "gelingt", False) for factor, _ in failures],
    ]


def stage_table(runs: dict[str, ChildRun]) -> str:
    """Markdown: seconds after spawn and resident memory at each STAGE line of child processes."""
    lines = ["| Prozess | Schritt | s seit Start | Δ s | RSS MB | Spitze bis hier MB |", "|---|---|---|---|---|---|"]
    for name, run in runs.items():
        previous = 0.0
        for seconds, words in run.events:
            if words[0] == "STAGE":
                lines.append(f"| {name} | {words[1]} | {seconds:.2f} | {seconds - previous:.2f} | {words[2]} | {words[3]} |")
                previous = seconds
        lines.append(f"| {name} | Ende (ru_maxrss) | {run.seconds:.2f} | | | {run.peak_rss_mb:.0f} |")
    return "\n".join(lines)


def run_profiles(names: set[str], tmp: Path, model: TimedE5, c1: Components, big: Components,
                 questions: list[Question], ours: dict, plain_: dict) -> list[tuple[str, str]]:
    """Where the time goes, for the steps whose figure missed its target or the plain one's."""
    retrieval_calls, answer_calls = query_calls(c1, questions)
    big_calls = query_calls(big, questions)[1]
    corpus = c1.settings.corpus_dir
    app_args = ["-m", "bench.child", "app", str(tmp / "ours"), str(corpus), str(QUESTIONS), "0"]

    def ingest_without_model() -> str:
        # A rebuild from a warm cache runs every step of a cold ingestion except the model.
        data = tmp / "profile-ingest"
        data.mkdir()
        shutil.copy(tmp / "ours" / "embeddings.sqlite", data / "embeddings.sqlite")
        c = components(corpus, data, model)
        oi, pi = ours["ingest"], plain_["ingest"]
        note = (
            f"Im Modell: ours {oi['model_seconds']:.0f} s für {oi['passages']} Textstellen mit "
            f"{oi['chars'] / 1000:.0f} Tsd. Zeichen, plain {pi['model_seconds']:.0f} s für {pi['passages']} Knoten mit "
            f"{pi['chars'] / 1000:.0f} Tsd. Zeichen (seine Knoten samt Metadaten-Kopf, e5 schneidet Texte über "
            "512 Token in Fenster). Außerhalb des Modells, hier ohne Modell neu aufgebaut:\n\n"
        )
        return note + top_entries(profile(lambda: c.sync().run(corpus, show_progress=False)))

    def changed() -> str:
        path = corpus / "heinsberg-leitbild-entwurf.txt"
        path.write_text(path.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")
        return top_entries(profile(lambda: c1.sync().run(corpus, show_progress=False)))

    def start() -> str:
        stats_file = tmp / "start.prof"
        check(run_child([*app_args, str(stats_file)]), "app with cProfile")
        imports = check(run_child(app_args, python_flags=("-X", "importtime")), "app with -X importtime")
        return (
            "Schritte eines Starts ohne Profiler (aus dem gemessenen Lauf):\n\n"
            + stage_table({"ours App": ours["start"], "plain": plain_["start"]})
            + "\n\nImportzeit je Paket (`python -X importtime`, nur die eigenen Module des Pakets):\n\n"
            + import_times(imports.stderr)
            + "\n\ncProfile des Starts (Import und build_app):\n\n"
            + top_entries(pstats.Stats(str(stats_file)))
        )

    def memory() -> str:
        # Not a time profile: resident memory after each step of the measured processes.
        note = "Liegt ru_maxrss über der Spitze beim letzten Schritt, entstand sie danach, beim Beenden.\n\n"
        return note + stage_table(
            {
                "ours App": ours["start"],
                "plain Start": plain_["start"],
                "ours Aufnahme": ours["ingest_run"],
                "plain Aufnahme": plain_["ingest_run"],
            }
        )

    jobs: dict[str, tuple[str, Callable[[], str]]] = {
        "ingest": ("Aufnahme kalt", ingest_without_model),
        "unchanged": ("erneute Aufnahme, unverändert (1×)",
                      lambda: top_entries(profile(lambda: c1.sync().run(corpus, show_progress=False)))),
        "changed": ("erneute Aufnahme, ein Dokument geändert (1×)", changed),
        "retrieval": (f"Suche, {len(questions)} Fragen (1×)",
                      lambda: top_entries(profile(lambda: [f() for f in retrieval_calls]))),
        "answer": (f"extraktive Antwort, {len(questions)} Fragen (1×)",
                   lambda: top_entries(profile(lambda: [f() for f in answer_calls]))),
        "start": ("Start eines Prozesses (App-Start, CLI)", start),
        "memory": ("Speicher (RSS) je Schritt", memory),
        "growth": (f"extraktive Antwort auf dem größten Korpus, {len(questions)} Fragen",
                   lambda: top_entries(profile(lambda: [f() for f in big_calls]))),
    }
    found = []
    for name in [n for n in jobs if n in names]:
        title, job = jobs[name]
        say(f"Profil: {title} …")
        found.append((title, job()))
    return found


def results_markdown(table_rows: list[Row], points: list[SizePoint], failures: list[tuple[int, str]], ours: dict, plain_: dict,
                     profiles: list[tuple[str, str]], meta: dict) -> str:
    oi, pi = ours["ingest"], plain_["ingest"]
    lines = [
        "# Benchmarks",
        "",
        f"Lauf vom {meta['date']}, {meta['minutes']:.1f} min, {os.cpu_count()} Kerne, Last (1 min) vorher "
        f"{meta['load_before']:.1f}, nachher {meta['load_after']:.1f}"
        f"{', `--quick` (ohne 100×)' if meta['quick'] else ''}. Erzeugt mit `python -m bench`; keine der Zahlen "
        "ist ein Test. Die CPU wird mit anderer Arbeit geteilt: absolute Zeiten schwanken, die Verhältnisse sind "
        "im selben Lauf gemessen.",
        "",
        f"Korpus: `{meta['corpus']}` ({oi['passages']} Textstellen bei uns, {pi['passages']} Knoten im plain-Verfahren); "
        f"Fragen: `eval/questions.jsonl` ({meta['questions']}). Modell in beiden Verfahren: multilingual-e5-small "
        "(`index.embedding.E5Embedding`), vor dem Messen geladen.",
        "",
        "## Übersicht",
        "",
        table(table_rows),
        "",
        "- **ours**: unsere Pipeline (`Components`: Bereinigen, Gliedern, Teilen, hybride Suche e5 + BM25, extraktive "
        "Antwort). **plain**: `SimpleDirectoryReader` (nur .txt/.md) + `SentenceSplitter()` + `VectorStoreIndex` auf "
        "Chroma (`PersistentClient`, `embedding_function=None`), `Settings.llm = None`, Retriever mit top 10.",
        "- *Aufnahme kalt*: leerer Datenordner, leerer Einbettungs-Cache, je in einem neuen Prozess (`python -m "
        "bench.child ingest` macht dasselbe wie `python -m assistant ingest`, mit gemessenem Modell); Wandzeit ohne "
        "Import und Laden des Modells, die stehen in *ganzer Prozess*. *Reine Einbettung* = dieselben "
        "Texte (`index.sync.embedding_texts`: Textstellen und ihre Sätze) direkt durch das Modell, in Stapeln wie in der Pipeline (16), gleich nach der "
        "Aufnahme im selben Prozess. *Zeit im Modell* = Zeit im Modellaufruf während der Aufnahme. CPU-Zeit = "
        "`time.process_time()` des Prozesses (alle Threads); sie hängt weniger davon ab, was die CPU sonst tut.",
        f"- Eingebettet: ours {oi['chars'] / 1000:.0f} Tsd. Zeichen in {oi['passages']} Textstellen (Abschnittspfad "
        f"+ Text, ein Satz Überlappung) und ihren Sätzen (je einzeln), plain {pi['chars'] / 1000:.0f} Tsd. Zeichen in {pi['passages']} Knoten "
        "(Metadaten-Kopf + Text). *Textstellen pro Sekunde* vergleicht daher verschieden große Stücke.",
        "- Das plain-Verfahren hat keine inkrementelle Aktualisierung: erneute Aufnahme heißt dort neu aufbauen; "
        "in diesen Zeilen steht daher seine kalte Aufnahme. Es hat auch keinen Antwortschritt (seine Antwort ist "
        "die beste Textstelle): in den Antwortzeilen steht seine Suchzeit.",
        "- *App-Start*: vom Start eines neuen Python-Prozesses bis `build_app(Components(settings))` fertig ist "
        "(Gradio-Import inklusive, ohne einen Port zu öffnen); plain: bis sein Retriever aus dem gespeicherten "
        f"Chroma-Index steht. *Spitzen-RSS*: `ru_maxrss` genau dieses Prozesses (wait4), nach {APP_QUESTIONS} "
        "Fragen bzw. nach der kalten Aufnahme.",
        f"- *Suche* = `retriever.run(frage, top_k=10)`, *Antwort* = `assistant.ask(frage, history=…)`, je "
        f"{meta['questions']} Fragen nach 5 zum Aufwärmen. Beide enthalten die Einbettung der Anfrage "
        f"(im Mittel {ours['query_embedding_ms']:.0f} ms).",
        "",
        "## Wachstum",
        "",
        growth_table(points),
        "",
        *[f"**Aufnahme fehlgeschlagen** bei {text}" for _, text in failures],
        *(["", "Ursache: Chroma liest beim Neuaufbau (`PassageIndex._read_all`, auch `document_hashes`) die ganze "
           "Sammlung mit `collection.get()` ohne `limit`; dabei bindet es eine SQL-Variable je Eintrag, und SQLite "
           "erlaubt 32.766. Über etwa 32.700 Textstellen lässt sich unser Index so nicht mehr aufbauen (nachgeprüft: "
           "32.000 Einträge gehen, 33.000 nicht). Abhilfe in `index/store.py`: seitenweise lesen "
           "(`get(limit=…, offset=…)`). Gemessen ist daher die größte Größe darunter; sie nimmt den Cache des "
           "abgebrochenen Laufs und bettet deshalb kaum etwas neu ein.", ""] if failures else []),
        "![Aufnahme und Antwortzeit gegen die Korpusgröße](growth.png)",
        "",
        "Synthetische Korpora (`bench/synth.py`): jedes Dokument in N Fassungen; Fassung k hat vertauschte "
        "Hauptabschnitte und einen umbenannten Ort (die erste Nennung des Kreises wird ein erfundener Ort), heißt "
        "also anders und hat einen anderen Inhalts-Hash. Abschnitte werden ganz verschoben, daher entstehen meist "
        "dieselben Textstellen, und deren Einbettung kommt aus dem Inhalts-Hash-Cache der vorigen Größe "
        "(`embeddings.sqlite` in den neuen Datenordner kopiert).",
        "",
        "Welche Zahlen Einbettung enthalten:",
        "",
        "- *Aufnahme gesamt* enthält die Einbettung der Spalte *neu eingebettet* (Textstellen am Rand verschobener "
        "Abschnitte und die mit dem umbenannten Ort). *Aufnahme ohne Modell* ist dieselbe Aufnahme abzüglich der im "
        "Modell gemessenen Zeit: Lesen, Bereinigen, Gliedern, Teilen, Cache, Chroma, BM25. 1× ist das echte Korpus, "
        "in einen leeren Index mit warmem Cache aufgenommen (nichts neu eingebettet).",
        "- In der Übersicht enthält *Aufnahme kalt* (beide Verfahren) die Einbettung aller Textstellen; *unverändert* "
        f"bettet nichts ein; *ein Dokument geändert* ({ours['changed_file']}, ein Satz angehängt) bettet "
        f"{ours['changed_embedded']} Texte (Textstellen und Sätze) ein. Such- und Antwortzeiten enthalten die Einbettung der Anfrage, "
        "nie die von Textstellen.",
        "- *Exponent*: Steigung in doppelt-logarithmischer Darstellung von 1× bis zur größten Größe; 1 hieße "
        "proportional zur Korpusgröße, unter 1 sublinear.",
        "",
        "## Wo die Zeit bleibt",
        "",
    ]
    if not profiles:
        lines.append("Alle Ziele erreicht, alle Zahlen mindestens so gut wie die des plain-Verfahrens: kein Profil nötig.")
    else:
        lines.append(
            "Für jede Zahl, die ihr Ziel oder die des plain-Verfahrens verfehlt, ist der Schritt hier mit cProfile "
            "gemessen (in einem eigenen Lauf: cProfile verlangsamt, es zählen die Anteile). Je zuerst die Funktionen "
            "mit der meisten eigenen Zeit, dann die mit der meisten Zeit einschließlich ihrer Aufrufe."
        )
        for title, text in profiles:
            lines += ["", f"### {title}", "", text]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="ohne das 100×-Korpus (schnelle Probe)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="Dokumentordner (Standard: corpus/)")
    parser.add_argument("--questions", type=int, help="nur die ersten N Fragen (Probelauf)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="Ordner für results.md und growth.png")
    args = parser.parse_args(argv)
    started, load_before = time.time(), os.getloadavg()[0]
    questions = load_questions(QUESTIONS)[: args.questions]
    factors = [1, 10] if args.quick else [1, 10, 100]
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        tmp = Path(name)
        say("Modell laden …")
        model = TimedE5()
        plain_ = measure_plain(args.corpus, tmp, model, questions)
        ours, c1 = measure_ours(args.corpus, tmp, model, questions)
        cache = tmp / "ours" / "embeddings.sqlite"
        points, big, failures = measure_growth(args.corpus, tmp, model, questions, factors, cache)
        table_rows = rows(ours, plain_, points, failures)
        wanted = {r.profile for r in table_rows if r.profile and (r.met is False or r.beats_plain is False)}
        profiles = run_profiles(wanted, tmp, model, c1, big, questions, ours, plain_)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "minutes": (time.time() - started) / 60,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "quick": args.quick,
        "questions": len(questions),
        "corpus": args.corpus.resolve().relative_to(ROOT) if args.corpus.resolve().is_relative_to(ROOT) else args.corpus,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    plot(points, args.out / "growth.png")
    markdown = results_markdown(table_rows, points, failures, ours, plain_, profiles, meta)
    (args.out / "results.md").write_text(markdown, encoding="utf-8")
    print(table(table_rows))
    print()
    print(growth_table(points))
    for _, text in failures:
        print(f"Aufnahme fehlgeschlagen bei {text}")
    print(f"\n{meta['minutes']:.1f} min; geschrieben: {args.out / 'results.md'}, {args.out / 'growth.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
