"""Import of bank and payment-channel statements (CSV or XLSX): match by bill reference, never twice.

Columns (first row, case-insensitive, English or Indonesian): ``reference`` / ``referensi`` / ``kode_tagihan``,
``amount`` / ``jumlah`` / ``nominal``, ``date`` / ``tanggal``; optional ``transaction_id`` / ``id_transaksi``.
Every line gets a key (the channel's transaction id, else a hash of the line and its occurrence in the file); a
key seen before records nothing. A line that cannot be recorded goes to the review list with its reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jangkau.errors import JangkauError
from jangkau.funding import repository as repo
from jangkau.funding.errors import BillOutsideTerritory, StatementCellInvalid, StatementInvalid
from jangkau.funding.models import PaymentReview, StatementImport
from jangkau.funding.repository import ledger as ledger_sql
from jangkau.funding.schemas import PaymentIn
from jangkau.funding.service import check_payment, record_payment
from jangkau.kit.money import parse_rupiah

ALIASES = {
    "reference": ("reference", "referensi", "kode_tagihan", "no_tagihan", "ref"),
    "amount": ("amount", "jumlah", "nominal"),
    "date": ("date", "tanggal", "tgl", "paid_on"),
    "transaction_id": ("transaction_id", "id_transaksi", "trx_id"),
}
REQUIRED = ("reference", "amount", "date")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


@dataclass
class ImportResult:
    """What a statement import did, line by line where something went wrong."""

    statement_id: int
    lines: int = 0
    recorded: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)


def read_rows(name: str, content: bytes) -> list[list[str]]:
    """Rows of a CSV (UTF-8, with or without BOM; comma or semicolon) or XLSX file as text cells.

    Raises:
        InvalidInput: another encoding, an unreadable spreadsheet, or an empty file.
    """
    if name.lower().endswith((".xlsx", ".xls")):
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            sheet = book.get_sheet_by_index(0).to_python()
        except Exception as exc:  # calamine raises several error types for a broken file
            raise StatementInvalid(StatementInvalid.SPREADSHEET, detail=exc) from exc
        rows = [[_cell(v) for v in row] for row in sheet]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise StatementInvalid(StatementInvalid.NOT_UTF8) from exc
        dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=dialect))
        except csv.Error as exc:
            raise StatementInvalid(StatementInvalid.CSV, detail=exc) from exc
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise StatementInvalid(StatementInvalid.EMPTY)
    return rows


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def header_map(header: list[str]) -> dict[str, int]:
    """Column positions by field.

    Raises:
        InvalidInput: a required column is missing (the message lists what was found and what is expected).
    """
    names = [h.strip().lower().replace(" ", "_") for h in header]
    found = {key: names.index(alias) for key, aliases in ALIASES.items() for alias in aliases if alias in names}
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        raise StatementInvalid(StatementInvalid.HEADER, missing=missing, found=header)
    return found


def _date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD or DD/MM/YYYY)")


def transaction_key(channel: str, transaction_id: str) -> str:
    """The key of a channel's transaction: the same for a statement line and a payment recorded by hand with that
    transaction id, so the money is counted once whichever comes first."""
    return hashlib.sha256(f"{channel}|trx|{transaction_id}".encode()).hexdigest()


def _key(channel: str, cells: dict[str, str], seen: Counter[str]) -> str:
    if cells.get("transaction_id"):
        return transaction_key(channel, cells["transaction_id"])
    basis = f"{channel}|{cells['reference'].upper()}|{cells['amount']}|{cells['date']}"
    seen[basis] += 1
    basis += f"|{seen[basis]}"
    return hashlib.sha256(basis.encode()).hexdigest()


def _payment(cells: dict[str, str], channel: str) -> PaymentIn:
    try:
        amount = parse_rupiah(cells["amount"])
    except ValueError as exc:
        raise StatementCellInvalid("amount", StatementCellInvalid.AMOUNT, str(exc), cells["amount"]) from exc
    try:
        paid_on = _date(cells["date"])
    except ValueError as exc:
        raise StatementCellInvalid("date", StatementCellInvalid.DATE, str(exc), cells["date"]) from exc
    return PaymentIn(
        reference=cells["reference"] or "-",
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        external_ref=cells.get("transaction_id") or None,
    )


def import_statement(
    session: Session, path: Path, channel: str, imported_by: str, scope: Iterable[str] = ("",)
) -> ImportResult:
    """Import a statement: record each matched line as a payment, list and keep every other line for review.

    Args:
        session: the unit of work (the whole file is one transaction).
        path: CSV or XLSX file.
        channel: the bank or payment channel, e.g. ``bank_sumut`` (part of each line's identity).
        imported_by: who imports (kept on each payment).
        scope: the importer's territory; a line paying a bill of workers outside it goes to review.

    Returns:
        Counts, the payments recorded and every rejected line with its reason.

    Raises:
        InvalidInput: an unreadable file, a wrong encoding or a wrong header (nothing is recorded).
    """
    return import_content(session, path.name, path.read_bytes(), channel, imported_by, scope)


def import_content(
    session: Session, name: str, content: bytes, channel: str, imported_by: str, scope: Iterable[str] = ("",)
) -> ImportResult:
    """:func:`import_statement` of a file's name and bytes (an upload)."""
    rows = read_rows(name, content)
    columns = header_map(rows[0])
    statement: StatementImport = repo.add(
        session,
        StatementImport(
            file_name=name, sha256=hashlib.sha256(content).hexdigest(), channel=channel, imported_by=imported_by
        ),
    )
    result = ImportResult(statement.id)
    seen: Counter[str] = Counter()
    body = rows[1:]
    cells_list = [{k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()} for row in body]
    keys = [_key(channel, cells, seen) for cells in cells_list]
    known = repo.known_line_keys(session, keys)
    for number, (cells, key, row) in enumerate(zip(cells_list, keys, body, strict=True), start=2):
        result.lines += 1
        if key in known:
            result.duplicates += 1
            continue
        known.add(key)
        try:
            data = _payment(cells, channel)
            bill = check_payment(session, data)
            if not ledger_sql.bill_visible(session, bill, scope):
                raise BillOutsideTerritory(bill.reference)
            recorded = record_payment(session, data, imported_by, line_key=key, statement_id=statement.id)
            result.recorded.append({"line": number, **recorded})
        except JangkauError as exc:
            reason = exc.message
            repo.add(
                session,
                PaymentReview(
                    statement_id=statement.id,
                    line_no=number,
                    line_key=key,
                    raw=",".join(row),
                    reason=reason[:300],
                    reason_id=(exc.message_id or reason)[:300],
                ),
            )
            result.rejected.append({"line": number, "reason": reason, "reason_id": exc.message_id, "cells": cells})
    statement.lines, statement.recorded = result.lines, len(result.recorded)
    statement.duplicates, statement.rejected = result.duplicates, len(result.rejected)
    session.flush()
    return result
