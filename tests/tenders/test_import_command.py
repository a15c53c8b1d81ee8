"""`marketplace tenders import`: a folder of notices in, a report per notice out."""

from __future__ import annotations

import shutil
from pathlib import Path

from marketplace.settings import Settings
from tests.commands import run_command
from tests.tenders.notices.helpers import EFORMS_EXAMPLES, TED_R209


def _run(settings: Settings, *argv: str) -> tuple[int, str]:
    """The command as `marketplace tenders import ARGV` runs it."""
    return run_command(settings, "tenders import", *argv)


def test_a_folder_is_imported_with_a_report_per_notice_and_again_changes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    for path in (TED_R209[0], EFORMS_EXAMPLES[0]):
        shutil.copy(path, folder / path.name)
    (folder / "broken.xml").write_bytes(b"<ContractNotice")

    code, out = _run(settings, str(folder), "--unmapped", "--report", str(tmp_path / "r.json"))
    assert code == 1  # one file was refused
    assert out.count("created ") == 2 and "/tenders/" in out
    assert "refused" in out and "broken.xml" in out and "not well-formed" in out.lower()
    assert "2 created, 0 updated, 0 unchanged, 1 refused" in out
    assert (tmp_path / "r.json").read_text().count('"status"') == 3

    code, out = _run(
        settings, str(folder / TED_R209[0].name), str(folder / EFORMS_EXAMPLES[0].name)
    )
    assert code == 0
    assert "0 created, 0 updated, 2 unchanged, 0 refused" in out
    assert "Already imported; nothing changed." in out
