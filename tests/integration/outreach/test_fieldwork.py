"""Prospects, visits, the batch sync with per-record results, today's work, the funnel and the incentive."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.principal import OPERATOR
from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.outreach.campaigns.funnel import GroupBy, agent_incentive, funnel
from jangkau.outreach.fieldwork import service as fieldwork
from jangkau.outreach.models import Prospect, Visit
from jangkau.outreach.schemas import VisitIn
from jangkau.registry.schemas import Registrar

from .conftest import OTHER_VILLAGE, OUTSIDE, VILLAGE, FieldAgent, enrol, pay, person

TODAY = dt.date(2026, 3, 10)


def _prospects(session: Session, rows: list[dict[str, object]]) -> list[int]:
    return fieldwork.add_prospects(session, rows, "linkage:42").prospect_ids


def test_add_prospects_keeps_good_rows_and_names_bad_ones(session: Session) -> None:
    worker = person(session)
    rows = [
        {"person_id": worker.id},
        {"full_name": "Siti Aminah", "village_code": VILLAGE, "rt": "003"},
        {"full_name": "Siti  Aminah", "village_code": VILLAGE, "rt": "003"},  # same person twice in the list
        {"full_name": "Tanpa Desa"},
        {"full_name": "Desa Salah", "village_code": "12.71.01.1999"},
        {"nik": worker.nik, "full_name": "Nama Lain", "village_code": VILLAGE},  # the registered person again
    ]
    result = fieldwork.add_prospects(session, rows, "linkage:42")
    assert (result.added, result.duplicates) == (2, 2)
    assert [r["row"] for r in result.rejected] == [3, 4]
    assert result.rejected[1]["fields"][0]["field"] == "village_code"
    stored = session.scalars(select(Prospect).where(Prospect.id.in_(result.prospect_ids))).all()
    assert {(p.source, p.source_ref) for p in stored} == {("linkage", "42")}
    assert fieldwork.add_prospects(session, rows[:2], "manual").added == 0, "a prospect is never added twice"
    with pytest.raises(InvalidInput):
        fieldwork.add_prospects(session, rows, "gossip")


def test_a_lapse_reopens_the_prospect_of_someone_who_had_registered(session: Session, perisai: FieldAgent) -> None:
    membership = enrol(session, Registrar("agent", "perisai.satu"), dt.date(2025, 10, 1))
    [prospect_id] = _prospects(session, [{"person_id": membership.person_id}])
    principal = perisai.principal(session)
    fieldwork.record_visit(session, VisitIn(prospect_id=prospect_id, visited_on=TODAY, outcome="registered"),
                           principal, TODAY)  # fmt: skip
    assert session.get(Prospect, prospect_id).membership_id == membership.id  # type: ignore[union-attr]
    membership.status = "lapsed"  # what the funding lapse job does
    session.flush()
    result = fieldwork.prospects_from_lapses(session, OPERATOR)
    assert result.reopened == 1
    reopened = session.get(Prospect, prospect_id)
    assert reopened is not None
    assert (reopened.status, reopened.source) == ("open", "lapse")


def test_sync_batch_gives_a_result_per_record_and_keeps_the_good_ones(session: Session, perisai: FieldAgent) -> None:
    outsider = person(session, village=OUTSIDE)
    inside, outside = _prospects(
        session, [{"full_name": "Budi", "village_code": VILLAGE, "rt": "002"}, {"person_id": outsider.id}]
    )
    principal = perisai.principal(session)
    good = {"prospect_id": inside, "visited_on": "2026-03-09", "outcome": "interested", "follow_up_on": "2026-03-12",
            "client_key": "phone-key-0001"}  # fmt: skip
    records = [
        good,
        {"prospect_id": outside, "visited_on": "2026-03-09", "outcome": "refused", "client_key": "phone-key-0002"},
        {"prospect_id": inside, "visited_on": "kemarin", "client_key": "phone-key-0003"},  # corrupted
        good,  # the phone retried
    ]
    results = fieldwork.sync_visits(session, records, principal, TODAY)
    assert [r["status"] for r in results] == ["created", "error", "error", "duplicate"]
    assert results[1]["error"]["code"] == "outside_scope"
    assert "tidak ada di desa" in results[1]["error"]["message_id"]
    assert results[2]["error"]["fields"][0]["field"] in ("visited_on", "outcome")
    assert results[3]["visit_id"] == results[0]["visit_id"]
    assert session.scalar(select(func.count()).select_from(Visit)) == 1
    again = fieldwork.sync_visits(session, [good], principal, TODAY)
    assert again[0]["status"] == "duplicate"
    prospect = session.get(Prospect, inside)
    assert prospect is not None
    assert (prospect.status, prospect.follow_up_on) == ("interested", dt.date(2026, 3, 12))


def test_todays_work_puts_follow_ups_first_then_the_same_rt(session: Session, perisai: FieldAgent) -> None:
    ids = _prospects(
        session,
        [
            {"full_name": "Andi Lain Desa", "village_code": OTHER_VILLAGE, "rt": "001"},
            {"full_name": "Beni Tetangga", "village_code": VILLAGE, "rt": "005"},
            {"full_name": "Cici Tindak Lanjut", "village_code": VILLAGE, "rt": "005"},
            {"full_name": "Dedi RT Lain", "village_code": VILLAGE, "rt": "001"},
            {"full_name": "Eka Luar", "village_code": OUTSIDE, "rt": "001"},
        ],
    )
    principal = perisai.principal(session)
    fieldwork.record_visit(
        session,
        VisitIn(prospect_id=ids[2], visited_on=dt.date(2026, 3, 2), outcome="not_home", follow_up_on=TODAY),
        principal,
        TODAY,
    )
    work = fieldwork.todays_work(session, principal, TODAY)
    names = [item["full_name"] for item in work["items"]]
    assert names == ["Cici Tindak Lanjut", "Beni Tetangga", "Dedi RT Lain", "Andi Lain Desa"]
    assert [item["reason"] for item in work["items"]][:2] == ["follow_up_due", "nearby"]
    assert work["items"][0]["nik"] == ""


def test_funnel_per_agent_and_the_incentive(session: Session, perisai: FieldAgent) -> None:
    registrar = Registrar("agent", "perisai.satu")
    ids = _prospects(session, [{"full_name": f"Calon {i}", "village_code": VILLAGE} for i in range(3)])
    principal = perisai.principal(session)
    for prospect_id, outcome in zip(ids, ("not_home", "interested", "registered"), strict=True):
        fieldwork.record_visit(session, VisitIn(prospect_id=prospect_id, visited_on=dt.date(2026, 1, 5),
                                                outcome=outcome), principal, TODAY)  # fmt: skip
    stays = enrol(session, registrar, dt.date(2026, 1, 6))
    pay(session, stays, [Month(2026, m).first_day() for m in (1, 2, 3, 4)], paid_on=dt.date(2026, 1, 6))
    stops = enrol(session, registrar, dt.date(2026, 1, 7))
    pay(session, stops, [dt.date(2026, 1, 1)], paid_on=dt.date(2026, 1, 7))
    enrol(session, registrar, dt.date(2026, 1, 8))  # never paid
    enrol(session, Registrar("user", "cabang"), dt.date(2026, 1, 9))  # not an agent's registration
    result = funnel(session, OPERATOR, GroupBy.AGENT, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    row = next(r for r in result["rows"] if r["key"] == "perisai.satu")
    assert {k: row[k] for k in ("visited", "interested", "registered", "paid", "active_3m")} == {
        "visited": 3, "interested": 2, "registered": 3, "paid": 2, "active_3m": 1,
    }  # fmt: skip
    by_institution = funnel(session, OPERATOR, GroupBy.INSTITUTION, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert by_institution["rows"][0]["key"] == "Koperasi Maju"
    incentive = agent_incentive(session, OPERATOR, "perisai.satu", Month(2026, 1))
    # 5 months paid in January x Rp16,800 = Rp84,000; 7.5 % = Rp6,300; 2 new paid recruits: no bonus
    assert (incentive["collected"], incentive["commission"], incentive["bonus"]) == (84_000, 6_300, 0)
    assert (incentive["umbrella_share"], incentive["agent_share"]) == (630, 5_670)
    assert incentive["status"] == "unconfirmed"
    assert any("UNCONFIRMED" in w for w in incentive["warnings"])
