"""reporting's named refusals: each with its stable code; the texts are English msgids, translated by the catalog."""

from __future__ import annotations

from jangkau.errors import N_, Conflict, FieldError, FieldRefusal, InvalidInput, NotFound, bilingual


class RegionNotFound(NotFound):
    """No such region, or it lies outside the caller's territory."""

    def __init__(self, code: str, *, scoped: bool = True) -> None:
        text = N_("Region %(code)s does not exist or is outside your territory") if scoped else None
        super().__init__(*bilingual(text or N_("Region %(code)s does not exist"), code=code), code="region_not_found")


class EvidenceNotFound(NotFound):
    """No such evidence document, or its region lies outside the caller's territory."""

    def __init__(self, evidence_id: int) -> None:
        super().__init__(*bilingual(N_("No evidence document %(id)s"), id=evidence_id), code="evidence_not_found")


class MonthMalformed(FieldRefusal):
    """The month is not written YYYY-MM."""

    def __init__(self, field_name: str, text: str) -> None:
        super().__init__(field_name, N_("expected a month as YYYY-MM, got %(got)r"), got=text)


class MonthInFuture(FieldRefusal):
    """The report month has not happened yet."""

    def __init__(self, field_name: str, month: object, current: object) -> None:
        super().__init__(
            field_name,
            N_("%(month)s is in the future: coverage is known up to %(current)s"),
            code="month_in_future",
            month=month,
            current=current,
        )


class RebuildRunning(Conflict):
    """Another rebuild of the coverage summaries holds the lock."""

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("Another rebuild of the coverage summaries is running; wait until it has finished.")),
            code="rebuild_running",
        )


class EstimatesInvalid(InvalidInput):
    """The estimates file has problems; nothing is imported (``fields`` lists them per line)."""

    def __init__(self, errors: list[FieldError], shown: int) -> None:
        listed = errors[:shown]
        english, indonesian = bilingual(N_("Nothing imported, %(n)s problem(s): %(problems)s"), n=len(errors),
                                        problems="")  # fmt: skip
        super().__init__(
            english + "; ".join(f"{e.field}: {e.message}" for e in listed),
            indonesian + "; ".join(f"{e.field}: {e.message_id}" for e in listed),
            code="estimates_invalid",
            fields=listed,
        )


class EstimatesFileUnreadable(FieldRefusal):
    """The estimates file is not UTF-8 text, lacks the header, or has no rows."""

    def __init__(self, text: str) -> None:
        super().__init__("file", text)


class TargetNotPositive(FieldRefusal):
    """A target must be more than 0."""

    def __init__(self) -> None:
        super().__init__("target_active", N_("must be more than 0"))


class UnknownIndicator(FieldRefusal):
    """Not one of the scorecard's indicators."""

    def __init__(self, indicators: str) -> None:
        super().__init__("indicator", N_("one of %(names)s"), names=indicators)


class ScoreOutOfRange(FieldRefusal):
    """An assessed score is 0-100."""

    def __init__(self) -> None:
        super().__init__("score", N_("must be 0-100"))


class ScorecardRegionLevel(FieldRefusal):
    """A scorecard is kept for a province or a regency/city, not the country."""

    def __init__(self) -> None:
        super().__init__("region", N_("a province or regency/city"))


class UnknownTable(FieldRefusal):
    """An export asked for a table the report does not have."""

    def __init__(self, table: str, tables: str) -> None:
        super().__init__("table", N_("unknown table %(table)r; one of %(tables)s"), table=table, tables=tables)


class UnknownFormat(FieldRefusal):
    """An export format other than csv or xlsx (or pdf for the monthly report)."""

    def __init__(self, fmt: str) -> None:
        super().__init__("format", N_("unknown format %(fmt)r; csv or xlsx"), fmt=fmt)
