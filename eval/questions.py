"""Reading a question set: one JSON object a line; unknown fields and document ids are fine."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answerable: bool = True
    history: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    answer_keys: tuple[str, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)


class QuestionFileError(ValueError):
    pass


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            questions.append(
                Question(
                    id=str(item["id"]),
                    question=str(item["question"]),
                    answerable=bool(item.get("answerable", True)),
                    history=tuple(str(h) for h in item.get("history") or ()),
                    quotes=tuple(str(s["quote"]) for s in item.get("expected_sources") or ()),
                    answer_keys=tuple(str(k) for k in item.get("answer_keys") or ()),
                    tags=tuple(str(t) for t in item.get("tags") or ()),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise QuestionFileError(f"{path.name}, Zeile {number}: kein gültiger Eintrag ({error}).") from error
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise QuestionFileError(f"{path.name}: doppelte ids.")
    return questions
