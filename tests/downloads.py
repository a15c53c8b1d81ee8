"""Reading a list page and its CSV download as a person would: which records, in which order."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable

from httpx import AsyncClient, Response

BOM = b"\xef\xbb\xbf"


def csv_rows(r: Response) -> list[dict[str, str]]:
    """The CSV's rows by header, after checking it is a UTF-8 download with a BOM."""
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment; filename=")
    assert r.content.startswith(BOM), r.content[:20]
    return list(csv.DictReader(io.StringIO(r.content[len(BOM) :].decode("utf-8"))))


def csv_header(r: Response) -> list[str]:
    return next(csv.reader(io.StringIO(r.content[len(BOM) :].decode("utf-8"))))


def linked_ids(
    page: str, prefix: str, within: str | None = None, pattern: str | None = None,
    until: str = "</ul>",
) -> list[str]:  # fmt: skip
    """The ids of the records a list links to, in the order shown (each once); `within`:
    only from the first element that opens with this text up to `until` (a list among
    others); `pattern`: a regular expression whose group is the id, where a list does not
    title its records with `<h3><a href="{prefix}{id}">` (a table's rows, the inbox)."""
    if within is not None:
        page = page[page.index(within) :]
        page = page[: page.index(until)]
    found = re.findall(pattern or rf'<h3><a href="{re.escape(prefix)}([^"/#?]+)"', page)
    return list(dict.fromkeys(found))


def link_ids(rows: list[dict[str, str]], column: str, prefix: str) -> list[str]:
    """The ids in a CSV's link column (`https://…/tenders/<id>`)."""
    return [row[column].rsplit(prefix, 1)[1] for row in rows]


def hrefs(page: str, rel: str) -> list[str]:
    """Every link of a kind (`next`, `prev`), unescaped."""
    return [html.unescape(h) for h in re.findall(rf'<a rel="{rel}" href="([^"]+)"', page)]


def download_href(page: str) -> str:
    found = re.search(r'<p class="download"><a href="([^"]+)"', page)
    assert found, "no Download CSV link"
    return html.unescape(found.group(1))


async def every_page(
    client: AsyncClient, url: str, prefix: str, *, within: str | None = None,
    follow: Callable[[str], bool] = lambda href: True, pattern: str | None = None,
    until: str = "</ul>",
) -> list[str]:  # fmt: skip
    """The ids on page 1, 2, ... following the Next links as a reader would (`follow`: which
    Next links are this list's, where a page pages several)."""
    ids: list[str] = []
    following: str | None = url
    while following:
        r = await client.get(following)
        assert r.status_code == 200, r.text
        ids += linked_ids(r.text, prefix, within=within, pattern=pattern, until=until)
        nexts = [h for h in hrefs(r.text, "next") if follow(h)]
        following = nexts[0] if nexts else None
    return ids


async def csv_ids(client: AsyncClient, url: str, prefix: str) -> list[str]:
    """The ids of a CSV download's rows, in its order (its Link column)."""
    return link_ids(csv_rows(await client.get(url)), "Link", prefix)
