"""Switching the language (cookie ``jangkau_lang``) changes every word of every page of the tour (ADR 0016).

Each page is rendered in Chromium in English and in Indonesian, signed in with a role that sees it. In English no
visible text may contain an Indonesian translation from id.po that differs from its English msgid; in Indonesian no
English msgid with a distinct translation may appear. To stay clear of words both languages share ("Status",
"Program", names of places and people), a catalog text counts when it has two or more words (whole phrase,
placeholders cut out), or when a whole text (a label, a button) is a single word of five or more letters that the
other language never uses. Elements marked ``translate="no"`` (names, usernames, recorded data) are skipped, and
so is text marked with the other ``lang`` on purpose (a page that shows a message template in both languages).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from babel.messages.pofile import read_po
from tests.e2e.conftest import login

from jangkau import i18n_tools

pytestmark = pytest.mark.browser

# (path, who signs in; None = anonymous visitor)
TOUR: list[tuple[str, str | None]] = [
    ("/coverage", None),
    ("/login", None),
    ("/", "cabang.medan"),
    ("/registry", "cabang.medan"),
    ("/enrol", "cabang.medan"),
    ("/register-other", "pekerja.demo"),
    ("/claims", "cabang.medan"),
    ("/claims/new", "cabang.medan"),
    ("/claims/jht", "pekerja.demo"),
    ("/compliance", "cabang.medan"),
    ("/compliance/summary", "cabang.medan"),
    ("/funding", "cabang.medan"),
    ("/funding/billing", "cabang.medan"),
    ("/funding/lapses", "cabang.medan"),
    ("/funding/review", "pemkot.medan"),
    ("/funding", "sponsor.apbd"),
    ("/reports", "pemkot.medan"),
    ("/reports/12.71", "pemkot.medan"),
    ("/reports/12.71/scorecard?year=2026", "pemkot.medan"),
    ("/outreach", "cabang.medan"),
    ("/outreach/campaigns", "cabang.medan"),
    ("/outreach/prospects", "cabang.medan"),
    ("/outreach/agents", "cabang.medan"),
    ("/outreach/events", "cabang.medan"),
    ("/outreach/partnerships", "pemkot.medan"),
    ("/field", "bhabin.medankota"),
    ("/field/help", "kepling.demo"),
    ("/linkage", "cabang.medan"),
    ("/jobs", "pekerja.demo"),
    ("/jobs/profile", "pekerja.demo"),
    ("/jobs/track", "pekerja.demo"),
    ("/jobs/requests/new", "pekerja.demo"),
    ("/jobs/vacancies", "majikan.demo"),
    ("/jobs/vacancies/new", "majikan.demo"),
    ("/jobs/hires", "majikan.demo"),
    ("/jobs/office", "pemkot.medan"),
    ("/jobs/office/requests", "pemkot.medan"),
    ("/jobs/assist", "pemkot.medan"),
    ("/rules", "aturan.cabang"),
    ("/notify/templates", "cabang.medan"),
    ("/notify/messages", "cabang.medan"),
    ("/account/security", "cabang.medan"),
    ("/account/messages", "pekerja.demo"),
    ("/admin/users", "admin"),
    ("/admin/audit", "admin"),
    ("/admin/tasks", "admin"),
    # issue 22: the role homes, the office's money pages and user administration
    ("/", "pekerja.demo"),
    ("/", "sponsor.apbd"),
    ("/", "admin"),
    ("/funding/statements", "cabang.medan"),
    ("/funding/payments/new", "cabang.medan"),
    ("/funding/sponsors", "cabang.medan"),
    ("/funding/programmes/new", "cabang.medan"),
    ("/funding/channels", "cabang.medan"),
    ("/funding/requests", "sponsor.apbd"),
    ("/admin/users/new", "admin"),
]

# Pages still showing text of the other language when this test was written (issue 18: the helpers converting
# templates and labels work in parallel; emptied after the merge).
KNOWN_MIXED: set[str] = {
    # pages that still show text of both languages (each with its reason in the closing note of issue 18)
}

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]")
_LETTERS = re.compile(r"[^\W\d_]+")


def _phrases(text: str) -> Iterator[str]:
    for part in _PLACEHOLDER.split(text):
        part = part.strip(" .,:;·()-–—?!\n")
        if len(_LETTERS.findall(part)) >= 2:
            yield part


@cache
def _foreign() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per page language, the (phrases, single words) of the other language that must not appear."""
    with i18n_tools.po_path("id").open("rb") as handle:
        catalog = read_po(handle)
    pairs = [
        (m.id, m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and m.string != m.id
    ]
    english_words = {w.lower() for en, _ in pairs for w in _LETTERS.findall(en)}
    indonesian_words = {w.lower() for _, id_ in pairs for w in _LETTERS.findall(id_)}
    result = {}
    for lang, texts, own in (
        ("en", [id_ for _, id_ in pairs], english_words),
        ("id", [en for en, _ in pairs], indonesian_words),
    ):
        phrases = {p for t in texts for p in _phrases(t)}
        words = {
            t.strip()
            for t in texts
            if len(_LETTERS.findall(t)) == 1 and len(t.strip()) >= 5 and t.strip().isalpha() and t.lower() not in own
        }
        result[lang] = (frozenset(phrases), frozenset(words))
    return result


_VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'CODE'].includes(parent.tagName)) continue;
    if (parent.closest('[translate=no]')) continue;
    const marked = parent.closest('[lang]');  // text marked as the other language on purpose (both versions shown)
    if (marked && marked !== document.documentElement && marked.lang !== document.documentElement.lang) continue;
    if (parent.checkVisibility && !parent.checkVisibility()) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    for (const a of ['placeholder', 'title', 'aria-label']) { if (el.getAttribute(a)) out.push(el.getAttribute(a)); }
  }
  return out;
}"""


def mixed_text(texts: list[str], lang: str) -> list[str]:
    phrases, words = _foreign()[lang]
    found = []
    for text in texts:
        # a single word counts when it is the whole text (a label, a heading, a button); inside longer text it is
        # too often a name ("PT Mitra Indah", "Pekerja demo"): untranslated prose is caught by its phrases
        label = text.strip(" .,:;·()-–—?!*‹›")
        hits = [label] if label in words else []
        hits += [p for p in phrases if p in text and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
        found += [f"{hit!r} in {text[:80]!r}" for hit in hits]
    return found


def _page(browser: Any, base_url: str, user: str | None) -> Any:
    if user is None:
        return browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    return login(browser, base_url, user, viewport={"width": 1280, "height": 900})


@pytest.mark.parametrize(("path", "user"), TOUR, ids=[f"{p} as {u or 'visitor'}" for p, u in TOUR])
def test_a_page_speaks_one_language(browser: Any, live_server: str, path: str, user: str | None) -> None:
    page = _page(browser, live_server, user)
    try:
        problems = {}
        for lang in ("en", "id"):
            page.context.add_cookies([{"name": "jangkau_lang", "value": lang, "url": live_server}])
            response = page.goto(live_server + path)
            assert response is not None
            assert response.status < 400, f"{path}: HTTP {response.status}"
            assert not page.url.endswith("/login") or path == "/login", f"{path}: {user} was sent to sign in"
            assert page.evaluate("document.documentElement.lang") in (lang, ""), f"{path}: html lang"
            if found := mixed_text(page.evaluate(_VISIBLE_TEXT), lang):
                problems[lang] = found
    finally:
        page.context.close()
    if path in KNOWN_MIXED:
        assert problems, f"{path} speaks one language now: remove it from KNOWN_MIXED"
        pytest.xfail(f"still being converted (issue 18): {problems}")
    assert not problems, "\n".join(f"{lang}: {hit}" for lang, hits in problems.items() for hit in hits)


def test_the_check_sees_the_other_language() -> None:
    indonesian = _foreign()["id"][0]
    assert any(len(p.split()) >= 2 for p in indonesian)
    assert mixed_text(["Belum ada data"], "en") or mixed_text(["Tidak ada data"], "en")
    assert mixed_text(["Enrol a worker"], "id")
    assert mixed_text(["Status", "NIK", "Kota Medan", "12.345", "PT Mitra Indah"], "en") == []
    assert mixed_text(["Tampilkan"], "en")
