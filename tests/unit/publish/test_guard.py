"""The redaction guard: each forbidden item in English and Arabic, and clean bulletins pass."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from quietwire.crypto import generate_codename
from quietwire.publish import (
    Bulletin,
    BulletinError,
    GuardContext,
    GuardPolicy,
    Media,
    Place,
    RedactionRefused,
    SourceRecord,
    check_bulletin,
    enforce,
    sha256_hex,
)

CLEAN_EN = (
    "Several shells struck the central market on Tuesday morning, damaging at least twelve "
    "shops.\n\nLocal residents said two people were injured. Independent sources confirmed "
    "the damage from photographs taken the same afternoon."
)
CLEAN_AR = (
    "سقطت عدة قذائف على السوق المركزي صباح الثلاثاء، ما أدى إلى تضرر اثني عشر متجرا على الأقل."
    "\n\nوقال سكان محليون إن شخصين أصيبا بجروح. وأكدت مصادر مستقلة الأضرار من خلال صور "
    "التقطت بعد ظهر اليوم نفسه."
)
REPORT = (
    "i was standing near the bakery on the corner when the second shell hit the roof of "
    "my cousin's shop and the glass came down on everyone"
)
REPORT_AR = (
    "كنت أقف قرب الفرن عند الزاوية عندما سقطت القذيفة الثانية على سطح دكان ابن عمي وتناثر الزجاج"
)
SOURCE = SourceRecord(
    designation="Falcon-7",
    texts=(REPORT, REPORT_AR),
    protected_terms=("Abu Karim", "القصير"),
)
CTX = GuardContext(sources=(SOURCE,), internal_ids=frozenset({"c0ffee" * 10 + "abcd"}))


def bulletin(body: str, lang: str = "en", **extra: object) -> Bulletin:
    fields: dict[str, object] = {
        "id": "0123456789abcdef",
        "lang": lang,
        "title": "Market shelled" if lang == "en" else "قصف السوق",
        "body": body,
        "published": datetime(2026, 11, 20, tzinfo=UTC),
        "place": Place("Idlib" if lang == "en" else "إدلب", 35.95, 36.65),
    } | extra
    return Bulletin(**fields)  # type: ignore[arg-type]


def kinds(b: Bulletin, media: dict[str, bytes] | None = None, ctx: GuardContext = CTX) -> set[str]:
    return {f.kind for f in check_bulletin(b, ctx, GuardPolicy(), media)}


@pytest.mark.parametrize(("body", "lang"), [(CLEAN_EN, "en"), (CLEAN_AR, "ar")])
def test_a_clean_bulletin_passes(body: str, lang: str) -> None:
    findings = check_bulletin(bulletin(body, lang), CTX)
    assert findings == []
    assert enforce(findings, {}) == []


@pytest.mark.parametrize(
    ("kind", "lang", "inserted"),
    [
        ("codename", "en", generate_codename("en")),
        ("codename", "ar", generate_codename("ar")),
        ("internal-id", "en", "see submission 9f86d081884c7d659a2feaa0c55ad015"),
        ("internal-id", "ar", "المعرف " + "a" * 64),
        ("internal-id", "en", "row c0ffeec0ffeec0 in the log"),
        ("designation", "en", "as Falcon-7 told us"),
        ("designation", "ar", "كما قال falcon 7 لنا"),
        ("verbatim", "en", "the second shell hit the roof of my cousin's shop"),
        ("verbatim", "ar", "عندما سقطت القذيفة الثانية على سطح دكان ابن عمي"),
        ("phone", "en", "call +963 933 123 456 for details"),
        ("phone", "en", "call (0933) 123-456"),
        ("phone", "ar", "اتصلوا على ٠٩٣٣ ١٢٣ ٤٥٦"),
        ("phone", "ar", "الرقم ۰۹۳۳۱۲۳۴۵۶"),
        ("email", "en", "write to witness.k@example.org"),
        ("email", "ar", "راسلونا على شاهد@مثال.شبكة"),
        ("email", "en", "witness [at] example [dot] org"),
        ("coordinates", "en", "the house at 35.9312, 36.6345"),
        ("coordinates", "ar", "الموقع ٣٥٫٩٣١٢، ٣٦٫٦٣٤٥"),
        ("coordinates", "en", "at 35°56'12\" N"),
        ("protected-term", "en", "a shop owned by abu karim"),
        ("protected-term", "ar", "في منطقة والقصير"),
    ],
)
def test_each_forbidden_item_is_refused_with_its_reason(
    kind: str, lang: str, inserted: str
) -> None:
    base = CLEAN_EN if lang == "en" else CLEAN_AR
    b = bulletin(base + "\n\n" + inserted, lang)
    found = check_bulletin(b, CTX)
    assert kind in {f.kind for f in found}, found
    with pytest.raises(RedactionRefused) as info:
        enforce(found, {})
    assert any(f.kind == kind for f in info.value.findings)
    assert "--override" in str(info.value)


def test_invisible_marks_do_not_hide_a_phone_number() -> None:
    assert "phone" in kinds(bulletin(CLEAN_EN + " 0933\u200b123\u200f456"))


def test_dates_counts_and_grid_coordinates_are_not_findings() -> None:
    body = (
        CLEAN_EN
        + " On 2026-11-03, 1,200 families fled; in 2024-2025 the town at 35.95, 36.65 grew."
    )
    assert kinds(bulletin(body)) == set()


def test_the_place_must_be_on_the_grid() -> None:
    assert "coordinates" in kinds(bulletin(CLEAN_EN, place=Place("Idlib", 35.9312, 36.6345)))


def test_verbatim_threshold_is_configurable() -> None:
    copied = CLEAN_EN + " near the bakery on the corner"  # 6 words of the report
    assert "verbatim" not in kinds(bulletin(copied))
    found = check_bulletin(bulletin(copied), CTX, GuardPolicy(verbatim_words=5))
    assert "verbatim" in {f.kind for f in found}


def _jpeg(exif: bool) -> bytes:
    im = Image.new("RGB", (8, 8), "red")
    buf = io.BytesIO()
    if exif:
        meta = Image.Exif()
        meta[0x010F] = "PhoneMaker"  # Make
        im.save(buf, "JPEG", exif=meta.tobytes())
    else:
        im.save(buf, "JPEG")
    return buf.getvalue()


def _pdf(info: bool) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if info:
        pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(Author=pikepdf.String("Witness")))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data"), [("a.jpg", _jpeg(True)), ("a.pdf", _pdf(True))])
def test_media_with_metadata_is_refused(name: str, data: bytes) -> None:
    b = bulletin(CLEAN_EN, media=(Media(name, sha256_hex(data), len(data)),))
    found = check_bulletin(b, CTX, media={name: data})
    assert [f.kind for f in found] == ["media"]
    assert "still carries" in found[0].message


@pytest.mark.parametrize(("name", "data"), [("a.jpg", _jpeg(False)), ("a.pdf", _pdf(False))])
def test_scrubbed_media_passes_and_the_register_is_consulted(name: str, data: bytes) -> None:
    b = bulletin(CLEAN_EN, media=(Media(name, sha256_hex(data), len(data)),))
    assert check_bulletin(b, CTX, media={name: data}) == []
    register = GuardContext(sources=(SOURCE,), scrubbed_sha256=frozenset({"0" * 64}))
    found = check_bulletin(b, register, media={name: data})
    assert [f.message for f in found] == [f"media {name}: not a scrubbed copy made by the desk"]


def test_an_override_is_explicit_and_exact() -> None:
    b = bulletin(CLEAN_EN + " call +963 933 123 456")
    found = check_bulletin(b, CTX)
    assert [f.kind for f in found] == ["phone"]
    # A typo or an empty reason does not pass
    with pytest.raises(BulletinError, match="matches no current finding"):
        enforce(found, {"phone-0000000000": "public hotline"})
    with pytest.raises(BulletinError, match="needs a reason"):
        enforce(found, {found[0].id: " "})
    used = enforce(found, {found[0].id: "the Red Crescent's public hotline"})
    assert used == [(found[0], "the Red Crescent's public hotline")]


def test_finding_ids_are_stable_across_runs() -> None:
    b = bulletin(CLEAN_EN + " write to witness.k@example.org")
    assert [f.id for f in check_bulletin(b, CTX)] == [f.id for f in check_bulletin(b, CTX)]


@settings(max_examples=150, deadline=None)
@given(text=st.text(min_size=1, max_size=400).filter(lambda s: s.strip() != ""))
def test_the_guard_never_crashes_on_any_text(text: str) -> None:
    for lang in ("ar", "en"):
        findings = check_bulletin(bulletin(text, lang, title=text), CTX)
        assert all(f.id.startswith(f.kind + "-") and f.message for f in findings)
