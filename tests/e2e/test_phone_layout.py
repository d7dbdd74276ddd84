"""No page of the tour is wider than a 360 px phone (issue 22 point 8).

Every page of the e2e tour (the list of ``test_language_switch``) is opened at 360x740 by a role that sees it, one
signed-in page per role, and ``document.documentElement.scrollWidth`` must not pass ``window.innerWidth``. The
offenders are printed with the elements that stick out, so that a failure says what to fix.
"""

from __future__ import annotations

import sys
from itertools import groupby
from typing import Any

import pytest
from tests.e2e.days import SCREENS, overflow, start_day
from tests.e2e.test_language_switch import TOUR

pytestmark = pytest.mark.browser

# the elements that reach past the right edge of the screen (deepest first), to name them in a failure
_WIDE = """() => {
  const out = [], width = window.innerWidth;
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && el.checkVisibility() && !el.closest('.table-wrap, .chart-scroll')) {
      const cls = typeof el.className === 'string' ? el.className.trim() : '';
      const name = cls ? '.' + cls.replace(/\\s+/g, '.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + name + ' right=' + Math.round(box.right));
    }
  }
  return out.slice(-4);
}"""


def _by_user() -> list[tuple[str | None, list[str]]]:
    ordered = sorted(TOUR, key=lambda item: item[1] or "")
    return [(user, [path for path, _ in group]) for user, group in groupby(ordered, key=lambda item: item[1])]


def test_every_page_of_the_tour_fits_a_360px_phone(browser: Any, live_server: str) -> None:
    offenders: list[str] = []
    seen = 0
    for user, paths in _by_user():
        if user is None:
            page = browser.new_page(viewport=SCREENS["phone"], bypass_csp=True)
        else:
            page = start_day(browser, live_server, "layout", "phone", user).page
        try:
            for path in paths:
                response = page.goto(live_server + path, wait_until="domcontentloaded")
                assert response is not None
                assert response.status < 400, f"{path} as {user}: HTTP {response.status}"
                assert page.evaluate("window.innerWidth") == SCREENS["phone"]["width"]
                seen += 1
                if wider := overflow(page):
                    offenders.append(f"{path} as {user or 'visitor'}: {wider}px too wide {page.evaluate(_WIDE)}")
        finally:
            page.context.close()
    sys.stdout.write("\n".join(offenders) or f"all {seen} pages fit\n")
    assert seen == len(TOUR)
    assert not offenders, "pages wider than a 360 px phone:\n" + "\n".join(offenders)


def test_the_check_sees_a_page_that_is_too_wide(browser: Any) -> None:
    page = browser.new_page(viewport=SCREENS["phone"])
    try:
        page.set_content('<meta name="viewport" content="width=device-width"><div style="width:500px">wide</div>')
        assert overflow(page) == 500 - SCREENS["phone"]["width"]
    finally:
        page.context.close()
