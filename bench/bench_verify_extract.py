"""Throughput of `quietwire.verify.extract` on ~600-word synthetic articles.

Generates N articles (half English, half Arabic) from sentence templates with varying
places, numbers, dates, actors and attributions, then times:

    baseline  one regex tokenisation pass (re.findall(r"\\w+")) over every text
    extract   the full extractor, single process, gazetteer already loaded

and prints texts/second for both and their ratio. Usage:

    .venv/bin/python bench/bench_verify_extract.py [N]
"""

from __future__ import annotations

import re
import secrets
import sys
import time
from datetime import date

from quietwire.verify import Document, extract
from quietwire.verify._places import default_gazetteer

EN = [
    "{actor} fighters forced at least {n} men in {place} to give blood {when}, an activist told {outlet}.",  # noqa: E501 (a pattern or data table reads best on one line)
    "Coalition air strikes killed up to {n} people near {place} on {day} March 2015, according to {outlet}.",  # noqa: E501 (a pattern or data table reads best on one line)
    '"We have not heard from them since," a relative from {place} told {outlet}, which was cited by {outlet2}.',  # noqa: E501 (a pattern or data table reads best on one line)
    "Dozens of civilians were abducted from their homes in {place} {when}, residents said.",
    "Between {n} and {n2} fighters died in clashes between the SDF and {actor} east of {place}.",
    "Some {n} protesters gathered in the main square of {place} to demand the release of detainees.",  # noqa: E501 (a pattern or data table reads best on one line)
    "The market reopened and traders said prices of bread and fuel had risen again this month.",
]
AR = [
    "قال ناشط من {place_ar} ل{outlet_ar} إن عناصر {actor_ar} أجبروا ما لا يقل عن {n} رجلا على التبرع بالدم {when_ar}.",  # noqa: E501 (a pattern or data table reads best on one line)
    "أفاد المرصد السوري لحقوق الإنسان بأن غارات التحالف الدولي على {place_ar} قتلت نحو {n} مدنيا.",
    "اختطف مسلحون عشرات المدنيين من منازلهم في {place_ar} خلال الأيام الماضية، بحسب ناشطين.",
    "نقلت {outlet_ar} عن شاهد عيان قوله إن أكثر من {n} عائلة نزحت من {place_ar} هربا من القصف.",
    "خرجت مظاهرة في {place_ar} يوم الجمعة شارك فيها مئات الأشخاص للمطالبة بالإفراج عن المعتقلين.",
    "عادت الأسواق إلى العمل وارتفعت أسعار الخبز والمحروقات مرة أخرى هذا الشهر.",
]
FILL = {
    "actor": ["ISIS", "Islamic State", "Daesh", "ISIL"],
    "actor_ar": ["داعش", "تنظيم الدولة"],
    "place": ["Raqqa", "Raqqah", "Deir ez-Zor", "Kobani", "Aleppo", "Tabqa", "Manbij", "Mosul"],
    "place_ar": ["الرقة", "دير الزور", "عين العرب", "حلب", "الطبقة", "منبج"],
    "outlet": ["The Independent", "Reuters", "the BBC", "Al Jazeera", "The Guardian"],
    "outlet2": ["Orient News", "Al Arabiya", "Syria Direct"],
    "outlet_ar": ["صحيفة الحياة", "قناة الجزيرة", "موقع عنب بلدي"],
    "when": ["last week", "yesterday", "over the past few days", "on Monday", "last month"],
    "when_ar": ["الأسبوع الماضي", "أمس", "يوم الاثنين", "الشهر الماضي"],
}


def _pick(options: list[str]) -> str:
    return options[secrets.randbelow(len(options))]


def article(arabic: bool, words: int = 600) -> str:
    out: list[str] = []
    count = 0
    while count < words:
        tpl = _pick(AR if arabic else EN)
        n = 2 + secrets.randbelow(200)
        s = tpl.format(
            n=n, n2=n + 1 + secrets.randbelow(50), day=1 + secrets.randbelow(28),
            **{k: _pick(v) for k, v in FILL.items()},
        )  # fmt: skip
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    docs = [Document(str(i), article(i % 2 == 1), published=date(2015, 3, 20)) for i in range(n)]
    words = sum(len(d.text.split()) for d in docs)
    t0 = time.perf_counter()
    default_gazetteer()
    load = time.perf_counter() - t0

    t0 = time.perf_counter()
    tokens = sum(len(re.findall(r"\w+", d.text)) for d in docs)
    base = time.perf_counter() - t0

    t0 = time.perf_counter()
    found = 0
    for d in docs:
        ex = extract(d)
        found += len(ex.quantities) + len(ex.places) + len(ex.attributions)
    took = time.perf_counter() - t0

    print(f"texts: {n}, mean words/text: {words / n:.0f}, tokens: {tokens}")
    print(f"gazetteer load (once): {load:.2f} s")
    print(f"baseline regex tokenisation: {n / base:,.0f} texts/s ({base:.3f} s)")
    print(f"extract: {n / took:,.1f} texts/s ({took:.2f} s, {found} items found)")
    print(f"ratio extract/baseline time: {took / base:.1f}x")


if __name__ == "__main__":
    main()
