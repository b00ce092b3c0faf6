import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def corpus_text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory):
    """One embedding cache for the whole test run: each text is embedded once."""
    return tmp_path_factory.mktemp("embedding-cache")


def make_settings(corpus_dir: Path, data_dir: Path, cache_dir: Path | None = None):
    from assistant.settings import Settings

    data_dir.mkdir(parents=True, exist_ok=True)
    if cache_dir is not None and (cache_dir / "embeddings.sqlite").exists():
        shutil.copy(cache_dir / "embeddings.sqlite", data_dir / "embeddings.sqlite")
    return Settings(corpus_dir=corpus_dir, data_dir=data_dir)


@pytest.fixture(scope="session")
def corpus_components(tmp_path_factory, embedding_cache_dir):
    """The real corpus ingested once with the real default model."""
    from assistant.components import Components

    data_dir = tmp_path_factory.mktemp("corpus-index")
    components = Components(make_settings(CORPUS, data_dir))
    report = components.sync().run(CORPUS, show_progress=False)
    assert not report.problems
    shutil.copy(data_dir / "embeddings.sqlite", embedding_cache_dir / "embeddings.sqlite")
    return components
