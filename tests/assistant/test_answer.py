import pytest

from assistant.answer import ExtractiveAnswerer
from index.lexical import GermanAnalyzer, LexicalIndex
from index.retriever import ScoredPassage
from ingest.model import Passage


def hit(n: int, text: str, section: str = "Leitbild › 7. Verkehr") -> ScoredPassage:
    """The n-th hit of document "d", a passage of text in the section (its title first)."""
    passage = Passage(f"d#{n:04d}", "d", section.split(" › ")[0], section, None, 0, len(text), text)
    return ScoredPassage(passage, 1.0 / (n + 1), 0.9, None)


def test_a_first_passage_without_a_whole_sentence_still_gives_an_answer():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    hits = [hit(0, "05."), hit(1, "Der Kreis baut das Radwegenetz bis 2030 weiter aus.")]
    text, citations = answerer.run("Wann wird das Radwegenetz ausgebaut?", hits, "de", {})
    assert [c.text for c in citations] == ["Der Kreis baut das Radwegenetz bis 2030 weiter aus."]
    assert "[1]" in text


def test_a_sentence_announcing_a_list_is_quoted_with_the_list():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    text = (
        "Die Strategie definiert sechs zentrale Handlungsfelder:\n1. Nachhaltige Verwaltung\n"
        "2. Nachhaltige Mobilität\n3. Klimaschutz & Energie\n\nDiesen Handlungsfeldern werden Ziele zugeordnet."
    )
    _, citations = answerer.run("Welche Handlungsfelder definiert die Strategie?", [hit(0, text)], "de", {})
    assert citations[0].text.startswith("Die Strategie definiert sechs zentrale Handlungsfelder:\n1. Nachhaltige Verwaltung\n")
    assert "3. Klimaschutz & Energie" in citations[0].text


def test_the_sentence_nearest_in_meaning_wins_when_the_words_do_not_decide():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    text = (
        "Der Kreis baut in den kommenden Jahren neue Buslinien im Süden und im Westen des Kreisgebiets aus. "
        "Wer pendelt, bekommt künftig ein vergünstigtes Jobticket vom Kreis und den Partnern im Verbund."
    )
    second = text.index("Wer")
    question, hits = "Wie kommen Beschäftigte günstiger zur Arbeit?", [hit(0, text)]
    nearer_second = {"d#0000": {0: 0.80, second: 0.88}}
    _, citations = answerer.run(question, hits, "de", {}, "fact", nearer_second)
    assert citations[0].text == text[second:]
    nearer_first = {"d#0000": {0: 0.88, second: 0.80}}
    _, citations = answerer.run(question, hits, "de", {}, "fact", nearer_first)
    assert citations[0].text == text[:second].strip()


@pytest.mark.parametrize("written", [str, str.upper])  # the section name is title case, the text may shout
def test_the_passage_heading_is_not_quoted_as_an_answer(written):
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    heading = "Aspekt 12.2: Nachhaltige Mobilität in der Verwaltung"
    text = f"{written(heading)}\n\nVon derzeit 39 Dienstwagen der Verwaltung fahren bereits 7 elektrisch, weitere folgen bis 2026."
    hits = [hit(0, text, f"Bericht › {heading}")]
    _, citations = answerer.run("Was tut die Verwaltung für nachhaltige Mobilität?", hits, "de", {})
    assert [c.text for c in citations] == [text[len(heading) + 2 :]]


def test_a_topic_answer_quotes_most_from_the_document_with_most_passages_found():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)

    def found(doc: str, n: int, text: str) -> ScoredPassage:
        passage = Passage(f"{doc}#{n:04d}", doc, doc, f"{doc} › Radverkehr", None, 0, len(text), text)
        return ScoredPassage(passage, 1.0 / (n + 1), 0.9, None)

    report = [
        found("bericht", 0, "Der Kreis baut Radwege an Kreisstraßen aus. Der Radverkehr bekommt eigene Ampeln."),
        found("bericht", 1, "Der Kreis fördert Lastenräder für den Radverkehr. Radfahrer erhalten sichere Abstellanlagen."),
        found("bericht", 2, "Der Kreis beteiligt sich am Stadtradeln für den Radverkehr. Schulen werben für das Rad."),
    ]
    programme = [found("programm", 3, "Wir fordern Radschnellwege für den Radverkehr. Wir fordern mehr Fahrradstraßen im Kreis.")]
    _, citations = answerer.run("Welche Ziele gibt es zum Radverkehr?", report + programme, "de", {}, "topic")
    quoted = [c.doc_id for c in citations]
    # a sentence for each passage found, plus one: four from the report, two from the programme
    assert quoted.count("bericht") > quoted.count("programm") >= 1


def test_a_topic_answer_puts_a_document_naming_the_topic_before_one_only_near_it_in_meaning():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)

    def found(doc: str, n: int, text: str) -> ScoredPassage:
        passage = Passage(f"{doc}#{n:04d}", doc, doc, f"{doc} › Ziele", None, 0, len(text), text)
        return ScoredPassage(passage, 1.0 / (n + 1), 0.9, None)

    goals = found("ziele", 0, "Ziel ist eine nachhaltige Entwicklung, die die Lebensgrundlagen aller Menschen im Kreis erhält.")
    report = found("bericht", 1, "Für die Schulsportfeste nutzen die Schulen die Sportstätten der Städte und Gemeinden.")
    _, citations = answerer.run("Welche Ziele gibt es zum Thema Sport?", [goals, report], "de", {}, "topic")
    assert [c.doc_id for c in citations] == ["bericht", "ziele"]


