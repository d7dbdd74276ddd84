"""Normalised names and blocking keys, written once as DuckDB SQL so that 10 million rows take seconds.

Indonesian names vary in writing far more than in substance: ``Muhammad`` is written ``Muhamad``,
``Mohammad``, ``Moh.``, ``Muh.`` or ``M.``; ``Siti`` becomes ``St.``; ``Nurul`` and ``Nur`` are used for the
same person; honorifics (``H.``, ``Hj.``), titles (``Dr.``, ``Ir.``) and academic degrees (``S.Pd.``,
``S.E., M.M.``) come and go. :func:`install_macros` defines SQL macros that turn a raw name into

* ``name_norm``: upper case, no honorifics or degrees, variants mapped to one token;
* ``name_sorted``: its tokens in alphabetical order (for swapped token order);
* ``name_core``: ``name_norm`` without the very common tokens (MUHAMMAD, SITI, NUR, ABDUL, AHMAD), so that
  blocking never runs on a bare common first name (SCALE-NOTES "Blocking hazard");
* ``core_first`` and ``core_phon``: the first core token, and a coarse phonetic key of it that merges old and
  new spelling (``Djoko``/``Joko``, ``Soekarno``/``Sukarno``) and doubled letters.

:func:`prepared_sql` builds every column the linkage model uses (see ``PREPARED_COLUMNS``), NIK-derived keys
included. :func:`normalise_name` runs the same SQL on one name, for tests and for the web form.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import duckdb

# Token variants mapped to one spelling.  Single letters are mapped only before the last token, so that
# "Budi M." keeps its initial while "M. Yusuf" becomes MUHAMMAD YUSUF.


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


VARIANTS: dict[str, tuple[str, ...]] = {
    "MUHAMMAD": _words(
        "MUHAMMAD MUHAMAD MUHAMMED MUHAMED MOHAMMAD MOHAMAD MOHAMMED MOHAMED MOCHAMMAD MOCHAMAD MOCHAMAD "
        "MUCHAMMAD MUCHAMAD MOEHAMMAD MOEHAMAD MUHAMMAT MUHAMMADH MOH MOCH MUH MUHD MHD MOHD MUHAMAT"
    ),
    "SITI": ("SITI", "STI", "SITTI"),
    "NUR": ("NUR", "NURUL", "NOER", "NOOR", "NURUN"),
    "ABDUL": ("ABDUL", "ABD", "ABDOEL", "ABDUL", "ABDOL"),
    "AHMAD": ("AHMAD", "ACHMAD", "AHMED", "ACHMED", "AKHMAD", "AHMMAD"),
}
INITIAL_VARIANTS: dict[str, str] = {"M": "MUHAMMAD", "MD": "MUHAMMAD", "ST": "SITI"}
# Honorifics and titles dropped anywhere (when more than one token is left).
HONORIFICS = frozenset(
    _words(
        "H HJ HJH HAJI HAJJAH HAJAH DR DRS DRA DRG IR PROF KH NY NYONYA TN TUAN SDR SDRI BPK BAPAK IBU "
        "ALM ALMH ALMARHUM ALMARHUMAH USTADZ USTAZ USTADZAH USTAZAH R RA RM RR TGK DT"
    )
)
# Bare degree tokens dropped when they are not the first token ("Budi Santoso SPd").
DEGREES = frozenset(
    _words(
        "SPD SPDI SE SEI SH SHI ST SKOM SIKOM SSOS SAG SIP SKM SPSI SSI SKED SKEP SFARM SGZ SPT SSTP SST "
        "SHUT STP SKEB SAK SAP SIKOM SPWK MM MPD MSI MKES MH MT MAG MKOM MSC MBA MAP MAK PHD LC AMD AMK "
        "AMKEB AMKEP AMPD AMA"
    )
)
# Very common tokens kept out of name_core (and so out of every name-based blocking key).
COMMON_TOKENS = ("MUHAMMAD", "SITI", "NUR", "ABDUL", "AHMAD")
# Dotted degrees written without a comma ("Budi S.Pd", "Ani A.Md.Keb").
_DEGREE_CODES = (
    "PD|PDI|E|EI|E\\.I|H|HI|T|KOM|I\\.KOM|IKOM|SOS|AG|IP|KM|SI|PSI|KED|KEP|FARM|GZ|PT|HUT|HUM|KES|SC|AK|AP|M|"
    "MD|SN|DS|TR|TP|KEB|ST|SY|TH|PWK|STAT|A"
)
_DEGREE_RE = rf"(^|\s)(S|M|D[1-4]|A)\.\s?({_DEGREE_CODES})(\.\s?[A-Z]{{1,4}})?\.?(\s|$)"

PREPARED_COLUMNS = (
    "unique_id",
    "nik",
    "nik12",
    "name_norm",
    "name_sorted",
    "name_core",
    "core_first",
    "core_phon",
    "birth_date",
    "birth_year",
    "birth_md",
    "sex",
    "village_code",
    "district_code",
    "regency_code",
)


def _sql_list(values: tuple[str, ...] | frozenset[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(set(values))) + ")"


def _alternation(values: tuple[str, ...] | frozenset[str]) -> str:
    return "|".join(sorted(set(values), key=lambda v: (-len(v), v)))


# Old (pre-1972) and new spelling: DJ/J, TJ/C, J/Y, OE/U.  J and Y are merged because the letter J stands for
# the old DJ or the old Y depending on the era of the name.
_OLD_SPELLING = (
    ("DJ", "J"), ("TJ", "C"), ("SJ", "SY"), ("NJ", "NY"), ("J", "Y"), ("OE", "U"), ("CH", "K"), ("KH", "K"),
    ("Y", "I"), ("V", "F"), ("Z", "S"), ("Q", "K"), ("PH", "F"),
)  # fmt: skip
_DOUBLES = ("BB", "DD", "GG", "KK", "LL", "MM", "NN", "PP", "RR", "SS", "TT")


def _nested(expr: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        expr = f"replace({expr}, '{old}', '{new}')"
    return expr


def _twice(expr: str, pattern: str, replacement: str) -> str:
    """Global replace run twice: RE2 cannot look ahead, so adjacent matches that share a space need two passes."""
    once = f"regexp_replace({expr}, '{pattern}', '{replacement}', 'g')"
    return f"regexp_replace({once}, '{pattern}', '{replacement}', 'g')"


def macro_sql() -> list[str]:
    """The ``CREATE MACRO`` statements behind every normalised column (idempotent: OR REPLACE).

    Everything is a string-level regular expression: DuckDB list lambdas over 10 million names were ten
    times slower.
    """
    clean = (
        "regexp_replace(regexp_replace(regexp_replace(upper(strip_accents(coalesce(s, ''))), ',.*$', ''), "
        "'[`''’]', '', 'g'), '[^A-Z. ]', ' ', 'g')"
    )
    no_degree = _twice("c", _DEGREE_RE, " ")
    split_initials = r"regexp_replace(d, '(^|\s)([A-Z]{1,3})\.([A-Z]{3,})', '\1\2. \3', 'g')"
    no_dots = f"trim(regexp_replace(replace({split_initials}, '.', ''), '\\s+', ' ', 'g'))"
    mapped = "s"
    for target, variants in VARIANTS.items():
        mapped = _twice(mapped, rf"(^|\s)({_alternation(variants)})(\s|$)", rf"\1{target}\3")
    for initial, target in INITIAL_VARIANTS.items():
        mapped = _twice(mapped, rf"(^|\s){initial}\s", rf"\1{target} ")
    no_titles = _twice(mapped, rf"(^|\s)({_alternation(HONORIFICS)})(\s|$)", " ")
    no_titles = _twice(no_titles, rf"\s({_alternation(DEGREES)})(\s|$)", " ")
    special = {v for k, vs in VARIANTS.items() for v in vs if v != k} | set(INITIAL_VARIANTS)
    special |= HONORIFICS | DEGREES
    gate = rf"(^|\s)({_alternation(frozenset(special))})(\s|$)"
    core = _twice("n", rf"(^|\s)({_alternation(COMMON_TOKENS)})(\s|$)", " ")
    phon_word = _nested(_nested("w", _OLD_SPELLING), tuple((d, d[0]) for d in _DOUBLES))
    return [
        f"CREATE OR REPLACE MACRO jk_clean(s) AS {clean}",
        f"CREATE OR REPLACE MACRO jk_nodeg(c) AS {no_degree}",
        f"CREATE OR REPLACE MACRO jk_nodots(d) AS {no_dots}",
        "CREATE OR REPLACE MACRO jk_tidy(s) AS jk_nodots(jk_nodeg(jk_clean(s)))",
        f"CREATE OR REPLACE MACRO jk_special(s) AS nullif(trim(regexp_replace({no_titles}, '\\s+', ' ', 'g')), '')",
        f"CREATE OR REPLACE MACRO jk_gated(s) AS CASE WHEN regexp_matches(s, '{gate}') THEN jk_special(s) "
        "ELSE nullif(s, '') END",
        # Names already in register form (upper-case words, single spaces) skip the cleaning passes.
        "CREATE OR REPLACE MACRO jk_norm(s) AS CASE WHEN regexp_full_match(s, '[A-Z]+( [A-Z]+)*') THEN jk_gated(s) "
        "ELSE jk_gated(jk_tidy(s)) END",
        f"CREATE OR REPLACE MACRO jk_core(n) AS nullif(trim(regexp_replace({core}, '\\s+', ' ', 'g')), '')",
        "CREATE OR REPLACE MACRO jk_sorted(n) AS array_to_string(list_sort(string_split(n, ' ')), ' ')",
        f"CREATE OR REPLACE MACRO jk_phon_word(w) AS {phon_word}",
        "CREATE OR REPLACE MACRO jk_phon(w) AS CASE WHEN w IS NULL OR w = '' THEN NULL ELSE "
        "left(jk_phon_word(w), 1) || regexp_replace(substr(jk_phon_word(w), 2), '[AEIOUH]', '', 'g') END",
    ]


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the normalisation macros on a DuckDB connection.

    Args:
        con: the connection the linkage runs on.
    """
    for statement in macro_sql():
        con.sql(statement)


