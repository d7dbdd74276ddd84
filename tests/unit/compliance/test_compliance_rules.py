"""Pure parts of compliance: name normalisation and linking, the programme table, amounts and the step table."""

from __future__ import annotations

import pytest

from jangkau.compliance.cases import NEXT_STEPS
from jangkau.compliance.rules import matching
from jangkau.compliance.rules.amounts import EmployerMonth, OutsideFigure, WageGroup, detect, fine, points
from jangkau.compliance.rules.obligations import required_programs
from jangkau.kit.months import Month
from jangkau.rules import Program, Trail, pu_contribution


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("PT. Maju-Jaya, Tbk", "maju jaya"), ("CV  SINAR  Deli", "sinar deli"), ("U.D. Berkah", "u d berkah")],
)
def test_names_lose_legal_form_and_punctuation(raw: str, expected: str) -> None:
    assert matching.normalise_name(raw) == expected


def _keys(*names: str) -> list[matching.EmployerKey]:
    return [matching.EmployerKey(i, n, matching.normalise_name(n), "") for i, n in enumerate(names, start=1)]


def test_a_clear_name_match_links_and_a_close_call_goes_to_review() -> None:
    linked = matching.fuzzy_link("Sinar Deli Makmur PT", None, _keys("PT Sinar Deli Makmur", "CV Bintang Timur"))
    assert (linked.status, linked.employer_id) == ("linked", 1)
    ambiguous = matching.fuzzy_link("CV Sinar Deli", None, _keys("PT Sinar Deli", "UD Sinar Deli"))
    assert ambiguous.status == "review"
    assert ambiguous.employer_id is None
    assert len(ambiguous.candidates) == 2
    nothing = matching.fuzzy_link("Toko Kue Lezat", None, _keys("PT Sinar Deli"))
    assert nothing.status == "unlinked"


def test_programmes_required_by_size_name_perpres_109() -> None:
    trail = Trail()
    assert required_programs("medium", trail) == {Program.JKK, Program.JKM, Program.JHT, Program.JP}
    assert required_programs("micro") == {Program.JKK, Program.JKM}
    assert trail.rules[0].version == "perpres_109_2013"


def test_missing_workers_are_priced_at_the_required_programmes() -> None:
    month = Month(2025, 3)
    em = EmployerMonth(1, "small", 1, "12.71.01.1001", month, (WageGroup(5_000_000, frozenset(Program), 2),), "billing")
    drafts = {d.kind: d for d in detect(em, OutsideFigure(5, None, ()))}
    assert set(drafts) == {"pds_tk"}
    small = {Program.JKK, Program.JKM, Program.JHT}
    assert drafts["pds_tk"].unpaid_per_month == 3 * pu_contribution(5_000_000, 1, month, small).total


def test_fine_is_a_tenth_of_a_percent_per_month_of_arrears() -> None:
    owed = [(Month(2025, 3), 1_000_000), (Month(2025, 4), 1_000_000)]
    assert fine(owed, Month(2025, 4), Trail()) == 2_000 + 1_000


def test_points_grow_with_the_amount_but_are_capped() -> None:
    assert points("pds_tk", 0) == 25
    assert points("pds_tk", 10**12) == 40


def test_no_fine_step_follows_assessment_and_nothing_follows_the_end() -> None:
    assert "fine" not in NEXT_STEPS["assessment"]
    assert "warning_2" not in NEXT_STEPS["assessment"]
    assert not NEXT_STEPS["resolved"]
