import pytest

from assistant import conversation
from assistant.conversation import Assistant, DocumentMentions, UnknownDocuments, cover_documents, question_kind, standalone_query
from index.retriever import ScoredPassage
from assistant.language import detect_language
from ingest.metadata import load_metadata
from ingest.model import DocumentMeta, Passage
from tests.conftest import CORPUS

MENTIONS = DocumentMentions(load_metadata(CORPUS))


def test_language_is_german_english_or_dutch_and_german_when_short():
    assert detect_language("Was sagt das Leitbild zum Radverkehr im Kreis?") == "de"
    assert detect_language("What does the mission statement say about cycling paths?") == "en"
    assert detect_language("Wat zegt het programma over het openbaar vervoer in de regio?") == "nl"
    assert detect_language("ÖPNV") == "de"
    assert detect_language("Kita") == "de"
    assert detect_language("123") == "de"
    # the small words of a language outweigh loanwords, which langdetect takes for English
    for question in ["Was ist das Homeoffice-Angebot?", "Gibt es Smart City Projekte?", "Was ist Fairtrade Town?"]:
        assert detect_language(question) == "de"
    assert detect_language("What role does volunteering play?") == "en"
    assert detect_language("Wat zegt de Kreis over de bescherming van de biodiversiteit?") == "nl"


def test_a_short_follow_up_keeps_the_language_of_the_conversation_unless_its_words_say_another():
    assert detect_language("Coesfeld?", "en") == "en"
    assert detect_language("And the Leitbild?") == "en"
    assert detect_language("En de Jusos?") == "nl"


def test_an_english_follow_up_naming_a_document_is_answered_in_english(corpus_components):
    answer = corpus_components.assistant().ask("And the Leitbild?", ["What does Coesfeld plan for housing?"])
    assert answer.language == "en" and answer.answer.startswith("According to Leitbild")
    assert {c.doc_id for c in answer.citations} == {"heinsberg-leitbild-entwurf"}


def test_documents_are_found_by_their_aliases():
    assert set(MENTIONS.find("Was fordern die Jusos zum ÖPNV, was sagt das Leitbild?")) == {
        "heinsberg-leitbild-entwurf",
        "jusos-heinsberg-wahlprogramm-2020",
    }
    assert MENTIONS.find("What does the draft mission statement say about cycling?") == ["heinsberg-leitbild-entwurf"]
    assert MENTIONS.find("Wat staat er in het verkiezingsprogramma over wonen?") == ["jusos-heinsberg-wahlprogramm-2020"]
    assert MENTIONS.find("Ziele laut Coesfeld") == ["coesfeld-strategische-ziele-2025"]
    assert MENTIONS.find("Wie viele Radwege gibt es?") == []


HEINSBERG = {
    "heinsberg-interkommunale-zusammenarbeit-sachstand",
    "heinsberg-leitbild-entwurf",
    "heinsberg-nachhaltigkeitsbericht-2023",
    "jusos-heinsberg-wahlprogramm-2020",
}


def test_a_place_names_the_documents_of_its_publishers():
    assert set(MENTIONS.find("Welche Ziele hat der Kreis Heinsberg beim Radverkehr?")) == HEINSBERG
    assert MENTIONS.find("Was sagt das Leitbild des Kreises Heinsberg zum Radverkehr?") == ["heinsberg-leitbild-entwurf"]
    assert set(MENTIONS.find("Radverkehr in Coesfeld und Heinsberg")) == HEINSBERG | {"coesfeld-strategische-ziele-2025"}
    assert MENTIONS.find("Was plant der Kreis beim Radverkehr?") == []  # every publisher is a Kreis
    assert question_kind("Welche Ziele hat der Kreis Heinsberg?", {"heinsberg"}) != "compare"
    assert MENTIONS.strip("Radverkehr im Leitbild, Kreis Heinsberg") == "Radverkehr ,"  # the place with its "Kreis"
    assert MENTIONS.strip("Was sagt das Leitbild laut dem Kreis Heinsberg?") == "Was sagt das ?"
    assert MENTIONS.search_text("Radverkehr im Leitbild, Kreis Heinsberg") == "Radverkehr im , Kreis Heinsberg"


