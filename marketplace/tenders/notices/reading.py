"""One entry point for every notice: detect the format from the root element, then parse."""

from __future__ import annotations

from marketplace.tenders.notices import eforms, ted_r209
from marketplace.tenders.notices.model import Notice, NoticeFormat
from marketplace.tenders.notices.xml import Element, UnknownNoticeFormat, local_name, parse


def detect_format(root: Element) -> NoticeFormat:
    if ted_r209.is_ted_r209(root):
        return NoticeFormat.TED_R209
    if eforms.is_eforms(root):
        return NoticeFormat.EFORMS
    namespace = root.nsmap.get(root.prefix)
    if local_name(root) == "TED_EXPORT":
        raise UnknownNoticeFormat(
            f"TED XML in namespace {namespace!r}: only R2.0.9 ({ted_r209.NAMESPACE}) is read"
        )
    raise UnknownNoticeFormat(
        f"<{local_name(root)}> in namespace {namespace!r} is neither a TED XML R2.0.9 export "
        "(<TED_EXPORT>) nor an eForms notice (<ContractNotice>, <ContractAwardNotice>, "
        "<PriorInformationNotice>)"
    )


def read_notice(data: bytes, *, language: str | None = None) -> Notice:
    """Read one notice, TED XML R2.0.9 or eForms, from its bytes.

    `language` (ISO 639-1, e.g. "en") picks that language version of a multilingual notice
    when it has one; by default the notice's original language is read.
    Raises `NoticeError` (`MalformedNotice`, `UnknownNoticeFormat`, `IncompleteNotice`).
    """
    root = parse(data)
    if detect_format(root) is NoticeFormat.TED_R209:
        return ted_r209.parse(root, language=language)
    return eforms.parse(root, language=language)
