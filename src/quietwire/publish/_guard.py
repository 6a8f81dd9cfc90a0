"""The redaction guard: nothing leaves the desk that could identify a source.

`check_bulletin` returns every finding; `enforce` refuses unless each one is overridden
explicitly (the desk records who overrode what and why). A finding's id is stable across
runs (a hash of its kind and the matched text), so an override names exactly one thing.

Text is normalised before matching, because evasion is cheap: NFKC (full-width digits),
Arabic-Indic and Persian digits to ASCII, the Arabic decimal separator to ".", invisible
bidi and zero-width marks removed. Arabic words also match behind the common proclitics
(و ف ب ل ك ال), so "والقصير" is caught by a protected term "القصير".

What is refused, and why it identifies people:
- codename: a run of codename-list words (`looks_like_codename`): a leaked codename opens
  the source's whole history;
- internal-id: 32/64 hex submission and source ids, or any long hex run: they tie the
  bulletin to a row on the server;
- designation: the desk's name for a source;
- verbatim: a run of `verbatim_words` words copied from a source's own report (style and
  wording identify a writer);
- phone, email: direct contact details;
- coordinates: a point finer than the publication grid (a home, not a town);
- media: a file that still carries metadata (EXIF/GPS, XMP, comments, PDF Info) or that the
  desk did not produce as a scrubbed copy;
- protected-term: a term the editor keeps on a source's protected list.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from quietwire.crypto import looks_like_codename, normalize_codename
from quietwire.publish._errors import BulletinError, RedactionRefused
from quietwire.publish._model import DEFAULT_PRECISION, Bulletin


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    verbatim_words: int = 8
    precision: float = DEFAULT_PRECISION
    codename_run: int = 4
    min_phone_digits: int = 7


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What the desk knows of one source that must not reach the public."""

    designation: str
    texts: tuple[str, ...] = ()
    protected_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GuardContext:
    sources: tuple[SourceRecord, ...] = ()
    #: Submission and source ids held in the workspace (any prefix of 8+ is refused).
    internal_ids: frozenset[str] = frozenset()
    #: SHA-256 of every scrubbed copy the desk made; None when the desk keeps no register,
    #: in which case only the files' own metadata is inspected.
    scrubbed_sha256: frozenset[str] | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


