"""Outreach progress on the dashboards: the outreach summary and campaign progress, built by the rebuild, kept
fresh by the refresh (and both agree), counted as the outreach domain counts."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR
from jangkau.auth.roles import AgentKind, Role
from jangkau.auth.service import NewUser, create_user, principal_for
from jangkau.db import outbox
from jangkau.funding.models import Bill, BillLine, PaidMonth, Payer
from jangkau.outreach import service as outreach
from jangkau.outreach.fieldwork import service as fieldwork
from jangkau.outreach.models import Prospect
from jangkau.outreach.schemas import AgentIn, CampaignIn, VisitIn
from jangkau.registry.models import Membership
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_person
from jangkau.reporting import jobs, service
from jangkau.reporting.models import CampaignProgress, OutreachSummary

from .conftest import JAN, MAR, OTHER_VILLAGE, TODAY, VILLAGE, Units

AGENT = "perisai.lapor"
SECOND = "12.71.01.1002"  # another village of the same district, no campaign there
_serials = itertools.count(1)


def _enrol(session: Session, village: str, start: dt.date, by_agent: bool = True) -> Membership:
    serial = next(_serials)
    data = PersonIn(
        nik=f"127101150877{serial:04d}",
        full_name=f"Rekrut {serial}",
        birth_date=dt.date(1990, 5, 1),
        sex=Sex.FEMALE,
        village_code=village,
        occupation="pengemudi_becak",
    )
    person = register_person(session, data, Registrar("user", "cabang"), dt.date(2026, 1, 1)).person
    registrar = Registrar("agent", AGENT) if by_agent else Registrar("user", "cabang")
    membership = MembershipIn(
        person_id=person.id, segment="bpu", programs=["jkk", "jkm"], start_date=start, declared_income=1_000_000
    )
    return open_membership(session, membership, registrar)


def _pay(session: Session, membership: Membership, month: dt.date, paid_on: dt.date) -> None:
    payer = Payer(kind="self", name="self", person_id=membership.person_id)
    session.add(payer)
    session.flush()
    bill = Bill(
        reference=f"R-{membership.id}-{month}", payer_id=payer.id, month=month, kind="bpu", due_on=month, amount=16_800
    )
    session.add(bill)
    session.flush()
    session.add(
        BillLine(
            bill_id=bill.id, membership_id=membership.id, person_id=membership.person_id, month=month, amount=16_800
        )
    )
    session.add(PaidMonth(membership_id=membership.id, month=month, bill_id=bill.id, paid_on=paid_on))
    session.flush()


@pytest.fixture
def field(session: Session) -> dict[str, Any]:
    """An agent in VILLAGE and SECOND; a campaign February-June with a target of 10 on VILLAGE; two prospects added
    in March in VILLAGE, one visited twice in March; two agent registrations in VILLAGE in March (one paid) and one
    registration by a branch officer (counted by the campaign, not by the funnel)."""
    user = create_user(
        session,
        NewUser(
            AGENT,
            "Perisai",
            Role.FIELD_AGENT,
            "rahasia-panjang-123",
            ("12.71.01",),
            AgentKind.COMMUNITY_AGENT,
            "Koperasi",
        ),
        OPERATOR,
    )
    outreach.save_agent(
        session,
        AgentIn(username=AGENT, institution_kind="wadah", institution="Koperasi", villages=[VILLAGE, SECOND]),
        OPERATOR,
    )
    campaign = outreach.create_campaign(
        session,
        CampaignIn(
            name="1 desa 100 pekerja rentan",
            starts_on=dt.date(2026, 2, 1),
            ends_on=dt.date(2026, 6, 30),
            regions=[VILLAGE],
            target_per_region=10,
        ),
        OPERATOR,
    )
    added = fieldwork.add_prospects(
        session,
        [{"full_name": "Calon Satu", "village_code": VILLAGE}, {"full_name": "Calon Dua", "village_code": VILLAGE}],
        "manual",
    )
    session.execute(
        update(Prospect)
        .where(Prospect.id.in_(added.prospect_ids))
        .values(created_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    )
    agent = principal_for(session, user)
    for day in (5, 12):
        fieldwork.record_visit(
            session,
            VisitIn(prospect_id=added.prospect_ids[0], visited_on=dt.date(2026, 3, day), outcome="interested"),
            agent,
            TODAY,
        )
    paid = _enrol(session, VILLAGE, dt.date(2026, 3, 3))
    _enrol(session, VILLAGE, dt.date(2026, 3, 9))
    _enrol(session, VILLAGE, dt.date(2026, 3, 10), by_agent=False)
    _pay(session, paid, dt.date(2026, 3, 1), dt.date(2026, 3, 4))
    return {"campaign": campaign, "agent": agent, "prospects": added.prospect_ids}


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    o, c = OutreachSummary, CampaignProgress
    outreach_rows = session.execute(
        select(o.region_code, o.month, o.level, o.parent_code, o.prospects, o.visited, o.registered, o.paid)
    ).all()
    campaign_rows = session.execute(
        select(c.campaign_id, c.region_code, c.level, c.is_target, c.target, c.registered, c.paid, c.as_of)
    ).all()
    return {"outreach": sorted(tuple(r) for r in outreach_rows), "campaign": sorted(tuple(r) for r in campaign_rows)}


def test_the_rebuild_builds_the_funnel_and_campaign_progress_at_every_level(
    session: Session, field: dict[str, Any], units: Units
) -> None:
    jobs.rebuild(units, JAN, MAR, today=TODAY)
    expected = outreach.campaign_progress(session, field["campaign"].id, OPERATOR, as_of=TODAY)
    assert (expected["target"], expected["registered"], expected["paid"]) == (10, 3, 1)
    for code in (VILLAGE, "12.71.01", "12.71", "12", "ID"):
        report = service.coverage_report(session, OPERATOR, code, "2026-03", TODAY)["outreach"]
        assert report["funnel"] == {"prospects": 2, "visited": 1, "registered": 2, "paid": 1}, code
        assert report["has_campaign"] is True
        [campaign] = report["campaigns"]
        assert (campaign["target"], campaign["registered"], campaign["paid"]) == (10, 3, 1), code
        assert campaign["progress"] == "10,00 %"
        assert campaign["as_of"] == TODAY.isoformat()
    february = service.coverage_report(session, OPERATOR, VILLAGE, "2026-02", TODAY)["outreach"]
    assert february["funnel"] == {"prospects": 0, "visited": 0, "registered": 0, "paid": 0}
    assert february["has_campaign"] is True  # the campaign runs from February
    january = service.coverage_report(session, OPERATOR, VILLAGE, "2026-01", TODAY)["outreach"]
    assert january["has_campaign"] is False
    elsewhere = service.coverage_report(session, OPERATOR, SECOND, "2026-03", TODAY)["outreach"]
    assert elsewhere["has_campaign"] is False
    assert elsewhere["funnel"]["visited"] == 0


def test_outreach_marks_then_refresh_equals_a_fresh_rebuild(
    session: Session, field: dict[str, Any], units: Units
) -> None:
    jobs.rebuild(units, JAN, MAR, today=TODAY)
    # a visit (marks its village and month through outreach), a new agent registration (marks through registry),
    # a payment of its first month (marked as funding's payment does), a new campaign on another village
    fieldwork.record_visit(
        session,
        VisitIn(prospect_id=field["prospects"][1], visited_on=dt.date(2026, 3, 20), outcome="registered"),
        field["agent"],
        TODAY,
    )
    late = _enrol(session, OTHER_VILLAGE, dt.date(2026, 3, 15))
    _pay(session, late, dt.date(2026, 3, 1), dt.date(2026, 3, 16))
    outbox.mark_changed(session, OTHER_VILLAGE, MAR)
    outreach.create_campaign(
        session,
        CampaignIn(
            name="Kampanye kedua",
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 3, 31),
            regions=["12.71.02"],
            target_per_region=4,
            per_village=False,
        ),
        OPERATOR,
    )
    assert service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["freshness"]["refresh_pending"]
    result = jobs.refresh(units, TODAY)
    assert result is not None
    city = service.coverage_report(session, OPERATOR, "12.71", "2026-03", TODAY)["outreach"]
    assert city["funnel"] == {"prospects": 2, "visited": 2, "registered": 3, "paid": 2}
    assert sorted((c["name"], c["target"], c["paid"]) for c in city["campaigns"]) == [
        ("1 desa 100 pekerja rentan", 10, 1),
        ("Kampanye kedua", 4, 1),
    ]
    district_target = service.coverage_report(session, OPERATOR, OTHER_VILLAGE, "2026-03", TODAY)["outreach"]
    [seen_from_village] = district_target["campaigns"]  # the district's target, seen from one of its villages
    assert (seen_from_village["region_code"], seen_from_village["own"]) == ("12.71.02", False)
    after_refresh = snapshot(session)
    assert after_refresh["outreach"]
    assert after_refresh["campaign"]
    jobs.rebuild(units, JAN, MAR, today=TODAY)
    assert snapshot(session) == after_refresh


def test_the_dashboard_api_and_exports_show_outreach_progress_over_http(
    session: Session, field: dict[str, Any], units: Units, city_officer: TestClient
) -> None:
    jobs.rebuild(units, JAN, MAR, today=TODAY)
    page = city_officer.get("/reports/12.71.01?month=2026-03")
    assert page.status_code == 200, page.text
    outreach_part = page.text[page.text.index('id="outreach"') :]
    assert "1 desa 100 pekerja rentan" in outreach_part
    assert re.search(r'<progress class="campaign-progress" max="10" value="1"', outreach_part)
    cells = re.findall(r"<td>([\d.]+)</td>", outreach_part[: outreach_part.index("</table>")])
    assert cells == ["2", "1", "2", "1"]  # prospects, visited, registered by agents, paid
    assert 'id="no-campaign"' not in page.text
    elsewhere = city_officer.get("/reports/12.71.02?month=2026-03")
    assert 'id="no-campaign"' in elsewhere.text
    api = city_officer.get("/api/v1/reports/coverage/12.71?month=2026-03").json()["outreach"]
    assert api["funnel"] == {"prospects": 2, "visited": 1, "registered": 2, "paid": 1}
    assert [(c["name"], c["target"], c["paid"]) for c in api["campaigns"]] == [("1 desa 100 pekerja rentan", 10, 1)]
    funnel_csv = city_officer.get("/reports/12.71/export.csv?month=2026-03&table=outreach_funnel").text
    assert "Didaftarkan agen dan membayar,1" in funnel_csv
    xlsx = city_officer.get("/api/v1/reports/coverage/12.71/export.xlsx?month=2026-03&table=campaigns")
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
