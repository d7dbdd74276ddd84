"""A year of minimum wages (UMP and UMKs of one province) from a CSV or XLSX file, one row per region.

Columns (Indonesian or English names): ``kode|code`` (Kemendagri code: ``12`` for the UMP, ``12.71`` for a UMK),
``jumlah|amount|umk|ump``, optional ``nama|name`` (else the region's name), ``keputusan|decree`` (else the
version's instrument) and ``berlaku_mulai|valid_from`` (must be the version's). Every row is checked; if any row
is refused, every refusal is listed with its line and reason and nothing is proposed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from jangkau.errors import FieldError
from jangkau.funding.statements import read_rows
from jangkau.kit.money import parse_rupiah
from jangkau.regions import repository as regions
from jangkau.ruleadmin.errors import HeaderColumns, RuleFileRefused
from jangkau.ruleadmin.schemas import VersionIn
from jangkau.rules.tables import has_table, table

COLUMNS = {
    "code": ("code", "kode", "kode_wilayah"),
    "name": ("name", "nama", "wilayah", "kabupaten_kota"),
    "amount": ("amount", "jumlah", "upah_minimum", "umk", "ump"),
    "decree": ("decree", "keputusan", "nomor_keputusan", "instrument"),
    "valid_from": ("valid_from", "berlaku_mulai"),
}
JUMP_FACTOR = 10  # a new amount 10x the previous year's (or a tenth of it) is a typing error


@dataclass
class MinWageRow:
    line: int
    code: str
    name: str
    amount: int
    decree: str


@dataclass
class MinWageFile:
    """The rows that passed their own checks, and every refusal (line, English, Bahasa Indonesia)."""

    province: str = ""
    rows: list[MinWageRow] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)

    def refuse(self, line: int, message: str, message_id: str) -> None:
        self.refused.append((line, message, message_id))


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower().replace(" ", "_") for h in header]
    found = {key: names.index(alias) for key, aliases in COLUMNS.items() for alias in aliases if alias in names}
    missing = [key for key in ("code", "amount") if key not in found]
    if missing:
        raise HeaderColumns(", ".join(missing))
    return found


def _cell(row: list[str], columns: Mapping[str, int], key: str) -> str:
    index = columns.get(key)
    return row[index].strip() if index is not None and index < len(row) else ""


def _region_problems(session: Session, out: MinWageFile, code: str) -> list[tuple[str, str]]:
    region = regions.get(session, code) if len(code) in (2, 5) else None
    if region is None:
        return [(f"unknown region code {code!r}", f"kode wilayah {code!r} tidak dikenal")]
    if out.province and code[:2] != out.province:
        return [(f"{code} is not in province {out.province}", f"{code} tidak berada di provinsi {out.province}")]
    if any(r.code == code for r in out.rows):
        return [(f"region {code} appears twice", f"wilayah {code} muncul dua kali")]
    return []


def _amount(text: str) -> tuple[int, list[tuple[str, str]]]:
    try:
        amount = parse_rupiah(text)
    except ValueError:
        return 0, [(f"amount {text!r} is not a Rupiah amount", f"jumlah {text!r} bukan jumlah rupiah")]
    if amount <= 0:
        return amount, [(f"amount must be positive, got {amount}", f"jumlah harus lebih dari nol, bukan {amount}")]
    return amount, []


def _read_row(session: Session, out: MinWageFile, line: int, cells: dict[str, str], header: VersionIn) -> None:
    code = cells["code"]
    problems = _region_problems(session, out, code)
    amount, amount_problems = _amount(cells["amount"])
    problems += amount_problems
    decree = cells["decree"] or header.instrument
    if not decree.strip():
        problems.append(("no decree number (column keputusan, or --instrument)", "nomor keputusan tidak ada"))
    if cells["valid_from"] and cells["valid_from"] != header.valid_from.isoformat():
        problems.append(
            (
                f"valid_from {cells['valid_from']} differs from this version's {header.valid_from} (overlap)",
                f"berlaku_mulai {cells['valid_from']} berbeda dari versi ini ({header.valid_from}; tumpang tindih)",
            )
        )
    for message, message_id in problems:
        out.refuse(line, message, message_id)
    if problems:
        return
    region = regions.get(session, code)
    out.province = out.province or code[:2]
    out.rows.append(MinWageRow(line, code, cells["name"] or (region.name if region else code), amount, decree))


def _previous(province: str, day: dt.date) -> dict[str, int]:
    """Amounts in force on ``day`` by code (``12`` for the UMP), from the tables in force."""
    rule_id = f"min_wage.{province}"
    version = table(rule_id).find(day) if has_table(rule_id) else None
    if version is None:
        return {}
    amounts: dict[str, int] = {province: int(version.data["ump"])}
    for row in version.data.get("umk", []):
        amounts[str(row["code"])] = int(row["amount"])
    return amounts


def _plausible(out: MinWageFile, header: VersionIn) -> int | None:
    """Refuse rows below the province's UMP or 10x off last year's amount; returns the UMP (None: none known)."""
    now = _previous(out.province, header.valid_from)
    before = _previous(out.province, header.valid_from - dt.timedelta(days=1))
    ump = next((r.amount for r in out.rows if len(r.code) == 2), None) or now.get(out.province)
    for row in out.rows:
        if ump is not None and len(row.code) == 5 and row.amount < ump:
            out.refuse(
                row.line,
                f"UMK {row.code} Rp{row.amount:,} is below the province's UMP Rp{ump:,}",
                f"UMK {row.code} Rp{row.amount:,} di bawah UMP provinsi Rp{ump:,}",
            )
        last = before.get(row.code)
        if last and (row.amount >= last * JUMP_FACTOR or row.amount * JUMP_FACTOR <= last):
            out.refuse(
                row.line,
                f"Rp{row.amount:,} is implausible against Rp{last:,} the year before (10x or more); check the number",
                f"Rp{row.amount:,} tidak masuk akal dibanding Rp{last:,} tahun sebelumnya (10x atau lebih)",
            )
    return ump


def read_min_wage_file(session: Session, name: str, content: bytes, header: VersionIn) -> dict[str, Any]:
    """The rule data of a ``min_wage.<province>`` version from a file, every row checked.

    Returns:
        ``{"province", "ump", "ump_decree", "umk_decree", "umk": [{"code", "name", "amount", "decree"}]}``.

    Raises:
        InvalidInput: an unreadable file or header, or any refused row (all listed, with line and reason).
    """
    rows = read_rows(name, content)
    columns = _columns(rows[0])
    out = MinWageFile()
    for line, raw in enumerate(rows[1:], start=2):
        cells = {key: _cell(raw, columns, key) for key in COLUMNS}
        _read_row(session, out, line, cells, header)
    ump = _plausible(out, header) if out.rows else None
    if ump is None and not out.refused:
        out.refuse(0, "no UMP: add the province's row (code 12)", "UMP tidak ada: tambahkan baris provinsi (kode 12)")
    _raise_refused(out)
    ump_row = next((r for r in out.rows if len(r.code) == 2), None)
    decrees = {"ump_decree": ump_row.decree} if ump_row else {}
    return {
        "province": out.province,
        "ump": ump,
        **decrees,
        "umk_decree": header.instrument,
        "umk": [
            {"code": r.code, "name": r.name, "amount": r.amount, "decree": r.decree}
            for r in sorted(out.rows, key=lambda r: r.code)
            if len(r.code) == 5
        ],
    }


def _raise_refused(out: MinWageFile) -> None:
    if not out.refused:
        return
    out.refused.sort()
    raise RuleFileRefused([FieldError(f"line {line}", m, m_id) for line, m, m_id in out.refused])
