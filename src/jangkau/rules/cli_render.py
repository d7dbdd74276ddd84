"""Readable output of rule results for ``jangkau rules``: Rich tables for lines, items, months, rules, warnings."""

from __future__ import annotations

from typing import Any

from jangkau.clikit import console, emit_json, key_values, table
from jangkau.kit.money import format_rupiah

MONEY = {
    "wage", "base", "employer", "worker", "total", "postponed", "amount", "income", "nominal", "floor", "fine",
    "amount_due", "balance", "contributions", "returns", "per_year", "max_per_child", "max_total", "budget",
    "remainder", "per_worker", "all_workers", "per_worker_total", "employer_total", "worker_total",
    "postponed_total", "band_nominal", "contract_value", "wages", "training_benefit", "formula_amount", "low", "high",
}  # fmt: skip
TABLES = ("lines", "items", "per_month", "schedule")
SKIP = {"rules", "warnings", "findings", "per_program", *TABLES}


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key in MONEY and isinstance(value, int) and not isinstance(value, bool):
        return format_rupiah(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(k if key != 'by_program' else 'amount', v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _rows_table(title: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    table(title, columns, [[_cell(c, row.get(c)) for c in columns] for row in rows])


def render(data: dict[str, Any], title: str, as_json: bool) -> None:
    """Print a result: JSON with ``as_json``, else a summary, its tables, the rules used and the warnings."""
    if as_json:
        emit_json(data)
        return
    summary = {k: _cell(k, v) for k, v in data.items() if k not in SKIP and not isinstance(v, dict | list)}
    key_values(title, summary)
    for key, value in data.items():
        if isinstance(value, dict) and key not in SKIP:
            nested = {k: _cell(k, v) for k, v in value.items() if not isinstance(v, list)}
            key_values(key, nested)
            for inner, rows in value.items():
                if isinstance(rows, list) and rows and isinstance(rows[0], dict):
                    _rows_table(f"{key}: {inner}", rows)
    for key in TABLES:
        _rows_table(key.replace("_", " "), data.get(key) or [])
    if data.get("per_program"):
        key_values("per programme", {k: format_rupiah(v) for k, v in data["per_program"].items()})
    for finding in data.get("findings") or []:
        console.print(f"[bold yellow]Finding[/] {finding['code']}: {finding['message']}")
    rules = data.get("rules") or []
    table(
        "Rules used",
        ["id", "version", "status", "citation"],
        [[r["id"], r["version"], r["status"], r["citation"]] for r in rules],
    )
    for warning in data.get("warnings") or []:
        console.print(f"[yellow]! {warning}[/]")
