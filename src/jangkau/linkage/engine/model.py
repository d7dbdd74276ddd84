"""The Splink model: blocking rules, comparisons, training on seeded data, and the shipped model JSON.

The same settings run on DuckDB and on Spark: every custom SQL condition below is written in SQL that both
dialects accept (``substr``, ``day``/``month``/``year``, ``abs``).  Blocking never uses a bare first-name token
(SCALE-NOTES "Blocking hazard"): only NIK-derived keys, birth date with area, and the *core* of the name (the
name without MUHAMMAD, SITI, NUR, ...) together with a birth date, year or district.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

MODEL_PATH = Path(__file__).parent / "data" / "linkage_model.json"

# Random-pair agreement of NIKs (SCALE-NOTES §1.5 (2)): random sampling almost never sees two NIKs within two
# edits, so these are set by hand.  A random pair agrees exactly with probability about 1/N.  One or two edits
# apart is far more common than random sampling suggests among the pairs that are actually scored: they share a
# birth date (same birth digits) and serials mostly are 0001, so neighbouring districts or the sex digit give
# NIKs one edit apart for different persons.  The values below are for such pairs, not for random ones.
# A NIK that differs only in its serial (same first 12 digits) belongs, in most pairs that reach scoring, to
# another person born the same day in the same district: it agrees *because* birth date and district agree, so
# it gets no weight of its own (u = m) and the name decides.
NIK_U = {"exact": 1e-8, "lev1": 1e-5, "lev2": 5e-5}
SAME_PREFIX_LABEL = "same first 12 digits, other serial"


# Candidate pairs share all columns of at least one of these keys.  They are also used to pre-filter the
# register to the records that can pair with the list at all.
BLOCKING_KEYS: tuple[tuple[str, ...], ...] = (
    ("nik",),
    ("nik12",),
    ("birth_date", "district_code"),
    ("core_first", "birth_date"),
    ("core_first", "birth_year", "district_code"),
    ("name_core", "village_code"),
    ("name_core", "birth_md", "regency_code"),
    ("name_sorted", "birth_date"),
)


# Measured on the 1m tier (1M register, 50k list): adding ("core_phon", "birth_date") found 5 more of 42,377
# true links for 13,000 more pairs; name_core + birth_md without the regency 1 more for 15,000.


def blocking_rules() -> list[Any]:
    """Candidate pairs: NIK, NIK prefix, birth date + district, and name core with a date or area."""
    return [block_on(*key) for key in BLOCKING_KEYS]


def _name_comparison() -> Any:
    prefix = (
        "(substr(name_norm_l, 1, length(name_norm_r) + 1) = name_norm_r || ' ' OR "
        "substr(name_norm_r, 1, length(name_norm_l) + 1) = name_norm_l || ' ')"
    )
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_norm"),
            cll.ExactMatchLevel("name_norm"),
            cll.ExactMatchLevel("name_sorted").configure(label_for_charts="same tokens, other order"),
            cll.JaroWinklerLevel("name_norm", 0.95),
            cll.CustomLevel(prefix, "one name is the other with more tokens (dropped surname)"),
            cll.JaroWinklerLevel("name_norm", 0.88),
            cll.JaroWinklerLevel("name_sorted", 0.88),
            cll.ExactMatchLevel("core_first"),
            cll.JaroWinklerLevel("name_norm", 0.75),
            cll.ElseLevel(),
        ],
    )


def _birth_date_comparison() -> Any:
    swapped = (
        "day(birth_date_l) = month(birth_date_r) AND month(birth_date_l) = day(birth_date_r) "
        "AND year(birth_date_l) = year(birth_date_r)"
    )
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel(swapped, "day and month swapped"),
            cll.CustomLevel("birth_md_l = birth_md_r AND abs(birth_year_l - birth_year_r) = 1", "year off by one"),
            cll.CustomLevel(
                "birth_year_l = birth_year_r AND month(birth_date_l) = month(birth_date_r)", "same year and month"
            ),
            cll.ExactMatchLevel("birth_year"),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list[Any]:
    """NIK (exact, one or two edits), name, birth date, sex and area."""
    nik = cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            cll.NullLevel("nik"),
            cll.ExactMatchLevel("nik"),
            cll.CustomLevel("nik12_l = nik12_r", SAME_PREFIX_LABEL),
            cll.LevenshteinLevel("nik", 1),
            cll.LevenshteinLevel("nik", 2),
            cll.ElseLevel(),
        ],
    )
    sex = cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
    )
    area = cl.CustomComparison(
        output_column_name="village",
        comparison_levels=[
            cll.NullLevel("village_code"),
            cll.ExactMatchLevel("village_code"),
            cll.ExactMatchLevel("district_code"),
            cll.ExactMatchLevel("regency_code"),
            cll.ElseLevel(),
        ],
    )
    return [nik, _name_comparison(), _birth_date_comparison(), sex, area]


def settings(link_type: Literal["link_only", "dedupe_only"] = "link_only") -> SettingsCreator:
    """Untrained settings (the shape of the shipped model)."""
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def set_nik_u(model: dict[str, Any]) -> dict[str, Any]:
    """Hand-set the NIK levels' random-pair probabilities (and the else level as the rest)."""
    nik = next(c for c in model["comparisons"] if c["output_column_name"] == "nik")
    levels = [lv for lv in nik["comparison_levels"] if not lv.get("is_null_level")]
    exact, same_prefix, lev1, lev2, other = levels
    exact["u_probability"], lev1["u_probability"], lev2["u_probability"] = NIK_U.values()
    same_prefix["u_probability"] = same_prefix["m_probability"]
    other["u_probability"] = 1.0 - sum(lv["u_probability"] for lv in levels[:-1])
    return model


