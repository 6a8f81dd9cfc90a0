"""What `desk show` reads: a submission found by the start of its id, its structured
report in the form's order with labels in the editor's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.desk.deskkit import Editors, new_source, open_workspace, submit

from quietwire.desk import DeskError, NotFound
from quietwire.desk._views import report_rows


def test_a_unique_start_of_an_id_finds_the_submission(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    ids = [submit(editors.instance, source, f"report {n}") for n in range(20)]
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    ws.pull()
    for sub_id in ids:
        short = next(
            sub_id[:n] for n in range(4, 33) if sum(i.startswith(sub_id[:n]) for i in ids) == 1
        )
        assert ws.resolve(short) == sub_id and ws.resolve(sub_id.upper()) == sub_id
    # 20 hex ids: some share their first character, which is then ambiguous.
    first = next(i[0] for i in ids if sum(j.startswith(i[0]) for j in ids) > 1)
    with pytest.raises(DeskError, match=r"starts several submissions.*give more of it"):
        ws.resolve(first)
    missing = next(c for c in "0123456789abcdef" if not any(i.startswith("0" + c) for i in ids))
    with pytest.raises(NotFound, match="no submission starting with"):
        ws.resolve("0" + missing)
    with pytest.raises(NotFound, match="give a submission id"):
        ws.resolve("  ")


def test_report_rows_follow_the_form_and_translate_labels_and_how_known() -> None:
    answers = {"other": "more", "how_known": "saw", "what": "a convoy", "where": ""}
    assert report_rows(answers) == [
        ("what", "What happened", "a convoy"),
        ("how_known", "How the source knows", "saw it themselves"),
        ("other", "Anything else", "more"),
    ]
    assert report_rows(answers, "ar")[1] == ("how_known", "كيف عرف المصدر", "رآه بنفسه")
    # A value the form never offers is shown as it came, never dropped.
    assert report_rows({"how_known": "dreamt it"})[0][2] == "dreamt it"
