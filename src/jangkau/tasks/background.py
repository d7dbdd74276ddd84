"""``--background`` for the domains' commands: queue a task for the worker and say where to follow it."""

from __future__ import annotations

from typing import Any

from jangkau.clikit import console, emit_json
from jangkau.tasks.record import TaskSpec, enqueue


def queued(spec: TaskSpec, as_json: bool, **kwargs: Any) -> None:
    """``--background``: queue ``spec`` for the worker and say where to follow it."""
    task_id = enqueue(spec, "cli", **kwargs)
    if as_json:
        emit_json({"task_id": task_id, "status": "queued"})
        return
    console.print(f"Queued as task {task_id}: follow it with `jangkau tasks list` or on /admin/tasks.")
