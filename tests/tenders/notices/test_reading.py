"""Reading bytes: the format is detected, bad input is refused clearly, nothing is dropped."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from marketplace.tenders.notices import (
    IncompleteNotice,
    MalformedNotice,
    NoticeError,
    NoticeFormat,
    UnknownNoticeFormat,
    read_notice,
)
from tests.tenders.notices.helpers import EFORMS_EXAMPLES, TED_R209

R209_NAMESPACE = "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"
R209_SAMPLE = next(p for p in TED_R209 if p.stem == "20-320448-001-EXP")
EFORMS_SAMPLE = next(p for p in EFORMS_EXAMPLES if p.stem == "cn_24_minimal")


class TestFormatDetection:
    def test_each_format_is_recognised_by_its_root(self) -> None:
        assert read_notice(R209_SAMPLE.read_bytes()).format is NoticeFormat.TED_R209
        assert read_notice(EFORMS_SAMPLE.read_bytes()).format is NoticeFormat.EFORMS

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"   \n", "empty"),
            (b"<TED_EXPORT><unclosed></TED_EXPORT>", "not well-formed"),
            (b"\x89PNG\r\n\x1a\n", "not well-formed"),
            (b'{"notice": 1}', "not well-formed"),
        ],
    )
    def test_what_is_not_xml_is_refused(self, data: bytes, message: str) -> None:
        with pytest.raises(MalformedNotice, match=message):
            read_notice(data)

    def test_an_unknown_document_names_what_it_is_and_what_is_read(self) -> None:
        with pytest.raises(UnknownNoticeFormat, match=r"<Invoice>.*neither"):
            read_notice(
                b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
            )

    def test_an_older_ted_schema_is_refused_by_name(self) -> None:
        older = R209_SAMPLE.read_bytes().replace(b"R2.0.9/publication", b"R2.0.8/publication")
        with pytest.raises(UnknownNoticeFormat, match=r"only R2\.0\.9"):
            read_notice(older)

    def test_an_eforms_notice_without_its_type_is_incomplete(self) -> None:
        data = EFORMS_SAMPLE.read_bytes()
        start = data.index(b"<cbc:NoticeTypeCode")
        end = data.index(b"</cbc:NoticeTypeCode>") + len(b"</cbc:NoticeTypeCode>")
        with pytest.raises(IncompleteNotice, match="notice type"):
            read_notice(data[:start] + data[end:])

    def test_a_ted_export_without_a_form_is_incomplete(self) -> None:
        data = R209_SAMPLE.read_bytes()
        start = data.index(b"<F02_2014")
        end = data.index(b"</F02_2014>") + len(b"</F02_2014>")
        with pytest.raises(IncompleteNotice, match="without a form"):
            read_notice(data[:start] + data[end:])

    def test_every_refusal_is_a_notice_error(self) -> None:
        assert issubclass(MalformedNotice, NoticeError)
        assert issubclass(UnknownNoticeFormat, NoticeError)
        assert issubclass(IncompleteNotice, NoticeError)
        assert issubclass(NoticeError, ValueError)


class TestUntrustedXml:
    def test_external_entities_are_never_read(self, tmp_path: Path) -> None:
        secret = tmp_path / "secret.txt"
        secret.write_text("do-not-leak")
        doctype = f'<!DOCTYPE TED_EXPORT [<!ENTITY x SYSTEM "file://{secret}">]>'
        data = R209_SAMPLE.read_bytes().replace(
            b'<?xml version="1.0" encoding="UTF-8"?>',
            b'<?xml version="1.0" encoding="UTF-8"?>' + doctype.encode(),
        )
        data = data.replace(b"<P>", b"<P>&x;", 1)
        with pytest.raises(MalformedNotice, match="DOCTYPE") as refused:
            read_notice(data)
        assert "do-not-leak" not in str(refused.value)

    def test_entity_expansion_bombs_are_refused(self) -> None:
        entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
        bomb = (
            f'<?xml version="1.0"?><!DOCTYPE TED_EXPORT [{entities}]>'
            f'<TED_EXPORT xmlns="{R209_NAMESPACE}">&i;</TED_EXPORT>'
        ).encode()
        # libxml2 stops the amplification itself; the DOCTYPE rule would refuse it anyway
        with pytest.raises(MalformedNotice, match=r"DOCTYPE|entity amplification"):
            read_notice(bomb)


class TestNothingIsSilentlyDropped:
    def test_an_element_the_reader_does_not_know_is_reported_with_its_path(self) -> None:
        data = EFORMS_SAMPLE.read_bytes().replace(
            b"<cbc:RegulatoryDomain>",
            b"<cbc:Note>an element no parser reads</cbc:Note><cbc:RegulatoryDomain>",
            1,
        )
        notice = read_notice(data)
        (line,) = [u for u in notice.unmapped if u.value == "an element no parser reads"]
        assert line.path == "/ContractNotice/cbc:Note"
        assert line.reason == "not read by the importer"

    def test_an_unknown_code_is_reported_and_the_value_kept(self) -> None:
        data = EFORMS_SAMPLE.read_bytes().replace(
            b'listName="procurement-procedure-type">open<',
            b'listName="procurement-procedure-type">brand-new<',
        )
        notice = read_notice(data)
        assert notice.procedure.type is None and notice.procedure.given == "brand-new"
        assert any(u.value == "brand-new" and "unknown" in u.reason for u in notice.unmapped)

    def test_a_code_that_is_not_cpv_is_kept_as_given_and_reported(self) -> None:
        data = R209_SAMPLE.read_bytes().replace(b'CPV_CODE CODE="', b'CPV_CODE CODE="99', 1)
        notice = read_notice(data)
        assert notice.main_cpv is not None and notice.main_cpv.code is None
        assert notice.main_cpv.given.startswith("99")
        assert any("not a CPV" in u.reason for u in notice.unmapped)

    def test_what_is_read_is_not_reported(self) -> None:
        notice = read_notice(EFORMS_SAMPLE.read_bytes())
        reported = {u.path for u in notice.unmapped}
        assert not any(p.endswith(("/cbc:ContractFolderID", "/cbc:IssueDate")) for p in reported)


class TestTheValue:
    def test_it_is_frozen(self) -> None:
        notice = read_notice(EFORMS_SAMPLE.read_bytes())
        with pytest.raises(dataclasses.FrozenInstanceError):
            notice.title = "changed"  # type: ignore[misc]

    def test_reading_twice_gives_equal_values(self) -> None:
        data = R209_SAMPLE.read_bytes()
        assert read_notice(data) == read_notice(data)

    def test_deadlines_are_timezone_aware(self) -> None:
        notice = read_notice(R209_SAMPLE.read_bytes())
        assert notice.submission_deadline is not None
        assert notice.submission_deadline.utcoffset() is not None
        assert notice.submission_deadline.isoformat() == "2020-09-25T12:00:00+01:00"
