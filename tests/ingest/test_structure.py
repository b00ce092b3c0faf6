from ingest.chunking import Chunker, ChunkerSettings, passage_text
from ingest.cleaning import clean
from ingest.sentences import quotable_spans
from ingest.structure import sections
from tests.conftest import corpus_text

import pytest


def paths(name):
    source = corpus_text(name)
    cleaned = clean(source)
    return cleaned, sections(cleaned, source)


def section_of(name, phrase):
    cleaned, spans = paths(name)
    position = cleaned.text.index(phrase)
    return " › ".join(next(s.path for s in spans if s.start <= position < s.end))


def test_leitbild_theses():
    assert section_of("heinsberg-leitbild-entwurf", "Radwegenetz instand") == "7. Verkehr und Mobilität"


def test_coesfeld_goal_fields_under_their_part():
    assert section_of("coesfeld-strategische-ziele-2025", "Velorouten-Netzes") == (
        "B. Strategische Ziele › X. Mobilität und Verkehr"
    )


def test_report_criteria_from_letter_spaced_headings():
    path = section_of("heinsberg-nachhaltigkeitsbericht-2023", "Die PKW-Dichte gibt an")
    assert path.startswith("Handlungsfeld 12 Nachhaltige Mobilität")
    # broken over two letter-spaced lines, the second one without a conjunction
    path = section_of("heinsberg-nachhaltigkeitsbericht-2023", "Der Kreis engagiert sich vielfältig für ein familienfreundliches")
    assert path.startswith("Handlungsfeld 16 Gute Arbeit und Nachhaltiges Wirtschaften")


def test_a_label_every_indicator_repeats_is_no_section_but_a_practice_section_is():
    # the figures stay with the indicator they measure, not under a shared "Veränderung"
    path = section_of("heinsberg-nachhaltigkeitsbericht-2023", "1,27 1,3 1,3")
    assert path.endswith("Aspekt 13.6: Alltagskultur der Nachhaltigkeit › Fairtrade-Schools")
    path = section_of("heinsberg-nachhaltigkeitsbericht-2023", "Trotz hoher Investitionen ist die Liquidität")
    assert path.endswith("› Finanzmittelsaldo")
    # "Praxisbeispiele" recurs too, but below the numbered aspects: a section of each
    path = section_of("heinsberg-nachhaltigkeitsbericht-2023", "Das Tourismuskonzept für den Kreis Heinsberg aus dem Jahre 2016")
    assert path.endswith("› Praxisbeispiele")


def test_cooperation_report_offices_from_table_rows():
    cleaned, spans = paths("heinsberg-interkommunale-zusammenarbeit-sachstand")
    offices = [s.path[0] for s in spans if s.path]
    assert "Amt für Schule, Kultur und Weiterbildung (40)" in offices
    assert "Stabsstelle Recht und Kommunalaufsicht" in offices
    assert "Haupt- und Personalamt (11)" in offices


def test_markdown_headings_for_a_users_document():
    source = "# Klimakonzept\n\nEinleitung.\n\n## Ziele\n\nWir pflanzen Bäume.\n\n### Wald\n\nMehr Wald.\n\n## Umsetzung\n\nBald."
    cleaned = clean(source)
    spans = sections(cleaned, source, markdown=True)
    by_text = {cleaned.text[s.start : s.end].strip().split("\n")[-1]: s.path for s in spans}
    assert by_text["Mehr Wald."] == ("Klimakonzept", "Ziele", "Wald")
    assert by_text["Bald."] == ("Klimakonzept", "Umsetzung")


@pytest.mark.parametrize("name", ["heinsberg-leitbild-entwurf", "heinsberg-nachhaltigkeitsbericht-2023", "heinsberg-interkommunale-zusammenarbeit-sachstand"])
def test_chunks_cover_the_text_and_respect_the_size(name):
    cleaned, spans = paths(name)
    settings = ChunkerSettings(max_chars=700, min_chars=200, overlap_sentences=1)
    chunks = Chunker(settings).run(cleaned.text, spans)
    covered = set()
    for chunk in chunks:
        assert chunk.end - chunk.start <= settings.max_chars + 1
        covered.update(range(chunk.start, chunk.end))
    letters = {i for i, c in enumerate(cleaned.text) if c.isalnum()}
    assert letters <= covered, "every letter of the document is in some passage"
    assert all(passage_text(cleaned.text, c)[0] for c in chunks)


