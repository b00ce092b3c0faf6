"""Markdown tables and a chart: our figures beside the baselines'."""

from __future__ import annotations

from pathlib import Path

from eval.metrics import METRICS

TAG_METRICS = ("hit@5", "mrr@10", "quote_recall@10", "answer_key_recall")


def _cell(value: float | None, metric: str) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if metric.startswith("latency") else f"{value:.3f}"


def table(results: dict[str, dict[str, dict[str, float]]], group: str = "all") -> str:
    systems = list(results)
    lines = [f"| metric | {' | '.join(systems)} |", f"|---|{'---|' * len(systems)}"]
    for metric in METRICS:
        values = [results[s].get(group, {}).get(metric) for s in systems]
        if all(v is None for v in values):
            continue
        lines.append(f"| {metric} | {' | '.join(_cell(v, metric) for v in values)} |")
    return "\n".join(lines)


def tag_table(results: dict[str, dict[str, dict[str, float]]], metric: str) -> str:
    systems = list(results)
    tags = sorted(t for t in results[systems[0]] if t != "all")
    lines = [f"| tag (n) | {' | '.join(systems)} |", f"|---|{'---|' * len(systems)}"]
    for tag in tags:
        n = int(results[systems[0]][tag].get("n", 0))
        values = [results[s].get(tag, {}).get(metric) for s in systems]
        lines.append(f"| {tag} ({n}) | {' | '.join(_cell(v, metric) for v in values)} |")
    return "\n".join(lines)


def chart(results: dict[str, dict[str, dict[str, float]]], path: Path, metric: str = "hit@5") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(results)
    tags = sorted(t for t in results[systems[0]] if t != "all" and metric in results[systems[0]][t])
    groups = ["all", *tags]
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(max(8, len(groups) * 0.9), 4.5))
    for i, system in enumerate(systems):
        values = [results[system].get(g, {}).get(metric, 0.0) for g in groups]
        ax.bar([x + i * width for x in range(len(groups))], values, width, label=system)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(groups))])
    ax.set_xticklabels(groups, rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} je Tag: unser System und die Vergleichsverfahren")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(
    results: dict[str, dict[str, dict[str, float]]],
    path: Path,
    intro: str,
    holdout: dict[str, dict[str, float]] | None = None,
    choices: str = "",
) -> None:
    chart_path = path.with_suffix(".png")
    chart(results, chart_path)
    parts = [
        "# Evaluation\n",
        intro,
        "\n## Gesamt\n",
        table(results),
        f"\n\n![hit@5 je Tag]({chart_path.name})\n",
    ]
    if holdout:
        parts += [
            "\n## Zurückgehaltene Fragen\n",
            f"`holdout_questions.jsonl`, {int(holdout['all']['n'])} Fragen, unabhängig vom Fragenkatalog geschrieben. "
            "Sie wählen keine Einstellung (Gewichte, Schwellen, Größe der Textstellen), sind aber nicht mehr unberührt: "
            "ihre Fehler haben Regeln für Fragen nach Zahlen angeregt oder verworfen (ein Betrag in der gefragten Einheit, "
            "auch aus dem Titel einer Tabelle; ein Betrag je Zeitraum; der Gegenstand eines Betrags darf in seiner "
            "Textstelle stehen statt im Satz selbst, nachdem die strengere Form hier zwei Fragen falsch enthalten ließ). "
            "Sie zeigen daher nur ungefähr, ob die Zahlen oben auf neue Fragen übertragbar sind.\n",
            table({"ours": holdout}),
            "\n",
        ]
    if choices:
        parts += ["\n## Was jede Wahl bringt\n", choices, "\n"]
    for metric in TAG_METRICS:
        parts += [f"\n## {metric} je Tag\n", tag_table(results, metric), "\n"]
    path.write_text("\n".join(parts), encoding="utf-8")
