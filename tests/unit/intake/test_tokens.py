"""Stateless form tokens: what a forged, foreign, stale or replayed-elsewhere token gets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quietwire.intake._tokens import FormTokens

PEPPER = bytes(range(32))


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_signed_token_checks_only_for_its_purpose_cookie_and_lifetime() -> None:
    clock = Clock()
    tokens = FormTokens(PEPPER, clock)
    token = tokens.sign("form", "cookie-a")
    assert tokens.check(token, "form", "cookie-a", 60)
    assert not tokens.check(token, "form", "cookie-b", 60)  # another browser's form
    assert not tokens.check(token, "other", "cookie-a", 60)
    assert not tokens.check(token, "form", None, 60)  # no cookie at all: a cross-site POST
    clock.now += 61
    assert not tokens.check(token, "form", "cookie-a", 60)
    clock.now -= 3600  # issued "in the future": refused too
    assert not tokens.check(token, "form", "cookie-a", 60)


def test_signed_tokens_survive_a_restart_and_need_the_pepper() -> None:
    token = FormTokens(PEPPER).sign("form", "cookie-a")
    assert FormTokens(PEPPER).check(token, "form", "cookie-a", 60)
    assert not FormTokens(bytes(32)).check(token, "form", "cookie-a", 60)


def test_a_sealed_codename_opens_once_for_its_cookie_and_never_after_a_restart() -> None:
    clock = Clock()
    tokens = FormTokens(PEPPER, clock)
    sealed = tokens.seal("alpha bravo charlie", "new", "cookie-a")
    assert "alpha" not in sealed
    assert tokens.open(sealed, "new", "cookie-a", 60) == "alpha bravo charlie"
    assert tokens.open(sealed, "new", "cookie-b", 60) is None
    assert tokens.open(sealed, "held", "cookie-a", 60) is None
    # The time is bound in: changing the issue time to look fresh breaks the seal.
    issued, _, body = sealed.partition(".")
    assert tokens.open(f"{int(issued) + 1}.{body}", "new", "cookie-a", 60) is None
    clock.now += 61
    assert tokens.open(sealed, "new", "cookie-a", 60) is None
    clock.now -= 61
    assert FormTokens(PEPPER, clock).open(sealed, "new", "cookie-a", 60) is None


@given(st.text(max_size=300))
def test_garbage_is_refused_without_an_error(garbage: str) -> None:
    tokens = FormTokens(PEPPER)
    assert not tokens.check(garbage, "form", "cookie-a", 3600)
    assert tokens.open(garbage, "new", "cookie-a", 3600) is None
