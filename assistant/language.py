"""The question's language (German, English or Dutch) and the answer's frame text in it."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0  # langdetect is random without a seed
SUPPORTED = ("de", "en", "nl")
_MIN_WORDS = 4  # one or two words ("ÖPNV", "Kita") are guessed wildly
# Words only one of the three languages has, the small ones every question is built of. A short
# German question with English loanwords ("Was ist das Homeoffice-Angebot?", "Gibt es Smart City
# Projekte?") reads as English to langdetect; its "ist", "das", "gibt" say German.
_SMALL_WORDS = {
    "de": """der die das den dem des ein eine einen einem ist sind gibt es was und nicht im zum zur für mit auf hat
    haben wird werden kann können soll sollen man bei vom von zu an sich auch welche welcher welches wer wie wo wann er""",
    "en": """the a an is are what which how who where when does do did and not of to for with on has have can should
    there about by from over""",
    "nl": """de het een is zijn wat welke hoe wie waar wanneer en niet van voor met op heeft hebben wordt kan er over
    naar ook""",
}
_OWN_WORDS = {
    lang: set(words.split()) - {w for other, more in _SMALL_WORDS.items() if other != lang for w in more.split()}
    for lang, words in _SMALL_WORDS.items()
}

_FRAMES = {
    "de": {
        "according_to": "Laut {source}, Abschnitt „{section}“:",
        "in_section": "Abschnitt „{section}“:",
        "document": "{source}:",
        "abstain": "Dazu finde ich in den Dokumenten keine Aussage.",
        "library": "Dokumente im Index ({n}):",
        "empty_library": "Im Index ist noch kein Dokument. Dokumente nimmt „ingest“ oder der Reiter „Dokumente“ auf.",
        "ask_for_a_question": "Bitte eine Frage zu den Dokumenten eingeben, z. B. „Welche Ziele gibt es zum Thema Radverkehr?“",
        "ask_for_the_topic": "Die Frage nennt kein Thema. Zum Beispiel: „Welche Ziele gibt es zum Thema Radverkehr?“",
        "ask_for_a_topic": "Die Frage nennt nur {documents}, aber kein Thema. Zum Beispiel: „{name}: Welche Ziele gibt es zum Thema Radverkehr?“",
    },
    "en": {
        "according_to": "According to {source}, section “{section}” (quoted in German):",
        "in_section": "Section “{section}”:",
        "document": "{source} (quoted in German):",
        "abstain": "I find no statement on this in the documents.",
        "library": "Documents in the index ({n}):",
        "empty_library": "The index holds no document yet. Documents are added by “ingest” or the tab “Dokumente”.",
        "ask_for_a_question": "Please ask a question about the documents, e.g. “Which goals are there on cycling?”",
        "ask_for_the_topic": "The question names no topic. For example: “Which goals are there on cycling?”",
        "ask_for_a_topic": "The question names only {documents}, but no topic. For example: “{name}: Which goals are there on cycling?”",
    },
    "nl": {
        "according_to": "Volgens {source}, paragraaf “{section}” (geciteerd in het Duits):",
        "in_section": "Paragraaf “{section}”:",
        "document": "{source} (geciteerd in het Duits):",
        "abstain": "Daarover vind ik in de documenten geen uitspraak.",
        "library": "Documenten in de index ({n}):",
        "empty_library": "De index bevat nog geen document. Documenten worden toegevoegd met “ingest” of het tabblad “Dokumente”.",
        "ask_for_a_question": "Stel een vraag over de documenten, bijvoorbeeld “Welke doelen zijn er voor het fietsverkeer?”",
        "ask_for_the_topic": "De vraag noemt geen onderwerp. Bijvoorbeeld: “Welke doelen zijn er voor het fietsverkeer?”",
        "ask_for_a_topic": "De vraag noemt alleen {documents}, maar geen onderwerp. Bijvoorbeeld: “{name}: Welke doelen zijn er voor het fietsverkeer?”",
    },
}


def detect_language(text: str, default: str = "de") -> str:
    """de, en or nl: by the small words only one of them has, else by langdetect. A text too
    short to tell ("ÖPNV", "Und Coesfeld?") is in the default language, the conversation's for
    a follow-up, unless two of its small words say another ("And the Leitbild?")."""
    words = text.lower().split()
    votes = sorted(((sum(w.strip("?!.,:;") in own for w in words), lang) for lang, own in _OWN_WORDS.items()), reverse=True)
    decided = votes[0][0] > votes[1][0]
    if len(words) < _MIN_WORDS:
        return votes[0][1] if decided and votes[0][0] >= 2 else default
    if decided:
        return votes[0][1]
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return "de"
    for candidate in candidates:
        if candidate.lang in SUPPORTED:
            return candidate.lang
    return "de"


def frame(language: str, key: str, **values: str) -> str:
    return _FRAMES.get(language, _FRAMES["de"])[key].format(**values)
