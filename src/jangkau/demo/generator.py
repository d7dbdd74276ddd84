"""Synthetic people for the demo city: households, persons with valid NIKs, memberships.

Deterministic for a seed: each district is generated from its own random stream (seed + district code),
so a seed run can stop after any district and resume from the next one with the same result.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from jangkau.demo import catalog
from jangkau.registry.names import variant_of
from jangkau.registry.nik import Sex, nik_birth_code

UMK_MEDAN_2025 = 4_014_072  # REFERENCE.md §4.2 [S-RBTV-UMK2025]; the demo wage anchor.


@dataclass(frozen=True)
class DemoEmployer:
    id: int
    size_class: str
    sector: str
    weight: float


@dataclass
class DistrictBatch:
    """Rows for one district, ready for bulk insert; persons refer to households by index."""

    households: list[dict[str, object]] = field(default_factory=list)
    persons: list[dict[str, object]] = field(default_factory=list)
    person_household: list[int] = field(default_factory=list)
    memberships: list[dict[str, object]] = field(default_factory=list)
    membership_person: list[int] = field(default_factory=list)


@dataclass
class NikAllocator:
    """Hands out NIK serials per 12-digit prefix, continuing from what is already stored."""

    last_serial: dict[str, int] = field(default_factory=dict)

    def next(self, prefix12: str) -> str:
        serial = self.last_serial.get(prefix12, 0) + 1
        if serial > 9999:
            raise RuntimeError(f"NIK serials exhausted for {prefix12}")
        self.last_serial[prefix12] = serial
        return f"{prefix12}{serial:04d}"


@dataclass
class Context:
    rng: random.Random
    as_of: dt.date
    employers: Sequence[DemoEmployer]
    employer_cum_weights: list[float]
    origin_districts: Sequence[str]
    niks: NikAllocator


def village_sizes(rng: random.Random, villages: Sequence[str], total: int) -> dict[str, int]:
    """Split ``total`` people over villages with log-normal sizes (some villages are much larger)."""
    weights = [rng.lognormvariate(0, 0.6) for _ in villages]
    scale = total / sum(weights)
    return {v: max(1, round(w * scale)) for v, w in zip(villages, weights, strict=True)}


def generate_district(ctx: Context, district: str, villages: dict[str, int]) -> DistrictBatch:
    """Households and people for the villages of one district (village code -> number of people)."""
    batch = DistrictBatch()
    for village, people in villages.items():
        made = 0
        while made < people:
            made += _household(ctx, batch, district, village, min(people - made, _household_size(ctx.rng)))
    return batch


def _household_size(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4, 5, 6), (0.10, 0.17, 0.22, 0.25, 0.16, 0.10))[0]


def _household(ctx: Context, batch: DistrictBatch, district: str, village: str, size: int) -> int:
    rng = ctx.rng
    index = len(batch.households)
    rt = f"{rng.randint(1, 15):03d}"
    rw = f"{rng.randint(1, 12):03d}"
    address = f"Jl. {rng.choice(catalog.STREETS)} No. {rng.randint(1, 250)}"
    batch.households.append({"village_code": village, "address": address, "rt": rt, "rw": rw, "kk_number": None})
    family = (
        rng.choice(catalog.MARGA)
        if rng.random() < 0.45
        else (rng.choice(catalog.FAMILY_NAMES) if rng.random() < 0.4 else None)
    )
    head_age = rng.randint(22, 72)
    members = [(Sex.MALE if rng.random() < 0.82 else Sex.FEMALE, head_age)]
    if size > 1:
        members.append((Sex.FEMALE if members[0][0] is Sex.MALE else Sex.MALE, max(18, head_age + rng.randint(-8, 4))))
    for _ in range(size - len(members)):
        members.append((rng.choice((Sex.MALE, Sex.FEMALE)), max(0, head_age - rng.randint(18, 40))))
    for sex, age in members:
        _person(ctx, batch, index, district, village, sex, age, family, address, rt, rw)
    return size


def _name(rng: random.Random, sex: Sex, family: str | None) -> str:
    pool, prefixes = (
        (catalog.MALE_NAMES, catalog.MALE_PREFIXES)
        if sex is Sex.MALE
        else (catalog.FEMALE_NAMES, catalog.FEMALE_PREFIXES)
    )
    tokens = [p for p, rate in prefixes if rng.random() < rate][:1]
    tokens.append(rng.choice(pool))
    if rng.random() < 0.3:
        tokens.append(rng.choice(pool))
    if family:
        tokens.append(family)
    name = " ".join(tokens)
    # Registers already carry the clerks' habits: some names are stored as M., Muhamad, St., ...
    return variant_of(name, rng) if rng.random() < 0.08 else name


def _person(
    ctx: Context,
    batch: DistrictBatch,
    household: int,
    district: str,
    village: str,
    sex: Sex,
    age: int,
    family: str | None,
    address: str,
    rt: str,
    rw: str,
) -> None:
    rng = ctx.rng
    birth = ctx.as_of - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    origin = district if rng.random() < 0.85 else rng.choice(ctx.origin_districts)
    nik = ctx.niks.next(origin.replace(".", "") + nik_birth_code(birth, sex))
    occupation, vulnerable = _occupation(rng, sex, age)
    occupation, membership = _membership(ctx, occupation, vulnerable, birth)
    phone = (
        rng.choice(catalog.MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        if age >= 17 and rng.random() < 0.75
        else None
    )
    batch.persons.append(
        {
            "nik": nik,
            "full_name": _name(rng, sex, family),
            "birth_date": birth,
            "sex": sex.value,
            "phone": phone,
            "address": address,
            "rt": rt,
            "rw": rw,
            "village_code": village,
            "occupation": occupation,
            "is_vulnerable": vulnerable,
            "registered_by_kind": "demo",
            "registered_by_label": "demo seed",
        }
    )
    batch.person_household.append(household)
    if membership:
        batch.memberships.append(membership)
        batch.membership_person.append(len(batch.persons) - 1)


def _occupation(rng: random.Random, sex: Sex, age: int) -> tuple[str | None, bool]:
    if age < 6:
        return None, False
    if age < 18:
        return "pelajar", False
    if age > 62:
        return ("pensiunan" if rng.random() < 0.3 else "belum_bekerja"), False
    working = rng.random() < (0.82 if sex is Sex.MALE else 0.55)
    if not working:
        return ("pelajar" if age < 24 else "mengurus_rumah_tangga" if sex is Sex.FEMALE else "belum_bekerja"), False
    roll = rng.random()
    if roll < 0.02:
        return ("kepala_lingkungan" if rng.random() < 0.4 else "pegawai_non_asn"), False
    if roll < 0.44:
        return "formal", False
    codes, weights = zip(*catalog.INFORMAL_OCCUPATIONS, strict=True)
    return rng.choices(codes, weights)[0], rng.random() < 0.35


def _start_date(rng: random.Random, as_of: dt.date, birth: dt.date) -> dt.date:
    earliest = max(
        dt.date(2015, 7, 1),
        birth.replace(year=birth.year + 18) if birth.month != 2 or birth.day != 29 else dt.date(birth.year + 18, 3, 1),
    )
    span = max(1, (as_of - earliest).days)
    return earliest + dt.timedelta(days=int(span * rng.random() ** 0.7))


def _membership(
    ctx: Context, occupation: str | None, vulnerable: bool, birth: dt.date
) -> tuple[str | None, dict[str, object] | None]:
    """The person's occupation (formal workers get their employer's) and membership, if any."""
    rng = ctx.rng
    if occupation == "formal":
        employer = rng.choices(ctx.employers, cum_weights=ctx.employer_cum_weights)[0]
        return catalog.SECTORS.get(employer.sector, (0, "karyawan_swasta", 0))[1], _pu(ctx, employer, birth)
    if occupation == "pegawai_non_asn":
        return occupation, _pu(ctx, ctx.employers[0], birth)
    if occupation == "kepala_lingkungan" and rng.random() < 0.9:
        return occupation, _bpu(rng, ctx.as_of, birth, 1_000_000, "jkk,jkm", "active")
    if occupation in dict(catalog.INFORMAL_OCCUPATIONS) and rng.random() < (0.30 if vulnerable else 0.12):
        income = 1_000_000 if rng.random() < 0.8 else rng.choice((2_000_000, 3_000_000, 4_000_000, 5_000_000))
        programs = "jkk,jkm,jht" if rng.random() < 0.25 else "jkk,jkm"
        status = rng.choices(("active", "lapsed", "ended"), (0.55, 0.15, 0.30))[0]
        return occupation, _bpu(rng, ctx.as_of, birth, income, programs, status)
    return occupation, None


def _bpu(
    rng: random.Random, as_of: dt.date, birth: dt.date, income: int, programs: str, status: str
) -> dict[str, object]:
    start = _start_date(rng, as_of, birth)
    return {
        "segment": "bpu",
        "employer_id": None,
        "programs": programs,
        "wage": None,
        "declared_income": income,
        "start_date": start,
        "status": status,
        "end_date": None if status != "ended" else min(as_of, start + dt.timedelta(days=rng.randint(120, 900))),
    }


def _pu(ctx: Context, employer: DemoEmployer, birth: dt.date) -> dict[str, object] | None:
    rng = ctx.rng
    coverage = catalog.SIZE_CLASSES[employer.size_class][2]
    if rng.random() > coverage:
        return None  # an unregistered worker: what compliance calls PDS TK
    wage = UMK_MEDAN_2025 * (rng.uniform(0.70, 0.99) if rng.random() < 0.08 else math.exp(rng.gauss(0.15, 0.25)))
    programs = {
        "micro": "jkk,jkm",
        "small": "jkk,jkm,jht",
        "medium": "jkk,jkm,jht,jp",
        "large": "jkk,jkm,jht,jp",
    }[employer.size_class]
    if employer.size_class in ("medium", "large") and rng.random() < 0.12:
        programs = "jkk,jkm,jht"  # a missing programme: PDS Program
    status = "active" if rng.random() < 0.92 else "ended"
    start = _start_date(rng, ctx.as_of, birth)
    return {
        "segment": "pu",
        "employer_id": employer.id,
        "programs": programs,
        "wage": int(round(wage, -3)),
        "declared_income": None,
        "start_date": start,
        "status": status,
        "end_date": None if status == "active" else min(ctx.as_of, start + dt.timedelta(days=rng.randint(90, 1500))),
    }


def employer_rows(
    rng: random.Random, region_digits: str, villages: Sequence[str], count: int
) -> list[dict[str, object]]:
    """``count`` employers spread over the villages; the first is the city government (for non-ASN staff)."""
    sizes = list(catalog.SIZE_CLASSES)
    size_weights = [catalog.SIZE_CLASSES[s][0] for s in sizes]
    sectors = list(catalog.SECTORS)
    sector_weights = [catalog.SECTORS[s][2] for s in sectors]
    rows: list[dict[str, object]] = [
        {
            "registration_number": f"{region_digits}000000",
            "name": f"Pemerintah Kota/Kabupaten {region_digits}",
            "npwp": None,
            "business_sector": "pemerintahan",
            "size_class": "large",
            "jkk_risk_group": 1,
            "village_code": villages[0],
            "address": "Kantor Wali Kota",
            "registered_by_kind": "demo",
            "registered_by_label": "demo seed",
        }
    ]
    for i in range(1, count):
        sector = rng.choices(sectors, sector_weights)[0]
        words = (catalog.EMPLOYER_FORMS, catalog.EMPLOYER_WORDS_A, catalog.EMPLOYER_WORDS_B)
        name = " ".join(rng.choice(pool) for pool in words)
        rows.append(
            {
                "registration_number": f"{region_digits}{i:06d}",
                "name": name,
                "npwp": f"{rng.randint(10**14, 10**15 - 1)}" if rng.random() < 0.8 else None,
                "business_sector": sector,
                "size_class": rng.choices(sizes, size_weights)[0],
                "jkk_risk_group": catalog.SECTORS[sector][0],
                "village_code": rng.choice(villages),
                "address": f"Jl. {rng.choice(catalog.STREETS)} No. {rng.randint(1, 400)}",
                "registered_by_kind": "demo",
                "registered_by_label": "demo seed",
            }
        )
    return rows


def employer_weight(size_class: str, rng: random.Random) -> float:
    """How many workers an employer of this size has (the chance a formal worker works there)."""
    low, high = catalog.SIZE_CLASSES[size_class][1]
    return float(rng.randint(low, high))