def test_a_topic_answer_counts_the_topic_named_inside_a_compound():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    naming = "Der Kreis baut die Radverkehrsinfrastruktur an allen Kreisstraßen in den kommenden Jahren aus."
    bus = "Der Kreis verbessert den Takt der Buslinien im ländlichen Raum in den kommenden Jahren deutlich."
    rail = "Der Kreis setzt sich für die Reaktivierung der alten Bahnstrecken im Norden des Kreisgebiets ein."
    text = f"{naming} {bus} {rail}"
    others_nearer = {"d#0000": {0: 0.84, len(naming) + 1: 0.86, len(naming) + len(bus) + 2: 0.85}}
    _, citations = answerer.run("Welche Ziele gibt es zum Thema Radverkehr?", [hit(0, text)], "de", {}, "topic", others_nearer)
    assert any(naming in c.text for c in citations)


def test_a_question_for_a_number_gets_no_answer_from_sentences_without_one():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=3, max_citations=4)
    question = "Wie viele Ladesäulen für E-Autos gibt es im Kreis?"
    without = [hit(0, "Der Kreis baut die Ladeinfrastruktur für E-Autos weiter aus. Ladesäulen entstehen an Schulen.")]
    assert answerer.run(question, without, "de", {}) == ("", [])
    with_number = [hit(0, "Der Kreis baut die Ladeinfrastruktur weiter aus. Es gibt 48 öffentliche Ladesäulen für E-Autos.")]
    _, citations = answerer.run(question, with_number, "de", {})
    assert "48" in citations[0].text
    # a figure or paragraph number points somewhere; it is no amount
    captions = [hit(0, "Abbildung 8: Ladesäulen an Schulen. Der Kreis baut nach § 3 die Ladeinfrastruktur aus.")]
    assert answerer.run(question, captions, "de", {}) == ("", [])
    # so are the digits of a name
    header = [hit(0, "Treibhausgasemissionen pro Jahr (Tsd. t CO2 eq)")]
    assert answerer.run("Wie hoch waren die Treibhausgasemissionen?", header, "de", {}) == ("", [])
    # a number on another subject answers nothing
    elsewhere = [hit(0, "Ladesäulen entstehen an Schulen. Das 365-Euro-Ticket gilt für alle Fahrgäste.")]
    assert answerer.run(question, elsewhere, "de", {}) == ("", [])
    # a date is no amount, but it answers when
    dated = [hit(0, "Seit 2016 baut der Kreis Ladesäulen für E-Autos an Schulen. Zum 01.08.2023 kamen Ladesäulen an Bahnhöfen hinzu.")]
    assert answerer.run(question, dated, "de", {}) == ("", [])
    assert answerer.run("Seit wann baut der Kreis Ladesäulen?", dated, "de", {})[1]
    # an amount in the unit asked is on the subject, though it shares no word with the question
    saved = [hit(0, "Kreis und Kommunen haben den Beteiligungsserver gemeinsam angeschafft. Dadurch sind einmalig ca. 10.000 € eingespart worden.")]
    _, citations = answerer.run("Wie viel Geld bringt die gemeinsame Anschaffung?", saved, "de", {})
    assert any("10.000 €" in c.text for c in citations)
    # German prose writes small numbers as words: the sentence that has one comes first
    words = [hit(0, "Die Kreiswerke arbeiten für die Städte und Gemeinden. Sie sind eine Gesellschaft mit zehn Städten und Gemeinden.")]
    _, citations = answerer.run("Wie viele Städte und Gemeinden gehören dazu?", words, "de", {})
    assert "zehn" in citations[0].text
    # what something would cost is an amount; the number the question states is none
    named = [hit(0, "Langfristig streben wir die Umsetzung des 365-Euro-Tickets für alle Fahrgäste an.")]
    assert answerer.run("Was würde das 365-Euro-Ticket den Kreis kosten?", named, "de", {}) == ("", [])
    priced = [hit(0, "Das Ticket für alle Fahrgäste kostet 365 Euro im Jahr, der Kreis zahlt dafür 2 Millionen Euro.")]
    assert answerer.run("Was würde das 365-Euro-Ticket den Kreis kosten?", priced, "de", {})[1]
    # asked who pays, not how much: no number needed
    pays = [hit(0, "Die Kosten der Ladesäulen an Schulen trägt der Kreis als Schulträger.")]
    assert answerer.run("Wer trägt die Kosten der Ladesäulen?", pays, "de", {})[1]


