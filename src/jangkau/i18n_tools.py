"""Catalog upkeep for translators and the build (ADR 0016): ``python -m jangkau.i18n_tools catalogs|compile``.

``catalogs`` (``make catalogs``) extracts every marked text from the Python modules and the templates into
``src/jangkau/locale/messages.pot``, merges it into the ``id`` and ``en`` catalogs (new texts arrive empty in
``id.po`` for the translator; texts no longer in the code are dropped) and fills ``en.po`` with msgstr = msgid,
since the English text *is* the msgid. ``compile`` writes the ``.mo`` files the runtime reads
(:func:`jangkau.i18n.translations` compiles in memory when one is missing or stale).

The keywords are defined here once: the Makefile, the catalog test and a translator's run all use them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from jangkau.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[2]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
BABEL_CFG = ROOT / "babel.cfg"
# Python: N_("...") marks, gettext(text, lang), ngettext(singular, plural, n, lang), pgettext(context, text, lang);
# Jinja: _(), gettext(), ngettext(), pgettext() (Babel's default keywords cover _ and npgettext).
KEYWORDS = ("N_", "gettext", "ngettext:1,2", "pgettext:1c,2")
WIDTH = "120"


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call]


def extract(output: Path = TEMPLATE) -> None:
    """Write every marked text of ``src/jangkau`` (Python and Jinja) to ``output`` (a .pot)."""
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract",
        "-F",
        str(BABEL_CFG),
        *keywords,
        "--no-location",
        "--sort-output",
        "-w",
        WIDTH,
        "--project",
        "Jangkau",
        "-o",
        str(output),
        str(ROOT),  # babel.cfg's patterns are relative to the project root
    )


def update() -> None:
    """Merge the template into both catalogs (no fuzzy guesses: a new text arrives untranslated)."""
    _pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(LOCALE_DIR),
        "-D",
        DOMAIN,
        "-w",
        WIDTH,
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, domain=DOMAIN)


def fill_english(path: Path | None = None) -> int:
    """English is the source language: set every empty msgstr of ``en.po`` to its msgid. Returns how many."""
    path = path or po_path("en")
    catalog = read_catalog(path)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            strings = list(message.string) if isinstance(message.string, (list, tuple)) else []
            if not all(strings) or len(strings) != len(message.id):
                message.string = tuple(message.id)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        if message.fuzzy:
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=int(WIDTH), omit_header=False)
    return filled


def compile_catalogs() -> None:
    """Write ``messages.mo`` beside each ``messages.po``."""
    _pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN)


def catalogs() -> None:
    extract()
    update()
    fill_english()
    compile_catalogs()


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:]) or ["catalogs"]
    if command[0] == "catalogs":
        catalogs()
    elif command[0] == "extract":
        extract()
    elif command[0] == "compile":
        compile_catalogs()
    else:
        sys.stderr.write("usage: python -m jangkau.i18n_tools [catalogs|extract|compile]\n")
        return 2
    missing = [lang for lang in LANGUAGES if not po_path(lang).exists()]
    if missing:
        sys.stderr.write(f"missing catalogs: {', '.join(missing)}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
