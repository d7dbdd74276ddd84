"""Seekers and vacancies: bad input refused with nothing saved, the minimum-wage check, matching both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.integration.jobs.conftest import MEDAN_KOTA, POSTED, SUNGGAL, UMK_MEDAN_2025, World

from jangkau.auth.principal import Forbidden
from jangkau.errors import InvalidInput
from jangkau.jobs import service
from jangkau.jobs.models import Seeker, SeekerSkill, Vacancy
from jangkau.jobs.schemas import SeekerIn, VacancyIn
from jangkau.kit.pagination import PageRequest


def seeker_in(nik: str, skills: list[str], districts: list[str] | None = None, wage: int | None = None) -> SeekerIn:
    return SeekerIn(nik=nik, skills=skills, education="smk", preferred_districts=districts or [], expected_wage=wage)


def vacancy_in(employer_id: int, **extra: object) -> VacancyIn:
    data: dict[str, object] = {
        "employer_id": employer_id,
        "title": "Operator jahit",
        "sector": "garmen",
        "skills": ["Menjahit", "pola"],
        "wage_offered": 4_100_000,
        "district_code": MEDAN_KOTA,
        "contract_type": "pkwt",
    } | extra
    return VacancyIn.model_validate(data)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_seeker_needs_a_valid_registered_nik_and_known_districts(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput) as bad_nik:
        service.save_seeker(session, seeker_in("1271011203900000", ["menjahit"]), world.office)
    assert bad_nik.value.code == "nik_invalid"
    with pytest.raises(InvalidInput) as unknown:
        service.save_seeker(session, seeker_in("1271011203900099", ["menjahit"]), world.office)
    assert unknown.value.code == "person_not_registered"
    assert "daftarkan dulu" in unknown.value.message_id
    with pytest.raises(InvalidInput) as district:
        service.save_seeker(session, seeker_in(world.people[0].nik, ["menjahit"], ["12.71.99"]), world.office)
    assert district.value.fields[0].field == "preferred_districts"
    assert count(session, Seeker) == 0
    assert count(session, SeekerSkill) == 0


def test_worker_keeps_own_profile_only(session: Session, world: World) -> None:
    me = world.worker(0)
    saved = service.save_seeker(session, seeker_in(world.people[0].nik, ["Las Listrik", "las listrik", "Cat"]), me)
    assert saved["skills"] == ["cat", "las_listrik"]
    assert saved["nik"] == world.people[0].nik  # the person sees their own NIK
    assert saved["maintained_by"]["label"] == "pekerja0"
    with pytest.raises(Forbidden):
        service.save_seeker(session, seeker_in(world.people[1].nik, ["cat"]), me)
    # an agent in Sunggal helps Budi (Sunggal) but cannot reach Andi (Medan Kota)
    helped = service.save_seeker(session, seeker_in(world.people[1].nik, ["cat"]), world.agent_sunggal)
    assert helped["nik"].count("*") == 6
    with pytest.raises(InvalidInput):
        service.save_seeker(session, seeker_in(world.people[0].nik, ["cat"]), world.agent_sunggal)


def test_vacancy_bad_input_is_refused_and_nothing_saved(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput) as district:
        service.post_vacancy(session, vacancy_in(world.employer.id, district_code="12.71.99"), world.office, POSTED)
    assert district.value.fields[0].field == "district_code"
    with pytest.raises(InvalidInput) as zero:
        service.post_vacancy(session, vacancy_in(world.employer.id, wage_offered=0), world.office, POSTED)
    assert zero.value.fields[0].field == "wage_offered"
    with pytest.raises(InvalidInput) as low:
        service.post_vacancy(session, vacancy_in(world.employer.id, wage_offered=3_500_000), world.office, POSTED)
    assert low.value.code == "wage_below_minimum"
    assert "UMK" in low.value.message
    assert "188.44/833/KPTS/2024" in low.value.message
    assert low.value.details["floor"] == UMK_MEDAN_2025
    assert count(session, Vacancy) == 0


def test_daily_wage_counts_25_days_and_the_latest_decree_is_used_with_a_warning(session: Session, world: World) -> None:
    with pytest.raises(InvalidInput):  # 150,000 x 25 = 3,750,000 < UMK 2025
        service.post_vacancy(
            session, vacancy_in(world.employer.id, wage_offered=150_000, wage_period="day"), world.office, POSTED
        )
    ok = service.post_vacancy(
        session, vacancy_in(world.employer.id, wage_offered=170_000, wage_period="day"), world.office, POSTED
    )
    assert ok["monthly_wage"] == 4_250_000
    # no 2026 decree on file: checked against 2025's, and the answer says so
    later = service.post_vacancy(session, vacancy_in(world.employer.id), world.office, dt.date(2026, 11, 2))
    check = later["wage_check"]
    assert check["floor"] == UMK_MEDAN_2025
    assert any("MISSING TABLE" in w and "latest known" in w for w in check["warnings"])
    assert check["rules"][0]["id"] == "min_wage.12"


def test_employer_posts_only_for_itself(session: Session, world: World) -> None:
    with pytest.raises(Forbidden):
        service.post_vacancy(session, vacancy_in(world.small.id), world.boss, POSTED)
    posted = service.post_vacancy(session, vacancy_in(None), world.boss, POSTED)
    assert posted["employer"]["id"] == world.employer.id
    assert posted["employer"]["standing"]["flagged"] is False


def test_matching_ranks_both_ways_with_the_parts_shown(session: Session, world: World) -> None:
    andi, budi, cici = world.people
    service.save_seeker(session, seeker_in(andi.nik, ["menjahit", "pola"], [MEDAN_KOTA], 4_000_000), world.office)
    service.save_seeker(session, seeker_in(budi.nik, ["menjahit"], [SUNGGAL], 5_000_000), world.office)
    service.save_seeker(session, seeker_in(cici.nik, ["las"], [MEDAN_KOTA]), world.office)
    vacancy = service.post_vacancy(session, vacancy_in(world.employer.id), world.office, POSTED)
    ranked = service.seekers_for_vacancy(session, vacancy["id"], world.office)["items"]
    assert [m["full_name"] for m in ranked] == ["Andi Lubis", "Budi Sitepu"]  # Cici shares no skill
    first, second = ranked
    assert first["score"] == 100
    assert first["parts"]["skills"]["points"] == 60
    assert second["parts"]["skills"]["points"] == 30
    assert second["parts"]["district"]["points"] == 15  # same city, another kecamatan
    assert second["parts"]["wage"]["points"] == 15 * 4_100_000 // 5_000_000
    assert second["score"] == 30 + 15 + 12
    # the other way round: Budi sees the vacancy with its employer's standing
    budi_id = first["id"] if first["full_name"] == "Budi Sitepu" else second["id"]
    found = service.vacancies_for_seeker(session, budi_id, world.office)["items"]
    assert [v["id"] for v in found] == [vacancy["id"]]
    assert found[0]["score"] == second["score"]
    assert "standing" in found[0]["employer"]
    # an agent in Sunggal sees only Budi among the seekers
    listed = service.list_seekers(session, world.agent_sunggal, PageRequest())
    assert [s["full_name"] for s in listed["items"]] == ["Budi Sitepu"]


def test_a_saved_profile_change_changes_the_ranking(session: Session, world: World) -> None:
    """The ranking reads the copies on the skill rows: saving the profile again must update them."""
    andi, budi, _ = world.people
    service.save_seeker(session, seeker_in(andi.nik, ["menjahit"], [SUNGGAL], 9_000_000), world.office)
    service.save_seeker(session, seeker_in(budi.nik, ["menjahit"], [SUNGGAL]), world.office)
    vacancy = service.post_vacancy(session, vacancy_in(world.employer.id), world.office, POSTED)

    def ranked() -> list[tuple[str, int]]:
        items = service.seekers_for_vacancy(session, vacancy["id"], world.office)["items"]
        return [(m["full_name"], m["score"]) for m in items]

    assert ranked() == [("Budi Sitepu", 30 + 15 + 15), ("Andi Lubis", 30 + 15 + 15 * 4_100_000 // 9_000_000)]
    service.save_seeker(session, seeker_in(andi.nik, ["menjahit"], [MEDAN_KOTA], 4_000_000), world.office)
    assert ranked() == [("Andi Lubis", 30 + 25 + 15), ("Budi Sitepu", 30 + 15 + 15)]
    stops = seeker_in(budi.nik, ["menjahit"], [SUNGGAL]).model_copy(update={"availability": "not_looking"})
    service.save_seeker(session, stops, world.office)
    assert ranked() == [("Andi Lubis", 30 + 25 + 15)]
    # seekers by skill read the skill rows: looking ones, in scope, by preferred kecamatan, newest first
    names = [s["full_name"] for s in service.list_seekers(session, world.office, PageRequest(), "menjahit")["items"]]
    assert names == ["Andi Lubis"]
    service.save_seeker(session, seeker_in(budi.nik, ["menjahit", "las"], [SUNGGAL]), world.office)
    by_skill = service.list_seekers(session, world.office, PageRequest(), "menjahit")
    assert ([s["full_name"] for s in by_skill["items"]], by_skill["total"]) == (["Budi Sitepu", "Andi Lubis"], 2)
    in_sunggal = service.list_seekers(session, world.agent_sunggal, PageRequest(), "menjahit")
    assert [s["full_name"] for s in in_sunggal["items"]] == ["Budi Sitepu"]
    near = service.list_seekers(session, world.office, PageRequest(), "menjahit", SUNGGAL)
    assert [s["full_name"] for s in near["items"]] == ["Budi Sitepu"]
