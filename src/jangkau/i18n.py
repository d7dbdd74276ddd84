"""UI text in Bahasa Indonesia (default) and English, from gettext catalogs (Babel; ADR 0016).

Every user-visible text is written in English in the code and the templates, marked for extraction
(``_()``/``gettext()`` in Jinja, :func:`N_` or :func:`gettext` in Python), and translated by the catalog of the
page's language: ``src/jangkau/locale/<lang>/LC_MESSAGES/messages.po``. ``make catalogs`` extracts the template
(``messages.pot``), updates both catalogs and compiles them to ``.mo``; when a ``.mo`` is missing or older than
its ``.po`` (a checkout that was not built), the catalog is compiled in memory at first use.

Numbers, dates, months and Rupiah are formatted by Babel for the page's locale (:func:`format_rupiah` and
friends), never by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# Babel locales: Indonesian as written in Indonesia; English numbers and dates; Rupiah as English written in
# Indonesia writes them (CLDR en_ID: "Rp2.300.000"), the form on every receipt and bank statement.
_BABEL_LOCALE = {"id": "id_ID", "en": "en"}
_CURRENCY_LOCALE = {"id": "id_ID", "en": "en_ID"}


def N_(text: str) -> str:
    """Mark ``text`` for the catalog without translating it (it is translated where it is shown)."""
    return text


def language_of(lang: str | None) -> str:
    """``lang`` if Jangkau speaks it, otherwise the default language."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    """The compiled catalog of ``lang`` (the ``.mo`` when it is current, else the ``.po`` compiled in memory)."""
    folder = LOCALE_DIR / language_of(lang) / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    buffer = BytesIO()
    with po.open("rb") as handle:
        write_mo(buffer, read_po(handle, locale=language_of(lang), domain=DOMAIN))
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def gettext(text: str, lang: str, **params: object) -> str:
    """``text`` (an English msgid) in ``lang``; ``params`` fill its ``%(name)s`` placeholders."""
    translated = translations(lang).gettext(text)
    return translated % params if params else translated


def ngettext(singular: str, plural: str, n: int, lang: str, **params: object) -> str:
    """The singular or plural form for ``n`` in ``lang``; ``%(num)s`` is ``n``."""
    translated = translations(lang).ngettext(singular, plural, n)
    return translated % {"num": n, **params}


def pgettext(context: str, text: str, lang: str) -> str:
    """``text`` in ``lang`` where the same English word has two meanings (``context`` tells them apart)."""
    return str(translations(lang).pgettext(context, text))


def bilingual(text: str, **params: object) -> tuple[str, str]:
    """``(English, Indonesian)`` of one catalog text: the two messages a refusal carries (see ``jangkau.errors``)."""
    return gettext(text, "en", **params), gettext(text, "id", **params)


def babel_locale(lang: str) -> Locale:
    return Locale.parse(_BABEL_LOCALE[language_of(lang)])


def format_rupiah(amount: int | Decimal | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Whole Rupiah as a page shows them: ``Rp2.300.000`` in both languages; empty for None."""
    if amount is None:
        return ""
    locale = Locale.parse(_CURRENCY_LOCALE[language_of(lang)])
    return format_currency(amount, "IDR", locale=locale, format="¤#,##0", currency_digits=False)


def format_count(n: int | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A count with the locale's grouping: ``12.345`` (id), ``12,345`` (en); a dash for None."""
    if n is None:
        return "—"
    return format_decimal(n, locale=babel_locale(lang))


def format_number(value: float | Decimal | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A decimal with ``digits`` fraction digits: ``21,6`` (id), ``21.6`` (en)."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def format_percent_value(percent: float | Decimal | None, lang: str = DEFAULT_LANGUAGE, digits: int = 1) -> str:
    """A percentage given as 0-100: ``21,6%`` (id), ``21.6%`` (en)."""
    if percent is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(Decimal(str(percent)) / 100, format=pattern, locale=babel_locale(lang))


def format_date(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A legal date as people write it: ``4 Desember 2026`` (id), ``4 December 2026`` (en)."""
    if value is None:
        return "—"
    return _babel_format_date(value, format="d MMMM y", locale=babel_locale(lang))


def format_month(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A contribution or report month: ``Desember 2026`` (id), ``December 2026`` (en)."""
    if value is None:
        return "—"
    return _babel_format_date(value, format="LLLL y", locale=babel_locale(lang))
