"""The person page per role (masked and full, audited, 404 outside territory or ownership) and the register's
name search from the address bar and NIK search through an opaque result id."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.webclient import client_as

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.claims.schemas import ClaimIn
from jangkau.claims.service import file_claim
from jangkau.funding.models import Bill, BillLine, PaidMonth, Payer, Payment
from jangkau.funding.schemas import ProgrammeIn, SponsorIn
from jangkau.funding.service import create_programme, create_sponsor, enrol
from jangkau.kit.masking import mask_nik
from jangkau.kit.months import Month
from jangkau.outreach.models import Prospect
from jangkau.registry.models import Membership, Person

VILLAGE = "12.71.01.1001"  # Medan Kota
OFFICER = Principal(None, "cabang.uji", Role.BRANCH_OFFICER, ("12.71",))
REGION_OFFICER = Principal(None, "pemkot.uji", Role.REGION_OFFICER, ("12.71",))
AGENT_HERE = Principal(None, "bhabin.uji", Role.FIELD_AGENT, ("12.71.01",))
AGENT_ELSEWHERE = Principal(None, "babinsa.uji", Role.FIELD_AGENT, ("12.71.02",))
TODAY = dt.date.today()


def _worker(session: Session, serial: int = 701) -> tuple[Person, Membership]:
    person = factories.person(session, serial, village=VILLAGE, phone=True, address="Jl. Mawar 7")
    member = factories.membership(session, person.id, declared_income=1_000_000, start=dt.date(2025, 1, 1))
    return person, member


def _bill_and_pay(session: Session, member: Membership, month: Month, *, paid: bool) -> None:
    """One month billed to the worker (a bill with its line) and, if ``paid``, paid and protected."""
    payer = session.scalars(select(Payer).where(Payer.person_id == member.person_id)).first()
    if payer is None:
        payer = Payer(kind="self", name="Pekerja", person_id=member.person_id)
        session.add(payer)
        session.flush()
    bill = Bill(reference=f"P-{member.id}-{month}", payer_id=payer.id, month=month.first_day(), kind="bpu",
                due_on=month.day(15), amount=16_800)  # fmt: skip
    session.add(bill)
    session.flush()
    session.add(BillLine(bill_id=bill.id, membership_id=member.id, person_id=member.person_id,
                         month=month.first_day(), amount=16_800))  # fmt: skip
    if paid:
        session.add(Payment(bill_id=bill.id, payer_id=payer.id, amount=16_800, paid_on=month.day(10),
                            channel="QRIS", recorded_by="test"))  # fmt: skip
        session.add(PaidMonth(membership_id=member.id, month=month.first_day(), bill_id=bill.id, paid_on=month.day(10)))
    session.flush()


def _reads(session: Session, person: Person, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "person", AuditEvent.entity_id == str(person.id), AuditEvent.action == action
            )
        ).all()
    )


def test_branch_officer_sees_the_sections_masked_then_the_full_record_after_audit(session: Session) -> None:
    person, member = _worker(session)
    this_month = Month.of(TODAY)
    _bill_and_pay(session, member, this_month.plus(-2), paid=True)
    _bill_and_pay(session, member, this_month.plus(-1), paid=False)
    client = client_as(session, OFFICER)

    masked = client.get(f"/persons/{person.id}")
    assert masked.status_code == 200, masked.text
    page = masked.text
    assert mask_nik(person.nik) in page
    assert person.nik not in page, "the NIK stays masked until the full record is asked for"
    assert "Jl. Mawar 7" not in page
    for section in ("identity", "household", "memberships", "payments", "claims", "visits", "messages", "full-reads"):
        assert f'id="{section}"' in page, section
    assert 'id="show-full"' in page
    assert "16.800" in page, "the bills month by month, in Rupiah"
    assert _reads(session, person, "read_full") == []

    full = client.get(f"/persons/{person.id}", params={"full": 1})
    assert full.status_code == 200
    assert person.nik in full.text
    assert "Jl. Mawar 7" in full.text
    assert len(_reads(session, person, "read_full")) == 1, "the full read is audited"
    audit_section = full.text.split('id="full-reads"')[1]
    assert "cabang.uji" in audit_section, "officers see who read the full record"


def test_a_role_without_full_reads_stays_masked_even_when_asking(session: Session) -> None:
    person, _ = _worker(session, 702)
    response = client_as(session, REGION_OFFICER).get(f"/persons/{person.id}", params={"full": 1})
    assert response.status_code == 200
    assert person.nik not in response.text
    assert mask_nik(person.nik) in response.text
    assert 'id="show-full"' not in response.text
    assert _reads(session, person, "read_full") == []
    assert len(_reads(session, person, "read")) == 1


def test_field_agent_of_another_district_gets_a_404_page(session: Session) -> None:
    person, _ = _worker(session, 703)
    assert client_as(session, AGENT_HERE).get(f"/persons/{person.id}").status_code == 200
    response = client_as(session, AGENT_ELSEWHERE).get(f"/persons/{person.id}", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert person.full_name not in response.text
    missing = client_as(session, AGENT_ELSEWHERE).get("/persons/999999999", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    assert missing.text.count("<h1") == response.text.count("<h1"), "absent and out of territory look alike"


def test_worker_opens_their_own_page_but_not_another_persons(session: Session) -> None:
    me, _ = _worker(session, 704)
    other, _ = _worker(session, 705)
    worker = Principal(None, "pekerja.uji", Role.WORKER, (), person_id=me.id)
    client = client_as(session, worker)
    own = client.get(f"/persons/{me.id}")
    assert own.status_code == 200
    assert 'id="full-reads"' not in own.text, "the audit section is for officers"
    assert client.get(f"/persons/{other.id}").status_code == 404


def test_payer_shows_the_sponsor_programme(session: Session) -> None:
    person, member = _worker(session, 706)
    sponsor = create_sponsor(session, SponsorIn(kind="dana_desa", name="Dana Desa Uji", region_code=VILLAGE))
    start = Month.of(TODAY).plus(-1)
    data = {"payer_id": sponsor.id, "name": "Program Desa Uji", "start_month": str(start), "months": 12,
            "budget": 50_000_000}  # fmt: skip
    programme = create_programme(session, ProgrammeIn.model_validate(data))
    enrol(session, programme.id, member.id, "test", TODAY)
    page = client_as(session, OFFICER).get(f"/persons/{person.id}").text
    paid_by = page.split('class="paid-by"')[1].split("</p>")[0]
    assert "Dana Desa Uji" in paid_by
    assert "Program Desa Uji" in paid_by


def test_registry_searches_a_name_from_the_address_bar(session: Session) -> None:
    person, _ = _worker(session, 707)
    _worker(session, 708)
    response = client_as(session, OFFICER).get("/registry", params={"q": person.full_name, "region": "12.71"})
    assert response.status_code == 200
    names = re.findall(r'<a href="/persons/(\d+)">([^<]+)</a>', response.text)
    assert names == [(str(person.id), person.full_name)]


def test_a_nik_in_the_address_is_not_searched(session: Session) -> None:
    person, _ = _worker(session, 709)
    response = client_as(session, OFFICER).get("/registry", params={"q": person.nik})
    assert response.status_code == 200
    assert 'id="nik-in-address"' in response.text
    assert f'value="{person.nik}"' not in response.text


def test_a_posted_nik_is_answered_at_an_opaque_address_for_its_user_only(session: Session) -> None:
    person, _ = _worker(session, 710)
    client = client_as(session, OFFICER)
    token = client.get("/registry").cookies.get("jangkau_csrf") or ""
    client.cookies.set("jangkau_csrf", token)
    posted = client.post("/registry/search", data={"q": person.nik, "region": "12.71", "csrf_token": token})
    assert posted.status_code == 303
    target = posted.headers["location"]
    assert re.fullmatch(r"/registry/results/[A-Za-z0-9_-]{40,}", target)
    assert person.nik not in target
    result = client.get(target)
    assert result.status_code == 200
    assert f'href="/persons/{person.id}"' in result.text
    assert person.nik not in result.text, "the answer shows the NIK masked"
    other = client_as(session, Principal(None, "cabang.lain", Role.BRANCH_OFFICER, ("12.71",)))
    assert other.get(target, headers={"Accept": "text/html"}).status_code == 404, "another user's answer is not theirs"


def test_a_posted_nik_outside_the_territory_finds_nobody(session: Session) -> None:
    person, _ = _worker(session, 711)
    client = client_as(session, AGENT_ELSEWHERE)
    token = client.get("/registry").cookies.get("jangkau_csrf") or ""
    client.cookies.set("jangkau_csrf", token)
    posted = client.post("/registry/search", data={"q": person.nik, "csrf_token": token})
    assert posted.status_code == 303
    result = client.get(posted.headers["location"])
    assert result.status_code == 200
    assert f'href="/persons/{person.id}"' not in result.text
    assert person.full_name not in result.text


def test_officer_pages_link_each_person_to_their_page(session: Session) -> None:
    person, member = _worker(session, 712)
    member.status = "lapsed"
    session.add(Prospect(dedupe_key=f"t:{person.id}", person_id=person.id, full_name=person.full_name,
                         village_code=VILLAGE, rt="001", source="manual", status="open"))  # fmt: skip
    claim = file_claim(session, ClaimIn(type="jkk", nik=person.nik, event_date=TODAY), OFFICER, TODAY)
    session.flush()
    client = client_as(session, OFFICER)
    link = f'href="/persons/{person.id}"'
    for address in ("/funding/lapses", "/outreach/prospects", "/claims", f"/claims/{claim.reference}"):
        response = client.get(address)
        assert response.status_code == 200, (address, response.text[:300])
        assert link in response.text, address
    page = client.get(f"/persons/{person.id}").text
    assert claim.reference is not None
    assert claim.reference in page.split('id="claims"')[1], "the person's claims are on their page"
