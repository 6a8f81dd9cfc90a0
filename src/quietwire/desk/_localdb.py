"""The workspace's own SQLite database: what the desk has imported and the editor's marks.

Plain `sqlite3`: one small file, private to the editor (0600 in a 0700 directory), with
secure_delete so deleted rows are overwritten in the file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    designation TEXT NOT NULL UNIQUE,
    reply_recipient TEXT NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    received TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    answers TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    imported TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    submission_id TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT,  -- of the plaintext; NULL for files too large to scrub
    original TEXT NOT NULL,
    scrubbed_copy TEXT,
    scrubbed INTEGER NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (submission_id, position)
);
CREATE TABLE IF NOT EXISTS replies (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    sent TEXT NOT NULL
);
"""


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating private if absent) the workspace database with the schema in place."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")
    # WAL with synchronous=NORMAL: each import commits without waiting for the disk; `pull`
    # forces a full checkpoint (fsync) before it acknowledges anything to the server.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    _let_sha256_be_null(conn)
    return conn


def _let_sha256_be_null(conn: sqlite3.Connection) -> None:
    """Workspaces made before manifest format 2 required every file's SHA-256; the desk
    now records it only for the files it has in plaintext. SQLite cannot drop a NOT NULL,
    so such a `files` table is copied into the current shape, in one transaction."""
    notnull = {row["name"]: row["notnull"] for row in conn.execute("PRAGMA table_info(files)")}
    if not notnull.get("sha256"):
        return
    create = SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS files") :]
    create = create[: create.index(");") + 2]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("ALTER TABLE files RENAME TO files_before_v2")
        conn.execute(create)
        conn.execute("INSERT INTO files SELECT * FROM files_before_v2")
        conn.execute("DROP TABLE files_before_v2")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
