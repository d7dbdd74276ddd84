"""Provider callbacks: delivery statuses and inbound replies (STOP), after their signature is checked.

- SMS gateway (our documented format): ``X-Jangkau-Signature: sha256=<hex HMAC-SHA256 of the body>`` with
  ``JANGKAU_NOTIFY_SMS_CALLBACK_SECRET``; body ``{"type": "status", "id": ..., "status": "sent|delivered|failed",
  "error": ...}`` or ``{"type": "inbound", "from": "+628...", "text": "STOP"}``.
- WhatsApp Cloud API: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`` with the app secret; body
  ``{"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"statuses": [...], "messages":
  [...]}}]}]}``.

A refused callback is logged with the channel and the body's length only (no number, no text).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy.orm import Session

from jangkau.config import get_settings
from jangkau.notify import clock, consent, service
from jangkau.notify.channels.base import ChannelName, signature_ok
from jangkau.notify.errors import BadSignature
from jangkau.notify.schemas import HookResult

logger = logging.getLogger(__name__)


def _verified(channel: ChannelName, secret: str, body: bytes, header: str | None) -> Any:
    if not signature_ok(secret, body, header):
        logger.warning("notify %s callback refused: bad or missing signature (%d bytes)", channel, len(body))
        raise BadSignature
    try:
        return json.loads(body)
    except ValueError:
        logger.warning("notify %s callback refused: not JSON (%d bytes)", channel, len(body))
        raise BadSignature from None


def sms_callback(session: Session, body: bytes, signature: str | None) -> HookResult:
    """Apply an SMS gateway callback.

    Raises:
        BadSignature: the signature is missing or wrong (nothing is changed).
    """
    data = _verified(ChannelName.SMS, get_settings().notify_sms_callback_secret, body, signature)
    result = HookResult()
    if not isinstance(data, dict):
        result.ignored += 1
        return result
    if data.get("type") == "inbound":
        if consent.is_stop(str(data.get("text", ""))):
            result.stopped += consent.stop_from(session, str(data.get("from", "")), ChannelName.SMS)
        return result
    ok = service.apply_status(
        session, ChannelName.SMS, str(data.get("id", "")), str(data.get("status", "")), data.get("error"), clock.now()
    )
    result.updated, result.ignored = int(ok), int(not ok)
    return result


def _status_error(status: dict[str, Any]) -> str | None:
    errors = status.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        return f"{first.get('code', '')} {first.get('title') or first.get('message') or ''}".strip()
    return None


def _when(status: dict[str, Any]) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(status["timestamp"]), dt.UTC)
    except (KeyError, TypeError, ValueError):
        return clock.now()


def _whatsapp_value(session: Session, value: dict[str, Any], result: HookResult) -> None:
    for status in value.get("statuses", []) or []:
        ok = service.apply_status(
            session, ChannelName.WHATSAPP, str(status.get("id", "")), str(status.get("status", "")),
            _status_error(status), _when(status),
        )  # fmt: skip
        result.updated += int(ok)
        result.ignored += int(not ok)
    for message in value.get("messages", []) or []:
        text = (message.get("text") or {}).get("body") or (message.get("button") or {}).get("text") or ""
        if consent.is_stop(str(text)):
            result.stopped += consent.stop_from(session, "+" + str(message.get("from", "")), ChannelName.WHATSAPP)


def whatsapp_callback(session: Session, body: bytes, signature: str | None) -> HookResult:
    """Apply a WhatsApp Cloud API webhook (statuses and inbound messages).

    Raises:
        BadSignature: ``X-Hub-Signature-256`` is missing or wrong (nothing is changed).
    """
    data = _verified(ChannelName.WHATSAPP, get_settings().notify_whatsapp_app_secret, body, signature)
    result = HookResult()
    for entry in (data.get("entry", []) if isinstance(data, dict) else []) or []:
        for change in entry.get("changes", []) or []:
            value = change.get("value")
            if isinstance(value, dict):
                _whatsapp_value(session, value, result)
    return result
