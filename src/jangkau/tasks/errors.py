"""The task queue's named refusals: each with its stable code; the texts are English msgids, translated by the
catalog."""

from __future__ import annotations

from jangkau.errors import N_, Conflict, FieldRefusal, NotFound, bilingual
from jangkau.i18n import gettext


class TaskNotFound(NotFound):
    """No such run, or one started by someone else."""

    def __init__(self, task_id: int) -> None:
        super().__init__(*bilingual(N_("Task %(id)s not found"), id=task_id))


class UnknownStatus(FieldRefusal):
    """Not a task status."""

    def __init__(self, statuses: str) -> None:
        super().__init__("status", N_("must be one of %(names)s"), names=statuses)


class UnknownTask(FieldRefusal):
    """Not a task on the schedule."""

    def __init__(self, field_name: str, task: str, names: str) -> None:
        super().__init__(field_name, N_("unknown task %(task)r; one of %(names)s"), task=task, names=names)


class NotFailed(Conflict):
    """Only a failed run can be retried."""

    def __init__(self, task_id: int, status: str) -> None:
        super().__init__(
            *bilingual(N_("Task %(id)s is %(status)s: only a failed task can be retried"), id=task_id, status=status)
        )


class MonthClosed(Conflict):
    """The task's month is over and its run finished: correct it with an adjustment, not a rerun."""

    def __init__(self, name: str, period: str, finished: str | None) -> None:
        text = N_(
            "%(name)s for %(period)s is closed: its run finished on %(finished)s and the month is over. Correct a "
            "closed month with an adjustment, not a rerun"
        )
        texts = [
            gettext(text, lang, name=name, period=period, finished=finished or gettext(N_("earlier"), lang))
            for lang in ("en", "id")
        ]
        super().__init__(*texts, code="month_closed")


class BadArguments(FieldRefusal):
    """The task does not take these arguments."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__("args", N_("%(name)s: wrong arguments (%(reason)s)"), name=name, reason=reason)


class TaskMonthMalformed(FieldRefusal):
    """The task's month is not written YYYY-MM."""

    def __init__(self, text: str) -> None:
        super().__init__("month", N_("expected a month as YYYY-MM, got %(got)r"), got=text)


class TaskMonthInFuture(FieldRefusal):
    """The task's month is after the latest allowed."""

    def __init__(self, month: object, limit: object) -> None:
        super().__init__(
            "month", N_("%(month)s is in the future (latest allowed: %(limit)s)"), month=month, limit=limit
        )


class TaskDayMalformed(FieldRefusal):
    """The task's day is not written YYYY-MM-DD."""

    def __init__(self, text: str) -> None:
        super().__init__("day", N_("expected YYYY-MM-DD, got %(got)r"), got=text)


class TaskDayInFuture(FieldRefusal):
    """The task's day is after today."""

    def __init__(self, day: object) -> None:
        super().__init__("day", N_("%(day)s is in the future"), day=day)


class CronInvalid(FieldRefusal):
    """Not a cron expression of 5 fields (minute hour day month weekday)."""

    def __init__(self, field_name: str, expression: str, reason: str) -> None:
        super().__init__(field_name, N_("invalid cron expression %(expr)r: %(reason)s"), expr=expression, reason=reason)


class ScheduleEntryInvalid(FieldRefusal):
    """A schedule setting's part is not task=cron with a known task."""

    def __init__(self, part: str, names: str) -> None:
        super().__init__(
            "task_schedule", N_("%(part)r: expected task=cron with a task of %(names)s"), part=part, names=names
        )