def test_a_number_beside_words_of_most_passages_does_not_answer_how_many():
    place = "Im Kreis Heinsberg ist der Ausstoß von Treibhausgasen stärker gefallen als im Land (-8,1 %)."
    others = [
        "Der Kreis Heinsberg fördert den Radverkehr an allen Kreisstraßen.",
        "Der Kreis Heinsberg baut Photovoltaik auf seinen Schulen.",
        "Im Kreis Heinsberg gibt es 21 museale Einrichtungen.",
    ]
    vocabulary = LexicalIndex.build(GermanAnalyzer(), [f"d#{n:04d}" for n in range(4)], [place, *others])
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4, vocabulary=lambda: vocabulary)
    # "Kreis Heinsberg" is in every passage: it names no subject of the number
    assert answerer.run("Wie viele Windräder gibt es im Kreis Heinsberg?", [hit(0, place)], "de", {}) == ("", [])
    # the year an amount is asked for says when, not what; one letter ("E-Autos") names nothing
    dated = "Auf 628 Quadratkilometern leben 261.625 Menschen (Stand: 30. Juni 2023) und vier E-Bikes."
    assert answerer.run("Wie hoch ist der Hebesatz 2023?", [hit(0, dated)], "de", {}) == ("", [])
    assert answerer.run("Wie viele Ladesäulen für E-Autos gibt es?", [hit(0, dated)], "de", {}) == ("", [])
    # a word of the subject, also inside another form of it ("Museen", "museale"), does
    _, citations = answerer.run("Wie viele Museen gibt es im Kreis Heinsberg?", [hit(3, others[2])], "de", {})
    assert citations[0].text == others[2]
    # a misspelt word as the search reads it ("Einichtungen": "Einrichtungen")
    assert answerer.run("Wie viele Einichtungen gibt es im Kreis Heinsberg?", [hit(3, others[2])], "de", {})[1]
    # without a vocabulary every word names a subject, as in an English question
    everywhere = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    assert everywhere.run("Wie viele Windräder gibt es im Kreis Heinsberg?", [hit(0, place)], "de", {})[1]
    assert answerer.run("How many wind turbines are there in Kreis Heinsberg?", [hit(0, place)], "en", {})[1]


def test_a_question_without_a_question_word_is_answered_only_by_sentences_that_name_its_subject():
    equality = "Der Kreis Heinsberg setzt sich für die Chancengleichheit von Frauen und Männern in der Verwaltung ein."
    soil = "Der Kreis Heinsberg bekennt sich zum Schutz der Böden, des Wassers und der Luft."
    budget = "Die Kreisumlage der Städte und Gemeinden finanziert den größten Teil des Haushalts."
    vocabulary = LexicalIndex.build(GermanAnalyzer(), ["d#0000", "d#0001"], [equality, soil])
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4, vocabulary=lambda: vocabulary)
    # "Frauen" is one part of "Frauenhaus"; "Kreis Heinsberg" is in every passage
    assert answerer.run("Gibt es ein Frauenhaus im Kreis Heinsberg?", [hit(0, equality)], "de", {}) == ("", [])
    assert answerer.run("Cannabis Kreis Heinsberg?", [hit(0, equality)], "de", {}) == ("", [])
    # the verb that asks what a document says is no subject
    demand = "Daher fordern wir den Ausbau des Busverkehrs in allen Ortsteilen des Kreises."
    assert answerer.run("Fordern die Jusos Tempo 30 in den Ortschaften?", [hit(2, demand)], "de", {}) == ("", [])
    # a question of nothing but words of most passages has them as its subject
    assert answerer.run("Gibt es den Kreis Heinsberg noch?", [hit(0, equality)], "de", {})[1]
    # a compound is named by all its parts
    assert answerer.run("Bodenschutz im Kreis Heinsberg?", [hit(1, soil)], "de", {})[1]
    # with a question word the answer may say it in words of its own
    assert answerer.run("Woher bekommt der Kreis sein Geld?", [hit(2, budget)], "de", {})[1]


def test_a_question_naming_a_unit_is_answered_only_by_an_amount_in_it():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    question = "Wie viele Kilometer wurden beim Stadtradeln gesammelt?"
    days = "Innerhalb der 21 Tage sollten beim Stadtradeln möglichst viele Kilometer gesammelt werden."
    assert answerer.run(question, [hit(0, days)], "de", {}) == ("", [])
    area = "Auf 628 Quadratkilometern wurde beim Stadtradeln im Kreis gesammelt."  # an area, no distance
    assert answerer.run(question, [hit(0, area)], "de", {}) == ("", [])
    ridden = "Beim Stadtradeln wurden insgesamt 120.000 km gesammelt."
    assert answerer.run(question, [hit(0, ridden)], "de", {})[1]
    # a table gives the unit of its figures in its title, a sentence of its own
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=3, max_citations=4)
    table = "Bruttoinlandsprodukt pro Kopf ({unit})\n\nQuelle: SDG-Portal\n\nVERÄNDERUNG 2018 2019 2020 25658,1 24032,9 26020,3"
    question = "Wie viel Euro Bruttoinlandsprodukt hat der Kreis pro Kopf?"
    _, citations = answerer.run(question, [hit(0, table.format(unit="in Euro"))], "de", {})
    assert any("26020,3" in c.text for c in citations)
    assert answerer.run(question, [hit(0, table.format(unit="in Prozent"))], "de", {}) == ("", [])


