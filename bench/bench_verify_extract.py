"""Throughput of `quietwire.verify.extract`, and the start-up of `quietwire verify extract`.

Generates N articles (half English, half Arabic) from sentence templates with varying
places, numbers, dates, actors and attributions, then times, in CPU seconds of this process
(the machine is shared, so wall time would measure the neighbours):

    baseline  one regex tokenisation pass (re.findall(r"\\w+")) over every text
    extract   the full extractor, single process, gazetteer already loaded, on ~600-word
              articles, on articles cut to 2,000 characters (the target: 500 a second) and
              on short Arabic news sentences (the target: 1,500 a second)
    stages    the same 2,000-character texts through each stage alone, to show who costs what

and the CLI's start-up: `quietwire verify extract` on a one-line file (CPU time of the child,
best of 5) beside `python -c pass`. Usage:

    .venv/bin/python bench/bench_verify_extract.py [N]
"""

from __future__ import annotations

import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from quietwire.verify import Document, extract
from quietwire.verify._actors import find_actors
from quietwire.verify._attribution import find_attributions
from quietwire.verify._dates import find_dates
from quietwire.verify._events import classify
from quietwire.verify._lang import fold
from quietwire.verify._numbers import find_numbers
from quietwire.verify._places import default_gazetteer, find_places

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


def _cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def _child_cpu(cmd: list[str]) -> float:
    """CPU seconds (user + system) of one run of `cmd`, best of 5."""
    best = float("inf")
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        took = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best = min(best, took)
    return best


def _startup() -> None:
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in.jsonl"), Path(tmp, "out.jsonl")
        src.write_text('{"id": "1", "text": "Shelling hit Raqqa on Monday."}\n', encoding="utf-8")
        empty = _child_cpu([sys.executable, "-c", "pass"])
        cli = _child_cpu(
            [str(bindir / "quietwire"), "verify", "extract", "--quiet", str(src), str(out)]
        )
    print(f"start-up (CPU): python -c pass {empty:.3f} s; verify extract of one line {cli:.3f} s")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    docs = [Document(str(i), article(i % 2 == 1), published=date(2015, 3, 20)) for i in range(n)]
    words = sum(len(d.text.split()) for d in docs)
    t0 = time.process_time()
    gaz = default_gazetteer()
    load = time.process_time() - t0

    base = _cpu(lambda: sum(len(re.findall(r"\w+", d.text)) for d in docs))
    took = _cpu(lambda: [extract(d) for d in docs])
    short = [Document(d.id, d.text[:2000], published=d.published) for d in docs]
    base2k = _cpu(lambda: sum(len(re.findall(r"\w+", d.text)) for d in short))
    took2k = _cpu(lambda: [extract(d) for d in short])
    folded = [fold(d.text) for d in short]

    print(f"texts: {n}, mean words/text: {words / n:.0f}")
    print(f"gazetteer load (once): {load:.3f} s")
    sentences = [Document(str(i), _pick(AR).format(
        n=3 + i % 90, **{k: _pick(v) for k, v in FILL.items()})) for i in range(n)]  # fmt: skip
    base_ar = _cpu(lambda: sum(len(re.findall(r"\w+", d.text)) for d in sentences))
    took_ar = _cpu(lambda: [extract(d) for d in sentences])
    runs = (("~600 words", base, took), ("2,000 chars", base2k, took2k),
            ("one Arabic sentence (target 1,500/s)", base_ar, took_ar))  # fmt: skip
    for label, b, t in runs:
        print(
            f"{label}: baseline tokenisation {n / b:,.0f} texts/s; "
            f"extract {n / t:,.1f} texts/s; ratio {t / b:.1f}x"
        )
    stages: dict[str, Callable[[], object]] = {
        "fold": lambda: [fold(d.text) for d in short],
        "places": lambda: [find_places(d.text, f, gaz) for d, f in zip(short, folded, strict=True)],
        "actors": lambda: [find_actors(f) for f in folded],
        "numbers": lambda: [find_numbers(f) for f in folded],
        "dates": lambda: [find_dates(f, d.published) for d, f in zip(short, folded, strict=True)],
        "attribution": lambda: [find_attributions(f) for f in folded],
        "event type": lambda: [classify(d.text) for d in short],
    }
    costs = {name: _cpu(fn) for name, fn in stages.items()}
    print(
        "2,000 chars, ms per text by stage: "
        + ", ".join(f"{name} {1000 * c / n:.2f}" for name, c in costs.items())
    )
    _startup()


if __name__ == "__main__":
    main()
