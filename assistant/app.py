"""The Gradio web app: ask in German, read the answer with its cited passages."""

from __future__ import annotations

import html

import gradio as gr

from assistant.answer import Answer
from assistant.components import Components

EXAMPLES = [
    "Was sagt das Leitbild zum Radwegenetz?",
    "Welche Ziele gibt es zum Thema Wohnen?",
    "Wie viele Mitglieder hatte die Steuerungsgruppe der Nachhaltigkeitsstrategie?",
    "Was fordern die Jusos zum ÖPNV?",
]


def render_sources(answer: Answer) -> str:
    """Citations as escaped HTML: document and user text are never rendered as markup."""
    if answer.abstained and answer.retrieved:
        items = "".join(
            f"<li><strong>{html.escape(p.title)}</strong> — {html.escape(p.section)}<br>{html.escape(p.text[:400])}</li>"
            for p in answer.retrieved[:3]
        )
        return f"<h3>Ähnliche Stellen</h3><ol>{items}</ol>"
    parts = []
    for c in answer.citations:
        page = f", Seite {html.escape(c.page)}" if c.page else ""
        status = f" ({html.escape(c.status)})" if c.status else ""
        parts.append(
            f"<details open><summary>[{c.n}] {html.escape(c.title)}{status} — {html.escape(c.section)}{page}</summary>"
            f"<blockquote><mark>{html.escape(c.text)}</mark></blockquote></details>"
        )
    return "".join(parts)


def build_app(components: Components) -> gr.Blocks:
    assistant = components.assistant()
    documents = {meta.short_title: doc_id for doc_id, meta in assistant.metadata.items()}

    def respond(question: str, history: list[dict], chosen: list[str]):
        earlier = [turn["content"] for turn in history if turn["role"] == "user"]
        answer = assistant.ask(question, history=earlier, doc_ids=[documents[d] for d in chosen] or None)
        shown = answer.answer
        if answer.query != question and not answer.abstained:
            shown += f"\n\n_Gesucht wurde: {answer.query}_"
        history = history + [{"role": "user", "content": question}, {"role": "assistant", "content": shown}]
        return "", history, render_sources(answer)

    with gr.Blocks(title="Dokumenten-Assistent") as app:
        gr.Markdown("# Dokumenten-Assistent\nFragen an die Dokumente des Kreises – Antworten mit Belegstellen.")
        chosen = gr.CheckboxGroup(list(documents), label="Nur in diesen Dokumenten suchen")
        chat = gr.Chatbot(label="Gespräch", sanitize_html=True)
        question = gr.Textbox(label="Ihre Frage", placeholder="z. B. Was sagt das Leitbild zum Radwegenetz?")
        with gr.Row():
            send = gr.Button("Fragen", variant="primary")
            new = gr.Button("Neues Gespräch")
        sources = gr.HTML(label="Belegstellen")
        gr.Examples(EXAMPLES, inputs=question, label="Beispielfragen")
        send.click(respond, [question, chat, chosen], [question, chat, sources], api_name="ask")
        question.submit(respond, [question, chat, chosen], [question, chat, sources], api_name=False)
        new.click(lambda: ([], "", ""), None, [chat, question, sources], api_name=False)
    return app


def serve(components: Components) -> None:
    s = components.settings
    build_app(components).queue(default_concurrency_limit=4).launch(
        server_name=s.host, server_port=s.port, show_api=True, share=False
    )
