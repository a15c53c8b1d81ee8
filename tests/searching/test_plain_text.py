"""Documents hold the words of Markdown descriptions, not their syntax: snippets are text."""

from __future__ import annotations

from pathlib import Path

from marketplace.searching.mapping import plain_text
from search import SearchDocument, SearchQuery
from search.backends.tantivy import TantivySearch

DESCRIPTION = (
    "## Scope\n\nReplace **oil boilers** with [heat pumps](https://example.org/pumps) in"
    " _twelve_ schools.\n\n- `district` heating where possible\n- metering"
)


def test_markdown_becomes_its_words_one_block_a_line() -> None:
    assert plain_text(DESCRIPTION) == (
        "Scope\nReplace oil boilers with heat pumps in twelve schools.\n"
        "district heating where possible\nmetering"
    )
    assert plain_text("No syntax here at all.") == "No syntax here at all."
    assert plain_text("<script>alert(1)</script> *x*") == "<script>alert(1)</script> x"


async def test_a_snippet_of_a_markdown_description_shows_text(tmp_path: Path) -> None:
    backend = TantivySearch(tmp_path)
    await backend.ensure_ready()
    await backend.upsert(
        [SearchDocument(id="c1", type="funding_call", title="School retrofit",
                        body=plain_text(DESCRIPTION))]
    )  # fmt: skip
    snippet = (await backend.search(SearchQuery(text="boilers"))).hits[0].snippet
    assert "oil <mark>boilers</mark> with heat pumps" in snippet
    assert "**" not in snippet and "](" not in snippet and "##" not in snippet
