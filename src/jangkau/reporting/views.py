"""What a dashboard page shows, made from a coverage report: the charts (SVG) and the labels.

Labels are English catalog texts (``N_``); the page translates them (``_(level_name)``), the charts are drawn in the
page's language.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from jangkau.i18n import N_, format_count, gettext
from jangkau.reporting.charts import Bar, Tile, bar_chart, line_chart, tile_grid
from jangkau.reporting.exports import FUNNEL_STAGES
from jangkau.reporting.rules.bands import PAYER_NAMES, SEGMENT_NAMES, SEX_NAMES

LEVEL_NAMES = {
    0: N_("Country"),
    1: N_("Province"),
    2: N_("Regency/City"),
    3: N_("District (kecamatan)"),
    4: N_("Village (desa/kelurahan)"),
}
CHILD_LEVEL_NAMES = {0: N_("province"), 1: N_("regency/city"), 2: N_("district"), 3: N_("village (desa/kelurahan)")}
NAMES: dict[str, dict[str, str]] = {"segment": SEGMENT_NAMES, "payer": PAYER_NAMES, "sex": SEX_NAMES, "age_band": {}}


def charts(report: dict[str, Any], lang: str) -> dict[str, Markup]:
    """The SVG charts of one dashboard page, their text in ``lang``."""

    def _(text: str, **params: object) -> str:
        return gettext(text, lang, **params)

    out: dict[str, Markup] = {}
    trend = report["trend"]
    months = [t["month"] for t in trend]
    lines = [
        (_("Registered"), [t["registered"] for t in trend], "#5b6776"),
        (_("Protected"), [t["active"] for t in trend], "#0b6e4f"),  # the summary's paid month (kit.figures)
        (_("In arrears"), [t["lapsed"] for t in trend], "#e8743b"),
    ]
    # the page gives the trend the whole width: a wide drawing, and a narrow one that a phone shows instead (one
    # viewBox cannot keep its text readable at both sizes)
    trend_title = _("Monthly trend: registered, protected, in arrears")
    out["trend"] = line_chart(trend_title, months, lines, width=1000, lang=lang)
    out["trend_narrow"] = line_chart(trend_title, months, lines, width=290, lang=lang)  # a 360 px phone
    titles = {
        "segment": N_("Protected memberships by segment"),
        "payer": N_("Protected memberships by contribution payer"),
    }
    for dim, title in titles.items():
        rows = sorted(report["breakdowns"][dim], key=lambda r: -r["registered"])
        bars = [
            Bar(
                _(NAMES[dim][r["value"]]) if r["value"] in NAMES[dim] else r["value"],
                r["active"],
                _("of %(n)s", n=format_count(r["registered"], lang)),
            )
            for r in rows
        ]
        out[dim] = bar_chart(_(title), bars, lang=lang)
    ages = report["breakdowns"]["age_band"]
    out["age_band"] = bar_chart(
        _("Protected memberships by age group"), [Bar(r["value"], r["active"]) for r in ages], lang=lang
    )
    funnel = report["outreach"]["funnel"]
    out["funnel"] = bar_chart(
        _("Outreach funnel %(month)s", month=report["month"]),
        [Bar(_(label), funnel[key]) for key, label in FUNNEL_STAGES.items()],
        colour="#1f5f8b",
        lang=lang,
    )
    level = int(report["region"]["level"])
    children = report["children"]
    if children:
        prefix = "/reports/"
        tiles = [
            Tile(c["code"], c["name"], c["rate_bp"], f"{prefix}{c['code']}?month={report['month']}") for c in children
        ]
        child = CHILD_LEVEL_NAMES.get(level, N_("region"))
        out["tiles"] = tile_grid(_("Coverage by %(level)s", level=_(child)), tiles, columns=6, lang=lang)
    return out
