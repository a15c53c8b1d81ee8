"""What an uploaded file is, by its content, and how it is named when served.

The type of a file is read from its first bytes (and, for the ZIP-based office formats, from
the archive's own table of contents), never taken from the client's `Content-Type` or the
filename: an HTML page renamed `.pdf` is HTML. Only the types of `ACCEPTED` are kept, and a
file's name must end with an extension of the type it really is, so nothing is served under
a name that makes a desktop open it as something else.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class FileType:
    media_type: str
    label: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", "PDF", (".pdf",))
ODT = FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",))
ODS = FileType(
    "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet", (".ods",)
)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
    (".docx",),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel spreadsheet",
    (".xlsx",),
)
CSV = FileType("text/csv", "CSV", (".csv",))
TEXT = FileType("text/plain", "Plain text", (".txt", ".text"))
PNG = FileType("image/png", "PNG image", (".png",))
JPEG = FileType("image/jpeg", "JPEG image", (".jpg", ".jpeg"))
ZIP = FileType("application/zip", "ZIP archive", (".zip",))

ACCEPTED: tuple[FileType, ...] = (PDF, ODT, ODS, DOCX, XLSX, CSV, TEXT, PNG, JPEG, ZIP)
BY_MEDIA_TYPE = {t.media_type: t for t in ACCEPTED}

_ODF = {ODT.media_type.encode(): ODT, ODS.media_type.encode(): ODS}
# Text that a browser would run or render as a page if it were ever shown inline.
_MARKUP = re.compile(rb"^\s*(<!doctype|<html|<head|<body|<script|<svg|<\?xml|<iframe|<!--)", re.I)
_ACTIVE = re.compile(rb"<(script|html|iframe|object|embed|svg)\b", re.I)
# Control characters no text file has (tab, line feed, form feed and carriage return do).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _zip_type(data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = _ODF.get(archive.read("mimetype").strip())
                if kind is not None:
                    return kind
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        pass
    return ZIP


def _text_type(data: bytes, filename: str) -> FileType | None:
    if _CONTROL.search(data) or _MARKUP.match(data) or _ACTIVE.search(data):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return CSV if filename.lower().endswith(".csv") else TEXT


def sniff(data: bytes, filename: str = "") -> FileType | None:
    """The accepted type this content is, or None (HTML, executables, anything else)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_type(data)
    return _text_type(data.removeprefix(b"\xef\xbb\xbf"), filename)


def accepted_labels() -> str:
    return ", ".join(dict.fromkeys(t.label for t in ACCEPTED))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/:*?<>|;]+")


def safe_filename(name: str, fallback: str = "document") -> str:
    """The last part of whatever path the client sent, without control characters, quotes,
    separators or leading dots, at most 150 characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 150 - len(extension) - 1] + dot + extension) if dot else name[:150]
    return name or fallback


def content_disposition(filename: str) -> str:
    """`attachment`, with an ASCII `filename` for old clients and the exact name as RFC 6266
    `filename*` (UTF-8, percent-encoded)."""
    name = safe_filename(filename)
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "document"
    )
    ascii_name = ascii_name.replace('"', "_").replace("%", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
