"""The rendered, signed site: pages, feeds, GeoJSON, chart, manifest and verification."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwire.crypto._signing import SigningKey
from quietwire.publish import (
    Bulletin,
    BulletinSignatureError,
    Place,
    SiteError,
    check_site_path,
    coarsen,
    from_canonical_json,
    to_canonical_json,
    verify_site,
)
from quietwire.publish._export import export_site

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def test_canonical_json_round_trips_and_is_deterministic(
    make_bulletins: Callable[[int], list[Bulletin]],
) -> None:
    for b in make_bulletins(12):
        data = to_canonical_json(b)
        assert from_canonical_json(data) == b
        assert to_canonical_json(from_canonical_json(data)) == data
        assert b"\n" not in data and json.loads(data)["id"] == b.id


def test_coarsen_snaps_to_the_grid() -> None:
    assert coarsen(35.9312, 36.6345) == (35.95, 36.65)
    assert coarsen(35.9312, 36.6345, 0.1) == (35.9, 36.6)
    assert coarsen(-0.01, 0.01, 0.05) == (0.0, 0.0)


def test_every_page_is_small_scriptless_and_in_its_language(site_dir: Path) -> None:
    pages = list(site_dir.glob("*.html")) + list((site_dir / "bulletins").glob("*.html"))
    assert len(pages) > 100
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert len(html.encode()) < 50_000, page
        assert "<script" not in html.lower() and " style=" not in html and "<style" not in html
    ar = (site_dir / "bulletins" / f"{2:016x}.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in ar and "قصف على السوق المركزي" in ar
    en = (site_dir / "bulletins" / f"{1:016x}.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in en and "photo.png.minisig" in en


def test_index_has_chart_and_table_and_links_resolve(site_dir: Path) -> None:
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'src="chart.svg"' in index and 'id="chart-table"' in index
    chart = ET.fromstring((site_dir / "chart.svg").read_bytes())  # noqa: S314 (our own file)
    assert chart.tag == "{http://www.w3.org/2000/svg}svg" and chart.get("width") == "720"
    assert not chart.findall(".//{http://www.w3.org/2000/svg}script")
    # Every relative link of the index and of a bulletin page names a file of the tree
    for page, base in (
        (site_dir / "index.html", site_dir),
        (site_dir / "bulletins" / f"{1:016x}.html", site_dir / "bulletins"),
    ):
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            assert (base / href).resolve().is_file(), href
    # Table figures add up to what was published in those weeks
    counts = [int(x) for x in re.findall(r"<td>(\d+)</td></tr>", index)]
    assert sum(counts) == 120


def test_atom_feed_parses_and_has_what_rfc_4287_requires(site_dir: Path) -> None:
    parsed = feedparser.parse((site_dir / "feed.atom").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "QuietWire" and parsed.feed.id.startswith("urn:uuid:")
    assert parsed.feed.author and parsed.feed.updated
    assert len(parsed.entries) == 50
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == 50
    for e in parsed.entries:
        assert (
            e.title
            and e.updated
            and e.link.startswith("bulletins/")
            and e.id.startswith("urn:uuid:")
        )
    assert any(e.get("language") == "ar" or "قصف" in e.title for e in parsed.entries)


def test_json_feed_follows_version_1_1(site_dir: Path) -> None:
    doc = json.loads((site_dir / "feed.json").read_bytes())
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(doc["title"], str) and isinstance(doc["items"], list) and doc["items"]
    ids = set()
    for item in doc["items"]:
        assert isinstance(item["id"], str) and item["id"] not in ids
        ids.add(item["id"])
        assert isinstance(item.get("content_text") or item.get("content_html"), str)
        assert RFC3339.fullmatch(item["date_published"])
        for att in item["attachments"]:
            assert att["url"] and att["mime_type"]
    with_media = [i for i in doc["items"] if i["attachments"]]
    assert with_media == [] or with_media[0]["attachments"][0]["mime_type"] == "image/png"


def _check_rfc7946(doc: object) -> int:
    """The rules of RFC 7946 that apply to a FeatureCollection of Points."""
    assert isinstance(doc, dict) and doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # removed by RFC 7946 section 4
    features = doc["features"]
    assert isinstance(features, list)
    for f in features:
        assert f["type"] == "Feature"
        assert isinstance(f.get("id"), str | int)
        assert isinstance(f["properties"], dict)
        geom = f["geometry"]
        assert geom["type"] == "Point"
        pos = geom["coordinates"]
        assert isinstance(pos, list) and 2 <= len(pos) <= 3
        assert all(isinstance(x, int | float) and not isinstance(x, bool) for x in pos)
        lon, lat = pos[0], pos[1]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    return len(features)


def test_geojson_follows_rfc_7946_and_is_coarse(site_dir: Path) -> None:
    doc = json.loads((site_dir / "events.geojson").read_bytes())
    assert _check_rfc7946(doc) == 96  # bulletins with a place
    first = doc["features"][0]["geometry"]["coordinates"]
    assert first == [36.65, 35.95]  # longitude first


@pytest.mark.parametrize(
    "bad",
    [
        "../config.toml",
        "bulletins/../../x.html",
        ".env",
        "a/.hidden.html",
        "x.py",
        "a/b/c/d.html",
        "quietwire.db",
        "bulletins\\x.html",
        "",
        "/etc/passwd.json",
        "a//b.html",
    ],
)
def test_site_paths_are_strict(bad: str) -> None:
    with pytest.raises(SiteError):
        check_site_path(bad)


def test_the_site_verifies_and_one_changed_byte_fails_everywhere(
    site_dir: Path, tmp_path: Path, signing: tuple[SigningKey, bytes]
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(site_dir, copy)
    report = verify_site(copy, signing[0].public_key)
    assert report.signatures > 120
    # When one byte of a bulletin's JSON changes
    target = copy / "bulletins" / f"{5:016x}.json"
    data = bytearray(target.read_bytes())
    data[20] ^= 0x01
    target.write_bytes(bytes(data))
    # Then our verifier names the file and the reason
    with pytest.raises(
        BulletinSignatureError, match=rf"bulletins/{5:016x}\.json: signature does not match"
    ):
        verify_site(copy)
    # And the stock minisign refuses it too
    out = subprocess.run(
        ["minisign", "-V", "-P", signing[0].public_key, "-m", str(target)],
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0


def test_a_page_changed_or_planted_is_caught_by_the_manifest(
    site_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(site_dir, copy)
    page = copy / "index.html"
    page.write_bytes(page.read_bytes().replace(b"QuietWire", b"QuietWirf", 1))
    (copy / "bulletins" / "planted.html").write_text("<p>fake</p>")
    with pytest.raises(BulletinSignatureError) as info:
        verify_site(copy)
    assert "index.html: content differs from the signed manifest" in str(info.value)
    assert "bulletins/planted.html: not covered by any signature" in str(info.value)


def test_a_signature_swapped_from_another_file_is_refused(site_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(site_dir, copy)
    a, b = copy / "bulletins" / f"{3:016x}.json", copy / "bulletins" / f"{4:016x}.json"
    shutil.copy(a, b)
    shutil.copy(a.with_name(a.name + ".minisig"), b.with_name(b.name + ".minisig"))
    with pytest.raises(BulletinSignatureError, match="signature is for another file"):
        verify_site(copy)


def test_a_pinned_key_that_differs_is_reported(site_dir: Path) -> None:
    from quietwire.crypto import Secret
    from quietwire.crypto._signing import FAST_SIGNING_KDF, new_signing_key

    other = new_signing_key(Secret("x"), FAST_SIGNING_KDF).public_key
    with pytest.raises(BulletinSignatureError, match="different key"):
        verify_site(site_dir, other)


def test_export_copies_a_verifiable_tree_and_refuses_a_full_target(
    site_dir: Path, tmp_path: Path
) -> None:
    count = export_site(str(site_dir), tmp_path / "mirror")
    assert count == len([p for p in site_dir.rglob("*") if p.is_file()])
    assert verify_site(tmp_path / "mirror").files == count
    with pytest.raises(SiteError, match="not empty"):
        export_site(str(site_dir), tmp_path / "mirror")


def test_published_times_are_whole_seconds_in_utc(site_dir: Path) -> None:
    doc = json.loads((site_dir / "bulletins" / f"{1:016x}.json").read_bytes())
    assert datetime.strptime(doc["published"], "%Y-%m-%dT%H:%M:%SZ")


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200).filter(
    lambda s: s.strip() != ""
)


@settings(max_examples=60, deadline=None)
@given(
    title=_text,
    body=_text,
    lang=st.sampled_from(["ar", "en"]),
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    seconds=st.integers(0, 4_000_000_000),
)
def test_canonical_json_round_trips_any_text(
    title: str, body: str, lang: str, lat: float, lon: float, seconds: int
) -> None:
    la, lo = coarsen(lat, lon)
    b = Bulletin(
        id="00000000000000ff",
        lang=lang,
        title=title,
        body=body,
        published=datetime.fromtimestamp(seconds, UTC),
        place=Place(title, la, lo),
    )
    data = to_canonical_json(b)
    assert from_canonical_json(data) == b
    assert to_canonical_json(from_canonical_json(data)) == data


def test_an_arabic_index_is_right_to_left(make_bulletins: Callable[[int], list[Bulletin]]) -> None:
    from quietwire.publish._chart import weekly_counts
    from quietwire.publish._render import SiteInfo, render_index_pages

    items = make_bulletins(8)
    rows, types = weekly_counts(items)
    pages = render_index_pages(items, SiteInfo("كوايت واير", "RWQ", lang="ar"), rows, types)
    html = pages["index.html"].decode()
    assert '<html lang="ar" dir="rtl">' in html and "الحوادث أسبوعيًا حسب نوع الحدث" in html
    assert 'lang="en" dir="ltr"' in html  # English entries keep their own direction


def test_a_shrinking_site_keeps_no_stale_archive_page_or_chart(
    site_dir: Path, tmp_path: Path, signing: tuple[SigningKey, bytes]
) -> None:
    from quietwire.publish import SiteInfo, delete_site_file, iter_tree, refresh_aggregates

    key, pub = signing
    copy = tmp_path / "copy"
    shutil.copytree(site_dir, copy)
    assert {"archive-2.html", "chart.svg"} <= set(iter_tree(copy))
    # When every bulletin is taken off and the aggregates are signed again
    for path in iter_tree(copy):
        if path.startswith(("bulletins/", "media/")):
            assert delete_site_file(copy, path)
    refresh_aggregates(copy, [], key, SiteInfo("QuietWire", key.public_key), pub)
    # Then no archive page or chart is left over, empty folders are gone, and it verifies
    left = set(iter_tree(copy))
    assert not {p for p in left if p.startswith(("archive-", "chart."))}
    assert not (copy / "media").exists() and not (copy / "bulletins").exists()
    assert verify_site(copy, key.public_key).files == len(left)
    assert delete_site_file(copy, "bulletins/0000000000000001.json") is False  # idempotent


def test_deleting_a_site_file_stays_inside_the_tree(tmp_path: Path) -> None:
    from quietwire.publish import delete_site_file

    root, outside = tmp_path / "public", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "keep.json").write_text("{}")
    (tmp_path / "config.json").write_text("{}")
    (root / "media").symlink_to(outside)
    for bad in ("../config.json", "media/keep.json", "/etc/passwd", "x.py", ".env"):
        with pytest.raises(SiteError):
            delete_site_file(root, bad)
    assert (outside / "keep.json").exists() and (tmp_path / "config.json").exists()
