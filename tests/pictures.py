"""Reading a picture (marketplace/web/charts.py) off a page as a reader's tools would: the SVG
parsed as XML (it must be well-formed), its title, description, words and bars, and the
table behind it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import lxml.html

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Shown:
    svg: ET.Element
    title: str
    desc: str
    texts: list[str]
    bars: list[Decimal]  # each bar's value (data-value), in the order drawn
    head: list[str]
    rows: list[list[str]]  # the table behind it, cell by cell

    @property
    def words(self) -> str:
        return " ".join(self.texts)


def picture(page: str, id: str) -> Shown:
    match = re.search(rf'<figure class="chart" id="{re.escape(id)}">\s*(<svg.*?</svg>)', page, re.S)
    assert match, f"no picture {id!r} on the page"
    svg = ET.fromstring(match.group(1))  # noqa: S314 - our own page, parsed to prove it is XML
    assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("viewBox")
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None and title.text and desc.text
    assert svg.get("aria-labelledby") == title.get("id")
    assert not svg.findall(f".//{SVG}script") and all(e.get("style") is None for e in svg.iter())
    figure = lxml.html.fromstring(page).xpath(f'//figure[@id="{id}"]')[0]
    (table,) = figure.xpath(".//details/table")

    def cells(row: lxml.html.HtmlElement) -> list[str]:
        return [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")]

    return Shown(
        svg=svg, title=title.text, desc=desc.text,
        texts=[" ".join((t.text or "").split()) for t in svg.iter(f"{SVG}text")],
        bars=[Decimal(r.get("data-value", "")) for r in svg.iter(f"{SVG}rect")
              if r.get("class") == "chart-bar"],
        head=cells(table.xpath("./thead/tr")[0]),
        rows=[cells(r) for r in table.xpath("./tbody/tr")],
    )  # fmt: skip


def spaced(text: str) -> str:
    """Text as the picture and the table print it: runs of spaces (and the narrow no-break
    spaces of French numbers) as one space."""
    return " ".join(text.split())
