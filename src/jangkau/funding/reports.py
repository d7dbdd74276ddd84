"""Sponsor statements (data, XLSX, PDF) and the lapse list per village that feeds outreach."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from jangkau.funding import repository as repo
from jangkau.funding.errors import SponsorNotFound
from jangkau.funding.models import SPONSOR_KINDS
from jangkau.kit.masking import mask_nik, mask_phone
from jangkau.kit.money import format_rupiah
from jangkau.kit.months import Month
from jangkau.kit.spreadsheet import xlsx_write_row
from jangkau.regions import repository as regions

EVERYWHERE = ("",)


def sponsor_statement(
    session: Session, payer_id: int, first: Month, last: Month, scope: Iterable[str] = EVERYWHERE
) -> dict[str, Any]:
    """Who a sponsor covered in ``first``..``last``, for which months, what was billed and what was paid.

    Workers are listed only inside ``scope``; NIKs are masked.

    Raises:
        NotFound: no such sponsor.
    """
    sponsor = repo.payer(session, payer_id)
    if sponsor is None or sponsor.kind not in SPONSOR_KINDS:
        raise SponsorNotFound(payer_id)
    bills = repo.sponsor_bills(session, payer_id, first.first_day(), last.first_day())
    workers: dict[int, dict[str, Any]] = {}
    for person, line, paid_on in repo.sponsor_lines(session, payer_id, first.first_day(), last.first_day(), scope):
        entry = workers.setdefault(
            person.id,
            {
                "nik": mask_nik(person.nik),
                "name": person.full_name,
                "village_code": person.village_code,
                "months": [],
                "protected_months": [],
                "billed": 0,
            },
        )
        entry["months"].append(str(Month.of(line.month)))
        entry["billed"] += line.amount
        if paid_on is not None:
            entry["protected_months"].append(str(Month.of(line.month)))
    villages = regions.names(session, {w["village_code"] for w in workers.values()})
    for entry in workers.values():
        entry["village"] = villages.get(entry["village_code"], "")
    bill_rows = [
        {
            "reference": b.reference,
            "month": str(Month.of(b.month)),
            "kind": b.kind,
            "due_on": b.due_on,
            "amount": b.amount,
            "paid": paid,
            "outstanding": b.amount - paid,
        }
        for b, paid in bills
    ]
    return {
        "sponsor": {"id": sponsor.id, "name": sponsor.name, "kind": sponsor.kind, "region_code": sponsor.region_code},
        "period": {"from": str(first), "to": str(last)},
        "programmes": [{"id": p.id, "name": p.name, "budget": p.budget} for p in repo.programmes_of(session, payer_id)],
        "workers": list(workers.values()),
        "bills": bill_rows,
        "totals": {
            "workers": len(workers),
            "worker_months": sum(len(w["months"]) for w in workers.values()),
            "billed": sum(r["amount"] for r in bill_rows),
            "paid": sum(r["paid"] for r in bill_rows),
            "outstanding": sum(r["outstanding"] for r in bill_rows),
        },
    }


def statement_xlsx(data: dict[str, Any]) -> bytes:
    """The sponsor statement as an XLSX workbook (sheets Pekerja and Tagihan)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    sheet = book.add_worksheet("Pekerja")
    sheet.write_row(
        0, 0, ["NIK", "Nama", "Desa/Kelurahan", "Bulan dibiayai", "Bulan terlindungi", "Tagihan (Rp)"], bold
    )
    for i, w in enumerate(data["workers"], start=1):
        xlsx_write_row(
            sheet, i, 0, [w["nik"], w["name"], w["village"], ", ".join(w["months"]), ", ".join(w["protected_months"])]
        )
        sheet.write_number(i, 5, w["billed"], money)
    bills = book.add_worksheet("Tagihan")
    bills.write_row(0, 0, ["Kode tagihan", "Bulan", "Jatuh tempo", "Tagihan (Rp)", "Dibayar (Rp)", "Sisa (Rp)"], bold)
    for i, b in enumerate(data["bills"], start=1):
        xlsx_write_row(bills, i, 0, [b["reference"], b["month"], b["due_on"].isoformat()])
        for j, key in enumerate(("amount", "paid", "outstanding"), start=3):
            bills.write_number(i, j, b[key], money)
    book.close()
    return buffer.getvalue()


def statement_pdf(data: dict[str, Any]) -> bytes:
    """The sponsor statement as a PDF (WeasyPrint, template ``funding/statement_pdf.html``)."""
    from weasyprint import HTML

    from jangkau.web.kit import templates

    html = templates.get_template("funding/statement_pdf.html").render(data=data, rp=format_rupiah)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def lapse_list(
    session: Session, scope: Iterable[str], as_of: dt.date, village: str | None = None, limit: int = 5000
) -> dict[str, Any]:
    """BPU members in arrears or ended in the last 90 days, per village, for outreach (phones and NIKs masked)."""
    since = as_of - dt.timedelta(days=90)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for person, membership in repo.lapsed_members(session, scope, since, village, limit):
        grouped[person.village_code].append(
            {
                "person_id": person.id,
                "membership_id": membership.id,
                "nik": mask_nik(person.nik),
                "name": person.full_name,
                "phone": mask_phone(person.phone),
                "status": membership.status,
                "ended_on": membership.end_date,
            }
        )
    names = regions.names(session, grouped.keys())
    return {
        "as_of": as_of,
        "villages": [
            {"village_code": code, "village": names.get(code, ""), "members": rows}
            for code, rows in sorted(grouped.items())
        ],
        "total": sum(len(rows) for rows in grouped.values()),
    }
