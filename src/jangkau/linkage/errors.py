"""Linkage's named refusals."""

from __future__ import annotations

from typing import ClassVar

from jangkau.errors import N_, Conflict, FieldRefusal, InvalidInput, JangkauError, NotFound, bilingual
from jangkau.i18n import gettext


class SparkUnavailable(JangkauError):
    """The Spark engine cannot run here: pyspark or Java is missing, or the master URL is wrong or unreachable.

    The message names what to install or fix; the run has not started (HTTP 503: the server lacks a part).
    """

    status: ClassVar[int] = 503

    def __init__(self, message: str, message_id: str, code: str) -> None:
        super().__init__(message, message_id, code, 503)


class ListNotFound(NotFound):
    """No such list, or it lies outside the caller's area."""

    def __init__(self, list_id: int) -> None:
        super().__init__(*bilingual(N_("No list %(id)s"), id=list_id), code="linkage_list_not_found")


class UploadNotFound(NotFound):
    """No such stored upload."""

    def __init__(self, upload_id: int) -> None:
        super().__init__(*bilingual(N_("No upload %(id)s"), id=upload_id), code="linkage_upload_not_found")


class PairNotFound(NotFound):
    """No such pair of a list row and a person in the caller's scope."""

    def __init__(self, decision_id: int) -> None:
        super().__init__(*bilingual(N_("No pair %(id)s"), id=decision_id), code="linkage_pair_not_found")


class NoCandidate(Conflict):
    """The row has no candidate person to decide on."""

    def __init__(self) -> None:
        super().__init__(*bilingual(N_("This row has no candidate person to decide on")))


class NeedsSignedInUser(InvalidInput):
    """Background work is started by a signed-in user (the worker acts as that user)."""

    def __init__(self, *, run: bool) -> None:
        text = N_("A background run needs a signed-in user") if run else None
        super().__init__(*bilingual(text or N_("A background import needs a signed-in user")))


class SourceNameInvalid(FieldRefusal):
    """The list's source needs a name of 1-120 characters."""

    def __init__(self) -> None:
        super().__init__("source", N_("give the source a name of 1-120 characters"))


class MappingNotJson(FieldRefusal):
    """The column mapping is not JSON."""

    def __init__(self, reason: str) -> None:
        super().__init__("mapping", N_("not a JSON column mapping (%(reason)s)"), reason=reason)


class EmptyFile(FieldRefusal):
    """The uploaded file is empty."""

    def __init__(self) -> None:
        super().__init__("file", N_("the file is empty"))


class BadVerdict(FieldRefusal):
    """A verdict is accept or reject."""

    def __init__(self) -> None:
        super().__init__("verdict", N_("accept or reject"))


class ExportFormat(FieldRefusal):
    """An outcome export is csv or xlsx."""

    def __init__(self) -> None:
        super().__init__("format", N_("csv or xlsx"))


class RunFailed(JangkauError):
    """The linkage run failed (the engine or the store broke); the previous decisions are kept (HTTP 500)."""

    status: ClassVar[int] = 500

    def __init__(self, phase: str | None, error: str | None) -> None:
        text = N_(
            "The linkage run failed in phase %(phase)s (%(error)s); the previous decisions are kept. Run it again; "
            "if it fails again, tell the administrator"
        )
        english = gettext(text, "en", phase=phase or gettext(N_("start"), "en"), error=error)
        indonesian = gettext(text, "id", phase=phase or gettext(N_("start"), "id"), error=error)
        super().__init__(english, indonesian, "linkage_run_failed", 500)


def _spark(text: str, code: str, **params: object) -> SparkUnavailable:
    return SparkUnavailable(*bilingual(text, **params), code)


def spark_master_invalid(master: str) -> SparkUnavailable:
    """The Spark master is not a master URL."""
    text = N_(
        "Spark master %(master)r is not a master URL: use local[*], local[N], spark://HOST:PORT, yarn or "
        "k8s://https://HOST:PORT"
    )
    return _spark(text, "spark_master_invalid", master=master)