def test_an_amount_in_the_unit_asked_is_on_the_subject_of_the_question_named_in_its_passage():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    trails = "Über 550 km gut ausgebaute und beschilderte Radwanderwege laden im Kreis zu Ausflügen ein."
    assert answerer.run("Wie viele Kilometer sind beim Stadtradeln zusammengekommen?", [hit(0, trails)], "de", {}) == ("", [])
    # the sentence with the amount need not say what it is on: its passage does
    platform = (
        "Die Kommunen wickeln ihre Vergaben über die Ausschreibungsplattform des Kreises kostenfrei ab. "
        "Der Kreis zahlt dafür nun monatlich etwa 200 € mehr als zuvor für den alten Anbieter."
    )
    question = "Was kostet es den Kreis extra, dass die Kommunen die Ausschreibungsplattform mitnutzen?"
    _, citations = answerer.run(question, [hit(0, platform)], "de", {})
    assert any("200 €" in c.text for c in citations)


def test_an_amount_per_something_is_answered_only_by_an_amount_per_it():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    deposit = "Bei der Registrierung für das Leihrad ist lediglich ein Fahrtguthaben von 1 € zu hinterlegen."
    question = "Was kostet eine Fahrt mit dem Leihrad pro halbe Stunde?"
    assert answerer.run(question, [hit(0, deposit)], "de", {}) == ("", [])
    per_minutes = "Eine Fahrt mit dem Leihrad kostet 1 € je angefangene 30 Minuten, die Registrierung ist kostenlos."
    assert answerer.run(question, [hit(0, per_minutes)], "de", {})[1]
    monthly = "Mithin kostet das Jobticket die Bediensteten des Kreises monatlich 34,30 €."
    assert answerer.run("Was kostet das Jobticket im Monat?", [hit(0, monthly)], "de", {})[1]
    assert answerer.run("What does the job ticket cost per month?", [hit(0, monthly)], "en", {})[1]
    assert answerer.run("Was kostet das Jobticket pro Jahr?", [hit(0, monthly)], "de", {}) == ("", [])
    # a follow-up joined to the question before it: per what the last question for a number asks
    assert answerer.run("Was kostet das Jobticket? Und im Jahr?", [hit(0, monthly)], "de", {}) == ("", [])
    joined = "Wie viele Fahrgäste soll die Seilbahn jährlich befördern? Was kostet der Bau laut Seilbahnplan?"
    cost = "Der Bau der Seilbahn kostet nach der Schätzung im Konzept rund 48 Millionen Euro."
    assert answerer.run(joined, [hit(0, cost)], "de", {})[1]


@pytest.mark.parametrize(
    "questions, other, asked",
    [
        # the sentence with the date asked for leads the answer
        (
            ["Bis wann soll der Kreis klimaneutral sein?"],
            "Ziel ist ein klimaneutraler Kreis mit einem starken Klimaschutz in allen Städten und Gemeinden des Kreises.",
            "Die Treibhausgasneutralität des Kreises soll nach dem beschlossenen Konzept spätestens 2040 erreicht sein.",
        ),
        # a question for a year is answered by a year
        (
            ["In welchem Jahr wurden die Kreiswerke gegründet?", "Welches Jahr war die Gründung der Kreiswerke?"],
            "Die Kreiswerke sind eine Gesellschaft des Kreises mit seinen zehn Städten und Gemeinden.",
            "Die Kreiswerke wurden im Jahr 1996 als Gesellschaft des Kreises gegründet.",
        ),
        # asking what someone pays asks for an amount in euro
        (
            ["Was zahlt der Kreis für das Jobticket dazu?", "Wie viel zahlt der Kreis für das Jobticket?"],
            "Zum 01.08.2023 hat der Kreis das Jobticket für seine Bediensteten eingeführt.",
            "Von jedem Jobticket trägt der Kreis einen Anteil von monatlich 12,25 €.",
        ),
    ],
)
def test_only_the_kind_of_number_asked_for_answers_and_it_leads_the_answer(questions, other, asked):
    """other: a sentence nearer to the question, without a number or with another kind of it."""
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    other_nearer = {"d#0000": {0: 0.9}, "d#0001": {0: 0.8}}
    for question in questions:
        assert answerer.run(question, [hit(0, other)], "de", {}) == ("", [])
        _, citations = answerer.run(question, [hit(0, other), hit(1, asked)], "de", {}, "fact", other_nearer)
        assert [c.text for c in citations] == [asked, other]


def test_the_sentence_with_the_number_asked_for_starts_the_answer_before_the_sentence_it_follows():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    returned = "Zur Rückgabe wird das westBike an einer offiziellen westBike-Station im Kreis abgestellt."
    stations = "Mit insgesamt 20 westBike-Stationen bietet dieses Verleihsystem die Möglichkeit, die Region zu erkunden."
    returned_nearer = {"d#0000": {0: 0.9, len(returned) + 1: 0.8}}
    _, citations = answerer.run("Wie viele westBike-Stationen gibt es?", [hit(0, f"{returned} {stations}")], "de", {}, "fact", returned_nearer)
    assert [c.text for c in citations] == [stations, returned]
    # also when the sentence before it, too short to stand alone, is quoted with it
    short = "Das westBike ist ein Leihrad."
    short_nearer = {"d#0000": {0: 0.9, len(short) + 1: 0.8}}
    _, citations = answerer.run("Wie viele westBike-Stationen gibt es?", [hit(0, f"{short} {stations}")], "de", {}, "fact", short_nearer)
    assert [c.text for c in citations] == [stations, short]
    # any other question quotes the two as the text has them
    _, citations = answerer.run("Wo gibt man ein westBike zurück?", [hit(0, f"{returned} {stations}")], "de", {}, "fact", returned_nearer)
    assert [c.text for c in citations] == [f"{returned} {stations}"]


