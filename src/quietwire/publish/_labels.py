"""Every word the public site shows, in Arabic and English, and how it writes dates.

The site never shows a raw taxonomy id: event types and ACLED sub-event types have a label
in each language, and a grade (the Admiralty code, STANAG 2511) is spelled out in plain
words beside its code. Dates follow the page's language (Babel), and an Arabic page may use
Arabic-Indic digits when the site says so.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "latest": "Latest bulletins",
        "published": "Published",
        "date": "Date of events",
        "place": "Place",
        "event_type": "Event type",
        "grade": "Grade",
        "sources": "Independent sources",
        "signature": "signature",
        "signed_json": "Signed JSON",
        "signed": "Everything here is signed with the key in",
        "older": "Older bulletins",
        "newer": "Newer bulletins",
        "page": "Page",
        "chart_title": "Incidents per week by event type",
        "chart_alt": "Bar chart of incidents per week by event type; the table below has the figures.",  # noqa: E501 (a data table reads best on one line)
        "week": "Week starting",
        "total": "Total",
        "no_data": "No incidents yet.",
        "about": "About",
        "about_title": "About this site and how to check it",
        "feeds": "Feeds",
        "what_grade_means": "What the grade means",
        "grades_title": "What a grade means",
        "grades_intro": (
            "Each bulletin carries a grade of two parts, judged separately: a letter for how "
            "reliable its sources have proved in the past, and a digit for how well this "
            "report is supported by independent sources. A source never named here is "
            "protected: the grade says how far to trust the report, not who made it."
        ),
        "reliability": "The letter: how reliable the source has been",
        "credibility": "The digit: how well the report is supported",
        "sources_intro": (
            "Independent sources are counted so that outlets repeating one original source "
            "count once: four news sites quoting the same monitoring group are one source."
        ),
        "verify_title": "How to check that a file is ours",
        "verify_intro": (
            "Every bulletin's JSON, every feed and every image is signed with minisign. Check "
            "one with the stock minisign tool and the public key below:"
        ),
        "manifest": (
            "The file manifest.json lists the SHA-256 of every other file of the site and is "
            "signed too, so pages and the stylesheet are covered as well."
        ),
        "key": "Public key",
    },
    "ar": {
        "latest": "أحدث النشرات",
        "published": "تاريخ النشر",
        "date": "تاريخ الأحداث",
        "place": "المكان",
        "event_type": "نوع الحدث",
        "grade": "التقييم",
        "sources": "مصادر مستقلة",
        "signature": "التوقيع",
        "signed_json": "نسخة JSON موقّعة",
        "signed": "كل ما هنا موقّع بالمفتاح في",
        "older": "نشرات أقدم",
        "newer": "نشرات أحدث",
        "page": "الصفحة",
        "chart_title": "الحوادث أسبوعيًا حسب نوع الحدث",
        "chart_alt": "رسم بياني للحوادث أسبوعيًا حسب النوع؛ الجدول أدناه يضم الأرقام.",
        "week": "بداية الأسبوع",
        "total": "المجموع",
        "no_data": "لا حوادث بعد.",
        "about": "عن الموقع",
        "about_title": "عن هذا الموقع وكيف تتحقق منه",
        "feeds": "الخلاصات",
        "what_grade_means": "ماذا يعني التقييم",
        "grades_title": "ماذا يعني التقييم",
        "grades_intro": (
            "لكل نشرة تقييم من جزأين يُحكم على كل منهما وحده: حرف يبيّن مدى موثوقية مصادرها "
            "فيما سبق، ورقم يبيّن مدى ما يسند هذا الخبر من مصادر مستقلة. لا نذكر مصادرنا هنا "
            "حمايةً لها: التقييم يقول إلى أي حد يمكن الوثوق بالخبر، لا من نقله."
        ),
        "reliability": "الحرف: مدى موثوقية المصدر فيما سبق",
        "credibility": "الرقم: مدى ما يسند الخبر",
        "sources_intro": (
            "نعدّ المصادر المستقلة بحيث تُحسب المنافذ التي تكرر مصدرًا أصليًا واحدًا مرة واحدة: "
            "أربعة مواقع إخبارية تنقل عن المرصد نفسه مصدرٌ واحد."
        ),
        "verify_title": "كيف تتحقق من أن الملف صادر عنا",
        "verify_intro": (
            "كل نسخة JSON لنشرة، وكل خلاصة وكل صورة، موقّعة بأداة minisign. تحقق منها بأداة "
            "minisign المعتادة وبالمفتاح العام أدناه:"
        ),
        "manifest": (
            "يضم الملف manifest.json بصمة SHA-256 لكل ملف آخر في الموقع وهو موقّع أيضًا، "
            "فتشمل الحمايةُ الصفحاتِ وملف التنسيق."
        ),
        "key": "المفتاح العام",
    },
}

#: ACLED's six event types and 25 sub-event types (the verify engine's ids).
EVENT_TYPES: dict[str, dict[str, str]] = {
    "battles": {"en": "Battles", "ar": "معارك"},
    "explosions_remote_violence": {"en": "Explosions / remote violence", "ar": "انفجارات وعنف عن بعد"},  # noqa: E501 (a data table reads best on one line)
    "violence_against_civilians": {"en": "Violence against civilians", "ar": "عنف ضد المدنيين"},
    "protests": {"en": "Protests", "ar": "احتجاجات"},
    "riots": {"en": "Riots", "ar": "أعمال شغب"},
    "strategic_developments": {"en": "Strategic developments", "ar": "تطورات استراتيجية"},
    "armed_clash": {"en": "Armed clash", "ar": "اشتباك مسلح"},
    "government_regains_territory": {"en": "Government regains territory", "ar": "استعادة الحكومة أراضيَ"},  # noqa: E501 (a data table reads best on one line)
    "non_state_actor_overtakes_territory": {"en": "Non-state group takes territory", "ar": "سيطرة جماعة مسلحة على أراضٍ"},  # noqa: E501 (a data table reads best on one line)
    "chemical_weapon": {"en": "Chemical weapon", "ar": "سلاح كيميائي"},
    "air_drone_strike": {"en": "Air or drone strike", "ar": "غارة جوية أو بطائرة مسيّرة"},
    "suicide_bomb": {"en": "Suicide bombing", "ar": "تفجير انتحاري"},
    "shelling_artillery_missile_attack": {"en": "Shelling, artillery or missile attack", "ar": "قصف مدفعي أو صاروخي"},  # noqa: E501 (a data table reads best on one line)
    "remote_explosive_landmine_ied": {"en": "Remote explosive, landmine or IED", "ar": "عبوة ناسفة أو لغم"},  # noqa: E501 (a data table reads best on one line)
    "grenade": {"en": "Grenade", "ar": "قنبلة يدوية"},
    "sexual_violence": {"en": "Sexual violence", "ar": "عنف جنسي"},
    "attack": {"en": "Attack on civilians", "ar": "اعتداء على مدنيين"},
    "abduction_forced_disappearance": {"en": "Abduction or forced disappearance", "ar": "خطف أو إخفاء قسري"},  # noqa: E501 (a data table reads best on one line)
    "peaceful_protest": {"en": "Peaceful protest", "ar": "احتجاج سلمي"},
    "protest_with_intervention": {"en": "Protest broken up", "ar": "احتجاج تدخلت فيه قوات"},
    "excessive_force_against_protesters": {"en": "Excessive force against protesters", "ar": "قوة مفرطة ضد المحتجين"},  # noqa: E501 (a data table reads best on one line)
    "violent_demonstration": {"en": "Violent demonstration", "ar": "مظاهرة عنيفة"},
    "mob_violence": {"en": "Mob violence", "ar": "عنف جماعي"},
    "agreement": {"en": "Agreement", "ar": "اتفاق"},
    "arrests": {"en": "Arrests", "ar": "اعتقالات"},
    "arrest": {"en": "Arrests", "ar": "اعتقالات"},
    "change_to_group_activity": {"en": "Change to a group or its activity", "ar": "تغيّر في جماعة أو نشاطها"},  # noqa: E501 (a data table reads best on one line)
    "disrupted_weapons_use": {"en": "Weapons seized or defused", "ar": "ضبط أسلحة أو تعطيلها"},
    "headquarters_or_base_established": {"en": "Headquarters or base set up", "ar": "إنشاء مقر أو قاعدة"},  # noqa: E501 (a data table reads best on one line)
    "looting_property_destruction": {"en": "Looting or destruction of property", "ar": "نهب أو تدمير ممتلكات"},  # noqa: E501 (a data table reads best on one line)
    "non_violent_transfer_of_territory": {"en": "Territory handed over without fighting", "ar": "انتقال السيطرة على أراضٍ دون قتال"},  # noqa: E501 (a data table reads best on one line)
    "other": {"en": "Other", "ar": "أخرى"},
    "untyped": {"en": "Not classified", "ar": "غير مصنّف"},
}  # fmt: skip

#: The ACLED event type each sub-event type belongs to (as the verify engine files them;
#: a test holds the two tables together, since publish does not import verify).
PARENT: dict[str, str] = {
    **dict.fromkeys(("armed_clash", "government_regains_territory",
                     "non_state_actor_overtakes_territory"), "battles"),
    **dict.fromkeys(("chemical_weapon", "air_drone_strike", "suicide_bomb",
                     "shelling_artillery_missile_attack", "remote_explosive_landmine_ied",
                     "grenade"), "explosions_remote_violence"),
    **dict.fromkeys(("sexual_violence", "attack", "abduction_forced_disappearance"),
                    "violence_against_civilians"),
    **dict.fromkeys(("peaceful_protest", "protest_with_intervention",
                     "excessive_force_against_protesters"), "protests"),
    **dict.fromkeys(("violent_demonstration", "mob_violence"), "riots"),
    **dict.fromkeys(("agreement", "arrests", "arrest", "change_to_group_activity",
                     "disrupted_weapons_use", "headquarters_or_base_established",
                     "looting_property_destruction", "non_violent_transfer_of_territory",
                     "other"), "strategic_developments"),
}  # fmt: skip
TOP_TYPES = ("battles", "explosions_remote_violence", "violence_against_civilians", "protests",
             "riots", "strategic_developments")  # fmt: skip


def chart_type(event_type: str | None) -> str:
    """The bar a bulletin counts in: its ACLED event type, or "untyped"."""
    if event_type in TOP_TYPES:
        return event_type
    return PARENT.get(event_type or "", "untyped")


#: The Admiralty code in plain words: source reliability A-F, information credibility 1-6.
RELIABILITY: dict[str, dict[str, str]] = {
    "A": {"en": "completely reliable: always right so far", "ar": "موثوق تمامًا: أصاب دائمًا حتى الآن"},  # noqa: E501 (a data table reads best on one line)
    "B": {"en": "usually reliable", "ar": "موثوق في الغالب"},
    "C": {"en": "fairly reliable", "ar": "موثوق إلى حد ما"},
    "D": {"en": "not usually reliable", "ar": "غير موثوق في الغالب"},
    "E": {"en": "unreliable", "ar": "غير موثوق"},
    "F": {"en": "cannot be judged yet: a new source, or too little history", "ar": "لا يمكن الحكم بعد: مصدر جديد أو سجل قصير"},  # noqa: E501 (a data table reads best on one line)
}  # fmt: skip
CREDIBILITY: dict[str, dict[str, str]] = {
    "1": {"en": "confirmed by other independent sources", "ar": "أكدته مصادر مستقلة أخرى"},
    "2": {"en": "probably true", "ar": "صحيح على الأرجح"},
    "3": {"en": "possibly true, not yet confirmed by others", "ar": "قد يكون صحيحًا، ولم تؤكده مصادر أخرى بعد"},  # noqa: E501 (a data table reads best on one line)
    "4": {"en": "doubtful", "ar": "مشكوك فيه"},
    "5": {"en": "improbable: contradicted by other sources", "ar": "مستبعد: تناقضه مصادر أخرى"},
    "6": {"en": "cannot be judged", "ar": "لا يمكن الحكم عليه"},
}  # fmt: skip

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def event_type_label(event_type: str, lang: str) -> str:
    """The label of an event or sub-event type; an unknown id reads as words, not snake_case."""
    return EVENT_TYPES.get(event_type, {}).get(lang, event_type.replace("_", " "))


def grade_words(grade: str, lang: str) -> str:
    """A grade in plain words: B2 is "usually reliable; probably true"."""
    sep = "؛ " if lang == "ar" else "; "
    return RELIABILITY[grade[0]][lang] + sep + CREDIBILITY[grade[1]][lang]


def digits(text: str, lang: str, style: str) -> str:
    """`text` with Arabic-Indic digits on an Arabic page when the site asks for them."""
    return text.translate(_ARABIC_DIGITS) if lang == "ar" and style == "arab" else text


def long_date(day: date, lang: str, style: str) -> str:
    """A date as the page's language writes it ("31 August 2026", "31 أغسطس 2026")."""
    return digits(format_date(day, "d MMMM y", locale=lang), lang, style)


def short_date(day: date, lang: str, style: str) -> str:
    """Day and month for an axis ("31 Aug")."""
    return digits(format_date(day, "d MMM", locale=lang), lang, style)
