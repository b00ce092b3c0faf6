from ingest.sentences import quotable_spans, sentence_spans


def sentences(text):
    return [text[s:e] for s, e in sentence_spans(text, 0, len(text))]


def test_german_abbreviations_do_not_split():
    text = (
        "Das gilt z. B. für Schulen. Gem. § 3 Abs. 2 Nr. 4 ist das geregelt. "
        "Am 12. März 2021 wurde ggf. u. a. beschlossen. Es kostet ca. 3 Mio. Euro. Ende."
    )
    assert sentences(text) == [
        "Das gilt z. B. für Schulen.",
        "Gem. § 3 Abs. 2 Nr. 4 ist das geregelt.",
        "Am 12. März 2021 wurde ggf. u. a. beschlossen.",
        "Es kostet ca. 3 Mio. Euro.",
        "Ende.",
    ]


def test_bullets_and_blank_lines_end_sentences():
    text = "Ziele:\n- mehr Radwege\n- bessere Busse\n\nNeuer Absatz ohne Punkt"
    assert sentences(text) == ["Ziele:", "- mehr Radwege", "- bessere Busse", "Neuer Absatz ohne Punkt"]


def test_a_caption_or_source_line_stands_apart_from_the_sentences_around_it_and_is_not_quoted():
    # as the report's PDF text gives it: no full stop or blank line ends a caption, and its
    # second line may continue it in lower case
    text = (
        "Zur Rückgabe wird das Rad an einer Station abgestellt.\n"
        "Abbildung 10: Bike Sharing – westBike\n"
        "Die Bedienung der Fahrräder gestaltet sich einfach.\n"
        "Abbildung 3: Landrat Stephan Pusch nach erfolgreich\n"
        "abgeschlossenem Projekt Global Nachhaltige Kommune NRW\n"
        "Es wird regelmäßig evaluiert (siehe Abbildung 5).\n"
        "Anteil der Kinder unter 3 Jahren in Kindertageseinrichtungen (in Prozent)\n"
        "Quelle: SDG-Portal"
    )
    assert sentences(text) == [
        "Zur Rückgabe wird das Rad an einer Station abgestellt.",
        "Abbildung 10: Bike Sharing – westBike",
        "Die Bedienung der Fahrräder gestaltet sich einfach.",
        "Abbildung 3: Landrat Stephan Pusch nach erfolgreich\nabgeschlossenem Projekt Global Nachhaltige Kommune NRW",
        "Es wird regelmäßig evaluiert (siehe Abbildung 5).",
        "Anteil der Kinder unter 3 Jahren in Kindertageseinrichtungen (in Prozent)",
        "Quelle: SDG-Portal",
    ]
    assert [text[s:e] for s, e in quotable_spans(text)] == [
        "Zur Rückgabe wird das Rad an einer Station abgestellt.",
        "Die Bedienung der Fahrräder gestaltet sich einfach.",
        "Es wird regelmäßig evaluiert (siehe Abbildung 5).",
        "Anteil der Kinder unter 3 Jahren in Kindertageseinrichtungen (in Prozent)",
    ]
