"""What docs/architecture.md says about the modules is what the modules declare."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.core.module import Modules
from marketplace.modules import ALL

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def test_the_event_catalogue_lists_every_kind_and_its_module() -> None:
    text = DOC.read_text().split("### Event catalogue", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z_.]+)` \| (\w+) \|", text, re.MULTILINE)
    declared = [(e.kind, m.name) for m in Modules(ALL) for e in m.events]
    assert documented == declared


def test_sealed_kinds_are_marked_sealed_in_the_catalogue() -> None:
    text = DOC.read_text().split("### Event catalogue", 1)[1]
    sealed = {e.kind for e in Modules(ALL).events if e.sealed}
    marked = set(re.findall(r"^\| `([a-z_.]+)` \| \w+ \| \*\*sealed\*\*", text, re.MULTILINE))
    assert sealed == marked == {"response.submitted", "response.revised", "response.withdrawn"}


def test_pages_run_no_query_of_their_own() -> None:
    """Pages read through services and read models; a `select(` in a page is a rule or a
    read written a second time."""
    root = Path(__file__).resolve().parents[1] / "marketplace"
    offenders = [
        str(p.relative_to(root)) for p in root.glob("*/pages.py")
        if re.search(r"\bselect\(|db_session\.(execute|scalars?|get)\(", p.read_text())
    ]  # fmt: skip
    assert offenders == []


def test_templates_decide_no_permission() -> None:
    """Templates ask the policies (`"cancel" in actions`); they never combine roles."""
    root = Path(__file__).resolve().parents[1] / "marketplace"
    offenders = [
        str(p.relative_to(root)) for p in root.glob("*/templates/**/*.html")
        if re.search(r"actor\.(can_edit|is_owner|is_member|is_admin)\(?", p.read_text())
    ]  # fmt: skip
    assert offenders == []
