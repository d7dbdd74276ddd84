"""A new UMK year from an XLSX file, checked by a second user, used from its valid_from and not before."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from jangkau.auth.models import AuditEvent
from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.compliance.jobs import run_scan
from jangkau.compliance.models import Finding
from jangkau.errors import Conflict, InvalidInput
from jangkau.funding.rules.tariffs import pu_rates
from jangkau.jobs.rules.wages import check_offer
from jangkau.kit.months import Month
from jangkau.registry.nik import Sex
from jangkau.registry.schemas import EmployerIn, MembershipIn, PersonIn, Registrar
from jangkau.registry.service import open_membership, register_employer, register_person
from jangkau.ruleadmin import service
from jangkau.ruleadmin.models import RuleVersion
from jangkau.ruleadmin.preview import preview
from jangkau.ruleadmin.schemas import VersionIn
from jangkau.rules import jp_benefit

MAKER = Principal(None, "aturan.cabang", Role.RULES_ADMIN, ("12",))
CHECKER = Principal(None, "aturan.disnaker", Role.RULES_ADMIN, ("12",))
OFFICER = Registrar("user", "Petugas cabang")
UMK_2026 = VersionIn(
    instrument="Kepgub Sumut 188.44/908/KPTS/2025", signed_on=dt.date(2025, 12, 24), valid_from=dt.date(2026, 1, 1)
)
ROWS_2026 = [
    ("kode", "nama", "jumlah", "keputusan"),
    ("12", "UMP Sumatera Utara", 3_228_971, "Kepgub Sumut 188.44/896/KPTS/2025"),
    ("12.71", "Kota Medan", 4_335_198, None),
    ("12.07", "Kabupaten Deli Serdang", 4_041_543, None),
]
WAGE = 4_100_000  # above Medan's 2025 UMK (4,014,072), below its 2026 UMK (4,335,198)


def _xlsx(rows: list[tuple[object, ...]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def employer_id(session: Session) -> int:
    employer = register_employer(
        session,
        EmployerIn.model_validate(
            {
                "registration_number": "NPP-8801",
                "name": "PT. Upah Baru",
                "business_sector": "industri",
                "size_class": "small",
                "jkk_risk_group": 1,
                "village_code": "12.71.01.1001",
            }
        ),
        OFFICER,
    )
    person = register_person(
        session,
        PersonIn(
            nik="1271011508880101",
            full_name="Buruh Baru",
            birth_date=dt.date(1988, 8, 15),
            sex=Sex.MALE,
            village_code="12.71.01.1001",
        ),
        OFFICER,
        dt.date(2025, 1, 1),
    ).person
    data = MembershipIn(
        person_id=person.id,
        segment="pu",
        programs=["jkk", "jkm", "jht"],
        start_date=dt.date(2025, 6, 1),
        employer_id=employer.id,
        wage=WAGE,
    )
    open_membership(session, data, OFFICER)
    return employer.id


def _upah_findings(session: Session, employer_id: int, month: Month) -> list[Finding]:
    query = select(Finding).where(
        Finding.employer_id == employer_id, Finding.kind == "pds_upah", Finding.month == month.first_day()
    )
    return list(session.scalars(query))


def test_umk_year_from_xlsx_checked_by_a_second_user_is_used_from_its_valid_from(
    session: Session, employer_id: int, units: Callable[[], AbstractContextManager[Session]]
) -> None:
    proposed = service.propose_min_wage_file(session, MAKER, "umk-2026.xlsx", _xlsx(ROWS_2026), UMK_2026)
    assert proposed.state == "proposed"
    medan = next(c for c in preview(session, proposed).changes if c.code == "12.71")
    assert (medan.old, medan.new, medan.workers, medan.employers, medan.newly_below) == (4_014_072, 4_335_198, 1, 1, 1)
    # proposed is not in force: January 2026 still carries 2025 forward, marked UNCONFIRMED
    carried = check_offer("12.71.01", WAGE, "month", dt.date(2026, 1, 2))
    assert carried.floor is not None
    assert carried.floor.amount == 4_014_072
    assert any("MISSING TABLE" in w for w in carried.trail.warnings)
    with pytest.raises(Conflict, match="another user"):
        service.activate(session, MAKER, proposed.id)
    service.activate(session, CHECKER, proposed.id)

    # vacancy wage check: December 2025 accepts, January 2026 refuses with the decree
    assert check_offer("12.71.01", WAGE, "month", dt.date(2025, 12, 31)).floor is not None
    with pytest.raises(InvalidInput, match=r"4\.335\.198"):
        check_offer("12.71.01", WAGE, "month", dt.date(2026, 1, 2))
    # compliance scan: no PDS Upah in December 2025, one in January 2026 against the new UMK
    run_scan(units, Month(2025, 12))
    run_scan(units, Month(2026, 1))
    assert _upah_findings(session, employer_id, Month(2025, 12)) == []
    [finding] = _upah_findings(session, employer_id, Month(2026, 1))
    assert "min_wage.12" in finding.rules
    assert "188.44/908/KPTS/2025" in finding.summary
    assert "UNCONFIRMED" not in finding.summary
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "rule_version")).all()
    assert set(actions) >= {"propose", "activate"}


def test_jp_cap_by_formula_is_billed_from_its_valid_from_and_not_before(session: Session) -> None:
    header = VersionIn(valid_from=dt.date(2027, 3, 1), source="BPS BRS 2027 (test)")
    row = service.propose_jp_cap_by_formula(session, MAKER, Decimal("5.00"), header)
    assert row.status == "unconfirmed"
    assert pu_rates(Month(2027, 3))[1] == 11_086_300  # carried forward until someone activates it
    service.activate(session, CHECKER, row.id)
    assert pu_rates(Month(2027, 2))[1] == 11_086_300
    assert pu_rates(Month(2027, 3))[1] == 11_640_600  # 11,086,300 x 1.05 rounded down to Rp100


def test_bad_rows_are_each_refused_with_the_reason_and_nothing_is_proposed(session: Session) -> None:
    k = "Kepgub Sumut 188.44/908/KPTS/2025"
    rows = [
        ("kode", "nama", "jumlah", "keputusan", "berlaku_mulai"),
        ("12", "UMP", 3_228_971, "Kepgub UMP", ""),
        ("12.99", "Nowhere", 3_500_000, k, ""),  # line 3: unknown region
        ("12.71", "Kota Medan", 4_335_198, k, ""),
        ("12.71", "Kota Medan", 4_335_198, k, ""),  # line 5: duplicate
        ("12.07", "Deli Serdang", -5, k, ""),  # line 6: negative
        ("12.08", "Simalungun", 3_000_000, k, ""),  # line 7: below the UMP
        ("12.06", "Karo", 35_772_820, k, ""),  # line 8: 10x the 2025 UMK
        ("12.05", "Langkat", 3_402_892, k, "2026-02-01"),  # line 9: another valid_from
        ("12.09", "Asahan", 3_531_403, "", ""),  # line 10: no decree (and no --instrument)
    ]
    no_instrument = UMK_2026.model_copy(update={"instrument": ""})
    with pytest.raises(InvalidInput) as refused:
        service.propose_min_wage_file(session, MAKER, "bad.xlsx", _xlsx(rows), no_instrument)
    reasons: dict[str, str] = {}
    for f in refused.value.fields:
        reasons[f.field] = reasons.get(f.field, "") + f.message
    assert "unknown region code" in reasons["line 3"]
    assert "appears twice" in reasons["line 5"]
    assert "positive" in reasons["line 6"]
    assert "below the province's UMP" in reasons["line 7"]
    assert "implausible" in reasons["line 8"]
    assert "differs" in reasons["line 9"]
    assert "no decree number" in reasons["line 10"]
    assert set(reasons) == {f"line {n}" for n in (3, 5, 6, 7, 8, 9, 10)}  # line 4 is fine
    assert session.scalars(select(RuleVersion)).all() == []


def test_withdrawn_before_valid_from_but_never_after(session: Session) -> None:
    header = VersionIn(instrument="BPJS announcement (test)", valid_from=dt.date(2027, 3, 1))
    row = service.propose_jp_benefit_bounds(session, MAKER, 410_000, 4_900_000, header)
    service.activate(session, CHECKER, row.id)
    with pytest.raises(Conflict, match="overlaps"):
        service.propose_jp_benefit_bounds(session, MAKER, 410_000, 4_900_000, header)
    with pytest.raises(Conflict, match="no longer"):
        service.withdraw(session, MAKER, row.id, today=dt.date(2027, 3, 1))
    assert service.withdraw(session, MAKER, row.id, today=dt.date(2027, 2, 28)).state == "withdrawn"


def test_jp_bounds_by_formula_end_the_missing_table_warning(session: Session) -> None:
    header = VersionIn(valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2027, 2, 28))
    row = service.propose_jp_bounds_by_formula(session, MAKER, Decimal("1.57"), header)
    assert (row.status, json.loads(row.data)) == ("unconfirmed", {"min": 406_000, "max": 4_867_600})
    service.activate(session, CHECKER, row.id)
    pension = jp_benefit(15 * 12, 1_000_000, dt.date(2026, 6, 1)).as_dict()
    assert pension["total"] == 406_000
    assert not any("MISSING TABLE" in w for w in pension["warnings"])
    assert any("formula" in w for w in pension["warnings"])  # still UNCONFIRMED, and says why
