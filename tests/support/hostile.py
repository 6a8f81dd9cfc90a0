"""Hostile files a source could send, small on disk and quick to make, for the tests that
show the desk's scrubbing limits hold (desk._scrub_child).

- a PDF whose streams are chains of FlateDecode: 3 layers of zlib, each stream decoding
  to `layer_mib` MiB, many streams (qpdf decodes every one of them to rewrite it);
- a PDF of many tiny objects packed in object streams, with an honest or a lying /Size;
- a PNG that declares a huge canvas (a decompression bomb), and a large blank one that is
  under the pixel cap but needs hundreds of MB decoded;
- a .docx with a member that unzips to `mib` MiB of spaces (a zip bomb).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image
from tests.support.planted import docx_with_author

MIB = 1024 * 1024


def flate_chain_bomb(path: Path, streams: int = 200, layer_mib: int = 64) -> Path:
    """A PDF of `streams` streams, each [/FlateDecode /FlateDecode /FlateDecode] over
    `layer_mib` MiB of zeros: about 100 bytes each on disk."""
    packer = zlib.compressobj(9)
    zeros = bytes(MIB)
    inner = b"".join(packer.compress(zeros) for _ in range(layer_mib)) + packer.flush()
    payload = zlib.compress(zlib.compress(inner, 9), 9)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    chain = pikepdf.Array([pikepdf.Name.FlateDecode] * 3)
    for n in range(streams):
        stream = pikepdf.Stream(pdf, payload)
        stream.Filter = chain
        pdf.Root[f"/Bomb{n}"] = pdf.make_indirect(stream)
    # Saved as they are: pikepdf's default would decode the chains itself.
    pdf.save(path, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
    return path


def many_objects_pdf(path: Path, objects: int, *, declared: int | None = None) -> Path:
    """A PDF whose object streams hold `objects` integers, indexed by one xref stream.
    `declared`: the trailer's /Size if it should lie (by default the true count)."""
    per_stream = 50_000
    out = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}

    def add(num: int, body: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (num, body))

    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [] /Count 0 >>")
    holders = -(-objects // per_stream)
    first = 3 + holders  # the number of the first packed object
    rows = []
    for s in range(holders):
        count = min(per_stream, objects - s * per_stream)
        start = first + s * per_stream
        head = b"".join(b"%d 0 " % (start + i) for i in range(count))
        data = zlib.compress(head + b"0", 6)  # every object is the same integer, at offset 0
        add(
            3 + s,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s"
            b"\nendstream" % (count, len(head), len(data), data),
        )
        rows.append(b"".join(struct.pack(">BII", 2, 3 + s, i) for i in range(count)))
    xref = first + objects
    table = [struct.pack(">BII", 0, 0, 65535)]
    table += [struct.pack(">BII", 1, offsets[n], 0) for n in range(1, 3 + holders)]
    table += rows
    table.append(struct.pack(">BII", 1, len(out), 0))
    data = zlib.compress(b"".join(table), 6)
    size = declared if declared is not None else xref + 1
    at = len(out)
    out.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 4] /Index [0 %d] /Root 1 0 R"
        b" /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (xref, size, xref + 1, len(data), data)
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % at)
    path.write_bytes(bytes(out))
    return path


def png_bomb(path: Path) -> Path:
    """A 1-bit PNG of 12,000 x 10,000 pixels (120 megapixels) in about 150 KB."""
    Image.new("1", (12_000, 10_000)).save(path, optimize=False)
    return path


def large_blank_png(path: Path, side: int = 6000) -> Path:
    """A grey PNG of side x side pixels: under the default pixel cap, tiny on disk, but
    each decoded copy takes side*side bytes."""
    Image.new("L", (side, side), 128).save(path)
    return path


def docx_zip_bomb(path: Path, mib: int = 128) -> Path:
    """A Word document with one more member that unzips to `mib` MiB of spaces."""
    docx_with_author(path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("word/media/filler.xml", "w", force_zip64=True) as member,
    ):
        spaces = b" " * MIB
        for _ in range(mib):
            member.write(spaces)
    return path
