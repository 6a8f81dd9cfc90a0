"""How the public site reads to a visitor: its name, labels, dates, grades and chart."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from quietwire.crypto._signing import SigningKey
from quietwire.publish import Bulletin, Place, SiteError, SiteInfo, verify_site, write_site
from quietwire.publish._chart import chart_svg, weekly_counts
from quietwire.publish._labels import EVENT_TYPES, event_type_label, grade_words, long_date
from quietwire.publish._render import TYPE_COLOURS
from quietwire.verify import EVENT_TYPES as ACLED_TYPES
from quietwire.verify import SUB_EVENT_TYPES


def _bulletin(i: int, lang: str, event_type: str | None, grade: str | None = "C3") -> Bulletin:
    return Bulletin(
        id=f"{i:016x}",
        lang=lang,
        title="اعتقال ثلاثة شبان عند الحاجز" if lang == "ar" else "Three men held at a checkpoint",
        body="نص النشرة." if lang == "ar" else "The bulletin's text.",
        published=datetime(2026, 3, 2 + i, 9, tzinfo=UTC),
        event_date=date(2026, 3, 1 + i),
        place=Place("منبج" if lang == "ar" else "Manbij", 36.5, 37.95),
        event_type=event_type,
        grade=grade,
        sources=1,
    )


def _site(
    tmp_path: Path, signing: tuple[SigningKey, bytes], site: SiteInfo, bs: list[Bulletin]
) -> Path:
    key, pub = signing
    root = tmp_path / "public"
    write_site(root, bs, {}, key, site, pub)
    return root


def test_every_type_the_engine_knows_has_a_label_in_both_languages() -> None:
    for et in [*ACLED_TYPES, *SUB_EVENT_TYPES]:
        assert set(EVENT_TYPES[et]) == {"ar", "en"}, et
        assert "_" not in event_type_label(et, "en")
    # an id nobody labelled still reads as words
    assert event_type_label("prisoner_swap", "ar") == "prisoner swap"


def test_grades_in_plain_words_and_dates_in_the_page_language() -> None:
    assert grade_words("B2", "en") == "usually reliable; probably true"
    assert grade_words("F3", "ar").startswith("لا يمكن الحكم بعد")
    assert long_date(date(2026, 3, 9), "en", "latin") == "9 March 2026"
    assert long_date(date(2026, 3, 9), "ar", "latin") == "9 مارس 2026"
    assert long_date(date(2026, 3, 9), "ar", "arab") == "٩ مارس ٢٠٢٦"
    assert long_date(date(2026, 3, 9), "en", "arab") == "9 March 2026"  # only Arabic pages


def test_the_site_says_its_name_once_and_explains_every_grade(
    tmp_path: Path, signing: tuple[SigningKey, bytes]
) -> None:
    key, _ = signing
    site = SiteInfo(
        "Manbij Monitor", key.public_key, "en", "Reports from Manbij, checked.", "#205493"
    )
    root = _site(
        tmp_path, signing, site, [_bulletin(1, "ar", "arrests"), _bulletin(2, "en", "battles")]
    )
    index = (root / "index.html").read_text(encoding="utf-8")
    # Given a site with a name and a description, the name stands once on the page
    assert index.count("Manbij Monitor") == 2  # the <title> and the header, no second <h1>
    assert "Reports from Manbij, checked." in index and 'href="about-en.html"' in index
    # An Arabic bulletin shows its type in Arabic and its grade in words with a link to them
    ar = (root / "bulletins" / f"{1:016x}.html").read_text(encoding="utf-8")
    assert "اعتقالات" in ar and ">arrests<" not in ar and "arrests" not in ar.split("<body>")[1]
    assert grade_words("C3", "ar") in ar and 'href="../about-ar.html#grades"' in ar
    # The About page in each language has the key, the minisign command and every grade part
    for lang in ("ar", "en"):
        about = (root / f"about-{lang}.html").read_text(encoding="utf-8")
        assert key.public_key in about and "minisign -V -P" in about
        assert all(f'id="grade-{c}"' in about for c in "ABCDEF123456")
    # The accent colour reaches the stylesheet, and nothing of it reaches a page inline
    assert "--accent: #205493" in (root / "style.css").read_text(encoding="utf-8")
    assert " style=" not in index
    assert verify_site(root, key.public_key).files > 0


def test_arabic_digits_when_the_site_asks(
    tmp_path: Path, signing: tuple[SigningKey, bytes]
) -> None:
    key, _ = signing
    site = SiteInfo("مرصد منبج", key.public_key, "ar", digits="arab")
    root = _site(tmp_path, signing, site, [_bulletin(i, "ar", "protests") for i in range(1, 4)])
    index = (root / "index.html").read_text(encoding="utf-8")
    assert "٢٠٢٦" in index and not re.search(
        r">[^<]*2026[^<]*<", index.split('id="chart-table"')[1]
    )
    chart = (root / "chart.svg").read_text(encoding="utf-8")
    assert "مارس" in chart and "٢" in chart


def test_one_week_of_data_is_a_bar_not_a_wall() -> None:
    rows, types = weekly_counts([_bulletin(1, "en", "battles")])
    svg = chart_svg(rows, types, TYPE_COLOURS, "en", "latin").decode()
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths == [40] and "<script" not in svg
    assert "2 Mar" in svg  # the week is dated under its bar


def test_a_bad_accent_or_digit_style_is_refused(signing: tuple[SigningKey, bytes]) -> None:
    key, _ = signing
    with pytest.raises(SiteError, match="rrggbb"):
        SiteInfo("x", key.public_key, accent="red; } body { display: none")
    with pytest.raises(SiteError, match="latin or arab"):
        SiteInfo("x", key.public_key, digits="roman")


def test_the_chart_counts_sub_types_under_the_engines_event_types() -> None:
    from quietwire.publish._labels import PARENT

    for sub, parent in SUB_EVENT_TYPES.items():
        assert PARENT[sub] == parent, sub
    _rows, types = weekly_counts(
        [
            _bulletin(1, "en", "arrests"),
            _bulletin(2, "en", "air_drone_strike"),
            _bulletin(3, "en", None),
        ]
    )
    assert set(types) == {"strategic_developments", "explosions_remote_violence", "untyped"}
    assert set(types) <= set(TYPE_COLOURS)
