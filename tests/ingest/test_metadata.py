"""documents.toml as users write it: what is read, and what is refused in German."""

import pytest

from ingest.metadata import MetadataError, parse_metadata
from ingest.model import DocumentMeta


def test_an_entry_reads_with_its_defaults_and_a_year_as_number():
    metadata = parse_metadata('[documents.plan]\ntitle = "Radplan"\nyear = 2024\naliases = ["Plan"]\n')
    assert metadata == {"plan": DocumentMeta(title="Radplan", short_title="Radplan", year="2024", aliases=("Plan",))}


@pytest.mark.parametrize(
    "text, message",
    [
        ('[documents.plan]\ntitle = "Radplan\n', "fehlerhaft"),
        ('[documents]\nplan = "Radplan"\n', "keinen Titel"),
        ('[documents.plan]\nshort_title = "Plan"\n', "keinen Titel"),
        ('[documents.plan]\ntitle = "Radplan"\naliases = "Plan"\n', "in eine Liste"),
    ],
)
def test_a_mistake_is_named_in_german(text, message):
    with pytest.raises(MetadataError, match=message):
        parse_metadata(text)
