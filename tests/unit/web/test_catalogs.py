"""The gettext catalogs (ADR 0016): complete, in step with each other, and in step with the code.

Each check reads the committed files; the last one runs the extraction (``make catalogs``' first step) into a
temporary file, so a text marked in Python or in a template but missing from the catalogs fails here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from jangkau import i18n_tools
from jangkau.i18n import LANGUAGES, gettext

Key = tuple[str | None, str]


def _key(message: Message) -> Key:
    msgid = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    return (message.context, msgid)


def _keys(catalog: Catalog) -> set[Key]:
    return {_key(m) for m in catalog if m.id}


def _raw_msgids(path: Path) -> list[Key]:
    """(msgctxt, msgid) of each entry as written (read_po would silently merge duplicates)."""
    keys: list[Key] = []
    context: str | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("msgctxt "):
            context = _unquote(lines, i, "msgctxt ")
        elif line.startswith("msgid "):
            msgid = _unquote(lines, i, "msgid ")
            if msgid:
                keys.append((context, msgid))
            context = None
        i += 1
    return keys


def _unquote(lines: list[str], i: int, prefix: str) -> str:
    parts = [lines[i][len(prefix) :]]
    j = i + 1
    while j < len(lines) and lines[j].startswith('"'):
        parts.append(lines[j])
        j += 1
    return "".join(p.strip()[1:-1] for p in parts)


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {lang: i18n_tools.read_catalog(i18n_tools.po_path(lang)) for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(catalogs: dict[str, Catalog], lang: str) -> None:
    untranslated = []
    for message in catalogs[lang]:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(s and s.strip() for s in strings):
            untranslated.append(_key(message))
    assert untranslated == [], f"{lang}.po: untranslated or fuzzy entries (edit the .po, then make catalogs)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_duplicate_msgids(lang: str) -> None:
    counts = Counter(_raw_msgids(i18n_tools.po_path(lang)))
    assert [key for key, n in counts.items() if n > 1] == []


def test_english_catalog_is_the_msgids(catalogs: dict[str, Catalog]) -> None:
    different = [_key(m) for m in catalogs["en"] if m.id and isinstance(m.id, str) and m.string != m.id]
    assert different == [], "en.po: msgstr differs from msgid (the English text is the msgid; edit the code)"


def test_id_and_en_have_the_same_entries(catalogs: dict[str, Catalog]) -> None:
    only_id = _keys(catalogs["id"]) - _keys(catalogs["en"])
    only_en = _keys(catalogs["en"]) - _keys(catalogs["id"])
    assert (sorted(only_id, key=str), sorted(only_en, key=str)) == ([], [])


def test_the_committed_template_is_what_the_code_marks(tmp_path: Path, catalogs: dict[str, Catalog]) -> None:
    pot = tmp_path / "messages.pot"
    i18n_tools.extract(pot)
    with pot.open("rb") as handle:
        extracted = _keys(read_po(handle))
    with i18n_tools.TEMPLATE.open("rb") as handle:
        committed = _keys(read_po(handle))
    missing = sorted(extracted - _keys(catalogs["id"]), key=str)
    assert missing == [], "marked in the code but not in id.po/en.po: add them (append) or run make catalogs"
    unused = sorted(_keys(catalogs["id"]) - extracted, key=str)
    assert unused == [], "in the catalogs but marked nowhere in the code: remove them or run make catalogs"
    assert sorted(extracted ^ committed, key=str) == [], "messages.pot is stale: run make catalogs"


def test_the_runtime_reads_the_catalogs() -> None:
    assert gettext("Sign in", "en") == "Sign in"
    assert gettext("Sign in", "id") != "Sign in"