def test_the_adjective_of_a_place_is_part_of_a_document_name_and_names_the_documents_of_the_place():
    """'Heinsberger' stayed in the search when 'Leitbild' was taken out of it for the filter, and
    drew the passages that say 'Kreis Heinsberg' instead of those on the topic."""
    assert MENTIONS.names("Was steht dazu im Heinsberger Leitbild?") == {"heinsberg-leitbild-entwurf": "Heinsberger Leitbild"}
    assert MENTIONS.search_text("Pflege im Heinsberger Leitbild") == "Pflege im"
    assert set(MENTIONS.find("Was sagen die Heinsberger Dokumente zum Radverkehr?")) == HEINSBERG
    assert MENTIONS.find("Was sagen die Heinsbergerinnen?") == []


def test_a_follow_up_to_the_heinsberger_leitbild_finds_its_lines_on_the_topic(corpus_components):
    history = ["Welche Ziele hat Coesfeld für Gesundheit und Pflege?"]
    answer = corpus_components.assistant().ask("Was steht dazu im Heinsberger Leitbild?", history)
    assert {c.doc_id for c in answer.citations} == {"heinsberg-leitbild-entwurf"}
    assert any("pflegerische Beratung" in c.text for c in answer.citations)


def test_a_document_the_question_asks_about_keeps_its_name_in_the_search():
    """Filtered to the report, 'Ansprechpartnerin für den Nachhaltigkeitsbericht' was searched as
    'Ansprechpartnerin für den ?' and missed the report's contact person."""
    asked_about = [
        "Wer ist Ansprechpartner für den Nachhaltigkeitsbericht?",
        "Gibt es den Nachhaltigkeitsbericht künftig jedes Jahr?",
        "Wann wurde das Leitbild beschlossen?",
    ]
    for question in asked_about:
        assert MENTIONS.search_text(question) == question
    assert MENTIONS.search_text("Was sagt der Nachhaltigkeitsbericht über den Radverkehr?") == "Was sagt der über den Radverkehr?"
    assert MENTIONS.search_text("Was fordern die Jusos für das Ehrenamt?") == "Was fordern die für das Ehrenamt?"


def test_the_documents_a_question_speaks_of_are_where_to_look_not_what_to_search_for(corpus_components):
    assistant = corpus_components.assistant()
    request = assistant.understand("Was steht in den Dokumenten zum Ehrenamt?", [])
    assert (request.query, request.search_query) == ("Was steht in den Dokumenten zum Ehrenamt?", "Was steht zum Ehrenamt?")
    # searched with "Dokumenten", Coesfeld's passage on the Ehrenamt was not among those found
    answer = assistant.ask("Was steht in den Dokumenten zum Ehrenamt?")
    assert any("Der Kreis Coesfeld unterstützt das Ehrenamt" in p.text for p in answer.retrieved)


def test_a_topic_question_matches_its_topic_not_the_words_that_frame_it(corpus_components):
    assistant = corpus_components.assistant()
    request = assistant.understand("Welche Ziele gibt es zum Thema Sport?", [])
    assert (request.search_query, request.lexical_query) == ("Welche Ziele gibt es zum Thema Sport?", "Welche gibt es zum Sport?")
    assert assistant.understand("Welche Klimaschutzziele gibt es?", []).lexical_query == "Welche Klimaschutzziele gibt es?"
    # matched with "Ziele", every passage of Coesfeld's "Strategische Ziele" came before the Schulsportfeste
    answer = assistant.ask("Welche Ziele gibt es zum Thema Sport?")
    assert any("Sportstätten" in c.text for c in answer.citations)


def test_a_topic_answer_quotes_the_topic_not_the_names_of_the_documents_and_places_asked(corpus_components):
    answer = corpus_components.assistant().ask("Hochschule im Kreis Heinsberg – was planen die Jusos?")
    assert any("Fachhochschulstandort" in c.text for c in answer.citations)
    assert not any("Unser Kreis Heinsberg soll für uns" in c.text for c in answer.citations)


