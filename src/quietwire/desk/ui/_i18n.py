"""The desk UI's words in English and Arabic: one small table, no build step.

The desk UI has a few dozen strings and two languages, so a table in code is easier to
review than a gettext catalogue: a missing Arabic string is a failing test
(tests/unit/desk/test_ui_i18n.py), not an English word in the middle of an Arabic page.
Placeholders use `str.format` names; values are escaped by the template, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from quietwire.desk._views import HOW_KNOWN_LABELS, REPORT_LABELS

DEFAULT = "en"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in its own language, for the switch
    direction: str  # "ltr" | "rtl"


LANGUAGES = {
    "en": Language("en", "English", "ltr"),
    "ar": Language("ar", "العربية", "rtl"),
}

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"en": "Editor desk", "ar": "مكتب التحرير"},
    "inbox": {"en": "Inbox", "ar": "الوارد"},
    "language": {"en": "Language", "ar": "اللغة"},
    "sources": {"en": "Sources", "ar": "المصادر"},
    "no_sources": {
        "en": "No submissions yet. Run `quietwire desk pull` to fetch new ones.",
        "ar": "لا توجد بلاغات بعد. شغّل الأمر `quietwire desk pull` لجلب الجديد.",
    },
    "source": {"en": "Source", "ar": "المصدر"},
    "submissions": {"en": "Submissions", "ar": "البلاغات"},
    "unread": {"en": "Unread", "ar": "غير مقروء"},
    "latest": {"en": "Latest", "ar": "الأحدث"},
    "starred": {"en": "Starred", "ar": "مميّز بنجمة"},
    "star": {"en": "Star", "ar": "ميّز بنجمة"},
    "unstar": {"en": "Remove star", "ar": "أزل النجمة"},
    "mark_read": {"en": "Mark as read", "ar": "علّمه مقروءًا"},
    "mark_unread": {"en": "Mark as unread", "ar": "علّمه غير مقروء"},
    "new": {"en": "New", "ar": "جديد"},
    "received": {"en": "Received", "ar": "وصل"},
    "report": {"en": "Report", "ar": "البلاغ"},
    "message": {"en": "Message", "ar": "الرسالة"},
    "no_text": {"en": "(no message)", "ar": "(بلا رسالة)"},
    "answers": {"en": "Structured report", "ar": "البلاغ المنظّم"},
    **REPORT_LABELS,  # the report's fields and the how_known choices: shared with the CLI
    **HOW_KNOWN_LABELS,
    "files": {"en": "Files", "ar": "الملفات"},
    "scrubbed": {"en": "metadata removed", "ar": "أزيلت البيانات الوصفية"},
    "not_scrubbed": {
        "en": "not scrubbed: download only, open on an offline machine",
        "ar": "لم تُنظَّف: تنزيل فقط، افتحه على جهاز غير متصل",
    },
    "download_scrubbed": {"en": "Download scrubbed copy", "ar": "نزّل النسخة المنظّفة"},
    "download_partial": {
        "en": "Download partly cleaned copy",
        "ar": "نزّل النسخة المنظّفة جزئيًا",
    },
    "download_original": {"en": "Download original", "ar": "نزّل الأصل"},
    "original_warning": {
        "en": "The original may carry GPS, device and author data.",
        "ar": "قد يحمل الأصل الموقع وبيانات الجهاز والكاتب.",
    },
    "bytes": {"en": "{n} bytes", "ar": "{n} بايت"},
    "replies": {"en": "Replies", "ar": "الردود"},
    "reply": {"en": "Reply to this source", "ar": "ردّ على هذا المصدر"},
    "reply_hint": {
        "en": "Encrypted here to the source's reply key; only they can read it.",
        "ar": "يُشفَّر هنا بمفتاح ردّ المصدر، ولا يقرؤه سواه.",
    },
    "send": {"en": "Send reply", "ar": "أرسل الرد"},
    "sent": {"en": "Reply sent.", "ar": "أُرسل الرد."},
    "reply_failed": {"en": "The reply was not sent: {why}", "ar": "لم يُرسَل الرد: {why}"},
    "empty_reply": {"en": "Write a reply first.", "ar": "اكتب الرد أولًا."},
    "back": {"en": "Back to the inbox", "ar": "عودة إلى الوارد"},
    "not_found": {"en": "Not found.", "ar": "غير موجود."},
    "forbidden": {
        "en": "Forbidden: open the address printed by `quietwire desk ui`.",
        "ar": "ممنوع: افتح العنوان الذي طبعه الأمر `quietwire desk ui`.",
    },
    "bad_request": {
        "en": "This form has expired. Go back, reload the page and try again.",
        "ar": "انتهت صلاحية هذا النموذج. ارجع وأعد تحميل الصفحة ثم حاول مجددًا.",
    },
    "local_only": {
        "en": "Local to this computer. Close the window and stop the command when done.",
        "ar": "محلي على هذا الحاسوب. أغلق النافذة وأوقف الأمر عند الانتهاء.",
    },
}


def language(code: str | None) -> Language:
    """The language for a cookie value; English for anything unknown."""
    return LANGUAGES.get(code or "", LANGUAGES[DEFAULT])


def translate(lang: Language, key: str, **values: object) -> str:
    """The message `key` in `lang`, falling back to English, then to the key itself."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang.code) or entry[DEFAULT]
    return text.format(**values) if values else text