def test_chunks_break_at_sections():
    cleaned, spans = paths("heinsberg-leitbild-entwurf")
    chunks = Chunker().run(cleaned.text, spans)
    verkehr = [c for c in chunks if c.path == ("7. Verkehr und Mobilität",)]
    assert verkehr
    assert all("8. Strukturentwicklung" not in cleaned.text[c.start : c.end] for c in verkehr)


@pytest.mark.parametrize("name", ["heinsberg-nachhaltigkeitsbericht-2023", "coesfeld-strategische-ziele-2025"])
def test_a_list_intro_stays_with_its_items(name):
    cleaned, spans = paths(name)
    chunks = Chunker().run(cleaned.text, spans)
    for chunk, following in zip(chunks, chunks[1:]):
        if following.path == chunk.path:
            assert not cleaned.text[chunk.start : chunk.end].rstrip().endswith(":")
    if name == "heinsberg-nachhaltigkeitsbericht-2023":
        texts = [passage_text(cleaned.text, c)[0] for c in chunks]
        assert any("Handlungsfelder:\n1. Nachhaltige Verwaltung" in t for t in texts)


def test_a_passage_begins_a_list_item_it_carries_over_not_inside_it():
    cleaned, spans = paths("coesfeld-strategische-ziele-2025")
    texts = [passage_text(cleaned.text, c)[0] for c in Chunker().run(cleaned.text, spans)]
    holding = [t for t in texts if "Hierzu zählen der Einsatz alternativer Antriebsformen" in t]
    assert len(holding) == 2, "the item is carried into the next passage as overlap"
    assert all("- Vernetzte und umweltfreundliche Mobilitätsangebote werden mit dem Ziel" in t for t in holding)


def test_a_caption_stands_apart_in_its_passage_so_no_quoted_sentence_runs_into_it():
    cleaned, spans = paths("heinsberg-nachhaltigkeitsbericht-2023")
    texts = [passage_text(cleaned.text, c)[0] for c in Chunker().run(cleaned.text, spans)]
    bike_sharing = next(t for t in texts if "Abbildung 10: Bike Sharing – westBike" in t)
    assert "Abbildung 10: Bike Sharing – westBike\n\nDie Bedienung der Fahrräder" in bike_sharing
    quoted = [bike_sharing[s:e] for s, e in quotable_spans(bike_sharing)]
    assert any(q.startswith("Die Bedienung der Fahrräder") for q in quoted)
    assert not any("Abbildung" in q for q in quoted)


from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

_LINES = st.sampled_from(
    ["7. Verkehr und Mobilität", "X. MOBILITÄT UND VERKEHR", "N A C H H A L T I G E  M O B I L I T Ä T", "- ein Punkt",
     "Der Kreis baut z. B. Radwege aus.", "Barrierefrei-", "heit ist ein Ziel.", "", "12", "Ein Satz ohne Ende", "# Titel",
     "Dazu gehören unter anderem:", "2. Nachhaltige Mobilität", "Abbildung 3: Karte des Kreises", "mit seinen Radwegen"]
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=40), st.integers(min_value=200, max_value=1500))
def test_chunks_lose_no_text_and_map_back_to_the_source(lines, max_chars):
    source = "\n".join(lines)
    cleaned = clean(source)
    chunks = Chunker(ChunkerSettings(max_chars=max_chars, min_chars=100)).run(cleaned.text, sections(cleaned, source))
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
        start, end = cleaned.source_span(chunk.start, chunk.end)
        assert 0 <= start <= end <= len(source)
    assert {i for i, c in enumerate(cleaned.text) if c.isalnum()} <= covered
