"""SMS through a generic HTTP gateway (the JSON format is documented in the notify README).

Send: ``POST {JANGKAU_NOTIFY_SMS_URL}/messages`` with ``Authorization: Bearer <key>`` and
``{"from": sender, "to": "+628...", "text": "...", "reference": "<our id>"}``; the gateway answers 2xx with
``{"id": "<its id>", "status": "accepted"}``, or an error ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import httpx

from jangkau.notify.channels.base import ChannelName
from jangkau.notify.channels.transport import post_json
from jangkau.notify.errors import ProviderUnavailable
from jangkau.notify.templates import Rendered


class SmsChannel:
    name = ChannelName.SMS

    def __init__(self, url: str, key: str, sender: str, timeout: float = 10.0) -> None:
        self._url = url.rstrip("/") + "/messages"
        self._headers = {"Authorization": f"Bearer {key}"}
        self._sender = sender
        self._client = httpx.Client(timeout=timeout)

    def send(self, address: str, message: Rendered, reference: str) -> str:
        payload = {"from": self._sender, "to": address, "text": message.with_stop(), "reference": reference}
        answer = post_json(self._client, self._url, payload, self._headers)
        provider_id = answer.get("id")
        if not provider_id:
            raise ProviderUnavailable("gateway answered without a message id")
        return str(provider_id)
