"""Fixtures for the desk API tests: an instance encrypting to two editors, served for real."""

from tests.unit.desk.deskkit import desk_url, editors, inst

__all__ = ["desk_url", "editors", "inst"]  # pytest finds fixtures by their names here
