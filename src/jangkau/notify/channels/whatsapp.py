"""WhatsApp through the WhatsApp Business Cloud API, as template messages.

``POST {JANGKAU_NOTIFY_WHATSAPP_URL}/{phone-number-id}/messages`` with ``Authorization: Bearer <token>`` and
``{"messaging_product": "whatsapp", "to": "628...", "type": "template", "template": {"name": ..., "language":
{"code": "id"}, "components": [{"type": "body", "parameters": [{"type": "text", "text": ...}, ...]}]}}``; the API
answers ``{"messages": [{"id": "wamid..."}]}``. The body parameters are the template's variables in its order.
"""

from __future__ import annotations

from typing import Any

import httpx

from jangkau.notify.channels.base import ChannelName
from jangkau.notify.channels.transport import post_json
from jangkau.notify.errors import ProviderUnavailable
from jangkau.notify.templates import Rendered


def template_payload(address: str, message: Rendered, reference: str = "") -> dict[str, Any]:
    """The Cloud API request body of a template message (``to`` without the ``+``; our id travels in
    ``biz_opaque_callback_data`` and comes back in the status webhooks)."""
    parameters = [{"type": "text", "text": value} for value in message.parameters]
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": address.lstrip("+"),
        "type": "template",
        "template": {
            "name": message.whatsapp,
            "language": {"code": message.language},
            "components": [{"type": "body", "parameters": parameters}],
        },
    }
    if reference:
        payload["biz_opaque_callback_data"] = reference
    return payload


class WhatsAppChannel:
    name = ChannelName.WHATSAPP

    def __init__(self, base_url: str, token: str, phone_number_id: str, timeout: float = 10.0) -> None:
        self._url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._client = httpx.Client(timeout=timeout)

    def send(self, address: str, message: Rendered, reference: str) -> str:
        answer = post_json(self._client, self._url, template_payload(address, message, reference), self._headers)
        messages = answer.get("messages")
        if not isinstance(messages, list) or not messages or not isinstance(messages[0], dict):
            raise ProviderUnavailable("WhatsApp answered without a message id")
        return str(messages[0].get("id"))
