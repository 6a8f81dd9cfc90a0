"""Languages of the source app: gettext catalogues, text direction, negotiation.

Catalogues are the `.po` files under `locales/`, compiled in memory at start (no build
step, nothing generated to commit). Adding a language is adding `locales/<code>/
LC_MESSAGES/messages.po` (see docs/translating.md).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DEFAULT = "en"
_LOCALES_DIR = Path(str(files("quietwire.intake") / "locales"))


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in its own language, for the switch
    direction: str  # "ltr" | "rtl"
    translations: NullTranslations


@cache
def languages() -> dict[str, Language]:
    found: dict[str, Language] = {DEFAULT: Language(DEFAULT, "English", "ltr", NullTranslations())}
    for po in sorted(_LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")):
        code = po.parent.parent.name
        locale = Locale.parse(code)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        found[code] = Language(
            code=code,
            name=locale.get_display_name(locale) or code,
            direction=locale.text_direction,
            translations=Translations(fp=buf),
        )
    return found


def negotiate(accept_language: str | None, chosen: str | None, default: str = "") -> Language:
    """The source's explicit choice if valid, else the instance's `default` language if it
    has one, else the browser's best preference, else English.

    The instance's language comes before the browser's because Tor Browser asks every site
    for English whatever its user reads: an Arabic tip line set to "ar" must not greet its
    sources in English and leave them to find a small link.
    """
    known = languages()
    if chosen in known:
        return known[chosen]
    if default in known:
        return known[default]
    for code in _preferences(accept_language or ""):
        base = code.split("-")[0].lower()
        if base in known:
            return known[base]
    return known[DEFAULT]


def _preferences(header: str) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]
