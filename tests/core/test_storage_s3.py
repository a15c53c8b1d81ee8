"""The S3 storage (`core.storage.S3Storage`, `MARKETPLACE_STORAGE=s3`) through boto3 against
**moto's emulation of S3, not AWS**: moto's server mode (`moto.server.ThreadedMotoServer`)
answers real HTTP on a free loopback port (`moto_s3` in tests/conftest.py), so every request
is signed, sent and parsed as it would be for MinIO, Ceph or AWS. What moto does not
emulate (AWS's consistency and throttling, IAM policies, a real network) is not tested here.

The same behaviour as the local storage (`storage_behaviour.StorageBehaviour`), what is S3's
own (object names, content type, the startup errors), and one tender document uploaded and
downloaded through the app configured with `MARKETPLACE_STORAGE=s3`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import ValidationError

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.core.storage import (
    S3Storage,
    StorageDown,
    StorageMisconfigured,
    content_hash,
    storage_from,
)
from marketplace.settings import Settings
from tests.core.storage_behaviour import PDF, StorageBehaviour
from tests.factories import Api
from tests.tenders.helpers import joint
from tests.tenders.test_documents import SECRET_PLAN, assert_served, attach, upload

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

REGION = "eu-west-1"


def client(endpoint: str) -> S3Client:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION)


class TestS3Storage(StorageBehaviour):
    @pytest.fixture
    def storage(self, moto_s3: str, s3_bucket: str) -> S3Storage:
        return S3Storage(client(moto_s3), s3_bucket, prefix="/marketplace/documents/")

    def test_objects_are_named_by_hash_under_the_prefix_as_octet_streams(
        self, storage: S3Storage, moto_s3: str, s3_bucket: str
    ) -> None:
        key = storage.put(PDF)
        s3 = client(moto_s3)
        names = [o["Key"] for o in s3.list_objects_v2(Bucket=s3_bucket)["Contents"]]
        assert names == [f"marketplace/documents/{key[:2]}/{key}"]
        head = s3.head_object(Bucket=s3_bucket, Key=names[0])
        assert head["ContentType"] == "application/octet-stream"
        assert head["ContentLength"] == len(PDF)

    def test_only_the_prefixs_blobs_are_listed(
        self, storage: S3Storage, moto_s3: str, s3_bucket: str
    ) -> None:
        key = storage.put(PDF)
        s3 = client(moto_s3)
        other = content_hash(b"another application's")
        for name in (f"backups/{other[:2]}/{other}", "marketplace/documents/README",
                     f"marketplace/documents/zz/{other}"):  # fmt: skip
            s3.put_object(Bucket=s3_bucket, Key=name, Body=b"x")
        assert [b.key for b in storage.blobs()] == [key]

    def test_a_bucket_has_no_leftovers_a_put_is_atomic(
        self, storage: S3Storage, moto_s3: str, s3_bucket: str
    ) -> None:
        key = storage.put(PDF)
        name = f"{key[:2]}/.upload-x1y2"  # not one of ours: S3Storage never writes such a key
        client(moto_s3).put_object(Bucket=s3_bucket, Key=f"marketplace/documents/{name}", Body=b"x")
        assert list(storage.leftovers()) == [] and storage.leftover(name) is None
        storage.delete_leftover(name)  # nothing to do
        with pytest.raises(ValueError):
            storage.leftover("../secret_key")

    def test_without_a_prefix_at_the_buckets_root(self, moto_s3: str, s3_bucket: str) -> None:
        storage = S3Storage(client(moto_s3), s3_bucket)
        key = storage.put(PDF)
        assert (
            client(moto_s3).get_object(Bucket=s3_bucket, Key=f"{key[:2]}/{key}")["Body"].read()
            == PDF
        )


class TestStartupErrors:
    def test_s3_without_a_bucket_says_what_to_set(self, settings: Settings) -> None:
        with pytest.raises(ValidationError, match="MARKETPLACE_S3_BUCKET"):
            Settings(**{**settings.model_dump(), "storage": "s3", "s3_bucket": None})

    def test_s3_without_boto3_says_what_to_install(
        self, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "boto3", None)  # what `import boto3` sees uninstalled
        chosen = settings.model_copy(update={"storage": "s3", "s3_bucket": "never-built"})
        with pytest.raises(StorageMisconfigured, match=r"pip install 'icc-marketplace\[s3\]'"):
            storage_from(chosen)
        with pytest.raises(StorageMisconfigured):  # at startup, not at the first upload
            create_app(chosen)

    def test_s3_without_credentials_says_where_they_come_from(
        self, settings: Settings, moto_s3: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            monkeypatch.delenv(name)
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance role to ask
        chosen = settings.model_copy(update={
            "storage": "s3", "s3_bucket": "no-credentials", "s3_endpoint_url": moto_s3,
        })  # fmt: skip
        with pytest.raises(StorageMisconfigured, match="AWS_ACCESS_KEY_ID"):
            storage_from(chosen)

    def test_local_by_default(self, settings: Settings) -> None:
        assert settings.storage == "local" and storage_from(settings).name == "local"


# --- through the app, MARKETPLACE_STORAGE=s3 ------------------------------------------------


@pytest.fixture(scope="module")
def s3_settings(
    settings: Settings, moto_s3: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    bucket = "tender-documents"
    client(moto_s3).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return settings.model_copy(update={
        "storage": "s3", "s3_bucket": bucket, "s3_endpoint_url": moto_s3, "s3_region": REGION,
        "s3_prefix": "documents", "documents_dir": tmp_path_factory.mktemp("never-written"),
    })  # fmt: skip


@pytest.fixture(scope="module")
def s3_app(s3_settings: Settings, shared_clock: FrozenClock) -> Iterator[Litestar]:
    yield create_app(s3_settings, clock=shared_clock)


@pytest.fixture
def app(s3_app: Litestar, clock: FrozenClock) -> Litestar:
    return s3_app


class TestThroughTheApp:
    async def test_a_tender_document_is_uploaded_to_the_bucket_and_downloaded_back(
        self, api: Api, clock: FrozenClock, s3_settings: Settings, moto_s3: str
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await upload(api, tender["id"], j.lead)
        assert r.status_code == 201, r.text
        doc: dict[str, Any] = r.json()
        assert doc["sha256"] == content_hash(PDF)
        name = f"documents/{doc['sha256'][:2]}/{doc['sha256']}"
        stored = client(moto_s3).get_object(Bucket="tender-documents", Key=name)
        assert stored["Body"].read() == PDF
        assert s3_settings.documents_dir is not None
        assert os.listdir(s3_settings.documents_dir) == []  # nothing on the disk

        d = await api.client.get(doc["download_url"])
        assert_served(d, PDF, "application/pdf",
                      'attachment; filename="specifications.pdf"; '
                      "filename*=UTF-8''specifications.pdf")  # fmt: skip

    async def test_a_sealed_attachment_stays_sealed(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        attachment = (await attach(api, tender["id"], rid, j.supplier)).json()
        url = attachment["download_url"]
        assert_served(await api.client.get(url, headers=j.supplier.headers), SECRET_PLAN,
                      "application/pdf",
                      'attachment; filename="pricing.pdf"; filename*=UTF-8\'\'pricing.pdf',
                      cache="private, no-store")  # fmt: skip
        refused = await api.client.get(url, headers=j.lead.headers)
        assert refused.status_code == 403 and b"secret" not in refused.content


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


class TestWhenTheServiceIsDown:
    def test_every_call_is_unavailable_not_a_crash(self, moto_s3: str) -> None:
        import boto3
        from botocore.config import Config

        s3 = boto3.client(
            "s3", endpoint_url=f"http://127.0.0.1:{closed_port()}", region_name=REGION,
            config=Config(retries={"max_attempts": 1}, connect_timeout=1),
        )  # fmt: skip
        storage = S3Storage(s3, "anything")
        key = content_hash(PDF)
        for call in (lambda: storage.put(PDF), lambda: storage.open(key),
                     lambda: storage.exists(key), lambda: list(storage.blobs()),
                     lambda: storage.delete(key)):  # fmt: skip
            with pytest.raises(StorageDown) as raised:
                call()
            assert raised.value.status == 503 and raised.value.code == "unavailable"

    async def test_an_upload_is_503_and_changes_nothing(
        self, api: Api, clock: FrozenClock, s3_settings: Settings
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        down = create_app(
            s3_settings.model_copy(update={"s3_endpoint_url": f"http://127.0.0.1:{closed_port()}"}),
            clock=clock,
        )
        async with AsyncTestClient(app=down) as client:
            r = await client.post(
                f"/api/v1/tenders/{tender['id']}/documents",
                data={"title": "Specifications", "kind": "technicalSpecifications"},
                files={"file": ("specifications.pdf", PDF, "application/pdf")},
                headers=j.lead.headers,
            )
        assert r.status_code == 503, r.text
        assert r.json()["code"] == "unavailable"
        assert "not answering" in r.json()["detail"]
        listed = await api.client.get(f"/api/v1/tenders/{tender['id']}/documents")
        assert listed.json()["total"] == 0
