"""ruleadmin's named refusals: each with its stable code; the texts are English msgids, translated by the catalog."""

from __future__ import annotations

import datetime as dt

from jangkau.errors import N_, Conflict, FieldError, FieldRefusal, InvalidInput, NotFound, bilingual
from jangkau.i18n import gettext


class RuleUnknown(FieldRefusal):
    """Not a rule table that can get new versions."""

    def __init__(self, rule_id: str) -> None:
        super().__init__("rule_id", N_("%(rule_id)r is not a rule table"), code="rule_unknown", rule_id=rule_id)


class InstrumentRequired(FieldRefusal):
    """A version names its legal instrument."""

    def __init__(self) -> None:
        super().__init__("instrument", N_("the legal instrument is required"))


class CapImplausible(FieldRefusal):
    """A JP wage cap far from the previous one (a typing slip, most likely)."""

    def __init__(self, cap: int, previous: int) -> None:
        super().__init__(
            "cap",
            N_("Rp%(cap)s is implausible against the previous cap Rp%(previous)s; check the number"),
            cap=f"{cap:,}",
            previous=f"{previous:,}",
        )


class BoundsInvalid(FieldRefusal):
    """The JP benefit minimum must be positive and below the maximum."""

    def __init__(self) -> None:
        super().__init__("min", N_("the minimum must be positive and below the maximum"))


class VersionNotFound(NotFound):
    """No such rule version."""

    def __init__(self, version_id: int) -> None:
        super().__init__(*bilingual(N_("rule version #%(id)s does not exist"), id=version_id))


class VersionOverlap(Conflict):
    """Another proposed or active version of the table overlaps these dates (``details.version_id`` names it)."""

    def __init__(
        self, rule_id: str, version_id: int, state: str, valid_from: dt.date, valid_to: dt.date | None
    ) -> None:
        text = N_(
            "%(rule_id)s version #%(id)s (%(state)s, %(start)s to %(end)s) overlaps these dates: withdraw it first "
            "or change valid_from"
        )
        texts = [
            gettext(text, lang, rule_id=rule_id, id=version_id, state=state, start=valid_from,
                    end=valid_to or gettext(N_("open end"), lang))
            for lang in ("en", "id")
        ]  # fmt: skip
        super().__init__(*texts, code="rule_version_overlap", details={"version_id": version_id})


class NotProposed(Conflict):
    """Only a proposed version can be activated."""

    def __init__(self, version_id: int, state: str) -> None:
        super().__init__(
            *bilingual(N_("version #%(id)s is %(state)s; only a proposed version can be activated"),
                       id=version_id, state=state),
            code="rule_version_state",
        )  # fmt: skip


class SameUser(Conflict):
    """Maker/checker: another user must activate what a user proposed."""

    def __init__(self) -> None:
        super().__init__(
            *bilingual(N_("another user must check and activate what you proposed (maker/checker)")),
            code="rule_version_same_user",
        )


class TooLateToWithdraw(Conflict):
    """An active version cannot be withdrawn once it is in force."""

    def __init__(self, version_id: int, state: str, valid_from: dt.date) -> None:
        super().__init__(
            *bilingual(
                N_("version #%(id)s is %(state)s from %(start)s: it can no longer be withdrawn; propose a new "
                   "version instead"),
                id=version_id, state=state, start=valid_from,
            ),
            code="rule_version_state",
        )  # fmt: skip


class HeaderColumns(FieldRefusal):
    """A minimum-wage file's header must name the code and amount columns."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            "file",
            N_("the header must name the columns kode (code) and jumlah (amount); missing: %(missing)s"),
            missing=missing,
        )


class RuleFileRefused(InvalidInput):
    """Rows of the file are refused (``fields`` lists each line); nothing was proposed."""

    def __init__(self, fields: list[FieldError]) -> None:
        english, indonesian = bilingual(N_("%(n)s problem(s) in the file, nothing was proposed: "), n=len(fields))
        super().__init__(
            english + "; ".join(f"{f.field}: {f.message}" for f in fields),
            indonesian + "; ".join(f"{f.field}: {f.message_id}" for f in fields),
            code="rule_file_refused",
            fields=fields,
        )


class NoSuchTable(FieldRefusal):
    """No rule table with this id."""

    def __init__(self, rule_id: str) -> None:
        super().__init__("rule_id", N_("no rule table %(rule_id)r"), rule_id=rule_id)


class NotToml(FieldRefusal):
    """The file is not readable TOML."""

    def __init__(self, reason: str) -> None:
        super().__init__("file", N_("not a readable TOML file: %(reason)s"), reason=reason)


class OtherTable(FieldRefusal):
    """The TOML file is for another table."""

    def __init__(self, found: str, rule_id: str) -> None:
        super().__init__("file", N_("the file is for table %(found)r, not %(rule_id)r"), found=found, rule_id=rule_id)


class RuleFileShape(InvalidInput):
    """The file does not have the shape of the table (``fields`` lists every difference)."""

    def __init__(self, rule_id: str, version: str, fields: list[FieldError]) -> None:
        english, indonesian = bilingual(
            N_("The file does not have the shape of %(rule_id)s (%(version)s): "), rule_id=rule_id, version=version
        )
        super().__init__(
            english + "; ".join(f"{f.field}: {f.message}" for f in fields),
            indonesian + "; ".join(f"{f.field}: {f.message_id}" for f in fields),
            code="rule_file_shape",
            fields=fields,
        )


class HeaderInvalid(FieldRefusal):
    """A version's header breaks a rule (``valid_to`` before ``valid_from``, ``signed_on`` a year after it, ...)."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(field_name, N_("invalid value: %(reason)s"), reason=reason)
