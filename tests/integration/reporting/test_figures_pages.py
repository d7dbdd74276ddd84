"""The sponsor statement opens on the last complete month (page, API) and shows its region's headline figures
beside the sponsor's own members, labelled as a part of them (issue 22 point 4)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.db.outbox import mark_changed
from jangkau.funding.schemas import SponsorIn
from jangkau.funding.service import create_sponsor
from jangkau.kit.figures import HEADLINE, last_complete_month
from jangkau.regions.models import Region

MONTH = str(last_complete_month(dt.date.today()))


def test_the_statement_defaults_to_the_last_complete_month_with_the_region_figures(session: Session) -> None:
    sponsor = create_sponsor(session, SponsorIn(kind="apbd", name="APBD uji angka", region_code="12.71"))
    officer = client_as(session, Principal(None, "pemkot.uji", Role.REGION_OFFICER, ("12.71",)))
    page = officer.get(f"/funding/sponsors/{sponsor.id}/statement")
    assert page.status_code == 200, page.text
    assert f"{MONTH} – {MONTH}" in page.text
    block = re.search(
        r'<section class="stats figures"[^>]*data-figures-month="([^"]+)" data-figures-regions="([^"]+)"', page.text
    )
    assert block, "the region's figures are on the statement"
    assert block.groups() == (MONTH, "12.71")
    assert all(f'data-figure="{key}"' in page.text for key in HEADLINE)
    assert 'data-subset-of="protected"' in page.text, "the sponsor's members are shown as a part of the protected"
    api = officer.get(f"/api/v1/funding/sponsors/{sponsor.id}/statement").json()
    assert api["period"] == {"from": MONTH, "to": MONTH}
    later = officer.get(f"/funding/sponsors/{sponsor.id}/statement", params={"from": "2026-01", "to": "2026-13"})
    assert later.status_code == 422, "a bad month is refused, not shown as the default"


def test_the_statement_of_a_region_outside_the_territory_shows_no_figures(session: Session) -> None:
    sponsor = create_sponsor(session, SponsorIn(kind="apbd", name="APBD lain", region_code="12.72"))
    officer = client_as(session, Principal(None, "pemkot.uji", Role.REGION_OFFICER, ("12.71",)))
    page = officer.get(f"/funding/sponsors/{sponsor.id}/statement")
    assert page.status_code == 200
    assert "data-figure=" not in page.text


def test_figures_with_changes_not_yet_counted_say_so_where_they_are_shown(session: Session) -> None:
    village = session.scalar(select(Region.code).where(Region.code.like("12.71.%"), Region.level == 4))
    assert village
    mark_changed(session, village, dt.date.today())  # a change waiting for the refresh
    officer = client_as(session, Principal(None, "cabang.uji", Role.BRANCH_OFFICER, ("12.71",)))
    page = officer.get("/registry")
    assert page.status_code == 200
    assert re.search(r'data-figures-month="([^"]+)"', page.text).group(1) == MONTH  # type: ignore[union-attr]
    warning = re.search(r'<p class="freshness warn figures-freshness">(.*?)</p>', page.text, re.S)
    assert warning, "the stale or missing summary is said next to the figures, not only in the details"
    assert "Ada 1 pembaruan tertunda di wilayah ini" in warning.group(1)
