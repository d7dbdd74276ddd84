"""Lists imported into the database, linked to the database register, reviewed, and turned into an outcome."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import OPERATOR, Principal
from jangkau.auth.roles import Role
from jangkau.errors import InvalidInput, NotFound
from jangkau.kit.pagination import PageRequest
from jangkau.linkage.imports import import_list
from jangkau.linkage.models import LinkageDecision, LinkageList, LinkageRow
from jangkau.linkage.outcome import list_outcome, make_prospects, outcome_csv
from jangkau.linkage.review import decide, labels_csv, list_detail, lists, review_queue
from jangkau.linkage.runs import run_list
from jangkau.outreach.models import Prospect
from jangkau.registry.models import Membership, Person

PERSONS = [
    ("1271011508800001", "MUHAMMAD YUSUF HARAHAP", dt.date(1980, 8, 15), "L", "12.71.01.1001", "active"),
    ("1271015203850001", "SITI AMINAH", dt.date(1985, 3, 12), "P", "12.71.01.1002", "lapsed"),
    ("1271011508800002", "BUDI SANTOSO", dt.date(1980, 8, 15), "L", "12.71.01.1001", None),
    ("1271024701900001", "NUR AINI LUBIS", dt.date(1990, 1, 7), "P", "12.71.02.1003", "active"),
]
LIST_CSV = """row_id,nik,name,birth_date,sex,village_code
a,1271011508800001,M. Yusuf Harahap,15-08-1980,L,12.71.01.1001
b,,Hj. St. Aminah,1985-03-12,P,1271011002
c,1271011508800009,Joko Widodo,1980-08-15,L,12.71.01.1001
d,9999999999999999,Nurul Aini Lubis,1990-01-07,P,12.71.02.1003
e,,,,,
f,,Rina Marlina,2001-02-03,P,12.71.02.1003
"""
DISTRICT_02 = Principal(user_id=None, username="pemkot.kec02", role=Role.REGION_OFFICER, scope=("12.71.02",))


def _seed(session: Session) -> dict[str, int]:
    ids = {}
    for nik, name, born, sex, village, status in PERSONS:
        person = Person(nik=nik, full_name=name, birth_date=born, sex=sex, village_code=village,
                        registered_by_kind="user")  # fmt: skip
        session.add(person)
        session.flush()
        ids[name] = person.id
        if status:
            start = dt.date(2024, 1, 1)
            session.add(Membership(person_id=person.id, segment="bpu", programs="jkk,jkm", start_date=start,
                                   status=status, registered_by_kind="user"))  # fmt: skip
    session.flush()
    return ids


@pytest.fixture
def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "kepling.csv"
    path.write_text(LIST_CSV, encoding="utf-8")
    return path


def _decisions(session: Session, list_id: int) -> dict[str, tuple[str, int | None]]:
    found = session.execute(
        select(LinkageRow.row_id, LinkageDecision.decision, LinkageDecision.person_id)
        .join(LinkageRow, LinkageRow.id == LinkageDecision.row_pk)
        .where(LinkageDecision.list_id == list_id)
    )
    return {r[0]: (r[1], r[2]) for r in found}


def test_import_keeps_every_row_and_versions_the_source(session: Session, list_file: Path) -> None:
    first = import_list(session, OPERATOR, list_file, "Kepling")
    second = import_list(session, OPERATOR, list_file, "Kepling")
    assert (first["version"], second["version"]) == (1, 2)
    assert (first["rows_read"], first["rows_kept"], first["rows_rejected"]) == (6, 5, 1)
    stored = session.scalar(select(func.count()).select_from(LinkageRow).where(LinkageRow.list_id == first["list_id"]))
    assert stored == 6  # nothing silently dropped
    detail = list_detail(session, OPERATOR, first["list_id"])
    assert detail["rejected"][0]["row_id"] == "e"
    assert "empty row" in detail["rejected"][0]["reason"]
    assert any("invalid NIK" in w["reason"] for w in detail["warnings_shown"])


def test_a_broken_file_stores_nothing(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,tgl\nBudi,1980-01-01\n", encoding="utf-8")
    before = session.scalar(select(func.count()).select_from(LinkageList))
    with pytest.raises(InvalidInput, match="no column"):
        import_list(session, OPERATOR, bad, "Becak")
    assert session.scalar(select(func.count()).select_from(LinkageList)) == before


def test_run_outcome_prospects_and_review(session: Session, list_file: Path) -> None:
    ids = _seed(session)
    list_id = int(import_list(session, OPERATOR, list_file, "Non-ASN Pemkot Medan")["list_id"])
    summary = run_list(session, OPERATOR, list_id)
    assert summary["register_rows"] >= 4
    got = _decisions(session, list_id)
    assert got["a"] == ("match", ids["MUHAMMAD YUSUF HARAHAP"])
    assert got["b"] == ("match", ids["SITI AMINAH"])
    assert got["c"][0] == "review"
    assert got["f"] == ("no_match", None)
    assert got["e"] == ("rejected", None)

    outcome = list_outcome(session, OPERATOR, list_id)
    assert outcome["counts"] == {"covered": 2, "pending": 0, "lapsed": 1, "not_registered": 1, "in_review": 1}
    assert "f" in outcome_csv(outcome, "not_registered")

    made = make_prospects(session, OPERATOR, list_id)
    assert made["added"] == 1
    prospect = session.scalar(select(Prospect).where(Prospect.source_ref.like(f"linkage:{list_id}%")))
    assert prospect is not None
    assert (prospect.full_name, prospect.village_code) == ("Rina Marlina", "12.71.02.1003")

    queue = review_queue(session, OPERATOR, list_id, PageRequest(1, 20))
    assert queue["total"] == 1
    pair = queue["items"][0]
    assert pair["row"]["row_id"] == "c"
    assert pair["evidence"]["nik"] in ("one_digit_off", "different")
    assert pair["evidence"]["birth_date"] == "equal"
    assert pair["row"]["nik"] != "1271011508800009"  # masked
    decided = decide(session, OPERATOR, pair["decision_id"], "reject")
    assert decided["decision"] == "no_match"
    assert review_queue(session, OPERATOR, list_id, PageRequest(1, 20))["total"] == 0
    audit = session.scalar(select(AuditEvent).where(AuditEvent.entity == "linkage_decision"))
    assert audit is not None
    assert audit.action == "review"
    labels = labels_csv(session, OPERATOR).splitlines()
    assert labels[0].startswith("list_id,row_id,row_nik")
    assert ",rejected," in labels[1]

    # a rerun keeps the officer's verdict on the same pair
    run_list(session, OPERATOR, list_id)
    assert _decisions(session, list_id)["c"][0] == "no_match"


def test_scope_bounds_register_rows_and_lists(session: Session, list_file: Path) -> None:
    _seed(session)
    list_id = int(import_list(session, OPERATOR, list_file, "Pengemudi becak")["list_id"])
    run_list(session, DISTRICT_02, list_id)
    got = _decisions(session, list_id)
    assert got["a"][0] != "match"  # the person of row a lives outside 12.71.02: not in this officer's register
    assert got["d"][0] == "match"
    outcome = list_outcome(session, DISTRICT_02, list_id)
    shown = {r["row_id"] for rows in outcome["rows"].values() for r in rows}
    assert shown == {"d", "f"}
    mine = import_list(session, DISTRICT_02, list_file, "Kepling kec 02")
    other = Principal(user_id=None, username="kec05", role=Role.REGION_OFFICER, scope=("12.71.05",))
    assert mine["list_id"] not in {x["list_id"] for x in lists(session, other)}
    with pytest.raises(NotFound):
        list_outcome(session, other, int(mine["list_id"]))