def test_a_question_about_the_report_itself_is_answered_by_what_the_report_says_of_itself(corpus_components):
    answer = corpus_components.assistant().ask("Wird es den Nachhaltigkeitsbericht künftig regelmäßig geben?")
    # "Es ist geplant, die Ergebnisse dieses Monitorings bis 2026 in einem Nachhaltigkeitsbericht zu veröffentlichen."
    assert any("bis 2026 in einem Nachhaltigkeitsbericht" in c.text for c in answer.citations)


def test_follow_up_switches_to_the_documents_of_another_place():
    query = standalone_query("Und Heinsberg?", ["Was plant der Kreis Coesfeld für den Tourismus?"], MENTIONS)
    assert "Tourismus" in query and "Coesfeld" not in query
    assert set(MENTIONS.find(query)) == HEINSBERG
    back = standalone_query("Und Coesfeld?", ["Was plant der Kreis Heinsberg für den Tourismus?"], MENTIONS)
    assert "Tourismus" in back and MENTIONS.find(back) == ["coesfeld-strategische-ziele-2025"]


def test_a_follow_up_naming_another_place_is_answered_from_its_documents(corpus_components):
    history = ["Was plant der Kreis Coesfeld für den Tourismus?"]
    answer = corpus_components.assistant().ask("Und Heinsberg?", history)
    assert answer.citations and {c.doc_id for c in answer.citations} <= HEINSBERG
    assert any("Tourismus" in c.text for c in answer.citations)


def test_follow_up_keeps_the_topic_and_switches_the_document():
    query = standalone_query("Und der Nachhaltigkeitsbericht?", ["Was sagt das Leitbild zum Radverkehr?"], MENTIONS)
    assert "Radverkehr" in query
    assert "Leitbild" not in query
    assert MENTIONS.find(query) == ["heinsberg-nachhaltigkeitsbericht-2023"]


def test_a_chain_of_follow_ups_keeps_the_topic_of_the_first_question():
    history = ["Was sagt das Leitbild zum Radverkehr?", "Und die Jusos?"]
    query = standalone_query("Und Coesfeld?", history, MENTIONS)
    assert "Radverkehr" in query
    assert MENTIONS.find(query) == ["coesfeld-strategische-ziele-2025"]


def test_follow_up_on_a_new_topic_keeps_the_document_and_drops_the_old_topic():
    query = standalone_query("und beim Thema Digitales?", ["Was wollen die Jusos bei Bussen und Bahnen?"], MENTIONS)
    assert "Digitales" in query and "Bussen" not in query
    assert MENTIONS.find(query) == ["jusos-heinsberg-wahlprogramm-2020"]


def test_standalone_question_is_left_alone():
    question = "Welche Ziele verfolgt der Kreis Coesfeld beim Klimaschutz bis 2040?"
    assert standalone_query(question, ["Was sagt das Leitbild zum Radverkehr?"], MENTIONS) == question


@pytest.mark.parametrize(
    "previous, question",
    [
        ("Welche Ziele gibt es zum Radverkehr?", "Was sagt Coesfeld zu Müll?"),
        ("Welche Ziele hat Coesfeld zum Radverkehr?", "Was sagt das Leitbild zum Wohnen?"),
        ("Wie viele Fahrgäste soll die Seilbahn jährlich befördern?", "Was kostet der Bau?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Nachtbusse Jusos"),
        ("Was sagt das Leitbild zum Radverkehr?", "Welche Ziele gibt es zum Wohnen?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Was tut der Kreis, damit er klimaneutral wird?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Was kostet das Jobticket und wer bekommt es?"),
        ("Welche Ziele gibt es zum Radverkehr?", "Was plant der Kreis dieses Jahr?"),
    ],
)
def test_a_short_question_with_a_subject_of_its_own_is_asked_anew(previous, question):
    assert standalone_query(question, [previous], MENTIONS) == question


