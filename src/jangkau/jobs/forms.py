"""Page forms of the jobs domain: all or nothing, and once per form (the machinery is :mod:`jangkau.formkit`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from jangkau import formkit
from jangkau.auth.principal import Principal
from jangkau.formkit import new_token, refusal_message

message = refusal_message


def split_list(text: str) -> list[str]:
    """A comma- or line-separated form field as a list."""
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


def submit_once(session: Session, principal: Principal, token: str, path: str, produce: Callable[[], str]) -> str:
    """Run ``produce`` (which returns where to go next) once per (user, form token), all or nothing.

    Returns:
        Where to send the browser: ``produce``'s answer, or the first submission's one for a repeated token.
    """
    answer, _repeated = formkit.submit_once(session, principal, token, path, lambda: {"redirect": produce()})
    return str(answer["redirect"])


__all__ = ["message", "new_token", "split_list", "submit_once"]
