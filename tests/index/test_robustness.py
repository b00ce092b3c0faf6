"""Nothing lost: a killed ingestion, a second ingestion at once, odd and duplicate files."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from assistant.components import Components
from index.sync import IngestBusy, ingest_lock
from tests.conftest import CORPUS, ROOT, make_settings


def small_corpus(folder):
    folder.mkdir()
    shutil.copy(CORPUS / "heinsberg-leitbild-entwurf.txt", folder)
    return folder


def cli_env(data_dir, corpus_dir):
    return {**os.environ, "ASSISTENT_DATA_DIR": str(data_dir), "ASSISTENT_CORPUS_DIR": str(corpus_dir)}


def cached_embeddings(data_dir) -> int:
    try:
        with sqlite3.connect(data_dir / "embeddings.sqlite", timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM embedding").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_killed_ingestion_leaves_the_previous_index_usable(tmp_path, embedding_cache_dir):
    corpus = small_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    first = Components(make_settings(corpus, data, embedding_cache_dir))
    first.sync().run(corpus, show_progress=False)
    generation, passages = first.index.generation, set(first.index.passages())
    before = cached_embeddings(data)

    shutil.copy(CORPUS / "coesfeld-strategische-ziele-2025.txt", corpus)
    shutil.copy(CORPUS / "jusos-heinsberg-wahlprogramm-2020.txt", corpus)
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest"], cwd=ROOT, env=cli_env(data, corpus),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while cached_embeddings(data) == before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "ingestion finished before it could be killed"
    # While it runs, the app keeps answering from the current index.
    during = first.assistant().ask("Was sagt das Leitbild zum Radwegenetz?")
    assert during.citations and first.index.generation == generation
    assert process.poll() is None, "ingestion finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    after_kill = Components(make_settings(corpus, data))
    assert after_kill.index.generation == generation
    assert set(after_kill.index.passages()) == passages
    assert after_kill.assistant().ask("Was sagt das Leitbild zum Radwegenetz?").citations

    report = after_kill.sync().run(corpus, show_progress=False)
    assert sorted(report.added) == ["coesfeld-strategische-ziele-2025", "jusos-heinsberg-wahlprogramm-2020"]
    docs = {p.doc_id for p in after_kill.index.passages().values()}
    assert docs == {"heinsberg-leitbild-entwurf", "coesfeld-strategische-ziele-2025", "jusos-heinsberg-wahlprogramm-2020"}


def test_second_ingestion_at_the_same_time_is_refused(tmp_path):
    corpus = small_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    with ingest_lock(data):
        with pytest.raises(IngestBusy):
            with ingest_lock(data):
                pass
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "ingest"], cwd=ROOT, env=cli_env(data, corpus),
            capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 1
    assert "bereits eine Aufnahme" in result.stderr


def test_odd_names_duplicates_and_oversized_files(tmp_path, embedding_cache_dir):
    corpus = small_corpus(tmp_path / "corpus")
    shutil.copy(corpus / "heinsberg-leitbild-entwurf.txt", corpus / "Kopie des Leitbilds.txt")
    (corpus / "Bericht (Entwurf) – Ä&ß #1.md").write_text("# Bäderkonzept\n\nDas Hallenbad wird 2027 saniert.\n", encoding="utf-8")
    (corpus / "riesig.txt").write_text("Wort " * 11_000_000, encoding="utf-8")  # 55 MB
    (corpus / "notiz.docx").write_bytes(b"PK\x03\x04")
    components = Components(make_settings(corpus, tmp_path / "data", embedding_cache_dir))
    report = components.sync().run(corpus, show_progress=False)
    messages = {p.file: p.message for p in report.problems}
    assert "identisch" in messages["heinsberg-leitbild-entwurf.txt"] or "identisch" in messages["Kopie des Leitbilds.txt"]
    assert "zu groß" in messages["riesig.txt"]
    assert "PDF-, TXT- und Markdown" in messages["notiz.docx"]
    assert "Bericht (Entwurf) – Ä&ß #1" in report.added
    answer = components.assistant().ask("Wann wird das Hallenbad saniert?")
    assert answer.citations[0].doc_id == "Bericht (Entwurf) – Ä&ß #1"
