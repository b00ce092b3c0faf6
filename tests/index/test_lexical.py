from index.lexical import GermanAnalyzer, LexicalIndex

TEXTS = ["Der Kreis fördert den Radverkehr.", "Die Klimaschutzziele gelten bis 2035.", "Neues Bauland im Ausland."]


def ids(index, query):
    return [pid for pid, _ in index.search(query, 3, correct_spelling=True)]


def test_a_typo_finds_the_word_the_documents_use():
    index = LexicalIndex.build(GermanAnalyzer(), ["rad", "klima", "bau"], TEXTS)
    assert ids(index, "Radverkhr") == ["rad"]  # a letter left out
    assert ids(index, "Radverkehhr") == ["rad"]  # one too many
    assert ids(index, "Raderkvehr") == [] and ids(index, "Radvekrehr") == ["rad"]  # two apart; two swapped
    assert ids(index, "Klimschutzziele") == ["klima"]
    assert index.search("Radverkhr", 3) == []  # only when asked for


def test_another_real_word_is_not_taken_for_a_typo():
    index = LexicalIndex.build(GermanAnalyzer(), ["rad", "klima", "bau"], TEXTS)
    assert ids(index, "Baulund") == []  # a different letter: could be a word of its own
    assert ids(index, "Kreise") == ["rad"]  # a word the documents use is searched as it is


def test_the_words_a_question_is_asked_with_find_nothing():
    texts = ["Wann immer es geht, tagt der Ausschuss laut Satzung öffentlich.", "Der Radverkehr wird ab 2025 gefördert."]
    index = LexicalIndex.build(GermanAnalyzer(), ["satzung", "rad"], texts)
    assert ids(index, "Wann wird laut Plan der Radverkehr gefördert?") == ["rad"]
    assert ids(index, "Satzung") == ["satzung"]  # in the documents the same words are found


def test_an_empty_library_corrects_nothing():
    assert LexicalIndex.build(GermanAnalyzer(), [], []).spelled("radverkhr") == "radverkhr"


def test_the_share_of_passages_that_use_a_word():
    index = LexicalIndex.build(GermanAnalyzer(), ["rad", "klima", "bau"], TEXTS)
    assert index.document_share("kreis") == 1 / 3
    assert index.document_share("radverkehr") == 1 / 3 and index.document_share("hebesatz") == 0.0
    assert LexicalIndex.build(GermanAnalyzer(), [], []).document_share("kreis") == 0.0


def test_a_question_word_comes_with_its_compound_parts():
    assert GermanAnalyzer().query_words("Gibt es ein Radwegenetz?") == [("radwegenetz", ["radweg", "netz"])]
