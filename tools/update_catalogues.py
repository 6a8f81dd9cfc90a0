"""Re-extract the source app's strings and refresh every language's catalogue.

    .venv/bin/python tools/update_catalogues.py

1. Extracts `_()`/`ngettext()` strings from src/quietwire/intake/templates into
   locales/messages.pot (pybabel with babel.cfg).
2. Updates each locales/<lang>/LC_MESSAGES/messages.po from it; for Arabic, fills the
   translations from tools/ar_translations.py. Strings left untranslated fail
   tests/unit/intake/test_i18n.py, which names them. See docs/translating.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src/quietwire/intake/locales"
# The usual gettext rule for Arabic; the translations below give forms 4 and 5 the same
# text, so Babel's differently ordered rule reads them the same way.
AR_PLURALS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);"
)


def extract() -> Catalog:
    pot = LOCALES / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return read_po(fh)


def update_arabic(template: Catalog) -> list[str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from ar_translations import AR

    catalog = Catalog(locale="ar", project="QuietWire", charset="utf-8")
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        translation = AR.get(key)
        if translation is None:
            missing.append(key)
            continue
        catalog.add(message.id, translation)
    catalog.mime_headers  # noqa: B018 - materialise defaults before overriding
    path = LOCALES / "ar/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)
    text = path.read_text(encoding="utf-8")
    text = "\n".join(
        f'"Plural-Forms: {AR_PLURALS}\\n"' if line.startswith('"Plural-Forms:') else line
        for line in text.splitlines()
    )
    path.write_text(text + "\n", encoding="utf-8")
    return missing


if __name__ == "__main__":
    missing = update_arabic(extract())
    for key in missing:
        print(f"untranslated (ar): {key}")
    sys.exit(1 if missing else 0)