_INVISIBLE = dict.fromkeys(
    [
        0x200B,
        0x200C,
        0x200D,
        0x200E,
        0x200F,
        0x2060,
        0xFEFF,
        0x061C,
        0x00AD,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
_DIGITS[0x066B] = "."  # Arabic decimal separator
_DIGITS[0x066C] = ","  # Arabic thousands separator


def normalise(text: str) -> str:
    """NFKC, ASCII digits, no invisible marks: the form every check below sees."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DIGITS)


def _finding(kind: str, key: str, message: str) -> Finding:
    digest = hashlib.sha256(f"{kind}\x00{key}".encode()).hexdigest()[:10]
    return Finding(id=f"{kind}-{digest}", kind=kind, message=message)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_WORD = re.compile(r"\w+")
_PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(normalize_codename(normalise(text)))


def _matches_term(tokens: list[str], term: list[str]) -> bool:
    if not term:
        return False
    n = len(term)
    for i in range(len(tokens) - n + 1):
        first = tokens[i]
        if first != term[0] and not any(first == p + term[0] for p in _PROCLITICS):
            continue
        if tokens[i + 1 : i + n] == term[1:]:
            return True
    return False


def _check_codenames(field_name: str, text: str, run: int) -> Iterable[Finding]:
    words = normalise(text).split()
    i = 0
    while i + run <= len(words):
        if looks_like_codename(" ".join(words[i : i + run]), run):
            end = i + run
            while end < len(words) and looks_like_codename(" ".join(words[i : end + 1]), run):
                end += 1
            phrase = " ".join(words[i:end])
            yield _finding(
                "codename",
                normalize_codename(phrase),
                f"{field_name}: {end - i} consecutive codename-list words could be a "
                f"codename: {_clip(phrase)!r}",
            )
            i = end
        else:
            i += 1


_HEX = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{20,}(?![0-9A-Za-z])")
_EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|\[at\]|\(at\))\s*[\w-]+(?:\s*(?:\.|\[dot\]|\(dot\))\s*[\w-]+)+"
)
_NOT_PHONE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d\b"
)
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().\-/]{0,3}\d){5,16}(?![\w])")
_COORD_PAIR = re.compile(r"(-?\d{1,3}\.\d+)\s*°?\s*[NSns]?\s*[,;،/ ]\s*(-?\d{1,3}\.\d+)")
_DMS = re.compile(r"\d{1,3}\s*°\s*(\d{1,2})\s*['′]\s*(?:(\d{1,2}(?:\.\d+)?)\s*[\"″])?")


def _on_grid(value: float, precision: float) -> bool:
    steps = value / precision
    return math.isclose(steps, round(steps), abs_tol=1e-6)


def _check_text(field_name: str, raw: str, ctx: GuardContext, policy: GuardPolicy) -> list[Finding]:
    text = normalise(raw)
    found: list[Finding] = list(_check_codenames(field_name, raw, policy.codename_run))
    for m in _HEX.finditer(text):
        kind = {32: "a submission id", 64: "a source id"}.get(len(m[0]), "an internal id")
        found.append(
            _finding("internal-id", m[0].lower(), f"{field_name}: looks like {kind}: {m[0][:12]}…")
        )
    lowered = text.lower()
    for known in ctx.internal_ids:
        for size in (len(known), 8):
            prefix = known.lower()[:size]
            if len(prefix) >= 8 and prefix in lowered:
                found.append(
                    _finding(
                        "internal-id",
                        known,
                        f"{field_name}: contains a workspace id ({prefix[:8]}…)",
                    )
                )
                break
    for m in _EMAIL.finditer(text):
        found.append(_finding("email", m[0].lower(), f"{field_name}: e-mail address {m[0]!r}"))
    masked = _NOT_PHONE.sub(
        lambda m: " " * len(m[0]), _COORD_PAIR.sub(lambda m: " " * len(m[0]), text)
    )
    for m in _PHONE.finditer(masked):
        digits = re.sub(r"\D", "", m[0])
        if len(digits) >= policy.min_phone_digits:
            found.append(_finding("phone", digits, f"{field_name}: phone number {m[0].strip()!r}"))
    for m in _COORD_PAIR.finditer(text):
        lat, lon = float(m[1]), float(m[2])
        if (
            abs(lat) <= 90
            and abs(lon) <= 180
            and not (_on_grid(lat, policy.precision) and _on_grid(lon, policy.precision))
        ):
            found.append(
                _finding(
                    "coordinates",
                    m[0],
                    f"{field_name}: coordinates {m[0]!r} are finer than the allowed "
                    f"{policy.precision} degrees: give the town instead",
                )
            )
    for m in _DMS.finditer(text):
        minutes = int(m[1])
        if m[2] is not None or not _on_grid(minutes / 60, policy.precision):
            found.append(
                _finding(
                    "coordinates",
                    m[0],
                    f"{field_name}: coordinates {m[0]!r} are finer than allowed",
                )
            )
    tokens = _tokens(raw)
    for source in ctx.sources:
        if _matches_term(tokens, _tokens(source.designation)):
            found.append(
                _finding(
                    "designation",
                    source.designation,
                    f"{field_name}: names source designation {source.designation!r}",
                )
            )
        for term in source.protected_terms:
            if _matches_term(tokens, _tokens(term)):
                found.append(
                    _finding(
                        "protected-term",
                        f"{source.designation}\x00{term}",
                        f"{field_name}: contains {term!r}, on the protected list of "
                        f"{source.designation}",
                    )
                )
        found.extend(_check_verbatim(field_name, tokens, source, policy.verbatim_words))
    return found


def _check_verbatim(
    field_name: str, tokens: list[str], source: SourceRecord, n: int
) -> Iterable[Finding]:
    grams: set[tuple[str, ...]] = set()
    for text in source.texts:
        words = _tokens(text)
        grams.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    i = 0
    while i + n <= len(tokens):
        if tuple(tokens[i : i + n]) in grams:
            end = i + n
            while end < len(tokens) and tuple(tokens[end - n + 1 : end + 1]) in grams:
                end += 1
            phrase = " ".join(tokens[i:end])
            yield _finding(
                "verbatim",
                f"{source.designation}\x00{phrase}",
                f"{field_name}: {end - i} words copied verbatim from a report of "
                f"{source.designation}: {_clip(phrase)!r}",
            )
            i = end
        else:
            i += 1


_IMAGE_KEYS_OK = frozenset(
    {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive",
     "progression", "adobe", "adobe_transform", "gamma", "transparency", "loop",
     "duration", "background", "lossless", "srgb", "aspect"}
)  # fmt: skip


def _media_metadata(name: str, data: bytes) -> list[str]:
    """Names of identifying metadata still present in a media file ([] when clean)."""
    lower = name.lower()
    if lower.endswith(".pdf"):
        import pikepdf

        try:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                left = []
                info = pdf.trailer.get("/Info")
                if info is not None and len(info.keys()) > 0:
                    left.append("PDF Info dictionary")
                if "/Metadata" in pdf.Root:
                    left.append("XMP metadata")
                if any("/Metadata" in page.obj for page in pdf.pages):
                    left.append("page metadata")
                return left
        except pikepdf.PdfError:
            return ["unreadable PDF"]
    if lower.endswith((".jpg", ".jpeg", ".png", ".webp")):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as im:
                left = sorted(str(k) for k in im.info if k not in _IMAGE_KEYS_OK)
                if len(im.getexif()) > 0:
                    left.append("EXIF")
                app = getattr(im, "applist", [])
                if any(entry[0] == "COM" for entry in app):
                    left.append("JPEG comment")
                return sorted(set(left))
        except (UnidentifiedImageError, OSError):
            return ["unreadable image"]
    return ["a format the guard cannot inspect"]


def check_bulletin(
    b: Bulletin,
    ctx: GuardContext,
    policy: GuardPolicy | None = None,
    media: Mapping[str, bytes] | None = None,
) -> list[Finding]:
    """Every reason `b` must not be published as it is (empty list: it may go).

    Checks the title, body, place name and media file names as text, the place's
    coordinates against the grid, and each media file (`media` maps name to bytes; a
    missing file is a finding). Findings are deduplicated by id, in a stable order.
    """
    policy = policy or GuardPolicy()
    fields = {"title": b.title, "body": b.body}
    if b.place is not None:
        fields["place"] = b.place.name
    for m in b.media:
        fields[f"media name {m.name}"] = m.name
    found: list[Finding] = []
    for name, text in fields.items():
        found.extend(_check_text(name, text, ctx, policy))
    if b.place is not None and not (
        _on_grid(b.place.lat, policy.precision) and _on_grid(b.place.lon, policy.precision)
    ):
        found.append(
            _finding(
                "coordinates",
                f"{b.place.lat},{b.place.lon}",
                f"place: ({b.place.lat}, {b.place.lon}) is finer than the allowed "
                f"{policy.precision} degrees: coarsen it",
            )
        )
    for m in b.media:
        data = (media or {}).get(m.name)
        if data is None:
            found.append(_finding("media", m.name, f"media {m.name}: file missing on the desk"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if ctx.scrubbed_sha256 is not None and digest not in ctx.scrubbed_sha256:
            found.append(
                _finding("media", digest, f"media {m.name}: not a scrubbed copy made by the desk")
            )
        left = _media_metadata(m.name, data)
        if left:
            found.append(
                _finding(
                    "media",
                    f"{digest}:meta",
                    f"media {m.name}: still carries {', '.join(left)}: publish a scrubbed copy",
                )
            )
    unique: dict[str, Finding] = {}
    for f in found:
        unique.setdefault(f.id, f)
    return list(unique.values())


def enforce(findings: list[Finding], overrides: Mapping[str, str]) -> list[tuple[Finding, str]]:
    """Refuse unless every finding is overridden with a reason; return the overrides used.

    Raises `RedactionRefused` listing the findings left, or `BulletinError` for an
    override that names no current finding or gives no reason (a typo must not pass).
    """
    ids = {f.id for f in findings}
    for finding_id, reason in overrides.items():
        if finding_id not in ids:
            raise BulletinError(f"override {finding_id!r} matches no current finding")
        if not reason.strip():
            raise BulletinError(f"override {finding_id!r} needs a reason")
    left = tuple(f for f in findings if f.id not in overrides)
    if left:
        raise RedactionRefused(left)
    return [(f, overrides[f.id]) for f in findings]
