"""The pictures' drawing functions (marketplace/web/charts.py), for any figures: bars never
leave the drawing and grow with their value, points in time keep their order, every picture
is well-formed SVG named and described, and its table holds the figures it draws."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.web import charts

# Derandomized, as tests/edge/test_fuzz.py: the same cases every run.
CASES = settings(derandomize=not os.environ.get("MARKETPLACE_FUZZ_EXPLORE"), max_examples=60,
                 deadline=None)  # fmt: skip
NS = {"s": charts.SVG_NS}
SPAN = charts.WIDTH - 2 * charts.PAD

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)  # fmt: skip
labels = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                 max_size=60)  # fmt: skip
START = datetime(2026, 3, 2, 9, tzinfo=UTC)
moments = st.integers(0, 400 * 86400).map(lambda s: START + timedelta(seconds=s))


def _parse(picture: charts.Picture) -> ET.Element:
    svg = ET.fromstring(str(picture.svg))  # noqa: S314 - markup built by the test itself
    assert svg.tag == f"{{{charts.SVG_NS}}}svg" and svg.get("role") == "img"
    assert svg.get("width") == "100%" and svg.get("viewBox", "").startswith("0 0 400 ")
    title, desc = svg.find("s:title", NS), svg.find("s:desc", NS)
    assert title is not None and title.text == picture.title
    assert desc is not None and desc.text == picture.desc
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert not svg.findall(".//s:script", NS)
    assert all(e.get("style") is None for e in svg.iter())
    return svg


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{{{charts.SVG_NS}}}text")]


def _height(svg: ET.Element) -> float:
    return float(svg.get("viewBox", "").split()[3])


class TestScale:
    @CASES
    @given(amounts, amounts, amounts)
    def test_a_bar_is_never_longer_than_the_drawing_and_grows_with_its_value(
        self, a: Decimal, b: Decimal, top: Decimal
    ) -> None:
        low, high = sorted((a, b))
        for value in (low, high):
            assert 0 <= charts.scale(value, top, SPAN) <= SPAN
        assert charts.scale(low, top, SPAN) <= charts.scale(high, top, SPAN)

    def test_the_top_fills_the_span_and_nothing_is_nothing(self) -> None:
        assert charts.scale(10, 10, SPAN) == SPAN
        assert charts.scale(0, 10, SPAN) == 0 and charts.scale(5, 0, SPAN) == 0
        assert charts.scale(Decimal("0.01"), Decimal("1e12"), SPAN) >= 1  # seen, not lost


rows = st.lists(
    st.tuples(labels, st.lists(amounts, min_size=1, max_size=1)), min_size=1, max_size=8
)


class TestBarChart:
    @CASES
    @given(rows, st.one_of(st.none(), amounts))
    def test_bars_stay_in_the_drawing_in_the_order_of_their_values(
        self, data: list[tuple[str, list[Decimal]]], reference: Decimal | None
    ) -> None:
        picture = charts.bar_chart(
            "t", "Title", "Desc",
            [charts.Row(label, tuple(charts.Figure(v, f"{v} EUR") for v in values))
             for label, values in data],
            head=("What", "Amount"),
            reference=charts.Reference(reference, "Ref") if reference is not None else None,
        )  # fmt: skip
        svg = _parse(picture)
        bars = [r for r in svg.iter(f"{{{charts.SVG_NS}}}rect") if r.get("class") == "chart-bar"]
        assert len(bars) == len(data)
        height = _height(svg)
        for bar in bars:
            x, width, y = float(bar.get("x", 0)), float(bar.get("width", 0)), float(bar.get("y", 0))
            assert x >= 0 and width >= 0 and x + width <= charts.WIDTH - charts.PAD + 0.05
            assert 0 <= y and y + float(bar.get("height", 0)) <= height
        by_value = sorted(zip([v[0] for _l, v in data], bars, strict=True), key=lambda p: p[0])
        widths = [float(b.get("width", 0)) for _v, b in by_value]
        assert widths == sorted(widths)
        assert [Decimal(b.get("data-value", "")) for b in bars] == [v[0] for _l, v in data]
        # The figures are written in the picture as in its table, each beside its label.
        texts = _texts(svg)
        for _label, values in data:
            assert f"{values[0]} EUR" in texts
        assert picture.rows == tuple((label, f"{v[0]} EUR") for label, v in data)

    def test_several_series_each_bar_named(self) -> None:
        picture = charts.bar_chart(
            "t", "By theme", "Desc",
            [charts.Row("Mobility", (charts.Figure(240000, "€240,000.00"),
                                     charts.Figure(2500000, "€2,500,000.00")))],
            head=("Theme", "Tenders", "Funding sought"), series=("Tenders", "Funding sought"),
        )  # fmt: skip
        texts = _texts(_parse(picture))
        assert {"Mobility", "Tenders", "Funding sought", "€240,000.00", "€2,500,000.00"} <= set(
            texts
        )
        assert picture.rows == (("Mobility", "€240,000.00", "€2,500,000.00"),)

    def test_what_the_reader_wrote_is_text_never_markup(self) -> None:
        picture = charts.bar_chart(
            "t", "<b>Title</b>", "a & b", [charts.Row("<script>x</script>", (charts.Figure(1, "1"),))],
            head=("What", "n"),
        )  # fmt: skip
        assert "<script>" not in str(picture.svg) and "&lt;script&gt;" in str(picture.svg)
        assert "<script>x</script>" in _texts(_parse(picture))

    def test_a_long_label_is_wrapped_inside_the_drawing(self) -> None:
        label = "Skills and employment " * 6
        svg = _parse(charts.bar_chart("t", "T", "D", [charts.Row(label, (charts.Figure(5, "5"),))],
                                      head=("a", "b")))  # fmt: skip
        lines = [t for t in _texts(svg) if t not in ("5",)]
        assert len(lines) > 1 and " ".join(lines).split() == label.split()
        for line in lines:
            assert charts.text_width(line, charts.FONT) <= SPAN


class TestPositions:
    @CASES
    @given(st.lists(st.floats(0, 1e9), min_size=1, max_size=8))
    def test_points_stay_on_the_axis_in_the_order_of_time(self, times: list[float]) -> None:
        lo, hi, gap = 20.0, 380.0, 26.0
        xs = charts.positions(times, lo, hi, gap)
        assert all(lo <= x <= hi for x in xs)
        for i in range(len(times)):
            for j in range(len(times)):
                if times[i] < times[j] or (times[i] == times[j] and i < j):
                    assert xs[i] <= xs[j]
                    assert xs[j] - xs[i] >= gap - 1e-6  # pushed apart, still readable


steps = st.lists(
    st.tuples(labels, st.one_of(st.none(), moments), st.sampled_from(["done", "due", "void"])),
    min_size=1, max_size=6,
)  # fmt: skip


class TestTimeline:
    @CASES
    @given(steps, moments)
    def test_dots_in_time_order_with_now_between_the_right_ones(
        self, data: list[tuple[str, datetime | None, str]], now: datetime
    ) -> None:
        given_steps = [
            charts.Step(label, at, at.date().isoformat() if at else "", state, state.upper())
            for label, at, state in data
        ]
        picture = charts.timeline("t", "Timeline", "Desc", given_steps, now, now_label="Today",
                                  head=("Step", "Date", "State"))  # fmt: skip
        svg = _parse(picture)
        axis = [
            c for c in svg.iter(f"{{{charts.SVG_NS}}}circle")
            if c.get("cy") == str(charts.AXIS_Y)
        ]  # fmt: skip
        dated = sorted((s for s in given_steps if s.at is not None), key=lambda s: s.at or now)
        assert len(axis) == len(dated)
        xs = [float(c.get("cx", 0)) for c in axis]
        assert xs == sorted(xs) and all(0 <= x <= charts.WIDTH for x in xs)
        (now_line,) = [e for e in svg.iter() if e.get("class") == "chart-now"]
        now_x = float(now_line.get("x1", 0))
        for step, x in zip(dated, xs, strict=True):
            assert (x <= now_x) if step.at and step.at <= now else (x >= now_x)
        # Every step is named in words in the picture and in its table, dated ones first.
        assert all(any(s.label.split()[0] in t for t in _texts(svg)) for s in given_steps
                   if s.label.split())  # fmt: skip
        ordered = list(given_steps)
        for i, step in zip([i for i, s in enumerate(given_steps) if s.at], dated, strict=True):
            ordered[i] = step
        assert picture.rows == tuple((s.label, s.text, s.state_text) for s in ordered)
