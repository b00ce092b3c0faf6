"""Measuring tools: a model that counts its own time, percentiles, child processes, profiles."""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from pydantic import PrivateAttr

from bench import OFFLINE_ENV
from index.embedding import E5Embedding

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ModelClock:
    """Seconds spent inside the model, and what it embedded in them."""

    passage_seconds: float = 0.0
    passages: int = 0
    chars: int = 0
    query_seconds: float = 0.0
    queries: int = 0


class TimedE5(E5Embedding):
    """The default model, adding up the seconds spent inside it. Timed at the raw model call,
    below LlamaIndex's batching and callbacks, so that everything else counts as pipeline."""

    _clock: ModelClock = PrivateAttr(default_factory=ModelClock)

    @property
    def clock(self) -> ModelClock:
        return self._clock

    def reset(self) -> None:
        self._clock = ModelClock()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        vectors = super()._get_text_embeddings(texts)
        self._clock.passage_seconds += time.perf_counter() - started
        self._clock.passages += len(texts)
        self._clock.chars += sum(len(t) for t in texts)
        return vectors

    def _get_query_embedding(self, query: str) -> list[float]:
        started = time.perf_counter()
        vector = super()._get_query_embedding(query)
        self._clock.query_seconds += time.perf_counter() - started
        self._clock.queries += 1
        return vector


def pure_embedding_seconds(model: TimedE5, texts: list[str]) -> tuple[float, float]:
    """The model's raw throughput on these texts: the batches the pipeline uses, nothing else.
    Returns wall and CPU seconds; CPU time hardly depends on what else the machine is doing."""
    batch = model.embed_batch_size
    started, cpu = time.perf_counter(), time.process_time()
    for offset in range(0, len(texts), batch):
        model._get_text_embeddings(texts[offset : offset + batch])
    return time.perf_counter() - started, time.process_time() - cpu


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


@dataclass
class Latency:
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return float(np.percentile(self.samples_ms, 50))

    @property
    def p95(self) -> float:
        return float(np.percentile(self.samples_ms, 95))


def latencies(calls: list[Callable[[], object]], warmup: int = 5) -> Latency:
    # The first calls pay for lazy loading and cold caches; a user pays that once, at start-up.
    for call in calls[:warmup]:
        call()
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return Latency(samples)


@dataclass
class ChildRun:
    seconds: float  # spawn to exit
    events: list[tuple[float, list[str]]]  # (seconds after spawn, words) of each upper-case-led stdout line
    peak_rss_mb: float
    stdout: str
    returncode: int
    stderr: str = field(repr=False, default="")

    def mark(self, word: str) -> float:
        return next(t for t, words in self.events if words[0] == word)

    def stage(self, name: str) -> float:
        return next(t for t, words in self.events if words[:2] == ["STAGE", name])

    def result(self) -> dict:
        return json.loads(self.stdout.split("RESULT ", 1)[1])


def run_child(args: list[str], env: dict[str, str] | None = None, python_flags: tuple[str, ...] = ()) -> ChildRun:
    """Run `python ARGS` as a fresh process. Lines it prints starting with an upper-case word
    (READY, STAGE, ANSWERED) are timed as they arrive; the peak RSS is that process's own
    (wait4), not the maximum over all children."""
    full_env = {**os.environ, **OFFLINE_ENV, **(env or {})}
    with tempfile.TemporaryFile("w+") as err:  # a file, not a pipe: a chatty child can't block
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *python_flags, *args], cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=err, text=True
        )
        events, lines = [], []
        assert proc.stdout is not None
        for line in proc.stdout:
            words = line.split()
            if words and words[0].isupper():
                events.append((time.perf_counter() - started, words))
            lines.append(line)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read()
    # Linux reports ru_maxrss in KiB.
    return ChildRun(seconds, events, usage.ru_maxrss / 1024, "".join(lines), proc.returncode, stderr)


def check(run: ChildRun, what: str) -> ChildRun:
    if run.returncode != 0:
        raise RuntimeError(f"{what} failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    return run


def profile(fn: Callable[[], object]) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        fn()
    finally:
        profiler.disable()
    return pstats.Stats(profiler)


def _where(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":  # a builtin
        return name
    path = filename.split("site-packages/")[-1]
    if path.startswith(str(ROOT)):
        path = path[len(str(ROOT)) + 1 :]
    return f"{path}:{line} {name}"


def _is_plumbing(key: tuple[str, int, str]) -> bool:
    """Frames every entry passes through (the import machinery, our own timing loops):
    at the top of a cumulative table they would hide the calls that matter."""
    filename, _, name = key
    return (
        filename.startswith("<frozen")
        or filename.startswith(str(ROOT / "bench"))
        or name in ("<built-in method builtins.exec>", "<built-in method builtins.__import__>")
    )


def top_entries(stats: pstats.Stats, n: int = 12) -> str:
    """Markdown: the functions with the most time of their own, and the heaviest call paths."""
    rows = stats.stats  # type: ignore[attr-defined]
    total = sum(own for _, _, own, _, _ in rows.values()) or 1.0

    def table(order: int, title: str) -> list[str]:
        ranked = sorted((item for item in rows.items() if not _is_plumbing(item[0])), key=lambda item: -item[1][order])
        out = [f"| {title} | s | % | calls |", "|---|---|---|---|"]
        for key, (_, calls, own, cumulative, _) in ranked[:n]:
            value = own if order == 2 else cumulative
            out.append(f"| `{_where(key)}` | {value:.2f} | {100 * value / total:.0f} | {calls} |")
        return out

    return "\n".join([*table(2, "own time (tottime)"), "", *table(3, "including callees (cumtime)")])


def import_times(stderr: str, n: int = 12) -> str:
    """Markdown from `python -X importtime`: import time of each top-level package, its own
    modules only (a package's imports of other packages count for those)."""
    per_package: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        own, _, name = line[len("import time:") :].split("|")
        package = name.strip().split(".")[0]
        per_package[package] = per_package.get(package, 0.0) + int(own) / 1e6
    total = sum(per_package.values()) or 1.0
    out = ["| package | s | % |", "|---|---|---|"]
    for package, seconds in sorted(per_package.items(), key=lambda item: -item[1])[:n]:
        out.append(f"| `{package}` | {seconds:.2f} | {100 * seconds / total:.0f} |")
    return "\n".join(out)