@pytest.mark.parametrize(
    "previous, question",
    [
        ("Hat der Kreis ein Jobticket für die Beschäftigten?", "Was kostet das?"),
        ("Bis wann will Coesfeld klimaneutral werden?", "Gilt das auch für die Verwaltung?"),
        ("Was wird an den Schulen gegen Rassismus getan?", "wie viele schulen sind da inzwischen dabei?"),
        ("Wann fand das Stadtradeln statt?", "Seit wann?"),
        ("Hat der Kreis Heinsberg ein Klimaschutzkonzept?", "Wann wurde es beschlossen?"),
        ("Welche Ziele hat Coesfeld zur Mobilität?", "Wer setzt diese Ziele um?"),
        ("Gibt es ein Fahrradverleihsystem?", "Wie viele Stationen hat es?"),
        ("Gibt es ein Fahrradverleihsystem?", "Wann hat der Kreis es eingeführt?"),
        ("Was sagt der Nachhaltigkeitsbericht zur Biodiversität?", "Welche Maßnahmen werden genannt?"),
    ],
)
def test_a_question_pointing_back_or_without_a_subject_is_a_follow_up(previous, question):
    assert standalone_query(question, [previous], MENTIONS) == f"{previous} {question}"


def test_a_follow_up_asking_for_a_date_asks_a_fact_of_the_previous_topic(corpus_components):
    assistant = corpus_components.assistant()
    topic = "Welche Ziele hat Coesfeld beim Klimaschutz?"
    assert assistant.understand("Und die Jusos?", [topic]).kind == "topic"
    assert assistant.understand("Bis wann?", [topic]).kind == "fact"
    answer = assistant.ask("Bis wann?", [topic])
    assert "2040" in answer.citations[0].text


def test_a_number_asked_of_a_place_is_asked_about_the_place(corpus_components):
    answer = corpus_components.assistant().ask("Wie groß ist der Kreis Heinsberg?")
    assert "628 Quadratkilometern" in answer.citations[0].text
    # the place alone asks nothing: a topic is asked for
    assert not corpus_components.assistant().ask("Was sagt der Kreis Heinsberg?").citations


def test_asking_what_about_a_document_asks_the_previous_question_of_it():
    query = standalone_query("Was ist mit Coesfeld?", ["Was sagt das Leitbild zum Radverkehr?"], MENTIONS)
    assert query == "Was sagt Coesfeld zum Radverkehr?"


def test_an_english_question_is_held_to_the_threshold_lowered_by_its_language_offset(corpus_components):
    # Its best similarity lies below the German threshold, as an English question's does.
    question = "How does the district handle its finances?"
    assistant = corpus_components.assistant()
    answer = assistant.ask(question)
    assert answer.language == "en" and not answer.abstained and answer.citations
    assistant.settings = assistant.settings.model_copy(update={"language_offsets": {}})
    assert assistant.ask(question).abstained


def test_question_kinds():
    assert question_kind("Welche Ziele gibt es zum Thema Wohnen?", set()) == "topic"
    assert question_kind("Radverkehr", set()) == "topic"
    assert question_kind("Kita und Kinderbetreuung – was steht in den Papieren?", set()) == "topic"
    assert question_kind("What do the documents say about volunteering?", set()) == "topic"
    assert question_kind("Welche Klimaschutzziele gibt es?", set()) == "topic"
    assert question_kind("Solaranlagen und Windräder – was ist geplant?", set()) == "topic"
    assert question_kind("Barrierefreiheit: welche Ziele gibt es?", set()) == "topic"
    assert question_kind("Was fordern die Jusos zum ÖPNV, was sagt das Leitbild?", {"jusos", "leitbild"}) == "compare"
    assert question_kind("Bis wann will der Kreis klimaneutral sein?", set()) == "fact"