def test_a_when_question_is_answered_by_an_ordinal_in_words_but_not_by_page_numbers():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    question = "Ab wann beginnt die Berufsorientierung der Schülerinnen und Schüler?"
    contents = "Vorwort 3 A. Handlungsprinzipien 5 I. Bildung und Berufsorientierung 7 II. Schülerinnen und Schüler 8 III. Mobilität 9"
    assert answerer.run(question, [hit(0, contents)], "de", {}) == ("", [])
    eighth = "Eine systematische Berufsorientierung für alle Schülerinnen und Schüler wird ab der achten Klasse gewährleistet."
    assert answerer.run(question, [hit(0, eighth)], "de", {})[1]


def test_the_amount_asked_for_is_found_below_the_sentences_that_share_more_words():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    said = "Der Kreis Heinsberg ist der westlichste Kreis Deutschlands, der Kreis Heinsberg liegt mitten in Europa."
    area = "Auf einer Fläche von 628 Quadratkilometern leben heute rund 261.625 Menschen in zehn Kommunen."
    _, citations = answerer.run("Wie groß ist der Kreis Heinsberg?", [hit(0, f"{said} {area}")], "de", {})
    assert citations[0].text == area


def test_an_amount_of_a_year_asked_for_is_given_for_that_year():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    question = "Wie hoch waren die Treibhausgasemissionen im Jahr 2021?"
    table = "Treibhausgasemissionen pro Jahr (in Tsd. t)\n\nVERÄNDERUNG 2015 2017 2018 absolut relativ 2.220 1.646 1.595 -625 -28,2 %"
    section = "Bericht › Treibhausgasemissionen"
    assert answerer.run(question, [hit(0, table, section)], "de", {}) == ("", [])
    assert answerer.run(question, [hit(0, table.replace("2018", "2021"), section)], "de", {})[1]


def test_a_table_is_on_what_its_heading_names_and_its_title_is_quoted_with_its_figures():
    row = "VERÄNDERUNG 2019 2020 2021 absolut relativ 2,01 2,32 2,72 +0,71 %P +35,3%"
    section = "Bericht › Langzeitarbeitslosenquote"
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    # the figures name nothing themselves: their heading says what they count
    _, citations = answerer.run("Wie hoch ist die Langzeitarbeitslosenquote?", [hit(0, row, section)], "de", {})
    assert citations[0].text == row
    assert answerer.run("Wie hoch ist die Schulabbrecherquote?", [hit(0, row, section)], "de", {}) == ("", [])
    title = "Anteil der Langzeitarbeitslosen an allen Erwerbspersonen (in Prozent)"
    table = f"{title}\n\nQuelle: SDG-Portal\n\n{row}"
    _, citations = answerer.run("Wie hoch ist der Anteil der Langzeitarbeitslosen?", [hit(0, table, section)], "de", {})
    assert citations[0].text == table


@pytest.mark.parametrize(
    "question, amount",
    [
        ("Wie viele Kilometer Radwege gibt es im Kreis?", "550 km"),
        ("Was kostet eine Fahrt mit dem Leihrad im Kreis?", "1,50 €"),
        ("Wie viel Geld gibt der Kreis für Radwege aus?", "7 (bzw. 15 Millionen) Euro"),
        ("Wie viel Prozent der Wege im Kreis fahren Radfahrer?", "12 %"),
        ("Wie groß ist das Kreisgebiet?", "628 Quadratkilometer"),
    ],
)
def test_a_number_in_the_unit_the_question_names_comes_before_other_numbers(question, amount):
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    said = "Der Kreis nennt im Bericht zur Mobilität für Radwege, Leihräder, Fahrten und Wege die Zahl"
    other = f"{said} 20."  # each sentence long enough to be quoted alone
    text = f"{other} {said} {amount}."
    other_nearer = {"d#0000": {0: 0.85, len(other) + 1: 0.82}}
    _, citations = answerer.run(question, [hit(0, text)], "de", {}, "fact", other_nearer)
    assert amount in citations[0].text


def test_a_sentence_followed_by_list_items_is_quoted_with_them_but_an_item_not_with_the_next():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    first = "- Beratung und Begleitung von Betrieben bei der Unternehmensnachfolge und bei Existenzgründungen im Kreis."
    second = "- Beratung, Information und Vernetzung von Unternehmen bei der Fachkräftegewinnung im In- und Ausland."
    text = f"Die Wirtschaftsförderung bietet Unternehmen Dienstleistungen in verschiedenen Bereichen an.\n{first}\n{second}"
    _, citations = answerer.run("Was bietet die Wirtschaftsförderung den Unternehmen an?", [hit(0, text)], "de", {})
    assert citations[0].text == text
    _, citations = answerer.run("Gibt es Beratung zur Unternehmensnachfolge?", [hit(0, text)], "de", {})
    assert citations[0].text == first


