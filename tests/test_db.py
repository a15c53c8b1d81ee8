"""JSON columns read through msgspec (`marketplace.db.loads_json`) give exactly what
Python's json gave: the same objects for everything stored, including what only json reads."""

from __future__ import annotations

import json
import math

import pytest
from sqlalchemy import JSON, Column, MetaData, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.db import loads_json

STORED = [
    {"metric": "Émissions de CO₂ évitées", "target": 1.1, "baseline": 0.30000000000000004},
    {"nested": [1, 2, {"big": 123456789012345678901234567890}], "none": None, "ok": True},
    "Gdańsk — 45233000-9 \u00e9\u4e2d",
]


@pytest.mark.parametrize("value", STORED)
def test_what_msgspec_reads_is_what_json_reads(value: object) -> None:
    text = json.dumps(value)
    assert loads_json(text) == json.loads(text)
    assert loads_json(text.encode()) == json.loads(text)


def test_text_only_python_json_reads_still_reads() -> None:
    assert math.isnan(loads_json("NaN"))
    assert loads_json('{"a": "\\ud800"}') == {"a": "\ud800"}  # a lone surrogate
    assert loads_json("[1e400]") == [math.inf]
    with pytest.raises(json.JSONDecodeError):
        loads_json("{not json")


async def test_a_json_column_round_trips_through_the_database(engine: AsyncEngine) -> None:
    table = Table("json_probe", MetaData(), Column("id", String(8), primary_key=True),
                  Column("data", JSON))  # fmt: skip
    async with engine.begin() as conn:
        await conn.run_sync(table.create)
        try:
            await conn.execute(insert(table), [{"id": str(n), "data": v}
                                               for n, v in enumerate(STORED)])  # fmt: skip
            rows = (await conn.execute(select(table.c.data).order_by(table.c.id))).scalars()
            assert list(rows) == STORED
        finally:
            await conn.run_sync(table.drop)
