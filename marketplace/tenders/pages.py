"""HTML pages for tenders."""

handlers: list[object] = []