def test_a_sentence_inside_a_list_item_is_quoted_with_the_item_not_with_the_items_after_it():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    goal = (
        "- Umweltfreundliche Mobilität wird mit dem Ziel weniger Treibhausgase gefördert. "
        "Hierzu zählen die Verbesserung der Radverkehrsinfrastruktur und alternative Antriebe im Busverkehr."
    )
    others = "- Die Klimaanpassung mindert die Folgen von Hitze und Starkregen.\n- Das KlimaNetz stärkt die Zusammenarbeit."
    _, citations = answerer.run("Welche Ziele gibt es zum Thema Radverkehr?", [hit(0, f"{goal}\n{others}")], "de", {}, "topic")
    assert citations[0].text == goal


def test_a_quote_does_not_begin_with_the_link_of_the_sentence_before_it():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    # the passage begins where the one before it ended: after "… ist im Serviceportal abrufbar."
    text = "https://padlet.com/koko Die Museumskonzeption wird alle fünf Jahre fortgeschrieben."
    _, citations = answerer.run("Wie oft wird die Museumskonzeption fortgeschrieben?", [hit(0, text)], "de", {})
    assert citations[0].text == "Die Museumskonzeption wird alle fünf Jahre fortgeschrieben."


def test_a_sentence_in_two_overlapping_passages_takes_one_place():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    shared = "Der Kreis baut das Radwegenetz an allen Kreisstraßen bis zum Jahr 2030 um weitere hundert Kilometer aus."
    after = "Dazu kommen neue und sichere Abstellanlagen für Fahrräder an allen Bahnhöfen und Schulen im Kreisgebiet."
    hits = [hit(0, shared), hit(1, f"{shared} {after}")]
    _, citations = answerer.run("Wie baut der Kreis das Radwegenetz aus?", hits, "de", {})
    assert [c.text for c in citations] == [shared, after]


def test_a_quote_leaves_out_the_sentences_a_quote_from_an_overlapping_passage_holds():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    goal = "Bis spätestens 2035 soll der Kreis Heinsberg vollständig klimaneutral sein."
    before = "So hat der Kreis im Jahr 2023 bereits zum dritten Mal an der Aktion Stadtradeln teilgenommen."
    # the second passage's sentence takes the short goal along (it is under 80 characters)
    hits = [hit(0, f"{goal} Dazu werden die erneuerbaren Energien im ganzen Kreisgebiet stark ausgebaut."), hit(1, f"{before} {goal}")]
    _, citations = answerer.run("Bis wann soll der Kreis klimaneutral sein? Stadtradeln?", hits, "de", {})
    assert [c.text.count(goal) for c in citations] == [1, 0]
    assert citations[1].text == before


def test_a_sentence_is_quoted_with_a_next_one_that_is_short_or_points_back_to_it():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    plan = "Seitens des Kreises war angedacht, das Abrechnungsverfahren LOGA auch für die Gehaltsabrechnung der Kommunen zu übernehmen."
    outcome = "Die Verhandlungen sind gescheitert."
    _, citations = answerer.run("Was wurde aus der gemeinsamen Gehaltsabrechnung?", [hit(0, f"{plan} {outcome}")], "de", {})
    assert citations[0].text == f"{plan} {outcome}"
    problem = "Manche Jobs wandeln sich durch die Digitalisierung stark oder fallen weg, darauf sind nicht alle Betroffenen vorbereitet."
    measure = "Um diese Herausforderung zu bewältigen, wollen wir im Kreis langfristig eine Weiterbildungsschule einrichten."
    unrelated = "Dieselbusse fahren auf allen Linien im Kreisgebiet noch bis zum Jahr 2030 im gewohnten Takt weiter."
    question = "Was tun die Jusos für Menschen, deren Jobs durch Digitalisierung wegfallen?"
    _, citations = answerer.run(question, [hit(0, f"{problem} {measure}")], "de", {})
    assert citations[0].text == f"{problem} {measure}"
    _, citations = answerer.run(question, [hit(0, f"{problem} {unrelated}")], "de", {})
    assert citations[0].text == problem
    offer = "Der Kreis hat entschieden, dass die Kommunen ihre Vergaben ebenfalls über seine Plattform abwickeln können."
    users = "Von diesem Angebot machen bereits Gebrauch: Gemeinde Gangelt, Gemeinde Selfkant und Stadt Wegberg."
    _, citations = answerer.run("Welche Kommunen wickeln Vergaben über die Plattform ab?", [hit(0, f"{offer} {users}")], "de", {})
    assert citations[0].text == f"{offer} {users}"


def test_a_quote_never_takes_in_the_caption_after_it():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    partners = "Entstanden ist ein regionales Netzwerk mit insgesamt 84 Partnern aus Wirtschaft, Wissenschaft und Gesellschaft."
    passage = hit(0, f"{partners}\n\nAbbildung 18: Biobasierte Circular Economy")
    _, citations = answerer.run("Wie viele Partner hat das Netzwerk?", [passage], "de", {})
    assert [c.text for c in citations] == [partners]


def test_a_topic_answer_quotes_the_topic_not_sentences_that_merely_say_ziel():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    aside = "Ziel ist eine moderne Verwaltung mit kurzen Wegen für alle Bürgerinnen und Bürger des Kreises."
    paths = "Der Kreis baut das Netz der Radwege an allen Kreisstraßen in den nächsten Jahren weiter aus."
    parking = "Für den Radverkehr entstehen sichere und überdachte Abstellanlagen an allen Bahnhöfen im Kreis."
    hits = [hit(0, f"{aside} {paths} {parking}")]
    _, citations = answerer.run("Welche Ziele gibt es zum Thema Radverkehr und Radwege?", hits, "de", {}, "topic")
    assert [c.text for c in citations] == [f"{paths} {parking}"]


