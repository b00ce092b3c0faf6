"""Feedback on answers, one JSON object a line in data_dir/feedback.jsonl.

Each record is written with a single append under an exclusive lock and synced to disk
before the user is told it is saved: a crash loses at most the record being written,
never earlier ones, and two app workers never interleave their lines.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.library import sync_directory

FEEDBACK_FILE = "feedback.jsonl"
RATINGS = {"hilfreich": True, "nicht hilfreich": False}
MAX_COMMENT_CHARS = 4000


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> FeedbackLog:
        return cls(data_dir / FEEDBACK_FILE)

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), **record}
        line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # a line torn by an earlier crash must not swallow this one
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        if created:
            sync_directory(self.path.parent)  # the new file's name must reach the disk as well
        return record

    def read(self) -> list[dict[str, Any]]:
        """All complete records; a line torn by a crash is skipped."""
        if not self.path.exists():
            return []
        records = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return records


def feedback_record(
    rating: str,
    comment: str,
    question: str,
    answer: dict[str, Any],
    history: list[str] | None = None,
    doc_ids: list[str] | None = None,
) -> dict[str, Any]:
    """The record for one rating of one answer (answer as Answer.to_json())."""
    if rating not in RATINGS:
        raise ValueError(f"Unbekannte Bewertung: {rating!r}")
    return {
        "rating": rating,
        "helpful": RATINGS[rating],
        "comment": (comment or "").strip()[:MAX_COMMENT_CHARS],
        "question": question,
        "history": list(history or []),
        "doc_filter": list(doc_ids or []),
        "query": answer.get("query", ""),
        "answer": answer.get("answer", ""),
        "abstained": answer.get("abstained", False),
        "citations": answer.get("citations", []),
    }
