"""A report sent after the session ended: received, held encrypted, attached at login.

Regression test for "a report lost when the session expires" (issue 13, item 2): Send used
to answer "your session has ended" and the report was gone. An ended session is modelled
as the server sees it after 30 idle minutes: the browser still sends its cookie, and the
server no longer knows it (the session is ended server-side, the cookie put back).
The editor's side is the real desk: a workspace pulling over the desk API.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.support.browser import find_bytes
from tests.support.server import RunningServer, run_cli
from tests.support.source_client import SourceClient
from tests.unit.desk.deskkit import desk_api

from quietwire.desk import Workspace
from quietwire.errors import Error
from quietwire.instance import open_instance
from quietwire.intake._held import deliver_held
from quietwire.store import Source, now_hour

PHOTO = bytes.fromhex("ffd8ffe000104a464946") + b"held photo body " * 400 + b"\xff\xd9"


def end_session_server_side(client: SourceClient) -> None:
    """What 30 idle minutes do: the server forgets the session, the browser keeps its
    cookie (and the page with the form it was typing into)."""
    cookie = client.http.cookies["qw_session"]
    assert client.http.post("/logout", data={"csrf": client.csrf}).status_code == 303
    client.http.cookies.set("qw_session", cookie, domain="127.0.0.1", path="/")
    assert client.http.get("/home").status_code == 401


@pytest.fixture
def desk(
    running: RunningServer, editor_key: tuple[Path, str], tmp_path: Path
) -> Iterator[Workspace]:
    added = run_cli(
        "editors", "add", "alice", "--dir", str(running.dir), "--recipient", editor_key[1]
    )
    token = added.stdout.splitlines()[-1]
    inst = open_instance(running.dir)
    try:
        with desk_api(inst) as url:
            yield Workspace.init(tmp_path / "desk", url, token, editor_key[0])
    finally:
        inst.close()


def test_a_report_sent_after_the_session_ended_is_attached_at_login(
    running: RunningServer, desk: Workspace, server_tmp: Path
) -> None:
    marker = f"HELD-{secrets.token_hex(6)}"
    # Given a source whose session ended while they wrote
    client = SourceClient(running.source)
    codename = client.new_source()
    end_session_server_side(client)

    # When they press Send: the text, an answer of the report and a file
    sent = client.submit(
        text=f"{marker} first", files=[("photo.jpg", PHOTO, "image/jpeg")], where="Raqqa"
    )
    # Then it is received, and the source is asked for their codename, not told it is lost
    assert sent.status_code == 303 and sent.headers["location"] == "/login"
    assert "qw_held" in client.http.cookies
    login_page = client.follow(sent)
    assert 'id="held"' in login_page.text
    # And a second report written in the meantime joins the first
    again = client.submit(text=f"{marker} second")
    assert again.headers["location"] == "/login"
    # And the editors do not see them yet: they wait for the codename
    assert desk.pull().imported == []

    # When the source logs in with their codename
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.http.get("/login").text)
    assert csrf is not None
    logged_in = client.http.post("/login", data={"csrf": csrf.group(1), "codename": codename})
    assert logged_in.headers["location"] == "/home"
    home = client.http.get("/home")
    assert 'id="attached"' in home.text and "qw_held" not in client.http.cookies

    # Then the editors get both, whole, from one source they can reply to
    report = desk.pull()
    assert report.rejected == {} and len(report.imported) == 2
    subs = [desk.submission(i) for i in report.imported]
    assert sorted(s.text for s in subs) == [f"{marker} first", f"{marker} second"]
    [with_photo] = [s for s in subs if s.files]
    assert with_photo.answers == {"where": "Raqqa"}
    assert [(f.name, f.size) for f in with_photo.files] == [("photo.jpg", len(PHOTO))]
    [designation] = {s.designation for s in subs}
    desk.reply(designation, f"Thanks {marker}, received.")
    # And the source reads the reply with their codename
    assert f"Thanks {marker}, received." in client.http.get("/home").text
    client.close()

    # And nothing of it is in clear on the server: not the report, not the codename
    needles = [marker.encode(), b"held photo body", codename.encode()]
    assert find_bytes(running.dir, needles) == []
    assert find_bytes(server_tmp, needles) == []
    assert [n for n in needles if n.decode() in running.output()] == []


def test_an_unclaimed_report_reaches_the_editors_when_the_hold_ends(
    running: RunningServer, desk: Workspace
) -> None:
    # Given a report sent on an ended session, and a source who never logs in again
    client = SourceClient(running.source)
    client.new_source()
    end_session_server_side(client)
    sent = client.submit(text="sent and gone", files=[("a.txt", b"a file", "text/plain")])
    assert sent.headers["location"] == "/login"
    client.close()
    assert desk.pull().imported == []

    # When the hold ends (the server's sweeper runs this every 30 s, two hours back)
    inst = open_instance(running.dir)
    try:
        assert deliver_held(inst, now_hour() - timedelta(hours=2)) == 0  # not yet
        assert deliver_held(inst, now_hour() + timedelta(hours=1)) == 1
        assert deliver_held(inst, now_hour() + timedelta(hours=1)) == 0  # once only
        with inst.db.session() as s:
            recipients = set(s.scalars(select(Source.reply_recipient)))
    finally:
        inst.close()

    # Then the editors get it, whole, marked as not attached to any codename
    report = desk.pull()
    assert report.rejected == {} and len(report.imported) == 1
    sub = desk.submission(report.imported[0])
    assert sub.text == "sent and gone" and [f.name for f in sub.files] == ["a.txt"]
    assert any(r.startswith("unattached") for r in recipients)
    # And a reply is refused with a reason, never encrypted to a key nobody holds
    with pytest.raises(Error, match="unattached"):
        desk.reply(sub.designation, "hello?")


def test_a_send_without_any_form_of_ours_is_still_refused(running: RunningServer) -> None:
    # A cross-site POST carries no SameSite=Strict cookie; a forged token matches none.
    client = SourceClient(running.source)
    client.new_source()
    end_session_server_side(client)
    forged = client.submit(text="forged", csrf="1800000000.bm90LW91cnM")
    assert client.follow(forged).status_code == 403
    client.http.cookies.clear()
    cookieless = client.submit(text="from elsewhere", csrf=client.csrf)
    assert client.follow(cookieless).status_code == 401
    inst = open_instance(running.dir)
    try:
        with inst.db.session() as s:
            assert len(list(s.scalars(select(Source.id)))) == 1  # the source itself only
    finally:
        inst.close()
    client.close()
