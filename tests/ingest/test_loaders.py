from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.loaders import LoadError, load_file

MB = 1_000_000


def make_pdf(path: Path, pages: list[str], password: str | None = None) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
        else:
            pdf.rect(20, 20, 100, 100, style="F")  # a "scan": marks on the page, no text layer
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def test_pdf_is_read_page_by_page_with_labels(tmp_path):
    path = make_pdf(tmp_path / "plan.pdf", ["Erste Seite über Radwege.", "Zweite Seite über Busse und Bahnen."])
    loaded = load_file(path, 10 * MB)
    assert [p.label for p in loaded.pages] == ["1", "2"]
    assert "Radwege" in loaded.pages[0].text
    assert "Busse" in loaded.pages[1].text


def test_encrypted_pdf_is_refused_by_name(tmp_path):
    path = make_pdf(tmp_path / "geheim.pdf", ["Vertraulich."], password="secret")
    with pytest.raises(LoadError, match="geheim.pdf.*(passwortgeschützt|verschlüsselt)"):
        load_file(path, 10 * MB)


def test_scanned_pdf_without_text_is_refused(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", ["", ""])
    with pytest.raises(LoadError, match="scan.pdf.*keinen Text"):
        load_file(path, 10 * MB)


def test_corrupt_pdf_is_refused(tmp_path):
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage")
    with pytest.raises(LoadError, match="kaputt.pdf.*beschädigt"):
        load_file(path, 10 * MB)


def test_empty_and_binary_files_are_refused(tmp_path):
    empty = tmp_path / "leer.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bild.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(LoadError, match="leer.txt.*leer"):
        load_file(empty, MB)
    with pytest.raises(LoadError, match="bild.txt.*keine Textdatei"):
        load_file(binary, MB)


def test_cp1252_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "alt.txt"
    path.write_bytes("Die Straßenbaumaßnahmen im Süden sind geplant.".encode("cp1252"))
    loaded = load_file(path, MB)
    assert "Straßenbaumaßnahmen im Süden" in loaded.pages[0].text
    assert "Windows-1252" in loaded.warnings[0]


def test_too_large_file_is_refused(tmp_path):
    path = tmp_path / "riesig.txt"
    path.write_text("Wort " * 300_000, encoding="utf-8")
    with pytest.raises(LoadError, match="riesig.txt.*zu groß"):
        load_file(path, MB)
