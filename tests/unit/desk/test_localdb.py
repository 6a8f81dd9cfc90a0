"""The workspace database: a workspace made before manifest format 2 opens unchanged."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from quietwire.desk._localdb import SCHEMA, connect


def test_a_workspace_that_required_every_sha256_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    before = SCHEMA.replace("    sha256 TEXT,", "    sha256 TEXT NOT NULL,")
    assert before != SCHEMA
    with closing(sqlite3.connect(path)) as old:
        old.executescript(before)
        old.execute("INSERT INTO sources VALUES ('s', 'two words', 'age1x', 't')")
        old.execute("INSERT INTO submissions VALUES ('m', 's', 'r', 'en', 'text', '{}', 0, 0, 't')")
        old.execute(
            "INSERT INTO files VALUES ('m', 1, 'a.jpg', 'image/jpeg', 3, 'ab', 'e.age', NULL, 0, '')"
        )
        old.commit()
    with closing(connect(path)) as conn:
        columns = {r["name"]: r["notnull"] for r in conn.execute("PRAGMA table_info(files)")}
        assert columns["sha256"] == 0
        rows = [tuple(r) for r in conn.execute("SELECT * FROM files")]
        assert rows == [("m", 1, "a.jpg", "image/jpeg", 3, "ab", "e.age", None, 0, "")]
        conn.execute(
            "INSERT INTO files VALUES ('m', 2, 'b.bin', 'x/y', 9, NULL, 'f.age', NULL, 0, 'big')"
        )
        assert [t for (t,) in conn.execute("SELECT name FROM sqlite_master")].count("files") == 1
    with closing(connect(path)) as again:  # a second open changes nothing
        assert again.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 2
