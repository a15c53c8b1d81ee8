"""The pure parts of the search package: hierarchy codes, text handling, filter quoting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import SearchDocument, SearchQuery, cpv_ancestors, nuts_ancestors
from search.backends.meili import filter_expression, quote, to_meili
from search.text import ParsedText, best_correction, edit_distance, highlight, parse


class TestHierarchies:
    def test_cpv_codes_expand_to_every_level_above(self) -> None:
        assert cpv_ancestors("45233142-6") == (
            "45000000", "45200000", "45230000", "45233000", "45233100", "45233140", "45233142",
        )  # fmt: skip
        assert cpv_ancestors("45000000") == ("45000000",)
        with pytest.raises(ValueError, match="CPV"):
            cpv_ancestors("4523")

    def test_nuts_codes_expand_to_their_enclosing_regions(self) -> None:
        assert nuts_ancestors("fi1b1") == ("FI", "FI1", "FI1B", "FI1B1")
        with pytest.raises(ValueError, match="NUTS"):
            nuts_ancestors("F")

    def test_documents_index_ancestors_and_divisions(self) -> None:
        doc = SearchDocument(id="d", type="tender", title="t",
                             cpv_codes=("45233142-6", "34144910-0"), nuts_codes=("SE224",))  # fmt: skip
        assert "45230000" in doc.cpv_terms and "34100000" in doc.cpv_terms
        assert doc.cpv_divisions == ("34000000", "45000000")
        assert doc.nuts_terms == ("SE", "SE2", "SE22", "SE224")

    def test_times_must_carry_a_zone(self) -> None:
        with pytest.raises(ValueError, match="timezone"):
            SearchDocument(id="d", type="tender", title="t", deadline=datetime(2026, 1, 1))
        with pytest.raises(ValueError, match="sort"):
            SearchQuery(sort="cheapest")  # type: ignore[arg-type]


class TestText:
    def test_parse_keeps_phrases_and_takes_the_last_word_as_prefix(self) -> None:
        parsed = parse('"bus lanes" Malmö transp')
        assert parsed.phrases == (("bus", "lanes"),)
        assert parsed.terms == ("malmo",) and parsed.prefix == "transp"
        assert parse("transport ").prefix is None

    def test_query_syntax_is_plain_words(self) -> None:
        """Nothing a user types is an operator: quotes make phrases, the rest are words."""
        parsed = parse('a"b OR NEAR(x) c')
        assert parsed.terms == ("a", "b", "or", "near", "x") and parsed.prefix == "c"
        assert parse("OR AND NOT -x +y:z").all_words == ["or", "and", "not", "x", "y", "z"]

    def test_highlight_escapes_before_marking(self) -> None:
        assert highlight("<b>\x02x\x03</b> & y") == "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; y"

    def test_edit_distance_counts_a_swap_as_one(self) -> None:
        assert edit_distance("transprot", "transport") == 1
        assert edit_distance("kitten", "sitting") == 3  # above the limit of 2
        assert edit_distance("bus", "bus") == 0

    def test_corrections_respect_the_typo_budget(self) -> None:
        assert best_correction("transprot", [("transport", 3), ("transpose", 1)]) == "transport"
        assert best_correction("bsu", [("bus", 9)]) is None  # too short to correct
        assert best_correction("energy", [("energy", 1)]) is None  # already known


class TestMeilisearchFilters:
    def test_values_are_quoted_never_spliced(self) -> None:
        hostile = 'x"] OR type IN ["tender'
        expression = filter_expression(SearchQuery(themes=(hostile,), types=("listing",)))
        assert expression == ('type IN ["listing"] AND theme IN ["x\\"] OR type IN [\\"tender"]')
        assert quote("back\\slash") == '"back\\\\slash"'

    def test_ranges_and_hierarchies(self) -> None:
        expression = filter_expression(
            SearchQuery(cpv=("45000000-7",), nuts=("fi1b",), value_min=10,
                        deadline_to=datetime(2026, 1, 1, tzinfo=UTC))
        )  # fmt: skip
        assert expression == (
            'cpv IN ["45000000"] AND nuts IN ["FI1B"] AND value >= 10.0'
            " AND deadline <= 1767225600.0"
        )
        assert filter_expression(SearchQuery()) is None

    def test_documents_sort_missing_values_last(self) -> None:
        body = to_meili(SearchDocument(id="d", type="listing", title="t"))
        assert body["deadline_sort"] > 3e10 and body["value_sort"] == -1.0
        assert body["published_sort"] == 0.0 and body["deadline"] is None


@given(st.text(alphabet=st.characters(max_codepoint=0x3000)))
def test_clean_removes_exactly_the_control_characters_but_tab_and_newline(value: str) -> None:
    import unicodedata

    from search.text import clean

    expected = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")
    assert clean(value) == expected


def test_mark_words_folds_marks_prefixes_and_windows_long_text() -> None:
    from search.text import MARK_END, MARK_START, mark_words

    def shown(marked: str | None) -> str:
        assert marked is not None
        return marked.replace(MARK_START, "[").replace(MARK_END, "]")

    assert shown(mark_words("Buses for München and Malmö", parse("munchen malm"))) == (
        "Buses for [München] and [Malmö]"
    )
    assert shown(mark_words('Open data, "open" portals', parse('"open data" '))) == (
        '[Open] [data], "[open]" portals'
    )
    long = " ".join(f"w{n}" for n in range(100)) + " heat pumps " + "tail " * 50
    cut = shown(mark_words(long, parse("heat pum")))
    assert cut.startswith("…") and cut.endswith("…") and "[heat] [pumps]" in cut
    assert mark_words("Nothing here", parse("heat ")) is None


def _marked_reading_every_word(text: str, parsed: ParsedText, window: int = 24) -> str | None:
    """`mark_words` as it was before its ASCII shortcut: every word read and folded."""
    import re

    from search.text import MARK_END, MARK_START, fold

    wanted = set(parsed.terms) | {w for phrase in parsed.phrases for w in phrase}

    def matches(token: re.Match[str]) -> bool:
        folded = fold(token.group())
        return folded in wanted or (parsed.prefix is not None and folded.startswith(parsed.prefix))

    tokens = list(re.finditer(r"\w+", text))
    first = next((i for i, t in enumerate(tokens) if matches(t)), None)
    if first is None:
        return None
    start = max(0, first - window // 4)
    end = min(len(tokens), start + window)
    out = ["…" if start else ""]
    position = tokens[start].start() if start else 0
    for i in range(start, end):
        token = tokens[i]
        out.append(text[position : token.start()])
        out.append(MARK_START + token.group() + MARK_END if matches(token) and i >= first
                   else token.group())  # fmt: skip
        position = token.end()
    out.append("…" if end < len(tokens) else text[position:])
    return "".join(out)


_WORDS = st.sampled_from(["heat", "heating", "pump", "pumps", "solar", "data", "x_y", "München",
                          "a", "Heat-pump", "45233000", "sol"])  # fmt: skip
_GLUE = st.sampled_from([" ", ", ", ". ", " - ", "\n", "(", ") ", "  ", "…", "_"])


@given(
    _GLUE | st.just(""),
    st.lists(st.tuples(_WORDS, _GLUE), max_size=80),
    st.sampled_from(["heat ", "pump", "solar data", '"heat pump" ', "so", "munchen ", "x_y "]),
    st.sampled_from([24, 8, 3, 1]),
)
def test_mark_words_gives_what_reading_every_word_gives(
    lead: str, pieces: list[tuple[str, str]], typed: str, window: int
) -> None:
    """The ASCII shortcut (one pattern finds the first word, reading starts a few words
    before it) shows exactly the snippet that reading and folding every word shows."""
    from search.text import mark_words

    text = lead + "".join(word + glue for word, glue in pieces)
    parsed = parse(typed)
    assert mark_words(text, parsed, window) == _marked_reading_every_word(text, parsed, window)
