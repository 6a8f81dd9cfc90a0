"""Reading and writing an instance's store directly, as the desk API would, for tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from sqlalchemy import select

from quietwire.crypto import Manifest, encrypt_bytes, parse_recipient
from quietwire.instance import open_instance
from quietwire.store import Envelope, Reply, Source, Submission


def write_reply(instance_dir: Path, text: str) -> str:
    """Encrypt `text` to the (only) source's reply recipient and store it; return its id."""
    inst = open_instance(instance_dir)
    try:
        with inst.db.session() as s:
            source = s.scalars(select(Source)).one()
            source_id, recipient = source.id, source.reply_recipient
        pending = inst.blobs.begin()
        pending.file.write(encrypt_bytes(text.encode(), [parse_recipient(recipient)]))
        key, size = pending.finish()
        with inst.db.session() as s:
            reply = Reply(source_id=source_id, blob_key=key, size=size)
            s.add(reply)
            s.flush()
            return reply.id
    finally:
        inst.close()


def counts(instance_dir: Path) -> dict[str, int]:
    inst = open_instance(instance_dir)
    try:
        with inst.db.session() as s:
            return {
                "sources": len(list(s.scalars(select(Source.id)))),
                "submissions": len(list(s.scalars(select(Submission.id)))),
                "envelopes": len(list(s.scalars(select(Envelope.id)))),
                "replies": len(list(s.scalars(select(Reply.id)))),
                "blobs": len(list(inst.blobs.keys())),
            }
    finally:
        inst.close()


def decrypted_submissions(
    instance_dir: Path, identity_file: Path
) -> list[tuple[Manifest, dict[str, bytes]]]:
    """Every submission, each blob opened with the STOCK `age` CLI: the interoperability contract."""
    inst = open_instance(instance_dir)
    out = []
    try:
        with inst.db.session() as s:
            subs = list(s.scalars(select(Submission).order_by(Submission.seq)))
            envs = list(s.scalars(select(Envelope).order_by(Envelope.position)))
        for sub in subs:
            mine = [e for e in envs if e.submission_id == sub.id]
            opened = {}
            for env in mine:
                with inst.blobs.open(env.blob_key) as fh:
                    ciphertext = fh.read()
                result = subprocess.run(
                    ["age", "-d", "-i", str(identity_file)],
                    input=ciphertext,
                    capture_output=True,
                    check=True,
                )
                opened[env.id] = result.stdout
            manifest_env = next(e for e in mine if e.kind == "manifest")
            manifest = Manifest.from_bytes(opened.pop(manifest_env.id))
            out.append((manifest, opened))
    finally:
        inst.close()
    return out
