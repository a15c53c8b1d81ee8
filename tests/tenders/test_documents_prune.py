"""`marketplace documents prune`: stored files that no document or attachment references,
and that nobody stored for the grace period, are deleted; on the local disk and in S3
(moto's emulation of S3 on loopback, tests/conftest.py `moto_s3`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from anyio import sleep, to_thread

from marketplace.clock import FrozenClock
from marketplace.core.storage import LocalStorage, Storage, storage_from
from marketplace.settings import Settings
from tests.commands import run_command
from tests.factories import Api
from tests.tenders.helpers import joint
from tests.tenders.test_documents import PDF, SECRET_PLAN, attach, upload

# S3 dates objects to the second: "old" is a few seconds here. The upload "in flight" is put
# again just before each run (a put of stored content refreshes its date), so only one run's
# own duration counts against the grace, even on a loaded machine.
GRACE_SECONDS = 3.0
FORGOTTEN = b"%PDF-1.7\nremoved from a draft long ago\n%%EOF\n"
IN_FLIGHT = b"%PDF-1.7\nbeing uploaded right now\n%%EOF\n"


def run(settings: Settings, *argv: str) -> tuple[int, str]:
    """The command as `marketplace documents prune ARGV` runs it."""
    return run_command(settings, "documents prune", *argv)


@pytest.fixture(params=["local", "s3"])
def chosen(request: pytest.FixtureRequest, settings: Settings, tmp_path: object) -> Settings:
    """Settings whose storage holds only what the test stores (the app's own uploads go to
    the suite's storage: what is referenced is the database's business, not the files')."""
    if request.param == "local":
        return settings.model_copy(update={"documents_dir": tmp_path})
    moto_s3, bucket = request.getfixturevalue("moto_s3"), request.getfixturevalue("s3_bucket")
    return settings.model_copy(update={
        "storage": "s3", "s3_bucket": bucket, "s3_endpoint_url": moto_s3,
        "s3_region": "eu-west-1", "s3_prefix": "prune",
    })  # fmt: skip


async def test_only_old_unreferenced_files_go_and_a_dry_run_deletes_nothing(
    api: Api, clock: FrozenClock, chosen: Settings
) -> None:
    j = await joint(api)
    tender = await j.published(api, clock)
    assert (await upload(api, tender["id"], j.lead)).status_code == 201  # references PDF
    rid = (await j.respond(api, tender)).json()["id"]
    assert (await attach(api, tender["id"], rid, j.supplier)).status_code == 201  # SECRET_PLAN

    storage: Storage = storage_from(chosen)
    document, attachment, forgotten = (storage.put(c) for c in (PDF, SECRET_PLAN, FORGOTTEN))
    await sleep(GRACE_SECONDS + 1.0)
    in_flight = storage.put(IN_FLIGHT)  # stored, its row not yet committed
    hours = f"{GRACE_SECONDS / 3600:.6f}"

    code, out = await to_thread.run_sync(run, chosen, "--older-than", hours, "--dry-run")
    assert code == 0, out
    assert f"would delete {forgotten}  {len(FORGOTTEN)} bytes" in out
    assert f"1 unreferenced file(s), {len(FORGOTTEN)} bytes, would delete" in out
    assert "kept 2 referenced and 1 unreferenced newer than" in out
    assert "dry run: nothing deleted" in out
    # A bucket's put is atomic (nothing half-stored), and these local puts all finished.
    assert "0 temporary file(s) of interrupted uploads, 0 bytes, would delete; kept 0" in out
    assert all(storage.exists(k) for k in (document, attachment, forgotten, in_flight))

    assert storage.put(IN_FLIGHT) == in_flight  # still being uploaded
    code, out = await to_thread.run_sync(run, chosen, "--older-than", hours)
    assert code == 0, out
    assert f"deleted {forgotten}" in out and "1 unreferenced file(s)" in out
    assert not storage.exists(forgotten)
    assert all(storage.exists(k) for k in (document, attachment, in_flight))

    code, out = await to_thread.run_sync(run, chosen)  # the default grace: a day
    assert code == 0 and "0 unreferenced file(s), 0 bytes, deleted" in out
    assert "kept 2 referenced and 1 unreferenced newer than 24 h" in out


def test_a_negative_grace_is_refused(settings: Settings) -> None:
    code, out = run(settings, "--older-than", "-1")
    assert code == 2 and "--older-than" in out


async def test_temporary_files_of_interrupted_uploads_go_once_older_than_the_grace(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    """A crash between `LocalStorage.put`'s write and its rename leaves `ab/.upload-…`; one
    untouched for the grace period goes, one written now (an upload in flight) stays."""
    chosen = settings.model_copy(update={"documents_dir": tmp_path})
    storage = LocalStorage(tmp_path)
    kept = storage.put(FORGOTTEN)
    crashed, in_flight = tmp_path / kept[:2] / ".upload-k2x9q1z0", tmp_path / "0f" / ".upload-a1"
    half, writing = b"%PDF-1.7\nhalf of a pl", b"%PDF-1.7\nbeing written"
    in_flight.parent.mkdir(exist_ok=True)
    crashed.write_bytes(half)
    in_flight.write_bytes(writing)
    two_days_ago = time.time() - 48 * 3600
    os.utime(crashed, (two_days_ago, two_days_ago))
    os.utime(tmp_path / kept[:2] / kept, (time.time() - 3600, time.time() - 3600))

    code, out = await to_thread.run_sync(run, chosen, "--dry-run")
    assert code == 0, out
    assert f"would delete temporary {kept[:2]}/.upload-k2x9q1z0  {len(half)} bytes" in out
    assert (f"1 temporary file(s) of interrupted uploads, {len(half)} bytes, would delete; "
            "kept 1 newer than 24 h") in out  # fmt: skip
    assert "0 unreferenced file(s), 0 bytes, would delete; kept 0 referenced and 1" in out
    assert crashed.exists() and in_flight.exists()

    code, out = await to_thread.run_sync(run, chosen)
    assert code == 0, out
    assert f"deleted temporary {kept[:2]}/.upload-k2x9q1z0" in out
    assert f"1 temporary file(s) of interrupted uploads, {len(half)} bytes, deleted; kept 1" in out
    assert not crashed.exists()
    assert in_flight.exists() and storage.exists(kept)  # the blob: an hour old, a day's grace
    assert [t.name for t in storage.leftovers()] == ["0f/.upload-a1"]

    code, out = await to_thread.run_sync(run, chosen, "--older-than", "0")
    assert code == 0 and f"interrupted uploads, {len(writing)} bytes, deleted; kept 0" in out
    assert not in_flight.exists() and not storage.exists(kept)
