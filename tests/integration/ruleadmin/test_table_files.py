"""Any rule table gets a new version from a TOML file shaped as the shipped ones, checked by a second user."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest
from sqlalchemy.orm import Session
from tests.webclient import client_as

from jangkau.auth.principal import Principal
from jangkau.auth.roles import Role
from jangkau.errors import InvalidInput
from jangkau.kit.months import Month
from jangkau.ruleadmin import service, tablefile
from jangkau.ruleadmin.schemas import VersionIn
from jangkau.rules import bpu_contribution

MAKER = Principal(None, "aturan.cabang", Role.RULES_ADMIN, ("12",))
CHECKER = Principal(None, "aturan.disnaker", Role.RULES_ADMIN, ("12",))
FROM_2027 = VersionIn(instrument="PP 99/2026 (example)", valid_from=dt.date(2027, 1, 1))


def shipped(rule_id: str, name: str) -> str:
    return (resources.files("jangkau.rules") / "data" / rule_id / name).read_text(encoding="utf-8")


def test_a_new_bpu_rate_applies_from_its_valid_from_only(session: Session) -> None:
    toml = shipped("bpu_rates", "pp44-2015.toml").replace("jkm_flat = 6800", "jkm_flat = 7200")
    row = service.propose_table_file(session, MAKER, "bpu_rates", toml.encode(), FROM_2027)
    assert bpu_contribution(1_000_000, Month.parse("2027-01"), "jkk,jkm").total == 10_000 + 6_800, "not yet active"
    service.activate(session, CHECKER, row.id)
    service.refresh(session, force=True)
    assert bpu_contribution(1_000_000, Month.parse("2027-01"), "jkk,jkm").total == 10_000 + 7_200
    assert bpu_contribution(1_000_000, Month.parse("2026-12"), "jkk,jkm").total == 10_000 + 6_800


def test_a_relaxation_with_dates_keeps_them(session: Session) -> None:
    toml = shipped("relaxation.pp7_2025", "pp7-2025.toml").replace('jkk_factor = "0.5"', 'jkk_factor = "0.25"')
    row = service.propose_table_file(session, MAKER, "relaxation.pp7_2025", toml.encode(), FROM_2027)
    assert service.as_version(row).data["jkk_factor"] == "0.25"
    dated = {"when": {"from": dt.date(2027, 1, 1)}}
    assert tablefile.loads(tablefile.dumps(dated)) == dated


def test_a_file_of_another_shape_is_refused_with_every_difference(session: Session) -> None:
    toml = (
        shipped("bpu_rates", "pp44-2015.toml")
        .replace("jkm_flat = 6800", 'jkm_flat = "6800"')
        .replace("jht_bp = 200\n", "")
        .replace("rounding = ", "jkp_bp = 5\nrounding = ")
    )
    with pytest.raises(InvalidInput) as refused:
        service.propose_table_file(session, MAKER, "bpu_rates", toml.encode(), FROM_2027)
    assert {f.field: f.message for f in refused.value.fields} == {
        "jht_bp": "missing",
        "jkp_bp": "not a key of this table",
        "jkm_flat": "must be number as in the version in force, not text",
    }
    with pytest.raises(InvalidInput, match="not a readable TOML"):
        service.propose_table_file(session, MAKER, "bpu_rates", b"jkm_flat = = 1", FROM_2027)
    with pytest.raises(InvalidInput, match="is for table 'jkp_benefits'"):
        service.propose_table_file(session, MAKER, "bpu_rates", b'id = "jkp_benefits"', FROM_2027)
    with pytest.raises(InvalidInput, match="no rule table"):
        service.propose_table_file(session, MAKER, "no_such_table", b"", FROM_2027)


def test_the_api_takes_a_table_file_and_lists_what_is_wrong(session: Session) -> None:
    client = client_as(session, Principal(None, "aturan.cabang", Role.RULES_ADMIN, ("12",)))
    form = {"valid_from": "2027-01-01", "instrument": "PP 99/2026 (example)"}
    toml = shipped("bpu_rates", "pp44-2015.toml").replace("jkm_flat = 6800", "jkm_flat = 7200")
    made = client.post("/api/v1/rules/tables/bpu_rates/versions", data=form, files={"file": ("b.toml", toml)})
    assert made.status_code == 201, made.text
    assert made.json()["state"] == "proposed"
    bad = client.post("/api/v1/rules/tables/bpu_rates/versions", data=form, files={"file": ("b.toml", "jkm_flat = 1")})
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} >= {"jkk_bp", "jht_bp", "rounding"}
