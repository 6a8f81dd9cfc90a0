"""Images: rotate upright, then rebuild from the pixels alone.

Saving an opened image again is not enough: Pillow carries the JPEG COM comment, ICC
profile and some `info` entries across a plain open-and-save (FINDINGS.md). A new image
made from nothing but the decoded pixel bytes has no `info` at all, so EXIF (with GPS and
the camera serial), XMP, IPTC, ICC, comments and embedded thumbnails cannot follow it.

EXIF orientation is applied to the pixels first; otherwise a phone photo taken on its
side would come out sideways once the orientation tag is gone. Colours in a non-sRGB ICC
profile are converted to sRGB before the profile is dropped.

Hostile images: the pixel count is checked from the header before anything is decoded
(a small file can declare a gigapixel canvas: a decompression bomb), and any failure of
the decoder means "not scrubbed", never a crash and never a partial copy.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from quietwire.desk._scrub_types import Limits, Outcome

# Pillow's own bomb guard is process-wide; keep it no looser than our per-call cap.
Image.MAX_IMAGE_PIXELS = (
    min(Image.MAX_IMAGE_PIXELS or 0, Limits().max_pixels) or Limits().max_pixels
)

try:  # HEIC/HEIF photos from iPhones, when the optional decoder is installed
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the machine
    HEIF = False
else:  # pragma: no cover
    register_heif_opener()
    HEIF = True

_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF", "BMP", "HEIF", "AVIF"}
_KEEP_MODES = {"1", "L", "RGB", "RGBA", "I;16"}


def scrub_image(src: Path, dst: Path, limits: Limits, suffix: str = "") -> Outcome:
    """Write a metadata-free, upright copy of the image at `src` to the new file `dst`.

    JPEG stays JPEG (re-encoded at quality 92); everything else becomes PNG, which every
    browser shows. Animated images keep their first frame only, and say so.
    """
    try:
        with warnings.catch_warnings():
            # A declared size beyond Pillow's guard must refuse, not warn and carry on.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            clean, fmt, frames = _rebuild(src, limits)
    except _Refused as refused:
        return Outcome(False, False, "", str(refused))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Outcome(False, False, "", "image declares too many pixels: not scrubbed")
    except MemoryError:
        raise  # the child reports the limit it reached (desk._scrub_child)
    except Exception:  # any decoder failure on untrusted bytes means "not scrubbed"
        return Outcome(False, False, "", "image could not be decoded: not scrubbed")

    as_jpeg = fmt in {"JPEG", "MPO"} and clean.mode in {"L", "RGB"}
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            if as_jpeg:
                clean.save(out, format="JPEG", quality=92)
            else:
                clean.save(out, format="PNG")
    except MemoryError:
        dst.unlink(missing_ok=True)
        raise
    except (OSError, ValueError):
        dst.unlink(missing_ok=True)
        return Outcome(False, False, "", "the rebuilt image could not be saved: not scrubbed")
    note = "metadata removed, image rebuilt from its pixels"
    if frames > 1:
        note += f"; first of {frames} frames only (the original keeps them all)"
    return Outcome(True, True, ".jpg" if as_jpeg else ".png", note)


class _Refused(Exception):
    """An image we decline to decode; the message is the editor's note."""


def _rebuild(src: Path, limits: Limits) -> tuple[Image.Image, str, int]:
    with Image.open(src) as im:
        fmt = im.format or ""
        if fmt not in _FORMATS:
            raise _Refused(f"image format {fmt or 'unknown'} is not supported: not scrubbed")
        width, height = im.size
        if width * height > limits.max_pixels:
            raise _Refused(f"image of {width}x{height} pixels is over the limit: not scrubbed")
        frames = int(getattr(im, "n_frames", 1))
        icc = im.info.get("icc_profile")
        im.load()
        upright = ImageOps.exif_transpose(im)
    plain = _plain_mode(upright, icc if isinstance(icc, bytes) else None)
    # The rebuild: only the mode, the size and the raw pixel bytes cross over.
    return Image.frombytes(plain.mode, plain.size, plain.tobytes()), fmt, frames


def _plain_mode(im: Image.Image, icc: bytes | None) -> Image.Image:
    if icc and im.mode in {"RGB", "RGBA", "CMYK", "L"}:
        converted = _to_srgb(im, icc)
        if converted is not None:
            return converted
    if im.mode in _KEEP_MODES:
        return im
    has_alpha = im.mode in {"LA", "PA", "RGBa", "La"} or "transparency" in im.info
    if im.mode.startswith("I") or im.mode == "F":
        return im.convert("L")
    return im.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if im.mode == "RGBA" else ("L" if im.mode == "L" else "RGB")
        if mode == "L":
            return None  # a grey profile is close enough to sRGB grey; the pixels stay
        result = ImageCms.profileToProfile(im, source, target, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # an unusable profile: keep the pixels as they are
    return result if isinstance(result, Image.Image) else None
