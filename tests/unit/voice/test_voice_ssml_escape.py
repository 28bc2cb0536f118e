"""SSML escaping matches the standard library's XML escaping it replaces (without its imports)."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr

from hypothesis import given
from hypothesis import strategies as st

from heel_coach.voice.ssml import escape, quoteattr


@given(st.text())
def test_escape_is_the_standard_xml_escape(text: str) -> None:
    assert escape(text) == sax_escape(text)


@given(st.text(alphabet=st.characters(blacklist_characters="'\n\r\t")))
def test_quoteattr_matches_for_urls_without_quotes_or_whitespace(value: str) -> None:
    # saxutils picks single quotes when the value holds a double quote; ours always uses
    # double quotes and escapes them, which is equally valid XML.
    if '"' not in value:
        assert quoteattr(value) == sax_quoteattr(value)
    assert quoteattr(value).count('"') == 2