def shares_a_key(keys: tuple[tuple[str, ...], ...], other: str) -> str:
    """WHERE clause: the row shares all columns of at least one key with a row of ``other``.

    Keys are compared as 64-bit hashes, so a collision can only add a row, never lose one.
    """
    tests = []
    for key in keys:
        cols = ", ".join(key)
        not_null = " AND ".join(f"{c} IS NOT NULL" for c in key)
        tests.append(f"({not_null} AND hash({cols}) IN (SELECT hash({cols}) FROM {other} WHERE {not_null}))")
    return "WHERE " + "\n OR ".join(tests)


def prepare_table(
    con: duckdb.DuckDBPyConnection,
    source: str,
    id_column: str,
    target: str,
    *,
    keep_sharing: tuple[tuple[tuple[str, ...], ...], str] | None = None,
) -> None:
    """Create table ``target`` with the columns the model compares (``PREPARED_COLUMNS``).

    The source needs ``nik, name, birth_date (DATE), sex ('L'/'P'), village_code`` (dotted) and the id
    column.  Names are normalised once per distinct name (a register repeats names a lot), in materialised
    steps.  A missing birth date or sex is taken from a valid NIK (the NIK stays compared as evidence too).

    Args:
        con: a connection with :func:`install_macros` run on it.
        source: a table, view or parenthesised query.
        id_column: the column that becomes ``unique_id``.
        target: the table to create (replaced if it exists).
        keep_sharing: ``(blocking keys, prepared table)``: keep only rows that share a key with that table
            (the register pre-filter), decided before the rows are written.
    """
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE {target}__names AS
        WITH n AS MATERIALIZED (SELECT name, jk_norm(name) AS name_norm FROM (SELECT DISTINCT name FROM {source})),
        c AS MATERIALIZED (SELECT *, jk_core(name_norm) AS name_core FROM n),
        f AS MATERIALIZED (SELECT *, nullif(split_part(name_core, ' ', 1), '') AS core_first FROM c)
        SELECT name, name_norm, jk_sorted(name_norm) AS name_sorted, name_core, core_first, core_phon
        FROM f LEFT JOIN (SELECT core_first, jk_phon(core_first) AS core_phon
                          FROM (SELECT DISTINCT core_first FROM f)) p USING (core_first)
    """)
    where = shares_a_key(keep_sharing[0], keep_sharing[1]) if keep_sharing else ""
    con.sql(f"""
        CREATE OR REPLACE TABLE {target} AS
        WITH prepared AS (
        WITH base AS (
            SELECT CAST({id_column} AS VARCHAR) AS unique_id,
                   CASE WHEN length(nik) = 16 AND regexp_full_match(nik, '[0-9]{{16}}') THEN nik END AS nik,
                   name, CAST(birth_date AS DATE) AS birth_date, sex,
                   nullif(trim(village_code), '') AS village_code
            FROM {source}
        ), withnik AS (
            SELECT *, left(nik, 12) AS nik12,
                   -- birth date and sex from the NIK only where the row lacks them (parsing 10M NIKs is slow)
                   CASE WHEN birth_date IS NULL AND nik IS NOT NULL THEN CAST(try_strptime(
                       lpad(CAST(CAST(substr(nik, 7, 2) AS INT) % 40 AS VARCHAR), 2, '0') || substr(nik, 9, 2)
                       || CAST(CASE WHEN CAST(substr(nik, 11, 2) AS INT) + 2000 <= year(current_date)
                            THEN 2000 ELSE 1900 END + CAST(substr(nik, 11, 2) AS INT) AS VARCHAR),
                       '%d%m%Y') AS DATE) ELSE birth_date END AS born,
                   CASE WHEN sex IS NOT NULL OR nik IS NULL THEN sex
                        WHEN CAST(substr(nik, 7, 2) AS INT) > 40 THEN 'P' ELSE 'L' END AS sex_any
            FROM base
        )
        SELECT unique_id, nik, nik12, n.name_norm, n.name_sorted, n.name_core, n.core_first, n.core_phon,
               born AS birth_date, year(born) AS birth_year, month(born) * 100 + day(born) AS birth_md,
               sex_any AS sex, village_code,
               CASE WHEN len(village_code) >= 8 THEN left(village_code, 8) END AS district_code,
               CASE WHEN len(village_code) >= 5 THEN left(village_code, 5) END AS regency_code
        FROM withnik w LEFT JOIN {target}__names n ON n.name = w.name
        )
        SELECT * FROM prepared {where}
    """)
    con.sql(f"DROP TABLE {target}__names")


@dataclass(frozen=True)
class NameForms:
    """The normalised forms of one name."""

    norm: str | None
    sorted: str | None
    core: str | None
    core_first: str | None
    core_phon: str | None


_LOCAL = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    con: duckdb.DuckDBPyConnection | None = getattr(_LOCAL, "con", None)
    if con is None:
        con = duckdb.connect()
        install_macros(con)
        _LOCAL.con = con
    return con


def normalise_name(name: str | None) -> NameForms:
    """Normalise one name with the same SQL the linkage runs on whole tables.

    Args:
        name: the name as written in the list, e.g. ``"Hj. St. Nurhaliza, S.Pd."``.

    Returns:
        Its :class:`NameForms` (``norm`` is ``None`` when nothing is left, e.g. for ``"H."``).
    """
    row = (
        _connection()
        .execute(
            "SELECT n, jk_sorted(n), c, nullif(split_part(c, ' ', 1), ''), jk_phon(split_part(c, ' ', 1)) "
            "FROM (SELECT n, jk_core(n) AS c FROM (SELECT jk_norm(CAST(? AS VARCHAR)) AS n))",
            [name],
        )
        .fetchall()[0]
    )
    return NameForms(*row)
