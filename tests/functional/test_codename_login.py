"""Issue 13 item 6: an Arabic codename logs in however a source spells its words, and the
codenames drawn before the list and the normaliser changed keep working."""

from __future__ import annotations

import html

from tests.support.server import RunningServer
from tests.support.source_client import SourceClient

from quietwire.crypto import KdfParams, derive_source_keys, normalize_codename
from quietwire.instance import open_instance
from quietwire.intake.services import register_source

_SEATS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي"})


def _spellings(shown: str) -> dict[str, str]:
    """The shown codename retyped as people do, each way applied to every word."""
    return {
        "shown": shown,
        "hamza seats left bare": shown.translate(_SEATS),
        "standalone hamza left off": shown.replace("ء", ""),
        "ta marbuta as ha": shown.replace("ة", "ه"),
        "alef maqsura as ya": shown.replace("ى", "ي"),
        "tashkeel": "".join(ch + "\u064e" if ch != " " else ch for ch in shown),
        "tatweel": "".join(ch + "\u0640" if ch != " " else ch for ch in shown).replace(
            "\u0640 ", " "
        ),
        "all at once, Arabic comma": "، ".join(
            shown.translate(_SEATS).replace("ء", "").replace("ة", "ه").replace("ى", "ي").split()
        ),
    }


def test_shown_arabic_codename_and_its_common_spellings_all_log_in(
    running: RunningServer,
) -> None:
    # Given a source who got an Arabic codename from the page
    creator = SourceClient(running.source, accept_language="ar")
    shown = html.unescape(creator.new_source())
    creator.close()
    assert len(shown.split(" ")) == 7
    # Then the codename as shown, and retyped in each common way, opens the same account
    for how, typed in _spellings(shown).items():
        client = SourceClient(running.source, accept_language="ar")
        response = client.login(typed)
        client.close()
        assert (response.status_code, response.headers["location"]) == (303, "/home"), how
    # and a different codename still does not: back to the login page, which says so
    client = SourceClient(running.source, accept_language="ar")
    wrong = client.login(" ".join(reversed(shown.split(" "))))
    assert (wrong.status_code, wrong.headers["location"]) == (303, "/login")
    assert 'class="error"' in client.follow(wrong).text
    client.close()


def test_codename_drawn_before_the_hamza_change_still_logs_in(running: RunningServer) -> None:
    # Given a source whose codename came from the old list, whose id was derived from the
    # form that kept the standalone hamza (هواء), as the server did before issue 13
    old_form = "هواء جايزه سماء بناء ماء كتاب قلم"
    inst = open_instance(running.dir)
    try:
        s = inst.settings
        params = KdfParams(memory_kib=s.kdf_memory_kib, time_cost=s.kdf_time_cost)
        keys = derive_source_keys(normalize_codename(old_form), s.pepper, params)
        old_keys = derive_source_keys(old_form, s.pepper, params)  # type: ignore[arg-type]
        assert keys.source_id != old_keys.source_id
        register_source(inst, old_keys)
    finally:
        inst.close()
    # When they type it as they learnt it, or in standard spelling
    for typed in (old_form, "هواء جائزة سماء بناء ماء كتاب قلم"):
        client = SourceClient(running.source, accept_language="ar")
        response = client.login(typed)
        client.close()
        # Then they are in
        assert response.status_code == 303, typed