def test_a_topic_answer_hears_every_document_but_a_fact_answer_only_the_closest(corpus_components):
    assistant = corpus_components.assistant()
    documents = set(corpus_components.retriever.documents())
    topic = assistant.ask("Welche Ziele gibt es zum Thema Radverkehr?")
    assert {p.doc_id for p in topic.retrieved} == documents
    # Each document's best passage is searched in that document alone, so one the overall
    # ranking leaves out still gets its place.
    overall = corpus_components.retriever.run("Welche Ziele gibt es zum Thema Radverkehr?", top_k=10)
    assert {h.passage.doc_id for h in overall} != documents


def test_after_each_documents_best_passage_a_long_document_takes_more_places_but_not_all():
    def hit(doc: str, n: int, score: float) -> ScoredPassage:
        return ScoredPassage(Passage(f"{doc}#{n}", doc, doc, doc, None, 0, 1, "x"), score, score, None)

    report, programme = [hit("report", n, 0.9 - n / 100) for n in range(5)], [hit("programme", n, 0.7 - n / 100) for n in range(2)]
    heads, overall = [report[0], programme[0]], report + programme
    # without decay the report's next passages take every place left
    assert [h.passage.id for h in cover_documents(heads, overall, 5, 1.0)] == ["report#0", "programme#0", "report#1", "report#2", "report#3"]
    # with it the report takes the next two (0.89 and 0.88 weighed down to 0.757 and 0.636) before
    # the programme's second (0.69 to 0.587), which comes before the report's fourth (0.87 to 0.534)
    covered = cover_documents(heads, overall, 6, 0.85)
    assert [h.passage.id for h in covered] == ["report#0", "programme#0", "report#1", "report#2", "programme#1", "report#3"]


def test_in_a_large_library_a_topic_question_diversifies_the_overall_ranking(corpus_components, monkeypatch):
    monkeypatch.setattr(conversation, "MAX_COVERED_DOCUMENTS", 2)  # stands for a library of hundreds

    def no_search_per_document(*args, **kwargs):
        raise AssertionError("a search per document in a large library")

    monkeypatch.setattr(corpus_components.retriever, "per_document", no_search_per_document)
    question = "Welche Ziele gibt es zum Thema Radverkehr?"
    ranked = corpus_components.retriever.run(question, top_k=30)
    answer = corpus_components.assistant().ask(question)
    assert {p.passage_id for p in answer.retrieved} <= {h.passage.id for h in ranked}
    # each document among the overall candidates is heard
    assert {p.doc_id for p in answer.retrieved} == {h.passage.doc_id for h in ranked}


def test_a_filter_on_a_document_the_index_does_not_hold_is_an_error_not_an_abstention(corpus_components):
    with pytest.raises(UnknownDocuments, match="gibtsnicht.*Vorhanden sind: coesfeld-strategische-ziele-2025"):
        corpus_components.assistant().ask("Radverkehr", doc_ids=["gibtsnicht"])


def test_a_document_named_by_its_entry_in_documents_toml_but_not_indexed_is_reported_not_replaced(corpus_components):
    """A removed file keeps its entry in documents.toml; a question about it must not be
    answered from the other documents, nor say they are silent on it."""
    indexed = corpus_components.assistant()
    removed = DocumentMeta("Klimaschutzkonzept Kreis Heinsberg", "Klimaschutzkonzept", "Kreis Heinsberg", aliases=("Klimakonzept",))
    metadata = {**indexed.metadata, "klimaschutzkonzept": removed}
    assistant = Assistant(indexed.retriever, indexed.answerer, metadata, indexed.settings)

    alone = assistant.ask("Was steht im Klimakonzept zum Radverkehr?")
    assert alone.abstained and not alone.retrieved
    assert alone.answer.startswith("Nicht im Index: „Klimaschutzkonzept“.")

    compared = assistant.ask("Was sagen das Klimakonzept und das Leitbild zum Radverkehr?")
    assert compared.citations and {p.doc_id for p in compared.retrieved} == {"heinsberg-leitbild-entwurf"}
    assert compared.notices == [alone.answer]

    # named by its place, the documents of that place in the index answer
    by_place = assistant.ask("Was sagt der Kreis Heinsberg zum Radverkehr?")
    assert by_place.citations and not by_place.notices


