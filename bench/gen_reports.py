"""Generate N synthetic reports for `quietwire verify cluster`, with their ground truth.

    .venv/bin/python bench/gen_reports.py 100000 /tmp/reports-100k.jsonl [--seed 7] [--raw]

Distributions, chosen to look like a conflict-monitoring desk's intake:
- places: 60 real towns (English and Arabic names, coordinates) plus 8,000 generated
  villages around them, drawn with Zipf popularity (s = 1.1), so a few cities get most
  reports, as in ACLED;
- dates: events spread over two years (2024-01-01 .. 2025-12-30), reports published on
  the event day or up to two days later;
- event types with ACLED-like shares (explosions 33%, protests 22%, battles 20%,
  violence against civilians 15%, strategic developments 6%, riots 4%);
- reports per event: 1 + geometric (mean about 2.4); of reports after the first, about
  one in five repeats another (cites its outlet, or copies its text word for word with a
  header), a few echo our own bulletins, the rest are independent (their own account or
  a named source); 5% of events carry one materially different death toll;
- Arabic about 45%, English the rest.

Each line holds the input fields (`id`, `text`, `lang`, `published`, `outlet`, `cites`),
`gold_event` and `gold_origin` (the true independent origin, or null for echoes of us),
and, unless --raw, an `extraction` object as `verify extract` would write it (with 5% of
event types and 3% of places missing), so the clustering can be measured apart from
extraction.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

TOWNS = [
    ("Aleppo", "حلب", 36.20, 37.16),
    ("Idlib", "إدلب", 35.93, 36.63),
    ("Homs", "حمص", 34.73, 36.72),
    ("Hama", "حماة", 35.13, 36.75),
    ("Raqqa", "الرقة", 35.95, 39.01),
    ("Deir ez-Zor", "دير الزور", 35.33, 40.14),
    ("Daraa", "درعا", 32.62, 36.10),
    ("Latakia", "اللاذقية", 35.52, 35.79),
    ("Damascus", "دمشق", 33.51, 36.29),
    ("Douma", "دوما", 33.57, 36.40),
    ("Mosul", "الموصل", 36.34, 43.13),
    ("Kirkuk", "كركوك", 35.47, 44.39),
    ("Fallujah", "الفلوجة", 33.35, 43.78),
    ("Ramadi", "الرمادي", 33.42, 43.30),
    ("Basra", "البصرة", 30.51, 47.81),
    ("Tikrit", "تكريت", 34.60, 43.68),
    ("Baghdad", "بغداد", 33.31, 44.36),
    ("Sinjar", "سنجار", 36.32, 41.88),
    ("Taiz", "تعز", 13.58, 44.02),
    ("Aden", "عدن", 12.79, 45.03),
    ("Sanaa", "صنعاء", 15.37, 44.19),
    ("Marib", "مأرب", 15.46, 45.32),
    ("Hodeidah", "الحديدة", 14.80, 42.95),
    ("Saada", "صعدة", 16.94, 43.76),
    ("Khartoum", "الخرطوم", 15.50, 32.56),
    ("Omdurman", "أم درمان", 15.64, 32.48),
    ("El Fasher", "الفاشر", 13.63, 25.35),
    ("Nyala", "نيالا", 12.05, 24.88),
    ("El Geneina", "الجنينة", 13.45, 22.44),
    ("Wad Madani", "ود مدني", 14.40, 33.52),
    ("Tripoli", "طرابلس", 32.89, 13.19),
    ("Benghazi", "بنغازي", 32.12, 20.09),
    ("Misrata", "مصراتة", 32.38, 15.09),
    ("Sirte", "سرت", 31.21, 16.59),
    ("Derna", "درنة", 32.76, 22.64),
    ("Sabha", "سبها", 27.04, 14.43),
    ("Gaza", "غزة", 31.50, 34.47),
    ("Khan Younis", "خان يونس", 31.34, 34.31),
    ("Rafah", "رفح", 31.28, 34.25),
    ("Jenin", "جنين", 32.46, 35.30),
    ("Nablus", "نابلس", 32.22, 35.26),
    ("Hebron", "الخليل", 31.53, 35.10),
    ("Tyre", "صور", 33.27, 35.20),
    ("Nabatieh", "النبطية", 33.38, 35.48),
    ("Baalbek", "بعلبك", 34.01, 36.21),
    ("Tripoli (Lebanon)", "طرابلس الشام", 34.44, 35.85),
    ("Qamishli", "القامشلي", 37.05, 41.22),
    ("Hasakah", "الحسكة", 36.50, 40.75),
    ("Manbij", "منبج", 36.53, 37.95),
    ("Afrin", "عفرين", 36.51, 36.87),
    ("Palmyra", "تدمر", 34.56, 38.27),
    ("Suwayda", "السويداء", 32.71, 36.57),
    ("Quneitra", "القنيطرة", 33.13, 35.82),
    ("Tartus", "طرطوس", 34.89, 35.89),
    ("Kobani", "عين العرب", 36.89, 38.35),
    ("Al-Bab", "الباب", 36.37, 37.52),
    ("Jableh", "جبلة", 35.36, 35.93),
    ("Maarat al-Numan", "معرة النعمان", 35.65, 36.67),
    ("Saraqib", "سراقب", 35.86, 36.80),
    ("Jisr al-Shughur", "جسر الشغور", 35.81, 36.32),
]
PREFIX = [("Kafr", "كفر"), ("Tell", "تل"), ("Ain", "عين"), ("Deir", "دير"), ("Beit", "بيت")]
ROOTS = [
    ("Nasr", "نصر"),
    ("Hamra", "حمرا"),
    ("Zaytun", "زيتون"),
    ("Rumman", "رمان"),
    ("Jabal", "جبل"),
    ("Sharqi", "شرقي"),
    ("Bayda", "بيضا"),
    ("Kabir", "كبير"),
    ("Nahr", "نهر"),
    ("Qasr", "قصر"),
    ("Salam", "سلام"),
    ("Wadi", "وادي"),
    ("Hajar", "حجر"),
    ("Tin", "تين"),
    ("Milh", "ملح"),
    ("Sukkar", "سكر"),
    ("Ward", "ورد"),
    ("Nakhl", "نخل"),
    ("Dhahab", "ذهب"),
    ("Ghazal", "غزال"),
]
TYPES = [
    ("explosions_remote_violence", 0.33),
    ("protests", 0.22),
    ("battles", 0.20),
    ("violence_against_civilians", 0.15),
    ("strategic_developments", 0.06),
    ("riots", 0.04),
]
EN = {
    "explosions_remote_violence": [
        "{what} hit {place} {when}, killing {n} people",
        "{n} people died when {what} struck a neighbourhood of {place}",
        "rescuers in {place} recovered {n} bodies after {what} {when}",
    ],
    "protests": [
        "{n} people protested in {place} {when} over {why}",
        "a crowd of {n} gathered in the centre of {place} to denounce {why}",
        "demonstrators, {n} by one count, marched through {place} against {why}",
    ],
    "battles": [
        "fighting between {actor} and rival fighters broke out in {place} {when}, leaving {n} dead",
        "{n} fighters were killed in clashes involving {actor} near {place}",
        "heavy gunfire was heard in {place} as {actor} fought an armed group; {n} died",
    ],
    "violence_against_civilians": [
        "{actor} gunmen killed {n} civilians in {place} {when}",
        "{n} unarmed residents of {place} were shot dead, and relatives blamed {actor}",
        "the bodies of {n} civilians were found in {place} after a raid by {actor}",
    ],
    "strategic_developments": [
        "{actor} took over checkpoints around {place} {when} and arrested {n} men",
        "{n} young men were detained in {place} during a sweep by {actor}",
        "a wave of arrests by {actor} in {place} saw {n} people taken away",
    ],
    "riots": [
        "a crowd set fire to offices in {place} {when}, and {n} people were hurt",
        "{n} people were injured when angry residents stormed a building in {place}",
        "rioters clashed with guards in {place}, wounding {n}",
    ],
}
AR = {
    "explosions_remote_violence": [
        "{what} استهدف {place} {when} وأسفر عن مقتل {n} أشخاص",
        "قتل {n} أشخاص جراء {what} على حي في {place}",
        "انتشلت فرق الإنقاذ في {place} جثث {n} ضحايا بعد {what}",
    ],
    "protests": [
        "خرج {n} متظاهرين في {place} {when} احتجاجاً على {why}",
        "تجمع نحو {n} شخصاً وسط {place} للتنديد بـ{why}",
        "سار محتجون قدر عددهم بـ{n} في شوارع {place} رفضاً لـ{why}",
    ],
    "battles": [
        "اندلعت اشتباكات بين {actor} ومسلحين في {place} {when} أدت إلى مقتل {n}",
        "قتل {n} مقاتلين في معارك شاركت فيها {actor} قرب {place}",
        "سمع دوي إطلاق نار كثيف في {place} خلال مواجهات مع {actor} وسقط {n} قتلى",
    ],
    "violence_against_civilians": [
        "قتل مسلحون من {actor} {n} مدنيين في {place} {when}",
        "لقي {n} من سكان {place} العزل حتفهم بالرصاص واتهم ذووهم {actor}",
        "عثر على جثث {n} مدنيين في {place} بعد مداهمة نفذتها {actor}",
    ],
    "strategic_developments": [
        "سيطرت {actor} على حواجز حول {place} {when} واعتقلت {n} رجلاً",
        "اعتقل {n} شباناً في {place} خلال حملة دهم نفذتها {actor}",
        "طالت حملة اعتقالات نفذتها {actor} في {place} {n} أشخاص",
    ],
    "riots": [
        "أضرم محتجون النار في مكاتب في {place} {when} وأصيب {n} أشخاص",
        "أصيب {n} أشخاص عندما اقتحم سكان غاضبون مبنى في {place}",
        "اشتبك مشاغبون مع حراس في {place} ما أدى إلى إصابة {n}",
    ],
}
SUB = {
    "explosions_remote_violence": [
        "Air/drone strike",
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Shelling/artillery/missile attack",
    ],
}
WHAT_EN = ["an air strike", "a drone strike", "artillery shelling", "a car bomb", "a rocket"]
WHAT_AR = ["قصف جوي", "هجوم بطائرة مسيرة", "قصف مدفعي", "انفجار سيارة مفخخة", "صاروخ"]
WHY_EN = ["bread prices", "power cuts", "arrests of students", "unpaid salaries", "water shortages"]
WHY_AR = ["غلاء الخبز", "انقطاع الكهرباء", "اعتقال طلاب", "تأخر الرواتب", "نقص المياه"]
ACTORS = [
    ("army", "الجيش"),
    ("a local militia", "ميليشيا محلية"),
    ("police", "الشرطة"),
    ("rebel", "فصائل المعارضة"),
    ("tribal", "مسلحين من العشائر"),
]
FILL_EN = [
    "Witnesses described panic in the streets.",
    "Ambulances were seen leaving the area.",
    "Phone lines were down for hours.",
    "Shops closed early.",
    "Schools stayed shut.",
    "Residents said the area had been calm for weeks.",
    "Smoke could be seen from afar.",
    "Local officials promised an investigation.",
    "Several buildings were damaged.",
    "Traffic on the main road stopped.",
    "Hospitals called for blood donors.",
    "It was the third such incident this month.",
    "Families fled towards nearby farms.",
    "Photos shared online showed collapsed walls.",
    "A curfew was announced at dusk.",
    "Aid groups said they could not reach the area.",
    "Bakeries ran out of bread.",
    "The dead were buried the same evening.",
    "Mobile data was cut in the district.",
]
FILL_AR = [
    "وصف شهود حالة من الذعر في الشوارع.",
    "شوهدت سيارات الإسعاف تغادر المكان.",
    "انقطعت الاتصالات لساعات.",
    "أغلقت المحال أبوابها مبكراً.",
    "بقيت المدارس مغلقة.",
    "قال سكان إن المنطقة كانت هادئة منذ أسابيع.",
    "شوهد الدخان من مسافة بعيدة.",
    "وعد مسؤولون محليون بفتح تحقيق.",
    "تضررت عدة مبان.",
    "توقفت حركة السير على الطريق الرئيسي.",
    "ناشدت المستشفيات المواطنين التبرع بالدم.",
    "هذه ثالث حادثة من نوعها هذا الشهر.",
    "نزحت عائلات نحو المزارع المجاورة.",
    "أظهرت صور متداولة جدراناً منهارة.",
    "أعلن حظر تجول عند المغيب.",
    "قالت منظمات إغاثة إنها لم تتمكن من الوصول.",
    "نفد الخبز من الأفران.",
    "دفن القتلى في المساء نفسه.",
    "قطعت خدمة الإنترنت عن الحي.",
]
NAMED = [
    ("the Civil Defence", "الدفاع المدني"),
    ("the Health Directorate", "مديرية الصحة"),
    ("the Observatory", "المرصد"),
    ("the local council", "المجلس المحلي"),
]
START = date(2024, 1, 1)


def gazetteer(rng: np.random.Generator, villages: int) -> list[tuple[str, str, float, float]]:
    places = list(TOWNS)
    for k in range(villages):
        town = TOWNS[k % len(TOWNS)]
        (pe, pa), (re_, ra) = PREFIX[k % len(PREFIX)], ROOTS[(k // len(PREFIX)) % len(ROOTS)]
        num = k // (len(PREFIX) * len(ROOTS))
        suffix_en, suffix_ar = (f" {num}", f" {num}") if num else ("", "")
        lat = round(town[2] + float(rng.uniform(-0.4, 0.4)), 2)
        lon = round(town[3] + float(rng.uniform(-0.4, 0.4)), 2)
        places.append((f"{pe} {re_}{suffix_en}", f"{pa} {ra}{suffix_ar}", lat, lon))
    return places


class Writer:
    """Builds events and their reports; holds the generator state."""

    def __init__(self, rng: np.random.Generator, raw: bool) -> None:
        self.rng = rng
        self.raw = raw
        self.places = gazetteer(rng, 8000)
        w = 1.0 / np.arange(1, len(self.places) + 1) ** 1.1
        self.place_p = w / w.sum()
        self.outlets = [f"Outlet {k:03d}" for k in range(400)]
        ow = 1.0 / np.arange(1, len(self.outlets) + 1) ** 0.8
        self.outlet_p = ow / ow.sum()
        self.type_names = [t for t, _ in TYPES]
        self.type_p = np.array([p for _, p in TYPES])
        self.n = 0

    def pick(self, seq: list[Any]) -> Any:
        return seq[int(self.rng.integers(len(seq)))]

    def text(
        self,
        lang: str,
        etype: str,
        place: tuple[str, str, float, float],
        n: int,
        actor: int,
        what: int,
        why: int,
        lead: str,
    ) -> str:
        fills = FILL_AR if lang == "ar" else FILL_EN
        picked = self.rng.choice(len(fills), int(self.rng.integers(2, 5)), replace=False)
        extra = " ".join(fills[int(i)] for i in picked)
        variant = int(self.rng.integers(3))
        if lang == "ar":
            core = AR[etype][variant].format(
                what=WHAT_AR[what],
                place=place[1],
                when="يوم أمس",
                n=n,
                actor=ACTORS[actor][1],
                why=WHY_AR[why],
            )
            return f"{lead}{core}. {extra}"
        core = (
            EN[etype][variant]
            .format(
                what=WHAT_EN[what],
                place=place[0],
                when="on the day",
                n=n,
                actor=ACTORS[actor][0],
                why=WHY_EN[why],
            )
            .strip()
        )
        return f"{lead}{core[0].upper()}{core[1:]}. {extra}"

    def event(self, ev: int) -> list[dict[str, Any]]:
        rng = self.rng
        place = self.places[int(rng.choice(len(self.places), p=self.place_p))]
        etype = self.type_names[int(rng.choice(len(self.type_names), p=self.type_p))]
        day = START + timedelta(days=int(rng.integers(730)))
        deaths = int(rng.geometric(0.15))
        actor, what, why = int(rng.integers(5)), int(rng.integers(5)), int(rng.integers(5))
        size = 1 + int(rng.geometric(0.7)) - 1 + int(rng.geometric(0.6)) - 1
        odd = rng.random() < 0.05 and size > 1
        out: list[dict[str, Any]] = []
        for k in range(size):
            self.n += 1
            lang = "ar" if rng.random() < 0.45 else "en"
            outlet = self.outlets[int(rng.choice(len(self.outlets), p=self.outlet_p))]
            published = day + timedelta(days=int(rng.integers(3)))
            kind = (
                "own"
                if k == 0
                else str(
                    rng.choice(
                        ["own", "named", "cite", "copy", "echo"], p=[0.45, 0.33, 0.10, 0.10, 0.02]
                    )
                )
            )
            n = deaths * 6 + 10 if odd and k == size - 1 else deaths
            cites: list[str] = []
            attrib: list[tuple[str, str]] = []
            origin: str | None = f"outlet:{outlet.lower()}"
            if kind == "named":
                named = NAMED[int(rng.integers(len(NAMED)))]
                lead = f"قال {named[1]} إن " if lang == "ar" else f"According to {named[0]}, "
                attrib.append((named[1] if lang == "ar" else named[0], "said"))
                origin = f"who:{named[0].removeprefix('the ').lower()}"
                body = self.text(lang, etype, place, n, actor, what, why, lead)
            elif kind in ("cite", "copy"):
                parent = out[int(rng.integers(len(out)))]
                origin = parent["gold_origin"]
                published = max(published, date.fromisoformat(parent["published"]))
                if kind == "cite":
                    cites = [parent["outlet"]]
                    lead = (
                        f"نقلت {parent['outlet']} أن "
                        if lang == "ar"
                        else f"{parent['outlet']} reported that "
                    )
                    attrib.append((parent["outlet"], "reported"))
                    body = self.text(lang, etype, place, n, actor, what, why, lead)
                else:
                    lang = parent["lang"]
                    body = ("عاجل | " if lang == "ar" else "BREAKING | ") + parent["text"]
                    n = parent["_n"]
            elif kind == "echo":
                origin = None
                lead = "بحسب كوايت واير، " if lang == "ar" else "QuietWire reported that "
                attrib.append(("QuietWire", "reported"))
                body = self.text(lang, etype, place, n, actor, what, why, lead)
            else:
                body = self.text(lang, etype, place, n, actor, what, why, "")
            rep: dict[str, Any] = {
                "id": f"r{self.n:08d}",
                "text": body,
                "lang": lang,
                "published": published.isoformat(),
                "outlet": outlet,
                "gold_event": f"g{ev:08d}",
                "gold_origin": origin,
                "_n": n,
            }
            if cites:
                rep["cites"] = cites
            if not self.raw:
                sub = SUB[etype][what] if etype in SUB else None
                rep["extraction"] = self.extraction(lang, etype, sub, place, day, n, attrib)
            out.append(rep)
        return out

    def extraction(
        self,
        lang: str,
        etype: str,
        sub: str | None,
        place: tuple[str, str, float, float],
        day: date,
        n: int,
        attrib: list[tuple[str, str]],
    ) -> dict[str, Any]:
        rng = self.rng
        name = place[1] if lang == "ar" else place[0]
        counts = {
            "protests": "participants",
            "riots": "injured",
            "strategic_developments": "arrested",
        }.get(etype, "killed")
        return {
            "lang": lang,
            "event_type": None if rng.random() < 0.05 else etype,
            "sub_event_type": None if rng.random() < 0.1 else sub,
            "attributions": [{"source": s, "cue": c, "content": ""} for s, c in attrib],
            "quantities": [
                {"text": str(n), "low": n, "high": n, "qualifier": "exact", "counts": counts}
            ],
            "places": []
            if rng.random() < 0.03
            else [{"name": name, "lat": place[2], "lon": place[3], "country_code": None}],
            # A quarter of texts name no date: the clustering only has the publication date.
            "dates": []
            if rng.random() < 0.25
            else [{"text": "", "start": day.isoformat(), "end": day.isoformat()}],
            "actors": [],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--raw", action="store_true", help="no pre-computed extraction")
    args = parser.parse_args()
    writer = Writer(np.random.default_rng(args.seed), args.raw)
    written = ev = 0
    with args.out.open("w", encoding="utf-8") as fh:
        while written < args.count:
            ev += 1
            for rep in writer.event(ev)[: args.count - written]:
                rep.pop("_n")
                fh.write(json.dumps(rep, ensure_ascii=False) + "\n")
                written += 1
    print(f"{written} reports in {ev} events -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
