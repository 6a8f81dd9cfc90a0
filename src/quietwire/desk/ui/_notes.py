"""The scrubber's notes in the editor's language.

The workspace stores each file's note in English, as the scrubber wrote it (the CLI and
`desk list --json` show it so, and notes of older workspaces must keep working). The UI
turns it back into its parts here: a note is one or more clauses joined by "; ", each an
instance of one template below with its numbers and names filled in. A note that matches
no template is shown as it is, in English and left to right, never dropped.

tests/unit/desk/test_ui_notes.py reads every note the scrubbers can write from their
source and checks that each has a template here, so a new note cannot stay English.
"""

from __future__ import annotations

import re

from quietwire.desk.ui._i18n import Language

_PARTIAL = ("partially scrubbed: ", "نُظِّف جزئيًّا: ")

# (English, Arabic); {names} stand for the values the English note carries.
TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "too large to scrub ({size} bytes, limit {cap})",
        "أكبر من أن يُنظَّف ({size} بايت، والحد {cap})",
    ),
    ("unknown file type: not scrubbed, download only", "نوع ملف غير معروف: لم يُنظَّف، للتنزيل فقط"),
    ("not valid UTF-8 text: not scrubbed", "ليس نصًّا صالحًا بترميز UTF-8: لم يُنظَّف"),
    (
        "contains NUL bytes, not plain text: not scrubbed",
        "فيه بايتات فارغة (NUL) فليس نصًّا عاديًّا: لم يُنظَّف",
    ),
    (
        "plain text carries no hidden metadata: copied",
        "النص العادي لا يحمل بيانات وصفية مخفية: نُسخ كما هو",
    ),
    ("image declares too many pixels: not scrubbed", "تعلن الصورة عددًا هائلًا من البكسلات: لم تُنظَّف"),
    ("image could not be decoded: not scrubbed", "تعذّرت قراءة الصورة: لم تُنظَّف"),
    (
        "the rebuilt image could not be saved: not scrubbed",
        "تعذّر حفظ الصورة بعد إعادة بنائها: لم تُنظَّف",
    ),
    (
        "metadata removed, image rebuilt from its pixels",
        "أزيلت البيانات الوصفية وأعيد بناء الصورة من بكسلاتها",
    ),
    (
        "first of {frames} frames only (the original keeps them all)",
        "الإطار الأول فقط من {frames} (يحتفظ الأصل بها كلها)",
    ),
    ("image format {fmt} is not supported: not scrubbed", "صيغة الصورة {fmt} غير مدعومة: لم تُنظَّف"),
    (
        "image of {size} pixels is over the limit: not scrubbed",
        "صورة من {size} بكسل تتجاوز الحد: لم تُنظَّف",
    ),
    ("mat2 is not installed: not scrubbed", "أداة mat2 غير مثبّتة: لم يُنظَّف"),
    (
        "mat2 could not clean this document: not scrubbed",
        "تعذّر على mat2 تنظيف هذا المستند: لم يُنظَّف",
    ),
    ("mat2 wrote no cleaned copy: not scrubbed", "لم تكتب mat2 نسخة منظّفة: لم يُنظَّف"),
    (
        "mat2 left metadata in this document: not scrubbed",
        "تركت mat2 بيانات وصفية في هذا المستند: لم يُنظَّف",
    ),
    ("document metadata removed with mat2", "أزيلت البيانات الوصفية للمستند بأداة mat2"),
    (
        "the document is not a readable zip archive: not scrubbed",
        "المستند ليس أرشيف zip مقروءًا: لم يُنظَّف",
    ),
    (
        "the document has {parts} parts (limit {limit}): not scrubbed",
        "في المستند {parts} جزءًا (والحد {limit}): لم يُنظَّف",
    ),
    (
        "not scrubbed: the document unzips to {size} MiB (limit {limit} MiB)",
        "لم يُنظَّف: يصير المستند بعد فكّ ضغطه {size} ميبيبايت (والحد {limit} ميبيبايت)",
    ),
    ("PDF has too many objects: not scrubbed", "في ملف PDF عدد كبير جدًّا من الكائنات: لم يُنظَّف"),
    ("PDF is password-protected: not scrubbed", "ملف PDF محمي بكلمة مرور: لم يُنظَّف"),
    ("PDF could not be read: not scrubbed", "تعذّرت قراءة ملف PDF: لم يُنظَّف"),
    (
        "{count} embedded image(s) may keep their own metadata",
        "قد تحتفظ الصور المضمَّنة ({count}) ببياناتها الوصفية",
    ),
    ("the PDF carries attached files, which were not scrubbed", "يحمل ملف PDF مرفقات لم تُنظَّف"),
    (
        "document information, XMP and image metadata removed",
        "أزيلت معلومات المستند وبيانات XMP والبيانات الوصفية للصور",
    ),
    (
        "not scrubbed: it needed more than {seconds} s of processor time",
        "لم يُنظَّف: احتاج إلى أكثر من {seconds} ثانية من وقت المعالج",
    ),
    ("not scrubbed: its copy grew past {size} MiB", "لم يُنظَّف: تجاوزت نسخته {size} ميبيبايت"),
    (
        "not scrubbed: the scrubber crashed (signal {signal}), perhaps out of memory",
        "لم يُنظَّف: انهارت أداة التنظيف (الإشارة {signal})، ربما لنفاد الذاكرة",
    ),
    (
        "not scrubbed: the scrubber failed (exit status {status})",
        "لم يُنظَّف: أخفقت أداة التنظيف (رمز الخروج {status})",
    ),
    ("not scrubbed: it took longer than {seconds} s", "لم يُنظَّف: استغرق أكثر من {seconds} ثانية"),
    (
        "not scrubbed: it needed more than {size} MiB of memory",
        "لم يُنظَّف: احتاج إلى أكثر من {size} ميبيبايت من الذاكرة",
    ),
)

_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(english: str) -> re.Pattern[str]:
    parts = _FIELD.split(english)  # literal, name, literal, name, ...
    regex = "".join(
        re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts)
    )
    return re.compile(regex)


_COMPILED = tuple((_pattern(en), ar) for en, ar in TEMPLATES)


def translate_clause(clause: str) -> str | None:
    """One clause of a note in Arabic, or None if no template matches it."""
    for pattern, arabic in _COMPILED:
        found = pattern.fullmatch(clause)
        if found is not None:
            return arabic.format(**found.groupdict())
    return None


def note_in(lang: Language, note: str) -> tuple[str, bool]:
    """The note in `lang`, and whether it is in that language (else English, as stored)."""
    if lang.code != "ar" or not note:
        return note, lang.code == "en" or not note
    prefix = ""
    rest = note
    if note.startswith(_PARTIAL[0]):
        prefix, rest = _PARTIAL[1], note[len(_PARTIAL[0]) :]
    clauses = [translate_clause(clause) for clause in rest.split("; ")]
    if any(clause is None for clause in clauses):
        return note, False
    return prefix + "؛ ".join(c for c in clauses if c is not None), True