def load_model(path: Path | None = None, *, link_type: str = "link_only", prior: float | None = None) -> dict[str, Any]:
    """The trained model as a settings dict, ready for ``Linker``.

    Args:
        path: a model JSON; defaults to the one shipped in the package.
        link_type: ``link_only`` (list against register) or ``dedupe_only`` (duplicates within a list).
        prior: the probability that two random records match; it depends on the data size (about the share of
            list rows expected in the register divided by the register size), so it is set per run.

    Returns:
        The settings dict.
    """
    model: dict[str, Any] = json.loads((path or MODEL_PATH).read_text(encoding="utf-8"))
    model["link_type"] = link_type
    model.pop("linker_uid", None)
    # Blocking comes from BLOCKING_KEYS (the register pre-filter uses the same keys); the JSON holds m and u.
    model["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": " AND ".join(f'l."{c}" = r."{c}"' for c in key), "sql_dialect": "duckdb"}
        for key in BLOCKING_KEYS
    ]
    if prior is not None:
        model["probability_two_random_records_match"] = min(max(prior, 1e-12), 0.5)
    return model


def trained_settings(
    path: Path | None = None, *, link_type: Literal["link_only", "dedupe_only"] = "link_only", prior: float = 1e-6
) -> SettingsCreator:
    """The trained model as dialect-free settings: the comparisons of this module with the saved m and u.

    The saved JSON holds SQL written for DuckDB (double-quoted identifiers, DuckDB function names); built
    from the comparison library instead, the same model runs on DuckDB and on Spark.

    Args:
        path: a model JSON; defaults to the shipped one.
        link_type: ``link_only`` or ``dedupe_only``.
        prior: the probability that two random records match (set per run, see :func:`load_model`).

    Returns:
        A ``SettingsCreator`` for ``Linker``.

    Raises:
        ValueError: the JSON does not have the comparisons and levels of this code (retrain it).
    """
    saved = load_model(path)["comparisons"]
    built = comparisons()
    if [c["output_column_name"] for c in saved] != [c.create_output_column_name() for c in built]:
        raise ValueError("the model JSON does not match the comparisons in model.py; retrain it")
    for comparison, stored in zip(built, saved, strict=True):
        levels = [lv for lv in stored["comparison_levels"] if not lv.get("is_null_level")]
        comparison.configure(
            m_probabilities=[lv["m_probability"] for lv in levels],
            u_probabilities=[lv["u_probability"] for lv in levels],
        )
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=built,
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=min(max(prior, 1e-12), 0.5),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