@pytest.mark.parametrize(
    "question, language",
    [("Welche Dokumente gibt es?", "de"), ("Welche Unterlagen kennst du?", "de"), ("Which documents do you have?", "en")],
)
def test_a_question_for_the_documents_lists_those_in_the_index(corpus_components, question, language):
    indexed = corpus_components.assistant()
    removed = DocumentMeta("Klimaschutzkonzept Kreis Heinsberg", "Klimaschutzkonzept", "Kreis Heinsberg")
    # Coesfeld without its entry in documents.toml, the removed concept with one
    metadata = {doc_id: meta for doc_id, meta in indexed.metadata.items() if not doc_id.startswith("coesfeld")}
    assistant = Assistant(indexed.retriever, indexed.answerer, {**metadata, "klimaschutzkonzept": removed}, indexed.settings)

    answer = assistant.ask(question)
    lines = answer.answer.splitlines()
    assert answer.abstained and not answer.citations and not answer.retrieved and answer.language == language
    assert len(lines) == 6 and lines[0].endswith("(5):")
    assert "- Leitbild (Entwurf, Kreis Heinsberg): Entwurf zur Neufassung des Leitbildes für den Kreis Heinsberg" in lines
    assert "- Strategische Ziele des Kreises Coesfeld" in lines  # by the title ingestion gave it
    assert "Klimaschutzkonzept" not in answer.answer


def test_a_question_that_names_a_topic_is_no_question_for_the_documents(corpus_components):
    for question in ["Welche Dokumente gibt es zum Radverkehr?", "Welche Dokumente nennen Ziele zum Wohnen?"]:
        assert not conversation.asks_for_the_library(question)
        assert corpus_components.assistant().ask(question).citations


def test_an_empty_index_says_so_when_asked_for_its_documents(tmp_path, embedding_cache_dir):
    from assistant.components import Components
    from tests.conftest import make_settings

    (tmp_path / "corpus").mkdir()
    assistant = Components(make_settings(tmp_path / "corpus", tmp_path / "data", embedding_cache_dir)).assistant()
    answer = assistant.ask("Welche Dokumente gibt es?")
    assert answer.abstained and answer.answer.startswith("Im Index ist noch kein Dokument.")


def test_a_follow_up_that_only_names_another_document_reads_as_the_question_asked_of_it():
    asked = standalone_query("Und der Nachhaltigkeitsbericht?", ["Was sagt das Leitbild zum Radverkehr?"], MENTIONS)
    assert asked == "Was sagt der Nachhaltigkeitsbericht zum Radverkehr?"
    place = standalone_query("Und Coesfeld?", ["Was plant der Kreis Heinsberg für den Tourismus?"], MENTIONS)
    assert place == "Was plant Coesfeld für den Tourismus?"
    district = standalone_query("Und der Kreis Heinsberg?", ["Wie will Coesfeld den Radverkehr fördern?"], MENTIONS)
    assert district == "Wie will der Kreis Heinsberg den Radverkehr fördern?"
    # a follow-up with a question of its own keeps both parts
    own = standalone_query("Und wie sieht das in Coesfeld aus?", ["Was sagt das Leitbild zur Kultur?"], MENTIONS)
    assert "Kultur" in own and "wie sieht das in Coesfeld aus" in own


