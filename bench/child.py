"""What the benchmark runs in fresh processes, so start-up and peak memory are a process's own.

    python -m bench.child ingest                      (settings from ASSISTENT_* like the CLI)
    python -m bench.child app DATA_DIR CORPUS_DIR QUESTIONS N [PROFILE_FILE]
    python -m bench.child plain-ingest CORPUS_DIR FOLDER
    python -m bench.child plain-start FOLDER QUESTIONS N

Lines starting with an upper-case word are timed by the parent as they arrive: STAGE name
rss_mb after each step of a start, READY when it can answer, ANSWERED after each answer,
RESULT followed by JSON. Only the standard library is imported up here: every import below
is part of what is timed.
"""

from __future__ import annotations

import cProfile
import json
import sys
import time
from pathlib import Path


def stage(name: str) -> None:
    """Print the step's name, resident memory now and the peak so far (MB)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    rss, peak = (int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))
    print(f"STAGE {name} {rss:.0f} {peak:.0f}", flush=True)


def _questions(path: str, n: str) -> list:
    from eval.questions import load_questions

    return load_questions(Path(path))[: int(n)]


def ingest() -> None:
    """What `python -m assistant ingest` does (same settings from the environment, same calls),
    with the model timed. The model loads in sync(), before the clock, as in the CLI. Then the
    same passage texts go straight through the model: the limit, measured right after, in the
    same process, so that both see the same machine."""
    from assistant.components import Components
    from assistant.settings import Settings
    from bench.measure import TimedE5, pure_embedding_seconds
    from index.embedding import model_id
    from index.sync import embedding_texts

    stage("imports")
    components = Components(Settings())
    model = TimedE5()
    components.__dict__["_embedding"] = (model, model_id(model, "e5"))
    sync = components.sync()
    stage("model")
    started, cpu = time.perf_counter(), time.process_time()
    report = sync.run(components.settings.corpus_dir, show_progress=False)
    result = {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu}
    stage("ingested")
    print(report.summary())
    result.update(model_seconds=model.clock.passage_seconds, chars=model.clock.chars, passages=report.passages)
    texts, _ = embedding_texts(list(components.index.passages().values()))
    result["pure_seconds"], result["pure_cpu_seconds"] = pure_embedding_seconds(model, texts)
    print("RESULT " + json.dumps(result), flush=True)


def app(data_dir: str, corpus_dir: str, questions: str, n: str, profile_file: str | None = None) -> None:
    def start():
        # The app's imports in a fixed order, so each stage line says what the heavy parts cost.
        import gradio  # noqa: F401

        stage("gradio")
        import chromadb  # noqa: F401
        import llama_index.core  # noqa: F401

        stage("chromadb+llama_index")
        from assistant.app import build_app
        from assistant.components import Components
        from assistant.settings import Settings

        stage("assistant")
        components = Components(Settings(corpus_dir=Path(corpus_dir), data_dir=Path(data_dir)))
        _ = components.embedding  # the model loads here
        stage("model")
        _ = components.index  # Chroma, the passages and BM25 load here
        stage("index")
        build_app(components)  # built, not launched: binding a port adds nothing to measure
        stage("build_app")
        return components

    if profile_file:
        profiler = cProfile.Profile()
        components = profiler.runcall(start)
        profiler.dump_stats(profile_file)
    else:
        components = start()
    print("READY", flush=True)
    assistant = components.assistant()
    for q in _questions(questions, n):
        assistant.ask(q.question, history=list(q.history))
        print("ANSWERED", flush=True)
    stage("questions")


def plain_start(folder: str, questions: str, n: str) -> None:
    import chromadb  # noqa: F401
    import llama_index.core  # noqa: F401

    stage("chromadb+llama_index")
    from bench.plain import open_retriever, warm_imports
    from index.embedding import E5Embedding

    warm_imports()
    stage("imports")
    model = E5Embedding()
    stage("model")
    retriever = open_retriever(Path(folder), model)
    stage("index")
    print("READY", flush=True)
    for q in _questions(questions, n):
        retriever.retrieve(q.question)
        print("ANSWERED", flush=True)
    stage("questions")


def plain_ingest(corpus_dir: str, folder: str) -> None:
    from bench.measure import TimedE5
    from bench.plain import ingest, warm_imports

    # Model and libraries loaded before the clock starts, as in our ingestion.
    warm_imports()
    stage("imports")
    model = TimedE5()
    stage("model")
    started, cpu = time.perf_counter(), time.process_time()
    nodes = ingest(Path(corpus_dir), Path(folder), model)
    result = {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu}
    stage("ingested")
    result.update(model_seconds=model.clock.passage_seconds, chars=model.clock.chars, passages=nodes)
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"ingest": ingest, "app": app, "plain-start": plain_start, "plain-ingest": plain_ingest}[mode](*args)
