"""The dimensions and measures of the coverage summaries (pure: no database, no settings; labels are catalog texts).

A summary row counts memberships (not distinct persons: a person is counted once per segment they hold) of one
village, month, segment, payer kind, sex and age band:

- ``registered``: the membership is open in the month (started on or before its last day, not ended before its
  first day);
- ``active``: the contribution month is paid (a row in ``funding_paid_month``);
- ``lapsed``: registered, the month not paid, but an earlier month was paid (in arrears);
- ``new``: the membership started in the month;
- ``ended``: the membership ended in the month.
"""

from __future__ import annotations

from dataclasses import dataclass

from jangkau.i18n import N_

MEASURES = ("registered", "active", "lapsed", "new", "ended")
DIMENSIONS = ("segment", "payer", "sex", "age_band")
# Payer kinds as in funding's payer model (funding.models.PAYER_KINDS).
PAYER_KINDS = (
    "self",
    "employer",
    "apbd",
    "apbdes",
    "dana_desa",
    "csr_bumn",
    "csr_bumd",
    "csr_private",
    "donor",
    "wadah",
)
SEGMENTS = ("pu", "bpu", "jakon", "pmi")
SEXES = ("L", "P")

# Labels: English catalog texts (N_), shown translated in the page's or export's language.
PAYER_NAMES = {
    "self": N_("The worker"),
    "employer": N_("Employer"),
    "apbd": N_("APBD"),
    "apbdes": N_("APBDes"),
    "dana_desa": N_("Dana Desa"),
    "csr_bumn": N_("CSR BUMN"),
    "csr_bumd": N_("CSR BUMD"),
    "csr_private": N_("Private CSR"),
    "donor": N_("Donor"),
    "wadah": N_("Wadah"),
}
SEGMENT_NAMES = {
    "pu": N_("Wage earners (PU)"),
    "bpu": N_("Non-wage earners (BPU)"),
    "jakon": N_("Construction services"),
    "pmi": N_("Migrant workers (PMI)"),
}
SEX_NAMES = {"L": N_("Male"), "P": N_("Female")}


@dataclass(frozen=True)
class AgeBand:
    """Ages ``low`` to ``high`` inclusive (``high`` None: and older), in whole years on the month's first day."""

    label: str
    low: int
    high: int | None


AGE_BANDS = (
    AgeBand("<15", 0, 14),
    AgeBand("15-24", 15, 24),
    AgeBand("25-34", 25, 34),
    AgeBand("35-44", 35, 44),
    AgeBand("45-54", 45, 54),
    AgeBand("55-64", 55, 64),
    AgeBand("65+", 65, None),
)


def age_band(age: int) -> str:
    """The band label of an age in whole years."""
    for band in AGE_BANDS:
        if age >= band.low and (band.high is None or age <= band.high):
            return band.label
    return AGE_BANDS[0].label


def age_band_sql(age_expr: str) -> str:
    """A SQL ``CASE`` giving the band label of ``age_expr`` (the same bands as :func:`age_band`)."""
    whens = " ".join(f"WHEN {age_expr} <= {b.high} THEN '{b.label}'" for b in AGE_BANDS if b.high is not None)
    return f"CASE {whens} ELSE '{AGE_BANDS[-1].label}' END"


def rate_bp(active: int, workforce: int | None) -> int | None:
    """Coverage rate in basis points (1/100 of a percent), rounded half up; ``None`` without an estimate."""
    if not workforce or workforce <= 0:
        return None
    return (active * 10_000 * 2 + workforce) // (2 * workforce)


def format_rate(bp: int | None) -> str:
    """``12,34 %`` (Indonesian decimal comma), or an em dash without a rate."""
    if bp is None:
        return "—"
    return f"{bp // 100},{bp % 100:02d} %"
