"""Uploads are checked by content, named safely and placed atomically; removal, listing and
the entries of documents.toml."""

import os

import pytest

from assistant.library import (
    UploadError,
    check_upload,
    content_kind,
    document_files,
    document_rows,
    metadata_from_form,
    remove_document,
    safe_file_name,
    save_metadata,
    save_upload,
)
from ingest.metadata import MetadataError, load_metadata
from ingest.model import DocumentMeta, Passage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.mark.parametrize(
    "name, kind, expected",
    [
        ("Bericht 2024.pdf", "pdf", "bericht-2024.pdf"),
        ("../../etc/passwd.txt", "text", "passwd.txt"),
        ("..\\..\\windows\\Straßen-Übersicht.md", "text", "strassen-uebersicht.md"),
        (".hidden.txt", "text", "hidden.txt"),
        ("???.pdf", "pdf", "dokument.pdf"),
        ("Notizen.TXT", "pdf", "notizen.pdf"),  # the content decides the suffix
        ("Radwege: Plan?*.markdown", "text", "radwege-plan.md"),
        ("sources.md", "text", "sources-upload.md"),
    ],
)
def test_safe_file_names(name, kind, expected):
    assert safe_file_name(name, kind) == expected


def test_type_is_checked_by_content():
    assert content_kind("a.pdf", PDF) == "pdf"
    assert content_kind("a.txt", PDF) == "pdf"
    assert content_kind("a.md", "# Überschrift\n\nText".encode("utf-8")) == "text"
    assert content_kind("a.txt", "Straße".encode("cp1252")) == "text"
    with pytest.raises(UploadError, match="kein PDF"):
        content_kind("a.pdf", b"Nur Text, kein PDF")
    with pytest.raises(UploadError, match="Binärdaten"):
        content_kind("a.txt", b"MZ\x90\x00\x03\x00")
    with pytest.raises(UploadError, match="leer"):
        content_kind("a.txt", b"")
    with pytest.raises(UploadError, match="Nur PDF"):
        content_kind("a.docx", PDF)


def test_size_limit():
    with pytest.raises(UploadError, match="zu groß"):
        check_upload("gross.txt", b"x" * 2000, max_bytes=1000)
    assert check_upload("klein.txt", b"Ein kurzer Text.", max_bytes=1000) == "klein.txt"


def test_save_is_atomic_inside_the_folder_and_does_not_overwrite(tmp_path):
    saved = save_upload(tmp_path, "plan.txt", b"Inhalt eins")
    assert saved == tmp_path / "plan.txt"
    assert saved.read_bytes() == b"Inhalt eins"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left
    with pytest.raises(UploadError, match="bereits"):
        save_upload(tmp_path, "plan.txt", b"Inhalt zwei")
    save_upload(tmp_path, "plan.pdf", PDF, replace=True)
    assert document_files(tmp_path) == {"plan": tmp_path / "plan.pdf"}  # the old format went
    with pytest.raises(UploadError):
        save_upload(tmp_path, "../draussen.txt", b"x")
    assert not (tmp_path.parent / "draussen.txt").exists()


def test_remove_and_list(tmp_path):
    (tmp_path / "documents.toml").write_text(
        '[documents.plan]\ntitle = "Radverkehrsplan"\nshort_title = "Radplan"\nstatus = "Entwurf"\n', encoding="utf-8"
    )
    save_upload(tmp_path, "plan.txt", b"Inhalt")
    save_upload(tmp_path, "notiz.md", b"# Notiz")
    passages = {
        "plan#0000": Passage("plan#0000", "plan", "Radverkehrsplan", "Radplan", None, 0, 6, "Inhalt"),
        "alt#0000": Passage("alt#0000", "alt", "Alter Text", "Alter Text", None, 0, 3, "Alt"),
    }
    rows = {r.doc_id: r for r in document_rows(passages, tmp_path)}
    assert rows["plan"].short_title == "Radplan" and rows["plan"].passages == 1 and rows["plan"].status == "Entwurf"
    assert rows["notiz"].passages == 0 and rows["notiz"].file == "notiz.md"
    assert rows["alt"].file == "(Datei fehlt)"
    remove_document(tmp_path, "plan")
    assert not (tmp_path / "plan.txt").exists()
    with pytest.raises(UploadError):
        remove_document(tmp_path, "plan")
    assert os.path.exists(tmp_path / "documents.toml")


