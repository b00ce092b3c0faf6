"""Reading a question set: one JSON object a line; unknown fields and document ids are fine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool = True
    history: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    answer_keys: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)


class EvalFileError(ValueError):
    """A question or answer file the evaluation cannot read; the message is German."""


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, item in _json_lines(path):
        try:
            questions.append(_question(item))
        except ValueError as error:
            raise EvalFileError(f"{path.name}, Zeile {number}: {error}") from error
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise EvalFileError(f"{path.name}: doppelte ids.")
    return questions


def load_answers(path: Path) -> dict[str, dict]:
    """The answers of `eval run`, by question id."""
    answers = {}
    for number, item in _json_lines(path):
        if not isinstance(item, dict) or "id" not in item:
            raise EvalFileError(f"{path.name}, Zeile {number}: Jede Zeile braucht ein Objekt mit „id“.")
        answers[str(item["id"])] = item
    return answers


def _json_lines(path: Path) -> Iterator[tuple[int, object]]:
    """(line number, value) for each line that is not blank."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError(f"{path.name}, Zeile {number}: kein gültiges JSON ({error.msg}).") from error
        yield number, value


def _question(item: object) -> Question:
    if not isinstance(item, dict) or "id" not in item or not isinstance(item.get("question"), str):
        raise ValueError("Jede Zeile braucht ein Objekt mit „id“ und „question“ (Text).")
    answerable = item.get("answerable", True)
    # bool("false") is True: the question would silently count as answerable
    if not isinstance(answerable, bool):
        raise ValueError(f"„answerable“ muss true oder false sein, nicht {json.dumps(answerable, ensure_ascii=False)}.")
    sources = _list(item, "expected_sources")
    if not all(isinstance(source, dict) and isinstance(source.get("quote"), str) for source in sources):
        raise ValueError("Jede Quelle in „expected_sources“ braucht ein „quote“ mit Text.")
    return Question(
        id=str(item["id"]),
        question=item["question"],
        answerable=answerable,
        history=_texts(item, "history"),
        quotes=tuple(source["quote"] for source in sources),
        answer_keys=_texts(item, "answer_keys"),
        tags=_texts(item, "tags"),
    )


def _list(item: dict, name: str) -> list:
    value = item.get(name) or []
    if not isinstance(value, list):
        raise ValueError(f"„{name}“ muss eine Liste sein.")
    return value


def _texts(item: dict, name: str) -> tuple[str, ...]:
    """A list of strings; a single string is a list of one ("history": "Und das Leitbild?"),
    not a list of its characters. An empty answer key would be found in every answer."""
    value = item.get(name)
    return tuple(str(text) for text in ([value] if isinstance(value, str) else _list(item, name)) if str(text).strip())
