"""All settings in one typed object: environment variables (prefix ASSISTENT_) and an
optional TOML file (assistent.toml, or the file named in ASSISTENT_CONFIG)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from assistant.goals import DEFAULT_TOPICS
from assistant.llm import LLMSettings
from index.retriever import RetrievalSettings
from ingest.chunking import ChunkerSettings


class AnswerSettings(BaseModel):
    """When to abstain and how much to quote; thresholds set on the evaluation."""

    abstain_below: float = Field(0.80, ge=0, le=1, description="Mindest-Kosinusähnlichkeit der besten Stelle")
    # A question in English or Dutch lies this much less similar to the German passages than
    # the same question in German (median over eval/parallel_questions.jsonl; python -m eval.tune).
    language_offsets: dict[str, float] = Field(default_factory=lambda: {"en": 0.06, "nl": 0.04})
    max_sentences: int = Field(5, ge=1, le=12)
    # Sentences are sought in this many top passages (a topic answer: twice as many). Swept 3-6
    # on the evaluation: answer-key recall 0.735, 0.760, 0.778, 0.771.
    max_citations: int = Field(5, ge=1, le=10)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTENT_", env_nested_delimiter="__", extra="forbid")

    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path("data")
    embedding_backend: Literal["e5", "sentence-transformers"] = "e5"
    embedding_model_path: Path | None = None
    chroma_host: str | None = None
    chroma_port: int = 8000
    max_file_mb: int = Field(25, ge=1, le=500)
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    # A login is for use on a network; on 127.0.0.1 only this machine's user reaches the app.
    auth_user: str | None = None
    auth_password: SecretStr | None = None
    uploads_enabled: bool = True
    # Topic -> the words that name it; rows of the Themen-Matrix.
    topics: dict[str, tuple[str, ...]] = Field(default_factory=lambda: dict(DEFAULT_TOPICS), min_length=1)
    chunking: ChunkerSettings = ChunkerSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("ASSISTENT_CONFIG", "assistent.toml"))
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file)

    @model_validator(mode="after")
    def _login_complete(self) -> Settings:
        if bool(self.auth_user) != bool(self.auth_password and self.auth_password.get_secret_value()):
            raise ValueError("Für die Anmeldung müssen auth_user und auth_password beide gesetzt sein.")
        return self

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1_000_000
