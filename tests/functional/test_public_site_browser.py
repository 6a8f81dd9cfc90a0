"""The public site as a reader sees it: Chromium with JavaScript off, at 1280 and 390 px.

Screenshots of the index, a bulletin and the About page in Arabic and English are saved
under artifacts/screenshots/ for a person to look at; the test itself checks what can be
checked mechanically: no page is wider than a phone's screen, the pages' text is in the
page's language, and a page with its stylesheet and chart stays under 50 KB.
"""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.support.browser import chromium, screenshot
from tests.support.server import serve_asgi

from quietwire.crypto import Secret
from quietwire.crypto._signing import FAST_SIGNING_KDF, load_signing_key, new_signing_key
from quietwire.publish import Bulletin, Place, SiteInfo, create_public_app, write_site

pytestmark = pytest.mark.browser

TYPES = ["battles", "violence_against_civilians", "protests", "arrests", None]


def _bulletins() -> list[Bulletin]:
    out = []
    for i in range(10):
        ar = i % 2 == 0
        out.append(
            Bulletin(
                id=f"{i + 1:016x}",
                lang="ar" if ar else "en",
                title=(
                    "مسلحون يطوّقون سوق الخضار ويعتقلون باعة"
                    if ar
                    else "Gunmen surround the vegetable market and detain traders"
                ),
                body=(
                    "أفاد مصدر محلي بأن مسلحين طوّقوا السوق صباحًا.\n\nلم يتسنَّ التحقق من العدد بعد."
                    if ar
                    else "A local source says gunmen surrounded the market in the morning."
                    "\n\nThe number held could not yet be checked."
                ),
                published=datetime(2026, 5, 4, 10, tzinfo=UTC) + timedelta(days=3 * i),
                event_date=date(2026, 5, 3) + timedelta(days=3 * i),
                place=Place("دير الزور" if ar else "Deir ez-Zor", 35.35, 40.15),
                event_type=TYPES[i % 5],
                grade=["F3", "B2", "C1"][i % 3],
                sources=i % 3,
            )
        )
    return out


def _png_width(path: Path) -> int:
    return int(struct.unpack(">I", path.read_bytes()[16:20])[0])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_index_bulletin_and_about_fit_a_phone_and_read_in_their_language(
    tmp_path: Path, lang: str
) -> None:
    # Given a signed site in this language, served over HTTP
    files = new_signing_key(Secret("pw"), FAST_SIGNING_KDF)
    key = load_signing_key(files.secret_key_file, Secret("pw"))
    name = "مرصد الفرات" if lang == "ar" else "Euphrates Monitor"
    site = SiteInfo(
        name, key.public_key, lang, "تقارير محققة" if lang == "ar" else "Checked reports"
    )
    root = tmp_path / "public"
    write_site(root, _bulletins(), {}, key, site, files.public_key_file)
    pages = {"index": "", "bulletin-ar": "bulletins/0000000000000001", "bulletin-en": "bulletins/0000000000000002", "about": f"about-{lang}.html"}  # fmt: skip
    with serve_asgi(create_public_app(root)) as url, chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for label, path in pages.items():
                # When a reader opens the page
                response = page.goto(f"{url}/{path}")
                assert response is not None and response.status == 200, path
                shot = screenshot(page, f"public-{lang}-{label}-{width}")
                # Then nothing spills past the screen's edge
                assert _png_width(shot) == width, (path, width)
        page.goto(f"{url}/about-{lang}.html")
        heading = page.locator("h1").inner_text()
        assert heading == (
            "عن هذا الموقع وكيف تتحقق منه"
            if lang == "ar"
            else "About this site and how to check it"
        )
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    # And the heaviest page with its stylesheet and chart stays under the 50 KB budget
    extras = len((root / "style.css").read_bytes()) + len((root / "chart.svg").read_bytes())
    heaviest = max(len(p.read_bytes()) for p in root.rglob("*.html"))
    assert heaviest + extras < 50_000