def spark_not_installed(install: str) -> SparkUnavailable:
    """pyspark is not installed."""
    text = N_("The Spark engine needs pyspark, which is not installed: %(install)s; or use --engine duckdb")
    return _spark(text, "spark_not_installed", install=install)


def java_not_found(minimum: int, seen: str) -> SparkUnavailable:
    """No Java, or one too old, for Spark."""
    text = N_(
        "The Spark engine needs Java %(minimum)s or newer (%(seen)s): install it (Debian: apt-get install "
        "openjdk-17-jre-headless) or set JAVA_HOME; or use --engine duckdb"
    )
    return _spark(text, "java_not_found", minimum=minimum, seen=seen)


def spark_master_unreachable(master: str, reason: str) -> SparkUnavailable:
    """The Spark master does not answer."""
    text = N_(
        "The Spark master %(master)s does not answer (%(reason)s): start it, or check the host and port (the "
        "standalone master listens on 7077)"
    )
    return _spark(text, "spark_master_unreachable", master=master, reason=reason)


def spark_start_failed(master: str, reason: str) -> SparkUnavailable:
    """Spark did not start."""
    return _spark(
        N_("Spark did not start on %(master)s (%(reason)s)"), "spark_start_failed", master=master, reason=reason
    )


class RegisterColumnMissing(InvalidInput):
    """The register lacks a column linkage needs."""

    def __init__(self, missing: object, expected: object) -> None:
        super().__init__(
            *bilingual(N_("the register has no column %(missing)s; expected %(expected)s"), missing=missing,
                       expected=expected),
            code="register_column_missing",
        )  # fmt: skip


class RegisterFileNotFound(InvalidInput):
    """The register file does not exist."""

    def __init__(self, path: object) -> None:
        super().__init__(*bilingual(N_("register file %(path)s does not exist"), path=path), code="register_not_found")


class RegisterFormatUnknown(InvalidInput):
    """The register is neither Parquet nor CSV."""

    def __init__(self, name: str) -> None:
        super().__init__(
            *bilingual(N_("cannot read register %(name)s: use Parquet or CSV"), name=name),
            code="register_format_unknown",
        )


class AllNiksInvalid(InvalidInput):
    """Every NIK of the list is invalid: most likely a wrong column mapping or NIKs turned into numbers."""

    def __init__(self, bad: int, total: int) -> None:
        super().__init__(
            *bilingual(
                N_("every NIK in the list is invalid (%(bad)s of %(total)s): check the column mapping, and that a "
                   "spreadsheet did not turn NIKs into numbers (e.g. 3.27E+15)"),
                bad=bad, total=total,
            ),
            code="list_nik_all_invalid",
        )  # fmt: skip


class AllRowsRejected(InvalidInput):
    """No row of the list can be linked."""

    def __init__(self, rows: int) -> None:
        super().__init__(
            *bilingual(N_("no row of the list (%(rows)s rows) can be linked; see the rejected rows"), rows=rows),
            code="list_all_rejected",
        )


class TruthMissing(InvalidInput):
    """Training needs the truth of the list."""

    def __init__(self, path: object) -> None:
        super().__init__(
            *bilingual(
                N_("training needs the truth of the list (%(path)s not found): columns row_id, true_entity_id"),
                path=path,
            ),
            code="truth_missing",
        )


class UserNotFound(NotFound):
    """The user who started the task no longer exists."""

    def __init__(self, user_id: int) -> None:
        super().__init__(*bilingual(N_("User %(user)s not found"), user=user_id))


class MappingIncomplete(FieldRefusal):
    """The confirmed column mapping lacks a required column, or takes one of ours from two source columns."""

    def __init__(self, missing: list[str], doubled: list[str]) -> None:
        super().__init__(
            "mapping",
            N_("choose a column for each of %(missing)s, and each of ours for one column only (twice: %(doubled)s)"),
            code="list_mapping_incomplete",
            missing=", ".join(missing) or "-",
            doubled=", ".join(doubled) or "-",
        )