TOC = (
    "Vorwort 3 A. Handlungsprinzipien 5 I. Demokratie und Rechtmäßigkeit 5 II. Bürgerorientierung 5 "
    "III. Nachhaltigkeit 6 B. Strategische Ziele 7 I. Wirtschaft und Arbeit 7 II. Wohnen und Infrastruktur 16 "
    "III. Kultur, Heimat und Tourismus 17"
)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("Welche Ziele gibt es zum Thema Wohnen?", ["II. Wohnen und Infrastruktur 16"]),
        # an entry comes with the entries below it
        ("Welche Handlungsprinzipien stehen vor den Zielen?", ["A. Handlungsprinzipien 5 I. Demokratie und Rechtmäßigkeit 5 II. Bürgerorientierung 5 III. Nachhaltigkeit 6"]),
        ("Welche Ziele gibt es zum Thema Radverkehr?", []),  # a contents that does not list the topic says nothing on it
    ],
)
def test_a_topic_answer_quotes_of_a_table_of_contents_the_entries_that_name_the_topic(question, quoted):
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    contents = [hit(0, TOC, "Ziele › Inhalt")]
    _, citations = answerer.run(question, contents, "de", {}, "topic")
    assert [c.text for c in citations] == quoted
    _, whole = answerer.run(question, contents, "de", {}, "fact")
    assert [c.text for c in whole] == [TOC]  # a fact answer may need all of it ("Wie viele Themenfelder …?")


def test_a_topic_answer_leaves_out_a_contents_entry_whose_section_it_quotes():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    goal = "Der Kreis fördert bezahlbaren Wohnraum und lebenswerte Wohnquartiere in allen Städten und Gemeinden."
    contents = hit(0, TOC, "Ziele › Inhalt")
    hits = [contents, hit(1, goal, "Ziele › B. Strategische Ziele › II. Wohnen und Infrastruktur")]
    _, citations = answerer.run("Welche Ziele gibt es zum Thema Wohnen?", hits, "de", {}, "topic")
    assert [c.text for c in citations] == [goal]
    # the entries below "A. Handlungsprinzipien" are the answer, though its own text is quoted too
    intro = "Die Handlungsprinzipien leiten das Handeln der Verwaltung bei allen strategischen Zielen des Kreises."
    hits = [contents, hit(1, intro, "Ziele › A. Handlungsprinzipien")]
    _, citations = answerer.run("Welche Handlungsprinzipien gibt es?", hits, "de", {}, "topic")
    assert citations[0].text.startswith("A. Handlungsprinzipien 5 I. Demokratie")


def test_an_answer_does_not_quote_what_the_reporting_framework_asks_a_criterion_to_disclose():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    asks = "Der Kreis legt offen, wie er sich für den Klimaschutz einsetzt, und berichtet über seine Leistungen."
    says = "Ein wichtiger Schritt zu mehr Klimaschutz war das 2018 beschlossene Energie- und Klimaschutzkonzept."
    hits = [hit(0, f"{asks} {says}", "Bericht › Handlungsfeld 10 Klimaschutz und Energie")]
    _, citations = answerer.run("Wie setzt sich der Kreis für den Klimaschutz ein?", hits, "de", {})
    assert [c.text for c in citations] == [says]


def test_a_topic_answer_leaves_out_a_slogan_that_does_not_name_the_topic():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    slogan = "Bereitstellung optimaler Ressourcen – Ausschöpfung aller Potentiale"
    on_topic = "Grundversorgung erhalten – Straßen, Radwege- und Schienennetz ausbauen"
    goal = "Der Kreis fördert Photovoltaik auf allen kreiseigenen Dächern und Deponien in den nächsten Jahren."
    hits = [hit(0, slogan), hit(1, on_topic), hit(2, goal)]
    _, citations = answerer.run("Solaranlagen und Radwege – was ist geplant?", hits, "de", {}, "topic")
    assert [c.text for c in citations] == [on_topic, goal]


def test_a_topic_answer_leaves_out_a_foreword_as_the_goal_list_does():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    greeting = "Mit klaren Zielen zum Wohnen gestalten wir gemeinsam eine lebenswerte Zukunft für alle im Kreis."
    goal = "Der Kreis fördert bezahlbaren Wohnraum und die Entwicklung lebenswerter Wohnquartiere in allen Gemeinden."
    hits = [hit(0, greeting, "Ziele › Vorwort"), hit(1, goal, "Ziele › XI. Wohnen")]
    _, citations = answerer.run("Welche Ziele gibt es zum Thema Wohnen?", hits, "de", {}, "topic")
    assert [c.text for c in citations] == [goal]
    _, citations = answerer.run("Was sagt das Vorwort zum Wohnen?", hits, "de", {}, "fact")
    assert greeting in [c.text for c in citations]


def test_a_topic_line_names_a_section_that_ends_in_a_colon_with_one_colon():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=5, max_citations=4)
    text = "Der Kreis fördert den Klimaschutz in Betrieben durch Beratung und die Vernetzung von Unternehmen."
    answer, _ = answerer.run("Klimaschutz in Betrieben", [hit(0, text, "Ziele › Wirtschaft:")], "de", {}, "topic")
    assert f"- Wirtschaft: „{text}“ [1]" in answer


