"""The refusals of jobs' pure rules (no auth, no database): the wage check of a vacancy."""

from __future__ import annotations

from typing import Any

from jangkau.errors import N_, FieldError, InvalidInput, bilingual


class WageBelowMinimum(InvalidInput):
    """The offer, as a monthly wage, is below the UMK/UMP of the vacancy's regency/city (with the rule)."""

    code = "wage_below_minimum"

    def __init__(self, params: dict[str, object], details: dict[str, Any]) -> None:
        """``params``: monthly, level, place, floor (formatted Rupiah), year, citation."""
        text = N_(
            "%(monthly)s a month is below the %(level)s of %(place)s (%(floor)s, %(year)s); a vacancy must offer "
            "at least the regional minimum wage (%(citation)s)"
        )
        reason, reason_id = bilingual(text, **params)
        super().__init__(
            f"wage_offered: {reason}",
            f"wage_offered: {reason_id}",
            code="wage_below_minimum",
            fields=[FieldError("wage_offered", reason, reason_id)],
            details=details,
        )
