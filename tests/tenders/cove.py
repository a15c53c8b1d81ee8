"""libcoveocds (the checks of OCP's Data Review Tool) run offline on what we publish.

libcoveocds reads the OCDS schema and codelists from a ZIP of the standard (its config's
`standard_zip`, here built in memory from `marketplace/tenders/ocds_schema/`), and each
extension a package declares through `ocdsextensionregistry`'s one HTTP session (a
`requests_cache` session), by its `extension.json` URL or, for GitHub URLs, the repository's
archive ZIP. `offline()` mounts on that session an adapter that answers those URLs from the
bundled extension directories and refuses every other address, so a test that passes
fetched nothing and every declared extension was found locally.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jsonref
import requests
import urllib3
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry import util as registry_util
from requests.adapters import BaseAdapter, HTTPAdapter

from marketplace.tenders.ocds import EXTENSION_URLS, SCHEMA_DIR

CORE_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
CORE = "https://standard.open-contracting.org/schema/1__1__5/"
RAW = re.compile(r"https://raw\.githubusercontent\.com/([^/]+)/([^/]+)/([^/]+)/extension\.json")


@cache
def standard_zip() -> bytes:
    """The standard's `schema/` folder as the release ZIP lays it out (schemas, codelists)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for name in CORE_FILES:
            archive.write(SCHEMA_DIR / name, f"standard-1__1__5/schema/{name}")
        for path in sorted((SCHEMA_DIR / "codelists").glob("*.csv")):
            archive.write(path, f"standard-1__1__5/schema/codelists/{path.name}")
    return buffer.getvalue()


def _directory_zip(top: str, directory: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{top}/", "")
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(directory).as_posix()}")
    return buffer.getvalue()


class BundledExtensions(BaseAdapter):
    """Answers the declared extensions' URLs from `ocds_schema/extensions/<name>/`."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        super().__init__()
        # The core schemas where their ids say they are (a record package's `$ref`s).
        self.files: dict[str, Path] = {CORE + name: SCHEMA_DIR / name for name in CORE_FILES}
        self.archives: dict[str, bytes] = {}
        self.asked: list[str] = []
        for name, url in urls.items():
            directory = SCHEMA_DIR / "extensions" / name
            base = url.removesuffix("extension.json")
            for path in directory.rglob("*"):
                if path.is_file():
                    self.files[base + path.relative_to(directory).as_posix()] = path
            found = RAW.fullmatch(url)
            if found is not None:
                owner, repository, ref = found.groups()
                archive = f"https://github.com/{owner}/{repository}/archive/{ref}.zip"
                self.archives[archive] = _directory_zip(f"{repository}-{ref}", directory)

    def send(self, request: Any, *args: Any, **kwargs: Any) -> requests.Response:
        url = str(request.url)
        self.asked.append(url)
        if url in self.archives:
            body, status = self.archives[url], 200
        elif url in self.files:
            body, status = self.files[url].read_bytes(), 200
        elif url.startswith(("https://raw.githubusercontent.com/open-contracting-extensions/",
                             "https://github.com/open-contracting-extensions/")):  # fmt: skip
            body, status = b"", 404  # a file the extension does not have (its codelists)
        else:
            raise requests.ConnectionError(f"offline: {url} is not a bundled file")
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(body), status=status, reason="OK" if status == 200 else "Not Found",
            preload_content=False, request_url=url, headers={},
        )  # fmt: skip
        response: requests.Response = HTTPAdapter().build_response(request, raw)
        return response

    def close(self) -> None:
        pass


class _Routed:
    """`requests` as jsonref uses it (`requests.get`), through the offline session."""

    def __init__(self, session: requests.Session) -> None:
        self.get = session.get

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)


@contextmanager
def offline(urls: Mapping[str, str] = EXTENSION_URLS) -> Iterator[BundledExtensions]:
    """Extensions and core schemas answered from the bundled files; any other address fails.

    Two clients fetch: ocdsextensionregistry's session (extensions, the standard's ZIP when no
    `standard_zip` is given) and jsonref, which libcoveocds lets resolve the record package
    schema's `$ref` to the versioned release schema with `requests.get`."""
    session = registry_util.session
    before = dict(session.adapters)
    adapter = BundledExtensions(urls)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.cache.clear()  # nothing answered by an earlier test's adapter
    jsonref_requests = jsonref.requests
    jsonref.requests = _Routed(session)
    try:
        yield adapter
    finally:
        jsonref.requests = jsonref_requests
        session.adapters.clear()
        session.adapters.update(before)
        session.cache.clear()


def review(package: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """libcoveocds' report on a release or record package (API context: plain lists), with
    every check on: schema, codelists (core and extensions'), additional fields, the
    additional checks."""
    config = LibCoveOCDSConfig({"standard_zip": standard_zip(), "context": "api"})
    with offline():
        report: dict[str, Any] = ocds_json_output(
            str(workdir), json_data=package, lib_cove_ocds_config=config
        )
    return report


def problems(
    report: dict[str, Any], *, allowed_fields: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """What a publisher would have to fix: empty when libcoveocds found nothing."""
    extensions = report.get("extensions") or {}
    found = {
        "validation_errors": report["validation_errors"],
        "invalid_extensions": extensions.get("invalid_extensions", []),
        "failed_codelists": {
            e["url"]: e["failed_codelists"]
            for e in extensions.get("extensions", [])
            if e.get("failed_codelists")
        },
        "closed_codelists": report["additional_closed_codelist_values"],
        "open_codelists": report["additional_open_codelist_values"],
        "additional_fields": [
            f for f in report["additional_fields"] if f["field"] not in allowed_fields
        ],
        "deprecated_fields": report["deprecated_fields"],
        "additional_checks": report["additional_checks"],
        "json_deref_error": report.get("json_deref_error"),
    }
    return {k: v for k, v in found.items() if v}
