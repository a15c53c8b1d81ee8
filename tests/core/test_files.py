"""Uploaded files: their type read from their content, their names made safe, and their
storage content-addressed, atomic and de-duplicated."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from marketplace.core import files
from marketplace.core.storage import LocalStorage
from tests.core.storage_behaviour import StorageBehaviour

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("content.xml", "<office:document-content/>")
        elif kind == "ods":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        elif kind == "docx":
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        elif kind == "xlsx":
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
        else:
            archive.writestr("readme.txt", "plans")
    return buffer.getvalue()


class TestSniffing:
    @pytest.mark.parametrize(
        ("data", "name", "media_type"),
        [
            (PDF, "x.pdf", "application/pdf"),
            (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "x.png", "image/png"),
            (b"\xff\xd8\xff\xe0" + b"\0" * 20, "x.jpg", "image/jpeg"),
            (office("odt"), "x.odt", "application/vnd.oasis.opendocument.text"),
            (office("ods"), "x.ods", "application/vnd.oasis.opendocument.spreadsheet"),
            (office("docx"), "x.docx", files.DOCX.media_type),
            (office("xlsx"), "x.xlsx", files.XLSX.media_type),
            (office("zip"), "x.zip", "application/zip"),
            (b"lot;quantity\n1;120\n", "x.csv", "text/csv"),
            ("Réponses aux questions\n".encode(), "x.txt", "text/plain"),
        ],
    )
    def test_accepted_types_are_read_from_the_content(
        self, data: bytes, name: str, media_type: str
    ) -> None:
        found = files.sniff(data, name)
        assert found is not None and found.media_type == media_type

    @pytest.mark.parametrize(
        "data",
        [
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            b"  <html><body>hi</body></html>",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            b"plain words then <script>alert(1)</script>",
            b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable
            b"\x7fELF\x02\x01\x01",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # legacy .doc/.xls: not on the list
            "caf\xe9".encode("latin-1"),  # not UTF-8
        ],
    )
    def test_markup_executables_and_unknown_content_are_refused(self, data: bytes) -> None:
        assert files.sniff(data, "renamed.pdf") is None


class TestNames:
    def test_path_parts_and_unsafe_characters_are_dropped(self) -> None:
        assert files.safe_filename("../../etc/passwd") == "passwd"
        assert files.safe_filename("C:\\Users\\me\\Plan.pdf") == "Plan.pdf"
        assert files.safe_filename('a"b;\r\nc.pdf') == "a_b_c.pdf"
        assert files.safe_filename(".hidden.pdf") == "hidden.pdf"
        assert files.safe_filename("") == "document"
        long = files.safe_filename("x" * 300 + ".pdf")
        assert len(long) == 150 and long.endswith(".pdf")

    def test_content_disposition_is_an_attachment_with_rfc_6266_filename(self) -> None:
        header = files.content_disposition("Cahier des charges é.pdf")
        assert header.startswith('attachment; filename="Cahier des charges e.pdf"')
        assert "filename*=UTF-8''Cahier%20des%20charges%20%C3%A9.pdf" in header
        assert "\r" not in files.content_disposition("a\r\nSet-Cookie: x.pdf")


class TestLocalStorage(StorageBehaviour):
    @pytest.fixture
    def storage(self, tmp_path: Path) -> LocalStorage:
        return LocalStorage(tmp_path)

    def test_fanned_out_by_hash_and_written_once(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path)
        key = storage.put(PDF)
        path = tmp_path / key[:2] / key
        inode = path.stat().st_ino
        assert storage.put(PDF) == key  # de-duplicated: not written again (only re-dated)
        assert path.stat().st_ino == inode
        assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]  # no temp left

    def test_only_blobs_are_listed(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path)
        key = storage.put(PDF)
        (tmp_path / key[:2] / ".upload-x1y2").write_bytes(b"half a file")  # a crash's leftover
        (tmp_path / "README").write_text("not a blob")
        (tmp_path / "zz").mkdir()
        assert [b.key for b in storage.blobs()] == [key]
        assert list(LocalStorage(tmp_path / "never-created").blobs()) == []

    def test_a_failed_write_leaves_nothing_behind(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import os

        def broken(_src: str, _dst: str) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", broken)
        with pytest.raises(OSError):
            LocalStorage(tmp_path).put(PDF)
        assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


class TestLeftovers:
    """Temporary files of puts interrupted by a crash, for `marketplace documents prune`."""

    def test_listed_by_name_size_and_time_then_deleted(self, tmp_path: Path) -> None:
        storage = LocalStorage(tmp_path)
        key = storage.put(PDF)
        (tmp_path / key[:2] / ".upload-x1y2").write_bytes(b"half a file")
        (tmp_path / key[:2] / "upload-x1y2").write_bytes(b"not ours")
        (tmp_path / "zz").mkdir()
        (tmp_path / "zz" / ".upload-x1y2").write_bytes(b"not a fan-out folder")
        (tmp_path / ".upload-top").write_bytes(b"puts write in a fan-out folder")
        [found] = storage.leftovers()
        assert found.name == f"{key[:2]}/.upload-x1y2" and found.size == len(b"half a file")
        assert storage.leftover(found.name) == found
        storage.delete_leftover(found.name)
        assert list(storage.leftovers()) == [] and storage.leftover(found.name) is None
        assert storage.exists(key)  # the blob beside it stays
        assert list(LocalStorage(tmp_path / "never-created").leftovers()) == []

    @pytest.mark.parametrize(
        "name", ["../.upload-x", "ab/../../etc/passwd", "ab/.upload-../x", "ab/" + "0" * 64, ""]
    )
    def test_a_name_is_a_temporary_never_a_path(self, tmp_path: Path, name: str) -> None:
        storage = LocalStorage(tmp_path)
        for method in (storage.leftover, storage.delete_leftover):
            with pytest.raises(ValueError):
                method(name)
