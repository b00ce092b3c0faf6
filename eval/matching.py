"""Matching quotes to passages: lowercase, keep only letters and digits, then substring.

NFKC comes first so that "CO₂" in a source and "CO2" in a cleaned passage are the same
text. A quote cut by a chunk boundary still counts if at least half of it (and at least
20 characters) appears contiguously.
"""

from __future__ import annotations

import unicodedata

MIN_PARTIAL = 20


def normalize(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def quote_in(quote: str, text: str) -> bool:
    """Does `text` contain `quote`, or a contiguous half of it (>= 20 characters)?"""
    q, t = normalize(quote), normalize(text)
    if not q:
        return False
    if q in t:
        return True
    size = max(MIN_PARTIAL, (len(q) + 1) // 2)
    if size > len(q):
        return False
    return any(q[i : i + size] in t for i in range(len(q) - size + 1))


def citation_matches(quote: str, cited: str) -> bool:
    """A citation supports a quote if it contains it (or half of it), or is a sizeable part of it."""
    c = normalize(cited)
    return quote_in(quote, cited) or (len(c) >= MIN_PARTIAL and c in normalize(quote))