# -- entries in documents.toml -----------------------------------------------------------
TOML = """# Metadaten der Dokumente
[documents.leitbild]
title = "Leitbild"  # vom Kreistag noch nicht beschlossen
# Fassung vom März
status = "Entwurf"
notiz = "Rückfrage beim Büro des Landrats"
aliases = [
  "Leitbild-Entwurf",
]

# Kreis Coesfeld, beschlossen 2025
[documents.coesfeld]
title = "Strategische Ziele"
aliases = ["Coesfeld"]
"""


def test_a_new_entry_is_added_and_the_file_keeps_every_other_line(tmp_path):
    (tmp_path / "documents.toml").write_text(TOML, encoding="utf-8")
    meta = metadata_from_form('Radverkehrskonzept "Wassenberg" 2024', "Radkonzept", "Wassenberg; Radverkehrskonzept,, Wassenberg", "Stadt Wassenberg", "2024", "beschlossen")
    save_metadata(tmp_path, "Radkonzept Wassenberg", meta)  # a file name with a space needs a quoted key
    text = (tmp_path / "documents.toml").read_text(encoding="utf-8")
    assert text.startswith(TOML)
    loaded = load_metadata(tmp_path)
    assert loaded["Radkonzept Wassenberg"] == meta
    assert meta.aliases == ("Wassenberg", "Radverkehrskonzept")
    assert loaded["leitbild"].status == "Entwurf" and loaded["coesfeld"].aliases == ("Coesfeld",)


def test_an_entry_is_replaced_in_place_and_the_comments_around_it_stay(tmp_path):
    (tmp_path / "documents.toml").write_text(TOML, encoding="utf-8")
    save_metadata(tmp_path, "leitbild", metadata_from_form("Leitbild 2030", "Leitbild", "Thesen", "Kreis Heinsberg", "", "beschlossen"))
    text = (tmp_path / "documents.toml").read_text(encoding="utf-8")
    assert text.startswith("# Metadaten der Dokumente\n[documents.leitbild]\n")
    assert "noch nicht beschlossen" not in text and "Leitbild-Entwurf" not in text  # the old values are gone
    assert "# Fassung vom März\n" in text and 'notiz = "Rückfrage beim Büro des Landrats"\n' in text  # what the form does not set stays
    assert "# Kreis Coesfeld, beschlossen 2025\n[documents.coesfeld]" in text
    loaded = load_metadata(tmp_path)
    assert loaded["leitbild"].status == "beschlossen" and loaded["leitbild"].aliases == ("Thesen",)
    assert loaded["coesfeld"].title == "Strategische Ziele"
    assert [p.name for p in tmp_path.iterdir()] == ["documents.toml"]  # no temporary file left


def test_the_first_entry_makes_the_file(tmp_path):
    save_metadata(tmp_path, "bericht", metadata_from_form("Bericht", "", "", "", "", ""))
    assert load_metadata(tmp_path) == {"bericht": DocumentMeta(title="Bericht", short_title="Bericht")}


@pytest.mark.parametrize(
    "form, message",
    [
        (("", "Kurz", "", "", "", ""), "Titel"),
        (("Titel", "", "", "", "24", ""), "kein Jahr"),
        (("Titel", "", "", "", "", "geheim"), "Status"),
        (("T" * 201, "", "", "", "", ""), "höchstens"),
    ],
)
def test_a_form_with_a_mistake_is_refused_in_german(form, message):
    with pytest.raises(MetadataError, match=message):
        metadata_from_form(*form)


def test_control_characters_and_runs_of_spaces_leave_the_fields():
    meta = metadata_from_form("Ein\x00  Titel\x7f", " Kurz\n", "", "", " 2024 ", "")
    assert (meta.title, meta.short_title, meta.year) == ("Ein Titel", "Kurz", "2024")


def test_a_broken_file_is_reported_and_left_as_it_is(tmp_path):
    broken = '[documents.a]\ntitle = "ohne Ende\n'
    (tmp_path / "documents.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(MetadataError, match="fehlerhaft"):
        save_metadata(tmp_path, "a", metadata_from_form("A", "", "", "", "", ""))
    assert (tmp_path / "documents.toml").read_text(encoding="utf-8") == broken
