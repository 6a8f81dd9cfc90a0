"""A desk with something to show: a real instance and desk API, one source, a pulled workspace.

The submission carries a phone photo with GPS (scrubbed and shown inline), a file the
scrubber cannot clean (download only), text in Arabic and English and a structured report.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image
from sqlalchemy import select
from tests.support.server import serve_asgi
from tests.unit.desk.deskkit import desk_api, editors_instance, new_source, open_workspace, submit

from quietwire.crypto import SourceKeys, decrypt_bytes
from quietwire.desk import Workspace
from quietwire.instance import Instance
from quietwire.store import Reply

TEXT = "Checkpoint closed at dawn.\nالحاجز أُغلق فجرًا."
REPORT = {"what": "road closed", "where": "north gate", "when": "this morning", "how_known": "saw"}
BLOB = b"\x7fELF" + bytes(range(256)) * 40  # an executable-looking file: never scrubbed


def gps_photo() -> bytes:
    im = Image.new("RGB", (320, 200), (40, 110, 60))
    im.paste((230, 200, 40), (0, 0, 100, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (33.0, 30.0, 7.0)}
    )
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif, comment=b"ComSecret")
    return out.getvalue()


@dataclass(frozen=True)
class Desk:
    instance: Instance
    workspace: Workspace
    source: SourceKeys
    submission: str
    photo: bytes
    desk_url: str

    @property
    def designation(self) -> str:
        return self.workspace.sources()[0].designation

    def replies_as_the_source_reads_them(self) -> list[str]:
        """Every reply on the server, decrypted with the source's own reply identity."""
        identity = self.source.reply_identity()
        with self.instance.db.session() as s:
            keys = list(
                s.scalars(
                    select(Reply.blob_key)
                    .where(Reply.source_id == self.source.source_id)
                    .order_by(Reply.created, Reply.id)
                )
            )
        texts = []
        for key in keys:
            with self.instance.blobs.open(key) as fh:
                texts.append(decrypt_bytes(fh.read(), [identity]).decode("utf-8"))
        return texts


@contextmanager
def pulled_desk(root: Path) -> Iterator[Desk]:
    """An instance on SQLite, its desk API on loopback, one submission pulled by alice."""
    with (
        editors_instance(root, f"sqlite:///{root / 'quietwire.db'}", ["alice"]) as kit,
        desk_api(kit.instance) as url,
    ):
        source = new_source(kit.instance)
        photo = gps_photo()
        sub_id = submit(
            kit.instance,
            source,
            TEXT,
            [("IMG_2041.jpg", "image/jpeg", photo), ("tool.bin", "application/octet-stream", BLOB)],
            REPORT,
        )
        ws = open_workspace(root / "ws", url, kit["alice"])
        try:
            report = ws.pull()
            if report.imported != [sub_id]:
                raise AssertionError(f"pull did not import the submission: {report}")
            yield Desk(kit.instance, ws, source, sub_id, photo, url)
        finally:
            ws.close()


served = serve_asgi  # the desk UI app, on a free loopback port
