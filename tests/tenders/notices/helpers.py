"""What the tests need to read notices themselves: the files, and plain lxml/XPath.

The expected values in these tests come from the XML through short XPath expressions written
here, not through the parsers' code, so that a parser bug cannot agree with itself.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from lxml import etree

from marketplace.tenders.notices import Notice, read_notice

DATA = Path(__file__).parent / "data"
TED_R209 = sorted((DATA / "ted-xml-r2.0.9").glob("*.xml"))
EFORMS_CONVERTED = sorted((DATA / "eforms-converted").glob("*.xml"))
EFORMS_EXAMPLES = sorted((DATA / "eforms-sdk-examples").glob("*.xml"))
EFORMS = EFORMS_CONVERTED + EFORMS_EXAMPLES

R209 = {"t": "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"}
UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}

EU_TO_ISO = {"UK": "GB", "EL": "GR"}


@cache
def tree(path: Path) -> etree._Element:
    """The notice as lxml reads it (cached: the tests only look)."""
    return etree.parse(str(path)).getroot()


@cache
def parsed(path: Path) -> Notice:
    """The notice as the package reads it (cached: the value is frozen)."""
    return read_notice(path.read_bytes())


def xpath(node: etree._Element, expression: str, ns: dict[str, str]) -> list[str]:
    """Strings (attributes, text()) an XPath finds, stripped."""
    result = node.xpath(expression, namespaces=ns)
    assert isinstance(result, list)
    return [" ".join(str(v).split()) for v in result]


def nodes(node: etree._Element, expression: str, ns: dict[str, str]) -> list[etree._Element]:
    result = node.xpath(expression, namespaces=ns)
    assert isinstance(result, list)
    return [e for e in result if isinstance(e, etree._Element)]


def stamp(moment: datetime | None) -> str | None:
    """A deadline as the XML writes its parts: "2020-05-08 12:00"."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else None
