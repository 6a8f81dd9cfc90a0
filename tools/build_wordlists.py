"""Rebuild QuietWire's codename wordlists from their upstream packages, reproducibly.

    .venv/bin/python tools/build_wordlists.py          # rewrite crypto/wordlists/*.txt
    .venv/bin/python tools/build_wordlists.py --check  # exit 1 if the shipped files differ

Upstream inputs (exact versions are checked, because a different version gives other lists):
- English: the EFF long wordlist inside the PyPI package `diceware` (pip install diceware==1.0.1).
- Arabic: the Ayaspell dictionary of the Debian package `hunspell-ar` (apt-get install
  hunspell-ar, version 3.2-1.2), ranked by the PyPI package `wordfreq` (pip install
  wordfreq==3.1.1). Only the ranking comes from wordfreq; every word comes from Ayaspell.

Every word written is a single token (no separator inside it) in its standard spelling, and
no two words of a list are equal after `normalize_codename`, so a typed codename in any
spelling that normalises alike names exactly one sequence of words.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path

from quietwire.crypto._codename import normalize_codename

OUT_DIR = Path(__file__).resolve().parent.parent / "src" / "quietwire" / "crypto" / "wordlists"

DICEWARE_VERSION = "1.0.1"
WORDFREQ_VERSION = "3.1.1"
HUNSPELL_AR_VERSION = "3.2-1.2"
HUNSPELL_AR_DIC = Path("/usr/share/hunspell/ar.dic")
EFF_SHA256 = "addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e"
AR_DIC_SHA256 = "7aeb0346703918e1702f18e0278021c4d1fe799acea84d676c29eb0a869bad51"

ARABIC_COUNT = 4096  # 12 bits a word: 7 words give 84 bits
# Ayaspell's part for primitive nouns (اسم جامد): things a source can picture (a door, a
# lemon, a river), easier to hold in memory than verbal nouns, participles and adjectives.
CONCRETE_HEADING = "##اسم-جامد##"
# A concrete noun outranks another noun or adjective that is used up to this many times as
# often. With 4 a little over half the list is concrete nouns, all still common words.
CONCRETE_WEIGHT = 4
# The 28 letters and hamza forms; U+0640 (tatweel) and the rare U+063B-U+063F are not words.
ARABIC_LETTERS = frozenset(chr(c) for c in [*range(0x0621, 0x063B), *range(0x0641, 0x064B)])

# Ayaspell's ar.dic is several files joined; inside the noun file, `#` headings name the part.
# We take common nouns and adjectives only. Proper names (continents, countries, capitals,
# people), the name of God, loanword/brand vocabulary and function words are left out, and
# any word that also appears among the proper names is dropped too.
NOUN_FILE = "names.dic"
NAME_HEADINGS = frozenset(
    {"###أسماء", "#القارات", "#البلدان", "#العواصم", "##اسماء،أشخاص##", "####الأسماء####"}
)
FUNCTION_WORD_FILES = frozenset({"stopwords.dic", "tools.dic"})
CLITIC_PREFIXES = frozenset("\u0648\u0641\u0628\u0644\u0643")  # wa fa bi li ka
SKIPPED_HEADINGS = frozenset({"###مفرداتTB+مختلفات###", "##اﻷسماء", "#####", "###########"})

# Left out by hand, in normalised spelling, after reading the ranked candidates. A codename
# may be written down or said aloud in a hostile place, so nothing in it should offend, name a
# person, place, faith, party or armed group, or sound like violence or politics. Several
# words here are ordinary nouns that double as such a name (fath "opening" / Fatah, asad
# "lion" / Assad). A native speaker's review is still welcome (see wordlists/README.md).
_EXCLUDED_GROUPS = {
    "people": """
        باسل رامز توريس
        كسرى قتيبة خولة زريق علاوي بيرم لمى حبان ليلى
        محمد عبد عمر حسن خالد محمود مصطفي عثمان فيصل سلطان ماري طارق فهد زين حمد بكر منصور
        صلاح سعد سعود ناصر موسي عباس يعقوب ياسر هشام وليد جابر انس فريد عامر خليل زايد مرسي
        فواد عبيد حميد كمال محسن خليفه هاري علاء عماد مسعود حيدر قاسم ايمن عصام رشيد قيس عمار
        مهدي هاني شاهين زينب هريره نوح هاشم عرفات تامر درويش حسني حسام انور فاروق بندر مراد
        غسان فيروز قابوس قريش هيفاء كلثوم رومان سهيل كاظم مهند رضوان رنا هيثم عاشور مصعب عاصم
        عزام جودي غاده مها نوال فراس عاطف ايهاب جرير شمر فادي حواء نجلاء مرزوق ممدوح عدي رامي
        غانم منير حسان ضياء صابر شفيق رشاد جواد مجدي ناجي حماد عبده حامد شادي عوف مبارك بشير
        حافظ صالح عون ادم جون ماري سام ريم نبيل عادل سليم حبيب باشا شاه خان ملا فرعون ابليس
        اسد كريم امين سعيد جمال بدر هادي طه ياسين حمزه زكي رضا وسام نجيب نور هدي امل
        """,
    "places and peoples": """
        خزاعة مارون تيماء ذمار عنابة فرات موصل سدير قباء أقباط زنوج عشائر
        حلب مكه جده نجد عدن حمص نجران بابل روس عرب عربي مصري عراقي يمني مغربي تونسي صيني
        كويتي اردني سعودي فارسي قطري يهود يهودي مسيحي شيعه شيعي سني صوفي ميلان هيل وين بير
        """,
    "faith": """
        كفن موعظة تعمد
        مذبح لاهوت مطران سجود فطرة
        خطايا ذنوب معصية كفارة ثواب بدعة صحابة أولياء أضرحة مصحف مصلى مسابح مناسك منابر
        شعائر طواف قداس قس شماس خوري كنيس معابد قدوس قيوم ملكوت مشيئة نبوءة عقائد مذاهب
        ملة وضوء طهارة صراط فردوس عصمة خلفاء حوزة مرقد مشعر وزر حور ختان عذراء
        صلي رسول رمضان مسلم مسلمه رضي اسلام مومن دعاء مساجد معبد عباده شيطان جنازه قبر مقبره
        مقابر كفار فتوي فتاوي حجاج حاج صيام مفتي فقه شرعي عقيده اذان صلوات تلاوه مقدس ايمان
        ربك ربي ربه حرم محارم طقوس صدقه فضيله جحيم دينه خطبه دعاه اسلم ذنب خاطي خطييه مذنب
        مكروه جن قيامه فريضه نبيذ تبارك عبيد
        """,
    "violence and security": """
        ثكنة نهب سلب مروع مصائب منفى وعيد
        إجرام اعتداء تابوت جمجمة خنجر خندق دروع ذخيرة رشاش رماح رمح سفاح سيوف شظايا شنق
        غنائم غنيمة فدية قرصنة لغم مذابح نسف هتك فاجعة قارعة مخفر سموم رفات حارقة فتيل
        دهس رجم فتن حقد عداوة وحشي هلك نازلة مآسي سوابق محضر مخبأ تبرئة توقيف قبض مهاجم
        أعداء عدوة طرد
        قوات جريمه جرايم مقتل هجوم معركه معارك مجازر مذبحه قتال قتلي قتله ضحايا ضحيه جثه جثث
        جثمان قنابل قذايف قذيفه رصاصه مسلح مسلحه اسلحه مسدس قناص كمين تفجير سرقه سرق لصوص
        مجرم متهم اتهام تهمه سجون سجناء حبس مقاتل محارب تقاتل حروب جيوش دبابه كتيبه كتايب
        فيلق سرايا لواء عسكر ضباط جندي جنود حراس حرس عصابه تحرش ظلم ظالم فتنه قمع هزيمه تخريب
        تزوير رشوه عنف عنيف معسكر مخيم لاجي اسر اسير رعب مرعب موتي اموات ميت ميته وفاه وفيات
        توفي مت دماء جرحي جريح نزيف طعن اباده دمار تدمير غزو غزوه غاره قصف عدوان حصار مباحث
        تجسس تهريب مخدر ادمان رهاين رهينه خطف ثار شغب قاتل تعذيب سيطره محتل مشتبه انفجار
        """,
    "politics": """
        دويلة ناشط رعية تفويض تهدئة
        سفيرة جلاء خلافة ولاة
        رييس رياسه وزير وزراء وزاره حكومه حكومي سياسه سياسي حزب احزاب ثوار تمرد انقلاب معارض
        زعيم زعماء دستور نواب مرشح تصويت سفاره سفير ملك ملكه مملكه ملوك امير اماره امراء سلطنه
        حماس فتح نهضه قاعده نصره جبهه اخوان تحرير مظاهره تظاهر اضراب نضال فساد فاسد سلطه
        """,
    "rude or hurtful": """
        فضح
        نطفة شؤم عزاء
        جماع شاذ حثالة مقرف دبر مرحاض لحس سيدا سل قرحة دمي
        جنسي عاريه تقبيل بوس روث ابله غباء سخيف اعمي اخرس جنون كلاب قرد كاذب فضيحه فضايح
        اهانه عجوز غبي سب
        """,
    "loaded": """
        اله رب نبي دين صلاه صوم حج زكاه مسجد جامع كنيسه شيخ امام كافر كفر شرك جنه نار جهنم قران
        سوره ايه حرام حلال حزب ثوره ثائر جيش حرب قتل قتيل موت دم سلاح رصاص قنبله صاروخ سجن
        سجين شرطي شرطه جاسوس عدو خاين خيانه ارهاب ذبح جنس زنا عاهره عار كلب خنزير حمار احمق
        مجنون بول غايط عوره ثدي نهد فرج شهيد جهاد مجاهد عسكري ضابط دوله نظام مخابرات معتقل
        اعدام حشيش دعاره خمر قضيب حريم قبيح قذر خبيث حقير كذاب وقاحه مهزله صهيون شريعه فقيه
        مشايخ تحريم غفر فاتحه سجاده تشييع حنبل بنادق مدفع عساكر اشلاء تهجير دموي مدمر سكين
        طعنه احراق عقيد حربه مالكي نعمان قباني نوفل سامر راوول حلوان سناء بلقاء ثريا ليث ادهم
        سراج حمير كلبه رجيم جور روم رقيه شوري عيال مرتزق شبيحه داعش حوثي سلفي صدام بشار سيسي
        انجيل اسقف كنايس فقهاء افطار طايفي تحريض جاني رياسي فيتو عبس مامون نجاد رشا ذياب صدقي
        امجد عنتر فياض مودي باش تشوف كير لوف بايس سايد راجل تجر
        هاون مدرعه نزوح نصار عميل حشد صليب مخبر جلاد زنزانه انتحار احتلال مرتد ملحد غزه قدس
        شام مصر عراق يمن لبنان ليبيا تونس سوريا جريس
        """,
    "not a word of its own": """
        أور نوار فاكر
        تيل بوري لاحد دعي راج لقى كمل تجبر
        بجيش بلسان كوكا باج ديس ديم كري كريك سوك مري شري عير
        ال اس سي شي زي دو تو اف ات نو جم صن اري اوي الق الد مش ليه شويه عايز بكره تاني شوف
        وايد لايف لاين تيم نت اون جان باس مان كار كيب دريم روب فري بون رون مون جوش جول دوك
        كود لوك توب موس مول فيش سيي هاي اوف اوت سول تم يتم تكون الم
        """,
}
EXCLUDED_AR = frozenset(
    normalize_codename(w) for group in _EXCLUDED_GROUPS.values() for w in group.split()
)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _require_version(dist: str, wanted: str, install: str) -> None:
    try:
        found = metadata.version(dist)
    except metadata.PackageNotFoundError:
        sys.exit(f"build_wordlists: the PyPI package {dist} is not installed: {install}")
    if found != wanted:
        sys.exit(f"build_wordlists: {dist} {wanted} is required, found {found}: {install}")


def english_words() -> list[str]:
    """The EFF long list, minus its four hyphenated words (a hyphen is a separator)."""
    _require_version("diceware", DICEWARE_VERSION, f"pip install diceware=={DICEWARE_VERSION}")
    data = resources.files("diceware").joinpath("wordlists", "wordlist_en_eff.txt").read_bytes()
    if _sha256(data) != EFF_SHA256:
        sys.exit("build_wordlists: diceware's wordlist_en_eff.txt is not the expected file")
    words = [line.split("\t")[1] for line in data.decode("utf-8").splitlines() if line]
    return [w for w in words if normalize_codename(w) == w and " " not in w]


def _hunspell_ar_version() -> str:
    try:
        result = subprocess.run(
            ["/usr/bin/dpkg-query", "-W", "-f=${Version}", "hunspell-ar"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _noun_entries(lines: Iterable[str]) -> tuple[dict[str, bool], set[str]]:
    """Split Ayaspell into (common noun/adjective stems -> concrete?, normalised words to keep out).

    Kept out: proper names, and function words with their clitic forms (stopwords.dic and
    tools.dic), which are neither memorable nor rare enough in prose for the codename guard.
    """
    part, heading = "", ""
    common: dict[str, bool] = {}
    banned: set[str] = set()
    for raw in lines:
        line = raw.strip()
        if line.endswith(".dic"):
            part, heading = line, ""  # a joined file's name, between two :::: rules
            continue
        if not line or line.startswith("::::"):
            continue
        if line.startswith("#"):
            heading = line.split("\t")[0]
            continue
        stem = line.split("/")[0].split("\t")[0]
        if part in FUNCTION_WORD_FILES or (part == NOUN_FILE and heading in NAME_HEADINGS):
            banned.add(normalize_codename(stem))
        elif part == NOUN_FILE and heading and heading not in SKIPPED_HEADINGS:
            common[stem] = common.get(stem, False) or heading == CONCRETE_HEADING
    return common, banned


def _acceptable(stem: str, word: str, banned: set[str]) -> bool:
    """`stem` as Ayaspell spells it, `word` its normal form."""
    if not (2 <= len(word) <= 5 and set(stem) <= ARABIC_LETTERS):
        return False
    if word in banned or word in EXCLUDED_AR:
        return False
    # "al-" + noun duplicates the bare noun; a conjunction or preposition glued to a function
    # word ("wa-fi") is a clitic form, not a word of its own.
    if word.startswith("\u0627\u0644") and len(word) >= 4:
        return False
    return not (word[0] in CLITIC_PREFIXES and word[1:] in banned)


def _reads_as_possessive(shown: str, known: set[str]) -> bool:
    """A word ending in a plain ha (not ta marbuta) after a known word reads as "his X"."""
    return shown.endswith("\u0647") and len(shown) > 2 and normalize_codename(shown[:-1]) in known


def arabic_words() -> list[str]:
    """The ARABIC_COUNT best short common Ayaspell nouns/adjectives, in standard spelling.

    Spellings that normalise alike are one word (هوا and هواء, جائزة and جايزه): it is shown
    in its most frequent Ayaspell spelling, ranked by the sum of its spellings' frequencies,
    concrete nouns weighted by CONCRETE_WEIGHT.
    """
    apt = "apt-get install hunspell-ar=" + HUNSPELL_AR_VERSION
    version = _hunspell_ar_version()
    if version != HUNSPELL_AR_VERSION or not HUNSPELL_AR_DIC.is_file():
        sys.exit(f"build_wordlists: Debian hunspell-ar {HUNSPELL_AR_VERSION} is needed: {apt}")
    data = HUNSPELL_AR_DIC.read_bytes()
    if _sha256(data) != AR_DIC_SHA256:
        sys.exit("build_wordlists: /usr/share/hunspell/ar.dic is not the expected file")
    _require_version("wordfreq", WORDFREQ_VERSION, f"pip install wordfreq=={WORDFREQ_VERSION}")
    import wordfreq  # imported here so a missing package gets the message above

    stems, banned = _noun_entries(data.decode("utf-8").splitlines())
    known = banned | {normalize_codename(stem) for stem in stems}
    spellings: dict[str, dict[str, bool]] = {}
    for stem, concrete in stems.items():
        word: str = normalize_codename(stem)
        if _acceptable(stem, word, banned):
            spellings.setdefault(word, {})[stem] = concrete
    ranked: list[tuple[float, str]] = []
    for forms in spellings.values():
        freqs = {f: wordfreq.word_frequency(f, "ar", wordlist="large") for f in sorted(forms)}
        shown = max(freqs, key=lambda f: freqs[f])  # the first sorted one on a tie
        weight = CONCRETE_WEIGHT if any(forms.values()) else 1
        if freqs[shown] > 0 and not _reads_as_possessive(shown, known):
            ranked.append((-weight * sum(freqs.values()), shown))
    ranked.sort()
    if len(ranked) < ARABIC_COUNT:
        sys.exit(f"build_wordlists: only {len(ranked)} Arabic candidates, need {ARABIC_COUNT}")
    return [word for _, word in ranked[:ARABIC_COUNT]]


def build() -> dict[str, str]:
    """File name -> exact file contents (sorted by code point, one word a line)."""
    out: dict[str, str] = {}
    for name, words in (("en.txt", english_words()), ("ar.txt", arabic_words())):
        if len(set(words)) != len(words):
            sys.exit(f"build_wordlists: {name} would hold duplicates")
        out[name] = "".join(f"{w}\n" for w in sorted(words))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    built = build()
    stale = []
    for name, text in built.items():
        path = OUT_DIR / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if args.check:
            if current != text:
                stale.append(name)
        elif current != text:
            path.write_text(text, encoding="utf-8")
        print(f"{name}: {text.count(chr(10))} words, sha256 {_sha256(text.encode())}")
    if stale:
        print(f"differs from the regenerated list: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