@pytest.mark.parametrize(
    ("previous", "follow_up", "asked"),
    [
        ("Was fordern die Jusos für Schulen?", "Und das Leitbild?", "Was fordert das Leitbild für Schulen?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Und die Jusos?", "Was sagen die Jusos zum Radverkehr?"),
        ("Wie wollen die Jusos den ÖPNV verbessern?", "Und Coesfeld?", "Wie will Coesfeld den ÖPNV verbessern?"),
        ("Was steht bei den Jusos zur Bildung?", "Und im Leitbild?", "Was steht im Leitbild zur Bildung?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Und im Nachhaltigkeitsbericht?", "Was steht im Nachhaltigkeitsbericht zum Radverkehr?"),
        ("Was fordern die Jusos für Schulen?", "Und laut Leitbild?", "Was steht laut Leitbild für Schulen?"),
        ("Was steht bei den Jusos zur Bildung?", "Und das Leitbild?", "Was steht laut Leitbild zur Bildung?"),
        ("Radverkehr im Leitbild?", "Und die Jusos?", "Radverkehr laut Jusos?"),
        # a verb that does not say keeps a subject
        ("Welche Ziele hat Coesfeld zum Klimaschutz?", "Und im Nachhaltigkeitsbericht?", "Welche Ziele hat man im Nachhaltigkeitsbericht zum Klimaschutz?"),
        ("Was planen die Jusos beim Radverkehr?", "Und laut Leitbild?", "Was plant man laut Leitbild beim Radverkehr?"),
        # what the other document says "dazu" is the previous question asked of it
        ("Was fordern die Jusos zum ÖPNV?", "Was steht dazu im Leitbild?", "Was steht im Leitbild zum ÖPNV?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Und was sagen die Jusos dazu?", "Was sagen die Jusos zum Radverkehr?"),
        ("Welche Ziele hat Coesfeld beim Klimaschutz?", "Was sagt der Nachhaltigkeitsbericht darüber?", "Welche Ziele hat der Nachhaltigkeitsbericht beim Klimaschutz?"),
        # in English and Dutch too
        ("What does the Leitbild say about cycling?", "And the Jusos?", "What does the Jusos say about cycling?"),
        ("Wat zegt het Leitbild over fietsen?", "En Coesfeld?", "Wat zegt Coesfeld over fietsen?"),
        # a new topic alone takes the place of the old one, the documents stay
        ("Was sagt das Leitbild zum Radverkehr?", "Und zum Wohnen?", "Was sagt das Leitbild zum Wohnen?"),
        ("Welche Ziele gibt es zum Thema Radverkehr?", "Und zum Thema Wohnen?", "Welche Ziele gibt es zum Thema Wohnen?"),
        ("Was wollen die Jusos bei Bussen und Bahnen?", "und beim Thema Digitales?", "Was wollen die Jusos beim Thema Digitales?"),
        ("Was steht bei den Jusos zur Bildung?", "Und zum Wohnen?", "Was steht bei den Jusos zum Wohnen?"),  # "bei den Jusos" is no topic
        ("Welche Ziele hat das Leitbild zum Wohnen?", "Und welche zur Bildung?", "Welche Ziele hat das Leitbild zur Bildung?"),
        ("Was sagt das Leitbild zum Radverkehr?", "Und was für Ziele gibt es?", "Was sagt das Leitbild zum Radverkehr? was für Ziele gibt es?"),
        # a question asked of all documents is asked of the one named
        ("Welche Ziele gibt es zum Thema Radverkehr?", "Und was sagt Coesfeld?", "Welche Ziele gibt es zum Thema Radverkehr laut Coesfeld?"),
        ("Welche Ziele gibt es zum Thema Radverkehr?", "Und die Jusos?", "Welche Ziele gibt es zum Thema Radverkehr laut den Jusos?"),
        ("Was wird für den ÖPNV geplant?", "Und das Leitbild?", "Was wird für den ÖPNV geplant laut dem Leitbild?"),
        ("Was wird für den ÖPNV geplant?", "Und im Leitbild?", "Was wird für den ÖPNV geplant im Leitbild?"),
        ("Which goals are there on cycling?", "And the Jusos?", "Which goals are there on cycling according to the Jusos?"),
        # a question after the preposition asks about the same topic
        ("Was fordern die Jusos für Schulen?", "Und für wen gilt das?", "Was fordern die Jusos für Schulen? für wen gilt das?"),
    ],
)
def test_a_follow_up_reads_as_the_question_it_asks_with_the_verb_and_preposition_that_fit(previous, follow_up, asked):
    assert standalone_query(follow_up, [previous], MENTIONS) == asked
