"""Sessions are made only by a codename used, and one browser holds one at a time."""

from __future__ import annotations

from tests.support.server import serve_asgi
from tests.support.source_client import SourceClient

from quietwire.instance import Instance
from quietwire.intake import create_app


def test_logging_in_again_ends_the_first_session_and_wipes_its_key(instance: Instance) -> None:
    app = create_app(instance)
    state = app.state.intake
    with serve_asgi(app) as url:
        client = SourceClient(url)
        codename = client.new_source()
        first = state.sessions.get(client.http.cookies["qw_session"])
        assert first is not None and len(state.sessions) == 1
        # Given a logged-in source who opens the login page and logs in again
        assert client.login(codename).headers["location"] == "/home"
        # Then the first session is gone, its reply key overwritten, and one session remains
        assert first.keys.reply_secret.wiped
        assert state.sessions.get(first.id) is None and len(state.sessions) == 1
        client.close()
