"""Seeded synthetic register and list, with the errors real city lists have, and the truth.

Everything is generated in DuckDB SQL from a hash of (seed, row, purpose), so the output is the same for a
seed on every machine and thread count, and a 10-million-row register takes seconds (no per-row Python).
Names come from Faker's ``id_ID`` name pools (read once as lists, never called per row) plus the habits of
Indonesian lists: MUHAMMAD written M./Muhamad/Moh., SITI as St., Nurul for Nur, Abd. for Abdul, a dropped
last name, swapped tokens, typos, H./Hj. and degrees.  Region codes sit in a made-up province 12 tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb
from faker.providers.person.id_ID import Provider as _IdNames


@dataclass(frozen=True)
class ErrorRates:
    """How often a list row differs from the register (fractions of list rows)."""

    in_register: float = 0.85
    duplicate: float = 0.03
    nik_missing: float = 0.10
    nik_typo: float = 0.08
    date_swapped: float = 0.03
    date_year_off: float = 0.03
    date_missing: float = 0.02
    village_same_district: float = 0.07
    village_elsewhere: float = 0.03
    village_missing: float = 0.05
    sex_missing: float = 0.03
    name_typo: float = 0.08
    name_drop_last: float = 0.08
    name_swap: float = 0.04
    honorific: float = 0.05
    degree: float = 0.03


def _u(idx: str, seed: int, purpose: int) -> str:
    """SQL for a uniform number in [0, 1) from (row, seed, purpose)."""
    return f"((hash({idx}, {seed}, {purpose}) % 1000000007) / 1000000007.0)"


def _pick(pool: str, idx: str, seed: int, purpose: int) -> str:
    values = _pool(pool) if pool in _POOLS else pool
    return f"{values}[1 + CAST(hash({idx}, {seed}, {purpose}) % len({values}) AS BIGINT)]"


def _sql_array(values: tuple[str, ...]) -> str:
    return "[" + ", ".join("'" + v.upper().replace("'", "''") + "'" for v in values) + "]"


_POOLS = {
    "male_first": _IdNames.first_names_male,
    "female_first": _IdNames.first_names_female,
    "male_last": _IdNames.last_names_male,
    "female_last": _IdNames.last_names_female,
}


def _pool(name: str) -> str:
    """A name pool as an SQL list literal (a constant: cheap to index per row)."""
    return _sql_array(tuple(_POOLS[name]))


def install_pools(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """Create the village table: province 12, 33 regencies, about 11 thousand villages."""
    regencies = [f"{r:02d}" for r in [*range(1, 26), *range(71, 79)]]
    con.sql(f"""
        CREATE OR REPLACE TABLE synth_villages AS
        WITH reg AS (SELECT unnest({regencies}) AS reg),
        dis AS (SELECT reg, d FROM reg, range(1, 36) t(d) WHERE d <= 10 + hash(reg, {seed}, 1) % 25),
        vil AS (SELECT reg, d, v FROM dis, range(1, 26) t(v) WHERE v <= 8 + hash(reg, d, {seed}, 2) % 17)
        SELECT vidx, village_code, nik_district,
               min(vidx) OVER (PARTITION BY reg, d) AS dist_start, count(*) OVER (PARTITION BY reg, d) AS dist_count
        FROM (
            SELECT reg, d, row_number() OVER (ORDER BY reg, d, v) - 1 AS vidx,
                   '12.' || reg || '.' || lpad(d::VARCHAR, 2, '0') || '.' ||
                       CASE WHEN reg >= '71' THEN '1' ELSE '2' END || lpad(v::VARCHAR, 3, '0') AS village_code,
                   '12' || reg || lpad(d::VARCHAR, 2, '0') AS nik_district
            FROM vil)
        ORDER BY vidx
    """)


def _persons_sql(source: str, seed: int) -> str:
    """Attributes of the persons whose index is ``pidx`` in ``source``: sex, birth date, village, name."""
    u = partial(_u, "pidx", seed)

    def by_sex(pool: str, k: int) -> str:
        male, female = _pick("male_" + pool, "pidx", seed, k), _pick("female_" + pool, "pidx", seed, k)
        return f"CASE WHEN male THEN {male} ELSE {female} END"

    first, middle = by_sex("first", 20), f"CASE WHEN {u(22)} < 0.25 THEN {by_sex('first', 23)} END"
    last = f"CASE WHEN {u(24)} < 0.7 THEN {by_sex('last', 25)} END"
    prefix = (
        f"CASE WHEN male AND {u(26)} < 0.25 THEN 'MUHAMMAD' WHEN male AND {u(26)} < 0.31 THEN 'AHMAD' "
        f"WHEN male AND {u(26)} < 0.35 THEN 'ABDUL' WHEN NOT male AND {u(26)} < 0.20 THEN 'SITI' "
        f"WHEN {u(26)} > 0.93 THEN 'NUR' END"
    )
    return f"""
        SELECT pidx, male, birth_date, v.village_code,
               CASE WHEN {u(4)} < 0.85 THEN v.nik_district ELSE v2.nik_district END AS nik_district,
               concat_ws(' ', {prefix}, {first}, {middle}, {last}) AS name
        FROM (SELECT pidx, {u(1)} < 0.5 AS male,
                     DATE '1950-01-01' + CAST(floor({u(2)} * 20000) AS INTEGER) AS birth_date,
                     CAST(floor(pow({u(3)}, 1.4) * (SELECT count(*) FROM synth_villages)) AS BIGINT) AS vpick,
                     CAST(floor({u(5)} * (SELECT count(*) FROM synth_villages)) AS BIGINT) AS vpick2
              FROM {source}) p
        JOIN synth_villages v ON v.vidx = p.vpick
        JOIN synth_villages v2 ON v2.vidx = p.vpick2
    """


def _nik_sql(serial_base: int) -> str:
    return (
        "nik_district || lpad(CAST(day(birth_date) + CASE WHEN male THEN 0 ELSE 40 END AS VARCHAR), 2, '0') || "
        "strftime(birth_date, '%m%y') || lpad(CAST(row_number() OVER (PARTITION BY nik_district, birth_date, male "
        f"ORDER BY pidx) + {serial_base} AS VARCHAR), 4, '0')"
    )


def make_register(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> None:
    """Create table ``synth_register(person_id, nik, name, birth_date, sex, village_code)`` with ``n`` persons."""
    install_pools(con, seed)
    con.sql(f"""
        CREATE OR REPLACE TABLE synth_register AS
        SELECT pidx + 1 AS person_id, {_nik_sql(0)} AS nik, name, birth_date,
               CASE WHEN male THEN 'L' ELSE 'P' END AS sex, village_code
        FROM ({_persons_sql(f"(SELECT range AS pidx FROM range({n}))", seed)})
        ORDER BY pidx
    """)


def _multiplier(n: int) -> int:
    from math import gcd

    a = 1_000_003
    while gcd(a, n) != 1:
        a += 2
    return a


def _name_error_stages(seed: int, r: ErrorRates) -> list[str]:
    """Expressions applied one after the other to column ``nm`` (each stage is materialised by the caller)."""
    u = partial(_u, "i", seed)
    muh = _pick("['M.', 'MUHAMAD', 'MOH.', 'MOHAMMAD', 'MUH.', 'M', 'MUHAMMAD', 'MOHAMAD']", "i", seed, 40)
    variants = "nm"
    for word, k, rate, written in (
        ("MUHAMMAD", 41, 0.6, muh),
        ("SITI", 42, 0.4, "'ST.'"),
        ("NUR", 43, 0.3, "'NURUL'"),
        ("ABDUL", 44, 0.4, "'ABD.'"),
        ("AHMAD", 45, 0.2, "'ACHMAD'"),
    ):
        variants = (
            f"regexp_replace({variants}, '\\b{word}\\b', CASE WHEN {u(k)} < {rate} THEN {written} ELSE '{word}' END)"
        )
    drop = f"CASE WHEN {u(46)} < {r.name_drop_last} THEN regexp_replace(nm, '\\s+\\S+$', '') ELSE nm END"
    parts = "string_split(nm, ' ')"
    swap = f"array_to_string(list_concat([{parts}[-1]], {parts}[2:-2], [{parts}[1]]), ' ')"
    swapped = f"CASE WHEN {u(47)} < {r.name_swap} AND contains(nm, ' ') THEN {swap} ELSE nm END"
    pos = f"(2 + CAST(floor({u(49)} * greatest(length(nm) - 2, 1)) AS INTEGER))"
    letter = _pick("['A', 'E', 'I', 'U', 'N', 'R', 'S', 'H', '']", "i", seed, 50)
    typo = (
        f"CASE WHEN {u(48)} < {r.name_typo} THEN left(nm, {pos} - 1) || {letter} || substr(nm, {pos} + 1) ELSE nm END"
    )
    hon = f"CASE WHEN {u(51)} < {r.honorific} THEN CASE WHEN sex = 'L' THEN 'H. ' ELSE 'HJ. ' END ELSE '' END"
    deg = _pick("[', S.PD.', ' S.E.', ', S.H.', ', A.MD.KEB', ' SPD', ', DRS.']", "i", seed, 53)
    titled = f"{hon} || nm || CASE WHEN {u(52)} < {r.degree} THEN {deg} ELSE '' END"
    words = "list_transform(string_split(lower(nm), ' '), lambda w: upper(left(w, 1)) || substr(w, 2))"
    case = f"CASE WHEN {u(54)} < 0.6 THEN array_to_string({words}, ' ') WHEN {u(54)} < 0.65 THEN lower(nm) ELSE nm END"
    return [variants, drop, swapped, typo, titled, case]


def _nik_errors_sql(seed: int, r: ErrorRates) -> str:
    u = partial(_u, "i", seed)

    def flip(expr: str, pos: str, k: int) -> str:
        shift = f"CAST(floor({u(k)} * 9) AS INTEGER)"
        digit = f"CAST((CAST(substr({expr}, {pos}, 1) AS INTEGER) + 1 + {shift}) % 10 AS VARCHAR)"
        return f"left({expr}, {pos} - 1) || {digit} || substr({expr}, {pos} + 1)"

    p1, p2 = f"(1 + CAST(floor({u(61)} * 16) AS INTEGER))", f"(1 + CAST(floor({u(62)} * 16) AS INTEGER))"
    one = flip("nik0", p1, 63)
    two = f"CASE WHEN {u(64)} < 0.4 THEN {flip(one, p2, 65)} ELSE {one} END"
    return (
        f"CASE WHEN {u(60)} < {r.nik_missing} THEN NULL "
        f"WHEN {u(60)} < {r.nik_missing + r.nik_typo} THEN {two} ELSE nik0 END"
    )


def _date_errors_sql(seed: int, r: ErrorRates) -> str:
    u = partial(_u, "i", seed)
    a, b, c = r.date_swapped, r.date_swapped + r.date_year_off, r.date_swapped + r.date_year_off + r.date_missing
    swapped = "CASE WHEN day(bd0) <= 12 THEN make_date(year(bd0), day(bd0), month(bd0)) ELSE bd0 END"
    off = f"CASE WHEN {u(71)} < 0.5 THEN bd0 + INTERVAL 1 YEAR ELSE bd0 - INTERVAL 1 YEAR END"
    bd = (
        f"CAST(CASE WHEN {u(70)} < {a} THEN {swapped} WHEN {u(70)} < {b} THEN {off} "
        f"WHEN {u(70)} < {c} THEN NULL ELSE bd0 END AS DATE)"
    )
    return f"CASE WHEN {u(72)} < 0.3 THEN strftime({bd}, '%d-%m-%Y') ELSE strftime({bd}, '%Y-%m-%d') END"


def make_list(con: duckdb.DuckDBPyConnection, n_list: int, n_register: int, seed: int, rates: ErrorRates) -> None:
    """Create table ``synth_list`` (list columns plus ``true_person_id`` and ``true_entity_id``).

    Needs :func:`make_register` first (same connection, same seed).
    """
    u = partial(_u, "i", seed)
    a = _multiplier(n_register)
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE synth_rows AS
        SELECT i, CASE WHEN dup THEN base ELSE i END AS src FROM (
            SELECT i, CAST(floor({u(12)} * i) AS BIGINT) AS base,
                   i > 0 AND {u(11)} < {rates.duplicate} AND
                   {_u("CAST(floor(" + u(12) + " * i) AS BIGINT)", seed, 11)} >= {rates.duplicate} AS dup
            FROM range({n_list}) t(i))
    """)
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE synth_entities AS
        SELECT src, {_u("src", seed, 10)} < {rates.in_register} AS in_reg,
               ({a} * src + {seed % 9973}) % {n_register} + 1 AS person_id
        FROM (SELECT DISTINCT src FROM synth_rows)
    """)
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE synth_new AS
        SELECT {_nik_sql(5000)} AS nik, name, birth_date, CASE WHEN male THEN 'L' ELSE 'P' END AS sex,
               village_code, pidx
        FROM ({_persons_sql(f"(SELECT {n_register} + src AS pidx FROM synth_entities WHERE NOT in_reg)", seed)})
    """)
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE synth_truth AS
        SELECT r.i, CASE WHEN e.in_reg THEN e.person_id END AS true_person_id,
               CASE WHEN e.in_reg THEN 'P' || e.person_id ELSE 'N' || e.src END AS true_entity_id,
               coalesce(g.nik, n.nik) AS nik0, coalesce(g.name, n.name) AS name0,
               coalesce(g.birth_date, n.birth_date) AS bd0, coalesce(g.sex, n.sex) AS sex,
               coalesce(g.village_code, n.village_code) AS village0
        FROM synth_rows r JOIN synth_entities e USING (src)
        LEFT JOIN synth_register g ON e.in_reg AND g.person_id = e.person_id
        LEFT JOIN synth_new n ON NOT e.in_reg AND n.pidx = {n_register} + e.src
    """)
    village = _village_errors_sql(seed, rates)
    n_villages = con.sql("SELECT count(*) FROM synth_villages").fetchall()[0][0]
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE synth_named AS
        SELECT t.*, {village} AS village_code, name0 AS nm
        FROM synth_truth t JOIN synth_villages v0 ON v0.village_code = t.village0
        JOIN synth_villages vnear ON vnear.vidx = v0.dist_start + CAST(floor({u(82)} * v0.dist_count) AS BIGINT)
        JOIN synth_villages vfar ON vfar.vidx = CAST(floor({u(83)} * {n_villages}) AS BIGINT)
    """)
    for stage in _name_error_stages(seed, rates):
        con.sql(f"CREATE OR REPLACE TEMP TABLE synth_named AS SELECT * REPLACE ({stage} AS nm) FROM synth_named")
    con.sql(f"""
        CREATE OR REPLACE TABLE synth_list AS
        SELECT 'L' || lpad(CAST(i + 1 AS VARCHAR), 8, '0') AS row_id, {_nik_errors_sql(seed, rates)} AS nik,
               nm AS name, {_date_errors_sql(seed, rates)} AS birth_date,
               CASE WHEN {u(80)} < {rates.sex_missing} THEN NULL ELSE sex END AS sex,
               village_code, true_person_id, true_entity_id
        FROM synth_named ORDER BY i
    """)
    for table in ("synth_rows", "synth_entities", "synth_new", "synth_truth", "synth_named"):
        con.sql(f"DROP TABLE {table}")


