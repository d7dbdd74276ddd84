"""Exports of a coverage report: every table as CSV or XLSX, and the monthly report as PDF, in the language asked
(Bahasa Indonesia by default)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from jangkau.i18n import DEFAULT_LANGUAGE, N_, gettext, language_of
from jangkau.kit.spreadsheet import csv_writer, xlsx_write_row
from jangkau.reporting.errors import UnknownFormat, UnknownTable
from jangkau.reporting.rules.bands import MEASURES, PAYER_NAMES, SEGMENT_NAMES

# Column headers and funnel stages: English catalog texts (N_), written in the export's language.
HEADERS = {
    "code": N_("Region code"),
    "name": N_("Region name"),
    "month": N_("Month"),
    "value": N_("Category"),
    "registered": N_("Registered"),
    "active": N_("Protected (contribution paid)"),  # the summary's paid month (kit.figures)
    "lapsed": N_("In arrears"),
    "new": N_("New"),
    "ended": N_("Ended"),
    "workforce": N_("Workforce estimate"),
    "rate": N_("Coverage rate"),
    "stage": N_("Stage"),
    "count": N_("Count"),
    "region_code": N_("Target region"),
    "starts_on": N_("Starts"),
    "ends_on": N_("Ends"),
    "as_of": N_("As of"),
    "target": N_("Target"),
    "paid": N_("Registered and paid"),
    "progress": N_("Achieved"),
}
FUNNEL_STAGES = {
    "prospects": N_("Prospects added"),
    "visited": N_("Prospects visited"),
    "registered": N_("Registered by an agent"),
    "paid": N_("Registered by an agent and paid"),
}
# what the download links call each table
TABLE_NAMES = {
    "children": N_("Regions within"),
    "trend": N_("Monthly trend"),
    "segment": N_("By segment"),
    "payer": N_("By contribution payer"),
    "sex": N_("By sex"),
    "age_band": N_("By age group"),
    "top_villages": N_("Highest villages"),
    "bottom_villages": N_("Lowest villages"),
    "lapsed_villages": N_("Villages in arrears"),
    "outreach_funnel": N_("Outreach funnel"),
    "campaigns": N_("Campaigns"),
}


def _funnel(report: dict[str, Any]) -> list[dict[str, Any]]:
    funnel = report["outreach"]["funnel"]
    return [{"month": report["month"], "stage": k, "count": funnel[k]} for k in FUNNEL_STAGES]


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


def table_rows(
    report: dict[str, Any], table: str, lang: str = DEFAULT_LANGUAGE
) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The columns and rows of one table of the report; labels (funnel stages) in ``lang``.

    Raises:
        InvalidInput: an unknown table name (the message lists the known ones).
    """
    if table not in TABLES:
        raise UnknownTable(table, ", ".join(TABLES))
    read, columns = TABLES[table]
    rows = [[row.get(c) for c in columns] for row in read(report)]
    if "stage" in columns:
        at = columns.index("stage")
        for row in rows:
            row[at] = gettext(FUNNEL_STAGES[str(row[at])], lang)
    return columns, rows


def export_table(report: dict[str, Any], table: str, fmt: str, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """One table as ``csv`` (UTF-8 with BOM, for spreadsheet programs) or ``xlsx``, headers in ``lang`` (Bahasa
    Indonesia unless asked).

    Raises:
        InvalidInput: an unknown table or format.
    """
    columns, rows = table_rows(report, table, lang)
    headers = [gettext(HEADERS[c], lang) if c in HEADERS else c for c in columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(report, table, headers, rows, lang)
    raise UnknownFormat(fmt)


def _xlsx(report: dict[str, Any], table: str, headers: list[str], rows: list[list[Any]], lang: str) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(table[:31])
    sheet.write_row(0, 0, [f"{report['region']['name']} ({report['region']['code']}) · {report['month']}"], bold)
    sheet.write_row(1, 0, headers, bold)
    for i, row in enumerate(rows, start=2):
        xlsx_write_row(sheet, i, 0, ["" if v is None else v for v in row])
    sheet.write_row(len(rows) + 3, 0, [_freshness_line(report, lang)])
    book.close()
    return buffer.getvalue()


def _freshness_line(report: dict[str, Any], lang: str) -> str:
    fresh = report["freshness"]
    parts = [
        gettext(
            N_("Updated: %(when)s"),
            lang,
            when=fresh["refreshed_at"].isoformat() if fresh["refreshed_at"] else gettext(N_("never"), lang),
        )
    ]
    if fresh["refresh_pending"]:
        parts.append(gettext(N_("updates pending"), lang))
    if fresh.get("rebuild_running"):
        parts.append(gettext(N_("a rebuild is running"), lang))
    elif fresh.get("rebuild_interrupted"):
        parts.append(gettext(N_("the last rebuild stopped before it finished"), lang))
    return "; ".join(parts)


def monthly_pdf(report: dict[str, Any], lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The monthly coverage report for the mayor's office, in ``lang`` (Bahasa Indonesia unless asked; WeasyPrint)."""
    from weasyprint import HTML

    from jangkau.web.kit import templates

    html = templates.get_template("reporting/report_pdf.html").render(
        report=report,
        lang=language_of(lang),
        freshness=_freshness_line(report, lang),
        payer_names=PAYER_NAMES,
        segment_names=SEGMENT_NAMES,
        funnel_stages=FUNNEL_STAGES,
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
