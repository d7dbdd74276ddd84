"""notify's tasks: the dispatcher (every minute: due messages to send tasks) and the send task (a batch).

The send task is retried by huey with backoff (``JANGKAU_TASK_RETRIES``, ``JANGKAU_TASK_RETRY_DELAY_SECONDS``
doubled each time) while a provider answers 429 or 5xx; a retry only tries the messages not yet sent, and on the
last attempt such a message fails with the provider's message. The one resend risk: a worker killed between the
provider's answer and the ``sent`` mark leaves the message ``sending``, and the takeover sends it again.
"""

from __future__ import annotations

from typing import Any

from jangkau.config import get_settings
from jangkau.notify import clock, service
from jangkau.notify.errors import ProviderUnavailable
from jangkau.tasks.models import TaskRecord
from jangkau.tasks.record import TaskContext, enqueue, task_day, task_unit, tracked


def _stamp(kwargs: dict[str, Any]) -> str:
    return f"{kwargs['day']} {kwargs['slot']}"


def _attempt(record_id: int) -> int:
    with task_unit() as session:
        record = session.get(TaskRecord, record_id)
        return record.attempts if record is not None else 1


@tracked("notify.send")
def send(ctx: TaskContext, ids: list[int]) -> dict[str, Any]:
    """Send a batch of messages (those still to be sent). Raises while some got a 429/5xx and retries are left."""
    final = _attempt(ctx.record_id) > get_settings().task_retries
    outcome = service.send_batch(ctx.units, ids, final=final)
    ctx.progress(len(ids) - len(outcome.retrying), len(ids))
    if outcome.retrying:
        raise ProviderUnavailable(f"{len(outcome.retrying)} of {len(ids)} messages: provider busy, retry later")
    return outcome.as_dict()


def dispatch_now(units: service.Units, limit: int | None = None) -> dict[str, int]:
    """Hand every due message to send tasks in batches of ``JANGKAU_NOTIFY_BATCH_SIZE``; returns the counts."""
    size = get_settings().notify_batch_size
    handed, batches = 0, 0
    while limit is None or handed < limit:
        with units() as session:
            ids = service.dispatch(session, clock.now(), size)
        if not ids:
            break
        try:
            enqueue(send, "schedule:notify.dispatch", ids=ids)
        except Exception:  # the queue is unreachable: give them back to the next dispatch
            with units() as session:
                service.unqueue(session, ids)
            raise
        handed, batches = handed + len(ids), batches + 1
        if len(ids) < size:
            break
    return {"queued": handed, "batches": batches}


@tracked("notify.dispatch", period=_stamp, check=lambda kw: task_day(str(kw["day"])))
def dispatch(ctx: TaskContext, day: str, slot: str) -> dict[str, Any]:
    """The minute's dispatch: due messages (out of quiet hours) go to send tasks."""
    del day, slot  # the period key; the clock says what is due
    return dispatch_now(ctx.units)


def queue_now(ids: list[int]) -> None:
    """Dispatch ``ids`` at once (a one-time code): mark them queued and hand them to a send task."""
    with task_unit() as session:
        queued = [i for i in ids if service.mark_queued(session, i)]
    if queued:
        enqueue(send, "notify", ids=queued)
