"""Exports of a coverage report: every table as CSV or XLSX, and the monthly report as PDF in Bahasa Indonesia."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from jangkau.kit.numbers import format_count
from jangkau.kit.spreadsheet import csv_writer, xlsx_write_row
from jangkau.reporting.bands import MEASURES, PAYER_NAMES_ID, SEGMENT_NAMES_ID
from jangkau.reporting.errors import UnknownFormat, UnknownTable

HEADERS_ID = {
    "code": "Kode wilayah",
    "name": "Nama wilayah",
    "month": "Bulan",
    "value": "Kategori",
    "registered": "Terdaftar",
    "active": "Aktif (iuran dibayar)",
    "lapsed": "Menunggak",
    "new": "Baru",
    "ended": "Berakhir",
    "workforce": "Estimasi pekerja",
    "rate": "Tingkat cakupan",
    "stage": "Tahap",
    "count": "Jumlah",
    "region_code": "Wilayah target",
    "starts_on": "Mulai",
    "ends_on": "Selesai",
    "as_of": "Per tanggal",
    "target": "Target",
    "paid": "Terdaftar dan membayar",
    "progress": "Capaian",
}
FUNNEL_STAGES_ID = {
    "prospects": "Calon peserta ditambahkan",
    "visited": "Calon peserta dikunjungi",
    "registered": "Didaftarkan agen",
    "paid": "Didaftarkan agen dan membayar",
}


def _funnel(report: dict[str, Any]) -> list[dict[str, Any]]:
    funnel = report["outreach"]["funnel"]
    return [{"month": report["month"], "stage": FUNNEL_STAGES_ID[k], "count": funnel[k]} for k in FUNNEL_STAGES_ID]


def _rows(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return list(report[key])


def _breakdown(dim: str) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    return lambda report: list(report["breakdowns"][dim])


TABLES: dict[str, tuple[Callable[[dict[str, Any]], list[dict[str, Any]]], tuple[str, ...]]] = {
    "children": (lambda r: _rows(r, "children"), ("code", "name", *MEASURES, "workforce", "rate")),
    "trend": (lambda r: _rows(r, "trend"), ("month", *MEASURES, "workforce", "rate")),
    "segment": (_breakdown("segment"), ("value", *MEASURES)),
    "payer": (_breakdown("payer"), ("value", *MEASURES)),
    "sex": (_breakdown("sex"), ("value", *MEASURES)),
    "age_band": (_breakdown("age_band"), ("value", *MEASURES)),
    "top_villages": (lambda r: list(r["villages"]["top"]), ("code", "name", *MEASURES, "workforce", "rate")),
    "bottom_villages": (lambda r: list(r["villages"]["bottom"]), ("code", "name", *MEASURES, "workforce", "rate")),
    "lapsed_villages": (lambda r: list(r["villages"]["lapsed"]), ("code", "name", *MEASURES, "workforce", "rate")),
    "outreach_funnel": (_funnel, ("month", "stage", "count")),
    "campaigns": (
        lambda r: list(r["outreach"]["campaigns"]),
        ("name", "region_code", "starts_on", "ends_on", "as_of", "target", "registered", "paid", "progress"),
    ),
}


def table_rows(report: dict[str, Any], table: str) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The columns and rows of one table of the report.

    Raises:
        InvalidInput: an unknown table name (the message lists the known ones).
    """
    if table not in TABLES:
        raise UnknownTable(table, ", ".join(TABLES))
    read, columns = TABLES[table]
    return columns, [[row.get(c) for c in columns] for row in read(report)]


def export_table(report: dict[str, Any], table: str, fmt: str) -> bytes:
    """One table as ``csv`` (UTF-8 with BOM, for spreadsheet programs) or ``xlsx``, headers in Bahasa Indonesia.

    Raises:
        InvalidInput: an unknown table or format.
    """
    columns, rows = table_rows(report, table)
    headers = [HEADERS_ID.get(c, c) for c in columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(report, table, headers, rows)
    raise UnknownFormat(fmt)


def _xlsx(report: dict[str, Any], table: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(table[:31])
    sheet.write_row(0, 0, [f"{report['region']['name']} ({report['region']['code']}) · {report['month']}"], bold)
    sheet.write_row(1, 0, headers, bold)
    for i, row in enumerate(rows, start=2):
        xlsx_write_row(sheet, i, 0, ["" if v is None else v for v in row])
    sheet.write_row(len(rows) + 3, 0, [_freshness_line(report)])
    book.close()
    return buffer.getvalue()


def _freshness_line(report: dict[str, Any]) -> str:
    fresh = report["freshness"]
    when = fresh["refreshed_at"].isoformat() if fresh["refreshed_at"] else "belum pernah"
    pending = "; pembaruan tertunda" if fresh["refresh_pending"] else ""
    rebuild = (
        "; pembangunan ulang sedang berjalan"
        if fresh.get("rebuild_running")
        else "; pembangunan ulang terakhir terhenti sebelum selesai"
        if fresh.get("rebuild_interrupted")
        else ""
    )
    return f"Diperbarui: {when}{pending}{rebuild}"


def monthly_pdf(report: dict[str, Any]) -> bytes:
    """The monthly coverage report for the mayor's office, in Bahasa Indonesia (WeasyPrint)."""
    from weasyprint import HTML

    from jangkau.webkit import templates

    html = templates.get_template("reporting/report_pdf.html").render(
        report=report,
        freshness=_freshness_line(report),
        payer_names=PAYER_NAMES_ID,
        segment_names=SEGMENT_NAMES_ID,
        funnel_stages=FUNNEL_STAGES_ID,
        num=format_count,
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
