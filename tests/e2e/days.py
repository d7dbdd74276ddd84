"""Shared pieces of the role-day tests (issue 22): the two screens, screenshots and the "fits the screen" check.

Each ``test_day_<role>.py`` walks one role's main day in the browser only, once on a 360 px phone and once on a
desktop, and leaves a screenshot of each step in ``var/screenshots/<role>-<screen>-NN-<step>.png``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCREENS: dict[str, dict[str, int]] = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1366, "height": 900},
}

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# codes and source tags that must not show on pages meant for workers and agents
CODE_PATTERN = re.compile(r"\b(?:jk[km]|jht|jp|jkp)\.[a-z_]+\b|\bno_match\b|\bUNCONFIRMED\b")


def overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return int(page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"))


@dataclass
class Day:
    """One role's day on one screen: numbered screenshots, and a width check at every step."""

    page: Any
    role: str
    screen: str
    steps: list[str] = field(default_factory=list)

    def step(self, name: str, *, fits: bool = True) -> Path:
        """Screenshot the page as it is now; on the phone, fail when the page is wider than the screen."""
        self.steps.append(name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.role}-{self.screen}-{len(self.steps):02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if fits:
            wider = overflow(self.page)
            assert wider == 0, f"{self.page.url} is {wider}px wider than the {self.screen} screen (step {name})"
        return path

    def no_codes(self) -> None:
        """The visible text carries no internal codes or source tags."""
        text = self.page.inner_text("main") if self.page.locator("main").count() else self.page.inner_text("body")
        found = CODE_PATTERN.findall(text)
        assert not found, f"{self.page.url} shows codes {found}"


def start_day(
    browser: Any,
    base_url: str,
    role: str,
    screen: str,
    username: str,
    password: str = "jangkau-demo-2026",
    **options: Any,
) -> Day:
    """A signed-in page on ``screen`` for ``username`` (``role`` names the screenshots)."""
    page = browser.new_page(viewport=SCREENS[screen], bypass_csp=True, **options)
    page.goto(base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return Day(page, role, screen)
