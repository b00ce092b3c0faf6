"""Chroma server mode, for real: `chroma run` on 127.0.0.1, restarted and stopped."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.components import Components
from index.store import IndexStoreError
from tests.conftest import CORPUS, make_settings

CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(path: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("chroma run did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def server_settings(tmp_path, embedding_cache_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "heinsberg-leitbild-entwurf.txt", corpus)
    settings = make_settings(corpus, tmp_path / "data", embedding_cache_dir)
    settings.chroma_host, settings.chroma_port = "127.0.0.1", free_port()
    return settings, tmp_path / "chroma-server"


QUESTION = "Was sagt das Leitbild zum Radwegenetz?"


def test_ingest_query_restart_and_stop(server_settings):
    settings, server_path = server_settings
    server = start_server(server_path, settings.chroma_port)
    try:
        components = Components(settings)
        report = components.sync().run(settings.corpus_dir, show_progress=False)
        assert report.added == ["heinsberg-leitbild-entwurf"]
        answer = components.assistant().ask(QUESTION)
        # the thesis line "Straßen, Radwege- und Schienennetz ausbauen" may come first: a near tie
        assert any(c.section.endswith("› 7. Verkehr und Mobilität") and "Radwegenetz" in c.text for c in answer.citations)
    finally:
        stop(server)

    server = start_server(server_path, settings.chroma_port)
    try:
        reopened = Components(settings)
        assert len(reopened.index.passages()) == report.passages
        assert reopened.sync().run(settings.corpus_dir, show_progress=False).embedded == 0
        assistant = reopened.assistant()
        assert assistant.ask(QUESTION).citations == answer.citations
    finally:
        stop(server)

    started = time.monotonic()
    with pytest.raises(IndexStoreError, match="nicht erreichbar"):
        assistant.ask(QUESTION)
    assert time.monotonic() - started < 30


def test_unreachable_server_is_a_clear_error(tmp_path):
    settings = make_settings(tmp_path, tmp_path / "data")
    settings.chroma_host, settings.chroma_port = "127.0.0.1", free_port()
    with pytest.raises(IndexStoreError, match="nicht erreichbar"):
        Components(settings).index
