"""Reading published procurement notices: TED XML R2.0.9 and eForms → one neutral `Notice`.

Pure: bytes in, a frozen value out, no database and no network. `read_notice` detects the
format; `docs/import.md` says what is read from each and how it is mapped.
"""

from marketplace.tenders.notices.model import Notice, NoticeFormat, Unmapped
from marketplace.tenders.notices.reading import detect_format, read_notice
from marketplace.tenders.notices.xml import (
    IncompleteNotice,
    MalformedNotice,
    NoticeError,
    UnknownNoticeFormat,
)

__all__ = [
    "IncompleteNotice",
    "MalformedNotice",
    "Notice",
    "NoticeError",
    "NoticeFormat",
    "UnknownNoticeFormat",
    "Unmapped",
    "detect_format",
    "read_notice",
]
