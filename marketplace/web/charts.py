"""Pictures drawn on the server (issue 19): accessible SVG from plain data, each with the
table of the same figures behind it.

Pure functions: figures in, a `Picture` out (its SVG markup and its table), no I/O and no
locale of their own. Callers pass every figure twice, as a number to draw and as the text the
reader writes it in (`i18n.money`, `i18n.day`), so the picture and its table print the same
string. The packages' `pictures.py` turn their records into these inputs.

What every picture holds to: `role="img"` named by its `<title>` and described by its
`<desc>`; every bar and point labelled in words (never colour alone); colours of at least
4.5:1 on white; a `viewBox` and `width="100%"`, so it shrinks to a 390 px phone; presentation
attributes and classes only (no script, no style attribute); SVG text does not wrap, so labels
are wrapped here, by an estimate of their width.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 400  # user units; drawn at most 30rem wide (site.css), 100 % of a phone's width
PAD = 8
FONT = 13
SMALL = 12
LINE = 17  # one line of text
BAR = 14  # a bar's thickness
GLYPH = 0.58  # average advance of a sans-serif glyph, in em (for wrapping; a bold one)

# On white, each at least 4.5:1 (WCAG 1.4.3 for the text in them, 1.4.11 for the shapes).
TONES = {
    "primary": "#003399",
    "ok": "#0b6b2b",
    "warn": "#8a4b00",
    "err": "#a00000",
    "muted": "#4a4a4a",
}
INK = "#1b1b1b"
TRACK = "#f3f5fa"
TRACK_LINE = "#767676"  # 4.5:1 on white: the empty part of a bar is still seen

Number = Decimal | float | int


@dataclass(frozen=True)
class Figure:
    """A value to draw and how the reader writes it ("2 500 000,00 €")."""

    value: Number
    text: str


@dataclass(frozen=True)
class Row:
    """One category of a bar chart: its name and one figure per series."""

    label: str
    figures: tuple[Figure, ...]
    tone: str | None = None  # a single-series chart may colour its rows (a state)


@dataclass(frozen=True)
class Reference:
    """A line across the bars at a value that matters (the amount sought)."""

    value: Number
    label: str


@dataclass(frozen=True)
class Step:
    """A point on a timeline. `at` None: no date (not yet, or not set), listed, not placed.
    `state`: done, due, void (no longer applies), pending (undated), or the tone of an end."""

    label: str
    at: datetime | None
    text: str
    state: str
    state_text: str
    tone: str = "primary"


@dataclass(frozen=True)
class Picture:
    """What a template shows: the SVG, and the same figures as a table."""

    id: str
    title: str
    desc: str
    svg: Markup
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# --- geometry (pure, tested with hypothesis) ------------------------------------------


def scale(value: Number, top: Number, span: float) -> float:
    """The length of a bar for `value` when `top` fills `span`: never negative, never longer
    than `span`, non-decreasing in `value`; a value above nought is at least one unit long, so
    a small figure is not drawn as none."""
    v, t = float(value), float(top)
    if not math.isfinite(v) or v <= 0 or t <= 0:
        return 0.0
    return min(span, max(1.0, v / t * span))


def positions(
    times: Sequence[float], lo: float, hi: float, gap: float
) -> list[float]:  # fmt: skip
    """Places on [lo, hi] for points in time: proportional, then pushed apart to at least
    `gap` (two deadlines a day apart stay readable). Order is kept: a later point is never
    left of an earlier one; equal times keep their order in `times`."""
    if not times:
        return []
    first, last = min(times), max(times)
    span = hi - lo
    gap = min(gap, span / max(1, len(times) - 1))
    order = sorted(range(len(times)), key=lambda i: (times[i], i))
    raw = [
        lo + (times[i] - first) / (last - first) * span if last > first else lo + span / 2
        for i in order
    ]
    placed = raw[:]
    for k in range(1, len(placed)):  # push right
        placed[k] = max(placed[k], placed[k - 1] + gap)
    placed[-1] = min(placed[-1], hi)
    for k in range(len(placed) - 2, -1, -1):  # then back inside, pushing left
        placed[k] = min(placed[k], placed[k + 1] - gap)
    placed = [min(hi, max(lo, x)) for x in placed]
    out = [0.0] * len(times)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def text_width(text: str, size: float) -> float:
    return len(text) * size * GLYPH


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of `text` that fit `width` by the estimate above; a word too long is cut."""
    room = max(1, int(width / (size * GLYPH)))
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > room:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:room])
            word = word[room:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= room:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


# --- drawing ----------------------------------------------------------------------------


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class _Canvas:
    def __init__(self, id: str, title: str, desc: str, kind: str) -> None:
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS, "class": f"chart-svg chart-{kind}", "role": "img",
                "width": "100%", "aria-labelledby": f"{id}-title", "aria-describedby": f"{id}-desc",
                "font-size": str(FONT), "fill": INK,
            },
        )  # fmt: skip
        ET.SubElement(self.root, "title", {"id": f"{id}-title"}).text = title
        ET.SubElement(self.root, "desc", {"id": f"{id}-desc"}).text = desc

    def add(self, tag: str, parent: ET.Element | None = None, /, **attrs: object) -> ET.Element:
        clean = {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
        return ET.SubElement(self.root if parent is None else parent, tag, clean)

    def text(self, x: float, y: float, content: str, parent: ET.Element | None = None, /,
             **attrs: object) -> ET.Element:  # fmt: skip
        node = self.add("text", parent, x=_num(x), y=_num(y), **attrs)
        node.text = content
        return node

    def finish(self, height: float) -> Markup:
        self.root.set("viewBox", f"0 0 {WIDTH} {_num(height)}")
        markup = ET.tostring(self.root, encoding="unicode")
        return Markup(markup)  # noqa: S704 - built by ElementTree, which escapes every text


def bar_chart(
    id: str, title: str, desc: str, rows: Sequence[Row], *, head: Sequence[str],
    series: Sequence[str] = (), reference: Reference | None = None,
    notes: Sequence[str] = (),
) -> Picture:  # fmt: skip
    """Horizontal bars, one per figure: the row's name (and the series' when there are
    several) written above its bar, the figure at the right. All bars share one scale, whose
    top is the largest figure (or the reference). `head` names the table's columns: the
    rows', then each series'. `notes`: sentences written under the bars (a state)."""
    c = _Canvas(id, title, desc, "bars")
    span = WIDTH - 2 * PAD
    top = max([float(f.value) for r in rows for f in r.figures] + [
        float(reference.value) if reference else 0.0
    ])  # fmt: skip
    several = len(series) > 1
    y = PAD
    bar_tops: list[float] = []
    for r in rows:
        group = c.add("g", class_="chart-row")
        if several:
            for line in wrap(r.label, span, FONT):
                y += LINE
                c.text(PAD, y - 4, line, group, font_weight="bold")
        for j, f in enumerate(r.figures):
            name = series[j] if several else r.label
            size = SMALL if several else FONT
            room = span - text_width(f.text, size) - 8
            lines = wrap(name, room, size)
            for k, line in enumerate(lines):
                y += LINE
                c.text(PAD, y - 4, line, group, font_size=size,
                       font_weight="normal" if several else "bold")  # fmt: skip
                if k == 0:
                    c.text(WIDTH - PAD, y - 4, f.text, group, font_size=size,
                           text_anchor="end", class_="chart-value")  # fmt: skip
            tone = TONES.get(
                (r.tone if not several else None) or ("primary", "ok", "warn", "muted")[j % 4],
                TONES["primary"],
            )
            bar_tops.append(y)
            c.add("rect", group, x=PAD, y=_num(y), width=_num(span), height=BAR, fill=TRACK,
                  stroke=TRACK_LINE, stroke_width=1, class_="chart-track")  # fmt: skip
            c.add("rect", group, x=PAD, y=_num(y), width=_num(scale(f.value, top, span)),
                  height=BAR, fill=tone, class_="chart-bar",
                  data_value=str(f.value))  # fmt: skip
            y += BAR + 6
        y += 4
    if reference is not None and top > 0:
        # Across each bar, not its words: the figure at the right stays readable.
        x = PAD + scale(reference.value, top, span)
        for bar_y in bar_tops:  # white under black: seen on a dark bar and on the track
            ends = {"x1": _num(x), "x2": _num(x), "y1": _num(bar_y - 3),
                    "y2": _num(bar_y + BAR + 3)}  # fmt: skip
            c.add("line", **ends, stroke="#ffffff", stroke_width=4)
            c.add("line", **ends, stroke=INK, stroke_width=2, stroke_dasharray="3 2",
                  class_="chart-reference")  # fmt: skip
        y += LINE
        anchor = "end" if x > WIDTH / 2 else "start"
        c.text(x, y - 4, f"▲ {reference.label}" if anchor == "start" else f"{reference.label} ▲",
               font_size=SMALL, text_anchor=anchor, class_="chart-reference-label")  # fmt: skip
    for note in notes:
        for line in wrap(note, span, SMALL):
            y += LINE
            c.text(PAD, y - 4, line, font_size=SMALL, font_weight="bold", class_="chart-note")
    table = tuple((r.label, *(f.text for f in r.figures)) for r in rows)
    return Picture(id, title, desc, c.finish(y + PAD), tuple(head), table)


AXIS_Y = 44
DOT = 10


def timeline(
    id: str, title: str, desc: str, steps: Sequence[Step], now: datetime, *, now_label: str,
    head: Sequence[str],
) -> Picture:  # fmt: skip
    """Steps in time on one axis (numbered dots, `now` a marked line), then the same steps as
    numbered lines: name, date, state. Dated steps are put in time order (ties keep theirs)
    in the places dated steps hold; an undated one keeps its place, listed and not placed on
    the axis. The axis is solid up to now and dashed after it; a step that no longer applies
    is a dashed grey ring."""
    slots = [i for i, s in enumerate(steps) if s.at is not None]
    dated = sorted((steps[i] for i in slots), key=lambda s: s.at or now)
    ordered = list(steps)
    for i, step in zip(slots, dated, strict=True):
        ordered[i] = step
    c = _Canvas(id, title, desc, "timeline")
    lo, hi = PAD + DOT + 2, WIDTH - PAD - DOT - 2
    # `now` takes part in the spacing, so pushing dots apart never moves one across it.
    moments = [s.at.timestamp() for s in dated if s.at is not None]
    now_index = sum(1 for s in dated if s.at is not None and s.at <= now)
    moments.insert(now_index, now.timestamp())
    xs = positions(moments, lo, hi, gap=2 * DOT + 6)
    now_x = xs.pop(now_index)
    first, last = min([*xs, now_x]), max([*xs, now_x])
    if now_x > first:
        c.add("line", x1=_num(first), x2=_num(now_x), y1=AXIS_Y, y2=AXIS_Y,
              stroke=TONES["primary"], stroke_width=4, class_="chart-past")  # fmt: skip
    if last > now_x:
        c.add("line", x1=_num(now_x), x2=_num(last), y1=AXIS_Y, y2=AXIS_Y,
              stroke=TONES["muted"], stroke_width=2, stroke_dasharray="5 4",
              class_="chart-future")  # fmt: skip
    anchor = "start" if now_x < WIDTH * 0.2 else "end" if now_x > WIDTH * 0.8 else "middle"
    c.add("line", x1=_num(now_x), x2=_num(now_x), y1=AXIS_Y - 22, y2=AXIS_Y + 18,
          stroke=INK, stroke_width=2, class_="chart-now")  # fmt: skip
    c.text(now_x, AXIS_Y - 26, now_label, font_size=SMALL, font_weight="bold",
           text_anchor=anchor, class_="chart-now-label")  # fmt: skip
    for i, x in zip(slots, xs, strict=True):
        _dot(c, ordered[i], x, AXIS_Y, i + 1)
    y = AXIS_Y + 30
    text_x = PAD + 2 * DOT + 10
    room = WIDTH - PAD - text_x
    for number, step in enumerate(ordered, start=1):
        group = c.add("g", class_=f"chart-step chart-{step.state}")
        _dot(c, step, PAD + DOT, y + 10, number, group)
        lines = wrap(step.label, room, FONT)
        for line in lines:
            y += LINE
            c.text(text_x, y - 3, line, group, font_weight="bold")
        detail = f"{step.text} · {step.state_text}" if step.text else step.state_text
        for line in wrap(detail, room, SMALL):
            y += LINE
            c.text(text_x, y - 3, line, group, font_size=SMALL,
                   fill=TONES["muted"] if step.state in ("void", "pending") else INK)  # fmt: skip
        y += 10
    table = tuple((s.label, s.text, s.state_text) for s in ordered)
    return Picture(id, title, desc, c.finish(y), tuple(head), table)


def _dot(c: _Canvas, step: Step, x: float, y: float, number: int,
         parent: ET.Element | None = None) -> None:  # fmt: skip
    tone = TONES.get(step.tone, TONES["primary"])
    filled = step.state not in ("due", "void", "pending")
    ring: dict[str, object] = {"fill": tone if filled else "#ffffff", "stroke_width": 2,
                               "stroke": TONES["muted"] if step.state in ("void", "pending") else tone}  # fmt: skip
    if step.state in ("void", "pending"):
        ring["stroke_dasharray"] = "3 2"
    c.add("circle", parent, cx=_num(x), cy=_num(y), r=DOT, class_="chart-dot", **ring)
    c.text(x, y + 4, str(number), parent, font_size=SMALL, font_weight="bold",
           text_anchor="middle", fill="#ffffff" if filled else INK)  # fmt: skip


# --- a map of Europe's countries (a choropleth) ------------------------------------------

# ColorBrewer's "Blues", light to dark: one hue, so the steps read by lightness alone, alike
# with every kind of colour vision; countries with none are a light grey. The counts are also
# in each country's tooltip, in the legend's words and in the table.
MAP_STEPS = ("#6baed6", "#3182bd", "#08519c", "#08306b")
MAP_NONE = "#f0f0f0"
MAP_EDGE = "#ffffff"
SWATCH = 14


@dataclass(frozen=True)
class Country:
    """A country on a map: ISO 3166-1 alpha-2 code, name, how many (as a figure), the names
    of those it counts (listed in the table), and the tooltip ("France: 3 cities")."""

    code: str
    name: str
    count: Figure
    members: tuple[str, ...]
    tip: str


def map_bins(top: int) -> list[tuple[int, int | None]]:
    """The steps of the shading, as (lowest, highest; None: and more): one count each up to
    four, else 1, 2 to 4, 5 to 9, 10 and more."""
    if top <= len(MAP_STEPS):
        return [(n, n) for n in range(1, max(1, top) + 1)]
    return [(1, 1), (2, 4), (5, 9), (10, None)]


def _bin_of(count: int, bins: Sequence[tuple[int, int | None]]) -> int:
    for i, (lo, hi) in enumerate(bins):
        if count >= lo and (hi is None or count <= hi):
            return i
    return len(bins) - 1


def country_map(
    id: str, title: str, desc: str, countries: Sequence[Country], *, head: Sequence[str],
    legend: str, none_label: str,
) -> Picture:  # fmt: skip
    """Europe's countries, each with a figure shaded by its step (`map_bins`), the others
    light grey; a shaded country has its tooltip, one too small to see also a dot. Under the
    map the legend: `legend` (what is counted), `none_label`, then each step. A country
    outside the map is in the table only. `head` names the table's columns: country, how
    many, the names."""
    from marketplace.reference.vocabularies import outlines

    shapes = outlines()
    height = float(shapes.view_box.split()[3])
    c = _Canvas(id, title, desc, "map")
    shaded = {k.code: k for k in countries if int(k.count.value) > 0}
    bins = map_bins(max((int(k.count.value) for k in shaded.values()), default=0))
    land = c.add("g", class_="chart-land", stroke=MAP_EDGE, stroke_width="0.5",
                 stroke_linejoin="round")  # fmt: skip
    # The shaded last, so their dark edges are drawn over their grey neighbours' white ones.
    for code, d in sorted(shapes.paths.items(), key=lambda item: item[0] in shaded):
        place = shaded.get(code)
        if place is None:
            c.add("path", land, d=d, fill=MAP_NONE, class_="chart-country", data_country=code)
            continue
        fill = MAP_STEPS[_bin_of(int(place.count.value), bins)]
        node = c.add("path", land, d=d, fill=fill, stroke="#1b1b1b", stroke_width="0.6",
                     class_="chart-country chart-shaded", data_country=code,
                     data_value=str(place.count.value))  # fmt: skip
        ET.SubElement(node, "title").text = place.tip
    for code, place in shaded.items():  # a dot over a country too small to see
        if code in shapes.points:
            x, y = shapes.points[code]
            dot = c.add("circle", cx=_num(x), cy=_num(y), r=4,
                        fill=MAP_STEPS[_bin_of(int(place.count.value), bins)], stroke=INK,
                        stroke_width=1, class_="chart-dot", data_country=code)  # fmt: skip
            ET.SubElement(dot, "title").text = place.tip
    y = height + LINE
    c.text(PAD, y, legend, font_size=SMALL, font_weight="bold", class_="chart-legend")
    items = [(MAP_NONE, none_label)] + [
        (MAP_STEPS[i], str(lo) if hi == lo else f"{lo}\u2013{hi}" if hi else f"≥ {lo}")
        for i, (lo, hi) in enumerate(bins)
    ]  # fmt: skip
    x, y = PAD, y + 8
    key = c.add("g", class_="chart-legend")
    for fill, label in items:
        width = SWATCH + 4 + text_width(label, SMALL) + 12
        if x + width > WIDTH - PAD and x > PAD:
            x, y = PAD, y + LINE + 2
        c.add("rect", key, x=_num(x), y=_num(y), width=SWATCH, height=SWATCH, fill=fill,
              stroke=TRACK_LINE, stroke_width=1)  # fmt: skip
        c.text(x + SWATCH + 4, y + SWATCH - 2, label, key, font_size=SMALL)
        x += width
    table = tuple(
        (k.name, k.count.text, ", ".join(k.members))
        for k in sorted(countries, key=lambda k: (-float(k.count.value), k.name))
    )
    return Picture(id, title, desc, c.finish(y + SWATCH + PAD), tuple(head), table)
