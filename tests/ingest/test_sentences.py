from ingest.sentences import sentence_spans


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
