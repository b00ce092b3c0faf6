"""Optional answers from a language model the user runs (OpenAI-compatible server or Ollama).

The model only words the answer; the documents remain the only source. Every [n] it writes
is checked against the passages it was given: a sentence citing a passage that does not
exist, or sharing no content word with the passage it cites, is removed. An answer left
without a valid citation, or a server that is down, slow or failing, falls back to the
extractive answer with a visible notice.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal

from pydantic import BaseModel, Field, SecretStr

from index.lexical import GermanAnalyzer
from index.retriever import ScoredPassage
from ingest.model import DocumentMeta
from ingest.sentences import sentence_spans

from assistant.answer import Citation, provenance

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
_CITATION = re.compile(r"\[(\d{1,2})\]")
_LANGUAGE_NAMES = {"de": "Deutsch", "en": "Englisch", "nl": "Niederländisch"}
ABSTAIN_TEXT = "Dazu finde ich in den Dokumenten keine Aussage."


class LLMSettings(BaseModel):
    backend: Literal["none", "openai", "ollama"] = "none"
    base_url: str = "http://127.0.0.1:8080/v1"
    model: str = "local-model"
    api_key: SecretStr = SecretStr("nicht-gesetzt")
    timeout_s: float = Field(30.0, gt=0, le=600)
    context_window: int = Field(8192, ge=1024)
    max_passages: int = Field(5, ge=1, le=10)


class LLMUnavailable(RuntimeError):
    pass


def load_prompt(name: str) -> str:
    return (PROMPTS / f"{name}.txt").read_text(encoding="utf-8")


def make_llm(settings: LLMSettings):
    if settings.backend == "openai":
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(
            model=settings.model,
            api_base=settings.base_url,
            api_key=settings.api_key.get_secret_value(),
            timeout=settings.timeout_s,
            max_retries=0,
            is_chat_model=True,
            context_window=settings.context_window,
        )
    if settings.backend == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(
            model=settings.model,
            base_url=settings.base_url,
            request_timeout=settings.timeout_s,
            context_window=settings.context_window,
        )
    return None


@dataclass(frozen=True)
class VerifiedAnswer:
    text: str
    citations: list[Citation]
    removed: int  # sentences dropped for a missing or unsupported citation


def _delimit(text: str) -> str:
    # Document text must not be able to close the data block and speak as instructions.
    return text.replace("<", "‹").replace(">", "›")


class LLMAnswerer:
    def __init__(self, llm, analyzer: GermanAnalyzer, settings: LLMSettings) -> None:
        self.llm = llm
        self.analyzer = analyzer
        self.settings = settings
        self.answer_prompt = load_prompt("answer")
        self.condense_prompt = load_prompt("condense")

    def prompt(self, question: str, hits: list[ScoredPassage], language: str, metadata: dict[str, DocumentMeta]) -> str:
        blocks = []
        for n, hit in enumerate(hits[: self.settings.max_passages], 1):
            p = hit.passage
            source = provenance(metadata.get(p.doc_id)) or p.title
            blocks.append(f"[{n}] {_delimit(source)} — {_delimit(p.section)}\n{_delimit(p.text)}")
        return self.answer_prompt.format(
            passages="\n\n".join(blocks), question=_delimit(question), language=_LANGUAGE_NAMES.get(language, "Deutsch")
        )

    def stream(self, prompt: str) -> Iterator[str]:
        """The model's answer as it arrives; LLMUnavailable on any failure or timeout."""
        from llama_index.core.llms import ChatMessage

        try:
            for chunk in self.llm.stream_chat([ChatMessage(role="user", content=prompt)]):
                if chunk.delta:
                    yield chunk.delta
        except Exception as error:  # connection refused, timeout, HTTP 5xx, broken stream
            log.warning("Sprachmodell nicht verfügbar: %s", error)
            raise LLMUnavailable(str(error)) from error

    def condense(self, question: str, history: list[str]) -> str:
        prompt = self.condense_prompt.format(history="\n".join(f"- {h}" for h in history), question=question)
        text = "".join(self.stream(prompt)).strip()
        return text.splitlines()[0].strip() if text else question

    def verify(self, answer: str, hits: list[ScoredPassage], metadata: dict[str, DocumentMeta]) -> VerifiedAnswer:
        passages = [h.passage for h in hits[: self.settings.max_passages]]
        kept: list[str] = []
        numbers: dict[int, int] = {}  # number in the model's answer -> our citation number
        citations: list[Citation] = []
        removed = 0
        for start, end in sentence_spans(answer, 0, len(answer)):
            sentence = answer[start:end]
            cited = [int(n) for n in _CITATION.findall(sentence)]
            if not cited:
                if sentence.strip() == ABSTAIN_TEXT:
                    kept.append(sentence)
                else:
                    removed += 1
                continue
            claim = set(self.analyzer.tokens(_CITATION.sub(" ", sentence)))
            if any(not 1 <= n <= len(passages) or not claim & set(self.analyzer.tokens(passages[n - 1].text)) for n in cited):
                removed += 1
                continue
            for n in cited:
                if n not in numbers:
                    passage = passages[n - 1]
                    numbers[n] = len(citations) + 1
                    quote_start, quote_end = self._supporting_sentence(claim, passage.text)
                    citations.append(Citation.quoting(numbers[n], passage, quote_start, quote_end, metadata.get(passage.doc_id)))
            kept.append(_CITATION.sub(lambda m: f"[{numbers[int(m.group(1))]}]", sentence))
        return VerifiedAnswer(" ".join(kept), citations, removed)

    def _supporting_sentence(self, claim: set[str], text: str) -> tuple[int, int]:
        """Where in the passage the sentence that shares most with the claim stands: the exact words cited."""
        spans = sentence_spans(text, 0, len(text)) or [(0, len(text))]
        return max(spans, key=lambda s: len(claim & set(self.analyzer.tokens(text[s[0] : s[1]]))))
