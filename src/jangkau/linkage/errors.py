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
