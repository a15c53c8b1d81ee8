"""The one CSV writer every download uses: cells a spreadsheet would run as formulas are
text, quoting and line breaks survive, downloads carry a BOM so spreadsheets read UTF-8."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from marketplace.web.spreadsheet import (
    amount,
    csv_response,
    day,
    moment,
    safe_cell,
    table,
    to_csv,
)


class TestFormulaInjection:
    def test_cells_starting_with_formula_characters_get_a_quote(self) -> None:
        for dangerous in ("=1+1", "+49 30 1234", "-5%", "@SUM(A1:A2)", "\t=cmd", "\r=cmd"):
            assert safe_cell(dangerous) == "'" + dangerous
        for harmless in ("Bus depot", "2500000.00", "", "a=b", "O'Brien", " =padded"):
            assert safe_cell(harmless) == harmless
        assert safe_cell(None) == ""

    def test_quoting_and_newlines_survive_a_round_trip(self) -> None:
        text = to_csv(("name", "note"), [("Fondazione, Cariplo", 'said "yes"\nthen =no')])
        assert text.startswith("name,note\r\n")
        assert list(csv.reader(io.StringIO(text))) == [
            ["name", "note"],
            ["Fondazione, Cariplo", 'said "yes"\nthen =no'],
        ]

    def test_a_table_neutralises_every_column(self) -> None:
        text = table([("Title", lambda t: t), ("Length", len)], ["=A1", "ok"])
        assert list(csv.reader(io.StringIO(text))) == [["Title", "Length"], ["'=A1", "3"],
                                                       ["ok", "2"]]  # fmt: skip


class TestValues:
    def test_iso_dates_in_utc_and_plain_amounts(self) -> None:
        helsinki = timezone(timedelta(hours=2))
        at = datetime(2026, 4, 30, 23, 30, tzinfo=helsinki)
        assert moment(at) == "2026-04-30T21:30+00:00"
        assert day(at) == "2026-04-30" and day(date(2026, 5, 1)) == "2026-05-01"
        assert day(datetime(2026, 4, 30, 23, 30, tzinfo=UTC)) == "2026-04-30"
        assert moment(None) == day(None) == amount(None) == ""
        assert amount(Decimal("2500000")) == "2500000.00" and amount(12) == "12.00"


class TestResponse:
    def test_a_download_has_a_bom_and_the_api_none(self) -> None:
        download = csv_response("a,b\r\n", "list.csv")
        assert download.content == "\ufeffa,b\r\n"
        assert download.headers["Content-Disposition"] == 'attachment; filename="list.csv"'
        assert csv_response("a,b\r\n", "api.csv", bom=False).content == "a,b\r\n"
