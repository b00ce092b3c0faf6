"""python -m bench.load [--conversations 20] [--turns 5]: many staff at once.

Starts the real app (`python -m assistant serve`) on 127.0.0.1, answers every question once
alone, then holds the conversations at the same time through the app's API (`/frage`, with
gradio_client) and checks that each answer is the one the question got alone.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import httpx

from bench import OFFLINE_ENV
from bench.measure import ROOT
from eval.questions import load_questions

QUESTIONS = ROOT / "eval" / "questions.jsonl"
START_TIMEOUT_S = 180


@dataclass
class LoadResult:
    conversations: int
    turns: int
    alone_ms: list[float]
    together_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)  # questions answered otherwise than alone

    def table(self) -> str:
        def p(values: list[float], q: int) -> str:
            return f"{statistics.quantiles(values, n=100)[q - 1]:.0f}" if len(values) > 1 else "–"

        answered = len(self.together_ms)
        return "\n".join(
            [
                f"Last: {self.conversations} Gespräche × {self.turns} Fragen gleichzeitig über /frage",
                "| | Fragen | p50 ms | p95 ms |",
                "|---|---:|---:|---:|",
                f"| allein | {len(self.alone_ms)} | {p(self.alone_ms, 50)} | {p(self.alone_ms, 95)} |",
                f"| gleichzeitig | {answered} | {p(self.together_ms, 50)} | {p(self.together_ms, 95)} |",
                f"Fehler: {len(self.errors)}, abweichende Antworten: {len(self.different)}",
            ]
        )


def conversations(count: int, turns: int, questions_file: Path = QUESTIONS) -> list[list[str]]:
    """Questions of the evaluation set in turns; each conversation's later questions carry
    the earlier ones as history, as in the chat."""
    texts = [q.question for q in load_questions(questions_file) if not q.history]
    return [[texts[(c * turns + t) % len(texts)] for t in range(turns)] for c in range(count)]


def _comparable(answer: dict) -> str:
    return json.dumps({k: v for k, v in answer.items() if k != "latency_ms"}, ensure_ascii=False, sort_keys=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(env: dict[str, str] | None = None) -> Iterator[str]:
    """The real app in its own process; yields its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, **OFFLINE_ENV, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Die App ist beim Start beendet worden:\n{process.stderr.read()}")
            try:
                if httpx.get(f"{url}config", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Die App hat nach {START_TIMEOUT_S} s nicht geantwortet.")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _ask(client, question: str, history: list[str]) -> tuple[dict, float]:
    started = time.perf_counter()
    answer = client.predict(question, history, [], api_name="/frage")
    return answer, (time.perf_counter() - started) * 1000


def run_load(url: str, dialogues: list[list[str]], timeout_s: float = 600) -> LoadResult:
    from gradio_client import Client

    turns = max(len(d) for d in dialogues)
    single = Client(url, verbose=False)
    alone: dict[tuple[str, ...], str] = {}
    alone_ms = []
    for dialogue in dialogues:
        for t, question in enumerate(dialogue):
            key = tuple(dialogue[: t + 1])
            if key not in alone:
                answer, ms = _ask(single, question, list(dialogue[:t]))
                alone[key] = _comparable(answer)
                alone_ms.append(ms)
    result = LoadResult(len(dialogues), turns, alone_ms)
    lock = threading.Lock()

    def converse(dialogue: list[str]) -> None:
        client = Client(url, verbose=False)
        for t, question in enumerate(dialogue):
            try:
                answer, ms = _ask(client, question, list(dialogue[:t]))
            except Exception as error:  # any failure of a real user's request counts
                with lock:
                    result.errors.append(f"{question}: {error}")
                continue
            with lock:
                result.together_ms.append(ms)
                if _comparable(answer) != alone[tuple(dialogue[: t + 1])]:
                    result.different.append(question)

    with ThreadPoolExecutor(max_workers=len(dialogues)) as pool:
        futures = [pool.submit(converse, d) for d in dialogues]
        _, pending = wait(futures, timeout=timeout_s)
        if pending:
            result.errors.append(f"{len(pending)} Gespräche nach {timeout_s:.0f} s nicht beendet")
            for future in pending:
                future.cancel()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=600, help="Sekunden für die gleichzeitigen Gespräche")
    args = parser.parse_args()
    with running_app() as url:
        result = run_load(url, conversations(args.conversations, args.turns), args.timeout)
    print(result.table())
    for line in result.errors + [f"abweichend: {q}" for q in result.different]:
        print(line)
    return 1 if result.errors or result.different else 0


if __name__ == "__main__":
    sys.exit(main())
