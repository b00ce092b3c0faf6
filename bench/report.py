"""The table (console and Markdown), the growth plot and bench/results.md."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Row:
    label: str
    ours: float | None
    plain: float | None = None
    unit: str = ""
    target: str = ""
    met: bool | None = None  # the target; None where it sets none
    lower_is_better: bool = True
    profile: str = ""  # which step to profile when this figure misses its target or the plain one

    @property
    def ratio(self) -> float | None:
        return self.ours / self.plain if self.ours is not None and self.plain else None

    @property
    def beats_plain(self) -> bool | None:
        if self.ours is None or self.plain is None:
            return None
        return self.ours <= self.plain if self.lower_is_better else self.ours >= self.plain


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "passages/s":
        return f"{value:.1f} {unit}"
    if unit in ("ms", "MB") or abs(value) >= 100:
        return f"{value:.0f} {unit}".strip()
    return f"{value:.2f} {unit}".strip()


def _yes(value: bool | None) -> str:
    return "–" if value is None else "ja" if value else "**nein**"


def table(rows: list[Row]) -> str:
    lines = [
        "| Messgröße | ours | plain LlamaIndex | ours ÷ plain | Ziel | Ziel erreicht | mind. so gut wie plain |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        lines.append(
            f"| {r.label} | {_num(r.ours, r.unit)} | {_num(r.plain, r.unit)} | {ratio} | {r.target or '–'} "
            f"| {_yes(r.met)} | {_yes(r.beats_plain)} |"
        )
    return "\n".join(lines)


@dataclass
class SizePoint:
    factor: int
    documents: int
    passages: int
    embedded: int  # texts (passages and sentences) the model embedded, not served by the cache
    ingest_s: float
    model_s: float  # of ingest_s, inside the model
    retrieval_p50: float
    retrieval_p95: float
    answer_p50: float
    answer_p95: float


def growth_table(points: list[SizePoint]) -> str:
    lines = [
        "| Größe | Dokumente | Textstellen | neu eingebettet | Aufnahme gesamt | davon Modell | Aufnahme ohne Modell "
        "| Suche p50 / p95 | Antwort p50 / p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in points:
        lines.append(
            f"| {p.factor}× | {p.documents} | {p.passages} | {p.embedded} | {p.ingest_s:.1f} s | {p.model_s:.1f} s "
            f"| {p.ingest_s - p.model_s:.1f} s | {p.retrieval_p50:.0f} / {p.retrieval_p95:.0f} ms "
            f"| {p.answer_p50:.0f} / {p.answer_p95:.0f} ms |"
        )
    return "\n".join(lines)


def growth_exponent(points: list[SizePoint], attribute: str) -> float:
    """Slope on log-log axes from the smallest to the largest size: < 1 is sub-linear."""
    first, last = points[0], points[-1]
    return math.log(getattr(last, attribute) / getattr(first, attribute)) / math.log(last.factor / first.factor)


def plot(points: list[SizePoint], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    sizes = [p.passages for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(sizes, [p.ingest_s for p in points], "o-", label="Aufnahme gesamt (mit Einbettung neuer Textstellen)")
    left.plot(sizes, [p.ingest_s - p.model_s for p in points], "s--", label="Aufnahme ohne Zeit im Modell")
    left.set_ylabel("Sekunden")
    left.set_title("Aufnahme (Einbettungs-Cache warm)")
    right.plot(sizes, [p.retrieval_p50 for p in points], "o-", label="Suche p50")
    right.plot(sizes, [p.answer_p50 for p in points], "s-", label="extraktive Antwort p50")
    # A line growing in proportion to the corpus, from the first answer point, for comparison.
    right.plot(sizes, [points[0].answer_p50 * s / sizes[0] for s in sizes], ":", color="grey", label="linear")
    right.set_ylabel("Millisekunden")
    right.set_title("Antwortzeit")
    plain_numbers = matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:g}")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes, [f"{p.passages}\n({p.factor}×)" for p in points])
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.yaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(plain_numbers)
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("Textstellen im Index (Korpusgröße)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    right.set_ylim(bottom=min(p.retrieval_p50 for p in points) / 2, top=max(p.answer_p50 for p in points) * 3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
