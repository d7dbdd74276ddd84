"""No page of the tour is wider than a 360 px phone (issue 22 point 8).

Every page of the e2e tour (the list of ``test_language_switch``) is opened at 360x740 by a role that sees it, one
signed-in page per role, and ``document.documentElement.scrollWidth`` must not pass ``window.innerWidth``; chart
text is drawn at 12 px or more and every button is at least 44 px high. The offenders are printed with the elements
that stick out, so that a failure says what to fix.
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


# the smallest chart text as drawn (its font size times the chart's scale), and buttons shorter than a 44 px tap
_SMALL = """() => {
  let chart = Infinity;
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect(), view = svg.viewBox.baseVal;
    if (!box.width || !view || !view.width) continue;
    for (const text of svg.querySelectorAll('text')) {
      chart = Math.min(chart, parseFloat(text.getAttribute('font-size') || '16') * box.width / view.width);
    }
  }
  const buttons = [];
  for (const el of document.querySelectorAll('main button, main .button, main input[type=submit], header summary')) {
    const box = el.getBoundingClientRect();
    if (el.checkVisibility() && box.height && box.height < 43.5) buttons.push(el.textContent.trim().slice(0, 30));
  }
  return {chart: chart === Infinity ? null : chart, buttons};
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
                who = f"{path} as {user or 'visitor'}"
                if wider := overflow(page):
                    offenders.append(f"{who}: {wider}px too wide {page.evaluate(_WIDE)}")
                small = page.evaluate(_SMALL)
                if small["chart"] is not None and small["chart"] < 12:
                    offenders.append(f"{who}: chart text of {small['chart']:.1f}px")
                if small["buttons"]:
                    offenders.append(f"{who}: buttons under 44 px high {small['buttons']}")
        finally:
            page.context.close()
    sys.stdout.write("\n".join(offenders) or f"all {seen} pages fit\n")
    assert seen == len(TOUR)
    assert not offenders, "pages that do not fit a 360 px phone:\n" + "\n".join(offenders)


def test_the_checks_see_a_wide_page_small_chart_text_and_small_buttons(browser: Any) -> None:
    page = browser.new_page(viewport=SCREENS["phone"])
    try:
        page.set_content(
            '<meta name="viewport" content="width=device-width"><body style="margin:0"><div style="width:500px">x</div>'
        )
        assert overflow(page) == 500 - SCREENS["phone"]["width"]
        page.set_content(
            '<main><svg class="chart" viewBox="0 0 560 100" width="280"><text font-size="12">a</text></svg>'
            '<button style="height:30px">tap</button></main>'
        )
        small = page.evaluate(_SMALL)
        assert small == {"chart": 6, "buttons": ["tap"]}
    finally:
        page.context.close()
