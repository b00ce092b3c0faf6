"""Command line: python -m assistant ingest | ask | serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant", description="Dokumenten-Assistent für die Kreisverwaltung")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="Dokumente aufnehmen (nur Geändertes wird neu berechnet)")
    ingest.add_argument("--corpus", type=Path, help="Dokumentordner (Standard: corpus/)")
    ingest.add_argument("--rebuild", action="store_true", help="Index vollständig neu aufbauen")
    ask = commands.add_parser("ask", help="Eine Frage stellen")
    ask.add_argument("question")
    ask.add_argument("--doc", action="append", dest="docs", help="Nur in diesem Dokument suchen (wiederholbar)")
    ask.add_argument("--history", action="append", default=[], help="Frühere Frage im Gespräch (wiederholbar, älteste zuerst)")
    ask.add_argument("--json", action="store_true", help="Antwort als JSON ausgeben")
    serve = commands.add_parser("serve", help="Die Web-Oberfläche starten")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")

    from pydantic import ValidationError

    from assistant.settings import Settings

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"Fehler in den Einstellungen:\n{error}", file=sys.stderr)
        return 2
    if args.command == "ingest" and args.corpus:
        settings.corpus_dir = args.corpus
    if args.command == "serve":
        settings.host = args.host or settings.host
        settings.port = args.port or settings.port

    from assistant.components import Components
    from assistant.conversation import UnknownDocuments
    from index.store import IndexStoreError
    from index.sync import IngestBusy
    from ingest.metadata import MetadataError

    components = Components(settings)
    try:
        if args.command == "ingest":
            report = components.sync().run(settings.corpus_dir, show_progress=sys.stderr.isatty(), rebuild=args.rebuild)
            print(report.summary())
            return 0
        if args.command == "ask":
            answer = components.assistant().ask(args.question, history=args.history, doc_ids=args.docs)
            if args.json:
                print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
            else:
                from assistant.views import answer_lines

                print("\n".join(answer_lines(args.question, answer)).lstrip("\n"))
            return 0
        from assistant.app import serve as serve_app

        serve_app(components)
        return 0
    except (IndexStoreError, IngestBusy, FileNotFoundError, MetadataError, UnknownDocuments) as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
