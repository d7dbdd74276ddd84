"""What a dashboard page shows, made from a coverage report: the charts (SVG) and the labels."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from jangkau.kit.numbers import format_count
from jangkau.reporting.bands import PAYER_NAMES_ID, SEGMENT_NAMES_ID, SEX_NAMES_ID
from jangkau.reporting.charts import Bar, Tile, bar_chart, line_chart, tile_grid
from jangkau.reporting.exports import FUNNEL_STAGES_ID

LEVEL_ID = {0: "Negara", 1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Desa/Kelurahan"}
CHILD_LEVEL_ID = {0: "provinsi", 1: "kabupaten/kota", 2: "kecamatan", 3: "desa/kelurahan"}
NAMES = {"segment": SEGMENT_NAMES_ID, "payer": PAYER_NAMES_ID, "sex": SEX_NAMES_ID, "age_band": {}}


def charts(report: dict[str, Any]) -> dict[str, Markup]:
    """The SVG charts of one dashboard page."""
    out: dict[str, Markup] = {}
    trend = report["trend"]
    months = [t["month"] for t in trend]
    lines = [
        ("Terdaftar", [t["registered"] for t in trend], "#5b6776"),
        ("Aktif", [t["active"] for t in trend], "#0b6e4f"),
        ("Menunggak", [t["lapsed"] for t in trend], "#e8743b"),
    ]
    # the page gives the trend the whole width: a wide drawing, and a narrow one that a phone shows instead (one
    # viewBox cannot keep its text readable at both sizes)
    out["trend"] = line_chart("Tren bulanan: terdaftar, aktif, menunggak", months, lines, width=1000)
    out["trend_narrow"] = line_chart("Tren bulanan: terdaftar, aktif, menunggak", months, lines, width=400)
    for dim, title in (("segment", "Peserta aktif per segmen"), ("payer", "Peserta aktif per pembayar iuran")):
        rows = sorted(report["breakdowns"][dim], key=lambda r: -r["registered"])
        bars = [
            Bar(NAMES[dim].get(r["value"], r["value"]), r["active"], f"dari {format_count(r['registered'])}")
            for r in rows
        ]
        out[dim] = bar_chart(title, bars)
    ages = report["breakdowns"]["age_band"]
    out["age_band"] = bar_chart("Peserta aktif per kelompok umur", [Bar(r["value"], r["active"]) for r in ages])
    funnel = report["outreach"]["funnel"]
    out["funnel"] = bar_chart(
        f"Corong penjangkauan {report['month']}",
        [Bar(label, funnel[key]) for key, label in FUNNEL_STAGES_ID.items()],
        colour="#1f5f8b",
    )
    level = int(report["region"]["level"])
    children = report["children"]
    if children:
        prefix = "/reports/"
        tiles = [
            Tile(c["code"], c["name"], c["rate_bp"], f"{prefix}{c['code']}?month={report['month']}") for c in children
        ]
        out["tiles"] = tile_grid(f"Cakupan per {CHILD_LEVEL_ID.get(level, 'wilayah')}", tiles, columns=6)
    return out
