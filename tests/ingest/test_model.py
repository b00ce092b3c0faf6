from ingest.cleaning import clean
from ingest.model import Document, DocumentMeta


def test_page_at_names_the_page_an_offset_stands_on():
    pages = ["Vorwort des Landrats.", "Der Kreistag beschließt den Haushalt.", "Anhang mit Tabellen."]
    source = "\n\n".join(pages)
    starts = tuple((source.index(text), label) for text, label in zip(pages, ("i", "1", "2")))
    document = Document("haushalt", DocumentMeta("Haushalt", "Haushalt"), source, clean(source), starts, "hash")
    text = document.cleaned.text
    assert [document.page_at(text.index(word)) for word in ("Vorwort", "Landrats", "Kreistag", "Haushalt.", "Anhang")] == [
        "i", "i", "1", "1", "2"
    ]
    assert document.page_at(len(text) - 1) == "2"


def test_a_text_file_has_no_pages():
    document = Document("notiz", DocumentMeta("Notiz", "Notiz"), "Text.", clean("Text."), (), "hash")
    assert document.page_at(0) is None