def _village_errors_sql(seed: int, r: ErrorRates) -> str:
    """The list's village: ``vnear`` (same district) and ``vfar`` (anywhere) are joined by the caller."""
    u = partial(_u, "i", seed)
    a = r.village_same_district
    b, c = a + r.village_elsewhere, a + r.village_elsewhere + r.village_missing
    code = (
        f"CASE WHEN {u(81)} < {a} THEN vnear.village_code WHEN {u(81)} < {b} THEN vfar.village_code "
        f"WHEN {u(81)} < {c} THEN NULL ELSE village0 END"
    )
    return f"CASE WHEN {u(84)} < 0.2 THEN replace({code}, '.', '') ELSE {code} END"


@dataclass(frozen=True)
class SynthFiles:
    """Paths of a generated tier."""

    register: Path
    list: Path
    truth: Path


def write_tier(
    out_dir: Path,
    n_register: int,
    n_list: int,
    seed: int = 42,
    rates: ErrorRates | None = None,
    list_csv: bool = False,
    on_disk: bool = False,
) -> SynthFiles:
    """Generate a register and a list and write them as Parquet (the list also as CSV when asked).

    Args:
        out_dir: where ``register.parquet``, ``list.parquet`` (or ``list.csv``) and ``truth.parquet`` go.
        n_register: persons in the register.
        n_list: rows in the list.
        seed: the seed; the same seed gives the same files.
        rates: error rates; defaults to :class:`ErrorRates`.
        list_csv: write the list as CSV (the form cities send) instead of Parquet.
        on_disk: build in a DuckDB file in ``out_dir`` (for registers of tens of millions).

    Returns:
        The paths written.
    """
    rates = rates or ErrorRates()
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = out_dir / "synth.duckdb"
    con = duckdb.connect(str(scratch) if on_disk else ":memory:")
    con.sql("SET enable_progress_bar = false")
    if on_disk:
        con.sql(f"SET temp_directory = '{out_dir / 'synth_tmp'}'")
        con.sql("SET preserve_insertion_order = false")
    try:
        make_register(con, n_register, seed)
        make_list(con, n_list, n_register, seed, rates)
        files = SynthFiles(out_dir / "register.parquet", out_dir / ("list.csv" if list_csv else "list.parquet"),
                           out_dir / "truth.parquet")  # fmt: skip
        con.sql(f"COPY synth_register TO '{files.register}' (FORMAT parquet)")
        fmt = "(FORMAT csv, HEADER)" if list_csv else "(FORMAT parquet)"
        cols = "row_id, nik, name, birth_date, sex, village_code"
        con.sql(f"COPY (SELECT {cols} FROM synth_list) TO '{files.list}' {fmt}")
        con.sql(
            f"COPY (SELECT row_id, true_person_id, true_entity_id FROM synth_list) TO '{files.truth}' (FORMAT parquet)"
        )
    finally:
        con.close()
        scratch.unlink(missing_ok=True)
    return files
