"""The redaction guard knows every report pulled into the desk, with no manual step."""

from __future__ import annotations

from pathlib import Path

from tests.unit.desk.deskkit import Editors, new_source, open_workspace, submit

from quietwire.desk._bulletins_publish import Draft, check, new_bulletin

REPORT = (
    "On Tuesday morning the fighters came to the school near the clock tower and ordered every "
    "man between eighteen and forty to line up and give blood for their wounded"
)


def test_pulled_reports_and_designations_are_guarded(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    # Given a report pulled into the desk
    source = new_source(editors.instance)
    submit(editors.instance, source, REPORT, report={"where": "Raqqa"})
    root = tmp_path / "ws"
    ws = open_workspace(root, desk_url, editors["alice"])
    ws.pull()
    [view] = ws.sources()
    ws.close()

    # When a bulletin copies the source's own words, or names the source's designation
    copied = new_bulletin(root, Draft(title="Blood", body=f"Residents say: {REPORT}."))
    named = new_bulletin(root, Draft(title="Blood", body=f"Our source {view.designation} said so."))
    clean = new_bulletin(root, Draft(title="Blood", body="Men were forced to give blood."))

    # Then the guard refuses both, and lets a rewritten bulletin through
    assert any(
        "verbatim" in msg.lower() or "copied" in msg.lower() for _, msg in check(root, copied)
    )
    assert any(
        view.designation in msg or "designation" in msg.lower() for _, msg in check(root, named)
    )
    assert check(root, clean) == []
