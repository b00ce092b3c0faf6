import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.cleaning import clean
from tests.conftest import corpus_text


def test_joins_words_hyphenated_across_lines():
    text = clean("Inklusion und Barrierefrei-\nheit sind Ziele").text
    assert "Barrierefreiheit" in text


def test_joins_across_a_blank_line_as_in_the_leitbild():
    source = corpus_text("heinsberg-leitbild-entwurf")
    assert "Barrierefrei-" in source
    assert "Barrierefreiheit" in clean(source).text
    assert "Barrierefrei-" not in clean(source).text


def test_keeps_real_hyphens():
    text = clean("Straßen, Radwege- \nund Schienennetz in Übach-Palenberg und den EU-Staaten").text
    assert "Radwege- und Schienennetz" in text
    assert "Übach-Palenberg" in text
    assert "EU-Staaten" in text


def test_keeps_hyphen_before_or_bzw_sowie():
    for word in ("oder", "bzw", "sowie"):
        assert f"Kinder- {word}" in clean(f"Kinder-\n{word} Jugendhilfe").text


def test_uppercase_continuation_keeps_the_hyphen():
    assert "E-Mobilität" in clean("die E-\nMobilität fördern").text


def test_rejoins_letter_spaced_headings_from_the_report():
    text = clean(corpus_text("heinsberg-nachhaltigkeitsbericht-2023")).text
    assert "12 NACHHALTIGE MOBILITÄT" in text
    assert "KRITERIUM" in text
    assert "Verunglückte im Verkehr" in text
    assert "N A C H H A L T I G E" not in text


def test_letter_spaced_figures_stay_apart():
    assert "2 0 1 9" in clean("2 0 1 9\n").text


def test_nfkc_and_whitespace():
    cleaned = clean("Die  ﬁnanzielle\t Lage")
    assert cleaned.text == "Die finanzielle Lage"


def test_drops_stray_page_numbers():
    source = corpus_text("jusos-heinsberg-wahlprogramm-2020")
    cleaned = clean(source).text
    assert not re.search(r"(?m)^\s*\d{1,3}\s*$", cleaned)
    assert "SEITE 53" not in clean(corpus_text("heinsberg-nachhaltigkeitsbericht-2023")).text


def test_offsets_map_back_to_the_source_words():
    source = corpus_text("heinsberg-leitbild-entwurf")
    cleaned = clean(source)
    position = cleaned.text.index("Barrierefreiheit")
    start, end = cleaned.source_span(position, position + len("Barrierefreiheit"))
    assert source[start:end].replace("\n", "").replace(" ", "") == "Barrierefrei-heit"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcÄöß Z-\n\t1.ﬁ")), max_size=200))
def test_cleaning_is_idempotent_and_maps_every_character(source):
    cleaned = clean(source)
    assert clean(cleaned.text).text == cleaned.text
    assert len(cleaned.origin) == len(cleaned.text)
    assert all(0 <= o < max(len(source), 1) for o in cleaned.origin)
    assert list(cleaned.origin) == sorted(cleaned.origin)