def test_neighbouring_sentences_become_one_quote_in_the_order_of_the_text():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    since = "Zum 01.08.2023 hat der Kreis Heinsberg das Deutschland-Jobticket für alle Beschäftigten eingeführt."
    share = "Als umweltbewusster Arbeitgeber bezuschusst der Kreis jedes abonnierte Jobticket mit 25 Prozent."
    text = f"{since} {share}"
    nearer_second = {"d#0000": {0: 0.80, len(since) + 1: 0.90}}
    _, citations = answerer.run("Wie unterstützt der Kreis das Jobticket?", [hit(0, text)], "de", {}, "fact", nearer_second)
    assert [c.text for c in citations] == [text]


def test_a_misspelt_question_word_is_read_as_the_documents_spell_it():
    buses = "Die Buslinien im Westen werden mit neuen Haltestellen gefördert."
    cycling = "Der Radverkehr wird mit sicheren Wegen an den Landstraßen gefördert."
    text = f"{buses} {cycling}"
    vocabulary = LexicalIndex.build(GermanAnalyzer(), ["d#0000"], [text])
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4, vocabulary=lambda: vocabulary)
    _, citations = answerer.run("Wie wird der Radverkhr gefördert?", [hit(0, text)], "de", {})
    assert citations[0].text == cycling


def test_a_quote_is_cited_with_the_section_and_page_it_stands_in():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    text = "WIRTSCHAFT:\n\nDer Kreis fördert Betriebe im ganzen Kreisgebiet.\n\nARBEIT:\n\nDer Kreis fördert die Ausbildung junger Menschen."
    work = text.index("ARBEIT")
    turns = ((work, "Ziele › Arbeit:", "8"),)
    passage = Passage("d#0000", "d", "Ziele", "Ziele › Wirtschaft:", "7", 0, len(text), text, turns=turns)
    answer, citations = answerer.run("Wie wird die Ausbildung gefördert?", [ScoredPassage(passage, 1.0, 0.9, None)], "de", {})
    assert [(c.text, c.section, c.page) for c in citations] == [(text[text.index("Der Kreis fördert die"):], "Ziele › Arbeit:", "8")]
    assert "Abschnitt „Arbeit:“" in answer


def test_a_quote_ends_with_its_section():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=1, max_citations=4)
    education = "Bereitstellung optimaler Ressourcen für die Schulen"  # short: it would take the next sentence along
    text = f"05. Bildung und Schule\n\n{education}\n\n06. Umwelt\n\nÖkologisch nachhaltig für Natur und Klima"
    turns = ((text.index("06."), "Leitbild › 06. Umwelt", None),)
    passage = Passage("d#0000", "d", "Leitbild", "Leitbild › 05. Bildung und Schule", None, 0, len(text), text, turns=turns)
    _, citations = answerer.run("Was will der Kreis für die Schulen?", [ScoredPassage(passage, 1.0, 0.9, None)], "de", {})
    assert [c.text for c in citations] == [education]


def test_a_quote_from_another_section_than_the_lead_names_its_own():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=2, max_citations=4)
    text = "WIRTSCHAFT:\n\nDer Kreis fördert Betriebe im ganzen Kreisgebiet.\n\nARBEIT:\n\nDer Kreis fördert die Ausbildung in Betrieben."
    turns = ((text.index("ARBEIT"), "Ziele › Arbeit:", "8"),)
    passage = Passage("d#0000", "d", "Ziele", "Ziele › Wirtschaft:", "7", 0, len(text), text, turns=turns)
    answer, citations = answerer.run("Wie fördert der Kreis Betriebe?", [ScoredPassage(passage, 1.0, 0.9, None)], "de", {})
    assert [c.section for c in citations] == ["Ziele › Wirtschaft:", "Ziele › Arbeit:"]
    assert answer.endswith(f"Abschnitt „Wirtschaft:“:\n„{citations[0].text}“ [1] Abschnitt „Arbeit:“: „{citations[1].text}“ [2]")


def test_citations_are_numbered_in_the_order_the_answer_reads():
    answerer = ExtractiveAnswerer(GermanAnalyzer(), max_sentences=3, max_citations=4)

    def passage_of(doc_id: str, n: int, text: str) -> ScoredPassage:
        return ScoredPassage(Passage(f"{doc_id}#{n:04d}", doc_id, doc_id, doc_id, None, 0, len(text), text), 1.0, 0.9, None)

    hits = [
        passage_of("leitbild", 0, "Der Kreis baut das Radwegenetz an allen Kreisstraßen aus."),
        passage_of("bericht", 0, "Das Radwegenetz im Kreis wurde 2022 um zwölf Kilometer länger."),
        passage_of("leitbild", 1, "Ein sicheres Radwegenetz verbindet die Schulen der Kommunen."),
    ]
    answer, citations = answerer.run("Wie wächst das Radwegenetz im Kreis?", hits, "de", {})
    assert [(c.n, c.doc_id) for c in citations] == [(1, "leitbild"), (2, "leitbild"), (3, "bericht")]
    assert [answer.index(f"[{n}]") for n in (1, 2, 3)] == sorted(answer.index(f"[{n}]") for n in (1, 2, 3))
