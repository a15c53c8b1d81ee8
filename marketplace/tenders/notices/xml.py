"""Safe XML parsing, and a reader that remembers which parts of a notice it has read.

The parsers read a notice through `Reader`; every element or attribute they take is marked.
What is left unmarked at the end is what the neutral value does not carry, and goes into
the notice's `unmapped` report: that is how "never silently dropped" is kept without a
parser having to list what it ignores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache

from lxml import etree

from marketplace.tenders.notices import mapping
from marketplace.tenders.notices.model import Identifier, Money, Nuts, Unmapped

Element = etree._Element


class NoticeError(ValueError):
    """The bytes are not a notice this package can read; the message says why."""


class MalformedNotice(NoticeError):
    """Not well-formed XML."""


class UnknownNoticeFormat(NoticeError):
    """Well-formed XML, but neither TED XML R2.0.9 nor eForms."""


class IncompleteNotice(NoticeError):
    """A notice of a known format that lacks what every notice of it must have."""


# No DTDs, no entities, no network: a notice is data from outside, and XML's external
# entities would let it read files or reach hosts. Comments and processing instructions
# are dropped (the eForms converter writes its field names as comments).
def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )


def parse(data: bytes) -> Element:
    if not data.strip():
        raise MalformedNotice("the file is empty")
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedNotice(f"not well-formed XML: {exc}") from None
    if root is None:
        raise MalformedNotice("no root element")
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]  # absent from lxml-stubs
        # TED and eForms notices never carry a document type declaration; one that does is
        # either not a notice or trying entities (files, expansion bombs) on the reader.
        raise MalformedNotice("a DOCTYPE declaration is not accepted in a notice")
    return root


def all_text(element: Element) -> str:
    """Every text inside an element, in document order."""
    return "".join(str(t) for t in element.itertext())


def local_name(element: Element) -> str:
    return etree.QName(element).localname


_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str | None:
    """Text with runs of white space made one space; None for nothing."""
    if text is None:
        return None
    text = _SPACES.sub(" ", text).strip()
    return text or None


@cache
def _xpath(path: str, namespaces: tuple[tuple[str, str], ...]) -> etree.XPath:
    """Compiled once per process: the parsers ask the same few hundred paths of every notice."""
    return etree.XPath(path, namespaces=dict(namespaces))


class Reader:
    """XPath over one notice, remembering what was read.

    Reading an element marks it and its attributes; reading rich text (R2.0.9 `<P>`
    paragraphs) marks the paragraphs too. `report()` records a specific reason for
    something read but not mapped (an unknown code, a placeholder identifier), which also
    keeps it out of the generic "not read" lines.
    """

    def __init__(
        self, root: Element, namespaces: dict[str, str], shown: dict[str, str] | None = None
    ) -> None:
        self.root = root
        self.ns = namespaces
        # How paths in the report name namespaces: `shown` overrides the XPath prefixes
        # (R2.0.9 elements read best without one, as the schema documentation writes them).
        self._prefixes = {uri: prefix for prefix, uri in namespaces.items() if prefix}
        self._prefixes.update(shown or {})
        self._read: set[Element] = set()
        self._above_read: set[Element] = set()
        self._namespaces = tuple(sorted(namespaces.items()))
        self._unmapped: list[Unmapped] = []

    # --- finding -------------------------------------------------------------------------

    def all(self, context: Element, path: str) -> list[Element]:
        found = _xpath(path, self._namespaces)(context)
        assert isinstance(found, list)
        return [e for e in found if isinstance(e, etree._Element)]

    def one(self, context: Element, path: str) -> Element | None:
        found = self.all(context, path)
        return found[0] if found else None

    # --- reading (marks) -----------------------------------------------------------------

    def mark(self, element: Element | None, *, deep: bool = False) -> None:
        if element is None:
            return
        self._read.add(element)
        if deep:
            self._read.update(element.iter())

    def flag(self, context: Element, path: str) -> bool:
        """Whether an (empty) indicator element is present, e.g. `<NO_OPTIONS/>`."""
        found = self.all(context, path)
        for element in found:
            self.mark(element)
        return bool(found)

    def text(self, context: Element, path: str) -> str | None:
        """The text of the first match, paragraphs joined by blank lines."""
        element = self.one(context, path)
        if element is None:
            return None
        return self.text_of(element)

    def text_of(self, element: Element) -> str | None:
        self.mark(element, deep=True)
        paragraphs = [clean(p.text if len(p) == 0 else all_text(p)) for p in element]
        if paragraphs and all(local_name(p) == "P" for p in element):
            return "\n\n".join(p for p in paragraphs if p) or None
        return clean(all_text(element))

    def texts(self, context: Element, path: str) -> list[str]:
        return [t for e in self.all(context, path) if (t := self.text_of(e))]

    def attr(self, context: Element, path: str, name: str) -> str | None:
        element = self.one(context, path)
        if element is None:
            return None
        return self.attr_of(element, name)

    def attr_of(self, element: Element, name: str) -> str | None:
        self.mark(element)
        value = element.get(name)
        return clean(value)

    # --- values both formats write alike ------------------------------------------------

    def money(self, element: Element | None, currency_attribute: str) -> Money | None:
        """An amount and its currency (`VAL_*@CURRENCY`, `cbc:*Amount@currencyID`)."""
        if element is None:
            return None
        text = (self.text_of(element) or "").replace(" ", "")
        currency = self.attr_of(element, currency_attribute)
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.report(element, "not an amount")
            return None
        if not currency or not amount.is_finite():
            self.report(element, "an amount without a currency")
            return None
        return Money(amount=amount, currency=currency.upper())

    def nuts(self, element: Element, given: str) -> Nuts:
        """A NUTS code as given and in 2024; an approximation or a miss is reported."""
        nuts = mapping.translate_nuts(given)
        problem = mapping.nuts_problem(nuts)
        if problem:
            self.report(element, problem, given)
        return nuts

    def identifier(
        self, element: Element, value: str | None, country: str | None, scheme: str | None
    ) -> Identifier | None:
        """A legal identifier with its register; placeholders and unknown registers reported."""
        if not value:
            return None
        if mapping.is_placeholder_identifier(value):
            self.report(element, "a placeholder, not an identifier", value)
            return None
        found = mapping.identifier_scheme(value, country, scheme)
        if found is None:
            shown = f"{value} (scheme {scheme!r})" if scheme else value
            self.report(element, "identifier of an unknown register (kept without a scheme)", shown)
        return Identifier(id=value, scheme=found)

    # --- reporting -----------------------------------------------------------------------

    def report(self, element: Element, reason: str, value: str | None = None) -> None:
        """Record that an element was read but could not be mapped, and why."""
        self.mark(element, deep=True)
        if value is None:
            value = clean(all_text(element)) or None
        self._unmapped.append(Unmapped(path=self.path(element), value=value, reason=reason))

    def note(self, element: Element, reason: str, value: str | None) -> None:
        """Record something about an element without marking anything as read."""
        self._unmapped.append(Unmapped(path=self.path(element), value=value, reason=reason))

    def ignore(self, element: Element | None, reason: str) -> None:
        """Record a whole subtree as not read (one line instead of one per leaf)."""
        if element is None:
            return
        self.mark(element, deep=True)
        self._unmapped.append(Unmapped(path=self.path(element), value=None, reason=reason))

    def leftovers(self, scopes: Iterable[Element]) -> tuple[Unmapped, ...]:
        """The explicit reports, then everything unread within `scopes`.

        A subtree nobody read at all (a review body's address, a paragraph of additional
        information) is one line with its whole text, not one line per leaf.
        """
        found = list(self._unmapped)
        # Every element with something read below it, found once from the read elements up.
        for element in self._read:
            for ancestor in element.iterancestors():
                if ancestor in self._above_read:
                    break
                self._above_read.add(ancestor)
        for scope in scopes:
            for element in self._unread(scope):
                attributes = " ".join(
                    f"@{etree.QName(k).localname}={v!s}" for k, v in element.attrib.items()
                )
                text = clean(" ".join(str(t) for t in element.itertext() if str(t).strip()))
                shown = " ".join(x for x in (text, attributes) if x) or None
                found.append(
                    Unmapped(
                        path=self.path(element), value=shown, reason="not read by the importer"
                    )
                )
        return tuple(found)

    def _unread(self, element: Element) -> Iterator[Element]:
        if not isinstance(element.tag, str):
            return
        if element not in self._read and element not in self._above_read:
            yield element
            return
        if element not in self._read and (clean(element.text) or element.attrib):
            yield element
        for child in element:
            yield from self._unread(child)

    def path(self, element: Element) -> str:
        """`/ContractNotice/cac:ProcurementProjectLot[2]/cbc:ID`: readable, unambiguous."""
        steps: list[str] = []
        node: Element | None = element
        while node is not None:
            qname = etree.QName(node)
            prefix = self._prefixes.get(qname.namespace or "")
            name = f"{prefix}:{qname.localname}" if prefix else qname.localname
            parent = node.getparent()
            if parent is not None:
                same = [c for c in parent if c.tag == node.tag]
                if len(same) > 1:
                    name += f"[{same.index(node) + 1}]"
            steps.append(name)
            node = parent
        return "/" + "/".join(reversed(steps))
